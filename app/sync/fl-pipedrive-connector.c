/* fl-pipedrive-connector.c: leads as Pipedrive persons, organisations and
 * leads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pipedrive has no upsert and no batch: each lead takes several requests.
 * The organisation is found by its exact name or made; the person is found
 * by email (GET /v1/persons/search) and updated, or made; then a lead
 * ("Visitor at <event>", labelled from the status) and a note with what
 * the booth learnt. Every id Pipedrive hands out is kept in the outbox
 * (remote_id, as {"org":…,"person":…,"lead":…,"note":…}) before the next
 * request, and looked up again when the answer to a creation was lost, so
 * a retry never makes a second person, lead or note.
 *
 * The credential is an API token (header x-api-token), or with the option
 * client_id an OAuth refresh token (the secret is
 * CLIENT_SECRET:REFRESH_TOKEN).
 */
#define G_LOG_DOMAIN "fl-pipedrive"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-oauth.h"
#include "fl-sync.h"

#define DEFAULT_BASE "https://api.pipedrive.com"
#define DEFAULT_LOGIN "https://oauth.pipedrive.com"
#define MAX_LEADS 20
#define MAX_NOTE 65000

struct _FlPipedriveConnector
{
  FlConnector  parent_instance;

  FlOAuth     *oauth;       /* (nullable): API token when NULL */
  GHashTable  *labels;      /* label name → id, once fetched */
};

G_DEFINE_FINAL_TYPE (FlPipedriveConnector, fl_pipedrive_connector, FL_TYPE_CONNECTOR)

typedef enum
{
  CALL_OK,
  CALL_NOT_FOUND,   /* 404 or 410 to a PUT or PATCH: the object is gone */
  CALL_REFUSED,     /* this lead's data was refused; the item says why */
  CALL_BATCH,       /* the batch's status says what to do */
} CallResult;

/* What was made in Pipedrive for one lead so far. */
typedef struct
{
  gint64  org;
  gint64  person;
  char   *lead;
  gint64  note;
} Made;

static void
made_clear (Made *made)
{
  g_clear_pointer (&made->lead, g_free);
}

static void
made_parse (Made *made, const char *text)
{
  g_autoptr(JsonNode) root = text ? json_from_string (text, NULL) : NULL;
  JsonObject *object;

  memset (made, 0, sizeof *made);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  made->org = json_object_get_int_member_with_default (object, "org", 0);
  made->person = json_object_get_int_member_with_default (object, "person", 0);
  made->lead = g_strdup (json_object_get_string_member_with_default (object, "lead", NULL));
  made->note = json_object_get_int_member_with_default (object, "note", 0);
}

static char *
made_to_string (Made *made)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  if (made->org > 0)
    {
      json_builder_set_member_name (builder, "org");
      json_builder_add_int_value (builder, made->org);
    }
  if (made->person > 0)
    {
      json_builder_set_member_name (builder, "person");
      json_builder_add_int_value (builder, made->person);
    }
  if (made->lead != NULL)
    {
      json_builder_set_member_name (builder, "lead");
      json_builder_add_string_value (builder, made->lead);
    }
  if (made->note > 0)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_int_value (builder, made->note);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
api_url (FlPipedriveConnector *self, const char *path)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *domain = self->oauth ? _fl_oauth_get_extra (self->oauth, "api_domain") : NULL;

  if (fl_connector_get_url (connector) == NULL && domain != NULL &&
      g_str_has_prefix (domain, "https://") && _fl_oauth_check_url (domain))
    {
      gsize length = strlen (domain);

      while (length > 0 && domain[length - 1] == '/')
        length--;
      return g_strdup_printf ("%.*s%s", (int) length, domain, path);
    }
  return _fl_connector_build_url (connector, DEFAULT_BASE, path);
}

/* One request; for a 2xx with "success": true, @data is the "data". */
static CallResult
call (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, const char *method,
      const char *path, JsonNode *body, JsonNode **data, GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = api_url (self, path);
  g_autofree char *text = NULL;
  g_autofree char *token = NULL;
  g_autofree char *header = NULL;
  g_autoptr(JsonNode) root = NULL;
  FlHttpResponse response = { 0 };
  const char *headers[4] = { "Accept: application/json", NULL, NULL, NULL };
  gsize length = 0;
  gboolean answered;
  CallResult result = CALL_BATCH;

  if (data != NULL)
    *data = NULL;
  if (body != NULL)
    {
      text = json_to_string (body, FALSE);
      length = strlen (text);
      headers[1] = "Content-Type: application/json";
    }
  /* A creation is not idempotent: never resent by libcurl itself. */
  _fl_connector_set_fresh_connect (connector, g_str_equal (method, "POST"));
  if (self->oauth != NULL)
    answered = _fl_oauth_request (self->oauth, connector, method, url, headers, text, length,
                                  &response, cancellable, &error);
  else
    {
      if ((token = _fl_connector_get_secret (connector, TRUE, &error)) == NULL)
        {
          fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
          return CALL_BATCH;
        }
      header = g_strdup_printf ("x-api-token: %s", token);
      memset (token, 0, strlen (token));
      headers[body ? 2 : 1] = header;
      answered = _fl_connector_http (connector, method, url, headers, text, length, &response,
                                     cancellable, &error);
      memset (header, 0, strlen (header));
    }
  _fl_connector_set_fresh_connect (connector, FALSE);
  if (!answered)
    {
      if (response.curl_code != 0)
        _fl_connector_check_response (connector, &response, batch);
      else
        _fl_oauth_fail_batch (batch, error);
      _fl_http_response_clear (&response);
      return CALL_BATCH;
    }

  root = _fl_connector_parse_body (&response);
  /* Gone is news only for an object asked for by its id. */
  if ((response.status == 404 || response.status == 410) &&
      (g_str_equal (method, "PUT") || g_str_equal (method, "PATCH")))
    result = CALL_NOT_FOUND;
  else if (response.status >= 400 && response.status < 500 && response.status != 401 &&
           response.status != 403 && response.status != 408 && response.status != 429)
    {
      g_autofree char *said = _fl_connector_server_message (&response);
      g_autofree char *message = g_strdup_printf (_("Pipedrive: %s (HTTP %ld)"), said,
                                                  response.status);

      fl_sync_item_set (item, FL_ITEM_FAILED, NULL, message);
      result = CALL_REFUSED;
    }
  else if (_fl_connector_check_response (connector, &response, batch))
    {
      JsonObject *object = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root)
                                                                 : NULL;

      if (object == NULL || !json_object_get_boolean_member_with_default (object, "success", FALSE))
        fl_sync_batch_set (batch, FL_SEND_RETRY,
                           _("Pipedrive’s answer was not the expected JSON"));
      else
        {
          if (data != NULL && json_object_has_member (object, "data"))
            *data = json_node_copy (json_object_get_member (object, "data"));
          result = CALL_OK;
        }
    }
  _fl_http_response_clear (&response);
  return result;
}

static gint64
int_id (JsonNode *data)
{
  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return 0;
  return json_object_get_int_member_with_default (json_node_get_object (data), "id", 0);
}

/* The id of the first search result (GET /v1/…/search: data.items[].item) */
static gint64
first_found (JsonNode *data)
{
  JsonNode *items;
  JsonArray *array;

  if (data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return 0;
  items = json_object_get_member (json_node_get_object (data), "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    return 0;
  array = json_node_get_array (items);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JsonNode *found;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      found = json_object_get_member (json_node_get_object (element), "item");
      if (int_id (found) > 0)
        return int_id (found);
    }
  return 0;
}

static char *
search_path (const char *what, const char *field, const char *term, const char *extra)
{
  g_autofree char *escaped = g_uri_escape_string (term, NULL, FALSE);

  return g_strdup_printf ("/v1/%s/search?term=%s&fields=%s&exact_match=true%s", what, escaped,
                          field, extra ? extra : "");
}

static gboolean
keep (FlSyncBatch *batch, FlSyncItem *item, Made *made)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = made_to_string (made);

  if (fl_sync_batch_checkpoint (batch, item, text, &error))
    return TRUE;
  /* Going on could make a second copy on the next try: stop here. */
  fl_sync_batch_set (batch, FL_SEND_RETRY, error->message);
  return FALSE;
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
person_name (FlConnector *self, FlLead *lead)
{
  const char *first = fl_lead_get_field (lead, FL_FIELD_FIRST_NAME);
  const char *last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  const char *full = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);

  if (first != NULL || last != NULL)
    return g_strjoin (" ", first ? first : last, first && last ? last : NULL, NULL);
  if (full != NULL)
    return g_strdup (full);
  if (email != NULL)
    return g_strdup (email);
  return g_strdup (fl_connector_get_option (self, "placeholder", "[not provided]"));
}

static void
add_list (JsonBuilder *builder, const char *name, const char *first, const char *second)
{
  if (first == NULL && second == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < 2; i++)
    {
      const char *value = i == 0 ? first : second;

      if (value == NULL)
        continue;
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, value);
      json_builder_set_member_name (builder, "primary");
      json_builder_add_boolean_value (builder, i == 0 || first == NULL);
      json_builder_set_member_name (builder, "label");
      json_builder_add_string_value (builder, i == 0 ? "work" : "mobile");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
person_body (FlConnector *self, FlLead *lead, gint64 org)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = person_name (self, lead);
  const char *title = fl_lead_get_field (lead, FL_FIELD_TITLE);
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  add_list (builder, "email", email, NULL);
  add_list (builder, "phone", fl_lead_get_field (lead, FL_FIELD_PHONE),
            fl_lead_get_field (lead, FL_FIELD_MOBILE));
  if (title != NULL && fl_connector_get_option (self, "job_title_field", NULL) != NULL)
    {
      json_builder_set_member_name (builder, fl_connector_get_option (self, "job_title_field", NULL));
      json_builder_add_string_value (builder, title);
    }
  if (org > 0)
    {
      json_builder_set_member_name (builder, "org_id");
      json_builder_add_int_value (builder, org);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static JsonNode *
lead_body (FlPipedriveConnector *self, FlSyncBatch *batch, FlLead *lead, Made *made)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *title = event_name (batch) ? g_strdup_printf ("Visitor at %s", event_name (batch))
                                              : g_strdup ("Trade show visitor");
  const char *label = _fl_connector_map_status (FL_CONNECTOR (self), fl_lead_get_status (lead),
                                                "label", "Warm", "Hot", "Cold");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "person_id");
  json_builder_add_int_value (builder, made->person);
  if (made->org > 0)
    {
      json_builder_set_member_name (builder, "organization_id");
      json_builder_add_int_value (builder, made->org);
    }
  json_builder_set_member_name (builder, "label_ids");
  json_builder_begin_array (builder);
  if (label != NULL && g_hash_table_lookup (self->labels, label) != NULL)
    json_builder_add_string_value (builder, g_hash_table_lookup (self->labels, label));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static char *
answer_text (JsonNode *value)
{
  if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (value));
  return json_to_string (value, FALSE);
}

/* The note; its last line names the Fairlead lead, so that a note whose
 * answer was lost is found again. */
static char *
note_content (FlSyncBatch *batch, FlLead *lead)
{
  GString *text = g_string_new (NULL);
  JsonNode *answers = fl_lead_get_answers (lead);
  g_autofree char *notes = fl_lead_get_notes (lead)
                             ? g_markup_escape_text (fl_lead_get_notes (lead), -1)
                             : NULL;

  if (event_name (batch) != NULL)
    {
      g_autofree char *event = g_markup_escape_text (event_name (batch), -1);
      g_string_append_printf (text, "Event: %s<br>", event);
    }
  g_string_append_printf (text, "Fairlead score: %d (%s)<br>", fl_lead_get_score (lead),
                          fl_status_to_string (fl_lead_get_status (lead)));
  if (notes != NULL)
    g_string_append_printf (text, "<br>%s<br>", notes);
  if (answers != NULL && JSON_NODE_HOLDS_OBJECT (answers) &&
      json_object_get_size (json_node_get_object (answers)) > 0)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      g_string_append (text, "<br>Answers:<br>");
      json_object_iter_init (&iter, json_node_get_object (answers));
      while (json_object_iter_next (&iter, &question, &value))
        {
          g_autofree char *answer = answer_text (value);
          g_autofree char *q = g_markup_escape_text (question, -1);
          g_autofree char *a = g_markup_escape_text (answer, -1);
          g_string_append_printf (text, "- %s: %s<br>", q, a);
        }
    }
  if (text->len > MAX_NOTE)
    {
      const char *end = g_utf8_find_prev_char (text->str, text->str + MAX_NOTE);
      g_string_truncate (text, end ? end - text->str : 0);
    }
  g_string_append_printf (text, "<br>Fairlead lead %s", fl_lead_get_uuid (lead));
  return g_string_free (text, FALSE);
}

static JsonNode *
note_body (FlSyncBatch *batch, FlLead *lead, const char *lead_id)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *content = note_content (batch, lead);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  if (lead_id != NULL)
    {
      json_builder_set_member_name (builder, "lead_id");
      json_builder_add_string_value (builder, lead_id);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* Finds a lead of @made->person with @title, made before an answer was lost. */
static CallResult
find_lead (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
           const char *title, GCancellable *cancellable)
{
  g_autofree char *path = g_strdup_printf ("/v1/leads?person_id=%" G_GINT64_FORMAT, made->person);
  g_autoptr(JsonNode) data = NULL;
  CallResult result = call (self, batch, item, "GET", path, NULL, &data, cancellable);

  if (result != CALL_OK)
    return result;
  for (guint i = 0; data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
                    i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (data), i);
      JsonObject *lead;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      lead = json_node_get_object (element);
      if (g_strcmp0 (json_object_get_string_member_with_default (lead, "title", NULL), title) == 0 &&
          json_object_get_string_member_with_default (lead, "id", NULL) != NULL)
        {
          made->lead = g_strdup (json_object_get_string_member (lead, "id"));
          break;
        }
    }
  return CALL_OK;
}

static CallResult
find_note (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
           GCancellable *cancellable)
{
  g_autofree char *path = g_strdup_printf ("/v1/notes?lead_id=%s", made->lead);
  g_autofree char *marker = g_strdup_printf ("Fairlead lead %s", fl_lead_get_uuid (item->lead));
  g_autoptr(JsonNode) data = NULL;
  CallResult result = call (self, batch, item, "GET", path, NULL, &data, cancellable);

  if (result != CALL_OK)
    return result;
  for (guint i = 0; data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
                    i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (data), i);
      const char *content;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      content = json_object_get_string_member_with_default (json_node_get_object (element),
                                                            "content", "");
      if (g_str_has_suffix (content, marker))
        {
          made->note = int_id (element);
          break;
        }
    }
  return CALL_OK;
}

#define CHECK(expr)                      \
  G_STMT_START {                         \
    CallResult _r = (expr);              \
    if (_r == CALL_REFUSED || _r == CALL_BATCH) \
      return _r;                         \
  } G_STMT_END

/* The organisation, found by exact name or made. */
static CallResult
send_org (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
          GCancellable *cancellable)
{
  const char *company = fl_lead_get_field (item->lead, FL_FIELD_COMPANY);
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *path = NULL;

  if (made->org > 0 || company == NULL || company[0] == '\0')
    return CALL_OK;
  path = search_path ("organizations", "name", company, NULL);
  CHECK (call (self, batch, item, "GET", path, NULL, &data, cancellable));
  made->org = first_found (data);
  if (made->org == 0)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) created = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, company);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      CHECK (call (self, batch, item, "POST", "/v1/organizations", body, &created, cancellable));
      made->org = int_id (created);
    }
  return keep (batch, item, made) ? CALL_OK : CALL_BATCH;
}

/* The person: updated by its kept id, else found by email, else made. */
static CallResult
send_person (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
             GCancellable *cancellable)
{
  FlConnector *connector = FL_CONNECTOR (self);
  const char *email = fl_lead_get_field (item->lead, FL_FIELD_EMAIL);
  g_autoptr(JsonNode) body = person_body (connector, item->lead, made->org);
  g_autoptr(JsonNode) created = NULL;

  if (made->person == 0)
    {
      g_autoptr(JsonNode) data = NULL;
      g_autofree char *path = NULL;

      if (email != NULL && strchr (email, '@') != NULL)
        path = search_path ("persons", "email", email, NULL);
      else
        {
          g_autofree char *name = person_name (connector, item->lead);
          g_autofree char *extra = made->org > 0
                                     ? g_strdup_printf ("&organization_id=%" G_GINT64_FORMAT,
                                                        made->org)
                                     : NULL;
          path = search_path ("persons", "name", name, extra);
        }
      CHECK (call (self, batch, item, "GET", path, NULL, &data, cancellable));
      made->person = first_found (data);
    }
  if (made->person > 0)
    {
      g_autofree char *path = g_strdup_printf ("/v1/persons/%" G_GINT64_FORMAT, made->person);
      CallResult result = call (self, batch, item, "PUT", path, body, NULL, cancellable);

      if (result != CALL_NOT_FOUND)
        return result == CALL_OK && !keep (batch, item, made) ? CALL_BATCH : result;
      made->person = 0;  /* deleted in Pipedrive since: made anew */
    }
  CHECK (call (self, batch, item, "POST", "/v1/persons", body, &created, cancellable));
  made->person = int_id (created);
  if (made->person == 0)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY, _("Pipedrive did not say the id of the new person"));
      return CALL_BATCH;
    }
  return keep (batch, item, made) ? CALL_OK : CALL_BATCH;
}

static CallResult
send_lead (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
           GCancellable *cancellable)
{
  g_autoptr(JsonNode) body = lead_body (self, batch, item->lead, made);
  g_autoptr(JsonNode) created = NULL;
  const char *title = json_object_get_string_member (json_node_get_object (body), "title");

  if (made->lead != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/v1/leads/%s", made->lead);
      CallResult result = call (self, batch, item, "PATCH", path, body, NULL, cancellable);

      if (result != CALL_NOT_FOUND)
        return result;
      g_clear_pointer (&made->lead, g_free);
      made->note = 0;
    }
  else
    {
      /* A lead made on a try whose answer was lost is there: use it. */
      CHECK (find_lead (self, batch, item, made, title, cancellable));
      if (made->lead != NULL)
        {
          g_autofree char *path = g_strdup_printf ("/v1/leads/%s", made->lead);
          if (!keep (batch, item, made))
            return CALL_BATCH;
          CHECK (call (self, batch, item, "PATCH", path, body, NULL, cancellable));
          return CALL_OK;
        }
    }
  CHECK (call (self, batch, item, "POST", "/v1/leads", body, &created, cancellable));
  if (created != NULL && JSON_NODE_HOLDS_OBJECT (created))
    made->lead = g_strdup (json_object_get_string_member_with_default (
      json_node_get_object (created), "id", NULL));
  if (made->lead == NULL)
    {
      fl_sync_batch_set (batch, FL_SEND_RETRY, _("Pipedrive did not say the id of the new lead"));
      return CALL_BATCH;
    }
  return keep (batch, item, made) ? CALL_OK : CALL_BATCH;
}

static CallResult
send_note (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item, Made *made,
           GCancellable *cancellable)
{
  g_autoptr(JsonNode) created = NULL;

  if (made->note == 0)
    CHECK (find_note (self, batch, item, made, cancellable));
  if (made->note > 0)
    {
      g_autofree char *path = g_strdup_printf ("/v1/notes/%" G_GINT64_FORMAT, made->note);
      g_autoptr(JsonNode) body = note_body (batch, item->lead, NULL);
      CallResult result = call (self, batch, item, "PUT", path, body, NULL, cancellable);

      if (result != CALL_NOT_FOUND)
        return result == CALL_OK && !keep (batch, item, made) ? CALL_BATCH : result;
      made->note = 0;
    }
  {
    g_autoptr(JsonNode) body = note_body (batch, item->lead, made->lead);

    CHECK (call (self, batch, item, "POST", "/v1/notes", body, &created, cancellable));
  }
  made->note = int_id (created);
  return keep (batch, item, made) ? CALL_OK : CALL_BATCH;
}

/* The lead labels, by name, once per connector. */
static gboolean
load_labels (FlPipedriveConnector *self, FlSyncBatch *batch, FlSyncItem *item,
             GCancellable *cancellable)
{
  g_autoptr(JsonNode) data = NULL;

  if (self->labels != NULL)
    return TRUE;
  if (call (self, batch, item, "GET", "/v1/leadLabels", NULL, &data, cancellable) != CALL_OK)
    {
      if (batch->status == FL_SEND_OK)
        fl_sync_batch_set (batch, FL_SEND_STOP,
                           item->message ? item->message
                                         : _("Pipedrive does not answer /v1/leadLabels: check "
                                             "the connector’s URL"));
      fl_sync_item_set (item, FL_ITEM_UNSET, NULL, NULL);
      return FALSE;
    }
  self->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; data != NULL && JSON_NODE_HOLDS_ARRAY (data) &&
                    i < json_array_get_length (json_node_get_array (data)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (data), i);
      JsonObject *label;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      label = json_node_get_object (element);
      if (json_object_get_string_member_with_default (label, "name", NULL) != NULL &&
          json_object_get_string_member_with_default (label, "id", NULL) != NULL)
        g_hash_table_insert (self->labels,
                             g_strdup (json_object_get_string_member (label, "name")),
                             g_strdup (json_object_get_string_member (label, "id")));
    }
  for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
    {
      const char *name = _fl_connector_map_status (FL_CONNECTOR (self), status, "label", "Warm",
                                                   "Hot", "Cold");

      if (name != NULL && !g_hash_table_contains (self->labels, name))
        {
          g_autofree char *message =
            g_strdup_printf (_("Pipedrive has no lead label “%s” (for %s). Create it under "
                               "Leads → Labels or set the option label_%s."),
                             name, fl_status_to_string (status),
                             status == FL_STATUS_MQL ? "mql"
                             : status == FL_STATUS_SAL ? "sal" : "disqualified");
          fl_sync_batch_set (batch, FL_SEND_STOP, message);
          g_clear_pointer (&self->labels, g_hash_table_unref);
          return FALSE;
        }
    }
  return TRUE;
}

static void
fl_pipedrive_connector_send (FlConnector *connector, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlPipedriveConnector *self = FL_PIPEDRIVE_CONNECTOR (connector);

  if (!load_labels (self, batch, g_ptr_array_index (batch->items, 0), cancellable))
    return;
  for (guint i = 0; i < batch->items->len && batch->status == FL_SEND_OK; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      Made made;
      CallResult result;
      g_autofree char *text = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        {
          fl_sync_batch_set (batch, FL_SEND_RETRY, _("The upload was cancelled"));
          break;
        }
      made_parse (&made, item->stored_id);
      result = send_org (self, batch, item, &made, cancellable);
      if (result == CALL_OK)
        result = send_person (self, batch, item, &made, cancellable);
      if (result == CALL_OK)
        result = send_lead (self, batch, item, &made, cancellable);
      if (result == CALL_OK)
        result = send_note (self, batch, item, &made, cancellable);
      if (result == CALL_OK)
        {
          text = made_to_string (&made);
          fl_sync_item_set (item, FL_ITEM_DONE, text, NULL);
        }
      made_clear (&made);
    }
}

static gboolean
fl_pipedrive_connector_validate (FlConnector *connector, GError **error)
{
  FlPipedriveConnector *self = FL_PIPEDRIVE_CONNECTOR (connector);
  const char *client_id = fl_connector_get_option (connector, "client_id", NULL);
  const char *login_url = fl_connector_get_option (connector, "login_url", DEFAULT_LOGIN);
  const char *title_field = fl_connector_get_option (connector, "job_title_field", NULL);
  g_autofree char *token_url = NULL;

  if (fl_connector_get_url (connector) != NULL &&
      !_fl_oauth_check_url (fl_connector_get_url (connector)))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The URL “%s” of connector “%s” must start with https:// (plain http only "
                     "to this machine)"),
                   fl_connector_get_url (connector), fl_connector_get_name (connector));
      return FALSE;
    }
  if (!_fl_oauth_check_url (login_url))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The login URL “%s” of connector “%s” must start with https:// (plain http "
                     "only to this machine)"),
                   login_url, fl_connector_get_name (connector));
      return FALSE;
    }
  if (title_field != NULL && (title_field[0] == '\0' || strpbrk (title_field, " \"/?#") != NULL))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("“%s” is not a Pipedrive field key (option job_title_field)"), title_field);
      return FALSE;
    }
  if (client_id != NULL)
    {
      token_url = g_strconcat (login_url, "/oauth/token", NULL);
      self->oauth = _fl_oauth_new (FL_OAUTH_REFRESH_TOKEN, token_url, client_id, NULL, "Bearer");
      _fl_oauth_set_basic (self->oauth, TRUE);
    }
  return TRUE;
}

static guint
fl_pipedrive_connector_get_max_batch (FlConnector *self)
{
  return MAX_LEADS;
}

static gboolean
fl_pipedrive_connector_test (FlConnector *connector, GString *report, GCancellable *cancellable,
                             GError **error)
{
  FlPipedriveConnector *self = FL_PIPEDRIVE_CONNECTOR (connector);
  g_autoptr(FlSyncBatch) batch = fl_sync_batch_new (NULL, NULL);
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlSyncItem) item = fl_sync_item_new (0, lead, FALSE);
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *url = api_url (self, "/v1/users/me");
  const char *company = NULL;

  if (call (self, batch, item, "GET", "/v1/users/me", NULL, &me, cancellable) != CALL_OK)
    {
      g_set_error (error, FL_SYNC_ERROR,
                   batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_AUTH : FL_SYNC_ERROR_HTTP, "%s",
                   batch->message ? batch->message : item->message);
      return FALSE;
    }
  if (me != NULL && JSON_NODE_HOLDS_OBJECT (me))
    company = json_object_get_string_member_with_default (json_node_get_object (me),
                                                          "company_name", NULL);
  g_string_append_printf (report, _("%s is reachable and accepts the token\n"), url);
  if (company != NULL)
    g_string_append_printf (report, _("Company: %s\n"), company);

  g_clear_pointer (&self->labels, g_hash_table_unref);
  if (!load_labels (self, batch, item, cancellable))
    {
      g_set_error (error, FL_SYNC_ERROR,
                   batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_CONFIG : FL_SYNC_ERROR_HTTP,
                   "%s", batch->message ? batch->message : _("Cannot read the lead labels"));
      return FALSE;
    }
  for (FlStatus status = FL_STATUS_MQL; status <= FL_STATUS_DISQUALIFIED; status++)
    {
      const char *name = _fl_connector_map_status (connector, status, "label", "Warm", "Hot",
                                                   "Cold");
      if (name != NULL)
        g_string_append_printf (report, _("Lead label “%s” for %s exists\n"), name,
                                fl_status_to_string (status));
    }
  return TRUE;
}

static void
fl_pipedrive_connector_finalize (GObject *object)
{
  FlPipedriveConnector *self = FL_PIPEDRIVE_CONNECTOR (object);

  g_clear_pointer (&self->oauth, _fl_oauth_free);
  g_clear_pointer (&self->labels, g_hash_table_unref);

  G_OBJECT_CLASS (fl_pipedrive_connector_parent_class)->finalize (object);
}

static void
fl_pipedrive_connector_class_init (FlPipedriveConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_pipedrive_connector_finalize;
  connector_class->validate = fl_pipedrive_connector_validate;
  connector_class->get_max_batch = fl_pipedrive_connector_get_max_batch;
  connector_class->send = fl_pipedrive_connector_send;
  connector_class->test = fl_pipedrive_connector_test;
}

static void
fl_pipedrive_connector_init (FlPipedriveConnector *self)
{
}
