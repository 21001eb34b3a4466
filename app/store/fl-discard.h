/* fl-discard.h: a discard at the kiosk that can be taken back for a while
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

gboolean   fl_discard_hold     (FlStore     *store,
                                const char  *uuid,
                                const char  *actor,
                                GError     **error);
gboolean   fl_discard_is_held  (FlStore     *store,
                                const char  *uuid);
gboolean   fl_discard_undo     (FlStore     *store,
                                const char  *uuid,
                                const char  *actor,
                                GError     **error);
gboolean   fl_discard_finish   (FlStore     *store,
                                const char  *uuid,
                                GError     **error);

G_END_DECLS
