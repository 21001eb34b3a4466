/* fl-audit.c: who did what to a lead, when
 *
 * fl_store_add_audit() writes the log; this reads a lead's part of it for
 * the back office's lead detail and `fairlead-cli leads show`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-audit"

#include "config.h"

#include "fl-audit.h"
#include "fl-store-private.h"

void
fl_audit_entry_free (FlAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->at);
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry);
}

/**
 * fl_store_list_audit:
 *
 * Returns: (transfer full) (element-type FlAuditEntry): what was done to
 *   the lead @lead_uuid, newest first (also after it was erased or
 *   discarded), or %NULL on error
 */
GPtrArray *
fl_store_list_audit (FlStore *store, const char *lead_uuid, GError **error)
{
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_audit_entry_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (lead_uuid != NULL, NULL);

  /* A lead that booth sync folded other captures of the same visitor into
   * has their history too; entries from other kiosks arrive in any order. */
  stmt = fl_store_prepare (store, "SELECT at, actor, action, detail FROM audit WHERE lead_uuid = ?1 "
                                  "OR lead_uuid IN (SELECT alias FROM lead_aliases WHERE lead = ?1) "
                                  "ORDER BY at DESC, id DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, lead_uuid);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FlAuditEntry *entry = g_new0 (FlAuditEntry, 1);

      entry->at = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      entry->actor = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      entry->action = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      entry->detail = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      g_ptr_array_add (entries, entry);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
