/* fl-sync.h: what the upload modules share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FL_SYNC_ERROR (fl_sync_error_quark ())

typedef enum
{
  FL_SYNC_ERROR_CONFIG,     /* a connector is configured wrongly */
  FL_SYNC_ERROR_SECRET,     /* a token or key is missing or cannot be read */
  FL_SYNC_ERROR_NETWORK,    /* the server could not be reached */
  FL_SYNC_ERROR_HTTP,       /* the server answered with an error */
  FL_SYNC_ERROR_AUTH,       /* the server refused the credential */
  FL_SYNC_ERROR_TLS,        /* the server's certificate is not trusted */
  FL_SYNC_ERROR_IO,         /* a file could not be written */
  FL_SYNC_ERROR_BUSY,       /* another process is uploading from this database */
  FL_SYNC_ERROR_NOT_FOUND,  /* no such connector */
  FL_SYNC_ERROR_CONSENT,    /* the lead may not leave the kiosk: no consent */
  FL_SYNC_ERROR_INSECURE,   /* a secret would cross the network in clear */
} FlSyncError;

GQuark   fl_sync_error_quark      (void);

gint64   fl_sync_now              (void);
char    *fl_sync_time_to_iso      (gint64       usec);
gint64   fl_sync_time_from_iso    (const char  *iso);

G_END_DECLS
