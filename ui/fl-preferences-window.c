/* fl-preferences-window.c: the event, staff, scoring model, roster,
 * connectors and kiosk settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-preferences-window.h"
#include "lead/fl-csv.h"
#include "lead/fl-roster.h"
#include "score/fl-model-store.h"
#include "score/fl-rescore.h"
#include "store/fl-event-settings.h"
#include "store/fl-roster-store.h"
#include "store/fl-staff.h"
#include "sync/fl-backlog.h"
#include "sync/fl-outbox.h"
#include "sync/fl-secret.h"
#include "sync/fl-uploader.h"

/* The event setting the thanks page turns into a QR code. */
#define SETTING_HANDOUT_URL "handout_url"

struct _FlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  FlStore              *store;
  char                 *actor;
  GSettings            *settings;
  GCancellable         *cancellable;

  /* Event */
  AdwEntryRow          *event_rows[6];
  AdwPreferencesGroup  *event_group;

  /* Staff */
  AdwPreferencesGroup  *staff_group;
  GPtrArray            *staff_rows;
  AdwEntryRow          *staff_name_row;
  AdwPasswordEntryRow  *staff_pin_row;

  /* Scoring model */
  AdwPreferencesGroup  *model_group;
  GPtrArray            *model_rows;
  AdwPreferencesGroup  *faults_group;
  GPtrArray            *fault_rows;
  AdwPreferencesGroup  *dry_run_group;
  GPtrArray            *dry_run_rows;
  GtkWidget            *apply_button;
  GtkWidget            *load_model_button;
  FlModel              *candidate;
  gboolean              applying;

  /* Roster */
  AdwPreferencesGroup  *roster_group;
  AdwActionRow         *roster_count_row;
  AdwPreferencesGroup  *mapping_group;
  GPtrArray            *mapping_rows;
  AdwPreferencesGroup  *report_group;
  GPtrArray            *report_rows;
  GtkWidget            *import_button;
  GBytes               *roster_data;
  char                 *roster_name;

  /* Connectors and upload */
  AdwPreferencesGroup  *connectors_group;
  GPtrArray            *connector_rows;
  GtkProgressBar       *upload_progress;
  GtkWidget            *upload_button;
  AdwActionRow         *upload_row;
  gboolean              uploading;
};

G_DEFINE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  EVENT_NAME,
  EVENT_STARTS,
  EVENT_ENDS,
  EVENT_VENUE,
  EVENT_BOOTH,
  EVENT_HANDOUT,
};

static void
toast (FlPreferencesWindow *self, const char *text)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
}

static void
toast_error (FlPreferencesWindow *self, const GError *error)
{
  toast (self, error->message);
}

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group, GPtrArray *rows, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
  if (rows != NULL)
    g_ptr_array_add (rows, row);
  return row;
}

static AdwPreferencesPage *
add_page (FlPreferencesWindow *self, const char *name, const char *title, const char *icon)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());

  adw_preferences_page_set_name (page, name);
  adw_preferences_page_set_title (page, title);
  adw_preferences_page_set_icon_name (page, icon);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
  return page;
}

static AdwPreferencesGroup *
add_group (AdwPreferencesPage *page, const char *title, const char *description)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  if (description != NULL)
    adw_preferences_group_set_description (group, description);
  adw_preferences_page_add (page, group);
  return group;
}

static GtkWidget *
suffix_button (const char *label, GCallback callback, gpointer data)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (callback != NULL)
    g_signal_connect_swapped (button, "clicked", callback, data);
  return button;
}

/* A row's flat trash button; @callback gets the button, with NAME as its
 * data "name", and asks before removing anything. */
static GtkWidget *
trash_button (const char *name, GCallback callback, gpointer data)
{
  GtkWidget *button = gtk_button_new_from_icon_name ("user-trash-symbolic");

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _("Remove"));
  g_object_set_data_full (G_OBJECT (button), "name", g_strdup (name), g_free);
  g_signal_connect (button, "clicked", callback, data);
  return button;
}

static char *
entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

/* Event */

static void
load_event (FlPreferencesWindow *self)
{
  g_autoptr(FlEvent) event = fl_store_get_active_event (self->store, NULL);
  const char *values[6] = { 0 };

  if (event != NULL)
    {
      values[EVENT_NAME] = event->name;
      values[EVENT_STARTS] = event->starts_on;
      values[EVENT_ENDS] = event->ends_on;
      values[EVENT_VENUE] = event->venue;
      values[EVENT_BOOTH] = event->booth;
      values[EVENT_HANDOUT] = json_object_get_string_member_with_default (json_node_get_object (event->settings),
                                                                           SETTING_HANDOUT_URL, NULL);
    }
  adw_preferences_group_set_description (self->event_group,
                                         event ? NULL : _("There is no event yet. Fill in at least its name and "
                                                          "save to create it."));
  for (guint i = 0; i < G_N_ELEMENTS (self->event_rows); i++)
    gtk_editable_set_text (GTK_EDITABLE (self->event_rows[i]), values[i] ? values[i] : "");
}

/**
 * fl_preferences_window_save_event:
 *
 * Saves the event fields, creating the event when there is none.
 */
gboolean
fl_preferences_window_save_event (FlPreferencesWindow *self, GError **error)
{
  g_autoptr(FlEvent) event = fl_store_get_active_event (self->store, NULL);
  g_autofree char *values[6] = { 0 };
  gboolean created = FALSE;

  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = entry_text (self->event_rows[i]);
  if (*values[EVENT_NAME] == '\0')
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The event needs a name, as visitors and the CRM will see it"));
      return FALSE;
    }
  for (guint i = EVENT_STARTS; i <= EVENT_ENDS; i++)
    if (*values[i] != '\0' && !fl_event_check_date (values[i]))
      {
        g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                     _("“%s” is not a date; write it as YYYY-MM-DD, e.g. 2026-06-23"), values[i]);
        return FALSE;
      }
  if (*values[EVENT_STARTS] && *values[EVENT_ENDS] && strcmp (values[EVENT_STARTS], values[EVENT_ENDS]) > 0)
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The event ends before it starts; check the two dates"));
      return FALSE;
    }
  if (!fl_event_settings_check_handout_url (values[EVENT_HANDOUT], error))
    return FALSE;

  if (event == NULL)
    {
      event = fl_event_new ();
      created = TRUE;
    }
#define SET(field, index) (g_free (event->field), event->field = *values[index] ? g_strdup (values[index]) : NULL)
  SET (name, EVENT_NAME);
  SET (starts_on, EVENT_STARTS);
  SET (ends_on, EVENT_ENDS);
  SET (venue, EVENT_VENUE);
  SET (booth, EVENT_BOOTH);
#undef SET
  if (*values[EVENT_HANDOUT])
    json_object_set_string_member (json_node_get_object (event->settings), SETTING_HANDOUT_URL,
                                   values[EVENT_HANDOUT]);
  else
    json_object_remove_member (json_node_get_object (event->settings), SETTING_HANDOUT_URL);

  if (created)
    {
      g_autoptr(FlEvent) saved = fl_store_create_event (self->store, event, error);

      if (saved == NULL || !fl_store_set_active_event (self->store, saved->uuid, error))
        return FALSE;
    }
  else if (!fl_store_update_event (self->store, event, error))
    return FALSE;
  fl_store_add_audit (self->store, NULL, self->actor, created ? "event-created" : "event-changed",
                      values[EVENT_NAME], NULL);
  load_event (self);
  return TRUE;
}

static void
save_event_cb (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_preferences_window_save_event (self, &error))
    toast_error (self, error);
  else
    toast (self, _("Event saved"));
}

static void
build_event_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "event", _("Event"), "x-office-calendar-symbolic");
  const char *titles[] = { _("Name"), _("First Day (YYYY-MM-DD)"), _("Last Day (YYYY-MM-DD)"), _("Venue"),
                           _("Booth"), _("Handout Link (shown as a QR code)") };
  GtkWidget *button;

  self->event_group = add_group (page, _("The Event"), NULL);
  button = suffix_button (_("_Save"), G_CALLBACK (save_event_cb), self);
  gtk_widget_add_css_class (button, "suggested-action");
  adw_preferences_group_set_header_suffix (self->event_group, button);
  for (guint i = 0; i < G_N_ELEMENTS (self->event_rows); i++)
    {
      self->event_rows[i] = ADW_ENTRY_ROW (adw_entry_row_new ());
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->event_rows[i]), titles[i]);
      g_signal_connect_swapped (self->event_rows[i], "entry-activated", G_CALLBACK (save_event_cb), self);
      adw_preferences_group_add (self->event_group, GTK_WIDGET (self->event_rows[i]));
    }
  adw_entry_row_set_input_purpose (self->event_rows[EVENT_HANDOUT], GTK_INPUT_PURPOSE_URL);
  load_event (self);
}

/* Staff */

static void load_staff (FlPreferencesWindow *self);

static void
remove_staff_response_cb (AdwMessageDialog *dialog, const char *response, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_strcmp0 (response, "remove") != 0)
    return;
  if (!fl_staff_remove (self->store, name, &error))
    {
      toast_error (self, error);
      return;
    }
  fl_store_add_audit (self->store, NULL, self->actor, "staff-removed", name, NULL);
  load_staff (self);
}

/* Asks before removing NAME; @response_cb gets "remove" or "cancel", the
 * name as the dialog's data "name". */
static AdwMessageDialog *
ask_to_remove (FlPreferencesWindow *self, const char *heading, const char *body, const char *name,
               GCallback response_cb)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "name", g_strdup (name), g_free);
  g_signal_connect (dialog, "response", response_cb, self);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
remove_staff_cb (GtkButton *button, FlPreferencesWindow *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "name");
  g_autofree char *body = NULL;

  if (g_strcmp0 (name, self->actor) == 0)
    {
      toast (self, _("You cannot remove yourself; ask a colleague to do it"));
      return;
    }
  body = g_strdup_printf (_("%s will no longer be able to open the back office. The leads they captured stay."),
                          name);
  ask_to_remove (self, _("Remove Staff Member?"), body, name, G_CALLBACK (remove_staff_response_cb));
}

static void
load_staff (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = fl_staff_list (self->store, &error);

  clear_rows (self->staff_group, self->staff_rows);
  if (names == NULL)
    {
      add_row (self->staff_group, self->staff_rows, error->message, NULL);
      return;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *row = add_row (self->staff_group, self->staff_rows, names[i],
                                g_strcmp0 (names[i], self->actor) == 0 ? _("You") : NULL);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 trash_button (names[i], G_CALLBACK (remove_staff_cb), self));
    }
}

static void
save_staff_cb (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = entry_text (self->staff_name_row);
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->staff_pin_row));
  g_auto(GStrv) before = fl_staff_list (self->store, NULL);
  gboolean known = before != NULL && g_strv_contains ((const char * const *) before, name);

  if (*name == '\0')
    {
      toast (self, _("Enter the staff member’s name"));
      return;
    }
  if (!fl_staff_set (self->store, name, pin, &error))
    {
      toast_error (self, error);
      return;
    }
  fl_store_add_audit (self->store, NULL, self->actor, known ? "staff-pin-changed" : "staff-added", name, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->staff_name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->staff_pin_row), "");
  toast (self, known ? _("PIN changed") : _("Staff member added"));
  load_staff (self);
}

static void
build_staff_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "staff", _("Staff"), "system-users-symbolic");
  AdwPreferencesGroup *group;
  GtkWidget *button;

  self->staff_group = add_group (page, _("Staff Members"),
                                 _("Everyone who may open the back office. PINs are stored only as salted hashes."));
  self->staff_rows = g_ptr_array_new ();
  load_staff (self);

  group = add_group (page, _("Add a Staff Member or Change a PIN"),
                     _("Enter an existing name to give that person a new PIN."));
  self->staff_name_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->staff_name_row), _("Name"));
  adw_preferences_group_add (group, GTK_WIDGET (self->staff_name_row));
  self->staff_pin_row = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->staff_pin_row), _("PIN (4 to 12 digits)"));
  adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (self->staff_pin_row), GTK_INPUT_PURPOSE_PIN);
  g_signal_connect_swapped (self->staff_pin_row, "entry-activated", G_CALLBACK (save_staff_cb), self);
  adw_preferences_group_add (group, GTK_WIDGET (self->staff_pin_row));
  button = suffix_button (_("_Save"), G_CALLBACK (save_staff_cb), self);
  adw_preferences_group_set_header_suffix (group, button);
}

/* Roster */

static void
update_roster_count (FlPreferencesWindow *self)
{
  gint64 count = fl_store_count_attendees (self->store, NULL, NULL);
  g_autofree char *text = NULL;

  text = count >= 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d attendee known", "%d attendees known",
                                                    (gulong) count),
                                       (int) count)
                    : g_strdup (_("No event yet"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->roster_count_row), text);
}

/**
 * fl_preferences_window_preview_roster:
 * @path: a CSV file of attendees
 *
 * Reads the file's header and shows what each column will be read as,
 * without importing anything yet.
 */
gboolean
fl_preferences_window_preview_roster (FlPreferencesWindow *self, const char *path, GError **error)
{
  g_autofree char *data = NULL;
  gsize length;
  g_autoptr(FlCsvReader) reader = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(FlRosterMapping) mapping = NULL;
  g_autofree char *description = NULL;
  guint line = 0;

  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);

  clear_rows (self->mapping_group, self->mapping_rows);
  clear_rows (self->report_group, self->report_rows);
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
      GtkWidget *row = add_row (self->mapping_group, self->mapping_rows, g_ptr_array_index (header, i), NULL);
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
 * fl_preferences_window_import_roster:
 *
 * Imports the previewed attendee list and shows the report.
 */
gboolean
fl_preferences_window_import_roster (FlPreferencesWindow *self, GError **error)
{
  g_autoptr(FlRosterReport) report = NULL;
  g_autofree char *summary = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);
  g_return_val_if_fail (self->roster_data != NULL, FALSE);

  data = g_bytes_get_data (self->roster_data, &length);
  report = fl_store_import_roster (self->store, NULL, data, (gssize) length, NULL, error);
  if (report == NULL)
    return FALSE;

  clear_rows (self->report_group, self->report_rows);
  summary = g_strdup_printf (_("%u new, %u updated, %u skipped"), report->n_imported, report->n_updated,
                             report->skipped->len);
  add_row (self->report_group, self->report_rows, summary, self->roster_name);
  for (guint i = 0; i < report->skipped->len && i < 50; i++)
    {
      FlRosterSkip *skip = &g_array_index (report->skipped, FlRosterSkip, i);
      g_autofree char *title = g_strdup_printf (_("Line %u skipped"), skip->line);

      add_row (self->report_group, self->report_rows, title, skip->reason);
    }
  if (report->skipped->len > 50)
    {
      g_autofree char *more = g_strdup_printf (_("and %u more skipped lines"), report->skipped->len - 50);
      add_row (self->report_group, self->report_rows, more, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->report_group), TRUE);
  gtk_widget_set_sensitive (self->import_button, FALSE);
  update_roster_count (self);
  g_clear_pointer (&self->roster_data, g_bytes_unref);
  fl_store_add_audit (self->store, NULL, self->actor, "roster-imported", summary, NULL);
  return TRUE;
}

static void
roster_file_cb (GtkNativeDialog *dialog, int response, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        toast (self, _("Choose a file on this computer"));
      else if (!fl_preferences_window_preview_roster (self, path, &error))
        toast_error (self, error);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
open_file (FlPreferencesWindow *self, const char *title, const char *filter_name, const char *pattern,
           GCallback callback)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (self),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                              _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", callback, self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
choose_roster_cb (FlPreferencesWindow *self)
{
  open_file (self, _("Choose an Attendee List"), _("CSV files"), "*.csv", G_CALLBACK (roster_file_cb));
}

static void
import_roster_cb (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_preferences_window_import_roster (self, &error))
    toast_error (self, error);
  else
    toast (self, _("Attendee list imported"));
}

static void
build_roster_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "roster", _("Roster"), "x-office-address-book-symbolic");
  GtkWidget *row, *button;

  self->roster_group = add_group (page, _("Attendee List"),
                                  _("The organiser’s list of badge ids and names, so badges that carry only an id "
                                    "show the visitor’s name, offline."));
  row = add_row (self->roster_group, NULL, "", NULL);
  self->roster_count_row = ADW_ACTION_ROW (row);
  update_roster_count (self);
  button = suffix_button (_("_Choose File…"), G_CALLBACK (choose_roster_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  self->mapping_rows = g_ptr_array_new ();
  self->mapping_group = add_group (page, _("Column Mapping"), NULL);
  self->import_button = suffix_button (_("_Import"), G_CALLBACK (import_roster_cb), self);
  gtk_widget_add_css_class (self->import_button, "suggested-action");
  adw_preferences_group_set_header_suffix (self->mapping_group, self->import_button);
  gtk_widget_set_visible (GTK_WIDGET (self->mapping_group), FALSE);

  self->report_rows = g_ptr_array_new ();
  self->report_group = add_group (page, _("Import Report"), NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->report_group), FALSE);
}

/* Scoring model */

static void
load_current_model (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_store_load_for_event (self->store, NULL, &error);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  clear_rows (self->model_group, self->model_rows);
  if (model == NULL)
    {
      add_row (self->model_group, self->model_rows, _("No scoring model"),
               g_error_matches (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL)
               ? _("Leads are captured but not scored. Load the model marketing and sales agreed on.")
               : error->message);
      return;
    }
  title = g_strdup_printf (_("“%s”, version %d"), fl_model_get_name (model), (int) fl_model_get_version (model));
  subtitle = g_strdup_printf (_("SAL from %d points · %u questions, %u required · %u rules"),
                              fl_model_get_sal_threshold (model), fl_model_get_n_questions (model),
                              fl_model_get_n_required (model), fl_model_get_n_rules (model));
  add_row (self->model_group, self->model_rows, title, subtitle);
}

/**
 * fl_preferences_window_load_model:
 * @path: a scoring model file
 *
 * Validates the file. A model with faults shows each with its JSON path
 * and is refused; a valid one shows what re-scoring every lead with it
 * would change ("12 leads MQL → SAL"), and waits to be applied.
 *
 * Returns: %FALSE with @error set when the file cannot be read or has
 *   faults
 */
gboolean
fl_preferences_window_load_model (FlPreferencesWindow *self, const char *path, GError **error)
{
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autofree char *description = NULL;
  guint n_rows = 0;

  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);

  g_clear_object (&self->candidate);
  clear_rows (self->faults_group, self->fault_rows);
  clear_rows (self->dry_run_group, self->dry_run_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->faults_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), FALSE);

  model = fl_model_new_from_file (path, &faults, error);
  if (model == NULL)
    {
      for (guint i = 0; faults != NULL && i < faults->len; i++)
        {
          FlModelFault *fault = g_ptr_array_index (faults, i);
          GtkWidget *row = add_row (self->faults_group, self->fault_rows, fault->message, fault->path);

          gtk_widget_add_css_class (row, "model-fault");
        }
      if (faults != NULL && faults->len > 0)
        gtk_widget_set_visible (GTK_WIDGET (self->faults_group), TRUE);
      return FALSE;
    }

  report = fl_rescore (self->store, model, NULL, TRUE, self->actor, error);
  if (report == NULL)
    return FALSE;

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "“%s” version %d is valid. Re-scoring the %u lead "
                                              "of this event with it would change:",
                                              "“%s” version %d is valid. Re-scoring the %u leads "
                                              "of this event with it would change:",
                                              report->n_leads),
                                 fl_model_get_name (model), (int) fl_model_get_version (model), report->n_leads);
  adw_preferences_group_set_description (self->dry_run_group, description);
  for (FlStatus from = FL_STATUS_MQL; from <= FL_STATUS_DISQUALIFIED; from++)
    for (FlStatus to = FL_STATUS_MQL; to <= FL_STATUS_DISQUALIFIED; to++)
      {
        guint n = report->moves[from][to];
        g_autofree char *text = NULL;

        if (from == to || n == 0)
          continue;
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead %s → %s", "%u leads %s → %s", n), n,
                                fl_status_to_string (from), fl_status_to_string (to));
        add_row (self->dry_run_group, self->dry_run_rows, text, NULL);
        n_rows++;
      }
  if (n_rows == 0)
    add_row (self->dry_run_group, self->dry_run_rows, _("No lead changes status"),
             report->n_changed > 0 ? _("Some scores change; every status stays.") : NULL);
  if (report->n_overridden > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead keeps its manual status",
                                                            "%u leads keep their manual status",
                                                            report->n_overridden),
                                               report->n_overridden);
      add_row (self->dry_run_group, self->dry_run_rows, text, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), TRUE);
  gtk_widget_set_sensitive (self->apply_button, !self->applying);
  self->candidate = g_steal_pointer (&model);
  return TRUE;
}

typedef struct
{
  char    *path;
  FlModel *model;
  char    *actor;
} Apply;

static void
apply_free (Apply *apply)
{
  g_free (apply->path);
  g_clear_object (&apply->model);
  g_free (apply->actor);
  g_free (apply);
}

/* On a connection of its own: re-scoring 100,000 leads takes seconds,
 * which the window spends drawing its progress, not frozen. */
static void
apply_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Apply *apply = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (apply->path, &error);
  FlRescoreReport *report;

  if (store == NULL || !fl_model_store_activate (store, apply->model, apply->actor, &error) ||
      (report = fl_rescore (store, apply->model, NULL, FALSE, apply->actor, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, report, (GDestroyNotify) fl_rescore_report_free);
}

static void
set_applying (FlPreferencesWindow *self, gboolean applying)
{
  self->applying = applying;
  gtk_button_set_label (GTK_BUTTON (self->apply_button), applying ? _("Re-scoring…") : _("_Apply"));
  gtk_widget_set_sensitive (self->apply_button, !applying && self->candidate != NULL);
  gtk_widget_set_sensitive (self->load_model_button, !applying);
}

/**
 * fl_preferences_window_apply_model_async:
 *
 * Makes the loaded model the event's model and re-scores every lead with
 * it (manual statuses stay), each change audited, on a worker thread.
 */
void
fl_preferences_window_apply_model_async (FlPreferencesWindow *self, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Apply *apply;

  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (self->candidate != NULL && !self->applying);

  apply = g_new0 (Apply, 1);
  apply->path = g_strdup (fl_store_get_path (self->store));
  apply->model = g_object_ref (self->candidate);
  apply->actor = g_strdup (self->actor);
  set_applying (self, TRUE);
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_preferences_window_apply_model_async);
  g_task_set_task_data (task, apply, (GDestroyNotify) apply_free);
  g_task_run_in_thread (task, apply_thread);
}

/**
 * fl_preferences_window_apply_model_finish:
 *
 * Returns: how many leads changed, or -1 with @error set
 */
gint64
fl_preferences_window_apply_model_finish (FlPreferencesWindow *self, GAsyncResult *result, GError **error)
{
  g_autoptr(FlRescoreReport) report = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  report = g_task_propagate_pointer (G_TASK (result), error);
  /* Closed meanwhile: the run finished all the same; nothing to show. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return report != NULL ? report->n_changed : -1;
  if (report == NULL)
    {
      set_applying (self, FALSE);
      return -1;
    }
  g_clear_object (&self->candidate);
  set_applying (self, FALSE);
  clear_rows (self->dry_run_group, self->dry_run_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), FALSE);
  load_current_model (self);
  return report->n_changed;
}

GtkWidget *
_fl_preferences_window_get_apply_button (FlPreferencesWindow *self)
{
  return self->apply_button;
}

static void
apply_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);
  g_autoptr(GError) error = NULL;
  gint64 n_changed = fl_preferences_window_apply_model_finish (self, result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (n_changed < 0)
    toast_error (self, error);
  else
    toast (self, _("Model applied; every lead was re-scored"));
}

static void
model_file_cb (GtkNativeDialog *dialog, int response, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        toast (self, _("Choose a file on this computer"));
      else if (!fl_preferences_window_load_model (self, path, &error))
        toast_error (self, error);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
choose_model_cb (FlPreferencesWindow *self)
{
  open_file (self, _("Choose a Scoring Model"), _("Scoring models (JSON)"), "*.json", G_CALLBACK (model_file_cb));
}

static void
apply_model_cb (FlPreferencesWindow *self)
{
  if (self->candidate != NULL && !self->applying)
    fl_preferences_window_apply_model_async (self, apply_done_cb, NULL);
}

static void
build_scoring_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "scoring", _("Scoring"), "starred-symbolic");
  GtkWidget *button;

  self->model_group = add_group (page, _("Scoring Model"),
                                 _("The rules marketing and sales agreed on: when a lead is SAL, when MQL."));
  self->model_rows = g_ptr_array_new ();
  button = suffix_button (_("_Load File…"), G_CALLBACK (choose_model_cb), self);
  self->load_model_button = button;
  adw_preferences_group_set_header_suffix (self->model_group, button);
  load_current_model (self);

  self->fault_rows = g_ptr_array_new ();
  self->faults_group = add_group (page, _("The File Has Faults"),
                                  _("The model in force stays. Fix each fault at its place in the file, then load it "
                                    "again."));
  gtk_widget_set_visible (GTK_WIDGET (self->faults_group), FALSE);

  self->dry_run_rows = g_ptr_array_new ();
  self->dry_run_group = add_group (page, _("What It Would Change"), NULL);
  self->apply_button = suffix_button (_("_Apply"), G_CALLBACK (apply_model_cb), self);
  gtk_widget_add_css_class (self->apply_button, "suggested-action");
  gtk_widget_set_sensitive (self->apply_button, FALSE);
  adw_preferences_group_set_header_suffix (self->dry_run_group, self->apply_button);
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), FALSE);
}

/* Connectors */

static void load_connectors (FlPreferencesWindow *self);

static void
test_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (self), report ? _("Connector Works") : _("Connector Test Failed"),
                                   report ? report : error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
test_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  FlConnector *connector = task_data;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  if (!fl_connector_test (connector, report, cancellable, &error))
    {
      if (report->len > 0)
        g_prefix_error (&error, "%s\n", report->str);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_string_free (g_steal_pointer (&report), FALSE), g_free);
}

static void
test_connector_cb (GtkButton *button, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (self->store);
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GTask) task = NULL;

  connector = fl_outbox_get_connector (outbox, g_object_get_data (G_OBJECT (button), "name"), &error);
  if (connector == NULL)
    {
      toast_error (self, error);
      return;
    }
  toast (self, _("Testing the connector…"));
  task = g_task_new (self, self->cancellable, test_done_cb, NULL);
  g_task_set_source_tag (task, test_connector_cb);
  g_task_set_task_data (task, g_steal_pointer (&connector), g_object_unref);
  g_task_run_in_thread (task, test_thread);
}

static char *
options_to_text (JsonObject *options)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = options ? json_object_get_members (options) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (options, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || g_str_equal (l->data, "event"))
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append_printf (text, "%s=%s", (char *) l->data, json_node_get_string (node));
      else
        g_string_append_printf (text, "%s=%" G_GINT64_FORMAT, (char *) l->data, json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonObject *
text_to_options (const char *text, JsonObject *previous, GError **error)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  /* Options the dialog does not show (the event) stay. */
  if (previous != NULL && json_object_has_member (previous, "event"))
    json_object_set_member (options, "event", json_node_copy (json_object_get_member (previous, "event")));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *equals = strchr (part, '=');

      if (*part == '\0')
        continue;
      if (equals == NULL || equals == part)
        {
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                       _("Option “%s” is not KEY=VALUE; separate options with semicolons"), part);
          return NULL;
        }
      *equals = '\0';
      json_object_set_string_member (options, g_strstrip (part), g_strstrip (equals + 1));
    }
  return g_steal_pointer (&options);
}

static gboolean
save_connector (FlPreferencesWindow *self, GObject *dialog, GError **error)
{
  static const char *const types[] = { "webhook", "hubspot", "salesforce", "dynamics", "zoho",
                                       "pipedrive", "csv" };
  const char *editing = g_object_get_data (dialog, "editing");
  g_autofree char *name = entry_text (g_object_get_data (dialog, "name"));
  g_autofree char *url = entry_text (g_object_get_data (dialog, "url"));
  g_autofree char *options_text = entry_text (g_object_get_data (dialog, "options"));
  const char *secret = gtk_editable_get_text (g_object_get_data (dialog, "secret"));
  guint type_index = adw_combo_row_get_selected (g_object_get_data (dialog, "type"));
  g_autoptr(FlOutbox) outbox = fl_outbox_new (self->store);
  g_autoptr(FlConnector) previous = NULL;
  g_autoptr(FlConnector) check = NULL;
  g_autoptr(JsonObject) options = NULL;
  const char *type;

  if (type_index >= G_N_ELEMENTS (types))
    return FALSE;
  type = types[type_index];
  if (*name == '\0')
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The connector needs a name, e.g. “crm”"));
      return FALSE;
    }
  if (editing != NULL && (previous = fl_outbox_get_connector (outbox, editing, error)) == NULL)
    return FALSE;
  options = text_to_options (options_text, previous ? fl_connector_get_options (previous) : NULL, error);
  if (options == NULL)
    return FALSE;
  if (*secret != '\0' && g_str_equal (type, "webhook") && !json_object_has_member (options, "signing"))
    json_object_set_string_member (options, "signing", "true");
  check = fl_connector_new (name, type, *url ? url : NULL, options, error);
  if (check == NULL)
    return FALSE;
  if (*secret != '\0' && !fl_secret_store (name, secret, error))
    return FALSE;

  if (editing == NULL)
    {
      gint64 n_queued = 0;

      if (!fl_outbox_add_connector (outbox, name, type, *url ? url : NULL, options, &n_queued, error))
        return FALSE;
    }
  else if (!fl_outbox_update_connector (outbox, editing, type, *url ? url : NULL, options, error))
    return FALSE;
  fl_store_add_audit (self->store, NULL, self->actor, editing ? "connector-changed" : "connector-added", name,
                      NULL);
  return TRUE;
}

static void
connector_response_cb (AdwMessageDialog *dialog, const char *response, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "save") != 0)
    return;
  if (!save_connector (self, G_OBJECT (dialog), &error))
    {
      toast_error (self, error);
      return;
    }
  toast (self, _("Connector saved"));
  load_connectors (self);
}

/* The options a type needs, to fill in, and what its secret is. */
static const struct
{
  const char *type;
  const char *options;
  const char *secret;
} connector_hints[] = {
  { "dynamics", "tenant=; client_id=", N_("Client Secret of the App Registration") },
  { "zoho", "client_id=; data_centre=eu", N_("Client Secret:Refresh Token") },
  { "pipedrive", "label_mql=Warm; label_sal=Hot; label_disqualified=Cold", N_("API Token") },
};

static void
connector_type_cb (AdwComboRow *row, GParamSpec *pspec, GObject *dialog)
{
  static const char *const types[] = { "webhook", "hubspot", "salesforce", "dynamics", "zoho",
                                       "pipedrive", "csv" };
  guint index = adw_combo_row_get_selected (row);
  GtkEditable *options = g_object_get_data (dialog, "options");
  AdwPreferencesRow *secret = g_object_get_data (dialog, "secret");
  const char *filled = g_object_get_data (dialog, "filled");
  const char *text = gtk_editable_get_text (options);
  const char *template = "";
  const char *secret_title = g_object_get_data (dialog, "secret-title");

  for (guint i = 0; index < G_N_ELEMENTS (types) && i < G_N_ELEMENTS (connector_hints); i++)
    if (g_str_equal (connector_hints[i].type, types[index]))
      {
        template = connector_hints[i].options;
        secret_title = _(connector_hints[i].secret);
      }
  adw_preferences_row_set_title (secret, secret_title);
  /* Only an empty field, or one still as filled in, is changed. */
  if (text[0] == '\0' || g_strcmp0 (text, filled) == 0)
    {
      gtk_editable_set_text (options, template);
      g_object_set_data_full (dialog, "filled", g_strdup (template), g_free);
    }
}

static AdwMessageDialog *
open_connector_dialog (FlPreferencesWindow *self, FlConnector *connector)
{
  const char *type_names[] = { _("Webhook (JSON)"), "HubSpot", "Salesforce", "Dynamics 365",
                               "Zoho CRM", "Pipedrive", _("CSV Folder"), NULL };
  static const char *const types[] = { "webhook", "hubspot", "salesforce", "dynamics", "zoho",
                                       "pipedrive", "csv" };
  GtkWidget *dialog, *list;
  AdwEntryRow *name, *url, *options;
  AdwPasswordEntryRow *secret;
  AdwComboRow *type;
  g_autofree char *options_text = NULL;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), connector ? _("Edit Connector") : _("Add Connector"),
                                   _("Where leads go. The token or signing key is kept in the system keyring, "
                                     "never in the database."));
  list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");

  name = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name), _("Name"));
  type = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (type), _("Type"));
  adw_combo_row_set_model (type, G_LIST_MODEL (gtk_string_list_new (type_names)));
  url = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (url), _("URL, or folder for CSV"));
  options = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (options), _("Options (key=value; …)"));
  secret = ADW_PASSWORD_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (secret),
                                 connector ? _("New Token or Signing Key (empty: keep)") : _("Token or Signing Key"));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (name));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (type));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (url));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (options));
  gtk_list_box_append (GTK_LIST_BOX (list), GTK_WIDGET (secret));

  if (connector != NULL)
    {
      gtk_editable_set_text (GTK_EDITABLE (name), fl_connector_get_name (connector));
      gtk_widget_set_sensitive (GTK_WIDGET (name), FALSE);
      for (guint i = 0; i < G_N_ELEMENTS (types); i++)
        if (g_strcmp0 (types[i], fl_connector_get_type_name (connector)) == 0)
          adw_combo_row_set_selected (type, i);
      gtk_editable_set_text (GTK_EDITABLE (url), fl_connector_get_url (connector) ? fl_connector_get_url (connector) : "");
      options_text = options_to_text (fl_connector_get_options (connector));
      gtk_editable_set_text (GTK_EDITABLE (options), options_text);
      g_object_set_data_full (G_OBJECT (dialog), "editing", g_strdup (fl_connector_get_name (connector)), g_free);
    }

  g_object_set_data (G_OBJECT (dialog), "name", name);
  g_object_set_data (G_OBJECT (dialog), "type", type);
  g_object_set_data (G_OBJECT (dialog), "url", url);
  g_object_set_data (G_OBJECT (dialog), "options", options);
  g_object_set_data (G_OBJECT (dialog), "secret", secret);
  g_object_set_data_full (G_OBJECT (dialog), "secret-title",
                          g_strdup (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (secret))),
                          g_free);
  g_signal_connect (type, "notify::selected", G_CALLBACK (connector_type_cb), dialog);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), list);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "save", _("_Save"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (connector_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
add_connector_cb (FlPreferencesWindow *self)
{
  open_connector_dialog (self, NULL);
}

/**
 * _fl_preferences_window_add_connector:
 *
 * What the Add Connector button opens.
 */
AdwMessageDialog *
_fl_preferences_window_add_connector (FlPreferencesWindow *self)
{
  return open_connector_dialog (self, NULL);
}

/**
 * _fl_preferences_window_edit_connector:
 *
 * What the Edit button of a connector's row opens.
 *
 * Returns: (transfer none) (nullable): the dialog
 */
AdwMessageDialog *
_fl_preferences_window_edit_connector (FlPreferencesWindow *self, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (self->store);
  g_autoptr(FlConnector) connector = fl_outbox_get_connector (outbox, name, &error);

  if (connector == NULL)
    {
      toast_error (self, error);
      return NULL;
    }
  return open_connector_dialog (self, connector);
}

static void
edit_connector_cb (GtkButton *button, FlPreferencesWindow *self)
{
  _fl_preferences_window_edit_connector (self, g_object_get_data (G_OBJECT (button), "name"));
}

static void
remove_connector_response_cb (AdwMessageDialog *dialog, const char *response, FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = NULL;
  const char *name = g_object_get_data (G_OBJECT (dialog), "name");

  if (g_strcmp0 (response, "remove") != 0)
    return;
  outbox = fl_outbox_new (self->store);
  if (!fl_outbox_remove_connector (outbox, name, &error))
    {
      toast_error (self, error);
      return;
    }
  fl_store_add_audit (self->store, NULL, self->actor, "connector-removed", name, NULL);
  toast (self, _("Connector removed"));
  load_connectors (self);
}

/**
 * _fl_preferences_window_ask_remove_connector:
 *
 * What the Remove button of a connector's row opens.
 */
AdwMessageDialog *
_fl_preferences_window_ask_remove_connector (FlPreferencesWindow *self, const char *name)
{
  g_autofree char *heading = g_strdup_printf (_("Remove Connector “%s”?"), name);

  return ask_to_remove (self, heading,
                        _("Leads waiting for it will not be uploaded there. The leads stay on this kiosk, "
                          "and what was uploaded stays in the CRM."),
                        name, G_CALLBACK (remove_connector_response_cb));
}

static void
remove_connector_cb (GtkButton *button, FlPreferencesWindow *self)
{
  _fl_preferences_window_ask_remove_connector (self, g_object_get_data (G_OBJECT (button), "name"));
}

static void
load_connectors (FlPreferencesWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (self->store);
  g_autoptr(GPtrArray) connectors = fl_outbox_list_connectors (outbox, FALSE, &error);

  clear_rows (self->connectors_group, self->connector_rows);
  if (connectors == NULL)
    {
      add_row (self->connectors_group, self->connector_rows, error->message, NULL);
      return;
    }
  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      FlOutboxCounts counts = { 0 };
      g_autofree char *subtitle = NULL;
      GtkWidget *row, *button;

      fl_outbox_get_counts (outbox, connector, g_get_real_time (), &counts, NULL);
      subtitle = g_strdup_printf (_("%s · %d waiting, %d failed, %d uploaded"),
                                  fl_connector_get_url (connector) ? fl_connector_get_url (connector)
                                                                   : fl_connector_get_type_name (connector),
                                  (int) (counts.pending + counts.sending), (int) counts.failed, (int) counts.done);
      row = add_row (self->connectors_group, self->connector_rows, fl_connector_get_name (connector), subtitle);
      button = suffix_button (_("_Test"), NULL, NULL);
      g_object_set_data_full (G_OBJECT (button), "name", g_strdup (fl_connector_get_name (connector)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (test_connector_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      button = suffix_button (_("_Edit"), NULL, NULL);
      g_object_set_data_full (G_OBJECT (button), "name", g_strdup (fl_connector_get_name (connector)), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (edit_connector_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 trash_button (fl_connector_get_name (connector),
                                               G_CALLBACK (remove_connector_cb), self));
    }
  if (connectors->len == 0)
    add_row (self->connectors_group, self->connector_rows, _("No connector yet"),
             _("Leads stay on this kiosk until a connector is added."));
}

/* Upload now */

typedef struct
{
  FlPreferencesWindow *self;
  guint                done;
  guint                total;
} Progress;

static gboolean
progress_idle_cb (gpointer user_data)
{
  Progress *progress = user_data;
  FlPreferencesWindow *self = progress->self;

  if (self->uploading)
    {
      g_autofree char *text = g_strdup_printf (_("%u of %u"), progress->done, progress->total);

      gtk_progress_bar_set_fraction (self->upload_progress,
                                     progress->total ? (double) progress->done / progress->total : 0);
      gtk_progress_bar_set_text (self->upload_progress, text);
    }
  g_object_unref (self);
  g_free (progress);
  return G_SOURCE_REMOVE;
}

static void
upload_progress_cb (guint done, guint total, gint64 waiting_until, gpointer user_data)
{
  Progress *progress = g_new0 (Progress, 1);

  progress->self = g_object_ref (user_data);
  progress->done = done;
  progress->total = total;
  g_idle_add (progress_idle_cb, progress);
}

static void
upload_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  const char *path = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  g_autoptr(FlUploader) uploader = NULL;
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GString) text = g_string_new (NULL);

  /* The uploader's thread owns a connection of its own. */
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  uploader = fl_uploader_new (store);
  fl_uploader_set_callbacks (uploader, NULL, upload_progress_cb, source);
  if (!fl_uploader_lock (uploader, &error) ||
      !fl_uploader_run (uploader, NULL, 0, cancellable, &summary, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_string_append_printf (text, _("%u uploaded, %u failed, %d still waiting"), summary.delivered, summary.failed,
                          (int) summary.pending);
  if (summary.stopped != NULL)
    {
      GHashTableIter iter;
      gpointer name, why;

      g_hash_table_iter_init (&iter, summary.stopped);
      while (g_hash_table_iter_next (&iter, &name, &why))
        g_string_append_printf (text, "\n%s: %s", (char *) name, (char *) why);
    }
  g_task_return_pointer (task, g_string_free (g_steal_pointer (&text), FALSE), g_free);
}

static void
upload_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->uploading = FALSE;
  gtk_widget_set_sensitive (self->upload_button, TRUE);
  gtk_progress_bar_set_fraction (self->upload_progress, text ? 1.0 : 0.0);
  gtk_progress_bar_set_text (self->upload_progress, NULL);
  adw_action_row_set_subtitle (self->upload_row, text ? text : error->message);
  load_connectors (self);
}

/**
 * fl_preferences_window_upload_now:
 *
 * Sends every lead that waits, off the main thread, with progress; the
 * kiosk's background worker steps aside meanwhile (the uploader's lock).
 */
void
fl_preferences_window_upload_now (FlPreferencesWindow *self)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));

  if (self->uploading)
    return;
  /* With no connector there is nothing to upload to: say so, and where
   * the leads are. */
  {
    g_autoptr(GError) error = NULL;
    FlBacklog backlog;

    if (!fl_backlog_read (self->store, NULL, NULL, &backlog, &error))
      {
        adw_action_row_set_subtitle (self->upload_row, error->message);
        return;
      }
    if (backlog.connectors == 0)
      {
        g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, backlog.undelivered);
        g_autofree char *text =
          g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                        "No CRM is connected — %s lead is only on this kiosk. Add a connector below.",
                                        "No CRM is connected — %s leads are only on this kiosk. Add a connector below.",
                                        (gulong) backlog.undelivered),
                           count);

        adw_action_row_set_subtitle (self->upload_row, text);
        return;
      }
  }
  self->uploading = TRUE;
  gtk_widget_set_sensitive (self->upload_button, FALSE);
  gtk_progress_bar_set_fraction (self->upload_progress, 0);
  adw_action_row_set_subtitle (self->upload_row, _("Uploading…"));
  fl_store_add_audit (self->store, NULL, self->actor, "upload-now", NULL, NULL);
  task = g_task_new (self, self->cancellable, upload_done_cb, NULL);
  g_task_set_source_tag (task, fl_preferences_window_upload_now);
  g_task_set_task_data (task, g_strdup (fl_store_get_path (self->store)), g_free);
  g_task_run_in_thread (task, upload_thread);
}

static void
build_connectors_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "connectors", _("Upload"), "send-to-symbolic");
  AdwPreferencesGroup *group;
  GtkWidget *button, *box;

  group = add_group (page, _("Upload Now"), _("Send every lead that waits, without waiting for the next try."));
  self->upload_row = ADW_ACTION_ROW (add_row (group, NULL, _("Leads"), NULL));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  self->upload_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_progress_bar_set_show_text (self->upload_progress, TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->upload_progress), 160, -1);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->upload_progress));
  adw_action_row_add_suffix (self->upload_row, box);
  self->upload_button = suffix_button (_("_Upload Now"), G_CALLBACK (fl_preferences_window_upload_now), self);
  gtk_widget_add_css_class (self->upload_button, "suggested-action");
  adw_action_row_add_suffix (self->upload_row, self->upload_button);

  self->connectors_group = add_group (page, _("Connectors"), NULL);
  self->connector_rows = g_ptr_array_new ();
  button = suffix_button (_("_Add…"), G_CALLBACK (add_connector_cb), self);
  adw_preferences_group_set_header_suffix (self->connectors_group, button);
  load_connectors (self);
}

/* Kiosk */

static gboolean
language_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *language = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, g_str_equal (language, "en") ? 1 : g_str_equal (language, "de") ? 2 : 0);
  return TRUE;
}

static GVariant *
language_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *languages[] = { "", "en", "de" };
  guint index = g_value_get_uint (value);

  return g_variant_new_string (index < G_N_ELEMENTS (languages) ? languages[index] : "");
}

static GtkWidget *
spin_row (AdwPreferencesGroup *group, const char *title, const char *subtitle, double min, double max,
          GSettings *settings, const char *key)
{
  GtkWidget *row = add_row (group, NULL, title, subtitle);
  GtkWidget *spin = gtk_spin_button_new_with_range (min, max, 1);

  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  g_settings_bind (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  return row;
}

static void
build_kiosk_page (FlPreferencesWindow *self)
{
  AdwPreferencesPage *page = add_page (self, "kiosk", _("Kiosk"), "video-display-symbolic");
  AdwPreferencesGroup *group = add_group (page, _("Kiosk"), NULL);
  const char *languages[] = { _("The System’s Language"), "English", "Deutsch", NULL };
  GtkWidget *row, *toggle;
  AdwComboRow *combo;
  AdwEntryRow *camera;

  if (self->settings == NULL)
    {
      add_row (group, NULL, _("Kiosk settings are unavailable"),
               _("The GSettings schema io.github.fairlead.Fairlead is not installed; reinstall Fairlead."));
      return;
    }

  row = add_row (group, NULL, _("Start Fullscreen"), _("Fill the whole screen when Fairlead starts, as on a booth terminal"));
  toggle = gtk_switch_new ();
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  g_settings_bind (self->settings, "start-fullscreen", toggle, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);

  spin_row (group, _("Idle Time (seconds)"),
            _("Without a touch for this long, an open lead is saved and the kiosk returns to the scan page"), 10,
            3600, self->settings, "idle-timeout");

  combo = ADW_COMBO_ROW (adw_combo_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (combo), _("Visitor Language"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (combo), _("The language a visitor sees first; they can switch"));
  adw_combo_row_set_model (combo, G_LIST_MODEL (gtk_string_list_new (languages)));
  g_settings_bind_with_mapping (self->settings, "visitor-language", combo, "selected", G_SETTINGS_BIND_DEFAULT,
                                language_get_mapping, language_set_mapping, NULL, NULL);
  adw_preferences_group_add (group, GTK_WIDGET (combo));

  camera = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (camera), _("Camera (empty: the first one found)"));
  g_settings_bind (self->settings, "camera", camera, "text", G_SETTINGS_BIND_DEFAULT);
  adw_preferences_group_add (group, GTK_WIDGET (camera));

  spin_row (group, _("Badge Scanner Key Gap (ms)"),
            _("The longest pause between two keys a USB badge scanner sends; raise it if scans arrive as typing"),
            5, 500, self->settings, "wedge-gap-ms");
}

static GSettings *
lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source == NULL || (schema = g_settings_schema_source_lookup (source, FL_SCHEMA_ID, TRUE)) == NULL ||
      !g_settings_schema_has_key (schema, "wedge-gap-ms"))
    return NULL;
  return g_settings_new (FL_SCHEMA_ID);
}

static void
fl_preferences_window_dispose (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (fl_preferences_window_parent_class)->dispose (object);
}

static void
fl_preferences_window_finalize (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->staff_rows, g_ptr_array_unref);
  g_clear_pointer (&self->mapping_rows, g_ptr_array_unref);
  g_clear_pointer (&self->report_rows, g_ptr_array_unref);
  g_clear_pointer (&self->connector_rows, g_ptr_array_unref);
  g_clear_pointer (&self->roster_data, g_bytes_unref);
  g_clear_pointer (&self->roster_name, g_free);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);
  g_clear_pointer (&self->fault_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dry_run_rows, g_ptr_array_unref);
  g_clear_object (&self->candidate);
  G_OBJECT_CLASS (fl_preferences_window_parent_class)->finalize (object);
}

static void
fl_preferences_window_class_init (FlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_preferences_window_dispose;
  object_class->finalize = fl_preferences_window_finalize;
}

static void
fl_preferences_window_init (FlPreferencesWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_window_set_title (GTK_WINDOW (self), _("Settings"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

/**
 * fl_preferences_window_new:
 * @actor: the staff member who unlocked the back office, for the audit
 */
GtkWidget *
fl_preferences_window_new (FlStore *store, const char *actor)
{
  FlPreferencesWindow *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_PREFERENCES_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->actor = g_strdup (actor);
  self->settings = lookup_settings ();
  build_event_page (self);
  build_staff_page (self);
  build_scoring_page (self);
  build_roster_page (self);
  build_connectors_page (self);
  build_kiosk_page (self);
  return GTK_WIDGET (self);
}

GtkEditable *
_fl_preferences_window_get_event_entry (FlPreferencesWindow *self, guint index)
{
  g_return_val_if_fail (index < G_N_ELEMENTS (self->event_rows), NULL);
  return GTK_EDITABLE (self->event_rows[index]);
}
