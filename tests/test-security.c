/* test-security.c: the consent ledger, secrets, logs and hostile input,
 * through fairlead-cli as a user or an attacker would drive it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <string.h>
#include <sysexits.h>

#include "score/fl-model.h"
#include "sync-test-server.h"

#define TOKEN "tok-7f3a9c1e5b2d4f60"
#define PERSON_EMAIL "greta.quandt@privat-example.de"
#define PERSON_FIRST "Greta"
#define PERSON_LAST "Quandtberger"
#define PERSON_PHONE "+49 171 5550199"
#define PERSON_COMPANY "Quandtberger Feinmechanik"

typedef struct
{
  char *dir;
  char *db;
} Fixture;

typedef struct
{
  gboolean exited;   /* FALSE when a signal ended it */
  int      status;
  char    *out;
  gsize    out_len;
  char    *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs fairlead-cli --db DB with @argv; @env is NULL or a NULL-terminated
 * list of NAME, VALUE pairs; @input (@input_len bytes) goes to stdin. */
static void
cli_full (Fixture *fixture, Run *run, const char *const *env, const char *input, gssize input_len,
          const char *const *argv)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) stdin_bytes = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autofree char *stdin_file = NULL;

  g_ptr_array_add (args, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, fixture->db);
  for (guint i = 0; argv[i] != NULL; i++)
    g_ptr_array_add (args, (gpointer) argv[i]);
  g_ptr_array_add (args, NULL);

  if (input_len < 0)
    input_len = input ? strlen (input) : 0;
  /* A command may stop reading a big input early (a payload has a limit):
   * big inputs come from a file, so that is no broken pipe. */
  if (input_len > 32 * 1024)
    {
      stdin_file = g_build_filename (g_get_tmp_dir (), "fairlead-security-stdin.dat", NULL);
      g_assert_true (g_file_set_contents (stdin_file, input, input_len, NULL));
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
      g_subprocess_launcher_set_stdin_file_path (launcher, stdin_file);
    }
  else
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                            G_SUBPROCESS_FLAGS_STDERR_PIPE);
      stdin_bytes = g_bytes_new (input ? input : "", input_len);
    }
  /* Relative output files land in the fixture, which is removed after. */
  g_subprocess_launcher_set_cwd (launcher, fixture->dir);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i += 2)
    g_subprocess_launcher_setenv (launcher, env[i], env[i + 1], TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate (process, stdin_bytes, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (stdin_file != NULL)
    g_unlink (stdin_file);
  run->exited = g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process)
                            : -g_subprocess_get_term_sig (process);
  run->out_len = g_bytes_get_size (out);
  run->out = g_strndup (run->out_len ? g_bytes_get_data (out, NULL) : "", run->out_len);
  run->err = g_strndup (g_bytes_get_size (err) ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));
}

#define cli(fixture, run, env, input, ...) \
  cli_full ((fixture), (run), (env), (input), -1, (const char *const[]) { __VA_ARGS__, NULL })

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
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(Run) run = { 0 };

  fixture->dir = g_dir_make_tmp ("fairlead-security-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->dir, "fairlead.db", NULL);
  cli (fixture, &run, NULL, NULL, "event", "create", "Hannover Messe 2026", "--ends", "2026-04-24");
  g_assert_cmpint (run.status, ==, 0);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* Whether @needle occurs in any file of @dir (the database, its WAL and
 * shared memory, and whatever else a command left there). */
static char *
find_in_dir (const char *dir_path, const char *needle)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir_path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length;

      if (!g_file_get_contents (path, &contents, &length, NULL))
        continue;
      for (gsize at = 0; at + strlen (needle) <= length; at++)
        if (memcmp (contents + at, needle, strlen (needle)) == 0)
          return g_strdup (name);
    }
  return NULL;
}

/* The consent ledger */

static JsonArray *
ledger_of (Fixture *fixture, const char *email)
{
  g_auto(Run) run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *lead;

  cli (fixture, &run, NULL, NULL, "person", "export", "--email", email);
  g_assert_cmpint (run.status, ==, 0);
  root = parse_json (run.out);
  lead = json_array_get_object_element (json_object_get_array_member (json_node_get_object (root),
                                                                      "leads"), 0);
  return json_array_ref (json_object_get_array_member (lead, "consent_ledger"));
}

static char *
demo_consent_text (const char *language)
{
  g_autofree char *path = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json",
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *consent;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  consent = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                           "consent");
  return g_strdup (json_object_get_string_member (json_object_get_object_member (consent, "text"),
                                                  language));
}

static void
test_consent_ledger (Fixture *fixture, gconstpointer data)
{
  g_autofree char *model = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json",
                                             NULL);
  g_autofree char *de_text = demo_consent_text ("de");
  g_autofree char *en_text = demo_consent_text ("en");
  g_autofree char *de_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, de_text, -1);
  g_autofree char *en_sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, en_text, -1);
  g_autoptr(JsonArray) ledger = NULL;
  JsonObject *entry;

  /* No model yet: the entry keeps the version staff named and says that
   * no text was on record. */
  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "capture", "--payload", "MECARD:N:Alt,Anna;EMAIL:anna@alt.example;;",
         "--staff", "Ben", "--consent", "2025-11");
    g_assert_cmpint (run.status, ==, 0);
  }
  ledger = ledger_of (fixture, "anna@alt.example");
  g_assert_cmpuint (json_array_get_length (ledger), ==, 1);
  entry = json_array_get_object_element (ledger, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "version"), ==, "2025-11");
  g_assert_true (json_object_get_null_member (entry, "sha256"));
  g_assert_cmpstr (json_object_get_string_member (entry, "text_source"), ==, "none");
  g_assert_cmpstr (json_object_get_string_member (entry, "language"), ==, "en");
  g_assert_cmpstr (json_object_get_string_member (entry, "decision"), ==, "given");
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "checkbox");
  g_assert_cmpstr (json_object_get_string_member (entry, "staff"), ==, "Ben");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (entry, "at"), "20"));
  g_clear_pointer (&ledger, json_array_unref);

  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "model", "load", model, "--by", "Petra");
    g_assert_cmpint (run.status, ==, 0);
  }

  /* Given in German, recorded by staff: the hash is the German text's. */
  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "capture", "--payload",
         "MECARD:N:Berg,Bea;EMAIL:bea@berg.example;ORG:Berg AG;;", "--staff", "Ben",
         "--consent", "2026-06", "--consent-language", "de", "--consent-by-staff");
    g_assert_cmpint (run.status, ==, 0);
  }
  ledger = ledger_of (fixture, "bea@berg.example");
  entry = json_array_get_object_element (ledger, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "version"), ==, "2026-06");
  g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, de_sha);
  g_assert_cmpstr (json_object_get_string_member (entry, "text_source"), ==, "model");
  g_assert_cmpstr (json_object_get_string_member (entry, "language"), ==, "de");
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "staff");
  g_assert_cmpstr (json_object_get_string_member (entry, "staff"), ==, "Ben");
  g_clear_pointer (&ledger, json_array_unref);

  /* Given in Polish, a language the demo model offers the visitor. */
  {
    g_auto(Run) run = { 0 };
    g_autoptr(FlModel) demo = fl_model_new_from_file (model, NULL, NULL);
    g_autofree char *pl_sha = g_compute_checksum_for_string (
      G_CHECKSUM_SHA256, fl_model_get_consent_text (demo, FL_LANGUAGE_PL), -1);

    cli (fixture, &run, NULL, NULL, "capture", "--payload",
         "MECARD:N:Nowak,Ewa;EMAIL:ewa@nowak.example;;", "--staff", "Ben",
         "--consent", "2026-06", "--consent-language", "pl");
    g_assert_cmpint (run.status, ==, 0);
    ledger = ledger_of (fixture, "ewa@nowak.example");
    entry = json_array_get_object_element (ledger, 0);
    g_assert_cmpstr (json_object_get_string_member (entry, "language"), ==, "pl");
    g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, pl_sha);
    g_clear_pointer (&ledger, json_array_unref);
  }

  /* Refused: the ledger names the text the visitor said no to. A later
   * consent at a repeat visit is a second entry; nothing is overwritten. */
  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "capture", "--payload", "MECARD:N:Cord,Carl;EMAIL:carl@cord.example;;",
         "--no-consent", "--consent-language", "en");
    g_assert_cmpint (run.status, ==, 0);
  }
  g_usleep (2000);
  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "capture", "--payload", "MECARD:N:Cord,Carl;EMAIL:carl@cord.example;;",
         "--consent", "2026-06", "--consent-language", "en", "--staff", "Dora");
    g_assert_cmpint (run.status, ==, 0);
  }
  ledger = ledger_of (fixture, "carl@cord.example");
  g_assert_cmpuint (json_array_get_length (ledger), ==, 2);
  entry = json_array_get_object_element (ledger, 0);
  g_assert_cmpstr (json_object_get_string_member (entry, "decision"), ==, "refused");
  g_assert_cmpstr (json_object_get_string_member (entry, "version"), ==, "2026-06");
  g_assert_cmpstr (json_object_get_string_member (entry, "sha256"), ==, en_sha);
  g_assert_cmpstr (json_object_get_string_member (entry, "method"), ==, "checkbox");
  g_assert_true (json_object_get_null_member (entry, "staff"));
  entry = json_array_get_object_element (ledger, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "decision"), ==, "given");
  g_assert_cmpstr (json_object_get_string_member (entry, "staff"), ==, "Dora");

  /* Wrong uses are refused before anything is saved. */
  {
    static const struct
    {
      const char *args[8];
      int         status;
      const char *message;
    } wrong[] = {
      { { "--consent", "2019-01" }, EX_DATAERR, "version “2026-06”" },
      { { "--consent", "2026-06", "--consent-language", "sv" }, EX_USAGE, "expected en, de, fr, it, es, nl or pl" },
      { { "--consent", "2026-06", "--consent-by-staff" }, EX_USAGE, "--staff" },
      { { "--consent-language", "de" }, EX_USAGE, "--no-consent" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
      {
        g_auto(Run) run = { 0 };
        g_auto(Run) list = { 0 };
        const char *argv[16] = { "capture", "--payload", "MECARD:N:Wrong,Will;EMAIL:will@wrong.example;;" };
        guint n = 3;

        for (guint j = 0; wrong[i].args[j] != NULL; j++)
          argv[n++] = wrong[i].args[j];
        cli_full (fixture, &run, NULL, NULL, 0, argv);
        g_assert_cmpint (run.status, ==, wrong[i].status);
        g_assert_nonnull (strstr (run.err, wrong[i].message));
        cli (fixture, &list, NULL, NULL, "person", "export", "--email", "will@wrong.example");
        g_assert_cmpint (list.status, ==, EX_NOINPUT);
      }
  }
}

/* Secrets */

static void
test_token_not_in_database (Fixture *fixture, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  const char *const no_keyring[] = { "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent",
                                     "G_MESSAGES_DEBUG", "all", NULL };
  const char *const with_env[] = { "DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent",
                                   "FAIRLEAD_SECRET_HUB", TOKEN, "G_MESSAGES_DEBUG", "all", NULL };
  g_autofree char *found = NULL;

  server->token = g_strdup (TOKEN);

  /* No keyring: --secret-stdin fails, says what to do, and keeps the token
   * nowhere; the connector is not added half-configured. */
  {
    g_auto(Run) run = { 0 };
    g_auto(Run) list = { 0 };

    cli (fixture, &run, no_keyring, TOKEN "\n", "connector", "add", "hub", "--type", "hubspot",
         "--url", server->http.url, "--secret-stdin");
    g_assert_cmpint (run.status, ==, EX_NOPERM);
    g_assert_nonnull (strstr (run.err, "keyring"));
    g_assert_nonnull (strstr (run.err, "FAIRLEAD_SECRET_HUB"));
    g_assert_null (strstr (run.err, TOKEN));
    g_assert_null (strstr (run.out, TOKEN));
    cli (fixture, &list, NULL, NULL, "connector", "list", "--json");
    g_assert_cmpint (list.status, ==, 0);
    g_assert_null (strstr (list.out, "hub"));
  }
  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, no_keyring, TOKEN "\n", "connector", "secret", "hub");
    g_assert_cmpint (run.status, !=, 0);
    g_assert_null (strstr (run.err, TOKEN));
  }
  found = find_in_dir (fixture->dir, TOKEN);
  g_assert_cmpstr (found, ==, NULL);

  /* A secret-looking option would put the token into the database. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *option = g_strconcat ("token=", TOKEN, NULL);

    cli (fixture, &run, NULL, NULL, "connector", "add", "hub", "--type", "hubspot",
         "--url", server->http.url, "--option", option);
    g_assert_cmpint (run.status, ==, EX_CONFIG);
    g_assert_nonnull (strstr (run.err, "FAIRLEAD_SECRET_HUB"));
    g_assert_null (strstr (run.err, TOKEN));
  }
  {
    g_auto(Run) run = { 0 };
    g_autofree char *url = g_strdup_printf ("http://user:%s@%s", TOKEN,
                                            server->http.url + strlen ("http://"));

    cli (fixture, &run, NULL, NULL, "connector", "add", "hub", "--type", "hubspot", "--url", url);
    g_assert_cmpint (run.status, ==, EX_CONFIG);
    g_assert_null (strstr (run.err, TOKEN));
  }

  /* The token from the environment is used and never written down. */
  {
    g_auto(Run) add = { 0 };
    g_auto(Run) capture = { 0 };
    g_auto(Run) test = { 0 };
    g_auto(Run) upload = { 0 };
    ServerRequest *request;

    cli (fixture, &add, with_env, NULL, "connector", "add", "hub", "--type", "hubspot",
         "--url", server->http.url);
    g_assert_cmpint (add.status, ==, 0);
    cli (fixture, &capture, with_env, NULL, "capture", "--payload",
         "MECARD:N:Quandt,Greta;EMAIL:greta@example.de;;", "--consent", "1");
    g_assert_cmpint (capture.status, ==, 0);
    cli (fixture, &test, with_env, NULL, "connector", "test", "hub");
    g_assert_cmpint (test.status, ==, 0);
    cli (fixture, &upload, with_env, NULL, "upload", "--max-wait", "5");
    g_assert_cmpint (upload.status, ==, 0);
    g_assert_cmpuint (server_n_stored (server), ==, 1);
    request = server_get_request (server, server->requests->len - 1);
    g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
    for (const Run *run = &add; run != NULL;
         run = run == &add ? &capture : run == &capture ? &test : run == &test ? &upload : NULL)
      {
        g_assert_null (strstr (run->out, TOKEN));
        g_assert_null (strstr (run->err, TOKEN));
      }
  }
  found = find_in_dir (fixture->dir, TOKEN);
  g_assert_cmpstr (found, ==, NULL);
}

/* Logs */

/* The lines a GLib log writer printed on stdout (debug and info go there)
 * and everything on stderr. */
static char *
log_output (const Run *run)
{
  g_autoptr(GRegex) line = g_regex_new ("^(\\(process:\\d+\\): )?[\\w.-]+-(DEBUG|INFO|Message|WARNING|"
                                         "CRITICAL|ERROR)\\b.*$",
                                         G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  GString *logs = g_string_new (run->err);

  g_regex_match (line, run->out, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *text = g_match_info_fetch (match, 0);
      g_string_append_printf (logs, "%s\n", text);
      g_match_info_next (match, NULL);
    }
  return g_string_free (logs, FALSE);
}

static void
assert_no_person (const char *what, const char *logs)
{
  static const char *const personal[] = {
    PERSON_EMAIL, PERSON_FIRST, PERSON_LAST, PERSON_PHONE, PERSON_COMPANY,
    "hans.import@example.org", "Importeur", TOKEN,
  };

  for (guint i = 0; i < G_N_ELEMENTS (personal); i++)
    if (strstr (logs, personal[i]) != NULL)
      g_error ("%s logged “%s”:\n%s", what, personal[i], logs);
}

static void
test_logs_without_personal_data (Fixture *fixture, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *model = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json",
                                             NULL);
  g_autofree char *import = g_build_filename (fixture->dir, "import.jsonl", NULL);
  g_autofree char *url = g_strconcat (server->http.url, "/hook", NULL);
  const char *const debug[] = { "G_MESSAGES_DEBUG", "all", "FAIRLEAD_SECRET_HUB", TOKEN,
                                "FAIRLEAD_SECRET_HOOK", TOKEN, NULL };
  const char *payload = "BEGIN:VCARD\nVERSION:3.0\nN:" PERSON_LAST ";" PERSON_FIRST "\nFN:"
                        PERSON_FIRST " " PERSON_LAST "\nORG:" PERSON_COMPANY "\nEMAIL:"
                        PERSON_EMAIL "\nTEL:" PERSON_PHONE "\nEND:VCARD";
  g_autofree char *uuid = NULL;
  guint n_debug = 0;

  server->token = g_strdup (TOKEN);
  g_assert_true (g_file_set_contents (import,
                                      "{\"uuid\": \"5e0c5ad4-3b0e-4c55-9d3a-1f6e2b7c8a90\", "
                                      "\"first_name\": \"Hans\", \"last_name\": \"Importeur\", "
                                      "\"email\": \"hans.import@example.org\", \"consent\": "
                                      "{\"given\": true, \"version\": \"2026-06\"}}\n"
                                      "{\"uuid\": \"6f1d6be5-4c1f-4d66-8e4b-2a7f3c8d9ba1\", "
                                      "\"first_name\": \"Hans\", \"last_name\": \"Importeur\", "
                                      "\"email\": 5}\n",
                                      -1, NULL));

  {
    g_auto(Run) run = { 0 };
    cli (fixture, &run, debug, NULL, "model", "load", model);
    g_assert_cmpint (run.status, ==, 0);
    g_clear_pointer (&run.out, g_free);
    run_clear (&run);
    memset (&run, 0, sizeof run);
    cli (fixture, &run, debug, NULL, "connector", "add", "hub", "--type", "hubspot", "--url",
         server->http.url);
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    memset (&run, 0, sizeof run);
    cli (fixture, &run, debug, NULL, "connector", "add", "hook", "--type", "webhook", "--url", url,
         "--option", "signing=true");
    g_assert_cmpint (run.status, ==, 0);
  }

  /* Every step a lead goes through, with debug logging on. */
  {
    const char *const steps[][12] = {
      { "capture", "--payload", payload, "--staff", "Ben", "--consent", "2026-06",
        "--note", "Ruft zurück: " PERSON_PHONE, "--answer", "timeframe=3m" },
      { "capture", "--payload", payload, "--interaction", "demo" },
      { "leads", "import", import },
      { "rescore", "--by", "Petra" },
      { "upload", "--max-wait", "5" },
      { "sync", "status" },
      { "leads", "list" },
      { "purge", "--dry-run" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_auto(Run) run = { 0 };
        g_autofree char *logs = NULL;
        g_autofree char *what = g_strjoinv (" ", (char **) steps[i]);

        cli_full (fixture, &run, debug, NULL, 0, steps[i]);
        g_assert_true (run.exited);
        g_assert_cmpint (run.status, <, EX__BASE + 64);
        logs = log_output (&run);
        if (strstr (logs, "-DEBUG") != NULL)
          n_debug++;
        assert_no_person (what, logs);
        /* What is not JSON for a machine is a summary: no person either. */
        if (g_str_equal (steps[i][0], "upload") || g_str_equal (steps[i][0], "sync") ||
            g_str_equal (steps[i][0], "purge") || g_str_equal (steps[i][0], "rescore"))
          assert_no_person (what, run.out);
        if (i == 0)
          {
            g_autoptr(JsonNode) lead = parse_json (run.out);
            uuid = g_strdup (json_object_get_string_member (json_node_get_object (lead), "uuid"));
          }
      }
  }
  /* The logging was on and said something; the upload arrived. */
  g_assert_cmpuint (n_debug, >, 0);
  g_assert_cmpuint (server_n_stored (server), >=, 2);
  g_assert_nonnull (uuid);
}

/* Crash output */

static void
allow_core_files (gpointer data)
{
  struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };

  setrlimit (RLIMIT_CORE, &unlimited);
}

/* Waits until process @pid blocks reading its standard input: then it
 * has read what was written so far. A fixed sleep was too short for a
 * process starting under AddressSanitizer on a loaded machine. */
static void
wait_reading_stdin (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/syscall", pid);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *syscall = NULL;

      if (!g_file_get_contents (path, &syscall, NULL, NULL))
        {
          /* No way to look (a kernel without it): give it time. */
          g_usleep (2 * G_USEC_PER_SEC);
          return;
        }
      /* x86-64: read (0) on descriptor 0, or poll (7) of one descriptor
       * with no timeout, as GUnixInputStream waits; elsewhere the numbers
       * differ. */
#if defined(__x86_64__)
      if (g_str_has_prefix (syscall, "0 0x0 ") ||
          (g_str_has_prefix (syscall, "7 ") && strstr (syscall, " 0x1 0xffffffff ") != NULL))
        return;
#else
      g_usleep (2 * G_USEC_PER_SEC);
      return;
#endif
      g_usleep (10 * 1000);
    }
  g_test_message ("the capture never blocked reading its input");
}

/* Kills a capture that holds a visitor's data with SIGABRT; returns
 * whether it left a core file, and what it printed on stderr. */
static gboolean
abort_capture (Fixture *fixture, gboolean allow, char **err_out, char **limits_out)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autofree char *limits_path = NULL;
  const char *payload = "BEGIN:VCARD\nVERSION:3.0\nFN:" PERSON_FIRST " " PERSON_LAST "\nEMAIL:"
                        PERSON_EMAIL "\n";
  gboolean core = FALSE;
  const char *name;

  g_subprocess_launcher_set_cwd (launcher, fixture->dir);
  g_subprocess_launcher_set_child_setup (launcher, allow_core_files, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  if (allow)
    g_subprocess_launcher_setenv (launcher, "FAIRLEAD_ALLOW_CORE_DUMPS", "1", TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FAIRLEAD_CLI"), "--db",
                                         fixture->db, "capture", NULL);
  g_assert_no_error (error);
  /* Half a card is in memory; the capture waits for the rest. */
  g_output_stream_write_all (g_subprocess_get_stdin_pipe (process), payload, strlen (payload),
                             NULL, NULL, &error);
  g_assert_no_error (error);
  wait_reading_stdin (g_subprocess_get_identifier (process));
  limits_path = g_strdup_printf ("/proc/%s/limits", g_subprocess_get_identifier (process));
  g_file_get_contents (limits_path, limits_out, NULL, NULL);
  g_subprocess_send_signal (process, SIGABRT);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (process));
  err = g_input_stream_read_bytes (g_subprocess_get_stderr_pipe (process), 1 << 20, NULL, &error);
  g_assert_no_error (error);
  *err_out = g_strndup (g_bytes_get_size (err) ? g_bytes_get_data (err, NULL) : "",
                        g_bytes_get_size (err));

  dir = g_dir_open (fixture->dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "core"))
      {
        g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
        g_unlink (path);
        core = TRUE;
      }
  return core;
}

static void
test_crash_output (Fixture *fixture, gconstpointer data)
{
  g_autofree char *err = NULL;
  g_autofree char *limits = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(GRegex) core_limit = g_regex_new ("^Max core file size +0 +0 ", G_REGEX_MULTILINE, 0,
                                              NULL);

  g_assert_false (abort_capture (fixture, FALSE, &err, &limits));
  assert_no_person ("an aborted capture", err);
  g_assert_nonnull (limits);
  g_assert_true (g_regex_match (core_limit, limits, 0, NULL));
  g_clear_pointer (&err, g_free);
  g_clear_pointer (&limits, g_free);

  /* The same crash with core files allowed does leave one (where the
   * kernel writes cores to the working directory), so the check above
   * could have failed. */
  /* AddressSanitizer turns core files off itself (disable_coredump), so
   * under it the control run has nothing to show. */
#if defined(__SANITIZE_ADDRESS__)
  if (FALSE)
#else
  if (g_file_get_contents ("/proc/sys/kernel/core_pattern", &pattern, NULL, NULL) &&
      g_str_equal (g_strstrip (pattern), "core"))
#endif
    {
      g_assert_true (abort_capture (fixture, TRUE, &err, &limits));
      assert_no_person ("an aborted capture", err);
    }
  else
    g_test_message ("core_pattern is “%s”: the control run is left out", pattern);
}

/* Hostile input */

typedef struct
{
  char  *schema;
  char  *counts;
  char  *leads_sum;   /* of the rows up to max_id */
  gint64 max_id;
} Print;

static void
print_clear (Print *print)
{
  g_free (print->schema);
  g_free (print->counts);
  g_free (print->leads_sum);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Print, print_clear)

static void
take_print (Fixture *fixture, Print *print, gint64 max_id)
{
  g_autoptr(GString) schema = g_string_new (NULL);
  g_autoptr(GString) counts = g_string_new (NULL);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  sqlite3_prepare_v2 (db, "SELECT name, sql FROM sqlite_master ORDER BY name", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (stmt, 0);
      const char *sql = (const char *) sqlite3_column_text (stmt, 1);

      g_string_append_printf (schema, "%s\t%s\n", name, sql ? sql : "");
      if (sql != NULL && g_str_has_prefix (sql, "CREATE TABLE"))
        g_ptr_array_add (tables, g_strdup (name));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"",
                                              (const char *) tables->pdata[i]);

      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_string_append_printf (counts, "%s=%lld ", (const char *) tables->pdata[i],
                              (long long) sqlite3_column_int64 (stmt, 0));
      sqlite3_finalize (stmt);
    }

  sqlite3_prepare_v2 (db, "SELECT coalesce (max (id), 0) FROM leads", -1, &stmt, NULL);
  sqlite3_step (stmt);
  print->max_id = max_id >= 0 ? max_id : sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "SELECT * FROM leads WHERE id <= ? ORDER BY id", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, print->max_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < sqlite3_column_count (stmt); i++)
      {
        g_checksum_update (sum, sqlite3_column_blob (stmt, i), sqlite3_column_bytes (stmt, i));
        g_checksum_update (sum, (const guchar *) "\x1f", 1);
      }
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  print->schema = g_string_free (g_steal_pointer (&schema), FALSE);
  print->counts = g_string_free (g_steal_pointer (&counts), FALSE);
  print->leads_sum = g_strdup (g_checksum_get_string (sum));
}

typedef enum
{
  READS,    /* nothing in the database may change */
  WRITES,   /* may add rows; the leads that were there stay as they were */
} Effect;

typedef struct
{
  Effect      effect;
  const char *input;     /* stdin: "@" for the hostile text, NULL for none */
  const char *args[14];  /* "@" is replaced by the hostile text, "@file" by a file holding it */
} Command;

static const Command commands[] = {
  { WRITES, NULL, { "event", "create", "@" } },
  { WRITES, NULL, { "event", "create", "@", "--venue", "@", "--booth", "@" } },
  { WRITES, NULL, { "event", "set", "venue", "@" } },
  { WRITES, NULL, { "event", "set", "privacy_notice.de", "@" } },
  { READS, NULL, { "event", "set", "@", "x" } },
  { WRITES, NULL, { "event", "set", "handout_url", "@" } },
  { READS, NULL, { "event", "show", "--event", "@" } },
  { READS, NULL, { "event", "use", "@" } },
  { READS, NULL, { "event", "list", "--json" } },
  { WRITES, NULL, { "leads", "import", "@file" } },
  { WRITES, "@", { "leads", "import", "-" } },
  { WRITES, NULL, { "leads", "import", "@" } },
  { READS, NULL, { "leads", "list", "--search", "@" } },
  { READS, NULL, { "leads", "list", "--json", "--status", "@" } },
  { READS, NULL, { "leads", "list", "--csv" } },
  { READS, NULL, { "leads", "show", "@" } },
  { READS, NULL, { "export", "--format", "@" } },
  /* An export records in the audit that each lead was handed over. */
  { WRITES, NULL, { "export", "--format", "json" } },
  { WRITES, NULL, { "export", "--format", "csv", "--output", "@" } },
  { READS, NULL, { "person", "export", "--email", "@" } },
  { READS, NULL, { "person", "export", "--uuid", "@" } },
  { WRITES, NULL, { "erase", "--email", "@", "--yes", "--staff", "@" } },
  { WRITES, NULL, { "erase", "--uuid", "@", "--yes" } },
  { WRITES, "1234\n", { "staff", "add", "@" } },
  { WRITES, "@", { "staff", "add", "Ben" } },
  { WRITES, NULL, { "staff", "remove", "@" } },
  { READS, NULL, { "parse-badge", "--payload", "@" } },
  { READS, "@", { "parse-badge" } },
  { WRITES, NULL, { "capture", "--payload", "@", "--note", "@", "--answer", "q=@", "--staff", "@",
                    "--interaction", "@" } },
  { WRITES, "@", { "capture", "--source", "manual" } },
  { WRITES, NULL, { "capture", "--payload", "x", "--answer", "@", "--source", "@" } },
  { WRITES, NULL, { "capture", "--payload", "@", "--consent", "@", "--consent-language", "@" } },
  { WRITES, NULL, { "roster", "import", "@file" } },
  { WRITES, NULL, { "roster", "import", "@" } },
  { READS, NULL, { "roster", "lookup", "@" } },
  { READS, NULL, { "model", "check", "@file" } },
  { READS, NULL, { "model", "check", "@" } },
  { WRITES, NULL, { "model", "load", "@file", "--by", "@" } },
  { READS, NULL, { "model", "show" } },
  { WRITES, NULL, { "connector", "add", "@", "--type", "webhook", "--url", "@" } },
  { WRITES, NULL, { "connector", "add", "n", "--type", "@", "--option", "@" } },
  { WRITES, "@", { "connector", "add", "s", "--type", "webhook", "--url", "http://127.0.0.1:9/",
                   "--secret-stdin" } },
  { READS, NULL, { "connector", "test", "@" } },
  { WRITES, NULL, { "connector", "remove", "@" } },
  { WRITES, NULL, { "upload", "--connector", "@", "--max-wait", "0" } },
  { READS, NULL, { "sync", "status" } },
  { READS, NULL, { "purge", "--dry-run" } },
  { READS, NULL, { "rescore", "--dry-run", "--model", "@file" } },
  { READS, NULL, { "scan-image", "@file" } },
  { READS, NULL, { "scan-image", "@" } },
  { READS, NULL, { "read-card", "@file" } },
  { READS, NULL, { "qr", "@", "-o", "@" } },
  { READS, "@", { "qr", "-", "--output", "qr.svg" } },
};

typedef struct
{
  const char *name;
  const char *text;
  gssize      length;  /* with NUL bytes: only for stdin and files */
} Hostile;

/* What was stored is still readable: every listing is UTF-8, and JSON. */
static void
assert_listings_valid (Fixture *fixture, const char *hostile)
{
  static const char *const listings[][4] = {
    { "event", "list", "--json" },
    { "leads", "list", "--json" },
    { "export", "--format", "json" },
    { "connector", "list", "--json" },
    { "staff", "list" },
    { "leads", "list", "--csv" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (listings); i++)
    {
      g_auto(Run) run = { 0 };
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      cli_full (fixture, &run, NULL, NULL, 0, listings[i]);
      if (run.status != 0 || !g_utf8_validate (run.out, run.out_len, NULL))
        g_error ("%s %s after %s: exit %d, %s", listings[i][0], listings[i][1], hostile,
                 run.status, run.err);
      if (g_strv_contains (listings[i], "--json") || g_strv_contains (listings[i], "json"))
        {
          json_parser_load_from_data (parser, run.out, run.out_len, &error);
          g_assert_no_error (error);
        }
    }
}

static void
run_hostile (Fixture *fixture, const Hostile *hostile)
{
  g_autofree char *file = g_build_filename (fixture->dir, "hostile.dat", NULL);
  g_autofree char *argv_text = NULL;
  gsize length = hostile->length < 0 ? strlen (hostile->text) : (gsize) hostile->length;

  g_assert_true (g_file_set_contents (file, hostile->text, length, NULL));
  /* argv cannot carry a NUL, nor more than 128 KiB in one argument: the
   * text up to the first NUL, at most 100,000 bytes, goes there. */
  argv_text = g_strndup (hostile->text, 100000);

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      const Command *command = &commands[c];
      g_auto(Print) before = { 0 };
      g_auto(Print) after = { 0 };
      g_auto(Run) run = { 0 };
      g_autofree char *what = NULL;
      const char *argv[G_N_ELEMENTS (command->args) + 1] = { NULL };
      gboolean stdin_hostile = g_strcmp0 (command->input, "@") == 0;
      g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);

      if (!stdin_hostile && hostile->length >= 0 &&
          !g_strv_contains ((const char *const *) command->args, "@file"))
        continue;  /* the NUL variants only matter where they can arrive */
      for (guint i = 0; command->args[i] != NULL; i++)
        {
          if (g_str_equal (command->args[i], "@"))
            argv[i] = argv_text;
          else if (g_str_equal (command->args[i], "@file"))
            argv[i] = file;
          else if (g_str_has_suffix (command->args[i], "=@"))
            {
              char *joined = g_strconcat (command->args[i], NULL);
              joined[strlen (joined) - 1] = '\0';
              argv[i] = g_strconcat (joined, argv_text, NULL);
              g_free (joined);
              g_ptr_array_add (owned, (gpointer) argv[i]);
            }
          else
            argv[i] = command->args[i];
        }
      what = g_strjoinv (" ", (char **) command->args);

      take_print (fixture, &before, -1);
      cli_full (fixture, &run, NULL,
                stdin_hostile ? hostile->text : command->input,
                stdin_hostile ? (gssize) length : -1, argv);
      if (!run.exited || (run.status != 0 && run.status != 1 &&
                          (run.status < EX__BASE || run.status > EX__MAX)))
        g_error ("%s with %s: exit %d\n%s", what, hostile->name, run.status, run.err);
      take_print (fixture, &after, before.max_id);

      g_assert_cmpstr (after.schema, ==, before.schema);
      g_assert_cmpstr (after.leads_sum, ==, before.leads_sum);
      if (command->effect == READS)
        g_assert_cmpstr (after.counts, ==, before.counts);
    }
  assert_listings_valid (fixture, hostile->name);
}

static void
test_hostile_input (Fixture *fixture, gconstpointer data)
{
  g_autofree char *overlong = NULL;
  g_autofree char *big = NULL;
  g_autoptr(GString) utf8 = g_string_new (NULL);
  g_auto(Run) list = { 0 };
  static const char nul_injection[] = "MECARD:N:A\0B;EMAIL:x@y.z'); DROP TABLE leads; --\0;;";
  static const char nul_json[] = "{\"email\": \"nul\\u0000@example.org\", \"first_name\": \"a\0b\"}\n";
  static const char invalid_utf8[] = "\xff\xfe Jos\xe9 \xc3\x28 \xed\xa0\x80 M\xfcller\xc0\xaf";

  for (guint i = 0; i < 60000; i++)
    g_string_append (utf8, "ä");
  overlong = g_string_free (g_steal_pointer (&utf8), FALSE);
  big = g_strnfill (3 * 1024 * 1024, 'A');

  {
    /* Leads the hostile input must leave alone. */
    g_auto(Run) run = { 0 };
    cli (fixture, &run, NULL, NULL, "capture", "--payload",
         "MECARD:N:Muster,Anna;EMAIL:anna@muster.de;ORG:Muster GmbH;;", "--consent", "1");
    g_assert_cmpint (run.status, ==, 0);
    run_clear (&run);
    memset (&run, 0, sizeof run);
    cli (fixture, &run, NULL, NULL, "capture", "--payload", "MECARD:N:Weiß,Jörg;EMAIL:joerg@weiss.de;;");
    g_assert_cmpint (run.status, ==, 0);
  }

  {
    const Hostile hostile[] = {
      { "sql-quote", "'); DROP TABLE leads; --", -1 },
      { "sql-or", "\" OR 1=1 --", -1 },
      { "sql-or-quote", "x' OR '1'='1", -1 },
      { "fts-syntax", "\"unterminated AND NEAR( * OR -", -1 },
      { "like-wildcards", "%_%\\", -1 },
      { "invalid-utf8", invalid_utf8, -1 },
      { "overlong", overlong, -1 },
      { "nul-payload", nul_injection, sizeof nul_injection - 1 },
      { "nul-json", nul_json, sizeof nul_json - 1 },
      { "huge", big, -1 },
    };

    for (guint i = 0; i < G_N_ELEMENTS (hostile); i++)
      {
        /* argv is limited to 128 KiB per argument; the huge text goes
         * through stdin and files only. */
        if (strlen (hostile[i].text) > 128 * 1024)
          {
            Hostile only_data = hostile[i];
            only_data.length = strlen (hostile[i].text);
            run_hostile (fixture, &only_data);
          }
        else
          run_hostile (fixture, &hostile[i]);
      }
  }

  /* The leads table is still there and holds the two leads untouched. */
  cli (fixture, &list, NULL, NULL, "person", "export", "--email", "anna@muster.de");
  g_assert_cmpint (list.status, ==, 0);
  g_assert_nonnull (strstr (list.out, "Muster GmbH"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/security/consent-ledger", test_consent_ledger);
  ADD ("/security/token-not-in-database", test_token_not_in_database);
  ADD ("/security/logs-without-personal-data", test_logs_without_personal_data);
  ADD ("/security/crash-output", test_crash_output);
  ADD ("/security/hostile-input", test_hostile_input);
#undef ADD

  return g_test_run ();
}
