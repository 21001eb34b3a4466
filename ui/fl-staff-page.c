/* fl-staff-page.c: who may open the back office
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-staff-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-preferences-private.h"
#include "fl-staff-page.h"
#include "store/fl-staff.h"

struct _FlStaffPage
{
  FlSettingsPage       parent_instance;

  GSignalGroup        *store_signals;
  GPtrArray           *staff_rows;

  AdwPreferencesGroup *staff_group;
  AdwEntryRow         *name_row;
  AdwPasswordEntryRow *pin_row;
};

G_DEFINE_FINAL_TYPE (FlStaffPage, fl_staff_page, FL_TYPE_SETTINGS_PAGE)

static void
load_staff (FlStaffPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  _fl_preferences_clear_rows (self->staff_group, self->staff_rows);
  if (store == NULL)
    return;
  names = fl_staff_list (store, &error);
  if (names == NULL)
    {
      _fl_preferences_add_row (self->staff_group, self->staff_rows, error->message, NULL);
      return;
    }
  for (guint i = 0; names[i] != NULL; i++)
    {
      GtkWidget *row = _fl_preferences_add_row (self->staff_group, self->staff_rows, names[i],
                                                g_strcmp0 (names[i], actor) == 0 ? _("You") : NULL);

      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 _fl_preferences_action_button (NULL, "user-trash-symbolic", "staff.remove",
                                                                names[i]));
    }
}

static void
remove_staff (GtkWidget *widget, const char *name)
{
  FlStaffPage *self = FL_STAFF_PAGE (widget);
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;

  if (!fl_staff_remove (store, name, &error))
    {
      _fl_preferences_toast (widget, error->message);
      return;
    }
  fl_store_add_audit (store, NULL, actor, "staff-removed", name, NULL);
  load_staff (self);
}

static void
remove_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlStaffPage *self = FL_STAFF_PAGE (widget);
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  const char *name = g_variant_get_string (parameter, NULL);
  g_autofree char *body = NULL;

  if (g_strcmp0 (name, actor) == 0)
    {
      _fl_preferences_toast (widget, _("You cannot remove yourself; ask a colleague to do it"));
      return;
    }
  body = g_strdup_printf (_("%s will no longer be able to open the back office. The leads they captured stay."),
                          name);
  _fl_preferences_ask_to_remove (widget, _("Remove Staff Member?"), body, name, remove_staff);
}

static void
save_cb (FlStaffPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autofree char *name = _fl_preferences_entry_text (self->name_row);
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  g_auto(GStrv) before = fl_staff_list (store, NULL);
  gboolean known = before != NULL && g_strv_contains ((const char * const *) before, name);

  if (*name == '\0')
    {
      _fl_preferences_toast (GTK_WIDGET (self), _("Enter the staff member’s name"));
      return;
    }
  if (!fl_staff_set (store, name, pin, &error))
    {
      _fl_preferences_toast (GTK_WIDGET (self), error->message);
      return;
    }
  fl_store_add_audit (store, NULL, actor, known ? "staff-pin-changed" : "staff-added", name, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  _fl_preferences_toast (GTK_WIDGET (self), known ? _("PIN changed") : _("Staff member added"));
  load_staff (self);
}

static void
fl_staff_page_reload (FlSettingsPage *page)
{
  load_staff (FL_STAFF_PAGE (page));
}

static void
fl_staff_page_finalize (GObject *object)
{
  FlStaffPage *self = FL_STAFF_PAGE (object);

  g_clear_object (&self->store_signals);
  g_clear_pointer (&self->staff_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_staff_page_parent_class)->finalize (object);
}

static void
fl_staff_page_class_init (FlStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_staff_page_finalize;

  FL_SETTINGS_PAGE_CLASS (klass)->reload = fl_staff_page_reload;

  gtk_widget_class_install_action (widget_class, "staff.remove", "s", remove_action);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlStaffPage, staff_group);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPage, pin_row);
  gtk_widget_class_bind_template_callback (widget_class, save_cb);
}

static void
fl_staff_page_init (FlStaffPage *self)
{
  self->staff_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* A colleague added at the kiosk shows here at once. */
  self->store_signals = g_signal_group_new (FL_TYPE_STORE);
  g_signal_group_connect_swapped (self->store_signals, "staff-changed", G_CALLBACK (load_staff), self);
  g_object_bind_property (self, "store", self->store_signals, "target", G_BINDING_SYNC_CREATE);
}
