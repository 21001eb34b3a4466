/* test-scorer.c: scores, statuses and their reasons
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "score/fl-scorer.h"

/* fit: timeframe 25/5/-10, senior +10, partner site +7, no company -5,
 *      capped at 30 (35 + 7 possible);
 * interest: interests 5/5/-2, demo 8/-3, rating 2 per star, interactions
 *      badge-scan 2, demo 10, repeat-visit 4 (3 times), capped at 30;
 * decay: half-life 10 days; SAL at 40 with timeframe and notes answered. */
static const char model_text[] =
  "{"
  "  \"name\": \"Scorer test\", \"version\": 1,"
  "  \"agreed_by\": [\"Marketing\", \"Sales\"],"
  "  \"consent\": {\"version\": 1, \"text\": {\"en\": \"Yes.\", \"de\": \"Ja.\"}},"
  "  \"questions\": ["
  "    {\"id\": \"timeframe\", \"type\": \"single\", \"group\": \"fit\", \"required_for_sal\": true,"
  "     \"label\": {\"en\": \"Timeframe\", \"de\": \"Zeitrahmen\"},"
  "     \"options\": ["
  "       {\"id\": \"now\", \"label\": {\"en\": \"now\", \"de\": \"sofort\"}, \"points\": 25},"
  "       {\"id\": \"later\", \"label\": {\"en\": \"later\", \"de\": \"später\"}, \"points\": 5},"
  "       {\"id\": \"never\", \"label\": {\"en\": \"never\", \"de\": \"nie\"}, \"points\": -10}]},"
  "    {\"id\": \"interests\", \"type\": \"multi\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Interests\", \"de\": \"Interessen\"},"
  "     \"options\": ["
  "       {\"id\": \"a\", \"label\": {\"en\": \"A\", \"de\": \"A\"}, \"points\": 5},"
  "       {\"id\": \"b\", \"label\": {\"en\": \"B\", \"de\": \"B\"}, \"points\": 5},"
  "       {\"id\": \"c\", \"label\": {\"en\": \"C\", \"de\": \"C\"}, \"points\": -2}]},"
  "    {\"id\": \"demo\", \"type\": \"boolean\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Demo\", \"de\": \"Demo\"}, \"points_yes\": 8, \"points_no\": -3},"
  "    {\"id\": \"rating\", \"type\": \"rating\", \"group\": \"interest\","
  "     \"label\": {\"en\": \"Rating\", \"de\": \"Bewertung\"}, \"points_per_star\": 2},"
  "    {\"id\": \"notes\", \"type\": \"text\", \"group\": \"fit\", \"required_for_sal\": true,"
  "     \"label\": {\"en\": \"Notes\", \"de\": \"Notizen\"}}"
  "  ],"
  "  \"rules\": ["
  "    {\"id\": \"competitor\", \"field\": \"email\", \"in_list\": \"competitors\", \"disqualify\": true,"
  "     \"reason\": {\"en\": \"Competitor\", \"de\": \"Wettbewerber\"}},"
  "    {\"id\": \"student\", \"field\": \"title\", \"matches\": \"\\\\bstudent\\\\b\", \"disqualify\": true,"
  "     \"reason\": {\"en\": \"Student\", \"de\": \"Studierende\"}},"
  "    {\"id\": \"senior\", \"field\": \"title\", \"matches\": \"^(head|chief)\", \"points\": 10,"
  "     \"group\": \"fit\", \"reason\": {\"en\": \"Senior title\", \"de\": \"Leitende Position\"}},"
  "    {\"id\": \"partner\", \"field\": \"website\", \"in_list\": \"partners\", \"points\": 7,"
  "     \"group\": \"fit\", \"reason\": {\"en\": \"Partner\", \"de\": \"Partner\"}},"
  "    {\"id\": \"nocompany\", \"field\": \"company\", \"is_empty\": true, \"points\": -5,"
  "     \"group\": \"fit\", \"reason\": {\"en\": \"No company\", \"de\": \"Keine Firma\"}}"
  "  ],"
  "  \"interactions\": ["
  "    {\"kind\": \"badge-scan\", \"label\": {\"en\": \"Scan\", \"de\": \"Scan\"}, \"points\": 2},"
  "    {\"kind\": \"demo\", \"label\": {\"en\": \"Live demo\", \"de\": \"Live-Demo\"}, \"points\": 10},"
  "    {\"kind\": \"repeat-visit\", \"label\": {\"en\": \"Came back\", \"de\": \"Wieder da\"},"
  "     \"points\": 4, \"max_count\": 3}"
  "  ],"
  "  \"caps\": {\"fit\": 30, \"interest\": 30},"
  "  \"decay\": {\"half_life_days\": 10},"
  "  \"thresholds\": {\"sal\": 40},"
  "  \"lists\": {\"competitors\": [\"Rival.example\"], \"partners\": [\"partner.example\"]}"
  "}";

#define NOW "2026-06-25T12:00:00Z"

typedef struct
{
  const char *name;
  const char *title;
  const char *email;
  const char *company;      /* "" for none; NULL for "Acme GmbH" */
  const char *website;
  const char *answers;      /* JSON object or NULL */
  const char *interactions; /* "kind@days-ago,kind@days-ago" */
  int         created_days_ago;
  const char *override;     /* status, or NULL */
  FlLanguage  language;
  int         score;
  FlStatus    status;
  FlStatus    computed;
  const char *reason;       /* part of one reason in the breakdown, or NULL */
} ScoreCase;

static const ScoreCase cases[] = {
  /* One kind of contribution at a time. */
  { "nothing", .score = 0, .status = FL_STATUS_MQL, .computed = FL_STATUS_MQL,
    .reason = "Status MQL: score 0 is below the SAL threshold 40" },
  { "single", .answers = "{\"timeframe\": \"now\"}", .score = 25,
    .reason = "Timeframe: now +25" },
  { "single-negative", .answers = "{\"timeframe\": \"never\"}", .score = -10,
    .reason = "Timeframe: never -10" },
  { "single-unknown-answer", .answers = "{\"timeframe\": \"soon\"}", .score = 0,
    .reason = "Timeframe: unknown answer “soon” +0" },
  { "multi", .answers = "{\"interests\": [\"a\", \"b\", \"c\"]}", .score = 8,
    .reason = "Interests: C -2" },
  { "multi-duplicates", .answers = "{\"interests\": [\"a\", \"a\"]}", .score = 5 },
  { "multi-as-text", .answers = "{\"interests\": \"b\"}", .score = 5 },
  { "boolean-yes", .answers = "{\"demo\": true}", .score = 8, .reason = "Demo: yes +8" },
  { "boolean-no", .answers = "{\"demo\": false}", .score = -3 },
  { "boolean-text", .answers = "{\"demo\": \"yes\"}", .score = 8 },
  { "rating", .answers = "{\"rating\": 4}", .score = 8, .reason = "Rating: 4/5 +8" },
  { "rating-out-of-range", .answers = "{\"rating\": 7}", .score = 0, .reason = "unknown answer" },
  { "text-scores-nothing", .answers = "{\"notes\": \"wants 3 cells\"}", .score = 0 },
  { "unknown-question-ignored", .answers = "{\"shoe_size\": 44}", .score = 0 },
  { "rule-matches", .title = "Head of Production", .score = 10, .reason = "Senior title +10" },
  { "rule-matches-caseless", .title = "CHIEF ENGINEER", .score = 10 },
  { "rule-matches-not", .title = "Engineer, head office", .score = 0 },
  { "rule-in-list-website", .website = "https://www.partner.example/about", .score = 7 },
  { "rule-in-list-subdomain", .website = "shop.partner.example", .score = 7 },
  { "rule-in-list-not", .website = "https://partner.example.org", .score = 0 },
  { "rule-is-empty", .company = "", .score = -5, .reason = "No company -5" },
  { "rule-is-empty-blank", .company = "   ", .score = -5 },
  { "disqualify-in-list", .email = "jo@LAB.rival.example", .answers = "{\"timeframe\": \"now\"}",
    .score = 25, .status = FL_STATUS_DISQUALIFIED, .computed = FL_STATUS_DISQUALIFIED,
    .reason = "Competitor: disqualified" },
  { "disqualify-matches", .title = "Working student", .score = 0,
    .status = FL_STATUS_DISQUALIFIED, .computed = FL_STATUS_DISQUALIFIED,
    .reason = "Status DISQUALIFIED: Student" },
  { "disqualify-beats-sal", .title = "Head student", .answers = "{\"timeframe\": \"now\", \"notes\": \"x\", \"demo\": true}",
    .interactions = "demo@0", .score = 30 + 18, .status = FL_STATUS_DISQUALIFIED,
    .computed = FL_STATUS_DISQUALIFIED },

  /* Interactions, their limits, and decay at several ages. */
  { "interaction", .interactions = "badge-scan@0", .score = 2, .reason = "Scan +2" },
  { "interaction-unknown-kind", .interactions = "fax@0", .score = 0 },
  { "interaction-once", .interactions = "badge-scan@0,badge-scan@0", .score = 2,
    .reason = "Scan +2 → 0 (counts once)" },
  { "interaction-max-count", .interactions = "repeat-visit@0,repeat-visit@0,repeat-visit@0,repeat-visit@0",
    .score = 12 },
  { "interaction-max-count-freshest", .interactions = "repeat-visit@20,repeat-visit@0,repeat-visit@0,repeat-visit@0",
    .score = 12, .reason = "Came back +4 → +1 (20 days ago) → 0" },
  { "decay-half-life", .interactions = "demo@10", .score = 5,
    .reason = "Live demo +10 → +5 (10 days ago)" },
  { "decay-two-half-lives", .interactions = "demo@20", .score = 3 },   /* 2.5 rounds up */
  { "decay-three-half-lives", .interactions = "demo@30", .score = 1 }, /* 1.25 */
  { "decay-five-days", .interactions = "demo@5", .score = 7 },         /* 7.07 */
  { "decay-old", .interactions = "demo@100", .score = 0 },
  { "decay-future-time", .interactions = "demo@-3", .score = 10 },
  { "decay-interest-answers", .answers = "{\"demo\": true, \"timeframe\": \"now\"}",
    .created_days_ago = 10, .score = 4 + 25, .reason = "Demo: yes +8 → +4 (10 days ago)" },
  { "decay-from-last-contact", .answers = "{\"demo\": true}", .created_days_ago = 20,
    .interactions = "badge-scan@0", .score = 8 + 2 },
  { "fit-never-decays", .answers = "{\"timeframe\": \"now\"}", .title = "Head of IT",
    .created_days_ago = 365, .score = 30 },

  /* Caps take the excess from the last contributions. */
  { "cap-fit", .answers = "{\"timeframe\": \"now\"}", .title = "Head of IT",
    .website = "partner.example", .score = 30, .reason = "Partner +7 → +0 (fit cap 30)" },
  { "cap-interest", .answers = "{\"interests\": [\"a\", \"b\"], \"demo\": true, \"rating\": 5}",
    .interactions = "demo@0,badge-scan@0", .score = 30, .reason = "Scan +2 → +0 (interest cap 30)" },
  { "cap-with-negative", .answers = "{\"interests\": [\"a\", \"b\", \"c\"], \"demo\": true, \"rating\": 5}",
    .interactions = "demo@0,badge-scan@0", .score = 30 },

  /* The status rule. */
  { "sal", .answers = "{\"timeframe\": \"now\", \"notes\": \"3 cells\", \"demo\": true}",
    .interactions = "demo@0", .score = 43, .status = FL_STATUS_SAL, .computed = FL_STATUS_SAL,
    .reason = "Status SAL: score 43 reaches the SAL threshold 40" },
  { "sal-at-threshold", .answers = "{\"timeframe\": \"now\", \"notes\": \"x\", \"rating\": 5, \"interests\": [\"a\"]}",
    .score = 40,
    .status = FL_STATUS_SAL, .computed = FL_STATUS_SAL },
  { "sal-one-below", .answers = "{\"timeframe\": \"now\", \"notes\": \"x\", \"rating\": 5}",
    .interactions = "repeat-visit@0", .score = 39 },
  { "sal-required-missing", .answers = "{\"timeframe\": \"now\", \"demo\": true}",
    .interactions = "demo@0", .score = 43,
    .reason = "Status MQL: score 43 reaches the SAL threshold 40, but not answered: Notes" },
  { "sal-required-blank", .answers = "{\"timeframe\": \"now\", \"demo\": true, \"notes\": \"  \"}",
    .interactions = "demo@0", .score = 43, .reason = "not answered: Notes" },
  { "sal-required-both-missing", .answers = "{\"demo\": true, \"rating\": 5}", .title = "Head",
    .website = "partner.example", .interactions = "demo@0,repeat-visit@0", .score = 17 + 30,
    .reason = "not answered: Timeframe, Notes" },

  /* A manual status stands over the computed one. */
  { "override-up", .answers = "{\"timeframe\": \"later\"}", .override = "SAL", .score = 5,
    .status = FL_STATUS_SAL, .computed = FL_STATUS_MQL,
    .reason = "Status SAL set by Petra: met at dinner (computed: MQL)" },
  { "override-down", .answers = "{\"timeframe\": \"now\", \"notes\": \"x\", \"demo\": true}",
    .interactions = "demo@0", .override = "MQL", .score = 43, .status = FL_STATUS_MQL,
    .computed = FL_STATUS_SAL },
  { "override-disqualified", .title = "Student", .override = "MQL", .score = 0,
    .status = FL_STATUS_MQL, .computed = FL_STATUS_DISQUALIFIED },

  /* Reasons in the model's other language. */
  { "german", .answers = "{\"timeframe\": \"later\", \"demo\": true}", .created_days_ago = 10,
    .language = FL_LANGUAGE_DE, .score = 9, .reason = "Demo: ja +8 → +4 (vor 10 Tagen)" },
  { "german-status", .answers = "{\"timeframe\": \"later\"}", .language = FL_LANGUAGE_DE,
    .score = 5, .reason = "Status MQL: 5 Punkte liegen unter der SAL-Schwelle 40" },
  { "german-cap", .answers = "{\"timeframe\": \"now\"}", .title = "Head of IT",
    .website = "partner.example", .language = FL_LANGUAGE_DE, .score = 30,
    .reason = "Partner +7 → +0 (Obergrenze Passung 30)" },
};

static FlModel *
test_model (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (model_text, sizeof model_text - 1);
  g_autoptr(GError) error = NULL;
  FlModel *model = fl_model_new_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return model;
}

static char *
days_ago (GDateTime *now, int days)
{
  g_autoptr(GDateTime) then = g_date_time_add_days (now, -days);
  return g_date_time_format_iso8601 (then);
}

static FlLead *
make_lead (const ScoreCase *c, GDateTime *now)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autofree char *created = days_ago (now, c->created_days_ago);

  fl_lead_set_created_at (lead, created);
  fl_lead_set_field (lead, FL_FIELD_TITLE, c->title);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, c->email);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, c->company ? c->company : "Acme GmbH");
  fl_lead_set_field (lead, FL_FIELD_WEBSITE, c->website);
  if (c->answers != NULL)
    {
      g_autoptr(JsonNode) answers = json_from_string (c->answers, NULL);
      g_assert_nonnull (answers);
      fl_lead_set_answers (lead, answers);
    }
  if (c->interactions != NULL)
    {
      g_auto(GStrv) items = g_strsplit (c->interactions, ",", -1);

      for (guint i = 0; items[i] != NULL; i++)
        {
          g_auto(GStrv) parts = g_strsplit (items[i], "@", 2);
          g_autofree char *at = NULL;

          if (parts[0] == NULL || parts[0][0] == '\0')
            continue;
          at = days_ago (now, atoi (parts[1]));
          fl_lead_add_interaction (lead, parts[0], at);
        }
    }
  if (c->override != NULL)
    fl_lead_set_override (lead, c->override, "Petra", "met at dinner");
  return g_steal_pointer (&lead);
}

static void
test_score (gconstpointer data)
{
  const ScoreCase *c = data;
  g_autoptr(FlModel) model = test_model ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (NOW, NULL);
  g_autoptr(FlLead) lead = make_lead (c, now);
  g_autoptr(FlScore) score = fl_scorer_score (model, lead, now, c->language);
  JsonArray *breakdown = json_node_get_array (score->breakdown);
  gboolean found = c->reason == NULL;
  int sum = 0;

  g_assert_cmpint (score->score, ==, c->score);
  g_assert_cmpint (score->status, ==, c->status);
  g_assert_cmpint (score->computed_status, ==, c->computed);

  /* The breakdown explains the score exactly, one reason per entry. */
  for (guint i = 0; i < json_array_get_length (breakdown); i++)
    {
      JsonObject *item = json_array_get_object_element (breakdown, i);
      const char *reason = json_object_get_string_member (item, "reason");

      g_test_message ("%s", reason);
      g_assert_nonnull (json_object_get_string_member (item, "source"));
      g_assert_nonnull (json_object_get_string_member (item, "id"));
      g_assert_nonnull (reason);
      g_assert_null (strchr (reason, '\n'));
      sum += (int) json_object_get_int_member_with_default (item, "points", 0);
      if (c->reason != NULL && strstr (reason, c->reason) != NULL)
        found = TRUE;
    }
  g_assert_cmpint (sum, ==, score->score);
  if (!found)
    g_test_fail_printf ("no reason contains “%s”", c->reason);
}

static void
test_breakdown_fields (void)
{
  g_autoptr(FlModel) model = test_model ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (NOW, NULL);
  ScoreCase c = { .answers = "{\"timeframe\": \"now\"}", .interactions = "demo@10" };
  g_autoptr(FlLead) lead = make_lead (&c, now);
  g_autoptr(FlScore) score = fl_scorer_score (model, lead, now, FL_LANGUAGE_EN);
  JsonArray *breakdown = json_node_get_array (score->breakdown);
  JsonObject *question = json_array_get_object_element (breakdown, 0);
  JsonObject *interaction = json_array_get_object_element (breakdown, 1);
  JsonObject *status = json_array_get_object_element (breakdown, 2);

  g_assert_cmpuint (json_array_get_length (breakdown), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (question, "source"), ==, "question");
  g_assert_cmpstr (json_object_get_string_member (question, "id"), ==, "timeframe");
  g_assert_cmpstr (json_object_get_string_member (question, "option"), ==, "now");
  g_assert_cmpstr (json_object_get_string_member (question, "group"), ==, "fit");
  g_assert_cmpint (json_object_get_int_member (question, "points_before"), ==, 25);
  g_assert_cmpint (json_object_get_int_member (question, "points"), ==, 25);

  g_assert_cmpstr (json_object_get_string_member (interaction, "source"), ==, "interaction");
  g_assert_cmpstr (json_object_get_string_member (interaction, "id"), ==, "demo");
  g_assert_cmpstr (json_object_get_string_member (interaction, "group"), ==, "interest");
  g_assert_cmpstr (json_object_get_string_member (interaction, "at"), ==, "2026-06-15T12:00:00.000Z");
  g_assert_cmpint (json_object_get_int_member (interaction, "points_before"), ==, 10);
  g_assert_cmpint (json_object_get_int_member (interaction, "points_decayed"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (interaction, "points"), ==, 5);

  g_assert_cmpstr (json_object_get_string_member (status, "source"), ==, "status");
  g_assert_cmpstr (json_object_get_string_member (status, "id"), ==, "MQL");
}

/* The breakdown is written as JSON text: exactly what json-glib writes
 * for the same entries, any text escaped, the same from both entry points. */
static void
test_breakdown_text (void)
{
  g_autoptr(FlModel) model = test_model ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (NOW, NULL);
  ScoreCase c = { .answers = "{\"timeframe\": \"now\"}", .interactions = "demo@10", .title = "Student" };
  g_autoptr(FlLead) lead = make_lead (&c, now);
  g_autoptr(FlScore) score = NULL;
  g_autoptr(FlScore) text_only = NULL;
  g_autofree char *written = NULL;
  const char *reason = "said \"call me\"\n\tback\\slash \x01 Grüße";
  g_autoptr(JsonNode) now_answer = json_from_string ("\"now\"", NULL);
  FlScoreAnswer answers[] = { { "timeframe", NULL } };
  const FlScoreInteraction interactions[] = { { "demo", "2026-06-15T12:00:00.000Z" } };
  FlScoreInput input = { 0 };
  JsonArray *breakdown;
  const char *expected =
    "[{\"source\":\"question\",\"id\":\"timeframe\",\"option\":\"now\",\"group\":\"fit\","
    "\"points_before\":25,\"points_decayed\":25,\"points\":25,\"reason\":\"Timeframe: now +25\"},"
    "{\"source\":\"rule\",\"id\":\"student\",\"disqualify\":true,\"reason\":\"Student: disqualified\"},"
    "{\"source\":\"interaction\",\"id\":\"demo\",\"at\":\"2026-06-15T12:00:00.000Z\",\"group\":\"interest\","
    "\"points_before\":10,\"points_decayed\":5,\"points\":5,\"reason\":\"Live demo +10 → +5 (10 days ago)\"},"
    "{\"source\":\"status\",\"id\":\"DISQUALIFIED\",\"reason\":\"Status DISQUALIFIED: Student\"},"
    "{\"source\":\"override\",\"id\":\"SAL\",\"reason\":\"Status SAL set by Petra: said \\\"call me\\\"\\n\\tback\\\\slash \\u0001 Grüße (computed: DISQUALIFIED)\"}]";

  fl_lead_set_override (lead, "SAL", "Petra", reason);
  score = fl_scorer_score (model, lead, now, FL_LANGUAGE_EN);
  g_assert_nonnull (score->breakdown);
  written = json_to_string (score->breakdown, FALSE);
  g_assert_cmpstr (written, ==, expected);
  g_assert_cmpstr (score->breakdown_json, ==, expected);
  breakdown = json_node_get_array (score->breakdown);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (breakdown, 4), "reason"),
                   ==, "Status SAL set by Petra: said \"call me\"\n\tback\\slash \x01 Grüße (computed: DISQUALIFIED)");

  /* The views rescore passes give the same text. */
  answers[0].value = now_answer;
  input.fields[FL_FIELD_TITLE] = "Student";
  input.fields[FL_FIELD_COMPANY] = "Acme GmbH";
  input.answers = answers;
  input.n_answers = G_N_ELEMENTS (answers);
  input.interactions = interactions;
  input.n_interactions = G_N_ELEMENTS (interactions);
  input.created_at = fl_lead_get_created_at (lead);
  input.override_status = "SAL";
  input.override_by = "Petra";
  input.override_reason = reason;
  text_only = fl_scorer_score_input_json (model, &input, now, FL_LANGUAGE_EN);
  g_assert_null (text_only->breakdown);
  g_assert_cmpstr (text_only->breakdown_json, ==, expected);
  g_assert_cmpint (text_only->score, ==, score->score);
  g_assert_cmpint (text_only->status, ==, FL_STATUS_SAL);
}

/* The scorer is pure: the same lead, model and time give the same result. */
static void
test_pure (void)
{
  g_autoptr(FlModel) model = test_model ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (NOW, NULL);
  const ScoreCase *c = &cases[G_N_ELEMENTS (cases) - 1];
  g_autoptr(FlLead) lead = make_lead (c, now);
  g_autoptr(FlScore) first = fl_scorer_score (model, lead, now, FL_LANGUAGE_EN);
  g_autoptr(FlScore) second = fl_scorer_score (model, lead, now, FL_LANGUAGE_EN);
  g_autofree char *lead_before = fl_lead_to_json_string (lead, FALSE);
  g_autofree char *lead_after = NULL;

  g_assert_true (json_node_equal (first->breakdown, second->breakdown));
  lead_after = fl_lead_to_json_string (lead, FALSE);
  g_assert_cmpstr (lead_before, ==, lead_after);
}

static void
test_apply (void)
{
  g_autoptr(FlModel) model = test_model ();
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (NOW, NULL);
  ScoreCase c = { .answers = "{\"timeframe\": \"later\"}", .override = "SAL" };
  g_autoptr(FlLead) lead = make_lead (&c, now);
  JsonObject *reference;

  fl_scorer_apply (model, lead, now);
  g_assert_cmpint (fl_lead_get_score (lead), ==, 5);
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_SAL);
  g_assert_nonnull (fl_lead_get_breakdown (lead));
  reference = json_node_get_object (fl_lead_get_model (lead));
  g_assert_cmpstr (json_object_get_string_member (reference, "name"), ==, "Scorer test");
  g_assert_cmpint (json_object_get_int_member (reference, "version"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (reference, "sha256"), ==, fl_model_get_sha256 (model));

  /* Cleared, the computed status stands again. */
  fl_lead_set_override (lead, NULL, NULL, NULL);
  fl_scorer_apply (model, lead, now);
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_MQL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = g_strdup_printf ("/scorer/case/%s", cases[i].name);
      g_test_add_data_func (name, &cases[i], test_score);
    }
  g_test_add_func ("/scorer/breakdown-fields", test_breakdown_fields);
  g_test_add_func ("/scorer/breakdown-text", test_breakdown_text);
  g_test_add_func ("/scorer/pure", test_pure);
  g_test_add_func ("/scorer/apply", test_apply);

  return g_test_run ();
}
