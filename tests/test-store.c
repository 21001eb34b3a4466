/* test-store.c: the SQLite store on real files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-test.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

#include "fl-demo.h"
#include "store/fl-fts-fold.h"
#include "store/fl-store-private.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-store-XXXXXX", &error);
  g_assert_no_error (error);
  /* A folder that does not exist yet, to see it created 0700. */
  fixture->path = g_build_filename (fixture->dir, "data", "fairlead.db", NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  fl_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->path);
}

static FlStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  FlStore *store = fl_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static FlEvent *
create_event (FlStore *store, const char *name)
{
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(GError) error = NULL;
  FlEvent *created;

  event->name = g_strdup (name);
  event->starts_on = g_strdup ("2026-06-23");
  event->ends_on = g_strdup ("2026-06-26");
  event->venue = g_strdup ("Messe München");
  event->booth = g_strdup ("B5.214");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  return created;
}

static FlLead *
make_lead (const char *first, const char *last, const char *company)
{
  FlLead *lead = fl_lead_new ();

  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first);
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, company);
  return lead;
}

static void
test_create (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autofree char *folder = g_path_get_dirname (fixture->path);
  g_autofree char *journal = NULL;
  struct stat st;

  g_assert_cmpint (fl_store_get_schema_version (store), ==, FL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA user_version"), ==, FL_STORE_SCHEMA_VERSION);
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA application_id"), ==, FL_STORE_APPLICATION_ID);
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA foreign_keys"), ==, 1);
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA synchronous"), ==, 2); /* FULL */
  g_assert_cmpint (fl_test_query_int (store, "PRAGMA secure_delete"), ==, 1);
  journal = fl_store_get_meta (store, "nonexistent");
  g_assert_null (journal);
  g_assert_true (g_uuid_string_is_valid (fl_store_get_device_id (store)));

  g_assert_cmpint (g_stat (folder, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (fixture->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  {
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (fl_store_get_db (store), "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  for (const char *const *table = (const char *const[]) { "events", "attendees", "leads", "answers",
                                                          "interactions", "consents", "models",
                                                          "outbox", "audit", "leads_fts", NULL };
       *table != NULL; table++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM sqlite_schema WHERE name = '%s'", *table);
      g_assert_cmpint (fl_test_query_int (store, sql), ==, 1);
    }
}

static void
test_reopen (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "Hannover Messe");
  g_autoptr(FlLead) lead = make_lead ("Anna", "Schäfer", "Bäckerei Schäfer KG");
  g_autoptr(FlLead) back = NULL;
  g_autoptr(FlEvent) active = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = g_strdup (fl_store_get_device_id (store));
  g_autofree char *uuid = NULL;

  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  g_assert_no_error (error);
  uuid = g_strdup (fl_lead_get_uuid (lead));
  g_clear_object (&store);

  store = open_store (fixture->path);
  g_assert_cmpstr (fl_store_get_device_id (store), ==, device);
  active = fl_store_get_active_event (store, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (active->name, ==, "Hannover Messe");
  g_assert_cmpstr (active->venue, ==, "Messe München");
  back = fl_store_get_lead (store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_field (back, FL_FIELD_LAST_NAME), ==, "Schäfer");
  g_assert_cmpstr (fl_lead_get_event (back), ==, event->uuid);
  g_assert_cmpstr (fl_lead_get_device (back), ==, device);
  g_assert_cmpstr (fl_lead_get_captured_by (back), ==, NULL);
}

/* What a database looked like at each older version, so every migration
 * path is walked with data in it. */
static void
fill_version (FlStore *store, int version)
{
  sqlite3 *db = fl_store_get_db (store);

  /* From version 7 the score, status and model live in lead_scores. */
  if (version >= 7)
    {
      g_assert_cmpint (sqlite3_exec (db,
        "INSERT INTO events (uuid, name, created_at) VALUES ('e1', 'Old Show', '2025-01-01T00:00:00.000Z');"
        "INSERT INTO meta (key, value) VALUES ('active_event', 'e1');"
        "INSERT INTO leads (uuid, event, created_at, updated_at, source, first_name, last_name,"
        "  full_name, company, notes)"
        "  VALUES ('0b9a5d7e-1c2f-4a6b-8d3e-5f7a9c1b2d4e', 'e1', '2025-01-01T10:00:00.000Z',"
        "  '2025-01-01T10:00:00.000Z', 'badge', 'Jörg', 'Müller', 'Jörg Müller', 'Straßenbau AG',"
        "  'wants a quote');"
        "UPDATE lead_scores SET score = 42, status = 'SAL', model_name = 'Booth', model_version = 3,"
        "  model_sha256 = 'abc' WHERE lead_id = 1;"
        "INSERT INTO answers (lead_id, question_id, value) VALUES (1, 'budget', '\"50k\"');"
        "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x');"
        "INSERT INTO outbox (lead_id, connector, state, queued_at) VALUES (1, 'crm', 'pending', 'x');",
        NULL, NULL, NULL), ==, SQLITE_OK);
    }
  else if (version >= 1)
    {
      g_assert_cmpint (sqlite3_exec (db,
        "INSERT INTO events (uuid, name, created_at) VALUES ('e1', 'Old Show', '2025-01-01T00:00:00.000Z');"
        "INSERT INTO meta (key, value) VALUES ('active_event', 'e1');"
        "INSERT INTO leads (uuid, event, created_at, updated_at, source, first_name, last_name,"
        "  full_name, company, notes, score, status, model_name, model_version, model_sha256)"
        "  VALUES ('0b9a5d7e-1c2f-4a6b-8d3e-5f7a9c1b2d4e', 'e1', '2025-01-01T10:00:00.000Z',"
        "  '2025-01-01T10:00:00.000Z', 'badge', 'Jörg', 'Müller', 'Jörg Müller', 'Straßenbau AG',"
        "  'wants a quote', 42, 'SAL', 'Booth', 3, 'abc');"
        "INSERT INTO answers (lead_id, question_id, value) VALUES (1, 'budget', '\"50k\"');"
        /* Queued without consent, as versions before 4 could. */
        "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'x');"
        "INSERT INTO outbox (lead_id, connector, state, queued_at) VALUES (1, 'crm', 'pending', 'x');",
        NULL, NULL, NULL), ==, SQLITE_OK);
    }
}

static void
test_migrate_from_every_version (Fixture *fixture, gconstpointer data)
{
  for (int version = 0; version < FL_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%d.db", fixture->dir, version);
      g_autoptr(GError) error = NULL;
      g_autoptr(FlStore) old = fl_store_open_at_version (path, version, &error);
      g_autoptr(FlStore) store = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(FlLead) lead = NULL;
      FlLeadQuery query = { .search = "muller" };

      g_test_message ("from version %d", version);
      g_assert_no_error (error);
      g_assert_cmpint (fl_store_get_schema_version (old), ==, version);
      fill_version (old, version);
      g_clear_object (&old);

      store = fl_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (fl_test_query_int (store, "PRAGMA user_version"), ==, FL_STORE_SCHEMA_VERSION);
      {
        sqlite3_stmt *stmt = NULL;
        sqlite3_prepare_v2 (fl_store_get_db (store), "PRAGMA integrity_check", -1, &stmt, NULL);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
        sqlite3_finalize (stmt);
      }
      if (version == 0)
        continue;

      /* Data written by the old version survives and is searchable. */
      lead = fl_store_get_lead (store, "0b9a5d7e-1c2f-4a6b-8d3e-5f7a9c1b2d4e", &error);
      g_assert_no_error (error);
      g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_COMPANY), ==, "Straßenbau AG");
      g_assert_cmpstr (json_node_get_string (json_object_get_member (json_node_get_object (fl_lead_get_answers (lead)), "budget")), ==, "50k");
      found = fl_store_list_leads (store, &query, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (found->len, ==, 1);
      /* Version 5 folds spellings: ß is ss, ü is ue, in the old leads too. */
      for (const char *const *search = (const char *const[]) { "strassenbau", "joerg mueller", "Straßenb", NULL };
           *search != NULL; search++)
        {
          FlLeadQuery folded = { .search = *search };
          g_autoptr(GPtrArray) hits = fl_store_list_leads (store, &folded, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (hits->len, ==, 1);
        }
      /* Version 7 moved score, status and model to lead_scores, with
       * their indexes; the lead rows no longer hold them. */
      g_assert_cmpint (fl_lead_get_score (lead), ==, 42);
      g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_SAL);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (fl_lead_get_model (lead)), "sha256"), ==, "abc");
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM lead_scores WHERE score = 42 AND status = 'SAL'"), ==, 1);
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'lead_scores_status_score'"), ==, 1);
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM sqlite_schema WHERE name = 'leads_event_status'"), ==, 0);
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM pragma_table_info ('leads') "
                                                 "WHERE name IN ('score', 'status', 'model_name', 'model_version', 'model_sha256')"), ==, 0);
      /* The consent gate (version 4) took it out of the queue, and said so. */
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM outbox"), ==, 0);
      /* (From version 4 on, the gate kept the row out in the first place.) */
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit WHERE action = 'upload-withheld'"), ==,
                       version < 4 ? 1 : 0);
      /* The sync log (version 5) is there, empty. */
      g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM sync_log"), ==, 0);
      g_assert_cmpint (fl_test_query_int (store, "SELECT upload_state FROM leads"), ==, 1);
    }
}

/* Search folds the spellings of a name together, both ways: ß and ss,
 * ü and ue (ä, ö), accents, and letters without a decomposition (ł, ı, ø,
 * æ, œ). */
/* A search folds its words exactly as the index's triggers fold a lead. */
static void
test_search_fold_c_equals_sql (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  static const char *const texts[] = {
    "Weiß", "WEISS", "STRAẞE", "Łukasz Wałęsa", "Yıldız İstanbul", "Søren Kjær", "ØRSTED",
    "ÆRØ", "Cœur", "ŒUVRE", "Đorđević", "Ðavid", "Þór", "ÞÓR", "Mueller", "MUELLER",
    "Baeckerei", "Michael Oetker", "Müller", "plain ascii", "",
  };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      /* The store keeps its statements: reset, never finalize. */
      sqlite3_stmt *stmt = fl_store_prepare (store, "SELECT " FL_FTS_FOLD ("?1"), &error);
      g_autofree char *folded = fl_fts_fold (texts[i]);

      g_assert_no_error (error);
      sqlite3_bind_text (stmt, 1, texts[i], -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_test_message ("“%s” → “%s”", texts[i], folded);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, folded);
      sqlite3_reset (stmt);
    }
}

/* The index needs nothing but SQLite: another client (the sqlite3 shell,
 * a script) may insert, change and delete leads, and search follows. */
static void
test_search_outside_client (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *event_uuid = NULL;
  g_autofree char *uuid = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(FlStore) store = open_store (fixture->path);
    g_autoptr(FlEvent) event = create_event (store, "Hannover Messe");
    g_autoptr(FlLead) lead = make_lead ("Anna", "Schmidt", "Acme");

    g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
    g_assert_no_error (error);
    uuid = g_strdup (fl_lead_get_uuid (lead));
    event_uuid = g_strdup (event->uuid);
  }

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE leads SET last_name = 'Weiß', full_name = 'Anna Weiß';"
                                 "INSERT INTO leads (uuid, event, created_at, updated_at, source,"
                                 "  first_name, last_name, full_name, company)"
                                 "  SELECT 'outside-1', event, created_at, updated_at, 'manual',"
                                 "         'Jörg', 'Müller', 'Jörg Müller', 'Bäckerei' FROM leads;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(FlStore) store = open_store (fixture->path);
    FlLeadQuery weiss = { .event = event_uuid, .search = "weiss" };
    FlLeadQuery mueller = { .event = event_uuid, .search = "mueller baeckerei" };
    FlLeadQuery schmidt = { .event = event_uuid, .search = "schmidt" };

    g_assert_cmpint (fl_store_count_leads (store, &weiss, &error), ==, 1);
    g_assert_cmpint (fl_store_count_leads (store, &mueller, &error), ==, 1);
    g_assert_cmpint (fl_store_count_leads (store, &schmidt, &error), ==, 0);
    g_assert_no_error (error);
  }

  g_assert_cmpint (sqlite3_open_v2 (fixture->path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM leads WHERE uuid = 'outside-1'", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);

  {
    g_autoptr(FlStore) store = open_store (fixture->path);
    FlLeadQuery mueller = { .event = event_uuid, .search = "müller" };

    g_assert_cmpint (fl_store_count_leads (store, &mueller, &error), ==, 0);
    g_assert_no_error (error);
  }
}

static void
test_search_folds_spellings (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "Hannover Messe");
  static const struct { const char *first, *last, *company; } people[] = {
    { "Anna", "Weiß", "Weißwurst GmbH" },        /* 0 */
    { "Jörg", "Müller", "Bäckerei Schäfer KG" }, /* 1 */
    { "Joerg", "Mueller", "Baeckerei Schaefer" },/* 2 */
    { "François", "Lefèvre", "Cœur Énergie" },   /* 3 */
    { "Łukasz", "Wałęsa", "Gdańsk Stocznia" },   /* 4 */
    { "Yıldız", "Şahin", "İstanbul Çelik" },     /* 5 */
    { "Søren", "Kjær", "Ærø Færger" },           /* 6 */
    { "Peter", "Weiss", "Weiss Logistik" },      /* 7 */
  };
  static const struct { const char *search; guint expected; } cases[] = {
    /* each bit a person above */
    { "weiss", 1 << 0 | 1 << 7 },
    { "Weiß", 1 << 0 | 1 << 7 },
    { "weisswurst", 1 << 0 },
    { "mueller", 1 << 1 | 1 << 2 },
    { "müller", 1 << 1 | 1 << 2 },
    { "muller", 1 << 1 | 1 << 2 },
    { "jörg bäckerei", 1 << 1 | 1 << 2 },
    { "schaefer", 1 << 1 | 1 << 2 },
    { "francois lefevre", 1 << 3 },
    { "coeur energie", 1 << 3 },
    { "lukasz walesa", 1 << 4 },
    { "gdansk", 1 << 4 },
    { "yildiz sahin", 1 << 5 },
    { "YILDIZ", 1 << 5 },
    { "istanbul celik", 1 << 5 },
    { "soren kjaer", 1 << 6 },
    { "aero faerger", 1 << 6 },
    { "Kjær", 1 << 6 },
  };
  g_autoptr(GPtrArray) uuids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_autoptr(FlLead) lead = make_lead (people[i].first, people[i].last, people[i].company);

      g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
      g_assert_no_error (error);
      g_ptr_array_add (uuids, g_strdup (fl_lead_get_uuid (lead)));
    }
  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      FlLeadQuery query = { .search = cases[c].search };
      g_autoptr(GPtrArray) found = fl_store_list_leads (store, &query, &error);
      guint got = 0;

      g_assert_no_error (error);
      for (guint i = 0; i < found->len; i++)
        for (guint p = 0; p < uuids->len; p++)
          if (g_str_equal (fl_lead_get_uuid (g_ptr_array_index (found, i)), g_ptr_array_index (uuids, p)))
            got |= 1 << p;
      g_test_message ("search “%s”", cases[c].search);
      g_assert_cmphex (got, ==, cases[c].expected);
      g_assert_cmpint (fl_store_count_leads (store, &query, &error), ==, found->len);
    }
}

static char *
read_file (const char *path, gsize *length)
{
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, length, NULL));
  return contents;
}

static void
test_refuse_newer (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlStore) again = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  gsize before_length, after_length;

  g_assert_true (fl_store_exec (store, "PRAGMA user_version = 99", &error));
  g_assert_true (fl_store_exec (store, "PRAGMA wal_checkpoint(TRUNCATE)", &error));
  g_clear_object (&store);
  before = read_file (fixture->path, &before_length);

  again = fl_store_open (fixture->path, &error);
  g_assert_null (again);
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Fairlead"));
  g_assert_nonnull (strstr (error->message, "99"));

  after = read_file (fixture->path, &after_length);
  g_assert_cmpmem (before, before_length, after, after_length);
}

static const struct
{
  const char *name;
  const char *contents;
  gssize length;
} not_databases[] = {
  { "notes.txt", "Dear diary, today I captured forty leads.\n", -1 },
  { "short.bin", "SQLite", -1 },
  { "zeros.bin", "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 20 },
  { "fake.db", "SQLite format 3\0garbage garbage garbage garbage garbage garbage garbage", 72 },
};

static void
test_refuse_not_database (Fixture *fixture, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (not_databases); i++)
    {
      g_autofree char *path = g_build_filename (fixture->dir, not_databases[i].name, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(FlStore) store = NULL;
      g_autofree char *after = NULL;
      gsize length = not_databases[i].length < 0 ? strlen (not_databases[i].contents)
                                                  : (gsize) not_databases[i].length;
      gsize after_length;

      g_test_message ("%s", not_databases[i].name);
      g_assert_true (g_file_set_contents (path, not_databases[i].contents, length, NULL));
      store = fl_store_open (path, &error);
      g_assert_null (store);
      g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD);
      after = read_file (path, &after_length);
      g_assert_cmpmem (after, after_length, not_databases[i].contents, length);
      {
        g_autofree char *wal = g_strconcat (path, "-wal", NULL);
        g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
      }
    }
}

static void
test_refuse_other_sqlite (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "places.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  sqlite3 *db = NULL;
  int count = -1;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE bookmarks (url TEXT); INSERT INTO bookmarks VALUES ('https://gnome.org')", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = fl_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FAIRLEAD);
  g_assert_nonnull (strstr (error->message, "another program"));

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_prepare_v2 (db, "SELECT count(*) FROM sqlite_schema", -1, &stmt, NULL);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpint (count, ==, 1);
}

static void
test_empty_file (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "empty.db", NULL);
  g_autoptr(FlStore) store = NULL;

  /* What a power cut during the very first start can leave behind. */
  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = open_store (path);
  g_assert_cmpint (fl_store_get_schema_version (store), ==, FL_STORE_SCHEMA_VERSION);
}

static void
test_env_path (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "from-env.db", NULL);
  g_autofree char *default_path = NULL;
  g_autoptr(FlStore) store = NULL;

  g_setenv ("FAIRLEAD_DB", path, TRUE);
  default_path = fl_store_default_path ();
  g_assert_cmpstr (default_path, ==, path);
  store = open_store (NULL);
  g_assert_cmpstr (fl_store_get_path (store), ==, path);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_unsetenv ("FAIRLEAD_DB");
  g_clear_pointer (&default_path, g_free);
  default_path = fl_store_default_path ();
  g_assert_true (g_str_has_suffix (default_path, "/fairlead/fairlead.db"));
}

static void
test_events (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) first = NULL;
  g_autoptr(FlEvent) second = NULL;
  g_autoptr(FlEvent) active = NULL;
  g_autoptr(FlEvent) bad = fl_event_new ();
  g_autoptr(GPtrArray) events = NULL;

  active = fl_store_get_active_event (store, &error);
  g_assert_null (active);
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT);
  g_clear_error (&error);

  first = create_event (store, "  Embedded World ");
  g_assert_cmpstr (first->name, ==, "Embedded World");
  second = create_event (store, "SPS Nürnberg");
  active = fl_store_get_active_event (store, &error);
  g_assert_cmpstr (active->uuid, ==, second->uuid);
  g_clear_pointer (&active, fl_event_free);

  g_assert_true (fl_store_set_active_event (store, first->uuid, &error));
  active = fl_store_get_active_event (store, &error);
  g_assert_cmpstr (active->uuid, ==, first->uuid);
  g_assert_false (fl_store_set_active_event (store, "no-such-event", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  events = fl_store_list_events (store, &error);
  g_assert_cmpuint (events->len, ==, 2);

  /* Bad events are refused with a reason. */
  g_assert_null (fl_store_create_event (store, bad, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  bad->name = g_strdup ("X");
  bad->starts_on = g_strdup ("2026-02-30");
  g_assert_null (fl_store_create_event (store, bad, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_free (bad->starts_on);
  bad->starts_on = g_strdup ("2026-03-05");
  bad->ends_on = g_strdup ("2026-03-01");
  g_assert_null (fl_store_create_event (store, bad, &error));
  g_assert_nonnull (strstr (error->message, "before it starts"));
}

static void
test_leads (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "it-sa");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) sal = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(FlLead) back = NULL;
  g_autoptr(JsonNode) consent = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *names[][3] = {
    { "Jürgen", "Müller", "Müller Maschinenbau" },
    { "Anna", "Łukasiewicz", "Polymer Works" },
    { "Sören", "Weiß", "Weiß & Co" },
  };
  FlLeadQuery by_status = { .status = "SAL" };
  FlLeadQuery by_text = { .search = "muller masch" };
  FlLeadQuery bad_status = { .status = "HOT" };
  FlLead *first = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(FlLead) lead = make_lead (names[i][0], names[i][1], names[i][2]);

      fl_lead_set_status (lead, i == 1 ? FL_STATUS_SAL : FL_STATUS_MQL);
      fl_lead_add_interaction (lead, "badge-scan", NULL);
      g_assert_true (fl_store_save_lead (store, lead, "Kiosk 1", &error));
      g_assert_no_error (error);
      if (i == 0)
        first = g_object_ref (lead);
    }

  all = fl_store_list_leads (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 3);
  g_assert_cmpint (fl_store_count_leads (store, NULL, &error), ==, 3);
  sal = fl_store_list_leads (store, &by_status, &error);
  g_assert_cmpuint (sal->len, ==, 1);
  g_assert_cmpstr (fl_lead_get_field (g_ptr_array_index (sal, 0), FL_FIELD_LAST_NAME), ==, "Łukasiewicz");
  found = fl_store_list_leads (store, &by_text, &error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_null (fl_store_list_leads (store, &bad_status, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* An update replaces fields, answers and interactions; consent is a ledger. */
  json_parser_load_from_data (parser, "{\"version\": \"2026-1\", \"given\": true, \"language\": \"de\","
                                      " \"at\": \"2026-06-23T09:00:00.000Z\", \"staff\": \"Tom\"}", -1, NULL);
  consent = json_node_copy (json_parser_get_root (parser));
  fl_lead_set_consent (first, consent);
  fl_lead_set_field (first, FL_FIELD_EMAIL, "j.mueller@example.de");
  fl_lead_add_interaction (first, "demo", NULL);
  g_assert_true (fl_store_save_lead (store, first, "Tom", &error));
  g_assert_true (fl_store_save_lead (store, first, "Tom", &error));
  g_assert_no_error (error);
  back = fl_store_get_lead (store, fl_lead_get_uuid (first), &error);
  g_assert_cmpstr (fl_lead_get_field (back, FL_FIELD_EMAIL), ==, "j.mueller@example.de");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fl_lead_get_interactions (back))), ==, 2);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (fl_lead_get_consent (back)), "given"));
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM consents"), ==, 1);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, 3);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit WHERE action = 'captured'"), ==, 3);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit WHERE action = 'updated'"), ==, 2);

  g_assert_null (fl_store_get_lead (store, "00000000-0000-4000-8000-000000000000", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_object_unref (first);
}

/* The breakdown has a table of its own: it follows the lead through save,
 * update, list, clearing and deletion. */
static void
test_breakdown (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "Breakdown");
  g_autoptr(FlLead) lead = make_lead ("Jürgen", "Müller", "Müller Maschinenbau");
  g_autoptr(FlLead) other = make_lead ("Anna", "Berg", "Berg GmbH");
  g_autoptr(FlLead) back = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  const char *text = "[{\"source\":\"question\",\"id\":\"timeframe\",\"group\":\"fit\","
                     "\"points_before\":25,\"points_decayed\":25,\"points\":25,"
                     "\"reason\":\"Zeitrahmen: „sofort“ +25\"},"
                     "{\"source\":\"status\",\"id\":\"MQL\",\"reason\":\"Status MQL\"}]";
  g_autoptr(JsonNode) breakdown = json_from_string (text, &error);
  g_autoptr(JsonNode) changed = json_from_string ("[{\"source\":\"status\",\"id\":\"SAL\"}]", &error);

  g_assert_no_error (error);
  fl_lead_set_breakdown (lead, breakdown);
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  g_assert_true (fl_store_save_lead (store, other, "Tom", &error));
  g_assert_no_error (error);

  back = fl_store_get_lead (store, fl_lead_get_uuid (lead), &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (fl_lead_get_breakdown (back), breakdown));
  g_clear_object (&back);
  back = fl_store_get_lead (store, fl_lead_get_uuid (other), &error);
  g_assert_null (fl_lead_get_breakdown (back));
  g_clear_object (&back);

  all = fl_store_list_leads (store, NULL, &error);
  g_assert_cmpuint (all->len, ==, 2);
  for (guint i = 0; i < all->len; i++)
    {
      FlLead *listed = g_ptr_array_index (all, i);

      if (g_strcmp0 (fl_lead_get_uuid (listed), fl_lead_get_uuid (lead)) == 0)
        g_assert_true (json_node_equal (fl_lead_get_breakdown (listed), breakdown));
      else
        g_assert_null (fl_lead_get_breakdown (listed));
    }

  fl_lead_set_breakdown (lead, changed);
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  back = fl_store_get_lead (store, fl_lead_get_uuid (lead), &error);
  g_assert_true (json_node_equal (fl_lead_get_breakdown (back), changed));
  g_clear_object (&back);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM lead_breakdowns"), ==, 1);

  fl_lead_set_breakdown (lead, NULL);
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  back = fl_store_get_lead (store, fl_lead_get_uuid (lead), &error);
  g_assert_null (fl_lead_get_breakdown (back));
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM lead_breakdowns"), ==, 0);

  fl_lead_set_breakdown (lead, breakdown);
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  g_assert_true (fl_store_exec (store, "DELETE FROM leads", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM lead_breakdowns"), ==, 0);
}

static void
test_outbox_rows (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "Outbox");
  g_autoptr(FlLead) lead = make_lead ("Ola", "Nordmann", "Fjord AS");
  g_autoptr(GError) error = NULL;

  json_object_set_boolean_member (json_node_get_object (event->settings), FL_SETTING_CONSENT_REQUIRED, FALSE);
  g_assert_true (fl_store_update_event (store, event, NULL));

  g_assert_true (fl_store_exec (store,
    "INSERT INTO connectors (name, type, created_at) VALUES ('crm', 'webhook', 'now'), ('csv', 'csv', 'now');"
    "INSERT INTO connectors (name, type, enabled, created_at) VALUES ('off', 'csv', 0, 'now');", &error));
  g_assert_true (fl_store_save_lead (store, lead, NULL, &error));
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 2);

  /* Delivered, then edited: pending again, the same row (an update). */
  g_assert_true (fl_store_exec (store, "UPDATE outbox SET state = 'done', attempts = 1", &error));
  fl_lead_set_notes (lead, "Called back");
  g_assert_true (fl_store_save_lead (store, lead, NULL, &error));
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM outbox WHERE state = 'pending' AND attempts = 0"), ==, 2);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM outbox"), ==, 2);
}

static void
test_reader_during_write (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) writer = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (writer, "WAL");
  g_autoptr(FlStore) reader = NULL;
  g_autoptr(FlLead) committed = make_lead ("Erika", "Mustermann", "Beispiel GmbH");
  g_autoptr(FlLead) in_flight = make_lead ("Max", "Mustermann", "Beispiel GmbH");
  g_autoptr(GPtrArray) seen = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  g_assert_true (fl_store_save_lead (writer, committed, NULL, &error));
  reader = open_store (fixture->path);

  g_assert_true (fl_store_begin (writer, &error));
  g_assert_true (fl_store_save_lead_in_transaction (writer, in_flight, NULL, &error));

  /* The reader neither waits for the writer nor sees its uncommitted lead. */
  start = g_get_monotonic_time ();
  seen = fl_store_list_leads (reader, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  g_assert_true (fl_store_commit (writer, &error));
  g_clear_pointer (&seen, g_ptr_array_unref);
  seen = fl_store_list_leads (reader, NULL, &error);
  g_assert_cmpuint (seen->len, ==, 2);
}

static void
test_rollback (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (store, "Rollback");
  g_autoptr(FlLead) lead = make_lead ("Kai", "Bauer", "Hof Bauer");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* An interaction without a kind fails the whole save: no half lead. */
  json_parser_load_from_data (parser, "[{\"at\": \"2026-01-01T00:00:00Z\"}]", -1, NULL);
  fl_lead_set_interactions (lead, json_parser_get_root (parser));
  g_assert_false (fl_store_save_lead (store, lead, NULL, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM leads"), ==, 0);
  g_assert_cmpint (fl_test_query_int (store, "SELECT count(*) FROM audit"), ==, 0);
}

/* The kiosk holds two connections (the GUI's and the upload worker's) while
 * fairlead-cli comes and goes. Opening the second connection must not drop
 * the first one's locks, or the CLI deletes the WAL under the kiosk and
 * what the kiosk writes next is seen by nobody. */
static void
test_second_connection_keeps_wal (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) kiosk = open_store (fixture->path);
  g_autoptr(FlEvent) event = create_event (kiosk, "Two connections");
  g_autoptr(FlStore) worker = open_store (fixture->path);
  g_autoptr(FlStore) reader = NULL;
  g_autoptr(FlLead) lead = make_lead ("Greta", "Lock", "Fcntl GmbH");
  g_autoptr(FlLead) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  const char *argv[] = { g_getenv ("FAIRLEAD_CLI"), "--db", fixture->path, "event", "list", NULL };
  int status = -1;

  if (argv[0] == NULL)
    {
      g_test_skip ("FAIRLEAD_CLI is not set");
      return;
    }
  g_clear_object (&worker);
  worker = open_store (fixture->path);

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));

  g_assert_true (fl_store_save_lead (kiosk, lead, "Tom", &error));
  reader = open_store (fixture->path);
  seen = fl_store_get_lead (reader, fl_lead_get_uuid (lead), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_LAST_NAME), ==, "Lock");
}

/* fl_store_get_leads() reads a batch as fl_store_get_lead() reads each
 * lead: fields, score, answers, interactions, the latest consent, the
 * breakdown computed again from the time it was scored; in the order
 * asked, by a merged uuid too; a missing lead is an error. */
static void
test_get_leads (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlStore) store = open_store (fixture->path);
  g_autofree char *demo = fl_demo_data_dir ();
  g_autoptr(FlLead) extra = make_lead ("Jürgen", "Müller", "Müller \"Maschinen\"bau");
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *alias_sql = NULL;

  g_assert_true (fl_demo_seed (store, demo, &error));
  g_assert_no_error (error);
  fl_lead_add_interaction (extra, "demo", "2026-06-23T10:15:00Z");
  fl_lead_add_interaction (extra, "handout-opened", "2026-06-23T11:15:00Z");
  fl_test_give_consent (extra, TRUE);
  g_assert_true (fl_store_save_lead (store, extra, "Tom", &error));
  fl_test_give_consent (extra, FALSE);
  g_assert_true (fl_store_save_lead (store, extra, "Tom", &error));
  g_assert_no_error (error);

  all = fl_store_list_leads (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, >, 3);
  /* Backwards, so that the order asked is not the order stored. */
  for (guint i = all->len; i-- > 0;)
    g_ptr_array_add (uuids, (gpointer) fl_lead_get_uuid (g_ptr_array_index (all, i)));
  alias_sql = g_strdup_printf ("INSERT INTO lead_aliases (alias, lead) "
                               "VALUES ('11111111-2222-4333-8444-555555555555', '%s')",
                               fl_lead_get_uuid (extra));
  g_assert_true (fl_store_exec (store, alias_sql, &error));
  g_ptr_array_add (uuids, (gpointer) "11111111-2222-4333-8444-555555555555");

  batch = fl_store_get_leads (store, (const char *const *) uuids->pdata, uuids->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (batch->len, ==, uuids->len);
  for (guint i = 0; i < uuids->len; i++)
    {
      g_autoptr(FlLead) one = fl_store_get_lead (store, g_ptr_array_index (uuids, i), &error);
      g_autoptr(JsonNode) expected = NULL;
      g_autoptr(JsonNode) got = NULL;

      g_assert_no_error (error);
      expected = fl_lead_to_json (one);
      got = fl_lead_to_json (g_ptr_array_index (batch, i));
      g_assert_true (json_node_equal (got, expected));
    }
  g_assert_nonnull (fl_lead_get_breakdown (g_ptr_array_index (batch, 0)));
  g_assert_cmpstr (fl_lead_get_uuid (g_ptr_array_index (batch, uuids->len - 1)), ==,
                   fl_lead_get_uuid (extra));
  g_assert_false (json_object_get_boolean_member (
    json_node_get_object (fl_lead_get_consent (g_ptr_array_index (batch, uuids->len - 1))), "given"));
  g_clear_pointer (&batch, g_ptr_array_unref);

  /* By lead id (the uploader's way), with whether each may be uploaded:
   * the same leads, and the answer fl_store_lead_upload_allowed() gives. */
  {
    g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
    g_autofree gint8 *allowed = g_new (gint8, all->len + 1);
    gint64 missing = G_MAXINT32;

    for (guint i = all->len; i-- > 0;)
      {
        sqlite3_stmt *stmt = fl_store_prepare (store, "SELECT id FROM leads WHERE uuid = ?", &error);
        gint64 id;

        g_assert_no_error (error);
        sqlite3_bind_text (stmt, 1, fl_lead_get_uuid (g_ptr_array_index (all, i)), -1, SQLITE_STATIC);
        g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
        id = sqlite3_column_int64 (stmt, 0);
        sqlite3_reset (stmt);
        g_array_append_val (ids, id);
      }
    batch = fl_store_get_leads_by_id (store, (const gint64 *) ids->data, ids->len, allowed, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (batch->len, ==, ids->len);
    for (guint i = 0; i < ids->len; i++)
      {
        const char *uuid = g_ptr_array_index (uuids, i);
        g_autoptr(FlLead) one = fl_store_get_lead (store, uuid, &error);
        g_autoptr(JsonNode) expected = NULL;
        g_autoptr(JsonNode) got = NULL;
        gboolean one_allowed = FALSE;

        g_assert_no_error (error);
        expected = fl_lead_to_json (one);
        got = fl_lead_to_json (g_ptr_array_index (batch, i));
        g_assert_true (json_node_equal (got, expected));
        g_assert_true (fl_store_lead_upload_allowed (store, uuid, &one_allowed, &error));
        g_assert_no_error (error);
        g_assert_cmpint (allowed[i], ==, one_allowed ? 1 : 0);
      }
    /* The lead whose latest consent is a refusal is held back. */
    for (guint i = 0; i < ids->len; i++)
      if (g_strcmp0 (fl_lead_get_uuid (g_ptr_array_index (batch, i)), fl_lead_get_uuid (extra)) == 0)
        g_assert_cmpint (allowed[i], ==, 0);
    g_clear_pointer (&batch, g_ptr_array_unref);

    g_array_insert_val (ids, 1, missing);
    batch = fl_store_get_leads_by_id (store, (const gint64 *) ids->data, ids->len, allowed, &error);
    g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
    g_assert_nonnull (strstr (error->message, "2147483647"));
    g_assert_null (batch);
    g_clear_error (&error);
    /* No read transaction is left open. */
    g_assert_true (fl_store_begin (store, &error));
    g_assert_no_error (error);
    g_assert_true (fl_store_commit (store, &error));
    g_assert_no_error (error);
  }

  g_ptr_array_insert (uuids, 1, (gpointer) "00000000-0000-4000-8000-000000000000");
  batch = fl_store_get_leads (store, (const char *const *) uuids->pdata, uuids->len, &error);
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "00000000-0000-4000-8000-000000000000"));
  g_assert_null (batch);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/store/create", test_create);
  ADD ("/store/reopen", test_reopen);
  ADD ("/store/migrate-from-every-version", test_migrate_from_every_version);
  ADD ("/store/refuse/newer", test_refuse_newer);
  ADD ("/store/refuse/not-a-database", test_refuse_not_database);
  ADD ("/store/refuse/other-sqlite", test_refuse_other_sqlite);
  ADD ("/store/empty-file", test_empty_file);
  ADD ("/store/env-path", test_env_path);
  ADD ("/store/events", test_events);
  ADD ("/store/leads", test_leads);
  ADD ("/store/breakdown", test_breakdown);
  ADD ("/store/get-leads", test_get_leads);
  ADD ("/store/search-folds-spellings", test_search_folds_spellings);
  ADD ("/store/search-fold-c-equals-sql", test_search_fold_c_equals_sql);
  ADD ("/store/search-outside-client", test_search_outside_client);
  ADD ("/store/outbox-rows", test_outbox_rows);
  ADD ("/store/reader-during-write", test_reader_during_write);
  ADD ("/store/rollback", test_rollback);
  ADD ("/store/second-connection-keeps-wal", test_second_connection_keeps_wal);
#undef ADD

  return g_test_run ();
}
