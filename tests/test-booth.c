/* test-booth.c: the kiosks of a booth over the network
 *
 * Real kiosks: separate fairlead-cli processes, each with its own
 * database, serving HTTPS with mutual TLS on loopback ports. A relay in
 * this process captures the bytes between two of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sysexits.h>

#include "booth/fl-booth-client.h"
#include "booth/fl-booth-discovery.h"
#include "booth/fl-booth-service.h"
#include "fl-test.h"

#include <libsoup/soup.h>

typedef struct
{
  char        *dir;
  GPtrArray   *servers;  /* GSubprocess */
} Fixture;

static void
fixture_setup (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-booth-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->servers = g_ptr_array_new_with_free_func (g_object_unref);
}

static void
fixture_teardown (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < fixture->servers->len; i++)
    {
      GSubprocess *server = fixture->servers->pdata[i];

      g_subprocess_force_exit (server);
      g_subprocess_wait (server, NULL, NULL);
    }
  g_ptr_array_unref (fixture->servers);
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static char *
db (Fixture *fixture, const char *name)
{
  g_autofree char *file = g_strconcat (name, ".db", NULL);

  return g_build_filename (fixture->dir, file, NULL);
}

/* Runs fairlead-cli --db DIR/KIOSK.db ARGS… with @input on stdin. */
static int
cli_input (Fixture *fixture, const char *kiosk, const char *input, char **out, char **err, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, g_strdup (g_getenv ("FAIRLEAD_CLI")));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, db (fixture, kiosk));
  va_start (args, err);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                 G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  if (g_test_verbose () || (err == NULL && stderr_text != NULL && *stderr_text != '\0'))
    g_test_message ("%s %s: %s", kiosk, (char *) argv->pdata[3], stderr_text);
  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

#define cli(f, kiosk, out, err, ...) cli_input (f, kiosk, NULL, out, err, __VA_ARGS__, NULL)

static guint
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  g_assert_true (g_socket_bind (socket, address, TRUE, NULL));
  bound = g_socket_get_local_address (socket, NULL);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
port_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection =
    g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);

  return connection != NULL;
}

/* `booth serve` on 127.0.0.1:@port, until the test ends or kills it. */
static GSubprocess *
serve (Fixture *fixture, const char *kiosk, guint port, const char *interval)
{
  g_autofree char *path = db (fixture, kiosk);
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                (g_test_verbose () ? 0 : G_SUBPROCESS_FLAGS_STDERR_SILENCE),
                              &error, g_getenv ("FAIRLEAD_CLI"), "--db", path, "booth", "serve",
                              "--listen", listen, "--interval", interval, NULL);
  g_assert_no_error (error);
  /* Generous: a server starting under AddressSanitizer on a loaded
   * machine; the loop ends as soon as the port opens. */
  for (guint i = 0; i < 800 && !port_open (port); i++)
    g_usleep (25000);
  g_assert_true (port_open (port));
  g_ptr_array_add (fixture->servers, process);
  return process;
}

static void
kill_server (Fixture *fixture, GSubprocess *server)
{
  g_subprocess_send_signal (server, SIGKILL);
  g_subprocess_wait (server, NULL, NULL);
  g_ptr_array_remove (fixture->servers, server);
}

static gint64
count_leads (Fixture *fixture, const char *kiosk)
{
  g_autofree char *path = db (fixture, kiosk);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);

  g_assert_no_error (error);
  return fl_test_query_int (store, "SELECT count(*) FROM leads");
}

static char *
lead_uuids (Fixture *fixture, const char *kiosk)
{
  g_autofree char *path = db (fixture, kiosk);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (path, &error);
  sqlite3_stmt *stmt;
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  stmt = fl_store_prepare (store, "SELECT uuid FROM leads ORDER BY uuid", &error);
  g_assert_no_error (error);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (text, "%s\n", sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return g_string_free (text, FALSE);
}

/* @n leads on @kiosk, with e-mail addresses at @domain: distinct visitors
 * (the same name and company on two kiosks would be one lead). */
static void
import_leads (Fixture *fixture, const char *kiosk, guint n, const char *domain)
{
  g_autoptr(GString) input = g_string_new (NULL);
  g_autofree char *out = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      g_string_append_printf (input,
                              "{\"uuid\":\"%s\",\"first_name\":\"Visitor %u\",\"last_name\":\"%s\","
                              "\"email\":\"visitor%u@%s\",\"company\":\"Firm %u of %s\"}\n",
                              uuid, i, kiosk, i, domain, i, domain);
    }
  g_assert_cmpint (cli_input (fixture, kiosk, input->str, &out, NULL, "leads", "import", "-", NULL),
                   ==, 0);
}

/* Creates the booth on @kiosk, which announces 127.0.0.1:@port. */
static char *
create_booth (Fixture *fixture, const char *kiosk, guint port)
{
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *out = NULL;

  g_assert_cmpint (cli (fixture, kiosk, NULL, NULL, "event", "create", "Hannover Messe"), ==, 0);
  g_assert_cmpint (cli (fixture, kiosk, &out, NULL, "booth", "create", "--name", "Stand B12",
                        "--device", kiosk, "--address", address),
                   ==, 0);
  g_assert_true (g_str_has_prefix (out, "FLB1:"));
  return g_strstrip (g_steal_pointer (&out));
}

static JsonObject *
status (Fixture *fixture, const char *kiosk)
{
  g_autofree char *out = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (cli (fixture, kiosk, &out, NULL, "booth", "status", "--json"), ==, 0);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
find_member (JsonObject *status_object, const char *name)
{
  JsonArray *members = json_object_get_array_member (status_object, "members");

  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);

      if (g_strcmp0 (json_object_get_string_member (member, "name"), name) == 0)
        return member;
    }
  return NULL;
}

static void
test_create_join (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autofree char *a_db = db (fixture, "a");
  g_autofree char *key_path = g_strconcat (a_db, ".booth-key.pem", NULL);
  g_autofree char *qr = g_build_filename (fixture->dir, "join.svg", NULL);
  g_autofree char *key = NULL;
  g_autofree char *database = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) a_status = NULL;
  g_autoptr(JsonObject) b_status = NULL;
  g_autofree char *pem_body = NULL;
  gsize database_length;
  GStatBuf st;

  /* The key is the device's alone: 0600, in its own file, not in the database. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (key_path, &key, NULL, NULL));
  g_assert_true (g_file_get_contents (a_db, &database, &database_length, NULL));
  pem_body = g_strndup (strstr (key, "\n") + 1, 40);
  g_assert_null (g_strstr_len (database, database_length, pem_body));

  /* A booth is created once. */
  g_assert_cmpint (cli (fixture, "a", NULL, &err, "booth", "create"), ==, EX_CONFIG);
  g_clear_pointer (&err, g_free);

  serve (fixture, "a", port, "5");
  g_assert_cmpint (cli (fixture, "b", &out, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  g_assert_nonnull (strstr (out, "Stand B12"));

  a_status = status (fixture, "a");
  b_status = status (fixture, "b");
  g_assert_cmpstr (json_object_get_string_member (a_status, "booth"), ==,
                   json_object_get_string_member (b_status, "booth"));
  g_assert_nonnull (find_member (a_status, "b"));
  g_assert_nonnull (find_member (b_status, "a"));
  g_assert_cmpstr (json_object_get_string_member (find_member (a_status, "b"), "fingerprint"), ==,
                   json_object_get_string_member (find_member (b_status, "b"), "fingerprint"));
  /* The setup came along: the event. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (cli (fixture, "b", &out, NULL, "event", "list"), ==, 0);
  g_assert_nonnull (strstr (out, "Hannover Messe"));

  /* Joining twice is refused; a code that is none is refused. */
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "join", code), ==, EX_CONFIG);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "c", NULL, &err, "booth", "join", "FLB1:bm90IGEgY29kZQ"), ==,
                   EX_DATAERR);
  g_assert_nonnull (strstr (err, "FLB1:"));
  g_clear_pointer (&err, g_free);

  /* The QR code is drawn. */
  g_assert_cmpint (cli (fixture, "d", &out, NULL, "booth", "create", "--qr", qr), ==, 0);
  g_assert_true (g_file_test (qr, G_FILE_TEST_EXISTS));
}

/* The JSON inside a join code. */
static JsonNode *
decode_code (const char *code)
{
  g_autoptr(GString) padded = g_string_new (code + strlen ("FLB1:"));
  g_autofree guchar *json = NULL;
  gsize length;

  g_strstrip (padded->str);
  g_string_set_size (padded, strlen (padded->str));
  while (padded->len % 4)
    g_string_append_c (padded, '=');
  g_strdelimit (padded->str, "-", '+');
  g_strdelimit (padded->str, "_", '/');
  json = g_base64_decode (padded->str, &length);
  return json_from_string ((const char *) json, NULL);
}

/* The join code with another secret: the creator refuses it, the joining
 * kiosk is not in the booth afterwards. */
static void
test_bad_secret (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  g_autofree char *encoded = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *err = NULL;

  node = decode_code (code);
  json_object_set_string_member (json_node_get_object (node), "s", "AAAAAAAAAAAAAAAAAAAAAAAA");
  text = json_to_string (node, FALSE);
  encoded = g_base64_encode ((const guchar *) text, strlen (text));
  g_strdelimit (encoded, "+", '-');
  g_strdelimit (encoded, "/", '_');
  g_strdelimit (encoded, "=", '\0');
  forged = g_strconcat ("FLB1:", encoded, NULL);

  serve (fixture, "a", port, "5");
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "join", forged), ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "status"), ==, EX_CONFIG);
  g_assert_null (find_member (status (fixture, "a"), "b"));
}

/* A kiosk of another booth is refused both ways and learns nothing. */
static void
test_wrong_booth (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autofree char *other = create_booth (fixture, "x", free_port ());
  g_autofree char *peer = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *err = NULL;

  import_leads (fixture, "a", 3, "example.com");
  serve (fixture, "a", port, "5");
  g_assert_cmpint (cli (fixture, "x", NULL, &err, "booth", "sync", "--no-discover", "--peer", peer),
                   ==, EX_NOPERM);
  g_assert_cmpint (count_leads (fixture, "x"), ==, 0);
  g_assert_null (find_member (status (fixture, "a"), "x"));
}

static void
test_three_kiosks (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *peer_b = g_strdup_printf ("127.0.0.1:%u", port_b);
  g_autofree char *uuids_a = NULL;
  g_autofree char *uuids_b = NULL;
  g_autofree char *uuids_c = NULL;

  /* Only a serves: b and c deliver their leads by their own rounds. */
  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "join", code, "--name", "c"), ==, 0);
  import_leads (fixture, "a", 5, "a.example");
  import_leads (fixture, "b", 7, "b.example");
  import_leads (fixture, "c", 11, "c.example");

  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (count_leads (fixture, "a"), ==, 5 + 7);
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (count_leads (fixture, "c"), ==, 5 + 7 + 11);
  /* b never met c: it has c's leads through a. */
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);

  uuids_a = lead_uuids (fixture, "a");
  uuids_b = lead_uuids (fixture, "b");
  uuids_c = lead_uuids (fixture, "c");
  g_assert_cmpint (count_leads (fixture, "b"), ==, 23);
  g_assert_cmpstr (uuids_a, ==, uuids_b);
  g_assert_cmpstr (uuids_b, ==, uuids_c);

  /* b serves now; c reaches it at the address b announced, through a. */
  serve (fixture, "b", port_b, "60");
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "sync", "--no-discover", "--peer", peer_b),
                   ==, 0);
  /* Applying the same again changes nothing. */
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "sync", "--no-discover", "--peer", peer_b),
                   ==, 0);
  g_assert_cmpint (count_leads (fixture, "c"), ==, 23);
  g_assert_true (json_object_get_boolean_member (find_member (status (fixture, "c"), "b"),
                                                 "in_sync"));
}

static void
test_removed (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *peer_a = g_strdup_printf ("127.0.0.1:%u", port_a);
  g_autofree char *peer_b = g_strdup_printf ("127.0.0.1:%u", port_b);
  g_autofree char *err = NULL;
  g_autoptr(JsonObject) b_status = NULL;
  g_autofree char *before_leave = NULL;
  g_autofree char *after_leave = NULL;
  gint64 before;

  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  serve (fixture, "b", port_b, "60");
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "join", code, "--name", "c"), ==, 0);

  /* Removed on a; b learns it on its next round with a. */
  g_assert_cmpint (cli (fixture, "a", NULL, &err, "booth", "remove", "nobody"), ==, EX_NOINPUT);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "remove", "c"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  b_status = status (fixture, "b");
  g_assert_true (json_object_get_boolean_member (find_member (b_status, "c"), "removed"));

  /* c is refused by both and learns nothing: not a's new leads. */
  import_leads (fixture, "a", 4, "example.com");
  before = count_leads (fixture, "c");
  g_assert_cmpint (cli (fixture, "c", NULL, &err, "booth", "sync", "--no-discover", "--peer", peer_a),
                   ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "c", NULL, &err, "booth", "sync", "--no-discover", "--peer", peer_b),
                   ==, EX_NOPERM);
  g_assert_cmpint (count_leads (fixture, "c"), ==, before);
  /* Nor does it come back in with the join code. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "c", NULL, &err, "booth", "leave"), ==, 0);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "c", NULL, &err, "booth", "join", code), ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);

  /* b leaves: it tells a, which refuses it from then on. */
  g_assert_false (json_object_get_boolean_member (find_member (status (fixture, "a"), "b"),
                                                  "removed"));
  g_assert_cmpint (cli (fixture, "a", &before_leave, NULL, "booth", "code"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "leave"), ==, 0);
  g_assert_true (json_object_get_boolean_member (find_member (status (fixture, "a"), "b"),
                                                 "removed"));
  /* b held the join code as well: a made a new one. */
  g_assert_cmpint (cli (fixture, "a", &after_leave, NULL, "booth", "code"), ==, 0);
  g_assert_cmpstr (before_leave, !=, after_leave);
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "status"), ==, EX_CONFIG);
}

static char *
code_secret (const char *code)
{
  g_autoptr(JsonNode) inside = decode_code (code);

  g_assert_nonnull (inside);
  return g_strdup (json_object_get_string_member (json_node_get_object (inside), "s"));
}

/* Whoever held a removed device may hold the join code: removing makes a
 * new secret, the other members learn it on their next round, and the old
 * code is refused by all of them from then on. */
static void
test_removed_code_rotated (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *old_code = create_booth (fixture, "a", port_a);
  g_autofree char *old_secret = code_secret (old_code);
  g_autofree char *peer_b = g_strdup_printf ("127.0.0.1:%u", port_b);
  g_autofree char *code_a = NULL;
  g_autofree char *code_b = NULL;
  g_autofree char *secret_a = NULL;
  g_autofree char *secret_b = NULL;
  g_autofree char *err = NULL;

  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", old_code, "--name", "b"), ==, 0);
  serve (fixture, "b", port_b, "60");
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "join", old_code, "--name", "c"), ==, 0);

  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "remove", "c"), ==, 0);
  g_assert_cmpint (cli (fixture, "a", &code_a, NULL, "booth", "code"), ==, 0);
  secret_a = code_secret (g_strstrip (code_a));
  g_assert_cmpstr (secret_a, !=, old_secret);

  /* b learns the new secret with the member list. */
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", &code_b, NULL, "booth", "code"), ==, 0);
  secret_b = code_secret (g_strstrip (code_b));
  g_assert_cmpstr (secret_b, ==, secret_a);
  /* The secret is not shown by status. */
  g_clear_pointer (&code_b, g_free);
  g_assert_cmpint (cli (fixture, "b", &code_b, NULL, "booth", "status", "--json"), ==, 0);
  g_assert_null (strstr (code_b, secret_b));

  /* The old code is refused by both, and leaves no booth behind. */
  g_assert_cmpint (cli (fixture, "d", NULL, &err, "booth", "join", old_code, "--peer", peer_b),
                   ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "d", NULL, &err, "booth", "join", old_code), ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "d", NULL, &err, "booth", "status"), ==, EX_CONFIG);
  g_clear_pointer (&err, g_free);
  g_assert_null (find_member (status (fixture, "a"), "d"));

  /* The new code admits, through either. */
  g_assert_cmpint (cli (fixture, "d", NULL, NULL, "booth", "join", code_a, "--name", "d"), ==, 0);
  g_assert_cmpint (cli (fixture, "e", NULL, NULL, "booth", "join", code_a, "--name", "e",
                        "--peer", peer_b),
                   ==, 0);
  g_assert_nonnull (find_member (status (fixture, "b"), "e"));
  /* A later removal rotates again, and the newest secret wins everywhere. */
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "remove", "e"), ==, 0);
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (cli (fixture, "d", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_clear_pointer (&code_b, g_free);
  g_assert_cmpint (cli (fixture, "d", &code_b, NULL, "booth", "code"), ==, 0);
  g_clear_pointer (&secret_b, g_free);
  secret_b = code_secret (g_strstrip (code_b));
  g_assert_cmpstr (secret_b, !=, secret_a);
  g_assert_cmpint (cli (fixture, "f", NULL, &err, "booth", "join", code_a, "--peer", peer_b),
                   ==, EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "f", NULL, &err, "booth", "join", code_a), ==, EX_NOPERM);
}

static gboolean
discovered (const char *booth_id, const char *address)
{
  g_auto(GStrv) found = fl_booth_discovery_browse (booth_id, NULL, 1000, NULL);

  return found != NULL && g_strv_contains ((const char * const *) found, address);
}

/* Kiosks find each other by DNS-SD: a kiosk whose address changed (DHCP)
 * is reached by `booth sync` with no --peer, and two serving kiosks find
 * each other. Needs an Avahi daemon on the system bus; skipped without
 * one (CI has none). */
static void
test_discovery (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_moved = free_port ();
  guint port_b = free_port ();
  g_autofree char *moved = g_strdup_printf ("127.0.0.1:%u", port_moved);
  g_autofree char *code = NULL;
  g_autofree char *booth_id = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) probe = NULL;
  GSubprocess *server;
  gint64 start;

  probe = fl_booth_discovery_browse ("00000000-0000-4000-8000-000000000000", NULL, 300, &error);
  if (probe == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("No Avahi daemon answers: %s", error->message);

      g_test_skip (reason);
      return;
    }

  code = create_booth (fixture, "a", port_a);
  booth_id = g_strdup (json_object_get_string_member (status (fixture, "a"), "booth"));
  server = serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);

  /* a comes back at another address; b still knows the old one. */
  kill_server (fixture, server);
  import_leads (fixture, "a", 3, "a.example");
  serve (fixture, "a", port_moved, "60");
  start = g_get_monotonic_time ();
  while (!discovered (booth_id, moved) && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    g_usleep (100000);
  g_assert_true (discovered (booth_id, moved));
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "sync", "--no-discover"), ==,
                   EX_TEMPFAIL);
  g_clear_pointer (&err, g_free);
  /* Found by DNS-SD: in sync, although a is announced on addresses it does
   * not serve on (every interface, IPv4 and IPv6). */
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync"), ==, 0);
  g_assert_cmpint (count_leads (fixture, "b"), ==, 3);

  /* Both serve: b's service finds a, and a's new leads reach b. */
  serve (fixture, "b", port_b, "0.3");
  import_leads (fixture, "a", 2, "later.example");
  start = g_get_monotonic_time ();
  while (count_leads (fixture, "b") < 5 && g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    g_usleep (100000);
  g_assert_cmpint (count_leads (fixture, "b"), ==, 5);
}

/* Two kiosks remove a device each before they meet. The newer secret was
 * made by a kiosk that did not know of the other removal, and that device
 * got it: once the kiosks know of both removals they make one more, and the
 * code that device holds is refused too. */
static void
test_concurrent_removals (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *peer_a = g_strdup_printf ("127.0.0.1:%u", port_a);
  g_autofree char *code_y = NULL;
  g_autofree char *code_a = NULL;
  g_autofree char *code_b = NULL;
  g_autofree char *err = NULL;
  GSubprocess *server_b;

  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  server_b = serve (fixture, "b", port_b, "60");
  g_assert_cmpint (cli (fixture, "d", NULL, NULL, "booth", "join", code, "--name", "d"), ==, 0);
  g_assert_cmpint (cli (fixture, "y", NULL, NULL, "booth", "join", code, "--name", "y"), ==, 0);
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);

  /* b removes y; then, not in touch with b, a removes d. */
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "remove", "y"), ==, 0);
  kill_server (fixture, server_b);
  g_usleep (10000);
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "remove", "d"), ==, 0);
  /* y, which a does not know was removed, syncs with a and learns a's
   * newer secret. */
  g_assert_cmpint (cli (fixture, "y", NULL, &err, "booth", "sync", "--no-discover", "--peer",
                        peer_a),
                   ==, EX_TEMPFAIL);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "y", &code_y, NULL, "booth", "code"), ==, 0);
  g_assert_cmpint (cli (fixture, "a", &code_a, NULL, "booth", "code"), ==, 0);
  {
    g_autofree char *secret_y = code_secret (g_strstrip (code_y));
    g_autofree char *secret_a = code_secret (g_strstrip (code_a));

    g_assert_cmpstr (secret_y, ==, secret_a);
  }

  /* a and b meet: both know of both removals now. */
  serve (fixture, "b", port_b, "60");
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_clear_pointer (&code_a, g_free);
  g_assert_cmpint (cli (fixture, "a", &code_a, NULL, "booth", "code"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", &code_b, NULL, "booth", "code"), ==, 0);
  {
    g_autofree char *secret_y = code_secret (code_y);
    g_autofree char *secret_a = code_secret (g_strstrip (code_a));
    g_autofree char *secret_b = code_secret (g_strstrip (code_b));

    g_assert_cmpstr (secret_a, ==, secret_b);
    g_assert_cmpstr (secret_a, !=, secret_y);
  }
  g_assert_cmpint (cli (fixture, "z", NULL, &err, "booth", "join", code_y, "--peer", peer_a), ==,
                   EX_NOPERM);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (cli (fixture, "z", NULL, NULL, "booth", "join", code_a, "--name", "z"), ==, 0);
}

/* Any member admits a new kiosk with the code it prints. */
static void
test_join_through_member (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *code_b = NULL;
  g_autofree char *qr = g_build_filename (fixture->dir, "b.png", NULL);
  g_autofree char *peer_b = g_strdup_printf ("127.0.0.1:%u", port_b);
  g_autoptr(JsonObject) c_status = NULL;
  gint64 start;

  serve (fixture, "a", port_a, "0.3");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  serve (fixture, "b", port_b, "0.3");
  /* Until b announced where it serves, its code has no address for it. */
  start = g_get_monotonic_time ();
  do
    {
      g_autoptr(JsonNode) inside = NULL;
      g_autoptr(JsonNode) addresses = NULL;
      g_autofree char *text = NULL;

      g_clear_pointer (&code_b, g_free);
      g_assert_cmpint (cli (fixture, "b", &code_b, NULL, "booth", "code", "--qr", qr), ==, 0);
      inside = decode_code (code_b);
      g_assert_nonnull (inside);
      text = json_to_string (json_object_get_member (json_node_get_object (inside), "a"), FALSE);
      if (strstr (text, peer_b) != NULL)
        break;
      g_usleep (50000);
    }
  while (g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC);
  g_assert_true (g_file_test (qr, G_FILE_TEST_EXISTS));
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "join", g_strstrip (code_b), "--name",
                        "c"),
                   ==, 0);
  c_status = status (fixture, "c");
  g_assert_nonnull (find_member (c_status, "a"));
  g_assert_nonnull (find_member (c_status, "b"));
  /* a hears of c from b's rounds, and then answers c too. */
  start = g_get_monotonic_time ();
  while (find_member (status (fixture, "a"), "c") == NULL &&
         g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    g_usleep (50000);
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
}

typedef struct
{
  GMainLoop *loop;
  int        status;
} Wait;

static void
process_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  Wait *wait = user_data;

  g_assert_true (g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL));
  wait->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  g_main_loop_quit (wait->loop);
}

/* A CLI command while this process serves on its main loop. */
static int
cli_while_serving (Fixture *fixture, const char *kiosk, ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  Wait wait = { loop, -1 };
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, g_strdup (g_getenv ("FAIRLEAD_CLI")));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, db (fixture, kiosk));
  va_start (args, kiosk);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_wait_async (process, NULL, process_done_cb, &wait);
  g_main_loop_run (loop);
  return wait.status;
}

static void
state_cb (GObject *object, GParamSpec *pspec, gpointer user_data)
{
  g_ptr_array_add (user_data, g_strdup (fl_booth_service_get_state_text (FL_BOOTH_SERVICE (object))));
}

/* The service the kiosk runs in-process: it serves, and its state says
 * how many kiosks are in sync. */
static void
test_service (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autofree char *path = db (fixture, "a");
  g_autofree char *listen = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  FlBoothService *service;
  FlStore *store;

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  service = fl_booth_service_new (store);
  g_signal_connect (service, "notify::state-text", G_CALLBACK (state_cb), states);
  g_assert_true (fl_booth_service_start (service, listen, &error));
  g_assert_no_error (error);
  g_assert_true (fl_booth_service_get_running (service));
  g_assert_cmpuint (fl_booth_service_get_port (service), ==, port);
  g_assert_cmpstr (fl_booth_service_get_state_text (service), ==, "Only kiosk of the booth");

  g_assert_cmpint (cli_while_serving (fixture, "b", "booth", "join", code, "--name", "b", NULL), ==, 0);
  import_leads (fixture, "a", 3, "example.com");
  g_assert_cmpint (cli_while_serving (fixture, "b", "booth", "sync", "--no-discover", NULL), ==, 0);
  g_assert_cmpint (cli_while_serving (fixture, "b", "booth", "sync", "--no-discover", NULL), ==, 0);
  g_assert_cmpint (count_leads (fixture, "b"), ==, 3);

  /* The state follows after the service's next round. */
  fl_booth_service_sync_soon (service);
  while (fl_booth_service_get_n_in_sync (service) != 1)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (fl_booth_service_get_n_members (service), ==, 2);
  g_assert_cmpstr (fl_booth_service_get_state_text (service), ==, "2 kiosks in sync");
  g_assert_cmpuint (states->len, >=, 2);

  /* Stopped, it answers no more. */
  fl_booth_service_stop (service);
  g_assert_false (fl_booth_service_get_running (service));
  g_assert_false (port_open (port));
  g_assert_finalize_object (service);
  g_assert_finalize_object (store);
}

static void
test_unreachable (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *nobody = g_strdup_printf ("127.0.0.1:%u", free_port ());
  g_autofree char *err = NULL;
  GSubprocess *server;

  server = serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code), ==, 0);
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "sync", "--no-discover", "--peer", nobody),
                   ==, EX_TEMPFAIL);
  g_clear_pointer (&err, g_free);

  /* SIGTERM stops the service cleanly. */
  g_subprocess_send_signal (server, SIGTERM);
  g_assert_true (g_subprocess_wait (server, NULL, NULL));
  g_assert_true (g_subprocess_get_if_exited (server));
  g_assert_cmpint (g_subprocess_get_exit_status (server), ==, 0);
  g_ptr_array_remove (fixture->servers, server);
  g_assert_cmpint (cli (fixture, "b", NULL, &err, "booth", "sync", "--no-discover"), ==,
                   EX_TEMPFAIL);
  g_assert_nonnull (strstr (err, "reach"));
}

/* kill -9 of the serving kiosk while a cold kiosk pulls thousands of
 * leads from it; after a restart the next round completes. */
static void
test_kill_mid_round (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *b_db = db (fixture, "b");
  g_autofree char *uuids_a = NULL;
  g_autofree char *uuids_b = NULL;
  g_autoptr(GSubprocess) sync = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  GSubprocess *server;
  int status_code;

  import_leads (fixture, "a", 3000, "example.com");
  server = serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code), ==, 0);
  import_leads (fixture, "a", 3000, "example.org");

  sync = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                           &error, g_getenv ("FAIRLEAD_CLI"), "--db", b_db, "booth", "sync",
                           "--no-discover", NULL);
  g_assert_no_error (error);
  g_usleep (150 * 1000);
  kill_server (fixture, server);
  g_subprocess_wait (sync, NULL, NULL);
  status_code = g_subprocess_get_exit_status (sync);
  g_test_message ("sync while killed: exit %d, %" G_GINT64_FORMAT " leads", status_code,
                  count_leads (fixture, "b"));
  g_assert_true (status_code == 0 || status_code == EX_TEMPFAIL);

  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", &out, NULL, "booth", "sync", "--no-discover"), ==, 0);
  g_test_message ("%s", out);
  uuids_a = lead_uuids (fixture, "a");
  uuids_b = lead_uuids (fixture, "b");
  g_assert_cmpint (count_leads (fixture, "b"), ==, 6000);
  g_assert_cmpstr (uuids_a, ==, uuids_b);
}

/* Two serving kiosks idle-syncing: a new lead on one shows on the other. */
static void
test_idle_sync (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_b = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  gint64 start;

  serve (fixture, "a", port_a, "0.2");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code), ==, 0);
  serve (fixture, "b", port_b, "0.2");
  import_leads (fixture, "b", 1, "example.com");
  start = g_get_monotonic_time ();
  while (count_leads (fixture, "a") < 1 && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    g_usleep (20000);
  g_assert_cmpint (count_leads (fixture, "a"), ==, 1);
  g_test_message ("a new lead reached the other kiosk in %.2f s",
                  (g_get_monotonic_time () - start) / 1e6);
}

/* A relay between a client and a server, recording every byte. */
typedef struct
{
  GSocketService *service;
  guint           port;
  guint           target;
  GMutex          lock;
  GByteArray     *bytes;
  GThread        *thread;
  GMainContext   *context;
  GMainLoop      *loop;
} Relay;

typedef struct
{
  Relay         *relay;
  GInputStream  *in;
  GOutputStream *out;
} Pipe;

static gpointer
pipe_thread (gpointer data)
{
  Pipe *pipe = data;
  guint8 buffer[16384];
  gssize n;

  while ((n = g_input_stream_read (pipe->in, buffer, sizeof buffer, NULL, NULL)) > 0)
    {
      g_mutex_lock (&pipe->relay->lock);
      g_byte_array_append (pipe->relay->bytes, buffer, n);
      g_mutex_unlock (&pipe->relay->lock);
      if (!g_output_stream_write_all (pipe->out, buffer, n, NULL, NULL, NULL))
        break;
    }
  g_output_stream_close (pipe->out, NULL, NULL);
  g_object_unref (pipe->in);
  g_object_unref (pipe->out);
  g_free (pipe);
  return NULL;
}

static gboolean
relay_incoming_cb (GSocketService *service, GSocketConnection *connection, GObject *source,
                   gpointer user_data)
{
  Relay *relay = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  GSocketConnection *upstream;
  Pipe *up = g_new0 (Pipe, 1);
  Pipe *down = g_new0 (Pipe, 1);

  upstream = g_socket_client_connect_to_host (client, "127.0.0.1", relay->target, NULL, NULL);
  if (upstream == NULL)
    {
      g_free (up);
      g_free (down);
      return TRUE;
    }
  up->relay = down->relay = relay;
  up->in = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
  up->out = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (upstream)));
  down->in = g_object_ref (g_io_stream_get_input_stream (G_IO_STREAM (upstream)));
  down->out = g_object_ref (g_io_stream_get_output_stream (G_IO_STREAM (connection)));
  /* The streams keep their connections alive. */
  g_object_set_data_full (G_OBJECT (up->in), "connection", g_object_ref (connection), g_object_unref);
  g_object_set_data_full (G_OBJECT (down->in), "connection", upstream, g_object_unref);
  g_thread_unref (g_thread_new ("relay-up", pipe_thread, up));
  g_thread_unref (g_thread_new ("relay-down", pipe_thread, down));
  return TRUE;
}

static gpointer
relay_thread (gpointer data)
{
  Relay *relay = data;

  g_main_context_push_thread_default (relay->context);
  g_main_loop_run (relay->loop);
  g_main_context_pop_thread_default (relay->context);
  return NULL;
}

static void
relay_start (Relay *relay, guint target)
{
  g_autoptr(GError) error = NULL;

  g_mutex_init (&relay->lock);
  relay->bytes = g_byte_array_new ();
  relay->target = target;
  relay->context = g_main_context_new ();
  relay->loop = g_main_loop_new (relay->context, FALSE);
  g_main_context_push_thread_default (relay->context);
  relay->service = g_threaded_socket_service_new (4);
  relay->port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (relay->service), NULL,
                                                     &error);
  g_assert_no_error (error);
  g_signal_connect (relay->service, "run", G_CALLBACK (relay_incoming_cb), relay);
  g_main_context_pop_thread_default (relay->context);
  relay->thread = g_thread_new ("relay", relay_thread, relay);
}

static void
relay_stop (Relay *relay)
{
  g_socket_service_stop (relay->service);
  g_socket_listener_close (G_SOCKET_LISTENER (relay->service));
  g_main_loop_quit (relay->loop);
  g_thread_join (relay->thread);
  g_clear_object (&relay->service);
  g_main_loop_unref (relay->loop);
  g_main_context_unref (relay->context);
  g_byte_array_unref (relay->bytes);
  g_mutex_clear (&relay->lock);
}

static void
test_no_email_on_wire (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *peer = NULL;
  Relay relay = { 0 };

  import_leads (fixture, "a", 50, "a.secret-visitor.example");
  serve (fixture, "a", port_a, "60");
  relay_start (&relay, port_a);
  peer = g_strdup_printf ("127.0.0.1:%u", relay.port);
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--peer", peer), ==, 0);
  import_leads (fixture, "b", 50, "b.secret-visitor.example");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover", "--peer", peer,
                        "--json"),
                   ==, 0);
  g_assert_cmpint (count_leads (fixture, "b"), ==, 100);
  g_assert_cmpint (count_leads (fixture, "a"), ==, 100);

  g_mutex_lock (&relay.lock);
  g_test_message ("%u bytes on the wire", relay.bytes->len);
  g_assert_cmpuint (relay.bytes->len, >, 1000);
  g_assert_null (memmem (relay.bytes->data, relay.bytes->len, "secret-visitor", 14));
  g_assert_null (memmem (relay.bytes->data, relay.bytes->len, "Visitor 1", 9));
  g_mutex_unlock (&relay.lock);
  relay_stop (&relay);
}


static gboolean
accept_any_cb (GTlsConnection *connection, GTlsCertificate *certificate,
               GTlsCertificateFlags errors, gpointer user_data)
{
  return TRUE;
}

static void
client_event_cb (GSocketClient *client, GSocketClientEvent event, GSocketConnectable *connectable,
                 GIOStream *connection, gpointer user_data)
{
  if (event == G_SOCKET_CLIENT_TLS_HANDSHAKING)
    {
      g_tls_connection_set_certificate (G_TLS_CONNECTION (connection), user_data);
      g_signal_connect (connection, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
    }
}

/* A stranger's request is answered before its body is read: a bare 403,
 * or 413 when it announces more than any member would send. The body is
 * never sent: a server that asked for it would answer "100 Continue". */
static void
test_stranger_body (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autofree char *other = create_booth (fixture, "x", free_port ());
  g_autofree char *x_db = db (fixture, "x");
  g_autofree char *cert_path = g_strconcat (x_db, ".booth-cert.pem", NULL);
  g_autofree char *key_path = g_strconcat (x_db, ".booth-key.pem", NULL);
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(GError) error = NULL;
  const char *sizes[] = { "999999999", "100" };
  const char *expected[] = { "HTTP/1.1 413", "HTTP/1.1 403" };

  certificate = g_tls_certificate_new_from_files (cert_path, key_path, &error);
  g_assert_no_error (error);
  serve (fixture, "a", port, "60");
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autofree char *request = NULL;
      char reply[64] = "";
      gsize got = 0;

      g_socket_client_set_tls (client, TRUE);
      g_socket_client_set_timeout (client, 5);
      g_signal_connect (client, "event", G_CALLBACK (client_event_cb), certificate);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, &error);
      g_assert_no_error (error);
      request = g_strdup_printf ("POST /booth/1/push HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                 "Expect: 100-continue\r\nContent-Length: %s\r\n\r\n",
                                 sizes[i]);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                 request, strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      g_input_stream_read_all (g_io_stream_get_input_stream (G_IO_STREAM (connection)), reply,
                               strlen (expected[i]), &got, NULL, &error);
      g_test_message ("%s: %s", sizes[i], error ? error->message : reply);
      g_assert_no_error (error);
      g_assert_cmpstr (reply, ==, expected[i]);
    }
}

static void
wait_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* What the kiosk's Join booth runs: off the main thread, then the first
 * round; a bad code fails with the error the page shows. */
static void
test_join_async (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port);
  g_autofree char *path = db (fixture, "b");
  const char *codes[] = { "not a code", code };

  import_leads (fixture, "a", 4, "example.com");
  serve (fixture, "a", port, "60");
  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *name = NULL;

      fl_booth_join_async (path, codes[i], "b", NULL, wait_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      name = fl_booth_join_finish (result, &error);
      if (i == 0)
        g_assert_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_BAD_CODE);
      else
        {
          g_assert_no_error (error);
          g_assert_cmpstr (name, ==, "Stand B12");
        }
    }
  g_assert_cmpint (count_leads (fixture, "b"), ==, 4);
}

static gboolean
has_address (Fixture *fixture, const char *kiosk, const char *member, const char *address)
{
  g_autoptr(JsonObject) object = status (fixture, kiosk);
  JsonObject *found = find_member (object, member);
  JsonArray *addresses;

  if (found == NULL)
    return FALSE;
  addresses = json_object_get_array_member (found, "addresses");
  return json_array_get_length (addresses) > 0 &&
         g_strcmp0 (json_array_get_string_element (addresses, 0), address) == 0;
}

/* Another kiosk got the address a kiosk was last seen at (DHCP): the one
 * sought is unreachable (75), not a refusal (77). */
static void
test_address_taken (Fixture *fixture, gconstpointer data)
{
  guint port_a = free_port ();
  guint port_x = free_port ();
  g_autofree char *code = create_booth (fixture, "a", port_a);
  g_autofree char *x = g_strdup_printf ("127.0.0.1:%u", port_x);
  g_autofree char *err = NULL;
  GSubprocess *b_server;
  gint64 start;

  serve (fixture, "a", port_a, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  g_assert_cmpint (cli (fixture, "c", NULL, NULL, "booth", "join", code, "--name", "c"), ==, 0);
  b_server = serve (fixture, "b", port_x, "60");
  start = g_get_monotonic_time ();
  while (!has_address (fixture, "a", "b", x) && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    g_usleep (50000);
  g_assert_true (has_address (fixture, "a", "b", x));
  kill_server (fixture, b_server);
  serve (fixture, "c", port_x, "60");
  start = g_get_monotonic_time ();
  while (!has_address (fixture, "a", "c", x) && g_get_monotonic_time () - start < 20 * G_USEC_PER_SEC)
    g_usleep (50000);
  g_assert_true (has_address (fixture, "a", "c", x));

  g_assert_cmpint (cli (fixture, "a", NULL, &err, "booth", "sync", "--no-discover"), ==, EX_TEMPFAIL);
  g_assert_nonnull (strstr (err, "Another device answers"));
  g_assert_true (json_object_get_boolean_member (find_member (status (fixture, "a"), "c"),
                                                 "in_sync"));
}

/* Kiosks that captured before there was a booth (schema 11: they logged
 * nothing then) bring every lead along when they create and join one. */
static void
test_captured_before (Fixture *fixture, gconstpointer data)
{
  guint port = free_port ();
  g_autofree char *address = g_strdup_printf ("127.0.0.1:%u", port);
  g_autofree char *out = NULL;
  g_autofree char *code = NULL;
  g_autofree char *uuids_a = NULL;
  g_autofree char *uuids_b = NULL;

  g_assert_cmpint (cli (fixture, "a", NULL, NULL, "event", "create", "Hannover Messe"), ==, 0);
  import_leads (fixture, "a", 6, "a.example");
  import_leads (fixture, "b", 4, "b.example");
  g_assert_cmpint (cli (fixture, "a", &out, NULL, "booth", "create", "--name", "Stand B12",
                        "--device", "a", "--address", address),
                   ==, 0);
  code = g_strstrip (g_steal_pointer (&out));
  serve (fixture, "a", port, "60");
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "join", code, "--name", "b"), ==, 0);
  g_assert_cmpint (cli (fixture, "b", NULL, NULL, "booth", "sync", "--no-discover"), ==, 0);

  g_assert_cmpint (count_leads (fixture, "a"), ==, 6 + 4);
  uuids_a = lead_uuids (fixture, "a");
  uuids_b = lead_uuids (fixture, "b");
  g_assert_cmpstr (uuids_a, ==, uuids_b);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/booth/create-join", test_create_join);
  ADD ("/booth/bad-secret", test_bad_secret);
  ADD ("/booth/wrong-booth", test_wrong_booth);
  ADD ("/booth/stranger-body", test_stranger_body);
  ADD ("/booth/three-kiosks", test_three_kiosks);
  ADD ("/booth/captured-before", test_captured_before);
  ADD ("/booth/removed", test_removed);
  ADD ("/booth/removed-code-rotated", test_removed_code_rotated);
  ADD ("/booth/concurrent-removals", test_concurrent_removals);
  ADD ("/booth/join-through-member", test_join_through_member);
  ADD ("/booth/service", test_service);
  ADD ("/booth/join-async", test_join_async);
  ADD ("/booth/unreachable", test_unreachable);
  ADD ("/booth/address-taken", test_address_taken);
  ADD ("/booth/kill-mid-round", test_kill_mid_round);
  ADD ("/booth/idle-sync", test_idle_sync);
  ADD ("/booth/no-email-on-wire", test_no_email_on_wire);
  ADD ("/booth/discovery", test_discovery);
#undef ADD

  return g_test_run ();
}
