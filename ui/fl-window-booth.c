/* fl-window-booth.c: the booth sync service the kiosk runs, and its state
 * in the header
 *
 * While the database is in a booth the kiosk serves the other kiosks and
 * syncs with them (FlBoothService: rounds in a worker thread, so capture
 * never waits for the network); a capture asks for a round at once. A
 * booth's join code read by the badge scanner or the camera is never a
 * lead: the Booth page gets it when it waits for one, else the kiosk
 * offers to join.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "booth/fl-booth.h"
#include "booth/fl-booth-client.h"
#include "fl-back-office.h"
#include "fl-back-office-private.h"
#include "fl-preferences-window.h"
#include "fl-booth-page.h"
#include "fl-ui-util.h"
#include "fl-window-private.h"

static const char *booth_classes[] = { "status-in-sync", "status-behind", "status-unreachable" };

static void
set_header (FlWindow *self, const char *text, const char *css_class, const char *tooltip)
{
  GtkWidget *label = GTK_WIDGET (self->booth_label);

  gtk_widget_set_visible (label, text != NULL);
  if (text == NULL)
    return;
  gtk_label_set_label (self->booth_label, text);
  for (guint i = 0; i < G_N_ELEMENTS (booth_classes); i++)
    if (g_strcmp0 (booth_classes[i], css_class) != 0)
      gtk_widget_remove_css_class (label, booth_classes[i]);
  gtk_widget_add_css_class (label, css_class);
  fl_widget_update_tooltip (label, tooltip);
}

/* "3 kiosks in sync" / "Kiosk Hall-B not seen for 12 min" / "Booth: not
 * reachable", hidden without a booth. */
void
_fl_window_update_booth_header (FlWindow *self)
{
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *tooltip = NULL;
  FlBoothMember *me;
  guint n_members, n_in_sync;

  if (self->store == NULL || (booth = fl_booth_load (self->store, NULL)) == NULL ||
      (me = fl_booth_get_self (booth)) == NULL)
    {
      set_header (self, NULL, NULL, NULL);
      return;
    }
  tooltip = g_strdup_printf (_("Booth “%s”: the kiosks share their leads over the booth’s network"),
                             fl_booth_get_name (booth));
  if (me->removed)
    {
      set_header (self, _("Booth: this kiosk was removed"), "status-unreachable", tooltip);
      return;
    }
  if (self->booth_service == NULL || !fl_booth_service_get_running (self->booth_service))
    {
      set_header (self, _("Booth: sync is not running"), "status-unreachable",
                  self->booth_error != NULL ? self->booth_error : tooltip);
      return;
    }
  n_members = fl_booth_service_get_n_members (self->booth_service);
  n_in_sync = fl_booth_service_get_n_in_sync (self->booth_service);
  if (n_members > 1 && n_in_sync + 1 == n_members && self->booth_unreachable)
    /* Seen a moment ago, but the last round reached no one. */
    set_header (self, _("Booth: not reachable"), "status-unreachable", tooltip);
  else if (n_members > 1 && self->booth_unreachable && n_in_sync == 0)
    set_header (self, fl_booth_service_get_state_text (self->booth_service), "status-unreachable",
                tooltip);
  else
    set_header (self, fl_booth_service_get_state_text (self->booth_service),
                n_in_sync + 1 >= n_members ? "status-in-sync" : "status-behind", tooltip);
}

static void
round_finished_cb (FlBoothService *service, GPtrArray *reports, gpointer user_data)
{
  FlWindow *self = user_data;
  gboolean reached = FALSE;
  gboolean received = FALSE;

  for (guint i = 0; i < reports->len; i++)
    {
      FlBoothPeerReport *report = reports->pdata[i];

      reached |= report->result == FL_BOOTH_PEER_IN_SYNC || report->result == FL_BOOTH_PEER_BEHIND;
      received |= report->received > 0;
    }
  self->booth_unreachable = !reached && fl_booth_service_get_n_members (service) > 1;
  /* A kiosk that just joined gets the booth's event with a round. */
  if (received && self->event == NULL)
    fl_window_reload (self);
  _fl_window_update_booth_header (self);
}

static void
service_notify_cb (FlWindow *self)
{
  /* Joined: the booth's event came with the first round. */
  if (self->event == NULL && self->booth_service != NULL &&
      fl_booth_service_get_running (self->booth_service))
    fl_window_reload (self);
  _fl_window_update_booth_header (self);
}

/* Starts the service when the database is in a booth and this kiosk was
 * not removed from it; the header says when it cannot. */
void
_fl_window_start_booth (FlWindow *self)
{
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GError) error = NULL;

  if (self->booth_service != NULL && fl_booth_service_get_store (self->booth_service) != self->store)
    _fl_window_stop_booth (self);
  if (self->store == NULL)
    return;
  if (self->booth_service == NULL)
    {
      self->booth_service = fl_booth_service_new (self->store);
      g_signal_connect (self->booth_service, "round-finished", G_CALLBACK (round_finished_cb), self);
      g_signal_connect_swapped (self->booth_service, "notify::running",
                                G_CALLBACK (service_notify_cb), self);
      g_signal_connect_swapped (self->booth_service, "notify::state-text",
                                G_CALLBACK (service_notify_cb), self);
    }
  g_clear_pointer (&self->booth_error, g_free);
  booth = fl_booth_load (self->store, NULL);
  if (booth != NULL && fl_booth_get_self (booth) != NULL && !fl_booth_get_self (booth)->removed &&
      !fl_booth_start_service (self->booth_service, &error))
    {
      g_message ("Booth sync could not start: %s", error->message);
      self->booth_error = g_strdup_printf (_("Booth sync could not start: %s"), error->message);
    }
  _fl_window_update_booth_header (self);
}

void
_fl_window_stop_booth (FlWindow *self)
{
  g_cancellable_cancel (self->booth_cancellable);
  g_clear_object (&self->booth_cancellable);
  if (self->booth_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->booth_dialog));
  if (self->booth_service == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->booth_service, self);
  fl_booth_service_stop (self->booth_service);
  g_clear_object (&self->booth_service);
  g_clear_pointer (&self->booth_error, g_free);
  if (self->booth_label != NULL)
    set_header (self, NULL, NULL, NULL);
}

/* Right after a capture or an edit: the other kiosks get it in a second
 * or two. */
void
_fl_window_booth_sync_soon (FlWindow *self)
{
  if (self->booth_service != NULL)
    fl_booth_service_sync_soon (self->booth_service);
}

static void
join_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(FlWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = fl_booth_join_finish (result, &error);
  g_autofree char *text = NULL;

  self->booth_joining = FALSE;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->store == NULL)
    return;
  if (name == NULL)
    {
      g_autofree char *why = fl_booth_describe_join_error (error);

      text = g_strdup_printf (_("Could not join the booth: %s"), why);
      _fl_window_show_toast (self, text, 0);
      return;
    }
  _fl_window_start_booth (self);
  fl_window_reload (self);
  text = g_strdup_printf (_("Joined the booth “%s”"), name);
  _fl_window_show_toast (self, text, 4);
}

static void
join_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  FlWindow *self = user_data;
  const char *code = g_object_get_data (G_OBJECT (dialog), "code");

  if (g_strcmp0 (response, "join") != 0 || self->store == NULL || self->booth_joining)
    return;
  self->booth_joining = TRUE;
  if (self->booth_cancellable == NULL)
    self->booth_cancellable = g_cancellable_new ();
  _fl_window_show_toast (self, _("Joining the booth…"), 0);
  fl_booth_join_async (fl_store_get_path (self->store), code, NULL, self->booth_cancellable, join_done_cb,
                       g_object_ref (self));
}

static FlBoothPage *
waiting_booth_page (FlWindow *self)
{
  FlPreferencesWindow *preferences;
  FlBoothPage *page;

  if (self->back_office == NULL ||
      (preferences = _fl_back_office_get_preferences (FL_BACK_OFFICE (self->back_office))) == NULL)
    return NULL;
  page = _fl_preferences_window_get_booth_page (preferences);
  return fl_booth_page_get_waiting (page) ? page : NULL;
}

/**
 * _fl_window_booth_code_scanned:
 * @payload: what the badge scanner or the camera read
 *
 * Returns: %TRUE when @payload is a booth's join code: it went to the
 *   Booth page waiting for one, or the kiosk offers to join; never a lead
 */
gboolean
_fl_window_booth_code_scanned (FlWindow *self, const char *payload)
{
  g_autoptr(FlBooth) booth = NULL;
  FlBoothPage *page;
  GtkWidget *dialog;

  if (!g_str_has_prefix (payload, FL_BOOTH_CODE_PREFIX))
    return FALSE;
  if (self->store == NULL)
    return TRUE;
  if ((page = waiting_booth_page (self)) != NULL)
    {
      fl_booth_page_join (page, payload);
      return TRUE;
    }
  if ((booth = fl_booth_load (self->store, NULL)) != NULL)
    {
      g_autofree char *text =
        g_strdup_printf (_("This kiosk is in the booth “%s” already: scan this code on a new kiosk"),
                         fl_booth_get_name (booth));

      _fl_window_show_toast (self, text, 6);
      return TRUE;
    }
  if (self->booth_joining || self->booth_dialog != NULL)
    return TRUE;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Join a Booth?"),
                                   _("This is a booth’s join code. Joined, this kiosk shares every "
                                     "lead with the booth’s other kiosks, and gets theirs."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "join", _("_Join Booth"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "join",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "code", g_strstrip (g_strdup (payload)), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (join_response_cb), self);
  self->booth_dialog = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->booth_dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/**
 * fl_window_get_booth_service:
 *
 * Returns: (nullable) (transfer none): the booth sync service of the
 *   window's database; it runs while the database is in a booth
 */
FlBoothService *
fl_window_get_booth_service (FlWindow *self)
{
  g_return_val_if_fail (FL_IS_WINDOW (self), NULL);
  return self->booth_service;
}

GtkLabel *
_fl_window_get_booth_label (FlWindow *self)
{
  return self->booth_label;
}

AdwMessageDialog *
_fl_window_get_booth_dialog (FlWindow *self)
{
  return self->booth_dialog != NULL ? ADW_MESSAGE_DIALOG (self->booth_dialog) : NULL;
}
