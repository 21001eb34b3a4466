/* fl-cli-staff.c: fairlead-cli staff
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "fl-cli.h"
#include "store/fl-staff.h"

/* Reads one line from stdin; on a terminal with the echo off. */
static char *
read_secret (const char *prompt)
{
  struct termios saved, quiet;
  gboolean tty = isatty (STDIN_FILENO);
  char line[64] = "";
  char *result = NULL;

  if (tty)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      result = g_strdup (line);
    }
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fprintf (stderr, "\n");
    }
  explicit_bzero (line, sizeof line);
  return result;
}

static int
staff_add (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NAME — add a staff member, or give one a new PIN"));
  g_autoptr(GError) error = NULL;
  g_autofree char *pin = NULL;
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("The PIN (4 to 12 digits) is read from standard input, on a terminal without echo.\n"
      "Only a salted yescrypt hash of it is stored."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("staff add needs exactly one NAME"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  pin = read_secret (_("PIN: "));
  if (pin == NULL)
    return fl_cli_fail (EX_USAGE, "%s", _("No PIN given on standard input"));
  if (isatty (STDIN_FILENO))
    {
      g_autofree char *again = read_secret (_("PIN again: "));

      if (g_strcmp0 (pin, again) != 0)
        return fl_cli_fail (EX_USAGE, "%s", _("The two PINs differ; nothing was changed"));
    }
  if (!fl_staff_set (store, argv[1], pin, &error))
    {
      explicit_bzero (pin, strlen (pin));
      return fl_cli_fail_error (error->domain == FL_STAFF_ERROR ? EX_USAGE : fl_cli_exit_code (error), error);
    }
  explicit_bzero (pin, strlen (pin));
  printf (_("The PIN of “%s” is set.\n"), argv[1]);
  return EX_OK;
}

static int
staff_list (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the staff members"));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  FlStore *store;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  names = fl_staff_list (store, &error);
  if (names == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  if (names[0] == NULL)
    printf ("%s\n", _("No staff members yet. Add one with “fairlead-cli staff add NAME”."));
  for (guint i = 0; names[i] != NULL; i++)
    printf ("%s\n", names[i]);
  return EX_OK;
}

static int
staff_remove (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — remove a staff member"));
  g_autoptr(GError) error = NULL;
  FlStore *store;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("staff remove needs exactly one NAME"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if (!fl_staff_remove (store, argv[1], &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  return EX_OK;
}

static const FlCliCommand staff_commands[] = {
  { "add", N_("Add a staff member or set a new PIN"), staff_add },
  { "list", N_("List the staff members"), staff_list },
  { "remove", N_("Remove a staff member"), staff_remove },
};

int
fl_cli_staff (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "staff", staff_commands, G_N_ELEMENTS (staff_commands), argc, argv);
}
