#!/usr/bin/env bash
# A badge scanner is a keyboard: type a vCard into the running kiosk with
# real X key events (xdotool, 2 ms a key, newlines as the scanner sends
# them) and check that exactly one lead, with the right name, was captured.
#
#   tests/gui/wedge-xdotool.sh BUILD_DIR
set -euo pipefail
build=$1
missing=${FAIRLEAD_MISSING_EXIT:-77}
for tool in xvfb-run xdotool setxkbmap; do
  command -v "$tool" >/dev/null || { echo "skipped: $tool is not installed"; exit "$missing"; }
done

work=$(mktemp -d)
trap '[[ -n "${pid:-}" ]] && kill "$pid" 2>/dev/null; rm -rf "$work"' EXIT

# Waits (up to 20 s, the machine may be busy) until SQL on the demo
# database answers at least COUNT.
wait_for() {
  local sql=$1 count=$2 n=0
  for _ in $(seq 100); do
    n=$(sqlite3 "$work/data/fairlead/demo.db" "$sql" 2>>"$work/sqlite.err" || echo 0)
    [[ "$n" -ge "$count" ]] && return 0
    sleep 0.2
  done
  echo "timed out waiting for $count from: $sql (have $n)"
  if kill -0 "$pid" 2>/dev/null; then echo "the kiosk still runs"; else wait "$pid"; echo "the kiosk ended with status $?"; fi
  echo "--- the kiosk said:"; cat "$work/kiosk.log"; echo "--- sqlite3 said:"; sort -u "$work/sqlite.err" 2>/dev/null | head -3
  return 1
}

run() {
  export XDG_DATA_HOME="$work/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo GDK_BACKEND=x11 \
         GTK_A11Y=none DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent NO_AT_BRIDGE=1
  "$build/ui/fairlead" --demo >"$work/kiosk.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    wid=$(xdotool search --onlyvisible --name "Automatica" 2>/dev/null | head -1 || true)
    [[ -n "$wid" ]] && break
    sleep 0.2
  done
  [[ -n "$wid" ]] || { echo "the kiosk window did not appear"; cat "$work/kiosk.log"; exit 1; }
  xdotool windowfocus --sync "$wid"
  sleep 0.5
  printf 'BEGIN:VCARD\nVERSION:3.0\nN:Brenner;Klaus\nORG:Brenner Antriebstechnik GmbH\nEMAIL:k.brenner@brenner-antriebe.de\nEND:VCARD\n' >"$work/vcard.txt"
  kill -0 "$pid" 2>/dev/null || { echo "the kiosk quit before the scan"; cat "$work/kiosk.log"; exit 1; }
  xdotool type --delay 2 --file "$work/vcard.txt"
  wait_for "SELECT count(*) FROM leads WHERE email = 'k.brenner@brenner-antriebe.de'" 1
  # The same badge again: a repeat visit, not a second lead.
  xdotool type --delay 2 --file "$work/vcard.txt"
  wait_for "SELECT count(*) FROM interactions i JOIN leads l ON l.id = i.lead_id
            WHERE l.email = 'k.brenner@brenner-antriebe.de' AND i.kind = 'repeat-visit'" 1
  # A German booth: the kiosk's keyboard layout is German, and the scanner
  # types umlauts and ß as the keys of that layout.
  setxkbmap de
  sleep 0.5
  printf 'BEGIN:VCARD\nVERSION:3.0\nN:Müller;Jürgen\nORG:Weiß Fördertechnik GmbH\nEMAIL:j.mueller@weiss-foerdertechnik.de\nEND:VCARD\n' >"$work/vcard-de.txt"
  xdotool windowfocus --sync "$wid"
  xdotool type --delay 2 --file "$work/vcard-de.txt"
  wait_for "SELECT count(*) FROM leads WHERE email = 'j.mueller@weiss-foerdertechnik.de'" 1
  kill "$pid"; wait "$pid" 2>/dev/null || true
  pid=

  "$build/app/cli/fairlead-cli" --demo leads list --json >"$work/leads.json"
  python3 - "$work/leads.json" <<'PY'
import json, sys
leads = json.load(open(sys.argv[1]))
new = [l for l in leads if l["created_at"] >= "2026-07"]
names = [l.get("full_name") for l in new]
assert len(new) == 2, f"expected two new leads, got {len(new)}: {names}"
german = [l for l in new if l["email"] == "j.mueller@weiss-foerdertechnik.de"][0]
assert german["full_name"] == "Jürgen Müller", german["full_name"]
assert german["company"] == "Weiß Fördertechnik GmbH", german["company"]
lead = [l for l in new if l["email"] == "k.brenner@brenner-antriebe.de"][0]
assert lead["full_name"] == "Klaus Brenner", names
assert lead["email"] == "k.brenner@brenner-antriebe.de", lead["email"]
assert lead["company"] == "Brenner Antriebstechnik GmbH", lead["company"]
kinds = [i["kind"] for i in lead["interactions"] or []]
assert "repeat-visit" in kinds, kinds
print("ok: Klaus Brenner once, with a repeat visit; Jürgen Müller typed on a German layout")
PY
}

# An X server of its own: typed keys go to the focused window, and other
# GUI tests running beside this one must not receive them.
if [[ -z "${FAIRLEAD_OWN_XVFB:-}" ]]; then
  rm -rf "$work"
  FAIRLEAD_OWN_XVFB=1 exec xvfb-run -a -s "-screen 0 1280x800x24 -noreset" "$0" "$@"
fi
run
