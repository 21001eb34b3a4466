/* fl-connector-dialog.c: adds a connector or edits one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-connector-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-connector-dialog.h"
#include "fl-preferences-private.h"
#include "sync/fl-connector-options.h"
#include "sync/fl-outbox.h"
#include "sync/fl-secret.h"

struct _FlConnectorDialog
{
  AdwMessageDialog     parent_instance;

  FlConnector         *connector;
  FlStore             *store;
  char                *actor;
  /* What the option rows hold, by key, kept when the type changes. */
  GHashTable          *typed;
  GPtrArray           *option_rows;

  AdwEntryRow         *name_row;
  AdwComboRow         *type_row;
  GtkStringList       *type_model;
  AdwEntryRow         *url_row;
  AdwPasswordEntryRow *secret_row;
  GtkListBox          *options_list;
  GtkLabel            *error_label;
  GtkScrolledWindow   *fields_scroller;
};

/* What the dialog needs besides its fields: heading, body, the error
 * label's first lines and the buttons. */
#define CHROME_HEIGHT 260
#define MIN_FIELDS_HEIGHT 160
#define MAX_FIELDS_HEIGHT 420
#define WIDE_WIDTH 480

G_DEFINE_FINAL_TYPE (FlConnectorDialog, fl_connector_dialog, ADW_TYPE_MESSAGE_DIALOG)

enum
{
  PROP_0,
  PROP_CONNECTOR,
  PROP_STORE,
  PROP_ACTOR,
  N_PROPS
};

enum
{
  SAVED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const FlConnectorType *
selected_type (FlConnectorDialog *self)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);
  guint index = adw_combo_row_get_selected (self->type_row);

  return index < n_types ? &types[index] : NULL;
}

/* The option a row edits. */
static const FlConnectorOption *
row_option (GtkWidget *row)
{
  return g_object_get_data (G_OBJECT (row), "option");
}

/* What a row holds: its text, "true" for a switch that is on, "" otherwise. */
static char *
row_value (GtkWidget *row)
{
  const FlConnectorOption *option = row_option (row);

  if (option->kind == FL_OPTION_SWITCH)
    return g_strdup (gtk_switch_get_active (g_object_get_data (G_OBJECT (row), "switch")) ? "true" : "");
  return _fl_preferences_entry_text (row);
}

static void
remember_typed (FlConnectorDialog *self)
{
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->option_rows, i);

      g_hash_table_insert (self->typed, g_strdup (row_option (row)->key), row_value (row));
    }
}

static gboolean
is_schema_key (const char *key)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);

  for (guint t = 0; t < n_types; t++)
    {
      guint n;
      const FlConnectorOption *options = fl_connector_type_get_options (types[t].id, &n);

      for (guint i = 0; i < n; i++)
        if (g_str_equal (options[i].key, key))
          return TRUE;
    }
  return FALSE;
}

/* Clears the marks of the last failed save. */
static void
clear_error (FlConnectorDialog *self)
{
  GtkWidget *rows[] = { GTK_WIDGET (self->name_row), GTK_WIDGET (self->url_row), GTK_WIDGET (self->secret_row) };

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_remove_css_class (rows[i], "error");
  for (guint i = 0; i < self->option_rows->len; i++)
    gtk_widget_remove_css_class (g_ptr_array_index (self->option_rows, i), "error");
}

/* The options to store: those the dialog does not show (the event, field
 * mappings set with fairlead-cli) stay as they were; each row sets its
 * own, or removes it when empty. */
static JsonObject *
collect_options (FlConnectorDialog *self, JsonObject *previous, GtkWidget **culprit, GError **error)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GList) members = previous ? json_object_get_members (previous) : NULL;
  const FlConnectorType *type = selected_type (self);

  for (GList *l = members; l != NULL; l = l->next)
    if (!is_schema_key (l->data))
      json_object_set_member (options, l->data, json_node_copy (json_object_get_member (previous, l->data)));
  for (guint i = 0; i < self->option_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->option_rows, i);
      const FlConnectorOption *option = row_option (row);
      g_autofree char *value = row_value (row);

      if (*value == '\0')
        {
          if (option->required)
            {
              *culprit = row;
              g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("%s needs “%s”: fill it in, as the %s administration shows it"),
                           _(type->label), _(option->label), _(type->label));
              return NULL;
            }
          continue;
        }
      if (option->kind == FL_OPTION_NUMBER)
        {
          guint64 number;

          if (!g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT32, &number, NULL))
            {
              *culprit = row;
              g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("“%s” is not a whole number above 0: %s"), _(option->label), value);
              return NULL;
            }
        }
      json_object_set_string_member (options, option->key, value);
    }
  return g_steal_pointer (&options);
}

static gboolean
save (FlConnectorDialog *self, GtkWidget **culprit, GError **error)
{
  const FlConnectorType *type = selected_type (self);
  const char *editing = self->connector ? fl_connector_get_name (self->connector) : NULL;
  g_autofree char *name = _fl_preferences_entry_text (self->name_row);
  g_autofree char *url = _fl_preferences_entry_text (self->url_row);
  const char *secret = gtk_editable_get_text (GTK_EDITABLE (self->secret_row));
  g_autoptr(FlOutbox) outbox = NULL;
  g_autoptr(FlConnector) previous = NULL;
  g_autoptr(FlConnector) check = NULL;
  g_autoptr(JsonObject) options = NULL;

  g_assert (FL_IS_STORE (self->store));

  if (type == NULL)
    return FALSE;
  if (*name == '\0')
    {
      *culprit = GTK_WIDGET (self->name_row);
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The connector needs a name, e.g. “crm”"));
      return FALSE;
    }
  outbox = fl_outbox_new (self->store);
  /* What is stored now, not what the dialog was opened with. */
  if (editing != NULL && (previous = fl_outbox_get_connector (outbox, editing, error)) == NULL)
    return FALSE;
  options = collect_options (self, previous ? fl_connector_get_options (previous) : NULL, culprit, error);
  if (options == NULL)
    return FALSE;
  if (*secret != '\0' && g_str_equal (type->id, "webhook") && !json_object_has_member (options, "signing"))
    json_object_set_string_member (options, "signing", "true");
  check = fl_connector_new (name, type->id, *url ? url : NULL, options, error);
  if (check == NULL)
    {
      /* The core says what is wrong: the option it names (by key or by
       * the value given), or else the URL. */
      *culprit = GTK_WIDGET (self->url_row);
      for (guint i = 0; error != NULL && *error != NULL && i < self->option_rows->len; i++)
        {
          GtkWidget *row = g_ptr_array_index (self->option_rows, i);
          g_autofree char *value = row_value (row);

          if (strstr ((*error)->message, row_option (row)->key) != NULL ||
              (*value != '\0' && !g_str_equal (value, "true") && strstr ((*error)->message, value) != NULL))
            {
              *culprit = row;
              break;
            }
        }
      return FALSE;
    }
  if (*secret != '\0' && !fl_secret_store (name, secret, error))
    {
      *culprit = GTK_WIDGET (self->secret_row);
      return FALSE;
    }

  if (editing == NULL)
    {
      gint64 n_queued = 0;

      if (!fl_outbox_add_connector (outbox, name, type->id, *url ? url : NULL, options, &n_queued, error))
        return FALSE;
    }
  else if (!fl_outbox_update_connector (outbox, editing, type->id, *url ? url : NULL, options, error))
    return FALSE;
  fl_store_add_audit (self->store, NULL, self->actor, editing ? "connector-changed" : "connector-added", name,
                      NULL);
  return TRUE;
}

static void
update_secret_title (FlConnectorDialog *self)
{
  const FlConnectorType *type = selected_type (self);
  const char *title;

  if (type != NULL && type->secret != NULL)
    title = _(type->secret);
  else
    title = self->connector ? _("New Token or Signing Key (empty: keep)") : _("Token or Signing Key");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->secret_row), title);
}

/* The rows for the chosen type's options: what was typed for a key
 * stays, a stored connector's values fill in, a new one gets the type's
 * first values. */
static void
build_option_rows (FlConnectorDialog *self)
{
  const FlConnectorType *type = selected_type (self);
  JsonObject *stored = self->connector ? fl_connector_get_options (self->connector) : NULL;
  const FlConnectorOption *options;
  guint n = 0;

  remember_typed (self);
  for (guint i = 0; i < self->option_rows->len; i++)
    gtk_list_box_remove (self->options_list, g_ptr_array_index (self->option_rows, i));
  g_ptr_array_set_size (self->option_rows, 0);

  options = type ? fl_connector_type_get_options (type->id, &n) : NULL;
  for (guint i = 0; i < n; i++)
    {
      const FlConnectorOption *option = &options[i];
      const char *value = g_hash_table_lookup (self->typed, option->key);
      g_autofree char *title = option->required ? g_strdup_printf (_("%s (required)"), _(option->label))
                                                : g_strdup (_(option->label));
      GtkWidget *row;

      if (value == NULL && stored != NULL)
        value = json_object_get_string_member_with_default (stored, option->key, NULL);
      if (value == NULL && self->connector == NULL)
        value = option->initial;
      if (option->kind == FL_OPTION_SWITCH)
        {
          GtkWidget *toggle = gtk_switch_new ();

          row = adw_action_row_new ();
          gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
          gtk_switch_set_active (GTK_SWITCH (toggle), g_strcmp0 (value, "true") == 0);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
          g_object_set_data (G_OBJECT (row), "switch", toggle);
        }
      else
        {
          row = adw_entry_row_new ();
          if (option->kind == FL_OPTION_NUMBER)
            adw_entry_row_set_input_purpose (ADW_ENTRY_ROW (row), GTK_INPUT_PURPOSE_DIGITS);
          gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_set_name (row, option->key);
      g_object_set_data (G_OBJECT (row), "option", (gpointer) option);
      gtk_list_box_append (self->options_list, row);
      g_ptr_array_add (self->option_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->options_list), n > 0);
}

static void
type_changed_cb (FlConnectorDialog *self)
{
  update_secret_title (self);
  build_option_rows (self);
}

static void
set_connector (FlConnectorDialog *self, FlConnector *connector)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);

  if (!g_set_object (&self->connector, connector))
    return;
  adw_message_dialog_set_heading (ADW_MESSAGE_DIALOG (self),
                                  connector ? _("Edit Connector") : _("Add Connector"));
  if (connector != NULL)
    {
      const char *url = fl_connector_get_url (connector);

      gtk_editable_set_text (GTK_EDITABLE (self->name_row), fl_connector_get_name (connector));
      gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), FALSE);
      for (guint i = 0; i < n_types; i++)
        if (g_strcmp0 (types[i].id, fl_connector_get_type_name (connector)) == 0)
          adw_combo_row_set_selected (self->type_row, i);
      gtk_editable_set_text (GTK_EDITABLE (self->url_row), url ? url : "");
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), TRUE);
  /* The stored values, not what the rows held for no connector. */
  for (guint i = 0; i < self->option_rows->len; i++)
    gtk_list_box_remove (self->options_list, g_ptr_array_index (self->option_rows, i));
  g_ptr_array_set_size (self->option_rows, 0);
  g_hash_table_remove_all (self->typed);
  build_option_rows (self);
  update_secret_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTOR]);
}

static void
fl_connector_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (dialog);

  gboolean failed = FALSE;

  if (g_strcmp0 (response, "save") == 0 && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;
      GtkWidget *parent = GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self)));
      GtkWidget *culprit = NULL;

      clear_error (self);
      if (!save (self, &culprit, &error))
        {
          /* Nothing typed is lost: the dialog stays, says why in full and
           * marks the field to change. */
          failed = TRUE;
          gtk_label_set_label (self->error_label, error ? error->message : _("The connector was not saved."));
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
          if (culprit != NULL)
            {
              gtk_widget_add_css_class (culprit, "error");
              gtk_widget_grab_focus (culprit);
            }
        }
      else
        {
          if (parent != NULL)
            _fl_preferences_toast (parent, _("Connector saved"));
          g_signal_emit (self, signals[SAVED], 0);
        }
    }
  /* libadwaita 1.2 has no default handler to chain up to. */
  if (ADW_MESSAGE_DIALOG_CLASS (fl_connector_dialog_parent_class)->response != NULL)
    ADW_MESSAGE_DIALOG_CLASS (fl_connector_dialog_parent_class)->response (dialog, response);
  /* A button hid the dialog before this response: shown again after a
   * failed save, destroyed otherwise. */
  if (failed)
    gtk_window_present (GTK_WINDOW (self));
  else if (!gtk_widget_get_visible (GTK_WIDGET (self)))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
fl_connector_dialog_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONNECTOR:
      g_value_set_object (value, self->connector);
      break;
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, self->actor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_connector_dialog_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (object);

  switch (prop_id)
    {
    case PROP_CONNECTOR:
      set_connector (self, g_value_get_object (value));
      break;
    case PROP_STORE:
      if (g_set_object (&self->store, g_value_get_object (value)))
        g_object_notify_by_pspec (object, pspec);
      break;
    case PROP_ACTOR:
      if (g_strcmp0 (self->actor, g_value_get_string (value)) != 0)
        {
          g_free (self->actor);
          self->actor = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_connector_dialog_finalize (GObject *object)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (object);

  g_clear_object (&self->connector);
  g_clear_object (&self->store);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->typed, g_hash_table_unref);
  g_clear_pointer (&self->option_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_connector_dialog_parent_class)->finalize (object);
}

/* A message dialog is 372 px wide with 200 px of fields, for 800×480: on a
 * larger screen the fields' titles ("Token or signing key") were cut and
 * four fields scrolled in a third of a 1024×600 screen. The dialog takes
 * the room the window below it has. */
static void
fl_connector_dialog_realize (GtkWidget *widget)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));
  GdkRectangle area = { 0, 0, 0, 0 };

  GTK_WIDGET_CLASS (fl_connector_dialog_parent_class)->realize (widget);
  /* The window it is over (the settings), else the screen. */
  if (parent != NULL && gtk_widget_get_height (GTK_WIDGET (parent)) > 0)
    {
      area.width = gtk_widget_get_width (GTK_WIDGET (parent));
      area.height = gtk_widget_get_height (GTK_WIDGET (parent));
    }
  else
    {
      GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (widget),
                                                                gtk_native_get_surface (GTK_NATIVE (widget)));

      if (monitor == NULL)
        return;
      gdk_monitor_get_geometry (monitor, &area);
    }
  gtk_scrolled_window_set_max_content_height (self->fields_scroller,
                                              CLAMP (area.height - CHROME_HEIGHT, MIN_FIELDS_HEIGHT,
                                                     MAX_FIELDS_HEIGHT));
  if (area.width >= WIDE_WIDTH + 120)
    {
      int width, height;

      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      if (width < WIDE_WIDTH)
        gtk_window_set_default_size (GTK_WINDOW (self), WIDE_WIDTH, height);
    }
}

static void
fl_connector_dialog_class_init (FlConnectorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

  widget_class->realize = fl_connector_dialog_realize;

  object_class->get_property = fl_connector_dialog_get_property;
  object_class->set_property = fl_connector_dialog_set_property;
  object_class->finalize = fl_connector_dialog_finalize;
  dialog_class->response = fl_connector_dialog_response;

  /**
   * FlConnectorDialog:connector: (nullable)
   *
   * The connector to edit, or %NULL to add one.
   */
  properties[PROP_CONNECTOR] =
    g_param_spec_object ("connector", NULL, NULL, FL_TYPE_CONNECTOR,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * FlConnectorDialog:actor:
   *
   * The staff member who saves, for the audit.
   */
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlConnectorDialog::saved:
   *
   * The connector was stored: lists that show connectors reload.
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                 G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-connector-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, name_row);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, type_row);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, type_model);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, options_list);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, fields_scroller);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, secret_row);
  gtk_widget_class_bind_template_callback (widget_class, type_changed_cb);
}

static void
fl_connector_dialog_init (FlConnectorDialog *self)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);

  self->typed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->option_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < n_types; i++)
    gtk_string_list_append (self->type_model, _(types[i].label));
}

/**
 * fl_connector_dialog_new:
 * @connector: (nullable): the connector to edit, or %NULL to add one
 */
GtkWidget *
fl_connector_dialog_new (GtkWindow *parent, FlStore *store, const char *actor, FlConnector *connector)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (connector == NULL || FL_IS_CONNECTOR (connector), NULL);

  return g_object_new (FL_TYPE_CONNECTOR_DIALOG,
                       "transient-for", parent,
                       "modal", TRUE,
                       "store", store,
                       "actor", actor,
                       "connector", connector,
                       NULL);
}

FlConnector *
fl_connector_dialog_get_connector (FlConnectorDialog *self)
{
  g_return_val_if_fail (FL_IS_CONNECTOR_DIALOG (self), NULL);
  return self->connector;
}

FlStore *
fl_connector_dialog_get_store (FlConnectorDialog *self)
{
  g_return_val_if_fail (FL_IS_CONNECTOR_DIALOG (self), NULL);
  return self->store;
}

const char *
fl_connector_dialog_get_actor (FlConnectorDialog *self)
{
  g_return_val_if_fail (FL_IS_CONNECTOR_DIALOG (self), NULL);
  return self->actor;
}
