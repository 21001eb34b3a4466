/* fl-roster-store.h: the organiser's attendee list in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint  line;    /* where the row starts in the file, from 1 */
  char  *reason;  /* why it was skipped, for a person */
} FlRosterSkip;

typedef struct
{
  guint      n_imported;  /* new badge ids */
  guint      n_updated;   /* badge ids already known, their rows replaced */
  GArray    *skipped;     /* FlRosterSkip, in file order */
  char       delimiter;
  GPtrArray *headers;     /* the file's column headers */
  GPtrArray *targets;     /* what each column was read as ("first_name", "badge_id", "extra", "ignore") */
} FlRosterReport;

FlRosterReport *fl_store_import_roster   (FlStore            *self,
                                          const char         *event,
                                          const char         *data,
                                          gssize              length,
                                          const char * const *overrides,
                                          GError            **error);
FlLead         *fl_store_find_attendee   (FlStore            *self,
                                          const char         *event,
                                          const char         *badge_id,
                                          GError            **error);
gint64          fl_store_count_attendees (FlStore            *self,
                                          const char         *event,
                                          GError            **error);

JsonNode       *fl_roster_report_to_json (const FlRosterReport *report);
void            fl_roster_report_free    (FlRosterReport     *report);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlRosterReport, fl_roster_report_free)

G_END_DECLS
