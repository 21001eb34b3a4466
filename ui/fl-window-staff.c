/* fl-window-staff.c: who is at the booth
 *
 * The staff picker of FlWindow: asked over the lead when a badge is
 * scanned with nobody named (the lead is saved first), or from the staff
 * menu; the answer is recorded on the leads that waited for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include "fl-window-private.h"

void
_fl_window_hide_staff_picker (FlWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->staff_picker), FALSE);
}

/* Asks who is at the booth, over whatever page is on show: with a lead
 * just saved underneath when a scan found nobody named. */
void
_fl_window_show_staff_picker (FlWindow *self, gboolean can_cancel)
{
  gboolean lead_waiting = fl_lead_page_get_lead (self->lead_page) != NULL;

  fl_staff_picker_reset (self->staff_picker, can_cancel || self->staff != NULL, lead_waiting);
  gtk_widget_set_visible (GTK_WIDGET (self->staff_picker), TRUE);
  gtk_widget_child_focus (GTK_WIDGET (self->staff_picker), GTK_DIR_TAB_FORWARD);
}

/* The leads captured while the picker was waiting (another badge scanned
 * before anyone answered, or the idle timeout) are theirs as well. */
static void
claim_unnamed_leads (FlWindow *self)
{
  FlLead *open = fl_lead_page_get_lead (self->lead_page);

  for (guint i = 0; self->unnamed_leads != NULL && i < self->unnamed_leads->len; i++)
    {
      const char *uuid = g_ptr_array_index (self->unnamed_leads, i);
      g_autoptr(FlLead) lead = NULL;
      g_autoptr(GError) error = NULL;

      if (open != NULL && g_strcmp0 (fl_lead_get_uuid (open), uuid) == 0)
        continue;
      lead = fl_store_get_lead (self->store, uuid, &error);
      if (lead == NULL || fl_lead_get_captured_by (lead) != NULL)
        continue;
      fl_lead_set_captured_by (lead, self->staff);
      if (!fl_store_save_lead (self->store, lead, self->staff, &error))
        g_warning ("Cannot record who captured %s: %s", uuid, error->message);
    }
  g_clear_pointer (&self->unnamed_leads, g_ptr_array_unref);
}

static void
staff_chosen_cb (FlStaffPicker *picker, const char *name, gpointer user_data)
{
  FlWindow *self = user_data;

  fl_window_set_staff (self, name);
  _fl_window_hide_staff_picker (self);
  /* The lead scanned while nobody was named is theirs too. */
  if (fl_lead_page_get_lead (self->lead_page) != NULL)
    {
      fl_lead_page_set_staff (self->lead_page, self->staff);
      _fl_window_save_open_lead (self);
      fl_lead_page_focus_start (self->lead_page);
    }
  if (self->store != NULL)
    claim_unnamed_leads (self);
}

static void
staff_cancelled_cb (FlStaffPicker *picker, gpointer user_data)
{
  _fl_window_hide_staff_picker (FL_WINDOW (user_data));
}

/* The picker lies over the page stack, which stays as it is below. */
void
_fl_window_staff_init (FlWindow *self, GtkOverlay *overlay)
{
  self->staff_picker = FL_STAFF_PICKER (fl_staff_picker_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->staff_picker), FALSE);
  gtk_overlay_add_overlay (overlay, GTK_WIDGET (self->staff_picker));
  g_signal_connect_object (self->staff_picker, "chosen", G_CALLBACK (staff_chosen_cb), self, 0);
  g_signal_connect_object (self->staff_picker, "cancelled", G_CALLBACK (staff_cancelled_cb), self, 0);
}
