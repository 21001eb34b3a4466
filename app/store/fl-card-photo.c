/* fl-card-photo.c: the photo of a business card, kept with its lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Staff check what OCR read against the photo, and marketing can read the
 * card again after the show. The photo is personal data like the lead:
 * its row hangs off the lead (ON DELETE CASCADE), so discarding or erasing
 * the lead removes it, and secure_delete zeroes the pages it used.
 */
#define G_LOG_DOMAIN "fl-card-photo"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-card-photo.h"
#include "fl-store-private.h"

/**
 * fl_card_photo_allowed:
 * @event: (nullable): the active event
 *
 * Returns: whether the event keeps card photos (its setting
 *   %FL_SETTING_KEEP_CARD_PHOTOS, true unless set to false)
 */
gboolean
fl_card_photo_allowed (const FlEvent *event)
{
  JsonObject *settings;
  JsonNode *value;

  if (event == NULL || event->settings == NULL || !JSON_NODE_HOLDS_OBJECT (event->settings))
    return TRUE;
  settings = json_node_get_object (event->settings);
  value = json_object_get_member (settings, FL_SETTING_KEEP_CARD_PHOTOS);
  if (value == NULL || !JSON_NODE_HOLDS_VALUE (value) ||
      json_node_get_value_type (value) != G_TYPE_BOOLEAN)
    return TRUE;
  return json_node_get_boolean (value);
}

/**
 * fl_card_photo_encode_jpeg:
 * @photo: the card as taken
 * @max_side: the longest side of the JPEG in pixels; larger photos are
 *   scaled down, smaller ones kept as they are
 * @quality: JPEG quality, 1..100
 *
 * Returns: (transfer full): the JPEG, or %NULL with an error
 */
GBytes *
fl_card_photo_encode_jpeg (GdkPixbuf *photo, guint max_side, int quality, GError **error)
{
  g_autoptr(GdkPixbuf) scaled = NULL;
  g_autoptr(GdkPixbuf) opaque = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *quality_text = NULL;
  g_autofree char *buffer = NULL;
  GdkPixbuf *source = photo;
  int width, height;
  gsize size = 0;

  g_return_val_if_fail (GDK_IS_PIXBUF (photo), NULL);
  g_return_val_if_fail (max_side > 0, NULL);
  g_return_val_if_fail (quality >= 1 && quality <= 100, NULL);

  width = gdk_pixbuf_get_width (photo);
  height = gdk_pixbuf_get_height (photo);
  if ((guint) MAX (width, height) > max_side)
    {
      double factor = (double) max_side / MAX (width, height);

      scaled = gdk_pixbuf_scale_simple (photo, MAX (1, (int) (width * factor + 0.5)),
                                        MAX (1, (int) (height * factor + 0.5)),
                                        GDK_INTERP_BILINEAR);
      if (scaled == NULL)
        {
          g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                               _("Not enough memory to scale the card photo"));
          return NULL;
        }
      source = scaled;
    }
  /* JPEG has no alpha channel; the camera's is opaque anyway. */
  if (gdk_pixbuf_get_has_alpha (source))
    {
      opaque = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, gdk_pixbuf_get_width (source),
                               gdk_pixbuf_get_height (source));
      if (opaque == NULL)
        {
          g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                               _("Not enough memory to convert the card photo"));
          return NULL;
        }
      gdk_pixbuf_fill (opaque, 0xffffffff);
      gdk_pixbuf_composite (source, opaque, 0, 0, gdk_pixbuf_get_width (source),
                            gdk_pixbuf_get_height (source), 0, 0, 1, 1, GDK_INTERP_NEAREST, 255);
      source = opaque;
    }

  quality_text = g_strdup_printf ("%d", quality);
  if (!gdk_pixbuf_save_to_buffer (source, &buffer, &size, "jpeg", &local_error,
                                  "quality", quality_text, NULL))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("The card photo could not be stored as JPEG: %s"), local_error->message);
      return NULL;
    }
  return g_bytes_new_take (g_steal_pointer (&buffer), size);
}

/**
 * fl_card_photo_save:
 * @lead_uuid: the lead read from the card
 * @jpeg: the photo, from fl_card_photo_encode_jpeg()
 * @taken_at: (nullable): when, ISO 8601 UTC; now when %NULL
 *
 * Keeps the photo with the lead; a lead has one, and a later card of the
 * same visitor replaces it.
 *
 * Returns: %FALSE with %FL_STORE_ERROR_NOT_FOUND when there is no such lead
 */
gboolean
fl_card_photo_save (FlStore *store, const char *lead_uuid, GBytes *jpeg, const char *taken_at,
                    GError **error)
{
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  const void *data;
  gsize size;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (lead_uuid != NULL, FALSE);
  g_return_val_if_fail (jpeg != NULL, FALSE);

  data = g_bytes_get_data (jpeg, &size);
  if (size == 0 || size > G_MAXINT)
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The card photo is empty or too large to keep"));
      return FALSE;
    }
  if (taken_at == NULL)
    taken_at = now = fl_now_iso8601 ();

  stmt = fl_store_prepare (store,
                           "INSERT INTO card_photos (lead_id, jpeg, taken_at) "
                           "SELECT id, ?2, ?3 FROM leads WHERE uuid = ?1 "
                           "ON CONFLICT (lead_id) DO UPDATE SET jpeg = excluded.jpeg, "
                           "taken_at = excluded.taken_at",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, lead_uuid, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob (stmt, 2, data, (int) size, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, taken_at, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  if (sqlite3_changes (fl_store_get_db (store)) == 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"),
                   lead_uuid);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_card_photo_load:
 * @taken_at: (out) (optional) (nullable): when the photo was taken
 *
 * Returns: (transfer full) (nullable): the JPEG kept with the lead, or
 *   %NULL, with @error unset when the lead has none
 */
GBytes *
fl_card_photo_load (FlStore *store, const char *lead_uuid, char **taken_at, GError **error)
{
  sqlite3_stmt *stmt;
  GBytes *jpeg = NULL;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (lead_uuid != NULL, NULL);

  if (taken_at != NULL)
    *taken_at = NULL;
  stmt = fl_store_prepare (store,
                           "SELECT p.jpeg, p.taken_at FROM card_photos p JOIN leads l "
                           "ON l.id = p.lead_id WHERE l.uuid = ?",
                           error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, lead_uuid, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      jpeg = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
      if (taken_at != NULL)
        *taken_at = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    fl_store_set_error (store, error);
  return jpeg;
}
