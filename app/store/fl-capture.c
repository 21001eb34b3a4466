/* fl-capture.c: a scan becomes a lead, and a second scan no second lead
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-capture"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-capture.h"
#include "fl-fts-fold.h"
#include "fl-roster-store.h"
#include "lead/fl-text.h"
#include "fl-store-private.h"

static const char *match_names[] = { "none", "badge_id", "email", "name_company" };

const char *
fl_capture_match_to_string (FlCaptureMatch match)
{
  g_return_val_if_fail (match <= FL_CAPTURE_MATCH_NAME_COMPANY, NULL);
  return match_names[match];
}

void
fl_capture_result_free (FlCaptureResult *result)
{
  if (result == NULL)
    return;
  g_clear_object (&result->lead);
  g_clear_error (&result->score_error);
  g_free (result);
}

/* Runs a query whose first column is a lead uuid; the newest lead wins. */
static char *
query_uuid (FlStore *store, const char *sql, const char *event, const char *value, GError **error)
{
  sqlite3_stmt *stmt = fl_store_prepare (store, sql, error);
  char *uuid = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, event);
  fl_store_bind_text (stmt, 2, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    fl_store_set_error (store, error);
  return uuid;
}

/* German names are written with umlauts and without: “Müller”, “Mueller”
 * and “Muller” are one name here. */
static char *
fold_umlauts (char *normal)
{
  char *out = normal;

  for (const char *p = normal; *p != '\0'; p++)
    {
      *out++ = *p;
      if ((*p == 'a' || *p == 'o' || *p == 'u') && p[1] == 'e')
        p++;
    }
  *out = '\0';
  return normal;
}

static char *
lead_name_key (const char *full, const char *first, const char *last)
{
  g_autofree char *joined = NULL;

  if (full == NULL && first == NULL && last == NULL)
    return NULL;
  if (full == NULL)
    full = joined = g_strdup_printf ("%s %s", first ? first : "", last ? last : "");
  return fold_umlauts (fl_text_normalize (full));
}

static char *
company_key (const char *company)
{
  return fold_umlauts (fl_text_normalize_company (company));
}

/* The full-text index narrows the search to leads whose names share the
 * first two letters of every word (it folds case and accents like
 * fl_text_normalize(), and two letters also let “Mueller” meet “Müller”
 * and “Weiss” meet “Weiß”); the exact comparison of the normalised name
 * and company is made here. */
static char *
find_by_name_company (FlStore *store, const char *event, FlLead *lead, const char *exclude,
                      GError **error)
{
  g_autofree char *name = lead_name_key (fl_lead_get_field (lead, FL_FIELD_FULL_NAME),
                                         fl_lead_get_field (lead, FL_FIELD_FIRST_NAME),
                                         fl_lead_get_field (lead, FL_FIELD_LAST_NAME));
  g_autofree char *company = company_key (fl_lead_get_field (lead, FL_FIELD_COMPANY));
  g_autoptr(GString) match = g_string_new (NULL);
  g_auto(GStrv) words = NULL;
  sqlite3_stmt *stmt;
  char *uuid = NULL;
  int rc;

  if (name == NULL || name[0] == '\0' || company[0] == '\0')
    return NULL;
  words = g_strsplit (name, " ", -1);
  for (guint i = 0; words[i] != NULL; i++)
    {
      const char *end = words[i];
      g_autofree char *prefix = NULL;
      g_autofree char *folded = NULL;

      for (guint n = 0; n < 2 && *end != '\0'; n++)
        end = g_utf8_next_char (end);
      prefix = g_strndup (words[i], end - words[i]);
      folded = fl_fts_fold (prefix);

      g_string_append_printf (match, "%s{full_name first_name last_name} : \"%s\"*",
                              i ? " AND " : "", folded);
    }

  stmt = fl_store_prepare (store,
                           "SELECT uuid, full_name, first_name, last_name, company FROM leads "
                           "WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND id IN (SELECT rowid FROM leads_fts "
                           "WHERE leads_fts MATCH ?2) AND uuid IS NOT ?3 "
                           "ORDER BY updated_at DESC, id DESC",
                           error);
  if (stmt == NULL)
    return NULL;
  fl_store_bind_text (stmt, 1, event);
  fl_store_bind_text (stmt, 2, match->str);
  fl_store_bind_text (stmt, 3, exclude);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *other_name = lead_name_key ((const char *) sqlite3_column_text (stmt, 1),
                                                   (const char *) sqlite3_column_text (stmt, 2),
                                                   (const char *) sqlite3_column_text (stmt, 3));
      g_autofree char *other_company = company_key ((const char *) sqlite3_column_text (stmt, 4));

      if (other_name != NULL && strcmp (name, other_name) == 0 &&
          strcmp (company, other_company) == 0)
        {
          uuid = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          break;
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    fl_store_set_error (store, error);
  return uuid;
}

/* Finds an earlier lead of the same person at the event: by badge id, else
 * by email, else by name and company. */
static FlLead *
find_duplicate (FlStore *store, const char *event, FlLead *lead, FlCaptureMatch *match,
                GError **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *uuid = NULL;
  const char *badge = fl_lead_get_badge_id (lead);
  const char *email = fl_lead_get_field (lead, FL_FIELD_EMAIL);

  *match = FL_CAPTURE_MATCH_NONE;
  if (badge != NULL)
    {
      uuid = query_uuid (store, "SELECT uuid FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND badge_id = ?2 "
                                "ORDER BY updated_at DESC, id DESC LIMIT 1",
                         event, badge, &local_error);
      *match = FL_CAPTURE_MATCH_BADGE_ID;
    }
  if (uuid == NULL && local_error == NULL && email != NULL)
    {
      uuid = query_uuid (store, "SELECT uuid FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND lower (email) = "
                                "lower (?2) ORDER BY updated_at DESC, id DESC LIMIT 1",
                         event, email, &local_error);
      *match = FL_CAPTURE_MATCH_EMAIL;
    }
  if (uuid == NULL && local_error == NULL)
    {
      uuid = find_by_name_company (store, event, lead, NULL, &local_error);
      *match = FL_CAPTURE_MATCH_NAME_COMPANY;
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      *match = FL_CAPTURE_MATCH_NONE;
      return NULL;
    }
  if (uuid == NULL)
    {
      *match = FL_CAPTURE_MATCH_NONE;
      return NULL;
    }
  return fl_store_get_lead (store, uuid, error);
}

/**
 * fl_capture_visitor_name_key:
 *
 * The normalised name and company that fl_capture() takes for the same
 * visitor when the badge id and email say nothing, as one text; %NULL when
 * the name or the company is missing (then they identify nobody).
 *
 * Returns: (transfer full) (nullable): the key
 */
char *
fl_capture_visitor_name_key (const char *full_name, const char *first_name,
                             const char *last_name, const char *company)
{
  g_autofree char *name = lead_name_key (full_name, first_name, last_name);
  g_autofree char *folded = company ? company_key (company) : NULL;

  if (name == NULL || name[0] == '\0' || folded == NULL || folded[0] == '\0')
    return NULL;
  return g_strconcat (name, "\037", folded, NULL);
}

/**
 * fl_capture_find_other_visit:
 * @lead: a stored lead
 *
 * Finds another lead of the same visitor at @lead's event by the rules a
 * capture merges by (same badge id, same email ignoring case, same
 * normalised name and company): booth sync folds leads that two kiosks
 * captured before they met.
 *
 * Returns: (transfer full) (nullable): the other lead's uuid, %NULL when
 *   there is none or on error
 */
char *
fl_capture_find_other_visit (FlStore *store, FlLead *lead, GError **error)
{
  const char *event = fl_lead_get_event (lead);
  const char *uuid = fl_lead_get_uuid (lead);
  const char *values[] = { fl_lead_get_badge_id (lead), fl_lead_get_field (lead, FL_FIELD_EMAIL) };
  const char *queries[] = {
    /* "+": by the badge and email indexes, not along all leads by time. */
    "SELECT uuid FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND badge_id = ?2 AND uuid <> ?3 "
    "ORDER BY +created_at, uuid LIMIT 1",
    "SELECT uuid FROM leads WHERE event_key = " FL_STORE_SQL_EVENT_KEY ("?1") " AND lower (email) = lower (?2) AND uuid <> ?3 "
    "ORDER BY +created_at, uuid LIMIT 1",
  };

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (FL_IS_LEAD (lead), NULL);

  if (event == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      sqlite3_stmt *stmt;
      char *other = NULL;
      int rc;

      if (values[i] == NULL)
        continue;
      stmt = fl_store_prepare (store, queries[i], error);
      if (stmt == NULL)
        return NULL;
      fl_store_bind_text (stmt, 1, event);
      fl_store_bind_text (stmt, 2, values[i]);
      fl_store_bind_text (stmt, 3, uuid);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        other = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          fl_store_set_error (store, error);
          return NULL;
        }
      if (other != NULL)
        return other;
    }
  return find_by_name_company (store, event, lead, uuid, error);
}

static void
append_note (FlLead *lead, const char *note)
{
  g_autofree char *text = note ? g_strstrip (g_strdup (note)) : NULL;
  const char *notes = fl_lead_get_notes (lead);

  if (text == NULL || text[0] == '\0')
    return;
  if (notes == NULL)
    fl_lead_set_notes (lead, text);
  else if (strstr (notes, text) == NULL)
    {
      g_autofree char *joined = g_strconcat (notes, "\n", text, NULL);
      fl_lead_set_notes (lead, joined);
    }
}

/* Fills the empty fields of @into from @from; returns the names filled. */
static GPtrArray *
fill_empty (FlLead *into, FlLead *from)
{
  GPtrArray *filled = g_ptr_array_new ();

  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (fl_lead_get_field (into, i) == NULL && fl_lead_get_field (from, i) != NULL)
      {
        fl_lead_set_field (into, i, fl_lead_get_field (from, i));
        g_ptr_array_add (filled, (gpointer) fl_field_to_string (i));
      }
  if (fl_lead_get_badge_id (into) == NULL && fl_lead_get_badge_id (from) != NULL)
    {
      fl_lead_set_badge_id (into, fl_lead_get_badge_id (from));
      g_ptr_array_add (filled, (gpointer) "badge_id");
    }
  return filled;
}

static void
apply_request (FlLead *lead, const FlCaptureRequest *request, const char *now)
{
  if (request->answers != NULL)
    {
      JsonObjectIter iter;
      const char *question;
      JsonNode *value;

      json_object_iter_init (&iter, request->answers);
      while (json_object_iter_next (&iter, &question, &value))
        fl_lead_set_answer (lead, question, value);
    }
  if (request->source == FL_SOURCE_BADGE)
    fl_lead_add_interaction (lead, "badge-scan", now);
  for (guint i = 0; request->interactions != NULL && request->interactions[i] != NULL; i++)
    if (request->interactions[i][0] != '\0')
      fl_lead_add_interaction (lead, request->interactions[i], now);
  append_note (lead, request->note);

  if (request->consent != FL_CAPTURE_CONSENT_UNCHANGED)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) consent = NULL;
      const char *method = request->consent_method ? request->consent_method
                                                   : FL_CONSENT_METHOD_CHECKBOX;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "version");
      if (request->consent_version != NULL)
        json_builder_add_string_value (builder, request->consent_version);
      else
        json_builder_add_null_value (builder);
      /* The hash proves which words the visitor saw; the model that holds
       * them stays in the models table. */
      json_builder_set_member_name (builder, "sha256");
      if (request->consent_text != NULL)
        {
          g_autofree char *sha256 = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                                    request->consent_text, -1);
          json_builder_add_string_value (builder, sha256);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "text_source");
      json_builder_add_string_value (builder, request->consent_text != NULL ? FL_CONSENT_TEXT_MODEL
                                                                            : FL_CONSENT_TEXT_NONE);
      json_builder_set_member_name (builder, "language");
      if (request->consent_language != NULL)
        json_builder_add_string_value (builder, request->consent_language);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "given");
      json_builder_add_boolean_value (builder, request->consent == FL_CAPTURE_CONSENT_GIVEN);
      json_builder_set_member_name (builder, "at");
      json_builder_add_string_value (builder, now);
      if (request->staff != NULL)
        {
          json_builder_set_member_name (builder, "staff");
          json_builder_add_string_value (builder, request->staff);
        }
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, method);
      json_builder_end_object (builder);
      consent = json_builder_get_root (builder);
      fl_lead_set_consent (lead, consent);
    }
}

static char *
merge_detail (FlCaptureMatch match, GPtrArray *filled, FlLead *scanned, FlSource source)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "matched_by");
  json_builder_add_string_value (builder, fl_capture_match_to_string (match));
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, fl_source_to_string (source));
  json_builder_set_member_name (builder, "filled");
  json_builder_begin_array (builder);
  for (guint i = 0; i < filled->len; i++)
    json_builder_add_string_value (builder, g_ptr_array_index (filled, i));
  json_builder_end_array (builder);
  /* The lead keeps the first raw payload; later ones live here, so a
   * repeat scan that carried different data is never lost. */
  json_builder_set_member_name (builder, "raw_payload");
  if (fl_lead_get_raw_payload (scanned) != NULL)
    json_builder_add_string_value (builder, fl_lead_get_raw_payload (scanned));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/**
 * fl_capture:
 * @request: what was scanned and recorded; see #FlCaptureRequest
 *
 * Captures a visitor at the active event: parses the payload, fills empty
 * fields from the roster when the badge id is known, then, in one
 * transaction, either updates the lead the same person already has at the
 * event (same badge id, same email ignoring case, or same normalised full
 * name and company: empty fields filled, answers merged with the newer
 * winning, a “repeat-visit” interaction and an audit row added) or creates
 * a new one. Badge scans get a “badge-scan” interaction. The optional
 * scoring step runs on the final lead just before it is written.
 *
 * Returns: (transfer full) (nullable): the saved lead and how it was
 *   found; %NULL when the payload is empty or too long, there is no active
 *   event, or the database refused the write (nothing is half-saved)
 */
FlCaptureResult *
fl_capture (FlStore *store, const FlCaptureRequest *request, GError **error)
{
  g_autoptr(FlCaptureResult) result = NULL;
  g_autoptr(FlEvent) event = NULL;
  g_autoptr(FlPayloadOptions) options = NULL;
  g_autoptr(FlLead) scanned = NULL;
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(FlLead) attendee = NULL;
  g_autofree char *now = NULL;
  const char *actor;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (request != NULL, NULL);
  g_return_val_if_fail (request->entered == NULL || FL_IS_LEAD (request->entered), NULL);

  if (request->consent != FL_CAPTURE_CONSENT_UNCHANGED)
    {
      if (request->consent_method != NULL &&
          g_strcmp0 (request->consent_method, FL_CONSENT_METHOD_CHECKBOX) != 0 &&
          g_strcmp0 (request->consent_method, FL_CONSENT_METHOD_STAFF) != 0)
        {
          g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                       _("Unknown consent method “%s” (expected checkbox or staff)"),
                       request->consent_method);
          return NULL;
        }
      /* The ledger must say who took a consent that no visitor ticked. */
      if (g_strcmp0 (request->consent_method, FL_CONSENT_METHOD_STAFF) == 0 &&
          (request->staff == NULL || request->staff[0] == '\0'))
        {
          g_set_error_literal (error, FL_STORE_ERROR, FL_STORE_ERROR_INVALID,
                               _("Consent recorded by staff needs the name of the staff member"));
          return NULL;
        }
    }

  event = fl_store_get_active_event (store, error);
  if (event == NULL)
    return NULL;

  result = g_new0 (FlCaptureResult, 1);
  options = fl_payload_options_new_for_event (event);
  if (request->payload != NULL || request->entered == NULL)
    {
      g_autoptr(FlPayloadResult) parsed =
        fl_payload_parse (request->payload ? request->payload : "",
                          request->payload ? request->payload_length : 0, options, error);

      if (parsed == NULL)
        return NULL;
      result->format = parsed->format;
      scanned = g_object_ref (parsed->lead);
    }
  else
    {
      result->format = FL_PAYLOAD_FORMAT_UNKNOWN;
      scanned = fl_lead_new ();
    }

  if (request->entered != NULL)
    {
      for (guint i = 0; i < FL_N_FIELDS; i++)
        if (fl_lead_get_field (request->entered, i) != NULL)
          fl_lead_set_field (scanned, i, fl_lead_get_field (request->entered, i));
      if (fl_lead_get_badge_id (request->entered) != NULL)
        fl_lead_set_badge_id (scanned, fl_lead_get_badge_id (request->entered));
      append_note (scanned, fl_lead_get_notes (request->entered));
      /* What a card reader recognised stays with the lead, as a scan's payload does. */
      if (fl_lead_get_raw_payload (scanned) == NULL)
        fl_lead_set_raw_payload (scanned, fl_lead_get_raw_payload (request->entered));
      fl_payload_complete_names (scanned);
    }

  now = fl_now_iso8601 ();
  actor = request->staff ? request->staff : "capture";
  if (!fl_store_begin (store, error))
    return NULL;

  if (fl_lead_get_badge_id (scanned) != NULL)
    {
      GError *find_error = NULL;

      attendee = fl_store_find_attendee (store, event->uuid, fl_lead_get_badge_id (scanned),
                                         &find_error);
      if (find_error != NULL)
        {
          g_propagate_error (error, find_error);
          goto fail;
        }
      if (attendee != NULL)
        {
          g_autoptr(GPtrArray) filled = fill_empty (scanned, attendee);

          result->from_roster = filled->len > 0;
          fl_payload_complete_names (scanned);
        }
    }

  {
    GError *find_error = NULL;

    lead = find_duplicate (store, event->uuid, scanned, &result->match, &find_error);
    if (find_error != NULL)
      {
        g_propagate_error (error, find_error);
        goto fail;
      }
  }

  if (lead != NULL)
    {
      g_autoptr(GPtrArray) filled = fill_empty (lead, scanned);
      g_autofree char *detail = NULL;

      fl_payload_complete_names (lead);
      if (fl_lead_get_raw_payload (lead) == NULL)
        fl_lead_set_raw_payload (lead, fl_lead_get_raw_payload (scanned));
      append_note (lead, fl_lead_get_notes (scanned));
      fl_lead_add_interaction (lead, "repeat-visit", now);
      apply_request (lead, request, now);
      fl_lead_set_updated_at (lead, now);

      if (request->score_func != NULL &&
          !request->score_func (store, event, lead, request->score_data, &result->score_error))
        g_debug ("Lead %s saved unscored: %s", fl_lead_get_uuid (lead),
                 result->score_error ? result->score_error->message : "?");

      detail = merge_detail (result->match, filled, scanned, request->source);
      if (!fl_store_save_lead_in_transaction (store, lead, actor, error) ||
          !fl_store_add_audit (store, fl_lead_get_uuid (lead), actor, "repeat-visit", detail, error))
        goto fail;
    }
  else
    {
      result->match = FL_CAPTURE_MATCH_NONE;
      lead = g_object_ref (scanned);
      fl_lead_set_event (lead, event->uuid);
      fl_lead_set_source (lead, request->source);
      fl_lead_set_captured_by (lead, request->staff);
      fl_lead_set_created_at (lead, now);
      fl_lead_set_updated_at (lead, now);
      fl_lead_ensure_identity (lead);
      apply_request (lead, request, now);

      if (request->score_func != NULL &&
          !request->score_func (store, event, lead, request->score_data, &result->score_error))
        g_debug ("Lead %s saved unscored: %s", fl_lead_get_uuid (lead),
                 result->score_error ? result->score_error->message : "?");

      if (!fl_store_save_lead_in_transaction (store, lead, actor, error))
        goto fail;
    }

  if (!fl_store_commit (store, error))
    return NULL;
  result->lead = g_steal_pointer (&lead);
  return g_steal_pointer (&result);

fail:
  fl_store_rollback (store);
  return NULL;
}
