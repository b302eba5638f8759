#!/usr/bin/env bash
# bench/soak.sh: the soak test of issue 4 (not in CI). Starts one chatd on a
# free loopback port with a fresh database, puts bench/soak_load.py's mixed
# load on it (clients joining, chatting, quitting, being killed, never logging
# in) for 30 minutes, and prints the server's RSS and open file descriptors
# each minute, then whether they stayed flat. Stops the server at the end.
#
#   bench/soak.sh                         30 minutes, 400 clients at once
#   bench/soak.sh --minutes 5 --clients 200
#   bench/soak.sh --build-dir build-asan  (the same under AddressSanitizer)
# Extra options go to soak_load.py (--seed, --warmup).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD="$(cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done
[[ " ${ARGS[*]-} " == *" --minutes "* ]] || ARGS+=(--minutes 30)

source "$ROOT/deploy/common.sh"
install_missing "${CHATD_PACKAGES[@]}" python3
[[ -x "$BUILD/chatd" ]] || build_tree "$BUILD" Release

work=$(mktemp -d "${TMPDIR:-/tmp}/chatd-soak.XXXXXX")
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# A login timeout of 10 s (not 60) so that the silent clients are cut off by
# the server within the run, not only by themselves; the rate limit is the
# default one, so chatty clients meet it now and then. Every client comes from
# 127.0.0.1, so the per-address cap is raised above the load's connections.
"$BUILD/chatd" --port 0 --port-file "$work/port" --db "$work/soak.db" --log-level warn \
  --login-timeout 10 --max-connections-per-ip 100000 >"$work/chatd.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { echo "soak.sh: chatd did not start:" >&2; cat "$work/chatd.log" >&2; exit 1; }
port=$(cat "$work/port")

echo "soak: chatd pid $server_pid on 127.0.0.1:$port, $(nproc) cores, $(uname -r), $(date -u +%FT%TZ)"
python3 "$ROOT/bench/soak_load.py" --port "$port" --pid "$server_pid" "${ARGS[@]}"
if ! kill -0 "$server_pid" 2>/dev/null; then
  echo "soak: the server died during the run:" >&2
  tail -n 30 "$work/chatd.log" >&2
  exit 1
fi
warnings=$(grep -c '\[warning\]\|\[error\]' "$work/chatd.log" || true)
echo "soak: server log: $warnings warnings/errors (bad passwords, floods, timeouts are expected)"
