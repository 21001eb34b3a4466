/* fl-lead.h: a captured visitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Person fields, in the order of the lead JSON. The enum is the one list
 * every parser, exporter and connector iterates. */
typedef enum
{
  FL_FIELD_FIRST_NAME,
  FL_FIELD_LAST_NAME,
  FL_FIELD_FULL_NAME,
  FL_FIELD_EMAIL,
  FL_FIELD_PHONE,
  FL_FIELD_MOBILE,
  FL_FIELD_COMPANY,
  FL_FIELD_TITLE,
  FL_FIELD_DEPARTMENT,
  FL_FIELD_STREET,
  FL_FIELD_CITY,
  FL_FIELD_POSTAL_CODE,
  FL_FIELD_REGION,
  FL_FIELD_COUNTRY,
  FL_FIELD_WEBSITE,
  FL_N_FIELDS
} FlField;

typedef enum
{
  FL_STATUS_MQL,
  FL_STATUS_SAL,
  FL_STATUS_DISQUALIFIED,
} FlStatus;

typedef enum
{
  FL_SOURCE_BADGE,
  FL_SOURCE_CARD_QR,
  FL_SOURCE_CARD_OCR,
  FL_SOURCE_MANUAL,
} FlSource;

#define FL_LEAD_ERROR (fl_lead_error_quark ())

typedef enum
{
  FL_LEAD_ERROR_INVALID,
  FL_LEAD_ERROR_TOO_LONG,  /* a field over its limit (fl-limits.h) */
} FlLeadError;

#define FL_TYPE_LEAD (fl_lead_get_type ())

G_DECLARE_FINAL_TYPE (FlLead, fl_lead, FL, LEAD, GObject)

GQuark       fl_lead_error_quark        (void);

const char  *fl_field_to_string         (FlField      field);
gboolean     fl_field_from_string       (const char  *name,
                                         FlField     *field);
const char  *fl_status_to_string        (FlStatus     status);
gboolean     fl_status_from_string      (const char  *name,
                                         FlStatus    *status);
const char  *fl_source_to_string        (FlSource     source);
gboolean     fl_source_from_string      (const char  *name,
                                         FlSource    *source);

char        *fl_now_iso8601             (void);
char        *fl_uuid_new                (void);

FlLead      *fl_lead_new                (void);
FlLead      *fl_lead_new_from_json      (JsonNode    *node,
                                         GError     **error);
FlLead      *fl_lead_copy               (FlLead      *self);

const char  *fl_lead_get_uuid           (FlLead      *self);
const char  *fl_lead_get_event          (FlLead      *self);
const char  *fl_lead_get_created_at     (FlLead      *self);
const char  *fl_lead_get_updated_at     (FlLead      *self);
const char  *fl_lead_get_captured_by    (FlLead      *self);
const char  *fl_lead_get_device         (FlLead      *self);
FlSource     fl_lead_get_source         (FlLead      *self);
const char  *fl_lead_get_raw_payload    (FlLead      *self);
const char  *fl_lead_get_badge_id       (FlLead      *self);
const char  *fl_lead_get_field          (FlLead      *self,
                                         FlField      field);
const char  *fl_lead_get_notes          (FlLead      *self);
int          fl_lead_get_score          (FlLead      *self);
FlStatus     fl_lead_get_status         (FlLead      *self);
JsonNode    *fl_lead_get_breakdown      (FlLead      *self);
JsonNode    *fl_lead_get_model          (FlLead      *self);
JsonNode    *fl_lead_get_answers        (FlLead      *self);
JsonNode    *fl_lead_get_interactions   (FlLead      *self);
JsonNode    *fl_lead_get_consent        (FlLead      *self);
const char  *fl_lead_get_override_status (FlLead     *self);
const char  *fl_lead_get_override_by    (FlLead      *self);
const char  *fl_lead_get_override_reason (FlLead     *self);
const char  *fl_lead_get_display_name   (FlLead      *self);
gboolean     fl_lead_is_empty           (FlLead      *self);
gboolean     fl_lead_check_limits       (FlLead      *self,
                                         GError     **error);
gsize        fl_lead_member_limit       (const char  *member);

void         fl_lead_set_uuid           (FlLead      *self,
                                         const char  *uuid);
void         fl_lead_set_event          (FlLead      *self,
                                         const char  *event);
void         fl_lead_set_created_at     (FlLead      *self,
                                         const char  *created_at);
void         fl_lead_set_updated_at     (FlLead      *self,
                                         const char  *updated_at);
void         fl_lead_set_captured_by    (FlLead      *self,
                                         const char  *captured_by);
void         fl_lead_set_device         (FlLead      *self,
                                         const char  *device);
void         fl_lead_set_source         (FlLead      *self,
                                         FlSource     source);
void         fl_lead_set_raw_payload    (FlLead      *self,
                                         const char  *raw_payload);
void         fl_lead_set_badge_id       (FlLead      *self,
                                         const char  *badge_id);
void         fl_lead_set_field          (FlLead      *self,
                                         FlField      field,
                                         const char  *value);
void         fl_lead_set_notes          (FlLead      *self,
                                         const char  *notes);
void         fl_lead_set_score          (FlLead      *self,
                                         int          score);
void         fl_lead_set_status         (FlLead      *self,
                                         FlStatus     status);
void         fl_lead_set_breakdown      (FlLead      *self,
                                         JsonNode    *breakdown);
void         fl_lead_set_model          (FlLead      *self,
                                         JsonNode    *model);
void         fl_lead_set_answers        (FlLead      *self,
                                         JsonNode    *answers);
void         fl_lead_set_interactions   (FlLead      *self,
                                         JsonNode    *interactions);
void         fl_lead_set_consent        (FlLead      *self,
                                         JsonNode    *consent);
void         fl_lead_set_override       (FlLead      *self,
                                         const char  *status,
                                         const char  *by,
                                         const char  *reason);

void         fl_lead_set_answer         (FlLead      *self,
                                         const char  *question_id,
                                         JsonNode    *value);
void         fl_lead_add_interaction    (FlLead      *self,
                                         const char  *kind,
                                         const char  *at);
void         fl_lead_ensure_identity    (FlLead      *self);

JsonNode    *fl_json_new_object         (void);
JsonNode    *fl_json_new_array          (void);

JsonNode    *fl_lead_to_json            (FlLead      *self);
void         fl_lead_append_json        (FlLead      *self,
                                         GString     *out);
char        *fl_lead_to_json_string     (FlLead      *self,
                                         gboolean     pretty);

G_END_DECLS
