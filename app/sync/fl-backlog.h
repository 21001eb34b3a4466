/* fl-backlog.h: the leads no CRM has yet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store/fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  gint64 connectors;         /* enabled connectors: 0 is “no CRM connected” */
  gint64 queued;             /* leads waiting in the outbox (pending or sending) */
  gint64 oldest_queued;      /* µs since the epoch the oldest of them was queued, 0 for none */
  gint64 undelivered;        /* leads no connector has delivered: only on this kiosk */
  gint64 oldest_undelivered; /* µs since the epoch the oldest of them was captured, 0 for none */
} FlBacklog;

gboolean fl_backlog_read (FlStore     *store,
                          const char  *event,
                          const char  *status,
                          FlBacklog   *backlog,
                          GError     **error);

G_END_DECLS
