/* fl-preferences-private.c: what the settings pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-preferences"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-preferences-private.h"

/* A toast on the settings window @widget is in, or on the window a
 * dialog of it is transient for. */
void
_fl_preferences_toast (GtkWidget *widget, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWindow *window = GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;

  while (window != NULL && !ADW_IS_PREFERENCES_WINDOW (window))
    window = gtk_window_get_transient_for (window);
  if (window != NULL)
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (window), adw_toast_new (text));
}

char *
_fl_preferences_entry_text (gpointer editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (editable))));
}

void
_fl_preferences_clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

/* A plain-text row in @group, kept in @rows (when given) to be cleared. */
/* Every row under @widget wraps its title, subtitle and (in a combo row)
 * the value chosen, rather than cutting them to "…": on an 800×480
 * screen the settings window is some 620 px wide, and German is long. */
void
_fl_preferences_wrap_rows (GtkWidget *widget)
{
  if (widget == NULL || (GTK_IS_NATIVE (widget) && !GTK_IS_ROOT (widget)))
    return;
  if (ADW_IS_ACTION_ROW (widget))
    {
      adw_action_row_set_title_lines (ADW_ACTION_ROW (widget), 0);
      adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (widget), 0);
    }
  if (GTK_IS_LABEL (widget) && gtk_widget_get_ancestor (widget, ADW_TYPE_COMBO_ROW) != NULL &&
      gtk_label_get_ellipsize (GTK_LABEL (widget)) != PANGO_ELLIPSIZE_NONE)
    {
      gtk_label_set_ellipsize (GTK_LABEL (widget), PANGO_ELLIPSIZE_NONE);
      gtk_label_set_wrap (GTK_LABEL (widget), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (widget), PANGO_WRAP_WORD_CHAR);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    _fl_preferences_wrap_rows (child);
}

GtkWidget *
_fl_preferences_add_row (AdwPreferencesGroup *group, GPtrArray *rows, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_preferences_group_add (group, row);
  if (rows != NULL)
    g_ptr_array_add (rows, row);
  return row;
}

/* A row's button that activates @action with @name as its target; with
 * @icon_name it is the flat trash button, which asks before removing. */
GtkWidget *
_fl_preferences_action_button (const char *label, const char *icon_name, const char *action, const char *name)
{
  GtkWidget *button = label != NULL ? gtk_button_new_with_mnemonic (label) : gtk_button_new_from_icon_name (icon_name);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  if (label == NULL)
    {
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _("Remove"));
    }
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_string (name));
  return button;
}

typedef struct
{
  GtkWidget             *page;
  char                  *name;
  FlPreferencesNameFunc  func;
} NameCall;

static NameCall *
name_call_new (GtkWidget *page, const char *name, FlPreferencesNameFunc func)
{
  NameCall *call = g_new0 (NameCall, 1);

  call->page = g_object_ref (page);
  call->name = g_strdup (name);
  call->func = func;
  return call;
}

static void
name_call_free (gpointer data, GClosure *closure)
{
  NameCall *call = data;

  g_object_unref (call->page);
  g_free (call->name);
  g_free (call);
}

static void
remove_response_cb (AdwMessageDialog *dialog, const char *response, NameCall *call)
{
  if (g_strcmp0 (response, "remove") == 0)
    call->func (call->page, call->name);
}

/* Asks before removing @name; @remove runs on "Remove". */
AdwMessageDialog *
_fl_preferences_ask_to_remove (GtkWidget *page, const char *heading, const char *body, const char *name,
                               FlPreferencesNameFunc remove)
{
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (page)), heading, body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "remove", _("_Remove"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove", ADW_RESPONSE_DESTRUCTIVE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (remove_response_cb), name_call_new (page, name, remove),
                         name_call_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
file_response_cb (GtkNativeDialog *dialog, int response, NameCall *call)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT && (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL)
    {
      path = g_file_get_path (file);
      if (path == NULL)
        _fl_preferences_toast (call->page, _("Choose a file on this computer"));
      else
        call->func (call->page, path);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

/* Lets someone choose a local file; @chosen gets its path. */
void
_fl_preferences_open_file (GtkWidget *page, const char *title, const char *filter_name, const char *pattern,
                           FlPreferencesNameFunc chosen)
{
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new (title, GTK_WINDOW (gtk_widget_get_root (page)),
                                                              GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"),
                                                              _("_Cancel"));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, filter_name);
  gtk_file_filter_add_pattern (filter, pattern);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect_data (dialog, "response", G_CALLBACK (file_response_cb), name_call_new (page, NULL, chosen),
                         name_call_free, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}
