/* test-discard.c: a discard held, undone and finished, on a real database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "store/fl-discard.h"
#include "store/fl-privacy.h"
#include "store/fl-store-private.h"
#include "sync/fl-outbox.h"
#include "fl-test.h"

typedef FlTestOutboxFixture Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fl_test_outbox_fixture_setup (fixture, data);
  g_assert_true (fl_outbox_add_connector (fixture->outbox, "archive", "csv", "/tmp/leads.csv", NULL, NULL,
                                          &error));
  g_assert_no_error (error);
}

static char *
save_lead (Fixture *fixture, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) lead = fl_lead_new ();

  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, name);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, "wrong.visitor@example.org");
  fl_lead_add_interaction (lead, "badge-scan", NULL);
  fl_test_give_consent (lead, TRUE);
  g_assert_true (fl_store_save_lead (fixture->base.store, lead, "Tom", &error));
  g_assert_no_error (error);
  return g_strdup (fl_lead_get_uuid (lead));
}

static gint64
count (Fixture *fixture, const char *sql)
{
  return fl_test_query_int (fixture->base.store, sql);
}

/* Held: the lead is all there but waits for nothing; undone: it is queued
 * again, as a save would; the audit says so. */
static void
test_undo (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *uuid = save_lead (fixture, "Quendolin");

  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 1);
  g_assert_true (fl_discard_hold (fixture->base.store, uuid, "Tom", &error));
  g_assert_no_error (error);
  g_assert_true (fl_discard_is_held (fixture->base.store, uuid));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM leads"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM interactions"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox"), ==, 0);

  g_assert_true (fl_discard_undo (fixture->base.store, uuid, "Tom", &error));
  g_assert_no_error (error);
  g_assert_false (fl_discard_is_held (fixture->base.store, uuid));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM consents WHERE given"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM interactions"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM audit WHERE action = 'discard-undone'"), ==, 1);
  {
    g_autoptr(FlLead) lead = fl_store_get_lead (fixture->base.store, uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (fl_lead_get_field (lead, FL_FIELD_FIRST_NAME), ==, "Quendolin");
  }

  /* Finishing after an undo removes nothing. */
  g_assert_true (fl_discard_finish (fixture->base.store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM leads"), ==, 1);

  /* An undo with nothing held says why. */
  g_assert_false (fl_discard_undo (fixture->base.store, uuid, "Tom", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
}

/* Finished: gone the way fl_privacy_discard_lead() removes it, and no
 * longer undoable; other leads and other held discards untouched. */
static void
test_finish (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *wrong = save_lead (fixture, "Quendolin");
  g_autofree char *other = save_lead (fixture, "Ada");
  g_autofree char *kept = save_lead (fixture, "Grace");

  g_assert_true (fl_discard_hold (fixture->base.store, wrong, "Tom", &error));
  g_assert_true (fl_discard_hold (fixture->base.store, other, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (fl_discard_finish (fixture->base.store, wrong, &error));
  g_assert_no_error (error);
  g_assert_false (fl_discard_is_held (fixture->base.store, wrong));
  g_assert_true (fl_discard_is_held (fixture->base.store, other));
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM leads"), ==, 2);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM audit WHERE action = 'discarded' AND actor = 'Tom'"), ==, 1);
  g_assert_false (fl_discard_undo (fixture->base.store, wrong, "Tom", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* All that is held, as at the start of the kiosk after a crash. */
  g_assert_true (fl_discard_finish (fixture->base.store, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM leads"), ==, 1);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM meta WHERE key LIKE 'discard.%'"), ==, 0);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 1);
  g_assert_true (fl_discard_finish (fixture->base.store, NULL, &error));
  g_assert_no_error (error);
}

static void
test_hold_unknown (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fl_discard_hold (fixture->base.store, "00000000-0000-4000-8000-000000000000", "Tom", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
  g_assert_cmpint (count (fixture, "SELECT count(*) FROM meta WHERE key LIKE 'discard.%'"), ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fl_test_outbox_fixture_teardown)
  ADD ("/discard/undo", test_undo);
  ADD ("/discard/finish", test_finish);
  ADD ("/discard/hold-unknown", test_hold_unknown);
  return g_test_run ();
}
