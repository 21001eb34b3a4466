/* test-crash.c: a kiosk killed at any moment loses no committed lead
 *
 * Runs `fairlead-cli leads import` on a stream of leads and kills it with
 * SIGKILL at random moments. Afterwards the database must pass
 * PRAGMA integrity_check and hold every lead whose uuid the importer
 * printed (it prints a uuid only after the lead's commit).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/fl-store.h"
#include "store/fl-store-private.h"

#define N_KILLS 24
/* Enough that a kill within 400 ms hits an import still running, at the
 * rate group commit reaches. */
#define LEADS_PER_RUN 20000

static char *
make_stream (const char *dir, guint run)
{
  g_autofree char *path = g_strdup_printf ("%s/stream-%u.jsonl", dir, run);
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < LEADS_PER_RUN; i++)
    {
      g_autofree char *uuid = g_uuid_string_random ();

      g_string_append_printf (text,
                              "{\"uuid\": \"%s\", \"first_name\": \"Jörg %u\", \"last_name\": \"Weiß\","
                              " \"company\": \"Crash & Söhne %u\", \"email\": \"run%u.lead%u@example.de\","
                              " \"answers\": {\"timeframe\": \"3m\"}, \"interactions\": [{\"kind\": \"badge-scan\","
                              " \"at\": \"2026-06-23T10:00:00Z\"}]}\n",
                              uuid, i, run, run, i);
    }
  g_assert_true (g_file_set_contents (path, text->str, text->len, NULL));
  g_string_free (text, TRUE);
  return g_steal_pointer (&path);
}

/* Reads what the child printed until @deadline (monotonic µs) or EOF. */
static gboolean
read_until (int fd, GString *out, gint64 deadline)
{
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();
      struct pollfd pfd = { fd, POLLIN, 0 };
      char buffer[8192];
      ssize_t n;
      int timeout = deadline < 0 ? -1 : (int) MAX (0, (deadline - now) / 1000);

      if (deadline >= 0 && now >= deadline)
        return TRUE;
      if (poll (&pfd, 1, timeout) <= 0)
        continue;
      n = read (fd, buffer, sizeof buffer);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        return FALSE;
      g_string_append_len (out, buffer, n);
    }
}

static void
test_sigkill_during_import (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fairlead-crash-XXXXXX", NULL);
  g_autofree char *db = g_build_filename (dir, "kiosk.db", NULL);
  g_autoptr(GHashTable) promised = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlStore) store = NULL;
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(FlEvent) created = NULL;
  GHashTableIter iter;
  gpointer key;
  guint killed_mid_run = 0;
  sqlite3_stmt *stmt;

  store = fl_store_open (db, &error);
  g_assert_no_error (error);
  event->name = g_strdup ("Crash Show");
  created = fl_store_create_event (store, event, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  for (guint run = 0; run < N_KILLS; run++)
    {
      g_autofree char *stream = make_stream (dir, run);
      const char *argv[] = { g_getenv ("FAIRLEAD_CLI"), "--db", db, "leads", "import", stream, NULL };
      g_autoptr(GString) out = g_string_new (NULL);
      g_auto(GStrv) lines = NULL;
      GPid pid;
      int out_fd, status;
      gint64 delay = g_test_rand_int_range (5, 400) * 1000;
      gboolean alive;

      g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, NULL, &out_fd, NULL, &error);
      g_assert_no_error (error);

      alive = read_until (out_fd, out, g_get_monotonic_time () + delay);
      kill (pid, SIGKILL);
      waitpid (pid, &status, 0);
      g_spawn_close_pid (pid);
      /* Lines already in the pipe were printed before the kill: they count. */
      read_until (out_fd, out, -1);
      close (out_fd);
      if (alive && WIFSIGNALED (status))
        killed_mid_run++;

      lines = g_strsplit (out->str, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          /* The last piece may be a half-written line: not a promise. */
          if (lines[i + 1] == NULL)
            break;
          g_assert_true (g_uuid_string_is_valid (lines[i]));
          g_hash_table_add (promised, g_strdup (lines[i]));
        }
      g_test_message ("run %u: killed after %" G_GINT64_FORMAT " ms, %u leads promised so far",
                      run, delay / 1000, g_hash_table_size (promised));
      g_unlink (stream);
    }

  g_test_message ("%u of %d kills hit a running import", killed_mid_run, N_KILLS);
  g_assert_cmpuint (killed_mid_run, >=, N_KILLS / 2);

  store = fl_store_open (db, &error);
  g_assert_no_error (error);
  stmt = fl_store_prepare (store, "PRAGMA integrity_check", &error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_reset (stmt);

  g_hash_table_iter_init (&iter, promised);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      g_autoptr(FlLead) lead = fl_store_get_lead (store, key, &error);

      g_assert_no_error (error);
      g_assert_nonnull (lead);
      g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_LAST_NAME), ==, "Weiß");
      /* A lead is whole: its answers and interactions came with it. */
      g_assert_nonnull (fl_lead_get_answers (lead));
      g_assert_nonnull (fl_lead_get_interactions (lead));
    }
  g_assert_cmpuint (g_hash_table_size (promised), >, 0);

  g_clear_object (&store);
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);
    g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("FAIRLEAD_CLI") == NULL)
    {
      g_test_skip ("FAIRLEAD_CLI is not set; run through meson test");
      return g_test_run ();
    }
  g_test_add_func ("/crash/sigkill-during-import", test_sigkill_during_import);

  return g_test_run ();
}
