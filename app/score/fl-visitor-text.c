/* fl-visitor-text.c: the words the visitor reads, in the visitor's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-visitor-text"

#include "config.h"

#include <string.h>

#include "fl-visitor-text.h"

/* Why not gettext itself: it answers in the process's locale, and the
 * visitor's language changes with each visitor while the staff interface
 * stays in its own. setlocale() is process-wide and not thread-safe;
 * uselocale() with newlocale() is per thread but needs each locale
 * (fr_FR.UTF-8, pl_PL.UTF-8…) generated on the kiosk, which a Debian or
 * Flatpak install does not promise. So the visitor domain's compiled
 * catalogues are read here: the GNU .mo format is a table of offsets into
 * NUL-terminated strings. Each language's catalogue is loaded once, on
 * first use, under a lock, into a table that is never changed or freed
 * afterwards, so the strings it returns stay valid and may be read from
 * any thread. A missing or damaged catalogue falls back to English, the
 * source language, said once (a message when missing, a warning when
 * damaged). */

#define MO_MAGIC         0x950412deu
#define MO_MAGIC_SWAPPED 0xde120495u
/* A catalogue of a few dozen strings; anything larger is not ours. */
#define MO_MAX_SIZE      (4 * 1024 * 1024)

G_LOCK_DEFINE_STATIC (catalogues);
static GHashTable *catalogues[FL_N_LANGUAGES];  /* msgid → msgstr, or empty */

static guint32
read_u32 (const guint8 *data, gsize offset, gboolean swapped)
{
  guint32 value;

  memcpy (&value, data + offset, sizeof value);
  return swapped ? GUINT32_SWAP_LE_BE (value) : value;
}

/* Returns: the NUL-terminated string the table entry at @entry points to,
 * or NULL when it lies outside the file. */
static const char *
entry_string (const guint8 *data, gsize size, guint32 entry, gboolean swapped)
{
  guint32 length, offset;

  if ((guint64) entry + 8 > size)
    return NULL;
  length = read_u32 (data, entry, swapped);
  offset = read_u32 (data, entry + 4, swapped);
  if ((guint64) offset + length >= size || data[offset + length] != '\0')
    return NULL;
  return (const char *) data + offset;
}

static gboolean
parse_mo (const guint8 *data, gsize size, GHashTable *table, GError **error)
{
  guint32 magic, n, originals, translations;
  gboolean swapped;

  if (size < 20)
    goto damaged;
  memcpy (&magic, data, sizeof magic);
  if (magic != MO_MAGIC && magic != MO_MAGIC_SWAPPED)
    goto damaged;
  swapped = magic == MO_MAGIC_SWAPPED;
  n = read_u32 (data, 8, swapped);
  originals = read_u32 (data, 12, swapped);
  translations = read_u32 (data, 16, swapped);
  if (n > size / 16)
    goto damaged;
  for (guint32 i = 0; i < n; i++)
    {
      const char *msgid = entry_string (data, size, originals + i * 8, swapped);
      const char *msgstr = entry_string (data, size, translations + i * 8, swapped);

      if (msgid == NULL || msgstr == NULL)
        goto damaged;
      /* The header (empty msgid) and untranslated entries stay out. */
      if (msgid[0] == '\0' || msgstr[0] == '\0')
        continue;
      g_hash_table_insert (table, g_strdup (msgid), g_strdup (msgstr));
    }
  return TRUE;

damaged:
  g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "not a GNU gettext catalogue (.mo)");
  return FALSE;
}

static const char *
locale_dir (void)
{
  /* The tests and an uninstalled build point this at build/po-visitor. */
  const char *dir = g_getenv ("FAIRLEAD_VISITOR_LOCALEDIR");

  return dir != NULL && dir[0] != '\0' ? dir : LOCALEDIR;
}

static GHashTable *
load_catalogue (FlLanguage language)
{
  g_autoptr(GHashTable) table = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree char *path = g_build_filename (locale_dir (), fl_language_to_string (language),
                                            "LC_MESSAGES", FL_VISITOR_DOMAIN ".mo", NULL);
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = g_mapped_file_new (path, FALSE, &error);
  if (file != NULL && g_mapped_file_get_length (file) > MO_MAX_SIZE)
    g_set_error (&error, G_FILE_ERROR, G_FILE_ERROR_INVAL, "larger than %d bytes", MO_MAX_SIZE);
  else if (file != NULL)
    parse_mo ((const guint8 *) g_mapped_file_get_contents (file), g_mapped_file_get_length (file),
              table, &error);
  /* Not installed (an uninstalled build, a package without translations)
   * is a message; a catalogue that is there but damaged is a warning. */
  if (error != NULL && g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    g_message ("The visitor texts in “%s” are not installed (%s); the visitor reads English",
               fl_language_to_string (language), path);
  else if (error != NULL)
    g_warning ("The visitor texts in “%s” are not available (%s: %s); the visitor reads English",
               fl_language_to_string (language), path, error->message);
  if (error != NULL)
    g_hash_table_remove_all (table);
  return g_steal_pointer (&table);
}

/**
 * fl_visitor_gettext:
 * @language: the visitor's language
 * @msgid: a string marked with NV_()
 *
 * Looks @msgid up in the visitor domain's catalogue for @language, without
 * touching the process's locale; safe from any thread.
 *
 * Returns: (transfer none): the translation, or @msgid (English) where the
 *   catalogue has none; valid for the life of the process
 */
const char *
fl_visitor_gettext (FlLanguage language, const char *msgid)
{
  GHashTable *table;
  const char *text;

  g_return_val_if_fail (msgid != NULL, NULL);
  g_return_val_if_fail (language < FL_N_LANGUAGES, msgid);

  if (language == FL_LANGUAGE_EN)
    return msgid;
  G_LOCK (catalogues);
  if (catalogues[language] == NULL)
    catalogues[language] = load_catalogue (language);
  table = catalogues[language];
  G_UNLOCK (catalogues);
  text = g_hash_table_lookup (table, msgid);
  return text != NULL ? text : msgid;
}

/**
 * fl_visitor_language_name:
 * @language: the language the visitor reads
 * @name_of: the language to name
 *
 * Returns: (transfer none): the name of @name_of in @language ("Allemand"
 *   for German, to a French visitor)
 */
const char *
fl_visitor_language_name (FlLanguage language, FlLanguage name_of)
{
  static const char *const names[FL_N_LANGUAGES] = {
    [FL_LANGUAGE_EN] = NV_("English"),
    [FL_LANGUAGE_DE] = NV_("German"),
    [FL_LANGUAGE_FR] = NV_("French"),
    [FL_LANGUAGE_IT] = NV_("Italian"),
    [FL_LANGUAGE_ES] = NV_("Spanish"),
    [FL_LANGUAGE_NL] = NV_("Dutch"),
    [FL_LANGUAGE_PL] = NV_("Polish"),
  };

  g_return_val_if_fail (name_of < FL_N_LANGUAGES, NULL);
  return fl_visitor_gettext (language, names[name_of]);
}
