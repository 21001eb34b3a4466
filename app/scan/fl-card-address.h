/* fl-card-address.h: postal addresses on business cards, by country
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FL_CARD_COUNTRY_UNKNOWN,
  FL_CARD_COUNTRY_DE,
  FL_CARD_COUNTRY_AT,
  FL_CARD_COUNTRY_CH,
  FL_CARD_COUNTRY_UK,
  FL_CARD_COUNTRY_US,
  FL_CARD_COUNTRY_FR,
  FL_CARD_COUNTRY_IT,
  FL_CARD_COUNTRY_ES,
  FL_CARD_COUNTRY_NL,
  FL_CARD_COUNTRY_PL,
  FL_CARD_N_COUNTRIES
} FlCardCountry;

/* A city line: postal code, city and, where the country writes one, the
 * state or province. */
typedef struct
{
  FlCardCountry  country;
  char          *postal_code;
  char          *city;
  char          *region;     /* (nullable) "CA", "MI" */
} FlCardCityLine;

FlCardCountry fl_card_country_from_name   (const char      *name);
FlCardCountry fl_card_country_from_phone  (const char      *number);
FlCardCountry fl_card_country_from_email  (const char      *email);
gboolean      fl_card_city_line_match     (const char      *text,
                                           FlCardCountry    hint,
                                           FlCardCityLine  *out);
void          fl_card_city_line_clear     (FlCardCityLine  *line);
gboolean      fl_card_street_is_plausible (const char      *text);

G_END_DECLS
