/* webhook-sink.c: a loopback webhook receiver for tests/bench/peers.sh
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   webhook-sink [SAVE_DIR]
 *
 * Listens on 127.0.0.1 (a free port), prints its URL on the first line
 * of stdout, answers every POST with 200 and {"results": []}, and, with
 * SAVE_DIR, writes each body to SAVE_DIR/body-NNNN.json in the order they
 * came. Both sides of the upload comparison (Fairlead's uploader and curl)
 * post to the same receiver, so its own cost is in both times. Runs until
 * SIGTERM or SIGINT.
 */
#include "config.h"

#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdio.h>

typedef struct
{
  const char *save_dir;
  guint       n;
} Sink;

static void
hook_cb (SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query,
         gpointer user_data)
{
  static const char answer[] = "{\"results\": []}";
  Sink *sink = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
      return;
    }
  if (sink->save_dir != NULL)
    {
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
      g_autofree char *name = g_strdup_printf ("body-%04u.json", sink->n);
      g_autofree char *file = g_build_filename (sink->save_dir, name, NULL);
      g_autoptr(GError) error = NULL;

      if (!g_file_set_contents (file, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        g_printerr ("webhook-sink: %s\n", error->message);
    }
  sink->n++;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_STATIC, answer,
                                    sizeof answer - 1);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autoslist(GUri) uris = NULL;
  g_autofree char *url = NULL;
  Sink sink = { argc > 1 ? argv[1] : NULL, 0 };

  soup_server_add_handler (server, "/hook", hook_cb, &sink, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("webhook-sink: %s\n", error->message);
      return 1;
    }
  uris = soup_server_get_uris (server);
  url = g_strdup_printf ("http://127.0.0.1:%d/hook", g_uri_get_port (uris->data));
  printf ("%s\n", url);
  fflush (stdout);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
