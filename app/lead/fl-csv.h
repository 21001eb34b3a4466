/* fl-csv.h: spreadsheets exported as CSV, as organisers send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FL_CSV_ERROR (fl_csv_error_quark ())

typedef enum
{
  FL_CSV_ERROR_UNTERMINATED_QUOTE,  /* a quoted field runs to the end of the file */
} FlCsvError;

typedef struct _FlCsvReader FlCsvReader;

GQuark       fl_csv_error_quark          (void);

FlCsvReader *fl_csv_reader_new           (const char   *data,
                                          gssize        length,
                                          char          delimiter);
char         fl_csv_reader_get_delimiter (FlCsvReader  *self);
GPtrArray   *fl_csv_reader_next          (FlCsvReader  *self,
                                          guint        *line,
                                          GError      **error);
void         fl_csv_reader_free          (FlCsvReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCsvReader, fl_csv_reader_free)

G_END_DECLS
