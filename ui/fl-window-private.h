/* fl-window-private.h: the widgets of FlWindow the GUI tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-page.h"
#include "fl-lead-page-private.h"
#include "fl-scan-page.h"
#include "fl-thanks-page.h"
#include "fl-window.h"
#include "scan/fl-wedge-detector.h"
#include "sync/fl-upload-worker.h"

G_BEGIN_DECLS

AdwWindowTitle  *_fl_window_get_title_widget    (FlWindow   *self);
GtkWidget       *_fl_window_get_page            (FlWindow   *self,
                                                 const char *name);
GtkLabel        *_fl_window_get_lead_count      (FlWindow   *self);
GtkLabel        *_fl_window_get_command         (FlWindow   *self);
AdwStatusPage   *_fl_window_get_error_page      (FlWindow   *self);
gboolean         _fl_window_get_damaged         (FlWindow   *self);
GtkLabel        *_fl_window_get_damaged_command (FlWindow   *self);
FlLeadPage      *_fl_window_get_lead_page       (FlWindow   *self);
FlThanksPage    *_fl_window_get_thanks_page     (FlWindow   *self);
FlScanPage      *_fl_window_get_scan_page       (FlWindow   *self);
FlWedgeDetector *_fl_window_get_wedge           (FlWindow   *self);
void             _fl_window_set_idle_timeout_ms (FlWindow   *self,
                                                 guint       timeout_ms);
void             _fl_window_set_backup_interval_ms (FlWindow *self,
                                                 guint       interval_ms);
AdwToast        *_fl_window_get_toast           (FlWindow   *self);
GtkLabel        *_fl_window_get_staff_label     (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_label    (FlWindow   *self);
GtkMenuButton   *_fl_window_get_upload_button   (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_state    (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_count    (FlWindow   *self);
GtkWidget       *_fl_window_get_connect_button  (FlWindow   *self);
FlUploadWorker  *_fl_window_get_worker          (FlWindow   *self);

G_END_DECLS
