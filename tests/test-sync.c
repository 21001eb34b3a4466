/* test-sync.c: connectors and uploads against a real server on 127.0.0.1
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "store/fl-store.h"
#include "sync/fl-connectors.h"
#include "sync/fl-outbox.h"
#include "sync/fl-secret.h"
#include "sync/fl-sync.h"
#include "sync/fl-upload-worker.h"
#include "sync/fl-uploader.h"
#include "sync-test-server.h"

#define SIGNING_KEY "whsec-test-key"
#define TOKEN "pat-test-token"

typedef FlTestOutboxFixture Fixture;

/* Saves @n leads; the one at @bad_index (if < n) gets an invalid email. */
static void
add_leads (Fixture *f, guint n, guint bad_index)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(GError) error = NULL;
      g_autofree char *first = g_strdup_printf ("Visitor%u", f->uuids->len);
      g_autofree char *email = i == bad_index
                                 ? g_strdup_printf ("bad-address-%u@example", f->uuids->len)
                                 : g_strdup_printf ("visitor%u@example.com", f->uuids->len);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Muster");
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, i % 3 ? "ACME GmbH" : NULL);
      fl_lead_set_status (lead, i % 4 == 0 ? FL_STATUS_SAL : FL_STATUS_MQL);
      fl_lead_set_score (lead, 40 + (int) i % 50);
      fl_lead_set_notes (lead, "Wants a demo in June");
      fl_lead_set_source (lead, FL_SOURCE_BADGE);
      fl_test_give_consent (lead, TRUE);
      fl_store_save_lead (f->base.store, lead, "test", &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
    }
}

static void
add_connector (Fixture *f, const char *name, const char *type, const char *url, ...)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *key;
  va_list args;

  va_start (args, url);
  while ((key = va_arg (args, const char *)) != NULL)
    json_object_set_string_member (options, key, va_arg (args, const char *));
  va_end (args);
  fl_outbox_add_connector (f->outbox, name, type, url, options, NULL, &error);
  g_assert_no_error (error);
}

static char *
join_url (Server *server, const char *path)
{
  return g_strconcat (server->http.url, path, NULL);
}

static void
upload (Fixture *f, const char *connector, double max_wait, FlUploadSummary *summary)
{
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GError) error = NULL;

  fl_uploader_run (uploader, connector, (gint64) (max_wait * G_USEC_PER_SEC), NULL, summary, &error);
  g_assert_no_error (error);
}

static char *
outbox_value (Fixture *f, const char *uuid, const char *connector, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT o.%s FROM outbox o JOIN leads l ON l.id = o.lead_id "
                                          "WHERE l.uuid = ? AND o.connector = ?", column);
  sqlite3_stmt *stmt = fl_store_prepare (f->base.store, sql, NULL);
  char *value = NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, connector, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
assert_state (Fixture *f, const char *uuid, const char *connector, const char *state)
{
  g_autofree char *value = outbox_value (f, uuid, connector, "state");
  g_assert_cmpstr (value, ==, state);
}

static void
assert_each_stored_once (Fixture *f, Server *server, guint except)
{
  for (guint i = 0; i < f->uuids->len; i++)
    g_assert_cmpuint (server_count_stored (server, f->uuids->pdata[i]), ==, i == except ? 0 : 1);
}

/* Webhook */

/* A lead without consent is kept on the kiosk and never sent; once the
 * visitor consents it goes out, and a withdrawn consent stops it. */
static void
test_consent_required (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_auto(FlUploadSummary) third = { 0 };
  const char *states[] = { "given", "none", "refused" };
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  gboolean allowed = TRUE;

  add_connector (f, "hook", "webhook", url, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      FlLead *lead = fl_lead_new ();
      g_autofree char *email = g_strdup_printf ("%s@example.com", states[i]);

      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      if (i != 1)
        fl_test_give_consent (lead, i == 0);
      fl_store_save_lead (f->base.store, lead, "test", &error);
      g_assert_no_error (error);
      g_ptr_array_add (leads, lead);
    }
  g_assert_cmpint (fl_store_count_held_for_consent (f->base.store, NULL, &error), ==, 2);
  g_assert_true (fl_store_lead_upload_allowed (f->base.store, fl_lead_get_uuid (leads->pdata[1]), &allowed, &error));
  g_assert_false (allowed);

  upload (f, NULL, 0, &first);
  g_assert_cmpuint (first.delivered, ==, 1);
  g_assert_cmpuint (server_n_stored (server), ==, 1);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (leads->pdata[0])), ==, 1);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (leads->pdata[1])), ==, 0);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (leads->pdata[2])), ==, 0);
  /* Nothing of theirs went over the wire at all. */
  for (guint i = 0; i < server->requests->len; i++)
    {
      ServerRequest *request = server_get_request (server, i);
      g_assert_null (strstr (request->body, "none@example.com"));
      g_assert_null (strstr (request->body, "refused@example.com"));
    }

  /* The visitor without a decision consents at the back office. */
  fl_test_give_consent (leads->pdata[1], TRUE);
  fl_store_save_lead (f->base.store, leads->pdata[1], "marketing", &error);
  g_assert_no_error (error);
  upload (f, NULL, 0, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (leads->pdata[1])), ==, 1);

  /* Withdrawn before an edit went out: the update stays on the kiosk. */
  fl_test_give_consent (leads->pdata[0], FALSE);
  fl_lead_set_notes (leads->pdata[0], "withdrew consent");
  fl_store_save_lead (f->base.store, leads->pdata[0], "marketing", &error);
  g_assert_no_error (error);
  upload (f, NULL, 0, &third);
  g_assert_cmpuint (third.delivered, ==, 0);
  g_assert_cmpuint (server_n_stored (server), ==, 2);
  g_assert_cmpint (fl_store_count_held_for_consent (f->base.store, NULL, &error), ==, 2);
}

static void
cancel_on_outcome (const FlUploadOutcome *outcome, gpointer user_data)
{
  g_cancellable_cancel (user_data);
}

/* The next batch is claimed with the last one's outcome; cancelled before
 * it is sent, it goes back to pending as it was, attempts included. */
static void
test_webhook_cancel_gives_back_claim (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) rest = { 0 };
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  add_leads (f, 250, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  fl_uploader_set_callbacks (uploader, cancel_on_outcome, NULL, cancellable);
  fl_uploader_run (uploader, NULL, 0, cancellable, &summary, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 1);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'done'"), ==, 100);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'sending'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox "
                                                "WHERE state = 'pending' AND attempts = 0"), ==, 150);

  /* The rest goes out in the next run. */
  upload (f, NULL, 0, &rest);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'done'"), ==, 250);
  assert_each_stored_once (f, server, G_MAXUINT);
}

typedef struct
{
  FlStore *store;
  gint64 temp_store;
} TempStoreSeen;

static void
record_temp_store (const FlUploadOutcome *outcome, gpointer user_data)
{
  TempStoreSeen *seen = user_data;

  seen->temp_store = fl_test_query_int (seen->store, "PRAGMA temp_store");
}

/* Marking a delivered batch rewrites its leads through the outbox
 * triggers; the statement's sub-journal outgrew SQLite's spill size and
 * went to a temporary file per batch. While the uploader runs, temporary
 * storage is in memory (2); afterwards it is the default (0) again. */
static void
test_webhook_journal_in_memory (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GError) error = NULL;
  TempStoreSeen seen = { f->base.store, -1 };

  add_leads (f, 150, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  fl_uploader_set_callbacks (uploader, record_temp_store, NULL, &seen);
  fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (summary.delivered, ==, 150);
  g_assert_cmpint (seen.temp_store, ==, 2);
  g_assert_cmpint (fl_test_query_int (f->base.store, "PRAGMA temp_store"), ==, 0);
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_webhook_success (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);

  add_leads (f, 250, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, "signing", "true", NULL);
  upload (f, NULL, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 250);
  g_assert_cmpuint (summary.failed, ==, 0);
  g_assert_cmpint (summary.pending, ==, 0);
  /* Up to 100 leads a batch */
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 3);
  assert_each_stored_once (f, server, G_MAXUINT);
  for (guint i = 0; i < 3; i++)
    {
      ServerRequest *request = server_get_request (server, i);
      g_autofree char *signature = fl_webhook_sign (SIGNING_KEY, request->body, strlen (request->body));
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *body, *event;

      g_assert_cmpstr (request->method, ==, "POST");
      g_assert_cmpstr (request->content_type, ==, "application/json");
      g_assert_cmpstr (request->user_agent, ==, "Fairlead/" PACKAGE_VERSION);
      g_assert_true (g_str_has_prefix (request->signature, "sha256="));
      g_assert_cmpuint (strlen (request->signature), ==, strlen ("sha256=") + 64);
      g_assert_cmpstr (request->signature, ==, signature);
      g_assert_nonnull (request->idempotency_key);
      g_assert_false (g_hash_table_contains (keys, request->idempotency_key));
      g_hash_table_add (keys, request->idempotency_key);

      g_assert_true (json_parser_load_from_data (parser, request->body, -1, NULL));
      body = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpstr (json_object_get_string_member (body, "schema"), ==, "fairlead.leads.v1");
      event = json_object_get_object_member (body, "event");
      g_assert_cmpstr (json_object_get_string_member (event, "name"), ==, "Hannover Messe");
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (body, "leads")), ==,
                        i < 2 ? 100 : 50);
    }
  /* SALs go first */
  {
    JsonObject *first = json_node_get_object (server->records->pdata[0]);
    g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "SAL");
  }
  for (guint i = 0; i < f->uuids->len; i++)
    assert_state (f, f->uuids->pdata[i], "hook", "done");
}

static void
test_webhook_retry_500 (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };

  server->mode = SERVER_FAIL_ONCE;
  add_leads (f, 20, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  upload (f, NULL, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 20);
  g_assert_cmpuint (summary.retried, ==, 20);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 2);
  g_assert_cmpstr (server_get_request (server, 0)->idempotency_key, ==,
                   server_get_request (server, 1)->idempotency_key);
  /* FAIRLEAD_SECRET_HOOK is set: signed without signing=true. */
  {
    ServerRequest *request = server_get_request (server, 0);
    g_autofree char *signature = fl_webhook_sign (SIGNING_KEY, request->body, strlen (request->body));

    g_assert_cmpstr (request->signature, ==, signature);
  }
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_webhook_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_auto(FlUploadSummary) third = { 0 };
  gint64 before = fl_sync_now ();
  gint64 gap;

  server->mode = SERVER_RETRY_AFTER;
  server->retry_after = 2;
  add_leads (f, 5, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);

  /* Without waiting: the leads stay pending, with the server's time. */
  upload (f, NULL, 0, &first);
  g_assert_cmpuint (first.delivered, ==, 0);
  g_assert_cmpint (first.pending, ==, 5);
  g_assert_cmpint (first.next_attempt, >=, before + 2 * G_USEC_PER_SEC);
  {
    g_autofree char *error = outbox_value (f, f->uuids->pdata[0], "hook", "last_error");
    g_assert_nonnull (strstr (error, "429"));
  }

  /* Not yet due: nothing is sent. */
  upload (f, NULL, 0, &second);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 1);
  g_assert_cmpint (second.pending, ==, 5);

  upload (f, NULL, 10, &third);
  g_assert_cmpuint (third.delivered, ==, 5);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 2);
  gap = server_get_request (server, 1)->at - server_get_request (server, 0)->at;
  g_assert_cmpint (gap, >=, 2 * G_USEC_PER_SEC - 10000);
  g_assert_cmpstr (server_get_request (server, 0)->idempotency_key, ==,
                   server_get_request (server, 1)->idempotency_key);
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_webhook_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };

  server->mode = SERVER_DROP_ONCE;
  add_leads (f, 30, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  upload (f, NULL, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 30);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 2);
  /* The server had stored the batch; the retry carried the same key. */
  g_assert_cmpstr (server_get_request (server, 0)->idempotency_key, ==,
                   server_get_request (server, 1)->idempotency_key);
  g_assert_cmpuint (server_n_stored (server), ==, 30);
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_webhook_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };

  server->mode = SERVER_SLOW_ONCE;
  server->slow_ms = 2500;
  add_leads (f, 10, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, "timeout", "1", NULL);
  upload (f, NULL, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 10);
  g_assert_cmpuint (summary.retried, ==, 10);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 2);
  g_assert_cmpstr (server_get_request (server, 0)->idempotency_key, ==,
                   server_get_request (server, 1)->idempotency_key);
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_webhook_bad_lead (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *reason = NULL;

  add_leads (f, 16, 11);
  add_connector (f, "hook", "webhook", url, NULL);
  upload (f, NULL, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 15);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_assert_cmpint (summary.pending, ==, 0);
  assert_each_stored_once (f, server, 11);
  assert_state (f, f->uuids->pdata[11], "hook", "failed");
  reason = outbox_value (f, f->uuids->pdata[11], "hook", "last_error");
  g_assert_nonnull (strstr (reason, "422"));
  g_assert_nonnull (strstr (reason, "invalid email address bad-address-11"));
  /* Bisection: 16 → 8 + 8 → 4 + 4 → 2 + 2 → 1 + 1, and the good halves */
  g_assert_cmpuint (server_count_requests (server, "/hook"), <=, 1 + 2 * 4);
}

static void
test_webhook_unauthorized (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) again = { 0 };
  g_autoptr(GError) error = NULL;
  const char *message;

  server->mode = SERVER_UNAUTHORIZED;
  add_leads (f, 250, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  fl_uploader_run (uploader, NULL, 30 * G_USEC_PER_SEC, NULL, &summary, &error);
  g_assert_no_error (error);

  /* One request, no retry storm, nothing lost. */
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_assert_cmpuint (summary.delivered + summary.failed, ==, 0);
  g_assert_cmpint (summary.pending, ==, 250);
  message = g_hash_table_lookup (summary.stopped, "hook");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "401"));
  g_assert_nonnull (strstr (message, "FAIRLEAD_SECRET_HOOK"));
  for (guint i = 0; i < f->uuids->len; i++)
    assert_state (f, f->uuids->pdata[i], "hook", "pending");

  /* A long-running uploader (the kiosk) leaves the connector alone. */
  fl_uploader_run (uploader, NULL, 0, NULL, &again, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_assert_true (g_hash_table_contains (again.stopped, "hook"));
}

static char *
make_certificate (const char *dir, char **key_path)
{
  g_autofree char *cert_path = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *subject_alt = g_strdup ("subjectAltName=IP:127.0.0.1");
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", subject_alt, "-keyout", NULL, "-out", cert_path, NULL,
  };

  *key_path = g_build_filename (dir, "key.pem", NULL);
  argv[13] = *key_path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  if (error != NULL || !g_spawn_check_wait_status (status, NULL))
    return NULL;
  return g_steal_pointer (&cert_path);
}

static void
test_webhook_tls (Fixture *f, gconstpointer data)
{
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = make_certificate (f->base.dir, &key_path);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(Server) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(FlUploadSummary) untrusted = { 0 };
  g_auto(FlUploadSummary) trusted = { 0 };
  const char *message;

  if (cert_path == NULL)
    {
      g_test_skip ("openssl cannot make a test certificate");
      return;
    }
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_test_skip ("GIO has no TLS backend (install glib-networking)");
      return;
    }
  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  server = server_new (certificate);
  g_assert_true (g_str_has_prefix (server->http.url, "https://127.0.0.1:"));
  url = join_url (server, "/hook");
  add_leads (f, 3, G_MAXUINT);

  /* The system's CAs do not know the certificate: stop, say why. */
  add_connector (f, "plain", "webhook", url, NULL);
  upload (f, "plain", 0, &untrusted);
  message = g_hash_table_lookup (untrusted.stopped, "plain");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "ca_file"));
  g_assert_cmpuint (server_n_stored (server), ==, 0);

  add_connector (f, "pinned", "webhook", url, "ca_file", cert_path, NULL);
  upload (f, "pinned", 0, &trusted);
  g_assert_cmpuint (trusted.delivered, ==, 3);
  assert_each_stored_once (f, server, G_MAXUINT);
}

static void
test_edited_lead_requeued (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) connector = NULL;

  add_leads (f, 3, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  upload (f, NULL, 0, &first);
  g_assert_cmpuint (first.delivered, ==, 3);

  lead = fl_store_get_lead (f->base.store, f->uuids->pdata[1], &error);
  g_assert_no_error (error);
  fl_lead_set_field (lead, FL_FIELD_TITLE, "Head of Purchasing");
  fl_store_save_lead (f->base.store, lead, "marketing", &error);
  g_assert_no_error (error);
  assert_state (f, f->uuids->pdata[1], "hook", "pending");

  connector = fl_outbox_get_connector (f->outbox, "hook", &error);
  pending = fl_outbox_list (f->outbox, connector, "pending", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_true (((FlOutboxEntry *) pending->pdata[0])->known);

  upload (f, NULL, 0, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  g_assert_cmpuint (server_count_requests (server, "/hook"), ==, 2);
  /* A new batch key for new content */
  g_assert_cmpstr (server_get_request (server, 0)->idempotency_key, !=,
                   server_get_request (server, 1)->idempotency_key);
  g_assert_nonnull (strstr (server_get_request (server, 1)->body, "Head of Purchasing"));
}

/* HubSpot */

static void
test_hubspot (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  JsonObject *sal, *mql;
  ServerRequest *request;

  server->token = g_strdup (TOKEN);
  add_leads (f, 120, 7);
  /* A lead HubSpot cannot find a contact for */
  {
    g_autoptr(FlLead) lead = fl_lead_new ();
    fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Jane Doe");
    fl_test_give_consent (lead, TRUE);
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
    g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
  }
  add_connector (f, "hub", "hubspot", server->http.url, "score_property", "fairlead_score",
                 "lead_status_sal", "OPEN", NULL);

  connector = fl_outbox_get_connector (f->outbox, "hub", &error);
  g_assert_true (fl_connector_test (connector, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "salesqualifiedlead"));

  upload (f, NULL, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 119);
  g_assert_cmpuint (summary.failed, ==, 2);
  g_assert_cmpuint (server_count_requests (server, "/crm/v3/objects/contacts/batch/upsert"), ==, 2);

  /* the test's stage list and properties, then the run's stage order,
   * read, upsert */
  request = server_get_request (server, 4);
  g_assert_cmpstr (request->path, ==, "/crm/v3/objects/contacts/batch/upsert");
  g_assert_cmpstr (request->authorization, ==, "Bearer " TOKEN);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_node_get_object (json_from_string (request->body, NULL)), "inputs")), <=, 100);

  reason = outbox_value (f, f->uuids->pdata[7], "hub", "last_error");
  g_test_message ("reason: %s", reason);
  g_assert_nonnull (strstr (reason, "Email address bad-address-7@example is invalid"));
  assert_state (f, f->uuids->pdata[7], "hub", "failed");
  g_clear_pointer (&reason, g_free);
  reason = outbox_value (f, f->uuids->pdata[120], "hub", "last_error");
  g_assert_nonnull (strstr (reason, "no email address"));

  remote = outbox_value (f, f->uuids->pdata[1], "hub", "remote_id");
  g_assert_nonnull (remote);
  sal = server_find_record (server, "email", "visitor0@example.com");
  g_assert_nonnull (sal);
  g_assert_cmpstr (json_object_get_string_member (sal, "lifecyclestage"), ==, "salesqualifiedlead");
  g_assert_cmpstr (json_object_get_string_member (sal, "hs_lead_status"), ==, "OPEN");
  g_assert_cmpstr (json_object_get_string_member (sal, "firstname"), ==, "Visitor0");
  g_assert_cmpstr (json_object_get_string_member (sal, "fairlead_score"), ==, "40");
  mql = server_find_record (server, "email", "visitor1@example.com");
  g_assert_cmpstr (json_object_get_string_member (mql, "lifecyclestage"), ==, "marketingqualifiedlead");
  g_assert_cmpstr (json_object_get_string_member (mql, "company"), ==, "ACME GmbH");
  g_assert_false (json_object_has_member (mql, "hs_lead_status"));
}

static void
test_hubspot_rejected (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  server->token = g_strdup ("another-token");
  add_leads (f, 5, G_MAXUINT);
  add_connector (f, "hub", "hubspot", server->http.url, NULL);
  connector = fl_outbox_get_connector (f->outbox, "hub", &error);
  g_assert_false (fl_connector_test (connector, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH);
  g_clear_error (&error);

  upload (f, NULL, 10, &summary);
  /* The read of the current stages meets the 401 first. */
  g_assert_cmpuint (server_count_requests (server, "/crm/v3/objects/contacts/batch/read"), ==, 1);
  g_assert_cmpuint (server_count_requests (server, "/crm/v3/objects/contacts/batch/upsert"), ==, 0);
  g_assert_true (g_hash_table_contains (summary.stopped, "hub"));
  g_assert_cmpint (summary.pending, ==, 5);

  /* A stage the portal does not have is caught by the test. */
  g_free (server->token);
  server->token = g_strdup (TOKEN);
  add_connector (f, "hub2", "hubspot", server->http.url, "lifecycle_sal", "hotlead", NULL);
  g_clear_object (&connector);
  connector = fl_outbox_get_connector (f->outbox, "hub2", &error);
  g_assert_false (fl_connector_test (connector, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "hotlead"));
}

/* Salesforce */

static void
test_salesforce (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  JsonObject *record;
  ServerRequest *request;

  server->token = g_strdup (TOKEN);
  add_leads (f, 250, 3);
  add_connector (f, "sf", "salesforce", server->http.url, NULL);
  connector = fl_outbox_get_connector (f->outbox, "sf", &error);
  g_assert_true (fl_connector_test (connector, report, NULL, &error));
  g_assert_no_error (error);

  upload (f, NULL, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 249);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_assert_cmpuint (server_count_requests (server, "/services/data/v59.0/composite/sobjects/Lead/Fairlead_UUID__c"), ==, 2);
  /* after describe and the lookups, the upsert */
  for (guint i = 0; (request = server_get_request (server, i))->path[strlen ("/services/data/v59.0/")] == 'q' ||
                    g_str_has_suffix (request->path, "/describe"); i++)
    g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/services/data/v59.0/composite/sobjects/Lead/Fairlead_UUID__c");
  g_assert_cmpstr (request->method, ==, "PATCH");
  assert_each_stored_once (f, server, 3);
  reason = outbox_value (f, f->uuids->pdata[3], "sf", "last_error");
  g_assert_nonnull (strstr (reason, "INVALID_EMAIL_ADDRESS"));
  remote = outbox_value (f, f->uuids->pdata[0], "sf", "remote_id");
  g_assert_true (g_str_has_prefix (remote, "00Q"));

  record = server_find_record (server, "Fairlead_UUID__c", f->uuids->pdata[0]);
  g_assert_cmpstr (json_object_get_string_member (record, "Company"), ==, "[not provided]");
  g_assert_cmpstr (json_object_get_string_member (record, "Status"), ==, "Working - Contacted");
  g_assert_cmpstr (json_object_get_string_member (record, "LeadSource"), ==, "Trade Show");
  g_assert_nonnull (strstr (json_object_get_string_member (record, "Description"), "Wants a demo"));
  record = server_find_record (server, "Fairlead_UUID__c", f->uuids->pdata[1]);
  g_assert_cmpstr (json_object_get_string_member (record, "Status"), ==, "Open - Not Contacted");
  g_assert_cmpstr (json_object_get_string_member (record, "Company"), ==, "ACME GmbH");
}

static void
test_salesforce_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  gint64 gap;

  server->token = g_strdup (TOKEN);
  server->mode = SERVER_RETRY_AFTER;
  server->retry_after = 1;
  add_leads (f, 4, G_MAXUINT);
  add_connector (f, "sf", "salesforce", server->http.url, NULL);
  upload (f, NULL, 5, &summary);
  g_assert_cmpuint (summary.delivered, ==, 4);
  /* the 429, then the Lead and Contact lookups and the upsert */
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 4);
  gap = server_get_request (server, 1)->at - server_get_request (server, 0)->at;
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 10000);
  assert_each_stored_once (f, server, G_MAXUINT);
}

/* CSV */

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autofree char *folder = g_build_filename (f->base.dir, "exports", NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GDir) dir = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *path = NULL;
  g_autofree char *remote = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  add_leads (f, 12, G_MAXUINT);
  add_connector (f, "files", "csv", folder, NULL);
  upload (f, NULL, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 12);

  remote = outbox_value (f, f->uuids->pdata[0], "files", "remote_id");
  g_assert_true (g_str_has_prefix (remote, "fairlead-"));
  path = g_build_filename (folder, remote, NULL);
  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "uuid,"));
  g_assert_nonnull (strstr (contents, "visitor5@example.com"));

  /* Another run makes another file. */
  {
    g_auto(FlUploadSummary) again = { 0 };
    guint n_files = 0;

    add_leads (f, 2, G_MAXUINT);
    upload (f, NULL, 0, &again);
    g_assert_cmpuint (again.delivered, ==, 2);
    dir = g_dir_open (folder, 0, &error);
    g_assert_no_error (error);
    while (g_dir_read_name (dir) != NULL)
      n_files++;
    g_assert_cmpuint (n_files, ==, 2);
  }
}

/* Secrets */

static void
test_secret_env (void)
{
  g_autofree char *name = fl_secret_env_name ("my-hook.1");
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *missing = NULL;
  gint64 start;

  g_assert_cmpstr (name, ==, "FAIRLEAD_SECRET_MY_HOOK_1");
  g_setenv (name, "from-env", TRUE);
  secret = fl_secret_lookup ("my-hook.1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (secret, ==, "from-env");
  g_unsetenv (name);

  /* No keyring in the test environment: a clear error, quickly. */
  start = g_get_monotonic_time ();
  missing = fl_secret_lookup ("my-hook.1", &error);
  g_assert_null (missing);
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET);
  g_assert_nonnull (strstr (error->message, "FAIRLEAD_SECRET_MY_HOOK_1"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 6 * G_USEC_PER_SEC);
  g_clear_error (&error);
  g_assert_false (fl_secret_store ("my-hook.1", "x", &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET);
}

static void
test_missing_token (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_auto(FlUploadSummary) summary = { 0 };
  const char *message;

  add_leads (f, 2, G_MAXUINT);
  add_connector (f, "nokey", "hubspot", server->http.url, NULL);
  upload (f, NULL, 0, &summary);
  message = g_hash_table_lookup (summary.stopped, "nokey");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "FAIRLEAD_SECRET_NOKEY"));
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 0);
  g_assert_cmpint (summary.pending, ==, 2);
}

static void
test_bad_config (void)
{
  static const struct
  {
    const char *type, *url, *key, *value, *expect;
  } cases[] = {
    { "ftp", "https://x", NULL, NULL, "Unknown connector type" },
    { "webhook", NULL, NULL, NULL, "needs the URL" },
    { "webhook", "file:///etc/passwd", NULL, NULL, "must start with https://" },
    { "webhook", "https://x", "timeout", "soon", "number of seconds" },
    { "webhook", "https://x", "ca_file", "/nonexistent/ca.pem", "does not exist" },
    { "salesforce", NULL, NULL, NULL, "instance URL" },
    { "salesforce", "https://x", "external_id_field", "Id; DROP", "not a Salesforce field" },
    { "hubspot", NULL, "id_property", "a b", "not a HubSpot property" },
    { "csv", NULL, NULL, NULL, "needs the folder" },
    { "csv", "relative/dir", NULL, NULL, "absolute path" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) options = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(FlConnector) connector = NULL;

      if (cases[i].key != NULL)
        json_object_set_string_member (options, cases[i].key, cases[i].value);
      connector = fl_connector_new ("c", cases[i].type, cases[i].url, options, &error);
      g_assert_null (connector);
      g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
      g_assert_nonnull (strstr (error->message, cases[i].expect));
    }
}

/* The one list of types names each type the core makes, and no other. */
static void
test_connector_types (void)
{
  guint n_types = 0;
  const FlConnectorType *types = fl_connector_get_types (&n_types);
  g_autofree char *ids = fl_connector_join_type_ids ("|");

  g_assert_cmpuint (n_types, ==, 7);
  g_assert_cmpstr (ids, ==, "webhook|hubspot|salesforce|dynamics|zoho|pipedrive|csv");
  for (guint i = 0; i < n_types; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FlConnector) connector = fl_connector_new ("c", types[i].id, NULL, NULL, &error);

      g_assert_true (fl_connector_lookup_type (types[i].id) == &types[i]);
      g_assert_nonnull (types[i].label);
      g_assert_nonnull (types[i].options);
      /* Made, or refused for what it lacks, never for its type. */
      if (connector == NULL)
        g_assert_null (strstr (error->message, "Unknown connector type"));
    }
  g_assert_null (fl_connector_lookup_type ("ftp"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlConnector) connector = fl_connector_new ("c", "ftp", "https://x", NULL, &error);
    g_autofree char *expected = g_strdup_printf ("Unknown connector type “ftp” (expected one of: %s)",
                                                 "webhook, hubspot, salesforce, dynamics, zoho, pipedrive, csv");

    g_assert_null (connector);
    g_assert_cmpstr (error->message, ==, expected);
  }
  g_assert_cmpstr (fl_connector_lookup_type ("pipedrive")->secret, ==, "API Token");
}

/* Worker */

static void
notify_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  gboolean *changed = user_data;

  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  *changed = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}


/* Closes the lock file's descriptor, its lock with it, after 200 ms. */
static gpointer
release_after_200ms (gpointer data)
{
  g_usleep (200 * 1000);
  close (GPOINTER_TO_INT (data));
  return NULL;
}

static void
test_worker (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_autoptr(FlUploadWorker) worker = NULL;
  gboolean changed = FALSE, expired = FALSE;
  guint timeout;

  add_connector (f, "hook", "webhook", url, NULL);
  worker = fl_upload_worker_new (f->base.db_path);
  fl_upload_worker_set_interval (worker, 3600);
  g_signal_connect (worker, "notify::last-success", G_CALLBACK (notify_cb), &changed);
  fl_upload_worker_start (worker);

  /* Capture on the main thread's own connection, then wake the worker. */
  add_leads (f, 7, G_MAXUINT);
  fl_upload_worker_wake (worker);

  timeout = g_timeout_add_seconds (20, timeout_cb, &expired);
  while (!expired && (fl_upload_worker_get_last_success (worker) == 0 ||
                      fl_upload_worker_get_pending (worker) > 0 ||
                      fl_upload_worker_get_busy (worker)))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);

  g_assert_true (changed);
  g_assert_cmpint (fl_upload_worker_get_pending (worker), ==, 0);
  g_assert_cmpint (fl_upload_worker_get_failed (worker), ==, 0);
  g_assert_null (fl_upload_worker_get_last_error (worker));
  assert_each_stored_once (f, server, G_MAXUINT);

  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, 1);
  g_assert_cmpint (fl_upload_worker_get_undelivered (worker), ==, 0);

  /* Between its rounds the worker holds no lock: the back office's Upload
   * Now (another uploader, the same process) runs beside it. While one
   * really uploads, another steps back. */
  {
    g_autoptr(FlUploader) other = fl_uploader_new (f->base.store);
    g_autoptr(FlUploader) third = fl_uploader_new (f->base.store);
    g_auto(FlUploadSummary) summary = { 0 };
    g_auto(FlUploadSummary) refused = { 0 };
    g_autoptr(GError) error = NULL;

    g_assert_true (fl_uploader_run (other, NULL, 0, NULL, &summary, &error));
    g_assert_no_error (error);
    g_assert_true (fl_uploader_lock (other, &error));
    g_assert_false (fl_uploader_run (third, NULL, 0, NULL, &refused, &error));
    g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_BUSY);
  }

  /* Upload Now waits for a round in progress instead of giving up at once:
   * a lock still held after the wait is BUSY; once released it is taken. */
  {
    g_autoptr(FlUploader) waiting = fl_uploader_new (f->base.store);
    g_autofree char *lock_path = g_strconcat (f->base.db_path, ".upload-lock", NULL);
    g_autoptr(GError) error = NULL;
    int fd = open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    GThread *releaser;

    g_assert_cmpint (fd, >=, 0);
    g_assert_cmpint (flock (fd, LOCK_EX | LOCK_NB), ==, 0);
    g_assert_false (fl_uploader_lock_wait (waiting, 120, NULL, &error));
    g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_BUSY);
    g_clear_error (&error);
    releaser = g_thread_new ("release", release_after_200ms, GINT_TO_POINTER (fd));
    g_assert_true (fl_uploader_lock_wait (waiting, 10000, NULL, &error));
    g_assert_no_error (error);
    g_thread_join (releaser);
  }

  fl_upload_worker_stop (worker);
  g_assert_finalize_object (g_steal_pointer (&worker));
}

/* CLI */


static int
run_cli (Fixture *f, const char *input, char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->base.db_path);
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* No CRM connected: the worker says so, and how many leads are only here. */
static void
test_worker_no_crm (Fixture *f, gconstpointer data)
{
  g_autoptr(FlUploadWorker) worker = NULL;
  gboolean expired = FALSE;
  guint timeout;

  add_leads (f, 3, G_MAXUINT);
  worker = fl_upload_worker_new (f->base.db_path);
  fl_upload_worker_set_interval (worker, 3600);
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, -1);
  fl_upload_worker_start (worker);
  timeout = g_timeout_add_seconds (20, timeout_cb, &expired);
  while (!expired && fl_upload_worker_get_connectors (worker) < 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (fl_upload_worker_get_connectors (worker), ==, 0);
  g_assert_cmpint (fl_upload_worker_get_undelivered (worker), ==, 3);
  g_assert_cmpint (fl_upload_worker_get_pending (worker), ==, 0);
  g_assert_null (fl_upload_worker_get_last_error (worker));

  /* A capture wakes it: one more lead only here. */
  add_leads (f, 1, G_MAXUINT);
  fl_upload_worker_wake (worker);
  while (!expired && fl_upload_worker_get_undelivered (worker) < 4)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (timeout);
  g_assert_cmpint (fl_upload_worker_get_undelivered (worker), ==, 4);

  fl_upload_worker_stop (worker);
  g_assert_finalize_object (g_steal_pointer (&worker));
}

static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_autofree char *out = NULL, *err = NULL;
  int status;

  /* The store must not be open in this process while the CLI writes. */
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);

  status = run_cli (f, NULL, &out, &err, "connector", "add", "crm", "--type", "webhook", "--url", url,
                    "--option", "timeout=5", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Connector “crm” added"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "connector", "add", "crm", "--type", "webhook", "--url", url, NULL);
  g_assert_cmpint (status, ==, 78);
  g_assert_nonnull (strstr (err, "already a connector"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "connector", "add", "x", "--type", "webhook", "--url", url,
                    "--option", "nonsense", NULL);
  g_assert_cmpint (status, ==, 64);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A keyring is needed to keep a secret; without one, say what to do. */
  status = run_cli (f, "s3cret\n", &out, &err, "connector", "add", "signed", "--type", "webhook",
                    "--url", url, "--secret-stdin", NULL);
  g_assert_cmpint (status, ==, 77);
  g_assert_nonnull (strstr (err, "FAIRLEAD_SECRET_SIGNED"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "connector", "list", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"name\" : \"crm\""));
  g_assert_null (strstr (out, "signed"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "connector", "test", "crm", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "works"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Leads, then the three exits: delivered, failed, waiting. */
  f->base.store = fl_store_open (f->base.db_path, NULL);
  f->outbox = fl_outbox_new (f->base.store);
  add_leads (f, 5, 2);
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);

  status = run_cli (f, NULL, &out, &err, "upload", "--dry-run", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Would send 5 new and 0 updated leads"));
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1); /* the connector test */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "upload", NULL);
  g_assert_cmpint (status, ==, 65);
  g_assert_nonnull (strstr (out, "Delivered: 4 leads"));
  g_assert_nonnull (strstr (out, "Failed: 1 lead"));
  g_assert_nonnull (strstr (out, f->uuids->pdata[2]));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "sync", "status", "--json", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"delivered\" : 4"));
  g_assert_nonnull (strstr (out, "\"failed\" : 1"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "upload", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  server->mode = SERVER_RETRY_AFTER;
  server->retry_after = 120;
  g_mutex_lock (&server->mutex);
  g_ptr_array_set_size (server->requests, 0);
  g_mutex_unlock (&server->mutex);
  f->base.store = fl_store_open (f->base.db_path, NULL);
  f->outbox = fl_outbox_new (f->base.store);
  add_leads (f, 1, G_MAXUINT);
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);
  status = run_cli (f, NULL, &out, &err, "upload", "--max-wait", "1", NULL);
  g_assert_cmpint (status, ==, 75);
  g_assert_nonnull (strstr (out, "Still pending: 1 lead, next attempt at"));
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "sync", "status", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "next attempt"));
  g_assert_nonnull (strstr (out, "429"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, NULL, &out, &err, "connector", "remove", "crm", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_cli (f, NULL, &out, &err, "connector", "test", "crm", NULL);
  g_assert_cmpint (status, ==, 66);

  f->base.store = fl_store_open (f->base.db_path, NULL);
  f->outbox = fl_outbox_new (f->base.store);
}

/* Killed during an upload: restart, every lead once. */
/* `sync status` and `upload` with no CRM connected: the truth, not
 * "nothing pending". */
static void
test_cli_no_crm (Fixture *f, gconstpointer data)
{
  g_autofree char *out = NULL, *err = NULL;
  int status;

  add_leads (f, 1, G_MAXUINT);
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);

  status = run_cli (f, NULL, &out, &err, "sync", "status", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpstr (out, ==, "No CRM connected — 1 lead is only on this kiosk. "
                            "Add one with “fairlead-cli connector add”.\n");
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  f->base.store = fl_store_open (f->base.db_path, NULL);
  add_leads (f, 2, G_MAXUINT);
  g_clear_object (&f->base.store);

  status = run_cli (f, NULL, &out, &err, "sync", "status", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "No CRM connected — 3 leads are only on this kiosk."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* Nothing can be delivered: not a success (0), a setup to do (78). */
  status = run_cli (f, NULL, &out, &err, "upload", NULL);
  g_assert_cmpint (status, ==, 78);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "No CRM connected — 3 leads are only on this kiosk."));
  g_assert_nonnull (strstr (err, "fairlead-cli connector add"));
}

static void
test_sigkill (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  const char *argv[] = { g_getenv ("FAIRLEAD_CLI"), "--db", f->base.db_path, "upload", NULL };
  g_autoptr(GError) error = NULL;
  gint64 deadline;
  guint kills = 0;

  server->delay_all = TRUE;
  server->slow_ms = 150;
  add_leads (f, 200, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, "batch_size", "10", NULL);
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);

  /* Kill it twice, each time while the server holds a batch unanswered. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GSubprocess) process = NULL;
      guint before = server_count_requests (server, NULL);

      process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                           G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
      g_assert_no_error (error);
      deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
      while (server_count_requests (server, NULL) < before + 3 && g_get_monotonic_time () < deadline)
        g_usleep (5000);
      /* The third request is stored and waits for its answer now. */
      g_usleep (50000);
      g_subprocess_send_signal (process, SIGKILL);
      g_subprocess_wait (process, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_if_exited (process));
      kills++;
    }
  g_assert_cmpuint (kills, ==, 2);
  g_assert_cmpuint (server_n_stored (server), <, 200);

  server->delay_all = FALSE;
  {
    g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
    g_autofree char *out = NULL;

    g_assert_no_error (error);
    g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
    g_assert_nonnull (strstr (out, "in flight"));
  }

  f->base.store = fl_store_open (f->base.db_path, &error);
  g_assert_no_error (error);
  f->outbox = fl_outbox_new (f->base.store);
  g_assert_cmpuint (server_n_stored (server), ==, 200);
  assert_each_stored_once (f, server, G_MAXUINT);
  for (guint i = 0; i < f->uuids->len; i++)
    assert_state (f, f->uuids->pdata[i], "hook", "done");
}

/* Transport: no secret on the network in clear */

static void
test_transport_rule (void)
{
  static const struct
  {
    const char *url;
    gboolean    allowed;
  } cases[] = {
    { "https://192.0.2.2:8080/hook", TRUE },
    { "https://crm.example.com", TRUE },
    { "http://127.0.0.1:8080/hook", TRUE },
    { "http://127.8.9.10", TRUE },
    { "http://localhost:3000/", TRUE },
    { "http://LocalHost", TRUE },
    { "http://[::1]:8080/hook", TRUE },
    { "http://192.0.2.2:8080", FALSE },
    { "HTTP://192.0.2.2:8080", FALSE },
    { "http://10.0.0.1/hook", FALSE },
    { "http://crm.example.com", FALSE },
    { "http://localhost.example.com", FALSE },
    { "http://127.0.0.1.example.com", FALSE },
    { "http://[2001:db8::1]/", FALSE },
    { "http://", FALSE },
    { "http://127.0.0.1\\@192.0.2.2/hook", FALSE },
    { "http://192.0.2.2#@127.0.0.1/", FALSE },
    { "http://127.0.0.1:80@192.0.2.2/", FALSE },
    { "http://[::ffff:192.0.2.2]/", FALSE },
    { "http://0x7f.1/", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      gboolean allowed = fl_connector_check_url_transport (cases[i].url, &error);

      g_test_message ("%s", cases[i].url);
      g_assert_cmpint (allowed, ==, cases[i].allowed);
      if (!allowed)
        {
          g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE);
          g_assert_nonnull (strstr (error->message, "is not encrypted: use https://"));
          g_assert_nonnull (strstr (error->message, cases[i].url));
        }
    }
}

static guint
count_connectors (Fixture *f)
{
  g_autoptr(GPtrArray) connectors = fl_outbox_list_connectors (f->outbox, FALSE, NULL);

  g_assert_nonnull (connectors);
  return connectors->len;
}

/* Adding and changing a connector, in the core and in the CLI, refuse
 * plain http to another computer; loopback http works. */
static void
test_transport_add_and_update (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) connector = NULL;
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *out = NULL, *err = NULL;
  int status;

  g_assert_false (fl_outbox_add_connector (f->outbox, "far", "hubspot", "http://192.0.2.2:8080",
                                           options, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE);
  g_clear_error (&error);
  g_assert_cmpuint (count_connectors (f), ==, 0);

  /* Loopback http goes through, with a token. */
  add_leads (f, 3, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  upload (f, NULL, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 3);
  assert_each_stored_once (f, server, G_MAXUINT);

  /* Changing it to plain http elsewhere is refused; the row stays. */
  g_assert_false (fl_outbox_update_connector (f->outbox, "hook", "webhook",
                                              "http://192.0.2.2:8080/hook", options, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE);
  g_clear_error (&error);
  connector = fl_outbox_get_connector (f->outbox, "hook", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_connector_get_url (connector), ==, url);
  g_clear_object (&connector);
  g_assert_true (fl_outbox_update_connector (f->outbox, "hook", "webhook",
                                             "https://192.0.2.2:8443/hook", options, &error));
  g_assert_no_error (error);
  connector = fl_outbox_get_connector (f->outbox, "hook", &error);
  g_assert_cmpstr (fl_connector_get_url (connector), ==, "https://192.0.2.2:8443/hook");

  /* The CLI: exit 65 and the rule, nothing stored. */
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);
  status = run_cli (f, NULL, &out, &err, "connector", "add", "far", "--type", "hubspot", "--url",
                    "http://192.0.2.2:8080", NULL);
  g_assert_cmpint (status, ==, 65);
  g_assert_nonnull (strstr (err, "http://192.0.2.2:8080 is not encrypted: use https://, plain http "
                                 "is only allowed for this computer (127.0.0.1)"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_cli (f, NULL, &out, &err, "connector", "list", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_null (strstr (out, "far"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* connector edit passes the same gate, and keeps what it is not told. */
  status = run_cli (f, NULL, &out, &err, "connector", "edit", "hook", "--url",
                    "http://192.0.2.2:8080/hook", "--option", "timeout=7", NULL);
  g_assert_cmpint (status, ==, 65);
  g_assert_nonnull (strstr (err, "is not encrypted"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_cli (f, NULL, &out, &err, "connector", "edit", "hook", "--url", url, "--option",
                    "timeout=7", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_cli (f, NULL, &out, &err, "connector", "list", NULL);
  g_assert_nonnull (strstr (out, url));
  g_assert_nonnull (strstr (out, "\"timeout\":\"7\""));

  f->base.store = fl_store_open (f->base.db_path, &error);
  g_assert_no_error (error);
  f->outbox = fl_outbox_new (f->base.store);
}

/* Sends through the test server as an HTTP proxy: any request curl makes
 * to any host arrives there, so "no request" means nothing left at all. */
static void
proxy_through (Server *server)
{
  g_setenv ("http_proxy", server->http.url, TRUE);
  g_setenv ("HTTPS_PROXY", server->http.url, TRUE);
  g_unsetenv ("no_proxy");
  g_unsetenv ("NO_PROXY");
}

static void
proxy_off (void)
{
  g_unsetenv ("http_proxy");
  g_unsetenv ("HTTPS_PROXY");
}

/* A database written by hand or by an older version: the connector loads,
 * is listed, but sends nothing; its leads fail with the reason. */
static void
test_transport_hand_edited (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  add_leads (f, 150, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, "signing", "true", NULL);
  g_assert_cmpint (sqlite3_exec (fl_store_get_db (f->base.store),
                                 "UPDATE connectors SET url = 'http://192.0.2.2:8080/hook'",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  proxy_through (server);

  g_assert_cmpuint (count_connectors (f), ==, 1);
  upload (f, NULL, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 0);
  g_assert_cmpuint (summary.failed, ==, 150);
  g_assert_cmpint (summary.pending, ==, 0);
  for (guint i = 0; i < f->uuids->len; i++)
    {
      g_autofree char *reason = outbox_value (f, f->uuids->pdata[i], "hook", "last_error");

      assert_state (f, f->uuids->pdata[i], "hook", "failed");
      g_assert_nonnull (strstr (reason, "http://192.0.2.2:8080/hook is not encrypted"));
    }

  /* connector test does not send either. */
  connector = fl_outbox_get_connector (f->outbox, "hook", &error);
  g_assert_no_error (error);
  g_assert_false (fl_connector_test (connector, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE);

  proxy_off ();
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 0);
}

/* Plain http to this computer never goes through a proxy from the
 * environment, which would carry it over the network in clear. */
static void
test_transport_no_proxy (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autoptr(Server) proxy = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };

  add_leads (f, 5, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  proxy_through (proxy);
  upload (f, NULL, 0, &summary);
  proxy_off ();

  g_assert_cmpuint (summary.delivered, ==, 5);
  g_assert_cmpuint (server_count_requests (proxy, NULL), ==, 0);
  assert_each_stored_once (f, server, G_MAXUINT);
}

/* A redirect is not followed: the token would go along. */
static void
test_transport_redirect (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  const char *message;

  server->mode = SERVER_REDIRECT;
  add_leads (f, 5, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);
  proxy_through (server);
  g_setenv ("no_proxy", "127.0.0.1", TRUE);
  upload (f, NULL, 0, &summary);
  proxy_off ();
  g_unsetenv ("no_proxy");

  /* One request: the redirect's target (through the proxy) never. */
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_assert_cmpuint (summary.delivered, ==, 0);
  g_assert_cmpint (summary.pending, ==, 5);
  message = g_hash_table_lookup (summary.stopped, "hook");
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "redirects"));
}

/* A signing key from the environment signs without signing=true; the
 * server checks the HMAC-SHA256 itself. Without a key: unsigned. */
static void
test_webhook_signed_from_env (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) plain = { 0 };
  guint n;

  server->signing_key = g_strdup ("env-signing-key");
  g_setenv ("FAIRLEAD_SECRET_ENVHOOK", "env-signing-key", TRUE);
  add_leads (f, 120, G_MAXUINT);
  add_connector (f, "envhook", "webhook", url, NULL);
  upload (f, "envhook", 0, &summary);
  g_unsetenv ("FAIRLEAD_SECRET_ENVHOOK");
  g_assert_cmpuint (summary.delivered, ==, 120);
  n = server_count_requests (server, NULL);
  g_assert_cmpuint (n, ==, 2);
  for (guint i = 0; i < n; i++)
    {
      g_assert_nonnull (server_get_request (server, i)->signature);
      g_assert_true (server_get_request (server, i)->signature_valid);
    }

  /* No key anywhere (and no keyring in the tests): sent unsigned. */
  add_connector (f, "nokey", "webhook", url, NULL);
  upload (f, "nokey", 0, &plain);
  g_assert_cmpuint (plain.delivered, ==, 120);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, n + 2);
  g_assert_null (server_get_request (server, n)->signature);
}

static void
check_pause (Fixture *f, Server *server, gint64 window)
{
  ServerRequest *first = server_get_request (server, 0);
  guint n = server_count_requests (server, NULL);

  g_assert_cmpuint (n, >=, 2);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (server_get_request (server, i)->at - first->at, >=, window - 10000);
  assert_each_stored_once (f, server, G_MAXUINT);
  for (guint i = 0; i < f->uuids->len; i++)
    assert_state (f, f->uuids->pdata[i], "hook", "done");
}

/* A 429 with Retry-After pauses the whole connector, not only the batch
 * that got it, also across a restart. */
static void
test_retry_after_pauses_connector (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_auto(FlUploadSummary) third = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *paused = NULL;

  server->mode = SERVER_RETRY_AFTER;
  server->retry_after = 2;
  add_leads (f, 250, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, NULL);

  /* Three batches are due; the first gets the 429, the others wait. */
  upload (f, NULL, 0, &first);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_assert_cmpint (first.pending, ==, 250);
  g_assert_cmpint (first.next_attempt, >=, fl_sync_now () + G_USEC_PER_SEC);
  paused = fl_store_get_meta (f->base.store, "connector.hook.paused_until");
  g_assert_nonnull (paused);

  /* A restart: another store on the file, another uploader. */
  g_clear_object (&f->outbox);
  g_clear_object (&f->base.store);
  f->base.store = fl_store_open (f->base.db_path, &error);
  g_assert_no_error (error);
  f->outbox = fl_outbox_new (f->base.store);
  upload (f, NULL, 0, &second);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 1);
  g_assert_cmpint (second.pending, ==, 250);

  upload (f, NULL, 10, &third);
  g_assert_cmpuint (third.delivered, ==, 250);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 4);
  check_pause (f, server, 2 * G_USEC_PER_SEC);

  /* Removing the connector forgets its pause. */
  g_assert_true (fl_outbox_remove_connector (f->outbox, "hook", &error));
  g_assert_no_error (error);
  g_clear_pointer (&paused, g_free);
  paused = fl_store_get_meta (f->base.store, "connector.hook.paused_until");
  g_assert_null (paused);
}

/* The same with Retry-After as an HTTP date, in one run. */
static void
test_retry_after_date (Fixture *f, gconstpointer data)
{
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = join_url (server, "/hook");
  g_auto(FlUploadSummary) summary = { 0 };

  server->mode = SERVER_RETRY_AFTER;
  server->retry_after = 3;
  server->retry_after_date = TRUE;
  add_leads (f, 40, G_MAXUINT);
  add_connector (f, "hook", "webhook", url, "batch_size", "10", NULL);
  upload (f, NULL, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 40);
  g_assert_cmpuint (server_count_requests (server, NULL), ==, 5);
  /* A date has whole seconds: the wait is between 2 and 3 s. */
  check_pause (f, server, 2 * G_USEC_PER_SEC);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("FAIRLEAD_SECRET_HOOK", SIGNING_KEY, TRUE);
  g_setenv ("FAIRLEAD_SECRET_HUB", TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_HUB2", TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  g_unsetenv ("FAIRLEAD_SECRET_NOKEY");

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fl_test_outbox_fixture_setup, func, fl_test_outbox_fixture_teardown)
  ADD ("/sync/consent-required", test_consent_required);
  ADD ("/sync/webhook/success", test_webhook_success);
  ADD ("/sync/webhook/cancel-gives-back-claim", test_webhook_cancel_gives_back_claim);
  ADD ("/sync/webhook/journal-in-memory", test_webhook_journal_in_memory);
  ADD ("/sync/webhook/500-then-success", test_webhook_retry_500);
  ADD ("/sync/webhook/429-retry-after", test_webhook_retry_after);
  ADD ("/sync/webhook/dropped-after-store", test_webhook_dropped);
  ADD ("/sync/webhook/timeout", test_webhook_timeout);
  ADD ("/sync/webhook/bad-lead", test_webhook_bad_lead);
  ADD ("/sync/webhook/401", test_webhook_unauthorized);
  ADD ("/sync/webhook/tls", test_webhook_tls);
  ADD ("/sync/webhook/edited-lead", test_edited_lead_requeued);
  ADD ("/sync/hubspot/success-and-errors", test_hubspot);
  ADD ("/sync/hubspot/401-and-stages", test_hubspot_rejected);
  ADD ("/sync/salesforce/success-and-errors", test_salesforce);
  ADD ("/sync/salesforce/429-retry-after", test_salesforce_retry_after);
  ADD ("/sync/csv", test_csv);
  ADD ("/sync/missing-token", test_missing_token);
  ADD ("/sync/worker", test_worker);
  ADD ("/sync/cli", test_cli);
  ADD ("/sync/cli/no-crm", test_cli_no_crm);
  ADD ("/sync/worker/no-crm", test_worker_no_crm);
  ADD ("/sync/sigkill", test_sigkill);
  ADD ("/sync/transport/add-and-update", test_transport_add_and_update);
  ADD ("/sync/transport/hand-edited", test_transport_hand_edited);
  ADD ("/sync/transport/redirect", test_transport_redirect);
  ADD ("/sync/transport/no-proxy", test_transport_no_proxy);
  ADD ("/sync/webhook/signed-from-env", test_webhook_signed_from_env);
  ADD ("/sync/webhook/429-pauses-connector", test_retry_after_pauses_connector);
  ADD ("/sync/webhook/429-retry-after-date", test_retry_after_date);
#undef ADD
  g_test_add_func ("/sync/secret-env", test_secret_env);
  g_test_add_func ("/sync/bad-config", test_bad_config);
  g_test_add_func ("/sync/connector-types", test_connector_types);
  g_test_add_func ("/sync/transport/rule", test_transport_rule);

  return g_test_run ();
}
