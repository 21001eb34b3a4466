/* fl-cli-privacy.c: fairlead-cli person, erase and purge
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fl-cli.h"
#include "store/fl-privacy.h"

static GPtrArray *
find_person (FlStore *store, const char *email, const char *uuid, int *code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) uuids = NULL;

  uuids = fl_privacy_find_leads (store, email, uuid, &error);
  if (uuids == NULL)
    {
      *code = fl_cli_fail_error (fl_cli_exit_code (error), error);
      return NULL;
    }
  if (uuids->len == 0)
    {
      *code = fl_cli_fail (EX_NOINPUT, email ? _("No lead has the email address “%s”")
                                             : _("There is no lead “%s”"),
                           email ? email : uuid);
      return NULL;
    }
  return g_steal_pointer (&uuids);
}

static gboolean
check_person_options (const char *email, const char *uuid, const char *command, int *code)
{
  if ((email == NULL) == (uuid == NULL))
    {
      *code = fl_cli_fail (EX_USAGE, _("%s needs either --email or --uuid"), command);
      return FALSE;
    }
  if (uuid != NULL && !g_uuid_string_is_valid (uuid))
    {
      *code = fl_cli_fail (EX_USAGE, _("“%s” is not a UUID"), uuid);
      return FALSE;
    }
  return TRUE;
}

static int
person_export (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— everything stored about a person, as JSON (for an access request)"));
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(JsonNode) export = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *uuid = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The person's email address"), N_("EMAIL") },
    { "uuid", 0, 0, G_OPTION_ARG_STRING, &uuid, N_("The lead's uuid"), N_("UUID") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (readable by you only) instead of standard output"), N_("FILE") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code) ||
      !check_person_options (email, uuid, "person export", &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if ((uuids = find_person (store, email, uuid, &code)) == NULL)
    return code;
  export = fl_privacy_export_person (store, uuids, &error);
  if (export == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  if (output == NULL)
    fl_cli_print_json (export, TRUE);
  else
    {
      g_autofree char *text = json_to_string (export, TRUE);

      if (!g_file_set_contents_full (output, text, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
        return fl_cli_fail (EX_CANTCREAT, _("Cannot write “%s”: %s"), output, error->message);
    }
  return EX_OK;
}

static const FlCliCommand person_commands[] = {
  { "export", N_("Everything stored about a person, as JSON"), person_export },
};

int
fl_cli_person (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "person", person_commands, G_N_ELEMENTS (person_commands), argc, argv);
}

static gboolean
confirm (const char *question)
{
  char answer[16] = "";

  fprintf (stderr, "%s ", question);
  fflush (stderr);
  if (fgets (answer, sizeof answer, stdin) == NULL)
    return FALSE;
  /* Translators: the letter that answers "yes" to a [y/N] question. */
  return g_ascii_tolower (answer[0]) == 'y' || g_ascii_tolower (answer[0]) == _("y")[0];
}

int
fl_cli_erase (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— erase a person's leads for good (for an erasure request)"));
  g_autoptr(GPtrArray) uuids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *email = NULL, *uuid = NULL, *staff = NULL;
  gboolean yes = FALSE;
  GOptionEntry entries[] = {
    { "email", 0, 0, G_OPTION_ARG_STRING, &email, N_("The person's email address"), N_("EMAIL") },
    { "uuid", 0, 0, G_OPTION_ARG_STRING, &uuid, N_("The lead's uuid"), N_("UUID") },
    { "yes", 0, 0, G_OPTION_ARG_NONE, &yes, N_("Do not ask for confirmation"), NULL },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_("Who erases, for the audit (default: your user name)"), N_("NAME") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("Removes the leads with their answers, interactions, consents, search index and upload queue,\n"
      "and the roster entry of the same badge or email. The audit keeps only the uuid, the time\n"
      "and who erased it. Leads already in a CRM must be erased there too."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code) ||
      !check_person_options (email, uuid, "erase", &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if ((uuids = find_person (store, email, uuid, &code)) == NULL)
    return code;

  if (!yes)
    {
      g_autofree char *question = NULL;

      if (!isatty (STDIN_FILENO))
        return fl_cli_fail (EX_USAGE, "%s", _("Erasing cannot be undone: add --yes to confirm"));
      question = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Erase %u lead for good? [y/N]",
                                               "Erase %u leads for good? [y/N]", uuids->len),
                                  uuids->len);
      if (!confirm (question))
        {
          fprintf (stderr, "%s\n", _("Nothing was erased."));
          return EX_OK;
        }
    }

  for (guint i = 0; i < uuids->len; i++)
    {
      if (!fl_privacy_erase_lead (store, g_ptr_array_index (uuids, i),
                                  staff ? staff : g_get_user_name (), &error))
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
      printf (_("Erased %s\n"), (const char *) g_ptr_array_index (uuids, i));
    }
  if (!fl_privacy_scrub_files (store, &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  return EX_OK;
}

int
fl_cli_purge (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— delete personal data whose retention period is over"));
  g_autoptr(FlRetention) retention = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;
  gboolean dry_run = FALSE, include_undelivered = FALSE, trust_clock = FALSE;
  GOptionEntry entries[] = {
    { "dry-run", 0, 0, G_OPTION_ARG_NONE, &dry_run, N_("Only list what would be deleted"), NULL },
    { "include-undelivered", 0, 0, G_OPTION_ARG_NONE, &include_undelivered,
      N_("Also delete expired leads that never reached a CRM nor were exported"), NULL },
    { "trust-clock", 0, 0, G_OPTION_ARG_NONE, &trust_clock,
      N_("Delete even though the clock reads earlier than the newest record (check the clock first)"), NULL },
    { NULL }
  };
  FlRetentionFlags flags = FL_RETENTION_DEFAULT;
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("An event's setting retention_days deletes a lead that many days after it was handed over:\n"
      "delivered to every enabled connector, or exported after its last change. A lead never\n"
      "handed over is kept and reported once that many days have passed since the event's last day;\n"
      "--include-undelivered deletes it too. Nothing is deleted while the clock reads earlier than\n"
      "the newest time in the database (exit code 75) unless --trust-clock is given."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  if (dry_run)
    flags |= FL_RETENTION_DRY_RUN;
  if (include_undelivered)
    flags |= FL_RETENTION_INCLUDE_UNDELIVERED;
  if (trust_clock)
    flags |= FL_RETENTION_TRUST_CLOCK;
  retention = fl_privacy_apply_retention (store, now, flags, "purge", &error);
  if (retention == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  if (retention->deleted || dry_run)
    for (guint i = 0; i < retention->due->len; i++)
      printf ("%s\n", (const char *) g_ptr_array_index (retention->due, i));
  fflush (stdout);
  if (dry_run)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u lead would be deleted.\n", "%u leads would be deleted.\n",
                                  retention->due->len),
             retention->due->len);
  else if (retention->deleted || retention->due->len == 0)
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "%u lead deleted.\n", "%u leads deleted.\n",
                                  retention->deleted ? retention->due->len : 0),
             retention->deleted ? retention->due->len : 0);

  report = fl_retention_describe (retention);
  if (report != NULL)
    fprintf (stderr, "%s\n", report);
  /* The uuids kept are no personal data; they let a person look each up. */
  if (dry_run && !include_undelivered)
    for (guint i = 0; i < retention->undelivered->len; i++)
      fprintf (stderr, _("  kept, never handed over: %s\n"),
               (const char *) g_ptr_array_index (retention->undelivered, i));

  if (!dry_run && retention->due->len > 0 && !retention->deleted)
    return fl_cli_fail (EX_TEMPFAIL, "%s", _("Nothing was deleted: the clock cannot be trusted. Correct it, or "
                                              "run purge again with --trust-clock if it is right."));
  return EX_OK;
}
