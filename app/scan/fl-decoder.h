/* fl-decoder.h: barcodes and QR codes from grey images, with ZBar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-scan.h"

G_BEGIN_DECLS

/* The passes a decoder makes over an image, once a quick look
 * (fl_code_hint_present()) has seen anything like a code in it. The direct
 * pass then always runs; the others run, in this order, only while nothing
 * has been found and the budget (fl_decoder_set_budget()) lasts — except
 * that on images of 800×600 pixels and more the half-size pass runs first,
 * as the quickest way to find a code held up to a camera. */
typedef enum /*< flags >*/
{
  FL_DECODE_PASS_DIRECT    = 1 << 0,
  FL_DECODE_PASS_STRETCH   = 1 << 1,  /* contrast stretched: dim photos, faint print */
  FL_DECODE_PASS_INVERT    = 1 << 2,  /* light code on a dark badge */
  FL_DECODE_PASS_DOWNSCALE = 1 << 3,  /* half size: blur, halftone, sensor noise */
  FL_DECODE_PASS_UPSCALE   = 1 << 4,  /* double size: a small code in a large frame */
  FL_DECODE_PASS_SHARPEN   = 1 << 5,  /* unsharp mask: a dense code slightly out of focus */
  FL_DECODE_PASS_BINARIZE  = 1 << 6,  /* sharpened, then thresholded by the local mean */
  FL_DECODE_PASS_ALL       = (1 << 7) - 1,
} FlDecodePass;

/* Monotonic time in µs, for the passes' budget. */
typedef gint64 (*FlDecoderClock) (gpointer data);

typedef struct
{
  int x;
  int y;
} FlPoint;

/* One symbol found in an image. Coordinates are those of the image given
 * to the decoder, whatever pass found the symbol. */
typedef struct
{
  FlSymbology   symbology;
  char         *type_name;  /* the exact type: "qr", "ean13", "upca", "databar-expanded"… */
  char         *data;       /* the payload as UTF-8 text */
  GBytes       *raw;        /* the payload's bytes as encoded */
  FlPoint      *points;     /* the outline ZBar reports */
  guint         n_points;
  int           x;          /* bounding box of the points */
  int           y;
  int           width;
  int           height;
  FlDecodePass  pass;       /* the pass that found it */
} FlSymbol;

#define FL_TYPE_DECODE_PASS (fl_decode_pass_get_type ())
#define FL_TYPE_SYMBOL      (fl_symbol_get_type ())
#define FL_TYPE_DECODER     (fl_decoder_get_type ())

G_DECLARE_FINAL_TYPE (FlDecoder, fl_decoder, FL, DECODER, GObject)

GType          fl_decode_pass_get_type      (void) G_GNUC_CONST;
GType          fl_symbol_get_type           (void) G_GNUC_CONST;

FlSymbol      *fl_symbol_copy               (const FlSymbol *symbol);
void           fl_symbol_free               (FlSymbol       *symbol);

FlDecoder     *fl_decoder_new               (void);

FlSymbology    fl_decoder_get_symbologies   (FlDecoder      *self);
FlDecodePass   fl_decoder_get_passes        (FlDecoder      *self);
guint          fl_decoder_get_density       (FlDecoder      *self);
void           fl_decoder_set_symbologies   (FlDecoder      *self,
                                             FlSymbology     symbologies);
void           fl_decoder_set_passes        (FlDecoder      *self,
                                             FlDecodePass    passes);
void           fl_decoder_set_density       (FlDecoder      *self,
                                             guint           density);

GPtrArray     *fl_decoder_decode            (FlDecoder      *self,
                                             const guint8   *grey,
                                             guint           width,
                                             guint           height,
                                             gsize           stride);
GPtrArray     *fl_decoder_decode_frame      (FlDecoder      *self,
                                             const FlFrame  *frame);
GPtrArray     *fl_decoder_decode_file       (FlDecoder      *self,
                                             const char     *path,
                                             GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlSymbol, fl_symbol_free)

void         fl_decoder_set_budget      (FlDecoder     *self,
                                         guint          budget_ms);
void         fl_decoder_set_clock       (FlDecoder     *self,
                                         FlDecoderClock clock,
                                         gpointer       data);
void         fl_decoder_set_hint        (FlDecoder     *self,
                                         gboolean       hint);
void         fl_decoder_set_hint_bar_height (FlDecoder *self,
                                             guint      height);
guint        fl_decoder_get_hint_bar_height (FlDecoder *self);

G_END_DECLS
