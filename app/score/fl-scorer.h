/* fl-scorer.h: a lead's score, status and the reasons for both
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "lead/fl-lead.h"
#include "fl-model.h"

G_BEGIN_DECLS

/* What the scorer reads of a lead; every pointer may be NULL. */
typedef struct
{
  const char *fields[FL_N_FIELDS];
  JsonObject *answers;          /* question id → answer */
  JsonArray  *interactions;     /* [{"kind", "at"}] */
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
} FlScore;

void      fl_score_free           (FlScore            *score);

FlScore  *fl_scorer_score_input_brief (FlModel          *model,
                                   const FlScoreInput *input,
                                   GDateTime          *now);
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
