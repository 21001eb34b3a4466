/* fl-key-clock.h: when a key was pressed, from its event's own time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where the window system's clock and the handling clock may disagree
 * before the key clock stops trusting the event times it has seen (a
 * server reset, an event time from another clock): one minute. */
#define FL_KEY_CLOCK_MAX_SKEW_US (60 * G_USEC_PER_SEC)

typedef struct
{
  /*< private >*/
  gboolean has_anchor;    /* an event with a time was stamped */
  guint32  anchor_ms;     /* its time, as the window system gave it */
  gint64   anchor_us;     /* its place on the timeline */
  gint64   anchor_handled;
  gboolean has_last;
  gint64   last_us;       /* the latest key stamped, on the timeline */
  gint64   last_handled;  /* µs of the handling clock when it was handled */
} FlKeyClock;

void   fl_key_clock_init  (FlKeyClock *clock);
gint64 fl_key_clock_stamp (FlKeyClock *clock,
                           guint32     event_ms,
                           gint64      handled_us);
gint64 fl_key_clock_now   (FlKeyClock *clock,
                           gint64      now_us);

G_END_DECLS
