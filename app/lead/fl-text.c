/* fl-text.c: text from scanners and spreadsheets, made clean UTF-8
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-text"

#include "config.h"

#include <string.h>

#include "fl-text.h"

/* Windows-1252 0x80–0x9F; 0 where the code page leaves a byte unassigned.
 * The rest of the code page is ISO-8859-1, which is Unicode's first 256. */
static const gunichar cp1252_high[32] = {
  0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
  0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* Tab and line breaks are layout; every other control character is noise a
 * scanner or a spreadsheet left behind and would only confuse a reader. */
static gboolean
is_dropped (gunichar c)
{
  if (c == '\t' || c == '\n' || c == '\r')
    return FALSE;
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == 0xFEFF;
}

static void
append_unichar (GString *out, gunichar c)
{
  if (!is_dropped (c))
    g_string_append_unichar (out, c);
}

static void
append_cp1252 (GString *out, guchar byte)
{
  if (byte >= 0x80 && byte <= 0x9F)
    {
      if (cp1252_high[byte - 0x80] != 0)
        append_unichar (out, cp1252_high[byte - 0x80]);
    }
  else
    append_unichar (out, byte);
}

/**
 * fl_text_to_utf8:
 * @length: the length of @data in bytes, or -1 when it ends with a NUL
 *
 * Valid UTF-8 sequences are kept; every byte that is not part of one is
 * read as Windows-1252 (a superset of ISO-8859-1 for printable text), so a
 * Latin-1 badge and a UTF-8 badge with one stray byte both come out right.
 * Control characters other than tab and line breaks, and byte order marks,
 * are dropped.
 *
 * Returns: (transfer full): UTF-8 text, never %NULL
 */
char *
fl_text_to_utf8 (const char *data, gssize length)
{
  const char *p, *end;
  GString *out;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);
  out = g_string_sized_new (length + 8);
  p = data;
  end = data + length;
  while (p < end)
    {
      const char *valid_end = NULL;

      g_utf8_validate_len (p, end - p, &valid_end);
      while (p < valid_end)
        {
          gunichar c = g_utf8_get_char (p);

          /* NUL is valid UTF-8 but ends every C string after us. */
          if (c != 0)
            append_unichar (out, c);
          p = g_utf8_next_char (p);
        }
      if (p < end)
        {
          append_cp1252 (out, (guchar) *p);
          p++;
        }
    }
  return g_string_free (out, FALSE);
}

/**
 * fl_text_decode_charset:
 * @charset: (nullable): the charset a vCard or a file declares
 *
 * Decodes bytes declared to be in @charset. UTF-8 (or no declaration) and
 * anything iconv does not know fall back to fl_text_to_utf8(); ISO-8859-1
 * is decoded strictly, Windows-1252 with its own table.
 *
 * Returns: (transfer full): UTF-8 text
 */
char *
fl_text_decode_charset (const char *data, gsize length, const char *charset)
{
  g_autofree char *upper = charset ? g_ascii_strup (charset, -1) : NULL;

  /* An empty quoted-printable value decodes to no bytes at all. */
  if (data == NULL || length == 0)
    return g_strdup ("");
  if (upper == NULL || strcmp (upper, "UTF-8") == 0 || strcmp (upper, "UTF8") == 0 ||
      strcmp (upper, "US-ASCII") == 0 || strcmp (upper, "ASCII") == 0 ||
      strcmp (upper, "WINDOWS-1252") == 0 || strcmp (upper, "CP1252") == 0)
    return fl_text_to_utf8 (data, length);

  if (strcmp (upper, "ISO-8859-1") == 0 || strcmp (upper, "LATIN1") == 0 ||
      strcmp (upper, "ISO8859-1") == 0 || strcmp (upper, "LATIN-1") == 0)
    {
      GString *out = g_string_sized_new (length + 8);

      for (gsize i = 0; i < length; i++)
        if (data[i] != '\0')
          append_unichar (out, (guchar) data[i]);
      return g_string_free (out, FALSE);
    }

  {
    g_autofree char *converted = NULL;
    gsize n_written = 0;

    converted = g_convert (data, length, "UTF-8", charset, NULL, &n_written, NULL);
    if (converted != NULL)
      return fl_text_to_utf8 (converted, n_written);
  }
  return fl_text_to_utf8 (data, length);
}

/**
 * fl_text_one_line:
 *
 * Returns: (transfer full) (nullable): @text with runs of white space,
 *   line breaks included, turned into one space and the ends trimmed;
 *   %NULL when nothing is left
 */
char *
fl_text_one_line (const char *text)
{
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return NULL;
  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
    }
  return g_string_free (out, out->len == 0);
}

/**
 * fl_text_normalize:
 *
 * The form two spellings of one name share: case folded, accents removed
 * (so “Müller” and “Muller” meet; “ß” folds to “ss”), punctuation dropped,
 * words separated by single spaces.
 *
 * Returns: (transfer full): the normalised text, "" for %NULL
 */
char *
fl_text_normalize (const char *text)
{
  g_autofree char *folded = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");
  folded = g_utf8_casefold (text, -1);
  decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");
  out = g_string_new (NULL);
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK)
        continue;
      if (g_unichar_isalnum (c))
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_unichar (out, c);
        }
      else
        space = TRUE;
    }
  return g_string_free (out, FALSE);
}

/**
 * fl_text_normalize_company:
 *
 * Like fl_text_normalize(), and without the legal form, so “Muster GmbH”,
 * “Muster Gmbh.” and “Muster” are one company.
 */
char *
fl_text_normalize_company (const char *text)
{
  static const char *const forms[] = {
    "gmbh co kg", "gmbh co kgaa", "ag co kg", "se co kg", "co kg", "gmbh", "mbh", "ag", "kg",
    "kgaa", "ohg", "gbr", "ug haftungsbeschrankt", "ug", "ev", "se", "inc", "incorporated",
    "corp", "corporation", "co", "ltd", "limited", "llc", "llp", "plc", "sa", "sas", "sarl",
    "srl", "spa", "bv", "nv", "ab", "as", "oy", "kft", "sro", "sp z o o",
  };
  g_autofree char *normal = fl_text_normalize (text);
  gboolean changed = TRUE;

  /* Repeated, for “Muster GmbH & Co. KG”. The name itself is never
   * removed, only a trailing form after it. */
  while (changed)
    {
      gsize len = strlen (normal);

      changed = FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
        {
          gsize flen = strlen (forms[i]);

          if (len > flen + 1 && normal[len - flen - 1] == ' ' &&
              strcmp (normal + len - flen, forms[i]) == 0)
            {
              normal[len - flen - 1] = '\0';
              changed = TRUE;
              break;
            }
        }
    }
  return g_steal_pointer (&normal);
}

static gboolean
is_atext (char c)
{
  return g_ascii_isalnum (c) || strchr ("!#$%&'*+/=?^_`{|}~.-", c) != NULL || (guchar) c >= 0x80;
}

/**
 * fl_text_is_email:
 *
 * Checks the shape of an address: one “@”, a local part without spaces,
 * a domain of at least two labels without empty ones. Whether the mailbox
 * exists is for the CRM to find out.
 */
gboolean
fl_text_is_email (const char *text)
{
  const char *at, *p;
  gboolean dot = FALSE;

  if (text == NULL || strlen (text) > 254)
    return FALSE;
  at = strchr (text, '@');
  if (at == NULL || at == text || strchr (at + 1, '@') != NULL || at - text > 64)
    return FALSE;
  for (p = text; p < at; p++)
    if (!is_atext (*p))
      return FALSE;
  if (text[0] == '.' || at[-1] == '.' || strstr (text, "..") != NULL)
    return FALSE;
  p = at + 1;
  if (*p == '\0' || *p == '.' || *p == '-')
    return FALSE;
  for (; *p != '\0'; p++)
    {
      if (*p == '.')
        {
          if (p[1] == '\0' || p[1] == '.' || p[-1] == '-')
            return FALSE;
          dot = TRUE;
        }
      else if (!(g_ascii_isalnum (*p) || *p == '-' || (guchar) *p >= 0x80))
        return FALSE;
    }
  return dot;
}

/**
 * fl_text_clean_email:
 *
 * Returns: (transfer full) (nullable): @text trimmed, without a “mailto:”
 *   prefix or angle brackets; %NULL when empty
 */
char *
fl_text_clean_email (const char *text)
{
  g_autofree char *line = fl_text_one_line (text);
  char *p;
  gsize len;

  if (line == NULL)
    return NULL;
  p = line;
  if (g_ascii_strncasecmp (p, "mailto:", 7) == 0)
    p += 7;
  len = strlen (p);
  if (len >= 2 && p[0] == '<' && p[len - 1] == '>')
    {
      p[len - 1] = '\0';
      p++;
    }
  while (*p == ' ')
    p++;
  return *p ? g_strstrip (g_strdup (p)) : NULL;
}

static gboolean
is_particle (const char *word)
{
  static const char *const particles[] = {
    "von", "van", "vom", "zu", "zum", "zur", "de", "der", "den", "di", "da", "du", "del",
    "della", "dos", "das", "le", "la", "ten", "ter", "op", "af", "al", "bin", "el",
  };

  for (guint i = 0; i < G_N_ELEMENTS (particles); i++)
    if (strcmp (word, particles[i]) == 0)
      return TRUE;
  return FALSE;
}

/**
 * fl_text_split_name:
 *
 * Splits a full name: “Muster, Anna” is last name first; otherwise the
 * last word is the last name, together with particles before it
 * (“Anna von der Heide” → “Anna” / “von der Heide”). A single word is a
 * last name.
 */
void
fl_text_split_name (const char *full_name, char **first_name, char **last_name)
{
  g_autofree char *line = fl_text_one_line (full_name);
  g_auto(GStrv) words = NULL;
  const char *comma;
  guint n, start;

  *first_name = NULL;
  *last_name = NULL;
  if (line == NULL)
    return;

  comma = strchr (line, ',');
  if (comma != NULL)
    {
      g_autofree char *last = g_strndup (line, comma - line);

      *last_name = fl_text_one_line (last);
      *first_name = fl_text_one_line (comma + 1);
      return;
    }

  words = g_strsplit (line, " ", -1);
  n = g_strv_length (words);
  if (n == 1)
    {
      *last_name = g_strdup (words[0]);
      return;
    }
  start = n - 1;
  while (start > 1 && is_particle (words[start - 1]))
    start--;
  {
    g_autofree char *first = NULL;
    char *saved = words[start];

    words[start] = NULL;
    first = g_strjoinv (" ", words);
    words[start] = saved;
    *first_name = g_steal_pointer (&first);
    *last_name = g_strjoinv (" ", words + start);
  }
}
