/* test-consent-gate.c: no lead without consent leaves the kiosk, by any path
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every path that queues a lead (capture, import, rescore, status
 * override, Send Again, adding a connector, and any writer of the tables
 * such as a future merge) is tried with a visitor who refused consent and
 * one who gave it, against a real SQLite file and a real HTTP server on
 * 127.0.0.1: the refusing visitor never reaches the server, the consenting
 * one does, in the same run.
 */
#include "config.h"

#include "fl-test.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sysexits.h>

#include "score/fl-model-store.h"
#include "store/fl-capture.h"
#include "store/fl-privacy.h"
#include "store/fl-store.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync.h"
#include "sync/fl-uploader.h"
#include "sync-test-server.h"

typedef enum
{
  CONSENT_NONE,
  CONSENT_GIVEN,
  CONSENT_REFUSED,
} Consent;

typedef struct
{
  FlTestFixture base;
  FlOutbox      *outbox;
  Server        *server;
  char          *url;
} Fixture;

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

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();

  /* The default: consent_required is absent, which means required. */
  event->name = g_strdup ("Automatica 2026");
  fl_test_fixture_open (&f->base, NULL, event);
  f->outbox = fl_outbox_new (f->base.store);
  f->server = server_new (NULL);
  f->url = g_strconcat (f->server->http.url, "/hook", NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->server, server_free);
  g_clear_object (&f->outbox);
  fl_test_fixture_close (&f->base);
  g_free (f->url);
}

static JsonNode *
consent_node (gboolean given)
{
  g_autoptr(JsonNode) consent = fl_json_new_object ();
  g_autofree char *now = fl_now_iso8601 ();
  JsonObject *object = json_node_get_object (consent);

  json_object_set_string_member (object, "version", "1");
  json_object_set_boolean_member (object, "given", given);
  json_object_set_string_member (object, "method", "checkbox");
  json_object_set_string_member (object, "at", now);
  return g_steal_pointer (&consent);
}

static void
set_consent (FlLead *lead, gboolean given)
{
  g_autoptr(JsonNode) consent = consent_node (given);

  fl_lead_set_consent (lead, consent);
}

/* Saves a lead as the back office does; returns it. */
static FlLead *
save (Fixture *f, const char *email, Consent consent)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(GError) error = NULL;

  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, email);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_source (lead, FL_SOURCE_MANUAL);
  if (consent != CONSENT_NONE)
    set_consent (lead, consent == CONSENT_GIVEN);
  g_assert_true (fl_store_save_lead (f->base.store, lead, "Lena", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&lead);
}

static void
add_connector (Fixture *f, const char *name, gint64 *n_queued)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_outbox_add_connector (f->outbox, name, "webhook", f->url, options, n_queued, &error));
  g_assert_no_error (error);
}

static void
upload (Fixture *f, FlUploadSummary *summary)
{
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_uploader_run (uploader, NULL, 0, NULL, summary, &error));
  g_assert_no_error (error);
}

static gint64
count (Fixture *f, const char *sql, const char *uuid)
{
  sqlite3_stmt *stmt = fl_store_prepare (f->base.store, sql, NULL);
  gint64 n;

  g_assert_nonnull (stmt);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return n;
}

/* Rows that would still be sent: pending, sending or failed. */
static gint64
waiting (Fixture *f, const char *uuid)
{
  return count (f, "SELECT count(*) FROM outbox o JOIN leads l ON l.id = o.lead_id "
                   "WHERE l.uuid = ? AND o.state <> 'done'", uuid);
}

static gint64
withheld_audits (Fixture *f, const char *uuid)
{
  return count (f, "SELECT count(*) FROM audit WHERE lead_uuid = ? AND action = 'upload-withheld'",
                uuid);
}

/* Nothing of the lead went over the wire: not stored, not in any body. */
static void
assert_never_sent (Fixture *f, const char *uuid, const char *email)
{
  g_assert_cmpuint (server_count_stored (f->server, uuid), ==, 0);
  for (guint i = 0; i < f->server->requests->len; i++)
    {
      ServerRequest *request = server_get_request (f->server, i);

      g_assert_null (strstr (request->body, uuid));
      if (email != NULL)
        g_assert_null (strstr (request->body, email));
    }
}

static void
assert_sent (Fixture *f, const char *uuid, guint times)
{
  g_assert_cmpuint (server_count_stored (f->server, uuid), ==, times);
}

/* Runs fairlead-cli with --db and the arguments. */
static void
cli (Fixture *f, Run *run, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list ap;

  g_ptr_array_add (args, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, f->base.db_path);
  va_start (ap, run);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *) args->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (process);
  g_test_message ("fairlead-cli %s: %d\n%s%s", (char *) args->pdata[3], run->status, run->out, run->err);
}

static char *
uuid_of (Fixture *f, const char *email)
{
  sqlite3_stmt *stmt = fl_store_prepare (f->base.store, "SELECT uuid FROM leads WHERE email = ?", NULL);
  char *uuid = NULL;

  sqlite3_bind_text (stmt, 1, email, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  g_assert_nonnull (uuid);
  return uuid;
}

/* Capture in the core, as the kiosk does. */
static void
test_capture (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlCaptureResult) refused = NULL;
  g_autoptr(FlCaptureResult) given = NULL;
  g_autoptr(GError) error = NULL;
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;

  add_connector (f, "hook", NULL);
  request.payload = "MECARD:N:Nein,Rita;EMAIL:rita.refused@example.com;;";
  request.consent = FL_CAPTURE_CONSENT_REFUSED;
  request.consent_version = "1";
  refused = fl_capture (f->base.store, &request, &error);
  g_assert_no_error (error);
  request.payload = "MECARD:N:Ja,Gina;EMAIL:gina.given@example.com;;";
  request.consent = FL_CAPTURE_CONSENT_GIVEN;
  given = fl_capture (f->base.store, &request, &error);
  g_assert_no_error (error);

  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused->lead)), ==, 0);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (given->lead)), ==, 1);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 1);
  assert_sent (f, fl_lead_get_uuid (given->lead), 1);
  assert_never_sent (f, fl_lead_get_uuid (refused->lead), "rita.refused@example.com");
}

/* The defect as reported: capture --no-consent and an imported refusal,
 * then model load, rescore and upload, all with fairlead-cli. */
static void
test_cli_capture_import_rescore (Fixture *f, gconstpointer data)
{
  g_autofree char *model = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json", NULL);
  g_autofree char *leads = g_build_filename (f->base.dir, "leads.jsonl", NULL);
  g_autofree char *refused_capture = NULL, *given_capture = NULL;
  const char *refused_import = "11111111-1111-4111-8111-111111111111";
  const char *unknown_import = "22222222-2222-4222-8222-222222222222";
  const char *given_import = "33333333-3333-4333-8333-333333333333";
  const char *answers = "\"answers\": {\"timeframe\": \"3m\", \"budget\": \"approved\", \"role\": \"decides\"}";
  g_autofree char *contents = g_strdup_printf (
    "{\"uuid\": \"%s\", \"full_name\": \"Ida Refused\", \"email\": \"ida.refused@example.com\", %s,"
    " \"consent\": {\"version\": \"1\", \"given\": false}}\n"
    "{\"uuid\": \"%s\", \"full_name\": \"Udo Unasked\", \"email\": \"udo.unasked@example.com\", %s}\n"
    "{\"uuid\": \"%s\", \"full_name\": \"Gabi Given\", \"email\": \"gabi.given@example.com\", %s,"
    " \"consent\": {\"version\": \"1\", \"given\": true}}\n",
    refused_import, answers, unknown_import, answers, given_import, answers);

  g_assert_true (g_file_set_contents (leads, contents, -1, NULL));
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "connector", "add", "hook", "--type", "webhook", "--url", f->url, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "capture", "--payload", "MECARD:N:Nein,Rita;EMAIL:rita.refused@example.com;;",
         "--no-consent", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "capture", "--payload", "MECARD:N:Ja,Gina;EMAIL:gina.given@example.com;;",
         "--consent", "1", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "leads", "import", leads, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  refused_capture = uuid_of (f, "rita.refused@example.com");
  given_capture = uuid_of (f, "gina.given@example.com");
  g_assert_cmpint (waiting (f, refused_capture), ==, 0);
  g_assert_cmpint (waiting (f, refused_import), ==, 0);
  g_assert_cmpint (waiting (f, unknown_import), ==, 0);

  /* A model changes every imported lead's score: rescore queues them. */
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "model", "load", model, NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "rescore", NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "5 changed"));
  }
  g_assert_cmpint (waiting (f, refused_import), ==, 0);
  g_assert_cmpint (waiting (f, unknown_import), ==, 0);
  g_assert_cmpint (waiting (f, given_import), ==, 1);
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "upload", "--max-wait", "0", NULL);
    g_assert_cmpint (run.status, ==, 0);
  }
  assert_sent (f, given_capture, 1);
  assert_sent (f, given_import, 1);
  assert_never_sent (f, refused_capture, "rita.refused@example.com");
  assert_never_sent (f, refused_import, "ida.refused@example.com");
  assert_never_sent (f, unknown_import, "udo.unasked@example.com");

  /* Send Again from the command line: refused for the refusing visitor,
   * with a message and nothing sent; done for the consenting one. */
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "upload", "--max-wait", "0", "--requeue", refused_import, NULL);
    g_assert_cmpint (run.status, ==, EX_DATAERR);
    g_assert_nonnull (strstr (run.err, "consent"));
    g_assert_nonnull (strstr (run.err, refused_import));
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "upload", "--max-wait", "0", "--requeue", given_import, NULL);
    g_assert_cmpint (run.status, ==, 0);
    g_assert_nonnull (strstr (run.out, "Delivered: 1 lead"));
  }
  {
    g_auto(Run) run = { 0 };
    cli (f, &run, "upload", "--requeue", given_import, "--dry-run", NULL);
    g_assert_cmpint (run.status, ==, EX_USAGE);
  }
  assert_sent (f, given_import, 2);
  assert_never_sent (f, refused_import, "ida.refused@example.com");
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE lead_uuid = ? AND action = 'send-again'",
                          given_import), ==, 1);
}

/* A status set by hand saves the lead again, which queues it. */
static void
test_status_override (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(FlLead) refused = save (f, "rolf.refused@example.com", CONSENT_REFUSED);
  g_autoptr(FlLead) given = save (f, "greta.given@example.com", CONSENT_GIVEN);
  g_autoptr(GError) error = NULL;

  add_connector (f, "hook", NULL);
  upload (f, &first);
  g_assert_cmpuint (first.delivered, ==, 1);
  for (guint i = 0; i < 2; i++)
    {
      FlLead *lead = i == 0 ? refused : given;

      g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (lead), "SAL", "Petra",
                                             "Asked for a quote", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused)), ==, 0);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (given)), ==, 1);
  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  assert_sent (f, fl_lead_get_uuid (given), 2);
  assert_never_sent (f, fl_lead_get_uuid (refused), "rolf.refused@example.com");
}

/* Send Again (the back office's button calls the same function). */
static void
test_requeue (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(FlLead) refused = save (f, "rudi.refused@example.com", CONSENT_REFUSED);
  g_autoptr(FlLead) unasked = save (f, "uwe.unasked@example.com", CONSENT_NONE);
  g_autoptr(FlLead) given = save (f, "gerd.given@example.com", CONSENT_GIVEN);
  g_autoptr(GError) error = NULL;
  gint64 queued = -1;

  add_connector (f, "hook", NULL);
  upload (f, &first);
  assert_sent (f, fl_lead_get_uuid (given), 1);

  for (guint i = 0; i < 2; i++)
    {
      FlLead *lead = i == 0 ? refused : unasked;

      queued = -1;
      g_assert_false (fl_outbox_requeue_lead (f->outbox, fl_lead_get_uuid (lead), "Lena", &queued, &error));
      g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONSENT);
      g_assert_nonnull (strstr (error->message, "consent"));
      g_clear_error (&error);
      g_assert_cmpint (queued, ==, -1);
      g_assert_cmpint (waiting (f, fl_lead_get_uuid (lead)), ==, 0);
    }
  g_assert_false (fl_outbox_requeue_lead (f->outbox, "00000000-0000-4000-8000-000000000000", "Lena", NULL, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (fl_outbox_requeue_lead (f->outbox, fl_lead_get_uuid (given), "Lena", &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queued, ==, 1);
  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  assert_sent (f, fl_lead_get_uuid (given), 2);
  assert_never_sent (f, fl_lead_get_uuid (refused), "rudi.refused@example.com");
  assert_never_sent (f, fl_lead_get_uuid (unasked), "uwe.unasked@example.com");
}

/* A connector added after the show queues what is stored: not all of it. */
static void
test_connector_add (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlLead) refused = save (f, "rosa.refused@example.com", CONSENT_REFUSED);
  g_autoptr(FlLead) unasked = save (f, "ute.unasked@example.com", CONSENT_NONE);
  g_autoptr(FlLead) given = save (f, "gustav.given@example.com", CONSENT_GIVEN);
  gint64 queued = -1;

  add_connector (f, "hook", &queued);
  g_assert_cmpint (queued, ==, 1);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 1);
  assert_sent (f, fl_lead_get_uuid (given), 1);
  assert_never_sent (f, fl_lead_get_uuid (refused), "rosa.refused@example.com");
  assert_never_sent (f, fl_lead_get_uuid (unasked), "ute.unasked@example.com");
}

/* Withdrawn consent: what waits is removed, with an audit entry, and
 * nothing queues the lead again; what went out stays recorded. */
static void
test_withdrawal (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(FlLead) delivered = save (f, "dora.delivered@example.com", CONSENT_GIVEN);
  g_autoptr(FlLead) waiting_lead = NULL;
  g_autoptr(FlLead) ledger = NULL;
  g_autoptr(FlLead) given = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  add_connector (f, "hook", NULL);
  add_connector (f, "other", NULL);
  upload (f, &first);
  assert_sent (f, fl_lead_get_uuid (delivered), 2);

  waiting_lead = save (f, "willi.waiting@example.com", CONSENT_GIVEN);
  ledger = save (f, "lea.ledger@example.com", CONSENT_GIVEN);
  given = save (f, "gisela.given@example.com", CONSENT_GIVEN);
  /* One waits, one failed for good (to be retried after a fix). */
  sql = g_strdup_printf ("UPDATE outbox SET state = 'failed', last_error = 'refused' "
                         "WHERE connector = 'other' AND lead_id IN (SELECT id FROM leads WHERE uuid IN ('%s', '%s'))",
                         fl_lead_get_uuid (waiting_lead), fl_lead_get_uuid (ledger));
  g_assert_true (fl_store_exec (f->base.store, sql, &error));
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (waiting_lead)), ==, 2);

  /* Withdrawn on the lead page or in the back office: a save. */
  set_consent (waiting_lead, FALSE);
  g_assert_true (fl_store_save_lead (f->base.store, waiting_lead, "Lena", &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (waiting_lead)), ==, 0);
  g_assert_cmpint (withheld_audits (f, fl_lead_get_uuid (waiting_lead)), ==, 2);

  /* Any other writer of the ledger (a merge, booth sync): the same. */
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("INSERT INTO consents (lead_id, text_version, given, staff, at) "
                         "SELECT id, '1', 0, 'Jonas', strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', 'now', '+1 second') "
                         "FROM leads WHERE uuid = '%s'",
                         fl_lead_get_uuid (ledger));
  g_assert_true (fl_store_exec (f->base.store, sql, &error));
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (ledger)), ==, 0);
  g_assert_cmpint (withheld_audits (f, fl_lead_get_uuid (ledger)), ==, 2);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE lead_uuid = ? AND action = 'upload-withheld' "
                             "AND actor = 'Jonas' AND detail LIKE '%other%'", fl_lead_get_uuid (ledger)), ==, 1);

  /* Delivered, then withdrawn and edited: the delivery stays on record,
   * the edit does not go out. */
  set_consent (delivered, FALSE);
  fl_lead_set_notes (delivered, "Please do not contact me");
  g_assert_true (fl_store_save_lead (f->base.store, delivered, "Lena", &error));
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (delivered)), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox o JOIN leads l ON l.id = o.lead_id "
                             "WHERE l.uuid = ? AND o.state = 'done'", fl_lead_get_uuid (delivered)), ==, 2);
  g_assert_cmpint (fl_outbox_retry_failed (f->outbox, NULL, &error), ==, 0);
  g_assert_no_error (error);

  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 2);
  assert_sent (f, fl_lead_get_uuid (given), 2);
  assert_sent (f, fl_lead_get_uuid (delivered), 2);
  assert_never_sent (f, fl_lead_get_uuid (waiting_lead), "willi.waiting@example.com");
  assert_never_sent (f, fl_lead_get_uuid (ledger), "lea.ledger@example.com");
  for (guint i = 0; i < f->server->requests->len; i++)
    g_assert_null (strstr (server_get_request (f->server, i)->body, "Please do not contact me"));
}

typedef struct
{
  Fixture    *fixture;
  const char *first;
  const char *withdraw;
  const char *erase;
  gboolean    done;
} InFlight;

/* The visitor of @in_flight's withdraw lead withdraws consent on the
 * kiosk, on a connection of its own; returns that connection. */
static FlStore *
withdraw_on_kiosk (InFlight *in_flight)
{
  g_autoptr(FlStore) kiosk = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  kiosk = fl_store_open (in_flight->fixture->base.db_path, &error);
  g_assert_no_error (error);
  lead = fl_store_get_lead (kiosk, in_flight->withdraw, &error);
  g_assert_no_error (error);
  set_consent (lead, FALSE);
  g_assert_true (fl_store_save_lead (kiosk, lead, "Lena", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&kiosk);
}

/* Called by the uploader between two halves of a split batch: the
 * visitor withdraws consent on the kiosk (its own connection) while the
 * lead is claimed for sending. */
static void
in_flight_outcome_cb (const FlUploadOutcome *outcome, gpointer user_data)
{
  InFlight *in_flight = user_data;
  g_autoptr(FlStore) kiosk = NULL;
  g_autoptr(GError) error = NULL;

  if (in_flight->done || g_strcmp0 (outcome->lead_uuid, in_flight->first) != 0)
    return;
  in_flight->done = TRUE;
  kiosk = withdraw_on_kiosk (in_flight);
  /* And another visitor asks to be erased. */
  g_assert_true (fl_privacy_erase_lead (kiosk, in_flight->erase, "Lena", &error));
  g_assert_no_error (error);
}

/* Withdrawn between queueing and sending: the uploader checks again right
 * before the batch leaves, drops the lead and says so. */
static void
test_withdrawn_in_flight (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  InFlight in_flight = { f };

  /* The second has an address the server refuses: the batch of five is
   * split, and the second half waits while the first is sent. */
  g_ptr_array_add (leads, save (f, "anna@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "bad-bert@example", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "carl@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "wanda.withdraws@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "erik.erased@example.com", CONSENT_GIVEN));
  add_connector (f, "hook", NULL);
  in_flight.first = fl_lead_get_uuid (leads->pdata[0]);
  in_flight.withdraw = fl_lead_get_uuid (leads->pdata[3]);
  in_flight.erase = fl_lead_get_uuid (leads->pdata[4]);

  fl_uploader_set_callbacks (uploader, in_flight_outcome_cb, NULL, &in_flight);
  g_assert_true (fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_true (in_flight.done);

  g_assert_cmpuint (summary.delivered, ==, 2);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_assert_cmpuint (summary.withheld, ==, 1);
  assert_sent (f, fl_lead_get_uuid (leads->pdata[0]), 1);
  assert_sent (f, fl_lead_get_uuid (leads->pdata[2]), 1);
  /* The first, refused batch of five carried them; nothing after that. */
  g_assert_cmpuint (server_count_stored (f->server, in_flight.withdraw), ==, 0);
  g_assert_cmpuint (server_count_stored (f->server, in_flight.erase), ==, 0);
  for (guint i = 1; i < f->server->requests->len; i++)
    {
      g_assert_null (strstr (server_get_request (f->server, i)->body, in_flight.withdraw));
      g_assert_null (strstr (server_get_request (f->server, i)->body, in_flight.erase));
    }
  g_assert_cmpint (waiting (f, in_flight.withdraw), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM audit WHERE lead_uuid = ? AND action = 'upload-withheld' "
                             "AND detail LIKE '%hook%'", in_flight.withdraw), ==, 1);
}

/* Called after the first batch of two is on disk, with the second batch
 * already claimed in the same transaction: the visitor of the second
 * batch withdraws consent on the kiosk (its own connection). */
static void
claimed_outcome_cb (const FlUploadOutcome *outcome, gpointer user_data)
{
  InFlight *in_flight = user_data;

  if (in_flight->done || g_strcmp0 (outcome->lead_uuid, in_flight->first) != 0)
    return;
  in_flight->done = TRUE;
  g_object_unref (withdraw_on_kiosk (in_flight));
}

/* Withdrawn after the lead's batch was claimed with the outcome of the
 * batch before it: the consent read with the batch's leads, right before
 * it leaves, drops the lead; the other lead of that batch goes alone. */
static void
test_withdrawn_claimed (Fixture *f, gconstpointer data)
{
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  InFlight in_flight = { f };

  g_ptr_array_add (leads, save (f, "anna@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "bert@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "carl@example.com", CONSENT_GIVEN));
  g_ptr_array_add (leads, save (f, "wanda.withdraws@example.com", CONSENT_GIVEN));
  json_object_set_string_member (options, "batch_size", "2");
  g_assert_true (fl_outbox_add_connector (f->outbox, "hook", "webhook", f->url, options, NULL, &error));
  g_assert_no_error (error);
  in_flight.first = fl_lead_get_uuid (leads->pdata[0]);
  in_flight.withdraw = fl_lead_get_uuid (leads->pdata[3]);

  fl_uploader_set_callbacks (uploader, claimed_outcome_cb, NULL, &in_flight);
  g_assert_true (fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error));
  g_assert_no_error (error);
  g_assert_true (in_flight.done);

  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (summary.withheld, ==, 1);
  g_assert_cmpuint (f->server->requests->len, ==, 2);
  assert_sent (f, fl_lead_get_uuid (leads->pdata[2]), 1);
  assert_never_sent (f, in_flight.withdraw, "wanda.withdraws@example.com");
  g_assert_cmpint (waiting (f, in_flight.withdraw), ==, 0);
  g_assert_cmpint (withheld_audits (f, in_flight.withdraw), ==, 1);
  g_assert_cmpint (count (f, "SELECT count(*) FROM sync_log s JOIN leads l ON l.id = s.lead_id "
                             "WHERE l.uuid = ? AND s.result = 'delivered'",
                          fl_lead_get_uuid (leads->pdata[2])), ==, 1);
}

/* Whatever writes the outbox (a merge of another kiosk's database, booth
 * sync, a script): the schema refuses a lead without consent. */
static void
test_any_writer (Fixture *f, gconstpointer data)
{
  g_autoptr(FlLead) refused = save (f, "rex.refused@example.com", CONSENT_REFUSED);
  g_autoptr(FlLead) unasked = save (f, "una.unasked@example.com", CONSENT_NONE);
  g_autoptr(FlLead) changed = save (f, "carla.changed@example.com", CONSENT_REFUSED);
  g_autoptr(FlLead) given = save (f, "gil.given@example.com", CONSENT_GIVEN);
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(FlUploadSummary) summary = { 0 };

  g_assert_true (fl_store_exec (f->base.store,
    "INSERT INTO connectors (name, type, url, created_at) VALUES ('hook', 'webhook', '', 'x');"
    "INSERT INTO outbox (lead_id, connector, state, queued_at) "
    "  SELECT id, 'hook', 'pending', 'x' FROM leads;"
    "INSERT OR REPLACE INTO outbox (lead_id, connector, state, queued_at) "
    "  SELECT id, 'hook', 'sending', 'x' FROM leads WHERE email LIKE 'r%';", &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused)), ==, 0);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (unasked)), ==, 0);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (given)), ==, 1);

  /* The latest entry of the ledger counts. */
  set_consent (changed, TRUE);
  g_assert_true (fl_store_save_lead (f->base.store, changed, "Lena", &error));
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (changed)), ==, 1);

  /* A delivery on record is not reopened for a lead without consent. */
  g_assert_true (fl_store_exec (f->base.store,
    "INSERT INTO connectors (name, type, url, created_at) VALUES ('archive', 'webhook', '', 'x');"
    "INSERT INTO outbox (lead_id, connector, state, queued_at, done_at) "
    "  SELECT id, 'archive', 'done', 'x', 'x' FROM leads;"
    "UPDATE outbox SET state = 'pending' WHERE connector = 'archive';", &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused)), ==, 0);
  g_assert_cmpint (count (f, "SELECT count(*) FROM outbox o JOIN leads l ON l.id = o.lead_id "
                             "WHERE l.uuid = ? AND o.state = 'done'", fl_lead_get_uuid (refused)), ==, 1);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (given)), ==, 2);
  g_assert_true (fl_store_exec (f->base.store, "DELETE FROM connectors WHERE name = 'archive'", &error));

  /* An event that does not require consent lets them go; when it starts
   * to require it, what waits is removed. */
  event = fl_store_get_active_event (f->base.store, &error);
  g_assert_no_error (error);
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  g_assert_true (fl_store_update_event (f->base.store, event, &error));
  g_assert_true (fl_store_exec (f->base.store, "INSERT OR IGNORE INTO outbox (lead_id, connector, state, queued_at) "
                                          "SELECT id, 'hook', 'pending', 'x' FROM leads", &error));
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused)), ==, 1);
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, TRUE);
  g_assert_true (fl_store_update_event (f->base.store, event, &error));
  g_assert_no_error (error);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (refused)), ==, 0);
  g_assert_cmpint (waiting (f, fl_lead_get_uuid (unasked)), ==, 0);
  g_assert_cmpint (withheld_audits (f, fl_lead_get_uuid (unasked)), ==, 1);

  g_assert_true (fl_store_exec (f->base.store, "DELETE FROM connectors", &error));
  add_connector (f, "live", NULL);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 2);
  assert_sent (f, fl_lead_get_uuid (given), 1);
  assert_sent (f, fl_lead_get_uuid (changed), 1);
  assert_never_sent (f, fl_lead_get_uuid (refused), "rex.refused@example.com");
  assert_never_sent (f, fl_lead_get_uuid (unasked), "una.unasked@example.com");
}

/* A database of version 3 may hold rows queued without consent: the
 * upgrade removes them and says so in the audit. */
static void
test_migration (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->base.dir, "v3.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) old = fl_store_open_at_version (path, 3, &error);
  g_autoptr(FlStore) store = NULL;

  g_assert_no_error (error);
  g_assert_true (fl_store_exec (old,
    "INSERT INTO events (uuid, name, created_at) VALUES ('e1', 'Old Show', 'x');"
    "INSERT INTO events (uuid, name, created_at, settings) VALUES ('e2', 'Open Day', 'x', '{\"consent_required\": false}');"
    "INSERT INTO connectors (name, type, created_at) VALUES ('hook', 'webhook', 'x'), ('old', 'webhook', 'x');"
    "INSERT INTO leads (id, uuid, event, created_at, updated_at, source) VALUES"
    "  (1, 'refused', 'e1', 'x', 'x', 'manual'), (2, 'unasked', 'e1', 'x', 'x', 'manual'),"
    "  (3, 'given', 'e1', 'x', 'x', 'manual'), (4, 'open-day', 'e2', 'x', 'x', 'manual');"
    "INSERT INTO consents (lead_id, given, at) VALUES (1, 1, 'a'), (1, 0, 'b'), (3, 0, 'a'), (3, 1, 'b');"
    "INSERT INTO outbox (lead_id, connector, state, queued_at) SELECT id, 'hook', 'pending', 'x' FROM leads;"
    "UPDATE outbox SET state = 'failed' WHERE lead_id = 2;"
    "INSERT INTO outbox (lead_id, connector, state, queued_at, done_at) VALUES (1, 'old', 'done', 'x', 'x');",
    &error));
  g_assert_no_error (error);
  g_clear_object (&old);

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  /* Left: the delivery on record, the consenting lead, and the lead of
   * the event that does not require consent. */
  {
    sqlite3_stmt *stmt = fl_store_prepare (store,
                                           "SELECT group_concat (lead_id || ':' || connector || ':' || state, ' ') "
                                           "FROM (SELECT * FROM outbox ORDER BY lead_id, connector)",
                                           &error);

    g_assert_no_error (error);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==,
                     "1:old:done 3:hook:pending 4:hook:pending");
    sqlite3_reset (stmt);
  }
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit WHERE action = 'upload-withheld' "
                                             "AND lead_uuid IN ('refused', 'unasked')"), ==, 2);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads WHERE upload_state = 1"), ==, 1);
  g_assert_cmpint (fl_test_query_int (store, "SELECT upload_state FROM leads WHERE uuid = 'refused'"), ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/consent-gate/capture", test_capture);
  ADD ("/consent-gate/cli-capture-import-rescore", test_cli_capture_import_rescore);
  ADD ("/consent-gate/status-override", test_status_override);
  ADD ("/consent-gate/requeue", test_requeue);
  ADD ("/consent-gate/connector-add", test_connector_add);
  ADD ("/consent-gate/withdrawal", test_withdrawal);
  ADD ("/consent-gate/withdrawn-in-flight", test_withdrawn_in_flight);
  ADD ("/consent-gate/withdrawn-claimed", test_withdrawn_claimed);
  ADD ("/consent-gate/any-writer", test_any_writer);
  ADD ("/consent-gate/migration", test_migration);
#undef ADD

  return g_test_run ();
}
