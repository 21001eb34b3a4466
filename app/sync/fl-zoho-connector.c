/* fl-zoho-connector.c: leads as Zoho CRM Leads (upsert, 100 a request)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST {api-domain}/crm/v8/Leads/upsert with "duplicate_check_fields": Zoho
 * updates the lead with the same Email (or the field the options name) and
 * inserts the others, and answers one "data" entry per record, in order,
 * each with its own status and code. The access token comes from a refresh
 * token (accounts.zoho.<dc>/oauth/v2/token) and goes in the header
 * "Authorization: Zoho-oauthtoken …".
 */
#define G_LOG_DOMAIN "fl-zoho"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-oauth.h"
#include "fl-sync.h"

#define MAX_RECORDS 100
#define MAX_DESCRIPTION 32000

struct _FlZohoConnector
{
  FlConnector  parent_instance;

  FlOAuth     *oauth;
  char       **check_fields;
};

G_DEFINE_FINAL_TYPE (FlZohoConnector, fl_zoho_connector, FL_TYPE_CONNECTOR)

/* The data centres: accounts server and API domain differ by suffix. */
static const char *const data_centres[] = { "com", "eu", "in", "com.au", "jp", "ca", "com.cn",
                                            "sa", "uk", NULL };

static const struct
{
  const char *name;
  FlField     field;
} field_map[] = {
  { "First_Name", FL_FIELD_FIRST_NAME },
  { "Email", FL_FIELD_EMAIL },
  { "Phone", FL_FIELD_PHONE },
  { "Mobile", FL_FIELD_MOBILE },
  { "Designation", FL_FIELD_TITLE },
  { "City", FL_FIELD_CITY },
  { "Country", FL_FIELD_COUNTRY },
  { "Website", FL_FIELD_WEBSITE },
};

static const char *
data_centre (FlConnector *self)
{
  return fl_connector_get_option (self, "data_centre", "com");
}

static const char *
module_name (FlConnector *self)
{
  return fl_connector_get_option (self, "module", "Leads");
}

static char *
api_url (FlZohoConnector *self, const char *path)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *domain = _fl_oauth_get_extra (self->oauth, "api_domain");
  g_autofree char *base = NULL;

  /* --url wins; else the api_domain the token came with; else the data
   * centre's default. */
  if (fl_connector_get_url (connector) != NULL)
    return _fl_connector_build_url (connector, NULL, path);
  if (domain != NULL && _fl_oauth_check_url (domain) && g_str_has_prefix (domain, "https://"))
    base = g_strdup (domain);
  else
    base = g_strdup_printf ("https://www.zohoapis.%s", data_centre (connector));
  return g_strconcat (base, path, NULL);
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
build_description (FlSyncBatch *batch, FlLead *lead)
{
  GString *text = g_string_new (NULL);
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
  if (text->len > MAX_DESCRIPTION)
    {
      const char *end = g_utf8_find_prev_char (text->str, text->str + MAX_DESCRIPTION);
      g_string_truncate (text, end ? end - text->str : 0);
    }
  return g_string_free (text, FALSE);
}

/* The value Zoho matches @field by, or %NULL when the lead has none. */
static const char *
check_value (FlConnector *self, FlLead *lead, const char *field)
{
  const char *uuid_field = fl_connector_get_option (self, "uuid_field", NULL);
  const char *email;

  if (uuid_field != NULL && g_str_equal (field, uuid_field))
    return fl_lead_get_uuid (lead);
  if (g_str_equal (field, "Email"))
    {
      email = fl_lead_get_field (lead, FL_FIELD_EMAIL);
      return email != NULL && strchr (email, '@') != NULL ? email : NULL;
    }
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    if (g_str_equal (field, field_map[i].name))
      return fl_lead_get_field (lead, field_map[i].field);
  return NULL;
}

static void
add_record (FlConnector *self, JsonBuilder *builder, FlSyncBatch *batch, FlLead *lead)
{
  const char *last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  const char *company = fl_lead_get_field (lead, FL_FIELD_COMPANY);
  const char *placeholder = fl_connector_get_option (self, "placeholder", "[not provided]");
  const char *uuid_field = fl_connector_get_option (self, "uuid_field", NULL);
  g_autofree char *description = build_description (batch, lead);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    add_field (builder, field_map[i].name, fl_lead_get_field (lead, field_map[i].field));
  /* Last_Name (and Company, in the standard layout) are mandatory. */
  if (last == NULL)
    last = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  add_field (builder, "Last_Name", last ? last : placeholder);
  add_field (builder, "Company", company ? company : placeholder);
  add_field (builder, "Lead_Source", fl_connector_get_option (self, "lead_source", "Trade Show"));
  add_field (builder, "Lead_Status",
             _fl_connector_map_status (self, fl_lead_get_status (lead), "status", "Not Contacted",
                                       "Pre-Qualified", "Not Qualified"));
  add_field (builder, "Description", description);
  if (uuid_field != NULL)
    add_field (builder, uuid_field, fl_lead_get_uuid (lead));
  json_builder_end_object (builder);
}

static gboolean
is_transient_code (const char *code)
{
  return code != NULL && (g_str_equal (code, "INTERNAL_ERROR") ||
                          g_str_equal (code, "TOO_MANY_REQUESTS") ||
                          g_str_equal (code, "LOCKED"));
}

static char *
record_message (JsonObject *result)
{
  const char *code = json_object_get_string_member_with_default (result, "code", NULL);
  const char *message = json_object_get_string_member_with_default (result, "message", NULL);
  JsonNode *details = json_object_get_member (result, "details");
  const char *api_name = NULL;

  if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
    api_name = json_object_get_string_member_with_default (json_node_get_object (details),
                                                           "api_name", NULL);
  return g_strdup_printf ("Zoho CRM: %s%s%s%s%s%s", code ? code : "", code ? ": " : "",
                          message ? message : _("the record was refused without a reason"),
                          api_name ? " (" : "", api_name ? api_name : "", api_name ? ")" : "");
}

static void
read_answer (FlSyncBatch *batch, GPtrArray *sent, FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  JsonNode *data = NULL;
  JsonArray *results;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    data = json_object_get_member (json_node_get_object (root), "data");
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data) ||
      json_array_get_length (json_node_get_array (data)) != sent->len)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY,
                         _("Zoho CRM’s answer does not have one result per lead"));
      return;
    }
  results = json_node_get_array (data);
  for (guint i = 0; i < sent->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (sent, i);
      JsonNode *element = json_array_get_element (results, i);
      JsonObject *result;
      JsonNode *details;
      g_autofree char *message = NULL;
      const char *code;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          fl_sync_item_set (item, FL_ITEM_RETRY, NULL, _("Zoho CRM gave no result for this lead"));
          continue;
        }
      result = json_node_get_object (element);
      if (g_strcmp0 (json_object_get_string_member_with_default (result, "status", NULL),
                     "success") == 0)
        {
          const char *id = NULL;

          details = json_object_get_member (result, "details");
          if (details != NULL && JSON_NODE_HOLDS_OBJECT (details))
            id = json_object_get_string_member_with_default (json_node_get_object (details), "id",
                                                             NULL);
          fl_sync_item_set (item, FL_ITEM_DONE, id, NULL);
          continue;
        }
      code = json_object_get_string_member_with_default (result, "code", NULL);
      message = record_message (result);
      fl_sync_item_set (item, is_transient_code (code) ? FL_ITEM_RETRY : FL_ITEM_FAILED, NULL,
                        message);
    }
}

static gboolean
has_results (FlHttpResponse *response, guint n)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  JsonNode *data = NULL;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    data = json_object_get_member (json_node_get_object (root), "data");
  return data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
         json_array_get_length (json_node_get_array (data)) == n;
}

static void
fl_zoho_connector_send (FlConnector *connector, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlZohoConnector *self = FL_ZOHO_CONNECTOR (connector);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) sent = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  FlHttpResponse response = { 0 };
  const char *headers[] = { "Content-Type: application/json", NULL };
  gsize length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      g_autoptr(GString) key = g_string_new (NULL);
      const char *missing = NULL;

      for (guint j = 0; self->check_fields[j] != NULL; j++)
        {
          const char *value = check_value (connector, item->lead, self->check_fields[j]);

          if (value == NULL || value[0] == '\0')
            {
              missing = self->check_fields[j];
              break;
            }
          g_string_append_printf (key, "%s\n", value);
        }
      if (missing != NULL)
        {
          /* Without it Zoho inserts anew on every retry. */
          g_autofree char *message =
            g_strdup_printf (_("The lead has no value for the duplicate check field “%s”, "
                               "which Zoho CRM needs to update the lead instead of adding it "
                               "again. Add it, or create a unique field for the Fairlead uuid and "
                               "set the options uuid_field and duplicate_check_fields to it."),
                             missing);
          fl_sync_item_set (item, FL_ITEM_FAILED, NULL, message);
          continue;
        }
      {
        g_autofree char *folded = g_utf8_casefold (key->str, -1);

        if (g_hash_table_contains (seen, folded))
          {
            fl_sync_item_set (item, FL_ITEM_RETRY, NULL,
                              _("Another lead with the same email went in the same batch; this "
                                "one follows in the next"));
            continue;
          }
        g_hash_table_add (seen, g_steal_pointer (&folded));
      }
      add_record (connector, builder, batch, item->lead);
      g_ptr_array_add (sent, item);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "duplicate_check_fields");
  json_builder_begin_array (builder);
  for (guint j = 0; self->check_fields[j] != NULL; j++)
    json_builder_add_string_value (builder, self->check_fields[j]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "trigger");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (sent->len == 0)
    return;

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  path = g_strdup_printf ("/crm/v8/%s/upsert", module_name (connector));
  /* The token first: its answer may name the API domain. */
  if (!_fl_oauth_get_token (self->oauth, connector, cancellable, &error))
    {
      _fl_oauth_fail_batch (batch, error);
      return;
    }
  url = api_url (self, path);
  if (!_fl_oauth_request (self->oauth, connector, "POST", url, headers, body, length, &response,
                          cancellable, &error))
    {
      if (response.curl_code != 0)
        _fl_connector_check_response (connector, &response, batch);
      else
        _fl_oauth_fail_batch (batch, error);
    }
  else if (response.status == 400 && has_results (&response, sent->len))
    /* Every record refused: a 400 that still says why for each. */
    read_answer (batch, sent, &response);
  else if (_fl_connector_check_response (connector, &response, batch))
    read_answer (batch, sent, &response);
  _fl_http_response_clear (&response);
}

static gboolean
fl_zoho_connector_validate (FlConnector *connector, GError **error)
{
  FlZohoConnector *self = FL_ZOHO_CONNECTOR (connector);
  const char *name = fl_connector_get_name (connector);
  const char *client_id = fl_connector_get_option (connector, "client_id", NULL);
  const char *login_url = fl_connector_get_option (connector, "login_url", NULL);
  const char *module = module_name (connector);
  g_autofree char *default_login = NULL;
  g_autofree char *token_url = NULL;

  if (client_id == NULL || client_id[0] == '\0')
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the client id of the Zoho API client (--option "
                     "client_id=1000.XXXX)"),
                   name);
      return FALSE;
    }
  if (!g_strv_contains (data_centres, data_centre (connector)))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Zoho data centre (option data_centre: com, eu, in, com.au, jp, "
                     "ca, com.cn, sa or uk)"),
                   data_centre (connector));
      return FALSE;
    }
  if (fl_connector_get_url (connector) != NULL &&
      !_fl_oauth_check_url (fl_connector_get_url (connector)))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The URL “%s” of connector “%s” must start with https:// (plain http only "
                     "to this machine)"),
                   fl_connector_get_url (connector), name);
      return FALSE;
    }
  if (login_url != NULL && !_fl_oauth_check_url (login_url))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The login URL “%s” of connector “%s” must start with https:// (plain http "
                     "only to this machine)"),
                   login_url, name);
      return FALSE;
    }
  for (const char *p = module; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '_')
      {
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                     _("“%s” is not a Zoho CRM module name (option module)"), module);
        return FALSE;
      }
  self->check_fields = g_strsplit (fl_connector_get_option (connector, "duplicate_check_fields",
                                                            "Email"),
                                   ",", -1);
  for (guint i = 0; self->check_fields[i] != NULL; i++)
    {
      g_strstrip (self->check_fields[i]);
      if (self->check_fields[i][0] == '\0' || strpbrk (self->check_fields[i], " /?#\"") != NULL)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("“%s” is not a list of Zoho field names (option duplicate_check_fields)"),
                       fl_connector_get_option (connector, "duplicate_check_fields", ""));
          return FALSE;
        }
    }

  default_login = g_strdup_printf ("https://accounts.zoho.%s", data_centre (connector));
  token_url = g_strconcat (login_url ? login_url : default_login, "/oauth/v2/token", NULL);
  self->oauth = _fl_oauth_new (FL_OAUTH_REFRESH_TOKEN, token_url, client_id, NULL,
                               "Zoho-oauthtoken");
  return TRUE;
}

static guint
fl_zoho_connector_get_max_batch (FlConnector *self)
{
  return MAX_RECORDS;
}

static gboolean
fl_zoho_connector_test (FlConnector *connector, GString *report, GCancellable *cancellable,
                        GError **error)
{
  FlZohoConnector *self = FL_ZOHO_CONNECTOR (connector);
  g_autoptr(GHashTable) fields = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) statuses = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  const char *uuid_field = fl_connector_get_option (connector, "uuid_field", NULL);
  JsonNode *list;

  path = g_strdup_printf ("/crm/v8/settings/fields?module=%s", module_name (connector));
  url = api_url (self, path);
  if (!_fl_oauth_probe (self->oauth, connector, url, report, &root, cancellable, error))
    return FALSE;

  list = root && JSON_NODE_HOLDS_OBJECT (root)
           ? json_object_get_member (json_node_get_object (root), "fields")
           : NULL;
  for (guint i = 0; list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                    i < json_array_get_length (json_node_get_array (list)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (list), i);

      JsonObject *field;
      JsonNode *values;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      field = json_node_get_object (element);
      g_hash_table_add (fields, (gpointer) json_object_get_string_member_with_default (
                                  field, "api_name", ""));
      if (g_strcmp0 (json_object_get_string_member_with_default (field, "api_name", NULL),
                     "Lead_Status") != 0)
        continue;
      /* The picklist: "pick_list_values": [{"actual_value": …}] */
      values = json_object_get_member (field, "pick_list_values");
      for (guint j = 0; values != NULL && JSON_NODE_HOLDS_ARRAY (values) &&
                        j < json_array_get_length (json_node_get_array (values)); j++)
        {
          JsonNode *value = json_array_get_element (json_node_get_array (values), j);

          if (JSON_NODE_HOLDS_OBJECT (value))
            g_hash_table_add (statuses, (gpointer) json_object_get_string_member_with_default (
                                          json_node_get_object (value), "actual_value", ""));
        }
    }
  for (guint i = 0; self->check_fields[i] != NULL; i++)
    if (!g_hash_table_contains (fields, self->check_fields[i]))
      {
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                     _("The module %s has no field “%s” (option duplicate_check_fields)"),
                     module_name (connector), self->check_fields[i]);
        return FALSE;
      }
  if (uuid_field != NULL && !g_hash_table_contains (fields, uuid_field))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The module %s has no field “%s”. Create it (single line, unique) or unset "
                     "the option uuid_field."),
                   module_name (connector), uuid_field);
      return FALSE;
    }
  g_string_append_printf (report, _("The module %s has the fields Fairlead matches leads by\n"),
                          module_name (connector));
  for (FlStatus status = FL_STATUS_MQL; g_hash_table_size (statuses) > 0 &&
                                        status <= FL_STATUS_DISQUALIFIED; status++)
    {
      const char *value = _fl_connector_map_status (connector, status, "status", "Not Contacted",
                                                    "Pre-Qualified", "Not Qualified");

      if (value == NULL)
        continue;
      if (!g_hash_table_contains (statuses, value))
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("Zoho CRM has no lead status “%s” (mapped from %s). Set the option "
                         "status_%s to one of the values of the Lead Status field."),
                       value, fl_status_to_string (status),
                       status == FL_STATUS_MQL ? "mql"
                       : status == FL_STATUS_SAL ? "sal" : "disqualified");
          return FALSE;
        }
      g_string_append_printf (report, _("Lead status “%s” for %s exists\n"), value,
                              fl_status_to_string (status));
    }
  return TRUE;
}

static void
fl_zoho_connector_finalize (GObject *object)
{
  FlZohoConnector *self = FL_ZOHO_CONNECTOR (object);

  g_clear_pointer (&self->oauth, _fl_oauth_free);
  g_clear_pointer (&self->check_fields, g_strfreev);

  G_OBJECT_CLASS (fl_zoho_connector_parent_class)->finalize (object);
}

static void
fl_zoho_connector_class_init (FlZohoConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_zoho_connector_finalize;
  connector_class->validate = fl_zoho_connector_validate;
  connector_class->get_max_batch = fl_zoho_connector_get_max_batch;
  connector_class->send = fl_zoho_connector_send;
  connector_class->test = fl_zoho_connector_test;
}

static void
fl_zoho_connector_init (FlZohoConnector *self)
{
}
