/* fl-sync-log.h: every request that carried a lead, and what came back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store/fl-store.h"
#include "sync/fl-connector.h"

G_BEGIN_DECLS

typedef struct
{
  char   *connector;
  char   *at;          /* ISO 8601, UTC */
  long    http_status; /* 0 when no answer came */
  char   *result;      /* delivered, failed, retry or stopped */
  char   *remote_id;   /* (nullable) the CRM's id of the person */
  char   *message;     /* (nullable) */
} FlSyncLogEntry;

void        fl_sync_log_entry_free      (FlSyncLogEntry *entry);
gboolean    fl_sync_log_add             (FlStore        *store,
                                         const char     *connector,
                                         FlSyncBatch    *batch,
                                         FlSyncItem     *item,
                                         gint64          at,
                                         GError        **error);
gboolean    fl_sync_log_add_batch       (FlStore        *store,
                                         const char     *connector,
                                         FlSyncBatch    *batch,
                                         gint64          at,
                                         GError        **error);
GPtrArray  *fl_sync_log_list            (FlStore        *store,
                                         const char     *lead_uuid,
                                         GError        **error);
char       *fl_sync_log_entry_describe  (FlSyncLogEntry *entry);
JsonNode   *fl_sync_log_to_json         (GPtrArray      *entries);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlSyncLogEntry, fl_sync_log_entry_free)

G_END_DECLS
