/* fl-lead-uploads-section.c: where the lead went, and every request that
 * carried it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-uploads-section"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-uploads-section.h"
#include "fl-ui-util.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync-log.h"

struct _FlLeadUploadsSection
{
  FlLeadSection        parent_instance;

  AdwPreferencesGroup *uploads_group;
  GtkWidget           *empty_row;
  AdwPreferencesGroup *sync_log_group;
  GPtrArray           *upload_rows;
  GPtrArray           *sync_log_rows;
};

G_DEFINE_FINAL_TYPE (FlLeadUploadsSection, fl_lead_uploads_section, FL_TYPE_LEAD_SECTION)

static void
update_uploads (FlLeadUploadsSection *self, FlStore *store, FlLead *lead)
{
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = fl_outbox_list_for_lead (outbox, fl_lead_get_uuid (lead), &error);
  if (entries == NULL)
    {
      g_message ("Cannot read the uploads of the lead: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *subtitle = NULL;

      if (g_strcmp0 (entry->state, "done") == 0)
        {
          g_autofree char *at = fl_format_local_date_time (entry->done_at);
          subtitle = g_strdup_printf (_("Uploaded %s"), at);
        }
      else if (g_strcmp0 (entry->state, "failed") == 0)
        subtitle = g_strdup_printf (_("Failed: %s"), entry->last_error ? entry->last_error : "?");
      else
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting, %d attempt so far",
                                                 "Waiting, %d attempts so far", entry->attempts),
                                    entry->attempts);
      fl_lead_section_add_row (self->uploads_group, self->upload_rows, entry->connector, subtitle);
    }
  gtk_widget_set_visible (self->empty_row, entries->len == 0);
}

/* Every request that carried the lead, newest first: "did it reach
 * Salesforce?" without a log file. */
static void
update_sync_log (FlLeadUploadsSection *self, FlStore *store, FlLead *lead)
{
  g_autoptr(GPtrArray) entries = fl_sync_log_list (store, fl_lead_get_uuid (lead), NULL);

  if (entries == NULL || entries->len == 0)
    return;
  for (guint i = entries->len; i-- > 0;)
    {
      FlSyncLogEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *title = fl_sync_log_entry_describe (entry);
      g_autofree char *at = fl_format_local_date_time (entry->at);

      fl_lead_section_add_row (self->sync_log_group, self->sync_log_rows, title, at);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->sync_log_group), TRUE);
}

static void
fl_lead_uploads_section_update (FlLeadSection *section, FlLead *lead)
{
  FlLeadUploadsSection *self = FL_LEAD_UPLOADS_SECTION (section);
  FlStore *store = fl_lead_section_get_store (section);

  fl_lead_section_clear_rows (self->uploads_group, self->upload_rows);
  fl_lead_section_clear_rows (self->sync_log_group, self->sync_log_rows);
  gtk_widget_set_visible (self->empty_row, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_log_group), FALSE);
  if (lead == NULL || store == NULL)
    return;
  update_uploads (self, store, lead);
  update_sync_log (self, store, lead);
}

static void
fl_lead_uploads_section_finalize (GObject *object)
{
  FlLeadUploadsSection *self = FL_LEAD_UPLOADS_SECTION (object);

  g_clear_pointer (&self->upload_rows, g_ptr_array_unref);
  g_clear_pointer (&self->sync_log_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_lead_uploads_section_parent_class)->finalize (object);
}

static void
fl_lead_uploads_section_class_init (FlLeadUploadsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_uploads_section_finalize;
  FL_LEAD_SECTION_CLASS (klass)->update = fl_lead_uploads_section_update;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-uploads-section.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadUploadsSection, uploads_group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadUploadsSection, empty_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadUploadsSection, sync_log_group);
}

static void
fl_lead_uploads_section_init (FlLeadUploadsSection *self)
{
  self->upload_rows = g_ptr_array_new ();
  self->sync_log_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}
