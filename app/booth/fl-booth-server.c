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
#ifdef HAVE_FL_REPLICA
#include "fl-replica.h"
#endif

struct _FlBoothServer
{
  GObject          parent_instance;

  FlStore         *store;
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
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  respond_json (msg, reply);
}

typedef struct
{
  JsonArray  *members;
  const char *client_fp;
  const char *address;
} RoundUpdate;

static gboolean
round_update (FlBooth *booth, gpointer user_data, GError **error)
{
  RoundUpdate *update = user_data;
  FlBoothMember *peer;

  if (update->members != NULL && !fl_booth_merge_members (booth, update->members, error))
    return FALSE;
  peer = fl_booth_find_fingerprint (booth, update->client_fp);
  if (peer != NULL && !peer->removed)
    fl_booth_saw_member (booth, peer, update->address);
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
  RoundUpdate update = { NULL, client_fp, NULL };
  JsonNode *members;
  JsonObject *object;

  if ((request = request_object (msg, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_BAD_REQUEST, error);
      return;
    }
  members = json_object_get_member (request, "members");
  if (members != NULL && JSON_NODE_HOLDS_ARRAY (members))
    update.members = json_node_get_array (members);
  update.address = json_object_get_string_member_with_default (request, "address", NULL);
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

  if ((vector = _fl_booth_get_vector (self->store, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  object = json_object_new ();
  json_object_set_string_member (object, "booth", fl_booth_get_id (booth));
  json_object_set_string_member (object, "device", fl_booth_get_device_id (booth));
  json_object_set_boolean_member (object, "engine", _fl_booth_has_engine ());
  json_object_set_array_member (object, "members", fl_booth_members_to_json (booth));
  json_object_set_object_member (object, "vector", g_steal_pointer (&vector));
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  respond_json (msg, reply);
}

#ifdef HAVE_FL_REPLICA
static void
handle_pull (FlBoothServer *self, SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;
  g_autoptr(GBytes) batch = NULL;
  JsonObject *peer_vector = NULL;
  gboolean more = FALSE;
  gsize size;
  const char *data;

  if ((request = request_object (msg, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_BAD_REQUEST, error);
      return;
    }
  if (json_object_has_member (request, "vector") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (request, "vector")))
    peer_vector = json_object_get_object_member (request, "vector");
  batch = fl_replica_changes_since (self->store, peer_vector, FL_BOOTH_BATCH_BYTES, &more, &error);
  if (batch == NULL)
    {
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  data = g_bytes_get_data (batch, &size);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                FL_BOOTH_HEADER_MORE, more ? "1" : "0");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/octet-stream", SOUP_MEMORY_COPY,
                                    data, size);
}

static void
handle_push (FlBoothServer *self, SoupServerMessage *msg)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) batch = NULL;
  g_autoptr(JsonObject) vector = NULL;
  g_autoptr(JsonNode) reply = NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  JsonObject *object;

  batch = soup_message_body_flatten (body);
  if (!fl_replica_apply (self->store, batch, NULL, &error))
    {
      fail (msg, error->domain == FL_REPLICA_ERROR ? SOUP_STATUS_BAD_REQUEST
                                                   : SOUP_STATUS_INTERNAL_SERVER_ERROR,
            error);
      return;
    }
  if ((vector = _fl_booth_get_vector (self->store, &error)) == NULL)
    {
      fail (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, error);
      return;
    }
  object = json_object_new ();
  json_object_set_object_member (object, "vector", g_steal_pointer (&vector));
  reply = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (reply, object);
  respond_json (msg, reply);
}
#endif

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
#ifdef HAVE_FL_REPLICA
  else if (g_strcmp0 (path, FL_BOOTH_PATH_PULL) == 0)
    handle_pull (self, msg);
  else if (g_strcmp0 (path, FL_BOOTH_PATH_PUSH) == 0)
    handle_push (self, msg);
#endif
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

static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), NULL);
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
fl_booth_server_class_init (FlBoothServerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fl_booth_server_dispose;
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
  g_signal_connect (self->server, "request-started", G_CALLBACK (request_started_cb), NULL);
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
