/* fl-scan.h: what the scanning module shares: errors, symbologies, pixel buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_SCAN_ERROR (fl_scan_error_quark ())

typedef enum
{
  FL_SCAN_ERROR_READ,       /* an image file cannot be read */
  FL_SCAN_ERROR_NOT_IMAGE,  /* a file is not a PNG or JPEG image */
  FL_SCAN_ERROR_WRITE,      /* an output file cannot be written */
  FL_SCAN_ERROR_TOO_LONG,   /* the text does not fit in a QR code */
  FL_SCAN_ERROR_INVALID,    /* bad arguments: empty text, zero size… */
  FL_SCAN_ERROR_SOURCE,     /* a camera source description is not valid */
  FL_SCAN_ERROR_NO_CAMERA,  /* there is no camera, or access was refused */
  FL_SCAN_ERROR_CAMERA,     /* the camera pipeline failed */
} FlScanError;

/* The barcode families Fairlead reads; a set of them configures a decoder. */
typedef enum /*< flags >*/
{
  FL_SYMBOLOGY_NONE    = 0,
  FL_SYMBOLOGY_QR      = 1 << 0,
  FL_SYMBOLOGY_CODE128 = 1 << 1,
  FL_SYMBOLOGY_CODE39  = 1 << 2,
  FL_SYMBOLOGY_EAN_UPC = 1 << 3,  /* EAN-13, EAN-8, UPC-A, UPC-E */
  FL_SYMBOLOGY_I25     = 1 << 4,  /* Interleaved 2 of 5 */
  FL_SYMBOLOGY_DATABAR = 1 << 5,  /* GS1 DataBar and DataBar Expanded */
  FL_SYMBOLOGY_ALL     = (1 << 6) - 1,
} FlSymbology;

typedef enum
{
  FL_PIXEL_FORMAT_GREY8,  /* one byte per pixel, 0 black … 255 white */
  FL_PIXEL_FORMAT_RGBA8,  /* four bytes per pixel, R G B A, alpha not premultiplied */
} FlPixelFormat;

/* A plain pixel buffer: what crosses into the UI (camera preview, QR codes),
 * turned into a GdkTexture there. Rows are @stride bytes apart. */
typedef struct
{
  GBytes        *pixels;
  guint          width;
  guint          height;
  gsize          stride;
  FlPixelFormat  format;
} FlFrame;

#define FL_TYPE_SYMBOLOGY (fl_symbology_get_type ())
#define FL_TYPE_FRAME     (fl_frame_get_type ())

GQuark       fl_scan_error_quark        (void);
GType        fl_symbology_get_type      (void) G_GNUC_CONST;
GType        fl_frame_get_type          (void) G_GNUC_CONST;

const char  *fl_symbology_to_string     (FlSymbology    symbology);
gboolean     fl_symbology_parse_list    (const char    *list,
                                         FlSymbology   *symbologies,
                                         GError       **error);

FlFrame     *fl_frame_new               (GBytes        *pixels,
                                         guint          width,
                                         guint          height,
                                         gsize          stride,
                                         FlPixelFormat  format);
FlFrame     *fl_frame_copy              (const FlFrame *frame);
void         fl_frame_free              (FlFrame       *frame);
FlFrame     *fl_frame_new_from_file     (const char    *path,
                                         FlPixelFormat  format,
                                         GError       **error);
FlFrame     *fl_frame_to_grey           (const FlFrame *frame);
gboolean     fl_frame_save_png          (const FlFrame *frame,
                                         const char    *path,
                                         GError       **error);

char        *fl_scan_text_from_bytes    (const guint8  *data,
                                         gsize          length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlFrame, fl_frame_free)

G_END_DECLS
