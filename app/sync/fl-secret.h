/* fl-secret.h: connector tokens and signing keys in the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *fl_secret_env_name    (const char  *connector);
char     *fl_secret_lookup      (const char  *connector,
                                 GError     **error);
gboolean  fl_secret_have_keyring (void);
gboolean  fl_secret_store       (const char  *connector,
                                 const char  *secret,
                                 GError     **error);
gboolean  fl_secret_clear       (const char  *connector,
                                 GError     **error);

G_END_DECLS
