/* test-disk.c: files, disks and damage — a full disk, a long import's WAL,
 * backups, and a damaged database found and recovered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "fl-test.h"
#include "store/fl-store.h"

typedef struct
{
  char *dir;
  char *db;
  char *mount;  /* a small tmpfs under dir, or NULL */
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

/* Runs fairlead-cli on @db; @input goes to stdin. */
static void
run_cli (const char *db, Run *run, const char *input, ...)
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
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, (gpointer) db);
  va_start (args, input);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %.2000s\nstderr: %.2000s", run->status, run->out, run->err);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->dir = g_dir_make_tmp ("fairlead-disk-XXXXXX", NULL);
  fixture->db = g_build_filename (fixture->dir, "kiosk.db", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->mount != NULL)
    umount2 (fixture->mount, MNT_DETACH);
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->mount);
  g_free (fixture->dir);
  g_free (fixture->db);
}

/* Mounts a tmpfs of @size under the fixture's folder: a small disk of its own
 * to fill. Needs root (the tests run as root on the build machine). */
static gboolean
mount_small_disk (Fixture *fixture, const char *size)
{
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0700", size);
  g_autofree char *path = g_build_filename (fixture->dir, "disk", NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  if (mount ("tmpfs", path, "tmpfs", 0, options) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("Cannot mount a small tmpfs to fill (%s); "
                                                 "this test needs root",
                                                 g_strerror (errno));
      g_test_skip (reason);
      return FALSE;
    }
  fixture->mount = g_steal_pointer (&path);
  return TRUE;
}

/* Writes zeros to a file on the small disk until only @leave bytes are left. */
static void
fill_disk (Fixture *fixture, gsize leave)
{
  g_autofree char *path = g_build_filename (fixture->mount, "filler", NULL);
  g_autofree char *block = g_malloc0 (4096);
  FILE *file = fopen (path, "ab");

  g_assert_nonnull (file);
  for (;;)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (fixture->mount);
      g_autoptr(GFileInfo) info =
        g_file_query_filesystem_info (dir, G_FILE_ATTRIBUTE_FILESYSTEM_FREE, NULL, NULL);
      guint64 free_bytes = g_file_info_get_attribute_uint64 (info,
                                                             G_FILE_ATTRIBUTE_FILESYSTEM_FREE);

      if (free_bytes <= leave)
        break;
      if (fwrite (block, 1, 4096, file) != 4096 || fflush (file) != 0)
        break;
    }
  fclose (file);
}

/* JSON Lines of @n leads with long notes, so that a few fill a page or more. */
static char *
make_leads (guint first, guint n, gsize notes_length)
{
  GString *text = g_string_new (NULL);
  g_autofree char *notes = g_strnfill (notes_length, 'n');

  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      g_string_append_printf (text,
                              "{\"uuid\":\"%s\",\"first_name\":\"Anna%u\",\"last_name\":\"Muster\","
                              "\"email\":\"anna%u@example.com\",\"company\":\"Fjord GmbH\","
                              "\"notes\":\"%s\"}\n",
                              uuid, i, i, notes);
    }
  return g_string_free (text, FALSE);
}

static void
copy_file (const char *from, const char *to)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_test (from, G_FILE_TEST_EXISTS))
    return;
  g_assert_true (g_file_get_contents (from, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (to, contents, length, NULL));
}

static gint64
count_lead (FlStore *store, const char *uuid)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = fl_store_prepare (store, "SELECT count(*) FROM leads WHERE uuid = ?", &error);
  gint64 n;

  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* A full disk stops an import at the first lead it cannot save, with exit 74
 * and the line after which nothing was saved; a capture is refused whole.
 * Every lead reported as saved is in the database afterwards. */
static void
test_disk_full (Fixture *fixture, gconstpointer data)
{
  g_autofree char *db = NULL;
  g_autofree char *leads = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *copy_wal = NULL;
  g_autofree char *wal = NULL;
  g_auto(GStrv) saved = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  guint n_saved;

  if (!mount_small_disk (fixture, "2m"))
    return;
  db = g_build_filename (fixture->mount, "kiosk.db", NULL);
  wal = g_strconcat (db, "-wal", NULL);

  {
    g_auto(Run) run = { 0 };
    run_cli (db, &run, NULL, "event", "create", "Fjord Expo", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }

  /* Room for a few leads, not for 200. */
  fill_disk (fixture, 300 * 1024);
  {
    g_auto(Run) run = { 0 };
    g_autofree char *expected = NULL;

    g_autofree char *leads_path = g_build_filename (fixture->dir, "leads.jsonl", NULL);

    leads = make_leads (0, 200, 4000);
    g_assert_true (g_file_set_contents (leads_path, leads, -1, NULL));
    run_cli (db, &run, NULL, "leads", "import", leads_path, NULL);
    g_assert_cmpint (run.status, ==, EX_IOERR);
    saved = g_strsplit (g_strstrip (run.out), "\n", -1);
    n_saved = run.out[0] != '\0' ? g_strv_length (saved) : 0;
    g_assert_cmpuint (n_saved, >, 0);
    g_assert_cmpuint (n_saved, <, 200);
    /* It stopped there: one message, not one for each of the remaining lines. */
    expected = g_strdup_printf ("fairlead-cli: The disk is full — free space and try again; "
                                "nothing after line %u was saved\n",
                                n_saved);
    g_assert_cmpstr (run.err, ==, expected);
  }

  fill_disk (fixture, 0);
  {
    g_auto(Run) run = { 0 };
    run_cli (db, &run, NULL, "capture", "--payload",
             "BEGIN:VCARD\nVERSION:3.0\nFN:Ben Beispiel\nEMAIL:ben@example.com\nEND:VCARD\n",
             NULL);
    g_assert_cmpint (run.status, ==, EX_IOERR);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "The disk is full — free space and try again"));
  }

  /* The database as it is on the full disk, read elsewhere. */
  copy = g_build_filename (fixture->dir, "copy.db", NULL);
  copy_wal = g_strconcat (copy, "-wal", NULL);
  copy_file (db, copy);
  copy_file (wal, copy_wal);
  g_assert_cmpint (umount2 (fixture->mount, 0), ==, 0);
  g_clear_pointer (&fixture->mount, g_free);

  store = fl_store_open (copy, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, n_saved);
  for (guint i = 0; i < n_saved; i++)
    g_assert_cmpint (count_lead (store, saved[i]), ==, 1);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads WHERE email = "
                                             "'ben@example.com'"), ==, 0);
}

static goffset
file_size (const char *path)
{
  struct stat st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size;
}

/* The -wal file stays bounded during a long import, even with the kiosk
 * holding the database open, and is cut back at the end. */
static void
test_wal_bounded (Fixture *fixture, gconstpointer data)
{
  const guint n_leads = 20000;
  g_autofree char *leads = make_leads (0, n_leads, 200);
  g_autofree char *leads_path = g_build_filename (fixture->dir, "leads.jsonl", NULL);
  g_autofree char *wal = g_strconcat (fixture->db, "-wal", NULL);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(FlStore) kiosk = NULL;
  g_autoptr(GError) error = NULL;
  goffset largest = 0;

  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "event", "create", "Fjord Expo", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  g_assert_true (g_file_set_contents (leads_path, leads, -1, NULL));

  /* The kiosk's connection keeps the WAL from being removed at the end. */
  kiosk = fl_store_open (fixture->db, &error);
  g_assert_no_error (error);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error, g_getenv ("FAIRLEAD_CLI"),
                              "--db", fixture->db, "leads", "import", leads_path, NULL);
  g_assert_no_error (error);
  while (g_subprocess_get_identifier (process) != NULL)
    {
      largest = MAX (largest, file_size (wal));
      g_usleep (20 * 1000);
    }
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  largest = MAX (largest, file_size (wal));

  g_test_message ("largest -wal during the import: %" G_GOFFSET_FORMAT " bytes, after: %"
                  G_GOFFSET_FORMAT, largest, file_size (wal));
  g_assert_cmpint (fl_test_query_int (kiosk, "SELECT count(*) FROM leads"), ==, n_leads);
  g_assert_cmpint (largest, <=, 2 * FL_STORE_WAL_SIZE_LIMIT);
  g_assert_cmpint (file_size (wal), <=, 64 * 1024);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/disk/full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/disk/wal-bounded", Fixture, NULL, fixture_set_up, test_wal_bounded,
              fixture_tear_down);

  return g_test_run ();
}
