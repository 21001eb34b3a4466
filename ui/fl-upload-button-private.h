/* fl-upload-button-private.h: the widgets of FlUploadButton the GUI tests look at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-upload-button.h"

G_BEGIN_DECLS

GtkMenuButton *_fl_upload_button_get_menu_button    (FlUploadButton *self);
GtkLabel      *_fl_upload_button_get_count_label    (FlUploadButton *self);
GtkLabel      *_fl_upload_button_get_state_label    (FlUploadButton *self);
GtkLabel      *_fl_upload_button_get_pending_label  (FlUploadButton *self);
GtkWidget     *_fl_upload_button_get_connect_button (FlUploadButton *self);

G_END_DECLS
