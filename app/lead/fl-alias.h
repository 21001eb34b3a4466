/* fl-alias.h: the many names of a contact field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fl-lead.h"

G_BEGIN_DECLS

typedef enum
{
  FL_ALIAS_NONE,      /* not a name we know */
  FL_ALIAS_FIELD,     /* a person field */
  FL_ALIAS_BADGE_ID,  /* the badge or ticket id */
  FL_ALIAS_NOTE,      /* free text for the notes */
} FlAliasKind;

FlAliasKind fl_alias_lookup (const char *name,
                             FlField    *field);

G_END_DECLS
