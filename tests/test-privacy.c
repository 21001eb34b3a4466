/* test-privacy.c: access, erasure and retention on real database files
 *
 * Retention has tests of its own, in test-retention.c.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>
#include <sysexits.h>

#include "store/fl-audit.h"
#include "store/fl-privacy.h"
#include "fl-test.h"

typedef FlTestFixture Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Privacy Fair");
  event->starts_on = g_strdup ("2026-03-02");
  event->ends_on = g_strdup ("2026-03-05");
  json_object_set_int_member (json_node_get_object (event->settings), FL_SETTING_RETENTION_DAYS, 30);
  fl_test_fixture_open (fixture, "kiosk.db", event);
}

static FlLead *
save_lead (Fixture *fixture, const char *first, const char *last, const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = json_node_new (JSON_NODE_VALUE);
  FlLead *lead = fl_lead_new ();

  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Quokka Robotics GmbH");
  fl_lead_set_notes (lead, "Call back about the pilot");
  fl_lead_set_raw_payload (lead, email);
  json_node_set_string (answer, "3 months");
  fl_lead_set_answer (lead, "timeframe", answer);
  fl_lead_add_interaction (lead, "badge-scan", NULL);
  g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
  g_assert_no_error (error);
  return lead;
}

static void
give_consent (Fixture *fixture, FlLead *lead, gboolean given, const char *at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) consent = fl_json_new_object ();
  JsonObject *object = json_node_get_object (consent);

  json_object_set_string_member (object, "version", "2026-1");
  json_object_set_string_member (object, "language", "de");
  json_object_set_boolean_member (object, "given", given);
  json_object_set_string_member (object, "method", "checkbox");
  json_object_set_string_member (object, "at", at);
  fl_lead_set_consent (lead, consent);
  g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
  g_assert_no_error (error);
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
test_export (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Quendolin", "Zwirbelmeier", "q.zwirbelmeier@quokka.example");
  g_autoptr(FlLead) other = save_lead (fixture, "Ada", "Other", "ada@other.example");
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) export = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *first;

  give_consent (fixture, lead, TRUE, "2026-03-02T10:00:00.000Z");
  give_consent (fixture, lead, FALSE, "2026-03-03T11:00:00.000Z");
  g_assert_true (fl_store_exec (fixture->store,
    "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x');"
    "INSERT INTO outbox (lead_id, connector, state, attempts, queued_at, done_at, remote_id)"
    "  SELECT id, 'crm', 'done', 1, '2026-03-02T10:00:00Z', '2026-03-02T10:01:00Z', 'hs-42'"
    "  FROM leads WHERE email LIKE 'q.%'", &error));

  uuids = fl_privacy_find_leads (fixture->store, "  Q.Zwirbelmeier@QUOKKA.example ", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (uuids->len, ==, 1);
  export = fl_privacy_export_person (fixture->store, uuids, &error);
  g_assert_no_error (error);

  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (export), "leads"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "last_name"), ==, "Zwirbelmeier");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "consent_ledger")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (first, "consent_ledger"), 1), "decision"), ==, "refused");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (first, "uploads"), 0), "remote_id"), ==, "hs-42");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "history")), ==, 3);
  g_assert_nonnull (json_object_get_object_member (first, "answers"));

  g_clear_pointer (&uuids, g_ptr_array_unref);
  uuids = fl_privacy_find_leads (fixture->store, "nobody@example.org", NULL, &error);
  g_assert_cmpuint (uuids->len, ==, 0);
}

static void
test_erase_leaves_no_trace (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Quendolin", "Zwirbelmeier", "q.zwirbelmeier@quokka.example");
  g_autoptr(FlLead) kept = save_lead (fixture, "Ada", "Lovelace", "ada@analytical.example");
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  g_autofree char *uuid = g_strdup (fl_lead_get_uuid (lead));
  const char *needles[] = { "q.zwirbelmeier@quokka.example", "Zwirbelmeier", "zwirbelmeier", "Quendolin" };

  give_consent (fixture, lead, TRUE, "2026-03-02T10:00:00.000Z");
  /* The roster knew the person too. */
  g_assert_true (fl_store_exec (fixture->store,
    "INSERT INTO attendees (event, badge_id, first_name, last_name, email, imported_at)"
    "  SELECT uuid, 'B-1', 'Quendolin', 'Zwirbelmeier', 'Q.Zwirbelmeier@quokka.example', 'x' FROM events", &error));
  /* Several versions of the lead in the WAL and the search index. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *note = g_strdup_printf ("Zwirbelmeier note %u", i);
      fl_lead_set_notes (lead, note);
      g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
    }
  g_assert_true (file_contains (wal, "Zwirbelmeier") || file_contains (fixture->db_path, "Zwirbelmeier"));

  uuids = fl_privacy_find_leads (fixture->store, "q.zwirbelmeier@quokka.example", NULL, &error);
  g_assert_cmpuint (uuids->len, ==, 1);
  g_assert_true (fl_privacy_erase_lead (fixture->store, uuid, "Marketing", &error));
  g_assert_no_error (error);
  g_assert_true (fl_privacy_scrub_files (fixture->store, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      g_test_message ("looking for %s", needles[i]);
      g_assert_false (file_contains (fixture->db_path, needles[i]));
      g_assert_false (file_contains (wal, needles[i]));
    }
  /* The other lead is whole, and the audit knows only that one was erased. */
  g_assert_true (file_contains (fixture->db_path, "Lovelace") || file_contains (wal, "Lovelace"));
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM answers"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM interactions"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM consents"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM attendees"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'zwirbelmeier'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'erased' AND actor = 'Marketing' AND detail IS NULL"), ==, 1);

  g_assert_false (fl_privacy_erase_lead (fixture->store, uuid, "Marketing", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
}

/* A capture discarded at the kiosk goes the way of an erasure, but the
 * roster keeps the visitor and the audit says it was discarded. */
static void
test_discard (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Quendolin", "Zwirbelmeier", "q.zwirbelmeier@quokka.example");
  g_autoptr(FlLead) kept = save_lead (fixture, "Ada", "Lovelace", "ada@analytical.example");
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = g_strdup (fl_lead_get_uuid (lead));

  give_consent (fixture, lead, TRUE, "2026-03-02T10:00:00.000Z");
  g_assert_true (fl_store_exec (fixture->store,
    "INSERT INTO attendees (event, badge_id, first_name, last_name, email, imported_at)"
    "  SELECT uuid, 'B-1', 'Quendolin', 'Zwirbelmeier', 'Q.Zwirbelmeier@quokka.example', 'x' FROM events", &error));
  g_assert_true (fl_store_add_audit (fixture->store, uuid, "Tom", "edited", "Zwirbelmeier", &error));

  g_assert_true (fl_privacy_discard_lead (fixture->store, uuid, "Tom", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM consents"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM answers"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM attendees"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads_fts WHERE leads_fts MATCH 'zwirbelmeier'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE detail LIKE '%Zwirbelmeier%'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM audit WHERE action = 'discarded' AND actor = 'Tom' "
                                      "AND detail = 'accidental scan, discarded at the kiosk'"), ==, 1);

  /* The lead's history, newest first, says what happened but no longer what it held. */
  {
    g_autoptr(GPtrArray) history = fl_store_list_audit (fixture->store, uuid, &error);
    FlAuditEntry *entry;

    g_assert_no_error (error);
    g_assert_cmpuint (history->len, >=, 2);
    entry = history->pdata[0];
    g_assert_cmpstr (entry->action, ==, "discarded");
    g_assert_cmpstr (entry->actor, ==, "Tom");
    g_assert_cmpstr (entry->detail, ==, "accidental scan, discarded at the kiosk");
    g_assert_true (g_str_has_suffix (entry->at, "Z"));
    entry = history->pdata[1];
    g_assert_cmpstr (entry->action, ==, "edited");
    g_assert_null (entry->detail);
  }

  /* Discarding twice (a lead never saved, or gone already) is no error. */
  g_assert_true (fl_privacy_discard_lead (fixture->store, uuid, "Tom", &error));
  g_assert_no_error (error);
}

static int
run_cli (Fixture *fixture, char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db_path);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  return g_subprocess_get_exit_status (process);
}

static void
test_cli (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Quendolin", "Zwirbelmeier", "q.zwirbelmeier@quokka.example");
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  char *out = NULL, *err = NULL;

  /* The CLI opens its own connection; ours must not hold the WAL open. */
  g_clear_object (&fixture->store);

  g_assert_cmpint (run_cli (fixture, &out, &err, "person", "export", "--email", "Q.ZWIRBELMEIER@quokka.example", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\"schema\" : \"fairlead.person.v1\""));
  g_assert_nonnull (strstr (out, "Zwirbelmeier"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "person", "export", NULL), ==, EX_USAGE);
  g_assert_nonnull (strstr (err, "either --email or --uuid"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "erase", "--email", "nobody@example.org", "--yes", NULL), ==, EX_NOINPUT);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Not on a terminal and no --yes: nothing happens. */
  g_assert_cmpint (run_cli (fixture, &out, &err, "erase", "--email", "q.zwirbelmeier@quokka.example", NULL), ==, EX_USAGE);
  g_assert_nonnull (strstr (err, "--yes"));
  g_assert_true (file_contains (fixture->db_path, "Zwirbelmeier") || file_contains (wal, "Zwirbelmeier"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "erase", "--email", "q.zwirbelmeier@quokka.example", "--yes", NULL), ==, 0);
  g_assert_nonnull (strstr (out, fl_lead_get_uuid (lead)));
  g_assert_false (file_contains (fixture->db_path, "Zwirbelmeier"));
  g_assert_false (file_contains (wal, "Zwirbelmeier"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_cli (fixture, &out, &err, "purge", "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (err, "0 leads would be deleted"));
  g_free (out);
  g_free (err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fl_test_fixture_teardown)
  ADD ("/privacy/export", test_export);
  ADD ("/privacy/erase-leaves-no-trace", test_erase_leaves_no_trace);
  ADD ("/privacy/discard", test_discard);
  if (g_getenv ("FAIRLEAD_CLI") != NULL)
    ADD ("/privacy/cli", test_cli);
#undef ADD

  return g_test_run ();
}
