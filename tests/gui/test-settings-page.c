/* test-settings-page.c: the store and actor the settings pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "fl-gui-test.h"
#include "fl-settings-page.h"
#include "fl-staff-page.h"
#include "fl-test.h"
#include "store/fl-staff.h"

/* The row titled @title below @widget, or NULL. */
static AdwActionRow *
find_row (GtkWidget *widget, const char *title)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, title);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static void
test_staff_page (FlTestFixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *page;
  GParamSpec *pspec;
  g_autoptr(FlStore) got_store = NULL;
  g_autofree char *got_actor = NULL;

  g_assert_true (fl_staff_set (fixture->store, "Lena", "2468", &error));
  g_assert_no_error (error);
  page = g_object_ref_sink (g_object_new (FL_TYPE_STAFF_PAGE, "store", fixture->store, "actor", "Lena", NULL));

  /* The properties come from the base class, under the same names. */
  pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (page), "store");
  g_assert_nonnull (pspec);
  g_assert_true (pspec->owner_type == FL_TYPE_SETTINGS_PAGE);
  g_object_get (page, "store", &got_store, "actor", &got_actor, NULL);
  g_assert_true (got_store == fixture->store);
  g_assert_cmpstr (got_actor, ==, "Lena");
  g_assert_true (fl_settings_page_get_store (FL_SETTINGS_PAGE (page)) == fixture->store);
  g_assert_cmpstr (fl_settings_page_get_actor (FL_SETTINGS_PAGE (page)), ==, "Lena");

  g_assert_nonnull (find_row (page, "Lena"));
  g_assert_cmpstr (adw_action_row_get_subtitle (find_row (page, "Lena")), ==, "You");

  /* A colleague added elsewhere shows at once. */
  g_assert_true (fl_staff_set (fixture->store, "Tom", "1357", &error));
  g_assert_nonnull (find_row (page, "Tom"));

  /* Setting the same store again keeps following it. */
  g_object_set (page, "store", fixture->store, NULL);
  g_assert_true (fl_staff_set (fixture->store, "Anna", "9753", &error));
  g_assert_nonnull (find_row (page, "Anna"));

  /* A new actor reloads the page: "You" moves. */
  g_object_set (page, "actor", "Tom", NULL);
  g_assert_cmpstr (adw_action_row_get_subtitle (find_row (page, "Tom")), ==, "You");
  g_assert_cmpstr (adw_action_row_get_subtitle (find_row (page, "Lena")), !=, "You");

  /* Without a store the page is empty and no longer follows the old one. */
  g_object_set (page, "store", NULL, NULL);
  g_assert_null (find_row (page, "Lena"));
  g_assert_true (fl_staff_set (fixture->store, "Ahmet", "8642", &error));
  g_assert_null (find_row (page, "Ahmet"));

  g_clear_object (&got_store);
  g_object_unref (page);
}

int
main (int argc, char *argv[])
{
  if (fl_gui_test_no_display (&argc, &argv, "/gui/settings-page/no-display"))
    return g_test_run ();

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();

  g_test_add ("/gui/settings-page/staff", FlTestFixture, NULL,
              fl_test_fixture_setup, test_staff_page, fl_test_fixture_teardown);
  return g_test_run ();
}
