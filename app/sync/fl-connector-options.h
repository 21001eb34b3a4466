/* fl-connector-options.h: the options each connector type reads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FL_OPTION_TEXT,    /* any text: an id, a name, a URL, a path */
  FL_OPTION_NUMBER,  /* a whole number */
  FL_OPTION_SWITCH,  /* on ("true") or off (not set) */
} FlOptionKind;

/* One option of a connector type, as a settings dialog offers it. */
typedef struct
{
  const char   *key;       /* the key in the options JSON: "client_id" */
  const char   *label;     /* its name for people; translate with _() */
  FlOptionKind  kind;
  gboolean      required;  /* the connector refuses to start without it */
  const char   *initial;   /* (nullable) filled in for a new connector */
} FlConnectorOption;

const FlConnectorOption *fl_connector_type_get_options (const char *type,
                                                        guint      *n_options);

G_END_DECLS
