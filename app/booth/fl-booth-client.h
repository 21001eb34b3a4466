/* fl-booth-client.h: joining a booth and syncing with its other kiosks
 *
 * These calls block: the CLI calls them on its main thread, the kiosk's
 * FlBoothService in a worker thread with a store of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-booth.h"

G_BEGIN_DECLS

typedef enum
{
  FL_BOOTH_PEER_IN_SYNC,     /* both hold the same now */
  FL_BOOTH_PEER_BEHIND,      /* reached, but one still lacks changes */
  FL_BOOTH_PEER_UNREACHABLE, /* no answer */
  FL_BOOTH_PEER_REFUSED,     /* it refused us */
  FL_BOOTH_PEER_NOT_MEMBER,  /* we refused it: not a device of this booth */
  FL_BOOTH_PEER_FAILED,      /* reached, but the round failed */
} FlBoothPeerResult;

typedef struct
{
  char              *address;    /* "host:port" tried last, may be NULL */
  char              *device_id;  /* NULL when it never said who it is */
  char              *name;
  FlBoothPeerResult  result;
  char              *message;    /* why, when it is not in sync */
  guint              received;   /* changes applied here */
  guint              sent_batches;
  guint64            bytes_sent; /* request bodies */
  guint64            bytes_received;
} FlBoothPeerReport;

void        fl_booth_peer_report_free  (FlBoothPeerReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlBoothPeerReport, fl_booth_peer_report_free)

const char *fl_booth_peer_result_to_string (FlBoothPeerResult result);

/* @admitted_by: (out) (optional): the "host:port" that admitted us, the
 * one kiosk sure to know this one until the others heard of it. */
FlBooth    *fl_booth_join              (FlStore            *store,
                                        GTlsCertificate    *certificate,
                                        const FlBoothCode  *code,
                                        const char         *device_name,
                                        const char * const *peers,
                                        char              **admitted_by,
                                        GError            **error);

typedef enum
{
  FL_BOOTH_SYNC_DEFAULT    = 0,
  FL_BOOTH_SYNC_ONLY_GIVEN = 1 << 0, /* not the members' remembered addresses */
} FlBoothSyncFlags;

/* One two-way round with every peer found: @peers ("host:port", may be
 * %NULL), the addresses remembered per member (unless
 * %FL_BOOTH_SYNC_ONLY_GIVEN) and @discovered (found by DNS-SD). Returns one FlBoothPeerReport per peer tried; %NULL
 * with @error only when no round could start at all. */
GPtrArray  *fl_booth_sync              (FlStore            *store,
                                        GTlsCertificate    *certificate,
                                        const char * const *peers,
                                        const char * const *discovered,
                                        FlBoothSyncFlags    flags,
                                        GCancellable       *cancellable,
                                        GError            **error);

G_END_DECLS
