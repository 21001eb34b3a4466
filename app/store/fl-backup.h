/* fl-backup.h: consistent copies of a database, taken while it is in use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  int    schema_version;
  gint64 n_events;
  gint64 n_leads;
} FlBackupInfo;

gboolean fl_backup_create (const char    *db_path,
                           const char    *dest_path,
                           FlBackupInfo  *info,
                           GError       **error);
gboolean fl_backup_verify (const char    *path,
                           FlBackupInfo  *info,
                           GError       **error);
char    *fl_backup_rolling (const char    *db_path,
                            const char    *folder,
                            guint          keep,
                            GError       **error);

void     fl_backup_rolling_async  (const char          *db_path,
                                   const char          *folder,
                                   guint                keep,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
char    *fl_backup_rolling_finish (GAsyncResult        *result,
                                   GError             **error);
char    *fl_backup_default_folder (void);

G_END_DECLS
