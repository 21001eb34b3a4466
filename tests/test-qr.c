/* test-qr.c: QR codes drawn with libqrencode, read back with ZBar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "scan/fl-decoder.h"
#include "scan/fl-qr.h"

typedef struct
{
  char      *dir;
  FlDecoder *decoder;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-qr-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->decoder = fl_decoder_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_assert_finalize_object (fixture->decoder);
}

static guint8
pixel (const FlFrame *frame, guint x, guint y)
{
  const guint8 *p = g_bytes_get_data (frame->pixels, NULL);

  return p[y * frame->stride + x * (frame->format == FL_PIXEL_FORMAT_RGBA8 ? 4 : 1)];
}

static void
test_geometry (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlFrame) grey = fl_qr_render ("https://fairlead.example/c/1", FL_QR_EC_MEDIUM, 5, 4,
                                          FL_PIXEL_FORMAT_GREY8, &error);
  g_autoptr(FlFrame) rgba = fl_qr_render ("https://fairlead.example/c/1", FL_QR_EC_MEDIUM, 5, 4,
                                          FL_PIXEL_FORMAT_RGBA8, &error);
  g_autoptr(FlFrame) bare = fl_qr_render ("https://fairlead.example/c/1", FL_QR_EC_MEDIUM, 1, 0,
                                          FL_PIXEL_FORMAT_GREY8, &error);
  const guint8 *p;
  guint modules;

  g_assert_no_error (error);
  /* A version-n symbol is 17 + 4n modules wide. */
  modules = bare->width;
  g_assert_cmpuint ((modules - 17) % 4, ==, 0);
  g_assert_cmpuint (grey->width, ==, (modules + 8) * 5);
  g_assert_cmpuint (grey->height, ==, grey->width);
  g_assert_cmpuint (grey->stride, ==, grey->width);
  g_assert_cmpuint (rgba->stride, ==, rgba->width * 4);
  g_assert_cmpint (rgba->format, ==, FL_PIXEL_FORMAT_RGBA8);

  /* Quiet zone white, finder pattern corner black, in both formats. */
  for (guint i = 0; i < 20; i++)
    {
      g_assert_cmpuint (pixel (grey, i, i), ==, 255);
      g_assert_cmpuint (pixel (rgba, i, 0), ==, 255);
    }
  g_assert_cmpuint (pixel (grey, 20, 20), ==, 0);
  g_assert_cmpuint (pixel (grey, 24, 24), ==, 0);
  g_assert_cmpuint (pixel (grey, 26, 26), ==, 255);  /* the white ring of the finder */
  g_assert_cmpuint (pixel (rgba, 20, 20), ==, 0);
  p = g_bytes_get_data (rgba->pixels, NULL);
  for (gsize i = 3; i < g_bytes_get_size (rgba->pixels); i += 4)
    g_assert_cmpuint (p[i], ==, 255);
  g_assert_cmpuint (pixel (bare, 0, 0), ==, 0);
}

static void
test_levels (Fixture *fixture, gconstpointer data)
{
  const char *text = "BEGIN:VCARD\nVERSION:3.0\nFN:Jürgen Größer\nEND:VCARD";
  guint previous = 0;
  FlQrEcLevel level;

  for (level = FL_QR_EC_LOW; level <= FL_QR_EC_HIGH; level++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FlFrame) frame = fl_qr_render (text, level, 2, 4, FL_PIXEL_FORMAT_GREY8, &error);
      g_autoptr(GPtrArray) symbols = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (frame->width, >=, previous);
      previous = frame->width;
      symbols = fl_decoder_decode_frame (fixture->decoder, frame);
      g_assert_cmpuint (symbols->len, ==, 1);
      g_assert_cmpstr (((FlSymbol *) symbols->pdata[0])->data, ==, text);
    }

  g_assert_true (fl_qr_ec_level_from_string ("h", &level));
  g_assert_cmpint (level, ==, FL_QR_EC_HIGH);
  g_assert_true (fl_qr_ec_level_from_string ("M", &level));
  g_assert_cmpint (level, ==, FL_QR_EC_MEDIUM);
  g_assert_false (fl_qr_ec_level_from_string ("X", &level));
  g_assert_false (fl_qr_ec_level_from_string (NULL, &level));
}

static void
test_errors (Fixture *fixture, gconstpointer data)
{
  g_autofree char *too_long = g_strnfill (3000, 'x');
  g_autofree char *fits_low = g_strnfill (2800, 'x');
  g_autoptr(GError) error = NULL;
  g_autoptr(FlFrame) frame = NULL;
  g_autofree char *svg = NULL;

  g_assert_null (fl_qr_render (too_long, FL_QR_EC_LOW, 1, 4, FL_PIXEL_FORMAT_GREY8, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "3000"));
  g_clear_error (&error);

  g_assert_null (fl_qr_render (fits_low, FL_QR_EC_MEDIUM, 1, 4, FL_PIXEL_FORMAT_GREY8, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG);
  g_clear_error (&error);
  frame = fl_qr_render (fits_low, FL_QR_EC_LOW, 1, 4, FL_PIXEL_FORMAT_GREY8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (frame->width, >=, 173 + 8);  /* version 39 or 40 */

  g_assert_null (fl_qr_render ("", FL_QR_EC_MEDIUM, 4, 4, FL_PIXEL_FORMAT_GREY8, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fl_qr_render ("bad \xff utf-8", FL_QR_EC_MEDIUM, 4, 4, FL_PIXEL_FORMAT_GREY8,
                               &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fl_qr_render ("x", FL_QR_EC_MEDIUM, 0, 4, FL_PIXEL_FORMAT_GREY8, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (fl_qr_render ("x", FL_QR_EC_MEDIUM, 2000, 4, FL_PIXEL_FORMAT_RGBA8, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_clear_error (&error);
  svg = fl_qr_render_svg (too_long, FL_QR_EC_MEDIUM, 4, 4, &error);
  g_assert_null (svg);
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG);
}

static void
test_png (Fixture *fixture, gconstpointer data)
{
  const char *text = "Ihr Whitepaper: https://fairlead.example/w/Straße?ü=1";
  g_autofree char *path = g_build_filename (fixture->dir, "code.PNG", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) symbols = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;

  g_assert_true (fl_qr_save (text, FL_QR_EC_MEDIUM, 6, 4, path, &error));
  g_assert_no_error (error);
  pixbuf = gdk_pixbuf_new_from_file (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, gdk_pixbuf_get_height (pixbuf));
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf) % 6, ==, 0);

  symbols = fl_decoder_decode_file (fixture->decoder, path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (symbols->len, ==, 1);
  g_assert_cmpstr (((FlSymbol *) symbols->pdata[0])->data, ==, text);
}

static gboolean
svg_loader_available (void)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    if (g_strcmp0 (gdk_pixbuf_format_get_name (l->data), "svg") == 0)
      return TRUE;
  return FALSE;
}

static void
test_svg (Fixture *fixture, gconstpointer data)
{
  const char *text = "Müller & Söhne <GmbH> \"quoted\"";
  g_autofree char *path = g_build_filename (fixture->dir, "code.svg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autofree char *svg = NULL;
  GMarkupParser parser = { 0 };
  g_autofree char *expected_size = NULL;
  g_autoptr(FlFrame) bare = NULL;

  g_assert_true (fl_qr_save (text, FL_QR_EC_MEDIUM, 10, 4, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &svg, NULL, &error));

  /* Well-formed XML, sized scale × modules, with a viewBox in modules. */
  context = g_markup_parse_context_new (&parser, 0, NULL, NULL);
  g_assert_true (g_markup_parse_context_parse (context, svg, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  bare = fl_qr_render (text, FL_QR_EC_MEDIUM, 1, 4, FL_PIXEL_FORMAT_GREY8, &error);
  expected_size = g_strdup_printf ("width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\"",
                                   bare->width * 10, bare->width * 10, bare->width, bare->width);
  g_assert_nonnull (strstr (svg, expected_size));

  /* Where librsvg is installed, the SVG must read back as the same text. */
  if (svg_loader_available ())
    {
      g_autoptr(GPtrArray) symbols = fl_decoder_decode_file (fixture->decoder, path, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (symbols->len, ==, 1);
      g_assert_cmpstr (((FlSymbol *) symbols->pdata[0])->data, ==, text);
    }
  else
    g_test_message ("no SVG loader for gdk-pixbuf: SVG checked as XML only");
}

static void
test_save_errors (Fixture *fixture, gconstpointer data)
{
  g_autofree char *jpeg = g_build_filename (fixture->dir, "code.jpg", NULL);
  g_autofree char *nowhere = g_build_filename (fixture->dir, "missing", "code.png", NULL);
  g_autofree char *nowhere_svg = g_build_filename (fixture->dir, "missing", "code.svg", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (fl_qr_save ("x", FL_QR_EC_MEDIUM, 4, 4, jpeg, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, ".svg"));
  g_clear_error (&error);
  g_assert_false (fl_qr_save ("x", FL_QR_EC_MEDIUM, 4, 4, nowhere, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE);
  g_clear_error (&error);
  g_assert_false (fl_qr_save ("x", FL_QR_EC_MEDIUM, 4, 4, nowhere_svg, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE);
  g_assert_false (g_file_test (jpeg, G_FILE_TEST_EXISTS));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/qr/geometry", Fixture, NULL, fixture_set_up, test_geometry, fixture_tear_down);
  g_test_add ("/qr/levels", Fixture, NULL, fixture_set_up, test_levels, fixture_tear_down);
  g_test_add ("/qr/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  g_test_add ("/qr/png", Fixture, NULL, fixture_set_up, test_png, fixture_tear_down);
  g_test_add ("/qr/svg", Fixture, NULL, fixture_set_up, test_svg, fixture_tear_down);
  g_test_add ("/qr/save-errors", Fixture, NULL, fixture_set_up, test_save_errors,
              fixture_tear_down);

  return g_test_run ();
}
