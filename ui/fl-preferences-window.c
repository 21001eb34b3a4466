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

#include "fl-back-office-private.h"
#include "fl-booth-page.h"
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
  FlBoothPage          *booth_page;
  FlBoothService       *booth_service;
};

G_DEFINE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ACTOR,
  PROP_SETTINGS,
  PROP_BOOTH_SERVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

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
    case PROP_BOOTH_SERVICE:
      g_value_set_object (value, self->booth_service);
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
    case PROP_BOOTH_SERVICE:
      if (g_set_object (&self->booth_service, g_value_get_object (value)))
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
  g_clear_object (&self->booth_service);
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
  /**
   * FlPreferencesWindow:booth-service: (nullable)
   *
   * The kiosk's booth sync service, for the Booth page.
   */
  properties[PROP_BOOTH_SERVICE] =
    g_param_spec_object ("booth-service", NULL, NULL, FL_TYPE_BOOTH_SERVICE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FL_TYPE_EVENT_PAGE);
  g_type_ensure (FL_TYPE_STAFF_PAGE);
  g_type_ensure (FL_TYPE_MODEL_PAGE);
  g_type_ensure (FL_TYPE_ROSTER_PAGE);
  g_type_ensure (FL_TYPE_CONNECTORS_PAGE);
  g_type_ensure (FL_TYPE_KIOSK_PAGE);
  g_type_ensure (FL_TYPE_BOOTH_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, event_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, staff_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, model_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, roster_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, connectors_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, kiosk_page);
  gtk_widget_class_bind_template_child (widget_class, FlPreferencesWindow, booth_page);
}

/* Each page as it shows: its rows wrap rather than cut their words. */
static void
on_visible_page (FlPreferencesWindow *self)
{
  _fl_preferences_wrap_rows (GTK_WIDGET (adw_preferences_window_get_visible_page (ADW_PREFERENCES_WINDOW (self))));
}

static void
fl_preferences_window_init (FlPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect (self, "notify::visible-page", G_CALLBACK (on_visible_page), NULL);
  g_signal_connect (self, "map", G_CALLBACK (on_visible_page), NULL);
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

FlBoothPage *
_fl_preferences_window_get_booth_page (FlPreferencesWindow *self)
{
  return self->booth_page;
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

/* Shows the page at @index, as a click in the view switcher would; FALSE
 * past the last page. For the tests. */
gboolean
_fl_preferences_window_show_page (FlPreferencesWindow *self, guint index)
{
  GtkWidget *pages[] = { GTK_WIDGET (self->event_page), GTK_WIDGET (self->staff_page),
                         GTK_WIDGET (self->model_page), GTK_WIDGET (self->roster_page),
                         GTK_WIDGET (self->connectors_page), GTK_WIDGET (self->kiosk_page),
                         GTK_WIDGET (self->booth_page) };

  if (index >= G_N_ELEMENTS (pages))
    return FALSE;
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (pages[index]));
  return TRUE;
}

GtkCalendar *
_fl_preferences_window_get_event_calendar (FlPreferencesWindow *self, guint index)
{
  return _fl_event_page_get_calendar (self->event_page, index);
}

FlKioskPage *
_fl_preferences_window_get_kiosk_page (FlPreferencesWindow *self)
{
  return self->kiosk_page;
}
