/* bench-photos.c: business cards photographed on a desk — fields right and time per photo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every card of tests/data/cards/cards.json is laid on a desk by
 * tests/card-photo.c (keystone, rotation, uneven light, a shadow, slight
 * blur, sensor noise, JPEG; every other photo 3000 × 2000, the others
 * 1920 × 1080; every fifth a light desk) and read by Fairlead as the kiosk
 * reads it. With --compare, the same JPEGs go to the tesseract command-line
 * tool (its text through Fairlead's field rules) and, for cards with a QR
 * code, to zbarimg, when they are installed. Another --seed is another set
 * made the same way. Prints figures; never fails on them.
 *
 *   OMP_THREAD_LIMIT=1 build/tests/bench/bench-photos [--seed N] [--compare] [--whole]
 *                                                     [--verbose] [--card ID] [--save DIR]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

#include "../card-photo.h"
#include "scan/fl-card-fields.h"
#include "scan/fl-card-reader.h"

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *times)
{
  if (times->len == 0)
    return 0;
  g_array_sort (times, compare_double);
  return g_array_index (times, double, times->len / 2);
}

/* Runs a command-line tool on @path; its standard output, or NULL. */
static char *
run_tool (const char * const *argv, double *seconds)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, &error))
    return NULL;
  *seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&out);
}

int
main (int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new ("— OCR of cards photographed on a desk");
  g_autoptr(FlCardReader) reader = NULL;
  g_autoptr(JsonArray) cards = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) tallies = card_tallies_new ();
  g_autoptr(GHashTable) cli_tallies = card_tallies_new ();
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cli_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *only = NULL;
  g_autofree char *save_dir = NULL;
  g_autofree char *tmp_dir = NULL;
  g_autofree char *tesseract = g_find_program_in_path ("tesseract");
  g_autofree char *zbarimg = g_find_program_in_path ("zbarimg");
  gboolean verbose = FALSE, compare = FALSE, whole = FALSE;
  int seed = 21;
  guint n_photos = 0, n_codes = 0, codes_fl = 0, codes_zbar = 0;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Draw the photos from this seed (default 21)", "N" },
    { "compare", 0, 0, G_OPTION_ARG_NONE, &compare, "Run tesseract and zbarimg on the same photos", NULL },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every photo's lines and misses", NULL },
    { "whole", 0, 0, G_OPTION_ARG_NONE, &whole, "Read the whole photo: do not find the card first", NULL },
    { "card", 0, 0, G_OPTION_ARG_STRING, &only, "Only this card", "ID" },
    { "save", 0, 0, G_OPTION_ARG_FILENAME, &save_dir, "Write the photos as JPEG here", "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) ||
      (cards = card_specs_load (&error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  printf ("OMP_THREAD_LIMIT=%s, %u processors, seed %d\n",
          g_getenv ("OMP_THREAD_LIMIT") ? g_getenv ("OMP_THREAD_LIMIT") : "(unset)",
          g_get_num_processors (), seed);
  reader = fl_card_reader_new ();
  fl_card_reader_decode_codes_first (reader);
  if (whole)
    fl_card_reader_set_steps (reader, FL_CARD_PREPARE_DEFAULT & ~FL_CARD_PREPARE_FIND_CARD);
  if (!fl_card_reader_load (reader, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  tmp_dir = g_dir_make_tmp ("fairlead-photos-XXXXXX", NULL);

  for (guint i = 0; i < json_array_get_length (cards); i++)
    {
      JsonObject *spec = json_array_get_object_element (cards, i);
      JsonObject *expect = json_object_get_object_member (spec, "expect");
      const char *id = json_object_get_string_member (spec, "id");
      gboolean has_code = json_object_has_member (spec, "qr");
      g_autoptr(GString) misses = g_string_new (NULL);
      g_autoptr(FlCardResult) result = NULL;
      g_autoptr(CardImage) photo = NULL;
      g_autoptr(GBytes) jpeg = NULL;
      g_autofree char *name = g_strdup_printf ("%s.jpg", id);
      g_autofree char *path = g_build_filename (save_dir ? save_dir : tmp_dir, name, NULL);
      CardPhotoParams params;
      gint64 start;
      double seconds;
      guint right;

      if (only != NULL && strcmp (only, id) != 0)
        continue;
      card_photo_params_random (&params, (guint32) seed * 1000 + i, i % 2 == 0, i % 5 == 4);
      photo = card_photo_render (spec, &params, &jpeg);
      if (!g_file_set_contents (path, g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg), &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      n_photos++;

      /* As the kiosk reads a still: from the file, decoded here. */
      start = g_get_monotonic_time ();
      result = fl_card_reader_read_file (reader, path, NULL, &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      if (result == NULL)
        {
          g_printerr ("%s: %s\n", id, error->message);
          return 1;
        }
      g_array_append_val (times, seconds);
      right = card_tallies_add (tallies, expect, result, misses);
      if (has_code)
        {
          n_codes++;
          codes_fl += fl_card_result_get_code (result) != NULL;
        }
      if (verbose)
        {
          const char *const *lines = fl_card_result_get_lines (result);

          printf ("%-28s %4u×%-4u %s desk %3.0f rot %+5.1f° key %.2f blur %.1f q%d  %5.2f s  %2u/%-2u %s\n",
                  id, params.width, params.height, i % 5 == 4 ? "light" : "     ", params.desk_grey,
                  params.rotate, params.keystone, params.blur, params.jpeg_quality, seconds, right,
                  json_object_get_size (expect),
                  fl_card_result_get_card_image (result, NULL, NULL, NULL) ? "card found" : "read whole");
          for (guint l = 0; lines[l] != NULL; l++)
            printf ("    | %s\n", lines[l]);
          fputs (misses->str, stdout);
        }

      if (compare && tesseract != NULL)
        {
          const char *tess_argv[] = { tesseract, path, "stdout", "-l", "deu+eng", NULL };
          g_autofree char *text = run_tool (tess_argv, &seconds);

          if (text != NULL)
            {
              g_autoptr(FlCardResult) cli = fl_card_fields_from_text (text);

              g_array_append_val (cli_times, seconds);
              card_tallies_add (cli_tallies, expect, cli, NULL);
            }
        }
      if (compare && zbarimg != NULL && has_code)
        {
          const char *zbar_argv[] = { zbarimg, "-q", "--raw", "-Sbinary", path, NULL };
          g_autofree char *text = run_tool (zbar_argv, &seconds);

          codes_zbar += text != NULL && text[0] != '\0';
        }
      if (save_dir == NULL)
        g_remove (path);
    }
  g_rmdir (tmp_dir);

  {
    g_autoptr(GString) table = g_string_new (NULL);

    card_tallies_print (tallies, table);
    printf ("\nFairlead, %u photos:\n%s", n_photos, table->str);
  }
  printf ("\n%-24s %12s %10s %12s\n", "", "fields right", "email", "median s");
  printf ("%-24s %11.1f%% %9.1f%% %12.2f\n", "fairlead", 100 * card_tallies_rate (tallies, NULL),
          100 * card_tallies_rate (tallies, "email"), median (times));
  if (compare && tesseract == NULL)
    printf ("%-24s (not installed)\n", "tesseract CLI");
  else if (compare)
    printf ("%-24s %11.1f%% %9.1f%% %12.2f\n", "tesseract CLI + rules",
            100 * card_tallies_rate (cli_tallies, NULL), 100 * card_tallies_rate (cli_tallies, "email"),
            median (cli_times));
  if (n_codes > 0)
    {
      printf ("QR codes on cards: fairlead %u of %u", codes_fl, n_codes);
      if (compare && zbarimg != NULL)
        printf (", zbarimg -Sbinary %u of %u", codes_zbar, n_codes);
      printf ("\n");
    }
  return 0;
}
