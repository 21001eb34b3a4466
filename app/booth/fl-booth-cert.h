/* fl-booth-cert.h: this device's key pair and certificate for the booth
 *
 * Every kiosk of a booth has its own private key and a self-signed
 * certificate; the others pin the certificate's SHA-256 fingerprint. The
 * key is kept in a file of its own, mode 0600, next to the database (in
 * the 0700 data folder), never inside the database.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Bytes of a SHA-256 fingerprint, written as 64 lower-case hex digits. */
#define FL_BOOTH_FINGERPRINT_LENGTH 64

char            *fl_booth_cert_key_path        (const char      *db_path);
char            *fl_booth_cert_cert_path       (const char      *db_path);

GTlsCertificate *fl_booth_cert_load_or_create  (const char      *db_path,
                                                const char      *device_id,
                                                GError         **error);
gboolean         fl_booth_cert_delete          (const char      *db_path,
                                                GError         **error);

char            *fl_booth_cert_fingerprint     (GTlsCertificate *certificate);

G_END_DECLS
