/* test-model-cli.c: fairlead-cli model and rescore, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sysexits.h>

typedef struct
{
  char *dir;
  char *db;
} Fixture;

static int
run (Fixture *f, char **out, char **err, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  int status = 0;
  va_list ap;

  g_ptr_array_add (args, (char *) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (char *) "--db");
  g_ptr_array_add (args, f->db);
  va_start (ap, err);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  g_spawn_sync (NULL, (char **) args->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status,
                &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s\nstderr: %s", *out, *err);
  return WIFEXITED (status) ? WEXITSTATUS (status) : -1;
}

static char *
demo_model_path (void)
{
  return g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json", NULL);
}

static char *
write_file (Fixture *f, const char *name, const char *contents)
{
  char *path = g_build_filename (f->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

/* The demo model with one text replaced. */
static char *
demo_variant (Fixture *f, const char *name, const char *from, const char *to)
{
  g_autofree char *path = demo_model_path ();
  g_autofree char *text = NULL;
  g_autoptr(GString) changed = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  changed = g_string_new (text);
  g_assert_cmpuint (g_string_replace (changed, from, to, 1), ==, 1);
  return write_file (f, name, changed->str);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  f->dir = g_dir_make_tmp ("fairlead-model-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = g_build_filename (f->dir, "fairlead.db", NULL);
  g_assert_cmpint (run (f, &out, &err, "event", "create", "CLI Show", NULL), ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  fl_test_remove_tree (f->dir);
  g_free (f->db);
  g_free (f->dir);
}

static void
test_check_valid (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = demo_model_path ();

  g_assert_cmpint (run (f, &out, &err, "model", "check", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "is valid"));
  g_assert_nonnull (strstr (out, "Maximum total      105"));
  g_assert_nonnull (strstr (out, "65, reachable"));
  g_assert_nonnull (strstr (out, "Consent version    2026-06"));
  g_assert_cmpstr (err, ==, "");
}

static void
test_check_faults (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *bad = NULL;
  g_autofree char *path = NULL;

  path = demo_variant (f, "bad.json", "\"points\": 25", "\"points\": \"25\"");
  bad = g_strdup_printf ("%s: questions[0].options[0].points: expected an integer", path);
  g_assert_cmpint (run (f, &out, &err, "model", "check", path, NULL), ==, EX_DATAERR);
  g_assert_nonnull (strstr (err, bad));
  g_assert_nonnull (strstr (err, "1 fault"));
  g_free (path);
  g_free (out);
  g_free (err);

  /* Two faults, both reported. */
  path = write_file (f, "two.json",
                     "{\"name\": \"x\", \"version\": \"1\", \"agreed_by\": [\"a\"],"
                     " \"consent\": {\"version\": 1, \"text\": {\"en\": \"a\"}},"
                     " \"questions\": [], \"thresholds\": {\"sal\": 1}}");
  g_assert_cmpint (run (f, &out, &err, "model", "check", path, NULL), ==, EX_DATAERR);
  g_assert_nonnull (strstr (err, "version: expected an integer"));
  g_assert_nonnull (strstr (err, "consent.text.de: missing the German (de) text"));
  g_assert_nonnull (strstr (err, "2 faults"));
  g_free (out);
  g_free (err);

  g_assert_cmpint (run (f, &out, &err, "model", "check", "/nonexistent.json", NULL), ==, EX_NOINPUT);
}

static void
test_load_show_rescore (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *path = demo_model_path ();
  g_autofree char *changed = demo_variant (f, "changed.json", "\"sal\": 65", "\"sal\": 60");
  g_autofree char *bumped = NULL;
  g_autofree char *invalid = demo_variant (f, "invalid.json", "\"matches\": \"\\\\b(student", "\"matches\": \"\\\\b((student");
  g_autofree char *leads = write_file (f, "leads.jsonl",
    "{\"uuid\": \"11111111-1111-4111-8111-111111111111\", \"full_name\": \"Anna Schmidt\","
    " \"company\": \"Kunde AG\", \"title\": \"Head of Production\","
    " \"answers\": {\"timeframe\": \"3m\", \"budget\": \"approved\", \"role\": \"decides\"}}\n"
    "{\"uuid\": \"22222222-2222-4222-8222-222222222222\", \"full_name\": \"Ben Berg\","
    " \"company\": \"Berg KG\", \"answers\": {\"timeframe\": \"6m\", \"budget\": \"planned\","
    " \"role\": \"influences\", \"follow_up\": \"meeting\"}}\n"
    "{\"uuid\": \"33333333-3333-4333-8333-333333333333\", \"full_name\": \"Max Muster\","
    " \"company\": \"Uni\", \"title\": \"Werkstudent\"}\n");

  /* No model yet. */
  g_assert_cmpint (run (f, &out, &err, "model", "show", NULL), ==, EX_CONFIG);
  g_assert_nonnull (strstr (err, "model load"));
  g_free (out), g_free (err);

  g_assert_cmpint (run (f, &out, &err, "leads", "import", leads, NULL), ==, 0);
  g_free (out), g_free (err);
  g_assert_cmpint (run (f, &out, &err, "model", "load", path, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Loaded model “Automatica booth model” version 1"));
  g_assert_nonnull (strstr (out, "fairlead-cli rescore"));
  g_free (out), g_free (err);

  g_assert_cmpint (run (f, &out, &err, "model", "show", "--language", "de", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Zeitrahmen"));
  g_assert_nonnull (strstr (out, "Arbeitet bei einem Wettbewerber"));
  g_free (out), g_free (err);
  g_assert_cmpint (run (f, &out, &err, "model", "show", "--json", NULL), ==, 0);
  {
    g_autofree char *file = NULL;
    g_assert_true (g_file_get_contents (path, &file, NULL, NULL));
    g_assert_cmpstr (out, ==, file);
  }
  g_free (out), g_free (err);

  /* Changed content, same version: refused; an invalid model: refused. */
  g_assert_cmpint (run (f, &out, &err, "model", "load", changed, NULL), ==, EX_DATAERR);
  g_assert_nonnull (strstr (err, "Bump the “version”"));
  g_free (out), g_free (err);
  g_assert_cmpint (run (f, &out, &err, "model", "load", invalid, NULL), ==, EX_DATAERR);
  g_assert_nonnull (strstr (err, "invalid regular expression"));
  g_assert_nonnull (strstr (err, "The model in force stays: “Automatica booth model” version 1."));
  g_free (out), g_free (err);

  g_assert_cmpint (run (f, &out, &err, "rescore", "--dry-run", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Dry run: 3 leads"));
  g_assert_nonnull (strstr (out, "MQL → SAL"));
  g_assert_nonnull (strstr (out, "MQL → DISQUALIFIED"));
  g_assert_nonnull (strstr (out, "11111111-1111-4111-8111-111111111111  MQL → SAL"));
  g_assert_null (strstr (out, "22222222-2222-4222-8222-222222222222"));
  g_free (out), g_free (err);
  g_assert_cmpint (run (f, &out, &err, "leads", "list", "--status", "SAL", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "No leads."));
  g_free (out), g_free (err);

  g_assert_cmpint (run (f, &out, &err, "rescore", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Re-scored 3 leads"));
  g_assert_nonnull (strstr (out, "3 changed"));
  g_free (out), g_free (err);
  g_assert_cmpint (run (f, &out, &err, "leads", "list", "--status", "SAL", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Anna Schmidt"));
  g_free (out), g_free (err);

  g_assert_cmpint (run (f, &out, &err, "leads", "show", "11111111-1111-4111-8111-111111111111", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Score breakdown:"));
  g_assert_nonnull (strstr (out, "Timeframe: within 3 months +25"));
  g_assert_nonnull (strstr (out, "Status SAL: score 70 reaches the SAL threshold 65"));
  g_free (out), g_free (err);

  /* What-if with a lower threshold (a new version): Ben would become SAL. */
  bumped = demo_variant (f, "bumped.json", "\"version\": 1", "\"version\": 2");
  {
    g_autofree char *lower = NULL;
    g_autofree char *text = NULL;
    g_autoptr(GString) s = NULL;

    g_assert_true (g_file_get_contents (bumped, &text, NULL, NULL));
    s = g_string_new (text);
    g_string_replace (s, "\"sal\": 65", "\"sal\": 50", 1);
    lower = write_file (f, "lower.json", s->str);
    g_assert_cmpint (run (f, &out, &err, "rescore", "--model", lower, "--dry-run", NULL), ==, 0);
    g_assert_nonnull (strstr (out, "22222222-2222-4222-8222-222222222222  MQL → SAL"));
    g_free (out), g_free (err);
  }
  g_assert_cmpint (run (f, &out, &err, "rescore", "--model", invalid, NULL), ==, EX_DATAERR);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/model-cli/check-valid", test_check_valid);
  ADD ("/model-cli/check-faults", test_check_faults);
  ADD ("/model-cli/load-show-rescore", test_load_show_rescore);
#undef ADD

  return g_test_run ();
}
