/* fl-card-photo.h: the photo of a business card, kept with its lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "fl-store.h"

G_BEGIN_DECLS

/* Event setting (boolean, default true): keep the photo of a business card
 * with the lead read from it. */
#define FL_SETTING_KEEP_CARD_PHOTOS "keep_card_photos"

/* What the kiosk keeps: enough to read the card again, small enough for
 * thousands of leads. */
#define FL_CARD_PHOTO_MAX_SIDE 1024
#define FL_CARD_PHOTO_QUALITY  80

gboolean  fl_card_photo_allowed     (const FlEvent  *event);
GBytes   *fl_card_photo_encode_jpeg (GdkPixbuf      *photo,
                                     guint           max_side,
                                     int             quality,
                                     GError        **error);
gboolean  fl_card_photo_save        (FlStore        *store,
                                     const char     *lead_uuid,
                                     GBytes         *jpeg,
                                     const char     *taken_at,
                                     GError        **error);
GBytes   *fl_card_photo_load        (FlStore        *store,
                                     const char     *lead_uuid,
                                     char          **taken_at,
                                     GError        **error);

G_END_DECLS
