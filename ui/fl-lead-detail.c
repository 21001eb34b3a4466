/* fl-lead-detail.c: one lead, every field of it, and what can be done to it
 *
 * Shows and edits the person fields and notes; shows the answers, the
 * score with its reasons, the interactions, the consent, the uploads and
 * the audit history; and offers the status override (with a reason, in
 * the audit), sending again and discarding (the right to erasure).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-detail"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-lead-detail.h"
#include "fl-text-limit.h"
#include "fl-ui-util.h"
#include "lead/fl-limits.h"
#include "score/fl-model-store.h"
#include "store/fl-audit.h"
#include "store/fl-privacy.h"
#include "sync/fl-outbox.h"
#include "sync/fl-sync-log.h"

struct _FlLeadDetail
{
  AdwBin           parent_instance;

  FlStore         *store;
  char            *actor;
  FlLead          *lead;

  GtkStack        *stack;
  GtkLabel        *name_label;
  GtkLabel        *status_label;
  GtkLabel        *score_label;
  AdwBin          *page_bin;
  AdwEntryRow     *field_rows[FL_N_FIELDS];
  GtkTextBuffer   *notes;
  GtkWidget       *save_button;
  GtkWidget       *clear_override_button;  /* in the page, while there is an override */
  AdwToastOverlay *toasts;
};

G_DEFINE_FINAL_TYPE (FlLeadDetail, fl_lead_detail, ADW_TYPE_BIN)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
field_label (FlField field)
{
  switch (field)
    {
    case FL_FIELD_FIRST_NAME: return _("First Name");
    case FL_FIELD_LAST_NAME: return _("Last Name");
    case FL_FIELD_FULL_NAME: return _("Full Name");
    case FL_FIELD_EMAIL: return _("Email");
    case FL_FIELD_PHONE: return _("Phone");
    case FL_FIELD_MOBILE: return _("Mobile");
    case FL_FIELD_COMPANY: return _("Company");
    case FL_FIELD_TITLE: return _("Job Title");
    case FL_FIELD_DEPARTMENT: return _("Department");
    case FL_FIELD_STREET: return _("Street");
    case FL_FIELD_CITY: return _("City");
    case FL_FIELD_POSTAL_CODE: return _("Postal Code");
    case FL_FIELD_REGION: return _("Region");
    case FL_FIELD_COUNTRY: return _("Country");
    case FL_FIELD_WEBSITE: return _("Website");
    case FL_N_FIELDS:
    default:
      g_assert_not_reached ();
    }
}

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

/* A JSON answer as a person reads it: strings as they are, arrays joined. */
static char *
json_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
        return g_strdup_printf ("%g", json_node_get_double (node));
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    }
  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) out = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = json_to_text (json_array_get_element (array, i));
          if (i > 0)
            g_string_append (out, ", ");
          g_string_append (out, item);
        }
      return g_string_free (g_steal_pointer (&out), FALSE);
    }
  return json_to_string (node, FALSE);
}

static GtkWidget *
add_row (AdwPreferencesGroup *group, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_group_add (group, row);
  return row;
}

static AdwPreferencesGroup *
add_group (AdwPreferencesPage *page, const char *title)
{
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

  adw_preferences_group_set_title (group, title);
  adw_preferences_page_add (page, group);
  return group;
}

static void
add_empty_row (AdwPreferencesGroup *group, const char *text)
{
  GtkWidget *row = add_row (group, text, NULL);

  gtk_widget_add_css_class (row, "dim-label");
}

static void
changed_cb (FlLeadDetail *self)
{
  gtk_widget_set_sensitive (self->save_button, TRUE);
}

static void
build_contact (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Contact"));
  GtkWidget *frame, *text_view, *limit_label;
  g_autofree char *captured = NULL;
  g_autofree char *subtitle = NULL;

  captured = fl_format_local_time (fl_lead_get_created_at (self->lead), "%c");
  subtitle = g_strdup_printf (_("Captured %s by %s"), captured,
                              fl_lead_get_captured_by (self->lead) ? fl_lead_get_captured_by (self->lead)
                                                                   : _("unknown"));
  adw_preferences_group_set_description (group, subtitle);

  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());
      const char *value = fl_lead_get_field (self->lead, field);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), field_label (field));
      gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
      if (field == FL_FIELD_EMAIL)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_EMAIL);
      else if (field == FL_FIELD_PHONE || field == FL_FIELD_MOBILE)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_PHONE);
      else if (field == FL_FIELD_WEBSITE)
        adw_entry_row_set_input_purpose (row, GTK_INPUT_PURPOSE_URL);
      g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
      adw_preferences_group_add (group, GTK_WIDGET (row));
      self->field_rows[field] = row;
    }

  group = add_group (page, _("Notes"));
  self->notes = gtk_text_buffer_new (NULL);
  gtk_text_buffer_set_text (self->notes, fl_lead_get_notes (self->lead) ? fl_lead_get_notes (self->lead) : "", -1);
  g_signal_connect_swapped (self->notes, "changed", G_CALLBACK (changed_cb), self);
  text_view = gtk_text_view_new_with_buffer (self->notes);
  g_object_unref (self->notes);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (text_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (text_view), FALSE);
  gtk_widget_set_size_request (text_view, -1, 80);
  gtk_widget_add_css_class (text_view, "lead-notes");
  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), text_view);
  adw_preferences_group_add (group, frame);
  limit_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (limit_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (limit_label), 0);
  gtk_widget_add_css_class (limit_label, "error");
  gtk_widget_set_visible (limit_label, FALSE);
  adw_preferences_group_add (group, limit_label);
  fl_text_limit_attach (self->notes, FL_LIMIT_NOTES, limit_label);
}

static void
build_answers (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Answers"));
  JsonNode *answers = fl_lead_get_answers (self->lead);
  JsonObject *object = answers && JSON_NODE_HOLDS_OBJECT (answers) ? json_node_get_object (answers) : NULL;
  g_autoptr(GList) members = object ? json_object_get_members (object) : NULL;

  for (GList *l = members; l != NULL; l = l->next)
    {
      g_autofree char *value = json_to_text (json_object_get_member (object, l->data));
      add_row (group, l->data, value);
    }
  if (members == NULL)
    add_empty_row (group, _("No questions answered"));
}

static void
clear_override_cb (FlLeadDetail *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_lead_detail_clear_override (self, &error))
    toast_error (self, _("Cannot change the status"), error);
  else
    toast (self, _("The scoring model decides the status again"));
}

static void
build_score (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Score"));
  JsonNode *breakdown = fl_lead_get_breakdown (self->lead);
  JsonArray *array = breakdown && JSON_NODE_HOLDS_ARRAY (breakdown) ? json_node_get_array (breakdown) : NULL;
  const char *override = fl_lead_get_override_status (self->lead);
  JsonNode *model = fl_lead_get_model (self->lead);
  guint n = array ? json_array_get_length (array) : 0;

  if (model != NULL && JSON_NODE_HOLDS_OBJECT (model))
    {
      JsonObject *object = json_node_get_object (model);
      g_autofree char *text =
        g_strdup_printf (_("Scored with %s, version %d"),
                         json_object_get_string_member_with_default (object, "name", "?"),
                         (int) json_object_get_int_member_with_default (object, "version", 0));
      adw_preferences_group_set_description (group, text);
    }
  if (override != NULL)
    {
      g_autofree char *title = g_strdup_printf (_("Status set by hand to %s"), override);
      g_autofree char *subtitle =
        g_strdup_printf (_("By %s: %s"), fl_lead_get_override_by (self->lead) ? fl_lead_get_override_by (self->lead) : "?",
                         fl_lead_get_override_reason (self->lead) ? fl_lead_get_override_reason (self->lead) : "");
      GtkWidget *row = add_row (group, title, subtitle);
      GtkWidget *clear = gtk_button_new_with_mnemonic (_("_Clear"));

      gtk_widget_add_css_class (row, "override-row");
      /* Back to the status the model computes, audited like the override. */
      gtk_widget_set_valign (clear, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (clear, _("Let the scoring model decide the status again"));
      g_signal_connect_swapped (clear, "clicked", G_CALLBACK (clear_override_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), clear);
      self->clear_override_button = clear;
    }
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *item = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *reason;
      GtkWidget *row, *points;

      if (item == NULL)
        continue;
      reason = json_object_get_string_member_with_default (item, "reason",
                                                           json_object_get_string_member_with_default (item, "id", "?"));
      row = add_row (group, reason, NULL);
      if (json_object_has_member (item, "points"))
        {
          gint64 value = json_object_get_int_member (item, "points");
          g_autofree char *text = g_strdup_printf ("%+" G_GINT64_FORMAT, value);

          points = gtk_label_new (text);
          gtk_widget_add_css_class (points, "numeric");
          gtk_widget_add_css_class (points, value >= 0 ? "success" : "error");
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), points);
        }
    }
  if (n == 0 && override == NULL)
    add_empty_row (group, _("Not scored: the event had no scoring model"));
}

static void
build_interactions (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Interactions"));
  JsonNode *node = fl_lead_get_interactions (self->lead);
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  guint n = array ? json_array_get_length (array) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);
      g_autofree char *at = NULL;

      if (item == NULL)
        continue;
      at = fl_format_local_time (json_object_get_string_member_with_default (item, "at", NULL), "%c");
      add_row (group, json_object_get_string_member_with_default (item, "kind", "?"), at);
    }
  if (n == 0)
    add_empty_row (group, _("No interactions"));
}

static void
build_consent (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Consent"));
  JsonNode *node = fl_lead_get_consent (self->lead);
  JsonObject *object = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;

  if (object == NULL || !json_object_has_member (object, "given"))
    {
      add_empty_row (group, _("No consent recorded: the lead stays on the kiosk"));
      return;
    }
  {
    gboolean given = json_object_get_boolean_member_with_default (object, "given", FALSE);
    g_autofree char *at = fl_format_local_time (json_object_get_string_member_with_default (object, "at", NULL), "%c");
    g_autofree char *subtitle =
      g_strdup_printf (_("Text version %s, %s, recorded by %s"),
                       json_object_get_string_member_with_default (object, "version", "?"), at,
                       json_object_get_string_member_with_default (object, "staff", "?"));
    GtkWidget *row = add_row (group, given ? _("Consent given") : _("Consent refused"), subtitle);

    gtk_widget_add_css_class (row, given ? "consent-given" : "consent-refused");
  }
}

static void
build_uploads (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("Uploads"));
  g_autoptr(FlOutbox) outbox = fl_outbox_new (self->store);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = fl_outbox_list_for_lead (outbox, fl_lead_get_uuid (self->lead), &error);
  if (entries == NULL)
    {
      g_message ("Cannot read the uploads of the lead: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      FlOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *subtitle = NULL;

      if (g_strcmp0 (entry->state, "done") == 0)
        {
          g_autofree char *at = fl_format_local_time (entry->done_at, "%c");
          subtitle = g_strdup_printf (_("Uploaded %s"), at);
        }
      else if (g_strcmp0 (entry->state, "failed") == 0)
        subtitle = g_strdup_printf (_("Failed: %s"), entry->last_error ? entry->last_error : "?");
      else
        subtitle = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Waiting, %d attempt so far",
                                                 "Waiting, %d attempts so far", entry->attempts),
                                    entry->attempts);
      add_row (group, entry->connector, subtitle);
    }
  if (entries->len == 0)
    add_empty_row (group, _("No connector is set up"));
}

/* Every request that carried the lead, newest first: "did it reach
 * Salesforce?" without a log file. */
static void
build_sync_log (FlLeadDetail *self, AdwPreferencesPage *page)
{
  g_autoptr(GPtrArray) entries = fl_sync_log_list (self->store, fl_lead_get_uuid (self->lead), NULL);
  AdwPreferencesGroup *group;

  if (entries == NULL || entries->len == 0)
    return;
  group = add_group (page, _("Sync Log"));
  for (guint i = entries->len; i-- > 0;)
    {
      FlSyncLogEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *title = fl_sync_log_entry_describe (entry);
      g_autofree char *at = fl_format_local_time (entry->at, "%x %X");

      add_row (group, title, at);
    }
}

static void
build_history (FlLeadDetail *self, AdwPreferencesPage *page)
{
  AdwPreferencesGroup *group = add_group (page, _("History"));
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  entries = fl_store_list_audit (self->store, fl_lead_get_uuid (self->lead), &error);
  if (entries == NULL)
    {
      g_message ("Cannot read the history of the lead: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      FlAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *at = fl_format_local_time (entry->at, "%x %X");
      g_autofree char *title = entry->detail ? g_strdup_printf ("%s: %s", entry->action, entry->detail)
                                             : g_strdup (entry->action);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s", at, entry->actor ? entry->actor : "—");

      add_row (group, title, subtitle);
    }
}

static void
show_lead (FlLeadDetail *self)
{
  AdwPreferencesPage *page;
  FlStatus status;
  g_autofree char *score = NULL;
  const char *name;

  self->clear_override_button = NULL;
  if (self->lead == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      adw_bin_set_child (self->page_bin, NULL);
      memset (self->field_rows, 0, sizeof self->field_rows);
      self->notes = NULL;
      return;
    }

  name = fl_lead_get_display_name (self->lead);
  gtk_label_set_label (self->name_label, name && *name ? name : _("(no name)"));
  status = fl_lead_get_status (self->lead);
  gtk_label_set_label (self->status_label, fl_status_get_label (status));
  fl_widget_set_status_class (GTK_WIDGET (self->status_label), status);
  score = g_strdup_printf (_("Score %d"), fl_lead_get_score (self->lead));
  gtk_label_set_label (self->score_label, score);

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  build_contact (self, page);
  build_answers (self, page);
  build_score (self, page);
  build_interactions (self, page);
  build_consent (self, page);
  build_uploads (self, page);
  build_sync_log (self, page);
  build_history (self, page);
  adw_bin_set_child (self->page_bin, GTK_WIDGET (page));
  gtk_widget_set_sensitive (self->save_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "lead");
}

static void
save_cb (FlLeadDetail *self)
{
  g_autoptr(GError) error = NULL;

  if (!fl_lead_detail_save (self, &error))
    toast_error (self, _("Cannot save the lead"), error);
  else
    toast (self, _("Lead saved"));
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
override_cb (FlLeadDetail *self)
{
  _fl_lead_detail_open_override (self);
}

static void
send_again_cb (FlLeadDetail *self)
{
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
discard_cb (FlLeadDetail *self)
{
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

static GtkWidget *
new_button (const char *label, const char *tooltip, GCallback callback, gpointer self)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_swapped (button, "clicked", callback, self);
  return button;
}

static void
build (FlLeadDetail *self)
{
  GtkWidget *empty, *box, *header, *titles, *pills, *buttons, *button;

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toasts));
  self->stack = GTK_STACK (gtk_stack_new ());
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->stack));

  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "avatar-default-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Lead Selected"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty), _("Choose a lead in the list to see and edit it."));
  gtk_widget_add_css_class (empty, "compact");
  gtk_stack_add_named (self->stack, empty, "empty");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_stack_add_named (self->stack, box, "lead");

  header = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_add_css_class (header, "lead-header");
  gtk_box_append (GTK_BOX (box), header);
  titles = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (header), titles);
  self->name_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->name_label, 0);
  gtk_label_set_ellipsize (self->name_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_label), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->name_label), "title-2");
  gtk_box_append (GTK_BOX (titles), GTK_WIDGET (self->name_label));
  pills = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_valign (pills, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (titles), pills);
  self->score_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->score_label), "numeric");
  gtk_box_append (GTK_BOX (pills), GTK_WIDGET (self->score_label));
  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "pill-label");
  gtk_box_append (GTK_BOX (pills), GTK_WIDGET (self->status_label));

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_box_append (GTK_BOX (header), buttons);
  self->save_button = new_button (_("_Save"), _("Save the changed fields"), G_CALLBACK (save_cb), self);
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_box_append (GTK_BOX (buttons), self->save_button);
  button = new_button (_("_Override Status…"), _("Set the status by hand, with a reason"),
                       G_CALLBACK (override_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = new_button (_("Send _Again"), _("Queue the lead for every connector again"),
                       G_CALLBACK (send_again_cb), self);
  gtk_box_append (GTK_BOX (buttons), button);
  button = new_button (_("_Discard…"), _("Erase the lead from this kiosk"), G_CALLBACK (discard_cb), self);
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_hexpand (button, TRUE);
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (buttons), button);

  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  self->page_bin = ADW_BIN (adw_bin_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->page_bin), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->page_bin));

  gtk_stack_set_visible_child_name (self->stack, "empty");
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
fl_lead_detail_class_init (FlLeadDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_lead_detail_finalize;

  /**
   * FlLeadDetail::changed:
   *
   * The lead was saved, re-queued, overridden or discarded.
   */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                          NULL, NULL, G_TYPE_NONE, 0);
}

static void
fl_lead_detail_init (FlLeadDetail *self)
{
}

GtkWidget *
fl_lead_detail_new (FlStore *store)
{
  FlLeadDetail *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_LEAD_DETAIL, NULL);
  self->store = g_object_ref (store);
  build (self);
  return GTK_WIDGET (self);
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
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  g_return_val_if_fail (FL_IS_LEAD_DETAIL (self), FALSE);
  g_return_val_if_fail (self->lead != NULL, FALSE);

  lead = fl_lead_copy (self->lead);
  for (FlField field = 0; field < FL_N_FIELDS; field++)
    {
      g_autofree char *value = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->field_rows[field]))));
      fl_lead_set_field (lead, field, *value ? value : NULL);
    }
  gtk_text_buffer_get_bounds (self->notes, &start, &end);
  notes = g_strstrip (gtk_text_buffer_get_text (self->notes, &start, &end, FALSE));
  fl_lead_set_notes (lead, *notes ? notes : NULL);
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
  return self->clear_override_button;
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
