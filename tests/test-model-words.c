/* test-model-words.c: answers and interactions in the model's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "score/fl-model-store.h"
#include "score/fl-model-words.h"
#include "fl-test.h"

#define MODEL_TEMPLATE                                                                             \
  "{\"name\": \"Words\", \"version\": %d, \"agreed_by\": [\"Marketing\", \"Sales\"],"             \
  " \"consent\": {\"version\": \"1\", \"text\": {\"en\": \"Yes.\", \"de\": \"Ja.\"}},"             \
  " \"questions\": ["                                                                              \
  "  {\"id\": \"role\", \"type\": \"single\", \"group\": \"fit\","                                  \
  "   \"label\": {\"en\": \"Role in the decision\", \"de\": \"Rolle bei der Entscheidung\"},"       \
  "   \"options\": [{\"id\": \"decides\", \"label\": {\"en\": \"%s\", \"de\": \"entscheidet\"}, \"points\": 20}," \
  "                 {\"id\": \"uses\", \"label\": {\"en\": \"will use it\", \"de\": \"wird es nutzen\"}, \"points\": 4}]}," \
  "  {\"id\": \"topics\", \"type\": \"multi\", \"group\": \"interest\","                            \
  "   \"label\": {\"en\": \"Topics\", \"de\": \"Themen\"},"                                          \
  "   \"options\": [{\"id\": \"vision\", \"label\": {\"en\": \"Machine vision\", \"de\": \"Bildverarbeitung\"}, \"points\": 5}," \
  "                 {\"id\": \"cobots\", \"label\": {\"en\": \"Cobots\", \"de\": \"Cobots\"}, \"points\": 5}]}," \
  "  {\"id\": \"budget\", \"type\": \"boolean\", \"group\": \"fit\","                               \
  "   \"label\": {\"en\": \"Budget approved\", \"de\": \"Budget freigegeben\"}, \"points_yes\": 10}],"   \
  " \"interactions\": [{\"kind\": \"demo\", \"label\": {\"en\": \"Live demo\", \"de\": \"Live-Demo\"}, \"points\": 10}]," \
  " \"thresholds\": {\"sal\": 30}}"

static FlModel *
make_model (int version, const char *decides)
{
  char *text = g_strdup_printf (MODEL_TEMPLATE, version, decides);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GError) error = NULL;
  FlModel *model = fl_model_new_from_bytes (bytes, NULL, &error);

  g_assert_no_error (error);
  return model;
}

static char *
describe (FlModel *model, const char *question, const char *json, FlLanguage language)
{
  g_autoptr(JsonNode) answer = json_from_string (json, NULL);

  return fl_model_describe_answer (model, question, answer, language);
}

/* Ids never reach the reader when the model has words for them. */
static void
test_describe (void)
{
  g_autoptr(FlModel) model = make_model (1, "decides");
  struct { const char *question, *answer; FlLanguage language; const char *expected; } cases[] = {
    { "role", "\"decides\"", FL_LANGUAGE_DE, "entscheidet" },
    { "role", "\"uses\"", FL_LANGUAGE_EN, "will use it" },
    { "topics", "[\"vision\", \"cobots\"]", FL_LANGUAGE_DE, "Bildverarbeitung, Cobots" },
    { "budget", "true", FL_LANGUAGE_EN, "Yes" },
    /* An option the model no longer knows, a question it never had: as stored. */
    { "role", "\"retired\"", FL_LANGUAGE_EN, "retired" },
    { "legacy", "[\"a\", 2]", FL_LANGUAGE_EN, "a, 2" },
    { "legacy", "null", FL_LANGUAGE_EN, "—" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = describe (model, cases[i].question, cases[i].answer, cases[i].language);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  {
    g_autofree char *text = describe (NULL, "role", "\"decides\"", FL_LANGUAGE_EN);

    g_assert_cmpstr (text, ==, "decides");
  }
  g_assert_cmpstr (fl_model_describe_question (model, "role", FL_LANGUAGE_DE), ==, "Rolle bei der Entscheidung");
  g_assert_null (fl_model_describe_question (model, "legacy", FL_LANGUAGE_EN));
  g_assert_cmpint (fl_model_find_question (model, "topics"), ==, 1);
  g_assert_cmpint (fl_model_find_question (model, "legacy"), ==, -1);

  {
    g_autofree char *demo = fl_model_describe_interaction (model, "demo", FL_LANGUAGE_DE);
    g_autofree char *scan = fl_model_describe_interaction (model, "badge-scan", FL_LANGUAGE_EN);
    g_autofree char *other = fl_model_describe_interaction (NULL, "coffee", FL_LANGUAGE_EN);

    g_assert_cmpstr (demo, ==, "Live-Demo");
    g_assert_cmpstr (scan, ==, "Badge scanned at the booth");
    g_assert_cmpstr (other, ==, "coffee");
  }
}

/* A lead is read in the words of the model that scored it, even after a
 * newer one came into force; an unscored one in the event's. */
static void
test_load_for_lead (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) first = make_model (1, "decides (v1)");
  g_autoptr(FlModel) second = make_model (2, "decides (v2)");
  g_autoptr(FlLead) scored = fl_lead_new ();
  g_autoptr(FlLead) unscored = fl_lead_new ();
  g_autoptr(JsonNode) reference = fl_model_to_reference (first);
  g_autoptr(FlModel) loaded = NULL;

  g_assert_true (fl_model_store_activate (fixture->store, first, "tester", &error));
  g_assert_true (fl_model_store_activate (fixture->store, second, "tester", &error));
  g_assert_no_error (error);

  fl_lead_set_model (scored, reference);
  g_assert_true (fl_store_save_lead (fixture->store, scored, "tester", &error));
  g_assert_true (fl_store_save_lead (fixture->store, unscored, "tester", &error));
  g_assert_no_error (error);

  loaded = fl_model_store_load_for_lead (fixture->store, scored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_model_get_version (loaded), ==, 1);
  g_clear_object (&loaded);
  loaded = fl_model_store_load_for_lead (fixture->store, unscored, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_model_get_version (loaded), ==, 2);
}

static void
fixture_set_up (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Words show");
  fl_test_fixture_open (fixture, NULL, event);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/model-words/describe", test_describe);
  g_test_add ("/model-words/load-for-lead", FlTestFixture, NULL, fixture_set_up, test_load_for_lead,
              fl_test_fixture_teardown);
  return g_test_run ();
}
