/* card-photo.c: rendered cards photographed, as a phone would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A card drawn by card-render.c is laid on a desk: seen at an angle
 * (keystone), turned, lit unevenly, with a soft shadow beside it, slightly
 * out of focus, with sensor noise, and saved as a JPEG of 1920 × 1080 or
 * 3000 × 2000 pixels — then decoded again, as the reader gets it.
 */
#include "config.h"

#include <math.h>
#include <string.h>
#include <gdk-pixbuf/gdk-pixbuf.h>

#include "card-photo.h"

#define MM_PER_INCH 25.4

/**
 * card_photo_params_random:
 * @large: 3000 × 2000 rather than 1920 × 1080
 * @light_desk: a light card on a light desk, the hardest edge to find
 */
void
card_photo_params_random (CardPhotoParams *params, guint32 seed, gboolean large,
                          gboolean light_desk)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  memset (params, 0, sizeof *params);
  params->seed = seed;
  params->width = large ? 3000 : 1920;
  params->height = large ? 2000 : 1080;
  params->fill = g_rand_double_range (rand, 0.45, 0.68);
  params->rotate = g_rand_double_range (rand, -12.0, 12.0);
  params->keystone = g_rand_double_range (rand, 0.0, 0.12);
  params->shift_x = g_rand_double_range (rand, -0.08, 0.08);
  params->shift_y = g_rand_double_range (rand, -0.06, 0.06);
  params->desk_grey = light_desk ? g_rand_double_range (rand, 200, 222)
                                 : g_rand_double_range (rand, 70, 150);
  params->desk_texture = g_rand_double_range (rand, 4, 14);
  params->light_gradient = g_rand_double_range (rand, 0.05, 0.3);
  params->shadow = g_rand_double_range (rand, 0.1, 0.35);
  params->blur = g_rand_double_range (rand, 0.5, 1.3) * (large ? 1.5 : 1.0);
  params->noise = g_rand_double_range (rand, 2, 6);
  params->jpeg_quality = g_rand_int_range (rand, 70, 93);
}

/* Solves the 8 × 8 system of a homography taking @from[i] to @to[i]. */
static gboolean
homography (const double from[4][2], const double to[4][2], double h[9])
{
  double a[8][9];

  for (int i = 0; i < 4; i++)
    {
      double x = from[i][0], y = from[i][1], u = to[i][0], v = to[i][1];
      double r1[9] = { x, y, 1, 0, 0, 0, -u * x, -u * y, u };
      double r2[9] = { 0, 0, 0, x, y, 1, -v * x, -v * y, v };

      memcpy (a[2 * i], r1, sizeof r1);
      memcpy (a[2 * i + 1], r2, sizeof r2);
    }
  for (int c = 0; c < 8; c++)
    {
      int pivot = c;

      for (int r = c + 1; r < 8; r++)
        if (fabs (a[r][c]) > fabs (a[pivot][c]))
          pivot = r;
      if (fabs (a[pivot][c]) < 1e-12)
        return FALSE;
      for (int k = 0; k < 9; k++)
        {
          double t = a[c][k];
          a[c][k] = a[pivot][k];
          a[pivot][k] = t;
        }
      for (int r = 0; r < 8; r++)
        if (r != c)
          {
            double f = a[r][c] / a[c][c];
            for (int k = c; k < 9; k++)
              a[r][k] -= f * a[c][k];
          }
    }
  for (int i = 0; i < 8; i++)
    h[i] = a[i][8] / a[i][i];
  h[8] = 1.0;
  return TRUE;
}

/* Gaussian blur as three box blurs, each way. */
static void
box_blur (float *data, guint width, guint height, int radius)
{
  g_autofree float *line = g_new (float, MAX (width, height));

  if (radius < 1)
    return;
  for (int pass = 0; pass < 2; pass++)
    {
      guint n = pass == 0 ? width : height;
      guint lines = pass == 0 ? height : width;
      gsize step = pass == 0 ? 1 : width;

      for (guint l = 0; l < lines; l++)
        {
          float *base = pass == 0 ? data + (gsize) l * width : data + l;
          double sum = 0;
          int count = 0;

          for (guint i = 0; i < n; i++)
            line[i] = base[i * step];
          for (int i = 0; i < radius && i < (int) n; i++)
            {
              sum += line[i];
              count++;
            }
          for (int i = 0; i < (int) n; i++)
            {
              if (i + radius < (int) n)
                {
                  sum += line[i + radius];
                  count++;
                }
              if (i - radius - 1 >= 0)
                {
                  sum -= line[i - radius - 1];
                  count--;
                }
              base[i * step] = (float) (sum / count);
            }
        }
    }
}

static JsonObject *
flat_spec (JsonObject *spec, double dpi)
{
  JsonObject *flat = json_object_new ();
  g_autoptr(GList) members = json_object_get_members (spec);

  /* The card itself, straight and clean: the photo adds the rest. */
  for (GList *l = members; l != NULL; l = l->next)
    if (strcmp (l->data, "rotate") != 0 && strcmp (l->data, "table") != 0 &&
        strcmp (l->data, "noise") != 0 && strcmp (l->data, "dpi") != 0)
      json_object_set_member (flat, l->data, json_node_copy (json_object_get_member (spec, l->data)));
  json_object_set_double_member (flat, "dpi", dpi);
  return flat;
}

/**
 * card_photo_render:
 * @jpeg: (out) (optional): the photo as a JPEG file's bytes
 *
 * Returns: the photo as the reader gets it: 8 bpp grey, decoded from the JPEG
 */
CardImage *
card_photo_render (JsonObject *spec, CardPhotoParams *pp, GBytes **jpeg)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (pp->seed ^ 0x9e3779b9u);
  double width_mm = 85.0, height_mm = 55.0;
  double card_w, card_h, dpi, cx, cy, angle, h[9];
  double corners[4][2], card_corners[4][2];
  double desk_phase[4];
  g_autoptr(CardImage) card = NULL;
  g_autoptr(JsonObject) flat = NULL;
  g_autofree float *photo = NULL;
  g_autofree guint8 *logo = NULL;
  double logo_luma = 0;
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *buffer = NULL;
  g_autofree char *quality = g_strdup_printf ("%d", pp->jpeg_quality);
  gsize buffer_size = 0;
  CardImage *out;
  guint W = pp->width, H = pp->height;

  if (json_object_has_member (spec, "size_mm"))
    {
      JsonArray *size = json_object_get_array_member (spec, "size_mm");
      width_mm = json_array_get_double_element (size, 0);
      height_mm = json_array_get_double_element (size, 1);
    }
  card_w = pp->fill * W;
  card_h = card_w * height_mm / width_mm;
  /* Whole in the frame, as anyone photographing a card takes it: the
   * turned card's bounding box fits with a margin. */
  {
    double angle_abs = fabs (pp->rotate) * G_PI / 180.0;
    double box_w = card_w * cos (angle_abs) + card_h * sin (angle_abs);
    double box_h = card_w * sin (angle_abs) + card_h * cos (angle_abs);
    double room_w = W * (0.96 - 2 * fabs (pp->shift_x)), room_h = H * (0.96 - 2 * fabs (pp->shift_y));
    double shrink = MIN (1.0, MIN (room_w / box_w, room_h / box_h));

    card_w *= shrink;
    card_h *= shrink;
  }
  /* Drawn a little finer than it lands in the photo, then sampled down. */
  dpi = card_w / width_mm * MM_PER_INCH * 1.25;
  flat = flat_spec (spec, dpi);
  card = card_render (flat);

  /* Where the corners land: a rectangle, its far (top) edge shortened by
   * the keystone, turned about its centre. */
  cx = W / 2.0 + pp->shift_x * W;
  cy = H / 2.0 + pp->shift_y * H;
  angle = pp->rotate * G_PI / 180.0;
  {
    double top = card_w * (1.0 - pp->keystone) / 2.0, bottom = card_w / 2.0;
    double half_h = card_h * (1.0 - pp->keystone / 2.0) / 2.0;
    double local[4][2] = { { -top, -half_h }, { top, -half_h }, { bottom, half_h },
                           { -bottom, half_h } };

    for (int i = 0; i < 4; i++)
      {
        corners[i][0] = cx + local[i][0] * cos (angle) - local[i][1] * sin (angle);
        corners[i][1] = cy + local[i][0] * sin (angle) + local[i][1] * cos (angle);
        pp->corner_x[i] = corners[i][0];
        pp->corner_y[i] = corners[i][1];
      }
  }
  card_corners[0][0] = 0; card_corners[0][1] = 0;
  card_corners[1][0] = card->width; card_corners[1][1] = 0;
  card_corners[2][0] = card->width; card_corners[2][1] = card->height;
  card_corners[3][0] = 0; card_corners[3][1] = card->height;
  /* Photo → card, to sample the card for each photo pixel. */
  g_assert_true (homography (corners, card_corners, h));

  for (int i = 0; i < 4; i++)
    desk_phase[i] = g_rand_double_range (rand, 0, 2 * G_PI);

  photo = g_new (float, (gsize) W * H);
  /* Which photo pixels show the logo: they get its colour at the end. */
  if (pp->logo_mm[2] > 0)
    {
      logo = g_new0 (guint8, (gsize) W * H);
      logo_luma = 0.299 * pp->logo_rgb[0] + 0.587 * pp->logo_rgb[1] + 0.114 * pp->logo_rgb[2];
    }
  {
    double gx = cos (desk_phase[0]), gy = sin (desk_phase[0]);
    /* The shadow falls away from the light, a few millimetres wide. */
    double sx = cos (desk_phase[1]) * card_w * 0.02, sy = sin (desk_phase[1]) * card_w * 0.02;
    double shadow_h[9];
    double shadow_corners[4][2];

    for (int i = 0; i < 4; i++)
      {
        shadow_corners[i][0] = corners[i][0] + sx;
        shadow_corners[i][1] = corners[i][1] + sy;
      }
    g_assert_true (homography (shadow_corners, card_corners, shadow_h));

    for (guint y = 0; y < H; y++)
      for (guint x = 0; x < W; x++)
        {
          double px = x + 0.5, py = y + 0.5;
          double w = h[6] * px + h[7] * py + h[8];
          double u = (h[0] * px + h[1] * py + h[2]) / w;
          double v = (h[3] * px + h[4] * py + h[5]) / w;
          double t = ((px - W / 2.0) * gx + (py - H / 2.0) * gy) / (double) MAX (W, H);
          double light = 1.0 - pp->light_gradient * (t + 0.5);
          double value;

          if (u >= 0 && v >= 0 && u < card->width - 1 && v < card->height - 1)
            {
              int iu = (int) u, iv = (int) v;
              double fu = u - iu, fv = v - iv;
              const guint8 *p = card->pixels + (gsize) iv * card->stride + iu;

              value = (1 - fv) * ((1 - fu) * p[0] + fu * p[1]) +
                      fv * ((1 - fu) * p[card->stride] + fu * p[card->stride + 1]);
              if (logo != NULL)
                {
                  double mm_x = u * width_mm / card->width, mm_y = v * height_mm / card->height;

                  if (mm_x >= pp->logo_mm[0] && mm_x < pp->logo_mm[0] + pp->logo_mm[2] &&
                      mm_y >= pp->logo_mm[1] && mm_y < pp->logo_mm[1] + pp->logo_mm[3])
                    {
                      logo[(gsize) y * W + x] = 1;
                      value = logo_luma;
                    }
                }
            }
          else
            {
              double sw = shadow_h[6] * px + shadow_h[7] * py + shadow_h[8];
              double su = (shadow_h[0] * px + shadow_h[1] * py + shadow_h[2]) / sw;
              double sv = (shadow_h[3] * px + shadow_h[4] * py + shadow_h[5]) / sw;
              /* Grain along one direction, knots across it: a desk. */
              double grain = sin (py * 0.031 + sin (px * 0.004 + desk_phase[2]) * 3.0) +
                             0.5 * sin (px * 0.011 + py * 0.002 + desk_phase[3]);

              /* A soft shadow: full beside the card, fading out over a
               * few millimetres. */
              double out_u = MAX (0.0, MAX (-su, su - card->width));
              double out_v = MAX (0.0, MAX (-sv, sv - card->height));
              double distance = hypot (out_u, out_v) / (card->width * 0.04);

              value = pp->desk_grey + pp->desk_texture * grain;
              value *= 1.0 - pp->shadow * exp (-distance * distance);
            }
          photo[(gsize) y * W + x] = (float) (value * light);
        }
  }

  /* Out of focus: three box blurs make a Gaussian of about this σ. */
  if (pp->blur > 0.3)
    {
      int radius = (int) lround (sqrt (12.0 * pp->blur * pp->blur / 3.0 + 1.0) / 2.0);

      for (int i = 0; i < 3; i++)
        box_blur (photo, W, H, MAX (1, radius));
    }

  pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, (int) W, (int) H);
  {
    guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
    int rowstride = gdk_pixbuf_get_rowstride (pixbuf);

    for (guint y = 0; y < H; y++)
      for (guint x = 0; x < W; x++)
        {
          double value = photo[(gsize) y * W + x] +
                         (g_rand_double (rand) + g_rand_double (rand) - 1.0) * pp->noise;
          guint8 grey = (guint8) CLAMP (lround (value), 0, 255);
          guint8 *p = pixels + (gsize) y * rowstride + x * 3;

          /* A warm desk light: a little more red than blue. */
          p[0] = (guint8) MIN (255, grey + 6);
          p[1] = grey;
          p[2] = (guint8) MAX (0, grey - 6);
          if (logo != NULL && logo[(gsize) y * W + x])
            for (int c = 0; c < 3; c++)
              p[c] = (guint8) CLAMP (lround (value * pp->logo_rgb[c] / MAX (1.0, logo_luma)), 0,
                                     255);
        }
  }
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &buffer_size, "jpeg", &error, "quality",
                                  quality, NULL))
    g_error ("Cannot encode the photo: %s", error->message);
  {
    g_autoptr(GdkPixbufLoader) loader = gdk_pixbuf_loader_new_with_type ("jpeg", &error);

    g_assert_no_error (error);
    if (!gdk_pixbuf_loader_write (loader, (const guchar *) buffer, buffer_size, &error) ||
        !gdk_pixbuf_loader_close (loader, &error))
      g_error ("Cannot decode the photo: %s", error->message);
    decoded = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  }

  out = g_new0 (CardImage, 1);
  out->width = W;
  out->height = H;
  out->stride = W;
  out->pixels = g_malloc ((gsize) W * H);
  {
    const guint8 *pixels = gdk_pixbuf_read_pixels (decoded);
    int rowstride = gdk_pixbuf_get_rowstride (decoded);
    int channels = gdk_pixbuf_get_n_channels (decoded);

    for (guint y = 0; y < H; y++)
      for (guint x = 0; x < W; x++)
        {
          const guint8 *p = pixels + (gsize) y * rowstride + x * channels;
          out->pixels[(gsize) y * W + x] = (guint8) lround (0.299 * p[0] + 0.587 * p[1] + 0.114 * p[2]);
        }
  }
  if (jpeg != NULL)
    *jpeg = g_bytes_new_take (g_steal_pointer (&buffer), buffer_size);
  return out;
}
