/* fl-card-fields.c: contact fields from the text lines of a business card
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cards follow conventions rather than a format: labels for numbers
 * (Tel., Mobil, F…), legal forms after company names, a postal code before
 * the city, a job title under the name. The extractor splits the lines
 * into segments, takes the fields that announce themselves first (email,
 * web, numbers, address, company), then picks the name among what is left,
 * preferring the one the email address spells, and the title beside it.
 * Each field's confidence is Tesseract's for the line times how sure the
 * rule that found it is.
 */
#define G_LOG_DOMAIN "fl-card"

#include "config.h"

#include <string.h>

#include "fl-card-address.h"
#include "fl-card-fields.h"

/* How sure each rule is, before the OCR confidence of the line. */
#define SURE_EMAIL        0.98
#define SURE_LABELLED     0.95
#define SURE_UNLABELLED   0.80
#define SURE_WEB_MARKED   0.95
#define SURE_WEB_BARE     0.80
#define SURE_ADDRESS      0.92
#define SURE_STREET_NEAR  0.90
#define SURE_COUNTRY      0.95
#define SURE_LEGAL_FORM   0.95
#define SURE_DOMAIN_LINE  0.75
#define SURE_DOMAIN_ONLY  0.40
#define SURE_NAME_EMAIL   0.97
#define SURE_NAME_GUESS   0.65
#define SURE_TITLE        0.90
#define SURE_TITLE_PLACE  0.50

typedef struct
{
  char     *text;
  double    confidence;
  int       height;
  guint     line;     /* index of the recognised line it came from */
  gboolean  used;
} Segment;

typedef struct
{
  GRegex *email;
  GRegex *email_label;
  GRegex *web;
  GRegex *web_label;
  GRegex *phone;
  GRegex *street_word;
  GRegex *legal_form;
  GRegex *name_token;
  GRegex *separators;
} Patterns;

static const char *countries[] = {
  "Deutschland", "Germany", "Österreich", "Austria", "Schweiz", "Switzerland", "Suisse",
  "Svizzera", "United Kingdom", "UK", "England", "Scotland", "Great Britain", "USA", "U.S.A.",
  "United States", "United States of America", "Frankreich", "France", "Niederlande",
  "Netherlands", "The Netherlands", "Nederland", "Belgien", "Belgium", "Italien", "Italy",
  "Italia", "Spanien", "Spain", "España", "Dänemark", "Denmark", "Schweden", "Sweden", "Polen",
  "Poland", "Polska", "Allemagne", "Germania", "Wales", "Luxemburg", "Luxembourg", "Irland", "Ireland", "Tschechien", "Czech Republic",
  "Liechtenstein", "Norwegen", "Norway", "Finnland", "Finland", "Portugal", "Kanada", "Canada",
};

/* Role words that make a line a job title, in the languages of the cards
 * (German, English, French, Italian, Spanish, Dutch, Polish): the start of
 * a word ("direct" for director, directeur, directora), or anywhere in a
 * German or Dutch compound for the ones marked by a leading '*'
 * ("*leiter" in "Vertriebsleiterin", "Projectleider" by "*leider"). A
 * closed list of whole titles missed "Procurement Lead, Americas". */
static const char *title_stems[] = {
  /* English */
  "head", "lead", "manag", "direct", "engineer", "officer", "president", "founder", "owner",
  "partner", "consult", "specialist", "analyst", "develop", "architect", "designer",
  "coordinat", "administrat", "assistant", "executive", "representative", "advis", "associate",
  "buyer", "procurement", "purchas", "sales", "marketing", "chief", "principal", "scientist",
  "research", "technician", "supervis", "controller", "accountant", "counsel", "attorney",
  "lawyer", "recruit", "editor", "strateg", "planner", "agent", "operations", "product",
  "project", "programme", "program", "business", "account", "intern", "trainee", "secretary",
  "treasurer", "chair", "teamlead", "team", "expert", "evangelist", "sourcing", "logistics",
  "professor", "student", "trainer", "specialist", "vice", "general", "senior", "junior",
  /* German */
  "*leiter", "*leitung", "*führer", "*führung", "geschäftsführ", "vorstand", "referent",
  "*berater", "ingenieur", "*entwickler", "einkauf", "*einkäufer", "vertrieb", "verkauf",
  "projekt", "inhaber", "gründer", "assistenz", "*assistent", "sachbearbeit", "kaufm",
  "prokurist", "direktor", "*mitarbeiter", "fachkraft", "*meister", "*techniker",
  "koordinator", "*beauftragte", "justiziar", "syndikus", "sprecher", "*spezialist",
  "*architekt", "rechtsanwält", "anwalt", "steuerberater", "wissenschaftl", "sekretär",
  "buchhalt", "*manager", "*referent", "*ingenieur", "*koordinator",
  /* French */
  "directeur", "directrice", "responsable", "chef", "gérant", "ingénieur", "chargé",
  "commercial", "conseill", "président", "fondat", "associé", "achat", "acheteu",
  "développeu", "technicien", "délégué", "attaché",
  /* Italian */
  "direttor", "direttric", "responsabil", "amministrat", "ingegner", "consulent",
  "commercial", "titolare", "socio", "presidente", "addett", "tecnic", "acquist", "vendit",
  "progettist", "sviluppat", "capo",
  /* Spanish */
  "gerente", "jefe", "jefa", "ingenier", "consultor", "comercial", "fundador", "compras",
  "ventas", "desarrollad", "asesor", "técnic", "directora",
  /* Dutch */
  "hoofd", "adviseur", "*medewerker", "eigenaar", "oprichter", "verkoop", "inkoop",
  "ontwikkelaar", "*leider", "*directeur",
  /* Polish */
  "dyrektor", "kierownik", "prezes", "specjalist", "inżynier", "konsultant", "właściciel",
  "przedstawiciel", "handlow", "zakup", "sprzedaż",
};
static const char *title_short_words[] = {
  "CEO", "CTO", "CFO", "COO", "CMO", "CIO", "CSO", "CPO", "CRO", "VP", "SVP", "EVP", "MD",
  "PDG", "DG", "AD",
};

/* Put before a name, kept in the full name only. */
static const char *name_prefixes[] = {
  "Prof.", "Dr.", "Dr.-Ing.", "Dr.med.", "Dipl.-Ing.", "Dipl.-Kfm.", "Dipl.-Inf.", "Mag.",
  "Ing.", "Mr.", "Mrs.", "Ms.", "Herr", "Frau", "Prof", "Dr", "Mr", "Mrs", "Ms",
};
static const char *name_particles[] = {
  "von", "van", "de", "der", "den", "zu", "da", "di", "le", "la", "du", "del", "vom", "ten", "ter",
};

static const char *free_mail_domains[] = {
  "gmail", "googlemail", "gmx", "web", "outlook", "hotmail", "live", "yahoo", "icloud", "me",
  "t-online", "aol", "posteo", "mailbox", "freenet", "protonmail", "proton",
};

static Patterns *
patterns_get (void)
{
  static Patterns *patterns = NULL;

  if (g_once_init_enter (&patterns))
    {
      Patterns *p = g_new0 (Patterns, 1);
      GRegexCompileFlags flags = G_REGEX_OPTIMIZE;

#define COMPILE(field, pattern, extra) \
      p->field = g_regex_new (pattern, flags | (extra), 0, NULL); \
      g_assert (p->field != NULL)

      COMPILE (email,
               "([A-Za-z0-9][A-Za-z0-9._%+-]*)\\s?(?:@|\\(at\\)|\\[at\\])\\s?"
               "((?:[A-Za-z0-9-]+\\s?\\.\\s?)+[A-Za-z]{2,})", 0);
      COMPILE (email_label, "^(?:e-?mail|mail|e)\\s*[:.]?\\s*", G_REGEX_CASELESS);
      COMPILE (web,
               "(?<![@\\w.-])((?:https?://)?(?:www\\.)?[a-z0-9][a-z0-9-]*(?:\\.[a-z0-9-]+)*"
               "\\.[a-z]{2,6}(?:/[^\\s]*)?)(?![\\w@-])", G_REGEX_CASELESS);
      COMPILE (web_label,
               "^(?:(?:web(?:site)?|internet|homepage|url)\\s*[:.]?\\s*|w\\s*:\\s*|w\\s+)",
               G_REGEX_CASELESS);
      /* A label (optional), then a number: international (+49, 0049),
       * national (0…), or North American ((212) 555-0147). */
      COMPILE (phone,
               "(?:(?<![\\w])((?i:telefon|telefax|tel|phone|fon|mobil|mobile|handy|mob|cell|"
               "fax|direkt|direct|durchwahl|office|büro)|[TMFPD])\\s*[.:]?\\s*)?"
               "((?:\\+|00)\\s?\\d[\\d ()/.\\-–]{5,}\\d|\\(?0\\d[\\d ()/.\\-–]{4,}\\d|"
               "\\(?\\d{3}\\)?[ .-]\\d{3}[ .-]\\d{4})", 0);
      COMPILE (street_word,
               "(?i:stra(?:ß|ss)e|str\\.|weg|allee|platz|ring|gasse|damm|ufer|chaussee|markt|steig|"
               "pfad|kai|brücke|berg|hof|park|graben|wall|tor|street|road|avenue|lane|drive|way|"
               "square|place|boulevard|blvd|rue|via|plaza|court|terrace|parkway|highway|kanal|calle|"
               "viale|piazza|corso|straat|laan|gracht|plein|ulica|ul\\.|avenida|paseo|"
               "^am |^an der |^an den |^im |^in der |^auf der |^auf dem |^zum |^zur |^unter den )",
               0);
      COMPILE (legal_form,
               "(?:^|[\\s,])(GmbH & Co\\.? KG|GmbH|gGmbH|mbH|AG|KGaA|KG|OHG|GbR|SE|e\\.\\s?K\\.|"
               "e\\.\\s?Kfm\\.|e\\.\\s?V\\.|UG|PartG(?: mbB)?|Ltd\\.?|Limited|Inc\\.?|LLC|LLP|PLC|plc|"
               "Corp\\.?|Corporation|S\\.A\\.|SA|S\\.L\\.|S\\.r\\.l\\.|SAS|SARL|S\\.p\\.A\\.|"
               "B\\.V\\.|BV|N\\.V\\.|NV|A/S|ApS|Oy|AB|Pty)(?=$|[\\s,.)])", 0);
      COMPILE (name_token, "^(?:\\p{Lu}[\\p{Ll}'’]*(?:-\\p{Lu}[\\p{Ll}'’]*)*\\.?|\\p{Lu}\\.)$", 0);
      /* Middle dots and bars separate items on one line; OCR reads a
       * middle dot as "-", ":" or "." between spaces. */
      COMPILE (separators, "\\s*[|·•●▪◦]\\s*|\\s+[-–:.]\\s+|\\s{3,}", 0);
#undef COMPILE
      g_once_init_leave (&patterns, p);
    }
  return patterns;
}

static void
segment_clear (Segment *segment)
{
  g_free (segment->text);
}

/* Letters as an email address spells them: lower case, umlauts as
 * digraphs, accents dropped, nothing but letters and digits. */
static char *
spell_ascii (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_unichar_tolower (g_utf8_get_char (p));

      switch (c)
        {
        case 0xe4: g_string_append (out, "ae"); continue;
        case 0xf6: g_string_append (out, "oe"); continue;
        case 0xfc: g_string_append (out, "ue"); continue;
        case 0xdf: g_string_append (out, "ss"); continue;
        default:
          break;
        }
      if (c < 128)
        {
          if (g_ascii_isalnum ((char) c))
            g_string_append_c (out, (char) c);
        }
      else
        {
          /* é → e, ø → o: decompose and keep the base letter. */
          gunichar decomposed[4];
          gsize n = g_unichar_fully_decompose (c, FALSE, decomposed, G_N_ELEMENTS (decomposed));

          if (n > 0 && decomposed[0] < 128 && g_ascii_isalnum ((char) decomposed[0]))
            g_string_append_c (out, (char) decomposed[0]);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
collapse_spaces (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = out->len > 0;
      else
        {
          if (space)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
contains_digit (const char *text)
{
  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      return TRUE;
  return FALSE;
}

static void
add_segment (GArray *segments, const char *text, const FlCardLine *line, guint index)
{
  Segment segment = { 0 };
  g_autofree char *stripped = g_strdup (text);

  g_strstrip (stripped);
  /* Leftover punctuation of a split: "Tel. 040 1 ," */
  while (stripped[0] != '\0' && strchr (",;-–", stripped[strlen (stripped) - 1]) != NULL)
    {
      stripped[strlen (stripped) - 1] = '\0';
      g_strchomp (stripped);
    }
  if (stripped[0] == '\0')
    return;
  segment.text = collapse_spaces (stripped);
  segment.confidence = line->confidence;
  segment.height = line->height;
  segment.line = index;
  g_array_append_val (segments, segment);
}

static GArray *
split_segments (Patterns *p, const FlCardLine *lines, guint n_lines)
{
  GArray *segments = g_array_new (FALSE, TRUE, sizeof (Segment));

  g_array_set_clear_func (segments, (GDestroyNotify) segment_clear);
  for (guint i = 0; i < n_lines; i++)
    {
      g_autofree char *normalized = NULL;
      g_auto(GStrv) parts = NULL;

      if (lines[i].text == NULL || !g_utf8_validate (lines[i].text, -1, NULL))
        continue;
      normalized = g_utf8_normalize (lines[i].text, -1, G_NORMALIZE_NFC);
      if (normalized == NULL)
        continue;
      parts = g_regex_split (p->separators, normalized, 0);
      for (guint j = 0; parts[j] != NULL; j++)
        add_segment (segments, parts[j], &lines[i], i);
    }
  return segments;
}

static gboolean
has_field (FlCardResult *result, FlField field)
{
  return fl_lead_get_field (fl_card_result_get_lead (result), field) != NULL;
}

/* Email: the one field that is never ambiguous. */
static void
find_email (Patterns *p, GArray *segments, FlCardResult *result)
{
  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_autoptr(GMatchInfo) match = NULL;

      if (!g_regex_match (p->email, segment->text, 0, &match))
        continue;
      {
        g_autofree char *local = g_match_info_fetch (match, 1);
        g_autofree char *domain_raw = g_match_info_fetch (match, 2);
        g_autofree char *domain_nospace = NULL;
        g_autofree char *domain = NULL;
        g_autofree char *email = NULL;
        g_autofree char *label_free = NULL;
        int start, end;
        g_auto(GStrv) pieces = g_strsplit (domain_raw, " ", -1);

        domain_nospace = g_strjoinv ("", pieces);
        /* Domains are printed in lower case; an "I" before a small letter
         * is an "l" Tesseract read as a capital ("officine-Iombarde.it"). */
        for (char *c = domain_nospace; *c; c++)
          if (*c == 'I' && g_ascii_islower (c[1]))
            *c = 'l';
        domain = g_ascii_strdown (domain_nospace, -1);
        email = g_strdup_printf ("%s@%s", local, domain);
        if (!has_field (result, FL_FIELD_EMAIL))
          fl_card_result_set_field (result, FL_FIELD_EMAIL, email,
                                    SURE_EMAIL * segment->confidence);

        /* What else the segment holds stays for the other rules. */
        g_match_info_fetch_pos (match, 0, &start, &end);
        {
          g_autofree char *before = g_strndup (segment->text, start);
          g_autofree char *joined = g_strconcat (before, " ", segment->text + end, NULL);

          label_free = g_regex_replace (p->email_label, g_strstrip (joined), -1, 0, "", 0, NULL);
        }
        g_strstrip (label_free);
        if (label_free[0] == '\0')
          segment->used = TRUE;
        else
          {
            g_free (segment->text);
            segment->text = g_steal_pointer (&label_free);
          }
      }
    }
}

static char *
email_domain (FlCardResult *result)
{
  const char *email = fl_lead_get_field (fl_card_result_get_lead (result), FL_FIELD_EMAIL);
  const char *at = email ? strchr (email, '@') : NULL;

  return at ? g_strdup (at + 1) : NULL;
}

/* "nordwind-logistik.de" → "nordwind-logistik", "brightwater.co.uk" →
 * "brightwater": the label an organisation chose. */
static char *
domain_label (const char *domain)
{
  g_auto(GStrv) labels = NULL;
  guint n;

  if (domain == NULL)
    return NULL;
  labels = g_strsplit (domain, ".", -1);
  n = g_strv_length (labels);
  if (n < 2)
    return NULL;
  if (n >= 3 && strlen (labels[n - 1]) == 2 &&
      (strcmp (labels[n - 2], "co") == 0 || strcmp (labels[n - 2], "com") == 0 ||
       strcmp (labels[n - 2], "org") == 0 || strcmp (labels[n - 2], "ac") == 0 ||
       strcmp (labels[n - 2], "gv") == 0))
    return g_strdup (labels[n - 3]);
  return g_strdup (labels[n - 2]);
}

static void
find_website (Patterns *p, GArray *segments, FlCardResult *result)
{
  g_autofree char *mail_domain = email_domain (result);

  for (guint i = 0; i < segments->len && !has_field (result, FL_FIELD_WEBSITE); i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *text = NULL;
      g_autofree char *site = NULL;
      g_autofree char *host = NULL;
      gboolean labelled, marked;
      int start, end;

      if (segment->used || strchr (segment->text, '@') != NULL)
        continue;
      labelled = g_regex_match (p->web_label, segment->text, 0, NULL) &&
                 !g_ascii_isdigit (segment->text[0]);
      text = g_regex_replace (p->web_label, segment->text, -1, 0, "", 0, NULL);
      if (!g_regex_match (p->web, text, 0, &match))
        continue;
      site = g_match_info_fetch (match, 1);
      g_match_info_fetch_pos (match, 1, &start, &end);
      host = g_ascii_strdown (site, -1);
      /* "Inc." or "S.A." are not addresses; a domain needs a dot inside a
       * word: www., a scheme, the email's domain, or a lone "x.de". */
      marked = g_str_has_prefix (host, "www.") || g_str_has_prefix (host, "http");
      {
        const char *bare = host;

        if (g_str_has_prefix (bare, "https://"))
          bare += 8;
        else if (g_str_has_prefix (bare, "http://"))
          bare += 7;
        if (g_str_has_prefix (bare, "www."))
          bare += 4;
        if (mail_domain != NULL && g_str_has_prefix (bare, mail_domain))
          marked = TRUE;
      }
      if (!marked && !labelled && (start != 0 || text[end] != '\0'))
        continue;
      if (!marked && !labelled && strchr (host, '.') == strrchr (host, '.') &&
          strlen (strrchr (host, '.')) <= 2)
        continue;
      fl_card_result_set_field (result, FL_FIELD_WEBSITE, host,
                                (marked || labelled ? SURE_WEB_MARKED : SURE_WEB_BARE) *
                                segment->confidence);
      if (start == 0 && text[end] == '\0')
        segment->used = TRUE;
    }
}

typedef enum
{
  NUMBER_UNKNOWN,
  NUMBER_PHONE,
  NUMBER_MOBILE,
  NUMBER_FAX,
} NumberKind;

static NumberKind
label_kind (const char *label)
{
  g_autofree char *lower = NULL;

  if (label == NULL || label[0] == '\0')
    return NUMBER_UNKNOWN;
  if (strcmp (label, "M") == 0)
    return NUMBER_MOBILE;
  if (strcmp (label, "F") == 0)
    return NUMBER_FAX;
  if (strcmp (label, "T") == 0 || strcmp (label, "P") == 0 || strcmp (label, "D") == 0)
    return NUMBER_PHONE;
  lower = g_utf8_strdown (label, -1);
  if (g_str_has_prefix (lower, "mob") || strcmp (lower, "handy") == 0 || strcmp (lower, "cell") == 0)
    return NUMBER_MOBILE;
  if (strcmp (lower, "fax") == 0 || strcmp (lower, "telefax") == 0)
    return NUMBER_FAX;
  return NUMBER_PHONE;
}

/* German (015x, 016x, 017x) and British (+44 7…) mobile numbers; a
 * national 07… is a landline in Germany, so only +44 counts. */
static gboolean
looks_mobile (const char *number)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = number; *p; p++)
    {
      if (*p == '(' && p[1] == '0' && p[2] == ')')
        {
          p += 2;
          continue;
        }
      if (g_ascii_isdigit (*p) || (*p == '+' && digits->len == 0))
        g_string_append_c (digits, *p);
    }
  if (g_str_has_prefix (digits->str, "+49"))
    g_string_erase (digits, 0, 3);
  else if (g_str_has_prefix (digits->str, "0049"))
    g_string_erase (digits, 0, 4);
  else if (g_str_has_prefix (digits->str, "+447"))
    return TRUE;
  else if (g_str_has_prefix (digits->str, "0"))
    g_string_erase (digits, 0, 1);
  else
    return FALSE;
  return digits->str[0] == '1' && strchr ("567", digits->str[1]) != NULL;
}

static guint
count_digits (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p; p++)
    n += g_ascii_isdigit (*p) != 0;
  return n;
}

static void
find_numbers (Patterns *p, GArray *segments, FlCardResult *result)
{
  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_autoptr(GMatchInfo) match = NULL;
      gboolean all_numbers = TRUE;
      int covered = 0;

      if (segment->used || strchr (segment->text, '@') != NULL)
        continue;
      g_regex_match (p->phone, segment->text, 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *label = g_match_info_fetch (match, 1);
          g_autofree char *raw = g_match_info_fetch (match, 2);
          g_autofree char *number = collapse_spaces (raw);
          NumberKind kind = label_kind (label);
          gboolean labelled = kind != NUMBER_UNKNOWN;
          int start, end;
          double sure;
          guint digits = count_digits (number);

          g_match_info_fetch_pos (match, 0, &start, &end);
          if (digits < 6 || digits > 16)
            {
              all_numbers = FALSE;
              continue;
            }
          /* Text between numbers is not a number: the segment stays for
           * others unless numbers and labels are all it holds. */
          for (int k = covered; k < start; k++)
            if (!g_ascii_isspace (segment->text[k]) && strchr (",;/", segment->text[k]) == NULL)
              all_numbers = FALSE;
          covered = end;

          if (kind == NUMBER_UNKNOWN)
            kind = looks_mobile (number) ? NUMBER_MOBILE : NUMBER_PHONE;
          sure = (labelled ? SURE_LABELLED : SURE_UNLABELLED) * segment->confidence;
          switch (kind)
            {
            case NUMBER_MOBILE:
              if (!has_field (result, FL_FIELD_MOBILE))
                fl_card_result_set_field (result, FL_FIELD_MOBILE, number, sure);
              break;
            case NUMBER_FAX:
              if (fl_card_result_get_fax (result) == NULL)
                fl_card_result_set_fax (result, number, sure);
              break;
            case NUMBER_PHONE:
            case NUMBER_UNKNOWN:
            default:
              if (!has_field (result, FL_FIELD_PHONE))
                fl_card_result_set_field (result, FL_FIELD_PHONE, number, sure);
              break;
            }
          segment->used = TRUE;
        }
      if (segment->used && covered > 0)
        {
          for (const char *q = segment->text + covered; *q; q++)
            if (!g_ascii_isspace (*q) && strchr (",;/", *q) == NULL)
              all_numbers = FALSE;
          /* "20457 Hamburg, Tel. 040 1234": keep the part before the
           * first number for the address rules. */
          if (!all_numbers)
            segment->used = FALSE;
        }
    }
}

static gboolean
is_country (const char *text)
{
  for (guint i = 0; i < G_N_ELEMENTS (countries); i++)
    if (g_utf8_collate (text, countries[i]) == 0 || g_ascii_strcasecmp (text, countries[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
looks_like_street (Patterns *p, const char *text)
{
  if (text == NULL || !contains_digit (text) || strchr (text, '@') != NULL ||
      count_digits (text) > 8)
    return FALSE;
  return fl_card_street_is_plausible (text);
}

static void
set_street (FlCardResult *result, const char *street, double confidence)
{
  if (!has_field (result, FL_FIELD_STREET))
    fl_card_result_set_field (result, FL_FIELD_STREET, street, confidence);
}

/* The country the card suggests, for reading its address: a country
 * line, then the calling code of a number, then the email's domain. */
static FlCardCountry
country_hint (GArray *segments, FlCardResult *result)
{
  FlLead *lead = fl_card_result_get_lead (result);
  FlCardCountry country;

  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_auto(GStrv) parts = g_strsplit (segment->text, ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if ((country = fl_card_country_from_name (g_strstrip (parts[j]))) != FL_CARD_COUNTRY_UNKNOWN)
          return country;
    }
  if ((country = fl_card_country_from_phone (fl_lead_get_field (lead, FL_FIELD_PHONE))) != 0 ||
      (country = fl_card_country_from_phone (fl_lead_get_field (lead, FL_FIELD_MOBILE))) != 0 ||
      (country = fl_card_country_from_phone (fl_card_result_get_fax (result))) != 0)
    return country;
  return fl_card_country_from_email (fl_lead_get_field (lead, FL_FIELD_EMAIL));
}

static void
set_city_line (FlCardResult *result, const FlCardCityLine *line, double sure)
{
  fl_card_result_set_field (result, FL_FIELD_CITY, line->city, sure);
  fl_card_result_set_field (result, FL_FIELD_POSTAL_CODE, line->postal_code, sure);
  if (line->region != NULL)
    fl_card_result_set_field (result, FL_FIELD_REGION, line->region, sure);
}

/* Postal code and city, read by the pattern of the card's country, then
 * the street before them and the country after them, on the same line or
 * the neighbouring ones. */
static void
find_address (Patterns *p, GArray *segments, FlCardResult *result)
{
  FlCardCountry hint = country_hint (segments, result);

  for (guint i = 0; i < segments->len && !has_field (result, FL_FIELD_CITY); i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_auto(GStrv) parts = NULL;
      guint n_parts;

      if (segment->used)
        continue;

      /* The whole line first: "San Francisco, CA 94105" and "London, W1U
       * 3BW" keep their comma. */
      {
        FlCardCityLine line;

        if (fl_card_city_line_match (segment->text, hint, &line))
          {
            set_city_line (result, &line, SURE_ADDRESS * segment->confidence);
            fl_card_city_line_clear (&line);
            segment->used = TRUE;
            parts = g_new0 (char *, 1);
          }
      }

      if (parts == NULL)
        parts = g_strsplit (segment->text, ",", -1);
      n_parts = g_strv_length (parts);
      for (guint j = 0; j < n_parts && !has_field (result, FL_FIELD_CITY); j++)
        {
          g_autofree char *part = g_strstrip (g_strdup (parts[j]));
          FlCardCityLine line;

          if (!fl_card_city_line_match (part, hint, &line))
            continue;
          set_city_line (result, &line, SURE_ADDRESS * segment->confidence);
          fl_card_city_line_clear (&line);
          segment->used = TRUE;

          /* "Leopoldstraße 88, 80802 München, Deutschland", "Via Roma, 12,
           * 20121 Milano" */
          if (j > 0)
            {
              g_autofree char *before = g_strstrip (g_strdup (parts[j - 1]));

              if (j > 1 && before[0] != '\0' && count_digits (before) == strlen (before))
                {
                  g_autofree char *name = g_strstrip (g_strdup (parts[j - 2]));
                  g_autofree char *joined = g_strdup_printf ("%s, %s", name, before);

                  g_free (before);
                  before = g_steal_pointer (&joined);
                }
              if (looks_like_street (p, before))
                set_street (result, before, SURE_ADDRESS * segment->confidence);
            }
          for (guint k = j + 1; k < n_parts; k++)
            {
              g_autofree char *after = g_strstrip (g_strdup (parts[k]));

              if (is_country (after) && !has_field (result, FL_FIELD_COUNTRY))
                fl_card_result_set_field (result, FL_FIELD_COUNTRY, after,
                                          SURE_COUNTRY * segment->confidence);
            }
        }

      if (!segment->used)
        continue;
      /* The street: the segment before on the same line ("Hafenstraße 12 ·
       * 20457 Hamburg") or the line above. */
      for (guint k = i; k > 0 && !has_field (result, FL_FIELD_STREET); k--)
        {
          Segment *before = &g_array_index (segments, Segment, k - 1);

          if (segment->line - before->line > 1)
            break;
          if (!before->used && looks_like_street (p, before->text))
            {
              set_street (result, before->text, SURE_STREET_NEAR * before->confidence);
              before->used = TRUE;
            }
        }
    }

  /* A street nobody placed next to a city: trust the street words. */
  for (guint i = 0; i < segments->len && !has_field (result, FL_FIELD_STREET); i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      if (!segment->used && looks_like_street (p, segment->text) &&
          g_regex_match (p->street_word, segment->text, 0, NULL))
        {
          set_street (result, segment->text, 0.8 * segment->confidence);
          segment->used = TRUE;
        }
    }

  for (guint i = 0; i < segments->len && !has_field (result, FL_FIELD_COUNTRY); i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      if (!segment->used && is_country (segment->text))
        {
          fl_card_result_set_field (result, FL_FIELD_COUNTRY, segment->text,
                                    SURE_COUNTRY * segment->confidence);
          segment->used = TRUE;
        }
    }
}

static gboolean
is_free_mail (const char *label)
{
  for (guint i = 0; i < G_N_ELEMENTS (free_mail_domains); i++)
    if (g_strcmp0 (label, free_mail_domains[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Whether a line spells the domain label: "Stadtwerke Kiel" and
 * "stadtwerke-kiel", "Grünfeld Bio" and "gruenfeld-bio". */
static gboolean
spells_domain (const char *text, const char *label)
{
  g_autofree char *line = spell_ascii (text);
  g_autofree char *domain = spell_ascii (label);

  if (strlen (domain) < 4 || strlen (line) < 4)
    return FALSE;
  return strstr (line, domain) != NULL || strstr (domain, line) != NULL;
}

static void
find_company (Patterns *p, GArray *segments, FlCardResult *result)
{
  g_autofree char *domain = email_domain (result);
  g_autofree char *label = domain_label (domain);
  Segment *best = NULL;
  gboolean best_spells = FALSE;

  /* A legal form; among several, the one the email domain spells. */
  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      gboolean spells;

      if (segment->used || strchr (segment->text, '@') != NULL ||
          !g_regex_match (p->legal_form, segment->text, 0, NULL) ||
          count_digits (segment->text) > 4)
        continue;
      spells = label != NULL && spells_domain (segment->text, label);
      if (best == NULL || (spells && !best_spells))
        {
          best = segment;
          best_spells = spells;
        }
    }
  if (best != NULL)
    {
      fl_card_result_set_field (result, FL_FIELD_COMPANY, best->text,
                                SURE_LEGAL_FORM * best->confidence);
      best->used = TRUE;
      return;
    }
  if (label == NULL || is_free_mail (label))
    return;

  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);

      if (!segment->used && !contains_digit (segment->text) &&
          strchr (segment->text, '@') == NULL && spells_domain (segment->text, label))
        {
          fl_card_result_set_field (result, FL_FIELD_COMPANY, segment->text,
                                    SURE_DOMAIN_LINE * segment->confidence);
          segment->used = TRUE;
          return;
        }
    }

  /* Nothing printed matches: the domain is still a better guess than an
   * empty field, and its low confidence flags it for staff. */
  {
    g_auto(GStrv) words = g_strsplit (label, "-", -1);

    for (guint i = 0; words[i] != NULL; i++)
      if (words[i][0] != '\0')
        words[i][0] = g_ascii_toupper (words[i][0]);
    {
      g_autofree char *company = g_strjoinv (" ", words);
      fl_card_result_set_field_from (result, FL_FIELD_COMPANY, company, SURE_DOMAIN_ONLY,
                                     FL_CARD_FROM_GUESS);
    }
  }
}

static gboolean
has_title_word (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  g_auto(GStrv) words = g_regex_split_simple ("[^\\p{L}]+", lower, 0, 0);
  g_auto(GStrv) raw_words = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (title_stems); i++)
    {
      const char *stem = title_stems[i];

      if (stem[0] == '*')
        {
          if (strstr (lower, stem + 1) != NULL)
            return TRUE;
          continue;
        }
      for (guint j = 0; words[j] != NULL; j++)
        if (g_str_has_prefix (words[j], stem))
          return TRUE;
    }
  raw_words = g_regex_split_simple ("[\\s&,/|]+", text, 0, 0);
  for (guint i = 0; raw_words[i] != NULL; i++)
    for (guint j = 0; j < G_N_ELEMENTS (title_short_words); j++)
      if (strcmp (raw_words[i], title_short_words[j]) == 0)
        return TRUE;
  return FALSE;
}

static gboolean
is_name_prefix (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (name_prefixes); i++)
    if (strcmp (word, name_prefixes[i]) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
is_particle (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (name_particles); i++)
    if (strcmp (word, name_particles[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Splits "Prof. Dr. Anna von Berg" into its prefixes ("Prof. Dr."), first
 * name ("Anna") and last name ("von Berg"); %FALSE if it is no name. */
static gboolean
split_name (Patterns *p, const char *text, char **first, char **last)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint n = g_strv_length (words), start = 0, last_start;
  guint n_names = 0;

  while (start < n && is_name_prefix (words[start]))
    start++;
  if (n - start < 2 || n - start > 5)
    return FALSE;
  for (guint i = start; i < n; i++)
    {
      if (is_particle (words[i]) && i > start && i + 1 < n)
        continue;
      if (!g_regex_match (p->name_token, words[i], 0, NULL))
        return FALSE;
      n_names++;
    }
  if (n_names < 2)
    return FALSE;
  last_start = n - 1;
  while (last_start > start + 1 && is_particle (words[last_start - 1]))
    last_start--;
  {
    g_autoptr(GString) first_name = g_string_new (NULL);
    g_autoptr(GString) last_name = g_string_new (NULL);

    for (guint i = start; i < n; i++)
      {
        GString *into = i < last_start ? first_name : last_name;

        if (into->len > 0)
          g_string_append_c (into, ' ');
        g_string_append (into, words[i]);
      }
    *first = g_string_free (g_steal_pointer (&first_name), FALSE);
    *last = g_string_free (g_steal_pointer (&last_name), FALSE);
  }
  return TRUE;
}

/* How well an email's local part spells a name: j.mueller@, juergen.mueller@,
 * jmueller@, mueller@ for "Jürgen Müller". 0 none, 1 first name only,
 * 2 last name, 3 both. */
static int
email_spells_name (const char *email, const char *first, const char *last)
{
  g_autofree char *local = NULL;
  g_autofree char *first_ascii = spell_ascii (first);
  g_autofree char *last_ascii = spell_ascii (last);
  g_autofree char *flat = NULL;
  const char *at;
  int score = 0;

  if (email == NULL || (at = strchr (email, '@')) == NULL)
    return 0;
  local = g_ascii_strdown (email, at - email);
  flat = spell_ascii (local);
  if (last_ascii[0] != '\0' && strlen (last_ascii) >= 2 && strstr (flat, last_ascii) != NULL)
    score += 2;
  if (first_ascii[0] != '\0' &&
      (strstr (flat, first_ascii) != NULL ||
       (score >= 2 && flat[0] == first_ascii[0])))
    score += 1;
  return score;
}

static void
find_name_and_title (Patterns *p, GArray *segments, FlCardResult *result)
{
  const char *email = fl_lead_get_field (fl_card_result_get_lead (result), FL_FIELD_EMAIL);
  Segment *best = NULL;
  int best_score = G_MININT;
  int best_spelled = 0;
  int max_height = 1;

  for (guint i = 0; i < segments->len; i++)
    max_height = MAX (max_height, g_array_index (segments, Segment, i).height);

  for (guint i = 0; i < segments->len; i++)
    {
      Segment *segment = &g_array_index (segments, Segment, i);
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      int spelled, score;

      if (segment->used || contains_digit (segment->text) || has_title_word (segment->text) ||
          is_country (segment->text) || !split_name (p, segment->text, &first, &last))
        continue;
      spelled = email_spells_name (email, first, last);
      /* The email spells it; it stands large; a title follows; it is near
       * the top. In that order of weight. */
      score = spelled * 100 + (segment->height * 20) / max_height - (int) segment->line;
      if (i + 1 < segments->len)
        {
          Segment *next = &g_array_index (segments, Segment, i + 1);

          if (!next->used && has_title_word (next->text))
            score += 15;
        }
      if (g_str_has_prefix (segment->text, "Dr") || g_str_has_prefix (segment->text, "Prof"))
        score += 15;
      if (score > best_score)
        {
          best = segment;
          best_score = score;
          best_spelled = spelled;
        }
    }

  if (best != NULL)
    {
      g_autofree char *first = NULL;
      g_autofree char *last = NULL;
      double sure = (best_spelled >= 2 ? SURE_NAME_EMAIL : SURE_NAME_GUESS) * best->confidence;

      split_name (p, best->text, &first, &last);
      fl_card_result_set_field (result, FL_FIELD_FULL_NAME, best->text, sure);
      fl_card_result_set_field (result, FL_FIELD_FIRST_NAME, first,
                                (best_spelled == 1 || best_spelled == 3 ? SURE_NAME_EMAIL : SURE_NAME_GUESS) *
                                best->confidence);
      fl_card_result_set_field (result, FL_FIELD_LAST_NAME, last, sure);
      best->used = TRUE;
    }

  /* The title: next to the name if a line there has a title word,
   * otherwise the first line that has one. */
  for (int pass = 0; pass < 2 && !has_field (result, FL_FIELD_TITLE); pass++)
    for (guint i = 0; i < segments->len; i++)
      {
        Segment *segment = &g_array_index (segments, Segment, i);

        if (segment->used || contains_digit (segment->text) ||
            strchr (segment->text, '@') != NULL || !has_title_word (segment->text))
          continue;
        if (pass == 0 && (best == NULL || (segment->line != best->line + 1 &&
                                           segment->line + 1 != best->line)))
          continue;
        fl_card_result_set_field (result, FL_FIELD_TITLE, segment->text,
                                  (pass == 0 ? SURE_TITLE : 0.8 * SURE_TITLE) * segment->confidence);
        segment->used = TRUE;
        break;
      }

  /* No role word anywhere: a title is printed right under the name, in
   * smaller type. Taken at a confidence that flags it for staff. Only for
   * recognised lines, whose heights are known. */
  if (!has_field (result, FL_FIELD_TITLE) && best != NULL && best->height > 0)
    for (guint i = 0; i < segments->len; i++)
      {
        Segment *segment = &g_array_index (segments, Segment, i);
        g_auto(GStrv) words = NULL;

        if (segment->line != best->line + 1)
          continue;
        words = g_strsplit (segment->text, " ", -1);
        if (segment->used || contains_digit (segment->text) ||
            strchr (segment->text, '@') != NULL || is_country (segment->text) ||
            segment->height <= 0 || segment->height >= best->height ||
            g_strv_length (words) > 6)
          break;
        fl_card_result_set_field (result, FL_FIELD_TITLE, segment->text,
                                  SURE_TITLE_PLACE * segment->confidence);
        segment->used = TRUE;
        break;
      }
}

/* Tesseract gives long tokens full of dots and hyphens a low confidence even
 * when every letter is right. An address whose local part spells the name
 * found elsewhere on the card, or whose domain is the card's website, has
 * been read right: two independent readings agree. */
static void
confirm_email (FlCardResult *result)
{
  FlLead *lead = fl_card_result_get_lead (result);
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);
  const char *website = fl_lead_get_field (lead, FL_FIELD_WEBSITE);
  const char *first = fl_lead_get_field (lead, FL_FIELD_FIRST_NAME);
  g_autofree char *domain = email_domain (result);
  gboolean agrees = FALSE;

  if (email == NULL)
    return;

  if (fl_lead_get_field (lead, FL_FIELD_LAST_NAME) != NULL &&
      email_spells_name (email, first != NULL ? first : "",
                         fl_lead_get_field (lead, FL_FIELD_LAST_NAME)) >= 2)
    agrees = TRUE;
  if (website != NULL && domain != NULL && strstr (website, domain) != NULL)
    agrees = TRUE;
  if (agrees)
    fl_card_result_set_field (result, FL_FIELD_EMAIL, email,
                              MAX (SURE_EMAIL * 0.95,
                                   fl_card_result_get_confidence (result, "email")));
}

/**
 * fl_card_fields_extract:
 * @result: where the fields go (its lead) with their confidence
 * @lines: the recognised lines, top to bottom
 *
 * Fills in every field it can find; leaves the others unset.
 */
void
fl_card_fields_extract (FlCardResult *result, const FlCardLine *lines, guint n_lines)
{
  Patterns *p = patterns_get ();
  g_autoptr(GArray) segments = NULL;

  g_return_if_fail (FL_IS_CARD_RESULT (result));
  g_return_if_fail (lines != NULL || n_lines == 0);

  segments = split_segments (p, lines, n_lines);
  find_email (p, segments, result);
  find_website (p, segments, result);
  find_numbers (p, segments, result);
  find_address (p, segments, result);
  find_company (p, segments, result);
  find_name_and_title (p, segments, result);
  confirm_email (result);
}

/**
 * fl_card_fields_from_text:
 * @text: lines of a card, as typed or recognised
 *
 * Returns: (transfer full): a result with the fields found, every line
 *   taken at full OCR confidence
 */
FlCardResult *
fl_card_fields_from_text (const char *text)
{
  g_autoptr(FlCardResult) result = fl_card_result_new ();
  g_auto(GStrv) split = NULL;
  g_autoptr(GArray) lines = g_array_new (FALSE, TRUE, sizeof (FlCardLine));
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();

  g_return_val_if_fail (text != NULL, NULL);

  split = g_strsplit (text, "\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    {
      FlCardLine line = { g_strstrip (split[i]), 1.0, 0 };

      if (line.text[0] == '\0')
        continue;
      g_array_append_val (lines, line);
      g_ptr_array_add (kept, (gpointer) line.text);
    }
  g_ptr_array_add (kept, NULL);
  fl_card_result_set_lines (result, (const char * const *) kept->pdata);
  fl_card_fields_extract (result, (const FlCardLine *) (gpointer) lines->data, lines->len);
  return g_steal_pointer (&result);
}
