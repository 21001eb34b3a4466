/* bench-score.c: re-score 100,000 leads (budget: under 1 s)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "score/fl-model-store.h"
#include "score/fl-rescore.h"
#include "score/fl-scorer.h"

#define N_LEADS (argc > 1 ? (guint) atoi (argv[1]) : 100000u)

static const char *timeframes[] = { "3m", "6m", "12m", "none" };
static const char *budgets[] = { "approved", "planned", "unknown", "none" };
static const char *roles[] = { "decides", "influences", "uses", "none" };
static const char *titles[] = { "Head of Production", "Engineer", "Werkstudent", "CTO", NULL };
static const char *kinds[] = { "badge-scan", "demo", "repeat-visit", "handout-opened" };

/* CPU time of the process (every thread), in ms: on a shared machine the
 * wall clock also counts the time other processes had the cores. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static void
set_string_answer (FlLead *lead, const char *question, const char *value)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, value);
  fl_lead_set_answer (lead, question, node);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-bench-score-XXXXXX", &error);
  /* FAIRLEAD_BENCH_DB keeps the database, to profile rescore alone with
   * "fairlead-cli --db FILE rescore --dry-run". */
  const char *keep = g_getenv ("FAIRLEAD_BENCH_DB");
  g_autofree char *path = keep ? g_strdup (keep) : g_build_filename (dir, "bench.db", NULL);
  g_autofree char *model_path = g_build_filename (SOURCE_DATADIR, "demo", "scoring.json", NULL);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlModel) stricter = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 6, 23, 9, 0, 0);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 7, 10, 12, 0, 0);
  GRand *rand = g_rand_new_with_seed (42);
  gint64 t0;
  double c0;

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  event->name = g_strdup ("Bench show");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  model = fl_model_new_from_file (model_path, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_model_store_activate (store, model, "bench", &error));

  t0 = g_get_monotonic_time ();
  g_assert_true (fl_store_begin (store, &error));
  for (guint i = 0; i < N_LEADS; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(GDateTime) at = g_date_time_add_minutes (start, g_rand_int_range (rand, 0, 4 * 24 * 60));
      g_autofree char *when = g_date_time_format_iso8601 (at);
      g_autofree char *name = g_strdup_printf ("Visitor %u", i);
      g_autoptr(JsonNode) interests = json_from_string ("[\"robot-cells\", \"vision\"]", NULL);
      guint n_interactions = g_rand_int_range (rand, 0, 4);

      fl_lead_set_created_at (lead, when);
      fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, i % 10 ? "Kunde AG" : NULL);
      fl_lead_set_field (lead, FL_FIELD_EMAIL, i % 7 ? "x@kunde.example" : "x@gmail.com");
      fl_lead_set_field (lead, FL_FIELD_TITLE, titles[i % G_N_ELEMENTS (titles)]);
      fl_lead_set_field (lead, FL_FIELD_COUNTRY, "DE");
      set_string_answer (lead, "timeframe", timeframes[g_rand_int_range (rand, 0, 4)]);
      set_string_answer (lead, "budget", budgets[g_rand_int_range (rand, 0, 4)]);
      set_string_answer (lead, "role", roles[g_rand_int_range (rand, 0, 4)]);
      set_string_answer (lead, "follow_up", "meeting");
      fl_lead_set_answer (lead, "interests", interests);
      for (guint k = 0; k < n_interactions; k++)
        fl_lead_add_interaction (lead, kinds[g_rand_int_range (rand, 0, 4)], when);
      fl_scorer_apply (model, lead, at);
      g_assert_true (fl_store_save_lead_in_transaction (store, lead, "bench", &error));
    }
  g_assert_true (fl_store_commit (store, &error));
  printf ("setup: %u leads captured and scored in %.2f s\n", N_LEADS,
          (g_get_monotonic_time () - t0) / 1e6);

  for (guint run = 0; run < 3; run++)
    {
      g_autoptr(FlRescoreReport) report = NULL;
      const char *what[] = { "dry run", "real run (decay after the show)", "real run (nothing to change)" };

      t0 = g_get_monotonic_time ();
      c0 = cpu_ms ();
      report = fl_rescore (store, NULL, now, run == 0, "bench", &error);
      g_assert_no_error (error);
      printf ("rescore %-32s %u leads in %5.0f ms, cpu %5.0f ms (%u changed, %u moved status)\n",
              what[run], report->n_leads, (g_get_monotonic_time () - t0) / 1e3, cpu_ms () - c0,
              report->n_changed, report->n_moved);
    }

  {
    g_autofree char *stricter_text = NULL;
    g_autoptr(GString) s = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(FlRescoreReport) report = NULL;

    g_assert_true (g_file_get_contents (model_path, &stricter_text, NULL, NULL));
    s = g_string_new (stricter_text);
    g_string_replace (s, "\"version\": 1", "\"version\": 2", 1);
    g_string_replace (s, "\"sal\": 65", "\"sal\": 55", 1);
    bytes = g_bytes_new (s->str, s->len);
    stricter = fl_model_new_from_bytes (bytes, NULL, &error);
    g_assert_no_error (error);
    t0 = g_get_monotonic_time ();
    c0 = cpu_ms ();
    report = fl_rescore (store, stricter, now, FALSE, "bench", &error);
    g_assert_no_error (error);
    printf ("rescore %-32s %u leads in %5.0f ms, cpu %5.0f ms (%u changed, %u moved status)\n",
            "real run (new model version)", report->n_leads, (g_get_monotonic_time () - t0) / 1e3,
            cpu_ms () - c0, report->n_changed, report->n_moved);
  }

  g_rand_free (rand);
  g_clear_object (&store);
  {
    GStatBuf st;

    /* Closed: the WAL is checkpointed into the file. */
    if (g_stat (path, &st) == 0)
      printf ("database: %.1f MB for %u leads (%.0f bytes a lead); target 150 MB at 100,000\n",
              st.st_size / 1e6, N_LEADS, (double) st.st_size / N_LEADS);
  }
  for (const char *const *suffix = (const char *const[]) { "", "-wal", "-shm", NULL }; *suffix && !keep; suffix++)
    {
      g_autofree char *file = g_strconcat (path, *suffix, NULL);
      g_remove (file);
    }
  g_rmdir (dir);
  return 0;
}
