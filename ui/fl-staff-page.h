/* fl-staff-page.h: who may open the back office
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-settings-page.h"

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_STAFF_PAGE (fl_staff_page_get_type ())

G_DECLARE_FINAL_TYPE (FlStaffPage, fl_staff_page, FL, STAFF_PAGE, FlSettingsPage)

G_END_DECLS
