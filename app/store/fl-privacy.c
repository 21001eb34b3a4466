/* fl-privacy.c: the rights of the person — access, erasure, retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-privacy"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <sys/prctl.h>
#include <sys/resource.h>

#include "fl-privacy.h"
#include "fl-store-private.h"

/* Collects the first column of every row as text. */
static GPtrArray *
collect_strings (FlStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (values, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&values);
}

/**
 * fl_privacy_find_leads:
 * @email: (nullable): matched case-insensitively, across all events
 * @uuid: (nullable): one lead
 *
 * Returns: (transfer full) (element-type utf8): the uuids of the person's
 *   leads, possibly none
 */
GPtrArray *
fl_privacy_find_leads (FlStore *store, const char *email, const char *uuid, GError **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail ((email == NULL) != (uuid == NULL), NULL);

  stmt = fl_store_prepare (store,
                           "SELECT uuid FROM leads WHERE (?1 IS NOT NULL AND lower (email) = lower (trim (?1))) "
                           "OR uuid = lower (trim (?2)) ORDER BY created_at",
                           error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, email);
  fl_store_bind_text (stmt, 2, uuid);
  return collect_strings (store, stmt, error);
}

static JsonNode *
rows_to_json (FlStore *store, sqlite3_stmt *stmt, GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  int rc;

  json_builder_begin_array (builder);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      json_builder_begin_object (builder);
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          json_builder_set_member_name (builder, sqlite3_column_name (stmt, i));
          switch (sqlite3_column_type (stmt, i))
            {
            case SQLITE_NULL:
              json_builder_add_null_value (builder);
              break;
            case SQLITE_INTEGER:
              json_builder_add_int_value (builder, sqlite3_column_int64 (stmt, i));
              break;
            default:
              json_builder_add_string_value (builder, (const char *) sqlite3_column_text (stmt, i));
              break;
            }
        }
      json_builder_end_object (builder);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  json_builder_end_array (builder);
  return json_builder_get_root (builder);
}

/**
 * fl_privacy_export_person:
 * @uuids: (element-type utf8): the person's leads, from fl_privacy_find_leads()
 *
 * Everything stored about a person, for an access request: each lead with
 * its answers and interactions, the whole consent ledger, the upload history,
 * the audit trail and whether a photo of a business card is kept (not the
 * photo itself).
 *
 * Returns: (transfer full): a JSON object
 */
JsonNode *
fl_privacy_export_person (FlStore *store, GPtrArray *uuids, GError **error)
{
  g_autoptr(JsonNode) root = fl_json_new_object ();
  JsonArray *leads = json_array_new ();
  g_autofree char *now = fl_now_iso8601 ();

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  json_object_set_string_member (json_node_get_object (root), "schema", "fairlead.person.v1");
  json_object_set_string_member (json_node_get_object (root), "exported_at", now);
  json_object_set_array_member (json_node_get_object (root), "leads", leads);

  for (guint i = 0; i < uuids->len; i++)
    {
      const char *uuid = g_ptr_array_index (uuids, i);
      g_autoptr(FlLead) lead = fl_store_get_lead (store, uuid, error);
      JsonNode *node, *consents, *uploads, *sync_log, *audit;
      sqlite3_stmt *stmt;

      if (lead == NULL)
        return NULL;
      node = fl_lead_to_json (lead);

      stmt = fl_store_prepare (store,
                               "SELECT text_version AS version, text_sha256 AS sha256, text_source, language, "
                               "CASE given WHEN 1 THEN 'given' ELSE 'refused' END AS decision, "
                               "method, staff, at FROM consents "
                               "WHERE lead_id = (SELECT id FROM leads WHERE uuid = ?) ORDER BY id",
                               error);
      if (stmt == NULL || (fl_store_bind_text (stmt, 1, uuid), consents = rows_to_json (store, stmt, error)) == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      json_object_set_member (json_node_get_object (node), "consent_ledger", consents);

      stmt = fl_store_prepare (store,
                               "SELECT connector, state, attempts, queued_at, done_at, remote_id, last_error "
                               "FROM outbox WHERE lead_id = (SELECT id FROM leads WHERE uuid = ?) "
                               "ORDER BY connector",
                               error);
      if (stmt == NULL || (fl_store_bind_text (stmt, 1, uuid), uploads = rows_to_json (store, stmt, error)) == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      json_object_set_member (json_node_get_object (node), "uploads", uploads);

      /* To whom the lead was disclosed, request by request. */
      stmt = fl_store_prepare (store,
                               "SELECT connector, at, http_status, result, remote_id, message "
                               "FROM sync_log WHERE lead_id = (SELECT id FROM leads WHERE uuid = ?) "
                               "ORDER BY id",
                               error);
      if (stmt == NULL || (fl_store_bind_text (stmt, 1, uuid), sync_log = rows_to_json (store, stmt, error)) == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      json_object_set_member (json_node_get_object (node), "sync_log", sync_log);

      stmt = fl_store_prepare (store, "SELECT at, actor, action, detail FROM audit "
                                      "WHERE lead_uuid = ? ORDER BY id", error);
      if (stmt == NULL || (fl_store_bind_text (stmt, 1, uuid), audit = rows_to_json (store, stmt, error)) == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      json_object_set_member (json_node_get_object (node), "history", audit);

      /* The photo of the business card is named, not copied: the export
       * says it is kept and since when; the picture itself is shown on
       * request at the kiosk. */
      stmt = fl_store_prepare (store,
                               "SELECT taken_at, length (jpeg) FROM card_photos "
                               "WHERE lead_id = (SELECT id FROM leads WHERE uuid = ?)",
                               error);
      if (stmt == NULL)
        {
          json_node_unref (node);
          return NULL;
        }
      fl_store_bind_text (stmt, 1, uuid);
      {
        int rc = sqlite3_step (stmt);

        if (rc == SQLITE_ROW)
          {
            JsonObject *photo = json_object_new ();

            json_object_set_boolean_member (photo, "kept", TRUE);
            json_object_set_string_member (photo, "taken_at",
                                           (const char *) sqlite3_column_text (stmt, 0));
            json_object_set_int_member (photo, "size_bytes", sqlite3_column_int64 (stmt, 1));
            json_object_set_string_member (photo, "format", "image/jpeg");
            json_object_set_object_member (json_node_get_object (node), "card_photo", photo);
          }
        else
          json_object_set_null_member (json_node_get_object (node), "card_photo");
        sqlite3_reset (stmt);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
          {
            fl_store_set_error (store, error);
            json_node_unref (node);
            return NULL;
          }
      }

      json_array_add_element (leads, node);
    }
  return g_steal_pointer (&root);
}

/* Deletes the lead @uuid and scrubs what the audit said about it, in one
 * transaction, then audits @action. With @forget_attendee the roster entry
 * of the same badge or email goes too. */
static gboolean
remove_lead (FlStore    *store,
             const char *uuid,
             const char *actor,
             gboolean    forget_attendee,
             gboolean    must_exist,
             const char *action,
             const char *detail,
             GError    **error)
{
  sqlite3_stmt *stmt;

  if (!fl_store_begin (store, error))
    return FALSE;

  if (forget_attendee)
    {
      stmt = fl_store_prepare (store,
                               "DELETE FROM attendees WHERE rowid IN ("
                               "  SELECT a.rowid FROM attendees a JOIN leads l ON a.event = l.event"
                               "  WHERE l.uuid = ?1 AND ((l.badge_id IS NOT NULL AND a.badge_id = l.badge_id)"
                               "    OR (l.email IS NOT NULL AND lower (a.email) = lower (l.email))))",
                               error);
      if (stmt == NULL)
        goto fail;
      fl_store_bind_text (stmt, 1, uuid);
      if (!fl_store_step_done (store, stmt, error))
        goto fail;
    }

  /* Children go by ON DELETE CASCADE, the search index by trigger. */
  stmt = fl_store_prepare (store, "DELETE FROM leads WHERE uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (!fl_store_step_done (store, stmt, error))
    goto fail;
  if (must_exist && sqlite3_changes (fl_store_get_db (store)) == 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
      goto fail;
    }

  stmt = fl_store_prepare (store, "UPDATE audit SET detail = NULL WHERE lead_uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (!fl_store_step_done (store, stmt, error) ||
      !fl_store_add_audit (store, uuid, actor, action, detail, error))
    goto fail;

  return fl_store_commit (store, error);

fail:
  fl_store_rollback (store);
  return FALSE;
}

/**
 * fl_privacy_erase_lead:
 *
 * Removes a lead with its answers, interactions, consents, search index
 * rows and outbox rows, and the roster entry of the same badge or email.
 * The audit keeps only that the uuid was erased, when and by whom.
 * secure_delete is on, so freed pages are zeroed; call
 * fl_privacy_scrub_files() afterwards to clear the WAL as well.
 */
gboolean
fl_privacy_erase_lead (FlStore *store, const char *uuid, const char *actor, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  return remove_lead (store, uuid, actor, TRUE, TRUE, "erased", NULL, error);
}

/**
 * fl_privacy_discard_lead:
 *
 * Removes a lead captured by accident (a badge scanned twice, the wrong
 * visitor) the way fl_privacy_erase_lead() does — answers, interactions,
 * consents, search index and outbox rows go, what the audit said about it
 * is scrubbed — but keeps the visitor's roster entry: the person was not
 * asking to be forgotten. The audit keeps that it was discarded, by whom,
 * not what. A lead that is not (or no longer) stored is no error.
 */
gboolean
fl_privacy_discard_lead (FlStore *store, const char *uuid, const char *actor, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  return remove_lead (store, uuid, actor, FALSE, FALSE, "discarded",
                      "accidental scan, discarded at the kiosk", error);
}

/**
 * fl_privacy_scrub_files:
 *
 * After an erasure: merges the search index so no old segment still holds
 * the erased words, and checkpoints and truncates the write-ahead log, so
 * the erased data is in neither file.
 */
gboolean
fl_privacy_scrub_files (FlStore *store, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  return fl_store_exec (store, "INSERT INTO leads_fts (leads_fts) VALUES ('optimize')", error) &&
         fl_store_exec (store, "PRAGMA wal_checkpoint (TRUNCATE)", error);
}

/**
 * fl_privacy_record_export:
 * @leads: (element-type FlLead): the leads just written to an export file
 *
 * Records in the audit, lead by lead, that the leads left the kiosk in an
 * export: an export made after a lead's last change hands it over as much
 * as a delivery does, so its retention period may start (see
 * fl_privacy_apply_retention()). Call it once the file is written.
 */
gboolean
fl_privacy_record_export (FlStore *store, GPtrArray *leads, const char *actor, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (leads != NULL, FALSE);

  if (leads->len == 0)
    return TRUE;
  if (!fl_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < leads->len; i++)
    if (!fl_store_add_audit (store, fl_lead_get_uuid (g_ptr_array_index (leads, i)), actor, "exported",
                             NULL, error))
      {
        fl_store_rollback (store);
        return FALSE;
      }
  return fl_store_commit (store, error);
}

/**
 * fl_privacy_record_export_uuids:
 * @uuids: (element-type utf8): the uuids of the leads just exported
 *
 * fl_privacy_record_export() for an export that kept only the uuids.
 */
gboolean
fl_privacy_record_export_uuids (FlStore *store, GPtrArray *uuids, const char *actor, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuids != NULL, FALSE);

  if (uuids->len == 0)
    return TRUE;
  if (!fl_store_begin (store, error))
    return FALSE;
  for (guint i = 0; i < uuids->len; i++)
    if (!fl_store_add_audit (store, g_ptr_array_index (uuids, i), actor, "exported", NULL, error))
      {
        fl_store_rollback (store);
        return FALSE;
      }
  return fl_store_commit (store, error);
}

/* The meta key of an event's export mark: "export-mark:" and its uuid. */
#define EXPORT_MARK_KEY "export-mark:"

struct _FlExportMark
{
  char   *event;    /* uuid */
  gint64  last_id;  /* the newest lead of the event when the export began */
  char   *at;       /* when it began */
};

void
fl_export_mark_free (FlExportMark *mark)
{
  if (mark == NULL)
    return;
  g_free (mark->event);
  g_free (mark->at);
  g_free (mark);
}

/**
 * fl_privacy_export_mark_new:
 *
 * Notes, before an export of every lead of the active event reads them,
 * when it begins and the newest lead it can hold. Once the file is written,
 * fl_privacy_record_export_mark() records the export with one audit entry
 * and this mark, not an entry per lead: 100,000 of those made the export
 * five times slower than the file itself.
 *
 * Returns: (transfer full): the mark, or %NULL with @error set
 */
FlExportMark *
fl_privacy_export_mark_new (FlStore *store, GError **error)
{
  g_autoptr(FlExportMark) mark = g_new0 (FlExportMark, 1);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  /* The time first: a lead saved from here on has a later change (its
   * audit entry) or an id above the mark, or both. */
  mark->at = fl_now_iso8601 ();
  /* Without an active event the export has every lead: it is recorded,
   * but marks none as handed over (they are only kept longer). */
  mark->event = fl_store_get_meta (store, "active_event");
  if (mark->event == NULL)
    return g_steal_pointer (&mark);
  stmt = fl_store_prepare (store, "SELECT coalesce (max (id), 0) FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1"), error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, mark->event);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    mark->last_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&mark);
}

/**
 * fl_privacy_record_export_mark:
 * @mark: from fl_privacy_export_mark_new(), taken before the export read
 * @n_leads: how many leads the file holds, for the audit
 * @format: (nullable): "csv" or "json", for the audit
 *
 * Records that every lead of the event up to the mark left the kiosk in
 * an export at the mark's time: one audit entry for the run and the mark
 * (the event's last one replaces the one before: a later export covers
 * every lead the earlier one did). Retention counts a lead as exported
 * after its last change when its id is at most the mark's and its last
 * change (updated_at, its audit entries) is strictly before the mark's
 * time; a lead that moved to another event since is only kept longer.
 */
gboolean
fl_privacy_record_export_mark (FlStore *store, FlExportMark *mark, guint n_leads,
                               const char *format, const char *actor, GError **error)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (mark != NULL, FALSE);

  if (n_leads == 0)
    return TRUE;
  if (mark->event != NULL)
    {
      key = g_strconcat (EXPORT_MARK_KEY, mark->event, NULL);
      value = g_strdup_printf ("{\"at\":\"%s\",\"last_id\":%" G_GINT64_FORMAT "}",
                               mark->at, mark->last_id);
      detail = g_strdup_printf ("%u leads of event %s%s%s, up to lead %" G_GINT64_FORMAT,
                                n_leads, mark->event, format ? " as " : "", format ? format : "",
                                mark->last_id);
    }
  else
    detail = g_strdup_printf ("%u leads of every event%s%s", n_leads, format ? " as " : "",
                              format ? format : "");
  if (!fl_store_begin (store, error))
    return FALSE;
  if (!fl_store_add_audit (store, NULL, actor, "exported", detail, error) ||
      (key != NULL && !fl_store_set_meta (store, key, value, error)))
    {
      fl_store_rollback (store);
      return FALSE;
    }
  return fl_store_commit (store, error);
}

void
fl_retention_free (FlRetention *retention)
{
  if (retention == NULL)
    return;
  g_clear_pointer (&retention->due, g_ptr_array_unref);
  g_clear_pointer (&retention->undelivered, g_ptr_array_unref);
  g_free (retention->now);
  g_free (retention->newest);
  g_free (retention);
}

/* Whether any event keeps its leads for a limited time: if none does, there
 * is nothing to judge and no table to read. */
static gboolean
any_retention (FlStore *store, gboolean *any, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
    "SELECT EXISTS (SELECT 1 FROM events WHERE json_valid (settings) AND "
    "CAST (json_extract (settings, '$." FL_SETTING_RETENTION_DAYS "') AS INTEGER) > 0)",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *any = rc == SQLITE_ROW && sqlite3_column_int (stmt, 0) != 0;
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return fl_store_set_error (store, error);
  return TRUE;
}

/* The newest time written anywhere in the database, ISO 8601 UTC with
 * milliseconds, or NULL for none. Times that are not times count for
 * nothing (julianday() gives NULL). */
static gboolean
newest_time (FlStore *store, char **newest, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
    "SELECT strftime ('%Y-%m-%dT%H:%M:%fZ', max (t)) FROM ("
    "  SELECT max (julianday (created_at)) AS t FROM leads"
    "  UNION ALL SELECT max (julianday (updated_at)) FROM leads"
    "  UNION ALL SELECT max (julianday (at)) FROM audit"
    "  UNION ALL SELECT max (julianday (at)) FROM consents"
    "  UNION ALL SELECT max (julianday (at)) FROM interactions"
    "  UNION ALL SELECT max (julianday (queued_at)) FROM outbox"
    "  UNION ALL SELECT max (julianday (done_at)) FROM outbox"
    "  UNION ALL SELECT max (julianday (created_at)) FROM events"
    "  UNION ALL SELECT max (julianday (loaded_at)) FROM models"
    "  UNION ALL SELECT max (julianday (taken_at)) FROM card_photos"
    "  UNION ALL SELECT max (julianday (imported_at)) FROM attendees"
    "  UNION ALL SELECT max (julianday (created_at)) FROM connectors"
    "  UNION ALL SELECT max (julianday (created_at)) FROM staff)",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    *newest = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return fl_store_set_error (store, error);
  return TRUE;
}

/* Sorts the leads of events with a retention period: kind 1 when the lead
 * was handed over and its period since then is over, kind 2 when it never
 * was handed over and the period after the event's last day (or, for an
 * event without dates, after the capture) is over.
 *
 * Handed over means delivered to at least one connector and to every
 * enabled one (state done), or exported after its last change (the audit
 * holds both the export and every change). The time judged from is the
 * earlier of the two.
 *
 * Only leads captured at least retention_days before @now can be due
 * (nothing is handed over before its capture), so the index on
 * (event, created_at) leaves the rest unread: at a kiosk start during the
 * show this reads next to nothing. A lead whose created_at is later than a
 * wrong clock thought is kept longer, never deleted sooner. The CTEs are
 * materialized so that SQLite evaluates each subquery once per lead. */
static gboolean
find_expired (FlStore *store, const char *now, GPtrArray *handed, GPtrArray *undelivered,
              GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
    "WITH policy AS ("
    "  SELECT uuid AS event, ends_on,"
    "    CAST (json_extract (settings, '$." FL_SETTING_RETENTION_DAYS "') AS INTEGER) AS days"
    "  FROM events WHERE json_valid (settings)),"
    "mark AS MATERIALIZED ("
    "  SELECT substr (key, length ('" EXPORT_MARK_KEY "') + 1) AS event,"
    "    json_extract (value, '$.at') AS at, json_extract (value, '$.last_id') AS last_id"
    "  FROM meta WHERE key GLOB '" EXPORT_MARK_KEY "*' AND json_valid (value)),"
    "candidate AS MATERIALIZED ("
    "  SELECT l.id, l.uuid, l.created_at, l.updated_at, p.days, p.ends_on,"
    "    (SELECT m.at FROM mark m WHERE m.event = l.event AND l.id <= m.last_id) AS marked_at"
    "  FROM policy p JOIN event_keys k ON k.uuid = p.event JOIN leads l ON l.event_key = k.id"
    "  WHERE p.days > 0"
    "    AND l.created_at <= strftime ('%Y-%m-%dT%H:%M:%fZ', ?1, '-' || p.days || ' days')),"
    "history AS MATERIALIZED ("
    "  SELECT c.*,"
    "    (SELECT max (a.at) FROM audit a WHERE a.lead_uuid = c.uuid"
    "      AND a.action != 'exported') AS changed_at,"
    "    (SELECT max (a.at) FROM audit a WHERE a.lead_uuid = c.uuid"
    "      AND a.action = 'exported') AS exported_at,"
    "    (SELECT max (o.done_at) FROM outbox o WHERE o.lead_id = c.id"
    "      AND o.state = 'done') AS done_at,"
    "    (SELECT count (*) FROM outbox o JOIN connectors k ON k.name = o.connector"
    "      WHERE o.lead_id = c.id AND o.state = 'done' AND k.enabled) AS n_enabled_done"
    "  FROM candidate c),"
    "judged AS MATERIALIZED ("
    "  SELECT uuid, created_at, days, ends_on,"
    "    CASE WHEN done_at IS NOT NULL"
    "      AND n_enabled_done = (SELECT count (*) FROM connectors WHERE enabled)"
    "      THEN done_at END AS delivered_at,"
    "    CASE WHEN exported_at >= max (updated_at, coalesce (changed_at, ''))"
    "      THEN exported_at END AS exported_at,"
    "    CASE WHEN marked_at > max (updated_at, coalesce (changed_at, ''))"
    "      THEN marked_at END AS marked_at"
    "  FROM history),"
    "judged_export AS ("
    "  SELECT uuid, created_at, days, ends_on, delivered_at,"
    "    coalesce (max (exported_at, marked_at), exported_at, marked_at) AS exported_at"
    "  FROM judged),"
    "since AS ("
    "  SELECT uuid, created_at, days, ends_on,"
    "    coalesce (min (delivered_at, exported_at), delivered_at, exported_at) AS handed_at"
    "  FROM judged_export) "
    "SELECT uuid, CASE"
    "  WHEN handed_at IS NOT NULL THEN"
    "    CASE WHEN julianday (?1) >= julianday (handed_at) + days THEN 1 END"
    "  WHEN julianday (?1) >= julianday (coalesce (date (ends_on, '+1 day'), created_at)) + days THEN 2"
    "  END AS kind "
    "FROM since WHERE kind IS NOT NULL ORDER BY created_at",
    error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, now);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (sqlite3_column_int (stmt, 1) == 1 ? handed : undelivered,
                     g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

/**
 * fl_privacy_apply_retention:
 * @now: the time to judge retention against (the clock, or a test's)
 * @flags: what to do
 * @actor: (nullable): who deletes, for the audit (default "retention")
 *
 * The one gate every deletion by retention passes — the kiosk at start,
 * `fairlead-cli purge` and the back office's report — so that a wrong clock
 * never erases a lead that reached nobody:
 *
 * - a lead goes `retention_days` after it was handed over: delivered to
 *   every enabled connector, or exported after its last change;
 * - a lead never handed over whose period is over (counted from the event's
 *   last day) is only reported in @undelivered, and deleted only with
 *   %FL_RETENTION_INCLUDE_UNDELIVERED;
 * - nothing is deleted while @now is earlier than the newest time recorded
 *   in the database: a clock that went backwards (or ran ahead before) cannot
 *   be trusted, unless %FL_RETENTION_TRUST_CLOCK says a person checked it.
 *
 * Returns: (transfer full): what is due and what was done, or %NULL with
 *   @error set
 */
FlRetention *
fl_privacy_apply_retention (FlStore *store, GDateTime *now, FlRetentionFlags flags, const char *actor,
                            GError **error)
{
  g_autoptr(FlRetention) retention = g_new0 (FlRetention, 1);
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *base = NULL;
  gboolean any = FALSE;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  utc = g_date_time_to_utc (now);
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  retention->now = g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
  retention->flags = flags;
  retention->due = g_ptr_array_new_with_free_func (g_free);
  retention->undelivered = g_ptr_array_new_with_free_func (g_free);

  if (!any_retention (store, &any, error))
    return NULL;
  if (!any)
    return g_steal_pointer (&retention);

  if (!find_expired (store, retention->now, retention->due, retention->undelivered, error))
    return NULL;
  if (retention->due->len == 0 && retention->undelivered->len == 0)
    return g_steal_pointer (&retention);

  /* Something is due: only now is it worth reading every table to see
   * whether the clock can be trusted. */
  if (!newest_time (store, &retention->newest, error))
    return NULL;
  if (retention->newest != NULL)
    {
      g_autoptr(GDateTime) newest = g_date_time_new_from_iso8601 (retention->newest, NULL);

      /* A second of slack: a record written this very moment may round up. */
      retention->clock_behind = newest != NULL && g_date_time_difference (newest, utc) > G_USEC_PER_SEC;
    }
  if (flags & FL_RETENTION_INCLUDE_UNDELIVERED)
    for (guint i = 0; i < retention->undelivered->len; i++)
      g_ptr_array_add (retention->due, g_strdup (g_ptr_array_index (retention->undelivered, i)));

  if ((flags & FL_RETENTION_DRY_RUN) || retention->due->len == 0 ||
      (retention->clock_behind && !(flags & FL_RETENTION_TRUST_CLOCK)))
    return g_steal_pointer (&retention);

  for (guint i = 0; i < retention->due->len; i++)
    if (!fl_privacy_erase_lead (store, g_ptr_array_index (retention->due, i), actor ? actor : "retention", error))
      return NULL;
  retention->deleted = TRUE;
  if (!fl_privacy_scrub_files (store, error))
    return NULL;
  return g_steal_pointer (&retention);
}

static char *
format_time (const char *iso8601)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (iso8601, NULL);

  if (time == NULL)
    return g_strdup (iso8601);
  /* Translators: a date and time in UTC, see g_date_time_format(). */
  return g_date_time_format (time, _("%Y-%m-%d %H:%M UTC"));
}

/**
 * fl_retention_describe:
 *
 * What a person must know about a retention run: leads kept because they
 * never reached a CRM, and a clock that reads earlier than the newest record.
 *
 * Returns: (transfer full) (nullable): translated sentences, one a line, or
 *   %NULL when there is nothing to say
 */
char *
fl_retention_describe (const FlRetention *retention)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (retention != NULL, NULL);

  if (retention->clock_behind)
    {
      g_autofree char *now = format_time (retention->now);
      g_autofree char *newest = format_time (retention->newest);

      g_string_append_printf (text,
                              _("The clock reads %s, earlier than the newest record %s: automatic purge is "
                                "paused. Check the date, time and time zone of this computer."),
                              now, newest);
    }
  if (retention->undelivered->len > 0 &&
      !(retention->deleted && (retention->flags & FL_RETENTION_INCLUDE_UNDELIVERED)))
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u lead is past its retention period but never reached a CRM "
                                           "nor was exported since its last change, so it is kept. Upload or "
                                           "export it, or delete it with “fairlead-cli purge --include-undelivered”.",
                                           "%u leads are past their retention period but never reached a CRM "
                                           "nor were exported since their last change, so they are kept. Upload or "
                                           "export them, or delete them with “fairlead-cli purge --include-undelivered”.",
                                           retention->undelivered->len),
                              retention->undelivered->len);
    }
  if (text->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&text), FALSE);
}

/**
 * fl_privacy_protect_process:
 *
 * Keeps the leads in this process's memory out of crash output: no core
 * file is written (a core holds every visitor the kiosk has seen since it
 * started), and other processes of the same user cannot attach to read
 * the memory. Call it first thing in main(). Crash messages themselves
 * carry no personal data: no g_error() or assertion in Fairlead prints a
 * lead's fields, only uuids.
 *
 * A developer who needs a core file sets FAIRLEAD_ALLOW_CORE_DUMPS=1.
 */
void
fl_privacy_protect_process (void)
{
  struct rlimit none = { 0, 0 };
  const char *allow = g_getenv ("FAIRLEAD_ALLOW_CORE_DUMPS");

  if (allow != NULL && g_str_equal (allow, "1"))
    return;
  if (setrlimit (RLIMIT_CORE, &none) != 0)
    g_debug ("Cannot turn off core files: %s", g_strerror (errno));
  if (prctl (PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
    g_debug ("Cannot mark the process not dumpable: %s", g_strerror (errno));
}
