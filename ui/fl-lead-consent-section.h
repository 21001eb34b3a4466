/* fl-lead-consent-section.h: the consent of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_CONSENT_SECTION (fl_lead_consent_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadConsentSection, fl_lead_consent_section, FL, LEAD_CONSENT_SECTION, FlLeadSection)

G_END_DECLS
