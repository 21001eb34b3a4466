/* fl-lead-history-section.h: the history of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_HISTORY_SECTION (fl_lead_history_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadHistorySection, fl_lead_history_section, FL, LEAD_HISTORY_SECTION, FlLeadSection)

G_END_DECLS
