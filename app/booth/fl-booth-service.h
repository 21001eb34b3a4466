/* fl-booth-service.h: the booth sync service a kiosk runs while in a booth
 *
 * Serves the other kiosks (HTTPS with mutual authentication), announces
 * itself by DNS-SD, and runs a two-way round with every member every
 * few seconds and right after a capture (fl_booth_service_sync_soon()).
 * `fairlead-cli booth serve` runs it in the foreground; the kiosk runs it
 * in-process and shows its state in the header.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_BOOTH_SERVICE (fl_booth_service_get_type ())

G_DECLARE_FINAL_TYPE (FlBoothService, fl_booth_service, FL, BOOTH_SERVICE, GObject)

/* Default time between two idle rounds. */
#define FL_BOOTH_SERVICE_INTERVAL_MS 1000
/* A member not seen for this long is reported as such. */
#define FL_BOOTH_SERVICE_STALE_SECONDS 120

FlBoothService *fl_booth_service_new            (FlStore         *store);

FlStore        *fl_booth_service_get_store      (FlBoothService  *self);
gboolean        fl_booth_service_get_running    (FlBoothService  *self);
gboolean        fl_booth_service_get_in_round   (FlBoothService  *self);
guint           fl_booth_service_get_port       (FlBoothService  *self);
guint           fl_booth_service_get_n_members  (FlBoothService  *self);
guint           fl_booth_service_get_n_in_sync  (FlBoothService  *self);
const char     *fl_booth_service_get_state_text (FlBoothService  *self);
guint           fl_booth_service_get_interval   (FlBoothService  *self);
void            fl_booth_service_set_interval   (FlBoothService  *self,
                                                 guint            interval_ms);
void            fl_booth_service_set_peers      (FlBoothService  *self,
                                                 const char * const *peers);

/* @listen: "ADDR:PORT", "ADDR" or %NULL for every interface on the
 * default port; a port of 0 takes any free one. */
gboolean        fl_booth_service_start          (FlBoothService  *self,
                                                 const char      *listen,
                                                 GError         **error);
void            fl_booth_service_stop           (FlBoothService  *self);
void            fl_booth_service_sync_soon      (FlBoothService  *self);

char           *fl_booth_state_text             (GPtrArray       *members,
                                                 const char      *own_id,
                                                 guint           *n_in_sync,
                                                 guint           *n_members);

G_END_DECLS
