/* fl-connector-dialog.h: adds a connector or edits one
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"
#include "sync/fl-connector.h"

G_BEGIN_DECLS

#define FL_TYPE_CONNECTOR_DIALOG (fl_connector_dialog_get_type ())

G_DECLARE_FINAL_TYPE (FlConnectorDialog, fl_connector_dialog, FL, CONNECTOR_DIALOG, AdwMessageDialog)

GtkWidget   *fl_connector_dialog_new           (GtkWindow         *parent,
                                                FlStore           *store,
                                                const char        *actor,
                                                FlConnector       *connector);
FlConnector *fl_connector_dialog_get_connector (FlConnectorDialog *self);
FlStore     *fl_connector_dialog_get_store     (FlConnectorDialog *self);
const char  *fl_connector_dialog_get_actor     (FlConnectorDialog *self);

G_END_DECLS
