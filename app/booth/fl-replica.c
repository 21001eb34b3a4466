/* fl-replica.c: what a booth's kiosks replicate to each other, and how
 *
 * The change log (store/fl-replica-schema.h) holds every change as
 * (device, seq, hlc, tbl, row_key, data). A store holds, for each device,
 * its changes 1…n without a gap, so {device: n} (the version vector) says
 * exactly what it holds, and a peer sends what lies above it.
 *
 * The state of a row is a function of the changes held for its key,
 * whatever order they arrived in: per field, the value of the change with
 * the highest (hlc, device) wins; a deletion is final (an erased lead stays
 * erased); append-only tables (interactions, consents, audit) are the union
 * of their entries. Applying changes therefore rebuilds each touched row
 * from the log ("materialises" it) instead of replaying the change on the
 * row: two stores that hold the same changes hold the same rows.
 *
 * Leads of the same visitor (two kiosks captured them before they met)
 * are one cluster: an alias fact "uuid A is uuid B" is itself a
 * replicated change; the cluster's survivor is its earliest capture (then
 * the smaller uuid), its fields the latest of all members per field, its
 * notes all members' notes, its answers, interactions and consents those
 * of all members. The other uuids stay in lead_aliases.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-replica"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-replica.h"
#include "lead/fl-json.h"
#include "score/fl-model-store.h"
#include "store/fl-capture.h"
#include "store/fl-replica-schema.h"
#include "store/fl-store-private.h"

G_DEFINE_QUARK (fl-replica-error-quark, fl_replica_error)

/* A batch decompresses to at most this many bytes: more is not a batch. */
#define MAX_BATCH_BYTES (512 * 1024 * 1024)
/* One change's data, at most. */
#define MAX_DATA_BYTES (4 * 1024 * 1024)
/* fl_replica_merge_file() moves changes in batches of about this size, so
 * an interrupted merge keeps what it committed. */
#define MERGE_BATCH_BYTES (1024 * 1024)
/* Above this many leads in one batch, the same visitor is looked for in
 * one pass over the event's leads rather than by a search per lead. */
#define BULK_DUPLICATE_CHECK 20

typedef struct
{
  char   *device;
  gint64  seq;
  gint64  hlc;
  char   *tbl;
  char   *row_key;
  char   *data;
} Change;

static void
change_free (Change *change)
{
  if (change == NULL)
    return;
  g_free (change->device);
  g_free (change->tbl);
  g_free (change->row_key);
  g_free (change->data);
  g_free (change);
}

/* One field's winning value and its stamp. */
typedef struct
{
  JsonNode *value;
  gint64    hlc;
  char     *device;
} Stamped;

static void
stamped_free (Stamped *stamped)
{
  json_node_unref (stamped->value);
  g_free (stamped->device);
  g_free (stamped);
}

static gboolean
stamp_newer (gint64 hlc, const char *device, const Stamped *than)
{
  return than == NULL || hlc > than->hlc || (hlc == than->hlc && strcmp (device, than->device) > 0);
}

/* The state of one key: field → Stamped, and whether it was deleted. */
typedef struct
{
  GHashTable *fields;
  gboolean    deleted;
  gboolean    seen;
} Fold;

static void
fold_init (Fold *fold)
{
  fold->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) stamped_free);
  fold->deleted = FALSE;
  fold->seen = FALSE;
}

static void
fold_clear (Fold *fold)
{
  g_clear_pointer (&fold->fields, g_hash_table_unref);
}

static void
fold_offer (Fold *fold, const char *name, JsonNode *value, gint64 hlc, const char *device)
{
  Stamped *old = g_hash_table_lookup (fold->fields, name);
  Stamped *stamped;

  if (!stamp_newer (hlc, device, old))
    return;
  stamped = g_new0 (Stamped, 1);
  stamped->value = json_node_copy (value);
  stamped->hlc = hlc;
  stamped->device = g_strdup (device);
  g_hash_table_replace (fold->fields, g_strdup (name), stamped);
}

static JsonNode *
fold_get (Fold *fold, const char *name)
{
  Stamped *stamped = g_hash_table_lookup (fold->fields, name);

  return stamped ? stamped->value : NULL;
}

static const char *
fold_get_string (Fold *fold, const char *name)
{
  JsonNode *node = fold_get (fold, name);

  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* The tables a change may name, and the fields of each that become
 * columns. Names from a peer are only ever compared with these. */
static const char *const lead_columns[] = {
  "event", "created_at", "updated_at", "captured_by", "device", "source", "raw_payload",
  "badge_id", "first_name", "last_name", "full_name", "email", "phone", "mobile", "company",
  "title", "department", "street", "city", "postal_code", "region", "country", "website",
  "notes", "override_status", "override_by", "override_reason", NULL
};
static const char *const attendee_columns[] = {
  "first_name", "last_name", "full_name", "email", "phone", "mobile", "company", "title",
  "department", "street", "city", "postal_code", "region", "country", "website", "extra",
  "imported_at", NULL
};
static const char *const event_columns[] = {
  "name", "starts_on", "ends_on", "venue", "booth", "created_at", "settings", NULL
};

static const char *const known_tables[] = {
  "models", "events", "staff", "attendees", "leads", "answers", "interactions", "consents",
  "audit", "outbox", "lead_aliases", NULL
};

static gboolean
is_lead_table (const char *tbl)
{
  return g_str_equal (tbl, "leads") || g_str_equal (tbl, "answers") ||
         g_str_equal (tbl, "interactions") || g_str_equal (tbl, "consents") ||
         g_str_equal (tbl, "outbox");
}

static void
bind_node (sqlite3_stmt *stmt, int index, JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    sqlite3_bind_null (stmt, index);
  else if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType type = json_node_get_value_type (node);

      if (type == G_TYPE_INT64)
        sqlite3_bind_int64 (stmt, index, json_node_get_int (node));
      else if (type == G_TYPE_DOUBLE)
        sqlite3_bind_double (stmt, index, json_node_get_double (node));
      else if (type == G_TYPE_BOOLEAN)
        sqlite3_bind_int (stmt, index, json_node_get_boolean (node));
      else
        sqlite3_bind_text (stmt, index, json_node_get_string (node), -1, SQLITE_TRANSIENT);
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);
      sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
    }
}

static gint64
query_id (FlStore *store, const char *sql, const char *text, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, error);
  gint64 id = 0;
  int rc;

  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, text);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return -1;
    }
  return id;
}

static gboolean
run (FlStore *store, const char *sql, const char *a, const char *b, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, a);
  fl_store_bind_text (stmt, 2, b);
  return fl_store_step_done (store, stmt, error);
}

/* Folds the changes held for (@tbl, @key) into @fold. */
static gboolean
fold_key (FlStore *store, const char *tbl, const char *key, Fold *fold, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
                                         "SELECT hlc, device, data FROM changes "
                                         "WHERE tbl = ?1 AND row_key = ?2 ORDER BY hlc, device",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, tbl);
  fl_store_bind_text (stmt, 2, key);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 hlc = sqlite3_column_int64 (stmt, 0);
      const char *device = (const char *) sqlite3_column_text (stmt, 1);
      g_autoptr(JsonNode) data = fl_json_parse ((const char *) sqlite3_column_text (stmt, 2), -1, NULL);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      fold->seen = TRUE;
      if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
        continue;
      json_object_iter_init (&iter, json_node_get_object (data));
      while (json_object_iter_next (&iter, &name, &value))
        {
          if (g_str_equal (name, "_deleted"))
            fold->deleted = TRUE;
          else
            fold_offer (fold, name, value, hlc, device);
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

/* Folds every key of @tbl that starts with "@uuid|" into one Fold per
 * rest of the key (question id, "kind|at"…), in @folds. */
static gboolean
fold_children (FlStore *store, const char *tbl, const char *uuid, GHashTable *folds,
               GError **error)
{
  g_autofree char *low = g_strconcat (uuid, "|", NULL);
  g_autofree char *high = g_strconcat (uuid, "}", NULL);
  sqlite3_stmt *stmt = fl_store_prepare (store,
                                         "SELECT row_key, hlc, device, data FROM changes "
                                         "WHERE tbl = ?1 AND row_key >= ?2 AND row_key < ?3 "
                                         "ORDER BY hlc, device",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, tbl);
  fl_store_bind_text (stmt, 2, low);
  fl_store_bind_text (stmt, 3, high);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *rest = (const char *) sqlite3_column_text (stmt, 0) + strlen (low);
      gint64 hlc = sqlite3_column_int64 (stmt, 1);
      const char *device = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(JsonNode) data = fl_json_parse ((const char *) sqlite3_column_text (stmt, 3), -1, NULL);
      Fold *fold = g_hash_table_lookup (folds, rest);
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      if (fold == NULL)
        {
          fold = g_new0 (Fold, 1);
          fold_init (fold);
          g_hash_table_insert (folds, g_strdup (rest), fold);
        }
      fold->seen = TRUE;
      if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
        continue;
      json_object_iter_init (&iter, json_node_get_object (data));
      while (json_object_iter_next (&iter, &name, &value))
        fold_offer (fold, name, value, hlc, device);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

static void
fold_free (Fold *fold)
{
  fold_clear (fold);
  g_free (fold);
}

static GHashTable *
folds_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) fold_free);
}

/* Apply: the state of an apply, from the first change to the commit. */
typedef struct
{
  FlStore        *store;
  FlReplicaStats *stats;
  GHashTable     *dirty_leads;    /* uuid set */
  GHashTable     *dirty_rows;     /* "tbl\x1fkey" set, for the tables that are not leads' */
  GHashTable     *alias_edges;    /* uuid → GPtrArray of uuids */
  GHashTable     *materialised;   /* survivor uuid set, for the duplicate check and rescore */
} Apply;

static void
add_edge (GHashTable *edges, const char *a, const char *b)
{
  GPtrArray *list = g_hash_table_lookup (edges, a);

  if (list == NULL)
    {
      list = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (edges, g_strdup (a), list);
    }
  g_ptr_array_add (list, g_strdup (b));
}

static gboolean
load_alias_edges (Apply *apply, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (apply->store,
                                         "SELECT row_key, json_extract (data, '$.lead') FROM changes "
                                         "WHERE tbl = 'lead_aliases'",
                                         error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  g_hash_table_remove_all (apply->alias_edges);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *alias = (const char *) sqlite3_column_text (stmt, 0);
      const char *lead = (const char *) sqlite3_column_text (stmt, 1);

      if (alias == NULL || lead == NULL)
        continue;
      add_edge (apply->alias_edges, alias, lead);
      add_edge (apply->alias_edges, lead, alias);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (apply->store, error);
  return TRUE;
}

/* The uuids connected to @uuid by alias facts, @uuid included. */
static GPtrArray *
cluster_of (Apply *apply, const char *uuid)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *members = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (members, g_strdup (uuid));
  g_hash_table_add (seen, g_ptr_array_index (members, 0));
  for (guint i = 0; i < members->len; i++)
    {
      GPtrArray *next = g_hash_table_lookup (apply->alias_edges, g_ptr_array_index (members, i));

      for (guint j = 0; next != NULL && j < next->len; j++)
        if (!g_hash_table_contains (seen, g_ptr_array_index (next, j)))
          {
            char *member = g_strdup (g_ptr_array_index (next, j));
            g_ptr_array_add (members, member);
            g_hash_table_add (seen, member);
          }
    }
  return members;
}

/* Logs a change of this device by hand: while changes are applied the
 * triggers log nothing. */
static gboolean
log_local (FlStore *store, const char *tbl, const char *key, const char *data, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
    "INSERT INTO changes (device, seq, hlc, tbl, row_key, data) "
    "SELECT d.value, " FL_REPLICA_NEXT_SEQ ("d.value") ", "
    "  max (" FL_REPLICA_NOW_HLC ", " FL_REPLICA_HELD_HLC " + 1), ?1, ?2, ?3 "
    "FROM meta d WHERE d.key = 'device_id'",
    error);

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, tbl);
  fl_store_bind_text (stmt, 2, key);
  fl_store_bind_text (stmt, 3, data);
  return fl_store_step_done (store, stmt, error);
}

static gboolean
erase_member (FlStore *store, const char *uuid, GError **error)
{
  g_autofree char *low = g_strconcat (uuid, "|", NULL);
  g_autofree char *high = g_strconcat (uuid, "}", NULL);
  sqlite3_stmt *stmt;

  if (!run (store, "DELETE FROM leads WHERE uuid = ?1", uuid, NULL, error) ||
      !run (store, "UPDATE audit SET detail = NULL WHERE lead_uuid = ?1", uuid, NULL, error) ||
      !run (store, "UPDATE changes SET data = '{}' WHERE tbl = 'leads' AND row_key = ?1 "
                   "AND data NOT LIKE '%\"_deleted\"%'", uuid, NULL, error) ||
      !run (store, "UPDATE changes SET data = json_set (data, '$.detail', NULL) "
                   "WHERE tbl = 'audit' AND json_extract (data, '$.lead_uuid') = ?1", uuid, NULL, error))
    return FALSE;
  stmt = fl_store_prepare (store,
                           "UPDATE changes SET data = '{}' WHERE tbl IN ('answers', 'interactions', "
                           "'consents', 'outbox') AND row_key >= ?1 AND row_key < ?2",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, low);
  fl_store_bind_text (stmt, 2, high);
  return fl_store_step_done (store, stmt, error);
}

static int
compare_members (const char *created_a, const char *uuid_a, const char *created_b,
                 const char *uuid_b)
{
  int order = strcmp (created_a, created_b);

  return order != 0 ? order : strcmp (uuid_a, uuid_b);
}

static char *
join_notes (Fold **folds, guint n_members, guint survivor, const guint *order)
{
  GString *notes = NULL;
  const char *own = fold_get_string (folds[survivor], "notes");

  if (own != NULL)
    notes = g_string_new (own);
  for (guint k = 0; k < n_members; k++)
    {
      guint i = order[k];
      const char *other = folds[i] ? fold_get_string (folds[i], "notes") : NULL;

      if (i == survivor || other == NULL || other[0] == '\0')
        continue;
      if (notes == NULL)
        notes = g_string_new (other);
      else if (strstr (notes->str, other) == NULL)
        g_string_append_printf (notes, "\n%s", other);
    }
  return notes ? g_string_free (notes, FALSE) : NULL;
}

static gboolean
upsert_lead (FlStore *store, const char *uuid, Fold *merged, const char *created_at,
             const char *notes, GError **error)
{
  g_autoptr(GString) sql = g_string_new ("INSERT INTO leads (uuid");
  g_autoptr(GString) values = g_string_new (") VALUES (?1");
  g_autoptr(GString) update = g_string_new (" ON CONFLICT (uuid) DO UPDATE SET ");
  sqlite3_stmt *stmt;

  for (guint i = 0; lead_columns[i] != NULL; i++)
    {
      g_string_append_printf (sql, ", %s", lead_columns[i]);
      g_string_append_printf (values, ", ?%u", i + 2);
      g_string_append_printf (update, "%s%s = excluded.%s", i ? ", " : "", lead_columns[i],
                              lead_columns[i]);
    }
  /* The local event key with the row (lead_columns begins with "event",
   * ?2), so the trigger that mends a missing one has nothing to do. */
  g_assert (g_str_equal (lead_columns[0], "event"));
  g_string_append (sql, ", event_key");
  g_string_append (values, ", " FL_STORE_SQL_EVENT_KEY ("?2"));
  g_string_append (update, ", event_key = excluded.event_key");
  g_string_append (sql, values->str);
  g_string_append (sql, ")");
  g_string_append (sql, update->str);
  stmt = fl_store_prepare (store, sql->str, error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, uuid);
  for (guint i = 0; lead_columns[i] != NULL; i++)
    {
      if (g_str_equal (lead_columns[i], "created_at"))
        fl_store_bind_text (stmt, i + 2, created_at);
      else if (g_str_equal (lead_columns[i], "notes"))
        fl_store_bind_text (stmt, i + 2, notes);
      else
        bind_node (stmt, i + 2, fold_get (merged, lead_columns[i]));
    }
  return fl_store_step_done (store, stmt, error);
}

static gboolean
materialise_children (Apply *apply, GPtrArray *members, gint64 lead_id, const char *revision,
                      GError **error)
{
  FlStore *store = apply->store;
  g_autoptr(GHashTable) answers = folds_new ();
  g_autoptr(GHashTable) interactions = folds_new ();
  g_autoptr(GHashTable) consents = folds_new ();
  g_autoptr(GHashTable) done = folds_new ();
  GHashTableIter iter;
  const char *rest;
  Fold *fold;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < members->len; i++)
    {
      const char *member = g_ptr_array_index (members, i);

      if (!fold_children (store, "answers", member, answers, error) ||
          !fold_children (store, "interactions", member, interactions, error) ||
          !fold_children (store, "consents", member, consents, error) ||
          !fold_children (store, "outbox", member, done, error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rest, (gpointer *) &fold))
    {
      const char *value = fold_get_string (fold, "value");

      if (value == NULL)
        continue;
      stmt = fl_store_prepare (store,
                               "INSERT INTO answers (lead_id, question_id, value) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (lead_id, question_id) DO UPDATE SET value = excluded.value "
                               "WHERE value IS NOT excluded.value",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lead_id);
      fl_store_bind_text (stmt, 2, rest);
      fl_store_bind_text (stmt, 3, value);
      if (!fl_store_step_done (store, stmt, error))
        return FALSE;
    }

  g_hash_table_iter_init (&iter, interactions);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rest, (gpointer *) &fold))
    {
      const char *kind = fold_get_string (fold, "kind");
      const char *at = fold_get_string (fold, "at");

      if (kind == NULL || at == NULL)
        continue;
      stmt = fl_store_prepare (store,
                               "INSERT INTO interactions (lead_id, kind, at) SELECT ?1, ?2, ?3 "
                               "WHERE NOT EXISTS (SELECT 1 FROM interactions WHERE lead_id = ?1 "
                               "AND kind = ?2 AND at = ?3)",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lead_id);
      fl_store_bind_text (stmt, 2, kind);
      fl_store_bind_text (stmt, 3, at);
      if (!fl_store_step_done (store, stmt, error))
        return FALSE;
    }

  /* The ledger first: the outbox rows below pass the consent gate. */
  g_hash_table_iter_init (&iter, consents);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rest, (gpointer *) &fold))
    {
      JsonNode *given = fold_get (fold, "given");

      if (fold_get_string (fold, "at") == NULL || given == NULL || !JSON_NODE_HOLDS_VALUE (given))
        continue;
      stmt = fl_store_prepare (store,
                               "INSERT INTO consents (lead_id, text_version, text_sha256, text_source, "
                               "language, given, method, staff, at) "
                               "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9 WHERE NOT EXISTS ("
                               "  SELECT 1 FROM consents WHERE lead_id = ?1 AND at = ?9"
                               "  AND given = ?6 AND coalesce (text_version, '') = coalesce (?2, ''))",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lead_id);
      bind_node (stmt, 2, fold_get (fold, "text_version"));
      bind_node (stmt, 3, fold_get (fold, "text_sha256"));
      bind_node (stmt, 4, fold_get (fold, "text_source"));
      bind_node (stmt, 5, fold_get (fold, "language"));
      bind_node (stmt, 6, given);
      bind_node (stmt, 7, fold_get (fold, "method"));
      bind_node (stmt, 8, fold_get (fold, "staff"));
      bind_node (stmt, 9, fold_get (fold, "at"));
      if (!fl_store_step_done (store, stmt, error))
        return FALSE;
    }

  /* This kiosk's connectors get the lead's revision (the gate keeps out
   * what may not go), as a save queues it... */
  stmt = fl_store_prepare (store,
                           "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                           "SELECT ?1, name, 'pending', ?2 FROM connectors WHERE enabled "
                           "ON CONFLICT (lead_id, connector) DO UPDATE SET state = 'pending', "
                           "  attempts = 0, next_attempt_at = NULL, last_error = NULL, "
                           "  queued_at = excluded.queued_at "
                           "WHERE state <> 'sending' AND queued_at < excluded.queued_at",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, lead_id);
  fl_store_bind_text (stmt, 2, revision);
  if (!fl_store_step_done (store, stmt, error))
    return FALSE;

  /* ...unless another kiosk delivered this revision already (or a later
   * one: the revision here is then one that kiosk had not seen, and it
   * stays queued). */
  g_hash_table_iter_init (&iter, done);
  while (g_hash_table_iter_next (&iter, (gpointer *) &rest, (gpointer *) &fold))
    {
      JsonNode *delivered = fold_get (fold, "revision");

      if (delivered == NULL || !JSON_NODE_HOLDS_VALUE (delivered) ||
          json_node_get_value_type (delivered) != G_TYPE_INT64)
        continue;
      stmt = fl_store_prepare (store,
                               "UPDATE outbox SET state = 'done', remote_id = ?3, done_at = ?4, "
                               "  last_error = NULL, next_attempt_at = NULL "
                               "WHERE lead_id = ?1 AND connector = ?2 AND state IN ('pending', 'failed') "
                               "AND coalesce (" FL_REPLICA_REVISION ("(SELECT uuid FROM leads WHERE id = ?1)")
                               ", 0) <= ?5",
                               error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, lead_id);
      fl_store_bind_text (stmt, 2, rest);
      bind_node (stmt, 3, fold_get (fold, "remote_id"));
      bind_node (stmt, 4, fold_get (fold, "done_at"));
      sqlite3_bind_int64 (stmt, 5, json_node_get_int (delivered));
      if (!fl_store_step_done (store, stmt, error))
        return FALSE;
    }
  return TRUE;
}

/* Rebuilds the lead cluster of @uuid from the log. */
static gboolean
materialise_lead (Apply *apply, const char *uuid, GError **error)
{
  FlStore *store = apply->store;
  g_autoptr(GPtrArray) members = cluster_of (apply, uuid);
  g_autofree Fold **folds = g_new0 (Fold *, members->len);
  g_autofree guint *order = g_new0 (guint, members->len);
  g_autofree char *notes = NULL;
  Fold merged;
  gboolean deleted = FALSE;
  gboolean ok = FALSE;
  guint n_complete = 0;
  gint survivor = -1;
  const char *survivor_uuid;
  gint64 lead_id;

  fold_init (&merged);
  for (guint i = 0; i < members->len; i++)
    {
      folds[i] = g_new0 (Fold, 1);
      fold_init (folds[i]);
      if (!fold_key (store, "leads", g_ptr_array_index (members, i), folds[i], error))
        goto out;
      deleted |= folds[i]->deleted;
    }

  if (deleted)
    {
      /* Erased anywhere: the visitor is erased, under every uuid. */
      for (guint i = 0; i < members->len; i++)
        if (!erase_member (store, g_ptr_array_index (members, i), error))
          goto out;
      ok = TRUE;
      goto out;
    }

  for (guint i = 0; i < members->len; i++)
    {
      const char *created = fold_get_string (folds[i], "created_at");

      if (created == NULL || fold_get_string (folds[i], "source") == NULL ||
          fold_get_string (folds[i], "updated_at") == NULL)
        continue;
      order[n_complete++] = i;
      if (survivor < 0 ||
          compare_members (created, g_ptr_array_index (members, i),
                           fold_get_string (folds[survivor], "created_at"),
                           g_ptr_array_index (members, survivor)) < 0)
        survivor = i;
    }
  if (survivor < 0)
    {
      ok = TRUE; /* its first change has not arrived yet */
      goto out;
    }
  /* Members in capture order, for the notes. */
  for (guint a = 1; a < n_complete; a++)
    for (guint b = a; b > 0; b--)
      {
        guint x = order[b - 1], y = order[b];

        if (compare_members (fold_get_string (folds[x], "created_at"), g_ptr_array_index (members, x),
                             fold_get_string (folds[y], "created_at"), g_ptr_array_index (members, y)) <= 0)
          break;
        order[b - 1] = y;
        order[b] = x;
      }

  for (guint k = 0; k < n_complete; k++)
    {
      GHashTableIter iter;
      const char *name;
      Stamped *stamped;

      g_hash_table_iter_init (&iter, folds[order[k]]->fields);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &stamped))
        fold_offer (&merged, name, stamped->value, stamped->hlc, stamped->device);
    }
  survivor_uuid = g_ptr_array_index (members, survivor);
  notes = join_notes (folds, n_complete, survivor, order);
  if (fold_get_string (&merged, "event") != NULL &&
      query_id (store, "SELECT 1 FROM events WHERE uuid = ?1", fold_get_string (&merged, "event"),
                error) <= 0)
    {
      /* Its event has not arrived: the lead waits for it in the log. */
      ok = error == NULL || *error == NULL;
      goto out;
    }
  if (!upsert_lead (store, survivor_uuid, &merged, fold_get_string (folds[survivor], "created_at"),
                    notes, error))
    goto out;
  lead_id = query_id (store, "SELECT id FROM leads WHERE uuid = ?1", survivor_uuid, error);
  if (lead_id <= 0)
    goto out;

  for (guint i = 0; i < members->len; i++)
    {
      const char *member = g_ptr_array_index (members, i);
      gint64 member_id;
      sqlite3_stmt *stmt;

      if ((gint) i == survivor)
        continue;
      member_id = query_id (store, "SELECT id FROM leads WHERE uuid = ?1", member, error);
      if (member_id < 0)
        goto out;
      if (member_id > 0)
        {
          /* What only this kiosk knows of the merged lead goes with it. */
          stmt = fl_store_prepare (store,
                                   "UPDATE sync_log SET lead_id = ?1 WHERE lead_id = ?2", error);
          if (stmt == NULL)
            goto out;
          sqlite3_bind_int64 (stmt, 1, lead_id);
          sqlite3_bind_int64 (stmt, 2, member_id);
          if (!fl_store_step_done (store, stmt, error))
            goto out;
          stmt = fl_store_prepare (store,
                                   "UPDATE OR IGNORE card_photos SET lead_id = ?1 WHERE lead_id = ?2",
                                   error);
          if (stmt == NULL)
            goto out;
          sqlite3_bind_int64 (stmt, 1, lead_id);
          sqlite3_bind_int64 (stmt, 2, member_id);
          if (!fl_store_step_done (store, stmt, error) ||
              !run (store, "DELETE FROM leads WHERE uuid = ?1", member, NULL, error))
            goto out;
        }
      if (!run (store, "INSERT INTO lead_aliases (alias, lead) VALUES (?1, ?2) "
                       "ON CONFLICT (alias) DO UPDATE SET lead = excluded.lead",
                member, survivor_uuid, error) ||
          !run (store, "UPDATE lead_aliases SET lead = ?2 WHERE lead = ?1", member, survivor_uuid,
                error))
        goto out;
    }

  if (!materialise_children (apply, members, lead_id, fold_get_string (&merged, "updated_at"), error))
    goto out;
  g_hash_table_add (apply->materialised, g_strdup (survivor_uuid));
  ok = TRUE;

out:
  for (guint i = 0; i < members->len; i++)
    if (folds[i] != NULL)
      fold_free (folds[i]);
  fold_clear (&merged);
  return ok;
}

/* Splits "a|b" at the first bar. */
static char *
split_key (const char *key, const char **rest)
{
  const char *bar = strchr (key, '|');

  if (bar == NULL)
    {
      *rest = NULL;
      return g_strdup (key);
    }
  *rest = bar + 1;
  return g_strndup (key, bar - key);
}

static gboolean
materialise_row (Apply *apply, const char *tbl, const char *key, GError **error)
{
  FlStore *store = apply->store;
  Fold fold;
  sqlite3_stmt *stmt;
  gboolean ok = FALSE;

  fold_init (&fold);
  if (!fold_key (store, tbl, key, &fold, error))
    goto out;

  if (g_str_equal (tbl, "models"))
    {
      stmt = fl_store_prepare (store,
                               "INSERT OR IGNORE INTO models (name, version, sha256, json, loaded_at) "
                               "SELECT ?1, ?2, ?3, ?4, ?5 WHERE ?1 IS NOT NULL AND ?2 IS NOT NULL "
                               "AND ?4 IS NOT NULL AND ?5 IS NOT NULL",
                               error);
      if (stmt == NULL)
        goto out;
      bind_node (stmt, 1, fold_get (&fold, "name"));
      bind_node (stmt, 2, fold_get (&fold, "version"));
      fl_store_bind_text (stmt, 3, key);
      bind_node (stmt, 4, fold_get (&fold, "json"));
      bind_node (stmt, 5, fold_get (&fold, "loaded_at"));
      ok = fl_store_step_done (store, stmt, error);
    }
  else if (g_str_equal (tbl, "events"))
    {
      g_autoptr(GString) sql = g_string_new ("INSERT INTO events (uuid, model_id");
      g_autoptr(GString) values = g_string_new (") SELECT ?1, (SELECT id FROM models WHERE sha256 = ?2)");
      g_autoptr(GString) update = g_string_new (" WHERE ?3 IS NOT NULL AND ?8 IS NOT NULL "
                                                "ON CONFLICT (uuid) DO UPDATE SET model_id = excluded.model_id");

      for (guint i = 0; event_columns[i] != NULL; i++)
        {
          g_string_append_printf (sql, ", %s", event_columns[i]);
          g_string_append_printf (values, ", ?%u", i + 3);
          g_string_append_printf (update, ", %s = excluded.%s", event_columns[i], event_columns[i]);
        }
      g_string_append (sql, values->str);
      g_string_append (sql, update->str);
      stmt = fl_store_prepare (store, sql->str, error);
      if (stmt == NULL)
        goto out;
      fl_store_bind_text (stmt, 1, key);
      bind_node (stmt, 2, fold_get (&fold, "model"));
      for (guint i = 0; event_columns[i] != NULL; i++)
        bind_node (stmt, i + 3, fold_get (&fold, event_columns[i]));
      if (fold_get (&fold, "settings") == NULL)
        fl_store_bind_text (stmt, 9, "{}");
      if (!fl_store_step_done (store, stmt, error))
        goto out;
      /* A kiosk that joins a booth works at the booth's event. */
      ok = run (store, "INSERT OR IGNORE INTO meta (key, value) SELECT 'active_event', uuid "
                       "FROM events WHERE uuid = ?1", key, NULL, error);
    }
  else if (g_str_equal (tbl, "staff"))
    {
      if (fold.deleted)
        ok = run (store, "DELETE FROM staff WHERE name = ?1", key, NULL, error);
      else
        {
          stmt = fl_store_prepare (store,
                                   "INSERT INTO staff (name, pin_hash, created_at) SELECT ?1, ?2, ?3 "
                                   "WHERE ?2 IS NOT NULL AND ?3 IS NOT NULL "
                                   "ON CONFLICT (name) DO UPDATE SET pin_hash = excluded.pin_hash, "
                                   "created_at = excluded.created_at",
                                   error);
          if (stmt == NULL)
            goto out;
          fl_store_bind_text (stmt, 1, key);
          bind_node (stmt, 2, fold_get (&fold, "pin_hash"));
          bind_node (stmt, 3, fold_get (&fold, "created_at"));
          ok = fl_store_step_done (store, stmt, error);
        }
    }
  else if (g_str_equal (tbl, "attendees"))
    {
      const char *badge;
      g_autofree char *event = split_key (key, &badge);

      if (badge == NULL)
        ok = TRUE;
      else if (fold.deleted)
        ok = run (store, "DELETE FROM attendees WHERE event = ?1 AND badge_id = ?2", event, badge, error);
      else
        {
          g_autoptr(GString) sql = g_string_new ("INSERT INTO attendees (event, badge_id");
          g_autoptr(GString) values = g_string_new (") SELECT ?1, ?2");
          g_autoptr(GString) update = g_string_new (" WHERE EXISTS (SELECT 1 FROM events WHERE uuid = ?1) "
                                                    "AND ?19 IS NOT NULL "
                                                    "ON CONFLICT (event, badge_id) DO UPDATE SET badge_id = excluded.badge_id");

          for (guint i = 0; attendee_columns[i] != NULL; i++)
            {
              g_string_append_printf (sql, ", %s", attendee_columns[i]);
              g_string_append_printf (values, ", ?%u", i + 3);
              g_string_append_printf (update, ", %s = excluded.%s", attendee_columns[i],
                                      attendee_columns[i]);
            }
          g_string_append (sql, values->str);
          g_string_append (sql, update->str);
          stmt = fl_store_prepare (store, sql->str, error);
          if (stmt == NULL)
            goto out;
          fl_store_bind_text (stmt, 1, event);
          fl_store_bind_text (stmt, 2, badge);
          for (guint i = 0; attendee_columns[i] != NULL; i++)
            bind_node (stmt, i + 3, fold_get (&fold, attendee_columns[i]));
          ok = fl_store_step_done (store, stmt, error);
        }
    }
  else
    ok = TRUE;

out:
  fold_clear (&fold);
  return ok;
}

static gboolean
rescore (FlStore *store, const char *uuid, GError **error)
{
  g_autoptr(FlLead) lead = fl_store_get_lead (store, uuid, NULL);
  g_autofree char *now = fl_now_iso8601 ();
  g_autofree char *mark = NULL;
  JsonNode *model;
  JsonObject *object;
  sqlite3_stmt *stmt;

  if (lead == NULL)
    return TRUE;
  if (!fl_scorer_score_lead (store, lead, error))
    return FALSE;
  model = fl_lead_get_model (lead);
  if (model == NULL || !JSON_NODE_HOLDS_OBJECT (model))
    return TRUE;
  object = json_node_get_object (model);
  stmt = fl_store_prepare (store,
                           "UPDATE lead_scores SET score = ?2, status = ?3, model_name = ?4, "
                           "model_version = ?5, model_sha256 = ?6 "
                           "WHERE lead_id = (SELECT id FROM leads WHERE uuid = ?1)",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, uuid);
  sqlite3_bind_int (stmt, 2, fl_lead_get_score (lead));
  fl_store_bind_text (stmt, 3, fl_status_to_string (fl_lead_get_status (lead)));
  fl_store_bind_text (stmt, 4, json_object_get_string_member_with_default (object, "name", NULL));
  sqlite3_bind_int64 (stmt, 5, json_object_get_int_member_with_default (object, "version", 0));
  fl_store_bind_text (stmt, 6, json_object_get_string_member_with_default (object, "sha256", NULL));
  if (!fl_store_step_done (store, stmt, error))
    return FALSE;
  /* As a rescore does: the breakdown is computed again when the lead is read. */
  mark = g_strconcat ("@", now, NULL);
  stmt = fl_store_prepare (store,
                           "INSERT INTO lead_breakdowns (lead_id, breakdown) "
                           "SELECT id, ?2 FROM leads WHERE uuid = ?1 "
                           "ON CONFLICT (lead_id) DO UPDATE SET breakdown = excluded.breakdown",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, uuid);
  fl_store_bind_text (stmt, 2, mark);
  return fl_store_step_done (store, stmt, error);
}

/* Records that @loser is @winner and folds them together. */
static gboolean
merge_pair (Apply *apply, const char *winner, const char *loser, GError **error)
{
  g_autofree char *data = g_strdup_printf ("{\"lead\":\"%s\"}", winner);

  if (!log_local (apply->store, "lead_aliases", loser, data, error) ||
      !fl_store_add_audit (apply->store, winner, NULL, "merged", loser, error))
    return FALSE;
  add_edge (apply->alias_edges, loser, winner);
  add_edge (apply->alias_edges, winner, loser);
  if (!materialise_lead (apply, winner, error))
    return FALSE;
  apply->stats->merged++;
  return TRUE;
}

/* Many leads at once (a kiosk joining late, a merged file): one pass over
 * each event's leads in capture order, by the capture's keys, instead of
 * a search per lead. Returns the number of pairs merged, -1 on error. */
static gint
fold_same_visitors_bulk (Apply *apply, GError **error)
{
  g_autoptr(GHashTable) events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const char *uuid;
  const char *event;
  sqlite3_stmt *stmt;
  int rc;

  g_hash_table_iter_init (&iter, apply->materialised);
  while (g_hash_table_iter_next (&iter, (gpointer *) &uuid, NULL))
    {
      stmt = fl_store_prepare (apply->store, "SELECT event FROM leads WHERE uuid = ?1", error);
      if (stmt == NULL)
        return -1;
      fl_store_bind_text (stmt, 1, uuid);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
        g_hash_table_add (events, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      sqlite3_reset (stmt);
    }

  g_hash_table_iter_init (&iter, events);
  while (g_hash_table_iter_next (&iter, (gpointer *) &event, NULL))
    {
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      stmt = fl_store_prepare (apply->store,
                               "SELECT uuid, badge_id, lower (email), full_name, first_name, "
                               "last_name, company FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " "
                               "ORDER BY created_at, uuid",
                               error);
      if (stmt == NULL)
        return -1;
      fl_store_bind_text (stmt, 1, event);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char *lead = (const char *) sqlite3_column_text (stmt, 0);
          char *keys[3] = { NULL, NULL, NULL };

          if (sqlite3_column_text (stmt, 1) != NULL)
            keys[0] = g_strconcat ("b\037", sqlite3_column_text (stmt, 1), NULL);
          if (sqlite3_column_text (stmt, 2) != NULL)
            keys[1] = g_strconcat ("e\037", sqlite3_column_text (stmt, 2), NULL);
          keys[2] = fl_capture_visitor_name_key ((const char *) sqlite3_column_text (stmt, 3),
                                                 (const char *) sqlite3_column_text (stmt, 4),
                                                 (const char *) sqlite3_column_text (stmt, 5),
                                                 (const char *) sqlite3_column_text (stmt, 6));
          for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
            {
              const char *earlier;

              if (keys[k] == NULL)
                continue;
              earlier = g_hash_table_lookup (seen, keys[k]);
              if (earlier == NULL)
                {
                  g_hash_table_insert (seen, keys[k], g_strdup (lead));
                  keys[k] = NULL;
                  continue;
                }
              if (g_hash_table_contains (apply->materialised, lead) ||
                  g_hash_table_contains (apply->materialised, earlier))
                {
                  g_ptr_array_add (pairs, g_strdup (earlier));
                  g_ptr_array_add (pairs, g_strdup (lead));
                }
              g_clear_pointer (&keys[k], g_free);
            }
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (apply->store, error);
          return -1;
        }
    }

  for (guint i = 0; i + 1 < pairs->len; i += 2)
    {
      const char *winner = g_ptr_array_index (pairs, i);
      const char *loser = g_ptr_array_index (pairs, i + 1);
      g_autoptr(GPtrArray) cluster = cluster_of (apply, loser);
      gboolean known = FALSE;

      for (guint j = 0; j < cluster->len && !known; j++)
        known = g_str_equal (g_ptr_array_index (cluster, j), winner);
      if (!known && !merge_pair (apply, winner, loser, error))
        return -1;
    }
  return pairs->len / 2;
}

/* Leads of the same visitor that met only now become one: an alias fact
 * of this device, which travels like any change. */
static gboolean
fold_same_visitors (Apply *apply, GError **error)
{
  g_autoptr(GPtrArray) queue = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  const char *uuid;

  if (g_hash_table_size (apply->materialised) > BULK_DUPLICATE_CHECK)
    {
      /* A merge can make a lead meet a third capture: again until none. */
      for (guint round = 0; round < 8; round++)
        {
          gint merged = fold_same_visitors_bulk (apply, error);

          if (merged < 0)
            return FALSE;
          if (merged == 0)
            break;
        }
      return TRUE;
    }

  g_hash_table_iter_init (&iter, apply->materialised);
  while (g_hash_table_iter_next (&iter, (gpointer *) &uuid, NULL))
    g_ptr_array_add (queue, g_strdup (uuid));

  for (guint i = 0; i < queue->len; i++)
    {
      g_autoptr(FlLead) lead = fl_store_get_lead (apply->store, g_ptr_array_index (queue, i), NULL);
      g_autoptr(FlLead) other_lead = NULL;
      g_autofree char *other = NULL;
      const char *loser, *winner;

      if (lead == NULL || !g_str_equal (fl_lead_get_uuid (lead), g_ptr_array_index (queue, i)))
        continue;
      other = fl_capture_find_other_visit (apply->store, lead, error);
      if (other == NULL)
        {
          if (error != NULL && *error != NULL)
            return FALSE;
          continue;
        }
      other_lead = fl_store_get_lead (apply->store, other, error);
      if (other_lead == NULL)
        return FALSE;
      if (compare_members (fl_lead_get_created_at (lead), fl_lead_get_uuid (lead),
                           fl_lead_get_created_at (other_lead), other) < 0)
        {
          winner = fl_lead_get_uuid (lead);
          loser = other;
        }
      else
        {
          winner = other;
          loser = fl_lead_get_uuid (lead);
        }
      if (!merge_pair (apply, winner, loser, error))
        return FALSE;
      /* The merged lead may meet a third capture of the same visitor. */
      g_ptr_array_add (queue, g_strdup (winner));
    }
  return TRUE;
}

static gboolean
materialise_all (Apply *apply, GError **error)
{
  static const char *const row_order[] = { "models", "events", "staff", "attendees", NULL };
  g_autoptr(GPtrArray) rescored = NULL;
  GHashTableIter iter;
  const char *entry;

  /* Tables the leads refer to first. */
  for (guint t = 0; row_order[t] != NULL; t++)
    {
      g_hash_table_iter_init (&iter, apply->dirty_rows);
      while (g_hash_table_iter_next (&iter, (gpointer *) &entry, NULL))
        {
          const char *sep = strchr (entry, '\x1f');
          g_autofree char *tbl = g_strndup (entry, sep - entry);

          if (g_str_equal (tbl, row_order[t]) && !materialise_row (apply, tbl, sep + 1, error))
            return FALSE;
        }
    }

  if (!load_alias_edges (apply, error))
    return FALSE;
  g_hash_table_iter_init (&iter, apply->dirty_leads);
  while (g_hash_table_iter_next (&iter, (gpointer *) &entry, NULL))
    if (!materialise_lead (apply, entry, error))
      return FALSE;

  if (!fold_same_visitors (apply, error))
    return FALSE;

  rescored = g_ptr_array_new_with_free_func (g_free);
  g_hash_table_iter_init (&iter, apply->materialised);
  while (g_hash_table_iter_next (&iter, (gpointer *) &entry, NULL))
    g_ptr_array_add (rescored, g_strdup (entry));
  for (guint i = 0; i < rescored->len; i++)
    if (!rescore (apply->store, g_ptr_array_index (rescored, i), error))
      return FALSE;
  return TRUE;
}

/* Encoding */

static GBytes *
convert_bytes (GConverter *converter, const void *data, gsize size, gsize limit, GError **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  const guint8 *in = data;
  gsize in_left = size;
  guint8 buffer[65536];

  for (;;)
    {
      gsize read = 0, written = 0;
      GConverterResult result;

      result = g_converter_convert (converter, in, in_left, buffer, sizeof buffer,
                                    G_CONVERTER_INPUT_AT_END, &read, &written, error);
      if (result == G_CONVERTER_ERROR)
        return NULL;
      in += read;
      in_left -= read;
      g_byte_array_append (out, buffer, written);
      if (out->len > limit)
        {
          g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_INVALID,
                       _("The batch of changes is larger than %u MB unpacked; it was refused"),
                       (guint) (limit / (1024 * 1024)));
          return NULL;
        }
      if (result == G_CONVERTER_FINISHED)
        break;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

/* One list out of the devices' lists (each in sequence): always the head
 * with the lowest (hlc, device) next. */
static GPtrArray *
merge_by_clock (GPtrArray *per_device)
{
  GPtrArray *merged = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
  g_autofree guint *heads = g_new0 (guint, per_device->len + 1);

  for (;;)
    {
      Change *best = NULL;
      guint best_list = 0;

      for (guint i = 0; i < per_device->len; i++)
        {
          GPtrArray *list = g_ptr_array_index (per_device, i);
          Change *head = heads[i] < list->len ? g_ptr_array_index (list, heads[i]) : NULL;

          if (head != NULL &&
              (best == NULL || head->hlc < best->hlc ||
               (head->hlc == best->hlc && strcmp (head->device, best->device) < 0)))
            {
              best = head;
              best_list = i;
            }
        }
      if (best == NULL)
        break;
      /* The change moves from its device's list to the merged one. */
      g_ptr_array_index ((GPtrArray *) g_ptr_array_index (per_device, best_list), heads[best_list]) = NULL;
      heads[best_list]++;
      g_ptr_array_add (merged, best);
    }
  return merged;
}

/* Snapshot: what a kiosk holds and its log does not cover, logged. */

typedef struct
{
  FlStore    *store;
  const char *device;
  gint64      next_seq;
  gint64      now_hlc;
  gboolean    has_aliases;
  GHashTable *audit_seen;  /* "lead\x1fat\x1factor\x1faction" of the audit entries logged */
  guint       logged;
} Snapshot;

/* The physical clock of a row's time (ISO 8601), NULL when it has none. */
#define ROW_HLC(t) "(CAST ((julianday (" t ") - 2440587.5) * 86400000.0 AS INTEGER) * 65536)"
/* A row must come after the changes of the row it refers to: a peer
 * applies in clock order, and a lead whose event it lacks waits. */
#define AFTER_ROW(tbl, key)                                                                        \
  "coalesce ((SELECT max (c.hlc) + 1 FROM changes c WHERE c.tbl = '" tbl "'"                      \
  " AND c.row_key = " key "), 0)"
#define AFTER_EVENT(e) AFTER_ROW ("events", e)
#define AFTER_MODEL(m) AFTER_ROW ("models", FL_REPLICA_MODEL_SHA (m))

/* Each replicated table as (lead uuid or NULL, key, full image with
 * nulls, image as the insert trigger logs it, time, floor): in the order a
 * peer needs them. */
static const struct
{
  const char *tbl;
  const char *sql;
} snapshot_tables[] = {
  { "models",
    "SELECT NULL, t.sha256, json_object ('name', t.name, 'version', t.version, 'json', t.json,"
    " 'loaded_at', t.loaded_at), NULL, " ROW_HLC ("t.loaded_at") ", 0 FROM models t ORDER BY t.id" },
  { "events",
    "SELECT NULL, t.uuid, json_object ('name', t.name" FL_REPLICA_EVENT_REST (FL_REPLICA_ROW_PAIR)
    ", 'model', " FL_REPLICA_MODEL_SHA ("t.model_id") "), NULL, " ROW_HLC ("t.created_at") ", "
    AFTER_MODEL ("t.model_id") " FROM events t ORDER BY t.created_at" },
  { "staff",
    "SELECT NULL, t.name, json_object ('pin_hash', t.pin_hash, 'created_at', t.created_at), NULL, "
    ROW_HLC ("t.created_at") ", 0 FROM staff t ORDER BY t.rowid" },
  { "attendees",
    "SELECT NULL, t.event || '|' || t.badge_id, json_object ('first_name', t.first_name"
    FL_REPLICA_ATTENDEE_REST (FL_REPLICA_ROW_PAIR) "), NULL, " ROW_HLC ("t.imported_at") ", "
    AFTER_EVENT ("t.event") " FROM attendees t ORDER BY t.id" },
  { "leads",
    "SELECT t.uuid, NULL, json_object ('event', t.event" FL_REPLICA_LEAD_REST (FL_REPLICA_ROW_PAIR)
    "), json_patch ('{}', json_object ('event', t.event" FL_REPLICA_LEAD_REST (FL_REPLICA_ROW_PAIR)
    ")), " ROW_HLC ("t.updated_at") ", " AFTER_EVENT ("t.event") " FROM leads t ORDER BY t.id" },
  { "answers",
    "SELECT l.uuid, t.question_id, json_object ('value', t.value), NULL, " ROW_HLC ("l.updated_at")
    ", 0 FROM answers t JOIN leads l ON l.id = t.lead_id ORDER BY t.lead_id" },
  { "interactions",
    "SELECT l.uuid, t.kind || '|' || t.at, json_object ('kind', t.kind, 'at', t.at), NULL, "
    ROW_HLC ("t.at") ", 0 FROM interactions t JOIN leads l ON l.id = t.lead_id"
    " GROUP BY t.lead_id, 2 ORDER BY min (t.id)" },
  { "consents",
    "SELECT l.uuid, t.at || '|' || t.given || '|' || coalesce (t.text_version, ''), "
    FL_REPLICA_CONSENT_OBJECT ("t") ", NULL, " ROW_HLC ("t.at") ", 0 FROM consents t"
    " JOIN leads l ON l.id = t.lead_id GROUP BY t.lead_id, 2 ORDER BY min (t.id)" },
  { "audit",
    "SELECT NULL, t.id, " FL_REPLICA_AUDIT_OBJECT ("t") ", NULL, " ROW_HLC ("t.at") ", 0"
    " FROM audit t ORDER BY t.id" },
  { "lead_aliases",
    "SELECT NULL, t.alias, json_object ('lead', t.lead), NULL, NULL, 0 FROM lead_aliases t" },
  /* Last: a delivery names the revision it delivered, the clock of the
   * lead's last change, which the snapshot may just have logged. The
   * revision is not compared: the same delivery is the same remote id
   * and time. */
  { "outbox",
    "SELECT l.uuid, t.connector, json_object ('remote_id', t.remote_id, 'done_at', t.done_at), "
    FL_REPLICA_DONE_OBJECT ("t") ", " ROW_HLC ("t.done_at") ", 0 FROM outbox t"
    " JOIN leads l ON l.id = t.lead_id WHERE t.state = 'done' ORDER BY t.lead_id" },
};

static gboolean
snapshot_log (Snapshot *snapshot, const char *tbl, const char *key, const char *data, gint64 hlc,
              GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (snapshot->store,
                                         "INSERT INTO changes (device, seq, hlc, tbl, row_key, data) "
                                         "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                         error);

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, snapshot->device);
  sqlite3_bind_int64 (stmt, 2, snapshot->next_seq);
  sqlite3_bind_int64 (stmt, 3, hlc);
  fl_store_bind_text (stmt, 4, tbl);
  fl_store_bind_text (stmt, 5, key);
  fl_store_bind_text (stmt, 6, data);
  if (!fl_store_step_done (snapshot->store, stmt, error))
    return FALSE;
  snapshot->next_seq++;
  snapshot->logged++;
  return TRUE;
}

/* @uuid and the uuids merged into it. */
static GPtrArray *
snapshot_members (Snapshot *snapshot, const char *uuid, GError **error)
{
  GPtrArray *members = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_ptr_array_add (members, g_strdup (uuid));
  if (!snapshot->has_aliases)
    return members;
  stmt = fl_store_prepare (snapshot->store, "SELECT alias FROM lead_aliases WHERE lead = ?1", error);
  if (stmt == NULL)
    {
      g_ptr_array_unref (members);
      return NULL;
    }
  fl_store_bind_text (stmt, 1, uuid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (members, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (snapshot->store, error);
      g_ptr_array_unref (members);
      return NULL;
    }
  return members;
}

static gboolean
is_null (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

/* The fields of @image the fold does not hold as they are, as a JSON
 * object text; NULL when it holds them all. *@after is set to the clock
 * a change must pass to win over every change folded. */
static char *
snapshot_diff (Fold *fold, JsonObject *image, gint64 *after)
{
  g_autoptr(JsonObject) diff = json_object_new ();
  g_autoptr(JsonNode) root = NULL;
  GHashTableIter iter;
  JsonObjectIter members;
  const char *name;
  JsonNode *value;
  Stamped *stamped;

  *after = 0;
  g_hash_table_iter_init (&iter, fold->fields);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stamped))
    *after = MAX (*after, stamped->hlc + 1);
  json_object_iter_init (&members, image);
  while (json_object_iter_next (&members, &name, &value))
    {
      JsonNode *held = fold_get (fold, name);

      if (is_null (held) && is_null (value))
        continue;
      if (!is_null (held) && !is_null (value) && json_node_equal (held, value))
        continue;
      json_object_set_member (diff, name, json_node_copy (value));
    }
  if (json_object_get_size (diff) == 0)
    return NULL;
  root = json_node_init_object (json_node_alloc (), diff);
  return json_to_string (root, FALSE);
}

static char *
audit_signature (JsonObject *entry)
{
  return g_strjoin ("\x1f",
                    json_object_get_string_member_with_default (entry, "lead_uuid", ""),
                    json_object_get_string_member_with_default (entry, "at", ""),
                    json_object_get_string_member_with_default (entry, "actor", ""),
                    json_object_get_string_member_with_default (entry, "action", ""),
                    NULL);
}

static gboolean
snapshot_load_audit (Snapshot *snapshot, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (snapshot->store,
                                         "SELECT data FROM changes WHERE tbl = 'audit'", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) data = fl_json_parse ((const char *) sqlite3_column_text (stmt, 0), -1, NULL);

      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        g_hash_table_add (snapshot->audit_seen, audit_signature (json_node_get_object (data)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (snapshot->store, error);
  return TRUE;
}

static gboolean
snapshot_row (Snapshot *snapshot, const char *tbl, sqlite3_stmt *row, GError **error)
{
  const char *lead = (const char *) sqlite3_column_text (row, 0);
  const char *rest = (const char *) sqlite3_column_text (row, 1);
  const char *image_text = (const char *) sqlite3_column_text (row, 2);
  const char *insert_text = (const char *) sqlite3_column_text (row, 3);
  gint64 hlc = sqlite3_column_type (row, 4) == SQLITE_NULL ? snapshot->now_hlc
                                                            : MIN (sqlite3_column_int64 (row, 4), snapshot->now_hlc);
  g_autoptr(JsonNode) image = fl_json_parse (image_text, -1, NULL);
  g_autoptr(GPtrArray) members = NULL;
  g_autofree char *key = NULL;
  g_autofree char *diff = NULL;
  gint64 after;
  Fold fold;
  gboolean ok = FALSE;

  hlc = MAX (hlc, sqlite3_column_int64 (row, 5));
  if (image == NULL || !JSON_NODE_HOLDS_OBJECT (image))
    return TRUE;
  if (insert_text == NULL)
    insert_text = image_text;

  if (g_str_equal (tbl, "audit"))
    {
      /* Entries applied from a peer have ids of their own here: an entry
       * is known by what it says. */
      g_autofree char *signature = audit_signature (json_node_get_object (image));

      if (g_hash_table_contains (snapshot->audit_seen, signature))
        return TRUE;
      key = g_strconcat (snapshot->device, "|", rest, NULL);
      return snapshot_log (snapshot, tbl, key, insert_text, hlc, error);
    }

  /* A lead's rows are known under any uuid merged into it. */
  fold_init (&fold);
  if (lead == NULL)
    {
      key = g_strdup (rest);
      if (!fold_key (snapshot->store, tbl, key, &fold, error))
        goto out;
    }
  else
    {
      members = snapshot_members (snapshot, lead, error);
      if (members == NULL)
        goto out;
      key = rest != NULL ? g_strconcat (lead, "|", rest, NULL) : g_strdup (lead);
      for (guint i = 0; i < members->len; i++)
        {
          g_autofree char *member_key = rest != NULL
                                          ? g_strconcat (g_ptr_array_index (members, i), "|", rest, NULL)
                                          : g_strdup (g_ptr_array_index (members, i));

          if (!fold_key (snapshot->store, tbl, member_key, &fold, error))
            goto out;
        }
    }

  if (!fold.seen)
    ok = snapshot_log (snapshot, tbl, key, insert_text, hlc, error);
  else if ((diff = snapshot_diff (&fold, json_node_get_object (image), &after)) != NULL)
    {
      if (g_str_equal (tbl, "outbox"))
        {
          /* A new delivery: with the revision it delivered. */
          g_clear_pointer (&diff, g_free);
          diff = g_strdup (insert_text);
        }
      ok = snapshot_log (snapshot, tbl, key, diff, MAX (hlc, after), error);
    }
  else
    ok = TRUE;

out:
  fold_clear (&fold);
  return ok;
}

/* Logs what the log does not cover as changes of @device. */
static gboolean
snapshot_as (FlStore *store, const char *device, guint *n_logged, GError **error)
{
  Snapshot snapshot = { 0 };
  gboolean ok = FALSE;

  snapshot.store = store;
  snapshot.device = device;
  snapshot.next_seq = query_id (store, "SELECT " FL_REPLICA_NEXT_SEQ ("?1"),
                                device, error);
  snapshot.now_hlc = query_id (store, "SELECT " FL_REPLICA_NOW_HLC " WHERE ?1 IS NULL", NULL, error);
  snapshot.has_aliases = query_id (store, "SELECT EXISTS (SELECT 1 FROM lead_aliases) WHERE ?1 IS NULL",
                                   NULL, error) > 0;
  snapshot.audit_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (snapshot.next_seq <= 0 || snapshot.now_hlc <= 0 || !snapshot_load_audit (&snapshot, error))
    goto out;

  for (guint t = 0; t < G_N_ELEMENTS (snapshot_tables); t++)
    {
      /* Prepared once per snapshot: the rows are read while changes are
       * written, which touches only the log. */
      g_autoptr(sqlite3_stmt) rows = NULL;
      int rc;

      if (sqlite3_prepare_v2 (fl_store_get_db (store), snapshot_tables[t].sql, -1, &rows, NULL) != SQLITE_OK)
        {
          fl_store_set_error (store, error);
          goto out;
        }
      while ((rc = sqlite3_step (rows)) == SQLITE_ROW)
        if (!snapshot_row (&snapshot, snapshot_tables[t].tbl, rows, error))
          goto out;
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          goto out;
        }
    }
  if (n_logged != NULL)
    *n_logged = snapshot.logged;
  ok = TRUE;

out:
  g_clear_pointer (&snapshot.audit_seen, g_hash_table_unref);
  return ok;
}

/* Public API */

const char *
fl_replica_get_device_id (FlStore *store, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  if (fl_store_get_device_id (store) == NULL)
    {
      g_set_error_literal (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_INVALID,
                           _("The database has no device id; open it with this version of "
                             "Fairlead first"));
      return NULL;
    }
  return fl_store_get_device_id (store);
}

JsonObject *
fl_replica_get_version_vector (FlStore *store, GError **error)
{
  g_autoptr(JsonObject) vector = json_object_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  /* A seek per device, not a scan of the log (schema 11). */
  stmt = fl_store_prepare (store,
                           "SELECT uuid, held FROM (SELECT d.uuid AS uuid, (SELECT max (l.seq) "
                           "FROM replica_log l WHERE l.device = d.id) AS held FROM replica_devices d) "
                           "WHERE held IS NOT NULL",
                           error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_object_set_int_member (vector, (const char *) sqlite3_column_text (stmt, 0),
                                sqlite3_column_int64 (stmt, 1));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&vector);
}

GBytes *
fl_replica_changes_since (FlStore *store, JsonObject *peer_vector, gsize max_bytes,
                          gboolean *more, GError **error)
{
  g_autoptr(JsonObject) local = NULL;
  g_autoptr(GPtrArray) changes = NULL;
  g_autoptr(GPtrArray) per_device = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) device_index = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GString) devices = g_string_new (NULL);
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  JsonObjectIter iter;
  const char *device;
  JsonNode *node;
  gsize size = 0;
  guint n_sent = 0;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  if (more != NULL)
    *more = FALSE;
  local = fl_replica_get_version_vector (store, error);
  if (local == NULL)
    return NULL;

  json_object_iter_init (&iter, local);
  while (json_object_iter_next (&iter, &device, &node))
    {
      gint64 held = json_node_get_int (node);
      gint64 theirs = 0;
      GPtrArray *list;
      sqlite3_stmt *stmt;
      int rc;

      if (peer_vector != NULL && json_object_has_member (peer_vector, device))
        {
          JsonNode *their_node = json_object_get_member (peer_vector, device);

          if (JSON_NODE_HOLDS_VALUE (their_node) && json_node_get_value_type (their_node) == G_TYPE_INT64)
            theirs = json_node_get_int (their_node);
        }
      if (theirs >= held)
        continue;
      stmt = fl_store_prepare (store,
                               "SELECT seq, hlc, tbl, row_key, data FROM changes "
                               "WHERE device = ?1 AND seq > ?2 ORDER BY seq",
                               error);
      if (stmt == NULL)
        return NULL;
      list = g_ptr_array_new_with_free_func ((GDestroyNotify) change_free);
      g_ptr_array_add (per_device, list);
      fl_store_bind_text (stmt, 1, device);
      sqlite3_bind_int64 (stmt, 2, theirs);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          Change *change = g_new0 (Change, 1);

          change->device = g_strdup (device);
          change->seq = sqlite3_column_int64 (stmt, 0);
          change->hlc = sqlite3_column_int64 (stmt, 1);
          change->tbl = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
          change->row_key = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          change->data = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          g_ptr_array_add (list, change);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          return NULL;
        }
    }
  /* In clock order (a change comes after the changes its device had
   * seen), merged so that each device's changes stay in sequence even
   * where a clock was set back: any prefix leaves the peer without gaps. */
  changes = merge_by_clock (per_device);

  g_string_append_printf (json, "{\"protocol\":%d,\"device\":", FL_REPLICA_PROTOCOL);
  {
    g_autoptr(JsonNode) id = json_node_new (JSON_NODE_VALUE);
    g_autofree char *text = NULL;

    json_node_set_string (id, fl_store_get_device_id (store));
    json_generator_set_root (generator, id);
    text = json_generator_to_data (generator, NULL);
    g_string_append (json, text);
  }
  g_string_append (json, ",\"changes\":[");
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = g_ptr_array_index (changes, i);
      gpointer index;
      g_autoptr(JsonNode) key = json_node_new (JSON_NODE_VALUE);
      g_autoptr(JsonNode) data = json_node_new (JSON_NODE_VALUE);
      g_autofree char *key_text = NULL;
      g_autofree char *data_text = NULL;
      gsize before = json->len;

      if (max_bytes > 0 && n_sent > 0 && size >= max_bytes)
        {
          if (more != NULL)
            *more = TRUE;
          break;
        }
      if (!g_hash_table_lookup_extended (device_index, change->device, NULL, &index))
        {
          index = GUINT_TO_POINTER (g_hash_table_size (device_index));
          g_hash_table_insert (device_index, change->device, index);
          json_node_set_string (key, change->device);
          json_generator_set_root (generator, key);
          key_text = json_generator_to_data (generator, NULL);
          g_string_append_printf (devices, "%s%s", devices->len ? "," : "", key_text);
          g_clear_pointer (&key_text, g_free);
        }
      json_node_set_string (key, change->row_key);
      json_generator_set_root (generator, key);
      key_text = json_generator_to_data (generator, NULL);
      json_node_set_string (data, change->data);
      json_generator_set_root (generator, data);
      data_text = json_generator_to_data (generator, NULL);
      g_string_append_printf (json, "%s[%u,%" G_GINT64_FORMAT ",%" G_GINT64_FORMAT ",\"%s\",%s,%s]",
                              n_sent ? "," : "", GPOINTER_TO_UINT (index), change->seq, change->hlc,
                              change->tbl, key_text, data_text);
      size += json->len - before;
      n_sent++;
    }
  g_string_append_printf (json, "],\"devices\":[%s]}", devices->str);

  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 6);
  return convert_bytes (G_CONVERTER (compressor), json->str, json->len, G_MAXSIZE, error);
}

static gboolean
invalid (GError **error, const char *what)
{
  g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_INVALID,
               _("The data received is not a batch of Fairlead changes (%s); nothing was "
                 "applied. Check that both kiosks run Fairlead."),
               what);
  return FALSE;
}

static gboolean
apply_change (Apply *apply, GHashTable *next_seq, const char *device, gint64 seq, gint64 hlc,
              const char *tbl, const char *key, const char *data, GError **error)
{
  FlStore *store = apply->store;
  gpointer expected_pointer;
  gint64 expected;
  sqlite3_stmt *stmt;

  if (!g_hash_table_lookup_extended (next_seq, device, NULL, &expected_pointer))
    {
      gint64 held = query_id (store, "SELECT " FL_REPLICA_NEXT_SEQ ("?1") " - 1",
                              device, error);

      if (held < 0)
        return FALSE;
      expected = held + 1;
    }
  else
    expected = *(gint64 *) expected_pointer;

  if (seq < expected)
    {
      /* A change held already must be the very change: if not, one of the
       * two databases is an older copy of itself (a restored backup) that
       * numbered new changes like ones the booth holds, and skipping them
       * would lose them silently. */
      sqlite3_stmt *held = fl_store_prepare (store,
                                             "SELECT hlc FROM changes WHERE device = ?1 AND seq = ?2",
                                             error);
      gint64 held_hlc = -1;

      if (held == NULL)
        return FALSE;
      fl_store_bind_text (held, 1, device);
      sqlite3_bind_int64 (held, 2, seq);
      if (sqlite3_step (held) == SQLITE_ROW)
        held_hlc = sqlite3_column_int64 (held, 0);
      sqlite3_reset (held);
      if (held_hlc != hlc)
        {
          g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_SAME_DEVICE,
                       _("Device %s numbered a change differently from the one this database "
                         "holds: one of the two databases is an older copy of itself (restored "
                         "from a backup?). Nothing was applied. Merge the copy into a new "
                         "database (“fairlead-cli --db NEW.db merge COPY.db”) and use that one."),
                       device);
          return FALSE;
        }
      apply->stats->skipped++;
      return TRUE;
    }
  if (seq > expected)
    return invalid (error, "a gap in a device's changes");

  stmt = fl_store_prepare (store,
                           "INSERT INTO changes (device, seq, hlc, tbl, row_key, data) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, device);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_int64 (stmt, 3, hlc);
  fl_store_bind_text (stmt, 4, tbl);
  fl_store_bind_text (stmt, 5, key);
  fl_store_bind_text (stmt, 6, data);
  if (!fl_store_step_done (store, stmt, error))
    return FALSE;
  {
    gint64 *next = g_new (gint64, 1);
    *next = seq + 1;
    g_hash_table_insert (next_seq, g_strdup (device), next);
  }
  apply->stats->applied++;

  if (is_lead_table (tbl))
    {
      const char *rest;
      g_hash_table_add (apply->dirty_leads, split_key (key, &rest));
    }
  else if (g_str_equal (tbl, "lead_aliases"))
    {
      g_autoptr(JsonNode) node = fl_json_parse (data, -1, NULL);
      const char *lead = node && JSON_NODE_HOLDS_OBJECT (node)
                           ? json_object_get_string_member_with_default (json_node_get_object (node), "lead", NULL)
                           : NULL;

      g_hash_table_add (apply->dirty_leads, g_strdup (key));
      if (lead != NULL)
        g_hash_table_add (apply->dirty_leads, g_strdup (lead));
    }
  else if (g_str_equal (tbl, "audit"))
    {
      g_autoptr(JsonNode) node = fl_json_parse (data, -1, NULL);
      JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

      if (object == NULL || !json_object_has_member (object, "at") ||
          !json_object_has_member (object, "action"))
        return TRUE;
      stmt = fl_store_prepare (store,
                               "INSERT INTO audit (lead_uuid, at, actor, action, detail) "
                               "VALUES (?1, ?2, ?3, ?4, ?5)",
                               error);
      if (stmt == NULL)
        return FALSE;
      bind_node (stmt, 1, json_object_get_member (object, "lead_uuid"));
      bind_node (stmt, 2, json_object_get_member (object, "at"));
      bind_node (stmt, 3, json_object_get_member (object, "actor"));
      bind_node (stmt, 4, json_object_get_member (object, "action"));
      bind_node (stmt, 5, json_object_get_member (object, "detail"));
      return fl_store_step_done (store, stmt, error);
    }
  else
    g_hash_table_add (apply->dirty_rows, g_strconcat (tbl, "\x1f", key, NULL));
  return TRUE;
}

gboolean
fl_replica_apply (FlStore *store, GBytes *batch, FlReplicaStats *stats, GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GHashTable) next_seq = NULL;
  g_autoptr(GError) local_error = NULL;
  FlReplicaStats own_stats = { 0 };
  JsonObject *root;
  JsonArray *devices, *changes;
  JsonNode *protocol;
  Apply apply = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (batch != NULL, FALSE);

  if (stats == NULL)
    stats = &own_stats;
  decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  plain = convert_bytes (G_CONVERTER (decompressor), g_bytes_get_data (batch, NULL),
                         g_bytes_get_size (batch), MAX_BATCH_BYTES, &local_error);
  if (plain == NULL)
    {
      if (local_error->domain == FL_REPLICA_ERROR)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        invalid (error, local_error->message);
      return FALSE;
    }
  if (!fl_json_parser_load (parser, g_bytes_get_data (plain, NULL), g_bytes_get_size (plain),
                                   &local_error))
    return invalid (error, local_error->message);
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, "not an object");
  root = json_node_get_object (json_parser_get_root (parser));
  protocol = json_object_get_member (root, "protocol");
  if (protocol == NULL || !JSON_NODE_HOLDS_VALUE (protocol) ||
      json_node_get_value_type (protocol) != G_TYPE_INT64)
    return invalid (error, "no protocol version");
  if (json_node_get_int (protocol) > FL_REPLICA_PROTOCOL)
    {
      g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_TOO_NEW,
                   _("The other kiosk runs a newer Fairlead (sync protocol %d, this one speaks "
                     "%d); nothing was applied. Update Fairlead on this kiosk."),
                   (int) json_node_get_int (protocol), FL_REPLICA_PROTOCOL);
      return FALSE;
    }
  if (!json_object_has_member (root, "devices") || !json_object_has_member (root, "changes") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "devices")) ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "changes")))
    return invalid (error, "no list of changes");
  devices = json_object_get_array_member (root, "devices");
  changes = json_object_get_array_member (root, "changes");
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonNode *node = json_array_get_element (devices, i);

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING ||
          json_node_get_string (node)[0] == '\0' || strlen (json_node_get_string (node)) > 64)
        return invalid (error, "a device id that is not one");
    }
  if (json_array_get_length (changes) == 0)
    return TRUE;

  if (!fl_store_begin (store, error))
    return FALSE;
  if (!fl_store_set_meta (store, "replica.applying", "1", error))
    goto out;

  apply.store = store;
  apply.stats = stats;
  apply.dirty_leads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  apply.dirty_rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  apply.alias_edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) g_ptr_array_unref);
  apply.materialised = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  next_seq = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonNode *node = json_array_get_element (changes, i);
      JsonArray *change;
      JsonNode *parts[6];
      gint64 device_index, seq, hlc;
      const char *tbl, *key, *data;

      if (!JSON_NODE_HOLDS_ARRAY (node) || json_array_get_length (json_node_get_array (node)) != 6)
        {
          invalid (error, "a change that is not one");
          goto out;
        }
      change = json_node_get_array (node);
      for (guint p = 0; p < 6; p++)
        {
          parts[p] = json_array_get_element (change, p);
          if (!JSON_NODE_HOLDS_VALUE (parts[p]) ||
              json_node_get_value_type (parts[p]) != (p < 3 ? G_TYPE_INT64 : G_TYPE_STRING))
            {
              invalid (error, "a change that is not one");
              goto out;
            }
        }
      device_index = json_node_get_int (parts[0]);
      seq = json_node_get_int (parts[1]);
      hlc = json_node_get_int (parts[2]);
      tbl = json_node_get_string (parts[3]);
      key = json_node_get_string (parts[4]);
      data = json_node_get_string (parts[5]);
      if (device_index < 0 || device_index >= json_array_get_length (devices) || seq <= 0 ||
          hlc < 0 || !g_strv_contains (known_tables, tbl) || key[0] == '\0' ||
          strlen (data) > MAX_DATA_BYTES)
        {
          invalid (error, "a change that is not one");
          goto out;
        }
      {
        g_autoptr(JsonNode) parsed = fl_json_parse (data, -1, NULL);

        if (parsed == NULL || !JSON_NODE_HOLDS_OBJECT (parsed))
          {
            invalid (error, "a change without data");
            goto out;
          }
      }
      if (!apply_change (&apply, next_seq, json_array_get_string_element (devices, device_index),
                         seq, hlc, tbl, key, data, error))
        goto out;
    }

  if (!materialise_all (&apply, error))
    goto out;
  if (!fl_store_exec (store, "DELETE FROM meta WHERE key = 'replica.applying'", error) ||
      !fl_store_commit (store, error))
    goto out;
  ok = TRUE;

out:
  if (!ok)
    fl_store_rollback (store);
  g_clear_pointer (&apply.dirty_leads, g_hash_table_unref);
  g_clear_pointer (&apply.dirty_rows, g_hash_table_unref);
  g_clear_pointer (&apply.alias_edges, g_hash_table_unref);
  g_clear_pointer (&apply.materialised, g_hash_table_unref);
  return ok;
}

/**
 * fl_replica_snapshot:
 *
 * See fl-replica.h.
 */
gboolean
fl_replica_snapshot (FlStore *store, guint *n_logged, GError **error)
{
  gboolean own_transaction;
  const char *device;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  device = fl_replica_get_device_id (store, error);
  if (device == NULL)
    return FALSE;
  own_transaction = sqlite3_get_autocommit (fl_store_get_db (store));
  if (own_transaction && !fl_store_begin (store, error))
    return FALSE;
  if (!snapshot_as (store, device, n_logged, error) ||
      (own_transaction && !fl_store_commit (store, error)))
    {
      if (own_transaction)
        fl_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
in_booth (FlStore *store)
{
  return query_id (store, "SELECT" FL_REPLICA_IN_BOOTH "WHERE ?1 IS NULL", NULL, NULL) > 0;
}

/* The device a file's unlogged rows are logged under: derived from the
 * file's own device id, never that id itself (a kiosk that later joins a
 * booth numbers its own changes) nor this kiosk's (a backup of it). */
static char *
snapshot_device_for (const char *device)
{
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                        device != NULL ? device : "", -1);

  return g_strdup_printf ("%.8s-%.4s-5%.3s-a%.3s-%.12s", hex, hex + 8, hex + 13, hex + 17, hex + 20);
}

static gboolean
snapshot_copy (FlStore *store, FlStore *copy, GError **error)
{
  g_autofree char *device = snapshot_device_for (fl_store_get_device_id (copy));
  sqlite3_stmt *stmt;
  gboolean ok;

  stmt = fl_store_prepare (copy, "ATTACH DATABASE ?1 AS merging", error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, fl_store_get_path (store));
  if (!fl_store_step_done (copy, stmt, error))
    return FALSE;
  ok = fl_store_begin (copy, error) &&
       run (copy, "INSERT OR IGNORE INTO main.changes (device, seq, hlc, tbl, row_key, data) "
                  "SELECT device, seq, hlc, tbl, row_key, data FROM merging.changes WHERE device = ?1",
            device, NULL, error) &&
       snapshot_as (copy, device, NULL, error) &&
       fl_store_commit (copy, error);
  if (!ok)
    fl_store_rollback (copy);
  if (!fl_store_exec (copy, "DETACH DATABASE merging", ok ? error : NULL))
    return FALSE;
  return ok;
}

/* A copy of the database file at @path, taken through SQLite (so a WAL
 * beside it counts) and never writing to it. */
static char *
copy_database (FlStore *store, const char *path, GError **error)
{
  g_autofree char *parent = g_path_get_dirname (fl_store_get_path (store));
  g_autofree char *dir = g_build_filename (parent, ".merge-XXXXXX", NULL);
  g_autofree char *copy = NULL;
  sqlite3 *source = NULL, *target = NULL;
  sqlite3_backup *backup;
  int rc;

  /* Beside the database, in its private folder: the copy holds the same
   * personal data. */
  if (g_mkdtemp_full (dir, 0700) == NULL)
    {
      int saved_errno = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Cannot create a folder beside the database to merge in: %s"),
                   g_strerror (saved_errno));
      return NULL;
    }
  copy = g_build_filename (dir, "copy.db", NULL);
  rc = sqlite3_open_v2 (path, &source, SQLITE_OPEN_READONLY, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_open_v2 (copy, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc == SQLITE_OK)
    {
      backup = sqlite3_backup_init (target, "main", source, "main");
      if (backup == NULL)
        rc = sqlite3_errcode (target);
      else
        {
          rc = sqlite3_backup_step (backup, -1);
          sqlite3_backup_finish (backup);
          rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
        }
    }
  if (rc != SQLITE_OK)
    {
      if ((rc & 0xff) == SQLITE_NOTADB)
        g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD,
                     _("“%s” is not a Fairlead database (it is not an SQLite file); nothing was "
                       "merged"),
                     path);
      else
        g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD,
                     _("“%s” cannot be read as a database (%s); nothing was merged"), path,
                     source ? sqlite3_errmsg (source) : sqlite3_errstr (rc));
      sqlite3_close_v2 (source);
      sqlite3_close_v2 (target);
      g_unlink (copy);
      g_rmdir (dir);
      return NULL;
    }
  /* A database from before booth sync logs its rows when the copy is
   * opened, as changes numbered from 1: under a device id of its own, so
   * they never pass for changes this kiosk made (a backup of this very
   * kiosk has its id). */
  sqlite3_exec (target,
                "UPDATE meta SET value = lower (hex (randomblob (16))) WHERE key = 'device_id' "
                "AND (SELECT user_version FROM pragma_user_version) < 9",
                NULL, NULL, NULL);
  sqlite3_close_v2 (source);
  sqlite3_close_v2 (target);
  return g_steal_pointer (&copy);
}

static void
remove_copy (const char *copy)
{
  g_autofree char *dir = g_path_get_dirname (copy);
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (copy, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (dir);
}

gboolean
fl_replica_merge_file (FlStore *store, const char *path, FlReplicaStats *stats, GError **error)
{
  g_autofree char *copy = NULL;
  g_autoptr(FlStore) other = NULL;
  g_autoptr(GError) local_error = NULL;
  FlReplicaStats own_stats = { 0 };
  gboolean more = TRUE;
  gboolean ok = FALSE;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (stats == NULL)
    stats = &own_stats;
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_MISSING,
                   _("There is no file “%s” to merge"), path);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD,
                   _("“%s” is a folder, not a Fairlead database; nothing was merged"), path);
      return FALSE;
    }
  copy = copy_database (store, path, error);
  if (copy == NULL)
    return FALSE;

  /* The copy is brought to this version's schema: a database from before
   * booth sync gets its rows logged then, as changes of its own device. */
  other = fl_store_open (copy, &local_error);
  if (other == NULL)
    {
      if (g_error_matches (local_error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD))
        g_set_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD,
                     _("“%s” is not a Fairlead database; nothing was merged"), path);
      else
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    _("Cannot merge “%s”: "), path);
      goto out;
    }

  /* Both sides log what their logs do not cover (a kiosk in no booth
   * logs no edits): this kiosk as itself, so that its own rows take part
   * in the rules; the file under a device id derived from its own, with
   * what this kiosk holds of that device copied into its log first, so
   * that merging the same file again logs nothing new. */
  if (!in_booth (store) && !fl_replica_snapshot (store, NULL, error))
    goto out;
  if (!snapshot_copy (store, other, error))
    goto out;

  while (more)
    {
      g_autoptr(JsonObject) vector = fl_replica_get_version_vector (store, error);
      g_autoptr(GBytes) batch = NULL;

      if (vector == NULL)
        goto out;
      batch = fl_replica_changes_since (other, vector, MERGE_BATCH_BYTES, &more, error);
      if (batch == NULL || !fl_replica_apply (store, batch, stats, error))
        goto out;
    }
  ok = TRUE;

out:
  g_clear_object (&other);
  remove_copy (copy);
  return ok;
}
