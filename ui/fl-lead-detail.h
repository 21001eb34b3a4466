/* fl-lead-detail.h: one lead, every field of it, and what can be done to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_DETAIL (fl_lead_detail_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadDetail, fl_lead_detail, FL, LEAD_DETAIL, AdwBin)

GtkWidget  *fl_lead_detail_new             (FlStore      *store);
FlLead     *fl_lead_detail_get_lead        (FlLeadDetail *self);
void        fl_lead_detail_set_actor       (FlLeadDetail *self,
                                            const char   *actor);
void        fl_lead_detail_set_lead        (FlLeadDetail *self,
                                            const char   *uuid);
void        fl_lead_detail_reload          (FlLeadDetail *self);
gboolean    fl_lead_detail_save            (FlLeadDetail *self,
                                            GError      **error);
gboolean    fl_lead_detail_override_status (FlLeadDetail *self,
                                            const char   *status,
                                            const char   *reason,
                                            GError      **error);
gboolean    fl_lead_detail_clear_override  (FlLeadDetail *self,
                                            GError      **error);
gboolean    fl_lead_detail_send_again      (FlLeadDetail *self,
                                            gint64       *n_queued,
                                            GError      **error);
gboolean    fl_lead_detail_discard         (FlLeadDetail *self,
                                            GError      **error);

G_END_DECLS
