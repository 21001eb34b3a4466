/* fl-cli-leads.c: fairlead-cli leads and export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fl-cli.h"
#include "lead/fl-export.h"
#include "score/fl-model-store.h"
#include "store/fl-audit.h"
#include "store/fl-import.h"
#include "store/fl-privacy.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync-log.h"

static void
imported_cb (FlLead *lead, gpointer user_data)
{
  /* A printed line is a promise: the lead is committed. */
  printf ("%s\n", fl_lead_get_uuid (lead));
  fflush (stdout);
}

static void
import_error_cb (const char *where, const GError *error, gpointer user_data)
{
  guint *n_failed = user_data;

  (*n_failed)++;
  fl_cli_fail (EX_DATAERR, "%s: %s", where, error->message);
}

static int
leads_import (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("FILE|- — import leads from a JSON array or JSON Lines"));
  g_autoptr(GInputStream) input = NULL;
  g_autoptr(GError) error = NULL;
  guint n_failed = 0;
  FlStore *store;
  gssize n;
  int code;

  g_option_context_set_description (context,
    _("Leads are committed in batches (up to 500 leads or 50 ms, and before waiting for input);\n"
      "a lead's uuid is printed once the commit that holds it is on disk. A bad lead is refused\n"
      "alone. A lead whose uuid is already stored replaces the stored one."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("leads import needs a FILE, or - for standard input"));

  if (strcmp (argv[1], "-") == 0)
    input = g_unix_input_stream_new (0, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[1]);
      input = G_INPUT_STREAM (g_file_read (file, NULL, &error));
      if (input == NULL)
        return fl_cli_fail (EX_NOINPUT, _("Cannot read “%s”: %s"), argv[1], error->message);
    }
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  n = fl_import_leads (store, input, argv[1], imported_cb, import_error_cb, &n_failed, &error);
  if (n < 0 && error->domain == FL_STORE_ERROR)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  if (n < 0)
    return fl_cli_fail_error (EX_DATAERR, error);
  if (n_failed > 0)
    {
      fl_cli_fail (EX_DATAERR,
                   g_dngettext (GETTEXT_PACKAGE, "%u lead imported, %u refused",
                                "%u leads imported, %u refused", (gulong) n),
                   (guint) n, n_failed);
      return EX_DATAERR;
    }
  return EX_OK;
}

static const char *
short_time (const char *iso, char buffer[17])
{
  /* 2026-05-04T09:30:00.125Z → 2026-05-04 09:30 */
  if (iso == NULL || strlen (iso) < 16)
    return iso ? iso : "";
  memcpy (buffer, iso, 16);
  buffer[10] = ' ';
  buffer[16] = '\0';
  return buffer;
}

static int
leads_list (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the leads of the active event"));
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *search = NULL;
  gboolean json = FALSE, csv = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array of leads"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { "status", 0, 0, G_OPTION_ARG_STRING, &status, N_("Only leads with this status"), "MQL|SAL|DISQUALIFIED" },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only leads whose name, company, email or notes match"), N_("TEXT") },
    { NULL }
  };
  FlLeadQuery query = { 0 };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (json && csv)
    return fl_cli_fail (EX_USAGE, "%s", _("Choose one of --json and --csv"));
  if (status != NULL)
    {
      g_autofree char *upper = g_ascii_strup (status, -1);
      FlStatus unused;

      g_free (status);
      status = g_steal_pointer (&upper);
      if (!fl_status_from_string (status, &unused))
        return fl_cli_fail (EX_USAGE, _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"),
                            status);
    }
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  query.status = status;
  query.search = search;
  leads = fl_store_list_leads (store, &query, &error);
  if (leads == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  if (json)
    {
      g_autofree char *text = fl_export_json (leads);
      printf ("%s\n", text);
    }
  else if (csv)
    {
      g_autofree char *text = fl_export_csv (leads);
      fputs (text, stdout);
    }
  else if (leads->len == 0)
    printf ("%s\n", _("No leads."));
  else
    {
      for (guint i = 0; i < leads->len; i++)
        {
          FlLead *lead = g_ptr_array_index (leads, i);
          const char *name = fl_lead_get_display_name (lead);
          const char *company = fl_lead_get_field (lead, FL_FIELD_COMPANY);
          char when[17];

          printf ("%s  %-12s %4d  %-16s  %-28s %s\n", fl_lead_get_uuid (lead),
                  fl_status_to_string (fl_lead_get_status (lead)), fl_lead_get_score (lead),
                  short_time (fl_lead_get_created_at (lead), when),
                  name ? name : _("(no name)"), company ? company : "");
        }
    }
  return EX_OK;
}

static void
print_field (const char *label, const char *value)
{
  if (value != NULL)
    printf ("  %-14s %s\n", label, value);
}

/* Where the lead stands with each connector, as the lead detail shows it. */
static void
print_uploads (FlStore *store, FlLead *lead)
{
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr(GPtrArray) entries = fl_outbox_list_for_lead (outbox, fl_lead_get_uuid (lead), NULL);

  if (entries == NULL || entries->len == 0)
    return;
  printf ("%s\n", _("Uploads:"));
  for (guint i = 0; i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *text = NULL;

      if (g_strcmp0 (entry->state, "done") == 0)
        text = g_strdup_printf (_("uploaded %s"), entry->done_at ? entry->done_at : "?");
      else if (g_strcmp0 (entry->state, "failed") == 0)
        text = g_strdup_printf (_("failed: %s"), entry->last_error ? entry->last_error : "?");
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "waiting, %d attempt so far",
                                             "waiting, %d attempts so far", entry->attempts),
                                entry->attempts);
      print_field (entry->connector, text);
    }
}

/* Who did what to the lead, newest first. */
static void
print_history (FlStore *store, FlLead *lead)
{
  g_autoptr(GPtrArray) entries = fl_store_list_audit (store, fl_lead_get_uuid (lead), NULL);

  if (entries == NULL || entries->len == 0)
    return;
  printf ("%s\n", _("History:"));
  for (guint i = 0; i < entries->len; i++)
    {
      FlAuditEntry *entry = g_ptr_array_index (entries, i);

      if (entry->detail != NULL)
        printf ("  %s  %s  %s: %s\n", entry->at, entry->actor ? entry->actor : "—", entry->action, entry->detail);
      else
        printf ("  %s  %s  %s\n", entry->at, entry->actor ? entry->actor : "—", entry->action);
    }
}

/* Every request that carried the lead: "did it reach Salesforce?" */
static void
print_sync_log (FlStore *store, FlLead *lead)
{
  g_autoptr(GPtrArray) entries = fl_sync_log_list (store, fl_lead_get_uuid (lead), NULL);

  if (entries == NULL || entries->len == 0)
    return;
  printf ("%s\n", _("Sync log:"));
  for (guint i = 0; i < entries->len; i++)
    {
      FlSyncLogEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *text = fl_sync_log_entry_describe (entry);

      print_field (entry->at, text);
    }
}

static void
print_lead (FlStore *store, FlLead *lead)
{
  static const char *labels[FL_N_FIELDS] = {
    N_("First name"), N_("Last name"), N_("Full name"), N_("Email"), N_("Phone"), N_("Mobile"),
    N_("Company"), N_("Job title"), N_("Department"), N_("Street"), N_("City"), N_("Postal code"),
    N_("Region"), N_("Country"), N_("Website"),
  };
  JsonNode *node;
  g_autofree char *score = g_strdup_printf ("%d", fl_lead_get_score (lead));

  printf ("%s\n", fl_lead_get_display_name (lead) ? fl_lead_get_display_name (lead) : _("(no name)"));
  print_field (_("Lead"), fl_lead_get_uuid (lead));
  print_field (_("Status"), fl_status_to_string (fl_lead_get_status (lead)));
  print_field (_("Score"), score);
  if (fl_lead_get_override_status (lead) != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("%s by %s: %s"), fl_lead_get_override_status (lead),
                                               fl_lead_get_override_by (lead) ? fl_lead_get_override_by (lead) : "?",
                                               fl_lead_get_override_reason (lead) ? fl_lead_get_override_reason (lead) : "");
      print_field (_("Override"), text);
    }
  print_field (_("Captured"), fl_lead_get_created_at (lead));
  print_field (_("Updated"), fl_lead_get_updated_at (lead));
  print_field (_("Captured by"), fl_lead_get_captured_by (lead));
  print_field (_("Source"), fl_source_to_string (fl_lead_get_source (lead)));
  print_field (_("Badge"), fl_lead_get_badge_id (lead));
  for (guint i = 0; i < FL_N_FIELDS; i++)
    print_field (_(labels[i]), fl_lead_get_field (lead, i));
  print_field (_("Notes"), fl_lead_get_notes (lead));

  node = fl_lead_get_answers (lead);
  if (node != NULL && json_object_get_size (json_node_get_object (node)) > 0)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      printf ("%s\n", _("Answers:"));
      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &question, &value))
        {
          g_autofree char *text = JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                                     ? g_strdup (json_node_get_string (value))
                                     : json_to_string (value, FALSE);
          print_field (question, text);
        }
    }

  node = fl_lead_get_breakdown (lead);
  if (node != NULL && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      printf ("%s\n", _("Score breakdown:"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          const char *reason = NULL;

          if (JSON_NODE_HOLDS_OBJECT (item))
            reason = json_object_get_string_member_with_default (json_node_get_object (item), "reason", NULL);
          if (reason != NULL)
            printf ("  %s\n", reason);
        }
    }

  node = fl_lead_get_interactions (lead);
  if (node != NULL && json_array_get_length (json_node_get_array (node)) > 0)
    {
      JsonArray *array = json_node_get_array (node);

      printf ("%s\n", _("Interactions:"));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *item = json_array_get_object_element (array, i);
          print_field (json_object_get_string_member_with_default (item, "kind", "?"),
                       json_object_get_string_member_with_default (item, "at", ""));
        }
    }

  node = fl_lead_get_consent (lead);
  if (node != NULL)
    {
      JsonObject *consent = json_node_get_object (node);
      gboolean given = json_object_get_boolean_member_with_default (consent, "given", FALSE);
      g_autofree char *text = g_strdup_printf (given ? _("given (version %s, %s)") : _("refused (version %s, %s)"),
                                               json_object_get_string_member_with_default (consent, "version", "?"),
                                               json_object_get_string_member_with_default (consent, "at", "?"));
      print_field (_("Consent"), text);
    }
  {
    gboolean allowed = TRUE;

    if (fl_store_lead_upload_allowed (store, fl_lead_get_uuid (lead), &allowed, NULL) && !allowed)
      print_field (_("Upload"), _("not uploaded: no consent"));
  }
  print_field (_("Scanned"), fl_lead_get_raw_payload (lead));
  print_uploads (store, lead);
  print_sync_log (store, lead);
  print_history (store, lead);
}

static int
leads_show (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("UUID — show everything stored about a lead"));
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the lead as JSON"), NULL },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("leads show needs the UUID of a lead"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  lead = fl_store_get_lead (store, argv[1], &error);
  if (lead == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  if (json)
    {
      g_autoptr(JsonNode) node = fl_lead_to_json (lead);
      g_autoptr(GPtrArray) sync_log = fl_sync_log_list (store, fl_lead_get_uuid (lead), NULL);

      if (sync_log != NULL && JSON_NODE_HOLDS_OBJECT (node))
        json_object_set_member (json_node_get_object (node), "sync_log", fl_sync_log_to_json (sync_log));
      fl_cli_print_json (node, TRUE);
    }
  else
    print_lead (store, lead);
  return EX_OK;
}

static int
leads_set (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("UUID FIELD=VALUE… — edit a lead’s person fields or notes"));
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *now = NULL;
  GOptionEntry entries[] = {
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_("Who edits, for the audit (default: your user name)"), N_("NAME") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("FIELD is a person field (first_name, last_name, full_name, email, phone, mobile, company,\n"
      "title, department, street, city, postal_code, region, country, website) or notes;\n"
      "an empty VALUE clears it. The edit is audited and the lead queued for upload again,\n"
      "as an edit in the back office."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc < 3)
    return fl_cli_fail (EX_USAGE, "%s", _("leads set needs the UUID of a lead and at least one FIELD=VALUE"));
  /* Every argument is checked before anything is read or written. */
  for (int i = 2; i < argc; i++)
    {
      const char *equals = strchr (argv[i], '=');
      g_autofree char *name = equals ? g_strndup (argv[i], equals - argv[i]) : NULL;
      FlField field;

      if (name == NULL)
        return fl_cli_fail (EX_USAGE, _("“%s” is not FIELD=VALUE"), argv[i]);
      if (!g_str_equal (name, "notes") && !fl_field_from_string (name, &field))
        return fl_cli_fail (EX_USAGE,
                            _("Unknown field “%s”; “fairlead-cli leads set --help” lists the fields"),
                            name);
    }
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  lead = fl_store_get_lead (store, argv[1], &error);
  if (lead == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);

  for (int i = 2; i < argc; i++)
    {
      const char *equals = strchr (argv[i], '=');
      g_autofree char *name = g_strndup (argv[i], equals - argv[i]);
      const char *value = equals[1] != '\0' ? equals + 1 : NULL;
      FlField field;

      if (g_str_equal (name, "notes"))
        fl_lead_set_notes (lead, value);
      else if (fl_field_from_string (name, &field))
        fl_lead_set_field (lead, field, value);
    }
  now = fl_now_iso8601 ();
  fl_lead_set_updated_at (lead, now);
  /* A corrected title or company can change the score. */
  if (!fl_scorer_score_lead (store, lead, &error) ||
      !fl_store_save_lead (store, lead, staff ? staff : g_get_user_name (), &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  printf ("%s\n", fl_lead_get_uuid (lead));
  return EX_OK;
}

static const FlCliCommand leads_commands[] = {
  { "import", N_("Import leads from JSON or JSON Lines"), leads_import },
  { "list", N_("List the leads of the active event"), leads_list },
  { "show", N_("Show one lead"), leads_show },
  { "set", N_("Edit a lead's person fields or notes"), leads_set },
};

int
fl_cli_leads (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "leads", leads_commands, G_N_ELEMENTS (leads_commands), argc, argv);
}

/* CSV streamed lead by lead: memory stays flat at any number of leads. */
typedef struct
{
  FILE         *file;
  GStringChunk *strings;
  GPtrArray    *uuids;   /* what was written, for the audit */
} CsvStream;

static gboolean
set_errno_error (GError **error)
{
  int saved_errno = errno;

  g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       g_strerror (saved_errno));
  return FALSE;
}

static gboolean
csv_stream_row (const char *row, gsize length, const char *uuid, gpointer user_data,
                GError **error)
{
  CsvStream *stream = user_data;

  if (fwrite (row, 1, length, stream->file) != length)
    return set_errno_error (error);
  g_ptr_array_add (stream->uuids, g_string_chunk_insert (stream->strings, uuid));
  return TRUE;
}

static gboolean
csv_stream (FlStore *store, FILE *file, GPtrArray *uuids, GStringChunk *strings, GError **error)
{
  g_autoptr(GString) header = g_string_new (NULL);
  CsvStream stream = { file, strings, uuids };

  fl_export_csv_header (header);
  if (fwrite (header->str, 1, header->len, file) != header->len)
    return set_errno_error (error);
  return fl_store_export_csv (store, NULL, csv_stream_row, &stream, error);
}

/* Streams the CSV into a new file beside @path, readable by its owner
 * only, makes it durable and puts it in place: @path is the whole export
 * or as it was. */
static gboolean
csv_stream_to_file (FlStore *store, const char *path, GPtrArray *uuids, GStringChunk *strings,
                    GError **error)
{
  g_autofree char *temp = g_strconcat (path, ".XXXXXX", NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  FILE *file;
  gboolean ok;
  int fd;

  fd = g_mkstemp_full (temp, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return FALSE;
    }
  file = fdopen (fd, "w");
  if (file == NULL)
    {
      close (fd);
      g_unlink (temp);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, g_strerror (errno));
      return FALSE;
    }
  setvbuf (file, NULL, _IOFBF, 256 * 1024);
  ok = csv_stream (store, file, uuids, strings, error);
  if (ok && (fflush (file) != 0 || fsync (fd) != 0))
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      ok = FALSE;
    }
  if (fclose (file) != 0 && ok)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      ok = FALSE;
    }
  if (ok && g_rename (temp, path) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!ok)
    {
      g_unlink (temp);
      return FALSE;
    }
  /* The rename itself is durable once the folder is. */
  fd = open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }
  return TRUE;
}

int
fl_cli_export (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— export the leads of the active event"));
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *format = NULL;
  g_autofree char *output = NULL;
  g_autofree char *text = NULL;
  GOptionEntry entries[] = {
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, N_("csv (RFC 4180, UTF-8) or json"), "csv|json" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE (readable by you only) instead of standard output"), N_("FILE") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (format == NULL)
    return fl_cli_fail (EX_USAGE, "%s", _("export needs --format csv or --format json"));
  if (strcmp (format, "csv") != 0 && strcmp (format, "json") != 0)
    return fl_cli_fail (EX_USAGE, _("Unknown format “%s” (expected csv or json)"), format);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  if (strcmp (format, "csv") == 0)
    {
      g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
      g_autoptr(GStringChunk) strings = g_string_chunk_new (64 * 1024);

      if (output == NULL)
        {
          if (!csv_stream (store, stdout, uuids, strings, &error))
            {
              if (error->domain == G_IO_ERROR)
                return fl_cli_fail (EX_IOERR, "%s", _("Cannot write the export to standard output"));
              return fl_cli_fail_error (fl_cli_exit_code (error), error);
            }
          if (fflush (stdout) != 0 || ferror (stdout))
            return fl_cli_fail (EX_IOERR, "%s", _("Cannot write the export to standard output"));
        }
      else if (!csv_stream_to_file (store, output, uuids, strings, &error))
        {
          if (error->domain == G_IO_ERROR)
            return fl_cli_fail (EX_CANTCREAT, _("Cannot write “%s”: %s"), output, error->message);
          return fl_cli_fail_error (fl_cli_exit_code (error), error);
        }
      else
        fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Exported %u lead to %s\n",
                                      "Exported %u leads to %s\n", uuids->len),
                 uuids->len, output);
      /* The export hands the leads over: their retention period may start. */
      if (!fl_privacy_record_export_uuids (store, uuids, g_get_user_name (), &error))
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
      return EX_OK;
    }

  leads = fl_store_list_leads (store, NULL, &error);
  if (leads == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  {
    g_autofree char *json = fl_export_json (leads);
    text = g_strconcat (json, "\n", NULL);
  }

  if (output == NULL)
    {
      fputs (text, stdout);
      if (fflush (stdout) != 0 || ferror (stdout))
        return fl_cli_fail (EX_IOERR, "%s", _("Cannot write the export to standard output"));
    }
  else if (!fl_export_write_file (output, text, &error))
    return fl_cli_fail (EX_CANTCREAT, _("Cannot write “%s”: %s"), output, error->message);
  else
    fprintf (stderr, g_dngettext (GETTEXT_PACKAGE, "Exported %u lead to %s\n",
                                  "Exported %u leads to %s\n", leads->len),
             leads->len, output);
  /* The export hands the leads over: their retention period may start. */
  if (!fl_privacy_record_export (store, leads, g_get_user_name (), &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  return EX_OK;
}
