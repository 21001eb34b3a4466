/* fl-doctor.c: finding damage in a database and saving what can be read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-doctor"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "fl-doctor.h"
#include "fl-fts-fold.h"
#include "fl-fts-fold.h"
#include "fl-store-private.h"

/* Rowid gaps are probed up to this far past the last readable row. */
#define MAX_PROBE_STEP (G_GINT64_CONSTANT (1) << 62)

static gboolean
sqlite_failed (sqlite3 *db, const char *path, GError **error)
{
  int code = sqlite3_errcode (db) & 0xff;

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED,
                 _("“%s” is damaged beyond what can be read (%s)"), path, sqlite3_errmsg (db));
  else
    g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_SQL, _("Cannot read “%s”: %s"), path,
                 sqlite3_errmsg (db));
  return FALSE;
}

/* A connection for reading only. It is opened read-write (but query_only)
 * so that a WAL left behind by a crash is still applied and read. */
static sqlite3 *
open_source (const char *path, GError **error)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int application_id = 0, user_version = 0;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND,
                   _("There is no database “%s”"), path);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_OPEN, _("Cannot open “%s”: %s"), path,
                   sqlite3_errmsg (db));
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  sqlite3_extended_result_codes (db, 1);
  sqlite3_exec (db, "PRAGMA query_only = 1", NULL, NULL, NULL);

  if (sqlite3_prepare_v2 (db, "SELECT (SELECT application_id FROM pragma_application_id), "
                              "(SELECT user_version FROM pragma_user_version)",
                          -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite_failed (db, path, error);
      sqlite3_finalize (stmt);
      sqlite3_close_v2 (db);
      return NULL;
    }
  application_id = sqlite3_column_int (stmt, 0);
  user_version = sqlite3_column_int (stmt, 1);
  sqlite3_finalize (stmt);

  if (application_id != FL_STORE_APPLICATION_ID)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                   _("“%s” is not a Fairlead database"), path);
      sqlite3_close_v2 (db);
      return NULL;
    }
  if (user_version > FL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Fairlead (database version %d); "
                     "update Fairlead to check it"),
                   path, user_version);
      sqlite3_close_v2 (db);
      return NULL;
    }
  return db;
}

void
fl_doctor_report_free (FlDoctorReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->damaged, g_ptr_array_unref);
  g_clear_pointer (&report->raw, g_ptr_array_unref);
  g_free (report);
}

void
fl_doctor_table_count_clear (FlDoctorTableCount *count)
{
  g_clear_pointer (&count->table, g_free);
}

typedef struct
{
  char *type;
  char *name;
  char *table;
} SchemaObject;

static void
schema_object_free (SchemaObject *object)
{
  g_free (object->type);
  g_free (object->name);
  g_free (object->table);
  g_free (object);
}

/* Root page → table or index, as far as the schema can still be read. */
static GHashTable *
read_root_pages (sqlite3 *db)
{
  GHashTable *pages = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                             (GDestroyNotify) schema_object_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT rootpage, type, name, tbl_name FROM sqlite_schema "
                              "WHERE rootpage > 0",
                          -1, &stmt, NULL) != SQLITE_OK)
    return pages;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      SchemaObject *object = g_new0 (SchemaObject, 1);

      object->type = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      object->name = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      object->table = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_hash_table_insert (pages, GINT_TO_POINTER (sqlite3_column_int (stmt, 0)), object);
    }
  sqlite3_finalize (stmt);
  return pages;
}

static const SchemaObject *
find_object (GHashTable *pages, const char *name)
{
  GHashTableIter iter;
  SchemaObject *object;

  g_hash_table_iter_init (&iter, pages);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &object))
    if (g_strcmp0 (object->name, name) == 0)
      return object;
  return NULL;
}

/* The table or index that owns page @page, from the dbstat virtual table,
 * which walks every tree and names even the page that is damaged. */
static const SchemaObject *
object_of_page (sqlite3 *db, GHashTable *pages, int page)
{
  const SchemaObject *object = NULL;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM dbstat WHERE pageno = ?", -1, &stmt, NULL) !=
      SQLITE_OK)
    return NULL;
  sqlite3_bind_int (stmt, 1, page);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    object = find_object (pages, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return object;
}

/* Names the table or index a line of integrity_check speaks of: "Tree 12
 * page 40 cell 3: …" names a root page, "On tree page 65 cell 2: …" any
 * page of a tree, "… in index leads_event_email" an index. */
static const SchemaObject *
object_of_line (sqlite3 *db, GHashTable *pages, const char *line)
{
  const char *index = strstr (line, "index ");
  int page;

  if (sscanf (line, "Tree %d page", &page) == 1)
    return g_hash_table_lookup (pages, GINT_TO_POINTER (page));
  if (sscanf (line, "On tree page %d", &page) == 1 || sscanf (line, "On page %d", &page) == 1)
    return object_of_page (db, pages, page);
  if (index != NULL)
    {
      g_autofree char *name = g_strdup (index + strlen ("index "));

      name[strcspn (name, " \n")] = '\0';
      return find_object (pages, name);
    }
  return NULL;
}

static char *
describe (const SchemaObject *object)
{
  if (object == NULL)
    return g_strdup (_("Parts of the file that belong to no table are damaged. "
                       "“doctor --recover” writes a new file without them."));
  if (g_strcmp0 (object->type, "index") == 0)
    return g_strdup_printf (_("The index “%s” of the table “%s” is damaged. An index only "
                              "speeds up searches: “doctor --recover” builds it anew from "
                              "the table."),
                            object->name, object->table);
  return g_strdup_printf (_("The table “%s” is damaged: some of its rows may no longer be "
                            "readable. “doctor --recover” saves every row that still is."),
                          object->name);
}

static void
mark (const char *path, const FlDoctorReport *report, gboolean quick)
{
  g_autofree char *mark_path = g_strconcat (path, ".damaged", NULL);
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;

  /* A quick check does not compare indexes with their tables: it cannot
   * clear what a full check found. */
  if (report->sound)
    {
      if (!quick)
        g_unlink (mark_path);
      return;
    }
  text = g_string_new (NULL);
  for (guint i = 0; i < report->damaged->len; i++)
    g_string_append_printf (text, "%s\n", (const char *) g_ptr_array_index (report->damaged, i));
  for (guint i = 0; i < report->raw->len; i++)
    g_string_append_printf (text, "  %s\n", (const char *) g_ptr_array_index (report->raw, i));
  if (!g_file_set_contents_full (mark_path, text->str, text->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_warning ("Cannot note the damage of %s: %s", path, error->message);
}

/**
 * fl_doctor_check:
 * @quick: PRAGMA quick_check (skips comparing indexes with their tables)
 *   rather than integrity_check
 *
 * Checks a database file on a connection of its own, so it may run on any
 * thread while others write.
 *
 * Returns: (transfer full): what is damaged, or %NULL when the file
 *   cannot be checked at all
 */
FlDoctorReport *
fl_doctor_check (const char *path, gboolean quick, GError **error)
{
  g_autoptr(FlDoctorReport) report = g_new0 (FlDoctorReport, 1);
  g_autoptr(GHashTable) pages = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_direct_hash, g_direct_equal);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  if ((db = open_source (path, error)) == NULL)
    return NULL;

  report->damaged = g_ptr_array_new_with_free_func (g_free);
  report->raw = g_ptr_array_new_with_free_func (g_free);
  pages = read_root_pages (db);

  rc = sqlite3_prepare_v2 (db, quick ? "PRAGMA quick_check" : "PRAGMA integrity_check", -1, &stmt,
                           NULL);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        g_auto(GStrv) lines = g_strsplit ((const char *) sqlite3_column_text (stmt, 0), "\n", -1);

        for (guint i = 0; lines[i] != NULL; i++)
          {
            const SchemaObject *object;

            if (lines[i][0] == '\0' || strcmp (lines[i], "ok") == 0 ||
                g_str_has_prefix (lines[i], "*** in database"))
              continue;
            g_ptr_array_add (report->raw, g_strdup (lines[i]));
            object = object_of_line (db, pages, lines[i]);
            if (!g_hash_table_contains (seen, object))
              {
                g_hash_table_add (seen, (gpointer) object);
                g_ptr_array_add (report->damaged, describe (object));
              }
          }
      }
  if (rc != SQLITE_DONE)
    {
      /* The check itself stumbled over the damage. */
      g_ptr_array_add (report->raw, g_strdup (sqlite3_errmsg (db)));
      if (report->damaged->len == 0)
        g_ptr_array_add (report->damaged, describe (NULL));
    }
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);

  report->sound = report->raw->len == 0;
  mark (path, report, quick);
  return g_steal_pointer (&report);
}

/**
 * fl_doctor_get_mark:
 *
 * A check that found damage leaves a note beside the file (PATH.damaged),
 * so that programs that write can refuse the file at the cost of one
 * stat() rather than of a check (0.5 s at 100,000 leads). A full check
 * that finds the file sound removes it.
 *
 * Returns: (transfer full) (nullable): the note's path when there is one
 */
char *
fl_doctor_get_mark (const char *path)
{
  g_autofree char *mark_path = g_strconcat (path, ".damaged", NULL);

  if (!g_file_test (mark_path, G_FILE_TEST_EXISTS))
    return NULL;
  return g_steal_pointer (&mark_path);
}

/* The columns of @table in @db that are stored (not generated). */
static GPtrArray *
stored_columns (sqlite3 *db, const char *table)
{
  GPtrArray *columns = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT name FROM pragma_table_xinfo (?) WHERE hidden = 0", -1,
                          &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_ptr_array_add (columns, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
    }
  sqlite3_finalize (stmt);
  return columns;
}

static gboolean
has_string (GPtrArray *array, const char *string)
{
  for (guint i = 0; i < array->len; i++)
    if (strcmp (g_ptr_array_index (array, i), string) == 0)
      return TRUE;
  return FALSE;
}

/* Whether a scan of rows after @after gets its first row (or the end)
 * without tripping over damage. */
static gboolean
probe (sqlite3_stmt *scan, gint64 after)
{
  int rc;

  sqlite3_reset (scan);
  sqlite3_bind_int64 (scan, 1, after);
  rc = sqlite3_step (scan);
  sqlite3_reset (scan);
  return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

/* After a damaged stretch that starts past @after: the smallest rowid from
 * which the scan can go on, or FALSE when none was found. */
static gboolean
skip_damage (sqlite3_stmt *scan, gint64 after, gint64 *resume)
{
  gint64 step = 1, bad, good;

  if (after == G_MAXINT64)
    return FALSE;

  while (!probe (scan, after + step))
    {
      if (step >= MAX_PROBE_STEP || step > (G_MAXINT64 - after) / 2)
        return FALSE;
      step *= 2;
    }
  good = after + step;
  bad = after + step / 2;
  if (step == 1)
    bad = after;
  /* Narrows the gap so as few good rows as can be are left out. */
  while (good - bad > 1)
    {
      gint64 middle = bad + (good - bad) / 2;

      if (probe (scan, middle))
        good = middle;
      else
        bad = middle;
    }
  *resume = good;
  return TRUE;
}

/* Appends @name as an SQL identifier, quoted ("%w" doubles any quote). */
static void
append_identifier (GString *sql, const char *name)
{
  char *quoted = sqlite3_mprintf ("\"%w\"", name);

  g_string_append (sql, quoted);
  sqlite3_free (quoted);
}

static gboolean
recover_table (sqlite3 *source, const char *path, sqlite3 *out, const char *table,
               FlDoctorTableCount *count, GError **error)
{
  g_autoptr(GPtrArray) out_columns = stored_columns (out, table);
  g_autoptr(GPtrArray) source_columns = stored_columns (source, table);
  g_autoptr(GPtrArray) columns = g_ptr_array_new ();
  g_autoptr(GString) select = g_string_new ("SELECT rowid");
  g_autoptr(GString) insert = g_string_new (NULL);
  char *count_sql = NULL;
  sqlite3_stmt *scan = NULL, *put = NULL, *stmt = NULL;
  gint64 after = G_MININT64;
  gboolean ok = TRUE;

  count->table = g_strdup (table);
  count->total = -1;
  for (guint i = 0; i < out_columns->len; i++)
    if (has_string (source_columns, g_ptr_array_index (out_columns, i)))
      g_ptr_array_add (columns, g_ptr_array_index (out_columns, i));
  if (columns->len == 0)
    return TRUE;

  /* NOT INDEXED: the rows are read from the table's own tree in rowid
   * order, never through an index that may be the damaged part. */
  /* meta's keys and the booth sync clock's one row exist in the new file
   * already: the source's take their place. So do the log's device
   * numbers (schema 11): the new file numbered its own device id, which
   * the source's meta replaces. */
  g_string_append_printf (insert, "INSERT OR %s INTO ",
                          strcmp (table, "meta") == 0 || strcmp (table, "replica_clock") == 0 ||
                          strcmp (table, "replica_devices") == 0
                            ? "REPLACE" : "IGNORE");
  append_identifier (insert, table);
  g_string_append (insert, " (");
  for (guint i = 0; i < columns->len; i++)
    {
      g_string_append (select, ", ");
      append_identifier (select, g_ptr_array_index (columns, i));
      if (i > 0)
        g_string_append (insert, ", ");
      append_identifier (insert, g_ptr_array_index (columns, i));
    }
  g_string_append (select, " FROM ");
  append_identifier (select, table);
  g_string_append (select, " NOT INDEXED WHERE rowid > ? ORDER BY rowid");
  g_string_append (insert, ") VALUES (");
  for (guint i = 0; i < columns->len; i++)
    g_string_append (insert, i ? ", ?" : "?");
  g_string_append (insert, ")");

  if (sqlite3_prepare_v2 (source, select->str, -1, &scan, NULL) != SQLITE_OK)
    return sqlite_failed (source, path, error);
  if (sqlite3_prepare_v2 (out, insert->str, -1, &put, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (scan);
      return sqlite_failed (out, path, error);
    }

  sqlite3_bind_int64 (scan, 1, after);
  for (;;)
    {
      int rc = sqlite3_step (scan);

      if (rc == SQLITE_ROW)
        {
          after = sqlite3_column_int64 (scan, 0);
          for (guint i = 0; i < columns->len; i++)
            sqlite3_bind_value (put, i + 1, sqlite3_column_value (scan, i + 1));
          rc = sqlite3_step (put);
          sqlite3_reset (put);
          if (rc != SQLITE_DONE)
            {
              g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_SQL,
                           _("Cannot write the recovered rows of “%s”: %s"), table,
                           sqlite3_errmsg (out));
              ok = FALSE;
              break;
            }
          if (sqlite3_changes (out) > 0)
            count->recovered++;
        }
      else if (rc == SQLITE_DONE)
        break;
      else
        {
          gint64 resume;

          g_debug ("%s: damage after rowid %" G_GINT64_FORMAT ": %s", table, after,
                   sqlite3_errmsg (source));
          if (!skip_damage (scan, after, &resume))
            break;
          after = resume;
          sqlite3_reset (scan);
          sqlite3_bind_int64 (scan, 1, after);
        }
    }
  sqlite3_finalize (scan);
  sqlite3_finalize (put);

  /* The count as the damaged file gives it, from the table's tree too. */
  count_sql = sqlite3_mprintf ("SELECT count(*) FROM \"%w\" NOT INDEXED", table);
  if (sqlite3_prepare_v2 (source, count_sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    count->total = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_free (count_sql);
  return ok;
}

/**
 * fl_doctor_recover:
 * @out_path: a new file; an existing one is never overwritten
 *
 * Writes a new database at the current schema with every row of every table
 * that can still be read from @path; indexes and the full-text index are
 * built anew.
 *
 * Returns: (transfer full) (element-type FlDoctorTableCount): the rows
 *   recovered per table, or %NULL on error
 */
GArray *
fl_doctor_recover (const char *path, const char *out_path, GError **error)
{
  g_autoptr(GArray) counts = NULL;
  g_autoptr(FlStore) store = NULL;
  sqlite3_stmt *tables = NULL;
  sqlite3 *source, *out;
  gboolean ok = TRUE;

  g_return_val_if_fail (path != NULL && out_path != NULL, NULL);

  if (g_file_test (out_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("“%s” exists already; choose a new file for the recovered database"),
                   out_path);
      return NULL;
    }
  if ((source = open_source (path, error)) == NULL)
    return NULL;
  if ((store = fl_store_open (out_path, error)) == NULL)
    {
      sqlite3_close_v2 (source);
      return NULL;
    }
  out = fl_store_get_db (store);

  counts = g_array_new (FALSE, TRUE, sizeof (FlDoctorTableCount));
  g_array_set_clear_func (counts, (GDestroyNotify) fl_doctor_table_count_clear);

  /* A row whose parent was lost is still worth keeping. A larger page
   * cache keeps the many indexes of leads from spilling to disk during the
   * one long transaction. */
  sqlite3_exec (out, "PRAGMA foreign_keys = OFF; PRAGMA cache_size = -65536", NULL, NULL, NULL);
  /* The new file is nobody's yet: one rollback journal instead of a WAL as
   * large as the database, which would then be copied once more. */
  sqlite3_exec (out, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
  if (!fl_store_begin (store, error))
    ok = FALSE;
  /* The rows come with the booth sync log that recorded them (the table
   * changes): copying them logs nothing new. */
  if (ok && !fl_store_set_meta (store, "replica.applying", "1", error))
    ok = FALSE;
  /* Every ordinary table of the current schema; virtual tables and their
   * shadow tables are built anew below. */
  if (ok && sqlite3_prepare_v2 (out,
                                "SELECT name FROM pragma_table_list WHERE schema = 'main' "
                                "AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
                                -1, &tables, NULL) != SQLITE_OK)
    ok = fl_store_set_error (store, error);
  while (ok && sqlite3_step (tables) == SQLITE_ROW)
    {
      const char *table = (const char *) sqlite3_column_text (tables, 0);
      FlDoctorTableCount count = { 0 };
      gboolean present = FALSE;
      sqlite3_stmt *stmt = NULL;

      if (sqlite3_prepare_v2 (source,
                              "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?", -1,
                              &stmt, NULL) == SQLITE_OK)
        {
          sqlite3_bind_text (stmt, 1, table, -1, SQLITE_STATIC);
          present = sqlite3_step (stmt) == SQLITE_ROW;
        }
      sqlite3_finalize (stmt);
      if (!present)
        continue;
      ok = recover_table (source, path, out, table, &count, error);
      g_array_append_val (counts, count);
    }
  sqlite3_finalize (tables);
  sqlite3_close_v2 (source);

  if (ok)
    ok = fl_store_exec (store, FL_FTS_REFILL, error) &&
         /* The clock is never behind the changes recovered. */
         fl_store_exec (store, "UPDATE replica_clock SET hlc = (SELECT max (hlc) FROM changes) "
                               "WHERE hlc < (SELECT max (hlc) FROM changes)", error) &&
         fl_store_exec (store, "DELETE FROM meta WHERE key = 'replica.applying'", error) &&
         fl_store_commit (store, error);
  if (!ok)
    {
      fl_store_rollback (store);
      g_clear_object (&store);
      g_unlink (out_path);
      return NULL;
    }
  sqlite3_exec (out, "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON", NULL, NULL, NULL);
  return g_steal_pointer (&counts);
}

typedef struct
{
  char     *path;
  gboolean  quick;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->path);
  g_free (data);
}

static void
check_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  CheckData *data = task_data;
  FlDoctorReport *report;
  GError *error = NULL;

  if ((report = fl_doctor_check (data->path, data->quick, &error)) == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, report, (GDestroyNotify) fl_doctor_report_free);
}

/**
 * fl_doctor_check_async:
 *
 * fl_doctor_check() on a worker thread with a connection of its own; the
 * kiosk goes on capturing meanwhile.
 */
void
fl_doctor_check_async (const char *path, gboolean quick, GCancellable *cancellable,
                       GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  CheckData *data = g_new0 (CheckData, 1);

  g_return_if_fail (path != NULL);

  data->path = g_strdup (path);
  data->quick = quick;
  g_task_set_source_tag (task, fl_doctor_check_async);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, check_thread);
}

FlDoctorReport *
fl_doctor_check_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
