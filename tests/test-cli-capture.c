/* test-cli-capture.c: fairlead-cli parse-badge, capture and roster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sysexits.h>

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

/* Runs fairlead-cli with --db and the arguments; @input goes to stdin. */
static void
cli (Fixture *fixture, Run *run, const char *input, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, fixture->db);
  va_start (ap, input);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  stdin_bytes = g_bytes_new (input ? input : "", input ? strlen (input) : 0);
  g_subprocess_communicate (process, stdin_bytes, NULL, &out, &err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  run->out = g_strndup (g_bytes_get_size (out) ? g_bytes_get_data (out, NULL) : "", g_bytes_get_size (out));
  run->err = g_strndup (g_bytes_get_size (err) ? g_bytes_get_data (err, NULL) : "", g_bytes_get_size (err));
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  fixture->dir = g_dir_make_tmp ("fairlead-cli-capture-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "fairlead.db", NULL);
  if (data != NULL)
    {
      cli (fixture, &run, NULL, "event", "create", "Hannover Messe 2026", NULL);
      g_assert_cmpint (run.status, ==, 0);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

typedef struct
{
  const char *payload;
  const char *format;
  const char *key;
  const char *value;
} ParseCase;

static void
test_parse_badge_formats (Fixture *fixture, gconstpointer data)
{
  static const ParseCase cases[] = {
    { "BEGIN:VCARD\nVERSION:3.0\nN:Weiß;Jörg\nEND:VCARD", "vcard", "full_name", "Jörg Weiß" },
    { "MECARD:N:Muster,Anna;;", "mecard", "first_name", "Anna" },
    { "BIZCARD:N:Sean;X:Owen;;", "bizcard", "last_name", "Owen" },
    { "{\"ticket\": \"T-1\"}", "json", "badge_id", "T-1" },
    { "https://x.de/b/ABC", "url", "badge_id", "ABC" },
    { "email:a@b.de;company:X", "keyvalue", "company", "X" },
    { "1^2^3", "delimited", NULL, NULL },
    { "ABC-42", "id", "badge_id", "ABC-42" },
    { "Hallo Welt", "unknown", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(JsonObject) object = NULL;

      cli (fixture, &run, NULL, "parse-badge", "--payload", cases[i].payload, NULL);
      g_assert_cmpint (run.status, ==, 0);
      /* Exactly one JSON object, on one line. */
      g_assert_true (g_str_has_suffix (run.out, "}\n"));
      g_assert_true (strchr (run.out, '\n') == run.out + strlen (run.out) - 1);
      object = parse_object (run.out);
      g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, cases[i].format);
      if (cases[i].key != NULL)
        g_assert_cmpstr (json_object_get_string_member (object, cases[i].key), ==, cases[i].value);
      else
        g_assert_cmpuint (json_object_get_size (object), ==, 1);
      /* No database is created just to parse. */
      g_assert_false (g_file_test (fixture->db, G_FILE_TEST_EXISTS));
    }
}

static void
test_parse_badge_stdin_and_errors (Fixture *fixture, gconstpointer data)
{
  g_autofree char *big = g_strnfill (16385, 'x');
  g_auto(Run) from_stdin = { 0 };
  g_auto(Run) latin1 = { 0 };
  g_auto(Run) empty = { 0 };
  g_auto(Run) blank = { 0 };
  g_auto(Run) oversized = { 0 };
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) latin1_object = NULL;

  cli (fixture, &from_stdin, "name:Anna Muster;email: anna@muster.de \n", "parse-badge", NULL);
  g_assert_cmpint (from_stdin.status, ==, 0);
  object = parse_object (from_stdin.out);
  g_assert_cmpstr (json_object_get_string_member (object, "email"), ==, "anna@muster.de");

  /* Bytes that are not UTF-8 are read as Windows-1252, also on the command line. */
  cli (fixture, &latin1, NULL, "parse-badge", "--payload", "name:J\xf6rg Wei\xdf", NULL);
  g_assert_cmpint (latin1.status, ==, 0);
  latin1_object = parse_object (latin1.out);
  g_assert_cmpstr (json_object_get_string_member (latin1_object, "full_name"), ==, "Jörg Weiß");

  cli (fixture, &empty, "", "parse-badge", NULL);
  g_assert_cmpint (empty.status, ==, EX_DATAERR);
  g_assert_cmpstr (empty.out, ==, "");
  g_assert_nonnull (strstr (empty.err, "empty"));

  cli (fixture, &blank, NULL, "parse-badge", "--payload", " \r\n", NULL);
  g_assert_cmpint (blank.status, ==, EX_DATAERR);

  cli (fixture, &oversized, big, "parse-badge", NULL);
  g_assert_cmpint (oversized.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (oversized.err, "16384"));
}

static void
write_file (Fixture *fixture, const char *name, const char *contents, char **path)
{
  g_autoptr(GError) error = NULL;

  *path = g_build_filename (fixture->dir, name, NULL);
  g_file_set_contents (*path, contents, -1, &error);
  g_assert_no_error (error);
}

static void
test_roster_and_resolve (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = NULL;
  g_auto(Run) import = { 0 };
  g_auto(Run) json = { 0 };
  g_auto(Run) parse = { 0 };
  g_auto(Run) lookup = { 0 };
  g_auto(Run) missing = { 0 };
  g_auto(Run) bad_map = { 0 };
  g_auto(Run) no_file = { 0 };
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) parsed = NULL;

  write_file (fixture, "teilnehmer.csv",
              "\xef\xbb\xbf" "Ticket;Vorname;Nachname;Firma;E-Mail;Sitz\r\n"
              "HM-1;Anna;M\xfcller;Muster GmbH;anna@muster.de;A1\r\n"
              ";Ohne;Ticket;X;;\r\n"
              "HM-2;\"Kai\r\nPeter\";Lehmann;K AG;kai@k.de;\r\n",
              &path);
  cli (fixture, &import, NULL, "roster", "import", path, NULL);
  g_assert_cmpint (import.status, ==, 0);
  g_assert_nonnull (strstr (import.out, "2 attendees imported, 0 updated, 1 row skipped"));
  g_assert_nonnull (strstr (import.out, "teilnehmer.csv:3: skipped: no badge id"));

  cli (fixture, &json, NULL, "roster", "import", "--json", "--map", "Sitz=ignore", path, NULL);
  g_assert_cmpint (json.status, ==, 0);
  report = parse_object (json.out);
  g_assert_cmpint (json_object_get_int_member (report, "imported"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (report, "updated"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (
    json_array_get_object_element (json_object_get_array_member (report, "skipped"), 0), "line"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (report, "delimiter"), ==, ";");

  cli (fixture, &parse, NULL, "parse-badge", "--payload", "HM-1", NULL);
  g_assert_cmpint (parse.status, ==, 0);
  parsed = parse_object (parse.out);
  g_assert_cmpstr (json_object_get_string_member (parsed, "format"), ==, "id");
  g_assert_cmpstr (json_object_get_string_member (parsed, "full_name"), ==, "Anna Müller");
  g_assert_cmpstr (json_object_get_string_member (parsed, "company"), ==, "Muster GmbH");

  cli (fixture, &lookup, NULL, "roster", "lookup", "HM-2", NULL);
  g_assert_cmpint (lookup.status, ==, 0);
  g_assert_nonnull (strstr (lookup.out, "Kai Peter"));

  cli (fixture, &missing, NULL, "roster", "lookup", "HM-404", NULL);
  g_assert_cmpint (missing.status, ==, EX_NOINPUT);

  cli (fixture, &bad_map, NULL, "roster", "import", "--map", "Nope=badge_id", path, NULL);
  g_assert_cmpint (bad_map.status, ==, EX_USAGE);
  g_assert_nonnull (strstr (bad_map.err, "Nope"));

  cli (fixture, &no_file, NULL, "roster", "import", "/nonexistent/list.csv", NULL);
  g_assert_cmpint (no_file.status, ==, EX_NOINPUT);
}

static void
test_capture_and_repeat (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) first = { 0 };
  g_auto(Run) second = { 0 };
  g_auto(Run) list = { 0 };
  g_auto(Run) usage = { 0 };
  g_auto(Run) empty = { 0 };
  g_autoptr(JsonObject) one = NULL;
  g_autoptr(JsonObject) two = NULL;
  JsonObject *answers;

  cli (fixture, &first, NULL, "capture", "--payload",
       "MECARD:N:Muster,Anna;EMAIL:Anna@Muster.de;ORG:Muster GmbH;CONF:HM-7;;",
       "--staff", "Ben", "--answer", "budget=<10k", "--answer", "interest=erp",
       "--answer", "interest=crm", "--consent", "2026-01", NULL);
  g_assert_cmpint (first.status, ==, 0);
  one = parse_object (first.out);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (one, "uuid")));
  g_assert_cmpstr (json_object_get_string_member (one, "status"), ==, "MQL");
  g_assert_cmpint (json_object_get_int_member (one, "score"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (one, "full_name"), ==, "Anna Muster");
  g_assert_cmpstr (json_object_get_string_member (one, "format"), ==, "mecard");
  g_assert_false (json_object_get_boolean_member (one, "merged"));
  answers = json_object_get_object_member (one, "answers");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (answers, "interest")), ==, 2);

  cli (fixture, &second, NULL, "capture", "--payload",
       "BEGIN:VCARD\nVERSION:3.0\nFN:Anna Muster\nEMAIL:anna@muster.de\nTEL;TYPE=WORK:+49 30 1\nEND:VCARD",
       "--source", "card-qr", "--answer", "budget=50k+", "--answer", "rating=4",
       "--interaction", "demo", "--note", "Rückruf Montag", NULL);
  g_assert_cmpint (second.status, ==, 0);
  two = parse_object (second.out);
  g_assert_cmpstr (json_object_get_string_member (two, "uuid"), ==,
                   json_object_get_string_member (one, "uuid"));
  g_assert_true (json_object_get_boolean_member (two, "merged"));
  g_assert_cmpstr (json_object_get_string_member (two, "matched_by"), ==, "email");
  g_assert_cmpstr (json_object_get_string_member (two, "phone"), ==, "+49 30 1");
  g_assert_cmpstr (json_object_get_string_member (two, "notes"), ==, "Rückruf Montag");
  answers = json_object_get_object_member (two, "answers");
  g_assert_cmpstr (json_object_get_string_member (answers, "budget"), ==, "50k+");
  g_assert_cmpint (json_object_get_int_member (answers, "rating"), ==, 4);

  cli (fixture, &list, NULL, "leads", "list", "--json", NULL);
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "repeat-visit"));
  g_assert_null (strstr (strstr (list.out, "\"uuid\"") + 1, "\"uuid\""));

  cli (fixture, &usage, NULL, "capture", "--payload", "X", "--consent", "1", "--no-consent", NULL);
  g_assert_cmpint (usage.status, ==, EX_USAGE);
  g_clear_pointer (&usage.out, g_free);
  g_clear_pointer (&usage.err, g_free);
  cli (fixture, &usage, NULL, "capture", "--payload", "X", "--answer", "novalue", NULL);
  g_assert_cmpint (usage.status, ==, EX_USAGE);
  g_clear_pointer (&usage.out, g_free);
  g_clear_pointer (&usage.err, g_free);
  cli (fixture, &usage, NULL, "capture", "--payload", "X", "--source", "fax", NULL);
  g_assert_cmpint (usage.status, ==, EX_USAGE);

  cli (fixture, &empty, NULL, "capture", "--payload", "", NULL);
  g_assert_cmpint (empty.status, ==, EX_DATAERR);
}

static void
test_capture_delimited_columns (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (fixture->db, &error);
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(Run) run = { 0 };
  g_autoptr(JsonObject) object = NULL;

  /* The badge layout is an event setting. */
  g_assert_no_error (error);
  event = fl_store_get_active_event (store, &error);
  g_assert_no_error (error);
  json_parser_load_from_data (parser, "{\"badge_columns\": [\"badge_id\", \"last_name\", "
                              "\"first_name\", \"company\"]}", -1, &error);
  json_node_unref (event->settings);
  event->settings = json_node_copy (json_parser_get_root (parser));
  g_assert_true (fl_store_update_event (store, event, &error));
  g_clear_object (&store);

  cli (fixture, &run, NULL, "capture", "--payload", "77^Nowak^Ewa^Nowak SA", NULL);
  g_assert_cmpint (run.status, ==, 0);
  object = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "delimited");
  g_assert_cmpstr (json_object_get_string_member (object, "full_name"), ==, "Ewa Nowak");
  g_assert_cmpstr (json_object_get_string_member (object, "badge_id"), ==, "77");
}

/* --quick-note does what a chip does at the kiosk: a line of the note. */
static void
test_capture_quick_notes (Fixture *fixture, gconstpointer data)
{
  g_autofree char *model = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json", NULL);
  g_auto(Run) none = { 0 };
  g_auto(Run) load = { 0 };
  g_auto(Run) run = { 0 };
  g_auto(Run) unknown = { 0 };
  g_autoptr(JsonObject) lead = NULL;

  /* No model, no quick notes: said, nothing saved. */
  cli (fixture, &none, NULL, "capture", "--payload", "MECARD:N:Berg,Bea;EMAIL:bea@berg.example;;",
       "--quick-note", "send-quote", NULL);
  g_assert_cmpint (none.status, ==, 64);
  g_assert_nonnull (strstr (none.err, "--quick-note needs the event’s scoring model"));

  cli (fixture, &load, NULL, "model", "load", model, NULL);
  g_assert_cmpint (load.status, ==, 0);
  cli (fixture, &run, NULL, "capture", "--payload", "MECARD:N:Berg,Bea;EMAIL:bea@berg.example;;",
       "--quick-note", "call-q3", "--quick-note", "send-quote", "--note", "Needs 3 cells.", NULL);
  g_assert_cmpint (run.status, ==, 0);
  lead = parse_object (run.out);
  g_assert_cmpstr (json_object_get_string_member (lead, "notes"), ==,
                   "✓ Send quote\n✓ Call in Q3\nNeeds 3 cells.");

  cli (fixture, &unknown, NULL, "capture", "--payload", "MECARD:N:Cord,Carl;EMAIL:carl@cord.example;;",
       "--quick-note", "send-fax", NULL);
  g_assert_cmpint (unknown.status, ==, 64);
  g_assert_nonnull (strstr (unknown.err, "no quick note “send-fax” (it has: send-quote, wants-demo, call-q3"));
}

static void
test_capture_without_event (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };

  cli (fixture, &run, NULL, "capture", "--payload", "HM-1", NULL);
  g_assert_cmpint (run.status, ==, EX_CONFIG);
  g_assert_nonnull (strstr (run.err, "event create"));
}

int
main (int argc, char **argv)
{
  static const int with_event = 1;

  g_test_init (&argc, &argv, NULL);

  g_test_add ("/cli/parse-badge/formats", Fixture, NULL, fixture_set_up, test_parse_badge_formats, fixture_tear_down);
  g_test_add ("/cli/parse-badge/stdin-and-errors", Fixture, NULL, fixture_set_up, test_parse_badge_stdin_and_errors, fixture_tear_down);
  g_test_add ("/cli/roster/import-and-resolve", Fixture, &with_event, fixture_set_up, test_roster_and_resolve, fixture_tear_down);
  g_test_add ("/cli/capture/repeat-visit", Fixture, &with_event, fixture_set_up, test_capture_and_repeat, fixture_tear_down);
  g_test_add ("/cli/capture/delimited-columns", Fixture, &with_event, fixture_set_up, test_capture_delimited_columns, fixture_tear_down);
  g_test_add ("/cli/capture/without-event", Fixture, NULL, fixture_set_up, test_capture_without_event, fixture_tear_down);
  g_test_add ("/cli/capture/quick-notes", Fixture, &with_event, fixture_set_up, test_capture_quick_notes, fixture_tear_down);

  return g_test_run ();
}
