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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!fl_store_begin (store, error))
    return FALSE;

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

  /* Children go by ON DELETE CASCADE, the search index by trigger. */
  stmt = fl_store_prepare (store, "DELETE FROM leads WHERE uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (!fl_store_step_done (store, stmt, error))
    goto fail;
  if (sqlite3_changes (fl_store_get_db (store)) == 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
      goto fail;
    }

  stmt = fl_store_prepare (store, "UPDATE audit SET detail = NULL WHERE lead_uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (!fl_store_step_done (store, stmt, error) ||
      !fl_store_add_audit (store, uuid, actor, "erased", NULL, error))
    goto fail;

  return fl_store_commit (store, error);

fail:
  fl_store_rollback (store);
  return FALSE;
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
 * fl_privacy_purge:
 * @now: the time to judge retention against
 * @dry_run: only report what would be erased
 *
 * Applies each event's retention setting: a lead goes
 * `retention_days` after it was uploaded to every connector, or, when it was
 * never uploaded, that many days after the event's last day.
 *
 * Returns: (transfer full) (element-type utf8): the uuids erased (or that
 *   would be)
 */
GPtrArray *
fl_privacy_purge (FlStore *store, GDateTime *now, gboolean dry_run, const char *actor,
                  GError **error)
{
  g_autoptr(GPtrArray) due = NULL;
  g_autofree char *now_text = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  now_text = g_date_time_format_iso8601 (now);
  stmt = fl_store_prepare (store,
    "WITH policy AS ("
    "  SELECT uuid AS event, ends_on,"
    "    CAST (json_extract (settings, '$." FL_SETTING_RETENTION_DAYS "') AS INTEGER) AS days"
    "  FROM events WHERE json_valid (settings)),"
    "uploaded AS ("
    "  SELECT lead_id, max (done_at) AS done_at, sum (state != 'done') AS open"
    "  FROM outbox GROUP BY lead_id)"
    "SELECT l.uuid FROM leads l JOIN policy p ON l.event = p.event"
    "  LEFT JOIN uploaded u ON u.lead_id = l.id "
    "WHERE p.days > 0 AND ("
    "  (u.lead_id IS NOT NULL AND u.open = 0 AND u.done_at IS NOT NULL"
    "     AND julianday (?1) >= julianday (u.done_at) + p.days)"
    "  OR ((u.lead_id IS NULL OR u.done_at IS NULL OR u.open > 0) AND p.ends_on IS NOT NULL"
    "     AND julianday (?1) >= julianday (p.ends_on, '+1 day') + p.days)) "
    "ORDER BY l.created_at",
    error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, now_text);
  due = collect_strings (store, stmt, error);
  if (due == NULL || dry_run || due->len == 0)
    return g_steal_pointer (&due);

  for (guint i = 0; i < due->len; i++)
    if (!fl_privacy_erase_lead (store, g_ptr_array_index (due, i), actor ? actor : "retention", error))
      return NULL;
  if (!fl_privacy_scrub_files (store, error))
    return NULL;
  return g_steal_pointer (&due);
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
