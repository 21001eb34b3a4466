/* fl-outbox.c: the leads waiting for each connector, and the connectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-outbox"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-outbox.h"
#include "fl-secret.h"
#include "fl-sync.h"
#include "lead/fl-json.h"
#include "store/fl-replica-schema.h"
#include "store/fl-store-private.h"

/* A due row of the claim queue. */
typedef struct
{
  gint64      lead_id;
  const char *event;   /* in queue_strings */
  gboolean    taken;
} QueuedRow;

struct _FlOutbox
{
  GObject  parent_instance;

  FlStore *store;

  /* The due rows of one connector in the order claims take them, as the
   * last full claim found them (see claim()). */
  GArray       *queue;           /* QueuedRow */
  GStringChunk *queue_strings;
  char         *queue_connector;
  guint         queue_next;      /* the first row not taken */
};

G_DEFINE_FINAL_TYPE (FlOutbox, fl_outbox, G_TYPE_OBJECT)

/* A row is due when it is pending and its time has come. */
#define DUE "o.state = 'pending' AND (o.next_attempt_at IS NULL OR o.next_attempt_at <= :now)"
/* A batch key is only valid for a row that was tried before; saving the
 * lead again resets attempts to 0, and the new content gets a new key. */
#define KEYED "(o.attempts > 0 AND o.batch_key IS NOT NULL)"
/* The revision of outbox row o of lead l a new batch's key derives from:
 * the clock of the lead's last change, the same on every kiosk of a booth
 * (schema 9). A kiosk in no booth logs no edits (schema 11) and races no
 * other kiosk: a new batch of its own is a new key, as before booth sync
 * (a retry keeps the key stored with the rows); the random part alone
 * makes it new, so there the log is not read. Send Again asks for one
 * more delivery of the same revision: it leaves a mark of its own. */
#define REVISION                                                                                   \
  "(CASE WHEN" FL_REPLICA_IN_BOOTH "THEN coalesce (" FL_REPLICA_REVISION ("l.uuid") ", '')"        \
  " ELSE ' ' || hex (randomblob (8)) END"                                                          \
  " || coalesce (' ' || CASE WHEN o.batch_key LIKE 'again:%' THEN o.batch_key END, ''))"
#define IN_SCOPE "(:event IS NULL OR l.event_key = " FL_STORE_SQL_EVENT_KEY (":event") ")"

void
fl_outbox_row_free (FlOutboxRow *row)
{
  if (row == NULL)
    return;
  g_free (row->lead_uuid);
  g_free (row->remote_id);
  g_free (row);
}

void
fl_outbox_entry_free (FlOutboxEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->lead_uuid);
  g_free (entry->lead_name);
  g_free (entry->connector);
  g_free (entry->state);
  g_free (entry->next_attempt_at);
  g_free (entry->last_error);
  g_free (entry->remote_id);
  g_free (entry->done_at);
  g_free (entry);
}

static const char *
column_text (sqlite3_stmt *stmt, int column)
{
  return (const char *) sqlite3_column_text (stmt, column);
}

static void
bind_text (sqlite3_stmt *stmt, const char *name, const char *value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_assert (index > 0);
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static void
bind_int (sqlite3_stmt *stmt, const char *name, gint64 value)
{
  int index = sqlite3_bind_parameter_index (stmt, name);

  g_assert (index > 0);
  sqlite3_bind_int64 (stmt, index, value);
}

static gboolean
step_done (FlOutbox *self, sqlite3_stmt *stmt, GError **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (self->store, error);
  return TRUE;
}

static void
fl_outbox_finalize (GObject *object)
{
  FlOutbox *self = FL_OUTBOX (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->queue, g_array_unref);
  g_clear_pointer (&self->queue_strings, g_string_chunk_free);
  g_clear_pointer (&self->queue_connector, g_free);

  G_OBJECT_CLASS (fl_outbox_parent_class)->finalize (object);
}

static void
fl_outbox_class_init (FlOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_outbox_finalize;
}

static void
fl_outbox_init (FlOutbox *self)
{
}

/**
 * fl_outbox_new:
 * @store: a store owned by the calling thread
 */
FlOutbox *
fl_outbox_new (FlStore *store)
{
  FlOutbox *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  return self;
}

FlStore *
fl_outbox_get_store (FlOutbox *self)
{
  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);
  return self->store;
}

/* Connectors */

static FlConnector *
row_to_connector (sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonObject *options = NULL;
  const char *name = column_text (stmt, 0);

  if (column_text (stmt, 3) != NULL &&
      fl_json_parser_load (parser, column_text (stmt, 3), -1, NULL) &&
      JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    options = json_node_get_object (json_parser_get_root (parser));
  if (options == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The options of connector “%s” are damaged; remove and add it again"), name);
      return NULL;
    }
  return _fl_connector_load (name, column_text (stmt, 1), column_text (stmt, 2), options, error);
}

/**
 * fl_outbox_list_connectors:
 *
 * Returns: (transfer full) (element-type FlConnector): the connectors by
 *   name; a connector whose configuration no longer loads is an error
 */
GPtrArray *
fl_outbox_list_connectors (FlOutbox *self, gboolean enabled_only, GError **error)
{
  g_autoptr(GPtrArray) connectors = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);

  stmt = fl_store_prepare (self->store,
                           "SELECT name, type, url, options FROM connectors "
                           "WHERE enabled OR NOT :enabled_only ORDER BY name",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_int (stmt, ":enabled_only", enabled_only);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlConnector *connector = row_to_connector (stmt, error);

      if (connector == NULL)
        {
          sqlite3_reset (stmt);
          return NULL;
        }
      g_ptr_array_add (connectors, connector);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&connectors);
}

FlConnector *
fl_outbox_get_connector (FlOutbox *self, const char *name, GError **error)
{
  sqlite3_stmt *stmt;
  FlConnector *connector = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);

  stmt = fl_store_prepare (self->store,
                           "SELECT name, type, url, options FROM connectors WHERE name = :name",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, ":name", name);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    connector = row_to_connector (stmt, error);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_FOUND,
                 _("There is no connector “%s”; see “fairlead-cli connector list”"), name);
  else
    fl_store_set_error (self->store, error);
  sqlite3_reset (stmt);
  return connector;
}

static gboolean
check_name (const char *name, GError **error)
{
  gsize length = strlen (name);

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      length = 0;
  if (length == 0 || length > 64)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a usable connector name: use 1 to 64 letters, digits, - and _"),
                   name);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_outbox_add_connector:
 * @n_queued: (out) (optional): how many stored leads were queued for it
 *
 * Adds a connector after checking its configuration, and queues every
 * lead already stored (of its event, when it has one) for it.
 */
gboolean
fl_outbox_add_connector (FlOutbox *self, const char *name, const char *type, const char *url,
                         JsonObject *options, gint64 *n_queued, GError **error)
{
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *now = fl_now_iso8601 ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  if (!check_name (name, error))
    return FALSE;
  connector = fl_connector_new (name, type, url, options, error);
  if (connector == NULL)
    return FALSE;

  node = json_node_init_object (json_node_alloc (), fl_connector_get_options (connector));
  text = json_to_string (node, FALSE);

  if (!fl_store_begin (self->store, error))
    return FALSE;
  stmt = fl_store_prepare (self->store,
                           "INSERT INTO connectors (name, type, url, options, enabled, created_at) "
                           "VALUES (:name, :type, :url, :options, 1, :now)",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, ":name", name);
  bind_text (stmt, ":type", type);
  bind_text (stmt, ":url", fl_connector_get_url (connector));
  bind_text (stmt, ":options", text);
  bind_text (stmt, ":now", now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("There is already a connector “%s”; remove it first or choose another name"),
                   name);
      goto fail;
    }
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (self->store, error);
      goto fail;
    }

  stmt = fl_store_prepare (self->store,
                           "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                           "SELECT l.id, :name, 'pending', :now FROM leads l "
                           "WHERE " IN_SCOPE " AND " FL_STORE_SQL_UPLOAD_ALLOWED ("l")
                           " ON CONFLICT DO NOTHING",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, ":name", name);
  bind_text (stmt, ":now", now);
  bind_text (stmt, ":event", fl_connector_get_event (connector));
  if (!step_done (self, stmt, error))
    goto fail;
  if (n_queued != NULL)
    *n_queued = sqlite3_changes (fl_store_get_db (self->store));
  return fl_store_commit (self->store, error);

fail:
  fl_store_rollback (self->store);
  return FALSE;
}

/**
 * fl_outbox_update_connector:
 * @name: the connector to change; its name stays
 *
 * Changes a connector's type, URL and options after the same checks as
 * fl_outbox_add_connector(). Its queue stays as it is.
 */
gboolean
fl_outbox_update_connector (FlOutbox *self, const char *name, const char *type, const char *url,
                            JsonObject *options, GError **error)
{
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  connector = fl_connector_new (name, type, url, options, error);
  if (connector == NULL)
    return FALSE;
  node = json_node_init_object (json_node_alloc (), fl_connector_get_options (connector));
  text = json_to_string (node, FALSE);

  stmt = fl_store_prepare (self->store,
                           "UPDATE connectors SET type = :type, url = :url, options = :options "
                           "WHERE name = :name",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", name);
  bind_text (stmt, ":type", type);
  bind_text (stmt, ":url", fl_connector_get_url (connector));
  bind_text (stmt, ":options", text);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (fl_store_get_db (self->store)) == 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_FOUND,
                   _("There is no connector “%s”; see “fairlead-cli connector list”"), name);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_outbox_remove_connector:
 *
 * Removes a connector with its queue, and its secret from the keyring
 * where there is one.
 */
gboolean
fl_outbox_remove_connector (FlOutbox *self, const char *name, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  stmt = fl_store_prepare (self->store, "DELETE FROM connectors WHERE name = :name", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", name);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (fl_store_get_db (self->store)) == 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_FOUND,
                   _("There is no connector “%s”; see “fairlead-cli connector list”"), name);
      return FALSE;
    }
  /* A new connector of the same name owes nothing to the old one's server
   * (the pause is the uploader's, see fl-uploader.c). */
  stmt = fl_store_prepare (self->store,
                           "DELETE FROM meta WHERE key = 'connector.' || :name || '.paused_until'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":name", name);
  return step_done (self, stmt, error);
}

/* Queue */

/**
 * fl_outbox_recover:
 *
 * Puts rows a killed upload left as sending back to pending, keeping
 * their batch key, so the retry carries the same Idempotency-Key. Only the
 * holder of the upload lock may call this.
 *
 * Returns: the number of rows recovered, -1 on error
 */
gint64
fl_outbox_recover (FlOutbox *self, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), -1);

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'pending' WHERE state = 'sending'", error);
  if (stmt == NULL || !step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (fl_store_get_db (self->store));
}

/* The Idempotency-Key of a new batch: derived from the connector's name
 * (two connectors are two deliveries, even to one receiver), the batch's
 * leads and their revisions, never from the kiosk, so two kiosks of a
 * booth that race to send the same revision of a lead to the same
 * connector send the same key and the receiver sees one delivery. */
static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
derive_key (const char *connector, GPtrArray *rows, GPtrArray *revisions)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *hex;

  for (guint i = 0; i < rows->len; i++)
    {
      FlOutboxRow *row = g_ptr_array_index (rows, i);
      const char *revision = g_ptr_array_index (revisions, i);

      g_ptr_array_add (lines, g_strdup_printf ("%s@%s\n", row->lead_uuid, revision ? revision : ""));
    }
  g_ptr_array_sort (lines, compare_lines);
  g_checksum_update (checksum, (const guchar *) connector, strlen (connector) + 1);
  for (guint i = 0; i < lines->len; i++)
    g_checksum_update (checksum, g_ptr_array_index (lines, i), -1);
  hex = g_checksum_get_string (checksum);
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

/* The lead ids of @rows as a JSON array, for json_each(): a batch is
 * written with one statement, not one per lead. */
static char *
row_ids_json (GPtrArray *rows)
{
  GString *ids = g_string_sized_new (2 + rows->len * 8);

  g_string_append_c (ids, '[');
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (ids, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                            ((FlOutboxRow *) g_ptr_array_index (rows, i))->lead_id);
  g_string_append_c (ids, ']');
  return g_string_free (ids, FALSE);
}

static gboolean
mark_sending (FlOutbox *self, FlConnector *connector, const char *key, GPtrArray *rows,
              GError **error)
{
  g_autofree char *ids = NULL;
  sqlite3_stmt *stmt;

  if (rows->len == 0)
    return TRUE;
  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'sending', attempts = attempts + 1, "
                           "  batch_key = :key "
                           "WHERE connector = :connector "
                           "  AND lead_id IN (SELECT value FROM json_each (:ids))",
                           error);
  if (stmt == NULL)
    return FALSE;
  ids = row_ids_json (rows);
  bind_text (stmt, ":key", key);
  bind_text (stmt, ":ids", ids);
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  return step_done (self, stmt, error);
}

static gboolean
claim_rows (FlOutbox *self, FlConnector *connector, gint64 now, char **key,
            const char *event, gboolean keyed, GPtrArray *rows, GError **error)
{
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  if (keyed)
    stmt = fl_store_prepare (self->store,
                             "SELECT o.lead_id, l.uuid, o.attempts, "
                             "  o.remote_id IS NOT NULL OR o.done_at IS NOT NULL, o.remote_id "
                             "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                             "WHERE o.connector = :connector AND " DUE " AND " KEYED
                             "  AND o.batch_key = :key AND " IN_SCOPE " "
                             "ORDER BY o.lead_id LIMIT :limit",
                             error);
  else
    stmt = fl_store_prepare (self->store,
                             "SELECT o.lead_id, l.uuid, o.attempts, "
                             "  o.remote_id IS NOT NULL OR o.done_at IS NOT NULL, o.remote_id, "
                             "  " REVISION " "
                             "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                             "WHERE o.connector = :connector AND " DUE " AND NOT " KEYED
                             "  AND l.event IS :batch_event AND " IN_SCOPE " "
                             "ORDER BY (SELECT s.status FROM lead_scores s WHERE s.lead_id = o.lead_id) = 'SAL' DESC, o.queued_at, o.lead_id LIMIT :limit",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  bind_text (stmt, ":now", now_text);
  bind_text (stmt, ":event", fl_connector_get_event (connector));
  bind_int (stmt, ":limit", fl_connector_get_max_batch (connector));
  if (keyed)
    bind_text (stmt, ":key", *key);
  else
    bind_text (stmt, ":batch_event", event);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlOutboxRow *row = g_new0 (FlOutboxRow, 1);

      row->lead_id = sqlite3_column_int64 (stmt, 0);
      row->lead_uuid = g_strdup (column_text (stmt, 1));
      row->attempts = sqlite3_column_int (stmt, 2) + 1;
      row->known = sqlite3_column_int (stmt, 3) != 0;
      row->remote_id = g_strdup (column_text (stmt, 4));
      g_ptr_array_add (rows, row);
      if (!keyed)
        g_ptr_array_add (revisions, g_strdup (column_text (stmt, 5)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (self->store, error);
  if (!keyed)
    *key = derive_key (fl_connector_get_name (connector), rows, revisions);

  return mark_sending (self, connector, *key, rows, error);
}

static void
queue_clear (FlOutbox *self)
{
  g_clear_pointer (&self->queue, g_array_unref);
  g_clear_pointer (&self->queue_strings, g_string_chunk_free);
  g_clear_pointer (&self->queue_connector, g_free);
  self->queue_next = 0;
}

/* Reads every due row of @connector that was never tried, in the order
 * claims take them: SALs first, then by the time they were queued. */
static gboolean
queue_fill (FlOutbox *self, FlConnector *connector, gint64 now, GError **error)
{
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  sqlite3_stmt *stmt;
  int rc;

  queue_clear (self);
  stmt = fl_store_prepare (self->store,
                           "SELECT o.lead_id, l.event "
                           "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                           "WHERE o.connector = :connector AND " DUE " AND NOT " KEYED
                           "  AND " IN_SCOPE " "
                           "ORDER BY (SELECT s.status FROM lead_scores s WHERE s.lead_id = o.lead_id) = 'SAL' DESC, o.queued_at, o.lead_id",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  bind_text (stmt, ":now", now_text);
  bind_text (stmt, ":event", fl_connector_get_event (connector));
  self->queue = g_array_new (FALSE, FALSE, sizeof (QueuedRow));
  self->queue_strings = g_string_chunk_new (4096);
  self->queue_connector = g_strdup (fl_connector_get_name (connector));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      QueuedRow row = { sqlite3_column_int64 (stmt, 0), NULL, FALSE };

      if (column_text (stmt, 1) != NULL)
        row.event = g_string_chunk_insert_const (self->queue_strings, column_text (stmt, 1));
      g_array_append_val (self->queue, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      queue_clear (self);
      return fl_store_set_error (self->store, error);
    }
  return TRUE;
}

/* Takes the next batch from the queue: up to the batch size of rows of
 * the first row's event, in queue order, each read again by its key and
 * taken only if still due and never tried. Empty when the queue is used
 * up (the caller then claims from the table). */
static gboolean
queue_take (FlOutbox *self, FlConnector *connector, gint64 now, char **event, GPtrArray *rows,
            GPtrArray *revisions, GError **error)
{
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  guint limit = fl_connector_get_max_batch (connector);
  const char *batch_event = NULL;
  gboolean started = FALSE;
  sqlite3_stmt *stmt;

  /* The candidates go to the database together, in queue order; those no
   * longer due drop out, and more are read until the batch is full or
   * the queue used up. */
  stmt = fl_store_prepare (self->store,
                           "SELECT o.lead_id, l.uuid, o.attempts, "
                           "  o.remote_id IS NOT NULL OR o.done_at IS NOT NULL, o.remote_id, "
                           "  " REVISION " "
                           "FROM json_each (:ids) j "
                           "  JOIN outbox o ON o.lead_id = j.value AND o.connector = :connector "
                           "  JOIN leads l ON l.id = o.lead_id "
                           "WHERE " DUE " AND NOT " KEYED " AND " IN_SCOPE " "
                           "ORDER BY j.key",
                           error);
  if (stmt == NULL)
    return FALSE;
  while (self->queue_next < self->queue->len &&
         g_array_index (self->queue, QueuedRow, self->queue_next).taken)
    self->queue_next++;
  for (guint i = self->queue_next; i < self->queue->len && rows->len < limit;)
    {
      g_autoptr(GString) ids = g_string_new ("[");
      guint wanted = limit - rows->len;
      guint n = 0;
      int rc;

      for (; i < self->queue->len && n < wanted; i++)
        {
          QueuedRow *queued = &g_array_index (self->queue, QueuedRow, i);

          if (queued->taken)
            continue;
          if (!started)
            {
              batch_event = queued->event;
              started = TRUE;
            }
          else if (g_strcmp0 (queued->event, batch_event) != 0)
            continue;
          queued->taken = TRUE;
          g_string_append_printf (ids, n > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                  queued->lead_id);
          n++;
        }
      if (n == 0)
        break;
      g_string_append_c (ids, ']');
      bind_text (stmt, ":ids", ids->str);
      bind_text (stmt, ":connector", fl_connector_get_name (connector));
      bind_text (stmt, ":now", now_text);
      bind_text (stmt, ":event", fl_connector_get_event (connector));
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          FlOutboxRow *row = g_new0 (FlOutboxRow, 1);

          row->lead_id = sqlite3_column_int64 (stmt, 0);
          row->lead_uuid = g_strdup (column_text (stmt, 1));
          row->attempts = sqlite3_column_int (stmt, 2) + 1;
          row->known = sqlite3_column_int (stmt, 3) != 0;
          row->remote_id = g_strdup (column_text (stmt, 4));
          g_ptr_array_add (rows, row);
          g_ptr_array_add (revisions, g_strdup (column_text (stmt, 5)));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return fl_store_set_error (self->store, error);
    }
  *event = g_strdup (batch_event);
  return TRUE;
}

/**
 * fl_outbox_claim:
 * @now: µs since the epoch
 * @batch_key: (out): the batch's Idempotency-Key; a batch that was tried
 *   before keeps its key
 * @event: (out) (nullable): the event of every lead of the batch
 *
 * Claims the next batch of due rows for @connector as sending, in one
 * transaction: first a batch that was tried before, else up to the
 * connector's batch size of one event's rows, SALs first.
 *
 * Returns: (transfer full) (element-type FlOutboxRow): the rows, empty when
 *   nothing is due; %NULL on error
 */
static GPtrArray *
claim (FlOutbox *self, FlConnector *connector, gint64 now, char **batch_key, char **event,
       gboolean own_transaction, GError **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_outbox_row_free);
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  g_autofree char *key = NULL;
  g_autofree char *first_event = NULL;
  gboolean keyed = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (FL_IS_CONNECTOR (connector), NULL);

  *batch_key = NULL;
  *event = NULL;
  if (own_transaction && !fl_store_begin (self->store, error))
    return NULL;

  /* Finding the next batch means sorting every due row (SALs first): for
   * 10,000 leads in batches of 100, 100 sorts of up to 10,000 rows, most
   * of an upload's time. A claim of its own (the first of a run, or after
   * anything but a delivered batch) sorts them once into the queue; the
   * uploader's next claims, in the transaction that records a delivered
   * batch, take from it. A row queued since waits until the queue is
   * used up. */
  if (own_transaction)
    queue_clear (self);
  else if (self->queue != NULL && g_strcmp0 (self->queue_connector, fl_connector_get_name (connector)) == 0)
    {
      g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_free);

      if (!queue_take (self, connector, now, &first_event, rows, revisions, error))
        goto fail;
      if (rows->len > 0)
        {
          key = derive_key (fl_connector_get_name (connector), rows, revisions);
          if (!mark_sending (self, connector, key, rows, error))
            goto fail;
          *batch_key = g_steal_pointer (&key);
          *event = g_steal_pointer (&first_event);
          return g_steal_pointer (&rows);
        }
      g_clear_pointer (&first_event, g_free);
    }
  queue_clear (self);

  /* A batch that was tried before goes first, with its key. Only such
   * rows are sorted here; the others are sorted once, into the queue. */
  stmt = fl_store_prepare (self->store,
                           "SELECT o.batch_key, l.event "
                           "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                           "WHERE o.connector = :connector AND " DUE " AND " KEYED " AND " IN_SCOPE " "
                           "ORDER BY (SELECT s.status FROM lead_scores s WHERE s.lead_id = o.lead_id) = 'SAL' DESC, o.queued_at, o.lead_id "
                           "LIMIT 1",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  bind_text (stmt, ":now", now_text);
  bind_text (stmt, ":event", fl_connector_get_event (connector));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      keyed = TRUE;
      key = g_strdup (column_text (stmt, 0));
      first_event = g_strdup (column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fl_store_set_error (self->store, error);
      goto fail;
    }

  if (!keyed)
    {
      g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_free);

      if (!queue_fill (self, connector, now, error) ||
          !queue_take (self, connector, now, &first_event, rows, revisions, error))
        goto fail;
      if (rows->len > 0)
        {
          key = derive_key (fl_connector_get_name (connector), rows, revisions);
          if (!mark_sending (self, connector, key, rows, error))
            goto fail;
        }
    }
  else if (!claim_rows (self, connector, now, &key, first_event, keyed, rows, error))
    goto fail;
  if (own_transaction && !fl_store_commit (self->store, error))
    return NULL;

  *batch_key = g_steal_pointer (&key);
  *event = g_steal_pointer (&first_event);
  return g_steal_pointer (&rows);

fail:
  queue_clear (self);
  if (own_transaction)
    fl_store_rollback (self->store);
  return NULL;
}

GPtrArray *
fl_outbox_claim (FlOutbox *self, FlConnector *connector, gint64 now, char **batch_key,
                 char **event, GError **error)
{
  return claim (self, connector, now, batch_key, event, TRUE, error);
}

/**
 * fl_outbox_claim_in_transaction:
 *
 * fl_outbox_claim() inside the caller's transaction: the uploader claims
 * the next batch in the transaction that writes what became of the last
 * one, so that both are on disk after one commit, before anything more is
 * sent. On error the caller rolls back.
 */
GPtrArray *
fl_outbox_claim_in_transaction (FlOutbox *self, FlConnector *connector, gint64 now,
                                char **batch_key, char **event, GError **error)
{
  return claim (self, connector, now, batch_key, event, FALSE, error);
}

/**
 * fl_outbox_rekey:
 *
 * Gives a sending row a new batch key, when a refused batch is split.
 */
gboolean
fl_outbox_rekey (FlOutbox *self, const char *connector, gint64 lead_id, const char *batch_key,
                 GError **error)
{
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET batch_key = :key "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":key", batch_key);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/* The mark functions change a row only while it is sending: a lead saved
 * again in the meantime went back to pending and must go out again. */

gboolean
fl_outbox_mark_done (FlOutbox *self, const char *connector, gint64 lead_id, const char *remote_id,
                     gint64 now, GError **error)
{
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'done', "
                           "  remote_id = coalesce (:remote_id, remote_id), last_error = NULL, "
                           "  next_attempt_at = NULL, done_at = :now "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":remote_id", remote_id);
  bind_text (stmt, ":now", now_text);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/**
 * fl_outbox_mark_done_items:
 * @items: (element-type FlSyncItem): delivered items; each item's
 *   remote_id, where it has one, is kept
 *
 * fl_outbox_mark_done() for a whole batch.
 */
gboolean
fl_outbox_mark_done_items (FlOutbox *self, const char *connector, GPtrArray *items, gint64 now,
                           GError **error)
{
  g_autofree char *now_text = NULL;
  g_autoptr(GString) ids = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  if (items->len == 0)
    return TRUE;
  /* The CRM's ids first, lead by lead (a webhook often gives none): the
   * change that makes a row done logs its remote id for booth sync. */
  ids = g_string_sized_new (2 + items->len * 8);
  g_string_append_c (ids, '[');
  for (guint i = 0; i < items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (items, i);

      if (item->remote_id != NULL &&
          !fl_outbox_set_remote_id (self, connector, item->lead_id, item->remote_id, error))
        return FALSE;
      g_string_append_printf (ids, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                              item->lead_id);
    }
  g_string_append_c (ids, ']');

  /* Driven by the batch's ids through the primary key: a join with the
   * JSON made SQLite walk every sending row once per lead instead. */
  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'done', last_error = NULL, "
                           "  next_attempt_at = NULL, done_at = :now "
                           "WHERE connector = :connector AND state = 'sending' "
                           "  AND lead_id IN (SELECT value FROM json_each (:ids))",
                           error);
  if (stmt == NULL)
    return FALSE;
  now_text = fl_sync_time_to_iso (now);
  bind_text (stmt, ":ids", ids->str);
  bind_text (stmt, ":now", now_text);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/**
 * fl_outbox_set_remote_id:
 *
 * Keeps what a connector made of a lead so far (ids in the CRM) while it is
 * still sending, so that a retry after a lost answer finds it again.
 */
gboolean
fl_outbox_set_remote_id (FlOutbox *self, const char *connector, gint64 lead_id,
                         const char *remote_id, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET remote_id = :remote_id "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":remote_id", remote_id);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

gboolean
fl_outbox_mark_failed (FlOutbox *self, const char *connector, gint64 lead_id, const char *reason,
                       GError **error)
{
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'failed', last_error = :reason, "
                           "  next_attempt_at = NULL "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":reason", reason);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/**
 * fl_outbox_reschedule:
 * @keep_batch: whether the retry repeats the same batch (same key)
 */
gboolean
fl_outbox_reschedule (FlOutbox *self, const char *connector, gint64 lead_id, gint64 next_attempt,
                      gboolean keep_batch, const char *reason, GError **error)
{
  g_autofree char *next_text = fl_sync_time_to_iso (next_attempt);
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'pending', next_attempt_at = :next, "
                           "  last_error = :reason, "
                           "  batch_key = CASE WHEN :keep THEN batch_key END "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":next", next_text);
  bind_text (stmt, ":reason", reason);
  bind_int (stmt, ":keep", keep_batch);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/**
 * fl_outbox_release:
 *
 * Returns a row that was not sent (credential or configuration refused)
 * to pending, as it was, with the reason to show.
 */
gboolean
fl_outbox_release (FlOutbox *self, const char *connector, gint64 lead_id, const char *reason,
                   GError **error)
{
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'pending', last_error = :reason, "
                           "  attempts = max (attempts - 1, 0) "
                           "WHERE lead_id = :lead AND connector = :connector AND state = 'sending'",
                           error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":reason", reason);
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  return step_done (self, stmt, error);
}

/**
 * fl_outbox_retry_failed:
 * @connector: (nullable): one connector, %NULL for all
 *
 * Queues the failed rows again, for after the cause was fixed.
 *
 * Returns: how many, -1 on error
 */
gint64
fl_outbox_retry_failed (FlOutbox *self, const char *connector, GError **error)
{
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (self->store,
                           "UPDATE outbox SET state = 'pending', attempts = 0, "
                           "  next_attempt_at = NULL, batch_key = NULL "
                           "WHERE state = 'failed' AND (:connector IS NULL OR connector = :connector)",
                           error);
  if (stmt == NULL)
    return -1;
  bind_text (stmt, ":connector", connector);
  if (!step_done (self, stmt, error))
    return -1;
  return sqlite3_changes (fl_store_get_db (self->store));
}

/**
 * fl_outbox_requeue_lead:
 * @actor: (nullable): who asked, for the audit
 * @n_queued: (out) (optional): how many connectors have the lead queued now
 *
 * Queues one lead again for every enabled connector, whether it failed or
 * went out already (the CRM then gets it as an update): “Send Again” in
 * the back office and `fairlead-cli upload --requeue`. A lead whose
 * visitor has not given the consent its event requires is refused with
 * %FL_SYNC_ERROR_CONSENT (the schema's consent gate would ignore it).
 */
gboolean
fl_outbox_requeue_lead (FlOutbox *self, const char *lead_uuid, const char *actor,
                        gint64 *n_queued, GError **error)
{
  g_autofree char *now = fl_now_iso8601 ();
  g_autofree char *again = fl_uuid_new ();
  gboolean allowed = FALSE;
  gint64 queued;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (lead_uuid != NULL, FALSE);

  if (!fl_store_begin (self->store, error))
    return FALSE;
  if (!fl_store_lead_upload_allowed (self->store, lead_uuid, &allowed, error))
    goto fail;
  if (!allowed)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONSENT,
                   _("Lead %s was not queued: its event requires consent and the visitor has "
                     "not given it. Record the visitor’s consent first."),
                   lead_uuid);
      goto fail;
    }
  stmt = fl_store_prepare (self->store,
                           "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                           "SELECT l.id, c.name, 'pending', :now FROM leads l, connectors c "
                           "WHERE l.uuid = lower (:uuid) AND c.enabled "
                           "ON CONFLICT (lead_id, connector) DO UPDATE SET "
                           "  state = 'pending', attempts = 0, next_attempt_at = NULL, "
                           "  last_error = NULL, batch_key = 'again:' || :again, "
                           "  queued_at = excluded.queued_at",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_text (stmt, ":now", now);
  bind_text (stmt, ":uuid", lead_uuid);
  bind_text (stmt, ":again", again);
  if (!step_done (self, stmt, error))
    goto fail;
  queued = sqlite3_changes (fl_store_get_db (self->store));
  if (!fl_store_add_audit (self->store, lead_uuid, actor, "send-again", NULL, error) ||
      !fl_store_commit (self->store, error))
    goto fail;
  if (n_queued != NULL)
    *n_queued = queued;
  return TRUE;

fail:
  fl_store_rollback (self->store);
  return FALSE;
}

/**
 * fl_outbox_withhold:
 *
 * Drops a claimed row whose lead lost its consent after it was queued:
 * the lead is not sent, and the audit says so.
 */
gboolean
fl_outbox_withhold (FlOutbox *self, const char *connector, gint64 lead_id, const char *lead_uuid,
                    GError **error)
{
  g_autofree char *detail = g_strdup_printf ("consent not given; not sent to %s", connector);
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  if (!fl_store_begin (self->store, error))
    return FALSE;
  stmt = fl_store_prepare (self->store,
                           "DELETE FROM outbox WHERE lead_id = :lead AND connector = :connector "
                           "AND state <> 'done'",
                           error);
  if (stmt == NULL)
    goto fail;
  bind_int (stmt, ":lead", lead_id);
  bind_text (stmt, ":connector", connector);
  if (!step_done (self, stmt, error) ||
      !fl_store_add_audit (self->store, lead_uuid, NULL, "upload-withheld", detail, error) ||
      !fl_store_commit (self->store, error))
    goto fail;
  return TRUE;

fail:
  fl_store_rollback (self->store);
  return FALSE;
}

/**
 * fl_outbox_get_counts:
 * @now: µs since the epoch, for the due count
 */
gboolean
fl_outbox_get_counts (FlOutbox *self, FlConnector *connector, gint64 now, FlOutboxCounts *counts,
                      GError **error)
{
  g_autofree char *now_text = fl_sync_time_to_iso (now);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), FALSE);

  memset (counts, 0, sizeof *counts);
  /* Every outbox row has its lead (a foreign key with ON DELETE CASCADE):
   * a connector for every event counts its rows without looking up each
   * one's lead (the uploader counts before and after each run). */
  if (fl_connector_get_event (connector) == NULL)
    stmt = fl_store_prepare (self->store,
                             "SELECT o.state, count (*), "
                             "  sum (" DUE "), "
                             "  min (coalesce (o.next_attempt_at, '')), max (o.done_at) "
                             "FROM outbox o "
                             "WHERE o.connector = :connector GROUP BY o.state",
                             error);
  else
    stmt = fl_store_prepare (self->store,
                             "SELECT o.state, count (*), "
                             "  sum (" DUE "), "
                             "  min (coalesce (o.next_attempt_at, '')), max (o.done_at) "
                             "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                             "WHERE o.connector = :connector AND " IN_SCOPE " GROUP BY o.state",
                             error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  bind_text (stmt, ":now", now_text);
  if (fl_connector_get_event (connector) != NULL)
    bind_text (stmt, ":event", fl_connector_get_event (connector));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *state = column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);

      if (g_str_equal (state, "pending"))
        {
          const char *next = column_text (stmt, 3);

          counts->pending = n;
          counts->due = sqlite3_column_int64 (stmt, 2);
          counts->next_attempt = next[0] == '\0' ? now : MAX (fl_sync_time_from_iso (next), now);
        }
      else if (g_str_equal (state, "sending"))
        counts->sending = n;
      else if (g_str_equal (state, "failed"))
        counts->failed = n;
      else if (g_str_equal (state, "done"))
        {
          counts->done = n;
          counts->last_done = fl_sync_time_from_iso (column_text (stmt, 4));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (self->store, error);
  return TRUE;
}

/**
 * fl_outbox_list:
 * @state: (nullable): "pending", "sending", "failed", "done", or %NULL for all
 * @limit: 0 for all
 *
 * Returns: (transfer full) (element-type FlOutboxEntry): the rows of
 *   @connector, in the order they go out
 */
GPtrArray *
fl_outbox_list (FlOutbox *self, FlConnector *connector, const char *state, guint limit,
                GError **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);

  stmt = fl_store_prepare (self->store,
                           "SELECT l.uuid, coalesce (l.full_name, "
                           "    nullif (trim (coalesce (l.first_name, '') || ' ' || "
                           "                  coalesce (l.last_name, '')), ''), l.email, l.company), "
                           "  o.state, o.attempts, o.next_attempt_at, o.last_error, o.remote_id, "
                           "  o.remote_id IS NOT NULL OR o.done_at IS NOT NULL "
                           "FROM outbox o JOIN leads l ON l.id = o.lead_id "
                           "WHERE o.connector = :connector AND " IN_SCOPE
                           "  AND (:state IS NULL OR o.state = :state) "
                           "ORDER BY coalesce (o.next_attempt_at, ''), (SELECT s.status FROM lead_scores s WHERE s.lead_id = o.lead_id) = 'SAL' DESC, "
                           "  o.queued_at, o.lead_id LIMIT :limit",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, ":connector", fl_connector_get_name (connector));
  bind_text (stmt, ":event", fl_connector_get_event (connector));
  bind_text (stmt, ":state", state);
  bind_int (stmt, ":limit", limit > 0 ? (gint64) limit : -1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlOutboxEntry *entry = g_new0 (FlOutboxEntry, 1);

      entry->lead_uuid = g_strdup (column_text (stmt, 0));
      entry->lead_name = g_strdup (column_text (stmt, 1));
      entry->connector = g_strdup (fl_connector_get_name (connector));
      entry->state = g_strdup (column_text (stmt, 2));
      entry->attempts = sqlite3_column_int (stmt, 3);
      entry->next_attempt_at = g_strdup (column_text (stmt, 4));
      entry->last_error = g_strdup (column_text (stmt, 5));
      entry->remote_id = g_strdup (column_text (stmt, 6));
      entry->known = sqlite3_column_int (stmt, 7) != 0;
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * fl_outbox_list_for_lead:
 *
 * Where one lead stands with each connector it is queued for, as the back
 * office's lead detail shows it.
 *
 * Returns: (transfer full) (element-type FlOutboxEntry): one entry per
 *   connector, by connector name (none for an unknown lead), or %NULL on error
 */
GPtrArray *
fl_outbox_list_for_lead (FlOutbox *self, const char *lead_uuid, GError **error)
{
  g_autoptr(GPtrArray) entries =
    g_ptr_array_new_with_free_func ((GDestroyNotify) fl_outbox_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_OUTBOX (self), NULL);
  g_return_val_if_fail (lead_uuid != NULL, NULL);

  stmt = fl_store_prepare (self->store,
                           "SELECT o.connector, o.state, o.attempts, o.next_attempt_at, o.last_error, "
                           "  o.remote_id, o.remote_id IS NOT NULL OR o.done_at IS NOT NULL, o.done_at "
                           "FROM outbox o WHERE o.lead_id = (SELECT id FROM leads WHERE uuid = :lead) "
                           "ORDER BY o.connector",
                           error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, ":lead", lead_uuid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlOutboxEntry *entry = g_new0 (FlOutboxEntry, 1);

      entry->lead_uuid = g_strdup (lead_uuid);
      entry->connector = g_strdup (column_text (stmt, 0));
      entry->state = g_strdup (column_text (stmt, 1));
      entry->attempts = sqlite3_column_int (stmt, 2);
      entry->next_attempt_at = g_strdup (column_text (stmt, 3));
      entry->last_error = g_strdup (column_text (stmt, 4));
      entry->remote_id = g_strdup (column_text (stmt, 5));
      entry->known = sqlite3_column_int (stmt, 6) != 0;
      entry->done_at = g_strdup (column_text (stmt, 7));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (self->store, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
