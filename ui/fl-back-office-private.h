/* fl-back-office-private.h: what the GUI tests reach inside the back office
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "fl-booth-page.h"
#include "fl-types.h"
#include "store/fl-lead-list.h"

G_BEGIN_DECLS

FlPinPage           *_fl_back_office_get_pin_page      (FlBackOffice *self);
FlLeadsPage         *_fl_back_office_get_leads_page    (FlBackOffice *self);
FlDashboard         *_fl_back_office_get_dashboard     (FlBackOffice *self);
void                 _fl_back_office_show_view         (FlBackOffice *self,
                                                        const char   *name);
FlPreferencesWindow *_fl_back_office_show_preferences  (FlBackOffice *self);
FlPreferencesWindow *_fl_back_office_get_preferences   (FlBackOffice *self);

AdwComboRow         *_fl_pin_page_get_staff_row        (FlPinPage    *self);
GtkEditable         *_fl_pin_page_get_pin_entry        (FlPinPage    *self);
GtkLabel            *_fl_pin_page_get_message          (FlPinPage    *self);
GtkWidget           *_fl_pin_page_get_unlock_button    (FlPinPage    *self);
GtkWidget           *_fl_pin_page_get_keypad_key       (FlPinPage    *self,
                                                        const char   *key);
void                 _fl_pin_page_get_first_run_entries (FlPinPage   *self,
                                                        GtkEditable **name,
                                                        GtkEditable **pin,
                                                        GtkEditable **repeat);

GtkEditable         *_fl_leads_page_get_search_entry   (FlLeadsPage  *self);
GtkDropDown         *_fl_leads_page_get_filter         (FlLeadsPage  *self,
                                                        const char   *name);
GtkColumnView       *_fl_leads_page_get_column_view    (FlLeadsPage  *self);
FlLeadList          *_fl_leads_page_get_list           (FlLeadsPage  *self);
FlLeadDetail        *_fl_leads_page_get_detail         (FlLeadsPage  *self);
void                 _fl_leads_page_export             (FlLeadsPage  *self,
                                                        const char   *path,
                                                        gboolean      selected_only);
gint64               _fl_leads_page_get_count_time     (FlLeadsPage  *self);
void                 _fl_leads_page_flush_search       (FlLeadsPage  *self);
void                 _fl_leads_page_sort_by            (FlLeadsPage  *self,
                                                        guint         column,
                                                        GtkSortType   direction);

GtkWidget           *_fl_preferences_window_get_apply_button (FlPreferencesWindow *self);
FlBoothPage         *_fl_preferences_window_get_booth_page (FlPreferencesWindow *self);
AdwMessageDialog    *_fl_preferences_window_ask_remove_connector (FlPreferencesWindow *self,
                                                                 const char          *name);
AdwMessageDialog    *_fl_preferences_window_add_connector (FlPreferencesWindow *self);
AdwMessageDialog    *_fl_preferences_window_edit_connector (FlPreferencesWindow *self,
                                                           const char          *name);
GtkEditable         *_fl_preferences_window_get_event_entry (FlPreferencesWindow *self,
                                                        guint         index);
gboolean             _fl_preferences_window_show_page  (FlPreferencesWindow *self,
                                                        guint         index);
GtkCalendar         *_fl_preferences_window_get_event_calendar (FlPreferencesWindow *self,
                                                        guint         index);
FlKioskPage         *_fl_preferences_window_get_kiosk_page (FlPreferencesWindow *self);
void                 _fl_kiosk_page_set_cameras        (FlKioskPage  *self,
                                                        GListModel   *cameras);
AdwComboRow         *_fl_kiosk_page_get_camera_row     (FlKioskPage  *self);

GStrv                _fl_dashboard_get_staff_labels    (FlDashboard  *self);
GArray              *_fl_dashboard_get_hour_label_rects (FlDashboard *self,
                                                        GPtrArray   **texts);

AdwMessageDialog    *_fl_lead_detail_open_override     (FlLeadDetail *self);
GtkWidget           *_fl_lead_detail_get_clear_override (FlLeadDetail *self);

G_END_DECLS
