/* fl-upload-worker.c: uploads in the background while the kiosk captures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-upload-worker"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-backlog.h"
#include "fl-sync.h"
#include "fl-upload-worker.h"
#include "fl-uploader.h"

#define DEFAULT_INTERVAL 60

struct _FlUploadWorker
{
  GObject          parent_instance;

  char            *db_path;
  GMainContext    *main_context;   /* where the state is published */
  GNetworkMonitor *monitor;
  gulong           network_changed_id;

  /* Published state: touched on the main context only */
  gint64           pending;
  gint64           failed;
  gint64           last_success;
  char            *last_error;
  gint64           connectors;    /* -1 until the first round has counted */
  gint64           undelivered;
  gboolean         online;
  gboolean         busy;

  /* Shared with the thread, under mutex */
  GMutex           mutex;
  GCond            cond;
  GThread         *thread;
  GCancellable    *cancellable;
  gboolean         woken;
  gboolean         retry_now;
  gboolean         quit;
  guint            interval;
};

G_DEFINE_FINAL_TYPE (FlUploadWorker, fl_upload_worker, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_PENDING,
  PROP_FAILED,
  PROP_LAST_SUCCESS,
  PROP_LAST_ERROR,
  PROP_CONNECTORS,
  PROP_UNDELIVERED,
  PROP_ONLINE,
  PROP_BUSY,
  PROP_INTERVAL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What the thread reports after each round. */
typedef struct
{
  FlUploadWorker *self;
  gint64          pending;
  gint64          failed;
  gint64          last_success;
  char           *last_error;
  FlBacklog       backlog;
  gboolean        has_backlog;
  gboolean        busy;
  gboolean        has_counts;   /* FALSE: only busy changes */
} State;

static void
state_free (State *state)
{
  g_object_unref (state->self);
  g_free (state->last_error);
  g_free (state);
}

static gboolean
apply_state_cb (gpointer user_data)
{
  State *state = user_data;
  FlUploadWorker *self = state->self;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->busy != state->busy)
    {
      self->busy = state->busy;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
  if (!state->has_counts)
    {
      g_object_thaw_notify (G_OBJECT (self));
      return G_SOURCE_REMOVE;
    }
  if (self->pending != state->pending)
    {
      self->pending = state->pending;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
    }
  if (self->failed != state->failed)
    {
      self->failed = state->failed;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FAILED]);
    }
  if (self->last_success != state->last_success)
    {
      self->last_success = state->last_success;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SUCCESS]);
    }
  if (state->has_backlog && self->connectors != state->backlog.connectors)
    {
      self->connectors = state->backlog.connectors;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTORS]);
    }
  if (state->has_backlog && self->undelivered != state->backlog.undelivered)
    {
      self->undelivered = state->backlog.undelivered;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDELIVERED]);
    }
  if (g_strcmp0 (self->last_error, state->last_error) != 0)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (state->last_error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
    }
  g_object_thaw_notify (G_OBJECT (self));
  return G_SOURCE_REMOVE;
}

static void
publish (FlUploadWorker *self, gboolean has_counts, gint64 pending, gint64 failed,
         gint64 last_success, const char *last_error, const FlBacklog *backlog, gboolean busy)
{
  State *state = g_new0 (State, 1);

  /* Without a new count the last one stands. */
  state->has_backlog = backlog != NULL;
  if (backlog != NULL)
    state->backlog = *backlog;

  state->has_counts = has_counts;
  state->self = g_object_ref (self);
  state->pending = pending;
  state->failed = failed;
  state->last_success = last_success;
  state->last_error = g_strdup (last_error);
  state->busy = busy;
  g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT, apply_state_cb, state,
                              (GDestroyNotify) state_free);
}

static void
outcome_cb (const FlUploadOutcome *outcome, gpointer user_data)
{
  char **last_error = user_data;

  if (outcome->result != FL_ITEM_DONE && outcome->message != NULL)
    {
      g_free (*last_error);
      *last_error = g_strdup_printf ("%s: %s", outcome->connector, outcome->message);
    }
}

/* One round: send what is due, then count. Returns when to look again. */
static gint64
run_round (FlUploadWorker *self, FlUploader *uploader, GCancellable *cancellable)
{
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *last_error = NULL;
  FlOutbox *outbox = fl_uploader_get_outbox (uploader);
  FlBacklog backlog = { .connectors = -1 };
  gint64 pending = 0, failed = 0, last_success = 0;
  gint64 now;

  fl_uploader_set_callbacks (uploader, outcome_cb, NULL, &last_error);
  if (!fl_uploader_run (uploader, NULL, 0, cancellable, &summary, &error))
    {
      g_clear_pointer (&last_error, g_free);
      last_error = g_strdup (error->message);
    }
  else if (g_hash_table_size (summary.stopped) > 0)
    {
      GHashTableIter iter;
      gpointer name, message;

      g_hash_table_iter_init (&iter, summary.stopped);
      g_hash_table_iter_next (&iter, &name, &message);
      g_clear_pointer (&last_error, g_free);
      last_error = g_strdup_printf ("%s: %s", (char *) name, (char *) message);
    }

  now = fl_sync_now ();
  connectors = fl_outbox_list_connectors (outbox, TRUE, NULL);
  for (guint i = 0; connectors != NULL && i < connectors->len; i++)
    {
      FlOutboxCounts counts;

      if (!fl_outbox_get_counts (outbox, g_ptr_array_index (connectors, i), now, &counts, NULL))
        continue;
      pending += counts.pending + counts.sending;
      failed += counts.failed;
      last_success = MAX (last_success, counts.last_done);
    }
  /* With no CRM connected nothing is queued: what is only here is told. */
  g_clear_error (&error);
  if (!fl_backlog_read (fl_outbox_get_store (outbox), NULL, NULL, &backlog, &error))
    {
      g_debug ("Cannot count the leads no CRM has: %s", error->message);
      backlog.connectors = -1;
    }
  publish (self, TRUE, pending, failed, last_success, last_error, &backlog, FALSE);

  return summary.next_attempt;
}

static gpointer
worker_thread (gpointer user_data)
{
  FlUploadWorker *self = user_data;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlUploader) uploader = NULL;
  g_autoptr(GCancellable) cancellable = NULL;

  g_mutex_lock (&self->mutex);
  cancellable = g_object_ref (self->cancellable);
  g_mutex_unlock (&self->mutex);

  for (;;)
    {
      gint64 next_attempt = 0;
      gint64 wake_at;
      gboolean retry_now;

      g_mutex_lock (&self->mutex);
      retry_now = self->retry_now;
      self->retry_now = FALSE;
      self->woken = FALSE;
      g_mutex_unlock (&self->mutex);

      if (store == NULL)
        {
          g_autoptr(GError) error = NULL;

          /* The worker's own connection: SQLite connections stay in one thread. */
          store = fl_store_open (self->db_path, &error);
          if (store != NULL)
            uploader = fl_uploader_new (store);
          else
            publish (self, TRUE, 0, 0, 0, error->message, NULL, FALSE);
        }
      if (uploader != NULL)
        {
          if (retry_now)
            fl_uploader_unblock (uploader);
          publish (self, FALSE, 0, 0, 0, NULL, NULL, TRUE);
          next_attempt = run_round (self, uploader, cancellable);
        }

      g_mutex_lock (&self->mutex);
      wake_at = g_get_monotonic_time () + self->interval * G_USEC_PER_SEC;
      if (next_attempt > 0)
        wake_at = MIN (wake_at, g_get_monotonic_time () + MAX (next_attempt - fl_sync_now (), 0));
      while (!self->woken && !self->quit)
        if (!g_cond_wait_until (&self->cond, &self->mutex, wake_at))
          break;
      if (self->quit)
        {
          g_mutex_unlock (&self->mutex);
          break;
        }
      g_mutex_unlock (&self->mutex);
    }
  return NULL;
}

static void
network_changed_cb (GNetworkMonitor *monitor, gboolean available, gpointer user_data)
{
  FlUploadWorker *self = user_data;

  if (self->online != available)
    {
      self->online = available;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
    }
  if (available)
    fl_upload_worker_retry_now (self);
}

static void
fl_upload_worker_dispose (GObject *object)
{
  FlUploadWorker *self = FL_UPLOAD_WORKER (object);

  fl_upload_worker_stop (self);
  if (self->network_changed_id != 0)
    g_clear_signal_handler (&self->network_changed_id, self->monitor);

  G_OBJECT_CLASS (fl_upload_worker_parent_class)->dispose (object);
}

static void
fl_upload_worker_finalize (GObject *object)
{
  FlUploadWorker *self = FL_UPLOAD_WORKER (object);

  g_free (self->db_path);
  g_free (self->last_error);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->mutex);
  g_cond_clear (&self->cond);

  G_OBJECT_CLASS (fl_upload_worker_parent_class)->finalize (object);
}

static void
fl_upload_worker_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlUploadWorker *self = FL_UPLOAD_WORKER (object);

  switch (prop_id)
    {
    case PROP_PENDING:
      g_value_set_int64 (value, self->pending);
      break;
    case PROP_FAILED:
      g_value_set_int64 (value, self->failed);
      break;
    case PROP_LAST_SUCCESS:
      g_value_set_int64 (value, self->last_success);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_CONNECTORS:
      g_value_set_int64 (value, self->connectors);
      break;
    case PROP_UNDELIVERED:
      g_value_set_int64 (value, self->undelivered);
      break;
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, fl_upload_worker_get_interval (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_upload_worker_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  FlUploadWorker *self = FL_UPLOAD_WORKER (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      fl_upload_worker_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_upload_worker_class_init (FlUploadWorkerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->dispose = fl_upload_worker_dispose;
  object_class->finalize = fl_upload_worker_finalize;
  object_class->get_property = fl_upload_worker_get_property;
  object_class->set_property = fl_upload_worker_set_property;

  /**
   * FlUploadWorker:pending:
   *
   * Leads waiting for a connector (sending included).
   */
  properties[PROP_PENDING] = g_param_spec_int64 ("pending", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * FlUploadWorker:failed:
   *
   * Leads a connector refused for good; they need a person.
   */
  properties[PROP_FAILED] = g_param_spec_int64 ("failed", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * FlUploadWorker:last-success:
   *
   * When a lead was last delivered, µs since the epoch, 0 for never.
   */
  properties[PROP_LAST_SUCCESS] =
    g_param_spec_int64 ("last-success", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * FlUploadWorker:last-error:
   *
   * What went wrong last, for a person; %NULL when the last round went well.
   */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, flags);
  /**
   * FlUploadWorker:connectors:
   *
   * Enabled connectors: 0 when no CRM is connected, -1 until the worker
   * has looked.
   */
  properties[PROP_CONNECTORS] = g_param_spec_int64 ("connectors", NULL, NULL, -1, G_MAXINT64, -1, flags);
  /**
   * FlUploadWorker:undelivered:
   *
   * Leads no connector has delivered: they are only on this kiosk.
   */
  properties[PROP_UNDELIVERED] = g_param_spec_int64 ("undelivered", NULL, NULL, 0, G_MAXINT64, 0, flags);
  /**
   * FlUploadWorker:online:
   *
   * Whether the system has a network, as GNetworkMonitor sees it.
   */
  properties[PROP_ONLINE] = g_param_spec_boolean ("online", NULL, NULL, FALSE, flags);
  /**
   * FlUploadWorker:busy:
   *
   * Whether a round of uploads is running.
   */
  properties[PROP_BUSY] = g_param_spec_boolean ("busy", NULL, NULL, FALSE, flags);
  /**
   * FlUploadWorker:interval:
   *
   * Seconds between rounds when nothing wakes the worker.
   */
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 1, 24 * 3600, DEFAULT_INTERVAL,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_upload_worker_init (FlUploadWorker *self)
{
  g_mutex_init (&self->mutex);
  g_cond_init (&self->cond);
  self->interval = DEFAULT_INTERVAL;
  self->connectors = -1;
  self->online = TRUE;
}

/**
 * fl_upload_worker_new:
 * @db_path: (nullable): the database; the worker opens its own connection
 *
 * The state properties are updated, and notified, on the thread-default
 * main context of the caller.
 */
FlUploadWorker *
fl_upload_worker_new (const char *db_path)
{
  FlUploadWorker *self = g_object_new (FL_TYPE_UPLOAD_WORKER, NULL);

  self->db_path = db_path ? g_strdup (db_path) : fl_store_default_path ();
  self->main_context = g_main_context_ref_thread_default ();
  self->monitor = g_network_monitor_get_default ();
  self->online = g_network_monitor_get_network_available (self->monitor);
  self->network_changed_id = g_signal_connect (self->monitor, "network-changed",
                                               G_CALLBACK (network_changed_cb), self);
  return self;
}

gint64
fl_upload_worker_get_pending (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), 0);
  return self->pending;
}

gint64
fl_upload_worker_get_failed (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), 0);
  return self->failed;
}

gint64
fl_upload_worker_get_last_success (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), 0);
  return self->last_success;
}

const char *
fl_upload_worker_get_last_error (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), NULL);
  return self->last_error;
}

/**
 * fl_upload_worker_get_connectors:
 *
 * Returns: the enabled connectors, 0 when no CRM is connected, -1 while
 *   the worker has not looked yet
 */
gint64
fl_upload_worker_get_connectors (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), -1);
  return self->connectors;
}

/**
 * fl_upload_worker_get_undelivered:
 *
 * Returns: the leads no connector has delivered, in every event
 */
gint64
fl_upload_worker_get_undelivered (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), 0);
  return self->undelivered;
}

gboolean
fl_upload_worker_get_online (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), FALSE);
  return self->online;
}

gboolean
fl_upload_worker_get_busy (FlUploadWorker *self)
{
  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), FALSE);
  return self->busy;
}

guint
fl_upload_worker_get_interval (FlUploadWorker *self)
{
  guint interval;

  g_return_val_if_fail (FL_IS_UPLOAD_WORKER (self), 0);
  g_mutex_lock (&self->mutex);
  interval = self->interval;
  g_mutex_unlock (&self->mutex);
  return interval;
}

void
fl_upload_worker_set_interval (FlUploadWorker *self, guint seconds)
{
  g_return_if_fail (FL_IS_UPLOAD_WORKER (self));
  g_return_if_fail (seconds > 0);

  g_mutex_lock (&self->mutex);
  if (self->interval == seconds)
    {
      g_mutex_unlock (&self->mutex);
      return;
    }
  self->interval = seconds;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/**
 * fl_upload_worker_start:
 *
 * Starts the thread. It opens its own connection to the database, puts back
 * what a killed upload left in flight, and sends what is due.
 */
void
fl_upload_worker_start (FlUploadWorker *self)
{
  g_return_if_fail (FL_IS_UPLOAD_WORKER (self));

  if (self->thread != NULL)
    return;
  self->quit = FALSE;
  self->cancellable = g_cancellable_new ();
  self->thread = g_thread_new ("fl-upload", worker_thread, self);
}

/**
 * fl_upload_worker_stop:
 *
 * Stops the thread, cutting a request in flight short; what it was sending
 * is sent again on the next start.
 */
void
fl_upload_worker_stop (FlUploadWorker *self)
{
  g_return_if_fail (FL_IS_UPLOAD_WORKER (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->mutex);
  self->quit = TRUE;
  g_cancellable_cancel (self->cancellable);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
  g_thread_join (g_steal_pointer (&self->thread));
  g_clear_object (&self->cancellable);
}

/**
 * fl_upload_worker_wake:
 *
 * Asks for a round now, e.g. after a capture. Never blocks.
 */
void
fl_upload_worker_wake (FlUploadWorker *self)
{
  g_return_if_fail (FL_IS_UPLOAD_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}

/**
 * fl_upload_worker_retry_now:
 *
 * Like fl_upload_worker_wake(), and also asks again the connectors that
 * refused the credential: for after the token was fixed, or when the
 * network came back.
 */
void
fl_upload_worker_retry_now (FlUploadWorker *self)
{
  g_return_if_fail (FL_IS_UPLOAD_WORKER (self));

  g_mutex_lock (&self->mutex);
  self->retry_now = TRUE;
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->mutex);
}
