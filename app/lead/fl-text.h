/* fl-text.h: text from scanners and spreadsheets, made clean UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char     *fl_text_to_utf8           (const char  *data,
                                     gssize       length);
char     *fl_text_decode_charset    (const char  *data,
                                     gsize        length,
                                     const char  *charset);
char     *fl_text_one_line          (const char  *text);
char     *fl_text_normalize         (const char  *text);
char     *fl_text_normalize_company (const char  *text);
gboolean  fl_text_is_email          (const char  *text);
char     *fl_text_clean_email       (const char  *text);
void      fl_text_split_name        (const char  *full_name,
                                     char       **first_name,
                                     char       **last_name);

G_END_DECLS
