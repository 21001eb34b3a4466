/* test-visitor.c: quick notes and the visitor's own language, with real
 * widgets under Xvfb
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "../fl-test.h"
#include "fl-gui-test.h"

#include <glib/gi18n-lib.h>
#include <gtk/gtk.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "fl-application.h"
#include "fl-lead-page-private.h"
#include "fl-window-private.h"
#include "lead/fl-limits.h"
#include "score/fl-visitor-text.h"

typedef FlGuiTestFixture Fixture;

static const char vcard[] =
  "BEGIN:VCARD\n"
  "VERSION:3.0\n"
  "N:Muster;Anna;;;\n"
  "FN:Anna Muster\n"
  "ORG:Muster Maschinenbau GmbH\n"
  "EMAIL:anna.muster@muster-maschinenbau.example\n"
  "END:VCARD\n";

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *demo_db = NULL;

  demo_db = fl_gui_test_fixture_start (fixture, "fairlead-visitor-XXXXXX");
  fixture->window = fl_application_open_database (fixture->app, NULL, TRUE);
  fl_gui_test_size_window (fixture->window, 1024, 600);
  fl_gui_test_wait_for_page (fixture->window, "scan", 10);
  fixture->store = fl_store_open (demo_db, &error);
  g_assert_no_error (error);
  fl_gui_test_settle (100);
}

/* The demo model's quick notes are chips above the note: tapped, they
 * are stored with the lead beside what staff typed, and the lead shows
 * them again when it is reopened. */
static void
test_quick_notes (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  FlQuickNotesBox *box = _fl_lead_page_get_quick_notes (page);
  GtkTextView *notes = _fl_lead_page_get_notes (page);
  GtkToggleButton *quote, *call, *demo;
  g_autoptr(FlLead) lead = NULL;
  g_autofree char *shown = NULL;
  /* Chips speak the staff's language, and so do the lines they store. */
  gboolean german = fl_language_default () == FL_LANGUAGE_DE;
  const char *send_quote = german ? "Angebot senden" : "Send quote";
  const char *wants_demo = german ? "Möchte eine Demo" : "Wants a demo";
  g_autofree char *stored = g_strdup_printf ("✓ %s\n✓ %s\nMet at the bar.", send_quote, wants_demo);
  g_autofree char *stored_again = g_strdup_printf ("✓ %s\nMet at the bar. Wants 3 cells.", send_quote);

  fl_gui_test_scan (fixture->window, vcard);
  fl_gui_test_settle (300);
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (box)));
  quote = _fl_quick_notes_box_get_chip (box, "send-quote");
  call = _fl_quick_notes_box_get_chip (box, "call-q3");
  demo = _fl_quick_notes_box_get_chip (box, "wants-demo");
  g_assert_nonnull (quote);
  g_assert_nonnull (call);
  g_assert_nonnull (demo);
  /* Big enough for a fingertip. */
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (quote)), >=, 44);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (quote)), >=, 44);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (quote)))), ==,
                   send_quote);

  gtk_text_buffer_set_text (gtk_text_view_get_buffer (notes), "Met at the bar.", -1);
  fl_gui_test_tap (quote);
  fl_gui_test_tap (call);
  fl_gui_test_tap (demo);
  fl_gui_test_tap (call);   /* taken back */
  g_assert_true (gtk_toggle_button_get_active (quote));
  g_assert_false (gtk_toggle_button_get_active (call));
  /* The field keeps showing only what staff typed. */
  shown = fl_gui_test_text_view_text (notes);
  g_assert_cmpstr (shown, ==, "Met at the bar.");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_notes (lead), ==, stored);

  /* The visitor comes back: the same lead opens with its chips. */
  fl_gui_test_scan (fixture->window, vcard);
  fl_gui_test_settle (200);
  g_assert_cmpstr (fl_lead_get_uuid (fl_lead_page_get_lead (page)), ==, fl_lead_get_uuid (lead));
  g_assert_true (gtk_toggle_button_get_active (quote));
  g_assert_true (gtk_toggle_button_get_active (demo));
  g_assert_false (gtk_toggle_button_get_active (call));
  g_clear_pointer (&shown, g_free);
  shown = fl_gui_test_text_view_text (notes);
  g_assert_cmpstr (shown, ==, "Met at the bar.");

  /* Typing more keeps the chips; taking one back keeps the typing. */
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (notes), "Met at the bar. Wants 3 cells.", -1);
  fl_gui_test_tap (demo);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
  fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
  g_clear_object (&lead);
  lead = fl_gui_test_find_lead (fixture->store, "anna.muster@muster-maschinenbau.example");
  g_assert_cmpstr (fl_lead_get_notes (lead), ==, stored_again);

  /* The next visitor starts with no chip chosen. */
  fl_gui_test_scan (fixture->window, "BEGIN:VCARD\nVERSION:3.0\nFN:Ben Beispiel\nEMAIL:ben@example.org\nEND:VCARD\n");
  g_assert_false (gtk_toggle_button_get_active (quote));

  /* A note typed to its limit has no room for a chip: the chip says so
   * and the note stays as typed, saved. */
  {
    g_autofree char *full = g_strnfill (FL_LIMIT_NOTES - 4, 'n');
    GtkLabel *message = _fl_lead_page_get_notes_limit (page);

    /* Let the toast and page animations of the last Done finish first:
     * 64 KiB of text set and a chip tapped within the same 50 ms of a
     * page change crashed libadwaita 1.2 in adw_animation_skip() (a freed
     * object) under MALLOC_PERTURB_; not seen with the pause, nor without
     * the tap. */
    fl_gui_test_settle (600);
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (notes), full, -1);
    fl_gui_test_tap (quote);
    fl_gui_test_settle (50);
    g_assert_false (gtk_toggle_button_get_active (quote));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (message)));
    g_assert_nonnull (strstr (gtk_label_get_text (message), german ? "voll" : "full"));
    g_assert_cmpstr (fl_lead_get_notes (fl_lead_page_get_lead (page)), ==, full);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
    fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
    g_clear_object (&lead);
    lead = fl_gui_test_find_lead (fixture->store, "ben@example.org");
    g_assert_cmpstr (fl_lead_get_notes (lead), ==, full);
  }
}

/* Whether a label under @root shows @text (with or without its mnemonic). */
static gboolean
shows_text (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_get_visible (root) &&
      (g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0 ||
       g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (shows_text (child, text))
      return TRUE;
  return FALSE;
}

static const struct
{
  FlLanguage  language;
  const char *thanks;     /* to Anna */
  const char *next;       /* the thanks page's button */
  const char *consent;    /* the consent's heading */
  const char *chooser;    /* the language chooser's heading */
  const char *yes;        /* a yes/no question */
  const char *question;   /* the demo model's first question */
  const char *privacy;    /* the start of the demo event's privacy notice */
  const char *agree;      /* the start of the demo model's consent text */
} visitors[] = {
  { FL_LANGUAGE_FR, "Merci, Anna !", "_Visiteur suivant", "Votre consentement", "Votre langue", "Oui",
    "Échéance", "Protection des données : ", "J’accepte" },
  { FL_LANGUAGE_IT, "Grazie, Anna!", "_Visitatore successivo", "Il Suo consenso", "La Sua lingua", "Sì",
    "Tempistica", "Privacy: Example Automation GmbH conserva", "Acconsento" },
  { FL_LANGUAGE_ES, "¡Gracias, Anna!", "_Siguiente visitante", "Su consentimiento", "Su idioma", "Sí",
    "Plazo", "Privacidad: ", "Acepto" },
  { FL_LANGUAGE_NL, "Hartelijk dank, Anna!", "_Volgende bezoeker", "Uw toestemming", "Uw taal", "Ja",
    "Termijn", "Privacy: Example Automation GmbH bewaart", "Ik ga ermee akkoord" },
  { FL_LANGUAGE_PL, "Dziękujemy, Anna!", "_Następny gość", "Zgoda na przetwarzanie danych",
    "Proszę wybrać język", "Tak", "Termin realizacji", "Ochrona danych: ", "Wyrażam zgodę" },
};

/* The visitor picks any of the model's seven languages: questions,
 * consent, privacy notice and the thanks page follow; the staff interface
 * stays in the staff language, and the consent ledger records the
 * language the visitor read. */
static void
test_languages (Fixture *fixture, gconstpointer data)
{
  FlLeadPage *page = _fl_window_get_lead_page (fixture->window);
  GtkWidget *thanks = GTK_WIDGET (_fl_window_get_thanks_page (fixture->window));
  FlLanguage staff = fl_language_default ();
  /* The staff's heading of the interactions, in the staff's language. */
  const char *at_the_booth = _("At the Booth");

  /* Under LANGUAGE=de the staff interface really is German. */
  if (g_str_has_prefix (g_getenv ("LANGUAGE") ? g_getenv ("LANGUAGE") : "", "de"))
    g_assert_cmpint (staff, ==, FL_LANGUAGE_DE);
  if (staff == FL_LANGUAGE_DE)
    g_assert_cmpstr (at_the_booth, ==, "Am Stand");
  else
    g_assert_cmpstr (at_the_booth, ==, "At the Booth");

  for (guint i = 0; i < G_N_ELEMENTS (visitors); i++)
    {
      g_autofree char *card = g_strdup_printf ("BEGIN:VCARD\nVERSION:3.0\nN:Muster;Anna;;;\nFN:Anna Muster\n"
                                               "EMAIL:anna%u@example.org\nEND:VCARD\n", i);
      g_autofree char *email = g_strdup_printf ("anna%u@example.org", i);
      g_autoptr(FlLead) lead = NULL;
      g_autofree char *consent = NULL;
      GtkToggleButton *button;

      fl_gui_test_scan (fixture->window, card);
      /* Every language of the demo model is offered. */
      for (FlLanguage l = 0; l < FL_N_LANGUAGES; l++)
        g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (
          GTK_WIDGET (_fl_lead_page_get_language_button (page, l)))));
      button = _fl_lead_page_get_language_button (page, visitors[i].language);
      fl_gui_test_settle (200);
      g_test_message ("%s button: %d px high", fl_language_to_string (visitors[i].language),
                      gtk_widget_get_height (GTK_WIDGET (button)));
      g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (button)), >=, 44);
      fl_gui_test_tap (button);
      g_assert_cmpint (fl_lead_page_get_language (page), ==, visitors[i].language);

      g_assert_true (shows_text (GTK_WIDGET (page), visitors[i].chooser));
      g_assert_true (shows_text (GTK_WIDGET (page), visitors[i].consent));
      g_assert_true (shows_text (GTK_WIDGET (page), visitors[i].yes));
      g_assert_true (shows_text (GTK_WIDGET (page), visitors[i].question));
      g_assert_true (g_str_has_prefix (gtk_label_get_label (_fl_lead_page_get_privacy (page)),
                                       visitors[i].privacy));
      g_assert_true (g_str_has_prefix (gtk_check_button_get_label (_fl_lead_page_get_consent (page))
                                         ? gtk_check_button_get_label (_fl_lead_page_get_consent (page))
                                         : gtk_label_get_label (GTK_LABEL (gtk_check_button_get_child (_fl_lead_page_get_consent (page)))),
                                       visitors[i].agree));
      /* The staff's words stay theirs. */
      g_assert_true (shows_text (GTK_WIDGET (page), at_the_booth));
      g_assert_false (shows_text (GTK_WIDGET (page), fl_visitor_gettext (staff, "Your consent")));

      gtk_check_button_set_active (_fl_lead_page_get_consent (page), TRUE);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "lead.done", NULL));
      fl_gui_test_wait_for_page (fixture->window, "thanks", 5);
      g_assert_true (shows_text (thanks, visitors[i].thanks));
      g_assert_true (shows_text (thanks, visitors[i].next));
      g_assert_false (shows_text (thanks, "Thank you, Anna!"));
      g_assert_false (shows_text (thanks, "Vielen Dank, Anna!"));

      lead = fl_gui_test_find_lead (fixture->store, email);
      consent = json_to_string (fl_lead_get_consent (lead), FALSE);
      g_assert_nonnull (strstr (consent, "\"given\":true"));
      {
        g_autofree char *language = g_strdup_printf ("\"language\":\"%s\"",
                                                     fl_language_to_string (visitors[i].language));
        g_assert_nonnull (strstr (consent, language));
      }
      g_assert_true (gtk_widget_activate_action (thanks, "thanks.next", NULL));
      fl_gui_test_wait_for_page (fixture->window, "scan", 5);
    }

  /* The next visitor starts in the staff language again. */
  fl_gui_test_scan (fixture->window, vcard);
  g_assert_cmpint (fl_lead_page_get_language (page), ==, staff);
  g_assert_true (gtk_toggle_button_get_active (_fl_lead_page_get_language_button (page, staff)));
  g_assert_true (shows_text (GTK_WIDGET (page), fl_visitor_gettext (staff, "Your consent")));
}

int
main (int argc, char *argv[])
{
  if (fl_gui_test_no_display (&argc, &argv, "/gui/visitor/no-display"))
    return g_test_run ();

  /* The staff catalogue as built (po/), so that LANGUAGE=de is German. */
  if (g_getenv ("FAIRLEAD_STAFF_LOCALEDIR") != NULL)
    {
      bindtextdomain (GETTEXT_PACKAGE, g_getenv ("FAIRLEAD_STAFF_LOCALEDIR"));
      bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
      textdomain (GETTEXT_PACKAGE);
    }
  gtk_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* gtk_test_init() keeps the C locale, in which gettext ignores LANGUAGE. */
  if (g_getenv ("FAIRLEAD_STAFF_LOCALEDIR") != NULL)
    setlocale (LC_ALL, "");
  fl_gui_test_park_pointer ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fl_gui_test_fixture_tear_down)
  ADD ("/gui/visitor/quick-notes", test_quick_notes);
  ADD ("/gui/visitor/languages", test_languages);
#undef ADD

  return g_test_run ();
}
