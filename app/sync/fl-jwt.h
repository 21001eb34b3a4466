/* fl-jwt.h: a JSON Web Token signed with RS256, for OAuth bearer flows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char *_fl_base64url_encode  (const guint8 *data,
                             gsize         length);
char *_fl_jwt_sign_rs256    (const char   *private_key_pem,
                             const char   *claims_json,
                             GError      **error);

G_END_DECLS
