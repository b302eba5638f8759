#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test through ctest.
#   deploy/test.sh              Release build in build/, whole suite
#   deploy/test.sh --sanitize   also an ASan+UBSan build in build-asan/, whole suite there
#   deploy/test.sh --fuzz       also the libFuzzer targets, each for FUZZ_SECONDS (default 30)
#   deploy/test.sh --all        all of the above (what CI runs)
# CHATD_SANITIZE=1 and CHATD_FUZZ=1 in the environment do the same as the flags.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

sanitize=${CHATD_SANITIZE:-0}
fuzz=${CHATD_FUZZ:-0}
for arg in "$@"; do
  case "$arg" in
    --sanitize) sanitize=1 ;;
    --fuzz) fuzz=1 ;;
    --all) sanitize=1; fuzz=1 ;;
    *) echo "unknown option: $arg" >&2; exit 2 ;;
  esac
done

packages=("${CHATD_PACKAGES[@]}")
[ "$sanitize" = 1 ] && packages+=(libclang-rt-14-dev)
[ "$fuzz" = 1 ] && packages+=(clang-14 libclang-rt-14-dev)
install_missing "${packages[@]}"

jobs=$(nproc)
echo "== Release build and tests (build/)"
build_tree "$CHATD_ROOT/build" Release
(cd "$CHATD_ROOT/build" && ctest --output-on-failure -j "$jobs")

if [ "$sanitize" = 1 ]; then
  echo "== AddressSanitizer + UBSan build and tests (build-asan/)"
  build_tree "$CHATD_ROOT/build-asan" RelWithDebInfo -DCHATD_SANITIZE=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O0 -g1 -DNDEBUG"  # -O0 -g1: a third of the compile time of -O2 -g, still line numbers in reports
  # Any report fails the test that saw it; LeakSanitizer checks every process at exit.
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  (cd "$CHATD_ROOT/build-asan" && ctest --output-on-failure -j "$jobs")
fi

if [ "$fuzz" = 1 ]; then
  echo "== fuzzing (build-fuzz/)"
  bash "$CHATD_ROOT/deploy/fuzz.sh" "${FUZZ_SECONDS:-30}"
fi
