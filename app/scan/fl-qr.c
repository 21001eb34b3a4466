/* fl-qr.c: QR codes drawn with libqrencode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-qr"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <qrencode.h>
#include <string.h>

#include "fl-qr.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRinput, QRinput_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (QRcode, QRcode_free)

/* Keeps a rendered image within what a texture or a PNG reader accepts. */
#define MAX_SIDE 16384

/* The ECI designator for UTF-8: without it readers guess the charset of
 * 8-bit data, and many guess Latin-1 or Shift-JIS. */
#define ECI_UTF8 26

gboolean
fl_qr_ec_level_from_string (const char *name, FlQrEcLevel *level)
{
  static const char *names[] = { "L", "M", "Q", "H" };

  g_return_val_if_fail (level != NULL, FALSE);

  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (name, names[i]) == 0)
      {
        *level = (FlQrEcLevel) i;
        return TRUE;
      }
  return FALSE;
}

static QRcode *
encode (const char *text, FlQrEcLevel level, GError **error)
{
  static const QRecLevel levels[] = { QR_ECLEVEL_L, QR_ECLEVEL_M, QR_ECLEVEL_Q, QR_ECLEVEL_H };
  g_autoptr(QRinput) input = NULL;
  QRcode *code;
  gsize length;

  if (text == NULL || *text == '\0')
    {
      g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                           _("There is no text to put in the QR code"));
      return NULL;
    }
  length = strlen (text);
  if (!g_utf8_validate (text, length, NULL))
    {
      g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                           _("The text for the QR code is not valid UTF-8"));
      return NULL;
    }
  if ((guint) level >= G_N_ELEMENTS (levels))
    level = FL_QR_EC_MEDIUM;

  input = QRinput_new2 (0, levels[level]);
  if (input == NULL ||
      QRinput_appendECIheader (input, ECI_UTF8) != 0 ||
      QRinput_append (input, QR_MODE_8, (int) MIN (length, G_MAXINT),
                      (const unsigned char *) text) != 0)
    {
      g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG,
                           _("The text is too long for a QR code"));
      return NULL;
    }
  code = QRcode_encodeInput (input);
  if (code == NULL)
    {
      if (errno == ERANGE)
        {
          g_autofree char *bytes = g_strdup_printf ("%" G_GSIZE_FORMAT, length);

          g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG,
                       _("The text is too long for a QR code (%s bytes; at most about 2,300 fit "
                         "at error correction M, 2,900 at L). Shorten it, or put a link to it "
                         "in the code instead."),
                       bytes);
        }
      else
        g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                     _("Cannot make a QR code: %s"), g_strerror (errno));
      return NULL;
    }
  return code;
}

static gboolean
check_size (const QRcode *code, guint scale, guint margin, GError **error)
{
  guint64 side = ((guint64) code->width + 2 * (guint64) margin) * scale;

  if (scale == 0)
    {
      g_set_error_literal (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                           _("The scale of a QR code must be at least 1 pixel per module"));
      return FALSE;
    }
  if (side > MAX_SIDE)
    {
      g_autofree char *pixels = g_strdup_printf ("%" G_GUINT64_FORMAT, side);

      g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
                   _("A QR code %s pixels wide is too large; use a smaller scale or margin"),
                   pixels);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_qr_render:
 * @text: UTF-8 text
 * @scale: pixels per module
 * @margin: the quiet zone around the code, in modules (the standard wants 4)
 * @format: grey (0 black, 255 white) or opaque RGBA
 *
 * Draws @text as a QR code, black on white.
 *
 * Returns: (transfer full): a tightly packed image, square
 */
FlFrame *
fl_qr_render (const char *text, FlQrEcLevel level, guint scale, guint margin,
              FlPixelFormat format, GError **error)
{
  g_autoptr(QRcode) code = NULL;
  guint bpp = format == FL_PIXEL_FORMAT_RGBA8 ? 4 : 1;
  guint side;
  gsize stride;
  guint8 *pixels;
  g_autoptr(GBytes) bytes = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  if ((code = encode (text, level, error)) == NULL || !check_size (code, scale, margin, error))
    return NULL;

  side = (code->width + 2 * margin) * scale;
  stride = (gsize) side * bpp;
  pixels = g_malloc (stride * side);
  memset (pixels, 0xFF, stride * side);
  for (int my = 0; my < code->width; my++)
    {
      guint8 *row = pixels + (gsize) (margin + my) * scale * stride;

      for (int mx = 0; mx < code->width; mx++)
        {
          /* Bit 0 of each libqrencode byte is the module's colour. */
          if ((code->data[my * code->width + mx] & 1) == 0)
            continue;
          for (guint x = 0; x < scale; x++)
            {
              guint8 *p = row + ((margin + mx) * scale + x) * bpp;

              if (bpp == 4)
                p[0] = p[1] = p[2] = 0;  /* alpha stays 255 */
              else
                p[0] = 0;
            }
        }
      /* The module row is one pixel row repeated. */
      for (guint y = 1; y < scale; y++)
        memcpy (row + y * stride, row, stride);
    }
  bytes = g_bytes_new_take (pixels, stride * side);
  return fl_frame_new (bytes, side, side, stride, format);
}

/**
 * fl_qr_render_svg:
 * @scale: the size of one module in the SVG's user units (pixels)
 *
 * Draws @text as an SVG document, one path with a rectangle per run of
 * dark modules, so it prints sharp at any size.
 *
 * Returns: (transfer full): the SVG document
 */
char *
fl_qr_render_svg (const char *text, FlQrEcLevel level, guint scale, guint margin, GError **error)
{
  g_autoptr(QRcode) code = NULL;
  GString *svg;
  guint modules;

  g_return_val_if_fail (text != NULL, NULL);

  if ((code = encode (text, level, error)) == NULL || !check_size (code, scale, margin, error))
    return NULL;

  modules = code->width + 2 * margin;
  svg = g_string_new (NULL);
  g_string_append_printf (svg,
                          "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                          "width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
                          "shape-rendering=\"crispEdges\">\n"
                          "<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n"
                          "<path fill=\"#000000\" d=\"",
                          modules * scale, modules * scale, modules, modules, modules, modules);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width;)
      {
        int run = 0;

        while (x + run < code->width && (code->data[y * code->width + x + run] & 1))
          run++;
        if (run > 0)
          {
            g_string_append_printf (svg, "M%u %uh%dv1h-%dz", x + margin, y + margin, run, run);
            x += run;
          }
        else
          x++;
      }
  g_string_append (svg, "\"/>\n</svg>\n");
  return g_string_free (svg, FALSE);
}

/**
 * fl_qr_save:
 * @path: a file ending in .png or .svg
 *
 * Writes @text as a QR code, replacing @path atomically.
 */
gboolean
fl_qr_save (const char *text, FlQrEcLevel level, guint scale, guint margin, const char *path,
            GError **error)
{
  g_autofree char *lower = NULL;
  g_autofree char *display = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  lower = g_ascii_strdown (path, -1);
  display = g_filename_display_name (path);
  if (g_str_has_suffix (lower, ".png"))
    {
      g_autoptr(FlFrame) frame = fl_qr_render (text, level, scale, margin,
                                               FL_PIXEL_FORMAT_GREY8, error);

      return frame != NULL && fl_frame_save_png (frame, path, error);
    }
  if (g_str_has_suffix (lower, ".svg"))
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *svg = fl_qr_render_svg (text, level, scale, margin, error);

      if (svg == NULL)
        return FALSE;
      if (!g_file_set_contents (path, svg, -1, &local_error))
        {
          g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE,
                       _("Cannot write the file “%s”: %s"),
                       display, local_error->message);
          return FALSE;
        }
      return TRUE;
    }
  g_set_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID,
               _("Cannot tell the format of “%s”: name the file .png or .svg"), display);
  return FALSE;
}
