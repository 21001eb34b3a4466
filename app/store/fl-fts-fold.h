/* fl-fts-fold.h: the spellings search folds together, in C and in SQL
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* unicode61 with remove_diacritics already makes "müller" "muller",
 * "François" "francois" and "Şahin" "sahin". What it leaves is folded
 * before the text reaches the index, and the same way before a search
 * reaches it, in this order:
 *
 *  - letters without a decomposition: ß and ẞ → ss, ł → l, ı → i,
 *    ø → o, æ → ae, œ → oe, đ and ð → d, þ → th;
 *  - the German spelling without umlauts: ae → a, oe → o, ue → u, so
 *    that "Mueller", "Müller" and "Muller" are one word, as ä → a already
 *    made "Müller" and "Muller" one.
 *
 * The index's triggers fold with FL_FTS_FOLD(), built from SQLite's own
 * lower() and replace(), so that any SQLite client (the sqlite3 shell
 * too) can still write leads; a search folds with fl_fts_fold(), which
 * the tests hold equal to FL_FTS_FOLD() on every letter above. */
#define FL_FTS_FOLD(x)                                                                        \
  "replace (replace (replace (replace (replace (replace (replace (replace (replace ("         \
  "replace (replace (replace (replace (replace (replace (replace (replace (replace ("         \
  "replace (replace (lower (" x "), 'ß', 'ss'), 'ẞ', 'ss'), 'ł', 'l'), 'Ł', 'l'), 'ı', 'i'), " \
  "'ø', 'o'), 'Ø', 'o'), 'æ', 'ae'), 'Æ', 'ae'), 'œ', 'oe'), 'Œ', 'oe'), 'đ', 'd'), "         \
  "'Đ', 'd'), 'ð', 'd'), 'Ð', 'd'), 'þ', 'th'), 'Þ', 'th'), 'ae', 'a'), 'oe', 'o'), "         \
  "'ue', 'u')"

/* The index's columns, and the same columns of a leads row folded. */
#define FL_FTS_COLUMNS "full_name, first_name, last_name, email, company, title, notes"
#define FL_FTS_FOLDED(row)                                                                    \
  FL_FTS_FOLD (row ".full_name") ", " FL_FTS_FOLD (row ".first_name") ", "                    \
  FL_FTS_FOLD (row ".last_name") ", " FL_FTS_FOLD (row ".email") ", "                         \
  FL_FTS_FOLD (row ".company") ", " FL_FTS_FOLD (row ".title") ", " FL_FTS_FOLD (row ".notes")

/* Fills the index anew from the leads table. */
#define FL_FTS_REFILL                                                                         \
  "INSERT INTO leads_fts (leads_fts) VALUES ('delete-all');"                                  \
  "INSERT INTO leads_fts (rowid, " FL_FTS_COLUMNS ") SELECT leads.id, " FL_FTS_FOLDED ("leads") \
  " FROM leads;"

char *fl_fts_fold (const char *text);

G_END_DECLS
