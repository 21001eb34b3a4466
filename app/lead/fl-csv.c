/* fl-csv.c: spreadsheets exported as CSV, as organisers send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-csv"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-csv.h"
#include "fl-text.h"

struct _FlCsvReader
{
  char  *text;       /* UTF-8 */
  gsize  length;
  gsize  pos;
  guint  line;       /* of text[pos], from 1 */
  char   delimiter;
};

G_DEFINE_QUARK (fl-csv-error-quark, fl_csv_error)

/* The delimiter is the one of “,” “;” and tab found most often in the
 * header line outside quotes; a tie goes to the comma, then the semicolon
 * (the German Excel default). */
static char
detect_delimiter (const char *text, gsize length)
{
  static const char candidates[] = { ',', ';', '\t' };
  guint counts[G_N_ELEMENTS (candidates)] = { 0 };
  gboolean quoted = FALSE;
  char best = ',';
  guint best_count = 0;

  for (gsize i = 0; i < length; i++)
    {
      char c = text[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted)
        for (guint j = 0; j < G_N_ELEMENTS (candidates); j++)
          if (c == candidates[j])
            counts[j]++;
    }
  for (guint j = 0; j < G_N_ELEMENTS (candidates); j++)
    if (counts[j] > best_count)
      {
        best_count = counts[j];
        best = candidates[j];
      }
  return best;
}

/**
 * fl_csv_reader_new:
 * @length: bytes in @data, or -1 when NUL-terminated
 * @delimiter: the field delimiter, or 0 to detect it from the first line
 *
 * Reads UTF-8 with or without a byte order mark, and Windows-1252 (every
 * byte that is not valid UTF-8 is read as Windows-1252). Fields may be
 * quoted, with "" for a quote and line breaks inside.
 */
FlCsvReader *
fl_csv_reader_new (const char *data, gssize length, char delimiter)
{
  FlCsvReader *self = g_new0 (FlCsvReader, 1);

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  self->text = fl_text_to_utf8 (data ? data : "", length);
  self->length = strlen (self->text);
  self->line = 1;
  self->delimiter = delimiter ? delimiter : detect_delimiter (self->text, self->length);
  return self;
}

char
fl_csv_reader_get_delimiter (FlCsvReader *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->delimiter;
}

void
fl_csv_reader_free (FlCsvReader *self)
{
  if (self == NULL)
    return;
  g_free (self->text);
  g_free (self);
}

static gboolean
only_space (GString *field)
{
  for (gsize i = 0; i < field->len; i++)
    if (field->str[i] != ' ')
      return FALSE;
  return TRUE;
}

/**
 * fl_csv_reader_next:
 * @line: (out) (optional): the line the record starts on, from 1
 *
 * Returns the next record; blank lines are passed over. At the end of the
 * input returns %NULL without an error; a quote that is never closed is an
 * error naming the line it was opened on, and ends the input.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the fields
 */
GPtrArray *
fl_csv_reader_next (FlCsvReader *self, guint *line, GError **error)
{
  g_return_val_if_fail (self != NULL, NULL);

  while (self->pos < self->length)
    {
      g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GString) field = g_string_new (NULL);
      guint start_line = self->line;
      gboolean was_quoted = FALSE;

      while (self->pos < self->length)
        {
          char c = self->text[self->pos];

          if (c == '"' && !was_quoted && only_space (field))
            {
              guint quote_line = self->line;

              g_string_truncate (field, 0);
              was_quoted = TRUE;
              self->pos++;
              for (;;)
                {
                  if (self->pos >= self->length)
                    {
                      g_set_error (error, FL_CSV_ERROR, FL_CSV_ERROR_UNTERMINATED_QUOTE,
                                   _("Line %u: a quote opened here is never closed, so the "
                                     "rest of the file cannot be read; check the quotes in "
                                     "this line"),
                                   quote_line);
                      if (line != NULL)
                        *line = start_line;
                      return NULL;
                    }
                  c = self->text[self->pos];
                  if (c == '"')
                    {
                      if (self->pos + 1 < self->length && self->text[self->pos + 1] == '"')
                        {
                          g_string_append_c (field, '"');
                          self->pos += 2;
                          continue;
                        }
                      self->pos++;
                      break;
                    }
                  if (c == '\r' && self->pos + 1 < self->length && self->text[self->pos + 1] == '\n')
                    {
                      self->pos++;
                      continue;
                    }
                  if (c == '\n' || c == '\r')
                    {
                      self->line++;
                      c = '\n';
                    }
                  g_string_append_c (field, c);
                  self->pos++;
                }
              continue;
            }
          if (c == self->delimiter)
            {
              g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
              field = g_string_new (NULL);
              was_quoted = FALSE;
              self->pos++;
              continue;
            }
          if (c == '\r' || c == '\n')
            {
              self->pos++;
              if (c == '\r' && self->pos < self->length && self->text[self->pos] == '\n')
                self->pos++;
              self->line++;
              break;
            }
          g_string_append_c (field, c);
          self->pos++;
        }

      if (fields->len == 0 && field->len == 0 && !was_quoted)
        continue;  /* a blank line */
      g_ptr_array_add (fields, g_string_free (g_steal_pointer (&field), FALSE));
      if (line != NULL)
        *line = start_line;
      return g_steal_pointer (&fields);
    }
  return NULL;
}
