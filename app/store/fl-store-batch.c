/* fl-store-batch.c: many leads saved with one statement per table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-store"

#include "config.h"

#include <string.h>

#include "fl-store-private.h"

/* A batch is staged in temporary tables (memory, no triggers), then
 * written with one statement per table: the triggers on the tables run
 * once per row all the same, but the full-text index is written once per
 * batch instead of once per statement (FTS5 flushes what it holds at
 * every statement's savepoint), and no statement is stepped per lead.
 * The statements are those of fl_store_save_lead_in_transaction(), per
 * batch; their order per table is the same, and within a table the leads
 * keep the order they came in. */

#define STAGE_TABLES                                                                               \
  "CREATE TEMP TABLE IF NOT EXISTS fl_batch_leads ("                                               \
  "  seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL, existing INTEGER, event, created_at,"           \
  "  updated_at, captured_by, device, source, raw_payload, badge_id, first_name, last_name,"      \
  "  full_name, email, phone, mobile, company, title, department, street, city, postal_code,"     \
  "  region, country, website, notes, override_status, override_by, override_reason, score,"     \
  "  status, model_name, model_version, model_sha256, breakdown, consent INTEGER, c_version,"     \
  "  c_sha256, c_language, c_given, c_method, c_staff, c_at, c_source);"                          \
  "CREATE TEMP TABLE IF NOT EXISTS fl_batch_answers (seq INTEGER NOT NULL, question_id, value);" \
  "CREATE TEMP TABLE IF NOT EXISTS fl_batch_interactions (seq INTEGER NOT NULL, kind, at);"

#define LEAD_COLUMNS                                                                               \
  "event, created_at, updated_at, captured_by, device, source, raw_payload, badge_id, "            \
  "first_name, last_name, full_name, email, phone, mobile, company, title, department, street, "  \
  "city, postal_code, region, country, website, notes, override_status, override_by, "           \
  "override_reason"

/* Each batch lead's row id, for the statements below. */
#define BATCH_JOIN "temp.fl_batch_leads b JOIN main.leads l ON l.uuid = b.uuid"

static const char *const write_sql[] = {
  "UPDATE temp.fl_batch_leads SET existing = (SELECT id FROM main.leads l WHERE l.uuid = fl_batch_leads.uuid)",

  "INSERT INTO main.leads (uuid, " LEAD_COLUMNS ") "
  "SELECT uuid, " LEAD_COLUMNS " FROM temp.fl_batch_leads WHERE true ORDER BY seq "
  "ON CONFLICT (uuid) DO UPDATE SET event = excluded.event, created_at = excluded.created_at, "
  "updated_at = excluded.updated_at, captured_by = excluded.captured_by, "
  "device = excluded.device, source = excluded.source, raw_payload = excluded.raw_payload, "
  "badge_id = excluded.badge_id, first_name = excluded.first_name, "
  "last_name = excluded.last_name, full_name = excluded.full_name, email = excluded.email, "
  "phone = excluded.phone, mobile = excluded.mobile, company = excluded.company, "
  "title = excluded.title, department = excluded.department, street = excluded.street, "
  "city = excluded.city, postal_code = excluded.postal_code, region = excluded.region, "
  "country = excluded.country, website = excluded.website, notes = excluded.notes, "
  "override_status = excluded.override_status, override_by = excluded.override_by, "
  "override_reason = excluded.override_reason",

  /* A new lead's row here is the default one (trigger lead_scores_insert):
   * it is written again only when it says something else. */
  "INSERT INTO main.lead_scores (lead_id, score, status, model_name, model_version, model_sha256) "
  "SELECT l.id, b.score, b.status, b.model_name, b.model_version, b.model_sha256 FROM " BATCH_JOIN
  " WHERE b.existing IS NOT NULL OR b.score IS NOT 0 OR b.status IS NOT 'MQL' "
  "  OR b.model_name IS NOT NULL OR b.model_version IS NOT NULL OR b.model_sha256 IS NOT NULL "
  "ORDER BY b.seq "
  "ON CONFLICT (lead_id) DO UPDATE SET score = excluded.score, status = excluded.status, "
  "model_name = excluded.model_name, model_version = excluded.model_version, "
  "model_sha256 = excluded.model_sha256",

  "INSERT INTO main.lead_breakdowns (lead_id, breakdown) "
  "SELECT l.id, b.breakdown FROM " BATCH_JOIN " WHERE b.breakdown IS NOT NULL ORDER BY b.seq "
  "ON CONFLICT (lead_id) DO UPDATE SET breakdown = excluded.breakdown",
  "DELETE FROM main.lead_breakdowns WHERE lead_id IN "
  "(SELECT l.id FROM " BATCH_JOIN " WHERE b.breakdown IS NULL)",

  "DELETE FROM main.answers WHERE lead_id IN (SELECT l.id FROM " BATCH_JOIN ")",
  "INSERT INTO main.answers (lead_id, question_id, value) "
  "SELECT l.id, a.question_id, a.value FROM temp.fl_batch_answers a "
  "JOIN temp.fl_batch_leads b ON b.seq = a.seq JOIN main.leads l ON l.uuid = b.uuid "
  "ORDER BY a.rowid",

  "DELETE FROM main.interactions WHERE lead_id IN (SELECT l.id FROM " BATCH_JOIN ")",
  "INSERT INTO main.interactions (lead_id, kind, at) "
  "SELECT l.id, i.kind, i.at FROM temp.fl_batch_interactions i "
  "JOIN temp.fl_batch_leads b ON b.seq = i.seq JOIN main.leads l ON l.uuid = b.uuid "
  "ORDER BY i.rowid",

  /* Consent is a ledger: a new entry only when the lead's consent changed. */
  "INSERT INTO main.consents (lead_id, text_version, text_sha256, language, given, method, staff, "
  "at, text_source) "
  "SELECT l.id, b.c_version, b.c_sha256, b.c_language, b.c_given, b.c_method, b.c_staff, b.c_at, "
  "b.c_source FROM " BATCH_JOIN " WHERE b.consent AND NOT EXISTS ("
  "  SELECT 1 FROM main.consents c WHERE c.lead_id = l.id AND c.at = b.c_at"
  "  AND c.given = b.c_given AND c.text_version IS b.c_version) ORDER BY b.seq",

  /* Every enabled connector gets the lead (again, as an update, if it
   * already went out) — unless the event requires consent and the visitor
   * has not given it. */
  "INSERT INTO main.outbox (lead_id, connector, state, queued_at) "
  "SELECT l.id, c.name, 'pending', b.updated_at FROM " BATCH_JOIN
  " JOIN main.connectors c ON c.enabled WHERE " FL_STORE_SQL_UPLOAD_ALLOWED ("l")
  " ORDER BY b.seq "
  "ON CONFLICT (lead_id, connector) DO UPDATE SET "
  "  state = 'pending', attempts = 0, next_attempt_at = NULL, "
  "  last_error = NULL, queued_at = excluded.queued_at",

  /* Consent withdrawn: what has not left yet stays here. */
  "DELETE FROM main.outbox WHERE state IN ('pending', 'failed') AND lead_id IN "
  "(SELECT l.id FROM " BATCH_JOIN " WHERE NOT " FL_STORE_SQL_UPLOAD_ALLOWED ("l") ")",
};

static const char audit_sql[] =
  "INSERT INTO main.audit (lead_uuid, at, actor, action, detail) "
  "SELECT uuid, ?1, ?2, CASE WHEN existing IS NULL THEN 'captured' ELSE 'updated' END, NULL "
  "FROM temp.fl_batch_leads ORDER BY seq";

static const char clear_sql[] =
  "DELETE FROM temp.fl_batch_leads; DELETE FROM temp.fl_batch_answers; "
  "DELETE FROM temp.fl_batch_interactions;";

/* Refused here (the caller then saves lead by lead, which says why). */
static gboolean
unstageable (GError **error)
{
  g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                       "a lead of the batch cannot be saved with the others");
  return FALSE;
}

static gboolean
stage_lead (FlStore *self, sqlite3_stmt *stmt, sqlite3_stmt *answer, sqlite3_stmt *interaction,
            gint64 seq, FlLead *lead, const char *now, GError **error)
{
  g_autofree char *breakdown = _fl_store_breakdown_text (self, lead);
  JsonNode *model = fl_lead_get_model (lead);
  JsonNode *answers = fl_lead_get_answers (lead);
  JsonNode *interactions = fl_lead_get_interactions (lead);
  JsonNode *consent = fl_lead_get_consent (lead);
  gboolean bound = TRUE;
  int p = 1;

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  sqlite3_bind_int64 (stmt, p++, seq);
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_uuid (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_event (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_created_at (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_updated_at (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_captured_by (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_device (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_source_to_string (fl_lead_get_source (lead))) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_raw_payload (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_badge_id (lead)) == SQLITE_OK;
  for (guint i = 0; i < FL_N_FIELDS; i++)
    bound &= fl_store_bind_text (stmt, p++, fl_lead_get_field (lead, i)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_notes (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_override_status (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_override_by (lead)) == SQLITE_OK;
  bound &= fl_store_bind_text (stmt, p++, fl_lead_get_override_reason (lead)) == SQLITE_OK;
  sqlite3_bind_int (stmt, p++, fl_lead_get_score (lead));
  bound &= fl_store_bind_text (stmt, p++, fl_status_to_string (fl_lead_get_status (lead))) == SQLITE_OK;
  if (model != NULL && JSON_NODE_HOLDS_OBJECT (model))
    {
      JsonObject *object = json_node_get_object (model);

      bound &= fl_store_bind_text (stmt, p, json_object_get_string_member_with_default (object, "name", NULL)) == SQLITE_OK;
      sqlite3_bind_int64 (stmt, p + 1, json_object_get_int_member_with_default (object, "version", 0));
      bound &= fl_store_bind_text (stmt, p + 2, json_object_get_string_member_with_default (object, "sha256", NULL)) == SQLITE_OK;
    }
  p += 3;
  if (breakdown != NULL)
    bound &= sqlite3_bind_text (stmt, p, breakdown, -1, SQLITE_STATIC) == SQLITE_OK;
  p++;
  if (consent != NULL && JSON_NODE_HOLDS_OBJECT (consent))
    {
      JsonObject *object = json_node_get_object (consent);

      sqlite3_bind_int (stmt, p, 1);
      bound &= fl_store_bind_text (stmt, p + 1, json_object_get_string_member_with_default (object, "version", NULL)) == SQLITE_OK;
      bound &= fl_store_bind_text (stmt, p + 2, json_object_get_string_member_with_default (object, "sha256", NULL)) == SQLITE_OK;
      bound &= fl_store_bind_text (stmt, p + 3, json_object_get_string_member_with_default (object, "language", NULL)) == SQLITE_OK;
      sqlite3_bind_int (stmt, p + 4, json_object_get_boolean_member_with_default (object, "given", FALSE));
      bound &= fl_store_bind_text (stmt, p + 5, json_object_get_string_member_with_default (object, "method", NULL)) == SQLITE_OK;
      bound &= fl_store_bind_text (stmt, p + 6, json_object_get_string_member_with_default (object, "staff", NULL)) == SQLITE_OK;
      bound &= fl_store_bind_text (stmt, p + 7, json_object_get_string_member_with_default (object, "at", now)) == SQLITE_OK;
      bound &= fl_store_bind_text (stmt, p + 8, json_object_get_string_member_with_default (object, "text_source", NULL)) == SQLITE_OK;
    }
  else
    sqlite3_bind_int (stmt, p, 0);
  if (!bound)
    return unstageable (error);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;

  if (answers != NULL)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      if (!JSON_NODE_HOLDS_OBJECT (answers))
        return unstageable (error);
      json_object_iter_init (&iter, json_node_get_object (answers));
      while (json_object_iter_next (&iter, &question, &value))
        {
          g_autofree char *text = json_to_string (value, FALSE);

          sqlite3_bind_int64 (answer, 1, seq);
          if (fl_store_bind_text (answer, 2, question) != SQLITE_OK ||
              sqlite3_bind_text (answer, 3, text, -1, SQLITE_STATIC) != SQLITE_OK)
            return unstageable (error);
          if (!fl_store_step_done (self, answer, error))
            return FALSE;
        }
    }
  if (interactions != NULL)
    {
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (interactions))
        return unstageable (error);
      array = json_node_get_array (interactions);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          const char *kind = object ? json_object_get_string_member_with_default (object, "kind", NULL) : NULL;
          const char *at = object ? json_object_get_string_member_with_default (object, "at", NULL) : NULL;

          if (kind == NULL)
            return unstageable (error);
          sqlite3_bind_int64 (interaction, 1, seq);
          if (fl_store_bind_text (interaction, 2, kind) != SQLITE_OK ||
              fl_store_bind_text (interaction, 3, at ? at : fl_lead_get_created_at (lead)) != SQLITE_OK)
            return unstageable (error);
          if (!fl_store_step_done (self, interaction, error))
            return FALSE;
        }
    }
  return TRUE;
}

/**
 * _fl_store_save_leads_in_transaction:
 * @leads: (element-type FlLead): leads with distinct uuids
 * @actor: (nullable): who saves them, for the audit
 *
 * Saves @leads as fl_store_save_lead_in_transaction() saves each, inside
 * the caller's transaction. On an error some of them may be written: the
 * caller rolls the transaction back (and may then save them one by one,
 * which tells which lead was at fault and why).
 */
gboolean
_fl_store_save_leads_in_transaction (FlStore *self, GPtrArray *leads, const char *actor,
                                     GError **error)
{
  g_autoptr(GHashTable) uuids = NULL;
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt, *answer, *interaction;

  g_return_val_if_fail (FL_IS_STORE (self), FALSE);

  if (leads->len == 0)
    return TRUE;
  if (!fl_store_exec (self, STAGE_TABLES, error) || !fl_store_exec (self, clear_sql, error))
    return FALSE;

  uuids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < leads->len; i++)
    {
      FlLead *lead = g_ptr_array_index (leads, i);

      if (!_fl_store_ready_lead (self, lead, error))
        return FALSE;
      /* A second save of the same lead in one batch would be audited as
       * "captured" twice. */
      if (!g_hash_table_add (uuids, (gpointer) fl_lead_get_uuid (lead)))
        return unstageable (error);
    }

  now = fl_now_iso8601 ();
  if ((stmt = fl_store_prepare (self,
                                "INSERT INTO temp.fl_batch_leads (seq, uuid, " LEAD_COLUMNS ", "
                                "score, status, model_name, model_version, model_sha256, "
                                "breakdown, consent, c_version, c_sha256, c_language, c_given, "
                                "c_method, c_staff, c_at, c_source) VALUES (?, ?, ?, ?, ?, ?, ?, "
                                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                                "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                error)) == NULL ||
      (answer = fl_store_prepare (self, "INSERT INTO temp.fl_batch_answers (seq, question_id, value) "
                                        "VALUES (?, ?, ?)", error)) == NULL ||
      (interaction = fl_store_prepare (self, "INSERT INTO temp.fl_batch_interactions (seq, kind, at) "
                                             "VALUES (?, ?, ?)", error)) == NULL)
    return FALSE;
  for (guint i = 0; i < leads->len; i++)
    if (!stage_lead (self, stmt, answer, interaction, i, g_ptr_array_index (leads, i), now, error))
      return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (write_sql); i++)
    {
      if ((stmt = fl_store_prepare (self, write_sql[i], error)) == NULL ||
          !fl_store_step_done (self, stmt, error))
        return FALSE;
    }
  if ((stmt = fl_store_prepare (self, audit_sql, error)) == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, now);
  fl_store_bind_text (stmt, 2, actor);
  if (!fl_store_step_done (self, stmt, error))
    return FALSE;
  return fl_store_exec (self, clear_sql, error);
}
