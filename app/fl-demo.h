/* fl-demo.h: the bundled demo event
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "store/fl-store.h"

G_BEGIN_DECLS

char     *fl_demo_data_dir     (void);
char     *fl_demo_db_path      (void);
FlStore  *fl_demo_open         (GError  **error);
gboolean  fl_demo_seed         (FlStore  *store,
                                const char *demo_dir,
                                GError  **error);

G_END_DECLS
