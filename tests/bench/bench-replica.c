/* bench-replica.c: three kiosks × 2,000 leads converge; bytes per new lead
 *
 * Three kiosk databases in a temporary folder capture 2,000 leads each
 * (name, email, company, an answer, a badge scan, consent), then exchange
 * changes pairwise (A↔B, B↔C, A↔B: C and A never meet) with the bytes
 * the network carries, until every kiosk holds all 6,000. Then one new
 * lead on A travels to B: the batch size is the traffic per new lead.
 * Run with: build/tests/bench/bench-replica [LEADS_PER_KIOSK]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <glib/gstdio.h>

#include "booth/fl-booth.h"
#include "booth/fl-replica.h"
#include "store/fl-store-private.h"

#define N_KIOSKS 3

static gsize
push (FlStore *from, FlStore *to)
{
  g_autoptr(GError) error = NULL;
  gboolean more = TRUE;
  gsize moved = 0;

  while (more)
    {
      g_autoptr(JsonObject) vector = fl_replica_get_version_vector (to, &error);
      g_autoptr(GBytes) batch = fl_replica_changes_since (from, vector, 4 * 1024 * 1024, &more, &error);

      if (batch == NULL || !fl_replica_apply (to, batch, NULL, &error))
        g_error ("%s", error->message);
      moved += g_bytes_get_size (batch);
    }
  return moved;
}

static void
capture (FlStore *store, const char *tag, guint i)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(JsonNode) consent = json_from_string ("{\"version\":\"2026-1\",\"language\":\"de\","
                                                  "\"given\":true,\"method\":\"checkbox\"}", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("visitor.%s%u@example.com", tag, i);
  g_autofree char *name = g_strdup_printf ("Visitor %s%u Mustermann", tag, i);
  g_autofree char *company = g_strdup_printf ("Company %u GmbH", i % 300);
  g_autofree char *now = fl_now_iso8601 ();

  json_object_set_string_member (json_node_get_object (consent), "at", now);
  fl_lead_set_source (lead, FL_SOURCE_BADGE);
  fl_lead_set_badge_id (lead, email);
  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, company);
  fl_lead_set_field (lead, FL_FIELD_TITLE, "Head of Purchasing");
  fl_lead_set_answer (lead, "budget", json_node_init_string (json_node_alloc (), "50k-100k"));
  fl_lead_add_interaction (lead, "badge-scan", now);
  fl_lead_set_consent (lead, consent);
  if (!fl_store_save_lead_in_transaction (store, lead, "Tom", &error))
    g_error ("%s", error->message);
}

static gint64
count (FlStore *store, const char *sql)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, NULL);
  gint64 n;

  sqlite3_step (stmt);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

int
main (int argc, char **argv)
{
  guint per_kiosk = argc > 1 ? (guint) atoi (argv[1]) : 2000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-replica-XXXXXX", &error);
  g_autoptr(JsonNode) settings = json_from_string ("{}", NULL);
  FlEvent event = { .name = (char *) "Hannover Messe", .settings = settings };
  FlStore *kiosks[N_KIOSKS];
  g_autoptr(FlEvent) created = NULL;
  gint64 start, elapsed;
  gsize bytes = 0, one = 0;

  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_autofree char *name = g_strdup_printf ("kiosk-%c.db", 'a' + i);
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_autofree char *fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, path, -1);
      g_autoptr(FlBooth) booth = NULL;

      kiosks[i] = fl_store_open (path, &error);
      if (kiosks[i] == NULL)
        g_error ("%s", error->message);
      /* A kiosk logs its changes only in a booth (schema 11). */
      booth = fl_booth_create (kiosks[i], "Bench", NULL, fingerprint, NULL, &error);
      if (booth == NULL)
        g_error ("%s", error->message);
    }
  created = fl_store_create_event (kiosks[0], &event, &error);
  push (kiosks[0], kiosks[1]);
  push (kiosks[0], kiosks[2]);

  for (guint k = 0; k < N_KIOSKS; k++)
    {
      char tag[2] = { (char) ('a' + k), '\0' };

      fl_store_begin (kiosks[k], NULL);
      for (guint i = 0; i < per_kiosk; i++)
        capture (kiosks[k], tag, i);
      fl_store_commit (kiosks[k], NULL);
    }

  start = g_get_monotonic_time ();
  bytes += push (kiosks[0], kiosks[1]);
  bytes += push (kiosks[1], kiosks[0]);
  bytes += push (kiosks[1], kiosks[2]);
  bytes += push (kiosks[2], kiosks[1]);
  bytes += push (kiosks[1], kiosks[0]);
  elapsed = g_get_monotonic_time () - start;
  for (guint k = 0; k < N_KIOSKS; k++)
    if (count (kiosks[k], "SELECT count(*) FROM leads") != per_kiosk * N_KIOSKS)
      g_error ("kiosk %u holds %" G_GINT64_FORMAT " leads", k, count (kiosks[k], "SELECT count(*) FROM leads"));
  printf ("converge: %u kiosks × %u leads from cold in %.2f s (%.1f MB moved, %.0f bytes per lead)\n",
          N_KIOSKS, per_kiosk, elapsed / 1e6, bytes / 1e6, (double) bytes / (per_kiosk * N_KIOSKS));

  fl_store_begin (kiosks[0], NULL);
  capture (kiosks[0], "new", 0);
  fl_store_commit (kiosks[0], NULL);
  start = g_get_monotonic_time ();
  one = push (kiosks[0], kiosks[1]);
  one += push (kiosks[1], kiosks[2]);
  elapsed = g_get_monotonic_time () - start;
  printf ("one new lead: %zu bytes A→B (gzip), %.1f ms to reach B and C\n", one / 2, elapsed / 1e3);

  for (guint k = 0; k < N_KIOSKS; k++)
    g_object_unref (kiosks[k]);
  {
    g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (listing)) != NULL)
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_unlink (path);
      }
    g_rmdir (dir);
  }
  return 0;
}
