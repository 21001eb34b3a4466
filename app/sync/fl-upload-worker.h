/* fl-upload-worker.h: uploads in the background while the kiosk captures
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_TYPE_UPLOAD_WORKER (fl_upload_worker_get_type ())

G_DECLARE_FINAL_TYPE (FlUploadWorker, fl_upload_worker, FL, UPLOAD_WORKER, GObject)

FlUploadWorker *fl_upload_worker_new              (const char     *db_path);

gint64          fl_upload_worker_get_pending      (FlUploadWorker *self);
gint64          fl_upload_worker_get_failed       (FlUploadWorker *self);
gint64          fl_upload_worker_get_last_success (FlUploadWorker *self);
const char     *fl_upload_worker_get_last_error   (FlUploadWorker *self);
gint64          fl_upload_worker_get_connectors   (FlUploadWorker *self);
gint64          fl_upload_worker_get_undelivered  (FlUploadWorker *self);
gboolean        fl_upload_worker_get_online       (FlUploadWorker *self);
gboolean        fl_upload_worker_get_busy         (FlUploadWorker *self);
guint           fl_upload_worker_get_interval     (FlUploadWorker *self);
void            fl_upload_worker_set_interval     (FlUploadWorker *self,
                                                   guint           seconds);

void            fl_upload_worker_start            (FlUploadWorker *self);
void            fl_upload_worker_stop             (FlUploadWorker *self);
void            fl_upload_worker_wake             (FlUploadWorker *self);
void            fl_upload_worker_retry_now        (FlUploadWorker *self);

G_END_DECLS
