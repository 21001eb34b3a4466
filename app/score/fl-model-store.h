/* fl-model-store.h: scoring models in the database, and scoring there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store/fl-capture.h"
#include "store/fl-store.h"
#include "fl-model.h"

G_BEGIN_DECLS

gint64    fl_model_store_save            (FlStore     *store,
                                          FlModel     *model,
                                          GError     **error);
gboolean  fl_model_store_activate        (FlStore     *store,
                                          FlModel     *model,
                                          const char  *actor,
                                          GError     **error);
FlModel  *fl_model_store_load            (FlStore     *store,
                                          gint64       model_id,
                                          GError     **error);
FlModel  *fl_model_store_load_for_event  (FlStore     *store,
                                          const char  *event_uuid,
                                          GError     **error);

gboolean  fl_scorer_score_lead           (FlStore     *store,
                                          FlLead      *lead,
                                          GError     **error);
void      fl_scorer_fill_breakdown       (FlStore     *store,
                                          FlLead      *lead,
                                          const char  *scored_at);
gboolean  fl_scorer_capture_score        (FlStore       *store,
                                          const FlEvent *event,
                                          FlLead        *lead,
                                          gpointer       user_data,
                                          GError       **error);
gboolean  fl_scorer_set_override         (FlStore     *store,
                                          const char  *lead_uuid,
                                          const char  *status,
                                          const char  *by,
                                          const char  *reason,
                                          GError     **error);

G_END_DECLS
