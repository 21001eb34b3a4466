/* fl-roster-page.h: the organiser’s attendee list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-settings-page.h"

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_ROSTER_PAGE (fl_roster_page_get_type ())

G_DECLARE_FINAL_TYPE (FlRosterPage, fl_roster_page, FL, ROSTER_PAGE, FlSettingsPage)

gboolean fl_roster_page_preview (FlRosterPage  *self,
                                 const char    *path,
                                 GError       **error);
gboolean fl_roster_page_import  (FlRosterPage  *self,
                                 GError       **error);

G_END_DECLS
