/* fl-csv-connector.c: leads as CSV files in a folder, one file a run
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-csv-connector"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fl-connector-private.h"
#include "fl-connectors.h"
#include "fl-sync.h"
#include "lead/fl-export.h"

#define MAX_ROWS 10000

struct _FlCsvConnector
{
  FlConnector parent_instance;
};

G_DEFINE_FINAL_TYPE (FlCsvConnector, fl_csv_connector, FL_TYPE_CONNECTOR)

static char *
folder (FlConnector *self)
{
  const char *url = fl_connector_get_url (self);

  if (url == NULL)
    return NULL;
  if (g_str_has_prefix (url, "file://"))
    return g_filename_from_uri (url, NULL, NULL);
  return g_strdup (url);
}

/* The file of a batch keeps its name across retries, so a retry replaces
 * what an interrupted run wrote instead of adding a second copy. */
static char *
file_for_batch (const char *dir, const char *key)
{
  g_autofree char *suffix = g_strdup_printf ("-%.8s.csv", key);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  const char *entry;

  while (listing != NULL && (entry = g_dir_read_name (listing)) != NULL)
    if (g_str_has_prefix (entry, "fairlead-") && g_str_has_suffix (entry, suffix))
      return g_build_filename (dir, entry, NULL);
  name = g_strdup_printf ("fairlead-%s%s", stamp, suffix);
  return g_build_filename (dir, name, NULL);
}

static gboolean
ensure_folder (FlConnector *self, char **out, GError **error)
{
  g_autofree char *dir = folder (self);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_IO,
                   _("Cannot create the folder “%s” of connector “%s”: %s"), dir,
                   fl_connector_get_name (self), g_strerror (saved_errno));
      return FALSE;
    }
  *out = g_steal_pointer (&dir);
  return TRUE;
}

static void
fl_csv_connector_send (FlConnector *self, FlSyncBatch *batch, GCancellable *cancellable)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *base = NULL;

  if (!ensure_folder (self, &dir, &error))
    {
      fl_sync_batch_set (batch, FL_SEND_STOP, error->message);
      return;
    }
  fl_export_csv_header (csv);
  for (guint i = 0; i < batch->items->len; i++)
    fl_export_csv_lead (csv, ((FlSyncItem *) g_ptr_array_index (batch->items, i))->lead);

  path = file_for_batch (dir, batch->key);
  if (!g_file_set_contents_full (path, csv->str, csv->len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot write “%s”: %s"), path, error->message);
      fl_sync_batch_set (batch, FL_SEND_STOP, message);
      return;
    }
  base = g_path_get_basename (path);
  for (guint i = 0; i < batch->items->len; i++)
    fl_sync_item_set (g_ptr_array_index (batch->items, i), FL_ITEM_DONE, base, NULL);
}

static gboolean
fl_csv_connector_validate (FlConnector *self, GError **error)
{
  g_autofree char *dir = folder (self);

  if (dir == NULL || dir[0] == '\0')
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("Connector “%s” needs the folder to write to (--url FOLDER)"),
                   fl_connector_get_name (self));
      return FALSE;
    }
  if (!g_path_is_absolute (dir))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONFIG,
                   _("The folder of connector “%s” must be an absolute path, not “%s”"),
                   fl_connector_get_name (self), dir);
      return FALSE;
    }
  return TRUE;
}

static guint
fl_csv_connector_get_max_batch (FlConnector *self)
{
  return MAX_ROWS;
}

static gboolean
fl_csv_connector_test (FlConnector *self, GString *report, GCancellable *cancellable,
                       GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *probe = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!ensure_folder (self, &dir, error))
    return FALSE;
  probe = g_build_filename (dir, ".fairlead-write-test", NULL);
  if (!g_file_set_contents (probe, "", 0, &local_error))
    {
      g_set_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_IO, _("Cannot write in “%s”: %s"), dir,
                   local_error->message);
      return FALSE;
    }
  g_unlink (probe);
  g_string_append_printf (report, _("The folder “%s” is writable\n"), dir);
  return TRUE;
}

static void
fl_csv_connector_class_init (FlCsvConnectorClass *klass)
{
  FlConnectorClass *connector_class = FL_CONNECTOR_CLASS (klass);

  connector_class->validate = fl_csv_connector_validate;
  connector_class->get_max_batch = fl_csv_connector_get_max_batch;
  connector_class->send = fl_csv_connector_send;
  connector_class->test = fl_csv_connector_test;
}

static void
fl_csv_connector_init (FlCsvConnector *self)
{
}
