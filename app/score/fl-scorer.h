/* fl-scorer.h: a lead's score, status and the reasons for both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lead/fl-lead.h"
#include "fl-model.h"

G_BEGIN_DECLS

typedef struct
{
  const char *question_id;
  JsonNode   *value;
} FlScoreAnswer;

typedef struct
{
  const char *kind;
  const char *at;               /* ISO 8601, or NULL */
} FlScoreInteraction;

/* What the scorer reads of a lead, as plain views the caller owns; every
 * pointer may be NULL. */
typedef struct
{
  const char               *fields[FL_N_FIELDS];
  const FlScoreAnswer      *answers;        /* one per question id */
  guint                     n_answers;
  const FlScoreInteraction *interactions;   /* in the order they happened */
  guint                     n_interactions;
  const char *created_at;
  const char *override_status;  /* "MQL", "SAL", "DISQUALIFIED" */
  const char *override_by;
  const char *override_reason;
} FlScoreInput;

typedef struct
{
  int       score;
  FlStatus  computed_status;  /* what the model says */
  FlStatus  status;           /* what stands: the override, else the computed status */
  JsonNode *breakdown;        /* array: every contribution and the status, with reasons */
  char     *breakdown_json;   /* the same as compact JSON text */
} FlScore;

void      fl_score_free           (FlScore            *score);

FlScore  *fl_scorer_score_input_brief (FlModel          *model,
                                   const FlScoreInput *input,
                                   GDateTime          *now);
FlScore  *fl_scorer_score_input_json (FlModel           *model,
                                   const FlScoreInput *input,
                                   GDateTime          *now,
                                   FlLanguage          language);
FlScore  *fl_scorer_score_input   (FlModel            *model,
                                   const FlScoreInput *input,
                                   GDateTime          *now,
                                   FlLanguage          language);
FlScore  *fl_scorer_score         (FlModel            *model,
                                   FlLead             *lead,
                                   GDateTime          *now,
                                   FlLanguage          language);
void      fl_scorer_apply         (FlModel            *model,
                                   FlLead             *lead,
                                   GDateTime          *now);
void      fl_scorer_apply_score   (FlModel            *model,
                                   FlLead             *lead,
                                   const FlScore      *score);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlScore, fl_score_free)

G_END_DECLS
