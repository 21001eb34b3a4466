/* fl-window-wedge.c: the keyboard-wedge scanner at the kiosk window
 *
 * A badge scanner types its payload as fast keystrokes, wherever the
 * focus is. The window's capture-phase key controller (in fl-window.ui)
 * stamps each key with the time it was pressed and feeds it to the
 * detector, which holds it for a moment; a burst ending in Enter becomes
 * a capture, and a person's keys come back through ::typed and are
 * delivered to the focused widget as if they had never been held.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include "fl-window-private.h"

static void
deliver_key (FlWindow *self, FlWedgeKey key, gunichar character)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  if (key == FL_WEDGE_KEY_TAB)
    {
      gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
      return;
    }
  if (focus == NULL)
    return;

  if (GTK_IS_TEXT_VIEW (focus))
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (focus));
      char text[7] = { 0 };

      if (!gtk_text_view_get_editable (GTK_TEXT_VIEW (focus)))
        return;
      if (key == FL_WEDGE_KEY_ENTER)
        text[0] = '\n';
      else
        g_unichar_to_utf8 (character, text);
      gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
      gtk_text_buffer_insert_interactive_at_cursor (buffer, text, -1, TRUE);
      gtk_text_view_scroll_mark_onscreen (GTK_TEXT_VIEW (focus), gtk_text_buffer_get_insert (buffer));
      return;
    }
  if (GTK_IS_EDITABLE (focus))
    {
      GtkEditable *editable = GTK_EDITABLE (focus);
      char text[7] = { 0 };
      int position;

      if (key == FL_WEDGE_KEY_ENTER)
        {
          gtk_widget_activate (focus);
          return;
        }
      if (!gtk_editable_get_editable (editable))
        return;
      gtk_editable_delete_selection (editable);
      position = gtk_editable_get_position (editable);
      gtk_editable_insert_text (editable, text, g_unichar_to_utf8 (character, text), &position);
      gtk_editable_set_position (editable, position);
      return;
    }
  /* Enter and Space press the focused button, as they would have. */
  if (key == FL_WEDGE_KEY_ENTER || character == ' ')
    gtk_widget_activate (focus);
}

static void
wedge_typed_cb (FlWedgeDetector *wedge, guint key, guint character, gpointer user_data)
{
  deliver_key (FL_WINDOW (user_data), key, character);
}

static void
wedge_scanned_cb (FlWedgeDetector *wedge, const char *payload, gpointer user_data)
{
  FlWindow *self = user_data;

  /* A booth's join code is never a lead, with or without an event. */
  if (_fl_window_booth_code_scanned (self, payload))
    return;
  if (self->store == NULL || self->event == NULL)
    return;
  _fl_window_capture (self, payload, FL_SOURCE_BADGE, NULL, NULL);
}

static gboolean
wedge_timeout_cb (gpointer user_data)
{
  FlWindow *self = user_data;

  self->wedge_timeout_id = 0;
  fl_wedge_detector_tick (self->wedge, fl_key_clock_now (&self->key_clock, g_get_monotonic_time ()));
  return G_SOURCE_REMOVE;
}

static void
arm_wedge_timer (FlWindow *self)
{
  gint64 deadline = fl_wedge_detector_get_deadline (self->wedge);
  gint64 wait;

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  if (deadline < 0)
    return;
  wait = deadline - fl_key_clock_now (&self->key_clock, g_get_monotonic_time ());
  /* Below the window system's events: keys already queued are read
   * before the timer may end what is held. */
  self->wedge_timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT + 1, MAX (0, (wait + 999) / 1000),
                                               wedge_timeout_cb, self, NULL);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller, guint keyval, guint keycode,
                GdkModifierType state, gpointer user_data)
{
  FlWindow *self = user_data;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  FlWedgeKey key;
  gunichar character = 0;
  gint64 pressed;
  gboolean held;

  _fl_window_restart_idle (self);

  /* Scanners press Shift for capitals: a bare modifier is no key. */
  switch (keyval)
    {
    case GDK_KEY_Shift_L: case GDK_KEY_Shift_R: case GDK_KEY_Control_L: case GDK_KEY_Control_R:
    case GDK_KEY_Alt_L: case GDK_KEY_Alt_R: case GDK_KEY_Super_L: case GDK_KEY_Super_R:
    case GDK_KEY_Caps_Lock: case GDK_KEY_ISO_Level3_Shift: case GDK_KEY_Meta_L: case GDK_KEY_Meta_R:
      return GDK_EVENT_PROPAGATE;
    default:
      break;
    }

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    key = (FlWedgeKey) -1;
  else if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
           keyval == GDK_KEY_Linefeed)
    key = FL_WEDGE_KEY_ENTER;
  else if (keyval == GDK_KEY_Tab)
    key = FL_WEDGE_KEY_TAB;
  else if ((character = gdk_keyval_to_unicode (keyval)) != 0 && g_unichar_isprint (character))
    key = FL_WEDGE_KEY_CHAR;
  else
    key = (FlWedgeKey) -1;

  if (key == (FlWedgeKey) -1)
    {
      /* Shortcuts, arrows, Backspace: whatever was held goes first. */
      fl_wedge_detector_flush (self->wedge);
      arm_wedge_timer (self);
      return GDK_EVENT_PROPAGATE;
    }

  /* When the key was pressed, not when it is handled: keys a person typed
   * queue while the main loop is busy and would look like a burst. */
  pressed = fl_key_clock_stamp (&self->key_clock, event != NULL ? gdk_event_get_time (event) : 0,
                                g_get_monotonic_time ());
  held = fl_wedge_detector_feed (self->wedge, key, character, pressed);
  arm_wedge_timer (self);
  return held ? GDK_EVENT_STOP : GDK_EVENT_PROPAGATE;
}

void
_fl_window_class_wedge_init (FlWindowClass *klass)
{
  gtk_widget_class_bind_template_callback (GTK_WIDGET_CLASS (klass), key_pressed_cb);
}

void
_fl_window_wedge_init (FlWindow *self)
{
  self->wedge = fl_wedge_detector_new ();
  fl_key_clock_init (&self->key_clock);
  g_signal_connect (self->wedge, "scanned", G_CALLBACK (wedge_scanned_cb), self);
  g_signal_connect (self->wedge, "typed", G_CALLBACK (wedge_typed_cb), self);
}

void
_fl_window_wedge_dispose (FlWindow *self)
{
  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  if (self->wedge != NULL)
    g_signal_handlers_disconnect_by_data (self->wedge, self);
  g_clear_object (&self->wedge);
}
