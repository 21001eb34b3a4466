/* fl-staff-picker.h: who is at the booth, asked with large buttons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-staff.h"

G_BEGIN_DECLS

#define FL_TYPE_STAFF_PICKER (fl_staff_picker_get_type ())

G_DECLARE_FINAL_TYPE (FlStaffPicker, fl_staff_picker, FL, STAFF_PICKER, AdwBin)

GtkWidget *fl_staff_picker_new       (void);
gboolean   fl_staff_picker_get_can_cancel (FlStaffPicker *self);
void       fl_staff_picker_set_store (FlStaffPicker *self,
                                      FlStore       *store);
void       fl_staff_picker_reset     (FlStaffPicker *self,
                                      gboolean       can_cancel,
                                      gboolean       lead_waiting);

/* For the GUI tests */
GtkButton   *_fl_staff_picker_get_name_button (FlStaffPicker  *self,
                                               const char     *name);
GtkButton   *_fl_staff_picker_get_add_button  (FlStaffPicker  *self);
GtkButton   *_fl_staff_picker_get_cancel_button (FlStaffPicker *self);
void         _fl_staff_picker_get_entries     (FlStaffPicker  *self,
                                               GtkEditable   **name,
                                               GtkEditable   **pin,
                                               GtkEditable   **repeat,
                                               AdwComboRow   **approver,
                                               GtkEditable   **approver_pin);
GtkLabel    *_fl_staff_picker_get_message     (FlStaffPicker  *self);
GtkLabel    *_fl_staff_picker_get_title       (FlStaffPicker  *self);

G_END_DECLS
