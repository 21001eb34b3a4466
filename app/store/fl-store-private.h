/* fl-store-private.h: SQL access for the core modules that own a table
 *
 * Only the modules of libfairlead that own a table (app/store/,
 * app/sync/fl-outbox.c, fl-backlog.c and fl-sync-log.c,
 * app/score/fl-model-store.c and fl-rescore.c, app/booth/fl-replica.c)
 * and the tests include
 * this. ui/ and app/cli call the functions those modules export instead:
 * anything a widget can do, the CLI and a test can do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (FL_CORE_COMPILATION)
#error "store/fl-store-private.h is for libfairlead's own modules: call a core function (see README, Architecture)"
#endif

#include <sqlite3.h>

#include "fl-store.h"

G_BEGIN_DECLS

/* SQL: TRUE when the lead row aliased @l may be uploaded — its event does
 * not require consent, or its latest consent entry says given. The schema
 * (version 4, fl-store-schema.c) enforces the same rule with triggers on
 * the outbox, the consents and the events, whoever writes them; this is
 * for reading (counts, lists) and for explaining a refusal. The latest
 * entry is the latest by time (schema 9: entries from other kiosks arrive
 * in any order), a refusal before a consent of the same instant. */
#define FL_STORE_SQL_UPLOAD_ALLOWED(l)                                                             \
  "(NOT coalesce ((SELECT json_extract (e.settings, '$." FL_SETTING_CONSENT_REQUIRED "') "         \
  "  FROM events e WHERE e.uuid = " l ".event), 1) "                                              \
  " OR coalesce ((SELECT c.given FROM consents c WHERE c.lead_id = " l ".id "                    \
  "  ORDER BY c.at DESC, c.given ASC, c.id DESC LIMIT 1), 0) = 1)"

/* SQL: the local integer key of the event whose uuid is @uuid (schema 10),
 * NULL for an event no lead or event row has named. The lead indexes
 * begin with leads.event_key: find an event's leads with
 * "event_key = " FL_STORE_SQL_EVENT_KEY ("?1"), never by the uuid in
 * leads.event, which no index holds. */
#define FL_STORE_SQL_EVENT_KEY(uuid) "(SELECT id FROM event_keys WHERE uuid = " uuid ")"

sqlite3      *fl_store_get_db              (FlStore      *self);
sqlite3_stmt *fl_store_prepare             (FlStore      *self,
                                            const char   *sql,
                                            GError      **error);
gboolean      fl_store_exec                (FlStore      *self,
                                            const char   *sql,
                                            GError      **error);
gboolean      fl_store_set_error           (FlStore      *self,
                                            GError      **error);
int           fl_store_bind_text           (sqlite3_stmt *stmt,
                                            int           index,
                                            const char   *value);
gboolean      fl_store_step_done           (FlStore      *self,
                                            sqlite3_stmt *stmt,
                                            GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* "FLEA": marks a SQLite file as Fairlead's (PRAGMA application_id). */
#define FL_STORE_APPLICATION_ID 0x464c4541

const char   *_fl_store_migration          (int           from_version);
gboolean      _fl_store_ready_lead         (FlStore      *self,
                                            FlLead       *lead,
                                            GError      **error);
char         *_fl_store_breakdown_text     (FlStore      *self,
                                            FlLead       *lead);
gboolean      _fl_store_save_leads_in_transaction (FlStore    *self,
                                                   GPtrArray  *leads,
                                                   const char *actor,
                                                   GError    **error);
gboolean      _fl_store_export_csv_walk    (FlStore      *self,
                                            const char   *event,
                                            gboolean      every_lead,
                                            FlStoreCsvFunc func,
                                            gpointer      user_data,
                                            GError      **error);
gboolean      _fl_store_set_sqlite_error   (sqlite3      *db,
                                            GError      **error);
void          _fl_store_export_set_run_bytes (gsize       bytes);
void          _fl_store_export_set_scratch_dir (const char *dir);

G_END_DECLS
