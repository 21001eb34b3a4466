/* fl-cli.h: what every fairlead-cli command shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <sysexits.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *db_path;   /* --db, NULL for the default */
  gboolean demo;      /* --demo */
  FlStore *store;     /* opened on first use */
  int      store_exit_code; /* why it could not be opened */
} FlCli;

typedef int (*FlCliFunc) (FlCli  *cli,
                          int     argc,
                          char  **argv);

typedef struct
{
  const char *name;
  const char *summary;
  FlCliFunc   func;
} FlCliCommand;

FlStore *fl_cli_get_store       (FlCli       *cli);
int      fl_cli_fail            (int          code,
                                 const char  *format,
                                 ...) G_GNUC_PRINTF (2, 3);
int      fl_cli_fail_error      (int          code,
                                 const GError *error);
int      fl_cli_exit_code       (const GError *error);
gboolean fl_cli_parse           (GOptionContext *context,
                                 int         *argc,
                                 char      ***argv,
                                 int         *exit_code);
int      fl_cli_dispatch        (FlCli       *cli,
                                 const char  *group,
                                 const FlCliCommand *commands,
                                 guint        n_commands,
                                 int          argc,
                                 char       **argv);
void     fl_cli_print_json      (JsonNode    *node,
                                 gboolean     pretty);

/* One function per top-level command, in fl-cli-<command>.c. */
int      fl_cli_event           (FlCli *cli, int argc, char **argv);
int      fl_cli_leads           (FlCli *cli, int argc, char **argv);
int      fl_cli_export          (FlCli *cli, int argc, char **argv);
int      fl_cli_person          (FlCli *cli, int argc, char **argv);
int      fl_cli_erase           (FlCli *cli, int argc, char **argv);
int      fl_cli_purge           (FlCli *cli, int argc, char **argv);
int      fl_cli_staff           (FlCli *cli, int argc, char **argv);
int      fl_cli_connector       (FlCli *cli, int argc, char **argv);
int      fl_cli_upload          (FlCli *cli, int argc, char **argv);
int      fl_cli_sync            (FlCli *cli, int argc, char **argv);
int      fl_cli_parse_badge     (FlCli *cli, int argc, char **argv);
int      fl_cli_capture         (FlCli *cli, int argc, char **argv);
int      fl_cli_roster          (FlCli *cli, int argc, char **argv);
int      fl_cli_scan_image      (FlCli *cli, int argc, char **argv);
int      fl_cli_qr              (FlCli *cli, int argc, char **argv);
int      fl_cli_read_card       (FlCli *cli, int argc, char **argv);
int      fl_cli_model           (FlCli *cli, int argc, char **argv);
int      fl_cli_rescore         (FlCli *cli, int argc, char **argv);
int      fl_cli_stats           (FlCli *cli, int argc, char **argv);
int      fl_cli_doctor          (FlCli *cli, int argc, char **argv);
int      fl_cli_backup          (FlCli *cli, int argc, char **argv);
int      fl_cli_booth           (FlCli *cli, int argc, char **argv);
int      fl_cli_merge           (FlCli *cli, int argc, char **argv);

G_END_DECLS
