/* fl-booth-cert.c: this device's key pair and certificate for the booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "fl-booth.h"
#include "fl-booth-cert.h"

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_privkey_t, gnutls_x509_privkey_deinit, NULL)
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (gnutls_x509_crt_t, gnutls_x509_crt_deinit, NULL)

/* Twenty years: a certificate is pinned, never checked against a clock
 * that may be wrong at a booth. */
#define VALIDITY_SECONDS (20 * 365 * 24 * 3600LL)

char *
fl_booth_cert_key_path (const char *db_path)
{
  g_return_val_if_fail (db_path != NULL, NULL);
  return g_strconcat (db_path, ".booth-key.pem", NULL);
}

char *
fl_booth_cert_cert_path (const char *db_path)
{
  g_return_val_if_fail (db_path != NULL, NULL);
  return g_strconcat (db_path, ".booth-cert.pem", NULL);
}

static gboolean
gnutls_failed (int ret, const char *what, GError **error)
{
  if (ret >= 0)
    return FALSE;
  g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_IDENTITY,
               _("Could not make this device’s booth certificate (%s: %s)"),
               what, gnutls_strerror (ret));
  return TRUE;
}

static gboolean
create_files (const char *key_path, const char *cert_path, const char *device_id,
              GError **error)
{
  g_auto(gnutls_x509_privkey_t) key = NULL;
  g_auto(gnutls_x509_crt_t) crt = NULL;
  g_autofree char *dn = NULL;
  gnutls_datum_t key_pem = { NULL, 0 };
  gnutls_datum_t crt_pem = { NULL, 0 };
  guint8 serial[16];
  time_t now = time (NULL);
  gboolean ok;

  if (gnutls_failed (gnutls_x509_privkey_init (&key), "privkey_init", error) ||
      gnutls_failed (gnutls_x509_privkey_generate (key, GNUTLS_PK_ECDSA,
                                                   GNUTLS_CURVE_TO_BITS (GNUTLS_ECC_CURVE_SECP256R1), 0),
                     "generate", error) ||
      gnutls_failed (gnutls_x509_crt_init (&crt), "crt_init", error))
    return FALSE;

  if (gnutls_failed (gnutls_rnd (GNUTLS_RND_NONCE, serial, sizeof serial), "rnd", error))
    return FALSE;
  serial[0] &= 0x7f; /* a positive serial number */
  dn = g_strdup_printf ("CN=fairlead-%s", device_id);
  if (gnutls_failed (gnutls_x509_crt_set_version (crt, 3), "version", error) ||
      gnutls_failed (gnutls_x509_crt_set_serial (crt, serial, sizeof serial), "serial", error) ||
      gnutls_failed (gnutls_x509_crt_set_activation_time (crt, now - 24 * 3600), "activation", error) ||
      gnutls_failed (gnutls_x509_crt_set_expiration_time (crt, now + VALIDITY_SECONDS), "expiration", error) ||
      gnutls_failed (gnutls_x509_crt_set_dn (crt, dn, NULL), "dn", error) ||
      gnutls_failed (gnutls_x509_crt_set_key (crt, key), "set_key", error) ||
      gnutls_failed (gnutls_x509_crt_sign2 (crt, crt, key, GNUTLS_DIG_SHA256, 0), "sign", error))
    return FALSE;

  if (gnutls_failed (gnutls_x509_privkey_export2_pkcs8 (key, GNUTLS_X509_FMT_PEM, NULL,
                                                        GNUTLS_PKCS_PLAIN, &key_pem),
                     "export key", error))
    return FALSE;
  if (gnutls_failed (gnutls_x509_crt_export2 (crt, GNUTLS_X509_FMT_PEM, &crt_pem),
                     "export certificate", error))
    {
      gnutls_free (key_pem.data);
      return FALSE;
    }

  /* The key first: a certificate without its key is useless, the other way
   * round it is made again. */
  ok = g_file_set_contents_full (key_path, (const char *) key_pem.data, key_pem.size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, error) &&
       g_file_set_contents_full (cert_path, (const char *) crt_pem.data, crt_pem.size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);
  gnutls_memset (key_pem.data, 0, key_pem.size);
  gnutls_free (key_pem.data);
  gnutls_free (crt_pem.data);
  return ok;
}

/**
 * fl_booth_cert_load_or_create:
 * @db_path: the database the identity belongs to
 *
 * Returns this device's certificate with its private key, made on first
 * use. Refuses a key file others can read.
 */
GTlsCertificate *
fl_booth_cert_load_or_create (const char *db_path, const char *device_id, GError **error)
{
  g_autofree char *key_path = NULL;
  g_autofree char *cert_path = NULL;
  GStatBuf st;

  g_return_val_if_fail (db_path != NULL, NULL);
  g_return_val_if_fail (device_id != NULL, NULL);

  key_path = fl_booth_cert_key_path (db_path);
  cert_path = fl_booth_cert_cert_path (db_path);

  if (!g_file_test (key_path, G_FILE_TEST_EXISTS) || !g_file_test (cert_path, G_FILE_TEST_EXISTS))
    {
      if (!create_files (key_path, cert_path, device_id, error))
        return NULL;
    }

  if (g_stat (key_path, &st) == 0 && (st.st_mode & 077) != 0)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_IDENTITY,
                   _("The booth key “%s” can be read by other users; run “chmod 600 %s” and "
                     "try again"),
                   key_path, key_path);
      return NULL;
    }

  return g_tls_certificate_new_from_files (cert_path, key_path, error);
}

gboolean
fl_booth_cert_delete (const char *db_path, GError **error)
{
  g_autofree char *key_path = fl_booth_cert_key_path (db_path);
  g_autofree char *cert_path = fl_booth_cert_cert_path (db_path);

  for (guint i = 0; i < 2; i++)
    {
      const char *path = i == 0 ? key_path : cert_path;

      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                       _("Could not delete “%s”: %s"), path, g_strerror (saved));
          return FALSE;
        }
    }
  return TRUE;
}

/* The SHA-256 of the certificate's DER bytes, in hex. */
char *
fl_booth_cert_fingerprint (GTlsCertificate *certificate)
{
  g_autoptr(GByteArray) der = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
}
