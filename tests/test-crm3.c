/* test-crm3.c: the Dynamics 365, Zoho CRM and Pipedrive connectors against
 * a server on 127.0.0.1 that answers as each vendor documents
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is a real libsoup server on its own thread. It keeps what it
 * was sent the way the CRM would (Dataverse by alternate key, Zoho by the
 * duplicate check field, Pipedrive by the ids it hands out), so a test can
 * count the records a retry left behind. Each vendor's behaviour is quoted
 * from its documentation where the handler implements it.
 */
#include "config.h"

#include "fl-test.h"
#include "sync-test-server.h"

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <libsoup/soup.h>
#include <string.h>

#include "store/fl-store.h"
#include "sync/fl-connectors.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync.h"
#include "sync/fl-uploader.h"

#define TENANT "contoso-tenant"
#define D365_SECRET "d365-client-secret"
#define ZOHO_CLIENT_SECRET "zoho-client-secret"
#define ZOHO_REFRESH "1000.refresh.token"
#define PIPEDRIVE_TOKEN "pd-api-token"
#define PIPEDRIVE_CLIENT_SECRET "pd-client-secret"
#define PIPEDRIVE_REFRESH "pd-refresh-token"

/* The server */

typedef struct
{
  GMutex        mutex;
  LoopbackServer http;

  /* Behaviour */
  int           token_uses;     /* API requests a token is good for; -1: no end */
  gboolean      busy_once;      /* one API request: 429 with Retry-After */
  guint         busy_after;     /* … the one after this many */
  gboolean      busy_part_once; /* Dataverse: one upsert in a $batch, 429 */
  guint         retry_after;
  GPtrArray    *drops;          /* "METHOD path": stored once, then no answer */
  gboolean      drop_once;      /* the first request that stores: stored, no answer */

  char         *certificate;    /* PEM the app registration has, for assertions */

  /* What happened */
  guint         n_tokens;       /* tokens handed out */
  char         *token;          /* the one valid now */
  int           token_left;
  GPtrArray    *log;            /* "METHOD path" of each API request */
  GArray       *times;          /* monotonic µs of each API request */
  char         *last_authorization;

  /* The CRM's data */
  GHashTable   *records;        /* key → JsonObject: Dataverse leads, Zoho leads */
  GHashTable   *contacts;       /* email → contactid (Dataverse) */
  GPtrArray    *persons;        /* Pipedrive: JsonObject, id = index + 1 */
  GPtrArray    *organizations;
  GPtrArray    *leads;
  GPtrArray    *notes;
  guint         next_id;
} Crm;

static void
answer (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  if (json != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json,
                                      strlen (json));
}

static JsonObject *
parse_object (const char *text, gsize length)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (text == NULL || !json_parser_load_from_data (parser, text, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
drop (SoupServerMessage *msg)
{
  GIOStream *stream = soup_server_message_steal_connection (msg);

  g_io_stream_close (stream, NULL, NULL);
  g_object_unref (stream);
}

static JsonObject *
jwt_part (const char *text)
{
  g_autofree char *base64 = g_strdup (text);
  g_autoptr(GString) padded = NULL;
  g_autofree guchar *decoded = NULL;
  gsize length;

  g_strdelimit (base64, "-", '+');
  g_strdelimit (base64, "_", '/');
  padded = g_string_new (base64);
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  decoded = g_base64_decode (padded->str, &length);
  return parse_object ((const char *) decoded, length);
}

/* Microsoft identity platform, "Certificate credentials": a JWT with
 * "alg": "RS256" and "x5t", the base64url SHA-1 thumbprint of the
 * certificate; "aud" the token endpoint, "iss" and "sub" the client id,
 * "exp" in the future; signed with the certificate's private key. */
static gboolean
assertion_valid (Crm *self, GHashTable *form)
{
  const char *assertion = g_hash_table_lookup (form, "client_assertion");
  g_auto(GStrv) parts = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *audience = g_strdup_printf ("%s/" TENANT "/oauth2/v2.0/token", self->http.url);
  g_autofree char *thumbprint = NULL;
  g_autofree char *signed_part = NULL;
  g_autofree guchar *signature = NULL;
  gnutls_x509_crt_t certificate = NULL;
  gnutls_pubkey_t key = NULL;
  gnutls_datum_t datum, data, signature_datum;
  guchar digest[20];
  size_t digest_size = sizeof digest;
  gsize signature_size;
  gboolean ok;

  if (self->certificate == NULL || assertion == NULL ||
      g_strcmp0 (g_hash_table_lookup (form, "client_assertion_type"),
                 "urn:ietf:params:oauth:client-assertion-type:jwt-bearer") != 0)
    return FALSE;
  parts = g_strsplit (assertion, ".", -1);
  if (g_strv_length (parts) != 3 || (header = jwt_part (parts[0])) == NULL ||
      (claims = jwt_part (parts[1])) == NULL)
    return FALSE;

  datum.data = (unsigned char *) self->certificate;
  datum.size = strlen (self->certificate);
  g_assert_cmpint (gnutls_x509_crt_init (&certificate), >=, 0);
  g_assert_cmpint (gnutls_x509_crt_import (certificate, &datum, GNUTLS_X509_FMT_PEM), >=, 0);
  g_assert_cmpint (gnutls_x509_crt_get_fingerprint (certificate, GNUTLS_DIG_SHA1, digest,
                                                    &digest_size), >=, 0);
  {
    g_autofree char *plain = g_base64_encode (digest, digest_size);
    gsize end = strlen (plain);

    while (end > 0 && plain[end - 1] == '=')
      plain[--end] = '\0';
    g_strdelimit (plain, "+", '-');
    g_strdelimit (plain, "/", '_');
    thumbprint = g_steal_pointer (&plain);
  }
  ok = g_strcmp0 (json_object_get_string_member_with_default (header, "alg", NULL), "RS256") == 0 &&
       g_strcmp0 (json_object_get_string_member_with_default (header, "x5t", NULL), thumbprint) == 0 &&
       g_strcmp0 (json_object_get_string_member_with_default (claims, "aud", NULL), audience) == 0 &&
       g_strcmp0 (json_object_get_string_member_with_default (claims, "iss", NULL), "d365-app") == 0 &&
       g_strcmp0 (json_object_get_string_member_with_default (claims, "sub", NULL), "d365-app") == 0 &&
       json_object_get_int_member_with_default (claims, "exp", 0) > g_get_real_time () / G_USEC_PER_SEC;
  if (ok)
    {
      g_autofree char *base64 = g_strdup (parts[2]);
      g_autoptr(GString) padded = NULL;

      g_strdelimit (base64, "-", '+');
      g_strdelimit (base64, "_", '/');
      padded = g_string_new (base64);
      while (padded->len % 4 != 0)
        g_string_append_c (padded, '=');
      signature = g_base64_decode (padded->str, &signature_size);
      signed_part = g_strdup_printf ("%s.%s", parts[0], parts[1]);
      data.data = (unsigned char *) signed_part;
      data.size = strlen (signed_part);
      signature_datum.data = signature;
      signature_datum.size = signature_size;
      g_assert_cmpint (gnutls_pubkey_init (&key), >=, 0);
      g_assert_cmpint (gnutls_pubkey_import_x509 (key, certificate, 0), >=, 0);
      ok = gnutls_pubkey_verify_data2 (key, GNUTLS_SIGN_RSA_SHA256, 0, &data, &signature_datum) >= 0;
      gnutls_pubkey_deinit (key);
    }
  gnutls_x509_crt_deinit (certificate);
  return ok;
}

/* The token endpoints. Both take a form (RFC 6749 §4.4 and §6). */
static void
handle_token (Crm *self, SoupServerMessage *msg, GHashTable *form)
{
  const char *grant = form ? g_hash_table_lookup (form, "grant_type") : NULL;
  gboolean ok;

  if (g_strcmp0 (grant, "client_credentials") == 0)
    /* Microsoft identity platform, "Get a token": client_id, scope
     * (the resource with "/.default"), client_secret, grant_type. */
    ok = g_strcmp0 (g_hash_table_lookup (form, "client_id"), "d365-app") == 0 &&
         (g_strcmp0 (g_hash_table_lookup (form, "client_secret"), D365_SECRET) == 0 ||
          assertion_valid (self, form)) &&
         g_str_has_suffix (g_hash_table_lookup (form, "scope"), "/.default");
  else
    /* Zoho, "Refresh Access Tokens": refresh_token, client_id,
     * client_secret, grant_type=refresh_token. */
    ok = g_strcmp0 (grant, "refresh_token") == 0 &&
         g_strcmp0 (g_hash_table_lookup (form, "client_id"), "1000.zoho-client") == 0 &&
         g_strcmp0 (g_hash_table_lookup (form, "client_secret"), ZOHO_CLIENT_SECRET) == 0 &&
         g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), ZOHO_REFRESH) == 0;
  if (!ok)
    {
      /* Entra ID: 401 {"error": "invalid_client", "error_description":
       * "AADSTS7000215: Invalid client secret provided…"}; Zoho answers
       * {"error": "invalid_code"}, with a 200. */
      if (g_strcmp0 (grant, "client_credentials") == 0)
        answer (msg, 401, "{\"error\": \"invalid_client\", \"error_description\": "
                          "\"AADSTS7000215: Invalid client secret provided.\"}");
      else
        answer (msg, 200, "{\"error\": \"invalid_code\"}");
      return;
    }
  self->n_tokens++;
  g_free (self->token);
  self->token = g_strdup_printf ("tok-%u", self->n_tokens);
  self->token_left = self->token_uses;
  {
    g_autofree char *json = g_strdup_printf ("{\"access_token\": \"%s\", \"token_type\": \"Bearer\", "
                                             "\"expires_in\": 3600%s}",
                                             self->token,
                                             g_strcmp0 (grant, "refresh_token") == 0
                                               ? ", \"api_domain\": \"https://www.zohoapis.eu\""
                                               : "");
    answer (msg, 200, json);
  }
}

/* Whether the request carries the valid token; answers 401 when not. */
static gboolean
authorized (Crm *self, SoupServerMessage *msg, const char *scheme, const char *expired_json)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *wanted = self->token ? g_strdup_printf ("%s %s", scheme, self->token) : NULL;

  g_free (self->last_authorization);
  self->last_authorization = g_strdup (header);
  if (wanted == NULL || g_strcmp0 (header, wanted) != 0 || self->token_left == 0)
    {
      answer (msg, 401, expired_json);
      return FALSE;
    }
  if (self->token_left > 0)
    self->token_left--;
  return TRUE;
}

static gboolean
busy (Crm *self, SoupServerMessage *msg, const char *json)
{
  g_autofree char *seconds = NULL;

  if (!self->busy_once || self->log->len <= self->busy_after)
    return FALSE;
  self->busy_once = FALSE;
  seconds = g_strdup_printf ("%u", self->retry_after);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After",
                                seconds);
  answer (msg, 429, json);
  return TRUE;
}

static char *
new_id (Crm *self)
{
  return g_strdup_printf ("%08x-0000-4000-8000-%012u", 0xd365u, ++self->next_id);
}

/* Dataverse */

static char *
dataverse_part (int status, const char *reason, const char *headers, const char *json)
{
  return g_strdup_printf ("HTTP/1.1 %d %s\r\nOData-Version: 4.0\r\n%s%s\r\n%s", status, reason,
                          json ? "Content-Type: application/json; odata.metadata=minimal\r\n" : "",
                          headers ? headers : "", json ? json : "");
}

/* One request of a $batch: "METHOD URL HTTP/1.1", headers, body. Returns
 * the answer, or NULL for a request this server does not know. */
static char *
dataverse_request (Crm *self, const char *text, gboolean *stored, gboolean *failed)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *line = NULL;
  const char *eol = strstr (text, "\r\n");
  const char *body = strstr (text, "\r\n\r\n");
  const char *path;

  if (eol == NULL)
    return NULL;
  line = g_strndup (text, eol - text);
  words = g_strsplit (line, " ", 3);
  if (g_strv_length (words) != 3 || (path = strstr (words[1], "/api/data/v9.2/")) == NULL)
    return NULL;
  path += strlen ("/api/data/v9.2/");

  if (g_str_equal (words[0], "GET") && g_str_has_prefix (path, "contacts?"))
    {
      /* "Query data using the Web API": $filter=emailaddress1 eq '…'; the
       * answer is {"@odata.context": …, "value": [ … ]}. */
      g_autofree char *query = g_uri_unescape_string (path + strlen ("contacts?"), NULL);
      const char *start = strstr (query, "emailaddress1 eq '");
      g_autofree char *email = NULL;
      g_autofree char *json = NULL;
      const char *id;

      if (start == NULL)
        return dataverse_part (400, "Bad Request", NULL,
                               "{\"error\": {\"code\": \"0x0\", \"message\": \"Bad filter\"}}");
      start += strlen ("emailaddress1 eq '");
      email = g_strndup (start, strstr (start, "'&") ? strstr (start, "'&") - start
                                                      : strlen (start) - 1);
      id = g_hash_table_lookup (self->contacts, email);
      json = id ? g_strdup_printf ("{\"@odata.context\": \"$metadata#contacts(contactid)\", "
                                   "\"value\": [{\"contactid\": \"%s\"}]}", id)
                : g_strdup ("{\"@odata.context\": \"$metadata#contacts(contactid)\", \"value\": []}");
      return dataverse_part (200, "OK", NULL, json);
    }
  if (g_str_equal (words[0], "PATCH") && g_str_has_prefix (path, "leads(fairlead_uuid='"))
    {
      /* "Upsert a table row": PATCH with the alternate key in the URL
       * creates the row when none has the key and updates it otherwise;
       * 204 No Content, the row's URL in OData-EntityId. */
      g_autofree char *key = g_strndup (path + strlen ("leads(fairlead_uuid='"),
                                        strcspn (path + strlen ("leads(fairlead_uuid='"), "'"));
      g_autoptr(JsonObject) fields = body ? parse_object (body + 4, -1) : NULL;
      JsonObject *record;
      g_autofree char *headers = NULL;
      const char *email;

      if (self->busy_part_once)
        {
          /* "Service protection API limits": a limit hit within a batch
           * answers that request 429, with Retry-After. */
          g_autofree char *retry = g_strdup_printf ("Retry-After: %u\r\n", self->retry_after);

          self->busy_part_once = FALSE;
          return dataverse_part (429, "Too Many Requests", retry,
                                 "{\"error\": {\"code\": \"0x80072321\", \"message\": "
                                 "\"Combined execution time of incoming requests exceeded "
                                 "limit.\"}}");
        }
      if (fields == NULL)
        return dataverse_part (400, "Bad Request", NULL,
                               "{\"error\": {\"code\": \"0x80048d19\", \"message\": \"Error "
                               "identified in Payload provided by the user\"}}");
      email = json_object_get_string_member_with_default (fields, "emailaddress1", "");
      if (strstr (email, "bad") != NULL)
        {
          *failed = TRUE;
          return dataverse_part (400, "Bad Request", NULL,
                                 "{\"error\": {\"code\": \"0x80044331\", \"message\": \"A "
                                 "validation error occurred. The value of 'emailaddress1' is not "
                                 "a valid email address.\"}}");
        }
      record = g_hash_table_lookup (self->records, key);
      if (record == NULL)
        {
          g_autofree char *id = new_id (self);

          record = json_object_new ();
          json_object_set_string_member (record, "leadid", id);
          g_hash_table_insert (self->records, g_strdup (key), record);
        }
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        json_object_iter_init (&iter, fields);
        while (json_object_iter_next (&iter, &name, &value))
          json_object_set_member (record, name, json_node_copy (value));
      }
      *stored = TRUE;
      headers = g_strdup_printf ("OData-EntityId: %s/api/data/v9.2/leads(%s)\r\n", self->http.url,
                                 json_object_get_string_member (record, "leadid"));
      return dataverse_part (204, "No Content", headers, NULL);
    }
  return NULL;
}

static void
handle_dataverse (Crm *self, SoupServerMessage *msg, const char *path)
{
  SoupMessageHeaders *request_headers = soup_server_message_get_request_headers (msg);
  static const char expired[] = "";
  static const char limit[] = "{\"error\": {\"code\": \"0x80072322\", \"message\": \"Number of "
                              "requests exceeded the limit of 6000 over time window of 300 "
                              "seconds.\"}}";

  if (!authorized (self, msg, "Bearer", expired))
    {
      /* "401 Unauthorized" with the reason in WWW-Authenticate. */
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer error=\"invalid_token\"");
      return;
    }
  /* "Service protection API limits": 429 with Retry-After. */
  if (busy (self, msg, limit))
    return;

  if (g_str_equal (path, "/api/data/v9.2/EntityDefinitions(LogicalName='lead')/Keys"))
    {
      answer (msg, 200, "{\"value\": [{\"LogicalName\": \"fairlead_uuidkey\", \"KeyAttributes\": "
                        "[\"fairlead_uuid\"], \"EntityKeyIndexStatus\": \"Active\"}]}");
      return;
    }
  if (g_str_equal (path, "/api/data/v9.2/$batch"))
    {
      /* "Execute batch operations using the Web API": a multipart/mixed
       * body, one application/http part per request; the answer has one
       * part per request, in order. "Prefer: odata.continue-on-error" goes
       * on past a failed request; without it the batch stops there. */
      g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
      SoupMultipart *request = soup_multipart_new_from_message (request_headers, bytes);
      SoupMultipart *reply = NULL;
      const char *prefer = soup_message_headers_get_one (request_headers, "Prefer");
      gboolean go_on = prefer != NULL && strstr (prefer, "odata.continue-on-error") != NULL;
      gboolean stored = FALSE;
      g_autoptr(GBytes) out = NULL;

      if (request == NULL || g_strcmp0 (soup_message_headers_get_one (request_headers,
                                                                      "OData-Version"), "4.0") != 0)
        {
          answer (msg, 400, "{\"error\": {\"code\": \"0x0\", \"message\": \"Not a batch\"}}");
          g_clear_pointer (&request, soup_multipart_free);
          return;
        }
      reply = soup_multipart_new ("multipart/mixed");
      for (int i = 0; i < soup_multipart_get_length (request); i++)
        {
          SoupMessageHeaders *part_headers;
          GBytes *part_body;
          g_autofree char *text = NULL;
          g_autofree char *result = NULL;
          g_autoptr(GBytes) result_bytes = NULL;
          SoupMessageHeaders *headers;
          gboolean failed = FALSE;

          soup_multipart_get_part (request, i, &part_headers, &part_body);
          text = g_strndup (g_bytes_get_data (part_body, NULL), g_bytes_get_size (part_body));
          result = dataverse_request (self, text, &stored, &failed);
          if (result == NULL)
            result = dataverse_part (404, "Not Found", NULL,
                                     "{\"error\": {\"code\": \"0x0\", \"message\": \"Resource not "
                                     "found\"}}");
          headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_MULTIPART);
          soup_message_headers_replace (headers, "Content-Type", "application/http");
          soup_message_headers_replace (headers, "Content-Transfer-Encoding", "binary");
          result_bytes = g_bytes_new (result, strlen (result));
          soup_multipart_append_part (reply, headers, result_bytes);
          soup_message_headers_unref (headers);
          if (failed && !go_on)
            break;
        }
      soup_multipart_free (request);
      if (stored && self->drop_once)
        {
          self->drop_once = FALSE;
          soup_multipart_free (reply);
          drop (msg);
          return;
        }
      soup_multipart_to_message (reply, soup_server_message_get_response_headers (msg), &out);
      soup_multipart_free (reply);
      soup_server_message_set_status (msg, 200, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (msg), out);
      return;
    }
  answer (msg, 404, "{\"error\": {\"code\": \"0x0\", \"message\": \"Resource not found\"}}");
}

/* Zoho CRM */

static void
handle_zoho (Crm *self, SoupServerMessage *msg, const char *path, const char *query,
             JsonObject *body)
{
  static const char expired[] = "{\"code\": \"INVALID_TOKEN\", \"details\": {}, \"message\": "
                                "\"invalid oauth token\", \"status\": \"error\"}";
  static const char limit[] = "{\"code\": \"TOO_MANY_REQUESTS\", \"details\": {}, \"message\": "
                              "\"The number of API calls exceeded the limit\", \"status\": "
                              "\"error\"}";
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  JsonArray *data, *fields;
  gboolean stored = FALSE;
  guint n_errors = 0;

  /* "Authorization: Zoho-oauthtoken {access_token}"; an expired token:
   * 401 INVALID_TOKEN. */
  if (!authorized (self, msg, "Zoho-oauthtoken", expired))
    return;
  if (busy (self, msg, limit))
    return;

  if (g_str_equal (path, "/crm/v8/settings/fields"))
    {
      if (g_strcmp0 (query, "module=Leads") != 0)
        {
          answer (msg, 400, "{\"code\": \"REQUIRED_PARAM_MISSING\", \"status\": \"error\", "
                            "\"message\": \"One of the expected parameter is missing\"}");
          return;
        }
      /* "Fields Metadata": {"fields": [{"api_name": …, "pick_list_values":
       * [{"display_value": …, "actual_value": …}]}]} */
      answer (msg, 200, "{\"fields\": [{\"api_name\": \"Last_Name\"}, {\"api_name\": \"Email\"}, "
                        "{\"api_name\": \"Company\"}, {\"api_name\": \"Lead_Status\", "
                        "\"data_type\": \"picklist\", \"pick_list_values\": ["
                        "{\"display_value\": \"-None-\", \"actual_value\": \"-None-\"}, "
                        "{\"display_value\": \"Not Contacted\", \"actual_value\": \"Not Contacted\"}, "
                        "{\"display_value\": \"Contacted\", \"actual_value\": \"Contacted\"}, "
                        "{\"display_value\": \"Pre-Qualified\", \"actual_value\": \"Pre-Qualified\"}, "
                        "{\"display_value\": \"Not Qualified\", \"actual_value\": \"Not Qualified\"}]}]}");
      return;
    }
  if (!g_str_equal (path, "/crm/v8/Leads/upsert"))
    {
      answer (msg, 404, "{\"code\": \"INVALID_URL_PATTERN\", \"status\": \"error\", "
                        "\"message\": \"Please check if the URL trying to access is a correct one\"}");
      return;
    }
  /* "Insert or Update Records (Upsert)": {"data": [...],
   * "duplicate_check_fields": [...]}, at most 100 records; the answer has a
   * "data" entry per record, in order, with "status" success or error,
   * "action" insert or update, and details.id. */
  data = body && json_object_has_member (body, "data") ? json_object_get_array_member (body, "data")
                                                       : NULL;
  fields = body && json_object_has_member (body, "duplicate_check_fields")
             ? json_object_get_array_member (body, "duplicate_check_fields")
             : NULL;
  if (data == NULL || json_array_get_length (data) > 100)
    {
      answer (msg, 400, "{\"code\": \"LIMIT_EXCEEDED\", \"details\": {\"limit\": 100}, "
                        "\"message\": \"the limit has been exceeded\", \"status\": \"error\"}");
      return;
    }
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < json_array_get_length (data); i++)
    {
      JsonObject *record = json_array_get_object_element (data, i);
      const char *email = json_object_get_string_member_with_default (record, "Email", "");
      g_autoptr(GString) key = g_string_new (NULL);
      JsonObject *existing;

      json_builder_begin_object (builder);
      if (strstr (email, "bad") != NULL || !json_object_has_member (record, "Last_Name"))
        {
          gboolean invalid = strstr (email, "bad") != NULL;

          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, invalid ? "INVALID_DATA" : "MANDATORY_NOT_FOUND");
          json_builder_set_member_name (builder, "details");
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "api_name");
          json_builder_add_string_value (builder, invalid ? "Email" : "Last_Name");
          json_builder_end_object (builder);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, invalid ? "invalid data"
                                                          : "required field not found");
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, "error");
          json_builder_end_object (builder);
          n_errors++;
          continue;
        }
      for (guint j = 0; fields != NULL && j < json_array_get_length (fields); j++)
        g_string_append_printf (key, "%s\n", json_object_get_string_member_with_default (
                                               record, json_array_get_string_element (fields, j), ""));
      g_string_ascii_down (key);
      existing = g_hash_table_lookup (self->records, key->str);
      if (existing == NULL)
        {
          g_autofree char *id = g_strdup_printf ("5725767000000%06u", ++self->next_id);

          existing = json_object_new ();
          json_object_set_string_member (existing, "id", id);
          g_hash_table_insert (self->records, g_strdup (key->str), existing);
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, "insert");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "record added");
        }
      else
        {
          json_builder_set_member_name (builder, "action");
          json_builder_add_string_value (builder, "update");
          json_builder_set_member_name (builder, "duplicate_field");
          json_builder_add_string_value (builder, json_array_get_string_element (fields, 0));
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, "record updated");
        }
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *value;

        json_object_iter_init (&iter, record);
        while (json_object_iter_next (&iter, &name, &value))
          json_object_set_member (existing, name, json_node_copy (value));
      }
      stored = TRUE;
      json_builder_set_member_name (builder, "code");
      json_builder_add_string_value (builder, "SUCCESS");
      json_builder_set_member_name (builder, "details");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, json_object_get_string_member (existing, "id"));
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "success");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (stored && self->drop_once)
    {
      self->drop_once = FALSE;
      drop (msg);
      return;
    }
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  /* All records refused: 400; some: 207 (multi-status); else 200. */
  answer (msg, n_errors == json_array_get_length (data) ? 400 : n_errors > 0 ? 207 : 200, json);
}

static void handle_pipedrive (Crm *self, SoupServerMessage *msg, const char *method,
                              const char *path, GHashTable *query, JsonObject *body);

static void
handler_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
            gpointer user_data)
{
  Crm *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  const char *content_type = soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (msg), NULL);
  g_autoptr(JsonObject) body = NULL;
  GUri *uri = soup_server_message_get_uri (msg);

  g_mutex_lock (&self->mutex);
  if (g_str_equal (path, "/oauth/token"))
    {
      /* Pipedrive, "Refreshing the tokens": POST /oauth/token with
       * "Authorization: Basic base64(client_id:client_secret)" and the
       * form grant_type=refresh_token&refresh_token=…; the answer has
       * access_token, expires_in and api_domain. */
      g_autofree char *pair = g_base64_encode ((const guchar *) "pd-client:" PIPEDRIVE_CLIENT_SECRET,
                                               strlen ("pd-client:" PIPEDRIVE_CLIENT_SECRET));
      g_autofree char *wanted = g_strdup_printf ("Basic %s", pair);
      GHashTable *form = request_body->length > 0 ? soup_form_decode (request_body->data) : NULL;

      if (g_strcmp0 (soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization"), wanted) != 0 ||
          form == NULL || g_strcmp0 (g_hash_table_lookup (form, "grant_type"), "refresh_token") != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), PIPEDRIVE_REFRESH) != 0 ||
          g_hash_table_contains (form, "client_secret"))
        answer (msg, 401, "{\"success\": false, \"message\": \"Invalid client credentials\", "
                          "\"error\": \"unauthorized\"}");
      else
        {
          g_autofree char *json = NULL;

          self->n_tokens++;
          g_free (self->token);
          self->token = g_strdup_printf ("tok-%u", self->n_tokens);
          self->token_left = self->token_uses;
          json = g_strdup_printf ("{\"access_token\": \"%s\", \"token_type\": \"Bearer\", "
                                  "\"refresh_token\": \"%s\", \"scope\": \"leads:full\", "
                                  "\"expires_in\": 3599, \"api_domain\": "
                                  "\"https://fairlead-test.pipedrive.com\"}",
                                  self->token, PIPEDRIVE_REFRESH);
          answer (msg, 200, json);
        }
      g_clear_pointer (&form, g_hash_table_unref);
      g_mutex_unlock (&self->mutex);
      return;
    }
  if (g_str_has_suffix (path, "/oauth2/v2.0/token") || g_str_equal (path, "/oauth/v2/token"))
    {
      GHashTable *form = NULL;

      if (g_strcmp0 (content_type, "application/x-www-form-urlencoded") == 0 &&
          request_body->length > 0)
        form = soup_form_decode (request_body->data);
      if (g_str_has_suffix (path, "/oauth2/v2.0/token") &&
          !g_str_equal (path, "/" TENANT "/oauth2/v2.0/token"))
        answer (msg, 400, "{\"error\": \"invalid_request\", \"error_description\": "
                          "\"AADSTS90002: Tenant not found.\"}");
      else
        handle_token (self, msg, form ? form : query);
      g_clear_pointer (&form, g_hash_table_unref);
      g_mutex_unlock (&self->mutex);
      return;
    }

  g_ptr_array_add (self->log, g_strdup_printf ("%s %s", method, path));
  {
    gint64 now = g_get_monotonic_time ();
    g_array_append_val (self->times, now);
  }
  if (request_body->length > 0 && g_strcmp0 (content_type, "application/json") == 0)
    body = parse_object (request_body->data, request_body->length);
  if (g_str_has_prefix (path, "/api/data/"))
    handle_dataverse (self, msg, path);
  else if (g_str_has_prefix (path, "/crm/"))
    handle_zoho (self, msg, path, g_uri_get_query (uri), body);
  else
    handle_pipedrive (self, msg, method, path, query, body);
  g_mutex_unlock (&self->mutex);
}

static Crm *
crm_new (void)
{
  Crm *self = g_new0 (Crm, 1);

  g_mutex_init (&self->mutex);
  self->token_uses = -1;
  self->retry_after = 1;
  self->log = g_ptr_array_new_with_free_func (g_free);
  self->drops = g_ptr_array_new_with_free_func (g_free);
  self->times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) json_object_unref);
  self->contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->persons = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->organizations = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  self->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  loopback_server_start (&self->http, NULL, handler_cb, self);
  return self;
}

static void
crm_free (Crm *self)
{
  loopback_server_stop (&self->http);
  g_ptr_array_unref (self->log);
  g_ptr_array_unref (self->drops);
  g_array_unref (self->times);
  g_hash_table_unref (self->records);
  g_hash_table_unref (self->contacts);
  g_ptr_array_unref (self->persons);
  g_ptr_array_unref (self->organizations);
  g_ptr_array_unref (self->leads);
  g_ptr_array_unref (self->notes);
  g_free (self->token);
  g_free (self->certificate);
  g_free (self->last_authorization);
  g_mutex_clear (&self->mutex);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Crm, crm_free)

static guint
crm_count (Crm *self, const char *request)
{
  guint n = 0;

  g_mutex_lock (&self->mutex);
  for (guint i = 0; i < self->log->len; i++)
    if (g_str_equal (self->log->pdata[i], request))
      n++;
  g_mutex_unlock (&self->mutex);
  return n;
}

/* The fixture: a real database with an event */

typedef struct
{
  FlTestFixture base;
  FlOutbox      *outbox;
  GPtrArray     *uuids;
  GPtrArray     *emails;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Hannover Messe");
  fl_test_fixture_open (&f->base, NULL, event);
  f->outbox = fl_outbox_new (f->base.store);
  f->uuids = g_ptr_array_new_with_free_func (g_free);
  f->emails = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->outbox);
  fl_test_fixture_close (&f->base);
  g_ptr_array_unref (f->uuids);
  g_ptr_array_unref (f->emails);
}

/* Saves @n leads with consent; the one at @bad (if < n) has an email the
 * CRM refuses. SALs every fourth, from the first. */
static void
add_leads (Fixture *f, guint n, guint bad)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(GError) error = NULL;
      guint number = f->uuids->len;
      g_autofree char *first = g_strdup_printf ("Visitor%u", number);
      g_autofree char *email = i == bad ? g_strdup_printf ("bad-%u@example", number)
                                        : g_strdup_printf ("visitor%u@example.com", number);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Muster");
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, number % 2 ? "ACME GmbH" : "Beta AG");
      fl_lead_set_field (lead, FL_FIELD_TITLE, "Einkauf");
      fl_lead_set_status (lead, number % 4 == 0 ? FL_STATUS_SAL : FL_STATUS_MQL);
      fl_lead_set_score (lead, 50);
      fl_lead_set_notes (lead, "Wants a demo in June");
      fl_lead_set_source (lead, FL_SOURCE_BADGE);
      fl_test_give_consent (lead, TRUE);
      fl_store_save_lead (f->base.store, lead, "test", &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
      g_ptr_array_add (f->emails, g_steal_pointer (&email));
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

static void
upload (Fixture *f, double max_wait, FlUploadSummary *summary)
{
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GError) error = NULL;

  fl_uploader_run (uploader, NULL, (gint64) (max_wait * G_USEC_PER_SEC), NULL, summary, &error);
  g_assert_no_error (error);
}

static char *
outbox_value (Fixture *f, guint index, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT o.%s FROM outbox o JOIN leads l ON "
                                          "l.id = o.lead_id WHERE l.uuid = ?",
                                          column);
  sqlite3_stmt *stmt = fl_store_prepare (f->base.store, sql, NULL);
  char *value = NULL;

  sqlite3_bind_text (stmt, 1, f->uuids->pdata[index], -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static void
assert_done_except (Fixture *f, guint bad)
{
  for (guint i = 0; i < f->uuids->len; i++)
    {
      g_autofree char *state = outbox_value (f, i, "state");
      g_autofree char *remote = outbox_value (f, i, "remote_id");

      g_assert_cmpstr (state, ==, i == bad ? "failed" : "done");
      if (i != bad)
        g_assert_nonnull (remote);
    }
}

static FlConnector *
get_connector (Fixture *f, const char *name)
{
  g_autoptr(GError) error = NULL;
  FlConnector *connector = fl_outbox_get_connector (f->outbox, name, &error);

  g_assert_no_error (error);
  return connector;
}

/* Dynamics 365 */

static void
add_dynamics (Fixture *f, Crm *crm, const char *name, ...)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *key;
  va_list args;

  json_object_set_string_member (options, "tenant", TENANT);
  json_object_set_string_member (options, "client_id", "d365-app");
  json_object_set_string_member (options, "login_url", crm->http.url);
  va_start (args, name);
  while ((key = va_arg (args, const char *)) != NULL)
    json_object_set_string_member (options, key, va_arg (args, const char *));
  va_end (args);
  fl_outbox_add_connector (f->outbox, name, "dynamics", crm->http.url, options, NULL, &error);
  g_assert_no_error (error);
}

static void
test_dynamics_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  JsonObject *sal, *mql;

  g_hash_table_insert (crm->contacts, g_strdup ("visitor1@example.com"),
                       g_strdup ("c0ffee00-0000-4000-8000-000000000001"));
  add_leads (f, 30, 5);
  add_dynamics (f, crm, "d365", NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 29);
  g_assert_cmpuint (summary.failed, ==, 1);
  /* One token; one batch to find the contacts, one to upsert the leads. */
  g_assert_cmpuint (crm->n_tokens, ==, 1);
  g_assert_cmpuint (crm_count (crm, "POST /api/data/v9.2/$batch"), ==, 2);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 29);
  g_assert_cmpstr (crm->last_authorization, ==, "Bearer tok-1");
  assert_done_except (f, 5);
  reason = outbox_value (f, 5, "last_error");
  g_assert_nonnull (strstr (reason, "not a valid email address"));
  g_assert_nonnull (strstr (reason, "HTTP 400"));

  /* Lead 0 is a SAL: Contacted and Hot; lead 1 an MQL with a contact. */
  sal = g_hash_table_lookup (crm->records, f->uuids->pdata[0]);
  g_assert_nonnull (sal);
  g_assert_cmpint (json_object_get_int_member (sal, "statuscode"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (sal, "leadqualitycode"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (sal, "leadsourcecode"), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (sal, "subject"), ==, "Visitor at Hannover Messe");
  g_assert_cmpstr (json_object_get_string_member (sal, "lastname"), ==, "Muster");
  g_assert_cmpstr (json_object_get_string_member (sal, "jobtitle"), ==, "Einkauf");
  g_assert_false (json_object_has_member (sal, "parentcontactid@odata.bind"));
  remote = outbox_value (f, 0, "remote_id");
  g_assert_cmpstr (remote, ==, json_object_get_string_member (sal, "leadid"));
  mql = g_hash_table_lookup (crm->records, f->uuids->pdata[1]);
  g_assert_cmpint (json_object_get_int_member (mql, "statuscode"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (mql, "leadqualitycode"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (mql, "parentcontactid@odata.bind"), ==,
                   "/contacts(c0ffee00-0000-4000-8000-000000000001)");
}

/* The token runs out between batches: one 401, one new token, the same
 * request again; nothing is lost or sent twice. */
static void
test_dynamics_token_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  crm->token_uses = 3;
  add_leads (f, 20, G_MAXUINT);
  add_dynamics (f, crm, "d365", "batch_size", "5", NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 20);
  g_assert_cmpuint (summary.retried, ==, 0);
  g_assert_cmpuint (crm->n_tokens, ==, 3);
  /* 4 batches of 2 requests, and the 2 refused with the old token */
  g_assert_cmpuint (crm_count (crm, "POST /api/data/v9.2/$batch"), ==, 10);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 20);
  assert_done_except (f, G_MAXUINT);
}

static void
test_dynamics_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  gint64 gap;

  crm->busy_once = TRUE;
  crm->retry_after = 1;
  add_leads (f, 4, G_MAXUINT);
  add_dynamics (f, crm, "d365", NULL);
  upload (f, 5, &summary);

  g_assert_cmpuint (summary.delivered, ==, 4);
  g_assert_cmpuint (crm_count (crm, "POST /api/data/v9.2/$batch"), ==, 3);
  gap = g_array_index (crm->times, gint64, 1) - g_array_index (crm->times, gint64, 0);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 10000);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 4);
}

/* The limit hit inside the batch: the batch waits as asked, then goes. */
static void
test_dynamics_retry_after_part (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  gint64 gap;

  crm->busy_part_once = TRUE;
  /* Longer than the first backoff (at most 1.5 s) */
  crm->retry_after = 2;
  add_leads (f, 4, G_MAXUINT);
  add_dynamics (f, crm, "d365", NULL);
  upload (f, 6, &summary);

  g_assert_cmpuint (summary.delivered, ==, 4);
  /* lookup, upsert (one lead 429), lookup, upsert */
  g_assert_cmpuint (crm_count (crm, "POST /api/data/v9.2/$batch"), ==, 4);
  gap = g_array_index (crm->times, gint64, 2) - g_array_index (crm->times, gint64, 1);
  g_assert_cmpint (gap, >=, 2 * G_USEC_PER_SEC - 10000);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 4);
  assert_done_except (f, G_MAXUINT);
}

/* Dataverse stored the leads but the answer was lost: the retry upserts
 * by the same keys, and each lead is there once. */
static void
test_dynamics_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  crm->drop_once = TRUE;
  add_leads (f, 10, G_MAXUINT);
  add_dynamics (f, crm, "d365", NULL);
  upload (f, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 10);
  /* The upsert went at least twice (libcurl itself sends a request again
   * once when a reused connection dies before any answer). */
  g_assert_cmpuint (crm_count (crm, "POST /api/data/v9.2/$batch"), >=, 3);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 10);
  for (guint i = 0; i < f->uuids->len; i++)
    g_assert_nonnull (g_hash_table_lookup (crm->records, f->uuids->pdata[i]));
  assert_done_except (f, G_MAXUINT);
}

static void
test_dynamics_test (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) good = NULL;
  g_autoptr(FlConnector) other_key = NULL;
  g_autoptr(FlConnector) bad_secret = NULL;
  g_autoptr(FlConnector) remote_login = NULL;
  g_autoptr(JsonObject) options = json_object_new ();

  add_dynamics (f, crm, "d365", NULL);
  add_dynamics (f, crm, "d365-key", "alternate_key", "new_fairleadid", NULL);
  add_dynamics (f, crm, "d365-bad", NULL);

  good = get_connector (f, "d365");
  g_assert_true (fl_connector_test (good, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "access token"));
  g_assert_nonnull (strstr (report->str, "“fairlead_uuid”"));

  other_key = get_connector (f, "d365-key");
  g_assert_false (fl_connector_test (other_key, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "new_fairleadid"));
  g_clear_error (&error);

  bad_secret = get_connector (f, "d365-bad");
  g_assert_false (fl_connector_test (bad_secret, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "AADSTS7000215"));
  g_clear_error (&error);

  /* The secret never goes over plain http to another machine. */
  json_object_set_string_member (options, "tenant", TENANT);
  json_object_set_string_member (options, "client_id", "d365-app");
  json_object_set_string_member (options, "login_url", "http://login.example.com");
  remote_login = fl_connector_new ("d365", "dynamics", crm->http.url, options, &error);
  g_assert_null (remote_login);
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_clear_error (&error);
  json_object_remove_member (options, "tenant");
  json_object_set_string_member (options, "login_url", crm->http.url);
  g_assert_null (fl_connector_new ("d365", "dynamics", crm->http.url, options, &error));
  g_assert_nonnull (strstr (error->message, "tenant"));
}

/* A key and a self-signed certificate, PEM, one after the other. */
static char *
make_key_and_certificate (Fixture *f, const char *name, char **certificate)
{
  g_autofree char *key_path = g_strdup_printf ("%s/%s-key.pem", f->base.dir, name);
  g_autofree char *cert_path = g_strdup_printf ("%s/%s-cert.pem", f->base.dir, name);
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  const char *argv[] = { "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                         "-subj", "/CN=Fairlead Dataverse", "-keyout", key_path, "-out",
                         cert_path, NULL };

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL |
                G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error);
  if (error != NULL || !g_spawn_check_wait_status (status, NULL) ||
      !g_file_get_contents (key_path, &key, NULL, NULL) ||
      !g_file_get_contents (cert_path, certificate, NULL, NULL))
    return NULL;
  return g_strconcat (key, *certificate, NULL);
}

/* The client credential as a certificate: a signed assertion instead of a
 * client secret. */
static void
test_dynamics_certificate (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) other = NULL;
  g_autofree char *certificate = NULL;
  g_autofree char *other_certificate = NULL;
  g_autofree char *secret = make_key_and_certificate (f, "app", &certificate);
  g_autofree char *other_secret = make_key_and_certificate (f, "other", &other_certificate);

  if (secret == NULL || other_secret == NULL)
    {
      g_test_skip ("openssl cannot make a test certificate");
      return;
    }
  crm->certificate = g_strdup (certificate);
  g_setenv ("FAIRLEAD_SECRET_D365_CERT", secret, TRUE);
  g_setenv ("FAIRLEAD_SECRET_D365_OTHER", other_secret, TRUE);
  add_leads (f, 3, G_MAXUINT);
  add_dynamics (f, crm, "d365-cert", NULL);
  add_dynamics (f, crm, "d365-other", "event", "none", NULL);
  upload (f, 0, &summary);
  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (crm->n_tokens, ==, 1);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 3);

  /* A certificate the app registration does not have is refused. */
  other = get_connector (f, "d365-other");
  g_assert_false (fl_connector_test (other, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH);
  g_unsetenv ("FAIRLEAD_SECRET_D365_CERT");
  g_unsetenv ("FAIRLEAD_SECRET_D365_OTHER");
}

/* Zoho CRM */

static void
add_zoho (Fixture *f, Crm *crm, const char *name, ...)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *key;
  va_list args;

  json_object_set_string_member (options, "client_id", "1000.zoho-client");
  json_object_set_string_member (options, "data_centre", "eu");
  json_object_set_string_member (options, "login_url", crm->http.url);
  va_start (args, name);
  while ((key = va_arg (args, const char *)) != NULL)
    json_object_set_string_member (options, key, va_arg (args, const char *));
  va_end (args);
  fl_outbox_add_connector (f->outbox, name, "zoho", crm->http.url, options, NULL, &error);
  g_assert_no_error (error);
}

static JsonObject *
zoho_record (Crm *crm, const char *email)
{
  g_autofree char *key = g_strdup_printf ("%s\n", email);

  return g_hash_table_lookup (crm->records, key);
}

static void
test_zoho_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *alone = NULL;
  g_autofree char *no_email = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *sal, *mql;

  add_leads (f, 150, 7);
  {
    /* No email: Zoho could not find this lead again on a retry. */
    g_autoptr(FlLead) lead = fl_lead_new ();
    fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Jane Doe");
    fl_test_give_consent (lead, TRUE);
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
    g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
  }
  add_zoho (f, crm, "zoho", NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 149);
  g_assert_cmpuint (summary.failed, ==, 2);
  /* 100 records a request */
  g_assert_cmpuint (crm_count (crm, "POST /crm/v8/Leads/upsert"), ==, 2);
  g_assert_cmpuint (crm->n_tokens, ==, 1);
  g_assert_cmpstr (crm->last_authorization, ==, "Zoho-oauthtoken tok-1");
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 149);
  reason = outbox_value (f, 7, "last_error");
  g_assert_cmpstr (reason, ==, "Zoho CRM: INVALID_DATA: invalid data (Email)");
  no_email = outbox_value (f, 150, "last_error");
  g_assert_nonnull (strstr (no_email, "duplicate check field “Email”"));

  sal = zoho_record (crm, "visitor0@example.com");
  g_assert_nonnull (sal);
  g_assert_cmpstr (json_object_get_string_member (sal, "Lead_Status"), ==, "Pre-Qualified");
  g_assert_cmpstr (json_object_get_string_member (sal, "Lead_Source"), ==, "Trade Show");
  g_assert_cmpstr (json_object_get_string_member (sal, "Designation"), ==, "Einkauf");
  g_assert_cmpstr (json_object_get_string_member (sal, "Company"), ==, "Beta AG");
  g_assert_nonnull (strstr (json_object_get_string_member (sal, "Description"), "Hannover Messe"));
  remote = outbox_value (f, 0, "remote_id");
  g_assert_cmpstr (remote, ==, json_object_get_string_member (sal, "id"));
  mql = zoho_record (crm, "visitor1@example.com");
  g_assert_cmpstr (json_object_get_string_member (mql, "Lead_Status"), ==, "Not Contacted");

  /* A request whose every record is refused is a 400 that still says why
   * for each record. */
  add_leads (f, 1, 0);
  upload (f, 0, &second);
  g_assert_cmpuint (second.failed, ==, 1);
  alone = outbox_value (f, 151, "last_error");
  g_assert_cmpstr (alone, ==, "Zoho CRM: INVALID_DATA: invalid data (Email)");
}

static void
test_zoho_token_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  crm->token_uses = 1;
  add_leads (f, 30, G_MAXUINT);
  add_zoho (f, crm, "zoho", "batch_size", "10", NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 30);
  g_assert_cmpuint (crm->n_tokens, ==, 3);
  g_assert_cmpuint (crm_count (crm, "POST /crm/v8/Leads/upsert"), ==, 5);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 30);
  g_assert_cmpstr (crm->last_authorization, ==, "Zoho-oauthtoken tok-3");
}

static void
test_zoho_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *reason = NULL;
  gint64 gap;

  crm->busy_once = TRUE;
  crm->retry_after = 1;
  add_leads (f, 4, G_MAXUINT);
  add_zoho (f, crm, "zoho", NULL);
  upload (f, 0, &first);
  g_assert_cmpuint (first.delivered, ==, 0);
  g_assert_cmpint (first.pending, ==, 4);
  reason = outbox_value (f, 0, "last_error");
  g_assert_nonnull (strstr (reason, "429"));

  upload (f, 5, &summary);
  g_assert_cmpuint (summary.delivered, ==, 4);
  g_assert_cmpuint (crm_count (crm, "POST /crm/v8/Leads/upsert"), ==, 2);
  gap = g_array_index (crm->times, gint64, 1) - g_array_index (crm->times, gint64, 0);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 10000);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 4);
}

static void
test_zoho_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  crm->drop_once = TRUE;
  add_leads (f, 10, G_MAXUINT);
  add_zoho (f, crm, "zoho", NULL);
  upload (f, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 10);
  g_assert_cmpuint (crm_count (crm, "POST /crm/v8/Leads/upsert"), ==, 2);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 10);
  for (guint i = 0; i < f->emails->len; i++)
    g_assert_nonnull (zoho_record (crm, f->emails->pdata[i]));
  assert_done_except (f, G_MAXUINT);
}

static void
test_zoho_test (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) good = NULL;
  g_autoptr(FlConnector) uuid_field = NULL;
  g_autoptr(FlConnector) bad_secret = NULL;
  g_autoptr(FlConnector) no_colon = NULL;
  g_autoptr(FlConnector) status = NULL;
  g_autoptr(JsonObject) options = json_object_new ();

  add_zoho (f, crm, "zoho", NULL);
  add_zoho (f, crm, "zoho-uuid", "uuid_field", "Fairlead_UUID", NULL);
  add_zoho (f, crm, "zoho-bad", NULL);
  add_zoho (f, crm, "zoho-colon", NULL);
  add_zoho (f, crm, "zoho-status", "status_sal", "Hot", NULL);

  good = get_connector (f, "zoho");
  g_assert_true (fl_connector_test (good, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "access token"));
  g_assert_nonnull (strstr (report->str, "Leads"));
  g_assert_nonnull (strstr (report->str, "“Pre-Qualified” for SAL"));

  status = get_connector (f, "zoho-status");
  g_assert_false (fl_connector_test (status, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "“Hot”"));
  g_assert_nonnull (strstr (error->message, "status_sal"));
  g_clear_error (&error);

  uuid_field = get_connector (f, "zoho-uuid");
  g_assert_false (fl_connector_test (uuid_field, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "Fairlead_UUID"));
  g_clear_error (&error);

  bad_secret = get_connector (f, "zoho-bad");
  g_assert_false (fl_connector_test (bad_secret, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "invalid_code"));
  g_clear_error (&error);

  no_colon = get_connector (f, "zoho-colon");
  g_assert_false (fl_connector_test (no_colon, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET);
  g_assert_nonnull (strstr (error->message, "CLIENT_SECRET:REFRESH_TOKEN"));
  g_clear_error (&error);

  json_object_set_string_member (options, "client_id", "1000.zoho-client");
  json_object_set_string_member (options, "data_centre", "de");
  g_assert_null (fl_connector_new ("zoho", "zoho", NULL, options, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "data_centre"));
}

/* Pipedrive */

static char *
pipedrive_data (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *data = json_to_string (node, FALSE);

  return g_strdup_printf ("{\"success\": true, \"data\": %s}", data);
}

static JsonObject *
pipedrive_find (GPtrArray *objects, const char *id)
{
  for (guint i = 0; i < objects->len; i++)
    {
      JsonObject *object = objects->pdata[i];
      JsonNode *member = json_object_get_member (object, "id");
      g_autofree char *text = json_node_get_value_type (member) == G_TYPE_STRING
                                ? g_strdup (json_node_get_string (member))
                                : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (member));

      if (g_str_equal (text, id))
        return object;
    }
  return NULL;
}

static const char *
primary_email (JsonObject *person)
{
  JsonArray *emails = json_object_has_member (person, "email")
                        ? json_object_get_array_member (person, "email")
                        : NULL;

  if (emails == NULL || json_array_get_length (emails) == 0)
    return NULL;
  return json_object_get_string_member (json_array_get_object_element (emails, 0), "value");
}

static void
merge (JsonObject *into, JsonObject *from)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, from);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "id"))
      json_object_set_member (into, name, json_node_copy (value));
}

static gboolean
should_drop (Crm *self, const char *request)
{
  for (guint i = 0; i < self->drops->len; i++)
    if (g_str_equal (self->drops->pdata[i], request))
      {
        g_ptr_array_remove_index (self->drops, i);
        return TRUE;
      }
  return FALSE;
}

/* Searches answer {"success": true, "data": {"items": [{"result_score": …,
 * "item": {"id": …, …}}]}} ("Search persons", "Search organizations"). */
static char *
pipedrive_search (GPtrArray *objects, GHashTable *query, gboolean persons)
{
  const char *term = query ? g_hash_table_lookup (query, "term") : NULL;
  const char *field = query ? g_hash_table_lookup (query, "fields") : NULL;
  const char *org = query ? g_hash_table_lookup (query, "organization_id") : NULL;
  GString *json = g_string_new ("{\"success\": true, \"data\": {\"items\": [");
  gboolean first = TRUE;

  g_assert_cmpstr (g_hash_table_lookup (query, "exact_match"), ==, "true");
  for (guint i = 0; term != NULL && i < objects->len; i++)
    {
      JsonObject *object = objects->pdata[i];
      const char *value = g_strcmp0 (field, "email") == 0 ? primary_email (object)
                          : json_object_get_string_member_with_default (object, "name", NULL);

      if (value == NULL || g_ascii_strcasecmp (value, term) != 0)
        continue;
      if (persons && org != NULL &&
          json_object_get_int_member_with_default (object, "org_id", 0) !=
            g_ascii_strtoll (org, NULL, 10))
        continue;
      g_string_append_printf (json, "%s{\"result_score\": 1, \"item\": {\"id\": %" G_GINT64_FORMAT
                                    ", \"type\": \"%s\"}}",
                              first ? "" : ", ", json_object_get_int_member (object, "id"),
                              persons ? "person" : "organization");
      first = FALSE;
    }
  g_string_append (json, "]}, \"additional_data\": {\"pagination\": {\"start\": 0, \"limit\": 100, "
                         "\"more_items_in_collection\": false}}}");
  return g_string_free (json, FALSE);
}

/* Lists answer {"success": true, "data": [ … ]} ("Get all leads",
 * "Get all notes"), filtered by one member. */
static char *
pipedrive_list (GPtrArray *objects, const char *member, const char *value)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *data = NULL;

  for (guint i = 0; value != NULL && i < objects->len; i++)
    {
      JsonObject *object = objects->pdata[i];
      JsonNode *field = json_object_get_member (object, member);
      g_autofree char *text = NULL;

      if (field == NULL || JSON_NODE_HOLDS_NULL (field))
        continue;
      text = json_node_get_value_type (field) == G_TYPE_STRING
               ? g_strdup (json_node_get_string (field))
               : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (field));
      if (g_str_equal (text, value))
        json_array_add_object_element (array, json_object_ref (object));
    }
  node = json_node_init_array (json_node_alloc (), array);
  data = json_to_string (node, FALSE);
  return g_strdup_printf ("{\"success\": true, \"data\": %s}", data);
}

static void
pipedrive_create (Crm *self, SoupServerMessage *msg, GPtrArray *objects, JsonObject *body,
                  gboolean uuid_id, const char *request)
{
  JsonObject *object = json_object_new ();
  g_autofree char *json = NULL;

  if (uuid_id)
    {
      g_autofree char *id = g_uuid_string_random ();
      json_object_set_string_member (object, "id", id);
    }
  else
    json_object_set_int_member (object, "id", ++self->next_id);
  merge (object, body);
  g_ptr_array_add (objects, object);
  if (should_drop (self, request))
    {
      drop (msg);
      return;
    }
  json = pipedrive_data (object);
  answer (msg, 201, json);
}

static void
handle_pipedrive (Crm *self, SoupServerMessage *msg, const char *method, const char *path,
                  GHashTable *query, JsonObject *body)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *api_token = soup_message_headers_get_one (headers, "x-api-token");
  g_autofree char *request = g_strdup_printf ("%s %s", method, path);
  g_autofree char *bearer = self->token ? g_strdup_printf ("Bearer %s", self->token) : NULL;
  static const char unauthorized[] = "{\"success\": false, \"error\": \"unauthorized access\", "
                                     "\"errorCode\": 401, \"error_info\": \"Please check "
                                     "developers.pipedrive.com\"}";
  static const char not_found[] = "{\"success\": false, \"error\": \"Not found\", "
                                  "\"errorCode\": 404}";
  JsonObject *object;

  /* "Authentication": the API token in the header x-api-token, or an
   * OAuth access token as "Authorization: Bearer …". */
  if (api_token != NULL)
    {
      g_free (self->last_authorization);
      self->last_authorization = g_strdup (api_token);
      if (!g_str_equal (api_token, PIPEDRIVE_TOKEN))
        {
          answer (msg, 401, unauthorized);
          return;
        }
    }
  else if (!authorized (self, msg, "Bearer", unauthorized))
    return;
  /* "Rate limiting": 429 Too Many Requests. */
  if (busy (self, msg, "{\"success\": false, \"error\": \"Request over limit\", "
                       "\"errorCode\": 429}"))
    return;

  if (g_str_equal (request, "GET /v1/users/me"))
    answer (msg, 200, "{\"success\": true, \"data\": {\"id\": 1, \"name\": \"Booth Team\", "
                      "\"company_name\": \"Fairlead Test GmbH\"}}");
  else if (g_str_equal (request, "GET /v1/leadLabels"))
    /* "Get all lead labels": the account starts with Hot, Warm, Cold. */
    answer (msg, 200, "{\"success\": true, \"data\": ["
                      "{\"id\": \"f08b42a0-4e75-11ea-9643-03698ef1cfd6\", \"name\": \"Hot\", \"color\": \"red\"}, "
                      "{\"id\": \"f08b42a1-4e75-11ea-9643-03698ef1cfd6\", \"name\": \"Warm\", \"color\": \"yellow\"}, "
                      "{\"id\": \"f08b42a2-4e75-11ea-9643-03698ef1cfd6\", \"name\": \"Cold\", \"color\": \"blue\"}]}");
  else if (g_str_equal (request, "GET /v1/organizations/search"))
    {
      g_autofree char *json = pipedrive_search (self->organizations, query, FALSE);
      answer (msg, 200, json);
    }
  else if (g_str_equal (request, "GET /v1/persons/search"))
    {
      g_autofree char *json = pipedrive_search (self->persons, query, TRUE);
      answer (msg, 200, json);
    }
  else if (g_str_equal (request, "POST /v1/organizations") && body != NULL &&
           json_object_has_member (body, "name"))
    pipedrive_create (self, msg, self->organizations, body, FALSE, request);
  else if (g_str_equal (request, "POST /v1/persons") && body != NULL &&
           json_object_has_member (body, "name"))
    {
      const char *email = primary_email (body);

      /* A refused record: 400 with "success": false and the reason. */
      if (email != NULL && strstr (email, "bad") != NULL)
        {
          g_autofree char *json = g_strdup_printf ("{\"success\": false, \"error\": \"Invalid "
                                                   "email address %s\", \"errorCode\": 400}",
                                                   email);
          answer (msg, 400, json);
        }
      else
        pipedrive_create (self, msg, self->persons, body, FALSE, request);
    }
  else if (g_str_has_prefix (request, "PUT /v1/persons/") && body != NULL)
    {
      if ((object = pipedrive_find (self->persons, path + strlen ("/v1/persons/"))) == NULL)
        answer (msg, 404, not_found);
      else
        {
          g_autofree char *json = NULL;
          merge (object, body);
          json = pipedrive_data (object);
          answer (msg, 200, json);
        }
    }
  else if (g_str_equal (request, "GET /v1/leads"))
    {
      g_autofree char *json = pipedrive_list (self->leads, "person_id",
                                              query ? g_hash_table_lookup (query, "person_id") : NULL);
      answer (msg, 200, json);
    }
  else if (g_str_equal (request, "POST /v1/leads") && body != NULL)
    {
      /* "Add a lead": title, and a person_id or organization_id; the
       * label_ids must be labels of the account. */
      JsonArray *labels = json_object_has_member (body, "label_ids")
                            ? json_object_get_array_member (body, "label_ids")
                            : NULL;
      gboolean ok = json_object_has_member (body, "title") &&
                    (json_object_has_member (body, "person_id") ||
                     json_object_has_member (body, "organization_id"));

      for (guint i = 0; ok && labels != NULL && i < json_array_get_length (labels); i++)
        ok = g_str_has_prefix (json_array_get_string_element (labels, i), "f08b42a");
      if (!ok)
        answer (msg, 400, "{\"success\": false, \"error\": \"Validation failed\", "
                          "\"errorCode\": 400}");
      else
        pipedrive_create (self, msg, self->leads, body, TRUE, request);
    }
  else if (g_str_has_prefix (request, "PATCH /v1/leads/") && body != NULL)
    {
      if ((object = pipedrive_find (self->leads, path + strlen ("/v1/leads/"))) == NULL)
        answer (msg, 404, not_found);
      else
        {
          g_autofree char *json = NULL;
          merge (object, body);
          json = pipedrive_data (object);
          answer (msg, 200, json);
        }
    }
  else if (g_str_equal (request, "GET /v1/notes"))
    {
      g_autofree char *json = pipedrive_list (self->notes, "lead_id",
                                              query ? g_hash_table_lookup (query, "lead_id") : NULL);
      answer (msg, 200, json);
    }
  else if (g_str_equal (request, "POST /v1/notes") && body != NULL &&
           json_object_has_member (body, "content") && json_object_has_member (body, "lead_id"))
    pipedrive_create (self, msg, self->notes, body, FALSE, request);
  else if (g_str_has_prefix (request, "PUT /v1/notes/") && body != NULL)
    {
      if ((object = pipedrive_find (self->notes, path + strlen ("/v1/notes/"))) == NULL)
        answer (msg, 404, not_found);
      else
        {
          g_autofree char *json = NULL;
          merge (object, body);
          json = pipedrive_data (object);
          answer (msg, 200, json);
        }
    }
  else
    answer (msg, 404, "{\"success\": false, \"error\": \"Unknown method .\", \"errorCode\": 404}");
}

static JsonObject *
find_by (GPtrArray *objects, const char *member, gint64 value)
{
  for (guint i = 0; i < objects->len; i++)
    if (json_object_get_int_member_with_default (objects->pdata[i], member, -1) == value)
      return objects->pdata[i];
  return NULL;
}

/* Each delivered lead is one person, one lead and one note. */
static void
assert_pipedrive_once (Fixture *f, Crm *crm, guint bad)
{
  for (guint i = 0; i < f->uuids->len; i++)
    {
      g_autofree char *remote = outbox_value (f, i, "remote_id");
      g_autoptr(JsonNode) made = NULL;
      JsonObject *ids;
      guint n_persons = 0, n_leads = 0, n_notes = 0;
      gint64 person;
      const char *lead;

      for (guint j = 0; j < crm->persons->len; j++)
        if (g_strcmp0 (primary_email (crm->persons->pdata[j]), f->emails->pdata[i]) == 0)
          n_persons++;
      if (i == bad)
        {
          g_assert_cmpuint (n_persons, ==, 0);
          continue;
        }
      g_assert_cmpuint (n_persons, ==, 1);
      made = json_from_string (remote, NULL);
      g_assert_nonnull (made);
      ids = json_node_get_object (made);
      person = json_object_get_int_member (ids, "person");
      lead = json_object_get_string_member (ids, "lead");
      for (guint j = 0; j < crm->leads->len; j++)
        if (json_object_get_int_member (crm->leads->pdata[j], "person_id") == person)
          n_leads++;
      for (guint j = 0; j < crm->notes->len; j++)
        if (g_strcmp0 (json_object_get_string_member (crm->notes->pdata[j], "lead_id"), lead) == 0)
          n_notes++;
      g_assert_cmpuint (n_leads, ==, 1);
      g_assert_cmpuint (n_notes, ==, 1);
      g_assert_nonnull (find_by (crm->persons, "id", person));
    }
}

static void
test_pipedrive_batch (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) again = { 0 };
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;
  g_autoptr(JsonNode) made = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *seeded, *lead, *ids;
  JsonArray *labels;

  /* visitor1 is in Pipedrive already: updated, not made twice. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"id\": 9001, \"name\": \"V. One\", \"email\": "
                                                 "[{\"value\": \"visitor1@example.com\", "
                                                 "\"primary\": true}]}", NULL);
    seeded = json_object_ref (json_node_get_object (node));
    g_ptr_array_add (crm->persons, seeded);
  }
  add_leads (f, 12, 3);
  add_connector (f, "pd", "pipedrive", crm->http.url, NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 11);
  g_assert_cmpuint (summary.failed, ==, 1);
  g_assert_cmpstr (crm->last_authorization, ==, PIPEDRIVE_TOKEN);
  reason = outbox_value (f, 3, "last_error");
  g_assert_cmpstr (reason, ==, "Pipedrive: Invalid email address bad-3@example (HTTP 400)");
  g_assert_cmpuint (crm->persons->len, ==, 11);
  g_assert_cmpuint (crm->organizations->len, ==, 2);
  g_assert_cmpuint (crm->leads->len, ==, 11);
  g_assert_cmpuint (crm->notes->len, ==, 11);
  g_assert_cmpstr (json_object_get_string_member (seeded, "name"), ==, "Visitor1 Muster");
  assert_pipedrive_once (f, crm, 3);
  assert_done_except (f, 3);

  /* Lead 0 is a SAL: labelled Hot; lead 1 an MQL: Warm. */
  remote = outbox_value (f, 0, "remote_id");
  made = json_from_string (remote, NULL);
  ids = json_node_get_object (made);
  lead = find_by (crm->leads, "person_id", json_object_get_int_member (ids, "person"));
  g_assert_cmpstr (json_object_get_string_member (lead, "title"), ==, "Visitor at Hannover Messe");
  labels = json_object_get_array_member (lead, "label_ids");
  g_assert_cmpstr (json_array_get_string_element (labels, 0), ==,
                   "f08b42a0-4e75-11ea-9643-03698ef1cfd6");
  g_assert_cmpint (json_object_get_int_member (lead, "organization_id"), ==,
                   json_object_get_int_member (ids, "org"));
  g_assert_cmpstr (json_object_get_string_member (lead, "id"), ==,
                   json_object_get_string_member (ids, "lead"));
  g_assert_nonnull (strstr (json_object_get_string_member (
                              find_by (crm->notes, "id", json_object_get_int_member (ids, "note")),
                              "content"),
                            "Wants a demo in June"));

  /* Saved again, an MQL now with a new address no search would find: the
   * kept ids are updated, nothing is made. */
  {
    g_autoptr(FlLead) saved = fl_store_get_lead (f->base.store, f->uuids->pdata[0], &error);
    g_assert_no_error (error);
    fl_lead_set_status (saved, FL_STATUS_MQL);
    fl_lead_set_field (saved, FL_FIELD_EMAIL, "v0.new@example.org");
    g_free (f->emails->pdata[0]);
    f->emails->pdata[0] = g_strdup ("v0.new@example.org");
    fl_store_save_lead (f->base.store, saved, "test", &error);
    g_assert_no_error (error);
  }
  upload (f, 0, &again);
  g_assert_cmpuint (again.delivered, ==, 1);
  g_assert_cmpuint (crm->persons->len, ==, 11);
  g_assert_cmpuint (crm->leads->len, ==, 11);
  g_assert_cmpuint (crm->notes->len, ==, 11);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (lead, "label_ids"), 0),
                   ==, "f08b42a1-4e75-11ea-9643-03698ef1cfd6");
  assert_pipedrive_once (f, crm, 3);
}

static void
test_pipedrive_token_expiry (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  crm->token_uses = 9;
  add_leads (f, 6, G_MAXUINT);
  add_connector (f, "pd-oauth", "pipedrive", crm->http.url, "client_id", "pd-client", "login_url",
                 crm->http.url, NULL);
  upload (f, 0, &summary);

  g_assert_cmpuint (summary.delivered, ==, 6);
  g_assert_cmpuint (summary.retried, ==, 0);
  g_assert_cmpuint (crm->n_tokens, >=, 3);
  g_assert_true (g_str_has_prefix (crm->last_authorization, "Bearer tok-"));
  g_assert_cmpuint (crm->persons->len, ==, 6);
  g_assert_cmpuint (crm->leads->len, ==, 6);
  g_assert_cmpuint (crm->notes->len, ==, 6);
  assert_pipedrive_once (f, crm, G_MAXUINT);
}

/* A 429 in the middle of a batch: the batch waits as asked, and the leads
 * already made are not made again. */
static void
test_pipedrive_retry_after (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *remote = NULL;
  gint64 gap;
  guint busy_at;

  crm->busy_once = TRUE;
  crm->busy_after = 12;
  crm->retry_after = 1;
  add_leads (f, 5, G_MAXUINT);
  add_connector (f, "pd", "pipedrive", crm->http.url, NULL);
  upload (f, 0, &first);
  g_assert_cmpint (first.pending, ==, 5);
  /* What was made before the 429 is kept, lead by lead: all of the first
   * SAL (lead 0), the person of the second (lead 4); the MQLs wait. */
  remote = outbox_value (f, 0, "remote_id");
  g_assert_nonnull (remote);
  g_assert_nonnull (strstr (remote, "\"note\""));
  g_clear_pointer (&remote, g_free);
  remote = outbox_value (f, 4, "remote_id");
  g_assert_nonnull (remote);
  g_assert_nonnull (strstr (remote, "\"person\""));
  g_assert_null (strstr (remote, "\"lead\""));

  upload (f, 5, &summary);

  g_assert_cmpuint (summary.delivered, ==, 5);
  busy_at = crm->busy_after;
  gap = g_array_index (crm->times, gint64, busy_at + 1) - g_array_index (crm->times, gint64, busy_at);
  g_assert_cmpint (gap, >=, G_USEC_PER_SEC - 10000);
  g_assert_cmpuint (crm->persons->len, ==, 5);
  g_assert_cmpuint (crm->leads->len, ==, 5);
  g_assert_cmpuint (crm->notes->len, ==, 5);
  assert_pipedrive_once (f, crm, G_MAXUINT);
}

/* Pipedrive made the person, the lead and the note, each time without the
 * answer arriving: the retries find them (by email, by person, by the
 * note's last line) and make none twice. */
static void
test_pipedrive_dropped (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };

  g_ptr_array_add (crm->drops, g_strdup ("POST /v1/organizations"));
  g_ptr_array_add (crm->drops, g_strdup ("POST /v1/persons"));
  g_ptr_array_add (crm->drops, g_strdup ("POST /v1/leads"));
  g_ptr_array_add (crm->drops, g_strdup ("POST /v1/notes"));
  add_leads (f, 3, G_MAXUINT);
  add_connector (f, "pd", "pipedrive", crm->http.url, NULL);
  upload (f, 30, &summary);

  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (crm->drops->len, ==, 0);
  g_assert_cmpuint (crm->organizations->len, ==, 2);
  g_assert_cmpuint (crm->persons->len, ==, 3);
  g_assert_cmpuint (crm->leads->len, ==, 3);
  g_assert_cmpuint (crm->notes->len, ==, 3);
  assert_pipedrive_once (f, crm, G_MAXUINT);
  assert_done_except (f, G_MAXUINT);
}

/* A card without an email: the person made before the lost answer is
 * found by name within its organisation. A lead deleted in Pipedrive since
 * is made anew when the lead is sent again. */
static void
test_pipedrive_no_email (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) again = { 0 };
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *first_remote = NULL;
  g_autofree char *second_remote = NULL;
  JsonObject *person;

  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Jana Novák");
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Prague Robotics s.r.o.");
  fl_lead_set_field (lead, FL_FIELD_PHONE, "+420 123 456 789");
  fl_test_give_consent (lead, TRUE);
  fl_store_save_lead (f->base.store, lead, "test", &error);
  g_assert_no_error (error);
  g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
  g_ptr_array_add (crm->drops, g_strdup ("POST /v1/persons"));
  add_connector (f, "pd", "pipedrive", crm->http.url, NULL);
  upload (f, 10, &summary);

  g_assert_cmpuint (summary.delivered, ==, 1);
  g_assert_cmpuint (crm->drops->len, ==, 0);
  g_assert_cmpuint (crm->persons->len, ==, 1);
  g_assert_cmpuint (crm->leads->len, ==, 1);
  g_assert_cmpuint (crm->notes->len, ==, 1);
  person = crm->persons->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (person, "name"), ==, "Jana Novák");
  g_assert_cmpint (json_object_get_int_member (person, "org_id"), ==,
                   json_object_get_int_member (crm->organizations->pdata[0], "id"));
  first_remote = outbox_value (f, 0, "remote_id");

  /* Deleted in Pipedrive, then the lead is saved again. */
  g_ptr_array_set_size (crm->leads, 0);
  g_ptr_array_set_size (crm->notes, 0);
  fl_lead_set_notes (lead, "Call back after the fair");
  fl_store_save_lead (f->base.store, lead, "test", &error);
  g_assert_no_error (error);
  upload (f, 0, &again);
  g_assert_cmpuint (again.delivered, ==, 1);
  g_assert_cmpuint (crm->persons->len, ==, 1);
  g_assert_cmpuint (crm->leads->len, ==, 1);
  g_assert_cmpuint (crm->notes->len, ==, 1);
  g_assert_nonnull (strstr (json_object_get_string_member (crm->notes->pdata[0], "content"),
                            "Call back after the fair"));
  second_remote = outbox_value (f, 0, "remote_id");
  g_assert_cmpstr (first_remote, !=, second_remote);
  g_assert_nonnull (strstr (second_remote, json_object_get_string_member (crm->leads->pdata[0], "id")));
}

static void
test_pipedrive_test (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlConnector) good = NULL;
  g_autoptr(FlConnector) label = NULL;
  g_autoptr(FlConnector) bad = NULL;

  add_connector (f, "pd", "pipedrive", crm->http.url, NULL);
  add_connector (f, "pd-label", "pipedrive", crm->http.url, "label_sal", "Sehr heiß", NULL);
  add_connector (f, "pd-bad", "pipedrive", crm->http.url, NULL);

  good = get_connector (f, "pd");
  g_assert_true (fl_connector_test (good, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "Fairlead Test GmbH"));
  g_assert_nonnull (strstr (report->str, "“Hot”"));

  label = get_connector (f, "pd-label");
  g_assert_false (fl_connector_test (label, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "Sehr heiß"));
  g_clear_error (&error);

  bad = get_connector (f, "pd-bad");
  g_assert_false (fl_connector_test (bad, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "unauthorized access"));
}

/* The command line */

static int
run_cli (Fixture *f, char **out, char **err, ...)
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
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, err, &error);
  g_assert_no_error (error);
  return g_subprocess_get_exit_status (process);
}

/* connector add, connector test and upload, as a back office runs them. */
static void
test_cli (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new ();
  g_autofree char *tenant = NULL;
  g_autofree char *login = g_strdup_printf ("login_url=%s", crm->http.url);
  char *out = NULL, *err = NULL;
  int status;

  add_leads (f, 3, G_MAXUINT);
  tenant = g_strdup ("tenant=" TENANT);
  status = run_cli (f, &out, &err, "connector", "add", "d365", "--type", "dynamics", "--url",
                    crm->http.url, "--option", tenant, "--option", "client_id=d365-app", "--option",
                    login, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "connector", "test", "d365", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "active alternate key “fairlead_uuid”"));
  g_assert_nonnull (strstr (out, "Connector “d365” works."));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  status = run_cli (f, &out, &err, "upload", NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_cmpuint (g_hash_table_size (crm->records), ==, 3);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A refused client secret: 77, with the login server's words. */
  status = run_cli (f, &out, &err, "connector", "add", "d365-bad", "--type", "dynamics", "--url",
                    crm->http.url, "--option", tenant, "--option", "client_id=d365-app", "--option",
                    login, NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  status = run_cli (f, &out, &err, "connector", "test", "d365-bad", NULL);
  g_assert_cmpint (status, ==, 77);
  g_assert_nonnull (strstr (err, "AADSTS7000215"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* A type the CLI does not know lists the ones it does. */
  status = run_cli (f, &out, &err, "connector", "add", "x", "--type", "dynamix", NULL);
  g_assert_cmpint (status, ==, 78);
  g_assert_nonnull (strstr (err, "dynamics, zoho, pipedrive"));
  g_free (out);
  g_free (err);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_setenv ("FAIRLEAD_SECRET_D365", D365_SECRET, TRUE);
  g_setenv ("FAIRLEAD_SECRET_D365_KEY", D365_SECRET, TRUE);
  g_setenv ("FAIRLEAD_SECRET_D365_BAD", "wrong-secret", TRUE);
  g_setenv ("FAIRLEAD_SECRET_ZOHO", ZOHO_CLIENT_SECRET ":" ZOHO_REFRESH, TRUE);
  g_setenv ("FAIRLEAD_SECRET_ZOHO_UUID", ZOHO_CLIENT_SECRET ":" ZOHO_REFRESH, TRUE);
  g_setenv ("FAIRLEAD_SECRET_ZOHO_BAD", ZOHO_CLIENT_SECRET ":1000.revoked", TRUE);
  g_setenv ("FAIRLEAD_SECRET_ZOHO_COLON", ZOHO_REFRESH, TRUE);
  g_setenv ("FAIRLEAD_SECRET_ZOHO_STATUS", ZOHO_CLIENT_SECRET ":" ZOHO_REFRESH, TRUE);
  g_setenv ("FAIRLEAD_SECRET_PD", PIPEDRIVE_TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_PD_LABEL", PIPEDRIVE_TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_PD_BAD", "wrong-token", TRUE);
  g_setenv ("FAIRLEAD_SECRET_PD_OAUTH", PIPEDRIVE_CLIENT_SECRET ":" PIPEDRIVE_REFRESH, TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/crm3/dynamics/batch", test_dynamics_batch);
  ADD ("/crm3/dynamics/token-expiry", test_dynamics_token_expiry);
  ADD ("/crm3/dynamics/retry-after", test_dynamics_retry_after);
  ADD ("/crm3/dynamics/retry-after-part", test_dynamics_retry_after_part);
  ADD ("/crm3/dynamics/dropped", test_dynamics_dropped);
  ADD ("/crm3/dynamics/test", test_dynamics_test);
  ADD ("/crm3/dynamics/certificate", test_dynamics_certificate);
  ADD ("/crm3/zoho/batch", test_zoho_batch);
  ADD ("/crm3/zoho/token-expiry", test_zoho_token_expiry);
  ADD ("/crm3/zoho/retry-after", test_zoho_retry_after);
  ADD ("/crm3/zoho/dropped", test_zoho_dropped);
  ADD ("/crm3/zoho/test", test_zoho_test);
  ADD ("/crm3/pipedrive/batch", test_pipedrive_batch);
  ADD ("/crm3/pipedrive/token-expiry", test_pipedrive_token_expiry);
  ADD ("/crm3/pipedrive/retry-after", test_pipedrive_retry_after);
  ADD ("/crm3/pipedrive/dropped", test_pipedrive_dropped);
  ADD ("/crm3/pipedrive/no-email", test_pipedrive_no_email);
  ADD ("/crm3/pipedrive/test", test_pipedrive_test);
  ADD ("/crm3/cli", test_cli);
#undef ADD

  return g_test_run ();
}
