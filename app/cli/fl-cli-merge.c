/* fl-cli-merge.c: fairlead-cli merge FILE.db
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>

#include "booth/fl-replica.h"
#include "fl-cli.h"

int
fl_cli_merge (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE.db — bring in another kiosk’s database or a backup of it"));
  g_autoptr(GError) error = NULL;
  FlReplicaStats stats = { 0 };
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("Applies what FILE.db holds and this database lacks, by the same rules as booth sync:\n"
      "the later edit of a field wins, consent ledgers, interactions and history are joined,\n"
      "the same visitor captured on both becomes one lead. FILE.db is left as it was.\n"
      "Merging the same file again changes nothing; an interrupted merge resumes where it\n"
      "stopped."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("merge needs the FILE.db to merge"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  if (!fl_replica_merge_file (store, argv[1], &stats, &error))
    {
      if (g_error_matches (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_MISSING))
        return fl_cli_fail_error (EX_NOINPUT, error);
      if (g_error_matches (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD) ||
          g_error_matches (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_INVALID))
        return fl_cli_fail_error (EX_DATAERR, error);
      return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }
  /* TRANSLATORS: the figures of a merge; a "change" is one edit of one record */
  printf (_("%u changes applied, %u already held, %u visitors merged\n"), stats.applied,
          stats.skipped, stats.merged);
  return EX_OK;
}
