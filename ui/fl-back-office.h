/* fl-back-office.h: review, correct and upload leads behind a staff PIN
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_BACK_OFFICE (fl_back_office_get_type ())

G_DECLARE_FINAL_TYPE (FlBackOffice, fl_back_office, FL, BACK_OFFICE, AdwBin)

GtkWidget  *fl_back_office_new              (FlStore      *store);
FlStore    *fl_back_office_get_store        (FlBackOffice *self);
gboolean    fl_back_office_get_locked       (FlBackOffice *self);
const char *fl_back_office_get_staff        (FlBackOffice *self);
guint       fl_back_office_get_idle_timeout (FlBackOffice *self);
void        fl_back_office_set_idle_timeout (FlBackOffice *self,
                                             guint         seconds);
void        fl_back_office_lock             (FlBackOffice *self);
void        fl_back_office_open_settings    (FlBackOffice *self,
                                             const char   *page);
void        fl_back_office_reload           (FlBackOffice *self);

G_END_DECLS
