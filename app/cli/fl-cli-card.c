/* fl-cli-card.c: fairlead-cli read-card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "fl-cli.h"
#include "scan/fl-card-reader.h"

static int
card_exit_code (const GError *error)
{
  if (error->domain == FL_CARD_ERROR)
    {
      switch (error->code)
        {
        case FL_CARD_ERROR_READ:
        case FL_CARD_ERROR_NOT_IMAGE:
        case FL_CARD_ERROR_INVALID:
          return EX_NOINPUT;
        case FL_CARD_ERROR_ENGINE:
          return EX_UNAVAILABLE;
        default:
          return EX_SOFTWARE;
        }
    }
  return fl_cli_exit_code (error);
}

/**
 * fl_cli_read_card:
 *
 * `read-card FILE`: prints one JSON object, the contact keys of
 * `parse-badge` plus "confidence" and "text". Exit 0 when a field was
 * found, 1 when none was, 66 when the file cannot be read.
 */
int
fl_cli_read_card (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE — read a business card photo (PNG or JPEG) by OCR"));
  g_autoptr(FlCardReader) reader = NULL;
  g_autoptr(FlCardResult) result = NULL;
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  gboolean pretty = FALSE;
  GOptionEntry entries[] = {
    { "pretty", 0, 0, G_OPTION_ARG_NONE, &pretty, N_("Indent the JSON"), NULL },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Prints one JSON object: the contact fields found, \"confidence\" (field → 0..1) "
      "and \"text\" (the recognised lines).\n"
      "Exit status: 0 when a field was found, 1 when none was, 66 when the file cannot be read."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("read-card needs one FILE, a photo of a business card"));

  reader = fl_card_reader_new ();
  fl_card_reader_decode_codes_first (reader);
  result = fl_card_reader_read_file (reader, argv[1], NULL, &error);
  if (result == NULL)
    return fl_cli_fail_error (card_exit_code (error), error);

  json = fl_card_result_to_json_string (result, pretty);
  printf ("%s\n", json);
  if (fl_card_result_get_n_found (result) == 0 && fl_card_result_get_code (result) == NULL)
    {
      fl_cli_fail (1, _("No contact details found on “%s”; take a sharper, closer photo or type them in"),
                   argv[1]);
      return 1;
    }
  return EX_OK;
}
