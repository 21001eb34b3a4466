/* test-capture.c: capture and de-duplication
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "store/fl-capture.h"
#include "store/fl-roster-store.h"
#include "fl-test.h"

typedef FlTestFixture Fixture;

static FlCaptureResult *
capture (Fixture *fixture, const char *payload, FlSource source)
{
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(GError) error = NULL;
  FlCaptureResult *result;

  request.payload = payload;
  request.source = source;
  request.staff = "Ben";
  result = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  return result;
}

static guint
count_interactions (FlLead *lead, const char *kind)
{
  JsonNode *node = fl_lead_get_interactions (lead);
  guint n = 0;

  if (node == NULL)
    return 0;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (node)); i++)
    {
      JsonObject *item = json_array_get_object_element (json_node_get_array (node), i);
      if (g_strcmp0 (json_object_get_string_member (item, "kind"), kind) == 0)
        n++;
    }
  return n;
}

static void
test_new_badge_lead (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlCaptureResult) result =
    capture (fixture, "MECARD:N:Muster,Anna;EMAIL:anna@muster.de;ORG:Muster GmbH;CONF:HM-1;;",
             FL_SOURCE_BADGE);
  g_autoptr(FlLead) stored = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (result->format, ==, FL_PAYLOAD_FORMAT_MECARD);
  g_assert_cmpint (result->match, ==, FL_CAPTURE_MATCH_NONE);
  g_assert_true (g_uuid_string_is_valid (fl_lead_get_uuid (result->lead)));

  stored = fl_store_get_lead (fixture->store, fl_lead_get_uuid (result->lead), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_event (stored), ==, fixture->event->uuid);
  g_assert_cmpstr (fl_lead_get_captured_by (stored), ==, "Ben");
  g_assert_cmpint (fl_lead_get_source (stored), ==, FL_SOURCE_BADGE);
  g_assert_cmpstr (fl_lead_get_badge_id (stored), ==, "HM-1");
  g_assert_cmpstr (fl_lead_get_field (stored, FL_FIELD_FULL_NAME), ==, "Anna Muster");
  g_assert_nonnull (strstr (fl_lead_get_raw_payload (stored), "MECARD:"));
  g_assert_cmpuint (count_interactions (stored, "badge-scan"), ==, 1);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'captured'"), ==, 1);
}

typedef struct
{
  const char    *name;
  const char    *first;
  FlSource       first_source;
  const char    *second;
  FlCaptureMatch match;   /* FL_CAPTURE_MATCH_NONE: a second lead */
} DedupCase;

static const DedupCase dedup_cases[] = {
  { "badge-id", "TKT-1", FL_SOURCE_BADGE,
    "MECARD:N:Muster,Anna;EMAIL:anna@muster.de;ID:TKT-1;;", FL_CAPTURE_MATCH_BADGE_ID },
  { "email-case-insensitive", "{\"name\": \"Anna Muster\", \"email\": \"Anna.Muster@Muster.DE\"}",
    FL_SOURCE_CARD_QR,
    "BEGIN:VCARD\nVERSION:3.0\nFN:A. Muster\nEMAIL:anna.muster@muster.de\nEND:VCARD",
    FL_CAPTURE_MATCH_EMAIL },
  { "name-company-normalised", "name:Jörg Weiß;company:Bäckerei Weiß GmbH", FL_SOURCE_CARD_QR,
    "name: JOERG  WEISS ;company:Baeckerei Weiss", FL_CAPTURE_MATCH_NAME_COMPANY },
  { "name-company-accents-and-legal-form", "name:Jörg Weiß;company:Bäckerei Weiß GmbH",
    FL_SOURCE_CARD_QR, "name:Jorg Weiss;company:BÄCKEREI WEISS", FL_CAPTURE_MATCH_NAME_COMPANY },
  { "name-last-first", "name:Anna Muster;company:Muster AG", FL_SOURCE_CARD_QR,
    "{\"full_name\": \"Muster, Anna\", \"company\": \"Muster AG\"}", FL_CAPTURE_MATCH_NAME_COMPANY },
  { "same-name-other-company", "name:Anna Muster;company:Muster AG", FL_SOURCE_CARD_QR,
    "name:Anna Muster;company:Beispiel AG", FL_CAPTURE_MATCH_NONE },
  { "same-company-other-person", "name:Anna Muster;company:Muster AG", FL_SOURCE_CARD_QR,
    "name:Anna Mustermann;company:Muster AG", FL_CAPTURE_MATCH_NONE },
  { "other-badge", "TKT-1", FL_SOURCE_BADGE, "TKT-2", FL_CAPTURE_MATCH_NONE },
};

static void
test_dedup (Fixture *fixture, gconstpointer data)
{
  const DedupCase *c = data;
  g_autoptr(FlCaptureResult) first = capture (fixture, c->first, c->first_source);
  g_autoptr(FlCaptureResult) second = capture (fixture, c->second, FL_SOURCE_CARD_QR);

  g_assert_cmpstr (fl_capture_match_to_string (second->match), ==,
                   fl_capture_match_to_string (c->match));
  if (c->match == FL_CAPTURE_MATCH_NONE)
    {
      g_assert_cmpstr (fl_lead_get_uuid (first->lead), !=, fl_lead_get_uuid (second->lead));
      g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 2);
    }
  else
    {
      g_assert_cmpstr (fl_lead_get_uuid (first->lead), ==, fl_lead_get_uuid (second->lead));
      g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 1);
      g_assert_cmpuint (count_interactions (second->lead, "repeat-visit"), ==, 1);
      g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'repeat-visit'"), ==, 1);
    }
}

static void
test_merge_fills_and_answers (Fixture *fixture, gconstpointer data)
{
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(JsonObject) answers1 = json_object_new ();
  g_autoptr(JsonObject) answers2 = json_object_new ();
  g_autoptr(FlCaptureResult) first = NULL;
  g_autoptr(FlCaptureResult) second = NULL;
  g_autoptr(FlLead) stored = NULL;
  g_autoptr(GError) error = NULL;
  const char *const demo[] = { "demo", NULL };
  JsonObject *stored_answers;
  sqlite3_stmt *stmt;

  json_object_set_string_member (answers1, "budget", "<10k");
  json_object_set_string_member (answers1, "timeline", "Q3");
  request.payload = "{\"badge_id\": \"B-7\", \"first_name\": \"Kai\", \"last_name\": \"Lehmann\", "
                    "\"company\": \"Lehmann KG\"}";
  request.answers = answers1;
  request.note = "Will Angebot";
  request.consent = FL_CAPTURE_CONSENT_GIVEN;
  request.consent_version = "2026-01";
  first = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);

  json_object_set_string_member (answers2, "budget", "50k+");
  json_object_set_int_member (answers2, "rating", 4);
  request = (FlCaptureRequest) FL_CAPTURE_REQUEST_INIT;
  request.payload = "BEGIN:VCARD\nVERSION:3.0\nN:Lehmann;Kai\nORG:Andere Firma\n"
                    "EMAIL:kai@lehmann.de\nTEL;TYPE=WORK:+49 40 777\nX-BADGE:ignored\nEND:VCARD";
  request.source = FL_SOURCE_CARD_QR;
  request.answers = answers2;
  request.interactions = demo;
  request.note = "Demo gesehen";
  /* The vCard has no badge id and another email than none: it matches by
   * nothing but is the same person only if told. Give the badge id as
   * staff would type it. */
  request.entered = fl_lead_new ();
  fl_lead_set_badge_id (request.entered, "B-7");
  second = fl_capture (fixture->store, &request, &error);
  g_object_unref (request.entered);
  g_assert_no_error (error);
  g_assert_cmpint (second->match, ==, FL_CAPTURE_MATCH_BADGE_ID);

  stored = fl_store_get_lead (fixture->store, fl_lead_get_uuid (first->lead), &error);
  g_assert_no_error (error);
  /* Empty fields filled, filled ones kept. */
  g_assert_cmpstr (fl_lead_get_field (stored, FL_FIELD_COMPANY), ==, "Lehmann KG");
  g_assert_cmpstr (fl_lead_get_field (stored, FL_FIELD_EMAIL), ==, "kai@lehmann.de");
  g_assert_cmpstr (fl_lead_get_field (stored, FL_FIELD_PHONE), ==, "+49 40 777");
  g_assert_cmpint (fl_lead_get_source (stored), ==, FL_SOURCE_BADGE);
  g_assert_nonnull (strstr (fl_lead_get_raw_payload (stored), "B-7"));
  /* Answers merged, the newer wins. */
  stored_answers = json_node_get_object (fl_lead_get_answers (stored));
  g_assert_cmpstr (json_object_get_string_member (stored_answers, "budget"), ==, "50k+");
  g_assert_cmpstr (json_object_get_string_member (stored_answers, "timeline"), ==, "Q3");
  g_assert_cmpint (json_object_get_int_member (stored_answers, "rating"), ==, 4);
  /* Notes kept and added to; interactions added; consent kept. */
  g_assert_cmpstr (fl_lead_get_notes (stored), ==, "Will Angebot\nDemo gesehen");
  g_assert_cmpuint (count_interactions (stored, "badge-scan"), ==, 1);
  g_assert_cmpuint (count_interactions (stored, "repeat-visit"), ==, 1);
  g_assert_cmpuint (count_interactions (stored, "demo"), ==, 1);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (fl_lead_get_consent (stored)), "given"));
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM consents"), ==, 1);

  /* The audit row names the match and keeps the second raw payload. */
  stmt = fl_store_prepare (fixture->store, "SELECT detail FROM audit WHERE action = 'repeat-visit'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "\"matched_by\":\"badge_id\""));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "Andere Firma"));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 0), "\"email\""));
  sqlite3_reset (stmt);
}

static void
test_other_event_is_new (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlCaptureResult) first = capture (fixture, "TKT-1", FL_SOURCE_BADGE);
  g_autoptr(FlEvent) other = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(FlCaptureResult) second = NULL;
  g_autoptr(GError) error = NULL;

  other->name = g_strdup ("IFA 2026");
  created = fl_store_create_event (fixture->store, other, &error);
  g_assert_no_error (error);
  second = capture (fixture, "TKT-1", FL_SOURCE_BADGE);
  g_assert_cmpint (second->match, ==, FL_CAPTURE_MATCH_NONE);
  g_assert_cmpstr (fl_lead_get_event (second->lead), ==, created->uuid);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 2);
}

static void
test_roster_resolves_id (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRosterReport) report =
    fl_store_import_roster (fixture->store, NULL,
                            "Badge-ID;Vorname;Nachname;Firma;E-Mail\n"
                            "HM-42;Ewa;Nowak;Nowak Sp. z o.o.;ewa@nowak.pl\n", -1, NULL, &error);
  g_autoptr(FlCaptureResult) by_id = NULL;
  g_autoptr(FlCaptureResult) unknown = NULL;
  g_autoptr(FlCaptureResult) by_email = NULL;

  g_assert_no_error (error);
  by_id = capture (fixture, "HM-42\r\n", FL_SOURCE_BADGE);
  g_assert_cmpint (by_id->format, ==, FL_PAYLOAD_FORMAT_ID);
  g_assert_true (by_id->from_roster);
  g_assert_cmpstr (fl_lead_get_field (by_id->lead, FL_FIELD_FULL_NAME), ==, "Ewa Nowak");
  g_assert_cmpstr (fl_lead_get_field (by_id->lead, FL_FIELD_EMAIL), ==, "ewa@nowak.pl");

  unknown = capture (fixture, "HM-43", FL_SOURCE_BADGE);
  g_assert_false (unknown->from_roster);
  g_assert_cmpstr (fl_lead_get_badge_id (unknown->lead), ==, "HM-43");
  g_assert_null (fl_lead_get_field (unknown->lead, FL_FIELD_FULL_NAME));

  /* Her business card later: same email, so the same lead. */
  by_email = capture (fixture, "BIZCARD:N:Ewa;X:Nowak;E:EWA@NOWAK.PL;M:+48 600 100 200;;",
                      FL_SOURCE_CARD_QR);
  g_assert_cmpint (by_email->match, ==, FL_CAPTURE_MATCH_EMAIL);
  g_assert_cmpstr (fl_lead_get_uuid (by_email->lead), ==, fl_lead_get_uuid (by_id->lead));
  g_assert_cmpstr (fl_lead_get_field (by_email->lead, FL_FIELD_MOBILE), ==, "+48 600 100 200");
}

static void
test_unknown_and_garbage_kept (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlCaptureResult) unknown = capture (fixture, "Bitte Katalog schicken", FL_SOURCE_CARD_QR);
  g_autoptr(FlCaptureResult) garbage = NULL;
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) stored = NULL;

  g_assert_cmpint (unknown->format, ==, FL_PAYLOAD_FORMAT_UNKNOWN);
  stored = fl_store_get_lead (fixture->store, fl_lead_get_uuid (unknown->lead), &error);
  g_assert_cmpstr (fl_lead_get_raw_payload (stored), ==, "Bitte Katalog schicken");

  request.payload = "\x89PNG\x00\xff\xfe garbage \x1b[0m";
  request.payload_length = 18;
  garbage = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);
  g_assert_true (g_utf8_validate (fl_lead_get_raw_payload (garbage->lead), -1, NULL));

  request.payload = "   ";
  request.payload_length = -1;
  g_assert_null (fl_capture (fixture->store, &request, &error));
  g_assert_error (error, FL_PAYLOAD_ERROR, FL_PAYLOAD_ERROR_EMPTY);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, 2);
}

static gboolean
score_cb (FlStore *store, const FlEvent *event, FlLead *lead, gpointer user_data, GError **error)
{
  guint *calls = user_data;
  JsonNode *answers = fl_lead_get_answers (lead);

  (*calls)++;
  /* A stand-in rule: the scorer sees the merged answers and interactions. */
  fl_lead_set_score (lead, (answers ? (int) json_object_get_size (json_node_get_object (answers)) * 10 : 0) +
                             (int) count_interactions (lead, "repeat-visit") * 5);
  return TRUE;
}

static gboolean
failing_score_cb (FlStore *store, const FlEvent *event, FlLead *lead, gpointer user_data, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "model broken");
  return FALSE;
}

static void
test_score_hook (Fixture *fixture, gconstpointer data)
{
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  g_autoptr(JsonObject) answers = json_object_new ();
  g_autoptr(FlCaptureResult) first = NULL;
  g_autoptr(FlCaptureResult) second = NULL;
  g_autoptr(FlCaptureResult) unscored = NULL;
  g_autoptr(FlLead) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint calls = 0;

  json_object_set_string_member (answers, "budget", "50k+");
  request.payload = "TKT-9";
  request.answers = answers;
  request.score_func = score_cb;
  request.score_data = &calls;
  first = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_lead_get_score (first->lead), ==, 10);
  second = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (calls, ==, 2);
  stored = fl_store_get_lead (fixture->store, fl_lead_get_uuid (first->lead), &error);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 15);

  request.payload = "TKT-10";
  request.score_func = failing_score_cb;
  unscored = fl_capture (fixture->store, &request, &error);
  g_assert_no_error (error);
  g_assert_error (unscored->score_error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads WHERE badge_id = 'TKT-10'"), ==, 1);
}

static void
test_no_event (void)
{
  g_autoptr(GError) error = NULL;
  FlTestFixture fixture = { 0 };
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;

  fl_test_fixture_open (&fixture, NULL, NULL);
  request.payload = "TKT-1";
  g_assert_null (fl_capture (fixture.store, &request, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT);
  fl_test_fixture_close (&fixture);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fl_test_fixture_setup, func, fl_test_fixture_teardown)
  ADD ("/capture/new-badge-lead", test_new_badge_lead);
  for (guint i = 0; i < G_N_ELEMENTS (dedup_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/capture/dedup/%s", dedup_cases[i].name);
      g_test_add (path, Fixture, &dedup_cases[i], fl_test_fixture_setup, test_dedup, fl_test_fixture_teardown);
    }
  ADD ("/capture/merge-fills-and-answers", test_merge_fills_and_answers);
  ADD ("/capture/other-event-is-new", test_other_event_is_new);
  ADD ("/capture/roster-resolves-id", test_roster_resolves_id);
  ADD ("/capture/unknown-and-garbage-kept", test_unknown_and_garbage_kept);
  ADD ("/capture/score-hook", test_score_hook);
#undef ADD
  g_test_add_func ("/capture/no-event", test_no_event);

  return g_test_run ();
}
