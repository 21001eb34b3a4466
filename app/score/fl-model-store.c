/* fl-model-store.c: scoring models in the database, and scoring there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-model-store.h"
#include "fl-scorer.h"
#include "store/fl-store-private.h"

/* The model in force for scoring at capture, kept on the store so that
 * a capture costs one indexed lookup, not a parse of the model. */
typedef struct
{
  gint64   model_id;
  FlModel *model;
} ModelCache;

#define CACHE_KEY "fl-model-store-cache"
/* The model of the last breakdown computed with a model not in force. */
#define BREAKDOWN_MODEL_KEY "fl-model-store-breakdown-model"

static void
model_cache_free (ModelCache *cache)
{
  g_clear_object (&cache->model);
  g_free (cache);
}

/**
 * fl_model_store_save:
 *
 * Stores the model unless it is stored already. A model whose name and
 * version are stored with other content is refused: every change to the
 * agreed model needs a new version, or leads scored by two different
 * models would claim the same one.
 *
 * Returns: the model's row id, or -1 on error
 */
gint64
fl_model_store_save (FlStore *store, FlModel *model, GError **error)
{
  g_autofree char *now = fl_now_iso8601 ();
  sqlite3_stmt *stmt;
  GBytes *bytes;
  gint64 id = -1;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), -1);
  g_return_val_if_fail (FL_IS_MODEL (model), -1);

  stmt = fl_store_prepare (store, "SELECT id, sha256 FROM models WHERE sha256 = ?1 "
                                  "OR (name = ?2 AND version = ?3) ORDER BY sha256 = ?1 DESC",
                           error);
  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, fl_model_get_sha256 (model));
  fl_store_bind_text (stmt, 2, fl_model_get_name (model));
  sqlite3_bind_int64 (stmt, 3, fl_model_get_version (model));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      gboolean same = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 1),
                                 fl_model_get_sha256 (model)) == 0;

      id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (same)
        return id;
      g_set_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_VERSION_CONFLICT,
                   _("Model “%s” version %d is already loaded with different "
                     "content. Bump the “version” in the file to load the changed model."),
                   fl_model_get_name (model), (int) fl_model_get_version (model));
      return -1;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return -1;
    }

  stmt = fl_store_prepare (store, "INSERT INTO models (name, version, sha256, json, loaded_at) "
                                  "VALUES (?, ?, ?, ?, ?) RETURNING id",
                           error);
  if (stmt == NULL)
    return -1;
  bytes = fl_model_get_bytes (model);
  fl_store_bind_text (stmt, 1, fl_model_get_name (model));
  sqlite3_bind_int64 (stmt, 2, fl_model_get_version (model));
  fl_store_bind_text (stmt, 3, fl_model_get_sha256 (model));
  sqlite3_bind_text (stmt, 4, g_bytes_get_data (bytes, NULL), (int) g_bytes_get_size (bytes),
                     SQLITE_TRANSIENT);
  fl_store_bind_text (stmt, 5, now);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else
    fl_store_set_error (store, error);
  sqlite3_reset (stmt);
  return id;
}

/**
 * fl_model_store_activate:
 * @actor: (nullable): who loads it, for the audit
 *
 * Stores the model and makes it the active event's model, in one
 * transaction, with an audit entry. Only a valid model exists as an
 * #FlModel, so an invalid file never gets this far.
 */
gboolean
fl_model_store_activate (FlStore *store, FlModel *model, const char *actor, GError **error)
{
  g_autoptr(FlEvent) event = NULL;
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;
  gint64 id;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (FL_IS_MODEL (model), FALSE);

  event = fl_store_get_active_event (store, error);
  if (event == NULL)
    return FALSE;
  if (!fl_store_begin (store, error))
    return FALSE;
  id = fl_model_store_save (store, model, error);
  if (id < 0)
    goto fail;
  stmt = fl_store_prepare (store, "UPDATE events SET model_id = ? WHERE uuid = ?", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_int64 (stmt, 1, id);
  fl_store_bind_text (stmt, 2, event->uuid);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      sqlite3_reset (stmt);
      goto fail;
    }
  sqlite3_reset (stmt);
  detail = g_strdup_printf ("%s v%" G_GINT64_FORMAT " sha256 %s for event %s",
                            fl_model_get_name (model), fl_model_get_version (model),
                            fl_model_get_sha256 (model), event->uuid);
  if (!fl_store_add_audit (store, NULL, actor, "model-loaded", detail, error) ||
      !fl_store_commit (store, error))
    goto fail;
  return TRUE;

fail:
  fl_store_rollback (store);
  return FALSE;
}

/**
 * fl_model_store_load:
 *
 * Returns: (transfer full) (nullable): the stored model with this id
 */
FlModel *
fl_model_store_load (FlStore *store, gint64 model_id, GError **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  sqlite3_stmt *stmt;
  FlModel *model;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  stmt = fl_store_prepare (store, "SELECT json FROM models WHERE id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, model_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  else if (rc != SQLITE_DONE)
    fl_store_set_error (store, error);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    g_set_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL,
                 _("There is no stored scoring model %d"), (int) model_id);
  if (bytes == NULL)
    return NULL;

  model = fl_model_new_from_bytes (bytes, NULL, &local_error);
  if (model == NULL)
    g_set_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID,
                 _("The stored scoring model is not valid (%s); load a corrected model with "
                   "“fairlead-cli model load FILE”"),
                 local_error->message);
  return model;
}

static gint64
event_model_id (FlStore *store, const char *event_uuid, GError **error)
{
  g_autofree char *active = NULL;
  sqlite3_stmt *stmt;
  gint64 id = -1;
  int rc;

  if (event_uuid == NULL)
    {
      event_uuid = active = fl_store_get_meta (store, "active_event");
      if (event_uuid == NULL)
        {
          g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT,
                               _("There is no active event; create one with "
                                 "“fairlead-cli event create NAME”"));
          return -1;
        }
    }
  stmt = fl_store_prepare (store, "SELECT coalesce (model_id, 0) FROM events WHERE uuid = ?", error);
  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, event_uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no event “%s”"),
                 event_uuid);
  else
    fl_store_set_error (store, error);
  sqlite3_reset (stmt);
  return id;
}

/* The event's model, parsed once per store and model. */
static FlModel *
cached_model (FlStore *store, const char *event_uuid, GError **error)
{
  ModelCache *cache = g_object_get_data (G_OBJECT (store), CACHE_KEY);
  gint64 id = event_model_id (store, event_uuid, error);
  FlModel *model;

  if (id < 0)
    return NULL;
  if (id == 0)
    {
      g_set_error_literal (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL,
                           _("The event has no scoring model; load one with "
                             "“fairlead-cli model load FILE”"));
      return NULL;
    }
  if (cache != NULL && cache->model_id == id)
    return g_object_ref (cache->model);

  model = fl_model_store_load (store, id, error);
  if (model == NULL)
    return NULL;
  cache = g_new0 (ModelCache, 1);
  cache->model_id = id;
  cache->model = g_object_ref (model);
  g_object_set_data_full (G_OBJECT (store), CACHE_KEY, cache, (GDestroyNotify) model_cache_free);
  return model;
}

/**
 * fl_model_store_load_for_event:
 * @event_uuid: (nullable): the event, %NULL for the active one
 *
 * Returns: (transfer full) (nullable): the event's model; %NULL with
 *   %FL_MODEL_ERROR_NO_MODEL when it has none
 */
FlModel *
fl_model_store_load_for_event (FlStore *store, const char *event_uuid, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  return cached_model (store, event_uuid, error);
}

/**
 * fl_scorer_score_lead:
 *
 * Scores a lead with the model of its event (the active event for a lead
 * without one) and writes score, status, breakdown and model onto it, for
 * capture to save. An event without a model leaves the lead as it is and
 * is not an error: a lead is never lost for want of a model.
 *
 * Returns: %FALSE only when the database or the stored model failed
 */
gboolean
fl_scorer_score_lead (FlStore *store, FlLead *lead, GError **error)
{
  g_autoptr(FlModel) model = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (FL_IS_LEAD (lead), FALSE);

  model = cached_model (store, fl_lead_get_event (lead), &local_error);
  if (model == NULL)
    {
      if (g_error_matches (local_error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL) ||
          g_error_matches (local_error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT))
        {
          g_debug ("Lead %s not scored: %s", fl_lead_get_uuid (lead), local_error->message);
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  fl_scorer_apply (model, lead, NULL);
  return TRUE;
}

/**
 * fl_scorer_fill_breakdown:
 * @scored_at: the time the lead was scored at, ISO 8601
 *
 * Sets the breakdown of a lead that a rescore wrote without one: scoring
 * is deterministic, so the lead's model at the time it was scored at
 * gives the same score and the same reasons again. A model the database
 * no longer holds leaves the lead without a breakdown.
 */
void
fl_scorer_fill_breakdown (FlStore *store, FlLead *lead, const char *scored_at)
{
  g_autoptr(FlModel) model = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_from_iso8601 (scored_at, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlScore) score = NULL;
  JsonNode *reference = fl_lead_get_model (lead);
  const char *sha256 = reference != NULL && JSON_NODE_HOLDS_OBJECT (reference)
                         ? json_object_get_string_member_with_default (json_node_get_object (reference),
                                                                       "sha256", NULL)
                         : NULL;
  sqlite3_stmt *stmt;
  gint64 id = 0;

  g_return_if_fail (FL_IS_STORE (store));
  g_return_if_fail (FL_IS_LEAD (lead));

  if (sha256 == NULL || at == NULL)
    return;
  model = cached_model (store, fl_lead_get_event (lead), NULL);
  if (model != NULL && g_strcmp0 (fl_model_get_sha256 (model), sha256) != 0)
    g_clear_object (&model);
  /* A model no longer in force is parsed once too, not for every lead
   * (the uploader reads lead after lead). */
  if (model == NULL && (model = g_object_get_data (G_OBJECT (store), BREAKDOWN_MODEL_KEY)) != NULL)
    {
      if (g_strcmp0 (fl_model_get_sha256 (model), sha256) == 0)
        g_object_ref (model);
      else
        model = NULL;
    }
  if (model == NULL)
    {
      stmt = fl_store_prepare (store, "SELECT id FROM models WHERE sha256 = ?", NULL);
      if (stmt == NULL)
        return;
      fl_store_bind_text (stmt, 1, sha256);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (id == 0 || (model = fl_model_store_load (store, id, &error)) == NULL)
        {
          g_debug ("No breakdown for lead %s: %s", fl_lead_get_uuid (lead),
                   error ? error->message : "its model is not stored");
          return;
        }
      g_object_set_data_full (G_OBJECT (store), BREAKDOWN_MODEL_KEY, g_object_ref (model),
                              g_object_unref);
    }
  score = fl_scorer_score (model, lead, at, fl_language_default ());
  fl_lead_set_breakdown (lead, score->breakdown);
}

/* The status the breakdown's last entry records (the scorer writes one
 * for every lead it scores); MQL, the status of a lead never scored. */
static FlStatus
computed_status (FlLead *lead)
{
  JsonNode *breakdown = fl_lead_get_breakdown (lead);
  JsonArray *entries = breakdown != NULL && JSON_NODE_HOLDS_ARRAY (breakdown)
                         ? json_node_get_array (breakdown) : NULL;
  FlStatus status = FL_STATUS_MQL;

  for (guint i = 0; entries != NULL && i < json_array_get_length (entries); i++)
    {
      JsonNode *node = json_array_get_element (entries, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      FlStatus recorded;

      if (entry != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (entry, "source", NULL), "status") == 0 &&
          fl_status_from_string (json_object_get_string_member_with_default (entry, "id", ""), &recorded))
        status = recorded;
    }
  return status;
}

/**
 * fl_scorer_set_override:
 * @status: (nullable): "MQL", "SAL" or "DISQUALIFIED"; %NULL clears the
 *   override and the computed status stands again
 * @by: (nullable): who decided; required to set an override
 * @reason: (nullable): why; required to set an override
 *
 * Sets or clears a lead's manual status, re-scores it and saves it, with
 * an audit entry saying who changed the status, from what, and why.
 */
gboolean
fl_scorer_set_override (FlStore *store, const char *lead_uuid, const char *status, const char *by,
                        const char *reason, GError **error)
{
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *detail = NULL;
  FlStatus parsed, before;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (lead_uuid != NULL, FALSE);

  if (status != NULL && !fl_status_from_string (status, &parsed))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"), status);
      return FALSE;
    }
  if (status != NULL && (by == NULL || by[strspn (by, " ")] == '\0' || reason == NULL ||
                         reason[strspn (reason, " ")] == '\0'))
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("A manual status needs who set it and why"));
      return FALSE;
    }
  lead = fl_store_get_lead (store, lead_uuid, error);
  if (lead == NULL)
    return FALSE;

  before = fl_lead_get_status (lead);
  fl_lead_set_override (lead, status, by, reason);
  /* Cleared: the status computed when the lead was last scored stands
   * again; with a model in force the scorer computes it afresh below. */
  if (status == NULL)
    fl_lead_set_status (lead, computed_status (lead));
  if (!fl_scorer_score_lead (store, lead, error))
    return FALSE;
  if (status != NULL)
    fl_lead_set_status (lead, parsed);
  {
    g_autofree char *now = fl_now_iso8601 ();
    fl_lead_set_updated_at (lead, now);
  }

  if (status != NULL)
    detail = g_strdup_printf ("%s → %s: %s", fl_status_to_string (before), status, reason);
  else
    detail = g_strdup_printf ("%s → %s: cleared", fl_status_to_string (before),
                              fl_status_to_string (fl_lead_get_status (lead)));
  if (!fl_store_begin (store, error))
    return FALSE;
  if (!fl_store_save_lead_in_transaction (store, lead, by, error) ||
      !fl_store_add_audit (store, fl_lead_get_uuid (lead), by, "status-override", detail, error) ||
      !fl_store_commit (store, error))
    {
      fl_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_scorer_capture_score:
 *
 * The #FlCaptureScoreFunc that scores a captured lead with its event's
 * model, inside the capture's transaction. The kiosk and the CLI pass it
 * to fl_capture().
 */
gboolean
fl_scorer_capture_score (FlStore *store, const FlEvent *event, FlLead *lead, gpointer user_data,
                         GError **error)
{
  return fl_scorer_score_lead (store, lead, error);
}
