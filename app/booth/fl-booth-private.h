/* fl-booth-private.h: what the booth's server and client share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fl-booth.h"

G_BEGIN_DECLS

/* The protocol, over HTTPS with a client certificate on both sides. */
#define FL_BOOTH_PATH_JOIN  "/booth/1/join"   /* {booth, device, name, address, proof} */
#define FL_BOOTH_PATH_ROUND "/booth/1/round"  /* {booth, device, members, vector} */
#define FL_BOOTH_PATH_PULL  "/booth/1/pull"   /* {vector} -> a batch of changes */
#define FL_BOOTH_PATH_PUSH  "/booth/1/push"   /* a batch of changes -> {vector} */
#define FL_BOOTH_HEADER_MORE "X-Fairlead-More"

#define FL_BOOTH_PROOF_JOIN    "fairlead-booth-join"
#define FL_BOOTH_PROOF_WELCOME "fairlead-booth-welcome"

/* Bytes of changes per request either way. */
#define FL_BOOTH_BATCH_BYTES (128 * 1024)

/* Whether the replication engine is built in: without it, rounds carry
 * the member list only. */
gboolean    _fl_booth_has_engine         (void);
JsonObject *_fl_booth_get_vector         (FlStore     *store,
                                          GError     **error);
gint64      _fl_booth_vector_lacking     (JsonObject  *have,
                                          JsonObject  *peer);
JsonNode   *_fl_booth_parse_body         (GBytes      *body,
                                          GError     **error);
GBytes     *_fl_booth_node_to_bytes      (JsonNode    *node);

G_END_DECLS
