/* card-render.c: business cards drawn for the OCR tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cards are described in tests/data/cards/cards.json: size, resolution,
 * fonts, colours, rotation, noise, blocks of text lines placed in
 * millimetres, and the fields a perfect reader would find ("expect").
 * They are drawn with Pango and cairo, like a printed card photographed
 * flat, so the tests need no image files and every case says what it is.
 */
#include "config.h"

#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "card-render.h"
#include "scan/fl-qr.h"

#define MM_PER_INCH 25.4

JsonArray *
card_specs_load (GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = NULL;
  const char *dir = g_getenv ("FAIRLEAD_TEST_DATA");
  JsonNode *root;

  path = g_build_filename (dir ? dir : "tests/data", "cards", "cards.json", NULL);
  if (!json_parser_load_from_file (parser, path, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "%s: expected an array of cards", path);
      return NULL;
    }
  return json_array_ref (json_node_get_array (root));
}

/* The card of @cards with this id; there must be one. */
JsonObject *
card_specs_find (JsonArray *cards, const char *id)
{
  for (guint i = 0; i < json_array_get_length (cards); i++)
    {
      JsonObject *spec = json_array_get_object_element (cards, i);

      if (g_strcmp0 (json_object_get_string_member (spec, "id"), id) == 0)
        return spec;
    }
  g_error ("no card “%s” in cards.json", id);
}

/* A decoder clock (FlDecoderClock) that counts its reads in the guint
 * @data points to: the decoder reads it when a decode starts and before
 * each pass after the direct one, so the count tells how far it went. */
gint64
card_counting_clock (gpointer data)
{
  guint *reads = data;

  return (gint64) (*reads)++;
}

static void
parse_colour (const char *text, double rgb[3])
{
  guint value = 0;

  if (text != NULL && text[0] == '#' && strlen (text) == 7)
    value = (guint) g_ascii_strtoull (text + 1, NULL, 16);
  rgb[0] = ((value >> 16) & 0xff) / 255.0;
  rgb[1] = ((value >> 8) & 0xff) / 255.0;
  rgb[2] = (value & 0xff) / 255.0;
}

static const char *
string_member (JsonObject *object, const char *name, const char *fallback)
{
  if (object != NULL && json_object_has_member (object, name))
    return json_object_get_string_member (object, name);
  return fallback;
}

static double
double_member (JsonObject *object, const char *name, double fallback)
{
  if (object != NULL && json_object_has_member (object, name))
    return json_object_get_double_member (object, name);
  return fallback;
}

/* Draws one block of lines; x/y are the block's anchor in millimetres. */
static void
draw_block (cairo_t *cr, JsonObject *card, JsonObject *block, double px_per_mm)
{
  JsonArray *lines = json_object_get_array_member (block, "lines");
  const char *align = string_member (block, "align", "left");
  const char *family = string_member (block, "font", string_member (card, "font", "DejaVu Sans"));
  double size = double_member (block, "size", double_member (card, "size", 8.0));
  double spacing = double_member (block, "spacing", 1.3);
  double x = double_member (block, "x", 6.0) * px_per_mm;
  double y = double_member (block, "y", 6.0) * px_per_mm;
  double ink[3];

  parse_colour (string_member (block, "ink", string_member (card, "ink", "#000000")), ink);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonNode *node = json_array_get_element (lines, i);
      JsonObject *line = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *text = line ? string_member (line, "text", "") : json_node_get_string (node);
      double line_size = double_member (line, "size", size);
      const char *weight = string_member (line, "weight", "");
      const char *style = string_member (line, "style", "");
      double line_ink[3] = { ink[0], ink[1], ink[2] };
      g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
      g_autofree char *font_name = g_strdup_printf ("%s %s %s", string_member (line, "font", family),
                                                    weight, style);
      PangoFontDescription *font = pango_font_description_from_string (font_name);
      double size_px = line_size / 72.0 * MM_PER_INCH * px_per_mm;
      int width, height;

      if (line != NULL && json_object_has_member (line, "ink"))
        parse_colour (json_object_get_string_member (line, "ink"), line_ink);
      pango_font_description_set_absolute_size (font, size_px * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_font_description_free (font);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &width, &height);

      cairo_set_source_rgb (cr, line_ink[0], line_ink[1], line_ink[2]);
      if (strcmp (align, "right") == 0)
        cairo_move_to (cr, x - width, y);
      else if (strcmp (align, "center") == 0)
        cairo_move_to (cr, x - width / 2.0, y);
      else
        cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
      y += size_px * spacing;
    }
}

/* A QR code printed on the card: "qr": { "text", "x", "y", "size" } in
 * millimetres, "rotate" in degrees about its top left corner, drawn with
 * libqrencode through fl-qr. */
static void
draw_qr (cairo_t *cr, JsonObject *qr, double px_per_mm)
{
  g_autoptr(GError) error = NULL;
  FlFrame *frame = fl_qr_render (string_member (qr, "text", ""), FL_QR_EC_MEDIUM, 1, 0,
                                 FL_PIXEL_FORMAT_GREY8, &error);
  double x = double_member (qr, "x", 60.0) * px_per_mm;
  double y = double_member (qr, "y", 30.0) * px_per_mm;
  double module;
  const guint8 *pixels;

  g_assert_no_error (error);
  module = double_member (qr, "size", 20.0) * px_per_mm / frame->width;
  pixels = g_bytes_get_data (frame->pixels, NULL);
  cairo_save (cr);
  cairo_translate (cr, x, y);
  cairo_rotate (cr, double_member (qr, "rotate", 0.0) * G_PI / 180.0);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint r = 0; r < frame->height; r++)
    for (guint c = 0; c < frame->width; c++)
      if (pixels[r * frame->stride + c] < 128)
        cairo_rectangle (cr, c * module, r * module, module, module);
  cairo_fill (cr);
  cairo_restore (cr);
  fl_frame_free (frame);
}

/* The modules of an EAN-13 (13 digits, the last the check digit), drawn
 * from its definition: '1' a bar module, '0' a space. */
static GString *
ean13_modules (const char *digits)
{
  static const char *l_codes[] = { "0001101", "0011001", "0010011", "0111101", "0100011",
                                   "0110001", "0101111", "0111011", "0110111", "0001011" };
  static const char *g_codes[] = { "0100111", "0110011", "0011011", "0100001", "0011101",
                                   "0111001", "0000101", "0010001", "0001001", "0010111" };
  static const char *parity[] = { "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
                                  "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL" };
  GString *modules = g_string_new ("101");

  g_assert_cmpuint (strlen (digits), ==, 13);
  for (guint i = 1; i <= 6; i++)
    {
      int d = digits[i] - '0';

      g_string_append (modules, parity[digits[0] - '0'][i - 1] == 'L' ? l_codes[d] : g_codes[d]);
    }
  g_string_append (modules, "01010");
  for (guint i = 7; i <= 12; i++)
    for (const char *c = l_codes[digits[i] - '0']; *c != '\0'; c++)
      g_string_append_c (modules, *c == '0' ? '1' : '0');  /* R: L inverted */
  g_string_append (modules, "101");
  return modules;
}

/* Interleaved 2 of 5 (an even number of digits): bars and spaces of one
 * or three modules. */
static GString *
i25_modules (const char *digits)
{
  static const char *patterns[] = { "nnwwn", "wnnnw", "nwnnw", "wwnnn", "nnwnw",
                                    "wnwnn", "nwwnn", "nnnww", "wnnwn", "nwnwn" };
  g_autoptr(GString) elements = g_string_new ("nnnn");
  GString *modules = g_string_new (NULL);

  g_assert_cmpuint (strlen (digits) % 2, ==, 0);
  for (const char *d = digits; *d != '\0'; d += 2)
    for (guint k = 0; k < 5; k++)
      {
        g_string_append_c (elements, patterns[d[0] - '0'][k]);
        g_string_append_c (elements, patterns[d[1] - '0'][k]);
      }
  g_string_append (elements, "wnn");
  for (guint i = 0; i < elements->len; i++)
    for (guint k = 0; k < (elements->str[i] == 'w' ? 3u : 1u); k++)
      g_string_append_c (modules, i % 2 == 0 ? '1' : '0');
  return modules;
}

/* A barcode printed on the card: "barcode": { "type" ("ean13" or "i25"),
 * "data", "x", "y" (top left), "module" (width of the narrowest bar),
 * "height", all in millimetres, "rotate" in degrees }. */
static void
draw_barcode (cairo_t *cr, JsonObject *barcode, double px_per_mm)
{
  const char *type = string_member (barcode, "type", "ean13");
  const char *data = string_member (barcode, "data", "");
  double module = double_member (barcode, "module", 0.33) * px_per_mm;
  double height = double_member (barcode, "height", 10.0) * px_per_mm;
  g_autoptr(GString) modules = NULL;

  if (strcmp (type, "ean13") == 0)
    modules = ean13_modules (data);
  else if (strcmp (type, "i25") == 0)
    modules = i25_modules (data);
  else
    g_assert_not_reached ();
  cairo_save (cr);
  cairo_translate (cr, double_member (barcode, "x", 40.0) * px_per_mm,
                   double_member (barcode, "y", 40.0) * px_per_mm);
  cairo_rotate (cr, double_member (barcode, "rotate", 0.0) * G_PI / 180.0);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < modules->len; i++)
    if (modules->str[i] == '1')
      cairo_rectangle (cr, i * module, 0, module, height);
  cairo_fill (cr);
  cairo_restore (cr);
}

/**
 * card_render:
 *
 * Returns: the card drawn at its resolution, rotated on a table when the
 *   spec says so, with its noise added
 */
CardImage *
card_render (JsonObject *spec)
{
  double dpi = double_member (spec, "dpi", 300.0);
  double px_per_mm = dpi / MM_PER_INCH;
  double width_mm = 85.0, height_mm = 55.0;
  double rotate = double_member (spec, "rotate", 0.0);
  double noise = double_member (spec, "noise", 0.0);
  const char *table = string_member (spec, "table", NULL);
  double margin_mm = (table != NULL || rotate != 0.0) ? 8.0 : 0.0;
  double paper[3], table_rgb[3];
  cairo_surface_t *surface;
  cairo_t *cr;
  CardImage *image;
  JsonArray *blocks;
  GRand *rand;

  if (json_object_has_member (spec, "size_mm"))
    {
      JsonArray *size = json_object_get_array_member (spec, "size_mm");
      width_mm = json_array_get_double_element (size, 0);
      height_mm = json_array_get_double_element (size, 1);
    }
  parse_colour (string_member (spec, "paper", "#ffffff"), paper);
  parse_colour (table ? table : "#8a8a8a", table_rgb);

  image = g_new0 (CardImage, 1);
  image->width = (guint) ceil ((width_mm + 2 * margin_mm) * px_per_mm);
  image->height = (guint) ceil ((height_mm + 2 * margin_mm) * px_per_mm);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) image->width,
                                        (int) image->height);
  cr = cairo_create (surface);

  cairo_set_source_rgb (cr, table_rgb[0], table_rgb[1], table_rgb[2]);
  cairo_paint (cr);
  cairo_translate (cr, image->width / 2.0, image->height / 2.0);
  cairo_rotate (cr, rotate * G_PI / 180.0);
  cairo_translate (cr, -width_mm * px_per_mm / 2.0, -height_mm * px_per_mm / 2.0);
  cairo_set_source_rgb (cr, paper[0], paper[1], paper[2]);
  cairo_rectangle (cr, 0, 0, width_mm * px_per_mm, height_mm * px_per_mm);
  cairo_fill (cr);

  blocks = json_object_get_array_member (spec, "blocks");
  for (guint i = 0; i < json_array_get_length (blocks); i++)
    draw_block (cr, spec, json_array_get_object_element (blocks, i), px_per_mm);
  if (json_object_has_member (spec, "qr"))
    draw_qr (cr, json_object_get_object_member (spec, "qr"), px_per_mm);
  if (json_object_has_member (spec, "barcode"))
    draw_barcode (cr, json_object_get_object_member (spec, "barcode"), px_per_mm);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  /* Grey, as the reader sees it, plus sensor-like noise: reproducible, the
   * seed is the card's id. */
  rand = g_rand_new_with_seed (g_str_hash (string_member (spec, "id", "")));
  image->stride = image->width;
  image->pixels = g_malloc (image->stride * image->height);
  for (guint y = 0; y < image->height; y++)
    {
      const guint32 *row = (const guint32 *) (gpointer) (cairo_image_surface_get_data (surface) +
                                                         y * cairo_image_surface_get_stride (surface));
      for (guint x = 0; x < image->width; x++)
        {
          guint32 p = row[x];
          double value = (0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) +
                          0.114 * (p & 0xff));

          if (noise > 0)
            value += (g_rand_double (rand) + g_rand_double (rand) - 1.0) * noise;
          image->pixels[y * image->stride + x] = (guint8) CLAMP (lround (value), 0, 255);
        }
    }
  g_rand_free (rand);
  cairo_surface_destroy (surface);
  return image;
}

void
card_image_free (CardImage *image)
{
  if (image == NULL)
    return;
  g_free (image->pixels);
  g_free (image);
}

gboolean
card_image_save_png (const CardImage *image, const char *path, GError **error)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) image->width,
                                                         (int) image->height);
  cairo_status_t status;

  cairo_surface_flush (surface);
  for (guint y = 0; y < image->height; y++)
    {
      guint32 *row = (guint32 *) (gpointer) (cairo_image_surface_get_data (surface) +
                                             y * cairo_image_surface_get_stride (surface));
      for (guint x = 0; x < image->width; x++)
        {
          guint32 v = image->pixels[y * image->stride + x];
          row[x] = 0xff000000u | (v << 16) | (v << 8) | v;
        }
    }
  cairo_surface_mark_dirty (surface);
  status = cairo_surface_write_to_png (surface, path);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/**
 * card_normalize:
 *
 * The form in which a found value is compared with the expected one:
 * phone numbers by their digits, web addresses without scheme and final
 * slash, everything else by case-folded text with single spaces.
 */
char *
card_normalize (const char *key, const char *value)
{
  g_autofree char *folded = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  if (value == NULL)
    return NULL;
  if (strcmp (key, "phone") == 0 || strcmp (key, "mobile") == 0 || strcmp (key, "note") == 0)
    {
      /* "+49 (0)40 123" and "+49 40 123" are the same number. */
      const char *p = value;

      if (g_str_has_prefix (p, "Fax: "))
        p += 5;
      for (; *p; p++)
        {
          if (g_ascii_isdigit (*p) || (*p == '+' && out->len == 0))
            g_string_append_c (out, *p);
          else if (*p == '(' && p[1] == '0' && p[2] == ')' && out->len > 0)
            p += 2;
        }
      if (g_str_has_prefix (out->str, "+"))
        return g_strdup (out->str);
      if (g_str_has_prefix (out->str, "00"))
        return g_strdup_printf ("+%s", out->str + 2);
      return g_strdup (out->str);
    }
  folded = g_utf8_casefold (value, -1);
  if (strcmp (key, "website") == 0)
    {
      const char *v = folded;

      if (g_str_has_prefix (v, "https://"))
        v += 8;
      else if (g_str_has_prefix (v, "http://"))
        v += 7;
      g_string_append (out, v);
      while (out->len > 0 && out->str[out->len - 1] == '/')
        g_string_truncate (out, out->len - 1);
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  for (const char *p = folded; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The keys scored, in the order they are printed. */
static const char *scored_keys[] = {
  "full_name", "first_name", "last_name", "title", "company", "email", "phone", "mobile",
  "note", "website", "street", "postal_code", "city", "region", "country",
};

GHashTable *
card_tallies_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static CardTally *
tally_for (GHashTable *tallies, const char *key)
{
  CardTally *tally = g_hash_table_lookup (tallies, key);

  if (tally == NULL)
    {
      tally = g_new0 (CardTally, 1);
      g_hash_table_insert (tallies, (gpointer) key, tally);
    }
  return tally;
}

static const char *
found_value (FlCardResult *result, const char *key)
{
  FlLead *lead = fl_card_result_get_lead (result);
  FlField field;

  if (strcmp (key, "note") == 0)
    return fl_lead_get_notes (lead);
  if (!fl_field_from_string (key, &field))
    return NULL;
  return fl_lead_get_field (lead, field);
}

/**
 * card_tallies_add:
 * @misses: (nullable): gets one line per wrong or missing field
 *
 * Returns: the number of expected fields read right on this card
 */
guint
card_tallies_add (GHashTable *tallies, JsonObject *expect, FlCardResult *result, GString *misses)
{
  guint right = 0;

  for (guint i = 0; i < G_N_ELEMENTS (scored_keys); i++)
    {
      const char *key = scored_keys[i];
      const char *want = json_object_has_member (expect, key)
                           ? json_object_get_string_member (expect, key) : NULL;
      const char *got = found_value (result, key);
      g_autofree char *want_n = card_normalize (key, want);
      g_autofree char *got_n = card_normalize (key, got);
      CardTally *tally = tally_for (tallies, key);

      if (want == NULL)
        {
          if (got != NULL)
            {
              tally->spurious++;
              if (misses)
                g_string_append_printf (misses, "    %-12s spurious “%s”\n", key, got);
            }
          continue;
        }
      tally->expected++;
      if (g_strcmp0 (want_n, got_n) == 0)
        {
          tally->correct++;
          right++;
        }
      else if (misses)
        g_string_append_printf (misses, "    %-12s want “%s”, got “%s”\n", key, want,
                                got ? got : "(nothing)");
    }
  return right;
}

/**
 * card_tallies_rate:
 * @key: (nullable): a field key, or %NULL for all fields together
 */
double
card_tallies_rate (GHashTable *tallies, const char *key)
{
  guint expected = 0, correct = 0;

  for (guint i = 0; i < G_N_ELEMENTS (scored_keys); i++)
    {
      CardTally *tally = g_hash_table_lookup (tallies, scored_keys[i]);

      if (tally == NULL || (key != NULL && strcmp (key, scored_keys[i]) != 0))
        continue;
      expected += tally->expected;
      correct += tally->correct;
    }
  return expected > 0 ? (double) correct / expected : 0.0;
}

void
card_tallies_print (GHashTable *tallies, GString *out)
{
  g_string_append_printf (out, "%-12s %8s %8s %9s %9s\n", "field", "expected", "correct",
                          "accuracy", "spurious");
  for (guint i = 0; i < G_N_ELEMENTS (scored_keys); i++)
    {
      CardTally *tally = g_hash_table_lookup (tallies, scored_keys[i]);

      if (tally == NULL || (tally->expected == 0 && tally->spurious == 0))
        continue;
      g_string_append_printf (out, "%-12s %8u %8u %8.1f%% %9u\n", scored_keys[i],
                              tally->expected, tally->correct,
                              tally->expected ? 100.0 * tally->correct / tally->expected : 0.0,
                              tally->spurious);
    }
  g_string_append_printf (out, "%-12s %35.1f%%\n", "overall", 100.0 * card_tallies_rate (tallies, NULL));
}
