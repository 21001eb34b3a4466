/* test-cli.c: fairlead-cli as a user runs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "lead/fl-export.h"
#include "store/fl-store-private.h"
#include "store/fl-store.h"

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
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs fairlead-cli with the fixture's database; @input goes to stdin. */
static void
run_cli (Fixture *fixture, Run *run, const char *input, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "FAIRLEAD_DB", fixture->db, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("fairlead-cli-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", fixture->dir);
  g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_help (Fixture *fixture, gconstpointer data)
{
  const char *commands[][3] = {
    { "--help", NULL }, { "event", "--help" }, { "event", "create", "--help" },
    { "event", "list", "--help" }, { "event", "use", "--help" }, { "leads", "--help" },
    { "leads", "import", "--help" }, { "leads", "list", "--help" }, { "leads", "show", "--help" },
    { "export", "--help" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (fixture, &run, NULL, commands[i][0], commands[i][1], commands[i][2], NULL);
      g_assert_cmpint (run.status, ==, 0);
      g_assert_true (strstr (run.out, "Usage:") != NULL);
    }
  /* --help never creates a database. */
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
}

static void
test_usage_errors (Fixture *fixture, gconstpointer data)
{
  const struct { const char *args[4]; const char *message; } cases[] = {
    { { NULL }, "Usage:" },
    { { "frobnicate" }, "Unknown command “frobnicate”" },
    { { "event", "create" }, "exactly one NAME" },
    { { "event", "create", "X", "--starts=tomorrow" }, "not a date written YYYY-MM-DD" },
    { { "event", "create", "X", "--bogus" }, "Unknown option --bogus" },
    { { "leads", "list", "--status", "HOT" }, "Unknown status “HOT”" },
    { { "leads", "import" }, "needs a FILE" },
    { { "export" }, "--format csv" },
    { { "export", "--format", "xlsx" }, "Unknown format “xlsx”" },
    { { "--db" }, "--db needs a path" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };

      run_cli (fixture, &run, NULL, cases[i].args[0], cases[i].args[1], cases[i].args[2],
               cases[i].args[3], NULL);
      g_assert_cmpint (run.status, ==, EX_USAGE);
      g_assert_nonnull (strstr (run.err, cases[i].message));
      /* One line, so scripts can show it as it is. */
      if (i > 0)
        g_assert_cmpint (strchr (run.err, '\n') - run.err, ==, strlen (run.err) - 1);
    }
}

static void
test_events (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *first_uuid = NULL;
  JsonArray *array;

  run_cli (fixture, &run, NULL, "event", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "No events yet"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "event", "create", "Hannover Messe", "--starts", "2026-04-20",
           "--ends", "2026-04-24", "--venue", "Messegelände Hannover", "--booth", "Halle 17, C12", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Hannover Messe"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "event", "create", "SPS", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "event", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  list = parse_json (run.out);
  array = json_node_get_array (list);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < 2; i++)
    {
      JsonObject *event = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (event, "name"), "Hannover Messe") == 0)
        {
          first_uuid = g_strdup (json_object_get_string_member (event, "uuid"));
          g_assert_false (json_object_get_boolean_member (event, "active"));
          g_assert_cmpstr (json_object_get_string_member (event, "venue"), ==, "Messegelände Hannover");
        }
    }
  g_assert_nonnull (first_uuid);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "event", "use", first_uuid, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (fixture, &run, NULL, "event", "list", NULL);
  g_assert_true (g_str_has_prefix (run.out, "*") ? strstr (run.out, "* ") != NULL : TRUE);
  g_assert_nonnull (strstr (run.out, "* "));
  g_assert_nonnull (strstr (strstr (run.out, "* "), "Hannover Messe"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "event", "use", "nope", NULL);
  g_assert_cmpint (run.status, ==, EX_NOINPUT);
  g_assert_nonnull (strstr (run.err, "There is no event “nope”"));
}

static const char leads_jsonl[] =
  "{\"uuid\": \"11111111-1111-4111-8111-111111111111\", \"first_name\": \"Jürgen\", \"last_name\": \"Müller\","
  " \"company\": \"Müller Fördertechnik GmbH\", \"email\": \"j.mueller@example.de\", \"status\": \"SAL\", \"score\": 70}\n"
  "\n"
  "{\"uuid\": \"22222222-2222-4222-8222-222222222222\", \"full_name\": \"=1+2\", \"company\": \"Evil, Inc.\","
  " \"notes\": \"line one\\nline \\\"two\\\"\"}\n"
  "{\"first_name\": \"No uuid\"}\n"
  "{\"uuid\": \"33333333-3333-4333-8333-333333333333\", \"status\": \"HOT\"}\n"
  "{broken\n"
  "{\"uuid\": \"44444444-4444-4444-8444-444444444444\", \"first_name\": \"Zoë\", \"status\": \"DISQUALIFIED\"}\n";

static void
create_event_cli (Fixture *fixture)
{
  g_auto(Run) run = { 0 };

  run_cli (fixture, &run, NULL, "event", "create", "Test Show", NULL);
  g_assert_cmpint (run.status, ==, 0);
}

static void
test_leads (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autoptr(JsonNode) shown = NULL;
  g_autofree char *file = g_build_filename (fixture->dir, "leads.jsonl", NULL);

  create_event_cli (fixture);
  g_assert_true (g_file_set_contents (file, leads_jsonl, -1, NULL));

  run_cli (fixture, &run, NULL, "leads", "import", file, NULL);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_cmpstr (run.out, ==, "11111111-1111-4111-8111-111111111111\n"
                                "22222222-2222-4222-8222-222222222222\n"
                                "44444444-4444-4444-8444-444444444444\n");
  g_assert_nonnull (strstr (run.err, "leads.jsonl:4: The lead has no “uuid”"));
  g_assert_nonnull (strstr (run.err, "leads.jsonl:5: Unknown status “HOT”"));
  g_assert_nonnull (strstr (run.err, "leads.jsonl:6: "));
  g_assert_nonnull (strstr (run.err, "3 leads imported, 3 refused"));
  run_clear (&run);

  /* Re-importing the good ones from stdin as an array updates, never doubles. */
  run_cli (fixture, &run,
           "[{\"uuid\": \"11111111-1111-4111-8111-111111111111\", \"first_name\": \"Jürgen\","
           "  \"last_name\": \"Müller\", \"title\": \"Einkaufsleiter\", \"status\": \"SAL\", \"score\": 75}]",
           "leads", "import", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  list = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), ==, 3);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "list", "--status", "sal", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "Jürgen Müller"));
  g_assert_null (strstr (run.out, "Zoë"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "list", "--search", "muller", NULL);
  g_assert_nonnull (strstr (run.out, "Jürgen Müller"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "show", "11111111-1111-4111-8111-111111111111", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  shown = parse_json (run.out);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (shown), "title"), ==, "Einkaufsleiter");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (shown), "score"), ==, 75);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "show", "11111111-1111-4111-8111-111111111111", NULL);
  g_assert_nonnull (strstr (run.out, "Einkaufsleiter"));
  g_assert_nonnull (strstr (run.out, "SAL"));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "leads", "show", "99999999-9999-4999-8999-999999999999", NULL);
  g_assert_cmpint (run.status, ==, EX_NOINPUT);
  g_assert_nonnull (strstr (run.err, "There is no lead"));
}

static void
test_export (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *out = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  struct stat st;

  create_event_cli (fixture);
  run_cli (fixture, &run, leads_jsonl, "leads", "import", "-", NULL);
  run_clear (&run);
  /* Answers of every JSON kind, as the export prints them from the database. */
  run_cli (fixture, &run,
           "{\"uuid\": \"77777777-7777-4777-8777-777777777777\", \"full_name\": \"Ånswer Ørsted\","
           " \"answers\": {\"timeframe\": \"3m\", \"interests\": [\"vision\", \"robot-cells\"],"
           " \"headcount\": 250, \"ratio\": 0.25, \"demo\": true, \"note\": \"say \\\"hi\\\", \\u00fc\\n\","
           " \"nested\": {\"a\": null, \"ünï\": [1, {\"b\": false}]}}}\n",
           "leads", "import", "-", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);

  run_cli (fixture, &run, NULL, "export", "--format", "csv", "-o", out, NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.err, "Exported 4 leads"));
  g_assert_cmpint (g_stat (out, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (out, &contents, NULL, NULL));
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  g_assert_true (g_str_has_prefix (contents, "uuid,event,created_at,updated_at,"));
  g_assert_nonnull (strstr (contents, ",'=1+2,"));
  g_assert_nonnull (strstr (contents, ",\"Evil, Inc.\","));
  g_assert_nonnull (strstr (contents, "\"line one\nline \"\"two\"\"\""));
  g_assert_nonnull (strstr (contents, "Müller Fördertechnik GmbH"));
  run_clear (&run);

  /* Streamed lead by lead, the file is what the whole list gives, and
   * the export is recorded once, for all four leads. */
  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);
    g_autoptr(GPtrArray) leads = fl_store_list_leads (store, NULL, NULL);
    g_autofree char *expected = fl_export_csv (leads);
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpstr (contents, ==, expected);
    sqlite3_prepare_v2 (fl_store_get_db (store), "SELECT count(*) FROM audit WHERE action = 'exported' "
                        "AND lead_uuid IS NULL AND detail LIKE '4 leads of event % as csv, up to lead %'",
                        -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    stmt = NULL;
    sqlite3_prepare_v2 (fl_store_get_db (store), "SELECT count(*) FROM audit WHERE action = 'exported'",
                        -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
  }

  /* To standard output too. */
  run_cli (fixture, &run, NULL, "export", "--format", "csv", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_cmpstr (run.out, ==, contents);
  run_clear (&run);

  /* A file that cannot be written leaves nothing behind. */
  {
    g_autofree char *missing = g_build_filename (fixture->dir, "no-such-folder", "export.csv", NULL);

    run_cli (fixture, &run, NULL, "export", "--format", "csv", "-o", missing, NULL);
    g_assert_cmpint (run.status, ==, EX_CANTCREAT);
    g_assert_nonnull (strstr (run.err, "Cannot write"));
    g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
    run_clear (&run);
  }

  run_cli (fixture, &run, NULL, "export", "--format", "json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  {
    g_autoptr(JsonNode) node = parse_json (run.out);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 4);
  }
}

/* Leads are committed in batches, but a lead that came through a pipe is
 * committed and printed before the import waits for the next one: the
 * uuid arrives while standard input is still open. */
static void
test_import_trickle (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  GOutputStream *in;
  static const char *uuids[] = { "55555555-5555-4555-8555-555555555555",
                                 "66666666-6666-4666-8666-666666666666" };

  create_event_cli (fixture);
  g_subprocess_launcher_setenv (launcher, "FAIRLEAD_DB", fixture->db, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FAIRLEAD_CLI"), "leads", "import", "-",
                                         NULL);
  g_assert_no_error (error);
  in = g_subprocess_get_stdin_pipe (process);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  for (guint i = 0; i < G_N_ELEMENTS (uuids); i++)
    {
      g_autofree char *lead = g_strdup_printf ("{\"uuid\": \"%s\", \"full_name\": \"Trickle %u\"}\n",
                                               uuids[i], i);
      g_autofree char *line = NULL;

      g_assert_true (g_output_stream_write_all (in, lead, strlen (lead), NULL, NULL, &error));
      g_assert_true (g_output_stream_flush (in, NULL, &error));
      /* Blocks until the importer prints it: a hang here is the bug. */
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (line, ==, uuids[i]);
    }
  g_assert_true (g_output_stream_close (in, NULL, &error));
  g_assert_true (g_subprocess_wait_check (process, NULL, &error));
  g_assert_no_error (error);
}

static void
test_refusals (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *text = g_build_filename (fixture->dir, "notes.txt", NULL);
  g_autofree char *contents = NULL;

  g_assert_true (g_file_set_contents (text, "not a database\n", -1, NULL));
  run_cli (fixture, &run, NULL, "--db", text, "event", "list", NULL);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "is not a Fairlead database"));
  g_assert_true (g_file_get_contents (text, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "not a database\n");
  run_clear (&run);

  /* No event yet: listing leads works, importing says what to do. */
  run_cli (fixture, &run, NULL, "leads", "list", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (fixture, &run, NULL, "leads", "import", "/nonexistent/leads.json", NULL);
  g_assert_cmpint (run.status, ==, EX_NOINPUT);
  g_assert_nonnull (strstr (run.err, "/nonexistent/leads.json"));
}

static void
test_demo (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *demo_db = g_build_filename (fixture->dir, "fairlead", "demo.db", NULL);

  run_cli (fixture, &run, NULL, "--demo", "leads", "list", "--json", NULL);
  g_assert_cmpint (run.status, ==, 0);
  list = parse_json (run.out);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (list)), >=, 10);
  /* The demo has its own database; the real one is untouched. */
  g_assert_true (g_file_test (demo_db, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
  run_clear (&run);

  run_cli (fixture, &run, NULL, "--demo", "--db", "x.db", "event", "list", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
}

/* The usage error and the help list the connector types from the core. */
static void
test_connector_type_usage (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };

  run_cli (fixture, &run, NULL, "connector", "add", "crm", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
  g_assert_nonnull (strstr (run.err, "webhook, hubspot, salesforce, dynamics, zoho, pipedrive, csv"));
  run_clear (&run);
  run_cli (fixture, &run, NULL, "connector", "add", "--help", NULL);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "--type=webhook|hubspot|salesforce|dynamics|zoho|pipedrive|csv"));
}

static void
test_staff (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *contents = NULL;

  run_cli (fixture, &run, "2468\n", "staff", "add", "Änne Groß", NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (fixture, &run, "12\n", "staff", "add", "Tom", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
  g_assert_nonnull (strstr (run.err, "4 to 12 digits"));
  run_clear (&run);
  run_cli (fixture, &run, "", "staff", "add", "Tom", NULL);
  g_assert_cmpint (run.status, ==, EX_USAGE);
  run_clear (&run);
  run_cli (fixture, &run, NULL, "staff", "list", NULL);
  g_assert_cmpstr (run.out, ==, "Änne Groß\n");
  run_clear (&run);
  /* The PIN is nowhere in the database, only its hash. */
  g_assert_true (g_file_get_contents (fixture->db, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "2468"));
  run_cli (fixture, &run, NULL, "staff", "remove", "Nobody", NULL);
  g_assert_cmpint (run.status, ==, EX_NOINPUT);
}

/* A business card with a QR code: the code wins over OCR and goes through
 * the badge parser. */
static void
test_read_card_qr (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };
  g_autofree char *png = g_build_filename (fixture->dir, "card.png", NULL);
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  run_cli (fixture, &run, NULL, "qr", "BEGIN:VCARD\nVERSION:3.0\nN:Weiß;Jörg\nORG:Weiß Automation AG\n"
           "EMAIL:j.weiss@weiss-automation.ch\nEND:VCARD", "-o", png, NULL);
  g_assert_cmpint (run.status, ==, 0);
  run_clear (&run);
  run_cli (fixture, &run, NULL, "read-card", png, NULL);
  g_assert_cmpint (run.status, ==, 0);
  node = parse_json (run.out);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "source"), ==, "card-qr");
  g_assert_cmpstr (json_object_get_string_member (object, "last_name"), ==, "Weiß");
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "j.weiss@weiss-automation.ch");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("FAIRLEAD_CLI") == NULL)
    {
      g_test_skip ("FAIRLEAD_CLI is not set; run through meson test");
      return g_test_run ();
    }

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/cli/help", test_help);
  ADD ("/cli/usage-errors", test_usage_errors);
  ADD ("/cli/connector-type-usage", test_connector_type_usage);
  ADD ("/cli/events", test_events);
  ADD ("/cli/leads", test_leads);
  ADD ("/cli/export", test_export);
  ADD ("/cli/import-trickle", test_import_trickle);
  ADD ("/cli/refusals", test_refusals);
  ADD ("/cli/demo", test_demo);
  ADD ("/cli/staff", test_staff);
  ADD ("/cli/read-card-qr", test_read_card_qr);
#undef ADD

  return g_test_run ();
}
