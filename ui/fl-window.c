/* fl-window.c: the kiosk window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-application.h"
#include "fl-lead-page.h"
#include "fl-scan-page.h"
#include "fl-thanks-page.h"
#include "fl-window.h"
#include "fl-back-office.h"
#include "fl-window-private.h"
#include "fl-ui-util.h"
#include "scan/fl-card-reader.h"
#include "scan/fl-key-clock.h"
#include "scan/fl-wedge-detector.h"
#include "score/fl-model-store.h"
#include "score/fl-scorer.h"
#include "store/fl-backup.h"
#include "store/fl-capture.h"
#include "store/fl-card-photo.h"
#include "store/fl-doctor.h"
#include "store/fl-staff.h"
#include "sync/fl-upload-worker.h"

/* The idle timeout of the settings, when they are not installed. */
#define DEFAULT_IDLE_SECONDS 90

/* The longest side of the card photo on the lead page, in pixels. */
#define CARD_DISPLAY_SIDE 440

struct _FlWindow
{
  AdwApplicationWindow  parent_instance;

  FlStore              *store;
  char                 *database_path;
  GSettings            *settings;
  FlEvent              *event;
  FlModel              *model;
  FlUploadWorker       *worker;
  char                 *staff;

  FlWedgeDetector      *wedge;
  FlKeyClock            key_clock;        /* the wedge detector's timeline: key event times */
  guint                 wedge_timeout_id;
  guint                 idle_ms;
  guint                 idle_id;
  AdwToast             *toast;      /* the last one, dismissed with the lead */

  FlCardReader         *card_reader;      /* created on the first card, then reused */
  GCancellable         *card_cancellable; /* the card being read, if any */
  gint64                card_started;     /* monotonic µs when “Business card” was pressed */

  /* The database's health: a quick check at start and after each backup,
   * rolling backups on a timer and at Done; both on worker threads. */
  GCancellable         *health_cancellable;
  gboolean              damaged;          /* found damaged: capture is refused */
  gboolean              checking;
  gboolean              backing_up;
  gint64                last_backup;      /* monotonic µs, 0 for none yet */
  guint                 backup_timer_id;
  guint                 backup_ms;        /* tests: the interval in ms, 0 for the settings */

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkMenuButton        *staff_button;
  GtkLabel             *staff_label;
  GtkMenuButton        *upload_button;
  GtkImage             *upload_icon;
  GtkLabel             *upload_label;
  GtkLabel             *upload_state_label;
  GtkLabel             *upload_pending_label;
  GtkLabel             *upload_last_label;
  GtkLabel             *upload_error_label;
  GtkWidget            *connect_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkWidget            *back_office;   /* created on first use, a page of the stack */
  GtkButton            *back_office_button;
  FlScanPage           *scan_page;
  FlLeadPage           *lead_page;
  FlThanksPage         *thanks_page;
  AdwStatusPage        *no_event_page;
  GtkLabel             *command_label;
  AdwStatusPage        *error_page;
  GtkLabel             *error_hint_label;
  AdwStatusPage        *damaged_page;
  GtkLabel             *damaged_command_label;
  GtkLabel             *damaged_detail_label;
};

static void show_toast   (FlWindow   *self,
                          const char *title,
                          guint       timeout);
static void update_staff (FlWindow   *self);
static void start_worker (FlWindow   *self);
static void start_backup   (FlWindow   *self);
static void backup_if_due  (FlWindow   *self);
static void update_actions (FlWindow   *self);

/* A business card read for a capture: the photo and what was read on it. */
typedef struct
{
  GdkPixbuf    *photo;
  FlCardResult *result;
} CardCapture;

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
      show_toast (self, message, 0);
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

/* Dismissed once only: a toast dismissed again while it fades out is
 * freed twice by libadwaita 1.2. */
static void
dismiss_toast (FlWindow *self)
{
  AdwToast *toast = g_steal_pointer (&self->toast);

  if (toast != NULL)
    adw_toast_dismiss (toast);
}

static void
show_toast (FlWindow *self, const char *title, guint timeout)
{
  AdwToast *toast = adw_toast_new (title);

  adw_toast_set_timeout (toast, timeout);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  dismiss_toast (self);
  self->toast = toast;
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* Upload state in the header */

static void
update_upload_state (FlWindow *self)
{
  g_autofree char *pending_text = NULL;
  g_autofree char *last_text = NULL;
  g_autofree char *count = NULL;
  gint64 pending, failed, last, undelivered;
  gboolean online, connected;
  const char *icon;
  const char *state;

  if (self->worker == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->upload_button), FALSE);
      return;
    }
  pending = fl_upload_worker_get_pending (self->worker);
  failed = fl_upload_worker_get_failed (self->worker);
  last = fl_upload_worker_get_last_success (self->worker);
  online = fl_upload_worker_get_online (self->worker);
  undelivered = fl_upload_worker_get_undelivered (self->worker);
  /* Unknown (-1) until the worker's first round: not said to be missing. */
  connected = fl_upload_worker_get_connectors (self->worker) != 0;

  if (!connected)
    {
      /* Nothing is queued without a CRM: every lead stays here. */
      icon = "computer-symbolic";
      state = _("No CRM connected");
    }
  else if (failed > 0)
    {
      icon = "dialog-warning-symbolic";
      state = _("A lead could not be uploaded");
    }
  else if (!online)
    {
      icon = "network-offline-symbolic";
      state = _("Offline — leads wait safely on this kiosk");
    }
  else if (fl_upload_worker_get_busy (self->worker))
    {
      icon = "network-transmit-symbolic";
      state = _("Uploading…");
    }
  else
    {
      icon = "network-transmit-receive-symbolic";
      state = _("Online");
    }
  gtk_image_set_from_icon_name (self->upload_icon, icon);
  gtk_label_set_label (self->upload_state_label, state);

  count = g_strdup_printf ("%" G_GINT64_FORMAT, connected ? pending : undelivered);
  if (!connected)
    {
      /* Translators: the kiosk header when no connector is set up; %s is a number */
      g_autofree char *short_text = g_strdup_printf (_("No CRM · %s"), count);

      gtk_label_set_label (self->upload_label, short_text);
    }
  else
    gtk_label_set_label (self->upload_label, pending > 0 ? count : "");
  if (!connected)
    pending_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s lead is only on this kiosk",
                                                 "%s leads are only on this kiosk", (gulong) undelivered),
                                    count);
  else if (fl_upload_worker_get_connectors (self->worker) < 0)
    pending_text = g_strdup (_("Counting the leads to upload…"));
  else if (pending == 0)
    pending_text = g_strdup (_("Every lead is uploaded"));
  else
    pending_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s lead waiting to upload",
                                                 "%s leads waiting to upload", (gulong) pending),
                                    count);
  gtk_label_set_label (self->upload_pending_label, pending_text);

  if (last > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (last / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      /* Translators: strftime format of the time of the last upload */
      g_autofree char *when = local ? g_date_time_format (local, _("%-d %B, %H:%M")) : NULL;

      last_text = g_strdup_printf (_("Last upload: %s"), when ? when : "?");
    }
  else
    last_text = g_strdup (_("Nothing uploaded yet"));
  gtk_label_set_label (self->upload_last_label, last_text);
  /* “Nothing uploaded yet” says nothing new when nothing can be. */
  gtk_widget_set_visible (GTK_WIDGET (self->upload_last_label), connected || last > 0);

  if (failed > 0)
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, failed);
      g_autofree char *failed_text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s lead failed: %s. Marketing sees it in the back office.",
                                      "%s leads failed: %s. Marketing sees them in the back office.",
                                      (gulong) failed),
                         number,
                         fl_upload_worker_get_last_error (self->worker)
                           ? fl_upload_worker_get_last_error (self->worker) : _("refused"));
      gtk_label_set_label (self->upload_error_label, failed_text);
    }
  else
    gtk_label_set_label (self->upload_error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->upload_error_label), failed > 0);
  gtk_widget_set_visible (self->connect_button, !connected);
  if (!connected)
    {
      /* Translators: “No CRM connected — 12 leads are only on this kiosk” */
      g_autofree char *tooltip = g_strdup_printf (_("%s — %s"), state, pending_text);

      fl_widget_update_tooltip (GTK_WIDGET (self->upload_button), tooltip);
    }
  else
    fl_widget_update_tooltip (GTK_WIDGET (self->upload_button), state);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_button), TRUE);
}

static void
worker_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  update_upload_state (FL_WINDOW (user_data));
}

static void
stop_worker (FlWindow *self)
{
  if (self->worker == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->worker, self);
  fl_upload_worker_stop (self->worker);
  g_clear_object (&self->worker);
  update_actions (self);
}

static void
start_worker (FlWindow *self)
{
  if (self->worker != NULL || self->store == NULL)
    return;
  self->worker = fl_upload_worker_new (fl_store_get_path (self->store));
  g_signal_connect (self->worker, "notify", G_CALLBACK (worker_notify_cb), self);
  fl_upload_worker_start (self->worker);
  update_upload_state (self);
  /* Upload Now needs the worker: set up after the store's actions. */
  update_actions (self);
}

static void
upload_now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->worker == NULL)
    return;
  if (fl_upload_worker_get_connectors (self->worker) == 0)
    {
      show_toast (self, _("No CRM is connected: nothing can be uploaded, the leads stay on this kiosk. "
                          "Connect one in the back office."), 5);
      return;
    }
  fl_upload_worker_retry_now (self->worker);
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
  if (staff == NULL || staff[0] == NULL)
    g_menu_append (names, _("No staff set up: fairlead-cli staff add NAME"), "win.no-staff");
  g_menu_append_section (menu, _("At the Booth"), G_MENU_MODEL (names));
  gtk_menu_button_set_menu_model (self->staff_button, G_MENU_MODEL (menu));

  gtk_label_set_label (self->staff_label,
                       self->staff != NULL && self->staff[0] != '\0' ? self->staff : _("Staff"));
}

/* Pages */

static void
cancel_idle (FlWindow *self)
{
  g_clear_handle_id (&self->idle_id, g_source_remove);
}

/* Writes the open lead; a failure is shown, and the lead stays in memory
 * for the next try. */
static gboolean
save_open_lead (FlWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (fl_lead_page_save (self->lead_page, &error))
    return TRUE;
  show_toast (self, error->message, 0);
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
static void
show_scan_page (FlWindow *self)
{
  cancel_idle (self);
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

static gboolean
idle_timeout_cb (gpointer user_data)
{
  FlWindow *self = user_data;
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  self->idle_id = 0;
  if (g_strcmp0 (page, "lead") != 0 && g_strcmp0 (page, "thanks") != 0)
    return G_SOURCE_REMOVE;

  /* Saved first; if the disk refuses, the lead stays on screen rather
   * than being lost, and the message says so. */
  if (!save_open_lead (self))
    return G_SOURCE_REMOVE;
  close_dialogs (self);
  dismiss_toast (self);
  show_scan_page (self);
  if (g_strcmp0 (page, "lead") == 0)
    show_toast (self, _("The open lead was saved"), 5);
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

/* Any touch or key on the lead or thanks page restarts the countdown. */
static void
restart_idle (FlWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  cancel_idle (self);
  if (g_strcmp0 (page, "lead") == 0 || g_strcmp0 (page, "thanks") == 0)
    self->idle_id = g_timeout_add (idle_interval_ms (self), idle_timeout_cb, self);
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
    restart_idle (self);
}

static void
activity_pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  restart_idle (FL_WINDOW (user_data));
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

static char *
saved_message (FlWindow *self, FlLead *lead)
{
  const char *name = fl_lead_get_display_name (lead);
  gboolean held = consent_required (self) && !consent_given (lead);
  const char *phrase = fl_lead_get_model (lead) != NULL ? status_phrase (lead, held) : NULL;

  if (name == NULL)
    name = _("The lead");
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

  if (lead == NULL || !save_open_lead (self))
    return;
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
  message = saved_message (self, lead);
  backup_if_due (self);
  fl_thanks_page_show_lead (self->thanks_page, self->event, lead);
  fl_lead_page_clear (page);
  gtk_stack_set_visible_child_name (self->stack, "thanks");
  show_toast (self, message, 4);
}

static void
lead_closed_cb (FlLeadPage *page, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autofree char *message = NULL;
  FlLead *lead = fl_lead_page_get_lead (page);

  if (lead == NULL || !save_open_lead (self))
    return;
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
  message = saved_message (self, lead);
  show_scan_page (self);
  show_toast (self, message, 4);
}

static void
lead_discarded_cb (FlLeadPage *page, gpointer user_data)
{
  FlWindow *self = user_data;

  show_scan_page (self);
  show_toast (self, _("The scan was discarded"), 4);
}

static void
lead_save_failed_cb (FlLeadPage *page, const GError *error, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autofree char *message =
    g_strdup_printf (_("The last change is not saved yet: %s. It stays on screen; "
                       "the kiosk tries again with the next change."), error->message);

  show_toast (self, message, 0);
}

static void
thanks_finished_cb (FlThanksPage *page, gpointer user_data)
{
  show_scan_page (FL_WINDOW (user_data));
}

/* Health: damage and backups */

/* The default backup interval and count, when the settings are not installed. */
#define DEFAULT_BACKUP_MINUTES 10
#define DEFAULT_BACKUP_KEEP    6

static void
show_damaged (FlWindow *self, const char *detail)
{
  g_autofree char *path = g_shell_quote (self->database_path);
  g_autofree char *stem = g_str_has_suffix (self->database_path, ".db")
                           ? g_strndup (self->database_path, strlen (self->database_path) - 3)
                           : g_strdup (self->database_path);
  g_autofree char *recovered = g_strdup_printf ("%s-recovered.db", stem);
  g_autofree char *recovered_quoted = g_shell_quote (recovered);
  g_autofree char *command = g_strdup_printf ("fairlead-cli --db %s doctor --recover %s", path,
                                              recovered_quoted);

  self->damaged = TRUE;
  gtk_label_set_label (self->damaged_command_label, command);
  gtk_label_set_label (self->damaged_detail_label, detail);
  update_actions (self);
  gtk_stack_set_visible_child_name (self->stack, "damaged");
}

static void
health_checked_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(FlDoctorReport) report = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *self;

  report = fl_doctor_check_finish (res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = FL_WINDOW (user_data);
  self->checking = FALSE;
  if (report == NULL)
    g_warning ("Cannot check the database: %s", error->message);
  else if (!report->sound)
    {
      g_autofree char *detail = NULL;

      for (guint i = 0; i < report->raw->len; i++)
        g_message ("Database damaged: %s", (const char *) g_ptr_array_index (report->raw, i));
      g_ptr_array_add (report->damaged, NULL);
      detail = g_strjoinv ("\n", (char **) report->damaged->pdata);
      show_damaged (self, detail);
    }
}

static void
start_health_check (FlWindow *self)
{
  g_autofree char *mark = NULL;

  if (self->database_path == NULL || self->checking || self->damaged)
    return;
  /* “fairlead-cli doctor” found damage that a quick check may not see
   * (an index that disagrees with its table). */
  if ((mark = fl_doctor_get_mark (self->database_path)) != NULL)
    {
      g_autofree char *contents = NULL;

      g_file_get_contents (mark, &contents, NULL, NULL);
      show_damaged (self, contents != NULL ? g_strstrip (contents) : "");
      return;
    }
  self->checking = TRUE;
  /* quick_check: about 0.5 s at 100,000 leads, on its own connection. */
  fl_doctor_check_async (self->database_path, TRUE, self->health_cancellable, health_checked_cb,
                         self);
}

static guint
backup_interval_ms (FlWindow *self)
{
  if (self->backup_ms > 0)
    return self->backup_ms;
  return 60 * 1000 * (self->settings != NULL ? g_settings_get_uint (self->settings, "backup-interval")
                                             : DEFAULT_BACKUP_MINUTES);
}

static void
backed_up_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fl_backup_rolling_finish (res, &error);
  FlWindow *self;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = FL_WINDOW (user_data);
  self->backing_up = FALSE;
  if (path == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The backup failed: %s"), error->message);

      g_warning ("%s", message);
      show_toast (self, message, 0);
      return;
    }
  g_debug ("Backed up to %s", path);
  start_health_check (self);
}

static void
start_backup (FlWindow *self)
{
  g_autofree char *folder = NULL;
  guint keep = DEFAULT_BACKUP_KEEP;

  if (self->database_path == NULL || self->backing_up || self->damaged)
    return;
  if (self->settings != NULL)
    {
      folder = g_settings_get_string (self->settings, "backup-folder");
      keep = g_settings_get_uint (self->settings, "backup-keep");
    }
  if (folder == NULL || folder[0] == '\0')
    {
      g_free (folder);
      folder = fl_backup_default_folder ();
    }
  self->backing_up = TRUE;
  self->last_backup = g_get_monotonic_time ();
  fl_backup_rolling_async (self->database_path, folder, keep, self->health_cancellable,
                           backed_up_cb, self);
}

/* At Done: a backup when the interval passed since the last one. */
static void
backup_if_due (FlWindow *self)
{
  if (g_get_monotonic_time () - self->last_backup >= (gint64) backup_interval_ms (self) * 1000)
    start_backup (self);
}

static gboolean
backup_timer_cb (gpointer user_data)
{
  start_backup (FL_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
start_health (FlWindow *self)
{
  g_cancellable_cancel (self->health_cancellable);
  g_clear_object (&self->health_cancellable);
  g_clear_handle_id (&self->backup_timer_id, g_source_remove);
  self->health_cancellable = g_cancellable_new ();
  self->checking = self->backing_up = self->damaged = FALSE;
  self->last_backup = g_get_monotonic_time ();
  self->backup_timer_id = g_timeout_add (backup_interval_ms (self), backup_timer_cb, self);
  start_health_check (self);
}

static void
stop_health (FlWindow *self)
{
  g_cancellable_cancel (self->health_cancellable);
  g_clear_object (&self->health_cancellable);
  g_clear_handle_id (&self->backup_timer_id, g_source_remove);
}

/* Capture */

static gboolean
score_capture (FlStore *store, const FlEvent *event, FlLead *lead, gpointer user_data,
               GError **error)
{
  return fl_scorer_score_lead (store, lead, error);
}

/* Keeps the photo with the lead when the event allows it. A photo that
 * cannot be kept costs the lead nothing: the lead is saved already. */
static void
keep_card_photo (FlWindow *self, FlLead *lead, GdkPixbuf *photo)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  if (!fl_card_photo_allowed (self->event))
    return;
  jpeg = fl_card_photo_encode_jpeg (photo, FL_CARD_PHOTO_MAX_SIDE, FL_CARD_PHOTO_QUALITY, &error);
  if (jpeg == NULL ||
      !fl_card_photo_save (self->store, fl_lead_get_uuid (lead), jpeg, NULL, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The lead is saved, but the photo of the card could not be kept: %s"),
                         error->message);
      g_warning ("%s", message);
      show_toast (self, message, 0);
    }
}

/* The card the reader cut out of the photo, as a picture to show: in
 * colour when the reader had the photo in colour, else grey. */
static GdkPixbuf *
card_pixbuf (FlCardResult *result)
{
  guint width = 0, height = 0;
  gsize stride = 0;
  GBytes *color = fl_card_result_get_card_color (result, &width, &height, &stride);
  GBytes *grey;
  const guint8 *pixels;
  GdkPixbuf *pixbuf;
  guint8 *out;
  int rowstride;

  if (color != NULL && width > 0 && height > 0)
    return gdk_pixbuf_new_from_bytes (color, GDK_COLORSPACE_RGB, FALSE, 8, (int) width,
                                      (int) height, (int) stride);
  grey = fl_card_result_get_card_image (result, &width, &height, &stride);
  if (grey == NULL || width == 0 || height == 0)
    return NULL;
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) width, (int) height);
  if (pixbuf == NULL)
    return NULL;
  pixels = g_bytes_get_data (grey, NULL);
  out = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      memset (out + (gsize) y * rowstride + x * 3, pixels[(gsize) y * stride + x], 3);
  return pixbuf;
}

static void
capture (FlWindow *self, const char *payload, FlSource source, FlLead *entered,
         const CardCapture *card)
{
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(FlCaptureResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (self->store == NULL || self->event == NULL)
    {
      show_toast (self, _("There is no event to capture leads for; create one first"), 0);
      return;
    }
  if (self->damaged)
    {
      /* Writing on would spread the damage; the damaged page says what to do. */
      gtk_stack_set_visible_child_name (self->stack, "damaged");
      return;
    }

  /* A new scan while a lead is open: that lead is kept as it stands. */
  if (fl_lead_page_get_lead (self->lead_page) != NULL && !save_open_lead (self))
    return;

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
      show_toast (self, message, 0);
      return;
    }
  if (result->score_error != NULL)
    g_warning ("Lead %s saved unscored: %s", fl_lead_get_uuid (result->lead),
               result->score_error->message);

  close_dialogs (self);
  dismiss_toast (self);
  if (card != NULL)
    keep_card_photo (self, result->lead, card->photo);
  fl_thanks_page_clear (self->thanks_page);
  fl_lead_page_open (self->lead_page, self->store, self->model, result, request.staff);
  if (card != NULL)
    {
      /* The card as the reader found it in the photo, cropped and
       * straightened, when it stood out from the desk; else the photo.
       * Shown at a size that leaves room for the form beside it. */
      g_autoptr(GdkPixbuf) straight = card_pixbuf (card->result);
      GdkPixbuf *source_photo = straight != NULL ? straight : card->photo;
      int width = gdk_pixbuf_get_width (source_photo);
      int height = gdk_pixbuf_get_height (source_photo);
      double factor = MIN (1.0, CARD_DISPLAY_SIDE / (double) MAX (width, height));
      g_autoptr(GdkPixbuf) shown = gdk_pixbuf_scale_simple (source_photo,
                                                            MAX (1, (int) (width * factor)),
                                                            MAX (1, (int) (height * factor)),
                                                            GDK_INTERP_BILINEAR);
      g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (shown ? shown : source_photo);

      fl_lead_page_show_card (self->lead_page, GDK_PAINTABLE (texture), card->result);
    }
  gtk_stack_set_visible_child_name (self->stack, "lead");
  restart_idle (self);
  if (source == FL_SOURCE_MANUAL)
    gtk_widget_grab_focus (GTK_WIDGET (_fl_lead_page_get_field (self->lead_page, FL_FIELD_FIRST_NAME)));
  else
    gtk_widget_child_focus (GTK_WIDGET (self->lead_page), GTK_DIR_TAB_FORWARD);
  if (self->worker != NULL)
    fl_upload_worker_wake (self->worker);
}

static void
manual_entry_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  g_autoptr(FlLead) entered = fl_lead_new ();

  capture (self, NULL, FL_SOURCE_MANUAL, entered, NULL);
}

static void
code_detected_cb (FlScanPage *page, const char *payload, gboolean card, gpointer user_data)
{
  FlWindow *self = user_data;

  /* The camera keeps looking while the page fades out; one capture per
   * visit to the scan page. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "scan") != 0)
    return;
  capture (self, payload, card ? FL_SOURCE_CARD_QR : FL_SOURCE_BADGE, NULL, NULL);
}

/* Business cards: the photo is read by OCR on the reader's worker thread
 * (a QR code or barcode on the card wins), then captured like a scan with
 * the fields read as if staff had typed them, so a visitor met before is
 * found again by email or by name and company. */

static void
stop_reading (FlWindow *self)
{
  g_clear_object (&self->card_cancellable);
  fl_scan_page_set_reading (self->scan_page, FALSE);
}

static void
card_read_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GdkPixbuf) photo = user_data;
  g_autoptr(FlCardResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *self;
  CardCapture card;

  result = fl_card_reader_read_finish (FL_CARD_READER (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* staff cancelled, or the window is gone */
  self = g_object_get_data (object, "fl-window");
  g_assert (FL_IS_WINDOW (self));
  stop_reading (self);

  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The card could not be read: %s"),
                                                  error->message);
      show_toast (self, message, 0);
      return;
    }
  if (fl_card_result_get_code (result) == NULL && fl_card_result_get_n_found (result) == 0)
    {
      show_toast (self, _("No contact details found on the card. Hold it flat, closer and "
                          "well lit, or type in the details."), 6);
      return;
    }
  /* A badge scanned meanwhile was saved; like any new scan, the card
   * opens over it. */
  card.photo = photo;
  card.result = result;
  if (fl_card_result_get_code (result) != NULL)
    {
      /* The code is parsed again by the capture; what only the print
       * has (a phone, a street, a fax) comes along as if typed. */
      g_autoptr(FlLead) printed = fl_lead_new ();
      FlLead *read = fl_card_result_get_lead (result);
      const char *fax = fl_card_result_get_fax (result);
      const char *code = fl_card_result_get_code (result);

      for (FlField field = 0; field < FL_N_FIELDS; field++)
        if (g_strcmp0 (fl_card_result_get_field_source (result, fl_field_to_string (field)),
                       FL_CARD_FROM_CODE) != 0)
          fl_lead_set_field (printed, field, fl_lead_get_field (read, field));
      if (fax != NULL && strstr (code, fax) == NULL)
        {
          g_autofree char *note = g_strdup_printf ("Fax: %s", fax);
          fl_lead_set_notes (printed, note);
        }
      capture (self, fl_card_result_get_code (result), FL_SOURCE_CARD_QR, printed, &card);
    }
  else
    capture (self, NULL, FL_SOURCE_CARD_OCR, fl_card_result_get_lead (result), &card);
  g_debug ("Business card: %.0f ms from the button to the lead page",
           (g_get_monotonic_time () - self->card_started) / 1000.0);
}

static void
read_card (FlWindow *self, GdkPixbuf *photo)
{
  g_autoptr(GBytes) pixels = NULL;
  FlCardPixelFormat format;

  if (!gdk_pixbuf_get_has_alpha (photo) || gdk_pixbuf_get_n_channels (photo) != 4)
    {
      /* The reader takes RGBA; photos from files are often RGB. */
      g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_add_alpha (photo, FALSE, 0, 0, 0);

      read_card (self, rgba);
      return;
    }
  if (self->card_reader == NULL)
    {
      self->card_reader = fl_card_reader_new ();
      fl_card_reader_decode_codes_first (self->card_reader);
      g_object_set_data (G_OBJECT (self->card_reader), "fl-window", self);
    }
  if (self->card_cancellable == NULL)
    self->card_cancellable = g_cancellable_new ();
  fl_scan_page_set_reading (self->scan_page, TRUE);

  format = FL_CARD_PIXELS_RGBA8;
  pixels = gdk_pixbuf_read_pixel_bytes (photo);
  fl_card_reader_read_pixels_async (self->card_reader, pixels, gdk_pixbuf_get_width (photo),
                                    gdk_pixbuf_get_height (photo),
                                    gdk_pixbuf_get_rowstride (photo), format,
                                    self->card_cancellable, card_read_cb, g_object_ref (photo));
}

static void
card_still_cb (FlScanPage *page, GdkPixbuf *photo, gpointer user_data)
{
  FlWindow *self = user_data;

  if (self->store == NULL || self->event == NULL || self->card_cancellable != NULL)
    return;
  self->card_started = g_get_monotonic_time ();
  read_card (self, photo);
}

static void
load_photo_thread (GTask *task, gpointer source_object, gpointer task_data,
                   GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  stream = g_file_read (file, cancellable, &error);
  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Phones store the picture as the sensor saw it and say how to turn it. */
  g_task_return_pointer (task, gdk_pixbuf_apply_embedded_orientation (pixbuf), g_object_unref);
}

static void
photo_loaded_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GdkPixbuf) photo = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *self = FL_WINDOW (object);
  GFile *file = g_task_get_task_data (G_TASK (res));

  photo = g_task_propagate_pointer (G_TASK (res), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (photo == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message =
        g_strdup_printf (_("“%s” cannot be read as a photo (%s). Choose a PNG or JPEG picture "
                           "of the card."), name, error->message);

      stop_reading (self);
      show_toast (self, message, 0);
      return;
    }
  read_card (self, photo);
}

static void
card_file_cb (FlScanPage *page, GFile *file, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->event == NULL || self->card_cancellable != NULL)
    return;
  self->card_started = g_get_monotonic_time ();
  self->card_cancellable = g_cancellable_new ();
  fl_scan_page_set_reading (self->scan_page, TRUE);
  task = g_task_new (self, self->card_cancellable, photo_loaded_cb, NULL);
  g_task_set_source_tag (task, card_file_cb);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_photo_thread);
}

static void
cancel_card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->card_cancellable == NULL)
    return;
  g_cancellable_cancel (self->card_cancellable);
  stop_reading (self);
}

/* The keyboard-wedge scanner: a badge scanner types its payload as fast
 * keystrokes, wherever the focus is. Keys are held by the detector for a
 * moment; a person's keys come back through ::typed and are delivered to
 * the focused widget as if they had never been held. */

static void
deliver_key (FlWindow *self, FlWedgeKey key, gunichar character)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (key == FL_WEDGE_KEY_TAB)
    {
      gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
      return;
    }
  if (focus == NULL)
    return;

  if (GTK_IS_TEXT_VIEW (focus))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));
      char text[7] = { 0 };

      if (!gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
        return;
      if (key == FL_WEDGE_KEY_ENTER)
        text[0] = '\n';
      else
        g_unichar_to_utf8 (character, text);
      gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
      gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (focus), gtk_text_buffer_get_insert (buffer));
      return;
    }
  if (GTK_IS_EDITABLE (focus))
    {
      GtkEditable *editable = GTK_EDITABLE (focus);
      char text[7] = { 0 };
      int position;

      if (key == FL_WEDGE_KEY_ENTER)
        {
          gtk_widget_activate (focus);
          return;
        }
      if (!gtk_editable_get_editable (editable))
        return;
      gtk_editable_delete_selection (editable);
      position = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, text, g_unichar_to_utf8 (character, text), &position);
      gtk_editable_set_position (editable, position);
      return;
    }
  /* Enter and Space press the focused button, as they would have. */
  if (key == FL_WEDGE_KEY_ENTER || character == ' ')
    gtk_widget_activate (focus);
}

static void
wedge_typed_cb (FlWedgeDetector *wedge, guint key, guint character, gpointer user_data)
{
  deliver_key (FL_WINDOW (user_data), key, character);
}

static void
wedge_scanned_cb (FlWedgeDetector *wedge, const char *payload, gpointer user_data)
{
  FlWindow *self = user_data;

  if (self->store == NULL || self->event == NULL)
    return;
  capture (self, payload, FL_SOURCE_BADGE, NULL, NULL);
}

static gboolean
wedge_timeout_cb (gpointer user_data)
{
  FlWindow *self = user_data;

  self->wedge_timeout_id = 0;
  fl_wedge_detector_tick (self->wedge, fl_key_clock_now (&self->key_clock, g_get_monotonic_time ()));
  return G_SOURCE_REMOVE;
}

static void
arm_wedge_timer (FlWindow *self)
{
  gint64 deadline = fl_wedge_detector_get_deadline (self->wedge);
  gint64 wait;

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  if (deadline < 0)
    return;
  wait = deadline - fl_key_clock_now (&self->key_clock, g_get_monotonic_time ());
  /* Below the window system's events: keys already queued are read
   * before the timer may end what is held. */
  self->wedge_timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT + 1, MAX (0, (wait + 999) / 1000),
                                               wedge_timeout_cb, self, NULL);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, gpointer user_data)
{
  FlWindow *self = user_data;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  FlWedgeKey key;
  gunichar character = 0;
  gint64 pressed;
  gboolean held;

  restart_idle (self);

  /* Scanners press Shift for capitals: a bare modifier is no key. */
  switch (keyval)
    {
    case GDK_KEY_Shift_L: case GDK_KEY_Shift_R: case GDK_KEY_Control_L: case GDK_KEY_Control_R:
    case GDK_KEY_Alt_L: case GDK_KEY_Alt_R: case GDK_KEY_Super_L: case GDK_KEY_Super_R:
    case GDK_KEY_Caps_Lock: case GDK_KEY_ISO_Level3_Shift: case GDK_KEY_Meta_L: case GDK_KEY_Meta_R:
      return GDK_EVENT_PROPAGATE;
    default:
      break;
    }

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    key = (FlWedgeKey) -1;
  else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
           keyval == GDK_KEY_Linefeed)
    key = FL_WEDGE_KEY_ENTER;
  else if (keyval == GDK_KEY_Tab)
    key = FL_WEDGE_KEY_TAB;
  else if ((character = gdk_keyval_to_unicode (keyval)) != 0 && g_unichar_isprint (character))
    key = FL_WEDGE_KEY_CHAR;
  else
    key = (FlWedgeKey) -1;

  if (key == (FlWedgeKey) -1)
    {
      /* Shortcuts, arrows, Backspace: whatever was held goes first. */
      fl_wedge_detector_flush (self->wedge);
      arm_wedge_timer (self);
      return GDK_EVENT_PROPAGATE;
    }

  /* When the key was pressed, not when it is handled: keys a person typed
   * queue while the main loop is busy and would look like a burst. */
  pressed = fl_key_clock_stamp (&self->key_clock, event != NULL ? gdk_event_get_time (event) : 0,
                                g_get_monotonic_time ());
  held = fl_wedge_detector_feed (self->wedge, key, character, pressed);
  arm_wedge_timer (self);
  return held ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

/* Ctrl+Return and Escape work wherever the focus is, the header too. */
static void
done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "lead") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->lead_page), "lead.done", NULL);
}

static void
escape_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (page, "back-office") == 0)
    show_scan_page (self);
  else if (g_strcmp0 (page, "lead") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->lead_page), "lead.close", NULL);
  else if (g_strcmp0 (page, "thanks") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->thanks_page), "thanks.next", NULL);
}

/* Into the back office, behind its staff PIN. */
static gboolean
show_back_office (FlWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "back-office") == 0)
    return TRUE;
  /* An open lead is saved and closed first: the back office shows it too. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "lead") == 0 &&
      !save_open_lead (self))
    return FALSE;
  cancel_idle (self);
  fl_lead_page_clear (self->lead_page);
  fl_thanks_page_clear (self->thanks_page);
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

/* The header's lock button: into the back office, and out again to the
 * scan page, locking it behind us. */
static void
back_office_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->store == NULL)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "back-office") == 0)
    {
      show_scan_page (self);
      return;
    }
  show_back_office (self);
}

/* “Connect a CRM…”: the back office's connector settings, behind the
 * staff PIN as the whole back office is. */
static void
connect_crm_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->store == NULL || !show_back_office (self))
    return;
  gtk_menu_button_popdown (self->upload_button);
  fl_back_office_open_settings (FL_BACK_OFFICE (self->back_office), "connectors");
}

static void
update_actions (FlWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manual-entry",
                                 self->store != NULL && !self->damaged);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload-now", self->worker != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-office", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect-crm", self->store != NULL);
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
  update_actions (self);
}

static void
fl_window_dispose (GObject *object)
{
  FlWindow *self = FL_WINDOW (object);

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  cancel_idle (self);
  stop_worker (self);
  stop_health (self);
  if (self->card_cancellable != NULL)
    g_cancellable_cancel (self->card_cancellable);
  g_clear_object (&self->card_cancellable);
  g_clear_object (&self->card_reader);
  if (self->wedge != NULL)
    g_signal_handlers_disconnect_by_data (self->wedge, self);
  g_clear_object (&self->wedge);
  /* Whatever is pending is written before the window goes. */
  if (self->lead_page != NULL && self->store != NULL)
    save_open_lead (self);
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
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FlWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, staff_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, staff_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, back_office_button);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_icon);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_state_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_pending_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_last_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, upload_error_label);
  gtk_widget_class_bind_template_child (widget_class, FlWindow, connect_button);
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

  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.manual-entry", NULL, manual_entry_action);
  gtk_widget_class_install_action (widget_class, "win.upload-now", NULL, upload_now_action);
  gtk_widget_class_install_action (widget_class, "win.back-office", NULL, back_office_action);
  gtk_widget_class_install_action (widget_class, "win.connect-crm", NULL, connect_crm_action);
  gtk_widget_class_install_property_action (widget_class, "win.staff", "staff");
  gtk_widget_class_install_action (widget_class, "win.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "win.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-card", NULL, cancel_card_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.escape", NULL);
}

static void
fl_window_init (FlWindow *self)
{
  GtkEventController *keys;
  GtkGesture *click;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->wedge = fl_wedge_detector_new ();
  fl_key_clock_init (&self->key_clock);
  g_signal_connect (self->wedge, "scanned", G_CALLBACK (wedge_scanned_cb), self);
  g_signal_connect (self->wedge, "typed", G_CALLBACK (wedge_typed_cb), self);

  /* In the capture phase: the scanner is heard before any widget, on
   * every page, wherever the focus is. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_event_controller_set_name (keys, "fl-wedge");
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (activity_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  g_signal_connect (self->stack, "notify::visible-child", G_CALLBACK (visible_child_notify_cb), self);
  g_signal_connect (self->lead_page, "done", G_CALLBACK (lead_done_cb), self);
  g_signal_connect (self->lead_page, "closed", G_CALLBACK (lead_closed_cb), self);
  g_signal_connect (self->lead_page, "discarded", G_CALLBACK (lead_discarded_cb), self);
  g_signal_connect (self->lead_page, "save-failed", G_CALLBACK (lead_save_failed_cb), self);
  g_signal_connect (self->thanks_page, "finished", G_CALLBACK (thanks_finished_cb), self);
  g_signal_connect (self->scan_page, "code-detected", G_CALLBACK (code_detected_cb), self);
  g_signal_connect (self->scan_page, "card-still", G_CALLBACK (card_still_cb), self);
  g_signal_connect (self->scan_page, "card-file", G_CALLBACK (card_file_cb), self);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->upload_button), FALSE);
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

  capture (self, payload, source, NULL, NULL);
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
    drop_back_office (self);
  g_set_object (&self->store, store);
  g_free (self->database_path);
  self->database_path = g_strdup (fl_store_get_path (store));
  update_actions (self);
  fl_window_reload (self);
  start_health (self);
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
  drop_back_office (self);
  fl_lead_page_clear (self->lead_page);
  fl_thanks_page_clear (self->thanks_page);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_button), FALSE);
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
  restart_idle (self);
}

void
_fl_window_set_backup_interval_ms (FlWindow *self, guint interval_ms)
{
  self->backup_ms = interval_ms;
  g_clear_handle_id (&self->backup_timer_id, g_source_remove);
  self->backup_timer_id = g_timeout_add (backup_interval_ms (self), backup_timer_cb, self);
}

AdwToast *
_fl_window_get_toast (FlWindow *self)
{
  return self->toast;
}

GtkLabel *
_fl_window_get_staff_label (FlWindow *self)
{
  return self->staff_label;
}

GtkLabel *
_fl_window_get_upload_label (FlWindow *self)
{
  return self->upload_pending_label;
}

GtkMenuButton *
_fl_window_get_upload_button (FlWindow *self)
{
  return self->upload_button;
}

GtkLabel *
_fl_window_get_upload_state (FlWindow *self)
{
  return self->upload_state_label;
}

GtkLabel *
_fl_window_get_upload_count (FlWindow *self)
{
  return self->upload_label;
}

GtkWidget *
_fl_window_get_connect_button (FlWindow *self)
{
  return self->connect_button;
}

FlUploadWorker *
_fl_window_get_worker (FlWindow *self)
{
  return self->worker;
}
