/* fl-gui-test.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fl-gui-test.h"

#include <X11/Xlib.h>
#include <stdio.h>

#include "../fl-test.h"

#include "fl-back-office.h"
#include "fl-back-office-private.h"
#include "fl-lead-page-private.h"
#include "fl-window-private.h"

static void
test_no_display (void)
{
  g_test_skip ("No display: run the GUI tests under xvfb-run -a");
}

/* Without a display, sets up a test run of one skipped test at
 * @skip_path and returns TRUE: main() then returns g_test_run(). */
gboolean
fl_gui_test_no_display (int *argc, char ***argv, const char *skip_path)
{
  if (g_getenv ("DISPLAY") != NULL || g_getenv ("WAYLAND_DISPLAY") != NULL)
    return FALSE;
  g_test_init (argc, argv, NULL);
  g_test_add_func (skip_path, test_no_display);
  return TRUE;
}

/* Xvfb starts with the pointer in the middle of the screen, over the
 * window under test, and other test processes' windows come and go above
 * it: GTK then starts hover timers (tooltips) no test asked for, and GTK
 * 4.8 can trip over them. The pointer goes to the screen's far corner,
 * clear of every window a test opens (1024×700 at most). On a connection
 * of its own: requests made on GDK's behind its back upset its X error
 * traps. */
void
fl_gui_test_park_pointer (void)
{
  Display *xdisplay = XOpenDisplay (NULL);
  int screen;

  if (xdisplay == NULL)
    return;
  screen = DefaultScreen (xdisplay);
  XWarpPointer (xdisplay, None, RootWindow (xdisplay, screen), 0, 0, 0, 0,
                DisplayWidth (xdisplay, screen) - 1, DisplayHeight (xdisplay, screen) - 1);
  XSync (xdisplay, False);
  XCloseDisplay (xdisplay);
}

/* One turn of the main loop, or a millisecond's nap when nothing is due. */
void
fl_gui_test_iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

/* Runs the main loop for @ms milliseconds. */
void
fl_gui_test_settle (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
}

/* Waits up to @seconds for the window to show the page @name, mapped. */
void
fl_gui_test_wait_for_page (FlWindow *window, const char *name, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  GtkWidget *page = _fl_window_get_page (window, name);

  while ((g_strcmp0 (fl_window_get_visible_page (window), name) != 0 ||
          !gtk_widget_get_mapped (page)) && g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, name);
  g_assert_true (gtk_widget_get_mapped (page));
}

/* A scanner burst, as the window's capture-phase key controller gets it:
 * every key within a millisecond or two of the last, '\n' as Return. */
void
fl_gui_test_scan_burst (FlWindow *window, const char *text)
{
  GListModel *controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  GtkEventController *wedge = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (controllers) && wedge == NULL; i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (g_strcmp0 (gtk_event_controller_get_name (controller), "fl-wedge") == 0)
        wedge = controller;
    }
  g_object_unref (controllers);
  g_assert_nonnull (wedge);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean handled = FALSE;

      g_signal_emit_by_name (wedge, "key-pressed", c == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval (c),
                             0, 0, &handled);
    }
}

/* Scans and waits for the lead page to show the lead of this scan.
 * Returns the milliseconds from the burst's last key to the lead page
 * mapped with the lead committed. */
double
fl_gui_test_scan (FlWindow *window, const char *text)
{
  FlLeadPage *page = _fl_window_get_lead_page (window);
  FlLead *open = fl_lead_page_get_lead (page);
  g_autofree char *before = open ? g_strdup (fl_lead_get_uuid (open)) : NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  gint64 burst_end;
  double elapsed;

  fl_gui_test_scan_burst (window, text);
  burst_end = g_get_monotonic_time ();
  while ((fl_lead_page_get_lead (page) == NULL ||
          g_strcmp0 (fl_lead_get_uuid (fl_lead_page_get_lead (page)), before) == 0) &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  fl_gui_test_wait_for_page (window, "lead", 5);
  elapsed = (g_get_monotonic_time () - burst_end) / 1000.0;
  fl_gui_test_settle (50);
  return elapsed;
}

/* Renders @widget as the screen shows it, once the main loop has run
 * @settle_ms (a page stack's crossfade, say). */
GdkTexture *
fl_gui_test_render (GtkWidget *widget, guint settle_ms)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  fl_gui_test_settle (settle_ms);
  /* The window draws what changed at its next frame. */
  for (guint tries = 0; node == NULL && tries < 50; tries++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      fl_gui_test_settle (100);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* All the text of @view's buffer. */
char *
fl_gui_test_text_view_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* Types the PIN the GUI tests give their staff (2468) into the locked
 * back office and unlocks it. */
void
fl_gui_test_enter_pin (GtkWidget *back_office)
{
  FlPinPage *pin_page = _fl_back_office_get_pin_page (FL_BACK_OFFICE (back_office));

  gtk_editable_set_text (_fl_pin_page_get_pin_entry (pin_page), "2468");
  g_signal_emit_by_name (_fl_pin_page_get_unlock_button (pin_page), "clicked");
  fl_gui_test_settle (300);
}

/* A tap on a toggle or check button: the button's own activation, which
 * toggles when its press animation ends. */
void
fl_gui_test_tap (gpointer widget)
{
  gboolean before;
  gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

  g_assert_nonnull (widget);
  before = GTK_IS_TOGGLE_BUTTON (widget) ? gtk_toggle_button_get_active (widget)
                                         : gtk_check_button_get_active (widget);
  gtk_widget_activate (widget);
  while ((GTK_IS_TOGGLE_BUTTON (widget) ? gtk_toggle_button_get_active (widget)
                                        : gtk_check_button_get_active (widget)) == before &&
         g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
}

/* The one lead whose search matches @email. */
FlLead *
fl_gui_test_find_lead (FlStore *store, const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  FlLeadQuery query = { .search = email };

  leads = fl_store_list_leads (store, &query, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (leads->len, ==, 1);
  return g_object_ref (g_ptr_array_index (leads, 0));
}

gint64
fl_gui_test_count_leads (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  FlLeadQuery query = { 0 };
  gint64 count = fl_store_count_leads (store, &query, &error);

  g_assert_no_error (error);
  return count;
}

/* Makes the fixture's temporary directory, points the demo database into
 * it and registers a new application; the window is the caller's. Returns
 * the demo database's path. */
char *
fl_gui_test_fixture_start (FlGuiTestFixture *fixture, const char *tmpdir_template)
{
  g_autoptr(GError) error = NULL;
  char *demo_db;

  fixture->tmpdir = g_dir_make_tmp (tmpdir_template, &error);
  g_assert_no_error (error);
  demo_db = g_build_filename (fixture->tmpdir, "demo.db", NULL);
  g_setenv ("FAIRLEAD_DEMO_DB", demo_db, TRUE);

  fixture->app = fl_application_new ();
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  return demo_db;
}

void
fl_gui_test_fixture_tear_down (FlGuiTestFixture *fixture, gconstpointer data)
{
  GList *windows;

  g_clear_object (&fixture->store);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (windows->data);
  fl_gui_test_settle (100);
  g_clear_object (&fixture->app);
  fl_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

/* @width × @height, unless FAIRLEAD_SCREENSHOT_SIZE (say 1024x600) asks
 * for another. */
void
fl_gui_test_size_window (FlWindow *window, int width, int height)
{
  if (g_getenv ("FAIRLEAD_SCREENSHOT_SIZE") != NULL)
    sscanf (g_getenv ("FAIRLEAD_SCREENSHOT_SIZE"), "%dx%d", &width, &height);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
}
