/* fl-dashboard.h: the event at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_DASHBOARD (fl_dashboard_get_type ())

G_DECLARE_FINAL_TYPE (FlDashboard, fl_dashboard, FL, DASHBOARD, AdwBin)

GtkWidget  *fl_dashboard_new                  (FlStore     *store);
void        fl_dashboard_reload               (FlDashboard *self);
gint64      fl_dashboard_get_n_leads          (FlDashboard *self);
gboolean    fl_dashboard_get_sal_warning      (FlDashboard *self);
const char *fl_dashboard_get_sal_text         (FlDashboard *self);
const char *fl_dashboard_get_warning_text     (FlDashboard *self);
int         fl_dashboard_get_sal_threshold    (FlDashboard *self);
const char *fl_dashboard_get_retention_notice (FlDashboard *self);

G_END_DECLS
