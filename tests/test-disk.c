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
#include "store/fl-backup.h"
#include "store/fl-doctor.h"
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
try_mount (Fixture *fixture, const char *size, gboolean skip)
{
  g_autofree char *options = g_strdup_printf ("size=%s,mode=0700", size);
  g_autofree char *path = g_build_filename (fixture->dir, "disk", NULL);

  g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
  if (mount ("tmpfs", path, "tmpfs", 0, options) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("Cannot mount a small tmpfs to fill (%s); "
                                                 "this test needs root",
                                                 g_strerror (errno));
      if (skip)
        g_test_skip (reason);
      return FALSE;
    }
  fixture->mount = g_steal_pointer (&path);
  return TRUE;
}

static gboolean
mount_small_disk (Fixture *fixture, const char *size)
{
  return try_mount (fixture, size, TRUE);
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
  sqlite3_stmt *stmt =
    fl_store_prepare (store, "SELECT count(*) FROM leads WHERE uuid = ?", &error);
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
    g_assert_cmpstr (run.err, ==, "fairlead-cli: The disk is full — free space and try again; "
                                  "nothing was saved\n");
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
  g_autofree char *wal = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(FlStore) kiosk = NULL;
  g_autoptr(GError) error = NULL;
  goffset largest = 0;

  /* 20,000 commits with fsync take a minute on a busy disk and no time on
   * a tmpfs; the WAL grows the same on both. */
  if (try_mount (fixture, "512m", FALSE))
    {
      g_free (fixture->db);
      fixture->db = g_build_filename (fixture->mount, "kiosk.db", NULL);
    }
  wal = g_strconcat (fixture->db, "-wal", NULL);
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

/* A database with @n leads, written by fairlead-cli as a booth would. */
static void
make_database (const char *db, guint n, const char *dir)
{
  g_autofree char *leads = make_leads (0, n, 40);
  g_autofree char *leads_path = g_build_filename (dir, "seed.jsonl", NULL);

  {
    g_auto(Run) run = { 0 };
    run_cli (db, &run, NULL, "event", "create", "Fjord Expo", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  g_assert_true (g_file_set_contents (leads_path, leads, -1, NULL));
  {
    g_auto(Run) run = { 0 };
    run_cli (db, &run, NULL, "leads", "import", leads_path, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
}

/* doctor finds a damaged index page and names it; writing commands refuse
 * the file; --recover saves every lead into a new file where search works. */
static void
test_damaged_index (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "recovered.db", NULL);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected = NULL;
  FlLeadQuery query = { 0 };
  guint n_saved = 0;

  make_database (fixture->db, 300, fixture->dir);
  /* A kiosk of a booth: its booth sync log (schema 11: only in a booth)
   * is recovered too. */
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "booth", "create", "--address", "127.0.0.1:7841", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "doctor", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, "is sound"));
  }
  fl_test_damage_tree (fixture->db, "leads_event_email");

  /* An import that runs into the damage stops there, once. */
  {
    g_auto(Run) run = { 0 };
    g_autofree char *leads = make_leads (0, 300, 40);
    g_autofree char *leads_path = g_build_filename (fixture->dir, "more.jsonl", NULL);

    g_assert_true (g_file_set_contents (leads_path, leads, -1, NULL));
    run_cli (fixture->db, &run, NULL, "leads", "import", leads_path, NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_true (g_str_has_prefix (run.err, "fairlead-cli: The database is damaged"));
    g_assert_nonnull (strstr (run.err, "doctor --recover"));
    g_assert_nonnull (strstr (run.err, " was saved\n"));
    lines = g_strsplit (run.err, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 2);
    /* The leads before the damage were saved, each on its own line. */
    for (const char *c = run.out; *c != '\0'; c++)
      n_saved += *c == '\n';
    g_assert_cmpuint (n_saved, <, 300);
  }

  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "doctor", NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_nonnull (strstr (run.out,
                              "The index “leads_event_email” of the table “leads” is damaged"));
    g_assert_nonnull (strstr (run.out, "What SQLite found:\n  "));
    g_assert_nonnull (strstr (run.err, "doctor --recover"));
  }
  /* Found damaged, the file takes no more writes. */
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "capture", "--payload",
             "MECARD:N:Beispiel,Ben;EMAIL:ben@example.com;;", NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_cmpstr (run.out, ==, "");
    g_assert_nonnull (strstr (run.err, "doctor --recover"));
  }

  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "doctor", "--recover", out, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    expected = g_strdup_printf ("leads            %u/%u\n", 300 + n_saved, 300 + n_saved);
    g_assert_nonnull (strstr (run.out, expected));
    g_assert_nonnull (strstr (run.out, "events           1/1\n"));
    /* The booth sync clock's one row is the source's, not a lost row. */
    g_assert_nonnull (strstr (run.out, "replica_clock    1/1\n"));
  }
  {
    g_auto(Run) run = { 0 };
    run_cli (out, &run, NULL, "doctor", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  /* It refuses to write over a file. */
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "doctor", "--recover", out, NULL);
    g_assert_cmpint (run.status, !=, EX_OK);
    g_assert_nonnull (strstr (run.err, "exists already"));
  }

  store = fl_store_open (out, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, 300 + n_saved);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM replica_clock WHERE "
                                             "hlc = (SELECT max (hlc) FROM changes)"), ==, 1);
  /* The log names the kiosk's own device as the damaged file did. */
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM changes WHERE device = "
                                             "(SELECT value FROM meta WHERE key = 'device_id')"), >, 300);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads WHERE email = "
                                             "'anna299@example.com'"), ==, 1);
  query.search = "Anna299";
  g_assert_cmpint (fl_store_count_leads (store, &query, &error), ==, 1);
  g_assert_no_error (error);
  query.search = "Fjord";
  g_assert_cmpint (fl_store_count_leads (store, &query, &error), ==, 300 + n_saved);
  g_assert_no_error (error);
  /* The recovered leads are found by their event's key (schema 10). */
  query.search = NULL;
  g_assert_cmpint (fl_store_count_leads (store, &query, &error), ==, 300 + n_saved);
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads WHERE event_key IS NOT "
                                             "(SELECT id FROM event_keys WHERE uuid = event)"), ==, 0);
}

/* Only a full check clears what a full check found: a quick check does not
 * compare indexes with their tables. */
static void
test_damage_mark (Fixture *fixture, gconstpointer data)
{
  g_autofree char *mark_path = g_strconcat (fixture->db, ".damaged", NULL);
  g_autoptr(FlDoctorReport) quick = NULL;
  g_autoptr(FlDoctorReport) full = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *mark = NULL;

  make_database (fixture->db, 10, fixture->dir);
  g_assert_true (g_file_set_contents (mark_path, "wrong # of entries in index x\n", -1, NULL));

  quick = fl_doctor_check (fixture->db, TRUE, &error);
  g_assert_no_error (error);
  g_assert_true (quick->sound);
  mark = fl_doctor_get_mark (fixture->db);
  g_assert_cmpstr (mark, ==, mark_path);
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "leads", "list", NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_nonnull (strstr (run.err, "was found damaged"));
  }

  full = fl_doctor_check (fixture->db, FALSE, &error);
  g_assert_no_error (error);
  g_assert_true (full->sound);
  g_assert_null (fl_doctor_get_mark (fixture->db));
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "leads", "list", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
}

/* A damaged table page costs the rows on it, not the rows after it. */
static void
test_damaged_table (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = g_build_filename (fixture->dir, "recovered.db", NULL);
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  make_database (fixture->db, 400, fixture->dir);
  fl_test_damage_tree (fixture->db, "leads");

  counts = fl_doctor_recover (fixture->db, out, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < counts->len; i++)
    {
      FlDoctorTableCount *count = &g_array_index (counts, FlDoctorTableCount, i);

      if (strcmp (count->table, "leads") != 0)
        continue;
      found = TRUE;
      g_test_message ("leads recovered: %" G_GINT64_FORMAT, count->recovered);
      /* One page of leads lost, the rest saved. */
      g_assert_cmpint (count->recovered, <, 400);
      g_assert_cmpint (count->recovered, >, 300);
    }
  g_assert_true (found);
}

typedef struct
{
  char         *db;
  volatile gint stop;
  guint         n_written;
} Writer;

/* Captures leads on a connection of its own until told to stop, as the
 * kiosk would during a backup. */
static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;

  store = fl_store_open (writer->db, &error);
  g_assert_no_error (error);
  while (!g_atomic_int_get (&writer->stop))
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *name = g_strdup_printf ("Writer%u", writer->n_written);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, name);
      g_assert_true (fl_store_save_lead (store, lead, "test", &error));
      g_assert_no_error (error);
      writer->n_written++;
    }
  return NULL;
}

static void
test_backup_while_writing (Fixture *fixture, gconstpointer data)
{
  g_autofree char *dest = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autofree char *dest_wal = g_strconcat (dest, "-wal", NULL);
  Writer writer = { fixture->db, 0, 0 };
  g_autoptr(FlStore) reader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  gint64 before, after, in_backup = -1;
  struct stat st;

  make_database (fixture->db, 500, fixture->dir);
  reader = fl_store_open (fixture->db, &error);
  g_assert_no_error (error);

  thread = g_thread_new ("writer", writer_thread, &writer);
  while (g_atomic_int_get (&writer.n_written) < 50)
    g_usleep (1000);
  before = fl_test_query_int (reader, "SELECT count(*) FROM leads");
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "backup", dest, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  after = fl_test_query_int (reader, "SELECT count(*) FROM leads");
  g_atomic_int_set (&writer.stop, 1);
  g_thread_join (g_steal_pointer (&thread));
  g_assert_cmpint (after, >, before);

  g_assert_cmpint (g_stat (dest, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_false (g_file_test (dest_wal, G_FILE_TEST_EXISTS));

  {
    g_auto(Run) run = { 0 };
    g_auto(GStrv) words = NULL;

    run_cli (fixture->db, &run, NULL, "backup", "--verify", dest, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, "Fairlead database version"));
    words = g_strsplit (strstr (run.out, "version"), " ", -1);
    in_backup = g_ascii_strtoll (words[2], NULL, 10);
  }
  g_test_message ("before %" G_GINT64_FORMAT ", backup %" G_GINT64_FORMAT ", after %"
                  G_GINT64_FORMAT, before, in_backup, after);
  g_assert_cmpint (in_backup, >=, before);
  g_assert_cmpint (in_backup, <=, after);

  /* The backup is a Fairlead database the CLI works with. */
  {
    g_auto(Run) run = { 0 };
    run_cli (dest, &run, NULL, "doctor", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
}

/* --verify refuses a damaged copy and a file that is not Fairlead's. */
static void
test_backup_verify_refuses (Fixture *fixture, gconstpointer data)
{
  g_autofree char *dest = g_build_filename (fixture->dir, "backup.db", NULL);
  g_autofree char *other = g_build_filename (fixture->dir, "other.db", NULL);
  sqlite3 *db = NULL;

  make_database (fixture->db, 300, fixture->dir);
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "backup", dest, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, "300 leads, 1 event"));
  }
  fl_test_damage_tree (dest, "leads_event_email");
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "backup", "--verify", dest, NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_nonnull (strstr (run.err, "leads_event_email"));
  }

  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "backup", "--verify", other, NULL);
    g_assert_cmpint (run.status, ==, EX_NOINPUT);
    g_assert_nonnull (strstr (run.err, "There is no database"));
  }

  g_assert_cmpint (sqlite3_open (other, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (x)", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  {
    g_auto(Run) run = { 0 };
    run_cli (fixture->db, &run, NULL, "backup", "--verify", other, NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_nonnull (strstr (run.err, "not a Fairlead database"));
  }
}

/* Rolling backups keep the newest few. */
static void
test_backup_rolling (Fixture *fixture, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (fixture->dir, "backups", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n = 0;

  make_database (fixture->db, 10, fixture->dir);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = fl_backup_rolling (fixture->db, folder, 2, &error);
      FlBackupInfo info;

      g_assert_no_error (error);
      g_assert_true (fl_backup_verify (path, &info, &error));
      g_assert_no_error (error);
      g_assert_cmpint (info.n_leads, ==, 10);
      /* The names carry the second. */
      g_usleep (1100 * 1000);
    }
  dir = g_dir_open (folder, 0, &error);
  g_assert_no_error (error);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_assert_cmpuint (n, ==, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/disk/full", Fixture, NULL, fixture_set_up, test_disk_full, fixture_tear_down);
  g_test_add ("/disk/wal-bounded", Fixture, NULL, fixture_set_up, test_wal_bounded,
              fixture_tear_down);

  g_test_add ("/disk/damaged-index", Fixture, NULL, fixture_set_up, test_damaged_index,
              fixture_tear_down);
  g_test_add ("/disk/damage-mark", Fixture, NULL, fixture_set_up, test_damage_mark,
              fixture_tear_down);
  g_test_add ("/disk/damaged-table", Fixture, NULL, fixture_set_up, test_damaged_table,
              fixture_tear_down);
  g_test_add ("/disk/backup-while-writing", Fixture, NULL, fixture_set_up,
              test_backup_while_writing, fixture_tear_down);
  g_test_add ("/disk/backup-verify-refuses", Fixture, NULL, fixture_set_up,
              test_backup_verify_refuses, fixture_tear_down);
  g_test_add ("/disk/backup-rolling", Fixture, NULL, fixture_set_up, test_backup_rolling,
              fixture_tear_down);

  return g_test_run ();
}
