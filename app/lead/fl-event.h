/* fl-event.h: a trade show the kiosk captures leads at
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char     *uuid;
  char     *name;
  char     *starts_on;   /* YYYY-MM-DD or NULL */
  char     *ends_on;     /* YYYY-MM-DD or NULL */
  char     *venue;
  char     *booth;
  char     *created_at;
  gint64    model_id;    /* models.id of the scoring model in force, 0 for none */
  JsonNode *settings;    /* object: event settings other modules own, never NULL */
} FlEvent;

#define FL_TYPE_EVENT (fl_event_get_type ())

GType     fl_event_get_type   (void) G_GNUC_CONST;
FlEvent  *fl_event_new        (void);
FlEvent  *fl_event_copy       (const FlEvent *event);
void      fl_event_free       (FlEvent       *event);
JsonNode *fl_event_to_json    (const FlEvent *event);
gboolean  fl_event_check_date (const char    *date);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FlEvent, fl_event_free)

G_END_DECLS
