/* fl-test.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "booth/fl-booth.h"
#include "fl-test.h"

/* Removes a test's temporary folder with everything in it. */
void
fl_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          fl_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Opens a store in a new temporary folder as @db_name ("fairlead.db" when
 * NULL) and makes @event, when not NULL, its active event. */
void
fl_test_fixture_open (FlTestFixture *fixture,
                      const char    *db_name,
                      const FlEvent *event)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-test-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, db_name ? db_name : "fairlead.db", NULL);
  fixture->store = fl_store_open (fixture->db_path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->store);
  if (event != NULL)
    {
      fixture->event = fl_store_create_event (fixture->store, event, &error);
      g_assert_no_error (error);
      g_assert_nonnull (fixture->event);
    }
}

/* Closes the store, failing the test when anything still holds it (a
 * leaked reference), and removes the folder with all in it. */
void
fl_test_fixture_close (FlTestFixture *fixture)
{
  g_clear_pointer (&fixture->event, fl_event_free);
  if (fixture->store != NULL)
    g_assert_finalize_object (g_steal_pointer (&fixture->store));
  if (fixture->dir != NULL)
    fl_test_remove_tree (fixture->dir);
  g_clear_pointer (&fixture->db_path, g_free);
  g_clear_pointer (&fixture->dir, g_free);
}

/* For g_test_add(): a store with one event, "Hannover Messe 2026", whose
 * settings are the defaults. */
void
fl_test_fixture_setup (FlTestFixture *fixture,
                       gconstpointer  data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Hannover Messe 2026");
  fl_test_fixture_open (fixture, NULL, event);
}

void
fl_test_fixture_teardown (FlTestFixture *fixture,
                          gconstpointer  data)
{
  fl_test_fixture_close (fixture);
}

/* The first column of the one row @sql gives, e.g. a count. */
gint64
fl_test_query_int (FlStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* Moves every time and date in the database by @days (negative: into the
 * past). A database aged by -400 days is what a kiosk whose clock runs 400
 * days ahead sees, without faking the clock of the whole test. */
void
fl_test_shift_times (FlStore *store, int days)
{
  static const char *const columns[][2] = {
    { "leads", "created_at" }, { "leads", "updated_at" }, { "audit", "at" },
    { "consents", "at" }, { "interactions", "at" }, { "outbox", "queued_at" },
    { "outbox", "done_at" }, { "outbox", "next_attempt_at" }, { "events", "created_at" },
    { "models", "loaded_at" }, { "card_photos", "taken_at" }, { "attendees", "imported_at" },
    { "connectors", "created_at" }, { "staff", "created_at" },
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *sql = g_strdup_printf (
        "UPDATE %s SET %s = strftime ('%%Y-%%m-%%dT%%H:%%M:%%fZ', %s, '%+d days') WHERE julianday (%s) IS NOT NULL",
        columns[i][0], columns[i][1], columns[i][1], days, columns[i][1]);

      g_assert_true (fl_store_exec (store, sql, &error));
      g_assert_no_error (error);
    }
  {
    g_autofree char *sql = g_strdup_printf (
      "UPDATE events SET starts_on = date (starts_on, '%+d days') WHERE starts_on IS NOT NULL;"
      "UPDATE events SET ends_on = date (ends_on, '%+d days') WHERE ends_on IS NOT NULL", days, days);

    g_assert_true (fl_store_exec (store, sql, &error));
    g_assert_no_error (error);
  }
}

/* Overwrites the middle of the second leaf page of the table or index
 * @name, as a failing disk or a torn write would. */
void
fl_test_damage_tree (const char *db_path, const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page = 0, page_size = 0;
  g_autofree char *block = NULL;
  FILE *file;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno, (SELECT page_size FROM pragma_page_size) "
                                           "FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                           "ORDER BY pageno LIMIT 1 OFFSET 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  page_size = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("damaging page %" G_GINT64_FORMAT " of %s", page, name);

  block = g_malloc (200);
  memset (block, 0xff, 200);
  file = fopen (db_path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (page - 1) * page_size + 100, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (block, 1, 200, file), ==, 200);
  g_assert_cmpint (fclose (file), ==, 0);
}

void
fl_test_outbox_fixture_setup (FlTestOutboxFixture *fixture, gconstpointer data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Hannover Messe");
  event->booth = g_strdup ("B12");
  fl_test_fixture_open (&fixture->base, NULL, event);
  fixture->outbox = fl_outbox_new (fixture->base.store);
  fixture->uuids = g_ptr_array_new_with_free_func (g_free);
}

void
fl_test_outbox_fixture_teardown (FlTestOutboxFixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->outbox);
  fl_test_fixture_close (&fixture->base);
  g_ptr_array_unref (fixture->uuids);
}

/* A consent entry as the kiosk's checkbox records it, given or refused now. */
void
fl_test_give_consent (FlLead *lead, gboolean given)
{
  g_autoptr(JsonNode) consent = fl_json_new_object ();
  JsonObject *object = json_node_get_object (consent);
  g_autofree char *now = fl_now_iso8601 ();

  json_object_set_string_member (object, "version", "2026-1");
  json_object_set_string_member (object, "language", "de");
  json_object_set_boolean_member (object, "given", given);
  json_object_set_string_member (object, "method", "checkbox");
  json_object_set_string_member (object, "at", now);
  fl_lead_set_consent (lead, consent);
}

/* Makes @store a kiosk of a booth of its own, as "booth create" does: the
 * change log records its writes only then (schema 11). */
void
fl_test_make_booth (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *fingerprint = g_compute_checksum_for_string (G_CHECKSUM_SHA256, fl_store_get_path (store), -1);
  g_autoptr(FlBooth) booth = fl_booth_create (store, "Booth", NULL, fingerprint, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (booth);
}
