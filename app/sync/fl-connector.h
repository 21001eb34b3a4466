/* fl-connector.h: where leads go — a CRM, a webhook or a folder
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "lead/fl-lead.h"

G_BEGIN_DECLS

/* What happened to one lead of a batch. */
typedef enum
{
  FL_ITEM_UNSET,    /* nothing said about this lead: it went with the batch */
  FL_ITEM_DONE,     /* accepted; remote_id set where the server told it */
  FL_ITEM_FAILED,   /* refused for good; message says why */
  FL_ITEM_RETRY,    /* try again later; message says why */
} FlItemResult;

/* What happened to a batch as a whole. */
typedef enum
{
  FL_SEND_OK,       /* the request went through; see each item */
  FL_SEND_RETRY,    /* transient failure: network, timeout, 408, 429, 5xx */
  FL_SEND_REFUSED,  /* the server refused the batch (other 4xx) */
  FL_SEND_STOP,     /* credential or configuration rejected: do not retry */
} FlSendStatus;

typedef struct
{
  gint64        lead_id;
  FlLead       *lead;
  gboolean      known;       /* delivered before: this is an update */
  int           attempts;    /* counting this one */
  FlItemResult  result;
  char         *remote_id;
  char         *message;
  char         *stored_id;   /* (nullable) the remote id kept from before */
} FlSyncItem;

typedef struct _FlSyncBatch FlSyncBatch;

/* Keeps @remote_id for @item on disk before the connector goes on. */
typedef gboolean (*FlSyncCheckpointFunc) (FlSyncBatch  *batch,
                                          FlSyncItem   *item,
                                          const char   *remote_id,
                                          gpointer      user_data,
                                          GError      **error);

struct _FlSyncBatch
{
  char         *key;         /* the Idempotency-Key, stable across retries */
  JsonNode     *event;       /* (nullable) the event of every lead */
  GPtrArray    *items;       /* FlSyncItem, owned elsewhere */
  FlSendStatus  status;
  char         *message;
  gint64        retry_after; /* seconds the server asked to wait, -1 for none */
  /* For connectors that make a lead in several requests: where what was
   * made so far is kept, so that a retry finds it instead of making it
   * twice. */
  FlSyncCheckpointFunc checkpoint;
  gpointer      checkpoint_data;
  long          http_status; /* of the last answer, 0 when none came (sync log) */
};

FlSyncItem  *fl_sync_item_new      (gint64        lead_id,
                                    FlLead       *lead,
                                    gboolean      known);
void         fl_sync_item_free     (FlSyncItem   *item);
void         fl_sync_item_set      (FlSyncItem   *item,
                                    FlItemResult  result,
                                    const char   *remote_id,
                                    const char   *message);
FlSyncBatch *fl_sync_batch_new     (const char   *key,
                                    JsonNode     *event);
void         fl_sync_batch_free    (FlSyncBatch  *batch);
void         fl_sync_batch_set     (FlSyncBatch  *batch,
                                    FlSendStatus  status,
                                    const char   *message);
gboolean     fl_sync_batch_checkpoint (FlSyncBatch  *batch,
                                    FlSyncItem   *item,
                                    const char   *remote_id,
                                    GError      **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlSyncItem, fl_sync_item_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlSyncBatch, fl_sync_batch_free)

#define FL_TYPE_CONNECTOR (fl_connector_get_type ())

G_DECLARE_DERIVABLE_TYPE (FlConnector, fl_connector, FL, CONNECTOR, GObject)

struct _FlConnectorClass
{
  GObjectClass parent_class;

  /* Checks the options; called once when the connector is made. */
  gboolean (*validate)      (FlConnector   *self,
                             GError       **error);
  guint    (*get_max_batch) (FlConnector   *self);
  /* Sends one batch and sets its status and the items' results. */
  void     (*send)          (FlConnector   *self,
                             FlSyncBatch   *batch,
                             GCancellable  *cancellable);
  /* Checks reachability and the credential; appends what it checked. */
  gboolean (*test)          (FlConnector   *self,
                             GString       *report,
                             GCancellable  *cancellable,
                             GError       **error);
};

/* One kind of connector, as the settings and the CLI offer it. */
typedef struct
{
  const char *id;       /* what the store and "--type" call it: "zoho" */
  const char *label;    /* its name for people; translate with _() */
  const char *options;  /* the options to fill in first, "" for none */
  const char *secret;   /* (nullable) what its secret is; translate with _() */
} FlConnectorType;

const FlConnectorType *fl_connector_get_types     (guint         *n_types);
const FlConnectorType *fl_connector_lookup_type   (const char    *id);
char                  *fl_connector_join_type_ids (const char    *separator);
FlConnector *fl_connector_new                (const char    *name,
                                              const char    *type,
                                              const char    *url,
                                              JsonObject    *options,
                                              GError       **error);

gboolean     fl_connector_check_url_transport (const char   *url,
                                              GError       **error);
gboolean     fl_connector_check_transport    (FlConnector   *self,
                                              GError       **error);

const char  *fl_connector_get_name           (FlConnector   *self);
const char  *fl_connector_get_type_name      (FlConnector   *self);
const char  *fl_connector_get_url            (FlConnector   *self);
JsonObject  *fl_connector_get_options        (FlConnector   *self);
const char  *fl_connector_get_option         (FlConnector   *self,
                                              const char    *key,
                                              const char    *fallback);
gint64       fl_connector_get_option_int     (FlConnector   *self,
                                              const char    *key,
                                              gint64         fallback);
const char  *fl_connector_get_event          (FlConnector   *self);
guint        fl_connector_get_max_batch      (FlConnector   *self);

void         fl_connector_send               (FlConnector   *self,
                                              FlSyncBatch   *batch,
                                              GCancellable  *cancellable);
gboolean     fl_connector_test               (FlConnector   *self,
                                              GString       *report,
                                              GCancellable  *cancellable,
                                              GError       **error);

G_END_DECLS
