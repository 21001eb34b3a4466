/* fl-key-clock.c: when a key was pressed, from its event's own time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wedge detector tells a scanner from a person by the time between
 * keys. The time a key is handled is no measure of that: keys a person
 * typed 60 ms apart queue while the main loop is busy (a capture, a
 * redraw, a loaded machine) and are then handled within a millisecond,
 * like a scanner burst. The key event carries the time the window system
 * saw the key (X server time, Wayland's event time), in milliseconds of a
 * 32-bit clock that wraps after 49.7 days.
 *
 * The key clock turns those times into a 64-bit timeline in µs for the
 * detector: differences are taken modulo 2^32, so the wrap costs nothing,
 * and a key whose event has no time (0, GDK_CURRENT_TIME: synthesized
 * events) is placed by the handling clock after the key before it. When
 * the event clock and the handling clock part by more than a minute
 * between two keys (a server that restarted, a time from another clock),
 * the event times seen before are no reference any more and the timeline
 * starts again from this key.
 *
 * fl_key_clock_now() gives the detector's timer the present on the same
 * timeline: the latest key's time plus what has passed since it was
 * handled. A timer that fires while keys still wait in the queue thus
 * counts from the last key handled, not from when it was pressed, and
 * does not cut a burst the loop has not read to its end.
 */
#define G_LOG_DOMAIN "fl-key-clock"

#include "config.h"

#include "fl-key-clock.h"

void
fl_key_clock_init (FlKeyClock *clock)
{
  g_return_if_fail (clock != NULL);

  *clock = (FlKeyClock) { 0 };
}

/* Where a key without a time goes: after the latest key, by the handling
 * clock; the first key of all at its handling time. */
static gint64
estimate (FlKeyClock *clock, gint64 handled_us)
{
  if (!clock->has_last)
    return handled_us;
  return clock->last_us + MAX (handled_us - clock->last_handled, 0);
}

/**
 * fl_key_clock_stamp:
 * @event_ms: the key event's time in ms (gdk_event_get_time()), 0 for none
 * @handled_us: the handling clock now (g_get_monotonic_time())
 *
 * Returns: when the key was pressed, in µs on the clock's timeline
 */
gint64
fl_key_clock_stamp (FlKeyClock *clock, guint32 event_ms, gint64 handled_us)
{
  gint64 time_us;

  g_return_val_if_fail (clock != NULL, handled_us);

  if (event_ms == 0)
    time_us = estimate (clock, handled_us);
  else
    {
      gboolean trusted = clock->has_anchor;

      if (trusted)
        {
          /* Modulo 2^32: across the wrap, and a key slightly out of order
           * is a small negative step. */
          gint64 step_us = (gint64) (gint32) (event_ms - clock->anchor_ms) * 1000;
          gint64 handled_step = handled_us - clock->anchor_handled;

          time_us = clock->anchor_us + step_us;
          /* An event cannot be handled before it happened, and the clocks
           * run at the same pace: a step the handling clock does not
           * match within the skew belongs to another clock. */
          if (step_us > handled_step + FL_KEY_CLOCK_MAX_SKEW_US ||
              step_us < handled_step - FL_KEY_CLOCK_MAX_SKEW_US)
            trusted = FALSE;
        }
      if (!trusted)
        time_us = estimate (clock, handled_us);
      /* Every timed key anchors the next one, so the skew is measured
       * over the time between two keys, not over weeks. */
      clock->has_anchor = TRUE;
      clock->anchor_ms = event_ms;
      clock->anchor_us = time_us;
      clock->anchor_handled = handled_us;
    }

  /* The latest key pressed, for now(): a key out of order is not it. */
  if (!clock->has_last || time_us >= clock->last_us)
    {
      clock->last_us = time_us;
      clock->last_handled = handled_us;
    }
  clock->has_last = TRUE;
  return time_us;
}

/**
 * fl_key_clock_now:
 * @now_us: the handling clock now (g_get_monotonic_time())
 *
 * Returns: the present on the clock's timeline, for the detector's tick
 */
gint64
fl_key_clock_now (FlKeyClock *clock, gint64 now_us)
{
  g_return_val_if_fail (clock != NULL, now_us);

  return estimate (clock, now_us);
}
