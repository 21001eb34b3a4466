/* fl-import.h: leads from JSON or JSON Lines into the store
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "fl-store.h"

G_BEGIN_DECLS

/* Called after each lead's transaction committed. */
typedef void (*FlImportLeadFunc)  (FlLead       *lead,
                                   gpointer      user_data);
/* Called for each lead that could not be imported; @where is "FILE:LINE"
 * or "FILE: element N". */
typedef void (*FlImportErrorFunc) (const char   *where,
                                   const GError *error,
                                   gpointer      user_data);

gssize fl_import_leads (FlStore           *store,
                        GInputStream      *input,
                        const char        *name,
                        FlImportLeadFunc   lead_func,
                        FlImportErrorFunc  error_func,
                        gpointer           user_data,
                        GError           **error);

G_END_DECLS
