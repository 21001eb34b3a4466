/* test-lead.c: FlLead and its JSON
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lead/fl-lead.h"

static JsonNode *
parse (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static void
test_round_trip_german (void)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) back = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  g_autoptr(JsonNode) answer = json_node_new (JSON_NODE_VALUE);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text2 = NULL;

  fl_lead_ensure_identity (lead);
  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "  Jürgen ");
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Müller-Lüdenscheidt");
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Großhandel Straße & Söhne GmbH");
  fl_lead_set_field (lead, FL_FIELD_CITY, "Köln");
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "j.mueller@example.de");
  fl_lead_set_notes (lead, "Möchte eine Vorführung.\nRückruf „bitte“ nach 15 Uhr.");
  fl_lead_set_badge_id (lead, "B-4711");
  fl_lead_set_source (lead, FL_SOURCE_BADGE);
  fl_lead_set_status (lead, FL_STATUS_SAL);
  fl_lead_set_score (lead, 73);
  fl_lead_set_captured_by (lead, "Änne");
  json_node_set_string (answer, "innerhalb von 3 Monaten");
  fl_lead_set_answer (lead, "timeframe", answer);
  fl_lead_add_interaction (lead, "demo", "2026-06-23T10:15:00+02:00");
  fl_lead_set_override (lead, "SAL", "Änne", "Kennt den Geschäftsführer");

  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FIRST_NAME), ==, "Jürgen");
  g_assert_cmpstr (fl_lead_get_display_name (lead), ==, "Jürgen Müller-Lüdenscheidt");

  node = fl_lead_to_json (lead);
  text = json_to_string (node, FALSE);
  back = fl_lead_new_from_json (node, &error);
  g_assert_no_error (error);
  node2 = fl_lead_to_json (back);
  text2 = json_to_string (node2, FALSE);
  g_assert_cmpstr (text, ==, text2);

  g_assert_cmpstr (fl_lead_get_field (back, FL_FIELD_COMPANY), ==, "Großhandel Straße & Söhne GmbH");
  g_assert_cmpstr (fl_lead_get_notes (back), ==, "Möchte eine Vorführung.\nRückruf „bitte“ nach 15 Uhr.");
  g_assert_cmpint (fl_lead_get_status (back), ==, FL_STATUS_SAL);
  g_assert_cmpint (fl_lead_get_score (back), ==, 73);
  g_assert_cmpint (fl_lead_get_source (back), ==, FL_SOURCE_BADGE);
  g_assert_cmpstr (fl_lead_get_override_reason (back), ==, "Kennt den Geschäftsführer");
  /* Times are stored in UTC whatever zone they were written in. */
  g_assert_true (strstr (text, "\"at\":\"2026-06-23T08:15:00.000Z\"") != NULL);

  g_assert_finalize_object (g_steal_pointer (&back));
}

static void
test_key_order (void)
{
  static const char *expected[] = {
    "uuid", "event", "created_at", "updated_at", "captured_by", "device", "source",
    "raw_payload", "badge_id", "first_name", "last_name", "full_name", "email", "phone",
    "mobile", "company", "title", "department", "street", "city", "postal_code", "region",
    "country", "website", "notes", "score", "status", "breakdown", "model", "answers",
    "interactions", "consent", "status_override",
  };
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GList) members = NULL;
  guint i = 0;

  fl_lead_ensure_identity (lead);
  node = fl_lead_to_json (lead);
  members = json_object_get_members (json_node_get_object (node));
  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, expected[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (expected));
}

static const struct
{
  const char *json;
  const char *message_part;
} bad_leads[] = {
  { "[1, 2]", "must be a JSON object" },
  { "{\"first_name\": \"Anna\"}", "has no “uuid”" },
  { "{\"uuid\": \"not-a-uuid\"}", "not a valid UUID" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"status\": \"HOT\"}", "Unknown status “HOT”" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"source\": \"fax\"}", "Unknown source “fax”" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"email\": 42}", "“email” must be a text" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"score\": \"high\"}", "“score” must be a whole number" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"answers\": [1]}", "“answers” must be" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"created_at\": \"yesterday\"}", "not an ISO 8601 time" },
  { "{\"uuid\": \"6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f\", \"status_override\": {\"status\": \"X\"}}", "Unknown status “X”" },
};

static void
test_bad_json (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_leads); i++)
    {
      g_autoptr(JsonNode) node = parse (bad_leads[i].json);
      g_autoptr(GError) error = NULL;
      g_autoptr(FlLead) lead = fl_lead_new_from_json (node, &error);

      g_test_message ("case %u: %s", i, bad_leads[i].json);
      g_assert_null (lead);
      g_assert_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, bad_leads[i].message_part));
    }
}

static void
test_minimal_json (void)
{
  g_autoptr(JsonNode) node = parse ("{\"uuid\": \"6F1C1A38-8D8E-4C39-9D1A-0F4B5A1D2E3F\","
                                    " \"full_name\": \"\", \"email\": null}");
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = fl_lead_new_from_json (node, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_uuid (lead), ==, "6f1c1a38-8d8e-4c39-9d1a-0f4b5a1d2e3f");
  g_assert_null (fl_lead_get_field (lead, FL_FIELD_FULL_NAME));
  g_assert_null (fl_lead_get_field (lead, FL_FIELD_EMAIL));
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_MQL);
  g_assert_cmpint (fl_lead_get_source (lead), ==, FL_SOURCE_MANUAL);
  g_assert_true (fl_lead_is_empty (lead));
}

static void
test_identity (void)
{
  g_autoptr(FlLead) a = fl_lead_new ();
  g_autoptr(FlLead) b = fl_lead_new ();
  g_autoptr(GDateTime) parsed = NULL;

  fl_lead_ensure_identity (a);
  fl_lead_ensure_identity (b);
  g_assert_true (g_uuid_string_is_valid (fl_lead_get_uuid (a)));
  g_assert_cmpstr (fl_lead_get_uuid (a), !=, fl_lead_get_uuid (b));
  /* Version 4, RFC 4122 variant. */
  g_assert_cmpint (fl_lead_get_uuid (a)[14], ==, '4');
  g_assert_true (strchr ("89ab", fl_lead_get_uuid (a)[19]) != NULL);
  g_assert_true (g_str_has_suffix (fl_lead_get_created_at (a), "Z"));
  parsed = g_date_time_new_from_iso8601 (fl_lead_get_created_at (a), NULL);
  g_assert_nonnull (parsed);
  g_assert_cmpstr (fl_lead_get_created_at (a), ==, fl_lead_get_updated_at (a));
}

static void
test_enums (void)
{
  FlField field;
  FlStatus status;
  FlSource source;

  for (guint i = 0; i < FL_N_FIELDS; i++)
    {
      g_assert_true (fl_field_from_string (fl_field_to_string (i), &field));
      g_assert_cmpint (field, ==, i);
    }
  g_assert_false (fl_field_from_string ("shoe_size", &field));
  g_assert_true (fl_status_from_string ("DISQUALIFIED", &status));
  g_assert_cmpint (status, ==, FL_STATUS_DISQUALIFIED);
  g_assert_false (fl_status_from_string ("mql", &status));
  g_assert_true (fl_source_from_string ("card-ocr", &source));
  g_assert_cmpint (source, ==, FL_SOURCE_CARD_OCR);
}

/* fl_lead_append_json() writes the same object as fl_lead_to_json(),
 * without the tree: every kind of value, escapes and nesting. */
static void
test_append_json (void)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) bare = fl_lead_new ();
  g_autoptr(JsonNode) answer = json_node_new (JSON_NODE_VALUE);
  g_autoptr(JsonNode) breakdown = parse ("[{\"rule\":\"budget\",\"points\":12,\"weight\":0.25,"
                                         "\"hit\":true,\"why\":null,\"path\":[1,[2,{}]]},"
                                         "{\"rule\":\"t\\u00e4st \\\"q\\\" \\\\ \\u0001\",\"points\":-3}]");
  g_autoptr(JsonNode) consent = parse ("{\"given\":false,\"at\":\"2026-06-23T08:15:00.000Z\"}");
  FlLead *leads[] = { lead, bare };

  fl_lead_ensure_identity (lead);
  fl_lead_ensure_identity (bare);
  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Jürgen \"JJ\"");
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, "Back\\slash/Slash");
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Łódź Ölwerke \u00e9 \xf0\x9f\x98\x80");
  fl_lead_set_notes (lead, "Tab\there\nnew line\r\x01\x1f\b\f end");
  fl_lead_set_raw_payload (lead, "BEGIN:VCARD\r\nFN:Jürgen\r\nEND:VCARD");
  fl_lead_set_score (lead, -17);
  fl_lead_set_status (lead, FL_STATUS_DISQUALIFIED);
  fl_lead_set_breakdown (lead, breakdown);
  fl_lead_set_consent (lead, consent);
  json_node_set_string (answer, "innerhalb von 3 Monaten");
  fl_lead_set_answer (lead, "timeframe", answer);
  fl_lead_add_interaction (lead, "demo", "2026-06-23T10:15:00+02:00");
  fl_lead_set_override (lead, "SAL", "Änne", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (leads); i++)
    {
      g_autoptr(JsonNode) expected = fl_lead_to_json (leads[i]);
      g_autoptr(JsonNode) written = NULL;
      g_autoptr(GString) out = g_string_new ("[");

      fl_lead_append_json (leads[i], out);
      g_string_append_c (out, ']');
      written = parse (out->str);
      g_assert_cmpuint (json_array_get_length (json_node_get_array (written)), ==, 1);
      g_assert_true (json_node_equal (json_array_get_element (json_node_get_array (written), 0),
                                      expected));
    }
}

/* Times as given, and as a lead keeps them: UTC with milliseconds; a
 * time already so (read back from the database) as it is, text that is no
 * time as it was given. */
static const struct { const char *in, *out; } time_cases[] = {
  { "2026-06-23T08:15:00.000Z", "2026-06-23T08:15:00.000Z" },
  { "2026-06-23T10:15:00+02:00", "2026-06-23T08:15:00.000Z" },
  { "2026-06-23T08:15:00Z", "2026-06-23T08:15:00.000Z" },
  { "2026-06-23T08:15:00.123456Z", "2026-06-23T08:15:00.123Z" },
  { "2026-13-45T99:99:99.000Z", "2026-13-45T99:99:99.000Z" },
  { "2026-06-23T08:15:00.000Zx", "2026-06-23T08:15:00.000Zx" },
  { "gestern", "gestern" },
};

/* Interaction times are kept in UTC with milliseconds; a time already so
 * (read back from the database) is taken as it is, anything else is
 * normalised, and text that is no time stays as it was given. */
static void
test_interaction_times (void)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  JsonArray *interactions;

  for (guint i = 0; i < G_N_ELEMENTS (time_cases); i++)
    fl_lead_add_interaction (lead, "demo", time_cases[i].in);
  interactions = json_node_get_array (fl_lead_get_interactions (lead));
  g_assert_cmpuint (json_array_get_length (interactions), ==, G_N_ELEMENTS (time_cases));
  for (guint i = 0; i < G_N_ELEMENTS (time_cases); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (interactions, i), "at"),
                     ==, time_cases[i].out);
}

/* Creation and change times: a canonical UTC time (as the database
 * holds it) is kept as it is, any other ISO 8601 time is normalised,
 * anything else kept as given. */
static void
test_lead_times (void)
{

  for (guint i = 0; i < G_N_ELEMENTS (time_cases); i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();

      fl_lead_set_created_at (lead, time_cases[i].in);
      fl_lead_set_updated_at (lead, time_cases[i].in);
      g_assert_cmpstr (fl_lead_get_created_at (lead), ==, time_cases[i].out);
      g_assert_cmpstr (fl_lead_get_updated_at (lead), ==, time_cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/lead/json/round-trip-german", test_round_trip_german);
  g_test_add_func ("/lead/json/key-order", test_key_order);
  g_test_add_func ("/lead/json/bad", test_bad_json);
  g_test_add_func ("/lead/json/append", test_append_json);
  g_test_add_func ("/lead/interaction-times", test_interaction_times);
  g_test_add_func ("/lead/times", test_lead_times);
  g_test_add_func ("/lead/json/minimal", test_minimal_json);
  g_test_add_func ("/lead/identity", test_identity);
  g_test_add_func ("/lead/enums", test_enums);

  return g_test_run ();
}
