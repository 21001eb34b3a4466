/* fl-scan.c: what the scanning module shares: errors, symbologies, pixel buffers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-scan"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-scan.h"

G_DEFINE_QUARK (fl-scan-error-quark, fl_scan_error)
G_DEFINE_BOXED_TYPE (FlFrame, fl_frame, fl_frame_copy, fl_frame_free)

static const GFlagsValue symbology_values[] = {
  { FL_SYMBOLOGY_QR, "FL_SYMBOLOGY_QR", "qr" },
  { FL_SYMBOLOGY_CODE128, "FL_SYMBOLOGY_CODE128", "code128" },
  { FL_SYMBOLOGY_CODE39, "FL_SYMBOLOGY_CODE39", "code39" },
  { FL_SYMBOLOGY_EAN_UPC, "FL_SYMBOLOGY_EAN_UPC", "ean-upc" },
  { FL_SYMBOLOGY_I25, "FL_SYMBOLOGY_I25", "i25" },
  { FL_SYMBOLOGY_DATABAR, "FL_SYMBOLOGY_DATABAR", "databar" },
  { 0, NULL, NULL },
};

/* Windows-1252 bytes 0x80–0x9F; the five bytes the code page leaves
 * undefined become U+FFFD rather than invisible C1 controls. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
  0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

GType
fl_symbology_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("FlSymbology", symbology_values));
  return type;
}

/**
 * fl_symbology_to_string:
 *
 * Returns: the stable name of one symbology ("qr", "code128", …), or %NULL
 *   for a value that is not a single symbology.
 */
const char *
fl_symbology_to_string (FlSymbology symbology)
{
  for (guint i = 0; symbology_values[i].value_nick != NULL; i++)
    if ((FlSymbology) symbology_values[i].value == symbology)
      return symbology_values[i].value_nick;
  return NULL;
}

/**
 * fl_symbology_parse_list:
 * @list: names separated by commas, such as "qr,code128", or "all"
 *
 * Parses a set of symbologies as a user writes it.
 */
gboolean
fl_symbology_parse_list (const char *list, FlSymbology *symbologies, GError **error)
{
  g_auto(GStrv) names = NULL;
  FlSymbology result = FL_SYMBOLOGY_NONE;

  g_return_val_if_fail (list != NULL, FALSE);
  g_return_val_if_fail (symbologies != NULL, FALSE);

  names = g_strsplit (list, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      const char *name = g_strstrip (names[i]);
      gboolean found = FALSE;

      if (*name == '\0')
        continue;
      if (g_ascii_strcasecmp (name, "all") == 0)
        {
          result |= FL_SYMBOLOGY_ALL;
          continue;
        }
      for (guint j = 0; symbology_values[j].value_nick != NULL; j++)
        if (g_ascii_strcasecmp (name, symbology_values[j].value_nick) == 0)
          {
            result |= symbology_values[j].value;
            found = TRUE;
          }
      if (!found)
        {
          g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                       _("Unknown barcode type “%s”; use qr, code128, code39, ean-upc, i25, "
                         "databar or all"),
                       name);
          return FALSE;
        }
    }
  if (result == FL_SYMBOLOGY_NONE)
    {
      g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                           _("No barcode type given; use qr, code128, code39, ean-upc, i25, "
                             "databar or all"));
      return FALSE;
    }
  *symbologies = result;
  return TRUE;
}

FlFrame *
fl_frame_new (GBytes *pixels, guint width, guint height, gsize stride, FlPixelFormat format)
{
  FlFrame *frame;
  guint bpp = format == FL_PIXEL_FORMAT_RGBA8 ? 4 : 1;

  g_return_val_if_fail (pixels != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= (gsize) width * bpp, NULL);
  g_return_val_if_fail (g_bytes_get_size (pixels) >= stride * (height - 1) + (gsize) width * bpp,
                        NULL);

  frame = g_new0 (FlFrame, 1);
  frame->pixels = g_bytes_ref (pixels);
  frame->width = width;
  frame->height = height;
  frame->stride = stride;
  frame->format = format;
  return frame;
}

FlFrame *
fl_frame_copy (const FlFrame *frame)
{
  g_return_val_if_fail (frame != NULL, NULL);

  return fl_frame_new (frame->pixels, frame->width, frame->height, frame->stride, frame->format);
}

void
fl_frame_free (FlFrame *frame)
{
  if (frame == NULL)
    return;
  g_bytes_unref (frame->pixels);
  g_free (frame);
}

static guint8
luminance (guint r, guint g, guint b)
{
  /* ITU-R BT.601 weights in fixed point. */
  return (guint8) ((r * 77 + g * 150 + b * 29 + 128) >> 8);
}

/* Converts to grey, compositing any transparency on white: a QR code saved
 * as black modules on a transparent background reads as printed. */
static FlFrame *
grey_from_pixbuf (GdkPixbuf *pixbuf)
{
  guint width = gdk_pixbuf_get_width (pixbuf);
  guint height = gdk_pixbuf_get_height (pixbuf);
  guint channels = gdk_pixbuf_get_n_channels (pixbuf);
  gboolean alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  gsize in_stride = gdk_pixbuf_get_rowstride (pixbuf);
  const guint8 *in = gdk_pixbuf_read_pixels (pixbuf);
  guint8 *out = g_malloc ((gsize) width * height);
  g_autoptr(GBytes) bytes = NULL;

  for (guint y = 0; y < height; y++)
    {
      const guint8 *p = in + y * in_stride;
      guint8 *q = out + (gsize) y * width;

      for (guint x = 0; x < width; x++, p += channels)
        {
          guint v = channels >= 3 ? luminance (p[0], p[1], p[2]) : p[0];

          if (alpha)
            {
              guint a = p[channels - 1];
              v = (v * a + 255 * (255 - a) + 127) / 255;
            }
          q[x] = (guint8) v;
        }
    }
  bytes = g_bytes_new_take (out, (gsize) width * height);
  return fl_frame_new (bytes, width, height, width, FL_PIXEL_FORMAT_GREY8);
}

static FlFrame *
rgba_from_pixbuf (GdkPixbuf *pixbuf)
{
  g_autoptr(GdkPixbuf) with_alpha = gdk_pixbuf_add_alpha (pixbuf, FALSE, 0, 0, 0);
  g_autoptr(GBytes) bytes = g_bytes_ref (gdk_pixbuf_read_pixel_bytes (with_alpha));

  return fl_frame_new (bytes, gdk_pixbuf_get_width (with_alpha),
                       gdk_pixbuf_get_height (with_alpha),
                       gdk_pixbuf_get_rowstride (with_alpha), FL_PIXEL_FORMAT_RGBA8);
}

/**
 * fl_frame_new_from_file:
 * @format: the pixel format wanted
 *
 * Loads a PNG or JPEG image (other formats gdk-pixbuf reads work too),
 * turned upright by its EXIF orientation as phone photos need.
 */
FlFrame *
fl_frame_new_from_file (const char *path, FlPixelFormat format, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  display = g_filename_display_name (path);
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_READ,
                   _("“%s” is a folder, not an image"), display);
      return NULL;
    }
  pixbuf = gdk_pixbuf_new_from_file (path, &local_error);
  if (pixbuf == NULL)
    {
      if (local_error->domain == G_FILE_ERROR)
        g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_READ,
                     _("Cannot read the image “%s”: %s"),
                     display, local_error->message);
      else
        g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_NOT_IMAGE,
                     _("“%s” is not a PNG or JPEG image, or it is damaged (%s)"), display,
                     local_error->message);
      return NULL;
    }
  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (format == FL_PIXEL_FORMAT_GREY8)
    return grey_from_pixbuf (upright);
  return rgba_from_pixbuf (upright);
}

/**
 * fl_frame_to_grey:
 *
 * Returns: a tightly packed grey copy of @frame (alpha composited on white).
 */
FlFrame *
fl_frame_to_grey (const FlFrame *frame)
{
  const guint8 *in;
  guint8 *out;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (frame != NULL, NULL);

  in = g_bytes_get_data (frame->pixels, NULL);
  out = g_malloc ((gsize) frame->width * frame->height);
  for (guint y = 0; y < frame->height; y++)
    {
      const guint8 *p = in + y * frame->stride;
      guint8 *q = out + (gsize) y * frame->width;

      if (frame->format == FL_PIXEL_FORMAT_GREY8)
        memcpy (q, p, frame->width);
      else
        for (guint x = 0; x < frame->width; x++, p += 4)
          {
            guint a = p[3];
            guint v = luminance (p[0], p[1], p[2]);
            q[x] = (guint8) ((v * a + 255 * (255 - a) + 127) / 255);
          }
    }
  bytes = g_bytes_new_take (out, (gsize) frame->width * frame->height);
  return fl_frame_new (bytes, frame->width, frame->height, frame->width, FL_PIXEL_FORMAT_GREY8);
}

/**
 * fl_frame_save_png:
 *
 * Writes @frame as a PNG file, replacing @path atomically.
 */
gboolean
fl_frame_save_png (const FlFrame *frame, const char *path, GError **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *data = NULL;
  g_autofree char *display = NULL;
  const guint8 *in;
  gsize size = 0;

  g_return_val_if_fail (frame != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* gdk-pixbuf has no grey format: write RGB for grey, RGBA for colour. */
  in = g_bytes_get_data (frame->pixels, NULL);
  if (frame->format == FL_PIXEL_FORMAT_RGBA8)
    pixbuf = gdk_pixbuf_new_from_bytes (frame->pixels, GDK_COLORSPACE_RGB, TRUE, 8, frame->width,
                                        frame->height, frame->stride);
  else
    {
      pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, frame->width, frame->height);
      if (pixbuf == NULL)
        {
          g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE,
                               _("Not enough memory for the image"));
          return FALSE;
        }
      for (guint y = 0; y < frame->height; y++)
        {
          guint8 *q = gdk_pixbuf_get_pixels (pixbuf) + y * gdk_pixbuf_get_rowstride (pixbuf);
          const guint8 *p = in + y * frame->stride;

          for (guint x = 0; x < frame->width; x++, q += 3)
            q[0] = q[1] = q[2] = p[x];
        }
    }

  display = g_filename_display_name (path);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &data, &size, "png", &local_error, NULL) ||
      !g_file_set_contents (path, data, size, &local_error))
    {
      g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE,
                   _("Cannot write the file “%s”: %s"),
                   display, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_scan_text_from_bytes:
 *
 * Turns the bytes of a barcode into text. Scanners and printers disagree on
 * the charset; valid UTF-8 is taken as UTF-8 (without a byte-order mark),
 * anything else as Windows-1252, which covers what German badge printers
 * write when they do not write UTF-8. Trailing NUL padding is dropped.
 *
 * Returns: (transfer full): valid UTF-8
 */
char *
fl_scan_text_from_bytes (const guint8 *data, gsize length)
{
  GString *text;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  while (length > 0 && data[length - 1] == '\0')
    length--;
  if (length >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF)
    {
      data += 3;
      length -= 3;
    }
  if (g_utf8_validate_len ((const char *) data, length, NULL))
    return g_strndup ((const char *) data, length);

  text = g_string_sized_new (length + length / 2);
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte = data[i];

      if (byte == 0)
        g_string_append_unichar (text, 0xFFFD);
      else if (byte < 0x80)
        g_string_append_c (text, (char) byte);
      else if (byte < 0xA0)
        g_string_append_unichar (text, cp1252_high[byte - 0x80]);
      else
        g_string_append_unichar (text, byte);
    }
  return g_string_free (text, FALSE);
}
