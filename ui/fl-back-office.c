/* fl-back-office.c: review, correct and upload leads behind a staff PIN
 *
 * The back office is one widget the kiosk window shows as a page: the PIN
 * lock first, then the leads and the dashboard with the settings behind a
 * button. It locks itself when nobody has touched it for idle-timeout
 * seconds and whenever fl_back_office_lock() is called (the kiosk does so
 * when it returns to the scan page), so a visitor never sees it open.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-back-office"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-back-office.h"
#include "fl-dashboard.h"
#include "fl-leads-page.h"
#include "fl-pin-page.h"
#include "fl-preferences-window.h"
#include "fl-window.h"
#include "store/fl-staff.h"

#define DEFAULT_IDLE_TIMEOUT 300

struct _FlBackOffice
{
  AdwBin               parent_instance;

  FlStore             *store;
  FlPinGuard          *guard;
  char                *staff;
  gboolean             locked;
  guint                idle_timeout;
  gint64               last_activity;
  guint                idle_id;

  FlPinPage           *pin_page;
  FlLeadsPage         *leads_page;
  FlDashboard         *dashboard;
  FlPreferencesWindow *preferences;
  char                *settings_page;  /* to open once unlocked */

  /* Template widgets */
  GtkStack            *stack;
  AdwBin              *pin_bin;
  AdwBin              *leads_bin;
  AdwBin              *dashboard_bin;
  AdwViewStack        *view_stack;
  GtkLabel            *staff_label;
};

G_DEFINE_FINAL_TYPE (FlBackOffice, fl_back_office, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_LOCKED,
  PROP_STAFF,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
touch (FlBackOffice *self)
{
  self->last_activity = g_get_monotonic_time ();
}

static gboolean
idle_check_cb (gpointer user_data)
{
  FlBackOffice *self = user_data;
  gint64 idle = g_get_monotonic_time () - self->last_activity;

  if (!self->locked && self->idle_timeout > 0 && idle >= (gint64) self->idle_timeout * G_USEC_PER_SEC)
    {
      g_debug ("Locking after %u s without input", self->idle_timeout);
      fl_back_office_lock (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
set_locked (FlBackOffice *self, gboolean locked)
{
  if (self->locked == locked)
    return;
  self->locked = locked;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

static void
unlocked_cb (FlBackOffice *self, const char *name)
{
  g_autofree char *text = NULL;

  g_debug ("Unlocked by %s", name);
  g_free (self->staff);
  self->staff = g_strdup (name);
  text = g_strdup_printf (_("Signed in as %s"), name);
  gtk_label_set_label (self->staff_label, text);
  touch (self);

  fl_leads_page_set_actor (self->leads_page, name);
  fl_back_office_reload (self);
  gtk_stack_set_visible_child_name (self->stack, "office");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.lock", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.preferences", TRUE);
  set_locked (self, FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
  gtk_widget_grab_focus (GTK_WIDGET (self->leads_page));
  if (self->settings_page != NULL)
    {
      g_autofree char *page = g_steal_pointer (&self->settings_page);

      fl_back_office_open_settings (self, page);
    }
}

static gboolean
activity_cb (GtkEventControllerLegacy *controller, GdkEvent *event, FlBackOffice *self)
{
  touch (self);
  return GDK_EVENT_PROPAGATE;
}

static void
watch_activity (FlBackOffice *self, GtkWidget *widget)
{
  GtkEventController *controller = gtk_event_controller_legacy_new ();

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (activity_cb), self);
  gtk_widget_add_controller (widget, controller);
}

static void
preferences_closed_cb (FlBackOffice *self)
{
  self->preferences = NULL;
  if (!self->locked)
    fl_back_office_reload (self);
}

static void
view_changed_cb (FlBackOffice *self)
{
  if (self->staff != NULL &&
      g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "dashboard") == 0)
    fl_dashboard_reload (self->dashboard);
}

static void
lock_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  fl_back_office_lock (FL_BACK_OFFICE (widget));
}

static void
preferences_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _fl_back_office_show_preferences (FL_BACK_OFFICE (widget));
}

static void
fl_back_office_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlBackOffice *self = FL_BACK_OFFICE (object);

  switch (prop_id)
    {
    case PROP_LOCKED:
      g_value_set_boolean (value, self->locked);
      break;
    case PROP_STAFF:
      g_value_set_string (value, self->staff);
      break;
    case PROP_IDLE_TIMEOUT:
      g_value_set_uint (value, self->idle_timeout);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_back_office_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlBackOffice *self = FL_BACK_OFFICE (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT:
      fl_back_office_set_idle_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_back_office_dispose (GObject *object)
{
  FlBackOffice *self = FL_BACK_OFFICE (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->view_stack != NULL)
    g_signal_handlers_disconnect_by_data (self->view_stack, self);
  if (self->preferences != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->preferences, self);
      gtk_window_destroy (GTK_WINDOW (self->preferences));
      self->preferences = NULL;
    }
  G_OBJECT_CLASS (fl_back_office_parent_class)->dispose (object);
}

static void
fl_back_office_finalize (GObject *object)
{
  FlBackOffice *self = FL_BACK_OFFICE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->guard);
  g_clear_pointer (&self->staff, g_free);
  g_clear_pointer (&self->settings_page, g_free);
  G_OBJECT_CLASS (fl_back_office_parent_class)->finalize (object);
}

static void
fl_back_office_class_init (FlBackOfficeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_back_office_get_property;
  object_class->set_property = fl_back_office_set_property;
  object_class->dispose = fl_back_office_dispose;
  object_class->finalize = fl_back_office_finalize;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, 24 * 3600, DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "back-office.lock", NULL, lock_action);
  gtk_widget_class_install_action (widget_class, "back-office.preferences", NULL, preferences_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "back-office.lock", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "back-office.preferences", NULL);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-back-office.ui");
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, stack);
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, pin_bin);
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, leads_bin);
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, dashboard_bin);
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, view_stack);
  gtk_widget_class_bind_template_child (widget_class, FlBackOffice, staff_label);
}

static void
fl_back_office_init (FlBackOffice *self)
{
  self->locked = TRUE;
  self->idle_timeout = DEFAULT_IDLE_TIMEOUT;
  gtk_widget_init_template (GTK_WIDGET (self));
  watch_activity (self, GTK_WIDGET (self));
  touch (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.lock", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.preferences", FALSE);
  self->idle_id = g_timeout_add_seconds (1, idle_check_cb, self);
}

/**
 * fl_back_office_new:
 * @store: the kiosk's database
 *
 * Returns: (transfer floating): the back office, locked
 */
GtkWidget *
fl_back_office_new (FlStore *store)
{
  FlBackOffice *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_BACK_OFFICE, NULL);
  self->store = g_object_ref (store);
  self->guard = fl_pin_guard_new (store);

  self->pin_page = FL_PIN_PAGE (fl_pin_page_new (store, self->guard));
  g_signal_connect_swapped (self->pin_page, "unlocked", G_CALLBACK (unlocked_cb), self);
  adw_bin_set_child (self->pin_bin, GTK_WIDGET (self->pin_page));

  self->leads_page = FL_LEADS_PAGE (fl_leads_page_new (store));
  adw_bin_set_child (self->leads_bin, GTK_WIDGET (self->leads_page));

  self->dashboard = FL_DASHBOARD (fl_dashboard_new (store));
  adw_bin_set_child (self->dashboard_bin, GTK_WIDGET (self->dashboard));

  g_signal_connect_swapped (self->view_stack, "notify::visible-child-name", G_CALLBACK (view_changed_cb), self);
  gtk_stack_set_visible_child_name (self->stack, "locked");
  return GTK_WIDGET (self);
}

FlStore *
fl_back_office_get_store (FlBackOffice *self)
{
  g_return_val_if_fail (FL_IS_BACK_OFFICE (self), NULL);
  return self->store;
}

gboolean
fl_back_office_get_locked (FlBackOffice *self)
{
  g_return_val_if_fail (FL_IS_BACK_OFFICE (self), TRUE);
  return self->locked;
}

/**
 * fl_back_office_get_staff:
 *
 * Returns: (nullable): who unlocked the back office, %NULL while locked
 */
const char *
fl_back_office_get_staff (FlBackOffice *self)
{
  g_return_val_if_fail (FL_IS_BACK_OFFICE (self), NULL);
  return self->locked ? NULL : self->staff;
}

guint
fl_back_office_get_idle_timeout (FlBackOffice *self)
{
  g_return_val_if_fail (FL_IS_BACK_OFFICE (self), 0);
  return self->idle_timeout;
}

/**
 * fl_back_office_set_idle_timeout:
 * @seconds: seconds without input before the back office locks, 0 for never
 */
void
fl_back_office_set_idle_timeout (FlBackOffice *self, guint seconds)
{
  g_return_if_fail (FL_IS_BACK_OFFICE (self));

  if (self->idle_timeout == seconds)
    return;
  self->idle_timeout = seconds;
  touch (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
}

/**
 * fl_back_office_lock:
 *
 * Closes the settings, forgets who unlocked and shows the PIN page. The
 * leads shown so far are dropped, so nothing of them stays on screen.
 */
void
fl_back_office_lock (FlBackOffice *self)
{
  g_return_if_fail (FL_IS_BACK_OFFICE (self));

  g_debug ("Locked");
  if (self->preferences != NULL)
    gtk_window_close (GTK_WINDOW (self->preferences));
  fl_leads_page_clear (self->leads_page);
  fl_pin_page_reset (self->pin_page);
  gtk_stack_set_visible_child_name (self->stack, "locked");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.lock", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "back-office.preferences", FALSE);
  g_clear_pointer (&self->staff, g_free);
  g_clear_pointer (&self->settings_page, g_free);
  gtk_label_set_label (self->staff_label, "");
  set_locked (self, TRUE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
}

/**
 * fl_back_office_open_settings:
 * @page: the settings page to show, e.g. "connectors"
 *
 * Opens the settings at @page: at once when unlocked, else right after
 * the next unlock, the PIN first as always.
 */
void
fl_back_office_open_settings (FlBackOffice *self, const char *page)
{
  FlPreferencesWindow *preferences;

  g_return_if_fail (FL_IS_BACK_OFFICE (self));
  g_return_if_fail (page != NULL);

  if (self->locked)
    {
      g_free (self->settings_page);
      self->settings_page = g_strdup (page);
      return;
    }
  preferences = _fl_back_office_show_preferences (self);
  if (preferences != NULL)
    adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), page);
}

/**
 * fl_back_office_reload:
 *
 * Reads the leads and the dashboard again, as after a capture or an
 * upload. Does nothing while locked.
 */
void
fl_back_office_reload (FlBackOffice *self)
{
  g_return_if_fail (FL_IS_BACK_OFFICE (self));

  if (self->staff == NULL)
    return;
  fl_leads_page_reload (self->leads_page);
  /* The dashboard reads every lead of the event; only when it is shown. */
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "dashboard") == 0)
    fl_dashboard_reload (self->dashboard);
}

FlPinPage *
_fl_back_office_get_pin_page (FlBackOffice *self)
{
  return self->pin_page;
}

FlLeadsPage *
_fl_back_office_get_leads_page (FlBackOffice *self)
{
  return self->leads_page;
}

FlDashboard *
_fl_back_office_get_dashboard (FlBackOffice *self)
{
  return self->dashboard;
}

void
_fl_back_office_show_view (FlBackOffice *self, const char *name)
{
  adw_view_stack_set_visible_child_name (self->view_stack, name);
}

/* The settings window when it is open, else %NULL. */
FlPreferencesWindow *
_fl_back_office_get_preferences (FlBackOffice *self)
{
  return self->preferences;
}

FlPreferencesWindow *
_fl_back_office_show_preferences (FlBackOffice *self)
{
  GtkRoot *root;

  if (self->locked)
    return NULL;
  if (self->preferences == NULL)
    {
      root = gtk_widget_get_root (GTK_WIDGET (self));
      self->preferences = FL_PREFERENCES_WINDOW (fl_preferences_window_new (self->store, self->staff));
      if (GTK_IS_WINDOW (root))
        gtk_window_set_transient_for (GTK_WINDOW (self->preferences), GTK_WINDOW (root));
      if (FL_IS_WINDOW (root))
        g_object_set (self->preferences, "booth-service",
                      fl_window_get_booth_service (FL_WINDOW (root)), NULL);
      watch_activity (self, GTK_WIDGET (self->preferences));
      g_signal_connect_swapped (self->preferences, "destroy", G_CALLBACK (preferences_closed_cb), self);
    }
  gtk_window_present (GTK_WINDOW (self->preferences));
  return self->preferences;
}
