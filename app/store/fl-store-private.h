/* fl-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* "FLEA": marks a SQLite file as Fairlead's (PRAGMA application_id). */
#define FL_STORE_APPLICATION_ID 0x464c4541

const char *_fl_store_migration      (int       from_version);
gboolean    _fl_store_set_sqlite_error (sqlite3  *db,
                                        GError  **error);

G_END_DECLS
