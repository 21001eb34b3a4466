/* fl-decoder.c: barcodes and QR codes from grey images, with ZBar
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-decoder"

#include "config.h"

#include <string.h>
#include <zbar.h>

#include "fl-code-hint.h"
#include "fl-decoder.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (zbar_image_scanner_t, zbar_image_scanner_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (zbar_image_t, zbar_image_destroy)

/* Upscaling a frame larger than this costs more than it can find: the
 * modules of any code in it are already big enough for ZBar. */
#define MAX_UPSCALE_PIXELS (4 * 1024 * 1024)

/* From this size on, the half-size pass comes first: it finds any code
 * with modules of 3 pixels or more in a quarter of the time, and averaging
 * four pixels into one quiets the sensor noise ZBar is slow on. */
#define QUICK_LOOK_PIXELS (800 * 600)

/* The passes after the direct one start only while a decode has taken
 * less than this (fl_decoder_set_budget()): a camera frame must not hold
 * up the next one for long. */
#define DEFAULT_BUDGET_MS 600

/* Unsharp mask for a defocused code: the blur it subtracts (three box
 * blurs of this radius, a Gaussian of σ ≈ 2.4 px, about the defocus of a
 * badge held a little too close) and how much of the difference it adds. */
#define SHARPEN_RADIUS 2
#define SHARPEN_AMOUNT 2.0

/* The window of the local mean a sharpened code is thresholded against:
 * a few modules across, so uneven light does not matter. */
#define BINARIZE_RADIUS 10

/* How many scan lines must agree on a linear code (see scan()). */
#define MIN_LINEAR_QUALITY 2

struct _FlDecoder
{
  GObject               parent_instance;

  GMutex                mutex;  /* guards scanner: ZBar is not thread-safe */
  zbar_image_scanner_t *scanner;
  FlSymbology           symbologies;
  FlDecodePass          passes;
  guint                 density;
  guint                 budget_ms;  /* 0: no limit */
  FlDecoderClock        clock;      /* monotonic µs */
  gpointer              clock_data;
  gboolean              hint;       /* the quick look before ZBar */
  guint                 hint_bar_height;  /* its least bar height, 0 for any */
};

G_DEFINE_FINAL_TYPE (FlDecoder, fl_decoder, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (FlSymbol, fl_symbol, fl_symbol_copy, fl_symbol_free)

enum {
  PROP_0,
  PROP_SYMBOLOGIES,
  PROP_PASSES,
  PROP_DENSITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GFlagsValue pass_values[] = {
  { FL_DECODE_PASS_DIRECT, "FL_DECODE_PASS_DIRECT", "direct" },
  { FL_DECODE_PASS_STRETCH, "FL_DECODE_PASS_STRETCH", "stretch" },
  { FL_DECODE_PASS_INVERT, "FL_DECODE_PASS_INVERT", "invert" },
  { FL_DECODE_PASS_DOWNSCALE, "FL_DECODE_PASS_DOWNSCALE", "downscale" },
  { FL_DECODE_PASS_UPSCALE, "FL_DECODE_PASS_UPSCALE", "upscale" },
  { FL_DECODE_PASS_SHARPEN, "FL_DECODE_PASS_SHARPEN", "sharpen" },
  { FL_DECODE_PASS_BINARIZE, "FL_DECODE_PASS_BINARIZE", "binarize" },
  { 0, NULL, NULL },
};

static const struct
{
  zbar_symbol_type_t  zbar;
  FlSymbology         symbology;
  const char         *name;
} types[] = {
  { ZBAR_QRCODE, FL_SYMBOLOGY_QR, "qr" },
  { ZBAR_CODE128, FL_SYMBOLOGY_CODE128, "code128" },
  { ZBAR_CODE39, FL_SYMBOLOGY_CODE39, "code39" },
  { ZBAR_EAN13, FL_SYMBOLOGY_EAN_UPC, "ean13" },
  { ZBAR_EAN8, FL_SYMBOLOGY_EAN_UPC, "ean8" },
  { ZBAR_UPCA, FL_SYMBOLOGY_EAN_UPC, "upca" },
  { ZBAR_UPCE, FL_SYMBOLOGY_EAN_UPC, "upce" },
  { ZBAR_I25, FL_SYMBOLOGY_I25, "i25" },
  { ZBAR_DATABAR, FL_SYMBOLOGY_DATABAR, "databar" },
  { ZBAR_DATABAR_EXP, FL_SYMBOLOGY_DATABAR, "databar-expanded" },
};

/* A grey image the passes make and free. */
typedef struct
{
  guint8 *pixels;  /* tightly packed */
  guint   width;
  guint   height;
  double  scale;   /* this image's size / the input's size */
} Grey;

GType
fl_decode_pass_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_flags_register_static ("FlDecodePass", pass_values));
  return type;
}

FlSymbol *
fl_symbol_copy (const FlSymbol *symbol)
{
  FlSymbol *copy;

  g_return_val_if_fail (symbol != NULL, NULL);

  copy = g_memdup2 (symbol, sizeof *symbol);
  copy->type_name = g_strdup (symbol->type_name);
  copy->data = g_strdup (symbol->data);
  copy->raw = symbol->raw ? g_bytes_ref (symbol->raw) : NULL;
  copy->points = g_memdup2 (symbol->points, sizeof (FlPoint) * symbol->n_points);
  return copy;
}

void
fl_symbol_free (FlSymbol *symbol)
{
  if (symbol == NULL)
    return;
  g_free (symbol->type_name);
  g_free (symbol->data);
  g_clear_pointer (&symbol->raw, g_bytes_unref);
  g_free (symbol->points);
  g_free (symbol);
}

static void
configure_scanner (FlDecoder *self)
{
  /* Everything off, then the chosen set on. */
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_ENABLE, 0);
  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (self->symbologies & types[i].symbology)
      zbar_image_scanner_set_config (self->scanner, types[i].zbar, ZBAR_CFG_ENABLE, 1);
  /* Without BINARY, ZBar guesses a charset and reads UTF-8 German names as
   * Shift-JIS; with it, we get the bytes and decode them ourselves. */
  zbar_image_scanner_set_config (self->scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_POSITION, 1);
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_X_DENSITY, self->density);
  zbar_image_scanner_set_config (self->scanner, 0, ZBAR_CFG_Y_DENSITY, self->density);
  zbar_image_scanner_enable_cache (self->scanner, 0);
}

static void
grey_clear (Grey *grey)
{
  g_clear_pointer (&grey->pixels, g_free);
}

static Grey
grey_stretch (const Grey *in)
{
  Grey out = { NULL, in->width, in->height, in->scale };
  gsize n = (gsize) in->width * in->height;
  gsize histogram[256] = { 0 };
  gsize count = 0, cut = n / 100;
  guint lo = 0, hi = 255;
  guint8 lut[256];

  for (gsize i = 0; i < n; i++)
    histogram[in->pixels[i]]++;
  for (lo = 0; lo < 255 && count + histogram[lo] <= cut; lo++)
    count += histogram[lo];
  count = 0;
  for (hi = 255; hi > 0 && count + histogram[hi] <= cut; hi--)
    count += histogram[hi];
  /* Nothing to stretch: a flat image, or one that already spans the range. */
  if (hi <= lo + 4 || (lo <= 8 && hi >= 247))
    return out;

  for (guint v = 0; v < 256; v++)
    lut[v] = v <= lo ? 0 : v >= hi ? 255 : (guint8) (((v - lo) * 255 + (hi - lo) / 2) / (hi - lo));
  out.pixels = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    out.pixels[i] = lut[in->pixels[i]];
  return out;
}

static Grey
grey_invert (const Grey *in)
{
  Grey out = { NULL, in->width, in->height, in->scale };
  gsize n = (gsize) in->width * in->height;

  out.pixels = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    out.pixels[i] = 255 - in->pixels[i];
  return out;
}

static Grey
grey_downscale (const Grey *in)
{
  Grey out = { NULL, in->width / 2, in->height / 2, in->scale / 2 };

  if (out.width < 32 || out.height < 32)
    return (Grey) { NULL, 0, 0, 0 };
  out.pixels = g_malloc ((gsize) out.width * out.height);
  for (guint y = 0; y < out.height; y++)
    {
      const guint8 *a = in->pixels + (gsize) (2 * y) * in->width;
      const guint8 *b = a + in->width;
      guint8 *q = out.pixels + (gsize) y * out.width;

      for (guint x = 0; x < out.width; x++)
        q[x] = (guint8) ((a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4);
    }
  return out;
}

static Grey
grey_upscale (const Grey *in)
{
  Grey out = { NULL, in->width * 2, in->height * 2, in->scale * 2 };

  if ((gsize) in->width * in->height > MAX_UPSCALE_PIXELS)
    return (Grey) { NULL, 0, 0, 0 };
  out.pixels = g_malloc ((gsize) out.width * out.height);
  /* Bilinear, sampling at pixel centres. */
  for (guint y = 0; y < out.height; y++)
    {
      int sy = ((int) y - 1) / 2;
      int fy = (y & 1) ? 1 : 3;  /* weight of row sy + 1, in quarters */
      const guint8 *r0, *r1;
      guint8 *q = out.pixels + (gsize) y * out.width;

      if (y == 0)
        sy = 0, fy = 0;
      if (sy >= (int) in->height - 1)
        sy = in->height - 1, fy = 0;
      r0 = in->pixels + (gsize) sy * in->width;
      r1 = fy ? r0 + in->width : r0;
      for (guint x = 0; x < out.width; x++)
        {
          int sx = ((int) x - 1) / 2;
          int fx = (x & 1) ? 1 : 3;
          int top, bottom;

          if (x == 0)
            sx = 0, fx = 0;
          if (sx >= (int) in->width - 1)
            sx = in->width - 1, fx = 0;
          top = r0[sx] * (4 - fx) + (fx ? r0[sx + 1] * fx : 0);
          bottom = r1[sx] * (4 - fx) + (fx ? r1[sx + 1] * fx : 0);
          q[x] = (guint8) ((top * (4 - fy) + bottom * fy + 8) / 16);
        }
    }
  return out;
}

/* Three box blurs, each way: close to a Gaussian. */
static void
box_blur3 (guint8 *pixels, guint width, guint height, int radius)
{
  g_autofree guint8 *line = g_malloc (MAX (width, height));

  for (int round = 0; round < 3; round++)
    for (int axis = 0; axis < 2; axis++)
      {
        guint n = axis == 0 ? width : height;
        guint lines = axis == 0 ? height : width;
        gsize step = axis == 0 ? 1 : width;

        for (guint l = 0; l < lines; l++)
          {
            guint8 *base = axis == 0 ? pixels + (gsize) l * width : pixels + l;
            int sum = 0, count = 0;

            for (guint i = 0; i < n; i++)
              line[i] = base[i * step];
            for (int i = 0; i < radius && i < (int) n; i++)
              sum += line[i], count++;
            for (int i = 0; i < (int) n; i++)
              {
                if (i + radius < (int) n)
                  sum += line[i + radius], count++;
                if (i - radius - 1 >= 0)
                  sum -= line[i - radius - 1], count--;
                base[i * step] = (guint8) ((sum + count / 2) / count);
              }
          }
      }
}

/* Unsharp mask: the image plus what a blur takes away from it, which
 * restores the edges between the modules of a slightly defocused code. */
static Grey
grey_sharpen (const Grey *in)
{
  Grey out = { NULL, in->width, in->height, in->scale };
  gsize n = (gsize) in->width * in->height;
  g_autofree guint8 *blurred = g_memdup2 (in->pixels, n);

  box_blur3 (blurred, in->width, in->height, SHARPEN_RADIUS);
  out.pixels = g_malloc (n);
  for (gsize i = 0; i < n; i++)
    {
      double v = in->pixels[i] + SHARPEN_AMOUNT * ((int) in->pixels[i] - (int) blurred[i]);
      out.pixels[i] = (guint8) CLAMP ((int) (v + 0.5), 0, 255);
    }
  return out;
}

/* Black or white by the mean around each pixel (an integral image): ZBar's
 * own threshold follows a scan line, and a blurred dense code leaves it
 * with modules half grey. */
static Grey
grey_binarize (const Grey *in)
{
  Grey out = { NULL, in->width, in->height, in->scale };
  guint w = in->width, h = in->height;
  g_autofree guint64 *sum = g_new0 (guint64, (gsize) (w + 1) * (h + 1));
  int r = BINARIZE_RADIUS;

  for (guint y = 0; y < h; y++)
    {
      guint64 row = 0;

      for (guint x = 0; x < w; x++)
        {
          row += in->pixels[(gsize) y * w + x];
          sum[(gsize) (y + 1) * (w + 1) + x + 1] = sum[(gsize) y * (w + 1) + x + 1] + row;
        }
    }
  out.pixels = g_malloc ((gsize) w * h);
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint x0 = x > (guint) r ? x - r : 0, y0 = y > (guint) r ? y - r : 0;
        guint x1 = MIN (w, x + r + 1), y1 = MIN (h, y + r + 1);
        guint64 total = sum[(gsize) y1 * (w + 1) + x1] - sum[(gsize) y0 * (w + 1) + x1] -
                        sum[(gsize) y1 * (w + 1) + x0] + sum[(gsize) y0 * (w + 1) + x0];
        guint64 area = (guint64) (x1 - x0) * (y1 - y0);

        out.pixels[(gsize) y * w + x] = in->pixels[(gsize) y * w + x] * area < total ? 0 : 255;
      }
  return out;
}

static gint64
monotonic_clock (gpointer data)
{
  return g_get_monotonic_time ();
}

static gboolean
within_budget (FlDecoder *self, gint64 started)
{
  return self->budget_ms == 0 || self->clock (self->clock_data) - started < (gint64) self->budget_ms * 1000;
}

static FlSymbol *
symbol_from_zbar (const zbar_symbol_t *zsymbol, double scale, FlDecodePass pass)
{
  zbar_symbol_type_t type = zbar_symbol_get_type (zsymbol);
  const char *data = zbar_symbol_get_data (zsymbol);
  guint length = zbar_symbol_get_data_length (zsymbol);
  FlSymbol *symbol = g_new0 (FlSymbol, 1);
  int x0 = G_MAXINT, y0 = G_MAXINT, x1 = G_MININT, y1 = G_MININT;

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    if (types[i].zbar == type)
      {
        symbol->symbology = types[i].symbology;
        symbol->type_name = g_strdup (types[i].name);
      }
  if (symbol->type_name == NULL)
    symbol->type_name = g_ascii_strdown (zbar_get_symbol_name (type), -1);

  symbol->raw = g_bytes_new (data, length);
  symbol->data = fl_scan_text_from_bytes ((const guint8 *) data, length);
  symbol->pass = pass;
  symbol->n_points = zbar_symbol_get_loc_size (zsymbol);
  symbol->points = g_new0 (FlPoint, MAX (symbol->n_points, 1));
  for (guint i = 0; i < symbol->n_points; i++)
    {
      FlPoint *p = &symbol->points[i];

      p->x = (int) (zbar_symbol_get_loc_x (zsymbol, i) / scale + 0.5);
      p->y = (int) (zbar_symbol_get_loc_y (zsymbol, i) / scale + 0.5);
      x0 = MIN (x0, p->x);
      y0 = MIN (y0, p->y);
      x1 = MAX (x1, p->x);
      y1 = MAX (y1, p->y);
    }
  if (symbol->n_points > 0)
    {
      symbol->x = x0;
      symbol->y = y0;
      symbol->width = x1 - x0 + 1;
      symbol->height = y1 - y0 + 1;
    }
  return symbol;
}

/* Called with the mutex held. */
static guint
scan (FlDecoder *self, const Grey *grey, FlDecodePass pass, GPtrArray *symbols)
{
  g_autoptr(zbar_image_t) image = zbar_image_create ();
  const zbar_symbol_t *zsymbol;
  int n;

  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, grey->width, grey->height);
  zbar_image_set_data (image, grey->pixels, (unsigned long) grey->width * grey->height, NULL);
  n = zbar_scan_image (self->scanner, image);
  if (n <= 0)
    return 0;
  for (zsymbol = zbar_image_first_symbol (image); zsymbol != NULL;
       zsymbol = zbar_symbol_next (zsymbol))
    {
      zbar_symbol_type_t type = zbar_symbol_get_type (zsymbol);

      if (type <= ZBAR_PARTIAL)
        continue;
      /* Noise, wood grain and text make single scan lines that happen to
       * decode as a short linear code; a printed barcode is crossed by many
       * scan lines that agree. */
      if (type != ZBAR_QRCODE && zbar_symbol_get_quality (zsymbol) < MIN_LINEAR_QUALITY)
        continue;
      g_ptr_array_add (symbols, symbol_from_zbar (zsymbol, grey->scale, pass));
    }
  return symbols->len;
}

static void
fl_decoder_finalize (GObject *object)
{
  FlDecoder *self = FL_DECODER (object);

  g_clear_pointer (&self->scanner, zbar_image_scanner_destroy);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (fl_decoder_parent_class)->finalize (object);
}

static void
fl_decoder_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlDecoder *self = FL_DECODER (object);

  switch (prop_id)
    {
    case PROP_SYMBOLOGIES:
      g_value_set_flags (value, fl_decoder_get_symbologies (self));
      break;
    case PROP_PASSES:
      g_value_set_flags (value, fl_decoder_get_passes (self));
      break;
    case PROP_DENSITY:
      g_value_set_uint (value, fl_decoder_get_density (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_decoder_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlDecoder *self = FL_DECODER (object);

  switch (prop_id)
    {
    case PROP_SYMBOLOGIES:
      fl_decoder_set_symbologies (self, g_value_get_flags (value));
      break;
    case PROP_PASSES:
      fl_decoder_set_passes (self, g_value_get_flags (value));
      break;
    case PROP_DENSITY:
      fl_decoder_set_density (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_decoder_class_init (FlDecoderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_decoder_finalize;
  object_class->get_property = fl_decoder_get_property;
  object_class->set_property = fl_decoder_set_property;

  properties[PROP_SYMBOLOGIES] =
    g_param_spec_flags ("symbologies", NULL, NULL, FL_TYPE_SYMBOLOGY, FL_SYMBOLOGY_ALL,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSES] =
    g_param_spec_flags ("passes", NULL, NULL, FL_TYPE_DECODE_PASS, FL_DECODE_PASS_ALL,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FlDecoder:density:
   *
   * Scan every n-th pixel row and column. 1 finds the smallest codes; 2
   * halves the time of a pass over a camera frame, and still finds any code
   * whose modules are two pixels or more.
   */
  properties[PROP_DENSITY] =
    g_param_spec_uint ("density", NULL, NULL, 1, 8, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_decoder_init (FlDecoder *self)
{
  g_mutex_init (&self->mutex);
  self->scanner = zbar_image_scanner_create ();
  self->symbologies = FL_SYMBOLOGY_ALL;
  self->passes = FL_DECODE_PASS_ALL;
  self->budget_ms = DEFAULT_BUDGET_MS;
  self->clock = monotonic_clock;
  self->hint = TRUE;
  self->density = 1;
  configure_scanner (self);
}

FlDecoder *
fl_decoder_new (void)
{
  return g_object_new (FL_TYPE_DECODER, NULL);
}

FlSymbology
fl_decoder_get_symbologies (FlDecoder *self)
{
  FlSymbology symbologies;

  g_return_val_if_fail (FL_IS_DECODER (self), FL_SYMBOLOGY_NONE);

  g_mutex_lock (&self->mutex);
  symbologies = self->symbologies;
  g_mutex_unlock (&self->mutex);
  return symbologies;
}

FlDecodePass
fl_decoder_get_passes (FlDecoder *self)
{
  FlDecodePass passes;

  g_return_val_if_fail (FL_IS_DECODER (self), FL_DECODE_PASS_DIRECT);

  g_mutex_lock (&self->mutex);
  passes = self->passes;
  g_mutex_unlock (&self->mutex);
  return passes;
}

void
fl_decoder_set_symbologies (FlDecoder *self, FlSymbology symbologies)
{
  gboolean changed;

  g_return_if_fail (FL_IS_DECODER (self));

  symbologies &= FL_SYMBOLOGY_ALL;
  g_mutex_lock (&self->mutex);
  changed = self->symbologies != symbologies;
  if (changed)
    {
      self->symbologies = symbologies;
      configure_scanner (self);
    }
  g_mutex_unlock (&self->mutex);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYMBOLOGIES]);
}

void
fl_decoder_set_passes (FlDecoder *self, FlDecodePass passes)
{
  gboolean changed;

  g_return_if_fail (FL_IS_DECODER (self));

  passes = (passes & FL_DECODE_PASS_ALL) | FL_DECODE_PASS_DIRECT;
  g_mutex_lock (&self->mutex);
  changed = self->passes != passes;
  self->passes = passes;
  g_mutex_unlock (&self->mutex);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PASSES]);
}

guint
fl_decoder_get_density (FlDecoder *self)
{
  guint density;

  g_return_val_if_fail (FL_IS_DECODER (self), 1);

  g_mutex_lock (&self->mutex);
  density = self->density;
  g_mutex_unlock (&self->mutex);
  return density;
}

void
fl_decoder_set_density (FlDecoder *self, guint density)
{
  gboolean changed;

  g_return_if_fail (FL_IS_DECODER (self));
  g_return_if_fail (density >= 1 && density <= 8);

  g_mutex_lock (&self->mutex);
  changed = self->density != density;
  if (changed)
    {
      self->density = density;
      configure_scanner (self);
    }
  g_mutex_unlock (&self->mutex);
  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DENSITY]);
}

/**
 * fl_decoder_decode:
 * @grey: 8-bit grey pixels, rows @stride bytes apart
 *
 * Finds the symbols in an image. Safe to call from any thread; calls on one
 * decoder are serialised.
 *
 * Returns: (transfer container) (element-type FlSymbol): the symbols found,
 *   possibly none
 */
GPtrArray *
fl_decoder_decode (FlDecoder *self, const guint8 *grey, guint width, guint height, gsize stride)
{
  g_autoptr(GPtrArray) symbols = NULL;
  Grey input = { NULL, width, height, 1.0 };
  Grey stretched = { NULL };
  FlDecodePass passes;
  gint64 started;

  g_return_val_if_fail (FL_IS_DECODER (self), NULL);
  g_return_val_if_fail (grey != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);
  g_return_val_if_fail (stride >= width, NULL);

  symbols = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_symbol_free);

  /* ZBar wants rows without padding. */
  input.pixels = g_malloc ((gsize) width * height);
  if (stride == width)
    memcpy (input.pixels, grey, (gsize) width * height);
  else
    for (guint y = 0; y < height; y++)
      memcpy (input.pixels + (gsize) y * width, grey + y * stride, width);

  g_mutex_lock (&self->mutex);
  started = self->clock (self->clock_data);
  passes = self->passes;
  if (self->symbologies == FL_SYMBOLOGY_NONE)
    goto out;

  /* Nothing that looks like a code: ZBar would only chase the noise, pass
   * after pass. */
  if (self->hint && !fl_code_hint_present_full (input.pixels, width, height, width,
                                                self->hint_bar_height))
    goto out;
  if ((passes & FL_DECODE_PASS_DOWNSCALE) && (gsize) width * height >= QUICK_LOOK_PIXELS)
    {
      Grey half = grey_downscale (&input);
      guint found = half.pixels ? scan (self, &half, FL_DECODE_PASS_DOWNSCALE, symbols) : 0;

      grey_clear (&half);
      if (found > 0)
        goto out;
      passes &= ~FL_DECODE_PASS_DOWNSCALE;
    }
  if (scan (self, &input, FL_DECODE_PASS_DIRECT, symbols) > 0)
    goto out;
  if ((passes & FL_DECODE_PASS_STRETCH) && within_budget (self, started))
    {
      stretched = grey_stretch (&input);
      if (stretched.pixels != NULL && scan (self, &stretched, FL_DECODE_PASS_STRETCH, symbols) > 0)
        goto out;
    }
  if ((passes & FL_DECODE_PASS_INVERT) && within_budget (self, started))
    {
      /* Invert the stretched copy when there is one: a dark badge photographed
       * in a dim hall is both. */
      Grey inverted = grey_invert (stretched.pixels ? &stretched : &input);
      guint found = scan (self, &inverted, FL_DECODE_PASS_INVERT, symbols);

      grey_clear (&inverted);
      if (found > 0)
        goto out;
    }
  if ((passes & FL_DECODE_PASS_DOWNSCALE) && within_budget (self, started))
    {
      Grey half = grey_downscale (&input);
      guint found = half.pixels ? scan (self, &half, FL_DECODE_PASS_DOWNSCALE, symbols) : 0;

      grey_clear (&half);
      if (found > 0)
        goto out;
    }
  if ((passes & (FL_DECODE_PASS_SHARPEN | FL_DECODE_PASS_BINARIZE)) &&
      within_budget (self, started))
    {
      Grey sharp = grey_sharpen (stretched.pixels ? &stretched : &input);
      guint found = 0;

      if (passes & FL_DECODE_PASS_SHARPEN)
        found = scan (self, &sharp, FL_DECODE_PASS_SHARPEN, symbols);
      if (found == 0 && (passes & FL_DECODE_PASS_BINARIZE) && within_budget (self, started))
        {
          Grey binary = grey_binarize (&sharp);

          found = scan (self, &binary, FL_DECODE_PASS_BINARIZE, symbols);
          grey_clear (&binary);
        }
      grey_clear (&sharp);
      if (found > 0)
        goto out;
    }
  if ((passes & FL_DECODE_PASS_UPSCALE) && within_budget (self, started))
    {
      Grey twice = grey_upscale (stretched.pixels ? &stretched : &input);

      if (twice.pixels != NULL)
        scan (self, &twice, FL_DECODE_PASS_UPSCALE, symbols);
      grey_clear (&twice);
    }

out:
  g_mutex_unlock (&self->mutex);
  grey_clear (&stretched);
  grey_clear (&input);
  return g_steal_pointer (&symbols);
}

/**
 * fl_decoder_decode_frame:
 *
 * Like fl_decoder_decode() for a grey or RGBA frame.
 */
GPtrArray *
fl_decoder_decode_frame (FlDecoder *self, const FlFrame *frame)
{
  g_autoptr(FlFrame) grey = NULL;

  g_return_val_if_fail (FL_IS_DECODER (self), NULL);
  g_return_val_if_fail (frame != NULL, NULL);

  if (frame->format == FL_PIXEL_FORMAT_GREY8)
    return fl_decoder_decode (self, g_bytes_get_data (frame->pixels, NULL), frame->width,
                              frame->height, frame->stride);
  grey = fl_frame_to_grey (frame);
  return fl_decoder_decode (self, g_bytes_get_data (grey->pixels, NULL), grey->width,
                            grey->height, grey->stride);
}

/**
 * fl_decoder_decode_file:
 *
 * Decodes a PNG or JPEG file.
 *
 * Returns: (transfer container) (element-type FlSymbol): the symbols found,
 *   possibly none, or %NULL with @error set when the file is not a readable
 *   image
 */
GPtrArray *
fl_decoder_decode_file (FlDecoder *self, const char *path, GError **error)
{
  g_autoptr(FlFrame) frame = NULL;

  g_return_val_if_fail (FL_IS_DECODER (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  frame = fl_frame_new_from_file (path, FL_PIXEL_FORMAT_GREY8, error);
  if (frame == NULL)
    return NULL;
  return fl_decoder_decode_frame (self, frame);
}

/**
 * fl_decoder_set_budget:
 * @budget_ms: 0 for no limit
 *
 * The passes after the direct one (and after the quick look for anything
 * like a code) start only while a decode has taken less than @budget_ms;
 * 600 ms unless set.
 */
void
fl_decoder_set_budget (FlDecoder *self, guint budget_ms)
{
  g_return_if_fail (FL_IS_DECODER (self));

  g_mutex_lock (&self->mutex);
  self->budget_ms = budget_ms;
  g_mutex_unlock (&self->mutex);
}

/**
 * fl_decoder_set_clock:
 * @clock: (nullable): monotonic time in µs; %NULL for the system's
 *
 * The clock the budget is measured by: tests make time pass.
 */
void
fl_decoder_set_clock (FlDecoder *self, FlDecoderClock clock, gpointer data)
{
  g_return_if_fail (FL_IS_DECODER (self));

  g_mutex_lock (&self->mutex);
  self->clock = clock ? clock : monotonic_clock;
  self->clock_data = clock ? data : NULL;
  g_mutex_unlock (&self->mutex);
}

/**
 * fl_decoder_set_hint:
 * @hint: %FALSE to hand every image to ZBar
 *
 * Whether the decoder first looks quickly for anything like a code
 * (fl_code_hint_present()) and gives up on an image without; on unless
 * set. Off, the passes are all made, for comparing.
 */
void
fl_decoder_set_hint (FlDecoder *self, gboolean hint)
{
  g_return_if_fail (FL_IS_DECODER (self));

  g_mutex_lock (&self->mutex);
  self->hint = hint;
  g_mutex_unlock (&self->mutex);
}

/**
 * fl_decoder_set_hint_bar_height:
 * @height: the least height in pixels of the bars the quick look takes
 *   for a barcode; 0 (the default) for any bars
 *
 * For images of a known resolution (a card straightened to about 300
 * dpi), where a printed barcode is taller than a line of text: see
 * fl_code_hint_present_full(). Leave it at 0 for camera frames, where a
 * code's size is anyone's guess.
 */
void
fl_decoder_set_hint_bar_height (FlDecoder *self, guint height)
{
  g_return_if_fail (FL_IS_DECODER (self));

  g_mutex_lock (&self->mutex);
  self->hint_bar_height = height;
  g_mutex_unlock (&self->mutex);
}

guint
fl_decoder_get_hint_bar_height (FlDecoder *self)
{
  guint height;

  g_return_val_if_fail (FL_IS_DECODER (self), 0);

  g_mutex_lock (&self->mutex);
  height = self->hint_bar_height;
  g_mutex_unlock (&self->mutex);
  return height;
}
