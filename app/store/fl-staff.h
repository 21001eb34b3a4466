/* fl-staff.h: staff members and their PINs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

#define FL_STAFF_ERROR (fl_staff_error_quark ())

typedef enum
{
  FL_STAFF_ERROR_BAD_PIN,      /* the PIN does not meet the rules */
  FL_STAFF_ERROR_WRONG_PIN,    /* name and PIN do not match */
  FL_STAFF_ERROR_LOCKED,       /* too many wrong tries: wait */
  FL_STAFF_ERROR_BAD_NAME,
  FL_STAFF_ERROR_CRYPT,
} FlStaffError;

#define FL_PIN_MIN_LENGTH 4
#define FL_PIN_MAX_LENGTH 12
#define FL_PIN_FREE_TRIES 5

GQuark     fl_staff_error_quark   (void);

gboolean   fl_staff_check_pin     (const char  *pin,
                                   GError     **error);
char      *fl_staff_hash_pin      (const char  *pin,
                                   GError     **error);
gboolean   fl_staff_pin_matches   (const char  *pin,
                                   const char  *hash);

gboolean   fl_staff_set           (FlStore     *store,
                                   const char  *name,
                                   const char  *pin,
                                   GError     **error);
gboolean   fl_staff_remove        (FlStore     *store,
                                   const char  *name,
                                   GError     **error);
GStrv      fl_staff_list          (FlStore     *store,
                                   GError     **error);
gboolean   fl_staff_verify        (FlStore     *store,
                                   const char  *name,
                                   const char  *pin,
                                   GError     **error);

/* The lock in front of the back office: after FL_PIN_FREE_TRIES wrong
 * tries each further try must wait, the wait doubling every time. */
#define FL_TYPE_PIN_GUARD (fl_pin_guard_get_type ())

G_DECLARE_FINAL_TYPE (FlPinGuard, fl_pin_guard, FL, PIN_GUARD, GObject)

FlPinGuard *fl_pin_guard_new            (FlStore     *store);
gint64      fl_pin_guard_get_wait       (FlPinGuard  *self,
                                         gint64       now_us);
guint       fl_pin_guard_get_failures   (FlPinGuard  *self);
gboolean    fl_pin_guard_try            (FlPinGuard  *self,
                                         const char  *name,
                                         const char  *pin,
                                         gint64       now_us,
                                         GError     **error);

G_END_DECLS
