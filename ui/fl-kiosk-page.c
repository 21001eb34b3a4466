/* fl-kiosk-page.c: how the kiosk behaves at the booth
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-kiosk-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-back-office-private.h"
#include "fl-kiosk-page.h"
#include "scan/fl-camera-device.h"

struct _FlKioskPage
{
  AdwPreferencesPage  parent_instance;

  GSettings          *settings;

  GtkWidget          *unavailable_row;
  GtkWidget          *fullscreen_row;
  GtkSwitch          *fullscreen_switch;
  GtkWidget          *idle_row;
  GtkSpinButton      *idle_spin;
  AdwComboRow        *language_row;
  AdwComboRow        *camera_row;
  GtkStringList      *camera_model;
  GPtrArray          *camera_sources;  /* the source of each camera_model row, "" for the first found */
  gboolean            filling;
  GtkWidget          *wedge_gap_row;
  GtkSpinButton      *wedge_gap_spin;
};

G_DEFINE_FINAL_TYPE (FlKioskPage, fl_kiosk_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
language_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *language = g_variant_get_string (variant, NULL);

  g_value_set_uint (value, g_str_equal (language, "en") ? 1 : g_str_equal (language, "de") ? 2 : 0);
  return TRUE;
}

static GVariant *
language_set_mapping (const GValue *value, const GVariantType *type, gpointer user_data)
{
  static const char *languages[] = { "", "en", "de" };
  guint index = g_value_get_uint (value);

  return g_variant_new_string (index < G_N_ELEMENTS (languages) ? languages[index] : "");
}

/* Selects the row of the camera the settings name. */
static void
select_camera (FlKioskPage *self)
{
  g_autofree char *source = self->settings ? g_settings_get_string (self->settings, "camera") : g_strdup ("");
  guint index;

  if (!g_ptr_array_find_with_equal_func (self->camera_sources, source, g_str_equal, &index))
    {
      /* Chosen before and not plugged in now: kept, and said so. */
      g_autofree char *label = g_strdup_printf (_("%s (not connected)"), source);

      g_ptr_array_add (self->camera_sources, g_strdup (source));
      gtk_string_list_append (self->camera_model, label);
      index = self->camera_sources->len - 1;
    }
  self->filling = TRUE;
  adw_combo_row_set_selected (self->camera_row, index);
  self->filling = FALSE;
}

static void
camera_selected_cb (FlKioskPage *self)
{
  guint index = adw_combo_row_get_selected (self->camera_row);

  if (self->filling || self->settings == NULL || index >= self->camera_sources->len)
    return;
  g_settings_set_string (self->settings, "camera", g_ptr_array_index (self->camera_sources, index));
}

/* The list: the first camera found, then each camera by its name. */
static void
fill_cameras (FlKioskPage *self, GListModel *cameras)
{
  guint n = g_list_model_get_n_items (cameras);

  self->filling = TRUE;
  g_ptr_array_set_size (self->camera_sources, 0);
  gtk_string_list_splice (self->camera_model, 0, g_list_model_get_n_items (G_LIST_MODEL (self->camera_model)),
                          NULL);
  g_ptr_array_add (self->camera_sources, g_strdup (""));
  gtk_string_list_append (self->camera_model, _("The First One Found"));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlCameraDevice) device = g_list_model_get_item (cameras, i);

      g_ptr_array_add (self->camera_sources, g_strdup (fl_camera_device_get_source (device)));
      gtk_string_list_append (self->camera_model, fl_camera_device_get_name (device));
    }
  self->filling = FALSE;
  select_camera (self);
}

static void
map_cb (FlKioskPage *self)
{
  g_autoptr(GListModel) cameras = fl_camera_device_list ();

  fill_cameras (self, cameras);
}

static void
unbind (FlKioskPage *self)
{
  g_settings_unbind (self->fullscreen_switch, "active");
  g_settings_unbind (self->idle_spin, "value");
  g_settings_unbind (self->language_row, "selected");
  g_signal_handlers_disconnect_by_data (self->settings, self);
  g_settings_unbind (self->wedge_gap_spin, "value");
}

static void
set_settings (FlKioskPage *self, GSettings *settings)
{
  GtkWidget *rows[] = { self->fullscreen_row, self->idle_row, GTK_WIDGET (self->language_row),
                        GTK_WIDGET (self->camera_row), self->wedge_gap_row };

  if (self->settings != NULL)
    unbind (self);
  g_set_object (&self->settings, settings);
  /* Without the schema, the page says so rather than show switches that
   * do nothing. */
  gtk_widget_set_visible (self->unavailable_row, settings == NULL);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_visible (rows[i], settings != NULL);
  if (settings == NULL)
    return;
  g_settings_bind (settings, "start-fullscreen", self->fullscreen_switch, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "idle-timeout", self->idle_spin, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (settings, "visitor-language", self->language_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, language_get_mapping, language_set_mapping, NULL, NULL);
  g_signal_connect_swapped (settings, "changed::camera", G_CALLBACK (select_camera), self);
  select_camera (self);
  g_settings_bind (settings, "wedge-gap-ms", self->wedge_gap_spin, "value", G_SETTINGS_BIND_DEFAULT);
}

static void
fl_kiosk_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlKioskPage *self = FL_KIOSK_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_kiosk_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlKioskPage *self = FL_KIOSK_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      if (self->settings != g_value_get_object (value))
        {
          set_settings (self, g_value_get_object (value));
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_kiosk_page_dispose (GObject *object)
{
  FlKioskPage *self = FL_KIOSK_PAGE (object);

  if (self->settings != NULL)
    unbind (self);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->camera_sources, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_kiosk_page_parent_class)->dispose (object);
}

static void
fl_kiosk_page_class_init (FlKioskPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fl_kiosk_page_get_property;
  object_class->set_property = fl_kiosk_page_set_property;
  object_class->dispose = fl_kiosk_page_dispose;

  /**
   * FlKioskPage:settings: (nullable)
   *
   * The kiosk's settings, or %NULL when the schema is not installed.
   */
  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/fairlead/Fairlead/fl-kiosk-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, unavailable_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, fullscreen_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, fullscreen_switch);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, idle_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, idle_spin);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, language_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, camera_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, camera_model);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, wedge_gap_row);
  gtk_widget_class_bind_template_child (widget_class, FlKioskPage, wedge_gap_spin);
}

static void
fl_kiosk_page_init (FlKioskPage *self)
{
  self->camera_sources = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));
  {
    g_autoptr(GListStore) none = g_list_store_new (FL_TYPE_CAMERA_DEVICE);

    fill_cameras (self, G_LIST_MODEL (none));
  }
  g_signal_connect_swapped (self->camera_row, "notify::selected", G_CALLBACK (camera_selected_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);
  set_settings (self, NULL);
}

/* The cameras as if found now; for the tests. */
void
_fl_kiosk_page_set_cameras (FlKioskPage *self, GListModel *cameras)
{
  fill_cameras (self, cameras);
}

AdwComboRow *
_fl_kiosk_page_get_camera_row (FlKioskPage *self)
{
  return self->camera_row;
}
