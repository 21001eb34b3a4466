/* fl-discard.c: a discard at the kiosk that can be taken back for a while
 *
 * Staff discard a badge scanned by accident, and sometimes the wrong one.
 * So a discard is first only held: the lead stays in the database with
 * everything it had, but nothing of it waits in the outbox and a meta key
 * ("discard.held.UUID" → who) says it is on its way out. Undo takes the
 * key away and queues the lead again the way a save does; finishing
 * removes it for good with fl_privacy_discard_lead(). A discard held when
 * the kiosk stopped is finished at the next start, so a held lead never
 * comes back by itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-discard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-discard.h"
#include "fl-privacy.h"
#include "fl-store-private.h"

#define HELD_PREFIX "discard.held."

static char *
held_key (const char *uuid)
{
  g_autofree char *lower = g_ascii_strdown (uuid, -1);

  return g_strconcat (HELD_PREFIX, lower, NULL);
}

static gboolean
delete_meta (FlStore *store, const char *key, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, "DELETE FROM meta WHERE key = ?", error);

  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, key);
  return fl_store_step_done (store, stmt, error);
}

/**
 * fl_discard_hold:
 * @actor: (nullable): who discards
 *
 * Holds a lead for discarding: it is taken out of the outbox (what was
 * already delivered stays recorded) and marked, but not yet removed; see
 * fl_discard_undo() and fl_discard_finish().
 *
 * Returns: %FALSE with %FL_STORE_ERROR_NOT_FOUND when there is no such lead
 */
gboolean
fl_discard_hold (FlStore *store, const char *uuid, const char *actor, GError **error)
{
  g_autofree char *key = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  key = held_key (uuid);
  if (!fl_store_begin (store, error))
    return FALSE;
  stmt = fl_store_prepare (store, "SELECT 1 FROM leads WHERE uuid = lower (?)", error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
      goto fail;
    }
  sqlite3_reset (stmt);

  stmt = fl_store_prepare (store,
                           "DELETE FROM outbox WHERE state IN ('pending', 'failed') AND lead_id = "
                           "(SELECT id FROM leads WHERE uuid = lower (?))",
                           error);
  if (stmt == NULL)
    goto fail;
  fl_store_bind_text (stmt, 1, uuid);
  if (!fl_store_step_done (store, stmt, error) ||
      !fl_store_set_meta (store, key, actor != NULL ? actor : "", error))
    goto fail;
  return fl_store_commit (store, error);

fail:
  fl_store_rollback (store);
  return FALSE;
}

/**
 * fl_discard_is_held:
 *
 * Returns: %TRUE while a discard of @uuid is held
 */
gboolean
fl_discard_is_held (FlStore *store, const char *uuid)
{
  g_autofree char *key = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  key = held_key (uuid);
  value = fl_store_get_meta (store, key);
  return value != NULL;
}

/**
 * fl_discard_undo:
 * @actor: (nullable): who takes the discard back
 *
 * Takes a held discard back: the lead is saved again as it was, which
 * queues it for upload as any save does (the consent gate still applies).
 *
 * Returns: %FALSE with %FL_STORE_ERROR_NOT_FOUND when the discard is no
 *   longer held (finished, or never made)
 */
gboolean
fl_discard_undo (FlStore *store, const char *uuid, const char *actor, GError **error)
{
  g_autofree char *key = NULL;
  g_autoptr(FlLead) lead = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  if (!fl_discard_is_held (store, uuid))
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND,
                           _("The discard can no longer be undone: the lead is gone"));
      return FALSE;
    }
  key = held_key (uuid);
  lead = fl_store_get_lead (store, uuid, error);
  if (lead == NULL)
    return FALSE;
  if (!fl_store_begin (store, error))
    return FALSE;
  if (!delete_meta (store, key, error) ||
      !fl_store_save_lead_in_transaction (store, lead, actor, error) ||
      !fl_store_add_audit (store, uuid, actor, "discard-undone", NULL, error))
    {
      fl_store_rollback (store);
      return FALSE;
    }
  return fl_store_commit (store, error);
}

static gboolean
finish_one (FlStore *store, const char *uuid, const char *actor, GError **error)
{
  g_autofree char *key = held_key (uuid);

  /* Removed first: a discard that is finished can no longer be undone,
   * and a failure leaves it held, to be finished next time. */
  return fl_privacy_discard_lead (store, uuid, actor != NULL && *actor != '\0' ? actor : NULL, error) &&
         delete_meta (store, key, error);
}

/**
 * fl_discard_finish:
 * @uuid: (nullable): the lead whose held discard to finish, %NULL for all
 *
 * Removes the leads held for discarding for good (see
 * fl_privacy_discard_lead()). Nothing held is no error.
 */
gboolean
fl_discard_finish (FlStore *store, const char *uuid, GError **error)
{
  g_autoptr(GPtrArray) held = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) actors = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  if (uuid != NULL)
    {
      g_autofree char *key = held_key (uuid);
      g_autofree char *actor = fl_store_get_meta (store, key);

      return actor == NULL || finish_one (store, uuid, actor, error);
    }

  stmt = fl_store_prepare (store, "SELECT substr (key, ?1), value FROM meta WHERE substr (key, 1, ?2) = ?3",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, (int) strlen (HELD_PREFIX) + 1);
  sqlite3_bind_int (stmt, 2, (int) strlen (HELD_PREFIX));
  fl_store_bind_text (stmt, 3, HELD_PREFIX);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (held, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
      g_ptr_array_add (actors, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  for (guint i = 0; i < held->len; i++)
    if (!finish_one (store, held->pdata[i], actors->pdata[i], error))
      return FALSE;
  return TRUE;
}
