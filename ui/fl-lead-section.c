/* fl-lead-section.c: one part of the lead detail, updated in place
 *
 * The lead detail is made of sections (contact, answers, score, ...),
 * each a template of its own, like the parts of GNOME Calendar's event
 * editor. The detail binds #FlLeadSection:lead and #FlLeadSection:store
 * of each; a new lead updates the widgets a section has instead of
 * building the page again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-section"

#include "config.h"

#include "fl-lead-section.h"

typedef struct
{
  FlStore *store;
  FlLead  *lead;
} FlLeadSectionPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FlLeadSection, fl_lead_section, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_LEAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fl_lead_section_dispose (GObject *object)
{
  FlLeadSectionPrivate *priv = fl_lead_section_get_instance_private (FL_LEAD_SECTION (object));

  g_clear_object (&priv->lead);
  g_clear_object (&priv->store);
  G_OBJECT_CLASS (fl_lead_section_parent_class)->dispose (object);
}

static void
fl_lead_section_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlLeadSection *self = FL_LEAD_SECTION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, fl_lead_section_get_store (self));
      break;
    case PROP_LEAD:
      g_value_set_object (value, fl_lead_section_get_lead (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_section_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlLeadSection *self = FL_LEAD_SECTION (object);

  switch (prop_id)
    {
    case PROP_STORE:
      fl_lead_section_set_store (self, g_value_get_object (value));
      break;
    case PROP_LEAD:
      fl_lead_section_set_lead (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_section_class_init (FlLeadSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_lead_section_dispose;
  object_class->get_property = fl_lead_section_get_property;
  object_class->set_property = fl_lead_section_set_property;

  /**
   * FlLeadSection:store:
   *
   * Where the sections that show more than the lead (uploads, history)
   * read it from.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FlLeadSection:lead:
   *
   * The lead shown, %NULL for none. Setting it updates the section in
   * place.
   */
  properties[PROP_LEAD] =
    g_param_spec_object ("lead", NULL, NULL, FL_TYPE_LEAD,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_lead_section_init (FlLeadSection *self)
{
}

/**
 * fl_lead_section_get_store:
 *
 * Returns: (transfer none) (nullable): the store
 */
FlStore *
fl_lead_section_get_store (FlLeadSection *self)
{
  FlLeadSectionPrivate *priv = fl_lead_section_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LEAD_SECTION (self), NULL);
  return priv->store;
}

void
fl_lead_section_set_store (FlLeadSection *self, FlStore *store)
{
  FlLeadSectionPrivate *priv = fl_lead_section_get_instance_private (self);

  g_return_if_fail (FL_IS_LEAD_SECTION (self));
  g_return_if_fail (store == NULL || FL_IS_STORE (store));

  if (g_set_object (&priv->store, store))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * fl_lead_section_get_lead:
 *
 * Returns: (transfer none) (nullable): the lead shown
 */
FlLead *
fl_lead_section_get_lead (FlLeadSection *self)
{
  FlLeadSectionPrivate *priv = fl_lead_section_get_instance_private (self);

  g_return_val_if_fail (FL_IS_LEAD_SECTION (self), NULL);
  return priv->lead;
}

void
fl_lead_section_set_lead (FlLeadSection *self, FlLead *lead)
{
  FlLeadSectionPrivate *priv = fl_lead_section_get_instance_private (self);

  g_return_if_fail (FL_IS_LEAD_SECTION (self));
  g_return_if_fail (lead == NULL || FL_IS_LEAD (lead));

  if (!g_set_object (&priv->lead, lead))
    return;
  FL_LEAD_SECTION_GET_CLASS (self)->update (self, lead);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAD]);
}

/* A plain row of @group (never markup: the text is the visitor's), kept in
 * @rows so that the next lead can take it away again. */
GtkWidget *
fl_lead_section_add_row (AdwPreferencesGroup *group, GPtrArray *rows, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (rows, row);
  return row;
}

void
fl_lead_section_clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}
