/* fl-store-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* "FLEA": marks a SQLite file as Fairlead's (PRAGMA application_id). */
#define FL_STORE_APPLICATION_ID 0x464c4541

const char *_fl_store_migration (int from_version);

G_END_DECLS
