#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Runs one GUI test case, and runs it once more when, and only when, it died
# on GDK 4.8's own X error-trap assertion (gdkdisplay-x11.c,
# "trap->end_sequence == 0"). That assertion fires now and then when several
# test windows share one Xvfb on a loaded machine; it is GTK's, not a
# behaviour of Fairlead. Every other failure stands as it is.
#
#   tests/gui/retry-gdk-trap.sh TEST-BINARY ARGS…
set -u

out=$(mktemp)
err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT

rc=0
for attempt in 1 2; do
  "$@" >"$out" 2>"$err"
  rc=$?
  if ((rc != 0 && attempt == 1)) && grep -q 'gdk_x11_display_error_trap_pop_internal' "$err"; then
    cat "$err" >&2
    echo "retry-gdk-trap.sh: GDK's X error-trap assertion; running the case once more" >&2
    continue
  fi
  break
done
cat "$out"
cat "$err" >&2
exit "$rc"
