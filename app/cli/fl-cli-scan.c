/* fl-cli-scan.c: fairlead-cli scan-image and qr
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "scan/fl-decoder.h"
#include "scan/fl-qr.h"

static void
print_symbol (const char *file, const FlSymbol *symbol)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "symbology");
  json_builder_add_string_value (builder, symbol->type_name);
  json_builder_set_member_name (builder, "data");
  json_builder_add_string_value (builder, symbol->data);
  json_builder_set_member_name (builder, "x");
  json_builder_add_int_value (builder, symbol->x);
  json_builder_set_member_name (builder, "y");
  json_builder_add_int_value (builder, symbol->y);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, symbol->width);
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, symbol->height);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  fl_cli_print_json (node, FALSE);
}

int
fl_cli_scan_image (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE… — find barcodes and QR codes in PNG or JPEG images"));
  g_autoptr(FlDecoder) decoder = fl_decoder_new ();
  g_autofree char *symbologies = NULL;
  gboolean unreadable = FALSE, missing = FALSE;
  GOptionEntry entries[] = {
    { "symbology", 's', 0, G_OPTION_ARG_STRING, &symbologies,
      N_("Only these barcode types, separated by commas: qr, code128, code39, ean-upc, i25, "
         "databar (default: all)"), N_("TYPES") },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Prints one JSON object per code found, one per line.\n"
      "Exit status: 0 when every file has a code, 1 when a file has none, "
      "66 when a file cannot be read or is not an image."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 2)
    return fl_cli_fail (EX_USAGE, "%s", _("scan-image needs at least one image FILE"));
  if (symbologies != NULL)
    {
      g_autoptr(GError) error = NULL;
      FlSymbology set;

      if (!fl_symbology_parse_list (symbologies, &set, &error))
        return fl_cli_fail (EX_USAGE, "%s", error->message);
      fl_decoder_set_symbologies (decoder, set);
    }

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) symbols = fl_decoder_decode_file (decoder, argv[i], &error);
      g_autofree char *display = g_filename_display_name (argv[i]);

      if (symbols == NULL)
        {
          fl_cli_fail (EX_NOINPUT, "%s", error->message);
          unreadable = TRUE;
          continue;
        }
      if (symbols->len == 0)
        {
          fl_cli_fail (1, _("no code found in %s"), display);
          missing = TRUE;
          continue;
        }
      for (guint j = 0; j < symbols->len; j++)
        print_symbol (display, g_ptr_array_index (symbols, j));
      fflush (stdout);
    }
  return unreadable ? EX_NOINPUT : missing ? 1 : EX_OK;
}

static char *
read_stdin (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, NULL,
                              error) < 0)
    return NULL;
  /* A trailing newline from echo or a file is not part of the text. */
  {
    gsize size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output));
    char *data = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (output));
    char *text = g_strndup (data, size);

    g_free (data);
    if (size > 0 && text[size - 1] == '\n')
      text[--size] = '\0';
    if (size > 0 && text[size - 1] == '\r')
      text[--size] = '\0';
    return text;
  }
}

int
fl_cli_qr (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("TEXT -o FILE.png|FILE.svg — draw TEXT as a QR code"));
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *ec = NULL;
  g_autofree char *text = NULL;
  int scale = FL_QR_DEFAULT_SCALE;
  int margin = FL_QR_DEFAULT_MARGIN;
  FlQrEcLevel level = FL_QR_EC_MEDIUM;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the code to OUTPUT; .png or .svg chooses the format"), N_("OUTPUT") },
    { "scale", 0, 0, G_OPTION_ARG_INT, &scale, N_("Pixels per module (default 8)"),
      N_("PIXELS") },
    { "margin", 0, 0, G_OPTION_ARG_INT, &margin,
      N_("Quiet zone around the code, in modules (default 4)"), N_("MODULES") },
    { "ec", 0, 0, G_OPTION_ARG_STRING, &ec,
      N_("Error correction: L, M, Q or H (default M)"), N_("LEVEL") },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("TEXT is stored as UTF-8. Use - as TEXT to read it from standard input."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("qr needs exactly one TEXT (quote it if it has spaces)"));
  if (output == NULL)
    return fl_cli_fail (EX_USAGE, "%s", _("qr needs an output file: -o FILE.png or -o FILE.svg"));
  if (ec != NULL && !fl_qr_ec_level_from_string (ec, &level))
    return fl_cli_fail (EX_USAGE, _("Unknown error correction level “%s”; use L, M, Q or H"),
                        ec);
  if (scale < 1 || scale > 100)
    return fl_cli_fail (EX_USAGE, "%s", _("--scale must be between 1 and 100"));
  if (margin < 0 || margin > 100)
    return fl_cli_fail (EX_USAGE, "%s", _("--margin must be between 0 and 100"));

  if (strcmp (argv[1], "-") == 0)
    {
      if ((text = read_stdin (&error)) == NULL)
        return fl_cli_fail (EX_IOERR, _("Cannot read the text from standard input: %s"), error->message);
    }
  else
    text = g_strdup (argv[1]);

  if (!fl_qr_save (text, level, scale, margin, output, &error))
    {
      if (g_error_matches (error, FL_SCAN_ERROR, FL_SCAN_ERROR_WRITE))
        return fl_cli_fail (EX_CANTCREAT, "%s", error->message);
      if (g_error_matches (error, FL_SCAN_ERROR, FL_SCAN_ERROR_INVALID) &&
          !g_utf8_validate (text, -1, NULL))
        return fl_cli_fail (EX_DATAERR, "%s", error->message);
      if (g_error_matches (error, FL_SCAN_ERROR, FL_SCAN_ERROR_TOO_LONG) || *text == '\0')
        return fl_cli_fail (EX_DATAERR, "%s", error->message);
      return fl_cli_fail (EX_USAGE, "%s", error->message);
    }
  return EX_OK;
}
