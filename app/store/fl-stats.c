/* fl-stats.c: the figures of an event at a glance
 *
 * Leads per hour, the MQL/SAL/DISQUALIFIED split, the score histogram,
 * leads per staff member and the upload state split, read with a few
 * GROUP BY queries: what the back office's dashboard draws and
 * `fairlead-cli stats` prints.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-stats"

#include "config.h"

#include "fl-stats.h"
#include "fl-store-private.h"

static void
bucket_clear (gpointer data)
{
  g_free (((FlStatsBucket *) data)->label);
  g_free (((FlStatsBucket *) data)->device);
}

static GArray *
bucket_array_new (void)
{
  GArray *array = g_array_new (FALSE, TRUE, sizeof (FlStatsBucket));

  g_array_set_clear_func (array, bucket_clear);
  return array;
}

void
fl_stats_free (FlStats *stats)
{
  if (stats == NULL)
    return;
  g_clear_pointer (&stats->hours, g_array_unref);
  g_clear_pointer (&stats->scores, g_array_unref);
  g_clear_pointer (&stats->staff, g_array_unref);
  g_clear_pointer (&stats->staff_kiosks, g_array_unref);
  g_free (stats);
}

static sqlite3_stmt *
query (FlStore *store, const char *sql, const char *event, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, error);

  if (stmt != NULL)
    fl_store_bind_text (stmt, 1, event);
  return stmt;
}

/* Ends a loop over the rows of @stmt that stopped at @rc. */
static gboolean
finish (FlStore *store, sqlite3_stmt *stmt, int rc, GError **error)
{
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  return TRUE;
}

static gboolean
read_buckets (FlStore *store, const char *sql, const char *event, GArray *into, GError **error)
{
  sqlite3_stmt *stmt = query (store, sql, event, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlStatsBucket bucket = { g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                               sqlite3_column_int64 (stmt, 1), NULL };

      /* A third column is the device. */
      if (sqlite3_column_count (stmt) > 2)
        bucket.device = g_strdup ((const char *) sqlite3_column_text (stmt, 2));

      g_array_append_val (into, bucket);
    }
  return finish (store, stmt, rc, error);
}

/**
 * fl_stats_read:
 * @event: (nullable): an event uuid; %NULL (no active event) has no leads
 * @sal_threshold: the SAL threshold of the event's model, or -1: the score
 *   histogram reaches at least that far, so the threshold can be drawn
 *
 * Returns: (transfer full) (nullable): the figures, %NULL on error
 */
FlStats *
fl_stats_read (FlStore *store, const char *event, int sal_threshold, GError **error)
{
  g_autoptr(FlStats) stats = g_new0 (FlStats, 1);
  sqlite3_stmt *stmt;
  int max_score = 0;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  stats->hours = bucket_array_new ();
  stats->staff = bucket_array_new ();
  stats->staff_kiosks = bucket_array_new ();
  stats->scores = g_array_new (FALSE, TRUE, sizeof (gint64));
  if (event == NULL)
    return g_steal_pointer (&stats);

  if (!(stmt = query (store, "SELECT status, count (*) FROM leads JOIN lead_scores ON lead_scores.lead_id = leads.id WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " GROUP BY status", event, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlStatus status;

      if (fl_status_from_string ((const char *) sqlite3_column_text (stmt, 0), &status))
        stats->status[status] += sqlite3_column_int64 (stmt, 1);
      stats->n_leads += sqlite3_column_int64 (stmt, 1);
    }
  if (!finish (store, stmt, rc, error))
    return NULL;
  if (stats->n_leads == 0)
    return g_steal_pointer (&stats);

  if (!read_buckets (store,
                     "SELECT strftime ('%Y-%m-%d %H', created_at, 'localtime') AS hour, count (*) "
                     "FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " GROUP BY hour ORDER BY hour", event, stats->hours, error))
    return NULL;

  if (!(stmt = query (store, "SELECT max (score) FROM leads JOIN lead_scores ON lead_scores.lead_id = leads.id WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1"), event, error)))
    return NULL;
  if ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      max_score = MAX (0, sqlite3_column_int (stmt, 0));
      rc = SQLITE_DONE;
    }
  if (!finish (store, stmt, rc, error))
    return NULL;
  max_score = MAX (max_score, sal_threshold);
  /* Ten points a bar, wider bins for models with large scores. */
  stats->score_bin = MAX (10, (max_score / 20 + 9) / 10 * 10);
  g_array_set_size (stats->scores, max_score / stats->score_bin + 1);
  if (!(stmt = query (store, "SELECT max (score, 0) / ?2 AS bin, count (*) FROM leads "
                             "JOIN lead_scores ON lead_scores.lead_id = leads.id WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1")
                             " GROUP BY bin", event, error)))
    return NULL;
  sqlite3_bind_int (stmt, 2, stats->score_bin);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      guint bin = (guint) sqlite3_column_int (stmt, 0);

      if (bin < stats->scores->len)
        g_array_index (stats->scores, gint64, bin) = sqlite3_column_int64 (stmt, 1);
    }
  if (!finish (store, stmt, rc, error))
    return NULL;

  if (!read_buckets (store,
                     "SELECT captured_by, count (*) AS n FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1")
                     " GROUP BY captured_by ORDER BY n DESC, captured_by LIMIT "
                     G_STRINGIFY (FL_STATS_MAX_STAFF), event, stats->staff, error))
    return NULL;
  if (!read_buckets (store,
                     "SELECT captured_by, count (*) AS n, device FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1")
                     " GROUP BY captured_by, device ORDER BY n DESC, captured_by, device LIMIT "
                     G_STRINGIFY (FL_STATS_MAX_STAFF), event, stats->staff_kiosks, error))
    return NULL;

  if (!(stmt = query (store, "SELECT upload_state, count (*) FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " GROUP BY upload_state",
                      event, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int state = sqlite3_column_int (stmt, 0);

      if (state >= FL_UPLOAD_NONE && state <= FL_UPLOAD_DONE)
        stats->upload[state] = sqlite3_column_int64 (stmt, 1);
    }
  if (!finish (store, stmt, rc, error))
    return NULL;

  return g_steal_pointer (&stats);
}
