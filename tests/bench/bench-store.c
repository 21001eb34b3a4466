/* bench-store.c: commit latency of captures and bulk import rate
 *
 * Prints figures; it is not a pass/fail test. Budget (DESIGN.md): scan
 * payload → lead committed to disk, p99 under 20 ms on a 2-core machine.
 *
 * Usage: bench-store [N_CAPTURES] [N_IMPORT]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/fl-import.h"
#include "store/fl-store.h"

static int
compare_doubles (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static FlLead *
realistic_lead (guint i)
{
  FlLead *lead = fl_lead_new ();
  g_autofree char *first = g_strdup_printf ("Jürgen %u", i);
  g_autofree char *email = g_strdup_printf ("j.mueller%u@example.de", i);
  g_autoptr(JsonNode) answer = json_node_new (JSON_NODE_VALUE);

  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Müller");
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Müller Fördertechnik GmbH");
  fl_lead_set_field (lead, FL_FIELD_TITLE, "Leiter Instandhaltung");
  fl_lead_set_field (lead, FL_FIELD_CITY, "Stuttgart");
  fl_lead_set_raw_payload (lead, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Jürgen\r\nEND:VCARD\r\n");
  fl_lead_set_source (lead, FL_SOURCE_BADGE);
  json_node_set_string (answer, "3m");
  fl_lead_set_answer (lead, "timeframe", answer);
  fl_lead_set_answer (lead, "budget", answer);
  fl_lead_add_interaction (lead, "badge-scan", NULL);
  return lead;
}

int
main (int argc, char **argv)
{
  guint n_captures = argc > 1 ? (guint) atoi (argv[1]) : 2000;
  guint n_import = argc > 2 ? (guint) atoi (argv[2]) : 20000;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "bench.db", NULL);
  g_autofree char *db2 = g_build_filename (dir, "import.db", NULL);
  g_autofree char *jsonl = g_build_filename (dir, "leads.jsonl", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (db, &error);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  double *latencies = g_new (double, n_captures);
  GString *text = g_string_new (NULL);
  gint64 start;
  double seconds;
  gssize imported;

  g_assert_no_error (error);
  event->name = g_strdup ("Bench");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);

  /* Single captures: each its own durable (synchronous=FULL) transaction. */
  for (guint i = 0; i < n_captures; i++)
    {
      g_autoptr(FlLead) lead = realistic_lead (i);

      start = g_get_monotonic_time ();
      if (!fl_store_save_lead (store, lead, "bench", &error))
        g_error ("%s", error->message);
      latencies[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (latencies, n_captures, sizeof (double), compare_doubles);
  printf ("capture commit latency (%u single-lead transactions, synchronous=FULL, WAL):\n", n_captures);
  printf ("  p50 %.2f ms   p90 %.2f ms   p99 %.2f ms   max %.2f ms   (budget: p99 < 20 ms)\n",
          latencies[n_captures / 2], latencies[n_captures * 9 / 10],
          latencies[n_captures * 99 / 100], latencies[n_captures - 1]);

  /* Bulk import: JSON Lines, as the CLI does. */
  for (guint i = 0; i < n_import; i++)
    {
      g_autoptr(FlLead) lead = realistic_lead (i);
      g_autofree char *line = NULL;

      fl_lead_ensure_identity (lead);
      line = fl_lead_to_json_string (lead, FALSE);
      g_string_append (text, line);
      g_string_append_c (text, '\n');
    }
  g_file_set_contents (jsonl, text->str, text->len, NULL);
  g_string_free (text, TRUE);
  g_clear_object (&store);
  store = fl_store_open (db2, &error);
  g_clear_pointer (&created, fl_event_free);
  created = fl_store_create_event (store, event, &error);
  {
    g_autoptr(GFile) file = g_file_new_for_path (jsonl);
    g_autoptr(GInputStream) input = G_INPUT_STREAM (g_file_read (file, NULL, &error));

    start = g_get_monotonic_time ();
    imported = fl_import_leads (store, input, jsonl, NULL, NULL, NULL, &error);
    seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  }
  printf ("bulk import: %" G_GSSIZE_FORMAT " leads in %.2f s = %.0f leads/s (group commit: up to 500 leads or 50 ms a transaction)\n",
          imported, seconds, imported / seconds);

  g_free (latencies);
  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}
