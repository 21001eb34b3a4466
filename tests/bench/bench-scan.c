/* bench-scan.c: decode time of camera frames, and wedge keystrokes → payload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Prints figures; never fails. Budget (DESIGN.md): a 1280×720 camera frame
 * with a QR code decodes in under 15 ms.
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scan/fl-decoder.h"
#include "scan/fl-qr.h"
#include "scan/fl-wedge-detector.h"

#define WIDTH  1280
#define HEIGHT 720

/* A frame as a webcam shows a booth: a lit gradient, some clutter, sensor
 * noise, and optionally a badge QR code held a little askew. */
static guint8 *
make_frame (const FlFrame *code, double degrees)
{
  guint8 *frame = g_malloc ((gsize) WIDTH * HEIGHT);
  GRand *rand = g_rand_new_with_seed (1234);
  const guint8 *src = code ? g_bytes_get_data (code->pixels, NULL) : NULL;
  double c = cos (degrees * G_PI / 180), s = sin (degrees * G_PI / 180);

  for (guint y = 0; y < HEIGHT; y++)
    for (guint x = 0; x < WIDTH; x++)
      frame[(gsize) y * WIDTH + x] = (guint8) (90 + 80 * x / WIDTH + 40 * y / HEIGHT);
  for (guint i = 0; i < 40; i++)
    {
      guint x0 = g_rand_int_range (rand, 0, WIDTH - 100), y0 = g_rand_int_range (rand, 0, HEIGHT - 80);
      guint w = g_rand_int_range (rand, 20, 100), h = g_rand_int_range (rand, 10, 80);
      guint8 v = (guint8) g_rand_int_range (rand, 30, 230);

      for (guint y = y0; y < y0 + h; y++)
        memset (frame + (gsize) y * WIDTH + x0, v, w);
    }
  if (code != NULL)
    {
      double cx = code->width / 2.0, cy = code->height / 2.0;
      int reach = (int) (hypot (code->width, code->height) / 2) + 1;

      for (int dy = -reach; dy <= reach; dy++)
        for (int dx = -reach; dx <= reach; dx++)
          {
            double sx = c * dx + s * dy + cx, sy = -s * dx + c * dy + cy;

            if (sx < 0 || sy < 0 || sx >= code->width || sy >= code->height)
              continue;
            frame[(gsize) (HEIGHT / 2 + dy) * WIDTH + WIDTH / 2 + dx] =
              (guint8) (25 + src[(gsize) sy * code->stride + (gsize) sx] * 200 / 255);
          }
    }
  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT; i++)
    {
      int v = frame[i] + g_rand_int_range (rand, -6, 7);
      frame[i] = (guint8) CLAMP (v, 0, 255);
    }
  g_rand_free (rand);
  return frame;
}

/* A frame of grey 140 with heavy sensor noise (±40) and nothing else. */
static guint8 *
make_noisy_frame (void)
{
  guint8 *frame = g_malloc ((gsize) WIDTH * HEIGHT);
  GRand *rand = g_rand_new_with_seed (99);

  for (gsize i = 0; i < (gsize) WIDTH * HEIGHT; i++)
    frame[i] = (guint8) (140 + g_rand_int_range (rand, -40, 41));
  g_rand_free (rand);
  return frame;
}

/* Whether decoders take the quick look before ZBar (to compare). */
static gboolean use_hint = TRUE;

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
bench_decode (const char *label, const guint8 *frame, guint density, FlDecodePass passes,
              guint expected)
{
  g_autoptr(FlDecoder) decoder = fl_decoder_new ();
  double times[40];
  guint found = 0;

  fl_decoder_set_density (decoder, density);
  fl_decoder_set_passes (decoder, passes);
  fl_decoder_set_hint (decoder, use_hint);
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(GPtrArray) symbols = fl_decoder_decode (decoder, frame, WIDTH, HEIGHT, WIDTH);

      times[i] = (g_get_monotonic_time () - start) / 1000.0;
      found = symbols->len;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_doubles);
  printf ("decode %-34s density %u  median %6.2f ms  p90 %6.2f ms  symbols %u%s\n", label,
          density, times[G_N_ELEMENTS (times) / 2], times[G_N_ELEMENTS (times) * 9 / 10], found,
          found == expected ? "" : "  (UNEXPECTED)");
}

static void
count_cb (FlWedgeDetector *detector, const char *payload, gpointer data)
{
  gsize *bytes = data;

  *bytes += strlen (payload);
}

/* A vCard typed by a USB scanner, a key every 8 ms of event time: how long
 * the detector takes from keystrokes to payload, in CPU time. */
static void
bench_wedge (void)
{
  const char *vcard = "BEGIN:VCARD\nVERSION:3.0\nN:Größer;Jürgen;;Dr.;\nFN:Dr. Jürgen Größer\n"
                      "ORG:Müller & Söhne Maschinenbau GmbH\nTITLE:Leiter Einkauf\n"
                      "TEL;TYPE=WORK:+49 89 1234567\nEMAIL:j.groesser@mueller-soehne.example\n"
                      "ADR;TYPE=WORK:;;Hauptstraße 12;München;;80331;Deutschland\nEND:VCARD\n";
  g_autoptr(FlWedgeDetector) detector = fl_wedge_detector_new ();
  guint rounds = 2000, keys = 0;
  gsize bytes = 0;
  gint64 t = 0, start;
  double elapsed;

  g_signal_connect (detector, "scanned", G_CALLBACK (count_cb), &bytes);
  start = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    {
      for (const char *p = vcard; *p != '\0'; p = g_utf8_next_char (p), keys++)
        {
          gunichar c = g_utf8_get_char (p);

          t += 8000;
          fl_wedge_detector_feed (detector, c == '\n' ? FL_WEDGE_KEY_ENTER : FL_WEDGE_KEY_CHAR, c,
                                  t);
        }
      t += 500000;
      fl_wedge_detector_tick (detector, t);
    }
  elapsed = (g_get_monotonic_time () - start) / 1000.0;
  printf ("wedge  vCard of %u keys → payload: %.2f µs per payload, %.3f µs per key "
          "(%" G_GSIZE_FORMAT " payload bytes)\n",
          keys / rounds, elapsed * 1000 / rounds, elapsed * 1000 / keys, bytes);
  printf ("       (the scanner itself needs %u ms of key time for it at 8 ms a key; the "
          "payload is ready 70 ms after its last key)\n", keys / rounds * 8);
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlFrame) badge = fl_qr_render ("BEGIN:VCARD\nVERSION:3.0\nN:Größer;Jürgen\n"
                                           "ORG:Müller & Söhne GmbH\nEMAIL:jg@example.com\n"
                                           "END:VCARD",
                                           FL_QR_EC_MEDIUM, 5, 4, FL_PIXEL_FORMAT_GREY8, &error);
  g_autofree guint8 *with_code = NULL;
  g_autofree guint8 *without_code = NULL;
  g_autofree guint8 *noisy = make_noisy_frame ();

  g_assert_no_error (error);
  with_code = make_frame (badge, 8);
  without_code = make_frame (NULL, 0);

  printf ("1280×720 frames (budget: under 15 ms with a code)\n");
  bench_decode ("with a QR code, still-image passes", with_code, 1, FL_DECODE_PASS_ALL, 1);
  bench_decode ("with a QR code, camera passes", with_code, 1,
                FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT, 1);
  bench_decode ("with a QR code, full size only", with_code, 1, FL_DECODE_PASS_DIRECT, 1);
  bench_decode ("with a QR code, full size only", with_code, 2, FL_DECODE_PASS_DIRECT, 1);
  bench_decode ("without a code, camera passes", without_code, 1,
                FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT, 0);
  bench_decode ("without a code, all passes", without_code, 1, FL_DECODE_PASS_ALL, 0);
  bench_decode ("noise ±40, no code, camera passes", noisy, 1,
                FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT, 0);
  bench_decode ("noise ±40, no code, all passes", noisy, 1, FL_DECODE_PASS_ALL, 0);
  use_hint = FALSE;
  printf ("the same without the quick look for a code:\n");
  bench_decode ("without a code, camera passes", without_code, 1,
                FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT, 0);
  bench_decode ("noise ±40, no code, camera passes", noisy, 1,
                FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT, 0);
  use_hint = TRUE;
  bench_wedge ();
  return 0;
}
