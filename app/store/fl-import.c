/* fl-import.c: leads from JSON or JSON Lines into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-import.h"
#include "lead/fl-json.h"
#include "fl-store-private.h"

typedef struct
{
  FlStore           *store;
  const char        *name;
  FlImportLeadFunc   lead_func;
  FlImportErrorFunc  error_func;
  gpointer           user_data;
  gssize             n_imported;
  GError            *stop;       /* a full or failing disk, or damage: nothing more can be saved */
  guint              stop_before; /* the leads before this line or element are saved */
  guint              current;     /* the line or element being imported */
  GPtrArray         *batch;       /* FlLead saved in the open transaction */
  GPtrArray         *batch_where; /* where each came from, for a failed commit */
  GArray            *batch_lines; /* guint: the line or element of each */
  gint64             batch_started;
  char              *active_event; /* read once per batch, for the leads that name none */
} Import;

/* Group commit: the leads of a batch share one durable transaction, which
 * commits after this many leads or this long after its first lead, and
 * before the importer waits for input. A lead is reported to lead_func
 * only after the commit that holds it. */
#define BATCH_LEADS 500
#define BATCH_USEC  (50 * G_TIME_SPAN_MILLISECOND)

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

/* Every lead after one that a full or failing disk or damage kept from
 * being saved would fail the same way, and writing on into a damaged file
 * spreads the damage; going on would also bury the one message that
 * matters under thousands. */
static gboolean
stops_import (const GError *error)
{
  return fl_store_error_is_disk (error) ||
         g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED);
}

/* A batch whose commit failed is saved again a lead at a time, each in a
 * transaction of its own, as far as the disk lets it: a full disk keeps
 * every lead that still fits, as an import without batches did. The
 * first lead a full or failing disk or damage keeps out stops the import
 * there. */
static void
save_one_by_one (Import *import)
{
  for (guint i = 0; i < import->batch->len && import->stop == NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      FlLead *lead = g_ptr_array_index (import->batch, i);

      if (fl_store_save_lead (import->store, lead, "import", &error))
        {
          import->n_imported++;
          if (import->lead_func != NULL)
            import->lead_func (lead, import->user_data);
        }
      else if (stops_import (error))
        {
          import->stop = g_steal_pointer (&error);
          import->stop_before = g_array_index (import->batch_lines, guint, i) - 1;
        }
      else
        report (import, g_ptr_array_index (import->batch_where, i), error);
    }
}

/* A lead of the batch that could not be saved: a full or failing disk or
 * damage stops the import before it, anything else refuses it alone. */
static void
batch_lead_failed (Import *import, guint i, GError **error)
{
  if (stops_import (*error))
    {
      import->stop = g_steal_pointer (error);
      import->stop_before = g_array_index (import->batch_lines, guint, i) - 1;
    }
  else
    report (import, g_ptr_array_index (import->batch_where, i), *error);
  g_clear_error (error);
}

/* The whole batch in one transaction, one statement per table. */
static gboolean
save_batch (Import *import)
{
  g_autoptr(GError) error = NULL;

  if (!fl_store_begin (import->store, &error))
    return FALSE;
  if (!_fl_store_save_leads_in_transaction (import->store, import->batch, "import", &error))
    {
      fl_store_rollback (import->store);
      g_debug ("Saving the batch lead by lead: %s", error->message);
      return FALSE;
    }
  return fl_store_commit (import->store, &error);
}

/* The batch again, each lead under a savepoint of one transaction: a bad
 * one never takes good ones down, and is reported with its own reason.
 * The batch keeps the leads saved in the transaction. */
static gboolean
save_batch_lead_by_lead (Import *import)
{
  g_autoptr(GError) error = NULL;
  gboolean open = FALSE;
  guint n = 0;

  for (guint i = 0; i < import->batch->len && import->stop == NULL; i++)
    {
      FlLead *lead = g_ptr_array_index (import->batch, i);

      if (!open && !fl_store_begin (import->store, &error))
        {
          batch_lead_failed (import, i, &error);
          continue;
        }
      open = TRUE;
      if (!fl_store_exec (import->store, "SAVEPOINT import_lead", &error))
        {
          batch_lead_failed (import, i, &error);
          continue;
        }
      if (!fl_store_save_lead_in_transaction (import->store, lead, "import", &error))
        {
          fl_store_exec (import->store, "ROLLBACK TO import_lead", NULL);
          fl_store_exec (import->store, "RELEASE import_lead", NULL);
          batch_lead_failed (import, i, &error);
          continue;
        }
      fl_store_exec (import->store, "RELEASE import_lead", NULL);
      /* The saved ones move to the front, in their order. */
      if (n != i)
        {
          g_object_unref (g_ptr_array_index (import->batch, n));
          g_ptr_array_index (import->batch, n) = g_object_ref (lead);
          g_free (g_ptr_array_index (import->batch_where, n));
          g_ptr_array_index (import->batch_where, n) =
            g_strdup (g_ptr_array_index (import->batch_where, i));
          g_array_index (import->batch_lines, guint, n) = g_array_index (import->batch_lines, guint, i);
        }
      n++;
    }
  g_ptr_array_set_size (import->batch, n);
  g_ptr_array_set_size (import->batch_where, n);
  g_array_set_size (import->batch_lines, n);
  if (n == 0)
    {
      if (open)
        fl_store_rollback (import->store);
      return TRUE;
    }
  return fl_store_commit (import->store, NULL);
}

/* Commits the open batch, then reports its leads: a lead reported to
 * lead_func is on disk. */
static gboolean
import_flush (Import *import)
{
  g_autoptr(GError) stop = NULL;
  gssize before = import->n_imported;
  gboolean ok;

  if (import->batch->len == 0)
    return TRUE;
  ok = save_batch (import) || save_batch_lead_by_lead (import);
  if (ok)
    {
      import->n_imported += import->batch->len;
      for (guint i = 0; i < import->batch->len && import->lead_func != NULL; i++)
        import->lead_func (g_ptr_array_index (import->batch, i), import->user_data);
    }
  else
    {
      /* A lead that stopped the import in the batch stops it again after
       * the leads before it. */
      stop = g_steal_pointer (&import->stop);
      save_one_by_one (import);
      if (import->stop == NULL && stop != NULL)
        import->stop = g_steal_pointer (&stop);
    }
  if (import->n_imported / CHECKPOINT_EVERY != before / CHECKPOINT_EVERY)
    sqlite3_exec (fl_store_get_db (import->store), "PRAGMA wal_checkpoint(PASSIVE)", NULL, NULL,
                  NULL);
  g_ptr_array_set_size (import->batch, 0);
  g_ptr_array_set_size (import->batch_where, 0);
  g_array_set_size (import->batch_lines, 0);
  return ok;
}

static void
lead_failed (Import *import, const char *where, GError **error)
{
  if (stops_import (*error))
    {
      import->stop = g_steal_pointer (error);
      import->stop_before = import->current - 1;
    }
  else
    report (import, where, *error);
}

/* A lead is checked when it is read and saved with its batch. */
static void
import_node (Import *import, JsonNode *node, const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = fl_lead_new_from_json (node, &error);

  if (lead == NULL)
    {
      lead_failed (import, where, &error);
      return;
    }
  if (import->batch->len == 0)
    {
      g_free (import->active_event);
      import->active_event = fl_store_get_meta (import->store, "active_event");
    }
  if (fl_lead_get_event (lead) == NULL)
    fl_lead_set_event (lead, import->active_event);
  if (!_fl_store_ready_lead (import->store, lead, &error))
    {
      lead_failed (import, where, &error);
      return;
    }
  if (import->batch->len == 0)
    import->batch_started = g_get_monotonic_time ();
  g_ptr_array_add (import->batch, g_steal_pointer (&lead));
  g_ptr_array_add (import->batch_where, g_strdup (where));
  g_array_append_val (import->batch_lines, import->current);
  if (import->batch->len >= BATCH_LEADS ||
      g_get_monotonic_time () - import->batch_started >= BATCH_USEC)
    import_flush (import);
}

/* JSON-GLib says "<data>:1:3: Parse error: …"; the line is ours. */
static void
strip_data_prefix (GError *error)
{
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
}

/* Reads a stream line by line without ever holding more than the longest
 * line allowed: what lies beyond is scanned (for its length, its nesting
 * and the member that made it long) and dropped. */
typedef struct
{
  GInputStream *input;
  Import       *import;      /* its batch commits before a read would wait */
  char         *buffer;
  gsize         start;
  gsize         end;
  gboolean      eof;
  gboolean      skip_lf;     /* the last line ended in CR; a LF next is part of it */
} LineReader;

#define READ_SIZE 65536

static gboolean
fill (LineReader *reader, GError **error)
{
  gssize n;

  if (reader->start < reader->end || reader->eof)
    return TRUE;
  /* A pipe with nothing to read yet: what was read is committed and
   * reported first, not held back until more comes. */
  if (reader->import != NULL && reader->import->batch->len > 0 &&
      G_IS_POLLABLE_INPUT_STREAM (reader->input) &&
      g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (reader->input)) &&
      !g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (reader->input)))
    import_flush (reader->import);
  n = g_input_stream_read (reader->input, reader->buffer, READ_SIZE, NULL, error);
  if (n < 0)
    return FALSE;
  reader->start = 0;
  reader->end = n;
  reader->eof = n == 0;
  return TRUE;
}

/* Returns FALSE at the end of the input or on an error; @line holds up to
 * @max bytes of the line, @length its whole length. */
static gboolean
read_line (LineReader *reader, GString *line, gsize max, FlJsonScan *scan, gsize *length,
           GError **error)
{
  gboolean any = FALSE;

  g_string_truncate (line, 0);
  fl_json_scan_init (scan, FL_LIMIT_JSON_DEPTH);
  *length = 0;

  for (;;)
    {
      const char *data, *eol;
      gsize n, taken;

      if (!fill (reader, error))
        return FALSE;
      if (reader->eof)
        return any;
      data = reader->buffer + reader->start;
      n = reader->end - reader->start;
      if (reader->skip_lf)
        {
          reader->skip_lf = FALSE;
          if (data[0] == '\n')
            {
              reader->start++;
              continue;
            }
        }
      any = TRUE;

      eol = data;
      while (eol < data + n && *eol != '\n' && *eol != '\r')
        eol++;
      taken = eol - data;
      fl_json_scan_feed (scan, data, taken);
      if (line->len < max)
        g_string_append_len (line, data, MIN (taken, max - line->len));
      *length += taken;
      reader->start += taken;
      if (eol < data + n)
        {
          reader->skip_lf = *eol == '\r';
          reader->start++;
          return TRUE;
        }
    }
}

/* Skips a byte-order mark, white space and blank lines; returns the first
 * byte that matters, or 0 at the end. */
static char
peek (LineReader *reader, guint *n_lines, GError **error)
{
  gboolean first = TRUE;

  for (;;)
    {
      char c;

      if (!fill (reader, error) || reader->eof)
        return 0;
      if (first && reader->end - reader->start >= 3 &&
          memcmp (reader->buffer + reader->start, "\xef\xbb\xbf", 3) == 0)
        reader->start += 3;
      first = FALSE;
      c = reader->buffer[reader->start];
      if (c == '\n')
        (*n_lines)++;
      if (!g_ascii_isspace (c))
        return c;
      reader->start++;
    }
}

static GError *
oversized_line_error (const FlJsonScan *scan, gsize length)
{
  gsize limit = fl_lead_member_limit (scan->longest_key);

  /* Name the member that made the line long, when it is over its own limit. */
  if (limit > 0 && scan->longest_length > limit && g_utf8_validate (scan->longest_key, -1, NULL))
    return g_error_new (FL_LEAD_ERROR, FL_LEAD_ERROR_TOO_LONG,
                        _("“%s” is %lu bytes; the limit is %lu — shorten it"), scan->longest_key,
                        (unsigned long) scan->longest_length, (unsigned long) limit);
  return g_error_new (FL_JSON_ERROR, FL_JSON_ERROR_TOO_LARGE,
                      _("The line is %lu bytes; the limit for one lead is %d — shorten it"),
                      (unsigned long) length, FL_LIMIT_LEAD_LINE);
}

static void
import_line (Import *import, const GString *line, gsize length, const FlJsonScan *scan,
             const char *where)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) error = NULL;

  if (scan->too_deep)
    error = g_error_new (FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP,
                         _("The lead is nested more than %u levels deep (at byte %lu) — flatten it"),
                         FL_LIMIT_JSON_DEPTH, (unsigned long) scan->too_deep_at + 1);
  else if (length > FL_LIMIT_LEAD_LINE)
    error = oversized_line_error (scan, length);
  else if (memchr (line->str, '\0', line->len) != NULL)
    error = g_error_new_literal (G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                                 _("The line holds a NUL byte; a lead is text — remove it"));
  else if (!g_utf8_validate_len (line->str, line->len, NULL))
    error = g_error_new_literal (G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE,
                                 _("The line is not valid UTF-8; save the file as UTF-8"));
  if (error != NULL)
    {
      report (import, where, error);
      return;
    }

  /* The scan has just made sure the parser cannot recurse too deeply. */
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line->str, line->len, &error))
    {
      strip_data_prefix (error);
      report (import, where, error);
      return;
    }
  import_node (import, json_parser_get_root (parser), where);
}

/* Ends an import that a full or failing disk stopped; @n_before is the last
 * line or element before the one that could not be saved. */
/* Ends an import that import->stop stopped: what the open batch holds is
 * committed if it still can be. */
static gssize
stop_import (Import *import, gboolean lines, GError **error)
{
  guint n_before;

  import_flush (import);
  n_before = import->stop_before;
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

static gssize
import_array (Import *import, LineReader *reader, guint first_line, GError **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  FlJsonScan scan;
  JsonArray *array;

  /* Blank lines before the array keep the parser's line numbers right. */
  for (guint i = 1; i < first_line; i++)
    g_string_append_c (text, '\n');
  for (;;)
    {
      if (!fill (reader, &local_error))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s", import->name,
                       local_error->message);
          return -1;
        }
      if (reader->eof)
        break;
      if (text->len - (first_line - 1) + (reader->end - reader->start) > FL_LIMIT_LEADS_ARRAY_FILE)
        {
          g_set_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_LARGE,
                       _("%s: a JSON array of leads may be at most %d bytes; write the leads as "
                         "JSON Lines (one lead a line), which may be of any size"),
                       import->name, FL_LIMIT_LEADS_ARRAY_FILE);
          return -1;
        }
      g_string_append_len (text, reader->buffer + reader->start, reader->end - reader->start);
      reader->start = reader->end;
    }

  /* The array itself is one level more than each lead in it. */
  fl_json_scan_init (&scan, FL_LIMIT_JSON_DEPTH + 1);
  if (!fl_json_scan_feed (&scan, text->str, text->len))
    {
      g_set_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP,
                   _("%s:%u: a lead is nested more than %u levels deep — flatten it"),
                   import->name, scan.too_deep_line, FL_LIMIT_JSON_DEPTH);
      return -1;
    }
  if (!json_parser_load_from_data (parser, text->str, text->len, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code, "%s: %s", import->name,
                   local_error->message);
      return -1;
    }
  g_string_free (g_steal_pointer (&text), TRUE);
  array = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *where = g_strdup_printf (_("%s: element %u"), import->name, i + 1);

      import->current = i + 1;
      import_node (import, json_array_get_element (array, i), where);
      if (import->stop != NULL)
        return stop_import (import, FALSE, error);
    }
  import_flush (import);
  if (import->stop != NULL)
    return stop_import (import, FALSE, error);
  return import->n_imported;
}

/* Imports JSON Lines, one lead a line, from line @line_number + 1 on. */
static gssize
import_lines (Import *import, LineReader *reader, guint line_number, GError **error)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;

  for (;;)
    {
      FlJsonScan scan;
      gsize length;
      const char *p;

      if (!read_line (reader, line, FL_LIMIT_LEAD_LINE, &scan, &length, &local_error))
        {
          /* What was read before an error is committed and reported all the same. */
          import_flush (import);
          if (import->stop != NULL)
            return stop_import (import, TRUE, error);
          if (local_error != NULL)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s:%u: %s", import->name,
                           line_number + 1, local_error->message);
              return -1;
            }
          break;
        }
      /* A commit before waiting for input may have failed. */
      if (import->stop != NULL)
        return stop_import (import, TRUE, error);
      line_number++;

      for (p = line->str; p < line->str + line->len && g_ascii_isspace (*p); p++)
        ;
      if (p == line->str + line->len && length == line->len)
        continue;
      {
        g_autofree char *where = g_strdup_printf ("%s:%u", import->name, line_number);

        import->current = line_number;
        import_line (import, line, length, &scan, where);
      }
      if (import->stop != NULL)
        return stop_import (import, TRUE, error);
    }
  return import->n_imported;
}

/**
 * fl_import_leads:
 * @name: the input's name for messages ("-" for stdin)
 *
 * Reads a JSON array of leads, or JSON Lines (one lead a line), and saves
 * them in batches, one durable transaction each (up to 500 leads or 50 ms,
 * and before waiting for input), written with one statement per table; a
 * batch the database refuses is saved again with each lead under a
 * savepoint, so that a bad one never takes the others down (a lead that
 * fails its checks is refused as it is read); @lead_func hears of a lead only
 * once the commit that holds it is done. JSON Lines are read a line at a time,
 * so the input may be of any size; a line over %FL_LIMIT_LEAD_LINE bytes
 * is reported and skipped without being held in memory. A JSON array is
 * parsed whole and may be at most %FL_LIMIT_LEADS_ARRAY_FILE bytes.
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
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) batch_where = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) batch_lines = g_array_new (FALSE, FALSE, sizeof (guint));
  Import import = { store, name, lead_func, error_func, user_data, 0, NULL, 0, 0, batch, batch_where,
                    batch_lines, 0, NULL };
  g_autofree char *buffer = g_malloc (READ_SIZE);
  LineReader reader = { input, &import, buffer, 0, 0, FALSE, FALSE };
  g_autoptr(GError) local_error = NULL;
  g_autofree char *cache_size = NULL;
  guint line_number = 0;
  sqlite3_stmt *stmt;
  gssize n;
  char first;

  g_return_val_if_fail (FL_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_INPUT_STREAM (input), -1);

  first = peek (&reader, &line_number, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s:%u: %s", name, line_number + 1,
                   local_error->message);
      return -1;
    }
  /* The batch's staging tables, and each lead's savepoint when a batch
   * is saved lead by lead (its sub-journal: in a temporary file that took
   * 70 writes a lead), are kept in memory. A batch
   * fits the page cache, so it is not spilled to the WAL before its
   * commit either. Both are given back afterwards. */
  stmt = fl_store_prepare (store, "PRAGMA cache_size", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    cache_size = g_strdup_printf ("PRAGMA cache_size = %lld", (long long) sqlite3_column_int64 (stmt, 0));
  if (stmt != NULL)
    sqlite3_reset (stmt);
  fl_store_exec (store, "PRAGMA temp_store = MEMORY", NULL);
  fl_store_exec (store, "PRAGMA cache_size = -16384", NULL);

  if (first == '[')
    n = import_array (&import, &reader, line_number + 1, error);
  else
    n = import_lines (&import, &reader, line_number, error);
  /* An error that ended the import mid-batch: what was saved stays saved. */
  import_flush (&import);
  g_clear_error (&import.stop);
  g_clear_pointer (&import.active_event, g_free);

  fl_store_exec (store, "PRAGMA temp_store = DEFAULT", NULL);
  if (cache_size != NULL)
    fl_store_exec (store, cache_size, NULL);
  if (n < 0)
    return -1;

  /* Leaves an empty -wal behind when no reader needs it. */
  sqlite3_exec (fl_store_get_db (store), "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
  return import.n_imported;
}
