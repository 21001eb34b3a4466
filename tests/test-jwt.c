/* test-jwt.c: the one RS256 signer every connector's JWT comes from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys and certificates are made here with libcrypto; each token is taken
 * apart and its signature checked with the public key alone.
 */
#include "config.h"

#include "fl-test.h"

#include <json-glib/json-glib.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <string.h>

#include "sync/fl-jwt.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (EVP_PKEY, EVP_PKEY_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (X509, X509_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BIO, BIO_free)

static EVP_PKEY *rsa_key;

static char *
bio_text (BIO *bio)
{
  char *data = NULL;
  long length = BIO_get_mem_data (bio, &data);

  return g_strndup (data, length);
}

static char *
private_pem (EVP_PKEY *key)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  g_assert_cmpint (PEM_write_bio_PrivateKey (bio, key, NULL, NULL, 0, NULL, NULL), ==, 1);
  return bio_text (bio);
}

/* A self-signed certificate for @key, PEM, and its DER form in @der. */
static char *
certificate_pem (EVP_PKEY *key, GBytes **der)
{
  g_autoptr(X509) certificate = X509_new ();
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());
  X509_NAME *name = X509_get_subject_name (certificate);
  guint8 *buffer = NULL;
  int length;

  X509_set_version (certificate, 2);
  ASN1_INTEGER_set (X509_get_serialNumber (certificate), 7);
  X509_gmtime_adj (X509_getm_notBefore (certificate), 0);
  X509_gmtime_adj (X509_getm_notAfter (certificate), 3600);
  X509_set_pubkey (certificate, key);
  X509_NAME_add_entry_by_txt (name, "CN", MBSTRING_UTF8, (const guint8 *) "fairlead-test", -1, -1, 0);
  X509_set_issuer_name (certificate, name);
  g_assert_cmpint (X509_sign (certificate, key, EVP_sha256 ()), >, 0);
  g_assert_cmpint (PEM_write_bio_X509 (bio, certificate), ==, 1);
  length = i2d_X509 (certificate, &buffer);
  g_assert_cmpint (length, >, 0);
  *der = g_bytes_new (buffer, length);
  OPENSSL_free (buffer);
  return bio_text (bio);
}

static guint8 *
base64url_decode (const char *part, gsize *size)
{
  g_autoptr(GString) text = g_string_new (part);

  g_assert_null (strpbrk (part, "+/="));
  g_string_replace (text, "-", "+", 0);
  g_string_replace (text, "_", "/", 0);
  while (text->len % 4)
    g_string_append_c (text, '=');
  return g_base64_decode (text->str, size);
}

static JsonObject *
decode_object (const char *part)
{
  gsize size = 0;
  g_autofree guint8 *data = base64url_decode (part, &size);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_node_dup_object (node);
}

/* Whether @public_key verifies the RS256 signature of @jwt. */
static gboolean
verifies (EVP_PKEY *public_key, const char *jwt)
{
  g_auto(GStrv) parts = g_strsplit (jwt, ".", -1);
  g_autofree char *input = NULL;
  g_autofree guint8 *signature = NULL;
  gsize length = 0;
  EVP_MD_CTX *context;
  gboolean ok;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  input = g_strconcat (parts[0], ".", parts[1], NULL);
  signature = base64url_decode (parts[2], &length);
  g_assert_cmpuint (length, ==, 256);   /* a 2048-bit RSA signature */
  context = EVP_MD_CTX_new ();
  ok = EVP_DigestVerifyInit (context, NULL, EVP_sha256 (), NULL, public_key) == 1 &&
       EVP_DigestVerify (context, signature, length, (const guint8 *) input, strlen (input)) == 1;
  EVP_MD_CTX_free (context);
  return ok;
}

/* Only the public half, as a server has it. */
static EVP_PKEY *
public_half (EVP_PKEY *key)
{
  g_autoptr(BIO) bio = BIO_new (BIO_s_mem ());

  g_assert_cmpint (PEM_write_bio_PUBKEY (bio, key), ==, 1);
  return PEM_read_bio_PUBKEY (bio, NULL, NULL, NULL);
}

static void
test_jwt_signed (void)
{
  g_autofree char *pem = private_pem (rsa_key);
  g_autoptr(EVP_PKEY) public_key = public_half (rsa_key);
  g_autoptr(EVP_PKEY) other_key = EVP_RSA_gen (2048);
  g_autoptr(EVP_PKEY) other_public = public_half (other_key);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) header = NULL;
  g_autoptr(JsonObject) claims = NULL;
  g_autofree char *jwt = NULL;
  g_autofree char *tampered = NULL;
  g_auto(GStrv) parts = NULL;

  jwt = _fl_jwt_sign_rs256 (pem, NULL, "{\"iss\":\"3MVG9\",\"sub\":\"kiosk@example.com\","
                                       "\"aud\":\"https://login.salesforce.com\",\"exp\":1800000000}",
                            &error);
  g_assert_no_error (error);
  g_assert_nonnull (jwt);
  parts = g_strsplit (jwt, ".", -1);
  g_assert_cmpuint (g_strv_length (parts), ==, 3);

  header = decode_object (parts[0]);
  g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "RS256");
  g_assert_cmpstr (json_object_get_string_member (header, "typ"), ==, "JWT");
  g_assert_false (json_object_has_member (header, "x5t"));
  g_assert_cmpuint (json_object_get_size (header), ==, 2);
  claims = decode_object (parts[1]);
  g_assert_cmpstr (json_object_get_string_member (claims, "sub"), ==, "kiosk@example.com");
  g_assert_cmpint (json_object_get_int_member (claims, "exp"), ==, 1800000000);

  g_assert_true (verifies (public_key, jwt));
  g_assert_false (verifies (other_public, jwt));
  /* Other claims under the same signature do not verify. */
  {
    g_autofree char *forged = _fl_base64url_encode ((const guint8 *) "{\"sub\":\"admin\"}", 15);

    tampered = g_strjoin (".", parts[0], forged, parts[2], NULL);
    g_assert_false (verifies (public_key, tampered));
  }
}

/* A certificate credential: key and certificate in one secret, in either
 * order; the header names the certificate by its SHA-1 thumbprint. */
static void
test_jwt_certificate (void)
{
  g_autoptr(GBytes) der = NULL;
  g_autofree char *key_pem = private_pem (rsa_key);
  g_autofree char *cert_pem = certificate_pem (rsa_key, &der);
  g_autoptr(EVP_PKEY) public_key = public_half (rsa_key);
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  g_autofree char *expected = NULL;
  const char *bundles[2];
  g_autofree char *key_first = g_strconcat (key_pem, cert_pem, NULL);
  g_autofree char *cert_first = g_strconcat (cert_pem, key_pem, NULL);
  guint8 digest[20];
  gsize digest_length = sizeof digest;

  g_checksum_update (sha1, g_bytes_get_data (der, NULL), g_bytes_get_size (der));
  g_checksum_get_digest (sha1, digest, &digest_length);
  expected = _fl_base64url_encode (digest, digest_length);
  g_assert_cmpuint (strlen (expected), ==, 27);

  bundles[0] = key_first;
  bundles[1] = cert_first;
  for (guint i = 0; i < G_N_ELEMENTS (bundles); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *x5t = _fl_jwt_thumbprint (bundles[i], &error);
      g_autofree char *jwt = NULL;
      g_auto(GStrv) parts = NULL;
      g_autoptr(JsonObject) header = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (x5t, ==, expected);
      jwt = _fl_jwt_sign_rs256 (bundles[i], x5t, "{\"aud\":\"https://login.example\"}", &error);
      g_assert_no_error (error);
      parts = g_strsplit (jwt, ".", -1);
      header = decode_object (parts[0]);
      g_assert_cmpstr (json_object_get_string_member (header, "alg"), ==, "RS256");
      g_assert_cmpstr (json_object_get_string_member (header, "x5t"), ==, expected);
      g_assert_true (verifies (public_key, jwt));
    }
}

/* What cannot sign says so, with a code the caller can word for its
 * connector; nothing prompts for a passphrase. */
static void
test_jwt_bad_secrets (void)
{
  g_autoptr(EVP_PKEY) ec_key = EVP_EC_gen ("P-256");
  g_autoptr(BIO) encrypted_bio = BIO_new (BIO_s_mem ());
  g_autoptr(GBytes) der = NULL;
  g_autofree char *ec_pem = private_pem (ec_key);
  g_autofree char *cert_only = certificate_pem (rsa_key, &der);
  g_autofree char *encrypted = NULL;
  g_autoptr(GError) error = NULL;
  char *result;

  g_assert_cmpint (PEM_write_bio_PrivateKey (encrypted_bio, rsa_key, EVP_aes_256_cbc (), NULL, 0,
                                             NULL, (void *) "booth"), ==, 1);
  encrypted = bio_text (encrypted_bio);

  result = _fl_jwt_sign_rs256 ("not a key", NULL, "{}", &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "RSA private key"));
  g_clear_error (&error);

  result = _fl_jwt_sign_rs256 (cert_only, NULL, "{}", &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_KEY);
  g_clear_error (&error);

  result = _fl_jwt_sign_rs256 (encrypted, NULL, "{}", &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_KEY);
  g_clear_error (&error);

  result = _fl_jwt_sign_rs256 (ec_pem, NULL, "{}", &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_NOT_RSA);
  g_clear_error (&error);

  result = _fl_jwt_thumbprint (ec_pem, &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "certificate"));
  g_clear_error (&error);

  result = _fl_jwt_thumbprint ("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                               &error);
  g_assert_null (result);
  g_assert_error (error, FL_JWT_ERROR, FL_JWT_ERROR_CERTIFICATE);
}

static void
test_base64url (void)
{
  const guint8 data[] = { 0xfb, 0xff, 0xfe, 0x00 };
  g_autofree char *one = _fl_base64url_encode (data, 1);
  g_autofree char *two = _fl_base64url_encode (data, 2);
  g_autofree char *three = _fl_base64url_encode (data, 3);

  g_assert_cmpstr (one, ==, "-w");
  g_assert_cmpstr (two, ==, "-_8");
  g_assert_cmpstr (three, ==, "-__-");
}

int
main (int argc, char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);
  rsa_key = EVP_RSA_gen (2048);
  g_test_add_func ("/jwt/base64url", test_base64url);
  g_test_add_func ("/jwt/signed", test_jwt_signed);
  g_test_add_func ("/jwt/certificate", test_jwt_certificate);
  g_test_add_func ("/jwt/bad-secrets", test_jwt_bad_secrets);
  status = g_test_run ();
  EVP_PKEY_free (rsa_key);
  return status;
}
