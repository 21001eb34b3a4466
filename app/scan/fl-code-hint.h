/* fl-code-hint.h: a quick look for anything that could be a code
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean fl_code_hint_present (const guint8 *grey,
                               guint         width,
                               guint         height,
                               gsize         stride);
gboolean fl_code_hint_present_full (const guint8 *grey,
                                    guint         width,
                                    guint         height,
                                    gsize         stride,
                                    guint         min_bar_height);

G_END_DECLS
