/* fl-ui-util.c: the words, times, CSS classes and toasts the GUI shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-ui-util"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-ui-util.h"

static const char *const status_classes[] = { "status-mql", "status-sal", "status-disqualified" };

static const char *const upload_classes[] = { "upload-none", "upload-waiting", "upload-failed",
                                              "upload-done" };

/* Removes every class of @classes from @widget but @keep, then adds @keep,
 * so that a widget never wears two states at once. */
static void
set_one_class (GtkWidget         *widget,
               const char *const *classes,
               guint              n_classes,
               const char        *keep)
{
  for (guint i = 0; i < n_classes; i++)
    if (g_strcmp0 (classes[i], keep) != 0)
      gtk_widget_remove_css_class (widget, classes[i]);
  gtk_widget_add_css_class (widget, keep);
}

/* The status as the back office names it: "MQL", "SAL", "Disqualified". */
const char *
fl_status_get_label (FlStatus status)
{
  switch (status)
    {
    case FL_STATUS_MQL:
      return C_("status", "MQL");
    case FL_STATUS_SAL:
      return C_("status", "SAL");
    case FL_STATUS_DISQUALIFIED:
      return C_("status", "Disqualified");
    default:
      return "";
    }
}

const char *
fl_status_get_css_class (FlStatus status)
{
  switch (status)
    {
    case FL_STATUS_SAL:
      return "status-sal";
    case FL_STATUS_DISQUALIFIED:
      return "status-disqualified";
    case FL_STATUS_MQL:
    default:
      return "status-mql";
    }
}

const char *
fl_upload_state_get_label (FlUploadState state)
{
  switch (state)
    {
    case FL_UPLOAD_NONE:
      return C_("upload", "Not queued");
    case FL_UPLOAD_WAITING:
      return C_("upload", "Waiting");
    case FL_UPLOAD_FAILED:
      return C_("upload", "Failed");
    case FL_UPLOAD_DONE:
      return C_("upload", "Uploaded");
    case FL_UPLOAD_ANY:
    default:
      return "";
    }
}

const char *
fl_upload_state_get_css_class (FlUploadState state)
{
  switch (state)
    {
    case FL_UPLOAD_WAITING:
      return "upload-waiting";
    case FL_UPLOAD_FAILED:
      return "upload-failed";
    case FL_UPLOAD_DONE:
      return "upload-done";
    case FL_UPLOAD_NONE:
    case FL_UPLOAD_ANY:
    default:
      return "upload-none";
    }
}

/* Gives @widget the CSS class of @status and none of the others. */
void
fl_widget_set_status_class (GtkWidget *widget,
                            FlStatus   status)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  set_one_class (widget, status_classes, G_N_ELEMENTS (status_classes), fl_status_get_css_class (status));
}

/* Gives @widget the CSS class of @state and none of the others. */
void
fl_widget_set_upload_class (GtkWidget     *widget,
                            FlUploadState  state)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  set_one_class (widget, upload_classes, G_N_ELEMENTS (upload_classes), fl_upload_state_get_css_class (state));
}

/**
 * fl_format_local_time:
 * @iso8601: (nullable): a time as the database keeps it (UTC)
 * @format: a g_date_time_format() format
 *
 * Returns: (transfer full): the time in the local time zone, or a copy of
 *   @iso8601 when it does not parse
 */
char *
fl_format_local_time (const char *iso8601,
                      const char *format)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (iso8601 == NULL)
    return g_strdup ("");
  utc = g_date_time_new_from_iso8601 (iso8601, NULL);
  if (utc == NULL)
    return g_strdup (iso8601);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, format);
}

/**
 * fl_format_local_date_time:
 * @iso8601: (nullable): a time as the database keeps it (UTC)
 *
 * Returns: (transfer full): date and time in the local time zone, written
 *   the way the user interface's language writes them
 */
char *
fl_format_local_date_time (const char *iso8601)
{
  /* Translators: a date and time in the lead detail, a g_date_time_format()
   * format: “4 Dec 2026, 16:44”; German: “%-d. %b %Y, %H:%M” */
  return fl_format_local_time (iso8601, _("%-d %b %Y, %H:%M"));
}

/* Shows @title as a toast, the confirmation or the error of an action on
 * a back-office page. */
void
fl_toast_show (AdwToastOverlay *overlay,
               const char      *title)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  adw_toast_overlay_add_toast (overlay, adw_toast_new (title));
}

void
fl_toast_show_printf (AdwToastOverlay *overlay,
                      const char      *format,
                      ...)
{
  g_autofree char *title = NULL;
  va_list args;

  va_start (args, format);
  title = g_strdup_vprintf (format, args);
  va_end (args);
  fl_toast_show (overlay, title);
}
