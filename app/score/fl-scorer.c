/* fl-scorer.c: a lead's score, status and the reasons for both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-scorer"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fl-model-private.h"
#include "fl-scorer.h"
#include "lead/fl-json.h"

/* The scorer is a pure function of the lead, the model and the time: the
 * same input gives the same score, status and breakdown on every kiosk.
 *
 * The reasons are written in the language of the model's labels (en or
 * de), not in the process locale, because they are stored with the lead
 * and read by whoever opens it later; so their few connecting words live
 * here beside the labels rather than in the gettext catalogue. */

typedef struct
{
  const char         *source;      /* "question", "rule", "interaction" */
  const char         *id;
  const char         *option;      /* the answer's option id, or NULL */
  FlGroup             group;
  int                 base;        /* as the model gives them */
  int                 decayed;     /* after decay */
  int                 points;      /* after decay, limits and caps: what counts */
  double              age_days;    /* of the activity the points decay from; < 0 for no decay */
  const char         *at;          /* interactions: when */
  const char         *label;       /* what, in the reason's language: "Timeframe" */
  const char         *detail;      /* the answer: "within 3 months", or NULL */
  int                 stars;       /* rating answers */
  JsonNode           *unknown;     /* an answer the model does not know */
  FlModelInteraction *interaction;
  gboolean            disqualify;
  gboolean            over_limit;
  gboolean            capped;
} Contribution;

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static gint64
days_from_civil (int y, int m, int d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static gboolean
read_digits (const char *text, guint n, int *out)
{
  int value = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      value = value * 10 + (text[i] - '0');
    }
  *out = value;
  return TRUE;
}

/* Microseconds since the epoch. The database writes one form,
 * 2026-06-23T10:05:00.125Z, read here directly because re-scoring reads
 * hundreds of thousands of them; any other ISO 8601 form goes through
 * GDateTime. */
static gboolean
parse_time (const char *text, gint64 *usec)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) parsed = NULL;
  int y, mo, d, h, mi, sec, frac = 0;
  const char *p;

  if (text == NULL)
    return FALSE;
  if (read_digits (text, 4, &y) && text[4] == '-' && read_digits (text + 5, 2, &mo) &&
      text[7] == '-' && read_digits (text + 8, 2, &d) && text[10] == 'T' &&
      read_digits (text + 11, 2, &h) && text[13] == ':' && read_digits (text + 14, 2, &mi) &&
      text[16] == ':' && read_digits (text + 17, 2, &sec) && mo >= 1 && mo <= 12 && d >= 1 &&
      d <= 31 && h < 24 && mi < 60 && sec < 61)
    {
      int scale = 100000;

      p = text + 19;
      if (*p == '.')
        for (p++; g_ascii_isdigit (*p); p++, scale /= 10)
          frac += (*p - '0') * scale;
      if (p[0] == 'Z' && p[1] == '\0')
        {
          *usec = ((days_from_civil (y, mo, d) * 86400 + h * 3600 + mi * 60 + sec) * G_USEC_PER_SEC) + frac;
          return TRUE;
        }
    }
  utc = g_time_zone_new_utc ();
  parsed = g_date_time_new_from_iso8601 (text, utc);
  if (parsed == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (parsed) * G_USEC_PER_SEC + g_date_time_get_microsecond (parsed);
  return TRUE;
}

static double
days_between (gint64 then, gint64 now)
{
  /* A clock that ran ahead puts activity in the future: no decay, no bonus. */
  return MAX ((double) (now - then) / G_TIME_SPAN_DAY, 0);
}

static int
decay (int points, double age_days, double half_life_days)
{
  if (half_life_days <= 0 || age_days <= 0 || points == 0)
    return points;
  return (int) lround (points * pow (0.5, age_days / half_life_days));
}

static gboolean
answer_is_given (JsonNode *answer)
{
  if (answer == NULL || JSON_NODE_HOLDS_NULL (answer))
    return FALSE;
  if (JSON_NODE_HOLDS_ARRAY (answer))
    return json_array_get_length (json_node_get_array (answer)) > 0;
  if (JSON_NODE_HOLDS_OBJECT (answer))
    return FALSE;
  if (json_node_get_value_type (answer) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (answer);
      return text[strspn (text, " \t\r\n")] != '\0';
    }
  return TRUE;
}

static FlModelOption *
find_option (FlModelQuestion *question, const char *id)
{
  if (id == NULL)
    return NULL;
  for (guint i = 0; i < question->options->len; i++)
    {
      FlModelOption *option = g_ptr_array_index (question->options, i);

      if (strcmp (option->id, id) == 0)
        return option;
    }
  return NULL;
}

static const char *
answer_text (JsonNode *node)
{
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return json_node_get_string (node);
  return NULL;
}

/* Whether a multiple choice already counted the option: a choice given
 * twice counts once. */
static gboolean
option_added (GArray *list, guint first, FlModelOption *option)
{
  for (guint i = first; i < list->len; i++)
    if (g_array_index (list, Contribution, i).option == option->id)
      return TRUE;
  return FALSE;
}

static Contribution *
add (GArray *list, const char *source, const char *id, FlGroup group, int base, const char *label,
     const char *detail)
{
  Contribution contribution = { 0 };

  contribution.source = source;
  contribution.id = id;
  contribution.group = group;
  contribution.base = base;
  contribution.decayed = base;
  contribution.age_days = -1;
  contribution.label = label;
  contribution.detail = detail;
  g_array_append_val (list, contribution);
  return &g_array_index (list, Contribution, list->len - 1);
}

static void
add_unknown_answer (GArray *list, FlModelQuestion *question, JsonNode *answer, FlLanguage language)
{
  add (list, "question", question->id, question->group, 0, question->label[language], NULL)
    ->unknown = answer;
}

static void
score_question (GArray *list, FlModelQuestion *question, JsonNode *answer, FlLanguage language)
{
  const char *label = question->label[language];

  switch (question->type)
    {
    case FL_QUESTION_SINGLE:
      {
        FlModelOption *option = find_option (question, answer_text (answer));

        if (option == NULL)
          add_unknown_answer (list, question, answer, language);
        else
          add (list, "question", question->id, question->group, option->points,
               label, option->label[language])->option = option->id;
      }
      break;

    case FL_QUESTION_MULTI:
      {
        guint first = list->len;
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (answer))
          {
            /* One choice given as a plain text still means that choice. */
            FlModelOption *option = find_option (question, answer_text (answer));

            if (option == NULL)
              add_unknown_answer (list, question, answer, language);
            else
              add (list, "question", question->id, question->group, option->points,
                   label, option->label[language])->option = option->id;
            break;
          }
        array = json_node_get_array (answer);
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);
            FlModelOption *option = find_option (question, answer_text (item));

            if (option == NULL)
              add_unknown_answer (list, question, item, language);
            else if (!option_added (list, first, option))
              add (list, "question", question->id, question->group, option->points,
                   label, option->label[language])->option = option->id;
          }
      }
      break;

    case FL_QUESTION_BOOLEAN:
      {
        const char *text = answer_text (answer);
        int value = -1;

        if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_BOOLEAN)
          value = json_node_get_boolean (answer);
        else if (text != NULL && (g_ascii_strcasecmp (text, "yes") == 0 ||
                                  g_ascii_strcasecmp (text, "true") == 0))
          value = 1;
        else if (text != NULL && (g_ascii_strcasecmp (text, "no") == 0 ||
                                  g_ascii_strcasecmp (text, "false") == 0))
          value = 0;
        if (value < 0)
          add_unknown_answer (list, question, answer, language);
        else
          add (list, "question", question->id, question->group,
               value ? question->points_yes : question->points_no, label,
               language == FL_LANGUAGE_DE ? (value ? "ja" : "nein") : (value ? "yes" : "no"))
            ->option = value ? "yes" : "no";
      }
      break;

    case FL_QUESTION_RATING:
      {
        gint64 stars = 0;

        if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_INT64)
          stars = json_node_get_int (answer);
        else if (JSON_NODE_HOLDS_VALUE (answer) && json_node_get_value_type (answer) == G_TYPE_DOUBLE &&
                 json_node_get_double (answer) == floor (json_node_get_double (answer)))
          stars = (gint64) json_node_get_double (answer);
        if (stars < 1 || stars > 5)
          add_unknown_answer (list, question, answer, language);
        else
          add (list, "question", question->id, question->group,
               (int) stars * question->points_per_star, label, NULL)->stars = (int) stars;
      }
      break;

    case FL_QUESTION_TEXT:
    default:
      /* Free text is for people; it scores nothing. */
      break;
    }
}

static char *
format_age (double age_days, FlLanguage language)
{
  int days = (int) floor (age_days);

  if (language == FL_LANGUAGE_DE)
    {
      if (days < 1)
        return g_strdup ("heute");
      return days == 1 ? g_strdup ("vor 1 Tag") : g_strdup_printf ("vor %d Tagen", days);
    }
  if (days < 1)
    return g_strdup ("today");
  return days == 1 ? g_strdup ("1 day ago") : g_strdup_printf ("%d days ago", days);
}

static const char *
group_label (FlGroup group, FlLanguage language)
{
  if (language == FL_LANGUAGE_DE)
    return group == FL_GROUP_FIT ? "Passung" : "Interesse";
  return group == FL_GROUP_FIT ? "fit" : "interest";
}

static char *
format_reason (const Contribution *c, FlModel *model, FlLanguage language)
{
  GString *reason = g_string_new (c->label);
  int cap = 0;

  if (c->unknown != NULL)
    {
      g_autofree char *text = JSON_NODE_HOLDS_VALUE (c->unknown) &&
                                  json_node_get_value_type (c->unknown) == G_TYPE_STRING
                                ? g_strdup (json_node_get_string (c->unknown))
                                : json_to_string (c->unknown, FALSE);

      g_string_append_printf (reason,
                              language == FL_LANGUAGE_DE ? ": unbekannte Antwort „%s“"
                                                         : ": unknown answer “%s”",
                              text);
    }
  else if (c->stars > 0)
    g_string_append_printf (reason, ": %d/5", c->stars);
  else if (c->detail != NULL)
    g_string_append_printf (reason, ": %s", c->detail);

  if (c->disqualify)
    {
      g_string_append (reason, language == FL_LANGUAGE_DE ? ": disqualifiziert" : ": disqualified");
      return g_string_free (reason, FALSE);
    }
  g_string_append_printf (reason, " %+d", c->base);
  if (c->decayed != c->base)
    {
      g_autofree char *age = format_age (c->age_days, language);
      g_string_append_printf (reason, " → %+d (%s)", c->decayed, age);
    }
  if (c->over_limit && c->interaction->max_count == 1)
    g_string_append (reason, language == FL_LANGUAGE_DE ? " → 0 (zählt nur einmal)" : " → 0 (counts once)");
  else if (c->over_limit)
    g_string_append_printf (reason,
                            language == FL_LANGUAGE_DE ? " → 0 (zählt höchstens %u-mal)"
                                                       : " → 0 (counts at most %u times)",
                            c->interaction->max_count);
  else if (c->capped)
    {
      fl_model_get_cap (model, c->group, &cap);
      g_string_append_printf (reason,
                              language == FL_LANGUAGE_DE ? " → %+d (Obergrenze %s %d)"
                                                         : " → %+d (%s cap %d)",
                              c->points, group_label (c->group, language), cap);
    }
  return g_string_free (reason, FALSE);
}

/* The breakdown is written as compact JSON text directly: re-scoring
 * writes it for every lead that changed, and building JSON nodes for it
 * cost more than scoring. */
static void
append_json_string (GString *out, const char *text)
{
  g_autofree char *valid = NULL;
  const char *run;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (run = text; *text != '\0'; text++)
    {
      guchar c = *text;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, text - run);
      run = text + 1;
      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default: g_string_append_printf (out, "\\u%04x", c); break;
        }
    }
  g_string_append_len (out, run, text - run);
  g_string_append_c (out, '"');
}

/* ,"key":"value" (without the comma for the first member of an object) */
static void
append_string_member (GString *out, const char *key, const char *value)
{
  if (out->str[out->len - 1] != '{')
    g_string_append_c (out, ',');
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append (out, "\":");
  append_json_string (out, value);
}

static void
append_int_member (GString *out, const char *key, int value)
{
  g_string_append_printf (out, ",\"%s\":%d", key, value);
}

static void
append_contribution (GString *out, const Contribution *c, FlModel *model, FlLanguage language)
{
  g_autofree char *reason = format_reason (c, model, language);

  g_string_append_c (out, '{');
  append_string_member (out, "source", c->source);
  append_string_member (out, "id", c->id);
  if (c->option != NULL)
    append_string_member (out, "option", c->option);
  if (c->at != NULL)
    append_string_member (out, "at", c->at);
  if (c->disqualify)
    g_string_append (out, ",\"disqualify\":true");
  else
    {
      append_string_member (out, "group", fl_group_to_string (c->group));
      append_int_member (out, "points_before", c->base);
      append_int_member (out, "points_decayed", c->decayed);
      append_int_member (out, "points", c->points);
    }
  append_string_member (out, "reason", reason);
  g_string_append_c (out, '}');
}

/* Among several interactions of one kind only the best max_count count:
 * the freshest, since all decay alike. */
static void
apply_limits (GArray *list)
{
  for (guint i = 0; i < list->len; i++)
    {
      Contribution *c = &g_array_index (list, Contribution, i);
      guint better = 0;

      if (c->interaction == NULL)
        continue;
      for (guint j = 0; j < list->len; j++)
        {
          Contribution *other = &g_array_index (list, Contribution, j);

          if (j == i || other->interaction != c->interaction)
            continue;
          if (other->decayed > c->decayed || (other->decayed == c->decayed && j < i))
            better++;
        }
      if (better >= c->interaction->max_count)
        {
          c->over_limit = TRUE;
          c->points = 0;
        }
    }
}

/* A cap takes the excess from the group's last positive contributions,
 * so the breakdown still adds up to the score. */
static void
apply_caps (GArray *list, FlModel *model)
{
  for (guint g = 0; g < FL_N_GROUPS; g++)
    {
      int cap, sum = 0, excess;

      if (!fl_model_get_cap (model, g, &cap))
        continue;
      for (guint i = 0; i < list->len; i++)
        {
          Contribution *c = &g_array_index (list, Contribution, i);
          if (c->group == g && !c->disqualify)
            sum += c->points;
        }
      excess = sum - cap;
      for (guint i = list->len; i > 0 && excess > 0; i--)
        {
          Contribution *c = &g_array_index (list, Contribution, i - 1);
          int cut;

          if (c->group != g || c->disqualify || c->points <= 0)
            continue;
          cut = MIN (excess, c->points);
          c->points -= cut;
          c->capped = TRUE;
          excess -= cut;
        }
    }
}

/* Takes the reason; writes nothing when there is no breakdown to add to. */
static void
append_status (GString *out, const char *source, const char *id, char *reason)
{
  if (out != NULL)
    {
      if (out->str[out->len - 1] != '[')
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      append_string_member (out, "source", source);
      append_string_member (out, "id", id);
      append_string_member (out, "reason", reason);
      g_string_append_c (out, '}');
    }
  g_free (reason);
}

void
fl_score_free (FlScore *score)
{
  if (score == NULL)
    return;
  g_clear_pointer (&score->breakdown, json_node_unref);
  g_free (score->breakdown_json);
  g_free (score);
}

static JsonNode *
find_answer (const FlScoreInput *input, const char *question_id)
{
  for (guint i = 0; i < input->n_answers; i++)
    if (strcmp (input->answers[i].question_id, question_id) == 0)
      return input->answers[i].value;
  return NULL;
}

/* @breakdown: (nullable): where to write the breakdown as JSON text */
static FlScore *
score_input (FlModel *model, const FlScoreInput *input, GDateTime *now_time, FlLanguage language,
             GString *breakdown)
{
  g_autoptr(GArray) list = g_array_new (FALSE, TRUE, sizeof (Contribution));
  g_autoptr(GPtrArray) missing = g_ptr_array_new ();
  GPtrArray *questions, *rules;
  gboolean explain = breakdown != NULL;
  FlScore *score;
  const char *disqualified_by = NULL;
  double half_life, activity_age = 0;
  gint64 now, last_activity = 0, at_usec;
  gboolean has_activity;
  FlStatus override;

  if (now_time != NULL)
    now = g_date_time_to_unix (now_time) * G_USEC_PER_SEC + g_date_time_get_microsecond (now_time);
  else
    now = g_get_real_time ();
  half_life = fl_model_get_half_life_days (model);
  questions = _fl_model_get_questions (model);
  rules = _fl_model_get_rules (model);

  /* Interest shown in answers is as fresh as the visitor's last contact. */
  has_activity = parse_time (input->created_at, &last_activity);
  for (guint i = 0; i < input->n_interactions; i++)
    {
      if (parse_time (input->interactions[i].at, &at_usec) &&
          (!has_activity || at_usec > last_activity))
        {
          last_activity = at_usec;
          has_activity = TRUE;
        }
    }
  if (has_activity)
    activity_age = days_between (last_activity, now);

  for (guint i = 0; i < questions->len; i++)
    {
      FlModelQuestion *question = g_ptr_array_index (questions, i);
      JsonNode *answer = find_answer (input, question->id);
      guint first = list->len;

      if (!answer_is_given (answer))
        {
          if (question->required_for_sal)
            g_ptr_array_add (missing, question->label[language]);
          continue;
        }
      score_question (list, question, answer, language);
      for (guint c = first; question->group == FL_GROUP_INTEREST && c < list->len; c++)
        g_array_index (list, Contribution, c).age_days = activity_age;
    }

  for (guint i = 0; i < rules->len; i++)
    {
      FlModelRule *rule = g_ptr_array_index (rules, i);
      Contribution *c;

      if (!_fl_model_rule_matches (rule, input->fields[rule->field]))
        continue;
      c = add (list, "rule", rule->id, rule->group, rule->disqualify ? 0 : rule->points,
               rule->reason[language], NULL);
      c->disqualify = rule->disqualify;
      if (rule->disqualify && disqualified_by == NULL)
        disqualified_by = rule->reason[language];
      if (!rule->disqualify && rule->group == FL_GROUP_INTEREST)
        c->age_days = activity_age;
    }

  for (guint i = 0; i < input->n_interactions; i++)
    {
      FlModelInteraction *interaction;
      const char *at;
      Contribution *c;

      interaction = _fl_model_find_interaction (model, input->interactions[i].kind);
      if (interaction == NULL)
        continue;
      at = input->interactions[i].at;
      c = add (list, "interaction", interaction->kind, FL_GROUP_INTEREST, interaction->points,
               interaction->label[language], NULL);
      c->interaction = interaction;
      c->at = at;
      c->age_days = parse_time (at, &at_usec) ? days_between (at_usec, now) : activity_age;
    }

  for (guint i = 0; i < list->len; i++)
    {
      Contribution *c = &g_array_index (list, Contribution, i);

      if (c->age_days >= 0)
        c->decayed = decay (c->base, c->age_days, half_life);
      c->points = c->decayed;
    }
  apply_limits (list);
  apply_caps (list, model);

  score = g_new0 (FlScore, 1);
  if (explain)
    g_string_append_c (breakdown, '[');
  for (guint i = 0; i < list->len; i++)
    {
      Contribution *c = &g_array_index (list, Contribution, i);

      score->score += c->points;
      if (explain)
        {
          if (i > 0)
            g_string_append_c (breakdown, ',');
          append_contribution (breakdown, c, model, language);
        }
    }

  if (disqualified_by != NULL)
    {
      score->computed_status = FL_STATUS_DISQUALIFIED;
      if (explain)
        append_status (breakdown, "status", "DISQUALIFIED",
                       g_strdup_printf ("Status DISQUALIFIED: %s", disqualified_by));
    }
  else if (score->score < fl_model_get_sal_threshold (model))
    {
      score->computed_status = FL_STATUS_MQL;
      if (explain)
        append_status (breakdown, "status", "MQL",
                       language == FL_LANGUAGE_DE
                         ? g_strdup_printf ("Status MQL: %d Punkte liegen unter der SAL-Schwelle %d",
                                            score->score, fl_model_get_sal_threshold (model))
                         : g_strdup_printf ("Status MQL: score %d is below the SAL threshold %d",
                                            score->score, fl_model_get_sal_threshold (model)));
    }
  else if (missing->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (missing, NULL);
      if (explain)
        names = g_strjoinv (", ", (char **) missing->pdata);
      score->computed_status = FL_STATUS_MQL;
      if (explain)
        append_status (breakdown, "status", "MQL",
                       language == FL_LANGUAGE_DE
                         ? g_strdup_printf ("Status MQL: %d Punkte erreichen die SAL-Schwelle %d, "
                                            "aber unbeantwortet: %s",
                                            score->score, fl_model_get_sal_threshold (model), names)
                         : g_strdup_printf ("Status MQL: score %d reaches the SAL threshold %d, "
                                            "but not answered: %s",
                                            score->score, fl_model_get_sal_threshold (model), names));
    }
  else
    {
      score->computed_status = FL_STATUS_SAL;
      if (explain)
        append_status (breakdown, "status", "SAL",
                       language == FL_LANGUAGE_DE
                         ? g_strdup_printf ("Status SAL: %d Punkte erreichen die SAL-Schwelle %d",
                                            score->score, fl_model_get_sal_threshold (model))
                         : g_strdup_printf ("Status SAL: score %d reaches the SAL threshold %d",
                                            score->score, fl_model_get_sal_threshold (model)));
    }

  score->status = score->computed_status;
  if (input->override_status != NULL && fl_status_from_string (input->override_status, &override))
    {
      const char *by = input->override_by ? input->override_by : "?";
      const char *why = input->override_reason ? input->override_reason : "";

      score->status = override;
      if (explain)
        append_status (breakdown, "override", input->override_status,
                       language == FL_LANGUAGE_DE
                         ? g_strdup_printf ("Status %s gesetzt von %s: %s (berechnet: %s)",
                                            input->override_status, by, why,
                                            fl_status_to_string (score->computed_status))
                         : g_strdup_printf ("Status %s set by %s: %s (computed: %s)",
                                            input->override_status, by, why,
                                            fl_status_to_string (score->computed_status)));
    }

  if (explain)
    g_string_append_c (breakdown, ']');
  return score;
}

/**
 * fl_scorer_score_input:
 * @now: (nullable): the time to score at; %NULL for now
 * @language: the language of the reasons
 *
 * Scores a lead: the points of its answers, of the rules on its contact
 * fields and of its interactions, interest points decayed by the model's
 * half-life, each group capped; then the status: DISQUALIFIED when a
 * disqualify rule matches, else SAL when the score reaches the SAL
 * threshold and every question required for SAL is answered, else MQL. A
 * manual override stands over the computed status.
 *
 * Returns: (transfer full): the score, with its breakdown
 */
FlScore *
fl_scorer_score_input (FlModel *model, const FlScoreInput *input, GDateTime *now,
                       FlLanguage language)
{
  g_autoptr(GError) error = NULL;
  GString *breakdown;
  FlScore *score;

  g_return_val_if_fail (FL_IS_MODEL (model), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);

  /* Reasons are for staff, who read English or German. */
  if (language >= FL_N_STAFF_LANGUAGES)
    language = FL_LANGUAGE_EN;
  breakdown = g_string_sized_new (2048);
  score = score_input (model, input, now, language, breakdown);
  score->breakdown = fl_json_parse (breakdown->str, breakdown->len, &error);
  if (score->breakdown == NULL)
    g_critical ("The scorer wrote a breakdown that is not JSON: %s", error->message);
  score->breakdown_json = g_string_free (breakdown, FALSE);
  return score;
}

/**
 * fl_scorer_score_input_json:
 * @now: (nullable): the time to score at; %NULL for now
 * @language: the language of the reasons
 *
 * Like fl_scorer_score_input(), with the breakdown only as JSON text
 * (breakdown_json; breakdown is %NULL), for bulk work that stores it.
 *
 * Returns: (transfer full): the score, with its breakdown as text
 */
FlScore *
fl_scorer_score_input_json (FlModel *model, const FlScoreInput *input, GDateTime *now,
                            FlLanguage language)
{
  GString *breakdown;
  FlScore *score;

  g_return_val_if_fail (FL_IS_MODEL (model), NULL);
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);

  /* Reasons are for staff, who read English or German. */
  if (language >= FL_N_STAFF_LANGUAGES)
    language = FL_LANGUAGE_EN;
  breakdown = g_string_sized_new (2048);
  score = score_input (model, input, now, language, breakdown);
  score->breakdown_json = g_string_free (breakdown, FALSE);
  return score;
}

/**
 * fl_scorer_score_input_brief:
 *
 * Like fl_scorer_score_input(), without the breakdown (%NULL), for bulk
 * work that only needs to know whether a lead changes.
 */
FlScore *
fl_scorer_score_input_brief (FlModel *model, const FlScoreInput *input, GDateTime *now)
{
  g_return_val_if_fail (FL_IS_MODEL (model), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  return score_input (model, input, now, FL_LANGUAGE_EN, NULL);
}

/* Fills @input with views into the lead; free answers and interactions
 * with g_free(). */
static void
lead_to_input (FlLead *lead, FlScoreInput *input)
{
  JsonNode *answers = fl_lead_get_answers (lead);
  JsonNode *interactions = fl_lead_get_interactions (lead);

  memset (input, 0, sizeof *input);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    input->fields[i] = fl_lead_get_field (lead, i);
  if (answers != NULL && JSON_NODE_HOLDS_OBJECT (answers))
    {
      JsonObject *object = json_node_get_object (answers);
      FlScoreAnswer *list = g_new0 (FlScoreAnswer, json_object_get_size (object));
      JsonObjectIter iter;
      const char *question_id;
      JsonNode *value;

      json_object_iter_init (&iter, object);
      while (json_object_iter_next (&iter, &question_id, &value))
        list[input->n_answers++] = (FlScoreAnswer) { question_id, value };
      input->answers = list;
    }
  if (interactions != NULL && JSON_NODE_HOLDS_ARRAY (interactions))
    {
      JsonArray *array = json_node_get_array (interactions);
      FlScoreInteraction *list = g_new0 (FlScoreInteraction, json_array_get_length (array));

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          JsonObject *object;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          object = json_node_get_object (node);
          list[input->n_interactions++] = (FlScoreInteraction) {
            json_object_get_string_member_with_default (object, "kind", NULL),
            json_object_get_string_member_with_default (object, "at", NULL),
          };
        }
      input->interactions = list;
    }
  input->created_at = fl_lead_get_created_at (lead);
  input->override_status = fl_lead_get_override_status (lead);
  input->override_by = fl_lead_get_override_by (lead);
  input->override_reason = fl_lead_get_override_reason (lead);
}

/**
 * fl_scorer_score:
 * @now: (nullable): the time to score at; %NULL for now
 *
 * fl_scorer_score_input() for a lead.
 */
FlScore *
fl_scorer_score (FlModel *model, FlLead *lead, GDateTime *now, FlLanguage language)
{
  FlScoreInput input;
  FlScore *score;

  g_return_val_if_fail (FL_IS_MODEL (model), NULL);
  g_return_val_if_fail (FL_IS_LEAD (lead), NULL);

  lead_to_input (lead, &input);
  score = fl_scorer_score_input (model, &input, now, language);
  g_free ((gpointer) input.answers);
  g_free ((gpointer) input.interactions);
  return score;
}

/**
 * fl_scorer_apply_score:
 *
 * Writes a score onto the lead: score, status (the override where there
 * is one), breakdown and the model's name, version and sha256.
 */
void
fl_scorer_apply_score (FlModel *model, FlLead *lead, const FlScore *score)
{
  g_autoptr(JsonNode) reference = NULL;

  g_return_if_fail (FL_IS_MODEL (model));
  g_return_if_fail (FL_IS_LEAD (lead));
  g_return_if_fail (score != NULL);

  reference = fl_model_to_reference (model);
  fl_lead_set_score (lead, score->score);
  fl_lead_set_status (lead, score->status);
  fl_lead_set_breakdown (lead, score->breakdown);
  fl_lead_set_model (lead, reference);
}

/**
 * fl_scorer_apply:
 * @now: (nullable): the time to score at; %NULL for now
 *
 * Scores the lead and writes the result onto it, the reasons in the
 * language of the user interface.
 */
void
fl_scorer_apply (FlModel *model, FlLead *lead, GDateTime *now)
{
  g_autoptr(FlScore) score = NULL;

  g_return_if_fail (FL_IS_MODEL (model));
  g_return_if_fail (FL_IS_LEAD (lead));

  score = fl_scorer_score (model, lead, now, fl_language_default ());
  fl_scorer_apply_score (model, lead, score);
}
