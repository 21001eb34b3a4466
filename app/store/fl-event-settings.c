/* fl-event-settings.c: the settings of an event, checked and audited
 *
 * The settings a person changes between shows without the back office:
 * `fairlead-cli event set KEY VALUE` comes here, and so would any other
 * front end, so every value is checked the same way and every change lands
 * in the audit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-event-settings"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "fl-event-settings.h"
#include "fl-privacy.h"

G_DEFINE_QUARK (fl-event-settings-error-quark, fl_event_settings_error)

/* Longest privacy notice: a paragraph under the consent checkbox. */
#define PRIVACY_NOTICE_MAX 2000
/* Longest venue or booth, as fl_store_update_event() takes it. */
#define EVENT_TEXT_MAX 200
/* A hundred years is "for ever" written as a number. */
#define RETENTION_DAYS_MAX 36500

static const char *const keys[] = {
  FL_SETTING_RETENTION_DAYS,
  FL_SETTING_CONSENT_REQUIRED,
  FL_SETTING_HANDOUT_URL,
  FL_SETTING_PRIVACY_NOTICE ".en",
  FL_SETTING_PRIVACY_NOTICE ".de",
  FL_SETTING_PRIVACY_NOTICE ".fr",
  FL_SETTING_PRIVACY_NOTICE ".it",
  FL_SETTING_PRIVACY_NOTICE ".es",
  FL_SETTING_PRIVACY_NOTICE ".nl",
  FL_SETTING_PRIVACY_NOTICE ".pl",
  "booth",
  "venue",
  NULL,
};

/**
 * fl_event_settings_keys:
 *
 * Returns: (transfer none): the keys fl_event_settings_set() takes, %NULL
 *   terminated
 */
const char *const *
fl_event_settings_keys (void)
{
  return keys;
}

static gboolean
invalid (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
invalid (GError **error, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, FL_EVENT_SETTINGS_ERROR, FL_EVENT_SETTINGS_ERROR_INVALID, message);
  return FALSE;
}

/**
 * fl_event_settings_check_handout_url:
 * @url: the link, "" for none
 *
 * Returns: %TRUE for "" or an http or https address with a host
 */
gboolean
fl_event_settings_check_handout_url (const char *url, GError **error)
{
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url != NULL, FALSE);

  if (*url == '\0')
    return TRUE;
  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || (g_strcmp0 (g_uri_get_scheme (uri), "https") != 0 &&
                      g_strcmp0 (g_uri_get_scheme (uri), "http") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, FL_EVENT_SETTINGS_ERROR, FL_EVENT_SETTINGS_ERROR_INVALID,
                   _("The handout link “%s” is not a web address; enter one starting with https://"), url);
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_none (const char *value)
{
  return *value == '\0' || g_ascii_strcasecmp (value, "none") == 0;
}

static gboolean
set_retention_days (JsonObject *settings, const char *value, GError **error)
{
  char *end = NULL;
  gint64 days;

  if (is_none (value) || strcmp (value, "0") == 0)
    {
      json_object_remove_member (settings, FL_SETTING_RETENTION_DAYS);
      return TRUE;
    }
  days = g_ascii_strtoll (value, &end, 10);
  if (end == value || *end != '\0' || days < 1 || days > RETENTION_DAYS_MAX)
    return invalid (error,
                    _("retention_days is a whole number of days from 1 to %d, or none to keep leads until "
                      "erased by hand; “%s” is not"),
                    RETENTION_DAYS_MAX, value);
  json_object_set_int_member (settings, FL_SETTING_RETENTION_DAYS, days);
  return TRUE;
}

static gboolean
set_consent_required (JsonObject *settings, const char *value, GError **error)
{
  static const char *const yes[] = { "true", "yes", "on", "1" };
  static const char *const no[] = { "false", "no", "off", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    if (g_ascii_strcasecmp (value, yes[i]) == 0 || g_ascii_strcasecmp (value, no[i]) == 0)
      {
        json_object_set_boolean_member (settings, FL_SETTING_CONSENT_REQUIRED,
                                        g_ascii_strcasecmp (value, yes[i]) == 0);
        return TRUE;
      }
  return invalid (error, _("consent_required is true or false, not “%s”"), value);
}

static gboolean
set_privacy_notice (JsonObject *settings, const char *language, const char *value, GError **error)
{
  JsonNode *node = json_object_get_member (settings, FL_SETTING_PRIVACY_NOTICE);
  JsonObject *notice;
  g_autofree char *text = g_strstrip (g_strdup (value));

  if (g_utf8_strlen (text, -1) > PRIVACY_NOTICE_MAX)
    return invalid (error, _("The privacy notice has %ld characters; shorten it to at most %d"),
                    g_utf8_strlen (text, -1), PRIVACY_NOTICE_MAX);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (*text == '\0')
        return TRUE;
      json_object_set_object_member (settings, FL_SETTING_PRIVACY_NOTICE, json_object_new ());
      node = json_object_get_member (settings, FL_SETTING_PRIVACY_NOTICE);
    }
  notice = json_node_get_object (node);
  if (*text == '\0')
    {
      /* Back to the default notice in that language. */
      json_object_remove_member (notice, language);
      if (json_object_get_size (notice) == 0)
        json_object_remove_member (settings, FL_SETTING_PRIVACY_NOTICE);
    }
  else
    json_object_set_string_member (notice, language, text);
  return TRUE;
}

static gboolean
set_text (char **field, const char *key, const char *value, GError **error)
{
  g_autofree char *text = g_strstrip (g_strdup (value));

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      return invalid (error, _("The %s must be one line of text"), key);
  if (g_utf8_strlen (text, -1) > EVENT_TEXT_MAX)
    return invalid (error, _("The %s has %ld characters; shorten it to at most %d"), key,
                    g_utf8_strlen (text, -1), EVENT_TEXT_MAX);
  g_free (*field);
  *field = *text != '\0' ? g_steal_pointer (&text) : NULL;
  return TRUE;
}

/**
 * fl_event_settings_set:
 * @key: one of fl_event_settings_keys()
 * @value: the new value as a person types it; "" clears a setting
 *
 * Checks @value and sets it on @event (not in the database).
 */
gboolean
fl_event_settings_set (FlEvent *event, const char *key, const char *value, GError **error)
{
  JsonObject *settings;

  g_return_val_if_fail (event != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (!g_strv_contains (keys, key))
    {
      g_autofree char *known = g_strjoinv (", ", (char **) keys);

      g_set_error (error, FL_EVENT_SETTINGS_ERROR, FL_EVENT_SETTINGS_ERROR_UNKNOWN_KEY,
                   _("There is no event setting “%s”; the settings are %s"), key, known);
      return FALSE;
    }
  if (!g_utf8_validate (value, -1, NULL))
    return invalid (error, _("The value for %s is not UTF-8 text; check the terminal’s encoding"), key);

  settings = json_node_get_object (event->settings);
  if (g_str_equal (key, FL_SETTING_RETENTION_DAYS))
    return set_retention_days (settings, value, error);
  if (g_str_equal (key, FL_SETTING_CONSENT_REQUIRED))
    return set_consent_required (settings, value, error);
  if (g_str_equal (key, FL_SETTING_HANDOUT_URL))
    {
      g_autofree char *url = g_strstrip (g_strdup (value));

      if (is_none (url))
        {
          json_object_remove_member (settings, FL_SETTING_HANDOUT_URL);
          return TRUE;
        }
      if (!fl_event_settings_check_handout_url (url, error))
        return FALSE;
      json_object_set_string_member (settings, FL_SETTING_HANDOUT_URL, url);
      return TRUE;
    }
  if (g_str_has_prefix (key, FL_SETTING_PRIVACY_NOTICE "."))
    return set_privacy_notice (settings, key + strlen (FL_SETTING_PRIVACY_NOTICE "."), value, error);
  if (g_str_equal (key, "booth"))
    return set_text (&event->booth, key, value, error);
  return set_text (&event->venue, key, value, error);
}

/**
 * fl_event_settings_get:
 * @key: one of fl_event_settings_keys()
 *
 * Returns: (transfer full) (nullable): the value as `event set` takes it,
 *   or %NULL when it is not set (the default holds)
 */
char *
fl_event_settings_get (const FlEvent *event, const char *key)
{
  JsonObject *settings;
  JsonNode *node;

  g_return_val_if_fail (event != NULL && key != NULL, NULL);

  settings = json_node_get_object (event->settings);
  if (g_str_equal (key, "booth"))
    return g_strdup (event->booth);
  if (g_str_equal (key, "venue"))
    return g_strdup (event->venue);
  if (g_str_has_prefix (key, FL_SETTING_PRIVACY_NOTICE "."))
    {
      node = json_object_get_member (settings, FL_SETTING_PRIVACY_NOTICE);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      node = json_object_get_member (json_node_get_object (node), key + strlen (FL_SETTING_PRIVACY_NOTICE "."));
    }
  else
    node = json_object_get_member (settings, key);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    {
      if (g_str_equal (key, FL_SETTING_CONSENT_REQUIRED))
        return g_strdup ("true");
      return NULL;
    }
  if (g_str_equal (key, FL_SETTING_CONSENT_REQUIRED))
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (g_str_equal (key, FL_SETTING_RETENTION_DAYS))
    {
      gint64 days = json_node_get_value_type (node) == G_TYPE_STRING ? atoll (json_node_get_string (node))
                                                                     : json_node_get_int (node);

      return days > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, days) : NULL;
    }
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (node));
}

/**
 * fl_event_settings_to_json:
 *
 * Returns: (transfer full): the event as fl_event_to_json() gives it, with
 *   a "settings" object: every stored setting, and each known one with the
 *   value in force (null when unset)
 */
JsonNode *
fl_event_settings_to_json (const FlEvent *event)
{
  g_autoptr(JsonNode) stored = NULL;
  JsonNode *root;
  JsonObject *settings;
  JsonObject *notice;
  g_autofree char *days = NULL;
  g_autofree char *consent = NULL;
  g_autofree char *handout = NULL;
  /* Every language a scoring model may offer the visitor. */
  static const char *const languages[] = { "en", "de", "fr", "it", "es", "nl", "pl" };

  g_return_val_if_fail (event != NULL, NULL);

  root = fl_event_to_json (event);
  stored = json_node_copy (event->settings);
  settings = json_object_ref (json_node_get_object (stored));
  notice = json_object_new ();
  days = fl_event_settings_get (event, FL_SETTING_RETENTION_DAYS);
  if (days != NULL)
    json_object_set_int_member (settings, FL_SETTING_RETENTION_DAYS, g_ascii_strtoll (days, NULL, 10));
  else
    json_object_set_null_member (settings, FL_SETTING_RETENTION_DAYS);
  consent = fl_event_settings_get (event, FL_SETTING_CONSENT_REQUIRED);
  json_object_set_boolean_member (settings, FL_SETTING_CONSENT_REQUIRED, g_str_equal (consent, "true"));
  handout = fl_event_settings_get (event, FL_SETTING_HANDOUT_URL);
  if (handout != NULL)
    json_object_set_string_member (settings, FL_SETTING_HANDOUT_URL, handout);
  else
    json_object_set_null_member (settings, FL_SETTING_HANDOUT_URL);
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      const char *language = languages[i];
      g_autofree char *key = g_strconcat (FL_SETTING_PRIVACY_NOTICE ".", language, NULL);
      g_autofree char *text = fl_event_settings_get (event, key);

      if (text != NULL)
        json_object_set_string_member (notice, language, text);
      else
        json_object_set_null_member (notice, language);
    }
  json_object_set_object_member (settings, FL_SETTING_PRIVACY_NOTICE, notice);
  json_object_set_object_member (json_node_get_object (root), "settings", settings);
  return root;
}

/**
 * fl_store_set_event_setting:
 * @event_uuid: (nullable): the event, %NULL for the active one
 * @actor: (nullable): who changes it, for the audit
 *
 * Checks the value, stores it and records the change in the audit, in one
 * transaction.
 */
gboolean
fl_store_set_event_setting (FlStore *store, const char *event_uuid, const char *key, const char *value,
                            const char *actor, GError **error)
{
  g_autoptr(FlEvent) event = NULL;
  g_autofree char *detail = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  event = event_uuid ? fl_store_get_event (store, event_uuid, error) : fl_store_get_active_event (store, error);
  if (event == NULL)
    return FALSE;
  if (!fl_event_settings_set (event, key, value, error))
    return FALSE;

  /* A notice is a paragraph: the audit names it, the event holds it. */
  if (g_str_has_prefix (key, FL_SETTING_PRIVACY_NOTICE "."))
    detail = g_strdup_printf ("%s (%s)", key, *value ? "set" : "cleared");
  else
    {
      g_autofree char *stored = fl_event_settings_get (event, key);

      detail = g_strdup_printf ("%s=%s", key, stored ? stored : "none");
    }
  if (!fl_store_begin (store, error))
    return FALSE;
  if (!fl_store_update_event (store, event, error) ||
      !fl_store_add_audit (store, NULL, actor, "event-changed", detail, error) ||
      !fl_store_commit (store, error))
    {
      fl_store_rollback (store);
      return FALSE;
    }
  return TRUE;
}
