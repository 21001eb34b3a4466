/* test-card-codes.c: the look for a code on a card tells print from bars
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 20: on a card without a code, the quick look before ZBar
 * (fl-code-hint.c) took lines of printed text for bars, so every ZBar pass
 * of the card reader ran. Cards drawn with Pango (card-render.c) and
 * photographed on a desk (card-photo.c), read by the real reader: ZBar
 * and Tesseract.
 */
#include "config.h"

#include <string.h>

#include "card-photo.h"
#include "card-render.h"
#include "scan/fl-card-reader.h"
#include "scan/fl-code-hint.h"
#include "scan/fl-decoder.h"

/* The least bar height the card reader asks for on a card straightened to
 * @width pixels: CARD_BAR_MM (5 mm) of 85 (fl-card-reader.c). */
#define BAR_HEIGHT(width) ((guint) ((width) * 5.0 / 85.0))

static JsonArray *
load_cards (void)
{
  g_autoptr(GError) error = NULL;
  JsonArray *cards = card_specs_load (&error);

  g_assert_no_error (error);
  return cards;
}

static const char *english[] = {
  "Illuminated Hill Mill Williams Illinois | Ill will | 1111 lllll",
  "Managing Director, Sales Engineering and Minimum Stock Planning",
  "sarah.whitfield@brightwater.co.uk · info@hellmill-illing.com",
  "+44 20 7946 0321 | +1 (617) 555-0142 | www.williamsmill.com",
};

static const char *german[] = {
  "Geschäftsführerin · Fernmeldeanlagenelektronikerin · Hafenstraße 12",
  "Vertriebsleiterin für Industriemaschinen und Anlagenbau, Müllheim",
  "juergen.mueller@nordwind-logistik.de · büro@illertal-mühle.de",
  "Tel. +49 40 123456-0 | Fax +49 40 123456-99 | Mobil +49 171 2345678",
};

/* A card full of long lines of print, nothing else, at 300 dpi. */
static JsonObject *
print_card (const char *font, const char *weight, double size, const char **lines)
{
  JsonObject *spec = json_object_new ();
  JsonObject *block = json_object_new ();
  JsonArray *blocks = json_array_new ();
  JsonArray *text = json_array_new ();
  /* Lines fill the card's 55 mm; a point is 0.353 mm. */
  guint n = (guint) (50.0 / (size * 0.353 * 1.25));

  for (guint i = 0; i < MAX (n, 1u); i++)
    {
      JsonObject *line = json_object_new ();

      json_object_set_string_member (line, "text", lines[i % 4]);
      json_object_set_string_member (line, "weight", weight);
      json_array_add_object_element (text, line);
    }
  json_object_set_string_member (spec, "id", "print");
  json_object_set_string_member (spec, "font", font);
  json_object_set_double_member (spec, "noise", 3.0);
  json_object_set_double_member (block, "x", 3.0);
  json_object_set_double_member (block, "y", 2.0);
  json_object_set_double_member (block, "size", size);
  json_object_set_double_member (block, "spacing", 1.25);
  json_object_set_array_member (block, "lines", text);
  json_array_add_object_element (blocks, block);
  json_object_set_array_member (spec, "blocks", blocks);
  return spec;
}

/* Lines of print in DejaVu Sans and Serif, regular and bold, 8 to 24 pt,
 * English and German, on a card at 300 dpi: no bars, no finder pattern.
 * The rule for any bars (a camera frame's) takes most of them for bars. */
static void
test_print_is_not_bars (void)
{
  static const char *fonts[] = { "DejaVu Sans", "DejaVu Serif" };
  static const char *weights[] = { "", "Bold" };
  static const double sizes[] = { 8, 10, 12, 16, 20, 24 };
  guint taken = 0, total = 0;

  for (guint f = 0; f < G_N_ELEMENTS (fonts); f++)
    for (guint w = 0; w < G_N_ELEMENTS (weights); w++)
      for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
        for (guint l = 0; l < 2; l++)
          {
            g_autoptr(JsonObject) spec = print_card (fonts[f], weights[w], sizes[s],
                                                     l == 0 ? english : german);
            g_autoptr(CardImage) card = card_render (spec);
            gboolean any = fl_code_hint_present (card->pixels, card->width, card->height,
                                                 card->stride);

            g_test_message ("%s %s %g pt, %s: %s for any bars", fonts[f], weights[w], sizes[s],
                            l == 0 ? "English" : "German", any ? "maybe" : "no code");
            g_assert_cmpuint (card->width, >, 1000);
            g_assert_false (fl_code_hint_present_full (card->pixels, card->width, card->height,
                                                       card->stride, BAR_HEIGHT (card->width)));
            taken += any;
            total++;
          }
  g_test_message ("%u of %u cards of print pass the rule for any bars", taken, total);
  g_assert_cmpuint (taken, >, total / 2);
}

/* Cards without a code, photographed: the reader's decode gives up at the
 * quick look, before any ZBar pass. Its clock is read when the decode
 * starts and before each pass after the direct one: once means it gave up
 * at once. Before, the print passed for bars and every pass ran. */
static void
test_photo_print_skips_zbar (void)
{
  g_autoptr(JsonArray) cards = load_cards ();
  g_autoptr(FlCardReader) reader = fl_card_reader_new ();
  g_autoptr(FlDecoder) decoder = fl_decoder_new ();
  const struct { const char *id; guint32 seed; gboolean large; } cases[] = {
    { "en-london", 2026, FALSE },
    { "de-muenchen-centred", 7, TRUE },
    { "de-hafen", 11, FALSE },
    { "en-us-suite", 16, TRUE },
  };
  guint reads = 0;

  fl_decoder_set_clock (decoder, card_counting_clock, &reads);
  fl_card_reader_decode_codes_with (reader, decoder);
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(CardImage) photo = NULL;
      g_autoptr(GBytes) pixels = NULL;
      g_autoptr(FlCardResult) result = NULL;
      g_autoptr(GError) error = NULL;
      CardPhotoParams params;

      card_photo_params_random (&params, cases[c].seed, cases[c].large, TRUE);
      photo = card_photo_render (card_specs_find (cards, cases[c].id), &params, NULL);
      pixels = g_bytes_new_static (photo->pixels, photo->stride * photo->height);
      reads = 0;
      result = fl_card_reader_read_pixels (reader, pixels, photo->width, photo->height,
                                           photo->stride, FL_CARD_PIXELS_GREY8, NULL, &error);
      g_assert_no_error (error);
      g_test_message ("%s: the decoder's clock read %u times", cases[c].id, reads);
      g_assert_nonnull (fl_card_result_get_card_image (result, NULL, NULL, NULL));
      g_assert_null (fl_card_result_get_code (result));
      g_assert_cmpuint (reads, ==, 1);
      /* The decoder is left as it was given. */
      g_assert_cmpuint (fl_decoder_get_hint_bar_height (decoder), ==, 0);
    }
}

typedef struct
{
  const char *name;
  const char *member;   /* "barcode" or "qr" */
  const char *type;     /* for a barcode */
  const char *data;
  const char *expect;   /* what ZBar reads */
  double      x, y, module, height, rotate;  /* mm, degrees; for a QR, height is its size */
  guint32     seed;
  gboolean    large;
} CodeCase;

static const CodeCase code_cases[] = {
  /* EAN-13 at 80 %, its smallest, cut down to 8 mm. */
  { "ean13-small", "barcode", "ean13", "4006381333931", "4006381333931", 47, 38, 0.264, 8, 0, 2026, FALSE },
  /* Printed a few degrees askew. */
  { "ean13-askew", "barcode", "ean13", "4006381333931", "4006381333931", 47, 36, 0.3, 10, 4, 31, FALSE },
  /* Standing on its end: bars lying down in the card. */
  { "ean13-upright", "barcode", "ean13", "4006381333931", "4006381333931", 79, 14, 0.3, 10, 90, 32, TRUE },
  { "i25-small", "barcode", "i25", "4006381333", "4006381333", 48, 40, 0.25, 6, 0, 33, FALSE },
  { "qr-vcard", "qr", NULL, "BEGIN:VCARD\nVERSION:3.0\nFN:Sarah Whitfield\n"
    "EMAIL:sarah.whitfield@brightwater.co.uk\nEND:VCARD", NULL, 62, 30, 0, 16, 0, 34, FALSE },
  { "qr-small", "qr", NULL, "https://brightwater.co.uk/sw", NULL, 68, 36, 0, 11, 0, 35, FALSE },
  { "qr-askew", "qr", NULL, "https://brightwater.co.uk/sw", NULL, 64, 32, 0, 13, -5, 36, TRUE },
  { "qr-turned", "qr", NULL, "https://brightwater.co.uk/sw", NULL, 62, 33, 0, 13, 20, 37, FALSE },
};

/* Cards that carry a code, photographed: the code is still read, small,
 * askew or upright, once the card is found and straightened. */
static void
test_photo_code_read (gconstpointer data)
{
  const CodeCase *code = data;
  g_autoptr(JsonArray) cards = load_cards ();
  g_autoptr(FlCardReader) reader = fl_card_reader_new ();
  g_autoptr(JsonObject) spec = json_object_new ();
  g_autoptr(CardImage) photo = NULL;
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(FlCardResult) result = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *london = card_specs_find (cards, "en-london");
  JsonObject *member = json_object_new ();
  g_autoptr(GList) names = json_object_get_members (london);
  CardPhotoParams params;

  for (GList *l = names; l != NULL; l = l->next)
    json_object_set_member (spec, l->data, json_node_copy (json_object_get_member (london, l->data)));
  json_object_set_string_member (member, "data", code->data);
  json_object_set_string_member (member, "text", code->data);
  json_object_set_double_member (member, "x", code->x);
  json_object_set_double_member (member, "y", code->y);
  if (code->type != NULL)
    {
      json_object_set_string_member (member, "type", code->type);
      json_object_set_double_member (member, "module", code->module);
      json_object_set_double_member (member, "height", code->height);
      json_object_set_double_member (member, "rotate", code->rotate);
    }
  else
    {
      json_object_set_double_member (member, "size", code->height);
      json_object_set_double_member (member, "rotate", code->rotate);
    }
  json_object_set_object_member (spec, code->member, member);

  card_photo_params_random (&params, code->seed, code->large, TRUE);
  photo = card_photo_render (spec, &params, NULL);
  pixels = g_bytes_new_static (photo->pixels, photo->stride * photo->height);
  fl_card_reader_decode_codes_first (reader);
  result = fl_card_reader_read_pixels (reader, pixels, photo->width, photo->height, photo->stride,
                                       FL_CARD_PIXELS_GREY8, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fl_card_result_get_card_image (result, NULL, NULL, NULL));
  g_assert_cmpstr (fl_card_result_get_code (result), ==, code->expect ? code->expect : code->data);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/card-codes/print-is-not-bars", test_print_is_not_bars);
  g_test_add_func ("/card-codes/photo/print-skips-zbar", test_photo_print_skips_zbar);
  for (guint i = 0; i < G_N_ELEMENTS (code_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/card-codes/photo/%s", code_cases[i].name);

      g_test_add_data_func (path, &code_cases[i], test_photo_code_read);
    }
  return g_test_run ();
}
