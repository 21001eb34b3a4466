/* fl-ui-util.h: small helpers shared by the kiosk's widgets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Sets @widget's tooltip only when it changes. GTK 4.8 re-queries the
 * tooltip on every set, and a re-query under a resting pointer can remove
 * a timeout that already ran (a critical); most updates change nothing. */
static inline void
fl_widget_update_tooltip (GtkWidget *widget, const char *text)
{
  if (g_strcmp0 (gtk_widget_get_tooltip_text (widget), text) != 0)
    gtk_widget_set_tooltip_text (widget, text);
}

G_END_DECLS
