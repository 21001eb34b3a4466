/* fl-card-result.h: what was read from a business card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lead/fl-lead.h"

G_BEGIN_DECLS

/* Where a field on a card was read (fl_card_result_get_field_source()). */
#define FL_CARD_FROM_CODE  "card-qr"
#define FL_CARD_FROM_PRINT "card-ocr"
#define FL_CARD_FROM_GUESS "guess"

#define FL_TYPE_CARD_RESULT (fl_card_result_get_type ())

G_DECLARE_FINAL_TYPE (FlCardResult, fl_card_result, FL, CARD_RESULT, GObject)

FlCardResult       *fl_card_result_new              (void);

FlLead             *fl_card_result_get_lead         (FlCardResult  *self);
const char * const *fl_card_result_get_lines        (FlCardResult  *self);
const char         *fl_card_result_get_code         (FlCardResult  *self);
const char         *fl_card_result_get_fax          (FlCardResult  *self);
double              fl_card_result_get_confidence   (FlCardResult  *self,
                                                     const char    *key);
JsonNode           *fl_card_result_get_confidences  (FlCardResult  *self);
guint               fl_card_result_get_n_found      (FlCardResult  *self);
double              fl_card_result_get_prepare_ms   (FlCardResult  *self);
double              fl_card_result_get_recognize_ms (FlCardResult  *self);
double              fl_card_result_get_skew         (FlCardResult  *self);

void                fl_card_result_set_field        (FlCardResult  *self,
                                                     FlField        field,
                                                     const char    *value,
                                                     double         confidence);
void                fl_card_result_set_field_from   (FlCardResult  *self,
                                                     FlField        field,
                                                     const char    *value,
                                                     double         confidence,
                                                     const char    *from);
const char         *fl_card_result_get_field_source (FlCardResult  *self,
                                                     const char    *key);
void                fl_card_result_set_fax          (FlCardResult  *self,
                                                     const char    *fax,
                                                     double         confidence);
void                fl_card_result_set_note         (FlCardResult  *self,
                                                     const char    *note,
                                                     double         confidence,
                                                     const char    *from);
void                fl_card_result_set_card_image   (FlCardResult  *self,
                                                     GBytes        *pixels,
                                                     guint          width,
                                                     guint          height,
                                                     gsize          stride);
GBytes             *fl_card_result_get_card_image   (FlCardResult  *self,
                                                     guint         *width,
                                                     guint         *height,
                                                     gsize         *stride);
void                fl_card_result_set_card_color   (FlCardResult  *self,
                                                     GBytes        *pixels,
                                                     guint          width,
                                                     guint          height,
                                                     gsize          stride);
GBytes             *fl_card_result_get_card_color   (FlCardResult  *self,
                                                     guint         *width,
                                                     guint         *height,
                                                     gsize         *stride);
void                fl_card_result_set_lines        (FlCardResult  *self,
                                                     const char * const *lines);
void                fl_card_result_set_code         (FlCardResult  *self,
                                                     const char    *code);
void                fl_card_result_set_timing       (FlCardResult  *self,
                                                     double         prepare_ms,
                                                     double         recognize_ms,
                                                     double         skew_degrees);

JsonNode           *fl_card_result_to_json          (FlCardResult  *self);
char               *fl_card_result_to_json_string   (FlCardResult  *self,
                                                     gboolean       pretty);

G_END_DECLS
