/* fl-backup.c: consistent copies of a database, taken while it is in use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-backup"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "fl-backup.h"
#include "fl-doctor.h"
#include "fl-store-private.h"

#define ROLLING_PREFIX "fairlead-"
#define ROLLING_SUFFIX ".db"

static gboolean
failed (sqlite3 *db, const char *path, GError **error)
{
  _fl_store_set_sqlite_error (db, error);
  g_prefix_error (error, "%s: ", path);
  return FALSE;
}

static gboolean
read_info (sqlite3 *db, FlBackupInfo *info)
{
  sqlite3_stmt *stmt = NULL;
  gboolean ok = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT (SELECT user_version FROM pragma_user_version), "
                              "(SELECT count(*) FROM events), (SELECT count(*) FROM leads)",
                          -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      info->schema_version = sqlite3_column_int (stmt, 0);
      info->n_events = sqlite3_column_int64 (stmt, 1);
      info->n_leads = sqlite3_column_int64 (stmt, 2);
      ok = TRUE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

static gboolean
sync_file (const char *path, GError **error)
{
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);

  if (fd < 0 || fsync (fd) != 0)
    {
      int saved_errno = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, FL_STORE_ERROR,
                   saved_errno == ENOSPC ? FL_STORE_ERROR_DISK_FULL : FL_STORE_ERROR_IO,
                   _("Cannot write “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/* One online-backup pass from @source into the open @dest. */
static gboolean
copy_pages (sqlite3 *source, const char *db_path, sqlite3 *dest, const char *dest_path,
            GError **error)
{
  sqlite3_backup *backup = sqlite3_backup_init (dest, "main", source, "main");
  int rc;

  if (backup == NULL)
    return failed (dest, dest_path, error);
  /* All pages in one step: one read transaction on the source, so the copy
   * is of one moment even while the kiosk writes (WAL lets it go on). */
  for (guint tries = 0;; tries++)
    {
      rc = sqlite3_backup_step (backup, -1);
      if ((rc == SQLITE_BUSY || rc == SQLITE_LOCKED) && tries < 200)
        {
          g_usleep (50 * 1000);
          continue;
        }
      break;
    }
  sqlite3_backup_finish (backup);
  if (rc != SQLITE_DONE)
    {
      if ((sqlite3_errcode (dest) & 0xff) != SQLITE_OK)
        return failed (dest, dest_path, error);
      return failed (source, db_path, error);
    }
  return TRUE;
}

/**
 * fl_backup_create:
 * @info: (out) (optional): what the copy holds
 *
 * Copies the database at @db_path into @dest_path with SQLite's online
 * backup, on connections of its own (any thread may call it). The copy is
 * written under a temporary name beside @dest_path and renamed when it is
 * complete and on disk, so @dest_path is never half a backup; it is one
 * file (no -wal) readable by its owner only.
 */
gboolean
fl_backup_create (const char *db_path, const char *dest_path, FlBackupInfo *info, GError **error)
{
  g_autofree char *temp_path = NULL;
  sqlite3 *source = NULL, *dest = NULL;
  FlBackupInfo local_info = { 0 };
  gboolean ok = FALSE;
  int fd;

  g_return_val_if_fail (db_path != NULL && dest_path != NULL, FALSE);

  if (!g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND,
                   _("There is no database “%s”"), db_path);
      return FALSE;
    }
  if (sqlite3_open_v2 (db_path, &source, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK)
    {
      failed (source, db_path, error);
      sqlite3_close_v2 (source);
      return FALSE;
    }
  sqlite3_extended_result_codes (source, 1);
  sqlite3_busy_timeout (source, 5000);
  sqlite3_exec (source, "PRAGMA query_only = 1", NULL, NULL, NULL);

  temp_path = g_strdup_printf ("%s.XXXXXX", dest_path);
  fd = g_mkstemp_full (temp_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, FL_STORE_ERROR,
                   saved_errno == ENOSPC ? FL_STORE_ERROR_DISK_FULL : FL_STORE_ERROR_OPEN,
                   _("Cannot create a backup beside “%s”: %s"), dest_path,
                   g_strerror (saved_errno));
      sqlite3_close_v2 (source);
      return FALSE;
    }
  close (fd);

  if (sqlite3_open_v2 (temp_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
      SQLITE_OK)
    failed (dest, dest_path, error);
  else if (copy_pages (source, db_path, dest, dest_path, error))
    {
      int application_id = 0;
      sqlite3_stmt *stmt = NULL;

      sqlite3_extended_result_codes (dest, 1);
      if (sqlite3_prepare_v2 (dest, "PRAGMA application_id", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        application_id = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);

      if (application_id != FL_STORE_APPLICATION_ID)
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                     _("“%s” is not a Fairlead database"), db_path);
      /* One file to carry around and restore: no -wal beside it. */
      else if (sqlite3_exec (dest, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL) != SQLITE_OK)
        failed (dest, dest_path, error);
      else
        ok = read_info (dest, &local_info);
      if (!ok && error != NULL && *error == NULL)
        failed (dest, dest_path, error);
    }
  sqlite3_close_v2 (dest);
  sqlite3_close_v2 (source);

  if (ok)
    ok = sync_file (temp_path, error);
  if (ok && g_rename (temp_path, dest_path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_IO, _("Cannot write “%s”: %s"),
                   dest_path, g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_autofree char *journal = g_strconcat (temp_path, "-journal", NULL);

      g_unlink (temp_path);
      g_unlink (journal);
      return FALSE;
    }
  if (info != NULL)
    *info = local_info;
  return TRUE;
}

/**
 * fl_backup_verify:
 * @info: (out) (optional): what the backup holds
 *
 * Checks that @path is a sound Fairlead database that this version can
 * open: the full integrity check, the application id and a known schema.
 */
gboolean
fl_backup_verify (const char *path, FlBackupInfo *info, GError **error)
{
  g_autoptr(FlDoctorReport) report = NULL;
  FlBackupInfo local_info = { 0 };
  sqlite3 *db = NULL;
  gboolean ok;

  g_return_val_if_fail (path != NULL, FALSE);

  /* fl_doctor_check() also refuses another program's file or a newer one. */
  if ((report = fl_doctor_check (path, FALSE, error)) == NULL)
    return FALSE;
  if (!report->sound)
    {
      g_autofree char *what = NULL;

      g_ptr_array_add (report->damaged, NULL);
      what = g_strjoinv (" ", (char **) report->damaged->pdata);

      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED, _("“%s” is damaged. %s"),
                   path, what);
      return FALSE;
    }

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      failed (db, path, error);
      sqlite3_close_v2 (db);
      return FALSE;
    }
  ok = read_info (db, &local_info);
  if (!ok)
    failed (db, path, error);
  sqlite3_close_v2 (db);
  if (ok && local_info.schema_version < 1)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                   _("“%s” is an empty Fairlead database without a schema"), path);
      ok = FALSE;
    }
  if (ok && info != NULL)
    *info = local_info;
  return ok;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/**
 * fl_backup_rolling:
 * @folder: where the backups go (created when missing)
 * @keep: how many backups to keep; older ones are deleted
 *
 * Takes a backup named after the time into @folder and deletes all but the
 * @keep newest.
 *
 * Returns: (transfer full): the backup's path, or %NULL on error
 */
char *
fl_backup_rolling (const char *db_path, const char *folder, guint keep, GError **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = g_strconcat (ROLLING_PREFIX, stamp, ROLLING_SUFFIX, NULL);
  g_autofree char *path = g_build_filename (folder, name, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = NULL;
  const char *entry;

  g_return_val_if_fail (keep > 0, NULL);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_OPEN,
                   _("Cannot create the backup folder “%s”: %s"), folder,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!fl_backup_create (db_path, path, NULL, error))
    return NULL;

  if ((dir = g_dir_open (folder, 0, NULL)) == NULL)
    return g_steal_pointer (&path);
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, ROLLING_PREFIX) && g_str_has_suffix (entry, ROLLING_SUFFIX))
      g_ptr_array_add (names, g_strdup (entry));
  /* The names sort by time: the oldest first. */
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i + keep < names->len; i++)
    {
      g_autofree char *old = g_build_filename (folder, g_ptr_array_index (names, i), NULL);
      g_unlink (old);
    }
  return g_steal_pointer (&path);
}

typedef struct
{
  char  *db_path;
  char  *folder;
  guint  keep;
} RollingData;

static void
rolling_data_free (RollingData *data)
{
  g_free (data->db_path);
  g_free (data->folder);
  g_free (data);
}

static void
rolling_thread (GTask *task, gpointer source_object, gpointer task_data,
                GCancellable *cancellable)
{
  RollingData *data = task_data;
  GError *error = NULL;
  char *path;

  if ((path = fl_backup_rolling (data->db_path, data->folder, data->keep, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, path, g_free);
}

/**
 * fl_backup_rolling_async:
 *
 * fl_backup_rolling() on a worker thread, never in the way of a capture.
 */
void
fl_backup_rolling_async (const char *db_path, const char *folder, guint keep,
                         GCancellable *cancellable, GAsyncReadyCallback callback,
                         gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  RollingData *data = g_new0 (RollingData, 1);

  g_return_if_fail (db_path != NULL && folder != NULL && keep > 0);

  data->db_path = g_strdup (db_path);
  data->folder = g_strdup (folder);
  data->keep = keep;
  g_task_set_source_tag (task, fl_backup_rolling_async);
  g_task_set_task_data (task, data, (GDestroyNotify) rolling_data_free);
  g_task_run_in_thread (task, rolling_thread);
}

char *
fl_backup_rolling_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * fl_backup_default_folder:
 *
 * Returns: where rolling backups go when no folder is set:
 *   `$XDG_DATA_HOME/fairlead/backups`
 */
char *
fl_backup_default_folder (void)
{
  return g_build_filename (g_get_user_data_dir (), "fairlead", "backups", NULL);
}
