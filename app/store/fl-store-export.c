/* fl-store-export.c: the CSV export of a whole event, each table read once
 *
 * The general export (fl_store_export_csv() in fl-store.c) walks the
 * created-at index and looks up each lead's row, score and answers: pages
 * all over the file, each read again and again. When the event holds an
 * eighth of the file's leads or more (export_walk_pays() in fl-store.c),
 * this walks the three tables side by side in id order instead, skipping
 * other events' leads, so that each page is read once and in order, and
 * writes each row with a CSV writer of its own (the same cells as
 * fl_csv_append_cell()).
 *
 * The rows still come out newest first. Leads are mostly captured in
 * order, so id order usually is that order and the rows go straight out;
 * when it is not (leads from other kiosks, imports), the rows are sorted
 * in runs of RUN_BYTES, which an export larger than one run keeps in an
 * unnamed scratch file and merges back: memory stays flat either way.
 *
 * The answers are read in the table's own order when they come lead by
 * lead (as capture writes them), else through their index.
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
#define RUN_BYTES (4 * 1024 * 1024)
#define READER_BYTES (64 * 1024)

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

/* A row of a sorted run: its uuid, NUL and the row follow each other. */
typedef struct
{
  guint32 rank;         /* its place in the export */
  guint32 uuid_len;
  guint32 row_len;
  guint32 offset;       /* in the run's buffer, while the run is in memory */
} RunRow;

/* Reads a run back from the scratch file, a chunk at a time. */
typedef struct
{
  goffset file_pos;
  goffset file_end;     /* of its run */
  char   *data;
  gsize   start;        /* of the next row in data */
  gsize   len;
  gsize   size;
} RunReader;

/* The rows in id order go into runs of at most RUN_BYTES, each sorted by
 * its place in the export; the first run that does not fit in memory
 * starts a scratch file, and the runs are merged back from it. */
typedef struct
{
  struct _Order *order;
  Buf     run;
  GArray *run_rows;     /* RunRow of the run in memory */
  int     fd;           /* the scratch file, -1 while every row fits in memory */
  Buf     pending;      /* what is still to be written to it */
  goffset file_len;
  GArray *spilled;      /* RunRow of the runs written, each sorted */
  GArray *runs;         /* index of each written run's first row in spilled */
  guint32 *rank_run;    /* the run holding each rank, G_MAXUINT32 for none */
  guint   n_ranks;
} Sorter;

typedef struct
{
  gint64  id;
  guint32 rank;
} IdRank;

typedef gboolean (*RowFunc) (gint64       id,
                             const char  *uuid,
                             const char  *row,
                             gsize        length,
                             gpointer     user_data,
                             GError     **error);

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
  /* What ends a run of plain text: most cells are short, and a table
   * beats strcspn()'s set-up on each. */
  static const guint8 stops[256] = { ['\0'] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1 };
  gsize plain = 0;

  if (value == NULL || value[0] == '\0')
    return;
  while (!stops[(guint8) value[plain]])
    plain++;
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
  const unsigned char *p = (const unsigned char *) text;

  buf_put_c (buf, '"');
  while (TRUE)
    {
      const unsigned char *plain = p;

      while (*p >= 0x20 && *p != '"' && *p != '\\')
        p++;
      buf_put (buf, (const char *) plain, p - plain);
      if (*p == '\0')
        break;
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
          {
            char escape[] = { '\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 0xf] };

            buf_put (buf, escape, sizeof escape);
          }
        }
      p++;
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

/* How much of the rows a run holds in memory, and where the runs go;
 * the tests change both. */
static gsize run_bytes = RUN_BYTES;
static char *scratch_dir;

void
_fl_store_export_set_run_bytes (gsize bytes)
{
  run_bytes = bytes > 0 ? bytes : RUN_BYTES;
}

void
_fl_store_export_set_scratch_dir (const char *dir)
{
  g_free (scratch_dir);
  scratch_dir = g_strdup (dir);
}

static const char *
get_scratch_dir (void)
{
  return scratch_dir ? scratch_dir : g_get_tmp_dir ();
}

typedef enum {
  SCRATCH_MAKE,
  SCRATCH_WRITE,
  SCRATCH_READ,
} ScratchStep;

/* A full disk and a failing one need different steps from the user. */
static void
set_scratch_error (int saved_errno, ScratchStep step, GError **error)
{
  int code = saved_errno == ENOSPC || saved_errno == EDQUOT ? FL_STORE_ERROR_DISK_FULL : FL_STORE_ERROR_IO;
  const char *dir = get_scratch_dir ();

  switch (step)
    {
    case SCRATCH_MAKE:
      g_set_error (error, FL_STORE_ERROR, code,
                   _("Cannot make a scratch file for the export in “%s”: %s. "
                     "Set TMPDIR to a folder with space to sort the leads in."),
                   dir, g_strerror (saved_errno));
      break;
    case SCRATCH_WRITE:
      g_set_error (error, FL_STORE_ERROR, code,
                   _("Cannot write the export's scratch file in “%s”: %s. "
                     "Set TMPDIR to a folder with space to sort the leads in."),
                   dir, g_strerror (saved_errno));
      break;
    case SCRATCH_READ:
      g_set_error (error, FL_STORE_ERROR, code, _("Cannot read the export's scratch file in “%s”: %s"),
                   dir, g_strerror (saved_errno));
      break;
    }
}

/* An unnamed file, gone when closed: the rows hold personal data. */
static int
scratch_open (GError **error)
{
  const char *dir = get_scratch_dir ();
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
      set_scratch_error (errno, SCRATCH_MAKE, error);
      return -1;
    }
  g_unlink (path);
  return fd;
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    _fl_store_set_sqlite_error (db, error);
  return stmt;
}

/* Whether the answers, in the table's own order, come lead by lead in id
 * order: then the walk reads the table itself, in page order, instead of
 * looking each answer up from its index. Saving a lead stores its answers
 * anew, after every other lead's, and breaks that order. One pass over
 * the answers' index, which holds both (a tenth of the walk's time). */
static gboolean
answers_in_lead_order (sqlite3 *db, gboolean *in_order, GError **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 lead = 0, first = 0, last = 0, previous_last = G_MININT64;
  gboolean row, any = FALSE;

  *in_order = FALSE;
  stmt = prepare (db, "SELECT lead_id, rowid FROM answers ORDER BY lead_id", error);
  if (stmt == NULL)
    return FALSE;
  while (TRUE)
    {
      gint64 row_lead, rowid;

      if (!step (db, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      row_lead = sqlite3_column_int64 (stmt, 0);
      rowid = sqlite3_column_int64 (stmt, 1);
      if (!any || row_lead != lead)
        {
          if (any && first < previous_last)
            return TRUE;
          previous_last = any ? last : G_MININT64;
          lead = row_lead;
          first = last = rowid;
          any = TRUE;
          continue;
        }
      first = MIN (first, rowid);
      last = MAX (last, rowid);
    }
  *in_order = !any || first > previous_last;
  return TRUE;
}

typedef enum {
  ANSWERS_BY_INDEX,    /* through their index, in any order */
  ANSWERS_IN_ORDER,    /* in table order, known to come lead by lead */
  ANSWERS_WATCHED,     /* in table order, stopping at the first out of place */
} AnswersWalk;

/* Steps the three walks newest id first and hands each lead's row to
 * @func. With ANSWERS_WATCHED, an answer out of lead order stops the walk
 * with @out_of_order set and no error: the rows handed out so far may lack
 * answers. */
static gboolean
walk (sqlite3 *db, const char *event, AnswersWalk answers_walk, gboolean *out_of_order, RowFunc func,
      gpointer user_data, GError **error)
{
  g_autoptr(sqlite3_stmt) leads = NULL;
  g_autoptr(sqlite3_stmt) scores = NULL;
  g_autoptr(sqlite3_stmt) answers = NULL;
  g_autoptr(GArray) lead_answers = g_array_new (FALSE, FALSE, sizeof (Answer));
  Buf row = { 0 }, text = { 0 }, json = { 0 };
  gboolean has_lead, has_score, has_answer;
  gint64 last_id = G_MAXINT64;
  gint64 score_lead, answer_lead;   /* of the row each walk is on */
  gboolean ok = FALSE;

  *out_of_order = FALSE;

  /* The unary + keeps SQLite on the table itself instead of the event's
   * index: every lead is in the event, the filter only says so. */
  leads = prepare (db, "SELECT " WALK_LEAD_COLUMNS " FROM leads WHERE +event = ?1 ORDER BY id DESC", error);
  if (leads == NULL)
    goto out;
  scores = prepare (db, "SELECT lead_id, score, status, model_name, model_sha256 IS NOT NULL, model_version "
                        "FROM lead_scores ORDER BY lead_id DESC", error);
  if (scores == NULL)
    goto out;
  answers = prepare (db, answers_walk != ANSWERS_BY_INDEX
                         ? "SELECT lead_id, rowid, question_id, value FROM answers ORDER BY rowid DESC"
                         : "SELECT lead_id, rowid, question_id, value FROM answers ORDER BY lead_id DESC",
                     error);
  if (answers == NULL)
    goto out;
  sqlite3_bind_text (leads, 1, event, -1, SQLITE_STATIC);

  if (!step (db, scores, &has_score, error) || !step (db, answers, &has_answer, error))
    goto out;
  score_lead = has_score ? sqlite3_column_int64 (scores, 0) : 0;
  answer_lead = has_answer ? sqlite3_column_int64 (answers, 0) : 0;
  while (TRUE)
    {
      gint64 id;
      gboolean scored;

      if (!step (db, leads, &has_lead, error))
        goto out;
      if (!has_lead)
        break;
      id = last_id = sqlite3_column_int64 (leads, WALK_ID);

      while (has_score && score_lead > id)
        {
          if (!step (db, scores, &has_score, error))
            goto out;
          score_lead = has_score ? sqlite3_column_int64 (scores, 0) : 0;
        }
      scored = has_score && score_lead == id;

      g_array_set_size (lead_answers, 0);
      text.len = 0;
      while (has_answer)
        {
          if (answer_lead < id)
            break;
          /* An answer of a lead handed out already (or of one not walked,
           * which the index walk would skip). */
          if (answer_lead > id && answers_walk == ANSWERS_WATCHED)
            {
              *out_of_order = TRUE;
              goto out;
            }
          if (answer_lead == id)
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
          answer_lead = has_answer ? sqlite3_column_int64 (answers, 0) : 0;
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
          for (guint i = 1; i < lead_answers->len; i++)
            if (g_array_index (lead_answers, Answer, i - 1).rowid > g_array_index (lead_answers, Answer, i).rowid)
              {
                g_array_sort (lead_answers, compare_answers);
                break;
              }
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

      if (!func (id, (const char *) sqlite3_column_text (leads, WALK_UUID), row.data, row.len,
                 user_data, error))
        goto out;
    }
  /* An answer never reached may belong to a lead walked before it. */
  while (answers_walk == ANSWERS_WATCHED && has_answer)
    {
      if (sqlite3_column_int64 (answers, 0) >= last_id)
        {
          *out_of_order = TRUE;
          goto out;
        }
      if (!step (db, answers, &has_answer, error))
        goto out;
    }
  ok = TRUE;

out:
  g_free (row.data);
  g_free (text.data);
  g_free (json.data);
  return ok;
}


/* The export's order: each lead's place, looked up by id in the walk.
 * Ids are mostly dense, so a table indexed by id; a sparse file falls
 * back to (id, place) pairs sorted by id. */
typedef struct _Order
{
  gint64   min_id;
  guint32 *place_by_id;  /* G_MAXUINT32 for an id not exported */
  gsize    n_ids;
  GArray  *pairs;        /* IdRank, newest id first, when place_by_id is NULL */
  guint    next_pair;
  guint    n_places;
} Order;

static int
compare_pairs_descending (gconstpointer a, gconstpointer b)
{
  gint64 x = ((const IdRank *) a)->id, y = ((const IdRank *) b)->id;

  return (x < y) - (x > y);
}

static void
order_clear (Order *order)
{
  g_clear_pointer (&order->place_by_id, g_free);
  g_clear_pointer (&order->pairs, g_array_unref);
}

/* Reads the export's order (newest first); @id_order tells whether it is
 * the order of the ids, newest id first. */
static gboolean
order_read (Order *order, sqlite3 *db, const char *event, gboolean *id_order, GError **error)
{
  g_autoptr(GArray) pairs = g_array_new (FALSE, FALSE, sizeof (IdRank));
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 last = G_MAXINT64, min_id = G_MAXINT64, max_id = G_MININT64;
  gboolean row;

  *id_order = TRUE;
  stmt = prepare (db, "SELECT id FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " ORDER BY created_at DESC, id DESC", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, event, -1, SQLITE_STATIC);
  while (TRUE)
    {
      IdRank pair;

      if (!step (db, stmt, &row, error))
        return FALSE;
      if (!row)
        break;
      pair.id = sqlite3_column_int64 (stmt, 0);
      pair.rank = pairs->len;
      if (pair.id >= last)
        *id_order = FALSE;
      last = pair.id;
      min_id = MIN (min_id, pair.id);
      max_id = MAX (max_id, pair.id);
      g_array_append_val (pairs, pair);
    }
  order->n_places = pairs->len;
  if (*id_order || pairs->len == 0)
    return TRUE;
  if ((guint64) (max_id - min_id) < 4 * (guint64) pairs->len)
    {
      order->min_id = min_id;
      order->n_ids = max_id - min_id + 1;
      order->place_by_id = g_new (guint32, order->n_ids);
      memset (order->place_by_id, 0xff, sizeof (guint32) * order->n_ids);
      for (guint i = 0; i < pairs->len; i++)
        {
          const IdRank *pair = &g_array_index (pairs, IdRank, i);

          order->place_by_id[pair->id - min_id] = pair->rank;
        }
      return TRUE;
    }
  g_array_sort (pairs, compare_pairs_descending);
  order->pairs = g_steal_pointer (&pairs);
  return TRUE;
}

/* The place of lead @id; ids come newest first. */
static guint32
order_place (Order *order, gint64 id)
{
  const IdRank *pairs;

  if (order->place_by_id != NULL)
    return id >= order->min_id && (guint64) (id - order->min_id) < order->n_ids
           ? order->place_by_id[id - order->min_id] : G_MAXUINT32;
  pairs = (const IdRank *) order->pairs->data;
  while (order->next_pair < order->pairs->len && pairs[order->next_pair].id > id)
    order->next_pair++;
  if (order->next_pair < order->pairs->len && pairs[order->next_pair].id == id)
    return pairs[order->next_pair].rank;
  return G_MAXUINT32;
}

/* A walked lead's row, straight to the caller's function. */
static gboolean
pass_row (gint64 id, const char *uuid, const char *row, gsize length, gpointer user_data,
          GError **error)
{
  gpointer *closure = user_data;

  return ((FlStoreCsvFunc) closure[0]) (row, length, uuid, closure[1], error);
}

static gboolean
sorter_write_pending (Sorter *sorter, GError **error)
{
  gsize done = 0;

  while (done < sorter->pending.len)
    {
      gssize n = write (sorter->fd, sorter->pending.data + done, sorter->pending.len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          set_scratch_error (errno, SCRATCH_WRITE, error);
          return FALSE;
        }
      done += n;
    }
  sorter->pending.len = 0;
  return TRUE;
}

static int
compare_run_rows (gconstpointer a, gconstpointer b)
{
  guint32 x = ((const RunRow *) a)->rank, y = ((const RunRow *) b)->rank;

  return (x > y) - (x < y);
}

/* Writes the run in memory to the scratch file in the export's order. */
static gboolean
sorter_spill (Sorter *sorter, GError **error)
{
  guint run = sorter->runs->len;

  if (sorter->run_rows->len == 0)
    return TRUE;
  if (sorter->fd < 0 && (sorter->fd = scratch_open (error)) < 0)
    return FALSE;
  g_array_sort (sorter->run_rows, compare_run_rows);
  g_array_append_val (sorter->runs, sorter->spilled->len);
  for (guint i = 0; i < sorter->run_rows->len; i++)
    {
      const RunRow *row = &g_array_index (sorter->run_rows, RunRow, i);
      gsize length = row->uuid_len + 1 + row->row_len;

      buf_put (&sorter->pending, sorter->run.data + row->offset, length);
      sorter->file_len += length;
      sorter->rank_run[row->rank] = run;
      g_array_append_vals (sorter->spilled, row, 1);
      if (sorter->pending.len >= SCRATCH_CHUNK && !sorter_write_pending (sorter, error))
        return FALSE;
    }
  sorter->run.len = 0;
  g_array_set_size (sorter->run_rows, 0);
  return sorter_write_pending (sorter, error);
}

/* Forgets every row, to walk again. */
static void
sorter_reset (Sorter *sorter)
{
  sorter->order->next_pair = 0;
  sorter->run.len = 0;
  sorter->pending.len = 0;
  g_array_set_size (sorter->run_rows, 0);
  g_array_set_size (sorter->spilled, 0);
  g_array_set_size (sorter->runs, 0);
  memset (sorter->rank_run, 0xff, sizeof (guint32) * sorter->n_ranks);
  if (sorter->fd >= 0)
    {
      close (sorter->fd);
      sorter->fd = -1;
    }
  sorter->file_len = 0;
}

static gboolean
sorter_add (gint64 id, const char *uuid, const char *row, gsize length, gpointer user_data,
            GError **error)
{
  Sorter *sorter = user_data;
  guint32 place = order_place (sorter->order, id);
  RunRow run_row;

  /* Both walks read the same snapshot: a lead the created-at index does
   * not know means the index and the table disagree. */
  if (place == G_MAXUINT32)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_DAMAGED,
                   _("Lead “%s” is missing from the database's index of leads by time; "
                     "run “fairlead-cli doctor” to check the database"),
                   uuid);
      return FALSE;
    }
  run_row.uuid_len = strlen (uuid);
  if (sorter->run.len + run_row.uuid_len + 1 + length > run_bytes && !sorter_spill (sorter, error))
    return FALSE;

  run_row.rank = place;
  run_row.row_len = length;
  run_row.offset = sorter->run.len;
  buf_put (&sorter->run, uuid, run_row.uuid_len + 1);
  buf_put (&sorter->run, row, length);
  g_array_append_val (sorter->run_rows, run_row);
  return TRUE;
}

/* The next row of @reader's run, whole in its buffer. */
static const char *
reader_next (Sorter *sorter, RunReader *reader, gsize length, GError **error)
{
  const char *row;

  if (reader->len - reader->start < length)
    {
      memmove (reader->data, reader->data + reader->start, reader->len - reader->start);
      reader->len -= reader->start;
      reader->start = 0;
      if (reader->size < length)
        {
          reader->size = length;
          reader->data = g_realloc (reader->data, reader->size);
        }
      while (reader->len < length)
        {
          gsize want = MIN (reader->size - reader->len, (gsize) (reader->file_end - reader->file_pos));
          gssize n = pread (sorter->fd, reader->data + reader->len, want, reader->file_pos);

          if (n < 0 && errno == EINTR)
            continue;
          if (n <= 0)
            {
              set_scratch_error (n < 0 ? errno : EIO, SCRATCH_READ, error);
              return NULL;
            }
          reader->len += n;
          reader->file_pos += n;
        }
    }
  row = reader->data + reader->start;
  reader->start += length;
  return row;
}

/* Merges the sorted runs back in the export's order. */
static gboolean
sorter_merge (Sorter *sorter, FlStoreCsvFunc func, gpointer user_data, GError **error)
{
  guint n_runs = sorter->runs->len;
  g_autofree RunReader *readers = g_new0 (RunReader, n_runs);
  g_autofree guint *next = g_new (guint, n_runs);
  goffset file_pos = 0;
  gboolean ok = TRUE;

  for (guint run = 0; run < n_runs; run++)
    {
      guint first = g_array_index (sorter->runs, guint, run);
      guint end = run + 1 < n_runs ? g_array_index (sorter->runs, guint, run + 1) : sorter->spilled->len;

      readers[run].file_pos = file_pos;
      readers[run].size = READER_BYTES;
      readers[run].data = g_malloc (READER_BYTES);
      next[run] = first;
      for (guint i = first; i < end; i++)
        {
          const RunRow *row = &g_array_index (sorter->spilled, RunRow, i);

          file_pos += row->uuid_len + 1 + row->row_len;
        }
      readers[run].file_end = file_pos;
    }
  for (guint rank = 0; ok && rank < sorter->n_ranks; rank++)
    {
      guint run = sorter->rank_run[rank];
      const RunRow *row;
      const char *data;

      if (run == G_MAXUINT32)
        continue;
      row = &g_array_index (sorter->spilled, RunRow, next[run]++);
      g_assert (row->rank == rank);
      data = reader_next (sorter, &readers[run], row->uuid_len + 1 + row->row_len, error);
      ok = data != NULL && func (data + row->uuid_len + 1, row->row_len, data, user_data, error);
    }
  for (guint run = 0; run < n_runs; run++)
    g_free (readers[run].data);
  return ok;
}

/* Every row fits in memory: sorted there, no scratch file. */
static gboolean
sorter_emit_in_memory (Sorter *sorter, FlStoreCsvFunc func, gpointer user_data, GError **error)
{
  g_array_sort (sorter->run_rows, compare_run_rows);
  for (guint i = 0; i < sorter->run_rows->len; i++)
    {
      const RunRow *row = &g_array_index (sorter->run_rows, RunRow, i);
      const char *data = sorter->run.data + row->offset;

      if (!func (data + row->uuid_len + 1, row->row_len, data, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * _fl_store_export_csv_walk:
 * @event: the event to export
 * @every_lead: whether @event holds every lead of the file
 *
 * fl_store_export_csv() for every lead of @event, newest first. The walk
 * reads every lead of the file: for an event that holds many of them.
 * Runs inside the caller's read transaction.
 */
gboolean
_fl_store_export_csv_walk (FlStore *self, const char *event, gboolean every_lead, FlStoreCsvFunc func,
                           gpointer user_data, GError **error)
{
  sqlite3 *db = fl_store_get_db (self);
  Order order = { 0 };
  Sorter sorter = { .order = &order, .fd = -1 };
  gboolean id_order, out_of_order;
  gboolean ok;

  g_assert (event != NULL);

  if (!order_read (&order, db, event, &id_order, error))
    return FALSE;
  if (id_order)
    {
      gpointer closure[] = { func, user_data };
      gboolean in_order;

      ok = answers_in_lead_order (db, &in_order, error) &&
           walk (db, event, in_order ? ANSWERS_IN_ORDER : ANSWERS_BY_INDEX, &out_of_order,
                 pass_row, closure, error);
      order_clear (&order);
      return ok;
    }

  sorter.n_ranks = order.n_places;
  sorter.rank_run = g_new (guint32, MAX (sorter.n_ranks, 1));
  memset (sorter.rank_run, 0xff, sizeof (guint32) * sorter.n_ranks);
  sorter.run_rows = g_array_new (FALSE, FALSE, sizeof (RunRow));
  sorter.spilled = g_array_new (FALSE, FALSE, sizeof (RunRow));
  sorter.runs = g_array_new (FALSE, FALSE, sizeof (guint));
  /* Nothing is handed out before the walk ends: read the answers in table
   * order, and start again through their index should one be out of
   * place. The answers of another event's leads would always seem so:
   * then check first. */
  if (every_lead)
    ok = walk (db, event, ANSWERS_WATCHED, &out_of_order, sorter_add, &sorter, error);
  else
    {
      gboolean in_order;

      ok = answers_in_lead_order (db, &in_order, error) &&
           walk (db, event, in_order ? ANSWERS_IN_ORDER : ANSWERS_BY_INDEX, &out_of_order,
                 sorter_add, &sorter, error);
    }
  if (!ok && out_of_order)
    {
      sorter_reset (&sorter);
      ok = walk (db, event, ANSWERS_BY_INDEX, &out_of_order, sorter_add, &sorter, error);
    }
  if (ok && sorter.fd < 0)
    ok = sorter_emit_in_memory (&sorter, func, user_data, error);
  else if (ok)
    ok = sorter_spill (&sorter, error) && sorter_merge (&sorter, func, user_data, error);

  if (sorter.fd >= 0)
    close (sorter.fd);
  order_clear (&order);
  g_array_unref (sorter.run_rows);
  g_array_unref (sorter.spilled);
  g_array_unref (sorter.runs);
  g_free (sorter.rank_run);
  g_free (sorter.run.data);
  g_free (sorter.pending.data);
  return ok;
}
