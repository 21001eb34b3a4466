/* fl-upload-button.c: the header button that tells where the leads stand
 *
 * The button shows the upload worker's state at a glance (an icon, and
 * “No CRM · 12” or the number waiting), its popover says it in words and
 * offers Upload Now and Connect a CRM… (the window's win.upload-now and
 * win.connect-crm). It follows the worker's properties; nobody else sets
 * its labels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-upload-button"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-ui-util.h"
#include "fl-upload-button.h"
#include "fl-upload-button-private.h"

struct _FlUploadButton
{
  GtkWidget       parent_instance;

  FlUploadWorker *worker;

  /* Template widgets */
  GtkMenuButton  *menu_button;
  GtkImage       *icon;
  GtkLabel       *count_label;
  GtkLabel       *state_label;
  GtkLabel       *pending_label;
  GtkLabel       *last_label;
  GtkLabel       *error_label;
  GtkWidget      *connect_button;
};

G_DEFINE_FINAL_TYPE (FlUploadButton, fl_upload_button, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_WORKER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Hidden without a worker: there is no database to upload from. */
static void
update (FlUploadButton *self)
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
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
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
  gtk_image_set_from_icon_name (self->icon, icon);
  gtk_label_set_label (self->state_label, state);

  count = g_strdup_printf ("%" G_GINT64_FORMAT, connected ? pending : undelivered);
  if (!connected)
    {
      /* Translators: the kiosk header when no connector is set up; %s is a number */
      g_autofree char *short_text = g_strdup_printf (_("No CRM · %s"), count);

      gtk_label_set_label (self->count_label, short_text);
    }
  else
    gtk_label_set_label (self->count_label, pending > 0 ? count : "");
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
  gtk_label_set_label (self->pending_label, pending_text);

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
  gtk_label_set_label (self->last_label, last_text);
  /* “Nothing uploaded yet” says nothing new when nothing can be. */
  gtk_widget_set_visible (GTK_WIDGET (self->last_label), connected || last > 0);

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
      gtk_label_set_label (self->error_label, failed_text);
    }
  else
    gtk_label_set_label (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), failed > 0);
  gtk_widget_set_visible (self->connect_button, !connected);
  if (!connected)
    {
      /* Translators: “No CRM connected — 12 leads are only on this kiosk” */
      g_autofree char *tooltip = g_strdup_printf (_("%s — %s"), state, pending_text);

      fl_widget_update_tooltip (GTK_WIDGET (self->menu_button), tooltip);
    }
  else
    fl_widget_update_tooltip (GTK_WIDGET (self->menu_button), state);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
worker_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  update (FL_UPLOAD_BUTTON (user_data));
}

static void
fl_upload_button_dispose (GObject *object)
{
  FlUploadButton *self = FL_UPLOAD_BUTTON (object);

  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_clear_object (&self->worker);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_UPLOAD_BUTTON);

  G_OBJECT_CLASS (fl_upload_button_parent_class)->dispose (object);
}

static void
fl_upload_button_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlUploadButton *self = FL_UPLOAD_BUTTON (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      g_value_set_object (value, self->worker);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_upload_button_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlUploadButton *self = FL_UPLOAD_BUTTON (object);

  switch (prop_id)
    {
    case PROP_WORKER:
      fl_upload_button_set_worker (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_upload_button_class_init (FlUploadButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_upload_button_dispose;
  object_class->get_property = fl_upload_button_get_property;
  object_class->set_property = fl_upload_button_set_property;

  /**
   * FlUploadButton:worker: (nullable)
   *
   * The upload worker whose state is shown; %NULL hides the button.
   */
  properties[PROP_WORKER] =
    g_param_spec_object ("worker", NULL, NULL, FL_TYPE_UPLOAD_WORKER,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-upload-button.ui");
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, menu_button);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, icon);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, count_label);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, state_label);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, pending_label);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, last_label);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, error_label);
  gtk_widget_class_bind_template_child (widget_class, FlUploadButton, connect_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fl_upload_button_init (FlUploadButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

/**
 * fl_upload_button_get_worker:
 *
 * Returns: (transfer none) (nullable): the worker whose state is shown
 */
FlUploadWorker *
fl_upload_button_get_worker (FlUploadButton *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_BUTTON (self), NULL);
  return self->worker;
}

/**
 * fl_upload_button_set_worker:
 * @worker: (nullable): the worker to follow
 */
void
fl_upload_button_set_worker (FlUploadButton *self, FlUploadWorker *worker)
{
  g_return_if_fail (FL_IS_UPLOAD_BUTTON (self));
  g_return_if_fail (worker == NULL || FL_IS_UPLOAD_WORKER (worker));

  if (self->worker == worker)
    return;
  if (self->worker != NULL)
    g_signal_handlers_disconnect_by_data (self->worker, self);
  g_set_object (&self->worker, worker);
  if (self->worker != NULL)
    g_signal_connect (self->worker, "notify", G_CALLBACK (worker_notify_cb), self);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WORKER]);
}

/* Closes the popover, for an action of it that leads elsewhere. */
void
fl_upload_button_popdown (FlUploadButton *self)
{
  g_return_if_fail (FL_IS_UPLOAD_BUTTON (self));
  gtk_menu_button_popdown (self->menu_button);
}

/* Private API for the GUI tests */

GtkMenuButton *
_fl_upload_button_get_menu_button (FlUploadButton *self)
{
  return self->menu_button;
}

GtkLabel *
_fl_upload_button_get_count_label (FlUploadButton *self)
{
  return self->count_label;
}

GtkLabel *
_fl_upload_button_get_state_label (FlUploadButton *self)
{
  return self->state_label;
}

GtkLabel *
_fl_upload_button_get_pending_label (FlUploadButton *self)
{
  return self->pending_label;
}

GtkWidget *
_fl_upload_button_get_connect_button (FlUploadButton *self)
{
  return self->connect_button;
}
