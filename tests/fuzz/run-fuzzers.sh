#!/bin/sh
# Builds the libFuzzer harnesses with clang, AddressSanitizer and UBSan in a
# build directory of their own and runs each for SECONDS (default 60).
# Fails on any crash, leak, timeout or sanitizer report.
#
#   tests/fuzz/run-fuzzers.sh [SECONDS]
#
# Environment: FUZZ_BUILD_DIR (default build-fuzz in the source tree),
# FUZZ_JOBS (parallel fuzzing jobs per target, default 1).
set -eu

seconds=${1:-60}
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
jobs=${FUZZ_JOBS:-1}

if ! command -v clang >/dev/null 2>&1; then
  echo "run-fuzzers: clang is not installed (apt-get install clang)" >&2
  exit 1
fi

if [ -d "$build/meson-private" ]; then
  meson configure "$build" -Dfuzzing=true >/dev/null
else
  CC=clang meson setup "$build" "$src" \
    -Dfuzzing=true -Dgui=false -Dbuildtype=debugoptimized \
    -Db_sanitize=address,undefined -Db_lundef=false \
    -Dc_args="-fsanitize=fuzzer-no-link -fno-sanitize-recover=all -fno-omit-frame-pointer"
fi
ninja -C "$build" tests/fuzz/fuzz-payload tests/fuzz/fuzz-csv tests/fuzz/fuzz-model

work=$(mktemp -d "${TMPDIR:-/tmp}/fairlead-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:symbolize=1:fast_unwind_on_malloc=0
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export G_SLICE=always-malloc
export G_DEBUG=gc-friendly
# Leaks inside json-glib's own error path, not ours: see lsan.supp.
export LSAN_OPTIONS="suppressions=$src/tests/fuzz/lsan.supp:print_suppressions=0"

status=0
for target in payload csv model; do
  mkdir -p "$work/$target"
  log="$work/$target.log"
  echo "run-fuzzers: fuzz-$target for ${seconds}s"
  parallel=""
  if [ "$jobs" -gt 1 ]; then
    parallel="-jobs=$jobs -workers=$jobs"
  fi
  # New inputs go to a scratch corpus; the seeds in git stay as they are.
  # Run inside $work: with -jobs libFuzzer writes fuzz-N.log to the
  # current directory.
  # shellcheck disable=SC2086
  if ! (cd "$work" && "$build/tests/fuzz/fuzz-$target" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=20000 \
      -print_final_stats=1 -artifact_prefix="$work/$target-" $parallel \
      "$work/$target" "$src/tests/fuzz/corpus/$target") >"$log" 2>&1; then
    status=1
  fi
  for worker_log in "$work"/fuzz-*.log; do
    [ -e "$worker_log" ] || continue
    cat "$worker_log" >>"$log"
    rm -f "$worker_log"
  done
  if grep -E "ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: |GLib-CRITICAL|ERROR:.*assertion" "$log" >/dev/null; then
    status=1
  fi
  if [ "$status" -ne 0 ]; then
    cat "$log" >&2
    for artifact in "$work/$target"-*; do
      [ -e "$artifact" ] || continue
      mkdir -p "$build/fuzz-artifacts"
      cp "$artifact" "$build/fuzz-artifacts/"
      echo "run-fuzzers: reproducer kept in $build/fuzz-artifacts/$(basename "$artifact")" >&2
    done
    echo "run-fuzzers: fuzz-$target FAILED" >&2
    exit 1
  fi
  grep -E "stat::number_of_executed_units|Done [0-9]+ runs" "$log" | tail -2
done
echo "run-fuzzers: all fuzzers ran ${seconds}s each without a finding"
