/* fl-gui-test.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void fl_gui_test_park_pointer (void);

G_END_DECLS
