/* fl-roster-store.c: the organiser's attendee list in the database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-roster-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-roster-store.h"
#include "lead/fl-csv.h"
#include "lead/fl-roster.h"
#include "fl-store-private.h"

#define ATTENDEE_FIELDS                                                                            \
  "first_name, last_name, full_name, email, phone, mobile, company, title, department, "         \
  "street, city, postal_code, region, country, website"

G_STATIC_ASSERT (FL_N_FIELDS == 15);

static void
skip_clear (gpointer data)
{
  FlRosterSkip *skip = data;
  g_free (skip->reason);
}

static void
add_skip (FlRosterReport *report, guint line, char *reason)
{
  FlRosterSkip skip = { line, reason };
  g_array_append_val (report->skipped, skip);
}

void
fl_roster_report_free (FlRosterReport *report)
{
  if (report == NULL)
    return;
  g_clear_pointer (&report->skipped, g_array_unref);
  g_clear_pointer (&report->headers, g_ptr_array_unref);
  g_clear_pointer (&report->targets, g_ptr_array_unref);
  g_free (report);
}

/* The event to work on: the given one, else the active one. */
static char *
resolve_event (FlStore *self, const char *event, GError **error)
{
  g_autoptr(FlEvent) found = event ? fl_store_get_event (self, event, error)
                                   : fl_store_get_active_event (self, error);

  return found ? g_strdup (found->uuid) : NULL;
}

static gboolean
upsert (FlStore *self, const char *event, FlLead *attendee, JsonObject *extra, const char *now,
        gboolean *existed, GError **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *extra_text = NULL;
  int rc;

  stmt = fl_store_prepare (self, "SELECT 1 FROM attendees WHERE event = ? AND badge_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, event);
  fl_store_bind_text (stmt, 2, fl_lead_get_badge_id (attendee));
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fl_store_set_error (self, error);
  *existed = rc == SQLITE_ROW;

  if (extra != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), extra);
      extra_text = json_to_string (node, FALSE);
    }

  /* A re-import replaces the row: the organiser's list is the truth. */
  stmt = fl_store_prepare (self,
                           "INSERT INTO attendees (event, badge_id, " ATTENDEE_FIELDS ", extra, "
                           "imported_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                           "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) "
                           "ON CONFLICT (event, badge_id) DO UPDATE SET first_name = ?3, "
                           "last_name = ?4, full_name = ?5, email = ?6, phone = ?7, mobile = ?8, "
                           "company = ?9, title = ?10, department = ?11, street = ?12, city = ?13, "
                           "postal_code = ?14, region = ?15, country = ?16, website = ?17, "
                           "extra = ?18, imported_at = ?19",
                           error);
  if (stmt == NULL)
    return FALSE;
  fl_store_bind_text (stmt, 1, event);
  fl_store_bind_text (stmt, 2, fl_lead_get_badge_id (attendee));
  for (guint i = 0; i < FL_N_FIELDS; i++)
    fl_store_bind_text (stmt, 3 + i, fl_lead_get_field (attendee, i));
  fl_store_bind_text (stmt, 18, extra_text);
  fl_store_bind_text (stmt, 19, now);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (self, error);
  return TRUE;
}

/**
 * fl_store_import_roster:
 * @event: (nullable): the event uuid, %NULL for the active event
 * @data: the CSV file's bytes
 * @length: their length, or -1 when NUL-terminated
 * @overrides: (nullable) (array zero-terminated=1): "COLUMN=FIELD" pairs,
 *   see fl_roster_mapping_new()
 *
 * Imports an attendee list (CSV with a header line, see fl_csv_reader_new())
 * in one transaction. A badge id already known for the event has its row
 * replaced. Rows without a badge id, with a badge id seen earlier in the
 * file, or with more values than the header has columns are skipped and
 * reported with their line; they never stop the import.
 *
 * Returns: (transfer full) (nullable): what was imported, updated and
 *   skipped; %NULL when nothing could be imported (no header, no badge id
 *   column, a wrong override, no such event, a database error)
 */
FlRosterReport *
fl_store_import_roster (FlStore *self, const char *event, const char *data, gssize length,
                        const char *const *overrides, GError **error)
{
  g_autoptr(FlRosterReport) report = NULL;
  g_autoptr(FlCsvReader) reader = NULL;
  g_autoptr(FlRosterMapping) mapping = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) csv_error = NULL;
  g_autofree char *event_uuid = NULL;
  g_autofree char *now = NULL;
  guint line = 0;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);

  event_uuid = resolve_event (self, event, error);
  if (event_uuid == NULL)
    return NULL;

  reader = fl_csv_reader_new (data, length, 0);
  header = fl_csv_reader_next (reader, &line, &csv_error);
  if (header == NULL)
    {
      if (csv_error != NULL)
        g_propagate_error (error, g_steal_pointer (&csv_error));
      else
        g_set_error_literal (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_EMPTY,
                             _("The attendee list is empty; it needs a header line with the "
                               "column names and one line per attendee"));
      return NULL;
    }
  mapping = fl_roster_mapping_new (header, overrides, error);
  if (mapping == NULL)
    return NULL;

  report = g_new0 (FlRosterReport, 1);
  report->skipped = g_array_new (FALSE, TRUE, sizeof (FlRosterSkip));
  g_array_set_clear_func (report->skipped, skip_clear);
  report->delimiter = fl_csv_reader_get_delimiter (reader);
  report->headers = g_ptr_array_new_with_free_func (g_free);
  report->targets = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < header->len; i++)
    {
      g_ptr_array_add (report->headers, g_strdup (g_ptr_array_index (header, i)));
      g_ptr_array_add (report->targets, g_strdup (fl_roster_mapping_get_target (mapping, i)));
    }

  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  now = fl_now_iso8601 ();
  if (!fl_store_begin (self, error))
    return NULL;

  for (;;)
    {
      g_autoptr(GPtrArray) values = NULL;
      g_autoptr(FlLead) attendee = NULL;
      g_autoptr(JsonObject) extra = NULL;
      g_autofree char *reason = NULL;
      gpointer first_line;
      gboolean existed = FALSE;

      values = fl_csv_reader_next (reader, &line, &csv_error);
      if (values == NULL)
        {
          if (csv_error != NULL)
            add_skip (report, line,
                      g_strdup (_("a quote opened in this row is never closed, so the rest "
                                  "of the file could not be read; check the quotes in it")));
          break;
        }
      attendee = fl_roster_mapping_apply (mapping, values, &extra, &reason);
      if (attendee == NULL)
        {
          add_skip (report, line, g_steal_pointer (&reason));
          continue;
        }
      if (g_hash_table_lookup_extended (seen, fl_lead_get_badge_id (attendee), NULL,
                                        &first_line))
        {
          add_skip (report, line,
                    g_strdup_printf (_("badge id “%s” was already on line %u; the first row "
                                       "was kept"),
                                     fl_lead_get_badge_id (attendee), GPOINTER_TO_UINT (first_line)));
          continue;
        }
      g_hash_table_insert (seen, g_strdup (fl_lead_get_badge_id (attendee)), GUINT_TO_POINTER (line));

      if (!upsert (self, event_uuid, attendee, extra, now, &existed, error))
        {
          g_prefix_error (error, _("Line %u: "), line);
          fl_store_rollback (self);
          return NULL;
        }
      if (existed)
        report->n_updated++;
      else
        report->n_imported++;
    }

  if (!fl_store_commit (self, error))
    return NULL;
  return g_steal_pointer (&report);
}

/**
 * fl_store_find_attendee:
 * @event: (nullable): the event uuid, %NULL for the active event
 *
 * Looks a badge id up in the event's roster (indexed by event and badge id).
 *
 * Returns: (transfer full) (nullable): the attendee as a lead with badge id
 *   and person fields; %NULL without an error when the roster does not
 *   know the badge
 */
FlLead *
fl_store_find_attendee (FlStore *self, const char *event, const char *badge_id, GError **error)
{
  g_autofree char *event_uuid = NULL;
  g_autoptr(FlLead) attendee = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (self), NULL);
  g_return_val_if_fail (badge_id != NULL, NULL);

  if (event == NULL)
    {
      event_uuid = fl_store_get_meta (self, "active_event");
      if (event_uuid == NULL)
        return NULL;
      event = event_uuid;
    }

  stmt = fl_store_prepare (self, "SELECT " ATTENDEE_FIELDS " FROM attendees "
                                 "WHERE event = ? AND badge_id = ?", error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, event);
  fl_store_bind_text (stmt, 2, badge_id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      attendee = fl_lead_new ();
      fl_lead_set_badge_id (attendee, badge_id);
      for (guint i = 0; i < FL_N_FIELDS; i++)
        fl_lead_set_field (attendee, i, (const char *) sqlite3_column_text (stmt, i));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fl_store_set_error (self, error);
      return NULL;
    }
  return g_steal_pointer (&attendee);
}

gint64
fl_store_count_attendees (FlStore *self, const char *event, GError **error)
{
  g_autofree char *event_uuid = NULL;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (FL_IS_STORE (self), -1);

  event_uuid = resolve_event (self, event, error);
  if (event_uuid == NULL)
    return -1;
  stmt = fl_store_prepare (self, "SELECT count(*) FROM attendees WHERE event = ?", error);
  if (stmt == NULL)
    return -1;
  fl_store_bind_text (stmt, 1, event_uuid);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    fl_store_set_error (self, error);
  sqlite3_reset (stmt);
  return count;
}

/**
 * fl_roster_report_to_json:
 *
 * Returns: (transfer full): {"imported", "updated", "skipped": [{"line",
 *   "reason"}], "delimiter", "columns": {header: target}}
 */
JsonNode *
fl_roster_report_to_json (const FlRosterReport *report)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  char delimiter[2] = { report->delimiter, '\0' };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "imported");
  json_builder_add_int_value (builder, report->n_imported);
  json_builder_set_member_name (builder, "updated");
  json_builder_add_int_value (builder, report->n_updated);
  json_builder_set_member_name (builder, "skipped");
  json_builder_begin_array (builder);
  for (guint i = 0; i < report->skipped->len; i++)
    {
      FlRosterSkip *skip = &g_array_index (report->skipped, FlRosterSkip, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "line");
      json_builder_add_int_value (builder, skip->line);
      json_builder_set_member_name (builder, "reason");
      json_builder_add_string_value (builder, skip->reason);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "delimiter");
  json_builder_add_string_value (builder, delimiter);
  json_builder_set_member_name (builder, "columns");
  json_builder_begin_object (builder);
  for (guint i = 0; i < report->headers->len; i++)
    {
      json_builder_set_member_name (builder, g_ptr_array_index (report->headers, i));
      json_builder_add_string_value (builder, g_ptr_array_index (report->targets, i));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
