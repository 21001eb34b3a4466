/* fl-staff.c: staff members and their PINs
 *
 * PINs are kept only as salted, deliberately slow yescrypt hashes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-staff"

#include "config.h"

#include <crypt.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-staff.h"
#include "fl-store-private.h"

struct _FlPinGuard
{
  GObject  parent_instance;

  FlStore *store;
  /* The last state read from or written to the database; the database
   * wins, so that a restart of the kiosk does not forget wrong tries. */
  guint    failures;
  gint64   last_failure;   /* wall-clock µs of the latest wrong try */
};

/* Meta keys: the count of wrong tries since the last right one, and the
 * wall-clock time of the latest. */
#define META_FAILURES "staff.pin_failures"
#define META_LAST_FAILURE "staff.pin_last_failure"

G_DEFINE_FINAL_TYPE (FlPinGuard, fl_pin_guard, G_TYPE_OBJECT)
G_DEFINE_QUARK (fl-staff-error-quark, fl_staff_error)

/* The first wait after the free tries; each further wrong try doubles it. */
#define FIRST_WAIT_US (G_GINT64_CONSTANT (30) * G_USEC_PER_SEC)
#define MAX_WAIT_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

gboolean
fl_staff_check_pin (const char *pin, GError **error)
{
  gsize length = pin ? strlen (pin) : 0;

  if (length < FL_PIN_MIN_LENGTH || length > FL_PIN_MAX_LENGTH)
    {
      g_set_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_PIN,
                   _("A PIN has %d to %d digits"), FL_PIN_MIN_LENGTH, FL_PIN_MAX_LENGTH);
      return FALSE;
    }
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (pin[i]))
      {
        g_set_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_PIN,
                     _("A PIN has only digits (%d to %d)"), FL_PIN_MIN_LENGTH, FL_PIN_MAX_LENGTH);
        return FALSE;
      }
  return TRUE;
}

/**
 * fl_staff_hash_pin:
 *
 * Returns: a yescrypt hash with a fresh random salt
 */
char *
fl_staff_hash_pin (const char *pin, GError **error)
{
  g_autofree char *setting = NULL;
  struct crypt_data *data = NULL;
  char *hash = NULL;

  if (!fl_staff_check_pin (pin, error))
    return NULL;

  setting = crypt_gensalt_ra ("$y$", 0, NULL, 0);
  if (setting != NULL)
    {
      data = g_new0 (struct crypt_data, 1);
      if (crypt_r (pin, setting, data) != NULL && data->output[0] != '*')
        hash = g_strdup (data->output);
      explicit_bzero (data, sizeof *data);
      g_free (data);
    }
  if (hash == NULL)
    g_set_error_literal (error, FL_STAFF_ERROR, FL_STAFF_ERROR_CRYPT,
                         _("The PIN could not be hashed; the system's libcrypt lacks yescrypt"));
  return hash;
}

gboolean
fl_staff_pin_matches (const char *pin, const char *hash)
{
  struct crypt_data *data;
  gboolean matches = FALSE;

  if (pin == NULL || hash == NULL)
    return FALSE;
  data = g_new0 (struct crypt_data, 1);
  if (crypt_r (pin, hash, data) != NULL && data->output[0] != '*')
    {
      size_t a = strlen (data->output), b = strlen (hash);
      unsigned char diff = a != b;

      /* Constant time over the hash, so timing tells nothing. */
      for (size_t i = 0; i < MIN (a, b); i++)
        diff |= (unsigned char) (data->output[i] ^ hash[i]);
      matches = diff == 0;
    }
  explicit_bzero (data, sizeof *data);
  g_free (data);
  return matches;
}

static gboolean
check_name (const char *name, GError **error)
{
  if (name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 64 ||
      !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, FL_STAFF_ERROR, FL_STAFF_ERROR_BAD_NAME,
                           _("A staff member needs a name of 1 to 64 characters"));
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_staff_set:
 *
 * Adds a staff member, or gives an existing one a new PIN. The store
 * emits FlStore::staff-changed.
 */
gboolean
fl_staff_set (FlStore *store, const char *name, const char *pin, GError **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *now = fl_now_iso8601 ();
  g_autofree char *clean = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  clean = name ? g_strstrip (g_strdup (name)) : NULL;
  if (!check_name (clean, error) || (hash = fl_staff_hash_pin (pin, error)) == NULL)
    return FALSE;
  stmt = fl_store_prepare (store,
                           "INSERT INTO staff (name, pin_hash, created_at) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (name) DO UPDATE SET pin_hash = excluded.pin_hash",
                           error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, clean, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  if (!fl_store_add_audit (store, NULL, clean, "staff-pin-set", NULL, error))
    return FALSE;
  g_signal_emit_by_name (store, "staff-changed");
  return TRUE;
}

gboolean
fl_staff_remove (FlStore *store, const char *name, GError **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  stmt = fl_store_prepare (store, "DELETE FROM staff WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fl_store_set_error (store, error);
  if (sqlite3_changes (fl_store_get_db (store)) == 0)
    {
      g_set_error (error, FL_STORE_ERROR, FL_STORE_ERROR_NOT_FOUND,
                   _("There is no staff member “%s”"), name);
      return FALSE;
    }
  g_signal_emit_by_name (store, "staff-changed");
  return TRUE;
}

/**
 * fl_staff_list:
 *
 * Returns: (transfer full): the staff names, sorted
 */
/* A sort key that ignores case and accents, so "Änne" sorts with the A in
 * every locale, C.UTF-8 included. */
static char *
name_key (const char *name)
{
  g_autofree char *folded = g_utf8_casefold (name, -1);
  g_autofree char *decomposed = g_utf8_normalize (folded, -1, G_NORMALIZE_NFD);
  GString *key = g_string_new (NULL);

  for (const char *p = decomposed; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_type (c) != G_UNICODE_NON_SPACING_MARK)
        g_string_append_unichar (key, c);
    }
  return g_string_free (key, FALSE);
}

static int
compare_names (gconstpointer a, gconstpointer b)
{
  g_autofree char *key_a = name_key (*(const char **) a);
  g_autofree char *key_b = name_key (*(const char **) b);
  int result = strcmp (key_a, key_b);

  return result != 0 ? result : strcmp (*(const char **) a, *(const char **) b);
}

GStrv
fl_staff_list (FlStore *store, GError **error)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (FL_IS_STORE (store), NULL);

  stmt = fl_store_prepare (store, "SELECT name FROM staff", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_set_free_func (names, g_free);
      fl_store_set_error (store, error);
      return NULL;
    }
  /* By the user's locale, so "Änne" sorts with the A. */
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

/* A real hash of a PIN nobody knows, so that checking an unknown name
 * costs the same time as checking a wrong PIN. */
static const char *
dummy_hash (void)
{
  static gsize hash;

  if (g_once_init_enter (&hash))
    {
      g_autofree char *pin = g_strdup_printf ("%08d", g_random_int_range (0, 99999999));
      g_once_init_leave (&hash, (gsize) fl_staff_hash_pin (pin, NULL));
    }
  return (const char *) hash;
}

/**
 * fl_staff_verify:
 *
 * Returns: %TRUE when @name exists and @pin is theirs
 */
gboolean
fl_staff_verify (FlStore *store, const char *name, const char *pin, GError **error)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (FL_IS_STORE (store), FALSE);

  stmt = fl_store_prepare (store, "SELECT pin_hash FROM staff WHERE name = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    hash = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  /* An unknown name costs the same time as a wrong PIN. */
  if (!fl_staff_pin_matches (pin ? pin : "", hash ? hash : dummy_hash ()) || hash == NULL)
    {
      g_set_error_literal (error, FL_STAFF_ERROR, FL_STAFF_ERROR_WRONG_PIN,
                           _("Wrong name or PIN"));
      return FALSE;
    }
  return TRUE;
}

static void
fl_pin_guard_finalize (GObject *object)
{
  FlPinGuard *self = FL_PIN_GUARD (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (fl_pin_guard_parent_class)->finalize (object);
}

static void
fl_pin_guard_class_init (FlPinGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fl_pin_guard_finalize;
}

static void
fl_pin_guard_init (FlPinGuard *self)
{
}

FlPinGuard *
fl_pin_guard_new (FlStore *store)
{
  FlPinGuard *self = g_object_new (FL_TYPE_PIN_GUARD, NULL);

  self->store = g_object_ref (store);
  return self;
}

static gint64
meta_int (FlStore *store, const char *key)
{
  g_autofree char *text = fl_store_get_meta (store, key);
  gint64 value = 0;

  if (text == NULL || !g_ascii_string_to_signed (text, 10, 0, G_MAXINT64, &value, NULL))
    return 0;
  return value;
}

static void
load (FlPinGuard *self)
{
  self->failures = (guint) MIN (meta_int (self->store, META_FAILURES), G_MAXUINT);
  self->last_failure = meta_int (self->store, META_LAST_FAILURE);
}

/* Written as one transaction; when the database cannot be written the
 * state stays in memory for this run, which is the best left to do. */
static void
save (FlPinGuard *self)
{
  g_autofree char *failures = g_strdup_printf ("%u", self->failures);
  g_autofree char *last = g_strdup_printf ("%" G_GINT64_FORMAT, self->last_failure);
  g_autoptr(GError) error = NULL;

  if (!fl_store_begin (self->store, &error) ||
      !fl_store_set_meta (self->store, META_FAILURES, failures, &error) ||
      !fl_store_set_meta (self->store, META_LAST_FAILURE, last, &error) ||
      !fl_store_commit (self->store, &error))
    {
      fl_store_rollback (self->store);
      g_warning ("Cannot keep the PIN lock in the database: %s", error ? error->message : "?");
    }
}

static gint64
lock_length (guint failures)
{
  guint doublings;

  if (failures < FL_PIN_FREE_TRIES)
    return 0;
  doublings = MIN (failures - FL_PIN_FREE_TRIES, 10);
  return MIN (FIRST_WAIT_US << doublings, MAX_WAIT_US);
}

/* The wait at @now_us, from the stored state.
 *
 * Only wall-clock time survives a restart, and a wall clock can be set
 * back (by hand, by NTP, by a dead RTC battery) to unlock early. So time
 * never counts as running backwards: when @now_us is before the latest
 * wrong try, the lock counts from max(now, latest try), i.e. in full, and
 * the stored time of that try moves back to now so that the full wait
 * then runs down normally instead of lasting until the clock catches up.
 * Setting the clock back can thus only lengthen the wait, never end it. */
static gint64
current_wait (FlPinGuard *self, gint64 now_us)
{
  gint64 length;

  load (self);
  length = lock_length (self->failures);
  if (length == 0)
    return 0;
  if (now_us < self->last_failure)
    {
      self->last_failure = now_us;
      save (self);
    }
  return MAX (0, self->last_failure + length - now_us);
}

/**
 * fl_pin_guard_get_wait:
 * @now_us: wall-clock time, µs since the epoch (g_get_real_time())
 *
 * Returns: microseconds until the next try is allowed, 0 when it is now
 */
gint64
fl_pin_guard_get_wait (FlPinGuard *self, gint64 now_us)
{
  g_return_val_if_fail (FL_IS_PIN_GUARD (self), 0);
  return current_wait (self, now_us);
}

/**
 * fl_pin_guard_get_failures:
 *
 * Returns: the wrong tries since the last right PIN, over restarts
 */
guint
fl_pin_guard_get_failures (FlPinGuard *self)
{
  g_return_val_if_fail (FL_IS_PIN_GUARD (self), 0);
  load (self);
  return self->failures;
}

/**
 * fl_pin_guard_try:
 * @now_us: wall-clock time, µs since the epoch (g_get_real_time())
 *
 * Checks a PIN unless the guard makes the caller wait. Wrong tries are
 * audited; after FL_PIN_FREE_TRIES of them each wrong try locks for 30 s,
 * then 60 s, 120 s… up to an hour. A right PIN resets the count. The count
 * and the time of the latest wrong try are kept in the database, so that
 * killing and restarting the kiosk does not reset the lock.
 */
gboolean
fl_pin_guard_try (FlPinGuard *self, const char *name, const char *pin, gint64 now_us,
                  GError **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 wait;

  g_return_val_if_fail (FL_IS_PIN_GUARD (self), FALSE);

  wait = current_wait (self, now_us);
  if (wait > 0)
    {
      g_set_error (error, FL_STAFF_ERROR, FL_STAFF_ERROR_LOCKED,
                   g_dngettext (GETTEXT_PACKAGE, "Too many wrong PINs: try again in %d second",
                                "Too many wrong PINs: try again in %d seconds",
                                (gulong) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC)),
                   (int) ((wait + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
      return FALSE;
    }

  if (fl_staff_verify (self->store, name, pin, &local_error))
    {
      if (self->failures > 0)
        {
          self->failures = 0;
          self->last_failure = 0;
          save (self);
        }
      return TRUE;
    }

  /* current_wait() has just read the stored count. */
  self->failures++;
  self->last_failure = MAX (now_us, self->last_failure);
  save (self);
  fl_store_add_audit (self->store, NULL, name, "pin-refused", NULL, NULL);
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
