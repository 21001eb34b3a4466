/* test-wedge.c: FlWedgeDetector on recorded-style key timings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each case is a script of keys with the milliseconds since the previous
 * key, shaped like what a USB HID scanner (a key every 4–12 ms), a
 * Bluetooth scanner (bursts with radio hiccups) and people (80–400 ms)
 * produce. '\n' in a script stands for Enter, '\t' for Tab.
 */
#include "config.h"

#include <string.h>

#include "scan/fl-key-clock.h"
#include "scan/fl-wedge-detector.h"

typedef struct
{
  FlWedgeDetector *detector;
  GString         *log;     /* what came out, in order: [scan:…] and typed keys */
  guint            n_scans;
  guint            n_typed;
  gint64           now;     /* µs */
} Fixture;

static void
scanned_cb (FlWedgeDetector *detector, const char *payload, Fixture *fixture)
{
  fixture->n_scans++;
  g_string_append_printf (fixture->log, "[scan:%s]", payload);
}

static void
typed_cb (FlWedgeDetector *detector, guint key, guint character, Fixture *fixture)
{
  fixture->n_typed++;
  if (key == FL_WEDGE_KEY_ENTER)
    g_string_append (fixture->log, "<enter>");
  else if (key == FL_WEDGE_KEY_TAB)
    g_string_append (fixture->log, "<tab>");
  else
    g_string_append_unichar (fixture->log, character);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  fixture->detector = fl_wedge_detector_new ();
  fixture->log = g_string_new (NULL);
  fixture->now = 1000 * G_USEC_PER_SEC;
  g_signal_connect (fixture->detector, "scanned", G_CALLBACK (scanned_cb), fixture);
  g_signal_connect (fixture->detector, "typed", G_CALLBACK (typed_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->detector);
  g_string_free (fixture->log, TRUE);
}

/* Keys the GUI handles itself (feed() returned FALSE) go to the log too, as
 * the user would see them, so order can be checked. */
static void
press (Fixture *fixture, gunichar c, guint delay_ms)
{
  FlWedgeKey key = c == '\n' ? FL_WEDGE_KEY_ENTER : c == '\t' ? FL_WEDGE_KEY_TAB
                                                               : FL_WEDGE_KEY_CHAR;

  fixture->now += delay_ms * 1000;
  if (!fl_wedge_detector_feed (fixture->detector, key, c, fixture->now))
    g_string_append (fixture->log, key == FL_WEDGE_KEY_ENTER ? "{enter}" : "{tab}");
}

/* Plays @text with @delays_ms cycled over its characters. */
static void
play (Fixture *fixture, const char *text, const guint *delays_ms, guint n_delays)
{
  guint i = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p), i++)
    press (fixture, g_utf8_get_char (p), delays_ms[i % n_delays]);
}

/* Lets time pass, firing the GUI's timer when it is due. */
static void
wait_ms (Fixture *fixture, guint ms)
{
  gint64 end = fixture->now + ms * 1000;

  for (;;)
    {
      gint64 deadline = fl_wedge_detector_get_deadline (fixture->detector);

      if (deadline < 0 || deadline > end)
        break;
      fixture->now = deadline;
      fl_wedge_detector_tick (fixture->detector, fixture->now);
    }
  fixture->now = end;
}

/* A USB scanner at full speed, 4–12 ms a key, Enter suffix. */
static const guint usb[] = { 8, 4, 12, 8, 8, 4, 8, 11, 8, 4 };
/* A Bluetooth scanner: quick, with radio hiccups of up to 62 ms. */
static const guint bluetooth[] = { 9, 15, 22, 9, 9, 62, 14, 9, 30, 9, 9, 9 };
/* People at a keyboard, from hunting to touch typing. */
static const guint slow_typist[] = { 310, 240, 420, 280, 390 };
static const guint fast_typist[] = { 95, 120, 80, 140, 110, 85, 160 };

static void
test_usb_badge (Fixture *fixture, gconstpointer data)
{
  play (fixture, "FL-2026-000123\n", usb, G_N_ELEMENTS (usb));
  g_assert_true (fl_wedge_detector_is_holding (fixture->detector));
  g_assert_cmpuint (fixture->n_scans, ==, 0);  /* not before the gap */
  wait_ms (fixture, 500);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:FL-2026-000123]");
  g_assert_cmpuint (fixture->n_typed, ==, 0);
  g_assert_false (fl_wedge_detector_is_holding (fixture->detector));
  g_assert_cmpint (fl_wedge_detector_get_deadline (fixture->detector), ==, -1);
}

static void
test_vcard_burst (Fixture *fixture, gconstpointer data)
{
  const char *vcard = "BEGIN:VCARD\nVERSION:3.0\nN:Größer;Jürgen\nFN:Jürgen Größer\n"
                      "ORG:Müller & Söhne\nEMAIL:jg@example.com\nEND:VCARD\n";
  /* Some scanners pause a little longer after each Enter. */
  guint i = 0;

  for (const char *p = vcard; *p != '\0'; p = g_utf8_next_char (p), i++)
    press (fixture, g_utf8_get_char (p), p > vcard && p[-1] == '\n' ? 30 : usb[i % 10]);
  wait_ms (fixture, 300);
  g_assert_cmpuint (fixture->n_scans, ==, 1);
  g_assert_cmpuint (fixture->n_typed, ==, 0);
  g_assert_cmpstr (fixture->log->str, ==,
                   "[scan:BEGIN:VCARD\nVERSION:3.0\nN:Größer;Jürgen\nFN:Jürgen Größer\n"
                   "ORG:Müller & Söhne\nEMAIL:jg@example.com\nEND:VCARD]");
}

/* A vCard or MECARD is one scan until it ends, even across a pause far
 * longer than the gap (a radio that stalls, a scanner switching keyboard
 * maps for a letter); once ended, the usual gap ends the burst. */
static void
test_open_structure (Fixture *fixture, gconstpointer data)
{
  gint64 ended;

  play (fixture, "BEGIN:VCARD\nVERSION:3.0\nN:Ho", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 250);
  g_assert_cmpuint (fixture->n_scans, ==, 0);
  play (fixture, "ff;Dora\nEMAIL:dora@example.com\nEND:VCARD\n", usb, G_N_ELEMENTS (usb));
  ended = fixture->now;
  wait_ms (fixture, 100);
  g_assert_cmpstr (fixture->log->str, ==,
                   "[scan:BEGIN:VCARD\nVERSION:3.0\nN:Hoff;Dora\nEMAIL:dora@example.com\nEND:VCARD]");
  g_assert_cmpint (fixture->now - ended, <, FL_WEDGE_OPEN_GAP_US);

  /* MECARD ends with ";;". */
  g_string_truncate (fixture->log, 0);
  play (fixture, "MECARD:N:Hoff,Dora;EMAIL:dora@", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 300);
  play (fixture, "example.com;;\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 100);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:MECARD:N:Hoff,Dora;EMAIL:dora@example.com;;]");

  /* A vCard cut short is still one scan, once the longer pause has passed. */
  g_string_truncate (fixture->log, 0);
  play (fixture, "BEGIN:VCARD\nN:Cut;Short\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 200);
  g_assert_cmpuint (fixture->n_scans, ==, 2);
  wait_ms (fixture, 300);
  g_assert_cmpuint (fixture->n_scans, ==, 3);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:BEGIN:VCARD\nN:Cut;Short]");

  /* Plain text is not held longer: a badge id ends after the usual gap. */
  g_string_truncate (fixture->log, 0);
  play (fixture, "FL-2026-000124\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 2 * FL_WEDGE_DEFAULT_GAP_US / 1000 + 5);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:FL-2026-000124]");
}

static void
test_bluetooth_hiccups (Fixture *fixture, gconstpointer data)
{
  play (fixture, "4006381333931\n", bluetooth, G_N_ELEMENTS (bluetooth));
  wait_ms (fixture, 500);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:4006381333931]");
}

static void
test_no_suffix (Fixture *fixture, gconstpointer data)
{
  /* Scanners set up without a suffix: the gap alone ends the burst. */
  play (fixture, "A1B2C3D4", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 100);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:A1B2C3D4]");
}

static void
test_tab_fields (Fixture *fixture, gconstpointer data)
{
  play (fixture, "12345\tMüller\tAnna\t", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 100);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:12345\tMüller\tAnna]");
}

static void
test_typing (Fixture *fixture, gconstpointer data)
{
  play (fixture, "Hallo Jürgen", slow_typist, G_N_ELEMENTS (slow_typist));
  play (fixture, " – schön\n", fast_typist, G_N_ELEMENTS (fast_typist));
  wait_ms (fixture, 1000);
  g_assert_cmpuint (fixture->n_scans, ==, 0);
  g_assert_cmpstr (fixture->log->str, ==, "Hallo Jürgen – schön{enter}");
}

static void
test_typing_held_briefly (Fixture *fixture, gconstpointer data)
{
  /* A typed key comes back once the gap has passed, not later. */
  press (fixture, 'x', 0);
  g_assert_cmpint (fl_wedge_detector_get_deadline (fixture->detector), ==,
                   fixture->now + FL_WEDGE_DEFAULT_GAP_US + 1);
  wait_ms (fixture, 34);
  g_assert_cmpstr (fixture->log->str, ==, "");
  wait_ms (fixture, 2);
  g_assert_cmpstr (fixture->log->str, ==, "x");
}

static void
test_rollover (Fixture *fixture, gconstpointer data)
{
  /* Two keys rolled within 20 ms by a quick typist are still typing. */
  static const guint rolled[] = { 200, 18, 150, 20, 170, 140 };

  play (fixture, "the cat", rolled, G_N_ELEMENTS (rolled));
  wait_ms (fixture, 500);
  g_assert_cmpuint (fixture->n_scans, ==, 0);
  g_assert_cmpstr (fixture->log->str, ==, "the cat");
}

static void
test_enter_alone (Fixture *fixture, gconstpointer data)
{
  g_assert_false (fl_wedge_detector_feed (fixture->detector, FL_WEDGE_KEY_ENTER, 0, 1));
  g_assert_false (fl_wedge_detector_feed (fixture->detector, FL_WEDGE_KEY_TAB, 0, 2));
  g_assert_false (fl_wedge_detector_is_holding (fixture->detector));
}

static void
test_mixed (Fixture *fixture, gconstpointer data)
{
  /* Staff type a note, a visitor's badge is scanned, staff go on typing:
   * everything comes out in order and the scan stays whole. */
  play (fixture, "ok\n", slow_typist, G_N_ELEMENTS (slow_typist));
  press (fixture, 'B', 400);
  play (fixture, "ADGE-77\n", usb, G_N_ELEMENTS (usb));
  play (fixture, "ja", slow_typist, G_N_ELEMENTS (slow_typist));
  wait_ms (fixture, 1000);
  g_assert_cmpstr (fixture->log->str, ==, "ok{enter}[scan:BADGE-77]ja");
}

static void
test_gap_configurable (Fixture *fixture, gconstpointer data)
{
  /* An old scanner at 50 ms a key reads as typing by default… */
  static const guint old_scanner[] = { 50 };

  play (fixture, "98765\n", old_scanner, 1);
  wait_ms (fixture, 500);
  g_assert_cmpstr (fixture->log->str, ==, "98765{enter}");

  /* …and as a scan once the gap is set for it. */
  g_string_truncate (fixture->log, 0);
  g_object_set (fixture->detector, "gap", (gint64) 60000, NULL);
  g_assert_cmpint (fl_wedge_detector_get_gap (fixture->detector), ==, 60000);
  play (fixture, "98765\n", old_scanner, 1);
  wait_ms (fixture, 500);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:98765]");
}

static void
test_min_length (Fixture *fixture, gconstpointer data)
{
  play (fixture, "42\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 200);
  g_assert_cmpstr (fixture->log->str, ==, "42<enter>");

  g_string_truncate (fixture->log, 0);
  fl_wedge_detector_set_min_length (fixture->detector, 2);
  play (fixture, "42\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 200);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:42]");
}

static void
test_back_to_back (Fixture *fixture, gconstpointer data)
{
  /* Two badges scanned 80 ms apart are two scans. */
  play (fixture, "FIRST-001\n", usb, G_N_ELEMENTS (usb));
  press (fixture, 'S', 80);
  play (fixture, "ECOND-002\n", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 200);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:FIRST-001][scan:SECOND-002]");
}

static void
test_flush (Fixture *fixture, gconstpointer data)
{
  /* The GUI flushes before a key it handles itself (Backspace here). */
  press (fixture, 'a', 0);
  fl_wedge_detector_flush (fixture->detector);
  g_assert_cmpstr (fixture->log->str, ==, "a");
  g_assert_false (fl_wedge_detector_is_holding (fixture->detector));

  play (fixture, "CODE-9", usb, G_N_ELEMENTS (usb));
  fl_wedge_detector_flush (fixture->detector);
  g_assert_cmpstr (fixture->log->str, ==, "a[scan:CODE-9]");
  fl_wedge_detector_flush (fixture->detector);
  g_assert_cmpuint (fixture->n_scans, ==, 1);
}

static void
reentrant_cb (FlWedgeDetector *detector, const char *payload, Fixture *fixture)
{
  /* A handler that feeds a key while handling a scan must not corrupt the
   * detector's state. */
  g_assert_true (fl_wedge_detector_feed (detector, FL_WEDGE_KEY_CHAR, 'z', fixture->now));
}

static void
test_reentrant (Fixture *fixture, gconstpointer data)
{
  g_signal_connect (fixture->detector, "scanned", G_CALLBACK (reentrant_cb), fixture);
  play (fixture, "ABCDEF", usb, G_N_ELEMENTS (usb));
  wait_ms (fixture, 200);
  g_assert_cmpstr (fixture->log->str, ==, "[scan:ABCDEF]z");
}

/* The key clock: event times (32-bit ms) onto the detector's timeline. */

static void
test_clock_event_times (void)
{
  FlKeyClock clock;
  gint64 handled = G_GINT64_CONSTANT (5000) * G_USEC_PER_SEC;
  gint64 first;

  fl_key_clock_init (&clock);
  /* Keys pressed 60 ms apart, all handled within a millisecond. */
  first = fl_key_clock_stamp (&clock, 100000, handled);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 100060, handled + 300), ==, first + 60000);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 100120, handled + 600), ==, first + 120000);
  /* Slightly out of order: a step back, not a wrap. */
  g_assert_cmpint (fl_key_clock_stamp (&clock, 100110, handled + 700), ==, first + 110000);
  /* Now counts from the latest key handled, not from when it was pressed. */
  g_assert_cmpint (fl_key_clock_now (&clock, handled + 600 + 10000), ==, first + 120000 + 10000);
}

static void
test_clock_wrap (void)
{
  FlKeyClock clock;
  gint64 handled = 7 * G_USEC_PER_SEC;
  gint64 first;

  fl_key_clock_init (&clock);
  /* 49.7 days of X server time: the next key is past the wrap. */
  first = fl_key_clock_stamp (&clock, G_MAXUINT32 - 20, handled);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 40, handled + 61000), ==, first + 61000);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 100, handled + 121000), ==, first + 121000);
}

static void
test_clock_no_time (void)
{
  FlKeyClock clock;
  gint64 handled = 9 * G_USEC_PER_SEC;
  gint64 first, second;

  fl_key_clock_init (&clock);
  /* Without event times, the handling clock is all there is. */
  g_assert_cmpint (fl_key_clock_stamp (&clock, 0, handled), ==, handled);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 0, handled + 2000), ==, handled + 2000);
  /* A timed key after them, and one without a time after it: placed by
   * how long after the timed one it was handled. */
  first = fl_key_clock_stamp (&clock, 5000, handled + 3000);
  g_assert_cmpint (first, >=, handled + 2000);
  second = fl_key_clock_stamp (&clock, 0, handled + 8000);
  g_assert_cmpint (second, ==, first + 5000);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 5100, handled + 9000), ==, first + 100000);
}

static void
test_clock_another_clock (void)
{
  FlKeyClock clock;
  gint64 handled = G_GINT64_CONSTANT (11) * G_USEC_PER_SEC;
  gint64 first, next;

  fl_key_clock_init (&clock);
  first = fl_key_clock_stamp (&clock, 200000, handled);
  /* The server restarted: its clock jumped back by minutes. The key goes
   * where the handling clock puts it, and the clock counts from there. */
  next = fl_key_clock_stamp (&clock, 300, handled + 80000);
  g_assert_cmpint (next, ==, first + 80000);
  g_assert_cmpint (fl_key_clock_stamp (&clock, 360, handled + 80500), ==, next + 60000);
  /* A day later than the handling clock says: not trusted either; the
   * key comes 9.5 ms of handling after the one before. */
  g_assert_cmpint (fl_key_clock_stamp (&clock, 360 + 86400000, handled + 90000), ==, next + 60000 + 9500);
}

/* Keys a person typed 60 ms apart, handled in one heap after the main
 * loop was busy for half a second: stamped with their event times, they
 * are typing; stamped with the time they were handled, a scan. */
static void
test_queued_typing (Fixture *fixture, gconstpointer data)
{
  const char *text = "Wants a demo in May";
  FlKeyClock clock;
  guint32 pressed_ms = 3000000;
  gint64 handled = fixture->now + 500 * 1000;

  fl_key_clock_init (&clock);
  for (const char *p = text; *p != '\0'; p++, pressed_ms += 60, handled += 20)
    if (!fl_wedge_detector_feed (fixture->detector, FL_WEDGE_KEY_CHAR, *p,
                                 fl_key_clock_stamp (&clock, pressed_ms, handled)))
      g_string_append_c (fixture->log, *p);
  fl_wedge_detector_tick (fixture->detector, fl_key_clock_now (&clock, handled + 100 * 1000));
  g_assert_cmpuint (fixture->n_scans, ==, 0);
  g_assert_cmpstr (fixture->log->str, ==, text);
}

/* A scanner burst handled in two heaps, the loop busy between them: the
 * detector's timer fires after the first heap, yet the burst is one scan,
 * as the timer counts from the last key handled. */
static void
test_queued_burst (Fixture *fixture, gconstpointer data)
{
  const char *text = "BADGE-4711-0815";
  FlKeyClock clock;
  guint32 pressed_ms = 4000000;
  gint64 handled = fixture->now;
  guint i = 0;

  fl_key_clock_init (&clock);
  for (const char *p = text; *p != '\0'; p++, i++, pressed_ms += 5)
    {
      if (i == 6)
        {
          /* The timer fired late, right before the next heap is read. */
          gint64 now = handled + 40 * 1000;

          fl_wedge_detector_tick (fixture->detector, fl_key_clock_now (&clock, now));
          handled = now + 1000;
        }
      g_assert_true (fl_wedge_detector_feed (fixture->detector, FL_WEDGE_KEY_CHAR, *p,
                                             fl_key_clock_stamp (&clock, pressed_ms, handled)));
      handled += 10;
    }
  fl_wedge_detector_feed (fixture->detector, FL_WEDGE_KEY_ENTER, 0,
                          fl_key_clock_stamp (&clock, pressed_ms, handled));
  fl_wedge_detector_tick (fixture->detector, fl_key_clock_now (&clock, handled + 200 * 1000));
  g_assert_cmpstr (fixture->log->str, ==, "[scan:BADGE-4711-0815]");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/wedge/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("usb-badge", test_usb_badge);
  ADD ("vcard-burst", test_vcard_burst);
  ADD ("open-structure", test_open_structure);
  ADD ("bluetooth-hiccups", test_bluetooth_hiccups);
  ADD ("no-suffix", test_no_suffix);
  ADD ("tab-fields", test_tab_fields);
  ADD ("typing", test_typing);
  ADD ("typing-held-briefly", test_typing_held_briefly);
  ADD ("rollover", test_rollover);
  ADD ("enter-alone", test_enter_alone);
  ADD ("mixed", test_mixed);
  ADD ("gap-configurable", test_gap_configurable);
  ADD ("min-length", test_min_length);
  ADD ("back-to-back", test_back_to_back);
  ADD ("flush", test_flush);
  ADD ("reentrant", test_reentrant);
  ADD ("queued-typing", test_queued_typing);
  ADD ("queued-burst", test_queued_burst);
#undef ADD
  g_test_add_func ("/wedge/clock/event-times", test_clock_event_times);
  g_test_add_func ("/wedge/clock/wrap", test_clock_wrap);
  g_test_add_func ("/wedge/clock/no-time", test_clock_no_time);
  g_test_add_func ("/wedge/clock/another-clock", test_clock_another_clock);

  return g_test_run ();
}
