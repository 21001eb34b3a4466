/* fl-lead-detail.c: one lead, every field of it, and what can be done to it
 *
 * Shows and edits the person fields and notes; shows the answers, the
 * score with its reasons, the interactions, the consent, the uploads and
 * the audit history; and offers the status override (with a reason, in
 * the audit), sending again and discarding (the right to erasure).
 *
 * The page is a template with one section per part (fl-lead-*-section.c);
 * each binds #FlLeadDetail:lead and updates its widgets in place when
 * another lead is selected. What can be done to the lead are actions of
 * the class ("lead.save", ...), enabled in update_actions() alone.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-detail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-lead-detail.h"
#include "fl-lead-answers-section.h"
#include "fl-lead-consent-section.h"
#include "fl-lead-contact-section.h"
#include "fl-lead-history-section.h"
#include "fl-lead-interactions-section.h"
#include "fl-lead-score-section.h"
#include "fl-lead-uploads-section.h"
#include "fl-ui-util.h"
#include "score/fl-model-store.h"
#include "store/fl-privacy.h"
#include "sync/fl-outbox.h"

struct _FlLeadDetail
{
  AdwBin                parent_instance;

  FlStore              *store;
  char                 *actor;
  FlLead               *lead;

  GtkStack             *stack;
  GtkLabel             *name_label;
  GtkLabel             *company_label;
  GtkLabel             *status_label;
  GtkLabel             *score_label;
  GtkWidget            *save_button;
  FlLeadContactSection *contact_section;
  FlLeadSection        *answers_section;
  FlLeadScoreSection   *score_section;
  FlLeadSection        *interactions_section;
  FlLeadSection        *consent_section;
  FlLeadSection        *uploads_section;
  FlLeadSection        *history_section;
  AdwToastOverlay      *toasts;
};

G_DEFINE_FINAL_TYPE (FlLeadDetail, fl_lead_detail, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_LEAD,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
toast (FlLeadDetail *self, const char *text)
{
  fl_toast_show (self->toasts, text);
}

static void
toast_error (FlLeadDetail *self, const char *what, const GError *error)
{
  fl_toast_show_printf (self->toasts, "%s: %s", what, error->message);
}


/* The one place that says what can be done to the lead shown. */
static void
update_actions (FlLeadDetail *self)
{
  gboolean shown = self->lead != NULL;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "lead.save",
                                 shown && fl_lead_contact_section_get_modified (self->contact_section));
  gtk_widget_action_set_enabled (widget, "lead.override-status", shown);
  gtk_widget_action_set_enabled (widget, "lead.clear-override",
                                 shown && fl_lead_get_override_status (self->lead) != NULL);
  gtk_widget_action_set_enabled (widget, "lead.send-again", shown);
  gtk_widget_action_set_enabled (widget, "lead.discard", shown);
}

/* The header; the sections follow #FlLeadDetail:lead by their bindings. */
static void
show_lead (FlLeadDetail *self)
{
  FlStatus status;
  g_autofree char *score = NULL;
  const char *name;
  const char *company;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEAD]);
  update_actions (self);
  if (self->lead == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  name = fl_lead_get_display_name (self->lead);
  gtk_label_set_label (self->name_label, name && *name ? name : _("(no name)"));
  company = fl_lead_get_field (self->lead, FL_FIELD_COMPANY);
  gtk_label_set_label (self->company_label, company != NULL ? company : "");
  gtk_widget_set_visible (GTK_WIDGET (self->company_label), company != NULL && *company != '\0');
  status = fl_lead_get_status (self->lead);
  gtk_label_set_label (self->status_label, fl_status_get_label (status));
  fl_widget_set_status_class (GTK_WIDGET (self->status_label), status);
  score = g_strdup_printf (_("Score %d"), fl_lead_get_score (self->lead));
  gtk_label_set_label (self->score_label, score);
  gtk_stack_set_visible_child_name (self->stack, "lead");
}

static void
save_cb (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (widget);
  g_autoptr(GError) error = NULL;

  if (!fl_lead_detail_save (self, &error))
    toast_error (self, _("Cannot save the lead"), error);
  else
    toast (self, _("Lead saved"));
}

static void
clear_override_cb (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (widget);
  g_autoptr(GError) error = NULL;

  if (!fl_lead_detail_clear_override (self, &error))
    toast_error (self, _("Cannot change the status"), error);
  else
    toast (self, _("The scoring model decides the status again"));
}

static void
reason_changed_cb (GtkEditable *entry, AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog, "override", *reason != '\0');
}

static void
override_response_cb (AdwMessageDialog *dialog, const char *response, FlLeadDetail *self)
{
  static const char *statuses[] = { "MQL", "SAL", "DISQUALIFIED" };
  g_autoptr(GError) error = NULL;
  GtkDropDown *status = g_object_get_data (G_OBJECT (dialog), "status");
  GtkEditable *reason = g_object_get_data (G_OBJECT (dialog), "reason");
  guint selected;

  if (g_strcmp0 (response, "override") != 0)
    return;
  selected = gtk_drop_down_get_selected (status);
  if (selected >= G_N_ELEMENTS (statuses))
    return;
  if (!fl_lead_detail_override_status (self, statuses[selected], gtk_editable_get_text (reason), &error))
    toast_error (self, _("Cannot change the status"), error);
  else
    toast (self, _("Status changed"));
}

AdwMessageDialog *
_fl_lead_detail_open_override (FlLeadDetail *self)
{
  const char *names[] = { fl_status_get_label (FL_STATUS_MQL), fl_status_get_label (FL_STATUS_SAL),
                          fl_status_get_label (FL_STATUS_DISQUALIFIED), NULL };
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog, *box, *status, *reason;
  g_autofree char *body = NULL;

  if (self->lead == NULL)
    return NULL;
  body = g_strdup_printf (_("The model scored this lead %s. A status set by hand stays when the lead is re-scored; "
                            "say why, for the audit and for sales."),
                          fl_status_get_label (fl_lead_get_status (self->lead)));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Override Status"), body);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  status = gtk_drop_down_new_from_strings (names);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (status), fl_lead_get_status (self->lead) == FL_STATUS_SAL ? 0 : 1);
  gtk_box_append (GTK_BOX (box), status);
  reason = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (reason), _("Reason, e.g. “Budget confirmed in the demo”"));
  gtk_entry_set_activates_default (GTK_ENTRY (reason), TRUE);
  gtk_box_append (GTK_BOX (box), reason);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "override",
                                    _("_Override"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "override",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "override");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "override", FALSE);
  g_object_set_data (G_OBJECT (dialog), "status", status);
  g_object_set_data (G_OBJECT (dialog), "reason", reason);
  g_signal_connect (reason, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect (dialog, "response", G_CALLBACK (override_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (reason);
  return ADW_MESSAGE_DIALOG (dialog);
}

static void
override_cb (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  _fl_lead_detail_open_override (FL_LEAD_DETAIL (widget));
}


static void
send_again_cb (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (widget);
  g_autoptr(GError) error = NULL;
  gint64 n = 0;

  if (!fl_lead_detail_send_again (self, &n, &error))
    toast_error (self, _("Cannot queue the lead"), error);
  else if (n == 0)
    toast (self, _("No connector is set up; add one in the settings"));
  else
    toast (self, _("Queued for upload again"));
}

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, FlLeadDetail *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "discard") != 0)
    return;
  if (!fl_lead_detail_discard (self, &error))
    toast_error (self, _("Cannot discard the lead"), error);
  else
    toast (self, _("Lead discarded"));
}

static void
discard_cb (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (widget);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (self->lead == NULL)
    return;
  body = g_strdup_printf (_("Everything stored about %s is erased from this kiosk: contact, answers, consent "
                            "and uploads still waiting. Leads already in the CRM stay there. This cannot be "
                            "undone."),
                          fl_lead_get_display_name (self->lead) && *fl_lead_get_display_name (self->lead)
                          ? fl_lead_get_display_name (self->lead) : _("this lead"));
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Discard Lead?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "discard",
                                    _("_Discard"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fl_lead_detail_finalize (GObject *object)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (object);

  g_clear_object (&self->store);
  g_clear_object (&self->lead);
  g_clear_pointer (&self->actor, g_free);
  G_OBJECT_CLASS (fl_lead_detail_parent_class)->finalize (object);
}

static void
fl_lead_detail_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_LEAD:
      g_value_set_object (value, self->lead);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_detail_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlLeadDetail *self = FL_LEAD_DETAIL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_set_object (&self->store, g_value_get_object (value));
      g_object_notify_by_pspec (object, pspec);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_detail_class_init (FlLeadDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fl_lead_detail_finalize;
  object_class->get_property = fl_lead_detail_get_property;
  object_class->set_property = fl_lead_detail_set_property;

  /**
   * FlLeadDetail:store:
   *
   * Where the lead is read from and saved to.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_EXPLICIT_NOTIFY);

  /**
   * FlLeadDetail:lead:
   *
   * The lead shown, as last read; %NULL for none. The sections bind it.
   */
  properties[PROP_LEAD] =
    g_param_spec_object ("lead", NULL, NULL, FL_TYPE_LEAD,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlLeadDetail::changed:
   *
   * The lead was saved, re-queued, overridden or discarded.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FL_TYPE_LEAD_ANSWERS_SECTION);
  g_type_ensure (FL_TYPE_LEAD_CONSENT_SECTION);
  g_type_ensure (FL_TYPE_LEAD_CONTACT_SECTION);
  g_type_ensure (FL_TYPE_LEAD_HISTORY_SECTION);
  g_type_ensure (FL_TYPE_LEAD_INTERACTIONS_SECTION);
  g_type_ensure (FL_TYPE_LEAD_SCORE_SECTION);
  g_type_ensure (FL_TYPE_LEAD_UPLOADS_SECTION);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-lead-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, toasts);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, name_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, company_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, status_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, score_label);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, save_button);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, contact_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, answers_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, score_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, interactions_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, consent_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, uploads_section);
  gtk_widget_class_bind_template_child (widget_class, FlLeadDetail, history_section);
  gtk_widget_class_bind_template_callback (widget_class, update_actions);

  gtk_widget_class_install_action (widget_class, "lead.save", NULL, save_cb);
  gtk_widget_class_install_action (widget_class, "lead.override-status", NULL, override_cb);
  gtk_widget_class_install_action (widget_class, "lead.clear-override", NULL, clear_override_cb);
  gtk_widget_class_install_action (widget_class, "lead.send-again", NULL, send_again_cb);
  gtk_widget_class_install_action (widget_class, "lead.discard", NULL, discard_cb);
}

static void
fl_lead_detail_init (FlLeadDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_actions (self);
}

GtkWidget *
fl_lead_detail_new (FlStore *store)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  return g_object_new (FL_TYPE_LEAD_DETAIL, "store", store, NULL);
}

/**
 * fl_lead_detail_get_lead:
 *
 * Returns: (transfer none) (nullable): the lead shown, as last read
 */
FlLead *
fl_lead_detail_get_lead (FlLeadDetail *self)
{
  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), NULL);
  return self->lead;
}

void
fl_lead_detail_set_actor (FlLeadDetail *self, const char *actor)
{
  g_return_if_fail (FL_IS_LEAD_DETAIL (self));
  g_free (self->actor);
  self->actor = g_strdup (actor);
}

/**
 * fl_lead_detail_set_lead:
 * @uuid: (nullable): the lead to show, %NULL for none
 */
void
fl_lead_detail_set_lead (FlLeadDetail *self, const char *uuid)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FL_IS_LEAD_DETAIL (self));

  g_clear_object (&self->lead);
  if (uuid != NULL)
    {
      self->lead = fl_store_get_lead (self->store, uuid, &error);
      if (self->lead == NULL)
        toast_error (self, _("Cannot read the lead"), error);
    }
  show_lead (self);
}

/* Reads the lead shown again; it may have been discarded meanwhile. */
void
fl_lead_detail_reload (FlLeadDetail *self)
{
  g_autofree char *uuid = NULL;
  g_autoptr(FlLead) lead = NULL;

  g_return_if_fail (FL_IS_LEAD_DETAIL (self));

  if (self->lead == NULL)
    return;
  uuid = g_strdup (fl_lead_get_uuid (self->lead));
  g_clear_object (&self->lead);
  self->lead = fl_store_get_lead (self->store, uuid, NULL);
  show_lead (self);
}

/**
 * fl_lead_detail_save:
 *
 * Saves the fields and notes as edited. The store keeps the audit entry
 * and queues the lead again for every connector.
 */
gboolean
fl_lead_detail_save (FlLeadDetail *self, GError **error)
{
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *now = NULL;

  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  lead = fl_lead_copy (self->lead);
  fl_lead_contact_section_apply (self->contact_section, lead);
  now = fl_now_iso8601 ();
  fl_lead_set_updated_at (lead, now);
  /* A corrected title or company can change the score. */
  if (!fl_scorer_score_lead (self->store, lead, error) ||
      !fl_store_save_lead (self->store, lead, self->actor, error))
    return FALSE;
  fl_lead_detail_set_lead (self, fl_lead_get_uuid (lead));
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/**
 * fl_lead_detail_override_status:
 * @status: "MQL", "SAL" or "DISQUALIFIED"
 * @reason: why, for the audit and for sales; required
 *
 * Sets the lead's status by hand. The override, who set it and why are
 * saved with the lead and in the audit.
 */
gboolean
fl_lead_detail_override_status (FlLeadDetail *self, const char *status, const char *reason, GError **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *uuid = NULL;
  FlStatus parsed;

  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (reason ? reason : ""));
  if (!fl_status_from_string (status, &parsed))
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                   _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"), status);
      return FALSE;
    }
  if (*trimmed == '\0' || self->actor == NULL)
    {
      g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                           _("A manual status needs who set it and why"));
      return FALSE;
    }

  /* The scorer keeps the override through every re-score and audits it. */
  if (!fl_scorer_set_override (self->store, fl_lead_get_uuid (self->lead), status, self->actor, trimmed, error))
    return FALSE;
  uuid = g_strdup (fl_lead_get_uuid (self->lead));
  fl_lead_detail_set_lead (self, uuid);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/**
 * fl_lead_detail_clear_override:
 *
 * Clears a status set by hand: the lead takes the status its score gives
 * again. Audited, with who cleared it.
 */
gboolean
fl_lead_detail_clear_override (FlLeadDetail *self, GError **error)
{
  g_autofree char *uuid = NULL;

  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  if (fl_lead_get_override_status (self->lead) == NULL)
    return TRUE;
  if (!fl_scorer_set_override (self->store, fl_lead_get_uuid (self->lead), NULL,
                               self->actor ? self->actor : "back office", NULL, error))
    return FALSE;
  uuid = g_strdup (fl_lead_get_uuid (self->lead));
  fl_lead_detail_set_lead (self, uuid);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

GtkWidget *
_fl_lead_detail_get_clear_override (FlLeadDetail *self)
{
  return fl_lead_score_section_get_clear_button (self->score_section);
}

/**
 * fl_lead_detail_send_again:
 * @n_queued: (out) (optional): how many connectors have the lead queued now
 *
 * Queues the lead again for every enabled connector, whether it failed or
 * went out already (the CRM then gets it as an update); see
 * fl_outbox_requeue_lead(), which refuses a lead without consent.
 */
gboolean
fl_lead_detail_send_again (FlLeadDetail *self, gint64 *n_queued, GError **error)
{
  g_autoptr(FlOutbox) outbox = NULL;

  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  outbox = fl_outbox_new (self->store);
  if (!fl_outbox_requeue_lead (outbox, fl_lead_get_uuid (self->lead), self->actor, n_queued, error))
    return FALSE;
  fl_lead_detail_reload (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}

/**
 * fl_lead_detail_discard:
 *
 * Erases the lead (see fl_privacy_erase_lead()); the pane then shows no
 * lead.
 */
gboolean
fl_lead_detail_discard (FlLeadDetail *self, GError **error)
{
  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  if (!fl_privacy_erase_lead (self->store, fl_lead_get_uuid (self->lead), self->actor, error))
    return FALSE;
  fl_lead_detail_set_lead (self, NULL);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
  return TRUE;
}
