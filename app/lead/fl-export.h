/* fl-export.h: leads as CSV (RFC 4180) and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-lead.h"

G_BEGIN_DECLS

void      fl_csv_append_cell     (GString            *out,
                                  const char         *value);
void      fl_csv_append_row      (GString            *out,
                                  const char * const *cells,
                                  guint               n_cells);
void      fl_export_csv_header   (GString            *out);
void      fl_export_csv_lead     (GString            *out,
                                  FlLead             *lead);
char     *fl_export_csv          (GPtrArray          *leads);
char     *fl_export_json         (GPtrArray          *leads);
gboolean  fl_export_write_file   (const char         *path,
                                  const char         *contents,
                                  GError            **error);

G_END_DECLS
