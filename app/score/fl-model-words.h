/* fl-model-words.h: a lead's answers and interactions in the words of its
 * scoring model, for people to read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-model.h"
#include "lead/fl-lead.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

FlModel    *fl_model_store_load_for_lead    (FlStore     *store,
                                             FlLead      *lead,
                                             GError     **error);
int         fl_model_find_question          (FlModel     *self,
                                             const char  *question_id);
const char *fl_model_describe_question      (FlModel     *self,
                                             const char  *question_id,
                                             FlLanguage   language);
char       *fl_model_describe_answer        (FlModel     *self,
                                             const char  *question_id,
                                             JsonNode    *answer,
                                             FlLanguage   language);
char       *fl_model_describe_interaction   (FlModel     *self,
                                             const char  *kind,
                                             FlLanguage   language);

G_END_DECLS
