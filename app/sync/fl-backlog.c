/* fl-backlog.c: the leads no CRM has yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the kiosk's header, the dashboard and `fairlead-cli sync status`
 * say about upload, from one reading: how many CRMs are connected, how
 * many leads wait in the outbox, and how many no CRM has at all. With no
 * connector nothing is queued, and "nothing waits" would be a lie: every
 * lead is then only on this kiosk.
 */
#define G_LOG_DOMAIN "fl-backlog"

#include "config.h"

#include <string.h>

#include "fl-backlog.h"
#include "fl-sync.h"
#include "store/fl-store-private.h"

#define SCOPE "(:event IS NULL OR l.event_key = " FL_STORE_SQL_EVENT_KEY (":event") ") AND (:status IS NULL OR (SELECT s.status FROM lead_scores s WHERE s.lead_id = l.id) = :status)"

static void
bind (sqlite3_stmt *stmt, const char *name, const char *value)
{
  fl_store_bind_text (stmt, sqlite3_bind_parameter_index (stmt, name), value);
}

/* Runs a query of one row (count, oldest time as ISO 8601) in the scope. */
static gboolean
read_row (FlStore *store, const char *sql, const char *event, const char *status, gint64 *count,
          gint64 *oldest, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_bind_parameter_index (stmt, ":event") > 0)
    bind (stmt, ":event", event);
  if (sqlite3_bind_parameter_index (stmt, ":status") > 0)
    bind (stmt, ":status", status);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *count = sqlite3_column_int64 (stmt, 0);
      if (oldest != NULL)
        *oldest = sqlite3_column_type (stmt, 1) == SQLITE_NULL
                    ? 0 : fl_sync_time_from_iso ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW)
    return fl_store_set_error (store, error);
  return TRUE;
}

/**
 * fl_backlog_read:
 * @store: the store
 * @event: (nullable): an event uuid, %NULL for every event
 * @status: (nullable): "MQL", "SAL" or "DISQUALIFIED", %NULL for all
 * @backlog: (out caller-allocates): the figures
 *
 * Counts the connected CRMs and the leads of @event with @status that
 * wait for one. A lead counts as delivered once any connector has it;
 * a connector removed takes the record of its deliveries with it.
 */
gboolean
fl_backlog_read (FlStore *store, const char *event, const char *status, FlBacklog *backlog,
                 GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (backlog != NULL, FALSE);

  memset (backlog, 0, sizeof *backlog);
  return read_row (store, "SELECT count (*) FROM connectors WHERE enabled", NULL, NULL,
                   &backlog->connectors, NULL, error) &&
         read_row (store,
                   "SELECT count (DISTINCT l.id), min (o.queued_at) FROM outbox o "
                   "JOIN leads l ON l.id = o.lead_id "
                   "WHERE o.state IN ('pending', 'sending') AND " SCOPE,
                   event, status, &backlog->queued, &backlog->oldest_queued, error) &&
         read_row (store,
                   "SELECT count (*), min (l.created_at) FROM leads l "
                   "WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.lead_id = l.id AND o.state = 'done') "
                   "AND " SCOPE,
                   event, status, &backlog->undelivered, &backlog->oldest_undelivered, error);
}
