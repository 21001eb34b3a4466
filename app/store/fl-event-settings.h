/* fl-event-settings.h: the settings of an event, checked and audited
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

#define FL_EVENT_SETTINGS_ERROR (fl_event_settings_error_quark ())

typedef enum
{
  FL_EVENT_SETTINGS_ERROR_UNKNOWN_KEY, /* no such setting */
  FL_EVENT_SETTINGS_ERROR_INVALID,     /* the value is not one the setting takes */
} FlEventSettingsError;

/* Event setting (FlEvent.settings, string): the web address of the
 * handout the thanks page shows as a QR code. */
#define FL_SETTING_HANDOUT_URL "handout_url"
/* Event setting (FlEvent.settings, object of language → text): the privacy
 * notice the lead page shows beside the consent. */
#define FL_SETTING_PRIVACY_NOTICE "privacy_notice"

GQuark             fl_event_settings_error_quark  (void);
const char *const *fl_event_settings_keys         (void);
gboolean           fl_event_settings_check_handout_url (const char  *url,
                                                   GError     **error);
gboolean           fl_event_settings_set          (FlEvent     *event,
                                                   const char  *key,
                                                   const char  *value,
                                                   GError     **error);
char              *fl_event_settings_get          (const FlEvent *event,
                                                   const char  *key);
JsonNode          *fl_event_settings_to_json      (const FlEvent *event);
gboolean           fl_store_set_event_setting     (FlStore     *store,
                                                   const char  *event_uuid,
                                                   const char  *key,
                                                   const char  *value,
                                                   const char  *actor,
                                                   GError     **error);

G_END_DECLS
