/* fl-quick-notes.h: one-tap notes, kept as lines of the lead's note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lead/fl-lead.h"
#include "score/fl-model.h"

G_BEGIN_DECLS

/* A chosen quick note is a line of the note: this mark, then its label. */
#define FL_QUICK_NOTE_MARK "✓ "

GStrv     fl_quick_notes_get_ids       (FlModel           *model,
                                        const char        *notes);
char     *fl_quick_notes_get_free_text (FlModel           *model,
                                        const char        *notes);
char     *fl_quick_notes_compose       (FlModel           *model,
                                        const char *const *ids,
                                        const char        *free_text,
                                        FlLanguage         language);
gboolean  fl_quick_notes_has           (FlLead            *lead,
                                        FlModel           *model,
                                        const char        *id);
gboolean  fl_quick_notes_set           (FlLead            *lead,
                                        FlModel           *model,
                                        const char        *id,
                                        gboolean           chosen,
                                        FlLanguage         language);

G_END_DECLS
