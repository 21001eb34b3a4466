/* fl-wedge-detector.c: tells a keyboard-wedge scanner from a person typing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A USB or Bluetooth badge scanner is a keyboard: it types the payload a
 * character every few milliseconds, usually ending with Enter, and a vCard
 * arrives with Enter between its lines. The kiosk must take such a burst as
 * one scan wherever the focus is, and leave what a person types alone.
 *
 * The detector cannot know from the first key whether a burst follows, so
 * it holds keys until it does: when the next key arrives later than the gap
 * (or the GUI's timer calls tick() at the deadline), the keys held so far
 * were either a burst — emitted as one payload with ::scanned — or typing,
 * handed back one by one with ::typed for the GUI to deliver. A person's
 * key is thus delayed by the gap (35 ms), which nobody notices.
 *
 * How the GUI uses it:
 *  - feed() every key press that types a character, Enter or Tab (not bare
 *    modifier presses: scanners press Shift for capitals). When feed()
 *    returns FALSE, handle the key as usual; when TRUE, swallow it.
 *  - Before handling any other key (arrows, Backspace, shortcuts), call
 *    flush(), so held keys are delivered first and order is kept.
 *  - After each feed(), (re)arm a timer for get_deadline() and call tick()
 *    when it fires.
 *  - Deliver keys from ::typed directly to the focused widget; do not feed
 *    them again.
 */
#define G_LOG_DOMAIN "fl-wedge"

#include "config.h"

#include <string.h>

#include "fl-wedge-detector.h"

typedef struct
{
  FlWedgeKey key;
  gunichar   character;
} Held;

struct _FlWedgeDetector
{
  GObject  parent_instance;

  GArray  *held;        /* of Held */
  guint    n_chars;     /* FL_WEDGE_KEY_CHAR entries in held */
  gint64   last_time;   /* of the last held key */
  char     start[12];   /* the first characters held, upper case (ASCII only) */
  char     tail[12];    /* the last ones, upper case, newest last */
  gboolean open;        /* a vCard or MECARD begun and not yet ended */
  gint64   gap;
  guint    min_length;
};

G_DEFINE_FINAL_TYPE (FlWedgeDetector, fl_wedge_detector, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_GAP,
  PROP_MIN_LENGTH,
  N_PROPS
};

enum {
  SCANNED,
  TYPED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Once a burst has proven itself, a late key may still belong to it: USB
 * polling and Bluetooth radios now and then delay a key by a few tens of
 * milliseconds, still far quicker than a person types. */
static gint64
allowed_gap (FlWedgeDetector *self)
{
  /* A vCard or MECARD announces its end (END:VCARD, ";;"): until it comes,
   * a longer pause (a radio that stalls, a scanner switching keyboard
   * maps) is still inside the scan. No person types BEGIN:VCARD within
   * the gap, so no typing is held longer for it. */
  if (self->open)
    return MAX (2 * self->gap, FL_WEDGE_OPEN_GAP_US);
  return self->n_chars >= self->min_length ? 2 * self->gap : self->gap;
}

static void
reset_structure (FlWedgeDetector *self)
{
  self->open = FALSE;
  memset (self->start, 0, sizeof self->start);
  /* Blanks, so the tail is a string of its full length from the start. */
  memset (self->tail, ' ', sizeof self->tail - 1);
  self->tail[sizeof self->tail - 1] = '\0';
}

/* Follows the start and the end of what is held, to know whether a
 * structured payload is still open. */
static void
track_structure (FlWedgeDetector *self, FlWedgeKey key, gunichar character)
{
  char c = key == FL_WEDGE_KEY_ENTER ? '\n'
           : key == FL_WEDGE_KEY_TAB ? '\t'
           : character < 0x80 ? g_ascii_toupper ((char) character) : '?';
  gsize len = sizeof self->tail - 1;

  if (key == FL_WEDGE_KEY_CHAR && self->n_chars <= sizeof self->start - 1)
    {
      self->start[self->n_chars - 1] = c;
      self->start[self->n_chars] = '\0';
      if (g_str_equal (self->start, "BEGIN:VCARD") || g_str_equal (self->start, "MECARD:"))
        self->open = TRUE;
    }
  memmove (self->tail, self->tail + 1, len - 1);
  self->tail[len - 1] = c;
  self->tail[len] = '\0';
  if (self->open &&
      (g_str_has_suffix (self->tail, "END:VCARD") ||
       (g_str_has_prefix (self->start, "MECARD:") && g_str_has_suffix (self->tail, ";;"))))
    self->open = FALSE;
}

static char *
payload_from_held (GArray *held)
{
  GString *text = g_string_new (NULL);
  guint n = held->len;

  /* The scanner's suffix (Enter or Tab) ends the burst; it is no data. */
  while (n > 0 && g_array_index (held, Held, n - 1).key != FL_WEDGE_KEY_CHAR)
    n--;
  for (guint i = 0; i < n; i++)
    {
      const Held *h = &g_array_index (held, Held, i);

      switch (h->key)
        {
        case FL_WEDGE_KEY_ENTER:
          g_string_append_c (text, '\n');
          break;
        case FL_WEDGE_KEY_TAB:
          g_string_append_c (text, '\t');
          break;
        case FL_WEDGE_KEY_CHAR:
        default:
          g_string_append_unichar (text, h->character);
          break;
        }
    }
  return g_string_free (text, FALSE);
}

/* Decides what the held keys were. Handlers may feed again: the held keys
 * are taken out before any signal is emitted. */
static void
finish (FlWedgeDetector *self)
{
  g_autoptr(GArray) held = NULL;
  guint n_chars = self->n_chars;

  if (self->held->len == 0)
    return;

  held = g_steal_pointer (&self->held);
  self->held = g_array_new (FALSE, FALSE, sizeof (Held));
  self->n_chars = 0;
  reset_structure (self);

  g_object_ref (self);
  if (n_chars >= self->min_length)
    {
      g_autofree char *payload = payload_from_held (held);

      g_signal_emit (self, signals[SCANNED], 0, payload);
    }
  else
    for (guint i = 0; i < held->len; i++)
      {
        const Held *h = &g_array_index (held, Held, i);

        g_signal_emit (self, signals[TYPED], 0, (guint) h->key, (guint) h->character);
      }
  g_object_unref (self);
}

static void
fl_wedge_detector_finalize (GObject *object)
{
  FlWedgeDetector *self = FL_WEDGE_DETECTOR (object);

  g_clear_pointer (&self->held, g_array_unref);

  G_OBJECT_CLASS (fl_wedge_detector_parent_class)->finalize (object);
}

static void
fl_wedge_detector_get_property (GObject *object, guint prop_id, GValue *value,
                                GParamSpec *pspec)
{
  FlWedgeDetector *self = FL_WEDGE_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_GAP:
      g_value_set_int64 (value, self->gap);
      break;
    case PROP_MIN_LENGTH:
      g_value_set_uint (value, self->min_length);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_wedge_detector_set_property (GObject *object, guint prop_id, const GValue *value,
                                GParamSpec *pspec)
{
  FlWedgeDetector *self = FL_WEDGE_DETECTOR (object);

  switch (prop_id)
    {
    case PROP_GAP:
      fl_wedge_detector_set_gap (self, g_value_get_int64 (value));
      break;
    case PROP_MIN_LENGTH:
      fl_wedge_detector_set_min_length (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_wedge_detector_class_init (FlWedgeDetectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_wedge_detector_finalize;
  object_class->get_property = fl_wedge_detector_get_property;
  object_class->set_property = fl_wedge_detector_set_property;

  /**
   * FlWedgeDetector:gap:
   *
   * The longest pause between two keys of a scanner burst, in µs.
   */
  properties[PROP_GAP] =
    g_param_spec_int64 ("gap", NULL, NULL, 1000, G_USEC_PER_SEC, FL_WEDGE_DEFAULT_GAP_US,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * FlWedgeDetector:min-length:
   *
   * The fewest characters a burst needs to count as a scan: two keys a
   * person rolls quickly are no badge.
   */
  properties[PROP_MIN_LENGTH] =
    g_param_spec_uint ("min-length", NULL, NULL, 1, 1024, FL_WEDGE_DEFAULT_MIN_LENGTH,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlWedgeDetector::scanned:
   * @payload: the burst as text, lines joined by "\n", without the suffix
   *
   * A scanner burst ended.
   */
  signals[SCANNED] = g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1,
                                   G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
  /**
   * FlWedgeDetector::typed:
   * @key: a #FlWedgeKey
   * @character: the character for %FL_WEDGE_KEY_CHAR
   *
   * A key held back was typed by a person: deliver it to the focused widget.
   */
  signals[TYPED] = g_signal_new ("typed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
fl_wedge_detector_init (FlWedgeDetector *self)
{
  self->held = g_array_new (FALSE, FALSE, sizeof (Held));
  reset_structure (self);
  self->gap = FL_WEDGE_DEFAULT_GAP_US;
  self->min_length = FL_WEDGE_DEFAULT_MIN_LENGTH;
}

FlWedgeDetector *
fl_wedge_detector_new (void)
{
  return g_object_new (FL_TYPE_WEDGE_DETECTOR, NULL);
}

gint64
fl_wedge_detector_get_gap (FlWedgeDetector *self)
{
  g_return_val_if_fail (FL_IS_WEDGE_DETECTOR (self), FL_WEDGE_DEFAULT_GAP_US);

  return self->gap;
}

guint
fl_wedge_detector_get_min_length (FlWedgeDetector *self)
{
  g_return_val_if_fail (FL_IS_WEDGE_DETECTOR (self), FL_WEDGE_DEFAULT_MIN_LENGTH);

  return self->min_length;
}

/**
 * fl_wedge_detector_get_deadline:
 *
 * Returns: the time (in the clock of the timestamps fed) at which tick()
 *   must be called, or -1 when no key is held
 */
gint64
fl_wedge_detector_get_deadline (FlWedgeDetector *self)
{
  g_return_val_if_fail (FL_IS_WEDGE_DETECTOR (self), -1);

  if (self->held->len == 0)
    return -1;
  return self->last_time + allowed_gap (self) + 1;
}

/**
 * fl_wedge_detector_is_holding:
 *
 * Returns: whether keys are held, waiting to be told burst or typing
 */
gboolean
fl_wedge_detector_is_holding (FlWedgeDetector *self)
{
  g_return_val_if_fail (FL_IS_WEDGE_DETECTOR (self), FALSE);

  return self->held->len > 0;
}

void
fl_wedge_detector_set_gap (FlWedgeDetector *self, gint64 gap_us)
{
  g_return_if_fail (FL_IS_WEDGE_DETECTOR (self));
  g_return_if_fail (gap_us >= 1000 && gap_us <= G_USEC_PER_SEC);

  if (self->gap == gap_us)
    return;
  self->gap = gap_us;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GAP]);
}

void
fl_wedge_detector_set_min_length (FlWedgeDetector *self, guint min_length)
{
  g_return_if_fail (FL_IS_WEDGE_DETECTOR (self));
  g_return_if_fail (min_length >= 1 && min_length <= 1024);

  if (self->min_length == min_length)
    return;
  self->min_length = min_length;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MIN_LENGTH]);
}

/**
 * fl_wedge_detector_feed:
 * @key: what the key types
 * @character: the character, for %FL_WEDGE_KEY_CHAR
 * @time_us: when the key was pressed, in µs of a monotonic clock (the key
 *   event's own time, not the time it was handled)
 *
 * Returns: %TRUE when the detector holds the key (swallow it; it comes
 *   back through ::typed or ::scanned), %FALSE when the GUI handles it now
 */
gboolean
fl_wedge_detector_feed (FlWedgeDetector *self, FlWedgeKey key, gunichar character,
                        gint64 time_us)
{
  Held held = { key, key == FL_WEDGE_KEY_CHAR ? character : 0 };

  g_return_val_if_fail (FL_IS_WEDGE_DETECTOR (self), FALSE);
  g_return_val_if_fail (key <= FL_WEDGE_KEY_TAB, FALSE);
  g_return_val_if_fail (key != FL_WEDGE_KEY_CHAR || g_unichar_validate (character), FALSE);

  if (self->held->len > 0 && time_us - self->last_time > allowed_gap (self))
    finish (self);

  /* A burst starts with data: Enter or Tab on their own are a person's. */
  if (self->held->len == 0 && key != FL_WEDGE_KEY_CHAR)
    return FALSE;

  g_array_append_val (self->held, held);
  if (key == FL_WEDGE_KEY_CHAR)
    self->n_chars++;
  track_structure (self, key, held.character);
  /* Event times can arrive slightly out of order; keep the latest. */
  if (self->held->len == 1 || time_us > self->last_time)
    self->last_time = time_us;
  return TRUE;
}

/**
 * fl_wedge_detector_tick:
 * @now_us: the current time, in the clock of the timestamps fed
 *
 * Ends the held keys when the gap since the last one has passed.
 */
void
fl_wedge_detector_tick (FlWedgeDetector *self, gint64 now_us)
{
  g_return_if_fail (FL_IS_WEDGE_DETECTOR (self));

  if (self->held->len > 0 && now_us - self->last_time > allowed_gap (self))
    finish (self);
}

/**
 * fl_wedge_detector_flush:
 *
 * Decides about the held keys now, before the GUI handles a key it does not
 * feed, or when the window loses focus.
 */
void
fl_wedge_detector_flush (FlWedgeDetector *self)
{
  g_return_if_fail (FL_IS_WEDGE_DETECTOR (self));

  finish (self);
}
