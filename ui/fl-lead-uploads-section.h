/* fl-lead-uploads-section.h: the uploads of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-section.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_UPLOADS_SECTION (fl_lead_uploads_section_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadUploadsSection, fl_lead_uploads_section, FL, LEAD_UPLOADS_SECTION, FlLeadSection)

G_END_DECLS
