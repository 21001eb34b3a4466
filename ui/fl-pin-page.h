/* fl-pin-page.h: the staff PIN in front of the back office
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-staff.h"

G_BEGIN_DECLS

#define FL_TYPE_PIN_PAGE (fl_pin_page_get_type ())

G_DECLARE_FINAL_TYPE (FlPinPage, fl_pin_page, FL, PIN_PAGE, AdwBin)

GtkWidget  *fl_pin_page_new        (FlStore    *store,
                                    FlPinGuard *guard);
gboolean    fl_pin_page_get_first_run (FlPinPage *self);
void        fl_pin_page_reset      (FlPinPage  *self);

G_END_DECLS
