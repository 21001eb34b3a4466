/* fl-store.h: the SQLite database of one kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "lead/fl-event.h"
#include "lead/fl-lead.h"

G_BEGIN_DECLS

#define FL_STORE_ERROR (fl_store_error_quark ())

typedef enum
{
  FL_STORE_ERROR_OPEN,        /* cannot open or create the file */
  FL_STORE_ERROR_NOT_FAIRLEAD, /* the file is not a Fairlead database */
  FL_STORE_ERROR_TOO_NEW,     /* written by a newer Fairlead */
  FL_STORE_ERROR_SQL,         /* SQLite refused a statement */
  FL_STORE_ERROR_NOT_FOUND,   /* no such lead or event */
  FL_STORE_ERROR_NO_EVENT,    /* there is no active event */
  FL_STORE_ERROR_INVALID,     /* the data to store is not valid */
  FL_STORE_ERROR_DISK_FULL,   /* SQLITE_FULL: no space left for the database */
  FL_STORE_ERROR_IO,          /* SQLITE_IOERR*, SQLITE_CANTOPEN: the disk failed us */
  FL_STORE_ERROR_DAMAGED,     /* SQLITE_CORRUPT: see fl_doctor_check() */
} FlStoreError;

/* Event setting (FlEvent.settings, boolean, default true): a lead goes to
 * no connector until the visitor's consent is recorded as given. */
#define FL_SETTING_CONSENT_REQUIRED "consent_required"

/* Bytes a -wal file is cut back to when it is reset (journal_size_limit). */
#define FL_STORE_WAL_SIZE_LIMIT 4194304

/* The schema version this build writes. */
#define FL_STORE_SCHEMA_VERSION 11

typedef enum
{
  FL_LEAD_SORT_CREATED,
  FL_LEAD_SORT_NAME,
  FL_LEAD_SORT_COMPANY,
  FL_LEAD_SORT_SCORE,
  FL_LEAD_SORT_STATUS,
  FL_LEAD_SORT_STAFF,
  FL_LEAD_SORT_UPLOAD,
} FlLeadSort;

/* The upload state of a lead over all its connectors. */
typedef enum
{
  FL_UPLOAD_ANY,
  FL_UPLOAD_NONE,      /* no connector has it queued */
  FL_UPLOAD_WAITING,   /* pending or sending somewhere */
  FL_UPLOAD_FAILED,    /* failed for good somewhere */
  FL_UPLOAD_DONE,      /* delivered everywhere */
} FlUploadState;

typedef struct
{
  const char   *event;       /* event uuid, NULL for the active event */
  const char   *status;      /* "MQL", "SAL", "DISQUALIFIED" or NULL for all */
  const char   *search;      /* full-text search, NULL for none */
  const char   *captured_by; /* staff member, NULL for all */
  const char   *since;       /* created at or after (ISO 8601 UTC), NULL for no bound */
  const char   *until;       /* created before (ISO 8601 UTC), NULL for no bound */
  FlUploadState upload;
  FlLeadSort    sort;
  gboolean      ascending;   /* default: newest / highest / A first per column */
  guint         limit;       /* 0 for no limit */
  guint         offset;
} FlLeadQuery;

#define FL_TYPE_STORE (fl_store_get_type ())

G_DECLARE_FINAL_TYPE (FlStore, fl_store, FL, STORE, GObject)

GQuark        fl_store_error_quark         (void);
gboolean      fl_store_error_is_disk       (const GError *error);
char         *fl_store_default_path        (void);

FlStore      *fl_store_open                (const char   *path,
                                            GError      **error);
FlStore      *fl_store_open_at_version     (const char   *path,
                                            int           version,
                                            GError      **error);

const char   *fl_store_get_path            (FlStore      *self);
const char   *fl_store_get_device_id       (FlStore      *self);
int           fl_store_get_schema_version  (FlStore      *self);

gboolean      fl_store_begin               (FlStore      *self,
                                            GError      **error);
gboolean      fl_store_commit              (FlStore      *self,
                                            GError      **error);
void          fl_store_rollback            (FlStore      *self);

char         *fl_store_get_meta            (FlStore      *self,
                                            const char   *key);
gboolean      fl_store_set_meta            (FlStore      *self,
                                            const char   *key,
                                            const char   *value,
                                            GError      **error);

FlEvent      *fl_store_create_event        (FlStore      *self,
                                            const FlEvent *event,
                                            GError      **error);
gboolean      fl_store_update_event        (FlStore      *self,
                                            const FlEvent *event,
                                            GError      **error);
GPtrArray    *fl_store_list_events         (FlStore      *self,
                                            GError      **error);
FlEvent      *fl_store_get_event           (FlStore      *self,
                                            const char   *uuid,
                                            GError      **error);
FlEvent      *fl_store_get_active_event    (FlStore      *self,
                                            GError      **error);
gboolean      fl_store_set_active_event    (FlStore      *self,
                                            const char   *uuid,
                                            GError      **error);

gboolean      fl_store_save_lead           (FlStore      *self,
                                            FlLead       *lead,
                                            const char   *actor,
                                            GError      **error);
gboolean      fl_store_save_lead_in_transaction (FlStore *self,
                                            FlLead       *lead,
                                            const char   *actor,
                                            GError      **error);
FlLead       *fl_store_get_lead            (FlStore      *self,
                                            const char   *uuid,
                                            GError      **error);
GPtrArray    *fl_store_get_leads           (FlStore      *self,
                                            const char *const *uuids,
                                            guint         n_uuids,
                                            GError      **error);
GPtrArray    *fl_store_get_leads_by_id     (FlStore      *self,
                                            const gint64 *ids,
                                            guint         n_ids,
                                            gint8        *allowed,
                                            GError      **error);
typedef gboolean (*FlStoreCsvFunc)        (const char   *row,
                                            gsize         length,
                                            const char   *uuid,
                                            gpointer      user_data,
                                            GError      **error);
gboolean      fl_store_export_csv          (FlStore      *self,
                                            const FlLeadQuery *query,
                                            FlStoreCsvFunc func,
                                            gpointer      user_data,
                                            GError      **error);
GPtrArray    *fl_store_list_leads          (FlStore      *self,
                                            const FlLeadQuery *query,
                                            GError      **error);
gint64        fl_store_count_leads         (FlStore      *self,
                                            const FlLeadQuery *query,
                                            GError      **error);
const char   *fl_upload_state_to_string    (FlUploadState state);
gboolean      fl_store_lead_upload_allowed (FlStore      *self,
                                            const char   *uuid,
                                            gboolean     *allowed,
                                            GError      **error);
gboolean      fl_store_leads_upload_allowed (FlStore   *self,
                                            const char *const *uuids,
                                            guint         n_uuids,
                                            gint8        *allowed,
                                            GError      **error);
gint64        fl_store_count_held_for_consent (FlStore   *self,
                                            const char   *event,
                                            GError      **error);
gboolean      fl_store_add_audit           (FlStore      *self,
                                            const char   *lead_uuid,
                                            const char   *actor,
                                            const char   *action,
                                            const char   *detail,
                                            GError      **error);

G_END_DECLS
