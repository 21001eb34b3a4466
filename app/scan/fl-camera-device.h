/* fl-camera-device.h: a camera the kiosk can use
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FL_TYPE_CAMERA_DEVICE (fl_camera_device_get_type ())

G_DECLARE_FINAL_TYPE (FlCameraDevice, fl_camera_device, FL, CAMERA_DEVICE, GObject)

FlCameraDevice *fl_camera_device_new              (const char     *name,
                                                   const char     *source);
const char     *fl_camera_device_get_name         (FlCameraDevice *self);
const char     *fl_camera_device_get_source       (FlCameraDevice *self);

GListModel     *fl_camera_device_list             (void);

G_END_DECLS
