/* fl-lead-answers-section.h: the answers of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_ANSWERS_SECTION (fl_lead_answers_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadAnswersSection, fl_lead_answers_section, FL, LEAD_ANSWERS_SECTION, FlLeadSection)

G_END_DECLS
