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
#include "fl-oauth.h"
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
  char *campaign_id;   /* the option campaign, resolved once */
};

G_DEFINE_FINAL_TYPE (FlSalesforceConnector, fl_salesforce_connector, FL_TYPE_CONNECTOR)

/* Lead field ← lead field, with the standard field's length in
 * characters (Object Reference, Lead), to which values are cut. */
static const struct
{
  const char *name;
  FlField     field;
  guint       length;
} field_map[] = {
  { "FirstName", FL_FIELD_FIRST_NAME, 40 },
  { "Email", FL_FIELD_EMAIL, 80 },
  { "Phone", FL_FIELD_PHONE, 40 },
  { "MobilePhone", FL_FIELD_MOBILE, 40 },
  { "Title", FL_FIELD_TITLE, 128 },
  { "City", FL_FIELD_CITY, 40 },
  { "Country", FL_FIELD_COUNTRY, 80 },
  { "Website", FL_FIELD_WEBSITE, 255 },
};

#define LAST_NAME_LENGTH 80
#define COMPANY_LENGTH 255
#define SUBJECT_LENGTH 255
#define LOOKUP_CHUNK 50   /* people per lookup query */

/* How a lead meets what the org has already. */
typedef enum
{
  MATCH_NEW,          /* nobody with this email or uuid: a new Lead */
  MATCH_LEAD_UUID,    /* our Lead, sent before: updated by the external id */
  MATCH_LEAD_EMAIL,   /* a Lead someone else entered: updated by its Id */
  MATCH_CONTACT,      /* a Contact (or a Lead converted to one): a Task on it */
} Match;

typedef struct
{
  FlSyncItem *item;
  Match       match;
  char       *id;      /* the Lead's or Contact's Id, for every match but NEW */
} Visit;

static void
visit_free (Visit *visit)
{
  g_free (visit->id);
  g_free (visit);
}

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
  return _fl_jwt_sign_rs256 (private_key, NULL, text, error);
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
  GString *form;
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
  form = g_string_new (NULL);
  if (auth_kind (connector) == AUTH_JWT)
    {
      g_autofree char *assertion = jwt_assertion (connector, secret, &error);

      wipe (secret);
      if (assertion == NULL)
        {
          _fl_oauth_form_free (form);
          fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
          return FALSE;
        }
      _fl_oauth_form_append (form, "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer");
      _fl_oauth_form_append (form, "assertion", assertion);
    }
  else
    {
      _fl_oauth_form_append (form, "grant_type", "refresh_token");
      _fl_oauth_form_append (form, "client_id",
                             fl_connector_get_option (connector, "client_id", ""));
      _fl_oauth_form_append (form, "refresh_token", secret);
      wipe (secret);
    }

  _fl_connector_http (connector, "POST", url, headers, form->str, form->len, &response,
                      cancellable, NULL);
  _fl_oauth_form_free (form);
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
      batch->http_status = response.status;
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
      batch->http_status = response->status;
      return FALSE;
    }
  return _fl_connector_check_response (connector, response, batch);
}

/* Sets @name to @value cut to @length characters (0: no limit):
 * Salesforce refuses a value that is too long, and a lead is not lost
 * for a long job title. */
static void
add_field (JsonBuilder *builder, const char *name, const char *value, guint length)
{
  g_autofree char *cut = NULL;

  if (value == NULL || value[0] == '\0')
    return;
  if (length > 0 && g_utf8_strlen (value, -1) > length)
    value = cut = g_utf8_substring (value, 0, length);
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

/* A Lead record. @insert: the fields sales own once the Lead exists
 * (Status, LeadSource, the placeholders and the Description) are set only
 * on a new Lead; @id: update that Lead. */
static void
add_record (FlConnector *self, JsonBuilder *builder, FlSyncBatch *batch, FlLead *lead,
            gboolean insert, const char *id)
{
  const char *last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  const char *company = fl_lead_get_field (lead, FL_FIELD_COMPANY);
  const char *placeholder = fl_connector_get_option (self, "placeholder", "[not provided]");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Lead");
  json_builder_end_object (builder);
  if (id != NULL)
    add_field (builder, "id", id, 0);
  add_field (builder, external_id_field (self), fl_lead_get_uuid (lead), 0);
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    add_field (builder, field_map[i].name, fl_lead_get_field (lead, field_map[i].field),
               field_map[i].length);
  /* Salesforce requires LastName and Company on every Lead. */
  if (last == NULL)
    last = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  add_field (builder, "LastName", last ? last : insert ? placeholder : NULL, LAST_NAME_LENGTH);
  add_field (builder, "Company", company ? company : insert ? placeholder : NULL, COMPANY_LENGTH);
  if (insert)
    {
      g_autofree char *description = build_description (batch, lead);

      add_field (builder, "LeadSource", fl_connector_get_option (self, "lead_source", "Trade Show"),
                 0);
      add_field (builder, "Status",
                 _fl_connector_map_status (self, fl_lead_get_status (lead), "status",
                                           "Open - Not Contacted", "Working - Contacted",
                                           "Closed - Not Converted"),
                 0);
      add_field (builder, "Description", description, 0);
    }
  json_builder_end_object (builder);
}

static const char *
event_name (FlSyncBatch *batch)
{
  if (batch->event == NULL || !JSON_NODE_HOLDS_OBJECT (batch->event))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (batch->event), "name",
                                                     NULL);
}

/* The visit as a completed Task on a Lead or Contact that existed: the
 * notes reach sales without touching what they wrote. */
static void
add_task (FlConnector *self, JsonBuilder *builder, FlSyncBatch *batch, Visit *visit)
{
  g_autofree char *description = build_description (batch, visit->item->lead);
  g_autofree char *subject = NULL;
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *event = event_name (batch);

  subject = event ? g_strdup_printf ("Fairlead: visit at %s", event)
                  : g_strdup ("Fairlead: booth visit");
  date = g_date_time_format (now, "%Y-%m-%d");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "attributes");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "Task");
  json_builder_end_object (builder);
  add_field (builder, "WhoId", visit->id, 0);
  add_field (builder, "Subject", subject, SUBJECT_LENGTH);
  add_field (builder, "Status", fl_connector_get_option (self, "task_status", "Completed"), 0);
  add_field (builder, "ActivityDate", date, 0);
  add_field (builder, "Description", description, 0);
  json_builder_end_object (builder);
}

static gboolean
is_transient_code (const char *code)
{
  return code != NULL && (g_str_equal (code, "UNABLE_TO_LOCK_ROW") ||
                          g_str_equal (code, "SERVER_UNAVAILABLE") ||
                          g_str_equal (code, "REQUEST_LIMIT_EXCEEDED"));
}

/* One sObject Collections answer: a result per record of @visits, in
 * order. A success is the visit's Id when it had one (a Task's own Id
 * means little to marketing), else the new record's. */
static gboolean
read_answer (FlSyncBatch *batch, GPtrArray *visits, FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  JsonArray *results;

  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (json_node_get_array (root)) != visits->len)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY,
                         _("Salesforce’s answer does not have one result per lead"));
      return FALSE;
    }
  results = json_node_get_array (root);
  for (guint i = 0; i < visits->len; i++)
    {
      Visit *visit = g_ptr_array_index (visits, i);
      FlSyncItem *item = visit->item;
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
                            visit->id ? visit->id
                                      : json_object_get_string_member_with_default (result, "id",
                                                                                    NULL),
                            NULL);
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
  return TRUE;
}

/* A SOQL string literal: backslash and quote escaped. */
static void
append_literal (GString *soql, const char *value)
{
  g_string_append_c (soql, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '\\')
        g_string_append_c (soql, '\\');
      g_string_append_c (soql, *p);
    }
  g_string_append_c (soql, '\'');
}

/* Runs @soql and adds the answer's pages (JsonNode) to @pages. */
static gboolean
query (FlSalesforceConnector *self, const char *soql, GPtrArray *pages, FlSyncBatch *batch,
       GCancellable *cancellable)
{
  g_autofree char *escaped = g_uri_escape_string (soql, NULL, FALSE);
  g_autofree char *rest = g_strconcat ("/query?q=", escaped, NULL);
  g_autofree char *path = api_path (FL_CONNECTOR (self), rest);

  for (guint page = 0; path != NULL && page < 50; page++)
    {
      FlHttpResponse response = { 0 };
      JsonNode *root;
      JsonObject *object;
      const char *next;

      if (!api_request (self, "GET", path, NULL, NULL, &response, batch, cancellable))
        {
          _fl_http_response_clear (&response);
          return FALSE;
        }
      root = _fl_connector_parse_body (&response);
      _fl_http_response_clear (&response);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_clear_pointer (&root, json_node_unref);
          fl_sync_batch_set (batch, FL_SEND_RETRY,
                             _("Salesforce’s answer to a query was not the expected JSON"));
          return FALSE;
        }
      g_ptr_array_add (pages, root);
      object = json_node_get_object (root);
      next = json_object_get_boolean_member_with_default (object, "done", TRUE)
               ? NULL
               : json_object_get_string_member_with_default (object, "nextRecordsUrl", NULL);
      g_clear_pointer (&path, g_free);
      path = next && g_str_has_prefix (next, "/services/") ? g_strdup (next) : NULL;
    }
  return TRUE;
}

static char *
lower_email (FlLead *lead)
{
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);

  return email && strchr (email, '@') ? g_utf8_strdown (email, -1) : NULL;
}

/* Looks the batch's people up among Leads (by uuid and email) and
 * Contacts (by email), and decides for each what the visit becomes. */
static gboolean
match_visits (FlSalesforceConnector *self, FlSyncBatch *batch, GPtrArray *visits,
              GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *field = external_id_field (connector);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GHashTable) by_uuid = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) lead_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) contact_by_email = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean ok = TRUE;

  /* A query travels in the URL, which Salesforce takes up to 16,384
   * characters: the batch is looked up LOOKUP_CHUNK people at a time. */
  for (guint start = 0; ok && start < batch->items->len; start += LOOKUP_CHUNK)
    {
      g_autoptr(GString) uuids = g_string_new (NULL);
      g_autoptr(GString) emails = g_string_new (NULL);
      g_autoptr(GString) soql = g_string_new (NULL);

      for (guint i = start; i < MIN (start + LOOKUP_CHUNK, batch->items->len); i++)
        {
          FlSyncItem *item = g_ptr_array_index (batch->items, i);
          g_autofree char *email = lower_email (item->lead);

          if (uuids->len > 0)
            g_string_append_c (uuids, ',');
          append_literal (uuids, fl_lead_get_uuid (item->lead));
          if (email != NULL)
            {
              if (emails->len > 0)
                g_string_append_c (emails, ',');
              append_literal (emails, email);
            }
        }
      g_string_printf (soql, "SELECT Id, Email, IsConverted, ConvertedContactId, %s FROM Lead WHERE %s IN (%s)",
                       field, field, uuids->str);
      if (emails->len > 0)
        g_string_append_printf (soql, " OR Email IN (%s)", emails->str);
      ok = query (self, soql->str, pages, batch, cancellable);
      if (ok && emails->len > 0)
        {
          g_string_printf (soql, "SELECT Id, Email FROM Contact WHERE Email IN (%s)", emails->str);
          ok = query (self, soql->str, pages, batch, cancellable);
        }
    }
  if (!ok)
    {
      if (batch->status != FL_SEND_REFUSED)
        return FALSE;
      /* A refused lookup loses no lead: each goes as a Lead upserted on
       * the external id, as if nobody were known. */
      g_message ("%s: cannot look the people up (%s); upserting them as Leads",
                 fl_connector_get_name (connector), batch->message);
      fl_sync_batch_set (batch, FL_SEND_OK, NULL);
      batch->retry_after = -1;
      g_ptr_array_set_size (pages, 0);
    }

  for (guint i = 0; i < pages->len; i++)
    {
      JsonObject *page = json_node_get_object (pages->pdata[i]);
      JsonNode *records = json_object_get_member (page, "records");

      for (guint j = 0; records != NULL && JSON_NODE_HOLDS_ARRAY (records) &&
                        j < json_array_get_length (json_node_get_array (records)); j++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (records), j);
          JsonObject *record, *attributes;
          const char *type, *email, *uuid;

          if (!JSON_NODE_HOLDS_OBJECT (element))
            continue;
          record = json_node_get_object (element);
          attributes = json_object_has_member (record, "attributes") &&
                           JSON_NODE_HOLDS_OBJECT (json_object_get_member (record, "attributes"))
                         ? json_object_get_object_member (record, "attributes")
                         : NULL;
          type = attributes ? json_object_get_string_member_with_default (attributes, "type", "") : "";
          if (json_object_get_string_member_with_default (record, "Id", NULL) == NULL)
            continue;
          email = json_object_get_string_member_with_default (record, "Email", NULL);
          if (g_str_equal (type, "Contact"))
            {
              if (email != NULL)
                g_hash_table_insert (contact_by_email, g_utf8_strdown (email, -1), record);
              continue;
            }
          uuid = json_object_get_string_member_with_default (record, field, NULL);
          if (uuid != NULL)
            g_hash_table_insert (by_uuid, (gpointer) uuid, record);
          /* An open Lead is the one to update; a converted one only points
           * to its Contact. */
          if (email != NULL)
            {
              g_autofree char *key = g_utf8_strdown (email, -1);
              JsonObject *known = g_hash_table_lookup (lead_by_email, key);

              if (known == NULL ||
                  (json_object_get_boolean_member_with_default (known, "IsConverted", FALSE) &&
                   !json_object_get_boolean_member_with_default (record, "IsConverted", FALSE)))
                g_hash_table_insert (lead_by_email, g_steal_pointer (&key), record);
            }
        }
    }

  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      g_autofree char *email = lower_email (item->lead);
      Visit *visit = g_new0 (Visit, 1);
      JsonObject *lead = g_hash_table_lookup (by_uuid, fl_lead_get_uuid (item->lead));
      JsonObject *contact = email ? g_hash_table_lookup (contact_by_email, email) : NULL;

      visit->item = item;
      if (lead == NULL && email != NULL)
        lead = g_hash_table_lookup (lead_by_email, email);
      if (lead != NULL && json_object_get_boolean_member_with_default (lead, "IsConverted", FALSE) &&
          json_object_get_string_member_with_default (lead, "ConvertedContactId", NULL) != NULL)
        {
          /* Converted: the Lead is history, the person is that Contact. */
          visit->match = MATCH_CONTACT;
          visit->id = g_strdup (json_object_get_string_member (lead, "ConvertedContactId"));
        }
      else if (lead != NULL && !json_object_get_boolean_member_with_default (lead, "IsConverted", FALSE))
        {
          const char *uuid = json_object_get_string_member_with_default (lead, field, NULL);

          visit->match = g_strcmp0 (uuid, fl_lead_get_uuid (item->lead)) == 0 ? MATCH_LEAD_UUID
                                                                               : MATCH_LEAD_EMAIL;
          visit->id = g_strdup (json_object_get_string_member (lead, "Id"));
        }
      else if (contact != NULL)
        {
          visit->match = MATCH_CONTACT;
          visit->id = g_strdup (json_object_get_string_member (contact, "Id"));
        }
      else
        visit->match = MATCH_NEW;
      g_ptr_array_add (visits, visit);
    }
  return TRUE;
}

/* Sends one sObject Collections request of @visits' records and reads the
 * answer into their items. */
static gboolean
send_collection (FlSalesforceConnector *self, FlSyncBatch *batch, const char *method,
                 const char *rest, GPtrArray *visits, gboolean tasks, gboolean insert,
                 GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  /* Duplicate rules report the duplicate instead of refusing silently;
   * the lead then fails with the rule's message, naming the record. */
  const char *headers[] = {
    "Sforce-Duplicate-Rule-Header: allowSave=false; includeRecordDetails=true; runAsCurrentUser=true",
    NULL,
  };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = api_path (connector, rest);
  g_autofree char *body = NULL;
  FlHttpResponse response = { 0 };
  gboolean ok;

  if (visits->len == 0)
    return TRUE;
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "allOrNone");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < visits->len; i++)
    {
      Visit *visit = g_ptr_array_index (visits, i);

      if (tasks)
        add_task (connector, builder, batch, visit);
      else
        add_record (connector, builder, batch, visit->item->lead, insert,
                    visit->match == MATCH_LEAD_EMAIL ? visit->id : NULL);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);

  ok = api_request (self, method, path, headers, body, &response, batch, cancellable) &&
       read_answer (batch, visits, &response);
  _fl_http_response_clear (&response);
  return ok;
}

static gboolean
looks_like_campaign_id (const char *value)
{
  gsize length = strlen (value);

  if ((length != 15 && length != 18) || !g_str_has_prefix (value, "701"))
    return FALSE;
  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return TRUE;
}

/* The option campaign as a Campaign Id: given as one, or looked up by
 * name once. */
static gboolean
resolve_campaign (FlSalesforceConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *campaign = fl_connector_get_option (connector, "campaign", NULL);
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  g_autoptr(GString) soql = g_string_new ("SELECT Id FROM Campaign WHERE Name = ");
  JsonNode *records;

  if (self->campaign_id != NULL)
    return TRUE;
  if (looks_like_campaign_id (campaign))
    {
      self->campaign_id = g_strdup (campaign);
      return TRUE;
    }
  append_literal (soql, campaign);
  g_string_append (soql, " LIMIT 2");
  if (!query (self, soql->str, pages, batch, cancellable))
    return FALSE;
  records = json_object_get_member (json_node_get_object (pages->pdata[0]), "records");
  if (records == NULL || !JSON_NODE_HOLDS_ARRAY (records) ||
      json_array_get_length (json_node_get_array (records)) != 1 ||
      !JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (records), 0)))
    {
      g_autofree char *message =
        g_strdup_printf (records != NULL && JSON_NODE_HOLDS_ARRAY (records) &&
                             json_array_get_length (json_node_get_array (records)) > 1
                           ? _("Salesforce has more than one campaign named “%s”; give the "
                               "Campaign Id in the option campaign")
                           : _("Salesforce has no campaign named “%s”; create it or give its "
                               "Campaign Id in the option campaign"),
                         campaign);

      fl_sync_batch_set (batch, FL_SEND_STOP, message);
      return FALSE;
    }
  self->campaign_id = g_strdup (json_object_get_string_member_with_default (
    json_array_get_object_element (json_node_get_array (records), 0), "Id", NULL));
  return self->campaign_id != NULL;
}

/* Event ROI: every person the batch reached becomes a member of the
 * event's campaign, with a member status from the Fairlead status. One
 * who is a member already stays one (DUPLICATE_VALUE is no failure). */
static void
add_campaign_members (FlSalesforceConnector *self, FlSyncBatch *batch, GPtrArray *visits,
                      GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  g_autoptr(GPtrArray) members = g_ptr_array_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = api_path (connector, "/composite/sobjects");
  g_autofree char *body = NULL;
  FlHttpResponse response = { 0 };
  JsonArray *results;

  for (guint i = 0; i < visits->len; i++)
    {
      Visit *visit = g_ptr_array_index (visits, i);

      if (visit->item->result == FL_ITEM_DONE && visit->item->remote_id != NULL)
        g_ptr_array_add (members, visit);
    }
  if (members->len == 0 || !resolve_campaign (self, batch, cancellable))
    return;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "allOrNone");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < members->len; i++)
    {
      Visit *visit = g_ptr_array_index (members, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "attributes");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, "CampaignMember");
      json_builder_end_object (builder);
      add_field (builder, "CampaignId", self->campaign_id, 0);
      add_field (builder, visit->match == MATCH_CONTACT ? "ContactId" : "LeadId",
                 visit->item->remote_id, 0);
      add_field (builder, "Status",
                 _fl_connector_map_status (connector, fl_lead_get_status (visit->item->lead),
                                           "member_status", "Responded", "Responded", "Sent"),
                 0);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);
  if (!api_request (self, "POST", path, NULL, body, &response, batch, cancellable))
    {
      _fl_http_response_clear (&response);
      return;
    }
  root = _fl_connector_parse_body (&response);
  _fl_http_response_clear (&response);
  if (root == NULL || !JSON_NODE_HOLDS_ARRAY (root) ||
      json_array_get_length (json_node_get_array (root)) != members->len)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY,
                         _("Salesforce’s answer does not have one result per lead"));
      return;
    }
  results = json_node_get_array (root);
  for (guint i = 0; i < members->len; i++)
    {
      Visit *visit = g_ptr_array_index (members, i);
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *result = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element) : NULL;
      JsonNode *errors = result ? json_object_get_member (result, "errors") : NULL;
      JsonObject *first = NULL;
      const char *code;
      g_autofree char *message = NULL;

      if (result != NULL && json_object_get_boolean_member_with_default (result, "success", FALSE))
        continue;
      if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors) &&
          json_array_get_length (json_node_get_array (errors)) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (errors), 0)))
        first = json_array_get_object_element (json_node_get_array (errors), 0);
      code = first ? json_object_get_string_member_with_default (first, "statusCode", "") : "";
      if (g_str_equal (code, "DUPLICATE_VALUE"))
        continue;
      message = g_strdup_printf (_("Salesforce: the campaign membership was refused: %s %s"), code,
                                 first ? json_object_get_string_member_with_default (first, "message", "")
                                       : "");
      fl_sync_item_set (visit->item, is_transient_code (code) ? FL_ITEM_RETRY : FL_ITEM_FAILED,
                        NULL, message);
    }
}

static void
fl_salesforce_connector_send (FlConnector *connector, FlSyncBatch *batch,
                              GCancellable *cancellable)
{
  FlSalesforceConnector *self = FL_SALESFORCE_CONNECTOR (connector);
  g_autoptr(GPtrArray) visits = g_ptr_array_new_with_free_func ((GDestroyNotify) visit_free);
  g_autoptr(GPtrArray) created = g_ptr_array_new ();
  g_autoptr(GPtrArray) ours = g_ptr_array_new ();
  g_autoptr(GPtrArray) theirs = g_ptr_array_new ();
  g_autoptr(GPtrArray) known = g_ptr_array_new ();
  g_autofree char *upsert = g_strdup_printf ("/composite/sobjects/Lead/%s",
                                             external_id_field (connector));

  /* A campaign that cannot be found stops the upload before it writes. */
  if (fl_connector_get_option (connector, "campaign", NULL) != NULL &&
      !resolve_campaign (self, batch, cancellable))
    return;
  if (!match_visits (self, batch, visits, cancellable))
    return;
  for (guint i = 0; i < visits->len; i++)
    {
      Visit *visit = g_ptr_array_index (visits, i);

      switch (visit->match)
        {
        case MATCH_NEW:
          g_ptr_array_add (created, visit);
          break;
        case MATCH_LEAD_UUID:
          g_ptr_array_add (ours, visit);
          g_ptr_array_add (known, visit);
          break;
        case MATCH_LEAD_EMAIL:
          g_ptr_array_add (theirs, visit);
          g_ptr_array_add (known, visit);
          break;
        case MATCH_CONTACT:
        default:
          g_ptr_array_add (known, visit);
          break;
        }
    }

  /* New Leads with every field; existing ones without what sales own;
   * and the visit, for whoever existed, as a Task. */
  if (!send_collection (self, batch, "PATCH", upsert, created, FALSE, TRUE, cancellable) ||
      !send_collection (self, batch, "PATCH", upsert, ours, FALSE, FALSE, cancellable) ||
      !send_collection (self, batch, "PATCH", "/composite/sobjects", theirs, FALSE, FALSE,
                        cancellable))
    return;
  /* Only where the update went through (or nothing was updated). */
  for (guint i = known->len; i-- > 0;)
    {
      Visit *visit = g_ptr_array_index (known, i);

      if (visit->item->result != FL_ITEM_UNSET && visit->item->result != FL_ITEM_DONE)
        g_ptr_array_remove_index (known, i);
    }
  if (!send_collection (self, batch, "POST", "/composite/sobjects", known, TRUE, FALSE, cancellable))
    return;
  if (fl_connector_get_option (connector, "campaign", NULL) != NULL)
    add_campaign_members (self, batch, visits, cancellable);
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

  if (fl_connector_get_option (self, "campaign", NULL) != NULL)
    {
      g_clear_pointer (&sf->campaign_id, g_free);
      if (!resolve_campaign (sf, batch, cancellable))
        {
          g_set_error (error, FL_SYNC_ERROR,
                       batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_CONFIG : FL_SYNC_ERROR_HTTP, "%s",
                       batch->message);
          return FALSE;
        }
      g_string_append_printf (report, _("Campaign “%s” is %s\n"),
                              fl_connector_get_option (self, "campaign", NULL), sf->campaign_id);
    }
  return TRUE;
}

static void
fl_salesforce_connector_finalize (GObject *object)
{
  forget_token (FL_SALESFORCE_CONNECTOR (object));
  g_free (FL_SALESFORCE_CONNECTOR (object)->campaign_id);

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
