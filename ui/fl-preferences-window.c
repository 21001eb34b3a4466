/* fl-preferences-window.c: the event, staff, scoring model, roster,
 * connectors and kiosk settings
 *
 * Each page is a class of its own (fl-*-page.c); this window puts them
 * together and hands them the store, the staff member and the settings.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-preferences-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-connectors-page.h"
#include "fl-event-page.h"
#include "fl-kiosk-page.h"
#include "fl-model-page.h"
#include "fl-preferences-private.h"
#include "fl-preferences-window.h"
#include "fl-roster-page.h"
#include "fl-staff-page.h"

struct _FlPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  FlStore              *store;
  char                 *actor;
  GSettings            *settings;

  FlEventPage          *event_page;
  FlStaffPage          *staff_page;
  FlModelPage          *model_page;
  FlRosterPage         *roster_page;
  FlConnectorsPage     *connectors_page;
  FlKioskPage          *kiosk_page;
};

G_DEFINE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ACTOR,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the pages share */

/* A toast on the settings window @widget is in, or on the window a
 * dialog of it is transient for. */
void
_fl_preferences_toast (GtkWidget *widget, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  while (window != NULL && !ADW_IS_PREFERENCES_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

char *
_fl_preferences_entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

void
_fl_preferences_clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* A plain-text row in @group, kept in @rows (when given) to be cleared. */
GtkWidget *
_fl_preferences_add_row (AdwPreferencesGroup *group, GPtrArray *rows, const char *title, const char *subtitle)
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

/* A row's button that activates @action with @name as its target; with
 * @icon_name it is the flat trash button, which asks before removing. */
GtkWidget *
_fl_preferences_action_button (const char *label, const char *icon_name, const char *action, const char *name)
{
  GtkWidget *button = label != NULL ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (label == NULL)
    {
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove"));
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (name));
  return button;
}

typedef struct
{
  GtkWidget             *page;
  char                  *name;
  FlPreferencesNameFunc  func;
} NameCall;

static NameCall *
name_call_new (GtkWidget *page, const char *name, FlPreferencesNameFunc func)
{
  NameCall *call = g_new0 (NameCall, 1);

  call->page = g_object_ref (page);
  call->name = g_strdup (name);
  call->func = func;
  return call;
}

static void
name_call_free (gpointer data, GClosure *closure)
{
  NameCall *call = data;

  g_object_unref (call->page);
  g_free (call->name);
  g_free (call);
}

static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, NameCall *call)
{
  if (g_strcmp0 (response, "remove") == 0)
    call->func (call->page, call->name);
}

/* Asks before removing @name; @remove runs on "Remove". */
AdwMessageDialog *
_fl_preferences_ask_to_remove (GtkWidget *page, const char *heading, const char *body, const char *name,
                               FlPreferencesNameFunc remove)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (page)), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), name_call_new (page, name, remove),
                         name_call_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
file_response_cb (GtkNativeDialog *dialog, int response, NameCall *call)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        _fl_preferences_toast (call->page, _("Choose a file on this computer"));
      else
        call->func (call->page, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Lets someone choose a local file; @chosen gets its path. */
void
_fl_preferences_open_file (GtkWidget *page, const char *title, const char *filter_name, const char *pattern,
                           FlPreferencesNameFunc chosen)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (page)),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                              _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (file_response_cb), name_call_new (page, NULL, chosen),
                         name_call_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
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

/* Overrides */

static void
fl_preferences_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_preferences_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_ACTOR:
      if (g_strcmp0 (self->actor, g_value_get_string (value)) != 0)
        {
          g_free (self->actor);
          self->actor = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_SETTINGS:
      if (g_set_object (&self->settings, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_preferences_window_finalize (GObject *object)
{
  FlPreferencesWindow *self = FL_PREFERENCES_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->actor, g_free);
  G_OBJECT_CLASS (fl_preferences_window_parent_class)->finalize (object);
}

static void
fl_preferences_window_class_init (FlPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_preferences_window_get_property;
  object_class->set_property = fl_preferences_window_set_property;
  object_class->finalize = fl_preferences_window_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * FlPreferencesWindow:actor:
   *
   * The staff member who unlocked the back office, for the audit.
   */
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * FlPreferencesWindow:settings: (nullable)
   *
   * The kiosk's settings, or %NULL when the schema is not installed.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FL_TYPE_EVENT_PAGE);
  g_type_ensure (FL_TYPE_STAFF_PAGE);
  g_type_ensure (FL_TYPE_MODEL_PAGE);
  g_type_ensure (FL_TYPE_ROSTER_PAGE);
  g_type_ensure (FL_TYPE_CONNECTORS_PAGE);
  g_type_ensure (FL_TYPE_KIOSK_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, event_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, staff_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, model_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, roster_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, connectors_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, kiosk_page);
}

static void
fl_preferences_window_init (FlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * fl_preferences_window_new:
 * @actor: the staff member who unlocked the back office, for the audit
 */
GtkWidget *
fl_preferences_window_new (FlStore *store, const char *actor)
{
  g_autoptr(GSettings) settings = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  settings = lookup_settings ();
  return g_object_new (FL_TYPE_PREFERENCES_WINDOW,
                       "store", store,
                       "actor", actor,
                       "settings", settings,
                       NULL);
}

/**
 * fl_preferences_window_save_event:
 *
 * Saves the event fields, creating the event when there is none.
 */
gboolean
fl_preferences_window_save_event (FlPreferencesWindow *self, GError **error)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);
  return fl_event_page_save (self->event_page, error);
}

/**
 * fl_preferences_window_preview_roster:
 * @path: a CSV file of attendees
 *
 * Shows what each column of the file will be read as, importing nothing.
 */
gboolean
fl_preferences_window_preview_roster (FlPreferencesWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);
  return fl_roster_page_preview (self->roster_page, path, error);
}

/**
 * fl_preferences_window_import_roster:
 *
 * Imports the previewed attendee list and shows the report.
 */
gboolean
fl_preferences_window_import_roster (FlPreferencesWindow *self, GError **error)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);
  return fl_roster_page_import (self->roster_page, error);
}

/**
 * fl_preferences_window_load_model:
 * @path: a scoring model file
 *
 * See fl_model_page_load().
 */
gboolean
fl_preferences_window_load_model (FlPreferencesWindow *self, const char *path, GError **error)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), FALSE);
  return fl_model_page_load (self->model_page, path, error);
}

/**
 * fl_preferences_window_apply_model_async:
 *
 * See fl_model_page_apply_async(); @callback gets the scoring page as
 * its source object.
 */
void
fl_preferences_window_apply_model_async (FlPreferencesWindow *self, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));
  fl_model_page_apply_async (self->model_page, callback, user_data);
}

/**
 * fl_preferences_window_apply_model_finish:
 *
 * Returns: how many leads changed, or -1 with @error set
 */
gint64
fl_preferences_window_apply_model_finish (FlPreferencesWindow *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (FL_IS_PREFERENCES_WINDOW (self), -1);
  return fl_model_page_apply_finish (self->model_page, result, error);
}

/**
 * fl_preferences_window_upload_now:
 *
 * See fl_connectors_page_upload_now().
 */
void
fl_preferences_window_upload_now (FlPreferencesWindow *self)
{
  g_return_if_fail (FL_IS_PREFERENCES_WINDOW (self));
  fl_connectors_page_upload_now (self->connectors_page);
}

GtkWidget *
_fl_preferences_window_get_apply_button (FlPreferencesWindow *self)
{
  return _fl_model_page_get_apply_button (self->model_page);
}

AdwMessageDialog *
_fl_preferences_window_add_connector (FlPreferencesWindow *self)
{
  return _fl_connectors_page_add_connector (self->connectors_page);
}

AdwMessageDialog *
_fl_preferences_window_edit_connector (FlPreferencesWindow *self, const char *name)
{
  return _fl_connectors_page_edit_connector (self->connectors_page, name);
}

AdwMessageDialog *
_fl_preferences_window_ask_remove_connector (FlPreferencesWindow *self, const char *name)
{
  return _fl_connectors_page_ask_remove_connector (self->connectors_page, name);
}

GtkEditable *
_fl_preferences_window_get_event_entry (FlPreferencesWindow *self, guint index)
{
  return _fl_event_page_get_entry (self->event_page, index);
}
