/* fl-cli-event.c: fairlead-cli event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "store/fl-event-settings.h"

static int
event_create (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NAME — create an event and make it the active one"));
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *starts = NULL, *ends = NULL, *venue = NULL, *booth = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "starts", 0, 0, G_OPTION_ARG_STRING, &starts, N_("First day of the show"), N_("YYYY-MM-DD") },
    { "ends", 0, 0, G_OPTION_ARG_STRING, &ends, N_("Last day of the show"), N_("YYYY-MM-DD") },
    { "venue", 0, 0, G_OPTION_ARG_STRING, &venue, N_("Where the show is"), N_("TEXT") },
    { "booth", 0, 0, G_OPTION_ARG_STRING, &booth, N_("Hall and booth number"), N_("TEXT") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the event as JSON"), NULL },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("event create needs exactly one NAME (quote a name with spaces)"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  event->name = g_strdup (argv[1]);
  event->starts_on = g_steal_pointer (&starts);
  event->ends_on = g_steal_pointer (&ends);
  event->venue = g_steal_pointer (&venue);
  event->booth = g_steal_pointer (&booth);
  created = fl_store_create_event (store, event, &error);
  if (created == NULL)
    return fl_cli_fail_error (error->domain == FL_STORE_ERROR && error->code == FL_STORE_ERROR_INVALID
                                ? EX_USAGE : fl_cli_exit_code (error), error);
  if (json)
    {
      g_autoptr(JsonNode) node = fl_event_to_json (created);
      fl_cli_print_json (node, TRUE);
    }
  else
    printf (_("Created event “%s” (%s); it is now the active event.\n"), created->name, created->uuid);
  return EX_OK;
}

static int
event_list (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— list the events, the active one marked"));
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *active = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print a JSON array"), NULL },
    { NULL }
  };
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  events = fl_store_list_events (store, &error);
  if (events == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  active = fl_store_get_meta (store, "active_event");

  if (json)
    {
      g_autoptr(JsonNode) root = fl_json_new_array ();

      for (guint i = 0; i < events->len; i++)
        {
          FlEvent *event = g_ptr_array_index (events, i);
          JsonNode *node = fl_event_to_json (event);

          json_object_set_boolean_member (json_node_get_object (node), "active",
                                          g_strcmp0 (event->uuid, active) == 0);
          json_array_add_element (json_node_get_array (root), node);
        }
      fl_cli_print_json (root, TRUE);
      return EX_OK;
    }

  if (events->len == 0)
    {
      printf ("%s\n", _("No events yet. Create one with “fairlead-cli event create NAME”."));
      return EX_OK;
    }
  for (guint i = 0; i < events->len; i++)
    {
      FlEvent *event = g_ptr_array_index (events, i);

      printf ("%s %s  %s", g_strcmp0 (event->uuid, active) == 0 ? "*" : " ", event->uuid,
              event->name);
      if (event->starts_on != NULL)
        printf ("  %s%s%s", event->starts_on, event->ends_on ? " – " : "",
                event->ends_on ? event->ends_on : "");
      if (event->venue != NULL)
        printf ("  %s", event->venue);
      if (event->booth != NULL)
        printf (_(", booth %s"), event->booth);
      printf ("\n");
    }
  return EX_OK;
}

static int
event_use (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("UUID — make an event the active one"));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = NULL;
  FlStore *store;
  int code;

  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 2)
    return fl_cli_fail (EX_USAGE, "%s", _("event use needs the UUID of an event (see “event list”)"));
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if (!fl_store_set_active_event (store, argv[1], &error))
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  event = fl_store_get_active_event (store, NULL);
  printf (_("“%s” is now the active event.\n"), event ? event->name : argv[1]);
  return EX_OK;
}

static char *
known_keys (void)
{
  return g_strjoinv (", ", (char **) fl_event_settings_keys ());
}

static int
event_set (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("KEY VALUE — change a setting of the active event"));
  g_autoptr(FlEvent) scratch = fl_event_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL, *staff = NULL, *keys = known_keys ();
  g_autofree char *description = NULL;
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_STRING, &uuid, N_("Another event than the active one"), N_("UUID") },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_("Who changes it, for the audit (default: your user name)"), N_("NAME") },
    { NULL }
  };
  FlStore *store;
  int code;

  description = g_strdup_printf (
    _("Settings:\n"
      "  retention_days      days after a lead was delivered or exported until it is deleted;\n"
      "                      none (or 0) keeps leads until erased by hand\n"
      "  consent_required    true or false: hold back leads without a given consent\n"
      "  handout_url         the http:// or https:// link the thanks page shows as a QR code\n"
      "  privacy_notice.en   the privacy notice beside the consent, in English\n"
      "  privacy_notice.de   the same in German\n"
      "  privacy_notice.fr, .it, .es, .nl, .pl   the same in French, Italian, Spanish, Dutch, Polish (for a model that offers the visitor these languages)\n"
      "  booth, venue        where the booth is\n"
      "An empty VALUE (\"\") clears a setting. Every change is recorded in the audit.\n"
      "Known keys: %s"), keys);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  /* "event set -- retention_days -3": GOption keeps the "--". */
  for (int i = 1; i < argc; i++)
    if (strcmp (argv[i], "--") == 0)
      {
        memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
        argc--;
        break;
      }
  if (argc != 3)
    return fl_cli_fail (EX_USAGE, _("event set needs a KEY and a VALUE (one of %s)"), keys);
  /* Check the value before the database is opened (or created). */
  if (!fl_event_settings_set (scratch, argv[1], argv[2], &error))
    return fl_cli_fail_error (g_error_matches (error, FL_EVENT_SETTINGS_ERROR, FL_EVENT_SETTINGS_ERROR_UNKNOWN_KEY)
                                ? EX_USAGE : EX_DATAERR, error);
  if (uuid != NULL && !g_uuid_string_is_valid (uuid))
    return fl_cli_fail (EX_USAGE, _("“%s” is not a UUID"), uuid);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  if (!fl_store_set_event_setting (store, uuid, argv[1], argv[2], staff ? staff : g_get_user_name (), &error))
    return fl_cli_fail_error (error->domain == FL_EVENT_SETTINGS_ERROR ? EX_DATAERR : fl_cli_exit_code (error),
                              error);
  {
    g_autoptr(FlEvent) event = uuid ? fl_store_get_event (store, uuid, NULL) : fl_store_get_active_event (store, NULL);
    g_autofree char *value = event ? fl_event_settings_get (event, argv[1]) : NULL;

    if (value != NULL && !g_str_has_prefix (argv[1], FL_SETTING_PRIVACY_NOTICE "."))
      printf (_("%s is now %s\n"), argv[1], value);
    else if (value != NULL)
      printf (_("%s is set\n"), argv[1]);
    else
      printf (_("%s is cleared\n"), argv[1]);
  }
  return EX_OK;
}

static int
event_show (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("— show the active event and its settings"));
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL, *active = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "event", 0, 0, G_OPTION_ARG_STRING, &uuid, N_("Another event than the active one"), N_("UUID") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the event as JSON"), NULL },
    { NULL }
  };
  const char *const *keys = fl_event_settings_keys ();
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”"), argv[1]);
  if (uuid != NULL && !g_uuid_string_is_valid (uuid))
    return fl_cli_fail (EX_USAGE, _("“%s” is not a UUID"), uuid);
  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;
  event = uuid ? fl_store_get_event (store, uuid, &error) : fl_store_get_active_event (store, &error);
  if (event == NULL)
    return fl_cli_fail_error (fl_cli_exit_code (error), error);
  active = fl_store_get_meta (store, "active_event");

  if (json)
    {
      g_autoptr(JsonNode) node = fl_event_settings_to_json (event);

      json_object_set_boolean_member (json_node_get_object (node), "active", g_strcmp0 (event->uuid, active) == 0);
      fl_cli_print_json (node, TRUE);
      return EX_OK;
    }

  printf ("%s (%s)%s\n", event->name, event->uuid, g_strcmp0 (event->uuid, active) == 0 ? _(", active") : "");
  printf ("  %-18s %s\n", "starts_on", event->starts_on ? event->starts_on : "none");
  printf ("  %-18s %s\n", "ends_on", event->ends_on ? event->ends_on : "none");
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *value = fl_event_settings_get (event, keys[i]);

      if (value == NULL && g_str_has_prefix (keys[i], FL_SETTING_PRIVACY_NOTICE "."))
        printf ("  %-18s %s\n", keys[i], _("none (the default notice)"));
      else if (value == NULL && g_str_equal (keys[i], "retention_days"))
        printf ("  %-18s %s\n", keys[i], _("none (kept until erased by hand)"));
      else
        printf ("  %-18s %s\n", keys[i], value ? value : "none");
    }
  return EX_OK;
}

static const FlCliCommand event_commands[] = {
  { "create", N_("Create an event and make it the active one"), event_create },
  { "list", N_("List the events"), event_list },
  { "use", N_("Make an event the active one"), event_use },
  { "show", N_("Show the active event and its settings"), event_show },
  { "set", N_("Change a setting of the active event"), event_set },
};

int
fl_cli_event (FlCli *cli, int argc, char **argv)
{
  return fl_cli_dispatch (cli, "event", event_commands, G_N_ELEMENTS (event_commands), argc, argv);
}
