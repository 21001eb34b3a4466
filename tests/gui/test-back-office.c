/* test-back-office.c: the back office, with real widgets under Xvfb
 *
 * Each test builds the back office inside a plain GtkWindow on a database
 * of its own. With FAIRLEAD_SCREENSHOT_DIR set, the tests also save a
 * picture of each page there (tests/gui/screenshot-back-office.sh).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <stdio.h>
#include <string.h>

#include "fl-back-office-private.h"
#include "fl-back-office.h"
#include "fl-connector-dialog.h"
#include "fl-dashboard.h"
#include "fl-lead-detail.h"
#include "fl-pin-page.h"
#include "fl-preferences-window.h"
#include "fl-lead-contact-section.h"
#include "sync-test-server.h"
#include "score/fl-model-store.h"
#include "store/fl-roster-store.h"
#include "store/fl-staff.h"
#include "sync/fl-sync.h"

#define STAFF_PIN "2468"

static const char *first_names[] = { "Jürgen", "Anna", "Sören", "Marie", "Thomas", "Katarzyna", "Lukas", "Elena" };
static const char *last_names[] = { "Müller", "Schäfer", "Weiß", "Dubois", "Gruber", "Nowak", "Hoffmann", "Rossi",
                                    "Larsen", "Fischer" };
static const char *companies[] = { "Müller Fördertechnik GmbH", "Bäckerei Schäfer KG", "Weiß Automation AG",
                                   "Robotique Lyonnaise SA", "Polymer Works", "Nordic Packaging A/S" };
static const char *staff[] = { "Lena", "Tom", "Ahmet", "Anna" };

typedef struct
{
  guint n_leads;
  guint n_sal;
  guint n_muller;     /* "Müller" in the last name or the company */
  guint n_lena;
  guint n_lena_sal;
} Expected;

typedef struct
{
  char         *tmpdir;
  char         *path;
  FlStore      *store;
  GtkWindow    *window;
  FlBackOffice *office;
  Expected      expected;
} Fixture;

typedef struct
{
  guint    n_leads;
  gboolean with_event;
  gboolean with_staff;
} Setup;

static const Setup setup_small = { 240, TRUE, TRUE };
static const Setup setup_large = { 10000, TRUE, TRUE };
static const Setup setup_empty = { 0, TRUE, TRUE };
static const Setup setup_first_run = { 0, TRUE, FALSE };

static void
iterate_for (guint ms)
{
  gint64 deadline = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
}

static void
wait_until_mapped (GtkWidget *widget)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!gtk_widget_get_mapped (widget) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_true (gtk_widget_get_mapped (widget));
}

/* Saves what @widget shows as NAME.png when FAIRLEAD_SCREENSHOT_DIR is set,
 * and checks that it is not blank. */
static void
screenshot (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("FAIRLEAD_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot *snapshot;
  int width, height;

  iterate_for (dir ? 600 : 100);
  {
    /* A loaded machine may take longer to lay out a page just shown. */
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while ((!gtk_widget_get_mapped (widget) || gtk_widget_get_width (widget) <= 0) &&
           g_get_monotonic_time () < deadline)
      iterate_for (10);
  }
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  g_assert_cmpint (width, >, 0);
  paintable = gtk_widget_paintable_new (widget);
  {
    /* A page mapped but not drawn by a frame yet has no render node: on a
     * loaded machine, give the frame clock its time. */
    gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    for (;;)
      {
        snapshot = gtk_snapshot_new ();
        gdk_paintable_snapshot (paintable, snapshot, width, height);
        node = gtk_snapshot_free_to_node (snapshot);
        if (node != NULL || g_get_monotonic_time () >= deadline)
          break;
        iterate_for (10);
      }
  }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  {
    /* A page that drew nothing is one colour. */
    gsize stride = width * 4;
    g_autofree guchar *pixels = g_malloc (stride * height);
    guint32 first;
    gboolean varied = FALSE;

    gdk_texture_download (texture, pixels, stride);
    memcpy (&first, pixels, 4);
    for (gsize i = 0; i < stride * height && !varied; i += 4)
      varied = memcmp (&first, pixels + i, 4) != 0;
    g_assert_true (varied);
  }
  if (dir == NULL)
    return;
  g_mkdir_with_parents (dir, 0755);
  path = g_strdup_printf ("%s/%s.png", dir, name);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

static void
make_leads (Fixture *fixture, guint n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);
  GRand *rand = g_rand_new_with_seed (7);

  g_assert_true (fl_store_begin (fixture->store, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlLead) lead = fl_lead_new ();
      g_autoptr(GDateTime) day = g_date_time_add_days (today, -(int) g_rand_int_range (rand, 0, 3));
      g_autoptr(GDateTime) local = g_date_time_add_seconds (day, g_rand_int_range (rand, 9 * 3600, 18 * 3600));
      g_autoptr(GDateTime) utc = g_date_time_to_utc (local);
      g_autofree char *at = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
      g_autofree char *email = g_strdup_printf ("lead%u@example.de", i);
      const char *last = last_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (last_names))];
      const char *company = companies[g_rand_int_range (rand, 0, G_N_ELEMENTS (companies))];
      const char *who = staff[g_rand_int_range (rand, 0, G_N_ELEMENTS (staff))];
      int score = g_rand_int_range (rand, 0, 100);
      FlStatus status = score >= 60 ? FL_STATUS_SAL : score < 8 ? FL_STATUS_DISQUALIFIED : FL_STATUS_MQL;
      g_autoptr(JsonNode) breakdown = json_from_string ("[{\"source\":\"question\",\"id\":\"timeframe\","
                                                        "\"points\":25,\"reason\":\"Buying within 3 months\"},"
                                                        "{\"source\":\"attribute\",\"id\":\"title\",\"points\":15,"
                                                        "\"reason\":\"Decision maker (Head of Production)\"}]",
                                                        NULL);
      g_autoptr(JsonNode) consent = json_from_string ("{\"version\":\"2026-1\",\"given\":true,"
                                                      "\"method\":\"tap\",\"staff\":\"Lena\"}", NULL);

      fl_lead_ensure_identity (lead);
      fl_lead_set_source (lead, FL_SOURCE_BADGE);
      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, first_names[g_rand_int_range (rand, 0, G_N_ELEMENTS (first_names))]);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last);
      fl_lead_set_field (lead, FL_FIELD_COMPANY, company);
      fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
      fl_lead_set_field (lead, FL_FIELD_TITLE, "Head of Production");
      fl_lead_set_field (lead, FL_FIELD_CITY, "München");
      fl_lead_set_captured_by (lead, who);
      fl_lead_set_created_at (lead, at);
      fl_lead_set_updated_at (lead, at);
      fl_lead_set_score (lead, score);
      fl_lead_set_status (lead, status);
      fl_lead_set_breakdown (lead, breakdown);
      json_object_set_string_member (json_node_get_object (consent), "at", at);
      fl_lead_set_consent (lead, consent);
      fl_lead_set_answer (lead, "timeframe", json_node_init_string (json_node_alloc (), "Within 3 months"));
      fl_lead_set_answer (lead, "interest", json_from_string ("[\"Pilot line\",\"Retrofit\"]", NULL));
      fl_lead_add_interaction (lead, "badge-scan", at);
      if (i % 7 == 0)
        fl_lead_add_interaction (lead, "demo", at);
      fl_lead_set_notes (lead, i % 50 == 0 ? "Wants a quote for the pilot line" : NULL);
      g_assert_true (fl_store_save_lead_in_transaction (fixture->store, lead, who, &error));
      g_assert_no_error (error);

      fixture->expected.n_leads++;
      fixture->expected.n_sal += status == FL_STATUS_SAL;
      fixture->expected.n_muller += g_str_equal (last, "Müller") || strstr (company, "Müller") != NULL;
      fixture->expected.n_lena += g_str_equal (who, "Lena");
      fixture->expected.n_lena_sal += g_str_equal (who, "Lena") && status == FL_STATUS_SAL;
    }
  g_assert_true (fl_store_commit (fixture->store, &error));
  g_rand_free (rand);
}

static const char *
demo_model_path (void)
{
  static char *path;

  if (path == NULL)
    path = g_build_filename (g_getenv ("FAIRLEAD_DATADIR"),
                             "demo", "scoring.json", NULL);
  return path;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  const Setup *setup = data;
  g_autoptr(GError) error = NULL;

  fixture->tmpdir = g_dir_make_tmp ("fairlead-back-office-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->tmpdir, "fairlead.db", NULL);
  fixture->store = fl_store_open (fixture->path, &error);
  g_assert_no_error (error);

  if (setup->with_event)
    {
      g_autoptr(FlEvent) event = fl_event_new ();
      g_autoptr(FlEvent) created = NULL;

      event->name = g_strdup ("Automatica 2026");
      event->venue = g_strdup ("Messe München");
      event->booth = g_strdup ("B5.214");
      created = fl_store_create_event (fixture->store, event, &error);
      g_assert_no_error (error);
      fl_store_set_active_event (fixture->store, created->uuid, &error);
      g_assert_no_error (error);
    }
  if (setup->with_staff)
    {
      g_assert_true (fl_staff_set (fixture->store, "Lena", STAFF_PIN, &error));
      g_assert_true (fl_staff_set (fixture->store, "Tom", "1357", &error));
    }
  make_leads (fixture, setup->n_leads);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  {
    /* FAIRLEAD_SCREENSHOT_SIZE=1024x600: the screenshots at the kiosk's size. */
    int width = 1280, height = 800;

    if (g_getenv ("FAIRLEAD_SCREENSHOT_SIZE") != NULL)
      sscanf (g_getenv ("FAIRLEAD_SCREENSHOT_SIZE"), "%dx%d", &width, &height);
    gtk_window_set_default_size (fixture->window, width, height);
  }
  fixture->office = FL_BACK_OFFICE (fl_back_office_new (fixture->store));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->office));
  gtk_window_present (fixture->window);
  wait_until_mapped (GTK_WIDGET (fixture->office));
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  gtk_window_destroy (fixture->window);
  iterate_for (50);
  g_clear_object (&fixture->store);
  fl_test_remove_tree (fixture->tmpdir);
  g_clear_pointer (&fixture->tmpdir, g_free);
  g_clear_pointer (&fixture->path, g_free);
}

static void
try_pin (Fixture *fixture, const char *name, const char *pin)
{
  FlPinPage *page = _fl_back_office_get_pin_page (fixture->office);
  AdwComboRow *row = _fl_pin_page_get_staff_row (page);
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      if (g_str_equal (gtk_string_object_get_string (item), name))
        adw_combo_row_set_selected (row, i);
    }
  gtk_editable_set_text (_fl_pin_page_get_pin_entry (page), pin);
  g_signal_emit_by_name (_fl_pin_page_get_unlock_button (page), "clicked");
}

static void
unlock (Fixture *fixture)
{
  try_pin (fixture, "Lena", STAFF_PIN);
  g_assert_false (fl_back_office_get_locked (fixture->office));
  iterate_for (100);
}

static void
test_pin_lock (Fixture *fixture, gconstpointer data)
{
  FlPinPage *page = _fl_back_office_get_pin_page (fixture->office);
  GtkWidget *button = _fl_pin_page_get_unlock_button (page);
  const char *message;
  guint tries = 0;

  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_null (fl_back_office_get_staff (fixture->office));
  g_assert_false (fl_pin_page_get_first_run (page));
  screenshot (GTK_WIDGET (fixture->window), "pin-page");

  /* Wrong PINs are refused, then the lock makes the next try wait. */
  try_pin (fixture, "Lena", "0000");
  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_pin_page_get_message (page)), "Wrong PIN"));
  while (gtk_widget_get_sensitive (button) && tries++ < 10)
    try_pin (fixture, "Lena", "1111");
  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_cmpuint (tries, <=, FL_PIN_FREE_TRIES);
  message = gtk_label_get_label (_fl_pin_page_get_message (page));
  g_assert_nonnull (strstr (message, "Try again in 30 seconds"));

  /* While it waits, even the right PIN does not open. */
  gtk_widget_set_sensitive (button, TRUE);
  try_pin (fixture, "Lena", STAFF_PIN);
  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_false (gtk_widget_get_sensitive (button));
  screenshot (GTK_WIDGET (fixture->window), "pin-page-wait");
}

static void
test_pin_unlock (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;

  try_pin (fixture, "Tom", "9999");
  g_assert_true (fl_back_office_get_locked (fixture->office));
  try_pin (fixture, "Lena", STAFF_PIN);
  g_assert_false (fl_back_office_get_locked (fixture->office));
  g_assert_cmpstr (fl_back_office_get_staff (fixture->office), ==, "Lena");

  /* The kiosk locks it when it goes back to the scan page. */
  fl_back_office_lock (fixture->office);
  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_null (fl_back_office_get_staff (fixture->office));

  /* And it locks itself when left idle. */
  unlock (fixture);
  fl_back_office_set_idle_timeout (fixture->office, 1);
  iterate_for (2500);
  g_assert_true (fl_back_office_get_locked (fixture->office));

  /* The wrong try is in the audit. */
  stmt = fl_store_prepare (fixture->store, "SELECT count (*) FROM audit WHERE action LIKE '%pin%'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), >=, 1);
  sqlite3_reset (stmt);
}

static void
test_first_run (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;
  FlPinPage *page = _fl_back_office_get_pin_page (fixture->office);
  GtkWidget *button = _fl_pin_page_get_unlock_button (page);
  GtkEditable *name_row, *pin_row, *repeat_row;

  g_assert_true (fl_pin_page_get_first_run (page));
  screenshot (GTK_WIDGET (fixture->window), "first-run");

  _fl_pin_page_get_first_run_entries (page, &name_row, &pin_row, &repeat_row);
  g_assert_nonnull (name_row);

  gtk_editable_set_text (GTK_EDITABLE (name_row), "Marie");
  gtk_editable_set_text (GTK_EDITABLE (pin_row), "1234");
  gtk_editable_set_text (GTK_EDITABLE (repeat_row), "4321");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (fl_back_office_get_locked (fixture->office));
  g_assert_nonnull (strstr (gtk_label_get_label (_fl_pin_page_get_message (page)), "differ"));

  gtk_editable_set_text (GTK_EDITABLE (pin_row), "12");
  gtk_editable_set_text (GTK_EDITABLE (repeat_row), "12");
  g_signal_emit_by_name (button, "clicked");
  g_assert_true (fl_back_office_get_locked (fixture->office));

  gtk_editable_set_text (GTK_EDITABLE (pin_row), "1234");
  gtk_editable_set_text (GTK_EDITABLE (repeat_row), "1234");
  g_signal_emit_by_name (button, "clicked");
  g_assert_false (fl_back_office_get_locked (fixture->office));
  names = fl_staff_list (fixture->store, &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "Marie", NULL }));
  g_assert_true (fl_staff_verify (fixture->store, "Marie", "1234", &error));
}

static guint
n_shown (FlLeadsPage *page)
{
  return g_list_model_get_n_items (G_LIST_MODEL (_fl_leads_page_get_list (page)));
}

static void
test_search_filter (Fixture *fixture, gconstpointer data)
{
  FlLeadsPage *page = _fl_back_office_get_leads_page (fixture->office);
  GtkEditable *search = _fl_leads_page_get_search_entry (page);
  GtkDropDown *status = _fl_leads_page_get_filter (page, "status");
  GtkDropDown *staff_filter = _fl_leads_page_get_filter (page, "staff");
  GtkDropDown *upload = _fl_leads_page_get_filter (page, "upload");
  GtkDropDown *day = _fl_leads_page_get_filter (page, "day");
  GListModel *staff_model = gtk_drop_down_get_model (staff_filter);
  FlLeadList *list = _fl_leads_page_get_list (page);
  g_autoptr(FlLead) first = NULL;
  guint total_by_day = 0;

  unlock (fixture);
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_leads);
  g_assert_cmpint (fl_lead_list_get_db_time (list), <, 500 * 1000);

  /* "muller" finds "Müller", as the search waits for a pause in typing. */
  gtk_editable_set_text (search, "muller");
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_leads);
  iterate_for (1000);
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_muller);
  gtk_editable_set_text (search, "");
  _fl_leads_page_flush_search (page);
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_leads);

  gtk_drop_down_set_selected (status, 2);  /* SAL */
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_sal);
  for (guint i = 0; i < g_list_model_get_n_items (staff_model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (staff_model, i);
      if (g_str_equal (gtk_string_object_get_string (item), "Lena"))
        gtk_drop_down_set_selected (staff_filter, i);
    }
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_lena_sal);
  gtk_drop_down_set_selected (status, 0);
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_lena);
  gtk_drop_down_set_selected (staff_filter, 0);

  /* No connector: nothing is waiting, everything is "not queued". */
  gtk_drop_down_set_selected (upload, 1);  /* Waiting */
  g_assert_cmpuint (n_shown (page), ==, 0);
  gtk_drop_down_set_selected (upload, 4);  /* Not queued */
  g_assert_cmpuint (n_shown (page), ==, fixture->expected.n_leads);
  gtk_drop_down_set_selected (upload, 0);

  /* The days split the leads without losing one. */
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (day)), ==, 4);
  for (guint i = 1; i < 4; i++)
    {
      gtk_drop_down_set_selected (day, i);
      g_assert_cmpuint (n_shown (page), >, 0);
      total_by_day += n_shown (page);
    }
  gtk_drop_down_set_selected (day, 0);
  g_assert_cmpuint (total_by_day, ==, fixture->expected.n_leads);

  /* A click on the score header puts the highest score first, a second
   * click the lowest. */
  _fl_leads_page_sort_by (page, 3, GTK_SORT_ASCENDING);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (fl_lead_get_score (first), ==, 99);
  g_clear_object (&first);
  _fl_leads_page_sort_by (page, 3, GTK_SORT_DESCENDING);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (fl_lead_get_score (first), ==, 0);
  g_clear_object (&first);
  _fl_leads_page_sort_by (page, 1, GTK_SORT_ASCENDING);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (fl_lead_get_field (first, FL_FIELD_FIRST_NAME), ==, "Anna");
  g_clear_object (&first);

  /* The lock forgets the search. */
  gtk_editable_set_text (search, "weiss");
  _fl_leads_page_flush_search (page);
  fl_back_office_lock (fixture->office);
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");
}

static FlLeadDetail *
select_first (Fixture *fixture)
{
  FlLeadsPage *page = _fl_back_office_get_leads_page (fixture->office);
  GtkColumnView *view = _fl_leads_page_get_column_view (page);

  gtk_selection_model_select_item (gtk_column_view_get_model (view), 0, TRUE);
  g_assert_nonnull (fl_lead_detail_get_lead (_fl_leads_page_get_detail (page)));
  return _fl_leads_page_get_detail (page);
}

static void
test_override (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) stored = NULL;
  g_autofree char *uuid = NULL;
  FlLeadDetail *detail;
  AdwMessageDialog *dialog;
  GtkEditable *reason;
  sqlite3_stmt *stmt;

  unlock (fixture);
  screenshot (GTK_WIDGET (fixture->window), "leads-page");
  detail = select_first (fixture);
  uuid = g_strdup (fl_lead_get_uuid (fl_lead_detail_get_lead (detail)));
  screenshot (GTK_WIDGET (fixture->window), "lead-detail");

  dialog = _fl_lead_detail_open_override (detail);
  g_assert_nonnull (dialog);
  /* No reason, no override. */
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "override"));
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (dialog), "status"), 2);
  reason = g_object_get_data (G_OBJECT (dialog), "reason");
  gtk_editable_set_text (reason, "Student, no budget");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "override"));
  screenshot (GTK_WIDGET (dialog), "override-dialog");
  adw_message_dialog_response (dialog, "override");
  gtk_window_destroy (GTK_WINDOW (dialog));

  stored = fl_store_get_lead (fixture->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_DISQUALIFIED);
  g_assert_cmpstr (fl_lead_get_override_status (stored), ==, "DISQUALIFIED");
  g_assert_cmpstr (fl_lead_get_override_by (stored), ==, "Lena");
  g_assert_cmpstr (fl_lead_get_override_reason (stored), ==, "Student, no budget");

  stmt = fl_store_prepare (fixture->store,
                           "SELECT actor, detail FROM audit WHERE lead_uuid = ? AND action = 'status-override'",
                           &error);
  g_assert_no_error (error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Lena");
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 1), "Student, no budget"));
  sqlite3_reset (stmt);

  /* A bare override without a reason is refused. */
  g_assert_false (fl_lead_detail_override_status (detail, "SAL", "  ", &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Cleared from its row: the model decides again, and the audit says who. */
  g_assert_nonnull (_fl_lead_detail_get_clear_override (detail));
  g_assert_true (gtk_widget_get_mapped (_fl_lead_detail_get_clear_override (detail)));
  g_signal_emit_by_name (_fl_lead_detail_get_clear_override (detail), "clicked");
  g_assert_null (_fl_lead_detail_get_clear_override (detail));
  g_clear_object (&stored);
  stored = fl_store_get_lead (fixture->store, uuid, &error);
  g_assert_no_error (error);
  g_assert_null (fl_lead_get_override_status (stored));
  /* No model in this event, no status in the breakdown: a lead never
   * scored is MQL. */
  g_assert_cmpint (fl_lead_get_status (stored), ==, FL_STATUS_MQL);
  stmt = fl_store_prepare (fixture->store,
                           "SELECT actor, detail FROM audit WHERE lead_uuid = ? AND action = 'status-override' "
                           "ORDER BY id DESC LIMIT 1",
                           &error);
  sqlite3_bind_text (stmt, 1, uuid, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "Lena");
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 1), "cleared"));
  sqlite3_reset (stmt);
}

static void
test_edit_and_discard (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlLead) stored = NULL;
  g_autofree char *uuid = NULL;
  FlLeadDetail *detail;
  gint64 queued = -1;
  guint before;
  FlLeadsPage *page = _fl_back_office_get_leads_page (fixture->office);

  unlock (fixture);
  detail = select_first (fixture);
  uuid = g_strdup (fl_lead_get_uuid (fl_lead_detail_get_lead (detail)));

  /* No connector yet: nothing to queue, said so. */
  g_assert_true (fl_lead_detail_send_again (detail, &queued, &error));
  g_assert_no_error (error);
  g_assert_cmpint (queued, ==, 0);
  g_assert_true (fl_store_exec (fixture->store, "INSERT INTO connectors (name, type, url, created_at) "
                                "VALUES ('crm', 'webhook', 'https://crm.example/hook', 'x')", &error));
  g_assert_true (fl_lead_detail_send_again (detail, &queued, &error));
  g_assert_cmpint (queued, ==, 1);

  /* The visitor withdraws consent: the waiting row goes, and Send Again
   * is refused with a reason instead of queueing the lead. */
  {
    g_autoptr(FlLead) withdrawn = fl_store_get_lead (fixture->store, uuid, &error);
    /* Withdrawn a minute after the consent given at capture: the latest
     * entry by time rules (schema 9). Not "now": make_leads() captures
     * today between 9:00 and 18:00, which can be later than now. */
    g_autoptr(GDateTime) captured = g_date_time_new_from_iso8601 (fl_lead_get_created_at (withdrawn), NULL);
    g_autoptr(GDateTime) later = g_date_time_add_minutes (captured, 1);
    g_autofree char *at = g_date_time_format (later, "%Y-%m-%dT%H:%M:%S.000Z");
    g_autofree char *text = g_strdup_printf ("{\"version\":\"2026-1\",\"given\":false,"
                                             "\"at\":\"%s\"}", at);
    g_autoptr(JsonNode) consent = json_from_string (text, NULL);

    g_assert_no_error (error);
    fl_lead_set_consent (withdrawn, consent);
    g_assert_true (fl_store_save_lead (fixture->store, withdrawn, "Lena", &error));
    g_assert_no_error (error);
  }
  fl_lead_detail_reload (detail);
  queued = -1;
  g_assert_false (fl_lead_detail_send_again (detail, &queued, &error));
  g_assert_error (error, FL_SYNC_ERROR, FL_SYNC_ERROR_CONSENT);
  g_clear_error (&error);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM outbox WHERE state = 'pending'"), ==, 0);

  before = n_shown (page);
  g_assert_true (fl_lead_detail_discard (detail, &error));
  g_assert_no_error (error);
  g_assert_null (fl_lead_detail_get_lead (detail));
  g_assert_cmpuint (n_shown (page), ==, before - 1);
  stored = fl_store_get_lead (fixture->store, uuid, &error);
  g_assert_null (stored);
  g_clear_error (&error);
}

/* An action row of @widget's tree whose title contains @text. */
static AdwActionRow *
find_row (GtkWidget *widget, const char *text)
{
  if (ADW_IS_ACTION_ROW (widget) &&
      strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), text) != NULL)
    return ADW_ACTION_ROW (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwActionRow *row = find_row (child, text);

      if (row != NULL)
        return row;
    }
  return NULL;
}

/* The lead detail shows every request that carried the lead: "did it
 * reach Salesforce?" without a log file. */
static void
test_sync_log (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  FlLeadDetail *detail;
  AdwActionRow *row;

  unlock (fixture);
  detail = select_first (fixture);
  g_assert_null (find_row (GTK_WIDGET (detail), "delivered as"));
  sql = g_strdup_printf (
    "INSERT INTO sync_log (lead_id, connector, at, http_status, result, remote_id, message) VALUES "
    "((SELECT id FROM leads WHERE uuid = '%s'), 'sf', '2026-06-25T10:00:00.000Z', 403, 'retry', NULL,"
    "  'Salesforce’s API request limit for the org is reached'),"
    "((SELECT id FROM leads WHERE uuid = '%s'), 'sf', '2026-06-25T11:00:00.000Z', 200, 'delivered',"
    "  '00Q000000000042', NULL)",
    fl_lead_get_uuid (fl_lead_detail_get_lead (detail)), fl_lead_get_uuid (fl_lead_detail_get_lead (detail)));
  g_assert_true (fl_store_exec (fixture->store, sql, &error));
  g_assert_no_error (error);
  fl_lead_detail_reload (detail);
  row = find_row (GTK_WIDGET (detail), "sf (HTTP 200): delivered as 00Q000000000042");
  g_assert_nonnull (row);
  g_assert_nonnull (find_row (GTK_WIDGET (detail), "sf (HTTP 403): to be sent again (Salesforce’s API request limit"));
}

/* Another lead updates the sections of the detail in place: the same
 * widgets show the new lead, and an edit of the old one is dropped. */
static void
test_sections_in_place (Fixture *fixture, gconstpointer data)
{
  static const char *names[] = { "contact_section", "answers_section", "score_section", "interactions_section",
                                 "consent_section", "uploads_section", "history_section" };
  FlLeadsPage *page = _fl_back_office_get_leads_page (fixture->office);
  GtkColumnView *view = _fl_leads_page_get_column_view (page);
  GObject *sections[G_N_ELEMENTS (names)];
  g_autofree char *first_uuid = NULL;
  FlLeadDetail *detail;
  FlLead *lead;
  GtkWidget *save, *lead_page;
  GtkStack *stack;
  AdwEntryRow *row;

  unlock (fixture);
  detail = select_first (fixture);
  lead = fl_lead_detail_get_lead (detail);
  first_uuid = g_strdup (fl_lead_get_uuid (lead));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      sections[i] = gtk_widget_get_template_child (GTK_WIDGET (detail), FL_TYPE_LEAD_DETAIL, names[i]);
      g_assert_true (FL_IS_LEAD_SECTION (sections[i]));
      g_assert_true (fl_lead_section_get_lead (FL_LEAD_SECTION (sections[i])) == lead);
    }
  stack = GTK_STACK (gtk_widget_get_template_child (GTK_WIDGET (detail), FL_TYPE_LEAD_DETAIL, "stack"));
  lead_page = gtk_stack_get_child_by_name (stack, "lead");
  save = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (detail), FL_TYPE_LEAD_DETAIL, "save_button"));
  row = fl_lead_contact_section_get_row (FL_LEAD_CONTACT_SECTION (sections[0]), FL_FIELD_FIRST_NAME);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, fl_lead_get_field (lead, FL_FIELD_FIRST_NAME));
  g_assert_false (gtk_widget_get_sensitive (save));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);

  /* An edit enables Save... */
  gtk_editable_set_text (GTK_EDITABLE (row), "Edited");
  g_assert_true (gtk_widget_get_sensitive (save));

  /* ...and selecting another lead drops it, in the same widgets. */
  gtk_selection_model_select_item (gtk_column_view_get_model (view), 1, TRUE);
  lead = fl_lead_detail_get_lead (detail);
  g_assert_nonnull (lead);
  g_assert_cmpstr (fl_lead_get_uuid (lead), !=, first_uuid);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_assert_true (gtk_widget_get_template_child (GTK_WIDGET (detail), FL_TYPE_LEAD_DETAIL, names[i]) == sections[i]);
      g_assert_true (fl_lead_section_get_lead (FL_LEAD_SECTION (sections[i])) == lead);
      g_assert_true (gtk_widget_is_ancestor (GTK_WIDGET (sections[i]), lead_page));
    }
  g_assert_true (gtk_stack_get_child_by_name (stack, "lead") == lead_page);
  g_assert_nonnull (row);
  g_assert_true (row == fl_lead_contact_section_get_row (FL_LEAD_CONTACT_SECTION (sections[0]), FL_FIELD_FIRST_NAME));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, fl_lead_get_field (lead, FL_FIELD_FIRST_NAME));
  g_assert_false (gtk_widget_get_sensitive (save));
  g_object_remove_weak_pointer (G_OBJECT (row), (gpointer *) &row);

  /* No lead: the sections let go of it, and nothing can be done. */
  fl_lead_detail_set_lead (detail, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_assert_null (fl_lead_section_get_lead (FL_LEAD_SECTION (sections[i])));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (stack), ==, "empty");
}

static void
test_dashboard (Fixture *fixture, gconstpointer data)
{
  const Setup *setup = data;
  FlDashboard *dashboard = _fl_back_office_get_dashboard (fixture->office);
  g_autoptr(GError) error = NULL;
  int threshold = -1;

  if (setup->n_leads > 0)
    {
      /* A SAL queued two hours ago and still waiting. */
      g_assert_true (fl_store_exec (fixture->store,
                                    "INSERT INTO connectors (name, type, url, created_at) "
                                    "VALUES ('crm', 'webhook', 'https://crm.example/hook', 'x');"
                                    "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                                    "SELECT id, 'crm', 'pending', "
                                    "  strftime ('%Y-%m-%dT%H:%M:%S.000Z', 'now', '-2 hours') "
                                    "FROM leads JOIN lead_scores ON lead_id = id WHERE status = 'SAL' LIMIT 3;"
                                    "INSERT INTO outbox (lead_id, connector, state, queued_at, done_at) "
                                    "SELECT id, 'crm', 'done', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' "
                                    "FROM leads JOIN lead_scores ON lead_id = id WHERE status = 'MQL' LIMIT 100;",
                                    &error));
      g_assert_no_error (error);
    }
  if (setup->n_leads > 0)
    {
      /* The demo model marks its SAL threshold on the histogram. */
      g_autoptr(FlModel) model = fl_model_new_from_file (demo_model_path (), NULL, &error);

      g_assert_no_error (error);
      g_assert_true (fl_model_store_activate (fixture->store, model, "Lena", &error));
      threshold = fl_model_get_sal_threshold (model);
    }
  unlock (fixture);
  _fl_back_office_show_view (fixture->office, "dashboard");
  fl_dashboard_reload (dashboard);
  g_assert_cmpint (fl_dashboard_get_n_leads (dashboard), ==, setup->n_leads);
  g_assert_cmpint (fl_dashboard_get_sal_warning (dashboard), ==, setup->n_leads > 0);
  if (setup->n_leads > 0)
    g_assert_cmpstr (fl_dashboard_get_sal_text (dashboard), ==, "Oldest SAL waiting: 2 h 00 min");
  g_assert_cmpint (fl_dashboard_get_sal_threshold (dashboard), ==, threshold);
  screenshot (GTK_WIDGET (fixture->window), setup->n_leads > 0 ? "dashboard" : "dashboard-empty");
}

/* No connector: the SALs are not “not waiting”, they wait for a CRM
 * that is not there, and the dashboard says so. */
static void
test_dashboard_no_crm (Fixture *fixture, gconstpointer data)
{
  FlDashboard *dashboard = _fl_back_office_get_dashboard (fixture->office);
  g_autofree char *expected = g_strdup_printf ("%u SALs wait for a CRM — no CRM is connected",
                                               fixture->expected.n_sal);

  g_assert_cmpuint (fixture->expected.n_sal, >, 1);
  unlock (fixture);
  _fl_back_office_show_view (fixture->office, "dashboard");
  fl_dashboard_reload (dashboard);
  g_assert_cmpstr (fl_dashboard_get_sal_text (dashboard), ==, expected);
  g_assert_true (fl_dashboard_get_sal_warning (dashboard));
  g_assert_nonnull (strstr (fl_dashboard_get_warning_text (dashboard), "but no CRM is connected"));
  g_assert_nonnull (strstr (fl_dashboard_get_warning_text (dashboard), "Upload page"));
  screenshot (GTK_WIDGET (fixture->window), "dashboard-no-crm");
}

static void
test_preferences (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = NULL;
  g_autofree char *csv = g_build_filename (fixture->tmpdir, "roster.csv", NULL);
  FlPreferencesWindow *preferences;

  unlock (fixture);
  preferences = _fl_back_office_show_preferences (fixture->office);
  g_assert_nonnull (preferences);
  gtk_window_set_default_size (GTK_WINDOW (preferences), 800, 720);
  wait_until_mapped (GTK_WIDGET (preferences));
  screenshot (GTK_WIDGET (preferences), "settings-event");

  /* Saving the event checks dates and the handout link. */
  g_assert_true (fl_preferences_window_save_event (preferences, &error));
  g_assert_no_error (error);
  event = fl_store_get_active_event (fixture->store, &error);
  g_assert_cmpstr (event->name, ==, "Automatica 2026");

  g_file_set_contents (csv, "Badge;First Name;Last Name;Company;Shoe size\n"
                            "A-1;Jürgen;Weiß;Weiß Automation AG;44\n"
                            "A-2;Marie;Dubois;Robotique Lyonnaise SA;38\n"
                            ";Nobody;Withoutbadge;;\n", -1, &error);
  g_assert_no_error (error);
  g_assert_true (fl_preferences_window_preview_roster (preferences, csv, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count_attendees (fixture->store, NULL, NULL), ==, 0);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "roster");
  screenshot (GTK_WIDGET (preferences), "settings-roster-preview");
  g_assert_true (fl_preferences_window_import_roster (preferences, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count_attendees (fixture->store, NULL, NULL), ==, 2);
  screenshot (GTK_WIDGET (preferences), "settings-roster-report");

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "staff");
  screenshot (GTK_WIDGET (preferences), "settings-staff");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "connectors");
  screenshot (GTK_WIDGET (preferences), "settings-upload");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "kiosk");
  screenshot (GTK_WIDGET (preferences), "settings-kiosk");
  {
    /* The kiosk page shows the GSettings keys: idle time 90 s, key gap 35 ms. */
    g_autoptr(GPtrArray) queue = g_ptr_array_new ();
    g_autoptr(GString) values = g_string_new (NULL);

    g_ptr_array_add (queue, preferences);
    for (guint i = 0; i < queue->len; i++)
      {
        GtkWidget *widget = g_ptr_array_index (queue, i);

        if (GTK_IS_SPIN_BUTTON (widget))
          g_string_append_printf (values, "%d ", gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (widget)));
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (queue, child);
      }
    g_assert_cmpstr (values->str, ==, "90 35 ");
  }

  /* Locking closes the settings. */
  fl_back_office_lock (fixture->office);
  iterate_for (100);
  g_assert_null (_fl_back_office_show_preferences (fixture->office));
}

static void
test_event_errors (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlEvent) event = NULL;
  FlPreferencesWindow *preferences;

  unlock (fixture);
  preferences = _fl_back_office_show_preferences (fixture->office);

  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 1), "23.06.2026");
  g_assert_false (fl_preferences_window_save_event (preferences, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "YYYY-MM-DD"));
  g_clear_error (&error);

  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 1), "2026-06-24");
  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 2), "2026-06-23");
  g_assert_false (fl_preferences_window_save_event (preferences, &error));
  g_assert_nonnull (strstr (error->message, "ends before it starts"));
  g_clear_error (&error);

  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 2), "2026-06-27");
  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 5), "ftp://example.com/x");
  g_assert_false (fl_preferences_window_save_event (preferences, &error));
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 0), "");
  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 5), "https://fairlead.example/handout");
  g_assert_false (fl_preferences_window_save_event (preferences, &error));
  g_clear_error (&error);
  gtk_editable_set_text (_fl_preferences_window_get_event_entry (preferences, 0), "automatica 2026");
  g_assert_true (fl_preferences_window_save_event (preferences, &error));
  g_assert_no_error (error);

  event = fl_store_get_active_event (fixture->store, &error);
  g_assert_cmpstr (event->name, ==, "automatica 2026");
  g_assert_cmpstr (event->starts_on, ==, "2026-06-24");
  g_assert_cmpstr (event->ends_on, ==, "2026-06-27");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (event->settings), "handout_url"), ==,
                   "https://fairlead.example/handout");
}

static void
store_result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
test_model (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *bad = g_build_filename (fixture->tmpdir, "bad-model.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(FlModel) active = NULL;
  FlPreferencesWindow *preferences;
  FlLeadQuery sal = { .status = "SAL" };
  gint64 n_sal_before;

  unlock (fixture);
  preferences = _fl_back_office_show_preferences (fixture->office);
  gtk_window_set_default_size (GTK_WINDOW (preferences), 800, 720);
  wait_until_mapped (GTK_WIDGET (preferences));
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "scoring");

  /* A broken model is refused with the JSON path of each fault. */
  g_assert_true (g_file_get_contents (demo_model_path (), &text, NULL, &error));
  {
    g_autoptr(JsonNode) root = json_from_string (text, &error);
    JsonObject *object = json_node_get_object (root);
    g_autofree char *broken = NULL;

    g_assert_no_error (error);
    json_object_set_string_member (json_object_get_object_member (object, "thresholds"), "sal", "lots");
    broken = json_to_string (root, TRUE);
    g_assert_true (g_file_set_contents (bad, broken, -1, &error));
  }
  g_assert_false (fl_preferences_window_load_model (preferences, bad, &error));
  g_assert_error (error, FL_MODEL_ERROR, FL_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "thresholds.sal"));
  g_clear_error (&error);
  screenshot (GTK_WIDGET (preferences), "settings-model-faults");

  /* A good one shows the dry run and changes nothing until applied. */
  n_sal_before = fl_store_count_leads (fixture->store, &sal, &error);
  g_assert_true (fl_preferences_window_load_model (preferences, demo_model_path (), &error));
  g_assert_no_error (error);
  g_assert_cmpint (fl_store_count_leads (fixture->store, &sal, NULL), ==, n_sal_before);
  g_assert_null (fl_model_store_load_for_event (fixture->store, NULL, NULL));
  screenshot (GTK_WIDGET (preferences), "settings-model-dry-run");
  {
    /* The dry run's rows say "N leads SAL → MQL". */
    GtkWidget *found = NULL;
    GtkWidget *root = GTK_WIDGET (preferences);
    GPtrArray *queue = g_ptr_array_new ();

    g_ptr_array_add (queue, root);
    for (guint i = 0; i < queue->len && found == NULL; i++)
      {
        GtkWidget *widget = g_ptr_array_index (queue, i);

        if (ADW_IS_ACTION_ROW (widget) && gtk_widget_get_visible (widget) &&
            g_regex_match_simple ("^[0-9]+ leads? (MQL|SAL|DISQUALIFIED) → (MQL|SAL|DISQUALIFIED)$",
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), 0, 0))
          found = widget;
        for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
          g_ptr_array_add (queue, child);
      }
    g_ptr_array_unref (queue);
    g_assert_nonnull (found);
    g_test_message ("Dry run: %s", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (found)));
  }

  /* Applied on a worker thread: the window keeps drawing, says so, and
   * cannot be asked twice. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

    fl_preferences_window_apply_model_async (preferences, store_result_cb, &result);
    g_assert_false (gtk_widget_get_sensitive (_fl_preferences_window_get_apply_button (preferences)));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (_fl_preferences_window_get_apply_button (preferences))),
                     ==, "Re-scoring…");
    while (result == NULL && g_get_monotonic_time () < deadline)
      iterate_for (10);
    g_assert_nonnull (result);
    g_assert_cmpint (fl_preferences_window_apply_model_finish (preferences, result, &error), >, 0);
    g_assert_no_error (error);
    g_assert_false (gtk_widget_get_sensitive (_fl_preferences_window_get_apply_button (preferences)));
    g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (_fl_preferences_window_get_apply_button (preferences))),
                     ==, "_Apply");
  }
  active = fl_model_store_load_for_event (fixture->store, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (active);
  g_assert_cmpint (fl_store_count_leads (fixture->store, &sal, NULL), !=, n_sal_before);
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
wait_for_file (const char *path)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (!g_file_test (path, G_FILE_TEST_EXISTS) && g_get_monotonic_time () < deadline)
    iterate_for (20);
  iterate_for (100);
}

static void
test_export (Fixture *fixture, gconstpointer data)
{
  FlLeadsPage *page = _fl_back_office_get_leads_page (fixture->office);
  GtkColumnView *view = _fl_leads_page_get_column_view (page);
  g_autofree char *all = g_build_filename (fixture->tmpdir, "all.csv", NULL);
  g_autofree char *some = g_build_filename (fixture->tmpdir, "some.csv", NULL);
  GStatBuf info;

  unlock (fixture);
  /* Everything the filters show: the SAL leads, plus the header line. */
  gtk_drop_down_set_selected (_fl_leads_page_get_filter (page, "status"), 2);
  _fl_leads_page_export (page, all, FALSE);
  wait_for_file (all);
  g_assert_cmpuint (count_lines (all), ==, fixture->expected.n_sal + 1);
  g_assert_cmpint (g_stat (all, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  gtk_selection_model_select_range (gtk_column_view_get_model (view), 2, 3, TRUE);
  _fl_leads_page_export (page, some, TRUE);
  wait_for_file (some);
  g_assert_cmpuint (count_lines (some), ==, 3 + 1);

  /* Each exported lead is recorded as handed over, for retention. */
  {
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    gint64 expected = fixture->expected.n_sal + 3;

    while (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'exported'") < expected &&
           g_get_monotonic_time () < deadline)
      iterate_for (20);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'exported'"),
                     ==, expected);
  }
}

/* The first widget of @type in @widget's tree. */
static GtkWidget *
find_widget (GtkWidget *widget, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A row of the connector dialog's template, by its id. */
static gpointer
dialog_child (AdwMessageDialog *dialog, const char *name)
{
  g_assert_true (FL_IS_CONNECTOR_DIALOG (dialog));
  return gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, name);
}

static void
test_upload_now (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) sql = g_string_new (NULL);
  Server *server = server_new (NULL);
  FlPreferencesWindow *preferences;
  gint64 deadline;
  sqlite3_stmt *stmt;
  int done = 0;

  /* A webhook on a real HTTP server in this process. */
  g_string_printf (sql, "INSERT INTO connectors (name, type, url, created_at) "
                        "VALUES ('hook', 'webhook', '%s/hook', 'x');"
                        "INSERT INTO outbox (lead_id, connector, state, queued_at) "
                        "SELECT id, 'hook', 'pending', '2026-01-01T00:00:00.000Z' FROM leads;",
                   server->http.url);
  g_assert_true (fl_store_exec (fixture->store, sql->str, &error));
  g_assert_no_error (error);

  unlock (fixture);
  preferences = _fl_back_office_show_preferences (fixture->office);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "connectors");
  fl_preferences_window_upload_now (preferences);
  deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  while (server_n_stored (server) < fixture->expected.n_leads && g_get_monotonic_time () < deadline)
    iterate_for (50);
  iterate_for (300);
  g_assert_cmpuint (server_n_stored (server), ==, fixture->expected.n_leads);

  stmt = fl_store_prepare (fixture->store, "SELECT count (*) FROM outbox WHERE state = 'done'", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  done = sqlite3_column_int (stmt, 0);
  sqlite3_reset (stmt);
  g_assert_cmpint (done, ==, fixture->expected.n_leads);
  screenshot (GTK_WIDGET (preferences), "settings-upload-done");
  /* The bar ends full and says so, whether or not it showed “n of m” on
   * the way. */
  {
    GtkWidget *bar = find_widget (GTK_WIDGET (preferences), GTK_TYPE_PROGRESS_BAR);

    g_assert_nonnull (bar);
    g_assert_cmpfloat (gtk_progress_bar_get_fraction (GTK_PROGRESS_BAR (bar)), ==, 1.0);
    /* GTK writes "100 %" with a hair space. */
    g_assert_true (g_str_has_prefix (gtk_label_get_label (GTK_LABEL (find_widget (bar, GTK_TYPE_LABEL))), "100"));
  }

  /* The Edit dialog passes the core's gate: no plain http to another
   * computer, whatever the dialog's fields say. */
  {
    AdwMessageDialog *dialog = _fl_preferences_window_edit_connector (preferences, "hook");

    g_assert_nonnull (dialog);
    gtk_editable_set_text (dialog_child (dialog, "url_row"), "http://192.0.2.2:8080/hook");
    adw_message_dialog_response (dialog, "save");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors WHERE url LIKE 'http://192.%'"), ==, 0);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'connector-changed'"), ==, 0);

    dialog = _fl_preferences_window_edit_connector (preferences, "hook");
    gtk_editable_set_text (dialog_child (dialog, "url_row"), "https://192.0.2.2:8443/hook");
    adw_message_dialog_response (dialog, "save");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors WHERE url = 'https://192.0.2.2:8443/hook'"), ==, 1);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'connector-changed'"), ==, 1);
  }

  /* Removed after a question: its queue goes, the leads and the audit stay. */
  {
    AdwMessageDialog *dialog = _fl_preferences_window_ask_remove_connector (preferences, "hook");

    adw_message_dialog_response (dialog, "cancel");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors"), ==, 1);
    dialog = _fl_preferences_window_ask_remove_connector (preferences, "hook");
    adw_message_dialog_response (dialog, "remove");
    gtk_window_destroy (GTK_WINDOW (dialog));
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors"), ==, 0);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM outbox"), ==, 0);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM leads"), ==, fixture->expected.n_leads);
    g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM audit WHERE action = 'connector-removed' "
                                                  "AND detail = 'hook' AND actor = 'Lena'"), ==, 1);
  }
  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate_for (100);
  server_free (server);
}

static void
select_type (AdwMessageDialog *dialog, const char *name)
{
  AdwComboRow *row = dialog_child (dialog, "type_row");
  GListModel *model = adw_combo_row_get_model (row);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(GtkStringObject) item = g_list_model_get_item (model, i);
      if (g_str_equal (gtk_string_object_get_string (item), name))
        adw_combo_row_set_selected (row, i);
    }
}

/* An option's row in the connector dialog: named by its key. */
static gpointer
option_row (AdwMessageDialog *dialog, const char *key)
{
  GtkWidget *list = dialog_child (dialog, "options_list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), key) == 0)
      return row;
  return NULL;
}

/* The connector dialog offers the CRMs and a field for each option the
 * chosen one reads (issue 18): not a line of key=value text. */
static void
test_connector_types (Fixture *fixture, gconstpointer data)
{
  FlPreferencesWindow *preferences;
  AdwMessageDialog *dialog;

  unlock (fixture);
  preferences = _fl_back_office_show_preferences (fixture->office);
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "connectors");

  dialog = _fl_preferences_window_add_connector (preferences);
  g_assert_null (gtk_widget_get_template_child (GTK_WIDGET (dialog), FL_TYPE_CONNECTOR_DIALOG, "options_row"));
  select_type (dialog, "Dynamics 365");
  g_assert_nonnull (option_row (dialog, "tenant"));
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "client_id")), ==, "");
  g_assert_cmpstr (adw_preferences_row_get_title (option_row (dialog, "tenant")), ==,
                   "Directory (Tenant) ID (required)");
  g_assert_cmpstr (adw_preferences_row_get_title (dialog_child (dialog, "secret_row")),
                   ==, "Client Secret of the App Registration");
  /* What was typed for a key stays when the type changes. */
  gtk_editable_set_text (option_row (dialog, "client_id"), "1000.XYZ");
  select_type (dialog, "Zoho CRM");
  g_assert_null (option_row (dialog, "tenant"));
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "client_id")), ==, "1000.XYZ");
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "data_centre")), ==, "eu");
  /* Without the client id it is not saved: the dialog stays, says why and
   * marks the field. */
  gtk_editable_set_text (option_row (dialog, "client_id"), "");
  gtk_editable_set_text (dialog_child (dialog, "name_row"), "zoho");
  adw_message_dialog_response (dialog, "save");
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors"), ==, 0);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (dialog)));
  g_assert_true (gtk_widget_get_visible (dialog_child (dialog, "error_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (dialog_child (dialog, "error_label")), "Client ID"));
  g_assert_true (gtk_widget_has_css_class (option_row (dialog, "client_id"), "error"));
  g_assert_cmpstr (gtk_editable_get_text (dialog_child (dialog, "name_row")), ==, "zoho");
  /* A number field takes numbers only. */
  gtk_editable_set_text (option_row (dialog, "client_id"), "1000.ABC");
  gtk_editable_set_text (option_row (dialog, "timeout"), "soon");
  adw_message_dialog_response (dialog, "save");
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors"), ==, 0);
  g_assert_true (gtk_widget_has_css_class (option_row (dialog, "timeout"), "error"));
  g_assert_false (gtk_widget_has_css_class (option_row (dialog, "client_id"), "error"));
  gtk_editable_set_text (option_row (dialog, "timeout"), "20");
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors "
                                                      "WHERE name = 'zoho' AND type = 'zoho' "
                                                      "AND json_extract (options, '$.client_id') = '1000.ABC' "
                                                      "AND json_extract (options, '$.data_centre') = 'eu' "
                                                      "AND json_extract (options, '$.timeout') = '20'"), ==, 1);

  /* Edited: the stored values fill the fields; an emptied one goes. */
  dialog = _fl_preferences_window_edit_connector (preferences, "zoho");
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "client_id")), ==, "1000.ABC");
  gtk_editable_set_text (option_row (dialog, "timeout"), "");
  adw_message_dialog_response (dialog, "save");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM connectors WHERE name = 'zoho' "
                                                      "AND json_extract (options, '$.timeout') IS NULL "
                                                      "AND json_extract (options, '$.client_id') = '1000.ABC'"),
                   ==, 1);

  dialog = _fl_preferences_window_add_connector (preferences);
  select_type (dialog, "Pipedrive");
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "label_mql")), ==, "Warm");
  g_assert_cmpstr (gtk_editable_get_text (option_row (dialog, "label_disqualified")), ==, "Cold");
  gtk_widget_set_size_request (GTK_WIDGET (dialog), 600, -1);
  wait_until_mapped (GTK_WIDGET (dialog));
  screenshot (GTK_WIDGET (dialog), "settings-connector-pipedrive");
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (preferences));
  iterate_for (100);
}

static void
test_no_display (void)
{
  g_test_skip ("No display: run the GUI tests under xvfb-run -a");
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_test_init (&argc, &argv, NULL);
      g_test_add_func ("/gui/back-office/no-display", test_no_display);
      return g_test_run ();
    }

  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fl_gui_test_park_pointer ();
  adw_init ();
  /* Screenshots show pages, not the crossfade between two of them. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  {
    /* AdwApplication loads the kiosk's style sheet; a plain window does not. */
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, "/io/github/fairlead/Fairlead/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

#define ADD(path, setup, func) g_test_add (path, Fixture, setup, fixture_set_up, func, fixture_tear_down)
  ADD ("/gui/back-office/pin/lock", &setup_empty, test_pin_lock);
  ADD ("/gui/back-office/pin/unlock", &setup_empty, test_pin_unlock);
  ADD ("/gui/back-office/pin/first-run", &setup_first_run, test_first_run);
  ADD ("/gui/back-office/leads/search-filter", &setup_large, test_search_filter);
  ADD ("/gui/back-office/leads/override", &setup_small, test_override);
  ADD ("/gui/back-office/leads/edit-discard", &setup_small, test_edit_and_discard);
  ADD ("/gui/back-office/leads/sync-log", &setup_small, test_sync_log);
  ADD ("/gui/back-office/leads/sections-in-place", &setup_small, test_sections_in_place);
  ADD ("/gui/back-office/dashboard/data", &setup_small, test_dashboard);
  ADD ("/gui/back-office/dashboard/empty", &setup_empty, test_dashboard);
  ADD ("/gui/back-office/dashboard/no-crm", &setup_small, test_dashboard_no_crm);
  ADD ("/gui/back-office/preferences", &setup_small, test_preferences);
  ADD ("/gui/back-office/preferences/event", &setup_small, test_event_errors);
  ADD ("/gui/back-office/preferences/model", &setup_small, test_model);
  ADD ("/gui/back-office/leads/export", &setup_small, test_export);
  ADD ("/gui/back-office/preferences/upload-now", &setup_small, test_upload_now);
  ADD ("/gui/back-office/preferences/connector-types", &setup_small, test_connector_types);
#undef ADD

  return g_test_run ();
}
