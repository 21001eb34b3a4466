/* fl-uploader.h: sends what the outbox holds, batch by batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "store/fl-store.h"
#include "sync/fl-connector.h"
#include "sync/fl-outbox.h"

G_BEGIN_DECLS

/* What became of one lead in a run. */
typedef struct
{
  const char   *connector;
  const char   *lead_uuid;
  const char   *lead_name;     /* (nullable) */
  FlItemResult  result;        /* DONE, FAILED or RETRY */
  const char   *message;       /* (nullable) why it failed or waits */
  gint64        next_attempt;  /* for RETRY: µs since the epoch */
} FlUploadOutcome;

typedef struct
{
  guint       delivered;
  guint       failed;
  guint       retried;
  guint       recovered;       /* rows a killed run had left in flight */
  guint       withheld;        /* not sent: consent withdrawn after they were queued */
  gint64      pending;         /* after the run */
  gint64      next_attempt;    /* µs since the epoch, 0 when nothing waits */
  GHashTable *stopped;         /* connector name → why it stopped (credential, TLS…) */
} FlUploadSummary;

void fl_upload_summary_clear (FlUploadSummary *summary);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FlUploadSummary, fl_upload_summary_clear)

typedef void (*FlUploadOutcomeFunc)  (const FlUploadOutcome *outcome,
                                      gpointer               user_data);
typedef void (*FlUploadProgressFunc) (guint                  done,
                                      guint                  total,
                                      gint64                 waiting_until,
                                      gpointer               user_data);

#define FL_TYPE_UPLOADER (fl_uploader_get_type ())

G_DECLARE_FINAL_TYPE (FlUploader, fl_uploader, FL, UPLOADER, GObject)

FlUploader *fl_uploader_new            (FlStore              *store);
FlOutbox   *fl_uploader_get_outbox     (FlUploader           *self);
void        fl_uploader_set_callbacks  (FlUploader           *self,
                                        FlUploadOutcomeFunc   outcome_func,
                                        FlUploadProgressFunc  progress_func,
                                        gpointer              user_data);
gboolean    fl_uploader_lock           (FlUploader           *self,
                                        GError              **error);
gboolean    fl_uploader_lock_wait      (FlUploader           *self,
                                        guint                 timeout_ms,
                                        GCancellable         *cancellable,
                                        GError              **error);
gboolean    fl_uploader_run            (FlUploader           *self,
                                        const char           *connector,
                                        gint64                max_wait,
                                        GCancellable         *cancellable,
                                        FlUploadSummary      *summary,
                                        GError              **error);
void        fl_uploader_unblock        (FlUploader           *self);
gint64      fl_uploader_backoff        (int                   attempts);

G_END_DECLS
