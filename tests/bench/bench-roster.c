/* bench-roster.c: roster import and scan-to-disk latency
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Budgets (DESIGN.md): a 100,000-row roster imports in under 5 s; a scan
 * payload is committed to disk as a lead in under 20 ms at p99.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>

#include "store/fl-capture.h"
#include "store/fl-roster-store.h"

#define N_ROWS 100000
#define N_CAPTURES 2000

static const char *const first_names[] = { "Anna", "Jörg", "Kai", "Ewa", "Lutz", "Claire", "Sean", "Ida" };
static const char *const last_names[] = { "Müller", "Weiß", "Lehmann", "Nowak", "van Dijk", "Dupont", "Owen", "Graf" };

static char *
generate_roster (void)
{
  GString *csv = g_string_new ("Badge-ID;Vorname;Nachname;Firma;E-Mail;Position;Telefon;Land;Ort;PLZ\r\n");

  for (guint i = 0; i < N_ROWS; i++)
    {
      const char *first = first_names[i % G_N_ELEMENTS (first_names)];
      const char *last = last_names[(i / 8) % G_N_ELEMENTS (last_names)];

      g_string_append_printf (csv, "HM-%06u;%s;%s;\"Firma %u GmbH\";person%u@firma%u.de;"
                                   "Einkauf;+49 30 %u;DE;Berlin;%05u\r\n",
                              i, first, last, i % 5000, i, i % 5000, i, 10000 + i % 90000);
    }
  return g_string_free (csv, FALSE);
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-roster-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fairlead.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *csv = generate_roster ();
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(FlRosterReport) report = NULL;
  g_autoptr(FlRosterReport) again = NULL;
  g_autoptr(GArray) latencies = g_array_sized_new (FALSE, FALSE, sizeof (double), N_CAPTURES);
  gint64 start, lookup_start;
  double import_s, reimport_s, lookup_us;

  if (store == NULL)
    g_error ("%s", error->message);
  event->name = g_strdup ("Benchmark Messe");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  report = fl_store_import_roster (store, NULL, csv, -1, NULL, &error);
  g_assert_no_error (error);
  import_s = (g_get_monotonic_time () - start) / 1e6;
  g_assert_cmpuint (report->n_imported, ==, N_ROWS);

  start = g_get_monotonic_time ();
  again = fl_store_import_roster (store, NULL, csv, -1, NULL, &error);
  g_assert_no_error (error);
  reimport_s = (g_get_monotonic_time () - start) / 1e6;

  lookup_start = g_get_monotonic_time ();
  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *badge = g_strdup_printf ("HM-%06u", (i * 7919) % N_ROWS);
      g_autoptr(FlLead) attendee = fl_store_find_attendee (store, NULL, badge, &error);
      g_assert_nonnull (attendee);
    }
  lookup_us = (g_get_monotonic_time () - lookup_start) / 10000.0;

  /* Scans as they come at a booth: plain ids resolved against the roster,
   * vCards, and every fifth a repeat visit. */
  for (guint i = 0; i < N_CAPTURES; i++)
    {
      FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
      g_autoptr(FlCaptureResult) result = NULL;
      g_autofree char *payload = NULL;
      guint who = i % 5 == 4 ? i - 3 : i;

      if (i % 2 == 0)
        payload = g_strdup_printf ("HM-%06u", who * 37);
      else
        payload = g_strdup_printf ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Besucher%u;Karl\r\n"
                                   "ORG:Karten AG\r\nEMAIL;TYPE=WORK:karl%u@karten.de\r\n"
                                   "TEL;TYPE=WORK:+49 40 %u\r\nEND:VCARD\r\n", who, who, who);
      request.payload = payload;
      request.source = i % 2 == 0 ? FL_SOURCE_BADGE : FL_SOURCE_CARD_QR;
      request.staff = "bench";
      start = g_get_monotonic_time ();
      result = fl_capture (store, &request, &error);
      g_assert_no_error (error);
      {
        double ms = (g_get_monotonic_time () - start) / 1e3;
        g_array_append_val (latencies, ms);
      }
    }
  g_array_sort (latencies, compare_double);

  printf ("roster import, %d rows:        %.2f s (budget 5 s)\n", N_ROWS, import_s);
  printf ("roster re-import (all updated): %.2f s\n", reimport_s);
  printf ("badge id look-up:               %.1f µs\n", lookup_us);
  printf ("capture (parse, resolve, dedup, commit), %d scans:\n", N_CAPTURES);
  printf ("  p50 %.2f ms, p99 %.2f ms, max %.2f ms (budget p99 20 ms)\n",
          g_array_index (latencies, double, N_CAPTURES / 2),
          g_array_index (latencies, double, N_CAPTURES * 99 / 100),
          g_array_index (latencies, double, N_CAPTURES - 1));

  g_clear_object (&store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return EXIT_SUCCESS;
}
