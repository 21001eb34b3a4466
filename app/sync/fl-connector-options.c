/* fl-connector-options.c: the options each connector type reads
 *
 * What the connectors read from their options JSON (fl_connector_get_option()
 * in app/sync/fl-*-connector.c), described once so that the settings build
 * a field per option instead of a line of key=value text. Options every
 * connector reads (timeout, ca_file, batch_size) come last. Options not
 * listed here (map.*, status mappings) are still read when set with
 * `fairlead-cli connector edit --option`, and a dialog keeps them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-connector-options.h"

#define COMMON \
  { "timeout", N_("Timeout in Seconds"), FL_OPTION_NUMBER, FALSE, NULL }, \
  { "batch_size", N_("Leads per Request"), FL_OPTION_NUMBER, FALSE, NULL }, \
  { "ca_file", N_("CA Certificate File"), FL_OPTION_TEXT, FALSE, NULL }

static const FlConnectorOption webhook_options[] = {
  { "signing", N_("Sign Each Request"), FL_OPTION_SWITCH, FALSE, NULL },
  COMMON,
};

static const FlConnectorOption hubspot_options[] = {
  { "subscription_id", N_("Subscription Type ID for Consent"), FL_OPTION_TEXT, FALSE, NULL },
  { "legal_basis", N_("Legal Basis"), FL_OPTION_TEXT, FALSE, NULL },
  { "note", N_("Add a Note per Visit"), FL_OPTION_SWITCH, FALSE, NULL },
  { "id_property", N_("Property That Identifies a Contact"), FL_OPTION_TEXT, FALSE, NULL },
  COMMON,
};

static const FlConnectorOption salesforce_options[] = {
  { "auth", N_("Sign-in (token, jwt or refresh_token)"), FL_OPTION_TEXT, FALSE, NULL },
  { "client_id", N_("Client ID of the Connected App"), FL_OPTION_TEXT, FALSE, NULL },
  { "username", N_("User Name"), FL_OPTION_TEXT, FALSE, NULL },
  { "login_url", N_("Login URL"), FL_OPTION_TEXT, FALSE, NULL },
  { "campaign", N_("Campaign"), FL_OPTION_TEXT, FALSE, NULL },
  { "lead_source", N_("Lead Source"), FL_OPTION_TEXT, FALSE, NULL },
  { "api_version", N_("API Version"), FL_OPTION_TEXT, FALSE, NULL },
  COMMON,
};

static const FlConnectorOption dynamics_options[] = {
  { "tenant", N_("Directory (Tenant) ID"), FL_OPTION_TEXT, TRUE, NULL },
  { "client_id", N_("Application (Client) ID"), FL_OPTION_TEXT, TRUE, NULL },
  { "lead_source", N_("Lead Source"), FL_OPTION_TEXT, FALSE, NULL },
  { "api_version", N_("API Version"), FL_OPTION_TEXT, FALSE, NULL },
  { "login_url", N_("Login URL"), FL_OPTION_TEXT, FALSE, NULL },
  COMMON,
};

static const FlConnectorOption zoho_options[] = {
  { "client_id", N_("Client ID"), FL_OPTION_TEXT, TRUE, NULL },
  { "data_centre", N_("Data Centre (eu, com, in, …)"), FL_OPTION_TEXT, FALSE, "eu" },
  { "module", N_("Module"), FL_OPTION_TEXT, FALSE, NULL },
  { "lead_source", N_("Lead Source"), FL_OPTION_TEXT, FALSE, NULL },
  COMMON,
};

static const FlConnectorOption pipedrive_options[] = {
  { "label_mql", N_("Label for MQL"), FL_OPTION_TEXT, FALSE, "Warm" },
  { "label_sal", N_("Label for SAL"), FL_OPTION_TEXT, FALSE, "Hot" },
  { "label_disqualified", N_("Label for Disqualified"), FL_OPTION_TEXT, FALSE, "Cold" },
  { "job_title_field", N_("Job Title Field"), FL_OPTION_TEXT, FALSE, NULL },
  COMMON,
};

static const struct
{
  const char              *type;
  const FlConnectorOption *options;
  guint                    n_options;
} schemas[] = {
  { "webhook", webhook_options, G_N_ELEMENTS (webhook_options) },
  { "hubspot", hubspot_options, G_N_ELEMENTS (hubspot_options) },
  { "salesforce", salesforce_options, G_N_ELEMENTS (salesforce_options) },
  { "dynamics", dynamics_options, G_N_ELEMENTS (dynamics_options) },
  { "zoho", zoho_options, G_N_ELEMENTS (zoho_options) },
  { "pipedrive", pipedrive_options, G_N_ELEMENTS (pipedrive_options) },
  { "csv", NULL, 0 },
};

/**
 * fl_connector_type_get_options:
 * @type: a connector type id such as "zoho"
 * @n_options: (out): how many there are
 *
 * Returns: (transfer none) (array length=n_options) (nullable): the
 *   options @type reads, in the order to offer them; %NULL with 0 for an
 *   unknown type
 */
const FlConnectorOption *
fl_connector_type_get_options (const char *type, guint *n_options)
{
  g_return_val_if_fail (n_options != NULL, NULL);

  for (guint i = 0; type != NULL && i < G_N_ELEMENTS (schemas); i++)
    if (g_str_equal (schemas[i].type, type))
      {
        *n_options = schemas[i].n_options;
        return schemas[i].options;
      }
  *n_options = 0;
  return NULL;
}
