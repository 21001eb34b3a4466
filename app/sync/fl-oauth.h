/* fl-oauth.h: OAuth 2.0 access tokens for the CRM connectors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-connector-private.h"

G_BEGIN_DECLS

typedef enum
{
  FL_OAUTH_CLIENT_CREDENTIALS,  /* the secret is the client secret */
  FL_OAUTH_REFRESH_TOKEN,       /* the secret is CLIENT_SECRET:REFRESH_TOKEN */
} FlOAuthGrant;

typedef struct _FlOAuth FlOAuth;

FlOAuth  *_fl_oauth_new          (FlOAuthGrant     grant,
                                  const char      *token_url,
                                  const char      *client_id,
                                  const char      *scope,
                                  const char      *scheme);
void      _fl_oauth_free         (FlOAuth         *oauth);
void      _fl_oauth_set_basic    (FlOAuth         *oauth,
                                  gboolean         basic);
gboolean  _fl_oauth_check_url    (const char      *url);
gboolean  _fl_oauth_get_token    (FlOAuth         *oauth,
                                  FlConnector     *connector,
                                  GCancellable    *cancellable,
                                  GError         **error);
const char *_fl_oauth_get_extra  (FlOAuth         *oauth,
                                  const char      *member);
gboolean  _fl_oauth_request      (FlOAuth         *oauth,
                                  FlConnector     *connector,
                                  const char      *method,
                                  const char      *url,
                                  const char *const *headers,
                                  const char      *body,
                                  gsize            length,
                                  FlHttpResponse  *response,
                                  GCancellable    *cancellable,
                                  GError         **error);
void      _fl_oauth_fail_batch   (FlSyncBatch     *batch,
                                  const GError    *error);
gboolean  _fl_oauth_probe        (FlOAuth         *oauth,
                                  FlConnector     *connector,
                                  const char      *url,
                                  GString         *report,
                                  JsonNode       **body,
                                  GCancellable    *cancellable,
                                  GError         **error);
void      _fl_oauth_form_append  (GString         *form,
                                  const char      *name,
                                  const char      *value);
void      _fl_oauth_form_free    (GString         *form);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlOAuth, _fl_oauth_free)

G_END_DECLS
