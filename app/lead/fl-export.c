/* fl-export.c: leads as CSV (RFC 4180) and JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-export"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-export.h"

/* Columns after the person fields; the person fields come from FlField. */
static const char *leading_columns[] = {
  "uuid", "event", "created_at", "updated_at", "captured_by", "source", "badge_id",
};
static const char *trailing_columns[] = {
  "notes", "score", "status", "status_override", "model", "answers", "raw_payload",
};

/**
 * fl_csv_append_cell:
 *
 * Appends one RFC 4180 cell. A cell a spreadsheet would run as a formula
 * (starting with =, +, -, @, tab or CR) gets a leading apostrophe.
 */
void
fl_csv_append_cell (GString *out, const char *value)
{
  gboolean quote;

  if (value == NULL || value[0] == '\0')
    return;

  quote = strpbrk (value, ",\"\r\n") != NULL;
  if (quote)
    g_string_append_c (out, '"');
  if (strchr ("=+-@\t\r", value[0]) != NULL)
    g_string_append_c (out, '\'');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  if (quote)
    g_string_append_c (out, '"');
}

void
fl_csv_append_row (GString *out, const char *const *cells, guint n_cells)
{
  for (guint i = 0; i < n_cells; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      fl_csv_append_cell (out, cells[i]);
    }
  g_string_append (out, "\r\n");
}

void
fl_export_csv_header (GString *out)
{
  const char *cells[G_N_ELEMENTS (leading_columns) + FL_N_FIELDS + G_N_ELEMENTS (trailing_columns)];
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (leading_columns); i++)
    cells[n++] = leading_columns[i];
  for (guint i = 0; i < FL_N_FIELDS; i++)
    cells[n++] = fl_field_to_string (i);
  for (guint i = 0; i < G_N_ELEMENTS (trailing_columns); i++)
    cells[n++] = trailing_columns[i];
  fl_csv_append_row (out, cells, n);
}

static char *
node_to_text (JsonNode *node)
{
  return node ? json_to_string (node, FALSE) : NULL;
}

void
fl_export_csv_lead (GString *out, FlLead *lead)
{
  const char *cells[G_N_ELEMENTS (leading_columns) + FL_N_FIELDS + G_N_ELEMENTS (trailing_columns)];
  g_autofree char *score = g_strdup_printf ("%d", fl_lead_get_score (lead));
  g_autofree char *model = NULL;
  g_autofree char *answers = node_to_text (fl_lead_get_answers (lead));
  JsonNode *model_node = fl_lead_get_model (lead);
  guint n = 0;

  if (model_node != NULL && JSON_NODE_HOLDS_OBJECT (model_node))
    {
      JsonObject *object = json_node_get_object (model_node);
      model = g_strdup_printf ("%s v%" G_GINT64_FORMAT,
                               json_object_get_string_member_with_default (object, "name", "?"),
                               json_object_get_int_member_with_default (object, "version", 0));
    }

  cells[n++] = fl_lead_get_uuid (lead);
  cells[n++] = fl_lead_get_event (lead);
  cells[n++] = fl_lead_get_created_at (lead);
  cells[n++] = fl_lead_get_updated_at (lead);
  cells[n++] = fl_lead_get_captured_by (lead);
  cells[n++] = fl_source_to_string (fl_lead_get_source (lead));
  cells[n++] = fl_lead_get_badge_id (lead);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    cells[n++] = fl_lead_get_field (lead, i);
  cells[n++] = fl_lead_get_notes (lead);
  cells[n++] = score;
  cells[n++] = fl_status_to_string (fl_lead_get_status (lead));
  cells[n++] = fl_lead_get_override_status (lead);
  cells[n++] = model;
  cells[n++] = answers;
  cells[n++] = fl_lead_get_raw_payload (lead);
  fl_csv_append_row (out, cells, n);
}

/**
 * fl_export_csv:
 * @leads: (element-type FlLead)
 *
 * Returns: UTF-8 CSV with a header row and CRLF line ends
 */
char *
fl_export_csv (GPtrArray *leads)
{
  GString *out = g_string_new (NULL);

  fl_export_csv_header (out);
  for (guint i = 0; i < leads->len; i++)
    fl_export_csv_lead (out, g_ptr_array_index (leads, i));
  return g_string_free (out, FALSE);
}

/**
 * fl_export_json:
 * @leads: (element-type FlLead)
 *
 * Returns: a pretty-printed JSON array of lead objects
 */
char *
fl_export_json (GPtrArray *leads)
{
  g_autoptr(JsonNode) root = fl_json_new_array ();
  JsonArray *array = json_node_get_array (root);
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  for (guint i = 0; i < leads->len; i++)
    json_array_add_element (array, fl_lead_to_json (g_ptr_array_index (leads, i)));
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  return json_generator_to_data (generator, NULL);
}

/**
 * fl_export_write_file:
 *
 * Writes an export atomically and readable by its owner only: it holds
 * personal data.
 */
gboolean
fl_export_write_file (const char *path, const char *contents, GError **error)
{
  return g_file_set_contents_full (path, contents, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}
