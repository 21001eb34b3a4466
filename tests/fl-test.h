/* fl-test.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

void   fl_test_remove_tree (const char *path);
gint64 fl_test_query_int   (FlStore    *store,
                            const char *sql);
void   fl_test_shift_times (FlStore    *store,
                            int         days);
void   fl_test_damage_tree (const char *db_path,
                            const char *name);

G_END_DECLS
