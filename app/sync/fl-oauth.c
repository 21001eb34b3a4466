/* fl-oauth.c: OAuth 2.0 access tokens for the CRM connectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two grants (RFC 6749): client credentials (§4.4), as Microsoft Entra ID
 * issues them to a Dataverse application user, and a refresh token (§6), as
 * Zoho issues them to a self client. The client credential is a secret, or
 * a certificate: then the secret holds its private key and certificate
 * (PEM), and the request carries a signed assertion (RFC 7523 §2.2) instead. The access token lives in memory only,
 * for as long as the connector object; the connector's secret (keyring or
 * environment) holds what gets a new one. A request answered 401 gets one
 * new token and is sent once more.
 */
#define G_LOG_DOMAIN "fl-oauth"

#include "config.h"

#include <curl/curl.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector.h"
#include "fl-jwt.h"
#include "fl-oauth.h"
#include "fl-secret.h"
#include "fl-sync.h"

/* A token this close to its end is not used any more. */
#define EXPIRY_MARGIN_USEC (60 * G_USEC_PER_SEC)

struct _FlOAuth
{
  FlOAuthGrant  grant;
  char         *token_url;
  char         *client_id;
  char         *scope;
  char         *scheme;
  gboolean      basic;          /* client id and secret in "Authorization: Basic" */
  char         *access_token;
  gint64        expires_at;     /* monotonic µs, 0 for unknown */
  JsonObject   *answer;         /* the token endpoint's last answer */
};

FlOAuth *
_fl_oauth_new (FlOAuthGrant grant, const char *token_url, const char *client_id,
               const char *scope, const char *scheme)
{
  FlOAuth *oauth = g_new0 (FlOAuth, 1);

  oauth->grant = grant;
  oauth->token_url = g_strdup (token_url);
  oauth->client_id = g_strdup (client_id);
  oauth->scope = g_strdup (scope);
  oauth->scheme = g_strdup (scheme ? scheme : "Bearer");
  return oauth;
}

/**
 * _fl_oauth_set_basic:
 *
 * Sends the client id and secret to the token endpoint as HTTP Basic
 * authentication (RFC 6749 §2.3.1), as Pipedrive wants, instead of in the
 * form.
 */
void
_fl_oauth_set_basic (FlOAuth *oauth, gboolean basic)
{
  oauth->basic = basic;
}

static void
forget_token (FlOAuth *oauth)
{
  if (oauth->access_token != NULL)
    memset (oauth->access_token, 0, strlen (oauth->access_token));
  g_clear_pointer (&oauth->access_token, g_free);
  oauth->expires_at = 0;
}

void
_fl_oauth_free (FlOAuth *oauth)
{
  if (oauth == NULL)
    return;
  forget_token (oauth);
  g_free (oauth->token_url);
  g_free (oauth->client_id);
  g_free (oauth->scope);
  g_free (oauth->scheme);
  g_clear_pointer (&oauth->answer, json_object_unref);
  g_free (oauth);
}

/**
 * _fl_oauth_check_url:
 *
 * Returns: whether @url may carry a credential: https, or plain http to
 *   this machine only (a test server)
 */
gboolean
_fl_oauth_check_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;

  if (url == NULL)
    return FALSE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_userinfo (uri) != NULL)
    return FALSE;
  if (g_strcmp0 (g_uri_get_scheme (uri), "https") == 0)
    return TRUE;
  /* Plain http: the one rule every connector follows decides. */
  return g_strcmp0 (g_uri_get_scheme (uri), "http") == 0 &&
         fl_connector_check_url_transport (url, NULL);
}

/**
 * _fl_oauth_form_append:
 * @form: an application/x-www-form-urlencoded body being built
 *
 * Adds name=value, the value escaped, to the form of a token request.
 * The value's escaped copy is wiped: it may be a secret.
 */
void
_fl_oauth_form_append (GString *form, const char *name, const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", name, escaped);
  memset (escaped, 0, strlen (escaped));
}

/**
 * _fl_oauth_form_free:
 *
 * Wipes and frees a form built with _fl_oauth_form_append().
 */
void
_fl_oauth_form_free (GString *string)
{
  memset (string->str, 0, string->len);
  g_string_free (string, TRUE);
}

/* A JWT signed with the certificate's key (RS256), naming the certificate
 * by its SHA-1 thumbprint (x5t), for the token endpoint (aud), valid for
 * ten minutes. */
static char *
make_assertion (FlOAuth *oauth, FlConnector *connector, const char *pem, GError **error)
{
  g_autoptr(JsonBuilder) claims = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *thumbprint = NULL;
  g_autofree char *claims_text = NULL;
  g_autofree char *jti = g_uuid_string_random ();
  char *assertion;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  thumbprint = _fl_jwt_thumbprint (pem, NULL);
  if (thumbprint == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                   _("The secret of connector “%s” starts like a certificate, but holds none that "
                     "can be read. Store the private key and the certificate, both PEM, one "
                     "after the other."),
                   fl_connector_get_name (connector));
      return NULL;
    }

  json_builder_begin_object (claims);
  json_builder_set_member_name (claims, "aud");
  json_builder_add_string_value (claims, oauth->token_url);
  json_builder_set_member_name (claims, "iss");
  json_builder_add_string_value (claims, oauth->client_id);
  json_builder_set_member_name (claims, "sub");
  json_builder_add_string_value (claims, oauth->client_id);
  json_builder_set_member_name (claims, "jti");
  json_builder_add_string_value (claims, jti);
  json_builder_set_member_name (claims, "nbf");
  json_builder_add_int_value (claims, now);
  json_builder_set_member_name (claims, "iat");
  json_builder_add_int_value (claims, now);
  json_builder_set_member_name (claims, "exp");
  json_builder_add_int_value (claims, now + 600);
  json_builder_end_object (claims);
  root = json_builder_get_root (claims);
  claims_text = json_to_string (root, FALSE);

  assertion = _fl_jwt_sign_rs256 (pem, thumbprint, claims_text, &local_error);
  if (assertion == NULL && g_error_matches (local_error, FL_JWT_ERROR, FL_JWT_ERROR_KEY))
    g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                 _("The secret of connector “%s” holds a certificate but no private key that "
                   "can be read (unencrypted PEM). Store the private key and the certificate, "
                   "one after the other."),
                 fl_connector_get_name (connector));
  else if (assertion == NULL)
    g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                 _("The key in the secret of connector “%s” cannot sign (an RSA key is "
                   "needed)"),
                 fl_connector_get_name (connector));
  return assertion;
}

/* The form of the token request, from the connector's secret; with
 * Basic client authentication, its header goes to @basic. */
static GString *
build_form (FlOAuth *oauth, FlConnector *connector, char **basic, GError **error)
{
  g_autofree char *secret = _fl_connector_get_secret (connector, TRUE, error);
  GString *form;

  if (secret == NULL)
    return NULL;
  form = g_string_new (NULL);
  if (oauth->grant == FL_OAUTH_CLIENT_CREDENTIALS)
    {
      _fl_oauth_form_append (form, "grant_type", "client_credentials");
      _fl_oauth_form_append (form, "client_id", oauth->client_id);
      if (g_str_has_prefix (g_strchug (secret), "-----BEGIN"))
        {
          g_autofree char *assertion = make_assertion (oauth, connector, secret, error);

          if (assertion == NULL)
            {
              memset (secret, 0, strlen (secret));
              g_string_free (form, TRUE);
              return NULL;
            }
          _fl_oauth_form_append (form, "client_assertion_type",
                        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
          _fl_oauth_form_append (form, "client_assertion", assertion);
        }
      else
        _fl_oauth_form_append (form, "client_secret", secret);
      if (oauth->scope != NULL)
        _fl_oauth_form_append (form, "scope", oauth->scope);
    }
  else
    {
      char *colon = strchr (secret, ':');

      if (colon == NULL || colon == secret || colon[1] == '\0')
        {
          g_autofree char *env = fl_secret_env_name (fl_connector_get_name (connector));
          memset (secret, 0, strlen (secret));
          g_string_free (form, TRUE);
          g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                       _("The secret of connector “%s” must be the client secret and the "
                         "refresh token, joined by a colon (CLIENT_SECRET:REFRESH_TOKEN). Store "
                         "it with “fairlead-cli connector secret %s” or set %s."),
                       fl_connector_get_name (connector), fl_connector_get_name (connector), env);
          return NULL;
        }
      *colon = '\0';
      _fl_oauth_form_append (form, "grant_type", "refresh_token");
      if (oauth->basic)
        {
          g_autofree char *pair = g_strdup_printf ("%s:%s", oauth->client_id, secret);
          g_autofree char *encoded = g_base64_encode ((const guchar *) pair, strlen (pair));

          *basic = g_strdup_printf ("Authorization: Basic %s", encoded);
          memset (pair, 0, strlen (pair));
          memset (encoded, 0, strlen (encoded));
        }
      else
        {
          _fl_oauth_form_append (form, "client_id", oauth->client_id);
          _fl_oauth_form_append (form, "client_secret", secret);
        }
      _fl_oauth_form_append (form, "refresh_token", colon + 1);
      *colon = ':';
    }
  memset (secret, 0, strlen (secret));
  return form;
}

/**
 * _fl_oauth_get_token:
 *
 * Makes sure an access token is at hand: the one in memory while it is
 * valid, else a new one from the token endpoint.
 *
 * Returns: %FALSE with @error: %FL_SYNC_ERROR_AUTH when the endpoint refused
 *   the credential, %FL_SYNC_ERROR_NETWORK when it could not answer now
 */
gboolean
_fl_oauth_get_token (FlOAuth *oauth, FlConnector *connector, GCancellable *cancellable,
                     GError **error)
{
  const char *headers[] = { "Content-Type: application/x-www-form-urlencoded",
                            "Accept: application/json", NULL, NULL };
  g_autofree char *basic = NULL;
  FlHttpResponse response = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *said = NULL;
  JsonObject *object = NULL;
  const char *token;
  GString *form;
  gint64 expires_in;

  if (oauth->access_token != NULL &&
      (oauth->expires_at == 0 || g_get_monotonic_time () < oauth->expires_at - EXPIRY_MARGIN_USEC))
    return TRUE;
  forget_token (oauth);

  if ((form = build_form (oauth, connector, &basic, error)) == NULL)
    return FALSE;
  headers[2] = basic;
  g_debug ("Asking %s for an access token", oauth->token_url);
  if (!_fl_connector_http (connector, "POST", oauth->token_url, headers, form->str, form->len,
                           &response, cancellable, error))
    {
      if (basic != NULL)
        memset (basic, 0, strlen (basic));
      _fl_oauth_form_free (form);
      _fl_http_response_clear (&response);
      return FALSE;
    }
  if (basic != NULL)
    memset (basic, 0, strlen (basic));
  _fl_oauth_form_free (form);

  root = _fl_connector_parse_body (&response);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    object = json_node_get_object (root);
  token = object ? json_object_get_string_member_with_default (object, "access_token", NULL) : NULL;
  said = _fl_connector_server_message (&response);

  if (response.status == 429 || response.status >= 500)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK,
                   _("The login server %s is busy or failing (HTTP %ld: %s)"), oauth->token_url,
                   response.status, said);
      _fl_http_response_clear (&response);
      return FALSE;
    }
  /* Some servers (Zoho) say "error" with a 200. */
  if (response.status < 200 || response.status >= 300 || token == NULL || token[0] == '\0')
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_AUTH,
                   _("The login server refused the credentials of connector “%s” (HTTP %ld: %s). "
                     "Check the client id and store a valid secret with “fairlead-cli connector "
                     "secret %s”."),
                   fl_connector_get_name (connector), response.status, said,
                   fl_connector_get_name (connector));
      _fl_http_response_clear (&response);
      return FALSE;
    }

  oauth->access_token = g_strdup (token);
  expires_in = json_object_has_member (object, "expires_in")
                 ? json_node_get_int (json_object_get_member (object, "expires_in"))
                 : 0;
  oauth->expires_at = expires_in > 0 ? g_get_monotonic_time () + expires_in * G_USEC_PER_SEC : 0;
  /* What else the answer said, as text, without the tokens. */
  g_clear_pointer (&oauth->answer, json_object_unref);
  oauth->answer = json_object_new ();
  {
    JsonObjectIter iter;
    const char *name;
    JsonNode *value;

    json_object_iter_init (&iter, object);
    while (json_object_iter_next (&iter, &name, &value))
      if (!g_str_has_suffix (name, "_token") && JSON_NODE_HOLDS_VALUE (value) &&
          json_node_get_value_type (value) == G_TYPE_STRING)
        json_object_set_string_member (oauth->answer, name, json_node_get_string (value));
  }
  _fl_http_response_clear (&response);
  return TRUE;
}

/**
 * _fl_oauth_get_extra:
 *
 * Returns: (nullable): a text member of the token endpoint's answer (such
 *   as Zoho's api_domain), never the token itself
 */
const char *
_fl_oauth_get_extra (FlOAuth *oauth, const char *member)
{
  if (oauth->answer == NULL)
    return NULL;
  return json_object_get_string_member_with_default (oauth->answer, member, NULL);
}

static gboolean
send_once (FlOAuth *oauth, FlConnector *connector, const char *method, const char *url,
           const char *const *headers, const char *body, gsize length, FlHttpResponse *response,
           GCancellable *cancellable, GError **error)
{
  g_autoptr(GPtrArray) all = g_ptr_array_new ();
  g_autofree char *authorization = NULL;
  gboolean ok;

  for (guint i = 0; headers != NULL && headers[i] != NULL; i++)
    g_ptr_array_add (all, (gpointer) headers[i]);
  authorization = g_strdup_printf ("Authorization: %s %s", oauth->scheme, oauth->access_token);
  g_ptr_array_add (all, authorization);
  g_ptr_array_add (all, NULL);
  ok = _fl_connector_http (connector, method, url, (const char *const *) all->pdata, body, length,
                           response, cancellable, error);
  memset (authorization, 0, strlen (authorization));
  return ok;
}

/**
 * _fl_oauth_request:
 *
 * A request with the access token; on a 401 the token is renewed once and
 * the request sent again.
 *
 * Returns: %TRUE when an answer came (of any status, which the caller
 *   checks); %FALSE with @error when no token or no answer came
 */
gboolean
_fl_oauth_request (FlOAuth *oauth, FlConnector *connector, const char *method, const char *url,
                   const char *const *headers, const char *body, gsize length,
                   FlHttpResponse *response, GCancellable *cancellable, GError **error)
{
  if (!_fl_oauth_get_token (oauth, connector, cancellable, error))
    return FALSE;
  if (!send_once (oauth, connector, method, url, headers, body, length, response, cancellable,
                  error))
    return FALSE;
  if (response->status != 401)
    return TRUE;

  g_debug ("%s answered 401: renewing the access token once", url);
  forget_token (oauth);
  if (!_fl_oauth_get_token (oauth, connector, cancellable, error))
    return FALSE;
  return send_once (oauth, connector, method, url, headers, body, length, response, cancellable,
                    error);
}

/**
 * _fl_oauth_probe:
 * @body: (out) (transfer full) (nullable): the answer's JSON, %NULL when it
 *   has none
 *
 * For `connector test`: gets an access token, then GETs @url with it, as
 * _fl_connector_probe() does with a bearer token; each step that works
 * adds a line to @report.
 */
gboolean
_fl_oauth_probe (FlOAuth *oauth, FlConnector *connector, const char *url, GString *report,
                 JsonNode **body, GCancellable *cancellable, GError **error)
{
  FlHttpResponse response = { 0 };

  *body = NULL;
  if (!_fl_oauth_get_token (oauth, connector, cancellable, error))
    return FALSE;
  g_string_append_printf (report, _("The login server gave an access token\n"));
  if (!_fl_oauth_request (oauth, connector, "GET", url, NULL, NULL, 0, &response, cancellable,
                          error))
    return FALSE;
  return _fl_connector_probe_answer (connector, url, &response, report, body, error);
}

/**
 * _fl_oauth_fail_batch:
 *
 * Sets @batch's status from the error of _fl_oauth_request(): try again
 * later when the servers could not answer, stop when the credential or the
 * configuration is wrong.
 */
void
_fl_oauth_fail_batch (FlSyncBatch *batch, const GError *error)
{
  gboolean transient = g_error_matches (error, FL_SYNC_ERROR, FL_SYNC_ERROR_NETWORK) ||
                       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  fl_sync_batch_set (batch, transient ? FL_SEND_RETRY : FL_SEND_STOP, error->message);
}
