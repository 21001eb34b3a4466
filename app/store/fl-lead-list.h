/* fl-lead-list.h: the leads of a query as a GListModel, paged from SQLite
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_LIST (fl_lead_list_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadList, fl_lead_list, FL, LEAD_LIST, GObject)

FlLeadList *fl_lead_list_new          (FlStore           *store);
void        fl_lead_list_set_query    (FlLeadList        *self,
                                       const FlLeadQuery *query);
gboolean    fl_lead_list_refresh      (FlLeadList        *self,
                                       GError           **error);
gint64      fl_lead_list_get_db_time  (FlLeadList        *self);

GPtrArray  *fl_store_list_lead_staff  (FlStore           *store,
                                       const char        *event,
                                       GError           **error);
GPtrArray  *fl_store_list_lead_days   (FlStore           *store,
                                       const char        *event,
                                       GError           **error);
gboolean    fl_store_get_upload_state (FlStore           *store,
                                       const char        *uuid,
                                       FlUploadState     *state,
                                       GError           **error);

G_END_DECLS
