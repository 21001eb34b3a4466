/* bench-leads.c: the back office's lead list at 100,000 leads
 *
 * Prints the database time of counting a query and loading the first page,
 * for the list, each filter, a full-text search and each sort. Budget
 * (DESIGN.md): under 50 ms each. Not a pass/fail test.
 *
 * Usage: bench-leads [N_LEADS]
 *
 * FAIRLEAD_BENCH_DB=FILE keeps the database in FILE, and a later run with
 * the same FILE measures its leads again without generating them (to
 * alternate two builds on the same data).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "store/fl-lead-list.h"
#include "store/fl-store-private.h"

static const char *first_names[] = { "Jürgen", "Anna", "Sören", "Marie", "Thomas", "Katarzyna", "Lukas", "Elena", "Henrik", "Fatma" };
static const char *last_names[] = { "Müller", "Schäfer", "Weiß", "Dubois", "Gruber", "Nowak", "Hoffmann", "Rossi", "Larsen", "Yılmaz", "Schmidt", "Fischer" };
static const char *companies[] = { "Müller Fördertechnik GmbH", "Bäckerei Schäfer KG", "Weiß Automation AG", "Robotique Lyonnaise SA", "Polymer Works", "Nordic Packaging A/S" };
static const char *staff[] = { "Tom", "Lena", "Ahmet", "Anna" };

static void
measure (FlLeadList *list, const char *label, const FlLeadQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) first = NULL;
  gint64 count_time, page_time;

  fl_lead_list_set_query (list, query);
  if (!fl_lead_list_refresh (list, &error))
    g_error ("%s", error->message);
  count_time = fl_lead_list_get_db_time (list);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  page_time = first ? fl_lead_list_get_db_time (list) : 0;
  printf ("  %-34s %7u leads   count %6.1f ms   first page %6.1f ms   total %6.1f ms\n", label,
          g_list_model_get_n_items (G_LIST_MODEL (list)), count_time / 1000.0, page_time / 1000.0,
          (count_time + page_time) / 1000.0);
}

int
main (int argc, char **argv)
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-XXXXXX", NULL);
  const char *keep = g_getenv ("FAIRLEAD_BENCH_DB");
  gboolean reuse = keep != NULL && g_file_test (keep, G_FILE_TEST_EXISTS);
  g_autofree char *path = keep ? g_strdup (keep) : g_build_filename (dir, "bench.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(FlLeadList) list = NULL;
  GRand *rand = g_rand_new_with_seed (42);
  gint64 start;

  g_assert_no_error (error);
  if (reuse)
    goto measure;
  event->name = g_strdup ("Bench");
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  created = fl_store_create_event (store, event, &error);
  fl_store_exec (store, "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x')", NULL);

  start = g_get_monotonic_time ();
  fl_store_begin (store, &error);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *email = g_strdup_printf ("lead%u@example.de", i);
      g_autofree char *at = g_strdup_printf ("2026-06-%02dT%02d:%02d:%02d.000Z", 23 + g_rand_int_range (rand, 0, 4),
                                             g_rand_int_range (rand, 7, 17), g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 60));
      int score = g_rand_int_range (rand, 0, 120);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))]);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))]);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))]);
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_captured_by (lead, staff[g_rand_int_range (rand, 0, G_N_ELEMENTS (staff))]);
      fl_lead_set_created_at (lead, at);
      fl_lead_set_score (lead, score);
      fl_lead_set_status (lead, score >= 70 ? FL_STATUS_SAL : score < 5 ? FL_STATUS_DISQUALIFIED : FL_STATUS_MQL);
      fl_lead_set_notes (lead, i % 50 == 0 ? "Wants a quote for the pilot line" : NULL);
      fl_lead_add_interaction (lead, "badge-scan", at);
      if (!fl_store_save_lead_in_transaction (store, lead, NULL, &error))
        g_error ("%s", error->message);
    }
  fl_store_exec (store, "UPDATE outbox SET state = 'done' WHERE lead_id % 3 = 0;"
                        "UPDATE outbox SET state = 'failed' WHERE lead_id % 97 = 0;", NULL);
  fl_store_commit (store, &error);
  fl_store_exec (store, "ANALYZE", NULL);
  printf ("generated %u leads in %.1f s\n", n, (g_get_monotonic_time () - start) / 1e6);

measure:
  list = fl_lead_list_new (store);
  printf ("database time per query (budget: under 50 ms each):\n");
  measure (list, "all, newest first", &(FlLeadQuery) { 0 });
  measure (list, "status SAL", &(FlLeadQuery) { .status = "SAL" });
  measure (list, "staff Lena", &(FlLeadQuery) { .captured_by = "Lena" });
  measure (list, "upload failed", &(FlLeadQuery) { .upload = FL_UPLOAD_FAILED });
  measure (list, "upload waiting", &(FlLeadQuery) { .upload = FL_UPLOAD_WAITING });
  measure (list, "day 2026-06-24", &(FlLeadQuery) { .since = "2026-06-24T00:00:00.000Z", .until = "2026-06-25T00:00:00.000Z" });
  measure (list, "search \"muller\"", &(FlLeadQuery) { .search = "muller" });
  measure (list, "search \"mul\" (as typed)", &(FlLeadQuery) { .search = "mul" });
  measure (list, "search \"pilot\" (notes)", &(FlLeadQuery) { .search = "pilot" });
  measure (list, "search \"lead4711@example.de\"", &(FlLeadQuery) { .search = "lead4711@example.de" });
  measure (list, "SAL + Lena + \"weiss\"", &(FlLeadQuery) { .status = "SAL", .captured_by = "Lena", .search = "weiss" });
  measure (list, "sort by name", &(FlLeadQuery) { .sort = FL_LEAD_SORT_NAME });
  measure (list, "sort by company", &(FlLeadQuery) { .sort = FL_LEAD_SORT_COMPANY });
  measure (list, "sort by score", &(FlLeadQuery) { .sort = FL_LEAD_SORT_SCORE });
  measure (list, "sort by status", &(FlLeadQuery) { .sort = FL_LEAD_SORT_STATUS });
  measure (list, "sort by staff", &(FlLeadQuery) { .sort = FL_LEAD_SORT_STAFF });
  measure (list, "sort by upload state", &(FlLeadQuery) { .sort = FL_LEAD_SORT_UPLOAD });

  g_rand_free (rand);
  g_clear_object (&list);
  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
  return 0;
}
