/* fl-lead-interactions-section.c: what the visitor did at the booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-interactions-section"

#include "config.h"

#include "fl-lead-interactions-section.h"
#include "fl-ui-util.h"
#include "score/fl-model-words.h"
#include "fl-ui-util.h"

struct _FlLeadInteractionsSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *group;
  GtkWidget           *empty_row;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (FlLeadInteractionsSection, fl_lead_interactions_section, FL_TYPE_LEAD_SECTION)

static void
fl_lead_interactions_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadInteractionsSection *self = FL_LEAD_INTERACTIONS_SECTION (section);
  JsonNode *node = lead ? fl_lead_get_interactions (lead) : NULL;
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 0;

  FlStore *store = fl_lead_section_get_store (section);
  g_autoptr(FlModel) model = lead != NULL && store != NULL ? fl_model_store_load_for_lead (store, lead, NULL)
                                                           : NULL;
  FlLanguage language = fl_language_default ();

  fl_lead_section_clear_rows (self->group, self->rows);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      g_autofree char *at = NULL;
      g_autofree char *label = NULL;

      if (item == NULL)
        continue;
      at = fl_format_local_date_time (json_object_get_string_member_with_default (item, "at", NULL));
      /* The model's words in the interface's language, not the stored kind. */
      label = fl_model_describe_interaction (model, json_object_get_string_member_with_default (item, "kind", "?"),
                                             language);
      fl_lead_section_add_row (self->group, self->rows, label, at);
    }
  gtk_widget_set_visible (self->empty_row, n == 0);
}

static void
fl_lead_interactions_section_finalize (GObject *object)
{
  FlLeadInteractionsSection *self = FL_LEAD_INTERACTIONS_SECTION (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_lead_interactions_section_parent_class)->finalize (object);
}

static void
fl_lead_interactions_section_class_init (FlLeadInteractionsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_interactions_section_finalize;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_interactions_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-interactions-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadInteractionsSection, group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadInteractionsSection, empty_row);
}

static void
fl_lead_interactions_section_init (FlLeadInteractionsSection *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
