/* fl-quick-notes-box.c: the model's quick notes as chips to tap
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-quick-notes-box"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-quick-notes-box.h"

/* Typing a note is the slowest step of a capture: the follow-ups staff
 * write again and again ("Send quote", "Call in Q3") are chips, each a
 * GtkToggleButton of at least 44 px in a GtkFlowBox that wraps them on a
 * narrow screen. The box only shows and reports; the lead page keeps them
 * in the note (score/fl-quick-notes.h). */

struct _FlQuickNotesBox
{
  GtkWidget   parent_instance;

  FlModel    *model;
  GtkFlowBox *flow;
  GPtrArray  *chips;     /* GtkToggleButton, in the model's order */
  guint       updating;  /* > 0 while chips are set from the lead */
};

G_DEFINE_FINAL_TYPE (FlQuickNotesBox, fl_quick_notes_box, GTK_TYPE_WIDGET)

enum
{
  TOGGLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
chip_toggled_cb (GtkToggleButton *chip, gpointer user_data)
{
  FlQuickNotesBox *self = user_data;

  if (self->updating > 0)
    return;
  g_signal_emit (self, signals[TOGGLED], 0, g_object_get_data (G_OBJECT (chip), "fl-quick-note"),
                 gtk_toggle_button_get_active (chip));
}

static void
fl_quick_notes_box_dispose (GObject *object)
{
  FlQuickNotesBox *self = FL_QUICK_NOTES_BOX (object);

  if (self->flow != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->flow));
      self->flow = NULL;
    }
  G_OBJECT_CLASS (fl_quick_notes_box_parent_class)->dispose (object);
}

static void
fl_quick_notes_box_finalize (GObject *object)
{
  FlQuickNotesBox *self = FL_QUICK_NOTES_BOX (object);

  g_clear_object (&self->model);
  g_clear_pointer (&self->chips, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_quick_notes_box_parent_class)->finalize (object);
}

static void
fl_quick_notes_box_class_init (FlQuickNotesBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_quick_notes_box_dispose;
  object_class->finalize = fl_quick_notes_box_finalize;

  /**
   * FlQuickNotesBox::toggled:
   * @id: the quick note's id
   * @chosen: whether staff chose it or took it back
   *
   * Staff tapped a chip (not emitted by fl_quick_notes_box_set_chosen()).
   */
  signals[TOGGLED] = g_signal_new ("toggled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "quicknotes");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fl_quick_notes_box_init (FlQuickNotesBox *self)
{
  self->chips = g_ptr_array_new ();
  self->flow = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->flow, GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (self->flow, 8);
  gtk_flow_box_set_row_spacing (self->flow, 8);
  gtk_flow_box_set_max_children_per_line (self->flow, 6);
  gtk_widget_set_parent (GTK_WIDGET (self->flow), GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Quick notes"), -1);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
fl_quick_notes_box_new (void)
{
  return g_object_new (FL_TYPE_QUICK_NOTES_BOX, NULL);
}

FlModel *
fl_quick_notes_box_get_model (FlQuickNotesBox *self)
{
  g_return_val_if_fail (FL_IS_QUICK_NOTES_BOX (self), NULL);
  return self->model;
}

/**
 * fl_quick_notes_box_set_model:
 * @model: (nullable): the event's model; %NULL or a model without quick
 *   notes hides the box
 * @language: the language of the chips' labels (staff's)
 *
 * Makes one chip per quick note of @model, none chosen.
 */
void
fl_quick_notes_box_set_model (FlQuickNotesBox *self, FlModel *model, FlLanguage language)
{
  GtkWidget *child;

  g_return_if_fail (FL_IS_QUICK_NOTES_BOX (self));
  g_return_if_fail (model == NULL || FL_IS_MODEL (model));

  g_set_object (&self->model, model);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->flow))) != NULL)
    gtk_flow_box_remove (self->flow, child);
  g_ptr_array_set_size (self->chips, 0);

  for (guint i = 0; model != NULL && i < fl_model_get_n_quick_notes (model); i++)
    {
      GtkWidget *chip = g_object_new (GTK_TYPE_TOGGLE_BUTTON,
                                      "child", g_object_new (GTK_TYPE_LABEL,
                                                             "label", fl_model_get_quick_note_label (model, i, language),
                                                             "wrap", TRUE,
                                                             "justify", GTK_JUSTIFY_CENTER,
                                                             NULL),
                                      NULL);

      gtk_widget_add_css_class (chip, "choice");
      gtk_widget_add_css_class (chip, "quick-note");
      g_object_set_data_full (G_OBJECT (chip), "fl-quick-note",
                              g_strdup (fl_model_get_quick_note_id (model, i)), g_free);
      g_signal_connect (chip, "toggled", G_CALLBACK (chip_toggled_cb), self);
      gtk_flow_box_append (self->flow, chip);
      g_ptr_array_add (self->chips, chip);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), self->chips->len > 0);
}

/**
 * fl_quick_notes_box_set_chosen:
 * @ids: (nullable): the chosen quick notes' ids
 *
 * Shows which quick notes the lead has, without emitting ::toggled.
 */
void
fl_quick_notes_box_set_chosen (FlQuickNotesBox *self, const char *const *ids)
{
  g_return_if_fail (FL_IS_QUICK_NOTES_BOX (self));

  self->updating++;
  for (guint i = 0; i < self->chips->len; i++)
    {
      GtkToggleButton *chip = g_ptr_array_index (self->chips, i);
      const char *id = g_object_get_data (G_OBJECT (chip), "fl-quick-note");

      gtk_toggle_button_set_active (chip, ids != NULL && g_strv_contains (ids, id));
    }
  self->updating--;
}

GtkToggleButton *
_fl_quick_notes_box_get_chip (FlQuickNotesBox *self, const char *id)
{
  g_return_val_if_fail (FL_IS_QUICK_NOTES_BOX (self), NULL);

  for (guint i = 0; i < self->chips->len; i++)
    {
      GtkToggleButton *chip = g_ptr_array_index (self->chips, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (chip), "fl-quick-note"), id) == 0)
        return chip;
    }
  return NULL;
}
