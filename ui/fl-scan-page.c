/* fl-scan-page.c: the resting screen — scan a badge, or type in the details
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The camera runs only while this page is on screen: nobody is filmed
 * while a visitor answers questions, and the CPU is free for the lead
 * page. Cameras are listed on a worker thread after the page is first
 * shown, since GStreamer's device monitor can take a moment to answer.
 */
#define G_LOG_DOMAIN "fl-scan-page"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "fl-scan-page.h"
#include "fl-ui-util.h"
#include "scan/fl-camera-device.h"

struct _FlScanPage
{
  AdwBin        parent_instance;

  FlCamera     *camera;
  char         *camera_source;  /* chosen by staff; NULL for the first camera found */
  GListModel   *devices;
  GCancellable *cancellable;
  guint         start_id;
  guint         compact_id;
  gboolean      tiny;
  gboolean      listing;
  gboolean      compact;

  /* Template widgets */
  GtkBox       *content_box;
  GtkStack     *camera_stack;
  GtkPicture   *preview_picture;
  GtkLabel     *camera_title;
  GtkLabel     *camera_message;
  GtkImage     *camera_icon;
  GtkMenuButton *camera_button;
  GtkLabel     *lead_count_label;
  GtkWidget    *reading_box;
  GtkWidget    *reading_spinner;
  GtkWidget    *card_button;

  GtkNativeDialog *chooser;
  gboolean      reading;
};

G_DEFINE_FINAL_TYPE (FlScanPage, fl_scan_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CAMERA_SOURCE,
  N_PROPS
};

enum
{
  CODE_DETECTED,
  CARD_STILL,
  CARD_FILE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void list_devices (FlScanPage *self);

/* The camera the kiosk uses: the one chosen, else the first one found. */
static const char *
effective_source (FlScanPage *self)
{
  if (self->camera_source != NULL)
    return self->camera_source;
  if (self->devices != NULL && g_list_model_get_n_items (self->devices) > 0)
    {
      g_autoptr(FlCameraDevice) device = g_list_model_get_item (self->devices, 0);
      /* Owned by the device, which the list keeps. */
      return fl_camera_device_get_source (device);
    }
  return NULL;
}

static void
show_empty (FlScanPage *self, const char *title, const char *message)
{
  gtk_label_set_label (self->camera_title, title);
  gtk_label_set_label (self->camera_message, message);
  gtk_picture_set_paintable (self->preview_picture, NULL);
  gtk_stack_set_visible_child_name (self->camera_stack, "empty");
}

static void
update_camera (FlScanPage *self)
{
  FlCameraState state = fl_camera_get_state (self->camera);
  const char *message = fl_camera_get_message (self->camera);

  /* Without a camera the button opens a photo of the card instead. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "scan.business-card", !self->reading);
  fl_widget_update_tooltip (self->card_button,
                            state == FL_CAMERA_STATE_RUNNING
                              ? _("Read a business card held in front of the camera")
                              : _("Read a photo of a business card, taken with a phone"));
  switch (state)
    {
    case FL_CAMERA_STATE_RUNNING:
      break;
    case FL_CAMERA_STATE_STARTING:
      break;
    case FL_CAMERA_STATE_LOST:
      show_empty (self, _("Camera Disconnected"),
                  _("Connect the camera again; the kiosk picks it up by itself. "
                    "The badge scanner works meanwhile."));
      break;
    case FL_CAMERA_STATE_ERROR:
      show_empty (self, _("The Camera Does Not Work"),
                  message != NULL ? message : _("Choose another camera in the camera menu."));
      break;
    case FL_CAMERA_STATE_NO_CAMERA:
    case FL_CAMERA_STATE_STOPPED:
    default:
      show_empty (self, _("No Camera"),
                  _("Badges are read by the badge scanner. Connect a camera to read QR codes "
                    "on badges and business cards."));
      break;
    }
}

static void
start_camera (FlScanPage *self)
{
  const char *source = effective_source (self);

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  if (source == NULL)
    {
      /* Nothing to start: say so rather than try the system default and
       * retry forever on a kiosk that has no camera. */
      fl_camera_stop (self->camera);
      update_camera (self);
      return;
    }
  if (g_strcmp0 (fl_camera_get_source (self->camera), source) != 0)
    {
      fl_camera_stop (self->camera);
      fl_camera_set_source (self->camera, source);
    }
  fl_camera_start (self->camera);
  update_camera (self);
}

static gboolean
start_cb (gpointer user_data)
{
  FlScanPage *self = user_data;

  self->start_id = 0;
  if (self->devices == NULL && self->camera_source == NULL)
    list_devices (self);
  else
    start_camera (self);
  return G_SOURCE_REMOVE;
}

static void
rebuild_menu (FlScanPage *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) cameras = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
  guint n = self->devices ? g_list_model_get_n_items (self->devices) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FlCameraDevice) device = g_list_model_get_item (self->devices, i);
      g_autoptr(GMenuItem) item = g_menu_item_new (fl_camera_device_get_name (device), NULL);

      g_menu_item_set_action_and_target (item, "scan.camera", "s",
                                         fl_camera_device_get_source (device));
      g_menu_append_item (cameras, item);
    }
  if (n == 0)
    g_menu_append (cameras, _("No camera found"), "scan.no-camera");
  g_menu_append_section (menu, _("Camera"), G_MENU_MODEL (cameras));
  g_menu_append (more, _("_Look for Cameras Again"), "scan.refresh-cameras");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  gtk_menu_button_set_menu_model (self->camera_button, G_MENU_MODEL (menu));
}

static void
list_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  g_task_return_pointer (task, fl_camera_device_list (), g_object_unref);
}

static void
list_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  FlScanPage *self;
  g_autoptr(GListModel) devices = g_task_propagate_pointer (G_TASK (result), NULL);

  if (devices == NULL)
    return;  /* cancelled: the page is gone */
  self = FL_SCAN_PAGE (object);
  self->listing = FALSE;
  g_set_object (&self->devices, devices);
  rebuild_menu (self);
  start_camera (self);
}

static void
list_devices (FlScanPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->listing)
    return;
  self->listing = TRUE;
  task = g_task_new (self, self->cancellable, list_done_cb, NULL);
  g_task_set_source_tag (task, list_devices);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, list_thread);
}

static void
state_notify_cb (FlCamera *camera, GParamSpec *pspec, gpointer user_data)
{
  update_camera (FL_SCAN_PAGE (user_data));
}

static void
preview_cb (FlCamera *camera, const FlFrame *frame, gpointer user_data)
{
  FlScanPage *self = user_data;
  g_autoptr(GdkTexture) texture = NULL;

  if (frame->format != FL_PIXEL_FORMAT_RGBA8)
    return;
  texture = gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8A8,
                                    frame->pixels, frame->stride);
  gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->camera_stack, "preview");
}

static void
code_detected_cb (FlCamera *camera, const FlSymbol *symbol, gpointer user_data)
{
  FlScanPage *self = user_data;

  if (symbol->data != NULL && symbol->data[0] != '\0')
    g_signal_emit (self, signals[CODE_DETECTED], 0, symbol->data, FALSE);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  FlScanPage *self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file != NULL)
    _fl_scan_page_card_file_chosen (self, file);
}

static void
choose_card_file (FlScanPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    return;
  chooser = gtk_file_chooser_native_new (_("Open a Photo of the Business Card"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Read"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Photos (PNG, JPEG)"));
  gtk_file_filter_add_mime_type (filter, "image/png");
  gtk_file_filter_add_mime_type (filter, "image/jpeg");
  gtk_file_filter_add_suffix (filter, "png");
  gtk_file_filter_add_suffix (filter, "jpg");
  gtk_file_filter_add_suffix (filter, "jpeg");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), self);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

/* A still of the card: the latest preview frame, copied, since the camera
 * reuses its buffers. */
static GdkPixbuf *
take_still (FlScanPage *self)
{
  g_autoptr(FlFrame) frame = NULL;
  g_autoptr(GBytes) pixels = NULL;

  if (fl_camera_get_state (self->camera) != FL_CAMERA_STATE_RUNNING)
    return NULL;
  frame = fl_camera_get_preview (self->camera);
  if (frame == NULL || frame->format != FL_PIXEL_FORMAT_RGBA8)
    return NULL;
  pixels = g_bytes_new (g_bytes_get_data (frame->pixels, NULL), frame->stride * frame->height);
  return gdk_pixbuf_new_from_bytes (pixels, GDK_COLORSPACE_RGB, TRUE, 8, frame->width,
                                    frame->height, frame->stride);
}

static void
business_card_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  FlScanPage *self = FL_SCAN_PAGE (widget);
  g_autoptr(GdkPixbuf) still = NULL;

  if (self->reading)
    return;
  still = take_still (self);
  if (still != NULL)
    g_signal_emit (self, signals[CARD_STILL], 0, still);
  else
    choose_card_file (self);
}

static void
refresh_cameras_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  list_devices (FL_SCAN_PAGE (widget));
}

static void
fl_scan_page_map (GtkWidget *widget)
{
  FlScanPage *self = FL_SCAN_PAGE (widget);

  GTK_WIDGET_CLASS (fl_scan_page_parent_class)->map (widget);
  /* After the first frame: the page is usable before the camera is. */
  if (self->start_id == 0)
    self->start_id = g_idle_add_full (G_PRIORITY_LOW, start_cb, self, NULL);
}

/* Short screens (1024×600 kiosks, a landscape tablet) get the compact
 * layout: smaller title and camera view, less space between, so the whole
 * page, lead count included, fits without scrolling. Below this page
 * height the roomy layout does not fit. */
#define COMPACT_BELOW_PX 600
/* An 800×480 screen: smaller still, the camera's hint left out. */
#define TINY_BELOW_PX 440

static gboolean
compact_cb (gpointer user_data)
{
  FlScanPage *self = user_data;

  self->compact_id = 0;
  if (self->compact)
    gtk_widget_add_css_class (GTK_WIDGET (self), "compact");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "compact");
  if (self->tiny)
    gtk_widget_add_css_class (GTK_WIDGET (self), "tiny");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "tiny");
  gtk_image_set_pixel_size (self->camera_icon, self->tiny ? 48 : 96);
  gtk_widget_set_visible (GTK_WIDGET (self->camera_message), !self->tiny);
  gtk_box_set_spacing (self->content_box, self->compact ? 10 : 18);
  gtk_widget_set_margin_top (GTK_WIDGET (self->content_box), self->compact ? 12 : 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->content_box), self->compact ? 12 : 24);
  return G_SOURCE_REMOVE;
}

/* The scroller's page is the height the page has: it changes with the
 * window, during its allocation. */
static void
page_size_notify_cb (GtkAdjustment *adjustment, GParamSpec *pspec, gpointer user_data)
{
  FlScanPage *self = user_data;
  double height = gtk_adjustment_get_page_size (adjustment);
  gboolean compact = height > 0 && height < COMPACT_BELOW_PX;
  gboolean tiny = height > 0 && height < TINY_BELOW_PX;

  /* Not while allocating: the new style needs a layout of its own. */
  if (compact != self->compact || tiny != self->tiny)
    {
      self->compact = compact;
      self->tiny = tiny;
      if (self->compact_id == 0)
        self->compact_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, compact_cb, self, NULL);
    }
}

static void
fl_scan_page_unmap (GtkWidget *widget)
{
  FlScanPage *self = FL_SCAN_PAGE (widget);

  g_clear_handle_id (&self->start_id, g_source_remove);
  fl_camera_stop (self->camera);
  gtk_picture_set_paintable (self->preview_picture, NULL);
  gtk_stack_set_visible_child_name (self->camera_stack, "empty");
  GTK_WIDGET_CLASS (fl_scan_page_parent_class)->unmap (widget);
}

static void
fl_scan_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FlScanPage *self = FL_SCAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAMERA_SOURCE:
      g_value_set_string (value, self->camera_source ? self->camera_source : "");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_scan_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  FlScanPage *self = FL_SCAN_PAGE (object);

  switch (prop_id)
    {
    case PROP_CAMERA_SOURCE:
      fl_scan_page_set_camera_source (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fl_scan_page_dispose (GObject *object)
{
  FlScanPage *self = FL_SCAN_PAGE (object);

  g_clear_handle_id (&self->start_id, g_source_remove);
  g_clear_handle_id (&self->compact_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (self->chooser);
      g_clear_object (&self->chooser);
    }
  if (self->camera != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->camera, self);
      fl_camera_stop (self->camera);
    }
  g_clear_object (&self->camera);
  g_clear_object (&self->devices);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_SCAN_PAGE);

  G_OBJECT_CLASS (fl_scan_page_parent_class)->dispose (object);
}

static void
fl_scan_page_finalize (GObject *object)
{
  FlScanPage *self = FL_SCAN_PAGE (object);

  g_free (self->camera_source);

  G_OBJECT_CLASS (fl_scan_page_parent_class)->finalize (object);
}

static void
fl_scan_page_class_init (FlScanPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_scan_page_dispose;
  object_class->finalize = fl_scan_page_finalize;
  object_class->get_property = fl_scan_page_get_property;
  object_class->set_property = fl_scan_page_set_property;
  widget_class->map = fl_scan_page_map;
  widget_class->unmap = fl_scan_page_unmap;

  /**
   * FlScanPage:camera-source:
   *
   * The GStreamer source of the camera chosen by staff; empty for the
   * first camera found.
   */
  properties[PROP_CAMERA_SOURCE] =
    g_param_spec_string ("camera-source", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * FlScanPage::code-detected:
   * @payload: what the code says
   * @card: %TRUE for a business card held up on purpose, %FALSE for a
   *   code the camera saw by itself (a badge)
   */
  signals[CODE_DETECTED] = g_signal_new ("code-detected", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                         G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                                         G_TYPE_BOOLEAN);
  /**
   * FlScanPage::card-still:
   * @photo: the card as the camera saw it when “Business card” was pressed
   */
  signals[CARD_STILL] = g_signal_new ("card-still", G_TYPE_FROM_CLASS (klass),
                                      G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                      GDK_TYPE_PIXBUF);
  /**
   * FlScanPage::card-file:
   * @file: a photo of a card that staff chose, for a kiosk without a camera
   */
  signals[CARD_FILE] = g_signal_new ("card-file", G_TYPE_FROM_CLASS (klass),
                                     G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                                     G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-scan-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, camera_stack);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, camera_title);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, camera_message);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, camera_icon);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, camera_button);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, lead_count_label);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, reading_box);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, reading_spinner);
  gtk_widget_class_bind_template_child (widget_class, FlScanPage, card_button);

  gtk_widget_class_install_property_action (widget_class, "scan.camera", "camera-source");
  gtk_widget_class_install_action (widget_class, "scan.business-card", NULL, business_card_action);
  gtk_widget_class_install_action (widget_class, "scan.refresh-cameras", NULL,
                                   refresh_cameras_action);
}

static void
fl_scan_page_init (FlScanPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->camera = fl_camera_new (NULL);
  g_signal_connect (self->camera, "notify::state", G_CALLBACK (state_notify_cb), self);
  g_signal_connect (self->camera, "preview", G_CALLBACK (preview_cb), self);
  g_signal_connect (self->camera, "code-detected", G_CALLBACK (code_detected_cb), self);
  /* The bin's own child: AdwBin unparents it, so it is not bound. */
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (adw_bin_get_child (ADW_BIN (self)))),
                           "notify::page-size",
                           G_CALLBACK (page_size_notify_cb), self, 0);
  rebuild_menu (self);
  update_camera (self);
}

/* Public API */

FlScanPage *
fl_scan_page_new (void)
{
  return g_object_new (FL_TYPE_SCAN_PAGE, NULL);
}

/**
 * fl_scan_page_get_camera:
 *
 * Returns: (transfer none): the camera of the page
 */
FlCamera *
fl_scan_page_get_camera (FlScanPage *self)
{
  g_return_val_if_fail (FL_IS_SCAN_PAGE (self), NULL);
  return self->camera;
}

const char *
fl_scan_page_get_camera_source (FlScanPage *self)
{
  g_return_val_if_fail (FL_IS_SCAN_PAGE (self), NULL);
  return self->camera_source;
}

/**
 * fl_scan_page_set_camera_source:
 * @source: (nullable): a GStreamer source description; %NULL or empty for
 *   the first camera found
 */
void
fl_scan_page_set_camera_source (FlScanPage *self, const char *source)
{
  g_return_if_fail (FL_IS_SCAN_PAGE (self));

  if (source != NULL && source[0] == '\0')
    source = NULL;
  if (g_strcmp0 (self->camera_source, source) == 0)
    return;
  g_free (self->camera_source);
  self->camera_source = g_strdup (source);
  fl_camera_stop (self->camera);
  start_camera (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAMERA_SOURCE]);
}

void
fl_scan_page_set_lead_count (FlScanPage *self, const char *text)
{
  g_return_if_fail (FL_IS_SCAN_PAGE (self));
  gtk_label_set_label (self->lead_count_label, text);
}

GtkLabel *
fl_scan_page_get_lead_count (FlScanPage *self)
{
  g_return_val_if_fail (FL_IS_SCAN_PAGE (self), NULL);
  return self->lead_count_label;
}

/**
 * fl_scan_page_set_reading:
 * @reading: whether a business card is being read
 *
 * Shows “Reading the card…” with a spinner and a Cancel button over the
 * camera view, and holds the “Business card” button meanwhile.
 */
void
fl_scan_page_set_reading (FlScanPage *self, gboolean reading)
{
  g_return_if_fail (FL_IS_SCAN_PAGE (self));

  reading = !!reading;
  if (self->reading == reading)
    return;
  self->reading = reading;
  gtk_widget_set_visible (self->reading_box, reading);
  gtk_spinner_set_spinning (GTK_SPINNER (self->reading_spinner), reading);
  update_camera (self);
}

gboolean
fl_scan_page_get_reading (FlScanPage *self)
{
  g_return_val_if_fail (FL_IS_SCAN_PAGE (self), FALSE);
  return self->reading;
}

/* What the file chooser does with the photo chosen; the GUI tests call it
 * directly, as they cannot drive a portal's dialog. */
void
_fl_scan_page_card_file_chosen (FlScanPage *self, GFile *file)
{
  g_return_if_fail (FL_IS_SCAN_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  if (!self->reading)
    g_signal_emit (self, signals[CARD_FILE], 0, file);
}

GtkWidget *
_fl_scan_page_get_card_button (FlScanPage *self)
{
  return self->card_button;
}

GtkWidget *
_fl_scan_page_get_lead_count_label (FlScanPage *self)
{
  return GTK_WIDGET (self->lead_count_label);
}
