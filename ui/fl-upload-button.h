/* fl-upload-button.h: the header button that tells where the leads stand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "sync/fl-upload-worker.h"

G_BEGIN_DECLS

#define FL_TYPE_UPLOAD_BUTTON (fl_upload_button_get_type ())

G_DECLARE_FINAL_TYPE (FlUploadButton, fl_upload_button, FL, UPLOAD_BUTTON, GtkWidget)

FlUploadWorker *fl_upload_button_get_worker (FlUploadButton *self);
void            fl_upload_button_set_worker (FlUploadButton *self,
                                             FlUploadWorker *worker);
void            fl_upload_button_popdown    (FlUploadButton *self);

G_END_DECLS
