/* test-event-key.c: the lead indexes' integer event key (schema 10)
 *
 * leads.event_key is local: whoever writes a lead (the store, booth sync,
 * a plain SQLite client), it is the number event_keys gives the lead's
 * event uuid, the queries find the event's leads by it, and the change
 * log never carries it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"
#include "store/fl-lead-list.h"

#define LEAD_SQL(uuid, event, staff)                                                               \
  "INSERT INTO leads (uuid, event, created_at, updated_at, source, captured_by, first_name,"       \
  "  last_name, full_name, company) VALUES ('" uuid "', " event ", '2026-06-23T10:00:00.000Z',"     \
  "  '2026-06-23T10:00:00.000Z', 'badge', " staff ", 'Jörg', 'Müller', 'Jörg Müller', 'Straßenbau AG');"

/* The leads whose key is not the one of their event. */
#define WRONG_KEYS                                                                                 \
  "SELECT count(*) FROM leads WHERE event_key IS NOT (SELECT id FROM event_keys WHERE uuid = event)" \
  "  OR (event IS NOT NULL AND event_key IS NULL)"

static gint64
count_in (FlStore *store, const char *event, const char *search)
{
  g_autoptr(GError) error = NULL;
  FlLeadQuery query = { .event = event, .search = search };
  gint64 count = fl_store_count_leads (store, &query, &error);
  g_autoptr(GPtrArray) found = fl_store_list_leads (store, &query, &error);

  g_assert_no_error (error);
  g_assert_cmpint (count, ==, found->len);
  return count;
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* A database of schema 9 (leads of two events and one of none) opened by
 * this version: every lead gets the key of its event, the indexes begin
 * with it, the queries still find every lead, the change log is as it was. */
static void
test_migrate (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-event-key-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "v9.db", NULL);
  g_autoptr(FlStore) old = fl_store_open_at_version (path, 9, &error);
  g_autoptr(FlStore) store = NULL;
  g_autoptr(GPtrArray) staff = NULL;
  gint64 changes;

  g_assert_no_error (error);
  exec (fl_store_get_db (old),
        "INSERT INTO events (uuid, name, created_at) VALUES ('e1', 'Old Show', '2025-01-01T00:00:00.000Z');"
        "INSERT INTO events (uuid, name, created_at) VALUES ('e2', 'New Show', '2025-02-01T00:00:00.000Z');"
        "INSERT INTO meta (key, value) VALUES ('active_event', 'e1');"
        LEAD_SQL ("a1", "'e1'", "'Tom'") LEAD_SQL ("a2", "'e1'", "'Lena'") LEAD_SQL ("a3", "'e1'", "NULL")
        LEAD_SQL ("b1", "'e2'", "'Ahmet'") LEAD_SQL ("b2", "'e2'", "'Ahmet'")
        LEAD_SQL ("n1", "NULL", "'Tom'"));
  changes = fl_test_query_int (old, "SELECT count(*) FROM changes");
  g_clear_object (&old);

  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA user_version"), ==, FL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check <> 'ok'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM event_keys"), ==, 2);
  g_assert_cmpint (fl_test_query_int (store, WRONG_KEYS), ==, 0);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads WHERE event_key IS NULL"), ==, 1);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count (DISTINCT event_key) FROM leads"), ==, 2);
  /* The eight indexes that find an event's leads, by their old names, each
   * beginning with the key. */
  g_assert_cmpint (fl_test_query_int (store,
                                      "SELECT count(*) FROM sqlite_schema s, pragma_index_info (s.name) i "
                                      "WHERE s.type = 'index' AND s.tbl_name = 'leads' AND i.seqno = 0 "
                                      "AND i.name = 'event_key' AND s.name GLOB 'leads_event_*'"), ==, 8);
  g_assert_cmpint (fl_test_query_int (store,
                                      "SELECT count(*) FROM sqlite_schema s, pragma_index_info (s.name) i "
                                      "WHERE s.type = 'index' AND s.tbl_name = 'leads' AND i.name = 'event'"), ==, 0);
  /* Migrating logged nothing: the key is local. */
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM changes"), ==, changes);

  g_assert_cmpint (count_in (store, NULL, NULL), ==, 3);
  g_assert_cmpint (count_in (store, "e2", NULL), ==, 2);
  g_assert_cmpint (count_in (store, "e1", "muller"), ==, 3);
  g_assert_cmpint (count_in (store, "e2", "strassenbau"), ==, 2);
  g_assert_cmpint (count_in (store, "nowhere", NULL), ==, 0);
  staff = fl_store_list_lead_staff (store, "e1", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (staff->len, ==, 2);

  /* A lead saved afterwards gets its key from the store itself. */
  {
    g_autoptr(FlLead) lead = fl_lead_new ();

    fl_lead_set_event (lead, "e2");
    fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Nowak");
    g_assert_true (fl_store_save_lead (store, lead, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_in (store, "e2", NULL), ==, 3);
    g_assert_cmpint (fl_test_query_int (store, WRONG_KEYS), ==, 0);
    /* Saved again in another event: it moves with its key. */
    fl_lead_set_event (lead, "e1");
    g_assert_true (fl_store_save_lead (store, lead, NULL, &error));
    g_assert_no_error (error);
    g_assert_cmpint (count_in (store, "e2", NULL), ==, 2);
    g_assert_cmpint (count_in (store, "e1", NULL), ==, 4);
    g_assert_cmpint (fl_test_query_int (store, WRONG_KEYS), ==, 0);
  }

  g_clear_object (&store);
  fl_test_remove_tree (dir);
}

/* The sqlite3 shell writes leads without knowing the key (and without
 * foreign keys): the triggers set it, mend a wrong one, number an event
 * uuid never seen, and never log the key in the change log. */
static void
test_sqlite_client (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) other = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  const char *event = fixture->event->uuid;
  g_autofree char *insert = NULL;
  g_autofree char *move = NULL;
  sqlite3 *db = NULL;
  gint64 changes;

  other->name = g_strdup ("Other Show");
  created = fl_store_create_event (fixture->store, other, &error);
  g_assert_no_error (error);
  /* In a booth, so that the change log records the shell's writes
   * (schema 11: outside one it logs nothing). */
  fl_test_make_booth (fixture->store);
  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);

  /* Without a key, with a wrong one, and in an event this file has never
   * seen (the shell does not check foreign keys). */
  insert = g_strdup_printf (LEAD_SQL ("s1", "'%s'", "'Tom'")
                            "INSERT INTO leads (uuid, event, created_at, updated_at, source, event_key)"
                            "  VALUES ('s2', '%s', '2026-06-23T11:00:00.000Z', '2026-06-23T11:00:00.000Z',"
                            "  'manual', 999);"
                            LEAD_SQL ("s3", "'unknown-event'", "'Lena'"),
                            event, event);
  exec (db, insert);
  g_assert_cmpint (fl_test_query_int (fixture->store, WRONG_KEYS), ==, 0);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads WHERE event_key = 999"), ==, 0);
  g_assert_cmpint (count_in (fixture->store, event, NULL), ==, 2);
  g_assert_cmpint (count_in (fixture->store, event, "muller"), ==, 1);
  g_assert_cmpint (count_in (fixture->store, "unknown-event", NULL), ==, 1);
  g_assert_cmpint (count_in (fixture->store, created->uuid, NULL), ==, 0);
  /* What the change log holds of them: the uuid, never the key. */
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM changes WHERE tbl = 'leads'"), ==, 3);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM changes WHERE data LIKE '%event_key%'"), ==, 0);

  /* An update that only touches the key logs nothing, and the key stays
   * the event's. */
  changes = fl_test_query_int (fixture->store, "SELECT count(*) FROM changes");
  exec (db, "UPDATE leads SET event_key = 999 WHERE uuid = 's1';"
            "UPDATE leads SET event_key = NULL WHERE uuid = 's3';"
            "UPDATE leads SET event_key = event_key;");
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM changes"), ==, changes);
  g_assert_cmpint (fl_test_query_int (fixture->store, WRONG_KEYS), ==, 0);
  g_assert_cmpint (count_in (fixture->store, event, NULL), ==, 2);

  /* Moved to the other event: the key follows, the log holds the uuid. */
  move = g_strdup_printf ("UPDATE leads SET event = '%s' WHERE uuid = 's1'", created->uuid);
  exec (db, move);
  g_assert_cmpint (fl_test_query_int (fixture->store, WRONG_KEYS), ==, 0);
  g_assert_cmpint (count_in (fixture->store, event, NULL), ==, 1);
  g_assert_cmpint (count_in (fixture->store, created->uuid, NULL), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM changes"), ==, changes + 1);
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM changes WHERE tbl = 'leads' AND row_key = 's1' "
                                      "AND data = json_object ('event', (SELECT event FROM leads WHERE uuid = 's1'))"),
                   ==, 1);

  sqlite3_close (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-key/migrate", test_migrate);
  g_test_add ("/event-key/sqlite-client", FlTestFixture, NULL, fl_test_fixture_setup,
              test_sqlite_client, fl_test_fixture_teardown);
  return g_test_run ();
}
