/* fl-application.h: the Fairlead kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-types.h"

G_BEGIN_DECLS

#define FL_TYPE_APPLICATION (fl_application_get_type ())

G_DECLARE_FINAL_TYPE (FlApplication, fl_application, FL, APPLICATION, AdwApplication)

FlApplication *fl_application_new           (void);
GSettings     *fl_application_get_settings  (FlApplication *self);
FlWindow      *fl_application_open_database (FlApplication *self,
                                             const char    *path,
                                             gboolean       demo);

G_END_DECLS
