#!/usr/bin/env bash
# Installs what is missing, builds Fairlead and runs the whole test suite
# twice: a normal build, then one with AddressSanitizer and UBSan.
# Ends with one line "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/deps.sh

passed=0
failed=0
failures=""
flaky=""

run_suite() {
  local dir=$1; shift
  rm -rf "$dir"
  meson setup "$dir" "$@"
  ninja -C "$dir"
  local rc=0
  # -noreset: an X server resets when its last client leaves, and a test
  # connecting during the reset fails with "cannot open display".
  xvfb-run -a -s "-screen 0 1280x800x24 -noreset" meson test -C "$dir" --print-errorlogs --num-processes 2 || rc=$?
  local json="$dir/meson-logs/testlog.json"
  local ok bad
  ok=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["result"] in ("OK","SKIP","EXPECTEDFAIL")))' "$json")
  bad=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["result"] not in ("OK","SKIP","EXPECTEDFAIL")))' "$json")
  echo "== $dir: $ok passed, $bad failed"
  # A test that failed beside the others runs once more on its own. If it
  # passes then, it is named as flaky at the end (and counted as passed):
  # its first output stays in the log above. A test that fails again
  # stands as failed.
  if [ "$bad" -gt 0 ] && [ "$bad" -le 3 ]; then
    cp "$json" "$dir/meson-logs/testlog-first.json"
    local names
    mapfile -t names < <(python3 -c 'import json,sys
for l in open(sys.argv[1]):
    t = json.loads(l)
    if t["result"] not in ("OK", "SKIP", "EXPECTEDFAIL"):
        print(t["name"].split(" / ", 1)[-1])' "$json")
    echo "== $dir: running ${names[*]} once more, alone"
    rc=0
    xvfb-run -a -s "-screen 0 1280x800x24 -noreset" meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes 1 "${names[@]}" || rc=$?
    local again
    again=$(python3 -c 'import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l)["result"] in ("OK","SKIP","EXPECTEDFAIL")))' "$json")
    if [ "$again" -gt 0 ]; then
      flaky+=$(python3 -c 'import json,sys
passed = [json.loads(l)["name"] for l in open(sys.argv[1])
          if json.loads(l)["result"] in ("OK", "SKIP", "EXPECTEDFAIL")]
for l in open(sys.argv[2]):
    t = json.loads(l)
    if t["name"] in passed:
        print("-- %s: %s %s after %.1f s the first time" % (sys.argv[3], t["name"], t["result"], t["duration"]))
        for line in (t.get("stdout") or "").splitlines()[-25:]:
            print("   " + line)' "$json" "$dir/meson-logs/testlog-first.json" "$dir")
      flaky+=$'\n'
    fi
    ok=$((ok + again))
    bad=$((bad - again))
    echo "== $dir after the second run: $ok passed, $bad failed"
  fi
  # Name each failed test again at the end, with the tail of its output:
  # CI logs are often read from the bottom.
  if [ "$bad" -gt 0 ]; then
    failures+=$(python3 - "$json" "$dir" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    if t["result"] in ("OK", "SKIP", "EXPECTEDFAIL"):
        continue
    print(f"-- {sys.argv[2]}: {t['name']} {t['result']} after {t['duration']:.1f} s")
    out = (t.get("stdout") or "").splitlines()
    for l in out[-25:]:
        print("   " + l)
PY
)
    failures+=$'\n'
  fi
  passed=$((passed + ok))
  failed=$((failed + bad))
  return $rc
}

status=0
run_suite build-ci || status=1
run_suite build-ci-sanitize -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug || status=1

# The parsers face whatever a badge, a card or a file holds: fuzz them.
fuzz_seconds=${FAIRLEAD_FUZZ_SECONDS:-60}
if tests/fuzz/run-fuzzers.sh "$fuzz_seconds"; then
  echo "== fuzzing: passed"
  passed=$((passed + 1))
else
  echo "== fuzzing: FAILED"
  failed=$((failed + 1))
  status=1
fi

if [ -n "$failures" ]; then
  echo "== failed tests"
  printf '%s' "$failures"
fi
if [ -n "$flaky" ]; then
  echo "== flaky: failed beside the others, passed alone (fix these)"
  printf '%s' "$flaky"
fi
echo "$passed passed, $failed failed"
exit $status
