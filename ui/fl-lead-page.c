/* fl-lead-page.c: the visitor just captured — contact, questions, score, consent
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The lead is already saved when the page opens: capture committed it.
 * Every change made here is applied to the lead in memory at once, scored
 * at once (the score bar moves as the visitor answers) and written a
 * moment later, each write one transaction in the store. Leaving the page
 * in any way — Done, Escape, a new scan, the idle timeout — writes what is
 * still pending first.
 */
#define G_LOG_DOMAIN "fl-lead-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-page.h"
#include "fl-lead-page-private.h"
#include "fl-quick-notes-box.h"
#include "fl-text-limit.h"
#include "fl-ui-util.h"
#include "lead/fl-json.h"
#include "lead/fl-payload.h"
#include "store/fl-capture.h"
#include "store/fl-discard.h"
#include "store/fl-privacy.h"
#include "score/fl-model.h"
#include "score/fl-quick-notes.h"
#include "score/fl-scorer.h"
#include "score/fl-visitor-text.h"
#include "scan/fl-card-result.h"

/* Long enough to gather a word typed into a field into one write, short
 * enough that nothing is pending when the visitor walks away. */
#define SAVE_DELAY_MS 400

/* Fields read from a business card below this confidence are marked for
 * staff to check; on the test cards, fields below it were wrong more
 * often than right. */
#define CARD_UNSURE_BELOW 0.6

typedef struct
{
  FlLeadPage      *page;
  FlModel         *model;
  guint            index;     /* of the question in the model */
  const char      *id;        /* owned by the model */
  FlQuestionType   type;
  GtkLabel        *title;
  GPtrArray       *buttons;  /* GtkToggleButton, one per choice */
  GtkEditable     *entry;    /* text questions */
} QuestionView;

struct _FlLeadPage
{
  AdwBin             parent_instance;

  FlStore           *store;
  FlModel           *model;
  FlModel           *built_for;     /* the model the question widgets show */
  FlLead            *lead;
  char              *staff;
  char              *visit_start;   /* interactions from here on are this visit's */
  char              *source;        /* how the lead came in, as the header says it */
  FlLanguage         language;
  gboolean           merged;
  gboolean           dirty;
  guint              updating;      /* > 0 while widgets are set from the lead */
  guint              save_id;
  GPtrArray         *questions;     /* QuestionView */
  GPtrArray         *interactions;  /* GtkToggleButton */

  /* Template widgets */
  GtkLabel          *name_label;
  GtkLabel          *source_label;
  GtkWidget         *score_box;
  GtkLabel          *status_label;
  GtkLabel          *score_label;
  GtkLevelBar       *score_bar;
  GtkWidget         *discard_button;
  GtkWidget         *done_button;
  GtkScrolledWindow *scroller;
  GtkRevealer       *welcome_revealer;
  GtkLabel          *welcome_label;
  GtkExpander       *why_expander;
  GtkListBox        *why_list;
  GtkWidget         *language_box;
  GtkLabel          *language_title;
  GtkFlowBox        *language_flow;
  GtkToggleButton   *language_buttons[FL_N_LANGUAGES];
  GtkWidget         *consent_title;
  AdwPreferencesGroup *contact_group;
  AdwEntryRow       *first_name_row;
  AdwEntryRow       *last_name_row;
  AdwEntryRow       *company_row;
  AdwEntryRow       *job_title_row;
  AdwEntryRow       *email_row;
  AdwEntryRow       *phone_row;
  AdwEntryRow       *city_row;
  AdwEntryRow       *country_row;
  GtkBox            *content_box;
  GtkWidget         *notes_section;
  GtkFlowBox        *contact_flow;
  GtkWidget         *card_box;
  GtkLabel          *card_hint_label;
  GtkPicture        *card_picture;
  GtkBox            *questions_box;
  GtkWidget         *interactions_section;
  GtkFlowBox        *interactions_box;
  GtkTextView       *notes_view;
  GtkWidget         *notes_limit_label;
  FlQuickNotesBox   *quick_notes;
  GtkToggleButton   *visitor_view_button;
  GtkWidget         *consent_box;
  GtkCheckButton    *consent_check;
  GtkLabel          *consent_label;
  GtkLabel          *privacy_label;
  JsonNode          *privacy_notice;   /* the event's, per language; NULL for the default */
};

G_DEFINE_FINAL_TYPE (FlLeadPage, fl_lead_page, ADW_TYPE_BIN)

enum
{
  DONE,
  CLOSED,
  DISCARDED,
  SAVE_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Interactions the kiosk records by itself; staff do not tick them. */
static const char *automatic_interactions[] = { "badge-scan", "repeat-visit", NULL };

static AdwEntryRow *
field_row (FlLeadPage *self, FlField field)
{
  switch (field)
    {
    case FL_FIELD_FIRST_NAME: return self->first_name_row;
    case FL_FIELD_LAST_NAME: return self->last_name_row;
    case FL_FIELD_COMPANY: return self->company_row;
    case FL_FIELD_TITLE: return self->job_title_row;
    case FL_FIELD_EMAIL: return self->email_row;
    case FL_FIELD_PHONE: return self->phone_row;
    case FL_FIELD_CITY: return self->city_row;
    case FL_FIELD_COUNTRY: return self->country_row;
    default: return NULL;
    }
}

static void
question_view_free (QuestionView *view)
{
  g_clear_pointer (&view->buttons, g_ptr_array_unref);
  g_clear_object (&view->model);
  g_free (view);
}

static char *
strip_or_null (const char *text)
{
  g_autofree char *copy = g_strstrip (g_strdup (text ? text : ""));

  return copy[0] != '\0' ? g_steal_pointer (&copy) : NULL;
}

/* Saving */

static gboolean
save_timeout_cb (gpointer user_data)
{
  FlLeadPage *self = user_data;
  g_autoptr(GError) error = NULL;

  self->save_id = 0;
  if (!fl_lead_page_save (self, &error))
    g_signal_emit (self, signals[SAVE_FAILED], 0, error);
  return G_SOURCE_REMOVE;
}

static void
changed (FlLeadPage *self)
{
  if (self->updating > 0 || self->lead == NULL)
    return;
  self->dirty = TRUE;
  g_clear_handle_id (&self->save_id, g_source_remove);
  self->save_id = g_timeout_add (SAVE_DELAY_MS, save_timeout_cb, self);
}

/* The score */

static void
update_why (FlLeadPage *self)
{
  JsonNode *breakdown = fl_lead_get_breakdown (self->lead);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->why_list))) != NULL)
    gtk_list_box_remove (self->why_list, child);
  if (breakdown == NULL || !JSON_NODE_HOLDS_ARRAY (breakdown))
    return;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (breakdown)); i++)
    {
      JsonNode *item = json_array_get_element (json_node_get_array (breakdown), i);
      const char *reason;
      GtkWidget *label;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      reason = json_object_get_string_member_with_default (json_node_get_object (item), "reason",
                                                           NULL);
      if (reason == NULL)
        continue;
      label = g_object_new (GTK_TYPE_LABEL,
                            "label", reason,
                            "xalign", 0.0f,
                            "wrap", TRUE,
                            "margin-top", 12, "margin-bottom", 12,
                            "margin-start", 12, "margin-end", 12,
                            NULL);
      gtk_list_box_append (self->why_list, label);
    }
}

static void
update_score (FlLeadPage *self)
{
  g_autofree char *text = NULL;
  FlStatus status;
  int score;

  if (self->model == NULL || fl_lead_get_model (self->lead) == NULL)
    {
      /* No model at this event: the lead is captured unscored, and the
       * page does not pretend otherwise. */
      gtk_widget_set_visible (self->score_box, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->why_expander), FALSE);
      return;
    }

  status = fl_lead_get_status (self->lead);
  score = fl_lead_get_score (self->lead);
  gtk_widget_set_visible (self->score_box, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->why_expander), TRUE);

  fl_widget_set_status_class (GTK_WIDGET (self->status_label), status);
  gtk_label_set_label (self->status_label, status == FL_STATUS_DISQUALIFIED
                                             ? _("DISQUALIFIED")
                                             : fl_status_to_string (status));

  /* Translators: the lead's score, then the score at which it goes to sales */
  text = g_strdup_printf (_("%d points · SAL from %d"), score,
                          fl_model_get_sal_threshold (self->model));
  gtk_label_set_label (self->score_label, text);
  gtk_level_bar_set_max_value (self->score_bar, MAX (1, fl_model_get_max_total (self->model)));
  gtk_level_bar_set_value (self->score_bar, CLAMP (score, 0, fl_model_get_max_total (self->model)));

  update_why (self);
}

static void
rescore (FlLeadPage *self)
{
  if (self->model != NULL)
    fl_scorer_apply (self->model, self->lead, NULL);
  update_score (self);
}

static void
update_name (FlLeadPage *self)
{
  const char *name = fl_lead_get_display_name (self->lead);
  const char *company = fl_lead_get_field (self->lead, FL_FIELD_COMPANY);

  gtk_label_set_label (self->name_label, name != NULL ? name : _("New Visitor"));
  if (self->source != NULL)
    {
      g_autofree char *line = NULL;

      /* Translators: under the visitor's name: “Muster GmbH · Badge scan” */
      line = company != NULL ? g_strdup_printf (_("%s · %s"), company, self->source) : g_strdup (self->source);
      gtk_label_set_label (self->source_label, line);
    }
}

/* Contact */

/* The mark of a field read with low confidence: a warning sign in the
 * row, seen on a touch screen where no tooltip ever shows. Its tooltip is
 * set once, when the sign is made: GTK 4.8 trips over tooltips that change
 * under a resting pointer. */
static GtkWidget *
unsure_icon (AdwEntryRow *row)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "fl-unsure-icon");

  if (icon != NULL)
    return icon;
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_widget_add_css_class (icon, "warning");
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (icon, _("Please check: read from the card with low confidence"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Please check: read from the card with low confidence"), -1);
  gtk_widget_set_visible (icon, FALSE);
  adw_entry_row_add_suffix (row, icon);
  g_object_set_data (G_OBJECT (row), "fl-unsure-icon", icon);
  return icon;
}

static void
update_card_hint (FlLeadPage *self)
{
  gboolean any = FALSE;

  for (FlField field = 0; field < FL_N_FIELDS && !any; field++)
    {
      AdwEntryRow *row = field_row (self, field);

      any = row != NULL && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "fl-unsure"));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->card_hint_label), any);
}

static void
set_unsure (FlLeadPage *self, AdwEntryRow *row, gboolean unsure)
{
  if (unsure == GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "fl-unsure")))
    return;
  g_object_set_data (G_OBJECT (row), "fl-unsure", GINT_TO_POINTER (unsure));
  if (unsure)
    gtk_widget_add_css_class (GTK_WIDGET (row), "warning");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "warning");
  gtk_widget_set_visible (unsure_icon (row), unsure);
  update_card_hint (self);
}

/* The card photo and the contact go first for a card, for staff to compare;
 * otherwise the questions do, and the contact follows the notes. */
static void
show_card_section (FlLeadPage *self, gboolean card)
{
  gtk_widget_set_visible (gtk_widget_get_parent (self->card_box), card);
  gtk_box_reorder_child_after (self->content_box, GTK_WIDGET (self->contact_flow),
                               card ? GTK_WIDGET (self->welcome_revealer) : self->notes_section);
}

static void
field_changed_cb (GtkEditable *editable, gpointer user_data)
{
  FlLeadPage *self = user_data;
  FlField field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (editable), "fl-field"));
  g_autofree char *value = NULL;

  if (self->updating > 0 || self->lead == NULL)
    return;

  /* Staff looked at it: what they typed is no longer the card's guess. */
  set_unsure (self, ADW_ENTRY_ROW (editable), FALSE);
  value = strip_or_null (gtk_editable_get_text (editable));
  fl_lead_set_field (self->lead, field, value);
  if (field == FL_FIELD_FIRST_NAME || field == FL_FIELD_LAST_NAME)
    {
      /* The full name follows what staff correct in its parts. */
      const char *first = fl_lead_get_field (self->lead, FL_FIELD_FIRST_NAME);
      const char *last = fl_lead_get_field (self->lead, FL_FIELD_LAST_NAME);
      g_autofree char *full = g_strdup_printf ("%s %s", first ? first : "", last ? last : "");

      fl_lead_set_field (self->lead, FL_FIELD_FULL_NAME, NULL);
      g_strstrip (full);
      fl_lead_set_field (self->lead, FL_FIELD_FULL_NAME, full[0] != '\0' ? full : NULL);
    }
  update_name (self);
  rescore (self);
  changed (self);
}

/* Questions */

static JsonNode *
answer_of (FlLeadPage *self, const char *question_id)
{
  JsonNode *answers = fl_lead_get_answers (self->lead);

  if (answers == NULL || !JSON_NODE_HOLDS_OBJECT (answers))
    return NULL;
  return json_object_get_member (json_node_get_object (answers), question_id);
}

static JsonNode *
answer_from_buttons (QuestionView *view)
{
  JsonNode *node = NULL;

  if (view->type == FL_QUESTION_MULTI)
    {
      JsonArray *array = json_array_new ();

      for (guint i = 0; i < view->buttons->len; i++)
        if (gtk_toggle_button_get_active (g_ptr_array_index (view->buttons, i)))
          json_array_add_string_element (array, fl_model_get_option_id (view->model, view->index, i));
      if (json_array_get_length (array) > 0)
        node = json_node_init_array (json_node_alloc (), array);
      json_array_unref (array);
      return node;
    }

  for (guint i = 0; i < view->buttons->len; i++)
    {
      if (!gtk_toggle_button_get_active (g_ptr_array_index (view->buttons, i)))
        continue;
      switch (view->type)
        {
        case FL_QUESTION_SINGLE:
          return json_node_init_string (json_node_alloc (), fl_model_get_option_id (view->model, view->index, i));
        case FL_QUESTION_BOOLEAN:
          return json_node_init_boolean (json_node_alloc (), i == 0);
        case FL_QUESTION_RATING:
          return json_node_init_int (json_node_alloc (), i + 1);
        case FL_QUESTION_MULTI:
        case FL_QUESTION_TEXT:
        default:
          g_assert_not_reached ();
        }
    }
  return NULL;
}

static void
choice_toggled_cb (GtkToggleButton *button, gpointer user_data)
{
  QuestionView *view = user_data;
  FlLeadPage *self = view->page;
  g_autoptr(JsonNode) answer = NULL;

  if (self->updating > 0 || self->lead == NULL)
    return;

  /* One answer for single, yes/no and rating questions; tapping the
   * chosen answer again takes it back. */
  if (view->type != FL_QUESTION_MULTI && gtk_toggle_button_get_active (button))
    {
      self->updating++;
      for (guint i = 0; i < view->buttons->len; i++)
        if (g_ptr_array_index (view->buttons, i) != button)
          gtk_toggle_button_set_active (g_ptr_array_index (view->buttons, i), FALSE);
      self->updating--;
    }

  answer = answer_from_buttons (view);
  fl_lead_set_answer (self->lead, view->id, answer);
  rescore (self);
  changed (self);
}

static void
text_answer_changed_cb (GtkEditable *editable, gpointer user_data)
{
  QuestionView *view = user_data;
  FlLeadPage *self = view->page;
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) answer = NULL;

  if (self->updating > 0 || self->lead == NULL)
    return;
  text = strip_or_null (gtk_editable_get_text (editable));
  if (text != NULL)
    answer = json_node_init_string (json_node_alloc (), text);
  fl_lead_set_answer (self->lead, view->id, answer);
  rescore (self);
  changed (self);
}

static GtkToggleButton *
choice_button_new (QuestionView *view, const char *label)
{
  GtkWidget *child = g_object_new (GTK_TYPE_LABEL,
                                   "label", label,
                                   "wrap", TRUE,
                                   "justify", GTK_JUSTIFY_CENTER,
                                   "max-width-chars", 14,
                                   NULL);
  GtkWidget *button = g_object_new (GTK_TYPE_TOGGLE_BUTTON,
                                    "child", child,
                                    "hexpand", TRUE,
                                    NULL);

  gtk_widget_add_css_class (button, "choice");
  g_signal_connect (button, "toggled", G_CALLBACK (choice_toggled_cb), view);
  g_ptr_array_add (view->buttons, button);
  return GTK_TOGGLE_BUTTON (button);
}

static void
relabel_question (FlLeadPage *self, QuestionView *view)
{
  const char *text;

  gtk_label_set_label (view->title, fl_model_get_question_label (view->model, view->index, self->language));
  switch (view->type)
    {
    case FL_QUESTION_SINGLE:
    case FL_QUESTION_MULTI:
      for (guint i = 0; i < view->buttons->len; i++)
        {
          GtkWidget *child = gtk_button_get_child (g_ptr_array_index (view->buttons, i));

          gtk_label_set_label (GTK_LABEL (child),
                               fl_model_get_option_label (view->model, view->index, i, self->language));
        }
      break;
    case FL_QUESTION_BOOLEAN:
      /* The visitor reads these: in the visitor's language, not the kiosk's. */
      text = fl_visitor_gettext (self->language, NV_("Yes"));
      gtk_label_set_label (GTK_LABEL (gtk_button_get_child (g_ptr_array_index (view->buttons, 0))),
                           text);
      text = fl_visitor_gettext (self->language, NV_("No"));
      gtk_label_set_label (GTK_LABEL (gtk_button_get_child (g_ptr_array_index (view->buttons, 1))),
                           text);
      break;
    case FL_QUESTION_RATING:
    case FL_QUESTION_TEXT:
    default:
      break;
    }
}

static void
build_questions (FlLeadPage *self)
{
  GtkWidget *child;
  guint n_questions;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->questions_box))) != NULL)
    gtk_box_remove (self->questions_box, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->interactions_box))) != NULL)
    gtk_flow_box_remove (self->interactions_box, child);
  g_ptr_array_set_size (self->questions, 0);
  g_ptr_array_set_size (self->interactions, 0);
  self->built_for = self->model;

  if (self->model == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->questions_box), FALSE);
      gtk_widget_set_visible (self->interactions_section, FALSE);
      return;
    }

  n_questions = fl_model_get_n_questions (self->model);
  for (guint i = 0; i < n_questions; i++)
    {
      QuestionView *view = g_new0 (QuestionView, 1);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);
      GtkWidget *choices;

      view->page = self;
      view->model = g_object_ref (self->model);
      view->index = i;
      view->id = fl_model_get_question_id (self->model, i);
      view->type = fl_model_get_question_type (self->model, i);
      view->buttons = g_ptr_array_new ();
      view->title = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "wrap", TRUE, NULL);
      gtk_widget_add_css_class (GTK_WIDGET (view->title), "heading");
      gtk_widget_add_css_class (GTK_WIDGET (view->title), "question");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (view->title));

      switch (view->type)
        {
        case FL_QUESTION_SINGLE:
        case FL_QUESTION_BOOLEAN:
        case FL_QUESTION_RATING:
          choices = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
          gtk_box_set_homogeneous (GTK_BOX (choices), TRUE);
          gtk_widget_add_css_class (choices, "linked");
          if (view->type == FL_QUESTION_SINGLE)
            for (guint j = 0; j < fl_model_get_n_options (self->model, i); j++)
              gtk_box_append (GTK_BOX (choices), GTK_WIDGET (choice_button_new (view, "")));
          else if (view->type == FL_QUESTION_BOOLEAN)
            {
              gtk_box_append (GTK_BOX (choices), GTK_WIDGET (choice_button_new (view, "")));
              gtk_box_append (GTK_BOX (choices), GTK_WIDGET (choice_button_new (view, "")));
            }
          else
            for (guint j = 1; j <= 5; j++)
              {
                g_autofree char *stars = g_strdup_printf ("%u ★", j);
                gtk_box_append (GTK_BOX (choices), GTK_WIDGET (choice_button_new (view, stars)));
              }
          break;
        case FL_QUESTION_MULTI:
          choices = g_object_new (GTK_TYPE_FLOW_BOX,
                                  "selection-mode", GTK_SELECTION_NONE,
                                  "homogeneous", TRUE,
                                  "max-children-per-line", 5,
                                  "column-spacing", 8, "row-spacing", 8,
                                  NULL);
          for (guint j = 0; j < fl_model_get_n_options (self->model, i); j++)
            gtk_flow_box_append (GTK_FLOW_BOX (choices),
                                 GTK_WIDGET (choice_button_new (view, "")));
          break;
        case FL_QUESTION_TEXT:
        default:
          choices = gtk_entry_new ();
          view->entry = GTK_EDITABLE (choices);
          g_signal_connect (choices, "changed", G_CALLBACK (text_answer_changed_cb), view);
          break;
        }
      gtk_widget_add_css_class (choices, "choices");
      gtk_box_append (GTK_BOX (box), choices);
      gtk_box_append (self->questions_box, box);
      g_ptr_array_add (self->questions, view);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->questions_box), n_questions > 0);
}

static gboolean had_interaction (FlLeadPage *self, const char *kind, gboolean this_visit);

/* On when recorded at this visit or an earlier one (a return visit shows
 * what the booth already did for them); an earlier one is marked so. */
static void
sync_interaction (FlLeadPage *self, GtkToggleButton *button, const char *kind)
{
  gboolean now = had_interaction (self, kind, TRUE);
  gboolean ever = had_interaction (self, kind, FALSE);

  self->updating++;
  gtk_toggle_button_set_active (button, ever);
  self->updating--;
  if (ever && !now)
    {
      gtk_widget_add_css_class (GTK_WIDGET (button), "earlier-visit");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), _("Recorded at an earlier visit"));
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (button), "earlier-visit");
      gtk_widget_set_tooltip_text (GTK_WIDGET (button), NULL);
    }
}

static void
interaction_toggled_cb (GtkToggleButton *button, gpointer user_data)
{
  FlLeadPage *self = user_data;
  const char *kind = g_object_get_data (G_OBJECT (button), "fl-kind");
  JsonNode *interactions;

  if (self->updating > 0 || self->lead == NULL)
    return;

  /* A tap on one recorded only at an earlier visit records it again now. */
  if (gtk_toggle_button_get_active (button) ||
      (!had_interaction (self, kind, TRUE) && had_interaction (self, kind, FALSE)))
    fl_lead_add_interaction (self->lead, kind, NULL);
  else if ((interactions = fl_lead_get_interactions (self->lead)) != NULL &&
           JSON_NODE_HOLDS_ARRAY (interactions))
    {
      /* Untick takes back what was recorded during this visit only;
       * earlier visits stay as they happened. */
      JsonArray *old = json_node_get_array (interactions);
      JsonArray *kept = json_array_new ();
      g_autoptr(JsonNode) node = NULL;

      for (guint i = 0; i < json_array_get_length (old); i++)
        {
          JsonNode *item = json_array_get_element (old, i);
          JsonObject *object = JSON_NODE_HOLDS_OBJECT (item) ? json_node_get_object (item) : NULL;
          const char *at = object ? json_object_get_string_member_with_default (object, "at", "") : "";
          const char *item_kind = object ? json_object_get_string_member_with_default (object, "kind", "") : "";

          if (g_strcmp0 (item_kind, kind) == 0 && g_strcmp0 (at, self->visit_start) >= 0)
            continue;
          json_array_add_element (kept, json_node_copy (item));
        }
      node = json_node_init_array (json_node_alloc (), kept);
      json_array_unref (kept);
      fl_lead_set_interactions (self->lead, node);
    }
  /* An earlier visit's stays as it happened, and on. */
  sync_interaction (self, button, kind);
  rescore (self);
  changed (self);
}

static gboolean
had_interaction (FlLeadPage *self, const char *kind, gboolean this_visit)
{
  JsonNode *interactions = fl_lead_get_interactions (self->lead);
  JsonArray *array;

  if (interactions == NULL || !JSON_NODE_HOLDS_ARRAY (interactions))
    return FALSE;
  array = json_node_get_array (interactions);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      JsonObject *object;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      object = json_node_get_object (item);
      if (g_strcmp0 (json_object_get_string_member_with_default (object, "kind", NULL), kind) == 0 &&
          (!this_visit || g_strcmp0 (json_object_get_string_member_with_default (object, "at", ""),
                                     self->visit_start) >= 0))
        return TRUE;
    }
  return FALSE;
}

static void
build_interactions (FlLeadPage *self)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  GBytes *bytes;
  JsonNode *root;
  JsonArray *kinds;

  if (self->model == NULL)
    return;

  /* The model lists its interactions in the order marketing wrote them. */
  bytes = fl_model_get_bytes (self->model);
  if (!fl_json_parser_load (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                            NULL))
    return;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      !json_object_has_member (json_node_get_object (root), "interactions"))
    {
      gtk_widget_set_visible (self->interactions_section, FALSE);
      return;
    }
  kinds = json_object_get_array_member (json_node_get_object (root), "interactions");
  for (guint i = 0; kinds != NULL && i < json_array_get_length (kinds); i++)
    {
      JsonNode *item = json_array_get_element (kinds, i);
      const char *kind;
      GtkWidget *button;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        continue;
      kind = json_object_get_string_member_with_default (json_node_get_object (item), "kind", NULL);
      if (kind == NULL || g_strv_contains (automatic_interactions, kind))
        continue;
      if (!fl_model_has_interaction (self->model, kind))
        continue;
      button = g_object_new (GTK_TYPE_TOGGLE_BUTTON,
                             "child", g_object_new (GTK_TYPE_LABEL, "wrap", TRUE,
                                                    "justify", GTK_JUSTIFY_CENTER, NULL),
                             NULL);
      gtk_widget_add_css_class (button, "choice");
      g_object_set_data_full (G_OBJECT (button), "fl-kind", g_strdup (kind), g_free);
      g_object_set_data_full (G_OBJECT (button), "fl-model", g_object_ref (self->model), g_object_unref);
      g_signal_connect (button, "toggled", G_CALLBACK (interaction_toggled_cb), self);
      gtk_flow_box_append (self->interactions_box, button);
      g_ptr_array_add (self->interactions, button);
    }
  gtk_widget_set_visible (self->interactions_section, self->interactions->len > 0);
}

/* The privacy notice the visitor reads beside the consent: who receives
 * the data, for what, for how long. The event sets it per language
 * ("privacy_notice": {"en": …, "de": …, "fr": …}); the visitor domain's
 * default stands in. Like the model's texts it follows the visitor's
 * language, not the interface's. */
static const char *
privacy_notice (FlLeadPage *self)
{
  const char *language = fl_language_to_string (self->language);

  if (self->privacy_notice != NULL && JSON_NODE_HOLDS_OBJECT (self->privacy_notice))
    {
      const char *text = json_object_get_string_member_with_default (
        json_node_get_object (self->privacy_notice), language, NULL);

      if (text != NULL && text[0] != '\0')
        return text;
    }
  return fl_visitor_gettext (self->language,
                             NV_("Privacy: your details stay on this kiosk and go to our sales and "
                                 "marketing team only with your consent, to follow up on your visit. "
                                 "They are deleted when no longer needed for that. Ask us at any time "
                                 "what we store about you, or to erase it."));
}

/* The chrome around the model's words, in the visitor's language too. */
static void
relabel_chrome (FlLeadPage *self)
{
  gtk_label_set_label (self->language_title, fl_visitor_gettext (self->language, NV_("Your language")));
  gtk_label_set_label (GTK_LABEL (self->consent_title), fl_visitor_gettext (self->language, NV_("Your consent")));
  for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
    {
      /* The button reads as its speakers write it ("Français"); a screen
       * reader says it in the language the visitor reads now. */
      g_autofree char *name = g_strdup_printf ("%s (%s)", fl_language_get_native_name (l),
                                               fl_visitor_language_name (self->language, l));

      gtk_accessible_update_property (GTK_ACCESSIBLE (self->language_buttons[l]),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    }
}

static void
relabel (FlLeadPage *self)
{
  const char *consent = NULL;

  for (guint i = 0; i < self->questions->len; i++)
    relabel_question (self, g_ptr_array_index (self->questions, i));
  for (guint i = 0; i < self->interactions->len; i++)
    {
      GtkWidget *button = g_ptr_array_index (self->interactions, i);
      FlModel *model = g_object_get_data (G_OBJECT (button), "fl-model");
      const char *kind = g_object_get_data (G_OBJECT (button), "fl-kind");

      gtk_label_set_label (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                           fl_model_get_interaction_label (model, kind, self->language));
    }

  if (self->model != NULL)
    consent = fl_model_get_consent_text (self->model, self->language);
  gtk_label_set_label (self->consent_label, consent ? consent : "");
  gtk_widget_set_visible (GTK_WIDGET (self->consent_check), consent != NULL);
  gtk_widget_set_visible (self->consent_title, consent != NULL);
  gtk_label_set_label (self->privacy_label, self->lead != NULL ? privacy_notice (self) : "");
  relabel_chrome (self);
}

/* Shows the lead's answers and this visit's interactions on the buttons. */
static void
sync_answers (FlLeadPage *self)
{
  self->updating++;
  for (guint i = 0; i < self->questions->len; i++)
    {
      QuestionView *view = g_ptr_array_index (self->questions, i);
      JsonNode *answer = answer_of (self, view->id);

      if (view->entry != NULL)
        {
          const char *text = answer && JSON_NODE_HOLDS_VALUE (answer) &&
                             json_node_get_value_type (answer) == G_TYPE_STRING
                               ? json_node_get_string (answer) : "";
          gtk_editable_set_text (view->entry, text);
          continue;
        }
      for (guint j = 0; j < view->buttons->len; j++)
        {
          gboolean active = FALSE;

          if (answer != NULL)
            switch (view->type)
              {
              case FL_QUESTION_SINGLE:
                active = JSON_NODE_HOLDS_VALUE (answer) &&
                         json_node_get_value_type (answer) == G_TYPE_STRING &&
                         g_strcmp0 (json_node_get_string (answer),
                                    fl_model_get_option_id (view->model, view->index, j)) == 0;
                break;
              case FL_QUESTION_MULTI:
                if (JSON_NODE_HOLDS_ARRAY (answer))
                  {
                    JsonArray *array = json_node_get_array (answer);
                    const char *option = fl_model_get_option_id (view->model, view->index, j);

                    for (guint k = 0; k < json_array_get_length (array); k++)
                      if (g_strcmp0 (json_array_get_string_element (array, k), option) == 0)
                        active = TRUE;
                  }
                break;
              case FL_QUESTION_BOOLEAN:
                active = JSON_NODE_HOLDS_VALUE (answer) &&
                         json_node_get_value_type (answer) == G_TYPE_BOOLEAN &&
                         json_node_get_boolean (answer) == (j == 0);
                break;
              case FL_QUESTION_RATING:
                active = JSON_NODE_HOLDS_VALUE (answer) &&
                         json_node_get_value_type (answer) == G_TYPE_INT64 &&
                         json_node_get_int (answer) == (gint64) j + 1;
                break;
              case FL_QUESTION_TEXT:
              default:
                break;
              }
          gtk_toggle_button_set_active (g_ptr_array_index (view->buttons, j), active);
        }
    }
  for (guint i = 0; i < self->interactions->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->interactions, i);
      const char *kind = g_object_get_data (G_OBJECT (button), "fl-kind");

      sync_interaction (self, button, kind);
    }
  self->updating--;
}

static void
language_toggled_cb (GtkToggleButton *button, gpointer user_data)
{
  FlLeadPage *self = user_data;

  if (!gtk_toggle_button_get_active (button))
    return;
  self->language = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "fl-language"));
  relabel (self);
}

/* Notes and consent */

/* The note field shows what staff typed; the quick notes chosen are lines
 * of the same note (score/fl-quick-notes.h), shown as chips above it. */
static void
notes_changed_cb (GtkTextBuffer *buffer, gpointer user_data)
{
  FlLeadPage *self = user_data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;
  g_autofree char *notes = NULL;

  if (self->updating > 0 || self->lead == NULL)
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  notes = strip_or_null (text);
  if (self->model != NULL && fl_model_get_n_quick_notes (self->model) > 0)
    {
      g_auto(GStrv) ids = fl_quick_notes_get_ids (self->model, fl_lead_get_notes (self->lead));
      g_autofree char *typed = g_steal_pointer (&notes);

      notes = fl_quick_notes_compose (self->model, (const char *const *) ids, typed,
                                      fl_language_default ());
    }
  fl_lead_set_notes (self->lead, notes);
  changed (self);
}

static void
quick_note_toggled_cb (FlQuickNotesBox *box, const char *id, gboolean chosen, gpointer user_data)
{
  FlLeadPage *self = user_data;

  g_autofree char *before = NULL;

  if (self->updating > 0 || self->lead == NULL || self->model == NULL)
    return;
  before = g_strdup (fl_lead_get_notes (self->lead));
  if (!fl_quick_notes_set (self->lead, self->model, id, chosen, fl_language_default ()))
    return;
  /* A note typed up to its limit leaves no room for a chip: say so, and
   * keep the note as it was rather than fail to save it. */
  if (fl_lead_get_notes (self->lead) != NULL && strlen (fl_lead_get_notes (self->lead)) > FL_LIMIT_NOTES)
    {
      g_auto(GStrv) ids = fl_quick_notes_get_ids (self->model, before);

      fl_lead_set_notes (self->lead, before);
      fl_quick_notes_box_set_chosen (self->quick_notes, (const char *const *) ids);
      gtk_label_set_text (GTK_LABEL (self->notes_limit_label),
                          _("The notes are full; shorten them to add a quick note."));
      gtk_widget_set_visible (self->notes_limit_label, TRUE);
      return;
    }
  changed (self);
}

static void
consent_toggled_cb (GtkCheckButton *check, gpointer user_data)
{
  FlLeadPage *self = user_data;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) consent = NULL;
  g_autofree char *now = NULL;

  if (self->updating > 0 || self->lead == NULL || self->model == NULL)
    return;

  now = fl_now_iso8601 ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_string_value (builder, fl_model_get_consent_version (self->model));
  /* The hash proves which words the visitor read, in their language. */
  {
    const char *text = fl_model_get_consent_text (self->model, self->language);
    g_autofree char *sha256 = text ? g_compute_checksum_for_string (G_CHECKSUM_SHA256, text, -1) : NULL;

    json_builder_set_member_name (builder, "sha256");
    if (sha256 != NULL)
      json_builder_add_string_value (builder, sha256);
    else
      json_builder_add_null_value (builder);
    json_builder_set_member_name (builder, "text_source");
    json_builder_add_string_value (builder, text ? FL_CONSENT_TEXT_MODEL : FL_CONSENT_TEXT_NONE);
  }
  json_builder_set_member_name (builder, "given");
  json_builder_add_boolean_value (builder, gtk_check_button_get_active (check));
  json_builder_set_member_name (builder, "at");
  json_builder_add_string_value (builder, now);
  json_builder_set_member_name (builder, "language");
  json_builder_add_string_value (builder, fl_language_to_string (self->language));
  if (self->staff != NULL)
    {
      json_builder_set_member_name (builder, "staff");
      json_builder_add_string_value (builder, self->staff);
    }
  json_builder_set_member_name (builder, "method");
  json_builder_add_string_value (builder, FL_CONSENT_METHOD_CHECKBOX);
  json_builder_end_object (builder);
  consent = json_builder_get_root (builder);
  fl_lead_set_consent (self->lead, consent);
  changed (self);
}

static gboolean
consent_given (FlLead *lead)
{
  JsonNode *consent = fl_lead_get_consent (lead);

  return consent != NULL && JSON_NODE_HOLDS_OBJECT (consent) &&
         json_object_get_boolean_member_with_default (json_node_get_object (consent), "given", FALSE);
}

/* The welcome back banner takes no room (nor the content box's spacing
 * around it) unless it shows or slides: on 800×480 the 24 px matter. */
static void
update_welcome_visible (FlLeadPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->welcome_revealer),
                          !gtk_toggle_button_get_active (self->visitor_view_button) &&
                            (gtk_revealer_get_reveal_child (self->welcome_revealer) ||
                             gtk_revealer_get_child_revealed (self->welcome_revealer)));
}

/* The visitor's view: the screen turned to the visitor shows only what
 * they answer and read — questions, consent, the privacy notice — large;
 * no score, no status, nothing staff noted. */
static void
visitor_view_toggled_cb (FlLeadPage *self)
{
  gboolean visitor = gtk_toggle_button_get_active (self->visitor_view_button);
  GtkWidget *staff_only[] = {
    self->score_box, self->discard_button, self->done_button, GTK_WIDGET (self->source_label),
    GTK_WIDGET (self->why_expander), self->interactions_section,
    self->notes_section, GTK_WIDGET (self->contact_flow),
  };

  for (guint i = 0; i < G_N_ELEMENTS (staff_only); i++)
    gtk_widget_set_visible (staff_only[i], !visitor);
  update_welcome_visible (self);
  /* The interactions stay hidden when the model has none. */
  if (!visitor)
    gtk_widget_set_visible (self->interactions_section, self->interactions->len > 0);
  if (visitor)
    gtk_widget_add_css_class (GTK_WIDGET (self), "visitor-view");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "visitor-view");
  gtk_button_set_label (GTK_BUTTON (self->visitor_view_button), visitor ? _("_Staff View") : _("_Visitor View"));
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/* Discard */

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, gpointer user_data)
{
  FlLeadPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = NULL;

  if (g_strcmp0 (response, "discard") != 0 || self->lead == NULL)
    return;

  /* Held, not removed yet: the window's toast offers Undo for a while. */
  if ((self->dirty && !fl_lead_page_save (self, &error)) ||
      !fl_discard_hold (self->store, fl_lead_get_uuid (self->lead), self->staff ? self->staff : "kiosk", &error))
    {
      g_signal_emit (self, signals[SAVE_FAILED], 0, error);
      return;
    }
  uuid = g_strdup (fl_lead_get_uuid (self->lead));
  fl_lead_page_clear (self);
  g_signal_emit (self, signals[DISCARDED], 0, uuid);
}

static void
discard_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlLeadPage *self = FL_LEAD_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  AdwMessageDialog *dialog;

  if (self->lead == NULL || self->merged)
    return;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                       _("Discard This Scan?"),
                                                       _("Only for a badge scanned by accident: the lead "
                                                         "is removed from this kiosk and never uploaded. "
                                                         "The log keeps that it was discarded.")));
  adw_message_dialog_add_responses (dialog,
                                    "cancel", _("_Keep"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
done_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlLeadPage *self = FL_LEAD_PAGE (widget);

  if (self->lead != NULL)
    g_signal_emit (self, signals[DONE], 0);
}

static void
close_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlLeadPage *self = FL_LEAD_PAGE (widget);

  if (self->lead != NULL)
    g_signal_emit (self, signals[CLOSED], 0);
}

/* The “Welcome back” line of a visitor met before at this event. */
static char *
format_welcome (FlLead *lead)
{
  g_autoptr(GDateTime) created = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = NULL;
  const char *by = fl_lead_get_captured_by (lead);

  if (fl_lead_get_created_at (lead) != NULL)
    created = g_date_time_new_from_iso8601 (fl_lead_get_created_at (lead), NULL);
  if (created == NULL)
    return g_strdup (_("Welcome back — this visitor was met before at this event"));
  local = g_date_time_to_local (created);
  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    /* Translators: a time of day, as in “first met at 10:32” */
    when = g_date_time_format (local, _("at %H:%M"));
  else
    /* Translators: a day and time, as in “first met on 23 June at 10:32” */
    when = g_date_time_format (local, _("on %-d %B at %H:%M"));

  if (by != NULL)
    /* Translators: “Welcome back — first met at 10:32 by Anna” */
    return g_strdup_printf (_("Welcome back — first met %s by %s"), when, by);
  return g_strdup_printf (_("Welcome back — first met %s"), when);
}

static char *
format_source (const FlCaptureResult *result)
{
  const char *source;

  switch (fl_lead_get_source (result->lead))
    {
    case FL_SOURCE_BADGE: source = _("Badge scan"); break;
    case FL_SOURCE_CARD_QR: source = _("QR code on a business card"); break;
    case FL_SOURCE_CARD_OCR: source = _("Business card text"); break;
    case FL_SOURCE_MANUAL:
    default: source = _("Typed in"); break;
    }
  if (result->from_roster)
    /* Translators: how the lead came in, completed from the organiser's list */
    return g_strdup_printf (_("%s · completed from the visitor list"), source);
  return g_strdup (source);
}

static void
fl_lead_page_dispose (GObject *object)
{
  FlLeadPage *self = FL_LEAD_PAGE (object);

  g_clear_handle_id (&self->save_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_LEAD_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->model);
  g_clear_object (&self->lead);

  G_OBJECT_CLASS (fl_lead_page_parent_class)->dispose (object);
}

static void
fl_lead_page_finalize (GObject *object)
{
  FlLeadPage *self = FL_LEAD_PAGE (object);

  g_clear_pointer (&self->questions, g_ptr_array_unref);
  g_clear_pointer (&self->interactions, g_ptr_array_unref);
  g_free (self->staff);
  g_free (self->visit_start);
  g_free (self->source);
  g_clear_pointer (&self->privacy_notice, json_node_unref);

  G_OBJECT_CLASS (fl_lead_page_parent_class)->finalize (object);
}

static void
fl_lead_page_class_init (FlLeadPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_lead_page_dispose;
  object_class->finalize = fl_lead_page_finalize;

  /**
   * FlLeadPage::done:
   *
   * Staff finished the lead: thank the visitor.
   */
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * FlLeadPage::closed:
   *
   * Staff left the lead (Escape) without thanking: back to scanning.
   */
  signals[CLOSED] = g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * FlLeadPage::discarded:
   * @uuid: the lead, held for discarding (see fl_discard_hold())
   *
   * The lead was discarded after confirmation; the page is empty.
   */
  signals[DISCARDED] = g_signal_new ("discarded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * FlLeadPage::save-failed:
   * @error: why
   *
   * A change could not be written; it stays on the page and in memory and
   * is written with the next change or when the page is left.
   */
  signals[SAVE_FAILED] = g_signal_new ("save-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                       G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-lead-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, source_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, score_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, score_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, score_bar);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, discard_button);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, done_button);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, scroller);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, welcome_revealer);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, welcome_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, why_expander);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, why_list);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, language_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, language_title);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, language_flow);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, contact_group);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, first_name_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, last_name_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, company_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, job_title_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, city_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, country_row);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, notes_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, contact_flow);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, card_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, card_hint_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, card_picture);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, questions_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, interactions_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, interactions_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, notes_limit_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, visitor_view_button);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, consent_box);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, consent_check);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, consent_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadPage, privacy_label);

  gtk_widget_class_install_action (widget_class, "lead.done", NULL, done_action);
  gtk_widget_class_install_action (widget_class, "lead.close", NULL, close_action);
  gtk_widget_class_bind_template_callback (widget_class, visitor_view_toggled_cb);
  gtk_widget_class_install_action (widget_class, "lead.discard", NULL, discard_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "lead.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK,
                                       "lead.done", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "lead.close", NULL);
}

static void
fl_lead_page_init (FlLeadPage *self)
{
  static const FlField fields[] = {
    FL_FIELD_FIRST_NAME, FL_FIELD_LAST_NAME, FL_FIELD_COMPANY, FL_FIELD_TITLE,
    FL_FIELD_EMAIL, FL_FIELD_PHONE, FL_FIELD_CITY, FL_FIELD_COUNTRY,
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->welcome_revealer, "notify::child-revealed", G_CALLBACK (update_welcome_visible),
                            self);
  update_welcome_visible (self);

  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_view_free);
  self->interactions = g_ptr_array_new ();
  self->language = fl_language_default ();

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      AdwEntryRow *row = field_row (self, fields[i]);

      g_object_set_data (G_OBJECT (row), "fl-field", GUINT_TO_POINTER (fields[i]));
      g_signal_connect (row, "changed", G_CALLBACK (field_changed_cb), self);
      unsure_icon (row);
    }
  /* One button per language a model may offer; fl_lead_page_open() shows
   * those of the event's model. */
  for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (fl_language_get_native_name (l));

      gtk_widget_add_css_class (button, "choice");
      gtk_widget_add_css_class (button, "language");
      if (l > 0)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), self->language_buttons[0]);
      g_object_set_data (G_OBJECT (button), "fl-language", GUINT_TO_POINTER (l));
      g_signal_connect (button, "toggled", G_CALLBACK (language_toggled_cb), self);
      gtk_flow_box_append (self->language_flow, button);
      self->language_buttons[l] = GTK_TOGGLE_BUTTON (button);
    }
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->language_flow));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  /* The consent's heading, read by the visitor. */
  self->consent_title = g_object_new (GTK_TYPE_LABEL, "xalign", 0.0f, "wrap", TRUE, NULL);
  gtk_widget_add_css_class (self->consent_title, "heading");
  gtk_widget_set_visible (self->consent_title, FALSE);
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->consent_check))),
                              self->consent_title,
                              gtk_widget_get_prev_sibling (GTK_WIDGET (self->consent_check)));
  fl_text_limit_attach (gtk_text_view_get_buffer (self->notes_view), FL_LIMIT_NOTES,
                        self->notes_limit_label);
  g_signal_connect (gtk_text_view_get_buffer (self->notes_view), "changed",
                    G_CALLBACK (notes_changed_cb), self);
  g_signal_connect (self->consent_check, "toggled", G_CALLBACK (consent_toggled_cb), self);
  /* The chips go between the note's heading and its field. */
  self->quick_notes = FL_QUICK_NOTES_BOX (fl_quick_notes_box_new ());
  gtk_box_insert_child_after (GTK_BOX (self->notes_section), GTK_WIDGET (self->quick_notes),
                              gtk_widget_get_first_child (self->notes_section));
  g_signal_connect (self->quick_notes, "toggled", G_CALLBACK (quick_note_toggled_cb), self);
  /* The flow box only lays out the photo and the form side by side or
   * one above the other; Tab goes straight into the form. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->contact_flow));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
  fl_lead_page_clear (self);
}

/* Public API */

FlLeadPage *
fl_lead_page_new (void)
{
  return g_object_new (FL_TYPE_LEAD_PAGE, NULL);
}

/**
 * fl_lead_page_get_lead:
 *
 * Returns: (transfer none) (nullable): the lead on show
 */
FlLead *
fl_lead_page_get_lead (FlLeadPage *self)
{
  g_return_val_if_fail (FL_IS_LEAD_PAGE (self), NULL);
  return self->lead;
}

FlLanguage
fl_lead_page_get_language (FlLeadPage *self)
{
  g_return_val_if_fail (FL_IS_LEAD_PAGE (self), FL_LANGUAGE_EN);
  return self->language;
}

/**
 * fl_lead_page_get_dirty:
 *
 * Returns: whether a change waits to be written
 */
gboolean
fl_lead_page_get_dirty (FlLeadPage *self)
{
  g_return_val_if_fail (FL_IS_LEAD_PAGE (self), FALSE);
  return self->dirty;
}

/**
 * fl_lead_page_focus_start:
 *
 * Puts the keyboard focus at the top of the page, on the visitor's chosen
 * language, not on the header's Discard, which was first in the focus
 * chain: a key pressed by accident must not start a discard, and the page
 * must not scroll away from the consent at the top.
 */
void
fl_lead_page_focus_start (FlLeadPage *self)
{
  g_return_if_fail (FL_IS_LEAD_PAGE (self));

  for (guint i = 0; i < FL_N_LANGUAGES; i++)
    {
      GtkToggleButton *button = self->language_buttons[i];

      if (button != NULL && gtk_widget_is_visible (GTK_WIDGET (button)) &&
          gtk_toggle_button_get_active (button) && gtk_widget_grab_focus (GTK_WIDGET (button)))
        return;
    }
  gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

/**
 * fl_lead_page_open:
 * @store: the database the lead was captured into
 * @model: (nullable): the scoring model of the event
 * @result: the capture, already committed
 * @staff: (nullable): who is at the kiosk
 *
 * Shows a captured lead. A lead still open is the caller's to save first.
 */
void
fl_lead_page_open (FlLeadPage *self, FlStore *store, FlModel *model,
                   const FlCaptureResult *result, const char *staff)
{
  GtkTextBuffer *notes;

  g_return_if_fail (FL_IS_LEAD_PAGE (self));
  g_return_if_fail (FL_IS_STORE (store));
  g_return_if_fail (result != NULL && FL_IS_LEAD (result->lead));

  fl_lead_page_clear (self);

  g_set_object (&self->store, store);
  g_set_object (&self->model, model);
  self->lead = fl_lead_copy (result->lead);
  g_clear_pointer (&self->privacy_notice, json_node_unref);
  {
    g_autoptr(FlEvent) event = fl_lead_get_event (self->lead)
                                 ? fl_store_get_event (store, fl_lead_get_event (self->lead), NULL)
                                 : NULL;
    JsonNode *notice = event ? json_object_get_member (json_node_get_object (event->settings),
                                                       "privacy_notice")
                             : NULL;

    if (notice != NULL)
      self->privacy_notice = json_node_copy (notice);
  }
  g_free (self->staff);
  self->staff = g_strdup (staff);
  g_free (self->visit_start);
  self->visit_start = g_strdup (fl_lead_get_updated_at (self->lead));
  self->merged = result->match != FL_CAPTURE_MATCH_NONE;
  self->language = fl_language_default ();

  self->updating++;
  if (self->built_for != self->model || self->model == NULL)
    {
      build_questions (self);
      build_interactions (self);
    }
  for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
    {
      gboolean offered = l < FL_N_STAFF_LANGUAGES ||
                         (self->model != NULL && fl_model_has_language (self->model, l));

      gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->language_buttons[l])), offered);
    }
  gtk_toggle_button_set_active (self->language_buttons[self->language], TRUE);
  relabel (self);

  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      AdwEntryRow *row = field_row (self, field);
      const char *value = fl_lead_get_field (self->lead, field);

      if (row != NULL)
        gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
    }
  notes = gtk_text_view_get_buffer (self->notes_view);
  if (fl_quick_notes_box_get_model (self->quick_notes) != self->model)
    fl_quick_notes_box_set_model (self->quick_notes, self->model, fl_language_default ());
  if (self->model != NULL && fl_model_get_n_quick_notes (self->model) > 0)
    {
      g_auto(GStrv) ids = fl_quick_notes_get_ids (self->model, fl_lead_get_notes (self->lead));
      g_autofree char *typed = fl_quick_notes_get_free_text (self->model, fl_lead_get_notes (self->lead));

      fl_quick_notes_box_set_chosen (self->quick_notes, (const char *const *) ids);
      gtk_text_buffer_set_text (notes, typed ? typed : "", -1);
    }
  else
    gtk_text_buffer_set_text (notes, fl_lead_get_notes (self->lead) ? fl_lead_get_notes (self->lead) : "", -1);
  gtk_check_button_set_active (self->consent_check, consent_given (self->lead));
  sync_answers (self);

  g_free (self->source);
  self->source = format_source (result);
  update_name (self);
  if (self->merged)
    {
      g_autofree char *welcome = format_welcome (self->lead);
      gtk_label_set_label (self->welcome_label, welcome);
    }
  gtk_revealer_set_reveal_child (self->welcome_revealer, self->merged);
  update_welcome_visible (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.discard", !self->merged);
  fl_widget_update_tooltip (self->discard_button,
                            self->merged
                              ? _("This visitor was captured before; the earlier lead stays")
                              : _("Remove a Badge Scanned by Accident"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.done", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.close", TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->scroller), TRUE);
  update_score (self);
  self->updating--;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scroller), 0);
}

/**
 * fl_lead_page_show_card:
 * @photo: the photo of the business card the lead was read from
 * @card: what was read on it
 *
 * Shows the photo beside the contact (above it in a narrow window) and
 * marks the fields read with low confidence for staff to check; a mark
 * goes once staff edit the field. Call after fl_lead_page_open().
 */
void
fl_lead_page_show_card (FlLeadPage *self, GdkPaintable *photo, FlCardResult *card)
{
  g_autoptr(JsonNode) confidences = NULL;
  JsonObject *known;
  FlLead *read;

  g_return_if_fail (FL_IS_LEAD_PAGE (self));
  g_return_if_fail (GDK_IS_PAINTABLE (photo));
  g_return_if_fail (FL_IS_CARD_RESULT (card));
  g_return_if_fail (self->lead != NULL);

  gtk_picture_set_paintable (self->card_picture, photo);
  show_card_section (self, TRUE);

  /* A code on the card is read exactly; only the print's fields are
   * guessed, and only they get a mark. */
  read = fl_card_result_get_lead (card);
  confidences = fl_card_result_get_confidences (card);
  known = json_node_get_object (confidences);
  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      AdwEntryRow *row = field_row (self, field);
      const char *key = fl_field_to_string (field);
      const char *value = fl_lead_get_field (read, field);

      /* Only what the card put on the page: a returning visitor's earlier
       * fields were checked at the first visit. */
      if (row == NULL || value == NULL ||
          g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
        continue;
      if (!json_object_has_member (known, key) &&
          (field == FL_FIELD_FIRST_NAME || field == FL_FIELD_LAST_NAME))
        key = fl_field_to_string (FL_FIELD_FULL_NAME);
      if (!json_object_has_member (known, key) ||
          g_strcmp0 (fl_card_result_get_field_source (card, key), FL_CARD_FROM_CODE) == 0)
        continue;
      set_unsure (self, row, json_object_get_double_member (known, key) < CARD_UNSURE_BELOW);
    }
}

/**
 * fl_lead_page_save:
 *
 * Writes the pending change now, in one transaction.
 *
 * Returns: %FALSE when the database refused it; the change stays pending
 */
gboolean
fl_lead_page_save (FlLeadPage *self, GError **error)
{
  g_autofree char *now = NULL;

  g_return_val_if_fail (FL_IS_LEAD_PAGE (self), FALSE);

  g_clear_handle_id (&self->save_id, g_source_remove);
  if (self->lead == NULL || !self->dirty)
    return TRUE;

  now = fl_now_iso8601 ();
  fl_lead_set_updated_at (self->lead, now);
  if (!fl_store_save_lead (self->store, self->lead, self->staff ? self->staff : "kiosk", error))
    return FALSE;
  self->dirty = FALSE;
  return TRUE;
}

/**
 * fl_lead_page_set_staff:
 * @staff: (nullable): who is at the kiosk now
 *
 * Records @staff on the open lead when it was captured with nobody named
 * (the staff picker answered after the scan); save to write it.
 */
void
fl_lead_page_set_staff (FlLeadPage *self, const char *staff)
{
  g_return_if_fail (FL_IS_LEAD_PAGE (self));

  if (staff != NULL && staff[0] == '\0')
    staff = NULL;
  g_free (self->staff);
  self->staff = g_strdup (staff);
  if (self->lead != NULL && staff != NULL && fl_lead_get_captured_by (self->lead) == NULL)
    {
      fl_lead_set_captured_by (self->lead, staff);
      self->dirty = TRUE;
    }
}

/**
 * fl_lead_page_clear:
 *
 * Forgets the lead and empties every widget that showed anything of it,
 * so the next visitor sees nothing of the previous one. Pending changes
 * are dropped: save first.
 */
void
fl_lead_page_clear (FlLeadPage *self)
{
  static const FlField fields[] = {
    FL_FIELD_FIRST_NAME, FL_FIELD_LAST_NAME, FL_FIELD_COMPANY, FL_FIELD_TITLE,
    FL_FIELD_EMAIL, FL_FIELD_PHONE, FL_FIELD_CITY, FL_FIELD_COUNTRY,
  };
  GtkWidget *child;

  g_return_if_fail (FL_IS_LEAD_PAGE (self));

  g_clear_handle_id (&self->save_id, g_source_remove);
  self->dirty = FALSE;
  g_clear_object (&self->lead);
  g_clear_pointer (&self->privacy_notice, json_node_unref);
  gtk_label_set_label (self->privacy_label, "");
  self->merged = FALSE;

  self->updating++;
  gtk_label_set_label (self->name_label, "");
  gtk_label_set_label (self->source_label, "");
  g_clear_pointer (&self->source, g_free);
  gtk_label_set_label (self->welcome_label, "");
  gtk_revealer_set_reveal_child (self->welcome_revealer, FALSE);
  update_welcome_visible (self);
  gtk_label_set_label (self->status_label, "");
  gtk_label_set_label (self->score_label, "");
  gtk_level_bar_set_value (self->score_bar, 0);
  gtk_expander_set_expanded (self->why_expander, FALSE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->why_list))) != NULL)
    gtk_list_box_remove (self->why_list, child);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      gtk_editable_set_text (GTK_EDITABLE (field_row (self, fields[i])), "");
      set_unsure (self, field_row (self, fields[i]), FALSE);
    }
  gtk_picture_set_paintable (self->card_picture, NULL);
  show_card_section (self, FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), "", -1);
  fl_quick_notes_box_set_chosen (self->quick_notes, NULL);
  gtk_check_button_set_active (self->consent_check, FALSE);
  gtk_toggle_button_set_active (self->visitor_view_button, FALSE);
  for (guint i = 0; i < self->questions->len; i++)
    {
      QuestionView *view = g_ptr_array_index (self->questions, i);

      if (view->entry != NULL)
        gtk_editable_set_text (view->entry, "");
      for (guint j = 0; j < view->buttons->len; j++)
        gtk_toggle_button_set_active (g_ptr_array_index (view->buttons, j), FALSE);
    }
  for (guint i = 0; i < self->interactions->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->interactions, i), FALSE);
  self->updating--;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.done", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.close", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "lead.discard", FALSE);
}

/* Private API for the GUI tests */

GtkToggleButton *
_fl_lead_page_get_choice (FlLeadPage *self, const char *question_id, guint index)
{
  for (guint i = 0; i < self->questions->len; i++)
    {
      QuestionView *view = g_ptr_array_index (self->questions, i);

      if (g_strcmp0 (view->id, question_id) == 0 && index < view->buttons->len)
        return g_ptr_array_index (view->buttons, index);
    }
  return NULL;
}

GtkToggleButton *
_fl_lead_page_get_interaction (FlLeadPage *self, const char *kind)
{
  for (guint i = 0; i < self->interactions->len; i++)
    {
      GtkToggleButton *button = g_ptr_array_index (self->interactions, i);

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "fl-kind"), kind) == 0)
        return button;
    }
  return NULL;
}

GtkEditable *
_fl_lead_page_get_field (FlLeadPage *self, FlField field)
{
  return GTK_EDITABLE (field_row (self, field));
}

GtkLabel *
_fl_lead_page_get_status (FlLeadPage *self)
{
  return self->status_label;
}

GtkLevelBar *
_fl_lead_page_get_score_bar (FlLeadPage *self)
{
  return self->score_bar;
}

GtkRevealer *
_fl_lead_page_get_welcome (FlLeadPage *self)
{
  return self->welcome_revealer;
}

GtkLabel *
_fl_lead_page_get_welcome_label (FlLeadPage *self)
{
  return self->welcome_label;
}

GtkCheckButton *
_fl_lead_page_get_consent (FlLeadPage *self)
{
  return self->consent_check;
}

GtkToggleButton *
_fl_lead_page_get_language_button (FlLeadPage *self, FlLanguage language)
{
  g_return_val_if_fail (language < FL_N_LANGUAGES, NULL);
  return self->language_buttons[language];
}

GtkListBox *
_fl_lead_page_get_why_list (FlLeadPage *self)
{
  return self->why_list;
}

GtkPicture *
_fl_lead_page_get_card_picture (FlLeadPage *self)
{
  return self->card_picture;
}

gboolean
_fl_lead_page_get_field_unsure (FlLeadPage *self, FlField field)
{
  AdwEntryRow *row = field_row (self, field);

  return row != NULL && GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "fl-unsure"));
}

GtkWidget *
_fl_lead_page_get_unsure_icon (FlLeadPage *self, FlField field)
{
  AdwEntryRow *row = field_row (self, field);

  return row != NULL ? unsure_icon (row) : NULL;
}

GtkLabel *
_fl_lead_page_get_card_hint (FlLeadPage *self)
{
  return self->card_hint_label;
}

GtkToggleButton *
_fl_lead_page_get_visitor_view (FlLeadPage *self)
{
  return self->visitor_view_button;
}

GtkLabel *
_fl_lead_page_get_source (FlLeadPage *self)
{
  return self->source_label;
}

GtkLabel *
_fl_lead_page_get_name (FlLeadPage *self)
{
  return self->name_label;
}

gboolean
_fl_lead_page_get_merged (FlLeadPage *self)
{
  return self->lead != NULL && self->merged;
}

GtkLabel *
_fl_lead_page_get_privacy (FlLeadPage *self)
{
  return self->privacy_label;
}

GtkTextView *
_fl_lead_page_get_notes (FlLeadPage *self)
{
  return self->notes_view;
}

GtkLabel *
_fl_lead_page_get_notes_limit (FlLeadPage *self)
{
  return GTK_LABEL (self->notes_limit_label);
}

FlQuickNotesBox *
_fl_lead_page_get_quick_notes (FlLeadPage *self)
{
  g_return_val_if_fail (FL_IS_LEAD_PAGE (self), NULL);
  return self->quick_notes;
}
