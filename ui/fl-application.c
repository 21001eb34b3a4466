/* fl-application.c: the Fairlead kiosk application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-application"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <sysexits.h>

#include "fl-application.h"
#include "fl-window.h"
#include "store/fl-privacy.h"
#include "fl-demo.h"

struct _FlApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (FlApplication, fl_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Open the bundled demo event, in a database of its own"), NULL },
  { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Use the database in FILE instead of the default one"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { NULL }
};

static FlWindow *
find_window (FlApplication *self, const char *path)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (FL_IS_WINDOW (l->data) &&
          g_strcmp0 (fl_window_get_database_path (l->data), path) == 0)
        return l->data;
    }
  return NULL;
}

/* Without the schema installed, GSettings would abort; the kiosk runs on
 * without remembered settings instead. */
static GSettings *
settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, FL_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_message ("The settings schema %s is not installed; the kiosk settings "
                 "and the window size will not be kept", FL_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

static void
quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  FlApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Fairlead developers", NULL };
  AdwAboutWindow *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-icon", APP_ID,
                        "application-name", _("Fairlead"),
                        "developer-name", _("The Fairlead developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Capture and qualify trade-show leads at your booth. "
                                      "Every lead is saved the moment it is captured and "
                                      "reaches the CRM with its status already assigned."),
                        "website", "https://github.com/fairlead/fairlead",
                        "issue-url", "https://github.com/fairlead/fairlead/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "copyright", "© 2026 The Fairlead developers",
                        "developers", developers,
                        /* Translators: your names, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
};

static int
fl_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("fairlead %s\n", PACKAGE_VERSION);
      return EX_OK;
    }
  return G_APPLICATION_CLASS (fl_application_parent_class)->handle_local_options (application,
                                                                                   options);
}

static int
fl_application_command_line (GApplication *application, GApplicationCommandLine *command_line)
{
  FlApplication *self = FL_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree char *db = NULL;
  g_autofree char *path = NULL;
  gboolean demo = FALSE;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "db", "^ay", &db);

  if (demo && db != NULL)
    {
      g_application_command_line_printerr (command_line, "fairlead: %s\n",
                                           _("--demo has a database of its own; leave out --db"));
      return EX_USAGE;
    }
  if (db != NULL)
    {
      /* Relative to where the command ran, which is not our directory when
       * another instance is already running. */
      g_autoptr(GFile) file = g_application_command_line_create_file_for_arg (command_line, db);
      path = g_file_get_path (file);
    }

  fl_application_open_database (self, path, demo);
  return EX_OK;
}

/* Process start time, from /proc: the benchmark counts the loader too. */
static gint64
process_age_us (void)
{
  g_autofree char *stat = NULL;
  unsigned long long start_ticks = 0;
  const char *p;
  struct timespec now;

  if (!g_file_get_contents ("/proc/self/stat", &stat, NULL, NULL) || (p = strrchr (stat, ')')) == NULL)
    return -1;
  /* Field 22, starttime, counted after the command name's closing ')'. */
  if (sscanf (p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d %*d %*d %llu",
              &start_ticks) != 1)
    return -1;
  clock_gettime (CLOCK_BOOTTIME, &now);
  return (gint64) now.tv_sec * G_USEC_PER_SEC + now.tv_nsec / 1000 -
         (gint64) (start_ticks * G_USEC_PER_SEC / sysconf (_SC_CLK_TCK));
}

/* FAIRLEAD_BENCH_STARTUP: the first frame of the window is about to be
 * drawn, so the scan page is on screen and takes keys. Prints the time
 * since the process started; with the value "exit", quits. */
static gboolean
startup_tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  g_printerr ("startup: %.1f ms from process start to the first frame of %s\n",
              process_age_us () / 1000.0,
              fl_window_get_visible_page (FL_WINDOW (widget)));
  if (g_strcmp0 (g_getenv ("FAIRLEAD_BENCH_STARTUP"), "exit") == 0)
    g_application_quit (g_application_get_default ());
  return G_SOURCE_REMOVE;
}

static void
fl_application_activate (GApplication *application)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (application));

  if (window != NULL)
    gtk_window_present (window);
  else
    fl_application_open_database (FL_APPLICATION (application), NULL, FALSE);
}

static void
fl_application_startup (GApplication *application)
{
  FlApplication *self = FL_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (fl_application_parent_class)->startup (application);

  self->settings = settings_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static void
fl_application_dispose (GObject *object)
{
  FlApplication *self = FL_APPLICATION (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (fl_application_parent_class)->dispose (object);
}

static void
fl_application_class_init (FlApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fl_application_dispose;
  application_class->handle_local_options = fl_application_handle_local_options;
  application_class->command_line = fl_application_command_line;
  application_class->activate = fl_application_activate;
  application_class->startup = fl_application_startup;
}

static void
fl_application_init (FlApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The lead capture kiosk for trade-show booths."));
}

/* Public API */

FlApplication *
fl_application_new (void)
{
  return g_object_new (FL_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       /* The same resources for the release and the .Devel build. */
                       "resource-base-path", "/io/github/fairlead/Fairlead",
                       NULL);
}

/**
 * fl_application_get_settings:
 *
 * Returns: (transfer none) (nullable): the kiosk settings, %NULL when the
 *   schema is not installed
 */
GSettings *
fl_application_get_settings (FlApplication *self)
{
  g_return_val_if_fail (FL_IS_APPLICATION (self), NULL);
  return self->settings;
}

/**
 * fl_application_open_database:
 * @path: (nullable): the database file, %NULL for the default one
 * @demo: open the demo database instead, seeding it on first use
 *
 * Presents the window of that database, opening it first when no window
 * shows it yet. A database that cannot be opened gets a window that says
 * why and what to do.
 *
 * Returns: (transfer none): the window
 */
FlWindow *
fl_application_open_database (FlApplication *self, const char *path, gboolean demo)
{
  g_autofree char *resolved = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *window;

  g_return_val_if_fail (FL_IS_APPLICATION (self), NULL);

  if (demo)
    resolved = fl_demo_db_path ();
  else if (path != NULL)
    resolved = g_strdup (path);
  else
    resolved = fl_store_default_path ();

  window = find_window (self, resolved);
  if (window != NULL)
    {
      fl_window_reload (window);
      gtk_window_present (GTK_WINDOW (window));
      return window;
    }

  window = fl_window_new (GTK_APPLICATION (self));
  store = demo ? fl_demo_open (&error) : fl_store_open (resolved, &error);
  if (store != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(FlRetention) retention = NULL;
      g_autoptr(GError) purge_error = NULL;

      /* Each event's retention period is applied at every start, through
       * the gate that keeps what never reached a CRM and distrusts a clock
       * that went backwards; the dashboard reports what it kept. */
      retention = fl_privacy_apply_retention (store, now, FL_RETENTION_DEFAULT, "retention", &purge_error);
      if (retention == NULL)
        g_warning ("Cannot apply the retention period: %s", purge_error->message);
      else
        {
          if (retention->deleted)
            g_message ("Deleted %u leads whose retention period is over", retention->due->len);
          if (retention->clock_behind)
            g_message ("The clock reads %s, earlier than the newest record %s: automatic purge is paused",
                       retention->now, retention->newest);
          if (retention->undelivered->len > 0)
            g_message ("Kept %u leads past their retention period that never reached a CRM",
                       retention->undelivered->len);
        }
      fl_window_set_store (window, store);
    }
  else
    {
      g_message ("Cannot open %s: %s", resolved, error->message);
      fl_window_show_error (window, resolved, error);
    }
  if (g_getenv ("FAIRLEAD_BENCH_STARTUP") != NULL)
    gtk_widget_add_tick_callback (GTK_WIDGET (window), startup_tick_cb, NULL, NULL);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}
