/* fl-text-limit.h: a text buffer that holds no more than a field may store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fl_text_limit_attach (GtkTextBuffer *buffer,
                           gsize          max_bytes,
                           GtkWidget     *message);

G_END_DECLS
