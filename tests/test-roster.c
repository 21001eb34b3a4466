/* test-roster.c: importing attendee lists into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lead/fl-roster.h"
#include "store/fl-roster-store.h"
#include "store/fl-store-private.h"
#include "fl-test.h"

typedef FlTestFixture Fixture;

static FlRosterReport *
import (Fixture *fixture, const char *csv, const char *const *overrides)
{
  g_autoptr(GError) error = NULL;
  FlRosterReport *report = fl_store_import_roster (fixture->store, NULL, csv, -1, overrides, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

static void
assert_skip (FlRosterReport *report, guint index, guint line, const char *mentions)
{
  FlRosterSkip *skip;

  g_assert_cmpuint (index, <, report->skipped->len);
  skip = &g_array_index (report->skipped, FlRosterSkip, index);
  g_assert_cmpuint (skip->line, ==, line);
  if (strstr (skip->reason, mentions) == NULL)
    g_error ("skip reason “%s” does not mention “%s”", skip->reason, mentions);
}

static void
test_german_excel (Fixture *fixture, gconstpointer data)
{
  /* What German Excel saves as “CSV (Trennzeichen-getrennt)”: semicolons,
   * Windows-1252, CRLF. */
  static const char csv[] =
    "Badge-ID;Vorname;Nachname;Firma;E-Mail;Position;Telefon;Land;Ort;PLZ;Sitzplatz\r\n"
    "HM-0001;J\xf6rg;Wei\xdf;B\xe4" "ckerei Wei\xdf GmbH;joerg@weiss.de;Gesch\xe4" "ftsf\xfchrer;"
      "+49 511 1;DE;Hannover;30159;A12\r\n"
    "HM-0002;Anna;M\xfcller;Muster AG;ANNA@MUSTER.DE;Einkauf;;DE;Berlin;10115;\r\n";
  g_autoptr(FlRosterReport) report = import (fixture, csv, NULL);
  g_autoptr(FlLead) joerg = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  g_assert_cmpuint (report->n_imported, ==, 2);
  g_assert_cmpuint (report->n_updated, ==, 0);
  g_assert_cmpuint (report->skipped->len, ==, 0);
  g_assert_cmpint (report->delimiter, ==, ';');
  g_assert_cmpint (fl_store_count_attendees (fixture->store, NULL, &error), ==, 2);

  joerg = fl_store_find_attendee (fixture->store, NULL, "HM-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_FIRST_NAME), ==, "Jörg");
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_LAST_NAME), ==, "Weiß");
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_FULL_NAME), ==, "Jörg Weiß");
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_COMPANY), ==, "Bäckerei Weiß GmbH");
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_TITLE), ==, "Geschäftsführer");
  g_assert_cmpstr (fl_lead_get_field (joerg, FL_FIELD_POSTAL_CODE), ==, "30159");

  stmt = fl_store_prepare (fixture->store, "SELECT extra FROM attendees WHERE badge_id = 'HM-0001'", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "{\"Sitzplatz\":\"A12\"}");
  sqlite3_reset (stmt);

  g_assert_null (fl_store_find_attendee (fixture->store, NULL, "HM-9999", &error));
  g_assert_no_error (error);
}

static void
test_reimport_updates (Fixture *fixture, gconstpointer data)
{
  static const char first[] = "\xef\xbb\xbf" "Ticket,First Name,Last Name,Company\n"
                              "T1,Anna,Muster,Muster GmbH\nT2,Kai,Lehmann,K AG\n";
  static const char second[] = "Ticket,First Name,Last Name,Company\n"
                               "T2,Kai,Lehmann,Lehmann & Söhne\nT3,Ewa,Nowak,\n";
  g_autoptr(FlRosterReport) one = import (fixture, first, NULL);
  g_autoptr(FlRosterReport) two = import (fixture, second, NULL);
  g_autoptr(FlLead) kai = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (one->n_imported, ==, 2);
  g_assert_cmpuint (two->n_imported, ==, 1);
  g_assert_cmpuint (two->n_updated, ==, 1);
  g_assert_cmpint (fl_store_count_attendees (fixture->store, NULL, &error), ==, 3);
  kai = fl_store_find_attendee (fixture->store, NULL, "T2", &error);
  g_assert_cmpstr (fl_lead_get_field (kai, FL_FIELD_COMPANY), ==, "Lehmann & Söhne");
}

static void
test_skips (Fixture *fixture, gconstpointer data)
{
  static const char csv[] =
    "Badge,Name,Email,Notes\n"                       /* 1 */
    "B1,Anna Muster,anna@muster.de,\"Stand 4,\n"     /* 2 */
    "Halle 2\"\n"                                    /* 3 */
    ",Kein Badge,k@b.de,\n"                          /* 4 */
    "\n"                                             /* 5 */
    "B1,Anna Doppelt,anna2@muster.de,\n"             /* 6 */
    "B2,Zu,viele,Werte,hier\n"                       /* 7 */
    "B3,Kai Lehmann,kai@lehmann.de,\n"               /* 8 */
    "B4,\"Offen,x@y.de,\n"                           /* 9 */
    "B5,Nie gelesen,n@g.de,\n";                      /* 10 */
  g_autoptr(FlRosterReport) report = import (fixture, csv, NULL);
  g_autoptr(FlLead) kai = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (report->n_imported, ==, 2);
  g_assert_cmpuint (report->skipped->len, ==, 4);
  assert_skip (report, 0, 4, "Badge");
  assert_skip (report, 1, 6, "line 2");
  assert_skip (report, 2, 7, "5 values");
  assert_skip (report, 3, 9, "quote");
  kai = fl_store_find_attendee (fixture->store, NULL, "B3", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_field (kai, FL_FIELD_FULL_NAME), ==, "Kai Lehmann");
}

static void
test_map_overrides (Fixture *fixture, gconstpointer data)
{
  static const char csv[] = "Kunden-Nr\tAnsprechpartner\tOrganisation\tInterne Notiz\n"
                            "K-77\tLutz van Dijk\tDijk BV\tnicht anrufen\n";
  const char *overrides[] = { "Kunden-Nr=badge_id", "Ansprechpartner=full_name",
                              "Interne Notiz=ignore", NULL };
  g_autoptr(FlRosterReport) report = import (fixture, csv, overrides);
  g_autoptr(FlLead) lutz = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) json = fl_roster_report_to_json (report);
  JsonObject *columns = json_object_get_object_member (json_node_get_object (json), "columns");

  g_assert_cmpint (report->delimiter, ==, '\t');
  g_assert_cmpuint (report->n_imported, ==, 1);
  lutz = fl_store_find_attendee (fixture->store, NULL, "K-77", &error);
  g_assert_cmpstr (fl_lead_get_field (lutz, FL_FIELD_FIRST_NAME), ==, "Lutz");
  g_assert_cmpstr (fl_lead_get_field (lutz, FL_FIELD_LAST_NAME), ==, "van Dijk");
  g_assert_cmpstr (fl_lead_get_field (lutz, FL_FIELD_COMPANY), ==, "Dijk BV");
  g_assert_cmpstr (json_object_get_string_member (columns, "Interne Notiz"), ==, "ignore");
  g_assert_cmpstr (json_object_get_string_member (columns, "Kunden-Nr"), ==, "badge_id");
}

static void
test_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRosterReport) report = NULL;
  const char *bad_map[] = { "Gibtsnicht=badge_id", NULL };

  report = fl_store_import_roster (fixture->store, NULL, "", 0, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_EMPTY);
  g_clear_error (&error);

  report = fl_store_import_roster (fixture->store, NULL, "Vorname,Nachname\nA,B\n", -1, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_NO_BADGE_COLUMN);
  g_clear_error (&error);

  report = fl_store_import_roster (fixture->store, NULL, "Badge\nA\n", -1, bad_map, &error);
  g_assert_null (report);
  g_assert_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_BAD_MAP);
  g_clear_error (&error);

  report = fl_store_import_roster (fixture->store, "no-such-event", "Badge\nA\n", -1, NULL, &error);
  g_assert_null (report);
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_cmpint (fl_store_count_attendees (fixture->store, NULL, &error), ==, 0);
}

static void
test_rosters_per_event (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlEvent) other = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  g_autoptr(FlRosterReport) one = NULL;
  g_autoptr(FlRosterReport) two = NULL;
  g_autoptr(FlLead) found = NULL;
  g_autoptr(GError) error = NULL;

  one = import (fixture, "Badge,Name\nX1,Anna Muster\n", NULL);
  other->name = g_strdup ("IFA 2026");
  created = fl_store_create_event (fixture->store, other, &error);
  g_assert_no_error (error);
  two = import (fixture, "Badge,Name\nX1,Kai Lehmann\n", NULL);
  g_assert_cmpuint (two->n_imported, ==, 1);

  found = fl_store_find_attendee (fixture->store, fixture->event->uuid, "X1", &error);
  g_assert_cmpstr (fl_lead_get_field (found, FL_FIELD_FULL_NAME), ==, "Anna Muster");
  g_clear_object (&found);
  found = fl_store_find_attendee (fixture->store, NULL, "X1", &error);
  g_assert_cmpstr (fl_lead_get_field (found, FL_FIELD_FULL_NAME), ==, "Kai Lehmann");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fl_test_fixture_setup, func, fl_test_fixture_teardown)
  ADD ("/roster/import/german-excel", test_german_excel);
  ADD ("/roster/import/reimport-updates", test_reimport_updates);
  ADD ("/roster/import/skips", test_skips);
  ADD ("/roster/import/map-overrides", test_map_overrides);
  ADD ("/roster/import/errors", test_errors);
  ADD ("/roster/import/per-event", test_rosters_per_event);
#undef ADD

  return g_test_run ();
}
