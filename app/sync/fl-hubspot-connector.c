/* fl-hubspot-connector.c: leads as HubSpot contacts (batch upsert)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-hubspot"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-sync.h"

#define DEFAULT_BASE "https://api.hubapi.com"
#define UPSERT_PATH "/crm/v3/objects/contacts/batch/upsert"
#define LIFECYCLE_PATH "/crm/v3/properties/contacts/lifecyclestage"
#define READ_PATH "/crm/v3/objects/contacts/batch/read"
#define PROPERTIES_PATH "/crm/v3/properties/contacts"
#define MAX_INPUTS 100

struct _FlHubspotConnector
{
  FlConnector parent_instance;

  /* lifecycle stage → its place in the portal's order (1-based), read
   * once a run; NULL until then */
  GHashTable *stage_order;
};

/* HubSpot's default stages, in order, for a portal whose property says
 * no order. */
static const char *const default_stages[] = {
  "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
  "customer", "evangelist",
};

G_DEFINE_FINAL_TYPE (FlHubspotConnector, fl_hubspot_connector, FL_TYPE_CONNECTOR)

#define MAX_VALUE 65536  /* characters a HubSpot text property holds */

/* HubSpot property ← lead field, by default; the option map.<field>
 * names another property, an empty one sends nothing. */
static const struct
{
  FlField     field;
  const char *property;
} field_map[] = {
  { FL_FIELD_EMAIL, "email" },
  { FL_FIELD_FIRST_NAME, "firstname" },
  { FL_FIELD_LAST_NAME, "lastname" },
  { FL_FIELD_COMPANY, "company" },
  { FL_FIELD_TITLE, "jobtitle" },
  { FL_FIELD_PHONE, "phone" },
  { FL_FIELD_MOBILE, "mobilephone" },
  { FL_FIELD_STREET, "address" },
  { FL_FIELD_CITY, "city" },
  { FL_FIELD_POSTAL_CODE, "zip" },
  { FL_FIELD_REGION, "state" },
  { FL_FIELD_COUNTRY, "country" },
  { FL_FIELD_WEBSITE, "website" },
  { FL_FIELD_DEPARTMENT, NULL },
  { FL_FIELD_FULL_NAME, NULL },
};

/* What the visit adds, sent only when mapped (map.<name>, or the older
 * option named second). */
static const struct
{
  const char *name;
  const char *legacy_option;
} context_map[] = {
  { "score", "score_property" },
  { "status", "status_property" },
  { "event", "event_property" },
  { "booth", NULL },
  { "notes", NULL },
  { "answers", NULL },
};

/* The property @name (a lead field or context name) goes to. */
static const char *
mapped_property (FlConnector *self, const char *name, const char *fallback)
{
  g_autofree char *key = g_strconcat ("map.", name, NULL);
  const char *property = fl_connector_get_option (self, key, fallback);

  return property != NULL && property[0] != '\0' ? property : NULL;
}

static const char *
field_property (FlConnector *self, guint i)
{
  return mapped_property (self, fl_field_to_string (field_map[i].field), field_map[i].property);
}

static const char *
context_property (FlConnector *self, guint i)
{
  const char *legacy = context_map[i].legacy_option
                         ? fl_connector_get_option (self, context_map[i].legacy_option, NULL)
                         : NULL;

  return mapped_property (self, context_map[i].name, legacy);
}

static const char *
id_property (FlConnector *self)
{
  return fl_connector_get_option (self, "id_property", "email");
}

static const char *
lifecycle_stage (FlConnector *self, FlStatus status)
{
  return _fl_connector_map_status (self, status, "lifecycle", "marketingqualifiedlead",
                                   "salesqualifiedlead", NULL);
}

/* The value HubSpot finds the contact by: the email, or for a custom
 * unique property, the lead's uuid. */
static char *
id_value (FlConnector *self, FlLead *lead)
{
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);

  if (g_str_equal (id_property (self), "email"))
    return email && strchr (email, '@') ? g_utf8_strdown (email, -1) : NULL;
  return g_strdup (fl_lead_get_uuid (lead));
}

/* Sets @name to @value, cut to what a property holds: a lead is never
 * refused for a long value. */
static void
add_property (JsonBuilder *builder, const char *name, const char *value)
{
  g_autofree char *cut = NULL;

  if (name == NULL || value == NULL || value[0] == '\0')
    return;
  if (g_utf8_strlen (value, -1) > MAX_VALUE)
    value = cut = g_utf8_substring (value, 0, MAX_VALUE);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Answers as lines people read: "Budget: 50k". */
static char *
answers_text (FlLead *lead)
{
  JsonNode *answers = fl_lead_get_answers (lead);
  GString *text = g_string_new (NULL);
  JsonObjectIter iter;
  const char *question;
  JsonNode *value;

  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    return g_string_free (text, TRUE);
  json_object_iter_init (&iter, json_node_get_object (answers));
  while (json_object_iter_next (&iter, &question, &value))
    {
      g_autofree char *answer = NULL;

      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        answer = g_strdup (json_node_get_string (value));
      else if (JSON_NODE_HOLDS_ARRAY (value))
        {
          GString *parts = g_string_new (NULL);

          for (guint i = 0; i < json_array_get_length (json_node_get_array (value)); i++)
            {
              JsonNode *part = json_array_get_element (json_node_get_array (value), i);
              g_autofree char *one = JSON_NODE_HOLDS_VALUE (part) &&
                                         json_node_get_value_type (part) == G_TYPE_STRING
                                       ? g_strdup (json_node_get_string (part))
                                       : json_to_string (part, FALSE);

              g_string_append_printf (parts, "%s%s", i ? ", " : "", one);
            }
          answer = g_string_free (parts, FALSE);
        }
      else
        answer = json_to_string (value, FALSE);
      g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "", question, answer);
    }
  return g_string_free (text, text->len == 0);
}

static const char *
event_member (FlSyncBatch *batch, const char *member)
{
  if (batch->event == NULL || !JSON_NODE_HOLDS_OBJECT (batch->event))
    return NULL;
  return json_object_get_string_member_with_default (json_node_get_object (batch->event), member,
                                                     NULL);
}

/* The value of context @name for @lead. */
static char *
context_value (FlSyncBatch *batch, FlLead *lead, const char *name)
{
  if (g_str_equal (name, "score"))
    return g_strdup_printf ("%d", fl_lead_get_score (lead));
  if (g_str_equal (name, "status"))
    return g_strdup (fl_status_to_string (fl_lead_get_status (lead)));
  if (g_str_equal (name, "event"))
    return g_strdup (event_member (batch, "name"));
  if (g_str_equal (name, "booth"))
    return g_strdup (event_member (batch, "booth"));
  if (g_str_equal (name, "notes"))
    return g_strdup (fl_lead_get_notes (lead));
  return answers_text (lead);
}

static int
stage_rank (FlConnector *self, const char *stage)
{
  GHashTable *order = FL_HUBSPOT_CONNECTOR (self)->stage_order;

  if (stage == NULL || stage[0] == '\0')
    return 0;
  if (order != NULL && g_hash_table_contains (order, stage))
    return GPOINTER_TO_INT (g_hash_table_lookup (order, stage));
  for (guint i = 0; i < G_N_ELEMENTS (default_stages); i++)
    if (g_str_equal (stage, default_stages[i]))
      return (int) i + 1;
  /* "other" or a stage we cannot place: never touched */
  return G_MAXINT;
}

/* @current: (nullable): the contact's lifecycle stage in HubSpot now. */
static void
add_properties (FlConnector *self, JsonBuilder *builder, FlSyncBatch *batch, FlLead *lead,
                const char *id, const char *current)
{
  const char *stage = lifecycle_stage (self, fl_lead_get_status (lead));
  const char *full_name = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    add_property (builder, field_property (self, i), fl_lead_get_field (lead, field_map[i].field));
  /* A card that only had "Jane Doe" still fills first and last name. */
  if (full_name != NULL && fl_lead_get_field (lead, FL_FIELD_FIRST_NAME) == NULL &&
      fl_lead_get_field (lead, FL_FIELD_LAST_NAME) == NULL)
    {
      const char *space = strrchr (full_name, ' ');
      const char *first_property = mapped_property (self, "first_name", "firstname");
      const char *last_property = mapped_property (self, "last_name", "lastname");

      if (space != NULL)
        {
          g_autofree char *first = g_strndup (full_name, space - full_name);
          add_property (builder, first_property, first);
          add_property (builder, last_property, space + 1);
        }
      else
        add_property (builder, last_property, full_name);
    }
  /* The lifecycle stage only goes forwards: a customer stays a customer;
   * the Fairlead status still goes to map.status and hs_lead_status. */
  if (stage != NULL && stage_rank (self, stage) > stage_rank (self, current))
    add_property (builder, "lifecyclestage", stage);
  add_property (builder, "hs_lead_status",
                _fl_connector_map_status (self, fl_lead_get_status (lead), "lead_status", NULL,
                                          NULL, NULL));
  for (guint i = 0; i < G_N_ELEMENTS (context_map); i++)
    {
      const char *property = context_property (self, i);
      g_autofree char *value = property ? context_value (batch, lead, context_map[i].name) : NULL;

      add_property (builder, property, value);
    }
  if (!g_str_equal (id_property (self), "email"))
    add_property (builder, id_property (self), id);
  json_builder_end_object (builder);
}

static gboolean
is_transient_category (const char *category)
{
  return category != NULL && (g_str_equal (category, "RATE_LIMITS") ||
                              g_str_equal (category, "SERVER_ERROR"));
}

/* The @index-th string of a context member: HubSpot gives each as a list
 * of strings, a single string is taken too. */
static const char *
context_strings (JsonNode *node, guint index)
{
  JsonArray *array;
  JsonNode *element;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_VALUE (node))
    return index == 0 && json_node_get_value_type (node) == G_TYPE_STRING
             ? json_node_get_string (node)
             : NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  array = json_node_get_array (node);
  if (index >= json_array_get_length (array))
    return NULL;
  element = json_array_get_element (array, index);
  if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (element);
}

static void
read_answer (FlConnector *self, FlSyncBatch *batch, GHashTable *by_id, GHashTable *by_trace,
             FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  JsonObject *object;
  JsonNode *node;
  const char *property = id_property (self);
  GHashTableIter iter;
  FlSyncItem *unconfirmed;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY, _("HubSpot’s answer was not the expected JSON"));
      return;
    }
  object = json_node_get_object (root);

  node = json_object_get_member (object, "errors");
  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
                    i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      JsonObject *error_object, *context;
      const char *message, *category;
      GHashTable *table;
      JsonNode *ids;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      error_object = json_node_get_object (element);
      message = json_object_get_string_member_with_default (error_object, "message",
                                                            _("HubSpot refused the contact"));
      category = json_object_get_string_member_with_default (error_object, "category", NULL);
      if (!json_object_has_member (error_object, "context") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (error_object, "context")))
        continue;
      context = json_object_get_object_member (error_object, "context");
      /* The trace id names the input for sure; "ids" (the id values) is
       * what older answers carry. */
      ids = json_object_get_member (context, "objectWriteTraceId");
      table = by_trace;
      if (ids == NULL || context_strings (ids, 0) == NULL)
        {
          ids = json_object_get_member (context, "ids");
          table = by_id;
        }
      for (guint j = 0; context_strings (ids, j) != NULL; j++)
        {
          const char *id = context_strings (ids, j);
          g_autofree char *key = table == by_id ? g_utf8_strdown (id, -1) : g_strdup (id);
          FlSyncItem *item = g_hash_table_lookup (table, key);
          g_autofree char *text = NULL;

          if (item == NULL)
            continue;
          text = g_strdup_printf (_("HubSpot: %s"), message);
          fl_sync_item_set (item, is_transient_category (category) ? FL_ITEM_RETRY : FL_ITEM_FAILED,
                            NULL, text);
        }
    }

  node = json_object_get_member (object, "results");
  for (guint i = 0; node != NULL && JSON_NODE_HOLDS_ARRAY (node) &&
                    i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (node), i);
      JsonObject *result, *properties;
      g_autofree char *key = NULL;
      const char *value;
      FlSyncItem *item;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      result = json_node_get_object (element);
      if (!json_object_has_member (result, "properties") ||
          !JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "properties")))
        continue;
      properties = json_object_get_object_member (result, "properties");
      value = json_object_get_string_member_with_default (result, "objectWriteTraceId", NULL);
      item = value ? g_hash_table_lookup (by_trace, value) : NULL;
      if (item == NULL)
        {
          value = json_object_get_string_member_with_default (properties, property, NULL);
          key = value ? g_utf8_strdown (value, -1) : NULL;
          item = key ? g_hash_table_lookup (by_id, key) : NULL;
        }
      if (item != NULL && item->result == FL_ITEM_UNSET)
        fl_sync_item_set (item, FL_ITEM_DONE,
                          json_object_get_string_member_with_default (result, "id", NULL), NULL);
    }

  /* A lead the answer neither confirms nor refuses has not arrived as far
   * as anyone can tell: it goes again (an upsert, so never twice). */
  g_hash_table_iter_init (&iter, by_trace);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &unconfirmed))
    if (unconfirmed->result == FL_ITEM_UNSET)
      fl_sync_item_set (unconfirmed, FL_ITEM_RETRY, NULL,
                        _("HubSpot’s answer neither confirmed nor refused this contact; it is "
                          "sent again"));
}

/* Reads the order of the portal's lifecycle stages (displayOrder of the
 * property's options), once per connector. Without it the default order
 * is used. */
static void
read_stage_order (FlHubspotConnector *self, const char *authorization, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *headers[] = { authorization, NULL };
  FlHttpResponse response = { 0 };
  JsonNode *options;

  if (self->stage_order != NULL)
    return;
  self->stage_order = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  url = _fl_connector_build_url (connector, DEFAULT_BASE, LIFECYCLE_PATH);
  if (!_fl_connector_http (connector, "GET", url, headers, NULL, 0, &response, cancellable, NULL) ||
      response.status != 200)
    {
      _fl_http_response_clear (&response);
      return;
    }
  root = _fl_connector_parse_body (&response);
  _fl_http_response_clear (&response);
  options = root && JSON_NODE_HOLDS_OBJECT (root)
              ? json_object_get_member (json_node_get_object (root), "options")
              : NULL;
  for (guint i = 0; options != NULL && JSON_NODE_HOLDS_ARRAY (options) &&
                    i < json_array_get_length (json_node_get_array (options)); i++)
    {
      JsonNode *option = json_array_get_element (json_node_get_array (options), i);
      const char *value;
      gint64 order;

      if (!JSON_NODE_HOLDS_OBJECT (option))
        continue;
      value = json_object_get_string_member_with_default (json_node_get_object (option), "value", NULL);
      order = json_object_get_int_member_with_default (json_node_get_object (option), "displayOrder", -1);
      if (value != NULL && order >= 0 && g_ascii_strcasecmp (value, "other") != 0)
        g_hash_table_insert (self->stage_order, g_strdup (value), GINT_TO_POINTER ((int) order + 1));
    }
}

/* Reads the current lifecycle stage of the batch's contacts (batch read
 * by the id property) into @current: id → stage. Contacts HubSpot does
 * not have are simply absent. */
static gboolean
read_current_stages (FlConnector *self, FlSyncBatch *batch, const char *authorization,
                     GPtrArray *ids, GHashTable *current, GCancellable *cancellable)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *url = NULL;
  const char *headers[] = { "Content-Type: application/json", authorization, NULL };
  const char *property = id_property (self);
  FlHttpResponse response = { 0 };
  JsonNode *results;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "idProperty");
  json_builder_add_string_value (builder, property);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, property);
  json_builder_add_string_value (builder, "lifecyclestage");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ids->pdata[i]);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  body = json_to_string (request, FALSE);
  url = _fl_connector_build_url (self, DEFAULT_BASE, READ_PATH);
  _fl_connector_http (self, "POST", url, headers, body, strlen (body), &response, cancellable, NULL);
  /* 207: some were not found, which is what new contacts are. */
  if (!_fl_connector_check_response (self, &response, batch))
    {
      _fl_http_response_clear (&response);
      if (batch->status != FL_SEND_REFUSED)
        return FALSE;
      /* Stages unknown: the leads still go, and no stage is set, so
       * none can go backwards. */
      g_message ("%s: cannot read the contacts' lifecycle stages (%s); not setting any",
                 fl_connector_get_name (self), batch->message);
      fl_sync_batch_set (batch, FL_SEND_OK, NULL);
      batch->retry_after = -1;
      for (guint i = 0; i < ids->len; i++)
        g_hash_table_insert (current, g_strdup (ids->pdata[i]), g_strdup ("other"));
      return TRUE;
    }
  root = _fl_connector_parse_body (&response);
  _fl_http_response_clear (&response);
  results = root && JSON_NODE_HOLDS_OBJECT (root)
              ? json_object_get_member (json_node_get_object (root), "results")
              : NULL;
  for (guint i = 0; results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
                    i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (results), i);
      JsonObject *properties;
      const char *id, *stage;

      if (!JSON_NODE_HOLDS_OBJECT (element) ||
          !json_object_has_member (json_node_get_object (element), "properties"))
        continue;
      properties = json_object_get_object_member (json_node_get_object (element), "properties");
      if (properties == NULL)
        continue;
      id = json_object_get_string_member_with_default (properties, property, NULL);
      stage = json_object_get_string_member_with_default (properties, "lifecyclestage", NULL);
      if (id != NULL && stage != NULL)
        g_hash_table_insert (current,
                             g_str_equal (property, "email") ? g_utf8_strdown (id, -1) : g_strdup (id),
                             g_strdup (stage));
    }
  return TRUE;
}

#define SUBSCRIBE_PATH "/communication-preferences/v3/subscribe"
#define NOTES_PATH "/crm/v3/objects/notes/batch/create"
#define DEFINITIONS_PATH "/communication-preferences/v3/definitions"
#define NOTE_TO_CONTACT 202  /* HubSpot-defined association type note → contact */

/* The consent the visitor gave, or NULL. */
static JsonObject *
given_consent (FlLead *lead)
{
  JsonNode *consent = fl_lead_get_consent (lead);

  if (consent == NULL || !JSON_NODE_HOLDS_OBJECT (consent) ||
      !json_object_get_boolean_member_with_default (json_node_get_object (consent), "given", FALSE))
    return NULL;
  return json_node_get_object (consent);
}

/* Subscribes every delivered contact who consented to the subscription
 * type of the option subscription_id, with the legal basis and an
 * explanation naming the event, the consent text's version and the time.
 * One already subscribed stays so. */
static void
send_consents (FlConnector *self, FlSyncBatch *batch, const char *authorization,
               GCancellable *cancellable)
{
  const char *subscription = fl_connector_get_option (self, "subscription_id", NULL);
  const char *headers[] = { "Content-Type: application/json", authorization, NULL };
  g_autofree char *url = NULL;

  if (subscription == NULL)
    return;
  url = _fl_connector_build_url (self, DEFAULT_BASE, SUBSCRIBE_PATH);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      JsonObject *consent = given_consent (item->lead);
      const char *email = fl_lead_get_field (item->lead, FL_FIELD_EMAIL);
      g_autoptr(JsonBuilder) builder = NULL;
      g_autoptr(JsonNode) root = NULL;
      g_autoptr(FlSyncBatch) one = NULL;
      g_autofree char *explanation = NULL;
      g_autofree char *body = NULL;
      g_autofree char *said = NULL;
      FlHttpResponse response = { 0 };
      const char *event = event_member (batch, "name");

      if (item->result != FL_ITEM_DONE || consent == NULL || email == NULL)
        continue;
      explanation = g_strdup_printf ("Consent given at %s%s%s, consent text version %s, at %s, "
                                     "recorded with Fairlead",
                                     event ? event : "the booth",
                                     event_member (batch, "booth") ? ", booth " : "",
                                     event_member (batch, "booth") ? event_member (batch, "booth") : "",
                                     json_object_get_string_member_with_default (consent, "version", "?"),
                                     json_object_get_string_member_with_default (consent, "at", "?"));
      builder = json_builder_new ();
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "emailAddress");
      json_builder_add_string_value (builder, email);
      json_builder_set_member_name (builder, "subscriptionId");
      json_builder_add_string_value (builder, subscription);
      json_builder_set_member_name (builder, "legalBasis");
      json_builder_add_string_value (builder, fl_connector_get_option (self, "legal_basis",
                                                                      "CONSENT_WITH_NOTICE"));
      json_builder_set_member_name (builder, "legalBasisExplanation");
      json_builder_add_string_value (builder, explanation);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      body = json_to_string (root, FALSE);

      one = fl_sync_batch_new (NULL, NULL);
      _fl_connector_http (self, "POST", url, headers, body, strlen (body), &response, cancellable,
                          NULL);
      if (_fl_connector_check_response (self, &response, one))
        {
          _fl_http_response_clear (&response);
          continue;
        }
      said = _fl_connector_server_message (&response);
      _fl_http_response_clear (&response);
      if (one->status == FL_SEND_REFUSED && strstr (said, "already subscribed") != NULL)
        continue;
      if (one->status == FL_SEND_STOP || one->status == FL_SEND_RETRY)
        {
          /* The batch goes again as a whole (upserts and subscriptions
           * repeat harmlessly). */
          fl_sync_batch_set (batch, one->status, one->message);
          batch->retry_after = one->retry_after;
          batch->http_status = one->http_status;
          return;
        }
      {
        g_autofree char *message =
          g_strdup_printf (_("HubSpot took the contact but refused the subscription: %s"), said);
        fl_sync_item_set (item, FL_ITEM_FAILED, NULL, message);
      }
    }
}

/* The visit, as a note on each delivered contact: event, booth, score,
 * status, notes and answers, for whoever calls. */
static void
send_notes (FlConnector *self, FlSyncBatch *batch, const char *authorization,
            GCancellable *cancellable)
{
  const char *headers[] = { "Content-Type: application/json", authorization, NULL };
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *url = _fl_connector_build_url (self, DEFAULT_BASE, NOTES_PATH);
  g_autofree char *body = NULL;
  g_autofree char *now = fl_now_iso8601 ();
  FlHttpResponse response = { 0 };
  guint n = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *answers = NULL;

      if (item->result != FL_ITEM_DONE || item->remote_id == NULL)
        continue;
      g_string_append_printf (text, "Fairlead: visit at %s", event_member (batch, "name") ? event_member (batch, "name") : "the booth");
      if (event_member (batch, "booth") != NULL)
        g_string_append_printf (text, ", booth %s", event_member (batch, "booth"));
      g_string_append_printf (text, "\nScore: %d (%s)", fl_lead_get_score (item->lead),
                              fl_status_to_string (fl_lead_get_status (item->lead)));
      if (fl_lead_get_notes (item->lead) != NULL)
        g_string_append_printf (text, "\n\n%s", fl_lead_get_notes (item->lead));
      if ((answers = answers_text (item->lead)) != NULL)
        g_string_append_printf (text, "\n\nAnswers:\n%s", answers);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "properties");
      json_builder_begin_object (builder);
      add_property (builder, "hs_timestamp", now);
      add_property (builder, "hs_note_body", text->str);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "associations");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "to");
      json_builder_begin_object (builder);
      add_property (builder, "id", item->remote_id);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "types");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      add_property (builder, "associationCategory", "HUBSPOT_DEFINED");
      json_builder_set_member_name (builder, "associationTypeId");
      json_builder_add_int_value (builder, NOTE_TO_CONTACT);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      n++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (n == 0)
    return;
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  _fl_connector_http (self, "POST", url, headers, body, strlen (body), &response, cancellable, NULL);
  if (!_fl_connector_check_response (self, &response, batch) && batch->status == FL_SEND_REFUSED)
    {
      /* The contacts are in; a refused note fails none of them. */
      g_message ("%s: HubSpot refused the notes (%s)", fl_connector_get_name (self), batch->message);
      fl_sync_batch_set (batch, FL_SEND_OK, NULL);
    }
  _fl_http_response_clear (&response);
}

static void
fl_hubspot_connector_send (FlConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) by_trace = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) current = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *url = NULL;
  g_autofree char *body = NULL;
  FlHttpResponse response = { 0 };
  const char *headers[3] = { "Content-Type: application/json", NULL, NULL };
  guint n_inputs = 0;
  gsize length;

  if (!_fl_connector_bearer_header (self, &authorization, &error))
    {
      fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
      return;
    }
  headers[1] = authorization;

  /* What stage each contact is at now, so that none goes backwards. */
  for (guint i = 0; i < batch->items->len; i++)
    {
      char *id = id_value (self, ((FlSyncItem *) g_ptr_array_index (batch->items, i))->lead);

      if (id != NULL)
        g_ptr_array_add (ids, id);
    }
  if (ids->len > 0)
    {
      read_stage_order (FL_HUBSPOT_CONNECTOR (self), authorization, cancellable);
      if (!read_current_stages (self, batch, authorization, ids, current, cancellable))
        return;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "inputs");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      g_autofree char *id = id_value (self, item->lead);

      if (id == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The lead has no email address, which HubSpot needs to find the "
                               "contact (id_property “%s”). Add the email, or set id_property to "
                               "a unique custom property."),
                             id_property (self));
          fl_sync_item_set (item, FL_ITEM_FAILED, NULL, message);
          continue;
        }
      if (g_hash_table_contains (by_id, id))
        {
          /* One contact twice in a batch is refused; the second waits. */
          fl_sync_item_set (item, FL_ITEM_RETRY, NULL,
                            _("Another lead with the same email went in the same batch; this "
                              "one follows in the next"));
          continue;
        }
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "idProperty");
      json_builder_add_string_value (builder, id_property (self));
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "objectWriteTraceId");
      json_builder_add_string_value (builder, fl_lead_get_uuid (item->lead));
      json_builder_set_member_name (builder, "properties");
      add_properties (self, builder, batch, item->lead, id, g_hash_table_lookup (current, id));
      json_builder_end_object (builder);
      g_hash_table_insert (by_id, g_steal_pointer (&id), item);
      g_hash_table_insert (by_trace, (gpointer) fl_lead_get_uuid (item->lead), item);
      n_inputs++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  if (n_inputs == 0)
    return;

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);
  url = _fl_connector_build_url (self, DEFAULT_BASE, UPSERT_PATH);
  _fl_connector_http (self, "POST", url, headers, body, length, &response, cancellable, NULL);
  if (_fl_connector_check_response (self, &response, batch))
    {
      read_answer (self, batch, by_id, by_trace, &response);
      if (batch->status == FL_SEND_OK)
        send_consents (self, batch, authorization, cancellable);
      if (batch->status == FL_SEND_OK && g_strcmp0 (fl_connector_get_option (self, "note", NULL), "true") == 0)
        send_notes (self, batch, authorization, cancellable);
    }
  _fl_http_response_clear (&response);
  memset (authorization, 0, strlen (authorization));
}

static gboolean
fl_hubspot_connector_validate (FlConnector *self, GError **error)
{
  const char *property = id_property (self);
  g_autoptr(GList) members = json_object_get_members (fl_connector_get_options (self));

  if (property[0] == '\0' || strpbrk (property, " /?#") != NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a HubSpot property name (option id_property)"), property);
      return FALSE;
    }
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const char *name = key + strlen ("map.");
      const char *value;
      gboolean known = FALSE;

      if (!g_str_has_prefix (key, "map."))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
        known = known || g_str_equal (name, fl_field_to_string (field_map[i].field));
      for (guint i = 0; i < G_N_ELEMENTS (context_map); i++)
        known = known || g_str_equal (name, context_map[i].name);
      if (!known)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("“%s” is not something Fairlead sends (option %s). Map one of: "
                         "first_name, last_name, full_name, email, phone, mobile, company, title, "
                         "department, street, city, postal_code, region, country, website, score, "
                         "status, event, booth, notes, answers."),
                       name, key);
          return FALSE;
        }
      value = fl_connector_get_option (self, key, "");
      if (strpbrk (value, " /?#") != NULL)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("“%s” is not a HubSpot property name (option %s)"), value, key);
          return FALSE;
        }
    }
  return TRUE;
}

/* A property the connector sends, with the values an enumeration must
 * offer for it (NULL-terminated; none: any). */
typedef struct
{
  const char *property;
  const char *option;
  const char *values[4];
} Wanted;

static void
want (Wanted *wanted, guint *n, const char *property, const char *option)
{
  wanted[*n] = (Wanted) { property, option, { NULL } };
  (*n)++;
}

/* Checks every property the connector sends, for the test. */
static void
check_properties (FlConnector *self, JsonNode *root, GString *report, GString *missing)
{
  g_autoptr(GHashTable) properties = g_hash_table_new (g_str_hash, g_str_equal);
  JsonNode *results = root && JSON_NODE_HOLDS_OBJECT (root)
                        ? json_object_get_member (json_node_get_object (root), "results")
                        : NULL;
  Wanted wanted[G_N_ELEMENTS (field_map) + G_N_ELEMENTS (context_map) + 1];
  guint n = 0, n_values = 0;

  for (guint i = 0; results != NULL && JSON_NODE_HOLDS_ARRAY (results) &&
                    i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (results), i);
      const char *name;

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          (name = json_object_get_string_member_with_default (json_node_get_object (element),
                                                              "name", NULL)) != NULL)
        g_hash_table_insert (properties, (gpointer) name, json_node_get_object (element));
    }

  for (guint i = 0; i < G_N_ELEMENTS (field_map); i++)
    if (field_property (self, i) != NULL)
      want (wanted, &n, field_property (self, i), fl_field_to_string (field_map[i].field));
  for (guint i = 0; i < G_N_ELEMENTS (context_map); i++)
    if (context_property (self, i) != NULL)
      {
        want (wanted, &n, context_property (self, i), context_map[i].name);
        if (g_str_equal (context_map[i].name, "status"))
          for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
            wanted[n - 1].values[status] = fl_status_to_string (status);
      }
  want (wanted, &n, "hs_lead_status", "lead_status");
  for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
    if (_fl_connector_map_status (self, status, "lead_status", NULL, NULL, NULL) != NULL)
      wanted[n - 1].values[n_values++] = _fl_connector_map_status (self, status, "lead_status", NULL, NULL, NULL);
  if (n_values == 0)
    n--;  /* hs_lead_status is not sent */

  for (guint i = 0; i < n; i++)
    {
      JsonObject *property = g_hash_table_lookup (properties, wanted[i].property);
      JsonNode *options;
      g_autoptr(GHashTable) values = NULL;

      if (property == NULL)
        {
          g_string_append_printf (missing, _("- the contact property “%s” (for %s) does not exist\n"),
                                  wanted[i].property, wanted[i].option);
          continue;
        }
      options = json_object_get_member (property, "options");
      if (g_strcmp0 (json_object_get_string_member_with_default (property, "type", NULL),
                     "enumeration") != 0 || options == NULL || !JSON_NODE_HOLDS_ARRAY (options))
        {
          g_string_append_printf (report, _("Contact property “%s” exists\n"), wanted[i].property);
          continue;
        }
      values = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint j = 0; j < json_array_get_length (json_node_get_array (options)); j++)
        {
          JsonNode *option = json_array_get_element (json_node_get_array (options), j);

          if (JSON_NODE_HOLDS_OBJECT (option))
            g_hash_table_add (values, (gpointer) json_object_get_string_member_with_default (
                                        json_node_get_object (option), "value", ""));
        }
      for (guint k = 0; k < G_N_ELEMENTS (wanted[i].values) && wanted[i].values[k] != NULL; k++)
        if (!g_hash_table_contains (values, wanted[i].values[k]))
          g_string_append_printf (missing,
                                  _("- the contact property “%s” (for %s) has no option “%s”\n"),
                                  wanted[i].property, wanted[i].option, wanted[i].values[k]);
      g_string_append_printf (report, _("Contact property “%s” exists\n"), wanted[i].property);
    }
}

static guint
fl_hubspot_connector_get_max_batch (FlConnector *self)
{
  return MAX_INPUTS;
}

static gboolean
fl_hubspot_connector_test (FlConnector *self, GString *report, GCancellable *cancellable,
                           GError **error)
{
  g_autofree char *url = NULL;
  g_autoptr(GHashTable) stages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *options;
  gboolean ok = TRUE;

  url = _fl_connector_build_url (self, DEFAULT_BASE, LIFECYCLE_PATH);
  if (!_fl_connector_probe (self, url, report, &root, cancellable, error))
    return FALSE;
  options = root && JSON_NODE_HOLDS_OBJECT (root)
              ? json_object_get_member (json_node_get_object (root), "options")
              : NULL;
  for (guint i = 0; options != NULL && JSON_NODE_HOLDS_ARRAY (options) &&
                    i < json_array_get_length (json_node_get_array (options)); i++)
    {
      JsonNode *option = json_array_get_element (json_node_get_array (options), i);

      if (JSON_NODE_HOLDS_OBJECT (option))
        g_hash_table_add (stages, (gpointer) json_object_get_string_member_with_default (
                                    json_node_get_object (option), "value", ""));
    }
  for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
    {
      const char *stage = lifecycle_stage (self, status);

      if (stage == NULL)
        continue;
      if (g_hash_table_contains (stages, stage))
        g_string_append_printf (report, _("Lifecycle stage “%s” for %s exists\n"), stage,
                                fl_status_to_string (status));
      else
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("HubSpot has no lifecycle stage “%s” (mapped from %s). Set the option "
                         "lifecycle_%s to one of the stages of your portal."),
                       stage, fl_status_to_string (status),
                       status == FL_STATUS_MQL ? "mql" : status == FL_STATUS_SAL ? "sal"
                                                                                 : "disqualified");
          ok = FALSE;
          break;
        }
    }
  if (!ok)
    return FALSE;

  /* Every mapped property, before the show rather than after 200 failures. */
  {
    g_autoptr(JsonNode) all = NULL;
    g_autoptr(GString) missing = g_string_new (NULL);
    g_autofree char *properties_url = _fl_connector_build_url (self, DEFAULT_BASE, PROPERTIES_PATH);

    if (!_fl_connector_probe (self, properties_url, report, &all, cancellable, error))
      return FALSE;
    check_properties (self, all, report, missing);
    if (missing->len > 0)
      {
        g_strchomp (missing->str);
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                     _("HubSpot lacks what the connector sends:\n%s\nCreate the properties (Settings "
                       "→ Properties) or change the mapping (--option map.FIELD=PROPERTY, empty to "
                       "send nothing)."),
                     missing->str);
        return FALSE;
      }
  }

  /* The subscription type consenting visitors are subscribed to. */
  if (fl_connector_get_option (self, "subscription_id", NULL) != NULL)
    {
      const char *wanted = fl_connector_get_option (self, "subscription_id", NULL);
      g_autoptr(JsonNode) definitions = NULL;
      g_autofree char *definitions_url = _fl_connector_build_url (self, DEFAULT_BASE, DEFINITIONS_PATH);
      JsonNode *list;
      gboolean found = FALSE;

      if (!_fl_connector_probe (self, definitions_url, report, &definitions, cancellable, error))
        return FALSE;
      list = definitions && JSON_NODE_HOLDS_OBJECT (definitions)
               ? json_object_get_member (json_node_get_object (definitions), "subscriptionDefinitions")
               : NULL;
      for (guint i = 0; !found && list != NULL && JSON_NODE_HOLDS_ARRAY (list) &&
                        i < json_array_get_length (json_node_get_array (list)); i++)
        {
          JsonNode *element = json_array_get_element (json_node_get_array (list), i);
          JsonNode *id = JSON_NODE_HOLDS_OBJECT (element)
                           ? json_object_get_member (json_node_get_object (element), "id")
                           : NULL;
          g_autofree char *text = NULL;

          if (id == NULL || !JSON_NODE_HOLDS_VALUE (id))
            continue;
          text = json_node_get_value_type (id) == G_TYPE_STRING
                   ? g_strdup (json_node_get_string (id))
                   : g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (id));
          found = g_str_equal (text, wanted);
        }
      if (!found)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                       _("HubSpot has no subscription type %s (option subscription_id); see "
                         "Settings → Marketing → Email → Subscription Types"),
                       wanted);
          return FALSE;
        }
      g_string_append_printf (report, _("Subscription type %s exists\n"), wanted);
    }
  return TRUE;
}

static void
fl_hubspot_connector_finalize (GObject *object)
{
  g_clear_pointer (&FL_HUBSPOT_CONNECTOR (object)->stage_order, g_hash_table_unref);

  G_OBJECT_CLASS (fl_hubspot_connector_parent_class)->finalize (object);
}

static void
fl_hubspot_connector_class_init (FlHubspotConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  object_class->finalize = fl_hubspot_connector_finalize;

  connector_class->validate = fl_hubspot_connector_validate;
  connector_class->get_max_batch = fl_hubspot_connector_get_max_batch;
  connector_class->send = fl_hubspot_connector_send;
  connector_class->test = fl_hubspot_connector_test;
}

static void
fl_hubspot_connector_init (FlHubspotConnector *self)
{
}
