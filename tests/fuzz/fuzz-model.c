/* fuzz-model.c: libFuzzer harness for the scoring-model loader
 *
 * A model file comes from marketing by mail or USB stick; whatever it
 * holds, loading it gives a model or faults, never a crash, and a model
 * that loads can be described and can score a lead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-fuzz.h"

#include <stdint.h>
#include <stdlib.h>

#include "lead/fl-json.h"
#include "score/fl-model.h"
#include "score/fl-scorer.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static FlLead *lead;
static GDateTime *now;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr(JsonNode) answer = json_node_init_string (json_node_alloc (), "3m");
  g_autoptr(JsonNode) many = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* A critical is a bug the fuzzer must report, not a message to skip. */
  g_log_set_writer_func (fl_fuzz_abort_on_critical, NULL, NULL);

  /* A lead that touches every kind of rule: fields, answers of each
   * type, interactions at several ages. */
  lead = fl_lead_new ();
  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Jörg");
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Weiß");
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "joerg@weiss-maschinenbau.de");
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Weiß Maschinenbau GmbH");
  fl_lead_set_field (lead, FL_FIELD_TITLE, "Head of Purchasing");
  fl_lead_set_field (lead, FL_FIELD_COUNTRY, "DE");
  fl_lead_set_answer (lead, "timeframe", answer);
  fl_json_parser_load (parser, "[\"robots\", \"vision\"]", -1, NULL);
  many = json_node_copy (json_parser_get_root (parser));
  fl_lead_set_answer (lead, "interest", many);
  fl_lead_add_interaction (lead, "badge-scan", "2026-06-23T10:00:00Z");
  fl_lead_add_interaction (lead, "demo", "2026-06-24T11:30:00Z");
  fl_lead_set_created_at (lead, "2026-06-23T10:00:00Z");
  now = g_date_time_new_utc (2026, 7, 1, 12, 0, 0);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, size);
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = NULL;

  model = fl_model_new_from_bytes (bytes, &faults, &error);
  if (model == NULL)
    {
      if (error == NULL)
        g_error ("no model and no error");
      if (faults != NULL)
        for (guint i = 0; i < faults->len; i++)
          {
            g_autofree char *text = fl_model_fault_to_string (g_ptr_array_index (faults, i));
            if (text == NULL || !g_utf8_validate (text, -1, NULL))
              g_error ("a fault that cannot be shown");
          }
      return 0;
    }
  if (error != NULL)
    g_error ("a model and an error");

  for (FlLanguage language = 0; language < FL_N_LANGUAGES; language++)
    {
      g_autofree char *text = fl_model_describe (model, language);
      g_autoptr(FlScore) score = fl_scorer_score (model, lead, now, language);
      const char *consent = fl_model_get_consent_text (model, language);

      if (text == NULL || !g_utf8_validate (text, -1, NULL))
        g_error ("a description that is not UTF-8");
      /* Only the languages the model offers have a consent text; in those,
       * every label the visitor reads is there. */
      if (fl_model_has_language (model, language) &&
          (consent == NULL || fl_model_get_consent_version (model) == NULL))
        g_error ("a model without consent text");
      for (guint q = 0; fl_model_has_language (model, language) && q < fl_model_get_n_questions (model); q++)
        if (fl_model_get_question_label (model, q, language) == NULL)
          g_error ("a question without a label the visitor can read");
      for (guint n = 0; n < fl_model_get_n_quick_notes (model); n++)
        if (fl_model_get_quick_note_label (model, n, language) == NULL)
          g_error ("a quick note without a label");
      if (score == NULL || score->breakdown == NULL)
        g_error ("a model that cannot score");
    }
  {
    g_autoptr(JsonNode) reference = fl_model_to_reference (model);
    if (reference == NULL || fl_model_get_sha256 (model) == NULL)
      g_error ("a model without identity");
  }
  return 0;
}
