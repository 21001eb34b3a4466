/* fl-model-words.c: a lead's answers and interactions in the words of its
 * scoring model, for people to read
 *
 * The database keeps ids ("role" → "decides", "badge-scan"); staff read
 * the model's labels in their language ("Role in the decision" → "decision
 * maker", "Badge scanned at the booth"). The model that scored the lead
 * knows its own ids best; the event's model stands in for a lead scored
 * by none.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-model-words"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-model-store.h"
#include "fl-model-words.h"
#include "store/fl-store-private.h"

/**
 * fl_model_store_load_for_lead:
 *
 * Returns: (transfer full) (nullable): the stored model that scored @lead
 *   (by the sha256 of its reference), else the model of the lead's event
 */
FlModel *
fl_model_store_load_for_lead (FlStore *store, FlLead *lead, GError **error)
{
  JsonNode *reference;
  const char *sha256 = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (FL_IS_LEAD (lead), NULL);

  reference = fl_lead_get_model (lead);
  if (reference != NULL && JSON_NODE_HOLDS_OBJECT (reference))
    sha256 = json_object_get_string_member_with_default (json_node_get_object (reference), "sha256", NULL);
  if (sha256 != NULL)
    {
      sqlite3_stmt *stmt = fl_store_prepare (store, "SELECT id FROM models WHERE sha256 = ?", error);
      gint64 id = -1;

      if (stmt == NULL)
        return NULL;
      fl_store_bind_text (stmt, 1, sha256);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = sqlite3_column_int64 (stmt, 0);
      sqlite3_reset (stmt);
      if (id >= 0)
        return fl_model_store_load (store, id, error);
    }
  return fl_model_store_load_for_event (store, fl_lead_get_event (lead), error);
}

/**
 * fl_model_find_question:
 *
 * Returns: the index of the question @question_id, or -1
 */
int
fl_model_find_question (FlModel *self, const char *question_id)
{
  g_return_val_if_fail (FL_IS_MODEL (self), -1);

  for (guint i = 0; i < fl_model_get_n_questions (self); i++)
    if (g_strcmp0 (fl_model_get_question_id (self, i), question_id) == 0)
      return (int) i;
  return -1;
}

/**
 * fl_model_describe_question:
 *
 * Returns: (nullable): the question's label in @language, %NULL when the
 *   model has no such question
 */
const char *
fl_model_describe_question (FlModel *self, const char *question_id, FlLanguage language)
{
  int question;

  g_return_val_if_fail (FL_IS_MODEL (self), NULL);

  question = fl_model_find_question (self, question_id);
  return question >= 0 ? fl_model_get_question_label (self, (guint) question, language) : NULL;
}

static char *
option_label (FlModel *self, guint question, const char *option_id, FlLanguage language)
{
  for (guint i = 0; i < fl_model_get_n_options (self, question); i++)
    if (g_strcmp0 (fl_model_get_option_id (self, question, i), option_id) == 0)
      return g_strdup (fl_model_get_option_label (self, question, i, language));
  /* An option the model no longer has: its id is all there is. */
  return g_strdup (option_id);
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (!JSON_NODE_HOLDS_VALUE (node))
    return json_to_string (node, FALSE);
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING: return g_strdup (json_node_get_string (node));
    case G_TYPE_BOOLEAN: return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
    case G_TYPE_DOUBLE: return g_strdup_printf ("%g", json_node_get_double (node));
    default: return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
}

/**
 * fl_model_describe_answer:
 * @self: (nullable): the model; without one the answer is shown as stored
 * @answer: (nullable): the answer as the lead keeps it
 *
 * Returns: (transfer full): the answer in @language: option labels for a
 *   choice (joined by commas for several), Yes or No, a rating, the text
 */
char *
fl_model_describe_answer (FlModel *self, const char *question_id, JsonNode *answer, FlLanguage language)
{
  int question = self != NULL ? fl_model_find_question (self, question_id) : -1;
  FlQuestionType type;

  if (question < 0)
    {
      if (answer != NULL && JSON_NODE_HOLDS_ARRAY (answer))
        {
          JsonArray *array = json_node_get_array (answer);
          g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

          for (guint i = 0; i < json_array_get_length (array); i++)
            g_ptr_array_add (parts, value_text (json_array_get_element (array, i)));
          g_ptr_array_add (parts, NULL);
          return g_strjoinv (", ", (char **) parts->pdata);
        }
      return value_text (answer);
    }

  type = fl_model_get_question_type (self, (guint) question);
  if ((type == FL_QUESTION_SINGLE || type == FL_QUESTION_MULTI) && answer != NULL)
    {
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

      if (JSON_NODE_HOLDS_ARRAY (answer))
        {
          JsonArray *array = json_node_get_array (answer);

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_autofree char *id = value_text (json_array_get_element (array, i));

              g_ptr_array_add (parts, option_label (self, (guint) question, id, language));
            }
        }
      else
        {
          g_autofree char *id = value_text (answer);

          g_ptr_array_add (parts, option_label (self, (guint) question, id, language));
        }
      g_ptr_array_add (parts, NULL);
      return g_strjoinv (", ", (char **) parts->pdata);
    }
  if (type == FL_QUESTION_RATING && answer != NULL && JSON_NODE_HOLDS_VALUE (answer))
    {
      g_autofree char *value = value_text (answer);

      /* Translators: a rating answer, e.g. “4 of 5” */
      return g_strdup_printf (_("%s of 5"), value);
    }
  return value_text (answer);
}

/**
 * fl_model_describe_interaction:
 * @self: (nullable): the model
 *
 * Returns: (transfer full): the interaction's label in @language: the
 *   model's, else the kiosk's own for the kinds it records by itself, else
 *   the kind
 */
char *
fl_model_describe_interaction (FlModel *self, const char *kind, FlLanguage language)
{
  const char *label = self != NULL && fl_model_has_interaction (self, kind)
                        ? fl_model_get_interaction_label (self, kind, language)
                        : NULL;

  if (label != NULL)
    return g_strdup (label);
  if (g_strcmp0 (kind, "badge-scan") == 0)
    return g_strdup (_("Badge scanned at the booth"));
  if (g_strcmp0 (kind, "repeat-visit") == 0)
    return g_strdup (_("Came back to the booth"));
  return g_strdup (kind);
}
