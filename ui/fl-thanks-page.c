/* fl-thanks-page.c: thanks the visitor, with a QR code of the promised handout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-thanks-page"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-thanks-page.h"
#include "scan/fl-qr.h"
#include "score/fl-visitor-text.h"

#define DEFAULT_TIMEOUT_MS (20 * 1000)
/* Big enough for a phone at arm's length, small enough for 1024×600. */
#define QR_TARGET_SIZE 264
/* Below this height the page lays the QR code beside the words: stacked,
 * title, hint, code, link and button need about 620 px. */
#define WIDE_BELOW_HEIGHT 640

struct _FlThanksPage
{
  AdwBin      parent_instance;

  char       *link;
  FlLanguage  language;   /* the visitor's: every word of this page is theirs */
  guint       timeout_ms;
  guint       timeout_id;
  gboolean    wide;        /* the QR code beside the words */
  guint       layout_id;   /* the rearranging after an allocation */

  /* Template widgets */
  GtkGrid    *layout_grid;
  GtkLabel   *title_label;
  GtkLabel   *hint_label;
  GtkPicture *qr_picture;
  GtkLabel   *link_label;
  GtkWidget  *next_button;
};

G_DEFINE_FINAL_TYPE (FlThanksPage, fl_thanks_page, ADW_TYPE_BIN)

enum
{
  FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish (FlThanksPage *self)
{
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_signal_emit (self, signals[FINISHED], 0);
}

static gboolean
timeout_cb (gpointer user_data)
{
  FlThanksPage *self = user_data;

  self->timeout_id = 0;
  finish (self);
  return G_SOURCE_REMOVE;
}

static void
pressed_cb (GtkGestureClick *gesture, int n_press, double x, double y, gpointer user_data)
{
  finish (FL_THANKS_PAGE (user_data));
}

static void
next_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  finish (FL_THANKS_PAGE (widget));
}

static GdkTexture *
render_qr (const char *text, GError **error)
{
  g_autoptr(FlFrame) probe = NULL;
  g_autoptr(FlFrame) frame = NULL;
  guint scale;

  /* One pixel per module first, to pick the scale that gives whole
   * pixels per module near the target size: a QR code scaled by a
   * fraction blurs. */
  probe = fl_qr_render (text, FL_QR_EC_MEDIUM, 1, FL_QR_DEFAULT_MARGIN, FL_PIXEL_FORMAT_RGBA8, error);
  if (probe == NULL)
    return NULL;
  scale = MAX (2, QR_TARGET_SIZE / probe->width);
  frame = fl_qr_render (text, FL_QR_EC_MEDIUM, scale, FL_QR_DEFAULT_MARGIN, FL_PIXEL_FORMAT_RGBA8,
                        error);
  if (frame == NULL)
    return NULL;
  return gdk_memory_texture_new (frame->width, frame->height, GDK_MEMORY_R8G8B8A8,
                                 frame->pixels, frame->stride);
}

static void
place (FlThanksPage *self, GtkWidget *child, int column, int row, int height)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self->layout_grid));
  GtkGridLayoutChild *place = GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child));

  gtk_grid_layout_child_set_column (place, column);
  gtk_grid_layout_child_set_row (place, row);
  gtk_grid_layout_child_set_row_span (place, height);
}

/* Stacked: title, hint, code, link, button in one column. Wide: the code
 * on the left, the words and the button on the right. */
static void
set_wide (FlThanksPage *self, gboolean wide)
{
  self->wide = wide;
  place (self, GTK_WIDGET (self->qr_picture), 0, wide ? 0 : 2, wide ? 4 : 1);
  place (self, GTK_WIDGET (self->title_label), wide ? 1 : 0, 0, 1);
  place (self, GTK_WIDGET (self->hint_label), wide ? 1 : 0, 1, 1);
  place (self, GTK_WIDGET (self->link_label), wide ? 1 : 0, wide ? 2 : 3, 1);
  place (self, self->next_button, wide ? 1 : 0, wide ? 3 : 4, 1);
  gtk_widget_set_valign (GTK_WIDGET (self->qr_picture), wide ? GTK_ALIGN_CENTER : GTK_ALIGN_FILL);
}

static gboolean
layout_cb (gpointer user_data)
{
  FlThanksPage *self = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));

  self->layout_id = 0;
  set_wide (self, height < WIDE_BELOW_HEIGHT && width > height);
  return G_SOURCE_REMOVE;
}

/* AdwBin lays out its child with a GtkBinLayout, which would never call
 * size_allocate below: the page does it itself (fl_thanks_page_init()). */
static void
fl_thanks_page_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum, int *natural,
                        int *minimum_baseline, int *natural_baseline)
{
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));

  *minimum = *natural = 0;
  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_measure (child, orientation, for_size, minimum, natural, minimum_baseline, natural_baseline);
}

static void
fl_thanks_page_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  FlThanksPage *self = FL_THANKS_PAGE (widget);
  GtkWidget *child = adw_bin_get_child (ADW_BIN (widget));
  gboolean wide = height < WIDE_BELOW_HEIGHT && width > height;

  if (child != NULL && gtk_widget_should_layout (child))
    gtk_widget_allocate (child, width, height, baseline, NULL);
  /* Not in the middle of an allocation: the next frame lays it out anew. */
  if (wide != self->wide && self->layout_id == 0)
    self->layout_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, layout_cb, self, NULL);
}

static void
fl_thanks_page_map (GtkWidget *widget)
{
  FlThanksPage *self = FL_THANKS_PAGE (widget);

  GTK_WIDGET_CLASS (fl_thanks_page_parent_class)->map (widget);
  /* Enter moves on; the link (selectable, for copying) would otherwise
   * take the focus and show itself all selected. */
  gtk_widget_grab_focus (self->next_button);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  self->timeout_id = g_timeout_add (self->timeout_ms, timeout_cb, self);
}

static void
fl_thanks_page_unmap (GtkWidget *widget)
{
  FlThanksPage *self = FL_THANKS_PAGE (widget);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  GTK_WIDGET_CLASS (fl_thanks_page_parent_class)->unmap (widget);
}

static void
fl_thanks_page_dispose (GObject *object)
{
  FlThanksPage *self = FL_THANKS_PAGE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->layout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), FL_TYPE_THANKS_PAGE);

  G_OBJECT_CLASS (fl_thanks_page_parent_class)->dispose (object);
}

static void
fl_thanks_page_finalize (GObject *object)
{
  FlThanksPage *self = FL_THANKS_PAGE (object);

  g_free (self->link);

  G_OBJECT_CLASS (fl_thanks_page_parent_class)->finalize (object);
}

static void
fl_thanks_page_class_init (FlThanksPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fl_thanks_page_dispose;
  object_class->finalize = fl_thanks_page_finalize;
  widget_class->map = fl_thanks_page_map;
  widget_class->unmap = fl_thanks_page_unmap;
  widget_class->measure = fl_thanks_page_measure;
  widget_class->size_allocate = fl_thanks_page_size_allocate;

  /**
   * FlThanksPage::finished:
   *
   * The visitor tapped, or the page timed out: back to scanning.
   */
  signals[FINISHED] = g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/fairlead/Fairlead/fl-thanks-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, layout_grid);
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, hint_label);
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, qr_picture);
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, link_label);
  gtk_widget_class_bind_template_child (widget_class, FlThanksPage, next_button);

  gtk_widget_class_install_action (widget_class, "thanks.next", NULL, next_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "thanks.next", NULL);
}

static void
fl_thanks_page_init (FlThanksPage *self)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_layout_manager (GTK_WIDGET (self), NULL);
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->language = fl_language_default ();
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), self);
}

/* Public API */

FlThanksPage *
fl_thanks_page_new (void)
{
  return g_object_new (FL_TYPE_THANKS_PAGE, NULL);
}

/**
 * fl_handout_link:
 * @handout_url: the event's handout link
 * @lead_uuid: (nullable): the lead it is for
 *
 * Returns: the link with the lead's reference (the first eight characters
 *   of its uuid) appended as `ref`, so marketing sees who opened it
 */
char *
fl_handout_link (const char *handout_url, const char *lead_uuid)
{
  g_autofree char *reference = NULL;
  const char *fragment;
  g_autofree char *base = NULL;

  g_return_val_if_fail (handout_url != NULL, NULL);

  if (lead_uuid == NULL || lead_uuid[0] == '\0')
    return g_strdup (handout_url);
  reference = g_strndup (lead_uuid, 8);
  /* The reference goes before a #fragment, into the query. */
  fragment = strchr (handout_url, '#');
  base = fragment ? g_strndup (handout_url, fragment - handout_url) : g_strdup (handout_url);
  return g_strdup_printf ("%s%sref=%s%s", base,
                          strchr (base, '?') == NULL ? "?" : (g_str_has_suffix (base, "?") ||
                                                              g_str_has_suffix (base, "&") ? "" : "&"),
                          reference, fragment ? fragment : "");
}

/**
 * fl_thanks_page_get_link:
 *
 * Returns: (nullable): the link the QR code on show carries
 */
const char *
fl_thanks_page_get_link (FlThanksPage *self)
{
  g_return_val_if_fail (FL_IS_THANKS_PAGE (self), NULL);
  return self->link;
}

guint
fl_thanks_page_get_timeout (FlThanksPage *self)
{
  g_return_val_if_fail (FL_IS_THANKS_PAGE (self), 0);
  return self->timeout_ms;
}

/**
 * fl_thanks_page_set_timeout:
 * @timeout_ms: how long the page stays before it returns to scanning
 */
void
fl_thanks_page_set_timeout (FlThanksPage *self, guint timeout_ms)
{
  g_return_if_fail (FL_IS_THANKS_PAGE (self));
  g_return_if_fail (timeout_ms > 0);
  self->timeout_ms = timeout_ms;
}

/**
 * fl_thanks_page_get_language:
 *
 * Returns: the language the page speaks to the visitor in
 */
FlLanguage
fl_thanks_page_get_language (FlThanksPage *self)
{
  g_return_val_if_fail (FL_IS_THANKS_PAGE (self), FL_LANGUAGE_EN);
  return self->language;
}

/**
 * fl_thanks_page_set_language:
 * @language: the visitor's language, as they chose it on the lead page
 *
 * Sets the language of the next fl_thanks_page_show_lead().
 */
void
fl_thanks_page_set_language (FlThanksPage *self, FlLanguage language)
{
  g_return_if_fail (FL_IS_THANKS_PAGE (self));
  g_return_if_fail (language < FL_N_LANGUAGES);
  self->language = language;
}

/**
 * fl_thanks_page_show_lead:
 * @event: the event, for its handout link
 * @lead: the lead to thank
 */
void
fl_thanks_page_show_lead (FlThanksPage *self, const FlEvent *event, FlLead *lead)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  const char *url = NULL;
  const char *name;

  g_return_if_fail (FL_IS_THANKS_PAGE (self));
  g_return_if_fail (event != NULL);
  g_return_if_fail (FL_IS_LEAD (lead));

  fl_thanks_page_clear (self);

  name = fl_lead_get_field (lead, FL_FIELD_FIRST_NAME);
  if (name == NULL)
    name = fl_lead_get_display_name (lead);
  if (name != NULL)
    /* Translators: to the visitor, by first name */
    title = g_strdup_printf (fl_visitor_gettext (self->language, NV_("Thank you, %s!")), name);
  else
    title = g_strdup (fl_visitor_gettext (self->language, NV_("Thank you!")));
  gtk_label_set_label (self->title_label, title);
  gtk_button_set_label (GTK_BUTTON (self->next_button),
                        fl_visitor_gettext (self->language, NV_("_Next Visitor")));
  gtk_picture_set_alternative_text (self->qr_picture,
                                    fl_visitor_gettext (self->language, NV_("QR code of the handout link")));

  if (event->settings != NULL && JSON_NODE_HOLDS_OBJECT (event->settings))
    url = json_object_get_string_member_with_default (json_node_get_object (event->settings),
                                                      FL_SETTING_HANDOUT_URL, NULL);
  if (url != NULL && url[0] != '\0')
    {
      self->link = fl_handout_link (url, fl_lead_get_uuid (lead));
      texture = render_qr (self->link, &error);
    }
  if (texture != NULL)
    {
      gtk_picture_set_paintable (self->qr_picture, GDK_PAINTABLE (texture));
      gtk_label_set_label (self->hint_label,
                           fl_visitor_gettext (self->language,
                                               NV_("Scan this code with your phone for the handout we promised you.")));
      gtk_label_set_label (self->link_label, self->link);
    }
  else
    {
      if (error != NULL)
        g_warning ("The handout link %s cannot be drawn as a QR code: %s", self->link,
                   error->message);
      gtk_label_set_label (self->hint_label,
                           fl_visitor_gettext (self->language, NV_("We will be in touch. Enjoy the show!")));
    }
  gtk_widget_set_visible (GTK_WIDGET (self->qr_picture), texture != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->link_label), texture != NULL);
}

/**
 * fl_thanks_page_clear:
 *
 * Empties the page: no name, no link left on it.
 */
void
fl_thanks_page_clear (FlThanksPage *self)
{
  g_return_if_fail (FL_IS_THANKS_PAGE (self));

  g_clear_pointer (&self->link, g_free);
  gtk_label_set_label (self->title_label, "");
  gtk_label_set_label (self->hint_label, "");
  gtk_label_set_label (self->link_label, "");
  gtk_picture_set_paintable (self->qr_picture, NULL);
}
