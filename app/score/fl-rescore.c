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
#include "lead/fl-json.h"
#include "store/fl-store-private.h"

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
  "FROM leads JOIN lead_scores ON lead_scores.lead_id = leads.id "                                \
  "WHERE +event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND id > ?2 ORDER BY id LIMIT " G_STRINGIFY (CHUNK)
#define ANSWERS_SQL                                                                                \
  "SELECT lead_id, question_id, value FROM answers WHERE lead_id BETWEEN ?1 AND ?2 ORDER BY lead_id"
#define INTERACTIONS_SQL                                                                           \
  "SELECT lead_id, kind, at FROM interactions WHERE lead_id BETWEEN ?1 AND ?2 ORDER BY lead_id, id"

/* Answers are stored as JSON text and repeat a lot ("3m", ["vision"]):
 * each distinct text is parsed once per run, up to this many. */
#define MAX_CACHED_VALUES 4096

/* The page cache of a real run, in KiB. */
#define CACHE_KB 65536

/* The indexes over what a rescore rewrites: score and status (in
 * lead_scores), and the upload state the outbox trigger sets again. Kept up to date row by row,
 * they cost three times the update itself; when a run rewrites many leads
 * they are dropped in its transaction and built again from scratch before
 * it commits (a sort), which readers never see. */
static const char *const rewritten_indexes[] = {
  "lead_scores_status_score", "lead_scores_score", "leads_event_upload",
};

/* Rebuilding pays when the event has this many leads and the first chunk
 * shows that at least a quarter of them change. */
static guint rebuild_min_leads = 20000;

void
_fl_rescore_set_rebuild_min_leads (guint n_leads)
{
  rebuild_min_leads = n_leads;
}

enum {
  COL_ID, COL_UUID, COL_CREATED_AT, COL_FIRST_FIELD,
  COL_SCORE = COL_FIRST_FIELD + FL_N_FIELDS, COL_STATUS, COL_MODEL_SHA256, COL_OVERRIDE_STATUS,
  COL_OVERRIDE_BY, COL_OVERRIDE_REASON, N_COLUMNS
};

/* One lead of a chunk, as read; the texts live in the chunk's strings. */
typedef struct
{
  gint64      id;
  const char *columns[N_COLUMNS];
  guint       first_answer, n_answers;
  guint       first_interaction, n_interactions;
} Row;

typedef struct
{
  gint64      id;
  const char *uuid;
  FlStatus    from;
  int         score_before;
  FlScore    *score;
} Update;

/* A chunk of leads: read on the thread that owns the connection, scored
 * on a worker thread, written back on the first. */
typedef struct
{
  GStringChunk *strings;
  GArray       *rows;           /* Row, in id order */
  GArray       *answers;        /* FlScoreAnswer */
  GArray       *interactions;   /* FlScoreInteraction */
  GPtrArray    *values;         /* JsonNode, answers not in the cache */
  GArray       *updates;        /* Update: what to write */
  GPtrArray    *changes;        /* FlRescoreChange: leads that moved */
  guint         n_changed;
  guint         n_overridden;
  guint         moves[3][3];
} Chunk;

/* What every chunk is scored with. */
typedef struct
{
  FlModel    *model;
  GDateTime  *now;
  FlLanguage  language;
  gboolean    dry_run;
  const char *actor;
} Job;

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

static void
update_clear (Update *update)
{
  g_clear_pointer (&update->score, fl_score_free);
}

static void
change_free (FlRescoreChange *change)
{
  g_free (change->uuid);
  g_free (change->name);
  g_free (change);
}

static Chunk *
chunk_new (void)
{
  Chunk *chunk = g_new0 (Chunk, 1);

  chunk->strings = g_string_chunk_new (64 * 1024);
  chunk->rows = g_array_sized_new (FALSE, TRUE, sizeof (Row), CHUNK);
  chunk->answers = g_array_new (FALSE, TRUE, sizeof (FlScoreAnswer));
  chunk->interactions = g_array_new (FALSE, TRUE, sizeof (FlScoreInteraction));
  chunk->values = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  chunk->updates = g_array_new (FALSE, TRUE, sizeof (Update));
  g_array_set_clear_func (chunk->updates, (GDestroyNotify) update_clear);
  chunk->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  return chunk;
}

static void
chunk_free (Chunk *chunk)
{
  g_string_chunk_free (chunk->strings);
  g_array_unref (chunk->rows);
  g_array_unref (chunk->answers);
  g_array_unref (chunk->interactions);
  g_ptr_array_unref (chunk->values);
  g_array_unref (chunk->updates);
  g_clear_pointer (&chunk->changes, g_ptr_array_unref);
  g_free (chunk);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Chunk, chunk_free)

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
  if (!fl_json_parser_load (parser, text, -1, NULL) || json_parser_get_root (parser) == NULL)
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

/* A chunk's leads reach each statement as one JSON text that json_each()
 * walks: one statement (and one statement journal) per chunk instead of
 * one per lead. Named parameters are bound when the statement has them. */
static gboolean
write_json (FlStore *store, const char *sql, const GString *json, const Job *job,
            const char *status, const char *now, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (json->len <= 2)  /* "{}" or "[]": nothing to write */
    return TRUE;
  stmt = fl_store_prepare (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":json"), json->str, json->len,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":status"), status, -1,
                     SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":model_name"),
                     fl_model_get_name (job->model), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, sqlite3_bind_parameter_index (stmt, ":model_version"),
                      fl_model_get_version (job->model));
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":model_sha256"),
                     fl_model_get_sha256 (job->model), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":now"), now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, sqlite3_bind_parameter_index (stmt, ":actor"), job->actor, -1,
                     SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

/* Appends @text as a JSON string: the uuids come from the database and
 * are not trusted to be plain. */
static void
append_json_string (GString *json, const char *text)
{
  g_string_append_c (json, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (json, '\\');
      if ((guchar) *p < 0x20)
        g_string_append_printf (json, "\\u%04x", (guint) (guchar) *p);
      else
        g_string_append_c (json, *p);
    }
  g_string_append_c (json, '"');
}

/* Binds the ids of a chunk's updates as one JSON array, for statements
 * that write them all at once. */
static gboolean
write_all (FlStore *store, const char *sql, Chunk *chunk, const char *text,
           gboolean (*wanted) (const Update *update), GError **error)
{
  sqlite3_stmt *stmt;
  GString *ids = g_string_new ("[");
  int rc;

  for (guint i = 0; i < chunk->updates->len; i++)
    {
      const Update *update = &g_array_index (chunk->updates, Update, i);

      if (wanted != NULL && !wanted (update))
        continue;
      if (ids->len > 1)
        g_string_append_c (ids, ',');
      g_string_append_printf (ids, "%" G_GINT64_FORMAT, update->id);
    }
  g_string_append_c (ids, ']');
  if (ids->len == 2)
    {
      g_string_free (ids, TRUE);
      return TRUE;
    }
  stmt = fl_store_prepare (store, sql, error);
  if (stmt == NULL)
    {
      g_string_free (ids, TRUE);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, ids->str, ids->len, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
  g_string_free (ids, TRUE);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

/* A new score or status is news for the CRM. */
static gboolean
is_news (const Update *update)
{
  return update->score->score != update->score_before || update->score->status != update->from;
}

static gboolean
moved_status (const Update *update)
{
  return update->score->status != update->from;
}

/* Writes a chunk's changed leads: score, status and model, the time they
 * were scored at in place of their breakdown, the outbox, and an audit
 * entry for each lead whose status moved (the run has one of its own). */
static gboolean
write_chunk (FlStore *store, Chunk *chunk, const Job *job, const char *now, const char *scored_at,
             const char *audit_now, GError **error)
{
  g_autoptr(GString) json = g_string_sized_new (16 * chunk->updates->len + 2);

  if (chunk->updates->len == 0)
    return TRUE;

  /* Only the narrow rows of lead_scores are written, never the lead's
   * own (its updated_at is the time its data was edited; the time it was
   * scored at is in lead_breakdowns). One statement per status, each with
   * {"lead id": score, …}. */
  for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
    {
      g_string_assign (json, "{");
      for (guint i = 0; i < chunk->updates->len; i++)
        {
          const Update *update = &g_array_index (chunk->updates, Update, i);

          if (!is_news (update) || update->score->status != status)
            continue;
          g_string_append_printf (json, "%s\"%" G_GINT64_FORMAT "\":%d", json->len > 1 ? "," : "",
                                  update->id, update->score->score);
        }
      g_string_append_c (json, '}');
      if (!write_json (store,
                       "UPDATE lead_scores SET score = j.value, status = :status, "
                       "model_name = :model_name, model_version = :model_version, "
                       "model_sha256 = :model_sha256 "
                       "FROM json_each (:json) j WHERE lead_scores.lead_id = CAST (j.key AS INTEGER)",
                       json, job, fl_status_to_string (status), NULL, error))
        return FALSE;
    }

  /* Score and status are in two indexes: a lead that only changes its
   * model leaves them alone. */
  g_string_assign (json, "[");
  for (guint i = 0; i < chunk->updates->len; i++)
    {
      const Update *update = &g_array_index (chunk->updates, Update, i);

      if (is_news (update))
        continue;
      g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "", update->id);
    }
  g_string_append_c (json, ']');
  if (!write_json (store,
                   "UPDATE lead_scores SET model_name = :model_name, "
                   "model_version = :model_version, model_sha256 = :model_sha256 "
                   "FROM json_each (:json) j WHERE lead_scores.lead_id = j.value",
                   json, job, NULL, NULL, error))
    return FALSE;

  /* "@" and the time: fl-store.c's mark for a breakdown to compute. */
  if (!write_all (store,
                  "INSERT INTO lead_breakdowns (lead_id, breakdown) "
                  "SELECT value, '@' || ?2 FROM json_each (?1) WHERE true "
                  "ON CONFLICT (lead_id) DO UPDATE SET breakdown = excluded.breakdown",
                  chunk, scored_at, NULL, error))
    return FALSE;

  /* Queued again for every enabled connector, as saving a lead does;
   * the consent gate's triggers keep out a lead without consent. */
  if (!write_all (store,
                  "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                  "SELECT j.value, c.name, 'pending', ?2 FROM json_each (?1) j, connectors c "
                  "WHERE c.enabled "
                  "ON CONFLICT (lead_id, connector) DO UPDATE SET "
                  "  state = 'pending', attempts = 0, next_attempt_at = NULL, "
                  "  last_error = NULL, queued_at = excluded.queued_at",
                  chunk, now, is_news, error))
    return FALSE;

  /* {"lead uuid": "MQL → SAL, score 40 → 70", …}, in lead order. */
  g_string_assign (json, "{");
  for (guint i = 0; i < chunk->updates->len; i++)
    {
      const Update *update = &g_array_index (chunk->updates, Update, i);

      if (!moved_status (update))
        continue;
      if (json->len > 1)
        g_string_append_c (json, ',');
      append_json_string (json, update->uuid);
      g_string_append_printf (json, ":\"%s → %s, score %d → %d\"",
                              fl_status_to_string (update->from),
                              fl_status_to_string (update->score->status),
                              update->score_before, update->score->score);
    }
  g_string_append_c (json, '}');
  return write_json (store,
                     "INSERT INTO audit (lead_uuid, at, actor, action, detail) "
                     "SELECT key, :now, :actor, 'rescored', "
                     "  value || ', model ' || :model_name || ' v' || :model_version "
                     "FROM json_each (:json) WHERE true",
                     json, job, NULL, audit_now, error);
}

/* An answer's value, from the cache or parsed; owned by the cache or the
 * chunk. */
static JsonNode *
answer_value (GHashTable *cache, JsonParser *parser, Chunk *chunk, const char *text)
{
  JsonNode *value = g_hash_table_lookup (cache, text);

  if (value != NULL)
    return value;
  value = parse (parser, text);
  if (value == NULL)
    return NULL;
  if (g_hash_table_size (cache) < MAX_CACHED_VALUES)
    g_hash_table_insert (cache, g_strdup (text), value);
  else
    g_ptr_array_add (chunk->values, value);
  return value;
}

/* Where a chunk is read from: the store's own connection, or a read
 * connection of the reader thread with its statements prepared once. */
typedef struct
{
  FlStore      *store;   /* or NULL */
  sqlite3      *db;
  sqlite3_stmt *statements[3];
} Source;

static sqlite3_stmt *
source_prepare (Source *source, guint i, const char *sql, GError **error)
{
  if (source->store != NULL)
    return fl_store_prepare (source->store, sql, error);
  return source->statements[i];
}

static gboolean
source_set_error (Source *source, GError **error)
{
  if (source->store != NULL)
    return fl_store_set_error (source->store, error);
  return _fl_store_set_sqlite_error (source->db, error);
}

/* Reads the leads after @last_id with their answers and interactions. */
static gboolean
read_chunk (Source *source, const char *event, gint64 last_id, GHashTable *cache,
            JsonParser *parser, Chunk *chunk, GError **error)
{
  sqlite3_stmt *stmt = source_prepare (source, 0, LEADS_SQL, error);
  Row *row = NULL;
  gint64 first_id;
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Row new_row = { 0 };

      new_row.id = last_id = sqlite3_column_int64 (stmt, COL_ID);
      for (guint i = 0; i < N_COLUMNS; i++)
        {
          const char *text = (const char *) sqlite3_column_text (stmt, i);

          if (text != NULL)
            new_row.columns[i] = g_string_chunk_insert_len (chunk->strings, text,
                                                            sqlite3_column_bytes (stmt, i));
        }
      g_array_append_val (chunk->rows, new_row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return source_set_error (source, error);
  if (chunk->rows->len == 0)
    return TRUE;
  first_id = g_array_index (chunk->rows, Row, 0).id;

  /* Both queries return a lead's rows together, in lead order. */
  stmt = source_prepare (source, 1, ANSWERS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  sqlite3_bind_int64 (stmt, 2, last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      FlScoreAnswer answer;

      if (row == NULL || row->id != id)
        {
          row = find_row (chunk->rows, id);
          if (row == NULL)
            continue;
          row->first_answer = chunk->answers->len;
        }
      answer.value = answer_value (cache, parser, chunk, (const char *) sqlite3_column_text (stmt, 2));
      if (answer.value == NULL)
        continue;
      answer.question_id = g_string_chunk_insert_const (chunk->strings,
                                                        (const char *) sqlite3_column_text (stmt, 1));
      g_array_append_val (chunk->answers, answer);
      row->n_answers++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return source_set_error (source, error);

  row = NULL;
  stmt = source_prepare (source, 2, INTERACTIONS_SQL, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, first_id);
  sqlite3_bind_int64 (stmt, 2, last_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      FlScoreInteraction interaction;

      if (row == NULL || row->id != id)
        {
          row = find_row (chunk->rows, id);
          if (row == NULL)
            continue;
          row->first_interaction = chunk->interactions->len;
        }
      interaction.kind = g_string_chunk_insert_const (chunk->strings,
                                                      (const char *) sqlite3_column_text (stmt, 1));
      interaction.at = g_string_chunk_insert (chunk->strings,
                                              (const char *) sqlite3_column_text (stmt, 2));
      g_array_append_val (chunk->interactions, interaction);
      row->n_interactions++;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return source_set_error (source, error);
  return TRUE;
}

/* Scores a chunk: counts the moves and, for a real run, keeps what is to
 * be written. Touches no database, so it runs on any thread. */
static void
score_chunk (const Job *job, Chunk *chunk)
{
  const char *sha256 = fl_model_get_sha256 (job->model);

  for (guint r = 0; r < chunk->rows->len; r++)
    {
      Row *row = &g_array_index (chunk->rows, Row, r);
      FlScoreInput input = { 0 };
      FlStatus from = FL_STATUS_MQL;
      FlScore *score;
      int score_before = row->columns[COL_SCORE] ? atoi (row->columns[COL_SCORE]) : 0;
      gboolean changed;

      for (guint i = 0; i < FL_N_FIELDS; i++)
        input.fields[i] = row->columns[COL_FIRST_FIELD + i];
      if (row->n_answers > 0)
        input.answers = &g_array_index (chunk->answers, FlScoreAnswer, row->first_answer);
      input.n_answers = row->n_answers;
      if (row->n_interactions > 0)
        input.interactions = &g_array_index (chunk->interactions, FlScoreInteraction,
                                             row->first_interaction);
      input.n_interactions = row->n_interactions;
      input.created_at = row->columns[COL_CREATED_AT];
      input.override_status = row->columns[COL_OVERRIDE_STATUS];
      input.override_by = row->columns[COL_OVERRIDE_BY];
      input.override_reason = row->columns[COL_OVERRIDE_REASON];
      fl_status_from_string (row->columns[COL_STATUS], &from);

      score = fl_scorer_score_input_brief (job->model, &input, job->now);
      chunk->moves[from][score->status]++;
      if (input.override_status != NULL)
        chunk->n_overridden++;
      changed = score->score != score_before || score->status != from ||
                g_strcmp0 (row->columns[COL_MODEL_SHA256], sha256) != 0;
      if (score->status != from)
        {
          FlRescoreChange *change = g_new0 (FlRescoreChange, 1);

          change->uuid = g_strdup (row->columns[COL_UUID]);
          change->name = display_name (row);
          change->from = from;
          change->to = score->status;
          change->score_before = score_before;
          change->score_after = score->score;
          g_ptr_array_add (chunk->changes, change);
        }
      if (changed)
        chunk->n_changed++;
      if (!changed || job->dry_run)
        {
          fl_score_free (score);
          continue;
        }

      /* The reasons are not written: they are computed again when the
       * lead is read (fl_scorer_fill_breakdown()). */
      g_array_set_size (chunk->updates, chunk->updates->len + 1);
      g_array_index (chunk->updates, Update, chunk->updates->len - 1) = (Update) {
        .id = row->id,
        .uuid = row->columns[COL_UUID],
        .from = from,
        .score_before = score_before,
        .score = score,
      };
    }
}

static void
report_add (FlRescoreReport *report, Chunk *chunk)
{
  report->n_leads += chunk->rows->len;
  report->n_changed += chunk->n_changed;
  report->n_overridden += chunk->n_overridden;
  report->n_moved += chunk->changes->len;
  for (guint from = 0; from < 3; from++)
    for (guint to = 0; to < 3; to++)
      report->moves[from][to] += chunk->moves[from][to];
  g_ptr_array_extend_and_steal (report->changes, g_steal_pointer (&chunk->changes));
}

/* The worker: scores the chunks it is given, in order, until it gets the
 * job itself back as the signal to stop. */
typedef struct
{
  const Job   *job;
  GAsyncQueue *to_score;
  GAsyncQueue *scored;
} Worker;

static gpointer
worker_run (gpointer data)
{
  Worker *worker = data;
  gpointer item;

  while ((item = g_async_queue_pop (worker->to_score)) != (gpointer) worker->job)
    {
      score_chunk (worker->job, item);
      g_async_queue_push (worker->scored, item);
    }
  return NULL;
}

/* The reader: reads the chunks on a connection of its own, in a read
 * transaction begun while the run's connection holds the write lock, so
 * it sees the same snapshot; reading then overlaps writing. At most
 * READ_AHEAD chunks wait to be written. */
#define READ_AHEAD 3

typedef struct
{
  Source       source;
  const char  *event;
  GHashTable  *cache;
  JsonParser  *parser;
  GAsyncQueue *chunks;   /* Chunk, in order; then the reader itself */
  GAsyncQueue *slots;    /* one item per chunk the reader may read ahead */
  gint         stop;
  gboolean     done;     /* its end was taken from chunks */
  GError      *error;
  GThread     *thread;
} Reader;

static gpointer
reader_run (gpointer data)
{
  Reader *reader = data;
  gint64 last_id = 0;
  gboolean full;

  for (;;)
    {
      g_autoptr(Chunk) chunk = NULL;

      g_async_queue_pop (reader->slots);
      if (g_atomic_int_get (&reader->stop))
        break;
      chunk = chunk_new ();
      if (!read_chunk (&reader->source, reader->event, last_id, reader->cache, reader->parser,
                       chunk, &reader->error))
        break;
      if (chunk->rows->len == 0)
        break;
      last_id = g_array_index (chunk->rows, Row, chunk->rows->len - 1).id;
      full = chunk->rows->len == CHUNK;
      g_async_queue_push (reader->chunks, g_steal_pointer (&chunk));
      if (!full)
        break;
    }
  sqlite3_exec (reader->source.db, "COMMIT", NULL, NULL, NULL);
  g_async_queue_push (reader->chunks, reader);
  return NULL;
}

static void
reader_free (Reader *reader)
{
  if (reader->thread != NULL)
    {
      /* Stopped early (an error while writing): let it end, drop what it read. */
      g_atomic_int_set (&reader->stop, TRUE);
      g_async_queue_push (reader->slots, reader);
      while (!reader->done)
        {
          gpointer item = g_async_queue_pop (reader->chunks);

          if (item == reader)
            reader->done = TRUE;
          else
            chunk_free (item);
        }
      g_thread_join (reader->thread);
    }
  for (guint i = 0; i < G_N_ELEMENTS (reader->source.statements); i++)
    sqlite3_finalize (reader->source.statements[i]);
  sqlite3_close (reader->source.db);
  g_clear_pointer (&reader->chunks, g_async_queue_unref);
  g_clear_pointer (&reader->slots, g_async_queue_unref);
  g_clear_error (&reader->error);
  g_free (reader);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Reader, reader_free)

/* Whether reads run beside the writes; off to test the store's own
 * connection. */
static gboolean use_reader = TRUE;

void
_fl_rescore_set_use_reader (gboolean use)
{
  use_reader = use;
}

/* Starts the reader when the store's file can be opened a second time in
 * WAL mode (readers beside a writer); %NULL otherwise, and the run reads
 * on the store's connection. Call with the run's transaction begun. */
static Reader *
reader_start (FlStore *store, const char *event, GHashTable *cache, JsonParser *parser)
{
  g_autoptr(Reader) reader = g_new0 (Reader, 1);
  const char *const sql[] = { LEADS_SQL, ANSWERS_SQL, INTERACTIONS_SQL };
  sqlite3 *db = fl_store_get_db (store);
  const char *path = sqlite3_db_filename (db, "main");
  sqlite3_stmt *stmt;
  gboolean wal = FALSE;

  if (!use_reader || path == NULL || *path == '\0')
    return NULL;
  stmt = fl_store_prepare (store, "PRAGMA journal_mode", NULL);
  if (stmt == NULL)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    wal = g_ascii_strcasecmp ((const char *) sqlite3_column_text (stmt, 0), "wal") == 0;
  sqlite3_reset (stmt);
  if (!wal)
    return NULL;

  if (sqlite3_open_v2 (path, &reader->source.db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    return NULL;
  sqlite3_busy_timeout (reader->source.db, 5000);
  for (guint i = 0; i < G_N_ELEMENTS (sql); i++)
    if (sqlite3_prepare_v3 (reader->source.db, sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                            &reader->source.statements[i], NULL) != SQLITE_OK)
      return NULL;
  /* The snapshot: taken now, while the run holds the write lock. */
  if (sqlite3_exec (reader->source.db, "BEGIN; SELECT count(*) FROM lead_scores WHERE lead_id = 0",
                    NULL, NULL, NULL) != SQLITE_OK)
    return NULL;

  reader->event = event;
  reader->cache = cache;
  reader->parser = parser;
  reader->chunks = g_async_queue_new ();
  reader->slots = g_async_queue_new ();
  for (guint i = 0; i < READ_AHEAD; i++)
    g_async_queue_push (reader->slots, reader);
  reader->thread = g_thread_new ("fl-rescore-read", reader_run, reader);
  g_debug ("Reading on a connection of its own, beside the writes");
  return g_steal_pointer (&reader);
}

/* The next chunk the reader read; empty at the end. */
static gboolean
reader_next (Reader *reader, Chunk **chunk, GError **error)
{
  gpointer item;

  if (reader->done)
    item = reader;
  else
    item = g_async_queue_pop (reader->chunks);
  if (item != reader)
    {
      g_async_queue_push (reader->slots, reader);
      *chunk = item;
      return TRUE;
    }
  reader->done = TRUE;
  g_thread_join (g_steal_pointer (&reader->thread));
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&reader->error));
      return FALSE;
    }
  *chunk = chunk_new ();
  return TRUE;
}

/* Drops the indexes a large run rewrites, keeping their SQL in @saved. */
static gboolean
drop_rewritten_indexes (FlStore *store, GPtrArray *saved, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, "SELECT count(*) FROM connectors WHERE enabled", error);
  gboolean uploading;

  if (stmt == NULL)
    return FALSE;
  uploading = sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0;
  sqlite3_reset (stmt);

  for (guint i = 0; i < G_N_ELEMENTS (rewritten_indexes); i++)
    {
      g_autofree char *drop = NULL;
      int rc;

      /* Without a connector no lead is queued again: its upload state stays. */
      if (!uploading && g_str_equal (rewritten_indexes[i], "leads_event_upload"))
        continue;
      stmt = fl_store_prepare (store, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?1",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, rewritten_indexes[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
        g_ptr_array_add (saved, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
      if (rc == SQLITE_DONE)
        continue;  /* not in this schema */
      if (rc != SQLITE_ROW)
        return fl_store_set_error (store, error);
      drop = g_strdup_printf ("DROP INDEX \"%s\"", rewritten_indexes[i]);
      if (!fl_store_exec (store, drop, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
create_indexes (FlStore *store, GPtrArray *saved, GError **error)
{
  for (guint i = 0; i < saved->len; i++)
    if (!fl_store_exec (store, g_ptr_array_index (saved, i), error))
      return FALSE;
  return TRUE;
}

/* Gives the memory back: the page cache a real run grew, and temporary
 * storage on disk as the rest of the store has it. */
static void
restore_settings (FlStore *store, const char *cache_size, gboolean dry_run)
{
  if (cache_size != NULL)
    fl_store_exec (store, cache_size, NULL);
  if (!dry_run)
    fl_store_exec (store, "PRAGMA temp_store = DEFAULT", NULL);
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
 * audit entry for the run and one per lead whose status moved, and queues
 * leads with a new score or status for upload. Manual statuses (overrides) stand. A @model from a file is
 * stored first, so leads always name a model the database holds.
 *
 * The thread that calls it writes the database; in a real run a reader
 * thread reads the chunks on a read-only connection of its own (same
 * snapshot) and a worker thread scores them, so reading, scoring and
 * writing overlap.
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
  g_autoptr(GHashTable) cache = NULL;
  g_autoptr(GAsyncQueue) to_score = NULL;
  g_autoptr(GAsyncQueue) scored = NULL;
  g_autofree char *now_text = NULL;
  g_autofree char *cache_size = NULL;
  g_autofree char *audit_now = NULL;
  g_autofree char *scored_at = NULL;
  g_autoptr(GPtrArray) dropped = g_ptr_array_new_with_free_func (g_free);
  Reader *reader = NULL;
  gint64 n_leads = 0;
  gboolean decided = FALSE;
  GThread *thread;
  Worker worker;
  Job job;
  gint64 last_id = 0;
  guint in_flight = 0;
  gboolean more = TRUE;
  gboolean ok = TRUE;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (model == NULL || FL_IS_MODEL (model), NULL);

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
    scored_at = g_date_time_format_iso8601 (utc);
  }

  report = g_new0 (FlRescoreReport, 1);
  report->model_name = g_strdup (fl_model_get_name (model));
  report->model_version = fl_model_get_version (model);
  report->changes = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);

  /* A statement that fires triggers (the audit's into the change log)
   * keeps a statement journal; past 64 KiB SQLite moves it to a temporary
   * file for the rest of the transaction, and a run wrote ~1.6 GB of
   * journal pages there. In memory the journal is dropped after each
   * statement. Only takes effect for a transaction begun after it. */
  if (!dry_run)
    fl_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);

  /* Even a dry run reads in a transaction, to count from one snapshot. */
  if (!(dry_run ? fl_store_exec (store, "BEGIN", error) : fl_store_begin (store, error)))
    {
      restore_settings (store, NULL, dry_run);
      return NULL;
    }
  if (!dry_run && active == NULL && fl_model_store_save (store, model, error) < 0)
    {
      fl_store_rollback (store);
      restore_settings (store, NULL, dry_run);
      return NULL;
    }

  /* A real run changes index pages all over the file: with the default
   * cache of 2 MB they were spilled to the WAL and read back again and
   * again. The cache only grows as pages are used. */
  if (!dry_run)
    {
      sqlite3_stmt *stmt = fl_store_prepare (store, "PRAGMA cache_size", error);

      if (stmt == NULL)
        {
          fl_store_rollback (store);
          restore_settings (store, NULL, dry_run);
          return NULL;
        }
      if (sqlite3_step (stmt) == SQLITE_ROW)
        cache_size = g_strdup_printf ("PRAGMA cache_size = %lld",
                                      (long long) sqlite3_column_int64 (stmt, 0));
      sqlite3_reset (stmt);
      fl_store_exec (store, "PRAGMA cache_size = -" G_STRINGIFY (CACHE_KB), NULL);

      stmt = fl_store_prepare (store, "SELECT count(*) FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1"), error);
      if (stmt == NULL)
        {
          fl_store_rollback (store);
          restore_settings (store, cache_size, dry_run);
          return NULL;
        }
      sqlite3_bind_text (stmt, 1, event->uuid, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n_leads = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
    }

  cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) json_node_unref);
  job = (Job) { model, now, fl_language_default (), dry_run, actor };
  audit_now = fl_now_iso8601 ();
  to_score = g_async_queue_new ();
  scored = g_async_queue_new ();
  worker = (Worker) { &job, to_score, scored };
  thread = g_thread_new ("fl-rescore", worker_run, &worker);
  /* A dry run writes nothing for reads to overlap with. */
  if (!dry_run)
    reader = reader_start (store, event->uuid, cache, parser);

  while (ok && (more || in_flight > 0))
    {
      if (more)
        {
          g_autoptr(Chunk) chunk = NULL;

          if (reader != NULL)
            ok = reader_next (reader, &chunk, error);
          else
            {
              Source source = { store };

              chunk = chunk_new ();
              ok = read_chunk (&source, event->uuid, last_id, cache, parser, chunk, error);
            }
          if (!ok)
            break;
          more = chunk->rows->len == CHUNK;
          if (chunk->rows->len > 0)
            {
              last_id = g_array_index (chunk->rows, Row, chunk->rows->len - 1).id;
              g_async_queue_push (to_score, g_steal_pointer (&chunk));
              in_flight++;
            }
          /* Read one chunk ahead, so the worker never waits for a read. */
          if (more && in_flight < 2)
            continue;
        }
      if (in_flight > 0)
        {
          g_autoptr(Chunk) chunk = g_async_queue_pop (scored);

          in_flight--;
          report_add (report, chunk);
          if (!decided && !dry_run)
            {
              decided = TRUE;
              if (n_leads >= rebuild_min_leads && chunk->updates->len * 4 >= chunk->rows->len)
                {
                  g_debug ("Rewriting most of %" G_GINT64_FORMAT " leads: indexes are built again",
                           n_leads);
                  ok = drop_rewritten_indexes (store, dropped, error);
                }
            }
          ok = ok && write_chunk (store, chunk, &job, now_text, scored_at, audit_now, error);
        }
    }

  g_clear_pointer (&reader, reader_free);
  g_async_queue_push (to_score, &job);
  g_thread_join (thread);
  while (in_flight-- > 0)
    chunk_free (g_async_queue_pop (scored));

  /* One audit entry for the run; each lead whose status moved has its own. */
  if (ok && !dry_run && report->n_changed > 0)
    {
      g_autofree char *detail =
        g_strdup_printf ("model %s v%" G_GINT64_FORMAT ": %u leads scored, %u changed, "
                         "%u moved status, at %s",
                         report->model_name, report->model_version, report->n_leads,
                         report->n_changed, report->n_moved, scored_at);

      ok = fl_store_add_audit (store, NULL, actor, "rescore-run", detail, error);
    }

  if (!ok)
    fl_store_rollback (store);
  else if (dry_run)
    fl_store_rollback (store);
  else if (!create_indexes (store, dropped, error))
    {
      fl_store_rollback (store);
      ok = FALSE;
    }
  else
    ok = fl_store_commit (store, error);
  restore_settings (store, cache_size, dry_run);
  return ok ? g_steal_pointer (&report) : NULL;
}
