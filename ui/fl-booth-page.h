/* fl-booth-page.h: the booth this kiosk syncs its leads with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "booth/fl-booth-service.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_BOOTH_PAGE (fl_booth_page_get_type ())

G_DECLARE_FINAL_TYPE (FlBoothPage, fl_booth_page, FL, BOOTH_PAGE, AdwPreferencesPage)

void      fl_booth_page_reload            (FlBoothPage     *self);
gboolean  fl_booth_page_get_waiting       (FlBoothPage     *self);
void      fl_booth_page_join              (FlBoothPage     *self,
                                           const char      *code);

/* Shared with the kiosk window, which runs the service. */
gboolean  fl_booth_start_service          (FlBoothService  *service,
                                           GError         **error);
char     *fl_booth_describe_join_error    (const GError    *error);
char     *fl_booth_format_seen            (gint64           last_seen,
                                           gint64           now);

G_END_DECLS
