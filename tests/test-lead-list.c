/* test-lead-list.c: the paged lead model over a real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "store/fl-lead-list.h"
#include "store/fl-store-private.h"
#include "fl-test.h"

#define N_LEADS 250

typedef FlTestFixture Fixture;

static const char *staff[] = { "Anna", "Tom", "Ömer" };
static const char *companies[] = { "Müller AG", "Zeta GmbH", "Acme Ltd", NULL };

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("List");
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  fl_test_fixture_open (fixture, "kiosk.db", event);

  g_assert_true (fl_store_exec (fixture->store,
    "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x')", &error));
  g_assert_true (fl_store_begin (fixture->store, &error));
  for (guint i = 0; i < N_LEADS; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *first = g_strdup_printf ("Person%03u", i);
      g_autofree char *created_at = g_strdup_printf ("2026-06-%02uT%02u:%02u:00.000Z", 23 + i % 3, 8 + i % 10, i % 60);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, i == 7 ? "Müller" : "Schmidt");
      fl_lead_set_field (lead, FL_FIELD_COMPANY, companies[i % 4]);
      fl_lead_set_captured_by (lead, staff[i % 3]);
      fl_lead_set_created_at (lead, created_at);
      fl_lead_set_score (lead, (int) (i * 7 % 101));
      fl_lead_set_status (lead, i % 5 == 0 ? FL_STATUS_SAL : FL_STATUS_MQL);
      g_assert_true (fl_store_save_lead_in_transaction (fixture->store, lead, NULL, &error));
    }
  /* A tenth delivered, a tenth failed, the rest waiting. */
  g_assert_true (fl_store_exec (fixture->store,
    "UPDATE outbox SET state = 'done' WHERE lead_id % 10 = 1;"
    "UPDATE outbox SET state = 'failed' WHERE lead_id % 10 = 2;", &error));
  g_assert_true (fl_store_commit (fixture->store, &error));
}

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, gpointer user_data)
{
  guint *calls = user_data;
  (*calls)++;
}

static guint
run_query (FlLeadList *list, const FlLeadQuery *query)
{
  g_autoptr(GError) error = NULL;

  fl_lead_list_set_query (list, query);
  g_assert_true (fl_lead_list_refresh (list, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static void
test_paging (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLeadList) list = fl_lead_list_new (fixture->store);
  FlLeadQuery query = { 0 };
  guint calls = 0;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *previous = NULL;

  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), &calls);
  g_assert_cmpuint (g_list_model_get_item_type (G_LIST_MODEL (list)), ==, FL_TYPE_LEAD);
  g_assert_cmpuint (run_query (list, &query), ==, N_LEADS);
  g_assert_cmpuint (calls, ==, 1);

  /* Every lead once, newest first, across page boundaries and back. */
  for (guint i = 0; i < N_LEADS; i++)
    {
      g_autoptr(FlLead) lead = g_list_model_get_item (G_LIST_MODEL (list), i);

      g_assert_nonnull (lead);
      g_assert_true (g_hash_table_add (seen, g_strdup (fl_lead_get_uuid (lead))));
      if (previous != NULL)
        g_assert_cmpstr (previous, >=, fl_lead_get_created_at (lead));
      g_free (previous);
      previous = g_strdup (fl_lead_get_created_at (lead));
    }
  for (int i = N_LEADS - 1; i >= 0; i -= 37)
    {
      g_autoptr(FlLead) lead = g_list_model_get_item (G_LIST_MODEL (list), i);
      g_assert_nonnull (lead);
    }
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (list), N_LEADS));
}

static void
test_filters (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLeadList) list = fl_lead_list_new (fixture->store);

  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .status = "SAL" }), ==, N_LEADS / 5);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .captured_by = "Ömer" }), ==, N_LEADS / 3);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .search = "muller" }), >=, 1);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .search = "müller" }), ==,
                    run_query (list, &(FlLeadQuery) { .search = "MULLER" }));
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .search = "\"); DROP TABLE leads; --" }), ==, 0);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .upload = FL_UPLOAD_DONE }), ==, N_LEADS / 10);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .upload = FL_UPLOAD_FAILED }), ==, N_LEADS / 10);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .upload = FL_UPLOAD_WAITING }), ==, N_LEADS * 8 / 10);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .upload = FL_UPLOAD_NONE }), ==, 0);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .since = "2026-06-24T00:00:00.000Z",
                                                      .until = "2026-06-25T00:00:00.000Z" }), ==, 83);
  g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .status = "SAL", .captured_by = "Anna",
                                                      .search = "schmidt" }), ==, 17);
  g_assert_cmpuint (fl_lead_list_get_db_time (list), >, 0);

  /* A SAL of another event in the file: the status count (from the
   * scores alone while the file holds one event) is still the event's. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlEvent) other = fl_event_new ();
    g_autoptr(FlEvent) created = NULL;
    g_autoptr(FlLead) lead = fl_lead_new ();
    g_autofree char *first = fl_store_get_meta (fixture->store, "active_event");

    other->name = g_strdup ("Other show");
    created = fl_store_create_event (fixture->store, other, &error);
    g_assert_no_error (error);
    fl_lead_set_event (lead, created->uuid);
    fl_lead_set_status (lead, FL_STATUS_SAL);
    g_assert_true (fl_store_save_lead (fixture->store, lead, NULL, &error));
    g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .status = "SAL", .event = first }), ==, N_LEADS / 5);
    g_assert_cmpuint (run_query (list, &(FlLeadQuery) { .status = "SAL", .event = created->uuid }), ==, 1);
  }
}

static void
test_sorting (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLeadList) list = fl_lead_list_new (fixture->store);
  g_autoptr(FlLead) first = NULL;
  g_autoptr(FlLead) last = NULL;
  g_autoptr(FlLead) a = NULL;

  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_SCORE });
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  last = g_list_model_get_item (G_LIST_MODEL (list), N_LEADS - 1);
  g_assert_cmpint (fl_lead_get_score (first), ==, 100);
  g_assert_cmpint (fl_lead_get_score (last), ==, 0);
  g_clear_object (&first);

  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_NAME });
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (fl_lead_get_field (first, FL_FIELD_FIRST_NAME), ==, "Person000");
  g_clear_object (&first);
  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_NAME, .ascending = TRUE });
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (fl_lead_get_field (first, FL_FIELD_FIRST_NAME), ==, "Person249");
  g_clear_object (&first);

  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_STATUS });
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (fl_lead_get_status (first), ==, FL_STATUS_SAL);
  g_clear_object (&first);

  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_UPLOAD, .ascending = TRUE });
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_nonnull (first);
  run_query (list, &(FlLeadQuery) { .sort = FL_LEAD_SORT_COMPANY });
  a = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (fl_lead_get_field (a, FL_FIELD_COMPANY), ==, "Acme Ltd");
}

static gint64
listed (FlStore *store, const FlLeadQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = fl_store_list_leads (store, query, &error);

  g_assert_no_error (error);
  return leads->len;
}

/* A search alone is counted from the full-text index while every lead is
 * of the active event; with another event's leads in the file, by the
 * event too. Either way the count is what the list holds. */
static void
test_search_count (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) active = fl_store_get_active_event (fixture->store, &error);
  g_autoptr(FlEvent) other = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  FlLeadQuery muller = { .search = "muller" };
  gint64 n;

  n = fl_store_count_leads (fixture->store, &muller, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, N_LEADS / 4 + 1 + 1);  /* Müller AG every fourth, and one Müller */
  g_assert_cmpint (n, ==, listed (fixture->store, &muller));

  other->name = g_strdup ("Other show");
  created = fl_store_create_event (fixture->store, other, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_set_active_event (fixture->store, created->uuid, &error));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();

      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Müller");
      g_assert_true (fl_store_save_lead (fixture->store, lead, NULL, &error));
    }
  g_assert_cmpint (fl_store_count_leads (fixture->store, &muller, &error), ==, 5);
  g_assert_true (fl_store_set_active_event (fixture->store, active->uuid, &error));
  g_assert_cmpint (fl_store_count_leads (fixture->store, &muller, &error), ==, n);
  g_assert_cmpint (listed (fixture->store, &muller), ==, n);
  g_assert_cmpint (fl_store_count_leads (fixture->store, &(FlLeadQuery) { .search = "muller", .event = created->uuid },
                                         &error), ==, 5);
  g_assert_no_error (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fl_test_fixture_teardown)
  ADD ("/lead-list/paging", test_paging);
  ADD ("/lead-list/filters", test_filters);
  ADD ("/lead-list/sorting", test_sorting);
  ADD ("/lead-list/search-count", test_search_count);
#undef ADD

  return g_test_run ();
}
