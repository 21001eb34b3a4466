/* test-flatpak.c: what can be checked of the Flatpak manifest offline
 *
 * The manifest cannot be built on the test machines (no runtime download),
 * so this checks it against meson's app id and command, that every module
 * pins its sources with a checksum, and that the sandbox holes are the few
 * the kiosk needs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

typedef struct
{
  JsonParser *parser;
  JsonObject *manifest;
} Fixture;

/* The holes in the sandbox the kiosk needs: the CRM and the other kiosks
 * of the booth over the network (it also serves them), Wayland with X11 as
 * fallback, the GPU for GTK's renderer, and the host's Avahi daemon on the
 * system bus to announce and find the booth's kiosks (DNS-SD). The camera
 * (PipeWire through the camera portal) and the keyring (secret portal) go
 * through portals and need none. */
static const char *allowed_finish_args[] = {
  "--share=network",
  "--share=ipc",
  "--socket=wayland",
  "--socket=fallback-x11",
  "--device=dri",
  "--system-talk-name=org.freedesktop.Avahi",
};

static const char *required_finish_args[] = {
  "--share=network",
  "--share=ipc",
  "--socket=wayland",
  "--socket=fallback-x11",
  "--system-talk-name=org.freedesktop.Avahi",
};

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  fixture->parser = json_parser_new ();
  json_parser_load_from_file (fixture->parser, FL_MANIFEST, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (fixture->parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  fixture->manifest = json_node_get_object (root);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->parser);
}

static gboolean
is_hex (const char *text, gsize length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isxdigit (text[i]) || g_ascii_isupper (text[i]))
        return FALSE;
    }
  return TRUE;
}

static void
test_identity (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GKeyFile) desktop = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *metainfo = NULL;
  g_autofree char *expected_id = NULL;

  g_assert_cmpstr (json_object_get_string_member_with_default (fixture->manifest, "id", NULL), ==,
                   FL_BASE_ID);
  g_assert_cmpstr (json_object_get_string_member_with_default (fixture->manifest, "command", NULL),
                   ==, FL_COMMAND);
  g_assert_cmpstr (json_object_get_string_member_with_default (fixture->manifest, "runtime", NULL),
                   ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member_with_default (fixture->manifest, "sdk", NULL), ==,
                   "org.gnome.Sdk");
  g_assert_nonnull (json_object_get_string_member_with_default (fixture->manifest,
                                                                "runtime-version", NULL));

  /* The desktop file starts the same command, the metainfo names the same app. */
  g_key_file_load_from_file (desktop, FL_DESKTOP_IN, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  exec = g_key_file_get_string (desktop, G_KEY_FILE_DESKTOP_GROUP, G_KEY_FILE_DESKTOP_KEY_EXEC,
                                &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, FL_COMMAND);
  g_file_get_contents (FL_METAINFO_IN, &metainfo, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (metainfo, "<id>@app_id@</id>"));
  expected_id = g_strdup_printf ("<binary>%s</binary>", FL_COMMAND);
  g_assert_nonnull (strstr (metainfo, expected_id));
}

static void
test_finish_args (Fixture *fixture, gconstpointer data)
{
  JsonArray *args = json_object_get_array_member (fixture->manifest, "finish-args");
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_assert_nonnull (args);
  for (guint i = 0; i < json_array_get_length (args); i++)
    {
      const char *arg = json_array_get_string_element (args, i);
      gboolean allowed = FALSE;

      g_assert_nonnull (arg);
      for (guint j = 0; j < G_N_ELEMENTS (allowed_finish_args); j++)
        allowed |= g_str_equal (arg, allowed_finish_args[j]);
      if (!allowed)
        g_test_fail_printf ("finish-args: “%s” is not one the kiosk needs", arg);
      g_assert_false (g_hash_table_contains (seen, arg));
      g_hash_table_add (seen, (gpointer) arg);
    }
  for (guint j = 0; j < G_N_ELEMENTS (required_finish_args); j++)
    {
      if (!g_hash_table_contains (seen, required_finish_args[j]))
        g_test_fail_printf ("finish-args: “%s” is missing", required_finish_args[j]);
    }
}

static void
check_source (const char *module, JsonObject *source, gboolean is_app)
{
  const char *type = json_object_get_string_member_with_default (source, "type", NULL);
  const char *url = json_object_get_string_member_with_default (source, "url", NULL);

  g_assert_nonnull (type);
  if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
    {
      const char *sha256 = json_object_get_string_member_with_default (source, "sha256", NULL);

      if (url == NULL || !g_str_has_prefix (url, "https://"))
        g_test_fail_printf ("module %s: source %s is not fetched over https", module, url);
      if (!is_hex (sha256, 64))
        g_test_fail_printf ("module %s: source %s has no sha256 (64 lowercase hex digits)", module, url);
    }
  else if (g_str_equal (type, "git"))
    {
      const char *commit = json_object_get_string_member_with_default (source, "commit", NULL);

      if (!is_hex (commit, 40))
        g_test_fail_printf ("module %s: git source %s is not pinned to a commit", module, url);
    }
  else if (g_str_equal (type, "dir"))
    {
      /* Only Fairlead itself is built from the checkout. */
      if (!is_app)
        g_test_fail_printf ("module %s: a dir source is not pinned", module);
    }
  else
    g_test_fail_printf ("module %s: source type “%s” is not one this test knows to be pinned", module, type);
}

static void
check_modules (JsonArray *modules, const char *app_module)
{
  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonNode *node = json_array_get_element (modules, i);
      JsonObject *module;
      JsonArray *sources;
      const char *name;

      /* A module in a file of its own would escape the checks below. */
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      module = json_node_get_object (node);
      name = json_object_get_string_member_with_default (module, "name", NULL);
      g_assert_nonnull (name);
      g_assert_true (json_object_has_member (module, "buildsystem"));
      sources = json_object_get_array_member (module, "sources");
      g_assert_nonnull (sources);
      g_assert_cmpuint (json_array_get_length (sources), >, 0);
      for (guint j = 0; j < json_array_get_length (sources); j++)
        check_source (name, json_array_get_object_element (sources, j),
                      g_strcmp0 (name, app_module) == 0);
      if (json_object_has_member (module, "modules"))
        check_modules (json_object_get_array_member (module, "modules"), NULL);
    }
}

static void
test_modules (Fixture *fixture, gconstpointer data)
{
  JsonArray *modules = json_object_get_array_member (fixture->manifest, "modules");
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  /* The GNOME runtime (Freedesktop SDK 25.08 below it) has GnuTLS and
   * glib-networking, and libavahi-client only as a dependency of CUPS:
   * libavahi-glib, which the booth service needs, is not in it. */
  static const char *needed[] = { "zbar", "libqrencode", "leptonica", "tesseract", "tessdata",
                                  "avahi" };
  JsonObject *app;
  guint n;

  g_assert_nonnull (modules);
  n = json_array_get_length (modules);
  g_assert_cmpuint (n, >, 0);
  check_modules (modules, FL_COMMAND);

  for (guint i = 0; i < n; i++)
    g_hash_table_add (names, (gpointer) json_object_get_string_member (
                               json_array_get_object_element (modules, i), "name"));
  for (guint i = 0; i < G_N_ELEMENTS (needed); i++)
    {
      if (!g_hash_table_contains (names, needed[i]))
        g_test_fail_printf ("the manifest builds no %s, which the GNOME runtime lacks", needed[i]);
    }

  /* Fairlead comes last, built with meson and its GUI. */
  app = json_array_get_object_element (modules, n - 1);
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, FL_COMMAND);
  g_assert_cmpstr (json_object_get_string_member (app, "buildsystem"), ==, "meson");
}

/* Avahi is built for its client libraries only: the D-Bus client and its GLib
 * main loop (app/booth/meson.build: avahi-client, avahi-glib); the daemon is
 * the host's. */
static void
test_avahi (Fixture *fixture, gconstpointer data)
{
  JsonArray *modules = json_object_get_array_member (fixture->manifest, "modules");
  static const char *forbidden[] = { "--disable-glib", "--disable-dbus" };
  JsonObject *avahi = NULL;
  JsonArray *options;

  for (guint i = 0; i < json_array_get_length (modules); i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);

      if (g_strcmp0 (json_object_get_string_member (module, "name"), "avahi") == 0)
        avahi = module;
      /* Before Fairlead, which links it. */
      if (g_strcmp0 (json_object_get_string_member (module, "name"), FL_COMMAND) == 0)
        g_assert_nonnull (avahi);
    }
  g_assert_nonnull (avahi);
  g_assert_cmpstr (json_object_get_string_member (avahi, "buildsystem"), ==, "autotools");
  options = json_object_get_array_member (avahi, "config-opts");
  g_assert_nonnull (options);
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      const char *option = json_array_get_string_element (options, i);

      for (guint j = 0; j < G_N_ELEMENTS (forbidden); j++)
        if (g_str_equal (option, forbidden[j]))
          g_test_fail_printf ("module avahi: “%s” leaves out what the booth service needs", option);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/flatpak/identity", Fixture, NULL, fixture_set_up, test_identity,
              fixture_tear_down);
  g_test_add ("/flatpak/finish-args", Fixture, NULL, fixture_set_up, test_finish_args,
              fixture_tear_down);
  g_test_add ("/flatpak/modules", Fixture, NULL, fixture_set_up, test_modules,
              fixture_tear_down);
  g_test_add ("/flatpak/avahi", Fixture, NULL, fixture_set_up, test_avahi,
              fixture_tear_down);

  return g_test_run ();
}
