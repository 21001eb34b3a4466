/* fl-outbox.h: the leads waiting for each connector, and the connectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/fl-store.h"
#include "sync/fl-connector.h"

G_BEGIN_DECLS

/* One claimed row: a lead on its way to one connector. */
typedef struct
{
  gint64    lead_id;
  char     *lead_uuid;
  int       attempts;     /* counting the one now starting */
  gboolean  known;        /* delivered before: the CRM already has it */
  char     *remote_id;    /* (nullable) what the connector kept of it */
} FlOutboxRow;

typedef struct
{
  gint64 pending;
  gint64 sending;
  gint64 failed;
  gint64 done;
  gint64 due;             /* pending rows whose time has come */
  gint64 next_attempt;    /* µs since the epoch of the earliest pending row, 0 for none */
  gint64 last_done;       /* µs since the epoch of the latest delivery, 0 for none */
} FlOutboxCounts;

/* A row as `sync status` and `upload --dry-run` show it. */
typedef struct
{
  char     *lead_uuid;
  char     *lead_name;
  char     *connector;
  char     *state;
  int       attempts;
  char     *next_attempt_at;
  char     *last_error;
  char     *remote_id;
  gboolean  known;
  char     *done_at;      /* (nullable) when it was delivered, ISO 8601 UTC */
} FlOutboxEntry;

void fl_outbox_row_free   (FlOutboxRow   *row);
void fl_outbox_entry_free (FlOutboxEntry *entry);

#define FL_TYPE_OUTBOX (fl_outbox_get_type ())

G_DECLARE_FINAL_TYPE (FlOutbox, fl_outbox, FL, OUTBOX, GObject)

FlOutbox    *fl_outbox_new                (FlStore         *store);
FlStore     *fl_outbox_get_store          (FlOutbox        *self);

GPtrArray   *fl_outbox_list_connectors    (FlOutbox        *self,
                                           gboolean         enabled_only,
                                           GError         **error);
FlConnector *fl_outbox_get_connector      (FlOutbox        *self,
                                           const char      *name,
                                           GError         **error);
gboolean     fl_outbox_add_connector      (FlOutbox        *self,
                                           const char      *name,
                                           const char      *type,
                                           const char      *url,
                                           JsonObject      *options,
                                           gint64          *n_queued,
                                           GError         **error);
gboolean     fl_outbox_update_connector   (FlOutbox        *self,
                                           const char      *name,
                                           const char      *type,
                                           const char      *url,
                                           JsonObject      *options,
                                           GError         **error);
gboolean     fl_outbox_remove_connector   (FlOutbox        *self,
                                           const char      *name,
                                           GError         **error);

gint64       fl_outbox_recover            (FlOutbox        *self,
                                           GError         **error);
GPtrArray   *fl_outbox_claim              (FlOutbox        *self,
                                           FlConnector     *connector,
                                           gint64           now,
                                           char           **batch_key,
                                           char           **event,
                                           GError         **error);
GPtrArray   *fl_outbox_claim_in_transaction (FlOutbox        *self,
                                           FlConnector     *connector,
                                           gint64           now,
                                           char           **batch_key,
                                           char           **event,
                                           GError         **error);
gboolean     fl_outbox_rekey              (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *batch_key,
                                           GError         **error);
gboolean     fl_outbox_mark_done          (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *remote_id,
                                           gint64           now,
                                           GError         **error);
gboolean     fl_outbox_mark_done_items    (FlOutbox        *self,
                                           const char      *connector,
                                           GPtrArray       *items,
                                           gint64           now,
                                           GError         **error);
gboolean     fl_outbox_set_remote_id      (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *remote_id,
                                           GError         **error);
gboolean     fl_outbox_mark_failed        (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *reason,
                                           GError         **error);
gboolean     fl_outbox_reschedule         (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           gint64           next_attempt,
                                           gboolean         keep_batch,
                                           const char      *reason,
                                           GError         **error);
gboolean     fl_outbox_release            (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *reason,
                                           GError         **error);
gint64       fl_outbox_retry_failed       (FlOutbox        *self,
                                           const char      *connector,
                                           GError         **error);
gboolean     fl_outbox_requeue_lead       (FlOutbox        *self,
                                           const char      *lead_uuid,
                                           const char      *actor,
                                           gint64          *n_queued,
                                           GError         **error);
gboolean     fl_outbox_withhold           (FlOutbox        *self,
                                           const char      *connector,
                                           gint64           lead_id,
                                           const char      *lead_uuid,
                                           GError         **error);

gboolean     fl_outbox_get_counts         (FlOutbox        *self,
                                           FlConnector     *connector,
                                           gint64           now,
                                           FlOutboxCounts  *counts,
                                           GError         **error);
GPtrArray   *fl_outbox_list               (FlOutbox        *self,
                                           FlConnector     *connector,
                                           const char      *state,
                                           guint            limit,
                                           GError         **error);

GPtrArray   *fl_outbox_list_for_lead      (FlOutbox        *self,
                                           const char      *lead_uuid,
                                           GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOutboxRow, fl_outbox_row_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOutboxEntry, fl_outbox_entry_free)

G_END_DECLS
