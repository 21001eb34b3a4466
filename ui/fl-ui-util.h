/* fl-ui-util.h: the words, times, CSS classes and toasts the GUI shares
 *
 * One place for how the GUI names a lead's state: a status or an upload
 * state reads the same and wears the same CSS class (status-*, upload-*,
 * styled in style.css) on every page.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "lead/fl-lead.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

const char *fl_status_get_label           (FlStatus         status);
const char *fl_status_get_css_class       (FlStatus         status);
const char *fl_upload_state_get_label     (FlUploadState    state);
const char *fl_upload_state_get_css_class (FlUploadState    state);
void        fl_widget_set_status_class    (GtkWidget       *widget,
                                           FlStatus         status);
void        fl_widget_set_upload_class    (GtkWidget       *widget,
                                           FlUploadState    state);
char       *fl_format_local_date_time     (const char      *iso8601);
char       *fl_format_local_time          (const char      *iso8601,
                                           const char      *format);
void        fl_toast_show                 (AdwToastOverlay *overlay,
                                           const char      *title);
void        fl_toast_show_printf          (AdwToastOverlay *overlay,
                                           const char      *format,
                                           ...) G_GNUC_PRINTF (2, 3);

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
