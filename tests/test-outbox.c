/* test-outbox.c: claiming, batch keys and recovery of the upload queue
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "store/fl-store.h"
#include "sync/fl-backlog.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync-log.h"
#include "sync/fl-sync.h"
#include "sync/fl-uploader.h"
#include "fl-test.h"

typedef struct
{
  FlTestFixture base;
  FlOutbox      *outbox;
  FlConnector   *connector;
  GPtrArray     *uuids;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(JsonObject) options = json_object_new ();

  event->name = g_strdup ("Expo");
  /* These tests are about the queue, not consent (test-sync covers it). */
  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  fl_test_fixture_open (&f->base, NULL, event);
  f->outbox = fl_outbox_new (f->base.store);
  f->uuids = g_ptr_array_new_with_free_func (g_free);

  json_object_set_string_member (options, "batch_size", "4");
  fl_outbox_add_connector (f->outbox, "hook", "webhook", "http://127.0.0.1:9/", options, NULL, &error);
  g_assert_no_error (error);
  f->connector = fl_outbox_get_connector (f->outbox, "hook", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->connector);
  g_clear_object (&f->outbox);
  fl_test_fixture_close (&f->base);
  g_ptr_array_unref (f->uuids);
}

static void
add_leads (Fixture *f, guint n, FlStatus status)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(GError) error = NULL;

      fl_lead_set_field (lead, FL_FIELD_EMAIL, "someone@example.com");
      fl_lead_set_status (lead, status);
      fl_store_save_lead (f->base.store, lead, NULL, &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
    }
}

static GPtrArray *
claim (Fixture *f, char **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;
  GPtrArray *rows = fl_outbox_claim (f->outbox, f->connector, fl_sync_now (), key, &event, &error);

  g_assert_no_error (error);
  return rows;
}

static void
test_batches_sal_first (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autofree char *key1 = NULL, *key2 = NULL, *key3 = NULL;
  FlOutboxCounts counts;

  add_leads (f, 5, FL_STATUS_MQL);
  add_leads (f, 2, FL_STATUS_SAL);

  first = claim (f, &key1);
  g_assert_cmpuint (first->len, ==, 4);
  /* The two SALs come first, though captured last. */
  g_assert_cmpstr (((FlOutboxRow *) first->pdata[0])->lead_uuid, ==, f->uuids->pdata[5]);
  g_assert_cmpstr (((FlOutboxRow *) first->pdata[1])->lead_uuid, ==, f->uuids->pdata[6]);
  g_assert_cmpint (((FlOutboxRow *) first->pdata[0])->attempts, ==, 1);
  g_assert_false (((FlOutboxRow *) first->pdata[0])->known);

  second = claim (f, &key2);
  g_assert_cmpuint (second->len, ==, 3);
  g_assert_cmpstr (key1, !=, key2);
  third = claim (f, &key3);
  g_assert_cmpuint (third->len, ==, 0);

  g_assert_true (fl_outbox_get_counts (f->outbox, f->connector, fl_sync_now (), &counts, NULL));
  g_assert_cmpint (counts.sending, ==, 7);
  g_assert_cmpint (counts.pending, ==, 0);
}

static void
test_recover_keeps_key (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *key_again = NULL;

  add_leads (f, 3, FL_STATUS_MQL);
  first = claim (f, &key);
  g_assert_cmpuint (first->len, ==, 3);

  /* The process dies; the next one puts the rows back, same batch. */
  g_assert_cmpint (fl_outbox_recover (f->outbox, &error), ==, 3);
  g_assert_no_error (error);
  add_leads (f, 1, FL_STATUS_SAL);
  again = claim (f, &key_again);
  g_assert_cmpstr (key_again, ==, key);
  g_assert_cmpuint (again->len, ==, 3);
  g_assert_cmpint (((FlOutboxRow *) again->pdata[0])->attempts, ==, 2);
}

static void
test_edit_resets_key (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *key = NULL, *key_again = NULL;
  FlOutboxRow *row;

  add_leads (f, 1, FL_STATUS_MQL);
  first = claim (f, &key);
  row = first->pdata[0];
  g_assert_true (fl_outbox_mark_done (f->outbox, "hook", row->lead_id, "remote-1", fl_sync_now (), &error));
  g_assert_no_error (error);

  lead = fl_store_get_lead (f->base.store, f->uuids->pdata[0], &error);
  fl_lead_set_notes (lead, "Call back on Monday");
  fl_store_save_lead (f->base.store, lead, NULL, &error);
  g_assert_no_error (error);

  again = claim (f, &key_again);
  g_assert_cmpuint (again->len, ==, 1);
  g_assert_cmpstr (key_again, !=, key);
  g_assert_true (((FlOutboxRow *) again->pdata[0])->known);
}

static GPtrArray *
claim_next (Fixture *f, char **key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;
  GPtrArray *rows;

  g_assert_true (fl_store_begin (f->base.store, &error));
  rows = fl_outbox_claim_in_transaction (f->outbox, f->connector, fl_sync_now (), key, &event, &error);
  g_assert_no_error (error);
  g_assert_nonnull (rows);
  g_assert_true (fl_store_commit (f->base.store, &error));
  g_assert_no_error (error);
  return rows;
}

/* The uploader's next claims take from the order the run's first claim
 * sorted once (an upload of 10,000 leads sorted every due row for each
 * batch): each row is read again and taken only if still due; a row
 * queued meanwhile goes once the sorted ones are gone. */
static void
test_claim_queue (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;
  g_autoptr(GPtrArray) fourth = NULL;
  g_autofree char *key1 = NULL, *key2 = NULL, *key3 = NULL, *key4 = NULL;
  g_autofree char *failed = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GError) error = NULL;

  add_leads (f, 5, FL_STATUS_MQL);
  add_leads (f, 2, FL_STATUS_SAL);
  first = claim (f, &key1);
  g_assert_cmpuint (first->len, ==, 4);
  g_assert_cmpstr (((FlOutboxRow *) first->pdata[0])->lead_uuid, ==, f->uuids->pdata[5]);
  g_assert_cmpstr (((FlOutboxRow *) first->pdata[2])->lead_uuid, ==, f->uuids->pdata[0]);
  g_assert_cmpstr (((FlOutboxRow *) first->pdata[3])->lead_uuid, ==, f->uuids->pdata[1]);

  /* Meanwhile: lead 2 is edited (still due), lead 3 is no longer due, a
   * new SAL comes in. */
  lead = fl_store_get_lead (f->base.store, f->uuids->pdata[2], &error);
  g_assert_no_error (error);
  fl_lead_set_field (lead, FL_FIELD_PHONE, "+49 30 1234");
  g_assert_true (fl_store_save_lead (f->base.store, lead, NULL, &error));
  g_assert_no_error (error);
  failed = g_strdup_printf ("UPDATE outbox SET state = 'failed' "
                            "WHERE lead_id = (SELECT id FROM leads WHERE uuid = '%s')",
                            (const char *) f->uuids->pdata[3]);
  g_assert_true (fl_store_exec (f->base.store, failed, &error));
  add_leads (f, 1, FL_STATUS_SAL);

  second = claim_next (f, &key2);
  g_assert_cmpuint (second->len, ==, 2);
  g_assert_cmpstr (((FlOutboxRow *) second->pdata[0])->lead_uuid, ==, f->uuids->pdata[2]);
  g_assert_cmpstr (((FlOutboxRow *) second->pdata[1])->lead_uuid, ==, f->uuids->pdata[4]);
  g_assert_cmpstr (key2, !=, key1);
  third = claim_next (f, &key3);
  g_assert_cmpuint (third->len, ==, 1);
  g_assert_cmpstr (((FlOutboxRow *) third->pdata[0])->lead_uuid, ==, f->uuids->pdata[7]);
  fourth = claim_next (f, &key4);
  g_assert_cmpuint (fourth->len, ==, 0);
  g_assert_cmpint (fl_test_query_int (f->base.store,
                                      "SELECT count(*) FROM outbox WHERE state = 'sending'"), ==, 7);
}

static void
test_edit_while_sending (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *key = NULL;
  FlOutboxCounts counts;

  add_leads (f, 1, FL_STATUS_MQL);
  rows = claim (f, &key);
  lead = fl_store_get_lead (f->base.store, f->uuids->pdata[0], &error);
  fl_lead_set_field (lead, FL_FIELD_PHONE, "+49 30 1234");
  fl_store_save_lead (f->base.store, lead, NULL, &error);
  g_assert_no_error (error);

  /* The answer for the old content must not mark the new one as sent. */
  g_assert_true (fl_outbox_mark_done (f->outbox, "hook", ((FlOutboxRow *) rows->pdata[0])->lead_id,
                                      NULL, fl_sync_now (), &error));
  g_assert_true (fl_outbox_get_counts (f->outbox, f->connector, fl_sync_now (), &counts, NULL));
  g_assert_cmpint (counts.pending, ==, 1);
  g_assert_cmpint (counts.done, ==, 0);
}

/* A delivered batch is marked done in one go: each lead's CRM id is kept
 * and logged for booth sync with the delivery, a lead saved again while
 * it was sent stays queued, and the sync log gets a row per lead. */
static void
test_mark_done_items (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_sync_item_free);
  g_autoptr(FlSyncBatch) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) edited = NULL;
  g_autofree char *key = NULL;
  FlOutboxCounts counts;

  /* In a booth: the change log records the deliveries (schema 11). */
  fl_test_make_booth (f->base.store);
  add_leads (f, 4, FL_STATUS_MQL);
  rows = claim (f, &key);
  g_assert_cmpuint (rows->len, ==, 4);
  batch = fl_sync_batch_new (key, NULL);
  for (guint i = 0; i < rows->len; i++)
    {
      FlOutboxRow *row = g_ptr_array_index (rows, i);
      g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, row->lead_uuid, &error);
      FlSyncItem *item = fl_sync_item_new (row->lead_id, lead, FALSE);

      g_assert_no_error (error);
      /* The first two get an id from the CRM, the others none. */
      fl_sync_item_set (item, FL_ITEM_DONE, i < 2 ? (i == 0 ? "crm-0" : "crm-\"1\"") : NULL, NULL);
      g_ptr_array_add (items, item);
      g_ptr_array_add (batch->items, item);
    }
  edited = fl_store_get_lead (f->base.store, ((FlOutboxRow *) rows->pdata[3])->lead_uuid, &error);
  fl_lead_set_field (edited, FL_FIELD_PHONE, "+49 30 1234");
  g_assert_true (fl_store_save_lead (f->base.store, edited, NULL, &error));

  g_assert_true (fl_store_begin (f->base.store, &error));
  g_assert_true (fl_outbox_mark_done_items (f->outbox, "hook", items, fl_sync_now (), &error));
  g_assert_true (fl_sync_log_add_batch (f->base.store, "hook", batch, fl_sync_now (), &error));
  g_assert_true (fl_store_commit (f->base.store, &error));
  g_assert_no_error (error);

  g_assert_true (fl_outbox_get_counts (f->outbox, f->connector, fl_sync_now (), &counts, NULL));
  g_assert_cmpint (counts.done, ==, 3);
  g_assert_cmpint (counts.pending, ==, 1);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'done' "
                                      "AND remote_id = 'crm-0'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'done' "
                                      "AND remote_id = 'crm-\"1\"'"), ==, 1);
  /* Booth sync carries each delivery with the CRM's id. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM changes WHERE tbl = 'outbox'"),
                   ==, 3);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM changes WHERE tbl = 'outbox' "
                                      "AND json_extract (data, '$.remote_id') IN ('crm-0', 'crm-\"1\"')"),
                   ==, 2);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM sync_log "
                                      "WHERE result = 'delivered' AND batch_key IS NOT NULL"), ==, 4);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM sync_log "
                                      "WHERE remote_id = 'crm-\"1\"'"), ==, 1);
}

/* fl_sync_log_add_batch() writes the rows fl_sync_log_add() writes item
 * by item: for a batch whose leads all came to the same (one statement
 * over the ids) and for one whose leads differ. */
static void
test_sync_log_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_sync_item_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  gint64 at = fl_sync_now ();

  add_leads (f, 3, FL_STATUS_MQL);
  rows = claim (f, &key);
  g_assert_cmpuint (rows->len, ==, 3);
  for (guint i = 0; i < rows->len; i++)
    {
      FlOutboxRow *row = g_ptr_array_index (rows, i);
      g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, row->lead_uuid, &error);

      g_assert_no_error (error);
      g_ptr_array_add (items, fl_sync_item_new (row->lead_id, lead, FALSE));
    }

  /* 1: delivered, no CRM id (uniform); 2: stopped, the batch's message
   * (uniform); 3: one with a CRM id, one refused with its own message,
   * one to retry (not uniform); 4: all refused with one message each. */
  for (guint round = 1; round <= 4; round++)
    {
      g_autoptr(FlSyncBatch) batch = fl_sync_batch_new (key, NULL);

      for (guint i = 0; i < items->len; i++)
        {
          FlSyncItem *item = g_ptr_array_index (items, i);

          g_ptr_array_add (batch->items, item);
          if (round == 1 || round == 2)
            fl_sync_item_set (item, FL_ITEM_DONE, NULL, NULL);
          else if (round == 3)
            fl_sync_item_set (item, i == 0 ? FL_ITEM_DONE : i == 1 ? FL_ITEM_FAILED : FL_ITEM_RETRY,
                              i == 0 ? "crm-\"7\"" : NULL, i == 1 ? "Invalid e-mail" : NULL);
          else
            fl_sync_item_set (item, FL_ITEM_FAILED, NULL, i == 2 ? "Different" : "Invalid e-mail");
        }
      batch->http_status = round == 2 ? 0 : 200;
      fl_sync_batch_set (batch, round == 2 ? FL_SEND_STOP : FL_SEND_OK,
                         round == 2 ? "Authentication failed" : NULL);

      g_assert_true (fl_store_exec (f->base.store, "DELETE FROM sync_log", &error));
      g_assert_true (fl_sync_log_add_batch (f->base.store, "hook", batch, at, &error));
      g_assert_no_error (error);
      for (guint i = 0; i < batch->items->len; i++)
        g_assert_true (fl_sync_log_add (f->base.store, "hook", batch, g_ptr_array_index (batch->items, i),
                                        at, &error));
      g_assert_no_error (error);

      /* Every row twice, once from each. */
      g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM sync_log"), ==, 6);
      g_assert_cmpint (fl_test_query_int (f->base.store,
                                          "SELECT count(*) FROM (SELECT count(*) AS n FROM sync_log "
                                          "GROUP BY lead_id, connector, at, batch_key, http_status, "
                                          "result, remote_id, message HAVING n <> 2)"), ==, 0);
      /* In the batch's order. */
      g_assert_cmpint (fl_test_query_int (f->base.store,
                                          "SELECT count(*) FROM sync_log a JOIN sync_log b "
                                          "ON b.id = a.id + 1 WHERE a.id <= 2 AND b.lead_id < a.lead_id"),
                       ==, 0);
    }
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM sync_log "
                                      "WHERE result = 'failed' AND message = 'Different'"), ==, 2);
}

static void
test_reschedule (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL, *key2 = NULL;
  gint64 later = fl_sync_now () + 60 * G_USEC_PER_SEC;
  FlOutboxCounts counts;

  add_leads (f, 2, FL_STATUS_MQL);
  rows = claim (f, &key);
  for (guint i = 0; i < rows->len; i++)
    g_assert_true (fl_outbox_reschedule (f->outbox, "hook", ((FlOutboxRow *) rows->pdata[i])->lead_id,
                                         later, TRUE, "HTTP 503", &error));
  none = claim (f, &key2);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_true (fl_outbox_get_counts (f->outbox, f->connector, fl_sync_now (), &counts, NULL));
  g_assert_cmpint (counts.pending, ==, 2);
  g_assert_cmpint (counts.due, ==, 0);
  g_assert_cmpint (counts.next_attempt / 1000, ==, later / 1000);
}

/* What the back office's lead detail shows under Uploads: one entry per
 * connector the lead is queued for, by name, with its state. */
static void
test_list_for_lead (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  FlOutboxEntry *entry;

  fl_outbox_add_connector (f->outbox, "archive", "csv", "/nonexistent/leads.csv", NULL, NULL, &error);
  g_assert_no_error (error);
  add_leads (f, 2, FL_STATUS_SAL);
  rows = claim (f, &key);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_true (fl_outbox_mark_done (f->outbox, "hook", ((FlOutboxRow *) rows->pdata[0])->lead_id, "crm-7",
                                      fl_sync_now (), &error));
  g_assert_true (fl_outbox_mark_failed (f->outbox, "hook", ((FlOutboxRow *) rows->pdata[1])->lead_id,
                                        "HTTP 400: bad email", &error));
  g_assert_no_error (error);

  entries = fl_outbox_list_for_lead (f->outbox, ((FlOutboxRow *) rows->pdata[0])->lead_uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = entries->pdata[0];
  g_assert_cmpstr (entry->connector, ==, "archive");
  g_assert_cmpstr (entry->state, ==, "pending");
  g_assert_null (entry->done_at);
  entry = entries->pdata[1];
  g_assert_cmpstr (entry->connector, ==, "hook");
  g_assert_cmpstr (entry->state, ==, "done");
  g_assert_cmpstr (entry->remote_id, ==, "crm-7");
  g_assert_nonnull (entry->done_at);
  g_assert_true (g_str_has_suffix (entry->done_at, "Z"));
  g_ptr_array_unref (g_steal_pointer (&entries));

  entries = fl_outbox_list_for_lead (f->outbox, ((FlOutboxRow *) rows->pdata[1])->lead_uuid, &error);
  g_assert_no_error (error);
  entry = entries->pdata[1];
  g_assert_cmpstr (entry->state, ==, "failed");
  g_assert_cmpstr (entry->last_error, ==, "HTTP 400: bad email");
  g_assert_cmpint (entry->attempts, ==, 1);

  none = fl_outbox_list_for_lead (f->outbox, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_backoff (void)
{
  static const struct { int attempts; double low, high; } cases[] = {
    { 1, 0.5, 1.5 }, { 2, 1.0, 3.0 }, { 5, 8.0, 24.0 }, { 20, 1800.0, 5400.0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (guint j = 0; j < 50; j++)
      {
        double seconds = fl_uploader_backoff (cases[i].attempts) / (double) G_USEC_PER_SEC;
        g_assert_cmpfloat (seconds, >=, cases[i].low);
        g_assert_cmpfloat (seconds, <=, cases[i].high);
      }
}

static void
test_connector_names (Fixture *f, gconstpointer data)
{
  static const char *bad[] = { "", "with space", "semi;colon", "ümlaut" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_false (fl_outbox_add_connector (f->outbox, bad[i], "csv", "/tmp/x", NULL, NULL, &error));
      g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
    }
  {
    g_autoptr(GError) error = NULL;
    gint64 queued = -1;

    add_leads (f, 3, FL_STATUS_MQL);
    g_assert_true (fl_outbox_add_connector (f->outbox, "late-1", "csv", "/tmp/x", NULL, &queued, &error));
    g_assert_no_error (error);
    /* Leads captured before the connector existed go to it too. */
    g_assert_cmpint (queued, ==, 3);
    g_assert_true (fl_outbox_remove_connector (f->outbox, "late-1", &error));
    g_assert_false (fl_outbox_remove_connector (f->outbox, "late-1", &error));
    g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NOT_FOUND);
  }
}

/* What waits for a CRM: queued leads, leads no CRM has, and with no
 * connector, every lead. */
static void
test_backlog (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *event = fl_store_get_meta (f->base.store, "active_event");
  FlBacklog backlog;
  gint64 before = fl_sync_now () - G_USEC_PER_SEC;

  g_assert_true (fl_backlog_read (f->base.store, NULL, NULL, &backlog, &error));
  g_assert_no_error (error);
  g_assert_cmpint (backlog.connectors, ==, 1);
  g_assert_cmpint (backlog.queued, ==, 0);
  g_assert_cmpint (backlog.undelivered, ==, 0);
  g_assert_cmpint (backlog.oldest_queued, ==, 0);
  g_assert_cmpint (backlog.oldest_undelivered, ==, 0);

  add_leads (f, 3, FL_STATUS_MQL);
  add_leads (f, 2, FL_STATUS_SAL);
  g_assert_true (fl_backlog_read (f->base.store, event, NULL, &backlog, &error));
  g_assert_cmpint (backlog.queued, ==, 5);
  g_assert_cmpint (backlog.undelivered, ==, 5);
  g_assert_cmpint (backlog.oldest_queued, >=, before);
  g_assert_cmpint (backlog.oldest_undelivered, >=, before);
  g_assert_true (fl_backlog_read (f->base.store, "no-such-event", NULL, &backlog, &error));
  g_assert_cmpint (backlog.queued, ==, 0);
  g_assert_cmpint (backlog.undelivered, ==, 0);

  /* One SAL delivered, one on its way. */
  rows = claim (f, &key);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_true (fl_outbox_mark_done (f->outbox, "hook", ((FlOutboxRow *) rows->pdata[0])->lead_id, "r1",
                                      fl_sync_now (), &error));
  g_assert_no_error (error);
  g_assert_true (fl_backlog_read (f->base.store, NULL, "SAL", &backlog, &error));
  g_assert_cmpint (backlog.queued, ==, 1);
  g_assert_cmpint (backlog.undelivered, ==, 1);
  g_assert_true (fl_backlog_read (f->base.store, NULL, NULL, &backlog, &error));
  g_assert_cmpint (backlog.queued, ==, 4);
  g_assert_cmpint (backlog.undelivered, ==, 4);

  /* The connector goes, with its queue and the record of what it
   * delivered: no CRM, nothing queued, every lead only here. */
  g_assert_true (fl_outbox_remove_connector (f->outbox, "hook", &error));
  g_assert_no_error (error);
  add_leads (f, 1, FL_STATUS_SAL);
  g_assert_true (fl_backlog_read (f->base.store, NULL, NULL, &backlog, &error));
  g_assert_cmpint (backlog.connectors, ==, 0);
  g_assert_cmpint (backlog.queued, ==, 0);
  g_assert_cmpint (backlog.oldest_queued, ==, 0);
  g_assert_cmpint (backlog.undelivered, ==, 6);
  g_assert_true (fl_backlog_read (f->base.store, NULL, "SAL", &backlog, &error));
  g_assert_cmpint (backlog.undelivered, ==, 3);
  g_assert_cmpint (backlog.oldest_undelivered, >=, before);
  g_assert_cmpint (backlog.oldest_undelivered, <=, fl_sync_now ());
}

/* Counting the outbox: a connector for every event counts all its rows
 * (without looking at their leads), one for an event only that event's. */
static void
counts_of (Fixture *f, const char *name, FlOutboxCounts *counts)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) connector = fl_outbox_get_connector (f->outbox, name, &error);

  g_assert_no_error (error);
  g_assert_true (fl_outbox_get_counts (f->outbox, connector, fl_sync_now (), counts, &error));
  g_assert_no_error (error);
}

static void
test_counts_scoped (Fixture *f, gconstpointer data)
{
  g_autoptr(JsonObject) here = json_object_new ();
  g_autoptr(JsonObject) elsewhere = json_object_new ();
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  FlOutboxCounts counts;

  json_object_set_string_member (here, "event", f->base.event->uuid);
  fl_outbox_add_connector (f->outbox, "here", "webhook", "http://127.0.0.1:9/", here, NULL, &error);
  g_assert_no_error (error);
  json_object_set_string_member (elsewhere, "event", "00000000-0000-4000-8000-000000000000");
  fl_outbox_add_connector (f->outbox, "elsewhere", "webhook", "http://127.0.0.1:9/", elsewhere, NULL, &error);
  g_assert_no_error (error);
  add_leads (f, 6, FL_STATUS_MQL);
  rows = claim (f, &key);
  g_assert_cmpuint (rows->len, ==, 4);

  counts_of (f, "hook", &counts);
  g_assert_cmpint (counts.pending, ==, 2);
  g_assert_cmpint (counts.due, ==, 2);
  g_assert_cmpint (counts.sending, ==, 4);
  counts_of (f, "here", &counts);
  g_assert_cmpint (counts.pending, ==, 6);
  g_assert_cmpint (counts.sending, ==, 0);
  counts_of (f, "elsewhere", &counts);
  g_assert_cmpint (counts.pending + counts.sending + counts.done + counts.failed, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/outbox/claim-queue", test_claim_queue);
  ADD ("/outbox/batches-sal-first", test_batches_sal_first);
  ADD ("/outbox/recover-keeps-key", test_recover_keeps_key);
  ADD ("/outbox/edit-resets-key", test_edit_resets_key);
  ADD ("/outbox/edit-while-sending", test_edit_while_sending);
  ADD ("/outbox/mark-done-items", test_mark_done_items);
  ADD ("/outbox/counts-scoped", test_counts_scoped);
  ADD ("/outbox/reschedule", test_reschedule);
  ADD ("/outbox/sync-log-batch", test_sync_log_batch);
  ADD ("/outbox/connector-names", test_connector_names);
  ADD ("/outbox/backlog", test_backlog);
  ADD ("/outbox/list-for-lead", test_list_for_lead);
#undef ADD
  g_test_add_func ("/outbox/backoff", test_backoff);

  return g_test_run ();
}
