/* fl-scan-page.h: the resting screen — scan a badge, or type in the details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "scan/fl-camera.h"

G_BEGIN_DECLS

#define FL_TYPE_SCAN_PAGE (fl_scan_page_get_type ())

G_DECLARE_FINAL_TYPE (FlScanPage, fl_scan_page, FL, SCAN_PAGE, AdwBin)

FlScanPage *fl_scan_page_new               (void);
FlCamera   *fl_scan_page_get_camera        (FlScanPage *self);
const char *fl_scan_page_get_camera_source (FlScanPage *self);
void        fl_scan_page_set_camera_source (FlScanPage *self,
                                            const char *source);
void        fl_scan_page_set_lead_count    (FlScanPage *self,
                                            const char *text);
GtkLabel   *fl_scan_page_get_lead_count    (FlScanPage *self);
gboolean    fl_scan_page_get_reading       (FlScanPage *self);
void        fl_scan_page_set_reading       (FlScanPage *self,
                                            gboolean    reading);

void        _fl_scan_page_card_file_chosen (FlScanPage *self,
                                            GFile      *file);
GtkWidget  *_fl_scan_page_get_card_button  (FlScanPage *self);
GtkWidget  *_fl_scan_page_get_lead_count_label (FlScanPage *self);

G_END_DECLS
