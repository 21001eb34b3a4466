/* fl-gui-test.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fl-gui-test.h"

#ifdef GDK_WINDOWING_X11
#include <gdk/x11/gdkx.h>
#endif

/* Xvfb starts with the pointer in the middle of the screen, over the
 * window under test, and other test processes' windows come and go above
 * it: GTK then starts hover timers (tooltips) no test asked for, and GTK
 * 4.8 can trip over them. The pointer goes to the screen's far corner,
 * clear of every window a test opens (1024×700 at most). */
void
fl_gui_test_park_pointer (void)
{
#ifdef GDK_WINDOWING_X11
  GdkDisplay *display = gdk_display_get_default ();

  if (display != NULL && GDK_IS_X11_DISPLAY (display))
    {
      Display *xdisplay = gdk_x11_display_get_xdisplay (display);
      int screen = DefaultScreen (xdisplay);

      XWarpPointer (xdisplay, None, RootWindow (xdisplay, screen), 0, 0, 0, 0,
                    DisplayWidth (xdisplay, screen) - 1, DisplayHeight (xdisplay, screen) - 1);
      XFlush (xdisplay);
    }
#endif
}
