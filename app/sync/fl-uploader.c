/* fl-uploader.c: sends what the outbox holds, batch by batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-uploader"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sys/file.h>
#include <unistd.h>

#include "fl-sync.h"
#include "fl-uploader.h"
#include "fl-sync-log.h"
#include "store/fl-store-private.h"

/* A connector that refused the credential is left alone this long by a
 * long-running uploader (the kiosk), instead of being asked again. */
#define BLOCK_USEC (15 * 60 * G_USEC_PER_SEC)
#define MAX_BACKOFF_SECONDS 3600
/* A stored pause further away than this was written by a clock that has
 * since gone back; it is shortened to this. */
#define MAX_PAUSE_USEC (G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC)

struct _FlUploader
{
  GObject               parent_instance;

  FlStore              *store;
  FlOutbox             *outbox;
  int                   lock_fd;
  guint                 recovered;
  GHashTable           *blocked;     /* name → Blocked */
  GHashTable           *paused;      /* name → gint64 *: µs since the epoch */
  GHashTable           *events;      /* event uuid → JsonNode */

  FlUploadOutcomeFunc   outcome_func;
  FlUploadProgressFunc  progress_func;
  gpointer              user_data;

  /* The run in progress */
  GCancellable         *cancellable;
  FlUploadSummary      *summary;
  guint                 done;
  guint                 total;

  /* The next batch, claimed in the transaction of the last one's outcome */
  gboolean              may_claim_next;
  GPtrArray            *next_rows;
  char                 *next_key;
  char                 *next_event;
};

typedef struct
{
  gint64  until;
  char   *message;
} Blocked;

G_DEFINE_FINAL_TYPE (FlUploader, fl_uploader, G_TYPE_OBJECT)

static void
blocked_free (Blocked *blocked)
{
  g_free (blocked->message);
  g_free (blocked);
}

void
fl_upload_summary_clear (FlUploadSummary *summary)
{
  g_clear_pointer (&summary->stopped, g_hash_table_unref);
  memset (summary, 0, sizeof *summary);
}

/**
 * fl_uploader_backoff:
 * @attempts: how many times the lead was tried
 *
 * Returns: µs to wait before the next attempt: doubling from 1 s up to an
 *   hour, with ±50 % jitter so that kiosks do not retry in step
 */
gint64
fl_uploader_backoff (int attempts)
{
  gint64 seconds = (gint64) 1 << CLAMP (attempts - 1, 0, 12);

  seconds = MIN (seconds, MAX_BACKOFF_SECONDS);
  return (gint64) (seconds * G_USEC_PER_SEC * g_random_double_range (0.5, 1.5));
}

static void
report_outcome (FlUploader *self, FlConnector *connector, FlSyncItem *item, gint64 next_attempt)
{
  FlUploadOutcome outcome = {
    fl_connector_get_name (connector), fl_lead_get_uuid (item->lead),
    fl_lead_get_display_name (item->lead), item->result, item->message, next_attempt,
  };

  switch (item->result)
    {
    case FL_ITEM_DONE:
      self->summary->delivered++;
      self->done++;
      break;
    case FL_ITEM_FAILED:
      self->summary->failed++;
      self->done++;
      break;
    case FL_ITEM_RETRY:
      self->summary->retried++;
      break;
    case FL_ITEM_UNSET:
    default:
      g_assert_not_reached ();
    }
  if (self->outcome_func != NULL)
    self->outcome_func (&outcome, self->user_data);
}

static void
report_progress (FlUploader *self, gint64 waiting_until)
{
  if (self->progress_func != NULL)
    self->progress_func (self->done, MAX (self->total, self->done), waiting_until, self->user_data);
}

static void
block (FlUploader *self, FlConnector *connector, const char *message)
{
  Blocked *blocked = g_new0 (Blocked, 1);

  blocked->until = fl_sync_now () + BLOCK_USEC;
  blocked->message = g_strdup (message);
  g_hash_table_insert (self->blocked, g_strdup (fl_connector_get_name (connector)), blocked);
  g_hash_table_insert (self->summary->stopped, g_strdup (fl_connector_get_name (connector)),
                       g_strdup (message));
}

static char *
pause_key (FlConnector *connector)
{
  return g_strdup_printf ("connector.%s.paused_until", fl_connector_get_name (connector));
}

/* Until when (µs since the epoch) the server asked to hear nothing from
 * @connector, 0 for no pause. Read from the database once per uploader, so
 * that a pause outlives a restart of the kiosk or the CLI. */
static gint64
get_paused_until (FlUploader *self, FlConnector *connector)
{
  const char *name = fl_connector_get_name (connector);
  gint64 *until = g_hash_table_lookup (self->paused, name);

  if (until == NULL)
    {
      g_autofree char *key = pause_key (connector);
      g_autofree char *text = fl_store_get_meta (self->store, key);
      gint64 value = 0;

      until = g_new0 (gint64, 1);
      if (text != NULL && g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
        *until = MIN (value, fl_sync_now () + MAX_PAUSE_USEC);
      g_hash_table_insert (self->paused, g_strdup (name), until);
    }
  return *until;
}

/* A Retry-After is about the server, not about one batch: every batch of
 * the connector waits for it, in this run and after a restart. Called
 * inside apply()'s transaction. */
static gboolean
pause_connector (FlUploader *self, FlConnector *connector, gint64 until, GError **error)
{
  g_autofree char *key = pause_key (connector);
  g_autofree char *text = NULL;
  gint64 *stored = g_new (gint64, 1);

  if (until <= get_paused_until (self, connector))
    {
      g_free (stored);
      return TRUE;
    }
  *stored = until;
  g_hash_table_insert (self->paused, g_strdup (fl_connector_get_name (connector)), stored);
  text = g_strdup_printf ("%" G_GINT64_FORMAT, until);
  return fl_store_set_meta (self->store, key, text, error);
}

static void
clear_next (FlUploader *self)
{
  g_clear_pointer (&self->next_rows, g_ptr_array_unref);
  g_clear_pointer (&self->next_key, g_free);
  g_clear_pointer (&self->next_event, g_free);
}

/* Writes what became of each lead of @batch, in one transaction, then
 * tells the caller: a reported outcome is on disk. */
static gboolean
apply (FlUploader *self, FlConnector *connector, FlSyncBatch *batch, GError **error)
{
  const char *name = fl_connector_get_name (connector);
  gint64 now = fl_sync_now ();
  g_autoptr(GArray) next = g_array_sized_new (FALSE, TRUE, sizeof (gint64), batch->items->len);
  g_autoptr(GPtrArray) delivered = g_ptr_array_sized_new (batch->items->len);
  gboolean ok = TRUE;
  gint64 batch_next = 0;

  /* A batch retries as one, at one time, so it stays one batch. */
  if (batch->status == FL_SEND_RETRY)
    {
      FlSyncItem *first = g_ptr_array_index (batch->items, 0);

      batch_next = now + (batch->retry_after >= 0 ? batch->retry_after * G_USEC_PER_SEC
                                                  : fl_uploader_backoff (first->attempts));
    }
  g_array_set_size (next, batch->items->len);
  if (!fl_store_begin (self->store, error))
    return FALSE;
  if (batch->status == FL_SEND_RETRY && batch->retry_after > 0)
    ok = pause_connector (self, connector, batch_next, error);
  for (guint i = 0; ok && i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      gint64 *when = &g_array_index (next, gint64, i);

      switch (batch->status)
        {
        case FL_SEND_OK:
          if (item->result == FL_ITEM_UNSET)
            item->result = FL_ITEM_DONE;
          if (item->result == FL_ITEM_DONE)
            g_ptr_array_add (delivered, item);
          else if (item->result == FL_ITEM_FAILED)
            ok = fl_outbox_mark_failed (self->outbox, name, item->lead_id, item->message, error);
          else
            {
              /* Only this lead waits: it joins a new batch later. */
              *when = now + fl_uploader_backoff (item->attempts);
              ok = fl_outbox_reschedule (self->outbox, name, item->lead_id, *when, FALSE,
                                         item->message, error);
            }
          break;

        case FL_SEND_RETRY:
          /* The same batch, with the same key, once the server is ready. */
          *when = batch_next;
          fl_sync_item_set (item, FL_ITEM_RETRY, NULL, batch->message);
          ok = fl_outbox_reschedule (self->outbox, name, item->lead_id, *when, TRUE,
                                     batch->message, error);
          break;

        case FL_SEND_REFUSED:
          fl_sync_item_set (item, FL_ITEM_FAILED, NULL, batch->message);
          ok = fl_outbox_mark_failed (self->outbox, name, item->lead_id, batch->message, error);
          break;

        case FL_SEND_STOP:
        default:
          ok = fl_outbox_release (self->outbox, name, item->lead_id, batch->message, error);
          break;
        }
    }
  /* What was delivered, and the log of every lead, one statement each. */
  ok = ok && fl_outbox_mark_done_items (self->outbox, name, delivered, now, error);
  ok = ok && fl_sync_log_add_batch (self->store, name, batch, now, error);
  /* One commit, so one flush to disk, for this batch's outcome and the
   * next batch's claim (with its Idempotency-Key): both are on disk
   * before the next request leaves. */
  if (ok && self->may_claim_next && batch->status == FL_SEND_OK &&
      !g_cancellable_is_cancelled (self->cancellable))
    {
      self->next_rows = fl_outbox_claim_in_transaction (self->outbox, connector, fl_sync_now (),
                                                        &self->next_key, &self->next_event, error);
      ok = self->next_rows != NULL;
    }
  self->may_claim_next = FALSE;
  if (!ok)
    {
      fl_store_rollback (self->store);
      clear_next (self);
      return FALSE;
    }
  if (!fl_store_commit (self->store, error))
    {
      clear_next (self);
      return FALSE;
    }

  if (batch->status == FL_SEND_STOP)
    {
      block (self, connector, batch->message);
      return TRUE;
    }
  for (guint i = 0; i < batch->items->len; i++)
    report_outcome (self, connector, g_ptr_array_index (batch->items, i),
                    g_array_index (next, gint64, i));
  report_progress (self, 0);
  return TRUE;
}

static gboolean
is_stopped (FlUploader *self, FlConnector *connector)
{
  return g_hash_table_contains (self->summary->stopped, fl_connector_get_name (connector));
}

static gboolean send_batch (FlUploader *self, FlConnector *connector, FlSyncBatch *batch,
                            const gint8 *allowed, GError **error);

/* A refused batch is split until each faulty lead is alone, so that only
 * those fail and the rest go through. Each half gets its own key, stored
 * before it is sent, so a retry of a half is recognised as such. */
static gboolean
bisect (FlUploader *self, FlConnector *connector, FlSyncBatch *batch, GError **error)
{
  guint half = batch->items->len / 2;
  g_autoptr(FlSyncBatch) first = NULL;
  g_autoptr(FlSyncBatch) second = NULL;
  g_autofree char *first_key = fl_uuid_new ();
  g_autofree char *second_key = fl_uuid_new ();

  g_debug ("%s refused a batch of %u; splitting", fl_connector_get_name (connector),
           batch->items->len);
  first = fl_sync_batch_new (first_key, batch->event);
  second = fl_sync_batch_new (second_key, batch->event);
  first->checkpoint = second->checkpoint = batch->checkpoint;
  first->checkpoint_data = second->checkpoint_data = batch->checkpoint_data;
  if (!fl_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      FlSyncBatch *part = i < half ? first : second;

      fl_sync_item_set (item, FL_ITEM_UNSET, NULL, NULL);
      g_ptr_array_add (part->items, item);
      if (!fl_outbox_rekey (self->outbox, fl_connector_get_name (connector), item->lead_id,
                            part->key, error))
        {
          fl_store_rollback (self->store);
          return FALSE;
        }
    }
  if (!fl_store_commit (self->store, error))
    return FALSE;

  if (!send_batch (self, connector, first, NULL, error))
    return FALSE;
  if (is_stopped (self, connector))
    {
      fl_sync_batch_set (second, FL_SEND_STOP, first->message);
      return apply (self, connector, second, error);
    }
  return send_batch (self, connector, second, NULL, error);
}

/* The outbox holds no lead without consent, but the visitor may withdraw
 * it (on another connection) after the batch was claimed: consent is
 * checked again right before the batch leaves, and such a lead is dropped
 * from the batch and the outbox. A lead erased meanwhile is dropped too.
 * What is left is another body, so it gets another Idempotency-Key.
 * @read_allowed, when not %NULL, is the answer read with the batch's
 * leads (fl_store_get_leads_by_id()) right before this call, one per
 * item; else it is asked now. */
static gboolean
withhold_unconsented (FlUploader *self, FlConnector *connector, FlSyncBatch *batch,
                      const gint8 *read_allowed, GError **error)
{
  const char *name = fl_connector_get_name (connector);
  g_autofree char *key = NULL;
  g_autofree gint8 *asked = NULL;
  const gint8 *allowed = read_allowed;
  guint before = batch->items->len;

  if (allowed == NULL)
    {
      g_autofree const char **uuids = g_new (const char *, batch->items->len + 1);

      asked = g_new (gint8, batch->items->len + 1);
      for (guint i = 0; i < batch->items->len; i++)
        uuids[i] = fl_lead_get_uuid (((FlSyncItem *) g_ptr_array_index (batch->items, i))->lead);
      if (!fl_store_leads_upload_allowed (self->store, uuids, batch->items->len, asked, error))
        return FALSE;
      allowed = asked;
    }
  for (guint i = batch->items->len; i-- > 0;)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      const char *uuid = fl_lead_get_uuid (item->lead);

      if (allowed[i] == 1)
        continue;
      if (allowed[i] == 0)
        {
          if (!fl_outbox_withhold (self->outbox, name, item->lead_id, uuid, error))
            return FALSE;
          g_debug ("%s: consent was withdrawn; not sent to %s", uuid, name);
          self->summary->withheld++;
        }
      self->done++;
      g_ptr_array_remove_index (batch->items, i);
    }
  if (batch->items->len == before || batch->items->len == 0)
    return TRUE;

  key = fl_uuid_new ();
  if (!fl_store_begin (self->store, error))
    return FALSE;
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);

      if (!fl_outbox_rekey (self->outbox, name, item->lead_id, key, error))
        {
          fl_store_rollback (self->store);
          return FALSE;
        }
    }
  if (!fl_store_commit (self->store, error))
    return FALSE;
  g_free (batch->key);
  batch->key = g_steal_pointer (&key);
  return TRUE;
}

static gboolean
send_batch (FlUploader *self, FlConnector *connector, FlSyncBatch *batch, const gint8 *allowed,
            GError **error)
{
  g_autoptr(GError) insecure = NULL;

  if (!withhold_unconsented (self, connector, batch, allowed, error))
    return FALSE;
  if (batch->items->len == 0)
    return TRUE;

  /* A connector stored with plain http to another computer (by an older
   * version, or by hand) sends nothing: each lead fails with the reason. */
  if (!fl_connector_check_transport (connector, &insecure))
    {
      for (guint i = 0; i < batch->items->len; i++)
        fl_sync_item_set (g_ptr_array_index (batch->items, i), FL_ITEM_UNSET, NULL, NULL);
      fl_sync_batch_set (batch, FL_SEND_REFUSED, insecure->message);
      return apply (self, connector, batch, error);
    }
  fl_connector_send (connector, batch, self->cancellable);
  if (batch->status == FL_SEND_REFUSED && batch->items->len > 1)
    return bisect (self, connector, batch, error);
  return apply (self, connector, batch, error);
}

static JsonNode *
lookup_event (FlUploader *self, const char *uuid)
{
  JsonNode *node;

  if (uuid == NULL)
    return NULL;
  node = g_hash_table_lookup (self->events, uuid);
  if (node == NULL)
    {
      g_autoptr(FlEvent) event = fl_store_get_event (self->store, uuid, NULL);

      if (event == NULL)
        return NULL;
      node = fl_event_to_json (event);
      g_hash_table_insert (self->events, g_strdup (uuid), node);
    }
  return node;
}

typedef struct
{
  FlUploader  *uploader;
  FlConnector *connector;
} Checkpoint;

static gboolean
checkpoint_cb (FlSyncBatch *batch, FlSyncItem *item, const char *remote_id, gpointer user_data,
               GError **error)
{
  Checkpoint *checkpoint = user_data;

  return fl_outbox_set_remote_id (checkpoint->uploader->outbox,
                                  fl_connector_get_name (checkpoint->connector), item->lead_id,
                                  remote_id, error);
}

/* A batch claimed with the last one's outcome that is not sent after all
 * (cancelled, stopped, paused) goes back to pending as it was. */
static gboolean
release_next (FlUploader *self, FlConnector *connector, GError **error)
{
  g_autoptr(GPtrArray) rows = g_steal_pointer (&self->next_rows);
  gboolean ok;

  clear_next (self);
  if (rows == NULL || rows->len == 0)
    return TRUE;
  if (!fl_store_begin (self->store, error))
    return FALSE;
  ok = TRUE;
  for (guint i = 0; ok && i < rows->len; i++)
    ok = fl_outbox_release (self->outbox, fl_connector_get_name (connector),
                            ((FlOutboxRow *) g_ptr_array_index (rows, i))->lead_id, NULL, error);
  if (!ok)
    {
      fl_store_rollback (self->store);
      return FALSE;
    }
  return fl_store_commit (self->store, error);
}

/* Claims and sends batches of @connector until nothing is due. */
static gboolean
send_due (FlUploader *self, FlConnector *connector, GError **error)
{
  Checkpoint checkpoint = { self, connector };

  while (!g_cancellable_is_cancelled (self->cancellable) && !is_stopped (self, connector) &&
         get_paused_until (self, connector) <= fl_sync_now ())
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_sync_item_free);
      g_autoptr(FlSyncBatch) batch = NULL;
      g_autoptr(GPtrArray) leads = NULL;
      g_autofree gint64 *ids = NULL;
      g_autofree gint8 *allowed = NULL;
      g_autofree char *key = NULL;
      g_autofree char *event = NULL;

      if (self->next_rows != NULL)
        {
          rows = g_steal_pointer (&self->next_rows);
          key = g_steal_pointer (&self->next_key);
          event = g_steal_pointer (&self->next_event);
        }
      else
        rows = fl_outbox_claim (self->outbox, connector, fl_sync_now (), &key, &event, error);
      if (rows == NULL)
        return FALSE;
      if (rows->len == 0)
        return TRUE;

      batch = fl_sync_batch_new (key, lookup_event (self, event));
      batch->checkpoint = checkpoint_cb;
      batch->checkpoint_data = &checkpoint;
      /* By the outbox's own lead ids, with the consent check that
       * withhold_unconsented() makes right before the batch leaves. */
      ids = g_new (gint64, rows->len + 1);
      allowed = g_new (gint8, rows->len + 1);
      for (guint i = 0; i < rows->len; i++)
        ids[i] = ((FlOutboxRow *) g_ptr_array_index (rows, i))->lead_id;
      leads = fl_store_get_leads_by_id (self->store, ids, rows->len, allowed, error);
      if (leads == NULL)
        return FALSE;
      for (guint i = 0; i < rows->len; i++)
        {
          FlOutboxRow *row = g_ptr_array_index (rows, i);
          FlLead *lead = g_ptr_array_index (leads, i);
          FlSyncItem *item;

          item = fl_sync_item_new (row->lead_id, lead, row->known);
          item->attempts = row->attempts;
          item->stored_id = g_strdup (row->remote_id);
          g_ptr_array_add (items, item);
          g_ptr_array_add (batch->items, item);
        }
      self->may_claim_next = TRUE;
      if (!send_batch (self, connector, batch, allowed, error))
        return FALSE;
      self->may_claim_next = FALSE;
    }
  return release_next (self, connector, error);
}

/* Sleeps until @until (µs since the epoch) or cancellation. */
static void
wait_until (FlUploader *self, gint64 until)
{
  gint64 now;

  while ((now = fl_sync_now ()) < until && !g_cancellable_is_cancelled (self->cancellable))
    {
      report_progress (self, until);
      g_usleep (MIN (until - now, G_USEC_PER_SEC / 10));
    }
}

static void
fl_uploader_finalize (GObject *object)
{
  FlUploader *self = FL_UPLOADER (object);

  if (self->lock_fd >= 0)
    close (self->lock_fd);
  g_clear_pointer (&self->blocked, g_hash_table_unref);
  g_clear_pointer (&self->paused, g_hash_table_unref);
  g_clear_pointer (&self->events, g_hash_table_unref);
  clear_next (self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_uploader_parent_class)->finalize (object);
}

static void
fl_uploader_class_init (FlUploaderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_uploader_finalize;
}

static void
fl_uploader_init (FlUploader *self)
{
  self->lock_fd = -1;
  self->blocked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) blocked_free);
  self->events = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) json_node_unref);
  self->paused = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/**
 * fl_uploader_new:
 * @store: a store the calling thread owns; the uploader uses it from the
 *   thread that calls fl_uploader_run()
 */
FlUploader *
fl_uploader_new (FlStore *store)
{
  FlUploader *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_UPLOADER, NULL);
  self->store = g_object_ref (store);
  self->outbox = fl_outbox_new (store);
  return self;
}

FlOutbox *
fl_uploader_get_outbox (FlUploader *self)
{
  g_return_val_if_fail (FL_IS_UPLOADER (self), NULL);
  return self->outbox;
}

void
fl_uploader_set_callbacks (FlUploader *self, FlUploadOutcomeFunc outcome_func,
                           FlUploadProgressFunc progress_func, gpointer user_data)
{
  g_return_if_fail (FL_IS_UPLOADER (self));

  self->outcome_func = outcome_func;
  self->progress_func = progress_func;
  self->user_data = user_data;
}

/**
 * fl_uploader_lock:
 *
 * Makes this uploader the only one sending from its database (the kiosk
 * and a `fairlead-cli upload` must not send the same rows), then puts back
 * what a killed upload left in flight. The lock goes with the process, so
 * a killed one does not keep it. fl_uploader_run() takes it for the time
 * it runs when the caller has not: an uploader that waits for its next
 * round holds nothing, and another may send meanwhile.
 */
gboolean
fl_uploader_lock (FlUploader *self, GError **error)
{
  g_autofree char *path = NULL;
  gint64 recovered;
  int fd;

  g_return_val_if_fail (FL_IS_UPLOADER (self), FALSE);

  if (self->lock_fd >= 0)
    return TRUE;
  path = g_strconcat (fl_store_get_path (self->store), ".upload-lock", NULL);
  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_IO, _("Cannot open “%s”: %s"), path,
                   g_strerror (saved_errno));
      return FALSE;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_BUSY, "%s",
                   _("Another Fairlead (the kiosk or another upload) is uploading from this "
                     "database right now; it sends these leads. Try again when it is done."));
      return FALSE;
    }
  self->lock_fd = fd;

  recovered = fl_outbox_recover (self->outbox, error);
  if (recovered < 0)
    {
      close (self->lock_fd);
      self->lock_fd = -1;
      return FALSE;
    }
  self->recovered = recovered;
  if (recovered > 0)
    g_debug ("%" G_GINT64_FORMAT " leads were in flight when the last upload ended; "
               "they are sent again", recovered);
  return TRUE;
}

/**
 * fl_uploader_lock_wait:
 * @timeout_ms: how long to wait for the other uploader to finish its round
 *
 * Like fl_uploader_lock(), but when another uploader holds the lock (the
 * kiosk's own worker in the middle of a round, usually a second or two),
 * waits for it instead of giving up at once. Fails with
 * %FL_SYNC_ERROR_BUSY when the lock is still held after @timeout_ms.
 */
gboolean
fl_uploader_lock_wait (FlUploader *self, guint timeout_ms, GCancellable *cancellable, GError **error)
{
  gint64 deadline;

  g_return_val_if_fail (FL_IS_UPLOADER (self), FALSE);

  deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;

      if (fl_uploader_lock (self, &local_error))
        return TRUE;
      if (!g_error_matches (local_error, FL_SYNC_ERROR, FL_SYNC_ERROR_BUSY) ||
          g_get_monotonic_time () >= deadline)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      g_usleep (50 * 1000);
    }
}

static void
unlock (FlUploader *self)
{
  if (self->lock_fd < 0)
    return;
  close (self->lock_fd);
  self->lock_fd = -1;
}

/**
 * fl_uploader_unblock:
 *
 * Lets connectors that refused the credential be tried again at once.
 */
void
fl_uploader_unblock (FlUploader *self)
{
  g_return_if_fail (FL_IS_UPLOADER (self));
  g_hash_table_remove_all (self->blocked);
}

static gboolean
summarize (FlUploader *self, GPtrArray *connectors, GError **error)
{
  gint64 now = fl_sync_now ();

  self->summary->pending = 0;
  self->summary->next_attempt = 0;
  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      FlOutboxCounts counts;

      if (!fl_outbox_get_counts (self->outbox, connector, now, &counts, error))
        return FALSE;
      self->summary->pending += counts.pending;
      /* Nothing of a paused connector goes before the pause ends. */
      counts.next_attempt = MAX (counts.next_attempt, get_paused_until (self, connector));
      if (counts.pending > 0 && !is_stopped (self, connector) &&
          (self->summary->next_attempt == 0 || counts.next_attempt < self->summary->next_attempt))
        self->summary->next_attempt = counts.next_attempt;
    }
  return TRUE;
}

/**
 * fl_uploader_run:
 * @connector: (nullable): only this connector, else every enabled one
 * @max_wait: µs: a lead whose next attempt is due within this time is
 *   waited for; 0 sends only what is due now
 *
 * Sends what is due, never before a lead's next attempt time. Leads that
 * must wait longer stay pending; @summary says until when.
 *
 * Returns: %FALSE when the database failed or another process uploads
 */
gboolean
fl_uploader_run (FlUploader *self, const char *connector_name, gint64 max_wait,
                 GCancellable *cancellable, FlUploadSummary *summary, GError **error)
{
  g_autoptr(GPtrArray) connectors = NULL;
  gint64 deadline = fl_sync_now () + MAX (max_wait, 0);
  gboolean took_lock;
  gboolean ok = FALSE;

  g_return_val_if_fail (FL_IS_UPLOADER (self), FALSE);
  g_return_val_if_fail (summary != NULL, FALSE);

  memset (summary, 0, sizeof *summary);
  summary->stopped = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  /* The lock is held while this runs, and only then. */
  took_lock = self->lock_fd < 0;
  if (!fl_uploader_lock (self, error))
    return FALSE;
  summary->recovered = self->recovered;
  self->recovered = 0;

  if (connector_name != NULL)
    {
      FlConnector *connector = fl_outbox_get_connector (self->outbox, connector_name, error);

      if (connector == NULL)
        goto out;
      connectors = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (connectors, connector);
      g_hash_table_remove (self->blocked, connector_name);
    }
  else if ((connectors = fl_outbox_list_connectors (self->outbox, TRUE, error)) == NULL)
    goto out;

  self->cancellable = cancellable;
  self->summary = summary;
  self->done = 0;
  /* Marking a batch delivered rewrites its leads' rows through the
   * outbox triggers: the statement's sub-journal outgrew SQLite's 64 KiB
   * and went to a new temporary file every batch (an open and ~50
   * writes). In memory while this runs, as fl_store_import() does. */
  fl_store_exec (self->store, "PRAGMA temp_store = MEMORY", NULL);

  /* Connectors refused earlier stay quiet until their time is up. */
  for (guint i = 0; i < connectors->len; i++)
    {
      const char *name = fl_connector_get_name (g_ptr_array_index (connectors, i));
      Blocked *blocked = g_hash_table_lookup (self->blocked, name);

      if (blocked != NULL && blocked->until > fl_sync_now ())
        g_hash_table_insert (summary->stopped, g_strdup (name), g_strdup (blocked->message));
      else if (blocked != NULL)
        g_hash_table_remove (self->blocked, name);
    }

  if (!summarize (self, connectors, error))
    goto out;
  self->total = summary->pending;
  report_progress (self, 0);

  for (;;)
    {
      gint64 now;

      for (guint i = 0; i < connectors->len; i++)
        if (!send_due (self, g_ptr_array_index (connectors, i), error))
          goto out;
      if (!summarize (self, connectors, error))
        goto out;
      if (g_cancellable_is_cancelled (cancellable) || summary->next_attempt == 0)
        break;
      now = fl_sync_now ();
      if (summary->next_attempt > deadline)
        break;
      if (summary->next_attempt > now)
        wait_until (self, summary->next_attempt);
    }
  ok = TRUE;

out:
  if (self->summary != NULL)
    fl_store_exec (self->store, "PRAGMA temp_store = DEFAULT", NULL);
  self->cancellable = NULL;
  self->summary = NULL;
  if (took_lock)
    unlock (self);
  return ok;
}
