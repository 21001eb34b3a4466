/* fl-lead.c: a captured visitor
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-lead"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-json.h"
#include "fl-lead.h"
#include "fl-limits.h"

struct _FlLead
{
  GObject   parent_instance;

  char     *uuid;
  char     *event;
  char     *created_at;
  char     *updated_at;
  char     *captured_by;
  char     *device;
  FlSource  source;
  char     *raw_payload;
  char     *badge_id;
  char     *fields[FL_N_FIELDS];
  char     *notes;
  int       score;
  FlStatus  status;
  JsonNode *breakdown;
  JsonNode *model;
  JsonNode *answers;
  JsonNode *interactions;
  JsonNode *consent;
  char     *override_status;
  char     *override_by;
  char     *override_reason;
  char     *display_name;
};

G_DEFINE_FINAL_TYPE (FlLead, fl_lead, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-lead-error-quark, fl_lead_error)

static const char *field_names[FL_N_FIELDS] = {
  "first_name", "last_name", "full_name", "email", "phone", "mobile", "company", "title",
  "department", "street", "city", "postal_code", "region", "country", "website",
};

static const char *status_names[] = { "MQL", "SAL", "DISQUALIFIED" };
static const char *source_names[] = { "badge", "card-qr", "card-ocr", "manual" };

static gboolean
lookup_name (const char *const *names, guint n_names, const char *name, int *index)
{
  if (name == NULL)
    return FALSE;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], name) == 0)
      {
        *index = (int) i;
        return TRUE;
      }
  return FALSE;
}

/* Setters store NULL for empty strings, so "unset" has one spelling. */
static void
set_string (char **slot, const char *value)
{
  if (value != NULL && value[0] == '\0')
    value = NULL;
  if (g_strcmp0 (*slot, value) == 0)
    return;
  g_free (*slot);
  *slot = g_strdup (value);
}

static void
set_node (JsonNode **slot, JsonNode *value)
{
  if (*slot == value)
    return;
  g_clear_pointer (slot, json_node_unref);
  if (value != NULL && !JSON_NODE_HOLDS_NULL (value))
    *slot = json_node_ref (value);
}

static void
fl_lead_finalize (GObject *object)
{
  FlLead *self = FL_LEAD (object);

  g_free (self->uuid);
  g_free (self->event);
  g_free (self->created_at);
  g_free (self->updated_at);
  g_free (self->captured_by);
  g_free (self->device);
  g_free (self->raw_payload);
  g_free (self->badge_id);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    g_free (self->fields[i]);
  g_free (self->notes);
  g_clear_pointer (&self->breakdown, json_node_unref);
  g_clear_pointer (&self->model, json_node_unref);
  g_clear_pointer (&self->answers, json_node_unref);
  g_clear_pointer (&self->interactions, json_node_unref);
  g_clear_pointer (&self->consent, json_node_unref);
  g_free (self->override_status);
  g_free (self->override_by);
  g_free (self->override_reason);
  g_free (self->display_name);

  G_OBJECT_CLASS (fl_lead_parent_class)->finalize (object);
}

static void
fl_lead_class_init (FlLeadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fl_lead_finalize;
}

static void
fl_lead_init (FlLead *self)
{
  self->source = FL_SOURCE_MANUAL;
  self->status = FL_STATUS_MQL;
}

const char *
fl_field_to_string (FlField field)
{
  g_return_val_if_fail (field < FL_N_FIELDS, NULL);
  return field_names[field];
}

gboolean
fl_field_from_string (const char *name, FlField *field)
{
  int i;

  if (!lookup_name (field_names, FL_N_FIELDS, name, &i))
    return FALSE;
  *field = (FlField) i;
  return TRUE;
}

const char *
fl_status_to_string (FlStatus status)
{
  g_return_val_if_fail (status <= FL_STATUS_DISQUALIFIED, NULL);
  return status_names[status];
}

gboolean
fl_status_from_string (const char *name, FlStatus *status)
{
  int i;

  if (!lookup_name (status_names, G_N_ELEMENTS (status_names), name, &i))
    return FALSE;
  *status = (FlStatus) i;
  return TRUE;
}

const char *
fl_source_to_string (FlSource source)
{
  g_return_val_if_fail (source <= FL_SOURCE_MANUAL, NULL);
  return source_names[source];
}

gboolean
fl_source_from_string (const char *name, FlSource *source)
{
  int i;

  if (!lookup_name (source_names, G_N_ELEMENTS (source_names), name, &i))
    return FALSE;
  *source = (FlSource) i;
  return TRUE;
}

/**
 * fl_now_iso8601:
 *
 * Returns: the current time in UTC, ISO 8601 with milliseconds
 *   (`2026-05-04T09:30:00.125Z`), the one timestamp format of the database.
 */
char *
fl_now_iso8601 (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *base = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (now) / 1000);
}

/* Normalise any ISO 8601 time to the UTC form fl_now_iso8601() writes. */
static char *
normalize_time (const char *text)
{
  g_autoptr(GDateTime) parsed = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *base = NULL;

  if (text == NULL)
    return NULL;
  parsed = g_date_time_new_from_iso8601 (text, g_time_zone_new_utc ());
  if (parsed == NULL)
    return NULL;
  utc = g_date_time_to_utc (parsed);
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

/* Whether @text has the form normalize_time() writes
 * ("2026-06-23T08:15:00.000Z"): a time read back from the database, which
 * normalize_time() would only parse and write again unchanged (or, were it
 * no time, leave as it is). */
static gboolean
is_canonical_time (const char *text)
{
  static const char pattern[] = "dddd-dd-ddTdd:dd:dd.dddZ";

  for (guint i = 0; i < sizeof pattern - 1; i++)
    if (pattern[i] == 'd' ? !g_ascii_isdigit (text[i]) : text[i] != pattern[i])
      return FALSE;
  return text[sizeof pattern - 1] == '\0';
}

/**
 * fl_json_new_object:
 *
 * Returns: (transfer full): a node holding a new empty object
 */
JsonNode *
fl_json_new_object (void)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, json_object_new ());
  return node;
}

/**
 * fl_json_new_array:
 *
 * Returns: (transfer full): a node holding a new empty array
 */
JsonNode *
fl_json_new_array (void)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, json_array_new ());
  return node;
}

char *
fl_uuid_new (void)
{
  return g_uuid_string_random ();
}

FlLead *
fl_lead_new (void)
{
  return g_object_new (FL_TYPE_LEAD, NULL);
}

/**
 * fl_lead_ensure_identity:
 *
 * Gives a lead that has none a uuid v4 and creation time; done once, at
 * capture, so the uuid can be the idempotency key everywhere after.
 */
void
fl_lead_ensure_identity (FlLead *self)
{
  g_return_if_fail (FL_IS_LEAD (self));

  if (self->uuid == NULL)
    self->uuid = fl_uuid_new ();
  if (self->created_at == NULL)
    self->created_at = fl_now_iso8601 ();
  if (self->updated_at == NULL)
    self->updated_at = g_strdup (self->created_at);
}

FlLead *
fl_lead_copy (FlLead *self)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (FL_IS_LEAD (self), NULL);

  node = fl_lead_to_json (self);
  return fl_lead_new_from_json (node, NULL);
}

#define GETTER(type, name, member)                                                                 \
  type fl_lead_get_##name (FlLead *self)                                                           \
  {                                                                                                \
    g_return_val_if_fail (FL_IS_LEAD (self), (type) 0);                                            \
    return self->member;                                                                           \
  }

GETTER (const char *, uuid, uuid)
GETTER (const char *, event, event)
GETTER (const char *, created_at, created_at)
GETTER (const char *, updated_at, updated_at)
GETTER (const char *, captured_by, captured_by)
GETTER (const char *, device, device)
GETTER (FlSource, source, source)
GETTER (const char *, raw_payload, raw_payload)
GETTER (const char *, badge_id, badge_id)
GETTER (const char *, notes, notes)
GETTER (int, score, score)
GETTER (FlStatus, status, status)
GETTER (JsonNode *, breakdown, breakdown)
GETTER (JsonNode *, model, model)
GETTER (JsonNode *, answers, answers)
GETTER (JsonNode *, interactions, interactions)
GETTER (JsonNode *, consent, consent)
GETTER (const char *, override_status, override_status)
GETTER (const char *, override_by, override_by)
GETTER (const char *, override_reason, override_reason)

#undef GETTER

const char *
fl_lead_get_field (FlLead *self, FlField field)
{
  g_return_val_if_fail (FL_IS_LEAD (self), NULL);
  g_return_val_if_fail (field < FL_N_FIELDS, NULL);

  return self->fields[field];
}

/**
 * fl_lead_get_display_name:
 *
 * Returns: the best name a person can read: the full name, else first and
 *   last, else the email, else the company; %NULL for an empty lead.
 */
const char *
fl_lead_get_display_name (FlLead *self)
{
  const char *first, *last;

  g_return_val_if_fail (FL_IS_LEAD (self), NULL);

  if (self->fields[FL_FIELD_FULL_NAME] != NULL)
    return self->fields[FL_FIELD_FULL_NAME];

  first = self->fields[FL_FIELD_FIRST_NAME];
  last = self->fields[FL_FIELD_LAST_NAME];
  g_clear_pointer (&self->display_name, g_free);
  if (first != NULL || last != NULL)
    self->display_name = g_strstrip (g_strdup_printf ("%s %s", first ? first : "", last ? last : ""));
  else if (self->fields[FL_FIELD_EMAIL] != NULL)
    return self->fields[FL_FIELD_EMAIL];
  else if (self->fields[FL_FIELD_COMPANY] != NULL)
    return self->fields[FL_FIELD_COMPANY];
  return self->display_name;
}

/* A lead is empty when it carries nothing a person could follow up. */
gboolean
fl_lead_is_empty (FlLead *self)
{
  g_return_val_if_fail (FL_IS_LEAD (self), TRUE);

  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (self->fields[i] != NULL)
      return FALSE;
  return self->raw_payload == NULL && self->notes == NULL;
}

/**
 * fl_lead_member_limit:
 * @member: the name of a lead's JSON member ("notes", "email"…)
 *
 * Returns: the most bytes that member may hold, 0 when it has no limit of
 *   its own
 */
gsize
fl_lead_member_limit (const char *member)
{
  if (member == NULL)
    return 0;
  if (strcmp (member, "notes") == 0)
    return FL_LIMIT_NOTES;
  if (strcmp (member, "raw_payload") == 0)
    return FL_LIMIT_RAW_PAYLOAD;
  if (strcmp (member, "badge_id") == 0 || strcmp (member, "captured_by") == 0)
    return FL_LIMIT_FIELD;
  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (strcmp (member, fl_field_to_string (i)) == 0)
      return FL_LIMIT_FIELD;
  return 0;
}

static gboolean
check_limit (const char *member, const char *value, GError **error)
{
  gsize length = value ? strlen (value) : 0;
  gsize limit = fl_lead_member_limit (member);

  if (limit == 0 || length <= limit)
    return TRUE;
  g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_TOO_LONG,
               _("“%s” is %lu bytes; the limit is %lu — shorten it"), member,
               (unsigned long) length, (unsigned long) limit);
  return FALSE;
}

/**
 * fl_lead_check_limits:
 *
 * Checks every text of the lead against its limit (fl-limits.h). The
 * store refuses a lead that fails, so that no lead is ever stored with
 * less than it came with.
 */
gboolean
fl_lead_check_limits (FlLead *self, GError **error)
{
  g_return_val_if_fail (FL_IS_LEAD (self), FALSE);

  for (guint i = 0; i < FL_N_FIELDS; i++)
    if (!check_limit (fl_field_to_string (i), self->fields[i], error))
      return FALSE;
  return check_limit ("badge_id", self->badge_id, error) &&
         check_limit ("captured_by", self->captured_by, error) &&
         check_limit ("raw_payload", self->raw_payload, error) &&
         check_limit ("notes", self->notes, error);
}

#define SETTER(name, member)                                                                       \
  void fl_lead_set_##name (FlLead *self, const char *value)                                        \
  {                                                                                                \
    g_return_if_fail (FL_IS_LEAD (self));                                                          \
    set_string (&self->member, value);                                                             \
  }

SETTER (uuid, uuid)
SETTER (event, event)
SETTER (captured_by, captured_by)
SETTER (device, device)
SETTER (raw_payload, raw_payload)
SETTER (badge_id, badge_id)
SETTER (notes, notes)

#undef SETTER

void
fl_lead_set_created_at (FlLead *self, const char *created_at)
{
  /* A time read back from the database is kept as it is: parsing and
   * writing it again gives the same text (an upload batch reads 100). */
  g_autofree char *normal = created_at != NULL && is_canonical_time (created_at)
                                ? NULL
                                : normalize_time (created_at);

  g_return_if_fail (FL_IS_LEAD (self));
  set_string (&self->created_at, normal ? normal : created_at);
}

void
fl_lead_set_updated_at (FlLead *self, const char *updated_at)
{
  g_autofree char *normal = updated_at != NULL && is_canonical_time (updated_at)
                                ? NULL
                                : normalize_time (updated_at);

  g_return_if_fail (FL_IS_LEAD (self));
  set_string (&self->updated_at, normal ? normal : updated_at);
}

void
fl_lead_set_source (FlLead *self, FlSource source)
{
  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (source <= FL_SOURCE_MANUAL);
  self->source = source;
}

void
fl_lead_set_field (FlLead *self, FlField field, const char *value)
{
  g_autofree char *stripped = NULL;

  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (field < FL_N_FIELDS);

  if (value != NULL)
    stripped = g_strstrip (g_strdup (value));
  set_string (&self->fields[field], stripped);
}

void
fl_lead_set_score (FlLead *self, int score)
{
  g_return_if_fail (FL_IS_LEAD (self));
  self->score = score;
}

void
fl_lead_set_status (FlLead *self, FlStatus status)
{
  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (status <= FL_STATUS_DISQUALIFIED);
  self->status = status;
}

void
fl_lead_set_breakdown (FlLead *self, JsonNode *breakdown)
{
  g_return_if_fail (FL_IS_LEAD (self));
  set_node (&self->breakdown, breakdown);
}

void
fl_lead_set_model (FlLead *self, JsonNode *model)
{
  g_return_if_fail (FL_IS_LEAD (self));
  set_node (&self->model, model);
}

void
fl_lead_set_answers (FlLead *self, JsonNode *answers)
{
  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (answers == NULL || JSON_NODE_HOLDS_OBJECT (answers) || JSON_NODE_HOLDS_NULL (answers));
  set_node (&self->answers, answers);
}

void
fl_lead_set_interactions (FlLead *self, JsonNode *interactions)
{
  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (interactions == NULL || JSON_NODE_HOLDS_ARRAY (interactions) ||
                    JSON_NODE_HOLDS_NULL (interactions));
  set_node (&self->interactions, interactions);
}

void
fl_lead_set_consent (FlLead *self, JsonNode *consent)
{
  g_return_if_fail (FL_IS_LEAD (self));
  set_node (&self->consent, consent);
}

/**
 * fl_lead_set_override:
 * @status: (nullable): "MQL", "SAL" or "DISQUALIFIED", or %NULL to clear
 *
 * A manual status that stands over the computed one until cleared.
 */
void
fl_lead_set_override (FlLead *self, const char *status, const char *by, const char *reason)
{
  g_return_if_fail (FL_IS_LEAD (self));

  set_string (&self->override_status, status);
  set_string (&self->override_by, status ? by : NULL);
  set_string (&self->override_reason, status ? reason : NULL);
}

/**
 * fl_lead_set_answer:
 * @value: (transfer none) (nullable): a string, number, boolean or array;
 *   %NULL removes the answer
 */
void
fl_lead_set_answer (FlLead *self, const char *question_id, JsonNode *value)
{
  JsonObject *object;

  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (question_id != NULL);

  if (self->answers == NULL)
    self->answers = fl_json_new_object ();
  else if (json_node_get_object (self->answers) == NULL)
    return;
  else if (json_node_is_immutable (self->answers))
    {
      JsonNode *copy = json_node_copy (self->answers);
      json_node_unref (self->answers);
      self->answers = copy;
    }
  object = json_node_get_object (self->answers);
  if (value == NULL)
    json_object_remove_member (object, question_id);
  else
    json_object_set_member (object, question_id, json_node_copy (value));
}

void
fl_lead_add_interaction (FlLead *self, const char *kind, const char *at)
{
  g_autofree char *now = NULL;
  JsonObject *item;

  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (kind != NULL);

  if (at == NULL)
    at = now = fl_now_iso8601 ();
  else if (!is_canonical_time (at) && (now = normalize_time (at)) != NULL)
    at = now;
  if (self->interactions == NULL)
    self->interactions = fl_json_new_array ();
  item = json_object_new ();
  json_object_set_string_member (item, "kind", kind);
  json_object_set_string_member (item, "at", at);
  json_array_add_object_element (json_node_get_array (self->interactions), item);
}

static void
add_string (JsonBuilder *builder, const char *key, const char *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_node (JsonBuilder *builder, const char *key, JsonNode *value)
{
  json_builder_set_member_name (builder, key);
  if (value != NULL)
    json_builder_add_value (builder, json_node_copy (value));
  else
    json_builder_add_null_value (builder);
}

/**
 * fl_lead_to_json:
 *
 * The lead as the JSON object the CLI, exports and connectors share; keys
 * in snake_case, always present, %NULL where unknown.
 *
 * Returns: (transfer full): a JSON object node
 */
JsonNode *
fl_lead_to_json (FlLead *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (FL_IS_LEAD (self), NULL);

  json_builder_begin_object (builder);
  add_string (builder, "uuid", self->uuid);
  add_string (builder, "event", self->event);
  add_string (builder, "created_at", self->created_at);
  add_string (builder, "updated_at", self->updated_at);
  add_string (builder, "captured_by", self->captured_by);
  add_string (builder, "device", self->device);
  add_string (builder, "source", fl_source_to_string (self->source));
  add_string (builder, "raw_payload", self->raw_payload);
  add_string (builder, "badge_id", self->badge_id);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    add_string (builder, field_names[i], self->fields[i]);
  add_string (builder, "notes", self->notes);
  json_builder_set_member_name (builder, "score");
  json_builder_add_int_value (builder, self->score);
  add_string (builder, "status", fl_status_to_string (self->status));
  add_node (builder, "breakdown", self->breakdown);
  add_node (builder, "model", self->model);
  add_node (builder, "answers", self->answers);
  add_node (builder, "interactions", self->interactions);
  add_node (builder, "consent", self->consent);
  json_builder_set_member_name (builder, "status_override");
  if (self->override_status != NULL)
    {
      json_builder_begin_object (builder);
      add_string (builder, "status", self->override_status);
      add_string (builder, "by", self->override_by);
      add_string (builder, "reason", self->override_reason);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
append_member (GString *out, const char *key, const char *value)
{
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append_len (out, "\":", 2);
  fl_json_append_string (out, value);
  g_string_append_c (out, ',');
}

static void
append_node_member (GString *out, const char *key, JsonNode *value)
{
  g_string_append_c (out, '"');
  g_string_append (out, key);
  g_string_append_len (out, "\":", 2);
  fl_json_append_node (out, value);
  g_string_append_c (out, ',');
}

/**
 * fl_lead_append_json:
 * @out: where to append
 *
 * Appends the object fl_lead_to_json() returns as compact JSON text,
 * without building it as a tree first: the webhook writes a batch of 100
 * leads into one buffer this way.
 */
void
fl_lead_append_json (FlLead *self, GString *out)
{
  g_return_if_fail (FL_IS_LEAD (self));
  g_return_if_fail (out != NULL);

  g_string_append_c (out, '{');
  append_member (out, "uuid", self->uuid);
  append_member (out, "event", self->event);
  append_member (out, "created_at", self->created_at);
  append_member (out, "updated_at", self->updated_at);
  append_member (out, "captured_by", self->captured_by);
  append_member (out, "device", self->device);
  append_member (out, "source", fl_source_to_string (self->source));
  append_member (out, "raw_payload", self->raw_payload);
  append_member (out, "badge_id", self->badge_id);
  for (guint i = 0; i < FL_N_FIELDS; i++)
    append_member (out, field_names[i], self->fields[i]);
  append_member (out, "notes", self->notes);
  g_string_append_printf (out, "\"score\":%d,", self->score);
  append_member (out, "status", fl_status_to_string (self->status));
  append_node_member (out, "breakdown", self->breakdown);
  append_node_member (out, "model", self->model);
  append_node_member (out, "answers", self->answers);
  append_node_member (out, "interactions", self->interactions);
  append_node_member (out, "consent", self->consent);
  g_string_append (out, "\"status_override\":");
  if (self->override_status != NULL)
    {
      g_string_append_c (out, '{');
      append_member (out, "status", self->override_status);
      append_member (out, "by", self->override_by);
      g_string_append (out, "\"reason\":");
      fl_json_append_string (out, self->override_reason);
      g_string_append_c (out, '}');
    }
  else
    g_string_append_len (out, "null", 4);
  g_string_append_c (out, '}');
}

char *
fl_lead_to_json_string (FlLead *self, gboolean pretty)
{
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (FL_IS_LEAD (self), NULL);

  node = fl_lead_to_json (self);
  return json_to_string (node, pretty);
}

/* Reads an optional string member; anything but a string or null is an
 * error naming the key. */
static gboolean
read_string (JsonObject *object, const char *key, const char **out, GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (json_node_get_value_type (node) != G_TYPE_STRING)
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("“%s” must be a text, not %s"), key, json_node_type_name (node));
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

static gboolean
read_time (JsonObject *object, const char *key, char **out, GError **error)
{
  const char *text;

  *out = NULL;
  if (!read_string (object, key, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  *out = normalize_time (text);
  if (*out == NULL)
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("“%s” is not an ISO 8601 time with a time zone: “%s”"), key, text);
      return FALSE;
    }
  return TRUE;
}

static gboolean
read_container (JsonObject *object, const char *key, JsonNodeType type, JsonNode **out,
                GError **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *out = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (type != JSON_NODE_NULL && JSON_NODE_TYPE (node) != type)
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("“%s” must be %s, not %s"), key,
                   type == JSON_NODE_OBJECT ? _("an object") : _("a list"),
                   json_node_type_name (node));
      return FALSE;
    }
  *out = node;
  return TRUE;
}

/**
 * fl_lead_new_from_json:
 *
 * Reads a lead written by fl_lead_to_json() or by hand. A uuid is required;
 * an unknown status or source, or a value of the wrong type, is refused
 * with an error naming the key.
 *
 * Returns: (transfer full) (nullable): the lead
 */
FlLead *
fl_lead_new_from_json (JsonNode *node, GError **error)
{
  g_autoptr(FlLead) self = NULL;
  JsonObject *object;
  const char *text;
  JsonNode *member;

  g_return_val_if_fail (node != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("A lead must be a JSON object, not %s"), json_node_type_name (node));
      return NULL;
    }
  object = json_node_get_object (node);
  self = fl_lead_new ();

  if (!read_string (object, "uuid", &text, error))
    return NULL;
  if (text == NULL)
    {
      g_set_error_literal (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                           _("The lead has no “uuid”; every lead needs one"));
      return NULL;
    }
  if (!g_uuid_string_is_valid (text))
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("“uuid” is not a valid UUID: “%s”"), text);
      return NULL;
    }
  self->uuid = g_ascii_strdown (text, -1);

#define STRING_MEMBER(key, member)                                                                 \
  if (!read_string (object, key, &text, error))                                                    \
    return NULL;                                                                                   \
  set_string (&self->member, text);

  STRING_MEMBER ("event", event)
  STRING_MEMBER ("captured_by", captured_by)
  STRING_MEMBER ("device", device)
  STRING_MEMBER ("raw_payload", raw_payload)
  STRING_MEMBER ("badge_id", badge_id)
  STRING_MEMBER ("notes", notes)
#undef STRING_MEMBER

  if (!read_time (object, "created_at", &self->created_at, error) ||
      !read_time (object, "updated_at", &self->updated_at, error))
    return NULL;

  for (guint i = 0; i < FL_N_FIELDS; i++)
    {
      if (!read_string (object, field_names[i], &text, error))
        return NULL;
      fl_lead_set_field (self, i, text);
    }

  if (!read_string (object, "source", &text, error))
    return NULL;
  if (text != NULL && !fl_source_from_string (text, &self->source))
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("Unknown source “%s” (expected badge, card-qr, card-ocr or manual)"), text);
      return NULL;
    }

  if (!read_string (object, "status", &text, error))
    return NULL;
  if (text != NULL && !fl_status_from_string (text, &self->status))
    {
      g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                   _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"), text);
      return NULL;
    }

  member = json_object_get_member (object, "score");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      if (json_node_get_value_type (member) != G_TYPE_INT64)
        {
          g_set_error_literal (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                               _("“score” must be a whole number"));
          return NULL;
        }
      self->score = (int) CLAMP (json_node_get_int (member), G_MININT, G_MAXINT);
    }

  if (!read_container (object, "breakdown", JSON_NODE_ARRAY, &member, error))
    return NULL;
  set_node (&self->breakdown, member);
  if (!read_container (object, "model", JSON_NODE_OBJECT, &member, error))
    return NULL;
  set_node (&self->model, member);
  if (!read_container (object, "answers", JSON_NODE_OBJECT, &member, error))
    return NULL;
  set_node (&self->answers, member);
  if (!read_container (object, "interactions", JSON_NODE_ARRAY, &member, error))
    return NULL;
  set_node (&self->interactions, member);
  if (!read_container (object, "consent", JSON_NODE_OBJECT, &member, error))
    return NULL;
  set_node (&self->consent, member);

  if (!read_container (object, "status_override", JSON_NODE_OBJECT, &member, error))
    return NULL;
  if (member != NULL)
    {
      JsonObject *override = json_node_get_object (member);
      const char *status, *by, *reason;
      FlStatus unused;

      if (!read_string (override, "status", &status, error) ||
          !read_string (override, "by", &by, error) ||
          !read_string (override, "reason", &reason, error))
        return NULL;
      if (status != NULL && !fl_status_from_string (status, &unused))
        {
          g_set_error (error, FL_LEAD_ERROR, FL_LEAD_ERROR_INVALID,
                       _("Unknown status “%s” (expected MQL, SAL or DISQUALIFIED)"), status);
          return NULL;
        }
      fl_lead_set_override (self, status, by, reason);
    }

  /* Copies, so later edits of the caller's tree cannot reach into the lead. */
  if (self->answers != NULL)
    {
      JsonNode *copy = json_node_copy (self->answers);
      json_node_unref (self->answers);
      self->answers = copy;
    }
  if (self->interactions != NULL)
    {
      JsonNode *copy = json_node_copy (self->interactions);
      json_node_unref (self->interactions);
      self->interactions = copy;
    }

  return g_steal_pointer (&self);
}
