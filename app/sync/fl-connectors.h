/* fl-connectors.h: the connector types
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-connector.h"

G_BEGIN_DECLS

#define FL_TYPE_WEBHOOK_CONNECTOR (fl_webhook_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlWebhookConnector, fl_webhook_connector, FL, WEBHOOK_CONNECTOR, FlConnector)

#define FL_TYPE_HUBSPOT_CONNECTOR (fl_hubspot_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlHubspotConnector, fl_hubspot_connector, FL, HUBSPOT_CONNECTOR, FlConnector)

#define FL_TYPE_SALESFORCE_CONNECTOR (fl_salesforce_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlSalesforceConnector, fl_salesforce_connector, FL, SALESFORCE_CONNECTOR,
                      FlConnector)

#define FL_TYPE_DYNAMICS_CONNECTOR (fl_dynamics_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlDynamicsConnector, fl_dynamics_connector, FL, DYNAMICS_CONNECTOR,
                      FlConnector)

#define FL_TYPE_ZOHO_CONNECTOR (fl_zoho_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlZohoConnector, fl_zoho_connector, FL, ZOHO_CONNECTOR, FlConnector)

#define FL_TYPE_PIPEDRIVE_CONNECTOR (fl_pipedrive_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlPipedriveConnector, fl_pipedrive_connector, FL, PIPEDRIVE_CONNECTOR,
                      FlConnector)

#define FL_TYPE_CSV_CONNECTOR (fl_csv_connector_get_type ())
G_DECLARE_FINAL_TYPE (FlCsvConnector, fl_csv_connector, FL, CSV_CONNECTOR, FlConnector)

char *fl_webhook_sign (const char *key,
                       const char *body,
                       gsize       length);

G_END_DECLS
