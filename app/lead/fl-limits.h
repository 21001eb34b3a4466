/* fl-limits.h: how large and how deep any input to Fairlead may be
 *
 * One table for every entry point, so the README's "Limits" table, the
 * messages and the code never disagree. Sizes are bytes of UTF-8.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JSON nested deeper than this is refused before it is parsed: the parser
 * recurses per level, and a lead or a model needs fewer than ten. */
#define FL_LIMIT_JSON_DEPTH        64

/* One lead of a JSON Lines import; a JSON Lines file may be any size. */
#define FL_LIMIT_LEAD_LINE         (1024 * 1024)
/* A leads file that is one JSON array, which is parsed as a whole. */
#define FL_LIMIT_LEADS_ARRAY_FILE  (32 * 1024 * 1024)
/* A scoring model file. */
#define FL_LIMIT_MODEL_FILE        (4 * 1024 * 1024)

/* A scanned code as the scanner delivered it; a QR code holds at most
 * 3 KiB, so anything longer is not a scan. */
#define FL_LIMIT_PAYLOAD           16384
/* The raw payload as stored: the scanned code decoded to UTF-8, which
 * may triple it (Windows-1252 "€" is three bytes of UTF-8), or the text
 * a card reader recognised. */
#define FL_LIMIT_RAW_PAYLOAD       (3 * FL_LIMIT_PAYLOAD)
/* A lead's notes. */
#define FL_LIMIT_NOTES             65536
/* Each contact field (names, email, phone, company, address…), the badge
 * id, and who captured the lead. */
#define FL_LIMIT_FIELD             1024

G_END_DECLS
