/* fl-booth-server.c: the HTTPS endpoint other kiosks of the booth sync with
 *
 * The server asks every client for its certificate (TLS with mutual
 * authentication) and answers only the devices of the member list: anyone
 * else gets a bare 403 and learns nothing, not even whether the booth
 * exists. The one exception is joining, which needs the proof that the
 * joining device knows the join secret, bound to both certificates.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "fl-booth.h"
#include "fl-booth-cert.h"
#include "fl-booth-private.h"
#include "fl-booth-server.h"
#include "fl-replica.h"

struct _FlBoothServer
{
  GObject          parent_instance;

  FlStore         *store;
  FlStore         *worker_store;  /* the pool thread's */
  GThreadPool     *pool;
  GMainContext    *context;
  GTlsCertificate *certificate;
  char            *fingerprint;
  SoupServer      *server;
  guint            port;
};

G_DEFINE_FINAL_TYPE (FlBoothServer, fl_booth_server, G_TYPE_OBJECT)

static void
refuse (SoupServerMessage *msg)
{
  soup_server_message_set_status (msg, SOUP_STATUS_FORBIDDEN, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_STATIC, "", 0);
}

static void
fail (SoupServerMessage *msg, guint status, const GError *error)
{
  g_debug ("booth server: %s", error->message);
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, error->message,
                                    strlen (error->message));
}

static void
respond_json (SoupServerMessage *msg, JsonNode *node)
{
  g_autoptr(GBytes) bytes = _fl_booth_node_to_bytes (node);
  gsize size;
  const char *data = g_bytes_get_data (bytes, &size);

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, data, size);
}

static char *
peer_fingerprint (SoupServerMessage *msg)
{
  GTlsCertificate *peer = soup_server_message_get_tls_peer_certificate (msg);

  return peer != NULL ? fl_booth_cert_fingerprint (peer) : NULL;
}

static char *
peer_address (SoupServerMessage *msg)
{
  GSocketAddress *address = soup_server_message_get_remote_address (msg);

  if (!G_IS_INET_SOCKET_ADDRESS (address))
    return NULL;
  return g_inet_address_to_string (
    g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address)));
}

static JsonObject *
request_object (SoupServerMessage *msg, GError **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(JsonNode) node = _fl_booth_parse_body (bytes, error);

  if (node == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

static void
handle_join (FlBoothServer *self, SoupServerMessage *msg, const char *client_fp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *proof = NULL;
  const char *device;
  const char *name;
  const char *address;
  FlBoothMember *member;
  JsonObject *object;

  if ((request = request_object (msg, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_BAD_REQUEST, error);
      return;
    }
  if (!fl_store_begin (self->store, &error))
    {
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  booth = fl_booth_load (self->store, NULL);
  device = json_object_get_string_member_with_default (request, "device", NULL);
  name = json_object_get_string_member_with_default (request, "name", NULL);
  address = json_object_get_string_member_with_default (request, "address", NULL);
  /* A wrong booth, a wrong secret and a removed device all look the same
   * from outside. */
  if (booth == NULL || device == NULL || strlen (device) > 64 ||
      g_strcmp0 (json_object_get_string_member_with_default (request, "booth", NULL),
                 fl_booth_get_id (booth)) != 0 ||
      !fl_booth_check_proof (fl_booth_get_secret (booth), FL_BOOTH_PROOF_JOIN,
                             self->fingerprint, client_fp,
                             json_object_get_string_member_with_default (request, "proof", NULL)))
    {
      fl_store_rollback (self->store);
      refuse (msg);
      return;
    }
  member = fl_booth_find_member (booth, device);
  if ((member != NULL && g_strcmp0 (member->id, device) == 0 &&
       (member->removed || g_strcmp0 (member->fingerprint, client_fp) != 0)) ||
      (fl_booth_find_fingerprint (booth, client_fp) != NULL &&
       !fl_booth_is_member (booth, client_fp)))
    {
      fl_store_rollback (self->store);
      refuse (msg);
      return;
    }
  if (member == NULL || g_strcmp0 (member->id, device) != 0)
    member = fl_booth_add_member (booth, device, name, client_fp, address);
  else
    fl_booth_saw_member (booth, member, address);
  if (!fl_booth_save (booth, &error) || !fl_store_commit (self->store, &error))
    {
      fl_store_rollback (self->store);
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  g_message ("booth: “%s” (%s) joined", member->name, member->id);

  proof = fl_booth_proof (fl_booth_get_secret (booth), FL_BOOTH_PROOF_WELCOME, client_fp,
                          self->fingerprint);
  object = json_object_new ();
  json_object_set_string_member (object, "booth", fl_booth_get_id (booth));
  json_object_set_string_member (object, "name", fl_booth_get_name (booth));
  json_object_set_string_member (object, "device", fl_booth_get_device_id (booth));
  json_object_set_string_member (object, "proof", proof);
  json_object_set_array_member (object, "members", fl_booth_members_to_json (booth));
  /* The secret it proved to know, with its age. */
  json_object_set_object_member (object, "join_secret", fl_booth_secret_to_json (booth));
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  respond_json (msg, reply);
}

typedef struct
{
  JsonArray  *members;
  JsonObject *secret;
  const char *client_fp;
  const char *address;
  gboolean    in_sync;   /* as the round starts: both vectors equal */
  gint64      pending;   /* changes the client lacks */
} RoundUpdate;

static gboolean
round_update (FlBooth *booth, gpointer user_data, GError **error)
{
  RoundUpdate *update = user_data;
  FlBoothMember *peer;

  if (update->members != NULL && !fl_booth_merge_members (booth, update->members, error))
    return FALSE;
  fl_booth_merge_secret (booth, update->secret);
  peer = fl_booth_find_fingerprint (booth, update->client_fp);
  if (peer != NULL && !peer->removed)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      /* A client that never serves is only ever seen here: what it held as
       * its round started is what this kiosk knows of it. */
      fl_booth_saw_member (booth, peer, update->address);
      if (peer->in_sync != update->in_sync || peer->pending != update->pending ||
          now - peer->last_round >= FL_BOOTH_SEEN_GRANULARITY)
        peer->last_round = now;
      peer->in_sync = update->in_sync;
      peer->pending = update->pending;
    }
  return TRUE;
}

static void
handle_round (FlBoothServer *self, SoupServerMessage *msg, const char *client_fp)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(JsonObject) vector = NULL;
  g_autoptr(JsonNode) reply = NULL;
  RoundUpdate update = { NULL, NULL, client_fp, NULL };
  JsonNode *members;
  JsonNode *secret;
  JsonObject *object;

  if ((request = request_object (msg, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_BAD_REQUEST, error);
      return;
    }
  members = json_object_get_member (request, "members");
  if (members != NULL && JSON_NODE_HOLDS_ARRAY (members))
    update.members = json_node_get_array (members);
  secret = json_object_get_member (request, "join_secret");
  if (secret != NULL && JSON_NODE_HOLDS_OBJECT (secret))
    update.secret = json_node_get_object (secret);
  update.address = json_object_get_string_member_with_default (request, "address", NULL);
  if ((vector = _fl_booth_get_vector (self->store, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  if (json_object_has_member (request, "vector") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "vector")))
    {
      JsonObject *theirs = json_object_get_object_member (request, "vector");

      update.pending = _fl_booth_vector_lacking (vector, theirs);
      update.in_sync = update.pending == 0 && _fl_booth_vector_lacking (theirs, vector) == 0;
    }
  if (!fl_booth_update (self->store, round_update, &update, &booth, &error))
    {
      fail (msg, error->domain == FL_BOOTH_ERROR ? SOUP_STATUS_BAD_REQUEST
                                                 : SOUP_STATUS_INTERNAL_SERVER_ERROR,
            error);
      return;
    }
  /* The list it sent may have removed the client itself (booth leave). */
  if (!fl_booth_is_member (booth, client_fp))
    {
      refuse (msg);
      return;
    }

  object = json_object_new ();
  json_object_set_string_member (object, "booth", fl_booth_get_id (booth));
  json_object_set_string_member (object, "device", fl_booth_get_device_id (booth));
  json_object_set_array_member (object, "members", fl_booth_members_to_json (booth));
  /* To a member only (checked above): a removal made a new one. */
  json_object_set_object_member (object, "join_secret", fl_booth_secret_to_json (booth));
  json_object_set_object_member (object, "vector", g_steal_pointer (&vector));
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  respond_json (msg, reply);
}

/* Pulls and pushes move batches of changes: they run in a thread of their
 * own, on a store connection of its own, so that a kiosk answering a
 * round keeps drawing its pages. The message waits, paused. */
typedef enum
{
  JOB_PULL,
  JOB_PUSH,
} JobKind;

typedef struct
{
  FlBoothServer     *server;   /* owned: released on the server's thread */
  SoupServerMessage *msg;      /* owned */
  JobKind            kind;
  GBytes            *request;
  guint              status;
  const char        *content_type;
  GBytes            *response;
  gboolean           more;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->msg);
  g_clear_pointer (&job->request, g_bytes_unref);
  g_clear_pointer (&job->response, g_bytes_unref);
  g_clear_object (&job->server);
  g_free (job);
}

static void
job_fail (Job *job, guint status, const GError *error)
{
  g_debug ("booth server: %s", error->message);
  job->status = status;
  job->content_type = "text/plain";
  job->response = g_bytes_new (error->message, strlen (error->message));
}

static void
job_pull (FlStore *store, Job *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = _fl_booth_parse_body (job->request, &error);
  JsonObject *request;
  JsonObject *peer_vector = NULL;

  if (node == NULL)
    {
      job_fail (job, SOUP_STATUS_BAD_REQUEST, error);
      return;
    }
  request = json_node_get_object (node);
  if (json_object_has_member (request, "vector") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "vector")))
    peer_vector = json_object_get_object_member (request, "vector");
  job->response = fl_replica_changes_since (store, peer_vector, FL_BOOTH_BATCH_BYTES, &job->more,
                                            &error);
  if (job->response == NULL)
    {
      job_fail (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  job->status = SOUP_STATUS_OK;
  job->content_type = "application/octet-stream";
}

static void
job_push (FlStore *store, Job *job)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) vector = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object;

  if (!fl_replica_apply (store, job->request, NULL, &error))
    {
      job_fail (job, error->domain == FL_REPLICA_ERROR ? SOUP_STATUS_BAD_REQUEST
                                                       : SOUP_STATUS_INTERNAL_SERVER_ERROR,
                error);
      return;
    }
  if ((vector = _fl_booth_get_vector (store, &error)) == NULL)
    {
      job_fail (job, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  object = json_object_new ();
  json_object_set_object_member (object, "vector", g_steal_pointer (&vector));
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  job->status = SOUP_STATUS_OK;
  job->content_type = "application/json";
  job->response = _fl_booth_node_to_bytes (reply);
}

static gboolean
job_done_cb (gpointer user_data)
{
  Job *job = user_data;
  gsize size;
  const char *data = g_bytes_get_data (job->response, &size);

  if (job->kind == JOB_PULL && job->status == SOUP_STATUS_OK)
    soup_message_headers_replace (soup_server_message_get_response_headers (job->msg),
                                  FL_BOOTH_HEADER_MORE, job->more ? "1" : "0");
  soup_server_message_set_status (job->msg, job->status, NULL);
  soup_server_message_set_response (job->msg, job->content_type, SOUP_MEMORY_COPY, data, size);
  soup_server_message_unpause (job->msg);
  return G_SOURCE_REMOVE;
}

static void
job_run (gpointer data, gpointer user_data)
{
  Job *job = data;
  FlBoothServer *self = user_data;
  g_autoptr(GError) error = NULL;

  /* Opened by, and only ever used on, the pool's one thread. */
  if (self->worker_store == NULL)
    self->worker_store = fl_store_open (fl_store_get_path (self->store), &error);
  if (self->worker_store == NULL)
    job_fail (job, SOUP_STATUS_SERVICE_UNAVAILABLE, error);
  else if (job->kind == JOB_PULL)
    job_pull (self->worker_store, job);
  else
    job_push (self->worker_store, job);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, job_done_cb, job,
                              (GDestroyNotify) job_free);
}

static void
queue_job (FlBoothServer *self, SoupServerMessage *msg, JobKind kind)
{
  Job *job = g_new0 (Job, 1);

  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->kind = kind;
  job->request = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  soup_server_message_pause (msg);
  g_thread_pool_push (self->pool, job, NULL);
}

static void
handle_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
           gpointer user_data)
{
  FlBoothServer *self = user_data;
  g_autofree char *client_fp = peer_fingerprint (msg);
  g_autoptr(FlBooth) booth = NULL;

  if (client_fp == NULL || soup_server_message_get_method (msg) != SOUP_METHOD_POST)
    {
      refuse (msg);
      return;
    }
  if (g_strcmp0 (path, FL_BOOTH_PATH_JOIN) == 0)
    {
      handle_join (self, msg, client_fp);
      return;
    }

  /* Anything else only for the booth's devices. */
  booth = fl_booth_load (self->store, NULL);
  if (booth == NULL || !fl_booth_is_member (booth, client_fp) ||
      g_strcmp0 (client_fp, self->fingerprint) == 0)
    {
      g_autofree char *from = peer_address (msg);

      g_debug ("booth server: refused %s (%.12s…)", from, client_fp);
      refuse (msg);
      return;
    }

  if (g_strcmp0 (path, FL_BOOTH_PATH_ROUND) == 0)
    handle_round (self, msg, client_fp);
  else if (g_strcmp0 (path, FL_BOOTH_PATH_PULL) == 0)
    queue_job (self, msg, JOB_PULL);
  else if (g_strcmp0 (path, FL_BOOTH_PATH_PUSH) == 0)
    queue_job (self, msg, JOB_PUSH);
  else
    soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

/* The TLS layer takes any certificate a client proves it holds the key
 * of (the handshake checks that); which ones may talk is decided by
 * fingerprint, per request, in handle_cb(). */
static gboolean
accept_certificate_cb (SoupServerMessage *msg, GTlsCertificate *certificate,
                       GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

/* As soon as the headers are in: a stranger is refused, and so is a body
 * larger than any member sends. A client that asked "Expect:
 * 100-continue" is answered before it sends the body; any other one has
 * its body dropped as it comes, never held in memory, nor looked at. */
static void
got_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  FlBoothServer *self = user_data;
  g_autofree char *client_fp = peer_fingerprint (msg);
  g_autoptr(FlBooth) booth = NULL;
  goffset length;

  length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));
  if (length > FL_BOOTH_MAX_REQUEST_BYTES)
    soup_server_message_set_status (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, NULL);
  else if (g_strcmp0 (g_uri_get_path (soup_server_message_get_uri (msg)), FL_BOOTH_PATH_JOIN) != 0)
    {
      booth = fl_booth_load (self->store, NULL);
      if (client_fp == NULL || booth == NULL || !fl_booth_is_member (booth, client_fp))
        refuse (msg);
    }
  if (soup_server_message_get_status (msg) != 0)
    soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
}

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), user_data);
}

static void
fl_booth_server_dispose (GObject *object)
{
  FlBoothServer *self = (FlBoothServer *) object;

  fl_booth_server_stop (self);
  g_clear_object (&self->store);
  g_clear_object (&self->certificate);
  g_clear_pointer (&self->fingerprint, g_free);

  G_OBJECT_CLASS (fl_booth_server_parent_class)->dispose (object);
}

static void
fl_booth_server_finalize (GObject *object)
{
  FlBoothServer *self = (FlBoothServer *) object;

  /* Every job held a reference: none is left running. */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_clear_object (&self->worker_store);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (fl_booth_server_parent_class)->finalize (object);
}

static void
fl_booth_server_class_init (FlBoothServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fl_booth_server_dispose;
  G_OBJECT_CLASS (klass)->finalize = fl_booth_server_finalize;
}

static void
fl_booth_server_init (FlBoothServer *self)
{
}

FlBoothServer *
fl_booth_server_new (FlStore *store, GTlsCertificate *certificate)
{
  FlBoothServer *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  self = g_object_new (FL_TYPE_BOOTH_SERVER, NULL);
  self->store = g_object_ref (store);
  self->certificate = g_object_ref (certificate);
  self->fingerprint = fl_booth_cert_fingerprint (certificate);
  self->context = g_main_context_ref_thread_default ();
  self->pool = g_thread_pool_new (job_run, self, 1, TRUE, NULL);
  return self;
}

/* @address: an IP address, or %NULL for every interface. @port: 0 for any. */
gboolean
fl_booth_server_listen (FlBoothServer *self, const char *address, guint port, GError **error)
{
  g_autoptr(GSList) uris = NULL;
  gboolean ok;

  g_return_val_if_fail (FL_IS_BOOTH_SERVER (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);

  self->server = soup_server_new ("tls-certificate", self->certificate,
                                  "tls-auth-mode", G_TLS_AUTHENTICATION_REQUIRED,
                                  "server-header", "fairlead-booth",
                                  NULL);
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->server, "/booth/1", handle_cb, self, NULL);

  if (address != NULL)
    {
      g_autoptr(GInetAddress) inet = g_inet_address_new_from_string (address);
      g_autoptr(GSocketAddress) socket_address = NULL;

      if (inet == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       _("“%s” is not an IP address to listen on"), address);
          g_clear_object (&self->server);
          return FALSE;
        }
      socket_address = g_inet_socket_address_new (inet, port);
      ok = soup_server_listen (self->server, socket_address, SOUP_SERVER_LISTEN_HTTPS, error);
    }
  else
    ok = soup_server_listen_all (self->server, port, SOUP_SERVER_LISTEN_HTTPS, error);
  if (!ok)
    {
      g_clear_object (&self->server);
      return FALSE;
    }
  uris = soup_server_get_uris (self->server);
  self->port = uris != NULL ? g_uri_get_port (uris->data) : port;
  g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);
  return TRUE;
}

guint
fl_booth_server_get_port (FlBoothServer *self)
{
  g_return_val_if_fail (FL_IS_BOOTH_SERVER (self), 0);
  return self->port;
}

void
fl_booth_server_stop (FlBoothServer *self)
{
  g_return_if_fail (FL_IS_BOOTH_SERVER (self));

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}
