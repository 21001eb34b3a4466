/* fl-lead-contact-section.c: the person fields and notes of the lead shown,
 * editable
 *
 * The rows stay; a new lead only changes their text. #FlLeadContactSection:modified
 * says whether there is anything to save.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-contact-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-contact-section.h"
#include "fl-ui-util.h"
#include "fl-text-limit.h"
#include "lead/fl-limits.h"

struct _FlLeadContactSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *contact_group;
  AdwEntryRow         *field_rows[FL_N_FIELDS];
  GtkTextBuffer       *notes;
  GtkLabel            *limit_label;

  gboolean             modified;
  gboolean             loading;
};

G_DEFINE_FINAL_TYPE (FlLeadContactSection, fl_lead_contact_section, FL_TYPE_LEAD_SECTION)

enum
{
  PROP_0,
  PROP_MODIFIED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
field_label (FlField field)
{
  switch (field)
    {
    case FL_FIELD_FIRST_NAME: return _("First Name");
    case FL_FIELD_LAST_NAME: return _("Last Name");
    case FL_FIELD_FULL_NAME: return _("Full Name");
    case FL_FIELD_EMAIL: return _("Email");
    case FL_FIELD_PHONE: return _("Phone");
    case FL_FIELD_MOBILE: return _("Mobile");
    case FL_FIELD_COMPANY: return _("Company");
    case FL_FIELD_TITLE: return _("Job Title");
    case FL_FIELD_DEPARTMENT: return _("Department");
    case FL_FIELD_STREET: return _("Street");
    case FL_FIELD_CITY: return _("City");
    case FL_FIELD_POSTAL_CODE: return _("Postal Code");
    case FL_FIELD_REGION: return _("Region");
    case FL_FIELD_COUNTRY: return _("Country");
    case FL_FIELD_WEBSITE: return _("Website");
    case FL_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

static void
set_modified (FlLeadContactSection *self, gboolean modified)
{
  if (self->modified == modified)
    return;
  self->modified = modified;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

static void
changed_cb (FlLeadContactSection *self)
{
  if (!self->loading)
    set_modified (self, TRUE);
}

static void
fl_lead_contact_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadContactSection *self = FL_LEAD_CONTACT_SECTION (section);
  g_autofree char *description = NULL;

  self->loading = TRUE;
  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      const char *value = lead ? fl_lead_get_field (lead, field) : NULL;

      gtk_editable_set_text (GTK_EDITABLE (self->field_rows[field]), value ? value : "");
    }
  gtk_text_buffer_set_text (self->notes, lead && fl_lead_get_notes (lead) ? fl_lead_get_notes (lead) : "", -1);
  if (lead != NULL)
    {
      g_autofree char *captured = fl_format_local_date_time (fl_lead_get_created_at (lead));

      /* The kiosk asks who is at the booth; only leads from before that
       * have nobody named, and say nothing rather than “unknown”. */
      if (fl_lead_get_captured_by (lead) != NULL)
        description = g_strdup_printf (_("Captured %s by %s"), captured, fl_lead_get_captured_by (lead));
      else
        description = g_strdup_printf (_("Captured %s"), captured);
    }
  adw_preferences_group_set_description (self->contact_group, description);
  self->loading = FALSE;
  set_modified (self, FALSE);
}

static void
fl_lead_contact_section_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlLeadContactSection *self = FL_LEAD_CONTACT_SECTION (object);

  switch (prop_id)
    {
    case PROP_MODIFIED:
      g_value_set_boolean (value, self->modified);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_contact_section_class_init (FlLeadContactSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_lead_contact_section_get_property;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_contact_section_update;

  /**
   * FlLeadContactSection:modified:
   *
   * Whether a field or the notes were edited since the lead was shown.
   */
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-contact-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadContactSection, contact_group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadContactSection, notes);
  gtk_widget_class_bind_template_child (widget_class, FlLeadContactSection, limit_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
}

static void
fl_lead_contact_section_init (FlLeadContactSection *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_label (field));
      if (field == FL_FIELD_EMAIL)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_EMAIL);
      else if (field == FL_FIELD_PHONE || field == FL_FIELD_MOBILE)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_PHONE);
      else if (field == FL_FIELD_WEBSITE)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_URL);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
      adw_preferences_group_add (self->contact_group, GTK_WIDGET (row));
      self->field_rows[field] = row;
    }
  fl_text_limit_attach (self->notes, FL_LIMIT_NOTES, GTK_WIDGET (self->limit_label));
}

gboolean
fl_lead_contact_section_get_modified (FlLeadContactSection *self)
{
  g_return_val_if_fail (FL_IS_LEAD_CONTACT_SECTION (self), FALSE);
  return self->modified;
}

/**
 * fl_lead_contact_section_apply:
 * @lead: a copy of the lead shown, to be saved
 *
 * Puts the fields and notes as edited into @lead: trimmed, an empty one
 * unset.
 */
void
fl_lead_contact_section_apply (FlLeadContactSection *self, FlLead *lead)
{
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  g_return_if_fail (FL_IS_LEAD_CONTACT_SECTION (self));
  g_return_if_fail (FL_IS_LEAD (lead));

  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->field_rows[field]))));
      fl_lead_set_field (lead, field, *value ? value : NULL);
    }
  gtk_text_buffer_get_bounds (self->notes, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (self->notes, &start, &end, FALSE));
  fl_lead_set_notes (lead, *notes ? notes : NULL);
}

/**
 * fl_lead_contact_section_get_row:
 *
 * Returns: (transfer none): the row that edits @field
 */
AdwEntryRow *
fl_lead_contact_section_get_row (FlLeadContactSection *self, FlField field)
{
  g_return_val_if_fail (FL_IS_LEAD_CONTACT_SECTION (self), NULL);
  g_return_val_if_fail (field < FL_N_FIELDS, NULL);
  return self->field_rows[field];
}
