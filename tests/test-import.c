/* test-import.c: leads import writes a batch with one statement per table
 *
 * The batch path (_fl_store_save_leads_in_transaction()) must leave the
 * database exactly as saving the same leads one at a time does: rows,
 * scores, breakdowns, answers, interactions, the consent ledger, the
 * outbox (consent gate), the audit, the full-text index and the booth
 * change log. A lead the batch cannot write is refused alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fl-test.h"
#include "store/fl-import.h"

#define EVENT "0e0e0e0e-0e0e-4e0e-8e0e-0e0e0e0e0e0e"

/* Consent required, a connector: the outbox and the gate take part. */
static FlStore *
open_store (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(GError) error = NULL;
  FlStore *store = fl_store_open (path, &error);

  g_assert_no_error (error);
  event->uuid = g_strdup (EVENT);
  event->name = g_strdup ("Fjord Expo");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_exec (store,
                                "UPDATE events SET settings = '{\"consent_required\":true}';"
                                "INSERT INTO connectors (name, type, url, created_at) VALUES "
                                "('hook', 'webhook', 'http://127.0.0.1:9/', '2026-06-01T00:00:00Z')",
                                &error));
  g_assert_no_error (error);
  return store;
}

/* Leads of every kind the importer takes; a later call with another
 * @shift gives some of them other answers, scores, consents (an update). */
static char *
make_leads (guint first, guint n, const char *first_name, guint shift)
{
  GString *out = g_string_new (NULL);

  for (guint i = first; i < first + n; i++)
    {
      guint k = i + shift;

      g_string_append_printf (out,
                              "{\"uuid\": \"%08x-1111-4111-8111-111111111111\", \"device\": \"kiosk-1\","
                              " \"created_at\": \"2026-06-23T10:%02u:00.000Z\", \"first_name\": \"%s %u\","
                              " \"last_name\": \"Weiß\", \"company\": \"Söhne %u GmbH\", \"email\": \"l%u@example.de\"",
                              i, i % 60, first_name, i, i % 7, i);
      if (k % 3 == 0)
        g_string_append (out, ", \"answers\": {\"timeframe\": \"3m\", \"n\": 4, \"list\": [1, \"a\", null], \"ok\": true}");
      if (k % 4 == 0)
        g_string_append (out, ", \"interactions\": [{\"kind\": \"badge-scan\", \"at\": \"2026-06-23T10:00:00Z\"}, {\"kind\": \"demo\"}]");
      if (k % 5 == 0)
        g_string_append (out, ", \"consent\": {\"given\": true, \"version\": \"v1\", \"sha256\": \"abc\", \"language\": \"de\", \"method\": \"tap\", \"at\": \"2026-06-23T10:01:00Z\"}");
      if (k % 5 == 1)
        g_string_append (out, ", \"consent\": {\"given\": false, \"version\": \"v1\", \"at\": \"2026-06-23T10:01:00Z\"}");
      if (k % 6 == 0)
        g_string_append (out, ", \"score\": 45, \"status\": \"SAL\"");
      if (k % 7 == 0)
        g_string_append (out, ", \"model\": {\"name\": \"m\", \"version\": 3, \"sha256\": \"ff\"}, \"breakdown\": [{\"rule\": \"x\", \"points\": 5}]");
      if (k % 8 == 0)
        g_string_append (out, ", \"status_override\": {\"status\": \"DISQUALIFIED\", \"by\": \"Tom\", \"reason\": \"competitor\"}");
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  GPtrArray *uuids;
  GString   *errors;
} Seen;

static void
lead_cb (FlLead *lead, gpointer user_data)
{
  Seen *seen = user_data;

  g_ptr_array_add (seen->uuids, g_strdup (fl_lead_get_uuid (lead)));
}

static void
error_cb (const char *where, const GError *error, gpointer user_data)
{
  Seen *seen = user_data;

  g_string_append_printf (seen->errors, "%s: %s\n", where, error->message);
}

static gssize
import_text (FlStore *store, const char *text, Seen *seen)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_data (g_strdup (text), -1, g_free);
  g_autoptr(GError) error = NULL;
  gssize n = fl_import_leads (store, input, "leads.jsonl", lead_cb, error_cb, seen, &error);

  g_assert_no_error (error);
  return n;
}

/* The same leads, one transaction each, by fl_store_save_lead(). */
static void
save_one_at_a_time (FlStore *store, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(FlLead) lead = NULL;
      g_autoptr(GError) error = NULL;

      if (*lines[i] == '\0')
        continue;
      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      lead = fl_lead_new_from_json (json_parser_get_root (parser), &error);
      g_assert_no_error (error);
      g_assert_true (fl_store_save_lead (store, lead, "import", &error));
      g_assert_no_error (error);
    }
}

/* Everything a save writes, without what differs by nature (row ids, the
 * time of the save, the kiosk's own device id and clock). */
static char *
dump (FlStore *store)
{
  static const char *const queries[] = {
    "SELECT uuid, event, created_at, updated_at, captured_by, device, source, raw_payload, "
    "badge_id, first_name, last_name, full_name, email, company, notes, override_status, "
    "override_by, override_reason, upload_state, sort_name FROM leads ORDER BY uuid",
    "SELECT l.uuid, s.score, s.status, s.model_name, s.model_version, s.model_sha256 "
    "FROM lead_scores s JOIN leads l ON l.id = s.lead_id ORDER BY 1",
    "SELECT l.uuid, b.breakdown FROM lead_breakdowns b JOIN leads l ON l.id = b.lead_id ORDER BY 1",
    "SELECT l.uuid, a.question_id, a.value FROM answers a JOIN leads l ON l.id = a.lead_id ORDER BY 1, 2",
    "SELECT l.uuid, i.kind, i.at FROM interactions i JOIN leads l ON l.id = i.lead_id ORDER BY 1, 2, 3",
    "SELECT l.uuid, c.text_version, c.text_sha256, c.language, c.given, c.method, c.staff, c.at, "
    "c.text_source FROM consents c JOIN leads l ON l.id = c.lead_id ORDER BY 1, c.id",
    "SELECT l.uuid, o.connector, o.state, o.attempts FROM outbox o JOIN leads l ON l.id = o.lead_id ORDER BY 1",
    "SELECT lead_uuid, actor, action, detail FROM audit WHERE lead_uuid IS NOT NULL ORDER BY lead_uuid, id",
    "SELECT tbl, row_key, data FROM changes WHERE tbl IN ('leads', 'answers', 'interactions', 'consents') "
    "ORDER BY tbl, row_key, data",
    "SELECT tbl, count(*) FROM changes GROUP BY tbl ORDER BY tbl",
    "SELECT rowid FROM leads_fts WHERE leads_fts MATCH 'weiss' ORDER BY 1",
    "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'sohne'",
  };
  GString *out = g_string_new (NULL);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GError) error = NULL;
      sqlite3_stmt *stmt = fl_store_prepare (store, queries[q], &error);

      g_assert_no_error (error);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *text = (const char *) sqlite3_column_text (stmt, c);
              g_string_append_printf (out, "%s|", text ? text : "∅");
            }
          g_string_append_c (out, '\n');
        }
      sqlite3_reset (stmt);
      g_string_append (out, "--\n");
    }
  return g_string_free (out, FALSE);
}

static void
test_batch_same_as_one_at_a_time (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fairlead-test-XXXXXX", NULL);
  g_autofree char *first = make_leads (0, 700, "Anna", 0);
  g_autofree char *again = make_leads (500, 350, "Bert", 1);  /* 200 updates, 150 new */
  g_autofree char *batched_dump = NULL;
  g_autofree char *single_dump = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) errors = g_string_new (NULL);
  Seen seen = { uuids, errors };
  FlStore *batched = open_store (dir, "batched.db");
  FlStore *single = open_store (dir, "single.db");

  g_assert_cmpint (import_text (batched, first, &seen), ==, 700);
  g_assert_cmpint (import_text (batched, again, &seen), ==, 350);
  g_assert_cmpstr (errors->str, ==, "");
  g_assert_cmpuint (uuids->len, ==, 1050);
  g_assert_cmpstr (g_ptr_array_index (uuids, 0), ==, "00000000-1111-4111-8111-111111111111");
  g_assert_cmpstr (g_ptr_array_index (uuids, 699), ==, "000002bb-1111-4111-8111-111111111111");
  save_one_at_a_time (single, first);
  save_one_at_a_time (single, again);

  batched_dump = dump (batched);
  single_dump = dump (single);
  g_assert_cmpstr (batched_dump, ==, single_dump);
  /* The dump holds what it should: the gate let only given consents out. */
  g_assert_cmpint (fl_test_query_int (batched, "SELECT count(*) FROM outbox"), ==,
                   fl_test_query_int (batched, "SELECT count(*) FROM leads l WHERE "
                                               FL_STORE_SQL_UPLOAD_ALLOWED ("l")));
  g_assert_cmpint (fl_test_query_int (batched, "SELECT count(*) FROM outbox"), >, 0);
  g_assert_cmpint (fl_test_query_int (batched, "SELECT count(*) FROM audit WHERE action = 'updated'"), ==, 200);
  g_assert_cmpint (fl_test_query_int (batched, "SELECT count(*) FROM lead_breakdowns"), >, 0);

  g_assert_finalize_object (batched);
  g_assert_finalize_object (single);
  fl_test_remove_tree (dir);
}

/* A lead only the database refuses (an event that does not exist) and
 * one with an interaction without kind, in the middle of a batch: each
 * is refused alone with its line and reason, the others are saved and
 * reported in their order. */
static void
test_bad_lead_in_batch (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) errors = g_string_new (NULL);
  g_autoptr(GString) text = g_string_new (NULL);
  Seen seen = { uuids, errors };

  for (guint i = 0; i < 10; i++)
    {
      const char *extra = "";

      if (i == 3)
        extra = ", \"event\": \"99999999-9999-4999-8999-999999999999\"";
      else if (i == 6)
        extra = ", \"interactions\": [{\"at\": \"2026-06-23T10:00:00Z\"}]";
      g_string_append_printf (text, "{\"uuid\": \"%08x-2222-4222-8222-222222222222\", "
                                    "\"first_name\": \"Lead %u\"%s}\n", i, i, extra);
    }
  g_assert_cmpint (import_text (fixture->store, text->str, &seen), ==, 8);
  g_assert_cmpstr (errors->str, ==,
                   "leads.jsonl:4: Database error: FOREIGN KEY constraint failed\n"
                   "leads.jsonl:7: interactions[0] has no “kind”\n");
  g_assert_cmpuint (uuids->len, ==, 8);
  g_assert_cmpstr (g_ptr_array_index (uuids, 2), ==, "00000002-2222-4222-8222-222222222222");
  g_assert_cmpstr (g_ptr_array_index (uuids, 3), ==, "00000004-2222-4222-8222-222222222222");
  g_assert_cmpstr (g_ptr_array_index (uuids, 7), ==, "00000009-2222-4222-8222-222222222222");
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 8);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE lead_uuid IS NOT NULL"), ==, 8);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'lead'"), ==, 8);
  /* Nothing of the refused leads was left behind. */
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM changes WHERE row_key LIKE '00000003-%' OR row_key LIKE '00000006-%'"), ==, 0);
}

/* The same lead twice in one batch: captured, then updated, as two saves. */
static void
test_same_lead_twice (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) errors = g_string_new (NULL);
  Seen seen = { uuids, errors };

  g_assert_cmpint (import_text (fixture->store,
                                "{\"uuid\": \"33333333-3333-4333-8333-333333333333\", \"first_name\": \"Ida\","
                                " \"answers\": {\"timeframe\": \"3m\"}}\n"
                                "{\"uuid\": \"44444444-4444-4444-8444-444444444444\", \"first_name\": \"Udo\"}\n"
                                "{\"uuid\": \"33333333-3333-4333-8333-333333333333\", \"first_name\": \"Ida Marie\","
                                " \"answers\": {\"budget\": \"planned\"}}\n",
                                &seen), ==, 3);
  g_assert_cmpstr (errors->str, ==, "");
  g_assert_cmpuint (uuids->len, ==, 3);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 2);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM leads WHERE first_name = 'Ida Marie'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM answers a JOIN leads l ON l.id = a.lead_id "
                                      "WHERE l.uuid LIKE '3333%' AND a.question_id = 'budget'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM answers"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM audit WHERE lead_uuid LIKE '3333%' AND action = 'captured'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM audit WHERE lead_uuid LIKE '3333%' AND action = 'updated'"), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/batch-same-as-one-at-a-time", test_batch_same_as_one_at_a_time);
  g_test_add ("/import/bad-lead-in-batch", FlTestFixture, NULL, fl_test_fixture_setup,
              test_bad_lead_in_batch, fl_test_fixture_teardown);
  g_test_add ("/import/same-lead-twice", FlTestFixture, NULL, fl_test_fixture_setup,
              test_same_lead_twice, fl_test_fixture_teardown);
  return g_test_run ();
}
