/* fl-lead-interactions-section.h: the interactions of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_INTERACTIONS_SECTION (fl_lead_interactions_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadInteractionsSection, fl_lead_interactions_section, FL, LEAD_INTERACTIONS_SECTION, FlLeadSection)

G_END_DECLS
