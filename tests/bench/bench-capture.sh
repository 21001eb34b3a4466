#!/usr/bin/env bash
# A full capture at the kiosk in touches and seconds: a badge scanner types
# a vCard (xdotool, 2 ms a key), then xdotool taps three answers, an
# interaction, the consent and Done, each an X click at the widget's
# centre; a widget below the visible page costs one swipe (mouse wheel).
# Prints the figures; not a pass/fail test.
#
#   tests/bench/bench-capture.sh [BUILD_DIR] [RUNS] [WIDTHxHEIGHT]
set -euo pipefail
build=${1:-build}
runs=${2:-5}
size=${3:-1024x600}
for tool in xvfb-run xdotool; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit 77; }
done
if [[ -z "${FAIRLEAD_OWN_XVFB:-}" ]]; then
  FAIRLEAD_OWN_XVFB=1 exec xvfb-run -a -s "-screen 0 ${size}x24 -noreset" "$0" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config" GSETTINGS_SCHEMA_DIR="$build/data" \
       GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
       DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent FAIRLEAD_BENCH_DIR="$work" \
       FAIRLEAD_VISITOR_LOCALEDIR="$build/po-visitor"
"$build/tests/bench/bench-capture" "$runs" "$size"
