/* fuzz-csv.c: libFuzzer harness for the roster CSV reader and column mapping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-fuzz.h"

#include <stdint.h>
#include <stdlib.h>

#include "lead/fl-csv.h"
#include "lead/fl-roster.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_log_set_writer_func (fl_fuzz_abort_on_critical, NULL, NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static const char *const overrides[] = { "Badge=badge_id", NULL };
  g_autoptr(FlCsvReader) reader = fl_csv_reader_new ((const char *) data, (gssize) size, 0);
  g_autoptr(FlRosterMapping) mapping = NULL;
  g_autoptr(GPtrArray) header = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *values;

  header = fl_csv_reader_next (reader, NULL, &error);
  if (header == NULL)
    return 0;
  mapping = fl_roster_mapping_new (header, size % 2 ? overrides : NULL, NULL);
  while ((values = fl_csv_reader_next (reader, NULL, &error)) != NULL)
    {
      g_autoptr(JsonObject) extra = NULL;
      g_autofree char *reason = NULL;
      g_autoptr(FlLead) lead = NULL;

      for (guint i = 0; i < values->len; i++)
        if (!g_utf8_validate (g_ptr_array_index (values, i), -1, NULL))
          g_error ("invalid UTF-8 in a field");
      if (mapping != NULL)
        lead = fl_roster_mapping_apply (mapping, values, &extra, &reason);
      if (mapping != NULL && lead == NULL && reason == NULL)
        g_error ("a skipped row without a reason");
      g_ptr_array_unref (values);
    }
  return 0;
}
