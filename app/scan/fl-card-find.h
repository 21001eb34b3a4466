/* fl-card-find.h: the card in a photo, found and straightened
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

/* The card's corners in the photo: top left, top right, bottom right,
 * bottom left, in pixels of the photo. */
typedef struct
{
  double x[4];
  double y[4];
} FlCardQuad;

gboolean  fl_card_find         (PIX               *grey,
                                FlCardQuad        *quad);
PIX      *fl_card_straighten   (PIX               *grey,
                                const FlCardQuad  *quad,
                                int                target_width,
                                double            *scale);
PIX      *fl_card_straighten_rgba (const guint8   *pixels,
                                   guint           width,
                                   guint           height,
                                   gsize           stride,
                                   const FlCardQuad *quad,
                                   int             target_width);

G_END_DECLS
