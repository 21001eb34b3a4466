#!/usr/bin/env bash
# peers.sh: Fairlead side by side with the tool a user would reach for,
# on the same inputs, in the same run; prints one table of ratios
# (Fairlead's time / the peer's time: below 1 is faster).
#
#   tests/bench/peers.sh BUILD_DIR [N_LEADS] [REPEATS]
#
# N_LEADS (default 20000) leads are made once by bench-score (which also
# prints its own figures), or taken from FAIRLEAD_PEERS_DB (a file
# bench-score kept with FAIRLEAD_BENCH_DB); every run works on a fresh
# copy.
# FAIRLEAD_PEERS_ONLY=scan runs only the scan-image comparisons (no leads
# made) and the upload; =upload only the upload against curl;
# FAIRLEAD_PEERS_ONLY=import only the leads import ones; =card only
# read-card against tesseract; =start only the kiosk's cold start against
# a bare libadwaita window (on the demo event; in a full run, or with
# FAIRLEAD_PEERS_DB, also on that database).
# A peer that is not installed (tesseract, Xvfb) is skipped and says so.
# Wall-clock times: on a shared machine give the load average with them.
set -euo pipefail

build=${1:?usage: peers.sh BUILD_DIR [N_LEADS] [REPEATS]}
n_leads=${2:-20000}
repeats=${3:-3}
src=$(cd "$(dirname "$0")/../.." && pwd)
cli=$(realpath "$build/app/cli/fairlead-cli")
work=$(mktemp -d "${TMPDIR:-/tmp}/fairlead-peers-XXXXXX")
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
# Runs a command, prints its wall time in ms.
timed() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>"$work/stderr" || { echo "failed: $*" >&2; cat "$work/stderr" >&2; exit 1; }
  t1=$(now)
  echo $(( (t1 - t0) / 1000000 ))
}
# The same, keeping the standard output in FILE, for a command whose exit
# status 1 tells a finding (read-card: no field found).
timed_keep() {
  local out=$1 t0 t1 status=0
  shift
  t0=$(now)
  "$@" >"$out" 2>"$work/stderr" || status=$?
  t1=$(now)
  ((status <= 1)) || { echo "failed ($status): $*" >&2; cat "$work/stderr" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}
# The same, for a command whose exit status tells a finding (no code found).
timed_any() {
  local t0 t1
  t0=$(now)
  "$@" >/dev/null 2>&1 || true
  t1=$(now)
  echo $(( (t1 - t0) / 1000000 ))
}
# The copy is synced before the timed run: otherwise the first fsync of
# whoever writes to it (Fairlead's audit entry, never the read-only peer)
# pays for flushing the whole copy.
fresh() { rm -f "$work/run.db" "$work/run.db-wal" "$work/run.db-shm"; cp "$work/base.db" "$work/run.db"; sync "$work/run.db"; }

declare -a rows=() notes=()
# compare NAME FAIRLEAD_FN PEER_FN: runs both REPEATS times, alternating.
compare() {
  local name=$1 ours=$2 peer=$3 ratios=() a b
  local ours_ms=() peer_ms=()
  for ((i = 0; i < repeats; i++)); do
    a=$($ours $i)
    b=$($peer $i)
    ours_ms+=("$a"); peer_ms+=("$b")
    ratios+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')")
  done
  rows+=("$(printf '%s\t%s\t%s\t%s' "$name" "$(stats "${ours_ms[@]}")" "$(stats "${peer_ms[@]}")" "$(stats "${ratios[@]}")")")
}
# min/median/max of numbers
stats() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%s / %s / %s", v[1], v[int((NR + 1) / 2)], v[NR] }'; }

only=${FAIRLEAD_PEERS_ONLY:-}
# Whether the leads are made and the rescore and export compared: not when
# only another group runs.
leads=1
case "$only" in scan | upload | import | card | start) leads= ;; esac
if [[ -n $leads ]]; then
if [[ -n "${FAIRLEAD_PEERS_DB:-}" ]]; then   # a database bench-score made before
  cp "$FAIRLEAD_PEERS_DB" "$work/base.db"
  n_leads=$(sqlite3 "$work/base.db" "SELECT count(*) FROM leads")
else
  echo "Making $n_leads leads with bench-score (load $(cut -d' ' -f1-3 /proc/loadavg))…"
  FAIRLEAD_BENCH_DB="$work/base.db" "$build/tests/bench/bench-score" "$n_leads"
fi
db_size=$(( $(stat -c %s "$work/base.db") / 1048576 ))
wal_size=$(( $( (stat -c %s "$work/base.db-wal" 2>/dev/null || echo 0) ) / 1048576 ))
sqlite3 "$work/base.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null

# --- re-score, every lead changes (a new model version moves every score)
model() {  # a model whose every lead scores differently from the last
  python3 - "$src/data/demo/scoring.json" "$1" > "$work/model.json" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
m["version"] = 100 + int(sys.argv[2])
for q in m["questions"]:
    if q["id"] == "follow_up":
        for o in q["options"]:
            if o["id"] == "meeting":
                o["points"] = 16 + int(sys.argv[2])
json.dump(m, sys.stdout)
EOF
}
ours_rescore() { fresh; model "$1"; timed "$cli" --db "$work/run.db" rescore --model "$work/model.json" --by peers; }
# Scores live in lead_scores (schema 7): the peer changes every score there.
peer_rescore() { fresh; timed sqlite3 "$work/run.db" "UPDATE lead_scores SET score = score + 1"; }
compare "rescore, every lead changes / sqlite3 UPDATE lead_scores SET score = score + 1" ours_rescore peer_rescore

# --- CSV export (to a file, made durable) against sqlite3 -csv and sync
ours_export() { fresh; timed "$cli" --db "$work/run.db" export --format csv -o "$work/ours.csv"; }
peer_export() {
  fresh
  timed sh -c "sqlite3 -csv -header '$work/run.db' 'SELECT * FROM leads' > '$work/peer.csv' && sync '$work/peer.csv'"
}
compare "CSV export of every lead / sqlite3 -csv + sync" ours_export peer_export
peak_kb=$( { /usr/bin/time -f '%M' "$cli" --db "$work/base.db" export --format csv -o "$work/ours.csv" 2>&1 >/dev/null || true; } | tail -1)

fi

# --- leads import of 10,000 leads (JSON Lines) into an empty event, against
# the sqlite3 shell writing the same rows from the same file in one
# transaction: it loads the JSON Lines into a temporary table and inserts
# what Fairlead stores for each lead (the lead with its kiosk, its
# answers, its interaction, its audit entry; the triggers add the score
# row, the full-text row and the booth change log alike) with one
# INSERT … SELECT per table, with the same durability (synchronous FULL,
# WAL) and the foreign keys checked as Fairlead's connection does. The
# row counts of both databases are compared after the first run.
# The second comparison drops the change log's triggers in both (a kiosk
# outside a booth).
if [[ "$only" != scan && "$only" != upload && "$only" != card && "$only" != start ]]; then
python3 - "$work" <<'EOF'
import json, random, sys, uuid
random.seed(1)
with open(sys.argv[1] + "/leads.jsonl", "w") as f:
    for i in range(10000):
        u = str(uuid.UUID(int=random.getrandbits(128), version=4))
        f.write(json.dumps({"uuid": u, "first_name": "Jörg %d" % i, "last_name": "Weiß",
                            "company": "Söhne %d GmbH" % (i % 300), "email": "lead%d@example.de" % i,
                            "title": "Einkauf", "created_at": "2026-06-23T10:00:00.000Z",
                            "answers": {"timeframe": "3m", "budget": "planned"},
                            "interactions": [{"kind": "badge-scan", "at": "2026-06-23T10:00:00Z"}]},
                           ensure_ascii=False) + "\n")
EOF
cat > "$work/leads.sql" <<EOF
PRAGMA foreign_keys = ON;
PRAGMA synchronous = FULL;
.mode ascii
.separator "\\037" "\\n"
CREATE TEMP TABLE src (j TEXT);
.import $work/leads.jsonl src
BEGIN;
INSERT INTO leads (uuid, event, created_at, updated_at, device, source, first_name, last_name,
                   company, email, title, event_key)
  SELECT j->>'uuid', (SELECT value FROM meta WHERE key = 'active_event'), j->>'created_at',
         j->>'created_at', (SELECT value FROM meta WHERE key = 'device_id'), 'manual',
         j->>'first_name', j->>'last_name', j->>'company', j->>'email', j->>'title',
         (SELECT id FROM event_keys WHERE uuid = (SELECT value FROM meta WHERE key = 'active_event'))
  FROM src;
INSERT INTO answers (lead_id, question_id, value)
  SELECT l.id, a.key, json_quote (a.value) FROM src, json_each (src.j, '\$.answers') a
  JOIN leads l ON l.uuid = src.j->>'uuid';
INSERT INTO interactions (lead_id, kind, at)
  SELECT l.id, i.value->>'kind', i.value->>'at' FROM src, json_each (src.j, '\$.interactions') i
  JOIN leads l ON l.uuid = src.j->>'uuid';
INSERT INTO audit (lead_uuid, at, actor, action)
  SELECT j->>'uuid', strftime ('%Y-%m-%dT%H:%M:%fZ', 'now'), 'import', 'captured' FROM src;
COMMIT;
EOF
"$cli" --db "$work/empty.db" event create "Import" >/dev/null
cp "$work/empty.db" "$work/empty-nolog.db"
sqlite3 "$work/empty-nolog.db" "SELECT 'DROP TRIGGER ' || name || ';' FROM sqlite_master
  WHERE type = 'trigger' AND name GLOB '*_replica_*'" | sqlite3 "$work/empty-nolog.db"
fresh_empty() { rm -f "$work/imp.db" "$work/imp.db-wal" "$work/imp.db-shm"; cp "$work/$1" "$work/imp.db"; sync "$work/imp.db"; }
counts() {
  sqlite3 "$work/imp.db" "SELECT (SELECT count(*) FROM leads) || ' leads, ' ||
    (SELECT count(*) FROM answers) || ' answers, ' || (SELECT count(*) FROM interactions) ||
    ' interactions, ' || (SELECT count(*) FROM audit WHERE lead_uuid IS NOT NULL) || ' audit, ' ||
    (SELECT count(*) FROM lead_scores) || ' scores, ' || (SELECT count(*) FROM changes) || ' changes'"
}
import_base=empty.db
ours_import() {
  fresh_empty $import_base
  timed "$cli" --db "$work/imp.db" leads import "$work/leads.jsonl"
  [[ $1 != 0 ]] || counts > "$work/ours-counts"
}
peer_import() {
  fresh_empty $import_base
  timed sh -c "sqlite3 '$work/imp.db' < '$work/leads.sql'"
  if [[ $1 == 0 ]]; then
    counts > "$work/peer-counts"
    cmp -s "$work/ours-counts" "$work/peer-counts" ||
      { echo "unfair: Fairlead stored $(cat "$work/ours-counts"), sqlite3 $(cat "$work/peer-counts")" >&2; exit 1; }
  fi
}
compare "leads import, 10,000 leads / sqlite3, the same rows in one transaction" ours_import peer_import
import_base=empty-nolog.db
compare "leads import, the same without the change log's triggers (both)" ours_import peer_import
fi

if [[ -z "$only" || "$only" == scan ]]; then

# --- scan-image: a noisy 1280×720 frame with a QR code, and one without
"$cli" qr "https://example.com/badge/4711?name=Anna%20Muster" -o "$work/qr.png" >/dev/null
convert -size 1280x720 xc:gray60 "$work/qr.png" -geometry +520+180 -composite \
  -attenuate 0.6 +noise Gaussian "$work/frame.png"
convert -size 1280x720 xc:gray55 -attenuate 0.6 +noise Gaussian "$work/empty.png"
ours_scan() { timed "$cli" scan-image "$work/frame.png"; }
peer_scan() { timed zbarimg -q "$work/frame.png"; }
compare "scan-image, noisy 1280×720 frame with a QR code / zbarimg" ours_scan peer_scan
ours_empty() { timed_any "$cli" scan-image "$work/empty.png"; }
peer_empty() { timed_any zbarimg -q "$work/empty.png"; }
compare "scan-image, noisy 1280×720 frame without a code / zbarimg" ours_empty peer_empty
# A 12 MP phone photo (4000×3000) of a grey desk, with and without a badge.
convert -size 4000x3000 gradient:gray70-gray45 -attenuate 0.3 +noise Gaussian -quality 92 "$work/photo-empty.jpg"
convert "$work/photo-empty.jpg" \( "$work/qr.png" -resize 300% \) -geometry +1700+1200 -composite \
  -quality 92 "$work/photo.jpg"
ours_photo() { timed "$cli" scan-image "$work/photo.jpg"; }
peer_photo() { timed zbarimg -q "$work/photo.jpg"; }
compare "scan-image, 12 MP photo with a QR code / zbarimg" ours_photo peer_photo
ours_photo_empty() { timed_any "$cli" scan-image "$work/photo-empty.jpg"; }
peer_photo_empty() { timed_any zbarimg -q "$work/photo-empty.jpg"; }
compare "scan-image, 12 MP photo without a code / zbarimg" ours_photo_empty peer_photo_empty
fi

if [[ -z "$only" || "$only" == scan || "$only" == upload ]]; then

# --- upload of 10,000 leads to a loopback webhook (bench-upload, batches
# of 100) against one curl process posting the same 100 bodies, with the
# same headers, one after another on one connection (a curl -K config of
# 100 requests joined by "next"). Both post to webhook-sink, a receiver
# in a process of its own, which saved the bodies of the first run.
mkdir -p "$work/bodies"
"$build/tests/bench/webhook-sink" "$work/bodies" > "$work/sink-url" &
sink_pid=$!
trap 'kill "$sink_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for ((i = 0; i < 50; i++)); do [[ -s "$work/sink-url" ]] && break; sleep 0.1; done
sink_url=$(head -1 "$work/sink-url")
ours_upload() {
  FAIRLEAD_BENCH_URL="$sink_url" "$build/tests/bench/bench-upload" 10000 > "$work/upload.txt" ||
    { echo "failed: bench-upload" >&2; exit 1; }
  sed -n 's/.* in \([0-9]*\) ms;.*/\1/p' "$work/upload.txt"
}
ours_upload > /dev/null   # the bodies curl sends
kill "$sink_pid"; wait "$sink_pid" 2>/dev/null || true
rm -f "$work/sink-url"
"$build/tests/bench/webhook-sink" > "$work/sink-url" &
sink_pid=$!
for ((i = 0; i < 50; i++)); do [[ -s "$work/sink-url" ]] && break; sleep 0.1; done
sink_url=$(head -1 "$work/sink-url")
n=0
for body in "$work"/bodies/body-*.json; do
  ((n > 0)) && echo next
  printf 'url = "%s"\ndata-binary = "@%s"\nheader = "Content-Type: application/json"\n' "$sink_url" "$body"
  printf 'header = "Idempotency-Key: peers-%d"\nheader = "Expect:"\noutput = "/dev/null"\nsilent\n' "$n"
  n=$((n + 1))
done > "$work/curl.cfg"
peer_upload() { timed curl -K "$work/curl.cfg"; }
compare "upload phase, 10,000 leads to a loopback webhook / curl, the same $n bodies" ours_upload peer_upload
kill "$sink_pid" 2>/dev/null || true
fi

# --- read-card: a business card photographed on a desk (tests/card-photo.c,
# the photos of bench-photos: 3000×2000 and 1920×1080 JPEG) against the
# tesseract command-line tool reading the same photo in the same languages
# (Fairlead finds the card, straightens it, reads it and sorts the text
# into fields; tesseract only reads the photo's text). One OpenMP thread
# for both, as on the kiosk (fl-card-reader.c). Cards whose photo
# tesseract reads too: the first run checks both found the email.
if [[ -z "$only" || "$only" == card ]]; then
if ! command -v tesseract >/dev/null; then
  notes+=("tesseract is not installed (tesseract-ocr): read-card is not compared")
elif ! tesseract --list-langs 2>/dev/null | grep -qx deu ||
     ! tesseract --list-langs 2>/dev/null | grep -qx eng; then
  notes+=("tesseract has no German or English data (tesseract-ocr-deu, -eng): read-card is not compared")
else
  mkdir -p "$work/cards"
  for card in de-muenchen-centred en-london; do
    (cd "$src" && OMP_THREAD_LIMIT=1 "$build/tests/bench/bench-photos" --card "$card" --save "$work/cards") \
      > /dev/null || { echo "failed: bench-photos --card $card" >&2; exit 1; }
  done
  ours_card() {
    timed_keep "$work/ours-card.json" env OMP_THREAD_LIMIT=1 "$cli" read-card "$work/cards/$card.jpg"
  }
  peer_card() {
    local ms
    ms=$(timed_keep "$work/peer-card.txt" env OMP_THREAD_LIMIT=1 tesseract "$work/cards/$card.jpg" stdout -l deu+eng)
    if [[ $1 == 0 ]]; then
      email=$(python3 -c 'import json, sys; print (json.load (open (sys.argv[1])).get ("email", ""))' "$work/ours-card.json")
      if [[ -z $email ]]; then
        echo "$card: Fairlead read no email: the comparison is unequal" > "$work/card-note"
      elif grep -qF "$email" "$work/peer-card.txt"; then
        echo "$card: both read the email $email" > "$work/card-note"
      else
        echo "$card: tesseract's text lacks the email $email: the comparison is unequal" > "$work/card-note"
      fi
    fi
    echo "$ms"
  }
  card=de-muenchen-centred
  compare "read-card, 3000×2000 photo of a German card / tesseract -l deu+eng" ours_card peer_card
  notes+=("read-card $(cat "$work/card-note")")
  card=en-london
  compare "read-card, 1920×1080 photo of an English card / tesseract -l deu+eng" ours_card peer_card
  notes+=("read-card $(cat "$work/card-note")")
fi
fi

# --- cold start of the kiosk (process start to its first frame, then it
# quits: FAIRLEAD_BENCH_STARTUP=exit) against bench-adw-window, an
# AdwApplication showing one window of the same size with a header bar
# that quits at the same point; whole processes, exec to exit. Both draw
# on one Xvfb started here (neither pays for its start) with the
# environment of bench-kiosk.sh; each is run once first, not counted (the
# demo database is seeded on first use).
if [[ -z "$only" || "$only" == start ]]; then
kiosk=$build/ui/fairlead
adw_window=$build/tests/bench/bench-adw-window
if [[ ! -x $kiosk || ! -x $adw_window ]]; then
  notes+=("the kiosk is not built (meson -Dgui=false): the cold start is not compared")
elif ! command -v Xvfb >/dev/null; then
  notes+=("Xvfb is not installed (xvfb): the cold start is not compared")
else
  Xvfb -displayfd 3 -screen 0 1280x800x24 -noreset -nolisten tcp 3>"$work/display" 2>"$work/xvfb.log" &
  xvfb_pid=$!
  trap 'kill "$xvfb_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
  for ((i = 0; i < 100; i++)); do [[ -s "$work/display" ]] && break; sleep 0.1; done
  [[ -s "$work/display" ]] || { echo "Xvfb did not start:" >&2; cat "$work/xvfb.log" >&2; exit 1; }
  display_env=(timeout 60 env DISPLAY=":$(head -1 "$work/display")" XDG_DATA_HOME="$work/data"
               GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory GSK_RENDERER=cairo
               GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1
               DBUS_SESSION_BUS_ADDRESS=unix:path=/nonexistent)
  kiosk_args=(--demo)
  ours_start() {
    local ms
    ms=$(timed "${display_env[@]}" FAIRLEAD_BENCH_STARTUP=exit "$kiosk" "${kiosk_args[@]}")
    grep -q '^startup: ' "$work/stderr" ||
      { echo "the kiosk quit before its first frame:" >&2; cat "$work/stderr" >&2; exit 1; }
    echo "$ms"
  }
  peer_start() { timed "${display_env[@]}" "$adw_window"; }
  ours_start warm > /dev/null
  peer_start warm > /dev/null
  compare "kiosk cold start on the demo event / bare libadwaita window" ours_start peer_start
  if [[ ! -f "$work/base.db" && -n "${FAIRLEAD_PEERS_DB:-}" ]]; then   # FAIRLEAD_PEERS_ONLY=start
    cp "$FAIRLEAD_PEERS_DB" "$work/base.db"
    n_leads=$(sqlite3 "$work/base.db" "SELECT count(*) FROM leads")
  fi
  if [[ -f "$work/base.db" ]]; then
    cp "$work/base.db" "$work/kiosk.db"
    kiosk_args=(--db "$work/kiosk.db")
    ours_start warm > /dev/null
    compare "kiosk cold start on $n_leads leads / bare libadwaita window" ours_start peer_start
  fi
  kill "$xvfb_pid" 2>/dev/null || true
  wait "$xvfb_pid" 2>/dev/null || true
  trap 'rm -rf "$work"' EXIT
fi
fi

echo
echo "$n_leads leads, $repeats runs each, load average $(cut -d' ' -f1-3 /proc/loadavg)"
((${#notes[@]} == 0)) || printf '%s\n' "${notes[@]}"
if [[ -n $leads ]]; then
  echo "CSV export peak memory (max RSS): $((peak_kb / 1024)) MB"
  echo "database after capture and bench-score's rescores: $db_size MB, WAL $wal_size MB"
fi
printf '%-72s  %-22s  %-22s  %s\n' "comparison" "Fairlead ms min/med/max" "peer ms min/med/max" "ratio min/med/max"
for row in "${rows[@]}"; do
  IFS=$'\t' read -r name a b r <<<"$row"
  printf '%-72s  %-22s  %-22s  %s\n' "$name" "$a" "$b" "$r"
done
