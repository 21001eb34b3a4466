/* fl-booth-service.c: the booth sync service a kiosk runs while in a booth
 *
 * The server answers on the thread that owns the kiosk's store; rounds
 * run one at a time in a worker thread with a store connection of their
 * own, so a round never blocks the kiosk nor the answers to other kiosks
 * (two kiosks syncing with each other at the same moment would otherwise
 * wait for each other).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

#include "fl-booth.h"
#include "fl-booth-cert.h"
#include "fl-booth-client.h"
#include "fl-booth-discovery.h"
#include "fl-booth-server.h"
#include "fl-booth-service.h"

/* Browse for kiosks every this many rounds: they announce themselves
 * once, the addresses found are remembered per device. */
#define BROWSE_EVERY 15
#define BROWSE_TIMEOUT_MS 700

struct _FlBoothService
{
  GObject           parent_instance;

  FlStore          *store;
  FlStore          *worker_store;  /* used by one round at a time */
  GTlsCertificate  *certificate;
  FlBoothServer    *server;
  FlBoothPublisher *publisher;
  GCancellable     *cancellable;
  GStrv             peers;
  GStrv             discovered;
  char             *booth_id;
  char             *device_id;
  char             *state_text;
  guint             port;
  guint             interval_ms;
  guint             timeout_id;
  guint             rounds;
  guint             n_members;
  guint             n_in_sync;
  gboolean          running;
  gboolean          in_round;
  gboolean          again;
  gboolean          avahi_failed;
};

G_DEFINE_FINAL_TYPE (FlBoothService, fl_booth_service, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STORE,
  PROP_RUNNING,
  PROP_PORT,
  PROP_N_MEMBERS,
  PROP_N_IN_SYNC,
  PROP_STATE_TEXT,
  PROP_INTERVAL,
  N_PROPS
};

enum {
  ROUND_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  FlStore         *store;
  GTlsCertificate *certificate;
  GStrv            peers;
  GStrv            discovered;
  char            *booth_id;
  char            *device_id;
  gboolean         browse;
} RoundData;

typedef struct
{
  GPtrArray *reports;
  GStrv      discovered;
  char      *browse_error;
} RoundResult;

static void
round_data_free (RoundData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->certificate);
  g_strfreev (data->peers);
  g_strfreev (data->discovered);
  g_free (data->booth_id);
  g_free (data->device_id);
  g_free (data);
}

static void
round_result_free (RoundResult *result)
{
  g_clear_pointer (&result->reports, g_ptr_array_unref);
  g_strfreev (result->discovered);
  g_free (result->browse_error);
  g_free (result);
}

static void schedule (FlBoothService *self, guint delay_ms);

/* "N kiosks in sync" or "Kiosk X not seen for 12 min". */
char *
fl_booth_state_text (GPtrArray *members, const char *own_id, guint *n_in_sync, guint *n_members)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  const FlBoothMember *stale = NULL;
  guint others = 0;
  guint in_sync = 0;

  for (guint i = 0; i < members->len; i++)
    {
      const FlBoothMember *member = members->pdata[i];

      if (member->removed || g_strcmp0 (member->id, own_id) == 0)
        continue;
      others++;
      if (member->in_sync && now - member->last_seen < FL_BOOTH_SERVICE_STALE_SECONDS)
        in_sync++;
      else if (now - member->last_seen >= FL_BOOTH_SERVICE_STALE_SECONDS &&
               (stale == NULL || member->last_seen < stale->last_seen))
        stale = member;
    }
  if (n_in_sync != NULL)
    *n_in_sync = in_sync;
  if (n_members != NULL)
    *n_members = others + 1;

  if (others == 0)
    return g_strdup (_("Only kiosk of the booth"));
  if (stale != NULL)
    {
      if (stale->last_seen == 0)
        return g_strdup_printf (_("Kiosk %s not seen yet"), stale->name);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Kiosk %s not seen for %u min",
                                           "Kiosk %s not seen for %u min",
                                           (now - stale->last_seen) / 60),
                              stale->name, (guint) ((now - stale->last_seen) / 60));
    }
  /* Counting this kiosk: "3 kiosks in sync" on each of three. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u kiosk in sync", "%u kiosks in sync",
                                       in_sync + 1),
                          in_sync + 1);
}

static void
update_state (FlBoothService *self)
{
  g_autoptr(FlBooth) booth = fl_booth_load (self->store, NULL);
  g_autofree char *text = NULL;
  guint n_in_sync = 0;
  guint n_members = 0;

  if (booth == NULL)
    text = g_strdup (_("Not in a booth"));
  else
    text = fl_booth_state_text (fl_booth_get_members (booth), self->device_id, &n_in_sync,
                                &n_members);

  g_object_freeze_notify (G_OBJECT (self));
  if (g_strcmp0 (text, self->state_text) != 0)
    {
      g_free (self->state_text);
      self->state_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
    }
  if (n_in_sync != self->n_in_sync)
    {
      self->n_in_sync = n_in_sync;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_IN_SYNC]);
    }
  if (n_members != self->n_members)
    {
      self->n_members = n_members;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_MEMBERS]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
round_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  RoundData *data = task_data;
  RoundResult *result = g_new0 (RoundResult, 1);
  g_autoptr(GError) error = NULL;

  if (data->browse)
    {
      g_autoptr(GError) browse_error = NULL;

      result->discovered = fl_booth_discovery_browse (data->booth_id, data->device_id,
                                                      BROWSE_TIMEOUT_MS, &browse_error);
      if (browse_error != NULL)
        result->browse_error = g_strdup (browse_error->message);
    }
  result->reports = fl_booth_sync (data->store, data->certificate,
                                   (const char * const *) data->peers,
                                   (const char * const *) (result->discovered != NULL
                                                             ? result->discovered
                                                             : data->discovered),
                                   FL_BOOTH_SYNC_DEFAULT, cancellable, &error);
  if (result->reports == NULL)
    {
      round_result_free (result);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, result, (GDestroyNotify) round_result_free);
}

static void
round_done_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  FlBoothService *self = FL_BOOTH_SERVICE (object);
  g_autoptr(GError) error = NULL;
  RoundResult *result = g_task_propagate_pointer (G_TASK (res), &error);

  self->in_round = FALSE;
  if (result == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("booth: %s", error->message);
    }
  else
    {
      if (result->browse_error != NULL && !self->avahi_failed)
        {
          /* Said once: it stays true for as long as the service runs. */
          g_message ("booth: %s", result->browse_error);
          self->avahi_failed = TRUE;
        }
      if (result->discovered != NULL)
        {
          g_strfreev (self->discovered);
          self->discovered = g_steal_pointer (&result->discovered);
        }
      for (guint i = 0; i < result->reports->len; i++)
        {
          FlBoothPeerReport *report = result->reports->pdata[i];

          if (report->result != FL_BOOTH_PEER_IN_SYNC && report->result != FL_BOOTH_PEER_BEHIND)
            g_debug ("booth: %s: %s", report->address, report->message);
          else if (report->received > 0)
            g_debug ("booth: %u changes from %s", report->received, report->name);
        }
      g_signal_emit (self, signals[ROUND_FINISHED], 0, result->reports);
      round_result_free (result);
    }
  update_state (self);
  if (self->running)
    schedule (self, self->again ? 0 : self->interval_ms);
  self->again = FALSE;
  g_object_unref (self);
}

static gboolean
round_cb (gpointer user_data)
{
  FlBoothService *self = user_data;
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  RoundData *data;

  self->timeout_id = 0;
  if (!self->running)
    return G_SOURCE_REMOVE;
  if (self->in_round)
    {
      self->again = TRUE;
      return G_SOURCE_REMOVE;
    }
  if (self->worker_store == NULL)
    {
      self->worker_store = fl_store_open (fl_store_get_path (self->store), &error);
      if (self->worker_store == NULL)
        {
          g_message ("booth: %s", error->message);
          schedule (self, self->interval_ms);
          return G_SOURCE_REMOVE;
        }
    }

  data = g_new0 (RoundData, 1);
  data->store = g_object_ref (self->worker_store);
  data->certificate = g_object_ref (self->certificate);
  data->peers = g_strdupv (self->peers);
  data->discovered = g_strdupv (self->discovered);
  data->booth_id = g_strdup (self->booth_id);
  data->device_id = g_strdup (self->device_id);
  data->browse = !self->avahi_failed && self->rounds % BROWSE_EVERY == 0;
  self->rounds++;
  self->in_round = TRUE;

  task = g_task_new (g_object_ref (self), self->cancellable, round_done_cb, NULL);
  g_task_set_source_tag (task, round_cb);
  g_task_set_task_data (task, data, (GDestroyNotify) round_data_free);
  g_task_run_in_thread (task, round_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule (FlBoothService *self, guint delay_ms)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (delay_ms, round_cb, self);
}

/* The addresses other kiosks can reach this one at. */
static GStrv
own_addresses (const char *host, guint port)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  struct ifaddrs *list = NULL;

  if (host != NULL && g_strcmp0 (host, "0.0.0.0") != 0 && g_strcmp0 (host, "::") != 0)
    {
      g_autofree char *address = strchr (host, ':') != NULL
                                   ? g_strdup_printf ("[%s]:%u", host, port)
                                   : g_strdup_printf ("%s:%u", host, port);

      g_strv_builder_add (builder, address);
      return g_strv_builder_end (builder);
    }
  if (getifaddrs (&list) == 0)
    {
      guint n = 0;

      for (struct ifaddrs *ifa = list; ifa != NULL && n < 3; ifa = ifa->ifa_next)
        {
          g_autoptr(GSocketAddress) address = NULL;
          g_autofree char *text = NULL;
          GInetAddress *inet;

          if (ifa->ifa_addr == NULL || ifa->ifa_addr->sa_family != AF_INET ||
              (ifa->ifa_flags & IFF_LOOPBACK) || !(ifa->ifa_flags & IFF_UP))
            continue;
          address = g_socket_address_new_from_native (ifa->ifa_addr, sizeof (struct sockaddr_in));
          inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
          text = g_inet_address_to_string (inet);
          {
            g_autofree char *entry = g_strdup_printf ("%s:%u", text, port);

            g_strv_builder_add (builder, entry);
          }
          n++;
        }
      freeifaddrs (list);
    }
  return g_strv_builder_end (builder);
}

static gboolean
announce_addresses (FlBoothService *self, const char *host, GError **error)
{
  g_auto(GStrv) addresses = own_addresses (host, self->port);
  g_autoptr(FlBooth) booth = NULL;
  FlBoothMember *me;

  if (!fl_store_begin (self->store, error))
    return FALSE;
  booth = fl_booth_load (self->store, error);
  me = booth != NULL ? fl_booth_get_self (booth) : NULL;
  if (me == NULL)
    {
      fl_store_rollback (self->store);
      if (booth != NULL)
        g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_IN_BOOTH, "%s",
                     _("This kiosk is not on the member list of its booth; run “fairlead-cli "
                       "booth leave” and join again"));
      return FALSE;
    }
  if (!g_strv_equal ((const char * const *) addresses, (const char * const *) me->addresses))
    {
      g_strfreev (me->addresses);
      me->addresses = g_steal_pointer (&addresses);
      me->updated = g_get_real_time ();
    }
  me->last_seen = g_get_real_time () / G_USEC_PER_SEC;
  if (!fl_booth_save (booth, error) || !fl_store_commit (self->store, error))
    {
      fl_store_rollback (self->store);
      return FALSE;
    }
  g_free (self->booth_id);
  self->booth_id = g_strdup (fl_booth_get_id (booth));
  return TRUE;
}

static void
fl_booth_service_dispose (GObject *object)
{
  FlBoothService *self = (FlBoothService *) object;

  fl_booth_service_stop (self);
  g_clear_object (&self->worker_store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (fl_booth_service_parent_class)->dispose (object);
}

static void
fl_booth_service_finalize (GObject *object)
{
  FlBoothService *self = (FlBoothService *) object;

  g_strfreev (self->peers);
  g_strfreev (self->discovered);
  g_free (self->booth_id);
  g_free (self->device_id);
  g_free (self->state_text);

  G_OBJECT_CLASS (fl_booth_service_parent_class)->finalize (object);
}

static void
fl_booth_service_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlBoothService *self = FL_BOOTH_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_N_MEMBERS:
      g_value_set_uint (value, self->n_members);
      break;
    case PROP_N_IN_SYNC:
      g_value_set_uint (value, self->n_in_sync);
      break;
    case PROP_STATE_TEXT:
      g_value_set_string (value, self->state_text);
      break;
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_booth_service_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  FlBoothService *self = FL_BOOTH_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_INTERVAL:
      fl_booth_service_set_interval (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_booth_service_class_init (FlBoothServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_booth_service_dispose;
  object_class->finalize = fl_booth_service_finalize;
  object_class->get_property = fl_booth_service_get_property;
  object_class->set_property = fl_booth_service_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_MEMBERS] =
    g_param_spec_uint ("n-members", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_IN_SYNC] =
    g_param_spec_uint ("n-in-sync", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_TEXT] =
    g_param_spec_string ("state-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL, 100, 3600 * 1000, FL_BOOTH_SERVICE_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* (GPtrArray of FlBoothPeerReport) after each round. */
  signals[ROUND_FINISHED] =
    g_signal_new ("round-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_PTR_ARRAY);
}

static void
fl_booth_service_init (FlBoothService *self)
{
  self->interval_ms = FL_BOOTH_SERVICE_INTERVAL_MS;
}

FlBoothService *
fl_booth_service_new (FlStore *store)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  return g_object_new (FL_TYPE_BOOTH_SERVICE, "store", store, NULL);
}

FlStore *
fl_booth_service_get_store (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), NULL);
  return self->store;
}

gboolean
fl_booth_service_get_running (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), FALSE);
  return self->running;
}

/* A round's thread may still run after fl_booth_service_stop(): leaving
 * the booth waits for it, so that it does not write the booth back. */
gboolean
fl_booth_service_get_in_round (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), FALSE);
  return self->in_round;
}

guint
fl_booth_service_get_port (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), 0);
  return self->port;
}

guint
fl_booth_service_get_n_members (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), 0);
  return self->n_members;
}

guint
fl_booth_service_get_n_in_sync (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), 0);
  return self->n_in_sync;
}

const char *
fl_booth_service_get_state_text (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), NULL);
  return self->state_text;
}

guint
fl_booth_service_get_interval (FlBoothService *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), 0);
  return self->interval_ms;
}

void
fl_booth_service_set_interval (FlBoothService *self, guint interval_ms)
{
  g_return_if_fail (FL_IS_BOOTH_SERVICE (self));

  interval_ms = CLAMP (interval_ms, 100, 3600 * 1000);
  if (interval_ms == self->interval_ms)
    return;
  self->interval_ms = interval_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INTERVAL]);
}

/* Explicit "host:port" peers for networks that block multicast. */
void
fl_booth_service_set_peers (FlBoothService *self, const char * const *peers)
{
  g_return_if_fail (FL_IS_BOOTH_SERVICE (self));

  g_strfreev (self->peers);
  self->peers = g_strdupv ((GStrv) peers);
}

gboolean
fl_booth_service_start (FlBoothService *self, const char *listen, GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *host = NULL;
  g_autoptr(FlBooth) booth = NULL;
  guint port = FL_BOOTH_DEFAULT_PORT;
  FlBoothMember *me;

  g_return_val_if_fail (FL_IS_BOOTH_SERVICE (self), FALSE);
  g_return_val_if_fail (!self->running, FALSE);

  if (listen != NULL)
    {
      g_autoptr(GSocketConnectable) parsed = g_network_address_parse (listen, FL_BOOTH_DEFAULT_PORT,
                                                                      error);
      if (parsed == NULL)
        return FALSE;
      host = g_strdup (g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed)));
      port = g_network_address_get_port (G_NETWORK_ADDRESS (parsed));
    }

  booth = fl_booth_load (self->store, error);
  if (booth == NULL)
    return FALSE;
  me = fl_booth_get_self (booth);
  if (me == NULL || me->removed)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_REFUSED, "%s",
                   _("This kiosk was removed from the booth; it can no longer sync"));
      return FALSE;
    }
  g_free (self->device_id);
  self->device_id = g_strdup (fl_booth_get_device_id (booth));
  g_clear_object (&self->certificate);
  self->certificate = fl_booth_cert_load_or_create (fl_store_get_path (self->store),
                                                    self->device_id, error);
  if (self->certificate == NULL)
    return FALSE;

  self->server = fl_booth_server_new (self->store, self->certificate);
  if (!fl_booth_server_listen (self->server, host, port, error))
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  self->port = fl_booth_server_get_port (self->server);
  if (!announce_addresses (self, host, error))
    {
      fl_booth_server_stop (self->server);
      g_clear_object (&self->server);
      return FALSE;
    }

  self->publisher = fl_booth_publisher_new (fl_booth_get_id (booth), self->device_id, me->name,
                                            self->port, &local_error);
  if (self->publisher == NULL)
    {
      g_message ("booth: %s", local_error->message);
      self->avahi_failed = TRUE;
    }

  self->cancellable = g_cancellable_new ();
  self->running = TRUE;
  update_state (self);
  schedule (self, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

void
fl_booth_service_stop (FlBoothService *self)
{
  g_return_if_fail (FL_IS_BOOTH_SERVICE (self));

  if (!self->running)
    return;
  self->running = FALSE;
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->publisher);
  if (self->server != NULL)
    fl_booth_server_stop (self->server);
  g_clear_object (&self->server);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* A round as soon as the one running (if any) is done: right after a
 * capture, so the lead reaches the other kiosks within a second or two. */
void
fl_booth_service_sync_soon (FlBoothService *self)
{
  g_return_if_fail (FL_IS_BOOTH_SERVICE (self));

  if (!self->running)
    return;
  if (self->in_round)
    self->again = TRUE;
  else
    schedule (self, 0);
}
