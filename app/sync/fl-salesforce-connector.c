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
#include "fl-sync.h"

#define MAX_RECORDS 200
#define MAX_DESCRIPTION 32000

struct _FlSalesforceConnector
{
  FlConnector parent_instance;
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
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *path = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  g_autofree char *rest = NULL;
  FlHttpResponse response = { 0 };
  const char *headers[3] = { "Content-Type: application/json", NULL, NULL };
  gsize length;

  if (!_fl_connector_bearer_header (self, &authorization, &error))
    {
      fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
      return;
    }
  headers[1] = authorization;

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
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);

  rest = g_strdup_printf ("/composite/sobjects/Lead/%s", external_id_field (self));
  path = api_path (self, rest);
  url = _fl_connector_build_url (self, NULL, path);
  _fl_connector_http (self, "PATCH", url, headers, body, length, &response, cancellable, NULL);
  if (_fl_connector_check_response (self, &response, batch))
    read_answer (batch, &response);
  _fl_http_response_clear (&response);
  memset (authorization, 0, strlen (authorization));
}

static gboolean
fl_salesforce_connector_validate (FlConnector *self, GError **error)
{
  const char *field = external_id_field (self);
  const char *version = fl_connector_get_option (self, "api_version", "v59.0");

  if (fl_connector_get_url (self) == NULL)
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
  g_autofree char *path = api_path (self, "/sobjects/Lead/describe");
  g_autofree char *url = _fl_connector_build_url (self, NULL, path);
  g_autoptr(JsonNode) root = NULL;
  const char *field = external_id_field (self);
  JsonNode *fields;
  gboolean found = FALSE;

  if (!_fl_connector_probe (self, url, report, &root, cancellable, error))
    return FALSE;
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
fl_salesforce_connector_class_init (FlSalesforceConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  connector_class->validate = fl_salesforce_connector_validate;
  connector_class->get_max_batch = fl_salesforce_connector_get_max_batch;
  connector_class->send = fl_salesforce_connector_send;
  connector_class->test = fl_salesforce_connector_test;
}

static void
fl_salesforce_connector_init (FlSalesforceConnector *self)
{
}
