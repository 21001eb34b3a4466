/* test-replica.c: booth sync's change log, exchange and conflict rules
 *
 * Several kiosk databases (real SQLite files in one folder) exchange
 * changes through fl_replica_changes_since() / fl_replica_apply(), the
 * very bytes the network carries.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sysexits.h>

#include <glib/gstdio.h>

#include "booth/fl-booth.h"
#include "booth/fl-replica.h"
#include "fl-test.h"
#include "score/fl-model-store.h"
#include "store/fl-audit.h"
#include "store/fl-staff.h"
#include "store/fl-privacy.h"
#include "sync-test-server.h"
#include "sync/fl-uploader.h"

#define N_KIOSKS 3

typedef struct
{
  char    *dir;
  FlStore *kiosks[N_KIOSKS];
  char    *paths[N_KIOSKS];
} Booth;

/* A kiosk logs its changes only in a booth (schema 11): it makes one of
 * its own, the way "booth create" does (the snapshot included). */
static guint
join_booth (FlStore *store)
{
  guint before = fl_test_query_int (store, "SELECT count (*) FROM changes");

  fl_test_make_booth (store);
  return fl_test_query_int (store, "SELECT count (*) FROM changes") - before;
}

/* Takes a kiosk out of its booth, as "booth leave" does. */
static void
leave_booth (FlStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_booth_forget (store, &error));
  g_assert_no_error (error);
}

/* Opens the kiosks of a test, in no booth yet. */
static void
alone_setup (Booth *booth, gconstpointer data)
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
booth_setup (Booth *booth, gconstpointer data)
{
  alone_setup (booth, data);
  for (guint i = 0; i < N_KIOSKS; i++)
    join_booth (booth->kiosks[i]);
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
  /* Each kiosk finds the leads applied from the others by its own event
   * key (schema 10), which the change log does not carry. */
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      FlLeadQuery query = { .event = event->uuid };

      g_assert_cmpint (fl_store_count_leads (booth->kiosks[i], &query, NULL), ==, 15);
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM leads WHERE event_key IS NOT "
                                                "(SELECT id FROM event_keys WHERE uuid = event)"), ==, 0);
    }

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

/* Two kiosks event-ready, as after "booth join". */
static FlEvent *
join (Booth *booth)
{
  FlEvent *event = create_event (booth->kiosks[0]);

  for (guint i = 1; i < N_KIOSKS; i++)
    push (booth->kiosks[0], booth->kiosks[i], 0, NULL);
  return event;
}

static FlLead *
get (FlStore *store, const char *uuid)
{
  g_autoptr(GError) error = NULL;
  FlLead *lead = fl_store_get_lead (store, uuid, &error);

  g_assert_no_error (error);
  return lead;
}

/* The same visitor met at two kiosks before they synced is one lead on
 * every kiosk: the earlier capture, with the notes and interactions of
 * both, found under either uuid. */
static void
test_same_visitor (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) first = save (booth->kiosks[0], "Erika Muster", "erika@example.com", NULL);
  g_autoptr(FlLead) second = NULL;
  g_autoptr(FlLead) seen = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *a = NULL, *b = NULL, *c = NULL;
  FlReplicaStats stats = { 0 };

  g_usleep (3000);
  second = fl_lead_new ();
  fl_lead_set_source (second, FL_SOURCE_BADGE);
  fl_lead_set_field (second, FL_FIELD_FULL_NAME, "Erika Muster");
  fl_lead_set_field (second, FL_FIELD_EMAIL, "ERIKA@example.com");
  fl_lead_set_field (second, FL_FIELD_COMPANY, "Muster GmbH");
  fl_lead_set_notes (second, "wants a demo");
  fl_lead_add_interaction (second, "demo", "2026-12-04T10:00:00.000Z");
  g_assert_true (fl_store_save_lead (booth->kiosks[1], second, "Lena", &error));
  g_assert_no_error (error);
  fl_lead_set_notes (first, "met at the bar");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], first, "Tom", &error));

  push (booth->kiosks[1], booth->kiosks[0], 0, &stats);
  g_assert_cmpuint (stats.merged, ==, 1);
  push (booth->kiosks[0], booth->kiosks[1], 0, NULL);
  /* C hears of both only through B. */
  push (booth->kiosks[1], booth->kiosks[2], 0, NULL);

  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_autoptr(FlLead) by_second = get (booth->kiosks[i], fl_lead_get_uuid (second));

      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM leads"), ==, 1);
      g_assert_cmpstr (fl_lead_get_uuid (by_second), ==, fl_lead_get_uuid (first));
      g_assert_cmpstr (fl_lead_get_field (by_second, FL_FIELD_COMPANY), ==, "Muster GmbH");
      g_assert_nonnull (strstr (fl_lead_get_notes (by_second), "met at the bar"));
      g_assert_nonnull (strstr (fl_lead_get_notes (by_second), "wants a demo"));
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM interactions WHERE kind = 'demo'"), ==, 1);
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM lead_aliases"), ==, 1);
      /* Its history holds both captures. */
      {
        g_autoptr(GPtrArray) history = fl_store_list_audit (booth->kiosks[i], fl_lead_get_uuid (first), NULL);
        guint captured = 0;

        for (guint h = 0; h < history->len; h++)
          captured += g_str_equal (((FlAuditEntry *) history->pdata[h])->action, "captured");
        g_assert_cmpuint (captured, ==, 2);
      }
    }
  a = digest (booth->kiosks[0]);
  b = digest (booth->kiosks[1]);
  c = digest (booth->kiosks[2]);
  g_assert_cmpstr (a, ==, b);
  g_assert_cmpstr (b, ==, c);

  /* An edit made under the old uuid on a kiosk that had not heard of the
   * merge lands on the one lead. */
  seen = get (booth->kiosks[2], fl_lead_get_uuid (first));
  fl_lead_set_field (seen, FL_FIELD_TITLE, "CTO");
  g_assert_true (fl_store_save_lead (booth->kiosks[2], seen, "Lena", &error));
  g_assert_no_error (error);
  push (booth->kiosks[2], booth->kiosks[0], 0, NULL);
  g_clear_object (&seen);
  seen = get (booth->kiosks[0], fl_lead_get_uuid (second));
  g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_TITLE), ==, "CTO");
}

/* A new lead's change names only the fields it has (the log's largest
 * rows, half of them empty fields before); an empty field is empty on
 * every kiosk, and a field emptied later is emptied everywhere. */
static void
test_empty_fields (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) lead = save (booth->kiosks[0], "Max Mustermann", "max@example.com", "Acme");
  g_autoptr(FlLead) on_a = NULL, on_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;

  sql = g_strdup_printf ("SELECT count(*) FROM changes WHERE tbl = 'leads' AND row_key = '%s' "
                         "AND json_type (data, '$.company') = 'text' "
                         "AND json_type (data, '$.phone') IS NULL AND data NOT LIKE '%%null%%'",
                         fl_lead_get_uuid (lead));
  g_assert_cmpint (count (booth->kiosks[0], sql), ==, 1);

  round_trip (booth->kiosks[0], booth->kiosks[1]);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  g_assert_cmpstr (fl_lead_get_field (on_b, FL_FIELD_COMPANY), ==, "Acme");
  g_assert_null (fl_lead_get_field (on_b, FL_FIELD_PHONE));
  g_assert_null (fl_lead_get_field (on_b, FL_FIELD_WEBSITE));

  on_a = get (booth->kiosks[0], fl_lead_get_uuid (lead));
  fl_lead_set_field (on_a, FL_FIELD_PHONE, "+49 30 1234");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], on_a, "Tom", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_clear_object (&on_b);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  g_assert_cmpstr (fl_lead_get_field (on_b, FL_FIELD_PHONE), ==, "+49 30 1234");

  g_clear_object (&on_a);
  on_a = get (booth->kiosks[0], fl_lead_get_uuid (lead));
  fl_lead_set_field (on_a, FL_FIELD_PHONE, NULL);
  g_assert_true (fl_store_save_lead (booth->kiosks[0], on_a, "Tom", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_clear_object (&on_b);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  g_assert_null (fl_lead_get_field (on_b, FL_FIELD_PHONE));
  g_assert_cmpstr (fl_lead_get_field (on_b, FL_FIELD_COMPANY), ==, "Acme");
}

/* Two kiosks edit the same field offline: the later edit by the hybrid
 * clock wins on both; a kiosk whose clock runs a year ahead wins only
 * until the others have seen its change. */
static void
test_concurrent_edits (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) lead = save (booth->kiosks[0], "Max Mustermann", "max@example.com", "Old");
  g_autoptr(FlLead) on_a = NULL, on_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device_a = NULL;
  g_autofree char *sql = NULL;

  round_trip (booth->kiosks[0], booth->kiosks[1]);
  on_a = get (booth->kiosks[0], fl_lead_get_uuid (lead));
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));

  fl_lead_set_field (on_a, FL_FIELD_COMPANY, "Alpha");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], on_a, "Tom", &error));
  g_usleep (2000);
  fl_lead_set_field (on_b, FL_FIELD_COMPANY, "Beta");
  fl_lead_set_field (on_b, FL_FIELD_TITLE, "Buyer");
  g_assert_true (fl_store_save_lead (booth->kiosks[1], on_b, "Lena", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FlLead) now = get (booth->kiosks[i], fl_lead_get_uuid (lead));
      g_assert_cmpstr (fl_lead_get_field (now, FL_FIELD_COMPANY), ==, "Beta");
      g_assert_cmpstr (fl_lead_get_field (now, FL_FIELD_TITLE), ==, "Buyer");
    }

  /* A's clock jumps a year ahead; its next edit wins over B's later one. */
  device_a = g_strdup (fl_replica_get_device_id (booth->kiosks[0], &error));
  fl_lead_set_field (on_a, FL_FIELD_COMPANY, "Future");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], on_a, "Tom", &error));
  sql = g_strdup_printf ("UPDATE changes SET hlc = hlc + (31536000000 << 16) WHERE device = '%s' "
                         "AND seq >= (SELECT max (seq) FROM changes WHERE device = '%s' AND tbl = 'leads')",
                         device_a, device_a);
  g_assert_true (fl_store_exec (booth->kiosks[0], sql, &error));
  g_clear_object (&on_b);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  fl_lead_set_field (on_b, FL_FIELD_COMPANY, "Present");
  g_assert_true (fl_store_save_lead (booth->kiosks[1], on_b, "Lena", &error));
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FlLead) now = get (booth->kiosks[i], fl_lead_get_uuid (lead));
      g_assert_cmpstr (fl_lead_get_field (now, FL_FIELD_COMPANY), ==, "Future");
    }
  /* B has seen the future now: its clock moved past it, its edit wins. */
  g_clear_object (&on_b);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  fl_lead_set_field (on_b, FL_FIELD_COMPANY, "Fixed");
  g_assert_true (fl_store_save_lead (booth->kiosks[1], on_b, "Lena", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FlLead) now = get (booth->kiosks[i], fl_lead_get_uuid (lead));
      g_assert_cmpstr (fl_lead_get_field (now, FL_FIELD_COMPANY), ==, "Fixed");
    }
}

static void
set_consent (FlLead *lead, gboolean given, const char *at)
{
  g_autoptr(JsonNode) consent = json_from_string ("{\"version\":\"1\",\"method\":\"checkbox\"}", NULL);

  json_object_set_boolean_member (json_node_get_object (consent), "given", given);
  json_object_set_string_member (json_node_get_object (consent), "at", at);
  fl_lead_set_consent (lead, consent);
}

static gboolean
allowed (FlStore *store, const char *uuid)
{
  g_autoptr(GError) error = NULL;
  gboolean result = FALSE;

  g_assert_true (fl_store_lead_upload_allowed (store, uuid, &result, &error));
  g_assert_no_error (error);
  return result;
}

/* A withdrawal wins over an older consent, whichever arrives last, on
 * every kiosk. */
static void
test_consent_withdrawal (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) on_b = NULL;
  g_autoptr(GError) error = NULL;

  fl_lead_set_source (lead, FL_SOURCE_MANUAL);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "paula@example.com");
  set_consent (lead, TRUE, "2026-12-04T09:00:00.000Z");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], lead, "Tom", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_assert_true (allowed (booth->kiosks[1], fl_lead_get_uuid (lead)));

  /* B: the visitor withdraws at 11:00. A, not yet in touch, records a
   * consent of 10:00 (typed in late from a paper form). */
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  set_consent (on_b, FALSE, "2026-12-04T11:00:00.000Z");
  g_assert_true (fl_store_save_lead (booth->kiosks[1], on_b, "Lena", &error));
  set_consent (lead, TRUE, "2026-12-04T10:00:00.000Z");
  g_assert_true (fl_store_save_lead (booth->kiosks[0], lead, "Tom", &error));
  g_assert_no_error (error);
  g_assert_true (allowed (booth->kiosks[0], fl_lead_get_uuid (lead)));

  round_trip (booth->kiosks[1], booth->kiosks[0]);
  push (booth->kiosks[0], booth->kiosks[2], 0, NULL);
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_autoptr(FlLead) now = get (booth->kiosks[i], fl_lead_get_uuid (lead));
      JsonNode *consent = fl_lead_get_consent (now);

      g_assert_false (allowed (booth->kiosks[i], fl_lead_get_uuid (lead)));
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM consents"), ==, 3);
      g_assert_false (json_object_get_boolean_member (json_node_get_object (consent), "given"));
    }
}

/* Erasing a lead on one kiosk erases it on all, and the log keeps no
 * trace of the person. */
static void
test_erase_travels (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) lead = save (booth->kiosks[0], "Quendolin Zwirbelmeier", "q@quokka.example", "Quokka");
  g_autoptr(FlLead) kept = save (booth->kiosks[0], "Ada Lovelace", "ada@example.com", "Analytical");
  g_autoptr(GError) error = NULL;

  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_assert_true (fl_privacy_erase_lead (booth->kiosks[1], fl_lead_get_uuid (lead), "Marketing", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  push (booth->kiosks[0], booth->kiosks[2], 0, NULL);
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM leads"), ==, 1);
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM changes WHERE data LIKE '%Zwirbelmeier%' "
                                                "OR data LIKE '%quokka%'"), ==, 0);
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM changes WHERE data LIKE '%Lovelace%'"), >, 0);
    }
}

static void
add_hook (FlStore *store, const char *url)
{
  g_autoptr(FlOutbox) outbox = fl_outbox_new (store);
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_outbox_add_connector (outbox, "hook", "webhook", url, options, NULL, &error));
  g_assert_no_error (error);
}

static void
upload (FlStore *store)
{
  g_autoptr(FlUploader) uploader = fl_uploader_new (store);
  g_auto(FlUploadSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error));
  g_assert_no_error (error);
}

/* Two kiosks that both hold a lead and both are online: when they race,
 * both requests carry the same Idempotency-Key and the receiver stores it
 * once; once one delivered and they synced, the other sends nothing. */
static void
test_upload_race (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = g_strconcat (server->http.url, "/hook", NULL);
  g_autoptr(FlLead) raced = fl_lead_new ();
  g_autoptr(FlLead) second = fl_lead_new ();
  g_autoptr(GError) error = NULL;
  guint requests;

  for (guint i = 0; i < 2; i++)
    add_hook (booth->kiosks[i], url);
  fl_lead_set_source (raced, FL_SOURCE_MANUAL);
  fl_lead_set_field (raced, FL_FIELD_EMAIL, "race@example.com");
  fl_test_give_consent (raced, TRUE);
  g_assert_true (fl_store_save_lead (booth->kiosks[0], raced, "Tom", &error));
  g_assert_no_error (error);
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 1);

  /* Both send before they hear of each other's delivery. */
  upload (booth->kiosks[0]);
  upload (booth->kiosks[1]);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (raced)), ==, 1);
  {
    ServerRequest *a = server_get_request (server, 0);
    ServerRequest *b = server_get_request (server, 1);
    g_assert_nonnull (a->idempotency_key);
    g_assert_cmpstr (a->idempotency_key, ==, b->idempotency_key);
  }

  /* Delivered by A, synced, then B goes online: B sends nothing. */
  fl_lead_set_source (second, FL_SOURCE_MANUAL);
  fl_lead_set_field (second, FL_FIELD_EMAIL, "second@example.com");
  fl_test_give_consent (second, TRUE);
  g_assert_true (fl_store_save_lead (booth->kiosks[0], second, "Tom", &error));
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  upload (booth->kiosks[0]);
  requests = server->requests->len;
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM outbox WHERE state <> 'done'"), ==, 0);
  upload (booth->kiosks[1]);
  g_assert_cmpuint (server->requests->len, ==, requests);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (second)), ==, 1);

  /* An edit on B is a new revision: B sends it. */
  {
    g_autoptr(FlLead) edited = get (booth->kiosks[1], fl_lead_get_uuid (second));
    g_autofree char *now = fl_now_iso8601 ();

    fl_lead_set_field (edited, FL_FIELD_COMPANY, "Second GmbH");
    fl_lead_set_updated_at (edited, now);
    g_assert_true (fl_store_save_lead (booth->kiosks[1], edited, "Lena", &error));
    g_assert_no_error (error);
  }
  upload (booth->kiosks[1]);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (second)), ==, 2);
  /* The connectors, their secrets and the outbox's progress stay home. */
  g_assert_cmpint (count (booth->kiosks[2], "SELECT count(*) FROM changes WHERE tbl = 'connectors'"), ==, 0);
}

static gint64
outbox_rows (FlStore *store, const char *uuid, const char *state)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM outbox o JOIN leads l ON l.id = o.lead_id "
                                          "WHERE l.uuid = '%s' AND o.state = '%s'",
                                          uuid, state);

  return count (store, sql);
}

/* Kiosk A withdraws a visitor's consent while kiosk B, which holds the
 * lead with consent given and a connector, is about to upload it. Synced
 * first, B sends nothing: applying the withdrawal deletes B's waiting row.
 * Sent first, the delivery stays recorded and no second send happens. */
static void
test_withdrawal_races_upload (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(Server) server = server_new (NULL);
  g_autofree char *url = g_strconcat (server->http.url, "/hook", NULL);
  g_autoptr(FlLead) synced_first = fl_lead_new ();
  g_autoptr(FlLead) sent_first = fl_lead_new ();
  g_autoptr(GError) error = NULL;
  FlLead *leads[] = { synced_first, sent_first };

  for (guint i = 0; i < 2; i++)
    add_hook (booth->kiosks[i], url);
  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autofree char *email = g_strdup_printf ("visitor%u@example.com", i);

      fl_lead_set_source (leads[i], FL_SOURCE_MANUAL);
      fl_lead_set_field (leads[i], FL_FIELD_EMAIL, email);
      set_consent (leads[i], TRUE, "2026-12-04T09:00:00.000Z");
      g_assert_true (fl_store_save_lead (booth->kiosks[0], leads[i], "Tom", &error));
      g_assert_no_error (error);
    }
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_assert_cmpint (outbox_rows (booth->kiosks[1], fl_lead_get_uuid (leads[i]), "pending"), ==, 1);
      g_assert_true (allowed (booth->kiosks[1], fl_lead_get_uuid (leads[i])));
    }

  /* B is quicker for the second visitor only: it goes before A's
   * withdrawal reaches B (a one-lead batch: the other is held back). */
  {
    g_autoptr(FlUploader) uploader = fl_uploader_new (booth->kiosks[1]);
    g_auto(FlUploadSummary) summary = { 0 };
    g_autofree char *sql = g_strdup_printf ("UPDATE outbox SET next_attempt_at = '2999-01-01T00:00:00Z' "
                                            "WHERE lead_id = (SELECT id FROM leads WHERE uuid = '%s')",
                                            fl_lead_get_uuid (synced_first));

    g_assert_true (fl_store_exec (booth->kiosks[1], sql, &error));
    g_assert_no_error (error);
    g_assert_true (fl_uploader_run (uploader, NULL, 0, NULL, &summary, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (sent_first)), ==, 1);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (synced_first)), ==, 0);
  g_assert_cmpint (outbox_rows (booth->kiosks[1], fl_lead_get_uuid (sent_first), "done"), ==, 1);

  /* A, not yet in touch, withdraws both at 11:00. */
  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      set_consent (leads[i], FALSE, "2026-12-04T11:00:00.000Z");
      g_assert_true (fl_store_save_lead (booth->kiosks[0], leads[i], "Tom", &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 0);
  round_trip (booth->kiosks[0], booth->kiosks[1]);

  /* Synced first: B's waiting row is gone, with the reason in the audit. */
  g_assert_false (allowed (booth->kiosks[1], fl_lead_get_uuid (synced_first)));
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM outbox WHERE state IN ('pending', 'failed', 'sending')"),
                   ==, 0);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM audit WHERE action = 'upload-withheld'"), >=, 1);
  /* Sent first: the delivery is recorded on B, and known to A. */
  g_assert_cmpint (outbox_rows (booth->kiosks[1], fl_lead_get_uuid (sent_first), "done"), ==, 1);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM changes WHERE tbl = 'outbox'"), ==, 1);

  /* Both go online (B's held-back row included): nothing more is sent. */
  g_assert_true (fl_store_exec (booth->kiosks[1], "UPDATE outbox SET next_attempt_at = NULL", &error));
  g_assert_no_error (error);
  upload (booth->kiosks[0]);
  upload (booth->kiosks[1]);
  g_assert_cmpuint (server->requests->len, ==, 1);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (synced_first)), ==, 0);
  g_assert_cmpuint (server_count_stored (server, fl_lead_get_uuid (sent_first)), ==, 1);

  /* And so it stays after another round and a third kiosk. */
  round_trip (booth->kiosks[0], booth->kiosks[1]);
  push (booth->kiosks[1], booth->kiosks[2], 0, NULL);
  add_hook (booth->kiosks[2], url);
  for (guint i = 0; i < N_KIOSKS; i++)
    {
      upload (booth->kiosks[i]);
      g_assert_false (allowed (booth->kiosks[i], fl_lead_get_uuid (synced_first)));
      g_assert_false (allowed (booth->kiosks[i], fl_lead_get_uuid (sent_first)));
    }
  g_assert_cmpuint (server->requests->len, ==, 1);
}

/* Adds @n leads in one transaction: a kiosk after a busy day. */
static void
fill (FlStore *store, const char *tag, guint n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_store_begin (store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autofree char *email = g_strdup_printf ("%s.%u@example.com", tag, i);
      g_autofree char *name = g_strdup_printf ("%s Visitor %u", tag, i);

      fl_lead_set_source (lead, FL_SOURCE_BADGE);
      fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, "Example AG");
      fl_lead_set_answer (lead, "budget", json_node_init_string (json_node_alloc (), "50k"));
      fl_lead_add_interaction (lead, "badge-scan", NULL);
      g_assert_true (fl_store_save_lead_in_transaction (store, lead, "Tom", &error));
      g_assert_no_error (error);
    }
  g_assert_true (fl_store_commit (store, &error));
}

static GSubprocess *
spawn_cli (GError **error, const char *db, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  va_list ap;
  const char *arg;

  g_ptr_array_add (args, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  return g_subprocess_newv ((const char *const *) args->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, error);
}

static int
run_cli (char **out, const char *db, ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  va_list ap;
  const char *arg;

  g_ptr_array_add (args, (gpointer) g_getenv ("FAIRLEAD_CLI"));
  g_ptr_array_add (args, (gpointer) "--db");
  g_ptr_array_add (args, (gpointer) db);
  va_start (ap, db);
  while ((arg = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (args, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);
  process = g_subprocess_newv ((const char *const *) args->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, out, &err, &error));
  g_assert_no_error (error);
  g_test_message ("stderr: %s", err);
  return g_subprocess_get_exit_status (process);
}

static void
close_kiosk (Booth *booth, guint i)
{
  g_assert_finalize_object (g_steal_pointer (&booth->kiosks[i]));
}

static void
reopen_kiosk (Booth *booth, guint i)
{
  g_autoptr(GError) error = NULL;

  booth->kiosks[i] = fl_store_open (booth->paths[i], &error);
  g_assert_no_error (error);
}

/* `fairlead-cli merge FILE.db` in a process of its own gives what the
 * network exchange gives; merging again changes nothing; the file is
 * left as it was; what is not a Fairlead database is refused. */
static void
test_cli_merge_equals_exchange (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(FlLead) same_b = NULL;
  g_autofree char *copy = g_build_filename (booth->dir, "kiosk-b-copy.db", NULL);
  g_autofree char *text = g_build_filename (booth->dir, "notes.txt", NULL);
  g_autofree char *missing = g_build_filename (booth->dir, "missing.db", NULL);
  g_autofree char *out = NULL, *exchanged = NULL, *merged = NULL, *a_before = NULL, *a_after = NULL;
  g_autofree char *set_uuid = NULL;

  fill (booth->kiosks[0], "a", 40);
  fill (booth->kiosks[1], "b", 25);
  /* One visitor met at both. */
  {
    g_autoptr(FlLead) same_a = save (booth->kiosks[0], "Erika Muster", "erika@example.com", "Muster");
    same_b = save (booth->kiosks[1], "Erika Muster", "erika@example.com", "Muster GmbH");
  }
  a_before = digest (booth->kiosks[0]);
  close_kiosk (booth, 1);
  {
    g_autoptr(GFile) from = g_file_new_for_path (booth->paths[1]);
    g_autoptr(GFile) to = g_file_new_for_path (copy);
    g_autoptr(GError) error = NULL;
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
  }
  reopen_kiosk (booth, 1);
  push (booth->kiosks[0], booth->kiosks[1], 0, NULL);
  exchanged = digest (booth->kiosks[1]);

  g_assert_cmpint (run_cli (&out, copy, "merge", booth->paths[0], NULL), ==, EX_OK);
  g_assert_nonnull (strstr (out, "1 visitors merged"));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, copy, "merge", booth->paths[0], NULL), ==, EX_OK);
  g_assert_nonnull (strstr (out, "0 changes applied"));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlStore) store = fl_store_open (copy, &error);
    g_assert_no_error (error);
    merged = digest (store);
    g_assert_cmpint (count (store, "SELECT count(*) FROM leads"), ==, 40 + 25 + 1);
  }
  g_assert_cmpstr (merged, ==, exchanged);
  a_after = digest (booth->kiosks[0]);
  g_assert_cmpstr (a_before, ==, a_after);

  g_assert_true (g_file_set_contents (text, "not a database", -1, NULL));
  g_assert_cmpint (run_cli (NULL, copy, "merge", text, NULL), ==, EX_DATAERR);
  g_assert_cmpint (run_cli (NULL, copy, "merge", missing, NULL), ==, EX_NOINPUT);

  /* leads set: audited like a back-office edit, an unknown field refused. */
  set_uuid = g_strdup (fl_lead_get_uuid (same_b));
  g_assert_cmpint (run_cli (NULL, copy, "leads", "set", set_uuid, "title=CFO", "notes=call back", NULL), ==, EX_OK);
  g_assert_cmpint (run_cli (NULL, copy, "leads", "set", set_uuid, "shoe_size=44", NULL), ==, EX_USAGE);
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FlStore) store = fl_store_open (copy, &error);
    g_autoptr(FlLead) lead = get (store, set_uuid);

    g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_TITLE), ==, "CFO");
    g_assert_cmpstr (fl_lead_get_notes (lead), ==, "call back");
    g_assert_cmpint (count (store, "SELECT count(*) FROM audit WHERE action = 'updated' AND lead_uuid = "
                                   "(SELECT uuid FROM leads WHERE title = 'CFO')"), ==, 1);
  }
}

/* A merge killed with SIGKILL half-way keeps what it committed; the next
 * merge completes it, to the same result as one that was not killed. */
static void
test_cli_merge_killed (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL, *resumed = NULL, *out = NULL;
  gint64 total, partial = 0;
  sqlite3 *watch = NULL;

  fill (booth->kiosks[0], "a", 3000);
  total = count (booth->kiosks[0], "SELECT count(*) FROM changes");
  expected = digest (booth->kiosks[0]);
  close_kiosk (booth, 2);

  process = spawn_cli (&error, booth->paths[2], "merge", booth->paths[0], NULL);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (booth->paths[2], &watch, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (watch, 1000);
  for (guint i = 0; i < 20000 && partial == 0; i++)
    {
      sqlite3_stmt *stmt = NULL;

      g_usleep (1000);
      if (sqlite3_prepare_v2 (watch, "SELECT count(*) FROM changes", -1, &stmt, NULL) == SQLITE_OK &&
          sqlite3_step (stmt) == SQLITE_ROW)
        partial = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      /* Only the event it already had: the merge has not committed yet. */
      if (partial <= 1)
        partial = 0;
    }
  g_subprocess_force_exit (process);
  g_subprocess_wait (process, NULL, NULL);
  sqlite3_close (watch);
  g_test_message ("killed after %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " changes", partial, total);
  g_assert_cmpint (partial, >, 1);
  g_assert_cmpint (partial, <, total);
  g_assert_false (g_subprocess_get_if_exited (process));

  g_assert_cmpint (run_cli (&out, booth->paths[2], "merge", booth->paths[0], NULL), ==, EX_OK);
  reopen_kiosk (booth, 2);
  resumed = digest (booth->kiosks[2]);
  g_assert_cmpstr (resumed, ==, expected);
  g_assert_cmpint (count (booth->kiosks[2], "SELECT count(*) FROM changes"), ==, total);
}

/* A kiosk put back to an older copy of its database numbers new changes
 * like ones the booth has: it is told, and nothing is lost silently. */
static void
test_restored_copy_refused (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = join (booth);
  g_autofree char *copy = g_build_filename (booth->dir, "kiosk-b-backup.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) vector = NULL;
  g_autoptr(GBytes) batch = NULL;

  close_kiosk (booth, 1);
  {
    g_autoptr(GFile) from = g_file_new_for_path (booth->paths[1]);
    g_autoptr(GFile) to = g_file_new_for_path (copy);
    g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  }
  reopen_kiosk (booth, 1);
  {
    g_autoptr(FlLead) lost = save (booth->kiosks[1], "Before Restore", "before@example.com", NULL);
  }
  push (booth->kiosks[1], booth->kiosks[0], 0, NULL);
  close_kiosk (booth, 1);
  g_assert_true (g_rename (copy, booth->paths[1]) == 0);
  reopen_kiosk (booth, 1);
  {
    g_autoptr(FlLead) other = save (booth->kiosks[1], "After Restore", "after@example.com", NULL);
  }
  /* A holds B's changes as B made them before the restore. */
  vector = fl_replica_get_version_vector (booth->kiosks[0], &error);
  json_object_set_int_member (vector, fl_store_get_device_id (booth->kiosks[1]), 0);
  batch = fl_replica_changes_since (booth->kiosks[1], vector, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (fl_replica_apply (booth->kiosks[0], batch, NULL, &error));
  g_assert_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_SAME_DEVICE);
  g_test_message ("%s", error->message);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM leads WHERE email = 'after@example.com'"), ==, 0);
}

#define MODEL_JSON                                                                                 \
  "{\"name\": \"Booth test\", \"version\": 1, \"agreed_by\": [\"Marketing\", \"Sales\"],"        \
  " \"consent\": {\"version\": \"1\", \"text\": {\"en\": \"Yes.\", \"de\": \"Ja.\"}},"           \
  " \"questions\": [{\"id\": \"timeframe\", \"type\": \"single\", \"group\": \"fit\","             \
  "   \"label\": {\"en\": \"Timeframe\", \"de\": \"Zeitrahmen\"},"                                 \
  "   \"options\": [{\"id\": \"now\", \"label\": {\"en\": \"now\", \"de\": \"sofort\"}, \"points\": 25}," \
  "                 {\"id\": \"later\", \"label\": {\"en\": \"later\", \"de\": \"später\"}, \"points\": 5}]}]," \
  " \"interactions\": [{\"kind\": \"demo\", \"label\": {\"en\": \"Demo\", \"de\": \"Demo\"}, \"points\": 10}]," \
  " \"thresholds\": {\"sal\": 30}}"

/* A kiosk that joins gets the event with its settings and scoring model,
 * the staff and the roster — never the connectors — and scores the
 * booth's leads with the model as the others do. */
static void
test_join_brings_setup (Booth *booth, gconstpointer data)
{
  g_autoptr(FlEvent) event = create_event (booth->kiosks[0]);
  g_autoptr(GBytes) bytes = g_bytes_new_static (MODEL_JSON, strlen (MODEL_JSON));
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlOutbox) outbox = fl_outbox_new (booth->kiosks[0]);
  g_autoptr(JsonObject) options = json_object_new ();
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) on_b = NULL;
  g_autoptr(FlEvent) event_b = NULL;
  g_autoptr(GError) error = NULL;

  model = fl_model_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (fl_model_store_activate (booth->kiosks[0], model, "Tom", &error));
  g_assert_no_error (error);
  g_assert_true (fl_staff_set (booth->kiosks[0], "Lena", "4711", &error));
  g_assert_true (fl_store_exec (booth->kiosks[0],
    "INSERT INTO attendees (event, badge_id, full_name, email, imported_at)"
    "  SELECT uuid, 'B-7', 'Rita Roster', 'rita@example.com', 'x' FROM events", &error));
  g_assert_no_error (error);
  g_clear_pointer (&event, fl_event_free);
  event = fl_store_get_active_event (booth->kiosks[0], &error);
  json_object_set_boolean_member (json_node_get_object (event->settings), "consent_required", FALSE);
  g_assert_true (fl_store_update_event (booth->kiosks[0], event, &error));
  g_assert_no_error (error);
  g_assert_true (fl_outbox_add_connector (outbox, "crm", "webhook", "https://crm.example/hook",
                                          options, NULL, &error));
  g_assert_no_error (error);

  fl_lead_set_source (lead, FL_SOURCE_MANUAL);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "sal@example.com");
  fl_lead_set_answer (lead, "timeframe", json_node_init_string (json_node_alloc (), "now"));
  fl_lead_add_interaction (lead, "demo", NULL);
  g_assert_true (fl_scorer_score_lead (booth->kiosks[0], lead, &error));
  g_assert_true (fl_store_save_lead (booth->kiosks[0], lead, "Tom", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_lead_get_score (lead), ==, 35);

  push (booth->kiosks[0], booth->kiosks[1], 0, NULL);

  event_b = fl_store_get_active_event (booth->kiosks[1], &error);
  g_assert_no_error (error);
  g_assert_cmpstr (event_b->uuid, ==, event->uuid);
  g_assert_false (json_object_get_boolean_member (json_node_get_object (event_b->settings), "consent_required"));
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM events e JOIN models m ON m.id = e.model_id"), ==, 1);
  g_assert_true (fl_staff_verify (booth->kiosks[1], "Lena", "4711", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM attendees WHERE badge_id = 'B-7'"), ==, 1);
  g_assert_cmpint (count (booth->kiosks[1], "SELECT count(*) FROM connectors"), ==, 0);
  on_b = get (booth->kiosks[1], fl_lead_get_uuid (lead));
  g_assert_cmpint (fl_lead_get_score (on_b), ==, 35);
  g_assert_cmpint (fl_lead_get_status (on_b), ==, FL_STATUS_SAL);
}

/* A database from before booth sync (schema 8) is merged whole: opening
 * its copy logs what it holds, and a database that is not a Fairlead one
 * is refused with nothing written. */
static void
test_merge_old_database (Booth *booth, gconstpointer data)
{
  g_autofree char *old_path = g_build_filename (booth->dir, "old-kiosk.db", NULL);
  g_autofree char *other_path = g_build_filename (booth->dir, "other.sqlite", NULL);
  g_autoptr(GError) error = NULL;
  FlReplicaStats stats = { 0 };

  {
    g_autoptr(FlStore) old = fl_store_open_at_version (old_path, 8, &error);

    g_assert_no_error (error);
    g_assert_true (fl_store_exec (old,
      "INSERT INTO meta (key, value) VALUES ('device_id', 'old-kiosk');"
      "INSERT INTO events (uuid, name, created_at) VALUES ('e-old', 'Old Show', '2026-01-01T10:00:00.000Z');"
      "INSERT INTO leads (uuid, event, created_at, updated_at, source, email, company, notes)"
      "  VALUES ('l-old', 'e-old', '2026-01-01T11:00:00.000Z', '2026-01-01T11:00:00.000Z', 'badge',"
      "          'old@example.com', 'Old AG', 'from 2025');"
      "INSERT INTO answers (lead_id, question_id, value) SELECT id, 'budget', '\"10k\"' FROM leads;"
      "INSERT INTO interactions (lead_id, kind, at) SELECT id, 'demo', '2026-01-01T11:05:00.000Z' FROM leads;"
      "INSERT INTO consents (lead_id, given, at) SELECT id, 1, '2026-01-01T11:00:00.000Z' FROM leads;",
      &error));
    g_assert_no_error (error);
  }

  g_assert_true (fl_replica_merge_file (booth->kiosks[0], old_path, &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, >=, 5);
  {
    g_autoptr(FlLead) lead = get (booth->kiosks[0], "l-old");

    g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_COMPANY), ==, "Old AG");
    g_assert_cmpstr (fl_lead_get_notes (lead), ==, "from 2025");
  }
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM answers"), ==, 1);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM interactions"), ==, 1);
  g_assert_cmpint (count (booth->kiosks[0], "SELECT count(*) FROM consents"), ==, 1);
  /* The file itself is still at schema 8. */
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (old_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 8);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (other_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE notes (text)", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }
  g_assert_false (fl_replica_merge_file (booth->kiosks[0], other_path, NULL, &error));
  g_assert_error (error, FL_REPLICA_ERROR, FL_REPLICA_ERROR_NOT_FAIRLEAD);
}

/* Snapshot (schema 11): a kiosk in no booth logs no edits; creating or
 * joining a booth, and merging a file, log what the log lacks. */

static guint
snapshot (FlStore *store)
{
  g_autoptr(GError) error = NULL;
  guint logged = G_MAXUINT;

  g_assert_true (fl_replica_snapshot (store, &logged, &error));
  g_assert_no_error (error);
  return logged;
}

static gint64 count_uuid (FlStore *store, const char *sql, ...) G_GNUC_PRINTF (2, 3);

static gint64
count_uuid (FlStore *store, const char *sql, ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, sql);
  text = g_strdup_vprintf (sql, args);
  va_end (args);
  return count (store, text);
}

/* A kiosk captures alone — answers, interactions, a consent withdrawn, a
 * manual status, a staff member, an erased lead — and only then creates
 * a booth: the kiosk that joins receives every lead as it is, and the
 * erased one nowhere. */
static void
test_snapshot_create (Booth *booth, gconstpointer data)
{
  FlStore *a = booth->kiosks[0], *b = booth->kiosks[1];
  g_autoptr(FlEvent) event = create_event (a);
  g_autoptr(FlLead) plain = save (a, "Anna Alt", "anna@example.com", "Alt AG");
  g_autoptr(FlLead) erased = save (a, "Quendolin Zwirbelmeier", "q@quokka.example", "Quokka");
  g_autoptr(FlLead) rich = fl_lead_new ();
  g_autoptr(FlLead) withdrawn = fl_lead_new ();
  g_autoptr(JsonNode) value = json_from_string ("\"yes\"", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *on_a = NULL, *on_b = NULL;
  guint logged;

  fl_lead_set_source (rich, FL_SOURCE_BADGE);
  fl_lead_set_field (rich, FL_FIELD_EMAIL, "rich@example.com");
  fl_lead_set_answer (rich, "budget", value);
  fl_lead_add_interaction (rich, "demo", "2026-12-04T10:00:00.000Z");
  set_consent (rich, TRUE, "2026-12-04T09:00:00.000Z");
  g_assert_true (fl_store_save_lead (a, rich, "Tom", &error));
  g_assert_no_error (error);
  fl_lead_set_source (withdrawn, FL_SOURCE_MANUAL);
  fl_lead_set_field (withdrawn, FL_FIELD_EMAIL, "paula@example.com");
  set_consent (withdrawn, TRUE, "2026-12-04T09:00:00.000Z");
  g_assert_true (fl_store_save_lead (a, withdrawn, "Tom", &error));
  set_consent (withdrawn, FALSE, "2026-12-04T11:00:00.000Z");
  g_assert_true (fl_store_save_lead (a, withdrawn, "Tom", &error));
  g_assert_true (fl_scorer_set_override (a, fl_lead_get_uuid (plain), "SAL", "Marketing", "met the CEO", &error));
  g_assert_true (fl_staff_set (a, "Lena", "4711", &error));
  g_assert_no_error (error);
  g_assert_true (fl_privacy_erase_lead (a, fl_lead_get_uuid (erased), "Marketing", &error));
  g_assert_no_error (error);

  /* Alone, nothing is logged but the erased lead's tombstone. */
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, 1);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes WHERE data = '{\"_deleted\":1}'"), ==, 1);

  logged = join_booth (a);
  g_assert_cmpuint (logged, >=, 14);
  /* The log covers it all now: a second snapshot logs nothing. */
  g_assert_cmpuint (snapshot (a), ==, 0);
  /* Every change of the snapshot is the kiosk's own, gap-free. */
  g_assert_cmpint (count (a, "SELECT max (seq) - count (*) FROM changes"), ==, 0);

  join_booth (b);
  round_trip (a, b);
  on_a = digest (a);
  on_b = digest (b);
  g_assert_cmpstr (on_a, ==, on_b);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads"), ==, 3);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads WHERE email = 'q@quokka.example'"), ==, 0);
  g_assert_cmpint (count (b, "SELECT count(*) FROM changes WHERE data LIKE '%Zwirbelmeier%'"), ==, 0);
  g_assert_cmpint (count_uuid (b, "SELECT count(*) FROM leads WHERE uuid = '%s' AND override_status = 'SAL'",
                               fl_lead_get_uuid (plain)), ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM answers WHERE question_id = 'budget'"), ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM interactions WHERE kind = 'demo'"), ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM staff WHERE name = 'Lena'"), ==, 1);
  g_assert_true (allowed (b, fl_lead_get_uuid (rich)));
  g_assert_false (allowed (b, fl_lead_get_uuid (withdrawn)));
  g_assert_cmpint (count_uuid (b, "SELECT count(*) FROM consents c JOIN leads l ON l.id = c.lead_id "
                                  "WHERE l.uuid = '%s'", fl_lead_get_uuid (withdrawn)), ==, 2);
  /* The history went along, once. */
  g_assert_cmpint (count_uuid (b, "SELECT count(*) FROM audit WHERE lead_uuid = '%s' AND action = 'captured'",
                               fl_lead_get_uuid (plain)), ==, 1);
  /* In the booth, an edit is logged again. */
  fl_lead_set_notes (plain, "call back");
  g_assert_true (fl_store_save_lead (a, plain, "Tom", &error));
  g_assert_no_error (error);
  round_trip (a, b);
  {
    g_autoptr(FlLead) seen = get (b, fl_lead_get_uuid (plain));

    g_assert_cmpstr (fl_lead_get_notes (seen), ==, "call back");
  }
}

/* Two kiosks captured alone, the same visitor among their leads; both
 * join: they converge, and the visitor is one lead on both. */
static void
test_snapshot_join_both (Booth *booth, gconstpointer data)
{
  FlStore *a = booth->kiosks[0], *b = booth->kiosks[1];
  g_autoptr(FlEvent) event = create_event (a);
  g_autoptr(FlLead) first = NULL, second = NULL, other = NULL, mine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *on_a = NULL, *on_b = NULL;
  FlReplicaStats stats = { 0 };

  /* B works at the same event: the organiser's file, imported on both. */
  join_booth (a);
  join_booth (b);
  push (a, b, 0, NULL);
  leave_booth (a);
  leave_booth (b);
  g_assert_cmpint (count (b, "SELECT count(*) FROM events"), ==, 1);

  first = save (a, "Erika Muster", "erika@example.com", NULL);
  other = save (a, "Max Mohr", "max@example.com", "Mohr KG");
  g_usleep (3000);
  second = save (b, "Erika Muster", "ERIKA@example.com", "Muster GmbH");
  mine = save (b, "Nora Nord", "nora@example.com", "Nord SE");
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes WHERE tbl = 'leads'"), ==, 0);

  join_booth (a);
  join_booth (b);
  push (b, a, 0, &stats);
  g_assert_cmpuint (stats.merged, ==, 1);
  round_trip (a, b);
  on_a = digest (a);
  on_b = digest (b);
  g_assert_cmpstr (on_a, ==, on_b);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(FlLead) by_second = get (booth->kiosks[i], fl_lead_get_uuid (second));

      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM leads"), ==, 3);
      g_assert_cmpstr (fl_lead_get_uuid (by_second), ==, fl_lead_get_uuid (first));
      g_assert_cmpstr (fl_lead_get_field (by_second, FL_FIELD_COMPANY), ==, "Muster GmbH");
      g_assert_cmpint (count (booth->kiosks[i], "SELECT count(*) FROM lead_aliases"), ==, 1);
    }
}

/* `merge FILE.db` of a kiosk that never was in a booth, into one that
 * never was either: every lead arrives, the same visitor is one lead,
 * nothing of the kiosk's own is lost, and merging again changes nothing. */
static void
test_snapshot_merge (Booth *booth, gconstpointer data)
{
  FlStore *a = booth->kiosks[0], *b = booth->kiosks[1];
  g_autoptr(FlEvent) event = create_event (a);
  g_autoptr(FlLead) first = NULL, second = NULL, erased = NULL, mine = NULL;
  g_autoptr(GError) error = NULL;
  FlReplicaStats stats = { 0 };

  g_assert_true (fl_replica_merge_file (b, booth->paths[0], NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (b, "SELECT count(*) FROM events"), ==, 1);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, 0);

  first = save (a, "Erika Muster", "erika@example.com", NULL);
  erased = save (a, "Quendolin Zwirbelmeier", "q@quokka.example", "Quokka");
  g_usleep (3000);
  second = save (b, "Erika Muster", "erika@example.com", "Muster GmbH");
  mine = save (b, "Nora Nord", "nora@example.com", "Nord SE");
  g_assert_true (fl_privacy_erase_lead (a, fl_lead_get_uuid (erased), "Marketing", &error));
  g_assert_no_error (error);

  g_assert_true (fl_replica_merge_file (b, booth->paths[0], &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.merged, ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads"), ==, 2);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads WHERE email = 'nora@example.com'"), ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads WHERE email = 'q@quokka.example'"), ==, 0);
  {
    g_autoptr(FlLead) by_second = get (b, fl_lead_get_uuid (second));

    g_assert_cmpstr (fl_lead_get_uuid (by_second), ==, fl_lead_get_uuid (first));
    g_assert_cmpstr (fl_lead_get_field (by_second, FL_FIELD_COMPANY), ==, "Muster GmbH");
  }
  /* The file is left as it was. */
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes WHERE data NOT LIKE '%_deleted%'"), ==, 0);

  /* Again: nothing new. Then an edit on A arrives. */
  stats = (FlReplicaStats) { 0 };
  g_assert_true (fl_replica_merge_file (b, booth->paths[0], &stats, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (stats.applied, ==, 0);
  g_usleep (3000);
  fl_lead_set_field (first, FL_FIELD_TITLE, "CTO");
  g_assert_true (fl_store_save_lead (a, first, "Tom", &error));
  g_assert_no_error (error);
  g_assert_true (fl_replica_merge_file (b, booth->paths[0], &stats, &error));
  g_assert_no_error (error);
  {
    g_autoptr(FlLead) seen = get (b, fl_lead_get_uuid (first));

    g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_TITLE), ==, "CTO");
    g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_COMPANY), ==, "Muster GmbH");
  }

  /* Erased here, the visitor stays erased when the file comes again. */
  g_assert_true (fl_privacy_erase_lead (b, fl_lead_get_uuid (first), "Marketing", &error));
  g_assert_no_error (error);
  g_assert_true (fl_replica_merge_file (b, booth->paths[0], NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads"), ==, 1);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads WHERE email = 'nora@example.com'"), ==, 1);
}

/* A kiosk that leaves its booth logs no more edits, yet a lead it erases
 * stays erased; joining again brings its peers what it did meanwhile. */
static void
test_snapshot_leave (Booth *booth, gconstpointer data)
{
  FlStore *a = booth->kiosks[0], *b = booth->kiosks[1];
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(FlLead) kept = NULL, gone = NULL, later = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *on_a = NULL, *on_b = NULL;
  gint64 held;

  join_booth (a);
  join_booth (b);
  event = create_event (a);
  kept = save (a, "Ada Lovelace", "ada@example.com", "Analytical");
  gone = save (a, "Quendolin Zwirbelmeier", "q@quokka.example", "Quokka");
  round_trip (a, b);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads"), ==, 2);

  leave_booth (a);
  held = count (a, "SELECT count(*) FROM changes");
  later = save (a, "Grace Hopper", "grace@example.com", "Navy");
  fl_lead_set_field (kept, FL_FIELD_TITLE, "Countess");
  g_assert_true (fl_store_save_lead (a, kept, "Tom", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, held);
  g_assert_true (fl_privacy_erase_lead (a, fl_lead_get_uuid (gone), "Marketing", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, held + 1);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes WHERE data LIKE '%Zwirbelmeier%'"), ==, 0);

  /* Back in the booth: the edit and the new lead, only those. */
  held = count (a, "SELECT count(*) FROM changes");
  g_assert_cmpuint (join_booth (a), <, 10);
  round_trip (a, b);
  on_a = digest (a);
  on_b = digest (b);
  g_assert_cmpstr (on_a, ==, on_b);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads"), ==, 2);
  g_assert_cmpint (count (b, "SELECT count(*) FROM leads WHERE email = 'q@quokka.example'"), ==, 0);
  {
    g_autoptr(FlLead) seen = get (b, fl_lead_get_uuid (kept));

    g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_TITLE), ==, "Countess");
  }
}

static void
shell (const char *path, const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* The triggers are plain SQL: another SQLite client writing the database
 * logs in a booth, and only there. */
static void
test_snapshot_shell (Booth *booth, gconstpointer data)
{
  FlStore *a = booth->kiosks[0], *b = booth->kiosks[1];
  g_autoptr(FlEvent) event = create_event (a);
  g_autoptr(FlLead) lead = save (a, "Ada Lovelace", "ada@example.com", "Analytical");
  g_autofree char *sql = g_strdup_printf ("UPDATE leads SET company = 'Babbage & Co' WHERE uuid = '%s'",
                                          fl_lead_get_uuid (lead));
  gint64 held;

  shell (booth->paths[0], sql);
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, 0);
  join_booth (a);
  held = count (a, "SELECT count(*) FROM changes");
  shell (booth->paths[0], "UPDATE leads SET title = 'Countess'");
  g_assert_cmpint (count (a, "SELECT count(*) FROM changes"), ==, held + 1);
  join_booth (b);
  round_trip (a, b);
  {
    g_autoptr(FlLead) seen = get (b, fl_lead_get_uuid (lead));

    g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_COMPANY), ==, "Babbage & Co");
    g_assert_cmpstr (fl_lead_get_field (seen, FL_FIELD_TITLE), ==, "Countess");
  }
}

static char *
query_text (FlStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, &error);
  char *text;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  return text;
}

/* A database of schema 9 keeps its log (in the compact form of schema
 * 10, the same changes under the same device ids); out of a booth its
 * edits are no longer logged, and joining logs only what changed. */
static void
test_snapshot_schema_9 (Booth *booth, gconstpointer data)
{
  g_autofree char *path = g_build_filename (booth->dir, "nine.db", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GError) error = NULL;
  gint64 held;

  {
    g_autoptr(FlStore) nine = fl_store_open_at_version (path, 9, &error);
    g_autoptr(FlEvent) event = NULL;
    g_autofree char *insert = NULL;

    g_assert_no_error (error);
    event = create_event (nine);
    /* Written as a schema-9 client writes it: today's save also writes
     * columns that schema 9 does not have. */
    insert = g_strdup_printf ("INSERT INTO leads (uuid, event, created_at, updated_at, source, full_name,"
                              " email, company) VALUES ('ada-nine', '%s', '2026-06-23T10:00:00.000Z',"
                              " '2026-06-23T10:00:00.000Z', 'manual', 'Ada Lovelace', 'ada@example.com',"
                              " 'Analytical')", event->uuid);
    g_assert_true (fl_store_exec (nine, insert, &error));
    g_assert_no_error (error);
    before = query_text (nine, "SELECT group_concat (device || seq || hlc || tbl || row_key || data, ';') "
                                       "FROM (SELECT * FROM changes ORDER BY device, seq)");
    g_assert_finalize_object (g_steal_pointer (&nine));
  }
  store = fl_store_open (path, &error);
  g_assert_no_error (error);
  lead = fl_store_get_lead (store, "ada-nine", &error);
  g_assert_no_error (error);
  after = query_text (store, "SELECT group_concat (device || seq || hlc || tbl || row_key || data, ';') "
                                     "FROM (SELECT * FROM changes ORDER BY device, seq)");
  g_assert_cmpstr (after, ==, before);
  held = count (store, "SELECT count(*) FROM changes");
  g_assert_cmpint (held, >=, 2);

  fl_lead_set_field (lead, FL_FIELD_TITLE, "Countess");
  g_assert_true (fl_store_save_lead (store, lead, "Tom", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (store, "SELECT count(*) FROM changes"), ==, held);
  /* Joining: the edit (one change of the lead) and its audit entry. */
  g_assert_cmpuint (join_booth (store), ==, 2);
  g_assert_cmpint (count (store, "SELECT count(*) FROM changes WHERE tbl = 'leads' "
                                 "AND data LIKE '%Countess%'"), ==, 1);
  g_assert_cmpint (count (store, "SELECT count(*) FROM changes WHERE tbl = 'leads' "
                                 "AND data LIKE '%Lovelace%'"), ==, 1);
  g_assert_finalize_object (g_steal_pointer (&store));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/replica/converge-transitive", Booth, NULL, booth_setup, test_converge_transitive, booth_teardown);
  g_test_add ("/replica/idempotent", Booth, NULL, booth_setup, test_idempotent, booth_teardown);
  g_test_add ("/replica/refuses-bad-batches", Booth, NULL, booth_setup, test_refuses_bad_batches, booth_teardown);

  g_test_add ("/replica/same-visitor", Booth, NULL, booth_setup, test_same_visitor, booth_teardown);
  g_test_add ("/replica/empty-fields", Booth, NULL, booth_setup, test_empty_fields, booth_teardown);
  g_test_add ("/replica/concurrent-edits", Booth, NULL, booth_setup, test_concurrent_edits, booth_teardown);
  g_test_add ("/replica/consent-withdrawal", Booth, NULL, booth_setup, test_consent_withdrawal, booth_teardown);
  g_test_add ("/replica/erase-travels", Booth, NULL, booth_setup, test_erase_travels, booth_teardown);

  g_test_add ("/replica/upload-race", Booth, NULL, booth_setup, test_upload_race, booth_teardown);
  g_test_add ("/replica/withdrawal-races-upload", Booth, NULL, booth_setup, test_withdrawal_races_upload, booth_teardown);

  g_test_add ("/replica/cli-merge-equals-exchange", Booth, NULL, booth_setup, test_cli_merge_equals_exchange, booth_teardown);
  g_test_add ("/replica/cli-merge-killed", Booth, NULL, booth_setup, test_cli_merge_killed, booth_teardown);

  g_test_add ("/replica/restored-copy-refused", Booth, NULL, booth_setup, test_restored_copy_refused, booth_teardown);

  g_test_add ("/replica/join-brings-setup", Booth, NULL, booth_setup, test_join_brings_setup, booth_teardown);

  g_test_add ("/replica/merge-old-database", Booth, NULL, booth_setup, test_merge_old_database, booth_teardown);

  g_test_add ("/replica/snapshot/create", Booth, NULL, alone_setup, test_snapshot_create, booth_teardown);
  g_test_add ("/replica/snapshot/join-both", Booth, NULL, alone_setup, test_snapshot_join_both, booth_teardown);
  g_test_add ("/replica/snapshot/merge", Booth, NULL, alone_setup, test_snapshot_merge, booth_teardown);
  g_test_add ("/replica/snapshot/leave", Booth, NULL, alone_setup, test_snapshot_leave, booth_teardown);
  g_test_add ("/replica/snapshot/shell", Booth, NULL, alone_setup, test_snapshot_shell, booth_teardown);
  g_test_add ("/replica/snapshot/schema-9", Booth, NULL, alone_setup, test_snapshot_schema_9, booth_teardown);
  return g_test_run ();
}
