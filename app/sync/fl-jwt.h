/* fl-jwt.h: JSON Web Tokens signed with RS256, for OAuth bearer flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FL_JWT_ERROR (fl_jwt_error_quark ())

typedef enum
{
  FL_JWT_ERROR_KEY,          /* no unencrypted private key in the PEM text */
  FL_JWT_ERROR_NOT_RSA,      /* a private key, but not an RSA one */
  FL_JWT_ERROR_CERTIFICATE,  /* no X.509 certificate in the PEM text */
  FL_JWT_ERROR_SIGN,         /* the key would not sign */
} FlJwtError;

GQuark fl_jwt_error_quark         (void);

char  *_fl_base64url_encode       (const guint8 *data,
                                   gsize         length);
char  *_fl_jwt_thumbprint         (const char   *certificate_pem,
                                   GError      **error);
char  *_fl_jwt_sign_rs256         (const char   *private_key_pem,
                                   const char   *x5t,
                                   const char   *claims_json,
                                   GError      **error);

G_END_DECLS
