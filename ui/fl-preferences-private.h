/* fl-preferences-private.h: what the settings pages share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-connectors-page.h"
#include "fl-event-page.h"
#include "fl-model-page.h"

G_BEGIN_DECLS

/* Called with the page and the name the question was about. */
typedef void (*FlPreferencesNameFunc) (GtkWidget  *page,
                                       const char *name);

void              _fl_preferences_toast         (GtkWidget             *widget,
                                                 const char            *text);
char             *_fl_preferences_entry_text    (gpointer               editable);
void              _fl_preferences_wrap_rows     (GtkWidget             *widget);
GtkWidget        *_fl_preferences_add_row       (AdwPreferencesGroup   *group,
                                                 GPtrArray             *rows,
                                                 const char            *title,
                                                 const char            *subtitle);
void              _fl_preferences_clear_rows    (AdwPreferencesGroup   *group,
                                                 GPtrArray             *rows);
GtkWidget        *_fl_preferences_action_button (const char            *label,
                                                 const char            *icon_name,
                                                 const char            *action,
                                                 const char            *name);
AdwMessageDialog *_fl_preferences_ask_to_remove (GtkWidget             *page,
                                                 const char            *heading,
                                                 const char            *body,
                                                 const char            *name,
                                                 FlPreferencesNameFunc  remove);
void              _fl_preferences_open_file     (GtkWidget             *page,
                                                 const char            *title,
                                                 const char            *filter_name,
                                                 const char            *pattern,
                                                 FlPreferencesNameFunc  chosen);

GtkCalendar      *_fl_event_page_get_calendar               (FlEventPage      *self,
                                                            guint             index);
GtkEditable      *_fl_event_page_get_entry                  (FlEventPage      *self,
                                                            guint             index);
GtkWidget        *_fl_model_page_get_apply_button           (FlModelPage      *self);
AdwMessageDialog *_fl_connectors_page_add_connector         (FlConnectorsPage *self);
AdwMessageDialog *_fl_connectors_page_edit_connector        (FlConnectorsPage *self,
                                                            const char       *name);
AdwMessageDialog *_fl_connectors_page_ask_remove_connector  (FlConnectorsPage *self,
                                                            const char       *name);

G_END_DECLS
