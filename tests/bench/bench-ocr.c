/* bench-ocr.c: business cards read by OCR — time per card and accuracy per field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Renders the test set (tests/data/cards/cards.json), reads every card with
 * the real Tesseract, and prints the time per card and the accuracy of each
 * field. --ablation runs the set once per preparation variant, to show
 * what each step is worth. Prints figures; never fails on them.
 *
 *   build/tests/bench/bench-ocr [--ablation] [--verbose] [--card ID] [--save DIR]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "../card-render.h"
#include "scan/fl-card-reader.h"

typedef struct
{
  const char         *name;
  FlCardPrepareSteps  steps;
} Variant;

static const Variant variants[] = {
  { "default", FL_CARD_PREPARE_DEFAULT },
  { "none (grey only)", FL_CARD_PREPARE_NONE },
  { "upscale", FL_CARD_PREPARE_UPSCALE },
  { "deskew", FL_CARD_PREPARE_DESKEW },
  { "normalize", FL_CARD_PREPARE_NORMALIZE },
  { "threshold", FL_CARD_PREPARE_THRESHOLD },
  { "upscale+deskew+normalize", FL_CARD_PREPARE_UPSCALE | FL_CARD_PREPARE_DESKEW | FL_CARD_PREPARE_NORMALIZE },
  { "upscale+deskew+threshold", FL_CARD_PREPARE_UPSCALE | FL_CARD_PREPARE_DESKEW | FL_CARD_PREPARE_THRESHOLD },
  { "all five (with find card)", FL_CARD_PREPARE_ALL },
};

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static gboolean
run_set (FlCardReader *reader, JsonArray *cards, FlCardPrepareSteps steps, const char *only,
         const char *save_dir, gboolean verbose, gboolean print_table, double *overall,
         double *email, double *median_ms, double *max_ms)
{
  g_autoptr(GHashTable) tallies = card_tallies_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GString) table = g_string_new (NULL);

  fl_card_reader_set_steps (reader, steps);
  for (guint i = 0; i < json_array_get_length (cards); i++)
    {
      JsonObject *spec = json_array_get_object_element (cards, i);
      const char *id = json_object_get_string_member (spec, "id");
      g_autoptr(GString) misses = g_string_new (NULL);
      g_autoptr(FlCardResult) result = NULL;
      g_autoptr(CardImage) image = NULL;
      g_autoptr(GBytes) pixels = NULL;
      g_autoptr(GError) error = NULL;
      gint64 start;
      double ms;
      guint right;

      if (only != NULL && strcmp (only, id) != 0)
        continue;
      image = card_render (spec);
      if (save_dir != NULL)
        {
          g_autofree char *name = g_strdup_printf ("%s.png", id);
          g_autofree char *path = g_build_filename (save_dir, name, NULL);

          if (!card_image_save_png (image, path, &error))
            g_printerr ("%s\n", error->message);
          g_clear_error (&error);
        }
      pixels = g_bytes_new_static (image->pixels, image->stride * image->height);
      start = g_get_monotonic_time ();
      result = fl_card_reader_read_pixels (reader, pixels, image->width, image->height,
                                           image->stride, FL_CARD_PIXELS_GREY8, NULL, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      if (result == NULL)
        {
          g_printerr ("%s: %s\n", id, error->message);
          return FALSE;
        }
      g_array_append_val (times, ms);
      right = card_tallies_add (tallies, json_object_get_object_member (spec, "expect"), result,
                                misses);
      if (verbose)
        {
          const char *const *lines = fl_card_result_get_lines (result);

          printf ("%-30s %4u×%-4u %7.0f ms (prepare %4.0f, recognise %5.0f) skew %+5.1f° %2u/%-2u right\n",
                  id, image->width, image->height, ms, fl_card_result_get_prepare_ms (result),
                  fl_card_result_get_recognize_ms (result), fl_card_result_get_skew (result), right,
                  json_object_get_size (json_object_get_object_member (spec, "expect")));
          for (guint l = 0; lines[l] != NULL; l++)
            printf ("    | %s\n", lines[l]);
          fputs (misses->str, stdout);
        }
    }
  if (times->len == 0)
    {
      g_printerr ("No card “%s” in the set\n", only);
      return FALSE;
    }
  g_array_sort (times, compare_double);
  *median_ms = g_array_index (times, double, times->len / 2);
  *max_ms = g_array_index (times, double, times->len - 1);
  *overall = card_tallies_rate (tallies, NULL);
  *email = card_tallies_rate (tallies, "email");
  if (print_table)
    {
      card_tallies_print (tallies, table);
      fputs (table->str, stdout);
    }
  return TRUE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— OCR of the business card test set");
  g_autoptr(FlCardReader) reader = NULL;
  g_autoptr(JsonArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *only = NULL;
  g_autofree char *save_dir = NULL;
  gboolean ablation = FALSE, verbose = FALSE;
  GOptionEntry entries[] = {
    { "ablation", 0, 0, G_OPTION_ARG_NONE, &ablation, "Run the set once per preparation variant", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every card's lines and misses", NULL },
    { "card", 0, 0, G_OPTION_ARG_STRING, &only, "Only this card", "ID" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save_dir, "Write the rendered cards as PNG here", "DIR" },
    { NULL }
  };
  double overall, email, median_ms, max_ms;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (cards = card_specs_load (&error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  printf ("OMP_THREAD_LIMIT=%s, %u processors\n",
          g_getenv ("OMP_THREAD_LIMIT") ? g_getenv ("OMP_THREAD_LIMIT") : "(unset)",
          g_get_num_processors ());
  reader = fl_card_reader_new ();
  start = g_get_monotonic_time ();
  if (!fl_card_reader_load (reader, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("engine load (%s): %.0f ms, once per process\n\n", fl_card_reader_get_languages (reader),
          (g_get_monotonic_time () - start) / 1000.0);

  if (!run_set (reader, cards, FL_CARD_PREPARE_DEFAULT, only, save_dir, verbose, TRUE, &overall,
                &email, &median_ms, &max_ms))
    return 1;
  printf ("\n%u cards, default preparation: median %.0f ms a card, slowest %.0f ms\n",
          only ? 1 : json_array_get_length (cards), median_ms, max_ms);

  if (ablation)
    {
      printf ("\n%-26s %8s %8s %10s %10s\n", "preparation", "overall", "email", "median ms", "max ms");
      for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
        {
          if (!run_set (reader, cards, variants[i].steps, only, NULL, FALSE, FALSE, &overall,
                        &email, &median_ms, &max_ms))
            return 1;
          printf ("%-26s %7.1f%% %7.1f%% %10.0f %10.0f\n", variants[i].name, 100 * overall,
                  100 * email, median_ms, max_ms);
        }
    }
  return 0;
}
