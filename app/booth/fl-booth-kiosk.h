/* fl-booth-kiosk.h: what the kiosk shows and keeps about its booth
 *
 * The device names the leads pages show next to the staff member, and the
 * explicit "host:port" peers a kiosk syncs with on networks that block
 * multicast (kept in this database only: addresses are per network).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

GHashTable *fl_booth_device_names (FlStore            *store);
char       *fl_booth_device_name  (FlStore            *store,
                                   const char         *device_id);
GStrv       fl_booth_get_peers    (FlStore            *store);
gboolean    fl_booth_set_peers    (FlStore            *store,
                                   const char * const *peers,
                                   GError            **error);
gboolean    fl_booth_check_peer   (const char         *peer,
                                   GError            **error);

G_END_DECLS
