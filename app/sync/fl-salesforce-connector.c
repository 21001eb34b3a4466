/* fl-salesforce-connector.c: leads as Salesforce Leads (composite upsert)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-salesforce"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-jwt.h"
#include "fl-secret.h"
#include "fl-sync.h"

#define MAX_RECORDS 200
#define MAX_DESCRIPTION 32000

#define DEFAULT_LOGIN_URL "https://login.salesforce.com"
#define TOKEN_PATH "/services/oauth2/token"
#define JWT_LIFETIME_SECONDS 180

typedef enum
{
  AUTH_TOKEN,          /* a session token given as the secret */
  AUTH_JWT,            /* OAuth 2.0 JWT bearer flow; the secret is the private key */
  AUTH_REFRESH_TOKEN,  /* OAuth 2.0 refresh token flow; the secret is the refresh token */
  AUTH_UNKNOWN,
} AuthKind;

struct _FlSalesforceConnector
{
  FlConnector parent_instance;

  /* From the token endpoint, in memory only, for as long as the run. */
  char *access_token;
  char *instance_url;
};

G_DEFINE_FINAL_TYPE (FlSalesforceConnector, fl_salesforce_connector, FL_TYPE_CONNECTOR)

static const struct
{
  const char *name;
  FlField     field;
} field_map[] = {
  { "FirstName", FL_FIELD_FIRST_NAME },
  { "Email", FL_FIELD_EMAIL },
  { "Phone", FL_FIELD_PHONE },
  { "MobilePhone", FL_FIELD_MOBILE },
  { "Title", FL_FIELD_TITLE },
  { "City", FL_FIELD_CITY },
  { "Country", FL_FIELD_COUNTRY },
  { "Website", FL_FIELD_WEBSITE },
};

static const char *
external_id_field (FlConnector *self)
{
  return fl_connector_get_option (self, "external_id_field", "Fairlead_UUID__c");
}

static char *
api_path (FlConnector *self, const char *rest)
{
  return g_strdup_printf ("/services/data/%s%s",
                          fl_connector_get_option (self, "api_version", "v59.0"), rest);
}

static AuthKind
auth_kind (FlConnector *self)
{
  const char *auth = fl_connector_get_option (self, "auth", "token");

  if (g_str_equal (auth, "token"))
    return AUTH_TOKEN;
  if (g_str_equal (auth, "jwt"))
    return AUTH_JWT;
  if (g_str_equal (auth, "refresh_token"))
    return AUTH_REFRESH_TOKEN;
  return AUTH_UNKNOWN;
}

static void
wipe (char *text)
{
  if (text != NULL)
    memset (text, 0, strlen (text));
}

static void
forget_token (FlSalesforceConnector *self)
{
  wipe (self->access_token);
  g_clear_pointer (&self->access_token, g_free);
  g_clear_pointer (&self->instance_url, g_free);
}

static char *
token_url (FlConnector *self)
{
  const char *login = fl_connector_get_option (self, "login_url", DEFAULT_LOGIN_URL);
  gsize length = strlen (login);

  while (length > 0 && login[length - 1] == '/')
    length--;
  return g_strdup_printf ("%.*s%s", (int) length, login, TOKEN_PATH);
}

static char *
jwt_assertion (FlConnector *self, const char *private_key, GError **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) claims = NULL;
  g_autofree char *text = NULL;

  /* iss: the connected app's consumer key; sub: the user the app acts
   * as; aud: the login server; exp: a few minutes from now. */
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "iss");
  json_builder_add_string_value (builder, fl_connector_get_option (self, "client_id", ""));
  json_builder_set_member_name (builder, "sub");
  json_builder_add_string_value (builder, fl_connector_get_option (self, "username", ""));
  json_builder_set_member_name (builder, "aud");
  json_builder_add_string_value (builder, fl_connector_get_option (self, "login_url",
                                                                   DEFAULT_LOGIN_URL));
  json_builder_set_member_name (builder, "exp");
  json_builder_add_int_value (builder, g_get_real_time () / G_USEC_PER_SEC + JWT_LIFETIME_SECONDS);
  json_builder_end_object (builder);
  claims = json_builder_get_root (builder);
  text = json_to_string (claims, FALSE);
  return _fl_jwt_sign_rs256 (private_key, text, error);
}

/* Gets an access token and the instance URL from the login server; on
 * failure, sets @batch's status and says why. */
static gboolean
fetch_token (FlSalesforceConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *headers[] = { "Content-Type: application/x-www-form-urlencoded",
                            "Accept: application/json", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *url = token_url (connector);
  g_autofree char *form = NULL;
  g_autofree char *said = NULL;
  g_autofree char *message = NULL;
  FlHttpResponse response = { 0 };
  const char *token = NULL, *instance = NULL;

  forget_token (self);
  secret = _fl_connector_get_secret (connector, TRUE, &error);
  if (secret == NULL)
    {
      fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
      return FALSE;
    }
  if (auth_kind (connector) == AUTH_JWT)
    {
      g_autofree char *assertion = jwt_assertion (connector, secret, &error);

      wipe (secret);
      if (assertion == NULL)
        {
          fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
          return FALSE;
        }
      form = g_strconcat ("grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Ajwt-bearer"
                          "&assertion=", assertion, NULL);
    }
  else
    {
      g_autofree char *client_id =
        g_uri_escape_string (fl_connector_get_option (connector, "client_id", ""), NULL, FALSE);
      g_autofree char *refresh = g_uri_escape_string (secret, NULL, FALSE);

      wipe (secret);
      form = g_strconcat ("grant_type=refresh_token&client_id=", client_id, "&refresh_token=",
                          refresh, NULL);
      wipe (refresh);
    }

  _fl_connector_http (connector, "POST", url, headers, form, strlen (form), &response,
                      cancellable, NULL);
  wipe (form);
  if (response.curl_code == 0 && (response.status == 400 || response.status == 401))
    {
      /* {"error": "invalid_grant", "error_description": "…"} */
      g_autofree char *env = fl_secret_env_name (fl_connector_get_name (connector));

      said = _fl_connector_server_message (&response);
      message = g_strdup_printf (_("Salesforce’s login server refused the token request (HTTP %ld: "
                                   "%s). Check the options client_id, username and login_url and "
                                   "the connector’s secret (“fairlead-cli connector secret %s” or "
                                   "%s), then upload again."),
                                 response.status, said, fl_connector_get_name (connector), env);
      fl_sync_batch_set (batch, FL_SEND_STOP, message);
      _fl_http_response_clear (&response);
      return FALSE;
    }
  if (!_fl_connector_check_response (connector, &response, batch))
    {
      _fl_http_response_clear (&response);
      return FALSE;
    }
  root = _fl_connector_parse_body (&response);
  _fl_http_response_clear (&response);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      token = json_object_get_string_member_with_default (json_node_get_object (root),
                                                          "access_token", NULL);
      instance = json_object_get_string_member_with_default (json_node_get_object (root),
                                                             "instance_url", NULL);
    }
  if (token == NULL || token[0] == '\0' || instance == NULL ||
      !(g_str_has_prefix (instance, "https://") || g_str_has_prefix (instance, "http://")))
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY,
                         _("Salesforce’s login server answered without an access token and "
                           "instance URL"));
      return FALSE;
    }
  self->access_token = g_strdup (token);
  self->instance_url = g_strdup (instance);
  while (g_str_has_suffix (self->instance_url, "/"))
    self->instance_url[strlen (self->instance_url) - 1] = '\0';
  g_debug ("%s: access token for %s", fl_connector_get_name (connector), self->instance_url);
  return TRUE;
}

/* Whether a 403's body is Salesforce's "API request limit reached", which
 * passes once the org's rolling 24-hour count goes down. */
static gboolean
is_request_limit (FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *first;

  if (response->status != 403)
    return FALSE;
  root = _fl_connector_parse_body (response);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (json_node_get_array (root)) == 0)
    return FALSE;
  first = json_array_get_element (json_node_get_array (root), 0);
  return JSON_NODE_HOLDS_OBJECT (first) &&
         g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (first),
                                                                "errorCode", NULL),
                    "REQUEST_LIMIT_EXCEEDED") == 0;
}

/* One REST API request with the session: fetches a token first when an
 * OAuth flow is set up, and once more when the session expired on the
 * way (401 INVALID_SESSION_ID). Sets @batch's status unless the answer
 * is a success.
 *
 * Returns: %TRUE for a 2xx answer in @response */
static gboolean
api_request (FlSalesforceConnector *self, const char *method, const char *path,
             const char *const *extra_headers, const char *body, FlHttpResponse *response,
             FlSyncBatch *batch, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  gboolean oauth = auth_kind (connector) != AUTH_TOKEN;

  for (guint attempt = 0;; attempt++)
    {
      g_autoptr(GPtrArray) headers = g_ptr_array_new ();
      g_autofree char *authorization = NULL;
      g_autofree char *url = NULL;
      g_autoptr(GError) error = NULL;

      if (oauth && self->access_token == NULL && !fetch_token (self, batch, cancellable))
        return FALSE;
      if (oauth)
        authorization = g_strdup_printf ("Authorization: Bearer %s", self->access_token);
      else if (!_fl_connector_bearer_header (connector, &authorization, &error))
        {
          fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
          return FALSE;
        }
      url = self->instance_url ? g_strconcat (self->instance_url, path, NULL)
                               : _fl_connector_build_url (connector, NULL, path);
      g_ptr_array_add (headers, authorization);
      g_ptr_array_add (headers, (gpointer) "Accept: application/json");
      if (body != NULL)
        g_ptr_array_add (headers, (gpointer) "Content-Type: application/json");
      for (guint i = 0; extra_headers != NULL && extra_headers[i] != NULL; i++)
        g_ptr_array_add (headers, (gpointer) extra_headers[i]);
      g_ptr_array_add (headers, NULL);
      _fl_connector_http (connector, method, url, (const char *const *) headers->pdata, body,
                          body ? strlen (body) : 0, response, cancellable, NULL);
      wipe (authorization);
      if (oauth && attempt == 0 && response->curl_code == 0 && response->status == 401)
        {
          /* Sessions end (timeout, logout, a revoked token): one new one. */
          g_debug ("%s: session expired; getting a new token", fl_connector_get_name (connector));
          forget_token (self);
          continue;
        }
      break;
    }

  if (response->curl_code == 0 && is_request_limit (response))
    {
      g_autofree char *said = _fl_connector_server_message (response);
      g_autofree char *message =
        g_strdup_printf (_("Salesforce’s API request limit for the org is reached (%s); the "
                           "leads wait and go once the limit allows"),
                         said);

      fl_sync_batch_set (batch, FL_SEND_RETRY, message);
      batch->retry_after = response->retry_after;
      return FALSE;
    }
  return _fl_connector_check_response (connector, response, batch);
}

static void
add_field (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static char *
answer_text (JsonNode *value)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  if (JSON_NODE_HOLDS_ARRAY (value))
    {
      JsonArray *array = json_node_get_array (value);
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *part = answer_text (json_array_get_element (array, i));
          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, part);
        }
      return g_string_free (text, FALSE);
    }
  return json_to_string (value, FALSE);
}

/* Notes, answers and the score, for the person who calls the lead. */
static char *
build_description (FlSyncBatch *batch, FlLead *lead)
{
  GString *text = g_string_new (NULL);
  JsonNode *answers = fl_lead_get_answers (lead);
  const char *event_name = NULL;

  if (batch->event != NULL && JSON_NODE_HOLDS_OBJECT (batch->event))
    event_name = json_object_get_string_member_with_default (json_node_get_object (batch->event),
                                                             "name", NULL);
  if (event_name != NULL)
    g_string_append_printf (text, "Event: %s\n", event_name);
  g_string_append_printf (text, "Fairlead score: %d (%s)\n", fl_lead_get_score (lead),
                          fl_status_to_string (fl_lead_get_status (lead)));
  if (fl_lead_get_notes (lead) != NULL)
    g_string_append_printf (text, "\n%s\n", fl_lead_get_notes (lead));
  if (answers != NULL && JSON_NODE_HOLDS_OBJECT (answers) &&
      json_object_get_size (json_node_get_object (answers)) > 0)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      g_string_append (text, "\nAnswers:\n");
      json_object_iter_init (&iter, json_node_get_object (answers));
      while (json_object_iter_next (&iter, &question, &value))
        {
          g_autofree char *answer = answer_text (value);
          g_string_append_printf (text, "- %s: %s\n", question, answer);
        }
    }
  if (text->len > MAX_DESCRIPTION)
    {
      const char *end = g_utf8_find_prev_char (text->str, text->str + MAX_DESCRIPTION);
      g_string_truncate (text, end ? end - text->str : 0);
    }
  return g_string_free (text, FALSE);
}

static void
add_record (FlConnector *self, JsonBuilder *builder, FlSyncBatch *batch, FlLead *lead)
{
  const char *last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  const char *company = fl_lead_get_field (lead, FL_FIELD_COMPANY);
  g_autofree char *description = build_description (batch, lead);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Lead");
  json_builder_end_object (builder);
  add_field (builder, external_id_field (self), fl_lead_get_uuid (lead));
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    add_field (builder, field_map[i].name, fl_lead_get_field (lead, field_map[i].field));
  /* Salesforce requires LastName and Company on every Lead. */
  if (last == NULL)
    last = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  add_field (builder, "LastName",
             last ? last : fl_connector_get_option (self, "placeholder", "[not provided]"));
  add_field (builder, "Company",
             company ? company : fl_connector_get_option (self, "placeholder", "[not provided]"));
  add_field (builder, "LeadSource", fl_connector_get_option (self, "lead_source", "Trade Show"));
  add_field (builder, "Status",
             _fl_connector_map_status (self, fl_lead_get_status (lead), "status",
                                       "Open - Not Contacted", "Working - Contacted",
                                       "Closed - Not Converted"));
  add_field (builder, "Description", description);
  json_builder_end_object (builder);
}

static gboolean
is_transient_code (const char *code)
{
  return code != NULL && (g_str_equal (code, "UNABLE_TO_LOCK_ROW") ||
                          g_str_equal (code, "SERVER_UNAVAILABLE") ||
                          g_str_equal (code, "REQUEST_LIMIT_EXCEEDED"));
}

static void
read_answer (FlSyncBatch *batch, FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  JsonArray *results;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (json_node_get_array (root)) != batch->items->len)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY,
                         _("Salesforce’s answer does not have one result per lead"));
      return;
    }
  results = json_node_get_array (root);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *result;
      JsonNode *errors;
      GString *message;
      gboolean transient = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          fl_sync_item_set (item, FL_ITEM_RETRY, NULL, _("Salesforce gave no result for this lead"));
          continue;
        }
      result = json_node_get_object (element);
      if (json_object_get_boolean_member_with_default (result, "success", FALSE))
        {
          fl_sync_item_set (item, FL_ITEM_DONE,
                            json_object_get_string_member_with_default (result, "id", NULL), NULL);
          continue;
        }
      message = g_string_new ("Salesforce:");
      errors = json_object_get_member (result, "errors");
      for (guint j = 0; errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) &&
                        j < json_array_get_length (json_node_get_array (errors)); j++)
        {
          JsonNode *error = json_array_get_element (json_node_get_array (errors), j);
          const char *code, *text;

          if (!JSON_NODE_HOLDS_OBJECT (error))
            continue;
          code = json_object_get_string_member_with_default (json_node_get_object (error),
                                                             "statusCode", NULL);
          text = json_object_get_string_member_with_default (json_node_get_object (error),
                                                             "message", "");
          transient = transient || is_transient_code (code);
          g_string_append_printf (message, " %s%s%s", code ? code : "", code ? ": " : "", text);
        }
      if (message->len == strlen ("Salesforce:"))
        g_string_append (message, _(" the record was refused without a reason"));
      fl_sync_item_set (item, transient ? FL_ITEM_RETRY : FL_ITEM_FAILED, NULL, message->str);
      g_string_free (message, TRUE);
    }
}

static void
fl_salesforce_connector_send (FlConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rest = NULL;
  FlHttpResponse response = { 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "allOrNone");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->items->len; i++)
    add_record (self, builder, batch, ((FlSyncItem *) g_ptr_array_index (batch->items, i))->lead);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  rest = g_strdup_printf ("/composite/sobjects/Lead/%s", external_id_field (self));
  path = api_path (self, rest);
  if (api_request (FL_SALESFORCE_CONNECTOR (self), "PATCH", path, NULL, body, &response, batch,
                   cancellable))
    read_answer (batch, &response);
  _fl_http_response_clear (&response);
}

static gboolean
fl_salesforce_connector_validate (FlConnector *self, GError **error)
{
  const char *field = external_id_field (self);
  const char *version = fl_connector_get_option (self, "api_version", "v59.0");

  switch (auth_kind (self))
    {
    case AUTH_UNKNOWN:
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Salesforce sign-in (option auth): use jwt, refresh_token or "
                     "token"),
                   fl_connector_get_option (self, "auth", ""));
      return FALSE;
    case AUTH_JWT:
    case AUTH_REFRESH_TOKEN:
      {
        const char *login = fl_connector_get_option (self, "login_url", DEFAULT_LOGIN_URL);
        gboolean jwt = auth_kind (self) == AUTH_JWT;

        if (fl_connector_get_option (self, "client_id", NULL) == NULL ||
            (jwt && fl_connector_get_option (self, "username", NULL) == NULL))
          {
            g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                         jwt ? _("Connector “%s” signs in with a JWT and needs the options "
                                 "client_id (the connected app’s consumer key) and username")
                             : _("Connector “%s” signs in with a refresh token and needs the "
                                 "option client_id (the connected app’s consumer key)"),
                         fl_connector_get_name (self));
            return FALSE;
          }
        if (!g_str_has_prefix (login, "https://") && !g_str_has_prefix (login, "http://"))
          {
            g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                         _("“%s” is not a Salesforce login URL such as %s or "
                           "https://test.salesforce.com (option login_url)"),
                         login, DEFAULT_LOGIN_URL);
            return FALSE;
          }
      }
      break;
    case AUTH_TOKEN:
    default:
      break;
    }
  if (auth_kind (self) == AUTH_TOKEN && fl_connector_get_url (self) == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the Salesforce instance URL (--url "
                     "https://yourcompany.my.salesforce.com)"),
                   fl_connector_get_name (self));
      return FALSE;
    }
  for (const char *p = field; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      {
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                     _("“%s” is not a Salesforce field name (option external_id_field)"), field);
        return FALSE;
      }
  if (version[0] != 'v' || strpbrk (version, "/?# ") != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Salesforce API version such as v59.0 (option api_version)"),
                   version);
      return FALSE;
    }
  return TRUE;
}

static guint
fl_salesforce_connector_get_max_batch (FlConnector *self)
{
  return MAX_RECORDS;
}

static gboolean
fl_salesforce_connector_test (FlConnector *self, GString *report, GCancellable *cancellable,
                              GError **error)
{
  FlSalesforceConnector *sf = FL_SALESFORCE_CONNECTOR (self);
  g_autofree char *path = api_path (self, "/sobjects/Lead/describe");
  g_autoptr(FlSyncBatch) batch = fl_sync_batch_new (NULL, NULL);
  g_autoptr(JsonNode) root = NULL;
  FlHttpResponse response = { 0 };
  const char *field = external_id_field (self);
  JsonNode *fields;
  gboolean found = FALSE;

  if (auth_kind (self) == AUTH_TOKEN)
    g_string_append (report, _("Warning: a session token (auth=token) expires with the session, "
                               "often within hours. For a show, sign in with auth=jwt or "
                               "auth=refresh_token.\n"));
  forget_token (sf);
  if (!api_request (sf, "GET", path, NULL, NULL, &response, batch, cancellable))
    {
      g_set_error (error, FL_SYNC_ERROR,
                   batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_AUTH : FL_SYNC_ERROR_HTTP, "%s",
                   batch->message);
      _fl_http_response_clear (&response);
      return FALSE;
    }
  if (sf->instance_url != NULL)
    g_string_append_printf (report, _("Signed in at %s; the instance is %s\n"),
                            fl_connector_get_option (self, "login_url", DEFAULT_LOGIN_URL),
                            sf->instance_url);
  g_string_append_printf (report, _("%s is reachable and accepts the token\n"),
                          sf->instance_url ? sf->instance_url : fl_connector_get_url (self));
  root = _fl_connector_parse_body (&response);
  _fl_http_response_clear (&response);
  fields = root && JSON_NODE_HOLDS_OBJECT (root)
             ? json_object_get_member (json_node_get_object (root), "fields")
             : NULL;
  for (guint i = 0; fields != NULL && JSON_NODE_HOLDS_ARRAY (fields) &&
                    i < json_array_get_length (json_node_get_array (fields)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (fields), i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "name", NULL), field) == 0 &&
          json_object_get_boolean_member_with_default (object, "externalId", FALSE))
        found = TRUE;
    }
  if (!found)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The Lead object has no external id field “%s”. Create it (Text, Unique, "
                     "External ID) or set the option external_id_field."),
                   field);
      return FALSE;
    }
  g_string_append_printf (report, _("Lead has the external id field “%s”\n"), field);
  return TRUE;
}

static void
fl_salesforce_connector_finalize (GObject *object)
{
  forget_token (FL_SALESFORCE_CONNECTOR (object));

  G_OBJECT_CLASS (fl_salesforce_connector_parent_class)->finalize (object);
}

static void
fl_salesforce_connector_class_init (FlSalesforceConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  object_class->finalize = fl_salesforce_connector_finalize;

  connector_class->validate = fl_salesforce_connector_validate;
  connector_class->get_max_batch = fl_salesforce_connector_get_max_batch;
  connector_class->send = fl_salesforce_connector_send;
  connector_class->test = fl_salesforce_connector_test;
}

static void
fl_salesforce_connector_init (FlSalesforceConnector *self)
{
}
