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

G_END_DECLS
