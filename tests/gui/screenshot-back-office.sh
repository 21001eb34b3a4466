#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes the screenshots of the back office (PIN lock, leads, lead detail,
# dashboard, settings) from the real widgets under Xvfb: the GUI test
# test-back-office saves a picture of each page it drives.
#
#   tests/gui/screenshot-back-office.sh [BUILDDIR [OUTDIR]]
#
# BUILDDIR defaults to build/, OUTDIR to data/screenshots/. Needs xvfb-run.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-$srcdir/build}" && pwd)
outdir=${2:-$srcdir/data/screenshots}

if [[ -z ${DISPLAY:-} ]]; then
  if ! command -v xvfb-run >/dev/null; then
    echo "screenshot-back-office.sh: xvfb-run is missing; install it to take screenshots" >&2
    exit "${FAIRLEAD_MISSING_EXIT:-69}"
  fi
  exec xvfb-run -a -s "-screen 0 1024x600x24 -noreset" "$0" "$builddir" "$outdir"
fi
# The smallest common kiosk screen (issue 18).
export FAIRLEAD_SCREENSHOT_SIZE=1024x600

mkdir -p "$outdir"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# The schema as the sources have it now, whatever the build compiled last.
glib-compile-schemas --strict --targetdir="$tmp" "$srcdir/data"
export GSETTINGS_SCHEMA_DIR="$tmp"
export GSETTINGS_BACKEND=memory
export FAIRLEAD_DATADIR="$srcdir/data"
export FAIRLEAD_SCREENSHOT_DIR="$outdir/back-office"
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
# Weekday and month names come from the C library's locale, not from
# LANGUAGE: German shots need de_DE.UTF-8 where it is installed (CI has
# only C.UTF-8, and then names them in English).
if [[ -z ${LC_ALL:-} ]]; then
  if [[ ${LANGUAGE:-} == de* ]] && locale -a 2>/dev/null | grep -qix 'de_DE\.utf-\?8'; then
    export LC_ALL=de_DE.UTF-8
  else
    [[ ${LANGUAGE:-} == de* ]] && echo "$(basename "$0"): no de_DE.UTF-8 locale; weekdays and months stay English" >&2
    export LC_ALL=C.UTF-8
  fi
fi

"$builddir/tests/gui/test-back-office" >/dev/null
ls "$FAIRLEAD_SCREENSHOT_DIR"/*.png
