/* fl-leads-page.h: every lead of the event, searched, filtered and sorted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_LEADS_PAGE (fl_leads_page_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadsPage, fl_leads_page, FL, LEADS_PAGE, AdwBin)

GtkWidget *fl_leads_page_new        (FlStore     *store);
void       fl_leads_page_set_actor  (FlLeadsPage *self,
                                     const char  *actor);
void       fl_leads_page_reload     (FlLeadsPage *self);
void       fl_leads_page_clear      (FlLeadsPage *self);

/* Shared by the lead detail: the words the GUI uses for a lead's state. */
const char *fl_status_get_label        (FlStatus      status);
const char *fl_status_get_css_class    (FlStatus      status);
const char *fl_upload_state_get_label  (FlUploadState state);
char       *fl_format_local_time       (const char   *iso8601,
                                        const char   *format);

G_END_DECLS
