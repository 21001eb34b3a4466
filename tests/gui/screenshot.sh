#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Takes the screenshots of data/screenshots/ from the real kiosk under Xvfb.
#
#   tests/gui/screenshot.sh [BUILDDIR [OUTDIR]]
#
# BUILDDIR defaults to build/, OUTDIR to data/screenshots/. Needs xvfb-run,
# xdotool and ImageMagick's import. Set LANGUAGE=de for German ones (with
# de_DE.UTF-8 for the dates when `locale -a` has it).
set -euo pipefail

srcdir=$(cd "$(dirname "$0")/../.." && pwd)
builddir=$(cd "${1:-$srcdir/build}" && pwd)
outdir=${2:-$srcdir/data/screenshots}
# The smallest common kiosk screen (issue 18); the GUI tests size the
# window to it through FAIRLEAD_SCREENSHOT_SIZE.
width=1024
height=600
export FAIRLEAD_SCREENSHOT_SIZE="${width}x${height}"

# 69 is EX_UNAVAILABLE; meson counts 77 as a skipped test.
missing() {
  echo "screenshot.sh: $1 is missing; install it to take screenshots" >&2
  exit "${FAIRLEAD_MISSING_EXIT:-69}"
}

if [[ -z ${DISPLAY:-} ]]; then
  command -v xvfb-run >/dev/null || missing xvfb-run
  exec xvfb-run -a -s "-screen 0 ${width}x${height}x24 -noreset" "$0" "$builddir" "$outdir"
fi

for tool in xdotool import identify; do
  command -v "$tool" >/dev/null || missing "$tool"
done

tmp=$(mktemp -d)
pid=
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$outdir"
export GSETTINGS_SCHEMA_DIR="$builddir/data"
export GSETTINGS_BACKEND=memory
export FAIRLEAD_DATADIR="$srcdir/data"
export FAIRLEAD_VISITOR_LOCALEDIR="$builddir/po-visitor"
export FAIRLEAD_DEMO_DB="$tmp/demo.db"
export FAIRLEAD_DB="$tmp/fairlead.db"
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

# grab NAME: saves the screen as NAME.png and fails on a blank picture.
grab() {
  local name=$1 spread
  import -window root "$outdir/$name.png"
  spread=$(identify -format '%[fx:standard_deviation]' "$outdir/$name.png")
  if awk -v s="$spread" 'BEGIN { exit !(s < 0.02) }'; then
    echo "screenshot.sh: $outdir/$name.png is blank (standard deviation $spread)" >&2
    exit 1
  fi
  echo "$outdir/$name.png"
}

# The booth flow: the GUI test drives the real kiosk (a vCard scanned as a
# keyboard-wedge burst, answers tapped, Done) and renders each page.
booth_flow() {
  # One process per case: libadwaita 1.2 can crash when a second window of
  # the same process follows one torn down mid-animation.
  FAIRLEAD_SCREENSHOT_DIR="$outdir" G_DEBUG= "$builddir/tests/gui/test-kiosk" \
    -p /gui/kiosk/wedge-vcard >/dev/null
  FAIRLEAD_SCREENSHOT_DIR="$outdir" G_DEBUG= "$builddir/tests/gui/test-kiosk" \
    -p /gui/kiosk/answers-done >/dev/null
  for name in scan-page lead-page thanks-page; do
    echo "$outdir/$name.png"
  done
  # A business card read by OCR from the camera: the photo beside the form.
  FAIRLEAD_SCREENSHOT_DIR="$outdir" G_DEBUG= "$builddir/tests/gui/test-kiosk" \
    -p /gui/kiosk/business-card >/dev/null
  for name in lead-page-card scan-page-reading-card; do
    echo "$outdir/$name.png"
  done
}

# shoot NAME [ARGS...]: starts the kiosk with ARGS and saves NAME.png
shoot() {
  local name=$1
  shift
  "$builddir/ui/fairlead" "$@" &
  pid=$!
  # xdotool can fail to connect at once on a busy X server: try again.
  local tries=0
  until timeout 20 xdotool search --sync --onlyvisible --pid "$pid" >/dev/null; do
    tries=$((tries + 1))
    if ((tries >= 3)) || ! kill -0 "$pid" 2>/dev/null; then
      echo "screenshot.sh: the kiosk showed no window for $name" >&2
      exit 1
    fi
    sleep 1
  done
  # Let the first frames and the crossfade of the page stack finish.
  sleep 1.5
  import -window root "$outdir/$name.png"
  # A blank picture means the kiosk drew nothing: a failure, not a screenshot.
  local spread
  spread=$(identify -format '%[fx:standard_deviation]' "$outdir/$name.png")
  if awk -v s="$spread" 'BEGIN { exit !(s < 0.02) }'; then
    echo "screenshot.sh: $outdir/$name.png is blank (standard deviation $spread)" >&2
    exit 1
  fi
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  pid=
  echo "$outdir/$name.png"
}

booth_flow
# FAIRLEAD_DB is the default database, so the command shown needs no --db.
shoot no-event
printf 'Not a database, just notes.\n' >"$tmp/notes.db"
shoot error-page --db "$tmp/notes.db"
