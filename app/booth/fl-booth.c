/* fl-booth.c: a booth's identity and its member list
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-booth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <gnutls/crypto.h>
#include <gnutls/gnutls.h>
#include <string.h>

#include "fl-booth.h"
#include "fl-booth-private.h"
#include "fl-replica.h"

#define META_KEY "booth"
/* Addresses remembered per device: DHCP hands out new ones every day. */
#define MAX_ADDRESSES 4
/* Bytes of a join secret. */
#define SECRET_BYTES 18

struct _FlBooth
{
  GObject    parent_instance;

  FlStore   *store;
  char      *id;
  char      *name;
  char      *secret;
  gint64     secret_since;  /* when the secret was made, unix µs; 0 the first */
  GStrv      secret_covers; /* the devices removed when it was made */
  char      *device_id;
  GPtrArray *members;  /* FlBoothMember */
};

G_DEFINE_FINAL_TYPE (FlBooth, fl_booth, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-booth-error-quark, fl_booth_error)

void
fl_booth_member_free (FlBoothMember *member)
{
  if (member == NULL)
    return;
  g_free (member->id);
  g_free (member->name);
  g_free (member->fingerprint);
  g_strfreev (member->addresses);
  g_free (member);
}

void
fl_booth_code_free (FlBoothCode *code)
{
  if (code == NULL)
    return;
  g_free (code->booth_id);
  g_free (code->secret);
  g_free (code->fingerprint);
  g_free (code->device_id);
  g_strfreev (code->addresses);
  g_free (code);
}

static char *
base64url_encode (const guint8 *data, gsize length)
{
  g_autofree char *text = g_base64_encode (data, length);
  gsize n = strlen (text);

  while (n > 0 && text[n - 1] == '=')
    text[--n] = '\0';
  for (char *p = text; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
    }
  return g_steal_pointer (&text);
}

static guint8 *
base64url_decode (const char *text, gsize *length)
{
  g_autoptr(GString) padded = g_string_new (text);

  for (gsize i = 0; i < padded->len; i++)
    {
      char c = padded->str[i];

      if (c == '-')
        padded->str[i] = '+';
      else if (c == '_')
        padded->str[i] = '/';
      else if (!g_ascii_isalnum (c))
        return NULL;
    }
  while (padded->len % 4 != 0)
    g_string_append_c (padded, '=');
  return g_base64_decode (padded->str, length);
}

/* Every string of an array member, without the limit of addresses. */
static GStrv
strv_from_json_all (JsonObject *object, const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

static GStrv
strv_from_json (JsonObject *object, const char *member)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonNode *node = json_object_get_member (object, member);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array) && i < MAX_ADDRESSES; i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element) &&
              json_node_get_value_type (element) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (element));
        }
    }
  return g_strv_builder_end (builder);
}

static JsonArray *
strv_to_json (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  return array;
}

static const char *
get_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
get_int (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  return json_node_get_int (node);
}

static gboolean
is_fingerprint (const char *text)
{
  if (text == NULL || strlen (text) != 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

/* A device id as the store makes them (a uuid or hex), nothing else. */
static gboolean
is_device_id (const char *text)
{
  if (text == NULL || *text == '\0' || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static FlBoothMember *
member_from_json (JsonObject *object)
{
  g_autoptr(FlBoothMember) member = g_new0 (FlBoothMember, 1);
  JsonNode *local = json_object_get_member (object, "local");

  member->id = g_strdup (get_string (object, "id"));
  member->name = g_strdup (get_string (object, "name"));
  member->fingerprint = g_strdup (get_string (object, "fingerprint"));
  if (!is_device_id (member->id) || !is_fingerprint (member->fingerprint))
    return NULL;
  if (member->name == NULL)
    member->name = g_strdup (member->id);
  member->addresses = strv_from_json (object, "addresses");
  member->last_seen = get_int (object, "last_seen");
  member->updated = get_int (object, "updated");
  member->removed = json_object_get_boolean_member_with_default (object, "removed", FALSE);
  if (local != NULL && JSON_NODE_HOLDS_OBJECT (local))
    {
      JsonObject *l = json_node_get_object (local);

      member->last_round = get_int (l, "round");
      member->in_sync = json_object_get_boolean_member_with_default (l, "in_sync", FALSE);
      member->pending = get_int (l, "pending");
    }
  return g_steal_pointer (&member);
}

static JsonObject *
member_to_json (const FlBoothMember *member, gboolean with_local)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", member->id);
  json_object_set_string_member (object, "name", member->name);
  json_object_set_string_member (object, "fingerprint", member->fingerprint);
  json_object_set_array_member (object, "addresses",
                                strv_to_json ((const char * const *) member->addresses));
  json_object_set_int_member (object, "last_seen", member->last_seen);
  json_object_set_int_member (object, "updated", member->updated);
  json_object_set_boolean_member (object, "removed", member->removed);
  if (with_local)
    {
      JsonObject *local = json_object_new ();

      json_object_set_int_member (local, "round", member->last_round);
      json_object_set_boolean_member (local, "in_sync", member->in_sync);
      json_object_set_int_member (local, "pending", member->pending);
      json_object_set_object_member (object, "local", local);
    }
  return object;
}

static void
fl_booth_finalize (GObject *object)
{
  FlBooth *self = (FlBooth *) object;

  g_clear_object (&self->store);
  g_free (self->id);
  g_free (self->name);
  g_free (self->secret);
  g_strfreev (self->secret_covers);
  g_free (self->device_id);
  g_clear_pointer (&self->members, g_ptr_array_unref);

  G_OBJECT_CLASS (fl_booth_parent_class)->finalize (object);
}

static void
fl_booth_class_init (FlBoothClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_booth_finalize;
}

static void
fl_booth_init (FlBooth *self)
{
  self->members = g_ptr_array_new_with_free_func ((GDestroyNotify) fl_booth_member_free);
}

static FlBooth *
booth_new (FlStore *store)
{
  FlBooth *self = g_object_new (FL_TYPE_BOOTH, NULL);

  self->store = g_object_ref (store);
  self->device_id = g_strdup (fl_store_get_device_id (store));
  return self;
}

/**
 * fl_booth_load:
 *
 * The booth this kiosk belongs to; %FL_BOOTH_ERROR_NOT_IN_BOOTH when it
 * belongs to none.
 */
FlBooth *
fl_booth_load (FlStore *store, GError **error)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(FlBooth) self = NULL;
  JsonObject *root;
  JsonNode *members;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  text = fl_store_get_meta (store, META_KEY);
  if (text == NULL || *text == '\0')
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_IN_BOOTH, "%s",
                   _("This kiosk is not part of a booth; run “fairlead-cli booth create” on "
                     "the first kiosk and “fairlead-cli booth join CODE” on the others"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_IN_BOOTH, "%s",
                   _("The booth settings of this kiosk are damaged; run “fairlead-cli booth "
                     "leave” and join the booth again"));
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));
  self = booth_new (store);
  self->id = g_strdup (get_string (root, "id"));
  self->name = g_strdup (get_string (root, "name"));
  self->secret = g_strdup (get_string (root, "secret"));
  self->secret_since = json_object_get_int_member_with_default (root, "secret_since", 0);
  self->secret_covers = strv_from_json_all (root, "secret_covers");
  if (self->id == NULL || self->secret == NULL)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_NOT_IN_BOOTH, "%s",
                   _("The booth settings of this kiosk are damaged; run “fairlead-cli booth "
                     "leave” and join the booth again"));
      return NULL;
    }
  members = json_object_get_member (root, "members");
  if (members != NULL && JSON_NODE_HOLDS_ARRAY (members))
    {
      JsonArray *array = json_node_get_array (members);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          FlBoothMember *member = JSON_NODE_HOLDS_OBJECT (node)
                                    ? member_from_json (json_node_get_object (node)) : NULL;

          if (member != NULL)
            g_ptr_array_add (self->members, member);
        }
    }
  return g_steal_pointer (&self);
}

static char *
booth_to_text (FlBooth *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *root = json_object_new ();
  JsonArray *members = json_array_new ();

  json_object_set_string_member (root, "id", self->id);
  json_object_set_string_member (root, "name", self->name);
  json_object_set_string_member (root, "secret", self->secret);
  json_object_set_int_member (root, "secret_since", self->secret_since);
  json_object_set_array_member (root, "secret_covers",
                                strv_to_json ((const char * const *) self->secret_covers));
  for (guint i = 0; i < self->members->len; i++)
    json_array_add_object_element (members, member_to_json (self->members->pdata[i], TRUE));
  json_object_set_array_member (root, "members", members);
  json_node_take_object (node, root);
  return json_to_string (node, FALSE);
}

gboolean
fl_booth_save (FlBooth *self, GError **error)
{
  g_autofree char *text = NULL;

  g_return_val_if_fail (FL_IS_BOOTH (self), FALSE);

  text = booth_to_text (self);
  return fl_store_set_meta (self->store, META_KEY, text, error);
}

/**
 * fl_booth_update:
 * @booth_out: (out) (optional): the booth as it is now
 *
 * Runs @func on the booth as stored and saves what it changed, in one
 * write transaction with the list as it is on disk then; when @func
 * changes nothing, no write lock is taken at all (rounds every second
 * must not hold the database every second).
 */
gboolean
fl_booth_update (FlStore *store, FlBoothUpdateFunc func, gpointer user_data, FlBooth **booth_out,
                 GError **error)
{
  g_autoptr(FlBooth) booth = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  if ((booth = fl_booth_load (store, error)) == NULL)
    return FALSE;
  before = booth_to_text (booth);
  if (!func (booth, user_data, error))
    return FALSE;
  after = booth_to_text (booth);
  if (g_strcmp0 (before, after) != 0)
    {
      g_clear_object (&booth);
      if (!fl_store_begin (store, error))
        return FALSE;
      if ((booth = fl_booth_load (store, error)) == NULL || !func (booth, user_data, error) ||
          !fl_booth_save (booth, error) || !fl_store_commit (store, error))
        {
          fl_store_rollback (store);
          return FALSE;
        }
    }
  if (booth_out != NULL)
    *booth_out = g_steal_pointer (&booth);
  return TRUE;
}

/* Forgets the booth on this kiosk (after "booth leave"). From then on its
 * edits are not logged (schema 11); its log stays, so that joining again
 * numbers its changes on from where the booth knows them, and logs what
 * changed meanwhile (fl_replica_snapshot()). */
gboolean
fl_booth_forget (FlStore *store, GError **error)
{
  g_return_val_if_fail (FL_IS_STORE (store), FALSE);
  return fl_store_set_meta (store, META_KEY, NULL, error);
}

/* Saves a booth this kiosk was in no booth before: from now on its
 * triggers log every change (schema 11), and what they did not log while
 * it was in no booth is logged first, in the same transaction, so that
 * its peers receive all of it and no write falls between the two. */
static gboolean
save_logging (FlBooth *self, GError **error)
{
  if (!fl_store_begin (self->store, error))
    return FALSE;
  if (!fl_replica_snapshot (self->store, NULL, error) || !fl_booth_save (self, error) ||
      !fl_store_commit (self->store, error))
    {
      fl_store_rollback (self->store);
      return FALSE;
    }
  return TRUE;
}

static char *
make_secret (void)
{
  guint8 bytes[SECRET_BYTES];

  /* The join secret admits a device to every lead of the booth: from the
   * system's cryptographic generator, never GLib's predictable one. A
   * generator that fails leaves no safe way on. */
  if (gnutls_rnd (GNUTLS_RND_KEY, bytes, sizeof bytes) < 0)
    g_error ("The system's random generator failed: no join secret can be made");
  return base64url_encode (bytes, sizeof bytes);
}

FlBooth *
fl_booth_create (FlStore *store, const char *name, const char *device_name,
                 const char *fingerprint, const char * const *addresses, GError **error)
{
  g_autoptr(FlBooth) self = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(FlBooth) existing = NULL;
  FlBoothMember *me;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);
  g_return_val_if_fail (fingerprint != NULL, NULL);

  existing = fl_booth_load (store, &local_error);
  if (existing != NULL)
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_ALREADY,
                   _("This kiosk is part of the booth “%s” already; run “fairlead-cli booth "
                     "leave” first to start another"),
                   existing->name);
      return NULL;
    }

  self = booth_new (store);
  self->id = g_uuid_string_random ();
  self->name = g_strdup (name != NULL && *name != '\0' ? name : _("Booth"));
  self->secret = make_secret ();
  me = fl_booth_add_member (self, self->device_id,
                            device_name != NULL ? device_name : g_get_host_name (),
                            fingerprint, NULL);
  g_strfreev (me->addresses);
  me->addresses = g_strdupv ((GStrv) addresses);
  if (!save_logging (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

/* The booth a joining kiosk was admitted to, with the members it was told of. */
FlBooth *
fl_booth_new_joined (FlStore *store, const FlBoothCode *code, const char *name,
                     JsonArray *members, GError **error)
{
  g_autoptr(FlBooth) self = booth_new (store);

  self->id = g_strdup (code->booth_id);
  self->secret = g_strdup (code->secret);
  self->name = g_strdup (name != NULL ? name : _("Booth"));
  if (!fl_booth_merge_members (self, members, error) || !save_logging (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
fl_booth_get_id (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->id;
}

const char *
fl_booth_get_name (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->name;
}

const char *
fl_booth_get_secret (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->secret;
}

const char *
fl_booth_get_device_id (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->device_id;
}

FlStore *
fl_booth_get_store (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->store;
}

/* (element-type FlBoothMember) (transfer none) */
GPtrArray *
fl_booth_get_members (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  return self->members;
}

FlBoothMember *
fl_booth_get_self (FlBooth *self)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  for (guint i = 0; i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (g_strcmp0 (member->id, self->device_id) == 0)
        return member;
    }
  return NULL;
}

/* By id, unique id prefix or name. */
FlBoothMember *
fl_booth_find_member (FlBooth *self, const char *id_or_name)
{
  FlBoothMember *found = NULL;
  guint matches = 0;

  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);
  g_return_val_if_fail (id_or_name != NULL, NULL);

  for (guint i = 0; i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (g_strcmp0 (member->id, id_or_name) == 0)
        return member;
    }
  for (guint i = 0; i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (g_strcmp0 (member->name, id_or_name) == 0 ||
          (strlen (id_or_name) >= 4 && g_str_has_prefix (member->id, id_or_name)))
        {
          found = member;
          matches++;
        }
    }
  return matches == 1 ? found : NULL;
}

FlBoothMember *
fl_booth_find_fingerprint (FlBooth *self, const char *fingerprint)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);

  for (guint i = 0; fingerprint != NULL && i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (g_strcmp0 (member->fingerprint, fingerprint) == 0)
        return member;
    }
  return NULL;
}

/* A device of the booth that was not removed. */
gboolean
fl_booth_is_member (FlBooth *self, const char *fingerprint)
{
  FlBoothMember *member = fl_booth_find_fingerprint (self, fingerprint);

  return member != NULL && !member->removed;
}

char *
fl_booth_get_join_code (FlBooth *self)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *json = NULL;
  g_autofree char *payload = NULL;
  JsonObject *object = json_object_new ();
  FlBoothMember *me;

  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);

  me = fl_booth_get_self (self);
  g_return_val_if_fail (me != NULL, NULL);
  json_object_set_string_member (object, "b", self->id);
  json_object_set_string_member (object, "s", self->secret);
  json_object_set_string_member (object, "f", me->fingerprint);
  json_object_set_string_member (object, "d", me->id);
  json_object_set_array_member (object, "a", strv_to_json ((const char * const *) me->addresses));
  json_node_take_object (node, object);
  json = json_to_string (node, FALSE);
  payload = base64url_encode ((const guint8 *) json, strlen (json));
  return g_strconcat (FL_BOOTH_CODE_PREFIX, payload, NULL);
}

FlBoothCode *
fl_booth_parse_code (const char *text, GError **error)
{
  g_autoptr(FlBoothCode) code = g_new0 (FlBoothCode, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree guint8 *json = NULL;
  g_autofree char *trimmed = NULL;
  gsize length = 0;
  JsonObject *object;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (!g_str_has_prefix (trimmed, FL_BOOTH_CODE_PREFIX) ||
      (json = base64url_decode (trimmed + strlen (FL_BOOTH_CODE_PREFIX), &length)) == NULL ||
      !json_parser_load_from_data (parser, (const char *) json, length, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    goto bad;
  object = json_node_get_object (json_parser_get_root (parser));
  code->booth_id = g_strdup (get_string (object, "b"));
  code->secret = g_strdup (get_string (object, "s"));
  code->fingerprint = g_strdup (get_string (object, "f"));
  code->device_id = g_strdup (get_string (object, "d"));
  code->addresses = strv_from_json (object, "a");
  if (code->booth_id == NULL || !g_uuid_string_is_valid (code->booth_id) ||
      code->secret == NULL || strlen (code->secret) < 16 || !is_fingerprint (code->fingerprint))
    goto bad;
  return g_steal_pointer (&code);

bad:
  g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_BAD_CODE, "%s",
               _("This is not a booth join code: it starts with “FLB1:”; scan the QR code "
                 "or copy the line “fairlead-cli booth create” printed on the first kiosk"));
  return NULL;
}

/* The member list as it is sent to a peer: without this kiosk's own view. */
JsonArray *
fl_booth_members_to_json (FlBooth *self)
{
  JsonArray *array = json_array_new ();

  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);

  for (guint i = 0; i < self->members->len; i++)
    json_array_add_object_element (array, member_to_json (self->members->pdata[i], FALSE));
  return array;
}

/* A device's certificate never changes: a record that says otherwise is
 * kept out, not believed. A removal is never undone; otherwise the newest
 * record of a device wins, and last_seen is the latest anyone saw it. */
gboolean
fl_booth_merge_members (FlBooth *self, JsonArray *members, GError **error)
{
  g_return_val_if_fail (FL_IS_BOOTH (self), FALSE);

  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonNode *node = json_array_get_element (members, i);
      g_autoptr(FlBoothMember) theirs = NULL;
      FlBoothMember *ours;

      if (!JSON_NODE_HOLDS_OBJECT (node) ||
          (theirs = member_from_json (json_node_get_object (node))) == NULL)
        {
          g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL, "%s",
                       _("A peer sent a member list that is not one"));
          return FALSE;
        }
      theirs->last_round = 0;
      theirs->in_sync = FALSE;
      theirs->pending = 0;

      ours = fl_booth_find_member (self, theirs->id);
      if (ours == NULL || g_strcmp0 (ours->id, theirs->id) != 0)
        {
          if (fl_booth_find_fingerprint (self, theirs->fingerprint) == NULL)
            g_ptr_array_add (self->members, g_steal_pointer (&theirs));
          continue;
        }
      if (g_strcmp0 (ours->fingerprint, theirs->fingerprint) != 0)
        continue;
      ours->removed = ours->removed || theirs->removed;
      ours->last_seen = MAX (ours->last_seen, theirs->last_seen);
      if (theirs->updated > ours->updated)
        {
          g_free (ours->name);
          ours->name = g_steal_pointer (&theirs->name);
          g_strfreev (ours->addresses);
          ours->addresses = g_steal_pointer (&theirs->addresses);
          ours->updated = theirs->updated;
        }
    }
  return TRUE;
}

FlBoothMember *
fl_booth_add_member (FlBooth *self, const char *id, const char *name, const char *fingerprint,
                     const char *address)
{
  FlBoothMember *member;

  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);

  member = g_new0 (FlBoothMember, 1);
  member->id = g_strdup (id);
  member->name = g_strdup (name != NULL && *name != '\0' ? name : id);
  member->fingerprint = g_strdup (fingerprint);
  member->addresses = g_new0 (char *, 2);
  member->addresses[0] = g_strdup (address);
  member->updated = g_get_real_time ();
  member->last_seen = member->updated / G_USEC_PER_SEC;
  g_ptr_array_add (self->members, member);
  return member;
}

/* A new join secret, made knowing every device removed so far. */
static void
rotate_secret (FlBooth *self)
{
  g_autoptr(GStrvBuilder) covers = g_strv_builder_new ();

  for (guint i = 0; i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (member->removed)
        g_strv_builder_add (covers, member->id);
    }
  g_free (self->secret);
  self->secret = make_secret ();
  self->secret_since = MAX (g_get_real_time (), self->secret_since + 1);
  g_strfreev (self->secret_covers);
  self->secret_covers = g_strv_builder_end (covers);
}

/* Whether the secret was made after every removal this kiosk knows of: a
 * secret made on one kiosk while another removed a device was never kept
 * from that device. */
static gboolean
secret_covers_removals (FlBooth *self)
{
  for (guint i = 0; i < self->members->len; i++)
    {
      FlBoothMember *member = self->members->pdata[i];

      if (member->removed && g_strcmp0 (member->id, self->device_id) != 0 &&
          (self->secret_covers == NULL ||
           !g_strv_contains ((const char * const *) self->secret_covers, member->id)))
        return FALSE;
    }
  return TRUE;
}

void
fl_booth_remove_member (FlBooth *self, FlBoothMember *member)
{
  g_return_if_fail (FL_IS_BOOTH (self));

  member->removed = TRUE;
  member->updated = g_get_real_time ();
  /* Whoever held the device may hold the join code too: the booth gets a
   * new secret, which reaches the others with the member list. */
  if (g_strcmp0 (member->id, self->device_id) != 0)
    rotate_secret (self);
}

/* The join secret as members tell each other on a round, over the mutually
 * authenticated channel only; never in a reply to a stranger. */
JsonObject *
fl_booth_secret_to_json (FlBooth *self)
{
  JsonObject *object = json_object_new ();

  g_return_val_if_fail (FL_IS_BOOTH (self), NULL);

  json_object_set_string_member (object, "secret", self->secret);
  json_object_set_int_member (object, "since", self->secret_since);
  json_object_set_array_member (object, "covers",
                                strv_to_json ((const char * const *) self->secret_covers));
  return object;
}

/* The newer secret wins (the larger one on a tie), so every member ends
 * with the same whatever the order of rounds. A record that is not one is
 * ignored, as a member list's is. */
void
fl_booth_merge_secret (FlBooth *self, JsonObject *theirs)
{
  const char *secret;
  gint64 since;

  g_return_if_fail (FL_IS_BOOTH (self));

  secret = theirs != NULL ? get_string (theirs, "secret") : NULL;
  since = theirs != NULL ? json_object_get_int_member_with_default (theirs, "since", -1) : -1;
  if (secret != NULL && strlen (secret) >= 16 && strlen (secret) <= 64 && since >= 0 &&
      (since > self->secret_since ||
       (since == self->secret_since && strcmp (secret, self->secret) > 0)))
    {
      g_free (self->secret);
      self->secret = g_strdup (secret);
      self->secret_since = since;
      g_strfreev (self->secret_covers);
      self->secret_covers = strv_from_json_all (theirs, "covers");
    }
  /* Two kiosks that removed a device each, before they met: the newer
   * secret may have been handed to the device the other removed. Once a
   * kiosk knows of both removals it makes one more, which covers both; as
   * the member lists converge, so does the secret. */
  if (!secret_covers_removals (self))
    rotate_secret (self);
}

/* Remembers that @member answered now, at @address (may be %NULL). */
void
fl_booth_saw_member (FlBooth *self, FlBoothMember *member, const char *address)
{
  g_return_if_fail (FL_IS_BOOTH (self));
  {

  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  /* To the next ten seconds: enough for "not seen for 12 min". */
  if (now - member->last_seen >= FL_BOOTH_SEEN_GRANULARITY)
    member->last_seen = now;
  if (address != NULL && (member->addresses == NULL ||
                          g_strcmp0 (member->addresses[0], address) != 0))
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      g_strv_builder_add (builder, address);
      for (guint i = 0; member->addresses != NULL && member->addresses[i] != NULL &&
                        i < MAX_ADDRESSES - 1; i++)
        if (g_strcmp0 (member->addresses[i], address) != 0)
          g_strv_builder_add (builder, member->addresses[i]);
      g_strfreev (member->addresses);
      member->addresses = g_strv_builder_end (builder);
      member->updated = g_get_real_time ();
    }
  }
}

/* HMAC-SHA256 keyed with the join secret over both certificates: proves
 * knowledge of the secret to a peer without sending it, bound to this TLS
 * session's two certificates so it cannot be replayed elsewhere. */
char *
fl_booth_proof (const char *secret, const char *label, const char *fingerprint_a,
                const char *fingerprint_b)
{
  g_autoptr(GHmac) hmac = NULL;

  g_return_val_if_fail (secret != NULL && label != NULL, NULL);
  g_return_val_if_fail (fingerprint_a != NULL && fingerprint_b != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) label, strlen (label) + 1);
  g_hmac_update (hmac, (const guchar *) fingerprint_a, strlen (fingerprint_a) + 1);
  g_hmac_update (hmac, (const guchar *) fingerprint_b, strlen (fingerprint_b) + 1);
  return g_strdup (g_hmac_get_string (hmac));
}

gboolean
fl_booth_check_proof (const char *secret, const char *label, const char *fingerprint_a,
                      const char *fingerprint_b, const char *proof)
{
  g_autofree char *expected = NULL;
  guint8 diff = 0;
  gsize n;

  if (proof == NULL || fingerprint_a == NULL || fingerprint_b == NULL)
    return FALSE;
  expected = fl_booth_proof (secret, label, fingerprint_a, fingerprint_b);
  n = strlen (expected);
  if (strlen (proof) != n)
    return FALSE;
  /* In constant time. */
  for (gsize i = 0; i < n; i++)
    diff |= expected[i] ^ proof[i];
  return diff == 0;
}

/* What the server and the client share (fl-booth-private.h). */

/* This kiosk's version vector. */
JsonObject *
_fl_booth_get_vector (FlStore *store, GError **error)
{
  return fl_replica_get_version_vector (store, error);
}

/* How many changes @have holds that @peer lacks. */
gint64
_fl_booth_vector_lacking (JsonObject *have, JsonObject *peer)
{
  g_autoptr(GList) devices = json_object_get_members (have);
  gint64 lacking = 0;

  for (GList *l = devices; l != NULL; l = l->next)
    {
      gint64 held = json_object_get_int_member_with_default (have, l->data, 0);
      gint64 theirs = peer != NULL ? json_object_get_int_member_with_default (peer, l->data, 0) : 0;

      if (held > theirs)
        lacking += held - theirs;
    }
  return lacking;
}

JsonNode *
_fl_booth_parse_body (GBytes *body, GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data = g_bytes_get_data (body, &size);

  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, FL_BOOTH_ERROR, FL_BOOTH_ERROR_PROTOCOL, "%s",
                   _("A booth peer sent something that is not a JSON object"));
      return NULL;
    }
  return json_parser_steal_root (parser);
}

GBytes *
_fl_booth_node_to_bytes (JsonNode *node)
{
  gsize length;
  char *text = json_to_string (node, FALSE);

  length = strlen (text);
  return g_bytes_new_take (text, length);
}
