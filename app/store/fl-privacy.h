/* fl-privacy.h: the rights of the person — access, erasure, retention
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* Event setting (FlEvent.settings): days after upload (or, for leads never
 * uploaded, after the event's last day) after which personal data is
 * deleted. Absent or 0: kept until erased by hand. */
#define FL_SETTING_RETENTION_DAYS "retention_days"

GPtrArray *fl_privacy_find_leads     (FlStore     *store,
                                      const char  *email,
                                      const char  *uuid,
                                      GError     **error);
JsonNode  *fl_privacy_export_person  (FlStore     *store,
                                      GPtrArray   *uuids,
                                      GError     **error);
gboolean   fl_privacy_erase_lead     (FlStore     *store,
                                      const char  *uuid,
                                      const char  *actor,
                                      GError     **error);
gboolean   fl_privacy_scrub_files    (FlStore     *store,
                                      GError     **error);
GPtrArray *fl_privacy_purge          (FlStore     *store,
                                      GDateTime   *now,
                                      gboolean     dry_run,
                                      const char  *actor,
                                      GError     **error);

void       fl_privacy_protect_process (void);

G_END_DECLS
