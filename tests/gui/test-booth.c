/* test-booth.c: the Booth settings page and the booth in the kiosk header,
 * with real widgets under Xvfb and a real second kiosk
 *
 * The other kiosk is `fairlead-cli booth serve` on a database of its own,
 * on a loopback port; the kiosk window runs its service in-process on
 * another (FAIRLEAD_BOOTH_LISTEN=127.0.0.1:0).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <string.h>

#include "booth/fl-booth.h"
#include "booth/fl-booth-kiosk.h"
#include "fl-application.h"
#include "fl-back-office.h"
#include "fl-back-office-private.h"
#include "fl-booth-page.h"
#include "fl-booth-page-private.h"
#include "fl-dashboard.h"
#include "fl-leads-page.h"
#include "fl-preferences-window.h"
#include "fl-window-private.h"
#include "scan/fl-qr.h"
#include "store/fl-staff.h"

typedef struct
{
  char          *tmpdir;
  char          *db;        /* the kiosk's database */
  char          *other_db;  /* the other kiosk's */
  char          *code;      /* the other kiosk's join code */
  guint          port;      /* where it serves */
  GSubprocess   *serve;
  FlApplication *app;
  FlWindow      *window;
  FlStore       *store;     /* a second connection to the kiosk's database */
} Fixture;

/* Runs the main loop until @done says so, for up to @seconds. */
#define WAIT_FOR(cond, seconds)                                                        \
  G_STMT_START {                                                                       \
    gint64 _deadline = g_get_monotonic_time () + (seconds) * G_USEC_PER_SEC;           \
    while (!(cond) && g_get_monotonic_time () < _deadline)                             \
      fl_gui_test_iterate ();                                                          \
  } G_STMT_END

static char *
cli (const char *db, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, (char *) db);
  va_start (args, db);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error);
  g_assert_no_error (error);
  if (g_subprocess_get_exit_status (process) != 0)
    g_error ("fairlead-cli %s: %s", (char *) argv->pdata[3], err);
  return g_strstrip (g_steal_pointer (&out));
}

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

/* The other kiosk: an event, a booth "Acme" with it as "Hall-A", serving. */
static void
start_other_kiosk (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  gint64 deadline;

  fixture->port = free_port ();
  address = g_strdup_printf ("127.0.0.1:%u", fixture->port);
  out = cli (fixture->other_db, "event", "create", "Hannover Messe", NULL);
  fixture->code = cli (fixture->other_db, "booth", "create", "--name", "Acme", "--device", "Hall-A",
                       "--address", address, NULL);
  g_assert_true (g_str_has_prefix (fixture->code, FL_BOOTH_CODE_PREFIX));
  fixture->serve = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE, &error,
                                     g_getenv ("FAIRLEAD_CLI"), "--db", fixture->other_db,
                                     "booth", "serve", "--listen", address, "--interval", "0.3",
                                     NULL);
  g_assert_no_error (error);
  /* Serving once it accepts a connection. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  for (;;)
    {
      g_autoptr(GSocketConnection) connection =
        g_socket_client_connect_to_host (client, "127.0.0.1", fixture->port, NULL, NULL);

      if (connection != NULL)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (50 * 1000);
    }
}

static void
stop_other_kiosk (Fixture *fixture)
{
  if (fixture->serve == NULL)
    return;
  g_subprocess_send_signal (fixture->serve, SIGKILL);
  g_subprocess_wait (fixture->serve, NULL, NULL);
  g_clear_object (&fixture->serve);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;

  fixture->tmpdir = g_dir_make_tmp ("fairlead-booth-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db = g_build_filename (fixture->tmpdir, "kiosk.db", NULL);
  fixture->other_db = g_build_filename (fixture->tmpdir, "other.db", NULL);

  /* A staff member to open the back office with. */
  store = fl_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fl_staff_set (store, "Tess", "2468", &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_setenv ("FAIRLEAD_BOOTH_LISTEN", "127.0.0.1:0", TRUE);
  fixture->app = fl_application_new ();
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  fixture->window = fl_application_open_database (fixture->app, fixture->db, FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1024, 700);
  fixture->store = fl_store_open (fixture->db, &error);
  g_assert_no_error (error);
  fl_gui_test_settle (200);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  GList *windows;

  stop_other_kiosk (fixture);
  g_clear_object (&fixture->store);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (windows->data);
  fl_gui_test_settle (100);
  g_clear_object (&fixture->app);
  fl_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->db, g_free);
  g_clear_pointer (&fixture->other_db, g_free);
  g_clear_pointer (&fixture->code, g_free);
}

/* Into the back office, signed in as Tess. */
static GtkWidget *
sign_in (Fixture *fixture)
{
  GtkWidget *back_office;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  fl_gui_test_settle (200);
  back_office = _fl_window_get_page (fixture->window, "back-office");
  g_assert_true (FL_IS_BACK_OFFICE (back_office));
  if (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)))
    fl_gui_test_enter_pin (back_office);
  g_assert_false (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
  return back_office;
}

/* Back office → Settings → Booth, signed in as Tess. */
static FlBoothPage *
open_booth_page (Fixture *fixture, FlPreferencesWindow **out_preferences)
{
  GtkWidget *back_office;
  FlPreferencesWindow *preferences;
  FlBoothPage *page;

  back_office = sign_in (fixture);
  preferences = _fl_back_office_show_preferences (FL_BACK_OFFICE (back_office));
  g_assert_nonnull (preferences);
  page = _fl_preferences_window_get_booth_page (preferences);
  adw_preferences_window_set_visible_page (ADW_PREFERENCES_WINDOW (preferences),
                                           ADW_PREFERENCES_PAGE (page));
  WAIT_FOR (gtk_widget_get_mapped (GTK_WIDGET (page)), 5);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (page)));
  if (out_preferences != NULL)
    *out_preferences = preferences;
  return page;
}

/* The titles of the page's device rows, one line each. */
static char *
device_rows (FlBoothPage *page)
{
  GPtrArray *rows = _fl_booth_page_get_rows (page);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (text, "%s | %s\n",
                            adw_preferences_row_get_title (rows->pdata[i]),
                            adw_action_row_get_subtitle (rows->pdata[i]));
  return g_string_free (text, FALSE);
}

static const char *
header_text (Fixture *fixture)
{
  GtkLabel *label = _fl_window_get_booth_label (fixture->window);

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_label (label) : NULL;
}

/* The join code as a scanner types it, Return at the end. */
static void
scan_join_code (Fixture *fixture)
{
  g_autofree char *burst = g_strconcat (fixture->code, "\n", NULL);

  fl_gui_test_scan_burst (fixture->window, burst);
}

/* Renders @widget's window as the screen shows it, for a person to look at. */
static void
save_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  const char *wanted = g_getenv ("FAIRLEAD_SCREENSHOT_DIR");
  g_autofree char *dir = wanted ? g_strdup (wanted)
                                : g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);

  texture = fl_gui_test_render (widget, 500);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
test_create (Fixture *fixture, gconstpointer data)
{
  FlPreferencesWindow *preferences;
  FlBoothPage *page = open_booth_page (fixture, &preferences);
  g_autoptr(FlBoothCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;
  GdkPaintable *qr;
  const char *text;

  /* No booth: nothing in the header, the page waits for a code. */
  g_assert_null (header_text (fixture));
  g_assert_true (fl_booth_page_get_waiting (page));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.create", NULL));
  /* Without a name nothing is created. */
  g_assert_true (fl_booth_page_get_waiting (page));

  gtk_editable_set_text (_fl_booth_page_get_entry (page, "booth-name"), "Acme");
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.create", NULL));
  fl_gui_test_settle (300);
  g_assert_false (fl_booth_page_get_waiting (page));

  /* The code as text parses, and carries where this kiosk serves. */
  text = gtk_label_get_label (_fl_booth_page_get_code_label (page));
  g_assert_true (g_str_has_prefix (text, FL_BOOTH_CODE_PREFIX));
  code = fl_booth_parse_code (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (code->addresses);
  g_assert_nonnull (code->addresses[0]);
  g_assert_true (g_str_has_prefix (code->addresses[0], "127.0.0.1:"));
  g_assert_cmpuint (fl_booth_service_get_port (fl_window_get_booth_service (fixture->window)), >, 0);

  /* The QR code, big enough for a camera across the booth. */
  qr = gtk_picture_get_paintable (_fl_booth_page_get_qr (page));
  g_assert_nonnull (qr);
  g_assert_cmpint (gdk_paintable_get_intrinsic_width (qr), >=, 300);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_booth_page_get_qr (page))));

  rows = device_rows (page);
  g_assert_true (g_str_has_prefix (rows, "Hall-B (this kiosk) | This kiosk, at 127.0.0.1:"));
  g_assert_cmpuint (_fl_booth_page_get_rows (page)->len, ==, 1);
  WAIT_FOR (g_strcmp0 (header_text (fixture), "Only kiosk of the booth") == 0, 5);
  g_assert_cmpstr (header_text (fixture), ==, "Only kiosk of the booth");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_fl_window_get_booth_label (fixture->window)),
                                           "status-in-sync"));
  if (g_getenv ("FAIRLEAD_SCREENSHOT_DIR") != NULL)
    save_screenshot (GTK_WIDGET (preferences), "booth-created");
}

/* Joined, the page lists both kiosks and the header says they are in sync. */
static void
assert_joined (Fixture *fixture, FlBoothPage *page)
{
  g_autofree char *rows = NULL;

  WAIT_FOR (!_fl_booth_page_get_joining (page), 15);
  g_assert_false (_fl_booth_page_get_joining (page));
  g_assert_cmpstr (gtk_label_get_label (_fl_booth_page_get_join_label (page)), ==, "");
  g_assert_false (fl_booth_page_get_waiting (page));
  WAIT_FOR (g_strcmp0 (header_text (fixture), "2 kiosks in sync") == 0, 10);
  g_assert_cmpstr (header_text (fixture), ==, "2 kiosks in sync");
  rows = device_rows (page);
  g_test_message ("rows:\n%s", rows);
  g_assert_true (g_str_has_prefix (rows, "Hall-B (this kiosk) | This kiosk, at 127.0.0.1:"));
  g_assert_nonnull (strstr (rows, "\nHall-A | last seen "));
  g_assert_nonnull (strstr (rows, "in sync"));
  /* The booth's event came along: the kiosk can capture. */
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), !=, "no-event");
}

static void
test_join_typed (Fixture *fixture, gconstpointer data)
{
  FlPreferencesWindow *preferences;
  FlBoothPage *page;
  g_autofree char *name = NULL;
  g_autofree char *leads = NULL;

  start_other_kiosk (fixture);
  /* A lead this kiosk captured before it joined, when it logged nothing. */
  leads = g_build_filename (fixture->tmpdir, "before.jsonl", NULL);
  g_assert_true (g_file_set_contents (leads,
                                      "{\"uuid\":\"5f0c4a52-8d1e-4c7b-9a36-2f6f0e1d7b01\","
                                      "\"email\":\"early@example.com\",\"company\":\"Early\"}\n",
                                      -1, NULL));
  g_free (cli (fixture->db, "leads", "import", leads, NULL));
  page = open_booth_page (fixture, &preferences);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "code"), fixture->code);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.join", NULL));
  g_assert_true (_fl_booth_page_get_joining (page));
  assert_joined (fixture, page);
  name = fl_booth_device_name (fixture->store, fl_store_get_device_id (fixture->store));
  g_assert_cmpstr (name, ==, "Hall-B");
  /* Joining logged it: the other kiosk has it. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlStore) other = fl_store_open (fixture->other_db, &error);

    g_assert_no_error (error);
    WAIT_FOR (fl_test_query_int (other, "SELECT count(*) FROM leads WHERE email = 'early@example.com'") == 1, 10);
    g_assert_cmpint (fl_test_query_int (other, "SELECT count(*) FROM leads WHERE email = 'early@example.com'"), ==, 1);
  }
  if (g_getenv ("FAIRLEAD_SCREENSHOT_DIR") != NULL)
    {
      save_screenshot (GTK_WIDGET (preferences), "booth-page");
      gtk_window_close (GTK_WINDOW (preferences));
      fl_gui_test_settle (300);
      save_screenshot (GTK_WIDGET (fixture->window), "booth-header");
    }
}

/* The badge scanner reads the code while the Booth page waits: it joins,
 * and no lead is made of it. */
static void
test_join_wedge (Fixture *fixture, gconstpointer data)
{
  FlBoothPage *page;

  start_other_kiosk (fixture);
  page = open_booth_page (fixture, NULL);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  scan_join_code (fixture);
  WAIT_FOR (_fl_booth_page_get_joining (page), 2);
  g_assert_true (_fl_booth_page_get_joining (page));
  assert_joined (fixture, page);
  g_assert_null (_fl_window_get_booth_dialog (fixture->window));
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 0);
}

/* Scanned on the kiosk's scan page: the kiosk offers to join. */
static void
test_scan_page_offers_join (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  AdwMessageDialog *dialog;

  out = cli (fixture->db, "event", "create", "Kiosk Event", NULL);
  fl_window_reload (fixture->window);
  start_other_kiosk (fixture);
  WAIT_FOR (g_strcmp0 (fl_window_get_visible_page (fixture->window), "scan") == 0, 5);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");

  scan_join_code (fixture);
  WAIT_FOR (_fl_window_get_booth_dialog (fixture->window) != NULL, 2);
  dialog = _fl_window_get_booth_dialog (fixture->window);
  g_assert_nonnull (dialog);
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 0);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");

  /* As its button does: the response, then the dialog closes. */
  adw_message_dialog_response (dialog, "join");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_FOR (g_strcmp0 (header_text (fixture), "2 kiosks in sync") == 0, 15);
  g_assert_cmpstr (header_text (fixture), ==, "2 kiosks in sync");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 0);

  /* In a booth, a join code is still no lead. */
  scan_join_code (fixture);
  fl_gui_test_settle (300);
  g_assert_null (_fl_window_get_booth_dialog (fixture->window));
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 0);
}

/* The camera reads the join code on the scan page: the same offer, no lead. */
static void
test_camera_offers_join (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *png = g_build_filename (fixture->tmpdir, "join.png", NULL);
  g_autofree char *source = NULL;

  out = cli (fixture->db, "event", "create", "Kiosk Event", NULL);
  fl_window_reload (fixture->window);
  start_other_kiosk (fixture);
  WAIT_FOR (g_strcmp0 (fl_window_get_visible_page (fixture->window), "scan") == 0, 5);
  fl_qr_save (fixture->code, FL_QR_EC_MEDIUM, 6, FL_QR_DEFAULT_MARGIN, png, &error);
  g_assert_no_error (error);
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze", png);
  fl_scan_page_set_camera_source (_fl_window_get_scan_page (fixture->window), source);
  WAIT_FOR (_fl_window_get_booth_dialog (fixture->window) != NULL, 20);
  fl_scan_page_set_camera_source (_fl_window_get_scan_page (fixture->window), NULL);
  g_assert_nonnull (_fl_window_get_booth_dialog (fixture->window));
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 0);
}

static void
test_join_errors (Fixture *fixture, gconstpointer data)
{
  FlBoothPage *page;
  g_autofree char *unreachable = NULL;
  const char *text;

  start_other_kiosk (fixture);
  page = open_booth_page (fixture, NULL);

  /* Not a code. */
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "code"), "FLB1:not-a-code");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.join", NULL));
  WAIT_FOR (!_fl_booth_page_get_joining (page), 5);
  text = gtk_label_get_label (_fl_booth_page_get_join_label (page));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "This is not a booth’s join code."));
  g_assert_true (fl_booth_page_get_waiting (page));

  /* The creator does not answer. */
  stop_other_kiosk (fixture);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "code"), fixture->code);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.join", NULL));
  WAIT_FOR (!_fl_booth_page_get_joining (page), 30);
  text = gtk_label_get_label (_fl_booth_page_get_join_label (page));
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "The kiosk that shows the code could not be reached."));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_fl_booth_page_get_join_label (page)), "error"));
  g_assert_true (fl_booth_page_get_waiting (page));
  g_assert_null (header_text (fixture));
  if (g_getenv ("FAIRLEAD_SCREENSHOT_DIR") != NULL)
    save_screenshot (GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (page))), "booth-join-error");
}

/* Remove the other kiosk; then leave. */
static void
test_remove_and_leave (Fixture *fixture, gconstpointer data)
{
  FlBoothPage *page;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(FlBoothCode) code = NULL;
  g_autoptr(FlBoothCode) shown = NULL;
  g_autofree char *rows = NULL;
  AdwMessageDialog *dialog;

  start_other_kiosk (fixture);
  code = fl_booth_parse_code (fixture->code, NULL);
  page = open_booth_page (fixture, NULL);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  fl_booth_page_join (page, fixture->code);
  assert_joined (fixture, page);

  dialog = _fl_booth_page_ask_remove (page, code->device_id);
  g_assert_nonnull (dialog);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Remove “Hall-A” from the Booth?");
  adw_message_dialog_response (dialog, "remove");
  gtk_window_close (GTK_WINDOW (dialog));
  fl_gui_test_settle (300);
  rows = device_rows (page);
  g_assert_true (g_str_has_prefix (rows, "Hall-B (this kiosk) | This kiosk, at 127.0.0.1:"));
  g_assert_null (strstr (rows, "Hall-A"));
  booth = fl_booth_load (fixture->store, NULL);
  g_assert_true (fl_booth_find_member (booth, code->device_id)->removed);
  /* Whoever holds Hall-A may hold the old code: the page shows a new one. */
  g_assert_cmpstr (fl_booth_get_secret (booth), !=, code->secret);
  shown = fl_booth_parse_code (gtk_label_get_label (_fl_booth_page_get_code_label (page)), NULL);
  g_assert_nonnull (shown);
  g_assert_cmpstr (shown->secret, ==, fl_booth_get_secret (booth));
  WAIT_FOR (g_strcmp0 (header_text (fixture), "Only kiosk of the booth") == 0, 5);
  g_assert_cmpstr (header_text (fixture), ==, "Only kiosk of the booth");

  /* Leave: the header goes, the page offers to create or join again. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "booth.leave", NULL));
  {
    GList *toplevels = gtk_window_list_toplevels ();

    dialog = NULL;
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data) &&
          g_strcmp0 (adw_message_dialog_get_heading (l->data), "Leave the Booth?") == 0)
        dialog = l->data;
    g_list_free (toplevels);
  }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "leave");
  gtk_window_close (GTK_WINDOW (dialog));
  WAIT_FOR (fl_booth_page_get_waiting (page), 10);
  g_assert_true (fl_booth_page_get_waiting (page));
  g_assert_null (header_text (fixture));
  g_clear_object (&booth);
  booth = fl_booth_load (fixture->store, NULL);
  g_assert_null (booth);
}

/* The other kiosk goes away: the header says so. */
static void
test_header_unreachable (Fixture *fixture, gconstpointer data)
{
  FlBoothPage *page;

  start_other_kiosk (fixture);
  page = open_booth_page (fixture, NULL);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  fl_booth_page_join (page, fixture->code);
  assert_joined (fixture, page);
  stop_other_kiosk (fixture);
  WAIT_FOR (g_strcmp0 (header_text (fixture), "Booth: not reachable") == 0, 15);
  g_assert_cmpstr (header_text (fixture), ==, "Booth: not reachable");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (_fl_window_get_booth_label (fixture->window)),
                                           "status-unreachable"));
}

static void
collect_labels (GtkWidget *widget, GString *texts)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

/* The leads page and the dashboard say at which kiosk each lead was
 * captured, next to the staff member. */
static void
test_leads_kiosk (Fixture *fixture, gconstpointer data)
{
  g_autofree char *out = NULL;
  g_autoptr(GString) texts = g_string_new (NULL);
  g_auto(GStrv) staff = NULL;
  FlBoothPage *page;
  FlPreferencesWindow *preferences;
  GtkWidget *back_office;
  FlDashboard *dashboard;

  start_other_kiosk (fixture);
  out = cli (fixture->other_db, "capture", "--staff", "Sam", "--payload",
             "BEGIN:VCARD\nVERSION:3.0\nN:Muster;Anna;;;\nFN:Anna Muster\n"
             "EMAIL:anna@example.com\nEND:VCARD\n", NULL);
  page = open_booth_page (fixture, &preferences);
  gtk_editable_set_text (_fl_booth_page_get_entry (page, "device-name"), "Hall-B");
  fl_booth_page_join (page, fixture->code);
  assert_joined (fixture, page);
  gtk_window_close (GTK_WINDOW (preferences));
  fl_gui_test_settle (200);

  /* A lead captured here, by Tess. */
  _fl_window_show_scan_page (fixture->window);
  fl_window_set_staff (fixture->window, "Tess");
  fl_window_capture (fixture->window, "BEGIN:VCARD\nVERSION:3.0\nN:Beispiel;Bert;;;\n"
                                      "FN:Bert Beispiel\nEMAIL:bert@example.com\nEND:VCARD\n",
                     FL_SOURCE_BADGE);
  fl_gui_test_settle (200);
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, 2);

  /* Wide enough for the staff column (columns hide by priority on
   * narrower screens). */
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1600, 900);
  fl_gui_test_settle (200);
  back_office = sign_in (fixture);
  _fl_back_office_show_view (FL_BACK_OFFICE (back_office), "leads");
  fl_back_office_reload (FL_BACK_OFFICE (back_office));
  fl_gui_test_settle (800);
  collect_labels (GTK_WIDGET (_fl_back_office_get_leads_page (FL_BACK_OFFICE (back_office))), texts);
  g_test_message ("%s", texts->str);
  g_assert_nonnull (strstr (texts->str, "Sam · Hall-A\n"));
  g_assert_nonnull (strstr (texts->str, "Tess · Hall-B\n"));

  dashboard = _fl_back_office_get_dashboard (FL_BACK_OFFICE (back_office));
  fl_dashboard_reload (dashboard);
  staff = _fl_dashboard_get_staff_labels (dashboard);
  g_assert_true (g_strv_contains ((const char * const *) staff, "Sam · Hall-A"));
  g_assert_true (g_strv_contains ((const char * const *) staff, "Tess · Hall-B"));
}

static void
test_format_seen (void)
{
  struct { gint64 ago; const char *text; } cases[] = {
    { 5, "just now" }, { 130, "2 min ago" }, { 3 * 3600 + 5, "3 h ago" },
    { 24 * 3600, "1 day ago" }, { 3 * 24 * 3600, "3 days ago" },
  };
  gint64 now = 2000000000;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = fl_booth_format_seen (now - cases[i].ago, now);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  {
    g_autofree char *never = fl_booth_format_seen (0, now);

    g_assert_cmpstr (never, ==, "never");
  }
}

int
main (int argc, char *argv[])
{
  if (fl_gui_test_no_display (&argc, &argv, "/gui/booth/no-display"))
    return g_test_run ();

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fl_gui_test_park_pointer ();

  g_test_add_func ("/gui/booth/format-seen", test_format_seen);
#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/booth/create", test_create);
  ADD ("/gui/booth/join-typed", test_join_typed);
  ADD ("/gui/booth/join-wedge", test_join_wedge);
  ADD ("/gui/booth/scan-page-offers-join", test_scan_page_offers_join);
  ADD ("/gui/booth/camera-offers-join", test_camera_offers_join);
  ADD ("/gui/booth/join-errors", test_join_errors);
  ADD ("/gui/booth/remove-and-leave", test_remove_and_leave);
  ADD ("/gui/booth/header-unreachable", test_header_unreachable);
  ADD ("/gui/booth/leads-kiosk", test_leads_kiosk);
#undef ADD

  return g_test_run ();
}
