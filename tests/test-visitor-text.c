/* test-visitor-text.c: the visitor's strings in the visitor's language
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "fl-test.h"
#include "score/fl-visitor-text.h"

static const struct
{
  FlLanguage  language;
  const char *thanks;
  const char *consent;
  const char *yes;
  const char *german;
} cases[] = {
  { FL_LANGUAGE_EN, "Thank you!", "Your consent", "Yes", "German" },
  { FL_LANGUAGE_DE, "Vielen Dank!", "Ihre Einwilligung", "Ja", "Deutsch" },
  { FL_LANGUAGE_FR, "Merci !", "Votre consentement", "Oui", "Allemand" },
  { FL_LANGUAGE_IT, "Grazie!", "Il Suo consenso", "Sì", "Tedesco" },
  { FL_LANGUAGE_ES, "¡Gracias!", "Su consentimiento", "Sí", "Alemán" },
  { FL_LANGUAGE_NL, "Hartelijk dank!", "Uw toestemming", "Ja", "Duits" },
  { FL_LANGUAGE_PL, "Dziękujemy!", "Zgoda na przetwarzanie danych", "Tak", "Niemiecki" },
};

static void
test_languages (void)
{
  g_autofree char *locale_before = g_strdup (setlocale (LC_ALL, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      FlLanguage l = cases[i].language;

      g_assert_cmpstr (fl_visitor_gettext (l, "Thank you!"), ==, cases[i].thanks);
      g_assert_cmpstr (fl_visitor_gettext (l, "Your consent"), ==, cases[i].consent);
      g_assert_cmpstr (fl_visitor_gettext (l, "Yes"), ==, cases[i].yes);
      g_assert_cmpstr (fl_visitor_language_name (l, FL_LANGUAGE_DE), ==, cases[i].german);
      /* A string the catalogue does not know stays English. */
      g_assert_cmpstr (fl_visitor_gettext (l, "No such string"), ==, "No such string");
    }
  g_assert_cmpstr (fl_visitor_gettext (FL_LANGUAGE_FR, "Thank you, %s!"), ==, "Merci, %s !");
  /* The process's locale, and with it the staff interface, stays as it was. */
  g_assert_cmpstr (setlocale (LC_ALL, NULL), ==, locale_before);
  g_assert_cmpstr (g_dgettext (GETTEXT_PACKAGE, "Thank you!"), ==, "Thank you!");
}

static gpointer
lookup_thread (gpointer data)
{
  const char *last = NULL;

  for (guint i = 0; i < 2000; i++)
    {
      FlLanguage l = FL_LANGUAGE_DE + (GPOINTER_TO_UINT (data) + i) % (FL_N_LANGUAGES - 1);
      const char *text = fl_visitor_gettext (l, "Thank you!");

      if (l == FL_LANGUAGE_PL)
        {
          g_assert_cmpstr (text, ==, "Dziękujemy!");
          /* Loaded once: every thread gets the same string. */
          g_assert_true (last == NULL || last == text);
          last = text;
        }
    }
  return (gpointer) last;
}

/* Each catalogue loads once, whichever thread asks first. */
static void
test_threads (void)
{
  GThread *threads[8];
  gpointer seen = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("visitor-text", lookup_thread, GUINT_TO_POINTER (i));
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      gpointer text = g_thread_join (threads[i]);

      g_assert_nonnull (text);
      g_assert_true (seen == NULL || seen == text);
      seen = text;
    }
}

/* A damaged catalogue is said once and read as English; nothing crashes. */
static void
test_damaged (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = g_dir_make_tmp ("fairlead-visitor-XXXXXX", NULL);
      g_autofree char *messages = g_build_filename (dir, "fr", "LC_MESSAGES", NULL);
      g_autofree char *mo = g_build_filename (messages, "fairlead-visitor.mo", NULL);
      /* A valid magic number, then a table far beyond the file's end. */
      static const guint8 damaged[] = { 0xde, 0x12, 0x04, 0x95, 0, 0, 0, 0, 3, 0, 0, 0,
                                        0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x20, 0x00 };

      g_log_set_always_fatal (G_LOG_FATAL_MASK);
      g_log_set_fatal_mask (NULL, G_LOG_FATAL_MASK);
      g_assert_cmpint (g_mkdir_with_parents (messages, 0700), ==, 0);
      g_assert_true (g_file_set_contents (mo, (const char *) damaged, sizeof damaged, NULL));
      g_setenv ("FAIRLEAD_VISITOR_LOCALEDIR", dir, TRUE);
      g_assert_cmpstr (fl_visitor_gettext (FL_LANGUAGE_FR, "Thank you!"), ==, "Thank you!");
      g_assert_cmpstr (fl_visitor_gettext (FL_LANGUAGE_FR, "Yes"), ==, "Yes");
      /* A language with no catalogue at all. */
      g_assert_cmpstr (fl_visitor_gettext (FL_LANGUAGE_PL, "Yes"), ==, "Yes");
      fl_test_remove_tree (dir);
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*visitor texts in “fr” are not available*not a GNU gettext catalogue*");
  g_test_trap_assert_stderr ("*visitor texts in “pl” are not installed*");
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/visitor-text/languages", test_languages);
  g_test_add_func ("/visitor-text/threads", test_threads);
  g_test_add_func ("/visitor-text/damaged", test_damaged);
  return g_test_run ();
}
