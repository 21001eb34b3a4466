/* test-cli-event.c: fairlead-cli event set and event show, as a user runs them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sysexits.h>

#include "store/fl-event-settings.h"
#include "store/fl-privacy.h"
#include "fl-test.h"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

static void
run_cli (Fixture *fixture, Run *run, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  run_clear (run);
  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db);
  va_start (args, run);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };

  fixture->dir = g_dir_make_tmp ("fairlead-cli-event-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
  if (data == NULL)
    {
      run_cli (fixture, &run, "event", "create", "Automatica 2026", "--ends", "2026-06-27", NULL);
      g_assert_cmpint (run.status, ==, EX_OK);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static JsonObject *
show_settings (Fixture *fixture, JsonNode **root)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  run_cli (fixture, &run, "event", "show", "--json", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  json_parser_load_from_data (parser, run.out, -1, &error);
  g_assert_no_error (error);
  *root = json_node_copy (json_parser_get_root (parser));
  return json_object_get_object_member (json_node_get_object (*root), "settings");
}

static gint64
audit_count (Fixture *fixture, const char *detail)
{
  g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);
  char *sql = sqlite3_mprintf ("SELECT count(*) FROM audit WHERE action = 'event-changed' AND detail = '%q'",
                               detail);
  gint64 count = fl_test_query_int (store, sql);

  sqlite3_free (sql);
  return count;
}

/* Every key, set, shown and audited. */
static void
test_set_and_show (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) cleared = NULL;
  JsonObject *settings, *event;

  /* The defaults. */
  settings = show_settings (fixture, &before);
  g_assert_true (json_object_get_null_member (settings, "retention_days"));
  g_assert_true (json_object_get_boolean_member (settings, "consent_required"));
  g_assert_true (json_object_get_null_member (settings, "handout_url"));
  g_assert_true (json_object_get_boolean_member (json_node_get_object (before), "active"));

  run_cli (fixture, &run, "event", "set", "retention_days", "90", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_nonnull (strstr (run.out, "retention_days is now 90"));
  run_cli (fixture, &run, "event", "set", "consent_required", "false", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "handout_url", "https://example.com/whitepaper.pdf", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "privacy_notice.en", "We keep your details for 90 days.", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "privacy_notice.de", "Wir speichern Ihre Angaben 90 Tage.", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "privacy_notice.nl", "Wij bewaren uw gegevens 90 dagen.", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "booth", "Halle B5, Stand 214", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "venue", "Messe München", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);

  settings = show_settings (fixture, &after);
  event = json_node_get_object (after);
  g_assert_cmpint (json_object_get_int_member (settings, "retention_days"), ==, 90);
  g_assert_false (json_object_get_boolean_member (settings, "consent_required"));
  g_assert_cmpstr (json_object_get_string_member (settings, "handout_url"), ==, "https://example.com/whitepaper.pdf");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings, "privacy_notice"), "de"),
                   ==, "Wir speichern Ihre Angaben 90 Tage.");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings, "privacy_notice"), "en"),
                   ==, "We keep your details for 90 days.");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings, "privacy_notice"), "nl"),
                   ==, "Wij bewaren uw gegevens 90 dagen.");
  g_assert_cmpstr (json_object_get_string_member (event, "booth"), ==, "Halle B5, Stand 214");
  g_assert_cmpstr (json_object_get_string_member (event, "venue"), ==, "Messe München");

  /* The text form names each key as event set takes it. */
  run_cli (fixture, &run, "event", "show", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_nonnull (strstr (run.out, "Automatica 2026"));
  g_assert_nonnull (strstr (run.out, "retention_days     90"));
  g_assert_nonnull (strstr (run.out, "consent_required   false"));
  g_assert_nonnull (strstr (run.out, "privacy_notice.de  Wir speichern"));
  g_assert_nonnull (strstr (run.out, "venue              Messe München"));

  /* The core reads what the CLI wrote: the retention gate, the consent gate. */
  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);

    g_assert_cmpint (fl_test_query_int (store, "SELECT json_extract (settings, '$.retention_days') FROM events"),
                     ==, 90);
    g_assert_cmpint (fl_test_query_int (store, "SELECT json_extract (settings, '$.consent_required') FROM events"),
                     ==, 0);
  }

  g_assert_cmpint (audit_count (fixture, "retention_days=90"), ==, 1);
  g_assert_cmpint (audit_count (fixture, "consent_required=false"), ==, 1);
  g_assert_cmpint (audit_count (fixture, "handout_url=https://example.com/whitepaper.pdf"), ==, 1);
  g_assert_cmpint (audit_count (fixture, "privacy_notice.de (set)"), ==, 1);
  g_assert_cmpint (audit_count (fixture, "venue=Messe München"), ==, 1);

  /* none and "" clear. */
  run_cli (fixture, &run, "event", "set", "retention_days", "none", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_nonnull (strstr (run.out, "retention_days is cleared"));
  run_cli (fixture, &run, "event", "set", "privacy_notice.en", "", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "handout_url", "", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  run_cli (fixture, &run, "event", "set", "booth", "", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
  settings = show_settings (fixture, &cleared);
  g_assert_true (json_object_get_null_member (settings, "retention_days"));
  g_assert_true (json_object_get_null_member (settings, "handout_url"));
  g_assert_true (json_object_get_null_member (json_object_get_object_member (settings, "privacy_notice"), "en"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (settings, "privacy_notice"), "de"),
                   ==, "Wir speichern Ihre Angaben 90 Tage.");
  g_assert_true (json_object_get_null_member (json_node_get_object (cleared), "booth"));
  g_assert_cmpint (audit_count (fixture, "retention_days=none"), ==, 1);

  run_cli (fixture, &run, "event", "set", "retention_days", "0", NULL);
  g_assert_cmpint (run.status, ==, EX_OK);
}

/* Bad values: the message says what was wrong, the exit code why, and the
 * event is left as it was. */
static void
test_bad_values (Fixture *fixture, gconstpointer data)
{
  const struct
  {
    const char *key;
    const char *value;
    int         status;
    const char *message;
  } cases[] = {
    { "retention", "30", EX_USAGE, "There is no event setting “retention”; the settings are retention_days, "
                                   "consent_required, handout_url, privacy_notice.en, privacy_notice.de, privacy_notice.fr, "
                                   "privacy_notice.it, privacy_notice.es, privacy_notice.nl, privacy_notice.pl, booth, venue" },
    { "retention_days", "0.5", EX_DATAERR, "retention_days is a whole number of days from 1 to 36500" },
    { "retention_days", "30 days", EX_DATAERR, "“30 days” is not" },
    { "retention_days", "99999999999999999999", EX_DATAERR, "is not" },
    { "consent_required", "maybe", EX_DATAERR, "consent_required is true or false, not “maybe”" },
    { "handout_url", "ftp://example.com/x", EX_DATAERR, "is not a web address" },
    { "handout_url", "example.com", EX_DATAERR, "starting with https://" },
    { "booth", "Halle 1\nStand 2", EX_DATAERR, "The booth must be one line of text" },
    { "venue", "\xff\xfe", EX_DATAERR, "not UTF-8 text" },
  };
  g_autofree char *long_notice = g_strnfill (2001, 'x');
  g_auto(Run) run = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_cli (fixture, &run, "event", "set", cases[i].key, cases[i].value, NULL);
      g_assert_cmpint (run.status, ==, cases[i].status);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, strlen (run.err) - 1);
    }
  /* A negative number after "--", as for any command. */
  run_cli (fixture, &run, "event", "set", "--", "retention_days", "-3", NULL);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "“-3” is not"));
  run_cli (fixture, &run, "event", "set", "privacy_notice.de", long_notice, NULL);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "2001 characters"));

  run_cli (fixture, &run, "event", "set", "retention_days", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
  g_assert_nonnull (strstr (run.err, "needs a KEY and a VALUE"));
  run_cli (fixture, &run, "event", "set", "venue", "x", "--event", "nope", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
  run_cli (fixture, &run, "event", "set", "venue", "x", "--event", "6b1e2a38-8f2e-4c57-9d0a-1f7c1c0b7e11", NULL);
  g_assert_cmpint (run.status, ==, EX_NOINPUT);

  /* Nothing changed, nothing audited. */
  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);

    g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit WHERE action = 'event-changed'"), ==, 0);
    g_assert_cmpint (fl_test_query_int (store, "SELECT settings = '{}' AND venue IS NULL FROM events"), ==, 1);
  }
}

static void
test_no_event (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };

  /* A bad value is refused before a database is even created. */
  run_cli (fixture, &run, "event", "set", "consent_required", "perhaps", NULL);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));

  run_cli (fixture, &run, "event", "set", "consent_required", "true", NULL);
  g_assert_cmpint (run.status, ==, EX_CONFIG);
  g_assert_nonnull (strstr (run.err, "event create"));
  run_cli (fixture, &run, "event", "show", NULL);
  g_assert_cmpint (run.status, ==, EX_CONFIG);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("FAIRLEAD_CLI") == NULL)
    {
      g_test_skip ("FAIRLEAD_CLI is not set");
      return g_test_run ();
    }
  g_test_add ("/cli-event/set-and-show", Fixture, NULL, fixture_set_up, test_set_and_show, fixture_tear_down);
  g_test_add ("/cli-event/bad-values", Fixture, NULL, fixture_set_up, test_bad_values, fixture_tear_down);
  g_test_add ("/cli-event/no-event", Fixture, "no event", fixture_set_up, test_no_event, fixture_tear_down);

  return g_test_run ();
}
