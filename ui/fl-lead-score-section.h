/* fl-lead-score-section.h: the score of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_SCORE_SECTION (fl_lead_score_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadScoreSection, fl_lead_score_section, FL, LEAD_SCORE_SECTION, FlLeadSection)

GtkWidget *fl_lead_score_section_get_clear_button (FlLeadScoreSection *self);

G_END_DECLS
