/* fl-card-reader.h: business cards without a QR code, read on the device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-card-prepare.h"
#include "fl-card-result.h"
#include "fl-decoder.h"

G_BEGIN_DECLS

/**
 * FlCardDecodeFunc:
 * @grey: the card in 8 bpp grey, @height rows of @stride bytes
 *
 * Looks for a QR code or barcode before any OCR; it runs on the reader's
 * worker thread, one call at a time.
 *
 * Returns: (transfer full) (nullable): the payload of the code found, or
 *   %NULL to go on with OCR
 */
typedef char *(*FlCardDecodeFunc) (const guint8 *grey,
                                   guint         width,
                                   guint         height,
                                   gsize         stride,
                                   gpointer      user_data);

#define FL_TYPE_CARD_READER (fl_card_reader_get_type ())

G_DECLARE_FINAL_TYPE (FlCardReader, fl_card_reader, FL, CARD_READER, GObject)

FlCardReader       *fl_card_reader_new               (void);

const char         *fl_card_reader_get_languages     (FlCardReader        *self);
FlCardPrepareSteps  fl_card_reader_get_steps         (FlCardReader        *self);
void                fl_card_reader_set_steps         (FlCardReader        *self,
                                                      FlCardPrepareSteps   steps);
void                fl_card_reader_set_decode_func   (FlCardReader        *self,
                                                      FlCardDecodeFunc     func,
                                                      gpointer             user_data,
                                                      GDestroyNotify       destroy);

void                fl_card_reader_decode_codes_first (FlCardReader      *self);
void                fl_card_reader_decode_codes_with (FlCardReader        *self,
                                                      FlDecoder           *decoder);

gboolean            fl_card_reader_load              (FlCardReader        *self,
                                                      GError             **error);
FlCardResult       *fl_card_reader_read_file         (FlCardReader        *self,
                                                      const char          *path,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
FlCardResult       *fl_card_reader_read_pixels       (FlCardReader        *self,
                                                      GBytes              *pixels,
                                                      guint                width,
                                                      guint                height,
                                                      gsize                stride,
                                                      FlCardPixelFormat    format,
                                                      GCancellable        *cancellable,
                                                      GError             **error);
FlCardResult       *fl_card_reader_read_pix          (FlCardReader        *self,
                                                      PIX                 *grey,
                                                      GCancellable        *cancellable,
                                                      GError             **error);

void                fl_card_reader_read_file_async   (FlCardReader        *self,
                                                      const char          *path,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
void                fl_card_reader_read_pixels_async (FlCardReader        *self,
                                                      GBytes              *pixels,
                                                      guint                width,
                                                      guint                height,
                                                      gsize                stride,
                                                      FlCardPixelFormat    format,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
FlCardResult       *fl_card_reader_read_finish       (FlCardReader        *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

G_END_DECLS
