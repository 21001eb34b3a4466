/* fl-window-private.h: the widgets of FlWindow the GUI tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-window.h"

G_BEGIN_DECLS

AdwWindowTitle *_fl_window_get_title_widget  (FlWindow *self);
GtkWidget      *_fl_window_get_page          (FlWindow *self,
                                              const char *name);
GtkLabel       *_fl_window_get_lead_count    (FlWindow *self);
GtkLabel       *_fl_window_get_command       (FlWindow *self);
AdwStatusPage  *_fl_window_get_error_page    (FlWindow *self);

G_END_DECLS
