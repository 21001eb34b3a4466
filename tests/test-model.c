/* test-model.c: reading and validating scoring models
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "score/fl-model.h"

/* A small valid model; each case below breaks one thing in it. */
static const char base_model[] =
  "{"
  "  \"name\": \"Test model\", \"version\": 3,"
  "  \"agreed_by\": [\"Marketing\", \"Sales\"],"
  "  \"consent\": {\"version\": \"2026-1\", \"text\": {\"en\": \"I agree.\", \"de\": \"Ich stimme zu.\"}},"
  "  \"questions\": ["
  "    {\"id\": \"timeframe\", \"type\": \"single\", \"group\": \"fit\", \"required_for_sal\": true,"
  "     \"label\": {\"en\": \"Timeframe\", \"de\": \"Zeitrahmen\"},"
  "     \"options\": ["
  "       {\"id\": \"now\", \"label\": {\"en\": \"now\", \"de\": \"sofort\"}, \"points\": 25},"
  "       {\"id\": \"never\", \"label\": {\"en\": \"never\", \"de\": \"nie\"}, \"points\": -10}]},"
  "    {\"id\": \"interests\", \"type\": \"multi\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Interests\", \"de\": \"Interessen\"},"
  "     \"options\": ["
  "       {\"id\": \"a\", \"label\": {\"en\": \"A\", \"de\": \"A\"}, \"points\": 5},"
  "       {\"id\": \"b\", \"label\": {\"en\": \"B\", \"de\": \"B\"}, \"points\": 5}]},"
  "    {\"id\": \"demo\", \"type\": \"boolean\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Demo\", \"de\": \"Demo\"}, \"points_yes\": 8, \"points_no\": 0},"
  "    {\"id\": \"rating\", \"type\": \"rating\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Rating\", \"de\": \"Bewertung\"}, \"points_per_star\": 2},"
  "    {\"id\": \"notes\", \"type\": \"text\", \"group\": \"fit\","
  "     \"label\": {\"en\": \"Notes\", \"de\": \"Notizen\"}}"
  "  ],"
  "  \"rules\": ["
  "    {\"id\": \"student\", \"field\": \"title\", \"matches\": \"student\", \"disqualify\": true,"
  "     \"reason\": {\"en\": \"Student\", \"de\": \"Studierende\"}},"
  "    {\"id\": \"competitor\", \"field\": \"email\", \"in_list\": \"competitors\", \"disqualify\": true,"
  "     \"reason\": {\"en\": \"Competitor\", \"de\": \"Wettbewerber\"}},"
  "    {\"id\": \"senior\", \"field\": \"title\", \"matches\": \"^head\", \"points\": 10, \"group\": \"fit\","
  "     \"reason\": {\"en\": \"Senior\", \"de\": \"Leitend\"}},"
  "    {\"id\": \"nocompany\", \"field\": \"company\", \"is_empty\": true, \"points\": -5, \"group\": \"fit\","
  "     \"reason\": {\"en\": \"No company\", \"de\": \"Keine Firma\"}}"
  "  ],"
  "  \"interactions\": ["
  "    {\"kind\": \"badge-scan\", \"label\": {\"en\": \"Scan\", \"de\": \"Scan\"}, \"points\": 2},"
  "    {\"kind\": \"repeat-visit\", \"label\": {\"en\": \"Again\", \"de\": \"Wieder\"}, \"points\": 4, \"max_count\": 3}"
  "  ],"
  "  \"caps\": {\"fit\": 30, \"interest\": 20},"
  "  \"decay\": {\"half_life_days\": 10},"
  "  \"thresholds\": {\"sal\": 40},"
  "  \"lists\": {\"competitors\": [\"rival.example\"]}"
  "}";

/* Finds the node a path such as `questions[0].options[1].points` names,
 * creating nothing; returns the parent object and the member name. */
static JsonObject *
resolve (JsonNode *root, const char *path, char **member)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);
  JsonNode *node = root;
  guint n = g_strv_length (parts);

  for (guint i = 0; i + 1 < n; i++)
    {
      char *bracket = strchr (parts[i], '[');
      JsonObject *object = json_node_get_object (node);

      if (bracket != NULL)
        {
          guint index = (guint) g_ascii_strtoull (bracket + 1, NULL, 10);
          *bracket = '\0';
          node = json_array_get_element (json_object_get_array_member (object, parts[i]), index);
        }
      else
        node = json_object_get_member (object, parts[i]);
      g_assert_nonnull (node);
    }
  *member = g_strdup (parts[n - 1]);
  return json_node_get_object (node);
}

/* Sets (or with @value NULL removes) the member at @path, value as JSON. */
static void
set_path (JsonNode *root, const char *path, const char *value)
{
  g_autofree char *member = NULL;
  JsonObject *object = resolve (root, path, &member);

  if (value == NULL)
    json_object_remove_member (object, member);
  else
    json_object_set_member (object, member, json_from_string (value, NULL));
}

static FlModel *
model_from_text (const char *text, GPtrArray **faults, GError **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  return fl_model_new_from_bytes (bytes, faults, error);
}

/* Applies path/value pairs up to the first NULL path. */
static char *
mutated (const char *const *edits)
{
  g_autoptr(JsonNode) root = json_from_string (base_model, NULL);

  g_assert_nonnull (root);
  for (guint i = 0; edits[i] != NULL; i += 2)
    set_path (root, edits[i], edits[i + 1]);
  return json_to_string (root, TRUE);
}

static void
test_valid (void)
{
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = model_from_text (base_model, &faults, &error);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, base_model, -1);
  g_autoptr(JsonNode) reference = NULL;
  g_autofree char *description = NULL;
  int cap;

  g_assert_no_error (error);
  g_assert_null (faults);
  g_assert_nonnull (model);
  g_assert_cmpstr (fl_model_get_name (model), ==, "Test model");
  g_assert_cmpint (fl_model_get_version (model), ==, 3);
  g_assert_cmpstr (fl_model_get_sha256 (model), ==, sha);
  g_assert_cmpstr (fl_model_get_consent_version (model), ==, "2026-1");
  g_assert_cmpstr (fl_model_get_consent_text (model, FL_LANGUAGE_DE), ==, "Ich stimme zu.");
  g_assert_cmpuint (fl_model_get_n_questions (model), ==, 5);
  g_assert_cmpuint (fl_model_get_n_required (model), ==, 1);
  g_assert_cmpuint (fl_model_get_n_rules (model), ==, 4);
  g_assert_cmpuint (fl_model_get_n_interactions (model), ==, 2);
  g_assert_cmpint (fl_model_get_sal_threshold (model), ==, 40);
  g_assert_cmpfloat (fl_model_get_half_life_days (model), ==, 10);
  /* fit: 25 + 10 = 35, capped at 30; interest: 10 + 8 + 10 + 2 + 12 = 42, capped at 20 */
  g_assert_true (fl_model_get_cap (model, FL_GROUP_FIT, &cap));
  g_assert_cmpint (cap, ==, 30);
  g_assert_cmpint (fl_model_get_max_points (model, FL_GROUP_FIT), ==, 30);
  g_assert_cmpint (fl_model_get_max_points (model, FL_GROUP_INTEREST), ==, 20);
  g_assert_cmpint (fl_model_get_max_total (model), ==, 50);
  g_assert_cmpstrv (fl_model_get_agreed_by (model), ((const char *[]) { "Marketing", "Sales", NULL }));

  reference = fl_model_to_reference (model);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reference), "sha256"), ==, sha);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (reference), "version"), ==, 3);

  description = fl_model_describe (model, FL_LANGUAGE_DE);
  g_assert_nonnull (strstr (description, "Zeitrahmen"));
  g_assert_nonnull (strstr (description, "sofort"));
  g_assert_nonnull (strstr (description, "Ich stimme zu."));
}

static void
test_max_without_caps (void)
{
  const char *edits[] = { "caps", NULL, NULL };
  g_autofree char *text = mutated (edits);
  g_autoptr(FlModel) model = model_from_text (text, NULL, NULL);

  g_assert_nonnull (model);
  g_assert_false (fl_model_get_cap (model, FL_GROUP_FIT, NULL));
  g_assert_cmpint (fl_model_get_max_points (model, FL_GROUP_FIT), ==, 35);
  g_assert_cmpint (fl_model_get_max_points (model, FL_GROUP_INTEREST), ==, 42);
}

/* The opening of a quick_notes list with one note, for the cases below. */
#define QUICK_NOTE(id, en, de) \
  "[{\"id\": \"" id "\", \"label\": {\"en\": \"" en "\", \"de\": \"" de "\"}}"

typedef struct
{
  const char *name;
  const char *edits[7];   /* path, JSON value or NULL to remove; … */
  const char *path;       /* the fault's path */
  const char *message;    /* part of its message */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "points-string", { "questions[0].options[0].points", "\"ten\"" },
    "questions[0].options[0].points", "expected an integer" },
  { "points-decimal", { "questions[0].options[1].points", "2.5" },
    "questions[0].options[1].points", "expected an integer" },
  { "points-huge", { "questions[0].options[1].points", "250000" },
    "questions[0].options[1].points", "out of range" },
  { "version-string", { "version", "\"3\"" }, "version", "expected an integer" },
  { "version-zero", { "version", "0" }, "version", "out of range" },
  { "name-missing", { "name", NULL }, "name", "missing" },
  { "name-empty", { "name", "\" \"" }, "name", "must not be empty" },
  { "agreed-by-empty", { "agreed_by", "[]" }, "agreed_by", "at least one" },
  { "agreed-by-number", { "agreed_by", "[\"Sales\", 7]" }, "agreed_by[1]", "expected a name" },
  { "invalid-regex", { "rules[0].matches", "\"(unclosed\"" }, "rules[0].matches",
    "invalid regular expression" },
  { "unknown-list", { "rules[1].in_list", "\"partners\"" }, "rules[1].in_list", "unknown list “partners”" },
  { "duplicate-question", { "questions[1].id", "\"timeframe\"" }, "questions[1].id",
    "duplicate id “timeframe” (already used at questions[0].id)" },
  { "duplicate-option", { "questions[1].options[1].id", "\"a\"" }, "questions[1].options[1].id",
    "duplicate id “a”" },
  { "duplicate-rule", { "rules[2].id", "\"student\"" }, "rules[2].id", "duplicate id" },
  { "duplicate-interaction", { "interactions[1].kind", "\"badge-scan\"" }, "interactions[1].kind",
    "duplicate id" },
  { "bad-id", { "questions[2].id", "\"demo watched\"" }, "questions[2].id", "not a valid id" },
  { "missing-de-label", { "questions[0].label.de", NULL }, "questions[0].label.de",
    "missing the German (de) text" },
  { "missing-en-option-label", { "questions[1].options[0].label.en", NULL },
    "questions[1].options[0].label.en", "missing the English (en) text" },
  { "missing-de-reason", { "rules[2].reason.de", NULL }, "rules[2].reason.de", "German" },
  { "missing-de-interaction", { "interactions[0].label.de", NULL }, "interactions[0].label.de", "German" },
  { "missing-de-consent", { "consent.text.de", NULL }, "consent.text.de", "German" },
  { "empty-label", { "questions[3].label.en", "\"\"" }, "questions[3].label.en", "must not be empty" },
  { "label-language", { "questions[3].label.sv", "\"Betyg\"" }, "questions[3].label.sv", "unknown member" },
  /* A language the consent offers the visitor is required in every label
   * the visitor reads; staff labels may fall back to English. */
  { "visitor-language-question", { "consent.text.fr", "\"J’accepte.\"" }, "questions[0].label.fr",
    "missing the French (fr) text" },
  { "visitor-language-option", { "consent.text.pl", "\"Zgadzam się.\"" }, "questions[1].options[1].label.pl",
    "missing the Polish (pl) text" },
  { "quick-notes-not-list", { "quick_notes", "{}" }, "quick_notes", "expected a list" },
  { "quick-note-not-object", { "quick_notes", "[\"Send quote\"]" }, "quick_notes[0]", "expected an object" },
  { "quick-note-duplicate", { "quick_notes", QUICK_NOTE ("quote", "Send quote", "Angebot") ","
                                             "{\"id\": \"quote\", \"label\": {\"en\": \"Quote\", \"de\": \"Angebot\"}}]" },
    "quick_notes[1].id", "duplicate id “quote”" },
  { "quick-note-bad-id", { "quick_notes", "[{\"id\": \"send quote\", \"label\": {\"en\": \"a\", \"de\": \"b\"}}]" },
    "quick_notes[0].id", "not a valid id" },
  { "quick-note-missing-de", { "quick_notes", "[{\"id\": \"quote\", \"label\": {\"en\": \"Send quote\"}}]" },
    "quick_notes[0].label.de", "missing the German (de) text" },
  { "quick-note-missing-visitor-language", { "consent.text.es", "\"Acepto.\"", "quick_notes",
                                             QUICK_NOTE ("quote", "Send quote", "Angebot") "]" },
    "quick_notes[0].label.es", "missing the Spanish (es) text" },
  { "quick-note-long", { "quick_notes", QUICK_NOTE ("quote", "Send a quote with the three options we discussed", "Angebot") "]" },
    "quick_notes[0].label.en", "too long for a chip" },
  { "quick-note-line-break", { "quick_notes", QUICK_NOTE ("quote", "Send\\nquote", "Angebot") "]" },
    "quick_notes[0].label.en", "one line" },
  { "quick-note-unknown-member", { "quick_notes", "[{\"id\": \"q\", \"text\": \"x\", \"label\": {\"en\": \"a\", \"de\": \"b\"}}]" },
    "quick_notes[0].text", "unknown member" },
  { "unreachable-sal", { "thresholds.sal", "51" }, "thresholds.sal",
    "the SAL threshold 51 can never be reached: at most 50 points are possible (fit 30, interest 20" },
  { "unreachable-sal-by-cap", { "caps.interest", "5" , "thresholds.sal", "40" }, "thresholds.sal",
    "at most 35 points" },
  { "sal-missing", { "thresholds.sal", NULL }, "thresholds.sal", "missing" },
  { "unknown-type", { "questions[0].type", "\"dropdown\"" }, "questions[0].type",
    "unknown type “dropdown”" },
  { "unknown-group", { "questions[1].group", "\"budget\"" }, "questions[1].group", "unknown group" },
  { "unknown-field", { "rules[2].field", "\"shoe_size\"" }, "rules[2].field", "unknown contact field" },
  { "typo-member", { "questions[0].require_for_sal", "true" }, "questions[0].require_for_sal",
    "unknown member" },
  { "required-not-bool", { "questions[0].required_for_sal", "\"yes\"" },
    "questions[0].required_for_sal", "expected true or false" },
  { "points-on-text", { "questions[4].points_per_star", "2" }, "questions[4].points_per_star",
    "unknown member" },
  { "rating-without-points", { "questions[3].points_per_star", NULL }, "questions[3].points_per_star",
    "missing" },
  { "no-options", { "questions[0].options", "[]" }, "questions[0].options", "at least one option" },
  { "options-not-list", { "questions[0].options", "{}" }, "questions[0].options", "expected a list" },
  { "rule-points-and-disqualify", { "rules[2].disqualify", "true" }, "rules[2]", "not both" },
  { "rule-neither", { "rules[3].points", NULL }, "rules[3]", "either “points” or “disqualify”" },
  { "rule-two-conditions", { "rules[2].is_empty", "true" }, "rules[2]", "exactly one of" },
  { "rule-no-condition", { "rules[3].is_empty", NULL }, "rules[3]", "exactly one of" },
  { "rule-points-no-group", { "rules[2].group", NULL }, "rules[2].group", "missing" },
  { "disqualify-false", { "rules[0].disqualify", "false" }, "rules[0].disqualify", "must be true" },
  { "interaction-group", { "interactions[0].group", "\"fit\"" }, "interactions[0].group",
    "always count as interest" },
  { "interaction-max-count", { "interactions[1].max_count", "0" }, "interactions[1].max_count",
    "out of range" },
  { "caps-negative", { "caps.fit", "-1" }, "caps.fit", "out of range" },
  { "caps-unknown-group", { "caps.budget", "10" }, "caps.budget", "unknown member" },
  { "half-life-zero", { "decay.half_life_days", "0" }, "decay.half_life_days", "more than 0" },
  { "half-life-text", { "decay.half_life_days", "\"30\"" }, "decay.half_life_days", "expected a number" },
  { "list-entry", { "lists.competitors", "[\"a.example\", 3]" }, "lists.competitors[1]", "expected a text" },
  { "list-not-list", { "lists.competitors", "\"rival.example\"" }, "lists.competitors", "expected a list" },
  { "consent-version", { "consent.version", "[1]" }, "consent.version", "expected a text" },
  { "consent-missing", { "consent", NULL }, "consent", "missing" },
  { "question-not-object", { "questions", "[\"timeframe\"]" }, "questions[0]",
    "expected an object" },
  { "top-level-typo", { "threshold", "{}" }, "threshold", "unknown member" },
};

static void
test_fault (gconstpointer data)
{
  const FaultCase *c = data;
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = NULL;
  gboolean found = FALSE;
  text = mutated (c->edits);
  model = model_from_text (text, &faults, &error);
  g_assert_null (model);
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID);
  g_assert_nonnull (faults);
  g_assert_cmpuint (faults->len, >=, 1);
  for (guint i = 0; i < faults->len; i++)
    {
      FlModelFault *fault = g_ptr_array_index (faults, i);

      if (g_strcmp0 (fault->path, c->path) == 0 && strstr (fault->message, c->message) != NULL)
        found = TRUE;
    }
  if (!found)
    {
      for (guint i = 0; i < faults->len; i++)
        {
          g_autofree char *line = fl_model_fault_to_string (g_ptr_array_index (faults, i));
          g_test_message ("fault: %s", line);
        }
      g_test_fail_printf ("no fault “%s: …%s…”", c->path, c->message);
    }
}

static void
test_all_faults_reported (void)
{
  const char *edits[] = {
    "questions[0].options[0].points", "\"x\"",
    "rules[0].matches", "\"[a-\"",
    "questions[2].label.de", NULL,
    NULL,
  };
  g_autofree char *text = mutated (edits);
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = model_from_text (text, &faults, &error);
  g_autofree char *first = NULL;

  g_assert_null (model);
  g_assert_cmpuint (faults->len, ==, 3);
  first = fl_model_fault_to_string (g_ptr_array_index (faults, 0));
  g_assert_cmpstr (first, ==, "questions[0].options[0].points: expected an integer");
  g_assert_nonnull (strstr (error->message, first));
  g_assert_nonnull (strstr (error->message, "(and 2 more faults)"));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *message;
} FileCase;

static const FileCase file_cases[] = {
  { "empty", "", "empty" },
  { "syntax", "{\"name\": ", "Not valid JSON" },
  { "array", "[1, 2]", "must be a JSON object" },
  { "latin1", "{\"name\": \"M\xfc\"}", "not UTF-8" },
};

static void
test_bad_file (gconstpointer data)
{
  const FileCase *c = data;
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = model_from_text (c->text, &faults, &error);

  g_assert_null (model);
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, c->message));
  g_assert_cmpuint (faults->len, ==, 1);
  g_assert_cmpstr (((FlModelFault *) g_ptr_array_index (faults, 0))->path, ==, "");
}

static void
test_missing_file (void)
{
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_new_from_file ("/nonexistent/model.json", &faults, &error);

  g_assert_null (model);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_null (faults);
}

/* The demo model ships with the app: it must be valid, complete in both
 * languages, and its SAL threshold out of reach of interest alone. */
static void
test_demo_model (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", "scoring.json", NULL);
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_new_from_file (path, &faults, &error);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_cmpint (fl_model_get_sal_threshold (model), <=, fl_model_get_max_total (model));
  g_assert_cmpint (fl_model_get_max_points (model, FL_GROUP_INTEREST), <, fl_model_get_sal_threshold (model));
  g_assert_cmpuint (fl_model_get_n_required (model), >=, 3);
  g_assert_nonnull (fl_model_get_consent_text (model, FL_LANGUAGE_DE));

  /* The demo speaks to visitors in all seven languages, quick notes too. */
  for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
    {
      g_assert_true (fl_model_has_language (model, l));
      g_assert_nonnull (fl_model_get_consent_text (model, l));
      for (guint q = 0; q < fl_model_get_n_questions (model); q++)
        g_assert_nonnull (fl_model_get_question_label (model, q, l));
    }
  g_assert_cmpuint (fl_model_get_n_quick_notes (model), >=, 3);
  g_assert_cmpint (fl_model_find_quick_note (model, "send-quote"), >=, 0);
  g_assert_cmpstr (fl_model_get_quick_note_label (model, fl_model_find_quick_note (model, "send-quote"),
                                                  FL_LANGUAGE_FR), ==, "Envoyer un devis");
}

static void
test_quick_notes (void)
{
  static const char *const edits[] = {
    "consent.text.nl", "\"Ik ga akkoord.\"",
    "questions[0].label.nl", "\"Termijn\"",
    "questions[0].options[0].label.nl", "\"nu\"",
    "questions[0].options[1].label.nl", "\"nooit\"",
    "questions[1].label.nl", "\"Interesses\"",
    "questions[1].options[0].label.nl", "\"A\"",
    "questions[1].options[1].label.nl", "\"B\"",
    "questions[2].label.nl", "\"Demo\"",
    "questions[3].label.nl", "\"Beoordeling\"",
    "questions[4].label.nl", "\"Notities\"",
    "quick_notes", "[{\"id\": \"quote\", \"label\": {\"en\": \"Send quote\", \"de\": \"Angebot senden\","
                   " \"nl\": \"Offerte sturen\"}},"
                   " {\"id\": \"q3\", \"label\": {\"en\": \"Call in Q3\", \"de\": \"Im Q3 anrufen\","
                   " \"nl\": \"Bellen in Q3\"}}]",
    NULL,
  };
  g_autofree char *text = mutated (edits);
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = model_from_text (text, &faults, &error);
  g_autoptr(FlModel) plain = model_from_text (base_model, NULL, NULL);

  g_assert_no_error (error);
  g_assert_nonnull (model);
  g_assert_true (fl_model_has_language (model, FL_LANGUAGE_NL));
  g_assert_false (fl_model_has_language (model, FL_LANGUAGE_FR));
  g_assert_cmpuint (fl_model_get_n_quick_notes (model), ==, 2);
  g_assert_cmpstr (fl_model_get_quick_note_id (model, 1), ==, "q3");
  g_assert_cmpstr (fl_model_get_quick_note_label (model, 0, FL_LANGUAGE_NL), ==, "Offerte sturen");
  g_assert_cmpstr (fl_model_get_quick_note_label (model, 0, FL_LANGUAGE_DE), ==, "Angebot senden");
  /* A language the model does not have falls back to English. */
  g_assert_cmpstr (fl_model_get_quick_note_label (model, 1, FL_LANGUAGE_IT), ==, "Call in Q3");
  g_assert_cmpint (fl_model_find_quick_note (model, "q3"), ==, 1);
  g_assert_cmpint (fl_model_find_quick_note (model, "q4"), ==, -1);
  g_assert_null (fl_model_get_consent_text (model, FL_LANGUAGE_IT));

  /* quick_notes is optional; a model without is a model with none. */
  g_assert_nonnull (plain);
  g_assert_cmpuint (fl_model_get_n_quick_notes (plain), ==, 0);
  g_assert_true (fl_model_has_language (plain, FL_LANGUAGE_DE));
  g_assert_false (fl_model_has_language (plain, FL_LANGUAGE_PL));
}

/* What the kiosk's lead page reads to draw the questions. */
static void
test_accessors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = model_from_text (base_model, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (fl_model_get_n_questions (model), ==, 5);
  g_assert_cmpstr (fl_model_get_question_id (model, 0), ==, "timeframe");
  g_assert_cmpint (fl_model_get_question_type (model, 0), ==, FL_QUESTION_SINGLE);
  g_assert_cmpint (fl_model_get_question_type (model, 1), ==, FL_QUESTION_MULTI);
  g_assert_cmpint (fl_model_get_question_type (model, 2), ==, FL_QUESTION_BOOLEAN);
  g_assert_cmpint (fl_model_get_question_type (model, 3), ==, FL_QUESTION_RATING);
  g_assert_cmpint (fl_model_get_question_type (model, 4), ==, FL_QUESTION_TEXT);
  g_assert_cmpstr (fl_model_get_question_label (model, 0, FL_LANGUAGE_EN), ==, "Timeframe");
  g_assert_cmpstr (fl_model_get_question_label (model, 0, FL_LANGUAGE_DE), ==, "Zeitrahmen");
  g_assert_cmpuint (fl_model_get_n_options (model, 0), ==, 2);
  g_assert_cmpuint (fl_model_get_n_options (model, 2), ==, 0);
  g_assert_cmpstr (fl_model_get_option_id (model, 0, 1), ==, "never");
  g_assert_cmpstr (fl_model_get_option_label (model, 0, 1, FL_LANGUAGE_DE), ==, "nie");
  g_assert_true (fl_model_has_interaction (model, "repeat-visit"));
  g_assert_false (fl_model_has_interaction (model, "demo"));
  g_assert_cmpstr (fl_model_get_interaction_label (model, "repeat-visit", FL_LANGUAGE_DE), ==, "Wieder");
  g_assert_null (fl_model_get_interaction_label (model, "demo", FL_LANGUAGE_EN));
}

static void
test_language (void)
{
  g_assert_cmpint (fl_language_from_string ("de"), ==, FL_LANGUAGE_DE);
  g_assert_cmpint (fl_language_from_string ("de_AT.UTF-8"), ==, FL_LANGUAGE_DE);
  g_assert_cmpint (fl_language_from_string ("en_GB"), ==, FL_LANGUAGE_EN);
  g_assert_cmpint (fl_language_from_string ("dex"), ==, FL_LANGUAGE_EN);
  g_assert_cmpint (fl_language_from_string ("fr_CH.UTF-8"), ==, FL_LANGUAGE_FR);
  g_assert_cmpint (fl_language_from_string ("pl"), ==, FL_LANGUAGE_PL);
  g_assert_cmpint (fl_language_from_string ("nl-BE"), ==, FL_LANGUAGE_NL);
  g_assert_cmpint (fl_language_from_string ("sv"), ==, FL_LANGUAGE_EN);
  g_assert_cmpstr (fl_language_to_string (FL_LANGUAGE_IT), ==, "it");
  g_assert_cmpstr (fl_language_get_native_name (FL_LANGUAGE_ES), ==, "Español");
  g_assert_cmpint (fl_language_from_string (NULL), ==, FL_LANGUAGE_EN);
  g_assert_cmpstr (fl_language_to_string (FL_LANGUAGE_DE), ==, "de");
}

/* Found by fuzz-model: a lone surrogate escape in a member name decodes
 * to bytes that are not UTF-8; the fault that names it must still be text. */
static void
test_fault_not_utf8 (void)
{
  const char *json = "{\"name\": \"x\", \"version\": 1, \"\\ud800bad\": 1}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, strlen (json));
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_new_from_bytes (bytes, &faults, &error);

  g_assert_null (model);
  g_assert_nonnull (faults);
  for (guint i = 0; i < faults->len; i++)
    {
      g_autofree char *text = fl_model_fault_to_string (g_ptr_array_index (faults, i));
      g_assert_true (g_utf8_validate (text, -1, NULL));
    }
}

/* Found by fuzz-model: a file of white space parses to no JSON at all. */
static void
test_white_space (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static ("\n", 1);
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = fl_model_new_from_bytes (bytes, &faults, &error);

  g_assert_null (model);
  g_assert_nonnull (error);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/model/fault-not-utf8", test_fault_not_utf8);
  g_test_add_func ("/model/white-space", test_white_space);
  g_test_add_func ("/model/valid", test_valid);
  g_test_add_func ("/model/max-without-caps", test_max_without_caps);
  g_test_add_func ("/model/all-faults-reported", test_all_faults_reported);
  g_test_add_func ("/model/missing-file", test_missing_file);
  g_test_add_func ("/model/demo", test_demo_model);
  g_test_add_func ("/model/language", test_language);
  g_test_add_func ("/model/quick-notes", test_quick_notes);
  g_test_add_func ("/model/accessors", test_accessors);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/model/fault/%s", fault_cases[i].name);
      g_test_add_data_func (name, &fault_cases[i], test_fault);
    }
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/model/file/%s", file_cases[i].name);
      g_test_add_data_func (name, &file_cases[i], test_bad_file);
    }

  return g_test_run ();
}
