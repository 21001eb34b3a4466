/* fairlead-cli.c: the headless Fairlead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "fl-demo.h"
#include "lead/fl-json.h"
#include "store/fl-doctor.h"
#include "store/fl-privacy.h"

static const FlCliCommand commands[] = {
  /* In the order of a show: set up, capture, review, upload, aftercare. */
  { "event", N_("Create, list and choose events"), fl_cli_event },
  { "roster", N_("Import and look up the attendee list"), fl_cli_roster },
  { "model", N_("Check, load and show the scoring model"), fl_cli_model },
  { "capture", N_("Capture a visitor from a scanned code"), fl_cli_capture },
  { "parse-badge", N_("Show what a scanned badge or card code carries"), fl_cli_parse_badge },
  { "scan-image", N_("Find barcodes and QR codes in images"), fl_cli_scan_image },
  { "read-card", N_("Read a business card photo by OCR and print its contact fields as JSON"), fl_cli_read_card },
  { "qr", N_("Draw text as a QR code (PNG or SVG)"), fl_cli_qr },
  { "leads", N_("Import, list and show leads"), fl_cli_leads },
  { "export", N_("Export the leads of the active event as CSV or JSON"), fl_cli_export },
  { "rescore", N_("Score every lead of the active event again"), fl_cli_rescore },
  { "connector", N_("Add, list, test and remove CRM connectors"), fl_cli_connector },
  { "upload", N_("Send the pending leads to the connectors now"), fl_cli_upload },
  { "sync", N_("Show the upload status"), fl_cli_sync },
  { "stats", N_("Show the figures of the event: leads per hour, status, scores, staff, upload"), fl_cli_stats },
  { "person", N_("Everything stored about a person (access requests)"), fl_cli_person },
  { "erase", N_("Erase a person's leads for good (erasure requests)"), fl_cli_erase },
  { "purge", N_("Delete personal data whose retention period is over"), fl_cli_purge },
  { "staff", N_("Staff members and their PINs for the back office"), fl_cli_staff },
  { "booth", N_("Sync the kiosks of a booth with each other: create, join, serve, sync"), fl_cli_booth },
  { "backup", N_("Copy the database while it is in use, or check a copy"), fl_cli_backup },
  { "doctor", N_("Check the database for damage and save what can be read"), fl_cli_doctor },
  { "merge", N_("Bring in another kiosk's database or backup file (booth sync rules)"), fl_cli_merge },
};

FlStore *
fl_cli_get_store (FlCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->store != NULL)
    return cli->store;
  if (!cli->demo)
    {
      g_autofree char *path = cli->db_path ? g_strdup (cli->db_path) : fl_store_default_path ();
      g_autofree char *mark = fl_doctor_get_mark (path);

      /* Writing on would spread the damage, and lose what is written. */
      if (mark != NULL)
        {
          cli->store_exit_code =
            fl_cli_fail (EX_DATAERR,
                         _("“%s” was found damaged (see “%s”); nothing was written. Run "
                           "“fairlead-cli doctor --recover NEW.db” to save what can still be "
                           "read, or “fairlead-cli doctor” to check it again."),
                         path, mark);
          return NULL;
        }
    }
  if (cli->demo)
    cli->store = fl_demo_open (&error);
  else
    cli->store = fl_store_open (cli->db_path, &error);
  if (cli->store == NULL)
    cli->store_exit_code = fl_cli_fail_error (fl_cli_exit_code (error), error);
  return cli->store;
}

int
fl_cli_fail (int code, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fflush (stdout);
  fprintf (stderr, "fairlead-cli: %s\n", message);
  return code;
}

int
fl_cli_fail_error (int code, const GError *error)
{
  return fl_cli_fail (code, "%s", error->message);
}

/* Maps an error to a sysexits.h code. */
int
fl_cli_exit_code (const GError *error)
{
  if (error == NULL)
    return EX_SOFTWARE;
  if (error->domain == FL_STORE_ERROR)
    {
      switch (error->code)
        {
        case FL_STORE_ERROR_OPEN:
          return EX_CANTCREAT;
        case FL_STORE_ERROR_NOT_FAIRLEAD:
        case FL_STORE_ERROR_INVALID:
          return EX_DATAERR;
        case FL_STORE_ERROR_TOO_NEW:
        case FL_STORE_ERROR_NO_EVENT:
          return EX_CONFIG;
        case FL_STORE_ERROR_NOT_FOUND:
          return EX_NOINPUT;
        case FL_STORE_ERROR_DISK_FULL:
        case FL_STORE_ERROR_IO:
          return EX_IOERR;
        case FL_STORE_ERROR_DAMAGED:
          return EX_DATAERR;
        default:
          return EX_SOFTWARE;
        }
    }
  if (error->domain == FL_LEAD_ERROR || error->domain == JSON_PARSER_ERROR ||
      error->domain == FL_JSON_ERROR)
    return EX_DATAERR;
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) ||
          g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return EX_NOINPUT;
      return EX_IOERR;
    }
  return EX_SOFTWARE;
}

/**
 * fl_cli_parse:
 *
 * Parses a command's options. Returns %FALSE with @exit_code set when the
 * command must stop (a usage error; --help is handled by GOption).
 */
gboolean
fl_cli_parse (GOptionContext *context, int *argc, char ***argv, int *exit_code)
{
  g_autoptr(GError) error = NULL;

  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_code = fl_cli_fail (EX_USAGE, _("%s (see --help)"), error->message);
      return FALSE;
    }
  return TRUE;
}

static void
print_commands (FILE *out, const char *group, const FlCliCommand *list, guint n)
{
  fprintf (out, _("Usage: fairlead-cli [--db PATH | --demo] %s%sCOMMAND [OPTION…]\n\n"),
           group ? group : "", group ? " " : "");
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < n; i++)
    fprintf (out, "  %-14s %s\n", list[i].name, _(list[i].summary));
  fprintf (out, "\n%s\n", _("Run a command with --help to see its options."));
}

/**
 * fl_cli_dispatch:
 * @group: (nullable): the parent command, for messages
 *
 * Runs the command named by argv[1] (argv[0] is the parent's name).
 */
int
fl_cli_dispatch (FlCli *cli, const char *group, const FlCliCommand *list, guint n, int argc,
                 char **argv)
{
  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0 ||
      strcmp (argv[1], "help") == 0)
    {
      print_commands (argc < 2 ? stderr : stdout, group, list, n);
      return argc < 2 ? EX_USAGE : EX_OK;
    }
  for (guint i = 0; i < n; i++)
    if (strcmp (argv[1], list[i].name) == 0)
      {
        g_autofree char *name = group ? g_strdup_printf ("%s %s", group, argv[1])
                                      : g_strdup (argv[1]);
        char *saved = argv[1];
        int code;

        /* Options parsers print argv[0] in --help: make it the full command. */
        argv[1] = name;
        code = list[i].func (cli, argc - 1, argv + 1);
        argv[1] = saved;
        return code;
      }
  return fl_cli_fail (EX_USAGE, _("Unknown command “%s%s%s”; run “fairlead-cli %s--help”"),
                      group ? group : "", group ? " " : "", argv[1], group ? group : "");
}

void
fl_cli_print_json (JsonNode *node, gboolean pretty)
{
  g_autofree char *text = json_to_string (node, pretty);

  fputs (text, stdout);
  fputc ('\n', stdout);
}

/* --db and --demo are accepted anywhere on the line, so "leads list --db x"
 * works as well as "--db x leads list". */
static gboolean
take_global_options (FlCli *cli, int *argc, char **argv)
{
  int out = 1;

  for (int i = 1; i < *argc; i++)
    {
      if (strcmp (argv[i], "--db") == 0)
        {
          if (i + 1 >= *argc)
            {
              fl_cli_fail (EX_USAGE, "%s", _("--db needs a path"));
              return FALSE;
            }
          g_free (cli->db_path);
          cli->db_path = g_strdup (argv[++i]);
        }
      else if (g_str_has_prefix (argv[i], "--db="))
        {
          g_free (cli->db_path);
          cli->db_path = g_strdup (argv[i] + strlen ("--db="));
        }
      else if (strcmp (argv[i], "--demo") == 0)
        cli->demo = TRUE;
      else if (strcmp (argv[i], "--") == 0)
        {
          while (i < *argc)
            argv[out++] = argv[i++];
          break;
        }
      else
        argv[out++] = argv[i];
    }
  *argc = out;
  argv[out] = NULL;
  return TRUE;
}

int
main (int argc, char **argv)
{
  FlCli cli = { 0 };
  int code;

  fl_privacy_protect_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  /* Standard output is for the JSON and CSV a script reads; debug and info
   * messages must not end up inside it. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (!take_global_options (&cli, &argc, argv))
    return EX_USAGE;
  if (cli.demo && cli.db_path != NULL)
    return fl_cli_fail (EX_USAGE, "%s", _("--demo and --db cannot be used together"));

  if (argc >= 2 && strcmp (argv[1], "--version") == 0)
    {
      printf ("fairlead-cli %s\n", PACKAGE_VERSION);
      return EX_OK;
    }

  code = fl_cli_dispatch (&cli, NULL, commands, G_N_ELEMENTS (commands), argc, argv);

  g_clear_object (&cli.store);
  g_free (cli.db_path);
  fflush (stdout);
  if (ferror (stdout))
    return EX_IOERR;
  return code;
}
