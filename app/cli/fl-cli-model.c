/* fl-cli-model.c: fairlead-cli model and rescore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "score/fl-model-store.h"
#include "score/fl-rescore.h"

static int
model_exit_code (const GError *error)
{
  if (error->domain == FL_MODEL_ERROR)
    return error->code == FL_MODEL_ERROR_NO_MODEL ? EX_CONFIG : EX_DATAERR;
  return fl_cli_exit_code (error);
}

/* Reads and validates FILE; on faults prints each one, path first, and
 * returns NULL with the exit code set. */
static FlModel *
read_model (const char *path, int *exit_code)
{
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  FlModel *model;

  model = fl_model_new_from_file (path, &faults, &error);
  if (model != NULL)
    return model;
  if (faults == NULL)
    {
      *exit_code = fl_cli_fail (fl_cli_exit_code (error), _("Cannot read “%s”: %s"), path,
                                error->message);
      return NULL;
    }
  fflush (stdout);
  for (guint i = 0; i < faults->len; i++)
    {
      g_autofree char *text = fl_model_fault_to_string (g_ptr_array_index (faults, i));
      fprintf (stderr, "%s: %s\n", path, text);
    }
  *exit_code = fl_cli_fail (EX_DATAERR,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "%s is not a valid scoring model: %u fault",
                                         "%s is not a valid scoring model: %u faults",
                                         faults->len),
                            path, faults->len);
  return NULL;
}

static void
print_summary (FlModel *model)
{
  int cap;

  printf (_("Model “%s” version %d is valid.\n"), fl_model_get_name (model),
          (int) fl_model_get_version (model));
  printf ("  %-18s %s\n", _("sha256"), fl_model_get_sha256 (model));
  printf ("  %-18s ", _("Questions"));
  printf (g_dngettext (GETTEXT_PACKAGE, "%u (%u required for SAL)\n",
                       "%u (%u required for SAL)\n", fl_model_get_n_questions (model)),
          fl_model_get_n_questions (model), fl_model_get_n_required (model));
  printf ("  %-18s %u\n", _("Rules"), fl_model_get_n_rules (model));
  printf ("  %-18s %u\n", _("Interactions"), fl_model_get_n_interactions (model));
  for (guint g = 0; g < FL_N_GROUPS; g++)
    {
      g_autofree char *label = g_strdup_printf (_("Maximum %s"), fl_group_to_string (g));

      printf ("  %-18s %d", label, fl_model_get_max_points (model, g));
      if (fl_model_get_cap (model, g, &cap))
        printf (_(" (capped at %d)"), cap);
      printf ("\n");
    }
  printf ("  %-18s %d\n", _("Maximum total"), fl_model_get_max_total (model));
  printf ("  %-18s ", _("SAL threshold"));
  printf (fl_model_get_sal_threshold (model) <= fl_model_get_max_total (model)
            ? _("%d, reachable\n") : _("%d, NOT reachable\n"),
          fl_model_get_sal_threshold (model));
  printf ("  %-18s %s\n", _("Consent version"), fl_model_get_consent_version (model));
  {
    g_autoptr(GString) languages = g_string_new (NULL);

    for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
      if (fl_model_has_language (model, l))
        g_string_append_printf (languages, "%s%s", languages->len ? ", " : "", fl_language_to_string (l));
    printf ("  %-18s %s\n", _("Visitor languages"), languages->str);
  }
  printf ("  %-18s %u\n", _("Quick notes"), fl_model_get_n_quick_notes (model));
}

static int
model_check (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("FILE — validate a scoring model"));
  g_autoptr(FlModel) model = NULL;
  int code;

  g_option_context_set_description (context,
    _("Prints a summary of a valid model, or every fault with its JSON path (exit status 65)."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("model check needs one FILE"));
  model = read_model (argv[1], &code);
  if (model == NULL)
    return code;
  print_summary (model);
  return EX_OK;
}

static int
model_load (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE — store a scoring model and make it the active event’s model"));
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlModel) previous = NULL;
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *actor = NULL;
  FlStore *store;
  gint64 n_leads;
  GOptionEntry entries[] = {
    { "by", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who loads the model, for the audit"), N_("NAME") },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("A model with faults is refused and the model in force stays.\n"
      "A changed model needs a new version."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("model load needs one FILE"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return EX_CANTCREAT;

  model = read_model (argv[1], &code);
  if (model == NULL)
    {
      g_autoptr(GError) unused = NULL;

      previous = fl_model_store_load_for_event (store, NULL, &unused);
      if (previous != NULL)
        fprintf (stderr, _("The model in force stays: “%s” version %d.\n"),
                 fl_model_get_name (previous), (int) fl_model_get_version (previous));
      return code;
    }
  if (!fl_model_store_activate (store, model, actor ? actor : g_get_user_name (), &error))
    return fl_cli_fail_error (model_exit_code (error), error);

  event = fl_store_get_active_event (store, NULL);
  printf (_("Loaded model “%s” version %d (sha256 %s); it is now the model of "
            "event “%s”.\n"),
          fl_model_get_name (model), (int) fl_model_get_version (model), fl_model_get_sha256 (model),
          event ? event->name : "?");
  n_leads = fl_store_count_leads (store, NULL, NULL);
  if (n_leads > 0)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "New captures are scored with it; run “fairlead-cli rescore” to score "
                         "the %d lead already captured.\n",
                         "New captures are scored with it; run “fairlead-cli rescore” to score "
                         "the %d leads already captured.\n",
                         (gulong) n_leads),
            (int) n_leads);
  return EX_OK;
}

static int
model_show (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— show the active event’s scoring model"));
  g_autoptr(FlModel) model = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *language = NULL;
  g_autofree char *text = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the model file exactly as it was loaded"), NULL },
    { "language", 0, 0, G_OPTION_ARG_STRING, &language, N_("Labels in this language (default: the interface language)"), "en|de" },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (language != NULL && strcmp (language, "en") != 0 && strcmp (language, "de") != 0)
    return fl_cli_fail (EX_USAGE, _("Unknown language “%s” (expected en or de)"), language);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return EX_CANTCREAT;

  model = fl_model_store_load_for_event (store, NULL, &error);
  if (model == NULL)
    return fl_cli_fail_error (model_exit_code (error), error);
  if (json)
    {
      GBytes *bytes = fl_model_get_bytes (model);
      fwrite (g_bytes_get_data (bytes, NULL), 1, g_bytes_get_size (bytes), stdout);
      return EX_OK;
    }
  text = fl_model_describe (model, language ? fl_language_from_string (language)
                                            : fl_language_default ());
  fputs (text, stdout);
  return EX_OK;
}

static const FlCliCommand model_commands[] = {
  { "check", N_("Validate a scoring model file"), model_check },
  { "load", N_("Store a scoring model and make it the active event’s model"), model_load },
  { "show", N_("Show the active event’s scoring model"), model_show },
};

int
fl_cli_model (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "model", model_commands, G_N_ELEMENTS (model_commands), argc, argv);
}

/* printf pads bytes; labels with arrows and umlauts need characters. */
static void
print_count (const char *label, guint count)
{
  glong width = g_utf8_strlen (label, -1);

  printf ("  %s%*s %u\n", label, (int) MAX (0, 26 - width), "", count);
}

static void
print_moves (const FlRescoreReport *report)
{
  for (guint from = 0; from < 3; from++)
    for (guint to = 0; to < 3; to++)
      {
        g_autofree char *label = NULL;

        if (from == to || report->moves[from][to] == 0)
          continue;
        label = g_strdup_printf ("%s → %s", fl_status_to_string (from), fl_status_to_string (to));
        print_count (label, report->moves[from][to]);
      }
  print_count (_("status unchanged"), report->n_leads - report->n_moved);
  if (report->n_overridden > 0)
    print_count (_("manual status kept"), report->n_overridden);
}

int
fl_cli_rescore (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— score every lead of the active event again"));
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *actor = NULL;
  gboolean dry_run = FALSE;
  GOptionEntry entries[] = {
    { "model", 0, 0, G_OPTION_ARG_FILENAME, &path, N_("Score with this model file instead of the active model"), N_("FILE") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Show which leads would change status; write nothing"), NULL },
    { "by", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who re-scores, for the audit"), N_("NAME") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Manual statuses (overrides) are kept. A real run writes every changed lead in one\n"
      "transaction and queues it for upload again; the audit gets one entry for the run\n"
      "and one for each lead whose status moved."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (path != NULL && (model = read_model (path, &code)) == NULL)
    return code;
  if ((store = fl_cli_get_store (cli)) == NULL)
    return EX_CANTCREAT;

  report = fl_rescore (store, model, NULL, dry_run, actor ? actor : g_get_user_name (), &error);
  if (report == NULL)
    return fl_cli_fail_error (model_exit_code (error), error);

  if (dry_run)
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "Dry run: %u lead scored with “%s” version %d"
                         "; nothing was written.\n",
                         "Dry run: %u leads scored with “%s” version %d"
                         "; nothing was written.\n",
                         report->n_leads),
            report->n_leads, report->model_name, (int) report->model_version);
  else
    printf (g_dngettext (GETTEXT_PACKAGE,
                         "Re-scored %u lead with “%s” version %d"
                         "; %u changed and were saved.\n",
                         "Re-scored %u leads with “%s” version %d"
                         "; %u changed and were saved.\n",
                         report->n_leads),
            report->n_leads, report->model_name, (int) report->model_version, report->n_changed);
  print_moves (report);

  if (report->changes->len > 0)
    printf ("\n%s\n", dry_run ? _("Leads that would change status:") : _("Leads that changed status:"));
  for (guint i = 0; i < report->changes->len; i++)
    {
      FlRescoreChange *change = g_ptr_array_index (report->changes, i);
      g_autofree char *move = g_strdup_printf ("%s → %s", fl_status_to_string (change->from),
                                               fl_status_to_string (change->to));

      printf ("  %s  %s%*s %4d → %-4d %s\n", change->uuid, move,
              (int) MAX (0, 20 - g_utf8_strlen (move, -1)), "", change->score_before,
              change->score_after, change->name ? change->name : _("(no name)"));
    }
  if (path != NULL && !dry_run)
    printf ("\n%s\n", _("The model in force for new captures is unchanged; make the file the "
                        "active model with “fairlead-cli model load FILE”."));
  return EX_OK;
}
