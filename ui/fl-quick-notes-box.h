/* fl-quick-notes-box.h: the model's quick notes as chips to tap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "score/fl-model.h"

G_BEGIN_DECLS

#define FL_TYPE_QUICK_NOTES_BOX (fl_quick_notes_box_get_type ())

G_DECLARE_FINAL_TYPE (FlQuickNotesBox, fl_quick_notes_box, FL, QUICK_NOTES_BOX, GtkWidget)

GtkWidget  *fl_quick_notes_box_new        (void);
FlModel    *fl_quick_notes_box_get_model  (FlQuickNotesBox   *self);
void        fl_quick_notes_box_set_model  (FlQuickNotesBox   *self,
                                           FlModel           *model,
                                           FlLanguage         language);
void        fl_quick_notes_box_set_chosen (FlQuickNotesBox   *self,
                                           const char *const *ids);

/* For the tests: the chip of the quick note @id, or NULL. */
GtkToggleButton *_fl_quick_notes_box_get_chip (FlQuickNotesBox *self,
                                               const char      *id);

G_END_DECLS
