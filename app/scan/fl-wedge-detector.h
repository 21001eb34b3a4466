/* fl-wedge-detector.h: tells a keyboard-wedge scanner from a person typing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  FL_WEDGE_KEY_CHAR,   /* a key that types a character */
  FL_WEDGE_KEY_ENTER,
  FL_WEDGE_KEY_TAB,
} FlWedgeKey;

/* A scanner types a character every few milliseconds; a person, every
 * hundred or more. */
#define FL_WEDGE_DEFAULT_GAP_US     35000
#define FL_WEDGE_DEFAULT_MIN_LENGTH 4
/* The longest pause inside a vCard or MECARD not yet ended. */
#define FL_WEDGE_OPEN_GAP_US        400000

#define FL_TYPE_WEDGE_DETECTOR (fl_wedge_detector_get_type ())

G_DECLARE_FINAL_TYPE (FlWedgeDetector, fl_wedge_detector, FL, WEDGE_DETECTOR, GObject)

FlWedgeDetector *fl_wedge_detector_new            (void);

gint64           fl_wedge_detector_get_gap        (FlWedgeDetector *self);
guint            fl_wedge_detector_get_min_length (FlWedgeDetector *self);
gint64           fl_wedge_detector_get_deadline   (FlWedgeDetector *self);
gboolean         fl_wedge_detector_is_holding     (FlWedgeDetector *self);
void             fl_wedge_detector_set_gap        (FlWedgeDetector *self,
                                                   gint64           gap_us);
void             fl_wedge_detector_set_min_length (FlWedgeDetector *self,
                                                   guint            min_length);

gboolean         fl_wedge_detector_feed           (FlWedgeDetector *self,
                                                   FlWedgeKey       key,
                                                   gunichar         character,
                                                   gint64           time_us);
void             fl_wedge_detector_tick           (FlWedgeDetector *self,
                                                   gint64           now_us);
void             fl_wedge_detector_flush          (FlWedgeDetector *self);

G_END_DECLS
