/* fl-sync-log.c: every request that carried a lead, and what came back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One row per lead and request, written in the transaction that records
 * the outcome, so marketing can answer "did it reach Salesforce?" from
 * the lead itself. Erasing the lead erases its rows (ON DELETE CASCADE).
 */
#define G_LOG_DOMAIN "fl-sync-log"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-sync-log.h"
#include "fl-sync.h"
#include "lead/fl-json.h"
#include "store/fl-store-private.h"

void
fl_sync_log_entry_free (FlSyncLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->connector);
  g_free (entry->at);
  g_free (entry->result);
  g_free (entry->remote_id);
  g_free (entry->message);
  g_free (entry);
}

/* Binds what every sync log row of @batch shares (?2 connector, ?3 time,
 * ?4 batch key, ?5 HTTP status), runs @stmt once and clears it. */
static gboolean
step_with_batch (FlStore *store, sqlite3_stmt *stmt, const char *connector, const char *when,
                 const FlSyncBatch *batch, GError **error)
{
  int rc;

  sqlite3_bind_text (stmt, 2, connector, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, when, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, batch->key, -1, SQLITE_TRANSIENT);
  if (batch->http_status > 0)
    sqlite3_bind_int64 (stmt, 5, batch->http_status);
  else
    sqlite3_bind_null (stmt, 5);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return FALSE;
    }
  return TRUE;
}

static const char *
result_name (FlSyncBatch *batch, FlSyncItem *item)
{
  if (batch->status == FL_SEND_STOP)
    return "stopped";
  switch (item->result)
    {
    case FL_ITEM_DONE:
      return "delivered";
    case FL_ITEM_FAILED:
      return "failed";
    case FL_ITEM_RETRY:
    case FL_ITEM_UNSET:
    default:
      return "retry";
    }
}

/**
 * fl_sync_log_add:
 * @at: µs since the epoch
 *
 * Records that @item went to @connector with @batch, and what became of
 * it. Call inside the transaction that writes the outcome.
 */
gboolean
fl_sync_log_add (FlStore *store, const char *connector, FlSyncBatch *batch, FlSyncItem *item,
                 gint64 at, GError **error)
{
  g_autofree char *when = fl_sync_time_to_iso (at);
  const char *message = batch->status == FL_SEND_STOP || item->message == NULL ? batch->message
                                                                                : item->message;
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (store,
                           "INSERT INTO sync_log (lead_id, connector, at, batch_key, http_status, "
                           "result, remote_id, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, item->lead_id);
  sqlite3_bind_text (stmt, 6, result_name (batch, item), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, item->result == FL_ITEM_DONE ? item->remote_id : NULL, -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 8, message, -1, SQLITE_TRANSIENT);
  return step_with_batch (store, stmt, connector, when, batch, error);
}

/* The message logged with @item: the batch's when the batch stopped or
 * the item has none of its own. */
static const char *
item_message (FlSyncBatch *batch, FlSyncItem *item)
{
  return batch->status == FL_SEND_STOP || item->message == NULL ? batch->message : item->message;
}

/* Whether every row @batch logs has the same result and message and no
 * remote id. */
static gboolean
is_uniform (FlSyncBatch *batch)
{
  FlSyncItem *first = g_ptr_array_index (batch->items, 0);
  const char *result = result_name (batch, first);
  const char *message = item_message (batch, first);

  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);

      if (item->result == FL_ITEM_DONE && item->remote_id != NULL)
        return FALSE;
      if (strcmp (result_name (batch, item), result) != 0 ||
          g_strcmp0 (item_message (batch, item), message) != 0)
        return FALSE;
    }
  return TRUE;
}

/**
 * fl_sync_log_add_batch:
 * @at: µs since the epoch
 *
 * fl_sync_log_add() for every item of @batch, in one statement.
 */
gboolean
fl_sync_log_add_batch (FlStore *store, const char *connector, FlSyncBatch *batch, gint64 at,
                       GError **error)
{
  g_autofree char *when = NULL;
  g_autoptr(GString) json = NULL;
  sqlite3_stmt *stmt;

  if (batch->items->len == 0)
    return TRUE;
  when = fl_sync_time_to_iso (at);

  /* Mostly every lead of a batch came to the same, with no CRM id and no
   * message of its own (a webhook's delivered batch): then the rows
   * differ only in the lead, and SQLite walks a plain array of ids
   * instead of taking each row apart. */
  if (is_uniform (batch))
    {
      FlSyncItem *first = g_ptr_array_index (batch->items, 0);

      json = g_string_sized_new (2 + batch->items->len * 8);
      g_string_append_c (json, '[');
      for (guint i = 0; i < batch->items->len; i++)
        g_string_append_printf (json, i > 0 ? ",%" G_GINT64_FORMAT : "%" G_GINT64_FORMAT,
                                ((FlSyncItem *) g_ptr_array_index (batch->items, i))->lead_id);
      g_string_append_c (json, ']');
      stmt = fl_store_prepare (store,
                               "INSERT INTO sync_log (lead_id, connector, at, batch_key, http_status, "
                               "result, remote_id, message) "
                               "SELECT value, ?2, ?3, ?4, ?5, ?6, NULL, ?7 "
                               "FROM json_each (?1) ORDER BY key",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, result_name (batch, first), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, item_message (batch, first), -1, SQLITE_STATIC);
      return step_with_batch (store, stmt, connector, when, batch, error);
    }

  json = g_string_sized_new (32 + batch->items->len * 32);
  g_string_append_c (json, '[');
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);

      g_string_append_printf (json, i > 0 ? ",[%" G_GINT64_FORMAT ",\"%s\"," : "[%" G_GINT64_FORMAT ",\"%s\",",
                              item->lead_id, result_name (batch, item));
      fl_json_append_string (json, item->result == FL_ITEM_DONE ? item->remote_id : NULL);
      g_string_append_c (json, ',');
      fl_json_append_string (json, item_message (batch, item));
      g_string_append_c (json, ']');
    }
  g_string_append_c (json, ']');

  stmt = fl_store_prepare (store,
                           "INSERT INTO sync_log (lead_id, connector, at, batch_key, http_status, "
                           "result, remote_id, message) "
                           "SELECT json_extract (value, '$[0]'), ?2, ?3, ?4, ?5, "
                           "  json_extract (value, '$[1]'), json_extract (value, '$[2]'), "
                           "  json_extract (value, '$[3]') "
                           "FROM json_each (?1) ORDER BY key",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json->str, json->len, SQLITE_STATIC);
  return step_with_batch (store, stmt, connector, when, batch, error);
}

static char *
column_text (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/**
 * fl_sync_log_list:
 *
 * Returns: (transfer full) (element-type FlSyncLogEntry): the requests
 *   that carried the lead, oldest first
 */
GPtrArray *
fl_sync_log_list (FlStore *store, const char *lead_uuid, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_sync_log_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = fl_store_prepare (store,
                           "SELECT s.connector, s.at, s.http_status, s.result, s.remote_id, s.message "
                           "FROM sync_log s JOIN leads l ON l.id = s.lead_id WHERE l.uuid = ? "
                           "ORDER BY s.id",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_uuid, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlSyncLogEntry *entry = g_new0 (FlSyncLogEntry, 1);

      entry->connector = column_text (stmt, 0);
      entry->at = column_text (stmt, 1);
      entry->http_status = (long) sqlite3_column_int64 (stmt, 2);
      entry->result = column_text (stmt, 3);
      entry->remote_id = column_text (stmt, 4);
      entry->message = column_text (stmt, 5);
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

/**
 * fl_sync_log_entry_describe:
 *
 * Returns: (transfer full): one line for people: the connector, the
 *   answer's status and what it means, without the time
 */
char *
fl_sync_log_entry_describe (FlSyncLogEntry *entry)
{
  /* Translators: a connector's name and the answer's HTTP status */
  g_autofree char *head = entry->http_status > 0 ? g_strdup_printf (_("%s (HTTP %ld)"), entry->connector,
                                                                    entry->http_status)
                                                 : g_strdup (entry->connector);
  const char *what;

  if (g_strcmp0 (entry->result, "delivered") == 0)
    {
      if (entry->remote_id != NULL)
        /* Translators: the head above, the CRM's record id */
        return g_strdup_printf (_("%s: delivered as %s"), head, entry->remote_id);
      what = _("delivered");
    }
  else if (g_strcmp0 (entry->result, "failed") == 0)
    what = _("failed");
  else if (g_strcmp0 (entry->result, "stopped") == 0)
    what = _("not sent, the connector stopped");
  else
    what = _("to be sent again");
  if (entry->message != NULL)
    /* Translators: the head above, what became of the lead, the reason */
    return g_strdup_printf (_("%s: %s (%s)"), head, what, entry->message);
  return g_strdup_printf ("%s: %s", head, what);
}

static void
add_text (JsonBuilder *builder, const char *name, const char *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

/**
 * fl_sync_log_to_json:
 *
 * Returns: (transfer full): the entries as a JSON array
 */
JsonNode *
fl_sync_log_to_json (GPtrArray *entries)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < entries->len; i++)
    {
      FlSyncLogEntry *entry = g_ptr_array_index (entries, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "connector");
      json_builder_add_string_value (builder, entry->connector);
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, entry->at);
      json_builder_set_member_name (builder, "http_status");
      if (entry->http_status > 0)
        json_builder_add_int_value (builder, entry->http_status);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "result");
      json_builder_add_string_value (builder, entry->result);
      add_text (builder, "remote_id", entry->remote_id);
      add_text (builder, "message", entry->message);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}
