/* fl-preferences-window.h: the event, staff, scoring model, roster,
 * connectors and kiosk settings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_PREFERENCES_WINDOW (fl_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (FlPreferencesWindow, fl_preferences_window, FL, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *fl_preferences_window_new          (FlStore             *store,
                                               const char          *actor);
gboolean   fl_preferences_window_save_event   (FlPreferencesWindow *self,
                                               GError             **error);
gboolean   fl_preferences_window_preview_roster (FlPreferencesWindow *self,
                                               const char          *path,
                                               GError             **error);
gboolean   fl_preferences_window_import_roster (FlPreferencesWindow *self,
                                               GError             **error);
gboolean   fl_preferences_window_load_model   (FlPreferencesWindow *self,
                                               const char          *path,
                                               GError             **error);
void       fl_preferences_window_apply_model_async  (FlPreferencesWindow *self,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gint64     fl_preferences_window_apply_model_finish (FlPreferencesWindow *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);
void       fl_preferences_window_upload_now   (FlPreferencesWindow *self);

G_END_DECLS
