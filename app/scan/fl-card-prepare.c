/* fl-card-prepare.c: a photo of a business card made ready for OCR
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "fl-card-prepare.h"

/* Anything larger is not a photo of a card but an attack on memory. */
#define MAX_SIDE 16384
#define MAX_PIXELS (60 * 1000 * 1000)

/* Larger photos are reduced first: more pixels only cost time. */
#define WORK_SIDE 3000

/* Median glyph height (pixels) under which text is enlarged, and the height
 * it is enlarged to; Tesseract's LSTM models read best with capitals of
 * 20–30 pixels. */
#define SMALL_TEXT 17
#define TARGET_TEXT 24
#define MAX_UPSCALE 4.0

/* Leptonica's own score a skew angle needs before we rotate by it. */
#define MIN_SKEW_CONFIDENCE 2.0
#define MIN_SKEW_DEGREES 0.2

G_DEFINE_QUARK (fl-card-error-quark, fl_card_error)

static void
boxa_free (BOXA *boxes)
{
  boxaDestroy (&boxes);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOXA, boxa_free)

static void
lept_message_cb (const char *message)
{
  /* Leptonica reports to stderr by default; a kiosk has no terminal and
   * our callers get a GError, so keep its chatter for debugging only. */
  g_debug ("leptonica: %s", message);
}

static void
ensure_leptonica_quiet (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      leptSetStderrHandler (lept_message_cb);
      g_once_init_leave (&done, 1);
    }
}

/* Any depth, colormap or alpha → 8 bpp grey; transparent parts become white
 * (a card cut out on a transparent background). */
static PIX *
to_grey (PIX *pix)
{
  g_autoptr(PIX) opaque = NULL;

  if (pixGetDepth (pix) == 32 && pixGetSpp (pix) == 4)
    {
      opaque = pixAlphaBlendUniform (pix, 0xffffff00);
      if (opaque != NULL)
        pix = opaque;
    }
  if (pixGetDepth (pix) == 8 && pixGetColormap (pix) == NULL)
    return pixClone (pix);
  return pixConvertTo8 (pix, FALSE);
}

/**
 * fl_card_pix_new_from_data:
 * @data: the bytes of an image file (PNG, JPEG, TIFF, BMP, PNM…)
 *
 * Returns: (transfer full): the image in 8 bpp grey, or %NULL with
 *   %FL_CARD_ERROR_NOT_IMAGE or %FL_CARD_ERROR_INVALID
 */
PIX *
fl_card_pix_new_from_data (GBytes *data, GError **error)
{
  g_autoptr(PIX) pix = NULL;
  const guint8 *bytes;
  gsize size;
  l_int32 format, width, height, bps, spp, iscmap;

  g_return_val_if_fail (data != NULL, NULL);

  ensure_leptonica_quiet ();
  bytes = g_bytes_get_data (data, &size);
  if (size == 0 ||
      pixReadHeaderMem (bytes, size, &format, &width, &height, &bps, &spp, &iscmap) != 0)
    {
      g_set_error_literal (error, FL_CARD_ERROR, FL_CARD_ERROR_NOT_IMAGE,
                           _("This is not an image Fairlead can read; use a PNG or JPEG photo"));
      return NULL;
    }
  if (width <= 0 || height <= 0 || width > MAX_SIDE || height > MAX_SIDE ||
      (gint64) width * height > MAX_PIXELS)
    {
      g_set_error (error, FL_CARD_ERROR, FL_CARD_ERROR_INVALID,
                   _("The image is %d × %d pixels, too large for a business card; use a photo of at most 60 megapixels"),
                   width, height);
      return NULL;
    }
  pix = pixReadMem (bytes, size);
  if (pix == NULL)
    {
      g_set_error_literal (error, FL_CARD_ERROR, FL_CARD_ERROR_NOT_IMAGE,
                           _("The image is damaged or cut short; take the photo again"));
      return NULL;
    }
  return to_grey (pix);
}

/**
 * fl_card_pix_new_from_pixels:
 * @pixels: @height rows of @stride bytes
 *
 * Copies a camera frame or any pixel buffer into an 8 bpp grey image;
 * transparent pixels become white.
 *
 * Returns: (transfer full): the grey image, or %NULL with %FL_CARD_ERROR_INVALID
 */
PIX *
fl_card_pix_new_from_pixels (const guint8 *pixels, guint width, guint height, gsize stride,
                             FlCardPixelFormat format, GError **error)
{
  guint bytes_per_pixel = format == FL_CARD_PIXELS_RGBA8 ? 4 : 1;
  l_uint32 *data;
  l_int32 wpl;
  PIX *pix;

  if (pixels == NULL || width == 0 || height == 0 || width > MAX_SIDE || height > MAX_SIDE ||
      (gint64) width * height > MAX_PIXELS || stride < (gsize) width * bytes_per_pixel)
    {
      g_set_error (error, FL_CARD_ERROR, FL_CARD_ERROR_INVALID,
                   _("The picture is not usable (%u × %u pixels, %zu bytes a row); take it again"),
                   width, height, stride);
      return NULL;
    }

  ensure_leptonica_quiet ();
  pix = pixCreate ((l_int32) width, (l_int32) height, 8);
  data = pixGetData (pix);
  wpl = pixGetWpl (pix);
  for (guint y = 0; y < height; y++)
    {
      const guint8 *row = pixels + y * stride;
      l_uint32 *line = data + (gsize) y * wpl;

      for (guint x = 0; x < width; x++)
        {
          guint value;

          if (format == FL_CARD_PIXELS_RGBA8)
            {
              const guint8 *p = row + 4 * x;
              guint luma = (299 * p[0] + 587 * p[1] + 114 * p[2] + 500) / 1000;

              value = (luma * p[3] + 255 * (255 - p[3]) + 127) / 255;
            }
          else
            value = row[x];
          SET_DATA_BYTE (line, x, value);
        }
    }
  return pix;
}

/**
 * fl_card_pix_to_grey:
 * @grey: an 8 bpp image
 * @stride: (out): bytes per row of the result
 *
 * Returns: (transfer full): the pixels, one byte each, for a barcode decoder
 */
guint8 *
fl_card_pix_to_grey (PIX *grey, gsize *stride)
{
  l_int32 width = pixGetWidth (grey), height = pixGetHeight (grey), wpl = pixGetWpl (grey);
  l_uint32 *data = pixGetData (grey);
  guint8 *pixels;

  g_return_val_if_fail (pixGetDepth (grey) == 8, NULL);

  pixels = g_malloc ((gsize) width * height);
  for (l_int32 y = 0; y < height; y++)
    for (l_int32 x = 0; x < width; x++)
      pixels[(gsize) y * width + x] = GET_DATA_BYTE (data + (gsize) y * wpl, x);
  *stride = width;
  return pixels;
}

static int
compare_int (gconstpointer a, gconstpointer b)
{
  return *(const int *) a - *(const int *) b;
}

static PIX *
binarize (PIX *grey, int half_window)
{
  PIX *binary = NULL;
  l_int32 width = pixGetWidth (grey), height = pixGetHeight (grey);

  /* Sauvola's window must fit in the image. */
  half_window = MIN (half_window, (MIN (width, height) - 3) / 2);
  if (half_window < 2 ||
      pixSauvolaBinarizeTiled (grey, half_window, 0.34f, 1, 1, NULL, &binary) != 0)
    return NULL;
  return binary;
}

/* The median height of the glyph-sized dark components: the size of the
 * text, whatever the resolution of the photo. Sauvola leaves plain areas
 * white, so neither the card's background nor a table around it counts. */
static int
measure_text_height (PIX *binary)
{
  g_autoptr(BOXA) boxes = NULL;
  g_autoptr(GArray) heights = NULL;
  l_int32 width = pixGetWidth (binary), height = pixGetHeight (binary);
  l_int32 n;

  boxes = pixConnCompBB (binary, 8);
  if (boxes == NULL)
    return 0;
  n = boxaGetCount (boxes);
  heights = g_array_sized_new (FALSE, FALSE, sizeof (int), n);
  for (l_int32 i = 0; i < n; i++)
    {
      l_int32 bx, by, bw, bh;

      boxaGetBoxGeometry (boxes, i, &bx, &by, &bw, &bh);
      /* Specks of noise, rules, frames and logos are not glyphs. */
      if (bh < 4 || bw * bh < 12 || bh > height / 5 || bw > width / 5 || bw > 3 * bh)
        continue;
      g_array_append_val (heights, bh);
    }
  if (heights->len < 8)
    return 0;
  g_array_sort (heights, compare_int);
  return g_array_index (heights, int, heights->len / 2);
}

/**
 * fl_card_prepare:
 * @grey: an 8 bpp image of a card
 * @steps: which of the optional steps to run
 * @info: (out) (optional): what was found and done
 *
 * Returns: (transfer full): the image to give Tesseract: 8 bpp, or 1 bpp
 *   with %FL_CARD_PREPARE_THRESHOLD
 */
PIX *
fl_card_prepare (PIX *grey, FlCardPrepareSteps steps, FlCardPrepareInfo *info)
{
  g_autoptr(PIX) pix = NULL;
  g_autoptr(PIX) binary = NULL;
  FlCardPrepareInfo found = { 0, 1.0, 0.0, 0.0 };
  l_int32 width, height;

  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, NULL);

  ensure_leptonica_quiet ();
  width = pixGetWidth (grey);
  height = pixGetHeight (grey);
  if (MAX (width, height) > WORK_SIDE)
    {
      found.scale = (double) WORK_SIDE / MAX (width, height);
      pix = pixScaleAreaMap (grey, (l_float32) found.scale, (l_float32) found.scale);
    }
  else
    pix = pixClone (grey);

  binary = binarize (pix, 15);
  if (binary != NULL)
    found.text_height = measure_text_height (binary);

  if ((steps & FL_CARD_PREPARE_UPSCALE) && found.text_height > 0 &&
      found.text_height < SMALL_TEXT)
    {
      double factor = MIN (MAX_UPSCALE, (double) TARGET_TEXT / found.text_height);
      PIX *larger = pixScaleGrayLI (pix, (l_float32) factor, (l_float32) factor);

      if (larger != NULL)
        {
          pixDestroy (&pix);
          pix = larger;
          found.scale *= factor;
          g_clear_pointer (&binary, fl_card_pix_free);
        }
    }

  if (steps & FL_CARD_PREPARE_NORMALIZE)
    {
      /* Tiles of a few lines of text: the stretch follows uneven light but
       * leaves plain areas (less than 30 levels of difference) alone. */
      l_int32 tile = MAX (20, (int) (3 * MAX (found.text_height, 10) * found.scale));
      PIX *normalized;

      tile = MIN (tile, MIN (pixGetWidth (pix), pixGetHeight (pix)) / 2);
      normalized = tile >= 5 ? pixContrastNorm (NULL, pix, tile, tile, 30, 1, 1) : NULL;
      if (normalized != NULL)
        {
          pixDestroy (&pix);
          pix = normalized;
          g_clear_pointer (&binary, fl_card_pix_free);
        }
    }

  if (steps & FL_CARD_PREPARE_DESKEW)
    {
      l_float32 angle = 0, confidence = 0;

      if (binary == NULL)
        binary = binarize (pix, MAX (15, (int) (found.text_height * found.scale)));
      if (binary != NULL &&
          pixFindSkewSweepAndSearch (binary, &angle, &confidence, 2, 1, 15.0f, 1.0f, 0.01f) == 0 &&
          confidence >= MIN_SKEW_CONFIDENCE && fabsf (angle) >= MIN_SKEW_DEGREES)
        {
          PIX *straight = pixRotate (pix, angle * (l_float32) (G_PI / 180.0), L_ROTATE_AREA_MAP,
                                     L_BRING_IN_WHITE, 0, 0);

          if (straight != NULL)
            {
              pixDestroy (&pix);
              pix = straight;
              found.skew_degrees = angle;
              g_clear_pointer (&binary, fl_card_pix_free);
            }
        }
      found.skew_confidence = confidence;
    }

  if (steps & FL_CARD_PREPARE_THRESHOLD)
    {
      PIX *thresholded = binarize (pix, MAX (15, (int) (2 * found.text_height * found.scale)));

      if (thresholded != NULL)
        {
          pixDestroy (&pix);
          pix = thresholded;
        }
    }

  if (info != NULL)
    *info = found;
  return g_steal_pointer (&pix);
}
