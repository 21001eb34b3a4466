/* test-fit.c: every page of the kiosk and the back office on small screens
 *
 * The real kiosk window on the demo database, sized as a 1024×600 or an
 * 800×480 screen, in English or (with LANGUAGE=de) in German: every page,
 * the back office behind its PIN, its settings and the connector dialog
 * must fit, with every button and entry inside the window. Then the PIN
 * page's focus and keypad, the size of touch targets, and a connector
 * save that fails.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-application.h"
#include "fl-back-office.h"
#include "fl-back-office-private.h"
#include "fl-connector-dialog.h"
#include "fl-dashboard.h"
#include "fl-lead-detail.h"
#include "fl-leads-page.h"
#include "fl-lead-page-private.h"
#include "fl-pin-page.h"
#include "fl-preferences-window.h"
#include "fl-window-private.h"
#include "fl-application.h"
#include "fl-staff-picker.h"
#include "fl-thanks-page.h"
#include "scan/fl-camera-device.h"
#include "scan/fl-decoder.h"
#include "store/fl-staff.h"

#define STAFF_PIN "2468"
/* A finger at arm's length: the kiosk's smallest target. */
#define MIN_TARGET 44

typedef struct
{
  char          *tmpdir;
  FlApplication *app;
  FlWindow      *window;
  FlStore       *store;
} Fixture;

typedef struct
{
  int      width, height;
  gboolean no_staff;   /* the back office's first run */
} Size;

static const Size size_1024 = { 1024, 600, FALSE };
static const Size size_800 = { 800, 480, FALSE };
static const Size size_800_first_run = { 800, 480, TRUE };


static const char vcard[] =
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "N:Schwarzenberger-Kleinschmidt;Maximiliane;;;\n"
  "FN:Maximiliane Schwarzenberger-Kleinschmidt\n"
  "ORG:Vereinigte Feinmechanik und Verpackungsmaschinenbau GmbH\n"
  "TITLE:Leiterin Produktionsplanung\n"
  "EMAIL:maximiliane.schwarzenberger@feinmechanik-verpackung.example\n"
  "TEL:+49 711 1234567\n"
  "END:VCARD\n";

static void
iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (1000);
}

static void
settle (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    iterate ();
}

static void
wait_for_page (FlWindow *window, const char *name, guint seconds)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;
  GtkWidget *page = _fl_window_get_page (window, name);

  while ((g_strcmp0 (fl_window_get_visible_page (window), name) != 0 ||
          !gtk_widget_get_mapped (page)) && g_get_monotonic_time () < deadline)
    iterate ();
  g_assert_cmpstr (fl_window_get_visible_page (window), ==, name);
  g_assert_true (gtk_widget_get_mapped (page));
}

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

static void
scan (Fixture *fixture, const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      press_key (fixture->window, c == '\n' ? GDK_KEY_Return : gdk_unicode_to_keyval (c));
    }
  wait_for_page (fixture->window, "lead", 10);
  settle (200);
}

/* Waits until @window has taken the size asked for. */
static void
wait_for_size (GtkWidget *window, int width, int height)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while ((ABS (gtk_widget_get_width (window) - width) > 20 || ABS (gtk_widget_get_height (window) - height) > 20) &&
         g_get_monotonic_time () < deadline)
    iterate ();
  settle (200);
}

static GtkWidget *
find_css_class (GtkWidget *widget, const char *name)
{
  if (gtk_widget_has_css_class (widget, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_css_class (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* @widget wholly on the screen, without scrolling to it. */
static void
check_in_sight (GtkWidget *window, GtkWidget *widget, const char *what)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_true (gtk_widget_compute_bounds (widget, window, &bounds));
  g_test_message ("%s: %.0f,%.0f to %.0f,%.0f of %d×%d", what, bounds.origin.x, bounds.origin.y,
                  bounds.origin.x + bounds.size.width, bounds.origin.y + bounds.size.height,
                  gtk_widget_get_width (window), gtk_widget_get_height (window));
  g_assert_cmpfloat (bounds.origin.y, >=, 0);
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (window));
  if (scrolled != NULL)
    {
      GtkAdjustment *down = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

      g_test_message ("%s: %.0f px to scroll in %.0f px", what, gtk_adjustment_get_upper (down),
                      gtk_adjustment_get_page_size (down));
      g_assert_true (gtk_widget_compute_bounds (widget, scrolled, &bounds));
      g_assert_cmpfloat (bounds.origin.y, >=, 0);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (scrolled));
    }
}

/* What @widget draws, as a phone's camera would see it: decoded. */
static char *
decode_widget (GtkWidget *widget, const char *dir)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(FlDecoder) decoder = fl_decoder_new ();
  g_autoptr(GPtrArray) symbols = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (dir, "qr.png", NULL);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  symbols = fl_decoder_decode_file (decoder, path, &error);
  g_assert_no_error (error);
  if (symbols == NULL || symbols->len == 0)
    return NULL;
  return g_strdup (((FlSymbol *) symbols->pdata[0])->data);
}

static gboolean
is_target (GtkWidget *widget)
{
  return GTK_IS_BUTTON (widget) || GTK_IS_MENU_BUTTON (widget) || GTK_IS_DROP_DOWN (widget) ||
         GTK_IS_CHECK_BUTTON (widget) || GTK_IS_SWITCH (widget) || GTK_IS_ENTRY (widget) ||
         GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_PASSWORD_ENTRY (widget) || GTK_IS_SPIN_BUTTON (widget) ||
         ADW_IS_ENTRY_ROW (widget) || ADW_IS_COMBO_ROW (widget);
}

static const char *
describe (GtkWidget *widget)
{
  static char text[256];
  const char *label = NULL;

  if (GTK_IS_BUTTON (widget))
    label = gtk_button_get_label (GTK_BUTTON (widget));
  if (label == NULL && ADW_IS_PREFERENCES_ROW (widget))
    label = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));
  if (label == NULL)
    label = gtk_widget_get_tooltip_text (widget);
  g_snprintf (text, sizeof text, "%s \"%s\"", G_OBJECT_TYPE_NAME (widget), label ? label : "");
  return text;
}

/* Every button and entry that shows is inside @root: fully, or, in a
 * scrolled window, across (a page may scroll down, never sideways out of
 * sight). Returns how many it looked at. */
static guint
check_inside (GtkWidget *root, GtkWidget *widget, const char *where)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_opacity (widget) == 0)
    return 0;
  if (widget != root && GTK_IS_NATIVE (widget))
    return 0;
  if (is_target (widget))
    {
      graphene_rect_t bounds;
      GtkWidget *scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
      gboolean vertical_too = scrolled == NULL || !gtk_widget_is_ancestor (scrolled, root);
      double right, bottom;

      g_assert_true (gtk_widget_compute_bounds (widget, root, &bounds));
      right = bounds.origin.x + bounds.size.width;
      bottom = bounds.origin.y + bounds.size.height;
      if (bounds.origin.x < -1 || right > gtk_widget_get_width (root) + 1 ||
          (vertical_too && (bounds.origin.y < -1 || bottom > gtk_widget_get_height (root) + 1)))
        g_error ("%s: %s at %.0f,%.0f–%.0f,%.0f is outside %d×%d", where, describe (widget), bounds.origin.x,
                 bounds.origin.y, right, bottom, gtk_widget_get_width (root), gtk_widget_get_height (root));
      n++;
      if (!GTK_IS_SEARCH_ENTRY (widget) && !GTK_IS_ENTRY (widget))
        return n;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += check_inside (root, child, where);
  return n;
}

/* What makes a window too wide: each widget at least @limit wide whose
 * parent is wider by more than its own siblings. */
static void
print_wide (GtkWidget *widget, GtkOrientation orientation, int limit, int depth)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      int min;

      gtk_widget_measure (child, orientation,
                          orientation == GTK_ORIENTATION_VERTICAL && gtk_widget_get_width (child) > 0
                            ? gtk_widget_get_width (child) : -1, &min, NULL, NULL, NULL);
      if (min < limit && !GTK_IS_STACK (widget))
        continue;
      g_test_message ("%*s%s %d", depth * 2, "", describe (child), min);
      print_wide (child, orientation, limit, depth + 1);
    }
}

/* Saves what @widget shows as DIR/NAME-WxH-LANGUAGE.png when
 * FAIRLEAD_SCREENSHOT_DIR is set, for a person to look at. */
static void
screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("FAIRLEAD_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width = gtk_widget_get_width (widget), height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;
  settle (300);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s-%dx%d-%s.png", dir, name, width, height,
                          g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en");
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
  /* The screen as the X server shows it, window frame and all, on an Xvfb
   * screen of the size under test (tests/gui/screenshot-fit.sh). */
  if (g_getenv ("FAIRLEAD_SCREENSHOT_ROOT") != NULL)
    {
      g_autofree char *root = g_strdup_printf ("%s/screen-%s-%s.png", dir, name,
                                               g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "en");
      const char *argv[] = { "import", "-window", "root", root, NULL };
      g_autoptr(GError) error = NULL;
      int status;

      settle (500);
      if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error))
        g_test_message ("Cannot run import: %s", error->message);
      else
        g_test_message ("Saved %s", root);
    }
}

/* @window at the screen's size: its minimum fits the screen and every
 * target is in it. */
static void
check_fits (GtkWidget *window, const Size *size, const char *where)
{
  int min_width, min_height;
  guint n;

  gtk_widget_measure (window, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL, NULL, NULL);
  gtk_widget_measure (window, GTK_ORIENTATION_VERTICAL, size->width, &min_height, NULL, NULL, NULL);
  g_test_message ("%s at %d×%d: minimum %d×%d", where, size->width, size->height, min_width, min_height);
  if (min_width > size->width)
    print_wide (window, GTK_ORIENTATION_HORIZONTAL, size->width / 3, 0);
  if (min_height > size->height)
    print_wide (window, GTK_ORIENTATION_VERTICAL, size->height / 3, 0);
  if (min_width > size->width || min_height > size->height)
    g_error ("%s needs %d×%d, more than a %d×%d screen", where, min_width, min_height, size->width, size->height);
  n = check_inside (window, window, where);
  {
    g_autofree char *name = g_strdelimit (g_strdup (where), " ", '-');

    screenshot (window, name);
  }
  g_test_message ("%s: %u targets inside", where, n);
  g_assert_cmpuint (n, >, 0);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const Size *size = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_db = NULL;

  fixture->tmpdir = g_dir_make_tmp ("fairlead-fit-XXXXXX", &error);
  g_assert_no_error (error);
  demo_db = g_build_filename (fixture->tmpdir, "demo.db", NULL);
  g_setenv ("FAIRLEAD_DEMO_DB", demo_db, TRUE);

  fixture->app = fl_application_new ();
  g_application_register (G_APPLICATION (fixture->app), NULL, &error);
  g_assert_no_error (error);
  fixture->window = fl_application_open_database (fixture->app, NULL, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), size->width, size->height);
  wait_for_page (fixture->window, "scan", 10);
  wait_for_size (GTK_WIDGET (fixture->window), size->width, size->height);
  fixture->store = fl_store_open (demo_db, &error);
  g_assert_no_error (error);
  if (!size->no_staff)
    {
      g_assert_true (fl_staff_set (fixture->store, "Maximiliane Schwarzenberger", STAFF_PIN, &error));
      g_assert_no_error (error);
    }
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  GList *windows;

  g_clear_object (&fixture->store);
  while ((windows = gtk_application_get_windows (GTK_APPLICATION (fixture->app))) != NULL)
    gtk_window_destroy (windows->data);
  settle (100);
  g_clear_object (&fixture->app);
  fl_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
}

static FlBackOffice *
open_back_office (Fixture *fixture)
{
  GtkWidget *office;

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.back-office", NULL));
  wait_for_page (fixture->window, "back-office", 5);
  office = _fl_window_get_page (fixture->window, "back-office");
  g_assert_true (FL_IS_BACK_OFFICE (office));
  settle (200);
  return FL_BACK_OFFICE (office);
}

static void
unlock (FlBackOffice *office)
{
  FlPinPage *page = _fl_back_office_get_pin_page (office);
  AdwComboRow *row = _fl_pin_page_get_staff_row (page);
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Maximiliane Schwarzenberger"))
        adw_combo_row_set_selected (row, i);
    }
  gtk_editable_set_text (_fl_pin_page_get_pin_entry (page), STAFF_PIN);
  g_signal_emit_by_name (_fl_pin_page_get_unlock_button (page), "clicked");
  g_assert_false (fl_back_office_get_locked (office));
  settle (300);
}

/* A dialog of the kiosk on the same screen: its smallest size fits, and
 * at the screen's size everything is in it. */
static void
check_dialog_fits (GtkWindow *dialog, const Size *size, const char *where)
{
  int width, height;

  gtk_window_get_default_size (dialog, &width, &height);
  gtk_window_set_default_size (dialog, MIN (width, size->width), MIN (height, size->height));
  gtk_window_present (dialog);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!gtk_widget_get_mapped (GTK_WIDGET (dialog)) && g_get_monotonic_time () < deadline)
      iterate ();
  }
  settle (300);
  if (gtk_widget_get_width (GTK_WIDGET (dialog)) > size->width ||
      gtk_widget_get_height (GTK_WIDGET (dialog)) > size->height)
    g_error ("%s is %d×%d, larger than a %d×%d screen", where, gtk_widget_get_width (GTK_WIDGET (dialog)),
             gtk_widget_get_height (GTK_WIDGET (dialog)), size->width, size->height);
  check_fits (GTK_WIDGET (dialog), size, where);
}

/* Leads over three show days, 9:00 to 17:00 each: the hours chart then
 * has some thirty bars, a day's name among the hours. */
static void
make_show_days (Fixture *fixture)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);

  for (int day = 0; day < 3; day++)
    for (int hour = 9; hour < 18; hour++)
      {
        g_autoptr(FlLead) lead = fl_lead_new ();
        g_autoptr(GDateTime) local = g_date_time_add_hours (today, (day - 3) * 24 + hour);
        g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
        g_autofree char *at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
        g_autofree char *email = g_strdup_printf ("visitor%d-%d@example.de", day, hour);
        g_autoptr(GError) error = NULL;

        fl_lead_ensure_identity (lead);
        fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Besucher");
        fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
        fl_lead_set_created_at (lead, at);
        fl_lead_set_updated_at (lead, at);
        g_assert_true (fl_store_save_lead (fixture->store, lead, "Maximiliane Schwarzenberger", &error));
        g_assert_no_error (error);
      }
}

/* The labels under “Leads per Hour” as drawn: thinned out so that no two
 * touch (they read "15Thu 07" at 800×480), the days' names among them. */
static void
check_hour_labels (FlDashboard *dashboard, const Size *size)
{
  GPtrArray *texts = NULL;
  GArray *rects;
  guint n_days = 0;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  /* Drawn by a frame at this size. */
  while ((rects = _fl_dashboard_get_hour_label_rects (dashboard, &texts))->len == 0 &&
         g_get_monotonic_time () < deadline)
    iterate ();
  g_assert_cmpuint (rects->len, >, 0);
  for (guint i = 0; i < rects->len; i++)
    {
      const graphene_rect_t *a = &g_array_index (rects, graphene_rect_t, i);

      g_test_message ("hour label \"%s\" at %.0f–%.0f", (char *) texts->pdata[i], a->origin.x,
                      a->origin.x + a->size.width);
      n_days += strchr (texts->pdata[i], ' ') != NULL;
      g_assert_cmpfloat (a->origin.x, >=, 0);
      for (guint j = 0; j < i; j++)
        {
          const graphene_rect_t *b = &g_array_index (rects, graphene_rect_t, j);

          if (graphene_rect_intersection (a, b, NULL))
            g_error ("%d×%d: the hour labels \"%s\" and \"%s\" overlap", size->width, size->height,
                     (char *) texts->pdata[j], (char *) texts->pdata[i]);
        }
    }
  g_assert_cmpuint (n_days, >=, 3);
}

/* No label that shows under @widget has its text cut to "…": a row's
 * title or subtitle wraps instead ("Die Sprache des Sy…" on the Kiosk
 * page at 800×480 in German). Returns how many labels it looked at. */
static guint
check_uncut (GtkWidget *widget, const char *where)
{
  guint n = 0;

  if (!gtk_widget_get_mapped (widget) || gtk_widget_get_opacity (widget) == 0)
    return 0;
  if (GTK_IS_LABEL (widget))
    {
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (widget));

      if (pango_layout_is_ellipsized (layout))
        g_error ("%s: the label \"%s\" (%d px wide, in %s) is cut", where, gtk_label_get_text (GTK_LABEL (widget)),
                 gtk_widget_get_width (widget), describe (gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW)
                                                           ? gtk_widget_get_ancestor (widget, GTK_TYPE_LIST_BOX_ROW)
                                                           : gtk_widget_get_parent (widget)));
      return 1;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    n += check_uncut (child, where);
  return n;
}

static void
test_every_page (Fixture *fixture, gconstpointer data)
{
  const Size *size = data;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  FlLeadPage *lead_page = _fl_window_get_lead_page (fixture->window);
  FlBackOffice *office;
  FlLeadsPage *leads;
  FlPreferencesWindow *preferences;
  GtkColumnView *view;

  g_test_message ("LANGUAGE=%s: \"%s\"", g_getenv ("LANGUAGE"), _("Back Office"));
  check_fits (window, size, "scan page");
  /* The scan page needs no scrolling: its buttons and the lead count in sight. */
  {
    FlScanPage *scan_page = _fl_window_get_scan_page (fixture->window);
    GtkWidget *widgets[] = { _fl_scan_page_get_card_button (scan_page),
                             _fl_scan_page_get_lead_count_label (scan_page) };

    settle (300);
    for (guint i = 0; i < G_N_ELEMENTS (widgets); i++)
      {
        graphene_rect_t bounds;

        g_assert_true (gtk_widget_compute_bounds (widgets[i], window, &bounds));
        g_test_message ("scan page: %s from y %.0f to %.0f of %d", G_OBJECT_TYPE_NAME (widgets[i]),
                        bounds.origin.y, bounds.origin.y + bounds.size.height, gtk_widget_get_height (window));
        g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
      }
  }

  scan (fixture, vcard);
  /* Nobody named yet: the first scan asks who is at the booth, over the
   * lead page; the names are large buttons, all in sight. */
  {
    FlStaffPicker *picker = _fl_window_get_staff_picker (fixture->window);
    GtkButton *name;

    settle (200);
    g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (picker)));
    check_fits (window, size, "staff picker");
    name = _fl_staff_picker_get_name_button (picker, "Maximiliane Schwarzenberger");
    g_assert_nonnull (name);
    check_in_sight (window, GTK_WIDGET (name), "staff name");
    check_in_sight (window, GTK_WIDGET (_fl_staff_picker_get_add_button (picker)), "Add Staff Member");
    g_signal_emit_by_name (name, "clicked");
    settle (300);
    g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (picker)));
  }
  check_fits (window, size, "lead page");
  /* The long name takes two lines and 30 % of the width (it had 170 px of
   * 800) rather than being cut to a word. */
  {
    GtkLabel *name = _fl_lead_page_get_name (lead_page);
    PangoLayout *layout = gtk_label_get_layout (name);

    g_test_message ("lead name: %d px wide, %d lines, %s", gtk_widget_get_width (GTK_WIDGET (name)),
                    pango_layout_get_line_count (layout),
                    pango_layout_is_ellipsized (layout) ? "shortened" : "whole");
    for (GtkWidget *w = gtk_widget_get_first_child (gtk_widget_get_parent (gtk_widget_get_parent (GTK_WIDGET (name))));
         w != NULL; w = gtk_widget_get_next_sibling (w))
      g_test_message ("  beside it: %s %d px", describe (w), gtk_widget_get_width (w));
    g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (name)), >=, size->width * 3 / 10);
    /* A first visit: no welcome back banner, nor its room. */
    g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_lead_page_get_welcome (lead_page))));
    check_in_sight (window, GTK_WIDGET (_fl_lead_page_get_visitor_view (lead_page)), "Visitor View");
  }
  /* Turned to the visitor: what they answer and read, on the screen. */
  gtk_toggle_button_set_active (_fl_lead_page_get_visitor_view (lead_page), TRUE);
  settle (300);
  check_fits (window, size, "visitor view");
  check_in_sight (window, GTK_WIDGET (_fl_lead_page_get_visitor_view (lead_page)), "Visitor View, on");
  gtk_toggle_button_set_active (_fl_lead_page_get_visitor_view (lead_page), FALSE);
  settle (300);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (lead_page), "lead.done", NULL));
  wait_for_page (fixture->window, "thanks", 5);
  settle (200);
  check_fits (window, size, "thanks page");
  /* The QR code and the button in sight without scrolling, the code
   * large enough to scan. */
  {
    FlThanksPage *thanks = _fl_window_get_thanks_page (fixture->window);
    GtkWidget *qr = find_css_class (GTK_WIDGET (thanks), "qr-code");
    g_autofree char *read = NULL;

    g_assert_nonnull (qr);
    check_in_sight (window, qr, "QR code");
    check_in_sight (window, find_css_class (GTK_WIDGET (thanks), "suggested-action"), "Next Visitor");
    read = decode_widget (qr, fixture->tmpdir);
    g_test_message ("QR code of %d×%d px reads \"%s\"", gtk_widget_get_width (qr), gtk_widget_get_height (qr),
                    read ? read : "(nothing)");
    g_assert_cmpstr (read, ==, fl_thanks_page_get_link (thanks));
    /* In every language the visitor may read it in. */
    for (FlLanguage language = 0; language < FL_N_LANGUAGES; language++)
      {
        g_autoptr(FlLead) lead = fl_lead_new ();
        g_autofree char *where = g_strdup_printf ("thanks page in %s", fl_language_to_string (language));

        fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Maximiliane");
        fl_thanks_page_set_language (thanks, language);
        fl_thanks_page_show_lead (thanks, fixture->window->event, lead);
        settle (100);
        check_fits (window, size, where);
        check_in_sight (window, qr, where);
        check_in_sight (window, find_css_class (GTK_WIDGET (thanks), "suggested-action"), where);
      }
  }

  office = open_back_office (fixture);
  check_fits (window, size, "PIN page");
  /* The keypad whole on the screen, without scrolling. */
  {
    const char *keys[] = { "1", "0", "erase", "ok" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        GtkWidget *key = _fl_pin_page_get_keypad_key (_fl_back_office_get_pin_page (office), keys[i]);
        graphene_rect_t bounds;

        g_assert_true (gtk_widget_compute_bounds (key, window, &bounds));
        g_test_message ("key %s: y %.0f to %.0f of %d", keys[i], bounds.origin.y,
                        bounds.origin.y + bounds.size.height, gtk_widget_get_height (window));
        g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
        g_assert_cmpfloat (bounds.size.height, >=, MIN_TARGET);
      }
  }
  unlock (office);
  check_fits (window, size, "leads");

  /* A lead chosen: on a narrow screen its detail is a page of its own. */
  leads = _fl_back_office_get_leads_page (office);
  view = _fl_leads_page_get_column_view (leads);
  {
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))) == 0 &&
           g_get_monotonic_time () < deadline)
      iterate ();
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_column_view_get_model (view))), >, 0);
  /* The columns that do not fit are hidden, by priority, rather than
   * scrolled out of sight; name and status always show. */
  {
    GtkAdjustment *across = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (view));
    GListModel *columns = gtk_column_view_get_columns (view);
    guint n_shown = 0;

    settle (200);
    g_test_message ("list: %.0f px of columns in %.0f px", gtk_adjustment_get_upper (across),
                    gtk_adjustment_get_page_size (across));
    g_assert_cmpfloat (gtk_adjustment_get_upper (across), <=, gtk_adjustment_get_page_size (across) + 2);
    for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
      {
        g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

        n_shown += gtk_column_view_column_get_visible (column);
        if (i == 1 || i == 4)
          g_assert_true (gtk_column_view_column_get_visible (column));
      }
    g_test_message ("%u columns of %u shown", n_shown, g_list_model_get_n_items (columns));
  }
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  settle (400);
  check_fits (window, size, "lead detail");
  {
    AdwMessageDialog *dialog = _fl_lead_detail_open_override (_fl_leads_page_get_detail (leads));

    g_assert_nonnull (dialog);
    check_dialog_fits (GTK_WINDOW (dialog), size, "override dialog");
    gtk_window_destroy (GTK_WINDOW (dialog));
    settle (100);
  }

  make_show_days (fixture);
  _fl_back_office_show_view (office, "dashboard");
  fl_dashboard_reload (_fl_back_office_get_dashboard (office));
  settle (300);
  check_fits (window, size, "dashboard");
  check_hour_labels (_fl_back_office_get_dashboard (office), size);

  preferences = _fl_back_office_show_preferences (office);
  g_assert_nonnull (preferences);
  check_dialog_fits (GTK_WINDOW (preferences), size, "settings");
  for (guint i = 0; _fl_preferences_window_show_page (preferences, i); i++)
    {
      g_autofree char *where = g_strdup_printf ("settings page %u", i + 1);

      settle (200);
      check_fits (GTK_WIDGET (preferences), size, where);
      g_test_message ("%s: %u labels, none cut", where, check_uncut (GTK_WIDGET (preferences), where));
    }
  /* The last of them is the Booth page, in its "no booth" state. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (_fl_preferences_window_get_booth_page (preferences))));
  {
    AdwMessageDialog *dialog = _fl_preferences_window_add_connector (preferences);

    check_dialog_fits (GTK_WINDOW (dialog), size, "connector dialog");
    /* With room for it, the secret's field whole and its title uncut
     * (the dialog was 372 px wide with 200 px of fields at 1024×600). */
    if (size->height >= 600)
      {
        GtkWidget *secret = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG,
                                                                       "secret_row"));

        check_in_sight (GTK_WIDGET (dialog), secret, "secret field");
        g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (dialog)), >=, 440);
      }
    gtk_window_destroy (GTK_WINDOW (dialog));
  }
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle (100);
}

static gboolean
focus_is_in (GtkWidget *window, GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The PIN entry has the focus when the PIN page shows: typing the PIN
 * and Enter unlocks, instead of pressing the button that opened the page
 * (which went back to the kiosk). */
static void
test_pin_focus (Fixture *fixture, gconstpointer data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  FlBackOffice *office = open_back_office (fixture);
  FlPinPage *page = _fl_back_office_get_pin_page (office);
  GtkEditable *pin = _fl_pin_page_get_pin_entry (page);
  AdwComboRow *row = _fl_pin_page_get_staff_row (page);
  GListModel *model = adw_combo_row_get_model (row);
  GtkWidget *focus;

  g_assert_true (fl_back_office_get_locked (office));
  g_assert_true (focus_is_in (window, GTK_WIDGET (pin)));
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Maximiliane Schwarzenberger"))
        adw_combo_row_set_selected (row, i);
    }
  /* Typed as a keyboard types into the focused entry, then Enter. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), STAFF_PIN);
  g_assert_true (GTK_IS_TEXT (focus));
  g_signal_emit_by_name (focus, "activate");
  settle (100);
  g_assert_false (fl_back_office_get_locked (office));
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "back-office");

  /* Locked again: the focus is back in the PIN entry. */
  fl_back_office_lock (office);
  settle (300);
  g_assert_true (fl_back_office_get_locked (office));
  g_assert_true (focus_is_in (window, GTK_WIDGET (pin)));
}

static void
tap (GtkWidget *button)
{
  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
  settle (20);
}

/* A touch-only kiosk: the keypad types the PIN, erases and unlocks. */
static void
test_keypad (Fixture *fixture, gconstpointer data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  FlBackOffice *office = open_back_office (fixture);
  FlPinPage *page = _fl_back_office_get_pin_page (office);
  GtkEditable *pin = _fl_pin_page_get_pin_entry (page);
  AdwComboRow *row = _fl_pin_page_get_staff_row (page);
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);

      if (g_str_equal (gtk_string_object_get_string (item), "Maximiliane Schwarzenberger"))
        adw_combo_row_set_selected (row, i);
    }
  tap (_fl_pin_page_get_keypad_key (page, "2"));
  tap (_fl_pin_page_get_keypad_key (page, "4"));
  tap (_fl_pin_page_get_keypad_key (page, "9"));
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, "249");
  tap (_fl_pin_page_get_keypad_key (page, "erase"));
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, "24");
  /* The keys do not take the focus from the entry a keyboard types into. */
  g_assert_true (focus_is_in (window, GTK_WIDGET (pin)));
  tap (_fl_pin_page_get_keypad_key (page, "6"));
  tap (_fl_pin_page_get_keypad_key (page, "8"));
  g_assert_cmpstr (gtk_editable_get_text (pin), ==, STAFF_PIN);
  tap (_fl_pin_page_get_keypad_key (page, "ok"));
  g_assert_false (fl_back_office_get_locked (office));
}

static GtkWidget *
find_css_name (GtkWidget *widget, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_css_name (widget), name) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_css_name (child, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static int
min_height (GtkWidget *widget)
{
  int min;

  gtk_widget_measure (widget, GTK_ORIENTATION_VERTICAL, -1, &min, NULL, NULL, NULL);
  return min;
}

/* Every kiosk target a finger hits at arm's length: "Why this status?",
 * the consent check, the staff menu's rows, the header's buttons. */
static void
test_targets (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkWidget *why, *title, *consent, *popover;
  guint n_rows = 0;

  scan (fixture, vcard);
  why = find_css_name (GTK_WIDGET (page), "expander-widget");
  g_assert_nonnull (why);
  title = find_css_name (why, "title");
  g_assert_nonnull (title);
  g_test_message ("\"Why this status?\": %d px", min_height (title));
  g_assert_cmpint (min_height (title), >=, MIN_TARGET);

  consent = GTK_WIDGET (_fl_lead_page_get_consent (page));
  g_test_message ("consent: %d px, its box %d px", min_height (consent), min_height (find_css_name (consent, "check")));
  g_assert_cmpint (min_height (consent), >=, MIN_TARGET);

  gtk_menu_button_popup (fixture->window->staff_button);
  settle (300);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (fixture->window->staff_button));
  g_assert_true (gtk_widget_get_mapped (popover));
  for (GtkWidget *row = find_css_name (popover, "modelbutton"); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_css_name (row), "modelbutton") == 0 && gtk_widget_get_visible (row))
      {
        g_test_message ("staff row: %d px", min_height (row));
        g_assert_cmpint (min_height (row), >=, MIN_TARGET);
        n_rows++;
      }
  g_assert_cmpuint (n_rows, >, 0);
  gtk_menu_button_popdown (fixture->window->staff_button);
  g_test_message ("staff button: %d px", min_height (GTK_WIDGET (fixture->window->staff_button)));
  g_assert_cmpint (min_height (GTK_WIDGET (fixture->window->staff_button)), >=, MIN_TARGET);
}

static GtkWidget *
find_button (GtkWidget *widget, const char *label)
{
  if (GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0)
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A connector whose secret cannot be stored (no keyring: the tests run
 * without D-Bus, as the booth that reported it): the dialog stays open
 * with everything typed, the secret field marked and the whole message,
 * instead of a toast cut off at the window's edge. */
static void
test_connector_error (Fixture *fixture, gconstpointer data)
{
  const Size *size = data;
  FlBackOffice *office = open_back_office (fixture);
  FlPreferencesWindow *preferences;
  AdwMessageDialog *dialog;
  GtkWidget *secret, *error_label;
  const char *message;

  unlock (office);
  preferences = _fl_back_office_show_preferences (office);
  /* The settings on the screen, the dialog over them. */
  check_dialog_fits (GTK_WINDOW (preferences), size, "settings");
  dialog = _fl_preferences_window_add_connector (preferences);
  gtk_window_present (GTK_WINDOW (dialog));
  settle (300);
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, "name_row")),
                         "crm");
  gtk_editable_set_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, "url_row")),
                         "https://127.0.0.1:8443/hook");
  secret = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, "secret_row"));
  gtk_editable_set_text (GTK_EDITABLE (secret), "s3cret-signing-key");
  error_label = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, "error_label"));

  /* The Save button, as a finger presses it: the dialog closes first. */
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), _("_Save")), "clicked");
  settle (300);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors"), ==, 0);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (dialog)));
  g_assert_true (gtk_widget_get_mapped (error_label));
  message = gtk_label_get_label (GTK_LABEL (error_label));
  g_test_message ("shown: %s", message);
  /* Whole, to its last words: what to do instead. */
  g_assert_nonnull (strstr (message, "FAIRLEAD_SECRET_CRM"));
  g_assert_true (gtk_label_get_wrap (GTK_LABEL (error_label)));
  g_assert_true (gtk_widget_has_css_class (secret, "error"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (secret)), ==, "s3cret-signing-key");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG,
                                                                         "url_row"))), ==, "https://127.0.0.1:8443/hook");
  /* The whole message is in the dialog, and the dialog on the screen. */
  check_dialog_fits (GTK_WINDOW (dialog), size, "connector dialog with an error");
  {
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (error_label, GTK_WIDGET (dialog), &bounds));
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (dialog)));
  }

  /* Cancel closes it for good. */
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &dialog);
  g_signal_emit_by_name (find_button (GTK_WIDGET (dialog), _("_Cancel")), "clicked");
  settle (200);
  g_assert_null (dialog);
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle (100);
}

/* The camera is chosen from the cameras found, by name; one chosen before
 * and not plugged in now stays chosen and says so. Event days come from
 * a calendar. */
static void
test_pickers (Fixture *fixture, gconstpointer data)
{
  GSettings *settings = fl_application_get_settings (fixture->app);
  FlBackOffice *office = open_back_office (fixture);
  g_autoptr(GListStore) cameras = g_list_store_new (FL_TYPE_CAMERA_DEVICE);
  g_autoptr(FlCameraDevice) front = fl_camera_device_new ("Logitech BRIO", "v4l2src device=/dev/video0");
  g_autoptr(FlCameraDevice) back = fl_camera_device_new ("USB Document Camera", "v4l2src device=/dev/video2");
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 6, 24, 0, 0, 0);
  FlPreferencesWindow *preferences;
  FlKioskPage *kiosk;
  AdwComboRow *row;
  GListModel *model;
  GtkCalendar *calendar;

  g_settings_set_string (settings, "camera", "v4l2src device=/dev/video7");
  unlock (office);
  preferences = _fl_back_office_show_preferences (office);
  kiosk = _fl_preferences_window_get_kiosk_page (preferences);
  row = _fl_kiosk_page_get_camera_row (kiosk);
  model = adw_combo_row_get_model (row);
  g_list_store_append (cameras, front);
  g_list_store_append (cameras, back);
  _fl_kiosk_page_set_cameras (kiosk, G_LIST_MODEL (cameras));

  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 4);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "Logitech BRIO");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (row)), ==,
                   "v4l2src device=/dev/video7 (not connected)");
  adw_combo_row_set_selected (row, 2);
  g_assert_cmpstr (g_settings_get_string (settings, "camera"), ==, "v4l2src device=/dev/video2");
  adw_combo_row_set_selected (row, 0);
  g_assert_cmpstr (g_settings_get_string (settings, "camera"), ==, "");
  g_settings_set_string (settings, "camera", "v4l2src device=/dev/video0");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 1);

  calendar = _fl_preferences_window_get_event_calendar (preferences, 1);
  g_assert_nonnull (calendar);
  gtk_calendar_select_day (calendar, day);
  g_signal_emit_by_name (calendar, "day-selected");
  g_assert_cmpstr (gtk_editable_get_text (_fl_preferences_window_get_event_entry (preferences, 1)), ==, "2026-06-24");
  g_settings_reset (settings, "camera");
  gtk_window_destroy (GTK_WINDOW (preferences));
  settle (100);
}

/* The first run on the smallest screen: three fields, the keypad and the
 * button, all in sight; the keypad types into the PIN, then its repeat. */
static void
test_first_run (Fixture *fixture, gconstpointer data)
{
  const Size *size = data;
  GtkWidget *window = GTK_WIDGET (fixture->window);
  FlBackOffice *office = open_back_office (fixture);
  FlPinPage *page = _fl_back_office_get_pin_page (office);
  GtkEditable *name, *pin, *repeat;
  const char *keys[] = { "1", "3", "5", "7" };

  g_assert_true (fl_pin_page_get_first_run (page));
  _fl_pin_page_get_first_run_entries (page, &name, &pin, &repeat);
  g_assert_true (focus_is_in (window, GTK_WIDGET (name)));
  check_fits (window, size, "first-run PIN page");
  {
    GtkWidget *key = _fl_pin_page_get_keypad_key (page, "ok");
    graphene_rect_t bounds;

    g_assert_true (gtk_widget_compute_bounds (key, window, &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
    g_assert_true (gtk_widget_compute_bounds (_fl_pin_page_get_unlock_button (page), window, &bounds));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (window));
  }
  gtk_editable_set_text (name, "Lena");
  /* The PIN, OK, the PIN again, OK. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        tap (_fl_pin_page_get_keypad_key (page, keys[i]));
      g_assert_true (focus_is_in (window, GTK_WIDGET (round == 0 ? pin : repeat)));
      tap (_fl_pin_page_get_keypad_key (page, "ok"));
    }
  g_assert_cmpstr (gtk_editable_get_text (name), ==, "Lena");
  g_assert_false (fl_back_office_get_locked (office));
}

/* The widest border a render node draws: the focus ring is one. */
static float
widest_border (GskRenderNode *node)
{
  float widest = 0;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_BORDER_NODE:
      {
        const float *widths = gsk_border_node_get_widths (node);

        for (int i = 0; i < 4; i++)
          widest = MAX (widest, widths[i]);
      }
      break;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        widest = MAX (widest, widest_border (gsk_container_node_get_child (node, i)));
      break;
    case GSK_TRANSFORM_NODE:
      widest = widest_border (gsk_transform_node_get_child (node));
      break;
    case GSK_CLIP_NODE:
      widest = widest_border (gsk_clip_node_get_child (node));
      break;
    case GSK_ROUNDED_CLIP_NODE:
      widest = widest_border (gsk_rounded_clip_node_get_child (node));
      break;
    case GSK_OPACITY_NODE:
      widest = widest_border (gsk_opacity_node_get_child (node));
      break;
    case GSK_DEBUG_NODE:
      widest = widest_border (gsk_debug_node_get_child (node));
      break;
    default:
      break;
    }
  return widest;
}

static float
focus_ring_width (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot = gtk_snapshot_new ();

  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget), gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  return node ? widest_border (node) : 0;
}

/* The keyboard's focus is seen from a step away: a ring of 4 px around a
 * button of the kiosk, not the theme's faint 2 px line. */
static void
test_focus_ring (Fixture *fixture, gconstpointer data)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *button = GTK_WIDGET (fixture->window->back_office_button);
  float before, after;

  before = focus_ring_width (gtk_widget_get_parent (button));
  gtk_window_set_focus_visible (GTK_WINDOW (window), TRUE);
  gtk_widget_grab_focus (button);
  settle (300);
  g_assert_true (gtk_widget_has_focus (button));
  after = focus_ring_width (gtk_widget_get_parent (button));
  g_test_message ("widest border around the header's buttons: %.1f px unfocused, %.1f px focused", before, after);
  g_assert_cmpfloat (after, >=, 4);
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
      g_test_add_func ("/gui/fit/no-display", test_no_display);
      return g_test_run ();
    }

  /* LANGUAGE=de: the German of the build tree, as the kiosk shows it. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, FL_BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fl_gui_test_park_pointer ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

#define ADD(path, size, func) g_test_add (path, Fixture, size, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/fit/1024x600", &size_1024, test_every_page);
  ADD ("/gui/fit/800x480", &size_800, test_every_page);
  ADD ("/gui/fit/pin-focus", &size_1024, test_pin_focus);
  ADD ("/gui/fit/keypad", &size_800, test_keypad);
  ADD ("/gui/fit/targets", &size_1024, test_targets);
  ADD ("/gui/fit/connector-error", &size_800, test_connector_error);
  ADD ("/gui/fit/pickers", &size_1024, test_pickers);
  ADD ("/gui/fit/first-run", &size_800_first_run, test_first_run);
  ADD ("/gui/fit/focus-ring", &size_1024, test_focus_ring);
#undef ADD

  return g_test_run ();
}
