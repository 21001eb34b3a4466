/* test-camera.c: FlCamera on the real GStreamer pipeline, fed from files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <string.h>

#include "scan/fl-camera.h"
#include "scan/fl-camera-device.h"
#include "scan/fl-qr.h"

#define PAYLOAD "BEGIN:VCARD\nVERSION:3.0\nN:Größer;Jürgen\nORG:Müller & Söhne\nEND:VCARD"

typedef struct
{
  char      *dir;
  FlCamera  *camera;
  GPtrArray *codes;        /* of char*, payloads in order */
  guint      n_previews;
  FlFrame   *last_preview;
  GArray    *states;       /* of FlCameraState, each change */
} Fixture;

static void
code_detected_cb (FlCamera *camera, FlSymbol *symbol, Fixture *fixture)
{
  /* Signals come in the main context, on this thread. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (fixture->codes, g_strdup (symbol->data));
}

static void
preview_cb (FlCamera *camera, FlFrame *frame, Fixture *fixture)
{
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  fixture->n_previews++;
  g_clear_pointer (&fixture->last_preview, fl_frame_free);
  fixture->last_preview = fl_frame_copy (frame);
}

static void
state_cb (FlCamera *camera, GParamSpec *pspec, Fixture *fixture)
{
  FlCameraState state = fl_camera_get_state (camera);

  g_test_message ("state %d: %s", state, fl_camera_get_message (camera));
  g_array_append_val (fixture->states, state);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("fairlead-camera-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->codes = g_ptr_array_new_with_free_func (g_free);
  fixture->states = g_array_new (FALSE, FALSE, sizeof (FlCameraState));
}

static void
use_camera (Fixture *fixture, const char *source)
{
  fixture->camera = fl_camera_new (source);
  g_signal_connect (fixture->camera, "code-detected", G_CALLBACK (code_detected_cb), fixture);
  g_signal_connect (fixture->camera, "preview", G_CALLBACK (preview_cb), fixture);
  g_signal_connect (fixture->camera, "notify::state", G_CALLBACK (state_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
  const char *name;

  if (fixture->camera != NULL)
    g_assert_finalize_object (fixture->camera);
  /* Idle callbacks left behind by the camera must find it gone, quietly. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
      g_assert_cmpint (g_remove (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (fixture->dir), ==, 0);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->codes);
  g_array_unref (fixture->states);
  g_clear_pointer (&fixture->last_preview, fl_frame_free);
}

typedef gboolean (*Condition) (Fixture *fixture);

/* Runs the main context until @condition holds or @timeout_ms passes. */
static gboolean
run_until (Fixture *fixture, Condition condition, guint timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (condition == NULL || !condition (fixture))
    {
      if (g_get_monotonic_time () >= end)
        return condition == NULL;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  return TRUE;
}

static gboolean
has_code (Fixture *fixture)
{
  return fixture->codes->len > 0;
}

static gboolean
has_previews (Fixture *fixture)
{
  return fixture->n_previews >= 3;
}

static gboolean
is_running (Fixture *fixture)
{
  return fl_camera_get_state (fixture->camera) == FL_CAMERA_STATE_RUNNING;
}

static gboolean
is_settled (Fixture *fixture)
{
  FlCameraState state = fl_camera_get_state (fixture->camera);

  return state != FL_CAMERA_STATE_STARTING && state != FL_CAMERA_STATE_RUNNING;
}

static guint
count_state (Fixture *fixture, FlCameraState state)
{
  guint n = 0;

  for (guint i = 0; i < fixture->states->len; i++)
    n += g_array_index (fixture->states, FlCameraState, i) == state;
  return n;
}

/* Writes @text as a QR code centred on a white @width × @height image. */
static char *
write_image (Fixture *fixture, const char *name, const char *text, guint width, guint height,
             const char *type)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FlFrame) code = fl_qr_render (text, FL_QR_EC_MEDIUM, 4, 4, FL_PIXEL_FORMAT_GREY8,
                                          &error);
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *path = g_build_filename (fixture->dir, name, NULL);
  const guint8 *src = g_bytes_get_data (code->pixels, NULL);
  guint x0 = (width - code->width) / 2, y0 = (height - code->height) / 2;

  g_assert_no_error (error);
  g_assert_cmpuint (code->width, <=, width);
  gdk_pixbuf_fill (pixbuf, 0xffffffff);
  for (guint y = 0; y < code->height; y++)
    for (guint x = 0; x < code->width; x++)
      {
        guint8 *p = gdk_pixbuf_get_pixels (pixbuf) + (y0 + y) * gdk_pixbuf_get_rowstride (pixbuf)
                    + (x0 + x) * 3;
        p[0] = p[1] = p[2] = src[y * code->stride + x];
      }
  g_assert_true (gdk_pixbuf_save (pixbuf, path, type, &error, NULL));
  g_assert_no_error (error);
  return path;
}

static void
test_png (Fixture *fixture, gconstpointer data)
{
  /* An odd width: GStreamer pads GRAY8 rows, the camera must unpad them. */
  g_autofree char *path = write_image (fixture, "badge.png", PAYLOAD, 403, 301, "png");
  g_autofree char *source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze",
                                             path);

  use_camera (fixture, source);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_STOPPED);
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, has_code, 10000));
  g_assert_cmpstr (fixture->codes->pdata[0], ==, PAYLOAD);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_RUNNING);

  g_assert_true (run_until (fixture, has_previews, 10000));
  g_assert_cmpint (fixture->last_preview->format, ==, FL_PIXEL_FORMAT_RGBA8);
  g_assert_cmpuint (fixture->last_preview->width, ==, 403);
  g_assert_cmpuint (fixture->last_preview->height, ==, 301);
  g_assert_cmpuint (fixture->last_preview->stride, ==, 403 * 4);
  g_assert_cmpuint (g_bytes_get_size (fixture->last_preview->pixels), ==, 403 * 4 * 301);

  /* The same badge in view for another second is still one scan. */
  run_until (fixture, NULL, 1000);
  g_assert_cmpuint (fixture->codes->len, ==, 1);

  fl_camera_stop (fixture->camera);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_STOPPED);
}

static void
test_jpeg_720p (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_image (fixture, "frame.jpg", "https://fairlead.example/b/42",
                                       1280, 720, "jpeg");
  g_autofree char *source =
    g_strdup_printf ("filesrc location=\"%s\" ! decodebin ! imagefreeze", path);

  use_camera (fixture, source);
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, has_code, 10000));
  g_assert_cmpstr (fixture->codes->pdata[0], ==, "https://fairlead.example/b/42");
}

static void
test_repeat_interval (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_image (fixture, "badge.png", "REPEAT-1", 200, 200, "png");
  g_autofree char *source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze",
                                             path);

  /* Without a quiet time every decoded frame is reported. */
  use_camera (fixture, source);
  fl_camera_set_repeat_interval (fixture->camera, 0);
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, has_code, 10000));
  run_until (fixture, NULL, 1000);
  g_assert_cmpuint (fixture->codes->len, >, 2);
}

static void
test_videotestsrc (Fixture *fixture, gconstpointer data)
{
  use_camera (fixture, "videotestsrc is-live=true ! video/x-raw,width=321,height=241");
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, has_previews, 10000));
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_RUNNING);
  g_assert_cmpuint (fixture->last_preview->width, ==, 321);
  g_assert_cmpuint (fixture->last_preview->stride, ==, 321 * 4);
  run_until (fixture, NULL, 500);
  g_assert_cmpuint (fixture->codes->len, ==, 0);
  g_assert_cmpuint (count_state (fixture, FL_CAMERA_STATE_STARTING), ==, 1);
}

static void
test_invalid_source (Fixture *fixture, gconstpointer data)
{
  use_camera (fixture, "nosuchelement-fairlead ! fakesink");
  fl_camera_start (fixture->camera);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_ERROR);
  g_assert_nonnull (strstr (fl_camera_get_message (fixture->camera), "nosuchelement-fairlead"));

  /* An error retrying cannot fix is not retried. */
  run_until (fixture, NULL, 1500);
  g_assert_cmpuint (count_state (fixture, FL_CAMERA_STATE_STARTING), ==, 1);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_ERROR);

  /* Not a video source at all. */
  fl_camera_set_source (fixture->camera, "audiotestsrc");
  fl_camera_start (fixture->camera);
  run_until (fixture, is_settled, 5000);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_ERROR);
}

static void
test_missing_device (Fixture *fixture, gconstpointer data)
{
  use_camera (fixture, "v4l2src device=/dev/fairlead-no-such-camera");
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, is_settled, 5000));
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_NO_CAMERA);
  g_assert_cmpstr (fl_camera_get_message (fixture->camera), !=, "");

  /* It retries, waiting 1 s, then 2 s: in 2.5 s at most two more starts,
   * never a busy loop. */
  run_until (fixture, NULL, 2500);
  g_assert_cmpuint (count_state (fixture, FL_CAMERA_STATE_STARTING), >=, 2);
  g_assert_cmpuint (count_state (fixture, FL_CAMERA_STATE_STARTING), <=, 3);

  fl_camera_stop (fixture->camera);
  run_until (fixture, NULL, 1500);
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_STOPPED);
}

static gboolean
is_lost (Fixture *fixture)
{
  return fl_camera_get_state (fixture->camera) == FL_CAMERA_STATE_LOST;
}

static gboolean
is_running_again (Fixture *fixture)
{
  return count_state (fixture, FL_CAMERA_STATE_RUNNING) >= 2;
}

static void
test_lost (Fixture *fixture, gconstpointer data)
{
  /* A camera that stops after 15 frames, as one unplugged would. */
  use_camera (fixture,
              "videotestsrc is-live=true num-buffers=15 ! video/x-raw,width=160,height=120,"
              "framerate=30/1");
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, is_running, 5000));
  g_assert_true (run_until (fixture, is_lost, 5000));
  g_assert_cmpstr (fl_camera_get_message (fixture->camera), !=, "");
  /* …and comes back by itself. */
  g_assert_true (run_until (fixture, is_running_again, 5000));
}

static void
test_dispose_running (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = write_image (fixture, "badge.png", "DISPOSE", 640, 480, "png");
  g_autofree char *source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze",
                                             path);

  /* Dropped while frames are being decoded: no callback may outlive it. */
  for (guint i = 0; i < 3; i++)
    {
      use_camera (fixture, source);
      fl_camera_start (fixture->camera);
      run_until (fixture, NULL, 150 * i);
      g_assert_finalize_object (g_steal_pointer (&fixture->camera));
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
test_no_camera (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GListModel) devices = fl_camera_device_list ();

  if (g_list_model_get_n_items (devices) > 0)
    {
      g_test_skip ("this machine has a camera");
      return;
    }
  use_camera (fixture, NULL);
  fl_camera_start (fixture->camera);
  g_assert_true (run_until (fixture, is_settled, 5000));
  g_assert_cmpint (fl_camera_get_state (fixture->camera), ==, FL_CAMERA_STATE_NO_CAMERA);
  g_assert_nonnull (strstr (fl_camera_get_message (fixture->camera), "camera"));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/camera/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("png", test_png);
  ADD ("jpeg-720p", test_jpeg_720p);
  ADD ("repeat-interval", test_repeat_interval);
  ADD ("videotestsrc", test_videotestsrc);
  ADD ("invalid-source", test_invalid_source);
  ADD ("missing-device", test_missing_device);
  ADD ("lost", test_lost);
  ADD ("dispose-running", test_dispose_running);
  ADD ("no-camera", test_no_camera);
#undef ADD

  return g_test_run ();
}
