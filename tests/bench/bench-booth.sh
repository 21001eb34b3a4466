#!/usr/bin/env bash
# Booth sync on loopback: three kiosks (separate fairlead-cli processes
# with their own databases, mutual TLS), N leads captured on each before
# they ever met. Prints figures; not a pass/fail test.
# Targets (issue 15): converge from cold < 10 s with 2,000 leads each; one
# new lead reaches the others < 2 s while they idle-sync; < 4 KB of sync
# traffic per new lead.
#
#   tests/bench/bench-booth.sh [BUILD_DIR] [LEADS_PER_KIOSK]
set -euo pipefail
build=${1:-build}
n=${2:-2000}
cli=$(realpath "$build/app/cli/fairlead-cli")
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"
export G_MESSAGES_DEBUG=

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
count() { sqlite3 "$1.db" 'PRAGMA busy_timeout=2000; SELECT count(*) FROM leads' | tail -1; }
now() { date +%s.%N; }
serve() { # kiosk port interval
  "$cli" --db "$1.db" booth serve --listen "127.0.0.1:$2" --interval "$3" >/dev/null 2>"$1.log" &
  pids+=($!)
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null && return; sleep 0.05; done
}
stop_all() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  pids=()
}
leads() { # kiosk count
  python3 - "$1" "$2" > "$1.json" <<'PY'
import json, sys, uuid
k, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    # Distinct visitors: the same e-mail, or name and company, is one lead.
    u = str(uuid.uuid4())
    print(json.dumps({"uuid": u, "first_name": "Visitor %d" % i, "last_name": k.upper() + u[:8],
                      "email": "v%s@%s.example" % (u[:8], k), "company": "Firm %d of %s" % (i, k)}))
PY
  "$cli" --db "$1.db" leads import "$1.json" >/dev/null
}

pa=$(port); pb=$(port); pc=$(port)
"$cli" --db a.db event create "Bench" >/dev/null
code=$("$cli" --db a.db booth create --device a --address "127.0.0.1:$pa")
serve a "$pa" 3600
"$cli" --db b.db booth join "$code" --name b >/dev/null
"$cli" --db c.db booth join "$code" --name c >/dev/null
stop_all
for k in a b c; do leads "$k" "$n"; done
total=$((3 * n))

echo "Three kiosks, $n leads captured on each while apart ($(nproc) cores):"
start=$(now)
serve a "$pa" 0.5; serve b "$pb" 0.5; serve c "$pc" 0.5
while :; do
  ca=$(count a); cb=$(count b); cc=$(count c)
  [[ $ca -eq $total && $cb -eq $total && $cc -eq $total ]] && break
  if (( $(echo "$(now) - $start > 120" | bc) )); then
    echo "  not converged after 120 s: a=$ca b=$cb c=$cc"; exit 1
  fi
  sleep 0.1
done
printf '  converged from cold: %.2f s (all three hold %d leads)\n' "$(echo "$(now) - $start" | bc)" "$total"

# One new lead on a while the three idle-sync (every 0.5 s).
sleep 2
for i in 1 2 3; do
  leads a 1
  start=$(now)
  want=$((total + i))
  until [[ $(count b) -eq $want && $(count c) -eq $want ]]; do sleep 0.02; done
  printf '  new lead %d on a reached b and c in %.2f s\n' "$i" "$(echo "$(now) - $start" | bc)"
done
stop_all

# Bytes for one new lead: one round from b to a (HTTP bodies, both ways),
# against a round with nothing new. c is down: its report is left out.
serve a "$pa" 3600
round_bytes() {
  { "$cli" --db b.db booth sync --no-discover --json --peer "127.0.0.1:$pa" 2>/dev/null || true; } |
    python3 -c 'import json,sys; print(sum(r["bytes_sent"]+r["bytes_received"] for r in json.load(sys.stdin) if r["address"]==sys.argv[1]))' "127.0.0.1:$pa"
}
round_bytes >/dev/null
idle=$(round_bytes)
leads a 1
one=$(round_bytes)
leads a 10
ten=$(round_bytes)
echo "  sync traffic (HTTP bodies, both ways): round with nothing new $idle bytes;" \
     "one new lead $one bytes (+$((one - idle))); ten new leads $ten bytes (+$(((ten - idle) / 10)) per lead)"
