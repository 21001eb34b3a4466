/* fl-camera.h: camera frames through GStreamer, decoded off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-decoder.h"
#include "fl-scan.h"

G_BEGIN_DECLS

/* What the UI shows. Only STOPPED and ERROR wait for the UI to call
 * fl_camera_start() again; NO_CAMERA and LOST retry by themselves, waiting
 * longer after each failure. */
typedef enum
{
  FL_CAMERA_STATE_STOPPED,
  FL_CAMERA_STATE_STARTING,
  FL_CAMERA_STATE_RUNNING,
  FL_CAMERA_STATE_NO_CAMERA,  /* none connected, busy, or access refused */
  FL_CAMERA_STATE_LOST,       /* it was running and went away */
  FL_CAMERA_STATE_ERROR,      /* a fault retrying cannot fix: bad source, missing plugin */
} FlCameraState;

/* The same payload is reported again only after it was out of sight
 * this long. */
#define FL_CAMERA_DEFAULT_REPEAT_US (2 * G_USEC_PER_SEC)

#define FL_TYPE_CAMERA_STATE (fl_camera_state_get_type ())
#define FL_TYPE_CAMERA       (fl_camera_get_type ())

G_DECLARE_FINAL_TYPE (FlCamera, fl_camera, FL, CAMERA, GObject)

GType          fl_camera_state_get_type   (void) G_GNUC_CONST;

FlCamera      *fl_camera_new              (const char *source);

const char    *fl_camera_get_source       (FlCamera   *self);
FlCameraState  fl_camera_get_state        (FlCamera   *self);
const char    *fl_camera_get_message      (FlCamera   *self);
FlDecoder     *fl_camera_get_decoder      (FlCamera   *self);
FlFrame       *fl_camera_get_preview      (FlCamera   *self);
gint64         fl_camera_get_repeat_interval (FlCamera *self);
void           fl_camera_set_source       (FlCamera   *self,
                                           const char *source);
void           fl_camera_set_repeat_interval (FlCamera *self,
                                              gint64    interval_us);

void           fl_camera_start            (FlCamera   *self);
void           fl_camera_stop             (FlCamera   *self);

G_END_DECLS
