#!/usr/bin/env bash
# Builds the libFuzzer targets with clang in build-fuzz/ and runs each one for a
# bounded time, starting from its committed seeds in fuzz/corpus/<name>/.
# Any crash, sanitizer report, leak or hang fails the run (exit 1).
#   deploy/fuzz.sh [SECONDS]         seconds per target (default: $FUZZ_SECONDS, else 30)
#   FUZZ_TARGETS="fuzz_parser" ...   run only these targets
#   FUZZ_JOBS=N                      N fuzzing processes per target (libFuzzer -fork=N)
#   FUZZ_PARALLEL=N                  targets run at once (default: cores / FUZZ_JOBS)
#   FUZZ_KEEP_CORPUS=DIR             keep the grown corpora in DIR/<target>/ (reused next time)
# Crash inputs land in build-fuzz/artifacts/<target>/, full logs in build-fuzz/logs/.
# docs/fuzzing.md explains the targets, longer runs and how to reproduce a crash.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

seconds=${1:-${FUZZ_SECONDS:-30}}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "usage: deploy/fuzz.sh [seconds per target]" >&2
  exit 2
fi
read -r -a targets <<<"${FUZZ_TARGETS:-fuzz_framer fuzz_parser fuzz_names fuzz_render fuzz_cluster_state fuzz_cluster_accept}"
jobs=${FUZZ_JOBS:-1}

install_missing "${CHATD_PACKAGES[@]}" clang-14 libclang-rt-14-dev

build="$CHATD_ROOT/build-fuzz"
# A build dir configured with another compiler cannot be switched to clang in place.
if [ -f "$build/CMakeCache.txt" ] &&
  ! grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-14$' "$build/CMakeCache.txt"; then
  echo "== build-fuzz/ was configured with another compiler: starting it afresh"
  rm -rf "$build"
fi
echo "== building ${targets[*]} (build-fuzz/, clang-14, libFuzzer + ASan + UBSan)"
# Optimised with line numbers, but without NDEBUG: the code's own asserts stay armed.
CC=clang-14 CXX=clang++-14 cmake -S "$CHATD_ROOT" -B "$build" -G Ninja -DCHATD_FUZZ=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g" >/dev/null
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"

# Every UBSan finding is fatal; ASan and LeakSanitizer are by default.
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export ASAN_OPTIONS=detect_leaks=1

work=$(mktemp -d "${TMPDIR:-/tmp}/chatd-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/logs"

# "cov: 412 ft: 1830 corp: 97/3204b" from the last status line of a libFuzzer log
# (empty if it crashed before the first one).
coverage_of() {
  { grep -aE '^#[0-9]+[[:space:]].*cov:' "$1" || true; } | tail -n 1 |
    sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [0-9]+\/[0-9]+[a-zA-Z]*).*/\1/'
}
stat_of() { { grep -a "^stat::$2:" "$1" || true; } | awk '{print $2}' | tail -n 1; }

# fuzz_one TARGET: runs one target; its summary line goes to $work/TARGET.result,
# and its exit status says whether it found anything.
fuzz_one() {
  local target=$1
  local seeds="$CHATD_ROOT/fuzz/corpus/${target#fuzz_}"
  local corpus="${FUZZ_KEEP_CORPUS:-$work}/$target"
  local artifacts="$build/artifacts/$target"
  local log="$build/logs/$target.log"
  mkdir -p "$corpus" "$artifacts"
  echo "== $target: ${seconds} s from $(find "$seeds" -type f | wc -l) seeds"
  # New inputs go to the first corpus dir; the committed seeds are only read.
  local rc=0 fork=()
  [ "$jobs" -gt 1 ] && fork=(-fork="$jobs" -ignore_crashes=0)
  "$build/$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "${fork[@]}" \
    "$corpus" "$seeds" >"$log" 2>&1 || rc=$?
  local runs coverage line
  runs=$(stat_of "$log" number_of_executed_units)
  coverage=$(coverage_of "$log")
  line="$target: ${runs:-?} runs, ${coverage:-no coverage yet}"
  if [ "$rc" -ne 0 ]; then
    local crash
    crash=$({ grep -ao 'Test unit written to .*' "$log" || true; } | tail -n 1 |
      sed 's/Test unit written to //')
    line="$line, FAILED (exit $rc${crash:+, input $crash})"
    echo "-- $target failed; the end of $log:"
    grep -av '^"' "$log" | tail -n 60
  fi
  echo "$line" >"$work/$target.result"
  return "$rc"
}

# Targets run side by side, as many at once as there are cores (FUZZ_PARALLEL),
# so CI spends ceil(targets / cores) x SECONDS here rather than targets x SECONDS.
parallel=${FUZZ_PARALLEL:-$(( $(nproc) / jobs ))}
[ "$parallel" -ge 1 ] || parallel=1
failed=0
running=0
for target in "${targets[@]}"; do
  if [ "$running" -ge "$parallel" ]; then
    wait -n || failed=1
    running=$((running - 1))
  fi
  fuzz_one "$target" &
  running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
  wait -n || failed=1
  running=$((running - 1))
done

echo "== fuzzing summary (${seconds} s per target)"
for target in "${targets[@]}"; do
  cat "$work/$target.result" 2>/dev/null || echo "$target: no result"
done
exit "$failed"
