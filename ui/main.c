/* main.c: fairlead, the kiosk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>

#include "fl-application.h"
#include "store/fl-privacy.h"

int
main (int argc, char *argv[])
{
  g_autoptr(FlApplication) app = NULL;

  /* A stolen kiosk's core dumps would hold visitors' data. */
  fl_privacy_protect_process ();
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  app = fl_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
