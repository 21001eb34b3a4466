/* fl-booth-discovery.h: kiosks of a booth find each other by DNS-SD
 *
 * Over mDNS through Avahi: a serving kiosk publishes _fairlead._tcp with
 * its booth and device in the TXT record, and a round browses for the
 * others first. Where Avahi does not run, both fail with a message and
 * the kiosk keeps to explicit and remembered addresses: a device is known
 * by its certificate, never by where it was found.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_BOOTH_SERVICE_TYPE "_fairlead._tcp"

#define FL_TYPE_BOOTH_PUBLISHER (fl_booth_publisher_get_type ())

G_DECLARE_FINAL_TYPE (FlBoothPublisher, fl_booth_publisher, FL, BOOTH_PUBLISHER, GObject)

/* Publishes on the thread-default main context until unreffed. */
FlBoothPublisher *fl_booth_publisher_new      (const char  *booth_id,
                                               const char  *device_id,
                                               const char  *name,
                                               guint        port,
                                               GError     **error);

/* "host:port" of the kiosks of @booth_id that answered within @timeout_ms
 * (blocks; runs a main context of its own). */
GStrv             fl_booth_discovery_browse   (const char  *booth_id,
                                               const char  *own_device_id,
                                               guint        timeout_ms,
                                               GError     **error);

G_END_DECLS
