/* fl-lead-history-section.c: the audit entries of the lead shown
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-history-section"

#include "config.h"

#include "fl-lead-history-section.h"
#include "fl-ui-util.h"
#include "store/fl-audit.h"

struct _FlLeadHistorySection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *group;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (FlLeadHistorySection, fl_lead_history_section, FL_TYPE_LEAD_SECTION)

static void
fl_lead_history_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadHistorySection *self = FL_LEAD_HISTORY_SECTION (section);
  FlStore *store = fl_lead_section_get_store (section);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  fl_lead_section_clear_rows (self->group, self->rows);
  if (lead == NULL || store == NULL)
    return;
  entries = fl_store_list_audit (store, fl_lead_get_uuid (lead), &error);
  if (entries == NULL)
    {
      g_message ("Cannot read the history of the lead: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      FlAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *at = fl_format_local_date_time (entry->at);
      g_autofree char *title = entry->detail ? g_strdup_printf ("%s: %s", entry->action, entry->detail)
                                             : g_strdup (entry->action);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", at, entry->actor ? entry->actor : "—");

      fl_lead_section_add_row (self->group, self->rows, title, subtitle);
    }
}

static void
fl_lead_history_section_finalize (GObject *object)
{
  FlLeadHistorySection *self = FL_LEAD_HISTORY_SECTION (object);

  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_lead_history_section_parent_class)->finalize (object);
}

static void
fl_lead_history_section_class_init (FlLeadHistorySectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_history_section_finalize;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_history_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-history-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadHistorySection, group);
}

static void
fl_lead_history_section_init (FlLeadHistorySection *self)
{
  self->rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
