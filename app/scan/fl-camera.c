/* fl-camera.c: camera frames through GStreamer, decoded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   source ! tee ! queue ! videoconvert ! RGBA ! appsink "preview"
 *              \ queue ! videoconvert ! GRAY8 ! appsink "decode"
 *
 * Both sinks keep one buffer and drop the rest, so a slow UI or a slow
 * decode never builds a queue. Decode frames go to one worker thread only
 * when it is idle; results and preview frames come back to the main
 * context the camera was created in.
 *
 * The source is a GStreamer description (tests feed image files and
 * videotestsrc); without one, it is the first camera GStreamer's device
 * monitor finds, or in Flatpak the PipeWire remote the camera portal opens.
 */
#define G_LOG_DOMAIN "fl-camera"

#include "config.h"

#include <gio/gunixfdlist.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>

#include "fl-camera.h"

/* Retry delays after a failure: doubled each time, up to the maximum. A
 * camera that ran this long before failing starts again at the minimum. */
#define RETRY_MIN_S         1
#define RETRY_MAX_S         30
#define RETRY_RESET_AFTER_US (30 * G_USEC_PER_SEC)

#define PORTAL_BUS_NAME     "org.freedesktop.portal.Desktop"
#define PORTAL_OBJECT_PATH  "/org/freedesktop/portal/desktop"
#define PORTAL_CAMERA       "org.freedesktop.portal.Camera"
#define PORTAL_REQUEST      "org.freedesktop.portal.Request"

/* What threads and main-context callbacks hold instead of the camera: it
 * outlives the camera, and tells them when the camera is gone. Only the
 * main context reads @camera. */
typedef struct
{
  gatomicrefcount  ref_count;
  FlCamera        *camera;
} Link;

struct _FlCamera
{
  GObject          parent_instance;

  GMainContext    *context;
  Link            *link;
  char            *source;
  FlCameraState    state;
  char            *message;
  FlDecoder       *decoder;
  gint64           repeat_interval;

  GstElement      *pipeline;
  GSource         *bus_source;
  guint            generation;   /* of the pipeline; stale results are dropped */
  guint            retry_id;
  guint            retries;
  gint64           running_since;
  GCancellable    *portal_cancellable;
  int              portal_fd;

  GThreadPool     *worker;
  gint             busy;         /* atomic: the worker is decoding */
  guint            n_decoded;    /* worker thread only */
  gint64           last_decode;  /* worker thread only: when the last decode started */

  GMutex           preview_mutex;
  FlFrame         *preview;      /* the latest, guarded by preview_mutex */
  gint             preview_pending;  /* atomic: an emission is scheduled */

  GHashTable      *last_seen;    /* payload → monotonic µs, main context only */
};

G_DEFINE_FINAL_TYPE (FlCamera, fl_camera, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_STATE,
  PROP_MESSAGE,
  PROP_DECODER,
  PROP_REPEAT_INTERVAL,
  N_PROPS
};

enum {
  CODE_DETECTED,
  PREVIEW,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const GEnumValue state_values[] = {
  { FL_CAMERA_STATE_STOPPED, "FL_CAMERA_STATE_STOPPED", "stopped" },
  { FL_CAMERA_STATE_STARTING, "FL_CAMERA_STATE_STARTING", "starting" },
  { FL_CAMERA_STATE_RUNNING, "FL_CAMERA_STATE_RUNNING", "running" },
  { FL_CAMERA_STATE_NO_CAMERA, "FL_CAMERA_STATE_NO_CAMERA", "no-camera" },
  { FL_CAMERA_STATE_LOST, "FL_CAMERA_STATE_LOST", "lost" },
  { FL_CAMERA_STATE_ERROR, "FL_CAMERA_STATE_ERROR", "error" },
  { 0, NULL, NULL },
};

static void start_pipeline (FlCamera *self, GstElement *source);
static void fail (FlCamera *self, FlCameraState state, const char *message);

/* Runs @func in the camera's main context, always from an idle source:
 * g_main_context_invoke() would run it right in a worker thread whenever
 * that thread could acquire the (global default) context. */
static void
run_in_context (FlCamera *self, int priority, GSourceFunc func, gpointer data,
                GDestroyNotify destroy)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, priority);
  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[fairlead] camera result");
  g_source_attach (source, self->context);
  g_source_unref (source);
}

GType
fl_camera_state_get_type (void)
{
  static gsize type = 0;

  if (g_once_init_enter (&type))
    g_once_init_leave (&type, g_enum_register_static ("FlCameraState", state_values));
  return type;
}

static Link *
link_ref (Link *link)
{
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

static void
link_unref (Link *link)
{
  if (g_atomic_ref_count_dec (&link->ref_count))
    g_free (link);
}

static gboolean
in_flatpak (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

static void
set_state (FlCamera *self, FlCameraState state, const char *message)
{
  gboolean state_changed = self->state != state;
  gboolean message_changed = g_strcmp0 (self->message, message) != 0;

  if (state_changed && state == FL_CAMERA_STATE_RUNNING)
    self->running_since = g_get_monotonic_time ();
  self->state = state;
  if (message_changed)
    {
      g_free (self->message);
      self->message = g_strdup (message);
    }
  if (state_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  if (message_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
}

/* Main context: results of one decoded frame. */
typedef struct
{
  Link      *link;
  guint      generation;
  GPtrArray *symbols;
} Result;

static void
result_free (gpointer data)
{
  Result *result = data;

  link_unref (result->link);
  g_ptr_array_unref (result->symbols);
  g_free (result);
}

static gboolean
deliver_result_cb (gpointer data)
{
  Result *result = data;
  FlCamera *self = result->link->camera;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer value;

  if (self == NULL || result->generation != self->generation ||
      self->state != FL_CAMERA_STATE_RUNNING)
    return G_SOURCE_REMOVE;

  g_object_ref (self);
  for (guint i = 0; i < result->symbols->len; i++)
    {
      FlSymbol *symbol = g_ptr_array_index (result->symbols, i);
      gpointer seen;
      gboolean repeat = g_hash_table_lookup_extended (self->last_seen, symbol->data, NULL, &seen) &&
                        now - *(gint64 *) seen < self->repeat_interval;

      /* A badge held up for a while is one scan: every sighting extends
       * the quiet time. */
      g_hash_table_insert (self->last_seen, g_strdup (symbol->data), g_memdup2 (&now, sizeof now));
      if (!repeat)
        g_signal_emit (self, signals[CODE_DETECTED], 0, symbol);
    }

  g_hash_table_iter_init (&iter, self->last_seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - *(gint64 *) value >= self->repeat_interval)
      g_hash_table_iter_remove (&iter);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* Worker thread. */
typedef struct
{
  Link    *link;
  guint    generation;
  FlFrame *frame;
} Job;

/* Half the size in both directions, each pixel the mean of four. */
static FlFrame *
frame_halve (const FlFrame *frame)
{
  guint width = frame->width / 2, height = frame->height / 2;
  const guint8 *in = g_bytes_get_data (frame->pixels, NULL);
  guint8 *out = g_malloc ((gsize) width * height);
  g_autoptr(GBytes) bytes = NULL;

  for (guint y = 0; y < height; y++)
    {
      const guint8 *a = in + (gsize) (2 * y) * frame->stride;
      const guint8 *b = a + frame->stride;

      for (guint x = 0; x < width; x++)
        out[(gsize) y * width + x] = (a[2 * x] + a[2 * x + 1] + b[2 * x] + b[2 * x + 1] + 2) / 4;
    }
  bytes = g_bytes_new_take (out, (gsize) width * height);
  return fl_frame_new (bytes, width, height, width, FL_PIXEL_FORMAT_GREY8);
}

/* A camera sees a badge for a second or more, and a frame without a code
 * costs ZBar far more than one with: decode at most this often, and look
 * at the full frame only every fourth time, so the booth laptop keeps a
 * core free for the kiosk. */
#define DECODE_INTERVAL_US (G_USEC_PER_SEC / 6)
#define FULL_FRAME_EVERY 4

static GPtrArray *
decode_job_frame (FlCamera *self, const FlFrame *frame)
{
  g_autoptr(FlFrame) half = NULL;
  GPtrArray *symbols;

  if (self->n_decoded++ % FULL_FRAME_EVERY == 0 || frame->format != FL_PIXEL_FORMAT_GREY8 ||
      frame->width < 640 || frame->height < 360)
    return fl_decoder_decode_frame (self->decoder, frame);

  half = frame_halve (frame);
  symbols = fl_decoder_decode_frame (self->decoder, half);
  for (guint i = 0; i < symbols->len; i++)
    {
      FlSymbol *symbol = g_ptr_array_index (symbols, i);

      symbol->x *= 2;
      symbol->y *= 2;
      symbol->width *= 2;
      symbol->height *= 2;
      for (guint j = 0; j < symbol->n_points; j++)
        {
          symbol->points[j].x *= 2;
          symbol->points[j].y *= 2;
        }
    }
  return symbols;
}

static void
decode_cb (gpointer data, gpointer user_data)
{
  Job *job = data;
  FlCamera *self = user_data;  /* alive: dispose waits for this pool */
  gint64 since_last = g_get_monotonic_time () - self->last_decode;
  g_autoptr(GPtrArray) symbols = NULL;

  /* The worker counts as busy while it waits, so frames are dropped. */
  if (since_last < DECODE_INTERVAL_US)
    g_usleep (DECODE_INTERVAL_US - since_last);
  self->last_decode = g_get_monotonic_time ();
  symbols = decode_job_frame (self, job->frame);

  if (symbols->len > 0)
    {
      Result *result = g_new0 (Result, 1);

      result->link = link_ref (job->link);
      result->generation = job->generation;
      result->symbols = g_steal_pointer (&symbols);
      run_in_context (self, G_PRIORITY_DEFAULT, deliver_result_cb, result, result_free);
    }
  link_unref (job->link);
  fl_frame_free (job->frame);
  g_free (job);
  g_atomic_int_set (&self->busy, 0);
}

/* Copies a video frame without row padding: GStreamer aligns GRAY8 rows
 * to four bytes, ZBar and textures want what they are told. */
static FlFrame *
frame_from_sample (GstSample *sample, FlPixelFormat format)
{
  GstVideoInfo info;
  GstVideoFrame video;
  GstBuffer *buffer = gst_sample_get_buffer (sample);
  guint bpp = format == FL_PIXEL_FORMAT_RGBA8 ? 4 : 1;
  gsize row;
  guint8 *pixels;
  g_autoptr(GBytes) bytes = NULL;
  FlFrame *frame;

  if (buffer == NULL || !gst_video_info_from_caps (&info, gst_sample_get_caps (sample)))
    return NULL;
  if (!gst_video_frame_map (&video, &info, buffer, GST_MAP_READ))
    return NULL;

  row = (gsize) GST_VIDEO_FRAME_WIDTH (&video) * bpp;
  pixels = g_malloc (row * GST_VIDEO_FRAME_HEIGHT (&video));
  for (guint y = 0; y < (guint) GST_VIDEO_FRAME_HEIGHT (&video); y++)
    memcpy (pixels + y * row,
            (const guint8 *) GST_VIDEO_FRAME_PLANE_DATA (&video, 0)
              + (gsize) y * GST_VIDEO_FRAME_PLANE_STRIDE (&video, 0),
            row);
  bytes = g_bytes_new_take (pixels, row * GST_VIDEO_FRAME_HEIGHT (&video));
  frame = fl_frame_new (bytes, GST_VIDEO_FRAME_WIDTH (&video), GST_VIDEO_FRAME_HEIGHT (&video),
                        row, format);
  gst_video_frame_unmap (&video);
  return frame;
}

/* Streaming thread. */
static GstFlowReturn
decode_sample_cb (GstAppSink *sink, gpointer user_data)
{
  FlCamera *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  FlFrame *frame;
  Job *job;

  if (sample == NULL)
    return GST_FLOW_EOS;
  /* Busy: drop this frame; a newer one will come. */
  if (!g_atomic_int_compare_and_exchange (&self->busy, 0, 1))
    return GST_FLOW_OK;
  if ((frame = frame_from_sample (sample, FL_PIXEL_FORMAT_GREY8)) == NULL)
    {
      g_atomic_int_set (&self->busy, 0);
      return GST_FLOW_OK;
    }
  job = g_new0 (Job, 1);
  job->link = link_ref (self->link);
  job->generation = g_atomic_int_get (&self->generation);
  job->frame = frame;
  g_thread_pool_push (self->worker, job, NULL);
  return GST_FLOW_OK;
}

static gboolean
deliver_preview_cb (gpointer data)
{
  Link *link = data;
  FlCamera *self = link->camera;
  FlFrame *frame;

  if (self == NULL)
    return G_SOURCE_REMOVE;
  g_atomic_int_set (&self->preview_pending, 0);
  if ((frame = fl_camera_get_preview (self)) == NULL)
    return G_SOURCE_REMOVE;
  if (self->state == FL_CAMERA_STATE_RUNNING)
    g_signal_emit (self, signals[PREVIEW], 0, frame);
  fl_frame_free (frame);
  return G_SOURCE_REMOVE;
}

/* Streaming thread. */
static GstFlowReturn
preview_sample_cb (GstAppSink *sink, gpointer user_data)
{
  FlCamera *self = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  FlFrame *frame;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if ((frame = frame_from_sample (sample, FL_PIXEL_FORMAT_RGBA8)) == NULL)
    return GST_FLOW_OK;
  g_mutex_lock (&self->preview_mutex);
  g_clear_pointer (&self->preview, fl_frame_free);
  self->preview = frame;
  g_mutex_unlock (&self->preview_mutex);
  /* One emission at a time: a UI that falls behind sees the latest frame. */
  if (g_atomic_int_compare_and_exchange (&self->preview_pending, 0, 1))
    run_in_context (self, G_PRIORITY_DEFAULT_IDLE, deliver_preview_cb, link_ref (self->link),
                    (GDestroyNotify) link_unref);
  return GST_FLOW_OK;
}

static void
teardown (FlCamera *self)
{
  g_atomic_int_inc (&self->generation);
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipeline != NULL)
    {
      /* Joins the streaming threads: no callback runs after this. */
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
  if (self->portal_cancellable != NULL)
    {
      g_cancellable_cancel (self->portal_cancellable);
      g_clear_object (&self->portal_cancellable);
    }
  if (self->portal_fd >= 0)
    {
      g_close (self->portal_fd, NULL);
      self->portal_fd = -1;
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
}

static gboolean
retry_cb (gpointer data)
{
  FlCamera *self = data;

  self->retry_id = 0;
  fl_camera_start (self);
  return G_SOURCE_REMOVE;
}

/* Tears down and, for faults that can heal (a camera plugged in again),
 * tries again later, each time waiting longer. */
static void
fail (FlCamera *self, FlCameraState state, const char *message)
{
  gboolean ran_long = self->state == FL_CAMERA_STATE_RUNNING &&
                      g_get_monotonic_time () - self->running_since >= RETRY_RESET_AFTER_US;
  guint delay;
  GSource *source;

  teardown (self);
  if (ran_long)
    self->retries = 0;
  set_state (self, state, message);
  if (state != FL_CAMERA_STATE_NO_CAMERA && state != FL_CAMERA_STATE_LOST)
    return;

  delay = RETRY_MIN_S << MIN (self->retries, 5);
  delay = MIN (delay, RETRY_MAX_S);
  self->retries++;
  g_debug ("Camera: retrying in %u s", delay);
  source = g_timeout_source_new_seconds (delay);
  g_source_set_callback (source, retry_cb, self, NULL);
  g_source_set_static_name (source, "[fairlead] camera retry");
  self->retry_id = g_source_attach (source, self->context);
  g_source_unref (source);
}

static void
handle_error (FlCamera *self, GError *error, const char *debug)
{
  g_autofree char *message = NULL;
  gboolean no_device = error->domain == GST_RESOURCE_ERROR &&
                       (error->code == GST_RESOURCE_ERROR_NOT_FOUND ||
                        error->code == GST_RESOURCE_ERROR_OPEN_READ ||
                        error->code == GST_RESOURCE_ERROR_OPEN_READ_WRITE ||
                        error->code == GST_RESOURCE_ERROR_BUSY ||
                        error->code == GST_RESOURCE_ERROR_NO_SPACE_LEFT);

  g_debug ("Camera error: %s (%s)", error->message, debug ? debug : "");
  if (self->state == FL_CAMERA_STATE_RUNNING &&
      (error->domain == GST_RESOURCE_ERROR || error->domain == GST_STREAM_ERROR))
    {
      message = g_strdup_printf (_("The camera stopped working (%s). Check its cable; Fairlead "
                                   "tries again by itself."),
                                 error->message);
      fail (self, FL_CAMERA_STATE_LOST, message);
    }
  else if (no_device)
    {
      message = g_strdup_printf (_("The camera cannot be opened (%s). Connect it, or close the "
                                   "program that uses it; Fairlead tries again by itself."),
                                 error->message);
      fail (self, FL_CAMERA_STATE_NO_CAMERA, message);
    }
  else
    {
      message = g_strdup_printf (_("The camera does not work: %s"), error->message);
      fail (self, FL_CAMERA_STATE_ERROR, message);
    }
}

static gboolean
bus_cb (GstBus *bus, GstMessage *message, gpointer data)
{
  FlCamera *self = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &error, &debug);
        handle_error (self, error, debug);
        /* The pipeline and this watch are gone now. */
        return G_SOURCE_REMOVE;
      }
    case GST_MESSAGE_EOS:
      fail (self, FL_CAMERA_STATE_LOST,
            _("The camera stopped sending pictures. Fairlead tries again by itself."));
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (message) == GST_OBJECT (self->pipeline))
        {
          GstState new_state;

          gst_message_parse_state_changed (message, NULL, &new_state, NULL);
          if (new_state == GST_STATE_PLAYING && self->state == FL_CAMERA_STATE_STARTING)
            set_state (self, FL_CAMERA_STATE_RUNNING, _("Hold the code up to the camera."));
        }
      break;
    case GST_MESSAGE_WARNING:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_warning (message, &error, NULL);
        g_debug ("Camera warning: %s", error->message);
      }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
build_branches (GError **error)
{
  /* The sinks keep one buffer and drop older ones, so neither a slow UI nor
   * a busy decoder holds up the camera. The queues give each branch its
   * own thread; they are not leaky, so that a source that is not live (a
   * file) is paced by the sinks' clock rather than racing ahead of it. */
  return gst_parse_bin_from_description (
    "tee name=split "
    "split. ! queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 "
    "! videoconvert ! video/x-raw,format=RGBA "
    "! appsink name=preview drop=true max-buffers=1 sync=true enable-last-sample=false "
    "split. ! queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 "
    "! videoconvert ! video/x-raw,format=GRAY8 "
    "! appsink name=decode drop=true max-buffers=1 sync=true enable-last-sample=false",
    TRUE, error);
}

/* Takes @source, a full reference (not floating). */
static void
start_pipeline (FlCamera *self, GstElement *source)
{
  G_GNUC_UNUSED g_autoptr(GstElement) owned = source;  /* dropped on return */
  g_autoptr(GError) error = NULL;
  g_autoptr(GstElement) preview = NULL;
  g_autoptr(GstElement) decode = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstAppSinkCallbacks preview_callbacks = { .new_sample = preview_sample_cb };
  GstAppSinkCallbacks decode_callbacks = { .new_sample = decode_sample_cb };
  GstElement *branches = build_branches (&error);

  if (branches == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("GStreamer lacks a part the camera needs: %s. Install the "
                           "GStreamer base plugins."), error->message);
      fail (self, FL_CAMERA_STATE_ERROR, message);
      return;
    }

  self->pipeline = gst_pipeline_new ("fairlead-camera");
  gst_bin_add_many (GST_BIN (self->pipeline), source, branches, NULL);
  if (!gst_element_link (source, branches))
    {
      fail (self, FL_CAMERA_STATE_ERROR,
            _("The camera source gives no pictures Fairlead can use (it must be a video "
              "source)."));
      return;
    }

  preview = gst_bin_get_by_name (GST_BIN (branches), "preview");
  decode = gst_bin_get_by_name (GST_BIN (branches), "decode");
  gst_app_sink_set_callbacks (GST_APP_SINK (preview), &preview_callbacks, self, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (decode), &decode_callbacks, self, NULL);

  bus = gst_pipeline_get_bus (GST_PIPELINE (self->pipeline));
  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) (void (*) (void)) bus_cb, self, NULL);
  g_source_set_static_name (self->bus_source, "[fairlead] camera bus");
  g_source_attach (self->bus_source, self->context);

  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      /* The error itself comes on the bus, with the reason. Without one,
       * say what we know. */
      g_autoptr(GstMessage) message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);

      if (message != NULL)
        {
          g_autoptr(GError) bus_error = NULL;
          g_autofree char *debug = NULL;

          gst_message_parse_error (message, &bus_error, &debug);
          handle_error (self, bus_error, debug);
        }
      else
        fail (self, FL_CAMERA_STATE_ERROR, _("The camera could not be started."));
    }
}

/* Camera portal (Flatpak) */

static void
open_remote_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  FlCamera *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) reply = NULL;
  GstElement *source;
  gint32 handle;
  int fd;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), &fds,
                                                           result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The camera cannot be opened (%s). Fairlead tries again by itself."),
                         error->message);
      fail (self, FL_CAMERA_STATE_NO_CAMERA, message);
      return;
    }
  g_variant_get (reply, "(h)", &handle);
  if (fds == NULL || (fd = g_unix_fd_list_get (fds, handle, &error)) < 0)
    {
      fail (self, FL_CAMERA_STATE_ERROR, _("The camera portal sent no camera."));
      return;
    }
  self->portal_fd = fd;
  g_clear_object (&self->portal_cancellable);

  source = gst_element_factory_make ("pipewiresrc", NULL);
  if (source == NULL)
    {
      fail (self, FL_CAMERA_STATE_ERROR,
            _("GStreamer's PipeWire plugin is missing, so the camera cannot be used."));
      return;
    }
  g_object_set (source, "fd", self->portal_fd, NULL);
  start_pipeline (self, gst_object_ref_sink (source));
}

typedef struct
{
  Link            *link;
  GDBusConnection *bus;
  guint            signal_id;
} PortalRequest;

static void
portal_request_free (PortalRequest *request)
{
  if (request->signal_id != 0)
    g_dbus_connection_signal_unsubscribe (request->bus, request->signal_id);
  g_object_unref (request->bus);
  link_unref (request->link);
  g_free (request);
}

static void
access_response_cb (GDBusConnection *bus, const char *sender, const char *path,
                    const char *interface, const char *signal, GVariant *parameters,
                    gpointer data)
{
  PortalRequest *request = data;
  FlCamera *self = request->link->camera;
  guint32 response = 2;

  g_variant_get (parameters, "(u@a{sv})", &response, NULL);
  if (self != NULL && self->portal_cancellable != NULL &&
      !g_cancellable_is_cancelled (self->portal_cancellable))
    {
      if (response == 0)
        g_dbus_connection_call_with_unix_fd_list (
          bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_CAMERA, "OpenPipeWireRemote",
          g_variant_new ("(a{sv})", NULL), G_VARIANT_TYPE ("(h)"), G_DBUS_CALL_FLAGS_NONE, -1,
          NULL, self->portal_cancellable, open_remote_cb, self);
      else
        {
          /* Refused: no retry, the person at the kiosk has decided. */
          teardown (self);
          set_state (self, FL_CAMERA_STATE_ERROR,
                     _("Fairlead may not use the camera. Allow camera access for Fairlead in "
                       "the system settings (Privacy → Camera), then start the camera again."));
        }
    }
  /* One response per request. */
  portal_request_free (request);
}

static void
access_camera_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  FlCamera *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result,
                                                             &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The camera portal does not answer (%s). Fairlead tries again by "
                           "itself."), error->message);
      fail (self, FL_CAMERA_STATE_NO_CAMERA, message);
    }
}

static void
camera_present_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  FlCamera *self = data;
  GDBusConnection *bus = G_DBUS_CONNECTION (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (bus, result, &error);
  g_autoptr(GVariant) present = NULL;
  g_autofree char *sender = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = NULL;
  PortalRequest *request;
  GVariantBuilder options;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The camera portal is not available (%s). Fairlead tries again by "
                           "itself."), error->message);
      fail (self, FL_CAMERA_STATE_NO_CAMERA, message);
      return;
    }
  g_variant_get (reply, "(v)", &present);
  if (!g_variant_is_of_type (present, G_VARIANT_TYPE_BOOLEAN) || !g_variant_get_boolean (present))
    {
      fail (self, FL_CAMERA_STATE_NO_CAMERA,
            _("No camera found. Connect a camera; Fairlead starts it by itself."));
      return;
    }

  /* Listen for the answer before asking: the request object path is
   * known in advance from our bus name and a token. */
  sender = g_strdup (g_dbus_connection_get_unique_name (bus) + 1);
  g_strdelimit (sender, ".", '_');
  token = g_strdup_printf ("fairlead%u", g_random_int ());
  path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  request = g_new0 (PortalRequest, 1);
  request->link = link_ref (self->link);
  request->bus = g_object_ref (bus);
  request->signal_id = g_dbus_connection_signal_subscribe (
    bus, PORTAL_BUS_NAME, PORTAL_REQUEST, "Response", path, NULL,
    G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE, access_response_cb, request, NULL);

  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH, PORTAL_CAMERA, "AccessCamera",
                          g_variant_new ("(a{sv})", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->portal_cancellable, access_camera_cb,
                          self);
}

static void
session_bus_cb (GObject *object, GAsyncResult *result, gpointer data)
{
  FlCamera *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (bus == NULL)
    {
      g_autofree char *message =
        g_strdup_printf (_("The camera portal is not available (%s). Fairlead tries again by "
                           "itself."), error->message);
      fail (self, FL_CAMERA_STATE_NO_CAMERA, message);
      return;
    }
  g_dbus_connection_call (bus, PORTAL_BUS_NAME, PORTAL_OBJECT_PATH,
                          "org.freedesktop.DBus.Properties", "Get",
                          g_variant_new ("(ss)", PORTAL_CAMERA, "IsCameraPresent"),
                          G_VARIANT_TYPE ("(v)"), G_DBUS_CALL_FLAGS_NONE, -1,
                          self->portal_cancellable, camera_present_cb, self);
}

/* A bin from a source description, with one ghost src pad. */
static GstElement *
parse_source (const char *description, GError **error)
{
  /* The description may end in caps ("videotestsrc ! video/x-raw,width=640"),
   * which the parser only takes between two elements: end it in identity.
   * Its src pad is ghosted by hand: letting the parser ghost unlinked pads
   * would also ghost the sink pad of an element waiting for decodebin's
   * dynamic pad, and that link would then fail. */
  g_autofree char *full = g_strdup_printf ("%s ! identity name=fairlead-source-end silent=true",
                                           description);
  g_autoptr(GstElement) bin = NULL;
  g_autoptr(GstElement) end = NULL;
  g_autoptr(GstPad) pad = NULL;
  GError *local_error = NULL;

  bin = gst_parse_bin_from_description (full, FALSE, &local_error);
  if (bin != NULL)
    gst_object_ref_sink (bin);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  end = gst_bin_get_by_name (GST_BIN (bin), "fairlead-source-end");
  pad = gst_element_get_static_pad (end, "src");
  gst_element_add_pad (bin, gst_ghost_pad_new ("src", pad));
  return g_steal_pointer (&bin);
}

/* The first camera the device monitor sees, or NULL. Transfer full. */
static GstElement *
first_camera (void)
{
  g_autoptr(GstDeviceMonitor) monitor = gst_device_monitor_new ();
  GstElement *element = NULL;
  GList *devices;

  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  if (!gst_device_monitor_start (monitor))
    return NULL;
  devices = gst_device_monitor_get_devices (monitor);
  gst_device_monitor_stop (monitor);
  for (GList *l = devices; l != NULL && element == NULL; l = l->next)
    element = gst_device_create_element (l->data, NULL);
  g_list_free_full (devices, gst_object_unref);
  return element ? gst_object_ref_sink (element) : NULL;
}

/* GObject */

static void
fl_camera_dispose (GObject *object)
{
  FlCamera *self = FL_CAMERA (object);

  teardown (self);
  if (self->worker != NULL)
    {
      /* Waits for a decode in flight: it uses self->decoder. */
      g_thread_pool_free (self->worker, FALSE, TRUE);
      self->worker = NULL;
    }
  if (self->link != NULL)
    {
      self->link->camera = NULL;
      g_clear_pointer (&self->link, link_unref);
    }

  G_OBJECT_CLASS (fl_camera_parent_class)->dispose (object);
}

static void
fl_camera_finalize (GObject *object)
{
  FlCamera *self = FL_CAMERA (object);

  g_clear_object (&self->decoder);
  g_clear_pointer (&self->preview, fl_frame_free);
  g_clear_pointer (&self->last_seen, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->preview_mutex);
  g_free (self->source);
  g_free (self->message);

  G_OBJECT_CLASS (fl_camera_parent_class)->finalize (object);
}

static void
fl_camera_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlCamera *self = FL_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_DECODER:
      g_value_set_object (value, self->decoder);
      break;
    case PROP_REPEAT_INTERVAL:
      g_value_set_int64 (value, self->repeat_interval);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_camera_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlCamera *self = FL_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      fl_camera_set_source (self, g_value_get_string (value));
      break;
    case PROP_REPEAT_INTERVAL:
      fl_camera_set_repeat_interval (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_camera_class_init (FlCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fl_camera_dispose;
  object_class->finalize = fl_camera_finalize;
  object_class->get_property = fl_camera_get_property;
  object_class->set_property = fl_camera_set_property;

  /**
   * FlCamera:source:
   *
   * A GStreamer source description ("v4l2src device=/dev/video2",
   * "videotestsrc", "filesrc location=badge.png ! pngdec ! imagefreeze"),
   * or %NULL for the system's camera. Takes effect at the next start.
   */
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, FL_TYPE_CAMERA_STATE, FL_CAMERA_STATE_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FlCamera:message:
   *
   * What the UI tells the user about the state, translated.
   */
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DECODER] =
    g_param_spec_object ("decoder", NULL, NULL, FL_TYPE_DECODER,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REPEAT_INTERVAL] =
    g_param_spec_int64 ("repeat-interval", NULL, NULL, 0, G_MAXINT64, FL_CAMERA_DEFAULT_REPEAT_US,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlCamera::code-detected:
   * @symbol: the code
   *
   * A code came into view, in the main context the camera was created in.
   * The same payload is not reported again while it stays in view, nor
   * within FlCamera:repeat-interval of its last sighting.
   */
  signals[CODE_DETECTED] = g_signal_new ("code-detected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                         FL_TYPE_SYMBOL | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * FlCamera::preview:
   * @frame: an RGBA frame, tightly packed
   *
   * A new preview frame, in the main context. Frames the UI had no time for
   * are skipped.
   */
  signals[PREVIEW] = g_signal_new ("preview", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   FL_TYPE_FRAME | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fl_camera_init (FlCamera *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->link = g_new0 (Link, 1);
  g_atomic_ref_count_init (&self->link->ref_count);
  self->link->camera = self;
  self->state = FL_CAMERA_STATE_STOPPED;
  self->message = g_strdup (_("The camera is off."));
  self->repeat_interval = FL_CAMERA_DEFAULT_REPEAT_US;
  self->portal_fd = -1;
  g_mutex_init (&self->preview_mutex);
  self->last_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->worker = g_thread_pool_new (decode_cb, self, 1, FALSE, NULL);

  /* Camera frames: the half-size pass first, inverted badges too; the
   * slower passes are for photos (fl_decoder_decode_file). */
  self->decoder = fl_decoder_new ();
  fl_decoder_set_passes (self->decoder, FL_DECODE_PASS_DOWNSCALE | FL_DECODE_PASS_INVERT);
}

/**
 * fl_camera_new:
 * @source: (nullable): a GStreamer source description, or %NULL for the
 *   system's camera
 *
 * Creates a stopped camera. Its signals are emitted in the thread-default
 * main context of the caller.
 */
FlCamera *
fl_camera_new (const char *source)
{
  return g_object_new (FL_TYPE_CAMERA, "source", source, NULL);
}

const char *
fl_camera_get_source (FlCamera *self)
{
  g_return_val_if_fail (FL_IS_CAMERA (self), NULL);

  return self->source;
}

FlCameraState
fl_camera_get_state (FlCamera *self)
{
  g_return_val_if_fail (FL_IS_CAMERA (self), FL_CAMERA_STATE_ERROR);

  return self->state;
}

const char *
fl_camera_get_message (FlCamera *self)
{
  g_return_val_if_fail (FL_IS_CAMERA (self), NULL);

  return self->message;
}

/**
 * fl_camera_get_decoder:
 *
 * Returns: (transfer none): the decoder of camera frames, to choose
 *   symbologies and passes
 */
FlDecoder *
fl_camera_get_decoder (FlCamera *self)
{
  g_return_val_if_fail (FL_IS_CAMERA (self), NULL);

  return self->decoder;
}

/**
 * fl_camera_get_preview:
 *
 * Returns: (transfer full) (nullable): the latest preview frame
 */
FlFrame *
fl_camera_get_preview (FlCamera *self)
{
  FlFrame *frame = NULL;

  g_return_val_if_fail (FL_IS_CAMERA (self), NULL);

  g_mutex_lock (&self->preview_mutex);
  if (self->preview != NULL)
    frame = fl_frame_copy (self->preview);
  g_mutex_unlock (&self->preview_mutex);
  return frame;
}

gint64
fl_camera_get_repeat_interval (FlCamera *self)
{
  g_return_val_if_fail (FL_IS_CAMERA (self), FL_CAMERA_DEFAULT_REPEAT_US);

  return self->repeat_interval;
}

void
fl_camera_set_source (FlCamera *self, const char *source)
{
  g_return_if_fail (FL_IS_CAMERA (self));

  if (source != NULL && *source == '\0')
    source = NULL;
  if (g_strcmp0 (self->source, source) == 0)
    return;
  g_free (self->source);
  self->source = g_strdup (source);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

void
fl_camera_set_repeat_interval (FlCamera *self, gint64 interval_us)
{
  g_return_if_fail (FL_IS_CAMERA (self));
  g_return_if_fail (interval_us >= 0);

  if (self->repeat_interval == interval_us)
    return;
  self->repeat_interval = interval_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPEAT_INTERVAL]);
}

/**
 * fl_camera_start:
 *
 * Starts the camera, or restarts it from NO_CAMERA, LOST or ERROR. Watch
 * FlCamera:state for the outcome. Does nothing while starting or running.
 */
void
fl_camera_start (FlCamera *self)
{
  g_autoptr(GError) error = NULL;
  GstElement *source;

  g_return_if_fail (FL_IS_CAMERA (self));

  if (self->state == FL_CAMERA_STATE_STARTING || self->state == FL_CAMERA_STATE_RUNNING)
    return;
  teardown (self);
  if (self->state == FL_CAMERA_STATE_STOPPED || self->state == FL_CAMERA_STATE_ERROR)
    self->retries = 0;
  g_hash_table_remove_all (self->last_seen);

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("GStreamer cannot start: %s"),
                                                  error->message);
      fail (self, FL_CAMERA_STATE_ERROR, message);
      return;
    }
  set_state (self, FL_CAMERA_STATE_STARTING, _("Starting the camera…"));

  if (self->source != NULL)
    {
      source = parse_source (self->source, &error);
      if (source == NULL)
        {
          g_autofree char *message =
            g_strdup_printf (_("The camera source “%s” is not valid: %s"), self->source,
                             error->message);
          fail (self, FL_CAMERA_STATE_ERROR, message);
          return;
        }
      start_pipeline (self, source);
    }
  else if (in_flatpak ())
    {
      self->portal_cancellable = g_cancellable_new ();
      g_bus_get (G_BUS_TYPE_SESSION, self->portal_cancellable, session_bus_cb, self);
    }
  else if ((source = first_camera ()) != NULL)
    start_pipeline (self, source);
  else
    fail (self, FL_CAMERA_STATE_NO_CAMERA,
          _("No camera found. Connect a camera; Fairlead starts it by itself."));
}

/**
 * fl_camera_stop:
 *
 * Stops the camera and any retry. Returns once no frame is processed any
 * more; a decode in flight is dropped.
 */
void
fl_camera_stop (FlCamera *self)
{
  g_return_if_fail (FL_IS_CAMERA (self));

  teardown (self);
  self->retries = 0;
  set_state (self, FL_CAMERA_STATE_STOPPED, _("The camera is off."));
}
