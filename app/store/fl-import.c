/* fl-import.c: leads from JSON or JSON Lines into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-import.h"

typedef struct
{
  FlStore           *store;
  const char        *name;
  FlImportLeadFunc   lead_func;
  FlImportErrorFunc  error_func;
  gpointer           user_data;
  gssize             n_imported;
  GError            *stop;       /* a full or failing disk, or damage: nothing more can be saved */
} Import;

/* A long import checkpoints the WAL itself every so many leads, so that the
 * -wal file stays near the auto-checkpoint size even when the kiosk or
 * another reader keeps the database open. */
#define CHECKPOINT_EVERY 500

static void
report (Import *import, const char *where, const GError *error)
{
  if (import->error_func != NULL)
    import->error_func (where, error, import->user_data);
  else
    g_warning ("%s: %s", where, error->message);
}

/* Each lead is its own transaction: a bad one never takes good ones down,
 * and a lead reported to lead_func is on disk. */
static void
import_node (Import *import, JsonNode *node, const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = fl_lead_new_from_json (node, &error);

  if (lead == NULL || !fl_store_save_lead (import->store, lead, "import", &error))
    {
      /* Every lead after this one would fail the same way, and writing on
       * into a damaged file spreads the damage; going on would also bury
       * the one message that matters under thousands. */
      if (fl_store_error_is_disk (error) ||
          g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED))
        import->stop = g_steal_pointer (&error);
      else
        report (import, where, error);
      return;
    }
  import->n_imported++;
  if (import->n_imported % CHECKPOINT_EVERY == 0)
    sqlite3_exec (fl_store_get_db (import->store), "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL,
                  NULL);
  if (import->lead_func != NULL)
    import->lead_func (lead, import->user_data);
}

static void
import_text (Import *import, const char *text, gsize length, const char *where)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;

  if (!json_parser_load_from_data (parser, text, length, &error))
    {
      /* JSON-GLib says "<data>:1:3: Parse error: …"; the line is ours. */
      if (g_str_has_prefix (error->message, "<data>:"))
        {
          const char *rest = strstr (error->message + strlen ("<data>:"), ": ");
          if (rest != NULL)
            {
              char *message = g_strdup (rest + 2);
              g_free (error->message);
              error->message = message;
            }
        }
      report (import, where, error);
      return;
    }
  import_node (import, json_parser_get_root (parser), where);
}

/* Ends an import that a full or failing disk stopped; @n_before is the last
 * line or element before the one that could not be saved. */
static gssize
stop_import (Import *import, gboolean lines, guint n_before, GError **error)
{
  if (n_before == 0)
    g_set_error (error, FL_STORE_ERROR, import->stop->code, _("%s; nothing was saved"),
                 import->stop->message);
  else if (lines)
    g_set_error (error, FL_STORE_ERROR, import->stop->code,
                 _("%s; nothing after line %u was saved"), import->stop->message, n_before);
  else
    g_set_error (error, FL_STORE_ERROR, import->stop->code,
                 _("%s; nothing after element %u was saved"), import->stop->message, n_before);
  g_clear_error (&import->stop);
  return -1;
}

/**
 * fl_import_leads:
 * @name: the input's name for messages ("-" for stdin)
 *
 * Reads a JSON array of leads, or JSON Lines (one lead a line), and saves
 * each lead in its own transaction.
 *
 * The import stops at the first lead that a full or failing disk or a
 * damaged database keeps from being saved, with that error in @error.
 *
 * Returns: the number of leads imported, or -1 when the input could not be
 *   read at all or the disk stopped the import
 */
gssize
fl_import_leads (FlStore *store, GInputStream *input, const char *name, FlImportLeadFunc lead_func,
                 FlImportErrorFunc error_func, gpointer user_data, GError **error)
{
  g_autoptr(GDataInputStream) data = g_data_input_stream_new (input);
  Import import = { store, name, lead_func, error_func, user_data, 0 };
  GString *array_text = NULL;
  guint line_number = 0;

  g_return_val_if_fail (FL_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), -1);

  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  g_filter_input_stream_set_close_base_stream (G_FILTER_INPUT_STREAM (data), FALSE);

  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *line = NULL;
      gsize length = 0;
      const char *start;

      line = g_data_input_stream_read_line_utf8 (data, &length, NULL, &local_error);
      if (local_error != NULL)
        {
          g_autofree char *where = g_strdup_printf ("%s:%u", name, line_number + 1);
          if (array_text == NULL && g_error_matches (local_error, G_CONVERT_ERROR,
                                                     G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
            {
              /* One line of bad bytes costs that line, not the rest. */
              g_free (g_data_input_stream_read_line (data, NULL, NULL, NULL));
              line_number++;
              report (&import, where, local_error);
              continue;
            }
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", where, local_error->message);
          if (array_text != NULL)
            g_string_free (array_text, TRUE);
          return -1;
        }
      if (line == NULL)
        break;
      line_number++;

      start = line;
      if (line_number == 1 && g_str_has_prefix (start, "\xef\xbb\xbf"))
        start += 3;

      if (array_text != NULL)
        {
          g_string_append (array_text, start);
          g_string_append_c (array_text, '\n');
          continue;
        }
      while (g_ascii_isspace (*start))
        start++;
      if (*start == '\0')
        continue;
      if (*start == '[' && import.n_imported == 0)
        {
          array_text = g_string_new (start);
          g_string_append_c (array_text, '\n');
          continue;
        }
      {
        g_autofree char *where = g_strdup_printf ("%s:%u", name, line_number);
        import_text (&import, start, strlen (start), where);
      }
      if (import.stop != NULL)
        return stop_import (&import, TRUE, line_number - 1, error);
    }

  if (array_text != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      g_autoptr(GError) local_error = NULL;
      JsonArray *array;

      if (!json_parser_load_from_data (parser, array_text->str, array_text->len, &local_error))
        {
          g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA, "%s: %s", name,
                       local_error->message);
          g_string_free (array_text, TRUE);
          return -1;
        }
      g_string_free (array_text, TRUE);
      array = json_node_get_array (json_parser_get_root (parser));
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *where = g_strdup_printf (_("%s: element %u"), name, i + 1);
          import_node (&import, json_array_get_element (array, i), where);
          if (import.stop != NULL)
            return stop_import (&import, FALSE, i, error);
        }
    }

  /* Leaves an empty -wal behind when no reader needs it. */
  sqlite3_exec (fl_store_get_db (store), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return import.n_imported;
}
