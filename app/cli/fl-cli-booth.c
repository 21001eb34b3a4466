/* fl-cli-booth.c: fairlead-cli booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "booth/fl-booth.h"
#include "booth/fl-booth-cert.h"
#include "booth/fl-booth-client.h"
#include "booth/fl-booth-discovery.h"
#include "booth/fl-booth-service.h"
#include "scan/fl-qr.h"

#define BROWSE_TIMEOUT_MS 1000

static int
booth_exit_code (const GError *error)
{
  if (error->domain == FL_BOOTH_ERROR)
    {
      switch (error->code)
        {
        case FL_BOOTH_ERROR_NOT_IN_BOOTH:
        case FL_BOOTH_ERROR_ALREADY:
        case FL_BOOTH_ERROR_IDENTITY:
          return EX_CONFIG;
        case FL_BOOTH_ERROR_BAD_CODE:
          return EX_DATAERR;
        case FL_BOOTH_ERROR_REFUSED:
        case FL_BOOTH_ERROR_NOT_MEMBER:
          return EX_NOPERM;
        case FL_BOOTH_ERROR_UNREACHABLE:
          return EX_TEMPFAIL;
        case FL_BOOTH_ERROR_NO_DEVICE:
          return EX_NOINPUT;
        case FL_BOOTH_ERROR_PROTOCOL:
        default:
          return EX_PROTOCOL;
        }
    }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_ADDRESS_IN_USE))
    return EX_UNAVAILABLE;
  return fl_cli_exit_code (error);
}

static int
fail_error (const GError *error)
{
  return fl_cli_fail_error (booth_exit_code (error), error);
}

/* This kiosk's booth certificate, made on first use. NULL when it cannot
 * be had: then, given @exit_code, the message is printed and the exit code
 * stored there; without, quietly. */
static GTlsCertificate *
load_certificate (FlStore *store, int *exit_code)
{
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate =
    fl_booth_cert_load_or_create (fl_store_get_path (store), fl_store_get_device_id (store),
                                  exit_code != NULL ? &error : NULL);

  if (certificate == NULL && exit_code != NULL)
    *exit_code = fail_error (error);
  return certificate;
}

/* Parses the options, wants @n_args words (the verb's own included) and
 * opens the store. NULL when one of them fails: the message is printed
 * and the exit code stored in @exit_code. */
static FlStore *
open_store (FlCli           *cli,
            GOptionContext  *context,
            int             *argc,
            char          ***argv,
            int              n_args,
            const char      *usage,
            int             *exit_code)
{
  FlStore *store;

  if (!fl_cli_parse (context, argc, argv, exit_code))
    return NULL;
  if (*argc != n_args)
    {
      *exit_code = fl_cli_fail (EX_USAGE, "%s", usage);
      return NULL;
    }
  if ((store = fl_cli_get_store (cli)) == NULL)
    {
      *exit_code = cli->store_exit_code;
      return NULL;
    }
  return store;
}

/* open_store(), then the booth this kiosk belongs to. */
static FlBooth *
open_booth (FlCli           *cli,
            GOptionContext  *context,
            int             *argc,
            char          ***argv,
            int              n_args,
            const char      *usage,
            FlStore        **out_store,
            int             *exit_code)
{
  g_autoptr(GError) error = NULL;
  FlStore *store = open_store (cli, context, argc, argv, n_args, usage, exit_code);
  FlBooth *booth;

  if (store == NULL)
    return NULL;
  if ((booth = fl_booth_load (store, &error)) == NULL)
    {
      *exit_code = fail_error (error);
      return NULL;
    }
  *out_store = store;
  return booth;
}

/* Undoes the transaction of a command that failed with @exit_code. */
static int
roll_back (FlStore *store, int exit_code)
{
  fl_store_rollback (store);
  return exit_code;
}

static char *
format_time (gint64 unix_seconds)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_seconds <= 0)
    return g_strdup (_("never"));
  time = g_date_time_new_from_unix_local (unix_seconds);
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S");
}

static int
booth_create (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— make this kiosk the first of a new booth and print its join code"));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *device = NULL;
  g_autofree char *qr = NULL;
  g_auto(GStrv) addresses = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *fingerprint = NULL;
  g_autofree char *code_text = NULL;
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The booth’s name"), N_("NAME") },
    { "device", 0, 0, G_OPTION_ARG_STRING, &device, N_("This kiosk’s name in the booth (default: the host name)"), N_("NAME") },
    { "qr", 0, 0, G_OPTION_ARG_FILENAME, &qr, N_("Also draw the join code as a QR code"), N_("FILE.png|FILE.svg") },
    { "address", 0, 0, G_OPTION_ARG_STRING_ARRAY, &addresses, N_("Where the others reach this kiosk (default: its addresses on the default port)"), N_("HOST:PORT") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("The join code carries the booth’s join secret: show it only to kiosks of the booth.\n"
      "Then run “fairlead-cli booth serve” (or the kiosk) so the others can join."));
  if ((store = open_store (cli, context, &argc, &argv, 1,
                           _("booth create takes no arguments; see --help"), &code)) == NULL)
    return code;

  if ((certificate = load_certificate (store, &code)) == NULL)
    return code;
  fingerprint = fl_booth_cert_fingerprint (certificate);
  if (addresses == NULL)
    {
      /* The service replaces these with where it actually listens. */
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      g_autolist(GInetAddress) found =
        g_resolver_lookup_by_name (resolver, g_get_host_name (), NULL, NULL);

      for (GList *l = found; l != NULL; l = l->next)
        if (g_inet_address_get_family (l->data) == G_SOCKET_FAMILY_IPV4 &&
            !g_inet_address_get_is_loopback (l->data))
          {
            g_autofree char *text = g_inet_address_to_string (l->data);
            g_autofree char *entry = g_strdup_printf ("%s:%u", text, FL_BOOTH_DEFAULT_PORT);

            g_strv_builder_add (builder, entry);
          }
      addresses = g_strv_builder_end (builder);
    }
  booth = fl_booth_create (store, name, device, fingerprint, (const char * const *) addresses,
                           &error);
  if (booth == NULL)
    return fail_error (error);
  code_text = fl_booth_get_join_code (booth);
  if (qr != NULL &&
      !fl_qr_save (code_text, FL_QR_EC_MEDIUM, FL_QR_DEFAULT_SCALE, FL_QR_DEFAULT_MARGIN, qr, &error))
    {
      fl_cli_fail_error (EX_CANTCREAT, error);
      fprintf (stderr, "%s\n", _("The booth was created; its join code follows."));
    }
  printf ("%s\n", code_text);
  return qr != NULL && error != NULL ? EX_CANTCREAT : EX_OK;
}

static int
booth_code (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— print the join code again, to add a kiosk through this one"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *code_text = NULL;
  GOptionEntry entries[] = {
    { "qr", 0, 0, G_OPTION_ARG_FILENAME, &qr, N_("Also draw the join code as a QR code"), N_("FILE.png|FILE.svg") },
    { NULL }
  };
  FlBoothMember *me;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Any kiosk of the booth can admit a new one: the code names this kiosk and the\n"
      "addresses it last announced."));
  if ((booth = open_booth (cli, context, &argc, &argv, 1,
                           _("booth code takes no arguments; see --help"), &store, &code)) == NULL)
    return code;
  me = fl_booth_get_self (booth);
  if (me == NULL || me->removed)
    return fl_cli_fail (EX_NOPERM, "%s",
                        _("This kiosk was removed from the booth; it can no longer sync"));
  code_text = fl_booth_get_join_code (booth);
  if (qr != NULL &&
      !fl_qr_save (code_text, FL_QR_EC_MEDIUM, FL_QR_DEFAULT_SCALE, FL_QR_DEFAULT_MARGIN, qr, &error))
    return fl_cli_fail_error (EX_CANTCREAT, error);
  printf ("%s\n", code_text);
  return EX_OK;
}

static int
print_reports (GPtrArray *reports, gboolean json)
{
  gboolean refused = FALSE;
  gboolean unreachable = FALSE;
  gboolean failed = FALSE;

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_ARRAY);
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < reports->len; i++)
        {
          FlBoothPeerReport *report = reports->pdata[i];
          JsonObject *object = json_object_new ();

          json_object_set_string_member (object, "address", report->address);
          json_object_set_string_member (object, "device", report->device_id);
          json_object_set_string_member (object, "name", report->name);
          json_object_set_string_member (object, "result",
                                         fl_booth_peer_result_to_string (report->result));
          json_object_set_string_member (object, "message", report->message);
          json_object_set_int_member (object, "received", report->received);
          json_object_set_int_member (object, "sent_batches", report->sent_batches);
          json_object_set_int_member (object, "bytes_sent", report->bytes_sent);
          json_object_set_int_member (object, "bytes_received", report->bytes_received);
          json_array_add_object_element (array, object);
        }
      json_node_take_array (node, array);
      fl_cli_print_json (node, TRUE);
    }

  for (guint i = 0; i < reports->len; i++)
    {
      FlBoothPeerReport *report = reports->pdata[i];
      const char *who = report->name != NULL ? report->name : report->address;

      switch (report->result)
        {
        case FL_BOOTH_PEER_IN_SYNC:
          if (!json)
            printf (_("%s (%s): in sync, %u changes received\n"), who, report->address,
                    report->received);
          break;
        case FL_BOOTH_PEER_BEHIND:
          if (!json)
            printf (_("%s (%s): %s\n"), who, report->address, report->message);
          unreachable = TRUE;
          break;
        case FL_BOOTH_PEER_UNREACHABLE:
          unreachable = TRUE;
          fprintf (stderr, "fairlead-cli: %s\n", report->message);
          break;
        case FL_BOOTH_PEER_REFUSED:
        case FL_BOOTH_PEER_NOT_MEMBER:
          refused = TRUE;
          fprintf (stderr, "fairlead-cli: %s\n", report->message);
          break;
        case FL_BOOTH_PEER_FAILED:
        default:
          failed = TRUE;
          fprintf (stderr, "fairlead-cli: %s\n", report->message);
          break;
        }
    }
  if (refused)
    return EX_NOPERM;
  if (unreachable)
    return EX_TEMPFAIL;
  if (failed)
    return EX_PROTOCOL;
  return EX_OK;
}

static GStrv
discover (FlBooth *booth)
{
  g_autoptr(GError) error = NULL;
  GStrv found = fl_booth_discovery_browse (fl_booth_get_id (booth), fl_booth_get_device_id (booth),
                                           BROWSE_TIMEOUT_MS, &error);

  if (found == NULL)
    g_printerr ("fairlead-cli: %s\n", error->message);
  return found;
}

static int
booth_join (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("CODE — join the booth of a join code"));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_auto(GStrv) peers = NULL;
  g_autoptr(FlBoothCode) booth_code = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  g_autofree char *admitted_by = NULL;
  const char *only[2] = { NULL, NULL };
  GOptionEntry entries[] = {
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("This kiosk’s name in the booth (default: the host name)"), N_("DEVICE") },
    { "peer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &peers, N_("A kiosk of the booth to contact (repeatable)"), N_("HOST:PORT") },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("CODE is the line “fairlead-cli booth create” printed (FLB1:…) or what its QR code holds.\n"
      "Joining brings the booth’s event, scoring model, roster, staff and settings, never the\n"
      "connectors’ secrets. Exit status: 0 joined, 65 not a join code, 75 no kiosk of the booth\n"
      "reached, 77 refused (wrong code or booth, or this kiosk was removed)."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("booth join needs exactly one CODE"));
  if ((booth_code = fl_booth_parse_code (argv[1], &error)) == NULL)
    return fail_error (error);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if ((certificate = load_certificate (store, &code)) == NULL)
    return code;

  booth = fl_booth_join (store, certificate, booth_code, name, (const char * const *) peers,
                         &admitted_by, &error);
  if (booth == NULL)
    return fail_error (error);
  printf (_("Joined the booth “%s”.\n"), fl_booth_get_name (booth));

  /* The booth's setup comes with the first round, with the kiosk that
   * admitted this one: the others hear of it from that kiosk first. */
  only[0] = admitted_by;
  reports = fl_booth_sync (store, certificate, only, NULL, FL_BOOTH_SYNC_ONLY_GIVEN, NULL, &error);
  if (reports == NULL)
    return fail_error (error);
  return print_reports (reports, FALSE);
}

static int
booth_sync (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— one two-way round with the other kiosks of the booth"));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) peers = NULL;
  g_auto(GStrv) discovered = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  gboolean json = FALSE;
  gboolean no_discover = FALSE;
  GOptionEntry entries[] = {
    { "peer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &peers, N_("Also a kiosk at this address (repeatable)"), N_("HOST:PORT") },
    { "no-discover", 0, 0, G_OPTION_ARG_NONE, &no_discover, N_("Do not look for kiosks by DNS-SD"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print one JSON object per peer"), NULL },
    { NULL }
  };
  FlBoothMember *me;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Peers: the ones given, the addresses each member last announced, and those found by\n"
      "DNS-SD. Each side sends what the other lacks. Exit status: 0 in sync with every peer\n"
      "reached, 75 a peer could not be reached (or changes remain), 77 a peer refused us."));
  if ((booth = open_booth (cli, context, &argc, &argv, 1,
                           _("booth sync takes no arguments; see --help"), &store, &code)) == NULL)
    return code;
  me = fl_booth_get_self (booth);
  if (me != NULL && me->removed)
    return fl_cli_fail (EX_NOPERM, "%s",
                        _("This kiosk was removed from the booth; it can no longer sync"));
  if ((certificate = load_certificate (store, &code)) == NULL)
    return code;
  if (!no_discover)
    discovered = discover (booth);

  reports = fl_booth_sync (store, certificate, (const char * const *) peers,
                           (const char * const *) discovered, FL_BOOTH_SYNC_DEFAULT, NULL, &error);
  if (reports == NULL)
    return fail_error (error);
  if (reports->len == 0)
    {
      g_autoptr(FlBooth) now = fl_booth_load (store, NULL);
      guint others = 0;

      for (guint i = 0; now != NULL && i < fl_booth_get_members (now)->len; i++)
        {
          FlBoothMember *member = fl_booth_get_members (now)->pdata[i];

          others += !member->removed && member != fl_booth_get_self (now);
        }
      if (json)
        {
          g_autoptr(JsonNode) empty = json_node_new (JSON_NODE_ARRAY);

          json_node_take_array (empty, json_array_new ());
          fl_cli_print_json (empty, TRUE);
        }
      if (others > 0)
        return fl_cli_fail (EX_TEMPFAIL, "%s",
                            _("No other kiosk of the booth could be found: none announced an "
                              "address; give one with --peer HOST:PORT"));
      if (!json)
        printf ("%s\n", _("This kiosk is the only one of the booth: nothing to sync."));
      return EX_OK;
    }
  return print_reports (reports, json);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
booth_serve (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— run the booth sync service in the foreground"));
  g_autoptr(GError) error = NULL;
  g_autofree char *listen = NULL;
  g_auto(GStrv) peers = NULL;
  g_autoptr(FlBoothService) service = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  double interval = FL_BOOTH_SERVICE_INTERVAL_MS / 1000.0;
  GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &listen, N_("Where to listen (default: every interface, port 7841)"), N_("ADDR:PORT") },
    { "peer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &peers, N_("Also sync with a kiosk at this address (repeatable)"), N_("HOST:PORT") },
    { "interval", 0, 0, G_OPTION_ARG_DOUBLE, &interval, N_("Seconds between two rounds (default: 1)"), N_("SECONDS") },
    { NULL }
  };
  guint term_id;
  guint int_id;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Answers the other kiosks of the booth and syncs with them every second, until SIGTERM\n"
      "or Ctrl+C. Exit status: 0 stopped, 69 the address is taken, 77 removed from the booth."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, "%s", _("booth serve takes no arguments; see --help"));
  if (interval < 0.1 || interval > 3600)
    return fl_cli_fail (EX_USAGE, "%s", _("--interval is between 0.1 and 3600 seconds"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  service = fl_booth_service_new (store);
  fl_booth_service_set_interval (service, (guint) (interval * 1000));
  fl_booth_service_set_peers (service, (const char * const *) peers);
  if (!fl_booth_service_start (service, listen, &error))
    return fail_error (error);
  printf (_("Serving the booth on port %u; SIGTERM or Ctrl+C stops.\n"),
          fl_booth_service_get_port (service));
  fflush (stdout);

  term_id = g_unix_signal_add (SIGTERM, quit_cb, loop);
  int_id = g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  g_source_remove (term_id);
  g_source_remove (int_id);
  fl_booth_service_stop (service);
  return EX_OK;
}

static int
booth_status (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— the booth’s kiosks, when each was last seen and whether in sync"));
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *state = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { NULL }
  };
  GPtrArray *members;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((booth = open_booth (cli, context, &argc, &argv, 1,
                           _("booth status takes no arguments; see --help"), &store, &code)) == NULL)
    return code;
  members = fl_booth_get_members (booth);
  state = fl_booth_state_text (members, fl_booth_get_device_id (booth), NULL, NULL);

  if (json)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      JsonObject *root = json_object_new ();
      JsonArray *array = json_array_new ();

      json_object_set_string_member (root, "booth", fl_booth_get_id (booth));
      json_object_set_string_member (root, "name", fl_booth_get_name (booth));
      json_object_set_string_member (root, "device", fl_booth_get_device_id (booth));
      json_object_set_string_member (root, "state", state);
      for (guint i = 0; i < members->len; i++)
        {
          FlBoothMember *member = members->pdata[i];
          JsonObject *object = json_object_new ();
          JsonArray *addresses = json_array_new ();

          for (guint j = 0; member->addresses != NULL && member->addresses[j] != NULL; j++)
            json_array_add_string_element (addresses, member->addresses[j]);
          json_object_set_string_member (object, "id", member->id);
          json_object_set_string_member (object, "name", member->name);
          json_object_set_string_member (object, "fingerprint", member->fingerprint);
          json_object_set_array_member (object, "addresses", addresses);
          json_object_set_boolean_member (object, "self", member == fl_booth_get_self (booth));
          json_object_set_boolean_member (object, "removed", member->removed);
          json_object_set_int_member (object, "last_seen", member->last_seen);
          json_object_set_int_member (object, "last_round", member->last_round);
          json_object_set_boolean_member (object, "in_sync", member->in_sync);
          json_object_set_int_member (object, "pending", member->pending);
          json_array_add_object_element (array, object);
        }
      json_object_set_array_member (root, "members", array);
      json_node_take_object (node, root);
      fl_cli_print_json (node, TRUE);
      return EX_OK;
    }

  printf (_("Booth “%s”: %s\n"), fl_booth_get_name (booth), state);
  for (guint i = 0; i < members->len; i++)
    {
      FlBoothMember *member = members->pdata[i];
      g_autofree char *seen = format_time (member->last_seen);
      const char *sync_state;

      if (member == fl_booth_get_self (booth))
        sync_state = _("this kiosk");
      else if (member->removed)
        sync_state = _("removed");
      else if (member->in_sync)
        sync_state = _("in sync");
      else if (member->last_round == 0)
        sync_state = _("not synced yet");
      else
        sync_state = _("changes pending");
      printf ("  %-20s %.8s  %-16s %s %s", member->name, member->id, sync_state, _("last seen"),
              seen);
      if (member->pending > 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, member->pending);

          printf (_(", %s changes it lacks"), count);
        }
      printf ("\n");
    }
  return EX_OK;
}

static int
booth_remove (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("DEVICE — remove a kiosk (by name or id) from the booth"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  FlBoothMember *member;
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("The others learn it on their next round and refuse the device from then on. A removed\n"
      "device cannot join the booth again."));
  if ((store = open_store (cli, context, &argc, &argv, 2,
                           _("booth remove needs exactly one DEVICE"), &code)) == NULL)
    return code;
  if (!fl_store_begin (store, &error))
    return fail_error (error);
  if ((booth = fl_booth_load (store, &error)) == NULL)
    return roll_back (store, fail_error (error));
  member = fl_booth_find_member (booth, argv[1]);
  if (member == NULL)
    return roll_back (store, fl_cli_fail (EX_NOINPUT,
                                          _("No kiosk “%s” in the booth (or more than one); see "
                                            "“fairlead-cli booth status”"),
                                          argv[1]));
  if (member == fl_booth_get_self (booth))
    return roll_back (store, fl_cli_fail (EX_USAGE, "%s",
                                          _("This is this kiosk; to take it out of the booth run "
                                            "“fairlead-cli booth leave”")));
  fl_booth_remove_member (booth, member);
  if (!fl_booth_save (booth, &error) || !fl_store_commit (store, &error))
    return roll_back (store, fail_error (error));
  printf (_("Removed “%s” from the booth.\n"), member->name);
  return EX_OK;
}

static int
booth_leave (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— take this kiosk out of its booth"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlBooth) booth = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GPtrArray) reports = NULL;
  FlBoothMember *me;
  FlStore *store;
  int code;

  g_option_context_set_description (context,
    _("Tells the kiosks it can reach, then forgets the booth and this kiosk’s booth key.\n"
      "The leads stay on this kiosk."));
  if ((booth = open_booth (cli, context, &argc, &argv, 1,
                           _("booth leave takes no arguments; see --help"), &store, &code)) == NULL)
    return code;

  me = fl_booth_get_self (booth);
  if (me != NULL && !me->removed)
    {
      fl_booth_remove_member (booth, me);
      if (!fl_booth_save (booth, &error))
        return fail_error (error);
      /* Best effort: whoever is not told learns it from those who were. */
      certificate = load_certificate (store, NULL);
      if (certificate != NULL)
        reports = fl_booth_sync (store, certificate, NULL, NULL, FL_BOOTH_SYNC_DEFAULT, NULL, NULL);
    }
  if (!fl_booth_forget (store, &error) ||
      !fl_booth_cert_delete (fl_store_get_path (store), &error))
    return fail_error (error);
  printf (_("Left the booth “%s”.\n"), fl_booth_get_name (booth));
  return EX_OK;
}

static const FlCliCommand commands[] = {
  { "create", N_("Start a booth on this kiosk and print its join code"), booth_create },
  { "join", N_("Join a booth with its join code"), booth_join },
  { "code", N_("Print the join code again"), booth_code },
  { "serve", N_("Run the sync service in the foreground"), booth_serve },
  { "sync", N_("One two-way round with the other kiosks"), booth_sync },
  { "status", N_("The booth’s kiosks and whether they are in sync"), booth_status },
  { "remove", N_("Remove a kiosk from the booth"), booth_remove },
  { "leave", N_("Take this kiosk out of its booth"), booth_leave },
};

int
fl_cli_booth (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "booth", commands, G_N_ELEMENTS (commands), argc, argv);
}
