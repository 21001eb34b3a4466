/* fl-roster-page.c: the organiser’s attendee list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-roster-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-preferences-private.h"
#include "fl-roster-page.h"
#include "lead/fl-csv.h"
#include "lead/fl-roster.h"
#include "store/fl-roster-store.h"

struct _FlRosterPage
{
  FlSettingsPage       parent_instance;

  GPtrArray           *mapping_rows;
  GPtrArray           *report_rows;
  GBytes              *roster_data;
  char                *roster_name;

  AdwActionRow        *roster_count_row;
  AdwPreferencesGroup *mapping_group;
  AdwPreferencesGroup *report_group;
  GtkWidget           *import_button;
};

G_DEFINE_FINAL_TYPE (FlRosterPage, fl_roster_page, FL_TYPE_SETTINGS_PAGE)

static void
update_roster_count (FlRosterPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  gint64 count = store ? fl_store_count_attendees (store, NULL, NULL) : -1;
  g_autofree char *text = NULL;

  text = count >= 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attendee known", "%d attendees known",
                                                    (gulong) count),
                                       (int) count)
                    : g_strdup (_("No event yet"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->roster_count_row), text);
}

static void
roster_chosen (GtkWidget *widget, const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!fl_roster_page_preview (FL_ROSTER_PAGE (widget), path, &error))
    _fl_preferences_toast (widget, error->message);
}

static void
choose_cb (FlRosterPage *self)
{
  _fl_preferences_open_file (GTK_WIDGET (self), _("Choose an Attendee List"), _("CSV files"), "*.csv",
                             roster_chosen);
}

static void
import_cb (FlRosterPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_roster_page_import (self, &error))
    _fl_preferences_toast (GTK_WIDGET (self), error->message);
  else
    _fl_preferences_toast (GTK_WIDGET (self), _("Attendee list imported"));
}

static void
fl_roster_page_reload (FlSettingsPage *page)
{
  update_roster_count (FL_ROSTER_PAGE (page));
}

static void
fl_roster_page_finalize (GObject *object)
{
  FlRosterPage *self = FL_ROSTER_PAGE (object);

  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  g_clear_pointer (&self->roster_data, g_bytes_unref);
  g_clear_pointer (&self->roster_name, g_free);
  G_OBJECT_CLASS (fl_roster_page_parent_class)->finalize (object);
}

static void
fl_roster_page_class_init (FlRosterPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_roster_page_finalize;

  FL_SETTINGS_PAGE_CLASS (klass)->reload = fl_roster_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-roster-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlRosterPage, roster_count_row);
  gtk_widget_class_bind_template_child (widget_class, FlRosterPage, mapping_group);
  gtk_widget_class_bind_template_child (widget_class, FlRosterPage, report_group);
  gtk_widget_class_bind_template_child (widget_class, FlRosterPage, import_button);
  gtk_widget_class_bind_template_callback (widget_class, choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_cb);
}

static void
fl_roster_page_init (FlRosterPage *self)
{
  self->mapping_rows = g_ptr_array_new ();
  self->report_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * fl_roster_page_preview:
 * @path: a CSV file of attendees
 *
 * Reads the file's header and shows what each column will be read as,
 * without importing anything yet.
 */
gboolean
fl_roster_page_preview (FlRosterPage *self, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr(FlCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(FlRosterMapping) mapping = NULL;
  g_autofree char *description = NULL;
  guint line = 0;

  g_return_val_if_fail (FL_IS_ROSTER_PAGE (self), FALSE);

  _fl_preferences_clear_rows (self->mapping_group, self->mapping_rows);
  _fl_preferences_clear_rows (self->report_group, self->report_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->report_group), FALSE);
  g_clear_pointer (&self->roster_data, g_bytes_unref);

  if (!g_file_get_contents (path, &data, &length, error))
    return FALSE;
  reader = fl_csv_reader_new (data, (gssize) length, 0);
  header = fl_csv_reader_next (reader, &line, error);
  if (header == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_EMPTY,
                             _("The attendee list is empty; it needs a header line with the column names and "
                               "one line per attendee"));
      return FALSE;
    }
  mapping = fl_roster_mapping_new (header, NULL, error);
  if (mapping == NULL)
    return FALSE;

  for (guint i = 0; i < fl_roster_mapping_get_n_columns (mapping) && i < header->len; i++)
    {
      const char *target = fl_roster_mapping_get_target (mapping, i);
      const char *shown = g_strcmp0 (target, "ignore") == 0 ? _("ignored")
                          : g_strcmp0 (target, "extra") == 0 ? _("kept as an extra field")
                          : target;
      GtkWidget *row = _fl_preferences_add_row (self->mapping_group, self->mapping_rows, g_ptr_array_index (header, i), NULL);
      GtkWidget *label = gtk_label_new (shown);

      gtk_widget_add_css_class (label, g_strcmp0 (target, "ignore") == 0 ? "dim-label" : "accent");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  self->roster_data = g_bytes_new_take (g_steal_pointer (&data), length);
  g_free (self->roster_name);
  self->roster_name = g_path_get_basename (path);
  description = g_strdup_printf (_("How the columns of %s will be read. Import when this looks right."),
                                 self->roster_name);
  adw_preferences_group_set_description (self->mapping_group, description);
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group), TRUE);
  gtk_widget_set_sensitive (self->import_button, TRUE);
  return TRUE;
}

/**
 * fl_roster_page_import:
 *
 * Imports the previewed attendee list and shows the report.
 */
gboolean
fl_roster_page_import (FlRosterPage *self, GError **error)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(FlRosterReport) report = NULL;
  g_autofree char *summary = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (FL_IS_ROSTER_PAGE (self), FALSE);
  g_return_val_if_fail (self->roster_data != NULL, FALSE);

  data = g_bytes_get_data (self->roster_data, &length);
  report = fl_store_import_roster (store, NULL, data, (gssize) length, NULL, error);
  if (report == NULL)
    return FALSE;

  _fl_preferences_clear_rows (self->report_group, self->report_rows);
  summary = g_strdup_printf (_("%u new, %u updated, %u skipped"), report->n_imported, report->n_updated,
                             report->skipped->len);
  _fl_preferences_add_row (self->report_group, self->report_rows, summary, self->roster_name);
  for (guint i = 0; i < report->skipped->len && i < 50; i++)
    {
      FlRosterSkip *skip = &g_array_index (report->skipped, FlRosterSkip, i);
      g_autofree char *title = g_strdup_printf (_("Line %u skipped"), skip->line);

      _fl_preferences_add_row (self->report_group, self->report_rows, title, skip->reason);
    }
  if (report->skipped->len > 50)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more skipped lines"), report->skipped->len - 50);
      _fl_preferences_add_row (self->report_group, self->report_rows, more, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->report_group), TRUE);
  gtk_widget_set_sensitive (self->import_button, FALSE);
  update_roster_count (self);
  g_clear_pointer (&self->roster_data, g_bytes_unref);
  fl_store_add_audit (store, NULL, actor, "roster-imported", summary, NULL);
  return TRUE;
}
