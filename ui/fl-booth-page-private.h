/* fl-booth-page-private.h: the Booth page's widgets the GUI tests use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-booth-page.h"

G_BEGIN_DECLS

GtkEditable      *_fl_booth_page_get_entry      (FlBoothPage *self,
                                                 const char  *name);
GtkLabel         *_fl_booth_page_get_code_label (FlBoothPage *self);
GtkPicture       *_fl_booth_page_get_qr         (FlBoothPage *self);
GtkLabel         *_fl_booth_page_get_join_label (FlBoothPage *self);
GPtrArray        *_fl_booth_page_get_rows       (FlBoothPage *self);
gboolean          _fl_booth_page_get_joining    (FlBoothPage *self);
AdwMessageDialog *_fl_booth_page_ask_remove     (FlBoothPage *self,
                                                 const char  *device_id);

G_END_DECLS
