/* test-crm.c: HubSpot and Salesforce uploads against loopback servers that
 * answer as the published API documentation says the real ones do
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each server below is a real libsoup server on 127.0.0.1 whose answers
 * (status, body, headers) follow a quoted section of the vendor's
 * documentation, including the awkward cases: a 207 keyed by trace id,
 * inputs left out of the results, sessions that end mid-run and the
 * org's request limit.
 */
#include "config.h"

#include "fl-test.h"
#include "sync-test-server.h"

#include <libsoup/soup.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

#include "lead/fl-limits.h"
#include "store/fl-privacy.h"
#include "store/fl-store.h"
#include "sync/fl-connectors.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync.h"
#include "sync/fl-sync-log.h"
#include "sync/fl-uploader.h"

#define TOKEN "pat-test-token"

/* The server */

typedef struct _Crm Crm;
typedef guint (*CrmRoute) (Crm *crm, SoupServerMessage *msg, const char *path,
                           JsonNode *body, const char *raw, char **answer);

struct _Crm
{
  GMutex        mutex;
  LoopbackServer http;
  CrmRoute      route;
  GPtrArray    *log;        /* "METHOD /path" of every request */
  GHashTable   *stored;     /* id → times stored */
  guint         next_id;

  /* HubSpot */
  GHashTable   *left_out;   /* trace ids to leave out of the results once */
  GHashTable   *hs_contacts;  /* email → JsonObject of properties */
  gboolean      no_lookups;   /* batch read and SOQL answer 404 */
  GPtrArray    *subscriptions;  /* JsonObject: the subscribe bodies taken */
  GPtrArray    *notes;          /* JsonObject: the note inputs created */

  /* Salesforce */
  EVP_PKEY     *key;        /* the connected app's certificate (public half used) */
  char         *client_id;
  char         *username;
  char         *refresh_token;
  char         *access_token;  /* the session now valid, NULL for none */
  guint         session_uses;  /* requests a session serves before it expires */
  guint         used;
  guint         tokens_issued;
  guint         expired;       /* 401 INVALID_SESSION_ID answered */
  guint         too_long;      /* 414 answered */
  guint         limit_left;    /* requests refused with REQUEST_LIMIT_EXCEEDED */
  GHashTable   *query;         /* of the request being answered */
  GPtrArray    *leads;         /* JsonObject, "Id" and the fields */
  GPtrArray    *contacts;
  GPtrArray    *tasks;
  GPtrArray    *campaigns;
  GPtrArray    *members;
  char         *duplicate_header;  /* Sforce-Duplicate-Rule-Header of the last write */
};

static void
respond (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json;charset=UTF-8", SOUP_MEMORY_COPY, json,
                                    strlen (json));
}

static void
crm_handler (SoupServer *soup, SoupServerMessage *msg, const char *path, GHashTable *query,
             gpointer user_data)
{
  Crm *crm = user_data;
  SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
  g_autofree char *raw = g_strndup (request_body->data, request_body->length);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *answer = NULL;
  guint status;

  g_mutex_lock (&crm->mutex);
  g_ptr_array_add (crm->log, g_strdup_printf ("%s %s", soup_server_message_get_method (msg), path));
  if (raw[0] == '{' || raw[0] == '[')
    body = json_from_string (raw, NULL);
  {
    g_autofree char *uri = g_uri_to_string (soup_server_message_get_uri (msg));

    /* Salesforce REST API: "The maximum length of the URI is 16,384
     * characters"; a longer one gets 414 URI Too Long. */
    if (strlen (uri) > 16384)
      {
        crm->too_long++;
        respond (msg, 414, "[{\"errorCode\": \"URI_TOO_LONG\", \"message\": \"URI Too Long\"}]");
        g_mutex_unlock (&crm->mutex);
        return;
      }
  }
  crm->query = query;
  status = crm->route (crm, msg, path, body, raw, &answer);
  crm->query = NULL;
  respond (msg, status, answer ? answer : "{}");
  g_mutex_unlock (&crm->mutex);
}

static Crm *
crm_new (CrmRoute route)
{
  Crm *crm = g_new0 (Crm, 1);

  g_mutex_init (&crm->mutex);
  crm->route = route;
  crm->log = g_ptr_array_new_with_free_func (g_free);
  crm->stored = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crm->left_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  crm->hs_contacts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) json_object_unref);
  crm->session_uses = G_MAXUINT;
  crm->leads = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->contacts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->tasks = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->campaigns = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->subscriptions = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->notes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  crm->members = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  loopback_server_start (&crm->http, NULL, crm_handler, crm);
  return crm;
}

static void
crm_free (Crm *crm)
{
  loopback_server_stop (&crm->http);
  g_ptr_array_unref (crm->log);
  g_hash_table_unref (crm->stored);
  g_hash_table_unref (crm->left_out);
  g_hash_table_unref (crm->hs_contacts);
  g_clear_pointer (&crm->key, EVP_PKEY_free);
  g_ptr_array_unref (crm->leads);
  g_ptr_array_unref (crm->contacts);
  g_ptr_array_unref (crm->tasks);
  g_ptr_array_unref (crm->campaigns);
  g_ptr_array_unref (crm->subscriptions);
  g_ptr_array_unref (crm->notes);
  g_ptr_array_unref (crm->members);
  g_free (crm->duplicate_header);
  g_free (crm->client_id);
  g_free (crm->username);
  g_free (crm->refresh_token);
  g_free (crm->access_token);
  g_mutex_clear (&crm->mutex);
  g_free (crm);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Crm, crm_free)

static guint
crm_count (Crm *crm, const char *line)
{
  guint n = 0;

  g_mutex_lock (&crm->mutex);
  for (guint i = 0; i < crm->log->len; i++)
    if (g_str_equal (crm->log->pdata[i], line))
      n++;
  g_mutex_unlock (&crm->mutex);
  return n;
}

static guint
crm_times_stored (Crm *crm, const char *id)
{
  guint n;

  g_mutex_lock (&crm->mutex);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (crm->stored, id));
  g_mutex_unlock (&crm->mutex);
  return n;
}

static void
crm_store (Crm *crm, const char *id)
{
  g_hash_table_insert (crm->stored, g_strdup (id),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (crm->stored, id)) + 1));
}

/* The kiosk's side */

typedef FlTestOutboxFixture Fixture;

/* Lead i has the email visitor<i>@example.com, or bad-<i>@example when
 * @bad_index says so. */
static void
add_leads (Fixture *f, guint n, guint bad_index)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(JsonNode) consent = fl_json_new_object ();
      g_autoptr(GError) error = NULL;
      g_autofree char *now = fl_now_iso8601 ();
      guint number = f->uuids->len;
      g_autofree char *email = i == bad_index ? g_strdup_printf ("bad-%u@example", number)
                                              : g_strdup_printf ("visitor%u@example.com", number);

      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Erika");
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Mustermann");
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_status (lead, FL_STATUS_MQL);
      json_object_set_string_member (json_node_get_object (consent), "version", "2026-1");
      json_object_set_boolean_member (json_node_get_object (consent), "given", TRUE);
      json_object_set_string_member (json_node_get_object (consent), "at", now);
      fl_lead_set_consent (lead, consent);
      fl_store_save_lead (f->base.store, lead, "test", &error);
      g_assert_no_error (error);
      g_ptr_array_add (f->uuids, g_strdup (fl_lead_get_uuid (lead)));
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
upload (Fixture *f, FlUploadSummary *summary)
{
  g_autoptr(FlUploader) uploader = fl_uploader_new (f->base.store);
  g_autoptr(GError) error = NULL;

  fl_uploader_run (uploader, NULL, 0, NULL, summary, &error);
  g_assert_no_error (error);
}

static char *
outbox_value (Fixture *f, const char *uuid, const char *column)
{
  g_autofree char *sql = g_strdup_printf ("SELECT o.%s FROM outbox o JOIN leads l ON l.id = o.lead_id "
                                          "WHERE l.uuid = ?", column);
  sqlite3_stmt *stmt = fl_store_prepare (f->base.store, sql, NULL);
  char *value = NULL;

  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return value;
}

static int
run_cli (Fixture *f, char **out, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (char *) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (argv, (char *) "--db");
  g_ptr_array_add (argv, f->base.db_path);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char *const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, out, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("%s", *out);
  return g_subprocess_get_exit_status (process);
}

/* Ready for the next attempt now, as if the backoff had passed. */
static void
skip_backoff (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  fl_store_exec (f->base.store, "UPDATE outbox SET next_attempt_at = NULL", &error);
  g_assert_no_error (error);
}

/* HubSpot */

static void sf_merge (JsonObject *target, JsonObject *record);

/* developers.hubspot.com, "Upsert a batch of contacts"
 * (POST /crm/v3/objects/contacts/batch/upsert): each input is
 * {"id", "idProperty", "properties", "objectWriteTraceId"}; the answer has
 * "results" (each with "id", "new", "properties" and the input's
 * "objectWriteTraceId") and, in a multi-status answer, "errors".
 * "Error handling": "207 Multi-Status — Returned when there are different
 * statuses (e.g., errors and successes)".
 *
 * This server names the failed input only by context.objectWriteTraceId
 * (no "ids"), and leaves inputs listed in left_out out of both results
 * and errors the first time. */
static guint
hubspot_route (Crm *crm, SoupServerMessage *msg, const char *path, JsonNode *body,
               const char *raw, char **answer)
{
  g_autoptr(GString) results = g_string_new (NULL);
  g_autoptr(GString) errors = g_string_new (NULL);
  JsonArray *inputs;

  if (g_str_equal (path, "/crm/v3/properties/contacts/lifecyclestage"))
    {
      /* "Properties": GET /crm/v3/properties/contacts/{propertyName};
       * an enumeration's options carry label, value, displayOrder. This
       * portal has a stage of its own between SQL and opportunity. */
      *answer = g_strdup ("{\"name\": \"lifecyclestage\", \"type\": \"enumeration\", \"options\": ["
                          "{\"label\": \"Subscriber\", \"value\": \"subscriber\", \"displayOrder\": 0},"
                          "{\"label\": \"Lead\", \"value\": \"lead\", \"displayOrder\": 1},"
                          "{\"label\": \"MQL\", \"value\": \"marketingqualifiedlead\", \"displayOrder\": 2},"
                          "{\"label\": \"SQL\", \"value\": \"salesqualifiedlead\", \"displayOrder\": 3},"
                          "{\"label\": \"Demo booked\", \"value\": \"123456789\", \"displayOrder\": 4},"
                          "{\"label\": \"Opportunity\", \"value\": \"opportunity\", \"displayOrder\": 5},"
                          "{\"label\": \"Customer\", \"value\": \"customer\", \"displayOrder\": 6},"
                          "{\"label\": \"Other\", \"value\": \"other\", \"displayOrder\": 8}]}");
      return 200;
    }
  if (g_str_equal (path, "/crm/v3/properties/contacts"))
    {
      /* "Properties": GET /crm/v3/properties/{objectType} lists them as
       * {"results": [{"name", "label", "type", "fieldType", "options"}]}.
       * This portal has HubSpot's standard contact properties and two of
       * its own; its Fairlead status property lacks DISQUALIFIED. */
      static const char *const names[] = { "email", "firstname", "lastname", "company", "jobtitle",
                                           "phone", "mobilephone", "address", "city", "zip",
                                           "state", "country", "website", "fairlead_booth",
                                           "fairlead_notes", "fairlead_answers", "fairlead_event" };
      GString *list = g_string_new ("{\"results\": [{\"name\": \"fairlead_status\", \"type\": \"enumeration\", "
                                    "\"fieldType\": \"select\", \"options\": [{\"label\": \"MQL\", \"value\": \"MQL\"}, "
                                    "{\"label\": \"SAL\", \"value\": \"SAL\"}]}");

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        g_string_append_printf (list, ", {\"name\": \"%s\", \"type\": \"string\", \"fieldType\": \"text\"}",
                                names[i]);
      g_string_append (list, "]}");
      *answer = g_string_free (list, FALSE);
      return 200;
    }
  if (g_str_equal (path, "/communication-preferences/v3/subscribe"))
    {
      /* "Subscribe contact": {emailAddress, subscriptionId, legalBasis,
       * legalBasisExplanation} → 200 with the new status; a contact
       * subscribed already gets 400 "… is already subscribed …". */
      JsonObject *request = json_node_get_object (body);
      const char *email = json_object_get_string_member (request, "emailAddress");
      const char *subscription = json_object_get_string_member (request, "subscriptionId");

      for (guint i = 0; i < crm->subscriptions->len; i++)
        if (g_str_equal (json_object_get_string_member (crm->subscriptions->pdata[i], "emailAddress"), email))
          {
            *answer = g_strdup_printf ("{\"status\": \"error\", \"message\": \"%s is already subscribed to "
                                       "subscription %s\", \"correlationId\": \"x\", \"category\": "
                                       "\"VALIDATION_ERROR\"}", email, subscription);
            return 400;
          }
      g_ptr_array_add (crm->subscriptions, json_object_ref (request));
      *answer = g_strdup_printf ("{\"recipient\": \"%s\", \"subscriptionId\": %s, \"status\": \"SUBSCRIBED\", "
                                 "\"sourceOfStatus\": \"SUBSCRIPTION_STATUS\"}", email, subscription);
      return 200;
    }
  if (g_str_equal (path, "/communication-preferences/v3/definitions"))
    {
      /* "Get subscription definitions": {"subscriptionDefinitions": [{"id",
       * "name", "description", "isActive", …}]} */
      *answer = g_strdup ("{\"subscriptionDefinitions\": [{\"id\": \"12345\", \"name\": \"Trade show "
                          "follow-up\", \"description\": \"After we met\", \"isActive\": true, "
                          "\"isDefault\": false, \"isInternal\": false}]}");
      return 200;
    }
  if (g_str_equal (path, "/crm/v3/objects/notes/batch/create"))
    {
      /* "Create a batch of notes": 201 with the created notes. */
      JsonArray *notes = json_object_get_array_member (json_node_get_object (body), "inputs");

      for (guint i = 0; i < json_array_get_length (notes); i++)
        g_ptr_array_add (crm->notes, json_object_ref (json_array_get_object_element (notes, i)));
      *answer = g_strdup ("{\"status\": \"COMPLETE\", \"results\": []}");
      return 201;
    }
  if (g_str_equal (path, "/crm/v3/objects/contacts/batch/read") && crm->no_lookups)
    {
      *answer = g_strdup ("{\"status\": \"error\", \"message\": \"Not found\", \"category\": \"OBJECT_NOT_FOUND\"}");
      return 404;
    }
  if (g_str_equal (path, "/crm/v3/objects/contacts/batch/read"))
    {
      /* "Retrieve a batch of contacts" by idProperty: results for those
       * found; 207 with an OBJECT_NOT_FOUND error naming the others. */
      g_autoptr(GString) missing = g_string_new (NULL);

      inputs = json_object_get_array_member (json_node_get_object (body), "inputs");
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "idProperty"), ==, "email");
      for (guint i = 0; i < json_array_get_length (inputs); i++)
        {
          const char *id = json_object_get_string_member (json_array_get_object_element (inputs, i), "id");
          JsonObject *contact = g_hash_table_lookup (crm->hs_contacts, id);

          if (contact == NULL)
            {
              g_string_append_printf (missing, "%s\"%s\"", missing->len ? ", " : "", id);
              continue;
            }
          {
            g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), contact);
            g_autofree char *properties = json_to_string (node, FALSE);

            g_string_append_printf (results, "%s{\"id\": \"%s\", \"properties\": %s}",
                                    results->len ? ", " : "",
                                    json_object_get_string_member (contact, "hs_object_id"), properties);
          }
        }
      if (missing->len)
        g_string_printf (errors, "{\"status\": \"error\", \"category\": \"OBJECT_NOT_FOUND\", "
                         "\"message\": \"Could not get some CONTACT objects, they may be deleted or not exist.\", "
                         "\"context\": {\"ids\": [%s]}}", missing->str);
      *answer = g_strdup_printf ("{\"status\": \"COMPLETE\", \"results\": [%s], \"errors\": [%s]}",
                                 results->str, errors->str);
      return missing->len ? 207 : 200;
    }
  g_assert_cmpstr (path, ==, "/crm/v3/objects/contacts/batch/upsert");
  inputs = json_object_get_array_member (json_node_get_object (body), "inputs");
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      JsonObject *input = json_array_get_object_element (inputs, i);
      const char *trace = json_object_get_string_member_with_default (input, "objectWriteTraceId", "");
      const char *id = json_object_get_string_member (input, "id");
      JsonObject *contact;
      gboolean created;

      if (strstr (id, "bad") != NULL)
        {
          g_string_append_printf (errors, "%s{\"status\": \"error\", \"category\": \"VALIDATION_ERROR\", "
                                  "\"message\": \"Property values were not valid\", "
                                  "\"context\": {\"objectWriteTraceId\": [\"%s\"]}}",
                                  errors->len ? ", " : "", trace);
          continue;
        }
      if (g_hash_table_remove (crm->left_out, trace))
        continue;
      crm_store (crm, trace);
      contact = g_hash_table_lookup (crm->hs_contacts, id);
      created = contact == NULL;
      if (created)
        {
          g_autofree char *object_id = g_strdup_printf ("%u", ++crm->next_id);

          contact = json_object_new ();
          json_object_set_string_member (contact, "hs_object_id", object_id);
          json_object_set_string_member (contact, "email", id);
          g_hash_table_insert (crm->hs_contacts, g_strdup (id), contact);
        }
      sf_merge (contact, json_object_get_object_member (input, "properties"));
      g_string_append_printf (results, "%s{\"id\": \"%s\", \"new\": %s, \"objectWriteTraceId\": \"%s\", "
                              "\"properties\": {\"hs_object_id\": \"%s\"}}",
                              results->len ? ", " : "", json_object_get_string_member (contact, "hs_object_id"),
                              created ? "true" : "false", trace,
                              json_object_get_string_member (contact, "hs_object_id"));
    }
  *answer = g_strdup_printf ("{\"status\": \"COMPLETE\", \"results\": [%s], \"errors\": [%s], "
                             "\"numErrors\": %u}",
                             results->str, errors->str, errors->len ? 1 : 0);
  return errors->len || json_array_get_length (inputs) > 0 ? 207 : 200;
}

/* A lead is delivered only when the answer confirms it: one refused by
 * trace id fails, one left out of the answer is sent again, and every
 * other arrives exactly once. */
static void
test_hubspot_unconfirmed (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (hubspot_route);
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autofree char *state = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *remote = NULL;

  add_leads (f, 8, 2);
  g_hash_table_add (crm->left_out, g_strdup (f->uuids->pdata[5]));
  add_connector (f, "hub", "hubspot", crm->http.url, NULL);

  upload (f, &first);
  g_assert_cmpuint (first.delivered, ==, 6);
  g_assert_cmpuint (first.failed, ==, 1);
  g_assert_cmpuint (first.retried, ==, 1);
  reason = outbox_value (f, f->uuids->pdata[2], "last_error");
  g_assert_nonnull (strstr (reason, "Property values were not valid"));
  state = outbox_value (f, f->uuids->pdata[5], "state");
  g_assert_cmpstr (state, ==, "pending");

  skip_backoff (f);
  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  g_assert_cmpuint (second.pending, ==, 0);
  remote = outbox_value (f, f->uuids->pdata[5], "remote_id");
  g_assert_cmpstr (remote, ==, "7");
  for (guint i = 0; i < f->uuids->len; i++)
    g_assert_cmpuint (crm_times_stored (crm, f->uuids->pdata[i]), ==, i == 2 ? 0 : 1);
}

static void
hs_add_contact (Crm *crm, const char *email, const char *stage)
{
  JsonObject *contact = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%u", ++crm->next_id);

  json_object_set_string_member (contact, "hs_object_id", id);
  json_object_set_string_member (contact, "email", email);
  json_object_set_string_member (contact, "lifecyclestage", stage);
  g_hash_table_insert (crm->hs_contacts, g_strdup (email), contact);
}

static const char *
hs_property (Crm *crm, const char *email, const char *name)
{
  JsonObject *contact = g_hash_table_lookup (crm->hs_contacts, email);

  g_assert_nonnull (contact);
  return json_object_get_string_member_with_default (contact, name, NULL);
}

/* HubSpot's knowledge base, "Use lifecycle stages": the lifecycle stage
 * is meant to move forwards only. A customer met at the booth as an MQL
 * stays a customer (and one at a custom stage after SQL, or "other",
 * keeps it); the Fairlead status goes to status_property instead. */
static void
test_hubspot_lifecycle_forwards (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (hubspot_route);
  g_auto(FlUploadSummary) summary = { 0 };

  hs_add_contact (crm, "visitor0@example.com", "customer");
  hs_add_contact (crm, "visitor1@example.com", "lead");
  hs_add_contact (crm, "visitor2@example.com", "123456789");
  hs_add_contact (crm, "visitor3@example.com", "other");
  add_leads (f, 5, G_MAXUINT);  /* every one an MQL */
  add_connector (f, "hub", "hubspot", crm->http.url, "status_property", "fairlead_status", NULL);

  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 5);
  g_assert_cmpstr (hs_property (crm, "visitor0@example.com", "lifecyclestage"), ==, "customer");
  g_assert_cmpstr (hs_property (crm, "visitor0@example.com", "fairlead_status"), ==, "MQL");
  g_assert_cmpstr (hs_property (crm, "visitor1@example.com", "lifecyclestage"), ==, "marketingqualifiedlead");
  g_assert_cmpstr (hs_property (crm, "visitor2@example.com", "lifecyclestage"), ==, "123456789");
  g_assert_cmpstr (hs_property (crm, "visitor3@example.com", "lifecyclestage"), ==, "other");
  g_assert_cmpstr (hs_property (crm, "visitor4@example.com", "lifecyclestage"), ==, "marketingqualifiedlead");
  g_assert_cmpstr (hs_property (crm, "visitor4@example.com", "fairlead_status"), ==, "MQL");
  g_assert_cmpuint (crm_count (crm, "POST /crm/v3/objects/contacts/batch/read"), ==, 1);
}

/* Every field is mappable (map.<field>=<property>, empty: not sent);
 * connector test names each mapped property the portal lacks, and each
 * option an enumeration lacks, before the show; a value longer than a
 * property holds is cut, not refused. */
static void
test_hubspot_mapping (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (hubspot_route);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GString) long_note = g_string_new (NULL);
  const char *value;

  /* Something Fairlead does not have cannot be mapped. */
  json_object_set_string_member (options, "map.shoe_size", "shoesize");
  connector = fl_connector_new ("hub", "hubspot", crm->http.url, options, &error);
  g_assert_null (connector);
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "shoe_size"));
  g_clear_error (&error);

  add_leads (f, 2, G_MAXUINT);
  add_connector (f, "bad", "hubspot", crm->http.url, "map.department", "department_x", "map.status",
                 "fairlead_status", NULL);
  connector = fl_outbox_get_connector (f->outbox, "bad", &error);
  g_assert_false (fl_connector_test (connector, report, NULL, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "“department_x” (for department) does not exist"));
  g_assert_nonnull (strstr (error->message, "“fairlead_status” (for status) has no option “DISQUALIFIED”"));
  g_clear_error (&error);
  g_clear_object (&connector);
  g_assert_true (fl_outbox_remove_connector (f->outbox, "bad", &error));
  g_assert_no_error (error);

  /* The store keeps notes within 64 KiB (FL_LIMIT_NOTES), so a note at
   * that limit fills HubSpot's 65,536-character text property exactly and
   * arrives whole. */
  for (guint i = 0; i < FL_LIMIT_NOTES; i++)
    g_string_append_c (long_note, "abcdefghij"[i % 10]);
  {
    g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, f->uuids->pdata[0], &error);
    g_autoptr(JsonNode) answers = json_from_string ("{\"Budget\": \"50k\", \"Interests\": [\"Robots\", \"Sensors\"]}", NULL);

    fl_lead_set_notes (lead, long_note->str);
    fl_lead_set_field (lead, FL_FIELD_TITLE, "Head of Robotics");
    fl_lead_set_field (lead, FL_FIELD_WEBSITE, "https://example.com");
    fl_lead_set_answers (lead, answers);
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
  }
  add_connector (f, "hub", "hubspot", crm->http.url, "map.title", "job_function", "map.website", "",
                 "map.booth", "fairlead_booth", "map.notes", "fairlead_notes", "map.answers",
                 "fairlead_answers", "map.event", "fairlead_event", NULL);
  g_string_truncate (report, 0);
  connector = fl_outbox_get_connector (f->outbox, "hub", &error);
  g_assert_false (fl_connector_test (connector, report, NULL, &error));
  g_assert_nonnull (strstr (error->message, "“job_function” (for title) does not exist"));
  g_assert_null (strstr (error->message, "website"));
  g_clear_error (&error);

  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 2);
  g_assert_cmpstr (hs_property (crm, "visitor0@example.com", "job_function"), ==, "Head of Robotics");
  g_assert_null (hs_property (crm, "visitor0@example.com", "jobtitle"));
  g_assert_null (hs_property (crm, "visitor0@example.com", "website"));
  g_assert_cmpstr (hs_property (crm, "visitor0@example.com", "fairlead_booth"), ==, "B12");
  g_assert_cmpstr (hs_property (crm, "visitor0@example.com", "fairlead_event"), ==, "Hannover Messe");
  value = hs_property (crm, "visitor0@example.com", "fairlead_answers");
  g_assert_nonnull (strstr (value, "Budget: 50k"));
  g_assert_nonnull (strstr (value, "Interests: Robots, Sensors"));
  g_assert_cmpuint (strlen (value), ==, strlen ("Budget: 50k\nInterests: Robots, Sensors"));
  value = hs_property (crm, "visitor0@example.com", "fairlead_notes");
  g_assert_cmpuint (strlen (value), ==, 65536);
  g_assert_true (g_str_has_prefix (long_note->str, value));
}

/* Consent and context reach HubSpot: a visitor who consented is
 * subscribed through the communication preferences API with the legal
 * basis and an explanation naming the event, the consent text's version
 * and the time; one subscribed already stays delivered; the visit is a
 * note on the contact. */
static void
test_hubspot_consent_and_note (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (hubspot_route);
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(GError) error = NULL;
  JsonObject *subscription, *note, *association;
  const char *explanation, *text;

  add_leads (f, 2, G_MAXUINT);
  add_connector (f, "hub", "hubspot", crm->http.url, "subscription_id", "12345", "note", "true", NULL);
  add_connector (f, "bad", "hubspot", crm->http.url, "subscription_id", "999", NULL);
  {
    g_autoptr(FlConnector) good = fl_outbox_get_connector (f->outbox, "hub", &error);
    g_autoptr(FlConnector) bad = fl_outbox_get_connector (f->outbox, "bad", &error);
    g_autoptr(GString) report = g_string_new (NULL);

    g_assert_true (fl_connector_test (good, report, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (report->str, "Subscription type 12345 exists"));
    g_assert_false (fl_connector_test (bad, report, NULL, &error));
    g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "no subscription type 999"));
    g_clear_error (&error);
    g_assert_true (fl_outbox_remove_connector (f->outbox, "bad", &error));
  }
  upload (f, &first);
  g_assert_cmpuint (first.delivered, ==, 2);
  g_assert_cmpuint (crm->subscriptions->len, ==, 2);
  subscription = crm->subscriptions->pdata[0];
  g_assert_cmpstr (json_object_get_string_member (subscription, "emailAddress"), ==, "visitor0@example.com");
  g_assert_cmpstr (json_object_get_string_member (subscription, "subscriptionId"), ==, "12345");
  g_assert_cmpstr (json_object_get_string_member (subscription, "legalBasis"), ==, "CONSENT_WITH_NOTICE");
  explanation = json_object_get_string_member (subscription, "legalBasisExplanation");
  g_assert_nonnull (strstr (explanation, "Hannover Messe, booth B12"));
  g_assert_nonnull (strstr (explanation, "consent text version 2026-1"));
  g_assert_nonnull (strstr (explanation, "20"));  /* the time, ISO 8601 */

  g_assert_cmpuint (crm->notes->len, ==, 2);
  note = crm->notes->pdata[0];
  text = json_object_get_string_member (json_object_get_object_member (note, "properties"), "hs_note_body");
  g_assert_nonnull (strstr (text, "Fairlead: visit at Hannover Messe, booth B12"));
  g_assert_nonnull (strstr (text, "Score: 0 (MQL)"));
  association = json_array_get_object_element (json_object_get_array_member (note, "associations"), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (association, "to"), "id"), ==,
                   hs_property (crm, "visitor0@example.com", "hs_object_id"));
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (
                     json_object_get_array_member (association, "types"), 0), "associationTypeId"), ==, 202);

  /* Sent again: subscribed already, which is no failure. */
  g_assert_true (fl_outbox_requeue_lead (f->outbox, f->uuids->pdata[0], "test", NULL, &error));
  g_assert_no_error (error);
  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  g_assert_cmpuint (second.failed, ==, 0);
  g_assert_cmpuint (crm->subscriptions->len, ==, 2);
}

/* Salesforce */

#define SF_COLLECTION "/services/data/v59.0/composite/sobjects/Lead/Fairlead_UUID__c"
#define SF_DESCRIBE "/services/data/v59.0/sobjects/Lead/describe"

static GHashTable *
parse_form (const char *raw)
{
  return soup_form_decode (raw);
}

/* The claims of a JWT whose RS256 signature the app's certificate
 * verifies; NULL when it does not. */
static JsonObject *
verify_jwt (Crm *crm, const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autofree char *input = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree char *claims_text = NULL;
  gsize length = 0;
  EVP_MD_CTX *context;
  int ok;

  if (g_strv_length (parts) != 3)
    return NULL;
  input = g_strconcat (parts[0], ".", parts[1], NULL);
  for (guint i = 1; i < 3; i++)
    {
      g_autoptr(GString) text = g_string_new (parts[i]);
      g_autofree guint8 *decoded = NULL;
      gsize size = 0;

      g_string_replace (text, "-", "+", 0);
      g_string_replace (text, "_", "/", 0);
      while (text->len % 4)
        g_string_append_c (text, '=');
      decoded = g_base64_decode (text->str, &size);
      if (i == 1)
        claims_text = g_strndup ((const char *) decoded, size);
      else
        {
          signature = g_steal_pointer (&decoded);
          length = size;
        }
    }
  context = EVP_MD_CTX_new ();
  ok = EVP_DigestVerifyInit (context, NULL, EVP_sha256 (), NULL, crm->key) == 1 &&
       EVP_DigestVerify (context, signature, length, (const guint8 *) input, strlen (input)) == 1;
  EVP_MD_CTX_free (context);
  if (!ok)
    return NULL;
  {
    g_autoptr(JsonNode) claims = json_from_string (claims_text, NULL);
    return claims && JSON_NODE_HOLDS_OBJECT (claims) ? json_node_dup_object (claims) : NULL;
  }
}

static char *
new_session (Crm *crm)
{
  g_free (crm->access_token);
  crm->access_token = g_strdup_printf ("00Dxx0000001gPL!session%u", ++crm->tokens_issued);
  crm->used = 0;
  /* help.salesforce.com, "OAuth 2.0 JWT Bearer Flow for Server-to-Server
   * Integration" and "OAuth 2.0 Refresh Token Flow": the token response
   * carries access_token, instance_url, id, token_type "Bearer". */
  return g_strdup_printf ("{\"access_token\": \"%s\", \"scope\": \"api\", \"instance_url\": \"%s\", "
                          "\"id\": \"%s/id/00Dxx0000001gPLEAY/005xx000001SwiUAAS\", "
                          "\"token_type\": \"Bearer\"}",
                          crm->access_token, crm->http.url, crm->http.url);
}

static guint
token_route (Crm *crm, const char *raw, char **answer)
{
  g_autoptr(GHashTable) form = parse_form (raw);
  const char *grant = g_hash_table_lookup (form, "grant_type");

  if (g_strcmp0 (grant, "urn:ietf:params:oauth:grant-type:jwt-bearer") == 0)
    {
      g_autoptr(JsonObject) claims = verify_jwt (crm, g_hash_table_lookup (form, "assertion"));

      /* "the JWT must be signed using RSA SHA256"; iss is the client_id,
       * sub the username, aud the login URL, exp within 3 minutes. */
      if (claims == NULL ||
          g_strcmp0 (json_object_get_string_member_with_default (claims, "iss", ""), crm->client_id) != 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (claims, "sub", ""), crm->username) != 0 ||
          g_strcmp0 (json_object_get_string_member_with_default (claims, "aud", ""), crm->http.url) != 0 ||
          json_object_get_int_member_with_default (claims, "exp", 0) < g_get_real_time () / G_USEC_PER_SEC ||
          json_object_get_int_member_with_default (claims, "exp", 0) > g_get_real_time () / G_USEC_PER_SEC + 300)
        {
          *answer = g_strdup ("{\"error\": \"invalid_grant\", \"error_description\": \"invalid assertion\"}");
          return 400;
        }
      *answer = new_session (crm);
      return 200;
    }
  if (g_strcmp0 (grant, "refresh_token") == 0)
    {
      if (g_strcmp0 (g_hash_table_lookup (form, "client_id"), crm->client_id) != 0 ||
          g_strcmp0 (g_hash_table_lookup (form, "refresh_token"), crm->refresh_token) != 0)
        {
          *answer = g_strdup ("{\"error\": \"invalid_grant\", \"error_description\": \"expired access/refresh token\"}");
          return 400;
        }
      *answer = new_session (crm);
      return 200;
    }
  *answer = g_strdup ("{\"error\": \"unsupported_grant_type\", \"error_description\": \"grant type not supported\"}");
  return 400;
}

static JsonObject *
sf_find (GPtrArray *table, const char *member, const char *value)
{
  for (guint i = 0; value != NULL && i < table->len; i++)
    {
      const char *have = json_object_get_string_member_with_default (table->pdata[i], member, NULL);

      if (have != NULL && g_ascii_strcasecmp (have, value) == 0)
        return table->pdata[i];
    }
  return NULL;
}

static JsonObject *
sf_new (GPtrArray *table, const char *prefix, Crm *crm)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = g_strdup_printf ("%s%012u", prefix, ++crm->next_id);

  json_object_set_string_member (object, "Id", id);
  g_ptr_array_add (table, object);
  return object;
}

static void
sf_merge (JsonObject *target, JsonObject *record)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, record);
  while (json_object_iter_next (&iter, &name, &value))
    if (!g_str_equal (name, "attributes") && !g_str_equal (name, "id"))
      json_object_set_member (target, name, json_node_copy (value));
}

/* "Execute a SOQL Query" (GET …/query?q=): {"totalSize", "done",
 * "records": [{"attributes": {"type", "url"}, fields…}]}. This org
 * understands the two queries of the connector: SELECT … FROM Lead|Contact
 * WHERE … IN ('…', …) [OR Email IN (…)], and matches every literal. */
static guint
sf_query (Crm *crm, const char *soql, char **answer)
{
  g_autoptr(GPtrArray) literals = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) records = g_string_new (NULL);
  gboolean contacts = strstr (soql, " FROM Contact ") != NULL;
  gboolean campaigns = strstr (soql, " FROM Campaign ") != NULL;
  GPtrArray *table = contacts ? crm->contacts : campaigns ? crm->campaigns : crm->leads;
  const char *type = contacts ? "Contact" : campaigns ? "Campaign" : "Lead";
  guint n = 0;

  g_assert_true (contacts || campaigns || strstr (soql, " FROM Lead ") != NULL);
  for (const char *p = strchr (soql, '\''); p != NULL; p = strchr (p + 1, '\''))
    {
      GString *literal = g_string_new (NULL);

      for (p++; *p != '\0' && *p != '\''; p++)
        {
          if (*p == '\\' && p[1] != '\0')
            p++;
          g_string_append_c (literal, *p);
        }
      g_ptr_array_add (literals, g_string_free (literal, FALSE));
      if (*p == '\0')
        break;
    }
  for (guint i = 0; i < table->len; i++)
    {
      JsonObject *record = table->pdata[i];
      gboolean hit = FALSE;

      for (guint j = 0; j < literals->len && !hit; j++)
        hit = (json_object_get_string_member_with_default (record, "Email", NULL) &&
               g_ascii_strcasecmp (json_object_get_string_member (record, "Email"), literals->pdata[j]) == 0) ||
              g_strcmp0 (json_object_get_string_member_with_default (record, "Fairlead_UUID__c", NULL),
                         literals->pdata[j]) == 0 ||
              g_strcmp0 (json_object_get_string_member_with_default (record, "Name", NULL),
                         literals->pdata[j]) == 0;
      if (!hit)
        continue;
      {
        g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), record);
        g_autofree char *fields = json_to_string (node, FALSE);

        /* {"attributes": …, "Id": …} from {"Id": …} */
        g_string_append_printf (records, "%s{\"attributes\": {\"type\": \"%s\", \"url\": "
                                "\"/services/data/v59.0/sobjects/%s/%s\"}, %s",
                                n++ ? ", " : "", type, type,
                                json_object_get_string_member (record, "Id"), fields + 1);
      }
    }
  *answer = g_strdup_printf ("{\"totalSize\": %u, \"done\": true, \"records\": [%s]}", n, records->str);
  return 200;
}

/* developer.salesforce.com, REST API "Status Codes and Error Responses":
 * 401 — "The session ID or OAuth token used has expired or is invalid",
 * body [{"message": "Session expired or invalid", "errorCode":
 * "INVALID_SESSION_ID"}]; 403 — "The request has been refused. Verify
 * that the logged-in user has appropriate permissions. If the error code
 * is REQUEST_LIMIT_EXCEEDED, you've exceeded API request limits in your
 * org." "Upsert Multiple Records Using sObject Collections": PATCH
 * …/composite/sobjects/Lead/<ExternalIdField>, one result per record in
 * order: {"id", "success", "errors", "created"}. */
static guint
salesforce_route (Crm *crm, SoupServerMessage *msg, const char *path, JsonNode *body,
                  const char *raw, char **answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *expected = NULL;
  g_autoptr(GString) results = NULL;
  JsonArray *records;

  if (g_str_equal (path, "/services/oauth2/token"))
    return token_route (crm, raw, answer);

  expected = g_strdup_printf ("Bearer %s", crm->access_token ? crm->access_token : "");
  if (crm->access_token == NULL || g_strcmp0 (authorization, expected) != 0 ||
      crm->used >= crm->session_uses)
    {
      g_clear_pointer (&crm->access_token, g_free);
      crm->expired++;
      *answer = g_strdup ("[{\"message\": \"Session expired or invalid\", \"errorCode\": \"INVALID_SESSION_ID\"}]");
      return 401;
    }
  crm->used++;
  if (crm->limit_left > 0)
    {
      crm->limit_left--;
      *answer = g_strdup ("[{\"message\": \"TotalRequests Limit exceeded.\", \"errorCode\": \"REQUEST_LIMIT_EXCEEDED\"}]");
      return 403;
    }
  if (g_str_equal (path, SF_DESCRIBE))
    {
      *answer = g_strdup ("{\"name\": \"Lead\", \"fields\": [{\"name\": \"Fairlead_UUID__c\", \"externalId\": true, \"length\": 36}]}");
      return 200;
    }
  if (g_str_equal (path, "/services/data/v59.0/query") && crm->no_lookups)
    {
      *answer = g_strdup ("[{\"errorCode\": \"NOT_FOUND\", \"message\": \"The requested resource does not exist\"}]");
      return 404;
    }
  if (g_str_equal (path, "/services/data/v59.0/query"))
    return sf_query (crm, g_hash_table_lookup (crm->query, "q"), answer);

  g_free (crm->duplicate_header);
  crm->duplicate_header = g_strdup (soup_message_headers_get_one (headers, "Sforce-Duplicate-Rule-Header"));
  records = json_object_get_array_member (json_node_get_object (body), "records");
  results = g_string_new ("[");
  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = json_array_get_object_element (records, i);
      const char *type = json_object_get_string_member (json_object_get_object_member (record, "attributes"), "type");
      JsonObject *target = NULL;
      gboolean created = FALSE;

      if (i > 0)
        g_string_append (results, ", ");
      if (g_str_equal (path, SF_COLLECTION))
        {
          /* upsert: matched on the external id, else created */
          g_assert_cmpstr (soup_server_message_get_method (msg), ==, "PATCH");
          target = sf_find (crm->leads, "Fairlead_UUID__c",
                            json_object_get_string_member (record, "Fairlead_UUID__c"));
          /* A duplicate rule on Phone that blocks (REST API, "Duplicate
           * Rule Header": with allowSave=false the save fails with
           * DUPLICATES_DETECTED and the rule's message). */
          if (target == NULL && crm->duplicate_header != NULL &&
              strstr (crm->duplicate_header, "allowSave=false") != NULL &&
              sf_find (crm->leads, "Phone", json_object_get_string_member_with_default (record, "Phone", NULL)))
            {
              g_string_append (results, "{\"success\": false, \"errors\": [{\"statusCode\": \"DUPLICATES_DETECTED\", "
                               "\"message\": \"Use one of these records?\", \"duplicateResult\": {\"duplicateRule\": "
                               "\"Standard_Lead_Duplicate_Rule\", \"matchResults\": []}}]}");
              continue;
            }
          if (target == NULL)
            {
              target = sf_new (crm->leads, "00Q", crm);
              created = TRUE;
              crm_store (crm, json_object_get_string_member (record, "Fairlead_UUID__c"));
            }
        }
      else if (g_str_equal (path, "/services/data/v59.0/composite/sobjects") &&
               g_str_equal (soup_server_message_get_method (msg), "PATCH"))
        {
          /* update: by Id */
          g_assert_cmpstr (type, ==, "Lead");
          target = sf_find (crm->leads, "Id", json_object_get_string_member (record, "id"));
          g_assert_nonnull (target);
        }
      else
        {
          /* create */
          g_assert_cmpstr (path, ==, "/services/data/v59.0/composite/sobjects");
          if (g_str_equal (type, "CampaignMember"))
            {
              const char *who = json_object_get_string_member_with_default (record, "LeadId", NULL);

              if (who == NULL)
                who = json_object_get_string_member (record, "ContactId");
              g_assert_nonnull (sf_find (crm->campaigns, "Id", json_object_get_string_member (record, "CampaignId")));
              if (sf_find (crm->members, "LeadId", who) || sf_find (crm->members, "ContactId", who))
                {
                  /* Object Reference, CampaignMember: one per campaign
                   * and person; a second insert fails DUPLICATE_VALUE. */
                  g_string_append (results, "{\"success\": false, \"errors\": [{\"statusCode\": "
                                   "\"DUPLICATE_VALUE\", \"message\": \"Already a campaign member.\", \"fields\": []}]}");
                  continue;
                }
              target = sf_new (crm->members, "00v", crm);
            }
          else
            {
              g_assert_cmpstr (type, ==, "Task");
              target = sf_new (crm->tasks, "00T", crm);
            }
          created = TRUE;
        }
      sf_merge (target, record);
      g_string_append_printf (results, "{\"id\": \"%s\", \"success\": true, \"errors\": [], \"created\": %s}",
                              json_object_get_string_member (target, "Id"), created ? "true" : "false");
    }
  g_string_append (results, "]");
  *answer = g_string_free (g_steal_pointer (&results), FALSE);
  return 200;
}

static char *
new_private_key (Crm *crm)
{
  BIO *bio = BIO_new (BIO_s_mem ());
  char *data = NULL;
  long length;
  char *pem;

  crm->key = EVP_RSA_gen (2048);
  g_assert_nonnull (crm->key);
  g_assert_cmpint (PEM_write_bio_PrivateKey (bio, crm->key, NULL, NULL, 0, NULL, NULL), ==, 1);
  length = BIO_get_mem_data (bio, &data);
  pem = g_strndup (data, length);
  BIO_free (bio);
  return pem;
}

/* A show's upload with the JWT bearer flow: the session ends after every
 * second request, and each time one new token is fetched and the batch
 * sent again; every lead arrives once and the upload never stops. */
static void
test_salesforce_jwt (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_autofree char *pem = new_private_key (crm);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  crm->client_id = g_strdup ("3MVG9consumerkey");
  crm->username = g_strdup ("kiosk@example.com");
  crm->session_uses = 2;
  g_setenv ("FAIRLEAD_SECRET_SFJWT", pem, TRUE);
  add_leads (f, 450, G_MAXUINT);
  /* No --url: the instance comes with the token. */
  add_connector (f, "sfjwt", "salesforce", NULL, "auth", "jwt", "client_id", crm->client_id,
                 "username", crm->username, "login_url", crm->http.url, NULL);

  connector = fl_outbox_get_connector (f->outbox, "sfjwt", &error);
  g_assert_no_error (error);
  g_assert_true (fl_connector_test (connector, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "the instance is"));
  g_assert_null (strstr (report->str, "Warning"));

  upload (f, &summary);
  g_assert_cmpuint (g_hash_table_size (summary.stopped), ==, 0);
  g_assert_cmpuint (summary.delivered, ==, 450);
  for (guint i = 0; i < f->uuids->len; i++)
    g_assert_cmpuint (crm_times_stored (crm, f->uuids->pdata[i]), ==, 1);
  /* Sessions of two requests: many end on the way, each answered with
   * one new token, and the request that met it goes again; an upsert
   * that did is not stored twice. */
  /* The lookups of a batch of 200 fit Salesforce's URI limit. */
  g_assert_cmpuint (crm->too_long, ==, 0);
  g_assert_cmpuint (crm->expired, >, 3);
  g_assert_cmpuint (crm->tokens_issued, ==, 2 + crm->expired);  /* test, run, one per expiry */
  g_assert_cmpuint (crm_count (crm, "PATCH " SF_COLLECTION), >=, 3);

  /* A key that is not the app's is refused by the login server: stop. */
  {
    g_autofree char *pem_other = NULL;
    Crm other = { 0 };
    g_auto(FlUploadSummary) refused = { 0 };

    pem_other = new_private_key (&other);
    EVP_PKEY_free (other.key);
    g_setenv ("FAIRLEAD_SECRET_SFJWT", pem_other, TRUE);
    add_leads (f, 2, G_MAXUINT);
    upload (f, &refused);
    g_assert_cmpuint (refused.delivered, ==, 0);
    g_assert_true (g_hash_table_contains (refused.stopped, "sfjwt"));
    g_test_message ("%s", (char *) g_hash_table_lookup (refused.stopped, "sfjwt"));
    g_assert_nonnull (strstr (g_hash_table_lookup (refused.stopped, "sfjwt"), "refused the token request"));
    g_assert_cmpint (refused.pending, ==, 2);
  }
  g_unsetenv ("FAIRLEAD_SECRET_SFJWT");
}

/* The refresh token flow: a wrong refresh token stops with a message
 * naming what to check; the right one delivers. */
static void
test_salesforce_refresh_token (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_auto(FlUploadSummary) refused = { 0 };
  g_auto(FlUploadSummary) summary = { 0 };

  crm->client_id = g_strdup ("3MVG9consumerkey");
  crm->refresh_token = g_strdup ("5Aep861refresh+/=");
  add_leads (f, 3, G_MAXUINT);
  add_connector (f, "sfr", "salesforce", NULL, "auth", "refresh_token", "client_id",
                 crm->client_id, "login_url", crm->http.url, NULL);

  g_setenv ("FAIRLEAD_SECRET_SFR", "revoked", TRUE);
  upload (f, &refused);
  g_assert_true (g_hash_table_contains (refused.stopped, "sfr"));
  g_assert_nonnull (strstr (g_hash_table_lookup (refused.stopped, "sfr"), "client_id"));
  g_assert_cmpuint (crm_count (crm, "PATCH " SF_COLLECTION), ==, 0);

  g_setenv ("FAIRLEAD_SECRET_SFR", crm->refresh_token, TRUE);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (g_hash_table_size (summary.stopped), ==, 0);
  g_unsetenv ("FAIRLEAD_SECRET_SFR");
}

/* REQUEST_LIMIT_EXCEEDED is retry-later: the leads wait (exit 75), the
 * credential is not blamed, and they go once the limit allows. A static
 * token is warned about in connector test. */
static void
test_salesforce_request_limit (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_auto(FlUploadSummary) limited = { 0 };
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *out = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) log = NULL;
  FlSyncLogEntry *entry;
  int status;

  crm->access_token = g_strdup (TOKEN);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  add_leads (f, 4, G_MAXUINT);
  add_connector (f, "sf", "salesforce", crm->http.url, NULL);
  connector = fl_outbox_get_connector (f->outbox, "sf", &error);
  g_assert_true (fl_connector_test (connector, report, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (report->str, "expires with the session"));

  crm->limit_left = 2;
  upload (f, &limited);
  g_assert_cmpuint (g_hash_table_size (limited.stopped), ==, 0);
  g_assert_cmpuint (limited.retried, ==, 4);
  g_assert_cmpint (limited.pending, ==, 4);
  reason = outbox_value (f, f->uuids->pdata[0], "last_error");
  g_assert_nonnull (strstr (reason, "request limit"));

  /* The CLI says so: exit 75 (EX_TEMPFAIL) with the reason, not 77. */
  skip_backoff (f);
  status = run_cli (f, &out, "upload", "--max-wait", "0", NULL);
  g_assert_cmpint (status, ==, 75);
  g_assert_nonnull (strstr (out, "request limit"));
  g_clear_pointer (&out, g_free);

  skip_backoff (f);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 4);
  for (guint i = 0; i < f->uuids->len; i++)
    g_assert_cmpuint (crm_times_stored (crm, f->uuids->pdata[i]), ==, 1);

  /* The sync log: every request that carried the lead, with the answer's
   * status and Salesforce's id; in leads show and its JSON. */
  log = fl_sync_log_list (f->base.store, f->uuids->pdata[0], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 3);
  entry = g_ptr_array_index (log, 0);
  g_assert_cmpstr (entry->connector, ==, "sf");
  g_assert_cmpint (entry->http_status, ==, 403);
  g_assert_cmpstr (entry->result, ==, "retry");
  g_assert_nonnull (entry->at);
  entry = g_ptr_array_index (log, 2);
  g_assert_cmpint (entry->http_status, ==, 200);
  g_assert_cmpstr (entry->result, ==, "delivered");
  remote = outbox_value (f, f->uuids->pdata[0], "remote_id");
  g_assert_cmpstr (entry->remote_id, ==, remote);

  status = run_cli (f, &out, "leads", "show", f->uuids->pdata[0], NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "Sync log:"));
  g_assert_nonnull (strstr (out, "sf (HTTP 403): to be sent again (Salesforce’s API request limit"));
  line = g_strdup_printf ("sf (HTTP 200): delivered as %s", remote);
  g_assert_nonnull (strstr (out, line));
  g_clear_pointer (&out, g_free);
  status = run_cli (f, &out, "leads", "show", "--json", f->uuids->pdata[0], NULL);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "\"sync_log\""));
  g_assert_nonnull (strstr (out, "\"http_status\" : 403"));

  /* A subject access request lists it (to whom the lead went); erasing
   * the lead erases it. */
  {
    g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
    g_autoptr(JsonNode) export = NULL;
    g_autofree char *text = NULL;

    g_ptr_array_add (uuids, f->uuids->pdata[0]);
    export = fl_privacy_export_person (f->base.store, uuids, &error);
    g_assert_no_error (error);
    text = json_to_string (export, FALSE);
    g_assert_nonnull (strstr (text, "\"sync_log\":[{\"connector\":\"sf\""));
    g_assert_true (fl_privacy_erase_lead (f->base.store, f->uuids->pdata[0], "test", &error));
    g_assert_no_error (error);
    g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM sync_log"), ==, 3 * 3);
  }
  g_unsetenv ("FAIRLEAD_SECRET_SF");
}

static JsonObject *
org_add (Crm *crm, GPtrArray *table, const char *prefix, ...)
{
  JsonObject *record = sf_new (table, prefix, crm);
  const char *key;
  va_list args;

  va_start (args, prefix);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);

      if (g_str_equal (key, "IsConverted"))
        json_object_set_boolean_member (record, key, g_str_equal (value, "true"));
      else
        json_object_set_string_member (record, key, value);
    }
  va_end (args);
  return record;
}

static const char *
field_of (JsonObject *record, const char *name)
{
  return json_object_get_string_member_with_default (record, name, NULL);
}

/* An org that knows some visitors already: a Lead sales work on (entered
 * by hand, so without our uuid), a Contact, and a Lead converted to a
 * Contact. Nobody is duplicated, sales' Status, LeadSource, Company and
 * Description stay, the visit is a Task on whoever existed; a new Lead
 * gets every field, cut to Salesforce's lengths; and sent again later,
 * it is updated without its Status. */
static void
test_salesforce_existing_people (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_auto(FlUploadSummary) first = { 0 };
  g_auto(FlUploadSummary) second = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *converted_remote = NULL;
  JsonObject *worked, *created, *contact, *converted, *converted_contact;

  crm->access_token = g_strdup (TOKEN);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  add_leads (f, 4, G_MAXUINT);
  {
    /* visitor3 has a first name longer than FirstName's 40 characters */
    g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, f->uuids->pdata[3], &error);
    g_assert_no_error (error);
    fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Maximiliane-Alexandrine-Friederike-Charlotte");
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
  }
  worked = org_add (crm, crm->leads, "00Q", "Email", "VISITOR0@example.com", "LastName", "Mustermann",
                    "Company", "Muster AG", "Status", "Working - Contacted", "LeadSource", "Web",
                    "Description", "Called twice, budget in Q3", NULL);
  contact = org_add (crm, crm->contacts, "003", "Email", "visitor1@example.com", "LastName", "Mustermann", NULL);
  converted_contact = org_add (crm, crm->contacts, "003", "Email", "old@example.com", NULL);
  converted = org_add (crm, crm->leads, "00Q", "Email", "visitor2@example.com", "LastName", "Mustermann",
                       "IsConverted", "true", "ConvertedContactId", field_of (converted_contact, "Id"),
                       "Status", "Closed - Converted", NULL);
  add_connector (f, "sf", "salesforce", crm->http.url, NULL);

  upload (f, &first);
  g_assert_cmpuint (first.delivered, ==, 4);
  g_assert_cmpuint (g_hash_table_size (first.stopped), ==, 0);

  /* One new Lead only: visitor3's. */
  g_assert_cmpuint (crm->leads->len, ==, 3);
  g_assert_cmpuint (crm->contacts->len, ==, 2);
  /* "Sforce-Duplicate-Rule-Header: allowSave=false" reports duplicates. */
  g_assert_nonnull (strstr (crm->duplicate_header, "allowSave=false"));

  /* The Lead sales work on: our uuid and the card's fields, not more. */
  g_assert_cmpstr (field_of (worked, "Fairlead_UUID__c"), ==, f->uuids->pdata[0]);
  g_assert_cmpstr (field_of (worked, "FirstName"), ==, "Erika");
  g_assert_cmpstr (field_of (worked, "Status"), ==, "Working - Contacted");
  g_assert_cmpstr (field_of (worked, "LeadSource"), ==, "Web");
  g_assert_cmpstr (field_of (worked, "Company"), ==, "Muster AG");
  g_assert_cmpstr (field_of (worked, "Description"), ==, "Called twice, budget in Q3");
  remote = outbox_value (f, f->uuids->pdata[0], "remote_id");
  g_assert_cmpstr (remote, ==, field_of (worked, "Id"));

  /* The converted Lead is left alone; the visit goes to its Contact. */
  g_assert_cmpstr (field_of (converted, "Status"), ==, "Closed - Converted");
  g_assert_false (json_object_has_member (converted, "Fairlead_UUID__c"));
  converted_remote = outbox_value (f, f->uuids->pdata[2], "remote_id");
  g_assert_cmpstr (converted_remote, ==, field_of (converted_contact, "Id"));

  /* A Task for each who existed: the worked Lead, the Contact, the
   * converted Lead's Contact. */
  g_assert_cmpuint (crm->tasks->len, ==, 3);
  g_assert_nonnull (sf_find (crm->tasks, "WhoId", field_of (worked, "Id")));
  g_assert_nonnull (sf_find (crm->tasks, "WhoId", field_of (contact, "Id")));
  g_assert_nonnull (sf_find (crm->tasks, "WhoId", field_of (converted_contact, "Id")));
  g_assert_cmpstr (field_of (crm->tasks->pdata[0], "Subject"), ==, "Fairlead: visit at Hannover Messe");
  g_assert_cmpstr (field_of (crm->tasks->pdata[0], "Status"), ==, "Completed");

  /* The new Lead: everything, FirstName cut to 40 characters. */
  created = sf_find (crm->leads, "Fairlead_UUID__c", f->uuids->pdata[3]);
  g_assert_nonnull (created);
  g_assert_cmpstr (field_of (created, "FirstName"), ==, "Maximiliane-Alexandrine-Friederike-Charl");
  g_assert_cmpstr (field_of (created, "Company"), ==, "[not provided]");
  g_assert_cmpstr (field_of (created, "Status"), ==, "Open - Not Contacted");
  g_assert_cmpstr (field_of (created, "LeadSource"), ==, "Trade Show");

  /* Sales qualify it; the visitor's record is sent again after an edit. */
  json_object_set_string_member (created, "Status", "Qualified");
  json_object_set_string_member (created, "Company", "Their Research GmbH");
  g_assert_true (fl_outbox_requeue_lead (f->outbox, f->uuids->pdata[3], "test", NULL, &error));
  g_assert_no_error (error);
  upload (f, &second);
  g_assert_cmpuint (second.delivered, ==, 1);
  g_assert_cmpuint (crm->leads->len, ==, 3);
  g_assert_cmpstr (field_of (created, "Status"), ==, "Qualified");
  g_assert_cmpstr (field_of (created, "Company"), ==, "Their Research GmbH");
  g_assert_cmpuint (crm_times_stored (crm, f->uuids->pdata[3]), ==, 1);
  g_unsetenv ("FAIRLEAD_SECRET_SF");
}

/* Event ROI: with the option campaign (by name), everyone the upload
 * reached is a CampaignMember with a status from the Fairlead status; a
 * Contact who is a member already stays one without failing; a campaign
 * that does not exist stops the upload and says so. */
static void
test_salesforce_campaign (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_auto(FlUploadSummary) summary = { 0 };
  g_auto(FlUploadSummary) missing = { 0 };
  g_autoptr(GError) error = NULL;
  JsonObject *campaign, *contact, *member, *created;
  guint before;

  crm->access_token = g_strdup (TOKEN);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_SF2", TOKEN, TRUE);
  add_leads (f, 3, G_MAXUINT);
  {
    g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, f->uuids->pdata[2], &error);
    g_assert_no_error (error);
    fl_lead_set_status (lead, FL_STATUS_DISQUALIFIED);
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
  }
  campaign = org_add (crm, crm->campaigns, "701", "Name", "Hannover Messe 2026", NULL);
  contact = org_add (crm, crm->contacts, "003", "Email", "visitor0@example.com", NULL);
  org_add (crm, crm->members, "00v", "CampaignId", field_of (campaign, "Id"), "ContactId",
           field_of (contact, "Id"), "Status", "Sent", NULL);
  add_connector (f, "sf", "salesforce", crm->http.url, "campaign", "Hannover Messe 2026",
                 "member_status_mql", "Visited Booth", NULL);

  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 3);
  g_assert_cmpuint (crm->members->len, ==, 3);
  created = sf_find (crm->leads, "Fairlead_UUID__c", f->uuids->pdata[1]);
  member = sf_find (crm->members, "LeadId", field_of (created, "Id"));
  g_assert_nonnull (member);
  g_assert_cmpstr (field_of (member, "CampaignId"), ==, field_of (campaign, "Id"));
  g_assert_cmpstr (field_of (member, "Status"), ==, "Visited Booth");
  created = sf_find (crm->leads, "Fairlead_UUID__c", f->uuids->pdata[2]);
  member = sf_find (crm->members, "LeadId", field_of (created, "Id"));
  g_assert_cmpstr (field_of (member, "Status"), ==, "Sent");

  add_connector (f, "sf2", "salesforce", crm->http.url, "campaign", "Hannover Messe 2027", NULL);
  /* connector test says so before the show */
  {
    g_autoptr(FlConnector) good = fl_outbox_get_connector (f->outbox, "sf", &error);
    g_autoptr(FlConnector) bad = fl_outbox_get_connector (f->outbox, "sf2", &error);
    g_autoptr(GString) report = g_string_new (NULL);
    g_autofree char *line = g_strdup_printf ("Campaign “Hannover Messe 2026” is %s", field_of (campaign, "Id"));

    g_assert_true (fl_connector_test (good, report, NULL, &error));
    g_assert_no_error (error);
    g_assert_nonnull (strstr (report->str, line));
    g_assert_false (fl_connector_test (bad, report, NULL, &error));
    g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
    g_assert_nonnull (strstr (error->message, "no campaign named “Hannover Messe 2027”"));
    g_clear_error (&error);
  }
  before = crm->log->len;
  upload (f, &missing);
  /* Nothing was written for sf2: only the campaign lookup went out. */
  g_assert_cmpuint (crm->log->len, ==, before + 1);
  g_assert_true (g_hash_table_contains (missing.stopped, "sf2"));
  g_assert_nonnull (strstr (g_hash_table_lookup (missing.stopped, "sf2"), "no campaign named “Hannover Messe 2027”"));
  g_unsetenv ("FAIRLEAD_SECRET_SF");
  g_unsetenv ("FAIRLEAD_SECRET_SF2");
}

/* A server that refuses the lookups (batch read, SOQL) still gets every
 * lead once: HubSpot without a lifecycle stage (so none goes backwards),
 * Salesforce as Leads upserted on the external id. */
static void
test_lookups_refused (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) hub = crm_new (hubspot_route);
  g_autoptr(Crm) sf = crm_new (salesforce_route);
  g_auto(FlUploadSummary) summary = { 0 };

  hub->no_lookups = sf->no_lookups = TRUE;
  sf->access_token = g_strdup (TOKEN);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  hs_add_contact (hub, "visitor0@example.com", "customer");
  add_leads (f, 3, G_MAXUINT);
  add_connector (f, "hub", "hubspot", hub->http.url, NULL);
  add_connector (f, "sf", "salesforce", sf->http.url, NULL);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 6);
  g_assert_cmpuint (g_hash_table_size (summary.stopped), ==, 0);
  for (guint i = 0; i < f->uuids->len; i++)
    {
      g_assert_cmpuint (crm_times_stored (hub, f->uuids->pdata[i]), ==, 1);
      g_assert_cmpuint (crm_times_stored (sf, f->uuids->pdata[i]), ==, 1);
    }
  g_assert_cmpstr (hs_property (hub, "visitor0@example.com", "lifecyclestage"), ==, "customer");
  g_assert_null (hs_property (hub, "visitor1@example.com", "lifecyclestage"));
  g_unsetenv ("FAIRLEAD_SECRET_SF");
}

/* The whole show, as `fairlead-cli upload` meets it: HubSpot answers 207s
 * keyed by trace id and leaves an input out, Salesforce's sessions end
 * mid-run and its request limit is reached once. One run with time to
 * wait delivers every lead exactly once, stops nowhere and exits 0. */
static void
test_show (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) hub = crm_new (hubspot_route);
  g_autoptr(Crm) sf = crm_new (salesforce_route);
  g_autofree char *pem = new_private_key (sf);
  g_autofree char *out = NULL;
  int status;

  sf->client_id = g_strdup ("3MVG9consumerkey");
  sf->username = g_strdup ("kiosk@example.com");
  sf->session_uses = 3;
  sf->limit_left = 1;
  g_setenv ("FAIRLEAD_SECRET_SFJWT", pem, TRUE);
  add_leads (f, 230, 17);  /* one with an address HubSpot refuses */
  g_hash_table_add (hub->left_out, g_strdup (f->uuids->pdata[5]));
  g_hash_table_add (hub->left_out, g_strdup (f->uuids->pdata[150]));
  add_connector (f, "hub", "hubspot", hub->http.url, NULL);
  add_connector (f, "sfjwt", "salesforce", NULL, "auth", "jwt", "client_id", sf->client_id,
                 "username", sf->username, "login_url", sf->http.url, NULL);

  status = run_cli (f, &out, "upload", "--max-wait", "60", NULL);
  /* 65: the refused address failed for good, and only it */
  g_assert_cmpint (status, ==, 65);
  g_assert_null (strstr (out, "stopped"));
  g_assert_null (strstr (out, "pending"));
  for (guint i = 0; i < f->uuids->len; i++)
    {
      g_assert_cmpuint (crm_times_stored (hub, f->uuids->pdata[i]), ==, i == 17 ? 0 : 1);
      g_assert_cmpuint (crm_times_stored (sf, f->uuids->pdata[i]), ==, 1);
    }
  g_assert_cmpuint (sf->expired, >, 0);
  g_assert_cmpuint (sf->limit_left, ==, 0);
  g_unsetenv ("FAIRLEAD_SECRET_SFJWT");
}

/* The org's duplicate rule reports: the lead fails with the rule's
 * message instead of vanishing, the others go. */
static void
test_salesforce_duplicate_rule (Fixture *f, gconstpointer data)
{
  g_autoptr(Crm) crm = crm_new (salesforce_route);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  crm->access_token = g_strdup (TOKEN);
  g_setenv ("FAIRLEAD_SECRET_SF", TOKEN, TRUE);
  org_add (crm, crm->leads, "00Q", "Email", "someone.else@example.com", "Phone", "+49 511 1234", NULL);
  add_leads (f, 3, G_MAXUINT);
  {
    g_autoptr(FlLead) lead = fl_store_get_lead (f->base.store, f->uuids->pdata[1], &error);
    fl_lead_set_field (lead, FL_FIELD_PHONE, "+49 511 1234");
    fl_store_save_lead (f->base.store, lead, "test", &error);
    g_assert_no_error (error);
  }
  add_connector (f, "sf", "salesforce", crm->http.url, NULL);
  upload (f, &summary);
  g_assert_cmpuint (summary.delivered, ==, 2);
  g_assert_cmpuint (summary.failed, ==, 1);
  reason = outbox_value (f, f->uuids->pdata[1], "last_error");
  g_assert_nonnull (strstr (reason, "DUPLICATES_DETECTED: Use one of these records?"));
  g_unsetenv ("FAIRLEAD_SECRET_SF");
}

static void
test_salesforce_options (void)
{
  static const struct
  {
    const char *key1, *value1, *key2, *value2;
    const char *expected;
  } cases[] = {
    { "auth", "password", NULL, NULL, "not a Salesforce sign-in" },
    { "auth", "jwt", "client_id", "x", "username" },
    { "auth", "refresh_token", NULL, NULL, "client_id" },
    { "auth", "jwt", "login_url", "login.salesforce.com", "client_id" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) options = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(FlConnector) connector = NULL;

      json_object_set_string_member (options, cases[i].key1, cases[i].value1);
      if (cases[i].key2 != NULL)
        json_object_set_string_member (options, cases[i].key2, cases[i].value2);
      connector = fl_connector_new ("sf", "salesforce", NULL, options, &error);
      g_assert_null (connector);
      g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG);
      g_test_message ("%s", error->message);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("FAIRLEAD_SECRET_HUB", TOKEN, TRUE);
  g_setenv ("FAIRLEAD_SECRET_BAD", TOKEN, TRUE);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fl_test_outbox_fixture_setup, func, fl_test_outbox_fixture_teardown)
  ADD ("/crm/hubspot/207-unconfirmed", test_hubspot_unconfirmed);
  ADD ("/crm/hubspot/lifecycle-forwards", test_hubspot_lifecycle_forwards);
  ADD ("/crm/hubspot/mapping", test_hubspot_mapping);
  ADD ("/crm/hubspot/consent-and-note", test_hubspot_consent_and_note);
  ADD ("/crm/salesforce/jwt-session-expires", test_salesforce_jwt);
  ADD ("/crm/salesforce/refresh-token", test_salesforce_refresh_token);
  ADD ("/crm/salesforce/request-limit", test_salesforce_request_limit);
  ADD ("/crm/salesforce/existing-people", test_salesforce_existing_people);
  ADD ("/crm/salesforce/campaign", test_salesforce_campaign);
  ADD ("/crm/salesforce/duplicate-rule", test_salesforce_duplicate_rule);
  ADD ("/crm/lookups-refused", test_lookups_refused);
  ADD ("/crm/show", test_show);
#undef ADD
  g_test_add_func ("/crm/salesforce/options", test_salesforce_options);

  return g_test_run ();
}
