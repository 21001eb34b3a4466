/* fl-rescore.c: score every lead of an event again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-rescore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-model-store.h"
#include "fl-rescore.h"
#include "fl-scorer.h"

/* Leads are read in chunks by row id and written between chunks, so no
 * row is updated under a running SELECT and memory stays bounded at any
 * number of leads. */
#define CHUNK 2000

/* One query per chunk reads the leads with their answers and interactions
 * folded into JSON by SQLite: three statements per lead would cost more
 * than the scoring itself. */
#define RESCORE_SQL                                                                                \
  "SELECT l.id, l.uuid, l.created_at, l.first_name, l.last_name, l.full_name, l.email, l.phone, "  \
  "  l.mobile, l.company, l.title, l.department, l.street, l.city, l.postal_code, l.region, "       \
  "  l.country, l.website, l.score, l.status, l.model_sha256, l.override_status, l.override_by, "   \
  "  l.override_reason, "                                                                          \
  "  (SELECT json_group_object (question_id, CASE WHEN json_valid (value) THEN json (value) "       \
  "                                           ELSE json_quote (value) END) "                       \
  "     FROM answers WHERE lead_id = l.id), "                                                      \
  "  (SELECT json_group_array (json_object ('kind', kind, 'at', at)) "                             \
  "     FROM (SELECT kind, at FROM interactions WHERE lead_id = l.id ORDER BY id)) "               \
  "FROM leads l WHERE l.event = ?1 AND l.id > ?2 ORDER BY l.id LIMIT " G_STRINGIFY (CHUNK)

enum {
  COL_ID, COL_UUID, COL_CREATED_AT, COL_FIRST_FIELD,
  COL_SCORE = COL_FIRST_FIELD + FL_N_FIELDS, COL_STATUS, COL_MODEL_SHA256, COL_OVERRIDE_STATUS,
  COL_OVERRIDE_BY, COL_OVERRIDE_REASON, COL_ANSWERS, COL_INTERACTIONS,
};

typedef struct
{
  gint64   id;
  char    *uuid;
  FlStatus from;
  int      score_before;
  FlScore *score;
} Update;

static void
update_clear (Update *update)
{
  g_free (update->uuid);
  g_clear_pointer (&update->score, fl_score_free);
}

static void
change_free (FlRescoreChange *change)
{
  g_free (change->uuid);
  g_free (change->name);
  g_free (change);
}

void
fl_rescore_report_free (FlRescoreReport *report)
{
  if (report == NULL)
    return;
  g_free (report->model_name);
  g_clear_pointer (&report->changes, g_ptr_array_unref);
  g_free (report);
}

static JsonNode *
parse (JsonParser *parser, const char *text)
{
  if (text == NULL || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  return json_parser_get_root (parser);
}

static char *
display_name (sqlite3_stmt *stmt)
{
  const char *full = (const char *) sqlite3_column_text (stmt, COL_FIRST_FIELD + FL_FIELD_FULL_NAME);
  const char *first = (const char *) sqlite3_column_text (stmt, COL_FIRST_FIELD + FL_FIELD_FIRST_NAME);
  const char *last = (const char *) sqlite3_column_text (stmt, COL_FIRST_FIELD + FL_FIELD_LAST_NAME);
  const char *email = (const char *) sqlite3_column_text (stmt, COL_FIRST_FIELD + FL_FIELD_EMAIL);

  if (full != NULL)
    return g_strdup (full);
  if (first != NULL || last != NULL)
    return g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
  return g_strdup (email);
}

static gboolean
write_update (FlStore *store, FlModel *model, const Update *update, const char *now,
              const char *actor, GError **error)
{
  g_autofree char *breakdown = json_to_string (update->score->breakdown, FALSE);
  g_autofree char *detail = NULL;
  sqlite3_stmt *stmt;

  stmt = fl_store_prepare (store,
                           "UPDATE leads SET score = ?2, status = ?3, breakdown = ?4, "
                           "model_name = ?5, model_version = ?6, model_sha256 = ?7, "
                           "updated_at = ?8 WHERE id = ?1",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, update->id);
  sqlite3_bind_int (stmt, 2, update->score->score);
  sqlite3_bind_text (stmt, 3, fl_status_to_string (update->score->status), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, breakdown, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, fl_model_get_name (model), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, fl_model_get_version (model));
  sqlite3_bind_text (stmt, 7, fl_model_get_sha256 (model), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return fl_store_set_error (store, error);
    }
  sqlite3_reset (stmt);

  /* A new score or status is news for the CRM: queue the lead again for
   * every enabled connector, as saving a lead does. */
  if (update->score->score != update->score_before || update->score->status != update->from)
    {
      stmt = fl_store_prepare (store,
                               "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                               "SELECT ?1, name, 'pending', ?2 FROM connectors WHERE enabled "
                               "ON CONFLICT (lead_id, connector) DO UPDATE SET "
                               "  state = 'pending', attempts = 0, next_attempt_at = NULL, "
                               "  last_error = NULL, queued_at = excluded.queued_at",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, update->id);
      sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          sqlite3_reset (stmt);
          return fl_store_set_error (store, error);
        }
      sqlite3_reset (stmt);
    }

  detail = g_strdup_printf ("%s → %s, score %d → %d, model %s v%" G_GINT64_FORMAT,
                            fl_status_to_string (update->from),
                            fl_status_to_string (update->score->status), update->score_before,
                            update->score->score, fl_model_get_name (model),
                            fl_model_get_version (model));
  return fl_store_add_audit (store, update->uuid, actor, "rescored", detail, error);
}

/**
 * fl_rescore:
 * @model: (nullable): the model to score with; %NULL for the active
 *   event's model
 * @now: (nullable): the time to score at (decay); %NULL for now
 * @dry_run: compute and report, write nothing
 * @actor: (nullable): who re-scores, for the audit
 *
 * Scores every lead of the active event again. A real run writes, in one
 * transaction, each lead whose score, status or model changed, with one
 * audit entry per lead, and queues leads with a new score or status for
 * upload. Manual statuses (overrides) stand. A @model from a file is
 * stored first, so leads always name a model the database holds.
 *
 * Returns: (transfer full) (nullable): what changed, or would change
 */
FlRescoreReport *
fl_rescore (FlStore *store, FlModel *model, GDateTime *now, gboolean dry_run, const char *actor,
            GError **error)
{
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlModel) active = NULL;
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(GDateTime) now_owned = NULL;
  g_autoptr(JsonParser) answers_parser = json_parser_new_immutable ();
  g_autoptr(JsonParser) interactions_parser = json_parser_new_immutable ();
  g_autoptr(GArray) updates = g_array_new (FALSE, TRUE, sizeof (Update));
  g_autofree char *now_text = NULL;
  FlLanguage language = fl_language_default ();
  gint64 last_id = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (model == NULL || FL_IS_MODEL (model), NULL);

  g_array_set_clear_func (updates, (GDestroyNotify) update_clear);
  event = fl_store_get_active_event (store, error);
  if (event == NULL)
    return NULL;
  if (model == NULL)
    {
      model = active = fl_model_store_load_for_event (store, event->uuid, error);
      if (model == NULL)
        return NULL;
    }
  if (now == NULL)
    now = now_owned = g_date_time_new_now_utc ();
  {
    g_autoptr(GDateTime) utc = g_date_time_to_utc (now);
    g_autofree char *base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
    now_text = g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
  }

  report = g_new0 (FlRescoreReport, 1);
  report->model_name = g_strdup (fl_model_get_name (model));
  report->model_version = fl_model_get_version (model);
  report->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  /* Even a dry run reads in a transaction, to count from one snapshot. */
  if (!(dry_run ? fl_store_exec (store, "BEGIN", error) : fl_store_begin (store, error)))
    return NULL;
  if (!dry_run && active == NULL && fl_model_store_save (store, model, error) < 0)
    goto fail;

  while (more)
    {
      sqlite3_stmt *stmt = fl_store_prepare (store, RESCORE_SQL, error);
      guint n_rows = 0;
      int rc;

      if (stmt == NULL)
        goto fail;
      sqlite3_bind_text (stmt, 1, event->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, last_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          FlScoreInput input = { 0 };
          JsonNode *answers, *interactions;
          FlStatus from = FL_STATUS_MQL;
          FlScore *score;
          int score_before = sqlite3_column_int (stmt, COL_SCORE);
          gboolean changed;

          n_rows++;
          last_id = sqlite3_column_int64 (stmt, COL_ID);
          for (guint i = 0; i < FL_N_FIELDS; i++)
            input.fields[i] = (const char *) sqlite3_column_text (stmt, COL_FIRST_FIELD + i);
          answers = parse (answers_parser, (const char *) sqlite3_column_text (stmt, COL_ANSWERS));
          interactions = parse (interactions_parser,
                                (const char *) sqlite3_column_text (stmt, COL_INTERACTIONS));
          input.answers = answers && JSON_NODE_HOLDS_OBJECT (answers) ? json_node_get_object (answers) : NULL;
          input.interactions = interactions && JSON_NODE_HOLDS_ARRAY (interactions)
                                 ? json_node_get_array (interactions) : NULL;
          input.created_at = (const char *) sqlite3_column_text (stmt, COL_CREATED_AT);
          input.override_status = (const char *) sqlite3_column_text (stmt, COL_OVERRIDE_STATUS);
          input.override_by = (const char *) sqlite3_column_text (stmt, COL_OVERRIDE_BY);
          input.override_reason = (const char *) sqlite3_column_text (stmt, COL_OVERRIDE_REASON);
          fl_status_from_string ((const char *) sqlite3_column_text (stmt, COL_STATUS), &from);

          score = fl_scorer_score_input (model, &input, now, language);
          report->n_leads++;
          report->moves[from][score->status]++;
          if (input.override_status != NULL)
            report->n_overridden++;
          changed = score->score != score_before || score->status != from ||
                    g_strcmp0 ((const char *) sqlite3_column_text (stmt, COL_MODEL_SHA256),
                               fl_model_get_sha256 (model)) != 0;
          if (score->status != from)
            {
              FlRescoreChange *change = g_new0 (FlRescoreChange, 1);

              change->uuid = g_strdup ((const char *) sqlite3_column_text (stmt, COL_UUID));
              change->name = display_name (stmt);
              change->from = from;
              change->to = score->status;
              change->score_before = score_before;
              change->score_after = score->score;
              g_ptr_array_add (report->changes, change);
              report->n_moved++;
            }
          if (!changed)
            {
              fl_score_free (score);
              continue;
            }
          report->n_changed++;
          if (dry_run)
            {
              fl_score_free (score);
              continue;
            }
          g_array_set_size (updates, updates->len + 1);
          g_array_index (updates, Update, updates->len - 1) = (Update) {
            .id = last_id,
            .uuid = g_strdup ((const char *) sqlite3_column_text (stmt, COL_UUID)),
            .from = from,
            .score_before = score_before,
            .score = score,
          };
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          goto fail;
        }
      more = n_rows == CHUNK;

      for (guint i = 0; i < updates->len; i++)
        if (!write_update (store, model, &g_array_index (updates, Update, i), now_text, actor, error))
          goto fail;
      g_array_set_size (updates, 0);
    }

  if (dry_run)
    fl_store_rollback (store);
  else if (!fl_store_commit (store, error))
    return NULL;
  return g_steal_pointer (&report);

fail:
  fl_store_rollback (store);
  return NULL;
}
