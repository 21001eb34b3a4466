/* fl-rescore.c: score every lead of an event again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-rescore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "fl-model-store.h"
#include "fl-rescore.h"
#include "fl-scorer.h"

/* Leads are read in chunks by row id and written between chunks, so no
 * row is updated under a running SELECT and memory stays bounded at any
 * number of leads. */
#define CHUNK 2000

/* "+event" keeps the planner on the row id: with the event index it
 * would sort the whole event again for every chunk. Answers and
 * interactions of a chunk are read by two range scans over their lead_id
 * indexes: a correlated query per lead costs more than scoring it. */
#define LEADS_SQL                                                                                  \
  "SELECT id, uuid, created_at, first_name, last_name, full_name, email, phone, mobile, company, "  \
  "  title, department, street, city, postal_code, region, country, website, score, status, "       \
  "  model_sha256, override_status, override_by, override_reason "                                 \
  "FROM leads WHERE +event = ?1 AND id > ?2 ORDER BY id LIMIT " G_STRINGIFY (CHUNK)
#define ANSWERS_SQL                                                                                \
  "SELECT lead_id, question_id, value FROM answers WHERE lead_id BETWEEN ?1 AND ?2"
#define INTERACTIONS_SQL                                                                           \
  "SELECT lead_id, kind, at FROM interactions WHERE lead_id BETWEEN ?1 AND ?2 ORDER BY lead_id, id"

enum {
  COL_ID, COL_UUID, COL_CREATED_AT, COL_FIRST_FIELD,
  COL_SCORE = COL_FIRST_FIELD + FL_N_FIELDS, COL_STATUS, COL_MODEL_SHA256, COL_OVERRIDE_STATUS,
  COL_OVERRIDE_BY, COL_OVERRIDE_REASON, N_COLUMNS
};

/* One lead of a chunk, as read. */
typedef struct
{
  gint64      id;
  char       *columns[N_COLUMNS];   /* text of each column */
  JsonObject *answers;
  JsonArray  *interactions;
} Row;

static void
row_clear (Row *row)
{
  for (guint i = 0; i < N_COLUMNS; i++)
    g_free (row->columns[i]);
  g_clear_pointer (&row->answers, json_object_unref);
  g_clear_pointer (&row->interactions, json_array_unref);
}

/* The rows are in id order: a binary search finds a lead's row. */
static Row *
find_row (GArray *rows, gint64 id)
{
  guint low = 0, high = rows->len;

  while (low < high)
    {
      guint mid = (low + high) / 2;
      Row *row = &g_array_index (rows, Row, mid);

      if (row->id == id)
        return row;
      if (row->id < id)
        low = mid + 1;
      else
        high = mid;
    }
  return NULL;
}

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

/* SQLite's JSON functions write compact, valid JSON. It is read here
 * without JsonParser, whose set-up for every document costs more than
 * scoring the lead; anything unexpected returns NULL and the caller falls
 * back to JsonParser. */
static JsonNode *read_value (const char **p, guint depth);

static void
skip_space (const char **p)
{
  while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
    (*p)++;
}

static char *
read_string (const char **p)
{
  GString *out = g_string_new (NULL);
  const char *s = *p + 1;

  while (*s != '"')
    {
      if (*s == '\0')
        goto fail;
      if (*s != '\\')
        {
          g_string_append_c (out, *s++);
          continue;
        }
      s++;
      switch (*s)
        {
        case '"': case '\\': case '/': g_string_append_c (out, *s); break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = 0;

            for (guint i = 1; i <= 4; i++)
              {
                if (!g_ascii_isxdigit (s[i]))
                  goto fail;
                c = c * 16 + g_ascii_xdigit_value (s[i]);
              }
            s += 4;
            if (c >= 0xd800 && c < 0xdc00 && s[1] == '\\' && s[2] == 'u')
              {
                gunichar low = 0;

                for (guint i = 3; i <= 6; i++)
                  {
                    if (!g_ascii_isxdigit (s[i]))
                      goto fail;
                    low = low * 16 + g_ascii_xdigit_value (s[i]);
                  }
                if (low < 0xdc00 || low > 0xdfff)
                  goto fail;
                c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
                s += 6;
              }
            if (!g_unichar_validate (c))
              goto fail;
            g_string_append_unichar (out, c);
          }
          break;
        default:
          goto fail;
        }
      s++;
    }
  *p = s + 1;
  return g_string_free (out, FALSE);

fail:
  g_string_free (out, TRUE);
  return NULL;
}

static JsonNode *
read_value (const char **p, guint depth)
{
  JsonNode *node;

  skip_space (p);
  if (depth > 32)
    return NULL;
  if (**p == '"')
    {
      g_autofree char *text = read_string (p);

      if (text == NULL)
        return NULL;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, text);
      return node;
    }
  if (**p == '{' || **p == '[')
    {
      gboolean is_object = **p == '{';
      char close = is_object ? '}' : ']';
      JsonObject *object = is_object ? json_object_new () : NULL;
      JsonArray *array = is_object ? NULL : json_array_new ();

      node = is_object ? json_node_init_object (json_node_alloc (), object)
                       : json_node_init_array (json_node_alloc (), array);
      if (object != NULL)
        json_object_unref (object);
      else
        json_array_unref (array);
      (*p)++;
      skip_space (p);
      if (**p == close)
        {
          (*p)++;
          return node;
        }
      for (;;)
        {
          g_autofree char *key = NULL;
          JsonNode *value;

          skip_space (p);
          if (is_object)
            {
              if (**p != '"' || (key = read_string (p)) == NULL)
                break;
              skip_space (p);
              if (**p != ':')
                break;
              (*p)++;
            }
          if ((value = read_value (p, depth + 1)) == NULL)
            break;
          if (is_object)
            json_object_set_member (object, key, value);
          else
            json_array_add_element (array, value);
          skip_space (p);
          if (**p == ',')
            {
              (*p)++;
              continue;
            }
          if (**p == close)
            {
              (*p)++;
              return node;
            }
          break;
        }
      json_node_unref (node);
      return NULL;
    }
  if (strncmp (*p, "true", 4) == 0 || strncmp (*p, "false", 5) == 0)
    {
      gboolean value = **p == 't';

      *p += value ? 4 : 5;
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, value);
      return node;
    }
  if (strncmp (*p, "null", 4) == 0)
    {
      *p += 4;
      return json_node_new (JSON_NODE_NULL);
    }
  if (**p == '-' || g_ascii_isdigit (**p))
    {
      const char *start = *p;
      gboolean is_double = FALSE;
      char *end = NULL;

      for ((*p)++; g_ascii_isdigit (**p) || strchr (".eE+-", **p) != NULL; (*p)++)
        is_double |= **p == '.' || **p == 'e' || **p == 'E';
      node = json_node_new (JSON_NODE_VALUE);
      if (is_double)
        json_node_set_double (node, g_ascii_strtod (start, &end));
      else
        json_node_set_int (node, g_ascii_strtoll (start, &end, 10));
      if (end != *p)
        {
          json_node_unref (node);
          return NULL;
        }
      return node;
    }
  return NULL;
}

static JsonNode *
parse (JsonParser *parser, const char *text)
{
  const char *p = text;
  JsonNode *node;

  if (text == NULL)
    return NULL;
  node = read_value (&p, 0);
  if (node != NULL)
    {
      skip_space (&p);
      if (*p == '\0')
        return node;
      json_node_unref (node);
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_copy (json_parser_get_root (parser));
}

static char *
display_name (const Row *row)
{
  const char *full = row->columns[COL_FIRST_FIELD + FL_FIELD_FULL_NAME];
  const char *first = row->columns[COL_FIRST_FIELD + FL_FIELD_FIRST_NAME];
  const char *last = row->columns[COL_FIRST_FIELD + FL_FIELD_LAST_NAME];
  const char *email = row->columns[COL_FIRST_FIELD + FL_FIELD_EMAIL];

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
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GArray) updates = g_array_new (FALSE, TRUE, sizeof (Update));
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autofree char *now_text = NULL;
  FlLanguage language = fl_language_default ();
  gint64 last_id = 0;
  gboolean more = TRUE;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (model == NULL || FL_IS_MODEL (model), NULL);

  g_array_set_clear_func (updates, (GDestroyNotify) update_clear);
  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
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
      sqlite3_stmt *stmt = fl_store_prepare (store, LEADS_SQL, error);
      int rc;

      if (stmt == NULL)
        goto fail;
      g_array_set_size (rows, 0);
      sqlite3_bind_text (stmt, 1, event->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 2, last_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Row row = { 0 };

          row.id = last_id = sqlite3_column_int64 (stmt, COL_ID);
          for (guint i = 0; i < N_COLUMNS; i++)
            row.columns[i] = g_strdup ((const char *) sqlite3_column_text (stmt, i));
          g_array_append_val (rows, row);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          goto fail;
        }
      more = rows->len == CHUNK;
      if (rows->len == 0)
        break;

      stmt = fl_store_prepare (store, ANSWERS_SQL, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (rows, Row, 0).id);
      sqlite3_bind_int64 (stmt, 2, last_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Row *row = find_row (rows, sqlite3_column_int64 (stmt, 0));
          JsonNode *value;

          if (row == NULL)
            continue;
          value = parse (parser, (const char *) sqlite3_column_text (stmt, 2));
          if (value == NULL)
            continue;
          if (row->answers == NULL)
            row->answers = json_object_new ();
          json_object_set_member (row->answers, (const char *) sqlite3_column_text (stmt, 1), value);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          goto fail;
        }

      stmt = fl_store_prepare (store, INTERACTIONS_SQL, error);
      if (stmt == NULL)
        goto fail;
      sqlite3_bind_int64 (stmt, 1, g_array_index (rows, Row, 0).id);
      sqlite3_bind_int64 (stmt, 2, last_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Row *row = find_row (rows, sqlite3_column_int64 (stmt, 0));
          JsonObject *item;

          if (row == NULL)
            continue;
          if (row->interactions == NULL)
            row->interactions = json_array_new ();
          item = json_object_new ();
          json_object_set_string_member (item, "kind", (const char *) sqlite3_column_text (stmt, 1));
          json_object_set_string_member (item, "at", (const char *) sqlite3_column_text (stmt, 2));
          json_array_add_object_element (row->interactions, item);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          goto fail;
        }

      for (guint r = 0; r < rows->len; r++)
        {
          Row *row = &g_array_index (rows, Row, r);
          FlScoreInput input = { 0 };
          FlStatus from = FL_STATUS_MQL;
          FlScore *score;
          int score_before = row->columns[COL_SCORE] ? atoi (row->columns[COL_SCORE]) : 0;
          gboolean changed;

          for (guint i = 0; i < FL_N_FIELDS; i++)
            input.fields[i] = row->columns[COL_FIRST_FIELD + i];
          input.answers = row->answers;
          input.interactions = row->interactions;
          input.created_at = row->columns[COL_CREATED_AT];
          input.override_status = row->columns[COL_OVERRIDE_STATUS];
          input.override_by = row->columns[COL_OVERRIDE_BY];
          input.override_reason = row->columns[COL_OVERRIDE_REASON];
          fl_status_from_string (row->columns[COL_STATUS], &from);

          score = fl_scorer_score_input_brief (model, &input, now);
          report->n_leads++;
          report->moves[from][score->status]++;
          if (input.override_status != NULL)
            report->n_overridden++;
          changed = score->score != score_before || score->status != from ||
                    g_strcmp0 (row->columns[COL_MODEL_SHA256], fl_model_get_sha256 (model)) != 0;
          if (score->status != from)
            {
              FlRescoreChange *change = g_new0 (FlRescoreChange, 1);

              change->uuid = g_strdup (row->columns[COL_UUID]);
              change->name = display_name (row);
              change->from = from;
              change->to = score->status;
              change->score_before = score_before;
              change->score_after = score->score;
              g_ptr_array_add (report->changes, change);
              report->n_moved++;
            }
          if (changed)
            report->n_changed++;
          if (!changed || dry_run)
            {
              fl_score_free (score);
              continue;
            }

          /* Only what is written needs its reasons. */
          fl_score_free (score);
          score = fl_scorer_score_input (model, &input, now, language);
          g_array_set_size (updates, updates->len + 1);
          g_array_index (updates, Update, updates->len - 1) = (Update) {
            .id = row->id,
            .uuid = g_strdup (row->columns[COL_UUID]),
            .from = from,
            .score_before = score_before,
            .score = score,
          };
        }

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
