/* fl-lead-answers-section.c: the answers of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-answers-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-answers-section.h"
#include "score/fl-model-words.h"

struct _FlLeadAnswersSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *group;
  GtkWidget           *empty_row;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (FlLeadAnswersSection, fl_lead_answers_section, FL_TYPE_LEAD_SECTION)

static void
fl_lead_answers_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadAnswersSection *self = FL_LEAD_ANSWERS_SECTION (section);
  JsonNode *answers = lead ? fl_lead_get_answers (lead) : NULL;
  JsonObject *object = answers && JSON_NODE_HOLDS_OBJECT (answers) ? json_node_get_object (answers) : NULL;
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  FlStore *store = fl_lead_section_get_store (section);
  g_autoptr(FlModel) model = lead != NULL && store != NULL ? fl_model_store_load_for_lead (store, lead, NULL)
                                                           : NULL;
  FlLanguage language = fl_language_default ();

  fl_lead_section_clear_rows (self->group, self->rows);
  for (GList *l = members; l != NULL; l = l->next)
    {
      /* The model's question and option labels in the interface's
       * language; the stored ids only where the model lacks them. */
      const char *question = model != NULL ? fl_model_describe_question (model, l->data, language) : NULL;
      g_autofree char *value = fl_model_describe_answer (model, l->data, json_object_get_member (object, l->data),
                                                         language);

      fl_lead_section_add_row (self->group, self->rows, question != NULL ? question : l->data, value);
    }
  gtk_widget_set_visible (self->empty_row, members == NULL);
}

static void
fl_lead_answers_section_finalize (GObject *object)
{
  FlLeadAnswersSection *self = FL_LEAD_ANSWERS_SECTION (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_lead_answers_section_parent_class)->finalize (object);
}

static void
fl_lead_answers_section_class_init (FlLeadAnswersSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_answers_section_finalize;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_answers_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-answers-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadAnswersSection, group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadAnswersSection, empty_row);
}

static void
fl_lead_answers_section_init (FlLeadAnswersSection *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
