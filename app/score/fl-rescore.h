/* fl-rescore.h: score every lead of an event again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store/fl-store.h"
#include "fl-model.h"

G_BEGIN_DECLS

/* A lead whose status moved. */
typedef struct
{
  char     *uuid;
  char     *name;
  FlStatus  from;
  FlStatus  to;
  int       score_before;
  int       score_after;
} FlRescoreChange;

typedef struct
{
  char      *model_name;
  gint64     model_version;
  guint      n_leads;
  guint      n_changed;      /* score, status or model changed */
  guint      n_moved;        /* status changed */
  guint      n_overridden;   /* kept their manual status */
  guint      moves[3][3];    /* [from][to], by FlStatus */
  GPtrArray *changes;        /* FlRescoreChange, the leads that moved, in lead order */
} FlRescoreReport;

void              fl_rescore_report_free  (FlRescoreReport *report);
FlRescoreReport  *fl_rescore              (FlStore         *store,
                                           FlModel         *model,
                                           GDateTime       *now,
                                           gboolean         dry_run,
                                           const char      *actor,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRescoreReport, fl_rescore_report_free)

/* For tests: from how many leads a run that rewrites most of them builds
 * the score and status indexes again instead of updating them. */
void              _fl_rescore_set_rebuild_min_leads (guint n_leads);
void              _fl_rescore_set_use_reader        (gboolean use);

G_END_DECLS
