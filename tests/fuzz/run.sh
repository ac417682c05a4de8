#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS each (default 60) and prints the executions per target.
#   tests/fuzz/run.sh SECONDS [TARGET...]
# Builds the `fuzz` preset (clang, ASan + UBSan + libFuzzer) into build/fuzz (FUZZ_BUILD_DIR
# overrides) if needed. Each
# target starts from its committed seeds (tests/fuzz/corpus/<target>/, read only) and grows a
# working corpus in build/fuzz/fuzz-work/<target>/; crashes, leaks, UB and hangs are written to
# build/fuzz/fuzz-artifacts/<target>/. A hang is an input taking over 25 s: generous, because
# instrumented code on a busy 2-core machine is slow (a one-line ratings file with movie id
# ~10^7 took 15 s there; see tests/fuzz/regressions/). Exit status 1 when any target found
# something: turn each artifact into a regression input (tests/fuzz/regressions/<target>/,
# replayed by tests/engine/tst_fuzz_regressions, or tests/ui/tst_fuzz_regressions_ui for the
# readers of our own UI files: fuzz_personas, fuzz_run_history) and fix the reader.
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-60}"
shift || true
build="${FUZZ_BUILD_DIR:-build/fuzz}"
# FUZZ_SKIP_BUILD=1: use the built targets as they are (e.g. several run.sh in parallel).
if [ -z "${FUZZ_SKIP_BUILD:-}" ]; then
  if [ ! -f "$build/build.ninja" ]; then cmake --preset fuzz -B "$build" >/dev/null; fi
  cmake --build "$build" --target lens_atlas_fuzzers >/dev/null
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for src in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "$src" .cpp)"); done
fi

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=0}"
export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$PWD/tests/fuzz/lsan.supp}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export OMP_NUM_THREADS=1
status=0
summary=()
for t in "${targets[@]}"; do
  work="$build/fuzz-work/$t"
  artifacts="$build/fuzz-artifacts/$t"
  mkdir -p "$work" "$artifacts" "tests/fuzz/corpus/$t"
  log="$build/fuzz-work/$t.log"
  set +e
  "$build/tests/fuzz/$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 \
      -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
      "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  found=$(ls "$artifacts" | wc -l)
  result="ok"
  if [ $rc -ne 0 ] || [ "$found" -ne 0 ]; then
    result="FOUND $found artifact(s) (exit $rc), see $log"
    status=1
  fi
  line=$(printf '%-18s %10s executions in %ss, corpus %5s files: %s' "$t" "$execs" "$seconds" \
         "$(ls "$work" | wc -l)" "$result")
  echo "$line"
  summary+=("$line")
done
echo "---"
printf '%s\n' "${summary[@]}"
exit $status
