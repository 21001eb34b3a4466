/* test-stats.c: the dashboard's figures and the leads page's filters,
 * read from a real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fl-test.h"
#include "store/fl-lead-list.h"
#include "store/fl-stats.h"

typedef FlTestFixture Fixture;

/* Three staff members over two show days; scores 0, 15, 30… */
static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  static const char *staff[] = { "Anna", "Tom", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Stats");
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  fl_test_fixture_open (fixture, "kiosk.db", event);
  g_assert_true (fl_store_set_active_event (fixture->store, fixture->event->uuid, &error));

  g_assert_true (fl_store_exec (fixture->store,
    "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x')", &error));
  for (guint i = 0; i < 9; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      /* Day one 09:xx ×3 and 11:xx ×3, day two 10:xx ×3 (UTC = local here). */
      g_autofree char *created_at = g_strdup_printf ("2026-06-%02uT%02u:%02u:00.000Z",
                                                     i < 6 ? 23 : 24, i < 3 ? 9 : i < 6 ? 11 : 10, i);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Visitor");
      fl_lead_set_captured_by (lead, staff[i % 3]);
      fl_lead_set_created_at (lead, created_at);
      fl_lead_set_score (lead, (int) i * 15);
      fl_lead_set_status (lead, i < 2 ? FL_STATUS_SAL : i == 8 ? FL_STATUS_DISQUALIFIED : FL_STATUS_MQL);
      g_assert_true (fl_store_save_lead (fixture->store, lead, NULL, &error));
      g_assert_no_error (error);
    }
  g_assert_true (fl_store_exec (fixture->store,
    "UPDATE outbox SET state = 'done' WHERE lead_id IN (1, 2);"
    "UPDATE outbox SET state = 'failed' WHERE lead_id = 3;", &error));
}

static void
test_figures (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStats) stats = fl_stats_read (fixture->store, fixture->event->uuid, -1, &error);
  static const struct { const char *label; gint64 count; } hours[] = {
    { "2026-06-23 09", 3 }, { "2026-06-23 11", 3 }, { "2026-06-24 10", 3 },
  };
  gint64 sum = 0;

  g_assert_no_error (error);
  g_assert_nonnull (stats);
  g_assert_cmpint (stats->n_leads, ==, 9);
  g_assert_cmpint (stats->status[FL_STATUS_SAL], ==, 2);
  g_assert_cmpint (stats->status[FL_STATUS_MQL], ==, 6);
  g_assert_cmpint (stats->status[FL_STATUS_DISQUALIFIED], ==, 1);

  g_assert_cmpuint (stats->hours->len, ==, G_N_ELEMENTS (hours));
  for (guint i = 0; i < G_N_ELEMENTS (hours); i++)
    {
      FlStatsBucket *bucket = &g_array_index (stats->hours, FlStatsBucket, i);

      g_assert_cmpstr (bucket->label, ==, hours[i].label);
      g_assert_cmpint (bucket->count, ==, hours[i].count);
    }

  /* Scores 0…120: bins of ten points, thirteen of them. */
  g_assert_cmpint (stats->score_bin, ==, 10);
  g_assert_cmpuint (stats->scores->len, ==, 13);
  for (guint i = 0; i < stats->scores->len; i++)
    sum += g_array_index (stats->scores, gint64, i);
  g_assert_cmpint (sum, ==, 9);
  g_assert_cmpint (g_array_index (stats->scores, gint64, 0), ==, 1);  /* 0 */
  g_assert_cmpint (g_array_index (stats->scores, gint64, 1), ==, 1);  /* 15 */
  g_assert_cmpint (g_array_index (stats->scores, gint64, 2), ==, 0);

  /* Three each; the unknown staff member (NULL) sorts first among equals. */
  g_assert_cmpuint (stats->staff->len, ==, 3);
  g_assert_null (g_array_index (stats->staff, FlStatsBucket, 0).label);
  g_assert_cmpstr (g_array_index (stats->staff, FlStatsBucket, 1).label, ==, "Anna");
  g_assert_cmpstr (g_array_index (stats->staff, FlStatsBucket, 2).label, ==, "Tom");
  g_assert_cmpint (g_array_index (stats->staff, FlStatsBucket, 2).count, ==, 3);

  g_assert_cmpint (stats->upload[FL_UPLOAD_DONE], ==, 2);
  g_assert_cmpint (stats->upload[FL_UPLOAD_FAILED], ==, 1);
  g_assert_cmpint (stats->upload[FL_UPLOAD_WAITING], ==, 6);
  g_assert_cmpint (stats->upload[FL_UPLOAD_NONE], ==, 0);
}

/* The model's SAL threshold widens the histogram so it can be drawn. */
static void
test_threshold (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStats) stats = fl_stats_read (fixture->store, fixture->event->uuid, 400, &error);

  g_assert_no_error (error);
  g_assert_cmpint (stats->score_bin, ==, 20);
  g_assert_cmpuint (stats->scores->len, ==, 21);
  g_assert_cmpint (g_array_index (stats->scores, gint64, 0), ==, 2);  /* 0 and 15 */
}

static void
test_empty (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStats) none = fl_stats_read (fixture->store, NULL, 50, &error);
  g_autoptr(FlStats) other = fl_stats_read (fixture->store, "no-such-event", 50, &error);

  g_assert_no_error (error);
  g_assert_cmpint (none->n_leads, ==, 0);
  g_assert_cmpuint (none->hours->len, ==, 0);
  g_assert_cmpint (other->n_leads, ==, 0);
  g_assert_cmpint (other->score_bin, ==, 0);
  g_assert_cmpuint (other->staff->len, ==, 0);
}

static void
test_filters (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) staff = fl_store_list_lead_staff (fixture->store, fixture->event->uuid, &error);
  g_autoptr(GPtrArray) days = fl_store_list_lead_days (fixture->store, fixture->event->uuid, &error);
  g_autoptr(GPtrArray) no_days = fl_store_list_lead_days (fixture->store, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (staff, 0), ==, "Anna");
  g_assert_cmpstr (g_ptr_array_index (staff, 1), ==, "Tom");
  g_assert_cmpuint (days->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (days, 0), ==, "2026-06-23");
  g_assert_cmpstr (g_ptr_array_index (days, 1), ==, "2026-06-24");
  g_assert_cmpuint (no_days->len, ==, 0);
}

static void
test_upload_state (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  FlLeadQuery query = { .sort = FL_LEAD_SORT_CREATED, .ascending = TRUE };
  FlUploadState state = FL_UPLOAD_ANY;

  leads = fl_store_list_leads (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_get_upload_state (fixture->store, fl_lead_get_uuid (g_ptr_array_index (leads, 0)),
                                            &state, &error));
  g_assert_cmpint (state, ==, FL_UPLOAD_DONE);
  g_assert_true (fl_store_get_upload_state (fixture->store, fl_lead_get_uuid (g_ptr_array_index (leads, 2)),
                                            &state, &error));
  g_assert_cmpint (state, ==, FL_UPLOAD_FAILED);
  g_assert_true (fl_store_get_upload_state (fixture->store, fl_lead_get_uuid (g_ptr_array_index (leads, 5)),
                                            &state, &error));
  g_assert_cmpint (state, ==, FL_UPLOAD_WAITING);

  g_assert_false (fl_store_get_upload_state (fixture->store, "00000000-0000-4000-8000-000000000000",
                                             &state, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
}

static int
run_cli (Fixture *fixture, char **out, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, err);
  return g_subprocess_get_exit_status (process);
}

/* fairlead-cli stats prints the same figures, as text and as JSON. */
static void
test_cli (Fixture *fixture, gconstpointer data)
{
  static const char *const json_args[] = { "stats", "--json", NULL };
  static const char *const text_args[] = { "stats", NULL };
  static const char *const bad_args[] = { "stats", "--event", "no-such-event", NULL };
  g_autofree char *out = NULL;
  g_autofree char *text = NULL;
  g_autofree char *bad = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  g_assert_cmpint (run_cli (fixture, &out, json_args), ==, 0);
  root = json_from_string (out, &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (object, "leads"), ==, 9);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "status"), "SAL"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "hours")), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "upload"), "failed"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "upload"), "connectors"), ==, 1);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "staff")), ==, 3);

  g_assert_cmpint (run_cli (fixture, &text, text_args), ==, 0);
  g_assert_nonnull (strstr (text, "2026-06-24 10"));
  g_assert_nonnull (strstr (text, "Anna"));

  /* An unknown event: EX_NOINPUT, and nothing on stdout. */
  g_assert_cmpint (run_cli (fixture, &bad, bad_args), ==, 66);
  g_assert_cmpstr (bad, ==, "");
}

int
main (int argc, char **argv)
{
  /* The hours and days are local: pin the zone. */
  g_setenv ("TZ", "UTC", TRUE);
  tzset ();
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_set_up, fn, fl_test_fixture_teardown)
  ADD ("/stats/figures", test_figures);
  ADD ("/stats/threshold", test_threshold);
  ADD ("/stats/empty", test_empty);
  ADD ("/stats/filters", test_filters);
  ADD ("/stats/upload-state", test_upload_state);
  if (g_getenv ("FAIRLEAD_CLI") != NULL)
    ADD ("/stats/cli", test_cli);
#undef ADD

  return g_test_run ();
}
