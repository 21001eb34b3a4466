/* fl-cli-capture.c: fairlead-cli parse-badge and capture
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fairlead-cli"

#include "config.h"

#include <gio/gunixinputstream.h>
#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "fl-cli.h"
#include "score/fl-model-store.h"
#include "score/fl-quick-notes.h"
#include "lead/fl-json.h"
#include "lead/fl-payload.h"
#include "store/fl-capture.h"
#include "store/fl-roster-store.h"

/* Reads standard input, one byte more than a payload may have so that an
 * oversized one is recognised without reading it all. */
static GBytes *
read_stdin (GError **error)
{
  g_autoptr(GInputStream) input = g_unix_input_stream_new (0, FALSE);
  g_autofree char *buffer = g_malloc (FL_PAYLOAD_MAX_LENGTH + 1);
  gsize n_read = 0;

  if (!g_input_stream_read_all (input, buffer, FL_PAYLOAD_MAX_LENGTH + 1, &n_read, NULL, error))
    return NULL;
  return g_bytes_new (buffer, n_read);
}

static int
payload_exit_code (const GError *error)
{
  if (error->domain == FL_PAYLOAD_ERROR)
    return EX_DATAERR;
  return fl_cli_exit_code (error);
}

/* The store, when there is one to look badges up in; parse-badge works
 * without. */
static FlStore *
get_store_if_any (FlCli *cli)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (cli->store != NULL)
    return cli->store;
  if (!cli->demo)
    {
      path = cli->db_path ? g_strdup (cli->db_path) : fl_store_default_path ();
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return NULL;
    }
  return fl_cli_get_store (cli);
}

int
fl_cli_parse_badge (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— read a scanned badge or card code and print what it carries"));
  g_autoptr(FlPayloadOptions) options = NULL;
  g_autoptr(FlPayloadResult) result = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(FlEvent) event = NULL;
  GOptionEntry entries[] = {
    { "payload", 0, 0, G_OPTION_ARG_FILENAME, &payload,
      N_("The scanned text (standard input when not given)"), N_("TEXT") },
    { NULL }
  };
  const char *data;
  gsize length;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Prints one JSON object: “format” (vcard, mecard, bizcard, json, url, keyvalue, "
      "delimited, id or unknown) and the contact fields found. A badge id known to the "
      "roster of the active event is completed from it."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”; pass the payload with --payload "
                                    "or on standard input"), argv[1]);

  if (payload != NULL)
    bytes = g_bytes_new (payload, strlen (payload));
  else if ((bytes = read_stdin (&error)) == NULL)
    return fl_cli_fail (EX_IOERR, _("Cannot read standard input: %s"), error->message);
  data = g_bytes_get_data (bytes, &length);

  store = get_store_if_any (cli);
  if (store != NULL)
    event = fl_store_get_active_event (store, NULL);
  options = fl_payload_options_new_for_event (event);

  result = fl_payload_parse (data ? data : "", length, options, &error);
  if (result == NULL)
    return fl_cli_fail_error (payload_exit_code (error), error);

  if (event != NULL && fl_lead_get_badge_id (result->lead) != NULL)
    {
      g_autoptr(FlLead) attendee =
        fl_store_find_attendee (store, event->uuid, fl_lead_get_badge_id (result->lead), &error);

      if (attendee != NULL)
        {
          for (guint i = 0; i < FL_N_FIELDS; i++)
            if (fl_lead_get_field (result->lead, i) == NULL)
              fl_lead_set_field (result->lead, i, fl_lead_get_field (attendee, i));
          fl_payload_complete_names (result->lead);
        }
      else if (error != NULL)
        return fl_cli_fail_error (fl_cli_exit_code (error), error);
    }

  node = fl_payload_result_to_json (result);
  fl_cli_print_json (node, FALSE);
  return EX_OK;
}

/* "4" is the number 4, "[\"a\",\"b\"]" a list, true/false a boolean;
 * anything else is text. */
static JsonNode *
answer_value (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;

  if (fl_json_parser_load (parser, text, -1, NULL) &&
      (root = json_parser_get_root (parser)) != NULL &&
      (JSON_NODE_HOLDS_ARRAY (root) ||
       (JSON_NODE_HOLDS_VALUE (root) && json_node_get_value_type (root) != G_TYPE_STRING)))
    return json_node_copy (root);
  return json_node_init_string (json_node_alloc (), text);
}

static gboolean
collect_answers (char **answers, JsonObject *object, int *code)
{
  for (guint i = 0; answers != NULL && answers[i] != NULL; i++)
    {
      const char *eq = strchr (answers[i], '=');
      g_autofree char *question = NULL;
      JsonNode *value;

      if (eq == NULL || eq == answers[i])
        {
          *code = fl_cli_fail (EX_USAGE, _("--answer “%s” is not QUESTION=VALUE "
                                           "(for example --answer budget=50k)"), answers[i]);
          return FALSE;
        }
      question = g_strstrip (g_strndup (answers[i], eq - answers[i]));
      value = answer_value (eq + 1);
      if (json_object_has_member (object, question))
        {
          /* A repeated question is a multiple choice: collect the values. */
          JsonNode *previous = json_object_get_member (object, question);

          if (!JSON_NODE_HOLDS_ARRAY (previous))
            {
              JsonArray *array = json_array_new ();
              json_array_add_element (array, json_node_copy (previous));
              json_object_set_array_member (object, question, array);
              previous = json_object_get_member (object, question);
            }
          if (JSON_NODE_HOLDS_ARRAY (value))
            {
              JsonArray *more = json_node_get_array (value);
              for (guint j = 0; j < json_array_get_length (more); j++)
                json_array_add_element (json_node_get_array (previous),
                                        json_node_copy (json_array_get_element (more, j)));
              json_node_unref (value);
            }
          else
            json_array_add_element (json_node_get_array (previous), value);
        }
      else
        json_object_set_member (object, question, value);
    }
  return TRUE;
}

/* Fills the consent part of @request from the model of the active event:
 * the text in the language it was shown in, whose hash the ledger keeps.
 * Without a model, the ledger entry records that no text was on record. */
static gboolean
resolve_consent (FlStore *store, FlCaptureRequest *request, const char *version,
                 const char *language, FlModel **model, int *code)
{
  g_autoptr(GError) error = NULL;
  FlLanguage shown;

  if (language == NULL)
    shown = fl_language_default ();
  else if (strlen (language) == 2 &&
           g_ascii_strcasecmp (fl_language_to_string (fl_language_from_string (language)), language) == 0)
    shown = fl_language_from_string (language);
  else
    {
      *code = fl_cli_fail (EX_USAGE, _("Unknown consent language “%s” (expected en, de, fr, it, es, nl or pl)"),
                           language);
      return FALSE;
    }
  request->consent_language = fl_language_to_string (shown);
  request->consent_version = version;

  *model = fl_model_store_load_for_event (store, NULL, &error);
  if (*model == NULL)
    {
      if (g_error_matches (error, FL_MODEL_ERROR, FL_MODEL_ERROR_NO_MODEL) ||
          g_error_matches (error, FL_STORE_ERROR, FL_STORE_ERROR_NO_EVENT))
        return TRUE;
      *code = fl_cli_fail_error (fl_cli_exit_code (error), error);
      return FALSE;
    }

  if (version != NULL && g_strcmp0 (version, fl_model_get_consent_version (*model)) != 0)
    {
      *code = fl_cli_fail (EX_DATAERR, _("The consent text of the event’s model is version “%s”, "
                                         "not “%s”; record the version the visitor was shown "
                                         "(--consent %s)"),
                           fl_model_get_consent_version (*model), version,
                           fl_model_get_consent_version (*model));
      return FALSE;
    }
  if (!fl_model_has_language (*model, shown))
    {
      *code = fl_cli_fail (EX_DATAERR, _("The event’s model has no consent text in “%s”, so no visitor "
                                         "read it in that language; record the language shown "
                                         "(--consent-language)"),
                           fl_language_to_string (shown));
      return FALSE;
    }
  request->consent_version = fl_model_get_consent_version (*model);
  request->consent_text = fl_model_get_consent_text (*model, shown);
  return TRUE;
}

int
fl_cli_capture (FlCli *cli, int argc, char **argv)
{
  g_autoptr(GOptionContext) context =
    g_option_context_new (_("— capture a visitor from a scanned code and save the lead"));
  g_autoptr(FlCaptureResult) result = NULL;
  g_autoptr(JsonObject) answer_object = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *source = NULL;
  g_autofree char *staff = NULL;
  g_autofree char *note = NULL;
  g_autofree char *consent = NULL;
  g_autofree char *consent_language = NULL;
  g_autoptr(FlModel) model = NULL;
  g_auto(GStrv) answers = NULL;
  g_auto(GStrv) interactions = NULL;
  g_auto(GStrv) quick_notes = NULL;
  g_autofree char *composed = NULL;
  gboolean no_consent = FALSE;
  gboolean consent_by_staff = FALSE;
  GOptionEntry entries[] = {
    { "payload", 0, 0, G_OPTION_ARG_FILENAME, &payload,
      N_("The scanned text (standard input when not given)"), N_("TEXT") },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source,
      N_("Where the payload came from (default: badge)"), "badge|card-qr|card-ocr|manual" },
    { "staff", 0, 0, G_OPTION_ARG_STRING, &staff, N_("Who captured the visitor"), N_("NAME") },
    { "answer", 0, 0, G_OPTION_ARG_STRING_ARRAY, &answers,
      N_("An answer to a qualifying question; repeat for several"), N_("QID=VALUE") },
    { "interaction", 0, 0, G_OPTION_ARG_STRING_ARRAY, &interactions,
      N_("Something that happened (demo, handout…); repeat for several"), N_("KIND") },
    { "note", 0, 0, G_OPTION_ARG_STRING, &note, N_("A note for the lead"), N_("TEXT") },
    { "quick-note", 0, 0, G_OPTION_ARG_STRING_ARRAY, &quick_notes,
      N_("A quick note of the event’s model, by id; repeat for several"), N_("ID") },
    { "consent", 0, 0, G_OPTION_ARG_STRING, &consent,
      N_("The visitor gave consent to the text of this version"), N_("VERSION") },
    { "no-consent", 0, 0, G_OPTION_ARG_NONE, &no_consent, N_("The visitor refused consent"), NULL },
    { "consent-language", 0, 0, G_OPTION_ARG_STRING, &consent_language,
      N_("The language the consent text was shown in (default: that of the user interface)"),
      "en|de|fr|it|es|nl|pl" },
    { "consent-by-staff", 0, 0, G_OPTION_ARG_NONE, &consent_by_staff,
      N_("Staff recorded the visitor’s answer (needs --staff); by default the visitor ticked "
         "the box"), NULL },
    { NULL }
  };
  FlCaptureRequest request = FL_CAPTURE_REQUEST_INIT;
  JsonObject *object;
  const char *data;
  gsize length;
  FlStore *store;
  int code;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_description (context,
    _("Saves the lead in one transaction and prints it as JSON. A visitor already captured at "
      "the active event (same badge id, email, or name and company) is updated instead: "
      "empty fields are filled, answers merged and a repeat visit recorded."));
  if (!fl_cli_parse (context, &argc, &argv, &code))
    return code;
  if (argc != 1)
    return fl_cli_fail (EX_USAGE, _("Unexpected argument “%s”; pass the payload with --payload "
                                    "or on standard input"), argv[1]);
  if (consent != NULL && no_consent)
    return fl_cli_fail (EX_USAGE, "%s", _("Choose one of --consent and --no-consent"));
  if ((consent_language != NULL || consent_by_staff) && consent == NULL && !no_consent)
    return fl_cli_fail (EX_USAGE, "%s", _("--consent-language and --consent-by-staff describe a "
                                          "consent; add --consent VERSION or --no-consent"));
  if (consent_by_staff && (staff == NULL || staff[0] == '\0'))
    return fl_cli_fail (EX_USAGE, "%s", _("--consent-by-staff needs --staff NAME: the consent "
                                          "ledger records who took the visitor’s answer"));
  if (source != NULL && !fl_source_from_string (source, &request.source))
    return fl_cli_fail (EX_USAGE, _("Unknown source “%s” (expected badge, card-qr, card-ocr or "
                                    "manual)"), source);
  if (!collect_answers (answers, answer_object, &code))
    return code;

  if (payload != NULL)
    bytes = g_bytes_new (payload, strlen (payload));
  else if ((bytes = read_stdin (&error)) == NULL)
    return fl_cli_fail (EX_IOERR, _("Cannot read standard input: %s"), error->message);
  data = g_bytes_get_data (bytes, &length);

  if ((store = fl_cli_get_store (cli)) == NULL)
    return cli->store_exit_code;

  request.payload = data ? data : "";
  request.payload_length = length;
  request.staff = staff;
  request.answers = json_object_get_size (answer_object) > 0 ? answer_object : NULL;
  request.interactions = (const char *const *) interactions;
  request.note = note;
  if (consent != NULL || no_consent)
    {
      request.consent = consent != NULL ? FL_CAPTURE_CONSENT_GIVEN : FL_CAPTURE_CONSENT_REFUSED;
      request.consent_method = consent_by_staff ? FL_CONSENT_METHOD_STAFF
                                                : FL_CONSENT_METHOD_CHECKBOX;
      if (!resolve_consent (store, &request, consent, consent_language, &model, &code))
        return code;
    }

  /* Quick notes are lines of the note, as the kiosk's chips write them. */
  if (quick_notes != NULL && quick_notes[0] != NULL)
    {
      if (model == NULL && (model = fl_model_store_load_for_event (store, NULL, &error)) == NULL)
        return fl_cli_fail (EX_USAGE, _("--quick-note needs the event’s scoring model: %s"),
                            error->message);
      for (guint i = 0; quick_notes[i] != NULL; i++)
        if (fl_model_find_quick_note (model, quick_notes[i]) < 0)
          {
            g_autoptr(GString) known = g_string_new (NULL);

            for (guint j = 0; j < fl_model_get_n_quick_notes (model); j++)
              g_string_append_printf (known, "%s%s", j ? ", " : "", fl_model_get_quick_note_id (model, j));
            return fl_cli_fail (EX_USAGE, _("The event’s model has no quick note “%s” (it has: %s)"),
                                quick_notes[i], known->len ? known->str : _("none"));
          }
      composed = fl_quick_notes_compose (model, (const char *const *) quick_notes, note,
                                         fl_language_default ());
      request.note = composed;
    }

  request.score_func = fl_scorer_capture_score;
  result = fl_capture (store, &request, &error);
  if (result == NULL && fl_store_error_is_disk (error))
    /* The capture is one transaction: it is all or nothing. */
    return fl_cli_fail (fl_cli_exit_code (error), _("%s; nothing was saved"), error->message);
  if (result == NULL)
    return fl_cli_fail_error (payload_exit_code (error), error);

  node = fl_lead_to_json (result->lead);
  object = json_node_get_object (node);
  json_object_set_string_member (object, "format", fl_payload_format_to_string (result->format));
  json_object_set_boolean_member (object, "merged", result->match != FL_CAPTURE_MATCH_NONE);
  if (result->match != FL_CAPTURE_MATCH_NONE)
    json_object_set_string_member (object, "matched_by", fl_capture_match_to_string (result->match));
  else
    json_object_set_null_member (object, "matched_by");
  json_object_set_boolean_member (object, "from_roster", result->from_roster);
  fl_cli_print_json (node, TRUE);
  if (result->score_error != NULL)
    fl_cli_fail (EX_OK, _("The lead was saved but not scored: %s"), result->score_error->message);
  return EX_OK;
}
