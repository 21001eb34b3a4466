/* fl-cli-sync.c: fairlead-cli connector, upload and sync
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
#include "sync/fl-backlog.h"
#include "sync/fl-connectors.h"
#include "sync/fl-outbox.h"
#include "sync/fl-secret.h"
#include "sync/fl-sync.h"
#include "sync/fl-uploader.h"

static int
sync_exit_code (const GError *error)
{
  if (error->domain != FL_SYNC_ERROR)
    return fl_cli_exit_code (error);
  switch (error->code)
    {
    case FL_SYNC_ERROR_CONFIG:
    case FL_SYNC_ERROR_TLS:
      return EX_CONFIG;
    case FL_SYNC_ERROR_SECRET:
    case FL_SYNC_ERROR_AUTH:
      return EX_NOPERM;
    case FL_SYNC_ERROR_NETWORK:
    case FL_SYNC_ERROR_HTTP:
      return EX_UNAVAILABLE;
    case FL_SYNC_ERROR_BUSY:
      return EX_TEMPFAIL;
    case FL_SYNC_ERROR_NOT_FOUND:
      return EX_NOINPUT;
    case FL_SYNC_ERROR_CONSENT:
    case FL_SYNC_ERROR_INSECURE:
      return EX_DATAERR;
    case FL_SYNC_ERROR_IO:
    default:
      return EX_IOERR;
    }
}

static FlOutbox *
get_outbox (FlCli *cli)
{
  FlStore *store = fl_cli_get_store (cli);

  return store ? fl_outbox_new (store) : NULL;
}

/* With no CRM connected nothing is queued, and "nothing pending" would
 * hide that every lead is only on this kiosk. Returns the sentence to say
 * so, or %NULL (and sets @error on failure) when a CRM is connected. */
static char *
no_crm_text (FlStore *store, GError **error)
{
  g_autofree char *count = NULL;
  FlBacklog backlog;

  if (!fl_backlog_read (store, NULL, NULL, &backlog, error) || backlog.connectors > 0)
    return NULL;
  count = g_strdup_printf ("%" G_GINT64_FORMAT, backlog.undelivered);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "No CRM connected — %s lead is only on this kiosk. "
                                       "Add one with “fairlead-cli connector add”.",
                                       "No CRM connected — %s leads are only on this kiosk. "
                                       "Add one with “fairlead-cli connector add”.",
                                       (gulong) backlog.undelivered),
                          count);
}

/* Local time for people: 2026-05-04 11:30:00 */
static char *
local_time (gint64 usec)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static char *
read_secret_line (GError **error)
{
  char buffer[4096];
  gsize length;

  if (isatty (STDIN_FILENO))
    {
      fprintf (stderr, "%s", _("Token or signing key (input is shown): "));
      fflush (stderr);
    }
  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET, "%s",
                   _("No secret on standard input"));
      return NULL;
    }
  /* A PEM (a key and certificate, for Dynamics 365) is several lines:
   * the whole input, up to 64 KiB. */
  if (g_str_has_prefix (buffer, "-----BEGIN"))
    {
      GString *pem = g_string_new (buffer);

      while (pem->len < 65536 && fgets (buffer, sizeof buffer, stdin) != NULL)
        g_string_append (pem, buffer);
      explicit_bzero (buffer, sizeof buffer);
      return g_string_free (pem, FALSE);
    }
  length = strcspn (buffer, "\r\n");
  buffer[length] = '\0';
  if (length == 0)
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET, "%s",
                   _("The secret on standard input is empty"));
      return NULL;
    }
  /* A PEM private key (Salesforce auth=jwt) is many lines, to its END line. */
  if (g_str_has_prefix (buffer, "-----BEGIN "))
    {
      GString *pem = g_string_new (buffer);

      g_string_append_c (pem, '\n');
      while (pem->len < 65536 && fgets (buffer, sizeof buffer, stdin) != NULL)
        {
          buffer[strcspn (buffer, "\r\n")] = '\0';
          g_string_append_printf (pem, "%s\n", buffer);
          if (g_str_has_prefix (buffer, "-----END "))
            break;
        }
      memset (buffer, 0, sizeof buffer);
      return g_string_free (pem, FALSE);
    }
  return g_strdup (buffer);
}

/* connector add */

static int
connector_add (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — add a connector"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;
  g_autofree char *url = NULL;
  g_autofree char *event = NULL;
  g_autofree char *secret = NULL;
  g_auto(GStrv) option_list = NULL;
  gboolean secret_stdin = FALSE;
  gint64 n_queued = 0;
  g_autofree char *type_ids = fl_connector_join_type_ids ("|");
  GOptionEntry entries[] = {
    { "type", 0, 0, G_OPTION_ARG_STRING, &type, N_("Connector type"), type_ids },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("Webhook URL, CRM base URL, or folder for csv"), N_("URL") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &option_list, N_("A connector option (repeatable)"), N_("KEY=VALUE") },
    { "event", 0, 0, G_OPTION_ARG_STRING, &event, N_("Only upload the leads of this event (default: every event)"), N_("UUID") },
    { "secret-stdin", 0, 0, G_OPTION_ARG_NONE, &secret_stdin, N_("Read the token or signing key from standard input and keep it in the keyring"), NULL },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Options by type (all optional unless said):\n"
      "  all:        ca_file=PATH timeout=SECONDS batch_size=N\n"
      "  webhook:    signing=true (the signing key is the connector's secret)\n"
      "  hubspot:    id_property=email lifecycle_mql= lifecycle_sal= lifecycle_disqualified=\n"
      "              lead_status_mql= lead_status_sal= score_property= event_property=\n"
      "  salesforce: external_id_field=Fairlead_UUID__c api_version=v59.0 lead_source=\n"
      "              status_mql= status_sal= status_disqualified= placeholder=\n"
      "  dynamics:   tenant=ID client_id=ID (both required; the secret: client secret, or key+cert PEM)\n"
      "              alternate_key=fairlead_uuid api_version=v9.2 scope= login_url= lead_source=7\n"
      "              status_mql=1 status_sal=2 status_disqualified= rating_mql=2 rating_sal=1\n"
      "              rating_disqualified=3 placeholder=\n"
      "  zoho:       client_id=ID (required; the secret is CLIENT_SECRET:REFRESH_TOKEN)\n"
      "              data_centre=com|eu|in|com.au|jp|ca|com.cn|sa|uk login_url= module=Leads\n"
      "              duplicate_check_fields=Email uuid_field= lead_source= status_mql=\n"
      "              status_sal= status_disqualified= placeholder=\n"
      "  pipedrive:  the API token is the secret; or client_id=ID with CLIENT_SECRET:REFRESH_TOKEN\n"
      "              login_url= label_mql=Warm label_sal=Hot label_disqualified=Cold\n"
      "              job_title_field= placeholder=\n"
      "Secrets never go into the database: use --secret-stdin, “connector secret NAME”,\n"
      "or the environment variable FAIRLEAD_SECRET_<NAME>."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("connector add needs a NAME"));
  if (type == NULL)
    {
      g_autofree char *known = fl_connector_join_type_ids (", ");

      return fl_cli_fail (EX_USAGE, _("connector add needs --type, one of: %s"), known);
    }

  for (guint i = 0; option_list != NULL && option_list[i] != NULL; i++)
    {
      const char *equals = strchr (option_list[i], '=');
      g_autofree char *key = NULL;

      if (equals == NULL || equals == option_list[i])
        return fl_cli_fail (EX_USAGE, _("Option “%s” is not KEY=VALUE"), option_list[i]);
      key = g_strndup (option_list[i], equals - option_list[i]);
      json_object_set_string_member (options, key, equals + 1);
    }
  if (event != NULL)
    json_object_set_string_member (options, "event", event);
  if (secret_stdin && g_str_equal (type, "webhook"))
    json_object_set_string_member (options, "signing", "true");

  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  if (event != NULL)
    {
      g_autoptr(FlEvent) found = fl_store_get_event (fl_outbox_get_store (outbox), event, &error);
      if (found == NULL)
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }
  /* Check the configuration before asking for a secret. */
  {
    g_autoptr(FlConnector) check = fl_connector_new (argv[1], type, url, options, &error);
    if (check == NULL)
      return fl_cli_fail_error (sync_exit_code (error), error);
  }
  if (secret_stdin)
    {
      secret = read_secret_line (&error);
      if (secret == NULL || !fl_secret_store (argv[1], secret, &error))
        return fl_cli_fail_error (sync_exit_code (error), error);
    }
  if (!fl_outbox_add_connector (outbox, argv[1], type, url, options, &n_queued, &error))
    return fl_cli_fail_error (sync_exit_code (error), error);
  printf (g_dngettext (GETTEXT_PACKAGE, "Connector “%s” added; %u stored lead is queued for it.\n",
                       "Connector “%s” added; %u stored leads are queued for it.\n", n_queued),
          argv[1], (guint) n_queued);
  return EX_OK;
}

/* connector list */

static int
connector_list (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the connectors"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  connectors = fl_outbox_list_connectors (outbox, FALSE, &error);
  if (connectors == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; i < connectors->len; i++)
        {
          FlConnector *connector = g_ptr_array_index (connectors, i);
          JsonNode *options = json_node_init_object (json_node_alloc (), fl_connector_get_options (connector));

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, fl_connector_get_name (connector));
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, fl_connector_get_type_name (connector));
          json_builder_set_member_name (builder, "url");
          json_builder_add_string_value (builder, fl_connector_get_url (connector));
          json_builder_set_member_name (builder, "options");
          json_builder_add_value (builder, options);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      root = json_builder_get_root (builder);
      fl_cli_print_json (root, TRUE);
      return EX_OK;
    }
  if (connectors->len == 0)
    printf ("%s\n", _("No connectors. Add one with “fairlead-cli connector add”."));
  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      g_autoptr(JsonNode) options = json_node_init_object (json_node_alloc (), fl_connector_get_options (connector));
      g_autofree char *text = json_to_string (options, FALSE);

      printf ("%-16s %-11s %s %s\n", fl_connector_get_name (connector),
              fl_connector_get_type_name (connector),
              fl_connector_get_url (connector) ? fl_connector_get_url (connector) : "-", text);
    }
  return EX_OK;
}

/* connector edit */

static int
connector_edit (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NAME — change a connector's URL or options, keeping its queue"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) option_list = NULL;
  g_autoptr(GList) members = NULL;
  GOptionEntry entries[] = {
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("The new URL, or folder for csv"), N_("URL") },
    { "option", 'o', 0, G_OPTION_ARG_STRING_ARRAY, &option_list, N_("Set an option; KEY= removes it (repeatable)"), N_("KEY=VALUE") },
    { NULL }
  };
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("connector edit needs a NAME"));
  if (url == NULL && option_list == NULL)
    return fl_cli_fail (EX_USAGE, "%s", _("connector edit needs --url or --option"));
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  connector = fl_outbox_get_connector (outbox, argv[1], &error);
  if (connector == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);

  members = json_object_get_members (fl_connector_get_options (connector));
  for (GList *l = members; l != NULL; l = l->next)
    json_object_set_member (options, l->data,
                            json_node_copy (json_object_get_member (fl_connector_get_options (connector),
                                                                    l->data)));
  for (guint i = 0; option_list != NULL && option_list[i] != NULL; i++)
    {
      const char *equals = strchr (option_list[i], '=');
      g_autofree char *key = NULL;

      if (equals == NULL || equals == option_list[i])
        return fl_cli_fail (EX_USAGE, _("Option “%s” is not KEY=VALUE"), option_list[i]);
      key = g_strndup (option_list[i], equals - option_list[i]);
      if (equals[1] == '\0')
        {
          if (json_object_has_member (options, key))
            json_object_remove_member (options, key);
        }
      else
        json_object_set_string_member (options, key, equals + 1);
    }
  if (!fl_outbox_update_connector (outbox, argv[1], fl_connector_get_type_name (connector),
                                   url ? url : fl_connector_get_url (connector), options, &error))
    return fl_cli_fail_error (sync_exit_code (error), error);
  printf (_("Connector “%s” changed.\n"), argv[1]);
  return EX_OK;
}

static int
connector_remove (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NAME — remove a connector and its queue"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) secret_error = NULL;
  g_autofree char *env = NULL;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("connector remove needs a NAME"));
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  if (!fl_outbox_remove_connector (outbox, argv[1], &error))
    return fl_cli_fail_error (sync_exit_code (error), error);
  /* The keyring may be absent (headless kiosk); the removal stands. */
  env = fl_secret_env_name (argv[1]);
  if (g_getenv (env) == NULL && !fl_secret_clear (argv[1], &secret_error))
    g_debug ("%s", secret_error->message);
  printf (_("Connector “%s” removed.\n"), argv[1]);
  return EX_OK;
}

static int
connector_test (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NAME — check the server and the credential, sending no lead"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("connector test needs a NAME"));
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  connector = fl_outbox_get_connector (outbox, argv[1], &error);
  if (connector == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);
  if (!fl_connector_test (connector, report, NULL, &error))
    {
      fputs (report->str, stdout);
      return fl_cli_fail_error (sync_exit_code (error), error);
    }
  fputs (report->str, stdout);
  printf (_("Connector “%s” works.\n"), argv[1]);
  return EX_OK;
}

static int
connector_secret (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("NAME — keep the connector's token or signing key in the keyring"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(FlConnector) connector = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *secret = NULL;
  int code;

  g_option_context_set_description (context, _("The secret is read from standard input."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("connector secret needs a NAME"));
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  connector = fl_outbox_get_connector (outbox, argv[1], &error);
  if (connector == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);
  secret = read_secret_line (&error);
  if (secret == NULL || !fl_secret_store (argv[1], secret, &error))
    return fl_cli_fail_error (sync_exit_code (error), error);
  memset (secret, 0, strlen (secret));
  printf (_("The secret of connector “%s” is in the keyring.\n"), argv[1]);
  return EX_OK;
}

static const FlCliCommand connector_commands[] = {
  { "add", N_("Add a connector"), connector_add },
  { "list", N_("List the connectors"), connector_list },
  { "edit", N_("Change a connector's URL or options"), connector_edit },
  { "remove", N_("Remove a connector and its queue"), connector_remove },
  { "test", N_("Check a connector's server and credential"), connector_test },
  { "secret", N_("Keep a connector's token in the keyring"), connector_secret },
};

int
fl_cli_connector (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "connector", connector_commands, G_N_ELEMENTS (connector_commands),
                          argc, argv);
}

/* upload */

typedef struct
{
  gboolean   tty;
  gboolean   drawn;
  GPtrArray *failures;   /* char *, one line each */
  GHashTable *waits;     /* connector → why its leads wait (the last reason) */
} UploadView;

static void
clear_bar (UploadView *view)
{
  if (view->drawn)
    {
      fprintf (stderr, "\r\033[K");
      view->drawn = FALSE;
    }
}

static void
progress_cb (guint done, guint total, gint64 waiting_until, gpointer user_data)
{
  UploadView *view = user_data;
  const int width = 30;
  int filled = total > 0 ? (int) ((gint64) done * width / total) : width;
  char bar[31];

  if (!view->tty)
    return;
  memset (bar, '#', filled);
  memset (bar + filled, '-', width - filled);
  bar[width] = '\0';
  fprintf (stderr, "\r\033[K[%s] %u/%u", bar, done, total);
  if (waiting_until > 0)
    {
      gint64 seconds = (waiting_until - fl_sync_now () + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
      fprintf (stderr, _("  waiting %d s for a retry"), (int) MAX (seconds, 0));
    }
  fflush (stderr);
  view->drawn = TRUE;
}

static void
outcome_cb (const FlUploadOutcome *outcome, gpointer user_data)
{
  UploadView *view = user_data;

  if (outcome->result == FL_ITEM_RETRY && outcome->message != NULL)
    g_hash_table_insert (view->waits, g_strdup (outcome->connector), g_strdup (outcome->message));
  if (outcome->result == FL_ITEM_FAILED)
    g_ptr_array_add (view->failures,
                     g_strdup_printf ("  %s  %-24s %s: %s", outcome->lead_uuid,
                                      outcome->lead_name ? outcome->lead_name : _("(no name)"),
                                      outcome->connector, outcome->message));
}

static int
upload_dry_run (FlOutbox *outbox, const char *only)
{
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GError) error = NULL;
  guint creates = 0, updates = 0;
  gint64 now = fl_sync_now ();

  if (only != NULL)
    {
      FlConnector *connector = fl_outbox_get_connector (outbox, only, &error);
      if (connector == NULL)
        return fl_cli_fail_error (sync_exit_code (error), error);
      connectors = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (connectors, connector);
    }
  else if ((connectors = fl_outbox_list_connectors (outbox, TRUE, &error)) == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);

  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      g_autoptr(GPtrArray) entries = fl_outbox_list (outbox, connector, "pending", 0, &error);

      if (entries == NULL)
        return fl_cli_fail_error (sync_exit_code (error), error);
      for (guint j = 0; j < entries->len; j++)
        {
          FlOutboxEntry *entry = g_ptr_array_index (entries, j);
          gint64 next = fl_sync_time_from_iso (entry->next_attempt_at);
          g_autofree char *when = next > now ? local_time (next) : g_strdup (_("now"));

          printf ("%-16s %-7s %s  %-24s %s\n", entry->connector,
                  entry->known ? _("update") : _("create"), entry->lead_uuid,
                  entry->lead_name ? entry->lead_name : _("(no name)"), when);
          if (entry->known)
            updates++;
          else
            creates++;
        }
    }
  printf (_("Would send %u new and %u updated leads; nothing was sent.\n"), creates, updates);
  return EX_OK;
}

int
fl_cli_upload (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— send every pending lead now"));
  g_autoptr(FlUploader) uploader = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) failures = g_ptr_array_new_with_free_func (g_free);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autofree char *only = NULL;
  g_auto(GStrv) requeue = NULL;
  g_autofree char *actor = NULL;
  gboolean dry_run = FALSE, retry_failed = FALSE;
  gint max_wait = 30;
  GOptionEntry entries[] = {
    { "connector", 0, 0, G_OPTION_ARG_STRING, &only, N_("Only this connector"), N_("NAME") },
    { "dry-run", 'n', 0, G_OPTION_ARG_NONE, &dry_run, N_("Print what would be sent, send nothing"), NULL },
    { "max-wait", 0, 0, G_OPTION_ARG_INT, &max_wait, N_("Wait for retries due within this time (default 30)"), N_("SECONDS") },
    { "retry-failed", 0, 0, G_OPTION_ARG_NONE, &retry_failed, N_("Queue the leads that failed for good again first"), NULL },
    { "requeue", 0, 0, G_OPTION_ARG_STRING_ARRAY, &requeue, N_("Queue this lead again for every connector first, even if it went out already (repeatable)"), N_("UUID") },
    { "by", 0, 0, G_OPTION_ARG_STRING, &actor, N_("Who queues leads again, for the audit"), N_("NAME") },
    { NULL }
  };
  g_autoptr(GHashTable) waits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  UploadView view = { isatty (STDERR_FILENO), FALSE, failures, waits };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("No lead is sent before its next attempt time (a server's Retry-After included).\n"
      "A lead without the consent its event requires is never sent; --requeue refuses it\n"
      "with exit status 65 and sends nothing.\n"
      "Exit status: 0 everything delivered, 75 some leads wait for a retry,\n"
      "65 some leads failed for good, 77 a connector refused its credential."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (max_wait < 0)
    return fl_cli_fail (EX_USAGE, "%s", _("--max-wait must be 0 or more seconds"));
  if (requeue != NULL && dry_run)
    return fl_cli_fail (EX_USAGE, "%s", _("--requeue changes the queue; it cannot be combined with --dry-run"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  if (only == NULL)
    {
      g_autofree char *no_crm = no_crm_text (store, &error);

      if (error != NULL)
        return fl_cli_fail_error (sync_exit_code (error), error);
      if (no_crm != NULL)
        return fl_cli_fail (EX_CONFIG, "%s", no_crm);
    }
  uploader = fl_uploader_new (store);
  if (dry_run)
    return upload_dry_run (fl_uploader_get_outbox (uploader), only);
  if (retry_failed && fl_outbox_retry_failed (fl_uploader_get_outbox (uploader), only, &error) < 0)
    return fl_cli_fail_error (sync_exit_code (error), error);
  for (guint i = 0; requeue != NULL && requeue[i] != NULL; i++)
    if (!fl_outbox_requeue_lead (fl_uploader_get_outbox (uploader), requeue[i],
                                 actor ? actor : g_get_user_name (), NULL, &error))
      return fl_cli_fail_error (sync_exit_code (error), error);

  fl_uploader_set_callbacks (uploader, outcome_cb, progress_cb, &view);
  if (!fl_uploader_run (uploader, only, (gint64) max_wait * G_USEC_PER_SEC, NULL, &summary, &error))
    {
      clear_bar (&view);
      return fl_cli_fail_error (sync_exit_code (error), error);
    }
  clear_bar (&view);

  if (summary.recovered > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "%u lead was in flight when the last upload stopped; it was sent again.\n",
                         "%u leads were in flight when the last upload stopped; they were sent again.\n",
                         summary.recovered),
            summary.recovered);
  printf (g_dngettext (GETTEXT_PACKAGE, "Delivered: %u lead\n", "Delivered: %u leads\n", summary.delivered),
          summary.delivered);
  if (summary.withheld > 0)
    printf (g_dngettext (GETTEXT_PACKAGE, "Not sent: %u lead whose consent was withdrawn\n",
                         "Not sent: %u leads whose consent was withdrawn\n", summary.withheld),
            summary.withheld);
  if (summary.failed > 0)
    {
      printf (g_dngettext (GETTEXT_PACKAGE, "Failed: %u lead (fix it and save it again, or use --retry-failed)\n",
                           "Failed: %u leads (fix them and save them again, or use --retry-failed)\n",
                           summary.failed),
              summary.failed);
      for (guint i = 0; i < failures->len; i++)
        printf ("%s\n", (char *) g_ptr_array_index (failures, i));
    }
  if (summary.pending > 0)
    {
      if (summary.next_attempt > 0)
        {
          g_autofree char *when = local_time (summary.next_attempt);
          printf (g_dngettext (GETTEXT_PACKAGE, "Still pending: %u lead, next attempt at %s\n",
                               "Still pending: %u leads, next attempt at %s\n", summary.pending),
                  (guint) summary.pending, when);
        }
      else
        printf (g_dngettext (GETTEXT_PACKAGE, "Still pending: %u lead\n",
                             "Still pending: %u leads\n", summary.pending),
                (guint) summary.pending);
      {
        GHashTableIter iter;
        gpointer name, message;

        /* Why they wait: a busy server, a request limit… */
        g_hash_table_iter_init (&iter, waits);
        while (g_hash_table_iter_next (&iter, &name, &message))
          printf (_("  “%s”: %s\n"), (char *) name, (char *) message);
      }
    }
  if (g_hash_table_size (summary.stopped) > 0)
    {
      GHashTableIter iter;
      gpointer name, message;

      g_hash_table_iter_init (&iter, summary.stopped);
      while (g_hash_table_iter_next (&iter, &name, &message))
        fl_cli_fail (EX_NOPERM, _("Connector “%s” stopped: %s"), (char *) name, (char *) message);
    }
  fflush (stdout);

  if (summary.failed > 0)
    return EX_DATAERR;
  if (g_hash_table_size (summary.stopped) > 0)
    return EX_NOPERM;
  if (summary.pending > 0)
    return EX_TEMPFAIL;
  return EX_OK;
}

/* sync status */

/* What the retention gate kept or paused, judged now without deleting. */
static void
print_retention (FlStore *store)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(FlRetention) retention = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  retention = fl_privacy_apply_retention (store, now, FL_RETENTION_DRY_RUN, NULL, &error);
  if (retention == NULL)
    {
      g_debug ("Cannot judge the retention periods: %s", error->message);
      return;
    }
  report = fl_retention_describe (retention);
  if (report != NULL)
    printf ("%s\n", report);
}

static int
sync_status (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— show what waits for each connector"));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(GPtrArray) connectors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  gint64 now = fl_sync_now ();
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((outbox = get_outbox (cli)) == NULL)
    return cli->store_exit_code;
  connectors = fl_outbox_list_connectors (outbox, FALSE, &error);
  if (connectors == NULL)
    return fl_cli_fail_error (sync_exit_code (error), error);
  if (connectors->len == 0 && !json)
    {
      g_autofree char *no_crm = no_crm_text (fl_outbox_get_store (outbox), &error);

      if (error != NULL)
        return fl_cli_fail_error (sync_exit_code (error), error);
      printf ("%s\n", no_crm ? no_crm : _("No connectors. Add one with “fairlead-cli connector add”."));
      print_retention (fl_cli_get_store (cli));
      return EX_OK;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < connectors->len; i++)
    {
      FlConnector *connector = g_ptr_array_index (connectors, i);
      g_autoptr(GPtrArray) failed = NULL;
      g_autoptr(GPtrArray) waiting = NULL;
      FlOutboxCounts counts;

      if (!fl_outbox_get_counts (outbox, connector, now, &counts, &error) ||
          (failed = fl_outbox_list (outbox, connector, "failed", 20, &error)) == NULL ||
          (waiting = fl_outbox_list (outbox, connector, "pending", 1, &error)) == NULL)
        return fl_cli_fail_error (sync_exit_code (error), error);

      if (json)
        {
          g_autofree char *last = counts.last_done ? fl_sync_time_to_iso (counts.last_done) : NULL;
          g_autofree char *next = counts.pending ? fl_sync_time_to_iso (counts.next_attempt) : NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "connector");
          json_builder_add_string_value (builder, fl_connector_get_name (connector));
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, fl_connector_get_type_name (connector));
          json_builder_set_member_name (builder, "pending");
          json_builder_add_int_value (builder, counts.pending + counts.sending);
          json_builder_set_member_name (builder, "due");
          json_builder_add_int_value (builder, counts.due);
          json_builder_set_member_name (builder, "failed");
          json_builder_add_int_value (builder, counts.failed);
          json_builder_set_member_name (builder, "delivered");
          json_builder_add_int_value (builder, counts.done);
          json_builder_set_member_name (builder, "last_success");
          json_builder_add_string_value (builder, last);
          json_builder_set_member_name (builder, "next_attempt");
          json_builder_add_string_value (builder, next);
          json_builder_set_member_name (builder, "last_error");
          json_builder_add_string_value (builder, waiting->len > 0 ? ((FlOutboxEntry *) waiting->pdata[0])->last_error : NULL);
          json_builder_set_member_name (builder, "failures");
          json_builder_begin_array (builder);
          for (guint j = 0; j < failed->len; j++)
            {
              FlOutboxEntry *entry = g_ptr_array_index (failed, j);

              json_builder_begin_object (builder);
              json_builder_set_member_name (builder, "lead");
              json_builder_add_string_value (builder, entry->lead_uuid);
              json_builder_set_member_name (builder, "reason");
              json_builder_add_string_value (builder, entry->last_error);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
          continue;
        }

      printf ("%s (%s)\n", fl_connector_get_name (connector), fl_connector_get_type_name (connector));
      printf (_("  pending %u (due now %u), failed %u, delivered %u\n"),
              (guint) (counts.pending + counts.sending), (guint) counts.due, (guint) counts.failed,
              (guint) counts.done);
      if (counts.last_done > 0)
        {
          g_autofree char *when = local_time (counts.last_done);
          printf (_("  last delivery %s\n"), when);
        }
      if (counts.pending > 0 && counts.next_attempt > now)
        {
          g_autofree char *when = local_time (counts.next_attempt);
          printf (_("  next attempt %s\n"), when);
        }
      if (waiting->len > 0 && ((FlOutboxEntry *) waiting->pdata[0])->last_error != NULL)
        printf (_("  last error: %s\n"), ((FlOutboxEntry *) waiting->pdata[0])->last_error);
      for (guint j = 0; j < failed->len; j++)
        {
          FlOutboxEntry *entry = g_ptr_array_index (failed, j);
          printf (_("  failed: %s  %s: %s\n"), entry->lead_uuid,
                  entry->lead_name ? entry->lead_name : _("(no name)"), entry->last_error);
        }
    }
  json_builder_end_array (builder);
  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);
      fl_cli_print_json (root, TRUE);
    }
  else
    {
      gint64 held = fl_store_count_held_for_consent (fl_cli_get_store (cli), NULL, NULL);

      if (held > 0)
        printf (g_dngettext (GETTEXT_PACKAGE, "%u lead not uploaded: no consent\n",
                             "%u leads not uploaded: no consent\n", (gulong) held),
                (guint) held);
      print_retention (fl_cli_get_store (cli));
    }
  return EX_OK;
}

static const FlCliCommand sync_commands[] = {
  { "status", N_("Show what waits for each connector"), sync_status },
};

int
fl_cli_sync (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "sync", sync_commands, G_N_ELEMENTS (sync_commands), argc, argv);
}
