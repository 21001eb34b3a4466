/* fuzz-payload.c: libFuzzer harness for the badge and card payload parser
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-fuzz.h"

#include <stdint.h>
#include <stdlib.h>

#include "lead/fl-payload.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static FlPayloadOptions *options;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  static const char *const columns[] = {
    "badge_id", "first_name", "last_name", "company", "", "email", "Vorname", "note", NULL,
  };

  /* A critical is a bug the fuzzer must report, not a message to skip. */
  g_log_set_writer_func (fl_fuzz_abort_on_critical, NULL, NULL);
  options = fl_payload_options_new ();
  options->badge_columns = g_strdupv ((char **) columns);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr(FlPayloadResult) result = NULL;
  g_autoptr(GError) error = NULL;

  result = fl_payload_parse ((const char *) data, (gssize) size, size % 2 ? options : NULL, &error);
  if (result != NULL)
    {
      g_autoptr(JsonNode) summary = fl_payload_result_to_json (result);
      g_autofree char *lead = fl_lead_to_json_string (result->lead, FALSE);
      const char *raw = fl_lead_get_raw_payload (result->lead);

      /* Whatever came in, what goes to the database is valid UTF-8. */
      if (!JSON_NODE_HOLDS_OBJECT (summary) || raw == NULL || !g_utf8_validate (raw, -1, NULL) ||
          !g_utf8_validate (lead, -1, NULL))
        g_error ("invalid UTF-8 in the lead");
    }
  else if (error == NULL)
    g_error ("no result and no error");
  return 0;
}
