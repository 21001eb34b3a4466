/* fl-card-find.c: the card in a photo, found and straightened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A phone photo shows a card on a desk: at an angle, turned, a third to
 * two thirds of the frame, the rest desk. Reading the whole frame costs
 * time (12 MP where the card needs 1) and accuracy (the desk's grain and
 * the keystone confuse the layout analysis). So the card is found first,
 * on a small copy of the photo: the edges (grey-level gradient) outline
 * it, the desk is what a flood fill from the photo's border reaches
 * without crossing an edge, and the card is the largest region left. Its
 * four corners are the extremes of that region along the diagonals. The
 * card is then mapped onto a rectangle (Leptonica's projective transform)
 * at about 300 dpi, straight and cropped.
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <math.h>
#include <string.h>

#include "fl-card-find.h"

/* The small copy the card is looked for in, longest side in pixels. */
#define FIND_SIDE 640

/* Gradient (sum of |dx| and |dy| over two pixels, on a lightly smoothed
 * copy) that counts as an edge. A light card on a light desk differs by
 * 20–30 grey levels; the grain of a desk and sensor noise stay below. */
#define EDGE_MIN 6

/* A card covers at least this share of the photo, and is no more than
 * this much longer than wide (85 × 55 mm is 1.55; keystone adds some). */
#define MIN_AREA_SHARE 0.06
#define MAX_ASPECT 2.6
#define MIN_ASPECT 1.1

static PIX *
small_copy (PIX *grey, double *factor)
{
  l_int32 width = pixGetWidth (grey), height = pixGetHeight (grey);

  *factor = MIN (1.0, (double) FIND_SIDE / MAX (width, height));
  if (*factor < 1.0)
    return pixScaleAreaMap (grey, (l_float32) *factor, (l_float32) *factor);
  return pixCopy (NULL, grey);
}

static double
quad_area (const double x[4], const double y[4])
{
  double area = 0;

  for (int i = 0; i < 4; i++)
    area += x[i] * y[(i + 1) % 4] - x[(i + 1) % 4] * y[i];
  return fabs (area) / 2.0;
}

/**
 * fl_card_find:
 * @grey: a photo, 8 bpp
 * @quad: (out): the card's corners in @grey
 *
 * Returns: whether a card-shaped region stands out from the background;
 *   %FALSE for a photo that is all card (or no card), to be read whole
 */
gboolean
fl_card_find (PIX *grey, FlCardQuad *quad)
{
  g_autofree guint8 *edge = NULL;
  g_autofree guint8 *smooth = NULL;
  g_autofree guint32 *queue = NULL;
  g_autofree guint8 *label = NULL;
  PIX *small = NULL;
  double factor;
  l_int32 w, h, wpl;
  l_uint32 *data;
  gsize n, head = 0, tail = 0;
  guint best_count = 0, n_labels = 0;
  double best[4] = { G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE };
  double corner_x[4] = { 0 }, corner_y[4] = { 0 };

  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, FALSE);
  g_return_val_if_fail (quad != NULL, FALSE);

  small = small_copy (grey, &factor);
  if (small == NULL)
    return FALSE;
  w = pixGetWidth (small);
  h = pixGetHeight (small);
  if (w < 32 || h < 32)
    {
      pixDestroy (&small);
      return FALSE;
    }
  n = (gsize) w * h;
  data = pixGetData (small);
  wpl = pixGetWpl (small);

  /* A 3 × 3 box blur against noise and JPEG blocks. */
  smooth = g_malloc (n);
  for (l_int32 y = 0; y < h; y++)
    for (l_int32 x = 0; x < w; x++)
      {
        int sum = 0, count = 0;

        for (int dy = -1; dy <= 1; dy++)
          for (int dx = -1; dx <= 1; dx++)
            {
              l_int32 yy = y + dy, xx = x + dx;

              if (yy < 0 || xx < 0 || yy >= h || xx >= w)
                continue;
              sum += GET_DATA_BYTE (data + yy * wpl, xx);
              count++;
            }
        smooth[(gsize) y * w + x] = (guint8) (sum / count);
      }
  pixDestroy (&small);

  /* Edges, thickened by one pixel so a faint stretch of the card's edge
   * does not leave a gap for the flood to leak through. */
  edge = g_malloc0 (n);
  for (l_int32 y = 3; y < h - 3; y++)
    for (l_int32 x = 3; x < w - 3; x++)
      {
        const guint8 *p = smooth + (gsize) y * w + x;
        int near = abs ((int) p[1] - (int) p[-1]) + abs ((int) p[w] - (int) p[-w]);
        int wide = abs ((int) p[3] - (int) p[-3]) + abs ((int) p[3 * w] - (int) p[-3 * w]);

        /* A step, not a slope: across a card's edge the grey changes
         * within a pixel or two, across a soft shadow or the light's fall
         * it changes over many, and the wider difference is then several
         * times the narrow one. */
        if (near >= EDGE_MIN && 2 * near >= wide)
          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              edge[(gsize) (y + dy) * w + x + dx] = 1;
      }

  /* The desk: everything the border reaches without crossing an edge.
   * Labels: 0 unvisited, 1 desk, 2… regions inside edges. */
  label = g_malloc0 (n);
  queue = g_new (guint32, n);
#define PUSH(i) G_STMT_START { label[i] = 1; queue[tail++] = (guint32) (i); } G_STMT_END
  for (l_int32 x = 0; x < w; x++)
    {
      if (!edge[x] && !label[x])
        PUSH (x);
      if (!edge[n - w + x] && !label[n - w + x])
        PUSH (n - w + x);
    }
  for (l_int32 y = 0; y < h; y++)
    {
      gsize left = (gsize) y * w, right = left + w - 1;

      if (!edge[left] && !label[left])
        PUSH (left);
      if (!edge[right] && !label[right])
        PUSH (right);
    }
  while (head < tail)
    {
      gsize i = queue[head++];
      l_int32 x = (l_int32) (i % w), y = (l_int32) (i / w);

      if (x > 0 && !label[i - 1] && !edge[i - 1])
        PUSH (i - 1);
      if (x < w - 1 && !label[i + 1] && !edge[i + 1])
        PUSH (i + 1);
      if (y > 0 && !label[i - w] && !edge[i - w])
        PUSH (i - w);
      if (y < h - 1 && !label[i + w] && !edge[i + w])
        PUSH (i + w);
    }
#undef PUSH

  /* What is left falls into regions (edges included, 8-connected); the
   * card is the largest. Labels wrap at 255: only the largest matters, and
   * it is measured while it is filled. */
  for (gsize start = 0; start < n; start++)
    {
      guint count = 0;
      double ext[4] = { G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE, G_MAXDOUBLE };
      double cx[4] = { 0 }, cy[4] = { 0 };
      guint8 mark;

      if (label[start] != 0)
        continue;
      mark = (guint8) (2 + (n_labels++ % 250));
      head = tail = 0;
      label[start] = mark;
      queue[tail++] = (guint32) start;
      while (head < tail)
        {
          gsize i = queue[head++];
          l_int32 x = (l_int32) (i % w), y = (l_int32) (i / w);
          double s = x + y, d = x - y;

          count++;
          /* top left: least x + y; top right: most x − y; bottom right:
           * most x + y; bottom left: least x − y */
          if (s < ext[0]) { ext[0] = s; cx[0] = x; cy[0] = y; }
          if (d > ext[1]) { ext[1] = d; cx[1] = x; cy[1] = y; }
          if (s > ext[2]) { ext[2] = s; cx[2] = x; cy[2] = y; }
          if (d < ext[3]) { ext[3] = d; cx[3] = x; cy[3] = y; }
          for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
              {
                l_int32 xx = x + dx, yy = y + dy;
                gsize j;

                if (xx < 0 || yy < 0 || xx >= w || yy >= h)
                  continue;
                j = (gsize) yy * w + xx;
                if (label[j] == 0)
                  {
                    label[j] = mark;
                    queue[tail++] = (guint32) j;
                  }
              }
        }
      if (count > best_count)
        {
          best_count = count;
          memcpy (best, ext, sizeof best);
          memcpy (corner_x, cx, sizeof cx);
          memcpy (corner_y, cy, sizeof cy);
        }
    }

  /* A card cut by the frame still counts: its corners there are where
   * the frame cuts it. */
  if (best_count < MIN_AREA_SHARE * n)
    return FALSE;
  {
    double area = quad_area (corner_x, corner_y);
    double top = hypot (corner_x[1] - corner_x[0], corner_y[1] - corner_y[0]);
    double bottom = hypot (corner_x[2] - corner_x[3], corner_y[2] - corner_y[3]);
    double left = hypot (corner_x[3] - corner_x[0], corner_y[3] - corner_y[0]);
    double right = hypot (corner_x[2] - corner_x[1], corner_y[2] - corner_y[1]);
    double long_side = MAX (top + bottom, left + right), short_side = MIN (top + bottom, left + right);

    /* A quadrilateral that covers its region, card-shaped. A region much
     * larger than its corners span is no card (a cluttered desk). */
    if (area < 0.85 * best_count || area > 1.15 * best_count || short_side <= 0 ||
        long_side / short_side > MAX_ASPECT || long_side / short_side < MIN_ASPECT)
      return FALSE;
  }

  /* Back to the photo's pixels; the thickened edge is taken off by pulling
   * each corner 1.5 small pixels towards the middle. */
  {
    double mx = (corner_x[0] + corner_x[1] + corner_x[2] + corner_x[3]) / 4.0;
    double my = (corner_y[0] + corner_y[1] + corner_y[2] + corner_y[3]) / 4.0;

    for (int i = 0; i < 4; i++)
      {
        double dx = mx - corner_x[i], dy = my - corner_y[i];
        double length = hypot (dx, dy);
        double pull = length > 0 ? 1.5 / length : 0;

        quad->x[i] = (corner_x[i] + 0.5 + dx * pull) / factor;
        quad->y[i] = (corner_y[i] + 0.5 + dy * pull) / factor;
      }
  }
  return TRUE;
}

/**
 * fl_card_straighten:
 * @grey: the photo, 8 bpp grey or 32 bpp colour (RGB)
 * @quad: the card's corners in @grey
 * @target_width: the width to give the card, at most (1000 is about
 *   300 dpi for a card 85 mm wide); a card seen smaller is not enlarged
 * @scale: (out) (optional): the factor the card was resized by
 *
 * Returns: (transfer full) (nullable): the card alone, a rectangle, in the
 *   depth of @grey; what lay outside the photo is white
 */
PIX *
fl_card_straighten (PIX *grey, const FlCardQuad *quad, int target_width, double *scale)
{
  double top = hypot (quad->x[1] - quad->x[0], quad->y[1] - quad->y[0]);
  double bottom = hypot (quad->x[2] - quad->x[3], quad->y[2] - quad->y[3]);
  double left = hypot (quad->x[3] - quad->x[0], quad->y[3] - quad->y[0]);
  double right = hypot (quad->x[2] - quad->x[1], quad->y[2] - quad->y[1]);
  double card_w = MAX (top, bottom), card_h = MAX (left, right);
  double factor = MIN (1.0, target_width / MAX (card_w, card_h));
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = 0, max_y = 0;
  l_int32 out_w, out_h, crop_x, crop_y, crop_w, crop_h;
  PIX *cropped, *scaled, *canvas, *warped, *result;
  l_uint32 white;
  BOX *box;
  PTA *from, *to;

  g_return_val_if_fail (grey != NULL && (pixGetDepth (grey) == 8 || pixGetDepth (grey) == 32),
                        NULL);
  g_return_val_if_fail (quad != NULL, NULL);

  /* Leptonica's 32 bpp pixel is 0xRRGGBBAA. */
  white = pixGetDepth (grey) == 8 ? 255 : 0xffffff00;

  for (int i = 0; i < 4; i++)
    {
      min_x = MIN (min_x, quad->x[i]);
      min_y = MIN (min_y, quad->y[i]);
      max_x = MAX (max_x, quad->x[i]);
      max_y = MAX (max_y, quad->y[i]);
    }
  crop_x = MAX (0, (l_int32) floor (min_x));
  crop_y = MAX (0, (l_int32) floor (min_y));
  crop_w = MIN (pixGetWidth (grey), (l_int32) ceil (max_x) + 1) - crop_x;
  crop_h = MIN (pixGetHeight (grey), (l_int32) ceil (max_y) + 1) - crop_y;
  if (crop_w < 16 || crop_h < 16)
    return NULL;

  /* Crop, then shrink to the working size: the transform runs on a
   * million pixels, not on twelve. */
  box = boxCreate (crop_x, crop_y, crop_w, crop_h);
  cropped = pixClipRectangle (grey, box, NULL);
  boxDestroy (&box);
  if (cropped == NULL)
    return NULL;
  if (factor < 0.95)
    scaled = pixScaleAreaMap (cropped, (l_float32) factor, (l_float32) factor);
  else
    {
      factor = 1.0;
      scaled = pixClone (cropped);
    }
  pixDestroy (&cropped);
  if (scaled == NULL)
    return NULL;

  out_w = MAX (16, (l_int32) lround (card_w * factor));
  out_h = MAX (16, (l_int32) lround (card_h * factor));
  /* The output is as large as the input: make room for the rectangle. */
  canvas = pixAddBorderGeneral (scaled, 0, MAX (0, out_w - pixGetWidth (scaled)), 0,
                                MAX (0, out_h - pixGetHeight (scaled)), white);
  pixDestroy (&scaled);
  if (canvas == NULL)
    return NULL;

  from = ptaCreate (4);
  to = ptaCreate (4);
  for (int i = 0; i < 4; i++)
    ptaAddPt (from, (l_float32) ((quad->x[i] - crop_x) * factor),
              (l_float32) ((quad->y[i] - crop_y) * factor));
  ptaAddPt (to, 0, 0);
  ptaAddPt (to, (l_float32) (out_w - 1), 0);
  ptaAddPt (to, (l_float32) (out_w - 1), (l_float32) (out_h - 1));
  ptaAddPt (to, 0, (l_float32) (out_h - 1));
  if (pixGetDepth (canvas) == 8)
    warped = pixProjectivePtaGray (canvas, to, from, 255);
  else
    warped = pixProjectivePtaColor (canvas, to, from, white);
  ptaDestroy (&from);
  ptaDestroy (&to);
  pixDestroy (&canvas);
  if (warped == NULL)
    return NULL;
  box = boxCreate (0, 0, out_w, out_h);
  result = pixClipRectangle (warped, box, NULL);
  boxDestroy (&box);
  pixDestroy (&warped);
  if (scale != NULL)
    *scale = factor;
  return result;
}

/**
 * fl_card_straighten_rgba:
 * @pixels: the photo, @height rows of @stride bytes, R G B A
 * @quad: the card's corners in the photo, as fl_card_find() found them
 *   on its grey copy
 * @target_width: the width to give the card, at most: the size it is
 *   shown at, not the size it is read at
 *
 * Like fl_card_straighten(), in colour: only the card's bounding box is
 * taken from the photo, already averaged down to not much more than
 * @target_width, so a 12 MP photo costs a few megabytes, not fifty.
 * Transparent pixels become white.
 *
 * Returns: (transfer full) (nullable): the card alone, a rectangle, 32 bpp
 */
PIX *
fl_card_straighten_rgba (const guint8 *pixels, guint width, guint height, gsize stride,
                         const FlCardQuad *quad, int target_width)
{
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = 0, max_y = 0, card_side = 0;
  FlCardQuad shifted;
  guint x0, y0, x1, y1, step, out_w, out_h;
  l_uint32 *data;
  l_int32 wpl;
  PIX *box, *result;

  g_return_val_if_fail (pixels != NULL && stride >= (gsize) width * 4, NULL);
  g_return_val_if_fail (quad != NULL && target_width > 0, NULL);

  for (int i = 0; i < 4; i++)
    {
      min_x = MIN (min_x, quad->x[i]);
      min_y = MIN (min_y, quad->y[i]);
      max_x = MAX (max_x, quad->x[i]);
      max_y = MAX (max_y, quad->y[i]);
      card_side = MAX (card_side, hypot (quad->x[(i + 1) % 4] - quad->x[i],
                                         quad->y[(i + 1) % 4] - quad->y[i]));
    }
  x0 = (guint) CLAMP (floor (min_x), 0, width);
  y0 = (guint) CLAMP (floor (min_y), 0, height);
  x1 = (guint) CLAMP (ceil (max_x) + 1, 0, width);
  y1 = (guint) CLAMP (ceil (max_y) + 1, 0, height);
  step = (guint) MAX (1.0, floor (card_side / target_width));
  out_w = (x1 - MIN (x0, x1)) / step;
  out_h = (y1 - MIN (y0, y1)) / step;
  if (out_w < 16 || out_h < 16)
    return NULL;

  /* The bounding box, each step × step block of the photo one pixel. */
  box = pixCreate ((l_int32) out_w, (l_int32) out_h, 32);
  if (box == NULL)
    return NULL;
  data = pixGetData (box);
  wpl = pixGetWpl (box);
  for (guint y = 0; y < out_h; y++)
    for (guint x = 0; x < out_w; x++)
      {
        guint sum[3] = { 0, 0, 0 };
        l_uint32 value;

        for (guint dy = 0; dy < step; dy++)
          {
            const guint8 *p = pixels + (gsize) (y0 + y * step + dy) * stride +
                              (gsize) (x0 + x * step) * 4;

            for (guint dx = 0; dx < step; dx++, p += 4)
              for (int c = 0; c < 3; c++)
                sum[c] += (p[c] * p[3] + 255 * (255 - p[3]) + 127) / 255;
          }
        composeRGBPixel ((l_int32) (sum[0] / (step * step)), (l_int32) (sum[1] / (step * step)),
                         (l_int32) (sum[2] / (step * step)), &value);
        data[(gsize) y * wpl + x] = value;
      }

  for (int i = 0; i < 4; i++)
    {
      shifted.x[i] = (quad->x[i] - x0) / step;
      shifted.y[i] = (quad->y[i] - y0) / step;
    }
  result = fl_card_straighten (box, &shifted, target_width, NULL);
  pixDestroy (&box);
  return result;
}
