/* test-retention.c: the retention gate with a clock that cannot be trusted,
 * on real database files, in the core and through fairlead-cli
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>
#include <sysexits.h>

#include "store/fl-privacy.h"
#include "fl-test.h"

/* The leads of the scenario, by what happened to them. */
enum
{
  UNDELIVERED,      /* queued for both connectors, never sent */
  DELIVERED_BOTH,   /* delivered to both enabled connectors */
  DELIVERED_ONE,    /* delivered to one of the two */
  EXPORTED,         /* exported after its last change */
  EXPORTED_EDITED,  /* exported, then changed */
  N_LEADS
};

typedef struct
{
  FlTestFixture base;
  char         *uuids[N_LEADS];
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(GDateTime) today = g_date_time_new_now_utc ();
  g_autofree char *sql = NULL;
  JsonObject *settings = json_node_get_object (event->settings);

  event->name = g_strdup ("Retention Fair");
  event->starts_on = g_date_time_format (today, "%Y-%m-%d");
  event->ends_on = g_date_time_format (today, "%Y-%m-%d");
  json_object_set_int_member (settings, FL_SETTING_RETENTION_DAYS, 30);
  json_object_set_boolean_member (settings, FL_SETTING_CONSENT_REQUIRED, FALSE);
  fl_test_fixture_open (&fixture->base, "kiosk.db", event);
  sql = g_strdup_printf ("INSERT INTO connectors (name, type, url, created_at) VALUES"
                         " ('crm', 'webhook', 'http://127.0.0.1:9/', strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ')),"
                         " ('sheet', 'csv', '%s', strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ'))", fixture->base.dir);
  g_assert_true (fl_store_exec (fixture->base.store, sql, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_fixture_close (&fixture->base);
  for (guint i = 0; i < N_LEADS; i++)
    g_free (fixture->uuids[i]);
}

static FlLead *
save_lead (Fixture *fixture, const char *name)
{
  g_autoptr(GError) error = NULL;
  FlLead *lead = fl_lead_new ();

  fl_lead_set_source (lead, FL_SOURCE_MANUAL);
  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "someone@retention.example");
  g_assert_true (fl_store_save_lead (fixture->base.store, lead, "Tom", &error));
  g_assert_no_error (error);
  return lead;
}

static void
deliver (Fixture *fixture, const char *uuid, const char *connector)
{
  g_autofree char *sql = g_strdup_printf (
    "UPDATE outbox SET state = 'done', attempts = 1, done_at = strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ') "
    "WHERE connector = '%s' AND lead_id = (SELECT id FROM leads WHERE uuid = '%s')", connector, uuid);

  g_assert_true (fl_store_exec (fixture->base.store, sql, NULL));
}

static void
export_lead (Fixture *fixture, FlLead *lead)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (leads, lead);
  g_assert_true (fl_privacy_record_export (fixture->base.store, leads, "Petra", &error));
  g_assert_no_error (error);
}

/* The five leads, each in the state its name says. */
static void
make_scenario (Fixture *fixture)
{
  const char *names[N_LEADS] = { "Una Delivered", "Bea Both", "Otto One", "Ella Exported", "Eddi Edited" };

  for (guint i = 0; i < N_LEADS; i++)
    {
      g_autoptr(FlLead) lead = save_lead (fixture, names[i]);

      fixture->uuids[i] = g_strdup (fl_lead_get_uuid (lead));
      if (i == EXPORTED || i == EXPORTED_EDITED)
        export_lead (fixture, lead);
      if (i == EXPORTED_EDITED)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *now = NULL;

          /* A change a moment after the export. */
          g_usleep (5000);
          now = fl_now_iso8601 ();
          fl_lead_set_notes (lead, "Wants a quote after all");
          fl_lead_set_updated_at (lead, now);
          g_assert_true (fl_store_save_lead (fixture->base.store, lead, "Petra", &error));
          g_assert_no_error (error);
        }
    }
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM outbox WHERE state = 'pending'"),
                   ==, 2 * N_LEADS);
  deliver (fixture, fixture->uuids[DELIVERED_BOTH], "crm");
  deliver (fixture, fixture->uuids[DELIVERED_BOTH], "sheet");
  deliver (fixture, fixture->uuids[DELIVERED_ONE], "crm");
}

static gboolean
lead_exists (Fixture *fixture, const char *uuid)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM leads WHERE uuid = '%s'", uuid);

  return fl_test_query_int (fixture->base.store, sql) == 1;
}

static gboolean
contains (GPtrArray *uuids, const char *uuid)
{
  return g_ptr_array_find_with_equal_func (uuids, uuid, g_str_equal, NULL);
}

static GDateTime *
days_from_now (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add_days (now, days);
}

static FlRetention *
apply (Fixture *fixture, int days, FlRetentionFlags flags)
{
  g_autoptr(GDateTime) now = days_from_now (days);
  g_autoptr(GError) error = NULL;
  FlRetention *retention = fl_privacy_apply_retention (fixture->base.store, now, flags, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (retention);
  return retention;
}

/* The defect: a clock a year ahead erased every lead, delivered or not. */
static void
test_clock_ahead (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlRetention) early = NULL;
  g_autoptr(FlRetention) retention = NULL;
  g_autofree char *report = NULL;

  make_scenario (fixture);

  /* Within the 30 days: nothing is due, nothing to report. */
  early = apply (fixture, 10, FL_RETENTION_DEFAULT);
  g_assert_cmpuint (early->due->len, ==, 0);
  g_assert_cmpuint (early->undelivered->len, ==, 0);
  g_assert_false (early->clock_behind);
  g_assert_null (fl_retention_describe (early));

  retention = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_false (retention->clock_behind);
  g_assert_true (retention->deleted);
  g_assert_cmpuint (retention->due->len, ==, 2);
  g_assert_true (contains (retention->due, fixture->uuids[DELIVERED_BOTH]));
  g_assert_true (contains (retention->due, fixture->uuids[EXPORTED]));
  g_assert_cmpuint (retention->undelivered->len, ==, 3);
  g_assert_true (contains (retention->undelivered, fixture->uuids[UNDELIVERED]));
  g_assert_true (contains (retention->undelivered, fixture->uuids[DELIVERED_ONE]));
  g_assert_true (contains (retention->undelivered, fixture->uuids[EXPORTED_EDITED]));

  g_assert_true (lead_exists (fixture, fixture->uuids[UNDELIVERED]));
  g_assert_false (lead_exists (fixture, fixture->uuids[DELIVERED_BOTH]));
  g_assert_true (lead_exists (fixture, fixture->uuids[DELIVERED_ONE]));
  g_assert_false (lead_exists (fixture, fixture->uuids[EXPORTED]));
  g_assert_true (lead_exists (fixture, fixture->uuids[EXPORTED_EDITED]));
  g_assert_cmpint (fl_test_query_int (fixture->base.store,
                                      "SELECT count(*) FROM audit WHERE action = 'erased' AND actor = 'retention'"),
                   ==, 2);

  report = fl_retention_describe (retention);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "3 leads are past their retention period but never reached a CRM"));
  g_assert_nonnull (strstr (report, "--include-undelivered"));
}

static void
test_dry_run (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlRetention) retention = NULL;

  make_scenario (fixture);
  retention = apply (fixture, 400, FL_RETENTION_DRY_RUN | FL_RETENTION_INCLUDE_UNDELIVERED);
  g_assert_false (retention->deleted);
  g_assert_cmpuint (retention->due->len, ==, N_LEADS);
  g_assert_cmpuint (retention->undelivered->len, ==, 3);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM audit WHERE action = 'erased'"), ==, 0);
}

static void
test_include_undelivered (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlRetention) retention = NULL;

  make_scenario (fixture);
  retention = apply (fixture, 400, FL_RETENTION_INCLUDE_UNDELIVERED);
  g_assert_true (retention->deleted);
  g_assert_cmpuint (retention->due->len, ==, N_LEADS);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, 0);
  /* What it deleted it does not report as kept. */
  g_assert_null (fl_retention_describe (retention));
}

/* A clock earlier than the newest record: nothing is deleted, whatever is
 * asked, until a person says the clock is right. */
static void
test_clock_behind (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlRetention) retention = NULL;
  g_autoptr(FlRetention) included = NULL;
  g_autoptr(FlRetention) backwards = NULL;
  g_autoptr(FlRetention) trusted = NULL;
  g_autofree char *report = NULL;

  make_scenario (fixture);
  /* Once, the kiosk ran 500 days ahead and captured an interaction. */
  g_assert_true (fl_store_exec (fixture->base.store,
    "INSERT INTO interactions (lead_id, kind, at) SELECT id, 'demo', "
    "strftime ('%Y-%m-%dT%H:%M:%fZ', 'now', '+500 days') FROM leads LIMIT 1", NULL));

  retention = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_true (retention->clock_behind);
  g_assert_false (retention->deleted);
  g_assert_cmpuint (retention->due->len, ==, 2);
  included = apply (fixture, 400, FL_RETENTION_INCLUDE_UNDELIVERED);
  g_assert_true (included->clock_behind);
  g_assert_false (included->deleted);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS);

  report = fl_retention_describe (retention);
  g_assert_nonnull (report);
  g_assert_nonnull (strstr (report, "The clock reads "));
  g_assert_nonnull (strstr (report, "earlier than the newest record "));
  g_assert_nonnull (strstr (report, "automatic purge is paused"));
  g_assert_nonnull (strstr (report, retention->newest ? "UTC" : "?"));

  /* A clock that went backwards from today: nothing is due either. */
  backwards = apply (fixture, -1, FL_RETENTION_INCLUDE_UNDELIVERED);
  g_assert_false (backwards->deleted);
  g_assert_cmpuint (backwards->due->len, ==, 0);

  trusted = apply (fixture, 400, FL_RETENTION_TRUST_CLOCK);
  g_assert_true (trusted->deleted);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS - 2);
}

static void
test_connectors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) only_crm = save_lead (fixture, "Carl Crm");
  g_autoptr(FlLead) nowhere = NULL;
  g_autoptr(FlRetention) retention = NULL;
  g_autoptr(FlRetention) later = NULL;

  /* A disabled connector does not hold a lead back… */
  deliver (fixture, fl_lead_get_uuid (only_crm), "crm");
  g_assert_true (fl_store_exec (fixture->base.store, "UPDATE connectors SET enabled = 0 WHERE name = 'sheet'", NULL));
  retention = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_cmpuint (retention->due->len, ==, 1);
  g_assert_false (lead_exists (fixture, fl_lead_get_uuid (only_crm)));

  /* …but with no connector enabled, a lead that went nowhere is kept. */
  g_assert_true (fl_store_exec (fixture->base.store, "UPDATE connectors SET enabled = 0", NULL));
  nowhere = save_lead (fixture, "Nora Nowhere");
  later = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_cmpuint (later->due->len, ==, 0);
  g_assert_cmpuint (later->undelivered->len, ==, 1);
  g_assert_true (lead_exists (fixture, fl_lead_get_uuid (nowhere)));
}

static void
test_no_retention (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlRetention) retention = NULL;

  make_scenario (fixture);
  json_object_remove_member (json_node_get_object (fixture->base.event->settings), FL_SETTING_RETENTION_DAYS);
  g_assert_true (fl_store_update_event (fixture->base.store, fixture->base.event, NULL));
  retention = apply (fixture, 4000, FL_RETENTION_INCLUDE_UNDELIVERED);
  g_assert_cmpuint (retention->due->len, ==, 0);
  g_assert_cmpuint (retention->undelivered->len, ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS);
}

/* fairlead-cli */

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs fairlead-cli on the fixture's database, under faketime
 * @clock_offset when it is not NULL. */
static void
run_cli (Fixture *fixture, Run *run, const char *clock_offset, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  if (clock_offset != NULL)
    {
      g_ptr_array_add (argv, (gpointer) "faketime");
      g_ptr_array_add (argv, (gpointer) clock_offset);
    }
  g_ptr_array_add (argv, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (gpointer) "--db");
  g_ptr_array_add (argv, fixture->base.db_path);
  va_start (args, clock_offset);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("exit %d\nstdout: %s\nstderr: %s", run->status, run->out, run->err);
}

/* The clock 400 days ahead for the CLI: by faketime when it is there, else
 * by a database 400 days older, which the CLI cannot tell apart. */
static const char *
clock_ahead (Fixture *fixture)
{
  g_autofree char *faketime = g_find_program_in_path ("faketime");

  /* faketime preloads its library, which an AddressSanitizer build of the
   * CLI refuses ("ASan runtime does not come first"). */
#ifndef __SANITIZE_ADDRESS__
  if (faketime != NULL)
    return "+400 days";
#endif
  g_test_message ("faketime is not installed or cannot preload here: the database is aged instead");
  fl_test_shift_times (fixture->base.store, -400);
  return NULL;
}

static void
test_cli_clock_ahead (Fixture *fixture, gconstpointer data)
{
  const char *offset;

  make_scenario (fixture);
  offset = clock_ahead (fixture);
  g_clear_object (&fixture->base.store);

  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", "--dry-run", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, fixture->uuids[DELIVERED_BOTH]));
    g_assert_nonnull (strstr (run.out, fixture->uuids[EXPORTED]));
    g_assert_null (strstr (run.out, fixture->uuids[UNDELIVERED]));
    g_assert_nonnull (strstr (run.err, "2 leads would be deleted"));
    g_assert_nonnull (strstr (run.err, "3 leads are past their retention period"));
    g_assert_nonnull (strstr (run.err, fixture->uuids[UNDELIVERED]));
    g_assert_nonnull (strstr (run.err, fixture->uuids[DELIVERED_ONE]));
    g_assert_nonnull (strstr (run.err, fixture->uuids[EXPORTED_EDITED]));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "sync", "status", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, "3 leads are past their retention period"));
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.err, "2 leads deleted"));
    g_assert_nonnull (strstr (run.err, "--include-undelivered"));
  }
  fixture->base.store = fl_store_open (fixture->base.db_path, NULL);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, 3);
  g_assert_true (lead_exists (fixture, fixture->uuids[UNDELIVERED]));
  g_assert_true (lead_exists (fixture, fixture->uuids[DELIVERED_ONE]));
  g_assert_true (lead_exists (fixture, fixture->uuids[EXPORTED_EDITED]));
  g_clear_object (&fixture->base.store);

  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", "--include-undelivered", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.err, "3 leads deleted"));
  }
  fixture->base.store = fl_store_open (fixture->base.db_path, NULL);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, 0);
}

static void
test_cli_clock_behind (Fixture *fixture, gconstpointer data)
{
  const char *offset;

  make_scenario (fixture);
  offset = clock_ahead (fixture);
  /* The newest record lies beyond even the clock that runs ahead. */
  g_assert_true (fl_store_exec (fixture->base.store,
    "UPDATE audit SET at = strftime ('%Y-%m-%dT%H:%M:%fZ', 'now', '+500 days') "
    "WHERE id = (SELECT max (id) FROM audit)", NULL));
  g_clear_object (&fixture->base.store);

  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", NULL);
    g_assert_cmpint (run.status, ==, EX_TEMPFAIL);
    g_assert_nonnull (strstr (run.err, "The clock reads "));
    g_assert_nonnull (strstr (run.err, "automatic purge is paused"));
    g_assert_nonnull (strstr (run.err, "--trust-clock"));
    g_assert_cmpstr (run.out, ==, "");
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", "--include-undelivered", NULL);
    g_assert_cmpint (run.status, ==, EX_TEMPFAIL);
  }
  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "sync", "status", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.out, "automatic purge is paused"));
  }
  fixture->base.store = fl_store_open (fixture->base.db_path, NULL);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS);
  g_clear_object (&fixture->base.store);

  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, offset, "purge", "--trust-clock", NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
    g_assert_nonnull (strstr (run.err, "2 leads deleted"));
  }
  fixture->base.store = fl_store_open (fixture->base.db_path, NULL);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, N_LEADS - 2);
}

/* `fairlead-cli export` records the hand-over: the export starts the
 * retention period as a delivery does. */
static void
test_cli_export (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Xaver Export");
  g_autofree char *file = g_build_filename (fixture->base.dir, "leads.csv", NULL);
  g_autoptr(FlRetention) before = NULL;
  g_autoptr(FlRetention) after = NULL;

  before = apply (fixture, 400, FL_RETENTION_DRY_RUN);
  g_assert_cmpuint (before->due->len, ==, 0);
  g_assert_cmpuint (before->undelivered->len, ==, 1);
  g_clear_object (&fixture->base.store);

  {
    g_auto(Run) run = { 0 };

    run_cli (fixture, &run, NULL, "export", "--format", "csv", "-o", file, NULL);
    g_assert_cmpint (run.status, ==, EX_OK);
  }
  fixture->base.store = fl_store_open (fixture->base.db_path, NULL);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM audit WHERE action = 'exported'"),
                   ==, 1);
  after = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_cmpuint (after->due->len, ==, 1);
  g_assert_true (after->deleted);
  g_assert_false (lead_exists (fixture, fl_lead_get_uuid (lead)));
}

/* An export of the whole event is recorded with one audit entry and the
 * event's export mark, not an entry per lead: what it held is handed over,
 * a lead saved or changed after the export began is not. */
static void
test_export_mark (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) kept = save_lead (fixture, "Anna Exported");
  g_autoptr(FlLead) edited = save_lead (fixture, "Egon Edited");
  g_autoptr(FlLead) later = NULL;
  g_autoptr(FlExportMark) mark = NULL;
  g_autoptr(FlExportMark) again = NULL;
  g_autoptr(FlRetention) first = NULL;
  g_autoptr(FlRetention) second = NULL;
  g_autofree char *now = NULL;

  g_usleep (3000);
  mark = fl_privacy_export_mark_new (fixture->base.store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (mark);
  g_usleep (3000);
  /* Saved while the file is written: not in it. */
  later = save_lead (fixture, "Lena Later");
  g_assert_true (fl_privacy_record_export_mark (fixture->base.store, mark, 2, "csv", "Petra", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (fixture->base.store,
                                      "SELECT count(*) FROM audit WHERE action = 'exported'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->base.store,
                                      "SELECT count(*) FROM audit WHERE action = 'exported' "
                                      "AND lead_uuid IS NULL AND detail LIKE '2 leads of event %'"), ==, 1);
  /* Changed after the export. */
  g_usleep (3000);
  now = fl_now_iso8601 ();
  fl_lead_set_notes (edited, "Call back in autumn");
  fl_lead_set_updated_at (edited, now);
  g_assert_true (fl_store_save_lead (fixture->base.store, edited, "Petra", &error));
  g_assert_no_error (error);

  first = apply (fixture, 400, FL_RETENTION_DRY_RUN);
  g_assert_cmpuint (first->due->len, ==, 1);
  g_assert_true (contains (first->due, fl_lead_get_uuid (kept)));
  g_assert_cmpuint (first->undelivered->len, ==, 2);
  g_assert_true (contains (first->undelivered, fl_lead_get_uuid (edited)));
  g_assert_true (contains (first->undelivered, fl_lead_get_uuid (later)));

  /* The next export covers them all, and replaces the mark. */
  g_usleep (3000);
  again = fl_privacy_export_mark_new (fixture->base.store, &error);
  g_assert_no_error (error);
  g_assert_true (fl_privacy_record_export_mark (fixture->base.store, again, 3, "json", "Petra", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (fixture->base.store,
                                      "SELECT count(*) FROM meta WHERE key GLOB 'export-mark:*'"), ==, 1);
  second = apply (fixture, 400, FL_RETENTION_DEFAULT);
  g_assert_cmpuint (second->due->len, ==, 3);
  g_assert_true (second->deleted);
  g_assert_cmpint (fl_test_query_int (fixture->base.store, "SELECT count(*) FROM leads"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/retention/clock-ahead", test_clock_ahead);
  ADD ("/retention/dry-run", test_dry_run);
  ADD ("/retention/include-undelivered", test_include_undelivered);
  ADD ("/retention/clock-behind", test_clock_behind);
  ADD ("/retention/connectors", test_connectors);
  ADD ("/retention/no-retention", test_no_retention);
  ADD ("/retention/export-mark", test_export_mark);
  if (g_getenv ("FAIRLEAD_CLI") != NULL)
    {
      ADD ("/retention/cli/clock-ahead", test_cli_clock_ahead);
      ADD ("/retention/cli/clock-behind", test_cli_clock_behind);
      ADD ("/retention/cli/export", test_cli_export);
    }
#undef ADD

  return g_test_run ();
}
