/* fl-dynamics-connector.c: leads as Dynamics 365 (Dataverse) leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Dataverse Web API v9.2. Each lead is upserted by an alternate key that
 * holds the Fairlead uuid: PATCH leads(fairlead_uuid='…') creates the row
 * when the key is new and updates it otherwise, so a request sent twice
 * leaves one lead. A contact with the same email, when there is one, is
 * looked up first and linked as the lead's parent contact. Many leads go
 * in one $batch request (multipart/mixed, one part per lead, with
 * "Prefer: odata.continue-on-error" so that one refused lead does not stop
 * the others). The access token comes from Microsoft Entra ID with the
 * client credentials grant; the client secret is the connector's secret.
 */
#define G_LOG_DOMAIN "fl-dynamics"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-oauth.h"
#include "fl-sync.h"

#define DEFAULT_LOGIN "https://login.microsoftonline.com"
#define MAX_LEADS 100
#define MAX_DESCRIPTION 32000
/* leadsourcecode 7 is "Trade Show" in the standard option set. */
#define TRADE_SHOW "7"

struct _FlDynamicsConnector
{
  FlConnector  parent_instance;

  FlOAuth     *oauth;
};

G_DEFINE_FINAL_TYPE (FlDynamicsConnector, fl_dynamics_connector, FL_TYPE_CONNECTOR)

static const struct
{
  const char *name;
  FlField     field;
} field_map[] = {
  { "firstname", FL_FIELD_FIRST_NAME },
  { "emailaddress1", FL_FIELD_EMAIL },
  { "telephone1", FL_FIELD_PHONE },
  { "mobilephone", FL_FIELD_MOBILE },
  { "jobtitle", FL_FIELD_TITLE },
  { "address1_city", FL_FIELD_CITY },
  { "address1_country", FL_FIELD_COUNTRY },
  { "websiteurl", FL_FIELD_WEBSITE },
};

/* One answer of a $batch. */
typedef struct
{
  int   status;
  char *headers;
  char *body;
} Part;

static void
part_free (Part *part)
{
  g_free (part->headers);
  g_free (part->body);
  g_free (part);
}

static const char *
alternate_key (FlConnector *self)
{
  return fl_connector_get_option (self, "alternate_key", "fairlead_uuid");
}

static char *
api_url (FlConnector *self, const char *rest)
{
  g_autofree char *path = g_strdup_printf ("/api/data/%s%s",
                                           fl_connector_get_option (self, "api_version", "v9.2"),
                                           rest);
  return _fl_connector_build_url (self, NULL, path);
}

static void
add_field (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL || value[0] == '\0')
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
add_choice (JsonBuilder *builder, const char *name, const char *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_int_value (builder, g_ascii_strtoll (value, NULL, 10));
}

static const char *
event_name (FlSyncBatch *batch)
{
  if (batch->event == NULL || !JSON_NODE_HOLDS_OBJECT (batch->event))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (batch->event), "name",
                                                     NULL);
}

static char *
build_description (FlSyncBatch *batch, FlLead *lead)
{
  GString *text = g_string_new (NULL);

  if (event_name (batch) != NULL)
    g_string_append_printf (text, "Event: %s\n", event_name (batch));
  g_string_append_printf (text, "Fairlead score: %d (%s)\n", fl_lead_get_score (lead),
                          fl_status_to_string (fl_lead_get_status (lead)));
  if (fl_lead_get_notes (lead) != NULL)
    g_string_append_printf (text, "\n%s\n", fl_lead_get_notes (lead));
  if (text->len > MAX_DESCRIPTION)
    {
      const char *end = g_utf8_find_prev_char (text->str, text->str + MAX_DESCRIPTION);
      g_string_truncate (text, end ? end - text->str : 0);
    }
  return g_string_free (text, FALSE);
}

static char *
build_lead (FlConnector *self, FlSyncBatch *batch, FlLead *lead, const char *contact_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const char *last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  const char *placeholder = fl_connector_get_option (self, "placeholder", "[not provided]");
  const char *source = fl_connector_get_option (self, "lead_source", TRADE_SHOW);
  FlStatus status = fl_lead_get_status (lead);
  g_autofree char *description = build_description (batch, lead);
  g_autofree char *subject = event_name (batch)
                               ? g_strdup_printf ("Visitor at %s", event_name (batch))
                               : g_strdup ("Trade show visitor");

  json_builder_begin_object (builder);
  add_field (builder, "subject", subject);
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    add_field (builder, field_map[i].name, fl_lead_get_field (lead, field_map[i].field));
  if (last == NULL)
    last = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  add_field (builder, "lastname", last ? last : placeholder);
  add_field (builder, "companyname", fl_lead_get_field (lead, FL_FIELD_COMPANY));
  add_field (builder, "description", description);
  if (source[0] != '\0')
    add_choice (builder, "leadsourcecode", source);
  add_choice (builder, "statuscode",
              _fl_connector_map_status (self, status, "status", "1", "2", NULL));
  add_choice (builder, "leadqualitycode",
              _fl_connector_map_status (self, status, "rating", "2", "1", "3"));
  if (contact_id != NULL)
    {
      g_autofree char *bind = g_strdup_printf ("/contacts(%s)", contact_id);
      add_field (builder, "parentcontactid@odata.bind", bind);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Batches (OData 4.0 multipart/mixed, as the Dataverse docs show them) */

static void
append_part (GString *body, const char *boundary, const char *method, const char *url,
             const char *json)
{
  g_string_append_printf (body, "--%s\r\n"
                                "Content-Type: application/http\r\n"
                                "Content-Transfer-Encoding: binary\r\n"
                                "\r\n"
                                "%s %s HTTP/1.1\r\n",
                          boundary, method, url);
  if (json != NULL)
    g_string_append_printf (body, "Content-Type: application/json\r\n\r\n%s\r\n", json);
  else
    g_string_append (body, "Accept: application/json\r\n\r\n");
}

/* The end of a header block at @p: returns where its body starts. */
static const char *
skip_headers (const char *p, const char **headers_end)
{
  const char *crlf = strstr (p, "\r\n\r\n");
  const char *lf = strstr (p, "\n\n");

  if (crlf != NULL && (lf == NULL || crlf < lf))
    {
      *headers_end = crlf;
      return crlf + 4;
    }
  if (lf != NULL)
    {
      *headers_end = lf;
      return lf + 2;
    }
  return NULL;
}

/* Splits a $batch answer into its parts, in order; %NULL when it is not
 * one. The boundary is the first line ("--batchresponse_…"). */
static GPtrArray *
parse_batch (FlHttpResponse *response)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) part_free);
  g_autofree char *text = NULL;
  g_autofree char *delimiter = NULL;
  g_auto(GStrv) segments = NULL;
  const char *start, *eol;

  if (response->body == NULL || response->body->len == 0)
    return NULL;
  text = g_strndup ((const char *) response->body->data, response->body->len);
  start = text;
  while (*start == '\r' || *start == '\n')
    start++;
  if (!g_str_has_prefix (start, "--") || (eol = strchr (start, '\n')) == NULL)
    return NULL;
  delimiter = g_strndup (start, eol - start);
  g_strchomp (delimiter);
  segments = g_strsplit (start + strlen (delimiter), delimiter, -1);
  for (guint i = 0; segments[i] != NULL; i++)
    {
      const char *segment = segments[i];
      const char *mime_end, *http, *headers_end, *body;
      Part *part;

      if (g_str_has_prefix (segment, "--"))
        break;  /* the closing delimiter */
      if ((http = skip_headers (segment, &mime_end)) == NULL)
        return NULL;
      while (*http == '\r' || *http == '\n')
        http++;
      if (!g_str_has_prefix (http, "HTTP/1.1 ") && !g_str_has_prefix (http, "HTTP/1.0 "))
        return NULL;
      part = g_new0 (Part, 1);
      part->status = (int) g_ascii_strtoll (http + 9, NULL, 10);
      body = skip_headers (http, &headers_end);
      if (body != NULL)
        {
          part->headers = g_strndup (http, headers_end - http);
          part->body = g_strstrip (g_strdup (body));
        }
      else
        {
          part->headers = g_strdup (http);
          part->body = g_strdup ("");
        }
      g_ptr_array_add (parts, part);
    }
  return g_steal_pointer (&parts);
}

/* The value of a header of a part, or %NULL. */
static char *
part_header (Part *part, const char *name)
{
  g_auto(GStrv) lines = g_strsplit (part->headers, "\n", -1);
  gsize length = strlen (name);

  for (guint i = 1; lines[i] != NULL; i++)
    if (g_ascii_strncasecmp (lines[i], name, length) == 0 && lines[i][length] == ':')
      return g_strstrip (g_strdup (lines[i] + length + 1));
  return NULL;
}

/* "…/leads(00000000-…)" → the id in the parentheses */
static char *
entity_id (const char *entity_url)
{
  const char *open, *close;

  if (entity_url == NULL || (open = strrchr (entity_url, '(')) == NULL ||
      (close = strchr (open, ')')) == NULL || close == open + 1)
    return NULL;
  return g_strndup (open + 1, close - open - 1);
}

static char *
part_message (Part *part)
{
  FlHttpResponse fake = { 0 };
  char *message;

  fake.body = g_byte_array_new ();
  g_byte_array_append (fake.body, (const guint8 *) part->body, strlen (part->body));
  message = _fl_connector_server_message (&fake);
  g_byte_array_unref (fake.body);
  return message;
}

/* Sends one $batch; returns its parts, or %NULL with @batch's status set. */
static GPtrArray *
send_batch (FlDynamicsConnector *self, FlSyncBatch *batch, GString *body, const char *boundary,
            guint expected, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *url = api_url (connector, "/$batch");
  g_autofree char *content_type = g_strdup_printf ("Content-Type: multipart/mixed; boundary=%s",
                                                   boundary);
  const char *headers[] = { content_type, "OData-MaxVersion: 4.0", "OData-Version: 4.0",
                            "Accept: application/json", "Prefer: odata.continue-on-error", NULL };
  FlHttpResponse response = { 0 };

  g_string_append_printf (body, "--%s--\r\n", boundary);
  if (!_fl_oauth_request (self->oauth, connector, "POST", url, headers, body->str, body->len,
                          &response, cancellable, &error))
    {
      if (response.curl_code != 0)
        _fl_connector_check_response (connector, &response, batch);
      else
        _fl_oauth_fail_batch (batch, error);
    }
  else if (_fl_connector_check_response (connector, &response, batch))
    {
      parts = parse_batch (&response);
      if (parts == NULL || parts->len != expected)
        {
          g_clear_pointer (&parts, g_ptr_array_unref);
          fl_sync_batch_set (batch, FL_SEND_RETRY,
                             _("Dataverse’s answer to the batch does not have one part per "
                               "request"));
        }
    }
  _fl_http_response_clear (&response);
  return g_steal_pointer (&parts);
}

/* An OData string literal: quotes doubled, then escaped for the URL. */
static char *
odata_string (const char *value)
{
  g_auto(GStrv) pieces = g_strsplit (value, "'", -1);
  g_autofree char *doubled = g_strjoinv ("''", pieces);

  return g_uri_escape_string (doubled, NULL, FALSE);
}

/* The contacts with the leads' emails: one GET each, in one $batch. */
static gboolean
find_contacts (FlDynamicsConnector *self, FlSyncBatch *batch, GPtrArray *contacts,
               GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GPtrArray) asked = g_ptr_array_new ();
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *boundary = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  boundary = g_strdup_printf ("batch_%s", uuid);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      const char *email = fl_lead_get_field (item->lead, FL_FIELD_EMAIL);
      g_autofree char *literal = NULL;
      g_autofree char *rest = NULL;
      g_autofree char *url = NULL;

      g_ptr_array_add (contacts, NULL);
      if (email == NULL || strchr (email, '@') == NULL)
        continue;
      literal = odata_string (email);
      rest = g_strdup_printf ("/contacts?$select=contactid&$filter=emailaddress1%%20eq%%20'%s'"
                              "&$top=1",
                              literal);
      url = api_url (connector, rest);
      append_part (body, boundary, "GET", url, NULL);
      g_ptr_array_add (asked, GUINT_TO_POINTER (i));
    }
  if (asked->len == 0)
    return TRUE;

  parts = send_batch (self, batch, body, boundary, asked->len, cancellable);
  if (parts == NULL)
    return FALSE;
  for (guint j = 0; j < asked->len; j++)
    {
      Part *part = g_ptr_array_index (parts, j);
      guint i = GPOINTER_TO_UINT (g_ptr_array_index (asked, j));
      g_autoptr(JsonNode) root = NULL;
      JsonNode *value;

      if (part->status < 200 || part->status >= 300)
        {
          /* Without the contact the lead still goes, unlinked. */
          g_autofree char *said = part_message (part);
          g_debug ("Cannot look up the contact of a lead (HTTP %d: %s)", part->status, said);
          continue;
        }
      root = json_from_string (part->body, NULL);
      value = root && JSON_NODE_HOLDS_OBJECT (root)
                ? json_object_get_member (json_node_get_object (root), "value")
                : NULL;
      if (value != NULL && JSON_NODE_HOLDS_ARRAY (value) &&
          json_array_get_length (json_node_get_array (value)) > 0 &&
          JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (value), 0)))
        {
          JsonObject *contact = json_array_get_object_element (json_node_get_array (value), 0);
          const char *id = json_object_get_string_member_with_default (contact, "contactid", NULL);

          if (id != NULL && strspn (id, "0123456789abcdefABCDEF-") == strlen (id))
            g_ptr_array_index (contacts, i) = g_strdup (id);
        }
    }
  return TRUE;
}

static void
fl_dynamics_connector_send (FlConnector *connector, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlDynamicsConnector *self = FL_DYNAMICS_CONNECTOR (connector);
  g_autoptr(GPtrArray) contacts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GPtrArray) parts = NULL;
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *boundary = g_strdup_printf ("batch_%s", uuid);
  g_autofree char *busy_message = NULL;
  gboolean busy = FALSE;

  if (!find_contacts (self, batch, contacts, cancellable))
    return;

  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      g_autofree char *json = build_lead (connector, batch, item->lead,
                                          g_ptr_array_index (contacts, i));
      g_autofree char *rest = g_strdup_printf ("/leads(%s='%s')", alternate_key (connector),
                                               fl_lead_get_uuid (item->lead));
      g_autofree char *url = api_url (connector, rest);

      append_part (body, boundary, "PATCH", url, json);
    }
  parts = send_batch (self, batch, body, boundary, batch->items->len, cancellable);
  if (parts == NULL)
    return;

  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      Part *part = g_ptr_array_index (parts, i);
      g_autofree char *said = NULL;
      g_autofree char *message = NULL;

      if (part->status >= 200 && part->status < 300)
        {
          g_autofree char *entity = part_header (part, "OData-EntityId");
          g_autofree char *id = entity_id (entity);

          fl_sync_item_set (item, FL_ITEM_DONE, id, NULL);
          continue;
        }
      said = part_message (part);
      message = g_strdup_printf (_("Dataverse: %s (HTTP %d)"), said, part->status);
      /* Service protection limits and server errors pass; the rest stays. */
      fl_sync_item_set (item,
                        part->status == 429 || part->status == 408 || part->status >= 500
                          ? FL_ITEM_RETRY
                          : FL_ITEM_FAILED,
                        NULL, message);
      if (part->status == 429)
        {
          g_autofree char *retry = part_header (part, "Retry-After");
          gint64 seconds = retry ? g_ascii_strtoll (retry, NULL, 10) : -1;

          busy = TRUE;
          batch->retry_after = MAX (batch->retry_after, seconds);
          if (busy_message == NULL)
            busy_message = g_steal_pointer (&message);
        }
    }
  /* A service protection limit hit inside the batch: the whole batch waits
   * as long as Dataverse asked (the upserts done are harmless to repeat). */
  if (busy)
    fl_sync_batch_set (batch, FL_SEND_RETRY, busy_message);
}

static gboolean
check_choice (FlConnector *self, const char *prefix, GError **error)
{
  static const char *suffixes[] = { "mql", "sal", "disqualified" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *key = g_strdup_printf ("%s_%s", prefix, suffixes[i]);
      const char *value = fl_connector_get_option (self, key, NULL);
      gint64 number;

      if (value != NULL && value[0] != '\0' &&
          !g_ascii_string_to_signed (value, 10, 0, G_MAXINT32, &number, NULL))
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("The option %s must be the number of a choice (such as 1), not “%s”"),
                       key, value);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
is_name (const char *text)
{
  if (text == NULL || text[0] == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_' && *p != '-' && *p != '.')
      return FALSE;
  return TRUE;
}

static gboolean
fl_dynamics_connector_validate (FlConnector *connector, GError **error)
{
  FlDynamicsConnector *self = FL_DYNAMICS_CONNECTOR (connector);
  const char *name = fl_connector_get_name (connector);
  const char *url = fl_connector_get_url (connector);
  const char *tenant = fl_connector_get_option (connector, "tenant", NULL);
  const char *client_id = fl_connector_get_option (connector, "client_id", NULL);
  const char *login_url = fl_connector_get_option (connector, "login_url", DEFAULT_LOGIN);
  const char *version = fl_connector_get_option (connector, "api_version", "v9.2");
  const char *lead_source = fl_connector_get_option (connector, "lead_source", TRADE_SHOW);
  g_autofree char *scope = NULL;
  g_autofree char *token_url = NULL;
  gint64 number;

  if (url == NULL || !_fl_oauth_check_url (url))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the URL of the Dynamics 365 environment (--url "
                     "https://yourorg.crm4.dynamics.com)"),
                   name);
      return FALSE;
    }
  if (!is_name (tenant) || !is_name (client_id))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the directory (tenant) id and the application "
                     "(client) id of its Entra ID app registration (--option tenant=… --option "
                     "client_id=…)"),
                   name);
      return FALSE;
    }
  if (!_fl_oauth_check_url (login_url))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The login URL “%s” of connector “%s” must start with https:// (plain http "
                     "only to this machine)"),
                   login_url, name);
      return FALSE;
    }
  if (!is_name (alternate_key (connector)) || strchr (alternate_key (connector), '.') != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Dataverse column name (option alternate_key)"),
                   alternate_key (connector));
      return FALSE;
    }
  if (version[0] != 'v' || !is_name (version))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Web API version such as v9.2 (option api_version)"), version);
      return FALSE;
    }
  if (lead_source[0] != '\0' && !g_ascii_string_to_signed (lead_source, 10, 0, G_MAXINT32, &number,
                                                           NULL))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The option %s must be the number of a choice (such as 1), not “%s”"),
                   "lead_source", lead_source);
      return FALSE;
    }
  if (!check_choice (connector, "status", error) || !check_choice (connector, "rating", error))
    return FALSE;

  /* The token is for the environment: its URL and "/.default". */
  {
    gsize length = strlen (url);

    while (length > 0 && url[length - 1] == '/')
      length--;
    scope = g_strdup_printf ("%.*s/.default", (int) length, url);
  }
  token_url = g_strdup_printf ("%s/%s/oauth2/v2.0/token", login_url, tenant);
  self->oauth = _fl_oauth_new (FL_OAUTH_CLIENT_CREDENTIALS, token_url, client_id,
                               fl_connector_get_option (connector, "scope", scope), "Bearer");
  return TRUE;
}

static guint
fl_dynamics_connector_get_max_batch (FlConnector *self)
{
  return MAX_LEADS;
}

static gboolean
fl_dynamics_connector_test (FlConnector *connector, GString *report, GCancellable *cancellable,
                            GError **error)
{
  FlDynamicsConnector *self = FL_DYNAMICS_CONNECTOR (connector);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = NULL;
  const char *key = alternate_key (connector);
  const char *state = NULL;
  JsonNode *keys;

  url = api_url (connector, "/EntityDefinitions(LogicalName='lead')/Keys"
                            "?$select=LogicalName,KeyAttributes,EntityKeyIndexStatus");
  if (!_fl_oauth_probe (self->oauth, connector, url, report, &root, cancellable, error))
    return FALSE;

  keys = root && JSON_NODE_HOLDS_OBJECT (root)
           ? json_object_get_member (json_node_get_object (root), "value")
           : NULL;
  for (guint i = 0; keys != NULL && JSON_NODE_HOLDS_ARRAY (keys) &&
                    i < json_array_get_length (json_node_get_array (keys)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (keys), i);
      JsonNode *attributes;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      attributes = json_object_get_member (json_node_get_object (element), "KeyAttributes");
      if (attributes != NULL && JSON_NODE_HOLDS_ARRAY (attributes) &&
          json_array_get_length (json_node_get_array (attributes)) == 1 &&
          g_strcmp0 (json_array_get_string_element (json_node_get_array (attributes), 0), key) == 0)
        state = json_object_get_string_member_with_default (json_node_get_object (element),
                                                            "EntityKeyIndexStatus", "");
    }
  if (state == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The lead table has no alternate key on the column “%s”. Create the column "
                     "(single line of text) and a key on it alone, or set the option "
                     "alternate_key."),
                   key);
      return FALSE;
    }
  if (!g_str_equal (state, "Active"))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The alternate key on “%s” is not active yet (%s); Dataverse builds its index "
                     "in the background. Try again later."),
                   key, state);
      return FALSE;
    }
  g_string_append_printf (report, _("The lead table has the active alternate key “%s”\n"), key);
  return TRUE;
}

static void
fl_dynamics_connector_finalize (GObject *object)
{
  FlDynamicsConnector *self = FL_DYNAMICS_CONNECTOR (object);

  g_clear_pointer (&self->oauth, _fl_oauth_free);

  G_OBJECT_CLASS (fl_dynamics_connector_parent_class)->finalize (object);
}

static void
fl_dynamics_connector_class_init (FlDynamicsConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_dynamics_connector_finalize;
  connector_class->validate = fl_dynamics_connector_validate;
  connector_class->get_max_batch = fl_dynamics_connector_get_max_batch;
  connector_class->send = fl_dynamics_connector_send;
  connector_class->test = fl_dynamics_connector_test;
}

static void
fl_dynamics_connector_init (FlDynamicsConnector *self)
{
}
