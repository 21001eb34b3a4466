/* fl-model-private.h: what the scorer reads of a model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#if !defined (FL_CORE_COMPILATION)
#error "score/fl-model-private.h is for the scorer: use the accessors of score/fl-model.h"
#endif

#include "lead/fl-lead.h"
#include "fl-model.h"

G_BEGIN_DECLS

typedef struct
{
  char *id;
  char *label[FL_N_LANGUAGES];
  int   points;
} FlModelOption;

typedef struct
{
  char           *id;
  FlQuestionType  type;
  char           *label[FL_N_LANGUAGES];
  FlGroup         group;
  GPtrArray      *options;          /* FlModelOption, single and multi */
  int             points_yes;       /* boolean */
  int             points_no;
  int             points_per_star;  /* rating */
  gboolean        required_for_sal;
  int             max_points;
} FlModelQuestion;

typedef enum
{
  FL_RULE_MATCHES,
  FL_RULE_IN_LIST,
  FL_RULE_IS_EMPTY,
} FlRuleKind;

typedef struct
{
  char       *id;
  FlField     field;
  FlRuleKind  kind;
  GRegex     *regex;         /* matches */
  char       *list;          /* in_list */
  GHashTable *list_set;      /* in_list, owned by the model's lists */
  gboolean    empty;         /* is_empty: TRUE matches an empty field */
  gboolean    disqualify;
  int         points;
  FlGroup     group;
  char       *reason[FL_N_LANGUAGES];
} FlModelRule;

typedef struct
{
  char *kind;
  char *label[FL_N_LANGUAGES];
  int   points;
  guint max_count;
} FlModelInteraction;

GPtrArray          *_fl_model_get_questions     (FlModel *self);
GPtrArray          *_fl_model_get_rules         (FlModel *self);
FlModelInteraction *_fl_model_find_interaction  (FlModel *self,
                                                 const char *kind);
FlModelQuestion    *_fl_model_find_question     (FlModel *self,
                                                 const char *id);
gboolean            _fl_model_rule_matches      (FlModelRule *rule,
                                                 const char  *value);

G_END_DECLS
