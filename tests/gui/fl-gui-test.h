/* fl-gui-test.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fl-window.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

void     fl_gui_test_park_pointer (void);
void     fl_gui_test_iterate      (void);
void     fl_gui_test_settle       (guint        ms);
void     fl_gui_test_wait_for_page (FlWindow   *window,
                                   const char *name,
                                   guint       seconds);
void     fl_gui_test_scan_burst   (FlWindow    *window,
                                   const char  *text);
double   fl_gui_test_scan         (FlWindow    *window,
                                   const char  *text);
FlLead  *fl_gui_test_find_lead    (FlStore     *store,
                                   const char  *email);
gint64   fl_gui_test_count_leads  (FlStore     *store);

G_END_DECLS
