/* fl-fts-fold.c: the spellings search folds together
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-fts-fold.h"

/* The steps of FL_FTS_FOLD(), in its order (see fl-fts-fold.h). */
static const char *const steps[][2] = {
  { "ß", "ss" }, { "ẞ", "ss" }, { "ł", "l" }, { "Ł", "l" }, { "ı", "i" },
  { "ø", "o" }, { "Ø", "o" }, { "æ", "ae" }, { "Æ", "ae" }, { "œ", "oe" },
  { "Œ", "oe" }, { "đ", "d" }, { "Đ", "d" }, { "ð", "d" }, { "Ð", "d" },
  { "þ", "th" }, { "Þ", "th" }, { "ae", "a" }, { "oe", "o" }, { "ue", "u" },
};

/**
 * fl_fts_fold:
 * @text: UTF-8 text
 *
 * Folds @text as the full-text index's triggers fold every lead. SQLite's
 * lower() folds ASCII only; the tokenizer folds the case of every other
 * letter itself, so lowering ASCII here is the same.
 *
 * Returns: (transfer full): the folded text
 */
char *
fl_fts_fold (const char *text)
{
  g_autoptr(GString) folded = g_string_new (text);

  g_return_val_if_fail (text != NULL, NULL);

  for (gsize i = 0; i < folded->len; i++)
    folded->str[i] = g_ascii_tolower (folded->str[i]);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    g_string_replace (folded, steps[i][0], steps[i][1], 0);
  return g_string_free (g_steal_pointer (&folded), FALSE);
}
