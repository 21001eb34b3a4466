/* fl-types.h: the GUI's types, declared once
 *
 * A header that only names another widget's type includes this instead of
 * that widget's header, so that no two headers include each other. The
 * G_DECLARE_FINAL_TYPE() in each widget's own header repeats the typedef,
 * which C11 allows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _FlApplication       FlApplication;
typedef struct _FlBackOffice        FlBackOffice;
typedef struct _FlConnectorDialog   FlConnectorDialog;
typedef struct _FlConnectorsPage    FlConnectorsPage;
typedef struct _FlDashboard         FlDashboard;
typedef struct _FlEventPage         FlEventPage;
typedef struct _FlKioskPage         FlKioskPage;
typedef struct _FlLeadDetail        FlLeadDetail;
typedef struct _FlLeadPage          FlLeadPage;
typedef struct _FlLeadsPage         FlLeadsPage;
typedef struct _FlModelPage         FlModelPage;
typedef struct _FlPinPage           FlPinPage;
typedef struct _FlPreferencesWindow FlPreferencesWindow;
typedef struct _FlRosterPage        FlRosterPage;
typedef struct _FlScanPage          FlScanPage;
typedef struct _FlStaffPage         FlStaffPage;
typedef struct _FlThanksPage        FlThanksPage;
typedef struct _FlUploadButton      FlUploadButton;
typedef struct _FlWindow            FlWindow;

G_END_DECLS
