/* fl-leads-page.c: every lead of the event, searched, filtered and sorted
 *
 * The column view shows an FlLeadList, which pages the rows from SQLite:
 * searching, filtering and sorting are SQL queries, never a sort list
 * model over 100,000 leads. A click on a column header is turned into an
 * FL_LEAD_SORT_* by asking the view's sorter which column sorts first.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-leads-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-lead-detail.h"
#include "fl-leads-page.h"
#include "fl-ui-util.h"
#include "booth/fl-booth-kiosk.h"
#include "lead/fl-export.h"
#include "store/fl-privacy.h"
#include "store/fl-lead-list.h"

#define SEARCH_DELAY_MS 250

typedef enum
{
  COLUMN_TIME,
  COLUMN_NAME,
  COLUMN_COMPANY,
  COLUMN_SCORE,
  COLUMN_STATUS,
  COLUMN_STAFF,
  COLUMN_UPLOAD,
  N_COLUMNS
} Column;

struct _FlLeadsPage
{
  AdwBin              parent_instance;

  FlStore            *store;
  char               *actor;
  FlLeadList         *list;
  GtkMultiSelection  *selection;
  GCancellable       *cancellable;
  guint               search_id;
  gint64              count_time;      /* µs SQLite took to count the last query */
  int                 sorted_column;   /* the column a sorter compare saw first, -1 for none */
  gboolean            reloading;
  GHashTable         *device_names;    /* the booth's kiosks: device id → name */

  GtkSearchEntry     *search_entry;
  GtkDropDown        *status_filter;
  GtkDropDown        *staff_filter;
  GtkStringList      *staff_model;
  GtkDropDown        *upload_filter;
  GtkDropDown        *day_filter;
  GtkStringList      *day_model;
  GPtrArray          *days;            /* YYYY-MM-DD per day_model row after "All days" */
  GtkColumnView      *column_view;
  GtkColumnViewColumn *columns[N_COLUMNS];
  GtkStack           *list_stack;
  AdwStatusPage      *empty_page;
  GtkLabel           *count_label;
  GtkButton          *export_selected_button;
  FlLeadDetail       *detail;
  AdwToastOverlay    *toasts;
  AdwLeaflet         *leaflet;
  GtkWidget          *list_box;
  GtkWidget          *detail_box;
  GtkAdjustment      *hadjustment;
  guint               columns_id;
};

G_DEFINE_FINAL_TYPE (FlLeadsPage, fl_leads_page, ADW_TYPE_BIN)

static const FlLeadSort column_sorts[N_COLUMNS] = {
  [COLUMN_TIME] = FL_LEAD_SORT_CREATED,
  [COLUMN_NAME] = FL_LEAD_SORT_NAME,
  [COLUMN_COMPANY] = FL_LEAD_SORT_COMPANY,
  [COLUMN_SCORE] = FL_LEAD_SORT_SCORE,
  [COLUMN_STATUS] = FL_LEAD_SORT_STATUS,
  [COLUMN_STAFF] = FL_LEAD_SORT_STAFF,
  [COLUMN_UPLOAD] = FL_LEAD_SORT_UPLOAD,
};

/* The status filter rows, after "All statuses". */
static const char *status_values[] = { "MQL", "SAL", "DISQUALIFIED" };

/* The upload filter rows, after "Any upload state". */
static const FlUploadState upload_values[] = { FL_UPLOAD_WAITING, FL_UPLOAD_FAILED, FL_UPLOAD_DONE,
                                               FL_UPLOAD_NONE };

/* Local midnight of a YYYY-MM-DD day as the database writes times. */
static char *
day_start_utc (const char *day, int add_days)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) shifted = NULL;
  g_autoptr(GDateTime) utc = NULL;
  int y, m, d;

  if (sscanf (day, "%d-%d-%d", &y, &m, &d) != 3)
    return NULL;
  local = g_date_time_new_local (y, m, d, 0, 0, 0);
  if (local == NULL)
    return NULL;
  shifted = g_date_time_add_days (local, add_days);
  utc = g_date_time_to_utc (shifted);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
}

static FlUploadState
lead_upload_state (FlLeadsPage *self, FlLead *lead)
{
  FlUploadState state = FL_UPLOAD_NONE;

  if (!fl_store_get_upload_state (self->store, fl_lead_get_uuid (lead), &state, NULL))
    return FL_UPLOAD_NONE;
  return state;
}

static void
setup_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_label_new (NULL);

  /* A status or upload state is read whole ("Disqualifiziert"), never cut. */
  if (column != COLUMN_STATUS && column != COLUMN_UPLOAD)
    gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), column == COLUMN_SCORE ? 1.0 : 0.0);
  if (column == COLUMN_STATUS || column == COLUMN_UPLOAD)
    {
      gtk_widget_set_halign (label, GTK_ALIGN_START);
      gtk_widget_add_css_class (label, "pill-label");
    }
  if (column == COLUMN_SCORE || column == COLUMN_TIME)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory, GtkListItem *item, gpointer user_data)
{
  FlLeadsPage *self = g_object_get_data (G_OBJECT (factory), "page");
  Column column = GPOINTER_TO_INT (user_data);
  GtkWidget *label = gtk_list_item_get_child (item);
  FlLead *lead = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (lead == NULL)
    return;
  switch (column)
    {
    case COLUMN_TIME:
      text = fl_format_local_time (fl_lead_get_created_at (lead), "%a %H:%M");
      break;
    case COLUMN_NAME:
      {
        const char *name = fl_lead_get_display_name (lead);
        text = g_strdup (name && *name ? name : _("(no name)"));
      }
      break;
    case COLUMN_COMPANY:
      text = g_strdup (fl_lead_get_field (lead, FL_FIELD_COMPANY));
      break;
    case COLUMN_SCORE:
      text = g_strdup_printf ("%d", fl_lead_get_score (lead));
      break;
    case COLUMN_STATUS:
      text = g_strdup (fl_status_get_label (fl_lead_get_status (lead)));
      fl_widget_set_status_class (label, fl_lead_get_status (lead));
      break;
    case COLUMN_STAFF:
      {
        const char *staff = fl_lead_get_captured_by (lead);
        const char *kiosk = self->device_names != NULL && fl_lead_get_device (lead) != NULL
                              ? g_hash_table_lookup (self->device_names, fl_lead_get_device (lead))
                              : NULL;

        /* In a booth: who captured it, at which kiosk. */
        if (kiosk != NULL && staff != NULL && *staff != '\0')
          /* Translators: a lead's staff member and kiosk, “Tess · Hall-B” */
          text = g_strdup_printf (_("%s · %s"), staff, kiosk);
        else
          text = g_strdup (kiosk != NULL ? kiosk : staff);
      }
      break;
    case COLUMN_UPLOAD:
      {
        FlUploadState state = lead_upload_state (self, lead);

        text = g_strdup (fl_upload_state_get_label (state));
        fl_widget_set_upload_class (label, state);
      }
      break;
    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_label (GTK_LABEL (label), text ? text : "");
}

/* Never sorts anything: the first column the view's sorter asks tells
 * which column the person clicked, the sign of the answer the direction. */
static int
probe_sort_cb (gconstpointer a, gconstpointer b, gpointer user_data)
{
  GtkColumnViewColumn *column = user_data;
  FlLeadsPage *self = g_object_get_data (G_OBJECT (column), "page");

  if (self->sorted_column < 0)
    self->sorted_column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (column), "column"));
  return GTK_ORDERING_SMALLER;
}

static void
read_sort (FlLeadsPage *self, FlLeadQuery *query)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  g_autoptr(GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  self->sorted_column = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (self->sorted_column < 0)
    {
      query->sort = FL_LEAD_SORT_CREATED;
      query->ascending = FALSE;
      return;
    }
  /* The first click gives each column its natural order: newest, highest
   * score, A to Z. A second click reverses it. */
  query->sort = column_sorts[self->sorted_column];
  query->ascending = order == GTK_ORDERING_LARGER;
}

static void
update_count (FlLeadsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->list));
  g_autofree char *text = NULL;

  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u lead", "%u leads", n), n);
  gtk_label_set_label (self->count_label, text);
  fl_widget_update_tooltip (GTK_WIDGET (self->count_label), NULL);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static void selection_changed_cb (FlLeadsPage *self);

/* A new query is a new list. The view lets go of the list while it is
 * counted anew and gets a fresh selection model afterwards: on a
 * whole-list items-changed, GTK 4.8's list item manager and
 * GtkMultiSelection fetch every added item to keep their widgets and
 * selection, which for a list paged from SQLite means reading all
 * 100,000 leads. A detached view asks only for the rows it shows. */
static void
detach_selection (FlLeadsPage *self)
{
  gtk_column_view_set_model (self->column_view, NULL);
  if (self->selection != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->selection, self);
      g_clear_object (&self->selection);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_selected_button), FALSE);
}

static void
attach_selection (FlLeadsPage *self)
{
  self->selection = gtk_multi_selection_new (G_LIST_MODEL (g_object_ref (self->list)));
  g_signal_connect_swapped (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
}

static void
refresh (FlLeadsPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *search = NULL;
  FlLeadQuery query = { 0 };
  gboolean ok;
  guint pos;

  if (self->reloading)
    return;

  search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  query.search = *search ? search : NULL;

  pos = gtk_drop_down_get_selected (self->status_filter);
  if (pos >= 1 && pos <= G_N_ELEMENTS (status_values))
    query.status = status_values[pos - 1];

  pos = gtk_drop_down_get_selected (self->staff_filter);
  if (pos >= 1 && pos < g_list_model_get_n_items (G_LIST_MODEL (self->staff_model)))
    query.captured_by = gtk_string_list_get_string (self->staff_model, pos);

  pos = gtk_drop_down_get_selected (self->upload_filter);
  query.upload = pos >= 1 && pos <= G_N_ELEMENTS (upload_values) ? upload_values[pos - 1] : FL_UPLOAD_ANY;

  pos = gtk_drop_down_get_selected (self->day_filter);
  if (pos >= 1 && pos <= self->days->len)
    {
      since = day_start_utc (g_ptr_array_index (self->days, pos - 1), 0);
      until = day_start_utc (g_ptr_array_index (self->days, pos - 1), 1);
      query.since = since;
      query.until = until;
    }

  read_sort (self, &query);
  fl_lead_list_set_query (self->list, &query);
  detach_selection (self);
  ok = fl_lead_list_refresh (self->list, &error);
  self->count_time = fl_lead_list_get_db_time (self->list);
  attach_selection (self);
  if (!ok)
    {
      fl_toast_show_printf (self->toasts, _("Cannot read the leads: %s"), error->message);
      return;
    }
  update_count (self);
  g_debug ("Query took %.1f ms in SQLite", fl_lead_list_get_db_time (self->list) / 1000.0);
}

static gboolean
search_timeout_cb (gpointer user_data)
{
  FlLeadsPage *self = user_data;

  self->search_id = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Typing waits for a pause, so each key press does not query 100,000 rows. */
static void
search_changed_cb (FlLeadsPage *self)
{
  g_clear_handle_id (&self->search_id, g_source_remove);
  self->search_id = g_timeout_add (SEARCH_DELAY_MS, search_timeout_cb, self);
}

static void
filter_changed_cb (FlLeadsPage *self)
{
  refresh (self);
}

static void
selection_changed_cb (FlLeadsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  guint n = (guint) gtk_bitset_get_size (selected);
  g_autoptr(FlLead) lead = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->export_selected_button), n > 0);
  if (n != 1)
    return;
  lead = g_list_model_get_item (G_LIST_MODEL (self->list), gtk_bitset_get_nth (selected, 0));
  if (lead != NULL)
    {
      fl_lead_detail_set_lead (self->detail, fl_lead_get_uuid (lead));
      /* On a narrow screen the detail is a page of its own. */
      adw_leaflet_set_visible_child (self->leaflet, self->detail_box);
    }
}

static void
back_to_list_cb (FlLeadsPage *self)
{
  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
}

/* The columns a narrow list drops first, last one first. */
static const Column column_priority[] = { COLUMN_NAME, COLUMN_STATUS, COLUMN_COMPANY, COLUMN_SCORE,
                                          COLUMN_TIME, COLUMN_STAFF, COLUMN_UPLOAD };

static int
column_width (FlLeadsPage *self, Column column)
{
  GtkColumnViewColumn *view_column = self->columns[column];
  int width = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (view_column), "width"));

  /* The expanding columns: room for a name, a company. */
  return width > 0 ? width : 150;
}

static gboolean
fit_columns_cb (gpointer user_data)
{
  FlLeadsPage *self = user_data;
  double available = gtk_adjustment_get_page_size (self->hadjustment);
  int used = 40;

  self->columns_id = 0;
  if (available <= 0)
    return G_SOURCE_REMOVE;
  for (guint i = 0; i < G_N_ELEMENTS (column_priority); i++)
    {
      Column column = column_priority[i];
      int width = column_width (self, column);
      gboolean show = i < 2 || used + width <= available;

      if (show)
        used += width;
      if (gtk_column_view_column_get_visible (self->columns[column]) != show)
        {
          /* GTK 4.8 keeps the room of a hidden column with a fixed width. */
          if (g_object_get_data (G_OBJECT (self->columns[column]), "width") != NULL)
            gtk_column_view_column_set_fixed_width (self->columns[column], show ? width : -1);
          gtk_column_view_column_set_visible (self->columns[column], show);
        }
    }
  g_debug ("%.0f px for the list: %d px of columns shown", available, used);
  return G_SOURCE_REMOVE;
}

/* The list as wide as the screen lets it be: columns hide by priority
 * instead of scrolling out of sight. Not while the view is allocated. */
static void
list_width_changed_cb (FlLeadsPage *self)
{
  if (self->columns_id == 0)
    self->columns_id = g_idle_add (fit_columns_cb, self);
}

static void
lead_changed_cb (FlLeadsPage *self)
{
  refresh (self);
}

typedef struct
{
  char        *db_path;
  FlLeadQuery  query;
  char        *strings[4];
  GPtrArray   *leads;    /* for a selection: the leads, loaded already */
  char        *path;
  char        *actor;
  guint        n_leads;
} ExportJob;

static void
export_job_free (ExportJob *job)
{
  g_free (job->db_path);
  for (guint i = 0; i < G_N_ELEMENTS (job->strings); i++)
    g_free (job->strings[i]);
  g_clear_pointer (&job->leads, g_ptr_array_unref);
  g_free (job->path);
  g_free (job->actor);
  g_free (job);
}

/* Off the main thread, on a connection of its own: "everything" can be
 * 100,000 leads. */
static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportJob *job = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) leads = NULL;
  g_autoptr(FlStore) store = fl_store_open (job->db_path, &error);
  g_autofree char *csv = NULL;

  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->leads != NULL)
    leads = g_ptr_array_ref (job->leads);
  else if ((leads = fl_store_list_leads (store, &job->query, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  csv = fl_export_csv (leads);
  job->n_leads = leads->len;
  if (!fl_export_write_file (job->path, csv, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The file is written: the export hands the leads over, so their
   * retention period may start. Not recorded, they are only kept longer. */
  if (!fl_privacy_record_export (store, leads, job->actor, &error))
    g_message ("Cannot record the export in the audit: %s", error->message);
  g_task_return_boolean (task, TRUE);
}

static void
export_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  FlLeadsPage *self = FL_LEADS_PAGE (source);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      fl_toast_show_printf (self->toasts, _("Export failed: %s"), error->message);
      return;
    }
  detail = g_strdup_printf ("%u leads to %s", job->n_leads, job->path);
  fl_store_add_audit (self->store, NULL, self->actor, "export", detail, NULL);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %u lead", "Exported %u leads", job->n_leads),
                          job->n_leads);
  fl_toast_show (self->toasts, text);
}

static void
start_export (FlLeadsPage *self, ExportJob *job)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, export_done_cb, NULL);

  g_task_set_source_tag (task, start_export);
  if (job->db_path == NULL)
    job->db_path = g_strdup (fl_store_get_path (self->store));
  job->actor = g_strdup (self->actor);
  g_task_set_task_data (task, job, (GDestroyNotify) export_job_free);
  g_task_run_in_thread (task, export_thread);
}

static void
export_response_cb (GtkNativeDialog *dialog, int response, FlLeadsPage *self)
{
  ExportJob *job = g_object_steal_data (G_OBJECT (dialog), "job");
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT &&
      (file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog))) != NULL &&
      (job->path = g_file_get_path (file)) != NULL)
    start_export (self, job);
  else
    {
      if (response == GTK_RESPONSE_ACCEPT)
        fl_toast_show (self->toasts, _("Choose a local folder to export to"));
      export_job_free (job);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

static void
ask_export_path (FlLeadsPage *self, ExportJob *job, const char *title)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *name = g_date_time_format (now, "leads-%Y-%m-%d.csv");

  dialog = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  gtk_file_filter_set_name (filter, _("CSV files"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  g_object_set_data (G_OBJECT (dialog), "job", job);
  g_signal_connect (dialog, "response", G_CALLBACK (export_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static ExportJob *
export_job_for_all (FlLeadsPage *self)
{
  ExportJob *job = g_new0 (ExportJob, 1);
  FlLeadQuery query = { 0 };

  /* Everything the filters show, in the order shown. */
  job->db_path = g_strdup (fl_store_get_path (self->store));
  {
    g_autofree char *search = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
    guint pos;

    job->strings[0] = *search ? g_strdup (search) : NULL;
    query.search = job->strings[0];
    pos = gtk_drop_down_get_selected (self->status_filter);
    query.status = pos >= 1 && pos <= G_N_ELEMENTS (status_values) ? status_values[pos - 1] : NULL;
    pos = gtk_drop_down_get_selected (self->staff_filter);
    if (pos >= 1 && pos < g_list_model_get_n_items (G_LIST_MODEL (self->staff_model)))
      query.captured_by = job->strings[1] = g_strdup (gtk_string_list_get_string (self->staff_model, pos));
    pos = gtk_drop_down_get_selected (self->upload_filter);
    query.upload = pos >= 1 && pos <= G_N_ELEMENTS (upload_values) ? upload_values[pos - 1] : FL_UPLOAD_ANY;
    pos = gtk_drop_down_get_selected (self->day_filter);
    if (pos >= 1 && pos <= self->days->len)
      {
        query.since = job->strings[2] = day_start_utc (g_ptr_array_index (self->days, pos - 1), 0);
        query.until = job->strings[3] = day_start_utc (g_ptr_array_index (self->days, pos - 1), 1);
      }
    read_sort (self, &query);
  }
  job->query = query;
  return job;
}

static void
export_all_cb (FlLeadsPage *self)
{
  ask_export_path (self, export_job_for_all (self), _("Export Leads"));
}

static void
export_selected_cb (FlLeadsPage *self)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  ExportJob *job = g_new0 (ExportJob, 1);
  GtkBitsetIter iter;
  guint position;

  job->leads = g_ptr_array_new_with_free_func (g_object_unref);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      FlLead *lead = g_list_model_get_item (G_LIST_MODEL (self->list), position);

      if (lead != NULL)
        g_ptr_array_add (job->leads, lead);
    }
  if (job->leads->len == 0)
    {
      export_job_free (job);
      return;
    }
  ask_export_path (self, job, _("Export Selected Leads"));
}

static GtkDropDown *
new_filter (GtkStringList *model, const char *tooltip)
{
  GtkDropDown *drop_down = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (model), NULL));

  gtk_widget_set_tooltip_text (GTK_WIDGET (drop_down), tooltip);
  return drop_down;
}

/* A filter in the flow box: a tab stop of its own, not inside a child
 * that takes the focus too. */
static void
add_filter (GtkWidget *filters, GtkWidget *widget)
{
  gtk_flow_box_append (GTK_FLOW_BOX (filters), widget);
  gtk_widget_set_focusable (gtk_widget_get_parent (widget), FALSE);
}

static void
add_column (FlLeadsPage *self, Column column, const char *title, gboolean expand, int width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkSorter *sorter;

  g_object_set_data (G_OBJECT (factory), "page", self);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  g_object_set_data (G_OBJECT (view_column), "page", self);
  g_object_set_data (G_OBJECT (view_column), "column", GINT_TO_POINTER (column));
  sorter = GTK_SORTER (gtk_custom_sorter_new (probe_sort_cb, view_column, NULL));
  gtk_column_view_column_set_sorter (view_column, sorter);
  g_object_unref (sorter);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    {
      gtk_column_view_column_set_fixed_width (view_column, width);
      g_object_set_data (G_OBJECT (view_column), "width", GINT_TO_POINTER (width));
    }
  gtk_column_view_append_column (self->column_view, view_column);
  self->columns[column] = view_column;
  g_object_unref (view_column);
}

static void
fl_leads_page_dispose (GObject *object)
{
  FlLeadsPage *self = FL_LEADS_PAGE (object);

  g_clear_handle_id (&self->search_id, g_source_remove);
  g_clear_handle_id (&self->columns_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  /* Removing the columns changes the sorter; nothing should query then. */
  if (self->column_view != NULL)
    g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
  self->reloading = TRUE;
  G_OBJECT_CLASS (fl_leads_page_parent_class)->dispose (object);
}

static void
fl_leads_page_finalize (GObject *object)
{
  FlLeadsPage *self = FL_LEADS_PAGE (object);

  g_clear_object (&self->store);
  g_clear_object (&self->list);
  g_clear_object (&self->selection);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->days, g_ptr_array_unref);
  g_clear_pointer (&self->device_names, g_hash_table_unref);
  g_clear_pointer (&self->actor, g_free);
  G_OBJECT_CLASS (fl_leads_page_parent_class)->finalize (object);
}

static void
fl_leads_page_class_init (FlLeadsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_leads_page_dispose;
  object_class->finalize = fl_leads_page_finalize;
}

static void
fl_leads_page_init (FlLeadsPage *self)
{
  self->cancellable = g_cancellable_new ();
  self->days = g_ptr_array_new_with_free_func (g_free);
  self->sorted_column = -1;
}

static void
build (FlLeadsPage *self)
{
  const char *status_names[] = { _("All statuses"), fl_status_get_label (FL_STATUS_MQL),
                                 fl_status_get_label (FL_STATUS_SAL),
                                 fl_status_get_label (FL_STATUS_DISQUALIFIED), NULL };
  const char *upload_names[] = { _("Any upload state"), fl_upload_state_get_label (upload_values[0]),
                                 fl_upload_state_get_label (upload_values[1]),
                                 fl_upload_state_get_label (upload_values[2]),
                                 fl_upload_state_get_label (upload_values[3]), NULL };
  const char *staff_names[] = { _("All staff"), NULL };
  const char *day_names[] = { _("All days"), NULL };
  GtkWidget *box, *filters, *scrolled, *action_bar, *button, *back;
  GtkStringList *model;

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->toasts));

  /* The list beside the detail on a wide screen; on a narrow one the
   * detail is a page of its own, with a way back. */
  self->leaflet = ADW_LEAFLET (adw_leaflet_new ());
  adw_leaflet_set_can_navigate_back (self->leaflet, TRUE);
  adw_leaflet_set_transition_type (self->leaflet, ADW_LEAFLET_TRANSITION_TYPE_SLIDE);
  /* Side by side from about 1100 px: the list then still shows five
   * columns beside the detail. */
  adw_leaflet_set_fold_threshold_policy (self->leaflet, ADW_FOLD_THRESHOLD_POLICY_MINIMUM);
  adw_toast_overlay_set_child (self->toasts, GTK_WIDGET (self->leaflet));

  box = self->list_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_hexpand (box, TRUE);
  gtk_widget_set_size_request (box, 480, -1);
  adw_leaflet_append (self->leaflet, box);

  /* Search and filters: one line when there is room, wrapped otherwise. */
  filters = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (filters), GTK_SELECTION_NONE);
  gtk_flow_box_set_min_children_per_line (GTK_FLOW_BOX (filters), 2);
  gtk_flow_box_set_max_children_per_line (GTK_FLOW_BOX (filters), 5);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (filters), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (filters), 6);
  gtk_widget_add_css_class (filters, "toolbar");
  gtk_widget_add_css_class (filters, "leads-filters");
  gtk_box_append (GTK_BOX (box), filters);

  self->search_entry = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  g_object_set (self->search_entry, "placeholder-text", _("Search names, companies, email, notes"), NULL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->search_entry), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->search_entry), 220, -1);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self);
  add_filter (filters, GTK_WIDGET (self->search_entry));

  model = gtk_string_list_new (status_names);
  self->status_filter = new_filter (model, _("Status"));
  add_filter (filters, GTK_WIDGET (self->status_filter));

  self->staff_model = gtk_string_list_new (staff_names);
  self->staff_filter = new_filter (self->staff_model, _("Captured by"));
  add_filter (filters, GTK_WIDGET (self->staff_filter));

  model = gtk_string_list_new (upload_names);
  self->upload_filter = new_filter (model, _("Upload state"));
  add_filter (filters, GTK_WIDGET (self->upload_filter));

  self->day_model = gtk_string_list_new (day_names);
  self->day_filter = new_filter (self->day_model, _("Day"));
  add_filter (filters, GTK_WIDGET (self->day_filter));

  /* The list */
  self->list = fl_lead_list_new (self->store);
  self->column_view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_column_view_set_show_column_separators (self->column_view, FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->column_view), "leads-view");
  add_column (self, COLUMN_TIME, _("Time"), FALSE, 90);
  add_column (self, COLUMN_NAME, _("Name"), TRUE, -1);
  add_column (self, COLUMN_COMPANY, _("Company"), TRUE, -1);
  add_column (self, COLUMN_SCORE, _("Score"), FALSE, 70);
  add_column (self, COLUMN_STATUS, _("Status"), FALSE, 150);
  add_column (self, COLUMN_STAFF, _("Staff"), FALSE, 110);
  add_column (self, COLUMN_UPLOAD, _("Upload"), FALSE, 150);
  g_signal_connect_swapped (gtk_column_view_get_sorter (self->column_view), "changed",
                            G_CALLBACK (filter_changed_cb), self);

  self->list_stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->list_stack), TRUE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->column_view));
  self->hadjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  g_signal_connect_swapped (self->hadjustment, "notify::page-size", G_CALLBACK (list_width_changed_cb), self);
  gtk_stack_add_named (self->list_stack, scrolled, "list");
  self->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty_page, "edit-find-symbolic");
  adw_status_page_set_title (self->empty_page, _("No Leads Found"));
  adw_status_page_set_description (self->empty_page,
                                   _("No lead matches the search and the filters. Clear them to see every lead."));
  gtk_stack_add_named (self->list_stack, GTK_WIDGET (self->empty_page), "empty");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->list_stack));

  /* Count and export */
  action_bar = gtk_action_bar_new ();
  self->count_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_add_css_class (GTK_WIDGET (self->count_label), "dim-label");
  gtk_action_bar_pack_start (GTK_ACTION_BAR (action_bar), GTK_WIDGET (self->count_label));
  button = gtk_button_new_with_mnemonic (_("Export _All…"));
  gtk_widget_set_tooltip_text (button, _("Export every lead the search and filters show as CSV"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (export_all_cb), self);
  gtk_action_bar_pack_end (GTK_ACTION_BAR (action_bar), button);
  self->export_selected_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("Export _Selected…")));
  gtk_widget_set_sensitive (GTK_WIDGET (self->export_selected_button), FALSE);
  g_signal_connect_swapped (self->export_selected_button, "clicked", G_CALLBACK (export_selected_cb), self);
  gtk_action_bar_pack_end (GTK_ACTION_BAR (action_bar), GTK_WIDGET (self->export_selected_button));
  gtk_box_append (GTK_BOX (box), action_bar);
  attach_selection (self);

  /* The detail pane */
  {
    GtkWidget *separator = gtk_separator_new (GTK_ORIENTATION_VERTICAL);

    adw_leaflet_page_set_navigatable (adw_leaflet_append (self->leaflet, separator), FALSE);
  }
  self->detail_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_set_size_request (self->detail_box, 440, -1);
  back = gtk_button_new_with_mnemonic (_("_All Leads"));
  {
    GtkWidget *content = adw_button_content_new ();

    adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), "go-previous-symbolic");
    adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _("_All Leads"));
    adw_button_content_set_use_underline (ADW_BUTTON_CONTENT (content), TRUE);
    gtk_button_set_child (GTK_BUTTON (back), content);
  }
  gtk_widget_set_tooltip_text (back, _("Back to the list of leads"));
  gtk_widget_set_halign (back, GTK_ALIGN_START);
  gtk_widget_set_margin_start (back, 6);
  gtk_widget_set_margin_top (back, 6);
  gtk_widget_add_css_class (back, "flat");
  g_signal_connect_swapped (back, "clicked", G_CALLBACK (back_to_list_cb), self);
  g_object_bind_property (self->leaflet, "folded", back, "visible", G_BINDING_SYNC_CREATE);
  gtk_box_append (GTK_BOX (self->detail_box), back);
  self->detail = FL_LEAD_DETAIL (fl_lead_detail_new (self->store));
  gtk_widget_set_vexpand (GTK_WIDGET (self->detail), TRUE);
  g_signal_connect_swapped (self->detail, "changed", G_CALLBACK (lead_changed_cb), self);
  gtk_box_append (GTK_BOX (self->detail_box), GTK_WIDGET (self->detail));
  adw_leaflet_append (self->leaflet, self->detail_box);

  g_signal_connect_swapped (self->status_filter, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->staff_filter, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->upload_filter, "notify::selected", G_CALLBACK (filter_changed_cb), self);
  g_signal_connect_swapped (self->day_filter, "notify::selected", G_CALLBACK (filter_changed_cb), self);
}

GtkWidget *
fl_leads_page_new (FlStore *store)
{
  FlLeadsPage *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_LEADS_PAGE, NULL);
  self->store = g_object_ref (store);
  build (self);
  return GTK_WIDGET (self);
}

void
fl_leads_page_set_actor (FlLeadsPage *self, const char *actor)
{
  g_return_if_fail (FL_IS_LEADS_PAGE (self));

  g_free (self->actor);
  self->actor = g_strdup (actor);
  fl_lead_detail_set_actor (self->detail, actor);
}

/* Keeps the choice of a filter whose rows are read again, if it is still there. */
static void
reload_choices (GtkDropDown *drop_down, GtkStringList *model, GPtrArray *labels)
{
  guint selected = gtk_drop_down_get_selected (drop_down);
  g_autofree char *previous = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (model));

  if (selected >= 1 && selected < n)
    previous = g_strdup (gtk_string_list_get_string (model, selected));
  g_ptr_array_add (labels, NULL);
  gtk_string_list_splice (model, 1, n - 1, (const char * const *) labels->pdata);
  g_ptr_array_remove_index (labels, labels->len - 1);
  selected = 0;
  for (guint i = 0; previous != NULL && i < labels->len; i++)
    if (g_strcmp0 (labels->pdata[i], previous) == 0)
      selected = i + 1;
  gtk_drop_down_set_selected (drop_down, selected);
}

/**
 * fl_leads_page_reload:
 *
 * Reads the staff and days of the active event for the filters, then the
 * leads.
 */
void
fl_leads_page_reload (FlLeadsPage *self)
{
  g_autoptr(GPtrArray) staff = NULL;
  g_autoptr(GPtrArray) days = NULL;
  g_autoptr(GPtrArray) day_labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *event = NULL;

  g_return_if_fail (FL_IS_LEADS_PAGE (self));

  event = fl_store_get_meta (self->store, "active_event");
  g_clear_pointer (&self->device_names, g_hash_table_unref);
  self->device_names = fl_booth_device_names (self->store);
  g_ptr_array_set_size (self->days, 0);
  staff = fl_store_list_lead_staff (self->store, event, NULL);
  if (staff == NULL)
    staff = g_ptr_array_new_with_free_func (g_free);
  days = fl_store_list_lead_days (self->store, event, NULL);
  for (guint i = 0; days != NULL && i < days->len; i++)
    {
      const char *day = g_ptr_array_index (days, i);
      g_autofree char *start = day_start_utc (day, 0);

      if (start == NULL)
        continue;
      g_ptr_array_add (self->days, g_strdup (day));
      g_ptr_array_add (day_labels, fl_format_local_time (start, "%a %e %b"));
    }

  self->reloading = TRUE;
  reload_choices (self->staff_filter, self->staff_model, staff);
  reload_choices (self->day_filter, self->day_model, day_labels);
  self->reloading = FALSE;
  refresh (self);
  fl_lead_detail_reload (self->detail);
}

/**
 * fl_leads_page_clear:
 *
 * Forgets the search, the filters and the lead shown, as when the back
 * office locks.
 */
void
fl_leads_page_clear (FlLeadsPage *self)
{
  g_return_if_fail (FL_IS_LEADS_PAGE (self));

  self->reloading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_clear_handle_id (&self->search_id, g_source_remove);
  gtk_drop_down_set_selected (self->status_filter, 0);
  gtk_drop_down_set_selected (self->staff_filter, 0);
  gtk_drop_down_set_selected (self->upload_filter, 0);
  gtk_drop_down_set_selected (self->day_filter, 0);
  self->reloading = FALSE;
  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  fl_lead_detail_set_lead (self->detail, NULL);
  adw_leaflet_set_visible_child (self->leaflet, self->list_box);
}

GtkEditable *
_fl_leads_page_get_search_entry (FlLeadsPage *self)
{
  return GTK_EDITABLE (self->search_entry);
}

GtkDropDown *
_fl_leads_page_get_filter (FlLeadsPage *self, const char *name)
{
  if (g_str_equal (name, "status"))
    return self->status_filter;
  if (g_str_equal (name, "staff"))
    return self->staff_filter;
  if (g_str_equal (name, "upload"))
    return self->upload_filter;
  if (g_str_equal (name, "day"))
    return self->day_filter;
  g_return_val_if_reached (NULL);
}

GtkColumnView *
_fl_leads_page_get_column_view (FlLeadsPage *self)
{
  return self->column_view;
}

FlLeadList *
_fl_leads_page_get_list (FlLeadsPage *self)
{
  return self->list;
}

FlLeadDetail *
_fl_leads_page_get_detail (FlLeadsPage *self)
{
  return self->detail;
}

gint64
_fl_leads_page_get_count_time (FlLeadsPage *self)
{
  return self->count_time;
}

/* Exports as the file chooser's answer would; for the tests. */
void
_fl_leads_page_export (FlLeadsPage *self, const char *path, gboolean selected_only)
{
  ExportJob *job;

  if (selected_only)
    {
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
      GtkBitsetIter iter;
      guint position;

      job = g_new0 (ExportJob, 1);
      job->leads = g_ptr_array_new_with_free_func (g_object_unref);
      for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position); ok;
           ok = gtk_bitset_iter_next (&iter, &position))
        g_ptr_array_add (job->leads, g_list_model_get_item (G_LIST_MODEL (self->list), position));
    }
  else
    job = export_job_for_all (self);
  job->path = g_strdup (path);
  start_export (self, job);
}

/* Runs a pending search at once instead of after the typing pause. */
void
_fl_leads_page_flush_search (FlLeadsPage *self)
{
  if (self->search_id != 0)
    {
      g_clear_handle_id (&self->search_id, g_source_remove);
      refresh (self);
    }
}

/* Sorts as a click on a column header would; for the tests. */
void
_fl_leads_page_sort_by (FlLeadsPage *self, guint column, GtkSortType direction)
{
  g_return_if_fail (column < N_COLUMNS);
  gtk_column_view_sort_by_column (self->column_view, self->columns[column], direction);
}
