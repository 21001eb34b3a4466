/* fl-thanks-page.h: thanks the visitor, with a QR code of the promised handout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "lead/fl-event.h"
#include "lead/fl-lead.h"
#include "score/fl-model.h"

G_BEGIN_DECLS

#define FL_TYPE_THANKS_PAGE (fl_thanks_page_get_type ())

G_DECLARE_FINAL_TYPE (FlThanksPage, fl_thanks_page, FL, THANKS_PAGE, AdwBin)

/* Event setting (FlEvent.settings): the link of the handout promised to
 * visitors; the thanks page shows it as a QR code with the lead's
 * reference appended. */
#define FL_SETTING_HANDOUT_URL "handout_url"

FlThanksPage *fl_thanks_page_new          (void);
const char   *fl_thanks_page_get_link     (FlThanksPage  *self);
guint         fl_thanks_page_get_timeout  (FlThanksPage  *self);
void          fl_thanks_page_set_timeout  (FlThanksPage  *self,
                                           guint          timeout_ms);
void          fl_thanks_page_show_lead    (FlThanksPage  *self,
                                           const FlEvent *event,
                                           FlLead        *lead);
void          fl_thanks_page_clear        (FlThanksPage  *self);
FlLanguage    fl_thanks_page_get_language (FlThanksPage  *self);
void          fl_thanks_page_set_language (FlThanksPage  *self,
                                           FlLanguage     language);

char         *fl_handout_link             (const char    *handout_url,
                                           const char    *lead_uuid);

G_END_DECLS
