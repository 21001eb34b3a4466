/* fl-visitor-text.h: the words the visitor reads, in the visitor's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "score/fl-model.h"

G_BEGIN_DECLS

/* The gettext domain of the visitor's strings (po-visitor/): the kiosk
 * chrome a visitor reads, in every language a model may offer, while the
 * staff interface stays in English or German (po/). */
#define FL_VISITOR_DOMAIN "fairlead-visitor"

/* Marks a visitor string for xgettext --keyword=NV_ (po-visitor/); look it
 * up with fl_visitor_gettext(). */
#define NV_(text) (text)

const char *fl_visitor_gettext       (FlLanguage  language,
                                      const char *msgid) G_GNUC_FORMAT (2);
const char *fl_visitor_language_name (FlLanguage  language,
                                      FlLanguage  name_of);

G_END_DECLS
