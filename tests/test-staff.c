/* test-staff.c: staff PINs, hashed and guarded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "store/fl-staff.h"
#include "store/fl-store-private.h"
#include "fl-test.h"

typedef FlTestFixture Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fl_test_fixture_open (fixture, "kiosk.db", NULL);
}

static void
test_pin_rules (void)
{
  const char *bad[] = { "", "123", "1234567890123", "12a4", "12 34", "١٢٣٤" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (fl_staff_check_pin (bad[i], &error));
      g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_PIN);
    }
  g_assert_true (fl_staff_check_pin ("0000", NULL));
  g_assert_true (fl_staff_check_pin ("123456789012", NULL));
}

static void
test_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = fl_staff_hash_pin ("4711", &error);
  g_autofree char *b = fl_staff_hash_pin ("4711", &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (a, "$y$"));
  /* Salted: the same PIN never gives the same hash. */
  g_assert_cmpstr (a, !=, b);
  g_assert_null (strstr (a, "4711"));
  g_assert_true (fl_staff_pin_matches ("4711", a));
  g_assert_true (fl_staff_pin_matches ("4711", b));
  g_assert_false (fl_staff_pin_matches ("4712", a));
  g_assert_false (fl_staff_pin_matches ("4711", "garbage"));
}

static void
test_staff (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  g_assert_true (fl_staff_set (fixture->store, " Änne ", "2468", &error));
  g_assert_true (fl_staff_set (fixture->store, "Tom", "1357", &error));
  g_assert_no_error (error);
  names = fl_staff_list (fixture->store, &error);
  g_assert_cmpuint (g_strv_length (names), ==, 2);
  g_assert_cmpstr (names[0], ==, "Änne");

  g_assert_true (fl_staff_verify (fixture->store, "Änne", "2468", &error));
  g_assert_false (fl_staff_verify (fixture->store, "Änne", "1357", &error));
  g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);
  g_assert_false (fl_staff_verify (fixture->store, "Nobody", "2468", &error));
  g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN);
  g_clear_error (&error);

  /* A new PIN replaces the old one. */
  g_assert_true (fl_staff_set (fixture->store, "Tom", "9999", &error));
  g_assert_false (fl_staff_verify (fixture->store, "Tom", "1357", NULL));
  g_assert_true (fl_staff_verify (fixture->store, "Tom", "9999", NULL));

  g_assert_false (fl_staff_set (fixture->store, "Tom", "12", &error));
  g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_PIN);
  g_clear_error (&error);
  g_assert_false (fl_staff_set (fixture->store, "", "1234", &error));
  g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_NAME);
  g_clear_error (&error);

  g_assert_true (fl_staff_remove (fixture->store, "Tom", &error));
  g_assert_false (fl_staff_remove (fixture->store, "Tom", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
}

static void
count_cb (FlStore *store, guint *count)
{
  (*count)++;
}

/* Every list of names shown hears of a change at once. */
static void
test_changed_signal (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  guint changes = 0;

  g_signal_connect (fixture->store, "staff-changed", G_CALLBACK (count_cb), &changes);
  g_assert_true (fl_staff_set (fixture->store, "Tom", "1357", &error));
  g_assert_cmpuint (changes, ==, 1);
  g_assert_true (fl_staff_set (fixture->store, "Tom", "2468", &error));
  g_assert_cmpuint (changes, ==, 2);
  g_assert_no_error (error);
  /* Nothing changed, nothing said. */
  g_assert_false (fl_staff_set (fixture->store, "Anna", "12", &error));
  g_clear_error (&error);
  g_assert_false (fl_staff_remove (fixture->store, "Nobody", &error));
  g_clear_error (&error);
  g_assert_cmpuint (changes, ==, 2);
  g_assert_true (fl_staff_remove (fixture->store, "Tom", &error));
  g_assert_cmpuint (changes, ==, 3);
  g_signal_handlers_disconnect_by_func (fixture->store, count_cb, &changes);
}

static void
test_guard (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlPinGuard) guard = fl_pin_guard_new (fixture->store);
  g_autoptr(GError) error = NULL;
  gint64 now = 1000 * G_USEC_PER_SEC;
  gint64 first_wait, second_wait;

  g_assert_true (fl_staff_set (fixture->store, "Anna", "2580", &error));

  for (guint i = 0; i < FL_PIN_FREE_TRIES - 1; i++)
    {
      g_assert_false (fl_pin_guard_try (guard, "Anna", "0000", now, &error));
      g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN);
      g_clear_error (&error);
      g_assert_cmpint (fl_pin_guard_get_wait (guard, now), ==, 0);
    }
  /* The fifth wrong PIN locks. */
  g_assert_false (fl_pin_guard_try (guard, "Anna", "0000", now, &error));
  g_clear_error (&error);
  first_wait = fl_pin_guard_get_wait (guard, now);
  g_assert_cmpint (first_wait, >, 0);

  /* While locked even the right PIN waits. */
  g_assert_false (fl_pin_guard_try (guard, "Anna", "2580", now + first_wait / 2, &error));
  g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "try again in"));
  g_clear_error (&error);

  /* Another wrong PIN after the wait: the wait doubles. */
  now += first_wait;
  g_assert_false (fl_pin_guard_try (guard, "Anna", "1111", now, &error));
  g_clear_error (&error);
  second_wait = fl_pin_guard_get_wait (guard, now);
  g_assert_cmpint (second_wait, ==, 2 * first_wait);

  now += second_wait;
  g_assert_true (fl_pin_guard_try (guard, "Anna", "2580", now, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fl_pin_guard_get_failures (guard), ==, 0);
  g_assert_cmpint (fl_pin_guard_get_wait (guard, now), ==, 0);

  {
    sqlite3_stmt *stmt = fl_store_prepare (fixture->store, "SELECT count(*) FROM audit WHERE action = 'pin-refused'", NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, FL_PIN_FREE_TRIES + 1);
    sqlite3_reset (stmt);
  }
}

/* The kiosk killed and started again: a second store on the same file,
 * as a new process would open it, sees the same lock. */
static void
test_guard_survives_restart (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  gint64 wait, length;

  g_assert_true (fl_staff_set (fixture->store, "Anna", "2580", &error));
  {
    g_autoptr(FlPinGuard) guard = fl_pin_guard_new (fixture->store);

    for (guint i = 0; i < FL_PIN_FREE_TRIES; i++)
      {
        g_assert_false (fl_pin_guard_try (guard, "Anna", "0000", now, &error));
        g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN);
        g_clear_error (&error);
      }
    length = fl_pin_guard_get_wait (guard, now);
    g_assert_cmpint (length, >, 0);
  }
  g_clear_object (&fixture->store);

  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db_path, &error);
    g_autoptr(FlPinGuard) guard = NULL;

    g_assert_no_error (error);
    guard = fl_pin_guard_new (store);
    g_assert_cmpuint (fl_pin_guard_get_failures (guard), ==, FL_PIN_FREE_TRIES);
    g_assert_cmpint (fl_pin_guard_get_wait (guard, now + G_USEC_PER_SEC), ==, length - G_USEC_PER_SEC);
    g_assert_false (fl_pin_guard_try (guard, "Anna", "2580", now + G_USEC_PER_SEC, &error));
    g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_LOCKED);
    g_clear_error (&error);

    /* The clock set back a day: the lock does not end early; it counts
     * again in full from the new time, and runs down from there. */
    now -= G_GINT64_CONSTANT (24) * 3600 * G_USEC_PER_SEC;
    g_assert_cmpint (fl_pin_guard_get_wait (guard, now), ==, length);
    g_assert_false (fl_pin_guard_try (guard, "Anna", "2580", now + length / 2, &error));
    g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_LOCKED);
    g_clear_error (&error);
    g_assert_cmpint (fl_pin_guard_get_wait (guard, now + length / 2), ==, length - length / 2);
  }

  /* Restarted once more after the wait: the next wrong try doubles it,
   * then the right PIN opens and resets the count for good. */
  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db_path, &error);
    g_autoptr(FlPinGuard) guard = NULL;

    g_assert_no_error (error);
    guard = fl_pin_guard_new (store);
    now += length;
    wait = fl_pin_guard_get_wait (guard, now);
    g_assert_cmpint (wait, ==, 0);
    g_assert_false (fl_pin_guard_try (guard, "Anna", "1111", now, &error));
    g_assert_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN);
    g_clear_error (&error);
    g_assert_cmpint (fl_pin_guard_get_wait (guard, now), ==, 2 * length);
    now += 2 * length;
    g_assert_true (fl_pin_guard_try (guard, "Anna", "2580", now, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(FlStore) store = fl_store_open (fixture->db_path, &error);
    g_autoptr(FlPinGuard) guard = NULL;

    g_assert_no_error (error);
    guard = fl_pin_guard_new (store);
    g_assert_cmpuint (fl_pin_guard_get_failures (guard), ==, 0);
    g_assert_cmpint (fl_pin_guard_get_wait (guard, now), ==, 0);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/staff/pin-rules", test_pin_rules);
  g_test_add_func ("/staff/hash", test_hash);
  g_test_add ("/staff/store", Fixture, NULL, fixture_set_up, test_staff, fl_test_fixture_teardown);
  g_test_add ("/staff/changed-signal", Fixture, NULL, fixture_set_up, test_changed_signal, fl_test_fixture_teardown);
  g_test_add ("/staff/guard", Fixture, NULL, fixture_set_up, test_guard, fl_test_fixture_teardown);
  g_test_add ("/staff/guard-survives-restart", Fixture, NULL, fixture_set_up,
              test_guard_survives_restart, fl_test_fixture_teardown);

  return g_test_run ();
}
