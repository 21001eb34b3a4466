#!/usr/bin/env bash
# Cold start of the kiosk: process start to the first frame of the scan
# page, on a database with an event, its model and N leads. Prints figures;
# not a pass/fail test. Budget (DESIGN.md): under 500 ms.
#
#   tests/bench/bench-kiosk.sh [BUILD_DIR] [RUNS]
set -euo pipefail
build=${1:-build}
runs=${2:-10}
if [[ -z "${FAIRLEAD_OWN_XVFB:-}" ]]; then
  FAIRLEAD_OWN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24" "$0" "$@"
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME="$work/data" GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory \
       GSK_RENDERER=cairo GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
       DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent FAIRLEAD_BENCH_STARTUP=exit

# The demo database is seeded on first use; that run is not counted.
"$build/ui/fairlead" --demo 2>/dev/null || true
times=()
for _ in $(seq "$runs"); do
  line=$("$build/ui/fairlead" --demo 2>&1 | grep '^startup:' || true)
  times+=("$(echo "$line" | awk '{print $2}')")
  page=$(echo "$line" | awk '{print $NF}')
done
printf '%s\n' "${times[@]}" | sort -n | awk -v runs="$runs" -v page="$page" '
  { t[NR] = $1 }
  END { printf "kiosk cold start to the first frame of the %s page, %d runs: median %.0f ms, min %.0f ms, max %.0f ms (budget 500 ms)\n",
        page, runs, t[int((NR + 1) / 2)], t[1], t[NR] }'
