/* fl-test.c: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>

#include "fl-test.h"

/* Removes a test's temporary folder with everything in it. */
void
fl_test_remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          fl_test_remove_tree (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* The first column of the one row @sql gives, e.g. a count. */
gint64
fl_test_query_int (FlStore *store, const char *sql)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, &error);
  gint64 value;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return value;
}

/* Overwrites the middle of the second leaf page of the table or index
 * @name, as a failing disk or a torn write would. */
void
fl_test_damage_tree (const char *db_path, const char *name)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 page = 0, page_size = 0;
  g_autofree char *block = NULL;
  FILE *file;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT pageno, (SELECT page_size FROM pragma_page_size) "
                                           "FROM dbstat WHERE name = ? AND pagetype = 'leaf' "
                                           "ORDER BY pageno LIMIT 1 OFFSET 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  page = sqlite3_column_int64 (stmt, 0);
  page_size = sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_test_message ("damaging page %" G_GINT64_FORMAT " of %s", page, name);

  block = g_malloc (200);
  memset (block, 0xff, 200);
  file = fopen (db_path, "r+b");
  g_assert_nonnull (file);
  g_assert_cmpint (fseek (file, (page - 1) * page_size + 100, SEEK_SET), ==, 0);
  g_assert_cmpuint (fwrite (block, 1, 200, file), ==, 200);
  g_assert_cmpint (fclose (file), ==, 0);
}
