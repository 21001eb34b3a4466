/* fl-lead-contact-section.h: the contact of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_CONTACT_SECTION (fl_lead_contact_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadContactSection, fl_lead_contact_section, FL, LEAD_CONTACT_SECTION, FlLeadSection)

gboolean     fl_lead_contact_section_get_modified (FlLeadContactSection *self);
void         fl_lead_contact_section_apply        (FlLeadContactSection *self,
                                                   FlLead               *lead);
AdwEntryRow *fl_lead_contact_section_get_row      (FlLeadContactSection *self,
                                                   FlField               field);

G_END_DECLS
