#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Screenshots of every page and dialog on small screens, for a person to
# look at: tests/gui/test-fit.c on an Xvfb screen of 1024×600 and of
# 800×480, saving each page as the widget draws it and the whole screen
# as ImageMagick's import grabs it.
#
#   tests/gui/screenshot-fit.sh [BUILDDIR [OUTDIR [LANGUAGE]]]
#
# BUILDDIR defaults to build/, OUTDIR to build/tests/gui/screenshots-fit,
# LANGUAGE to de (the longer words). Needs xvfb-run and import.
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-$srcdir/build}" && pwd)
outdir=${2:-$builddir/tests/gui/screenshots-fit}
language=${3:-de}

for tool in xvfb-run import; do
  command -v "$tool" >/dev/null || { echo "screenshot-fit.sh: $tool is missing" >&2; exit 69; }
done
mkdir -p "$outdir"
export GSETTINGS_SCHEMA_DIR="$builddir/data"
export GSETTINGS_BACKEND=memory
export FAIRLEAD_DATADIR="$srcdir/data"
export FAIRLEAD_VISITOR_LOCALEDIR="$builddir/po-visitor"
export GDK_BACKEND=x11
export GSK_RENDERER=cairo
export GTK_A11Y=none
export NO_AT_BRIDGE=1
export DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent
export LANGUAGE="$language"
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
export FAIRLEAD_SCREENSHOT_ROOT=1

for size in 1024x600 800x480; do
  FAIRLEAD_SCREENSHOT_DIR="$outdir/$size" xvfb-run -a -s "-screen 0 ${size}x24 -noreset" \
    "$builddir/tests/gui/test-fit" -p "/gui/fit/$size" >/dev/null
  ls "$outdir/$size"/screen-*.png
done
