/* fl-gui-test.c: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "fl-gui-test.h"

#include <X11/Xlib.h>

/* Xvfb starts with the pointer in the middle of the screen, over the
 * window under test, and other test processes' windows come and go above
 * it: GTK then starts hover timers (tooltips) no test asked for, and GTK
 * 4.8 can trip over them. The pointer goes to the screen's far corner,
 * clear of every window a test opens (1024×700 at most). On a connection
 * of its own: requests made on GDK's behind its back upset its X error
 * traps. */
void
fl_gui_test_park_pointer (void)
{
  Display *xdisplay = XOpenDisplay (NULL);
  int screen;

  if (xdisplay == NULL)
    return;
  screen = DefaultScreen (xdisplay);
  XWarpPointer (xdisplay, None, RootWindow (xdisplay, screen), 0, 0, 0, 0,
                DisplayWidth (xdisplay, screen) - 1, DisplayHeight (xdisplay, screen) - 1);
  XSync (xdisplay, False);
  XCloseDisplay (xdisplay);
}
