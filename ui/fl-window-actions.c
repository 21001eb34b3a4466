/* fl-window-actions.c: the actions of the kiosk window
 *
 * Every win.* action and its shortcuts are installed on the class here,
 * and _fl_window_update_actions() is the one place that says which of
 * them can be used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office.h"
#include "fl-window-private.h"

static void
reload_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  fl_window_reload (FL_WINDOW (widget));
}

static void
manual_entry_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  g_autoptr(FlLead) entered = fl_lead_new ();

  _fl_window_capture (self, NULL, FL_SOURCE_MANUAL, entered, NULL);
}

static void
upload_now_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->worker == NULL)
    return;
  if (fl_upload_worker_get_connectors (self->worker) == 0)
    {
      _fl_window_show_toast (self,
                             _("No CRM is connected: nothing can be uploaded, the leads stay on this kiosk. "
                               "Connect one in the back office."),
                             5);
      return;
    }
  fl_upload_worker_retry_now (self->worker);
}

/* The header's lock button: into the back office, and out again to the
 * scan page, locking it behind us. */
static void
back_office_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->store == NULL)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "back-office") == 0)
    {
      _fl_window_show_scan_page (self);
      return;
    }
  _fl_window_show_back_office (self);
}

/* “Connect a CRM…”: the back office's connector settings, behind the
 * staff PIN as the whole back office is. */
static void
connect_crm_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->store == NULL || !_fl_window_show_back_office (self))
    return;
  fl_upload_button_popdown (self->upload_button);
  fl_back_office_open_settings (FL_BACK_OFFICE (self->back_office), "connectors");
}

/* The staff menu's “Add Staff Member…”: the picker, which may be left
 * without a choice here. */
static void
choose_staff_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (self->store != NULL)
    _fl_window_show_staff_picker (self, TRUE);
}

/* Ctrl+Return and Escape work wherever the focus is, the header too. */
static void
done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "lead") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->lead_page), "lead.done", NULL);
}

static void
escape_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);
  const char *page = gtk_stack_get_visible_child_name (self->stack);

  /* While the kiosk asks who is at the booth, Escape leaves the question
   * when it may be left, and never closes the lead below. */
  if (gtk_widget_get_visible (GTK_WIDGET (self->staff_picker)))
    {
      if (fl_staff_picker_get_can_cancel (self->staff_picker))
        gtk_widget_set_visible (GTK_WIDGET (self->staff_picker), FALSE);
      return;
    }
  if (g_strcmp0 (page, "back-office") == 0)
    _fl_window_show_scan_page (self);
  else if (g_strcmp0 (page, "lead") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->lead_page), "lead.close", NULL);
  else if (g_strcmp0 (page, "thanks") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self->thanks_page), "thanks.next", NULL);
}

static void
cancel_card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlWindow *self = FL_WINDOW (widget);

  _fl_window_cancel_card (self);
}

/* Every action's enabled state, computed here and only here: called
 * whenever the store, the worker or the database's health changes. The
 * others (fullscreen, staff, done, escape, cancel-card) are always
 * enabled and do nothing on a page where they do not apply. */
void
_fl_window_update_actions (FlWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.manual-entry",
                                 self->store != NULL && !self->damaged);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.upload-now", self->worker != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.back-office", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.connect-crm", self->store != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.choose-staff", self->store != NULL);
}

void
_fl_window_class_actions_init (FlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_install_property_action (widget_class, "win.fullscreen", "fullscreened");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "win.fullscreen", NULL);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.manual-entry", NULL, manual_entry_action);
  gtk_widget_class_install_action (widget_class, "win.upload-now", NULL, upload_now_action);
  gtk_widget_class_install_action (widget_class, "win.back-office", NULL, back_office_action);
  gtk_widget_class_install_action (widget_class, "win.connect-crm", NULL, connect_crm_action);
  gtk_widget_class_install_property_action (widget_class, "win.staff", "staff");
  gtk_widget_class_install_action (widget_class, "win.choose-staff", NULL, choose_staff_action);
  gtk_widget_class_install_action (widget_class, "win.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "win.escape", NULL, escape_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-card", NULL, cancel_card_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "win.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "win.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.escape", NULL);
}
