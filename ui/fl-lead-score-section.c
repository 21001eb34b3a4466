/* fl-lead-score-section.c: the score of the lead shown, with its reasons
 * and the status set by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-score-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-score-section.h"

struct _FlLeadScoreSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *group;
  AdwActionRow        *override_row;
  GtkWidget           *clear_button;
  GtkWidget           *empty_row;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (FlLeadScoreSection, fl_lead_score_section, FL_TYPE_LEAD_SECTION)

static void
update_override (FlLeadScoreSection *self, FlLead *lead)
{
  const char *override = lead ? fl_lead_get_override_status (lead) : NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->override_row), override != NULL);
  if (override == NULL)
    return;
  title = g_strdup_printf (_("Status set by hand to %s"), override);
  subtitle = g_strdup_printf (_("By %s: %s"), fl_lead_get_override_by (lead) ? fl_lead_get_override_by (lead) : "?",
                              fl_lead_get_override_reason (lead) ? fl_lead_get_override_reason (lead) : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->override_row), title);
  adw_action_row_set_subtitle (self->override_row, subtitle);
}

static void
fl_lead_score_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadScoreSection *self = FL_LEAD_SCORE_SECTION (section);
  JsonNode *breakdown = lead ? fl_lead_get_breakdown (lead) : NULL;
  JsonArray *array = breakdown && JSON_NODE_HOLDS_ARRAY (breakdown) ? json_node_get_array (breakdown) : NULL;
  JsonNode *model = lead ? fl_lead_get_model (lead) : NULL;
  guint n = array ? json_array_get_length (array) : 0;
  g_autofree char *description = NULL;

  if (model != NULL && JSON_NODE_HOLDS_OBJECT (model))
    {
      JsonObject *object = json_node_get_object (model);

      description = g_strdup_printf (_("Scored with %s, version %d"),
                                     json_object_get_string_member_with_default (object, "name", "?"),
                                     (int) json_object_get_int_member_with_default (object, "version", 0));
    }
  adw_preferences_group_set_description (self->group, description);
  update_override (self, lead);

  fl_lead_section_clear_rows (self->group, self->rows);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *reason;
      GtkWidget *row, *points;

      if (item == NULL)
        continue;
      reason = json_object_get_string_member_with_default (item, "reason",
                                                           json_object_get_string_member_with_default (item, "id", "?"));
      row = fl_lead_section_add_row (self->group, self->rows, reason, NULL);
      if (json_object_has_member (item, "points"))
        {
          gint64 value = json_object_get_int_member (item, "points");
          g_autofree char *text = g_strdup_printf ("%+" G_GINT64_FORMAT, value);

          points = gtk_label_new (text);
          gtk_widget_add_css_class (points, "numeric");
          gtk_widget_add_css_class (points, value >= 0 ? "success" : "error");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), points);
        }
    }
  gtk_widget_set_visible (self->empty_row, n == 0 && !gtk_widget_get_visible (GTK_WIDGET (self->override_row)));
}

/**
 * fl_lead_score_section_get_clear_button:
 *
 * Returns: (transfer none) (nullable): the button that clears the status
 *   set by hand, %NULL while the lead has none
 */
GtkWidget *
fl_lead_score_section_get_clear_button (FlLeadScoreSection *self)
{
  g_return_val_if_fail (FL_IS_LEAD_SCORE_SECTION (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->override_row)) ? self->clear_button : NULL;
}

static void
fl_lead_score_section_finalize (GObject *object)
{
  FlLeadScoreSection *self = FL_LEAD_SCORE_SECTION (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_lead_score_section_parent_class)->finalize (object);
}

static void
fl_lead_score_section_class_init (FlLeadScoreSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_score_section_finalize;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_score_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-score-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadScoreSection, group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadScoreSection, override_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadScoreSection, clear_button);
  gtk_widget_class_bind_template_child (widget_class, FlLeadScoreSection, empty_row);
}

static void
fl_lead_score_section_init (FlLeadScoreSection *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
