/* fl-window-card.c: business cards at the kiosk window
 *
 * The photo of a card (from the camera, or a file staff chose) is read by
 * OCR on the reader's worker thread (a QR code or barcode on the card
 * wins), then captured like a scan with the fields read as if staff had
 * typed them, so a visitor met before is found again by email or by name
 * and company. The lead page shows the card beside the form.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-window"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "fl-window-private.h"
#include "store/fl-card-photo.h"

/* The longest side of the card photo on the lead page, in pixels. */
#define CARD_DISPLAY_SIDE 440

/* The card the reader cut out of the photo, as a picture to show: in
 * colour when the reader had the photo in colour, else grey. */
static GdkPixbuf *
card_pixbuf (FlCardResult *result)
{
  guint width = 0, height = 0;
  gsize stride = 0;
  GBytes *color = fl_card_result_get_card_color (result, &width, &height, &stride);
  GBytes *grey;
  const guint8 *pixels;
  GdkPixbuf *pixbuf;
  guint8 *out;
  int rowstride;

  if (color != NULL && width > 0 && height > 0)
    return gdk_pixbuf_new_from_bytes (color, GDK_COLORSPACE_RGB, FALSE, 8, (int) width,
                                      (int) height, (int) stride);
  grey = fl_card_result_get_card_image (result, &width, &height, &stride);
  if (grey == NULL || width == 0 || height == 0)
    return NULL;
  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) width, (int) height);
  if (pixbuf == NULL)
    return NULL;
  pixels = g_bytes_get_data (grey, NULL);
  out = gdk_pixbuf_get_pixels (pixbuf);
  rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  for (guint y = 0; y < height; y++)
    for (guint x = 0; x < width; x++)
      memset (out + (gsize) y * rowstride + x * 3, pixels[(gsize) y * stride + x], 3);
  return pixbuf;
}

static void
stop_reading (FlWindow *self)
{
  g_clear_object (&self->card_cancellable);
  fl_scan_page_set_reading (self->scan_page, FALSE);
}

static void
card_read_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GdkPixbuf) photo = user_data;
  g_autoptr(FlCardResult) result = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *self;
  FlWindowCard card;

  result = fl_card_reader_read_finish (FL_CARD_READER (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;  /* staff cancelled, or the window is gone */
  self = g_object_get_data (object, "fl-window");
  g_assert (FL_IS_WINDOW (self));
  stop_reading (self);

  if (result == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("The card could not be read: %s"),
                                                  error->message);
      _fl_window_show_toast (self, message, 0);
      return;
    }
  if (fl_card_result_get_code (result) == NULL && fl_card_result_get_n_found (result) == 0)
    {
      _fl_window_show_toast (self,
                             _("No contact details found on the card. Hold it flat, closer and "
                               "well lit, or type in the details."),
                             6);
      return;
    }
  /* A badge scanned meanwhile was saved; like any new scan, the card
   * opens over it. */
  card.photo = photo;
  card.result = result;
  if (fl_card_result_get_code (result) != NULL)
    {
      /* The code is parsed again by the capture; what only the print
       * has (a phone, a street, a fax) comes along as if typed. */
      g_autoptr(FlLead) printed = fl_lead_new ();
      FlLead *read = fl_card_result_get_lead (result);
      const char *fax = fl_card_result_get_fax (result);
      const char *code = fl_card_result_get_code (result);

      for (FlField field = 0; field < FL_N_FIELDS; field++)
        if (g_strcmp0 (fl_card_result_get_field_source (result, fl_field_to_string (field)),
                       FL_CARD_FROM_CODE) != 0)
          fl_lead_set_field (printed, field, fl_lead_get_field (read, field));
      if (fax != NULL && strstr (code, fax) == NULL)
        {
          g_autofree char *note = g_strdup_printf ("Fax: %s", fax);
          fl_lead_set_notes (printed, note);
        }
      _fl_window_capture (self, fl_card_result_get_code (result), FL_SOURCE_CARD_QR, printed, &card);
    }
  else
    _fl_window_capture (self, NULL, FL_SOURCE_CARD_OCR, fl_card_result_get_lead (result), &card);
  g_debug ("Business card: %.0f ms from the button to the lead page",
           (g_get_monotonic_time () - self->card_started) / 1000.0);
}

static void
read_card (FlWindow *self, GdkPixbuf *photo)
{
  g_autoptr(GBytes) pixels = NULL;
  FlCardPixelFormat format;

  if (!gdk_pixbuf_get_has_alpha (photo) || gdk_pixbuf_get_n_channels (photo) != 4)
    {
      /* The reader takes RGBA; photos from files are often RGB. */
      g_autoptr(GdkPixbuf) rgba = gdk_pixbuf_add_alpha (photo, FALSE, 0, 0, 0);

      read_card (self, rgba);
      return;
    }
  if (self->card_reader == NULL)
    {
      self->card_reader = fl_card_reader_new ();
      fl_card_reader_decode_codes_first (self->card_reader);
      g_object_set_data (G_OBJECT (self->card_reader), "fl-window", self);
    }
  if (self->card_cancellable == NULL)
    self->card_cancellable = g_cancellable_new ();
  fl_scan_page_set_reading (self->scan_page, TRUE);

  format = FL_CARD_PIXELS_RGBA8;
  pixels = gdk_pixbuf_read_pixel_bytes (photo);
  fl_card_reader_read_pixels_async (self->card_reader, pixels, gdk_pixbuf_get_width (photo),
                                    gdk_pixbuf_get_height (photo),
                                    gdk_pixbuf_get_rowstride (photo), format,
                                    self->card_cancellable, card_read_cb, g_object_ref (photo));
}

static void
card_still_cb (FlScanPage *page, GdkPixbuf *photo, gpointer user_data)
{
  FlWindow *self = user_data;

  if (self->store == NULL || self->event == NULL || self->card_cancellable != NULL)
    return;
  self->card_started = g_get_monotonic_time ();
  read_card (self, photo);
}

static void
load_photo_thread (GTask *task, gpointer source_object, gpointer task_data,
                   GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  GError *error = NULL;

  stream = g_file_read (file, cancellable, &error);
  if (stream != NULL)
    pixbuf = gdk_pixbuf_new_from_stream (G_INPUT_STREAM (stream), cancellable, &error);
  if (pixbuf == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Phones store the picture as the sensor saw it and say how to turn it. */
  g_task_return_pointer (task, gdk_pixbuf_apply_embedded_orientation (pixbuf), g_object_unref);
}

static void
photo_loaded_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  g_autoptr(GdkPixbuf) photo = NULL;
  g_autoptr(GError) error = NULL;
  FlWindow *self = FL_WINDOW (object);
  GFile *file = g_task_get_task_data (G_TASK (res));

  photo = g_task_propagate_pointer (G_TASK (res), &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (photo == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message =
        g_strdup_printf (_("“%s” cannot be read as a photo (%s). Choose a PNG or JPEG picture "
                           "of the card."), name, error->message);

      stop_reading (self);
      _fl_window_show_toast (self, message, 0);
      return;
    }
  read_card (self, photo);
}

static void
card_file_cb (FlScanPage *page, GFile *file, gpointer user_data)
{
  FlWindow *self = user_data;
  g_autoptr(GTask) task = NULL;

  if (self->store == NULL || self->event == NULL || self->card_cancellable != NULL)
    return;
  self->card_started = g_get_monotonic_time ();
  self->card_cancellable = g_cancellable_new ();
  fl_scan_page_set_reading (self->scan_page, TRUE);
  task = g_task_new (self, self->card_cancellable, photo_loaded_cb, NULL);
  g_task_set_source_tag (task, card_file_cb);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_photo_thread);
}

void
_fl_window_class_card_init (FlWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_bind_template_callback (widget_class, card_still_cb);
  gtk_widget_class_bind_template_callback (widget_class, card_file_cb);
}

void
_fl_window_card_dispose (FlWindow *self)
{
  if (self->card_cancellable != NULL)
    g_cancellable_cancel (self->card_cancellable);
  g_clear_object (&self->card_cancellable);
  g_clear_object (&self->card_reader);
}

/* Staff gave up on the card being read. */
void
_fl_window_cancel_card (FlWindow *self)
{
  if (self->card_cancellable == NULL)
    return;
  g_cancellable_cancel (self->card_cancellable);
  stop_reading (self);
}

/* Keeps the photo with the lead when the event allows it. A photo that
 * cannot be kept costs the lead nothing: the lead is saved already. */
void
_fl_window_keep_card_photo (FlWindow *self, FlLead *lead, const FlWindowCard *card)
{
  g_autoptr(GBytes) jpeg = NULL;
  g_autoptr(GError) error = NULL;

  if (!fl_card_photo_allowed (self->event))
    return;
  jpeg = fl_card_photo_encode_jpeg (card->photo, FL_CARD_PHOTO_MAX_SIDE, FL_CARD_PHOTO_QUALITY, &error);
  if (jpeg == NULL ||
      !fl_card_photo_save (self->store, fl_lead_get_uuid (lead), jpeg, NULL, &error))
    {
      g_autofree char *message =
        g_strdup_printf (_("The lead is saved, but the photo of the card could not be kept: %s"),
                         error->message);
      g_warning ("%s", message);
      _fl_window_show_toast (self, message, 0);
    }
}

/* The card as the reader found it in the photo, cropped and straightened,
 * when it stood out from the desk; else the photo. Shown at a size that
 * leaves room for the form beside it. */
void
_fl_window_show_card (FlWindow *self, const FlWindowCard *card)
{
  g_autoptr(GdkPixbuf) straight = card_pixbuf (card->result);
  GdkPixbuf *source_photo = straight != NULL ? straight : card->photo;
  int width = gdk_pixbuf_get_width (source_photo);
  int height = gdk_pixbuf_get_height (source_photo);
  double factor = MIN (1.0, CARD_DISPLAY_SIDE / (double) MAX (width, height));
  g_autoptr(GdkPixbuf) shown = gdk_pixbuf_scale_simple (source_photo,
                                                        MAX (1, (int) (width * factor)),
                                                        MAX (1, (int) (height * factor)),
                                                        GDK_INTERP_BILINEAR);
  g_autoptr(GdkTexture) texture = gdk_texture_new_for_pixbuf (shown ? shown : source_photo);

  fl_lead_page_show_card (self->lead_page, GDK_PAINTABLE (texture), card->result);
}
