/* fl-connector-private.h: what the connector types share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-connector.h"

G_BEGIN_DECLS

typedef struct
{
  long        status;        /* HTTP status, 0 when no answer came */
  GByteArray *body;
  gint64      retry_after;   /* seconds, -1 when absent */
  int         curl_code;
  char       *curl_error;
} FlHttpResponse;

void         _fl_http_response_clear       (FlHttpResponse *response);

FlConnector *_fl_connector_load            (const char     *name,
                                            const char     *type,
                                            const char     *url,
                                            JsonObject     *options,
                                            GError        **error);

gboolean     _fl_connector_http            (FlConnector    *self,
                                            const char     *method,
                                            const char     *url,
                                            const char *const *headers,
                                            const char     *body,
                                            gsize           length,
                                            FlHttpResponse *response,
                                            GCancellable   *cancellable,
                                            GError        **error);
gboolean     _fl_connector_check_response  (FlConnector    *self,
                                            FlHttpResponse *response,
                                            FlSyncBatch    *batch);
char        *_fl_connector_server_message  (FlHttpResponse *response);
JsonNode    *_fl_connector_parse_body      (FlHttpResponse *response);
gboolean     _fl_connector_bearer_header   (FlConnector    *self,
                                            char          **header,
                                            GError        **error);
gboolean     _fl_connector_probe           (FlConnector    *self,
                                            const char     *url,
                                            GString        *report,
                                            JsonNode      **body,
                                            GCancellable   *cancellable,
                                            GError        **error);
gboolean     _fl_connector_probe_answer    (FlConnector    *self,
                                            const char     *url,
                                            FlHttpResponse *response,
                                            GString        *report,
                                            JsonNode      **body,
                                            GError        **error);
char        *_fl_connector_get_secret      (FlConnector    *self,
                                            gboolean        required,
                                            GError        **error);
void         _fl_connector_set_fresh_connect (FlConnector *self,
                                            gboolean        fresh);
char        *_fl_connector_build_url       (FlConnector    *self,
                                            const char     *default_base,
                                            const char     *path);
const char  *_fl_connector_map_status      (FlConnector    *self,
                                            FlStatus        status,
                                            const char     *prefix,
                                            const char     *mql_default,
                                            const char     *sal_default,
                                            const char     *disqualified_default);

G_END_DECLS
