/* fl-test.h: what the tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "lead/fl-lead.h"
#include "store/fl-store-private.h"
#include "sync/fl-outbox.h"

G_BEGIN_DECLS

/* A real store in a fresh temporary folder, with its active event: what
 * most tests start from. Use it with g_test_add() and
 * fl_test_fixture_setup() / fl_test_fixture_teardown(), or embed it as the
 * first member of a test's own fixture and call fl_test_fixture_open() /
 * fl_test_fixture_close() from that fixture's own set-up and tear-down. */
typedef struct
{
  char    *dir;      /* removed with everything in it on tear-down */
  char    *db_path;  /* the database file in @dir */
  FlStore *store;    /* must have no other reference left on tear-down */
  FlEvent *event;    /* the active event as stored (uuid set), or NULL */
} FlTestFixture;

void   fl_test_fixture_open     (FlTestFixture *fixture,
                                 const char    *db_name,
                                 const FlEvent *event);
void   fl_test_fixture_close    (FlTestFixture *fixture);
void   fl_test_fixture_setup    (FlTestFixture *fixture,
                                 gconstpointer  data);
void   fl_test_fixture_teardown (FlTestFixture *fixture,
                                 gconstpointer  data);

/* The upload tests' fixture: an event "Hannover Messe" at booth B12, its
 * outbox, and the uuids of the leads a test saves. */
typedef struct
{
  FlTestFixture base;
  FlOutbox     *outbox;
  GPtrArray    *uuids;
} FlTestOutboxFixture;

void   fl_test_outbox_fixture_setup    (FlTestOutboxFixture *fixture,
                                        gconstpointer        data);
void   fl_test_outbox_fixture_teardown (FlTestOutboxFixture *fixture,
                                        gconstpointer        data);
void   fl_test_make_booth              (FlStore             *store);
void   fl_test_give_consent            (FlLead              *lead,
                                        gboolean             given);

void   fl_test_remove_tree (const char *path);
gint64 fl_test_query_int   (FlStore    *store,
                            const char *sql);
void   fl_test_shift_times (FlStore    *store,
                            int         days);
void   fl_test_damage_tree (const char *db_path,
                            const char *name);

G_END_DECLS
