/* fl-connectors-page.h: where leads go, and Upload Now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-settings-page.h"

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_CONNECTORS_PAGE (fl_connectors_page_get_type ())

G_DECLARE_FINAL_TYPE (FlConnectorsPage, fl_connectors_page, FL, CONNECTORS_PAGE, FlSettingsPage)

void fl_connectors_page_upload_now (FlConnectorsPage *self);

G_END_DECLS
