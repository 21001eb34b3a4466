/* fl-lead-section.h: one part of the lead detail, updated in place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_SECTION (fl_lead_section_get_type ())

G_DECLARE_DERIVABLE_TYPE (FlLeadSection, fl_lead_section, FL, LEAD_SECTION, AdwBin)

/**
 * FlLeadSectionClass:
 * @update: shows #FlLeadSection:lead (which may be %NULL) in the widgets
 *   the section already has
 */
struct _FlLeadSectionClass
{
  AdwBinClass parent_class;

  void (*update) (FlLeadSection *self,
                  FlLead        *lead);
};

FlStore    *fl_lead_section_get_store (FlLeadSection       *self);
void        fl_lead_section_set_store (FlLeadSection       *self,
                                       FlStore             *store);
FlLead     *fl_lead_section_get_lead  (FlLeadSection       *self);
void        fl_lead_section_set_lead  (FlLeadSection       *self,
                                       FlLead              *lead);

/* For the sections: rows that come and go with the lead shown. */
GtkWidget  *fl_lead_section_add_row   (AdwPreferencesGroup *group,
                                       GPtrArray           *rows,
                                       const char          *title,
                                       const char          *subtitle);
void        fl_lead_section_clear_rows (AdwPreferencesGroup *group,
                                        GPtrArray           *rows);

G_END_DECLS
