/* fl-payload.h: what a badge or a business card carries, as a contact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "fl-event.h"
#include "fl-lead.h"
#include "fl-limits.h"

G_BEGIN_DECLS

/* The longest payload accepted, in bytes (see fl-limits.h). */
#define FL_PAYLOAD_MAX_LENGTH FL_LIMIT_PAYLOAD

#define FL_PAYLOAD_ERROR (fl_payload_error_quark ())

typedef enum
{
  FL_PAYLOAD_ERROR_EMPTY,     /* nothing but white space */
  FL_PAYLOAD_ERROR_TOO_LONG,  /* over FL_PAYLOAD_MAX_LENGTH */
} FlPayloadError;

typedef enum
{
  FL_PAYLOAD_FORMAT_UNKNOWN,
  FL_PAYLOAD_FORMAT_VCARD,
  FL_PAYLOAD_FORMAT_MECARD,
  FL_PAYLOAD_FORMAT_BIZCARD,
  FL_PAYLOAD_FORMAT_JSON,
  FL_PAYLOAD_FORMAT_URL,
  FL_PAYLOAD_FORMAT_KEYVALUE,
  FL_PAYLOAD_FORMAT_DELIMITED,
  FL_PAYLOAD_FORMAT_ID,
} FlPayloadFormat;

/* How to read what the payload itself does not say. */
typedef struct
{
  /* The columns of a delimited badge record (`^`, `|` or tab), in order:
   * a person field name ("first_name"…), "badge_id", "note", or "" to skip
   * a column. %NULL when the event configured none: such records are kept
   * raw. Events keep it in their settings as "badge_columns". */
  char **badge_columns;
} FlPayloadOptions;

typedef struct
{
  FlPayloadFormat  format;
  FlLead          *lead;   /* raw payload, badge id and what was found */
} FlPayloadResult;

GQuark            fl_payload_error_quark          (void);

const char       *fl_payload_format_to_string     (FlPayloadFormat          format);

FlPayloadOptions *fl_payload_options_new          (void);
FlPayloadOptions *fl_payload_options_new_for_event (const FlEvent           *event);
void              fl_payload_options_free         (FlPayloadOptions        *options);

FlPayloadResult  *fl_payload_parse                (const char              *payload,
                                                   gssize                   length,
                                                   const FlPayloadOptions  *options,
                                                   GError                 **error);
void              fl_payload_result_free          (FlPayloadResult         *result);
JsonNode         *fl_payload_result_to_json       (const FlPayloadResult   *result);
void              fl_payload_complete_names       (FlLead                  *lead);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlPayloadOptions, fl_payload_options_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlPayloadResult, fl_payload_result_free)

G_END_DECLS
