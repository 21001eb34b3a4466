/* fl-json.h: the one way into json-glib for text from outside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "fl-limits.h"

G_BEGIN_DECLS

#define FL_JSON_ERROR (fl_json_error_quark ())

typedef enum
{
  FL_JSON_ERROR_TOO_DEEP,   /* nested deeper than allowed */
  FL_JSON_ERROR_TOO_LARGE,  /* more bytes than allowed */
  FL_JSON_ERROR_INVALID,    /* not JSON, or nothing but white space */
} FlJsonError;

/* A pass over JSON text, fed in pieces, that never recurses: it follows
 * strings and escapes, counts the nesting, and remembers the longest
 * string value of the top-level object, so that an oversized line can be
 * refused by the name of the member that made it so. It does not
 * validate: json-glib does that, once the text is known to be safe. */
typedef struct
{
  guint    max_depth;
  guint    depth;
  gsize    offset;        /* bytes fed so far */
  gsize    too_deep_at;   /* offset of the first bracket too many */
  guint    too_deep_line; /* and its line, from 1 */
  gboolean too_deep;
  guint    line;          /* newlines seen so far, plus 1 */

  /* private */
  gboolean in_string;
  gboolean escape;
  gboolean top_is_object;
  gboolean expect_key;
  gboolean string_is_key;
  gboolean string_is_value;
  gsize    string_length;
  char     key[64];
  gsize    key_length;
  char     pending_key[64];

  char     longest_key[64]; /* the top-level member with the longest string value */
  gsize    longest_length;  /* its length in bytes as written, escapes included */
} FlJsonScan;

GQuark    fl_json_error_quark (void);

void      fl_json_scan_init   (FlJsonScan  *scan,
                               guint        max_depth);
gboolean  fl_json_scan_feed   (FlJsonScan  *scan,
                               const char  *data,
                               gsize        length);

gboolean  fl_json_check       (const char  *data,
                               gsize        length,
                               guint        max_depth,
                               GError     **error);
gboolean  fl_json_parser_load (JsonParser  *parser,
                               const char  *data,
                               gssize       length,
                               GError     **error);
JsonNode *fl_json_parse       (const char  *data,
                               gssize       length,
                               GError     **error);

void      fl_json_append_string (GString   *out,
                                 const char *value);
void      fl_json_append_node   (GString   *out,
                                 JsonNode  *node);

G_END_DECLS
