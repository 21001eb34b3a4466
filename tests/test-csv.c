/* test-csv.c: the roster CSV reader and column mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lead/fl-csv.h"
#include "lead/fl-roster.h"

typedef struct
{
  const char *name;
  const char *input;
  char        delimiter;   /* expected */
  /* records joined by "\n", fields by "|", each record prefixed "LINE:" */
  const char *expected;
} CsvCase;

static const CsvCase cases[] = {
  { "comma", "a,b,c\n1,2,3\n", ',', "1:a|b|c\n2:1|2|3" },
  { "semicolon-excel-de", "Vorname;Nachname;Firma\r\nJörg;Weiß;Bäckerei\r\n", ';',
    "1:Vorname|Nachname|Firma\n2:Jörg|Weiß|Bäckerei" },
  { "tab", "id\tname\n7\tAnna, Maria\n", '\t', "1:id|name\n2:7|Anna, Maria" },
  { "bom", "\xef\xbb\xbf" "Badge-ID,Name\n1,Anna\n", ',', "1:Badge-ID|Name\n2:1|Anna" },
  { "windows-1252", "Name;Stra\xdf" "e\n\x84M\xfcller\x93;Gr\xfc\xdf" "e 1\n", ';',
    "1:Name|Straße\n2:„Müller“|Grüße 1" },
  { "quoted-newlines-and-quotes",
    "id,note,city\n1,\"Zeile eins\r\nZeile \"\"zwei\"\"\",Köln\n2,\"a,b\",\"\"\n", ',',
    "1:id|note|city\n2:1|Zeile eins\nZeile \"zwei\"|Köln\n4:2|a,b|" },
  { "blank-lines-and-cr-only", "a;b\r\r\n\n1;2\r3;4", ';', "1:a|b\n4:1|2\n5:3|4" },
  { "empty-fields", ",,\n", ',', "1:||" },
  { "tie-goes-to-comma", "a,b;c\n", ',', "1:a|b;c" },
  { "quote-after-space", "a, \"b,c\"\n", ',', "1:a|b,c" },
};

static void
test_case (gconstpointer data)
{
  const CsvCase *c = data;
  g_autoptr(FlCsvReader) reader = fl_csv_reader_new (c->input, -1, 0);
  g_autoptr(GString) got = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  GPtrArray *fields;
  guint line;

  g_assert_cmpint (fl_csv_reader_get_delimiter (reader), ==, c->delimiter);
  while ((fields = fl_csv_reader_next (reader, &line, &error)) != NULL)
    {
      if (got->len > 0)
        g_string_append_c (got, '\n');
      g_string_append_printf (got, "%u:", line);
      for (guint i = 0; i < fields->len; i++)
        g_string_append_printf (got, "%s%s", i ? "|" : "", (char *) g_ptr_array_index (fields, i));
      g_ptr_array_unref (fields);
    }
  g_assert_no_error (error);
  g_assert_cmpstr (got->str, ==, c->expected);
}

static void
test_unterminated_quote (void)
{
  g_autoptr(FlCsvReader) reader = fl_csv_reader_new ("a,b\n1,2\n3,\"open\n4,5\n", -1, 0);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) header = fl_csv_reader_next (reader, NULL, &error);
  g_autoptr(GPtrArray) first = fl_csv_reader_next (reader, NULL, &error);
  GPtrArray *broken;
  guint line = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (first->len, ==, 2);
  broken = fl_csv_reader_next (reader, &line, &error);
  g_assert_null (broken);
  g_assert_error (error, FL_CSV_ERROR, FL_CSV_ERROR_UNTERMINATED_QUOTE);
  g_assert_cmpuint (line, ==, 3);
  g_assert_nonnull (strstr (error->message, "3"));
  g_clear_error (&error);
  g_assert_null (fl_csv_reader_next (reader, NULL, &error));
  g_assert_no_error (error);
}

static GPtrArray *
strv_array (const char *joined)
{
  g_auto(GStrv) parts = g_strsplit (joined, "|", -1);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    g_ptr_array_add (array, g_strdup (parts[i]));
  return array;
}

typedef struct
{
  const char *header;
  const char *overrides;  /* comma-separated or NULL */
  const char *targets;    /* expected, "|"-separated */
} MappingCase;

static const MappingCase mappings[] = {
  { "Badge-ID|Vorname|Nachname|Firma|E-Mail|Position|Telefon|Mobil|Land|Ort|PLZ|Straße|Abteilung",
    NULL,
    "badge_id|first_name|last_name|company|email|title|phone|mobile|country|city|postal_code|"
    "street|department" },
  { "Ticket|Vorname|Name|Unternehmen|Funktion|Sitzplatz", NULL,
    "badge_id|first_name|last_name|company|title|extra" },
  { "ID|Ticket Number|First Name|Last Name|Email Address|Company Name|Job Title|Zip Code|State",
    NULL, "extra|badge_id|first_name|last_name|email|company|title|postal_code|region" },
  { "Kunden-Nr|Name|Bemerkung|", "Kunden-Nr=badge_id,bemerkung=ignore",
    "badge_id|full_name|ignore|ignore" },
  { "Barcode|Full Name|Web", "Web=extra", "badge_id|full_name|extra" },
};

static void
test_mapping (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (mappings); i++)
    {
      g_autoptr(GPtrArray) header = strv_array (mappings[i].header);
      g_auto(GStrv) overrides = mappings[i].overrides ? g_strsplit (mappings[i].overrides, ",", -1) : NULL;
      g_auto(GStrv) targets = g_strsplit (mappings[i].targets, "|", -1);
      g_autoptr(GError) error = NULL;
      g_autoptr(FlRosterMapping) mapping =
        fl_roster_mapping_new (header, (const char *const *) overrides, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (fl_roster_mapping_get_n_columns (mapping), ==, g_strv_length (targets));
      for (guint j = 0; targets[j] != NULL; j++)
        g_assert_cmpstr (fl_roster_mapping_get_target (mapping, j), ==, targets[j]);
    }
}

static void
test_mapping_errors (void)
{
  static const struct { const char *header, *override; int code; const char *mentions; } bad[] = {
    { "Vorname|Nachname", NULL, FL_ROSTER_ERROR_NO_BADGE_COLUMN, "--map" },
    { "Badge|Name", "Nr=badge_id", FL_ROSTER_ERROR_BAD_MAP, "“Badge”, “Name”" },
    { "Badge|Name", "Name=vorname", FL_ROSTER_ERROR_BAD_MAP, "postal_code" },
    { "Badge|Name", "Name", FL_ROSTER_ERROR_BAD_MAP, "COLUMN=FIELD" },
    { "Badge|Ticket", "Badge=badge_id", FL_ROSTER_ERROR_NO_BADGE_COLUMN, "Both" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GPtrArray) header = strv_array (bad[i].header);
      const char *overrides[] = { bad[i].override, NULL };
      g_autoptr(GError) error = NULL;
      g_autoptr(FlRosterMapping) mapping = fl_roster_mapping_new (header, overrides, &error);

      g_assert_null (mapping);
      g_assert_error (error, FL_ROSTER_ERROR, bad[i].code);
      g_assert_nonnull (strstr (error->message, bad[i].mentions));
    }
}

static void
test_apply (void)
{
  g_autoptr(GPtrArray) header = strv_array ("Badge-ID|Name|E-Mail|Firma|Sitzplatz");
  g_autoptr(GError) error = NULL;
  g_autoptr(FlRosterMapping) mapping = fl_roster_mapping_new (header, NULL, &error);
  g_autoptr(GPtrArray) good = strv_array (" B-1 |Muster, Anna| anna@muster.de |Muster GmbH|R12");
  g_autoptr(GPtrArray) bad_email = strv_array ("B-2|Kai Lehmann|kai at lehmann|K AG|");
  g_autoptr(GPtrArray) no_badge = strv_array (" |Kai|k@l.de|K|");
  g_autoptr(GPtrArray) too_many = strv_array ("B-3|Kai|k@l.de|K|x|oops");
  g_autoptr(GPtrArray) trailing = strv_array ("B-4|Kai|k@l.de|K|x| |");
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(JsonObject) extra = NULL;
  g_autofree char *reason = NULL;

  lead = fl_roster_mapping_apply (mapping, good, &extra, &reason);
  g_assert_null (reason);
  g_assert_cmpstr (fl_lead_get_badge_id (lead), ==, "B-1");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FIRST_NAME), ==, "Anna");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_LAST_NAME), ==, "Muster");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FULL_NAME), ==, "Anna Muster");
  g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_EMAIL), ==, "anna@muster.de");
  g_assert_cmpstr (json_object_get_string_member (extra, "Sitzplatz"), ==, "R12");
  g_clear_object (&lead);
  g_clear_pointer (&extra, json_object_unref);

  lead = fl_roster_mapping_apply (mapping, bad_email, &extra, &reason);
  g_assert_nonnull (lead);
  g_assert_null (fl_lead_get_field (lead, FL_FIELD_EMAIL));
  g_assert_cmpstr (json_object_get_string_member (extra, "E-Mail"), ==, "kai at lehmann");
  g_clear_object (&lead);
  g_clear_pointer (&extra, json_object_unref);

  lead = fl_roster_mapping_apply (mapping, no_badge, &extra, &reason);
  g_assert_null (lead);
  g_assert_nonnull (strstr (reason, "Badge-ID"));
  g_clear_pointer (&reason, g_free);

  lead = fl_roster_mapping_apply (mapping, too_many, &extra, &reason);
  g_assert_null (lead);
  g_assert_nonnull (strstr (reason, "6 values"));
  g_clear_pointer (&reason, g_free);

  lead = fl_roster_mapping_apply (mapping, trailing, &extra, &reason);
  g_assert_nonnull (lead);
  g_assert_null (reason);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/csv/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/csv/unterminated-quote", test_unterminated_quote);
  g_test_add_func ("/roster/mapping", test_mapping);
  g_test_add_func ("/roster/mapping-errors", test_mapping_errors);
  g_test_add_func ("/roster/apply", test_apply);

  return g_test_run ();
}
