/* fl-audit.h: who did what to a lead, when
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *at;      /* ISO 8601 UTC */
  char *actor;   /* (nullable) */
  char *action;  /* "captured", "edited", "discarded"… */
  char *detail;  /* (nullable); scrubbed when the lead is erased */
} FlAuditEntry;

GPtrArray *fl_store_list_audit  (FlStore      *store,
                                 const char   *lead_uuid,
                                 GError      **error);
void       fl_audit_entry_free  (FlAuditEntry *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlAuditEntry, fl_audit_entry_free)

G_END_DECLS
