/* test-export.c: CSV per RFC 4180, safe for spreadsheets
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lead/fl-export.h"

static const struct
{
  const char *cell;
  const char *expected;
} cells[] = {
  { "Anna", "Anna" },
  { "", "" },
  { "Müller, Anna", "\"Müller, Anna\"" },
  { "say \"hi\"", "\"say \"\"hi\"\"\"" },
  { "two\nlines", "\"two\nlines\"" },
  { "cr\rlf", "\"cr\rlf\"" },
  { "=SUM(A1:A9)", "'=SUM(A1:A9)" },
  { "+49 89 123", "'+49 89 123" },
  { "-1", "'-1" },
  { "@import", "'@import" },
  { "\tindented", "'\tindented" },
  { "\rstart", "\"'\rstart\"" },
  { "=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"" },
  { "a=b", "a=b" },
  { "Straße 1", "Straße 1" },
};

static void
test_cells (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    {
      g_autoptr(GString) out = g_string_new (NULL);

      fl_csv_append_cell (out, cells[i].cell);
      g_assert_cmpstr (out->str, ==, cells[i].expected);
    }
}

static void
test_rows (void)
{
  const char *row[] = { "a", NULL, "b,c", "" };
  g_autoptr(GString) out = g_string_new (NULL);

  fl_csv_append_row (out, row, G_N_ELEMENTS (row));
  g_assert_cmpstr (out->str, ==, "a,,\"b,c\",\r\n");
}

static void
test_leads (void)
{
  g_autoptr(GPtrArray) leads = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(FlLead) lead = fl_lead_new ();
  g_autofree char *csv = NULL;
  g_autofree char *json = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  fl_lead_ensure_identity (lead);
  fl_lead_set_field (lead, FL_FIELD_FULL_NAME, "Zoë Weiß");
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "=cmd|' /C calc'!A0");
  g_ptr_array_add (leads, g_object_ref (lead));

  csv = fl_export_csv (leads);
  g_assert_true (g_utf8_validate (csv, -1, NULL));
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "uuid,event,created_at,"));
  g_assert_nonnull (strstr (lines[1], "Zoë Weiß"));
  g_assert_nonnull (strstr (lines[1], ",'=cmd|' /C calc'!A0,"));
  g_assert_cmpstr (lines[2], ==, "");

  json = fl_export_json (leads);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (json_parser_get_root (parser))), ==, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/export/csv/cells", test_cells);
  g_test_add_func ("/export/csv/rows", test_rows);
  g_test_add_func ("/export/leads", test_leads);

  return g_test_run ();
}
