/* sync-test-server.h: a CRM and webhook stand-in on 127.0.0.1 for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real libsoup HTTP(S) server on its own thread and main context. It
 * behaves like a careful receiver: it stores leads by uuid, remembers
 * Idempotency-Keys and answers a repeated key without storing again, and
 * records every request so tests can check what arrived and when.
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* An HTTP server on 127.0.0.1 that runs in a thread of its own, on a main
 * context of its own, so that a test may block in the code under test
 * while the server answers. Every loopback server of the tests is one. */
typedef struct
{
  GMainContext *context;
  GMainLoop    *loop;
  GThread      *thread;
  SoupServer   *server;
  char         *url;     /* http(s)://127.0.0.1:PORT, without a final slash */
} LoopbackServer;

void      loopback_server_start    (LoopbackServer     *self,
                                    GTlsCertificate    *certificate,
                                    SoupServerCallback  handler,
                                    gpointer            user_data);
void      loopback_server_stop     (LoopbackServer     *self);

typedef enum
{
  SERVER_OK,
  SERVER_FAIL_ONCE,      /* first request: 500 */
  SERVER_RETRY_AFTER,    /* first request: 429 with Retry-After */
  SERVER_DROP_ONCE,      /* first request: stored, then the connection is dropped */
  SERVER_SLOW_ONCE,      /* first request: stored, answered after slow_ms */
  SERVER_UNAUTHORIZED,   /* every request: 401 */
  SERVER_REDIRECT,       /* every request: 302 to plain http on another host */
} ServerMode;

typedef struct
{
  gint64  at;            /* monotonic µs when it arrived */
  char   *path;
  char   *method;
  char   *idempotency_key;
  char   *signature;
  char   *user_agent;
  char   *content_type;
  char   *authorization;
  char   *body;
  gboolean signature_valid;  /* the X-Fairlead-Signature is the HMAC-SHA256
                                of the body under signing_key */
} ServerRequest;

typedef struct
{
  GMutex        mutex;
  LoopbackServer http;

  ServerMode    mode;
  guint         retry_after;  /* seconds, for SERVER_RETRY_AFTER */
  gboolean      retry_after_date;  /* send it as an HTTP date, not seconds */
  char         *signing_key;  /* the webhook signing key, to check signatures */
  guint         slow_ms;      /* for SERVER_SLOW_ONCE, and every request when delay_all */
  gboolean      delay_all;
  char         *token;        /* the bearer token the CRM endpoints accept */

  GPtrArray    *requests;     /* ServerRequest */
  GPtrArray    *stored;       /* uuid (webhook/salesforce) or email (hubspot), once per store */
  GHashTable   *keys;         /* Idempotency-Keys answered */
  GPtrArray    *records;      /* JsonNode of every stored lead/input/record */
  guint         next_id;
} Server;

Server   *server_new               (GTlsCertificate *certificate);
void      server_free              (Server          *server);
guint     server_count_requests    (Server          *server,
                                    const char      *path);
guint     server_count_stored      (Server          *server,
                                    const char      *id);
guint     server_n_stored          (Server          *server);
ServerRequest *server_get_request  (Server          *server,
                                    guint            index);
JsonObject *server_find_record     (Server          *server,
                                    const char      *member,
                                    const char      *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_free)

G_END_DECLS
