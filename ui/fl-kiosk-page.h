/* fl-kiosk-page.h: how the kiosk behaves at the booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FL_TYPE_KIOSK_PAGE (fl_kiosk_page_get_type ())

G_DECLARE_FINAL_TYPE (FlKioskPage, fl_kiosk_page, FL, KIOSK_PAGE, AdwPreferencesPage)

G_END_DECLS
