#!/bin/sh
# The UI and the CLI speak to the core, never to SQL (issue 19): no
# SQLite, no statement, no private header of a core module in ui/ or
# app/cli/. The build refuses most of it already (fl-store.h declares no
# SQL, the private headers need FL_CORE_COMPILATION); <sqlite3.h> itself
# sits in the system's include path, so this catches it.
#
# SPDX-License-Identifier: GPL-3.0-or-later
set -eu
top=${1:-$(dirname "$0")/..}
hits=$(grep -nE 'sqlite3|fl_store_(prepare|exec|get_db|bind_text|step_done|set_error)|FL_STORE_SQL_|#include "(store|score|sync)/[a-z-]*-private\.h"' \
  "$top"/ui/*.c "$top"/ui/*.h "$top"/app/cli/*.c "$top"/app/cli/*.h || true)
if [ -n "$hits" ]; then
  echo "SQL or a core module's private API outside the core — add a core function instead:" >&2
  echo "$hits" >&2
  exit 1
fi
echo "ui/ and app/cli/ hold no SQL"
