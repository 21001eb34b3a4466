/* fl-json.c: the one way into json-glib for text from outside
 *
 * json-glib's parser recurses once per level of nesting, so 200,000
 * brackets overflow the stack long before any error could be reported.
 * Every piece of JSON Fairlead reads — leads, models, badge payloads,
 * connector options and CRM answers — is first scanned here, in one pass
 * that does not recurse, and refused when it is nested too deeply.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-json"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-json.h"

G_DEFINE_QUARK (fl-json-error-quark, fl_json_error)

/**
 * fl_json_scan_init:
 * @max_depth: the deepest nesting allowed; the top-level array or object
 *   is level 1
 */
void
fl_json_scan_init (FlJsonScan *scan, guint max_depth)
{
  g_return_if_fail (scan != NULL);

  memset (scan, 0, sizeof *scan);
  scan->max_depth = max_depth;
  scan->line = 1;
}

static void
end_string (FlJsonScan *scan)
{
  if (scan->string_is_key)
    {
      memcpy (scan->pending_key, scan->key, scan->key_length);
      scan->pending_key[scan->key_length] = '\0';
    }
  else if (scan->string_is_value && scan->string_length > scan->longest_length)
    {
      scan->longest_length = scan->string_length;
      memcpy (scan->longest_key, scan->pending_key, sizeof scan->longest_key);
    }
}

/**
 * fl_json_scan_feed:
 *
 * Scans the next @length bytes.
 *
 * Returns: %FALSE once the text has been nested too deeply
 */
gboolean
fl_json_scan_feed (FlJsonScan *scan, const char *data, gsize length)
{
  const char *end = data + length;

  g_return_val_if_fail (scan != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  for (const char *p = data; p < end; p++)
    {
      char c = *p;

      if (scan->in_string)
        {
          if (scan->escape)
            scan->escape = FALSE;
          else if (c == '\\')
            scan->escape = TRUE;
          else if (c == '"')
            {
              scan->in_string = FALSE;
              end_string (scan);
              continue;
            }
          scan->string_length++;
          if (scan->string_is_key && scan->key_length < sizeof scan->key - 1)
            scan->key[scan->key_length++] = c;
          continue;
        }

      switch (c)
        {
        case '"':
          scan->in_string = TRUE;
          scan->string_length = 0;
          scan->key_length = 0;
          scan->string_is_key = scan->depth == 1 && scan->top_is_object && scan->expect_key;
          scan->string_is_value = scan->depth == 1 && scan->top_is_object && !scan->expect_key;
          break;
        case '{':
        case '[':
          scan->depth++;
          if (scan->depth == 1)
            {
              scan->top_is_object = c == '{';
              scan->expect_key = TRUE;
            }
          if (scan->depth > scan->max_depth && !scan->too_deep)
            {
              scan->too_deep = TRUE;
              scan->too_deep_at = scan->offset + (gsize) (p - data);
              scan->too_deep_line = scan->line;
            }
          break;
        case '\n':
          scan->line++;
          break;
        case '}':
        case ']':
          if (scan->depth > 0)
            scan->depth--;
          break;
        case ',':
          if (scan->depth == 1 && scan->top_is_object)
            scan->expect_key = TRUE;
          break;
        case ':':
          if (scan->depth == 1 && scan->top_is_object)
            scan->expect_key = FALSE;
          break;
        default:
          break;
        }
    }
  scan->offset += length;
  return !scan->too_deep;
}

/**
 * fl_json_check:
 *
 * Refuses JSON text nested deeper than @max_depth levels, without parsing
 * it.
 */
gboolean
fl_json_check (const char *data, gsize length, guint max_depth, GError **error)
{
  FlJsonScan scan;

  fl_json_scan_init (&scan, max_depth);
  if (fl_json_scan_feed (&scan, data, length))
    return TRUE;
  if (scan.too_deep_line > 1)
    g_set_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP,
                 _("Line %u: the JSON is nested more than %u levels deep; nothing Fairlead reads "
                   "needs that many — flatten it"),
                 scan.too_deep_line, max_depth);
  else
    g_set_error (error, FL_JSON_ERROR, FL_JSON_ERROR_TOO_DEEP,
                 _("The JSON is nested more than %u levels deep (at byte %lu); nothing Fairlead "
                   "reads needs that many — flatten it"),
                 max_depth, (unsigned long) scan.too_deep_at + 1);
  return FALSE;
}

/**
 * fl_json_parser_load:
 * @length: the length of @data, or -1 when it is NUL-terminated
 *
 * json_parser_load_from_data() behind the guard: text nested more than
 * %FL_LIMIT_JSON_DEPTH levels deep never reaches the parser.
 */
gboolean
fl_json_parser_load (JsonParser *parser, const char *data, gssize length, GError **error)
{
  g_return_val_if_fail (JSON_IS_PARSER (parser), FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  if (data == NULL)
    data = "";
  if (length < 0)
    length = strlen (data);
  if (!fl_json_check (data, length, FL_LIMIT_JSON_DEPTH, error))
    return FALSE;
  return json_parser_load_from_data (parser, data, length, error);
}

/**
 * fl_json_parse:
 * @length: the length of @data, or -1 when it is NUL-terminated
 *
 * json_from_string() behind the guard.
 *
 * Returns: (transfer full) (nullable): the root; %NULL with @error set
 *   when the text is not JSON, is only white space or is too deep
 */
JsonNode *
fl_json_parse (const char *data, gssize length, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (!fl_json_parser_load (parser, data, length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, FL_JSON_ERROR, FL_JSON_ERROR_INVALID,
                           _("There is no JSON value, only white space"));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

/**
 * fl_json_append_string:
 * @value: (nullable): UTF-8 text; %NULL writes `null`
 *
 * Appends @value as a JSON string, the way json-glib writes it: quotes,
 * backslashes and control characters escaped, everything else as is.
 * Writers of large bodies (a batch of 100 leads) append into one buffer
 * instead of building a tree first.
 */
void
fl_json_append_string (GString *out, const char *value)
{
  const char *run;

  if (value == NULL)
    {
      g_string_append_len (out, "null", 4);
      return;
    }
  g_string_append_c (out, '"');
  run = value;
  for (const char *p = value; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c >= 0x20 && c != '"' && c != '\\')
        continue;
      g_string_append_len (out, run, p - run);
      switch (c)
        {
        case '"':  g_string_append_len (out, "\\\"", 2); break;
        case '\\': g_string_append_len (out, "\\\\", 2); break;
        case '\b': g_string_append_len (out, "\\b", 2); break;
        case '\f': g_string_append_len (out, "\\f", 2); break;
        case '\n': g_string_append_len (out, "\\n", 2); break;
        case '\r': g_string_append_len (out, "\\r", 2); break;
        case '\t': g_string_append_len (out, "\\t", 2); break;
        default:   g_string_append_printf (out, "\\u%04x", c); break;
        }
      run = p + 1;
    }
  g_string_append (out, run);
  g_string_append_c (out, '"');
}

/**
 * fl_json_append_node:
 * @node: (nullable): %NULL writes `null`
 *
 * Appends @node as compact JSON, members in their order.
 */
void
fl_json_append_node (GString *out, JsonNode *node)
{
  if (node == NULL)
    {
      g_string_append_len (out, "null", 4);
      return;
    }
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;
        gboolean first = TRUE;

        g_string_append_c (out, '{');
        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &name, &member))
          {
            if (!first)
              g_string_append_c (out, ',');
            first = FALSE;
            fl_json_append_string (out, name);
            g_string_append_c (out, ':');
            fl_json_append_node (out, member);
          }
        g_string_append_c (out, '}');
      }
      break;

    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint length = json_array_get_length (array);

        g_string_append_c (out, '[');
        for (guint i = 0; i < length; i++)
          {
            if (i > 0)
              g_string_append_c (out, ',');
            fl_json_append_node (out, json_array_get_element (array, i));
          }
        g_string_append_c (out, ']');
      }
      break;

    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_DOUBLE:
          {
            char buffer[G_ASCII_DTOSTR_BUF_SIZE];

            g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, json_node_get_double (node)));
          }
          break;
        case G_TYPE_BOOLEAN:
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING:
          fl_json_append_string (out, json_node_get_string (node));
          break;
        default:
          g_string_append_len (out, "null", 4);
          break;
        }
      break;

    case JSON_NODE_NULL:
    default:
      g_string_append_len (out, "null", 4);
      break;
    }
}
