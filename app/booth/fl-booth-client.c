/* fl-booth-client.c: joining a booth and syncing with its other kiosks
 *
 * The client pins: it talks only to a server whose certificate is that of
 * a member of the booth (or, when joining, to one that proves it knows
 * the join secret for this very pair of certificates), and it presents
 * its own certificate so the server can do the same.
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
#include "fl-booth-client.h"
#include "fl-booth-private.h"
#include "fl-replica.h"

/* A round must not hang the kiosk on a peer that vanished mid-way, yet a
 * loaded kiosk may take a while to apply a full batch. */
#define TIMEOUT_SECONDS 60
/* A loop of batches ends, whatever a peer answers. */
#define MAX_BATCHES 10000
#define MAX_PASSES 4

typedef struct
{
  SoupSession     *session;
  GTlsCertificate *certificate;
  FlBooth         *booth;         /* NULL when joining: any server */
  const char      *expected;      /* a fingerprint, or NULL for any member */
  char            *seen;          /* the server's fingerprint */
  gboolean         not_member;    /* we refused its certificate */
  guint64          bytes_sent;
  guint64          bytes_received;
} Conversation;

static void
conversation_clear (Conversation *self)
{
  g_clear_object (&self->session);
  g_clear_pointer (&self->seen, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Conversation, conversation_clear)

void
fl_booth_peer_report_free (FlBoothPeerReport *report)
{
  if (report == NULL)
    return;
  g_free (report->address);
  g_free (report->device_id);
  g_free (report->name);
  g_free (report->message);
  g_free (report);
}

const char *
fl_booth_peer_result_to_string (FlBoothPeerResult result)
{
  switch (result)
    {
    case FL_BOOTH_PEER_IN_SYNC:
      return "in-sync";
    case FL_BOOTH_PEER_BEHIND:
      return "behind";
    case FL_BOOTH_PEER_UNREACHABLE:
      return "unreachable";
    case FL_BOOTH_PEER_REFUSED:
      return "refused";
    case FL_BOOTH_PEER_NOT_MEMBER:
      return "not-member";
    case FL_BOOTH_PEER_FAILED:
    default:
      return "failed";
    }
}

static gboolean
accept_certificate_cb (SoupMessage *msg, GTlsCertificate *peer, GTlsCertificateFlags errors,
                       gpointer user_data)
{
  Conversation *self = user_data;
  g_autofree char *fingerprint = fl_booth_cert_fingerprint (peer);
  g_autofree char *mine = fl_booth_cert_fingerprint (self->certificate);

  g_free (self->seen);
  self->seen = g_strdup (fingerprint);
  if (g_strcmp0 (fingerprint, mine) == 0)
    self->not_member = TRUE; /* ourselves, at an address we announced */
  else if (self->expected != NULL)
    self->not_member = g_strcmp0 (fingerprint, self->expected) != 0;
  else if (self->booth != NULL)
    self->not_member = !fl_booth_is_member (self->booth, fingerprint);
  else
    self->not_member = FALSE; /* joining: checked by the proof it sends back */
  return !self->not_member;
}

static GUri *
address_to_uri (const char *address, const char *path, GError **error)
{
  g_autoptr(GSocketConnectable) connectable = NULL;
  GNetworkAddress *network;

  connectable = g_network_address_parse (address, FL_BOOTH_DEFAULT_PORT, error);
  if (connectable == NULL)
    return NULL;
  network = G_NETWORK_ADDRESS (connectable);
  return g_uri_build (G_URI_FLAGS_NONE, "https", NULL, g_network_address_get_hostname (network),
                      g_network_address_get_port (network), path, NULL, NULL);
}

/* POSTs @body to @path at @address. Errors: FL_BOOTH_ERROR_UNREACHABLE,
 * _REFUSED (a 403), _NOT_MEMBER (its certificate), _PROTOCOL. */
static GBytes *
post (Conversation *self, const char *address, const char *path, const char *content_type,
      GBytes *body, SoupMessageHeaders **response_headers, GCancellable *cancellable,
      GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  GTlsCertificate *peer;
  guint status;

  if ((uri = address_to_uri (address, path, error)) == NULL)
    return NULL;
  msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_set_request_body_from_bytes (msg, content_type, body);
  soup_message_set_tls_client_certificate (msg, self->certificate);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), self);
  self->bytes_sent += g_bytes_get_size (body);

  response = soup_session_send_and_read (self->session, msg, cancellable, &local_error);
  if (response == NULL)
    {
      if (self->not_member && self->expected != NULL)
        /* A remembered address now given to another device (DHCP): the
         * kiosk sought is not there, which is not a refusal. */
        g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_UNREACHABLE,
                     _("Another device answers at %s now; the kiosk last seen there was not "
                       "reached"),
                     address);
      else if (self->not_member)
        g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_MEMBER,
                     _("%s is not a kiosk of this booth: its certificate is not one the "
                       "booth knows"),
                     address);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        /* A member refuses with a 403, after TLS: a failed handshake is a
         * kiosk that went away (or is no Fairlead), not a refusal. */
        g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_UNREACHABLE,
                     _("Could not reach %s: %s"), address, local_error->message);
      return NULL;
    }
  self->bytes_received += g_bytes_get_size (response);

  /* The pin, checked once more on what actually answered. */
  peer = soup_message_get_tls_peer_certificate (msg);
  if (peer != NULL)
    {
      g_free (self->seen);
      self->seen = fl_booth_cert_fingerprint (peer);
    }
  if (peer == NULL || (self->booth != NULL && !fl_booth_is_member (self->booth, self->seen)) ||
      (self->expected != NULL && g_strcmp0 (self->seen, self->expected) != 0))
    {
      self->not_member = TRUE;
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_MEMBER,
                   _("%s is not a kiosk of this booth: its certificate is not one the "
                     "booth knows"),
                   address);
      return NULL;
    }

  status = soup_message_get_status (msg);
  if (status == SOUP_STATUS_FORBIDDEN)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_REFUSED,
                   _("%s refused this kiosk: it is not (or no longer) a member of the booth "
                     "there, or the join code is not that booth’s"),
                   address);
      return NULL;
    }
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                         MIN (g_bytes_get_size (response), 300));

      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL,
                   _("%s answered %u %s: %s"), address, status,
                   soup_message_get_reason_phrase (msg), text);
      return NULL;
    }
  if (response_headers != NULL)
    *response_headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return g_steal_pointer (&response);
}

static JsonObject *
post_json (Conversation *self, const char *address, const char *path, JsonObject *object,
           GCancellable *cancellable, GError **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) reply = NULL;

  json_node_set_object (node, object);
  body = _fl_booth_node_to_bytes (node);
  response = post (self, address, path, "application/json", body, NULL, cancellable, error);
  if (response == NULL || (reply = _fl_booth_parse_body (response, error)) == NULL)
    return NULL;
  return json_object_ref (json_node_get_object (reply));
}

static void
conversation_init (Conversation *self, GTlsCertificate *certificate, FlBooth *booth,
                   const char *expected)
{
  memset (self, 0, sizeof *self);
  self->session = soup_session_new_with_options ("timeout", TIMEOUT_SECONDS,
                                                 "idle-timeout", TIMEOUT_SECONDS,
                                                 "user-agent", "fairlead-booth/" PACKAGE_VERSION,
                                                 NULL);
  self->certificate = certificate;
  self->booth = booth;
  self->expected = expected;
}

/**
 * fl_booth_join:
 * @peers: (nullable): "host:port" of members to try before the code's
 *
 * Joins the booth of @code: proves to one of its members that this device
 * knows the join secret, checks that member's proof in return, and keeps
 * the member list it is given. Then syncs once with that member, which
 * brings the booth's setup.
 */
FlBooth *
fl_booth_join (FlStore *store, GTlsCertificate *certificate, const FlBoothCode *code,
               const char *device_name, const char * const *peers, char **admitted_by,
               GError **error)
{
  g_autoptr(GPtrArray) addresses = g_ptr_array_new ();
  g_autoptr(GError) last_error = NULL;
  g_autoptr(FlBooth) existing = NULL;
  g_autofree char *mine = NULL;
  const char *device_id;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  existing = fl_booth_load (store, NULL);
  if (existing != NULL)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_ALREADY,
                   _("This kiosk is part of the booth “%s” already; run “fairlead-cli booth "
                     "leave” first to join another"),
                   fl_booth_get_name (existing));
      return NULL;
    }

  mine = fl_booth_cert_fingerprint (certificate);
  device_id = fl_store_get_device_id (store);
  for (guint i = 0; peers != NULL && peers[i] != NULL; i++)
    g_ptr_array_add (addresses, (gpointer) peers[i]);
  for (guint i = 0; code->addresses != NULL && code->addresses[i] != NULL; i++)
    g_ptr_array_add (addresses, code->addresses[i]);
  if (addresses->len == 0)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_UNREACHABLE, "%s",
                   _("The join code carries no address of the first kiosk; give one with "
                     "--peer HOST:PORT"));
      return NULL;
    }

  for (guint i = 0; i < addresses->len; i++)
    {
      const char *address = addresses->pdata[i];
      g_auto(Conversation) conversation = { 0 };
      g_autoptr(JsonObject) request = json_object_new ();
      g_autoptr(JsonObject) reply = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autofree char *proof = NULL;
      FlBooth *booth;
      JsonNode *members;

      /* The creator is pinned by the code; any other member proves itself. */
      conversation_init (&conversation, certificate, NULL,
                         i >= (peers != NULL ? g_strv_length ((GStrv) peers) : 0)
                           ? code->fingerprint : NULL);
      /* Which certificate answers is only known once connected: the proof
       * is made for the pinned one and checked again against the one seen. */
      json_object_set_string_member (request, "booth", code->booth_id);
      json_object_set_string_member (request, "device", device_id);
      json_object_set_string_member (request, "name",
                                     device_name != NULL ? device_name : g_get_host_name ());
      if (conversation.expected != NULL)
        proof = fl_booth_proof (code->secret, FL_BOOTH_PROOF_JOIN, conversation.expected, mine);
      else
        {
          /* Learn the member's certificate first, with a request that
           * carries no proof (it is refused), then prove. */
          g_autoptr(JsonObject) probe = json_object_new ();
          g_autoptr(JsonObject) ignored = NULL;

          json_object_set_string_member (probe, "booth", code->booth_id);
          ignored = post_json (&conversation, address, FL_BOOTH_PATH_JOIN,
                               g_steal_pointer (&probe), NULL, &local_error);
          if (conversation.seen == NULL)
            {
              g_clear_error (&last_error);
              last_error = g_steal_pointer (&local_error);
              continue;
            }
          g_clear_error (&local_error);
          proof = fl_booth_proof (code->secret, FL_BOOTH_PROOF_JOIN, conversation.seen, mine);
        }
      json_object_set_string_member (request, "proof", proof);

      reply = post_json (&conversation, address, FL_BOOTH_PATH_JOIN, g_steal_pointer (&request),
                         NULL, &local_error);
      if (reply == NULL)
        {
          if (g_error_matches (local_error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_REFUSED))
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          g_clear_error (&last_error);
          last_error = g_steal_pointer (&local_error);
          continue;
        }
      if (!fl_booth_check_proof (code->secret, FL_BOOTH_PROOF_WELCOME, mine, conversation.seen,
                                 json_object_get_string_member_with_default (reply, "proof", NULL)) ||
          g_strcmp0 (json_object_get_string_member_with_default (reply, "booth", NULL),
                     code->booth_id) != 0)
        {
          g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_MEMBER,
                       _("%s could not prove it belongs to the booth of this code; nothing was "
                         "joined"),
                       address);
          return NULL;
        }
      members = json_object_get_member (reply, "members");
      booth = fl_booth_new_joined (store, code,
                                   json_object_get_string_member_with_default (reply, "name", NULL),
                                   members != NULL && JSON_NODE_HOLDS_ARRAY (members)
                                     ? json_node_get_array (members) : NULL,
                                   error);
      if (booth == NULL)
        return NULL;
      if (!fl_booth_is_member (booth, mine) || !fl_booth_is_member (booth, conversation.seen))
        {
          g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL,
                       _("%s admitted this kiosk but sent a member list without it"), address);
          g_object_unref (booth);
          fl_booth_forget (store, NULL);
          return NULL;
        }
      {
        FlBoothMember *server = fl_booth_find_fingerprint (booth, conversation.seen);
        JsonNode *secret = json_object_get_member (reply, "join_secret");

        if (secret != NULL && JSON_NODE_HOLDS_OBJECT (secret))
          fl_booth_merge_secret (booth, json_node_get_object (secret));
        fl_booth_saw_member (booth, server, address);
        server->last_round = g_get_real_time () / G_USEC_PER_SEC;
        if (!fl_booth_save (booth, error))
          {
            g_object_unref (booth);
            return NULL;
          }
      }
      if (admitted_by != NULL)
        *admitted_by = g_strdup (address);
      return booth;
    }

  g_propagate_error (error, g_steal_pointer (&last_error));
  return NULL;
}

static void
set_report_error (FlBoothPeerReport *report, const GError *error)
{
  if (g_error_matches (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_REFUSED))
    report->result = FL_BOOTH_PEER_REFUSED;
  else if (g_error_matches (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_UNREACHABLE))
    report->result = FL_BOOTH_PEER_UNREACHABLE;
  else if (g_error_matches (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_MEMBER))
    report->result = FL_BOOTH_PEER_NOT_MEMBER;
  else
    report->result = FL_BOOTH_PEER_FAILED;
  g_free (report->message);
  report->message = g_strdup (error->message);
}

typedef struct
{
  JsonArray  *members;
  JsonObject *secret;
  const char *fingerprint;
  const char *address;
  gboolean    round_done;
  gboolean    in_sync;
  gint64      pending;
} Note;

static gboolean
note_update (FlBooth *booth, gpointer user_data, GError **error)
{
  Note *note = user_data;
  FlBoothMember *peer;

  if (note->members != NULL && !fl_booth_merge_members (booth, note->members, error))
    return FALSE;
  fl_booth_merge_secret (booth, note->secret);
  peer = fl_booth_find_fingerprint (booth, note->fingerprint);
  if (peer == NULL)
    return TRUE;
  fl_booth_saw_member (booth, peer, note->address);
  if (note->round_done)
    {
      gint64 now = g_get_real_time () / G_USEC_PER_SEC;

      if (peer->in_sync != note->in_sync || peer->pending != note->pending ||
          now - peer->last_round >= FL_BOOTH_SEEN_GRANULARITY)
        peer->last_round = now;
      peer->in_sync = note->in_sync;
      peer->pending = note->pending;
    }
  return TRUE;
}

/* Merges the peer's member list and notes the round, writing only when
 * something changed. */
static gboolean
merge_and_note (FlStore *store, JsonArray *members, JsonObject *secret, const char *fingerprint,
                const char *address, gboolean round_done, gboolean in_sync, gint64 pending,
                FlBooth **booth_out, GError **error)
{
  Note note = { members, secret, fingerprint, address, round_done, in_sync, pending };

  return fl_booth_update (store, note_update, &note, booth_out, error);
}

static gboolean
pull_changes (Conversation *conversation, FlStore *store, const char *address,
              FlBoothPeerReport *report, GCancellable *cancellable, GError **error)
{
  for (guint i = 0; i < MAX_BATCHES; i++)
    {
      g_autoptr(JsonObject) request = json_object_new ();
      g_autoptr(JsonObject) vector = _fl_booth_get_vector (store, error);
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GBytes) batch = NULL;
      g_autoptr(SoupMessageHeaders) headers = NULL;
      FlReplicaStats stats = { 0 };

      if (vector == NULL)
        return FALSE;
      json_object_set_object_member (request, "vector", g_steal_pointer (&vector));
      json_node_set_object (node, request);
      body = _fl_booth_node_to_bytes (node);
      batch = post (conversation, address, FL_BOOTH_PATH_PULL, "application/json", body,
                    &headers, cancellable, error);
      if (batch == NULL || !fl_replica_apply (store, batch, &stats, error))
        return FALSE;
      report->received += stats.applied;
      if (g_strcmp0 (soup_message_headers_get_one (headers, FL_BOOTH_HEADER_MORE), "1") != 0)
        return TRUE;
    }
  return TRUE;
}

static gboolean
push_changes (Conversation *conversation, FlStore *store, const char *address,
              JsonObject **their_vector, FlBoothPeerReport *report, GCancellable *cancellable,
              GError **error)
{
  for (guint i = 0; i < MAX_BATCHES; i++)
    {
      g_autoptr(JsonObject) mine = _fl_booth_get_vector (store, error);
      g_autoptr(GBytes) batch = NULL;
      g_autoptr(GBytes) response = NULL;
      g_autoptr(JsonNode) reply = NULL;
      gboolean more = FALSE;
      JsonNode *vector;

      if (mine == NULL)
        return FALSE;
      if (_fl_booth_vector_lacking (mine, *their_vector) == 0)
        return TRUE;
      batch = fl_replica_changes_since (store, *their_vector, FL_BOOTH_BATCH_BYTES, &more, error);
      if (batch == NULL)
        return FALSE;
      response = post (conversation, address, FL_BOOTH_PATH_PUSH, "application/octet-stream",
                       batch, NULL, cancellable, error);
      if (response == NULL || (reply = _fl_booth_parse_body (response, error)) == NULL)
        return FALSE;
      vector = json_object_get_member (json_node_get_object (reply), "vector");
      if (vector == NULL || !JSON_NODE_HOLDS_OBJECT (vector))
        {
          g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL,
                       _("%s answered a batch without its version vector"), address);
          return FALSE;
        }
      json_object_unref (*their_vector);
      *their_vector = json_object_ref (json_node_get_object (vector));
      report->sent_batches++;
      if (!more)
        return TRUE;
    }
  return TRUE;
}

/* One round with the kiosk at @address. */
static FlBoothPeerReport *
round_with (FlStore *store, GTlsCertificate *certificate, const char *address,
            const char *expected, const char *announce, GHashTable *done,
            GCancellable *cancellable)
{
  g_autoptr(FlBoothPeerReport) report = g_new0 (FlBoothPeerReport, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(JsonObject) request = json_object_new ();
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  g_auto(Conversation) conversation = { 0 };
  FlBoothMember *peer;
  JsonNode *members;
  JsonNode *secret;
  JsonNode *vector;

  report->address = g_strdup (address);
  if ((booth = fl_booth_load (store, &error)) == NULL ||
      (mine = _fl_booth_get_vector (store, &error)) == NULL)
    {
      set_report_error (report, error);
      return g_steal_pointer (&report);
    }
  conversation_init (&conversation, certificate, booth, expected);

  json_object_set_string_member (request, "booth", fl_booth_get_id (booth));
  json_object_set_string_member (request, "device", fl_booth_get_device_id (booth));
  if (announce != NULL)
    json_object_set_string_member (request, "address", announce);
  json_object_set_array_member (request, "members", fl_booth_members_to_json (booth));
  /* Sent once the server proved to be a member (the TLS pin). */
  json_object_set_object_member (request, "join_secret", fl_booth_secret_to_json (booth));
  json_object_set_object_member (request, "vector", json_object_ref (mine));
  reply = post_json (&conversation, address, FL_BOOTH_PATH_ROUND, g_steal_pointer (&request),
                     cancellable, &error);
  if (conversation.seen != NULL &&
      (expected == NULL || g_strcmp0 (conversation.seen, expected) == 0) &&
      (peer = fl_booth_find_fingerprint (booth, conversation.seen)))
    {
      report->device_id = g_strdup (peer->id);
      report->name = g_strdup (peer->name);
      /* The same kiosk, reached at another address already. */
      if (g_hash_table_contains (done, peer->id))
        return NULL;
      g_hash_table_add (done, g_strdup (peer->id));
    }
  if (reply == NULL)
    {
      set_report_error (report, error);
      return g_steal_pointer (&report);
    }

  members = json_object_get_member (reply, "members");
  vector = json_object_get_member (reply, "vector");
  if (members == NULL || !JSON_NODE_HOLDS_ARRAY (members) || vector == NULL ||
      !JSON_NODE_HOLDS_OBJECT (vector) ||
      g_strcmp0 (json_object_get_string_member_with_default (reply, "device", NULL),
                 report->device_id) != 0)
    {
      g_set_error (&error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL,
                   _("%s answered a round with something else than a kiosk of this booth "
                     "would"),
                   address);
      set_report_error (report, error);
      return g_steal_pointer (&report);
    }
  theirs = json_object_ref (json_node_get_object (vector));
  secret = json_object_get_member (reply, "join_secret");
  if (!merge_and_note (store, json_node_get_array (members),
                       secret != NULL && JSON_NODE_HOLDS_OBJECT (secret)
                         ? json_node_get_object (secret) : NULL,
                       conversation.seen, address, FALSE,
                       FALSE, 0, NULL, &error))
    {
      set_report_error (report, error);
      return g_steal_pointer (&report);
    }

  /* Applying a batch may make changes of its own on the receiving side
   * (a merged visitor, a score): a few passes until neither lacks any. */
  for (guint pass = 0; pass < MAX_PASSES; pass++)
    {
      g_autoptr(JsonObject) now = _fl_booth_get_vector (store, &error);
      gboolean pulled = FALSE;
      gboolean pushed = FALSE;

      if (now != NULL && _fl_booth_vector_lacking (theirs, now) > 0)
        {
          if (!pull_changes (&conversation, store, address, report, cancellable, &error))
            break;
          pulled = TRUE;
          g_clear_pointer (&now, json_object_unref);
          now = _fl_booth_get_vector (store, &error);
        }
      if (now != NULL && _fl_booth_vector_lacking (now, theirs) > 0)
        {
          if (!push_changes (&conversation, store, address, &theirs, report, cancellable, &error))
            break;
          pushed = TRUE;
        }
      if (now == NULL || (!pulled && !pushed))
        break;
    }
  if (error != NULL)
    {
      set_report_error (report, error);
      report->bytes_sent = conversation.bytes_sent;
      report->bytes_received = conversation.bytes_received;
      return g_steal_pointer (&report);
    }

  {
    g_autoptr(JsonObject) now = _fl_booth_get_vector (store, &error);
    gint64 they_lack = now != NULL ? _fl_booth_vector_lacking (now, theirs) : 0;
    gint64 we_lack = now != NULL ? _fl_booth_vector_lacking (theirs, now) : 0;
    gboolean in_sync = now != NULL && they_lack == 0 && we_lack == 0;

    if (now == NULL || !merge_and_note (store, NULL, NULL, conversation.seen, address, TRUE, in_sync,
                                        they_lack, NULL, &error))
      {
        set_report_error (report, error);
        return g_steal_pointer (&report);
      }
    report->result = in_sync ? FL_BOOTH_PEER_IN_SYNC : FL_BOOTH_PEER_BEHIND;
    if (!in_sync)
      {
        g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, they_lack + we_lack);

        report->message = g_strdup_printf (_("%s changes still to exchange; sync again"), count);
      }
  }
  report->bytes_sent = conversation.bytes_sent;
  report->bytes_received = conversation.bytes_received;
  return g_steal_pointer (&report);
}

GPtrArray *
fl_booth_sync (FlStore *store, GTlsCertificate *certificate, const char * const *peers,
               const char * const *discovered, FlBoothSyncFlags flags, GCancellable *cancellable,
               GError **error)
{
  g_autoptr(GPtrArray) reports = NULL;
  g_autoptr(GHashTable) done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *mine = NULL;
  FlBoothMember *me;
  const char *announce = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  booth = fl_booth_load (store, error);
  if (booth == NULL)
    return NULL;
  mine = fl_booth_cert_fingerprint (certificate);
  me = fl_booth_get_self (booth);
  if (me == NULL || g_strcmp0 (me->fingerprint, mine) != 0)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_IDENTITY, "%s",
                   _("This kiosk’s certificate is not the one the booth knows it by; run "
                     "“fairlead-cli booth leave” and join again"));
      return NULL;
    }
  if (me->addresses != NULL)
    announce = me->addresses[0];
  g_hash_table_add (done, g_strdup (me->id));
  reports = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_booth_peer_report_free);

  /* Explicit peers first: they say who they are by their certificate. */
  for (guint i = 0; peers != NULL && peers[i] != NULL; i++)
    {
      FlBoothPeerReport *report = round_with (store, certificate, peers[i], NULL, announce, done,
                                              cancellable);
      if (report != NULL)
        g_ptr_array_add (reports, report);
    }
  for (guint i = 0; discovered != NULL && discovered[i] != NULL; i++)
    {
      FlBoothPeerReport *report = round_with (store, certificate, discovered[i], NULL, announce,
                                              done, cancellable);
      /* A kiosk of another booth on the same network is none of ours. An
       * address found by DNS-SD is a hint: a kiosk is announced on every
       * interface and protocol, and serves on some of them only; one that
       * did not answer is no peer (a member that none of its addresses
       * reaches is reported below, at the addresses it announced). */
      if (report != NULL && report->result != FL_BOOTH_PEER_NOT_MEMBER &&
          !(report->result == FL_BOOTH_PEER_UNREACHABLE && report->device_id == NULL))
        g_ptr_array_add (reports, report);
      else
        fl_booth_peer_report_free (report);
    }

  /* Then every member not reached yet, at the addresses it announced. */
  for (guint i = 0; i < fl_booth_get_members (booth)->len; i++)
    {
      FlBoothMember *member = fl_booth_get_members (booth)->pdata[i];
      g_autoptr(FlBoothPeerReport) last = NULL;

      if ((flags & FL_BOOTH_SYNC_ONLY_GIVEN) || member->removed ||
          g_hash_table_contains (done, member->id) ||
          member->addresses == NULL || member->addresses[0] == NULL)
        continue;
      for (guint j = 0; member->addresses[j] != NULL; j++)
        {
          g_clear_pointer (&last, fl_booth_peer_report_free);
          last = round_with (store, certificate, member->addresses[j], member->fingerprint,
                             announce, done, cancellable);
          if (last == NULL || last->result != FL_BOOTH_PEER_UNREACHABLE)
            break;
        }
      if (last != NULL)
        {
          if (last->device_id == NULL)
            {
              last->device_id = g_strdup (member->id);
              last->name = g_strdup (member->name);
            }
          g_hash_table_add (done, g_strdup (member->id));
          g_ptr_array_add (reports, g_steal_pointer (&last));
        }
    }
  return g_steal_pointer (&reports);
}

typedef struct
{
  char *db_path;
  char *code;
  char *device_name;
} JoinData;

static void
join_data_free (JoinData *data)
{
  g_free (data->db_path);
  g_free (data->code);
  g_free (data->device_name);
  g_free (data);
}

static void
join_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  JoinData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlBoothCode) code = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autofree char *admitted_by = NULL;
  const char *only[2] = { NULL, NULL };

  if ((code = fl_booth_parse_code (data->code, &error)) == NULL ||
      (store = fl_store_open (data->db_path, &error)) == NULL ||
      (certificate = fl_booth_cert_load_or_create (data->db_path, fl_store_get_device_id (store),
                                                   &error)) == NULL ||
      (booth = fl_booth_join (store, certificate, code, data->device_name, NULL, &admitted_by,
                              &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Joined: a first round that cannot finish is made up by the next ones. */
  only[0] = admitted_by;
  reports = fl_booth_sync (store, certificate, only, NULL, FL_BOOTH_SYNC_ONLY_GIVEN, cancellable,
                           NULL);
  g_task_return_pointer (task, g_strdup (fl_booth_get_name (booth)), g_free);
}

void
fl_booth_join_async (const char *db_path, const char *code, const char *device_name,
                     GCancellable *cancellable, GAsyncReadyCallback callback, gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  JoinData *data;

  g_return_if_fail (db_path != NULL);
  g_return_if_fail (code != NULL);

  data = g_new0 (JoinData, 1);
  data->db_path = g_strdup (db_path);
  data->code = g_strstrip (g_strdup (code));
  data->device_name = device_name != NULL && *device_name != '\0' ? g_strdup (device_name) : NULL;
  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_booth_join_async);
  g_task_set_task_data (task, data, (GDestroyNotify) join_data_free);
  g_task_run_in_thread (task, join_thread);
}

char *
fl_booth_join_finish (GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == fl_booth_join_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
