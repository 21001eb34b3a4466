/* bench-back-office.c: the back office's leads page at 100,000 leads
 *
 * Builds the real leads page in a window (run it under xvfb-run) and
 * prints, for opening the page and for each search, filter and sort a
 * person makes, the database time (budget, DESIGN.md: under 50 ms) and
 * the wall time until the column view has drawn the new rows. Not a
 * pass/fail test.
 *
 * Usage: xvfb-run -a bench-back-office [N_LEADS]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "fl-back-office-private.h"
#include "fl-back-office.h"
#include "store/fl-staff.h"

static const char *first_names[] = { "Jürgen", "Anna", "Sören", "Marie", "Thomas", "Katarzyna", "Lukas", "Elena" };
static const char *last_names[] = { "Müller", "Schäfer", "Weiß", "Dubois", "Gruber", "Nowak", "Hoffmann", "Rossi" };
static const char *companies[] = { "Müller Fördertechnik GmbH", "Weiß Automation AG", "Polymer Works",
                                   "Nordic Packaging A/S" };
static const char *staff[] = { "Tom", "Lena", "Ahmet", "Anna" };

/* VmRSS and VmHWM of this process, in MB. */
static void
memory (double *rss, double *peak)
{
  g_autofree char *status = NULL;
  const char *line;

  *rss = *peak = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((line = strstr (status, "VmRSS:")) != NULL)
    *rss = g_ascii_strtod (line + 6, NULL) / 1024;
  if ((line = strstr (status, "VmHWM:")) != NULL)
    *peak = g_ascii_strtod (line + 6, NULL) / 1024;
}

/* Forgets the peak so far (Linux: writing 5 to clear_refs). */
static void
reset_peak (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static gboolean
done_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until everything more urgent than a low-priority
 * idle has run: the new rows are laid out and drawn. (Waiting for the
 * loop to run dry never ends: the cursor blinks.) */
static void
settle (void)
{
  gboolean done = FALSE;

  g_idle_add_full (G_PRIORITY_LOW, done_cb, &done, NULL);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
report (FlLeadsPage *page, const char *label, gint64 start)
{
  FlLeadList *list = _fl_leads_page_get_list (page);
  gint64 wall;

  settle ();
  wall = g_get_monotonic_time () - start;
  printf ("  %-24s %7u leads   count %6.1f ms   last page %6.1f ms   until drawn %6.1f ms\n", label,
          g_list_model_get_n_items (G_LIST_MODEL (list)), _fl_leads_page_get_count_time (page) / 1000.0,
          fl_lead_list_get_db_time (list) / 1000.0, wall / 1000.0);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  GtkWindow *window;
  FlBackOffice *office;
  FlLeadsPage *page;
  GtkDropDown *filter;
  gint64 start;

  /* Figures appear as they are measured, even into a file. */
  setvbuf (stdout, NULL, _IOLBF, 0);
  gtk_init ();
  adw_init ();
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  event->name = g_strdup ("Bench");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  g_assert_true (fl_staff_set (store, "Lena", "2468", &error));

  start = g_get_monotonic_time ();
  g_assert_true (fl_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *email = g_strdup_printf ("lead%u@example.de", i);
      g_autofree char *at = g_strdup_printf ("2026-06-%02dT%02d:%02d:%02d.000Z", 23 + g_rand_int_range (rand, 0, 4),
                                             g_rand_int_range (rand, 7, 17), g_rand_int_range (rand, 0, 60),
                                             g_rand_int_range (rand, 0, 60));
      int score = g_rand_int_range (rand, 0, 120);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))]);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))]);
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_captured_by (lead, staff[g_rand_int_range (rand, 0, G_N_ELEMENTS (staff))]);
      fl_lead_set_created_at (lead, at);
      fl_lead_set_score (lead, score);
      fl_lead_set_status (lead, score >= 70 ? FL_STATUS_SAL : score < 5 ? FL_STATUS_DISQUALIFIED : FL_STATUS_MQL);
      if (!fl_store_save_lead_in_transaction (store, lead, NULL, &error))
        g_error ("%s", error->message);
    }
  g_assert_true (fl_store_commit (store, &error));
  g_rand_free (rand);
  printf ("generated %u leads in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);
  /* Memory is measured from here: generating the leads is no part of it. */
  reset_peak ();

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  office = FL_BACK_OFFICE (fl_back_office_new (store));
  gtk_window_set_child (window, GTK_WIDGET (office));
  gtk_window_present (window);
  settle ();
  page = _fl_back_office_get_leads_page (office);

  printf ("leads page (budget: each SQLite call under 50 ms; \"until drawn\" adds building the rows):\n");
  {
    FlPinPage *pin = _fl_back_office_get_pin_page (office);

    gtk_editable_set_text (_fl_pin_page_get_pin_entry (pin), "2468");
    start = g_get_monotonic_time ();
    g_signal_emit_by_name (_fl_pin_page_get_unlock_button (pin), "clicked");
    g_assert_false (fl_back_office_get_locked (office));
    report (page, "open (unlock)", start);
  }

  start = g_get_monotonic_time ();
  gtk_editable_set_text (_fl_leads_page_get_search_entry (page), "muller");
  g_signal_emit_by_name (_fl_leads_page_get_search_entry (page), "search-changed");
  _fl_leads_page_flush_search (page);
  report (page, "search \"muller\"", start);
  start = g_get_monotonic_time ();
  gtk_editable_set_text (_fl_leads_page_get_search_entry (page), "lead4711@example.de");
  g_signal_emit_by_name (_fl_leads_page_get_search_entry (page), "search-changed");
  _fl_leads_page_flush_search (page);
  report (page, "search an email", start);
  gtk_editable_set_text (_fl_leads_page_get_search_entry (page), "");
  g_signal_emit_by_name (_fl_leads_page_get_search_entry (page), "search-changed");
  _fl_leads_page_flush_search (page);

  filter = _fl_leads_page_get_filter (page, "status");
  start = g_get_monotonic_time ();
  gtk_drop_down_set_selected (filter, 2);
  report (page, "status SAL", start);
  gtk_drop_down_set_selected (filter, 0);
  filter = _fl_leads_page_get_filter (page, "staff");
  start = g_get_monotonic_time ();
  gtk_drop_down_set_selected (filter, 2);
  report (page, "one staff member", start);
  gtk_drop_down_set_selected (filter, 0);
  filter = _fl_leads_page_get_filter (page, "upload");
  start = g_get_monotonic_time ();
  gtk_drop_down_set_selected (filter, 4);
  report (page, "upload: not queued", start);
  gtk_drop_down_set_selected (filter, 0);
  filter = _fl_leads_page_get_filter (page, "day");
  start = g_get_monotonic_time ();
  gtk_drop_down_set_selected (filter, 2);
  report (page, "one day", start);
  gtk_drop_down_set_selected (filter, 0);

  for (guint column = 0; column < 7; column++)
    {
      static const char *names[] = { "time", "name", "company", "score", "status", "staff", "upload" };
      g_autofree char *label = g_strdup_printf ("sort by %s", names[column]);

      start = g_get_monotonic_time ();
      _fl_leads_page_sort_by (page, column, GTK_SORT_ASCENDING);
      report (page, label, start);
    }

  {
    double rss, peak;

    memory (&rss, &peak);
    printf ("memory with the back office over %u leads, after every search, filter and sort: "
            "%.0f MB resident, peak %.0f MB (budget: the kiosk under 150 MB)\n", n, rss, peak);
  }

  gtk_window_destroy (window);
  settle ();
  g_clear_object (&store);
  {
    g_autoptr(GDir) tmp = g_dir_open (dir, 0, NULL);
    const char *name;

    while (tmp != NULL && (name = g_dir_read_name (tmp)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_remove (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
