/* card-photo.h: rendered cards photographed, as a phone would
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "card-render.h"

G_BEGIN_DECLS

/* How the card lies in the photo. card_photo_params_random() draws them
 * from a seed, so a set is reproducible and another seed is another set. */
typedef struct
{
  guint   width;          /* of the photo: 1920 × 1080 or 3000 × 2000 */
  guint   height;
  double  fill;           /* card width / photo width, 0.4 … 0.7 */
  double  rotate;         /* degrees */
  double  keystone;       /* 0 … 0.15: the far edge this much shorter */
  double  shift_x;        /* card centre off the photo centre, fraction of width */
  double  shift_y;
  double  desk_grey;      /* 0 … 255 */
  double  desk_texture;   /* amplitude of the grain */
  double  light_gradient; /* 0 … 0.35: light falls off across the photo */
  double  shadow;         /* 0 … 0.4: the card's shadow on the desk */
  double  blur;           /* Gaussian σ in pixels of the photo */
  double  noise;          /* sensor noise amplitude */
  int     jpeg_quality;   /* 60 … 95 */
  guint32 seed;
  /* A logo printed in colour (R G B), a rectangle x, y, width, height in
   * millimetres of the card; none when its width is 0. */
  double  logo_mm[4];
  guint8  logo_rgb[3];
  /* Set by card_photo_render(): where the card's corners landed (top
   * left, top right, bottom right, bottom left), in photo pixels. */
  double  corner_x[4];
  double  corner_y[4];
} CardPhotoParams;

void       card_photo_params_random (CardPhotoParams        *params,
                                     guint32                 seed,
                                     gboolean                large,
                                     gboolean                light_desk);
CardImage *card_photo_render        (JsonObject             *spec,
                                     CardPhotoParams        *params,
                                     GBytes                **jpeg);

G_END_DECLS
