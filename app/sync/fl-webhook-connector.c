/* fl-webhook-connector.c: leads as signed JSON to any HTTP endpoint
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-webhook"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-sync.h"
#include "lead/fl-json.h"

#define SCHEMA "fairlead.leads.v1"

struct _FlWebhookConnector
{
  FlConnector parent_instance;
};

G_DEFINE_FINAL_TYPE (FlWebhookConnector, fl_webhook_connector, FL_TYPE_CONNECTOR)

/**
 * fl_webhook_sign:
 *
 * Returns: the X-Fairlead-Signature value: `sha256=` and the hex
 *   HMAC-SHA256 of @body under @key
 */
char *
fl_webhook_sign (const char *key, const char *body, gsize length)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));

  g_hmac_update (hmac, (const guchar *) body, length);
  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}

/* signing=true makes the signing key required: without one nothing is
 * sent. Without the option, requests are signed whenever a key is there
 * (keyring or FAIRLEAD_SECRET_<NAME>): a receiver that checks signatures
 * must never get an unsigned batch because an option was forgotten, and
 * one that does not check ignores the header. */
static gboolean
signing_required (FlConnector *self)
{
  const char *signing = fl_connector_get_option (self, "signing", "false");

  return g_str_equal (signing, "true") || g_str_equal (signing, "yes") || g_str_equal (signing, "1");
}

/* The body is written straight into one buffer, sized for the batch up
 * front: a batch of 100 leads is ~100 KB, and building it as a JSON tree
 * first cost more than sending it. */
static char *
build_body (FlSyncBatch *batch, gboolean test, gsize *length)
{
  guint n = batch != NULL ? batch->items->len : 0;
  GString *out = g_string_sized_new (256 + (gsize) n * 1024);

  g_string_append (out, "{\"schema\":\"" SCHEMA "\",\"event\":");
  fl_json_append_node (out, batch != NULL ? batch->event : NULL);
  if (test)
    g_string_append (out, ",\"test\":true");
  g_string_append (out, ",\"leads\":[");
  for (guint i = 0; i < n; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);

      if (i > 0)
        g_string_append_c (out, ',');
      fl_lead_append_json (item->lead, out);
    }
  g_string_append (out, "]}");
  *length = out->len;
  return g_string_free (out, FALSE);
}

static gboolean
post (FlConnector *self, const char *key, const char *body, gsize length,
      FlHttpResponse *response, gboolean *signed_out, GCancellable *cancellable, GError **error)
{
  g_autofree char *secret = NULL;
  g_autofree char *signature = NULL;
  g_autofree char *idempotency = g_strdup_printf ("Idempotency-Key: %s", key);
  const char *headers[4] = { "Content-Type: application/json", idempotency, NULL, NULL };
  g_autoptr(GError) local_error = NULL;

  secret = _fl_connector_get_secret (self, signing_required (self), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (signed_out != NULL)
    *signed_out = secret != NULL;
  if (secret != NULL)
    {
      signature = fl_webhook_sign (secret, body, length);
      memset (secret, 0, strlen (secret));
      headers[2] = g_strdup_printf ("X-Fairlead-Signature: %s", signature);
    }
  _fl_connector_http (self, "POST", fl_connector_get_url (self), headers, body, length, response,
                      cancellable, &local_error);
  g_free ((char *) headers[2]);
  return TRUE;
}

/* An optional answer {"results": [{"uuid": …, "id": …}]} gives remote ids. */
static void
read_remote_ids (FlSyncBatch *batch, FlHttpResponse *response)
{
  g_autoptr(JsonNode) root = _fl_connector_parse_body (response);
  g_autoptr(GHashTable) ids = NULL;
  JsonNode *results;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  results = json_object_get_member (json_node_get_object (root), "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    return;

  ids = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (results)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (results), i);
      JsonObject *object;
      const char *uuid, *id;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      uuid = json_object_get_string_member_with_default (object, "uuid", NULL);
      id = json_object_get_string_member_with_default (object, "id", NULL);
      if (uuid != NULL && id != NULL)
        g_hash_table_insert (ids, (gpointer) uuid, (gpointer) id);
    }
  for (guint i = 0; i < batch->items->len; i++)
    {
      FlSyncItem *item = g_ptr_array_index (batch->items, i);
      const char *id = g_hash_table_lookup (ids, fl_lead_get_uuid (item->lead));

      fl_sync_item_set (item, FL_ITEM_DONE, id, NULL);
    }
}

static void
fl_webhook_connector_send (FlConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  FlHttpResponse response = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gsize length;

  body = build_body (batch, FALSE, &length);
  if (!post (self, batch->key, body, length, &response, NULL, cancellable, &error))
    fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
  else if (_fl_connector_check_response (self, &response, batch))
    read_remote_ids (batch, &response);
  _fl_http_response_clear (&response);
}

static gboolean
fl_webhook_connector_validate (FlConnector *self, GError **error)
{
  if (fl_connector_get_url (self) == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the URL to post to (--url)"),
                   fl_connector_get_name (self));
      return FALSE;
    }
  return TRUE;
}

static gboolean
fl_webhook_connector_test (FlConnector *self, GString *report, GCancellable *cancellable,
                           GError **error)
{
  FlHttpResponse response = { 0 };
  g_autoptr(FlSyncBatch) batch = fl_sync_batch_new (NULL, NULL);
  g_autofree char *key = fl_uuid_new ();
  g_autofree char *body = NULL;
  gsize length;
  gboolean ok;
  gboolean is_signed = FALSE;

  body = build_body (NULL, TRUE, &length);
  if (!post (self, key, body, length, &response, &is_signed, cancellable, error))
    return FALSE;
  ok = _fl_connector_check_response (self, &response, batch);
  if (ok)
    g_string_append_printf (report, _("%s accepted an empty, %s test batch (HTTP %ld)\n"),
                            fl_connector_get_url (self),
                            is_signed ? _("signed") : _("unsigned"), response.status);
  else
    g_set_error (error, FL_SYNC_ERROR,
                 batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_AUTH : FL_SYNC_ERROR_HTTP,
                 "%s", batch->message);
  _fl_http_response_clear (&response);
  return ok;
}

static void
fl_webhook_connector_class_init (FlWebhookConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  connector_class->validate = fl_webhook_connector_validate;
  connector_class->send = fl_webhook_connector_send;
  connector_class->test = fl_webhook_connector_test;
}

static void
fl_webhook_connector_init (FlWebhookConnector *self)
{
}
