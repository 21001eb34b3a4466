/* test-replica.c: booth sync's change log, exchange and conflict rules
 *
 * Several kiosk databases (real SQLite files in one folder) exchange
 * changes through fl_replica_changes_since() / fl_replica_apply(), the
 * very bytes the network carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "booth/fl-replica.h"
#include "fl-test.h"
#include "store/fl-privacy.h"

#define N_KIOSKS 3

typedef struct
{
  char    *dir;
  FlStore *kiosks[N_KIOSKS];
  char    *paths[N_KIOSKS];
} Booth;

static void
booth_setup (Booth *booth, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  booth->dir = g_dir_make_tmp ("fairlead-replica-XXXXXX", &error);
  g_assert_no_error (error);
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_autofree char *name = g_strdup_printf ("kiosk-%c.db", 'a' + i);

      booth->paths[i] = g_build_filename (booth->dir, name, NULL);
      booth->kiosks[i] = fl_store_open (booth->paths[i], &error);
      g_assert_no_error (error);
    }
}

static void
booth_teardown (Booth *booth, gconstpointer data)
{
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      if (booth->kiosks[i] != NULL)
        g_assert_finalize_object (g_steal_pointer (&booth->kiosks[i]));
      g_free (booth->paths[i]);
    }
  fl_test_remove_tree (booth->dir);
  g_free (booth->dir);
}

/* One direction of a round: @to gets what it lacks of @from, in batches
 * of @max_bytes. Returns the bytes moved. */
static gsize
push (FlStore *from, FlStore *to, gsize max_bytes, FlReplicaStats *stats)
{
  g_autoptr(GError) error = NULL;
  gboolean more = TRUE;
  gsize moved = 0;

  while (more)
    {
      g_autoptr(JsonObject) vector = fl_replica_get_version_vector (to, &error);
      g_autoptr(GBytes) batch = NULL;

      g_assert_no_error (error);
      batch = fl_replica_changes_since (from, vector, max_bytes, &more, &error);
      g_assert_no_error (error);
      moved += g_bytes_get_size (batch);
      g_assert_true (fl_replica_apply (to, batch, stats, &error));
      g_assert_no_error (error);
    }
  return moved;
}

static void
round_trip (FlStore *a, FlStore *b)
{
  push (a, b, 0, NULL);
  push (b, a, 0, NULL);
}

/* What a kiosk shows of its leads, as one text to compare kiosks by. */
static char *
digest (FlStore *store)
{
  sqlite3_stmt *stmt = fl_store_prepare (store,
    "SELECT group_concat (line, char (10)) FROM (SELECT l.uuid || ' ' || coalesce (l.email, '-') || ' '"
    "  || coalesce (l.company, '-') || ' ' || coalesce (l.notes, '-') || ' ' || l.created_at || ' '"
    "  || s.score || ' ' || coalesce ((SELECT group_concat (question_id || '=' || value) FROM"
    "    (SELECT * FROM answers a WHERE a.lead_id = l.id ORDER BY question_id)), '') || ' '"
    "  || (SELECT count (*) FROM interactions i WHERE i.lead_id = l.id) || ' '"
    "  || coalesce ((SELECT group_concat (given || at) FROM (SELECT * FROM consents c"
    "    WHERE c.lead_id = l.id ORDER BY at, given)), '') AS line"
    "  FROM leads l JOIN lead_scores s ON s.lead_id = l.id ORDER BY l.uuid)",
    NULL);
  char *text = NULL;

  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text ? text : g_strdup ("");
}

static FlEvent *
create_event (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) settings = json_from_string ("{}", NULL);
  FlEvent event = { .name = (char *) "Hannover Messe", .booth = (char *) "B12", .settings = settings };
  FlEvent *created = fl_store_create_event (store, &event, &error);

  g_assert_no_error (error);
  return created;
}

static FlLead *
save (FlStore *store, const char *name, const char *email, const char *company)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(GError) error = NULL;

  fl_lead_set_source (lead, FL_SOURCE_MANUAL);
  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_field (lead, FL_FIELD_COMPANY, company);
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&lead);
}

static gint64
count (FlStore *store, const char *sql)
{
  return fl_test_query_int (store, sql);
}

/* Every kiosk ends with every lead, the same everywhere, also through a
 * kiosk in between (A↔B, B↔C), and a second round moves nothing new. */
static void
test_converge_transitive (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = create_event (booth->kiosks[0]);
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  FlReplicaStats stats = { 0 };

  /* B and C join the booth: they get its event from A. */
  push (booth->kiosks[0], booth->kiosks[1], 0, NULL);
  push (booth->kiosks[1], booth->kiosks[2], 0, NULL);
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_autoptr(FlEvent) active = fl_store_get_active_event (booth->kiosks[i], NULL);
      g_assert_nonnull (active);
      g_assert_cmpstr (active->uuid, ==, event->uuid);
    }

  for (guint i = 0; i < N_KIOSKS; i++)
    for (guint n = 0; n < 5; n++)
      {
        g_autofree char *name = g_strdup_printf ("Visitor %c%u", 'A' + i, n);
        g_autofree char *email = g_strdup_printf ("v%c%u@example.com", 'a' + i, n);
        g_autoptr(FlLead) lead = save (booth->kiosks[i], name, email, "ACME");
      }

  /* A and C never meet. */
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  round_trip (booth->kiosks[1], booth->kiosks[2]);
  round_trip (booth->kiosks[0], booth->kiosks[1]);

  a = digest (booth->kiosks[0]);
  b = digest (booth->kiosks[1]);
  c = digest (booth->kiosks[2]);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM leads"), ==, 15);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, ==, c);

  /* Nothing is lacking: nothing moves. */
  push (booth->kiosks[2], booth->kiosks[0], 0, &stats);
  g_assert_cmpuint (stats.applied, ==, 0);
  {
    g_autoptr(JsonObject) va = fl_replica_get_version_vector (booth->kiosks[0], NULL);
    g_autoptr(JsonObject) vc = fl_replica_get_version_vector (booth->kiosks[2], NULL);
    g_autoptr(JsonNode) na = json_node_init_object (json_node_alloc (), va);
    g_autoptr(JsonNode) nc = json_node_init_object (json_node_alloc (), vc);
    g_assert_true (json_node_equal (na, nc));
    g_assert_cmpuint (json_object_get_size (va), ==, N_KIOSKS);
  }
}

/* The same batch applied twice changes nothing the second time. */
static void
test_idempotent (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = create_event (booth->kiosks[0]);
  g_autoptr(FlLead) lead = save (booth->kiosks[0], "Ada Lovelace", "ada@example.com", "Analytical");
  g_autoptr(GBytes) batch = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *once = NULL, *twice = NULL;
  FlReplicaStats first = { 0 }, second = { 0 };

  batch = fl_replica_changes_since (booth->kiosks[0], NULL, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_replica_apply (booth->kiosks[1], batch, &first, &error));
  g_assert_no_error (error);
  once = digest (booth->kiosks[1]);
  g_assert_true (fl_replica_apply (booth->kiosks[1], batch, &second, &error));
  g_assert_no_error (error);
  twice = digest (booth->kiosks[1]);

  g_assert_cmpuint (first.applied, >, 0);
  g_assert_cmpuint (second.applied, ==, 0);
  g_assert_cmpuint (second.skipped, ==, first.applied);
  g_assert_cmpstr (once, ==, twice);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM leads"), ==, 1);
  /* Applied changes keep their origin and make no new ones. */
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM changes WHERE device = "
                                            "(SELECT value FROM meta WHERE key = 'device_id')"), ==, 0);
}

/* Bytes that are not a batch, and batches of a newer protocol, are
 * refused with nothing written. */
static void
test_refuses_bad_batches (Booth *booth, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) garbage = g_bytes_new_static ("hello", 5);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  const char *newer = "{\"protocol\":99,\"device\":\"x\",\"changes\":[],\"devices\":[]}";
  const char *gap = "{\"protocol\":1,\"device\":\"x\",\"devices\":[\"x\"],\"changes\":"
                    "[[0,1,1,\"staff\",\"Tom\",\"{\\\"pin_hash\\\":\\\"h\\\",\\\"created_at\\\":\\\"t\\\"}\"],"
                    "[0,3,2,\"staff\",\"Eve\",\"{}\"]]}";
  const char *table = "{\"protocol\":1,\"device\":\"x\",\"devices\":[\"x\"],\"changes\":"
                      "[[0,1,1,\"connectors\",\"hook\",\"{}\"]]}";
  const char *texts[] = { newer, gap, table };
  const int codes[] = { FL_REPLICA_ERROR_TOO_NEW, FL_REPLICA_ERROR_INVALID, FL_REPLICA_ERROR_INVALID };

  g_assert_false (fl_replica_apply (booth->kiosks[0], garbage, NULL, &error));
  g_assert_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_INVALID);
  g_clear_error (&error);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GByteArray) packed = g_byte_array_new ();
      g_autoptr(GBytes) batch = NULL;
      guint8 buffer[4096];
      gsize read, written;

      g_converter_reset (G_CONVERTER (compressor));
      g_converter_convert (G_CONVERTER (compressor), texts[i], strlen (texts[i]), buffer,
                           sizeof buffer, G_CONVERTER_INPUT_AT_END, &read, &written, &error);
      g_assert_no_error (error);
      g_byte_array_append (packed, buffer, written);
      batch = g_byte_array_free_to_bytes (g_steal_pointer (&packed));
      g_assert_false (fl_replica_apply (booth->kiosks[0], batch, NULL, &error));
      g_assert_error (error, FL_REPLICA_ERROR, codes[i]);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM staff"), ==, 0);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM changes WHERE device = 'x'"), ==, 0);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM meta WHERE key = 'replica.applying'"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/replica/converge-transitive", Booth, NULL, booth_setup, test_converge_transitive, booth_teardown);
  g_test_add ("/replica/idempotent", Booth, NULL, booth_setup, test_idempotent, booth_teardown);
  g_test_add ("/replica/refuses-bad-batches", Booth, NULL, booth_setup, test_refuses_bad_batches, booth_teardown);

  return g_test_run ();
}
