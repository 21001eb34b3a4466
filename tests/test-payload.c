/* test-payload.c: badge and business-card payloads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "lead/fl-payload.h"
#include "lead/fl-text.h"

typedef struct
{
  const char      *name;
  const char      *payload;
  gssize           length;     /* -1: NUL-terminated; else with embedded NULs */
  const char      *columns;    /* comma-separated badge_columns, or NULL */
  FlPayloadFormat  format;
  /* "field=value|field=value…": exactly these fields are set. "badge_id"
   * and "notes" are checked the same way; "notes~text" checks that the
   * notes contain text. */
  const char      *expected;
} PayloadCase;

static const PayloadCase cases[] = {
  /* vCard 3.0 as phones export it: work values preferred, CELL → mobile. */
  { "vcard/3.0-work-preferred",
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Müller;Anna;;Dr.;\r\n"
    "FN:Dr. Anna Müller\r\n"
    "ORG:Muster GmbH;Vertrieb\r\n"
    "TITLE:Head of Sales\r\n"
    "TEL;TYPE=HOME,VOICE:+49 30 9999999\r\n"
    "TEL;TYPE=WORK,VOICE:+49 30 1234567\r\n"
    "TEL;TYPE=CELL:+49 171 1234567\r\n"
    "TEL;TYPE=WORK,FAX:+49 30 1234568\r\n"
    "EMAIL;TYPE=INTERNET,HOME:anna@privat.de\r\n"
    "EMAIL;TYPE=INTERNET,WORK:anna.mueller@muster.de\r\n"
    "ADR;TYPE=HOME:;;Gartenweg 5;Potsdam;;14467;Deutschland\r\n"
    "ADR;TYPE=WORK:;;Hauptstraße 1;Berlin;Berlin;10115;Deutschland\r\n"
    "URL;TYPE=WORK:https://muster.de\r\n"
    "END:VCARD\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Anna|last_name=Müller|full_name=Dr. Anna Müller|email=anna.mueller@muster.de|"
    "phone=+49 30 1234567|mobile=+49 171 1234567|company=Muster GmbH|title=Head of Sales|"
    "department=Vertrieb|street=Hauptstraße 1|city=Berlin|region=Berlin|postal_code=10115|"
    "country=Deutschland|website=https://muster.de" },

  /* vCard 2.1 from an old Outlook: bare parameters, QUOTED-PRINTABLE with
   * ISO-8859-1, a soft line break. */
  { "vcard/2.1-quoted-printable-latin1",
    "BEGIN:VCARD\r\n"
    "VERSION:2.1\r\n"
    "N;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:Wei=DF;J=F6rg\r\n"
    "FN;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:J=F6rg Wei=DF\r\n"
    "ORG;CHARSET=ISO-8859-1;ENCODING=QUOTED-PRINTABLE:B=E4ckerei Wei=DF & S=F6hne\r\n"
    "TEL;WORK;VOICE:0711 123456\r\n"
    "TEL;CELL:0172 9876543\r\n"
    "EMAIL;PREF;INTERNET:joerg@baeckerei-weiss.de\r\n"
    "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:Interesse an Gr=C3=B6=\r\n"
    "=C3=9Fe XL, Lieferung =\r\n"
    "ab M=C3=A4rz\r\n"
    "END:VCARD\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Jörg|last_name=Weiß|full_name=Jörg Weiß|email=joerg@baeckerei-weiss.de|"
    "phone=0711 123456|mobile=0172 9876543|company=Bäckerei Weiß & Söhne|"
    "notes=Interesse an Größe XL, Lieferung ab März" },

  /* vCard 4.0 with folding in the middle of words, quoted TYPE lists, tel:
   * URIs and escapes. */
  { "vcard/4.0-folding-escapes",
    "BEGIN:VCARD\n"
    "VERSION:4.0\n"
    "FN:Anna Maria Müll\n"
    " er-Lüdenscheidt\n"
    "N:Müller-Lüdenscheidt;Anna;Maria;;\n"
    "ORG:Schmidt\\, Meier & Partner\n"
    "TEL;VALUE=uri;TYPE=\"work,voice\";PREF=1:tel:+49-89-555\n"
    "\t0100\n"
    "EMAIL;TYPE=work:anna@smp-\n"
    " partner.de\n"
    "NOTE:Stand 4\\; Halle B\\nRückruf \\\\ morgen\n"
    "END:VCARD\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Anna Maria|last_name=Müller-Lüdenscheidt|full_name=Anna Maria Müller-Lüdenscheidt|"
    "email=anna@smp-partner.de|phone=+49-89-5550100|company=Schmidt, Meier & Partner|"
    "notes=Stand 4; Halle B\nRückruf \\ morgen" },

  /* Apple groups: item1.EMAIL with its label. */
  { "vcard/groups",
    "BEGIN:VCARD\r\n"
    "VERSION:3.0\r\n"
    "N:Dupont;Claire;;;\r\n"
    "item1.EMAIL;type=INTERNET;type=pref:claire.dupont@exemple.fr\r\n"
    "item1.X-ABLabel:_$!<Work>!$_\r\n"
    "item2.TEL;type=CELL:+33 6 12 34 56 78\r\n"
    "item3.ADR;type=WORK:;;12 rue de la Paix;Paris;;75002;France\r\n"
    "item3.X-ABADR:fr\r\n"
    "PHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQSkZJRgABAQAAAQABAAD\r\n"
    "END:VCARD\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Claire|last_name=Dupont|full_name=Claire Dupont|email=claire.dupont@exemple.fr|"
    "mobile=+33 6 12 34 56 78|street=12 rue de la Paix|city=Paris|postal_code=75002|country=France" },

  /* 8-bit Windows-1252 and unlabelled Latin-1 bytes. */
  { "vcard/windows-1252",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nN:M\xfcller;Stefan\r\n"
    "ORG;CHARSET=WINDOWS-1252:Caf\xe9 \x84Zur Sonne\x93\r\n"
    "NOTE;CHARSET=Windows-1252:Budget 5.000 \x80\r\nEND:VCARD\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Stefan|last_name=Müller|full_name=Stefan Müller|company=Café „Zur Sonne“|"
    "notes=Budget 5.000 €" },

  { "vcard/n-single-value",
    "BEGIN:VCARD\nVERSION:3.0\nN:Anna Muster\nEMAIL:anna@muster.de\nEND:VCARD",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Anna|last_name=Muster|full_name=Anna Muster|email=anna@muster.de" },

  { "vcard/missing-fields",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Kai Lehmann\nEND:VCARD",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Kai|last_name=Lehmann|full_name=Kai Lehmann" },

  { "vcard/fax-only-and-role",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Eva Roth\nTEL;TYPE=FAX:+49 40 111\nROLE:Einkauf\n"
    "ORG:Roth KG;Einkauf;Region Süd\nEND:VCARD",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Eva|last_name=Roth|full_name=Eva Roth|title=Einkauf|company=Roth KG|"
    "department=Einkauf, Region Süd" },

  { "vcard/invalid-email-kept-in-notes",
    "BEGIN:VCARD\nVERSION:3.0\nFN:Tom Berg\nEMAIL:tom.berg(at)firma.de\nEND:VCARD",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Tom|last_name=Berg|full_name=Tom Berg|notes~tom.berg(at)firma.de" },

  { "vcard/2.1-folding-keeps-space",
    "BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Lena Vogel\r\nNOTE:Messe-Kontakt wegen\r\n Projekt Nord\r\nEND:VCARD\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Lena|last_name=Vogel|full_name=Lena Vogel|notes=Messe-Kontakt wegen Projekt Nord" },

  { "vcard/lower-case-and-bom",
    "\xef\xbb\xbf" "begin:vcard\nversion:3.0\nfn:Ida Graf\nemail;type=work: Ida.Graf@Graf.AT \nend:vcard",
    -1, NULL, FL_PAYLOAD_FORMAT_VCARD,
    "first_name=Ida|last_name=Graf|full_name=Ida Graf|email=Ida.Graf@Graf.AT" },

  /* MECARD as event apps write it, with escapes. */
  { "mecard/escapes",
    "MECARD:N:M\\;\\:ller\\,X,Anna;TEL:+49301234567;EMAIL:anna@muster.de;ORG:Muster\\; Co;"
    "TITLE:CTO;URL:https\\://muster.de;NOTE:Halle 3\\: Stand 12\\\\A;;",
    -1, NULL, FL_PAYLOAD_FORMAT_MECARD,
    "first_name=Anna|last_name=M;:ller,X|full_name=Anna M;:ller,X|phone=+49301234567|"
    "email=anna@muster.de|company=Muster; Co|title=CTO|website=https://muster.de|"
    "notes=Halle 3: Stand 12\\A" },

  { "mecard/conf-badge-id",
    "MECARD:N:Schulz,Peter;EMAIL:p.schulz@schulz-it.de;ADR:,,Lindenstr. 3,Köln,NRW,50674,Germany;"
    "CONF:HM26-004711;;",
    -1, NULL, FL_PAYLOAD_FORMAT_MECARD,
    "first_name=Peter|last_name=Schulz|full_name=Peter Schulz|email=p.schulz@schulz-it.de|"
    "street=Lindenstr. 3|city=Köln|region=NRW|postal_code=50674|country=Germany|"
    "badge_id=HM26-004711" },

  { "mecard/single-name-and-id",
    "MECARD:N:Grete Sommer;ID:77881;;",
    -1, NULL, FL_PAYLOAD_FORMAT_MECARD,
    "first_name=Grete|last_name=Sommer|full_name=Grete Sommer|badge_id=77881" },

  { "bizcard/full",
    "BIZCARD:N:Sean;X:Owen;T:Software Engineer;C:Google;A:76 9th Avenue, New York, NY 10011;"
    "B:+12125551212;M:+12125550000;E:sean@google.com;;",
    -1, NULL, FL_PAYLOAD_FORMAT_BIZCARD,
    "first_name=Sean|last_name=Owen|full_name=Sean Owen|title=Software Engineer|company=Google|"
    "street=76 9th Avenue, New York, NY 10011|phone=+12125551212|mobile=+12125550000|"
    "email=sean@google.com" },

  /* JSON from ticketing systems. */
  { "json/snake-case-number-id",
    "{\"id\": 100234, \"first_name\": \"Jürgen\", \"last_name\": \"Groß\", "
    "\"email\": \"juergen.gross@gross-ag.de\", \"company\": \"Groß AG\", \"job_title\": \"CEO\", "
    "\"country\": \"DE\", \"phone\": \"+49 89 1\", \"mobile\": \"+49 160 2\"}",
    -1, NULL, FL_PAYLOAD_FORMAT_JSON,
    "badge_id=100234|first_name=Jürgen|last_name=Groß|full_name=Jürgen Groß|"
    "email=juergen.gross@gross-ag.de|company=Groß AG|title=CEO|country=DE|phone=+49 89 1|"
    "mobile=+49 160 2" },

  { "json/nested-camel-case",
    "{\"event\": {\"id\": \"EV-1\", \"name\": \"Hannover Messe\"}, \"attendee\": {\"firstName\": "
    "\"Ana\", \"lastName\": \"García\", \"organization\": \"Iberia Tech\", \"jobTitle\": \"CTO\"}, "
    "\"ticket\": \"TCK-5555\"}",
    -1, NULL, FL_PAYLOAD_FORMAT_JSON,
    "badge_id=TCK-5555|first_name=Ana|last_name=García|full_name=Ana García|company=Iberia Tech|"
    "title=CTO" },

  { "json/given-family-and-last-first",
    "{\"given_name\": \"Ole\", \"family_name\": \"Hansen\", \"name\": \"Hansen, Ole\", "
    "\"attendee_id\": \"A-9\", \"secret\": \"zzz\"}",
    -1, NULL, FL_PAYLOAD_FORMAT_JSON,
    "badge_id=A-9|first_name=Ole|last_name=Hansen|full_name=Hansen, Ole" },

  { "json/full-name-last-first",
    "{\"full_name\": \"Muster, Anna\", \"badge_id\": \"X1\", \"email\": \"kein-at-zeichen\"}",
    -1, NULL, FL_PAYLOAD_FORMAT_JSON,
    "badge_id=X1|first_name=Anna|last_name=Muster|full_name=Anna Muster|notes~kein-at-zeichen" },

  { "json/no-known-keys",
    "{\"foo\": \"bar\"}",
    -1, NULL, FL_PAYLOAD_FORMAT_JSON, "" },

  { "json/broken-is-unknown",
    "{\"name\": \"Anna\", ",
    -1, NULL, FL_PAYLOAD_FORMAT_UNKNOWN, "" },

  /* URLs */
  { "url/query",
    "https://register.example.com/checkin?badge_id=HM-77&first_name=Anna&last_name=M%C3%BCller&"
    "email=anna%40muster.de&company=Muster+GmbH",
    -1, NULL, FL_PAYLOAD_FORMAT_URL,
    "badge_id=HM-77|first_name=Anna|last_name=Müller|full_name=Anna Müller|email=anna@muster.de|"
    "company=Muster GmbH" },

  { "url/last-segment",
    "https://tickets.example.org/b/9f8e7d6c/",
    -1, NULL, FL_PAYLOAD_FORMAT_URL, "badge_id=9f8e7d6c" },

  { "url/unrelated-query-and-encoded-segment",
    "http://x.de/t/K%C3%B6ln-42?utm_source=qr",
    -1, NULL, FL_PAYLOAD_FORMAT_URL, "badge_id=Köln-42" },

  { "url/host-only",
    "https://www.example.com",
    -1, NULL, FL_PAYLOAD_FORMAT_URL, "" },

  /* key:value lists */
  { "keyvalue/semicolons",
    "name:Anna Muster;email:a@b.de;company:X",
    -1, NULL, FL_PAYLOAD_FORMAT_KEYVALUE,
    "first_name=Anna|last_name=Muster|full_name=Anna Muster|email=a@b.de|company=X" },

  { "keyvalue/german-lines",
    "Vorname: Jörg\r\nNachname: Weiß\r\nFirma: Bäckerei Schmidt\r\nE-Mail: joerg@baeckerei.de\r\n"
    "Teilnehmer-ID: 5521\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_KEYVALUE,
    "first_name=Jörg|last_name=Weiß|full_name=Jörg Weiß|company=Bäckerei Schmidt|"
    "email=joerg@baeckerei.de|badge_id=5521" },

  { "keyvalue/pipes-latin1",
    "name:J\xf6rg von der Stra\xdf" "e|email:mailto:J@W.DE|web:https://w.de",
    -1, NULL, FL_PAYLOAD_FORMAT_KEYVALUE,
    "first_name=Jörg|last_name=von der Straße|full_name=Jörg von der Straße|email=J@W.DE|"
    "website=https://w.de" },

  /* Delimited badge records */
  { "delimited/caret-with-columns",
    "4711^Anna^Müller^Muster GmbH^anna@muster.de^DE",
    -1, "badge_id,first_name,last_name,company,email,country", FL_PAYLOAD_FORMAT_DELIMITED,
    "badge_id=4711|first_name=Anna|last_name=Müller|full_name=Anna Müller|company=Muster GmbH|"
    "email=anna@muster.de|country=DE" },

  { "delimited/pipe-skip-column",
    "HM26|0815|Weiß|Jörg|ACME",
    -1, "-,badge_id,Nachname,Vorname,company", FL_PAYLOAD_FORMAT_DELIMITED,
    "badge_id=0815|first_name=Jörg|last_name=Weiß|full_name=Jörg Weiß|company=ACME" },

  { "delimited/tab-fewer-values",
    "B-1\tKim\tPark",
    -1, "badge_id,first_name,last_name,company,email", FL_PAYLOAD_FORMAT_DELIMITED,
    "badge_id=B-1|first_name=Kim|last_name=Park|full_name=Kim Park" },

  { "delimited/no-columns-kept-raw",
    "4711^Anna^Müller^Muster GmbH",
    -1, NULL, FL_PAYLOAD_FORMAT_DELIMITED, "" },

  /* Plain ids, trailing scanner Enter included. */
  { "id/plain",
    "TKT-2026-000123\r\n",
    -1, NULL, FL_PAYLOAD_FORMAT_ID, "badge_id=TKT-2026-000123" },

  { "id/control-characters-dropped",
    "\x02" "ABC\x07" "123\x1d\x03",
    -1, NULL, FL_PAYLOAD_FORMAT_ID, "badge_id=ABC123" },

  /* Anything else */
  { "unknown/free-text",
    "Bitte am Stand 12 melden!",
    -1, NULL, FL_PAYLOAD_FORMAT_UNKNOWN, "" },

  { "unknown/binary-garbage",
    "\xff\xfe\x00\x01\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xc3",
    19, NULL, FL_PAYLOAD_FORMAT_UNKNOWN, "" },

  { "unknown/json-array",
    "[1, 2, 3]",
    -1, NULL, FL_PAYLOAD_FORMAT_UNKNOWN, "" },
};

static void
check_expected (FlLead *lead, const char *expected)
{
  g_auto(GStrv) items = g_strsplit (expected, "|", -1);
  gboolean seen[FL_N_FIELDS] = { FALSE };
  gboolean badge_seen = FALSE, notes_seen = FALSE;

  for (guint i = 0; items[i] != NULL; i++)
    {
      const char *item = items[i];
      const char *eq = strchr (item, '=');
      const char *tilde = strchr (item, '~');
      const char *sep = eq && (!tilde || eq < tilde) ? eq : tilde;
      g_autofree char *key = NULL;
      FlField field;

      if (item[0] == '\0')
        continue;
      g_assert_nonnull (sep);
      key = g_strndup (item, sep - item);
      if (strcmp (key, "badge_id") == 0)
        {
          g_assert_cmpstr (fl_lead_get_badge_id (lead), ==, sep + 1);
          badge_seen = TRUE;
        }
      else if (strcmp (key, "notes") == 0)
        {
          g_assert_nonnull (fl_lead_get_notes (lead));
          if (*sep == '~')
            g_assert_nonnull (strstr (fl_lead_get_notes (lead), sep + 1));
          else
            g_assert_cmpstr (fl_lead_get_notes (lead), ==, sep + 1);
          notes_seen = TRUE;
        }
      else
        {
          g_assert_true (fl_field_from_string (key, &field));
          g_assert_cmpstr (fl_lead_get_field (lead, field), ==, sep + 1);
          seen[field] = TRUE;
        }
    }
  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (!seen[i] && fl_lead_get_field (lead, i) != NULL)
      g_error ("unexpected %s “%s”", fl_field_to_string (i), fl_lead_get_field (lead, i));
  if (!badge_seen)
    g_assert_null (fl_lead_get_badge_id (lead));
  if (!notes_seen)
    g_assert_null (fl_lead_get_notes (lead));
}

static void
test_case (gconstpointer data)
{
  const PayloadCase *c = data;
  g_autoptr(FlPayloadOptions) options = fl_payload_options_new ();
  g_autoptr(FlPayloadResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *raw;

  if (c->columns != NULL)
    options->badge_columns = g_strsplit (c->columns, ",", -1);
  result = fl_payload_parse (c->payload, c->length, options, &error);
  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_assert_cmpstr (fl_payload_format_to_string (result->format), ==,
                   fl_payload_format_to_string (c->format));
  check_expected (result->lead, c->expected);

  /* The raw payload is always kept, as valid UTF-8 without control
   * characters other than tab and line breaks. */
  raw = fl_lead_get_raw_payload (result->lead);
  g_assert_nonnull (raw);
  g_assert_true (g_utf8_validate (raw, -1, NULL));
  for (const char *p = raw; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar ch = g_utf8_get_char (p);
      g_assert_true (ch >= 0x20 || ch == '\t' || ch == '\n' || ch == '\r');
      g_assert_true (ch < 0x7f || ch > 0x9f);
    }
}

static void
test_empty (void)
{
  static const char *const inputs[] = { "", "   ", "\r\n\t", "\x01\x02\x7f" };

  for (guint i = 0; i < G_N_ELEMENTS (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FlPayloadResult) result = fl_payload_parse (inputs[i], -1, NULL, &error);

      g_assert_null (result);
      g_assert_error (error, FL_PAYLOAD_ERROR, FL_PAYLOAD_ERROR_EMPTY);
    }
}

static void
test_too_long (void)
{
  g_autofree char *big = g_malloc (FL_PAYLOAD_MAX_LENGTH + 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(FlPayloadResult) result = NULL;

  memset (big, 'A', FL_PAYLOAD_MAX_LENGTH + 1);
  big[FL_PAYLOAD_MAX_LENGTH + 1] = '\0';
  result = fl_payload_parse (big, -1, NULL, &error);
  g_assert_null (result);
  g_assert_error (error, FL_PAYLOAD_ERROR, FL_PAYLOAD_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "16384"));

  /* Exactly at the limit is still read (as an unknown payload). */
  g_clear_error (&error);
  big[FL_PAYLOAD_MAX_LENGTH] = '\0';
  result = fl_payload_parse (big, -1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result->format, ==, FL_PAYLOAD_FORMAT_UNKNOWN);
  g_assert_cmpuint (strlen (fl_lead_get_raw_payload (result->lead)), ==, FL_PAYLOAD_MAX_LENGTH);
}

static void
test_options_from_event (void)
{
  g_autoptr(FlEvent) event = fl_event_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FlPayloadOptions) none = NULL;
  g_autoptr(FlPayloadOptions) options = NULL;
  g_autoptr(FlPayloadResult) result = NULL;

  none = fl_payload_options_new_for_event (event);
  g_assert_null (none->badge_columns);

  g_assert_true (json_parser_load_from_data (parser,
    "{\"badge_columns\": [\"badge_id\", 7, \"last_name\", \"first_name\"]}", -1, NULL));
  json_node_unref (event->settings);
  event->settings = json_node_copy (json_parser_get_root (parser));
  options = fl_payload_options_new_for_event (event);
  g_assert_cmpuint (g_strv_length (options->badge_columns), ==, 4);
  g_assert_cmpstr (options->badge_columns[1], ==, "");

  result = fl_payload_parse ("X9^ignored^Nowak^Ewa", -1, options, NULL);
  g_assert_cmpint (result->format, ==, FL_PAYLOAD_FORMAT_DELIMITED);
  check_expected (result->lead, "badge_id=X9|first_name=Ewa|last_name=Nowak|full_name=Ewa Nowak");
}

static void
test_result_json (void)
{
  g_autoptr(FlPayloadResult) result =
    fl_payload_parse ("MECARD:N:Muster,Anna;NOTE:VIP;CONF:77;;", -1, NULL, NULL);
  g_autoptr(JsonNode) node = fl_payload_result_to_json (result);
  g_autofree char *text = json_to_string (node, FALSE);

  g_assert_cmpstr (text, ==,
                   "{\"format\":\"mecard\",\"first_name\":\"Anna\",\"last_name\":\"Muster\","
                   "\"full_name\":\"Anna Muster\",\"note\":\"VIP\",\"badge_id\":\"77\"}");
}

typedef struct
{
  const char *input;
  const char *normal;
} NormalCase;

static void
test_text_rules (void)
{
  static const NormalCase names[] = {
    { "  Anna   MÜLLER ", "anna muller" },
    { "Jörg Weiß", "jorg weiss" },
    { "O'Brien-Smith, Seán", "o brien smith sean" },
  };
  static const NormalCase companies[] = {
    { "Muster GmbH", "muster" },
    { "Muster GmbH & Co. KG", "muster" },
    { "ACME Inc.", "acme" },
    { "GmbH", "gmbh" },
  };
  static const char *const good[] = { "a@b.de", "anna.m+messe@muster-gmbh.co.uk", "Ida.Graf@Graf.AT" };
  static const char *const bad[] = {
    "a@b", "@b.de", "a@@b.de", "a b@c.de", "a@b..de", "a.@b.de", "a@-b.de", "a@b.de.", "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *normal = fl_text_normalize (names[i].input);
      g_assert_cmpstr (normal, ==, names[i].normal);
    }
  for (guint i = 0; i < G_N_ELEMENTS (companies); i++)
    {
      g_autofree char *normal = fl_text_normalize_company (companies[i].input);
      g_assert_cmpstr (normal, ==, companies[i].normal);
    }
  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    g_assert_true (fl_text_is_email (good[i]));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (fl_text_is_email (bad[i]));
}

static void
test_split_name (void)
{
  static const struct { const char *full, *first, *last; } splits[] = {
    { "Anna Muster", "Anna", "Muster" },
    { "Muster, Anna", "Anna", "Muster" },
    { "Anna Maria von der Heide", "Anna Maria", "von der Heide" },
    { "Madonna", NULL, "Madonna" },
    { "  Lutz   van Dijk ", "Lutz", "van Dijk" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (splits); i++)
    {
      g_autofree char *first = NULL, *last = NULL;

      fl_text_split_name (splits[i].full, &first, &last);
      g_assert_cmpstr (first, ==, splits[i].first);
      g_assert_cmpstr (last, ==, splits[i].last);
    }
}

static void
test_to_utf8 (void)
{
  g_autofree char *latin1 = fl_text_to_utf8 ("Gr\xfc\xdf" "e", -1);
  g_autofree char *mixed = fl_text_to_utf8 ("Größe \xe4", -1);
  g_autofree char *cp1252 = fl_text_to_utf8 ("\x80 \x93quoted\x94 \x81", -1);

  g_assert_cmpstr (latin1, ==, "Grüße");
  g_assert_cmpstr (mixed, ==, "Größe ä");
  g_assert_cmpstr (cp1252, ==, "€ “quoted” ");
}

/* Found by fuzz-payload: an empty quoted-printable value in a charset
 * GLib must convert. */
static void
test_empty_quoted_printable (void)
{
  const char *payload = "BEGIN:VCARD\nVERSION:2.1\nN;ENCODING=QUOTED-PRINTABLE;CHARSET=KOI8-R:\n"
                        "EMAIL:anna@example.de\nEND:VCARD";
  g_autoptr(GError) error = NULL;
  g_autoptr(FlPayloadResult) result = fl_payload_parse (payload, -1, NULL, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (fl_lead_get_field (result->lead, FL_FIELD_EMAIL), ==, "anna@example.de");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/payload/%s", cases[i].name);
      g_test_add_data_func (path, &cases[i], test_case);
    }
  g_test_add_func ("/payload/error/empty", test_empty);
  g_test_add_func ("/payload/vcard/empty-quoted-printable", test_empty_quoted_printable);
  g_test_add_func ("/payload/error/too-long", test_too_long);
  g_test_add_func ("/payload/options-from-event", test_options_from_event);
  g_test_add_func ("/payload/result-json", test_result_json);
  g_test_add_func ("/text/normalize-and-email", test_text_rules);
  g_test_add_func ("/text/split-name", test_split_name);
  g_test_add_func ("/text/to-utf8", test_to_utf8);

  return g_test_run ();
}
