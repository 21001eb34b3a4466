/* fl-privacy.h: the rights of the person — access, erasure, retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* Event setting (FlEvent.settings): days after a lead was handed over —
 * delivered to every enabled connector, or exported since its last change —
 * after which it is deleted. Absent or 0: kept until erased by hand. */
#define FL_SETTING_RETENTION_DAYS "retention_days"

typedef enum
{
  FL_RETENTION_DEFAULT             = 0,
  FL_RETENTION_DRY_RUN             = 1 << 0, /* only report */
  FL_RETENTION_INCLUDE_UNDELIVERED = 1 << 1, /* delete expired leads never handed over too */
  FL_RETENTION_TRUST_CLOCK         = 1 << 2, /* even when the clock reads earlier than the newest record */
} FlRetentionFlags;

typedef struct
{
  GPtrArray *due;          /* (element-type utf8) uuids deleted, or that would be */
  GPtrArray *undelivered;  /* (element-type utf8) past retention but never handed over */
  char      *now;          /* the time judged against, ISO 8601 UTC */
  char      *newest;       /* the newest time recorded in the database, or NULL */
  gboolean   clock_behind; /* now is earlier than newest: the clock cannot be trusted */
  gboolean   deleted;      /* the due leads were deleted */
  FlRetentionFlags flags;
} FlRetention;

GPtrArray *fl_privacy_find_leads     (FlStore     *store,
                                      const char  *email,
                                      const char  *uuid,
                                      GError     **error);
JsonNode  *fl_privacy_export_person  (FlStore     *store,
                                      GPtrArray   *uuids,
                                      GError     **error);
gboolean   fl_privacy_erase_lead     (FlStore     *store,
                                      const char  *uuid,
                                      const char  *actor,
                                      GError     **error);
gboolean   fl_privacy_discard_lead   (FlStore     *store,
                                      const char  *uuid,
                                      const char  *actor,
                                      GError     **error);
gboolean   fl_privacy_scrub_files    (FlStore     *store,
                                      GError     **error);
gboolean   fl_privacy_record_export  (FlStore     *store,
                                      GPtrArray   *leads,
                                      const char  *actor,
                                      GError     **error);
gboolean   fl_privacy_record_export_uuids (FlStore     *store,
                                           GPtrArray   *uuids,
                                           const char  *actor,
                                           GError     **error);

/* An export of every lead of the active event, as it began. */
typedef struct _FlExportMark FlExportMark;

FlExportMark *fl_privacy_export_mark_new   (FlStore       *store,
                                            GError       **error);
gboolean      fl_privacy_record_export_mark (FlStore      *store,
                                            FlExportMark  *mark,
                                            guint          n_leads,
                                            const char    *format,
                                            const char    *actor,
                                            GError       **error);
void          fl_export_mark_free          (FlExportMark  *mark);

FlRetention *fl_privacy_apply_retention (FlStore          *store,
                                         GDateTime        *now,
                                         FlRetentionFlags  flags,
                                         const char       *actor,
                                         GError          **error);
char        *fl_retention_describe      (const FlRetention *retention);
void         fl_retention_free          (FlRetention      *retention);

void       fl_privacy_protect_process (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRetention, fl_retention_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlExportMark, fl_export_mark_free)

G_END_DECLS
