/* fl-cli-doctor.c: fairlead-cli doctor and backup
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "fl-cli.h"
#include "fl-demo.h"
#include "store/fl-backup.h"
#include "store/fl-doctor.h"

/* The database file the command works on, without opening it for writing:
 * a damaged file must be read as it is. */
static char *
database_path (FlCli *cli)
{
  if (cli->demo)
    {
      FlStore *store = fl_cli_get_store (cli);
      return store != NULL ? g_strdup (fl_store_get_path (store)) : NULL;
    }
  return cli->db_path != NULL ? g_strdup (cli->db_path) : fl_store_default_path ();
}

static void
print_report (const FlDoctorReport *report)
{
  for (guint i = 0; i < report->damaged->len; i++)
    printf ("%s\n", (const char *) g_ptr_array_index (report->damaged, i));
  printf ("\n%s\n", _("What SQLite found:"));
  for (guint i = 0; i < report->raw->len; i++)
    printf ("  %s\n", (const char *) g_ptr_array_index (report->raw, i));
}

int
fl_cli_doctor (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— check the database for damage and save what can be read"));
  g_autoptr(FlDoctorReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *recover = NULL;
  g_autofree char *path = NULL;
  GOptionEntry entries[] = {
    { "recover", 0, 0, G_OPTION_ARG_FILENAME, &recover,
      N_("Write every row that can still be read into a new database OUT"), N_("OUT.db") },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Without options, runs SQLite’s full integrity check and exits 0 when the database is "
      "sound, 65 when it is damaged. --recover OUT.db writes a new database with every row that "
      "can still be read, indexes and search built anew; then use it with --db OUT.db, or copy "
      "it over the damaged file with the kiosk closed."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s” (see --help)"), argv[1]);
  if ((path = database_path (cli)) == NULL)
    return cli->store_exit_code;

  if (recover != NULL)
    {
      g_autoptr(GArray) counts = fl_doctor_recover (path, recover, &error);

      if (counts == NULL)
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
      printf (_("Recovered into “%s”:\n"), recover);
      for (guint i = 0; i < counts->len; i++)
        {
          const FlDoctorTableCount *count = &g_array_index (counts, FlDoctorTableCount, i);

          if (count->total >= 0)
            printf ("  %-16s %" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "\n", count->table,
                    count->recovered, count->total);
          else
            {
              g_autofree char *recovered_text =
                g_strdup_printf ("%" G_GINT64_FORMAT, count->recovered);

              /* TRANSLATORS: a table and its recovered rows, when the damaged file
               * cannot tell how many rows it had */
              printf (_("  %-16s %s (of an unknown number)\n"), count->table, recovered_text);
            }
        }
      return EX_OK;
    }

  report = fl_doctor_check (path, FALSE, &error);
  if (report == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  if (report->sound)
    {
      printf (_("“%s” is sound.\n"), path);
      return EX_OK;
    }
  printf (_("“%s” is damaged.\n"), path);
  print_report (report);
  fflush (stdout);
  return fl_cli_fail (EX_DATAERR, "%s",
                      _("Run “fairlead-cli doctor --recover NEW.db” to save what can still be "
                        "read, then use NEW.db"));
}

int
fl_cli_backup (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("DEST.db — copy the database while it is in use, or check a copy"));
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  gboolean verify = FALSE;
  GOptionEntry entries[] = {
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Check that DEST.db is a sound Fairlead database instead of writing it"), NULL },
    { NULL }
  };
  FlBackupInfo info = { 0 };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The copy is consistent even while the kiosk captures, readable by its owner only, and "
      "appears under its name only once it is complete. To restore, close the kiosk and copy "
      "the backup over the database file, or run fairlead-cli --db DEST.db."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("backup needs a DEST.db (see --help)"));

  if (verify)
    {
      if (!fl_backup_verify (argv[1], &info, &error))
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }
  else
    {
      /* Opening it through the store first refuses another program's file
       * and brings an old schema up to date. */
      if (fl_cli_get_store (cli) == NULL)
        return cli->store_exit_code;
      path = g_strdup (fl_store_get_path (cli->store));
      if (!fl_backup_create (path, argv[1], &info, &error))
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }
  {
    g_autofree char *leads = g_strdup_printf ("%" G_GINT64_FORMAT, info.n_leads);
    g_autofree char *events = g_strdup_printf ("%" G_GINT64_FORMAT, info.n_events);

    printf (g_dngettext (GETTEXT_PACKAGE, "%s: Fairlead database version %d, %s lead",
                         "%s: Fairlead database version %d, %s leads", (gulong) info.n_leads),
            argv[1], info.schema_version, leads);
    printf (g_dngettext (GETTEXT_PACKAGE, ", %s event\n", ", %s events\n",
                         (gulong) info.n_events),
            events);
  }
  return EX_OK;
}
