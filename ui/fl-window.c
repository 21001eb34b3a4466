/* fl-window.c: the kiosk window
 *
 * The pages (scan, lead, thanks, back office, no event, error, damaged),
 * what leads from one to the next, and the capture that opens a lead.
 * The rest of the window lives beside it: see fl-window-private.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-application.h"
#include "fl-back-office.h"
#include "fl-upload-button-private.h"
#include "fl-window-private.h"
#include "score/fl-model-store.h"
#include "score/fl-scorer.h"
#include "store/fl-capture.h"
#include "store/fl-discard.h"
#include "store/fl-staff.h"

/* The idle timeout of the settings, when they are not installed. */
#define DEFAULT_IDLE_SECONDS 90
/* How long a toast takes to slide in (libadwaita 1.2: 300 ms, 500 ms
 * when it replaces another), with a wide margin: the animation ends only
 * at the first frame after that, late on a loaded kiosk. */
#define TOAST_SHOW_US (1500 * G_TIME_SPAN_MILLISECOND)
/* How long before the idle timeout the kiosk says it is coming. */
#define IDLE_WARNING_MS 10000

static void update_staff (FlWindow *self);
static void start_worker (FlWindow *self);

G_DEFINE_FINAL_TYPE (FlWindow, fl_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  PROP_STAFF,
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
      fl_scan_page_set_lead_count (self->scan_page, "");
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
  fl_scan_page_set_lead_count (self->scan_page, text);
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
  g_autoptr(GError) error = NULL;
  FlEvent *copy = fl_event_copy (event);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  g_clear_pointer (&self->event, fl_event_free);
  self->event = copy;
  g_clear_object (&self->model);
  self->model = fl_model_store_load_for_event (self->store, event->uuid, &error);
  if (self->model == NULL && !g_error_matches (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL))
    {
      /* Capture goes on unscored; the leads are re-scored once the model is fixed. */
      g_autofree char *message = g_strdup_printf (_("The scoring model cannot be used: %s. "
                                                    "Leads are saved unscored."), error->message);
      g_warning ("%s", message);
      _fl_window_show_toast (self, message, 0);
    }

  set_header (self, event->name, location);
  update_lead_count (self, event);
  update_staff (self);
  start_worker (self);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), TRUE);
  /* A reload while a visitor is being served leaves them be. */
  if (g_strcmp0 (page, "lead") != 0 && g_strcmp0 (page, "thanks") != 0)
    gtk_stack_set_visible_child_name (self->stack, "scan");
}

static void
show_no_event (FlWindow *self)
{
  g_autofree char *command = build_create_command (self);

  g_clear_pointer (&self->event, fl_event_free);
  g_clear_object (&self->model);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), FALSE);
  set_header (self, _("Fairlead"), NULL);
  gtk_label_set_label (self->command_label, command);
  gtk_stack_set_visible_child_name (self->stack, "no-event");
}

/* Toasts */

static void
toast_dismissed_cb (AdwToast *toast, gpointer user_data)
{
  FlWindow *self = user_data;

  if (self->toast == toast)
    self->toast = NULL;
}

static gboolean
dismiss_later_cb (gpointer user_data)
{
  adw_toast_dismiss (ADW_TOAST (user_data));
  return G_SOURCE_REMOVE;
}

/* Dismissed once only: a toast dismissed again while it fades out is
 * freed twice by libadwaita 1.2. Nor while it slides in: libadwaita 1.2
 * frees the toast's state when it has faded out, while its show
 * animation, still running, keeps a “done” handler that then writes to
 * it (a toast followed at once by the next scan); such a toast goes once
 * it is surely in. */
void
_fl_window_dismiss_toast (FlWindow *self)
{
  AdwToast *toast = g_steal_pointer (&self->toast);
  gint64 age = g_get_monotonic_time () - self->toast_shown;

  if (toast == NULL)
    return;
  if (age >= TOAST_SHOW_US)
    adw_toast_dismiss (toast);
  else
    g_timeout_add_full (G_PRIORITY_DEFAULT, (guint) ((TOAST_SHOW_US - age) / 1000) + 1, dismiss_later_cb,
                        g_object_ref (toast), g_object_unref);
}

static void
add_toast (FlWindow *self, AdwToast *toast)
{
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  _fl_window_dismiss_toast (self);
  self->toast = toast;
  self->toast_shown = g_get_monotonic_time ();
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
_fl_window_show_toast (FlWindow *self, const char *title, guint timeout)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, timeout);
  add_toast (self, toast);
}

/* A toast with one button (Undo, Reopen) that calls @clicked with the
 * window; what it acts on is kept on the toast (see toast_uuid()). */
static AdwToast *
show_toast_with_button (FlWindow   *self,
                        const char *title,
                        guint       timeout,
                        const char *button_label,
                        GCallback   clicked,
                        const char *uuid)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, timeout);
  adw_toast_set_button_label (toast, button_label);
  g_object_set_data_full (G_OBJECT (toast), "fl-uuid", g_strdup (uuid), g_free);
  g_signal_connect_object (toast, "button-clicked", clicked, self, G_CONNECT_SWAPPED);
  add_toast (self, toast);
  return toast;
}

static const char *
toast_uuid (AdwToast *toast)
{
  return g_object_get_data (G_OBJECT (toast), "fl-uuid");
}

/* A toast whose button was clicked is dismissed by libadwaita itself;
 * dismissing it again would free it twice (libadwaita 1.2). */
static void
forget_toast (FlWindow *self, AdwToast *toast)
{
  if (self->toast == toast)
    self->toast = NULL;
}

/* The upload worker, shown in the header */

static void
stop_worker (FlWindow *self)
{
  if (self->worker == NULL)
    return;
  fl_upload_button_set_worker (self->upload_button, NULL);
  fl_upload_worker_stop (self->worker);
  g_clear_object (&self->worker);
  _fl_window_update_actions (self);
}

static void
start_worker (FlWindow *self)
{
  if (self->worker != NULL || self->store == NULL)
    return;
  self->worker = fl_upload_worker_new (fl_store_get_path (self->store));
  fl_upload_button_set_worker (self->upload_button, self->worker);
  fl_upload_worker_start (self->worker);
  /* Upload Now needs the worker: set up after the store's actions. */
  _fl_window_update_actions (self);
}

/* Staff at the kiosk */

static void
update_staff (FlWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) names = g_menu_new ();
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) staff = NULL;

  if (self->store != NULL)
    staff = fl_staff_list (self->store, &error);
  if (error != NULL)
    g_debug ("Cannot list the staff: %s", error->message);

  for (guint i = 0; staff != NULL && staff[i] != NULL; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (staff[i], NULL);

      g_menu_item_set_action_and_target (item, "win.staff", "s", staff[i]);
      g_menu_append_item (names, item);
    }
  g_menu_append_section (menu, _("At the Booth"), G_MENU_MODEL (names));
  {
    g_autoptr(GMenu) add = g_menu_new ();

    g_menu_append (add, _("Add Staff Member…"), "win.choose-staff");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (add));
  }
  gtk_menu_button_set_menu_model (self->staff_button, G_MENU_MODEL (menu));

  gtk_label_set_label (self->staff_label,
                       self->staff != NULL && self->staff[0] != '\0' ? self->staff : _("Staff"));
}

static void stay_clicked_cb (FlWindow *self);

/* The bar that counts down the last seconds before the idle timeout,
 * large at the bottom: a tap anywhere keeps the visitor's lead open. */
static GtkWidget *
idle_warning_new (FlWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Stay"));

  self->idle_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->idle_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->idle_label), TRUE);
  gtk_label_set_xalign (self->idle_label, 0);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->idle_label));
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_object (button, "clicked", G_CALLBACK (stay_clicked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (box), button);
  gtk_widget_add_css_class (box, "idle-warning");

  self->idle_revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->idle_revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_UP);
  gtk_revealer_set_child (self->idle_revealer, box);
  gtk_widget_set_valign (GTK_WIDGET (self->idle_revealer), GTK_ALIGN_END);
  gtk_widget_set_halign (GTK_WIDGET (self->idle_revealer), GTK_ALIGN_CENTER);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->idle_revealer), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (self->idle_revealer), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->idle_revealer), 12);
  return GTK_WIDGET (self->idle_revealer);
}

/* The picker and the idle countdown lie over the page stack, which stays
 * as it is below. */
static void
add_overlays (FlWindow *self)
{
  GtkWidget *overlay = gtk_overlay_new ();
  g_autoptr(GtkWidget) stack = g_object_ref (GTK_WIDGET (self->stack));

  adw_toast_overlay_set_child (self->toast_overlay, NULL);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), stack);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), idle_warning_new (self));
  _fl_window_staff_init (self, GTK_OVERLAY (overlay));
  adw_toast_overlay_set_child (self->toast_overlay, overlay);
}

/* Pages */

static void
cancel_idle (FlWindow *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
  g_clear_handle_id (&self->idle_warning_id, g_source_remove);
  gtk_revealer_set_reveal_child (self->idle_revealer, FALSE);
}

/* Writes the open lead; a failure is shown, and the lead stays in memory
 * for the next try. */
gboolean
_fl_window_save_open_lead (FlWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (fl_lead_page_save (self->lead_page, &error))
    return TRUE;
  _fl_window_show_toast (self, error->message, 0);
  return FALSE;
}

/* The back office belongs to one database; another one gets its own. */
static void
drop_back_office (FlWindow *self)
{
  if (self->back_office == NULL)
    return;
  gtk_stack_remove (self->stack, self->back_office);
  self->back_office = NULL;
}

/* Back to the resting screen, with nothing of the last visitor on it. */
void
_fl_window_show_scan_page (FlWindow *self)
{
  cancel_idle (self);
  _fl_window_hide_staff_picker (self);
  /* A visitor must never browse other visitors' data. */
  if (self->back_office != NULL)
    fl_back_office_lock (FL_BACK_OFFICE (self->back_office));
  fl_lead_page_clear (self->lead_page);
  fl_thanks_page_clear (self->thanks_page);
  if (self->event != NULL)
    update_lead_count (self, self->event);
  gtk_stack_set_visible_child_name (self->stack, "scan");
}

static void
close_dialogs (FlWindow *self)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();

  g_object_ref (toplevels);
  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i - 1);

      if (ADW_IS_MESSAGE_DIALOG (item) &&
          gtk_window_get_transient_for (GTK_WINDOW (item)) == GTK_WINDOW (self))
        gtk_window_destroy (GTK_WINDOW (item));
    }
}

static void reopen_clicked_cb (FlWindow *self, AdwToast *toast);

static void
idle_timeout (FlWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  FlLead *lead = fl_lead_page_get_lead (self->lead_page);
  g_autofree char *uuid = lead != NULL ? g_strdup (fl_lead_get_uuid (lead)) : NULL;
  gboolean merged = _fl_lead_page_get_merged (self->lead_page);

  cancel_idle (self);
  if (g_strcmp0 (page, "lead") != 0 && g_strcmp0 (page, "thanks") != 0)
    return;

  /* Saved first; if the disk refuses, the lead stays on screen rather
   * than being lost, and the message says so. */
  if (!_fl_window_save_open_lead (self))
    return;
  close_dialogs (self);
  _fl_window_dismiss_toast (self);
  _fl_window_show_scan_page (self);
  if (g_strcmp0 (page, "lead") == 0 && uuid != NULL)
    {
      AdwToast *toast = show_toast_with_button (self, _("The open lead was saved"), 10, _("_Reopen"),
                                                G_CALLBACK (reopen_clicked_cb), uuid);

      g_object_set_data (G_OBJECT (toast), "fl-merged", GINT_TO_POINTER (merged));
    }
}

static char *
countdown_title (int seconds)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Still talking? Tap to stay — back to the start in %d second",
                                       "Still talking? Tap to stay — back to the start in %d seconds",
                                       (gulong) seconds),
                          seconds);
}

/* The last seconds before the timeout, counted down on screen. */
static gboolean
idle_countdown_cb (gpointer user_data)
{
  FlWindow *self = user_data;
  gint64 left = self->idle_deadline - g_get_monotonic_time ();
  int seconds = (int) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);

  if (left <= 0)
    {
      self->idle_warning_id = 0;
      idle_timeout (self);
      return G_SOURCE_REMOVE;
    }
  if (seconds != self->idle_left)
    {
      g_autofree char *title = countdown_title (seconds);

      self->idle_left = seconds;
      gtk_label_set_label (self->idle_label, title);
    }
  return G_SOURCE_CONTINUE;
}

static void
stay_clicked_cb (FlWindow *self)
{
  _fl_window_restart_idle (self);
}

static gboolean
idle_warning_cb (gpointer user_data)
{
  FlWindow *self = user_data;
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  g_autofree char *title = NULL;
  gint64 left = self->idle_deadline - g_get_monotonic_time ();

  self->idle_id = 0;
  if (g_strcmp0 (page, "lead") != 0 && g_strcmp0 (page, "thanks") != 0)
    return G_SOURCE_REMOVE;

  self->idle_left = (int) ((MAX (left, 0) + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
  title = countdown_title (self->idle_left);
  gtk_label_set_label (self->idle_label, title);
  gtk_revealer_set_reveal_child (self->idle_revealer, TRUE);
  self->idle_warning_id = g_timeout_add (100, idle_countdown_cb, self);
  return G_SOURCE_REMOVE;
}

static guint
idle_interval_ms (FlWindow *self)
{
  if (self->idle_ms > 0)
    return self->idle_ms;
  if (self->settings != NULL)
    return g_settings_get_uint (self->settings, "idle-timeout") * 1000;
  return DEFAULT_IDLE_SECONDS * 1000;
}

/* Any touch or key on the lead or thanks page restarts the countdown.
 * Its last 10 s (half of it, for a test's shorter timeout) are shown. */
void
_fl_window_restart_idle (FlWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);
  guint interval = idle_interval_ms (self);
  guint warning = MIN (IDLE_WARNING_MS, interval / 2);

  cancel_idle (self);
  if (g_strcmp0 (page, "lead") == 0 || g_strcmp0 (page, "thanks") == 0)
    {
      self->idle_deadline = g_get_monotonic_time () + (gint64) interval * 1000;
      self->idle_id = g_timeout_add (interval - warning, idle_warning_cb, self);
    }
}

static void
visible_child_notify_cb (GtkStack *stack, GParamSpec *pspec, gpointer user_data)
{
  FlWindow *self = FL_WINDOW (user_data);
  gboolean in_back_office = g_strcmp0 (gtk_stack_get_visible_child_name (stack), "back-office") == 0;

  /* Nothing leads away from the damaged page but a restart on a sound file. */
  if (self->damaged && g_strcmp0 (gtk_stack_get_visible_child_name (stack), "damaged") != 0)
    {
      gtk_stack_set_visible_child_name (stack, "damaged");
      return;
    }

  /* In the back office the same button leads back to the kiosk. (Its
   * tooltip stays: GTK 4.8 frees tooltip data still in use when it is
   * changed during a page switch.) */
  gtk_button_set_icon_name (self->back_office_button,
                            in_back_office ? "go-previous-symbolic" : "system-lock-screen-symbolic");
  if (in_back_office)
    cancel_idle (self);
  else
    _fl_window_restart_idle (self);
}

static void
activity_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  _fl_window_restart_idle (FL_WINDOW (user_data));
}

static const char *
status_phrase (FlLead *lead, gboolean consent_held)
{
  if (consent_held)
    return NULL;
  switch (fl_lead_get_status (lead))
    {
    case FL_STATUS_SAL: return _("SAL, goes to sales at the next upload");
    case FL_STATUS_DISQUALIFIED: return _("disqualified");
    case FL_STATUS_MQL:
    default: return _("MQL, stays with marketing");
    }
}

static gboolean
consent_required (FlWindow *self)
{
  if (self->event == NULL || !JSON_NODE_HOLDS_OBJECT (self->event->settings))
    return TRUE;
  return json_object_get_boolean_member_with_default (json_node_get_object (self->event->settings),
                                                      FL_SETTING_CONSENT_REQUIRED, TRUE);
}

static gboolean
consent_given (FlLead *lead)
{
  JsonNode *consent = fl_lead_get_consent (lead);

  return consent != NULL && JSON_NODE_HOLDS_OBJECT (consent) &&
         json_object_get_boolean_member_with_default (json_node_get_object (consent), "given", FALSE);
}

/* @for_visitor: the screen faces the visitor (after Done): no status,
 * which is for staff only (the lead list shows it). */
static char *
saved_message (FlWindow *self, FlLead *lead, gboolean for_visitor)
{
  const char *name = fl_lead_get_display_name (lead);
  gboolean held = consent_required (self) && !consent_given (lead);
  const char *phrase = fl_lead_get_model (lead) != NULL && !for_visitor ? status_phrase (lead, held) : NULL;

  if (name == NULL)
    name = _("The lead");
  if (for_visitor)
    /* Translators: “Anna Muster saved”, read by the visitor */
    return g_strdup_printf (_("%s saved"), name);
  if (held)
    /* Translators: “Anna Muster saved — stays on this kiosk until …” */
    return g_strdup_printf (_("%s saved — stays on this kiosk until the visitor consents"), name);
  if (phrase != NULL)
    /* Translators: “Anna Muster saved — SAL, goes to sales at the next upload” */
    return g_strdup_printf (_("%s saved — %s"), name, phrase);
  return g_strdup_printf (_("%s saved"), name);
}

static void
lead_done_cb (FlLeadPage *page, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autofree char *message = NULL;
  FlLead *lead = fl_lead_page_get_lead (page);

  if (lead == NULL || !_fl_window_save_open_lead (self))
    return;
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
  _fl_window_booth_sync_soon (self);
  message = saved_message (self, lead, TRUE);
  _fl_window_backup_if_due (self);
  fl_thanks_page_set_language (self->thanks_page, fl_lead_page_get_language (page));
  fl_thanks_page_show_lead (self->thanks_page, self->event, lead);
  fl_lead_page_clear (page);
  gtk_stack_set_visible_child_name (self->stack, "thanks");
  _fl_window_show_toast (self, message, 4);
}

static void
lead_closed_cb (FlLeadPage *page, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autofree char *message = NULL;
  FlLead *lead = fl_lead_page_get_lead (page);

  if (lead == NULL || !_fl_window_save_open_lead (self))
    return;
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
  _fl_window_booth_sync_soon (self);
  message = saved_message (self, lead, FALSE);
  _fl_window_show_scan_page (self);
  _fl_window_show_toast (self, message, 4);
}

/* The held discard of the toast goes through once the toast goes (timed
 * out, closed, or replaced by the next one); Undo takes it back first. */
static void
discard_toast_dismissed_cb (AdwToast *toast, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (self->store != NULL && !fl_discard_finish (self->store, toast_uuid (toast), &error))
    g_warning ("The discarded lead stays until the next start: %s", error->message);
}

static void
undo_discard_clicked_cb (FlWindow *self, AdwToast *toast)
{
  g_autoptr(GError) error = NULL;
  const char *uuid = toast_uuid (toast);

  forget_toast (self, toast);
  if (self->store == NULL)
    return;
  if (!fl_discard_undo (self->store, uuid, self->staff ? self->staff : "kiosk", &error))
    {
      g_autofree char *message = g_strdup_printf (_("The discard cannot be undone: %s"), error->message);

      _fl_window_show_toast (self, message, 0);
      return;
    }
  _fl_window_reopen_lead (self, uuid, FALSE);
}

static void
lead_discarded_cb (FlLeadPage *page, const char *uuid, gpointer user_data)
{
  FlWindow *self = user_data;
  AdwToast *toast;

  _fl_window_show_scan_page (self);
  toast = show_toast_with_button (self, _("The scan was discarded"), 10, _("_Undo"),
                                  G_CALLBACK (undo_discard_clicked_cb), uuid);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (discard_toast_dismissed_cb), self, 0);
}

static void
reopen_clicked_cb (FlWindow *self, AdwToast *toast)
{
  forget_toast (self, toast);
  _fl_window_reopen_lead (self, toast_uuid (toast),
                          GPOINTER_TO_INT (g_object_get_data (G_OBJECT (toast), "fl-merged")));
}

static void
lead_save_failed_cb (FlLeadPage *page, const GError *error, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autofree char *message =
    g_strdup_printf (_("The last change is not saved yet: %s. It stays on screen; "
                       "the kiosk tries again with the next change."), error->message);

  _fl_window_show_toast (self, message, 0);
}

static void
thanks_finished_cb (FlThanksPage *page, gpointer user_data)
{
  _fl_window_show_scan_page (FL_WINDOW (user_data));
}

/* Capture */

/* The lead a new scan (or a reopen) took off the screen: saved, and one
 * tap brings it back. */
static void
show_left_toast (FlWindow *self, FlLead *lead, gboolean merged)
{
  const char *name = fl_lead_get_display_name (lead);
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: the lead that was open when the next badge was scanned */
  title = g_strdup_printf (_("%s saved"), name != NULL ? name : _("The lead"));
  toast = show_toast_with_button (self, title, 6, _("_Reopen"), G_CALLBACK (reopen_clicked_cb),
                                  fl_lead_get_uuid (lead));
  g_object_set_data (G_OBJECT (toast), "fl-merged", GINT_TO_POINTER (merged));
}

/**
 * _fl_window_reopen_lead:
 * @merged: the lead was a repeat visit when it was open (Discard stays off)
 *
 * Opens a saved lead again on the lead page (Reopen, Undo); the lead that
 * is open is saved first and gets a Reopen toast of its own.
 */
void
_fl_window_reopen_lead (FlWindow *self, const char *uuid, gboolean merged)
{
  FlCaptureResult result = { .format = FL_PAYLOAD_FORMAT_UNKNOWN };
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(FlLead) left = NULL;
  g_autoptr(GError) error = NULL;
  gboolean left_merged = FALSE;

  if (self->store == NULL || uuid == NULL)
    return;
  lead = fl_store_get_lead (self->store, uuid, &error);
  if (lead == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The lead cannot be opened again: %s"), error->message);

      _fl_window_show_toast (self, message, 0);
      return;
    }
  if (fl_lead_page_get_lead (self->lead_page) != NULL)
    {
      if (!_fl_window_save_open_lead (self))
        return;
      if (g_strcmp0 (fl_lead_get_uuid (fl_lead_page_get_lead (self->lead_page)), uuid) == 0)
        return;
      left = g_object_ref (fl_lead_page_get_lead (self->lead_page));
      left_merged = _fl_lead_page_get_merged (self->lead_page);
    }
  result.lead = lead;
  /* A repeat visit stays one: welcome line, and no Discard of the earlier lead. */
  result.match = merged ? FL_CAPTURE_MATCH_EMAIL : FL_CAPTURE_MATCH_NONE;
  close_dialogs (self);
  _fl_window_dismiss_toast (self);
  fl_thanks_page_clear (self->thanks_page);
  fl_lead_page_open (self->lead_page, self->store, self->model, &result, self->staff);
  gtk_stack_set_visible_child_name (self->stack, "lead");
  _fl_window_restart_idle (self);
  fl_lead_page_focus_start (self->lead_page);
  if (left != NULL)
    show_left_toast (self, left, left_merged);
}

static gboolean
score_capture (FlStore *store, const FlEvent *event, FlLead *lead, gpointer user_data,
               GError **error)
{
  return fl_scorer_score_lead (store, lead, error);
}

void
_fl_window_capture (FlWindow           *self,
                    const char         *payload,
                    FlSource            source,
                    FlLead             *entered,
                    const FlWindowCard *card)
{
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(FlCaptureResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) left = NULL;
  gboolean left_merged = FALSE;

  if (self->store == NULL || self->event == NULL)
    {
      _fl_window_show_toast (self, _("There is no event to capture leads for; create one first"), 0);
      return;
    }
  if (self->damaged)
    {
      /* Writing on would spread the damage; the damaged page says what to do. */
      gtk_stack_set_visible_child_name (self->stack, "damaged");
      return;
    }

  /* A new scan while a lead is open: that lead is kept as it stands,
   * and a toast can bring it back. */
  if (fl_lead_page_get_lead (self->lead_page) != NULL)
    {
      if (!_fl_window_save_open_lead (self))
        return;
      left = g_object_ref (fl_lead_page_get_lead (self->lead_page));
      left_merged = _fl_lead_page_get_merged (self->lead_page);
    }

  request.payload = payload;
  request.source = source;
  request.entered = entered;
  request.staff = self->staff != NULL && self->staff[0] != '\0' ? self->staff : NULL;
  request.score_func = score_capture;
  result = fl_capture (self->store, &request, &error);
  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The scan could not be saved: %s"),
                                                  error->message);
      g_warning ("Capture failed: %s", error->message);
      _fl_window_show_toast (self, message, 0);
      return;
    }
  if (result->score_error != NULL)
    g_warning ("Lead %s saved unscored: %s", fl_lead_get_uuid (result->lead),
               result->score_error->message);

  close_dialogs (self);
  _fl_window_dismiss_toast (self);
  if (card != NULL)
    _fl_window_keep_card_photo (self, result->lead, card);
  fl_thanks_page_clear (self->thanks_page);
  fl_lead_page_open (self->lead_page, self->store, self->model, result, request.staff);
  if (card != NULL)
    _fl_window_show_card (self, card);
  gtk_stack_set_visible_child_name (self->stack, "lead");
  _fl_window_restart_idle (self);
  if (source == FL_SOURCE_MANUAL)
    gtk_widget_grab_focus (GTK_WIDGET (_fl_lead_page_get_field (self->lead_page, FL_FIELD_FIRST_NAME)));
  else
    fl_lead_page_focus_start (self->lead_page);
  if (left != NULL && g_strcmp0 (fl_lead_get_uuid (left), fl_lead_get_uuid (result->lead)) != 0)
    show_left_toast (self, left, left_merged);
  /* Saved without a name: ask once, and the answer goes on this lead too. */
  if (request.staff == NULL)
    {
      if (self->unnamed_leads == NULL)
        self->unnamed_leads = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (self->unnamed_leads, g_strdup (fl_lead_get_uuid (result->lead)));
      _fl_window_show_staff_picker (self, FALSE);
    }
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
  _fl_window_booth_sync_soon (self);
}

static void
code_detected_cb (FlScanPage *page, const char *payload, gboolean card, gpointer user_data)
{
  FlWindow *self = user_data;

  /* The camera keeps looking while the page fades out; one capture per
   * visit to the scan page. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "scan") != 0)
    return;
  if (_fl_window_booth_code_scanned (self, payload))
    return;
  _fl_window_capture (self, payload, card ? FL_SOURCE_CARD_QR : FL_SOURCE_BADGE, NULL, NULL);
}

/* Into the back office, behind its staff PIN. */
gboolean
_fl_window_show_back_office (FlWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "back-office") == 0)
    return TRUE;
  /* An open lead is saved and closed first: the back office shows it too. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "lead") == 0 &&
      !_fl_window_save_open_lead (self))
    return FALSE;
  cancel_idle (self);
  _fl_window_hide_staff_picker (self);
  fl_lead_page_clear (self->lead_page);
  fl_thanks_page_clear (self->thanks_page);
  /* The back office lists leads: one on its way out is gone by then (an
   * Undo still on screen then says so). */
  fl_discard_finish (self->store, NULL, NULL);
  if (self->back_office == NULL)
    {
      self->back_office = fl_back_office_new (self->store);
      gtk_stack_add_named (self->stack, self->back_office, "back-office");
    }
  else
    fl_back_office_reload (FL_BACK_OFFICE (self->back_office));
  gtk_stack_set_visible_child_name (self->stack, "back-office");
  return TRUE;
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
    case PROP_STAFF:
      fl_window_set_staff (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlWindow *self = FL_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STAFF:
      g_value_set_string (value, self->staff ? self->staff : "");
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
  if (self->settings != NULL)
    {
      g_settings_bind (self->settings, "staff-member", self, "staff", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "camera", self->scan_page, "camera-source",
                       G_SETTINGS_BIND_DEFAULT);
    }
  if (g_getenv ("FAIRLEAD_CAMERA") != NULL)
    fl_scan_page_set_camera_source (self->scan_page, g_getenv ("FAIRLEAD_CAMERA"));
  if (g_strcmp0 (PROFILE, "Devel") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
  _fl_window_update_actions (self);
}

static void
fl_window_dispose (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  _fl_window_wedge_dispose (self);
  _fl_window_stop_booth (self);
  cancel_idle (self);
  stop_worker (self);
  _fl_window_stop_health (self);
  _fl_window_card_dispose (self);
  /* Whatever is pending is written before the window goes. */
  if (self->lead_page != NULL && self->store != NULL)
    _fl_window_save_open_lead (self);
  if (self->store != NULL)
    fl_discard_finish (self->store, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->model);
  g_clear_pointer (&self->event, fl_event_free);

  G_OBJECT_CLASS (fl_window_parent_class)->dispose (object);
}

static void
fl_window_finalize (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_free (self->database_path);
  g_free (self->staff);
  g_clear_pointer (&self->unnamed_leads, g_ptr_array_unref);

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
  object_class->get_property = fl_window_get_property;
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
  /**
   * FlWindow:staff:
   *
   * The staff member at the kiosk, recorded as the capturer of each lead;
   * empty when nobody said.
   */
  properties[PROP_STAFF] =
    g_param_spec_string ("staff", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FL_TYPE_SCAN_PAGE);
  g_type_ensure (FL_TYPE_LEAD_PAGE);
  g_type_ensure (FL_TYPE_THANKS_PAGE);
  g_type_ensure (FL_TYPE_UPLOAD_BUTTON);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, staff_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, staff_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, booth_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, back_office_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, scan_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, lead_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, thanks_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, no_event_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, command_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, damaged_page);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, damaged_command_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, damaged_detail_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, error_hint_label);

  gtk_widget_class_bind_template_callback (widget_class, visible_child_notify_cb);
  gtk_widget_class_bind_template_callback (widget_class, activity_pressed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_done_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_closed_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_discarded_cb);
  gtk_widget_class_bind_template_callback (widget_class, lead_save_failed_cb);
  gtk_widget_class_bind_template_callback (widget_class, thanks_finished_cb);
  gtk_widget_class_bind_template_callback (widget_class, code_detected_cb);

  _fl_window_class_actions_init (klass);
  _fl_window_class_wedge_init (klass);
  _fl_window_class_card_init (klass);
}

static void
fl_window_init (FlWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  add_overlays (self);
  _fl_window_wedge_init (self);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), FALSE);
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
 * fl_window_get_staff:
 *
 * Returns: (nullable): the staff member at the kiosk
 */
const char *
fl_window_get_staff (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->staff;
}

/**
 * fl_window_set_staff:
 * @staff: (nullable): who is at the kiosk; recorded on every lead captured
 */
void
fl_window_set_staff (FlWindow *self, const char *staff)
{
  g_return_if_fail (FL_IS_WINDOW (self));

  if (staff != NULL && staff[0] == '\0')
    staff = NULL;
  if (g_strcmp0 (self->staff, staff) == 0)
    return;
  g_free (self->staff);
  self->staff = g_strdup (staff);
  if (self->staff_label != NULL)
    gtk_label_set_label (self->staff_label, self->staff ? self->staff : _("Staff"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF]);
}

/**
 * fl_window_capture:
 * @payload: what a scanner read
 * @source: how
 *
 * Captures a lead as if it had been scanned, and opens it.
 */
void
fl_window_capture (FlWindow *self, const char *payload, FlSource source)
{
  g_return_if_fail (FL_IS_WINDOW (self));
  g_return_if_fail (payload != NULL);

  _fl_window_capture (self, payload, source, NULL, NULL);
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

  if (self->store != store)
    {
      drop_back_office (self);
      g_clear_pointer (&self->unnamed_leads, g_ptr_array_unref);
      if (self->store != NULL)
        g_signal_handlers_disconnect_by_data (self->store, self);
      /* Staff added or removed anywhere (the back office, this picker)
       * show in the menu at once. */
      g_signal_connect_object (store, "staff-changed", G_CALLBACK (update_staff), self, G_CONNECT_SWAPPED);
    }
  g_set_object (&self->store, store);
  fl_staff_picker_set_store (self->staff_picker, store);
  {
    g_autoptr(GError) error = NULL;

    /* A discard whose Undo was still on screen when the kiosk stopped. */
    if (!fl_discard_finish (store, NULL, &error))
      g_warning ("Cannot finish the discards left from the last run: %s", error->message);
  }
  g_free (self->database_path);
  self->database_path = g_strdup (fl_store_get_path (store));
  _fl_window_update_actions (self);
  fl_window_reload (self);
  _fl_window_start_health (self);
  _fl_window_start_booth (self);
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
  stop_worker (self);
  _fl_window_stop_booth (self);
  drop_back_office (self);
  fl_lead_page_clear (self->lead_page);
  fl_thanks_page_clear (self->thanks_page);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), FALSE);
  _fl_window_hide_staff_picker (self);
  fl_staff_picker_set_store (self->staff_picker, NULL);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_free (self->database_path);
  self->database_path = g_steal_pointer (&failed_path);
  _fl_window_update_actions (self);

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
  return fl_scan_page_get_lead_count (self->scan_page);
}

GtkLabel *
_fl_window_get_command (FlWindow *self)
{
  return self->command_label;
}

gboolean
_fl_window_get_damaged (FlWindow *self)
{
  return self->damaged;
}

GtkLabel *
_fl_window_get_damaged_command (FlWindow *self)
{
  return self->damaged_command_label;
}

AdwStatusPage *
_fl_window_get_error_page (FlWindow *self)
{
  return self->error_page;
}

FlLeadPage *
_fl_window_get_lead_page (FlWindow *self)
{
  return self->lead_page;
}

FlThanksPage *
_fl_window_get_thanks_page (FlWindow *self)
{
  return self->thanks_page;
}

FlScanPage *
_fl_window_get_scan_page (FlWindow *self)
{
  return self->scan_page;
}

FlWedgeDetector *
_fl_window_get_wedge (FlWindow *self)
{
  return self->wedge;
}

/* Tests shorten the idle timeout below the settings' minimum of 10 s. */
void
_fl_window_set_idle_timeout_ms (FlWindow *self, guint timeout_ms)
{
  self->idle_ms = timeout_ms;
  _fl_window_restart_idle (self);
}

GtkRevealer *
_fl_window_get_idle_warning (FlWindow *self)
{
  return self->idle_revealer;
}

GtkLabel *
_fl_window_get_idle_label (FlWindow *self)
{
  return self->idle_label;
}

AdwToast *
_fl_window_get_toast (FlWindow *self)
{
  return self->toast;
}

FlStaffPicker *
_fl_window_get_staff_picker (FlWindow *self)
{
  return self->staff_picker;
}

GMenuModel *
_fl_window_get_staff_menu (FlWindow *self)
{
  return gtk_menu_button_get_menu_model (self->staff_button);
}

GtkLabel *
_fl_window_get_staff_label (FlWindow *self)
{
  return self->staff_label;
}

GtkLabel *
_fl_window_get_upload_label (FlWindow *self)
{
  return _fl_upload_button_get_pending_label (self->upload_button);
}

GtkMenuButton *
_fl_window_get_upload_button (FlWindow *self)
{
  return _fl_upload_button_get_menu_button (self->upload_button);
}

GtkLabel *
_fl_window_get_upload_state (FlWindow *self)
{
  return _fl_upload_button_get_state_label (self->upload_button);
}

GtkLabel *
_fl_window_get_upload_count (FlWindow *self)
{
  return _fl_upload_button_get_count_label (self->upload_button);
}

GtkWidget *
_fl_window_get_connect_button (FlWindow *self)
{
  return _fl_upload_button_get_connect_button (self->upload_button);
}

FlUploadWorker *
_fl_window_get_worker (FlWindow *self)
{
  return self->worker;
}
