/* bench-upload.c: 10,000 leads to a webhook on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Budget (DESIGN.md): under 10 s. Prints figures; never fails on time.
 *
 * FAIRLEAD_BENCH_URL posts to that webhook instead of the in-process test
 * server (tests/bench/peers.sh gives its webhook-sink, to run curl on
 * the same bodies against the same receiver).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <sys/resource.h>

#include "store/fl-store.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync.h"
#include "sync/fl-uploader.h"
#include "sync-test-server.h"

/* CPU time of this process so far, µs: on a shared machine the wall time
 * of the upload phase is mostly other processes' disk and CPU. */
static gint64
cpu_time (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (gint64) (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * G_USEC_PER_SEC +
         usage.ru_utime.tv_usec + usage.ru_stime.tv_usec;
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 10000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "fairlead.db", NULL);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(FlUploader) uploader = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(Server) server = NULL;
  g_autofree char *url = NULL;
  g_auto(FlUploadSummary) summary = { 0 };
  gint64 start, elapsed, cpu_start, cpu;

  g_assert_no_error (error);
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  event->name = g_strdup ("Benchmark Expo");
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);

  if (g_getenv ("FAIRLEAD_BENCH_URL") != NULL)
    url = g_strdup (g_getenv ("FAIRLEAD_BENCH_URL"));
  else
    {
      server = server_new (NULL);
      url = g_strconcat (server->http.url, "/hook", NULL);
    }
  outbox = fl_outbox_new (store);
  fl_outbox_add_connector (outbox, "bench", "webhook", url, NULL, NULL, &error);
  g_assert_no_error (error);

  fl_store_begin (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Erika");
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Mustermann");
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, "Beispiel AG");
      fl_lead_set_notes (lead, "Interested in the enterprise plan; wants a call after the show.");
      fl_lead_add_interaction (lead, "badge-scan", NULL);
      fl_store_save_lead_in_transaction (store, lead, "bench", &error);
      g_assert_no_error (error);
    }
  fl_store_commit (store, &error);
  g_assert_no_error (error);

  uploader = fl_uploader_new (store);
  start = g_get_monotonic_time ();
  cpu_start = cpu_time ();
  fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error);
  elapsed = g_get_monotonic_time () - start;
  cpu = cpu_time () - cpu_start;
  g_assert_no_error (error);

  if (server != NULL)
    printf ("upload: %u leads to a loopback webhook in %.2f s (%.0f leads/s, %u requests, "
            "cpu %.2f s); delivered %u, stored by the server %u; budget 10 s\n",
            n, elapsed / 1e6, n / (elapsed / 1e6), server_count_requests (server, NULL), cpu / 1e6,
            summary.delivered, server_n_stored (server));
  else
    printf ("upload: %u leads to %s in %.0f ms; cpu %.0f ms; delivered %u\n", n, url,
            elapsed / 1e3, cpu / 1e3, summary.delivered);

  g_clear_object (&uploader);
  g_clear_object (&outbox);
  g_clear_object (&store);
  {
    const char *suffixes[] = { "", "-wal", "-shm", ".upload-lock" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return summary.delivered == n ? 0 : 1;
}
