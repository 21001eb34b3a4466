/* fl-window-backup.c: the database's health at the kiosk window
 *
 * A quick check of the database at start and after each backup, rolling
 * backups on a timer and at Done, both on worker threads; damage found
 * stops capture and shows the damaged page with the command that saves
 * what can still be read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fl-window-private.h"
#include "store/fl-backup.h"
#include "store/fl-doctor.h"

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
  _fl_window_update_actions (self);
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
      _fl_window_show_toast (self, message, 0);
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

static gboolean
backup_timer_cb (gpointer user_data)
{
  start_backup (FL_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* At Done: a backup when the interval passed since the last one. */
void
_fl_window_backup_if_due (FlWindow *self)
{
  if (g_get_monotonic_time () - self->last_backup >= (gint64) backup_interval_ms (self) * 1000)
    start_backup (self);
}

void
_fl_window_start_health (FlWindow *self)
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

void
_fl_window_stop_health (FlWindow *self)
{
  g_cancellable_cancel (self->health_cancellable);
  g_clear_object (&self->health_cancellable);
  g_clear_handle_id (&self->backup_timer_id, g_source_remove);
}

/* Tests shorten the interval below the settings' minimum of a minute. */
void
_fl_window_set_backup_interval_ms (FlWindow *self, guint interval_ms)
{
  self->backup_ms = interval_ms;
  g_clear_handle_id (&self->backup_timer_id, g_source_remove);
  self->backup_timer_id = g_timeout_add (backup_interval_ms (self), backup_timer_cb, self);
}
