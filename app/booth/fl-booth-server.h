/* fl-booth-server.h: the HTTPS endpoint other kiosks of the booth sync with
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_BOOTH_SERVER (fl_booth_server_get_type ())

G_DECLARE_FINAL_TYPE (FlBoothServer, fl_booth_server, FL, BOOTH_SERVER, GObject)

/* Serves on the thread-default main context of the caller, which must own
 * @store. */
FlBoothServer *fl_booth_server_new      (FlStore          *store,
                                         GTlsCertificate  *certificate);
gboolean       fl_booth_server_listen   (FlBoothServer    *self,
                                         const char       *address,
                                         guint             port,
                                         GError          **error);
guint          fl_booth_server_get_port (FlBoothServer    *self);
void           fl_booth_server_stop     (FlBoothServer    *self);

G_END_DECLS
