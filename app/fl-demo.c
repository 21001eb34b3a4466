/* fl-demo.c: the bundled demo event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-demo"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-demo.h"
#include "lead/fl-json.h"
#include "score/fl-model-store.h"
#include "score/fl-rescore.h"
#include "store/fl-import.h"

/**
 * fl_demo_data_dir:
 *
 * Returns: the folder with the demo event: `$FAIRLEAD_DATADIR/demo`, else
 *   the installed one, else the source tree's (for uninstalled builds)
 */
char *
fl_demo_data_dir (void)
{
  const char *env = g_getenv ("FAIRLEAD_DATADIR");
  g_autofree char *installed = g_build_filename (PKGDATADIR, "demo", NULL);

  if (env != NULL && env[0] != '\0')
    return g_build_filename (env, "demo", NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_DIR))
    return g_steal_pointer (&installed);
  return g_build_filename (SOURCE_DATADIR, "demo", NULL);
}

/* The demo never touches the real database: it has a file of its own. */
char *
fl_demo_db_path (void)
{
  const char *env = g_getenv ("FAIRLEAD_DEMO_DB");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "fairlead", "demo.db", NULL);
}

/**
 * fl_demo_seed:
 *
 * Fills an empty database with the demo event and its leads. A database
 * that already has an event is left as it is.
 */
gboolean
fl_demo_seed (FlStore *store, const char *demo_dir, GError **error)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autofree char *event_path = g_build_filename (demo_dir, "event.json", NULL);
  g_autofree char *leads_path = g_build_filename (demo_dir, "leads.jsonl", NULL);
  g_autofree char *model_path = g_build_filename (demo_dir, "scoring.json", NULL);
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(GFile) leads_file = g_file_new_for_path (leads_path);
  g_autoptr(GInputStream) input = NULL;
  g_autofree char *event_text = NULL;
  gsize event_length = 0;
  JsonObject *object;

  events = fl_store_list_events (store, error);
  if (events == NULL)
    return FALSE;
  if (events->len > 0)
    return TRUE;

  if (!g_file_get_contents (event_path, &event_text, &event_length, error) ||
      !fl_json_parser_load (parser, event_text, event_length, error))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("“%s” is not a JSON object"), event_path);
      return FALSE;
    }
  object = json_node_get_object (json_parser_get_root (parser));
  event->name = g_strdup (json_object_get_string_member_with_default (object, "name", "Demo"));
  event->starts_on = g_strdup (json_object_get_string_member_with_default (object, "starts_on", NULL));
  event->ends_on = g_strdup (json_object_get_string_member_with_default (object, "ends_on", NULL));
  event->venue = g_strdup (json_object_get_string_member_with_default (object, "venue", NULL));
  event->booth = g_strdup (json_object_get_string_member_with_default (object, "booth", NULL));
  if (json_object_has_member (object, "settings"))
    {
      json_node_unref (event->settings);
      event->settings = json_node_copy (json_object_get_member (object, "settings"));
    }
  created = fl_store_create_event (store, event, error);
  if (created == NULL)
    return FALSE;

  /* The demo event is scored by the bundled model, as a real one would be. */
  model = fl_model_new_from_file (model_path, NULL, error);
  if (model == NULL)
    {
      g_prefix_error (error, _("The demo scoring model “%s” is not usable: "), model_path);
      return FALSE;
    }
  if (!fl_model_store_activate (store, model, "demo", error))
    return FALSE;

  input = G_INPUT_STREAM (g_file_read (leads_file, NULL, error));
  if (input == NULL)
    return FALSE;
  if (fl_import_leads (store, input, leads_path, NULL, NULL, NULL, error) < 0)
    return FALSE;
  report = fl_rescore (store, model, NULL, FALSE, "demo", error);
  return report != NULL;
}

/**
 * fl_demo_open:
 *
 * Opens the demo database, seeding it on first use.
 */
FlStore *
fl_demo_open (GError **error)
{
  g_autofree char *path = fl_demo_db_path ();
  g_autofree char *dir = fl_demo_data_dir ();
  g_autoptr(FlStore) store = fl_store_open (path, error);

  if (store == NULL)
    return NULL;
  if (!fl_demo_seed (store, dir, error))
    return NULL;
  return g_steal_pointer (&store);
}
