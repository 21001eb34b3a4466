/* fl-payload.c: what a badge or a business card carries, as a contact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-payload"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-alias.h"
#include "fl-json.h"
#include "fl-payload.h"
#include "fl-text.h"

G_DEFINE_QUARK (fl-payload-error-quark, fl_payload_error)

/* Address parts of a vCard ADR or a MECARD ADR, kept together so the
 * street of one address never meets the city of another. */
enum { ADR_STREET, ADR_CITY, ADR_REGION, ADR_POSTAL_CODE, ADR_COUNTRY, N_ADR };

static const FlField adr_fields[N_ADR] = {
  FL_FIELD_STREET, FL_FIELD_CITY, FL_FIELD_REGION, FL_FIELD_POSTAL_CODE, FL_FIELD_COUNTRY,
};

/* What a parser found. Several values for one field compete by rank (a
 * work number beats a home number); the first of equal rank wins. */
typedef struct
{
  char     *values[FL_N_FIELDS];
  int       ranks[FL_N_FIELDS];
  char     *adr[N_ADR];
  int       adr_rank;
  gboolean  has_adr;
  char     *badge_id;
  int       badge_rank;
  GString  *notes;
  GPtrArray *bad_emails;
} Contact;

static const char *format_names[] = {
  "unknown", "vcard", "mecard", "bizcard", "json", "url", "keyvalue", "delimited", "id",
};

static void
contact_init (Contact *contact)
{
  memset (contact, 0, sizeof *contact);
  contact->notes = g_string_new (NULL);
  contact->bad_emails = g_ptr_array_new_with_free_func (g_free);
}

static void
contact_clear (Contact *contact)
{
  for (guint i = 0; i < FL_N_FIELDS; i++)
    g_free (contact->values[i]);
  for (guint i = 0; i < N_ADR; i++)
    g_free (contact->adr[i]);
  g_free (contact->badge_id);
  g_string_free (contact->notes, TRUE);
  g_ptr_array_unref (contact->bad_emails);
}

static gboolean
contact_has_data (Contact *contact)
{
  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (contact->values[i] != NULL)
      return TRUE;
  return contact->badge_id != NULL || contact->has_adr || contact->notes->len > 0 ||
         contact->bad_emails->len > 0;
}

static void
contact_offer (Contact *contact, FlField field, const char *value, int rank)
{
  g_autofree char *clean = NULL;

  if (field == FL_FIELD_EMAIL)
    {
      clean = fl_text_clean_email (value);
      if (clean == NULL)
        return;
      if (!fl_text_is_email (clean))
        {
          g_ptr_array_add (contact->bad_emails, g_steal_pointer (&clean));
          return;
        }
    }
  else
    {
      clean = fl_text_one_line (value);
      if (clean == NULL)
        return;
      if ((field == FL_FIELD_PHONE || field == FL_FIELD_MOBILE) &&
          g_ascii_strncasecmp (clean, "tel:", 4) == 0)
        {
          char *number = g_strdup (clean + 4);
          g_free (clean);
          clean = number;
        }
    }

  if (contact->values[field] != NULL && contact->ranks[field] >= rank)
    return;
  g_free (contact->values[field]);
  contact->values[field] = g_steal_pointer (&clean);
  contact->ranks[field] = rank;
}

static void
contact_offer_badge (Contact *contact, const char *value, int rank)
{
  g_autofree char *clean = fl_text_one_line (value);

  if (clean == NULL || (contact->badge_id != NULL && contact->badge_rank >= rank))
    return;
  g_free (contact->badge_id);
  contact->badge_id = g_steal_pointer (&clean);
  contact->badge_rank = rank;
}

static void
contact_add_note (Contact *contact, const char *text)
{
  g_autofree char *copy = text ? g_strstrip (g_strdup (text)) : NULL;

  if (copy == NULL || copy[0] == '\0')
    return;
  if (contact->notes->len > 0)
    g_string_append_c (contact->notes, '\n');
  g_string_append (contact->notes, copy);
}

/* Takes a whole address when it ranks above the one kept so far. */
static void
contact_offer_adr (Contact *contact, char *parts[N_ADR], int rank)
{
  gboolean any = FALSE;

  for (guint i = 0; i < N_ADR; i++)
    if (parts[i] != NULL && parts[i][0] != '\0')
      any = TRUE;
  if (!any || (contact->has_adr && contact->adr_rank >= rank))
    return;
  for (guint i = 0; i < N_ADR; i++)
    {
      g_free (contact->adr[i]);
      contact->adr[i] = fl_text_one_line (parts[i]);
    }
  contact->adr_rank = rank;
  contact->has_adr = TRUE;
}

static void
contact_offer_alias (Contact *contact, const char *key, const char *value, int rank)
{
  FlField field;

  switch (fl_alias_lookup (key, &field))
    {
    case FL_ALIAS_FIELD:
      contact_offer (contact, field, value, rank);
      break;
    case FL_ALIAS_BADGE_ID:
      contact_offer_badge (contact, value, rank);
      break;
    case FL_ALIAS_NOTE:
      contact_add_note (contact, value);
      break;
    case FL_ALIAS_NONE:
    default:
      break;
    }
}

static FlLead *
contact_to_lead (Contact *contact, const char *raw)
{
  g_autoptr(FlLead) lead = fl_lead_new ();

  if (contact->has_adr)
    for (guint i = 0; i < N_ADR; i++)
      if (contact->adr[i] != NULL && contact->values[adr_fields[i]] == NULL)
        contact->values[adr_fields[i]] = g_strdup (contact->adr[i]);

  for (guint i = 0; i < contact->bad_emails->len; i++)
    {
      g_autofree char *note = g_strdup_printf (_("Email as scanned, not a valid address: %s"),
                                               (char *) g_ptr_array_index (contact->bad_emails, i));
      contact_add_note (contact, note);
    }

  /* A value longer than a field may hold stays in the raw payload only:
   * the scan is kept whole there, and the lead can still be saved. */
  fl_lead_set_raw_payload (lead, raw);
  if (contact->badge_id != NULL && strlen (contact->badge_id) <= FL_LIMIT_FIELD)
    fl_lead_set_badge_id (lead, contact->badge_id);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (contact->values[i] != NULL && strlen (contact->values[i]) <= FL_LIMIT_FIELD)
      fl_lead_set_field (lead, i, contact->values[i]);
  if (contact->notes->len > 0)
    fl_lead_set_notes (lead, contact->notes->str);
  fl_payload_complete_names (lead);
  return g_steal_pointer (&lead);
}

/* Text escapes */

/* Splits at @separator where it is not escaped by a backslash; the parts
 * keep their escapes. */
static GPtrArray *
split_unescaped (const char *text, char separator)
{
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;

  for (const char *p = text; ; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          p++;
          continue;
        }
      if (*p == separator || *p == '\0')
        {
          g_ptr_array_add (parts, g_strndup (start, p - start));
          if (*p == '\0')
            break;
          start = p + 1;
        }
    }
  return parts;
}

/* vCard and MECARD escapes: \n and \N are a line break, \\ \, \; \: the
 * character itself. Any other backslash is kept, as it was probably meant. */
static char *
unescape (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && p[1] != '\0')
        {
          char next = p[1];

          if (next == 'n' || next == 'N')
            g_string_append_c (out, '\n');
          else if (next == '\\' || next == ',' || next == ';' || next == ':')
            g_string_append_c (out, next);
          else
            {
              g_string_append_c (out, '\\');
              g_string_append_c (out, next);
            }
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static const char *
part (GPtrArray *parts, guint index)
{
  return index < parts->len ? g_ptr_array_index (parts, index) : NULL;
}

static GPtrArray *
split_structured (const char *text, char separator)
{
  g_autoptr(GPtrArray) raw = split_unescaped (text, separator);
  GPtrArray *parts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < raw->len; i++)
    g_ptr_array_add (parts, unescape (g_ptr_array_index (raw, i)));
  return parts;
}

/* vCard */

typedef struct
{
  char       *name;      /* upper case, without group */
  GHashTable *types;     /* lower-case TYPE values and bare parameters */
  char       *encoding;  /* upper case or NULL */
  char       *charset;
} VcardParams;

static void
vcard_params_clear (VcardParams *params)
{
  g_free (params->name);
  g_clear_pointer (&params->types, g_hash_table_unref);
  g_free (params->encoding);
  g_free (params->charset);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (VcardParams, vcard_params_clear)

static gboolean
has_type (VcardParams *params, const char *type)
{
  return g_hash_table_contains (params->types, type);
}

/* Work values first: a booth wants the business contact. */
static int
type_rank (VcardParams *params)
{
  int rank = 0;

  if (has_type (params, "work"))
    rank += 4;
  if (has_type (params, "pref"))
    rank += 2;
  if (has_type (params, "home"))
    rank -= 1;
  return rank;
}

/* Finds @c outside double quotes, or the end. */
static const char *
find_unquoted (const char *text, char c)
{
  gboolean quoted = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == c && !quoted)
        return p;
    }
  return NULL;
}

static void
add_type_values (VcardParams *params, const char *values)
{
  g_auto(GStrv) list = g_strsplit (values, ",", -1);

  for (guint i = 0; list[i] != NULL; i++)
    {
      char *value = g_strstrip (g_strdelimit (list[i], "\"", ' '));
      if (value[0] != '\0')
        g_hash_table_add (params->types, g_ascii_strdown (value, -1));
    }
}

static void
parse_params (const char *head, VcardParams *params)
{
  const char *p = head;
  gboolean first = TRUE;

  params->types = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (p != NULL)
    {
      const char *end = find_unquoted (p, ';');
      g_autofree char *item = end ? g_strndup (p, end - p) : g_strdup (p);
      const char *eq;

      g_strstrip (item);
      if (first)
        {
          const char *dot = strrchr (item, '.');
          params->name = g_ascii_strup (dot ? dot + 1 : item, -1);
          first = FALSE;
        }
      else if ((eq = strchr (item, '=')) != NULL)
        {
          g_autofree char *key = g_ascii_strup (item, eq - item);
          const char *value = eq + 1;

          g_strstrip (key);
          if (strcmp (key, "TYPE") == 0)
            add_type_values (params, value);
          else if (strcmp (key, "ENCODING") == 0)
            {
              g_free (params->encoding);
              params->encoding = g_ascii_strup (value, -1);
            }
          else if (strcmp (key, "CHARSET") == 0)
            {
              g_free (params->charset);
              params->charset = g_strdup (value);
              g_strdelimit (params->charset, "\"", ' ');
              g_strstrip (params->charset);
            }
          else if (strcmp (key, "PREF") == 0)
            g_hash_table_add (params->types, g_strdup ("pref"));
        }
      else if (item[0] != '\0')
        {
          /* vCard 2.1 writes parameters bare: “TEL;WORK;VOICE:”. */
          g_autofree char *upper = g_ascii_strup (item, -1);

          if (strcmp (upper, "QUOTED-PRINTABLE") == 0 || strcmp (upper, "BASE64") == 0 ||
              strcmp (upper, "8BIT") == 0 || strcmp (upper, "7BIT") == 0)
            {
              g_free (params->encoding);
              params->encoding = g_steal_pointer (&upper);
            }
          else
            add_type_values (params, item);
        }
      p = end ? end + 1 : NULL;
    }
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

static GByteArray *
decode_quoted_printable (const char *text)
{
  GByteArray *out = g_byte_array_new ();

  for (const char *p = text; *p != '\0'; p++)
    {
      guint8 byte = (guint8) *p;

      if (*p == '=' && hex_value (p[1]) >= 0 && hex_value (p[2]) >= 0)
        {
          byte = (guint8) (hex_value (p[1]) * 16 + hex_value (p[2]));
          p += 2;
        }
      /* A stray “=” is kept: a broken card still says something. */
      if (byte != 0)
        g_byte_array_append (out, &byte, 1);
    }
  return out;
}

static gboolean
line_is_quoted_printable (const char *line)
{
  const char *colon = find_unquoted (line, ':');
  g_autofree char *head = colon ? g_ascii_strup (line, colon - line) : NULL;

  return head != NULL && strstr (head, "QUOTED-PRINTABLE") != NULL;
}

static void
vcard_property (Contact *contact, const char *line)
{
  g_auto(VcardParams) params = { 0 };
  const char *colon = find_unquoted (line, ':');
  g_autofree char *head = NULL;
  g_autofree char *value = NULL;
  const char *name;
  int rank;

  if (colon == NULL)
    return;
  head = g_strndup (line, colon - line);
  parse_params (head, &params);
  name = params.name;

  if (params.encoding != NULL &&
      (strcmp (params.encoding, "BASE64") == 0 || strcmp (params.encoding, "B") == 0))
    return;  /* photos, logos, sounds */
  if (params.encoding != NULL && strcmp (params.encoding, "QUOTED-PRINTABLE") == 0)
    {
      g_autoptr(GByteArray) bytes = decode_quoted_printable (colon + 1);
      value = fl_text_decode_charset ((const char *) bytes->data, bytes->len, params.charset);
    }
  else
    value = fl_text_decode_charset (colon + 1, strlen (colon + 1), params.charset);

  rank = type_rank (&params);
  if (strcmp (name, "N") == 0)
    {
      g_autoptr(GPtrArray) parts = split_structured (value, ';');

      if (parts->len == 1)
        contact_offer (contact, FL_FIELD_FULL_NAME, part (parts, 0), -1);
      else
        {
          g_autofree char *given = g_strdup_printf ("%s %s", part (parts, 1),
                                                    part (parts, 2) ? part (parts, 2) : "");
          contact_offer (contact, FL_FIELD_LAST_NAME, part (parts, 0), 0);
          contact_offer (contact, FL_FIELD_FIRST_NAME, given, 0);
        }
    }
  else if (strcmp (name, "FN") == 0)
    {
      g_autofree char *text = unescape (value);
      contact_offer (contact, FL_FIELD_FULL_NAME, text, 0);
    }
  else if (strcmp (name, "ORG") == 0)
    {
      g_autoptr(GPtrArray) parts = split_structured (value, ';');
      g_autoptr(GString) units = g_string_new (NULL);

      contact_offer (contact, FL_FIELD_COMPANY, part (parts, 0), rank);
      for (guint i = 1; i < parts->len; i++)
        {
          g_autofree char *unit = fl_text_one_line (g_ptr_array_index (parts, i));
          if (unit == NULL)
            continue;
          if (units->len > 0)
            g_string_append (units, ", ");
          g_string_append (units, unit);
        }
      contact_offer (contact, FL_FIELD_DEPARTMENT, units->str, rank);
    }
  else if (strcmp (name, "TITLE") == 0 || strcmp (name, "ROLE") == 0)
    {
      g_autofree char *text = unescape (value);
      contact_offer (contact, FL_FIELD_TITLE, text, strcmp (name, "TITLE") == 0 ? 1 : 0);
    }
  else if (strcmp (name, "TEL") == 0)
    {
      g_autofree char *text = unescape (value);

      if (has_type (&params, "fax") || has_type (&params, "pager") ||
          has_type (&params, "textphone"))
        return;
      if (has_type (&params, "cell") || has_type (&params, "mobile"))
        contact_offer (contact, FL_FIELD_MOBILE, text, rank);
      else
        contact_offer (contact, FL_FIELD_PHONE, text, rank + (has_type (&params, "voice") ? 1 : 0));
    }
  else if (strcmp (name, "EMAIL") == 0)
    {
      g_autofree char *text = unescape (value);
      contact_offer (contact, FL_FIELD_EMAIL, text, rank);
    }
  else if (strcmp (name, "ADR") == 0)
    {
      g_autoptr(GPtrArray) parts = split_structured (value, ';');
      g_autofree char *street = NULL;
      char *adr[N_ADR];

      /* post office box; extended address; street; locality; region; code; country */
      if (part (parts, 2) && part (parts, 2)[0] && part (parts, 1) && part (parts, 1)[0])
        street = g_strdup_printf ("%s, %s", part (parts, 2), part (parts, 1));
      else if (part (parts, 2) && part (parts, 2)[0])
        street = g_strdup (part (parts, 2));
      else if (part (parts, 0) && part (parts, 0)[0])
        street = g_strdup (part (parts, 0));
      adr[ADR_STREET] = street;
      adr[ADR_CITY] = (char *) part (parts, 3);
      adr[ADR_REGION] = (char *) part (parts, 4);
      adr[ADR_POSTAL_CODE] = (char *) part (parts, 5);
      adr[ADR_COUNTRY] = (char *) part (parts, 6);
      contact_offer_adr (contact, adr, rank);
    }
  else if (strcmp (name, "URL") == 0)
    {
      g_autofree char *text = unescape (value);
      contact_offer (contact, FL_FIELD_WEBSITE, text, rank);
    }
  else if (strcmp (name, "NOTE") == 0)
    {
      g_autofree char *text = unescape (value);
      contact_add_note (contact, text);
    }
}

/* Reads the first vCard of @text (NUL-free bytes in any charset, each value
 * decoded by its own CHARSET). */
static void
parse_vcard (Contact *contact, const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  gboolean version_21 = FALSE;
  gboolean inside = FALSE;
  guint n = g_strv_length (lines);
  guint i = 0;

  for (guint j = 0; j < n; j++)
    {
      gsize len = strlen (lines[j]);
      if (len > 0 && lines[j][len - 1] == '\r')
        lines[j][len - 1] = '\0';
    }

  while (i < n)
    {
      g_autoptr(GString) line = g_string_new (lines[i++]);
      gboolean qp = line_is_quoted_printable (line->str);

      while (i < n)
        {
          const char *next = lines[i];

          if (qp && line->len > 0 && line->str[line->len - 1] == '=')
            {
              /* A soft line break of quoted-printable. */
              g_string_truncate (line, line->len - 1);
              g_string_append (line, next);
              i++;
            }
          else if (next[0] == ' ' || next[0] == '\t')
            {
              /* Folding: 3.0 and 4.0 drop the first white space, 2.1 keeps it. */
              g_string_append (line, version_21 ? next : next + 1);
              i++;
            }
          else
            break;
        }

      if (!inside)
        {
          if (g_ascii_strncasecmp (g_strchug (line->str), "BEGIN:VCARD", 11) == 0)
            inside = TRUE;
          continue;
        }
      if (g_ascii_strncasecmp (line->str, "END:VCARD", 9) == 0)
        break;
      if (g_ascii_strncasecmp (line->str, "VERSION:", 8) == 0)
        version_21 = g_str_has_prefix (g_strstrip (line->str + 8), "2.");
      else
        vcard_property (contact, line->str);
    }
}

/* MECARD and BIZCARD */

static void
parse_mecard (Contact *contact, const char *body, gboolean bizcard)
{
  g_autoptr(GPtrArray) items = split_unescaped (body, ';');

  for (guint i = 0; i < items->len; i++)
    {
      const char *item = g_ptr_array_index (items, i);
      const char *colon = strchr (item, ':');
      g_autofree char *key = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;
      key = g_ascii_strup (item, colon - item);
      g_strstrip (key);
      value = unescape (colon + 1);

      if (bizcard)
        {
          if (strcmp (key, "N") == 0)
            contact_offer (contact, FL_FIELD_FIRST_NAME, value, 0);
          else if (strcmp (key, "X") == 0)
            contact_offer (contact, FL_FIELD_LAST_NAME, value, 0);
          else if (strcmp (key, "T") == 0)
            contact_offer (contact, FL_FIELD_TITLE, value, 0);
          else if (strcmp (key, "C") == 0)
            contact_offer (contact, FL_FIELD_COMPANY, value, 0);
          else if (strcmp (key, "A") == 0)
            contact_offer (contact, FL_FIELD_STREET, value, 0);
          else if (strcmp (key, "B") == 0)
            contact_offer (contact, FL_FIELD_PHONE, value, 0);
          else if (strcmp (key, "M") == 0)
            contact_offer (contact, FL_FIELD_MOBILE, value, 0);
          else if (strcmp (key, "E") == 0)
            contact_offer (contact, FL_FIELD_EMAIL, value, 0);
          continue;
        }

      if (strcmp (key, "N") == 0)
        {
          /* “Last,First”: the comma separates unless escaped. */
          g_autoptr(GPtrArray) parts = split_structured (colon + 1, ',');

          if (parts->len >= 2)
            {
              contact_offer (contact, FL_FIELD_LAST_NAME, part (parts, 0), 0);
              contact_offer (contact, FL_FIELD_FIRST_NAME, part (parts, 1), 0);
            }
          else
            contact_offer (contact, FL_FIELD_FULL_NAME, part (parts, 0), 0);
        }
      else if (strcmp (key, "TEL") == 0)
        contact_offer (contact, FL_FIELD_PHONE, value, 0);
      else if (strcmp (key, "EMAIL") == 0)
        contact_offer (contact, FL_FIELD_EMAIL, value, 0);
      else if (strcmp (key, "ORG") == 0)
        contact_offer (contact, FL_FIELD_COMPANY, value, 0);
      else if (strcmp (key, "TITLE") == 0)
        contact_offer (contact, FL_FIELD_TITLE, value, 0);
      else if (strcmp (key, "URL") == 0)
        contact_offer (contact, FL_FIELD_WEBSITE, value, 0);
      else if (strcmp (key, "NOTE") == 0)
        contact_add_note (contact, value);
      else if (strcmp (key, "CONF") == 0 || strcmp (key, "ID") == 0)
        contact_offer_badge (contact, value, 0);
      else if (strcmp (key, "ADR") == 0)
        {
          /* DoCoMo: PO box, room, street, city, region, postal code, country. */
          g_autoptr(GPtrArray) parts = split_structured (colon + 1, ',');

          if (parts->len == 7)
            {
              char *adr[N_ADR] = {
                (char *) part (parts, 2), (char *) part (parts, 3), (char *) part (parts, 4),
                (char *) part (parts, 5), (char *) part (parts, 6),
              };
              contact_offer_adr (contact, adr, 0);
            }
          else
            contact_offer (contact, FL_FIELD_STREET, value, 0);
        }
    }
}

/* JSON */

static gboolean
is_person_key (const char *key)
{
  static const char *const keys[] = {
    "attendee", "person", "contact", "visitor", "participant", "profile", "user", "lead",
    "teilnehmer", "besucher", "kontakt",
  };
  g_autofree char *normal = fl_text_normalize (key);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strcmp (normal, keys[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Reads the scalar members of @object; with @nested_person / @nested_other
 * also the objects one level down whose key does / does not name a person. */
static void
json_members (Contact *contact, JsonObject *object, int rank, gboolean nested_person,
              gboolean nested_other)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *node;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &node))
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          gboolean person = is_person_key (key);

          if ((person && nested_person) || (!person && nested_other))
            json_members (contact, json_node_get_object (node), rank - 1, FALSE, FALSE);
          continue;
        }
      if (!JSON_NODE_HOLDS_VALUE (node) || nested_other)
        continue;
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_STRING:
          contact_offer_alias (contact, key, json_node_get_string (node), rank);
          break;
        case G_TYPE_INT64:
          {
            g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
            contact_offer_alias (contact, key, text, rank);
          }
          break;
        case G_TYPE_DOUBLE:
          {
            char text[G_ASCII_DTOSTR_BUF_SIZE];
            contact_offer_alias (contact, key, g_ascii_dtostr (text, sizeof text, json_node_get_double (node)), rank);
          }
          break;
        default:
          break;
        }
    }
}

static gboolean
parse_json (Contact *contact, const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  /* Too deep to parse safely is not JSON to us: the scan is kept as an
   * unrecognised lead with its raw payload, like any other text. */
  if (!fl_json_parser_load (parser, text, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  /* The top level and {"attendee": {…}} first; other objects ({"event":
   * {"name": …}}) only when those carry nothing. */
  json_members (contact, json_node_get_object (root), 1, TRUE, FALSE);
  if (!contact_has_data (contact))
    json_members (contact, json_node_get_object (root), 1, FALSE, TRUE);
  return TRUE;
}

/* URL */

static char *
unescape_to_utf8 (const char *text)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  bytes = g_uri_unescape_bytes (text, -1, NULL, NULL);
  if (bytes == NULL)
    return fl_text_to_utf8 (text, -1);
  data = g_bytes_get_data (bytes, &size);
  return fl_text_to_utf8 (data ? data : "", size);
}

static gboolean
parse_url (Contact *contact, const char *text)
{
  g_autoptr(GUri) uri = g_uri_parse (text, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  const char *query, *path;

  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return FALSE;

  query = g_uri_get_query (uri);
  if (query != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit_set (query, "&;", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          char *eq = strchr (pairs[i], '=');
          g_autofree char *key = NULL;
          g_autofree char *value = NULL;

          if (eq == NULL)
            continue;
          *eq = '\0';
          g_strdelimit (pairs[i], "+", ' ');
          g_strdelimit (eq + 1, "+", ' ');
          key = unescape_to_utf8 (pairs[i]);
          value = unescape_to_utf8 (eq + 1);
          contact_offer_alias (contact, key, value, 0);
        }
    }
  if (contact_has_data (contact))
    return TRUE;

  path = g_uri_get_path (uri);
  if (path != NULL)
    {
      g_auto(GStrv) segments = g_strsplit (path, "/", -1);

      for (int i = (int) g_strv_length (segments) - 1; i >= 0; i--)
        if (segments[i][0] != '\0')
          {
            g_autofree char *segment = unescape_to_utf8 (segments[i]);
            contact_offer_badge (contact, segment, 0);
            break;
          }
    }
  return TRUE;
}

/* key:value lists */

static gboolean
parse_keyvalue (Contact *contact, const char *text)
{
  g_auto(GStrv) items = g_strsplit_set (text, ";|\n", -1);
  guint n_known = 0;

  /* Every item must look like “key: value” and one key must be known, or
   * this is something else that happens to contain colons. */
  for (guint i = 0; items[i] != NULL; i++)
    {
      char *item = g_strstrip (items[i]);
      const char *colon;
      g_autofree char *key = NULL;

      if (item[0] == '\0')
        continue;
      colon = strchr (item, ':');
      if (colon == NULL || colon == item || colon - item > 40)
        return FALSE;
      for (const char *p = item; p < colon; p++)
        if (!(g_ascii_isalnum (*p) || (guchar) *p >= 0x80 || strchr (" _-.", *p) != NULL))
          return FALSE;
      key = g_strndup (item, colon - item);
      if (fl_alias_lookup (key, NULL) != FL_ALIAS_NONE)
        n_known++;
    }
  if (n_known == 0)
    return FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *colon = strchr (items[i], ':');
      g_autofree char *key = NULL;

      if (colon == NULL)
        continue;
      key = g_strndup (items[i], colon - items[i]);
      contact_offer_alias (contact, key, colon + 1, 0);
    }
  return TRUE;
}

/* Delimited badge records */

static char
record_delimiter (const char *text)
{
  static const char candidates[] = { '^', '|', '\t' };
  guint best_count = 0;
  char best = 0;

  if (strchr (text, '\n') != NULL)
    return 0;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      guint count = 0;

      for (const char *p = text; *p != '\0'; p++)
        if (*p == candidates[i])
          count++;
      if (count > best_count)
        {
          best_count = count;
          best = candidates[i];
        }
    }
  return best;
}

static void
parse_delimited (Contact *contact, const char *text, char delimiter, const FlPayloadOptions *options)
{
  char separators[2] = { delimiter, '\0' };
  g_auto(GStrv) values = g_strsplit (text, separators, -1);

  if (options == NULL || options->badge_columns == NULL)
    return;
  for (guint i = 0; values[i] != NULL && options->badge_columns[i] != NULL; i++)
    {
      const char *column = options->badge_columns[i];
      FlField field;

      if (column[0] == '\0' || strcmp (column, "-") == 0)
        continue;
      if (strcmp (column, "badge_id") == 0)
        contact_offer_badge (contact, values[i], 1);
      else if (strcmp (column, "note") == 0 || strcmp (column, "notes") == 0)
        contact_add_note (contact, values[i]);
      else if (fl_field_from_string (column, &field))
        contact_offer (contact, field, values[i], 1);
      else
        contact_offer_alias (contact, column, values[i], 0);
    }
}

/* Plain ids */

static gboolean
is_plain_id (const char *text)
{
  gsize len = strlen (text);

  if (len == 0 || len > 128)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isgraph (*p) || strchr ("\"'<>{}[],;`\\", *p) != NULL)
      return FALSE;
  return TRUE;
}

/* Public API */

/**
 * fl_payload_complete_names:
 *
 * Derives the full name from first and last name, or, when only a full
 * name is known, splits it (“Muster, Anna” is read last name first and
 * then written “Anna Muster”).
 */
void
fl_payload_complete_names (FlLead *lead)
{
  const char *first, *last, *full;

  g_return_if_fail (FL_IS_LEAD (lead));

  first = fl_lead_get_field (lead, FL_FIELD_FIRST_NAME);
  last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
  full = fl_lead_get_field (lead, FL_FIELD_FULL_NAME);
  if (full != NULL && first == NULL && last == NULL)
    {
      g_autofree char *split_first = NULL;
      g_autofree char *split_last = NULL;

      fl_text_split_name (full, &split_first, &split_last);
      fl_lead_set_field (lead, FL_FIELD_FIRST_NAME, split_first);
      fl_lead_set_field (lead, FL_FIELD_LAST_NAME, split_last);
      if (strchr (full, ',') != NULL)
        fl_lead_set_field (lead, FL_FIELD_FULL_NAME, NULL);
      first = fl_lead_get_field (lead, FL_FIELD_FIRST_NAME);
      last = fl_lead_get_field (lead, FL_FIELD_LAST_NAME);
    }
  if (fl_lead_get_field (lead, FL_FIELD_FULL_NAME) == NULL && (first != NULL || last != NULL))
    {
      g_autofree char *joined = g_strdup_printf ("%s %s", first ? first : "", last ? last : "");
      g_autofree char *clean = fl_text_one_line (joined);

      if (clean == NULL || strlen (clean) <= FL_LIMIT_FIELD)
        fl_lead_set_field (lead, FL_FIELD_FULL_NAME, clean);
    }
}

const char *
fl_payload_format_to_string (FlPayloadFormat format)
{
  g_return_val_if_fail (format <= FL_PAYLOAD_FORMAT_ID, NULL);
  return format_names[format];
}

FlPayloadOptions *
fl_payload_options_new (void)
{
  return g_new0 (FlPayloadOptions, 1);
}

/**
 * fl_payload_options_new_for_event:
 * @event: (nullable): the event whose settings say how to read its badges
 *
 * Reads the event setting "badge_columns", an array of column names for
 * delimited badge records.
 */
FlPayloadOptions *
fl_payload_options_new_for_event (const FlEvent *event)
{
  FlPayloadOptions *options = fl_payload_options_new ();
  JsonObject *settings;
  JsonArray *columns;
  GPtrArray *names;

  if (event == NULL || event->settings == NULL || !JSON_NODE_HOLDS_OBJECT (event->settings))
    return options;
  settings = json_node_get_object (event->settings);
  if (!json_object_has_member (settings, "badge_columns") ||
      !JSON_NODE_HOLDS_ARRAY (json_object_get_member (settings, "badge_columns")))
    return options;
  columns = json_object_get_array_member (settings, "badge_columns");
  if (json_array_get_length (columns) == 0)
    return options;

  names = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (columns); i++)
    {
      JsonNode *node = json_array_get_element (columns, i);
      const char *name = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                           ? json_node_get_string (node) : "";
      g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_add (names, NULL);
  options->badge_columns = (char **) g_ptr_array_free (names, FALSE);
  return options;
}

void
fl_payload_options_free (FlPayloadOptions *options)
{
  if (options == NULL)
    return;
  g_strfreev (options->badge_columns);
  g_free (options);
}

void
fl_payload_result_free (FlPayloadResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->lead);
  g_free (result);
}

static gboolean
starts_with_word (const char *text, const char *prefix)
{
  return g_ascii_strncasecmp (text, prefix, strlen (prefix)) == 0;
}

/**
 * fl_payload_parse:
 * @payload: what the scanner read
 * @length: its length in bytes, or -1 when NUL-terminated
 * @options: (nullable): how to read delimited badge records
 *
 * Detects the format and reads the contact. Only empty input and input
 * over %FL_PAYLOAD_MAX_LENGTH bytes are errors; anything else gives a lead
 * with at least the raw payload (decoded to UTF-8, control characters
 * dropped), so no scan is ever lost. The lead has no identity yet; a plain
 * id is in its badge id, to be resolved against the roster.
 *
 * Returns: (transfer full) (nullable): the format and the lead
 */
FlPayloadResult *
fl_payload_parse (const char *payload, gssize length, const FlPayloadOptions *options,
                  GError **error)
{
  g_autoptr(FlPayloadResult) result = NULL;
  g_autofree char *text = NULL;
  g_autofree char *trimmed = NULL;
  Contact contact;
  char delimiter;

  g_return_val_if_fail (payload != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (payload);
  if (length > FL_PAYLOAD_MAX_LENGTH)
    {
      g_set_error (error, FL_PAYLOAD_ERROR, FL_PAYLOAD_ERROR_TOO_LONG,
                   _("The scanned code is %lu bytes long, more than the %d a badge or card "
                     "can carry; it was not read. Scan it again, or enter the contact by hand."),
                   (unsigned long) length, FL_PAYLOAD_MAX_LENGTH);
      return NULL;
    }

  text = fl_text_to_utf8 (payload ? payload : "", length);
  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, FL_PAYLOAD_ERROR, FL_PAYLOAD_ERROR_EMPTY,
                           _("The scanned code is empty; scan it again."));
      return NULL;
    }

  result = g_new0 (FlPayloadResult, 1);
  contact_init (&contact);

  if (starts_with_word (trimmed, "BEGIN:VCARD"))
    {
      /* Values are decoded one by one, each by its own CHARSET, so the
       * vCard is read from the bytes as scanned (without NULs). */
      g_autofree char *bytes = g_malloc (length + 1);
      gsize n = 0;
      gssize i = 0;

      if (length >= 3 && memcmp (payload, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
      for (; i < length; i++)
        if (payload[i] != '\0')
          bytes[n++] = payload[i];
      bytes[n] = '\0';
      result->format = FL_PAYLOAD_FORMAT_VCARD;
      parse_vcard (&contact, bytes);
    }
  else if (starts_with_word (trimmed, "MECARD:"))
    {
      result->format = FL_PAYLOAD_FORMAT_MECARD;
      parse_mecard (&contact, trimmed + strlen ("MECARD:"), FALSE);
    }
  else if (starts_with_word (trimmed, "BIZCARD:"))
    {
      result->format = FL_PAYLOAD_FORMAT_BIZCARD;
      parse_mecard (&contact, trimmed + strlen ("BIZCARD:"), TRUE);
    }
  else if (trimmed[0] == '{' && parse_json (&contact, trimmed))
    result->format = FL_PAYLOAD_FORMAT_JSON;
  else if ((starts_with_word (trimmed, "http://") || starts_with_word (trimmed, "https://")) &&
           strpbrk (trimmed, " \t\n") == NULL && parse_url (&contact, trimmed))
    result->format = FL_PAYLOAD_FORMAT_URL;
  else if (strchr (trimmed, ':') != NULL && parse_keyvalue (&contact, trimmed))
    result->format = FL_PAYLOAD_FORMAT_KEYVALUE;
  else if ((delimiter = record_delimiter (trimmed)) != 0)
    {
      result->format = FL_PAYLOAD_FORMAT_DELIMITED;
      parse_delimited (&contact, trimmed, delimiter, options);
    }
  else if (is_plain_id (trimmed))
    {
      result->format = FL_PAYLOAD_FORMAT_ID;
      contact_offer_badge (&contact, trimmed, 0);
    }
  else
    result->format = FL_PAYLOAD_FORMAT_UNKNOWN;

  result->lead = contact_to_lead (&contact, text);
  contact_clear (&contact);
  return g_steal_pointer (&result);
}

/**
 * fl_payload_result_to_json:
 *
 * Returns: (transfer full): an object with "format" and those of the
 *   person fields, "note" and "badge_id" the lead has
 */
JsonNode *
fl_payload_result_to_json (const FlPayloadResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (result != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_string_value (builder, fl_payload_format_to_string (result->format));
  for (guint i = 0; i < FL_N_FIELDS; i++)
    {
      const char *value = fl_lead_get_field (result->lead, i);

      if (value == NULL)
        continue;
      json_builder_set_member_name (builder, fl_field_to_string (i));
      json_builder_add_string_value (builder, value);
    }
  if (fl_lead_get_notes (result->lead) != NULL)
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, fl_lead_get_notes (result->lead));
    }
  if (fl_lead_get_badge_id (result->lead) != NULL)
    {
      json_builder_set_member_name (builder, "badge_id");
      json_builder_add_string_value (builder, fl_lead_get_badge_id (result->lead));
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}
