/* fl-replica.h: what a booth's kiosks replicate to each other, and how
 *
 * Every write to a replicated table is logged by SQLite triggers as a
 * change (device, seq, hlc, table, key, data) in the database itself
 * (schema version 9); this module encodes the changes a peer lacks and
 * applies a peer's changes with the conflict rules of doc/booth-sync.md.
 * The transport (TLS, discovery, the booth's membership) moves the
 * opaque bytes of fl_replica_changes_since() to fl_replica_apply() on the
 * other side and never looks inside them.
 *
 * All functions run on the thread that owns @store.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_REPLICA_ERROR (fl_replica_error_quark ())

typedef enum
{
  FL_REPLICA_ERROR_INVALID,      /* the bytes are not a batch of changes */
  FL_REPLICA_ERROR_TOO_NEW,      /* a batch of a newer protocol version */
  FL_REPLICA_ERROR_SAME_DEVICE,  /* the peer (or file) claims this device's id */
  FL_REPLICA_ERROR_NOT_FAIRLEAD, /* fl_replica_merge_file(): not a Fairlead database */
  FL_REPLICA_ERROR_MISSING,      /* fl_replica_merge_file(): no such file */
} FlReplicaError;

/* The protocol version a batch carries; a newer one is refused. */
#define FL_REPLICA_PROTOCOL 1

typedef struct
{
  guint applied;  /* changes written (they won, or were new) */
  guint skipped;  /* changes already held, or older than what is held */
  guint merged;   /* leads folded into another lead of the same visitor */
} FlReplicaStats;

GQuark      fl_replica_error_quark          (void);

/* This device's uuid (kept in meta, created on first use). The string
 * belongs to @store. */
const char *fl_replica_get_device_id        (FlStore        *store,
                                             GError        **error);

/* {"<device uuid>": <highest seq held>, ...}: for every device this store
 * holds changes of, the number of its changes held (they are held without
 * gaps). (transfer full) */
JsonObject *fl_replica_get_version_vector   (FlStore        *store,
                                             GError        **error);

/* The changes @store holds that a peer with @peer_vector (NULL or empty:
 * a peer that holds nothing) lacks, oldest first per device, at most about
 * @max_bytes of them (0: no limit; at least one change is always
 * returned when any is lacking), encoded (gzip-compressed JSON). *@more
 * is set to %TRUE when more remain: the caller loops, with the peer's
 * vector after applying this batch. Returns an empty batch (not %NULL)
 * when the peer lacks nothing. (transfer full) */
GBytes     *fl_replica_changes_since        (FlStore        *store,
                                             JsonObject     *peer_vector,
                                             gsize           max_bytes,
                                             gboolean       *more,
                                             GError        **error);

/* Applies a batch produced by fl_replica_changes_since() on another
 * device: idempotent (a change held already is skipped), in one
 * transaction, all or nothing. @stats (may be %NULL) counts what
 * happened. Refuses, with a message that says what was wrong, bytes that
 * are not a batch and batches of a newer protocol version; then nothing
 * was written. */
gboolean    fl_replica_apply                (FlStore        *store,
                                             GBytes         *batch,
                                             FlReplicaStats *stats,
                                             GError        **error);

/* Logs, as changes of this device, every replicated row the change log
 * does not cover yet (a kiosk in no booth logs no inserts and updates,
 * schema 11), so that a peer receives all of it: creating and joining a
 * booth call it in the transaction that records the booth, merging a file
 * calls it on both sides. A row the log never saw is logged whole at its
 * own time (a lead's updated_at, an entry's at…), a row the log knows
 * with the fields that differ, after every change the log holds for it.
 * Runs in a transaction of its own unless one is open. @n_logged (may be
 * %NULL) is set to the number of changes logged. */
gboolean    fl_replica_snapshot             (FlStore        *store,
                                             guint          *n_logged,
                                             GError        **error);

/* `fairlead-cli merge FILE.db`: brings in what the database file at @path
 * (another kiosk's database or a backup of it) holds and @store lacks, by
 * the very same changes and rules as a network sync. The file is opened
 * read-only and left as it was. Errors: %FL_REPLICA_ERROR_MISSING,
 * %FL_REPLICA_ERROR_NOT_FAIRLEAD, or the store's. */
gboolean    fl_replica_merge_file           (FlStore        *store,
                                             const char     *path,
                                             FlReplicaStats *stats,
                                             GError        **error);

G_END_DECLS
