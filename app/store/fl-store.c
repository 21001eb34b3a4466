/* fl-store.c: the SQLite database of one kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-store"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-fts-fold.h"
#include "fl-store-private.h"
#include "lead/fl-export.h"
#include "lead/fl-json.h"
#include "score/fl-model-store.h"

struct _FlStore
{
  GObject     parent_instance;

  char       *path;
  sqlite3    *db;
  GHashTable *statements;   /* SQL text → sqlite3_stmt */
  char       *device_id;
  int         schema_version;
};

G_DEFINE_FINAL_TYPE (FlStore, fl_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-store-error-quark, fl_store_error)

/* The columns of a lead row, in the order row_to_lead() reads them. */
#define LEAD_COLUMNS                                                                               \
  "id, uuid, event, created_at, updated_at, captured_by, device, source, raw_payload, badge_id, " \
  "first_name, last_name, full_name, email, phone, mobile, company, title, department, street, "  \
  "city, postal_code, region, country, website, notes, score, status, model_name, "               \
  "model_version, model_sha256, override_status, override_by, override_reason"

/* Score, status and model live in lead_scores, one row per lead. */
#define LEADS_SCORED "leads JOIN lead_scores ON lead_scores.lead_id = leads.id"

enum {
  COL_ID, COL_UUID, COL_EVENT, COL_CREATED_AT, COL_UPDATED_AT, COL_CAPTURED_BY, COL_DEVICE,
  COL_SOURCE, COL_RAW_PAYLOAD, COL_BADGE_ID, COL_FIRST_FIELD,
  COL_NOTES = COL_FIRST_FIELD + FL_N_FIELDS, COL_SCORE, COL_STATUS, COL_MODEL_NAME,
  COL_MODEL_VERSION, COL_MODEL_SHA256, COL_OVERRIDE_STATUS, COL_OVERRIDE_BY, COL_OVERRIDE_REASON,
};

/* The one place where SQLite's result codes become FlStoreError codes: a
 * full disk, a failing disk and a damaged file each need a different step
 * from the user, and callers (the CLI's exit codes, the import that stops)
 * decide on the code, never on the text. */
static gboolean
sql_error (sqlite3 *db, GError **error)
{
  int code = sqlite3_errcode (db) & 0xff;

  /* Growing the -shm or -wal file on a full disk is reported as an I/O
   * error; the step for the user is the one for a full disk. */
  if (code == SQLITE_IOERR && sqlite3_system_errno (db) == ENOSPC)
    code = SQLITE_FULL;

  switch (code)
    {
    case SQLITE_FULL:
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_DISK_FULL,
                           _("The disk is full — free space and try again"));
      break;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_IO,
                   _("The database could not be read or written (%s) — check the disk and "
                     "try again"),
                   sqlite3_errmsg (db));
      break;
    case SQLITE_CORRUPT:
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED,
                   _("The database is damaged (%s) — run “fairlead-cli doctor --recover "
                     "NEW.db” to save what can still be read"),
                   sqlite3_errmsg (db));
      break;
    case SQLITE_TOOBIG:
      /* A text over SQLite's length limit, met in a bind or in a trigger
       * that works on it (the search index folds each lead's texts). */
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("A text is too large for the database; nothing was saved — "
                             "shorten it"));
      break;
    default:
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_SQL, _("Database error: %s"),
                   sqlite3_errmsg (db));
      break;
    }
  return FALSE;
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static JsonNode *
parse_json (const char *text)
{
  if (text == NULL)
    return NULL;
  return fl_json_parse (text, -1, NULL);
}

static gboolean
query_int (sqlite3 *db, const char *sql, int *value, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return sql_error (db, error);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    return sql_error (db, error);
  return TRUE;
}

static gboolean
exec (sqlite3 *db, const char *sql, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (db, error);
  return TRUE;
}

/* Decides, before anything is written, whether this file may be used. */
static gboolean
check_identity (FlStore *self, GError **error)
{
  int application_id = 0, user_version = 0, n_objects = 0;
  g_autoptr(GError) local_error = NULL;

  if (!query_int (self->db, "PRAGMA application_id", &application_id, &local_error) ||
      !query_int (self->db, "PRAGMA user_version", &user_version, &local_error) ||
      !query_int (self->db, "SELECT count(*) FROM sqlite_schema", &n_objects, &local_error))
    {
      if (fl_store_error_is_disk (local_error))
        g_set_error (error, FL_STORE_ERROR, local_error->code, _("Cannot open “%s”: %s"),
                     self->path, local_error->message);
      else if ((sqlite3_errcode (self->db) & 0xff) == SQLITE_NOTADB)
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                     _("“%s” is not a Fairlead database (it is not an SQLite file). "
                       "It was left untouched; choose another path with --db."),
                     self->path);
      else
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                     _("“%s” is not a usable Fairlead database (%s). It was left untouched."),
                     self->path, local_error->message);
      return FALSE;
    }

  if (n_objects > 0 && application_id != FL_STORE_APPLICATION_ID)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                   _("“%s” is an SQLite database of another program, not of Fairlead. "
                     "It was left untouched; choose another path with --db."),
                   self->path);
      return FALSE;
    }
  if (user_version > FL_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_TOO_NEW,
                   _("“%s” was written by a newer version of Fairlead (database version %d, "
                     "this version reads up to %d). It was left untouched; update Fairlead "
                     "to open it."),
                   self->path, user_version, FL_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  self->schema_version = user_version;
  return TRUE;
}

static gboolean
migrate (FlStore *self, int target, GError **error)
{
  while (self->schema_version < target)
    {
      g_autofree char *bump = NULL;
      int from = self->schema_version;

      if (!exec (self->db, "BEGIN IMMEDIATE", error))
        return FALSE;
      bump = g_strdup_printf ("PRAGMA application_id = %d; PRAGMA user_version = %d;",
                              FL_STORE_APPLICATION_ID, from + 1);
      if (!exec (self->db, _fl_store_migration (from), error) || !exec (self->db, bump, error))
        {
          g_prefix_error (error, _("Cannot update the database from version %d: "), from);
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!exec (self->db, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      self->schema_version = from + 1;
      g_debug ("Migrated %s to schema version %d", self->path, self->schema_version);
    }
  return TRUE;
}

static void
fl_store_finalize (GObject *object)
{
  FlStore *self = FL_STORE (object);

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    sqlite3_close_v2 (self->db);
  g_free (self->path);
  g_free (self->device_id);

  G_OBJECT_CLASS (fl_store_parent_class)->finalize (object);
}

static void
fl_store_class_init (FlStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_store_finalize;

  /**
   * FlStore::staff-changed:
   *
   * A staff member was added, given a new PIN or removed through this
   * store, so that every list of names shown (the kiosk's staff menu, the
   * back office) can read them again at once.
   */
  g_signal_new ("staff-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_store_init (FlStore *self)
{
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) sqlite3_finalize);
}

/* sql_error() for the modules that keep connections of their own
 * (fl-backup.c, fl-doctor.c). */
gboolean
_fl_store_set_sqlite_error (sqlite3 *db, GError **error)
{
  return sql_error (db, error);
}

/**
 * fl_store_error_is_disk:
 *
 * Returns: %TRUE when @error says the disk is full or failing: nothing more
 *   can be written until the user acts, so a bulk job stops there.
 */
gboolean
fl_store_error_is_disk (const GError *error)
{
  return g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_DISK_FULL) ||
         g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_IO);
}

/**
 * fl_store_default_path:
 *
 * Returns: `$FAIRLEAD_DB`, else `$XDG_DATA_HOME/fairlead/fairlead.db`
 */
char *
fl_store_default_path (void)
{
  const char *env = g_getenv ("FAIRLEAD_DB");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "fairlead", "fairlead.db", NULL);
}

/**
 * fl_store_open_at_version:
 * @version: the schema version to migrate to; tests use it to build
 *   databases as older releases wrote them
 */
FlStore *
fl_store_open_at_version (const char *path, int version, GError **error)
{
  g_autoptr(FlStore) self = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *dir = NULL;
  gboolean existed;
  int rc;

  g_return_val_if_fail (version >= 0 && version <= FL_STORE_SCHEMA_VERSION, NULL);

  if (path == NULL)
    path = default_path = fl_store_default_path ();

  self = g_object_new (FL_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  if (existed)
    {
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD,
                       _("“%s” is a folder, not a Fairlead database"), path);
          return NULL;
        }
      /* The file is judged through SQLite only (check_identity()): reading
       * it through a file descriptor of our own and closing that would drop
       * every POSIX lock this process holds on it — the locks of another
       * connection in this process included — and a third process could
       * then delete the WAL under it. */
    }
  else
    {
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_OPEN,
                       _("Cannot create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | (existed ? 0 : SQLITE_OPEN_CREATE) |
                          SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_OPEN, _("Cannot open “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return NULL;
    }
  if (!existed)
    g_chmod (path, 0600);

  sqlite3_busy_timeout (self->db, 5000);
  sqlite3_extended_result_codes (self->db, 1);

  if (!check_identity (self, error))
    return NULL;

  /* Only now that the file is known to be ours may anything be written. */
  if (!exec (self->db,
             "PRAGMA journal_mode = WAL;"
             "PRAGMA synchronous = FULL;"
             "PRAGMA foreign_keys = ON;"
             "PRAGMA secure_delete = ON;"
             /* A reset WAL shrinks back to this size instead of staying as
              * large as the longest run between two checkpoints made it. */
             "PRAGMA journal_size_limit = " G_STRINGIFY (FL_STORE_WAL_SIZE_LIMIT) ";",
             error))
    return NULL;

  if (!migrate (self, version, error))
    return NULL;

  if (version == FL_STORE_SCHEMA_VERSION)
    {
      self->device_id = fl_store_get_meta (self, "device_id");
      if (self->device_id == NULL)
        {
          self->device_id = fl_uuid_new ();
          if (!fl_store_set_meta (self, "device_id", self->device_id, error))
            return NULL;
        }
    }

  return g_steal_pointer (&self);
}

/**
 * fl_store_open:
 * @path: (nullable): the database file, %NULL for fl_store_default_path()
 *
 * Opens or creates a database and brings its schema up to date. A file
 * that is not a Fairlead database, or that a newer Fairlead wrote, is
 * refused and left as it was.
 */
FlStore *
fl_store_open (const char *path, GError **error)
{
  return fl_store_open_at_version (path, FL_STORE_SCHEMA_VERSION, error);
}

const char *
fl_store_get_path (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->path;
}

/**
 * fl_store_get_db:
 *
 * The connection, for modules that keep their own queries. It belongs to the
 * thread that opened the store.
 */
sqlite3 *
fl_store_get_db (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->db;
}

const char *
fl_store_get_device_id (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  return self->device_id;
}

int
fl_store_get_schema_version (FlStore *self)
{
  g_return_val_if_fail (FL_IS_STORE (self), -1);
  return self->schema_version;
}

/* Binds text, or NULL as SQL NULL. Returns the SQLite result: a value
 * SQLite refuses (SQLITE_TOOBIG) leaves the parameter NULL, so a caller
 * that stores what a user gave must check it. */
int
fl_store_bind_text (sqlite3_stmt *stmt, int index, const char *value)
{
  if (value != NULL)
    return sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  return sqlite3_bind_null (stmt, index);
}

gboolean
fl_store_set_error (FlStore *self, GError **error)
{
  return sql_error (self->db, error);
}

/**
 * fl_store_prepare:
 *
 * Returns: (transfer none): a cached statement, reset and with its bindings
 *   cleared; valid until the store is finalized
 */
sqlite3_stmt *
fl_store_prepare (FlStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt == NULL)
    {
      if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) !=
          SQLITE_OK)
        {
          sql_error (self->db, error);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), stmt);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return stmt;
}

gboolean
fl_store_exec (FlStore *self, const char *sql, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  return exec (self->db, sql, error);
}

gboolean
fl_store_begin (FlStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  return exec (self->db, "BEGIN IMMEDIATE", error);
}

gboolean
fl_store_commit (FlStore *self, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  if (!exec (self->db, "COMMIT", error))
    {
      fl_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
fl_store_rollback (FlStore *self)
{
  g_return_if_fail (FL_IS_STORE (self));
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

/**
 * fl_store_step_done:
 *
 * Runs a statement that returns no rows and resets it.
 */
gboolean
fl_store_step_done (FlStore *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self->db, error);
  return TRUE;
}

char *
fl_store_get_meta (FlStore *self, const char *key)
{
  sqlite3_stmt *stmt;
  char *value = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  stmt = fl_store_prepare (self, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup (column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

gboolean
fl_store_set_meta (FlStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  stmt = fl_store_prepare (self,
                           "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, key);
  fl_store_bind_text (stmt, 2, value);
  return fl_store_step_done (self, stmt, error);
}

/* Events */

static FlEvent *
row_to_event (sqlite3_stmt *stmt)
{
  FlEvent *event = g_new0 (FlEvent, 1);

  event->uuid = g_strdup (column_text (stmt, 0));
  event->name = g_strdup (column_text (stmt, 1));
  event->starts_on = g_strdup (column_text (stmt, 2));
  event->ends_on = g_strdup (column_text (stmt, 3));
  event->venue = g_strdup (column_text (stmt, 4));
  event->booth = g_strdup (column_text (stmt, 5));
  event->created_at = g_strdup (column_text (stmt, 6));
  event->model_id = sqlite3_column_int64 (stmt, 7);
  event->settings = parse_json (column_text (stmt, 8));
  if (event->settings == NULL || !JSON_NODE_HOLDS_OBJECT (event->settings))
    {
      g_clear_pointer (&event->settings, json_node_unref);
      event->settings = fl_json_new_object ();
    }
  return event;
}

#define EVENT_COLUMNS "uuid, name, starts_on, ends_on, venue, booth, created_at, model_id, settings"

#define FL_EVENT_TEXT_MAX 200

static gboolean
check_event (const FlEvent *event, GError **error)
{
  g_autofree char *name = event->name ? g_strstrip (g_strdup (event->name)) : NULL;

  const char *texts[] = { event->name, event->venue, event->booth };

  if (name == NULL || name[0] == '\0')
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("An event needs a name"));
      return FALSE;
    }
  /* These are shown on the kiosk and written into JSON: text, of a length
   * a screen can show. */
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (texts[i] != NULL &&
        (!g_utf8_validate (texts[i], -1, NULL) || g_utf8_strlen (texts[i], -1) > FL_EVENT_TEXT_MAX))
      {
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                     _("The event’s name, venue and booth must be UTF-8 text of at most %d "
                       "characters"), FL_EVENT_TEXT_MAX);
        return FALSE;
      }
  if (event->starts_on != NULL && !fl_event_check_date (event->starts_on))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("The start date “%s” is not a date written YYYY-MM-DD"), event->starts_on);
      return FALSE;
    }
  if (event->ends_on != NULL && !fl_event_check_date (event->ends_on))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("The end date “%s” is not a date written YYYY-MM-DD"), event->ends_on);
      return FALSE;
    }
  if (event->starts_on != NULL && event->ends_on != NULL &&
      strcmp (event->starts_on, event->ends_on) > 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("The event ends (%s) before it starts (%s)"), event->ends_on,
                   event->starts_on);
      return FALSE;
    }
  return TRUE;
}

static void
bind_event (sqlite3_stmt *stmt, const FlEvent *event)
{
  g_autofree char *settings = event->settings ? json_to_string (event->settings, FALSE) : NULL;

  fl_store_bind_text (stmt, 1, event->uuid);
  fl_store_bind_text (stmt, 2, event->name);
  fl_store_bind_text (stmt, 3, event->starts_on);
  fl_store_bind_text (stmt, 4, event->ends_on);
  fl_store_bind_text (stmt, 5, event->venue);
  fl_store_bind_text (stmt, 6, event->booth);
  fl_store_bind_text (stmt, 7, event->created_at);
  if (event->model_id > 0)
    sqlite3_bind_int64 (stmt, 8, event->model_id);
  else
    sqlite3_bind_null (stmt, 8);
  fl_store_bind_text (stmt, 9, settings ? settings : "{}");
}

/**
 * fl_store_create_event:
 * @event: the event to create; its uuid and creation time are assigned
 *
 * Creates the event and makes it the active one.
 *
 * Returns: (transfer full): the event as stored
 */
FlEvent *
fl_store_create_event (FlStore *self, const FlEvent *event, GError **error)
{
  g_autoptr(FlEvent) created = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (!check_event (event, error))
    return NULL;

  created = fl_event_copy (event);
  g_strstrip (created->name);
  if (created->uuid == NULL)
    created->uuid = fl_uuid_new ();
  g_free (created->created_at);
  created->created_at = fl_now_iso8601 ();

  if (!fl_store_begin (self, error))
    return NULL;
  stmt = fl_store_prepare (self, "INSERT INTO events (" EVENT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  if (stmt == NULL)
    goto fail;
  bind_event (stmt, created);
  if (!fl_store_step_done (self, stmt, error) ||
      !fl_store_set_meta (self, "active_event", created->uuid, error) ||
      !fl_store_commit (self, error))
    goto fail;

  return g_steal_pointer (&created);

fail:
  fl_store_rollback (self);
  return NULL;
}

gboolean
fl_store_update_event (FlStore *self, const FlEvent *event, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL && event->uuid != NULL, FALSE);

  if (!check_event (event, error))
    return FALSE;
  stmt = fl_store_prepare (self,
                           "UPDATE events SET name = ?2, starts_on = ?3, ends_on = ?4, "
                           "venue = ?5, booth = ?6, model_id = ?8, settings = ?9 "
                           "WHERE uuid = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_event (stmt, event);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no event “%s”"),
                   event->uuid);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_store_list_events:
 *
 * Returns: (transfer full) (element-type FlEvent): every event, newest first
 */
GPtrArray *
fl_store_list_events (FlStore *self, GError **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_event_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  stmt = fl_store_prepare (self,
                           "SELECT " EVENT_COLUMNS " FROM events "
                           "ORDER BY coalesce (starts_on, created_at) DESC, created_at DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (events, row_to_event (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&events);
}

FlEvent *
fl_store_get_event (FlStore *self, const char *uuid, GError **error)
{
  sqlite3_stmt *stmt;
  FlEvent *event = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = fl_store_prepare (self, "SELECT " EVENT_COLUMNS " FROM events WHERE uuid = ?", error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    event = row_to_event (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND,
                 _("There is no event “%s”; “fairlead-cli event list” shows the events"), uuid);
  else if (rc != SQLITE_ROW)
    sql_error (self->db, error);
  return event;
}

/**
 * fl_store_get_active_event:
 *
 * Returns: (transfer full) (nullable): the active event; %NULL with
 *   %FL_STORE_ERROR_NO_EVENT when there is none
 */
FlEvent *
fl_store_get_active_event (FlStore *self, GError **error)
{
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  uuid = fl_store_get_meta (self, "active_event");
  if (uuid == NULL)
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT,
                           _("There is no active event; create one with "
                             "“fairlead-cli event create NAME”"));
      return NULL;
    }
  return fl_store_get_event (self, uuid, error);
}

gboolean
fl_store_set_active_event (FlStore *self, const char *uuid, GError **error)
{
  g_autoptr(FlEvent) event = NULL;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  event = fl_store_get_event (self, uuid, error);
  if (event == NULL)
    return FALSE;
  return fl_store_set_meta (self, "active_event", event->uuid, error);
}

/* Leads */

static gint64
lead_row_id (FlStore *self, const char *uuid, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (self, "SELECT id FROM leads WHERE uuid = ?", error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      sql_error (self->db, error);
      return -1;
    }
  return id;
}

static gboolean
write_children (FlStore *self, gint64 lead_id, FlLead *lead, GError **error)
{
  JsonNode *answers = fl_lead_get_answers (lead);
  JsonNode *interactions = fl_lead_get_interactions (lead);
  JsonNode *consent = fl_lead_get_consent (lead);
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self, "DELETE FROM answers WHERE lead_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;
  if (answers != NULL)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      json_object_iter_init (&iter, json_node_get_object (answers));
      while (json_object_iter_next (&iter, &question, &value))
        {
          g_autofree char *text = json_to_string (value, FALSE);

          stmt = fl_store_prepare (self, "INSERT INTO answers (lead_id, question_id, value) "
                                         "VALUES (?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, lead_id);
          fl_store_bind_text (stmt, 2, question);
          fl_store_bind_text (stmt, 3, text);
          if (!fl_store_step_done (self, stmt, error))
            return FALSE;
        }
    }

  stmt = fl_store_prepare (self, "DELETE FROM interactions WHERE lead_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;
  if (interactions != NULL)
    {
      JsonArray *array = json_node_get_array (interactions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          const char *kind = object ? json_object_get_string_member_with_default (object, "kind", NULL) : NULL;
          const char *at = object ? json_object_get_string_member_with_default (object, "at", NULL) : NULL;

          if (kind == NULL)
            {
              g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("interactions[%u] has no “kind”"), i);
              return FALSE;
            }
          stmt = fl_store_prepare (self, "INSERT INTO interactions (lead_id, kind, at) "
                                         "VALUES (?, ?, ?)", error);
          if (stmt == NULL)
            return FALSE;
          sqlite3_bind_int64 (stmt, 1, lead_id);
          fl_store_bind_text (stmt, 2, kind);
          fl_store_bind_text (stmt, 3, at ? at : fl_lead_get_created_at (lead));
          if (!fl_store_step_done (self, stmt, error))
            return FALSE;
        }
    }

  /* Consent is a ledger: a new entry only when the lead's consent changed. */
  if (consent != NULL && JSON_NODE_HOLDS_OBJECT (consent))
    {
      JsonObject *object = json_node_get_object (consent);
      g_autofree char *now = fl_now_iso8601 ();
      const char *at = json_object_get_string_member_with_default (object, "at", now);
      gboolean given = json_object_get_boolean_member_with_default (object, "given", FALSE);

      stmt = fl_store_prepare (self,
                               "INSERT INTO consents (lead_id, text_version, text_sha256, language, "
                               "given, method, staff, at, text_source) "
                               "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS ("
                               "  SELECT 1 FROM consents WHERE lead_id = ?1 AND at = ?8"
                               "  AND given = ?5 AND text_version IS ?2)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lead_id);
      fl_store_bind_text (stmt, 2, json_object_get_string_member_with_default (object, "version", NULL));
      fl_store_bind_text (stmt, 3, json_object_get_string_member_with_default (object, "sha256", NULL));
      fl_store_bind_text (stmt, 4, json_object_get_string_member_with_default (object, "language", NULL));
      sqlite3_bind_int (stmt, 5, given);
      fl_store_bind_text (stmt, 6, json_object_get_string_member_with_default (object, "method", NULL));
      fl_store_bind_text (stmt, 7, json_object_get_string_member_with_default (object, "staff", NULL));
      fl_store_bind_text (stmt, 8, at);
      fl_store_bind_text (stmt, 9, json_object_get_string_member_with_default (object, "text_source", NULL));
      if (!fl_store_step_done (self, stmt, error))
        return FALSE;
    }

  /* Every enabled connector gets the lead (again, as an update, if it
   * already went out) — unless the event requires consent and the visitor
   * has not given it. */
  stmt = fl_store_prepare (self,
                           "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                           "SELECT ?1, name, 'pending', ?2 FROM connectors WHERE enabled "
                           "AND EXISTS (SELECT 1 FROM leads l WHERE l.id = ?1 AND "
                           FL_STORE_SQL_UPLOAD_ALLOWED ("l") ") "
                           "ON CONFLICT (lead_id, connector) DO UPDATE SET "
                           "  state = 'pending', attempts = 0, next_attempt_at = NULL, "
                           "  last_error = NULL, queued_at = excluded.queued_at",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  fl_store_bind_text (stmt, 2, fl_lead_get_updated_at (lead));
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;

  /* Consent withdrawn: what has not left yet stays here. */
  stmt = fl_store_prepare (self,
                           "DELETE FROM outbox WHERE lead_id = ?1 AND state IN ('pending', 'failed') "
                           "AND NOT EXISTS (SELECT 1 FROM leads l WHERE l.id = ?1 AND "
                           FL_STORE_SQL_UPLOAD_ALLOWED ("l") ")",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  return fl_store_step_done (self, stmt, error);
}

/* A rescore stores no breakdown, only this mark and the time it scored
 * at: the breakdown is recomputed from the lead's model when one lead is
 * read (fl_store_get_lead()). */
#define BREAKDOWN_SCORED_AT '@'

static gboolean
rebuilds_at (FlStore *self, FlLead *lead, const char *original, const char *scored_at)
{
  g_autofree char *rebuilt = NULL;

  if (scored_at == NULL)
    return FALSE;
  fl_lead_set_breakdown (lead, NULL);
  fl_scorer_fill_breakdown (self, lead, scored_at);
  if (fl_lead_get_breakdown (lead) == NULL)
    return FALSE;
  rebuilt = json_to_string (fl_lead_get_breakdown (lead), FALSE);
  return g_str_equal (rebuilt, original);
}

/* A breakdown (~1.7 KB of JSON) is stored as the mark a rescore writes,
 * "@" and the time it was scored at, when fl_store_get_lead() computes
 * the very same breakdown again from the lead's model at that time. The
 * scorer does not say when it scored, so the likely times are tried: now,
 * when the lead was saved or created, its last interaction. Returns %NULL
 * when none gives the same text: then the breakdown itself is stored. */
static char *
breakdown_mark (FlStore *self, FlLead *lead)
{
  g_autoptr(JsonNode) kept = json_node_ref (fl_lead_get_breakdown (lead));
  g_autofree char *original = json_to_string (kept, FALSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = g_date_time_format_iso8601 (now);
  JsonNode *interactions = fl_lead_get_interactions (lead);
  const char *last = NULL;
  const char *candidates[4];
  char *mark = NULL;

  if (fl_lead_get_model (lead) == NULL)
    return NULL;
  if (interactions != NULL && JSON_NODE_HOLDS_ARRAY (interactions))
    {
      JsonArray *array = json_node_get_array (interactions);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          const char *at = JSON_NODE_HOLDS_OBJECT (node)
                             ? json_object_get_string_member_with_default (json_node_get_object (node), "at", NULL)
                             : NULL;

          if (at != NULL && (last == NULL || strcmp (at, last) > 0))
            last = at;
        }
    }
  candidates[0] = now_text;
  candidates[1] = fl_lead_get_updated_at (lead);
  candidates[2] = fl_lead_get_created_at (lead);
  candidates[3] = last;
  for (guint i = 0; mark == NULL && i < G_N_ELEMENTS (candidates); i++)
    if (rebuilds_at (self, lead, original, candidates[i]))
      mark = g_strdup_printf ("%c%s", BREAKDOWN_SCORED_AT, candidates[i]);
  fl_lead_set_breakdown (lead, kept);
  return mark;
}

/* The defaults and checks every saved lead passes before it is written;
 * fl-store-batch.c runs them before it stages a lead. */
gboolean
_fl_store_ready_lead (FlStore *self, FlLead *lead, GError **error)
{
  FlStatus status;

  fl_lead_ensure_identity (lead);
  if (fl_lead_get_event (lead) == NULL)
    {
      g_autofree char *active = fl_store_get_meta (self, "active_event");
      fl_lead_set_event (lead, active);
    }
  if (fl_lead_get_device (lead) == NULL)
    fl_lead_set_device (lead, self->device_id);
  if (fl_lead_get_override_status (lead) != NULL &&
      !fl_status_from_string (fl_lead_get_override_status (lead), &status))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"),
                   fl_lead_get_override_status (lead));
      return FALSE;
    }
  /* The one gate every stored lead passes: all of it, or nothing. */
  return fl_lead_check_limits (lead, error);
}

/* What lead_breakdowns holds for @lead: the mark, or the breakdown's JSON;
 * %NULL when the lead has no breakdown. */
char *
_fl_store_breakdown_text (FlStore *self, FlLead *lead)
{
  char *text;

  if (fl_lead_get_breakdown (lead) == NULL)
    return NULL;
  text = breakdown_mark (self, lead);
  if (text == NULL)
    text = json_to_string (fl_lead_get_breakdown (lead), FALSE);
  return text;
}

/**
 * fl_store_save_lead_in_transaction:
 *
 * Like fl_store_save_lead(), for callers that already opened a transaction
 * (capture merges, bulk jobs).
 */
gboolean
fl_store_save_lead_in_transaction (FlStore *self, FlLead *lead, const char *actor, GError **error)
{
  g_autofree char *breakdown = NULL;
  JsonNode *model;
  sqlite3_stmt *stmt;
  sqlite3_stmt *scores;
  gint64 existing;
  gint64 lead_id;
  gboolean bound = TRUE;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (FL_IS_LEAD (lead), FALSE);

  if (!_fl_store_ready_lead (self, lead, error))
    return FALSE;

  existing = lead_row_id (self, fl_lead_get_uuid (lead), error);
  if (existing < 0)
    return FALSE;

  stmt = fl_store_prepare (self,
                           "INSERT INTO leads (id, uuid, event, created_at, updated_at, "
                           "captured_by, device, source, raw_payload, badge_id, first_name, "
                           "last_name, full_name, email, phone, mobile, company, title, department, "
                           "street, city, postal_code, region, country, website, notes, "
                           "override_status, override_by, override_reason, event_key) VALUES (NULL, ?2, ?3, "
                           "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, "
                           "?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?32, ?33, ?34, "
                           FL_STORE_SQL_EVENT_KEY ("?3") ") "
                           "ON CONFLICT (uuid) DO UPDATE SET event = ?3, created_at = ?4, "
                           "updated_at = ?5, captured_by = ?6, device = ?7, source = ?8, "
                           "raw_payload = ?9, badge_id = ?10, first_name = ?11, last_name = ?12, "
                           "full_name = ?13, email = ?14, phone = ?15, mobile = ?16, company = ?17, "
                           "title = ?18, department = ?19, street = ?20, city = ?21, "
                           "postal_code = ?22, region = ?23, country = ?24, website = ?25, "
                           "notes = ?26, "
                           "override_status = ?32, override_by = ?33, override_reason = ?34, "
                           "event_key = excluded.event_key "
                           "RETURNING id, ?27, ?28, ?29, ?30, ?31",
                           error);
  if (stmt == NULL)
    return FALSE;

  bound &= fl_store_bind_text (stmt, COL_UUID + 1, fl_lead_get_uuid (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_EVENT + 1, fl_lead_get_event (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_CREATED_AT + 1, fl_lead_get_created_at (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_UPDATED_AT + 1, fl_lead_get_updated_at (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_CAPTURED_BY + 1, fl_lead_get_captured_by (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_DEVICE + 1, fl_lead_get_device (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_SOURCE + 1, fl_source_to_string (fl_lead_get_source (lead))) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_RAW_PAYLOAD + 1, fl_lead_get_raw_payload (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_BADGE_ID + 1, fl_lead_get_badge_id (lead)) == SQLITE_OK;
  for (guint i = 0; i < FL_N_FIELDS; i++)
    bound &= fl_store_bind_text (stmt, COL_FIRST_FIELD + 1 + i, fl_lead_get_field (lead, i)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_NOTES + 1, fl_lead_get_notes (lead)) == SQLITE_OK;
  sqlite3_bind_int (stmt, COL_SCORE + 1, fl_lead_get_score (lead));
  bound &= fl_store_bind_text (stmt, COL_STATUS + 1, fl_status_to_string (fl_lead_get_status (lead))) == SQLITE_OK;
  model = fl_lead_get_model (lead);
  if (model != NULL && JSON_NODE_HOLDS_OBJECT (model))
    {
      JsonObject *object = json_node_get_object (model);

      bound &= fl_store_bind_text (stmt, COL_MODEL_NAME + 1, json_object_get_string_member_with_default (object, "name", NULL)) == SQLITE_OK;
      sqlite3_bind_int64 (stmt, COL_MODEL_VERSION + 1, json_object_get_int_member_with_default (object, "version", 0));
      bound &= fl_store_bind_text (stmt, COL_MODEL_SHA256 + 1, json_object_get_string_member_with_default (object, "sha256", NULL)) == SQLITE_OK;
    }
  bound &= fl_store_bind_text (stmt, COL_OVERRIDE_STATUS + 1, fl_lead_get_override_status (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_OVERRIDE_BY + 1, fl_lead_get_override_by (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, COL_OVERRIDE_REASON + 1, fl_lead_get_override_reason (lead)) == SQLITE_OK;

  if (!bound)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("Lead %s holds a text too large for the database; it was not saved"),
                   fl_lead_get_uuid (lead));
      sqlite3_clear_bindings (stmt);
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sql_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  lead_id = sqlite3_column_int64 (stmt, 0);
  scores = fl_store_prepare (self,
                             "INSERT INTO lead_scores (lead_id, score, status, model_name, "
                             "model_version, model_sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
                             "ON CONFLICT (lead_id) DO UPDATE SET score = excluded.score, "
                             "status = excluded.status, model_name = excluded.model_name, "
                             "model_version = excluded.model_version, "
                             "model_sha256 = excluded.model_sha256",
                             error);
  if (scores == NULL)
    {
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_bind_int64 (scores, 1, lead_id);
  for (int i = 1; i <= 5; i++)
    sqlite3_bind_value (scores, i + 1, sqlite3_column_value (stmt, i));
  sqlite3_reset (stmt);
  if (!fl_store_step_done (self, scores, error))
    return FALSE;

  if (fl_lead_get_breakdown (lead) != NULL)
    {
      breakdown = _fl_store_breakdown_text (self, lead);
      stmt = fl_store_prepare (self,
                               "INSERT INTO lead_breakdowns (lead_id, breakdown) VALUES (?1, ?2) "
                               "ON CONFLICT (lead_id) DO UPDATE SET breakdown = excluded.breakdown",
                               error);
    }
  else
    stmt = fl_store_prepare (self, "DELETE FROM lead_breakdowns WHERE lead_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  if (breakdown != NULL)
    sqlite3_bind_text (stmt, 2, breakdown, -1, SQLITE_STATIC);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;

  if (!write_children (self, lead_id, lead, error))
    return FALSE;

  return fl_store_add_audit (self, fl_lead_get_uuid (lead), actor,
                             existing > 0 ? "updated" : "captured", NULL, error);
}

/**
 * fl_store_save_lead:
 * @actor: (nullable): who saves it, for the audit
 *
 * Inserts the lead, or replaces the stored one with the same uuid, with its
 * answers, interactions and consent, in one durable transaction. A lead
 * without identity gets a uuid and creation time; one without event goes
 * to the active event.
 */
gboolean
fl_store_save_lead (FlStore *self, FlLead *lead, const char *actor, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (FL_IS_LEAD (lead), FALSE);

  if (!fl_store_begin (self, error))
    return FALSE;
  if (!fl_store_save_lead_in_transaction (self, lead, actor, error))
    {
      fl_store_rollback (self);
      return FALSE;
    }
  return fl_store_commit (self, error);
}


/* A lead_breakdowns row: the breakdown itself, or only the time the lead
 * was scored at (the breakdown is then computed again, see
 * fl_scorer_fill_breakdown()). */
static void
set_breakdown_text (FlLead *lead, const char *text, char **scored_at)
{
  if (text != NULL && text[0] == BREAKDOWN_SCORED_AT)
    {
      if (scored_at != NULL)
        *scored_at = g_strdup (text + 1);
    }
  else
    {
      g_autoptr(JsonNode) breakdown = parse_json (text);

      fl_lead_set_breakdown (lead, breakdown);
    }
}

static gboolean
read_breakdown (FlStore *self, FlLead *lead, gint64 lead_id, char **scored_at, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (self, "SELECT breakdown FROM lead_breakdowns WHERE lead_id = ?",
                                         error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    set_breakdown_text (lead, column_text (stmt, 0), scored_at);
  sqlite3_reset (stmt);
  return TRUE;
}

/* The lead of a row of LEAD_COLUMNS, without what other tables hold. */
static FlLead *
row_to_lead_fields (sqlite3_stmt *row)
{
  FlLead *lead = fl_lead_new ();
  FlStatus status;
  FlSource source;

  fl_lead_set_uuid (lead, column_text (row, COL_UUID));
  fl_lead_set_event (lead, column_text (row, COL_EVENT));
  fl_lead_set_created_at (lead, column_text (row, COL_CREATED_AT));
  fl_lead_set_updated_at (lead, column_text (row, COL_UPDATED_AT));
  fl_lead_set_captured_by (lead, column_text (row, COL_CAPTURED_BY));
  fl_lead_set_device (lead, column_text (row, COL_DEVICE));
  if (fl_source_from_string (column_text (row, COL_SOURCE), &source))
    fl_lead_set_source (lead, source);
  fl_lead_set_raw_payload (lead, column_text (row, COL_RAW_PAYLOAD));
  fl_lead_set_badge_id (lead, column_text (row, COL_BADGE_ID));
  for (guint i = 0; i < FL_N_FIELDS; i++)
    fl_lead_set_field (lead, i, column_text (row, COL_FIRST_FIELD + i));
  fl_lead_set_notes (lead, column_text (row, COL_NOTES));
  fl_lead_set_score (lead, sqlite3_column_int (row, COL_SCORE));
  if (fl_status_from_string (column_text (row, COL_STATUS), &status))
    fl_lead_set_status (lead, status);
  if (column_text (row, COL_MODEL_NAME) != NULL || column_text (row, COL_MODEL_SHA256) != NULL)
    {
      JsonObject *model = json_object_new ();
      g_autoptr(JsonNode) node = NULL;

      json_object_set_string_member (model, "name", column_text (row, COL_MODEL_NAME));
      json_object_set_int_member (model, "version", sqlite3_column_int64 (row, COL_MODEL_VERSION));
      json_object_set_string_member (model, "sha256", column_text (row, COL_MODEL_SHA256));
      node = json_node_init_object (json_node_alloc (), model);
      json_object_unref (model);
      fl_lead_set_model (lead, node);
    }
  fl_lead_set_override (lead, column_text (row, COL_OVERRIDE_STATUS),
                        column_text (row, COL_OVERRIDE_BY), column_text (row, COL_OVERRIDE_REASON));
  return lead;
}

#define CONSENT_COLUMNS "text_version, text_sha256, language, given, method, staff, at, text_source"

/* The lead's consent as fl_lead_set_consent() takes it, from the
 * CONSENT_COLUMNS of @stmt starting at @first. */
static JsonNode *
row_to_consent (sqlite3_stmt *stmt, int first)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  static const char *keys[] = { "version", "sha256", "language", NULL, "method", "staff", "at",
                                "text_source" };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      if (keys[i] == NULL)
        {
          json_builder_set_member_name (builder, "given");
          json_builder_add_boolean_value (builder, sqlite3_column_int (stmt, first + i) != 0);
        }
      else if (column_text (stmt, first + i) != NULL)
        {
          json_builder_set_member_name (builder, keys[i]);
          json_builder_add_string_value (builder, column_text (stmt, first + i));
        }
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static FlLead *
row_to_lead (FlStore *self, sqlite3_stmt *row, char **scored_at, GError **error)
{
  g_autoptr(FlLead) lead = row_to_lead_fields (row);
  gint64 lead_id = sqlite3_column_int64 (row, COL_ID);
  sqlite3_stmt *stmt;
  int rc;

  if (!read_breakdown (self, lead, lead_id, scored_at, error))
    return NULL;

  stmt = fl_store_prepare (self, "SELECT question_id, value FROM answers WHERE lead_id = ? "
                                 "ORDER BY rowid", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) value = parse_json (column_text (stmt, 1));
      if (value != NULL)
        fl_lead_set_answer (lead, column_text (stmt, 0), value);
    }
  sqlite3_reset (stmt);

  stmt = fl_store_prepare (self, "SELECT kind, at FROM interactions WHERE lead_id = ? ORDER BY id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    fl_lead_add_interaction (lead, column_text (stmt, 0), column_text (stmt, 1));
  sqlite3_reset (stmt);

  stmt = fl_store_prepare (self,
                           "SELECT " CONSENT_COLUMNS " FROM consents WHERE lead_id = ? "
                           "ORDER BY at DESC, given ASC, id DESC LIMIT 1",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) consent = row_to_consent (stmt, 0);

      fl_lead_set_consent (lead, consent);
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&lead);
}

FlLead *
fl_store_get_lead (FlStore *self, const char *uuid, GError **error)
{
  g_autofree char *scored_at = NULL;
  sqlite3_stmt *stmt;
  FlLead *lead = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  stmt = fl_store_prepare (self, "SELECT " LEAD_COLUMNS " FROM " LEADS_SCORED " WHERE uuid = "
                                 /* A lead merged into another by booth sync is found
                                  * under its old uuid too. */
                                 "coalesce ((SELECT lead FROM lead_aliases WHERE alias = lower (?1)), "
                                 "lower (?1))", error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      /* row_to_lead() runs other cached statements; this one stays on its row. */
      lead = row_to_lead (self, stmt, &scored_at, error);
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
  else
    sql_error (self->db, error);
  sqlite3_reset (stmt);
  if (lead != NULL && scored_at != NULL)
    fl_scorer_fill_breakdown (self, lead, scored_at);
  return lead;
}

/* Runs @sql (one parameter: the JSON array of lead ids) and hands each
 * row to @func with the lead its first column names. */
typedef void (*ChildFunc) (FlLead *lead, sqlite3_stmt *stmt, gpointer user_data);

static gboolean
read_children (FlStore *self, const char *sql, const char *ids, GHashTable *by_id, ChildFunc func,
               gpointer user_data, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (self, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, ids, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 lead_id = sqlite3_column_int64 (stmt, 0);
      FlLead *lead = g_hash_table_lookup (by_id, &lead_id);

      if (lead != NULL)
        func (lead, stmt, user_data);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self->db, error);
  return TRUE;
}

static void
breakdown_cb (FlLead *lead, sqlite3_stmt *stmt, gpointer user_data)
{
  GHashTable *scored_at = user_data;
  char *at = NULL;

  set_breakdown_text (lead, column_text (stmt, 1), &at);
  if (at != NULL)
    g_hash_table_insert (scored_at, lead, at);
}

static void
answer_cb (FlLead *lead, sqlite3_stmt *stmt, gpointer user_data)
{
  g_autoptr(JsonNode) value = parse_json (column_text (stmt, 2));

  if (value != NULL)
    fl_lead_set_answer (lead, column_text (stmt, 1), value);
}

static void
interaction_cb (FlLead *lead, sqlite3_stmt *stmt, gpointer user_data)
{
  fl_lead_add_interaction (lead, column_text (stmt, 1), column_text (stmt, 2));
}

static void
consent_cb (FlLead *lead, sqlite3_stmt *stmt, gpointer user_data)
{
  g_autoptr(JsonNode) consent = row_to_consent (stmt, 1);

  fl_lead_set_consent (lead, consent);
}

/* Appends @strings as a JSON array, for json_each (?) to walk. */
static void
append_json_array (GString *json, const char *const *strings, guint n_strings)
{
  g_string_append_c (json, '[');
  for (guint i = 0; i < n_strings; i++)
    {
      if (i > 0)
        g_string_append_c (json, ',');
      fl_json_append_string (json, strings[i]);
    }
  g_string_append_c (json, ']');
}

/* Reads the leads @stmt (bound by the caller) yields, each with its
 * position asked at column COL_OVERRIDE_REASON + 1 and, when @allowed is
 * not %NULL, whether it may be uploaded at the next column; then what
 * belongs to them, one query a table. The leads were asked for by @uuids,
 * or else by @lead_ids: that names a missing one in the error. */
static GPtrArray *
get_leads (FlStore *self, sqlite3_stmt *stmt, guint n_leads, const char *const *uuids,
           const gint64 *lead_ids, gint8 *allowed, GError **error)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_full (n_leads, g_object_unref);
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GHashTable) scored_at = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GString) ids = g_string_sized_new (2 + n_leads * 8);
  GHashTableIter iter;
  gpointer lead, at;
  int rc;

  g_string_append_c (ids, '[');
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 *lead_id = g_new (gint64, 1);
      guint index = sqlite3_column_int (stmt, COL_OVERRIDE_REASON + 1);
      FlLead *found;

      if (index != leads->len)
        {
          g_free (lead_id);
          break;
        }
      if (allowed != NULL)
        allowed[index] = sqlite3_column_int (stmt, COL_OVERRIDE_REASON + 2) != 0 ? 1 : 0;
      *lead_id = sqlite3_column_int64 (stmt, COL_ID);
      /* A lead asked for twice (by its uuid and a merged one) is one lead. */
      found = g_hash_table_lookup (by_id, lead_id);
      if (found != NULL)
        {
          g_ptr_array_add (leads, g_object_ref (found));
          g_free (lead_id);
          continue;
        }
      g_string_append_printf (ids, ids->len > 1 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                              *lead_id);
      found = row_to_lead_fields (stmt);
      g_ptr_array_add (leads, found);
      g_hash_table_insert (by_id, lead_id, found);
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      sql_error (self->db, error);
      return NULL;
    }
  if (leads->len < n_leads)
    {
      g_autofree char *id = uuids ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, lead_ids[leads->len]);

      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"),
                   uuids ? uuids[leads->len] : id);
      return NULL;
    }
  g_string_append_c (ids, ']');

  if (!read_children (self, "SELECT lead_id, breakdown FROM lead_breakdowns "
                            "WHERE lead_id IN (SELECT value FROM json_each (?))",
                      ids->str, by_id, breakdown_cb, scored_at, error) ||
      !read_children (self, "SELECT lead_id, question_id, value FROM answers "
                            "WHERE lead_id IN (SELECT value FROM json_each (?)) ORDER BY lead_id, rowid",
                      ids->str, by_id, answer_cb, NULL, error) ||
      !read_children (self, "SELECT lead_id, kind, at FROM interactions "
                            "WHERE lead_id IN (SELECT value FROM json_each (?)) ORDER BY lead_id, id",
                      ids->str, by_id, interaction_cb, NULL, error) ||
      !read_children (self, "SELECT c.lead_id, " CONSENT_COLUMNS " FROM json_each (?) j "
                            "JOIN consents c ON c.id = (SELECT id FROM consents WHERE lead_id = j.value "
                            "  ORDER BY at DESC, given ASC, id DESC LIMIT 1)",
                      ids->str, by_id, consent_cb, NULL, error))
    return NULL;

  g_hash_table_iter_init (&iter, scored_at);
  while (g_hash_table_iter_next (&iter, &lead, &at))
    fl_scorer_fill_breakdown (self, lead, at);
  return g_steal_pointer (&leads);
}

/**
 * fl_store_get_leads:
 * @uuids: (array length=n_uuids): leads, by uuid or by a uuid merged into them
 *
 * fl_store_get_lead() for a batch: one query for the leads and one for
 * each kind of what belongs to them, instead of five a lead.
 *
 * Returns: (transfer full) (element-type FlLead): the leads in the order
 *   of @uuids; %NULL with %FL_STORE_ERROR_NOT_FOUND when one is missing
 */
GPtrArray *
fl_store_get_leads (FlStore *self, const char *const *uuids, guint n_uuids, GError **error)
{
  g_autoptr(GString) json = g_string_sized_new (2 + n_uuids * 40);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  append_json_array (json, uuids, n_uuids);
  stmt = fl_store_prepare (self, "SELECT " LEAD_COLUMNS ", j.position "
                                 "FROM (SELECT key AS position, value FROM json_each (?)) j "
                                 "JOIN leads ON leads.uuid = coalesce ((SELECT lead FROM lead_aliases "
                                 "  WHERE alias = lower (j.value)), lower (j.value)) "
                                 "JOIN lead_scores ON lead_scores.lead_id = leads.id "
                                 "ORDER BY j.position", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  return get_leads (self, stmt, n_uuids, uuids, NULL, NULL, error);
}

/**
 * fl_store_get_leads_by_id:
 * @ids: (array length=n_ids): lead ids (leads.id, as the outbox has them)
 * @allowed: (out caller-allocates) (array length=n_ids): for each lead 1
 *   when it may be uploaded now, 0 when it is held back for want of
 *   consent (fl_store_leads_upload_allowed())
 *
 * fl_store_get_leads() for the uploader: by the lead's own key (no uuid
 * or alias lookup), and whether each may be sent, all read from one
 * snapshot of the database, so a lead's consent in the body and the
 * answer in @allowed agree.
 *
 * Returns: (transfer full) (element-type FlLead): the leads in the order
 *   of @ids; %NULL with %FL_STORE_ERROR_NOT_FOUND when one is missing
 */
GPtrArray *
fl_store_get_leads_by_id (FlStore *self, const gint64 *ids, guint n_ids, gint8 *allowed,
                          GError **error)
{
  g_autoptr(GString) json = g_string_sized_new (2 + n_ids * 8);
  gboolean own_snapshot;
  GPtrArray *leads;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (allowed != NULL, NULL);

  g_string_append_c (json, '[');
  for (guint i = 0; i < n_ids; i++)
    {
      g_string_append_printf (json, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT, ids[i]);
      allowed[i] = -1;
    }
  g_string_append_c (json, ']');
  stmt = fl_store_prepare (self, "SELECT " LEAD_COLUMNS ", j.position, "
                                 FL_STORE_SQL_UPLOAD_ALLOWED ("leads") " "
                                 "FROM (SELECT key AS position, value FROM json_each (?)) j "
                                 "JOIN leads ON leads.id = j.value "
                                 "JOIN lead_scores ON lead_scores.lead_id = leads.id "
                                 "ORDER BY j.position", error);
  if (stmt == NULL)
    return NULL;
  /* One read transaction: the five queries see the same database. */
  own_snapshot = sqlite3_get_autocommit (self->db) != 0;
  if (own_snapshot && !exec (self->db, "BEGIN", error))
    return NULL;
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  leads = get_leads (self, stmt, n_ids, NULL, ids, allowed, error);
  if (own_snapshot)
    exec (self->db, leads != NULL ? "COMMIT" : "ROLLBACK", NULL);
  return leads;
}

/* Turns free text into an FTS5 query that matches every word as a prefix,
 * so typing "mul" already finds "Müller" and no input is a syntax error. */
static char *
fts_query (const char *search)
{
  g_auto(GStrv) words = g_strsplit_set (search, " \t\n\"'*:^()-+", -1);
  GString *query = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *folded = NULL;

      if (words[i][0] == '\0')
        continue;
      if (query->len > 0)
        g_string_append_c (query, ' ');
      folded = fl_fts_fold (words[i]);
      g_string_append_printf (query, "\"%s\"*", folded);
    }
  return g_string_free (query, query->len == 0);
}

const char *
fl_upload_state_to_string (FlUploadState state)
{
  static const char *names[] = { "any", "none", "waiting", "failed", "done" };

  g_return_val_if_fail (state <= FL_UPLOAD_DONE, NULL);
  return names[state];
}

static char *
build_where (FlStore *self, const FlLeadQuery *query, char **event, char **match, GError **error)
{
  GString *where = g_string_new ("WHERE 1");

  *match = NULL;
  *event = query && query->event ? g_strdup (query->event) : fl_store_get_meta (self, "active_event");
  if (*event != NULL)
    g_string_append (where, " AND event_key = " FL_STORE_SQL_EVENT_KEY (":event"));
  if (query == NULL)
    return g_string_free (where, FALSE);

  if (query->status != NULL)
    {
      FlStatus status;

      if (!fl_status_from_string (query->status, &status))
        {
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                       _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"),
                       query->status);
          g_string_free (where, TRUE);
          return NULL;
        }
      g_string_append (where, " AND status = :status");
    }
  if (query->search != NULL)
    {
      *match = fts_query (query->search);
      if (*match != NULL)
        g_string_append (where, " AND id IN (SELECT rowid FROM leads_fts WHERE leads_fts MATCH :match)");
    }
  if (query->captured_by != NULL)
    g_string_append (where, " AND captured_by = :staff");
  if (query->since != NULL)
    g_string_append (where, " AND created_at >= :since");
  if (query->until != NULL)
    g_string_append (where, " AND created_at < :until");
  if (query->upload != FL_UPLOAD_ANY)
    g_string_append_printf (where, " AND upload_state = %d", (int) query->upload);
  return g_string_free (where, FALSE);
}

static void
bind_where (sqlite3_stmt *stmt, const FlLeadQuery *query, const char *event, const char *match)
{
  int index;

  if ((index = sqlite3_bind_parameter_index (stmt, ":event")) > 0)
    fl_store_bind_text (stmt, index, event);
  if ((index = sqlite3_bind_parameter_index (stmt, ":status")) > 0)
    fl_store_bind_text (stmt, index, query->status);
  if ((index = sqlite3_bind_parameter_index (stmt, ":match")) > 0)
    fl_store_bind_text (stmt, index, match);
  if ((index = sqlite3_bind_parameter_index (stmt, ":staff")) > 0)
    fl_store_bind_text (stmt, index, query->captured_by);
  if ((index = sqlite3_bind_parameter_index (stmt, ":since")) > 0)
    fl_store_bind_text (stmt, index, query->since);
  if ((index = sqlite3_bind_parameter_index (stmt, ":until")) > 0)
    fl_store_bind_text (stmt, index, query->until);
}

static const char *
order_by (const FlLeadQuery *query)
{
  /* Each column's natural first direction: newest, A–Z, highest score. */
  /* The tie-breaker runs the same way as the column, so SQLite walks an
   * index (whose entries end in the rowid) instead of sorting. */
  static const char *orders[][2] = {
    [FL_LEAD_SORT_CREATED] = { "created_at DESC, id DESC", "created_at ASC, id ASC" },
    [FL_LEAD_SORT_NAME] = { "sort_name COLLATE NOCASE ASC, id ASC", "sort_name COLLATE NOCASE DESC, id DESC" },
    [FL_LEAD_SORT_COMPANY] = { "company IS NULL ASC, company COLLATE NOCASE ASC, id ASC",
                               "company IS NULL DESC, company COLLATE NOCASE DESC, id DESC" },
    [FL_LEAD_SORT_SCORE] = { "score DESC, lead_id DESC", "score ASC, lead_id ASC" },
    [FL_LEAD_SORT_STATUS] = { "status DESC, score DESC, lead_id DESC", "status ASC, score ASC, lead_id ASC" },
    [FL_LEAD_SORT_STAFF] = { "captured_by IS NULL ASC, captured_by COLLATE NOCASE ASC, id ASC",
                             "captured_by IS NULL DESC, captured_by COLLATE NOCASE DESC, id DESC" },
    [FL_LEAD_SORT_UPLOAD] = { "upload_state ASC, created_at ASC, id ASC",
                              "upload_state DESC, created_at DESC, id DESC" },
  };

  FlLeadSort sort = query ? query->sort : FL_LEAD_SORT_CREATED;

  if (sort > FL_LEAD_SORT_UPLOAD)
    sort = FL_LEAD_SORT_CREATED;
  return orders[sort][query && query->ascending ? 1 : 0];
}

/* Whether no lead belongs to another event than @event (%NULL: any):
 * two seeks in the event index (an event without a key: no answer). */
static gboolean
event_has_every_lead (FlStore *self, const char *event)
{
  sqlite3_stmt *stmt;
  gboolean others = TRUE;

  if (event == NULL)
    return TRUE;
  stmt = fl_store_prepare (self,
                           "SELECT " FL_STORE_SQL_EVENT_KEY ("?1") " IS NULL "
                           "    OR EXISTS (SELECT 1 FROM leads WHERE event_key < " FL_STORE_SQL_EVENT_KEY ("?1") ") "
                           "    OR EXISTS (SELECT 1 FROM leads WHERE event_key > " FL_STORE_SQL_EVENT_KEY ("?1") ")",
                           NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    others = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return !others;
}

/* A lead's answers as the JSON object fl_lead_get_answers() would print:
 * each value is stored as json-glib's compact text already. */
#define ANSWERS_JSON                                                                               \
  "(SELECT '{' || group_concat (json_quote (question_id) || ':' || value, ',') || '}' "             \
  " FROM (SELECT question_id, value FROM answers WHERE lead_id = leads.id ORDER BY rowid))"

/* Whether @query asks for every lead of its event, newest first. */
static gboolean
is_whole_event (const FlLeadQuery *query)
{
  if (query == NULL)
    return TRUE;
  return query->status == NULL && query->search == NULL && query->captured_by == NULL &&
         query->since == NULL && query->until == NULL && query->upload == FL_UPLOAD_ANY &&
         query->sort == FL_LEAD_SORT_CREATED && !query->ascending && query->limit == 0 &&
         query->offset == 0;
}

/* Whether the export walk, which reads every lead of the file, costs less
 * than looking up the event's own leads one by one: when the event holds
 * every lead, or an eighth of them or more. Measured at 100,000 leads:
 * the two cost the same when the event holds a tenth, the walk 40 % less
 * at a quarter. */
static gboolean
export_walk_pays (FlStore *self, const char *event, gboolean *every_lead)
{
  sqlite3_stmt *stmt;
  gboolean pays = FALSE;

  *every_lead = event_has_every_lead (self, event);
  if (*every_lead)
    return TRUE;
  stmt = fl_store_prepare (self,
                           "SELECT (SELECT count(*) FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") ") * 8 "
                           "    >= (SELECT count(*) FROM leads)",
                           NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    pays = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  return pays;
}

/**
 * fl_store_export_csv:
 * @query: (nullable): what to export; %NULL for every lead of the active event
 * @func: called with each lead's CSV row (as fl_export_csv_lead() writes
 *   it) and uuid, in the order of @query; %FALSE (with an error set) stops
 *
 * Writes CSV rows straight from the database, one lead at a time and from
 * one snapshot, so that memory stays flat at any number of leads.
 */
gboolean
fl_store_export_csv (FlStore *self, const FlLeadQuery *query, FlStoreCsvFunc func,
                     gpointer user_data, GError **error)
{
  g_autofree char *where = NULL;
  g_autofree char *match = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *event = NULL;
  g_autoptr(GString) row = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;
  gboolean ok, every_lead;
  int rc = SQLITE_DONE;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* One read transaction: every lead from the same snapshot. */
  if (!exec (self->db, "BEGIN", error))
    return FALSE;
  where = build_where (self, query, &event, &match, error);
  /* The whole event, newest first: each table read once, in order. */
  if (where != NULL && event != NULL && is_whole_event (query) && export_walk_pays (self, event, &every_lead))
    {
      ok = _fl_store_export_csv_walk (self, event, every_lead, func, user_data, error);
      exec (self->db, "COMMIT", NULL);
      return ok;
    }
  if (where != NULL)
    {
      sql = g_strdup_printf ("SELECT " LEAD_COLUMNS ", " ANSWERS_JSON " FROM " LEADS_SCORED " %s "
                             "ORDER BY %s LIMIT :limit OFFSET :offset",
                             where, order_by (query));
      /* Not a cached statement: the callback may use those. */
      if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
        sql_error (self->db, error);
    }
  ok = stmt != NULL;
  if (ok)
    {
      bind_where (stmt, query, event, match);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                          query && query->limit ? (gint64) query->limit : -1);
      sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"),
                          query ? query->offset : 0);
      while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *cells[7 + FL_N_FIELDS + 7];
          g_autofree char *model = NULL;
          char score[16];
          guint n = 0;

          if (column_text (stmt, COL_MODEL_NAME) != NULL || column_text (stmt, COL_MODEL_SHA256) != NULL)
            model = g_strdup_printf ("%s v%" G_GINT64_FORMAT,
                                     column_text (stmt, COL_MODEL_NAME) ? column_text (stmt, COL_MODEL_NAME) : "?",
                                     (gint64) sqlite3_column_int64 (stmt, COL_MODEL_VERSION));
          g_snprintf (score, sizeof score, "%d", sqlite3_column_int (stmt, COL_SCORE));
          cells[n++] = column_text (stmt, COL_UUID);
          cells[n++] = column_text (stmt, COL_EVENT);
          cells[n++] = column_text (stmt, COL_CREATED_AT);
          cells[n++] = column_text (stmt, COL_UPDATED_AT);
          cells[n++] = column_text (stmt, COL_CAPTURED_BY);
          cells[n++] = column_text (stmt, COL_SOURCE);
          cells[n++] = column_text (stmt, COL_BADGE_ID);
          for (guint i = 0; i < FL_N_FIELDS; i++)
            cells[n++] = column_text (stmt, COL_FIRST_FIELD + i);
          cells[n++] = column_text (stmt, COL_NOTES);
          cells[n++] = score;
          cells[n++] = column_text (stmt, COL_STATUS);
          cells[n++] = column_text (stmt, COL_OVERRIDE_STATUS);
          cells[n++] = model;
          cells[n++] = column_text (stmt, COL_OVERRIDE_REASON + 1);  /* ANSWERS_JSON */
          cells[n++] = column_text (stmt, COL_RAW_PAYLOAD);
          g_assert (n == G_N_ELEMENTS (cells));
          g_string_truncate (row, 0);
          fl_csv_append_row (row, cells, n);
          ok = func (row->str, row->len, column_text (stmt, COL_UUID), user_data, error);
        }
      if (ok && rc != SQLITE_DONE)
        {
          sql_error (self->db, error);
          ok = FALSE;
        }
    }
  sqlite3_finalize (stmt);
  exec (self->db, "COMMIT", NULL);
  return ok;
}

/**
 * fl_store_list_leads:
 * @query: (nullable): what to list; %NULL for every lead of the active event
 *
 * Returns: (transfer full) (element-type FlLead): the leads, newest first
 */
GPtrArray *
fl_store_list_leads (FlStore *self, const FlLeadQuery *query, GError **error)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *where = NULL;
  g_autofree char *match = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *event = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);

  where = build_where (self, query, &event, &match, error);
  if (where == NULL)
    return NULL;
  sql = g_strdup_printf ("SELECT " LEAD_COLUMNS " FROM " LEADS_SCORED " %s "
                         "ORDER BY %s LIMIT :limit OFFSET :offset",
                         where, order_by (query));
  stmt = fl_store_prepare (self, sql, error);
  if (stmt == NULL)
    return NULL;
  bind_where (stmt, query, event, match);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":limit"),
                      query && query->limit ? (gint64) query->limit : -1);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":offset"),
                      query ? query->offset : 0);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlLead *lead = row_to_lead (self, stmt, NULL, error);

      if (lead == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (leads, lead);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      sql_error (self->db, error);
      return NULL;
    }
  return g_steal_pointer (&leads);
}

gint64
fl_store_count_leads (FlStore *self, const FlLeadQuery *query, GError **error)
{
  g_autofree char *where = NULL;
  g_autofree char *match = NULL;
  g_autofree char *sql = NULL;
  g_autofree char *event = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (FL_IS_STORE (self), -1);

  where = build_where (self, query, &event, &match, error);
  if (where == NULL)
    return -1;
  /* A search alone, where every lead is of the event: the full-text index
   * counts its matches without looking up each one's event (a word in a
   * third of 100,000 leads: 60–84 ms the long way). */
  if (match != NULL && query->status == NULL && query->captured_by == NULL && query->since == NULL &&
      query->until == NULL && query->upload == FL_UPLOAD_ANY && event_has_every_lead (self, event))
    sql = g_strdup ("SELECT count(*) FROM leads_fts WHERE leads_fts MATCH :match");
  /* A status, where every lead is of the event: counted in the status
   * index of lead_scores alone (41,000 SAL of 100,000 leads: 3 ms; with
   * a look-up of each one's event, 200 ms). */
  else if (query != NULL && query->status != NULL && query->search == NULL && query->captured_by == NULL &&
           query->since == NULL && query->until == NULL && query->upload == FL_UPLOAD_ANY &&
           event_has_every_lead (self, event))
    sql = g_strdup ("SELECT count(*) FROM lead_scores WHERE status = :status");
  else
    sql = g_strdup_printf ("SELECT count(*) FROM %s %s",
                           query && query->status != NULL ? LEADS_SCORED : "leads", where);
  stmt = fl_store_prepare (self, sql, error);
  if (stmt == NULL)
    return -1;
  bind_where (stmt, query, event, match);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    sql_error (self->db, error);
  sqlite3_reset (stmt);
  return count;
}

/**
 * fl_store_lead_upload_allowed:
 * @allowed: (out): %FALSE when the lead is held back for want of consent
 */
gboolean
fl_store_lead_upload_allowed (FlStore *self, const char *uuid, gboolean *allowed, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  stmt = fl_store_prepare (self, "SELECT " FL_STORE_SQL_UPLOAD_ALLOWED ("l") " FROM leads l "
                                 "WHERE l.uuid = lower (?)", error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *allowed = sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return sql_error (self->db, error);
  return TRUE;
}

/**
 * fl_store_leads_upload_allowed:
 * @uuids: (array length=n_uuids): leads
 * @allowed: (out caller-allocates) (array length=n_uuids): for each lead
 *   1 when it may be uploaded, 0 when it is held back for want of
 *   consent, -1 when there is no such lead (erased meanwhile)
 *
 * fl_store_lead_upload_allowed() for a batch, in one query.
 */
gboolean
fl_store_leads_upload_allowed (FlStore *self, const char *const *uuids, guint n_uuids,
                               gint8 *allowed, GError **error)
{
  g_autoptr(GString) json = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  for (guint i = 0; i < n_uuids; i++)
    allowed[i] = -1;
  if (n_uuids == 0)
    return TRUE;
  json = g_string_sized_new (2 + n_uuids * 40);
  append_json_array (json, uuids, n_uuids);

  stmt = fl_store_prepare (self, "SELECT j.key, " FL_STORE_SQL_UPLOAD_ALLOWED ("l") " "
                                 "FROM json_each (?) j JOIN leads l ON l.uuid = lower (j.value)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 index = sqlite3_column_int64 (stmt, 0);

      if (index >= 0 && index < n_uuids)
        allowed[index] = sqlite3_column_int (stmt, 1) != 0 ? 1 : 0;
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return sql_error (self->db, error);
  return TRUE;
}

/**
 * fl_store_count_held_for_consent:
 * @event: (nullable): an event uuid, %NULL for all events
 *
 * Returns: how many leads are kept on the kiosk because consent is
 *   required and was not given, or -1 on error
 */
gint64
fl_store_count_held_for_consent (FlStore *self, const char *event, GError **error)
{
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (FL_IS_STORE (self), -1);

  stmt = fl_store_prepare (self, "SELECT count(*) FROM leads l WHERE (?1 IS NULL OR "
                                 "l.event_key = " FL_STORE_SQL_EVENT_KEY ("?1") ") "
                                 "AND NOT " FL_STORE_SQL_UPLOAD_ALLOWED ("l"), error);
  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, event);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    sql_error (self->db, error);
  sqlite3_reset (stmt);
  return count;
}

gboolean
fl_store_add_audit (FlStore *self, const char *lead_uuid, const char *actor, const char *action,
                    const char *detail, GError **error)
{
  g_autofree char *now = fl_now_iso8601 ();
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  stmt = fl_store_prepare (self, "INSERT INTO audit (lead_uuid, at, actor, action, detail) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, lead_uuid);
  fl_store_bind_text (stmt, 2, now);
  fl_store_bind_text (stmt, 3, actor);
  fl_store_bind_text (stmt, 4, action);
  fl_store_bind_text (stmt, 5, detail);
  return fl_store_step_done (self, stmt, error);
}
