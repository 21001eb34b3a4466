/* fl-quick-notes.c: one-tap notes, kept as lines of the lead's note
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-quick-notes"

#include "config.h"

#include <string.h>

#include "fl-quick-notes.h"

/* Why lines of the note and not a column of their own: the note is what
 * every reader of a lead already carries — the full-text search, CSV and
 * JSON export, each CRM connector's note, booth sync and the merge of a
 * repeat visitor — so a chip reaches all of them as the words staff chose
 * ("✓ Send quote"), with no schema change and nothing that could drift
 * apart. The structure is read back against the model: a line is a quick
 * note when it is the mark and one of the note's labels, in any of the
 * model's languages. A line no quick note of the model claims (a model
 * changed since) stays in the free text, so nothing is ever lost. */

/* Returns: the index of the quick note @line names, or -1. */
static int
match_line (FlModel *model, const char *line)
{
  if (!g_str_has_prefix (line, FL_QUICK_NOTE_MARK))
    return -1;
  line += strlen (FL_QUICK_NOTE_MARK);
  for (guint i = 0; i < fl_model_get_n_quick_notes (model); i++)
    for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
      if (g_strcmp0 (fl_model_get_quick_note_label (model, i, l), line) == 0)
        return (int) i;
  return -1;
}

/* Splits @notes into the chosen quick notes (chosen[i] for model note i)
 * and the other lines. */
static char *
split (FlModel *model, const char *notes, gboolean *chosen)
{
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) rest = g_string_new (NULL);

  if (notes == NULL)
    return NULL;
  lines = g_strsplit (notes, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autofree char *line = g_strdup (lines[i]);
      int index = match_line (model, g_strchomp (line));

      if (index >= 0)
        {
          if (chosen != NULL)
            chosen[index] = TRUE;
          continue;
        }
      if (rest->len > 0)
        g_string_append_c (rest, '\n');
      g_string_append (rest, lines[i]);
    }
  /* The note field trims; so does this. */
  g_strstrip (rest->str);
  if (rest->str[0] == '\0')
    return NULL;
  return g_strdup (rest->str);
}

/**
 * fl_quick_notes_get_ids:
 * @notes: (nullable): a lead's note
 *
 * Returns: (transfer full): the ids of the model's quick notes chosen in
 *   @notes, in the model's order (empty when none)
 */
GStrv
fl_quick_notes_get_ids (FlModel *model, const char *notes)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_autofree gboolean *chosen = NULL;
  g_autofree char *rest = NULL;
  guint n;

  g_return_val_if_fail (FL_IS_MODEL (model), NULL);

  n = fl_model_get_n_quick_notes (model);
  chosen = g_new0 (gboolean, n + 1);
  rest = split (model, notes, chosen);
  for (guint i = 0; i < n; i++)
    if (chosen[i])
      g_strv_builder_add (ids, fl_model_get_quick_note_id (model, i));
  return g_strv_builder_end (ids);
}

/**
 * fl_quick_notes_get_free_text:
 * @notes: (nullable): a lead's note
 *
 * Returns: (nullable) (transfer full): what staff typed: @notes without
 *   the model's quick notes, %NULL when nothing is left
 */
char *
fl_quick_notes_get_free_text (FlModel *model, const char *notes)
{
  g_return_val_if_fail (FL_IS_MODEL (model), NULL);
  return split (model, notes, NULL);
}

/**
 * fl_quick_notes_compose:
 * @ids: (nullable): chosen quick notes; unknown ids are ignored
 * @free_text: (nullable): what staff typed
 * @language: the language of the labels written (staff's)
 *
 * Returns: (nullable) (transfer full): the note: one line per chosen quick
 *   note in the model's order, then the free text; %NULL for an empty note
 */
char *
fl_quick_notes_compose (FlModel *model, const char *const *ids, const char *free_text,
                        FlLanguage language)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (FL_IS_MODEL (model), NULL);

  for (guint i = 0; i < fl_model_get_n_quick_notes (model); i++)
    {
      if (ids == NULL || !g_strv_contains (ids, fl_model_get_quick_note_id (model, i)))
        continue;
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, FL_QUICK_NOTE_MARK);
      g_string_append (out, fl_model_get_quick_note_label (model, i, language));
    }
  if (free_text != NULL && free_text[0] != '\0')
    {
      if (out->len > 0)
        g_string_append_c (out, '\n');
      g_string_append (out, free_text);
    }
  if (out->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * fl_quick_notes_has:
 *
 * Returns: whether the quick note @id is chosen on @lead
 */
gboolean
fl_quick_notes_has (FlLead *lead, FlModel *model, const char *id)
{
  g_auto(GStrv) ids = NULL;

  g_return_val_if_fail (FL_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (FL_IS_MODEL (model), FALSE);

  ids = fl_quick_notes_get_ids (model, fl_lead_get_notes (lead));
  return id != NULL && g_strv_contains ((const char *const *) ids, id);
}

/**
 * fl_quick_notes_set:
 * @chosen: %TRUE to choose the quick note, %FALSE to take it back
 * @language: the language its label is written in (staff's)
 *
 * Chooses or takes back the quick note @id on @lead's note, keeping what
 * staff typed. Save the lead to store it.
 *
 * Returns: %FALSE when the model has no quick note @id (nothing changes)
 */
gboolean
fl_quick_notes_set (FlLead *lead, FlModel *model, const char *id, gboolean chosen,
                    FlLanguage language)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_auto(GStrv) updated = NULL;
  g_autofree char *free_text = NULL;
  g_autofree char *notes = NULL;

  g_return_val_if_fail (FL_IS_LEAD (lead), FALSE);
  g_return_val_if_fail (FL_IS_MODEL (model), FALSE);

  if (fl_model_find_quick_note (model, id) < 0)
    return FALSE;
  ids = fl_quick_notes_get_ids (model, fl_lead_get_notes (lead));
  free_text = fl_quick_notes_get_free_text (model, fl_lead_get_notes (lead));
  for (guint i = 0; ids[i] != NULL; i++)
    if (!g_str_equal (ids[i], id))
      g_strv_builder_add (builder, ids[i]);
  if (chosen)
    g_strv_builder_add (builder, id);
  updated = g_strv_builder_end (builder);
  notes = fl_quick_notes_compose (model, (const char *const *) updated, free_text, language);
  if (g_strcmp0 (notes, fl_lead_get_notes (lead)) != 0)
    fl_lead_set_notes (lead, notes);
  return TRUE;
}
