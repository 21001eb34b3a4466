/* fl-qr.h: QR codes drawn with libqrencode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "fl-scan.h"

G_BEGIN_DECLS

typedef enum
{
  FL_QR_EC_LOW,       /* L: 7 % of the code can be damaged */
  FL_QR_EC_MEDIUM,    /* M: 15 %, the default */
  FL_QR_EC_QUARTILE,  /* Q: 25 % */
  FL_QR_EC_HIGH,      /* H: 30 % */
} FlQrEcLevel;

/* The quiet zone the QR standard asks for, in modules. */
#define FL_QR_DEFAULT_MARGIN 4
#define FL_QR_DEFAULT_SCALE  8

gboolean   fl_qr_ec_level_from_string (const char   *name,
                                       FlQrEcLevel  *level);

FlFrame   *fl_qr_render               (const char   *text,
                                       FlQrEcLevel   level,
                                       guint         scale,
                                       guint         margin,
                                       FlPixelFormat format,
                                       GError      **error);
char      *fl_qr_render_svg           (const char   *text,
                                       FlQrEcLevel   level,
                                       guint         scale,
                                       guint         margin,
                                       GError      **error);
gboolean   fl_qr_save                 (const char   *text,
                                       FlQrEcLevel   level,
                                       guint         scale,
                                       guint         margin,
                                       const char   *path,
                                       GError      **error);

G_END_DECLS
