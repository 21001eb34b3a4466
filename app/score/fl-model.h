/* fl-model.h: the scoring model marketing and sales agreed on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FL_MODEL_ERROR (fl_model_error_quark ())

typedef enum
{
  FL_MODEL_ERROR_INVALID,          /* the file is not a valid model */
  FL_MODEL_ERROR_VERSION_CONFLICT, /* same name and version, different content */
  FL_MODEL_ERROR_NO_MODEL,         /* the event has no model */
} FlModelError;

/* Points are grouped: fit (who the visitor is) never decays, interest
 * (what the visitor did and wants) does. */
typedef enum
{
  FL_GROUP_FIT,
  FL_GROUP_INTEREST,
  FL_N_GROUPS
} FlGroup;

/* The languages a model's labels are written in. English and German are
 * required everywhere (the staff interface speaks them); the others are
 * visitor languages a model may add (see fl_model_has_language()). */
typedef enum
{
  FL_LANGUAGE_EN,
  FL_LANGUAGE_DE,
  FL_LANGUAGE_FR,
  FL_LANGUAGE_IT,
  FL_LANGUAGE_ES,
  FL_LANGUAGE_NL,
  FL_LANGUAGE_PL,
  FL_N_LANGUAGES
} FlLanguage;

/* English and German: every label, and the staff interface's languages. */
#define FL_N_STAFF_LANGUAGES 2

/* How a qualifying question is answered. */
typedef enum
{
  FL_QUESTION_SINGLE,
  FL_QUESTION_MULTI,
  FL_QUESTION_BOOLEAN,
  FL_QUESTION_RATING,
  FL_QUESTION_TEXT,
} FlQuestionType;

/* One problem of a model file: where (a JSON path such as
 * `questions[2].options[0].points`) and what. */
typedef struct
{
  char *path;
  char *message;
} FlModelFault;

#define FL_TYPE_MODEL (fl_model_get_type ())

G_DECLARE_FINAL_TYPE (FlModel, fl_model, FL, MODEL, GObject)

GQuark        fl_model_error_quark          (void);
void          fl_model_fault_free           (FlModelFault *fault);
char         *fl_model_fault_to_string      (const FlModelFault *fault);

const char   *fl_group_to_string            (FlGroup       group);
const char   *fl_language_to_string         (FlLanguage    language);
FlLanguage    fl_language_from_string       (const char   *name);
FlLanguage    fl_language_default           (void);
const char   *fl_language_get_native_name   (FlLanguage    language);

FlModel      *fl_model_new_from_bytes       (GBytes       *bytes,
                                             GPtrArray   **faults,
                                             GError      **error);
FlModel      *fl_model_new_from_file        (const char   *path,
                                             GPtrArray   **faults,
                                             GError      **error);

GBytes       *fl_model_get_bytes            (FlModel      *self);
const char   *fl_model_get_sha256           (FlModel      *self);
const char   *fl_model_get_name             (FlModel      *self);
gint64        fl_model_get_version          (FlModel      *self);
const char *const *fl_model_get_agreed_by   (FlModel      *self);
const char   *fl_model_get_consent_version  (FlModel      *self);
const char   *fl_model_get_consent_text     (FlModel      *self,
                                             FlLanguage    language);
gboolean      fl_model_has_language         (FlModel      *self,
                                             FlLanguage    language);
guint         fl_model_get_n_quick_notes    (FlModel      *self);
const char   *fl_model_get_quick_note_id    (FlModel      *self,
                                             guint         quick_note);
const char   *fl_model_get_quick_note_label (FlModel      *self,
                                             guint         quick_note,
                                             FlLanguage    language);
int           fl_model_find_quick_note      (FlModel      *self,
                                             const char   *id);
guint         fl_model_get_n_questions      (FlModel      *self);
guint         fl_model_get_n_required       (FlModel      *self);
guint         fl_model_get_n_rules          (FlModel      *self);
guint         fl_model_get_n_interactions   (FlModel      *self);
int           fl_model_get_sal_threshold    (FlModel      *self);
double        fl_model_get_half_life_days   (FlModel      *self);
gboolean      fl_model_get_cap              (FlModel      *self,
                                             FlGroup       group,
                                             int          *cap);
int           fl_model_get_max_points       (FlModel      *self,
                                             FlGroup       group);
int           fl_model_get_max_total        (FlModel      *self);
const char   *fl_model_get_question_id      (FlModel      *self,
                                             guint         question);
FlQuestionType fl_model_get_question_type   (FlModel      *self,
                                             guint         question);
const char   *fl_model_get_question_label   (FlModel      *self,
                                             guint         question,
                                             FlLanguage    language);
guint         fl_model_get_n_options        (FlModel      *self,
                                             guint         question);
const char   *fl_model_get_option_id        (FlModel      *self,
                                             guint         question,
                                             guint         option);
const char   *fl_model_get_option_label     (FlModel      *self,
                                             guint         question,
                                             guint         option,
                                             FlLanguage    language);
gboolean      fl_model_has_interaction      (FlModel      *self,
                                             const char   *kind);
const char   *fl_model_get_interaction_label (FlModel     *self,
                                             const char   *kind,
                                             FlLanguage    language);
JsonNode     *fl_model_to_reference         (FlModel      *self);
char         *fl_model_describe             (FlModel      *self,
                                             FlLanguage    language);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlModelFault, fl_model_fault_free)

G_END_DECLS
