/* fl-settings-page.h: the store and actor every settings page works on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "store/fl-store.h"

G_BEGIN_DECLS

#define FL_TYPE_SETTINGS_PAGE (fl_settings_page_get_type ())

G_DECLARE_DERIVABLE_TYPE (FlSettingsPage, fl_settings_page, FL, SETTINGS_PAGE, AdwPreferencesPage)

struct _FlSettingsPageClass
{
  AdwPreferencesPageClass parent_class;

  /* Shows the page's data again; called when the store changes. */
  void (*reload)        (FlSettingsPage *self);
  /* Called when the actor changes; the default calls reload, NULL does nothing. */
  void (*actor_changed) (FlSettingsPage *self);
};

FlStore    *fl_settings_page_get_store (FlSettingsPage *self);
const char *fl_settings_page_get_actor (FlSettingsPage *self);

G_END_DECLS
