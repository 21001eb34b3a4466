/* test-card-photo.c: the card photo kept with its lead, and gone with it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include "store/fl-card-photo.h"
#include "store/fl-privacy.h"
#include "fl-test.h"

#define MARKER "FAIRLEAD-CARD-PHOTO-MARKER-7f3a"

typedef FlTestFixture Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlEvent) event = fl_event_new ();

  event->name = g_strdup ("Card Fair");
  fl_test_fixture_open (fixture, "kiosk.db", event);
}

static FlLead *
save_lead (Fixture *fixture, const char *last, const char *email)
{
  g_autoptr(GError) error = NULL;
  FlLead *lead = fl_lead_new ();

  fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, "Jürgen");
  fl_lead_set_field (lead, FL_FIELD_LAST_NAME, last);
  fl_lead_set_field (lead, FL_FIELD_EMAIL, email);
  fl_lead_set_source (lead, FL_SOURCE_CARD_OCR);
  fl_lead_set_event (lead, fixture->event->uuid);
  g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
  g_assert_no_error (error);
  return lead;
}

/* A card-like picture: white with dark bars, the size a camera takes. */
static GdkPixbuf *
make_photo (int width, int height)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, TRUE, 8, width, height);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      {
        guint8 *p = pixels + y * stride + x * 4;
        gboolean ink = (y / 40) % 3 == 1 && x > width / 10 && x < width * 7 / 10;

        p[0] = p[1] = p[2] = ink ? 30 : 245;
        p[3] = 255;
      }
  return pixbuf;
}

static GdkPixbuf *
decode (GBytes *jpeg)
{
  g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (gdk_pixbuf_loader_write_bytes (loader, jpeg, &error));
  g_assert_true (gdk_pixbuf_loader_close (loader, &error));
  g_assert_no_error (error);
  return g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
}

/* The JPEG with a comment segment (FF FE) right after its start marker:
 * still a valid picture, and a string to look for in the database file. */
static GBytes *
jpeg_with_marker (GBytes *jpeg)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (jpeg, &size);
  GByteArray *out = g_byte_array_new ();
  guint16 length = strlen (MARKER) + 2;
  guint8 header[] = { 0xff, 0xfe, length >> 8, length & 0xff };

  g_assert_cmpuint (size, >, 2);
  g_assert_cmphex (data[0], ==, 0xff);
  g_assert_cmphex (data[1], ==, 0xd8);
  g_byte_array_append (out, data, 2);
  g_byte_array_append (out, header, sizeof header);
  g_byte_array_append (out, (const guint8 *) MARKER, strlen (MARKER));
  g_byte_array_append (out, data + 2, size - 2);
  return g_byte_array_free_to_bytes (out);
}

static gboolean
file_contains (const char *path, const char *needle)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return FALSE;
  return memmem (contents, length, needle, strlen (needle)) != NULL;
}

static void
test_encode (void)
{
  static const struct { int width, height, want_width, want_height; } cases[] = {
    { 1920, 1080, 1024, 576 },   /* a camera still, scaled down */
    { 1080, 1920, 576, 1024 },   /* portrait */
    { 640, 360, 640, 360 },      /* small: kept as it is */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GdkPixbuf) photo = make_photo (cases[i].width, cases[i].height);
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) jpeg = fl_card_photo_encode_jpeg (photo, FL_CARD_PHOTO_MAX_SIDE,
                                                          FL_CARD_PHOTO_QUALITY, &error);
      g_autoptr(GdkPixbuf) back = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (jpeg);
      back = decode (jpeg);
      g_assert_cmpint (gdk_pixbuf_get_width (back), ==, cases[i].want_width);
      g_assert_cmpint (gdk_pixbuf_get_height (back), ==, cases[i].want_height);
      g_assert_false (gdk_pixbuf_get_has_alpha (back));
      /* Downscaled and compressed: far below the raw pixels. */
      g_assert_cmpuint (g_bytes_get_size (jpeg), <,
                        (gsize) cases[i].want_width * cases[i].want_height / 4);
      g_test_message ("%dx%d -> %zu bytes", cases[i].width, cases[i].height,
                      g_bytes_get_size (jpeg));
    }
}

static void
test_allowed (void)
{
  g_autoptr(FlEvent) event = fl_event_new ();
  JsonObject *settings = json_node_get_object (event->settings);

  g_assert_true (fl_card_photo_allowed (NULL));
  g_assert_true (fl_card_photo_allowed (event));
  json_object_set_boolean_member (settings, FL_SETTING_KEEP_CARD_PHOTOS, FALSE);
  g_assert_false (fl_card_photo_allowed (event));
  json_object_set_boolean_member (settings, FL_SETTING_KEEP_CARD_PHOTOS, TRUE);
  g_assert_true (fl_card_photo_allowed (event));
  /* A setting of the wrong type keeps the default. */
  json_object_set_string_member (settings, FL_SETTING_KEEP_CARD_PHOTOS, "no");
  g_assert_true (fl_card_photo_allowed (event));
}

static void
test_save_load (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Müller", "j.mueller@example.com");
  g_autoptr(GdkPixbuf) photo = make_photo (1280, 720);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = fl_card_photo_encode_jpeg (photo, 1024, 80, &error);
  g_autoptr(GBytes) second = fl_card_photo_encode_jpeg (photo, 512, 60, &error);
  g_autoptr(GBytes) loaded = NULL;
  g_autofree char *taken_at = NULL;

  g_assert_no_error (error);
  loaded = fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), &taken_at, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);
  g_assert_null (taken_at);

  g_assert_true (fl_card_photo_save (fixture->store, fl_lead_get_uuid (lead), jpeg,
                                     "2026-03-02T10:00:00.000Z", &error));
  g_assert_no_error (error);
  loaded = fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), &taken_at, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (loaded, jpeg));
  g_assert_cmpstr (taken_at, ==, "2026-03-02T10:00:00.000Z");

  /* A second card of the same visitor replaces the first photo. */
  g_assert_true (fl_card_photo_save (fixture->store, fl_lead_get_uuid (lead), second, NULL, &error));
  g_clear_pointer (&loaded, g_bytes_unref);
  g_clear_pointer (&taken_at, g_free);
  loaded = fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), &taken_at, &error);
  g_assert_true (g_bytes_equal (loaded, second));
  g_assert_nonnull (taken_at);
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM card_photos"), ==, 1);

  /* Saving the lead again (every edit on the lead page) keeps the photo. */
  fl_lead_set_field (lead, FL_FIELD_COMPANY, "Hafen Logistik GmbH");
  g_assert_true (fl_store_save_lead (fixture->store, lead, "Tom", &error));
  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM card_photos"), ==, 1);

  g_assert_false (fl_card_photo_save (fixture->store, "no-such-lead", jpeg, NULL, &error));
  g_assert_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND);
}

static void
test_export_and_erase (Fixture *fixture, gconstpointer data)
{
  g_autoptr(FlLead) lead = save_lead (fixture, "Zwirbelmeier", "q.zwirbelmeier@quokka.example");
  g_autoptr(FlLead) kept = save_lead (fixture, "Lovelace", "ada@analytical.example");
  g_autoptr(GdkPixbuf) photo = make_photo (1600, 900);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) plain = fl_card_photo_encode_jpeg (photo, 1024, 80, &error);
  g_autoptr(GBytes) jpeg = jpeg_with_marker (plain);
  g_autoptr(GBytes) kept_jpeg = fl_card_photo_encode_jpeg (photo, 256, 50, &error);
  g_autoptr(GdkPixbuf) still_valid = decode (jpeg);
  g_autoptr(GPtrArray) uuids = g_ptr_array_new ();
  g_autoptr(JsonNode) export = NULL;
  g_autofree char *export_text = NULL;
  g_autofree char *wal = g_strconcat (fixture->db_path, "-wal", NULL);
  JsonObject *first, *card;

  g_assert_cmpint (gdk_pixbuf_get_width (still_valid), ==, 1024);
  g_assert_true (fl_card_photo_save (fixture->store, fl_lead_get_uuid (lead), jpeg,
                                     "2026-03-02T10:00:00.000Z", &error));
  g_assert_true (fl_card_photo_save (fixture->store, fl_lead_get_uuid (kept), kept_jpeg, NULL,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (file_contains (fixture->db_path, MARKER) || file_contains (wal, MARKER));

  /* The export names the photo, never its bytes. */
  g_ptr_array_add (uuids, (gpointer) fl_lead_get_uuid (lead));
  export = fl_privacy_export_person (fixture->store, uuids, &error);
  g_assert_no_error (error);
  first = json_array_get_object_element (json_object_get_array_member (json_node_get_object (export),
                                                                       "leads"), 0);
  card = json_object_get_object_member (first, "card_photo");
  g_assert_nonnull (card);
  g_assert_true (json_object_get_boolean_member (card, "kept"));
  g_assert_cmpstr (json_object_get_string_member (card, "taken_at"), ==, "2026-03-02T10:00:00.000Z");
  g_assert_cmpint (json_object_get_int_member (card, "size_bytes"), ==, g_bytes_get_size (jpeg));
  export_text = json_to_string (export, FALSE);
  g_assert_null (strstr (export_text, MARKER));

  g_assert_true (fl_privacy_erase_lead (fixture->store, fl_lead_get_uuid (lead), "Marketing", &error));
  g_assert_no_error (error);
  g_assert_true (fl_privacy_scrub_files (fixture->store, &error));
  g_assert_no_error (error);

  g_assert_cmpint (fl_test_query_int (fixture->store, "SELECT count(*) FROM card_photos"), ==, 1);
  g_assert_false (file_contains (fixture->db_path, MARKER));
  g_assert_false (file_contains (wal, MARKER));
  g_assert_null (fl_card_photo_load (fixture->store, fl_lead_get_uuid (lead), NULL, &error));
  g_assert_no_error (error);
  /* The other visitor's photo is untouched. */
  {
    g_autoptr(GBytes) other = fl_card_photo_load (fixture->store, fl_lead_get_uuid (kept), NULL, &error);
    g_assert_true (g_bytes_equal (other, kept_jpeg));
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/card-photo/encode", test_encode);
  g_test_add_func ("/card-photo/allowed", test_allowed);
  g_test_add ("/card-photo/save-load", Fixture, NULL, fixture_set_up, test_save_load,
              fl_test_fixture_teardown);
  g_test_add ("/card-photo/export-and-erase", Fixture, NULL, fixture_set_up,
              test_export_and_erase, fl_test_fixture_teardown);
  return g_test_run ();
}
