/* fl-jwt.c: JSON Web Tokens signed with RS256, for OAuth bearer flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every JWT the connectors send is made here: Salesforce's JWT bearer
 * flow (RFC 7523 §2.1) and the client assertion of a certificate
 * credential (RFC 7523 §2.2, Microsoft Entra ID), which names the
 * certificate by its SHA-1 thumbprint (x5t, RFC 7515 §4.1.7). libcurl
 * already brings OpenSSL into the process; its libcrypto reads the PEM
 * text and signs.
 */
#define G_LOG_DOMAIN "fl-jwt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "fl-jwt.h"

G_DEFINE_QUARK (fl-jwt-error-quark, fl_jwt_error)

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)

/**
 * _fl_base64url_encode:
 *
 * Returns: (transfer full): @data in the URL-safe alphabet, without padding
 *   (RFC 7515, section 2)
 */
char *
_fl_base64url_encode (const guint8 *data, gsize length)
{
  char *text = g_base64_encode (data, length);
  gsize end = strlen (text);

  while (end > 0 && text[end - 1] == '=')
    end--;
  text[end] = '\0';
  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return text;
}

/**
 * _fl_jwt_thumbprint:
 * @certificate_pem: PEM text holding an X.509 certificate (other blocks,
 *   such as the private key, may come before or after it)
 *
 * Returns: (transfer full) (nullable): the base64url SHA-1 digest of the
 *   certificate's DER form, as the header member "x5t" wants it, or %NULL
 *   with @error (%FL_JWT_ERROR_CERTIFICATE) when no certificate can be read
 */
char *
_fl_jwt_thumbprint (const char *certificate_pem, GError **error)
{
  g_autoptr(BIO) bio = BIO_new_mem_buf (certificate_pem, -1);
  g_autoptr(X509) certificate = NULL;
  guint8 digest[EVP_MAX_MD_SIZE];
  unsigned int digest_length = 0;

  if (bio != NULL)
    certificate = PEM_read_bio_X509 (bio, NULL, NULL, NULL);
  if (certificate == NULL ||
      X509_digest (certificate, EVP_sha1 (), digest, &digest_length) != 1)
    {
      g_set_error (error, FL_JWT_ERROR, FL_JWT_ERROR_CERTIFICATE, "%s",
                   _("The connector’s secret holds no certificate that can be read. Store the "
                     "private key and the certificate, both PEM, one after the other."));
      return NULL;
    }
  return _fl_base64url_encode (digest, digest_length);
}

static char *
encode_header (const char *x5t)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "alg");
  json_builder_add_string_value (builder, "RS256");
  json_builder_set_member_name (builder, "typ");
  json_builder_add_string_value (builder, "JWT");
  if (x5t != NULL)
    {
      json_builder_set_member_name (builder, "x5t");
      json_builder_add_string_value (builder, x5t);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  return _fl_base64url_encode ((const guint8 *) text, strlen (text));
}

/**
 * _fl_jwt_sign_rs256:
 * @private_key_pem: PEM text holding an RSA private key (PKCS#1 or PKCS#8,
 *   unencrypted); other blocks, such as a certificate, may come with it
 * @x5t: (nullable): the certificate's thumbprint for the header, from
 *   _fl_jwt_thumbprint()
 * @claims_json: the claims set as JSON
 *
 * Returns: (transfer full) (nullable): header.claims.signature, or %NULL
 *   with @error (%FL_JWT_ERROR) when the key is not a usable RSA key
 */
char *
_fl_jwt_sign_rs256 (const char *private_key_pem, const char *x5t, const char *claims_json,
                    GError **error)
{
  g_autoptr(BIO) bio = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(EVP_MD_CTX) context = NULL;
  g_autofree char *header_part = NULL;
  g_autofree char *claims_part = NULL;
  g_autofree char *input = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree char *signature_part = NULL;
  size_t signature_length = 0;

  g_return_val_if_fail (private_key_pem != NULL && claims_json != NULL, NULL);

  bio = BIO_new_mem_buf (private_key_pem, -1);
  /* An empty passphrase: an encrypted key fails instead of prompting. */
  if (bio != NULL)
    key = PEM_read_bio_PrivateKey (bio, NULL, NULL, (void *) "");
  if (key == NULL || EVP_PKEY_get_base_id (key) != EVP_PKEY_RSA)
    {
      g_set_error (error, FL_JWT_ERROR, key == NULL ? FL_JWT_ERROR_KEY : FL_JWT_ERROR_NOT_RSA,
                   "%s",
                   _("The connector’s secret is not an unencrypted RSA private key in PEM "
                     "(“-----BEGIN PRIVATE KEY-----”). Store the private key of the connected "
                     "app’s certificate."));
      return NULL;
    }

  header_part = encode_header (x5t);
  claims_part = _fl_base64url_encode ((const guint8 *) claims_json, strlen (claims_json));
  input = g_strconcat (header_part, ".", claims_part, NULL);

  context = EVP_MD_CTX_new ();
  if (context == NULL ||
      EVP_DigestSignInit (context, NULL, EVP_sha256 (), NULL, key) != 1 ||
      EVP_DigestSign (context, NULL, &signature_length, (const guint8 *) input, strlen (input)) != 1)
    goto failed;
  signature = g_malloc (signature_length);
  if (EVP_DigestSign (context, signature, &signature_length, (const guint8 *) input,
                      strlen (input)) != 1)
    goto failed;

  signature_part = _fl_base64url_encode (signature, signature_length);
  return g_strconcat (input, ".", signature_part, NULL);

failed:
  g_set_error (error, FL_JWT_ERROR, FL_JWT_ERROR_SIGN, "%s",
               _("Cannot sign the token request with the connector’s private key"));
  return NULL;
}
