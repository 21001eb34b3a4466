/* fl-gui-test.h: what the GUI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fl-application.h"
#include "fl-window.h"
#include "store/fl-store.h"

G_BEGIN_DECLS

/* A kiosk on a demo database of its own, in a temporary directory. */
typedef struct
{
  char          *tmpdir;
  FlApplication *app;
  FlWindow      *window;
  FlStore       *store;   /* the test's connection to the kiosk's database */
} FlGuiTestFixture;

char    *fl_gui_test_fixture_start     (FlGuiTestFixture *fixture,
                                        const char       *tmpdir_template);
void     fl_gui_test_fixture_tear_down (FlGuiTestFixture *fixture,
                                        gconstpointer     data);
void     fl_gui_test_size_window       (FlWindow         *window,
                                        int               width,
                                        int               height);

gboolean fl_gui_test_no_display   (int          *argc,
                                   char       ***argv,
                                   const char   *skip_path);
void     fl_gui_test_park_pointer (void);
void     fl_gui_test_iterate      (void);
void     fl_gui_test_settle       (guint        ms);
void     fl_gui_test_wait_for_page (FlWindow   *window,
                                   const char *name,
                                   guint       seconds);
void     fl_gui_test_scan_burst   (FlWindow    *window,
                                   const char  *text);
double   fl_gui_test_scan         (FlWindow    *window,
                                   const char  *text);
GdkTexture *fl_gui_test_render    (GtkWidget   *widget,
                                   guint        settle_ms);
char    *fl_gui_test_text_view_text (GtkTextView *view);
void     fl_gui_test_enter_pin    (GtkWidget   *back_office);
void     fl_gui_test_tap          (gpointer     widget);
FlLead  *fl_gui_test_find_lead    (FlStore     *store,
                                   const char  *email);
gint64   fl_gui_test_count_leads  (FlStore     *store);

G_END_DECLS
