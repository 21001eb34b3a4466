/* fl-booth-kiosk.c: what the kiosk shows and keeps about its booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-booth.h"
#include "fl-booth-kiosk.h"

/* Local to this kiosk's database; never replicated. */
#define PEERS_KEY "booth-peers"

/**
 * fl_booth_device_names:
 *
 * Returns: (transfer full): device id → name of every device the booth
 *   has known, removed ones included (their leads stay); empty when this
 *   kiosk is in no booth
 */
GHashTable *
fl_booth_device_names (FlStore *store)
{
  GHashTable *names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(FlBooth) booth = NULL;
  GPtrArray *members;

  g_return_val_if_fail (FL_IS_STORE (store), names);

  if ((booth = fl_booth_load (store, NULL)) == NULL)
    return names;
  members = fl_booth_get_members (booth);
  for (guint i = 0; i < members->len; i++)
    {
      FlBoothMember *member = members->pdata[i];

      if (member->id != NULL && member->name != NULL)
        g_hash_table_replace (names, g_strdup (member->id), g_strdup (member->name));
    }
  return names;
}

/**
 * fl_booth_device_name:
 * @device_id: (nullable): a lead's device
 *
 * Returns: (nullable): the name the booth knows @device_id by
 */
char *
fl_booth_device_name (FlStore *store, const char *device_id)
{
  g_autoptr(GHashTable) names = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  if (device_id == NULL)
    return NULL;
  names = fl_booth_device_names (store);
  return g_strdup (g_hash_table_lookup (names, device_id));
}

/* "host:port" with a port: the service's default port is not assumed,
 * a peer typed without one is most likely a typo. */
gboolean
fl_booth_check_peer (const char *peer, GError **error)
{
  g_autoptr(GSocketConnectable) address = NULL;

  if (peer == NULL || *peer == '\0' ||
      (address = g_network_address_parse (peer, 0, NULL)) == NULL ||
      g_network_address_get_port (G_NETWORK_ADDRESS (address)) == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an address: write HOST:PORT, for example 192.168.1.20:%u"),
                   peer != NULL ? peer : "", FL_BOOTH_DEFAULT_PORT);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_booth_get_peers:
 *
 * Returns: (transfer full): the explicit peers, "host:port" each; empty
 *   when there are none
 */
GStrv
fl_booth_get_peers (FlStore *store)
{
  g_autofree char *text = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) lines = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  text = fl_store_get_meta (store, PEERS_KEY);
  lines = g_strsplit (text != NULL ? text : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*g_strstrip (lines[i]) != '\0')
      g_strv_builder_add (builder, lines[i]);
  return g_strv_builder_end (builder);
}

/**
 * fl_booth_set_peers:
 * @peers: (nullable): "host:port" each
 *
 * Keeps @peers, refusing the whole list when one is not an address.
 */
gboolean
fl_booth_set_peers (FlStore *store, const char * const *peers, GError **error)
{
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *text = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  for (guint i = 0; peers != NULL && peers[i] != NULL; i++)
    {
      if (!fl_booth_check_peer (peers[i], error))
        return FALSE;
      if (!g_ptr_array_find_with_equal_func (kept, peers[i], g_str_equal, NULL))
        g_ptr_array_add (kept, (gpointer) peers[i]);
    }
  g_ptr_array_add (kept, NULL);
  text = g_strjoinv ("\n", (GStrv) kept->pdata);
  return fl_store_set_meta (store, PEERS_KEY, text, error);
}
