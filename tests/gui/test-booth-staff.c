/* test-booth-staff.c: who captured it, the visitor's view, undo, and
 * words instead of codes — the kiosk of issue 18 with real widgets
 *
 * Run in English and, with LANGUAGE=de and FAIRLEAD_TEST_LOCALEDIR set to
 * the build's po/ directory, in German.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-application.h"
#include "fl-lead-detail.h"
#include "fl-lead-page-private.h"
#include "fl-window-private.h"
#include "store/fl-discard.h"
#include "store/fl-staff.h"
#include "store/fl-store-private.h"

typedef FlGuiTestFixture Fixture;

static const char vcard[] =
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "N:Muster;Anna;;;\n"
  "FN:Anna Muster\n"
  "ORG:Muster Maschinenbau GmbH\n"
  "EMAIL:anna.muster@muster-maschinenbau.example\n"
  "END:VCARD\n";

static const char vcard_2[] =
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "N:Weiss;Jonas;;;\n"
  "FN:Jonas Weiss\n"
  "ORG:Weiss Logistik AG\n"
  "EMAIL:jonas.weiss@example.org\n"
  "END:VCARD\n";

static gboolean
german (void)
{
  return g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "de");
}

/* Collects every text a widget that is drawn shows or holds. */
static void
collect_texts (GtkWidget *widget, GString *texts)
{
  if (!gtk_widget_get_visible (widget) || !gtk_widget_get_child_visible (widget))
    return;
  if (GTK_IS_LABEL (widget))
    g_string_append_printf (texts, "%s\n", gtk_label_get_label (GTK_LABEL (widget)));
  if (GTK_IS_EDITABLE (widget))
    g_string_append_printf (texts, "%s\n", gtk_editable_get_text (GTK_EDITABLE (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_texts (child, texts);
}

/* Renders @widget as the screen shows it into
 * build/tests/gui/screenshots/NAME.png, for a person to look at. */
static void
save_screenshot (GtkWidget *widget, const char *name)
{
  g_autoptr(GdkTexture) texture = fl_gui_test_render (widget, 600);
  g_autofree char *dir = g_build_filename (g_test_get_dir (G_TEST_BUILT), "screenshots", NULL);
  g_autofree char *file = g_strdup_printf ("%s%s.png", name, german () ? "-de" : "");
  g_autofree char *path = g_build_filename (dir, file, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_free (fl_gui_test_fixture_start (fixture, "fairlead-booth-staff-XXXXXX"));
  g_settings_reset (fl_application_get_settings (fixture->app), "staff-member");
  fixture->window = fl_application_open_database (fixture->app, NULL, TRUE);
  fl_gui_test_size_window (fixture->window, 1024, 600);
  fl_gui_test_wait_for_page (fixture->window, "scan", 10);
  fixture->store = g_object_ref (fl_window_get_store (fixture->window));
  fl_gui_test_settle (100);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_settings_reset (fl_application_get_settings (fixture->app), "staff-member");
  fl_gui_test_fixture_tear_down (fixture, data);
}

static gboolean
menu_has_label (GMenuModel *model, const char *label)
{
  for (int i = 0; i < g_menu_model_get_n_items (model); i++)
    {
      g_autofree char *text = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (model, i, G_MENU_LINK_SECTION);

      if (section != NULL && menu_has_label (section, label))
        return TRUE;
      if (g_menu_model_get_item_attribute (model, i, G_MENU_ATTRIBUTE_LABEL, "s", &text) &&
          g_strcmp0 (text, label) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
click (GtkButton *button)
{
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (button)));
  g_signal_emit_by_name (button, "clicked");
  fl_gui_test_settle (50);
}

/* Item 2: the first scan with nobody named asks once, with large buttons,
 * over the lead that is already saved; the answer goes on that lead. */
static void
test_staff_prompt (Fixture *fixture, gconstpointer data)
{
  FlStaffPicker *picker = _fl_window_get_staff_picker (fixture->window);
  GtkEditable *name, *pin, *repeat, *approver_pin;
  AdwComboRow *approver;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GString) texts = g_string_new (NULL);
  GMenuModel *menu;
  gint64 before = fl_gui_test_count_leads (fixture->store);

  /* No staff at all: the menu offers to add one, not a command line. */
  menu = _fl_window_get_staff_menu (fixture->window);
  g_assert_true (menu_has_label (menu, _("Add Staff Member…")));
  collect_texts (GTK_WIDGET (fixture->window), texts);
  g_assert_null (strstr (texts->str, "fairlead-cli"));

  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  fl_gui_test_scan (fixture->window, vcard);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (picker)));
  g_assert_cmpstr (gtk_label_get_label (_fl_staff_picker_get_title (picker)), ==,
                   german () ? "Wer ist am Stand?" : "Who Is at the Booth?");
  /* The scan is kept while asking. */
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);
  save_screenshot (GTK_WIDGET (fixture->window), "staff-prompt-first");

  /* Escape neither leaves the question nor closes the lead below. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.escape", NULL));
  fl_gui_test_settle (50);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "lead");

  /* Another badge before anyone answers: kept too, and asked for again. */
  fl_gui_test_scan (fixture->window, "BEGIN:VCARD\nVERSION:3.0\nN:Kraus;Lena;;;\nEMAIL:lena.kraus@example.net\nEND:VCARD\n");
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));

  /* Nobody set up yet: the form is all there is, and needs no colleague. */
  _fl_staff_picker_get_entries (picker, &name, &pin, &repeat, &approver, &approver_pin);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (_fl_staff_picker_get_cancel_button (picker))));
  gtk_editable_set_text (name, "Tom Berger");
  gtk_editable_set_text (pin, "2468");
  gtk_editable_set_text (repeat, "2469");
  click (_fl_staff_picker_get_add_button (picker));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_staff_picker_get_message (picker))));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  gtk_editable_set_text (repeat, "2468");
  click (_fl_staff_picker_get_add_button (picker));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_cmpstr (fl_window_get_staff (fixture->window), ==, "Tom Berger");
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_staff_label (fixture->window)), ==, "Tom Berger");
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_captured_by (lead), ==, "Tom Berger");
  g_clear_object (&lead);
  lead = fl_gui_test_find_lead (fixture->store, "lena.kraus@example.net");
  g_assert_cmpstr (fl_lead_get_captured_by (lead), ==, "Tom Berger");
  g_assert_true (fl_staff_verify (fixture->store, "Tom Berger", "2468", NULL));
  g_assert_true (menu_has_label (_fl_window_get_staff_menu (fixture->window), "Tom Berger"));

  /* A colleague added elsewhere (the back office) is in the menu at once. */
  g_assert_true (fl_staff_set (fixture->store, "Änne Kowalski", "1357", NULL));
  g_assert_true (menu_has_label (_fl_window_get_staff_menu (fixture->window), "Änne Kowalski"));

  /* Nobody named again: the next scan asks, with a large button per name. */
  gtk_widget_activate_action (GTK_WIDGET (_fl_lead_page_get_field (_fl_window_get_lead_page (fixture->window),
                                                                   FL_FIELD_EMAIL)), "lead.close", NULL);
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  fl_window_set_staff (fixture->window, NULL);
  fl_gui_test_scan (fixture->window, vcard_2);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_nonnull (_fl_staff_picker_get_name_button (picker, "Tom Berger"));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (_fl_staff_picker_get_name_button (picker, "Änne Kowalski"))),
                   >=, 64);
  save_screenshot (GTK_WIDGET (fixture->window), "staff-prompt");
  click (_fl_staff_picker_get_name_button (picker, "Änne Kowalski"));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_clear_object (&lead);
  lead = fl_gui_test_find_lead (fixture->store, "jonas.weiss@example.org");
  g_assert_cmpstr (fl_lead_get_captured_by (lead), ==, "Änne Kowalski");
}

/* Item 2: adding from the kiosk once there is staff takes a colleague's
 * back-office PIN; a wrong one adds nobody. */
static void
test_staff_add_gated (Fixture *fixture, gconstpointer data)
{
  FlStaffPicker *picker = _fl_window_get_staff_picker (fixture->window);
  GtkEditable *name, *pin, *repeat, *approver_pin;
  AdwComboRow *approver;
  g_auto(GStrv) names = NULL;

  g_assert_true (fl_staff_set (fixture->store, "Tom Berger", "2468", NULL));
  fl_window_set_staff (fixture->window, "Tom Berger");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.choose-staff", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  /* From the menu it may be left as it was. */
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_staff_picker_get_cancel_button (picker))));
  click (_fl_staff_picker_get_add_button (picker));

  _fl_staff_picker_get_entries (picker, &name, &pin, &repeat, &approver, &approver_pin);
  {
    gint64 deadline = g_get_monotonic_time () + 2 * G_USEC_PER_SEC;

    /* The form slides in. */
    while (!gtk_widget_get_mapped (GTK_WIDGET (approver_pin)) && g_get_monotonic_time () < deadline)
      fl_gui_test_iterate ();
  }
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (approver_pin)));
  gtk_editable_set_text (name, "Visitor Sneaky");
  gtk_editable_set_text (pin, "1111");
  gtk_editable_set_text (repeat, "1111");
  adw_combo_row_set_selected (approver, 0);
  gtk_editable_set_text (approver_pin, "0000");
  click (_fl_staff_picker_get_add_button (picker));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (_fl_staff_picker_get_message (picker))));
  names = fl_staff_list (fixture->store, NULL);
  g_assert_cmpuint (g_strv_length (names), ==, 1);
  g_assert_cmpstr (fl_window_get_staff (fixture->window), ==, "Tom Berger");

  gtk_editable_set_text (name, "Lena Kraus");
  gtk_editable_set_text (approver_pin, "2468");
  click (_fl_staff_picker_get_add_button (picker));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_cmpstr (fl_window_get_staff (fixture->window), ==, "Lena Kraus");
  g_assert_true (fl_staff_verify (fixture->store, "Lena Kraus", "1111", NULL));
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM audit WHERE action = 'staff-added' "
                                      "AND actor = 'Tom Berger' AND detail = 'Lena Kraus'"), ==, 1);

  /* Cancel leaves who was there. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.choose-staff", NULL));
  click (_fl_staff_picker_get_cancel_button (picker));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_cmpstr (fl_window_get_staff (fixture->window), ==, "Lena Kraus");
  /* … and so does Escape. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.choose-staff", NULL));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (picker)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.escape", NULL));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (picker)));
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GListModel) toplevels = gtk_window_get_toplevels ();
  AdwMessageDialog *dialog = NULL;

  g_object_ref (toplevels);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (item))
        dialog = ADW_MESSAGE_DIALOG (item);
    }
  return dialog;
}

/* The toast's button, as a tap on it: libadwaita dismisses the toast
 * right after. */
static void
tap_toast_button (Fixture *fixture)
{
  AdwToast *toast = _fl_window_get_toast (fixture->window);

  g_assert_nonnull (toast);
  /* A finger is slower than the toast sliding in. */
  fl_gui_test_settle (1600);
  g_object_ref (toast);
  g_signal_emit_by_name (toast, "button-clicked");
  adw_toast_dismiss (toast);
  g_object_unref (toast);
  fl_gui_test_settle (100);
}

/* Item 4: Discard, after its confirmation, offers Undo; Undo brings the
 * lead back as it was, the toast going by itself removes it. */
static void
test_discard_undo (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  gint64 before;
  g_autofree char *uuid = NULL;

  fl_window_set_staff (fixture->window, "Tom Berger");
  before = fl_gui_test_count_leads (fixture->store);
  fl_gui_test_scan (fixture->window, vcard);
  uuid = g_strdup (fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_CITY), "Stuttgart");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.discard", NULL));
  fl_gui_test_settle (100);
  g_assert_nonnull (find_dialog ());
  adw_message_dialog_response (find_dialog (), "discard");
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  g_assert_cmpstr (adw_toast_get_button_label (_fl_window_get_toast (fixture->window)), ==,
                   german () ? "_Rückgängig" : "_Undo");
  g_assert_true (fl_discard_is_held (fixture->store, uuid));

  tap_toast_button (fixture);
  fl_gui_test_wait_for_page (fixture->window, "lead", 5);
  g_assert_cmpstr (fl_lead_get_uuid (fl_lead_page_get_lead (page)), ==, uuid);
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_CITY)), ==, "Stuttgart");
  g_assert_false (fl_discard_is_held (fixture->store, uuid));
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before + 1);

  /* Discarded again, and the toast left to time out: gone for good. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.discard", NULL));
  fl_gui_test_settle (100);
  adw_message_dialog_response (find_dialog (), "discard");
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  _fl_window_dismiss_toast (fixture->window);
  {
    gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;

    /* The toast goes once it has slid in; the discard with it. */
    while (fl_discard_is_held (fixture->store, uuid) && g_get_monotonic_time () < deadline)
      fl_gui_test_iterate ();
  }
  g_assert_false (fl_discard_is_held (fixture->store, uuid));
  g_assert_cmpint (fl_gui_test_count_leads (fixture->store), ==, before);
}

/* Item 4: a new scan over an open lead saves it and offers to reopen it;
 * reopening saves the new one and offers it back in turn. */
static void
test_scan_over_reopen (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;

  fl_window_set_staff (fixture->window, "Tom Berger");
  fl_gui_test_scan (fixture->window, vcard);
  first = g_strdup (fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  gtk_editable_set_text (_fl_lead_page_get_field (page, FL_FIELD_CITY), "Esslingen");
  fl_gui_test_scan (fixture->window, vcard_2);
  second = g_strdup (fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  g_assert_cmpstr (first, !=, second);
  g_assert_cmpstr (adw_toast_get_title (_fl_window_get_toast (fixture->window)), ==,
                   german () ? "Anna Muster gespeichert" : "Anna Muster saved");
  g_assert_cmpstr (adw_toast_get_button_label (_fl_window_get_toast (fixture->window)), ==,
                   german () ? "_Wieder öffnen" : "_Reopen");
  save_screenshot (GTK_WIDGET (fixture->window), "reopen-toast");

  tap_toast_button (fixture);
  g_assert_cmpstr (fl_lead_get_uuid (fl_lead_page_get_lead (page)), ==, first);
  g_assert_cmpstr (gtk_editable_get_text (_fl_lead_page_get_field (page, FL_FIELD_CITY)), ==, "Esslingen");
  /* … and Jonas, left now, can come back the same way. */
  g_assert_nonnull (strstr (adw_toast_get_title (_fl_window_get_toast (fixture->window)), "Jonas Weiss"));
  tap_toast_button (fixture);
  g_assert_cmpstr (fl_lead_get_uuid (fl_lead_page_get_lead (page)), ==, second);
}

/* Item 4: the idle timeout counts its last seconds down on screen; a tap
 * keeps the lead; at the end its toast offers Reopen. */
static void
test_idle_countdown (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkRevealer *warning = _fl_window_get_idle_warning (fixture->window);
  g_autofree char *uuid = NULL;
  const char *text;
  gint64 deadline;

  fl_window_set_staff (fixture->window, "Tom Berger");
  fl_gui_test_scan (fixture->window, vcard);
  uuid = g_strdup (fl_lead_get_uuid (fl_lead_page_get_lead (page)));
  g_assert_false (gtk_revealer_get_reveal_child (warning));

  /* 24 s: the warning comes 10 s before the end. */
  _fl_window_set_idle_timeout_ms (fixture->window, 24000);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (!gtk_revealer_get_reveal_child (warning) && g_get_monotonic_time () < deadline)
    fl_gui_test_iterate ();
  g_assert_true (gtk_revealer_get_reveal_child (warning));
  text = gtk_label_get_label (_fl_window_get_idle_label (fixture->window));
  g_test_message ("countdown: %s", text);
  g_assert_nonnull (strstr (text, german () ? "Noch im Gespräch? Tippen zum Bleiben" : "Still talking? Tap to stay"));
  g_assert_true (strstr (text, " 10 ") != NULL || strstr (text, " 9 ") != NULL);
  save_screenshot (GTK_WIDGET (fixture->window), "idle-countdown");
  fl_gui_test_settle (1200);
  g_assert_cmpstr (gtk_label_get_label (_fl_window_get_idle_label (fixture->window)), !=, "");
  g_assert_true (strstr (gtk_label_get_label (_fl_window_get_idle_label (fixture->window)), " 9 ") != NULL ||
                 strstr (gtk_label_get_label (_fl_window_get_idle_label (fixture->window)), " 8 ") != NULL);

  /* A tap anywhere: the visitor stays. */
  _fl_window_restart_idle (fixture->window);
  g_assert_false (gtk_revealer_get_reveal_child (warning));
  g_assert_cmpstr (fl_window_get_visible_page (fixture->window), ==, "lead");

  /* Nobody taps: saved, back to the start, and Reopen brings it back. */
  _fl_window_set_idle_timeout_ms (fixture->window, 600);
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  g_assert_null (fl_lead_page_get_lead (page));
  g_assert_false (gtk_revealer_get_reveal_child (warning));
  g_assert_cmpstr (adw_toast_get_button_label (_fl_window_get_toast (fixture->window)), ==,
                   german () ? "_Wieder öffnen" : "_Reopen");
  _fl_window_set_idle_timeout_ms (fixture->window, 60000);
  tap_toast_button (fixture);
  fl_gui_test_wait_for_page (fixture->window, "lead", 5);
  g_assert_cmpstr (fl_lead_get_uuid (fl_lead_page_get_lead (page)), ==, uuid);
}

/* fl_gui_test_tap(), then a moment for what the toggle set off. */
static void
tap (gpointer widget)
{
  fl_gui_test_tap (widget);
  fl_gui_test_settle (50);
}

static double
top_of (GtkWidget *widget, GtkWidget *ancestor)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, ancestor, &GRAPHENE_POINT_INIT (0, 0), &point));
  return point.y;
}

/* Item 3: consent near the top, in the visitor's language, naming the
 * same company as the privacy notice; the visitor's view hides score,
 * status and everything staff noted, and Done's toast keeps the status
 * to staff. */
static void
test_visitor_view (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkCheckButton *consent = _fl_lead_page_get_consent (page);
  GtkWidget *consent_label = gtk_check_button_get_child (consent);
  GtkToggleButton *visitor_view = _fl_lead_page_get_visitor_view (page);
  g_autoptr(GString) texts = g_string_new (NULL);
  const char *consent_text, *notice;

  fl_window_set_staff (fixture->window, "Tom Berger");
  fl_gui_test_scan (fixture->window, vcard);
  fl_gui_test_settle (200);

  /* Consent comes before the questions, and the notice names the same company. */
  g_assert_cmpfloat (top_of (GTK_WIDGET (consent), GTK_WIDGET (page)), <,
                     top_of (GTK_WIDGET (_fl_lead_page_get_choice (page, "timeframe", 0)), GTK_WIDGET (page)));
  consent_text = gtk_label_get_label (GTK_LABEL (consent_label));
  notice = gtk_label_get_label (_fl_lead_page_get_privacy (page));
  g_assert_nonnull (strstr (consent_text, "Example Automation GmbH"));
  g_assert_nonnull (strstr (notice, "Example Automation GmbH"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (_fl_lead_page_get_privacy (page)), "dim-label"));

  /* The company is in the header, under the name. */
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_lead_page_get_source (page)), "Muster Maschinenbau GmbH"));

  /* The screen turns to the visitor. */
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_status (page))));
  tap (visitor_view);
  g_assert_true (gtk_toggle_button_get_active (visitor_view));
  g_assert_false (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_status (page))));
  g_assert_false (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_score_bar (page))));
  g_assert_false (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_notes (page))));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (consent)));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_privacy (page))));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_choice (page, "timeframe", 0))));
  collect_texts (GTK_WIDGET (page), texts);
  g_assert_null (strstr (texts->str, "MQL"));
  g_assert_null (strstr (texts->str, "SAL"));
  g_assert_null (strstr (texts->str, "Tom Berger"));

  /* In the visitor's language, consent and notice alike. */
  tap (_fl_lead_page_get_language_button (page, FL_LANGUAGE_DE));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (consent_label)), "Ich bin einverstanden"));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_lead_page_get_privacy (page)), "Example Automation GmbH"));
  save_screenshot (GTK_WIDGET (fixture->window), "visitor-view");

  /* The visitor ticks consent in their view. */
  tap (consent);
  g_assert_true (gtk_check_button_get_active (consent));

  /* Back to staff: all of it again. */
  tap (visitor_view);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_status (page))));
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (_fl_lead_page_get_notes (page))));

  /* Done: the thanks page faces the visitor; the toast says saved, no status. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
  g_assert_cmpstr (adw_toast_get_title (_fl_window_get_toast (fixture->window)), ==,
                   german () ? "Anna Muster gespeichert" : "Anna Muster saved");

  /* The next lead opens in the staff view. */
  fl_gui_test_scan (fixture->window, vcard_2);
  g_assert_false (gtk_toggle_button_get_active (visitor_view));
}

/* Item 6: on a return visit the booth interactions recorded before show
 * as on; a tap records one again for this visit. */
static void
test_return_visit_interactions (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkToggleButton *demo;
  g_autoptr(FlLead) lead = NULL;

  fl_window_set_staff (fixture->window, "Tom Berger");
  fl_gui_test_scan (fixture->window, vcard);
  demo = _fl_lead_page_get_interaction (page, "demo");
  g_assert_nonnull (demo);
  g_assert_false (gtk_toggle_button_get_active (demo));
  tap (demo);
  g_assert_true (gtk_toggle_button_get_active (demo));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.close", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);

  /* An hour later, in the stored times: the same visitor scans again. */
  g_assert_true (fl_store_exec (fixture->store,
                                "UPDATE interactions SET at = strftime ('%Y-%m-%dT%H:%M:%fZ', at, '-1 hour')", NULL));
  g_assert_true (fl_store_exec (fixture->store,
                                "UPDATE leads SET updated_at = strftime ('%Y-%m-%dT%H:%M:%fZ', updated_at, '-1 hour')",
                                NULL));
  fl_gui_test_scan (fixture->window, vcard);
  demo = _fl_lead_page_get_interaction (page, "demo");
  g_assert_true (_fl_lead_page_get_merged (page));
  g_assert_true (gtk_toggle_button_get_active (demo));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (demo), "earlier-visit"));

  /* A tap records it again now; another takes back only today's. The
   * button stays on either way, so the tap is waited out. */
  gtk_widget_activate (GTK_WIDGET (demo));
  fl_gui_test_settle (500);
  g_assert_true (gtk_toggle_button_get_active (demo));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (demo), "earlier-visit"));
  gtk_widget_activate (GTK_WIDGET (demo));
  fl_gui_test_settle (500);
  g_assert_true (gtk_toggle_button_get_active (demo));
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (demo), "earlier-visit"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.close", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpint (fl_test_query_int (fixture->store,
                                      "SELECT count(*) FROM interactions i JOIN leads l ON l.id = i.lead_id "
                                      "WHERE i.kind = 'demo' AND l.email = 'anna.muster@muster-maschinenbau.example'"),
                   ==, 1);
}

static GtkWidget *
find_by_class (GtkWidget *widget, const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_class (child, css_class);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Item 6: the lead detail reads in words: the model's question, option
 * and interaction labels in the interface's language, dates the way the
 * language writes them, the company under a name that wraps. */
static void
test_detail_words (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(GString) texts = g_string_new (NULL);
  g_autoptr(GRegex) date = NULL;
  GtkWidget *window, *detail;
  GtkLabel *name_label;

  fl_window_set_staff (fixture->window, "Tom Berger");
  fl_gui_test_scan (fixture->window, "BEGIN:VCARD\nVERSION:3.0\nN:Zwirbelmeier-Oberhuber-Lanzenberger;Maximiliane Quendolin;;;\n"
                                     "FN:Maximiliane Quendolin Zwirbelmeier-Oberhuber-Lanzenberger\n"
                                     "ORG:Muster Maschinenbau GmbH\nEMAIL:mq@zwirbel.example\nEND:VCARD\n");
  tap (_fl_lead_page_get_choice (page, "timeframe", 0));
  tap (_fl_lead_page_get_choice (page, "role", 0));
  tap (_fl_lead_page_get_interaction (page, "demo"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.close", NULL));
  fl_gui_test_wait_for_page (fixture->window, "scan", 5);
  lead = fl_gui_test_find_lead (fixture->store, "mq@zwirbel.example");

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 520, 900);
  detail = fl_lead_detail_new (fixture->store);
  gtk_window_set_child (GTK_WINDOW (window), detail);
  fl_lead_detail_set_lead (FL_LEAD_DETAIL (detail), fl_lead_get_uuid (lead));
  gtk_window_present (GTK_WINDOW (window));
  fl_gui_test_settle (500);
  collect_texts (detail, texts);
  g_test_message ("%s", texts->str);

  g_assert_nonnull (strstr (texts->str, german () ? "Zeitrahmen" : "Timeframe"));
  g_assert_nonnull (strstr (texts->str, german () ? "innerhalb von 3 Monaten" : "within 3 months"));
  g_assert_nonnull (strstr (texts->str, german () ? "Rolle bei der Entscheidung" : "Role in the decision"));
  g_assert_nonnull (strstr (texts->str, german () ? "Live-Demo am Stand" : "Live demo at the booth"));
  g_assert_nonnull (strstr (texts->str, german () ? "Badge am Stand gescannt" : "Badge scanned at the booth"));
  g_assert_null (strstr (texts->str, "timeframe\n"));
  g_assert_null (strstr (texts->str, "3m\n"));
  g_assert_null (strstr (texts->str, "badge-scan"));
  /* “4 Dec 2026, 16:44” (“4. Dec 2026, 16:44” in German), not “Fri Dec  4 16:44:48 2026”. */
  date = g_regex_new (german () ? "\\n[0-9]{1,2}\\. [^ ]+ [0-9]{4}, [0-9]{2}:[0-9]{2}\\n"
                                : "\\n[0-9]{1,2} [^ ]+ [0-9]{4}, [0-9]{2}:[0-9]{2}\\n", 0, 0, NULL);
  g_assert_true (g_regex_match (date, texts->str, 0, NULL));
  g_assert_false (g_regex_match_simple ("[0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}", texts->str, 0, 0));

  /* The company in the header; the long name on two lines, not cut. */
  g_assert_nonnull (strstr (texts->str, "Muster Maschinenbau GmbH"));
  name_label = GTK_LABEL (find_by_class (detail, "title-2"));
  g_assert_nonnull (name_label);
  g_assert_true (gtk_label_get_wrap (name_label));
  g_assert_cmpint (gtk_label_get_lines (name_label), ==, 2);
  g_assert_true (gtk_widget_is_drawable (GTK_WIDGET (name_label)));
  save_screenshot (window, "lead-detail-words");
  gtk_window_destroy (GTK_WINDOW (window));
  fl_gui_test_settle (100);
}

int
main (int argc, char *argv[])
{
  if (fl_gui_test_no_display (&argc, &argv, "/gui/booth-staff/no-display"))
    return g_test_run ();

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* The German run reads the catalogue the build made. */
  if (g_getenv ("FAIRLEAD_TEST_LOCALEDIR") != NULL)
    {
      /* gtk_test_init() set a fixed locale; LANGUAGE needs the environment's. */
      setlocale (LC_ALL, "");
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("FAIRLEAD_TEST_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  fl_gui_test_park_pointer ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/booth-staff/staff-prompt", test_staff_prompt);
  ADD ("/gui/booth-staff/staff-add-gated", test_staff_add_gated);
  ADD ("/gui/booth-staff/discard-undo", test_discard_undo);
  ADD ("/gui/booth-staff/scan-over-reopen", test_scan_over_reopen);
  ADD ("/gui/booth-staff/idle-countdown", test_idle_countdown);
  ADD ("/gui/booth-staff/visitor-view", test_visitor_view);
  ADD ("/gui/booth-staff/return-visit-interactions", test_return_visit_interactions);
  ADD ("/gui/booth-staff/detail-words", test_detail_words);
  return g_test_run ();
}
