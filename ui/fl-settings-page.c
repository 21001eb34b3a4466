/* fl-settings-page.c: the store and actor every settings page works on
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-settings-page"

#include "config.h"

#include "fl-settings-page.h"

typedef struct
{
  FlStore *store;
  char *actor;
} FlSettingsPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (FlSettingsPage, fl_settings_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ACTOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fl_settings_page_reload (FlSettingsPage *self)
{
  FlSettingsPageClass *klass = FL_SETTINGS_PAGE_GET_CLASS (self);

  if (klass->reload != NULL)
    klass->reload (self);
}

static void
fl_settings_page_real_actor_changed (FlSettingsPage *self)
{
  fl_settings_page_reload (self);
}

/**
 * fl_settings_page_get_store:
 * @self: a #FlSettingsPage
 *
 * Returns: (transfer none) (nullable): the store the page edits
 */
FlStore *
fl_settings_page_get_store (FlSettingsPage *self)
{
  FlSettingsPagePrivate *priv = fl_settings_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_SETTINGS_PAGE (self), NULL);
  return priv->store;
}

/**
 * fl_settings_page_get_actor:
 * @self: a #FlSettingsPage
 *
 * Returns: (nullable): the staff member who unlocked the back office
 */
const char *
fl_settings_page_get_actor (FlSettingsPage *self)
{
  FlSettingsPagePrivate *priv = fl_settings_page_get_instance_private (self);

  g_return_val_if_fail (FL_IS_SETTINGS_PAGE (self), NULL);
  return priv->actor;
}

static void
fl_settings_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlSettingsPage *self = FL_SETTINGS_PAGE (object);
  FlSettingsPagePrivate *priv = fl_settings_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_ACTOR:
      g_value_set_string (value, priv->actor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_settings_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlSettingsPage *self = FL_SETTINGS_PAGE (object);
  FlSettingsPagePrivate *priv = fl_settings_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_STORE:
      if (g_set_object (&priv->store, g_value_get_object (value)))
        {
          fl_settings_page_reload (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_ACTOR:
      if (g_strcmp0 (priv->actor, g_value_get_string (value)) != 0)
        {
          FlSettingsPageClass *klass = FL_SETTINGS_PAGE_GET_CLASS (self);

          g_free (priv->actor);
          priv->actor = g_value_dup_string (value);
          if (klass->actor_changed != NULL)
            klass->actor_changed (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_settings_page_finalize (GObject *object)
{
  FlSettingsPage *self = FL_SETTINGS_PAGE (object);
  FlSettingsPagePrivate *priv = fl_settings_page_get_instance_private (self);

  g_clear_object (&priv->store);
  g_clear_pointer (&priv->actor, g_free);
  G_OBJECT_CLASS (fl_settings_page_parent_class)->finalize (object);
}

static void
fl_settings_page_class_init (FlSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fl_settings_page_get_property;
  object_class->set_property = fl_settings_page_set_property;
  object_class->finalize = fl_settings_page_finalize;

  klass->actor_changed = fl_settings_page_real_actor_changed;

  /**
   * FlSettingsPage:store:
   *
   * The store the page shows and edits.
   */
  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FL_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  /**
   * FlSettingsPage:actor:
   *
   * The staff member who unlocked the back office, for the audit.
   */
  properties[PROP_ACTOR] =
    g_param_spec_string ("actor", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fl_settings_page_init (FlSettingsPage *self)
{
}
