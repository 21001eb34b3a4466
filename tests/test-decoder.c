/* test-decoder.c: FlDecoder on images the tests draw themselves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "scan/fl-code-hint.h"
#include "scan/fl-decoder.h"
#include "scan/fl-qr.h"

/* A grey canvas the tests draw on. */
typedef struct
{
  guint8 *pixels;
  guint   width;
  guint   height;
} Canvas;

static void
canvas_free (Canvas *canvas)
{
  g_free (canvas->pixels);
  g_free (canvas);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Canvas, canvas_free)

static Canvas *
canvas_new (guint width, guint height, guint8 background)
{
  Canvas *canvas = g_new0 (Canvas, 1);

  canvas->width = width;
  canvas->height = height;
  canvas->pixels = g_malloc ((gsize) width * height);
  memset (canvas->pixels, background, (gsize) width * height);
  return canvas;
}

static FlFrame *
qr (const char *text, guint scale)
{
  g_autoptr(GError) error = NULL;
  FlFrame *frame = fl_qr_render (text, FL_QR_EC_MEDIUM, scale, FL_QR_DEFAULT_MARGIN,
                                 FL_PIXEL_FORMAT_GREY8, &error);

  g_assert_no_error (error);
  g_assert_nonnull (frame);
  return frame;
}

/* Pastes @frame at (@x, @y), rotated by @degrees around its centre, with
 * black and white mapped to @dark and @light. Bilinear sampling, as a
 * camera would blur it. */
static void
canvas_paste (Canvas *canvas, const FlFrame *frame, int x, int y, double degrees, double zoom,
              guint8 dark, guint8 light)
{
  const guint8 *src = g_bytes_get_data (frame->pixels, NULL);
  double angle = degrees * G_PI / 180.0;
  double c = cos (angle), s = sin (angle);
  double cx = frame->width / 2.0, cy = frame->height / 2.0;
  int reach = (int) ceil (hypot (frame->width, frame->height) * zoom / 2.0);

  for (int dy = -reach; dy <= reach; dy++)
    for (int dx = -reach; dx <= reach; dx++)
      {
        int px = x + (int) (cx * zoom) + dx, py = y + (int) (cy * zoom) + dy;
        double sx = (c * dx + s * dy) / zoom + cx - 0.5;
        double sy = (-s * dx + c * dy) / zoom + cy - 0.5;
        int ix = (int) floor (sx), iy = (int) floor (sy);
        double fx = sx - ix, fy = sy - iy, v = 0;

        if (px < 0 || py < 0 || px >= (int) canvas->width || py >= (int) canvas->height)
          continue;
        if (sx < -0.5 || sy < -0.5 || sx > frame->width - 0.5 || sy > frame->height - 0.5)
          continue;
        for (int k = 0; k < 4; k++)
          {
            int qx = CLAMP (ix + (k & 1), 0, (int) frame->width - 1);
            int qy = CLAMP (iy + (k >> 1), 0, (int) frame->height - 1);
            double w = ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy);

            v += w * src[qy * frame->stride + qx];
          }
        canvas->pixels[(gsize) py * canvas->width + px] =
          (guint8) (dark + (light - dark) * v / 255.0 + 0.5);
      }
}

/* Deterministic sensor noise, so a failure reproduces. */
static void
canvas_add_noise (Canvas *canvas, int amplitude, guint32 seed)
{
  GRand *rand = g_rand_new_with_seed (seed);

  for (gsize i = 0; i < (gsize) canvas->width * canvas->height; i++)
    {
      int v = canvas->pixels[i] + g_rand_int_range (rand, -amplitude, amplitude + 1);
      canvas->pixels[i] = (guint8) CLAMP (v, 0, 255);
    }
  g_rand_free (rand);
}

/* The quick look must never hide a code: every image with one passes it. */
static void
assert_hint (const Canvas *canvas)
{
  g_assert_true (fl_code_hint_present (canvas->pixels, canvas->width, canvas->height,
                                       canvas->width));
}

static GPtrArray *
decode_canvas (FlDecoder *decoder, const Canvas *canvas)
{
  return fl_decoder_decode (decoder, canvas->pixels, canvas->width, canvas->height,
                            canvas->width);
}

static const FlSymbol *
only_symbol (GPtrArray *symbols)
{
  g_assert_nonnull (symbols);
  g_assert_cmpuint (symbols->len, ==, 1);
  return g_ptr_array_index (symbols, 0);
}

typedef struct
{
  FlDecoder *decoder;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->decoder = fl_decoder_new ();
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->decoder);
}

static char *
kib_payload (void)
{
  GString *text = g_string_new ("https://example.com/fairlead?");

  for (guint i = 0; text->len < 1024; i++)
    g_string_append_printf (text, "k%u=Gr%%C3%%BC%u&", i, i * 7919 % 1000);
  g_string_truncate (text, 1024);
  return g_string_free (text, FALSE);
}

static const char *vcard =
  "BEGIN:VCARD\r\n"
  "VERSION:3.0\r\n"
  "N:Größer;Jürgen;;Dr.;\r\n"
  "FN:Dr. Jürgen Größer\r\n"
  "ORG:Müller & Söhne Maschinenbau GmbH\r\n"
  "TITLE:Leiter Einkauf\r\n"
  "TEL;TYPE=WORK,VOICE:+49 89 1234567\r\n"
  "EMAIL;TYPE=INTERNET:j.groesser@mueller-soehne.example\r\n"
  "ADR;TYPE=WORK:;;Hauptstraße 12;München;;80331;Deutschland\r\n"
  "URL:https://mueller-soehne.example\r\n"
  "END:VCARD\r\n";

static void
test_round_trip (Fixture *fixture, gconstpointer data)
{
  g_autofree char *kib = kib_payload ();
  const char *payloads[] = {
    "FAIRLEAD-BADGE-000123",
    "Jürgen Größer, Müller & Söhne — Straße Ärger Öl Übel ß €",
    kib,
    vcard,
  };

  g_assert_cmpuint (strlen (kib), ==, 1024);
  for (guint i = 0; i < G_N_ELEMENTS (payloads); i++)
    {
      g_autoptr(FlFrame) frame = qr (payloads[i], 3);
      g_autoptr(GPtrArray) symbols = fl_decoder_decode_frame (fixture->decoder, frame);
      const FlSymbol *symbol = only_symbol (symbols);

      g_test_message ("payload %u: %u×%u px", i, frame->width, frame->height);
      g_assert_cmpstr (symbol->data, ==, payloads[i]);
      g_assert_cmpint (symbol->symbology, ==, FL_SYMBOLOGY_QR);
      g_assert_cmpstr (symbol->type_name, ==, "qr");
      g_assert_cmpint (symbol->pass, ==, FL_DECODE_PASS_DIRECT);
      g_assert_cmpuint (g_bytes_get_size (symbol->raw), ==, strlen (payloads[i]));
      /* The outline lies inside the quiet zone of the image. */
      g_assert_cmpuint (symbol->n_points, >=, 4);
      g_assert_cmpint (symbol->x, >=, 3 * FL_QR_DEFAULT_MARGIN - 2);
      g_assert_cmpint (symbol->x + symbol->width, <=, frame->width - 3 * FL_QR_DEFAULT_MARGIN + 2);
    }
}

static void
test_rgba (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlFrame) frame = fl_qr_render ("RGBA works", FL_QR_EC_HIGH, 4, 4,
                                           FL_PIXEL_FORMAT_RGBA8, &error);
  g_autoptr(GPtrArray) symbols = NULL;

  g_assert_no_error (error);
  symbols = fl_decoder_decode_frame (fixture->decoder, frame);
  g_assert_cmpstr (only_symbol (symbols)->data, ==, "RGBA works");
}

/* Padded rows, as GStreamer delivers GRAY8 frames. */
static void
test_stride (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlFrame) frame = qr ("padded rows", 3);
  guint width = frame->width, height = frame->height;
  gsize stride = (width + 3) / 4 * 4 + 4;
  g_autofree guint8 *padded = g_malloc0 (stride * height);
  g_autoptr(GPtrArray) symbols = NULL;
  const FlSymbol *symbol;

  for (guint y = 0; y < height; y++)
    memcpy (padded + y * stride, (const guint8 *) g_bytes_get_data (frame->pixels, NULL)
                                   + y * frame->stride, width);
  symbols = fl_decoder_decode (fixture->decoder, padded, width, height, stride);
  symbol = only_symbol (symbols);
  g_assert_cmpstr (symbol->data, ==, "padded rows");
}

typedef struct
{
  const char *name;
  guint       width;
  guint       height;
  guint       scale;
  double      zoom;     /* the code's pixels per QR pixel on the canvas */
  double      degrees;
  guint8      dark;
  guint8      light;
  guint8      background;
  int         noise;
  gboolean    needs_fallback;  /* the direct pass alone must fail */
} Scene;

static const Scene scenes[] = {
  { "small-in-large-frame", 1920, 1080, 2, 1, 0, 0, 255, 255, 0, FALSE },
  { "one-pixel-modules", 1280, 720, 1, 1, 0, 0, 255, 255, 0, FALSE },
  { "noisy", 1280, 720, 4, 1, 0, 60, 200, 200, 40, TRUE },
  { "faint", 640, 480, 4, 1, 0, 127, 133, 130, 1, TRUE },
  { "faint-blurred", 640, 480, 2, 1.5, 0, 124, 134, 130, 2, TRUE },
  { "rotated-30", 800, 800, 4, 1, 30, 0, 255, 255, 4, FALSE },
  { "rotated-135", 800, 800, 4, 1, 135, 20, 235, 200, 4, FALSE },
  { "low-contrast", 640, 480, 4, 1, 0, 118, 142, 130, 2, FALSE },
  { "low-contrast-rotated", 640, 640, 4, 1, 12, 100, 135, 120, 3, FALSE },
  { "inverted", 640, 480, 4, 1, 0, 255, 0, 0, 0, TRUE },
  { "inverted-low-contrast", 640, 480, 4, 1, 8, 190, 60, 40, 4, TRUE },
};

static void
test_scene (Fixture *fixture, gconstpointer data)
{
  const Scene *scene = data;
  const char *text = "https://fairlead.example/c/Jürgen-Größer?lead=7f3a";
  g_autoptr(FlFrame) frame = qr (text, scene->scale);
  g_autoptr(Canvas) canvas = canvas_new (scene->width, scene->height, scene->background);
  g_autoptr(GPtrArray) direct = NULL;
  g_autoptr(GPtrArray) symbols = NULL;
  const FlSymbol *symbol;
  int side = (int) (frame->width * scene->zoom);
  int x = (int) (scene->width * 0.6) - side / 2;
  int y = (int) (scene->height * 0.4) - side / 2;

  canvas_paste (canvas, frame, x, y, scene->degrees, scene->zoom, scene->dark, scene->light);
  if (scene->noise > 0)
    canvas_add_noise (canvas, scene->noise, 42);
  assert_hint (canvas);

  fl_decoder_set_passes (fixture->decoder, FL_DECODE_PASS_DIRECT);
  direct = decode_canvas (fixture->decoder, canvas);
  if (scene->needs_fallback)
    g_assert_cmpuint (direct->len, ==, 0);

  fl_decoder_set_passes (fixture->decoder, FL_DECODE_PASS_ALL);
  symbols = decode_canvas (fixture->decoder, canvas);
  symbol = only_symbol (symbols);
  g_test_message ("%s: direct %u, found by pass %u", scene->name, direct->len, symbol->pass);
  g_assert_cmpstr (symbol->data, ==, text);
  if (scene->needs_fallback)
    g_assert_cmpint (symbol->pass, !=, FL_DECODE_PASS_DIRECT);

  /* The position is reported in the canvas's coordinates, around the centre
   * of the pasted code, whichever pass found it. */
  g_assert_cmpint (ABS (symbol->x + symbol->width / 2 - (x + side / 2)), <, 12);
  g_assert_cmpint (ABS (symbol->y + symbol->height / 2 - (y + side / 2)), <, 12);
}

/* Gaussian blur of about σ by three box blurs each way: a lens out of focus. */
static void
canvas_defocus (Canvas *canvas, double sigma)
{
  int radius = (int) lround ((sqrt (4.0 * sigma * sigma + 1.0) - 1.0) / 2.0);
  g_autofree double *line = g_new (double, MAX (canvas->width, canvas->height));

  for (int round = 0; round < 3; round++)
    for (int axis = 0; axis < 2; axis++)
      {
        guint n = axis == 0 ? canvas->width : canvas->height;
        guint lines = axis == 0 ? canvas->height : canvas->width;
        gsize step = axis == 0 ? 1 : canvas->width;

        for (guint l = 0; l < lines; l++)
          {
            guint8 *base = axis == 0 ? canvas->pixels + (gsize) l * canvas->width : canvas->pixels + l;

            for (guint i = 0; i < n; i++)
              line[i] = base[i * step];
            for (int i = 0; i < (int) n; i++)
              {
                double sum = 0;
                int count = 0;

                for (int k = MAX (0, i - radius); k <= MIN ((int) n - 1, i + radius); k++)
                  sum += line[k], count++;
                base[i * step] = (guint8) lround (sum / count);
              }
          }
      }
}

/* A badge photographed slightly out of focus (σ 2.2 px) with a dense vCard
 * on it: the passes before this issue missed it, the sharpening ones read
 * it (issue 21). */
static void
test_defocused_dense (Fixture *fixture, gconstpointer data)
{
  const char *dense =
    "BEGIN:VCARD\nVERSION:3.0\nN:Schäfer-Lindqvist;Anna-Katharina;;Prof. Dr.;\n"
    "FN:Prof. Dr. Anna-Katharina Schäfer-Lindqvist\nORG:Alpenwerk Technik AG;Forschung\n"
    "TITLE:Leiterin Forschung & Entwicklung\nTEL;TYPE=WORK:+49 89 3344556-0\n"
    "TEL;TYPE=CELL:+49 171 9876543\nEMAIL:anna-katharina.schaefer-lindqvist@alpenwerk.de\n"
    "ADR;TYPE=WORK:;;Leopoldstraße 88;München;;80802;Deutschland\n"
    "URL:https://www.alpenwerk.de/team/schaefer-lindqvist\nEND:VCARD";
  g_autoptr(FlFrame) frame = qr (dense, 5);
  g_autoptr(Canvas) canvas = canvas_new (1280, 960, 235);
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) symbols = NULL;
  const FlSymbol *symbol;

  canvas_paste (canvas, frame, 300, 150, 3, 1.0, 30, 235);
  canvas_defocus (canvas, 2.2);
  canvas_add_noise (canvas, 3, 7);
  assert_hint (canvas);

  fl_decoder_set_budget (fixture->decoder, 0);
  fl_decoder_set_passes (fixture->decoder, FL_DECODE_PASS_ALL &
                                           ~(FL_DECODE_PASS_SHARPEN | FL_DECODE_PASS_BINARIZE));
  before = decode_canvas (fixture->decoder, canvas);
  g_assert_cmpuint (before->len, ==, 0);

  fl_decoder_set_passes (fixture->decoder, FL_DECODE_PASS_ALL);
  symbols = decode_canvas (fixture->decoder, canvas);
  symbol = only_symbol (symbols);
  g_test_message ("%u × %u modules with the quiet zone, found by pass %u", frame->width / 5, frame->height / 5,
                  symbol->pass);
  g_assert_cmpstr (symbol->data, ==, dense);
  g_assert_true (symbol->pass == FL_DECODE_PASS_SHARPEN || symbol->pass == FL_DECODE_PASS_BINARIZE);
}

/* Each pass must map its finds back to the input's coordinates. */
static void
test_pass_positions (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlFrame) frame = qr ("where am I", 6);
  g_autoptr(Canvas) canvas = canvas_new (900, 700, 255);
  g_autoptr(GPtrArray) symbols = NULL;
  const FlSymbol *symbol;

  canvas_paste (canvas, frame, 500, 300, 0, 1, 0, 255);
  /* Only the downscale pass left: the direct pass is always made, so make it
   * fail by inverting the canvas and leaving downscale plus invert. */
  for (gsize i = 0; i < (gsize) canvas->width * canvas->height; i++)
    canvas->pixels[i] = 255 - canvas->pixels[i];
  assert_hint (canvas);
  fl_decoder_set_passes (fixture->decoder, FL_DECODE_PASS_INVERT);
  symbols = decode_canvas (fixture->decoder, canvas);
  symbol = only_symbol (symbols);
  g_assert_cmpint (symbol->pass, ==, FL_DECODE_PASS_INVERT);
  g_assert_cmpint (ABS (symbol->x - (500 + 24)), <=, 3);
  g_assert_cmpint (ABS (symbol->width - ((int) frame->width - 48)), <=, 4);
}

static void
test_nothing (Fixture *fixture, gconstpointer data)
{
  g_autoptr(Canvas) canvas = canvas_new (640, 480, 200);
  g_autoptr(GPtrArray) symbols = NULL;

  canvas_add_noise (canvas, 40, 7);
  symbols = decode_canvas (fixture->decoder, canvas);
  g_assert_cmpuint (symbols->len, ==, 0);
}

/* Frames a camera sees with no code in view: flat, noisy, a lit gradient
 * with clutter. */
static Canvas *
empty_frame (guint kind)
{
  Canvas *canvas = canvas_new (1280, 720, 140);
  GRand *rand = g_rand_new_with_seed (kind);

  if (kind == 2)
    {
      for (guint y = 0; y < canvas->height; y++)
        for (guint x = 0; x < canvas->width; x++)
          canvas->pixels[(gsize) y * canvas->width + x] = (guint8) (90 + 80 * x / 1280 + 40 * y / 720);
      for (guint i = 0; i < 40; i++)
        {
          guint x0 = g_rand_int_range (rand, 0, 1180), y0 = g_rand_int_range (rand, 0, 640);
          guint w = g_rand_int_range (rand, 20, 100), h = g_rand_int_range (rand, 10, 80);
          guint8 v = (guint8) g_rand_int_range (rand, 30, 230);

          for (guint y = y0; y < y0 + h; y++)
            memset (canvas->pixels + (gsize) y * canvas->width + x0, v, w);
        }
    }
  if (kind >= 1)
    canvas_add_noise (canvas, kind == 1 ? 40 : 6, kind);
  g_rand_free (rand);
  return canvas;
}

static gint64
counting_clock (gpointer data)
{
  guint *reads = data;

  return (gint64) (*reads)++ * G_USEC_PER_SEC;  /* a second passes at each look */
}

/* A frame with no code is turned away by the quick look, before ZBar: the
 * decoder then never asks whether the later passes are within budget. */
static void
test_hint_nothing (Fixture *fixture, gconstpointer data)
{
  for (guint kind = 0; kind < 3; kind++)
    {
      g_autoptr(Canvas) canvas = empty_frame (kind);
      g_autoptr(GPtrArray) symbols = NULL;
      g_autoptr(GPtrArray) all = NULL;
      guint reads = 0;

      g_assert_false (fl_code_hint_present (canvas->pixels, canvas->width, canvas->height,
                                            canvas->width));
      fl_decoder_set_clock (fixture->decoder, counting_clock, &reads);
      fl_decoder_set_budget (fixture->decoder, 100);
      symbols = decode_canvas (fixture->decoder, canvas);
      g_assert_cmpuint (symbols->len, ==, 0);
      g_assert_cmpuint (reads, ==, 1);

      /* Without the quick look, ZBar is given the frame, pass after pass. */
      fl_decoder_set_hint (fixture->decoder, FALSE);
      all = decode_canvas (fixture->decoder, canvas);
      g_assert_cmpuint (all->len, ==, 0);
      g_assert_cmpuint (reads, >, 2);
      fl_decoder_set_hint (fixture->decoder, TRUE);
      fl_decoder_set_clock (fixture->decoder, NULL, NULL);
      reads = 0;
    }
}

/* The passes after the direct one start only within the budget: with a
 * clock where a second passes at each look, an inverted badge (only the
 * invert pass reads it) is out of reach at 100 ms and read without limit. */
static void
test_budget (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlFrame) frame = qr ("over budget", 4);
  g_autoptr(Canvas) canvas = canvas_new (640, 480, 0);
  g_autoptr(GPtrArray) late = NULL;
  g_autoptr(GPtrArray) found = NULL;
  guint reads = 0;

  canvas_paste (canvas, frame, 200, 100, 0, 1, 255, 0);
  fl_decoder_set_clock (fixture->decoder, counting_clock, &reads);
  fl_decoder_set_budget (fixture->decoder, 100);
  late = decode_canvas (fixture->decoder, canvas);
  g_assert_cmpuint (late->len, ==, 0);
  g_assert_cmpuint (reads, >, 1);  /* the start, then each pass after the direct one asked */

  fl_decoder_set_budget (fixture->decoder, 0);
  found = decode_canvas (fixture->decoder, canvas);
  g_assert_cmpstr (only_symbol (found)->data, ==, "over budget");
  g_assert_cmpint (only_symbol (found)->pass, ==, FL_DECODE_PASS_INVERT);
}

/* Interleaved 2 of 5, drawn from its definition: a linear symbology next
 * to QR, to check that the symbology set is honoured. */
static Canvas *
draw_i25 (const char *digits, guint narrow)
{
  static const char *patterns[] = { "nnwwn", "wnnnw", "nwnnw", "wwnnn", "nnwnw",
                                    "wnwnn", "nwwnn", "nnnww", "wnnwn", "nwnwn" };
  GString *elements = g_string_new ("nnnn");  /* start: bar space bar space */
  Canvas *canvas;
  guint x, length = 0;

  g_assert_cmpuint (strlen (digits) % 2, ==, 0);
  for (const char *d = digits; *d != '\0'; d += 2)
    for (guint k = 0; k < 5; k++)
      {
        g_string_append_c (elements, patterns[d[0] - '0'][k]);
        g_string_append_c (elements, patterns[d[1] - '0'][k]);
      }
  g_string_append (elements, "wnn");  /* stop: bar space bar */
  for (guint i = 0; i < elements->len; i++)
    length += elements->str[i] == 'w' ? 3 : 1;

  canvas = canvas_new ((length + 40) * narrow, 120, 255);
  x = 20 * narrow;
  for (guint i = 0; i < elements->len; i++)
    {
      guint w = (elements->str[i] == 'w' ? 3 : 1) * narrow;

      if (i % 2 == 0)  /* bars at even positions */
        for (guint y = 20; y < 100; y++)
          memset (canvas->pixels + (gsize) y * canvas->width + x, 0, w);
      x += w;
    }
  g_string_free (elements, TRUE);
  return canvas;
}

/* Bars at any angle pass the quick look, and ZBar reads them at those it
 * can. */
static void
test_hint_rotated_bars (Fixture *fixture, gconstpointer data)
{
  g_autoptr(Canvas) bars = draw_i25 ("4006381333", 3);
  g_autoptr(GBytes) bytes = g_bytes_new (bars->pixels, (gsize) bars->width * bars->height);
  g_autoptr(FlFrame) frame = fl_frame_new (bytes, bars->width, bars->height, bars->width,
                                           FL_PIXEL_FORMAT_GREY8);
  static const double angles[] = { 0, 10, 25, 45, 65, 80, 90, 135 };

  for (guint i = 0; i < G_N_ELEMENTS (angles); i++)
    {
      g_autoptr(Canvas) canvas = canvas_new (800, 800, 255);
      g_autoptr(GPtrArray) symbols = NULL;

      canvas_paste (canvas, frame, 400 - (int) bars->width / 2, 400 - (int) bars->height / 2,
                    angles[i], 1, 0, 255);
      canvas_add_noise (canvas, 4, i);
      g_test_message ("bars at %g°", angles[i]);
      assert_hint (canvas);
      fl_decoder_set_hint (fixture->decoder, FALSE);
      symbols = decode_canvas (fixture->decoder, canvas);
      g_test_message ("bars at %g°: %u found by ZBar", angles[i], symbols->len);
      fl_decoder_set_hint (fixture->decoder, TRUE);
    }
}

static void
test_symbologies (Fixture *fixture, gconstpointer data)
{
  g_autoptr(Canvas) bars = draw_i25 ("4006381333", 3);
  g_autoptr(FlFrame) code = qr ("QR only", 3);
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) qr_off = NULL;
  const FlSymbol *symbol;

  g_assert_cmpint (fl_decoder_get_symbologies (fixture->decoder), ==, FL_SYMBOLOGY_ALL);
  assert_hint (bars);
  found = decode_canvas (fixture->decoder, bars);
  symbol = only_symbol (found);
  g_assert_cmpstr (symbol->data, ==, "4006381333");
  g_assert_cmpstr (symbol->type_name, ==, "i25");
  g_assert_cmpint (symbol->symbology, ==, FL_SYMBOLOGY_I25);

  g_object_set (fixture->decoder, "symbologies", FL_SYMBOLOGY_QR | FL_SYMBOLOGY_CODE128, NULL);
  none = decode_canvas (fixture->decoder, bars);
  g_assert_cmpuint (none->len, ==, 0);

  fl_decoder_set_symbologies (fixture->decoder, FL_SYMBOLOGY_ALL & ~FL_SYMBOLOGY_QR);
  qr_off = fl_decoder_decode_frame (fixture->decoder, code);
  g_assert_cmpuint (qr_off->len, ==, 0);
}

static void
test_parse_symbologies (void)
{
  g_autoptr(GError) error = NULL;
  FlSymbology set = FL_SYMBOLOGY_NONE;

  g_assert_true (fl_symbology_parse_list ("qr, Code128,ean-upc", &set, &error));
  g_assert_no_error (error);
  g_assert_cmpint (set, ==, FL_SYMBOLOGY_QR | FL_SYMBOLOGY_CODE128 | FL_SYMBOLOGY_EAN_UPC);
  g_assert_true (fl_symbology_parse_list ("all", &set, &error));
  g_assert_cmpint (set, ==, FL_SYMBOLOGY_ALL);
  g_assert_false (fl_symbology_parse_list ("qr,pdf417", &set, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "pdf417"));
  g_clear_error (&error);
  g_assert_false (fl_symbology_parse_list (" , ", &set, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID);
  g_assert_cmpstr (fl_symbology_to_string (FL_SYMBOLOGY_DATABAR), ==, "databar");
  g_assert_null (fl_symbology_to_string (FL_SYMBOLOGY_ALL));
}

static void
test_charset (void)
{
  const struct
  {
    const char *bytes;
    gssize      length;
    const char *text;
  } cases[] = {
    { "plain ASCII", -1, "plain ASCII" },
    { "J\xc3\xbcrgen Gr\xc3\xb6\xc3\x9f" "er", -1, "Jürgen Größer" },
    { "\xef\xbb\xbf" "BOM", -1, "BOM" },
    /* Windows-1252, as older badge printers write it. */
    { "J\xfcrgen Gr\xf6\xdf" "er", -1, "Jürgen Größer" },
    { "\x80 5, \x84quoted\x93, \x96 \x9c \x8a \x9f", -1, "€ 5, „quoted“, – œ Š Ÿ" },
    { "undefined \x81\x8d\x8f\x90\x9d", -1, "undefined \xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"
                                             "\xef\xbf\xbd\xef\xbf\xbd" },
    { "padded\0\0", 8, "padded" },
    { "", 0, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      gsize length = cases[i].length < 0 ? strlen (cases[i].bytes) : (gsize) cases[i].length;
      g_autofree char *text = fl_scan_text_from_bytes ((const guint8 *) cases[i].bytes, length);

      g_assert_true (g_utf8_validate (text, -1, NULL));
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_file_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-decoder-XXXXXX", &error);
  g_autofree char *text_file = g_build_filename (dir, "notes.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.png", NULL);
  g_autofree char *good = g_build_filename (dir, "good.png", NULL);
  g_autoptr(GPtrArray) symbols = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (text_file, "this is not an image", -1, NULL));
  g_assert_null (fl_decoder_decode_file (fixture->decoder, text_file, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_NOT_IMAGE);
  g_clear_error (&error);

  g_assert_null (fl_decoder_decode_file (fixture->decoder, missing, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_READ);
  g_clear_error (&error);

  g_assert_null (fl_decoder_decode_file (fixture->decoder, dir, &error));
  g_assert_error (error, FL_SCAN_ERROR, FL_SCAN_ERROR_READ);
  g_clear_error (&error);

  g_assert_true (fl_qr_save ("from a file", FL_QR_EC_MEDIUM, 4, 4, good, &error));
  g_assert_no_error (error);
  symbols = fl_decoder_decode_file (fixture->decoder, good, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (only_symbol (symbols)->data, ==, "from a file");

  g_assert_cmpint (g_remove (text_file), ==, 0);
  g_assert_cmpint (g_remove (good), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_threads_cb (gpointer data, gpointer user_data)
{
  FlDecoder *decoder = user_data;
  FlFrame *frame = data;
  g_autoptr(GPtrArray) symbols = fl_decoder_decode_frame (decoder, frame);

  g_assert_cmpuint (symbols->len, ==, 1);
}

/* One decoder shared by threads: calls are serialised, never crash. */
static void
test_threads (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlFrame) frame = qr ("shared decoder", 3);
  GThreadPool *pool = g_thread_pool_new (test_threads_cb, fixture->decoder, 4, FALSE, NULL);

  for (guint i = 0; i < 16; i++)
    g_thread_pool_push (pool, frame, NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/decoder/round-trip", Fixture, NULL, fixture_set_up, test_round_trip,
              fixture_tear_down);
  g_test_add ("/decoder/rgba", Fixture, NULL, fixture_set_up, test_rgba, fixture_tear_down);
  g_test_add ("/decoder/stride", Fixture, NULL, fixture_set_up, test_stride, fixture_tear_down);
  for (guint i = 0; i < G_N_ELEMENTS (scenes); i++)
    {
      g_autofree char *path = g_strdup_printf ("/decoder/scene/%s", scenes[i].name);
      g_test_add (path, Fixture, &scenes[i], fixture_set_up, test_scene, fixture_tear_down);
    }
  g_test_add ("/decoder/pass-positions", Fixture, NULL, fixture_set_up, test_pass_positions,
              fixture_tear_down);
  g_test_add ("/decoder/defocused-dense", Fixture, NULL, fixture_set_up, test_defocused_dense,
              fixture_tear_down);
  g_test_add ("/decoder/nothing", Fixture, NULL, fixture_set_up, test_nothing, fixture_tear_down);
  g_test_add ("/decoder/hint-nothing", Fixture, NULL, fixture_set_up, test_hint_nothing,
              fixture_tear_down);
  g_test_add ("/decoder/hint-rotated-bars", Fixture, NULL, fixture_set_up,
              test_hint_rotated_bars, fixture_tear_down);
  g_test_add ("/decoder/budget", Fixture, NULL, fixture_set_up, test_budget, fixture_tear_down);
  g_test_add ("/decoder/symbologies", Fixture, NULL, fixture_set_up, test_symbologies,
              fixture_tear_down);
  g_test_add ("/decoder/file-errors", Fixture, NULL, fixture_set_up, test_file_errors,
              fixture_tear_down);
  g_test_add ("/decoder/threads", Fixture, NULL, fixture_set_up, test_threads, fixture_tear_down);
  g_test_add_func ("/decoder/parse-symbologies", test_parse_symbologies);
  g_test_add_func ("/decoder/charset", test_charset);

  return g_test_run ();
}
