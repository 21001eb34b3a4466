/* fl-fuzz.h: what the fuzz harnesses share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <stdlib.h>

/* A critical is a bug the fuzzer must report, not a message to skip. It
 * aborts, because libFuzzer keeps the input that caused a SIGABRT (a
 * G_BREAKPOINT trap is not caught and the input would be lost). */
static inline GLogWriterOutput
fl_fuzz_abort_on_critical (GLogLevelFlags level, const GLogField *fields, gsize n_fields, gpointer data)
{
  g_log_writer_standard_streams (level, fields, n_fields, data);
  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    abort ();
  return G_LOG_WRITER_HANDLED;
}
