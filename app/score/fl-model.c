/* fl-model.c: the scoring model marketing and sales agreed on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-model"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdarg.h>
#include <string.h>

#include "fl-model-private.h"
#include "lead/fl-json.h"

struct _FlModel
{
  GObject     parent_instance;

  GBytes     *bytes;
  char       *sha256;
  char       *name;
  gint64      version;
  GStrv       agreed_by;
  char       *consent_version;
  char       *consent_text[FL_N_LANGUAGES];
  GPtrArray  *questions;      /* FlModelQuestion */
  GHashTable *question_index; /* id → FlModelQuestion */
  GPtrArray  *rules;          /* FlModelRule */
  GPtrArray  *interactions;   /* FlModelInteraction */
  GPtrArray  *quick_notes;    /* QuickNote */
  guint       languages;      /* 1 << FlLanguage the visitor can read it in */
  GHashTable *lists;          /* name → set of case-folded entries */
  gboolean    has_cap[FL_N_GROUPS];
  int         cap[FL_N_GROUPS];
  double      half_life_days; /* 0 for no decay */
  int         sal_threshold;
  int         max_points[FL_N_GROUPS];
};

G_DEFINE_FINAL_TYPE (FlModel, fl_model, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-model-error-quark, fl_model_error)

static const char *group_names[FL_N_GROUPS] = { "fit", "interest" };
static const char *const language_codes[FL_N_LANGUAGES + 1] = { "en", "de", "fr", "it", "es", "nl", "pl", NULL };
static const char *type_names[] = { "single", "multi", "boolean", "rating", "text" };

/* Model files are written by people; these bounds keep sums far away
 * from integer overflow and catch typos such as 2500 for 25. */
#define MAX_ABS_POINTS 10000
#define MAX_COUNT      1000
/* Quick notes are chips above the note field: a screenful at most, each
 * a few words. */
#define MAX_QUICK_NOTES       24
#define MAX_QUICK_NOTE_LABEL  40

/* A one-tap note ("Send quote"), in every language of the model. */
typedef struct
{
  char *id;
  char *label[FL_N_LANGUAGES];
} QuickNote;

/* Validation state: every fault is collected, so one `model check` run
 * shows everything that needs fixing. */
typedef struct
{
  GPtrArray *faults;
  guint      visitor_languages; /* beyond English and German, from the consent text */
} Check;

static void
option_free (FlModelOption *option)
{
  g_free (option->id);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (option->label[i]);
  g_free (option);
}

static void
question_free (FlModelQuestion *question)
{
  g_free (question->id);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (question->label[i]);
  g_clear_pointer (&question->options, g_ptr_array_unref);
  g_free (question);
}

static void
rule_free (FlModelRule *rule)
{
  g_free (rule->id);
  g_clear_pointer (&rule->regex, g_regex_unref);
  g_free (rule->list);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (rule->reason[i]);
  g_free (rule);
}

static void
quick_note_free (QuickNote *note)
{
  g_free (note->id);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (note->label[i]);
  g_free (note);
}

static void
interaction_free (FlModelInteraction *interaction)
{
  g_free (interaction->kind);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (interaction->label[i]);
  g_free (interaction);
}

void
fl_model_fault_free (FlModelFault *fault)
{
  if (fault == NULL)
    return;
  g_free (fault->path);
  g_free (fault->message);
  g_free (fault);
}

/**
 * fl_model_fault_to_string:
 *
 * Returns: "path: message", or the message alone for the whole file
 */
char *
fl_model_fault_to_string (const FlModelFault *fault)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (fault != NULL, NULL);

  if (fault->path == NULL || fault->path[0] == '\0')
    text = g_strdup (fault->message);
  else
    text = g_strdup_printf ("%s: %s", fault->path, fault->message);
  /* Messages may quote the file (a JSON parser's error, say): keep it text. */
  return g_utf8_make_valid (text, -1);
}

static char *
join_path (const char *path, const char *member)
{
  if (path == NULL || path[0] == '\0')
    return g_strdup (member);
  if (member == NULL)
    return g_strdup (path);
  return g_strdup_printf ("%s.%s", path, member);
}

static void fault (Check *check, const char *path, const char *member, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

static void
fault (Check *check, const char *path, const char *member, const char *format, ...)
{
  FlModelFault *item = g_new0 (FlModelFault, 1);
  g_autofree char *message = NULL;
  g_autofree char *joined = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  joined = join_path (path, member);
  /* A JSON escape such as "\ud800" (a lone surrogate) decodes to bytes
   * that are not UTF-8; a fault quoting it must still be printable. */
  item->message = g_utf8_make_valid (message, -1);
  item->path = joined ? g_utf8_make_valid (joined, -1) : NULL;
  g_ptr_array_add (check->faults, item);
}

static const char *
node_kind (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    return _("an object");
  if (JSON_NODE_HOLDS_ARRAY (node))
    return _("a list");
  if (JSON_NODE_HOLDS_NULL (node))
    return "null";
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return _("a text");
    case G_TYPE_BOOLEAN:
      return _("true or false");
    case G_TYPE_DOUBLE:
      return _("a decimal number");
    default:
      return _("a number");
    }
}

/* Members whose name starts with "_" are comments, for people. */
static void
check_members (Check *check, JsonObject *object, const char *path, const char *const *allowed)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &name, &value))
    {
      if (name[0] == '_' || g_strv_contains (allowed, name))
        continue;
      fault (check, path, name, "%s", _("unknown member; check its spelling or remove it"));
    }
}

static JsonNode *
get_member (Check *check, JsonObject *object, const char *path, const char *key, gboolean required)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        fault (check, path, key, "%s", _("missing; it is required"));
      return NULL;
    }
  return node;
}

static gboolean
get_string (Check *check, JsonObject *object, const char *path, const char *key, gboolean required,
            const char **out)
{
  JsonNode *node = get_member (check, object, path, key, required);
  const char *text;

  *out = NULL;
  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      fault (check, path, key, _("expected a text, not %s"), node_kind (node));
      return FALSE;
    }
  text = json_node_get_string (node);
  if (text[strspn (text, " \t\r\n")] == '\0')
    {
      fault (check, path, key, "%s", _("must not be empty"));
      return FALSE;
    }
  *out = text;
  return TRUE;
}

static gboolean
get_int (Check *check, JsonObject *object, const char *path, const char *key, gboolean required,
         gint64 min, gint64 max, gint64 *out)
{
  JsonNode *node = get_member (check, object, path, key, required);
  gint64 value;

  if (node == NULL)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      fault (check, path, key, "%s", _("expected an integer"));
      return FALSE;
    }
  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      fault (check, path, key, _("%lld is out of range (%lld to %lld)"), (long long) value,
             (long long) min, (long long) max);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
get_points (Check *check, JsonObject *object, const char *path, const char *key, gboolean required,
            int *out)
{
  gint64 value = 0;

  if (!get_int (check, object, path, key, required, -MAX_ABS_POINTS, MAX_ABS_POINTS, &value))
    return FALSE;
  *out = (int) value;
  return TRUE;
}

static gboolean
get_bool (Check *check, JsonObject *object, const char *path, const char *key, gboolean *out)
{
  JsonNode *node = get_member (check, object, path, key, FALSE);

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      fault (check, path, key, _("expected true or false, not %s"), node_kind (node));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

static JsonObject *
get_object (Check *check, JsonObject *object, const char *path, const char *key, gboolean required)
{
  JsonNode *node = get_member (check, object, path, key, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fault (check, path, key, _("expected an object, not %s"), node_kind (node));
      return NULL;
    }
  return json_node_get_object (node);
}

static JsonArray *
get_array (Check *check, JsonObject *object, const char *path, const char *key, gboolean required)
{
  JsonNode *node = get_member (check, object, path, key, required);

  if (node == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      fault (check, path, key, _("expected a list, not %s"), node_kind (node));
      return NULL;
    }
  return json_node_get_array (node);
}

static const char *
language_name (FlLanguage language)
{
  switch (language)
    {
    case FL_LANGUAGE_DE: return _("German (de)");
    case FL_LANGUAGE_FR: return _("French (fr)");
    case FL_LANGUAGE_IT: return _("Italian (it)");
    case FL_LANGUAGE_ES: return _("Spanish (es)");
    case FL_LANGUAGE_NL: return _("Dutch (nl)");
    case FL_LANGUAGE_PL: return _("Polish (pl)");
    case FL_LANGUAGE_EN:
    case FL_N_LANGUAGES:
    default:             return _("English (en)");
    }
}

/* Reads {"en": "…", "de": "…", "fr": …}: English and German are required,
 * so no visitor ever sees a blank button; the other languages are
 * optional, unless @visitor says the visitor reads this label: then every
 * language the model offers the visitor (the consent text's) is required
 * too, so a visitor who picks French reads French throughout. */
static gboolean
get_some_labels (Check *check, JsonObject *object, const char *path, const char *key,
                 gboolean visitor, char *out[FL_N_LANGUAGES])
{
  JsonObject *labels = get_object (check, object, path, key, TRUE);
  g_autofree char *labels_path = join_path (path, key);
  gboolean ok = TRUE;

  if (labels == NULL)
    return FALSE;
  check_members (check, labels, labels_path, language_codes);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    {
      JsonNode *node = json_object_get_member (labels, language_codes[i]);
      const char *text;

      if (node == NULL || JSON_NODE_HOLDS_NULL (node))
        {
          if (i >= FL_N_STAFF_LANGUAGES &&
              (!visitor || (check->visitor_languages & (1u << i)) == 0))
            continue;
          if (i >= FL_N_STAFF_LANGUAGES)
            fault (check, labels_path, language_codes[i],
                   _("missing the %s text (the consent text offers the visitor this language)"),
                   language_name (i));
          else
            fault (check, labels_path, language_codes[i], _("missing the %s text"),
                   language_name (i));
          ok = FALSE;
          continue;
        }
      if (!get_string (check, labels, labels_path, language_codes[i], TRUE, &text))
        {
          ok = FALSE;
          continue;
        }
      out[i] = g_strdup (text);
    }
  return ok;
}

static gboolean
get_labels (Check *check, JsonObject *object, const char *path, const char *key,
            char *out[FL_N_LANGUAGES])
{
  return get_some_labels (check, object, path, key, FALSE, out);
}

/* Labels the visitor reads: in every language the model offers. */
static gboolean
get_visitor_labels (Check *check, JsonObject *object, const char *path, const char *key,
                    char *out[FL_N_LANGUAGES])
{
  return get_some_labels (check, object, path, key, TRUE, out);
}

static gboolean
get_group (Check *check, JsonObject *object, const char *path, const char *key, gboolean required,
           FlGroup *out)
{
  const char *text;

  if (!get_string (check, object, path, key, required, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < FL_N_GROUPS; i++)
    if (strcmp (text, group_names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  fault (check, path, key, _("unknown group “%s” (expected fit or interest)"), text);
  return FALSE;
}

/* Ids become answer keys and CRM field values: keep them plain. */
static gboolean
get_id (Check *check, JsonObject *object, const char *path, const char *key, GHashTable *seen,
        const char **out)
{
  const char *id;
  const char *other;

  if (!get_string (check, object, path, key, TRUE, &id))
    return FALSE;
  for (const char *p = id; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      {
        fault (check, path, key,
               _("“%s” is not a valid id (use letters, digits, “-”, “_” and “.”)"), id);
        return FALSE;
      }
  other = g_hash_table_lookup (seen, id);
  if (other != NULL)
    {
      fault (check, path, key, _("duplicate id “%s” (already used at %s)"), id, other);
      return FALSE;
    }
  g_hash_table_insert (seen, (char *) id, join_path (path, key));
  *out = id;
  return TRUE;
}

/* The form list entries and field values are compared in. */
static char *
fold (const char *text)
{
  g_autofree char *folded = NULL;
  char *normal;
  const char *p;

  /* Most contact data is ASCII, where folding is lowering; rules run on
   * every lead of a rescore. */
  for (p = text; *p != '\0' && (guchar) *p < 0x80; p++)
    ;
  if (*p == '\0')
    return g_strstrip (g_ascii_strdown (text, -1));

  folded = g_utf8_casefold (text, -1);
  normal = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKC);

  return normal ? g_strstrip (normal) : g_strstrip (g_steal_pointer (&folded));
}

static void
parse_lists (FlModel *self, Check *check, JsonObject *root)
{
  JsonObject *lists = get_object (check, root, "", "lists", FALSE);
  JsonObjectIter iter;
  const char *name;
  JsonNode *value;

  if (lists == NULL)
    return;
  json_object_iter_init (&iter, lists);
  while (json_object_iter_next (&iter, &name, &value))
    {
      g_autofree char *path = join_path ("lists", name);
      GHashTable *set;
      JsonArray *array;

      if (!JSON_NODE_HOLDS_ARRAY (value))
        {
          fault (check, path, NULL, _("expected a list of texts, not %s"), node_kind (value));
          continue;
        }
      array = json_node_get_array (value);
      set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);
          g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
              json_node_get_string (item)[strspn (json_node_get_string (item), " \t")] == '\0')
            {
              fault (check, item_path, NULL, "%s", _("expected a text that is not empty"));
              continue;
            }
          g_hash_table_add (set, fold (json_node_get_string (item)));
        }
      g_hash_table_insert (self->lists, g_strdup (name), set);
    }
}

static int
question_max (FlModelQuestion *question)
{
  int max = 0;

  switch (question->type)
    {
    case FL_QUESTION_SINGLE:
      for (guint i = 0; i < question->options->len; i++)
        max = MAX (max, ((FlModelOption *) g_ptr_array_index (question->options, i))->points);
      return max;
    case FL_QUESTION_MULTI:
      for (guint i = 0; i < question->options->len; i++)
        max += MAX (0, ((FlModelOption *) g_ptr_array_index (question->options, i))->points);
      return max;
    case FL_QUESTION_BOOLEAN:
      return MAX (0, MAX (question->points_yes, question->points_no));
    case FL_QUESTION_RATING:
      return MAX (0, MAX (question->points_per_star, 5 * question->points_per_star));
    case FL_QUESTION_TEXT:
    default:
      return 0;
    }
}

static void
parse_options (Check *check, JsonObject *object, const char *path, FlModelQuestion *question)
{
  JsonArray *options = get_array (check, object, path, "options", TRUE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  static const char *const allowed[] = { "id", "label", "points", NULL };

  if (options == NULL)
    return;
  if (json_array_get_length (options) == 0)
    {
      fault (check, path, "options", "%s", _("a question with choices needs at least one option"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (options); i++)
    {
      JsonNode *node = json_array_get_element (options, i);
      g_autofree char *option_path = g_strdup_printf ("%s.options[%u]", path, i);
      FlModelOption *option;
      const char *id = NULL;
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fault (check, option_path, NULL, _("expected an object, not %s"), node_kind (node));
          continue;
        }
      item = json_node_get_object (node);
      check_members (check, item, option_path, allowed);
      option = g_new0 (FlModelOption, 1);
      get_id (check, item, option_path, "id", seen, &id);
      option->id = g_strdup (id);
      get_visitor_labels (check, item, option_path, "label", option->label);
      get_points (check, item, option_path, "points", TRUE, &option->points);
      g_ptr_array_add (question->options, option);
    }
}

static void
parse_questions (FlModel *self, Check *check, JsonObject *root)
{
  JsonArray *questions = get_array (check, root, "", "questions", TRUE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  if (questions == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (questions); i++)
    {
      static const char *const common[] = { "id", "type", "label", "group", "required_for_sal", NULL };
      static const char *const with_options[] = { "id", "type", "label", "group", "required_for_sal", "options", NULL };
      static const char *const boolean[] = { "id", "type", "label", "group", "required_for_sal", "points_yes", "points_no", NULL };
      static const char *const rating[] = { "id", "type", "label", "group", "required_for_sal", "points_per_star", NULL };
      JsonNode *node = json_array_get_element (questions, i);
      g_autofree char *path = g_strdup_printf ("questions[%u]", i);
      FlModelQuestion *question;
      const char *id = NULL, *type = NULL;
      JsonObject *item;
      gboolean type_known = FALSE;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fault (check, path, NULL, _("expected an object, not %s"), node_kind (node));
          continue;
        }
      item = json_node_get_object (node);
      question = g_new0 (FlModelQuestion, 1);
      question->options = g_ptr_array_new_with_free_func ((GDestroyNotify) option_free);
      g_ptr_array_add (self->questions, question);

      if (get_id (check, item, path, "id", seen, &id))
        {
          question->id = g_strdup (id);
          g_hash_table_insert (self->question_index, question->id, question);
        }
      get_visitor_labels (check, item, path, "label", question->label);
      get_group (check, item, path, "group", TRUE, &question->group);
      get_bool (check, item, path, "required_for_sal", &question->required_for_sal);

      if (get_string (check, item, path, "type", TRUE, &type) && type != NULL)
        {
          for (guint t = 0; t < G_N_ELEMENTS (type_names); t++)
            if (strcmp (type, type_names[t]) == 0)
              {
                question->type = t;
                type_known = TRUE;
              }
          if (!type_known)
            fault (check, path, "type",
                   _("unknown type “%s” (expected single, multi, boolean, rating or text)"), type);
        }
      if (!type_known)
        continue;

      switch (question->type)
        {
        case FL_QUESTION_SINGLE:
        case FL_QUESTION_MULTI:
          check_members (check, item, path, with_options);
          parse_options (check, item, path, question);
          break;
        case FL_QUESTION_BOOLEAN:
          check_members (check, item, path, boolean);
          get_points (check, item, path, "points_yes", FALSE, &question->points_yes);
          get_points (check, item, path, "points_no", FALSE, &question->points_no);
          break;
        case FL_QUESTION_RATING:
          check_members (check, item, path, rating);
          get_points (check, item, path, "points_per_star", TRUE, &question->points_per_star);
          break;
        case FL_QUESTION_TEXT:
        default:
          check_members (check, item, path, common);
          break;
        }
      question->max_points = question_max (question);
    }
}

static void
parse_rules (FlModel *self, Check *check, JsonObject *root)
{
  JsonArray *rules = get_array (check, root, "", "rules", FALSE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  static const char *const allowed[] = { "id", "field", "matches", "in_list", "is_empty", "points",
                                         "disqualify", "group", "reason", NULL };

  if (rules == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (rules); i++)
    {
      JsonNode *node = json_array_get_element (rules, i);
      g_autofree char *path = g_strdup_printf ("rules[%u]", i);
      const char *id = NULL, *field = NULL, *pattern = NULL, *list = NULL;
      FlModelRule *rule;
      JsonObject *item;
      guint n_conditions = 0;
      gboolean has_points, has_disqualify;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fault (check, path, NULL, _("expected an object, not %s"), node_kind (node));
          continue;
        }
      item = json_node_get_object (node);
      check_members (check, item, path, allowed);
      rule = g_new0 (FlModelRule, 1);
      g_ptr_array_add (self->rules, rule);

      if (get_id (check, item, path, "id", seen, &id))
        rule->id = g_strdup (id);
      get_labels (check, item, path, "reason", rule->reason);

      if (get_string (check, item, path, "field", TRUE, &field) && field != NULL &&
          !fl_field_from_string (field, &rule->field))
        {
          g_autoptr(GString) names = g_string_new (NULL);

          for (guint f = 0; f < FL_N_FIELDS; f++)
            g_string_append_printf (names, "%s%s", f ? ", " : "", fl_field_to_string (f));
          fault (check, path, "field", _("unknown contact field “%s” (expected one of %s)"), field,
                 names->str);
        }

      if (json_object_has_member (item, "matches"))
        {
          g_autoptr(GError) regex_error = NULL;

          n_conditions++;
          rule->kind = FL_RULE_MATCHES;
          if (get_string (check, item, path, "matches", TRUE, &pattern))
            {
              rule->regex = g_regex_new (pattern, G_REGEX_CASELESS | G_REGEX_OPTIMIZE, 0,
                                         &regex_error);
              if (rule->regex == NULL)
                fault (check, path, "matches", _("invalid regular expression: %s"),
                       regex_error->message);
            }
        }
      if (json_object_has_member (item, "in_list"))
        {
          n_conditions++;
          rule->kind = FL_RULE_IN_LIST;
          if (get_string (check, item, path, "in_list", TRUE, &list))
            {
              rule->list = g_strdup (list);
              rule->list_set = g_hash_table_lookup (self->lists, list);
              if (rule->list_set == NULL)
                fault (check, path, "in_list",
                       _("unknown list “%s”; define it under “lists”"), list);
            }
        }
      if (json_object_has_member (item, "is_empty"))
        {
          n_conditions++;
          rule->kind = FL_RULE_IS_EMPTY;
          rule->empty = TRUE;
          get_bool (check, item, path, "is_empty", &rule->empty);
        }
      if (n_conditions != 1)
        fault (check, path, NULL, "%s",
               _("a rule needs exactly one of “matches”, “in_list” and “is_empty”"));

      has_points = json_object_has_member (item, "points");
      has_disqualify = json_object_has_member (item, "disqualify");
      if (has_points == has_disqualify)
        fault (check, path, NULL, "%s", _("a rule needs either “points” or “disqualify”, not both"));
      if (has_points)
        {
          get_points (check, item, path, "points", TRUE, &rule->points);
          get_group (check, item, path, "group", TRUE, &rule->group);
        }
      if (has_disqualify)
        {
          rule->disqualify = TRUE;
          get_bool (check, item, path, "disqualify", &rule->disqualify);
          if (!rule->disqualify)
            fault (check, path, "disqualify", "%s",
                   _("must be true; remove the rule to stop disqualifying"));
          get_group (check, item, path, "group", FALSE, &rule->group);
        }
    }
}

static void
parse_interactions (FlModel *self, Check *check, JsonObject *root)
{
  JsonArray *interactions = get_array (check, root, "", "interactions", FALSE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  static const char *const allowed[] = { "kind", "label", "points", "max_count", "group", NULL };

  if (interactions == NULL)
    return;
  for (guint i = 0; i < json_array_get_length (interactions); i++)
    {
      JsonNode *node = json_array_get_element (interactions, i);
      g_autofree char *path = g_strdup_printf ("interactions[%u]", i);
      FlModelInteraction *interaction;
      const char *kind = NULL;
      gint64 max_count = 1;
      FlGroup group = FL_GROUP_INTEREST;
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fault (check, path, NULL, _("expected an object, not %s"), node_kind (node));
          continue;
        }
      item = json_node_get_object (node);
      check_members (check, item, path, allowed);
      interaction = g_new0 (FlModelInteraction, 1);
      g_ptr_array_add (self->interactions, interaction);
      if (get_id (check, item, path, "kind", seen, &kind))
        interaction->kind = g_strdup (kind);
      get_labels (check, item, path, "label", interaction->label);
      get_points (check, item, path, "points", TRUE, &interaction->points);
      get_int (check, item, path, "max_count", FALSE, 1, MAX_COUNT, &max_count);
      interaction->max_count = (guint) max_count;
      /* What a visitor did is interest by definition; it is what decays. */
      if (get_group (check, item, path, "group", FALSE, &group) && group != FL_GROUP_INTEREST)
        fault (check, path, "group", "%s", _("interactions always count as interest"));
    }
}

static void
parse_consent (FlModel *self, Check *check, JsonObject *root)
{
  JsonObject *consent = get_object (check, root, "", "consent", TRUE);
  static const char *const allowed[] = { "version", "text", NULL };
  JsonNode *version;

  if (consent == NULL)
    return;
  check_members (check, consent, "consent", allowed);
  get_labels (check, consent, "consent", "text", self->consent_text);
  /* The consent text decides which languages the visitor may pick: no
   * visitor gives consent to words they cannot read. */
  for (guint i = FL_N_STAFF_LANGUAGES; i < FL_N_LANGUAGES; i++)
    if (self->consent_text[i] != NULL)
      check->visitor_languages |= 1u << i;
  self->languages = check->visitor_languages | (1u << FL_LANGUAGE_EN) | (1u << FL_LANGUAGE_DE);
  version = get_member (check, consent, "consent", "version", TRUE);
  if (version == NULL)
    return;
  if (JSON_NODE_HOLDS_VALUE (version) && json_node_get_value_type (version) == G_TYPE_INT64)
    self->consent_version = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (version));
  else
    {
      const char *text = NULL;

      if (get_string (check, consent, "consent", "version", TRUE, &text))
        self->consent_version = g_strdup (text);
    }
}

static void
parse_quick_notes (FlModel *self, Check *check, JsonObject *root)
{
  JsonArray *notes = get_array (check, root, "", "quick_notes", FALSE);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  static const char *const allowed[] = { "id", "label", NULL };

  if (notes == NULL)
    return;
  if (json_array_get_length (notes) > MAX_QUICK_NOTES)
    {
      fault (check, "quick_notes", NULL,
             _("%u quick notes are too many for the lead page; keep at most %d"),
             json_array_get_length (notes), MAX_QUICK_NOTES);
      return;
    }
  for (guint i = 0; i < json_array_get_length (notes); i++)
    {
      JsonNode *node = json_array_get_element (notes, i);
      g_autofree char *path = g_strdup_printf ("quick_notes[%u]", i);
      g_autofree char *labels_path = NULL;
      QuickNote *note;
      const char *id = NULL;
      JsonObject *item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          fault (check, path, NULL, _("expected an object, not %s"), node_kind (node));
          continue;
        }
      item = json_node_get_object (node);
      check_members (check, item, path, allowed);
      note = g_new0 (QuickNote, 1);
      g_ptr_array_add (self->quick_notes, note);
      if (get_id (check, item, path, "id", seen, &id))
        note->id = g_strdup (id);
      if (!get_visitor_labels (check, item, path, "label", note->label))
        continue;
      labels_path = join_path (path, "label");
      for (guint l = 0; l < FL_N_LANGUAGES; l++)
        {
          if (note->label[l] == NULL)
            continue;
          if (note->label[l][0] == '\0')
            fault (check, labels_path, language_codes[l], "%s",
                   _("a quick note needs a label (a text that is not empty)"));
          else if (g_utf8_strlen (note->label[l], -1) > MAX_QUICK_NOTE_LABEL)
            fault (check, labels_path, language_codes[l],
                   _("“%s” is too long for a chip; keep it to %d characters"),
                   note->label[l], MAX_QUICK_NOTE_LABEL);
          else if (strchr (note->label[l], '\n') != NULL)
            fault (check, labels_path, language_codes[l], "%s",
                   _("a quick note is one line: remove the line break"));
        }
    }
}

static void
parse_settings (FlModel *self, Check *check, JsonObject *root)
{
  static const char *const caps_allowed[] = { "fit", "interest", NULL };
  static const char *const decay_allowed[] = { "half_life_days", NULL };
  static const char *const thresholds_allowed[] = { "sal", NULL };
  JsonObject *caps = get_object (check, root, "", "caps", FALSE);
  JsonObject *decay = get_object (check, root, "", "decay", FALSE);
  JsonObject *thresholds = get_object (check, root, "", "thresholds", TRUE);

  if (caps != NULL)
    {
      check_members (check, caps, "caps", caps_allowed);
      for (guint g = 0; g < FL_N_GROUPS; g++)
        {
          gint64 cap;

          if (json_object_has_member (caps, group_names[g]) &&
              get_int (check, caps, "caps", group_names[g], TRUE, 0, MAX_ABS_POINTS * 100, &cap))
            {
              self->has_cap[g] = TRUE;
              self->cap[g] = (int) cap;
            }
        }
    }

  if (decay != NULL)
    {
      JsonNode *node = get_member (check, decay, "decay", "half_life_days", TRUE);

      check_members (check, decay, "decay", decay_allowed);
      if (node != NULL)
        {
          GType type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_NONE;

          if (type != G_TYPE_INT64 && type != G_TYPE_DOUBLE)
            fault (check, "decay", "half_life_days", _("expected a number of days, not %s"),
                   node_kind (node));
          else if (json_node_get_double (node) <= 0 || json_node_get_double (node) > 3650)
            fault (check, "decay", "half_life_days", "%s",
                   _("must be more than 0 and at most 3650 days; remove “decay” for no decay"));
          else
            self->half_life_days = json_node_get_double (node);
        }
    }

  if (thresholds != NULL)
    {
      gint64 sal = 0;

      check_members (check, thresholds, "thresholds", thresholds_allowed);
      if (get_int (check, thresholds, "thresholds", "sal", TRUE, 1, MAX_ABS_POINTS * 100, &sal))
        self->sal_threshold = (int) sal;
    }
}

static void
compute_max_points (FlModel *self)
{
  for (guint g = 0; g < FL_N_GROUPS; g++)
    self->max_points[g] = 0;
  for (guint i = 0; i < self->questions->len; i++)
    {
      FlModelQuestion *question = g_ptr_array_index (self->questions, i);
      self->max_points[question->group] += question->max_points;
    }
  for (guint i = 0; i < self->rules->len; i++)
    {
      FlModelRule *rule = g_ptr_array_index (self->rules, i);
      if (!rule->disqualify && rule->points > 0)
        self->max_points[rule->group] += rule->points;
    }
  for (guint i = 0; i < self->interactions->len; i++)
    {
      FlModelInteraction *interaction = g_ptr_array_index (self->interactions, i);
      if (interaction->points > 0)
        self->max_points[FL_GROUP_INTEREST] += interaction->points * (int) interaction->max_count;
    }
  for (guint g = 0; g < FL_N_GROUPS; g++)
    if (self->has_cap[g])
      self->max_points[g] = MIN (self->max_points[g], self->cap[g]);
}

static void
parse_model (FlModel *self, Check *check, JsonObject *root)
{
  static const char *const allowed[] = { "name", "version", "description", "agreed_by", "consent",
                                         "questions", "rules", "interactions", "caps", "decay",
                                         "thresholds", "lists", "quick_notes", NULL };
  const char *name = NULL;
  JsonArray *agreed_by;
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  check_members (check, root, "", allowed);
  if (get_string (check, root, "", "name", TRUE, &name))
    self->name = g_strdup (name);
  get_int (check, root, "", "version", TRUE, 1, G_MAXINT32, &self->version);

  agreed_by = get_array (check, root, "", "agreed_by", TRUE);
  if (agreed_by != NULL && json_array_get_length (agreed_by) == 0)
    fault (check, "agreed_by", NULL, "%s",
           _("name at least one person or role from marketing and from sales"));
  for (guint i = 0; agreed_by != NULL && i < json_array_get_length (agreed_by); i++)
    {
      JsonNode *item = json_array_get_element (agreed_by, i);

      if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING ||
          json_node_get_string (item)[0] == '\0')
        {
          g_autofree char *path = g_strdup_printf ("agreed_by[%u]", i);
          fault (check, path, NULL, "%s", _("expected a name or role (a text that is not empty)"));
          continue;
        }
      g_strv_builder_add (names, json_node_get_string (item));
    }
  self->agreed_by = g_strv_builder_end (names);

  parse_consent (self, check, root);
  parse_lists (self, check, root);
  parse_questions (self, check, root);
  parse_rules (self, check, root);
  parse_interactions (self, check, root);
  parse_quick_notes (self, check, root);
  parse_settings (self, check, root);

  compute_max_points (self);
  if (self->sal_threshold > 0 && check->faults->len == 0 &&
      self->sal_threshold > self->max_points[FL_GROUP_FIT] + self->max_points[FL_GROUP_INTEREST])
    fault (check, "thresholds", "sal",
           _("the SAL threshold %d can never be reached: at most %d points are possible "
             "(fit %d, interest %d, after caps)"),
           self->sal_threshold, self->max_points[FL_GROUP_FIT] + self->max_points[FL_GROUP_INTEREST],
           self->max_points[FL_GROUP_FIT], self->max_points[FL_GROUP_INTEREST]);
}

static void
fl_model_finalize (GObject *object)
{
  FlModel *self = FL_MODEL (object);

  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_free (self->sha256);
  g_free (self->name);
  g_strfreev (self->agreed_by);
  g_free (self->consent_version);
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    g_free (self->consent_text[i]);
  g_clear_pointer (&self->question_index, g_hash_table_unref);
  g_clear_pointer (&self->questions, g_ptr_array_unref);
  g_clear_pointer (&self->rules, g_ptr_array_unref);
  g_clear_pointer (&self->interactions, g_ptr_array_unref);
  g_clear_pointer (&self->quick_notes, g_ptr_array_unref);
  g_clear_pointer (&self->lists, g_hash_table_unref);

  G_OBJECT_CLASS (fl_model_parent_class)->finalize (object);
}

static void
fl_model_class_init (FlModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_model_finalize;
}

static void
fl_model_init (FlModel *self)
{
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);
  self->question_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->rules = g_ptr_array_new_with_free_func ((GDestroyNotify) rule_free);
  self->interactions = g_ptr_array_new_with_free_func ((GDestroyNotify) interaction_free);
  self->quick_notes = g_ptr_array_new_with_free_func ((GDestroyNotify) quick_note_free);
  self->languages = (1u << FL_LANGUAGE_EN) | (1u << FL_LANGUAGE_DE);
  self->lists = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_hash_table_unref);
}

const char *
fl_group_to_string (FlGroup group)
{
  g_return_val_if_fail (group < FL_N_GROUPS, NULL);
  return group_names[group];
}

const char *
fl_language_to_string (FlLanguage language)
{
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);
  return language_codes[language];
}

/**
 * fl_language_from_string:
 * @name: (nullable): "de", "de_DE.UTF-8", "fr", "en"…
 *
 * Returns: the model language for a language or locale name; English for
 *   anything that is none of the model languages
 */
FlLanguage
fl_language_from_string (const char *name)
{
  if (name == NULL || name[0] == '\0' || name[1] == '\0')
    return FL_LANGUAGE_EN;
  if (name[2] != '\0' && name[2] != '_' && name[2] != '-' && name[2] != '.' && name[2] != '@')
    return FL_LANGUAGE_EN;
  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    if (g_ascii_strncasecmp (name, language_codes[i], 2) == 0)
      return i;
  return FL_LANGUAGE_EN;
}

/**
 * fl_language_get_native_name:
 *
 * Returns: the language's name as its speakers write it ("Français"), for
 *   a visitor looking for their own language on a button
 */
const char *
fl_language_get_native_name (FlLanguage language)
{
  static const char *const names[FL_N_LANGUAGES] = {
    "English", "Deutsch", "Français", "Italiano", "Español", "Nederlands", "Polski",
  };

  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);
  return names[language];
}

/**
 * fl_language_default:
 *
 * Returns: the language of the user interface (from the locale), in which
 *   score reasons are written: English or German, the staff languages
 */
FlLanguage
fl_language_default (void)
{
  const char *const *names = g_get_language_names ();

  for (guint i = 0; names[i] != NULL; i++)
    {
      if (strcmp (names[i], "C") == 0 || strcmp (names[i], "POSIX") == 0)
        continue;
      return fl_language_from_string (names[i]) == FL_LANGUAGE_DE ? FL_LANGUAGE_DE : FL_LANGUAGE_EN;
    }
  return FL_LANGUAGE_EN;
}

static void
set_single_fault (GPtrArray **faults, GError **error, const char *message)
{
  if (faults != NULL)
    {
      FlModelFault *item = g_new0 (FlModelFault, 1);

      item->path = g_strdup ("");
      item->message = g_strdup (message);
      *faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_model_fault_free);
      g_ptr_array_add (*faults, item);
    }
  g_set_error_literal (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID, message);
}

/**
 * fl_model_new_from_bytes:
 * @bytes: the model file as it was written; its sha256 identifies the model
 * @faults: (out) (optional) (element-type FlModelFault) (transfer full):
 *   every fault found, set whenever %NULL is returned for an invalid model
 *
 * Reads and validates a model. Every fault is collected; @error carries
 * the first one and how many more there are.
 *
 * Returns: (transfer full) (nullable): the model, %NULL when it is invalid
 */
FlModel *
fl_model_new_from_bytes (GBytes *bytes, GPtrArray **faults, GError **error)
{
  g_autoptr(FlModel) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) parse_error = NULL;
  Check check = { 0 };
  gsize size;
  const char *data;

  g_return_val_if_fail (bytes != NULL, NULL);

  if (faults != NULL)
    *faults = NULL;
  data = g_bytes_get_data (bytes, &size);
  if (size == 0)
    {
      set_single_fault (faults, error, _("The file is empty; a model is a JSON object"));
      return NULL;
    }
  if (size > FL_LIMIT_MODEL_FILE)
    {
      g_autofree char *message =
        g_strdup_printf (_("The model is %lu bytes; the limit is %d — a scoring model needs far "
                           "less, so this is not one"), (unsigned long) size, FL_LIMIT_MODEL_FILE);
      set_single_fault (faults, error, message);
      return NULL;
    }
  if (!g_utf8_validate (data, size, NULL))
    {
      set_single_fault (faults, error, _("The file is not UTF-8 text; save it as UTF-8"));
      return NULL;
    }
  if (!fl_json_check (data, size, FL_LIMIT_JSON_DEPTH, &parse_error))
    {
      set_single_fault (faults, error, parse_error->message);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, size, &parse_error))
    {
      g_autofree char *message = g_strdup_printf (_("Not valid JSON: %s"), parse_error->message);
      set_single_fault (faults, error, message);
      return NULL;
    }
  /* A file of white space parses to no root at all. */
  if (json_parser_get_root (parser) == NULL ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      set_single_fault (faults, error, _("A model must be a JSON object"));
      return NULL;
    }

  self = g_object_new (FL_TYPE_MODEL, NULL);
  self->bytes = g_bytes_ref (bytes);
  self->sha256 = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  check.faults = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_model_fault_free);
  parse_model (self, &check, json_node_get_object (json_parser_get_root (parser)));

  if (check.faults->len > 0)
    {
      g_autofree char *first = fl_model_fault_to_string (g_ptr_array_index (check.faults, 0));

      if (check.faults->len == 1)
        g_set_error_literal (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID, first);
      else
        g_set_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID,
                     g_dngettext (GETTEXT_PACKAGE, "%s (and %u more fault)",
                                  "%s (and %u more faults)", check.faults->len - 1),
                     first, check.faults->len - 1);
      if (faults != NULL)
        *faults = g_steal_pointer (&check.faults);
      else
        g_ptr_array_unref (check.faults);
      return NULL;
    }
  g_ptr_array_unref (check.faults);
  return g_steal_pointer (&self);
}

/**
 * fl_model_new_from_file:
 *
 * Like fl_model_new_from_bytes(), for a file. A file that cannot be read
 * is an error in the %G_FILE_ERROR domain, without @faults.
 */
FlModel *
fl_model_new_from_file (const char *path, GPtrArray **faults, GError **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(GByteArray) contents = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) local_error = NULL;
  char buffer[65536];

  g_return_val_if_fail (path != NULL, NULL);

  if (faults != NULL)
    *faults = NULL;
  file = g_file_new_for_path (path);
  input = g_file_read (file, NULL, &local_error);
  if (input == NULL)
    {
      /* The G_FILE_ERROR g_file_get_contents() gave, as callers expect. */
      g_set_error_literal (error, G_FILE_ERROR,
                           g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
                             ? G_FILE_ERROR_NOENT : G_FILE_ERROR_FAILED,
                           local_error->message);
      return NULL;
    }
  /* Read no more than one byte over the limit: a huge file is refused by
   * its size without being held in memory. */
  while (contents->len <= FL_LIMIT_MODEL_FILE)
    {
      gssize n = g_input_stream_read (G_INPUT_STREAM (input), buffer, sizeof buffer, NULL,
                                      &local_error);
      if (n < 0)
        {
          g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_IO, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      g_byte_array_append (contents, (const guint8 *) buffer, n);
    }
  if (contents->len > FL_LIMIT_MODEL_FILE)
    {
      g_autofree char *message = NULL;
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);
      goffset size = info ? g_file_info_get_size (info) : 0;

      if (size > FL_LIMIT_MODEL_FILE)
        message = g_strdup_printf (_("The model is %lu bytes; the limit is %d — a scoring model "
                                     "needs far less, so this is not one"),
                                   (unsigned long) size, FL_LIMIT_MODEL_FILE);
      else
        message = g_strdup_printf (_("The model is over the limit of %d bytes — a scoring model "
                                     "needs far less, so this is not one"), FL_LIMIT_MODEL_FILE);
      set_single_fault (faults, error, message);
      return NULL;
    }
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&contents));
  return fl_model_new_from_bytes (bytes, faults, error);
}

#define GETTER(type, name, member)                                                                 \
  type fl_model_get_##name (FlModel *self)                                                         \
  {                                                                                                \
    g_return_val_if_fail (FL_IS_MODEL (self), (type) 0);                                           \
    return self->member;                                                                           \
  }

GETTER (GBytes *, bytes, bytes)
GETTER (const char *, sha256, sha256)
GETTER (const char *, name, name)
GETTER (gint64, version, version)
GETTER (const char *, consent_version, consent_version)
GETTER (int, sal_threshold, sal_threshold)
GETTER (double, half_life_days, half_life_days)
GETTER (guint, n_questions, questions->len)
GETTER (guint, n_rules, rules->len)
GETTER (guint, n_interactions, interactions->len)

#undef GETTER

const char *const *
fl_model_get_agreed_by (FlModel *self)
{
  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  return (const char *const *) self->agreed_by;
}

const char *
fl_model_get_consent_text (FlModel *self, FlLanguage language)
{
  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);
  return self->consent_text[language];
}

guint
fl_model_get_n_required (FlModel *self)
{
  guint n = 0;

  g_return_val_if_fail (FL_IS_MODEL (self), 0);
  for (guint i = 0; i < self->questions->len; i++)
    n += ((FlModelQuestion *) g_ptr_array_index (self->questions, i))->required_for_sal;
  return n;
}

/**
 * fl_model_get_cap:
 * @cap: (out) (optional): the maximum points of @group
 *
 * Returns: whether @group has a cap
 */
gboolean
fl_model_get_cap (FlModel *self, FlGroup group, int *cap)
{
  g_return_val_if_fail (FL_IS_MODEL (self), FALSE);
  g_return_val_if_fail (group < FL_N_GROUPS, FALSE);

  if (cap != NULL)
    *cap = self->cap[group];
  return self->has_cap[group];
}

/**
 * fl_model_get_max_points:
 *
 * Returns: the most points a lead can reach in @group (after its cap)
 */
int
fl_model_get_max_points (FlModel *self, FlGroup group)
{
  g_return_val_if_fail (FL_IS_MODEL (self), 0);
  g_return_val_if_fail (group < FL_N_GROUPS, 0);
  return self->max_points[group];
}

int
fl_model_get_max_total (FlModel *self)
{
  g_return_val_if_fail (FL_IS_MODEL (self), 0);
  return self->max_points[FL_GROUP_FIT] + self->max_points[FL_GROUP_INTEREST];
}

/**
 * fl_model_to_reference:
 *
 * Returns: (transfer full): `{"name", "version", "sha256"}`, what a lead
 *   records of the model that scored it
 */
JsonNode *
fl_model_to_reference (FlModel *self)
{
  JsonObject *object;
  JsonNode *node;

  g_return_val_if_fail (FL_IS_MODEL (self), NULL);

  object = json_object_new ();
  json_object_set_string_member (object, "name", self->name);
  json_object_set_int_member (object, "version", self->version);
  json_object_set_string_member (object, "sha256", self->sha256);
  node = json_node_init_object (json_node_alloc (), object);
  json_object_unref (object);
  return node;
}

static const char *
describe_type (FlQuestionType type)
{
  switch (type)
    {
    case FL_QUESTION_SINGLE:
      return _("one choice");
    case FL_QUESTION_MULTI:
      return _("several choices");
    case FL_QUESTION_BOOLEAN:
      return _("yes or no");
    case FL_QUESTION_RATING:
      return _("rating 1–5");
    case FL_QUESTION_TEXT:
    default:
      return _("text");
    }
}

static const char *
describe_field_condition (FlModelRule *rule, char **owned)
{
  switch (rule->kind)
    {
    case FL_RULE_MATCHES:
      return *owned = g_strdup_printf (_("%s matches /%s/"), fl_field_to_string (rule->field),
                                       g_regex_get_pattern (rule->regex));
    case FL_RULE_IN_LIST:
      return *owned = g_strdup_printf (_("%s is in the list “%s”"),
                                       fl_field_to_string (rule->field), rule->list);
    case FL_RULE_IS_EMPTY:
    default:
      return *owned = g_strdup_printf (rule->empty ? _("%s is empty") : _("%s is not empty"),
                                       fl_field_to_string (rule->field));
    }
}

/**
 * fl_model_describe:
 *
 * Returns: the model as text a person reads: what counts, how much, and
 *   when a lead goes to sales; labels in @language
 */
char *
fl_model_describe (FlModel *self, FlLanguage language)
{
  GString *out = g_string_new (NULL);
  g_autofree char *agreed = NULL;

  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);

  /* Staff read the description, in English or German. */
  if (language >= FL_N_STAFF_LANGUAGES)
    language = FL_LANGUAGE_EN;
  agreed = g_strjoinv (", ", self->agreed_by);
  g_string_append_printf (out, _("Model “%s”, version %d\n"), self->name,
                          (int) self->version);
  g_string_append_printf (out, "  %-16s %s\n", _("sha256"), self->sha256);
  g_string_append_printf (out, "  %-16s %s\n", _("Agreed by"), agreed);
  g_string_append_printf (out, "  %-16s %s\n", _("Consent version"), self->consent_version);
  g_string_append_printf (out, "  %-16s ", _("SAL threshold"));
  g_string_append_printf (out, _("%d points and every required question answered\n"),
                          self->sal_threshold);
  g_string_append_printf (out, "  %-16s ", _("Maximum score"));
  g_string_append_printf (out, _("fit %d, interest %d, total %d\n"), self->max_points[FL_GROUP_FIT],
                          self->max_points[FL_GROUP_INTEREST], fl_model_get_max_total (self));
  for (guint g = 0; g < FL_N_GROUPS; g++)
    if (self->has_cap[g])
      {
        g_autofree char *label = g_strdup_printf (_("Cap %s"), group_names[g]);
        g_string_append_printf (out, "  %-16s %d\n", label, self->cap[g]);
      }
  g_string_append_printf (out, "  %-16s ", _("Decay"));
  if (self->half_life_days > 0)
    g_string_append_printf (out, _("interest points halve every %g days\n"), self->half_life_days);
  else
    g_string_append_printf (out, "%s\n", _("none"));

  g_string_append_printf (out, "\n%s\n", _("Questions:"));
  for (guint i = 0; i < self->questions->len; i++)
    {
      FlModelQuestion *question = g_ptr_array_index (self->questions, i);

      g_string_append_printf (out, "  %s — %s (%s, %s%s)\n", question->id,
                              question->label[language], describe_type (question->type),
                              group_names[question->group],
                              question->required_for_sal ? _(", required for SAL") : "");
      for (guint o = 0; o < question->options->len; o++)
        {
          FlModelOption *option = g_ptr_array_index (question->options, o);
          g_string_append_printf (out, "      %+5d  %s\n", option->points, option->label[language]);
        }
      if (question->type == FL_QUESTION_BOOLEAN)
        {
          g_string_append_printf (out, "      %+5d  %s\n", question->points_yes, _("yes"));
          g_string_append_printf (out, "      %+5d  %s\n", question->points_no, _("no"));
        }
      else if (question->type == FL_QUESTION_RATING)
        g_string_append_printf (out, "      %+5d  %s\n", question->points_per_star, _("per star"));
    }

  if (self->rules->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Rules on contact fields:"));
  for (guint i = 0; i < self->rules->len; i++)
    {
      FlModelRule *rule = g_ptr_array_index (self->rules, i);
      g_autofree char *condition = NULL;
      g_autofree char *effect = rule->disqualify ? g_strdup (_("disqualifies"))
                                                 : g_strdup_printf ("%+d %s", rule->points,
                                                                    group_names[rule->group]);

      describe_field_condition (rule, &condition);
      g_string_append_printf (out, "  %s — %s: %s (%s)\n", rule->id, rule->reason[language],
                              condition, effect);
    }

  if (self->interactions->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Interactions:"));
  for (guint i = 0; i < self->interactions->len; i++)
    {
      FlModelInteraction *interaction = g_ptr_array_index (self->interactions, i);

      g_string_append_printf (out, "  %+5d  %s — %s", interaction->points, interaction->kind,
                              interaction->label[language]);
      if (interaction->max_count > 1)
        g_string_append_printf (out, _(" (up to %u times)"), interaction->max_count);
      g_string_append_c (out, '\n');
    }

  if (self->quick_notes->len > 0)
    g_string_append_printf (out, "\n%s\n", _("Quick notes:"));
  for (guint i = 0; i < self->quick_notes->len; i++)
    {
      QuickNote *note = g_ptr_array_index (self->quick_notes, i);

      g_string_append_printf (out, "  %s — %s\n", note->id, note->label[language]);
    }

  g_string_append_printf (out, "\n%s\n", _("Consent text:"));
  g_string_append_printf (out, "  %s\n", self->consent_text[language]);

  return g_string_free (out, FALSE);
}

/* A label in @language, or in English where the model has none in it. */
static const char *
pick_label (char *const *labels, FlLanguage language)
{
  if (language < FL_N_LANGUAGES && labels[language] != NULL)
    return labels[language];
  return labels[FL_LANGUAGE_EN];
}

static FlModelQuestion *
nth_question (FlModel *self, guint question)
{
  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  g_return_val_if_fail (question < self->questions->len, NULL);
  return g_ptr_array_index (self->questions, question);
}

static FlModelOption *
nth_option (FlModel *self, guint question, guint option)
{
  FlModelQuestion *q = nth_question (self, question);

  g_return_val_if_fail (q != NULL, NULL);
  g_return_val_if_fail (q->options != NULL && option < q->options->len, NULL);
  return g_ptr_array_index (q->options, option);
}

/**
 * fl_model_get_question_id:
 * @question: the index of a question, below fl_model_get_n_questions()
 *
 * Returns: the id answers are stored under
 */
const char *
fl_model_get_question_id (FlModel *self, guint question)
{
  FlModelQuestion *q = nth_question (self, question);

  return q != NULL ? q->id : NULL;
}

FlQuestionType
fl_model_get_question_type (FlModel *self, guint question)
{
  FlModelQuestion *q = nth_question (self, question);

  return q != NULL ? q->type : FL_QUESTION_TEXT;
}

/**
 * fl_model_get_question_label:
 *
 * Returns: the question as the visitor reads it in @language, in English
 *   where the model has no text in @language
 */
const char *
fl_model_get_question_label (FlModel *self, guint question, FlLanguage language)
{
  FlModelQuestion *q = nth_question (self, question);

  return q != NULL ? pick_label (q->label, language) : NULL;
}

/* The options of a single or multiple choice question; 0 for the others. */
guint
fl_model_get_n_options (FlModel *self, guint question)
{
  FlModelQuestion *q = nth_question (self, question);

  return q != NULL && q->options != NULL ? q->options->len : 0;
}

const char *
fl_model_get_option_id (FlModel *self, guint question, guint option)
{
  FlModelOption *o = nth_option (self, question, option);

  return o != NULL ? o->id : NULL;
}

const char *
fl_model_get_option_label (FlModel *self, guint question, guint option, FlLanguage language)
{
  FlModelOption *o = nth_option (self, question, option);

  return o != NULL ? pick_label (o->label, language) : NULL;
}

/* Whether the model gives points for interactions of @kind. */
gboolean
fl_model_has_interaction (FlModel *self, const char *kind)
{
  g_return_val_if_fail (FL_IS_MODEL (self), FALSE);
  return _fl_model_find_interaction (self, kind) != NULL;
}

/**
 * fl_model_get_interaction_label:
 *
 * Returns: (nullable): the label of the interaction @kind in @language (in
 *   English where there is none in it), %NULL when the model has no such kind
 */
const char *
fl_model_get_interaction_label (FlModel *self, const char *kind, FlLanguage language)
{
  FlModelInteraction *interaction;

  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  interaction = _fl_model_find_interaction (self, kind);
  return interaction != NULL ? pick_label (interaction->label, language) : NULL;
}

GPtrArray *
_fl_model_get_questions (FlModel *self)
{
  return self->questions;
}

GPtrArray *
_fl_model_get_rules (FlModel *self)
{
  return self->rules;
}

FlModelQuestion *
_fl_model_find_question (FlModel *self, const char *id)
{
  return g_hash_table_lookup (self->question_index, id);
}

FlModelInteraction *
_fl_model_find_interaction (FlModel *self, const char *kind)
{
  /* A handful of kinds: a scan beats a hash table. */
  for (guint i = 0; i < self->interactions->len; i++)
    {
      FlModelInteraction *interaction = g_ptr_array_index (self->interactions, i);

      if (g_strcmp0 (interaction->kind, kind) == 0)
        return interaction;
    }
  return NULL;
}

/* A value is in a list when the whole of it is, or, for addresses and web
 * sites, its domain or any parent domain is: "jane@lab.rival.example"
 * and "https://www.rival.example/x" are both in ["rival.example"]. */
static gboolean
in_list (GHashTable *set, FlField field, const char *value)
{
  g_autofree char *folded = fold (value);
  const char *domain = NULL;
  g_autofree char *host = NULL;

  if (g_hash_table_contains (set, folded))
    return TRUE;
  if (field == FL_FIELD_EMAIL)
    {
      const char *at = strrchr (folded, '@');
      domain = at ? at + 1 : NULL;
    }
  else if (field == FL_FIELD_WEBSITE)
    {
      const char *start = strstr (folded, "://");
      char *end;

      host = g_strdup (start ? start + 3 : folded);
      end = host + strcspn (host, "/:?#");
      *end = '\0';
      domain = g_str_has_prefix (host, "www.") ? host + 4 : host;
    }
  while (domain != NULL && domain[0] != '\0')
    {
      const char *dot;

      if (g_hash_table_contains (set, domain))
        return TRUE;
      dot = strchr (domain, '.');
      if (dot == NULL || strchr (dot + 1, '.') == NULL)
        break;
      domain = dot + 1;
    }
  return FALSE;
}

/**
 * _fl_model_rule_matches:
 * @value: (nullable): the contact field's value
 */
gboolean
_fl_model_rule_matches (FlModelRule *rule, const char *value)
{
  gboolean empty = value == NULL || value[strspn (value, " \t\r\n")] == '\0';

  switch (rule->kind)
    {
    case FL_RULE_MATCHES:
      return !empty && g_regex_match (rule->regex, value, 0, NULL);
    case FL_RULE_IN_LIST:
      return !empty && in_list (rule->list_set, rule->field, value);
    case FL_RULE_IS_EMPTY:
    default:
      return empty == rule->empty;
    }
}

/**
 * fl_model_has_language:
 *
 * Returns: whether the visitor can read the model in @language: English
 *   and German always, another language when the consent text is written
 *   in it (validation then requires every question, option and quick note
 *   in it too)
 */
gboolean
fl_model_has_language (FlModel *self, FlLanguage language)
{
  g_return_val_if_fail (FL_IS_MODEL (self), FALSE);
  return language < FL_N_LANGUAGES && (self->languages & (1u << language)) != 0;
}

guint
fl_model_get_n_quick_notes (FlModel *self)
{
  g_return_val_if_fail (FL_IS_MODEL (self), 0);
  return self->quick_notes->len;
}

const char *
fl_model_get_quick_note_id (FlModel *self, guint quick_note)
{
  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  g_return_val_if_fail (quick_note < self->quick_notes->len, NULL);
  return ((QuickNote *) g_ptr_array_index (self->quick_notes, quick_note))->id;
}

/**
 * fl_model_get_quick_note_label:
 *
 * Returns: the quick note's label in @language, in English where the model
 *   has none in it
 */
const char *
fl_model_get_quick_note_label (FlModel *self, guint quick_note, FlLanguage language)
{
  g_return_val_if_fail (FL_IS_MODEL (self), NULL);
  g_return_val_if_fail (quick_note < self->quick_notes->len, NULL);
  return pick_label (((QuickNote *) g_ptr_array_index (self->quick_notes, quick_note))->label, language);
}

/**
 * fl_model_find_quick_note:
 *
 * Returns: the index of the quick note @id, or -1
 */
int
fl_model_find_quick_note (FlModel *self, const char *id)
{
  g_return_val_if_fail (FL_IS_MODEL (self), -1);
  for (guint i = 0; id != NULL && i < self->quick_notes->len; i++)
    {
      QuickNote *note = g_ptr_array_index (self->quick_notes, i);

      if (g_strcmp0 (note->id, id) == 0)
        return (int) i;
    }
  return -1;
}
