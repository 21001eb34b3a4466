/* test-cli-scan.c: fairlead-cli scan-image and qr, run as a user would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  char *dir;
  char *out;
  char *err;
  int   status;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-cli-scan-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_free (fixture->out);
  g_free (fixture->err);
}

/* Runs fairlead-cli with @args (NULL-terminated) in the fixture's folder. */
static int
run (Fixture *fixture, const char *input, ...)
{
  const char *cli = g_getenv ("FAIRLEAD_CLI");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (gpointer) cli);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_cwd (launcher, fixture->dir);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_clear_pointer (&fixture->out, g_free);
  g_clear_pointer (&fixture->err, g_free);
  g_subprocess_communicate_utf8 (process, input, NULL, &fixture->out, &fixture->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  fixture->status = g_subprocess_get_exit_status (process);
  return fixture->status;
}

static JsonObject *
parse_line (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, line, -1, &error));
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
test_round_trip (Fixture *fixture, gconstpointer data)
{
  const char *text = "Jürgen Größer · Müller & Söhne · https://fairlead.example/c?x=1";
  g_autoptr(JsonObject) object = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_cmpint (run (fixture, NULL, "qr", text, "-o", "code.png", NULL), ==, 0);
  g_assert_cmpstr (fixture->err, ==, "");
  g_assert_cmpint (run (fixture, NULL, "qr", "--ec", "h", "--scale", "3", text, "-o", "code.svg",
                        NULL), ==, 0);

  g_assert_cmpint (run (fixture, NULL, "scan-image", "code.png", NULL), ==, 0);
  lines = g_strsplit (g_strchomp (fixture->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  object = parse_line (lines[0]);
  g_assert_cmpstr (json_object_get_string_member (object, "file"), ==, "code.png");
  g_assert_cmpstr (json_object_get_string_member (object, "symbology"), ==, "qr");
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==, text);
  g_assert_cmpint (json_object_get_int_member (object, "x"), >=, 8 * 4 - 2);
  g_assert_cmpint (json_object_get_int_member (object, "width"), >, 100);
}

static void
test_stdin_vcard (Fixture *fixture, gconstpointer data)
{
  const char *vcard = "BEGIN:VCARD\nVERSION:3.0\nFN:Anna Weiß\nEND:VCARD\n";
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpint (run (fixture, vcard, "qr", "-", "-o", "card.png", NULL), ==, 0);
  g_assert_cmpint (run (fixture, NULL, "scan-image", "card.png", NULL), ==, 0);
  object = parse_line (fixture->out);
  /* The trailing newline of the input is not part of the code. */
  g_assert_cmpstr (json_object_get_string_member (object, "data"), ==,
                   "BEGIN:VCARD\nVERSION:3.0\nFN:Anna Weiß\nEND:VCARD");
}

static void
test_several_files (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GdkPixbuf) blank = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 120, 80);
  g_autofree char *blank_path = g_build_filename (fixture->dir, "blank.jpg", NULL);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  gdk_pixbuf_fill (blank, 0xf0f0f0ff);
  g_assert_true (gdk_pixbuf_save (blank, blank_path, "jpeg", &error, NULL));
  g_assert_cmpint (run (fixture, NULL, "qr", "ONE", "-o", "one.png", NULL), ==, 0);
  g_assert_cmpint (run (fixture, NULL, "qr", "TWO", "-o", "two.png", NULL), ==, 0);

  g_assert_cmpint (run (fixture, NULL, "scan-image", "one.png", "two.png", NULL), ==, 0);
  lines = g_strsplit (g_strchomp (fixture->out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_nonnull (strstr (lines[0], "\"ONE\""));
  g_assert_nonnull (strstr (lines[1], "\"TWO\""));

  /* No code: status 1 and the file named on stderr. */
  g_assert_cmpint (run (fixture, NULL, "scan-image", "blank.jpg", NULL), ==, 1);
  g_assert_cmpstr (fixture->out, ==, "");
  g_assert_nonnull (strstr (fixture->err, "no code found in blank.jpg"));

  /* The codes that are there are still printed. */
  g_assert_cmpint (run (fixture, NULL, "scan-image", "one.png", "blank.jpg", NULL), ==, 1);
  g_assert_nonnull (strstr (fixture->out, "\"ONE\""));
}

static void
test_unreadable (Fixture *fixture, gconstpointer data)
{
  g_autofree char *text_path = g_build_filename (fixture->dir, "notes.png", NULL);

  g_assert_true (g_file_set_contents (text_path, "just text", -1, NULL));
  g_assert_cmpint (run (fixture, NULL, "scan-image", "notes.png", NULL), ==, 66);
  g_assert_nonnull (strstr (fixture->err, "notes.png"));
  g_assert_nonnull (strstr (fixture->err, "not a PNG or JPEG image"));

  g_assert_cmpint (run (fixture, NULL, "scan-image", "missing.png", NULL), ==, 66);
  g_assert_nonnull (strstr (fixture->err, "missing.png"));

  g_assert_cmpint (run (fixture, NULL, "qr", "X", "-o", "x.png", NULL), ==, 0);
  g_assert_cmpint (run (fixture, NULL, "scan-image", "x.png", "missing.png", NULL), ==, 66);
  g_assert_nonnull (strstr (fixture->out, "\"X\""));
}

static void
test_usage (Fixture *fixture, gconstpointer data)
{
  g_autofree char *long_text = g_strnfill (3000, 'a');
  g_autofree char *c_png = g_build_filename (fixture->dir, "c.png", NULL);

  g_assert_cmpint (run (fixture, NULL, "scan-image", NULL), ==, 64);
  g_assert_cmpint (run (fixture, NULL, "scan-image", "--symbology", "pdf417", "x.png", NULL), ==,
                   64);
  g_assert_nonnull (strstr (fixture->err, "pdf417"));
  g_assert_cmpint (run (fixture, NULL, "qr", "text", NULL), ==, 64);
  g_assert_nonnull (strstr (fixture->err, "-o"));
  g_assert_cmpint (run (fixture, NULL, "qr", "text", "-o", "code.gif", NULL), ==, 64);
  g_assert_nonnull (strstr (fixture->err, ".svg"));
  g_assert_cmpint (run (fixture, NULL, "qr", "--ec", "Z", "text", "-o", "c.png", NULL), ==, 64);
  g_assert_cmpint (run (fixture, NULL, "qr", "--scale", "0", "text", "-o", "c.png", NULL), ==, 64);
  g_assert_cmpint (run (fixture, NULL, "qr", "", "-o", "c.png", NULL), ==, 65);
  g_assert_cmpint (run (fixture, NULL, "qr", long_text, "-o", "c.png", NULL), ==, 65);
  g_assert_nonnull (strstr (fixture->err, "too long"));
  g_assert_cmpint (run (fixture, NULL, "qr", "text", "-o", "no/such/dir/c.png", NULL), ==, 73);
  /* Refused codes leave no file behind. */
  g_assert_false (g_file_test (c_png, G_FILE_TEST_EXISTS));
}

static void
test_symbology_filter (Fixture *fixture, gconstpointer data)
{
  g_assert_cmpint (run (fixture, NULL, "qr", "FILTERED", "-o", "f.png", NULL), ==, 0);
  g_assert_cmpint (run (fixture, NULL, "scan-image", "-s", "code128,ean-upc", "f.png", NULL), ==,
                   1);
  g_assert_cmpint (run (fixture, NULL, "scan-image", "-s", "qr", "f.png", NULL), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/cli-scan/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("stdin-vcard", test_stdin_vcard);
  ADD ("several-files", test_several_files);
  ADD ("unreadable", test_unreadable);
  ADD ("usage", test_usage);
  ADD ("symbology-filter", test_symbology_filter);
#undef ADD

  return g_test_run ();
}
