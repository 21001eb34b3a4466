/* fl-dashboard.c: the event at a glance
 *
 * Leads per hour, the MQL/SAL/DISQUALIFIED split, the score histogram with
 * the SAL threshold, leads per staff member and the upload health, read
 * by fl_stats_read() and drawn on one canvas with GtkSnapshot and
 * cairo. A SAL waiting for upload for more than an hour raises a warning:
 * the hand-over to sales must never be delayed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-dashboard"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "booth/fl-booth-kiosk.h"
#include "fl-back-office-private.h"
#include "fl-dashboard.h"
#include "fl-ui-util.h"
#include "score/fl-model-store.h"
#include "store/fl-privacy.h"
#include "store/fl-stats.h"
#include "sync/fl-backlog.h"

#define PANEL_HEIGHT 230
#define GAP 12
#define MAX_HOURS 72
#define MAX_STAFF 8
#define SAL_WAIT_WARNING_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

typedef struct
{
  char   *label;
  gint64  count;
} Bucket;

typedef struct
{
  gint64     n_leads;
  gint64     status[3];        /* by FlStatus */
  GArray    *hours;            /* Bucket: "Tue 14" style labels, gaps within a day filled */
  GArray    *scores;           /* gint64 per bin of score_bin points */
  int        score_bin;
  GArray    *staff;            /* Bucket, most leads first */
  gint64     upload[5];        /* by FlUploadState */
  gint64     oldest_sal_wait;  /* µs the oldest waiting SAL has waited, 0 for none */
  gint64     waiting_sals;     /* SALs no CRM has yet: queued, or with no CRM, all undelivered */
  gboolean   no_crm;           /* no connector: nothing is queued, the SALs wait for one */
  char      *sal_text;         /* the upload panel's line about them */
  int        sal_threshold;    /* -1 when the event has no model */
} Stats;

#define FL_TYPE_DASHBOARD_CANVAS (fl_dashboard_canvas_get_type ())
G_DECLARE_FINAL_TYPE (FlDashboardCanvas, fl_dashboard_canvas, FL, DASHBOARD_CANVAS, GtkWidget)

struct _FlDashboardCanvas
{
  GtkWidget  parent_instance;
  Stats     *stats;
  GArray    *hour_label_rects;  /* graphene_rect_t: where the last frame drew the hours' labels */
  GPtrArray *hour_label_texts;  /* and what they said */
};

G_DEFINE_FINAL_TYPE (FlDashboardCanvas, fl_dashboard_canvas, GTK_TYPE_WIDGET)

struct _FlDashboard
{
  AdwBin             parent_instance;

  FlStore           *store;
  Stats              stats;

  GtkStack          *stack;
  AdwStatusPage     *empty_page;
  GtkWidget         *warning;
  GtkLabel          *warning_label;
  GtkWidget         *retention_notice;
  GtkLabel          *retention_label;
  FlDashboardCanvas *canvas;
};

G_DEFINE_FINAL_TYPE (FlDashboard, fl_dashboard, ADW_TYPE_BIN)

static const GdkRGBA status_colors[3] = {
  [FL_STATUS_MQL] = { 0.21, 0.52, 0.89, 1.0 },          /* blue 3 */
  [FL_STATUS_SAL] = { 0.18, 0.76, 0.49, 1.0 },          /* green 4 */
  [FL_STATUS_DISQUALIFIED] = { 0.60, 0.59, 0.57, 1.0 }, /* dark 1 */
};
static const GdkRGBA accent = { 0.21, 0.52, 0.89, 1.0 };
static const GdkRGBA warning_color = { 0.90, 0.65, 0.04, 1.0 };
static const GdkRGBA error_color = { 0.88, 0.11, 0.14, 1.0 };
static const GdkRGBA success_color = { 0.18, 0.76, 0.49, 1.0 };

static void
bucket_clear (gpointer data)
{
  g_free (((Bucket *) data)->label);
}

static void
stats_clear (Stats *stats)
{
  g_clear_pointer (&stats->hours, g_array_unref);
  g_clear_pointer (&stats->scores, g_array_unref);
  g_clear_pointer (&stats->staff, g_array_unref);
  g_clear_pointer (&stats->sal_text, g_free);
  memset (stats, 0, sizeof *stats);
  stats->sal_threshold = -1;
}

static char *
format_wait (gint64 us)
{
  gint64 minutes = us / (60 * G_USEC_PER_SEC);

  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", (gulong) minutes),
                            (int) minutes);
  return g_strdup_printf (_("%d h %02d min"), (int) (minutes / 60), (int) (minutes % 60));
}

/* Drawing */

static void
set_color (cairo_t *cr, const GdkRGBA *color, double alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
rounded_rect (cairo_t *cr, double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

/* A layout for @text in the canvas's font, bold and scaled as asked. */
static PangoLayout *
text_layout (GtkWidget *widget, const char *text, gboolean bold, double scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *font = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  if (scale != 1.0 && pango_font_description_get_size_is_absolute (font))
    pango_font_description_set_absolute_size (font, pango_font_description_get_size (font) * scale);
  else if (scale != 1.0)
    pango_font_description_set_size (font, (int) (pango_font_description_get_size (font) * scale));
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  return layout;
}

/* Draws @text with its top left (or, for @align 0.5 / 1, its centre or
 * right end) at x, y; returns its height. */
static int
draw_text (GtkWidget *widget, cairo_t *cr, const GdkRGBA *color, double alpha, const char *text, double x,
           double y, double align, double max_width, gboolean bold, double scale)
{
  g_autoptr(PangoLayout) layout = text_layout (widget, text, bold, scale);
  int w, h;

  if (max_width > 0)
    {
      pango_layout_set_width (layout, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  set_color (cr, color, alpha);
  cairo_move_to (cr, x - w * align, y);
  pango_cairo_show_layout (cr, layout);
  return h;
}

static double
begin_panel (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, double x, double y, double w, double h,
             const char *title)
{
  rounded_rect (cr, x, y, w, h, 12);
  set_color (cr, fg, 0.05);
  cairo_fill (cr);
  return y + 12 + draw_text (widget, cr, fg, 1.0, title, x + 16, y + 12, 0, w - 32, TRUE, 1.0) + 10;
}

/* The room kept between two labels under the bars. */
#define LABEL_SPACING 6

static gboolean
label_is_free (GArray *placed, const graphene_rect_t *rect)
{
  for (guint i = 0; i < placed->len; i++)
    {
      const graphene_rect_t *other = &g_array_index (placed, graphene_rect_t, i);

      if (rect->origin.x < other->origin.x + other->size.width + LABEL_SPACING &&
          other->origin.x < rect->origin.x + rect->size.width + LABEL_SPACING)
        return FALSE;
    }
  return TRUE;
}

/* Which of the labels under @n bars of @bar_w from @x to show, and where:
 * a day's first hour ("Thu 07") first, as it names the day, then the
 * others on a regular step wide enough for the widest of them, each only
 * where it keeps clear of those already placed. Labels stay within the
 * @pad around the chart. Fills @shown (gboolean per bar) and @rects
 * (graphene_rect_t per bar, of the shown ones). */
static void
place_labels (GtkWidget *widget, GArray *labels, guint n, double x, double bar_w, double pad, double y,
              gboolean *shown, graphene_rect_t *rects)
{
  g_autoptr(GArray) placed = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  double widest = 0, right = x + n * bar_w + pad;
  guint every;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PangoLayout) layout = text_layout (widget, g_array_index (labels, Bucket, i).label, FALSE, 0.8);
      int w, h;
      double cx = x + (i + 0.5) * bar_w;

      pango_layout_get_pixel_size (layout, &w, &h);
      rects[i] = GRAPHENE_RECT_INIT (CLAMP (cx - w / 2.0, x - pad, MAX (x - pad, right - w)), y, w, h);
      shown[i] = FALSE;
      if (strchr (g_array_index (labels, Bucket, i).label, ' ') == NULL)
        widest = MAX (widest, w);
    }
  for (guint i = 0; i < n; i++)
    if (strchr (g_array_index (labels, Bucket, i).label, ' ') != NULL && label_is_free (placed, &rects[i]))
      {
        shown[i] = TRUE;
        g_array_append_val (placed, rects[i]);
      }
  every = MAX (1, (guint) ceil ((widest + LABEL_SPACING) / MAX (bar_w, 1)));
  for (guint i = 0; i < n; i += every)
    if (!shown[i] && label_is_free (placed, &rects[i]))
      {
        shown[i] = TRUE;
        g_array_append_val (placed, rects[i]);
      }
}

/* Draws @n bars, labelled; @placed_rects and @placed_texts, when given,
 * get where the labels went and what they say. */
static void
draw_bars (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, double x, double y, double w, double h,
           GArray *labels, const gint64 *values, guint n, int threshold_bin, double threshold_frac,
           GArray *placed_rects, GPtrArray *placed_texts)
{
  gint64 max = 1;
  double bar_w, label_h = 18, chart_h;
  g_autofree gboolean *shown = g_new0 (gboolean, MAX (n, 1));
  g_autofree graphene_rect_t *rects = g_new0 (graphene_rect_t, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    max = MAX (max, values[i]);
  chart_h = h - label_h - 16;
  bar_w = w / MAX (n, 1);
  if (labels != NULL)
    place_labels (widget, labels, n, x, bar_w, 12, y + chart_h + 4, shown, rects);

  /* Baseline and the maximum */
  set_color (cr, fg, 0.2);
  cairo_rectangle (cr, x, y + chart_h, w, 1);
  cairo_fill (cr);
  {
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, max);
    draw_text (widget, cr, fg, 0.55, text, x + w, y - 4, 1.0, 0, FALSE, 0.8);
  }

  for (guint i = 0; i < n; i++)
    {
      double bh = values[i] == 0 ? 0 : MAX (2, chart_h * values[i] / (double) max);
      double bx = x + i * bar_w + MIN (3, bar_w * 0.15);
      double bw = MAX (1, bar_w - 2 * MIN (3, bar_w * 0.15));

      /* A bar is SAL when its whole range is at or above the threshold. */
      if (threshold_bin >= 0 && ((int) i > threshold_bin || ((int) i == threshold_bin && threshold_frac == 0)))
        set_color (cr, &status_colors[FL_STATUS_SAL], 0.9);
      else
        set_color (cr, &accent, 0.9);
      rounded_rect (cr, bx, y + chart_h - bh, bw, bh, MIN (3, bw / 2));
      cairo_fill (cr);
      /* Every day's first hour is labelled with the day; others as room allows. */
      if (labels != NULL && shown[i])
        {
          draw_text (widget, cr, fg, 0.6, g_array_index (labels, Bucket, i).label, rects[i].origin.x,
                     rects[i].origin.y, 0, 0, FALSE, 0.8);
          if (placed_rects != NULL)
            g_array_append_val (placed_rects, rects[i]);
          if (placed_texts != NULL)
            g_ptr_array_add (placed_texts, g_strdup (g_array_index (labels, Bucket, i).label));
        }
    }

  if (threshold_bin >= 0)
    {
      double tx = x + (threshold_bin + threshold_frac) * bar_w;
      g_autofree char *text = g_strdup_printf (_("SAL from %d"), GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "threshold")));

      set_color (cr, &error_color, 1.0);
      cairo_set_line_width (cr, 2);
      cairo_set_dash (cr, (double[]) { 4, 3 }, 2, 0);
      cairo_move_to (cr, tx, y - 2);
      cairo_line_to (cr, tx, y + chart_h);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      draw_text (widget, cr, &error_color, 1.0, text, tx + 4, y - 2, 0, 0, TRUE, 0.8);
    }
}

static void
draw_hours (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, Stats *stats, double x, double y, double w,
            double h)
{
  double top = begin_panel (widget, cr, fg, x, y, w, h, _("Leads per Hour"));
  g_autofree gint64 *values = g_new0 (gint64, MAX (stats->hours->len, 1));

  for (guint i = 0; i < stats->hours->len; i++)
    values[i] = g_array_index (stats->hours, Bucket, i).count;
  draw_bars (widget, cr, fg, x + 16, top + 8, w - 32, y + h - top - 20, stats->hours, values, stats->hours->len,
             -1, 0, FL_DASHBOARD_CANVAS (widget)->hour_label_rects, FL_DASHBOARD_CANVAS (widget)->hour_label_texts);
}

static void
draw_status (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, Stats *stats, double x, double y, double w,
             double h)
{
  double top = begin_panel (widget, cr, fg, x, y, w, h, _("Status"));
  double bx = x + 16, bw = w - 32, cursor = bx;
  gint64 total = MAX (1, stats->status[0] + stats->status[1] + stats->status[2]);
  const FlStatus order[] = { FL_STATUS_SAL, FL_STATUS_MQL, FL_STATUS_DISQUALIFIED };

  /* One bar split by status, then a legend with counts and shares. */
  rounded_rect (cr, bx, top + 4, bw, 28, 8);
  cairo_save (cr);
  cairo_clip (cr);
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      double sw = bw * stats->status[order[i]] / (double) total;

      set_color (cr, &status_colors[order[i]], 1.0);
      cairo_rectangle (cr, cursor, top + 4, sw, 28);
      cairo_fill (cr);
      cursor += sw;
    }
  cairo_restore (cr);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      double ly = top + 48 + i * 30;
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT "  (%.0f %%)", stats->status[order[i]],
                                                100.0 * stats->status[order[i]] / total);

      set_color (cr, &status_colors[order[i]], 1.0);
      rounded_rect (cr, bx, ly + 3, 14, 14, 4);
      cairo_fill (cr);
      draw_text (widget, cr, fg, 1.0, fl_status_get_label (order[i]), bx + 22, ly, 0, 0, FALSE, 1.0);
      draw_text (widget, cr, fg, 0.8, count, bx + bw, ly, 1.0, 0, TRUE, 1.0);
    }
}

static void
draw_scores (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, Stats *stats, double x, double y, double w,
             double h)
{
  double top = begin_panel (widget, cr, fg, x, y, w, h, _("Score"));
  g_autoptr(GArray) labels = g_array_new (FALSE, TRUE, sizeof (Bucket));
  guint n = stats->scores->len;
  int threshold_bin = -1;
  double threshold_frac = 0;

  g_array_set_clear_func (labels, bucket_clear);
  for (guint i = 0; i < n; i++)
    {
      Bucket bucket = { g_strdup_printf ("%d", (int) i * stats->score_bin), 0 };
      g_array_append_val (labels, bucket);
    }
  if (stats->sal_threshold >= 0)
    {
      threshold_bin = stats->sal_threshold / stats->score_bin;
      threshold_frac = (stats->sal_threshold % stats->score_bin) / (double) stats->score_bin;
      g_object_set_data (G_OBJECT (widget), "threshold", GINT_TO_POINTER (stats->sal_threshold));
      if (threshold_bin >= (int) n)
        threshold_bin = -1;
    }
  draw_bars (widget, cr, fg, x + 16, top + 12, w - 32, y + h - top - 24, labels,
             (const gint64 *) stats->scores->data, n, threshold_bin, threshold_frac, NULL, NULL);
}

static void
draw_staff (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, Stats *stats, double x, double y, double w,
            double h)
{
  double top = begin_panel (widget, cr, fg, x, y, w, h, _("Leads per Staff Member"));
  double name_w = MIN (120, w * 0.35), bar_x = x + 16 + name_w + 8, bar_w = w - 32 - name_w - 8 - 50;
  double row_h = MIN (24, (y + h - top - 12) / MAX (1, stats->staff->len));
  gint64 max = 1;

  for (guint i = 0; i < stats->staff->len; i++)
    max = MAX (max, g_array_index (stats->staff, Bucket, i).count);
  for (guint i = 0; i < stats->staff->len; i++)
    {
      Bucket *bucket = &g_array_index (stats->staff, Bucket, i);
      double ry = top + i * row_h;
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, bucket->count);

      draw_text (widget, cr, fg, 1.0, bucket->label, x + 16, ry, 0, name_w, FALSE, 0.9);
      set_color (cr, &accent, 0.9);
      rounded_rect (cr, bar_x, ry + 3, MAX (2, bar_w * bucket->count / (double) max), row_h - 8, 3);
      cairo_fill (cr);
      draw_text (widget, cr, fg, 0.8, count, x + w - 16, ry, 1.0, 0, TRUE, 0.9);
    }
}

static void
draw_upload (GtkWidget *widget, cairo_t *cr, const GdkRGBA *fg, Stats *stats, double x, double y, double w,
             double h)
{
  double top = begin_panel (widget, cr, fg, x, y, w, h, _("Upload Health"));
  struct { const char *label; gint64 count; const GdkRGBA *color; } rows[] = {
    { fl_upload_state_get_label (FL_UPLOAD_DONE), stats->upload[FL_UPLOAD_DONE], &success_color },
    { fl_upload_state_get_label (FL_UPLOAD_WAITING), stats->upload[FL_UPLOAD_WAITING], &warning_color },
    { fl_upload_state_get_label (FL_UPLOAD_FAILED), stats->upload[FL_UPLOAD_FAILED], &error_color },
    { fl_upload_state_get_label (FL_UPLOAD_NONE), stats->upload[FL_UPLOAD_NONE],
      &status_colors[FL_STATUS_DISQUALIFIED] },
  };
  double ly = top + 4;

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++, ly += 28)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, rows[i].count);

      set_color (cr, rows[i].color, 1.0);
      cairo_arc (cr, x + 23, ly + 10, 6, 0, 2 * G_PI);
      cairo_fill (cr);
      draw_text (widget, cr, fg, 1.0, rows[i].label, x + 38, ly, 0, 0, FALSE, 1.0);
      draw_text (widget, cr, fg, 0.8, count, x + w - 16, ly, 1.0, 0, TRUE, 1.0);
    }

  ly += 8;
  if (stats->waiting_sals > 0)
    {
      gboolean late = stats->no_crm || stats->oldest_sal_wait > SAL_WAIT_WARNING_US;

      draw_text (widget, cr, late ? &error_color : fg, 1.0, stats->sal_text, x + 16, ly, 0, w - 32, late, 1.0);
    }
  else if (stats->sal_text != NULL)
    draw_text (widget, cr, &success_color, 1.0, stats->sal_text, x + 16, ly, 0, w - 32, FALSE, 1.0);
}

static void
fl_dashboard_canvas_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  FlDashboardCanvas *self = FL_DASHBOARD_CANVAS (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA fg;
  cairo_t *cr;
  double col_w;

  if (self->stats == NULL || self->stats->hours == NULL || width <= 0 || height <= 0)
    return;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS

  g_array_set_size (self->hour_label_rects, 0);
  g_ptr_array_set_size (self->hour_label_texts, 0);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  col_w = (width - 3 * GAP) / 2.0;
  draw_hours (widget, cr, &fg, self->stats, GAP, GAP, width - 2 * GAP, PANEL_HEIGHT);
  draw_status (widget, cr, &fg, self->stats, GAP, 2 * GAP + PANEL_HEIGHT, col_w, PANEL_HEIGHT);
  draw_upload (widget, cr, &fg, self->stats, 2 * GAP + col_w, 2 * GAP + PANEL_HEIGHT, col_w, PANEL_HEIGHT);
  draw_scores (widget, cr, &fg, self->stats, GAP, 3 * GAP + 2 * PANEL_HEIGHT, col_w, PANEL_HEIGHT);
  draw_staff (widget, cr, &fg, self->stats, 2 * GAP + col_w, 3 * GAP + 2 * PANEL_HEIGHT, col_w, PANEL_HEIGHT);
  cairo_destroy (cr);
}

static void
fl_dashboard_canvas_measure (GtkWidget *widget, GtkOrientation orientation, int for_size, int *minimum,
                             int *natural, int *minimum_baseline, int *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    *minimum = *natural = 560;
  else
    *minimum = *natural = 3 * PANEL_HEIGHT + 4 * GAP;
}

static void
fl_dashboard_canvas_finalize (GObject *object)
{
  FlDashboardCanvas *self = FL_DASHBOARD_CANVAS (object);

  g_clear_pointer (&self->hour_label_rects, g_array_unref);
  g_clear_pointer (&self->hour_label_texts, g_ptr_array_unref);
  G_OBJECT_CLASS (fl_dashboard_canvas_parent_class)->finalize (object);
}

static void
fl_dashboard_canvas_class_init (FlDashboardCanvasClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->finalize = fl_dashboard_canvas_finalize;

  widget_class->snapshot = fl_dashboard_canvas_snapshot;
  widget_class->measure = fl_dashboard_canvas_measure;
}

static void
fl_dashboard_canvas_init (FlDashboardCanvas *self)
{
  self->hour_label_rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  self->hour_label_texts = g_ptr_array_new_with_free_func (g_free);
}

/* Reading */

static void
read_hours (FlDashboard *self, GArray *hours)
{
  g_autoptr(GDateTime) previous = NULL;

  for (guint i = 0; i < hours->len; i++)
    {
      const FlStatsBucket *row = &g_array_index (hours, FlStatsBucket, i);
      const char *hour = row->label;
      int y, m, d, h;
      g_autoptr(GDateTime) at = NULL;

      if (hour == NULL || sscanf (hour, "%d-%d-%d %d", &y, &m, &d, &h) != 4 ||
          (at = g_date_time_new_local (y, m, d, h, 0, 0)) == NULL)
        continue;
      /* Fill the quiet hours of the same day; a night between show days is
       * left out rather than drawn as twelve empty bars. */
      if (previous != NULL && g_date_time_get_day_of_year (previous) == g_date_time_get_day_of_year (at))
        {
          g_autoptr(GDateTime) gap = g_date_time_add_hours (previous, 1);

          while (g_date_time_compare (gap, at) < 0)
            {
              Bucket bucket = { g_date_time_format (gap, "%H"), 0 };
              GDateTime *next = g_date_time_add_hours (gap, 1);

              g_array_append_val (self->stats.hours, bucket);
              g_date_time_unref (gap);
              gap = next;
            }
        }
      {
        gboolean new_day = previous == NULL ||
                           g_date_time_get_day_of_year (previous) != g_date_time_get_day_of_year (at);
        Bucket bucket = { g_date_time_format (at, new_day ? "%a %H" : "%H"), row->count };

        g_array_append_val (self->stats.hours, bucket);
      }
      g_clear_pointer (&previous, g_date_time_unref);
      previous = g_date_time_ref (at);
    }
  if (self->stats.hours->len > MAX_HOURS)
    g_array_remove_range (self->stats.hours, 0, self->stats.hours->len - MAX_HOURS);
}

/* The SALs sales does not have yet, from the core's count: queued for a
 * CRM, or with no CRM connected, every SAL not delivered. */
static void
read_waiting_sals (FlDashboard *self, const char *event)
{
  Stats *stats = &self->stats;
  g_autoptr(GError) error = NULL;
  g_autofree char *count = NULL;
  FlBacklog backlog;
  gint64 oldest;

  if (!fl_backlog_read (self->store, event, "SAL", &backlog, &error))
    {
      g_debug ("Cannot count the waiting SALs: %s", error->message);
      stats->sal_text = g_strdup (error->message);
      return;
    }
  stats->no_crm = backlog.connectors == 0;
  stats->waiting_sals = stats->no_crm ? backlog.undelivered : backlog.queued;
  oldest = stats->no_crm ? backlog.oldest_undelivered : backlog.oldest_queued;
  if (stats->waiting_sals > 0 && oldest > 0)
    stats->oldest_sal_wait = MAX (1, g_get_real_time () - oldest);
  count = g_strdup_printf ("%" G_GINT64_FORMAT, stats->waiting_sals);
  if (stats->waiting_sals == 0)
    stats->sal_text = g_strdup (_("No SAL is waiting"));
  else if (stats->no_crm)
    stats->sal_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s SAL waits for a CRM — no CRM is connected",
                                                    "%s SALs wait for a CRM — no CRM is connected",
                                                    (gulong) stats->waiting_sals),
                                       count);
  else
    {
      g_autofree char *wait = format_wait (stats->oldest_sal_wait);

      stats->sal_text = g_strdup_printf (_("Oldest SAL waiting: %s"), wait);
    }
}

static void
read_stats (FlDashboard *self, const char *event)
{
  Stats *stats = &self->stats;
  g_autoptr(FlStats) figures = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) device_names = NULL;
  GArray *staff;

  stats->hours = g_array_new (FALSE, TRUE, sizeof (Bucket));
  g_array_set_clear_func (stats->hours, bucket_clear);
  stats->staff = g_array_new (FALSE, TRUE, sizeof (Bucket));
  g_array_set_clear_func (stats->staff, bucket_clear);
  stats->scores = g_array_new (FALSE, TRUE, sizeof (gint64));
  if (event == NULL)
    return;

  figures = fl_stats_read (self->store, event, stats->sal_threshold, &error);
  if (figures == NULL)
    {
      g_message ("Cannot read the figures of the event: %s", error->message);
      return;
    }
  stats->n_leads = figures->n_leads;
  memcpy (stats->status, figures->status, sizeof stats->status);
  if (stats->n_leads == 0)
    return;

  read_hours (self, figures->hours);
  staff = figures->staff;
  stats->score_bin = figures->score_bin;
  g_array_append_vals (stats->scores, figures->scores->data, figures->scores->len);
  /* In a booth: who captured them at which kiosk, "Tess · Hall-B". */
  device_names = fl_booth_device_names (self->store);
  if (g_hash_table_size (device_names) > 1)
    staff = figures->staff_kiosks;
  for (guint i = 0; i < staff->len; i++)
    {
      const FlStatsBucket *row = &g_array_index (staff, FlStatsBucket, i);
      const char *who = row->label ? row->label : _("Unknown");
      const char *kiosk = row->device ? g_hash_table_lookup (device_names, row->device) : NULL;
      Bucket bucket = { kiosk ? g_strdup_printf (_("%s · %s"), who, kiosk) : g_strdup (who),
                        row->count };

      g_array_append_val (stats->staff, bucket);
    }
  memcpy (stats->upload, figures->upload, sizeof stats->upload);

  read_waiting_sals (self, event);
}

/* What the retention gate would keep or cannot do now (nothing is deleted
 * here; the kiosk applies retention at start). */
static void
read_retention (FlDashboard *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(FlRetention) retention = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *report = NULL;

  retention = fl_privacy_apply_retention (self->store, now, FL_RETENTION_DRY_RUN, NULL, &error);
  if (retention == NULL)
    g_message ("Cannot judge the retention periods: %s", error->message);
  else
    report = fl_retention_describe (retention);
  gtk_label_set_label (self->retention_label, report ? report : "");
  gtk_widget_set_visible (self->retention_notice, report != NULL);
}

static void
fl_dashboard_finalize (GObject *object)
{
  FlDashboard *self = FL_DASHBOARD (object);

  stats_clear (&self->stats);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (fl_dashboard_parent_class)->finalize (object);
}

static void
fl_dashboard_class_init (FlDashboardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_dashboard_finalize;
}

static void
fl_dashboard_init (FlDashboard *self)
{
  GtkWidget *box, *scrolled, *clamp, *icon;

  self->stats.sal_threshold = -1;
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_bin_set_child (ADW_BIN (self), box);

  /* Above the figures of any event: the retention gate speaks for all. */
  self->retention_notice = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->retention_notice, "retention-notice");
  icon = gtk_image_new_from_icon_name ("dialog-information-symbolic");
  gtk_box_append (GTK_BOX (self->retention_notice), icon);
  self->retention_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->retention_label, TRUE);
  gtk_label_set_xalign (self->retention_label, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->retention_label), TRUE);
  gtk_box_append (GTK_BOX (self->retention_notice), GTK_WIDGET (self->retention_label));
  gtk_widget_set_visible (self->retention_notice, FALSE);
  gtk_box_append (GTK_BOX (box), self->retention_notice);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  self->empty_page = ADW_STATUS_PAGE (adw_status_page_new ());
  adw_status_page_set_icon_name (self->empty_page, "x-office-presentation-symbolic");
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->empty_page), "empty");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->warning = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_add_css_class (self->warning, "sal-warning");
  icon = gtk_image_new_from_icon_name ("dialog-warning-symbolic");
  gtk_box_append (GTK_BOX (self->warning), icon);
  self->warning_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->warning_label, TRUE);
  gtk_label_set_xalign (self->warning_label, 0);
  gtk_box_append (GTK_BOX (self->warning), GTK_WIDGET (self->warning_label));
  gtk_widget_set_visible (self->warning, FALSE);
  gtk_box_append (GTK_BOX (box), self->warning);

  self->canvas = g_object_new (FL_TYPE_DASHBOARD_CANVAS, NULL);
  self->canvas->stats = &self->stats;
  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->canvas));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  gtk_stack_add_named (self->stack, box, "charts");
}

GtkWidget *
fl_dashboard_new (FlStore *store)
{
  FlDashboard *self;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  self = g_object_new (FL_TYPE_DASHBOARD, NULL);
  self->store = g_object_ref (store);
  return GTK_WIDGET (self);
}

/**
 * fl_dashboard_reload:
 *
 * Reads the figures of the active event again and redraws.
 */
void
fl_dashboard_reload (FlDashboard *self)
{
  g_autofree char *event = NULL;

  g_return_if_fail (FL_IS_DASHBOARD (self));

  stats_clear (&self->stats);
  event = fl_store_get_meta (self->store, "active_event");
  if (event != NULL)
    {
      g_autoptr(FlModel) model = fl_model_store_load_for_event (self->store, event, NULL);

      if (model != NULL)
        self->stats.sal_threshold = fl_model_get_sal_threshold (model);
    }
  read_stats (self, event);

  if (self->stats.n_leads == 0)
    {
      adw_status_page_set_title (self->empty_page, event ? _("No Leads Yet") : _("No Event"));
      adw_status_page_set_description (self->empty_page,
                                       event ? _("The figures appear here as soon as the first visitor is captured.")
                                             : _("Create an event in the settings to start capturing leads."));
      gtk_stack_set_visible_child_name (self->stack, "empty");
    }
  else
    gtk_stack_set_visible_child_name (self->stack, "charts");

  if (fl_dashboard_get_sal_warning (self) && self->stats.no_crm)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, self->stats.waiting_sals);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%s SAL waits for a CRM, but no CRM is connected: sales cannot get it. "
                                      "Add a connector in the settings, on the Upload page.",
                                      "%s SALs wait for a CRM, but no CRM is connected: sales cannot get them. "
                                      "Add a connector in the settings, on the Upload page.",
                                      (gulong) self->stats.waiting_sals),
                         count);
      gtk_label_set_label (self->warning_label, text);
    }
  else if (fl_dashboard_get_sal_warning (self))
    {
      g_autofree char *wait = format_wait (self->stats.oldest_sal_wait);
      g_autofree char *text =
        g_strdup_printf (_("A SAL has waited %s for upload. Sales must get it today: check the connection and "
                           "the connectors, then use Upload Now in the settings."),
                         wait);
      gtk_label_set_label (self->warning_label, text);
    }
  gtk_widget_set_visible (self->warning, fl_dashboard_get_sal_warning (self));
  read_retention (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

gint64
fl_dashboard_get_n_leads (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), 0);
  return self->stats.n_leads;
}

/* Whether a SAL has waited for upload for more than an hour, or waits
 * with no CRM connected to take it. */
gboolean
fl_dashboard_get_sal_warning (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), FALSE);
  return (self->stats.no_crm && self->stats.waiting_sals > 0) ||
         self->stats.oldest_sal_wait > SAL_WAIT_WARNING_US;
}

/**
 * fl_dashboard_get_sal_text:
 *
 * Returns: what the upload panel says about the waiting SALs
 */
const char *
fl_dashboard_get_sal_text (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), NULL);
  return self->stats.sal_text;
}

/**
 * fl_dashboard_get_warning_text:
 *
 * Returns: (nullable): the warning above the figures, %NULL when none shows
 */
const char *
fl_dashboard_get_warning_text (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), NULL);
  return fl_dashboard_get_sal_warning (self) ? gtk_label_get_label (self->warning_label) : NULL;
}

/* The retention notice shown above the figures, or NULL for none. */
const char *
fl_dashboard_get_retention_notice (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), NULL);
  if (!gtk_widget_get_visible (self->retention_notice))
    return NULL;
  return gtk_label_get_label (self->retention_label);
}

int
fl_dashboard_get_sal_threshold (FlDashboard *self)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), -1);
  return self->stats.sal_threshold;
}

/* For the GUI tests: the rows of “Leads per Staff Member”. */
GStrv
_fl_dashboard_get_staff_labels (FlDashboard *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; self->stats.staff != NULL && i < self->stats.staff->len; i++)
    g_strv_builder_add (builder, g_array_index (self->stats.staff, Bucket, i).label);
  return g_strv_builder_end (builder);
}

/* For the GUI tests: where the last frame drew the labels under “Leads
 * per Hour” (graphene_rect_t, in the canvas), and what they say. */
GArray *
_fl_dashboard_get_hour_label_rects (FlDashboard  *self,
                                    GPtrArray   **texts)
{
  g_return_val_if_fail (FL_IS_DASHBOARD (self), NULL);
  if (texts != NULL)
    *texts = self->canvas->hour_label_texts;
  return self->canvas->hour_label_rects;
}
