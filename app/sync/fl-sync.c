/* fl-sync.c: what the upload modules share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "fl-sync"

#include "config.h"

#include "fl-sync.h"

G_DEFINE_QUARK (fl-sync-error-quark, fl_sync_error)

/* Wall-clock time in microseconds since the epoch: outbox times are shared
 * between processes and survive restarts, so no monotonic clock will do. */
gint64
fl_sync_now (void)
{
  return g_get_real_time ();
}

/**
 * fl_sync_time_to_iso:
 *
 * Returns: @usec in the database's one timestamp format
 *   (`2026-05-04T09:30:00.125Z`), so that times compare as text.
 */
char *
fl_sync_time_to_iso (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  g_autofree char *base = NULL;

  if (time == NULL)
    return NULL;
  base = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) ((usec % G_USEC_PER_SEC) / 1000));
}

/**
 * fl_sync_time_from_iso:
 *
 * Returns: microseconds since the epoch, or 0 when @iso is %NULL or not a time
 */
gint64
fl_sync_time_from_iso (const char *iso)
{
  g_autoptr(GTimeZone) utc = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (iso == NULL)
    return 0;
  utc = g_time_zone_new_utc ();
  time = g_date_time_new_from_iso8601 (iso, utc);
  if (time == NULL)
    return 0;
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}
