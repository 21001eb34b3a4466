/* sync-test-server.c: a CRM and webhook stand-in on 127.0.0.1 for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "sync-test-server.h"

static void
request_free (ServerRequest *request)
{
  g_free (request->path);
  g_free (request->method);
  g_free (request->idempotency_key);
  g_free (request->signature);
  g_free (request->user_agent);
  g_free (request->content_type);
  g_free (request->authorization);
  g_free (request->body);
  g_free (request);
}

static void
respond_json (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static JsonNode *
parse (const char *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, body, -1, NULL))
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static void
store (Server *self, const char *id, JsonNode *record)
{
  g_ptr_array_add (self->stored, g_strdup (id));
  g_ptr_array_add (self->records, json_node_ref (record));
}

typedef struct
{
  SoupServerMessage *msg;
  guint              status;
  char              *json;
  gboolean           gone;   /* the client hung up (its own timeout) first */
} Delayed;

static void
delayed_gone_cb (SoupServerMessage *msg, gpointer user_data)
{
  ((Delayed *) user_data)->gone = TRUE;
}

static gboolean
delayed_cb (gpointer user_data)
{
  Delayed *delayed = user_data;

  g_signal_handlers_disconnect_by_func (delayed->msg, delayed_gone_cb, delayed);
  /* A message whose connection is gone has nothing left to answer. */
  if (!delayed->gone)
    {
      respond_json (delayed->msg, delayed->status, delayed->json);
      soup_server_message_unpause (delayed->msg);
    }
  g_object_unref (delayed->msg);
  g_free (delayed->json);
  g_free (delayed);
  return G_SOURCE_REMOVE;
}

static void
respond_later (Server *self, SoupServerMessage *msg, guint status, const char *json, guint ms)
{
  Delayed *delayed = g_new0 (Delayed, 1);
  GSource *source = g_timeout_source_new (ms);

  delayed->msg = g_object_ref (msg);
  delayed->status = status;
  delayed->json = g_strdup (json);
  soup_server_message_pause (msg);
  g_signal_connect (msg, "disconnected", G_CALLBACK (delayed_gone_cb), delayed);
  g_signal_connect (msg, "finished", G_CALLBACK (delayed_gone_cb), delayed);
  g_source_set_callback (source, delayed_cb, delayed, NULL);
  g_source_attach (source, self->http.context);
  g_source_unref (source);
}

/* Webhook: {"schema", "event", "leads": [...]}; stored by uuid. */
static guint
handle_webhook (Server *self, JsonNode *root, const char *key, char **answer)
{
  JsonArray *leads;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (root), "schema", NULL),
                 "fairlead.leads.v1") != 0)
    {
      *answer = g_strdup ("{\"message\": \"not a fairlead.leads.v1 body\"}");
      return 400;
    }
  leads = json_object_get_array_member (json_node_get_object (root), "leads");
  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonObject *lead = json_array_get_object_element (leads, i);
      const char *email = json_object_get_string_member_with_default (lead, "email", NULL);

      if (email != NULL && strstr (email, "bad") != NULL)
        {
          *answer = g_strdup_printf ("{\"message\": \"invalid email address %s\"}", email);
          return 422;
        }
    }
  if (key != NULL && g_hash_table_contains (self->keys, key))
    {
      *answer = g_strdup ("{\"replayed\": true}");
      return 200;
    }
  for (guint i = 0; i < json_array_get_length (leads); i++)
    {
      JsonNode *lead = json_array_get_element (leads, i);
      store (self, json_object_get_string_member (json_node_get_object (lead), "uuid"), lead);
    }
  if (key != NULL)
    g_hash_table_add (self->keys, g_strdup (key));
  *answer = g_strdup ("{\"accepted\": true}");
  return 200;
}

/* HubSpot batch upsert: stored by email; a "bad" email is refused. */
static guint
handle_hubspot (Server *self, JsonNode *root, char **answer)
{
  g_autoptr(GString) results = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);
  JsonArray *inputs = json_object_get_array_member (json_node_get_object (root), "inputs");

  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);
      const char *id = json_object_get_string_member (input, "id");

      if (strstr (id, "bad") != NULL)
        {
          g_string_append_printf (errors, "%s{\"status\": \"error\", \"category\": \"VALIDATION_ERROR\", "
                                  "\"message\": \"Email address %s is invalid\", "
                                  "\"context\": {\"ids\": [\"%s\"]}}",
                                  errors->len ? ", " : "", id, id);
          continue;
        }
      store (self, id, json_array_get_element (inputs, i));
      g_string_append_printf (results, "%s{\"id\": \"%u\", \"new\": true, \"properties\": {\"%s\": \"%s\"}}",
                              results->len ? ", " : "", ++self->next_id,
                              json_object_get_string_member (input, "idProperty"), id);
    }
  *answer = g_strdup_printf ("{\"status\": \"COMPLETE\", \"results\": [%s], \"errors\": [%s]}",
                             results->str, errors->str);
  return errors->len ? 207 : 200;
}

/* Salesforce composite upsert: one result per record, in order. */
static guint
handle_salesforce (Server *self, JsonNode *root, char **answer)
{
  g_autoptr(GString) results = g_string_new ("[");
  JsonObject *object = json_node_get_object (root);
  JsonArray *records = json_object_get_array_member (object, "records");

  if (json_object_get_boolean_member_with_default (object, "allOrNone", TRUE))
    {
      *answer = g_strdup ("[{\"message\": \"expected allOrNone false\", \"errorCode\": \"TEST\"}]");
      return 400;
    }
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *email = json_object_get_string_member_with_default (record, "Email", "");

      if (i > 0)
        g_string_append (results, ", ");
      if (strstr (email, "bad") != NULL)
        g_string_append (results, "{\"success\": false, \"errors\": [{\"statusCode\": "
                                  "\"INVALID_EMAIL_ADDRESS\", \"message\": \"Email: invalid email "
                                  "address\", \"fields\": [\"Email\"]}]}");
      else
        {
          store (self, json_object_get_string_member (record, "Fairlead_UUID__c"),
                 json_array_get_element (records, i));
          g_string_append_printf (results, "{\"id\": \"00Q%012u\", \"success\": true, \"errors\": [], "
                                  "\"created\": true}", ++self->next_id);
        }
    }
  g_string_append (results, "]");
  *answer = g_strdup (results->str);
  return 200;
}

static void
handler_cb (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  Server *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  ServerRequest *request = g_new0 (ServerRequest, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *expected = NULL;
  gboolean first;
  guint status;

  g_mutex_lock (&self->mutex);
  request->at = g_get_monotonic_time ();
  request->path = g_strdup (path);
  request->method = g_strdup (soup_server_message_get_method (msg));
  request->idempotency_key = g_strdup (soup_message_headers_get_one (headers, "Idempotency-Key"));
  request->signature = g_strdup (soup_message_headers_get_one (headers, "X-Fairlead-Signature"));
  request->user_agent = g_strdup (soup_message_headers_get_one (headers, "User-Agent"));
  request->content_type = g_strdup (soup_message_headers_get_one (headers, "Content-Type"));
  request->authorization = g_strdup (soup_message_headers_get_one (headers, "Authorization"));
  request->body = g_strndup (body->data, body->length);
  if (self->signing_key != NULL && request->signature != NULL)
    {
      /* Checked here, independently of the client's fl_webhook_sign(). */
      g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) self->signing_key,
                                          strlen (self->signing_key));
      g_autofree char *expected_signature = NULL;

      g_hmac_update (hmac, (const guchar *) body->data, body->length);
      expected_signature = g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
      request->signature_valid = g_str_equal (request->signature, expected_signature);
    }
  g_ptr_array_add (self->requests, request);
  first = self->requests->len == 1;
  root = body->length ? parse (request->body) : NULL;

  expected = self->token ? g_strdup_printf ("Bearer %s", self->token) : NULL;
  if (self->mode == SERVER_UNAUTHORIZED ||
      (expected != NULL && g_strcmp0 (request->authorization, expected) != 0))
    {
      respond_json (msg, 401, "[{\"message\": \"Session expired or invalid\", \"errorCode\": \"INVALID_SESSION_ID\"}]");
      goto out;
    }
  if (self->mode == SERVER_REDIRECT)
    {
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Location",
                                   "http://192.0.2.2:8080/hook");
      respond_json (msg, 302, "{\"message\": \"moved\"}");
      goto out;
    }
  if (first && self->mode == SERVER_FAIL_ONCE)
    {
      respond_json (msg, 500, "{\"message\": \"database unavailable\"}");
      goto out;
    }
  if (first && self->mode == SERVER_RETRY_AFTER)
    {
      g_autofree char *seconds = NULL;

      if (self->retry_after_date)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) then = g_date_time_add_seconds (now, self->retry_after);

          seconds = soup_date_time_to_string (then, SOUP_DATE_HTTP);
        }
      else
        seconds = g_strdup_printf ("%u", self->retry_after);
      soup_message_headers_append (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
      respond_json (msg, 429, "{\"message\": \"slow down\"}");
      goto out;
    }

  if (g_str_equal (path, "/hook"))
    status = handle_webhook (self, root, request->idempotency_key, &answer);
  else if (g_str_equal (path, "/crm/v3/objects/contacts/batch/upsert"))
    status = handle_hubspot (self, root, &answer);
  else if (g_str_equal (path, "/crm/v3/objects/contacts/batch/read"))
    {
      /* Nobody known yet: no stage to keep. */
      status = 200;
      answer = g_strdup ("{\"status\": \"COMPLETE\", \"results\": []}");
    }
  else if (g_str_equal (path, "/crm/v3/properties/contacts"))
    {
      static const char *const names[] = { "email", "firstname", "lastname", "company", "jobtitle",
                                           "phone", "mobilephone", "address", "city", "zip",
                                           "state", "country", "website", "fairlead_score" };
      GString *list = g_string_new ("{\"results\": [{\"name\": \"hs_lead_status\", "
                                    "\"type\": \"enumeration\", \"options\": [{\"value\": \"NEW\"}, "
                                    "{\"value\": \"OPEN\"}]}");

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_string_append_printf (list, ", {\"name\": \"%s\", \"type\": \"string\"}", names[i]);
      g_string_append (list, "]}");
      status = 200;
      answer = g_string_free (list, FALSE);
    }
  else if (g_str_equal (path, "/crm/v3/properties/contacts/lifecyclestage"))
    {
      status = 200;
      answer = g_strdup ("{\"name\": \"lifecyclestage\", \"options\": [{\"value\": \"subscriber\"}, "
                         "{\"value\": \"lead\"}, {\"value\": \"marketingqualifiedlead\"}, "
                         "{\"value\": \"salesqualifiedlead\"}, {\"value\": \"other\"}]}");
    }
  else if (g_str_equal (path, "/services/data/v59.0/composite/sobjects/Lead/Fairlead_UUID__c"))
    status = handle_salesforce (self, root, &answer);
  else if (g_str_equal (path, "/services/data/v59.0/query"))
    {
      /* Nobody known yet: every lead is a new Lead. */
      status = 200;
      answer = g_strdup ("{\"totalSize\": 0, \"done\": true, \"records\": []}");
    }
  else if (g_str_equal (path, "/services/data/v59.0/sobjects/Lead/describe"))
    {
      status = 200;
      answer = g_strdup ("{\"name\": \"Lead\", \"fields\": [{\"name\": \"Email\", \"externalId\": false}, "
                         "{\"name\": \"Fairlead_UUID__c\", \"externalId\": true}]}");
    }
  else
    {
      status = 404;
      answer = g_strdup ("{\"message\": \"no such path\"}");
    }

  if (first && self->mode == SERVER_DROP_ONCE)
    {
      /* Stored, but the answer never arrives. */
      GIOStream *stream = soup_server_message_steal_connection (msg);
      g_io_stream_close (stream, NULL, NULL);
      g_object_unref (stream);
    }
  else if ((first && self->mode == SERVER_SLOW_ONCE) || self->delay_all)
    respond_later (self, msg, status, answer, self->slow_ms);
  else
    respond_json (msg, status, answer);

out:
  g_mutex_unlock (&self->mutex);
}

static gpointer
loopback_thread (gpointer user_data)
{
  LoopbackServer *self = user_data;

  g_main_context_push_thread_default (self->context);
  g_main_loop_run (self->loop);
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

/* Listens on a free port of 127.0.0.1 (https with @certificate) and
 * answers with @handler in the server's own thread. */
void
loopback_server_start (LoopbackServer *self, GTlsCertificate *certificate,
                       SoupServerCallback handler, gpointer user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = NULL;
  GSList *uris;

  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);

  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, handler, user_data, NULL);
  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY |
                              (certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);
  g_main_context_pop_thread_default (self->context);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  uri = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  /* "http://127.0.0.1:1234/" → without the final slash */
  self->url = g_strndup (uri, strlen (uri) - (g_str_has_suffix (uri, "/") ? 1 : 0));

  self->thread = g_thread_new ("loopback-server", loopback_thread, self);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/* Stops the thread, then lets the server finish what it holds. */
void
loopback_server_stop (LoopbackServer *self)
{
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);

  g_main_context_push_thread_default (self->context);
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);

  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_pointer (&self->url, g_free);
}

Server *
server_new (GTlsCertificate *certificate)
{
  Server *self = g_new0 (Server, 1);

  g_mutex_init (&self->mutex);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->stored = g_ptr_array_new_with_free_func (g_free);
  self->records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->retry_after = 2;
  self->slow_ms = 3000;
  loopback_server_start (&self->http, certificate, handler_cb, self);
  return self;
}

void
server_free (Server *self)
{
  loopback_server_stop (&self->http);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->stored);
  g_ptr_array_unref (self->records);
  g_hash_table_unref (self->keys);
  g_free (self->token);
  g_free (self->signing_key);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

guint
server_count_requests (Server *self, const char *path)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->requests->len; i++)
    if (path == NULL || g_str_equal (((ServerRequest *) self->requests->pdata[i])->path, path))
      n++;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
server_count_stored (Server *self, const char *id)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->stored->len; i++)
    if (g_str_equal (self->stored->pdata[i], id))
      n++;
  g_mutex_unlock (&self->mutex);
  return n;
}

guint
server_n_stored (Server *self)
{
  guint n;

  g_mutex_lock (&self->mutex);
  n = self->stored->len;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* Only call while no request can arrive. */
ServerRequest *
server_get_request (Server *self, guint index)
{
  g_assert_cmpuint (index, <, self->requests->len);
  return self->requests->pdata[index];
}

JsonObject *
server_find_record (Server *self, const char *member, const char *value)
{
  for (guint i = 0; i < self->records->len; i++)
    {
      JsonObject *object = json_node_get_object (self->records->pdata[i]);
      JsonObject *properties = json_object_has_member (object, "properties")
                                 ? json_object_get_object_member (object, "properties")
                                 : object;

      if (g_strcmp0 (json_object_get_string_member_with_default (properties, member, NULL), value) == 0)
        return properties;
    }
  return NULL;
}
