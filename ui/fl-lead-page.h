/* fl-lead-page.h: the visitor just captured — contact, questions, score, consent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "scan/fl-card-result.h"
#include "score/fl-model.h"
#include "store/fl-capture.h"

G_BEGIN_DECLS

#define FL_TYPE_LEAD_PAGE (fl_lead_page_get_type ())

G_DECLARE_FINAL_TYPE (FlLeadPage, fl_lead_page, FL, LEAD_PAGE, AdwBin)

FlLeadPage *fl_lead_page_new          (void);
FlLead     *fl_lead_page_get_lead     (FlLeadPage            *self);
FlLanguage  fl_lead_page_get_language (FlLeadPage            *self);
gboolean    fl_lead_page_get_dirty    (FlLeadPage            *self);
void        fl_lead_page_open         (FlLeadPage            *self,
                                       FlStore               *store,
                                       FlModel               *model,
                                       const FlCaptureResult *result,
                                       const char            *staff);
void        fl_lead_page_show_card    (FlLeadPage            *self,
                                       GdkPaintable          *photo,
                                       FlCardResult          *card);
void        fl_lead_page_set_staff    (FlLeadPage            *self,
                                       const char            *staff);
gboolean    fl_lead_page_save         (FlLeadPage            *self,
                                       GError               **error);
void        fl_lead_page_focus_start  (FlLeadPage            *self);
void        fl_lead_page_clear        (FlLeadPage            *self);

G_END_DECLS
