/* fl-window-private.h: what the files of FlWindow share, and the widgets
 * the GUI tests look at
 *
 * The window is one object split by concern, as GNOME Text Editor splits
 * its window: fl-window.c (pages, capture, the object), fl-window-actions.c
 * (every win.* action and their enabled state), fl-window-wedge.c (the
 * keyboard-wedge scanner), fl-window-backup.c (rolling backups and the
 * damage check), fl-window-card.c (business cards) and fl-window-staff.c
 * (who is at the booth).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-lead-page.h"
#include "fl-lead-page-private.h"
#include "fl-scan-page.h"
#include "fl-staff-picker.h"
#include "fl-thanks-page.h"
#include "fl-upload-button.h"
#include "fl-window.h"
#include "scan/fl-card-reader.h"
#include "scan/fl-key-clock.h"
#include "scan/fl-wedge-detector.h"
#include "score/fl-model.h"
#include "sync/fl-upload-worker.h"

G_BEGIN_DECLS

struct _FlWindow
{
  AdwApplicationWindow  parent_instance;

  FlStore              *store;
  char                 *database_path;
  GSettings            *settings;
  FlEvent              *event;
  FlModel              *model;
  FlUploadWorker       *worker;
  char                 *staff;
  GPtrArray            *unnamed_leads;  /* uuids captured with nobody named, for the picker's answer */

  FlWedgeDetector      *wedge;
  FlKeyClock            key_clock;        /* the wedge detector's timeline: key event times */
  guint                 wedge_timeout_id;
  guint                 idle_ms;
  guint                 idle_id;
  AdwToast             *toast;      /* the last one, dismissed with the lead */
  gint64                toast_shown;      /* monotonic µs when it was added */
  guint                 idle_warning_id;  /* the countdown of the last seconds before the timeout */
  gint64                idle_deadline;    /* monotonic µs of the timeout */
  int                   idle_left;        /* seconds the countdown shows */
  GtkRevealer          *idle_revealer;    /* “Still talking? Tap to stay” */
  GtkLabel             *idle_label;

  FlCardReader         *card_reader;      /* created on the first card, then reused */
  GCancellable         *card_cancellable; /* the card being read, if any */
  gint64                card_started;     /* monotonic µs when “Business card” was pressed */

  /* The database's health: a quick check at start and after each backup,
   * rolling backups on a timer and at Done; both on worker threads. */
  GCancellable         *health_cancellable;
  gboolean              damaged;          /* found damaged: capture is refused */
  gboolean              checking;
  gboolean              backing_up;
  gint64                last_backup;      /* monotonic µs, 0 for none yet */
  guint                 backup_timer_id;
  guint                 backup_ms;        /* tests: the interval in ms, 0 for the settings */

  /* The booth: the sync service while the database is in one. */
  FlBoothService       *booth_service;
  GCancellable         *booth_cancellable;
  GtkWidget            *booth_dialog;     /* "Join a Booth?" on show */
  char                 *booth_error;      /* why the service did not start */
  gboolean              booth_unreachable; /* the last round reached no kiosk */
  gboolean              booth_joining;

  /* Template widgets */
  AdwWindowTitle       *window_title;
  GtkMenuButton        *staff_button;
  GtkLabel             *staff_label;
  GtkLabel             *booth_label;
  FlUploadButton       *upload_button;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  FlStaffPicker        *staff_picker;  /* over the pages, when who is at the booth is asked */
  GtkWidget            *back_office;   /* created on first use, a page of the stack */
  GtkButton            *back_office_button;
  FlScanPage           *scan_page;
  FlLeadPage           *lead_page;
  FlThanksPage         *thanks_page;
  AdwStatusPage        *no_event_page;
  GtkLabel             *command_label;
  AdwStatusPage        *error_page;
  GtkLabel             *error_hint_label;
  AdwStatusPage        *damaged_page;
  GtkLabel             *damaged_command_label;
  GtkLabel             *damaged_detail_label;
};

/* A business card read for a capture: the photo and what was read on it. */
typedef struct
{
  GdkPixbuf    *photo;
  FlCardResult *result;
} FlWindowCard;

/* fl-window.c */
void             _fl_window_show_toast          (FlWindow           *self,
                                                 const char         *title,
                                                 guint               timeout);
void             _fl_window_dismiss_toast       (FlWindow           *self);
gboolean         _fl_window_save_open_lead      (FlWindow           *self);
void             _fl_window_restart_idle        (FlWindow           *self);
void             _fl_window_show_scan_page      (FlWindow           *self);
gboolean         _fl_window_show_back_office    (FlWindow           *self);
void             _fl_window_capture             (FlWindow           *self,
                                                 const char         *payload,
                                                 FlSource            source,
                                                 FlLead             *entered,
                                                 const FlWindowCard *card);

void             _fl_window_reopen_lead         (FlWindow           *self,
                                                 const char         *uuid,
                                                 gboolean            merged);

/* fl-window-staff.c */
void             _fl_window_staff_init          (FlWindow           *self,
                                                 GtkOverlay         *overlay);
void             _fl_window_show_staff_picker   (FlWindow           *self,
                                                 gboolean            can_cancel);
void             _fl_window_hide_staff_picker   (FlWindow           *self);

/* fl-window-actions.c */
void             _fl_window_class_actions_init  (FlWindowClass      *klass);
void             _fl_window_update_actions      (FlWindow           *self);

/* fl-window-wedge.c */
void             _fl_window_class_wedge_init    (FlWindowClass      *klass);
void             _fl_window_wedge_init          (FlWindow           *self);
void             _fl_window_wedge_dispose       (FlWindow           *self);

/* fl-window-backup.c */
void             _fl_window_start_health        (FlWindow           *self);
void             _fl_window_stop_health         (FlWindow           *self);
void             _fl_window_backup_if_due       (FlWindow           *self);

/* fl-window-card.c */
void             _fl_window_class_card_init     (FlWindowClass      *klass);
void             _fl_window_card_dispose        (FlWindow           *self);
void             _fl_window_cancel_card         (FlWindow           *self);
void             _fl_window_keep_card_photo     (FlWindow           *self,
                                                 FlLead             *lead,
                                                 const FlWindowCard *card);
void             _fl_window_show_card           (FlWindow           *self,
                                                 const FlWindowCard *card);

/* fl-window-booth.c */
void             _fl_window_start_booth         (FlWindow           *self);
void             _fl_window_stop_booth          (FlWindow           *self);
void             _fl_window_booth_sync_soon     (FlWindow           *self);
void             _fl_window_update_booth_header (FlWindow           *self);
gboolean         _fl_window_booth_code_scanned  (FlWindow           *self,
                                                 const char         *payload);

/* For the GUI tests */
AdwWindowTitle  *_fl_window_get_title_widget    (FlWindow   *self);
GtkWidget       *_fl_window_get_page            (FlWindow   *self,
                                                 const char *name);
GtkLabel        *_fl_window_get_lead_count      (FlWindow   *self);
GtkLabel        *_fl_window_get_command         (FlWindow   *self);
AdwStatusPage   *_fl_window_get_error_page      (FlWindow   *self);
gboolean         _fl_window_get_damaged         (FlWindow   *self);
GtkLabel        *_fl_window_get_damaged_command (FlWindow   *self);
FlLeadPage      *_fl_window_get_lead_page       (FlWindow   *self);
FlThanksPage    *_fl_window_get_thanks_page     (FlWindow   *self);
FlScanPage      *_fl_window_get_scan_page       (FlWindow   *self);
FlWedgeDetector *_fl_window_get_wedge           (FlWindow   *self);
void             _fl_window_set_idle_timeout_ms (FlWindow   *self,
                                                 guint       timeout_ms);
void             _fl_window_set_backup_interval_ms (FlWindow *self,
                                                 guint       interval_ms);
AdwToast        *_fl_window_get_toast           (FlWindow   *self);
FlStaffPicker   *_fl_window_get_staff_picker    (FlWindow   *self);
GtkRevealer     *_fl_window_get_idle_warning    (FlWindow   *self);
GtkLabel        *_fl_window_get_idle_label      (FlWindow   *self);
GMenuModel      *_fl_window_get_staff_menu      (FlWindow   *self);
GtkLabel        *_fl_window_get_staff_label     (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_label    (FlWindow   *self);
GtkMenuButton   *_fl_window_get_upload_button   (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_state    (FlWindow   *self);
GtkLabel        *_fl_window_get_upload_count    (FlWindow   *self);
GtkWidget       *_fl_window_get_connect_button  (FlWindow   *self);
FlUploadWorker  *_fl_window_get_worker          (FlWindow   *self);
GtkLabel        *_fl_window_get_booth_label     (FlWindow   *self);
AdwMessageDialog *_fl_window_get_booth_dialog   (FlWindow   *self);

G_END_DECLS
