/* fl-pin-page.c: the staff PIN in front of the back office
 *
 * A visitor at the kiosk must never browse other visitors' data, so the
 * back office opens only for a staff member's PIN. The FlPinGuard makes
 * wrong tries wait, and this page shows how long.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-pin-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-pin-page.h"

#include <string.h>

struct _FlPinPage
{
  AdwBin                parent_instance;

  FlStore              *store;
  FlPinGuard           *guard;
  guint                 countdown_id;
  gboolean              first_run;

  /* Template widgets */
  AdwStatusPage        *status_page;
  GtkStack             *mode_stack;
  AdwComboRow          *staff_row;
  GtkStringList        *staff_model;
  AdwPasswordEntryRow  *pin_row;
  AdwEntryRow          *new_name_row;
  AdwPasswordEntryRow  *new_pin_row;
  AdwPasswordEntryRow  *repeat_pin_row;
  GtkLabel             *message_label;
  GtkButton            *unlock_button;
  GtkGrid              *keypad;
};

G_DEFINE_FINAL_TYPE (FlPinPage, fl_pin_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_UNLOCKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_message (FlPinPage *self, const char *message)
{
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL && *message != '\0');
}

static gboolean countdown_cb (gpointer user_data);

/* Shows the wait the guard imposes and keeps the button off until it ends. */
static void
update_wait (FlPinPage *self)
{
  gint64 wait = fl_pin_guard_get_wait (self->guard, g_get_real_time ());

  if (wait > 0)
    {
      int seconds = (int) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Too many wrong PINs. Try again in %d second.",
                                      "Too many wrong PINs. Try again in %d seconds.",
                                      seconds),
                         seconds);

      show_message (self, text);
      gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), FALSE);
      if (self->countdown_id == 0)
        self->countdown_id = g_timeout_add_seconds (1, countdown_cb, self);
    }
  else
    {
      gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), TRUE);
      g_clear_handle_id (&self->countdown_id, g_source_remove);
    }
}

static gboolean
countdown_cb (gpointer user_data)
{
  FlPinPage *self = user_data;

  if (fl_pin_guard_get_wait (self->guard, g_get_real_time ()) > 0)
    {
      update_wait (self);
      return G_SOURCE_CONTINUE;
    }
  self->countdown_id = 0;
  show_message (self, _("You can try again now."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->unlock_button), TRUE);
  return G_SOURCE_REMOVE;
}

static void
try_unlock (FlPinPage *self)
{
  g_autoptr(GError) error = NULL;
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->pin_row));
  GtkStringObject *item = adw_combo_row_get_selected_item (self->staff_row);
  const char *name;

  if (item == NULL)
    {
      show_message (self, _("Choose your name first."));
      return;
    }
  name = gtk_string_object_get_string (item);
  if (!fl_pin_guard_try (self->guard, name, pin, g_get_real_time (), &error))
    {
      gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
      if (g_error_matches (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN))
        {
          guint failures = fl_pin_guard_get_failures (self->guard);
          g_autofree char *text = NULL;

          if (failures < FL_PIN_FREE_TRIES)
            text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "Wrong PIN. %u more try before the lock waits.",
                                                 "Wrong PIN. %u more tries before the lock waits.",
                                                 FL_PIN_FREE_TRIES - failures),
                                    FL_PIN_FREE_TRIES - failures);
          show_message (self, text ? text : _("Wrong PIN."));
        }
      else
        show_message (self, error->message);
      update_wait (self);
      gtk_widget_grab_focus (GTK_WIDGET (self->pin_row));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  show_message (self, NULL);
  g_signal_emit (self, signals[SIGNAL_UNLOCKED], 0, name);
}

static void
create_first (FlPinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->new_name_row))));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->new_pin_row));
  const char *repeat = gtk_editable_get_text (GTK_EDITABLE (self->repeat_pin_row));

  if (*name == '\0')
    {
      show_message (self, _("Enter your name, as colleagues will see it on the leads you capture."));
      return;
    }
  if (g_strcmp0 (pin, repeat) != 0)
    {
      show_message (self, _("The two PINs differ. Enter the same PIN twice."));
      gtk_editable_set_text (GTK_EDITABLE (self->repeat_pin_row), "");
      return;
    }
  if (!fl_staff_set (self->store, name, pin, &error))
    {
      show_message (self, error->message);
      return;
    }
  fl_store_add_audit (self->store, NULL, name, "staff-added", name, NULL);
  fl_pin_page_reset (self);
  g_signal_emit (self, signals[SIGNAL_UNLOCKED], 0, name);
}

static void
unlock_cb (FlPinPage *self)
{
  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->unlock_button)))
    return;
  if (self->first_run)
    create_first (self);
  else
    try_unlock (self);
}

static gboolean
has_focus_within (FlPinPage *self, gpointer widget)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The PIN entry the keypad types into: the one with the focus, else the
 * first PIN entry, which takes the focus so that the next keys follow. */
static GtkEditable *
keypad_target (FlPinPage *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->pin_row), GTK_WIDGET (self->new_pin_row),
                        GTK_WIDGET (self->repeat_pin_row) };
  GtkWidget *first = self->first_run ? GTK_WIDGET (self->new_pin_row) : GTK_WIDGET (self->pin_row);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (gtk_widget_get_mapped (rows[i]) && has_focus_within (self, rows[i]))
      return GTK_EDITABLE (rows[i]);
  gtk_widget_grab_focus (first);
  return GTK_EDITABLE (first);
}

/* OK: on the first run, from the new PIN on to its repeat; else unlock. */
static void
keypad_ok_cb (FlPinPage *self)
{
  if (self->first_run && has_focus_within (self, self->new_pin_row))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->repeat_pin_row));
      return;
    }
  unlock_cb (self);
}

static void
keypad_digit_cb (GtkButton *button, FlPinPage *self)
{
  GtkEditable *target = keypad_target (self);
  g_autofree char *text = g_strconcat (gtk_editable_get_text (target), gtk_button_get_label (button), NULL);

  gtk_editable_set_text (target, text);
  gtk_editable_set_position (target, -1);
}

static void
keypad_erase_cb (FlPinPage *self)
{
  GtkEditable *target = keypad_target (self);
  g_autofree char *text = g_strdup (gtk_editable_get_text (target));
  gsize length = strlen (text);

  if (length == 0)
    return;
  text[length - 1] = '\0';  /* digits only: one byte each */
  gtk_editable_set_text (target, text);
  gtk_editable_set_position (target, -1);
}

static GtkWidget *
keypad_button (GtkGrid *grid, const char *label, int column, int row)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  /* The focus stays in the PIN entry, where a keyboard would type too. */
  gtk_widget_set_focus_on_click (button, FALSE);
  gtk_grid_attach (grid, button, column, row, 1, 1);
  return button;
}

static void
build_keypad (FlPinPage *self)
{
  GtkWidget *button;

  for (int digit = 0; digit <= 9; digit++)
    {
      char label[2] = { (char) ('0' + digit), '\0' };

      button = keypad_button (self->keypad, label, digit == 0 ? 1 : (digit - 1) % 3,
                              digit == 0 ? 3 : (digit - 1) / 3);
      gtk_widget_add_css_class (button, "digit");
      g_signal_connect (button, "clicked", G_CALLBACK (keypad_digit_cb), self);
    }
  button = keypad_button (self->keypad, NULL, 0, 3);
  gtk_button_set_icon_name (GTK_BUTTON (button), "edit-clear-symbolic");
  gtk_widget_set_tooltip_text (button, _("Erase the last digit"));
  gtk_widget_set_name (button, "keypad-erase");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (keypad_erase_cb), self);
  button = keypad_button (self->keypad, _("OK"), 2, 3);
  gtk_widget_set_name (button, "keypad-ok");
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (keypad_ok_cb), self);
}

/* Typing a PIN and Enter unlocks: the first entry to fill has the focus
 * whenever the page shows, not the button that opened it. */
static void
focus_first_entry (FlPinPage *self)
{
  gtk_widget_grab_focus (self->first_run ? GTK_WIDGET (self->new_name_row) : GTK_WIDGET (self->pin_row));
}

static void
fl_pin_page_dispose (GObject *object)
{
  FlPinPage *self = FL_PIN_PAGE (object);

  g_clear_handle_id (&self->countdown_id, g_source_remove);
  G_OBJECT_CLASS (fl_pin_page_parent_class)->dispose (object);
}

static void
fl_pin_page_finalize (GObject *object)
{
  FlPinPage *self = FL_PIN_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->guard);
  G_OBJECT_CLASS (fl_pin_page_parent_class)->finalize (object);
}

static void
fl_pin_page_class_init (FlPinPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_pin_page_dispose;
  object_class->finalize = fl_pin_page_finalize;

  /**
   * FlPinPage::unlocked:
   * @name: the staff member who unlocked
   */
  signals[SIGNAL_UNLOCKED] = g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-pin-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, status_page);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, staff_row);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, staff_model);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, pin_row);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, new_name_row);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, new_pin_row);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, repeat_pin_row);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, unlock_button);
  gtk_widget_class_bind_template_child (widget_class, FlPinPage, keypad);
  gtk_widget_class_bind_template_callback (widget_class, unlock_cb);
}

static void
fl_pin_page_init (FlPinPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  build_keypad (self);
  g_signal_connect (self, "map", G_CALLBACK (focus_first_entry), NULL);
}

GtkWidget *
fl_pin_page_new (FlStore *store, FlPinGuard *guard)
{
  FlPinPage *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (FL_IS_PIN_GUARD (guard), NULL);

  self = g_object_new (FL_TYPE_PIN_PAGE, NULL);
  self->store = g_object_ref (store);
  self->guard = g_object_ref (guard);
  /* A colleague added at the kiosk can unlock at once. */
  g_signal_connect_object (store, "staff-changed", G_CALLBACK (fl_pin_page_reset), self, G_CONNECT_SWAPPED);
  fl_pin_page_reset (self);
  return GTK_WIDGET (self);
}

gboolean
fl_pin_page_get_first_run (FlPinPage *self)
{
  g_return_val_if_fail (FL_IS_PIN_PAGE (self), FALSE);
  return self->first_run;
}

/**
 * fl_pin_page_reset:
 *
 * Reads the staff list again and clears every PIN typed so far.
 */
void
fl_pin_page_reset (FlPinPage *self)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  guint selected;

  g_return_if_fail (FL_IS_PIN_PAGE (self));

  names = fl_staff_list (self->store, &error);
  if (names == NULL)
    {
      show_message (self, error->message);
      return;
    }
  selected = adw_combo_row_get_selected (self->staff_row);
  gtk_string_list_splice (self->staff_model, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->staff_model)),
                          (const char * const *) names);
  if (selected != GTK_INVALID_LIST_POSITION && selected < g_strv_length (names))
    adw_combo_row_set_selected (self->staff_row, selected);

  self->first_run = names[0] == NULL;
  gtk_stack_set_visible_child_name (self->mode_stack, self->first_run ? "first-run" : "unlock");
  gtk_button_set_label (self->unlock_button, self->first_run ? _("_Create and Unlock") : _("_Unlock"));
  adw_status_page_set_description (self->status_page,
                                   self->first_run
                                   ? _("Visitors’ data is behind a staff PIN. Set up the first staff member.")
                                   : _("Visitors’ data is behind a staff PIN. Choose your name and enter your PIN."));
  gtk_editable_set_text (GTK_EDITABLE (self->pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->new_pin_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->repeat_pin_row), "");
  show_message (self, NULL);
  update_wait (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    focus_first_entry (self);
}

/* For the tests. */
AdwComboRow *
_fl_pin_page_get_staff_row (FlPinPage *self)
{
  return self->staff_row;
}

GtkEditable *
_fl_pin_page_get_pin_entry (FlPinPage *self)
{
  return GTK_EDITABLE (self->pin_row);
}

GtkLabel *
_fl_pin_page_get_message (FlPinPage *self)
{
  return self->message_label;
}

GtkWidget *
_fl_pin_page_get_unlock_button (FlPinPage *self)
{
  return GTK_WIDGET (self->unlock_button);
}

void
_fl_pin_page_get_first_run_entries (FlPinPage *self, GtkEditable **name, GtkEditable **pin, GtkEditable **repeat)
{
  *name = GTK_EDITABLE (self->new_name_row);
  *pin = GTK_EDITABLE (self->new_pin_row);
  *repeat = GTK_EDITABLE (self->repeat_pin_row);
}

/* The keypad's key: "0" to "9", "erase" or "ok". */
GtkWidget *
_fl_pin_page_get_keypad_key (FlPinPage *self, const char *key)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->keypad)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *label = gtk_button_get_label (GTK_BUTTON (child));

      if ((g_str_equal (key, "erase") && g_str_equal (gtk_widget_get_name (child), "keypad-erase")) ||
          (g_str_equal (key, "ok") && g_str_equal (gtk_widget_get_name (child), "keypad-ok")) ||
          (gtk_widget_has_css_class (child, "digit") && g_strcmp0 (label, key) == 0))
        return child;
    }
  g_return_val_if_reached (NULL);
}
