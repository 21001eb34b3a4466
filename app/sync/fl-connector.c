/* fl-connector.c: where leads go — a CRM, a webhook or a folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-connector"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-secret.h"
#include "fl-sync.h"
#include "lead/fl-json.h"

typedef struct
{
  char       *name;
  char       *type;
  char       *url;
  JsonObject *options;
  CURL       *curl;
  char       *secret;
  gboolean    secret_loaded;
  gboolean    fresh_connect;
} FlConnectorPrivate;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)
G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FlConnector, fl_connector, G_TYPE_OBJECT)

#define USER_AGENT "Fairlead/" PACKAGE_VERSION
#define MAX_MESSAGE 300

/* The one list of connector types: the settings' dialog, the CLI's help
 * and its usage errors all read it. Brand names stay as they are. */
static const FlConnectorType types[] = {
  { "webhook", N_("Webhook (JSON)"), "", NULL },
  { "hubspot", "HubSpot", "", NULL },
  { "salesforce", "Salesforce", "", NULL },
  { "dynamics", "Dynamics 365", "tenant=; client_id=", N_("Client Secret of the App Registration") },
  { "zoho", "Zoho CRM", "client_id=; data_centre=eu", N_("Client Secret:Refresh Token") },
  { "pipedrive", "Pipedrive", "label_mql=Warm; label_sal=Hot; label_disqualified=Cold", N_("API Token") },
  { "csv", N_("CSV Folder"), "", NULL },
};

/* Items and batches */

FlSyncItem *
fl_sync_item_new (gint64 lead_id, FlLead *lead, gboolean known)
{
  FlSyncItem *item = g_new0 (FlSyncItem, 1);

  item->lead_id = lead_id;
  item->lead = g_object_ref (lead);
  item->known = known;
  return item;
}

void
fl_sync_item_free (FlSyncItem *item)
{
  if (item == NULL)
    return;
  g_clear_object (&item->lead);
  g_free (item->remote_id);
  g_free (item->message);
  g_free (item->stored_id);
  g_free (item);
}

void
fl_sync_item_set (FlSyncItem *item, FlItemResult result, const char *remote_id,
                  const char *message)
{
  item->result = result;
  g_free (item->remote_id);
  item->remote_id = g_strdup (remote_id);
  g_free (item->message);
  item->message = g_strdup (message);
}

FlSyncBatch *
fl_sync_batch_new (const char *key, JsonNode *event)
{
  FlSyncBatch *batch = g_new0 (FlSyncBatch, 1);

  batch->key = g_strdup (key);
  batch->event = event ? json_node_ref (event) : NULL;
  batch->items = g_ptr_array_new ();
  batch->retry_after = -1;
  return batch;
}

void
fl_sync_batch_free (FlSyncBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->key);
  g_clear_pointer (&batch->event, json_node_unref);
  g_ptr_array_unref (batch->items);
  g_free (batch->message);
  g_free (batch);
}

void
fl_sync_batch_set (FlSyncBatch *batch, FlSendStatus status, const char *message)
{
  batch->status = status;
  g_free (batch->message);
  batch->message = g_strdup (message);
}

/**
 * fl_sync_batch_checkpoint:
 *
 * Keeps @remote_id as @item's stored id, in memory and, when the batch has
 * a checkpoint function, on disk, before the connector goes on.
 */
gboolean
fl_sync_batch_checkpoint (FlSyncBatch *batch, FlSyncItem *item, const char *remote_id,
                          GError **error)
{
  g_free (item->stored_id);
  item->stored_id = g_strdup (remote_id);
  if (batch->checkpoint == NULL)
    return TRUE;
  return batch->checkpoint (batch, item, remote_id, batch->checkpoint_data, error);
}

/* HTTP */

void
_fl_http_response_clear (FlHttpResponse *response)
{
  g_clear_pointer (&response->body, g_byte_array_unref);
  g_clear_pointer (&response->curl_error, g_free);
  response->status = 0;
  response->curl_code = CURLE_OK;
  response->retry_after = -1;
}

static size_t
write_cb (char *data, size_t size, size_t n, void *user_data)
{
  FlHttpResponse *response = user_data;

  g_byte_array_append (response->body, (const guint8 *) data, size * n);
  return size * n;
}

/* Retry-After is either seconds or an HTTP date. */
static gint64
parse_retry_after (const char *value)
{
  char *end = NULL;
  gint64 seconds;
  time_t when;

  while (g_ascii_isspace (*value))
    value++;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && (*end == '\0' || g_ascii_isspace (*end)))
    return MAX (seconds, 0);
  when = curl_getdate (value, NULL);
  if (when < 0)
    return -1;
  return MAX ((gint64) when - g_get_real_time () / G_USEC_PER_SEC, 0);
}

static size_t
header_cb (char *data, size_t size, size_t n, void *user_data)
{
  FlHttpResponse *response = user_data;
  gsize length = size * n;
  static const char name[] = "retry-after:";

  /* A new status line starts a new response (after 100 Continue). */
  if (length >= 5 && g_ascii_strncasecmp (data, "HTTP/", 5) == 0)
    response->retry_after = -1;
  else if (length > strlen (name) && g_ascii_strncasecmp (data, name, strlen (name)) == 0)
    {
      g_autofree char *value = g_strstrip (g_strndup (data + strlen (name), length - strlen (name)));
      response->retry_after = parse_retry_after (value);
    }
  return length;
}

static int
progress_cb (void *user_data, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
             curl_off_t ulnow)
{
  GCancellable *cancellable = user_data;

  return cancellable != NULL && g_cancellable_is_cancelled (cancellable);
}

static gboolean
is_tls_error (int code)
{
  return code == CURLE_PEER_FAILED_VERIFICATION || code == CURLE_SSL_CACERT_BADFILE ||
         code == CURLE_SSL_CERTPROBLEM || code == CURLE_SSL_ISSUER_ERROR ||
         code == CURLE_SSL_CRL_BADFILE || code == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

/**
 * _fl_connector_http:
 * @headers: (nullable): %NULL-terminated "Name: value" lines
 *
 * One request on the connector's connection, which stays open for the next.
 * TLS is always verified, against the `ca_file` option when set.
 *
 * Returns: %TRUE when an answer came (of any status); %FALSE with @error
 *   (and @response's curl fields) when none did
 */
gboolean
_fl_connector_http (FlConnector *self, const char *method, const char *url,
                    const char *const *headers, const char *body, gsize length,
                    FlHttpResponse *response, GCancellable *cancellable, GError **error)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);
  struct curl_slist *list = NULL;
  char curl_error[CURL_ERROR_SIZE] = "";
  const char *ca_file = fl_connector_get_option (self, "ca_file", NULL);
  gint64 timeout = fl_connector_get_option_int (self, "timeout", 30);
  g_autoptr(GError) insecure = NULL;
  CURLcode code;

  _fl_http_response_clear (response);
  response->body = g_byte_array_new ();

  if (!fl_connector_check_url_transport (url, &insecure))
    {
      response->curl_code = CURLE_UNSUPPORTED_PROTOCOL;
      response->curl_error = g_strdup (insecure->message);
      g_propagate_error (error, g_steal_pointer (&insecure));
      return FALSE;
    }

  if (priv->curl == NULL)
    {
      priv->curl = curl_easy_init ();
      if (priv->curl == NULL)
        {
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK, "%s",
                       _("Cannot start an HTTP client (out of memory?)"));
          return FALSE;
        }
    }
  /* reset keeps the open connection, so a run of batches reuses it. */
  curl_easy_reset (priv->curl);
  curl_easy_setopt (priv->curl, CURLOPT_URL, url);
  curl_easy_setopt (priv->curl, CURLOPT_CUSTOMREQUEST, method);
  if (priv->fresh_connect)
    curl_easy_setopt (priv->curl, CURLOPT_FRESH_CONNECT, 1L);
  curl_easy_setopt (priv->curl, CURLOPT_PROTOCOLS_STR, "http,https");
  /* A redirect is never followed (a 3xx stops the connector and says so):
   * it could lead the token to plain http on another host. */
  curl_easy_setopt (priv->curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt (priv->curl, CURLOPT_REDIR_PROTOCOLS_STR, "https");
  /* Plain http is only ever for this computer (see above); through an
   * http_proxy from the environment it would cross the network in clear. */
  if (g_ascii_strncasecmp (url, "http://", strlen ("http://")) == 0)
    curl_easy_setopt (priv->curl, CURLOPT_NOPROXY, "*");
  curl_easy_setopt (priv->curl, CURLOPT_USERAGENT, USER_AGENT);
  curl_easy_setopt (priv->curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (priv->curl, CURLOPT_MAXCONNECTS, 1L);
  curl_easy_setopt (priv->curl, CURLOPT_CONNECTTIMEOUT, (long) MIN (timeout, 15));
  curl_easy_setopt (priv->curl, CURLOPT_TIMEOUT, (long) timeout);
  curl_easy_setopt (priv->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt (priv->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (ca_file != NULL)
    curl_easy_setopt (priv->curl, CURLOPT_CAINFO, ca_file);
  curl_easy_setopt (priv->curl, CURLOPT_ERRORBUFFER, curl_error);
  curl_easy_setopt (priv->curl, CURLOPT_WRITEFUNCTION, write_cb);
  curl_easy_setopt (priv->curl, CURLOPT_WRITEDATA, response);
  curl_easy_setopt (priv->curl, CURLOPT_HEADERFUNCTION, header_cb);
  curl_easy_setopt (priv->curl, CURLOPT_HEADERDATA, response);
  curl_easy_setopt (priv->curl, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt (priv->curl, CURLOPT_XFERINFOFUNCTION, progress_cb);
  curl_easy_setopt (priv->curl, CURLOPT_XFERINFODATA, cancellable);
  if (body != NULL)
    {
      curl_easy_setopt (priv->curl, CURLOPT_POSTFIELDS, body);
      curl_easy_setopt (priv->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) length);
    }

  /* A server that ignores "Expect: 100-continue" would cost a second each. */
  list = curl_slist_append (list, "Expect:");
  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    list = curl_slist_append (list, headers[i]);
  curl_easy_setopt (priv->curl, CURLOPT_HTTPHEADER, list);

  code = curl_easy_perform (priv->curl);
  curl_easy_setopt (priv->curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt (priv->curl, CURLOPT_ERRORBUFFER, NULL);
  curl_slist_free_all (list);

  response->curl_code = code;
  if (code != CURLE_OK)
    {
      response->curl_error = g_strdup (curl_error[0] ? curl_error : curl_easy_strerror (code));
      if (is_tls_error (code))
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_TLS,
                     _("The certificate of %s is not trusted (%s). If the server uses a "
                       "private certificate authority, set the connector option ca_file."),
                     url, response->curl_error);
      else
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK, _("Cannot reach %s: %s"), url,
                     response->curl_error);
      return FALSE;
    }
  curl_easy_getinfo (priv->curl, CURLINFO_RESPONSE_CODE, &response->status);
  return TRUE;
}

/**
 * _fl_connector_parse_body:
 *
 * Returns: (nullable): the body as JSON, %NULL when it is not JSON
 */
JsonNode *
_fl_connector_parse_body (FlHttpResponse *response)
{
  g_autoptr(JsonParser) parser = NULL;

  if (response->body == NULL || response->body->len == 0)
    return NULL;
  parser = json_parser_new_immutable ();
  if (!fl_json_parser_load (parser, (const char *) response->body->data,
                                   response->body->len, NULL) ||
      json_parser_get_root (parser) == NULL)
    return NULL;
  return json_node_ref (json_parser_get_root (parser));
}

static const char *
message_member (JsonNode *node)
{
  JsonObject *object;
  JsonNode *member;

  if (node == NULL)
    return NULL;
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) > 0)
    return message_member (json_array_get_element (json_node_get_array (node), 0));
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  for (guint i = 0; i < 3; i++)
    {
      static const char *keys[] = { "message", "error_description", "error" };

      member = json_object_get_member (object, keys[i]);
      if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING)
        return json_node_get_string (member);
      if (member != NULL && JSON_NODE_HOLDS_OBJECT (member))
        return message_member (member);
    }
  return NULL;
}

/**
 * _fl_connector_server_message:
 *
 * Returns: what the server said, one line, short: the "message" or "error"
 *   of a JSON body, else the start of the text
 */
char *
_fl_connector_server_message (FlHttpResponse *response)
{
  g_autoptr(JsonNode) node = _fl_connector_parse_body (response);
  const char *text = message_member (node);
  g_autofree char *raw = NULL;
  g_autofree char *valid = NULL;
  GString *line;

  if (text == NULL)
    {
      if (response->body == NULL || response->body->len == 0)
        return g_strdup (_("no details given"));
      raw = g_strndup ((const char *) response->body->data, MIN (response->body->len, 4 * MAX_MESSAGE));
      text = raw;
    }
  valid = g_utf8_make_valid (text, -1);
  line = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && g_utf8_strlen (line->str, -1) < MAX_MESSAGE;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        c = ' ';
      g_string_append_unichar (line, c);
    }
  g_strstrip (line->str);
  return g_string_free (line, FALSE);
}

/**
 * _fl_connector_check_response:
 *
 * Classifies an answer that is not a success and sets @batch's status.
 *
 * Returns: %TRUE for a 2xx answer, which the caller reads
 */
gboolean
_fl_connector_check_response (FlConnector *self, FlHttpResponse *response, FlSyncBatch *batch)
{
  g_autofree char *message = NULL;
  g_autofree char *said = NULL;
  long status = response->status;

  batch->http_status = response->curl_code == CURLE_OK ? status : 0;
  if (response->curl_code != CURLE_OK)
    {
      if (is_tls_error (response->curl_code))
        message = g_strdup_printf (_("The server’s certificate is not trusted (%s). If it uses a "
                                     "private certificate authority, set the connector option "
                                     "ca_file."),
                                   response->curl_error);
      else if (response->curl_code == CURLE_URL_MALFORMAT ||
               response->curl_code == CURLE_UNSUPPORTED_PROTOCOL)
        message = g_strdup_printf (_("The connector’s URL is not usable (%s)"), response->curl_error);
      else
        {
          message = g_strdup_printf (_("Network error: %s"), response->curl_error);
          fl_sync_batch_set (batch, FL_SEND_RETRY, message);
          return FALSE;
        }
      fl_sync_batch_set (batch, FL_SEND_STOP, message);
      return FALSE;
    }
  if (status >= 200 && status < 300)
    return TRUE;

  said = _fl_connector_server_message (response);
  batch->retry_after = response->retry_after;
  if (status == 408 || status == 429 || status >= 500)
    {
      message = g_strdup_printf (_("The server is busy or failing (HTTP %ld: %s)"), status, said);
      fl_sync_batch_set (batch, FL_SEND_RETRY, message);
    }
  else if (status == 401 || status == 403)
    {
      g_autofree char *env = fl_secret_env_name (fl_connector_get_name (self));
      message = g_strdup_printf (_("The server rejected the credential (HTTP %ld: %s). Store a "
                                   "valid token with “fairlead-cli connector secret %s” or set "
                                   "%s, then upload again."),
                                 status, said, fl_connector_get_name (self), env);
      fl_sync_batch_set (batch, FL_SEND_STOP, message);
    }
  else if (status >= 300 && status < 400)
    {
      message = g_strdup_printf (_("The server redirects the request (HTTP %ld); configure the "
                                   "connector with the final URL"),
                                 status);
      fl_sync_batch_set (batch, FL_SEND_STOP, message);
    }
  else
    {
      message = g_strdup_printf (_("The server refused the leads (HTTP %ld: %s)"), status, said);
      fl_sync_batch_set (batch, FL_SEND_REFUSED, message);
    }
  return FALSE;
}

/**
 * _fl_connector_get_secret:
 * @required: whether a missing secret is an error; when it is not, a
 *   computer without a keyring has only the environment's secret
 *
 * Returns: (nullable): the token or key, read once per connector; %NULL
 *   without @error when there is none and none is required
 */
char *
_fl_connector_get_secret (FlConnector *self, gboolean required, GError **error)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  if (!priv->secret_loaded)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *env_name = fl_secret_env_name (priv->name);
      const char *env = g_getenv (env_name);

      /* A keyring that is there but locked or silent is an error even
       * when the secret is optional: it may hold one. */
      if (!required && !fl_secret_have_keyring () && (env == NULL || env[0] == '\0'))
        return NULL;
      priv->secret = fl_secret_lookup (priv->name, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      priv->secret_loaded = TRUE;
    }
  if (priv->secret == NULL && required)
    {
      g_autofree char *env = fl_secret_env_name (priv->name);
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                   _("Connector “%s” has no token. Store one with “fairlead-cli connector "
                     "secret %s” or set %s."),
                   priv->name, priv->name, env);
      return NULL;
    }
  return g_strdup (priv->secret);
}

/**
 * _fl_connector_set_fresh_connect:
 *
 * Sends the next requests on a new connection. libcurl sends a request
 * again by itself when a reused connection closes before any answer; for a
 * request that is not idempotent (a POST that creates) that could create
 * twice, so such requests go on a connection of their own.
 */
void
_fl_connector_set_fresh_connect (FlConnector *self, gboolean fresh)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  priv->fresh_connect = fresh;
}

char *
_fl_connector_build_url (FlConnector *self, const char *default_base, const char *path)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);
  const char *base = priv->url ? priv->url : default_base;
  gsize length = strlen (base);

  while (length > 0 && base[length - 1] == '/')
    length--;
  return g_strdup_printf ("%.*s%s", (int) length, base, path);
}

/**
 * _fl_connector_map_status:
 *
 * Returns: (nullable): the option `<prefix>_mql`, `_sal` or `_disqualified`,
 *   else the default; an empty option means "do not set"
 */
const char *
_fl_connector_map_status (FlConnector *self, FlStatus status, const char *prefix,
                          const char *mql_default, const char *sal_default,
                          const char *disqualified_default)
{
  static const char *suffixes[] = { "mql", "sal", "disqualified" };
  const char *defaults[] = { mql_default, sal_default, disqualified_default };
  g_autofree char *key = g_strdup_printf ("%s_%s", prefix, suffixes[status]);
  const char *value = fl_connector_get_option (self, key, defaults[status]);

  return value != NULL && value[0] != '\0' ? value : NULL;
}

/* Object */

static gboolean
fl_connector_real_validate (FlConnector *self, GError **error)
{
  return TRUE;
}

static gboolean
fl_connector_real_test (FlConnector *self, GString *report, GCancellable *cancellable,
                        GError **error)
{
  return TRUE;
}

static guint
fl_connector_real_get_max_batch (FlConnector *self)
{
  return 100;
}

static void
fl_connector_finalize (GObject *object)
{
  FlConnector *self = FL_CONNECTOR (object);
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_clear_pointer (&priv->curl, curl_easy_cleanup);
  g_free (priv->name);
  g_free (priv->type);
  g_free (priv->url);
  g_clear_pointer (&priv->options, json_object_unref);
  if (priv->secret != NULL)
    {
      memset (priv->secret, 0, strlen (priv->secret));
      g_free (priv->secret);
    }

  G_OBJECT_CLASS (fl_connector_parent_class)->finalize (object);
}

static void
fl_connector_class_init (FlConnectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_connector_finalize;
  klass->validate = fl_connector_real_validate;
  klass->test = fl_connector_real_test;
  klass->get_max_batch = fl_connector_real_get_max_batch;

  curl_global_init (CURL_GLOBAL_DEFAULT);
}

static void
fl_connector_init (FlConnector *self)
{
}

/* Public API */

/**
 * fl_connector_get_types:
 * @n_types: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_types): every connector type,
 *   in the order people are offered them
 */
const FlConnectorType *
fl_connector_get_types (guint *n_types)
{
  g_return_val_if_fail (n_types != NULL, NULL);

  *n_types = G_N_ELEMENTS (types);
  return types;
}

/**
 * fl_connector_lookup_type:
 * @id: a type id such as "zoho"
 *
 * Returns: (transfer none) (nullable): the type, or %NULL when there is
 *   no such type
 */
const FlConnectorType *
fl_connector_lookup_type (const char *id)
{
  for (guint i = 0; id != NULL && i < G_N_ELEMENTS (types); i++)
    if (g_str_equal (types[i].id, id))
      return &types[i];
  return NULL;
}

/**
 * fl_connector_join_type_ids:
 * @separator: what goes between two ids, e.g. "|"
 *
 * Returns: (transfer full): the type ids, for help and usage messages
 */
char *
fl_connector_join_type_ids (const char *separator)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    g_strv_builder_add (builder, types[i].id);
  ids = g_strv_builder_end (builder);
  return g_strjoinv (separator, ids);
}

static gboolean
looks_like_secret (const char *name)
{
  static const char *const words[] = {
    "token", "secret", "password", "passwd", "apikey", "api_key", "api-key", "credential",
    "signing_key", "private", "bearer", "auth",
  };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  /* How to sign in (auth=jwt), not a credential. */
  if (g_str_equal (lower, "auth"))
    return FALSE;
  if (g_str_equal (lower, "key") || g_str_equal (lower, "sig") || g_str_equal (lower, "pass"))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    if (strstr (lower, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

/* Options and URLs are stored in the database; a token written there would
 * leave the keyring's protection. Refuse what looks like one. */
static gboolean
check_no_secret (FlConnector *self, GError **error)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);
  g_autofree char *env_name = fl_secret_env_name (priv->name);
  g_autoptr(GList) members = json_object_get_members (priv->options);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  gboolean secret_in_url = FALSE;

  for (GList *l = members; l != NULL; l = l->next)
    if (looks_like_secret (l->data))
      {
        g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                     _("The option “%s” of connector “%s” looks like a secret, and options are "
                       "stored in the database. Keep the secret in the keyring (--secret-stdin) "
                       "or in the environment variable %s."),
                     (const char *) l->data, priv->name, env_name);
        return FALSE;
      }

  if (priv->url == NULL || g_str_equal (priv->type, "csv"))
    return TRUE;
  uri = g_uri_parse (priv->url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL)
    return TRUE;  /* the URL check that follows explains what is wrong */
  if (g_uri_get_userinfo (uri) != NULL)
    secret_in_url = TRUE;
  if (g_uri_get_query (uri) != NULL &&
      (params = g_uri_parse_params (g_uri_get_query (uri), -1, "&;", G_URI_PARAMS_NONE, NULL)) != NULL)
    {
      GHashTableIter iter;
      gpointer name;

      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &name, NULL))
        if (looks_like_secret (name))
          secret_in_url = TRUE;
    }
  if (secret_in_url)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The URL of connector “%s” carries a user name, password or token, which "
                     "would be stored in the database. Give the URL without it and keep the "
                     "secret in the keyring (--secret-stdin) or in the environment variable %s."),
                   priv->name, env_name);
      return FALSE;
    }
  return TRUE;
}

/* Whether @host is this computer: localhost, 127.0.0.0/8 or ::1. A host
 * name that merely resolves there does not count: DNS can change. */
static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * fl_connector_check_url_transport:
 * @url: (nullable): a connector's URL, or a URL about to be requested
 *
 * The one rule that keeps tokens, signing keys and leads off the network
 * in clear: https://, or plain http:// only to this computer (localhost,
 * 127.0.0.0/8, ::1), where no network carries the request. Adding and
 * changing a connector, every upload batch and every request pass here.
 *
 * Returns: %FALSE with %FL_SYNC_ERROR_INSECURE when @url is plain http://
 *   to another computer
 */
/* The host curl itself will connect to, without IPv6 brackets. */
static char *
curl_host (const char *url)
{
  CURLU *handle = curl_url ();
  char *host = NULL;
  char *copy = NULL;

  if (handle != NULL && curl_url_set (handle, CURLUPART_URL, url, 0) == CURLUE_OK &&
      curl_url_get (handle, CURLUPART_HOST, &host, 0) == CURLUE_OK)
    {
      gsize length = strlen (host);

      if (length >= 2 && host[0] == '[' && host[length - 1] == ']')
        copy = g_strndup (host + 1, length - 2);
      else
        copy = g_strdup (host);
      curl_free (host);
    }
  curl_url_cleanup (handle);
  return copy;
}

gboolean
fl_connector_check_url_transport (const char *url, GError **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *host = NULL;

  if (url == NULL || g_ascii_strncasecmp (url, "http://", strlen ("http://")) != 0)
    return TRUE;
  /* GLib's parser and curl's must both see this computer, so that no odd
   * URL reads as loopback here and as another host to curl. */
  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  host = curl_host (url);
  if (uri != NULL && is_loopback_host (g_uri_get_host (uri)) && is_loopback_host (host))
    return TRUE;
  g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_INSECURE,
               _("%s is not encrypted: use https://, plain http is only allowed for this "
                 "computer (127.0.0.1)"),
               url);
  return FALSE;
}

/**
 * fl_connector_check_transport:
 *
 * fl_connector_check_url_transport() for the connector's URL; a csv
 * connector writes files and sends nothing.
 */
gboolean
fl_connector_check_transport (FlConnector *self, GError **error)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_return_val_if_fail (FL_IS_CONNECTOR (self), FALSE);

  if (g_str_equal (priv->type, "csv"))
    return TRUE;
  return fl_connector_check_url_transport (priv->url, error);
}

static FlConnector *
connector_new (const char *name, const char *type, const char *url, JsonObject *options,
               gboolean stored, GError **error)
{
  g_autoptr(FlConnector) self = NULL;
  FlConnectorPrivate *priv;
  GType gtype;

  g_return_val_if_fail (name != NULL && type != NULL, NULL);

  if (g_str_equal (type, "webhook"))
    gtype = FL_TYPE_WEBHOOK_CONNECTOR;
  else if (g_str_equal (type, "hubspot"))
    gtype = FL_TYPE_HUBSPOT_CONNECTOR;
  else if (g_str_equal (type, "salesforce"))
    gtype = FL_TYPE_SALESFORCE_CONNECTOR;
  else if (g_str_equal (type, "dynamics"))
    gtype = FL_TYPE_DYNAMICS_CONNECTOR;
  else if (g_str_equal (type, "zoho"))
    gtype = FL_TYPE_ZOHO_CONNECTOR;
  else if (g_str_equal (type, "pipedrive"))
    gtype = FL_TYPE_PIPEDRIVE_CONNECTOR;
  else if (g_str_equal (type, "csv"))
    gtype = FL_TYPE_CSV_CONNECTOR;
  else
    {
      g_autofree char *known = fl_connector_join_type_ids (", ");

      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Unknown connector type “%s” (expected one of: %s)"), type, known);
      return NULL;
    }

  self = g_object_new (gtype, NULL);
  priv = fl_connector_get_instance_private (self);
  priv->name = g_strdup (name);
  priv->type = g_strdup (type);
  priv->url = url != NULL && url[0] != '\0' ? g_strdup (url) : NULL;
  priv->options = options ? json_object_ref (options) : json_object_new ();

  if (priv->url != NULL && !g_str_equal (type, "csv") &&
      !g_str_has_prefix (priv->url, "https://") && !g_str_has_prefix (priv->url, "http://"))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The URL of connector “%s” must start with https:// (or http:// for a "
                     "local test server), not “%s”"),
                   name, priv->url);
      return NULL;
    }
  /* A stored connector still loads, so that it can be listed, edited and
   * removed; its uploads stop at the same check before each batch. */
  if (!stored && !fl_connector_check_transport (self, error))
    return NULL;
  if (!check_no_secret (self, error))
    return NULL;
  if (fl_connector_get_option_int (self, "timeout", 30) <= 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The option timeout of connector “%s” must be a number of seconds"), name);
      return NULL;
    }
  if (fl_connector_get_option (self, "ca_file", NULL) != NULL &&
      !g_file_test (fl_connector_get_option (self, "ca_file", NULL), G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The CA file “%s” of connector “%s” does not exist"),
                   fl_connector_get_option (self, "ca_file", NULL), name);
      return NULL;
    }
  if (!FL_CONNECTOR_GET_CLASS (self)->validate (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/**
 * fl_connector_new:
 * @url: (nullable): the base URL, or the folder for csv
 * @options: (nullable): the connector's options
 *
 * Returns: (transfer full): a connector, or %NULL when @type is unknown,
 *   the options are not valid for it, or @url would send in clear
 */
FlConnector *
fl_connector_new (const char *name, const char *type, const char *url, JsonObject *options,
                  GError **error)
{
  return connector_new (name, type, url, options, FALSE, error);
}

/* A connector as the database holds it, which an older version or a hand
 * may have written with a plain http:// URL. */
FlConnector *
_fl_connector_load (const char *name, const char *type, const char *url, JsonObject *options,
                    GError **error)
{
  return connector_new (name, type, url, options, TRUE, error);
}

const char *
fl_connector_get_name (FlConnector *self)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_return_val_if_fail (FL_IS_CONNECTOR (self), NULL);
  return priv->name;
}

const char *
fl_connector_get_type_name (FlConnector *self)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_return_val_if_fail (FL_IS_CONNECTOR (self), NULL);
  return priv->type;
}

const char *
fl_connector_get_url (FlConnector *self)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_return_val_if_fail (FL_IS_CONNECTOR (self), NULL);
  return priv->url;
}

JsonObject *
fl_connector_get_options (FlConnector *self)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);

  g_return_val_if_fail (FL_IS_CONNECTOR (self), NULL);
  return priv->options;
}

/**
 * fl_connector_get_option:
 *
 * Returns: (nullable): the option as text, or @fallback when it is not set
 */
const char *
fl_connector_get_option (FlConnector *self, const char *key, const char *fallback)
{
  FlConnectorPrivate *priv = fl_connector_get_instance_private (self);
  JsonNode *node;

  g_return_val_if_fail (FL_IS_CONNECTOR (self), NULL);

  node = json_object_get_member (priv->options, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return fallback;
  return json_node_get_string (node);
}

/**
 * fl_connector_get_option_int:
 *
 * Returns: the option as a number, @fallback when it is not set, or -1
 *   when it is not a number
 */
gint64
fl_connector_get_option_int (FlConnector *self, const char *key, gint64 fallback)
{
  const char *text = fl_connector_get_option (self, key, NULL);
  gint64 value;

  if (text == NULL)
    return fallback;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, &value, NULL))
    return -1;
  return value;
}

/**
 * fl_connector_get_event:
 *
 * Returns: (nullable): the uuid of the one event this connector uploads,
 *   %NULL for every event
 */
const char *
fl_connector_get_event (FlConnector *self)
{
  return fl_connector_get_option (self, "event", NULL);
}

/**
 * fl_connector_get_max_batch:
 *
 * Returns: how many leads go in one request: the type's limit, or less
 *   with the option batch_size
 */
guint
fl_connector_get_max_batch (FlConnector *self)
{
  guint limit;
  gint64 wanted;

  g_return_val_if_fail (FL_IS_CONNECTOR (self), 1);

  limit = FL_CONNECTOR_GET_CLASS (self)->get_max_batch (self);
  wanted = fl_connector_get_option_int (self, "batch_size", limit);
  if (wanted <= 0)
    return limit;
  return MIN ((guint) wanted, limit);
}

void
fl_connector_send (FlConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  g_return_if_fail (FL_IS_CONNECTOR (self));
  g_return_if_fail (batch != NULL && batch->items->len > 0);

  batch->status = FL_SEND_OK;
  batch->retry_after = -1;
  batch->http_status = 0;
  g_clear_pointer (&batch->message, g_free);
  FL_CONNECTOR_GET_CLASS (self)->send (self, batch, cancellable);
}

/**
 * fl_connector_test:
 * @report: lines saying what was checked
 *
 * Checks that the server is reachable and takes the credential, without
 * sending a lead.
 */
gboolean
fl_connector_test (FlConnector *self, GString *report, GCancellable *cancellable, GError **error)
{
  g_return_val_if_fail (FL_IS_CONNECTOR (self), FALSE);

  if (!fl_connector_check_transport (self, error))
    return FALSE;
  return FL_CONNECTOR_GET_CLASS (self)->test (self, report, cancellable, error);
}

/**
 * _fl_connector_bearer_header:
 *
 * The "Authorization: Bearer …" header with the connector's secret; the
 * copy of the secret is wiped once the header is built.
 */
gboolean
_fl_connector_bearer_header (FlConnector *self, char **header, GError **error)
{
  g_autofree char *token = _fl_connector_get_secret (self, TRUE, error);

  if (token == NULL)
    return FALSE;
  *header = g_strdup_printf ("Authorization: Bearer %s", token);
  memset (token, 0, strlen (token));
  return TRUE;
}

/**
 * _fl_connector_probe:
 * @body: (out) (transfer full) (nullable): the answer's JSON, %NULL when it
 *   has none
 *
 * For `connector test`: a GET of @url with the bearer token. A refused
 * credential or any other failure is an error saying so; success adds a
 * line to @report.
 */
gboolean
_fl_connector_probe (FlConnector *self, const char *url, GString *report, JsonNode **body,
                     GCancellable *cancellable, GError **error)
{
  g_autofree char *authorization = NULL;
  FlHttpResponse response = { 0 };
  const char *headers[2] = { NULL, NULL };

  *body = NULL;
  if (!_fl_connector_bearer_header (self, &authorization, error))
    return FALSE;
  headers[0] = authorization;
  if (!_fl_connector_http (self, "GET", url, headers, NULL, 0, &response, cancellable, error))
    return FALSE;
  return _fl_connector_probe_answer (self, url, &response, report, body, error);
}

/**
 * _fl_connector_probe_answer:
 * @response: the answer to a GET of @url; cleared
 * @body: (out) (transfer full) (nullable): the answer's JSON, %NULL when it
 *   has none
 *
 * For `connector test`, whatever sent the GET (a bearer token, OAuth): a
 * refused credential or any other failure is an error saying so; success
 * adds a line to @report.
 */
gboolean
_fl_connector_probe_answer (FlConnector *self, const char *url, FlHttpResponse *response,
                            GString *report, JsonNode **body, GError **error)
{
  g_autoptr(FlSyncBatch) batch = fl_sync_batch_new (NULL, NULL);

  *body = NULL;
  if (!_fl_connector_check_response (self, response, batch))
    {
      g_set_error (error, FL_SYNC_ERROR,
                   batch->status == FL_SEND_STOP ? FL_SYNC_ERROR_AUTH : FL_SYNC_ERROR_HTTP, "%s",
                   batch->message);
      _fl_http_response_clear (response);
      return FALSE;
    }
  g_string_append_printf (report, _("%s is reachable and accepts the token\n"), url);
  *body = _fl_connector_parse_body (response);
  _fl_http_response_clear (response);
  return TRUE;
}
