/* fl-capture.h: a scan becomes a lead, and a second scan no second lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"
#include "lead/fl-payload.h"

G_BEGIN_DECLS

/**
 * FlCaptureScoreFunc:
 * @store: the store, inside the capture's transaction
 * @event: the event the lead is captured at (its model_id names the model)
 * @lead: the lead as it will be saved: parsed, resolved against the
 *   roster, merged with an earlier capture, with its answers and
 *   interactions; set its score, status, breakdown and model
 * @user_data: the request's score_data
 *
 * The scoring step. It runs once per capture, inside the transaction,
 * after merging and before the lead is written, so the stored score always
 * matches the stored answers. It must not begin or end a transaction.
 * When it fails, the lead is saved unscored all the same (a scan is never
 * lost to a scoring fault) and the error is handed back in
 * FlCaptureResult.score_error.
 *
 * Returns: %FALSE with @error set when the lead could not be scored
 */
typedef gboolean (*FlCaptureScoreFunc) (FlStore        *store,
                                        const FlEvent  *event,
                                        FlLead         *lead,
                                        gpointer        user_data,
                                        GError        **error);

typedef enum
{
  FL_CAPTURE_CONSENT_UNCHANGED,  /* nothing recorded (a repeat visit keeps the earlier one) */
  FL_CAPTURE_CONSENT_GIVEN,
  FL_CAPTURE_CONSENT_REFUSED,
} FlCaptureConsent;

/* How consent was taken: the visitor ticked the box on the kiosk, or staff
 * recorded what the visitor said. */
#define FL_CONSENT_METHOD_CHECKBOX "checkbox"
#define FL_CONSENT_METHOD_STAFF    "staff"

/* Where the consent text of a ledger entry came from: the scoring model of
 * the event (its sha256 is in the entry), or nowhere, when the event had
 * no model and only the version staff named is known. */
#define FL_CONSENT_TEXT_MODEL "model"
#define FL_CONSENT_TEXT_NONE  "none"

typedef enum
{
  FL_CAPTURE_MATCH_NONE,          /* a new lead */
  FL_CAPTURE_MATCH_BADGE_ID,
  FL_CAPTURE_MATCH_EMAIL,         /* case-insensitive */
  FL_CAPTURE_MATCH_NAME_COMPANY,  /* normalised full name and company */
} FlCaptureMatch;

typedef struct
{
  const char         *payload;          /* what was scanned; NULL when only @entered */
  gssize              payload_length;   /* -1 when NUL-terminated */
  FlLead             *entered;          /* (nullable) fields staff typed, or read from a business
                                         * card; they stand over the payload's. Its raw payload
                                         * (the card's text) is kept when there is no @payload */
  FlSource            source;
  const char         *staff;            /* (nullable) who captured */
  JsonObject         *answers;          /* (nullable) question id → value; newer wins on a merge */
  const char * const *interactions;     /* (nullable) (array zero-terminated=1) kinds to add */
  const char         *note;             /* (nullable) appended to the notes */
  FlCaptureConsent    consent;
  const char         *consent_version;  /* the consent text version shown */
  const char         *consent_text;     /* (nullable) the consent text shown: the event's model's
                                         * text in @consent_language, whose sha256 the ledger
                                         * keeps; NULL when there is no model (the entry says so) */
  const char         *consent_language; /* (nullable) the language it was shown in ("en", "de") */
  const char         *consent_method;   /* (nullable) FL_CONSENT_METHOD_CHECKBOX (the default) or
                                         * FL_CONSENT_METHOD_STAFF */
  FlCaptureScoreFunc  score_func;       /* (nullable) see FlCaptureScoreFunc */
  gpointer            score_data;
} FlCaptureRequest;

typedef struct
{
  FlLead          *lead;          /* as committed */
  FlPayloadFormat  format;        /* of the payload; unknown without one */
  FlCaptureMatch   match;         /* how an earlier lead was found, or none */
  gboolean         from_roster;   /* the roster filled fields */
  GError          *score_error;   /* (nullable) why the lead is unscored */
} FlCaptureResult;

#define FL_CAPTURE_REQUEST_INIT { .payload_length = -1, .source = FL_SOURCE_BADGE }

const char      *fl_capture_match_to_string (FlCaptureMatch           match);

FlCaptureResult *fl_capture                 (FlStore                 *store,
                                             const FlCaptureRequest  *request,
                                             GError                 **error);
void             fl_capture_result_free     (FlCaptureResult         *result);
char            *fl_capture_visitor_name_key (const char          *full_name,
                                              const char             *first_name,
                                              const char             *last_name,
                                              const char             *company);
char            *fl_capture_find_other_visit (FlStore                *store,
                                              FlLead                 *lead,
                                              GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlCaptureResult, fl_capture_result_free)

G_END_DECLS
