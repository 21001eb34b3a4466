/* bench-adw-window.c: the least a libadwaita application does to show a window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The peer of the kiosk's cold start in tests/bench/peers.sh: an
 * AdwApplication shows one AdwApplicationWindow of the kiosk's default
 * size (1024 × 700) with a header bar and a label, and quits when the
 * window's first frame is about to be drawn — where the kiosk quits with
 * FAIRLEAD_BENCH_STARTUP=exit (ui/fl-application.c). peers.sh times both
 * as whole processes, from exec to exit. Needs a display:
 *
 *   xvfb-run -a build/tests/bench/bench-adw-window
 */
#include <adwaita.h>

static gboolean
first_frame_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_REMOVE;
}

static void
activate_cb (GApplication *application, gpointer user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (application));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("Scan a badge");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1024, 700);
  gtk_widget_add_tick_callback (window, first_frame_cb, application, NULL);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr(AdwApplication) app = adw_application_new ("io.github.fairlead.BenchWindow",
                                                       G_APPLICATION_DEFAULT_FLAGS);

  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), argc, argv);
}
