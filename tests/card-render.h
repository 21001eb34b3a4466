/* card-render.h: business cards drawn for the OCR tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A rendered card as a camera would hand it over: 8 bpp grey. */
typedef struct
{
  guint8 *pixels;
  guint   width;
  guint   height;
  gsize   stride;
} CardImage;

JsonArray *card_specs_load     (GError           **error);
JsonObject *card_specs_find    (JsonArray         *cards,
                                const char        *id);
gint64     card_counting_clock (gpointer           data);
CardImage *card_render         (JsonObject        *spec);
void       card_image_free     (CardImage         *image);
gboolean   card_image_save_png (const CardImage   *image,
                                const char        *path,
                                GError           **error);
char      *card_normalize      (const char        *key,
                                const char        *value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CardImage, card_image_free)

G_END_DECLS

/* Accuracy over the card set: per field, how many cards expect it and how
 * many of those were read right; spurious counts values found where the
 * card has none. */
typedef struct
{
  guint expected;
  guint correct;
  guint spurious;
} CardTally;

#include "scan/fl-card-result.h"

GHashTable *card_tallies_new    (void);
guint       card_tallies_add    (GHashTable        *tallies,
                                 JsonObject        *expect,
                                 FlCardResult      *result,
                                 GString           *misses);
double      card_tallies_rate   (GHashTable        *tallies,
                                 const char        *key);
void        card_tallies_print  (GHashTable        *tallies,
                                 GString           *out);
