/* fl-booth.h: a booth's identity and its member list
 *
 * A booth is created on one kiosk and joined by the others with a join
 * code (FLB1:…, also drawn as a QR code) that carries the booth's id, a
 * join secret, the creator's certificate fingerprint and its last known
 * addresses. The booth (id, name, secret) and its member list live in the
 * database's meta table under "booth"; members replicate on every round
 * (newest record wins per device, removal wins over everything), and
 * so does the join secret, made anew when a device is removed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_BOOTH_ERROR (fl_booth_error_quark ())

typedef enum
{
  FL_BOOTH_ERROR_IDENTITY,     /* this device's key or certificate */
  FL_BOOTH_ERROR_NOT_IN_BOOTH, /* no booth is set up on this kiosk */
  FL_BOOTH_ERROR_ALREADY,      /* a booth is set up already */
  FL_BOOTH_ERROR_BAD_CODE,     /* the join code is not one */
  FL_BOOTH_ERROR_REFUSED,      /* a peer refused us */
  FL_BOOTH_ERROR_UNREACHABLE,  /* no answer from a peer */
  FL_BOOTH_ERROR_NOT_MEMBER,   /* the peer is not a member: we refused it */
  FL_BOOTH_ERROR_NO_DEVICE,    /* no such member */
  FL_BOOTH_ERROR_PROTOCOL,     /* the peer answered something else */
} FlBoothError;

/* The port a kiosk serves on unless told otherwise. */
#define FL_BOOTH_DEFAULT_PORT 7841
#define FL_BOOTH_CODE_PREFIX  "FLB1:"
/* Seconds within which "last seen" and "last round" are not written again. */
#define FL_BOOTH_SEEN_GRANULARITY 10

typedef struct
{
  char    *id;           /* the device's uuid */
  char    *name;
  char    *fingerprint;  /* SHA-256 of its certificate, hex */
  GStrv    addresses;    /* "host:port", newest first */
  gint64   last_seen;    /* unix seconds, 0 for never */
  gint64   updated;      /* when the record changed, unix µs */
  gboolean removed;
  /* This kiosk's own view, not replicated. */
  gint64   last_round;   /* last round completed with it, unix seconds */
  gboolean in_sync;      /* both held the same after that round */
  gint64   pending;      /* changes it lacked when last seen */
} FlBoothMember;

typedef struct
{
  char  *booth_id;
  char  *secret;         /* base64url */
  char  *fingerprint;    /* the creator's certificate */
  char  *device_id;      /* the creator */
  GStrv  addresses;
} FlBoothCode;

void fl_booth_member_free (FlBoothMember *member);
void fl_booth_code_free   (FlBoothCode   *code);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlBoothMember, fl_booth_member_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlBoothCode, fl_booth_code_free)

#define FL_TYPE_BOOTH (fl_booth_get_type ())

G_DECLARE_FINAL_TYPE (FlBooth, fl_booth, FL, BOOTH, GObject)

GQuark         fl_booth_error_quark        (void);

FlBooth       *fl_booth_load               (FlStore       *store,
                                            GError       **error);
FlBooth       *fl_booth_create             (FlStore       *store,
                                            const char    *name,
                                            const char    *device_name,
                                            const char    *fingerprint,
                                            const char * const *addresses,
                                            GError       **error);
FlBooth       *fl_booth_new_joined         (FlStore       *store,
                                            const FlBoothCode *code,
                                            const char    *name,
                                            JsonArray     *members,
                                            GError       **error);
gboolean       fl_booth_save               (FlBooth       *self,
                                            GError       **error);
typedef gboolean (*FlBoothUpdateFunc)      (FlBooth       *booth,
                                            gpointer       user_data,
                                            GError       **error);
gboolean       fl_booth_update             (FlStore       *store,
                                            FlBoothUpdateFunc func,
                                            gpointer       user_data,
                                            FlBooth      **booth_out,
                                            GError       **error);
gboolean       fl_booth_forget             (FlStore       *store,
                                            GError       **error);

const char    *fl_booth_get_id             (FlBooth       *self);
const char    *fl_booth_get_name           (FlBooth       *self);
const char    *fl_booth_get_secret         (FlBooth       *self);
const char    *fl_booth_get_device_id      (FlBooth       *self);
FlStore       *fl_booth_get_store          (FlBooth       *self);
GPtrArray     *fl_booth_get_members        (FlBooth       *self);
FlBoothMember *fl_booth_get_self           (FlBooth       *self);
FlBoothMember *fl_booth_find_member        (FlBooth       *self,
                                            const char    *id_or_name);
FlBoothMember *fl_booth_find_fingerprint   (FlBooth       *self,
                                            const char    *fingerprint);
gboolean       fl_booth_is_member          (FlBooth       *self,
                                            const char    *fingerprint);

char          *fl_booth_get_join_code      (FlBooth       *self);
FlBoothCode   *fl_booth_parse_code         (const char    *text,
                                            GError       **error);

JsonArray     *fl_booth_members_to_json    (FlBooth       *self);
gboolean       fl_booth_merge_members      (FlBooth       *self,
                                            JsonArray     *members,
                                            GError       **error);
FlBoothMember *fl_booth_add_member         (FlBooth       *self,
                                            const char    *id,
                                            const char    *name,
                                            const char    *fingerprint,
                                            const char    *address);
void           fl_booth_remove_member      (FlBooth       *self,
                                            FlBoothMember *member);
JsonObject    *fl_booth_secret_to_json     (FlBooth       *self);
void           fl_booth_merge_secret       (FlBooth       *self,
                                            JsonObject    *theirs);
void           fl_booth_saw_member         (FlBooth       *self,
                                            FlBoothMember *member,
                                            const char    *address);

char          *fl_booth_proof              (const char    *secret,
                                            const char    *label,
                                            const char    *fingerprint_a,
                                            const char    *fingerprint_b);
gboolean       fl_booth_check_proof        (const char    *secret,
                                            const char    *label,
                                            const char    *fingerprint_a,
                                            const char    *fingerprint_b,
                                            const char    *proof);

G_END_DECLS
