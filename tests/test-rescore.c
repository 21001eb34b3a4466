/* test-rescore.c: models in the database, scoring at capture, rescore
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fl-demo.h"
#include "score/fl-model-store.h"
#include "score/fl-rescore.h"
#include "score/fl-scorer.h"
#include "fl-test.h"

/* SAL at 30: timeframe "now" (25) and a demo (10) make a SAL. */
#define MODEL_TEMPLATE                                                                             \
  "{\"name\": \"Rescore test\", \"version\": %d, \"agreed_by\": [\"Marketing\", \"Sales\"],"     \
  " \"consent\": {\"version\": \"1\", \"text\": {\"en\": \"Yes.\", \"de\": \"Ja.\"}},"             \
  " \"questions\": [{\"id\": \"timeframe\", \"type\": \"single\", \"group\": \"fit\","             \
  "   \"required_for_sal\": true, \"label\": {\"en\": \"Timeframe\", \"de\": \"Zeitrahmen\"},"     \
  "   \"options\": [{\"id\": \"now\", \"label\": {\"en\": \"now\", \"de\": \"sofort\"}, \"points\": %d},"  \
  "                 {\"id\": \"later\", \"label\": {\"en\": \"later\", \"de\": \"später\"}, \"points\": 5}," \
  "                 {\"id\": \"asap\", \"label\": {\"en\": \"asap\", \"de\": \"sofort\"}, \"points\": 30}]}]," \
  " \"rules\": [{\"id\": \"student\", \"field\": \"title\", \"matches\": \"student\","             \
  "   \"disqualify\": true, \"reason\": {\"en\": \"Student\", \"de\": \"Studierende\"}}],"         \
  " \"interactions\": [{\"kind\": \"demo\", \"label\": {\"en\": \"Demo\", \"de\": \"Demo\"}, \"points\": 10}]," \
  " \"thresholds\": {\"sal\": 30}}"

typedef struct
{
  FlTestFixture base;
  FlModel      *model;
} Fixture;

static FlModel *
make_model (int version, int points_now)
{
  char *text = g_strdup_printf (MODEL_TEMPLATE, version, points_now);
  g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));
  g_autoptr(GError) error = NULL;
  FlModel *model;

  model = fl_model_new_from_bytes (bytes, NULL, &error);
  g_assert_no_error (error);
  return model;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Rescore show");
  fl_test_fixture_open (&f->base, NULL, event);
  f->model = make_model (1, 25);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->model);
  fl_test_fixture_close (&f->base);
}

/* Only a lead with consent goes to the CRM (the consent gate). */
static void
give_consent (FlLead *lead)
{
  g_autoptr(JsonNode) consent = json_from_string ("{\"version\": \"1\", \"given\": true}", NULL);

  fl_lead_set_consent (lead, consent);
}

static FlLead *
save_lead (Fixture *f, const char *name, const char *title, const char *timeframe, gboolean demo)
{
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(GError) error = NULL;

  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, name);
  fl_lead_set_field (lead, FL_FIELD_TITLE, title);
  if (timeframe != NULL)
    {
      g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (value, timeframe);
      fl_lead_set_answer (lead, "timeframe", value);
    }
  if (demo)
    fl_lead_add_interaction (lead, "demo", NULL);
  give_consent (lead);
  g_assert_true (fl_scorer_score_lead (f->base.store, lead, &error));
  g_assert_no_error (error);
  g_assert_true (fl_store_save_lead (f->base.store, lead, "test", &error));
  g_assert_no_error (error);
  return g_steal_pointer (&lead);
}

static FlLead *
reload (Fixture *f, FlLead *lead)
{
  g_autoptr(GError) error = NULL;
  FlLead *stored = fl_store_get_lead (f->base.store, fl_lead_get_uuid (lead), &error);

  g_assert_no_error (error);
  return stored;
}

static void
test_activate (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) loaded = NULL;
  g_autoptr(FlModel) changed = make_model (1, 30);
  g_autoptr(FlModel) bumped = make_model (2, 30);

  /* No model yet: scoring at capture is skipped, not an error. */
  loaded = fl_model_store_load_for_event (f->base.store, NULL, &error);
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL);
  g_assert_null (loaded);
  g_clear_error (&error);

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  g_assert_no_error (error);
  loaded = fl_model_store_load_for_event (f->base.store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_model_get_sha256 (loaded), ==, fl_model_get_sha256 (f->model));
  g_clear_object (&loaded);

  /* Loading the same model again is harmless. */
  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM models"), ==, 1);

  /* Same version, other content: refused, and the model in force stays. */
  g_assert_false (fl_model_store_activate (f->base.store, changed, "tester", &error));
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_VERSION_CONFLICT);
  g_assert_nonnull (strstr (error->message, "Bump the “version”"));
  g_clear_error (&error);
  loaded = fl_model_store_load_for_event (f->base.store, NULL, &error);
  g_assert_cmpstr (fl_model_get_sha256 (loaded), ==, fl_model_get_sha256 (f->model));
  g_clear_object (&loaded);

  /* A new version replaces it; both stay stored. */
  g_assert_true (fl_model_store_activate (f->base.store, bumped, "tester", &error));
  g_assert_no_error (error);
  loaded = fl_model_store_load_for_event (f->base.store, NULL, &error);
  g_assert_cmpint (fl_model_get_version (loaded), ==, 2);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM models"), ==, 2);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'model-loaded'"), ==, 3);
}

static void
test_score_at_capture (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) unscored = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(FlLead) stored = NULL;
  g_autoptr(FlModel) bumped = make_model (2, 30);
  JsonObject *reference;

  unscored = save_lead (f, "Before Model", NULL, "now", TRUE);
  g_assert_null (fl_lead_get_model (unscored));
  g_assert_cmpint (fl_lead_get_score (unscored), ==, 0);

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  lead = save_lead (f, "Anna", "Head of IT", "now", TRUE);
  stored = reload (f, lead);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 35);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_SAL);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fl_lead_get_breakdown (stored))), ==, 3);
  reference = json_node_get_object (fl_lead_get_model (stored));
  g_assert_cmpstr (json_object_get_string_member (reference, "sha256"), ==, fl_model_get_sha256 (f->model));
  g_assert_cmpint (json_object_get_int_member (reference, "version"), ==, 1);
  g_clear_object (&lead);
  g_clear_object (&stored);

  /* The cache follows a newly loaded model. */
  g_assert_true (fl_model_store_activate (f->base.store, bumped, "tester", &error));
  lead = save_lead (f, "Ben", NULL, "now", FALSE);
  g_assert_cmpint (fl_lead_get_score (lead), ==, 30);
  reference = json_node_get_object (fl_lead_get_model (lead));
  g_assert_cmpint (json_object_get_int_member (reference, "version"), ==, 2);
}

static void
test_override (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(FlLead) stored = NULL;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  lead = save_lead (f, "Carl", NULL, "later", FALSE);
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_MQL);

  g_assert_false (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (lead), "SAL", "Petra", "", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (lead), "HOT", "Petra", "x", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (lead), "SAL", "Petra",
                                         "Met the CTO at dinner", &error));
  g_assert_no_error (error);
  stored = reload (f, lead);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_SAL);
  g_assert_cmpstr (fl_lead_get_override_by (stored), ==, "Petra");
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'status-override' "
                                    "AND detail = 'MQL → SAL: Met the CTO at dinner'"), ==, 1);
  g_clear_object (&stored);

  g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (lead), NULL, "Petra", NULL, &error));
  g_assert_no_error (error);
  stored = reload (f, lead);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_MQL);
  g_assert_null (fl_lead_get_override_status (stored));
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'status-override'"), ==, 2);
}

/* Cleared where no model is in force (an event without one, leads
 * imported with their scores): the status recorded with the last score
 * stands again, not the one set by hand. */
static void
test_override_cleared_without_model (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autoptr(FlLead) plain = fl_lead_new ();
  g_autoptr(FlLead) stored = NULL;
  g_autoptr(JsonNode) breakdown = json_from_string ("[{\"source\":\"question\",\"id\":\"timeframe\",\"points\":70},"
                                                    "{\"source\":\"status\",\"id\":\"SAL\"}]", &error);

  g_assert_no_error (error);
  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Dora Scored");
  fl_lead_set_score (lead, 70);
  fl_lead_set_status (lead, FL_STATUS_SAL);
  fl_lead_set_breakdown (lead, breakdown);
  fl_lead_set_field (plain, FL_FIELD_FULL_NAME, "Emil Unscored");
  g_assert_true (fl_store_save_lead (f->base.store, lead, "test", &error));
  g_assert_true (fl_store_save_lead (f->base.store, plain, "test", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < 2; i++)
    {
      FlLead *which = i == 0 ? lead : plain;

      g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (which), "DISQUALIFIED", "Petra",
                                             "Press, not a buyer", &error));
      stored = reload (f, which);
      g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_DISQUALIFIED);
      g_clear_object (&stored);
      g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (which), NULL, "Petra", NULL, &error));
      g_assert_no_error (error);
      stored = reload (f, which);
      g_assert_null (fl_lead_get_override_status (stored));
      g_assert_cmpint (fl_lead_get_status (stored), ==, i == 0 ? FL_STATUS_SAL : FL_STATUS_MQL);
      g_clear_object (&stored);
    }
}

/* The same leads, a dry run then a real run with a changed model. */
static void
test_rescore (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);
  g_autoptr(FlRescoreReport) dry = NULL;
  g_autoptr(FlRescoreReport) real = NULL;
  g_autoptr(FlRescoreReport) again = NULL;
  g_autoptr(FlLead) sal = NULL, kept = NULL, student = NULL, mql = NULL, stored = NULL;
  gint64 audits_before;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  sal = save_lead (f, "Sal Lead", NULL, "now", TRUE);              /* 35 SAL → 25 MQL */
  kept = save_lead (f, "Kept Lead", NULL, "now", TRUE);            /* 35 SAL, override SAL */
  student = save_lead (f, "Stu Dent", "Student", "now", TRUE);     /* DISQUALIFIED either way */
  mql = save_lead (f, "Mo Ql", NULL, "later", FALSE);               /* 5 MQL either way */
  g_assert_true (fl_scorer_set_override (f->base.store, fl_lead_get_uuid (kept), "SAL", "Petra", "Key account", &error));
  g_assert_cmpint (fl_lead_get_status (sal), ==, FL_STATUS_SAL);
  g_assert_cmpint (fl_lead_get_status (student), ==, FL_STATUS_DISQUALIFIED);
  audits_before = fl_test_query_int (f->base.store, "SELECT count(*) FROM audit");
  g_assert_true (fl_store_exec (f->base.store, "INSERT INTO connectors (name, type, created_at) "
                                          "VALUES ('crm', 'webhook', '2026-06-01T00:00:00.000Z')",
                                &error));

  dry = fl_rescore (f->base.store, stricter, NULL, TRUE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (dry->n_leads, ==, 4);
  g_assert_cmpuint (dry->n_moved, ==, 1);
  g_assert_cmpuint (dry->n_changed, ==, 4);  /* new model on every lead */
  g_assert_cmpuint (dry->n_overridden, ==, 1);
  g_assert_cmpuint (dry->moves[FL_STATUS_SAL][FL_STATUS_MQL], ==, 1);
  g_assert_cmpuint (dry->moves[FL_STATUS_SAL][FL_STATUS_SAL], ==, 1);
  g_assert_cmpuint (dry->moves[FL_STATUS_DISQUALIFIED][FL_STATUS_DISQUALIFIED], ==, 1);
  g_assert_cmpuint (dry->moves[FL_STATUS_MQL][FL_STATUS_MQL], ==, 1);
  g_assert_cmpuint (dry->changes->len, ==, 1);
  g_assert_cmpstr (((FlRescoreChange *) g_ptr_array_index (dry->changes, 0))->uuid, ==, fl_lead_get_uuid (sal));
  g_assert_cmpstr (((FlRescoreChange *) g_ptr_array_index (dry->changes, 0))->name, ==, "Sal Lead");
  g_assert_cmpint (((FlRescoreChange *) g_ptr_array_index (dry->changes, 0))->score_after, ==, 25);

  /* A dry run writes nothing: not the leads, not the model, no audit. */
  stored = reload (f, sal);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_SAL);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 35);
  g_clear_object (&stored);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit"), ==, audits_before);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM models"), ==, 1);

  real = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (real->n_moved, ==, dry->n_moved);
  g_assert_cmpuint (real->n_changed, ==, dry->n_changed);
  g_assert_cmpmem (real->moves, sizeof real->moves, dry->moves, sizeof dry->moves);

  stored = reload (f, sal);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_MQL);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 25);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (fl_lead_get_model (stored)), "version"), ==, 2);
  g_clear_object (&stored);
  stored = reload (f, kept);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_SAL);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 25);
  g_assert_cmpstr (fl_lead_get_override_status (stored), ==, "SAL");
  g_clear_object (&stored);

  /* Only the model changed: same score and status, the new model named,
   * not queued again. */
  stored = reload (f, mql);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_MQL);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 5);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (fl_lead_get_model (stored)), "version"), ==, 2);
  g_clear_object (&stored);

  /* The stored breakdown is the one the scorer gives for the lead. */
  stored = reload (f, sal);
  {
    g_autoptr(FlScore) expected = fl_scorer_score (stricter, stored, NULL, fl_language_default ());

    g_assert_true (json_node_equal (fl_lead_get_breakdown (stored), expected->breakdown));
  }
  g_clear_object (&stored);

  /* A new score or status goes to the CRM again. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 3);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox o JOIN leads l ON l.id = o.lead_id "
                                    "WHERE l.full_name = 'Mo Ql'"), ==, 0);

  /* The breakdown is not stored again, only the time it was scored at:
   * a few bytes a lead instead of a few KB. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_breakdowns "
                                    "WHERE breakdown LIKE '@____-__-__T%'"), ==, 4);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT max (length (breakdown)) FROM lead_breakdowns"), <, 40);

  /* One audit entry for the run and one per lead whose status moved; the
   * file's model is now stored. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit"), ==, audits_before + 2);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'rescore-run' "
                                    "AND lead_uuid IS NULL AND actor = 'tester' AND detail LIKE "
                                    "'model Rescore test v2: 4 leads scored, 4 changed, 1 moved status, at %'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'rescored' "
                                    "AND detail LIKE 'SAL → MQL, score 35 → 25, model Rescore test v2'"), ==, 1);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM models"), ==, 2);

  /* Nothing left to change. */
  again = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_changed, ==, 0);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit"), ==, audits_before + 2);
}

/* A rescored lead's breakdown is computed when it is read, with the
 * model the lead names and at the time it was scored: the same reasons
 * the rescore saw, even after another model is in force. */
static void
test_rescore_breakdown_on_demand (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);
  g_autoptr(FlModel) third = make_model (3, 40);
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlLead) lead = NULL, stored = NULL;
  g_autoptr(FlScore) expected = NULL;
  g_autoptr(GDateTime) at = g_date_time_new_utc (2026, 6, 24, 10, 30, 15.25);
  g_autoptr(GPtrArray) listed = NULL;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  lead = save_lead (f, "Sal Lead", NULL, "now", TRUE);
  report = fl_rescore (f->base.store, stricter, at, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_moved, ==, 1);
  g_assert_true (fl_model_store_activate (f->base.store, third, "tester", &error));

  stored = reload (f, lead);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 25);
  expected = fl_scorer_score (stricter, stored, at, fl_language_default ());
  g_assert_nonnull (fl_lead_get_breakdown (stored));
  g_assert_true (json_node_equal (fl_lead_get_breakdown (stored), expected->breakdown));
  /* Again, from the model kept for it. */
  g_clear_object (&stored);
  stored = reload (f, lead);
  g_assert_true (json_node_equal (fl_lead_get_breakdown (stored), expected->breakdown));

  /* Lists do not compute it: they never show it. */
  listed = fl_store_list_leads (f->base.store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_null (fl_lead_get_breakdown (g_ptr_array_index (listed, 0)));
}

/* Capture stores the breakdown as a mark when the model computes the same
 * one again, and the breakdown itself when it does not. */
static void
test_capture_breakdown_mark (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = NULL, stored = NULL, edited = NULL, stored_edited = NULL;
  g_autoptr(JsonNode) other = json_from_string ("[{\"source\": \"note\", \"reason\": \"by hand\"}]", NULL);

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  lead = save_lead (f, "Sal Lead", NULL, "now", TRUE);
  g_assert_nonnull (fl_lead_get_breakdown (lead));
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_breakdowns "
                                                "WHERE breakdown LIKE '@%'"), ==, 1);
  stored = reload (f, lead);
  g_assert_nonnull (fl_lead_get_breakdown (stored));
  g_assert_true (json_node_equal (fl_lead_get_breakdown (stored), fl_lead_get_breakdown (lead)));

  /* A breakdown no model gives is kept as it is. */
  edited = fl_lead_copy (stored);
  fl_lead_set_breakdown (edited, other);
  g_assert_true (fl_store_save_lead (f->base.store, edited, "test", &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_breakdowns "
                                                "WHERE breakdown LIKE '@%'"), ==, 0);
  stored_edited = reload (f, edited);
  g_assert_true (json_node_equal (fl_lead_get_breakdown (stored_edited), other));
}

static void
test_rescore_active_model (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlLead) lead = NULL;

  report = fl_rescore (f->base.store, NULL, NULL, TRUE, "tester", &error);
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL);
  g_assert_null (report);
  g_clear_error (&error);

  lead = save_lead (f, "Early Bird", NULL, "now", TRUE);   /* captured before any model */
  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  report = fl_rescore (f->base.store, NULL, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_leads, ==, 1);
  g_assert_cmpuint (report->moves[FL_STATUS_MQL][FL_STATUS_SAL], ==, 1);
}

/* Same version with other content is refused in a rescore from a file
 * too, before anything is written. */
static void
test_rescore_version_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlModel) changed = make_model (1, 40);
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(FlLead) stored = NULL;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  lead = save_lead (f, "Dora", NULL, "later", TRUE);
  report = fl_rescore (f->base.store, changed, NULL, FALSE, "tester", &error);
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_VERSION_CONFLICT);
  g_assert_null (report);
  stored = reload (f, lead);
  g_assert_cmpint (fl_lead_get_score (stored), ==, 15);
}

/* More leads than one chunk, to cross the chunk boundary. */
/* @n leads buying "now", every third after a demo, scored and saved in
 * one transaction: a third SAL with the test model, the rest MQL. */
static void
save_many (Fixture *f, guint n)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fl_store_begin (f->base.store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (value, "now");
      fl_lead_set_answer (lead, "timeframe", value);
      if (i % 3 == 0)
        fl_lead_add_interaction (lead, "demo", NULL);
      give_consent (lead);
      g_assert_true (fl_scorer_score_lead (f->base.store, lead, &error));
      g_assert_true (fl_store_save_lead_in_transaction (f->base.store, lead, "test", &error));
    }
  g_assert_true (fl_store_commit (f->base.store, &error));
}

static void
test_rescore_many (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  save_many (f, 4500);

  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_leads, ==, 4500);
  g_assert_cmpuint (report->moves[FL_STATUS_SAL][FL_STATUS_MQL], ==, 1500);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores WHERE status = 'SAL'"), ==, 0);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores WHERE model_version = 2"), ==, 4500);
}

/* A pass-through VFS that counts the statement journals SQLite opens as
 * files (SQLITE_OPEN_SUBJOURNAL). */
static sqlite3_vfs *real_vfs;
static sqlite3_vfs counting_vfs;
static guint n_subjournal_files;

static int
counting_open (sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *file, int flags, int *out_flags)
{
  if (flags & SQLITE_OPEN_SUBJOURNAL)
    n_subjournal_files++;
  return real_vfs->xOpen (real_vfs, name, file, flags, out_flags);
}

static void
register_counting_vfs (void)
{
  real_vfs = sqlite3_vfs_find (NULL);
  g_assert_nonnull (real_vfs);
  counting_vfs = *real_vfs;
  counting_vfs.zName = "fl-test-counting";
  counting_vfs.pNext = NULL;
  counting_vfs.xOpen = counting_open;
  g_assert_cmpint (sqlite3_vfs_register (&counting_vfs, 1), ==, SQLITE_OK);
}

/* Statement journals stay in memory: the audit entries of a run fire the
 * change log's triggers, and their statement journal once went to a
 * temporary file that took every journal page of the rest of the
 * transaction (1.6 GB of writes at 100,000 leads). The run's details are
 * the same as written lead by lead. */
static void
test_rescore_journal_in_memory (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  save_many (f, 4500);
  g_assert_cmpint (fl_test_query_int (f->base.store, "PRAGMA temp_store"), ==, 0);

  n_subjournal_files = 0;
  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_moved, ==, 1500);
  g_assert_cmpuint (n_subjournal_files, ==, 0);
  /* Temporary storage is the store's own again. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "PRAGMA temp_store"), ==, 0);

  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit WHERE action = 'rescored' "
                                    "AND detail = 'SAL → MQL, score 35 → 25, model Rescore test v2' "
                                    "AND actor = 'tester' AND lead_uuid IN (SELECT uuid FROM leads)"), ==, 1500);
  /* In lead order, as before. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit a JOIN audit b ON b.id = a.id + 1 "
                                    "JOIN leads la ON la.uuid = a.lead_uuid JOIN leads lb ON lb.uuid = b.lead_uuid "
                                    "WHERE a.action = 'rescored' AND b.action = 'rescored' AND lb.id < la.id"), ==, 0);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores "
                                    "WHERE model_version = 2 AND model_name = 'Rescore test' "
                                    "AND model_sha256 = (SELECT sha256 FROM models WHERE version = 2)"), ==, 4500);
}

/* The audit entries of a chunk reach SQLite as one JSON object keyed by
 * the leads' uuids: a uuid that is not plain (an old import, a damaged
 * row) is quoted, never breaks the run nor lands on another lead. */
static void
test_rescore_audit_odd_uuid (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlLead) plain = NULL, odd = NULL;
  sqlite3_stmt *stmt;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  plain = save_lead (f, "Plain Lead", NULL, "now", TRUE);   /* 35 SAL → 25 MQL */
  odd = save_lead (f, "Odd Lead", NULL, "now", TRUE);
  g_assert_true (fl_store_exec (f->base.store, "UPDATE leads SET uuid = 'odd \"uuid\" \\ ' || char (10, 1) || 'ü' "
                                          "WHERE full_name = 'Odd Lead'", &error));

  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_moved, ==, 2);

  stmt = fl_store_prepare (f->base.store, "SELECT lead_uuid, detail FROM audit WHERE action = 'rescored' ORDER BY id",
                           &error);
  g_assert_nonnull (stmt);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, fl_lead_get_uuid (plain));
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "SAL → MQL, score 35 → 25, model Rescore test v2");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "odd \"uuid\" \\ \n\001ü");
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 1), ==, "SAL → MQL, score 35 → 25, model Rescore test v2");
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_reset (stmt);
}

/* A run that fails half-way writes nothing, whether it reads on a
 * connection of its own beside the writes (the reader stops with chunks
 * still to read) or on the store's; and the next run works. */
static void
test_rescore_fails_half_way (Fixture *f, gconstpointer data)
{
  gboolean use_reader = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);
  gint64 audits_before;

  _fl_rescore_set_use_reader (use_reader);
  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  save_many (f, 9000);
  audits_before = fl_test_query_int (f->base.store, "SELECT count(*) FROM audit");
  /* The second chunk's audit entries fail: the first chunk is written. */
  g_assert_true (fl_store_exec (f->base.store,
                                "CREATE TRIGGER fail_audit BEFORE INSERT ON audit "
                                "WHEN new.action = 'rescored' AND new.lead_uuid IN "
                                "  (SELECT uuid FROM leads WHERE id > 3000) "
                                "BEGIN SELECT RAISE (ABORT, 'disk on fire'); END",
                                &error));
  g_assert_no_error (error);

  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_null (report);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "disk on fire"));
  g_clear_error (&error);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores WHERE model_version = 1"), ==, 9000);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores WHERE status = 'SAL'"), ==, 3000);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM audit"), ==, audits_before);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM models"), ==, 1);

  g_assert_true (fl_store_exec (f->base.store, "DROP TRIGGER fail_audit", &error));
  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_moved, ==, 3000);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores WHERE model_version = 2"), ==, 9000);
  _fl_rescore_set_use_reader (TRUE);
}

static char *
index_sql (FlStore *store)
{
  g_autoptr(GString) all = g_string_new (NULL);
  sqlite3_stmt *stmt = fl_store_prepare (store,
                                         "SELECT name, sql FROM sqlite_master "
                                         "WHERE type = 'index' AND tbl_name IN ('leads', 'lead_scores') ORDER BY name",
                                         NULL);

  g_assert_nonnull (stmt);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (all, "%s: %s\n", sqlite3_column_text (stmt, 0),
                            sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);
  return g_string_free (g_steal_pointer (&all), FALSE);
}

/* A run that rewrites most of a large event builds the score, status and
 * upload indexes again instead of updating them row by row: afterwards
 * they are all there, the same, and answer the same as before. */
static void
test_rescore_rebuilds_indexes (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRescoreReport) report = NULL;
  g_autoptr(FlRescoreReport) again = NULL;
  g_autoptr(FlModel) stricter = make_model (2, 15);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_true (fl_model_store_activate (f->base.store, f->model, "tester", &error));
  save_many (f, 3000);
  before = index_sql (f->base.store);
  g_assert_nonnull (strstr (before, "lead_scores_status_score"));

  /* A connector: every changed lead is queued again, its upload state
   * (in an index too) set anew. */
  g_assert_true (fl_store_exec (f->base.store, "INSERT INTO connectors (name, type, created_at) "
                                          "VALUES ('crm', 'webhook', 'x');"
                                          "UPDATE leads SET upload_state = 4", &error));
  _fl_rescore_set_rebuild_min_leads (1000);
  /* A dry run changes nothing, indexes included. */
  report = fl_rescore (f->base.store, stricter, NULL, TRUE, "tester", &error);
  g_assert_no_error (error);
  g_clear_pointer (&report, fl_rescore_report_free);
  report = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->n_changed, ==, 3000);
  after = index_sql (f->base.store);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check != 'ok'"),
                   ==, 0);
  /* The indexes answer as the table does. */
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores INDEXED BY lead_scores_status_score "
                                    "WHERE status = 'MQL'"),
                   ==, fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores NOT INDEXED WHERE status = 'MQL'"));
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM leads INDEXED BY leads_event_upload "
                                    "WHERE event = (SELECT event FROM leads LIMIT 1) AND upload_state = 2"),
                   ==, 3000);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 3000);
  g_assert_cmpint (fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores INDEXED BY lead_scores_score "
                                    "WHERE score >= 15"),
                   ==, fl_test_query_int (f->base.store, "SELECT count(*) FROM lead_scores NOT INDEXED WHERE score >= 15"));

  /* Nothing left to change: the indexes are left alone. */
  again = fl_rescore (f->base.store, stricter, NULL, FALSE, "tester", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->n_changed, ==, 0);
  g_free (after);
  after = index_sql (f->base.store);
  g_assert_cmpstr (after, ==, before);
  _fl_rescore_set_rebuild_min_leads (20000);
}

/* The demo event is seeded with the bundled model and its leads scored. */
static void
test_demo_seed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fairlead-demo-XXXXXX", &error);
  g_autofree char *source = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"), "demo", NULL);
  g_autofree char *db = g_build_filename (dir, "demo.db", NULL);
  const char *files[] = { "event.json", "scoring.json" };
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlModel) model = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *leads = g_build_filename (dir, "leads.jsonl", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_autofree char *from = g_build_filename (source, files[i], NULL);
      g_autofree char *to = g_build_filename (dir, files[i], NULL);
      g_autofree char *text = NULL;

      g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
      g_assert_true (g_file_set_contents (to, text, -1, NULL));
    }
  g_assert_true (g_file_set_contents (leads,
    "{\"uuid\": \"44444444-4444-4444-8444-444444444444\", \"full_name\": \"Dana Demo\","
    " \"company\": \"Demo GmbH\", \"answers\": {\"timeframe\": \"3m\", \"budget\": \"approved\","
    " \"role\": \"decides\"}}\n", -1, NULL));

  store = fl_store_open (db, &error);
  g_assert_no_error (error);
  g_assert_true (fl_demo_seed (store, dir, &error));
  g_assert_no_error (error);
  model = fl_model_store_load_for_event (store, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_model_get_name (model), ==, "Automatica booth model");
  lead = fl_store_get_lead (store, "44444444-4444-4444-8444-444444444444", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_lead_get_score (lead), ==, 65);
  g_assert_cmpint (fl_lead_get_status (lead), ==, FL_STATUS_SAL);

  g_clear_object (&store);
  for (const char *const *name = (const char *const[]) { "event.json", "scoring.json", "leads.jsonl",
                                                         "demo.db", "demo.db-wal", "demo.db-shm", NULL };
       *name != NULL; name++)
    {
      g_autofree char *file = g_build_filename (dir, *name, NULL);
      g_remove (file);
    }
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  register_counting_vfs ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/rescore/activate", test_activate);
  ADD ("/rescore/score-at-capture", test_score_at_capture);
  ADD ("/rescore/override", test_override);
  ADD ("/rescore/override-cleared-without-model", test_override_cleared_without_model);
  ADD ("/rescore/dry-run-vs-real", test_rescore);
  ADD ("/rescore/breakdown-on-demand", test_rescore_breakdown_on_demand);
  ADD ("/rescore/capture-breakdown-mark", test_capture_breakdown_mark);
  ADD ("/rescore/active-model", test_rescore_active_model);
  ADD ("/rescore/version-conflict", test_rescore_version_conflict);
  ADD ("/rescore/many", test_rescore_many);
  ADD ("/rescore/rebuilds-indexes", test_rescore_rebuilds_indexes);
  ADD ("/rescore/journal-in-memory", test_rescore_journal_in_memory);
  ADD ("/rescore/audit-odd-uuid", test_rescore_audit_odd_uuid);
  g_test_add ("/rescore/fails-half-way/reader", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up,
              test_rescore_fails_half_way, fixture_tear_down);
  g_test_add ("/rescore/fails-half-way/one-connection", Fixture, GINT_TO_POINTER (FALSE),
              fixture_set_up, test_rescore_fails_half_way, fixture_tear_down);
#undef ADD
  g_test_add_func ("/rescore/demo-seed", test_demo_seed);

  return g_test_run ();
}
