/* fl-jwt.c: a JSON Web Token signed with RS256, for OAuth bearer flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libcurl already brings OpenSSL into the process; its libcrypto signs.
 */
#define G_LOG_DOMAIN "fl-jwt"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <string.h>

#include "fl-jwt.h"
#include "fl-sync.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_MD_CTX, EVP_MD_CTX_free)

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
 * _fl_jwt_sign_rs256:
 * @private_key_pem: an RSA private key, PEM (PKCS#1 or PKCS#8, unencrypted)
 * @claims_json: the claims set as JSON
 *
 * Returns: (transfer full) (nullable): header.claims.signature, or %NULL
 *   with @error when the key is not a usable RSA key
 */
char *
_fl_jwt_sign_rs256 (const char *private_key_pem, const char *claims_json, GError **error)
{
  static const char header[] = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
  g_autoptr(BIO) bio = NULL;
  g_autoptr(EVP_PKEY) key = NULL;
  g_autoptr(EVP_MD_CTX) context = NULL;
  g_autofree char *header_part = NULL;
  g_autofree char *claims_part = NULL;
  g_autofree char *input = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree char *signature_part = NULL;
  size_t signature_length = 0;

  bio = BIO_new_mem_buf (private_key_pem, -1);
  if (bio != NULL)
    key = PEM_read_bio_PrivateKey (bio, NULL, NULL, (void *) "");
  if (key == NULL || EVP_PKEY_get_base_id (key) != EVP_PKEY_RSA)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET, "%s",
                   _("The connector’s secret is not an unencrypted RSA private key in PEM "
                     "(“-----BEGIN PRIVATE KEY-----”). Store the private key of the connected "
                     "app’s certificate."));
      return NULL;
    }

  header_part = _fl_base64url_encode ((const guint8 *) header, strlen (header));
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
  g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET, "%s",
               _("Cannot sign the token request with the connector’s private key"));
  return NULL;
}
