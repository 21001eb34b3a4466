/* fl-model-page.c: the scoring model, checked before it is applied
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-model-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-model-page.h"
#include "fl-preferences-private.h"
#include "score/fl-model-store.h"
#include "score/fl-rescore.h"

struct _FlModelPage
{
  FlSettingsPage       parent_instance;

  GCancellable        *cancellable;
  GPtrArray           *model_rows;
  GPtrArray           *fault_rows;
  GPtrArray           *dry_run_rows;
  FlModel             *candidate;
  gboolean             applying;

  AdwPreferencesGroup *model_group;
  AdwPreferencesGroup *faults_group;
  AdwPreferencesGroup *dry_run_group;
  GtkWidget           *apply_button;
  GtkWidget           *load_model_button;
};

G_DEFINE_FINAL_TYPE (FlModelPage, fl_model_page, FL_TYPE_SETTINGS_PAGE)

static void
load_current_model (FlModelPage *self)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  _fl_preferences_clear_rows (self->model_group, self->model_rows);
  if (store == NULL)
    return;
  model = fl_model_store_load_for_event (store, NULL, &error);
  if (model == NULL)
    {
      _fl_preferences_add_row (self->model_group, self->model_rows, _("No scoring model"),
               g_error_matches (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL)
               ? _("Leads are captured but not scored. Load the model marketing and sales agreed on.")
               : error->message);
      return;
    }
  title = g_strdup_printf (_("“%s”, version %d"), fl_model_get_name (model), (int) fl_model_get_version (model));
  subtitle = g_strdup_printf (_("SAL from %d points · %u questions, %u required · %u rules"),
                              fl_model_get_sal_threshold (model), fl_model_get_n_questions (model),
                              fl_model_get_n_required (model), fl_model_get_n_rules (model));
  _fl_preferences_add_row (self->model_group, self->model_rows, title, subtitle);
}

typedef struct
{
  char    *path;
  FlModel *model;
  char    *actor;
} Apply;

static void
apply_free (Apply *apply)
{
  g_free (apply->path);
  g_clear_object (&apply->model);
  g_free (apply->actor);
  g_free (apply);
}

/* On a connection of its own: re-scoring 100,000 leads takes seconds,
 * which the window spends drawing its progress, not frozen. */
static void
apply_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Apply *apply = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = fl_store_open (apply->path, &error);
  FlRescoreReport *report;

  if (store == NULL || !fl_model_store_activate (store, apply->model, apply->actor, &error) ||
      (report = fl_rescore (store, apply->model, NULL, FALSE, apply->actor, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, report, (GDestroyNotify) fl_rescore_report_free);
}

static void
set_applying (FlModelPage *self, gboolean applying)
{
  self->applying = applying;
  gtk_button_set_label (GTK_BUTTON (self->apply_button), applying ? _("Re-scoring…") : _("_Apply"));
  gtk_widget_set_sensitive (self->apply_button, !applying && self->candidate != NULL);
  gtk_widget_set_sensitive (self->load_model_button, !applying);
}

static void
apply_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FlModelPage *self = FL_MODEL_PAGE (object);
  g_autoptr(GError) error = NULL;
  gint64 n_changed = fl_model_page_apply_finish (self, result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (n_changed < 0)
    _fl_preferences_toast (GTK_WIDGET (self), error->message);
  else
    _fl_preferences_toast (GTK_WIDGET (self), _("Model applied; every lead was re-scored"));
}

static void
model_chosen (GtkWidget *widget, const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!fl_model_page_load (FL_MODEL_PAGE (widget), path, &error))
    _fl_preferences_toast (widget, error->message);
}

static void
choose_cb (FlModelPage *self)
{
  _fl_preferences_open_file (GTK_WIDGET (self), _("Choose a Scoring Model"), _("Scoring models (JSON)"), "*.json",
                             model_chosen);
}

static void
apply_cb (FlModelPage *self)
{
  if (self->candidate != NULL && !self->applying)
    fl_model_page_apply_async (self, apply_done_cb, NULL);
}

static void
fl_model_page_reload (FlSettingsPage *page)
{
  load_current_model (FL_MODEL_PAGE (page));
}

static void
fl_model_page_dispose (GObject *object)
{
  FlModelPage *self = FL_MODEL_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (fl_model_page_parent_class)->dispose (object);
}

static void
fl_model_page_finalize (GObject *object)
{
  FlModelPage *self = FL_MODEL_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->candidate);
  g_clear_pointer (&self->model_rows, g_ptr_array_unref);
  g_clear_pointer (&self->fault_rows, g_ptr_array_unref);
  g_clear_pointer (&self->dry_run_rows, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_model_page_parent_class)->finalize (object);
}

static void
fl_model_page_class_init (FlModelPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_model_page_dispose;
  object_class->finalize = fl_model_page_finalize;

  FL_SETTINGS_PAGE_CLASS (klass)->reload = fl_model_page_reload;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-model-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlModelPage, model_group);
  gtk_widget_class_bind_template_child (widget_class, FlModelPage, faults_group);
  gtk_widget_class_bind_template_child (widget_class, FlModelPage, dry_run_group);
  gtk_widget_class_bind_template_child (widget_class, FlModelPage, apply_button);
  gtk_widget_class_bind_template_child (widget_class, FlModelPage, load_model_button);
  gtk_widget_class_bind_template_callback (widget_class, choose_cb);
  gtk_widget_class_bind_template_callback (widget_class, apply_cb);
}

static void
fl_model_page_init (FlModelPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->model_rows = g_ptr_array_new ();
  self->fault_rows = g_ptr_array_new ();
  self->dry_run_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* Public API */

/**
 * fl_model_page_load:
 * @path: a scoring model file
 *
 * Validates the file. A model with faults shows each with its JSON path
 * and is refused; a valid one shows what re-scoring every lead with it
 * would change ("12 leads MQL → SAL"), and waits to be applied.
 *
 * Returns: %FALSE with @error set when the file cannot be read or has
 *   faults
 */
gboolean
fl_model_page_load (FlModelPage *self, const char *path, GError **error)
{
  FlStore *store = fl_settings_page_get_store (FL_SETTINGS_PAGE (self));
  const char *actor = fl_settings_page_get_actor (FL_SETTINGS_PAGE (self));
  g_autoptr(GPtrArray) faults = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autofree char *description = NULL;
  guint n_rows = 0;

  g_return_val_if_fail (FL_IS_MODEL_PAGE (self), FALSE);

  g_clear_object (&self->candidate);
  _fl_preferences_clear_rows (self->faults_group, self->fault_rows);
  _fl_preferences_clear_rows (self->dry_run_group, self->dry_run_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->faults_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), FALSE);

  model = fl_model_new_from_file (path, &faults, error);
  if (model == NULL)
    {
      for (guint i = 0; faults != NULL && i < faults->len; i++)
        {
          FlModelFault *fault = g_ptr_array_index (faults, i);
          GtkWidget *row = _fl_preferences_add_row (self->faults_group, self->fault_rows, fault->message, fault->path);

          gtk_widget_add_css_class (row, "model-fault");
        }
      if (faults != NULL && faults->len > 0)
        gtk_widget_set_visible (GTK_WIDGET (self->faults_group), TRUE);
      return FALSE;
    }

  report = fl_rescore (store, model, NULL, TRUE, actor, error);
  if (report == NULL)
    return FALSE;

  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "“%s” version %d is valid. Re-scoring the %u lead "
                                              "of this event with it would change:",
                                              "“%s” version %d is valid. Re-scoring the %u leads "
                                              "of this event with it would change:",
                                              report->n_leads),
                                 fl_model_get_name (model), (int) fl_model_get_version (model), report->n_leads);
  adw_preferences_group_set_description (self->dry_run_group, description);
  for (FlStatus from = FL_STATUS_MQL; from <= FL_STATUS_DISQUALIFIED; from++)
    for (FlStatus to = FL_STATUS_MQL; to <= FL_STATUS_DISQUALIFIED; to++)
      {
        guint n = report->moves[from][to];
        g_autofree char *text = NULL;

        if (from == to || n == 0)
          continue;
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead %s → %s", "%u leads %s → %s", n), n,
                                fl_status_to_string (from), fl_status_to_string (to));
        _fl_preferences_add_row (self->dry_run_group, self->dry_run_rows, text, NULL);
        n_rows++;
      }
  if (n_rows == 0)
    _fl_preferences_add_row (self->dry_run_group, self->dry_run_rows, _("No lead changes status"),
             report->n_changed > 0 ? _("Some scores change; every status stays.") : NULL);
  if (report->n_overridden > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead keeps its manual status",
                                                            "%u leads keep their manual status",
                                                            report->n_overridden),
                                               report->n_overridden);
      _fl_preferences_add_row (self->dry_run_group, self->dry_run_rows, text, NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), TRUE);
  gtk_widget_set_sensitive (self->apply_button, !self->applying);
  self->candidate = g_steal_pointer (&model);
  return TRUE;
}

/**
 * fl_model_page_apply_async:
 *
 * Makes the loaded model the event's model and re-scores every lead with
 * it (manual statuses stay), each change audited, on a worker thread.
 */
void
fl_model_page_apply_async (FlModelPage *self, GAsyncReadyCallback callback,
                                         gpointer user_data)
{
  g_autoptr(GTask) task = NULL;
  Apply *apply;

  g_return_if_fail (FL_IS_MODEL_PAGE (self));
  g_return_if_fail (self->candidate != NULL && !self->applying);

  apply = g_new0 (Apply, 1);
  apply->path = g_strdup (fl_store_get_path (fl_settings_page_get_store (FL_SETTINGS_PAGE (self))));
  apply->model = g_object_ref (self->candidate);
  apply->actor = g_strdup (fl_settings_page_get_actor (FL_SETTINGS_PAGE (self)));
  set_applying (self, TRUE);
  task = g_task_new (self, self->cancellable, callback, user_data);
  g_task_set_source_tag (task, fl_model_page_apply_async);
  g_task_set_task_data (task, apply, (GDestroyNotify) apply_free);
  g_task_run_in_thread (task, apply_thread);
}

/**
 * fl_model_page_apply_finish:
 *
 * Returns: how many leads changed, or -1 with @error set
 */
gint64
fl_model_page_apply_finish (FlModelPage *self, GAsyncResult *result, GError **error)
{
  g_autoptr(FlRescoreReport) report = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), -1);

  report = g_task_propagate_pointer (G_TASK (result), error);
  /* Closed meanwhile: the run finished all the same; nothing to show. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return report != NULL ? report->n_changed : -1;
  if (report == NULL)
    {
      set_applying (self, FALSE);
      return -1;
    }
  g_clear_object (&self->candidate);
  set_applying (self, FALSE);
  _fl_preferences_clear_rows (self->dry_run_group, self->dry_run_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->dry_run_group), FALSE);
  load_current_model (self);
  return report->n_changed;
}

GtkWidget *
_fl_model_page_get_apply_button (FlModelPage *self)
{
  return self->apply_button;
}
