/* fl-window.c: the kiosk window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-application.h"
#include "fl-window.h"
#include "fl-window-private.h"

struct _FlWindow
{
  AdwApplicationWindow  parent_instance;

  FlStore              *store;
  char                 *database_path;
  GSettings            *settings;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  AdwStatusPage        *scan_page;
  GtkLabel             *lead_count_label;
  AdwStatusPage        *no_event_page;
  GtkLabel             *command_label;
  AdwStatusPage        *error_page;
  GtkLabel             *error_hint_label;
};

G_DEFINE_FINAL_TYPE (FlWindow, fl_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "venue · booth", leaving out what the event does not say. */
static char *
format_location (const FlEvent *event)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  if (event->venue != NULL && event->venue[0] != '\0')
    g_ptr_array_add (parts, event->venue);
  if (event->booth != NULL && event->booth[0] != '\0')
    g_ptr_array_add (parts, event->booth);
  g_ptr_array_add (parts, NULL);
  return g_strjoinv (" · ", (char **) parts->pdata);
}

static void
set_header (FlWindow *self, const char *title, const char *subtitle)
{
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
  gtk_window_set_title (GTK_WINDOW (self), title);
}

static void
update_lead_count (FlWindow *self, const FlEvent *event)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  FlLeadQuery query = { .event = event->uuid };
  gint64 count;

  count = fl_store_count_leads (self->store, &query, &error);
  if (count < 0)
    {
      /* The count is a courtesy; capture still works without it. */
      g_debug ("Cannot count the leads of %s: %s", event->uuid, error->message);
      gtk_label_set_label (self->lead_count_label, "");
      return;
    }
  if (count == 0)
    text = g_strdup (_("No leads captured at this event yet"));
  else
    {
      /* The ' flag groups the digits the way the locale does: 1,250 or 1.250. */
      g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, count);

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s lead captured at this event",
                                           "%s leads captured at this event",
                                           (gulong) count),
                              number);
    }
  gtk_label_set_label (self->lead_count_label, text);
}

/* The command that creates an event in the database this window shows. */
static char *
build_create_command (FlWindow *self)
{
  g_autoptr(GString) command = g_string_new ("fairlead-cli");
  g_autofree char *default_path = fl_store_default_path ();
  g_autofree char *name = g_shell_quote (_("My Trade Show 2026"));
  g_autofree char *venue = g_shell_quote (_("Exhibition Centre"));
  g_autofree char *booth = g_shell_quote (_("Hall 5, Booth 214"));

  if (self->database_path != NULL && g_strcmp0 (self->database_path, default_path) != 0)
    {
      g_autofree char *path = g_shell_quote (self->database_path);
      g_string_append_printf (command, " --db %s", path);
    }
  g_string_append_printf (command, " event create %s --venue %s --booth %s", name, venue, booth);
  return g_string_free (g_steal_pointer (&command), FALSE);
}

static void
show_event (FlWindow *self, const FlEvent *event)
{
  g_autofree char *location = format_location (event);

  set_header (self, event->name, location);
  update_lead_count (self, event);
  gtk_stack_set_visible_child_name (self->stack, "scan");
}

static void
show_no_event (FlWindow *self)
{
  g_autofree char *command = build_create_command (self);

  set_header (self, _("Fairlead"), NULL);
  gtk_label_set_label (self->command_label, command);
  gtk_stack_set_visible_child_name (self->stack, "no-event");
}

static void
update_actions (FlWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", self->store != NULL);
}

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  fl_window_reload (FL_WINDOW (widget));
}

static void
save_window_state (FlWindow *self)
{
  int width, height;

  if (self->settings == NULL)
    return;
  /* A fullscreen or maximized size says nothing about the size to come back to. */
  if (!gtk_window_is_fullscreen (GTK_WINDOW (self)))
    {
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (GTK_WINDOW (self)));
      if (!gtk_window_is_maximized (GTK_WINDOW (self)))
        {
          gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
    }
}

static void
restore_window_state (FlWindow *self)
{
  if (self->settings == NULL)
    return;
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
  if (g_settings_get_boolean (self->settings, "start-fullscreen"))
    gtk_window_fullscreen (GTK_WINDOW (self));
}

static gboolean
fl_window_close_request (GtkWindow *window)
{
  save_window_state (FL_WINDOW (window));
  return GTK_WINDOW_CLASS (fl_window_parent_class)->close_request (window);
}

static void
fl_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_constructed (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  G_OBJECT_CLASS (fl_window_parent_class)->constructed (object);

  restore_window_state (self);
  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
  update_actions (self);
}

static void
fl_window_dispose (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fl_window_parent_class)->dispose (object);
}

static void
fl_window_finalize (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_free (self->database_path);

  G_OBJECT_CLASS (fl_window_parent_class)->finalize (object);
}

static void
fl_window_class_init (FlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = fl_window_constructed;
  object_class->dispose = fl_window_dispose;
  object_class->finalize = fl_window_finalize;
  object_class->set_property = fl_window_set_property;
  window_class->close_request = fl_window_close_request;

  /**
   * FlWindow:settings: (nullable)
   *
   * The kiosk settings: window size, start fullscreen. %NULL when the
   * schema is not installed.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, scan_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, lead_count_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, no_event_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, command_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, error_hint_label);

  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
}

static void
fl_window_init (FlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

FlWindow *
fl_window_new (GtkApplication *application)
{
  GSettings *settings = NULL;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);

  if (FL_IS_APPLICATION (application))
    settings = fl_application_get_settings (FL_APPLICATION (application));
  return g_object_new (FL_TYPE_WINDOW,
                       "application", application,
                       "settings", settings,
                       NULL);
}

/**
 * fl_window_get_store:
 *
 * Returns: (transfer none) (nullable): the database the window shows,
 *   %NULL when it could not be opened
 */
FlStore *
fl_window_get_store (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->store;
}

/**
 * fl_window_get_database_path:
 *
 * Returns: (nullable): the file of the database the window shows or
 *   failed to open
 */
const char *
fl_window_get_database_path (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->database_path;
}

/**
 * fl_window_get_visible_page:
 *
 * Returns: the name of the page on show: "scan", "no-event" or "error"
 */
const char *
fl_window_get_visible_page (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/**
 * fl_window_set_store:
 * @store: the database to work on; the window keeps a reference and is
 *   its only user on the main thread
 *
 * Shows the active event of @store, or how to create one.
 */
void
fl_window_set_store (FlWindow *self, FlStore *store)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (FL_IS_STORE (store));

  g_set_object (&self->store, store);
  g_free (self->database_path);
  self->database_path = g_strdup (fl_store_get_path (store));
  update_actions (self);
  fl_window_reload (self);
}

/**
 * fl_window_show_error:
 * @path: (nullable): the database file that failed
 * @error: why it failed
 *
 * Shows why the database cannot be used and what to do about it, instead
 * of the kiosk pages.
 */
void
fl_window_show_error (FlWindow *self, const char *path, const GError *error)
{
  g_autofree char *description = NULL;
  g_autofree char *failed_path = g_strdup (path);
  const char *hint;

  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  /* @path may be our own database_path, when a reload failed. */
  g_clear_object (&self->store);
  g_free (self->database_path);
  self->database_path = g_steal_pointer (&failed_path);
  update_actions (self);

  /* The store's message says what is wrong; the hint says how to go on at the kiosk. */
  if (g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_TOO_NEW))
    hint = _("The leads in it are safe. Install the newer Fairlead on this kiosk, "
             "or start the kiosk on another database with “fairlead --db FILE”.");
  else if (g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD))
    hint = _("Start the kiosk on a database of its own with “fairlead --db FILE”; "
             "a file that does not exist yet becomes a new database.");
  else if (g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_OPEN))
    hint = _("Check that the folder exists and that you may write to it, "
             "or start the kiosk on another database with “fairlead --db FILE”.");
  else
    hint = _("No lead has been lost. Quit Fairlead and start it again; if this message "
             "comes back, keep a copy of the database file before anything else.");

  description = g_markup_escape_text (error->message, -1);
  set_header (self, _("Fairlead"), NULL);
  adw_status_page_set_description (self->error_page, description);
  gtk_label_set_label (self->error_hint_label, hint);
  gtk_stack_set_visible_child_name (self->stack, "error");
}

/**
 * fl_window_reload:
 *
 * Reads the active event again, for example after `fairlead-cli event
 * create` or `event use` changed it.
 */
void
fl_window_reload (FlWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = NULL;

  g_return_if_fail (FL_IS_WINDOW (self));

  if (self->store == NULL)
    return;

  event = fl_store_get_active_event (self->store, &error);
  if (event != NULL)
    show_event (self, event);
  else if (g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT))
    show_no_event (self);
  else
    fl_window_show_error (self, self->database_path, error);
}

/* Private API for the GUI tests */

AdwWindowTitle *
_fl_window_get_title_widget (FlWindow *self)
{
  return self->window_title;
}

GtkWidget *
_fl_window_get_page (FlWindow *self, const char *name)
{
  return gtk_stack_get_child_by_name (self->stack, name);
}

GtkLabel *
_fl_window_get_lead_count (FlWindow *self)
{
  return self->lead_count_label;
}

GtkLabel *
_fl_window_get_command (FlWindow *self)
{
  return self->command_label;
}

AdwStatusPage *
_fl_window_get_error_page (FlWindow *self)
{
  return self->error_page;
}
