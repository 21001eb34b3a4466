/* test-ui-util.c: the words, CSS classes and times the GUI shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fl-ui-util.h"

static const FlStatus statuses[] = { FL_STATUS_MQL, FL_STATUS_SAL, FL_STATUS_DISQUALIFIED };
static const FlUploadState upload_states[] = { FL_UPLOAD_NONE, FL_UPLOAD_WAITING, FL_UPLOAD_FAILED,
                                               FL_UPLOAD_DONE };

/* How many of @widget's CSS classes start with @prefix. */
static guint
count_classes (GtkWidget *widget, const char *prefix)
{
  g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);
  guint n = 0;

  for (guint i = 0; classes[i] != NULL; i++)
    if (g_str_has_prefix (classes[i], prefix))
      n++;
  return n;
}

static void
test_status (void)
{
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

  gtk_widget_add_css_class (label, "pill-label");
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
      {
        const char *css = fl_status_get_css_class (statuses[i]);

        g_assert_true (g_str_has_prefix (css, "status-"));
        g_assert_cmpstr (fl_status_get_label (statuses[i]), !=, "");
        g_hash_table_add (labels, (gpointer) fl_status_get_label (statuses[i]));

        /* One status at a time, whatever the widget wore before; the
         * widget's other classes stay. */
        fl_widget_set_status_class (label, statuses[i]);
        g_assert_true (gtk_widget_has_css_class (label, css));
        g_assert_cmpuint (count_classes (label, "status-"), ==, 1);
        g_assert_true (gtk_widget_has_css_class (label, "pill-label"));
      }
  g_assert_cmpuint (g_hash_table_size (labels), ==, G_N_ELEMENTS (statuses));
  g_assert_finalize_object (label);
}

static void
test_upload_state (void)
{
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));

  fl_widget_set_status_class (label, FL_STATUS_SAL);
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (upload_states); i++)
      {
        const char *css = fl_upload_state_get_css_class (upload_states[i]);
        g_autofree char *expected = g_strconcat ("upload-", fl_upload_state_to_string (upload_states[i]), NULL);

        /* The class is named after the state as the store spells it. */
        g_assert_cmpstr (css, ==, expected);
        g_assert_cmpstr (fl_upload_state_get_label (upload_states[i]), !=, "");
        g_hash_table_add (labels, (gpointer) fl_upload_state_get_label (upload_states[i]));

        fl_widget_set_upload_class (label, upload_states[i]);
        g_assert_true (gtk_widget_has_css_class (label, css));
        g_assert_cmpuint (count_classes (label, "upload-"), ==, 1);
        g_assert_true (gtk_widget_has_css_class (label, "status-sal"));
      }
  g_assert_cmpuint (g_hash_table_size (labels), ==, G_N_ELEMENTS (upload_states));
  g_assert_finalize_object (label);
}

/* Every class the code gives a status or an upload state has a rule in
 * the style sheet under the one name scheme: a renamed class on either
 * side fails here, not only in a screenshot. */
static void
test_style_sheet (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/io/github/fairlead/Fairlead/style.css",
                                                     G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  g_autofree char *css = NULL;

  g_assert_no_error (error);
  css = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *kiosk = g_strdup_printf (".status-pill.%s {", fl_status_get_css_class (statuses[i]));
      g_autofree char *back_office = g_strdup_printf (".pill-label.%s {", fl_status_get_css_class (statuses[i]));

      g_assert_nonnull (strstr (css, kiosk));
      g_assert_nonnull (strstr (css, back_office));
    }
  for (guint i = 0; i < G_N_ELEMENTS (upload_states); i++)
    {
      g_autofree char *rule = g_strdup_printf (".%s {", fl_upload_state_get_css_class (upload_states[i]));

      g_assert_nonnull (strstr (css, rule));
    }
}

static void
test_local_time (void)
{
  g_autofree char *empty = fl_format_local_time (NULL, "%H:%M");
  g_autofree char *garbage = fl_format_local_time ("yesterday-ish", "%H:%M");
  g_autofree char *summer = fl_format_local_time ("2026-06-23T09:05:00.000Z", "%Y-%m-%d %H:%M");
  g_autofree char *midnight = fl_format_local_time ("2026-06-23T23:30:00Z", "%Y-%m-%d %H:%M");

  /* main() set the local time zone to UTC+1, with no daylight saving. */
  g_assert_cmpstr (empty, ==, "");
  g_assert_cmpstr (garbage, ==, "yesterday-ish");
  g_assert_cmpstr (summer, ==, "2026-06-23 10:05");
  g_assert_cmpstr (midnight, ==, "2026-06-24 00:30");
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the GUI tests under xvfb-run -a");
}

int
main (int argc, char *argv[])
{
  /* A fixed local zone (POSIX form, no tzdata needed), set before GLib
   * reads it, so that local times are known to the test. */
  g_setenv ("TZ", "UTC-1", TRUE);

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/gui/ui-util/no-display", test_no_display);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add_func ("/gui/ui-util/status", test_status);
  g_test_add_func ("/gui/ui-util/upload-state", test_upload_state);
  g_test_add_func ("/gui/ui-util/style-sheet", test_style_sheet);
  g_test_add_func ("/gui/ui-util/local-time", test_local_time);
  return g_test_run ();
}
