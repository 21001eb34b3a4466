/* fl-lead-consent-section.c: the consent the visitor gave or refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-consent-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-consent-section.h"
#include "fl-ui-util.h"

struct _FlLeadConsentSection
{
  FlLeadSection  parent_instance;

  AdwActionRow  *consent_row;
  GtkWidget     *empty_row;
};

G_DEFINE_FINAL_TYPE (FlLeadConsentSection, fl_lead_consent_section, FL_TYPE_LEAD_SECTION)

static void
fl_lead_consent_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadConsentSection *self = FL_LEAD_CONSENT_SECTION (section);
  JsonNode *node = lead ? fl_lead_get_consent (lead) : NULL;
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  g_autofree char *at = NULL;
  g_autofree char *subtitle = NULL;
  gboolean given;

  gtk_widget_remove_css_class (GTK_WIDGET (self->consent_row), "consent-given");
  gtk_widget_remove_css_class (GTK_WIDGET (self->consent_row), "consent-refused");
  if (object == NULL || !json_object_has_member (object, "given"))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->consent_row), FALSE);
      gtk_widget_set_visible (self->empty_row, TRUE);
      return;
    }

  given = json_object_get_boolean_member_with_default (object, "given", FALSE);
  at = fl_format_local_date_time (json_object_get_string_member_with_default (object, "at", NULL));
  subtitle = g_strdup_printf (_("Text version %s, %s, recorded by %s"),
                              json_object_get_string_member_with_default (object, "version", "?"), at,
                              json_object_get_string_member_with_default (object, "staff", "?"));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->consent_row),
                                 given ? _("Consent given") : _("Consent refused"));
  adw_action_row_set_subtitle (self->consent_row, subtitle);
  gtk_widget_add_css_class (GTK_WIDGET (self->consent_row), given ? "consent-given" : "consent-refused");
  gtk_widget_set_visible (GTK_WIDGET (self->consent_row), TRUE);
  gtk_widget_set_visible (self->empty_row, FALSE);
}

static void
fl_lead_consent_section_class_init (FlLeadConsentSectionClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_consent_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-consent-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadConsentSection, consent_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadConsentSection, empty_row);
}

static void
fl_lead_consent_section_init (FlLeadConsentSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}
