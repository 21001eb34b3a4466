/* test-quick-notes.c: one-tap notes, stored, found, exported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fl-test.h"
#include "lead/fl-lead.h"
#include "score/fl-quick-notes.h"
#include "store/fl-store.h"

static FlModel *
demo_model (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json", NULL);
  g_autoptr(GError) error = NULL;
  FlModel *model = fl_model_new_from_file (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpint (fl_model_find_quick_note (model, "send-quote"), >=, 0);
  g_assert_cmpint (fl_model_find_quick_note (model, "call-q3"), >=, 0);
  return model;
}

static void
test_compose (void)
{
  g_autoptr(FlModel) model = demo_model ();
  static const char *const ids[] = { "call-q3", "send-quote", "no-such-note", NULL };
  g_autofree char *notes = fl_quick_notes_compose (model, ids, "Met at the bar.\nLikes coffee.",
                                                   FL_LANGUAGE_EN);
  g_autofree char *german = fl_quick_notes_compose (model, ids, NULL, FL_LANGUAGE_DE);
  g_autofree char *empty = fl_quick_notes_compose (model, NULL, "", FL_LANGUAGE_EN);
  g_auto(GStrv) read_back = NULL;
  g_auto(GStrv) read_german = NULL;
  g_autofree char *free_text = NULL;

  /* The model's order, whatever order they were tapped in. */
  g_assert_cmpstr (notes, ==, "✓ Send quote\n✓ Call in Q3\nMet at the bar.\nLikes coffee.");
  g_assert_cmpstr (german, ==, "✓ Angebot senden\n✓ Im Q3 anrufen");
  g_assert_null (empty);

  /* model show lists them in the staff's language. */
  {
    g_autofree char *described = fl_model_describe (model, FL_LANGUAGE_DE);

    g_assert_nonnull (strstr (described, "  send-quote — Angebot senden\n"));
  }

  read_back = fl_quick_notes_get_ids (model, notes);
  g_assert_cmpuint (g_strv_length (read_back), ==, 2);
  g_assert_cmpstr (read_back[0], ==, "send-quote");
  g_assert_cmpstr (read_back[1], ==, "call-q3");
  free_text = fl_quick_notes_get_free_text (model, notes);
  g_assert_cmpstr (free_text, ==, "Met at the bar.\nLikes coffee.");

  /* A label in any of the model's languages is read back. */
  read_german = fl_quick_notes_get_ids (model, german);
  g_assert_cmpuint (g_strv_length (read_german), ==, 2);
  g_assert_null (fl_quick_notes_get_free_text (model, german));
}

static void
test_foreign_lines (void)
{
  g_autoptr(FlModel) model = demo_model ();
  /* A mark line no quick note claims (an older model's), a line that
   * only mentions a label, and a French chip (a colleague's kiosk). */
  const char *notes = "✓ Send fax\nSend quote later\n✓ Envoyer un devis";
  g_auto(GStrv) ids = fl_quick_notes_get_ids (model, notes);
  g_autofree char *free_text = fl_quick_notes_get_free_text (model, notes);

  g_assert_cmpuint (g_strv_length (ids), ==, 1);
  g_assert_cmpstr (ids[0], ==, "send-quote");
  g_assert_cmpstr (free_text, ==, "✓ Send fax\nSend quote later");
  g_clear_pointer (&ids, g_strfreev);
  ids = fl_quick_notes_get_ids (model, NULL);
  g_assert_cmpuint (g_strv_length (ids), ==, 0);
}

static void
test_set (void)
{
  g_autoptr(FlModel) model = demo_model ();
  g_autoptr(FlLead) lead = fl_lead_new ();

  fl_lead_set_notes (lead, "Budget owner is Ms Weber.");
  g_assert_true (fl_quick_notes_set (lead, model, "wants-demo", TRUE, FL_LANGUAGE_EN));
  g_assert_true (fl_quick_notes_set (lead, model, "send-quote", TRUE, FL_LANGUAGE_EN));
  g_assert_cmpstr (fl_lead_get_notes (lead), ==, "✓ Send quote\n✓ Wants a demo\nBudget owner is Ms Weber.");
  g_assert_true (fl_quick_notes_has (lead, model, "wants-demo"));

  /* Choosing twice is choosing once; taking back keeps the rest. */
  g_assert_true (fl_quick_notes_set (lead, model, "send-quote", TRUE, FL_LANGUAGE_EN));
  g_assert_true (fl_quick_notes_set (lead, model, "wants-demo", FALSE, FL_LANGUAGE_EN));
  g_assert_false (fl_quick_notes_has (lead, model, "wants-demo"));
  g_assert_cmpstr (fl_lead_get_notes (lead), ==, "✓ Send quote\nBudget owner is Ms Weber.");

  g_assert_false (fl_quick_notes_set (lead, model, "no-such-note", TRUE, FL_LANGUAGE_EN));
  g_assert_true (fl_quick_notes_set (lead, model, "send-quote", FALSE, FL_LANGUAGE_EN));
  g_assert_cmpstr (fl_lead_get_notes (lead), ==, "Budget owner is Ms Weber.");

  fl_lead_set_notes (lead, NULL);
  g_assert_true (fl_quick_notes_set (lead, model, "call-q3", TRUE, FL_LANGUAGE_DE));
  g_assert_true (fl_quick_notes_set (lead, model, "call-q3", FALSE, FL_LANGUAGE_DE));
  g_assert_null (fl_lead_get_notes (lead));
}

static gboolean
collect_row_cb (const char *row, gsize length, const char *uuid, gpointer user_data, GError **error)
{
  g_string_append_len (user_data, row, length);
  return TRUE;
}

/* Stored with the lead, shown again when it is reopened, found by the
 * search, carried by the CSV export and the CRM payload. */
static void
test_stored (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(FlModel) model = demo_model ();
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) other = fl_lead_new ();
  g_autoptr(FlLead) reopened = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_auto(GStrv) ids = NULL;
  FlLeadQuery query = { 0 };

  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Anna Muster");
  fl_lead_set_notes (lead, "Needs a cell for 40 kg parts.");
  fl_quick_notes_set (lead, model, "send-quote", TRUE, FL_LANGUAGE_EN);
  fl_quick_notes_set (lead, model, "call-q3", TRUE, FL_LANGUAGE_EN);
  g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
  g_assert_no_error (error);
  fl_lead_set_field (other, FL_FIELD_FULL_NAME, "Ben Beispiel");
  fl_lead_set_notes (other, "Nothing to quote yet");
  g_assert_true (fl_store_save_lead (fixture->store, other, "Tom", &error));

  reopened = fl_store_get_lead (fixture->store, fl_lead_get_uuid (lead), &error);
  g_assert_no_error (error);
  ids = fl_quick_notes_get_ids (model, fl_lead_get_notes (reopened));
  g_assert_cmpuint (g_strv_length (ids), ==, 2);
  g_assert_cmpstr (ids[0], ==, "send-quote");
  g_assert_cmpstr (ids[1], ==, "call-q3");
  g_assert_true (fl_quick_notes_has (reopened, model, "call-q3"));
  g_assert_false (fl_quick_notes_has (reopened, model, "wants-demo"));
  {
    g_autofree char *free_text = fl_quick_notes_get_free_text (model, fl_lead_get_notes (reopened));
    g_assert_cmpstr (free_text, ==, "Needs a cell for 40 kg parts.");
  }

  query.search = "Q3";
  found = fl_store_list_leads (fixture->store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (fl_lead_get_uuid (g_ptr_array_index (found, 0)), ==, fl_lead_get_uuid (lead));

  g_assert_true (fl_store_export_csv (fixture->store, NULL, collect_row_cb, csv, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (csv->str, "\"✓ Send quote\n✓ Call in Q3\nNeeds a cell for 40 kg parts.\""));

  /* What the webhook connector posts for the lead. */
  payload = fl_lead_to_json_string (reopened, FALSE);
  g_assert_nonnull (strstr (payload, "\"notes\":\"✓ Send quote\\n✓ Call in Q3\\nNeeds a cell"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/quick-notes/compose", test_compose);
  g_test_add_func ("/quick-notes/foreign-lines", test_foreign_lines);
  g_test_add_func ("/quick-notes/set", test_set);
  g_test_add ("/quick-notes/stored", FlTestFixture, NULL,
              fl_test_fixture_setup, test_stored, fl_test_fixture_teardown);
  return g_test_run ();
}
