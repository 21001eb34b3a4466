/* fl-card-fields.h: contact fields from the text lines of a business card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fl-card-result.h"

G_BEGIN_DECLS

/* One recognised line, top to bottom. */
typedef struct
{
  const char *text;
  double      confidence;  /* Tesseract's, 0..1; 1 for typed text */
  int         height;      /* of the line in pixels; 0 when unknown */
} FlCardLine;

void          fl_card_fields_extract    (FlCardResult      *result,
                                         const FlCardLine  *lines,
                                         guint              n_lines);
FlCardResult *fl_card_fields_from_text  (const char        *text);

G_END_DECLS
