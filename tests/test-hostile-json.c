/* test-hostile-json.c: JSON that is too deep or too large, at every door
 *
 * json-glib's parser recurses once per level: 200,000 brackets used to
 * overflow the stack of `model check` and `leads import`. A 1 GiB notes
 * value used to be "imported" with its uuid printed and stored empty.
 * These run the real fairlead-cli on real files and pipes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sysexits.h>
#include <unistd.h>

#include "fl-test.h"
#include "lead/fl-json.h"
#include "lead/fl-limits.h"
#include "lead/fl-payload.h"
#include "store/fl-store.h"

#define DEEP 200000

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

static GSubprocess *
spawn_cli (Fixture *fixture, const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                      G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->db);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", fixture->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static void
finish (GSubprocess *process, const char *input, Run *run)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  /* A crash (a stack overflow, an ASan report) is no exit at all. */
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %.2000s\nstderr: %.2000s", run->status, run->out, run->err);
}

#define run_cli(fixture, run, input, ...)                                                          \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char *run_args[] = { __VA_ARGS__, NULL };                                                \
    g_autoptr(GSubprocess) run_process = spawn_cli (fixture, run_args);                            \
    finish (run_process, input, run);                                                              \
  }                                                                                                \
  G_STMT_END

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_auto(Run) run = { 0 };

  fixture->dir = g_dir_make_tmp ("fairlead-hostile-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
  run_cli (fixture, &run, NULL, "event", "create", "Hostile Fair");
  g_assert_cmpint (run.status, ==, EX_OK);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

static char *
write_file (Fixture *fixture, const char *name, const char *contents, gssize length)
{
  char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

static char *
deep_array (guint depth)
{
  GString *text = g_string_sized_new (2 * depth + 1);

  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '[');
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

static char *
deep_object (guint depth)
{
  GString *text = g_string_sized_new (7 * depth + 3);

  for (guint i = 0; i < depth; i++)
    g_string_append (text, "{\"a\":");
  g_string_append (text, "1");
  for (guint i = 0; i < depth; i++)
    g_string_append_c (text, '}');
  return g_string_free (text, FALSE);
}

static gint64
count_leads (Fixture *fixture, const char *where)
{
  g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM leads WHERE %s", where);

  g_assert_nonnull (store);
  return fl_test_query_int (store, sql);
}

#define GOOD_1 "6a1c2f8e-0000-4000-8000-000000000001"
#define GOOD_2 "6a1c2f8e-0000-4000-8000-000000000002"
#define BAD "6a1c2f8e-0000-4000-8000-0000000000ba"

/* The scan itself: nesting, strings, escapes, pieces. */
static void
test_scan (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *at_limit = deep_array (FL_LIMIT_JSON_DEPTH);
  g_autofree char *over = deep_array (FL_LIMIT_JSON_DEPTH + 1);
  g_autofree char *in_string = g_strdup_printf ("{\"a\": \"%s\\\"%s\"}", over, over);
  const char *pieces[] = { "{\"uuid\": \"x\", \"no", "tes\": \"ab\\", "\"[[[\", \"email\"", ": \"e\"}" };
  FlJsonScan scan;

  g_assert_true (fl_json_check (at_limit, strlen (at_limit), FL_LIMIT_JSON_DEPTH, &error));
  g_assert_no_error (error);
  g_assert_false (fl_json_check (over, strlen (over), FL_LIMIT_JSON_DEPTH, &error));
  g_assert_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP);
  g_assert_nonnull (strstr (error->message, "64 levels"));
  g_clear_error (&error);
  /* Brackets inside a string, behind an escaped quote, are text. */
  g_assert_true (fl_json_check (in_string, strlen (in_string), FL_LIMIT_JSON_DEPTH, &error));

  /* Fed in pieces that cut a key and an escape in two. */
  fl_json_scan_init (&scan, FL_LIMIT_JSON_DEPTH);
  for (guint i = 0; i < G_N_ELEMENTS (pieces); i++)
    g_assert_true (fl_json_scan_feed (&scan, pieces[i], strlen (pieces[i])));
  g_assert_cmpuint (scan.depth, ==, 0);
  g_assert_cmpstr (scan.longest_key, ==, "notes");
  g_assert_cmpuint (scan.longest_length, ==, strlen ("ab\\\"[[["));

  /* Every JSON entry point parses through the guard. */
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *deep = deep_object (DEEP);

    g_assert_false (fl_json_parser_load (parser, deep, -1, &error));
    g_assert_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP);
    g_clear_error (&error);
    g_assert_null (fl_json_parse (deep, -1, &error));
    g_assert_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP);
  }
}

static void
test_model_deep (Fixture *fixture, gconstpointer data)
{
  g_autofree char *array = deep_array (DEEP);
  g_autofree char *object = deep_object (DEEP);
  g_autofree char *pretty = g_strdup_printf ("{\n  \"name\": \"x\",\n  \"questions\": %s\n}\n", array);
  const char *texts[] = { array, object, pretty };
  const char *names[] = { "deep-array.json", "deep-object.json", "deep-pretty.json" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *path = write_file (fixture, names[i], texts[i], -1);
      g_auto(Run) check = { 0 };
      g_auto(Run) load = { 0 };

      run_cli (fixture, &check, NULL, "model", "check", path);
      g_assert_cmpint (check.status, ==, EX_DATAERR);
      g_assert_nonnull (strstr (check.err, names[i]));
      g_assert_nonnull (strstr (check.err, "nested more than 64 levels deep"));

      run_cli (fixture, &load, NULL, "model", "load", path);
      g_assert_cmpint (load.status, ==, EX_DATAERR);
    }
  /* Pretty-printed, the message says on which line the nesting went too deep. */
  {
    g_autofree char *path = g_build_filename (fixture->dir, "deep-pretty.json", NULL);
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, NULL, "model", "check", path);
    g_assert_nonnull (strstr (run.err, "deep-pretty.json: Line 3:"));
  }
}

/* A model over 4 MiB is refused by its size, without reading it: the
 * file is sparse, 1 GiB long, and takes no room on disk. */
static void
test_model_too_large (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "huge-model.json", "{\"name\": \"", -1);
  g_auto(Run) run = { 0 };

  g_assert_cmpint (truncate (path, (goffset) 1 << 30), ==, 0);
  run_cli (fixture, &run, NULL, "model", "check", path);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "huge-model.json: The model is 1073741824 bytes; the limit is 4194304"));
}

static void
test_import_deep (Fixture *fixture, gconstpointer data)
{
  g_autofree char *array = deep_array (DEEP);
  g_autofree char *object = deep_object (DEEP);
  g_autofree char *lines = g_strdup_printf ("{\"uuid\": \"" GOOD_1 "\"}\n%s\n{\"uuid\": \"" BAD "\", \"answers\": %s}\n"
                                            "{\"uuid\": \"" GOOD_2 "\"}\n", array, object);
  g_autofree char *jsonl = write_file (fixture, "deep.jsonl", lines, -1);
  g_autofree char *json = write_file (fixture, "deep.json", array, -1);
  g_auto(Run) run = { 0 };
  g_auto(Run) whole = { 0 };

  /* JSON Lines: the deep lines are refused, the good ones imported. */
  run_cli (fixture, &run, NULL, "leads", "import", jsonl);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "deep.jsonl:2: The lead is nested more than 64 levels deep"));
  g_assert_nonnull (strstr (run.err, "deep.jsonl:3: The lead is nested more than 64 levels deep"));
  g_assert_nonnull (strstr (run.err, "2 leads imported, 2 refused"));
  g_assert_cmpstr (run.out, ==, GOOD_1 "\n" GOOD_2 "\n");
  g_assert_cmpint (count_leads (fixture, "uuid = '" BAD "'"), ==, 0);

  /* A JSON array, parsed whole, is refused whole. */
  run_cli (fixture, &whole, NULL, "leads", "import", json);
  g_assert_cmpint (whole.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (whole.err, "deep.json:1: a lead is nested more than 64 levels deep"));
  g_assert_cmpint (count_leads (fixture, "1"), ==, 2);
}

/* Notes over their limit: refused with the line and the member, nothing
 * of that lead stored, the good leads around it imported. */
static void
test_import_notes_over_limit (Fixture *fixture, gconstpointer data)
{
  g_autofree char *notes = g_strnfill (FL_LIMIT_NOTES + 1, 'n');
  g_autofree char *company = g_strnfill (FL_LIMIT_FIELD + 1, 'c');
  g_autofree char *at_limit = g_strnfill (FL_LIMIT_NOTES, 'n');
  g_autofree char *lines = g_strdup_printf ("{\"uuid\": \"" GOOD_1 "\", \"notes\": \"%s\"}\n"
                                            "{\"uuid\": \"" BAD "\", \"notes\": \"%s\"}\n"
                                            "{\"uuid\": \"" BAD "\", \"company\": \"%s\"}\n"
                                            "{\"uuid\": \"" GOOD_2 "\"}\n",
                                            at_limit, notes, company);
  g_autofree char *path = write_file (fixture, "leads.jsonl", lines, -1);
  g_autofree char *expected = g_strdup_printf ("leads.jsonl:2: “notes” is %d bytes; the limit is %d — shorten it",
                                               FL_LIMIT_NOTES + 1, FL_LIMIT_NOTES);
  g_auto(Run) run = { 0 };

  run_cli (fixture, &run, NULL, "leads", "import", path);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, expected));
  g_assert_nonnull (strstr (run.err, "leads.jsonl:3: “company” is 1025 bytes; the limit is 1024"));
  g_assert_cmpstr (run.out, ==, GOOD_1 "\n" GOOD_2 "\n");
  g_assert_cmpint (count_leads (fixture, "uuid = '" BAD "'"), ==, 0);
  g_assert_cmpint (count_leads (fixture, "length (notes) = 65536"), ==, 1);
}

/* A line over 1 MiB that no single member explains. */
static void
test_import_line_over_limit (Fixture *fixture, gconstpointer data)
{
  GString *line = g_string_new ("{\"uuid\": \"" BAD "\", \"answers\": {");
  g_autofree char *path = NULL;
  g_auto(Run) run = { 0 };

  for (guint i = 0; line->len <= FL_LIMIT_LEAD_LINE; i++)
    g_string_append_printf (line, "%s\"q%u\": \"an answer of a reasonable length\"", i ? ", " : "", i);
  g_string_append (line, "}}\n{\"uuid\": \"" GOOD_1 "\"}\n");
  path = write_file (fixture, "long.jsonl", line->str, line->len);
  g_string_free (line, TRUE);

  run_cli (fixture, &run, NULL, "leads", "import", path);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "long.jsonl:1: The line is "));
  g_assert_nonnull (strstr (run.err, "the limit for one lead is 1048576"));
  g_assert_cmpstr (run.out, ==, GOOD_1 "\n");
  g_assert_cmpint (count_leads (fixture, "uuid = '" BAD "'"), ==, 0);
}

/* A NUL byte ends the text for the parser: the line is refused, not
 * imported with whatever came before it. */
static void
test_import_nul_byte (Fixture *fixture, gconstpointer data)
{
  static const char lines[] = "{\"uuid\": \"" BAD "\"}\0{\"notes\": \"lost\"}\n{\"uuid\": \"" GOOD_1 "\"}\n";
  g_autofree char *path = write_file (fixture, "nul.jsonl", lines, sizeof lines - 1);
  g_auto(Run) run = { 0 };

  run_cli (fixture, &run, NULL, "leads", "import", path);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "nul.jsonl:1: The line holds a NUL byte"));
  g_assert_cmpstr (run.out, ==, GOOD_1 "\n");
}

/* A JSON array is parsed whole, so its file has a limit: a sparse file
 * one byte over it. JSON Lines of any size are fine. */
static void
test_import_array_file_over_limit (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_file (fixture, "huge.json", "[{\"uuid\": \"" GOOD_1 "\"},", -1);
  g_auto(Run) run = { 0 };

  g_assert_cmpint (truncate (path, FL_LIMIT_LEADS_ARRAY_FILE + 1), ==, 0);
  run_cli (fixture, &run, NULL, "leads", "import", path);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "huge.json: a JSON array of leads may be at most 33554432 bytes"));
  g_assert_cmpstr (run.out, ==, "");
  g_assert_cmpint (count_leads (fixture, "1"), ==, 0);
}

/* 1 GiB of notes streamed through standard input: refused by name and
 * size, never held in memory, never stored empty, and the lead after it
 * still imported. */
static void
test_import_huge_notes_stream (Fixture *fixture, gconstpointer data)
{
  const char *args[] = { "leads", "import", "-", NULL };
  g_autoptr(GSubprocess) process = spawn_cli (fixture, args);
  GOutputStream *input = g_subprocess_get_stdin_pipe (process);
  g_autofree char *chunk = g_strnfill (65536, 'a');
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  struct rusage usage;
  const char *head = "{\"uuid\": \"" GOOD_1 "\"}\n{\"uuid\": \"" BAD "\", \"notes\": \"";
  const char *tail = "\"}\n{\"uuid\": \"" GOOD_2 "\"}\n";

  g_output_stream_write_all (input, head, strlen (head), NULL, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < (1u << 30) / 65536; i++)
    {
      g_output_stream_write_all (input, chunk, 65536, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_write_all (input, tail, strlen (tail), NULL, NULL, &error);
  g_assert_no_error (error);
  /* Communicating closes standard input. */
  finish (process, NULL, &run);
  g_assert_cmpint (run.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (run.err, "-:2: “notes” is 1073741824 bytes; the limit is 65536 — shorten it"));
  g_assert_cmpstr (run.out, ==, GOOD_1 "\n" GOOD_2 "\n");
  g_assert_cmpint (count_leads (fixture, "uuid = '" BAD "'"), ==, 0);

  /* The largest child this test waited for stayed far below the 1 GiB it
   * was sent (ru_maxrss is in KiB; it is about 20 MiB, 100 under ASan). */
  g_assert_cmpint (getrusage (RUSAGE_CHILDREN, &usage), ==, 0);
  g_assert_cmpint (usage.ru_maxrss, <, 256 * 1024);
}

/* The store is the last gate: a text over its limit, or one SQLite
 * refuses, fails the save; nothing is stored, and never less. */
static void
test_store_gate (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = fl_store_open (fixture->db, NULL);
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) small = fl_lead_new ();
  g_autofree char *notes = g_strnfill (FL_LIMIT_NOTES + 1, 'n');
  g_autofree char *fits = g_strnfill (2000, 'n');
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  fl_lead_set_uuid (lead, BAD);
  fl_lead_set_notes (lead, notes);
  g_assert_false (fl_store_save_lead (store, lead, "test", &error));
  g_assert_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_TOO_LONG);
  g_clear_error (&error);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, 0);

  /* SQLite refusing a bind (its length limit, lowered here) used to leave
   * the notes NULL and save the lead anyway. */
  stmt = fl_store_prepare (store, "SELECT 1", &error);
  g_assert_no_error (error);
  sqlite3_limit (sqlite3_db_handle (stmt), SQLITE_LIMIT_LENGTH, 1000);
  fl_lead_set_uuid (small, GOOD_1);
  fl_lead_set_notes (small, fits);
  g_assert_false (fl_store_save_lead (store, small, "test", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, 0);
}

/* A badge whose JSON is too deep to parse is still captured: an
 * unrecognised lead with the whole payload, as any unreadable scan. */
static void
test_capture_deep_payload (Fixture *fixture, gconstpointer data)
{
  GString *payload = g_string_new ("{\"first_name\": \"Anna\", \"x\": ");
  g_autoptr(FlPayloadResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };
  g_autofree char *where = NULL;
  JsonObject *object;
  gsize depth = (FL_LIMIT_PAYLOAD - payload->len - 1) / 2;

  for (gsize i = 0; i < depth; i++)
    g_string_append_c (payload, '[');
  for (gsize i = 0; i < depth; i++)
    g_string_append_c (payload, ']');
  g_string_append_c (payload, '}');
  g_assert_cmpuint (payload->len, <=, FL_LIMIT_PAYLOAD);

  result = fl_payload_parse (payload->str, payload->len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->format, ==, FL_PAYLOAD_FORMAT_UNKNOWN);
  g_assert_cmpstr (fl_lead_get_raw_payload (result->lead), ==, payload->str);

  run_cli (fixture, &run, payload->str, "capture", "--source", "badge");
  g_assert_cmpint (run.status, ==, EX_OK);
  node = fl_json_parse (run.out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "unknown");
  where = g_strdup_printf ("length (raw_payload) = %u", (guint) payload->len);
  g_assert_cmpint (count_leads (fixture, where), ==, 1);
  g_string_free (payload, TRUE);
}

/* A badge value longer than its field stays in the raw payload; the
 * scan is captured with the rest. A note over its limit is refused. */
static void
test_capture_oversize_values (Fixture *fixture, gconstpointer data)
{
  g_autofree char *company = g_strnfill (2000, 'c');
  g_autofree char *payload = g_strdup_printf ("{\"email\": \"anna@muster.example\", \"company\": \"%s\"}",
                                              company);
  g_autofree char *note = g_strnfill (FL_LIMIT_NOTES + 1, 'n');
  g_auto(Run) run = { 0 };
  g_auto(Run) refused = { 0 };

  run_cli (fixture, &run, NULL, "capture", "--payload", payload);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_cmpint (count_leads (fixture, "email = 'anna@muster.example' AND company IS NULL "
                                         "AND length (raw_payload) > 2000"), ==, 1);

  run_cli (fixture, &refused, NULL, "capture", "--payload", "BADGE-4711", "--note", note);
  g_assert_cmpint (refused.status, ==, EX_DATAERR);
  g_assert_nonnull (strstr (refused.err, "“notes” is 65537 bytes; the limit is 65536 — shorten it"));
  g_assert_cmpint (count_leads (fixture, "1"), ==, 1);
}

/* A roster value a lead could not hold is a skipped row, not a badge
 * that cannot be captured later. */
static void
test_roster_field_over_limit (Fixture *fixture, gconstpointer data)
{
  g_autofree char *company = g_strnfill (FL_LIMIT_FIELD + 1, 'F');
  g_autofree char *csv = g_strdup_printf ("Badge-ID,Vorname,Nachname,Firma\n"
                                          "A1,Anna,Muster,Muster GmbH\n"
                                          "A2,Bert,Lang,%s\n"
                                          "A3,Cora,Kurz,Kurz AG\n", company);
  g_autofree char *path = write_file (fixture, "roster.csv", csv, -1);
  g_auto(Run) run = { 0 };
  g_auto(Run) capture = { 0 };

  run_cli (fixture, &run, NULL, "roster", "import", path);
  g_assert_cmpint (run.status, ==, EX_OK);
  g_assert_nonnull (strstr (run.out, "roster.csv:3: skipped: “Firma” is 1025 bytes; the limit is 1024"));

  run_cli (fixture, &capture, NULL, "capture", "--payload", "A2");
  g_assert_cmpint (capture.status, ==, EX_OK);
  g_assert_cmpint (count_leads (fixture, "badge_id = 'A2'"), ==, 1);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/hostile-json/scan", test_scan);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/hostile-json/model-deep", test_model_deep);
  ADD ("/hostile-json/model-too-large", test_model_too_large);
  ADD ("/hostile-json/import-deep", test_import_deep);
  ADD ("/hostile-json/import-notes-over-limit", test_import_notes_over_limit);
  ADD ("/hostile-json/import-line-over-limit", test_import_line_over_limit);
  ADD ("/hostile-json/import-nul-byte", test_import_nul_byte);
  ADD ("/hostile-json/import-array-file-over-limit", test_import_array_file_over_limit);
  ADD ("/hostile-json/import-huge-notes-stream", test_import_huge_notes_stream);
  ADD ("/hostile-json/store-gate", test_store_gate);
  ADD ("/hostile-json/capture-deep-payload", test_capture_deep_payload);
  ADD ("/hostile-json/capture-oversize-values", test_capture_oversize_values);
  ADD ("/hostile-json/roster-field-over-limit", test_roster_field_over_limit);
#undef ADD

  return g_test_run ();
}
