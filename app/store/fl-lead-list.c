/* fl-lead-list.c: the leads of a query as a GListModel, paged from SQLite
 *
 * A GtkColumnView over 100,000 leads asks only for the rows it shows;
 * this model counts once per query and loads the leads a page at a time,
 * keeping a few pages.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead-list"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-lead-list.h"
#include "fl-store-private.h"

#define PAGE_SIZE 100
#define MAX_PAGES 8

struct _FlLeadList
{
  GObject      parent_instance;

  FlStore     *store;
  FlLeadQuery  query;
  char        *strings[6];   /* owned copies of the query's strings */
  guint        n_items;
  GHashTable  *pages;        /* page number → GPtrArray of FlLead */
  GQueue       recent;       /* page numbers, most recent first */
  gint64       db_time;      /* µs spent in SQLite by the last refresh or page */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FlLeadList, fl_lead_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GPtrArray *
load_page (FlLeadList *self, guint page)
{
  g_autoptr(GError) error = NULL;
  FlLeadQuery query = self->query;
  GPtrArray *leads;
  gint64 start = g_get_monotonic_time ();

  query.limit = PAGE_SIZE;
  query.offset = page * PAGE_SIZE;
  leads = fl_store_list_leads (self->store, &query, &error);
  self->db_time = g_get_monotonic_time () - start;
  if (leads == NULL)
    {
      /* The view cannot show an error per row; it shows the rows as gone. */
      g_warning ("Cannot load leads: %s", error->message);
      return g_ptr_array_new_with_free_func (g_object_unref);
    }

  g_hash_table_insert (self->pages, GUINT_TO_POINTER (page), leads);
  g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
  while (g_queue_get_length (&self->recent) > MAX_PAGES)
    g_hash_table_remove (self->pages, g_queue_pop_tail (&self->recent));
  return leads;
}

static GType
fl_lead_list_get_item_type (GListModel *model)
{
  return FL_TYPE_LEAD;
}

static guint
fl_lead_list_get_n_items (GListModel *model)
{
  return FL_LEAD_LIST (model)->n_items;
}

static gpointer
fl_lead_list_get_item (GListModel *model, guint position)
{
  FlLeadList *self = FL_LEAD_LIST (model);
  guint page = position / PAGE_SIZE;
  GPtrArray *leads;

  if (position >= self->n_items)
    return NULL;
  leads = g_hash_table_lookup (self->pages, GUINT_TO_POINTER (page));
  if (leads == NULL)
    leads = load_page (self, page);
  else
    {
      g_queue_remove (&self->recent, GUINT_TO_POINTER (page));
      g_queue_push_head (&self->recent, GUINT_TO_POINTER (page));
    }
  if (position % PAGE_SIZE >= leads->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (leads, position % PAGE_SIZE));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = fl_lead_list_get_item_type;
  iface->get_n_items = fl_lead_list_get_n_items;
  iface->get_item = fl_lead_list_get_item;
}

static void
fl_lead_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlLeadList *self = FL_LEAD_LIST (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->n_items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_lead_list_finalize (GObject *object)
{
  FlLeadList *self = FL_LEAD_LIST (object);

  g_clear_object (&self->store);
  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_free (self->strings[i]);
  g_hash_table_unref (self->pages);
  g_queue_clear (&self->recent);

  G_OBJECT_CLASS (fl_lead_list_parent_class)->finalize (object);
}

static void
fl_lead_list_class_init (FlLeadListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_lead_list_finalize;
  object_class->get_property = fl_lead_list_get_property;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_lead_list_init (FlLeadList *self)
{
  self->pages = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  g_queue_init (&self->recent);
}

FlLeadList *
fl_lead_list_new (FlStore *store)
{
  FlLeadList *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_LEAD_LIST, NULL);
  self->store = g_object_ref (store);
  return self;
}

/**
 * fl_lead_list_set_query:
 *
 * Takes a copy of @query; call fl_lead_list_refresh() to apply it.
 */
void
fl_lead_list_set_query (FlLeadList *self, const FlLeadQuery *query)
{
  const char **fields[] = { &self->query.event, &self->query.status, &self->query.search,
                            &self->query.captured_by, &self->query.since, &self->query.until };

  g_return_if_fail (FL_IS_LEAD_LIST (self));
  g_return_if_fail (query != NULL);

  for (guint i = 0; i < G_N_ELEMENTS (self->strings); i++)
    g_clear_pointer (&self->strings[i], g_free);
  self->query = *query;
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    *fields[i] = self->strings[i] = g_strdup (*fields[i]);
  self->query.limit = 0;
  self->query.offset = 0;
}

/**
 * fl_lead_list_refresh:
 *
 * Counts the query's leads anew and drops the loaded pages, telling views
 * that every item changed.
 */
gboolean
fl_lead_list_refresh (FlLeadList *self, GError **error)
{
  guint old_n_items;
  gint64 count;
  gint64 start;

  g_return_val_if_fail (FL_IS_LEAD_LIST (self), FALSE);

  start = g_get_monotonic_time ();
  count = fl_store_count_leads (self->store, &self->query, error);
  self->db_time = g_get_monotonic_time () - start;
  if (count < 0)
    return FALSE;

  old_n_items = self->n_items;
  self->n_items = (guint) MIN (count, G_MAXUINT);
  g_hash_table_remove_all (self->pages);
  g_queue_clear (&self->recent);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n_items, self->n_items);
  if (old_n_items != self->n_items)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return TRUE;
}

/* Microseconds the last count or page load spent in SQLite. */
gint64
fl_lead_list_get_db_time (FlLeadList *self)
{
  g_return_val_if_fail (FL_IS_LEAD_LIST (self), 0);
  return self->db_time;
}

/* The leads page's filters and pills */

static GPtrArray *
list_strings (FlStore *store, const char *sql, const char *event, GError **error)
{
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  stmt = fl_store_prepare (store, sql, error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, event);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (sqlite3_column_text (stmt, 0) != NULL)
      g_ptr_array_add (strings, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fl_store_set_error (store, error);
      return NULL;
    }
  return g_steal_pointer (&strings);
}

/**
 * fl_store_list_lead_staff:
 * @event: (nullable): an event uuid; %NULL has no leads
 *
 * Returns: (transfer full) (element-type utf8): the staff members who
 *   captured leads of @event, A to Z, or %NULL on error
 */
GPtrArray *
fl_store_list_lead_staff (FlStore *store, const char *event, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  return list_strings (store,
                       "SELECT DISTINCT captured_by FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1")
                       " AND captured_by IS NOT NULL "
                       "ORDER BY captured_by COLLATE NOCASE", event, error);
}

/**
 * fl_store_list_lead_days:
 * @event: (nullable): an event uuid; %NULL has no leads
 *
 * Returns: (transfer full) (element-type utf8): the local days
 *   ("YYYY-MM-DD") on which leads of @event were captured, earliest
 *   first, or %NULL on error
 */
GPtrArray *
fl_store_list_lead_days (FlStore *store, const char *event, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  return list_strings (store,
                       "SELECT DISTINCT date (created_at, 'localtime') AS day FROM leads "
                       "WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " "
                       "ORDER BY day", event, error);
}

/**
 * fl_store_get_upload_state:
 * @state: (out): where the lead stands over all its connectors
 *
 * Returns: %FALSE with %FL_STORE_ERROR_NOT_FOUND when there is no such lead
 */
gboolean
fl_store_get_upload_state (FlStore *store, const char *uuid, FlUploadState *state, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  stmt = fl_store_prepare (store, "SELECT upload_state FROM leads WHERE uuid = ?", error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, uuid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *state = CLAMP (sqlite3_column_int (stmt, 0), FL_UPLOAD_NONE, FL_UPLOAD_DONE);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND, _("There is no lead “%s”"), uuid);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return fl_store_set_error (store, error);
  return TRUE;
}
