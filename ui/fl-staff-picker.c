/* fl-staff-picker.c: who is at the booth, asked with large buttons
 *
 * Shown over the kiosk when a badge is scanned and nobody said who is at
 * the booth (the lead is already saved underneath), and from the staff
 * menu. A tap on a name answers; a new colleague can be added here, with
 * the PIN of one who can open the back office when there is one, so that
 * a visitor cannot add themselves.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-staff-picker"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-staff-picker.h"

struct _FlStaffPicker
{
  AdwBin               parent_instance;

  FlStore             *store;
  FlPinGuard          *guard;
  gboolean             can_cancel;
  gboolean             lead_waiting;
  gboolean             have_staff;

  /* Template widgets */
  GtkLabel            *title_label;
  GtkLabel            *description_label;
  GtkFlowBox          *names_box;
  GtkRevealer         *add_revealer;
  AdwEntryRow         *name_row;
  AdwPasswordEntryRow *pin_row;
  AdwPasswordEntryRow *repeat_row;
  AdwPreferencesGroup *approve_group;
  AdwComboRow         *approver_row;
  GtkStringList       *approver_model;
  AdwPasswordEntryRow *approver_pin_row;
  GtkLabel            *message_label;
  GtkButton           *cancel_button;
  GtkButton           *add_button;
};

G_DEFINE_FINAL_TYPE (FlStaffPicker, fl_staff_picker, ADW_TYPE_BIN)

enum
{
  SIGNAL_CHOSEN,
  SIGNAL_CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (FlStaffPicker *self, const char *message)
{
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');
}

static void
clear_entries (FlStaffPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->approver_pin_row), "");
}

/* The buttons below the names: what they do depends on whether the form
 * for a new colleague is open. */
static void
update_buttons (FlStaffPicker *self)
{
  gboolean adding = gtk_revealer_get_reveal_child (self->add_revealer);

  gtk_button_set_label (self->add_button, adding ? _("_Add and Start") : _("_Add Staff Member…"));
  if (adding)
    gtk_widget_add_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->add_button), "suggested-action");
  /* With nobody to choose from, the form is all there is. */
  gtk_widget_set_visible (GTK_WIDGET (self->cancel_button),
                          self->can_cancel || (adding && self->have_staff));
  gtk_widget_set_visible (GTK_WIDGET (self->names_box), self->have_staff && !adding);
  gtk_widget_set_visible (GTK_WIDGET (self->approve_group), self->have_staff);
}

static void
set_adding (FlStaffPicker *self, gboolean adding)
{
  gtk_revealer_set_reveal_child (self->add_revealer, adding);
  update_buttons (self);
  if (adding)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
name_clicked_cb (GtkButton *button, gpointer user_data)
{
  FlStaffPicker *self = user_data;
  const char *name = g_object_get_data (G_OBJECT (button), "fl-staff-name");

  show_message (self, NULL);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, name);
}

/* Reads the names again; called on FlStore::staff-changed too, so a
 * colleague added in the back office is here at once. */
static void
load_names (FlStaffPicker *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->names_box))) != NULL)
    gtk_flow_box_remove (self->names_box, child);
  if (self->store != NULL)
    names = fl_staff_list (self->store, &error);
  if (error != NULL)
    show_message (self, error->message);
  self->have_staff = names != NULL && names[0] != NULL;
  for (guint i = 0; names != NULL && names[i] != NULL; i++)
    {
      GtkWidget *button = gtk_button_new ();
      GtkWidget *label = gtk_label_new (names[i]);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "staff-name");
      g_object_set_data_full (G_OBJECT (button), "fl-staff-name", g_strdup (names[i]), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (name_clicked_cb), self);
      gtk_flow_box_append (self->names_box, button);
    }
  gtk_string_list_splice (self->approver_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->approver_model)),
                          names != NULL ? (const char * const *) names : NULL);
  update_buttons (self);
}

/* The colleague's PIN goes through the same guard as the back office's
 * lock: wrong tries count and make the next one wait. */
static gboolean
approved (FlStaffPicker *self, char **approver)
{
  g_autoptr(GError) error = NULL;
  GtkStringObject *item = adw_combo_row_get_selected_item (self->approver_row);
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->approver_pin_row));

  if (item == NULL)
    {
      show_message (self, _("Choose the colleague who allows it."));
      return FALSE;
    }
  if (!fl_pin_guard_try (self->guard, gtk_string_object_get_string (item), pin, g_get_real_time (), &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->approver_pin_row), "");
      show_message (self, g_error_matches (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN)
                            ? _("Wrong PIN of the colleague. Ask them to enter it again.")
                            : error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->approver_pin_row));
      return FALSE;
    }
  *approver = g_strdup (gtk_string_object_get_string (item));
  return TRUE;
}

static void
add_member (FlStaffPicker *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  g_autofree char *approver = NULL;
  g_auto(GStrv) before = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_row));

  if (*name == '\0')
    {
      show_message (self, _("Enter the name, as colleagues will see it on the leads."));
      gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
      return;
    }
  before = fl_staff_list (self->store, NULL);
  if (before != NULL && g_strv_contains ((const char * const *) before, name))
    {
      show_message (self, _("There is a staff member of that name already: tap the name above."));
      return;
    }
  if (!fl_staff_check_pin (pin, &error))
    {
      show_message (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
      return;
    }
  if (g_strcmp0 (pin, repeat) != 0)
    {
      show_message (self, _("The two PINs differ. Enter the same PIN twice."));
      gtk_editable_set_text (GTK_EDITABLE (self->repeat_row), "");
      gtk_widget_grab_focus (GTK_WIDGET (self->repeat_row));
      return;
    }
  if (self->have_staff && !approved (self, &approver))
    return;
  if (!fl_staff_set (self->store, name, pin, &error))
    {
      show_message (self, error->message);
      return;
    }
  fl_store_add_audit (self->store, NULL, approver ? approver : name, "staff-added", name, NULL);
  clear_entries (self);
  show_message (self, NULL);
  gtk_revealer_set_reveal_child (self->add_revealer, FALSE);
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, name);
}

static void
add_cb (FlStaffPicker *self)
{
  if (!gtk_revealer_get_reveal_child (self->add_revealer))
    {
      show_message (self, NULL);
      set_adding (self, TRUE);
      return;
    }
  add_member (self);
}

static void
cancel_cb (FlStaffPicker *self)
{
  show_message (self, NULL);
  clear_entries (self);
  if (gtk_revealer_get_reveal_child (self->add_revealer) && self->have_staff)
    {
      set_adding (self, FALSE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
}

static void
fl_staff_picker_dispose (GObject *object)
{
  FlStaffPicker *self = FL_STAFF_PICKER (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_STAFF_PICKER);
  G_OBJECT_CLASS (fl_staff_picker_parent_class)->dispose (object);
}

static void
fl_staff_picker_finalize (GObject *object)
{
  FlStaffPicker *self = FL_STAFF_PICKER (object);

  g_clear_object (&self->guard);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (fl_staff_picker_parent_class)->finalize (object);
}

static void
fl_staff_picker_class_init (FlStaffPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_staff_picker_dispose;
  object_class->finalize = fl_staff_picker_finalize;

  /**
   * FlStaffPicker::chosen:
   * @name: the staff member now at the booth (added just now, perhaps)
   */
  signals[SIGNAL_CHOSEN] = g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FlStaffPicker::cancelled:
   *
   * Staff kept who was at the booth before (only when it may be cancelled).
   */
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-staff-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, description_label);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, names_box);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, add_revealer);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, name_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, pin_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, repeat_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, approve_group);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, approver_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, approver_model);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, approver_pin_row);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, message_label);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FlStaffPicker, add_button);
  gtk_widget_class_bind_template_callback (widget_class, add_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_cb);
}

static void
fl_staff_picker_init (FlStaffPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_buttons (self);
}

GtkWidget *
fl_staff_picker_new (void)
{
  return g_object_new (FL_TYPE_STAFF_PICKER, NULL);
}

/**
 * fl_staff_picker_get_can_cancel:
 *
 * Returns: whether staff may leave the picker without choosing
 */
gboolean
fl_staff_picker_get_can_cancel (FlStaffPicker *self)
{
  g_return_val_if_fail (FL_IS_STAFF_PICKER (self), FALSE);
  return self->can_cancel;
}

/**
 * fl_staff_picker_set_store:
 * @store: (nullable): where the staff are; the names follow its changes
 */
void
fl_staff_picker_set_store (FlStaffPicker *self, FlStore *store)
{
  g_return_if_fail (FL_IS_STAFF_PICKER (self));
  g_return_if_fail (store == NULL || FL_IS_STORE (store));

  if (self->store == store)
    return;
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_clear_object (&self->guard);
  if (store != NULL)
    {
      self->guard = fl_pin_guard_new (store);
      g_signal_connect_object (store, "staff-changed", G_CALLBACK (load_names), self, G_CONNECT_SWAPPED);
    }
  load_names (self);
}

/**
 * fl_staff_picker_reset:
 * @can_cancel: whether staff may go back without choosing
 * @lead_waiting: a lead was just saved without a name, and is kept
 *
 * Reads the names again and forgets anything typed.
 */
void
fl_staff_picker_reset (FlStaffPicker *self, gboolean can_cancel, gboolean lead_waiting)
{
  g_return_if_fail (FL_IS_STAFF_PICKER (self));

  self->can_cancel = can_cancel;
  self->lead_waiting = lead_waiting;
  clear_entries (self);
  show_message (self, NULL);
  load_names (self);
  gtk_revealer_set_reveal_child (self->add_revealer, !self->have_staff);
  gtk_label_set_label (self->description_label,
                       lead_waiting
                         ? _("The scan is saved. Tap your name, and the lead and every one after it "
                             "are recorded as yours.")
                         : _("Tap your name: every lead captured from now on is recorded as yours."));
  update_buttons (self);
}

/* For the GUI tests */

GtkButton *
_fl_staff_picker_get_name_button (FlStaffPicker *self, const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->names_box));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "fl-staff-name"), name) == 0)
        return GTK_BUTTON (button);
    }
  return NULL;
}

GtkButton *
_fl_staff_picker_get_add_button (FlStaffPicker *self)
{
  return self->add_button;
}

GtkButton *
_fl_staff_picker_get_cancel_button (FlStaffPicker *self)
{
  return self->cancel_button;
}

void
_fl_staff_picker_get_entries (FlStaffPicker *self, GtkEditable **name, GtkEditable **pin,
                              GtkEditable **repeat, AdwComboRow **approver, GtkEditable **approver_pin)
{
  *name = GTK_EDITABLE (self->name_row);
  *pin = GTK_EDITABLE (self->pin_row);
  *repeat = GTK_EDITABLE (self->repeat_row);
  *approver = self->approver_row;
  *approver_pin = GTK_EDITABLE (self->approver_pin_row);
}

GtkLabel *
_fl_staff_picker_get_message (FlStaffPicker *self)
{
  return self->message_label;
}

GtkLabel *
_fl_staff_picker_get_title (FlStaffPicker *self)
{
  return self->title_label;
}
