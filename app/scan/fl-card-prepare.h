/* fl-card-prepare.h: a photo of a business card made ready for OCR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

#define FL_CARD_ERROR (fl_card_error_quark ())

typedef enum
{
  FL_CARD_ERROR_READ,       /* the image file cannot be read */
  FL_CARD_ERROR_NOT_IMAGE,  /* the data is not a PNG, JPEG, TIFF, BMP or PNM image */
  FL_CARD_ERROR_INVALID,    /* a pixel buffer with impossible dimensions */
  FL_CARD_ERROR_ENGINE,     /* Tesseract or its language data cannot be loaded */
  FL_CARD_ERROR_RECOGNIZE,  /* Tesseract failed on this image */
} FlCardError;

/* The preparation steps after the conversion to grey, in the order they run.
 * Each can be switched off, so the benchmark measures what it is worth. */
typedef enum /*< flags >*/
{
  FL_CARD_PREPARE_NONE      = 0,
  FL_CARD_PREPARE_UPSCALE   = 1 << 0,  /* enlarge small text to a height Tesseract reads best */
  FL_CARD_PREPARE_NORMALIZE = 1 << 1,  /* local contrast normalisation */
  FL_CARD_PREPARE_DESKEW    = 1 << 2,  /* straighten text rotated up to ±15° */
  FL_CARD_PREPARE_THRESHOLD = 1 << 3,  /* adaptive (Sauvola) binarisation */
  FL_CARD_PREPARE_FIND_CARD = 1 << 4,  /* find the card in a photo, straighten and crop it (reader) */
  FL_CARD_PREPARE_ALL       = (1 << 5) - 1,
} FlCardPrepareSteps;

/* The steps the reader uses unless told otherwise: the ones that paid off
 * on the test set (see tests/bench/bench-ocr.c and README.md). */
#define FL_CARD_PREPARE_DEFAULT (FL_CARD_PREPARE_FIND_CARD | FL_CARD_PREPARE_UPSCALE | \
                                 FL_CARD_PREPARE_DESKEW)

typedef enum
{
  FL_CARD_PIXELS_GREY8,  /* one byte per pixel, 0 black … 255 white */
  FL_CARD_PIXELS_RGBA8,  /* four bytes per pixel, R G B A, alpha not premultiplied */
} FlCardPixelFormat;

/* What preparation found and did. */
typedef struct
{
  int    text_height;      /* median glyph height before scaling, pixels; 0 if unknown */
  double scale;            /* the factor applied (1 when not resized) */
  double skew_degrees;     /* the rotation corrected, counter-clockwise positive */
  double skew_confidence;  /* Leptonica's confidence in that angle; 0 when not measured */
} FlCardPrepareInfo;

GQuark    fl_card_error_quark         (void);

static inline void
fl_card_pix_free (PIX *pix)
{
  pixDestroy (&pix);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, fl_card_pix_free)

PIX      *fl_card_pix_new_from_data   (GBytes              *data,
                                       GError             **error);
PIX      *fl_card_pix_new_from_pixels (const guint8        *pixels,
                                       guint                width,
                                       guint                height,
                                       gsize                stride,
                                       FlCardPixelFormat    format,
                                       GError             **error);
PIX      *fl_card_prepare             (PIX                 *grey,
                                       FlCardPrepareSteps   steps,
                                       FlCardPrepareInfo   *info);
guint8   *fl_card_pix_to_grey         (PIX                 *grey,
                                       gsize               *stride);

G_END_DECLS
