/* fl-stats.h: the figures of an event at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *label;  /* an hour ("YYYY-MM-DD HH", local time) or a staff member (NULL: unknown) */
  gint64  count;
  char   *device; /* staff_kiosks only: the device (kiosk) id, NULL when unknown */
} FlStatsBucket;

typedef struct
{
  gint64  n_leads;
  gint64  status[3];       /* by FlStatus */
  GArray *hours;           /* FlStatsBucket: hours with leads, earliest first */
  GArray *scores;          /* gint64 per bin of score_bin points, from 0 */
  int     score_bin;       /* points a bin spans, 0 when there are no leads */
  GArray *staff;           /* FlStatsBucket: the FL_STATS_MAX_STAFF who captured most, most first */
  GArray *staff_kiosks;    /* FlStatsBucket: the same per staff member and kiosk (booth sync) */
  gint64  upload[5];       /* by FlUploadState: leads delivered, waiting, failed, queued nowhere */
} FlStats;

#define FL_STATS_MAX_STAFF 8

FlStats  *fl_stats_read  (FlStore    *store,
                          const char *event,
                          int         sal_threshold,
                          GError    **error);
void      fl_stats_free  (FlStats    *stats);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlStats, fl_stats_free)

G_END_DECLS
