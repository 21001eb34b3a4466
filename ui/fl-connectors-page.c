/* fl-connectors-page.c: where leads go, and Upload Now
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-connectors-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-connector-dialog.h"
#include "fl-connectors-page.h"
#include "fl-preferences-private.h"
#include "sync/fl-backlog.h"
#include "sync/fl-outbox.h"
#include "sync/fl-uploader.h"

struct _FlConnectorsPage
{
  FlSettingsPage       parent_instance;

  GCancellable        *cancellable;
  GPtrArray           *connector_rows;
  gboolean             uploading;

  AdwActionRow        *upload_row;
  GtkProgressBar      *upload_progress;
  GtkWidget           *upload_button;
  AdwPreferencesGroup *connectors_group;
};

G_DEFINE_FINAL_TYPE (FlConnectorsPage, fl_connectors_page, FL_TYPE_SETTINGS_PAGE)

static void
load_connectors (FlConnectorsPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(GPtrArray) connectors = NULL;

  _fl_preferences_clear_rows (self->connectors_group, self->connector_rows);
  if (store == NULL)
    return;
  outbox = fl_outbox_new (store);
  connectors = fl_outbox_list_connectors (outbox, FALSE, &error);
  if (connectors == NULL)
    {
      _fl_preferences_add_row (self->connectors_group, self->connector_rows, error->message, NULL);
      return;
    }
  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      const char *name = fl_connector_get_name (connector);
      FlOutboxCounts counts = { 0 };
      g_autofree char *subtitle = NULL;
      GtkWidget *row;

      fl_outbox_get_counts (outbox, connector, g_get_real_time (), &counts, NULL);
      subtitle = g_strdup_printf (_("%s · %d waiting, %d failed, %d uploaded"),
                                  fl_connector_get_url (connector) ? fl_connector_get_url (connector)
                                                                   : fl_connector_get_type_name (connector),
                                  (int) (counts.pending + counts.sending), (int) counts.failed, (int) counts.done);
      row = _fl_preferences_add_row (self->connectors_group, self->connector_rows, name, subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _fl_preferences_action_button (_("_Test"), NULL, "connectors.test", name));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _fl_preferences_action_button (_("_Edit"), NULL, "connectors.edit", name));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _fl_preferences_action_button (NULL, "user-trash-symbolic", "connectors.remove",
                                                                name));
    }
  if (connectors->len == 0)
    _fl_preferences_add_row (self->connectors_group, self->connector_rows, _("No connector yet"),
                             _("Leads stay on this kiosk until a connector is added."));
}

/* Test */

static void
test_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *report = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *dialog;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                   report ? _("Connector Works") : _("Connector Test Failed"),
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
test_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (widget);
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GTask) task = NULL;

  connector = fl_outbox_get_connector (outbox, g_variant_get_string (parameter, NULL), &error);
  if (connector == NULL)
    {
      _fl_preferences_toast (widget, error->message);
      return;
    }
  _fl_preferences_toast (widget, _("Testing the connector…"));
  task = g_task_new (self, self->cancellable, test_done_cb, NULL);
  g_task_set_source_tag (task, test_action);
  g_task_set_task_data (task, g_steal_pointer (&connector), g_object_unref);
  g_task_run_in_thread (task, test_thread);
}

/* Add, edit, remove */

static AdwMessageDialog *
open_dialog (FlConnectorsPage *self, FlConnector *connector)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  GtkWidget *dialog = fl_connector_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), store,
                                               actor, connector);

  g_signal_connect_object (dialog, "saved", G_CALLBACK (load_connectors), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

/**
 * _fl_connectors_page_add_connector:
 *
 * What the Add Connector button opens.
 */
AdwMessageDialog *
_fl_connectors_page_add_connector (FlConnectorsPage *self)
{
  return open_dialog (self, NULL);
}

/**
 * _fl_connectors_page_edit_connector:
 *
 * What the Edit button of a connector's row opens.
 *
 * Returns: (transfer none) (nullable): the dialog
 */
AdwMessageDialog *
_fl_connectors_page_edit_connector (FlConnectorsPage *self, const char *name)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr(FlConnector) connector = fl_outbox_get_connector (outbox, name, &error);

  if (connector == NULL)
    {
      _fl_preferences_toast (GTK_WIDGET (self), error->message);
      return NULL;
    }
  return open_dialog (self, connector);
}

static void
remove_connector (GtkWidget *widget, const char *name)
{
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (widget);
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);

  if (!fl_outbox_remove_connector (outbox, name, &error))
    {
      _fl_preferences_toast (widget, error->message);
      return;
    }
  fl_store_add_audit (store, NULL, actor, "connector-removed", name, NULL);
  _fl_preferences_toast (widget, _("Connector removed"));
  load_connectors (self);
}

/**
 * _fl_connectors_page_ask_remove_connector:
 *
 * What the Remove button of a connector's row opens.
 */
AdwMessageDialog *
_fl_connectors_page_ask_remove_connector (FlConnectorsPage *self, const char *name)
{
  g_autofree char *heading = g_strdup_printf (_("Remove Connector “%s”?"), name);

  return _fl_preferences_ask_to_remove (GTK_WIDGET (self), heading,
                                        _("Leads waiting for it will not be uploaded there. The leads stay on "
                                          "this kiosk, and what was uploaded stays in the CRM."),
                                        name, remove_connector);
}

static void
add_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _fl_connectors_page_add_connector (FL_CONNECTORS_PAGE (widget));
}

static void
edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _fl_connectors_page_edit_connector (FL_CONNECTORS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  _fl_connectors_page_ask_remove_connector (FL_CONNECTORS_PAGE (widget), g_variant_get_string (parameter, NULL));
}

/* Upload now */

typedef struct
{
  FlConnectorsPage *self;
  guint             done;
  guint             total;
} Progress;

static gboolean
progress_idle_cb (gpointer user_data)
{
  Progress *progress = user_data;
  FlConnectorsPage *self = progress->self;

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
  /* The kiosk's worker may be mid-round: wait for it, it is short. */
  if (!fl_uploader_lock_wait (uploader, 30000, cancellable, &error) ||
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
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->uploading = FALSE;
  gtk_widget_set_sensitive (self->upload_button, TRUE);
  /* Text first: GTK 4.8 blanks the bar's label when "n of m" is taken
   * away, and only the fraction puts the percentage back. */
  gtk_progress_bar_set_text (self->upload_progress, NULL);
  gtk_progress_bar_set_fraction (self->upload_progress, text ? 1.0 : 0.0);
  adw_action_row_set_subtitle (self->upload_row, text ? text : error->message);
  load_connectors (self);
}

/* Overrides */

static void
fl_connectors_page_reload (FlSettingsPage *page)
{
  load_connectors (FL_CONNECTORS_PAGE (page));
}

static void
fl_connectors_page_dispose (GObject *object)
{
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (fl_connectors_page_parent_class)->dispose (object);
}

static void
fl_connectors_page_finalize (GObject *object)
{
  FlConnectorsPage *self = FL_CONNECTORS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->connector_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_connectors_page_parent_class)->finalize (object);
}

static void
fl_connectors_page_class_init (FlConnectorsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_connectors_page_dispose;
  object_class->finalize = fl_connectors_page_finalize;

  FL_SETTINGS_PAGE_CLASS (klass)->reload = fl_connectors_page_reload;
  /* A new actor changes nothing the page shows. */
  FL_SETTINGS_PAGE_CLASS (klass)->actor_changed = NULL;

  gtk_widget_class_install_action (widget_class, "connectors.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "connectors.test", "s", test_action);
  gtk_widget_class_install_action (widget_class, "connectors.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "connectors.remove", "s", remove_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-connectors-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlConnectorsPage, upload_row);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorsPage, upload_progress);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorsPage, upload_button);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorsPage, connectors_group);
  gtk_widget_class_bind_template_callback (widget_class, fl_connectors_page_upload_now);
}

static void
fl_connectors_page_init (FlConnectorsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->connector_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * fl_connectors_page_upload_now:
 *
 * Sends every lead that waits, off the main thread, with progress; the
 * kiosk's background worker steps aside meanwhile (the uploader's lock).
 */
void
fl_connectors_page_upload_now (FlConnectorsPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  FlBacklog backlog;

  g_return_if_fail (FL_IS_CONNECTORS_PAGE (self));
  g_return_if_fail (store != NULL);

  if (self->uploading)
    return;
  /* With no connector there is nothing to upload to: say so, and where
   * the leads are. */
  if (!fl_backlog_read (store, NULL, NULL, &backlog, &error))
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
  self->uploading = TRUE;
  gtk_widget_set_sensitive (self->upload_button, FALSE);
  gtk_progress_bar_set_fraction (self->upload_progress, 0);
  adw_action_row_set_subtitle (self->upload_row, _("Uploading…"));
  fl_store_add_audit (store, NULL, actor, "upload-now", NULL, NULL);
  task = g_task_new (self, self->cancellable, upload_done_cb, NULL);
  g_task_set_source_tag (task, fl_connectors_page_upload_now);
  g_task_set_task_data (task, g_strdup (fl_store_get_path (store)), g_free);
  g_task_run_in_thread (task, upload_thread);
}
