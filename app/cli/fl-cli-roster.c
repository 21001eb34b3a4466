/* fl-cli-roster.c: fairlead-cli roster
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "lead/fl-csv.h"
#include "lead/fl-roster.h"
#include "store/fl-roster-store.h"

static const char *
delimiter_name (char delimiter)
{
  switch (delimiter)
    {
    case ';':
      return _("semicolon");
    case '\t':
      return _("tab");
    case ',':
    default:
      return _("comma");
    }
}

static int
roster_import (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE — import the attendee list of the active event"));
  g_autoptr(FlRosterReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) map = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_STRING_ARRAY, &map,
      N_("Read COLUMN as FIELD (a contact field, badge_id, extra or ignore); repeat for several"),
      N_("COLUMN=FIELD") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the report as JSON"), NULL },
    { NULL }
  };
  gsize length = 0;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The file is CSV with a header line, separated by commas, semicolons or tabs, in UTF-8 "
      "or Windows-1252. Headers in English and German are recognised (Vorname, Nachname, Firma, "
      "E-Mail, Badge-ID…); other columns are kept as extra data. A badge id imported before "
      "is updated. Rows that cannot be imported are listed with their line and reason."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("roster import needs exactly one FILE"));
  if (!g_file_get_contents (argv[1], &contents, &length, &error))
    return fl_cli_fail (fl_cli_exit_code (error), _("Cannot read “%s”: %s"), argv[1],
                        error->message);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  report = fl_store_import_roster (store, NULL, contents, length, (const char *const *) map, &error);
  if (report == NULL)
    {
      if (g_error_matches (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_BAD_MAP))
        return fl_cli_fail_error (EX_USAGE, error);
      if (error->domain == FL_ROSTER_ERROR || error->domain == FL_CSV_ERROR)
        return fl_cli_fail (EX_DATAERR, "%s: %s", argv[1], error->message);
      return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }

  if (json)
    {
      g_autoptr(JsonNode) node = fl_roster_report_to_json (report);
      fl_cli_print_json (node, TRUE);
      return EX_OK;
    }

  printf (g_dngettext (GETTEXT_PACKAGE, "%u attendee imported", "%u attendees imported",
                       report->n_imported),
          report->n_imported);
  printf (g_dngettext (GETTEXT_PACKAGE, ", %u updated", ", %u updated", report->n_updated),
          report->n_updated);
  printf (g_dngettext (GETTEXT_PACKAGE, ", %u row skipped", ", %u rows skipped",
                       report->skipped->len),
          report->skipped->len);
  printf (_(" (columns separated by %s).\n"), delimiter_name (report->delimiter));
  for (guint i = 0; i < report->headers->len; i++)
    printf ("  %-24s → %s\n", (char *) g_ptr_array_index (report->headers, i),
            (char *) g_ptr_array_index (report->targets, i));
  for (guint i = 0; i < report->skipped->len; i++)
    {
      FlRosterSkip *skip = &g_array_index (report->skipped, FlRosterSkip, i);
      printf (_("%s:%u: skipped: %s\n"), argv[1], skip->line, skip->reason);
    }
  return EX_OK;
}

static int
roster_lookup (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("BADGE_ID — show what the roster of the active event knows"));
  g_autoptr(FlLead) attendee = NULL;
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  FlStore *store;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("roster lookup needs exactly one BADGE_ID"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  event = fl_store_get_active_event (store, &error);
  if (event == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  attendee = fl_store_find_attendee (store, event->uuid, argv[1], &error);
  if (attendee == NULL && error != NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  if (attendee == NULL)
    return fl_cli_fail (EX_NOINPUT, _("The roster of “%s” has no badge id “%s”"), event->name,
                        argv[1]);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "badge_id");
  json_builder_add_string_value (builder, fl_lead_get_badge_id (attendee));
  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (fl_lead_get_field (attendee, i) != NULL)
      {
        json_builder_set_member_name (builder, fl_field_to_string (i));
        json_builder_add_string_value (builder, fl_lead_get_field (attendee, i));
      }
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  fl_cli_print_json (node, TRUE);
  return EX_OK;
}

static const FlCliCommand roster_commands[] = {
  { "import", N_("Import the attendee list of the active event from CSV"), roster_import },
  { "lookup", N_("Show the attendee with a badge id"), roster_lookup },
};

int
fl_cli_roster (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "roster", roster_commands, G_N_ELEMENTS (roster_commands), argc, argv);
}
