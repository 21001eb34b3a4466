/* test-window.c: the kiosk window, with real widgets under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>
#include <sys/wait.h>

#include "fl-application.h"
#include "fl-dashboard.h"
#include "store/fl-privacy.h"
#include "fl-upload-button-private.h"
#include "fl-window-private.h"
#include "store/fl-backup.h"

typedef struct
{
  char          *tmpdir;
  FlApplication *app;
} Fixture;

static char *
tmp_path (Fixture *fixture, const char *name)
{
  return g_build_filename (fixture->tmpdir, name, NULL);
}

/* Runs the main loop until @widget is on screen, as a person would see it. */
static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_true (gtk_widget_get_mapped (widget));
}

static void
settle (void)
{
  gint64 deadline = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
create_event (const char *path, gboolean with_event, guint n_leads)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;

  g_assert_no_error (error);
  if (!with_event)
    return;

  event->name = g_strdup ("Automatica 2026");
  event->venue = g_strdup ("Messe München");
  event->booth = g_strdup ("Halle B5, Stand 214");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < n_leads; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();

      fl_lead_ensure_identity (lead);
      fl_lead_set_source (lead, FL_SOURCE_MANUAL);
      fl_lead_set_field (lead, FL_FIELD_FULL_NAME, i == 0 ? "Jürgen Weiß" : "Anna Muster");
      fl_store_save_lead (store, lead, "test", &error);
      g_assert_no_error (error);
    }
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_db = NULL;

  fixture->tmpdir = g_dir_make_tmp ("fairlead-gui-XXXXXX", &error);
  g_assert_no_error (error);
  demo_db = tmp_path (fixture, "demo.db");
  g_setenv ("FAIRLEAD_DEMO_DB", demo_db, TRUE);

  fixture->app = fl_application_new ();
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fl_application_get_settings (fixture->app));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  GList *windows;

  while ((windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (windows->data);
  settle ();
  g_clear_object (&fixture->app);
  fl_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static void
test_event (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  AdwWindowTitle *title;
  FlWindow *window;

  create_event (path, TRUE, 2);
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "scan"));

  title = _fl_window_get_title_widget (window);
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Automatica 2026");
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Messe München · Halle B5, Stand 214");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Automatica 2026");
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "scan");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_fl_window_get_title_widget (window))));
  g_assert_false (gtk_widget_get_mapped (_fl_window_get_page (window, "no-event")));
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_lead_count (window)), ==,
                   "2 leads captured at this event");
  g_assert_cmpstr (fl_window_get_database_path (window), ==, path);

  /* Asking for the same database again presents the same window: one
   * connection per database on the main thread. */
  g_assert_true (fl_application_open_database (fixture->app, path, FALSE) == window);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (fixture->app))), ==, 1);
}

static gint64
count_leads_readable (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM leads NOT INDEXED", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

/* The background check finds a damaged index page: the kiosk shows how to
 * recover instead of the scan page, and refuses to capture. */
static void
test_damaged (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  FlWindow *window;

  create_event (path, TRUE, 300);
  fl_test_damage_tree (path, "leads_event_created");
  /* The retention gate at start reads only leads old enough to be due, so
   * it does not walk the damaged index: the background check finds it. */
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "damaged"));
  /* The crossfade from the scan page ends. */
  for (gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
       gtk_widget_get_mapped (_fl_window_get_page (window, "scan")) &&
       g_get_monotonic_time () < deadline;)
    settle ();

  g_assert_true (_fl_window_get_damaged (window));
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "damaged");
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_window_get_damaged_command (window)),
                            "doctor --recover"));
  g_assert_false (gtk_widget_get_mapped (_fl_window_get_page (window, "scan")));

  /* A badge scanned now is not written into the damaged file. */
  fl_window_capture (window, "MECARD:N:Beispiel,Ben;EMAIL:ben@example.com;;", FL_SOURCE_BADGE);
  settle ();
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "damaged");
  g_assert_cmpint (count_leads_readable (path), ==, 300);
  /* Nor does anything lead away from the page. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.manual-entry", NULL);
  settle ();
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "damaged");
}

/* Damage that “fairlead-cli doctor” found and a quick check cannot see
 * (its note beside the file) keeps the kiosk from capturing too. */
static void
test_damage_mark (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autofree char *mark = tmp_path (fixture, "fairlead.db.damaged");
  FlWindow *window;

  create_event (path, TRUE, 2);
  g_assert_true (g_file_set_contents (mark, "wrong # of entries in index leads_event_email\n", -1,
                                      NULL));
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "damaged"));
  g_assert_true (_fl_window_get_damaged (window));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_window_get_damaged_command (window)),
                            "doctor --recover"));
}

static guint
count_backups (const char *folder, char **newest)
{
  g_autoptr(GDir) dir = g_dir_open (folder, 0, NULL);
  const char *name;
  guint n = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "fairlead-") && g_str_has_suffix (name, ".db"))
      {
        if (newest != NULL && (*newest == NULL || strcmp (name, *newest) > 0))
          {
            g_free (*newest);
            *newest = g_strdup (name);
          }
        n++;
      }
  return n;
}

/* The kiosk backs its database up by itself into the configured folder,
 * keeps the newest few, and captures meanwhile as ever. */
static void
test_rolling_backup (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autofree char *folder = tmp_path (fixture, "stick");
  g_autofree char *newest = NULL;
  g_autofree char *newest_path = NULL;
  GSettings *settings = fl_application_get_settings (fixture->app);
  g_autoptr(GError) error = NULL;
  FlBackupInfo info = { 0 };
  FlWindow *window;
  gint64 deadline;

  g_settings_set_string (settings, "backup-folder", folder);
  g_settings_set_uint (settings, "backup-keep", 2);
  create_event (path, TRUE, 5);
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "scan"));
  _fl_window_set_backup_interval_ms (window, 300);

  fl_window_capture (window, "MECARD:N:Beispiel,Ben;EMAIL:ben@example.com;;", FL_SOURCE_BADGE);
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "lead");

  /* Backups are named by the second: wait for three of them. */
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  for (guint seen = 0; g_get_monotonic_time () < deadline;)
    {
      g_autofree char *name = NULL;

      settle ();
      count_backups (folder, &name);
      if (name != NULL && g_strcmp0 (name, newest) != 0)
        {
          g_free (newest);
          newest = g_steal_pointer (&name);
          if (++seen == 3)
            break;
        }
    }
  g_settings_reset (settings, "backup-folder");
  g_settings_reset (settings, "backup-keep");
  g_assert_nonnull (newest);
  g_assert_cmpuint (count_backups (folder, NULL), ==, 2);

  newest_path = g_build_filename (folder, newest, NULL);
  g_assert_true (fl_backup_verify (newest_path, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpint (info.n_leads, ==, 6);
  g_assert_false (_fl_window_get_damaged (window));
}

static void
test_no_event (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "empty.db");
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) cli_store = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  AdwWindowTitle *title;
  const char *command;
  FlWindow *window;

  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "no-event"));

  title = _fl_window_get_title_widget (window);
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "no-event");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Fairlead");
  g_assert_false (gtk_widget_get_mapped (_fl_window_get_page (window, "scan")));
  command = gtk_label_get_label (_fl_window_get_command (window));
  g_assert_true (g_str_has_prefix (command, "fairlead-cli --db "));
  g_assert_nonnull (strstr (command, path));
  g_assert_nonnull (strstr (command, " event create "));

  /* The staff run the command; "Check Again" then shows the event. */
  cli_store = fl_store_open (path, &error);
  g_assert_no_error (error);
  event->name = g_strdup ("Hannover Messe");
  created = fl_store_create_event (cli_store, event, &error);
  g_assert_no_error (error);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_until_mapped (_fl_window_get_page (window, "scan"));
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "scan");
  g_assert_cmpstr (adw_window_title_get_title (title), ==, "Hannover Messe");
  /* No venue and no booth: no stray separator. */
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "");
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_lead_count (window)), ==,
                   "No leads captured at this event yet");
}

static void
test_demo (Fixture *fixture, gconstpointer data)
{
  FlWindow *window = fl_application_open_database (fixture->app, NULL, TRUE);
  g_autofree char *demo_db = tmp_path (fixture, "demo.db");

  wait_until_mapped (_fl_window_get_page (window, "scan"));
  g_assert_cmpstr (fl_window_get_database_path (window), ==, demo_db);
  g_assert_cmpstr (adw_window_title_get_title (_fl_window_get_title_widget (window)), ==,
                   "Automatica 2026");
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_lead_count (window)), ==,
                   "24 leads captured at this event");
}

typedef enum
{
  BROKEN_TEXT_FILE,
  BROKEN_TOO_NEW,
  BROKEN_FOLDER,
} Broken;

typedef struct
{
  const char *name;
  Broken      broken;
  const char *message;   /* part of the error the page must show */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "text-file", BROKEN_TEXT_FILE, "is not a Fairlead database" },
  { "too-new", BROKEN_TOO_NEW, "was written by a newer version of Fairlead" },
  { "folder", BROKEN_FOLDER, "is a folder, not a Fairlead database" },
};

static void
test_error (Fixture *fixture, gconstpointer data)
{
  const ErrorCase *error_case = data;
  g_autofree char *path = tmp_path (fixture, "broken.db");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_length = 0, after_length = 0;
  AdwStatusPage *page;
  FlWindow *window;

  switch (error_case->broken)
    {
    case BROKEN_TEXT_FILE:
      g_file_set_contents (path, "Leads from the fair: call Anna back\n", -1, &error);
      g_assert_no_error (error);
      break;
    case BROKEN_TOO_NEW:
      {
        g_autoptr(FlStore) store = fl_store_open (path, &error);
        g_assert_no_error (error);
        fl_store_exec (store, "PRAGMA user_version = 999", &error);
        g_assert_no_error (error);
      }
      break;
    case BROKEN_FOLDER:
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      break;
    default:
      g_assert_not_reached ();
    }
  if (error_case->broken != BROKEN_FOLDER)
    {
      g_file_get_contents (path, &before, &before_length, &error);
      g_assert_no_error (error);
    }

  window = fl_application_open_database (fixture->app, path, FALSE);
  page = _fl_window_get_error_page (window);
  wait_until_mapped (GTK_WIDGET (page));

  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "error");
  g_assert_null (fl_window_get_store (window));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), error_case->message));
  g_assert_nonnull (strstr (adw_status_page_get_description (page), path));
  g_assert_false (gtk_widget_get_mapped (_fl_window_get_page (window, "scan")));
  /* Without a database there is nothing to reload, and trying changes nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  settle ();
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, "error");

  if (error_case->broken != BROKEN_FOLDER)
    {
      g_file_get_contents (path, &after, &after_length, &error);
      g_assert_no_error (error);
      g_assert_cmpmem (before, before_length, after, after_length);
    }
}

static void
test_window_state (Fixture *fixture, gconstpointer data)
{
  GSettings *settings = fl_application_get_settings (fixture->app);
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  FlWindow *window;
  int width, height;

  g_settings_set_int (settings, "window-width", 800);
  g_settings_set_int (settings, "window-height", 600);
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (GTK_WIDGET (window));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 800);
  g_assert_cmpint (height, ==, 600);

  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  gtk_window_close (GTK_WINDOW (window));
  settle ();
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
}

static void
test_actions (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autoptr(GListModel) toplevels = NULL;
  FlWindow *window;
  AdwAboutWindow *about = NULL;

  create_event (path, TRUE, 0);
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (GTK_WIDGET (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.fullscreen", NULL));
  g_assert_nonnull (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->app), "about", NULL);
  toplevels = gtk_window_get_toplevels ();
  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);
      if (ADW_IS_ABOUT_WINDOW (item))
        about = ADW_ABOUT_WINDOW (item);
    }
  g_assert_nonnull (about);
  g_assert_cmpstr (adw_about_window_get_application_name (about), ==, "Fairlead");
  g_assert_cmpstr (adw_about_window_get_version (about), ==, PACKAGE_VERSION);
  g_assert_cmpstr (adw_about_window_get_application_icon (about), ==, APP_ID);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (about)) == GTK_WINDOW (window));
  gtk_window_destroy (GTK_WINDOW (about));
}

static void
count_notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  (*(guint *) user_data)++;
}

/* The header's upload button follows the worker it is given: hidden
 * without one, its labels from the worker's properties as they change,
 * and ::notify::worker only on a real change. */
static void
test_upload_button (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autoptr(FlUploadWorker) worker = NULL;
  FlUploadButton *button = g_object_ref_sink (g_object_new (FL_TYPE_UPLOAD_BUTTON, NULL));
  FlUploadWorker *property = NULL;
  gint64 deadline;
  guint notified = 0;

  create_event (path, TRUE, 2);
  g_signal_connect (button, "notify::worker", G_CALLBACK (count_notify_cb), &notified);
  g_assert_null (fl_upload_button_get_worker (button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));

  worker = fl_upload_worker_new (path);
  fl_upload_button_set_worker (button, worker);
  fl_upload_button_set_worker (button, worker);
  g_assert_cmpuint (notified, ==, 1);
  g_object_get (button, "worker", &property, NULL);
  g_assert_true (property == worker);
  g_clear_object (&property);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  /* Before the worker's first round nobody knows whether a CRM is set up. */
  g_assert_cmpstr (gtk_label_get_label (_fl_upload_button_get_pending_label (button)), ==,
                   "Counting the leads to upload…");

  fl_upload_worker_start (worker);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((fl_upload_worker_get_connectors (worker) < 0 || fl_upload_worker_get_undelivered (worker) < 2) &&
         g_get_monotonic_time () < deadline)
    settle ();
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, 0);
  g_assert_cmpstr (gtk_label_get_label (_fl_upload_button_get_state_label (button)), ==, "No CRM connected");
  g_assert_cmpstr (gtk_label_get_label (_fl_upload_button_get_count_label (button)), ==, "No CRM · 2");
  g_assert_cmpstr (gtk_label_get_label (_fl_upload_button_get_pending_label (button)), ==,
                   "2 leads are only on this kiosk");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (GTK_WIDGET (_fl_upload_button_get_menu_button (button))), ==,
                   "No CRM connected — 2 leads are only on this kiosk");
  g_assert_true (gtk_widget_get_visible (_fl_upload_button_get_connect_button (button)));

  /* Without a worker the button goes, and lets go of the worker. */
  g_object_set (button, "worker", NULL, NULL);
  g_assert_cmpuint (notified, ==, 2);
  g_assert_null (fl_upload_button_get_worker (button));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (button)));
  fl_upload_worker_stop (worker);
  g_assert_finalize_object (button);
}

typedef struct
{
  const char *name;
  const char *args[4];
  int         exit_status;
  const char *out;       /* part of stdout, or NULL */
  const char *err;       /* part of stderr, or NULL */
} CommandCase;

static const CommandCase command_cases[] = {
  { "version", { "--version" }, 0, "fairlead " PACKAGE_VERSION "\n", NULL },
  { "demo-and-db", { "--demo", "--db", "leads.db" }, 64, NULL, "leave out --db" },
  { "unknown-option", { "--colour" }, 1, NULL, "--colour" },
};

static void
test_command_line (gconstpointer data)
{
  const CommandCase *command_case = data;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int wait_status;

  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_KIOSK"));
  g_assert_nonnull (argv->pdata[0]);
  for (guint i = 0; i < G_N_ELEMENTS (command_case->args) && command_case->args[i]; i++)
    g_ptr_array_add (argv, (gpointer) command_case->args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, command_case->exit_status);
  if (command_case->out != NULL)
    g_assert_nonnull (strstr (out, command_case->out));
  if (command_case->err != NULL)
    g_assert_nonnull (strstr (err, command_case->err));
}

/* A database whose retention period is over, as a kiosk sees it when its
 * clock runs 400 days ahead: one lead delivered, one never. Returns their
 * uuids. */
static void
create_expired (const char *path, char **delivered, char **undelivered)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  JsonObject *settings = json_node_get_object (event->settings);

  g_assert_no_error (error);
  event->name = g_strdup ("Automatica 2025");
  event->ends_on = g_date_time_format (today, "%Y-%m-%d");
  json_object_set_int_member (settings, FL_SETTING_RETENTION_DAYS, 30);
  json_object_set_boolean_member (settings, FL_SETTING_CONSENT_REQUIRED, FALSE);
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  g_assert_true (fl_store_exec (store, "INSERT INTO connectors (name, type, url, created_at) VALUES "
                                       "('crm', 'webhook', 'http://127.0.0.1:9/', '2026-01-01T00:00:00.000Z')",
                                &error));
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();

      fl_lead_set_source (lead, FL_SOURCE_MANUAL);
      fl_lead_set_field (lead, FL_FIELD_FULL_NAME, i == 0 ? "Dora Delivered" : "Ulla Undelivered");
      g_assert_true (fl_store_save_lead (store, lead, "test", &error));
      *(i == 0 ? delivered : undelivered) = g_strdup (fl_lead_get_uuid (lead));
    }
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox SET state = 'done', done_at = queued_at "
                                            "WHERE lead_id = (SELECT id FROM leads WHERE uuid = '%s')",
                                            *delivered);

    g_assert_true (fl_store_exec (store, sql, &error));
  }
  /* No upload while the window is open: the connector is switched off. */
  g_assert_true (fl_store_exec (store, "UPDATE connectors SET enabled = 0", &error));
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM outbox"), ==, 2);
  fl_test_shift_times (store, -400);
}

static gboolean
lead_exists (FlStore *store, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM leads WHERE uuid = '%s'", uuid);

  return fl_test_query_int (store, sql) == 1;
}

/* The kiosk applies retention at start through the gate: it deletes the
 * delivered lead, keeps the other, and the dashboard says why. */
static void
test_retention (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autofree char *delivered = NULL, *undelivered = NULL;
  g_autoptr(FlStore) store = NULL;
  GtkWidget *dashboard;
  const char *notice;
  FlWindow *window;

  create_expired (path, &delivered, &undelivered);
  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "scan"));

  store = fl_store_open (path, NULL);
  g_assert_false (lead_exists (store, delivered));
  g_assert_true (lead_exists (store, undelivered));

  dashboard = g_object_ref_sink (fl_dashboard_new (store));
  fl_dashboard_reload (FL_DASHBOARD (dashboard));
  notice = fl_dashboard_get_retention_notice (FL_DASHBOARD (dashboard));
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "1 lead is past its retention period but never reached a CRM"));
  g_object_unref (dashboard);
}

/* A clock earlier than the newest record: the kiosk deletes nothing. */
static void
test_retention_clock_behind (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = tmp_path (fixture, "fairlead.db");
  g_autofree char *delivered = NULL, *undelivered = NULL;
  g_autoptr(FlStore) store = NULL;
  GtkWidget *dashboard;
  const char *notice;
  FlWindow *window;

  create_expired (path, &delivered, &undelivered);
  store = fl_store_open (path, NULL);
  g_assert_true (fl_store_exec (store, "INSERT INTO audit (at, actor, action) VALUES "
                                       "(strftime ('%Y-%m-%dT%H:%M:%fZ', 'now', '+1 day'), 'test', 'clock-test')",
                                NULL));
  g_clear_object (&store);

  window = fl_application_open_database (fixture->app, path, FALSE);
  wait_until_mapped (_fl_window_get_page (window, "scan"));

  store = fl_store_open (path, NULL);
  g_assert_true (lead_exists (store, delivered));
  g_assert_true (lead_exists (store, undelivered));

  dashboard = g_object_ref_sink (fl_dashboard_new (store));
  fl_dashboard_reload (FL_DASHBOARD (dashboard));
  notice = fl_dashboard_get_retention_notice (FL_DASHBOARD (dashboard));
  g_assert_nonnull (notice);
  g_assert_nonnull (strstr (notice, "The clock reads "));
  g_assert_nonnull (strstr (notice, "automatic purge is paused"));
  g_object_unref (dashboard);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the GUI tests under xvfb-run -a");
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/gui/window/no-display", test_no_display);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fl_gui_test_park_pointer ();

#define ADD(path, func, data) \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/window/event", test_event, NULL);
  ADD ("/gui/window/no-event", test_no_event, NULL);
  ADD ("/gui/window/demo", test_demo, NULL);
  ADD ("/gui/window/window-state", test_window_state, NULL);
  ADD ("/gui/window/actions", test_actions, NULL);
  ADD ("/gui/window/upload-button", test_upload_button, NULL);
  ADD ("/gui/window/retention", test_retention, NULL);
  ADD ("/gui/window/retention-clock-behind", test_retention_clock_behind, NULL);
  ADD ("/gui/window/damaged", test_damaged, NULL);
  ADD ("/gui/window/rolling-backup", test_rolling_backup, NULL);
  ADD ("/gui/window/damage-mark", test_damage_mark, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/window/error/%s", error_cases[i].name);
      ADD (path, test_error, &error_cases[i]);
    }
#undef ADD
  for (guint i = 0; i < G_N_ELEMENTS (command_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/gui/command-line/%s", command_cases[i].name);
      g_test_add_data_func (path, &command_cases[i], test_command_line);
    }

  return g_test_run ();
}
