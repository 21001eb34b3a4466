/* fl-card-address.c: postal addresses on business cards, by country
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every country writes its city line its own way: "20457 Hamburg",
 * "A-1060 Wien", "London W1U 3BW", "San Francisco, CA 94103",
 * "75008 Paris Cedex 08", "20121 Milano (MI)", "1012 AB Amsterdam",
 * "00-950 Warszawa". A bare number before a word is also how an American
 * or British street begins ("1450 Market Street"), so the patterns are
 * tried in the order the card suggests — its country line, the country
 * code of its phone, the top-level domain of its email — and a "city"
 * that carries a street word is never taken.
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <string.h>

#include "fl-card-address.h"

/* A city: capitalised words, hyphens, dots, "am Main", "a. d. Donau",
 * "St. Gallen", "Frankfurt/Oder". */
#define CITY "(\\p{Lu}[\\p{L}.'’\\- ]*?(?:\\s?/\\s?\\p{L}[\\p{L}.\\- ]*)?" \
             "(?:\\s(?:am|an|im|in|bei|ob|a\\.|i\\.|b\\.|d\\.|sur|sous|en|de|del|di)\\s?[\\p{L}.'\\- ]+)?)"

typedef struct
{
  FlCardCountry  country;
  const char    *pattern;
  int            code_group;
  int            city_group;
  int            region_group;  /* 0: none */
} CityPattern;

/* The most particular first: without a hint, "1015 CJ Amsterdam" is
 * Dutch before it could be an Austrian code and a city "CJ Amsterdam". */
static const CityPattern city_patterns[] = {
  { FL_CARD_COUNTRY_NL, "^(?:NL[-‑ ])?(\\d{4}\\s?[A-Z]{2})\\s+" CITY "$", 1, 2, 0 },
  { FL_CARD_COUNTRY_PL, "^(?:PL[-‑ ])?(\\d{2}-\\d{3})\\s+" CITY "$", 1, 2, 0 },
  { FL_CARD_COUNTRY_DE, "^(?:(?:D|DE)[-‑ ])?(\\d{5})\\s+" CITY "$", 1, 2, 0 },
  { FL_CARD_COUNTRY_AT, "^(?:(?:A|AT)[-‑ ])?(\\d{4})\\s+" CITY "$", 1, 2, 0 },
  { FL_CARD_COUNTRY_CH, "^(?:(?:CH|FL)[-‑ ])?(\\d{4})\\s+" CITY "$", 1, 2, 0 },
  { FL_CARD_COUNTRY_UK,
    "^" CITY ",?\\s+((?:[A-Z]{1,2}\\d[A-Z\\d]?|GIR)\\s?\\d[A-Z]{2})$", 2, 1, 0 },
  { FL_CARD_COUNTRY_US,
    "^" CITY ",?\\s+([A-Z]{2})\\.?\\s+(\\d{5}(?:-\\d{4})?)$", 3, 1, 2 },
  { FL_CARD_COUNTRY_FR,
    "^(?:F[-‑ ])?(\\d{5})\\s+" CITY "(?:\\s+(?i:cedex)(?:\\s+\\d{1,2})?)?$", 1, 2, 0 },
  { FL_CARD_COUNTRY_IT,
    "^(?:I[-‑ ])?(\\d{5})\\s+" CITY "(?:\\s+\\(?([A-Z]{2})\\)?)?$", 1, 2, 3 },
  { FL_CARD_COUNTRY_ES,
    "^(?:E[-‑ ])?(\\d{5})\\s+" CITY "(?:\\s+\\((\\p{Lu}[\\p{L} ]+)\\))?$", 1, 2, 3 },
};

static const struct
{
  const char    *name;
  FlCardCountry  country;
} country_names[] = {
  { "Deutschland", FL_CARD_COUNTRY_DE }, { "Germany", FL_CARD_COUNTRY_DE },
  { "Allemagne", FL_CARD_COUNTRY_DE }, { "Germania", FL_CARD_COUNTRY_DE },
  { "Österreich", FL_CARD_COUNTRY_AT }, { "Austria", FL_CARD_COUNTRY_AT },
  { "Schweiz", FL_CARD_COUNTRY_CH }, { "Switzerland", FL_CARD_COUNTRY_CH },
  { "Suisse", FL_CARD_COUNTRY_CH }, { "Svizzera", FL_CARD_COUNTRY_CH },
  { "United Kingdom", FL_CARD_COUNTRY_UK }, { "UK", FL_CARD_COUNTRY_UK },
  { "England", FL_CARD_COUNTRY_UK }, { "Scotland", FL_CARD_COUNTRY_UK },
  { "Wales", FL_CARD_COUNTRY_UK }, { "Great Britain", FL_CARD_COUNTRY_UK },
  { "USA", FL_CARD_COUNTRY_US }, { "U.S.A.", FL_CARD_COUNTRY_US },
  { "United States", FL_CARD_COUNTRY_US }, { "United States of America", FL_CARD_COUNTRY_US },
  { "France", FL_CARD_COUNTRY_FR }, { "Frankreich", FL_CARD_COUNTRY_FR },
  { "Italia", FL_CARD_COUNTRY_IT }, { "Italy", FL_CARD_COUNTRY_IT },
  { "Italien", FL_CARD_COUNTRY_IT }, { "España", FL_CARD_COUNTRY_ES },
  { "Spain", FL_CARD_COUNTRY_ES }, { "Spanien", FL_CARD_COUNTRY_ES },
  { "Nederland", FL_CARD_COUNTRY_NL }, { "Netherlands", FL_CARD_COUNTRY_NL },
  { "The Netherlands", FL_CARD_COUNTRY_NL }, { "Niederlande", FL_CARD_COUNTRY_NL },
  { "Polska", FL_CARD_COUNTRY_PL }, { "Poland", FL_CARD_COUNTRY_PL },
  { "Polen", FL_CARD_COUNTRY_PL },
};

static const struct
{
  const char    *prefix;   /* digits after + or 00 */
  FlCardCountry  country;
} calling_codes[] = {
  { "49", FL_CARD_COUNTRY_DE }, { "43", FL_CARD_COUNTRY_AT }, { "41", FL_CARD_COUNTRY_CH },
  { "44", FL_CARD_COUNTRY_UK }, { "1", FL_CARD_COUNTRY_US }, { "33", FL_CARD_COUNTRY_FR },
  { "39", FL_CARD_COUNTRY_IT }, { "34", FL_CARD_COUNTRY_ES }, { "31", FL_CARD_COUNTRY_NL },
  { "48", FL_CARD_COUNTRY_PL },
};

static const struct
{
  const char    *tld;
  FlCardCountry  country;
} domains[] = {
  { ".de", FL_CARD_COUNTRY_DE }, { ".at", FL_CARD_COUNTRY_AT }, { ".ch", FL_CARD_COUNTRY_CH },
  { ".uk", FL_CARD_COUNTRY_UK }, { ".us", FL_CARD_COUNTRY_US }, { ".fr", FL_CARD_COUNTRY_FR },
  { ".it", FL_CARD_COUNTRY_IT }, { ".es", FL_CARD_COUNTRY_ES }, { ".nl", FL_CARD_COUNTRY_NL },
  { ".pl", FL_CARD_COUNTRY_PL },
};

/* Words that make a "city" a street: "1450 Market Street" is a house
 * number and a street, not a postcode and a city. */
static const char *street_words =
  "(?i:stra(?:ß|ss)e|\\bstr\\.|street|\\bst\\.?$|road|\\brd\\.?$|avenue|\\bave\\.?$|lane|drive|"
  "\\bdr\\.?$|boulevard|\\bblvd|parkway|highway|\\bway$|\\bplace$|square|court|terrace|suite|"
  "\\bste\\b|floor|\\bunit\\b|\\brue\\b|\\bvia\\b|\\bviale\\b|\\bpiazza\\b|\\bcorso\\b|calle|"
  "\\bavda\\b|plaza|straat|\\bweg$|laan|gracht|\\bplein\\b|\\bulica\\b|\\bul\\.|gasse|platz$|"
  "allee$|ring$|damm$)";

static GRegex *
street_word_regex (void)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    g_once_init_leave (&regex, g_regex_new (street_words, G_REGEX_OPTIMIZE, 0, NULL));
  return regex;
}

static GRegex **
city_regexes (void)
{
  static GRegex **regexes = NULL;

  if (g_once_init_enter (&regexes))
    {
      GRegex **compiled = g_new0 (GRegex *, G_N_ELEMENTS (city_patterns));

      for (guint i = 0; i < G_N_ELEMENTS (city_patterns); i++)
        {
          compiled[i] = g_regex_new (city_patterns[i].pattern, G_REGEX_OPTIMIZE, 0, NULL);
          g_assert (compiled[i] != NULL);
        }
      g_once_init_leave (&regexes, compiled);
    }
  return regexes;
}

/**
 * fl_card_country_from_name:
 * @name: a country line, "Deutschland", "United Kingdom"
 *
 * Returns: the country, or %FL_CARD_COUNTRY_UNKNOWN
 */
FlCardCountry
fl_card_country_from_name (const char *name)
{
  if (name == NULL)
    return FL_CARD_COUNTRY_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
    if (g_utf8_collate (name, country_names[i].name) == 0 ||
        g_ascii_strcasecmp (name, country_names[i].name) == 0)
      return country_names[i].country;
  return FL_CARD_COUNTRY_UNKNOWN;
}

/**
 * fl_card_country_from_phone:
 * @number: a phone number as printed, "+44 20 7946 0321", "0049 …"
 *
 * Returns: the country of its calling code, or %FL_CARD_COUNTRY_UNKNOWN
 *   for a national number
 */
FlCardCountry
fl_card_country_from_phone (const char *number)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean international = FALSE;

  if (number == NULL)
    return FL_CARD_COUNTRY_UNKNOWN;
  for (const char *p = number; *p; p++)
    {
      if (*p == '+' && digits->len == 0)
        international = TRUE;
      else if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (*p == '(' && digits->len > 0)
        break;  /* "+49 (0)30": the code is before the bracket */
    }
  if (!international)
    {
      if (!g_str_has_prefix (digits->str, "00"))
        return FL_CARD_COUNTRY_UNKNOWN;
      g_string_erase (digits, 0, 2);
    }
  for (guint i = 0; i < G_N_ELEMENTS (calling_codes); i++)
    if (g_str_has_prefix (digits->str, calling_codes[i].prefix))
      return calling_codes[i].country;
  return FL_CARD_COUNTRY_UNKNOWN;
}

/**
 * fl_card_country_from_email:
 *
 * Returns: the country of the address's top-level domain (.de, .co.uk…),
 *   or %FL_CARD_COUNTRY_UNKNOWN for .com and the like
 */
FlCardCountry
fl_card_country_from_email (const char *email)
{
  if (email == NULL)
    return FL_CARD_COUNTRY_UNKNOWN;
  for (guint i = 0; i < G_N_ELEMENTS (domains); i++)
    if (g_str_has_suffix (email, domains[i].tld))
      return domains[i].country;
  return FL_CARD_COUNTRY_UNKNOWN;
}

static gboolean
try_pattern (guint index, const char *text, FlCardCityLine *out)
{
  const CityPattern *pattern = &city_patterns[index];
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *city = NULL;

  if (!g_regex_match (city_regexes ()[index], text, 0, &match))
    return FALSE;
  city = g_strstrip (g_match_info_fetch (match, pattern->city_group));
  if (city[0] == '\0' || g_regex_match (street_word_regex (), city, 0, NULL) ||
      fl_card_country_from_name (city) != FL_CARD_COUNTRY_UNKNOWN)
    return FALSE;
  out->country = pattern->country;
  out->city = g_steal_pointer (&city);
  out->postal_code = g_match_info_fetch (match, pattern->code_group);
  out->region = pattern->region_group > 0 ? g_match_info_fetch (match, pattern->region_group)
                                          : NULL;
  if (out->region != NULL && out->region[0] == '\0')
    g_clear_pointer (&out->region, g_free);
  return TRUE;
}

/**
 * fl_card_city_line_match:
 * @text: one line or one comma-separated part of it
 * @hint: the country the card suggests, or %FL_CARD_COUNTRY_UNKNOWN
 * @out: (out caller-allocates): the parts, to clear with
 *   fl_card_city_line_clear()
 *
 * Tries the hinted country's pattern first, then the others.
 *
 * Returns: whether @text is a city line
 */
gboolean
fl_card_city_line_match (const char *text, FlCardCountry hint, FlCardCityLine *out)
{
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  for (guint i = 0; i < G_N_ELEMENTS (city_patterns); i++)
    if (city_patterns[i].country == hint && try_pattern (i, text, out))
      return TRUE;
  /* A five-digit code with a city is German, French, Italian or Spanish
   * alike; without a hint, the first that fits names it. */
  for (guint i = 0; i < G_N_ELEMENTS (city_patterns); i++)
    if (city_patterns[i].country != hint && try_pattern (i, text, out))
      return TRUE;
  return FALSE;
}

void
fl_card_city_line_clear (FlCardCityLine *line)
{
  g_clear_pointer (&line->postal_code, g_free);
  g_clear_pointer (&line->city, g_free);
  g_clear_pointer (&line->region, g_free);
}

/**
 * fl_card_street_is_plausible:
 *
 * Returns: whether @text reads as a street line in one of the countries:
 *   "Hafenstraße 12", "24 Baker Street", "1450 Market Street, Suite 300",
 *   "12, rue de la Paix", "Via Roma, 12", "Calle Mayor 12, 3º",
 *   "ul. Marszałkowska 10/12"
 */
gboolean
fl_card_street_is_plausible (const char *text)
{
  static GRegex *regex = NULL;

  if (g_once_init_enter (&regex))
    {
      GRegex *compiled = g_regex_new (
        /* name then number: "Hafenstraße 12a", "Via Roma, 12", "Calle Mayor 12, 3º B" */
        "^(?:\\p{L}[\\p{L}.'’/\\- ]*?,?\\s+\\d{1,4}\\s?[a-zA-Z]?(?:\\s?[-–/]\\s?\\d{1,4}[a-zA-Z]?)?"
        "(?:,\\s*\\d{1,2}\\s?[º°ª]?(?:\\s?[A-Za-z])?)?"
        /* number then name: "24 Baker Street", "12, rue de la Paix", "1450 Market St, Suite 300" */
        "|\\d{1,5}[a-zA-Z]?(?:-\\d{1,5})?,?\\s+\\p{L}[\\p{L}.'’\\- ]+"
        "(?:,?\\s+(?i:suite|ste\\.?|floor|fl\\.|unit|apt\\.?|room|#)\\s*[\\dA-Za-z-]{1,5})?)$",
        G_REGEX_OPTIMIZE, 0, NULL);

      g_assert (compiled != NULL);
      g_once_init_leave (&regex, compiled);
    }
  if (text == NULL || strchr (text, '@') != NULL)
    return FALSE;
  if (g_str_has_prefix (text, "Postfach") || g_str_has_prefix (text, "PO Box") ||
      g_str_has_prefix (text, "P.O."))
    return FALSE;
  return g_regex_match (regex, text, 0, NULL);
}
