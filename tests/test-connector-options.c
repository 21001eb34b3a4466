/* test-connector-options.c: the options each connector type offers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"

#include <json-glib/json-glib.h>

#include "sync/fl-connector.h"
#include "sync/fl-connector-options.h"

/* Every type the settings offer has its options described, each key once,
 * each with a label. */
static void
test_every_type (void)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);
  guint n;

  for (guint t = 0; t < n_types; t++)
    {
      const FlConnectorOption *options = fl_connector_type_get_options (types[t].id, &n);
      g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

      g_assert_true (n == 0 || options != NULL);
      for (guint i = 0; i < n; i++)
        {
          g_assert_nonnull (options[i].key);
          g_assert_true (options[i].label != NULL && options[i].label[0] != '\0');
          g_assert_true (g_hash_table_add (seen, (gpointer) options[i].key));
          g_assert_true (options[i].kind != FL_OPTION_SWITCH || options[i].initial == NULL);
        }
    }
  g_assert_null (fl_connector_type_get_options ("no-such-type", &n));
  g_assert_cmpuint (n, ==, 0);
}

/* What the schema calls required is what the connector refuses to start
 * without: with the required options it is created, without any one of
 * them it is not. */
static void
test_required (void)
{
  const struct { const char *type, *url; } cases[] = {
    { "dynamics", "https://example.crm4.dynamics.com" },
    { "zoho", NULL },
  };

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      guint n, n_required = 0;
      const FlConnectorOption *options = fl_connector_type_get_options (cases[c].type, &n);
      g_autoptr(JsonObject) all = json_object_new ();
      g_autoptr(GError) error = NULL;
      g_autoptr(FlConnector) connector = NULL;

      for (guint i = 0; i < n; i++)
        if (options[i].required)
          {
            json_object_set_string_member (all, options[i].key, "value1");
            n_required++;
          }
        else if (options[i].initial != NULL)
          json_object_set_string_member (all, options[i].key, options[i].initial);
      g_assert_cmpuint (n_required, >, 0);
      connector = fl_connector_new ("crm", cases[c].type, cases[c].url, all, &error);
      g_assert_no_error (error);
      g_assert_nonnull (connector);

      for (guint i = 0; i < n; i++)
        if (options[i].required)
          {
            g_autoptr(JsonObject) fewer = json_object_new ();
            g_autoptr(FlConnector) refused = NULL;
            g_autoptr(GError) missing = NULL;
            g_autoptr(GList) members = json_object_get_members (all);

            for (GList *l = members; l != NULL; l = l->next)
              if (!g_str_equal (l->data, options[i].key))
                json_object_set_string_member (fewer, l->data, json_object_get_string_member (all, l->data));
            refused = fl_connector_new ("crm", cases[c].type, cases[c].url, fewer, &missing);
            g_test_message ("%s without %s: %s", cases[c].type, options[i].key,
                            missing ? missing->message : "(created)");
            g_assert_null (refused);
            g_assert_nonnull (missing);
          }
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connector-options/every-type", test_every_type);
  g_test_add_func ("/connector-options/required", test_required);
  return g_test_run ();
}
