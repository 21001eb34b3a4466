/* fl-doctor.h: finding damage in a database and saving what can be read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean   sound;
  GPtrArray *damaged;  /* (element-type utf8): one sentence a damaged object */
  GPtrArray *raw;      /* (element-type utf8): SQLite's own lines */
} FlDoctorReport;

typedef struct
{
  char   *table;
  gint64  recovered;
  gint64  total;       /* -1 when the damaged file cannot tell */
} FlDoctorTableCount;

void            fl_doctor_report_free (FlDoctorReport *report);
FlDoctorReport *fl_doctor_check       (const char     *path,
                                       gboolean        quick,
                                       GError        **error);
void            fl_doctor_check_async (const char     *path,
                                       gboolean        quick,
                                       GCancellable   *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer        user_data);
FlDoctorReport *fl_doctor_check_finish (GAsyncResult  *result,
                                       GError        **error);
GArray         *fl_doctor_recover     (const char     *path,
                                       const char     *out_path,
                                       GError        **error);
char           *fl_doctor_get_mark    (const char     *path);
void            fl_doctor_table_count_clear (FlDoctorTableCount *count);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlDoctorReport, fl_doctor_report_free)

G_END_DECLS
