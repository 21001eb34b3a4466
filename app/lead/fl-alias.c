/* fl-alias.c: the many names of a contact field
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-alias"

#include "config.h"

#include <string.h>

#include "fl-alias.h"
#include "fl-text.h"

typedef struct
{
  const char  *key;    /* normalised: case folded, no accents, letters and digits only */
  FlAliasKind  kind;
  FlField      field;
} Alias;

/* JSON keys, URL query keys, key:value lists and roster headers in English
 * and German, as ticketing systems and spreadsheets spell them. */
static const Alias aliases[] = {
  { "firstname", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "givenname", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "given", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "first", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "forename", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "vorname", FL_ALIAS_FIELD, FL_FIELD_FIRST_NAME },
  { "lastname", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "familyname", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "family", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "last", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "surname", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "nachname", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "familienname", FL_ALIAS_FIELD, FL_FIELD_LAST_NAME },
  { "name", FL_ALIAS_FIELD, FL_FIELD_FULL_NAME },
  { "fullname", FL_ALIAS_FIELD, FL_FIELD_FULL_NAME },
  { "displayname", FL_ALIAS_FIELD, FL_FIELD_FULL_NAME },
  { "attendeename", FL_ALIAS_FIELD, FL_FIELD_FULL_NAME },
  { "vollername", FL_ALIAS_FIELD, FL_FIELD_FULL_NAME },
  { "email", FL_ALIAS_FIELD, FL_FIELD_EMAIL },
  { "emailaddress", FL_ALIAS_FIELD, FL_FIELD_EMAIL },
  { "mail", FL_ALIAS_FIELD, FL_FIELD_EMAIL },
  { "emailadresse", FL_ALIAS_FIELD, FL_FIELD_EMAIL },
  { "phone", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "phonenumber", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "telephone", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "tel", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "workphone", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "businessphone", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "telefon", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "telefonnummer", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "telefonnr", FL_ALIAS_FIELD, FL_FIELD_PHONE },
  { "mobile", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "mobilephone", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "mobilenumber", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "cell", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "cellphone", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "mobil", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "mobiltelefon", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "mobilnummer", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "handy", FL_ALIAS_FIELD, FL_FIELD_MOBILE },
  { "company", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "companyname", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "organization", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "organisation", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "org", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "employer", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "firma", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "unternehmen", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "firmenname", FL_ALIAS_FIELD, FL_FIELD_COMPANY },
  { "title", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "jobtitle", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "position", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "role", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "jobrole", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "funktion", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "berufsbezeichnung", FL_ALIAS_FIELD, FL_FIELD_TITLE },
  { "department", FL_ALIAS_FIELD, FL_FIELD_DEPARTMENT },
  { "dept", FL_ALIAS_FIELD, FL_FIELD_DEPARTMENT },
  { "abteilung", FL_ALIAS_FIELD, FL_FIELD_DEPARTMENT },
  { "street", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "address", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "streetaddress", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "address1", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "strasse", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "adresse", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "anschrift", FL_ALIAS_FIELD, FL_FIELD_STREET },
  { "city", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "town", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "locality", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "ort", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "stadt", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "wohnort", FL_ALIAS_FIELD, FL_FIELD_CITY },
  { "postalcode", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "postcode", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "zip", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "zipcode", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "plz", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "postleitzahl", FL_ALIAS_FIELD, FL_FIELD_POSTAL_CODE },
  { "region", FL_ALIAS_FIELD, FL_FIELD_REGION },
  { "state", FL_ALIAS_FIELD, FL_FIELD_REGION },
  { "province", FL_ALIAS_FIELD, FL_FIELD_REGION },
  { "bundesland", FL_ALIAS_FIELD, FL_FIELD_REGION },
  { "country", FL_ALIAS_FIELD, FL_FIELD_COUNTRY },
  { "countrycode", FL_ALIAS_FIELD, FL_FIELD_COUNTRY },
  { "land", FL_ALIAS_FIELD, FL_FIELD_COUNTRY },
  { "website", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "web", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "url", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "homepage", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "webseite", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "internet", FL_ALIAS_FIELD, FL_FIELD_WEBSITE },
  { "id", FL_ALIAS_BADGE_ID, 0 },
  { "badgeid", FL_ALIAS_BADGE_ID, 0 },
  { "badge", FL_ALIAS_BADGE_ID, 0 },
  { "badgenumber", FL_ALIAS_BADGE_ID, 0 },
  { "badgenr", FL_ALIAS_BADGE_ID, 0 },
  { "badgenummer", FL_ALIAS_BADGE_ID, 0 },
  { "ticket", FL_ALIAS_BADGE_ID, 0 },
  { "ticketid", FL_ALIAS_BADGE_ID, 0 },
  { "ticketnumber", FL_ALIAS_BADGE_ID, 0 },
  { "ticketcode", FL_ALIAS_BADGE_ID, 0 },
  { "ticketnummer", FL_ALIAS_BADGE_ID, 0 },
  { "ticketnr", FL_ALIAS_BADGE_ID, 0 },
  { "code", FL_ALIAS_BADGE_ID, 0 },
  { "barcode", FL_ALIAS_BADGE_ID, 0 },
  { "attendeeid", FL_ALIAS_BADGE_ID, 0 },
  { "registrationid", FL_ALIAS_BADGE_ID, 0 },
  { "secret", FL_ALIAS_BADGE_ID, 0 },
  { "teilnehmerid", FL_ALIAS_BADGE_ID, 0 },
  { "teilnehmernummer", FL_ALIAS_BADGE_ID, 0 },
  { "teilnehmernr", FL_ALIAS_BADGE_ID, 0 },
  { "note", FL_ALIAS_NOTE, 0 },
  { "notes", FL_ALIAS_NOTE, 0 },
  { "comment", FL_ALIAS_NOTE, 0 },
  { "comments", FL_ALIAS_NOTE, 0 },
  { "notiz", FL_ALIAS_NOTE, 0 },
  { "notizen", FL_ALIAS_NOTE, 0 },
  { "bemerkung", FL_ALIAS_NOTE, 0 },
  { "bemerkungen", FL_ALIAS_NOTE, 0 },
  { "kommentar", FL_ALIAS_NOTE, 0 },
};

/**
 * fl_alias_lookup:
 * @name: a key or column header as written (“E-Mail”, “firstName”,
 *   “Badge-ID”, “Straße”)
 * @field: (out) (optional): the person field for %FL_ALIAS_FIELD
 *
 * Case, accents, spaces and punctuation do not matter, nor does a person
 * field's own name (“postal_code”).
 */
FlAliasKind
fl_alias_lookup (const char *name, FlField *field)
{
  g_autofree char *normal = NULL;
  g_autofree char *key = NULL;
  char *out;

  if (name == NULL)
    return FL_ALIAS_NONE;
  normal = fl_text_normalize (name);
  key = g_strdup (normal);
  out = key;
  for (const char *p = normal; *p != '\0'; p++)
    if (*p != ' ')
      *out++ = *p;
  *out = '\0';

  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (strcmp (key, aliases[i].key) == 0)
      {
        if (field != NULL)
          *field = aliases[i].field;
        return aliases[i].kind;
      }
  return FL_ALIAS_NONE;
}
