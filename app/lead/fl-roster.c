/* fl-roster.c: the columns of an attendee list, mapped to contact fields
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-roster"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fl-alias.h"
#include "fl-payload.h"
#include "fl-limits.h"
#include "fl-roster.h"
#include "fl-text.h"

/* A badge id longer than this is a broken row, not an id. */
#define MAX_BADGE_ID 256

typedef enum
{
  TARGET_EXTRA,     /* kept in the attendee's "extra" object under its header */
  TARGET_IGNORE,
  TARGET_FIELD,
  TARGET_BADGE_ID,
} Target;

typedef struct
{
  char    *header;
  Target   target;
  FlField  field;
} Column;

struct _FlRosterMapping
{
  GArray *columns;   /* Column */
  guint   badge_column;
};

G_DEFINE_QUARK (fl-roster-error-quark, fl_roster_error)

static void
column_clear (gpointer data)
{
  Column *column = data;
  g_free (column->header);
}

static Column *
column_at (FlRosterMapping *self, guint i)
{
  return &g_array_index (self->columns, Column, i);
}

/* Finds a column by its header as written, else ignoring case, accents
 * and punctuation. */
static int
find_column (FlRosterMapping *self, const char *name)
{
  g_autofree char *normal = fl_text_normalize (name);

  for (guint i = 0; i < self->columns->len; i++)
    if (strcmp (column_at (self, i)->header, name) == 0)
      return (int) i;
  for (guint i = 0; i < self->columns->len; i++)
    {
      g_autofree char *other = fl_text_normalize (column_at (self, i)->header);
      if (strcmp (normal, other) == 0)
        return (int) i;
    }
  return -1;
}

static gboolean
apply_override (FlRosterMapping *self, const char *override, GError **error)
{
  const char *eq = strrchr (override, '=');
  g_autofree char *name = NULL;
  g_autofree char *target = NULL;
  Column *column;
  FlField field;
  int index;

  if (eq == NULL || eq == override)
    {
      g_set_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_BAD_MAP,
                   _("“%s” is not COLUMN=FIELD (for example --map \"Kunden-Nr=badge_id\")"),
                   override);
      return FALSE;
    }
  name = g_strstrip (g_strndup (override, eq - override));
  target = g_strstrip (g_strdup (eq + 1));
  index = find_column (self, name);
  if (index < 0)
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < self->columns->len; i++)
        g_string_append_printf (list, "%s“%s”", i ? ", " : "", column_at (self, i)->header);
      g_set_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_BAD_MAP,
                   _("The file has no column “%s”; its columns are %s"), name, list->str);
      return FALSE;
    }
  column = column_at (self, index);
  if (target[0] == '\0' || strcmp (target, "-") == 0 || strcmp (target, "ignore") == 0)
    column->target = TARGET_IGNORE;
  else if (strcmp (target, "extra") == 0)
    column->target = TARGET_EXTRA;
  else if (strcmp (target, "badge_id") == 0)
    column->target = TARGET_BADGE_ID;
  else if (fl_field_from_string (target, &field))
    {
      column->target = TARGET_FIELD;
      column->field = field;
    }
  else
    {
      g_autoptr(GString) list = g_string_new (NULL);

      for (guint i = 0; i < FL_N_FIELDS; i++)
        g_string_append_printf (list, "%s, ", fl_field_to_string (i));
      g_set_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_BAD_MAP,
                   _("Unknown field “%s” in --map %s; use one of %sbadge_id, extra or ignore"),
                   target, override, list->str);
      return FALSE;
    }
  return TRUE;
}

/**
 * fl_roster_mapping_new:
 * @header: (element-type utf8): the column headers
 * @overrides: (nullable) (array zero-terminated=1): "COLUMN=FIELD" pairs
 *   that stand over the automatic mapping; FIELD is a person field name,
 *   "badge_id", "extra" or "ignore"
 *
 * Maps headers in English and German to person fields. Columns that map
 * to nothing are kept in the attendee's "extra" object.
 */
FlRosterMapping *
fl_roster_mapping_new (GPtrArray *header, const char *const *overrides, GError **error)
{
  g_autoptr(FlRosterMapping) self = g_new0 (FlRosterMapping, 1);
  int first_name = -1, last_name = -1, bare_name = -1;
  int badge = -1;

  g_return_val_if_fail (header != NULL, NULL);

  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  for (guint i = 0; i < header->len; i++)
    {
      Column column = { 0 };
      FlAliasKind kind;

      column.header = g_strstrip (g_strdup (g_ptr_array_index (header, i)));
      kind = fl_alias_lookup (column.header, &column.field);
      if (kind == FL_ALIAS_FIELD)
        column.target = TARGET_FIELD;
      else if (kind == FL_ALIAS_BADGE_ID)
        column.target = TARGET_BADGE_ID;
      else
        column.target = column.header[0] == '\0' ? TARGET_IGNORE : TARGET_EXTRA;
      g_array_append_val (self->columns, column);
    }

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *column = column_at (self, i);
      g_autofree char *normal = fl_text_normalize (column->header);

      if (column->target == TARGET_FIELD && column->field == FL_FIELD_FIRST_NAME && first_name < 0)
        first_name = (int) i;
      else if (column->target == TARGET_FIELD && column->field == FL_FIELD_LAST_NAME && last_name < 0)
        last_name = (int) i;
      else if (column->target == TARGET_FIELD && column->field == FL_FIELD_FULL_NAME &&
               strcmp (normal, "name") == 0)
        bare_name = (int) i;
    }
  /* German lists write “Vorname” and “Name”: there “Name” is the last name. */
  if (first_name >= 0 && last_name < 0 && bare_name >= 0)
    column_at (self, bare_name)->field = FL_FIELD_LAST_NAME;

  /* Several id-like columns (“ID”, “Ticket”): the most specific one holds
   * the badge id, the others are kept as extra. */
  for (guint i = 0; i < self->columns->len; i++)
    if (column_at (self, i)->target == TARGET_BADGE_ID)
      {
        g_autofree char *normal = fl_text_normalize (column_at (self, i)->header);
        if (badge < 0 || strcmp (normal, "id") != 0)
          {
            if (badge >= 0)
              column_at (self, badge)->target = TARGET_EXTRA;
            badge = (int) i;
          }
        else
          column_at (self, i)->target = TARGET_EXTRA;
      }

  for (guint i = 0; overrides != NULL && overrides[i] != NULL; i++)
    if (!apply_override (self, overrides[i], error))
      return NULL;

  badge = -1;
  for (guint i = 0; i < self->columns->len; i++)
    if (column_at (self, i)->target == TARGET_BADGE_ID)
      {
        if (badge >= 0)
          {
            g_set_error (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_NO_BADGE_COLUMN,
                         _("Both “%s” and “%s” are mapped to the badge id; map one of them "
                           "to something else with --map"),
                         column_at (self, badge)->header, column_at (self, i)->header);
            return NULL;
          }
        badge = (int) i;
      }
  if (badge < 0)
    {
      g_set_error_literal (error, FL_ROSTER_ERROR, FL_ROSTER_ERROR_NO_BADGE_COLUMN,
                           _("No column of the file holds the badge id (such as “Badge-ID”, "
                             "“Ticket” or “Barcode”); name it with --map COLUMN=badge_id"));
      return NULL;
    }
  self->badge_column = (guint) badge;
  return g_steal_pointer (&self);
}

guint
fl_roster_mapping_get_n_columns (FlRosterMapping *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->columns->len;
}

/**
 * fl_roster_mapping_get_target:
 *
 * Returns: what a column is read as: a person field name, "badge_id",
 *   "extra" or "ignore"
 */
const char *
fl_roster_mapping_get_target (FlRosterMapping *self, guint i)
{
  Column *column;

  g_return_val_if_fail (self != NULL && i < self->columns->len, NULL);

  column = column_at (self, i);
  switch (column->target)
    {
    case TARGET_FIELD:
      return fl_field_to_string (column->field);
    case TARGET_BADGE_ID:
      return "badge_id";
    case TARGET_IGNORE:
      return "ignore";
    case TARGET_EXTRA:
    default:
      return "extra";
    }
}

/**
 * fl_roster_mapping_apply:
 * @values: (element-type utf8): one record
 * @extra: (out) (transfer full) (nullable): the values of unmapped columns
 *   and of values that could not be used (an invalid email), by header;
 *   %NULL when there are none
 * @reason: (out) (transfer full) (nullable): why the row was skipped
 *
 * Returns: (transfer full) (nullable): the attendee as a lead carrying a
 *   badge id and person fields; %NULL with @reason when the row is skipped
 */
FlLead *
fl_roster_mapping_apply (FlRosterMapping *self, GPtrArray *values, JsonObject **extra,
                         char **reason)
{
  g_autoptr(FlLead) lead = NULL;
  g_autoptr(JsonObject) others = NULL;
  g_autofree char *badge = NULL;

  g_return_val_if_fail (self != NULL && values != NULL, NULL);

  *extra = NULL;
  *reason = NULL;
  for (guint i = self->columns->len; i < values->len; i++)
    {
      const char *value = g_ptr_array_index (values, i);
      if (value[0] != '\0' && strspn (value, " \t") != strlen (value))
        {
          *reason = g_strdup_printf (_("the row has %u values but the header only %u columns; "
                                       "a delimiter or a quote in it is probably wrong"),
                                     values->len, self->columns->len);
          return NULL;
        }
    }

  if (self->badge_column < values->len)
    badge = fl_text_one_line (g_ptr_array_index (values, self->badge_column));
  if (badge == NULL)
    {
      *reason = g_strdup_printf (_("no badge id in column “%s”"),
                                 column_at (self, self->badge_column)->header);
      return NULL;
    }
  if (strlen (badge) > MAX_BADGE_ID)
    {
      *reason = g_strdup_printf (_("the badge id is %u characters long; at most %d are allowed"),
                                 (guint) strlen (badge), MAX_BADGE_ID);
      return NULL;
    }

  lead = fl_lead_new ();
  fl_lead_set_badge_id (lead, badge);
  others = json_object_new ();
  for (guint i = 0; i < self->columns->len && i < values->len; i++)
    {
      Column *column = column_at (self, i);
      const char *value = g_ptr_array_index (values, i);
      g_autofree char *line = NULL;

      if (column->target == TARGET_IGNORE || column->target == TARGET_BADGE_ID)
        continue;
      if (column->target == TARGET_EXTRA)
        {
          g_autofree char *text = g_strstrip (g_strdup (value));
          if (text[0] != '\0' && !json_object_has_member (others, column->header))
            json_object_set_string_member (others, column->header, text);
          continue;
        }
      if (column->field == FL_FIELD_EMAIL)
        line = fl_text_clean_email (value);
      else
        line = fl_text_one_line (value);
      if (line == NULL || fl_lead_get_field (lead, column->field) != NULL)
        continue;
      /* A lead that took this value over from the roster could not be saved. */
      if (strlen (line) > FL_LIMIT_FIELD)
        {
          *reason = g_strdup_printf (_("“%s” is %lu bytes; the limit is %lu — shorten it"),
                                     column->header, (unsigned long) strlen (line),
                                     (unsigned long) FL_LIMIT_FIELD);
          return NULL;
        }
      if (column->field == FL_FIELD_EMAIL && !fl_text_is_email (line))
        {
          json_object_set_string_member (others, column->header, line);
          continue;
        }
      fl_lead_set_field (lead, column->field, line);
    }

  fl_payload_complete_names (lead);

  if (json_object_get_size (others) > 0)
    *extra = g_steal_pointer (&others);
  return g_steal_pointer (&lead);
}

void
fl_roster_mapping_free (FlRosterMapping *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->columns, g_array_unref);
  g_free (self);
}
