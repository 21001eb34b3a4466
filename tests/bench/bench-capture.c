/* bench-capture.c: a full capture at the kiosk, in touches and seconds
 *
 * Drives the real kiosk (the demo event) with real X input from xdotool,
 * as booth staff would: a badge scanner types a vCard, then taps three
 * answers, an interaction at the booth, the visitor's consent and Done.
 * Every tap is an X pointer click at the centre of the widget; a widget
 * outside the scrolled page is first brought into view with the mouse
 * wheel, counted as one swipe. Prints the touches and the seconds the
 * kiosk needed; not a pass/fail test.
 *
 * Run with tests/bench/bench-capture.sh BUILD_DIR [RUNS] [WIDTHxHEIGHT].
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl-application.h"
#include "fl-lead-page-private.h"
#include "fl-window-private.h"
#include "store/fl-store.h"

typedef struct
{
  FlWindow *window;
  gulong    xid;
  guint     taps;
  guint     swipes;
  GString  *swiped;     /* what needed a swipe, for the report */
} Run;

/* Spawns of xdotool: each costs the run its start-up, which is the
 * script's time, not the kiosk's; counted to say how much. */
static guint n_spawns;

static void
iterate (void)
{
  if (!g_main_context_iteration (NULL, FALSE))
    g_usleep (500);
}

static void
settle (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    iterate ();
}

static void
waited_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

/* Runs xdotool and keeps the kiosk's main loop turning meanwhile, as the
 * kiosk would while a person acts. */
static void
xdotool (const char *first, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  va_list args;

  n_spawns++;
  g_ptr_array_add (argv, (gpointer) "xdotool");
  va_start (args, first);
  for (const char *arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  if (process == NULL)
    g_error ("xdotool: %s", error->message);
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  while (!done)
    iterate ();
  if (!g_subprocess_get_successful (process))
    g_error ("xdotool %s failed", first);
}

/* Where @widget's centre is in the window's X surface. */
static void
centre_of (Run *run, GtkWidget *widget, int *x, int *y)
{
  graphene_point_t point;
  double dx, dy;

  if (!gtk_widget_compute_point (widget, GTK_WIDGET (run->window),
                                 &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                       gtk_widget_get_height (widget) / 2.0),
                                 &point))
    g_error ("%s is not in the window", G_OBJECT_TYPE_NAME (widget));
  gtk_native_get_surface_transform (GTK_NATIVE (run->window), &dx, &dy);
  *x = (int) (point.x + dx);
  *y = (int) (point.y + dy);
}

/* Whether @widget is fully inside the visible part of @scroller. */
static gboolean
in_view (GtkWidget *scroller, GtkWidget *widget)
{
  graphene_rect_t bounds;

  if (!gtk_widget_compute_bounds (widget, scroller, &bounds))
    return FALSE;
  return bounds.origin.y >= 0 &&
         bounds.origin.y + bounds.size.height <= gtk_widget_get_height (scroller);
}

static GtkWidget *
scroller_of (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);

  return scroller;
}

/* A tap: an X click at the centre of @widget, after a swipe when the page
 * must scroll to show it. */
static void
tap (Run *run, GtkWidget *widget, const char *what)
{
  GtkWidget *scroller = scroller_of (widget);
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  g_autofree char *xid = g_strdup_printf ("%lu", run->xid);
  int cx, cy;

  if (scroller != NULL && !in_view (scroller, widget))
    {
      int sx, sy;

      centre_of (run, scroller, &sx, &sy);
      x = g_strdup_printf ("%d", sx);
      y = g_strdup_printf ("%d", sy);
      xdotool ("mousemove", "--window", xid, x, y, NULL);
      run->swipes++;
      g_string_append_printf (run->swiped, "%s%s", run->swiped->len ? ", " : "", what);
      /* One swipe: wheel steps, three to a spawn, until it is in view. */
      for (guint i = 0; i < 40 && !in_view (scroller, widget); i++)
        {
          graphene_rect_t bounds;

          if (!gtk_widget_compute_bounds (widget, scroller, &bounds))
            break;
          xdotool ("click", "--repeat", "3", "--delay", "10", bounds.origin.y < 0 ? "4" : "5", NULL);
          settle (30);
        }
      g_clear_pointer (&x, g_free);
      g_clear_pointer (&y, g_free);
    }
  centre_of (run, widget, &cx, &cy);
  x = g_strdup_printf ("%d", cx);
  y = g_strdup_printf ("%d", cy);
  xdotool ("mousemove", "--window", xid, x, y, "click", "1", NULL);
  run->taps++;
  settle (20);
}

static GtkWidget *
find_action_button (GtkWidget *root, const char *action)
{
  if (GTK_IS_ACTIONABLE (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0 &&
      gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
wait_for_page (FlWindow *window, const char *name)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  GtkWidget *page = _fl_window_get_page (window, name);

  while ((g_strcmp0 (fl_window_get_visible_page (window), name) != 0 || !gtk_widget_get_mapped (page)) &&
         g_get_monotonic_time () < deadline)
    iterate ();
  if (g_strcmp0 (fl_window_get_visible_page (window), name) != 0)
    g_error ("the %s page did not show", name);
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
main (int argc, char *argv[])
{
  g_autoptr(FlApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *demo_db = NULL;
  g_autofree double *seconds = NULL;
  g_autoptr(FlStore) store = NULL;
  guint runs = argc > 1 ? (guint) CLAMP (atoi (argv[1]), 1, 50) : 5;
  int width = 1024, height = 600;
  g_autoptr(GString) swiped = g_string_new (NULL);
  Run run = { .swiped = swiped };
  double spawn_cost = 0;
  g_autofree guint *spawns = NULL;
  guint taps = 0, swipes = 0;

  if (argc > 2)
    sscanf (argv[2], "%dx%d", &width, &height);
  gtk_init ();
  /* tests/bench/bench-capture.sh gives a folder it removes afterwards. */
  tmpdir = g_strdup (g_getenv ("FAIRLEAD_BENCH_DIR"));
  if (tmpdir == NULL)
    g_error ("Run this with tests/bench/bench-capture.sh");
  demo_db = g_build_filename (tmpdir, "demo.db", NULL);
  g_setenv ("FAIRLEAD_DEMO_DB", demo_db, TRUE);

  app = fl_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* Who is at the booth was answered at the start of the shift: the
   * kiosk asks it once (issue 18), not in each capture measured. */
  g_settings_set_string (fl_application_get_settings (app), "staff-member", "Tom Berger");
  run.window = fl_application_open_database (app, NULL, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (run.window), width, height);
  wait_for_page (run.window, "scan");
  settle (300);
  run.xid = gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (run.window)));
  store = fl_store_open (demo_db, &error);
  g_assert_no_error (error);
  seconds = g_new0 (double, runs);
  spawns = g_new0 (guint, runs);
  /* What starting xdotool costs by itself, to tell it from the kiosk's time. */
  {
    gint64 start = g_get_monotonic_time ();

    for (guint i = 0; i < 10; i++)
      xdotool ("getmouselocation", NULL);
    spawn_cost = (g_get_monotonic_time () - start) / 10.0 / G_USEC_PER_SEC;
  }

  for (guint i = 0; i < runs; i++)
    {
      FlLeadPage *page = _fl_window_get_lead_page (run.window);
      g_autofree char *card_path = g_build_filename (tmpdir, "card.txt", NULL);
      g_autofree char *card = g_strdup_printf ("BEGIN:VCARD\nVERSION:3.0\nN:Brenner%u;Klaus\nFN:Klaus Brenner%u\n"
                                               "ORG:Brenner Antriebstechnik GmbH\n"
                                               "EMAIL:k.brenner%u@brenner-antriebe.example\nEND:VCARD\n", i, i, i);
      g_autofree char *xid = g_strdup_printf ("%lu", run.xid);
      g_autofree char *email = g_strdup_printf ("k.brenner%u@brenner-antriebe.example", i);
      g_autoptr(GPtrArray) leads = NULL;
      FlLeadQuery query = { .search = email };
      gint64 start;

      g_assert_true (g_file_set_contents (card_path, card, -1, NULL));
      run.taps = run.swipes = 0;
      g_string_truncate (run.swiped, 0);
      xdotool ("windowfocus", "--sync", xid, NULL);
      settle (200);

      start = g_get_monotonic_time ();
      n_spawns = 0;
      /* The scanner: no touch. */
      xdotool ("type", "--delay", "2", "--file", card_path, NULL);
      wait_for_page (run.window, "lead");
      settle (50);
      tap (&run, GTK_WIDGET (_fl_lead_page_get_choice (page, "timeframe", 0)), "timeframe");
      tap (&run, GTK_WIDGET (_fl_lead_page_get_choice (page, "budget", 0)), "budget");
      tap (&run, GTK_WIDGET (_fl_lead_page_get_choice (page, "role", 0)), "role");
      tap (&run, GTK_WIDGET (_fl_lead_page_get_interaction (page, "demo")), "demo at the booth");
      tap (&run, GTK_WIDGET (_fl_lead_page_get_consent (page)), "consent");
      tap (&run, find_action_button (GTK_WIDGET (page), "lead.done"), "Done");
      wait_for_page (run.window, "thanks");
      seconds[i] = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      spawns[i] = n_spawns;

      leads = fl_store_list_leads (store, &query, &error);
      g_assert_no_error (error);
      if (leads->len != 1)
        g_error ("run %u: the lead was not saved", i);
      if (fl_lead_get_consent (g_ptr_array_index (leads, 0)) == NULL ||
          fl_lead_get_status (g_ptr_array_index (leads, 0)) != FL_STATUS_SAL)
        g_error ("run %u: the lead has no consent or is not SAL: a tap missed", i);
      printf ("run %u: %u touches (%u taps, %u swipes: %s), %.2f s scan to thanks page, "
              "of which %u xdotool start-ups ≈ %.2f s\n",
              i + 1, run.taps + run.swipes, run.taps, run.swipes, run.swiped->len ? run.swiped->str : "none",
              seconds[i], spawns[i], spawns[i] * spawn_cost);
      taps = run.taps;
      swipes = run.swipes;
      gtk_widget_activate_action (_fl_window_get_page (run.window, "thanks"), "thanks.next", NULL);
      wait_for_page (run.window, "scan");
      settle (200);
    }

  for (guint i = 0; i < runs; i++)
    seconds[i] -= spawns[i] * spawn_cost;
  qsort (seconds, runs, sizeof *seconds, compare_doubles);
  printf ("full capture at %dx%d (scan, three answers, an interaction, consent, Done): "
          "%u touches (%u taps, %u swipes: %s) after the scan; the kiosk's time from scan to "
          "thanks page without xdotool's start-ups (%.0f ms each): median %.2f s "
          "(min %.2f s, max %.2f s, %u runs)\n",
          width, height, taps + swipes, taps, swipes, swiped->len ? swiped->str : "none",
          spawn_cost * 1000, seconds[runs / 2], seconds[0], seconds[runs - 1], runs);

  g_clear_object (&store);
  gtk_window_destroy (GTK_WINDOW (run.window));
  settle (100);
  return 0;
}
