/* fl-window.h: the kiosk window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "booth/fl-booth-service.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_WINDOW (fl_window_get_type ())

G_DECLARE_FINAL_TYPE (FlWindow, fl_window, FL, WINDOW, AdwApplicationWindow)

FlWindow   *fl_window_new               (GtkApplication *application);
FlStore    *fl_window_get_store         (FlWindow       *self);
const char *fl_window_get_database_path (FlWindow       *self);
const char *fl_window_get_visible_page  (FlWindow       *self);
const char *fl_window_get_staff         (FlWindow       *self);
void        fl_window_set_staff         (FlWindow       *self,
                                         const char     *staff);
void        fl_window_capture           (FlWindow       *self,
                                         const char     *payload,
                                         FlSource        source);
void        fl_window_set_store         (FlWindow       *self,
                                         FlStore        *store);
void        fl_window_show_error        (FlWindow       *self,
                                         const char     *path,
                                         const GError   *error);
void        fl_window_reload            (FlWindow       *self);
FlBoothService *fl_window_get_booth_service (FlWindow   *self);

G_END_DECLS
