/* test-store-export.c: the whole-event CSV export, each table read once
 *
 * fl_store_export_csv() walks leads, scores and answers side by side in id
 * order when it exports every lead of the file (fl-store-export.c). Each
 * case here compares that export, byte for byte, with the general one
 * (the same leads through a query that is not the whole event, so the
 * SQL that looks up each lead) and with the CSV of the leads as loaded.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "fl-test.h"
#include "lead/fl-export.h"
#include "store/fl-store.h"

/* Cells a CSV writer must get right: quoting, formulas, line ends. */
static const char *const awkward[] = {
  "Anna", "Müller, Anna", "say \"hi\"", "two\nlines", "cr\rlf", "=SUM(A1:A9)", "+49 89 123",
  "-1", "@import", "\tindented", "\rstart", "=HYPERLINK(\"http://x\",\"y\")", "a=b", "Straße 1",
  "\"", ",", "''", "x\r\n",
};

static gboolean
collect_row_cb (const char *row, gsize length, const char *uuid, gpointer user_data, GError **error)
{
  g_autofree char *prefix = g_strndup (row, 36);

  /* Each row starts with the uuid it is handed with. */
  g_assert_cmpstr (prefix, ==, uuid);
  g_string_append_len (user_data, row, length);
  return TRUE;
}

static char *
export_whole (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  GString *csv = g_string_new (NULL);

  g_assert_true (fl_store_export_csv (store, NULL, collect_row_cb, csv, &error));
  g_assert_no_error (error);
  return g_string_free (csv, FALSE);
}

/* The same leads through the general export: a lower bound on the time
 * that every lead passes is not the whole event to it. */
static char *
export_general (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  FlLeadQuery query = { .since = "0000" };
  GString *csv = g_string_new (NULL);

  g_assert_true (fl_store_export_csv (store, &query, collect_row_cb, csv, &error));
  g_assert_no_error (error);
  return g_string_free (csv, FALSE);
}

/* Fails with where the two exports first differ, not both whole. */
static void
assert_same (const char *got, const char *expected)
{
  gsize i = 0;

  while (got[i] != '\0' && got[i] == expected[i])
    i++;
  if (got[i] != expected[i])
    {
      g_autofree char *a = g_strndup (got + (i > 80 ? i - 80 : 0), 160);
      g_autofree char *b = g_strndup (expected + (i > 80 ? i - 80 : 0), 160);

      g_error ("exports differ at byte %" G_GSIZE_FORMAT ":\n  walk:    %s\n  general: %s", i, a, b);
    }
}

static void
exec_sql (FlStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_store_exec (store, sql, &error));
  g_assert_no_error (error);
}

/* Adds @n leads via SQL, as many writers of the table would (capture,
 * import, booth sync): lead i is created @minutes_step minutes after
 * lead i - 1 (negative: before), cells from awkward[], five answers each,
 * scores from -3 up, a model on every other lead. */
static void
add_leads (FlTestFixture *fixture, guint n, int minutes_step, const char *payload)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  sqlite3 *db = fl_store_get_db (fixture->store);
  gint64 base = fl_test_query_int (fixture->store, "SELECT count(*) FROM leads");

  exec_sql (fixture->store, "BEGIN");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "INSERT INTO leads (uuid, event, created_at, updated_at, captured_by, source, "
                                       " badge_id, first_name, last_name, company, title, city, notes, raw_payload, "
                                       " override_status) VALUES (lower (hex (randomblob (4)) || '-' || "
                                       " hex (randomblob (2)) || '-4' || substr (hex (randomblob (2)), 2) || '-8' || "
                                       " substr (hex (randomblob (2)), 2) || '-' || hex (randomblob (6))), "
                                       " ?1, strftime ('%Y-%m-%dT%H:%M:%fZ', '2026-06-24 12:00', ?2 || ' minutes'), "
                                       " '2026-06-27T10:00:00.000Z', ?3, 'badge', ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                       -1, &insert, NULL), ==, SQLITE_OK);
  for (guint i = 0; i < n; i++)
    {
      guint k = base + i;
      g_autofree char *minutes = g_strdup_printf ("%+d", (int) (k * minutes_step));
      g_autofree char *badge = g_strdup_printf ("B-%u", k);
      g_autofree char *answers = NULL;
      gint64 id;

      sqlite3_bind_text (insert, 1, fixture->event->uuid, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, minutes, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 3, k % 3 ? "anna" : NULL, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, badge, -1, SQLITE_TRANSIENT);
      for (guint column = 0; column < 6; column++)
        sqlite3_bind_text (insert, 5 + column, awkward[(k + column) % G_N_ELEMENTS (awkward)], -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 11, payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 12, k % 7 == 0 ? "SAL" : NULL, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      sqlite3_reset (insert);
      id = sqlite3_last_insert_rowid (db);

      /* Inserted out of the questions' order: the export keeps the order
       * they were stored in. */
      answers = g_strdup_printf (
        "INSERT INTO answers (lead_id, question_id, value) VALUES "
        " (%1$" G_GINT64_FORMAT ", 'timeframe', '\"%2$um\"'), (%1$" G_GINT64_FORMAT ", 'budget', '%3$u'),"
        " (%1$" G_GINT64_FORMAT ", 'interests', '[\"vision\",\"robot-cells\"]'),"
        " (%1$" G_GINT64_FORMAT ", 'demo', 'true'), (%1$" G_GINT64_FORMAT ", 'note', '\"say \\\"hi\\\", \\n\"');"
        "UPDATE lead_scores SET score = %4$d, status = '%5$s', model_name = %6$s, model_version = %7$u,"
        " model_sha256 = %8$s WHERE lead_id = %1$" G_GINT64_FORMAT,
        id, k % 12, k * 1000, (int) (k % 40) - 3, k % 5 ? "MQL" : "SAL",
        k % 2 ? "'Demo, \"v\"'" : "NULL", k % 4, k % 6 == 0 ? "'abc'" : "NULL");
      exec_sql (fixture->store, answers);
    }
  exec_sql (fixture->store, "COMMIT");
}

static void
assert_exports_agree (FlTestFixture *fixture, guint n_leads)
{
  g_autofree char *whole = export_whole (fixture->store);
  g_autofree char *general = export_general (fixture->store);
  guint n_rows = 0;

  assert_same (whole, general);
  for (const char *p = whole; (p = strstr (p, ",B-")) != NULL; p++)
    n_rows++;
  g_assert_cmpuint (n_rows, ==, n_leads);
}

/* Captured in time order: the rows go straight out. */
static void
test_id_order (FlTestFixture *fixture, gconstpointer data)
{
  add_leads (fixture, 60, 1, "{\"kind\": \"badge\"}");
  assert_exports_agree (fixture, 60);
}

/* A lead edited after others were captured: its answers are stored
 * anew, after every other lead's, and read from their index. */
static void
test_edited_answers (FlTestFixture *fixture, gconstpointer data)
{
  add_leads (fixture, 20, 1, NULL);
  exec_sql (fixture->store,
            "DELETE FROM answers WHERE lead_id = 7;"
            "INSERT INTO answers (lead_id, question_id, value) VALUES (7, 'zeta', '1'), (7, 'alpha', '2')");
  assert_exports_agree (fixture, 20);
}

/* Leads from other kiosks or an import, older than leads already stored:
 * sorted in memory. */
static void
test_out_of_order (FlTestFixture *fixture, gconstpointer data)
{
  add_leads (fixture, 30, 1, NULL);
  add_leads (fixture, 30, -1, NULL);
  /* Edited answers are stored again, after every other lead's. */
  exec_sql (fixture->store,
            "DELETE FROM answers WHERE lead_id = 3;"
            "INSERT INTO answers (lead_id, question_id, value) VALUES (3, 'zeta', '1'), (3, 'alpha', '2')");
  /* Two leads of the same minute: newest id first. */
  exec_sql (fixture->store, "UPDATE leads SET created_at = (SELECT created_at FROM leads WHERE id = 5) WHERE id = 40");
  assert_exports_agree (fixture, 60);
}

/* More rows than a run holds in memory: sorted runs in a scratch file,
 * merged back; a row bigger than a run and than a reader's buffer. */
static void
test_runs (FlTestFixture *fixture, gconstpointer data)
{
  GString *payload = g_string_new (NULL);

  while (payload->len < 100 * 1024)
    g_string_append (payload, "{\"line\": \"a long, \\\"quoted\\\" payload\"}\n");
  add_leads (fixture, 40, -2, NULL);
  add_leads (fixture, 3, 1, payload->str);
  add_leads (fixture, 40, 3, NULL);
  g_string_free (payload, TRUE);

  _fl_store_export_set_run_bytes (2000);
  assert_exports_agree (fixture, 83);
  _fl_store_export_set_run_bytes (0);
  assert_exports_agree (fixture, 83);
}

/* An answer stored before every other, of a lead walked before the
 * last: found after the walk, which then starts again through the
 * index. Lead 1, of no event, is not exported. */
static void
test_stray_answer (FlTestFixture *fixture, gconstpointer data)
{
  g_autofree char *whole = NULL;

  add_leads (fixture, 10, -1, NULL);
  exec_sql (fixture->store,
            "UPDATE leads SET event = NULL WHERE id = 1;"
            "INSERT INTO answers (rowid, lead_id, question_id, value) VALUES (0, 5, 'late', '\"yes\"')");
  assert_exports_agree (fixture, 9);
  whole = export_whole (fixture->store);
  g_assert_nonnull (strstr (whole, "\"{\"\"late\"\":\"\"yes\"\",\"\"timeframe\"\""));
}

/* No room for the scratch file: a clear error, and no row handed out
 * before it. */
static void
test_no_scratch (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);

  add_leads (fixture, 30, -1, NULL);
  _fl_store_export_set_run_bytes (2000);
  _fl_store_export_set_scratch_dir ("/nonexistent/scratch");
  g_assert_false (fl_store_export_csv (fixture->store, NULL, collect_row_cb, csv, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "“/nonexistent/scratch”"));
  g_assert_nonnull (strstr (error->message, "TMPDIR"));
  g_assert_cmpuint (csv->len, ==, 0);
  _fl_store_export_set_scratch_dir (NULL);
  _fl_store_export_set_run_bytes (0);

  /* The store is still usable, the read transaction ended. */
  assert_exports_agree (fixture, 30);
}

/* Question ids with what JSON escapes, and a lead without answers. */
static void
test_question_ids (FlTestFixture *fixture, gconstpointer data)
{
  g_autofree char *whole = NULL;
  g_autofree char *general = NULL;

  add_leads (fixture, 4, -1, NULL);
  exec_sql (fixture->store,
            "DELETE FROM answers WHERE lead_id = 2;"
            "INSERT INTO answers (lead_id, question_id, value) VALUES "
            " (1, 'q\"uote', '1'), (1, 'back\\slash', '2'), (1, 'tab' || char (9) || 'nl' || char (10), '3'),"
            " (1, 'ctl' || char (1) || char (31) || char (8) || char (12) || char (13), '4'), (1, 'ünï', '5')");
  whole = export_whole (fixture->store);
  general = export_general (fixture->store);
  assert_same (whole, general);
  g_assert_nonnull (strstr (whole, "\"\"ctl\\u0001\\u001f\\b\\f\\r\"\":4"));
}

/* Captured in order, one lead of another event among them: straight out,
 * its answers skipped. */
static void
test_other_event_in_order (FlTestFixture *fixture, gconstpointer data)
{
  add_leads (fixture, 10, 1, NULL);
  exec_sql (fixture->store,
            "INSERT INTO events (uuid, name, created_at) VALUES ('other', 'Other', '2026-01-01T00:00:00Z');"
            "UPDATE leads SET event = 'other' WHERE id = 4");
  assert_exports_agree (fixture, 9);
}

/* Whether the export took the walk: with nowhere to sort, only the walk
 * fails on leads out of capture order. */
static gboolean
export_walks (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) csv = g_string_new (NULL);
  gboolean ok;

  _fl_store_export_set_run_bytes (1);
  _fl_store_export_set_scratch_dir ("/nonexistent/scratch");
  ok = fl_store_export_csv (store, NULL, collect_row_cb, csv, &error);
  _fl_store_export_set_scratch_dir (NULL);
  _fl_store_export_set_run_bytes (0);
  g_assert_true (ok || g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_IO));
  return !ok;
}

/* Leads of another event in the file: the walk skips them while the
 * event holds an eighth of the leads or more, else the general export
 * looks up the event's own. */
static void
test_other_event (FlTestFixture *fixture, gconstpointer data)
{
  g_autofree char *whole = NULL;

  add_leads (fixture, 12, -1, NULL);
  exec_sql (fixture->store,
            "INSERT INTO events (uuid, name, created_at) VALUES ('other', 'Other', '2026-01-01T00:00:00Z');"
            "UPDATE leads SET event = 'other' WHERE id IN (2, 5, 6)");
  g_assert_true (export_walks (fixture->store));
  assert_exports_agree (fixture, 9);
  whole = export_whole (fixture->store);
  g_assert_null (strstr (whole, ",B-1,"));
  g_assert_null (strstr (whole, ",B-4,"));
  g_assert_nonnull (strstr (whole, ",B-0,"));

  /* Answers of the other event's leads among theirs, out of lead order. */
  exec_sql (fixture->store,
            "DELETE FROM answers WHERE lead_id = 5;"
            "INSERT INTO answers (lead_id, question_id, value) VALUES (5, 'zeta', '1')");
  g_assert_true (export_walks (fixture->store));
  assert_exports_agree (fixture, 9);

  /* More leads, captured in order. */
  add_leads (fixture, 12, 1, NULL);
  assert_exports_agree (fixture, 21);

  exec_sql (fixture->store, "UPDATE leads SET event = 'other' WHERE id > 3");
  g_assert_false (export_walks (fixture->store));
  assert_exports_agree (fixture, 2);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/store-export/id-order", FlTestFixture, NULL,
              fl_test_fixture_setup, test_id_order, fl_test_fixture_teardown);
  g_test_add ("/store-export/edited-answers", FlTestFixture, NULL,
              fl_test_fixture_setup, test_edited_answers, fl_test_fixture_teardown);
  g_test_add ("/store-export/out-of-order", FlTestFixture, NULL,
              fl_test_fixture_setup, test_out_of_order, fl_test_fixture_teardown);
  g_test_add ("/store-export/runs", FlTestFixture, NULL,
              fl_test_fixture_setup, test_runs, fl_test_fixture_teardown);
  g_test_add ("/store-export/stray-answer", FlTestFixture, NULL,
              fl_test_fixture_setup, test_stray_answer, fl_test_fixture_teardown);
  g_test_add ("/store-export/no-scratch", FlTestFixture, NULL,
              fl_test_fixture_setup, test_no_scratch, fl_test_fixture_teardown);
  g_test_add ("/store-export/question-ids", FlTestFixture, NULL,
              fl_test_fixture_setup, test_question_ids, fl_test_fixture_teardown);
  g_test_add ("/store-export/other-event", FlTestFixture, NULL,
              fl_test_fixture_setup, test_other_event, fl_test_fixture_teardown);
  g_test_add ("/store-export/other-event-in-order", FlTestFixture, NULL,
              fl_test_fixture_setup, test_other_event_in_order, fl_test_fixture_teardown);
  return g_test_run ();
}
