/* fl-camera-device.c: a camera the kiosk can use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-camera"

#include "config.h"

#include <gst/gst.h>

#include "fl-camera-device.h"

struct _FlCameraDevice
{
  GObject  parent_instance;

  char    *name;
  char    *source;
};

G_DEFINE_FINAL_TYPE (FlCameraDevice, fl_camera_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A source description for FlCamera:source, from what the device provider
 * tells about the device; NULL for providers we do not know. */
static char *
source_for_device (GstDevice *device)
{
  g_autoptr(GstStructure) props = gst_device_get_properties (device);
  const char *path;

  if (props == NULL)
    return NULL;
  if ((path = gst_structure_get_string (props, "api.v4l2.path")) != NULL ||
      (path = gst_structure_get_string (props, "device.path")) != NULL)
    {
      g_autofree char *quoted = g_shell_quote (path);
      return g_strdup_printf ("v4l2src device=%s", quoted);
    }
  if ((path = gst_structure_get_string (props, "object.serial")) != NULL)
    return g_strdup_printf ("pipewiresrc target-object=%s", path);
  return NULL;
}

static void
fl_camera_device_finalize (GObject *object)
{
  FlCameraDevice *self = FL_CAMERA_DEVICE (object);

  g_free (self->name);
  g_free (self->source);

  G_OBJECT_CLASS (fl_camera_device_parent_class)->finalize (object);
}

static void
fl_camera_device_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlCameraDevice *self = FL_CAMERA_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_camera_device_set_property (GObject *object, guint prop_id, const GValue *value,
                               GParamSpec *pspec)
{
  FlCameraDevice *self = FL_CAMERA_DEVICE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      self->name = g_value_dup_string (value);
      break;
    case PROP_SOURCE:
      self->source = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_camera_device_class_init (FlCameraDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_camera_device_finalize;
  object_class->get_property = fl_camera_device_get_property;
  object_class->set_property = fl_camera_device_set_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_camera_device_init (FlCameraDevice *self)
{
}

FlCameraDevice *
fl_camera_device_new (const char *name, const char *source)
{
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (source != NULL, NULL);

  return g_object_new (FL_TYPE_CAMERA_DEVICE, "name", name, "source", source, NULL);
}

const char *
fl_camera_device_get_name (FlCameraDevice *self)
{
  g_return_val_if_fail (FL_IS_CAMERA_DEVICE (self), NULL);

  return self->name;
}

/**
 * fl_camera_device_get_source:
 *
 * Returns: a GStreamer source description for FlCamera:source
 */
const char *
fl_camera_device_get_source (FlCameraDevice *self)
{
  g_return_val_if_fail (FL_IS_CAMERA_DEVICE (self), NULL);

  return self->source;
}

/**
 * fl_camera_device_list:
 *
 * Lists the cameras GStreamer's device monitor sees now (V4L2 and, where
 * its plugin is installed, PipeWire).
 *
 * Returns: (transfer full): a list of #FlCameraDevice, possibly empty
 */
GListModel *
fl_camera_device_list (void)
{
  GListStore *store = g_list_store_new (FL_TYPE_CAMERA_DEVICE);
  g_autoptr(GstDeviceMonitor) monitor = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GList *devices;

  if (!gst_init_check (NULL, NULL, NULL))
    return G_LIST_MODEL (store);

  monitor = gst_device_monitor_new ();
  gst_device_monitor_add_filter (monitor, "Video/Source", NULL);
  if (!gst_device_monitor_start (monitor))
    return G_LIST_MODEL (store);
  devices = gst_device_monitor_get_devices (monitor);
  gst_device_monitor_stop (monitor);

  for (GList *l = devices; l != NULL; l = l->next)
    {
      g_autofree char *name = gst_device_get_display_name (l->data);
      g_autofree char *source = source_for_device (l->data);
      g_autoptr(FlCameraDevice) device = NULL;

      if (source == NULL || g_hash_table_contains (seen, source))
        continue;
      device = fl_camera_device_new (name, source);
      g_list_store_append (store, device);
      g_hash_table_add (seen, g_steal_pointer (&source));
    }
  g_list_free_full (devices, gst_object_unref);
  return G_LIST_MODEL (store);
}
