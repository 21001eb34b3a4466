/* fl-model-page.h: the scoring model, checked before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-settings-page.h"

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_MODEL_PAGE (fl_model_page_get_type ())

G_DECLARE_FINAL_TYPE (FlModelPage, fl_model_page, FL, MODEL_PAGE, FlSettingsPage)

gboolean fl_model_page_load         (FlModelPage          *self,
                                     const char           *path,
                                     GError              **error);
void     fl_model_page_apply_async  (FlModelPage          *self,
                                     GAsyncReadyCallback   callback,
                                     gpointer              user_data);
gint64   fl_model_page_apply_finish (FlModelPage          *self,
                                     GAsyncResult         *result,
                                     GError              **error);

G_END_DECLS
