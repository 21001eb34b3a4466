/* fl-secret.c: connector tokens and signing keys in the system keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-secret"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>
#include <string.h>

#include "fl-secret.h"
#include "fl-sync.h"

/* A keyring that does not answer within this time is treated as absent:
 * the upload worker must never hang on it. */
#define KEYRING_TIMEOUT_SECONDS 5

static const SecretSchema *
get_schema (void)
{
  static const SecretSchema schema = {
    "io.github.fairlead.Fairlead.Connector", SECRET_SCHEMA_NONE,
    {
      { "connector", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };
  return &schema;
}

/**
 * fl_secret_env_name:
 *
 * Returns: the environment variable that overrides the keyring for
 *   @connector: `FAIRLEAD_SECRET_` and the name in upper case, every
 *   character other than A–Z and 0–9 as `_`
 */
char *
fl_secret_env_name (const char *connector)
{
  GString *name = g_string_new ("FAIRLEAD_SECRET_");

  for (const char *p = connector; *p != '\0'; p++)
    g_string_append_c (name, g_ascii_isalnum (*p) ? g_ascii_toupper (*p) : '_');
  return g_string_free (name, FALSE);
}

/* Whether a session bus can be there at all. Without one, GDBus would try
 * to autolaunch a bus, which can take long or fail obscurely. */
static gboolean
have_session_bus (void)
{
  const char *address = g_getenv ("DBUS_SESSION_BUS_ADDRESS");
  g_autofree char *socket = NULL;

  if (address != NULL && address[0] != '\0')
    {
      if (g_str_has_prefix (address, "unix:path="))
        {
          g_autofree char *path = g_strndup (address + strlen ("unix:path="),
                                             strcspn (address + strlen ("unix:path="), ",;"));
          return g_file_test (path, G_FILE_TEST_EXISTS);
        }
      return TRUE;
    }
  socket = g_build_filename (g_get_user_runtime_dir (), "bus", NULL);
  return g_file_test (socket, G_FILE_TEST_EXISTS);
}

/**
 * fl_secret_have_keyring:
 *
 * Returns: whether a keyring can be asked at all (there is a D-Bus
 *   session); without one, only the environment holds secrets
 */
gboolean
fl_secret_have_keyring (void)
{
  return have_session_bus ();
}

typedef struct
{
  GMainContext *context;
  GCancellable *cancellable;
  GAsyncResult *result;
  gboolean      timed_out;
} Call;

static void
call_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Call *call = user_data;

  call->result = g_object_ref (result);
  g_main_context_wakeup (call->context);
}

static gboolean
call_timeout_cb (gpointer user_data)
{
  Call *call = user_data;

  call->timed_out = TRUE;
  g_cancellable_cancel (call->cancellable);
  return G_SOURCE_REMOVE;
}

typedef void (*StartFunc) (Call *call, gpointer data);

/* Runs one libsecret call on a private main context with a time limit;
 * usable from any thread. Returns the result, or %NULL with @error set. */
static GAsyncResult *
run_call (StartFunc start, gpointer data, GError **error)
{
  Call call = { 0 };
  g_autoptr(GSource) timeout = NULL;

  if (!have_session_bus ())
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET, "%s",
                   _("No keyring is available (there is no D-Bus session)"));
      return NULL;
    }

  call.context = g_main_context_new ();
  call.cancellable = g_cancellable_new ();
  g_main_context_push_thread_default (call.context);

  timeout = g_timeout_source_new_seconds (KEYRING_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, call_timeout_cb, &call, NULL);
  g_source_attach (timeout, call.context);

  start (&call, data);
  while (call.result == NULL)
    g_main_context_iteration (call.context, TRUE);

  g_source_destroy (timeout);
  g_main_context_pop_thread_default (call.context);
  g_main_context_unref (call.context);
  g_object_unref (call.cancellable);
  if (call.timed_out)
    {
      g_clear_object (&call.result);
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
                   _("the keyring did not answer within %d seconds"), KEYRING_TIMEOUT_SECONDS);
    }
  return call.result;
}

static void
start_lookup (Call *call, gpointer data)
{
  secret_password_lookup (get_schema (), call->cancellable, call_done_cb, call,
                          "connector", (const char *) data, NULL);
}

/**
 * fl_secret_lookup:
 *
 * The secret of @connector: `$FAIRLEAD_SECRET_<NAME>` when set (for
 * headless kiosks and tests; no D-Bus needed), else the keyring.
 *
 * Returns: (nullable): the secret; %NULL without error when none is stored,
 *   %NULL with @error when the keyring cannot be asked
 */
char *
fl_secret_lookup (const char *connector, GError **error)
{
  g_autofree char *env_name = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *env;
  char *secret;

  g_return_val_if_fail (connector != NULL, NULL);

  env_name = fl_secret_env_name (connector);
  env = g_getenv (env_name);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  result = run_call (start_lookup, (gpointer) connector, &local_error);
  if (result != NULL)
    {
      secret = secret_password_lookup_finish (result, &local_error);
      if (local_error == NULL)
        return secret;
    }
  g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
               _("Cannot read the secret of connector “%s” from the keyring (%s). "
                 "Unlock the keyring, or set %s in the environment."),
               connector, local_error->message, env_name);
  return NULL;
}

typedef struct
{
  const char *connector;
  const char *secret;
} StoreData;

static void
start_store (Call *call, gpointer data)
{
  StoreData *store = data;
  g_autofree char *label = g_strdup_printf (_("Fairlead connector “%s”"), store->connector);

  secret_password_store (get_schema (), SECRET_COLLECTION_DEFAULT, label, store->secret,
                         call->cancellable, call_done_cb, call, "connector", store->connector,
                         NULL);
}

gboolean
fl_secret_store (const char *connector, const char *secret, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *env_name = NULL;
  StoreData data = { connector, secret };

  g_return_val_if_fail (connector != NULL && secret != NULL, FALSE);

  result = run_call (start_store, &data, &local_error);
  if (result != NULL && secret_password_store_finish (result, &local_error))
    return TRUE;
  env_name = fl_secret_env_name (connector);
  g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
               _("Cannot store the secret of connector “%s” in the keyring (%s). "
                 "On a kiosk without keyring, set %s in the environment instead."),
               connector, local_error->message, env_name);
  return FALSE;
}

static void
start_clear (Call *call, gpointer data)
{
  secret_password_clear (get_schema (), call->cancellable, call_done_cb, call,
                         "connector", (const char *) data, NULL);
}

gboolean
fl_secret_clear (const char *connector, GError **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (connector != NULL, FALSE);

  result = run_call (start_clear, (gpointer) connector, &local_error);
  if (result != NULL)
    {
      secret_password_clear_finish (result, &local_error);
      if (local_error == NULL)
        return TRUE;
    }
  g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_SECRET,
               _("Cannot remove the secret of connector “%s” from the keyring (%s)"),
               connector, local_error->message);
  return FALSE;
}
