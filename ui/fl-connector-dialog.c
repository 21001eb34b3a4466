/* fl-connector-dialog.c: adds a connector or edits one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-connector-dialog"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-connector-dialog.h"
#include "fl-preferences-private.h"
#include "sync/fl-outbox.h"
#include "sync/fl-secret.h"

struct _FlConnectorDialog
{
  AdwMessageDialog     parent_instance;

  FlConnector         *connector;
  FlStore             *store;
  char                *actor;
  /* The options as the type filled them in, until someone types. */
  char                *filled;

  AdwEntryRow         *name_row;
  AdwComboRow         *type_row;
  GtkStringList       *type_model;
  AdwEntryRow         *url_row;
  AdwEntryRow         *options_row;
  AdwPasswordEntryRow *secret_row;
};

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

static char *
options_to_text (JsonObject *options)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = options ? json_object_get_members (options) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *node = json_object_get_member (options, l->data);

      if (!JSON_NODE_HOLDS_VALUE (node) || g_str_equal (l->data, "event"))
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        g_string_append_printf (text, "%s=%s", (char *) l->data, json_node_get_string (node));
      else
        g_string_append_printf (text, "%s=%" G_GINT64_FORMAT, (char *) l->data, json_node_get_int (node));
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static JsonObject *
text_to_options (const char *text, JsonObject *previous, GError **error)
{
  g_autoptr(JsonObject) options = json_object_new ();
  g_auto(GStrv) parts = g_strsplit (text, ";", -1);

  /* Options the dialog does not show (the event) stay. */
  if (previous != NULL && json_object_has_member (previous, "event"))
    json_object_set_member (options, "event", json_node_copy (json_object_get_member (previous, "event")));
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *part = g_strstrip (parts[i]);
      char *equals = strchr (part, '=');

      if (*part == '\0')
        continue;
      if (equals == NULL || equals == part)
        {
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                       _("Option “%s” is not KEY=VALUE; separate options with semicolons"), part);
          return NULL;
        }
      *equals = '\0';
      json_object_set_string_member (options, g_strstrip (part), g_strstrip (equals + 1));
    }
  return g_steal_pointer (&options);
}

static gboolean
save (FlConnectorDialog *self, GError **error)
{
  const FlConnectorType *type = selected_type (self);
  const char *editing = self->connector ? fl_connector_get_name (self->connector) : NULL;
  g_autofree char *name = _fl_preferences_entry_text (self->name_row);
  g_autofree char *url = _fl_preferences_entry_text (self->url_row);
  g_autofree char *options_text = _fl_preferences_entry_text (self->options_row);
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
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("The connector needs a name, e.g. “crm”"));
      return FALSE;
    }
  outbox = fl_outbox_new (self->store);
  /* What is stored now, not what the dialog was opened with. */
  if (editing != NULL && (previous = fl_outbox_get_connector (outbox, editing, error)) == NULL)
    return FALSE;
  options = text_to_options (options_text, previous ? fl_connector_get_options (previous) : NULL, error);
  if (options == NULL)
    return FALSE;
  if (*secret != '\0' && g_str_equal (type->id, "webhook") && !json_object_has_member (options, "signing"))
    json_object_set_string_member (options, "signing", "true");
  check = fl_connector_new (name, type->id, *url ? url : NULL, options, error);
  if (check == NULL)
    return FALSE;
  if (*secret != '\0' && !fl_secret_store (name, secret, error))
    return FALSE;

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

static void
type_changed_cb (FlConnectorDialog *self)
{
  const FlConnectorType *type = selected_type (self);
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->options_row));
  const char *template = type ? type->options : "";

  update_secret_title (self);
  /* Only an empty field, or one still as filled in, is changed. */
  if (text[0] == '\0' || g_strcmp0 (text, self->filled) == 0)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->options_row), template);
      g_free (self->filled);
      self->filled = g_strdup (template);
    }
}

static void
set_connector (FlConnectorDialog *self, FlConnector *connector)
{
  g_autofree char *options_text = NULL;
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
      options_text = options_to_text (fl_connector_get_options (connector));
      gtk_editable_set_text (GTK_EDITABLE (self->options_row), options_text);
      /* The stored options are not a filled-in template: a new type keeps them. */
      g_clear_pointer (&self->filled, g_free);
    }
  else
    gtk_widget_set_sensitive (GTK_WIDGET (self->name_row), TRUE);
  update_secret_title (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTOR]);
}

static void
fl_connector_dialog_response (AdwMessageDialog *dialog, const char *response)
{
  FlConnectorDialog *self = FL_CONNECTOR_DIALOG (dialog);

  if (g_strcmp0 (response, "save") == 0 && self->store != NULL)
    {
      g_autoptr(GError) error = NULL;
      GtkWidget *parent = GTK_WIDGET (gtk_window_get_transient_for (GTK_WINDOW (self)));

      if (!save (self, &error))
        {
          if (error != NULL && parent != NULL)
            _fl_preferences_toast (parent, error->message);
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
  g_clear_pointer (&self->filled, g_free);
  G_OBJECT_CLASS (fl_connector_dialog_parent_class)->finalize (object);
}

static void
fl_connector_dialog_class_init (FlConnectorDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  AdwMessageDialogClass *dialog_class = ADW_MESSAGE_DIALOG_CLASS (klass);

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
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, options_row);
  gtk_widget_class_bind_template_child (widget_class, FlConnectorDialog, secret_row);
  gtk_widget_class_bind_template_callback (widget_class, type_changed_cb);
}

static void
fl_connector_dialog_init (FlConnectorDialog *self)
{
  guint n_types;
  const FlConnectorType *types = fl_connector_get_types (&n_types);

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
