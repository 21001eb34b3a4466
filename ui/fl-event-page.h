/* fl-event-page.h: the event the leads belong to
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-settings-page.h"

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_EVENT_PAGE (fl_event_page_get_type ())

G_DECLARE_FINAL_TYPE (FlEventPage, fl_event_page, FL, EVENT_PAGE, FlSettingsPage)

gboolean fl_event_page_save (FlEventPage  *self,
                            GError      **error);

G_END_DECLS
