/* fl-cli-stats.c: fairlead-cli stats — the back office's dashboard as text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#include "fl-cli.h"
#include "score/fl-model-store.h"
#include "store/fl-stats.h"
#include "sync/fl-backlog.h"

static const FlStatus statuses[] = { FL_STATUS_SAL, FL_STATUS_MQL, FL_STATUS_DISQUALIFIED };
static const FlUploadState upload_states[] = { FL_UPLOAD_DONE, FL_UPLOAD_WAITING, FL_UPLOAD_FAILED,
                                               FL_UPLOAD_NONE };

static void
add_buckets (JsonBuilder *builder, const char *name, const char *key, GArray *buckets)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < buckets->len; i++)
    {
      const FlStatsBucket *bucket = &g_array_index (buckets, FlStatsBucket, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, key);
      if (bucket->label != NULL)
        json_builder_add_string_value (builder, bucket->label);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "leads");
      json_builder_add_int_value (builder, bucket->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static JsonNode *
stats_to_json (const FlEvent *event, const FlStats *stats, int sal_threshold, const FlBacklog *backlog)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "event");
  json_builder_add_string_value (builder, event->uuid);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, event->name);
  json_builder_set_member_name (builder, "leads");
  json_builder_add_int_value (builder, stats->n_leads);
  json_builder_set_member_name (builder, "status");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      json_builder_set_member_name (builder, fl_status_to_string (statuses[i]));
      json_builder_add_int_value (builder, stats->status[statuses[i]]);
    }
  json_builder_end_object (builder);
  add_buckets (builder, "hours", "hour", stats->hours);
  json_builder_set_member_name (builder, "sal_threshold");
  if (sal_threshold >= 0)
    json_builder_add_int_value (builder, sal_threshold);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "scores");
  json_builder_begin_array (builder);
  for (guint i = 0; i < stats->scores->len; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "from");
      json_builder_add_int_value (builder, (gint64) i * stats->score_bin);
      json_builder_set_member_name (builder, "leads");
      json_builder_add_int_value (builder, g_array_index (stats->scores, gint64, i));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  add_buckets (builder, "staff", "name", stats->staff);
  json_builder_set_member_name (builder, "upload");
  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (upload_states); i++)
    {
      json_builder_set_member_name (builder, fl_upload_state_to_string (upload_states[i]));
      json_builder_add_int_value (builder, stats->upload[upload_states[i]]);
    }
  json_builder_set_member_name (builder, "connectors");
  json_builder_add_int_value (builder, backlog->connectors);
  json_builder_set_member_name (builder, "sals_waiting");
  json_builder_add_int_value (builder, backlog->connectors == 0 ? backlog->undelivered : backlog->queued);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static void
print_bar (const char *label, gint64 count, gint64 max)
{
  g_autoptr(GString) bar = g_string_new (NULL);
  gint64 width = max > 0 ? (count * 40 + max - 1) / max : 0;

  for (gint64 i = 0; i < width; i++)
    g_string_append (bar, "█");
  printf ("  %-16s %6" G_GINT64_FORMAT "  %s\n", label, count, bar->str);
}

static gint64
max_count (GArray *buckets)
{
  gint64 max = 0;

  for (guint i = 0; i < buckets->len; i++)
    max = MAX (max, g_array_index (buckets, FlStatsBucket, i).count);
  return max;
}

/* Counts go into translated text as strings: a msgid cannot hold
 * G_GINT64_FORMAT. */
static char *
count (gint64 n)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, n);
}

static void
print_stats (const FlEvent *event, const FlStats *stats, int sal_threshold, const FlBacklog *backlog)
{
  g_autofree char *leads = count (stats->n_leads);
  g_autofree char *sal = count (stats->status[FL_STATUS_SAL]);
  g_autofree char *mql = count (stats->status[FL_STATUS_MQL]);
  g_autofree char *disqualified = count (stats->status[FL_STATUS_DISQUALIFIED]);
  g_autofree char *done = count (stats->upload[FL_UPLOAD_DONE]);
  g_autofree char *waiting = count (stats->upload[FL_UPLOAD_WAITING]);
  g_autofree char *failed = count (stats->upload[FL_UPLOAD_FAILED]);
  g_autofree char *not_queued = count (stats->upload[FL_UPLOAD_NONE]);
  g_autofree char *sals = count (backlog->connectors == 0 ? backlog->undelivered : backlog->queued);
  gint64 max = 0;

  printf (_("Event: %s\n"), event->name);
  printf (_("Leads: %s (SAL %s, MQL %s, DISQUALIFIED %s)\n"), leads, sal, mql, disqualified);
  if (stats->n_leads == 0)
    return;

  printf ("\n%s\n", _("Leads per hour (local time):"));
  max = max_count (stats->hours);
  for (guint i = 0; i < stats->hours->len; i++)
    {
      const FlStatsBucket *bucket = &g_array_index (stats->hours, FlStatsBucket, i);
      print_bar (bucket->label, bucket->count, max);
    }

  printf ("\n");
  if (sal_threshold >= 0)
    printf (_("Scores (SAL from %d points):\n"), sal_threshold);
  else
    printf ("%s\n", _("Scores:"));
  max = 0;
  for (guint i = 0; i < stats->scores->len; i++)
    max = MAX (max, g_array_index (stats->scores, gint64, i));
  for (guint i = 0; i < stats->scores->len; i++)
    {
      g_autofree char *label = g_strdup_printf ("%d–%d", (int) i * stats->score_bin,
                                                (int) (i + 1) * stats->score_bin - 1);
      print_bar (label, g_array_index (stats->scores, gint64, i), max);
    }

  printf ("\n%s\n", _("Leads per staff member:"));
  max = max_count (stats->staff);
  for (guint i = 0; i < stats->staff->len; i++)
    {
      const FlStatsBucket *bucket = &g_array_index (stats->staff, FlStatsBucket, i);
      print_bar (bucket->label ? bucket->label : _("Unknown"), bucket->count, max);
    }

  printf ("\n");
  printf (_("Upload: %s delivered, %s waiting, %s failed, %s not queued\n"), done, waiting, failed, not_queued);
  if (backlog->connectors == 0)
    printf (_("No CRM connected: SALs waiting for one: %s\n"), sals);
  else
    printf (_("SALs waiting for upload: %s\n"), sals);
}

int
fl_cli_stats (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— the figures of the active event"));
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlStats) stats = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *event_uuid = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_STRING, &event_uuid, N_("Another event than the active one"), N_("UUID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  FlBacklog backlog;
  int sal_threshold = -1;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  event = event_uuid ? fl_store_get_event (store, event_uuid, &error) : fl_store_get_active_event (store, &error);
  if (event == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  model = fl_model_store_load_for_event (store, event->uuid, NULL);
  if (model != NULL)
    sal_threshold = fl_model_get_sal_threshold (model);
  stats = fl_stats_read (store, event->uuid, sal_threshold, &error);
  if (stats == NULL || !fl_backlog_read (store, event->uuid, "SAL", &backlog, &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  if (json)
    {
      g_autoptr(JsonNode) node = stats_to_json (event, stats, sal_threshold, &backlog);
      fl_cli_print_json (node, TRUE);
    }
  else
    print_stats (event, stats, sal_threshold, &backlog);
  return EX_OK;
}
