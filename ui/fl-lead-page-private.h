/* fl-lead-page-private.h: the widgets of FlLeadPage the GUI tests drive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-page.h"
#include "fl-quick-notes-box.h"

G_BEGIN_DECLS

GtkToggleButton *_fl_lead_page_get_choice          (FlLeadPage *self,
                                                    const char *question_id,
                                                    guint       index);
GtkToggleButton *_fl_lead_page_get_interaction     (FlLeadPage *self,
                                                    const char *kind);
GtkEditable     *_fl_lead_page_get_field           (FlLeadPage *self,
                                                    FlField     field);
GtkLabel        *_fl_lead_page_get_status          (FlLeadPage *self);
GtkLevelBar     *_fl_lead_page_get_score_bar       (FlLeadPage *self);
GtkRevealer     *_fl_lead_page_get_welcome         (FlLeadPage *self);
GtkLabel        *_fl_lead_page_get_welcome_label   (FlLeadPage *self);
GtkCheckButton  *_fl_lead_page_get_consent         (FlLeadPage *self);
GtkToggleButton *_fl_lead_page_get_language_button (FlLeadPage *self,
                                                    FlLanguage  language);
GtkListBox      *_fl_lead_page_get_why_list        (FlLeadPage *self);
GtkPicture      *_fl_lead_page_get_card_picture    (FlLeadPage *self);
gboolean         _fl_lead_page_get_field_unsure    (FlLeadPage *self,
                                                    FlField     field);
GtkWidget       *_fl_lead_page_get_unsure_icon     (FlLeadPage *self,
                                                    FlField     field);
GtkLabel        *_fl_lead_page_get_card_hint       (FlLeadPage *self);

GtkLabel *_fl_lead_page_get_privacy (FlLeadPage *self);
gboolean  _fl_lead_page_get_merged  (FlLeadPage *self);
GtkToggleButton *_fl_lead_page_get_visitor_view (FlLeadPage *self);
GtkLabel        *_fl_lead_page_get_source      (FlLeadPage *self);
GtkLabel        *_fl_lead_page_get_name        (FlLeadPage *self);
GtkTextView *_fl_lead_page_get_notes       (FlLeadPage *self);
GtkLabel    *_fl_lead_page_get_notes_limit (FlLeadPage *self);
FlQuickNotesBox *_fl_lead_page_get_quick_notes (FlLeadPage *self);

G_END_DECLS
