/* fl-fts-fold.h: the full-text tokenizer that folds spellings together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

int fl_fts_fold_register (sqlite3 *db);
