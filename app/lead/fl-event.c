/* fl-event.c: a trade show the kiosk captures leads at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-event"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fl-event.h"
#include "fl-lead.h"

G_DEFINE_BOXED_TYPE (FlEvent, fl_event, fl_event_copy, fl_event_free)

FlEvent *
fl_event_new (void)
{
  FlEvent *event = g_new0 (FlEvent, 1);

  event->settings = fl_json_new_object ();
  return event;
}

FlEvent *
fl_event_copy (const FlEvent *event)
{
  FlEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_new0 (FlEvent, 1);
  copy->uuid = g_strdup (event->uuid);
  copy->name = g_strdup (event->name);
  copy->starts_on = g_strdup (event->starts_on);
  copy->ends_on = g_strdup (event->ends_on);
  copy->venue = g_strdup (event->venue);
  copy->booth = g_strdup (event->booth);
  copy->created_at = g_strdup (event->created_at);
  copy->model_id = event->model_id;
  copy->settings = json_node_copy (event->settings);
  return copy;
}

void
fl_event_free (FlEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->uuid);
  g_free (event->name);
  g_free (event->starts_on);
  g_free (event->ends_on);
  g_free (event->venue);
  g_free (event->booth);
  g_free (event->created_at);
  g_clear_pointer (&event->settings, json_node_unref);
  g_free (event);
}

JsonNode *
fl_event_to_json (const FlEvent *event)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (event != NULL, NULL);

  json_builder_begin_object (builder);
#define MEMBER(key, value)                                                                         \
  json_builder_set_member_name (builder, key);                                                     \
  if (value)                                                                                       \
    json_builder_add_string_value (builder, value);                                                \
  else                                                                                             \
    json_builder_add_null_value (builder);
  MEMBER ("uuid", event->uuid)
  MEMBER ("name", event->name)
  MEMBER ("starts_on", event->starts_on)
  MEMBER ("ends_on", event->ends_on)
  MEMBER ("venue", event->venue)
  MEMBER ("booth", event->booth)
  MEMBER ("created_at", event->created_at)
#undef MEMBER
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* TRUE for a real calendar date written YYYY-MM-DD. */
gboolean
fl_event_check_date (const char *date)
{
  unsigned year, month, day;
  char tail;

  if (date == NULL || sscanf (date, "%4u-%2u-%2u%c", &year, &month, &day, &tail) != 3)
    return FALSE;
  if (strlen (date) != 10)
    return FALSE;
  return g_date_valid_dmy (day, month, year);
}
