/* fl-roster.h: the columns of an attendee list, mapped to contact fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "fl-lead.h"

G_BEGIN_DECLS

#define FL_ROSTER_ERROR (fl_roster_error_quark ())

typedef enum
{
  FL_ROSTER_ERROR_EMPTY,            /* the file has no header line */
  FL_ROSTER_ERROR_NO_BADGE_COLUMN,  /* no column holds the badge id */
  FL_ROSTER_ERROR_BAD_MAP,          /* a --map override is wrong */
} FlRosterError;

typedef struct _FlRosterMapping FlRosterMapping;

GQuark           fl_roster_error_quark      (void);

FlRosterMapping *fl_roster_mapping_new      (GPtrArray          *header,
                                             const char * const *overrides,
                                             GError            **error);
guint            fl_roster_mapping_get_n_columns (FlRosterMapping *self);
const char      *fl_roster_mapping_get_target (FlRosterMapping  *self,
                                             guint               column);
FlLead          *fl_roster_mapping_apply    (FlRosterMapping    *self,
                                             GPtrArray          *values,
                                             JsonObject        **extra,
                                             char              **reason);
void             fl_roster_mapping_free     (FlRosterMapping    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRosterMapping, fl_roster_mapping_free)

G_END_DECLS
