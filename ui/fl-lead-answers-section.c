/* fl-lead-answers-section.c: the answers of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-answers-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-answers-section.h"

struct _FlLeadAnswersSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *group;
  GtkWidget           *empty_row;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (FlLeadAnswersSection, fl_lead_answers_section, FL_TYPE_LEAD_SECTION)

/* A JSON answer as a person reads it: strings as they are, arrays joined. */
static char *
json_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = json_to_text (json_array_get_element (array, i));
          if (i > 0)
            g_string_append (out, ", ");
          g_string_append (out, item);
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  return json_to_string (node, FALSE);
}

static void
fl_lead_answers_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadAnswersSection *self = FL_LEAD_ANSWERS_SECTION (section);
  JsonNode *answers = lead ? fl_lead_get_answers (lead) : NULL;
  JsonObject *object = answers && JSON_NODE_HOLDS_OBJECT (answers) ? json_node_get_object (answers) : NULL;
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  fl_lead_section_clear_rows (self->group, self->rows);
  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *value = json_to_text (json_object_get_member (object, l->data));
      fl_lead_section_add_row (self->group, self->rows, l->data, value);
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
