/* fl-store-export.c: the CSV export of a whole event, each table read once
 *
 * The general export (fl_store_export_csv() in fl-store.c) walks the
 * created-at index and looks up each lead's row, score and answers: pages
 * all over the file, each read again and again. When every lead of the
 * file is exported, this walks the three tables side by side in id order
 * instead, so that each page is read once and in order, and writes each
 * row with a CSV writer of its own (the same cells as fl_csv_append_cell()).
 *
 * The rows still come out newest first. Leads are mostly captured in
 * order, so id order usually is that order and the rows go straight out;
 * when it is not (leads from other kiosks, imports), the rows go to an
 * unnamed scratch file first and are read back in the export's order.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-store"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "fl-store-private.h"

#define SCRATCH_CHUNK (256 * 1024)

/* Columns of the leads walk, in CSV order up to badge_id. */
#define WALK_LEAD_COLUMNS                                                                          \
  "id, uuid, event, created_at, updated_at, captured_by, source, badge_id, "                      \
  "first_name, last_name, full_name, email, phone, mobile, company, title, department, street, "  \
  "city, postal_code, region, country, website, notes, override_status, raw_payload"

enum {
  WALK_ID, WALK_UUID, WALK_BADGE_ID = 7, WALK_FIRST_FIELD, WALK_NOTES = WALK_FIRST_FIELD + FL_N_FIELDS,
  WALK_OVERRIDE_STATUS, WALK_RAW_PAYLOAD,
};

typedef struct
{
  char  *data;
  gsize  len;
  gsize  size;
} Buf;

typedef struct
{
  gint64 rowid;
  gsize  question;     /* offset of the quoted question id in the answers text */
  gsize  question_len;
  gsize  value;
  gsize  value_len;
} Answer;

/* Where a row went in the scratch file: its uuid, NUL, then the row. */
typedef struct
{
  gint64  id;
  goffset offset;
  guint32 uuid_len;
  guint32 row_len;
} ScratchRow;

typedef struct
{
  int         fd;
  goffset     offset;
  Buf         pending;
  GArray     *rows;        /* ScratchRow, in walk order */
} Scratch;

static inline void
buf_reserve (Buf *buf, gsize extra)
{
  if (buf->len + extra > buf->size)
    {
      buf->size = MAX (buf->size * 2, buf->len + extra);
      buf->data = g_realloc (buf->data, buf->size);
    }
}

static inline void
buf_put (Buf *buf, const char *data, gsize len)
{
  buf_reserve (buf, len);
  memcpy (buf->data + buf->len, data, len);
  buf->len += len;
}

static inline void
buf_put_c (Buf *buf, char c)
{
  buf_reserve (buf, 1);
  buf->data[buf->len++] = c;
}

/* One cell as fl_csv_append_cell() writes it: empty for NULL, quoted when
 * it holds a comma, quote or line end, an apostrophe before what a
 * spreadsheet would run as a formula. */
static void
put_cell (Buf *buf, const char *value)
{
  gsize plain;

  if (value == NULL || value[0] == '\0')
    return;
  plain = strcspn (value, ",\"\r\n");
  if (value[plain] == '\0')
    {
      gboolean guard = strchr ("=+-@\t", value[0]) != NULL;

      buf_reserve (buf, plain + 1);
      if (guard)
        buf->data[buf->len++] = '\'';
      memcpy (buf->data + buf->len, value, plain);
      buf->len += plain;
      return;
    }

  buf_put_c (buf, '"');
  if (strchr ("=+-@\t\r", value[0]) != NULL)
    buf_put_c (buf, '\'');
  for (const char *p = value; *p != '\0';)
    {
      gsize run = strcspn (p, "\"");

      buf_put (buf, p, run);
      p += run;
      if (*p == '"')
        {
          buf_put (buf, "\"\"", 2);
          p++;
        }
    }
  buf_put_c (buf, '"');
}

/* A JSON string as SQLite's json_quote() and json-glib write it. */
static void
put_json_string (Buf *buf, const char *text)
{
  static const char hex[] = "0123456789abcdef";

  buf_put_c (buf, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"': buf_put (buf, "\\\"", 2); break;
        case '\\': buf_put (buf, "\\\\", 2); break;
        case '\b': buf_put (buf, "\\b", 2); break;
        case '\f': buf_put (buf, "\\f", 2); break;
        case '\n': buf_put (buf, "\\n", 2); break;
        case '\r': buf_put (buf, "\\r", 2); break;
        case '\t': buf_put (buf, "\\t", 2); break;
        default:
          if (*p < 0x20)
            {
              char escape[] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

              buf_put (buf, escape, sizeof escape);
            }
          else
            buf_put_c (buf, (char) *p);
        }
    }
  buf_put_c (buf, '"');
}

static int
compare_answers (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const Answer *) a)->rowid, y = ((const Answer *) b)->rowid;

  return (x > y) - (x < y);
}

static gboolean
step (sqlite3 *db, sqlite3_stmt *stmt, gboolean *row, GError **error)
{
  int rc = sqlite3_step (stmt);

  *row = rc == SQLITE_ROW;
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return TRUE;
  return _fl_store_set_sqlite_error (db, error);
}

static gboolean
scratch_flush (Scratch *scratch, GError **error)
{
  gsize done = 0;

  while (done < scratch->pending.len)
    {
      gssize n = write (scratch->fd, scratch->pending.data + done, scratch->pending.len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Cannot write the export's scratch file: %s"), g_strerror (saved_errno));
          return FALSE;
        }
      done += n;
    }
  scratch->pending.len = 0;
  return TRUE;
}

static gboolean
scratch_add (Scratch *scratch, gint64 id, const char *uuid, const char *row, gsize row_len,
             GError **error)
{
  gsize uuid_len = strlen (uuid);
  ScratchRow entry = { id, scratch->offset, uuid_len, row_len };

  buf_put (&scratch->pending, uuid, uuid_len + 1);
  buf_put (&scratch->pending, row, row_len);
  scratch->offset += uuid_len + 1 + row_len;
  g_array_append_val (scratch->rows, entry);
  if (scratch->pending.len >= SCRATCH_CHUNK)
    return scratch_flush (scratch, error);
  return TRUE;
}

/* An unnamed file, gone when closed: the rows hold personal data. */
static int
scratch_open (GError **error)
{
  const char *dir = g_get_tmp_dir ();
  g_autofree char *path = NULL;
  int fd;

#ifdef O_TMPFILE
  fd = open (dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0)
    return fd;
#endif
  path = g_build_filename (dir, "fairlead-export-XXXXXX", NULL);
  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot make a scratch file for the export in “%s”: %s"), dir,
                   g_strerror (saved_errno));
      return -1;
    }
  g_unlink (path);
  return fd;
}

/* The ids of the export in its order: newest first. */
static GArray *
read_order (sqlite3 *db, const char *event, gboolean *id_order, GError **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 last = G_MAXINT64;
  gboolean row;

  *id_order = TRUE;
  if (sqlite3_prepare_v2 (db, "SELECT id FROM leads WHERE event = ?1 ORDER BY created_at DESC, id DESC",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      _fl_store_set_sqlite_error (db, error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  while (TRUE)
    {
      gint64 id;

      if (!step (db, stmt, &row, error))
        return NULL;
      if (!row)
        break;
      id = sqlite3_column_int64 (stmt, 0);
      if (id >= last)
        *id_order = FALSE;
      last = id;
      g_array_append_val (ids, id);
    }
  return g_steal_pointer (&ids);
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    _fl_store_set_sqlite_error (db, error);
  return stmt;
}

/* Steps the three walks newest id first and hands each lead's row to
 * @func, or to @scratch when that is not %NULL. */
static gboolean
walk (sqlite3 *db, const char *event, Scratch *scratch, FlStoreCsvFunc func, gpointer user_data,
      GError **error)
{
  g_autoptr(sqlite3_stmt) leads = NULL;
  g_autoptr(sqlite3_stmt) scores = NULL;
  g_autoptr(sqlite3_stmt) answers = NULL;
  g_autoptr(GArray) lead_answers = g_array_new (FALSE, FALSE, sizeof (Answer));
  Buf row = { 0 }, text = { 0 }, json = { 0 };
  gboolean has_lead, has_score, has_answer;
  gboolean ok = FALSE;

  /* The unary + keeps SQLite on the table itself instead of the event's
   * index: every lead is in the event, the filter only says so. */
  leads = prepare (db, "SELECT " WALK_LEAD_COLUMNS " FROM leads WHERE +event = ?1 ORDER BY id DESC", error);
  if (leads == NULL)
    goto out;
  scores = prepare (db, "SELECT lead_id, score, status, model_name, model_sha256 IS NOT NULL, model_version "
                        "FROM lead_scores ORDER BY lead_id DESC", error);
  if (scores == NULL)
    goto out;
  answers = prepare (db, "SELECT lead_id, rowid, question_id, value FROM answers ORDER BY lead_id DESC", error);
  if (answers == NULL)
    goto out;
  sqlite3_bind_text (leads, 1, event, -1, SQLITE_STATIC);

  if (!step (db, scores, &has_score, error) || !step (db, answers, &has_answer, error))
    goto out;
  while (TRUE)
    {
      gint64 id;
      gboolean scored;

      if (!step (db, leads, &has_lead, error))
        goto out;
      if (!has_lead)
        break;
      id = sqlite3_column_int64 (leads, WALK_ID);

      while (has_score && sqlite3_column_int64 (scores, 0) > id)
        if (!step (db, scores, &has_score, error))
          goto out;
      scored = has_score && sqlite3_column_int64 (scores, 0) == id;

      g_array_set_size (lead_answers, 0);
      text.len = 0;
      while (has_answer && sqlite3_column_int64 (answers, 0) >= id)
        {
          if (sqlite3_column_int64 (answers, 0) == id)
            {
              Answer answer = { .rowid = sqlite3_column_int64 (answers, 1) };

              answer.question = text.len;
              put_json_string (&text, (const char *) sqlite3_column_text (answers, 2));
              answer.question_len = text.len - answer.question;
              answer.value = text.len;
              buf_put (&text, (const char *) sqlite3_column_text (answers, 3), sqlite3_column_bytes (answers, 3));
              answer.value_len = text.len - answer.value;
              g_array_append_val (lead_answers, answer);
            }
          if (!step (db, answers, &has_answer, error))
            goto out;
        }
      /* Like the JOIN of the general export: a lead without its score row
       * is not exported. */
      if (!scored)
        continue;

      row.len = 0;
      for (int column = WALK_UUID; column <= WALK_NOTES; column++)
        {
          put_cell (&row, (const char *) sqlite3_column_text (leads, column));
          buf_put_c (&row, ',');
        }
      {
        char number[24];

        g_snprintf (number, sizeof number, "%d", sqlite3_column_int (scores, 1));
        put_cell (&row, number);
        buf_put_c (&row, ',');
        put_cell (&row, (const char *) sqlite3_column_text (scores, 2));
        buf_put_c (&row, ',');
        put_cell (&row, (const char *) sqlite3_column_text (leads, WALK_OVERRIDE_STATUS));
        buf_put_c (&row, ',');
        if (sqlite3_column_type (scores, 3) != SQLITE_NULL || sqlite3_column_int (scores, 4))
          {
            const char *name = (const char *) sqlite3_column_text (scores, 3);

            json.len = 0;
            buf_put (&json, name ? name : "?", strlen (name ? name : "?"));
            g_snprintf (number, sizeof number, " v%" G_GINT64_FORMAT,
                        (gint64) sqlite3_column_int64 (scores, 5));
            buf_put (&json, number, strlen (number));
            buf_put_c (&json, '\0');
            put_cell (&row, json.data);
          }
        buf_put_c (&row, ',');
      }
      if (lead_answers->len > 0)
        {
          /* In the answers' own order, as they were stored. */
          if (lead_answers->len > 1)
            g_array_sort (lead_answers, compare_answers);
          json.len = 0;
          buf_put_c (&json, '{');
          for (guint i = 0; i < lead_answers->len; i++)
            {
              const Answer *answer = &g_array_index (lead_answers, Answer, i);

              if (i > 0)
                buf_put_c (&json, ',');
              buf_put (&json, text.data + answer->question, answer->question_len);
              buf_put_c (&json, ':');
              buf_put (&json, text.data + answer->value, answer->value_len);
            }
          buf_put (&json, "}", 2);
          put_cell (&row, json.data);
        }
      buf_put_c (&row, ',');
      put_cell (&row, (const char *) sqlite3_column_text (leads, WALK_RAW_PAYLOAD));
      buf_put (&row, "\r\n", 2);

      if (scratch != NULL)
        {
          if (!scratch_add (scratch, id, (const char *) sqlite3_column_text (leads, WALK_UUID),
                            row.data, row.len, error))
            goto out;
        }
      else if (!func (row.data, row.len, (const char *) sqlite3_column_text (leads, WALK_UUID),
                      user_data, error))
        goto out;
    }
  ok = TRUE;

out:
  g_free (row.data);
  g_free (text.data);
  g_free (json.data);
  return ok;
}

static int
compare_rows_descending (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const ScratchRow *) a)->id, y = ((const ScratchRow *) b)->id;

  return (x < y) - (x > y);
}

/* Reads the scratch rows back in the order of @order. */
static gboolean
replay (Scratch *scratch, GArray *order, FlStoreCsvFunc func, gpointer user_data, GError **error)
{
  Buf buf = { 0 };
  gboolean ok = TRUE;

  for (guint i = 0; ok && i < order->len; i++)
    {
      ScratchRow key = { .id = g_array_index (order, gint64, i) };
      const ScratchRow *entry = bsearch (&key, scratch->rows->data, scratch->rows->len,
                                         sizeof (ScratchRow), compare_rows_descending);
      gsize length, done = 0;

      /* A lead without its score row was not walked. */
      if (entry == NULL)
        continue;
      length = entry->uuid_len + 1 + entry->row_len;
      buf.len = 0;
      buf_reserve (&buf, length);
      while (done < length)
        {
          gssize n = pread (scratch->fd, buf.data + done, length - done, entry->offset + done);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              int saved_errno = n < 0 ? errno : EIO;

              g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           _("Cannot read the export's scratch file: %s"), g_strerror (saved_errno));
              ok = FALSE;
              break;
            }
          done += n;
        }
      if (ok)
        ok = func (buf.data + entry->uuid_len + 1, entry->row_len, buf.data, user_data, error);
    }
  g_free (buf.data);
  return ok;
}

/**
 * _fl_store_export_csv_walk:
 * @event: the event that holds every lead of the file
 *
 * fl_store_export_csv() for every lead of @event, newest first, when no
 * lead of the file belongs to another event. Runs inside the caller's
 * read transaction.
 */
gboolean
_fl_store_export_csv_walk (FlStore *self, const char *event, FlStoreCsvFunc func, gpointer user_data,
                           GError **error)
{
  sqlite3 *db = fl_store_get_db (self);
  g_autoptr(GArray) order = NULL;
  gboolean id_order;
  Scratch scratch = { .fd = -1 };
  gboolean ok;

  g_assert (event != NULL);

  order = read_order (db, event, &id_order, error);
  if (order == NULL)
    return FALSE;
  if (id_order)
    return walk (db, event, NULL, func, user_data, error);

  scratch.fd = scratch_open (error);
  if (scratch.fd < 0)
    return FALSE;
  scratch.rows = g_array_sized_new (FALSE, FALSE, sizeof (ScratchRow), order->len);
  ok = walk (db, event, &scratch, NULL, NULL, error) && scratch_flush (&scratch, error) &&
       replay (&scratch, order, func, user_data, error);
  close (scratch.fd);
  g_array_unref (scratch.rows);
  g_free (scratch.pending.data);
  return ok;
}
