/* test-kiosk.c: scan, qualify, thank — the kiosk flow with real widgets under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "../card-photo.h"
#include "../card-render.h"
#include "fl-application.h"
#include "fl-back-office.h"
#include "fl-back-office-private.h"
#include "fl-lead-detail.h"
#include "fl-leads-page.h"
#include "fl-preferences-window.h"
#include "fl-lead-page-private.h"
#include "fl-window-private.h"
#include "lead/fl-limits.h"
#include "scan/fl-qr.h"
#include "store/fl-card-photo.h"
#include "store/fl-staff.h"
#include "sync/fl-outbox.h"

typedef FlGuiTestFixture Fixture;

static const char vcard[] =
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "N:Muster;Anna;;;\n"
  "FN:Anna Muster\n"
  "ORG:Muster Maschinenbau GmbH\n"
  "TITLE:Head of Production\n"
  "EMAIL:anna.muster@muster-maschinenbau.example\n"
  "TEL:+49 711 1234567\n"
  "END:VCARD\n";

/* What must be gone from every widget once the kiosk is back at rest. */
static const char *personal_data[] = {
  "Anna", "Muster", "muster-maschinenbau", "1234567", "Production", NULL
};

/* A keystroke as the window's capture-phase key controller receives it. */
static gboolean
press_key (FlWindow *window, guint keyval)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  gboolean handled = FALSE;

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "fl-wedge") == 0)
        {
          g_signal_emit_by_name (controller, "key-pressed", keyval, 0, 0, &handled);
          break;
        }
    }
  g_object_unref (controllers);
  return handled;
}

static guint
keyval_for (gunichar c)
{
  return c == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval (c);
}

/* Scans and waits for the lead page to show the lead of this scan. */
static void
scan (Fixture *fixture, const char *text)
{
  /* Figures, not a pass/fail: the detector waits out its gap (2 × 35 ms
   * once a burst has proven itself) before the capture starts. */
  g_test_message ("timing: last key of the burst → lead page mapped, lead committed: %.1f ms",
                  fl_gui_test_scan (fixture->window, text));
}

/* Renders @widget as the screen shows it, saves it for a person to look
 * at, and fails on a blank picture. */
static void
check_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree guchar *pixels = NULL;
  /* tests/gui/screenshot.sh asks for the pictures of data/screenshots/. */
  const char *wanted = g_getenv ("FAIRLEAD_SCREENSHOT_DIR");
  g_autofree char *dir = wanted ? g_strdup (wanted)
                                : g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double sum = 0, sum_sq = 0, variance;
  gsize n;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);
  texture = fl_gui_test_render (widget, 600);  /* the page stack's crossfade */
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  n = (gsize) width * height;
  pixels = g_malloc (n * 4);
  gdk_texture_download (texture, pixels, width * 4);
  for (gsize i = 0; i < n; i++)
    {
      /* Cairo's ARGB32: B G R A in memory on little-endian machines. */
      double grey = (pixels[i * 4] + pixels[i * 4 + 1] + pixels[i * 4 + 2]) / (3.0 * 255.0);
      sum += grey;
      sum_sq += grey * grey;
    }
  variance = sum_sq / n - (sum / n) * (sum / n);
  g_test_message ("%s: %dx%d, variance %.4f", path, width, height, variance);
  /* A standard deviation of 0.02, as tests/gui/screenshot.sh asks. */
  g_assert_cmpfloat (variance, >, 0.02 * 0.02);
}

/* Collects every text a widget shows or holds. */
static void
collect_texts (GtkWidget *widget, GString *texts)
{
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (texts, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  if (GTK_IS_TEXT_VIEW (widget))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget));
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      g_string_append_printf (texts, "%s\n", text);
    }
  if (ADW_IS_WINDOW_TITLE (widget))
    g_string_append_printf (texts, "%s\n%s\n", adw_window_title_get_title (ADW_WINDOW_TITLE (widget)),
                            adw_window_title_get_subtitle (ADW_WINDOW_TITLE (widget)));
  if (GTK_IS_PICTURE (widget) && gtk_picture_get_paintable (GTK_PICTURE (widget)) != NULL &&
      gtk_widget_has_css_class (widget, "qr-code"))
    g_string_append (texts, "[a QR code]\n");
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_db = NULL;
  gint64 start;

  demo_db = fl_gui_test_fixture_start (fixture, "fairlead-kiosk-XXXXXX");

  start = g_get_monotonic_time ();
  fixture->window = fl_application_open_database (fixture->app, NULL, TRUE);
  /* FAIRLEAD_SCREENSHOT_SIZE=1024x600 checks the smallest screen. */
  fl_gui_test_size_window (fixture->window, 1024, 700);
  /* A kiosk at work has someone at it; test-booth-staff.c scans with
   * nobody named. */
  g_settings_set_string (fl_application_get_settings (fixture->app), "staff-member", "Tom Berger");
  fl_gui_test_wait_for_page (fixture->window, "scan", 10);
  g_test_message ("timing: window opened (demo seeded on first use) → scan page mapped: %.1f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  fixture->store = fl_store_open (demo_db, &error);
  g_assert_no_error (error);
  fl_gui_test_settle (100);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_settings_reset (fl_application_get_settings (fixture->app), "staff-member");
  fl_gui_test_fixture_tear_down (fixture, data);
}

static void
test_wedge_vcard (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  gint64 before = fl_gui_test_count_leads (fixture->store);
  g_autoptr(FlLead) lead = NULL;

  check_screenshot (GTK_WIDGET (fixture->window), "scan-page");

  scan (fixture, vcard);
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_FIRST_NAME)), ==, "Anna");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_LAST_NAME)), ==, "Muster");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_COMPANY)), ==,
                   "Muster Maschinenbau GmbH");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL)), ==,
                   "anna.muster@muster-maschinenbau.example");
  g_assert_false (gtk_revealer_get_reveal_child (_fl_lead_page_get_welcome (page)));

  /* Saved and scored the moment it was scanned, by the demo model. */
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_uuid (lead), ==, fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  g_assert_nonnull (fl_lead_get_model (lead));
  g_assert_cmpstr (gtk_label_get_label (_fl_lead_page_get_status (page)), ==, "MQL");

  /* The focus is on the visitor's language at the top, not on the
   * header's Discard. */
  g_assert_true (gtk_root_get_focus (GTK_ROOT (fixture->window)) ==
                 GTK_WIDGET (_fl_lead_page_get_language_button (page, FL_LANGUAGE_EN)));

  check_screenshot (GTK_WIDGET (fixture->window), "lead-page");
}

/* A person typing into a field on the lead page: the keys reach the
 * field, nothing is captured. */
static void
test_typing_passes_through (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkEditable *company;
  gint64 before;

  scan (fixture, vcard);
  before = fl_gui_test_count_leads (fixture->store);
  company = _fl_lead_page_get_field (page, FL_FIELD_COMPANY);
  gtk_widget_grab_focus (GTK_WIDGET (company));
  gtk_editable_set_position (company, -1);
  for (const char *p = " AG"; *p != '\0'; p++)
    {
      press_key (fixture->window, keyval_for (*p));
      fl_gui_test_settle (150);  /* a person: far slower than a scanner */
    }
  g_assert_cmpstr (gtk_editable_get_text (company), ==, "Muster Maschinenbau GmbH AG");
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "lead");
  fl_gui_test_settle (600);  /* the edit is written after a short pause */
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  {
    g_autoptr(FlLead) lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
    g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_COMPANY), ==, "Muster Maschinenbau GmbH AG");
  }
}

/* A loaded machine: the main loop does nothing else for half a second at
 * a time, and keys queue meanwhile. */
static gboolean
busy_cb (gpointer user_data)
{
  g_usleep (500 * 1000);
  return G_SOURCE_CONTINUE;
}

static void
xdotool_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* Types @text with real X key events (xdotool, XTest), @key_ms from one
 * key press to the next as the X server stamps them, into the focused widget of
 * the window, while the main loop is busy: the keys reach the window in
 * heaps, long after they were pressed. Returns FALSE (and skips the test)
 * without xdotool. */
static gboolean
type_while_busy (Fixture *fixture, const char *text, guint key_ms)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (fixture->window));
  g_autofree char *xid = NULL;
  /* xdotool waits half its delay after the press and presses the next key
   * after the release: half a delay from press to press (measured). */
  g_autofree char *delay = g_strdup_printf ("%u", 2 * key_ms);
  g_autoptr(GSubprocess) xdotool = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xdotool_path = g_find_program_in_path ("xdotool");
  gboolean done = FALSE;
  guint busy;

  if (xdotool_path == NULL)
    {
      g_test_skip ("xdotool is not installed");
      return FALSE;
    }
  g_assert_true (GDK_IS_X11_SURFACE (surface));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (surface));
  /* Keys go where the X input focus is: on this window. */
  xdotool = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "xdotool", "windowfocus", "--sync", xid, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_check (xdotool, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&xdotool);
  fl_gui_test_settle (200);

  xdotool = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "xdotool", "type", "--delay", delay, "--", text, NULL);
  g_assert_no_error (error);
  busy = g_idle_add (busy_cb, NULL);
  g_subprocess_wait_check_async (xdotool, NULL, xdotool_done_cb, &done);
  while (!done)
    fl_gui_test_iterate ();
  g_source_remove (busy);
  fl_gui_test_settle (300);  /* the last keys, and the detector's gap after them */
  return TRUE;
}

static GtkTextView *
find_text_view (GtkWidget *widget)
{
  if (GTK_IS_TEXT_VIEW (widget) && gtk_widget_is_drawable (widget))
    return GTK_TEXT_VIEW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkTextView *found = find_text_view (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A person types at 60 ms a key on a loaded machine: the keys reach the
 * kiosk in heaps, but they were pressed 60 ms apart, and that is no
 * scanner. On the scan page, in the notes, in a person field, in the PIN
 * and in the back office's search: no lead appears, and every text
 * arrives whole where it was typed. */
static void
test_typing_while_busy (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *open_uuid = NULL;
  GtkEditable *city, *pin, *search;
  GtkTextView *notes_view;
  GtkWidget *back_office;
  FlLead *open;
  gint64 before;

  /* The scan page: the keys go nowhere, and nothing is captured. */
  before = fl_gui_test_count_leads (fixture->store);
  if (!type_while_busy (fixture, "kiosk", 60))
    return;
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");

  /* The lead page: a note, then a person field. */
  scan (fixture, vcard);
  open = fl_lead_page_get_lead (page);
  open_uuid = g_strdup (fl_lead_get_uuid (open));
  before = fl_gui_test_count_leads (fixture->store);
  notes_view = find_text_view (GTK_WIDGET (page));
  g_assert_nonnull (notes_view);
  gtk_widget_grab_focus (GTK_WIDGET (notes_view));
  type_while_busy (fixture, "Wants a demo in May", 60);
  notes = fl_gui_test_text_view_text (notes_view);
  g_assert_cmpstr (notes, ==, "Wants a demo in May");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  g_assert_true (fl_lead_page_get_lead (page) == open);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "lead");

  city = _fl_lead_page_get_field (page, FL_FIELD_CITY);
  g_assert_cmpstr (gtk_editable_get_text (city), ==, "");
  gtk_widget_grab_focus (GTK_WIDGET (city));
  type_while_busy (fixture, "Stuttgart", 60);
  g_assert_cmpstr (gtk_editable_get_text (city), ==, "Stuttgart");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  g_assert_true (fl_lead_page_get_lead (page) == open);
  fl_gui_test_settle (600);  /* the edit is written after a short pause */
  {
    g_autoptr(FlLead) lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");

    g_assert_cmpstr (fl_lead_get_notes (lead), ==, "Wants a demo in May");
    g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_CITY), ==, "Stuttgart");
  }

  /* The back office: a PIN of four digits, then a search. */
  fl_staff_set (fixture->store, "Tom Berger", "2468", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  fl_gui_test_settle (300);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");
  back_office = _fl_window_get_page (fixture->window, "back-office");
  pin = _fl_pin_page_get_pin_entry (_fl_back_office_get_pin_page (FL_BACK_OFFICE (back_office)));
  gtk_widget_grab_focus (GTK_WIDGET (pin));
  type_while_busy (fixture, "2468", 60);
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, "2468");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");
  g_signal_emit_by_name (_fl_pin_page_get_unlock_button (_fl_back_office_get_pin_page (FL_BACK_OFFICE (back_office))),
                         "clicked");
  fl_gui_test_settle (300);
  g_assert_false (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
  _fl_back_office_show_view (FL_BACK_OFFICE (back_office), "leads");
  fl_gui_test_settle (300);
  search = _fl_leads_page_get_search_entry (_fl_back_office_get_leads_page (FL_BACK_OFFICE (back_office)));
  gtk_widget_grab_focus (GTK_WIDGET (search));
  type_while_busy (fixture, "Muster", 60);
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "Muster");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");

  /* The notes of the lead found, in the lead detail. */
  {
    FlLeadsPage *leads_page = _fl_back_office_get_leads_page (FL_BACK_OFFICE (back_office));
    GtkColumnView *view = _fl_leads_page_get_column_view (leads_page);
    FlLeadDetail *detail = _fl_leads_page_get_detail (leads_page);
    g_autofree char *detail_notes = NULL;
    GtkTextView *detail_view;
    GtkTextIter end;

    _fl_leads_page_flush_search (leads_page);
    fl_gui_test_settle (300);
    gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
    fl_gui_test_settle (300);
    g_assert_nonnull (fl_lead_detail_get_lead (detail));
    g_assert_cmpstr (fl_lead_get_uuid (fl_lead_detail_get_lead (detail)), ==, open_uuid);
    detail_view = find_text_view (GTK_WIDGET (detail));
    g_assert_nonnull (detail_view);
    gtk_widget_grab_focus (GTK_WIDGET (detail_view));
    gtk_text_buffer_get_end_iter (gtk_text_view_get_buffer (detail_view), &end);
    gtk_text_buffer_place_cursor (gtk_text_view_get_buffer (detail_view), &end);
    type_while_busy (fixture, ", call in June", 60);
    detail_notes = fl_gui_test_text_view_text (detail_view);
    g_assert_cmpstr (detail_notes, ==, "Wants a demo in May, call in June");
    g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
    g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");
  }
}

/* A scanner on the same loaded machine, 5 ms a key: still one scan. */
static void
test_scan_while_busy (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  gint64 before = fl_gui_test_count_leads (fixture->store);
  g_autoptr(FlLead) lead = NULL;

  if (!type_while_busy (fixture, vcard, 5))
    return;
  fl_gui_test_wait_for_page (fixture->window, "lead", 5);
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FULL_NAME), ==, "Anna Muster");
  g_assert_cmpstr (fl_lead_get_uuid (lead), ==, fl_lead_get_uuid (fl_lead_page_get_lead (page)));
}

/* The upload worker has looked at the database once. */
static FlUploadWorker *
wait_for_worker (Fixture *fixture)
{
  FlUploadWorker *worker = _fl_window_get_worker (fixture->window);
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  g_assert_nonnull (worker);
  while ((fl_upload_worker_get_connectors (worker) < 0 || fl_upload_worker_get_busy (worker)) &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), >=, 0);
  return worker;
}

static FlPreferencesWindow *
find_preferences (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (FL_IS_PREFERENCES_WINDOW (window))
        return FL_PREFERENCES_WINDOW (window);
    }
  return NULL;
}

/* The subtitles of the action rows under @widget, one a line. */
static void
collect_subtitles (GtkWidget *widget, GString *texts)
{
  if (ADW_IS_ACTION_ROW (widget) && adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)) != NULL)
    g_string_append_printf (texts, "%s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_subtitles (child, texts);
}

/* Opens the back office and signs in with the staff PIN. */
static FlBackOffice *
sign_in (Fixture *fixture)
{
  GtkWidget *back_office = _fl_window_get_page (fixture->window, "back-office");

  g_assert_true (FL_IS_BACK_OFFICE (back_office));
  g_assert_true (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
  fl_gui_test_enter_pin (back_office);
  g_assert_false (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
  return FL_BACK_OFFICE (back_office);
}

/* Waits for the settings' Upload Now to end; returns what its row says. */
static char *
upload_now (FlPreferencesWindow *preferences)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  g_autoptr(GString) texts = g_string_new (NULL);

  fl_preferences_window_upload_now (preferences);
  do
    {
      fl_gui_test_settle (50);
      g_string_truncate (texts, 0);
      collect_subtitles (GTK_WIDGET (preferences), texts);
    }
  while (strstr (texts->str, "Uploading…") != NULL && g_get_monotonic_time () < deadline);
  return g_string_free (g_steal_pointer (&texts), FALSE);
}

/* No connector set up: the kiosk says that no CRM is connected and how
 * many leads are only on it, never “Every lead is uploaded”; Upload Now
 * says so too, and “Connect a CRM…” leads to the connector settings
 * behind the staff PIN. */
static void
test_no_crm (Fixture *fixture, gconstpointer data)
{
  FlUploadWorker *worker = wait_for_worker (fixture);
  GtkWidget *upload_button = GTK_WIDGET (_fl_window_get_upload_button (fixture->window));
  gint64 n = fl_test_query_int (fixture->store, "SELECT count (*) FROM leads");
  g_autofree char *pending = g_strdup_printf ("%" G_GINT64_FORMAT " leads are only on this kiosk", n);
  g_autofree char *count = g_strdup_printf ("No CRM · %" G_GINT64_FORMAT, n);
  g_autofree char *tooltip = g_strdup_printf ("No CRM connected — %s", pending);
  g_autofree char *subtitles = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) texts = g_string_new (NULL);
  FlPreferencesWindow *preferences;
  AdwToast *toast;
  gint64 deadline;

  g_assert_cmpint (n, >, 1);
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, 0);
  g_assert_cmpint (fl_upload_worker_get_undelivered (worker), ==, n);
  g_assert_true (gtk_widget_get_visible (upload_button));
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_upload_state (fixture->window)), ==, "No CRM connected");
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_upload_label (fixture->window)), ==, pending);
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_upload_count (fixture->window)), ==, count);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (upload_button), ==, tooltip);
  g_assert_true (gtk_widget_get_visible (_fl_window_get_connect_button (fixture->window)));
  collect_texts (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (upload_button))), texts);
  g_assert_null (strstr (texts->str, "Every lead is uploaded"));
  g_assert_null (strstr (texts->str, "Online"));
  check_screenshot (GTK_WIDGET (fixture->window), "scan-page-no-crm");

  /* A capture: one more lead only here. */
  scan (fixture, vcard);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (fl_upload_worker_get_undelivered (worker) < n + 1 && g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  g_free (pending);
  pending = g_strdup_printf ("%" G_GINT64_FORMAT " leads are only on this kiosk", n + 1);
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_upload_label (fixture->window)), ==, pending);

  /* Upload Now: no CRM, not “another Fairlead is uploading”. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.upload-now", NULL));
  toast = _fl_window_get_toast (fixture->window);
  g_assert_nonnull (toast);
  g_assert_nonnull (strstr (adw_toast_get_title (toast), "No CRM is connected"));
  g_assert_null (strstr (adw_toast_get_title (toast), "Another Fairlead"));

  /* Connect a CRM…: the PIN first, then the connector settings. */
  fl_staff_set (fixture->store, "Tom Berger", "2468", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.connect-crm", NULL));
  fl_gui_test_settle (300);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");
  g_assert_null (find_preferences ());
  sign_in (fixture);
  preferences = find_preferences ();
  g_assert_nonnull (preferences);
  g_assert_cmpstr (adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
                   "connectors");

  /* The settings' Upload Now says the same. */
  subtitles = upload_now (preferences);
  expected = g_strdup_printf ("No CRM is connected — %" G_GINT64_FORMAT " leads are only on this kiosk. "
                              "Add a connector below.", n + 1);
  g_assert_nonnull (strstr (subtitles, expected));
  g_assert_null (strstr (subtitles, "Another Fairlead"));
  gtk_window_destroy (GTK_WINDOW (preferences));
  fl_gui_test_settle (100);
}

/* A CRM connected: the settings' Upload Now runs beside the kiosk's own
 * upload worker, which holds no lock between its rounds. */
static void
test_upload_now_beside_worker (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlOutbox) outbox = fl_outbox_new (fixture->store);
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *subtitles = NULL;
  FlUploadWorker *worker;
  FlPreferencesWindow *preferences;
  gint64 deadline;

  wait_for_worker (fixture);
  /* Nobody listens there: every attempt fails at once and is retried. */
  g_assert_true (fl_outbox_add_connector (outbox, "crm", "webhook", "http://127.0.0.1:9/hook", options, NULL,
                                          &error));
  g_assert_no_error (error);
  worker = _fl_window_get_worker (fixture->window);
  fl_upload_worker_wake (worker);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  /* The header follows the worker's state on the main loop, a moment
   * after the worker's own counters: wait for both (the label and the
   * Connect button of the header's first update, too). */
  while ((fl_upload_worker_get_connectors (worker) != 1 || fl_upload_worker_get_busy (worker) ||
          g_strcmp0 (gtk_label_get_label (_fl_window_get_upload_state (fixture->window)), "No CRM connected") == 0 ||
          gtk_widget_get_visible (_fl_window_get_connect_button (fixture->window))) &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, 1);
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_upload_state (fixture->window)), !=, "No CRM connected");
  g_assert_false (gtk_widget_get_visible (_fl_window_get_connect_button (fixture->window)));

  fl_staff_set (fixture->store, "Tom Berger", "2468", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  fl_gui_test_settle (300);
  preferences = _fl_back_office_show_preferences (sign_in (fixture));
  g_assert_nonnull (preferences);
  subtitles = upload_now (preferences);
  g_assert_null (strstr (subtitles, "Another Fairlead"));
  g_assert_nonnull (strstr (subtitles, "0 uploaded, 0 failed"));
  gtk_window_destroy (GTK_WINDOW (preferences));
  fl_gui_test_settle (100);
}

static void
test_answers_done (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  FlThanksPage *thanks = _fl_window_get_thanks_page (fixture->window);
  GtkLabel *status = _fl_lead_page_get_status (page);
  GtkLevelBar *bar = _fl_lead_page_get_score_bar (page);
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *reference = NULL;
  double score;
  JsonObject *answers;

  scan (fixture, vcard);
  score = gtk_level_bar_get_value (bar);

  /* Each tap moves the score at once, before anything is written. */
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "timeframe", 0));
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), >, score);
  score = gtk_level_bar_get_value (bar);
  g_assert_cmpstr (gtk_label_get_label (status), ==, "MQL");
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "budget", 0));
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "role", 0));
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "follow_up", 0));
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "interests", 1));
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "staff_rating", 4));
  fl_gui_test_tap (_fl_lead_page_get_interaction (page, "demo"));
  g_assert_cmpfloat (gtk_level_bar_get_value (bar), >, score);
  g_assert_cmpstr (gtk_label_get_label (status), ==, "SAL");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (status), "status-sal"));
  g_assert_nonnull (gtk_widget_get_first_child (GTK_WIDGET (_fl_lead_page_get_why_list (page))));

  /* Tapping the chosen answer again takes it back: required, so no SAL. */
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "role", 0));
  g_assert_cmpstr (gtk_label_get_label (status), ==, "MQL");
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "role", 0));
  g_assert_cmpstr (gtk_label_get_label (status), ==, "SAL");

  /* The privacy notice follows the visitor's language, from the event. */
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_lead_page_get_privacy (page)), "Privacy"));
  /* The visitor reads the consent in German and gives it. */
  fl_gui_test_tap (_fl_lead_page_get_language_button (page, FL_LANGUAGE_DE));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_lead_page_get_privacy (page)), "Datenschutz"));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_lead_page_get_privacy (page)), "Automatica"));
  check_screenshot (GTK_WIDGET (fixture->window), "lead-page-answered");
  fl_gui_test_tap (_fl_lead_page_get_consent (page));
  g_assert_true (gtk_check_button_get_active (_fl_lead_page_get_consent (page)));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);

  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_SAL);
  answers = json_node_get_object (fl_lead_get_answers (lead));
  g_assert_cmpstr (json_object_get_string_member (answers, "timeframe"), ==, "3m");
  g_assert_cmpstr (json_object_get_string_member (answers, "budget"), ==, "approved");
  g_assert_cmpstr (json_object_get_string_member (answers, "role"), ==, "decides");
  g_assert_cmpint (json_object_get_int_member (answers, "staff_rating"), ==, 5);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (answers, "interests"), 0),
                   ==, "vision");
  g_assert_true (json_object_get_boolean_member (json_node_get_object (fl_lead_get_consent (lead)), "given"));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fl_lead_get_consent (lead)), "language"),
                   ==, "de");
  /* The ledger proves which words were shown: the German text's hash. */
  {
    JsonObject *consent = json_node_get_object (fl_lead_get_consent (lead));
    const char *sha256 = json_object_get_string_member_with_default (consent, "sha256", NULL);

    g_assert_nonnull (sha256);
    g_assert_cmpuint (strlen (sha256), ==, 64);
    g_assert_cmpstr (json_object_get_string_member (consent, "method"), ==, "checkbox");
  }

  /* Thanks by name, with the handout link carrying the lead's reference. */
  reference = g_strdup_printf ("?ref=%.8s", fl_lead_get_uuid (lead));
  g_assert_true (g_str_has_suffix (fl_thanks_page_get_link (thanks), reference));
  g_assert_true (g_str_has_prefix (fl_thanks_page_get_link (thanks),
                                   "https://example.com/fairlead-demo/whitepaper"));
  /* The screen faces the visitor: saved, but no status (staff read it
   * in the lead list). */
  g_assert_cmpstr (adw_toast_get_title (_fl_window_get_toast (fixture->window)), ==, "Anna Muster saved");
  check_screenshot (GTK_WIDGET (fixture->window), "thanks-page");

  /* A tap ends the thanks page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (thanks), "thanks.next", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
}

static void
test_repeat_visit (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  gint64 before = fl_gui_test_count_leads (fixture->store);
  const char *welcome;

  fl_window_set_staff (fixture->window, "Tom Berger");
  scan (fixture, vcard);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);

  /* The same badge again, while the thanks page is still up. */
  scan (fixture, vcard);
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);
  g_assert_true (gtk_revealer_get_reveal_child (_fl_lead_page_get_welcome (page)));
  welcome = gtk_label_get_label (_fl_lead_page_get_welcome_label (page));
  g_assert_true (g_str_has_prefix (welcome, "Welcome back — first met at "));
  g_assert_true (g_str_has_suffix (welcome, " by Tom Berger"));
  check_screenshot (GTK_WIDGET (fixture->window), "lead-page-welcome-back");

  /* A third, different visitor while this one is open: both kept. */
  scan (fixture, "BEGIN:VCARD\nVERSION:3.0\nN:Weiss;Jonas\nFN:Jonas Weiss\n"
                 "EMAIL:jonas.weiss@example.org\nEND:VCARD\n");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 2);
  g_assert_false (gtk_revealer_get_reveal_child (_fl_lead_page_get_welcome (page)));
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_FIRST_NAME)), ==, "Jonas");
}

static void
test_idle_timeout (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autoptr(FlLead) lead = NULL;
  scan (fixture, vcard);
  fl_gui_test_tap (_fl_lead_page_get_choice (page, "timeframe", 1));
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_CITY), "Stuttgart-Muster");
  collect_texts (GTK_WIDGET (fixture->window), texts);
  g_assert_nonnull (strstr (texts->str, "Anna"));

  /* The visitor walks away; nobody touches the kiosk. */
  _fl_window_set_idle_timeout_ms (fixture->window, 300);
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  fl_gui_test_settle (300);

  g_string_truncate (texts, 0);
  collect_texts (GTK_WIDGET (fixture->window), texts);
  for (guint i = 0; personal_data[i] != NULL; i++)
    if (strstr (texts->str, personal_data[i]) != NULL)
      g_error ("“%s” is still on the screen after the idle timeout:\n%s", personal_data[i], texts->str);
  g_assert_null (strstr (texts->str, "[a QR code]"));
  g_assert_null (fl_lead_page_get_lead (page));

  /* Saved, with the last change. */
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_CITY), ==, "Stuttgart-Muster");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fl_lead_get_answers (lead)),
                                                  "timeframe"), ==, "6m");
}

static void
test_discard (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autoptr(GListModel) toplevels = NULL;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog = NULL;
  gint64 before = fl_gui_test_count_leads (fixture->store);
  g_autofree char *uuid = NULL;
  sqlite3_stmt *stmt;

  scan (fixture, vcard);
  uuid = g_strdup (fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.discard", NULL));
  fl_gui_test_settle (100);
  toplevels = gtk_window_get_toplevels ();
  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (item))
        dialog = ADW_MESSAGE_DIALOG (item);
    }
  g_assert_nonnull (dialog);
  adw_message_dialog_response (dialog, "discard");
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  /* Held while its toast offers Undo (test-booth-staff.c takes it back);
   * gone once the toast goes. */
  g_assert_nonnull (_fl_window_get_toast (fixture->window));
  g_assert_cmpstr (adw_toast_get_button_label (_fl_window_get_toast (fixture->window)), ==, "_Undo");
  _fl_window_dismiss_toast (fixture->window);
  fl_gui_test_settle (2000);  /* the toast goes once it has slid in */
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);

  stmt = fl_store_prepare (fixture->store, "SELECT count(*) FROM audit WHERE lead_uuid = ? AND "
                                           "action = 'discarded'", &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
  sqlite3_reset (stmt);
}

static void
test_manual_entry (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autoptr(FlLead) lead = NULL;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.manual-entry", NULL));
  fl_gui_test_wait_for_page (fixture->window, "lead", 5);
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_FIRST_NAME), "Lena");
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_LAST_NAME), "Kraus");
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL), "lena.kraus@example.net");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);

  lead = fl_gui_test_find_lead (fixture->store, "lena.kraus@example.net");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FULL_NAME), ==, "Lena Kraus");
  g_assert_cmpint (fl_lead_get_source (lead), ==, FL_SOURCE_MANUAL);
}

/* The notes stop at their limit with a message, and what they hold is
 * exactly what is stored: the store would refuse more, never cut it. */
static void
test_notes_limit (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkTextBuffer *buffer;
  GtkTextIter end;
  g_autofree char *fits = g_strnfill (FL_LIMIT_NOTES - 10, 'n');
  g_autofree char *more = g_strnfill (4096, 'm');
  g_autofree char *text = NULL;
  g_autoptr(FlLead) lead = NULL;
  GtkTextIter start;

  scan (fixture, vcard);
  buffer = gtk_text_view_get_buffer (_fl_lead_page_get_notes (page));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_notes_limit (page))));
  gtk_text_buffer_set_text (buffer, fits, -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_notes_limit (page))));

  /* A paste that would go over is refused whole, and said so. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, more, -1);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
  g_assert_cmpuint (strlen (text), ==, FL_LIMIT_NOTES - 10);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_notes_limit (page))));
  g_assert_nonnull (strstr (gtk_label_get_text (_fl_lead_page_get_notes_limit (page)), "64 KiB"));

  /* Typing what still fits goes on as before. */
  gtk_text_buffer_get_end_iter (buffer, &end);
  gtk_text_buffer_insert (buffer, &end, "ok", -1);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_notes_limit (page))));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpuint (strlen (fl_lead_get_notes (lead)), ==, FL_LIMIT_NOTES - 8);
  g_assert_true (g_str_has_prefix (fl_lead_get_notes (lead), fits));
}

/* The header's lock button opens the back office behind its PIN; an open
 * lead is saved and cleared first, and going back locks it again. */
static void
test_back_office (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkStack *stack = NULL;
  GtkWidget *back_office;

  scan (fixture, vcard);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "lead");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  fl_gui_test_settle (100);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");
  g_assert_null (fl_lead_page_get_lead (page));
  stack = GTK_STACK (gtk_widget_get_ancestor (GTK_WIDGET (page), GTK_TYPE_STACK));
  back_office = gtk_stack_get_child_by_name (stack, "back-office");
  g_assert_true (FL_IS_BACK_OFFICE (back_office));
  g_assert_true (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
  check_screenshot (GTK_WIDGET (fixture->window), "back-office-from-kiosk");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  g_assert_true (fl_back_office_get_locked (FL_BACK_OFFICE (back_office)));
}

static void
test_staff (Fixture *fixture, gconstpointer data)
{
  GSettings *settings = fl_application_get_settings (fixture->app);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = NULL;

  fl_staff_set (fixture->store, "Tom Berger", "2468", &error);
  g_assert_no_error (error);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.staff", "s",
                                             "Tom Berger"));
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_staff_label (fixture->window)), ==, "Tom Berger");
  g_assert_cmpstr (g_settings_get_string (settings, "staff-member"), ==, "Tom Berger");
  scan (fixture, vcard);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_captured_by (lead), ==, "Tom Berger");
  g_settings_reset (settings, "staff-member");
}

static void
test_camera (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = g_build_filename (fixture->tmpdir, "badge.png", NULL);
  g_autofree char *source = NULL;
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);

  fl_qr_save (vcard, FL_QR_EC_MEDIUM, 6, FL_QR_DEFAULT_MARGIN, png, &error);
  g_assert_no_error (error);
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze", png);
  fl_scan_page_set_camera_source (_fl_window_get_scan_page (fixture->window), source);

  fl_gui_test_wait_for_page (fixture->window, "lead", 20);
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL)), ==,
                   "anna.muster@muster-maschinenbau.example");
  g_assert_cmpint (fl_lead_get_source (fl_lead_page_get_lead (page)), ==, FL_SOURCE_BADGE);
  fl_scan_page_set_camera_source (_fl_window_get_scan_page (fixture->window), NULL);
}

/* Draws the card @id of tests/data/cards/cards.json into a PNG, with a QR
 * code of @code in its right half when @code is given. */
static char *
render_card (Fixture *fixture, const char *id, const char *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) specs = card_specs_load (&error);
  g_autoptr(CardImage) image = NULL;
  g_autofree char *file = g_strdup_printf ("%s.png", id);
  char *path = g_build_filename (fixture->tmpdir, file, NULL);

  g_assert_no_error (error);
  for (guint i = 0; image == NULL && i < json_array_get_length (specs); i++)
    {
      JsonObject *spec = json_array_get_object_element (specs, i);

      if (g_strcmp0 (json_object_get_string_member (spec, "id"), id) == 0)
        image = card_render (spec);
    }
  g_assert_nonnull (image);
  if (code != NULL)
    {
      g_autoptr(FlFrame) qr = fl_qr_render (code, FL_QR_EC_MEDIUM, 3, FL_QR_DEFAULT_MARGIN,
                                            FL_PIXEL_FORMAT_GREY8, &error);
      const guint8 *src;
      guint left, top;

      g_assert_no_error (error);
      g_assert_cmpuint (qr->width, <, image->width / 2);
      g_assert_cmpuint (qr->height, <, image->height);
      left = image->width - qr->width - 8;
      top = image->height - qr->height - 8;
      src = g_bytes_get_data (qr->pixels, NULL);
      for (guint y = 0; y < qr->height; y++)
        memcpy (image->pixels + (top + y) * image->stride + left, src + y * qr->stride, qr->width);
    }
  g_assert_true (card_image_save_png (image, path, &error));
  g_assert_no_error (error);
  return path;
}

/* Waits until the lead page shows a lead of @source. */
static FlLead *
wait_for_card_lead (Fixture *fixture, FlSource source, gint64 pressed)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while ((fl_lead_page_get_lead (page) == NULL ||
          fl_lead_get_source (fl_lead_page_get_lead (page)) != source) &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  fl_gui_test_wait_for_page (fixture->window, "lead", 5);
  g_test_message ("timing: “Business card” pressed → lead page mapped with the lead: %.0f ms",
                  (g_get_monotonic_time () - pressed) / 1000.0);
  g_assert_cmpint (fl_lead_get_source (fl_lead_page_get_lead (page)), ==, source);
  return fl_lead_page_get_lead (page);
}

/* The camera sees a card with no code: “Business card” takes a still,
 * reads it by OCR off the main thread and opens the lead page with the
 * photo beside the contact, the photo kept with the lead. */
static void
test_business_card (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = render_card (fixture, "de-hafen", NULL);
  g_autofree char *source = g_strdup_printf ("multifilesrc location=\"%s\" ! pngdec ! imagefreeze", png);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr(GString) texts = g_string_new (NULL);
  FlScanPage *scan_page = _fl_window_get_scan_page (fixture->window);
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GdkPixbuf *kept;
  FlLead *lead;
  gint64 deadline, pressed;
  guint unsure = 0;

  fl_scan_page_set_camera_source (scan_page, source);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while ((fl_camera_get_state (fl_scan_page_get_camera (scan_page)) != FL_CAMERA_STATE_RUNNING ||
          fl_camera_get_preview (fl_scan_page_get_camera (scan_page)) == NULL) &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  {
    g_autoptr(FlFrame) frame = fl_camera_get_preview (fl_scan_page_get_camera (scan_page));
    g_assert_nonnull (frame);
  }

  pressed = g_get_monotonic_time ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scan_page), "scan.business-card", NULL));
  g_assert_true (fl_scan_page_get_reading (scan_page));
  lead = wait_for_card_lead (fixture, FL_SOURCE_CARD_OCR, pressed);
  g_assert_false (fl_scan_page_get_reading (scan_page));

  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL)), ==,
                   "j.mueller@nordwind-logistik.de");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_LAST_NAME)), ==,
                   "Müller");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_CITY)), ==,
                   "Hamburg");
  /* The recognised text stays with the lead, whatever the fields say. */
  g_assert_nonnull (strstr (fl_lead_get_raw_payload (lead), "nordwind-logistik.de"));

  /* The photo is shown beside the form and kept with the lead. */
  g_assert_nonnull (gtk_picture_get_paintable (_fl_lead_page_get_card_picture (page)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_fl_lead_page_get_card_picture (page))));
  jpeg = fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (jpeg);
  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, jpeg, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  kept = gdk_pixbuf_loader_get_pixbuf (loader);
  g_assert_cmpint (MAX (gdk_pixbuf_get_width (kept), gdk_pixbuf_get_height (kept)), <=,
                   FL_CARD_PHOTO_MAX_SIDE);

  /* Fields read with low confidence are marked. */
  for (FlField field = 0; field < FL_N_FIELDS; field++)
    if (_fl_lead_page_get_field_unsure (page, field))
      {
        GtkWidget *row = GTK_WIDGET (_fl_lead_page_get_field (page, field));

        unsure++;
        g_assert_true (gtk_widget_has_css_class (row, "warning"));
        g_assert_true (gtk_widget_get_visible (_fl_lead_page_get_unsure_icon (page, field)));
      }
  g_test_message ("%u fields of the rendered card marked for checking", unsure);
  g_assert_cmpint (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_card_hint (page))), ==,
                   unsure > 0);
  g_assert_false (_fl_lead_page_get_field_unsure (page, FL_FIELD_EMAIL));

  /* How sure OCR is varies with fonts and noise; a reading with a known
   * low confidence shows the marks and how an edit clears them. */
  {
    g_autoptr(FlCardResult) unsure_read = fl_card_result_new ();
    GdkPaintable *photo = gtk_picture_get_paintable (_fl_lead_page_get_card_picture (page));
    GtkEditable *company = _fl_lead_page_get_field (page, FL_FIELD_COMPANY);
    GtkEditable *city = _fl_lead_page_get_field (page, FL_FIELD_CITY);
    int position = 0;

    fl_card_result_set_field (unsure_read, FL_FIELD_COMPANY, gtk_editable_get_text (company), 0.41);
    fl_card_result_set_field (unsure_read, FL_FIELD_CITY, gtk_editable_get_text (city), 0.55);
    fl_card_result_set_field (unsure_read, FL_FIELD_EMAIL, "j.mueller@nordwind-logistik.de", 0.97);
    fl_lead_page_show_card (page, photo, unsure_read);
    g_assert_true (_fl_lead_page_get_field_unsure (page, FL_FIELD_COMPANY));
    g_assert_true (_fl_lead_page_get_field_unsure (page, FL_FIELD_CITY));
    g_assert_false (_fl_lead_page_get_field_unsure (page, FL_FIELD_EMAIL));
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (company), "warning"));
    /* A touch screen shows no tooltips: the mark and the hint are seen. */
    g_assert_true (gtk_widget_get_mapped (_fl_lead_page_get_unsure_icon (page, FL_FIELD_COMPANY)));
    g_assert_cmpstr (gtk_widget_get_tooltip_text (_fl_lead_page_get_unsure_icon (page, FL_FIELD_COMPANY)),
                     ==, "Please check: read from the card with low confidence");
    g_assert_false (gtk_widget_get_visible (_fl_lead_page_get_unsure_icon (page, FL_FIELD_EMAIL)));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_card_hint (page))));
    check_screenshot (GTK_WIDGET (fixture->window), "lead-page-card");

    /* Staff correct the company: its mark goes, the city's stays. */
    gtk_editable_delete_text (company, 0, -1);
    gtk_editable_insert_text (company, "Nordwind Logistik GmbH & Co. KG", -1, &position);
    g_assert_false (_fl_lead_page_get_field_unsure (page, FL_FIELD_COMPANY));
    g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (company), "warning"));
    g_assert_false (gtk_widget_get_visible (_fl_lead_page_get_unsure_icon (page, FL_FIELD_COMPANY)));
    g_assert_true (_fl_lead_page_get_field_unsure (page, FL_FIELD_CITY));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_card_hint (page))));
    g_assert_cmpstr (fl_lead_get_field (fl_lead_page_get_lead (page), FL_FIELD_COMPANY), ==,
                     "Nordwind Logistik GmbH & Co. KG");
  }

  /* Back at rest, nothing of the card is left on the page. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.close", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  g_assert_null (gtk_picture_get_paintable (_fl_lead_page_get_card_picture (page)));
  collect_texts (GTK_WIDGET (page), texts);
  g_assert_null (strstr (texts->str, "Müller"));
  g_assert_false (_fl_lead_page_get_field_unsure (page, FL_FIELD_CITY));
  g_assert_false (gtk_widget_get_visible (_fl_lead_page_get_unsure_icon (page, FL_FIELD_CITY)));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_card_hint (page))));

  /* Cancel leaves the kiosk as it was: no new lead, the button back. */
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while ((fl_camera_get_state (fl_scan_page_get_camera (scan_page)) != FL_CAMERA_STATE_RUNNING ||
            fl_camera_get_preview (fl_scan_page_get_camera (scan_page)) == NULL) &&
           g_get_monotonic_time () < until)
      fl_gui_test_iterate ();
  }
  /* The engine is warm now: a read takes well under a second, so Cancel
   * comes at once, before the read can finish. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (scan_page), "scan.business-card", NULL));
  g_assert_true (fl_scan_page_get_reading (scan_page));
  g_assert_false (gtk_widget_is_sensitive (_fl_scan_page_get_card_button (scan_page)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.cancel-card", NULL));
  g_assert_false (fl_scan_page_get_reading (scan_page));
  g_assert_true (gtk_widget_is_sensitive (_fl_scan_page_get_card_button (scan_page)));
  fl_gui_test_settle (1500);
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");

  /* The reading state, held for the picture. */
  fl_scan_page_set_reading (scan_page, TRUE);
  check_screenshot (GTK_WIDGET (fixture->window), "scan-page-reading-card");
  fl_scan_page_set_reading (scan_page, FALSE);
  fl_scan_page_set_camera_source (scan_page, NULL);
}

/* The whole scan page, lead count included, fits a 1024×600 kiosk screen
 * and a portrait one without scrolling; a roomier screen gets the roomy
 * layout back. (The test's X screen is 1280×800: larger sizes cannot be
 * checked here.) */
static void
test_small_screen (Fixture *fixture, gconstpointer data)
{
  FlScanPage *scan_page = _fl_window_get_scan_page (fixture->window);
  GtkWidget *count = _fl_scan_page_get_lead_count_label (scan_page);
  GtkWidget *window = GTK_WIDGET (fixture->window);
  const struct { int width, height; gboolean compact; } sizes[] = {
    { 1024, 600, TRUE }, { 1024, 768, FALSE }, { 1280, 600, TRUE }, { 600, 800, FALSE },
    { 1280, 800, FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      graphene_rect_t bounds;
      gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

      gtk_window_set_default_size (GTK_WINDOW (fixture->window), sizes[i].width, sizes[i].height);
      /* The window's widget is the size less its shadow and border. */
      while ((ABS (gtk_widget_get_height (window) - sizes[i].height) > 20 ||
              gtk_widget_has_css_class (GTK_WIDGET (scan_page), "compact") != sizes[i].compact) &&
             g_get_monotonic_time () < deadline)
        fl_gui_test_iterate ();
      fl_gui_test_settle (200);
      g_assert_cmpint (ABS (gtk_widget_get_height (window) - sizes[i].height), <=, 20);
      g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (scan_page), "compact"), ==, sizes[i].compact);
      g_assert_true (gtk_widget_compute_bounds (count, window, &bounds));
      g_test_message ("%dx%d: lead count from y %.0f to %.0f of %d", sizes[i].width, sizes[i].height,
                      bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (window));
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
    }
}

/* The colour of @texture around a point given in millimetres of an
 * 85 × 55 mm card that fills it, averaged over a few pixels: R G B. */
static void
card_colour_at (GdkTexture *texture, double x_mm, double y_mm, double rgb[3])
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  g_autofree guint8 *pixels = g_malloc ((gsize) width * height * 4);
  int cx = (int) (x_mm / 85.0 * width), cy = (int) (y_mm / 55.0 * height);
  guint n = 0;

  /* GDK_MEMORY_DEFAULT: B G R A in memory on little-endian machines. */
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  rgb[0] = rgb[1] = rgb[2] = 0;
  for (int y = MAX (0, cy - 2); y <= MIN (height - 1, cy + 2); y++)
    for (int x = MAX (0, cx - 2); x <= MIN (width - 1, cx + 2); x++, n++)
      {
        const guint8 *p = pixels + ((gsize) y * width + x) * 4;

        rgb[0] += p[2];
        rgb[1] += p[1];
        rgb[2] += p[0];
      }
  for (int c = 0; c < 3; c++)
    rgb[c] /= MAX (1u, n);
}

/* A phone photo of a card on a desk, held upright: the lead page shows
 * the card cropped and straightened (landscape, card-shaped), not the
 * portrait photo with the desk around it (issue 21), and in colour: the
 * red logo on the card is red on the screen, the paper white. */
static void
test_business_card_photo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) specs = card_specs_load (&error);
  g_autofree char *path = g_build_filename (fixture->tmpdir, "desk.jpg", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CardImage) photo = NULL;
  g_autoptr(GBytes) jpeg = NULL;
  FlScanPage *scan_page = _fl_window_get_scan_page (fixture->window);
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  CardPhotoParams params;
  GdkPaintable *shown;
  JsonObject *spec = NULL;
  double ratio;

  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (specs); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (specs, i), "id"),
                   "en-us-suite") == 0)
      spec = json_array_get_object_element (specs, i);
  g_assert_nonnull (spec);
  card_photo_params_random (&params, 2101, FALSE, FALSE);
  params.width = 1080;
  params.height = 1920;
  params.fill = 0.85;
  params.keystone = 0.1;
  params.rotate = 8;
  /* A red logo in the card's empty bottom right corner. */
  params.logo_mm[0] = 64;
  params.logo_mm[1] = 34;
  params.logo_mm[2] = 14;
  params.logo_mm[3] = 14;
  params.logo_rgb[0] = 200;
  params.logo_rgb[1] = 30;
  params.logo_rgb[2] = 30;
  photo = card_photo_render (spec, &params, &jpeg);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                                      &error));
  g_assert_no_error (error);

  fl_scan_page_set_camera_source (scan_page, "no-such-gstreamer-element-xyz");
  fl_gui_test_settle (200);
  _fl_scan_page_card_file_chosen (scan_page, file);
  wait_for_card_lead (fixture, FL_SOURCE_CARD_OCR, g_get_monotonic_time ());
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL)), ==,
                   "daniel.ortega@harborfreightsys.com");
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_CITY)), ==,
                   "San Francisco");

  shown = gtk_picture_get_paintable (_fl_lead_page_get_card_picture (page));
  g_assert_nonnull (shown);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_fl_lead_page_get_card_picture (page))));
  ratio = gdk_paintable_get_intrinsic_aspect_ratio (shown);
  g_test_message ("shown %d × %d", gdk_paintable_get_intrinsic_width (shown),
                  gdk_paintable_get_intrinsic_height (shown));
  /* 85 × 55 mm is 1.55; the photo is 0.56. */
  g_assert_cmpfloat (ratio, >, 1.4);
  g_assert_cmpfloat (ratio, <, 1.7);

  /* In colour: the logo's middle is red, the paper beside it white. */
  g_assert_true (GDK_IS_TEXTURE (shown));
  {
    double logo[3], paper[3];

    card_colour_at (GDK_TEXTURE (shown), 71, 41, logo);
    card_colour_at (GDK_TEXTURE (shown), 45, 50, paper);
    g_test_message ("logo %.0f %.0f %.0f, paper %.0f %.0f %.0f", logo[0], logo[1], logo[2],
                    paper[0], paper[1], paper[2]);
    g_assert_cmpfloat (logo[0], >, 120);
    g_assert_cmpfloat (logo[0], >, 2.5 * logo[1]);
    g_assert_cmpfloat (logo[0], >, 2.5 * logo[2]);
    g_assert_cmpfloat (paper[1], >, 150);
    g_assert_cmpfloat (fabs (paper[0] - paper[2]), <, 30);
  }
  check_screenshot (GTK_WIDGET (fixture->window), "lead-page-card-photo");
}

/* Without a camera the button opens a photo from a file; a QR code on the
 * card wins over OCR, and a second card of the same visitor makes no
 * second lead. */
static void
test_business_card_file (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *png = render_card (fixture, "de-hafen", vcard);
  g_autoptr(GFile) file = g_file_new_for_path (png);
  g_autoptr(GFile) missing = g_file_new_build_filename (fixture->tmpdir, "no-such-card.jpg", NULL);
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(FlLead) stored = NULL;
  FlScanPage *scan_page = _fl_window_get_scan_page (fixture->window);
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  FlLead *lead;
  gint64 pressed;

  /* No camera: the button is there for a photo taken with a phone. */
  fl_scan_page_set_camera_source (scan_page, "no-such-gstreamer-element-xyz");
  fl_gui_test_settle (500);
  g_assert_true (gtk_widget_is_sensitive (_fl_scan_page_get_card_button (scan_page)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (_fl_scan_page_get_card_button (scan_page)),
                            "photo"));

  /* A file that is no photo says so and captures nothing. */
  _fl_scan_page_card_file_chosen (scan_page, missing);
  g_assert_true (fl_scan_page_get_reading (scan_page));
  {
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (fl_scan_page_get_reading (scan_page) && g_get_monotonic_time () < deadline)
      fl_gui_test_iterate ();
  }
  g_assert_false (fl_scan_page_get_reading (scan_page));
  g_assert_nonnull (_fl_window_get_toast (fixture->window));
  g_assert_nonnull (strstr (adw_toast_get_title (_fl_window_get_toast (fixture->window)),
                            "no-such-card.jpg"));
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "scan");

  pressed = g_get_monotonic_time ();
  _fl_scan_page_card_file_chosen (scan_page, file);
  lead = wait_for_card_lead (fixture, FL_SOURCE_CARD_QR, pressed);
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_EMAIL)), ==,
                   "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_raw_payload (lead), ==, vcard);
  g_assert_nonnull (gtk_picture_get_paintable (_fl_lead_page_get_card_picture (page)));
  for (FlField field = 0; field < FL_N_FIELDS; field++)
    g_assert_false (_fl_lead_page_get_field_unsure (page, field));
  jpeg = fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (jpeg);

  /* The same visitor's card again: de-duplicated into the first lead. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.close", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  pressed = g_get_monotonic_time ();
  _fl_scan_page_card_file_chosen (scan_page, file);
  wait_for_card_lead (fixture, FL_SOURCE_CARD_QR, pressed);
  g_assert_true (gtk_revealer_get_reveal_child (_fl_lead_page_get_welcome (page)));
  stored = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_uuid (stored), ==, fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  fl_scan_page_set_camera_source (scan_page, NULL);
}

int
main (int argc, char *argv[])
{
  if (fl_gui_test_no_display (&argc, &argv, "/gui/kiosk/no-display"))
    return g_test_run ();

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fl_gui_test_park_pointer ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/kiosk/wedge-vcard", test_wedge_vcard);
  ADD ("/gui/kiosk/typing-passes-through", test_typing_passes_through);
  ADD ("/gui/kiosk/typing-while-busy", test_typing_while_busy);
  ADD ("/gui/kiosk/scan-while-busy", test_scan_while_busy);
  ADD ("/gui/kiosk/no-crm", test_no_crm);
  ADD ("/gui/kiosk/upload-now-beside-worker", test_upload_now_beside_worker);
  ADD ("/gui/kiosk/repeat-visit", test_repeat_visit);
  ADD ("/gui/kiosk/answers-done", test_answers_done);
  ADD ("/gui/kiosk/idle-timeout", test_idle_timeout);
  ADD ("/gui/kiosk/discard", test_discard);
  ADD ("/gui/kiosk/manual-entry", test_manual_entry);
  ADD ("/gui/kiosk/notes-limit", test_notes_limit);
  ADD ("/gui/kiosk/staff", test_staff);
  ADD ("/gui/kiosk/back-office", test_back_office);
  ADD ("/gui/kiosk/camera", test_camera);
  ADD ("/gui/kiosk/business-card", test_business_card);
  ADD ("/gui/kiosk/business-card-file", test_business_card_file);
  ADD ("/gui/kiosk/business-card-photo", test_business_card_photo);
  ADD ("/gui/kiosk/small-screen", test_small_screen);
#undef ADD

  return g_test_run ();
}
