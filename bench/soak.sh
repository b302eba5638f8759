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
source "$ROOT/bench/one_server.sh"
read_script_options "$@"
[[ " ${ARGS[*]-} " == *" --minutes "* ]] || ARGS+=(--minutes 30)

# A login timeout of 10 s (not 60) so that the silent clients are cut off by
# the server within the run, not only by themselves; the rate limit is the
# default one, so chatty clients meet it now and then. Every client comes from
# 127.0.0.1, so the per-address cap is raised above the load's connections.
start_one_server soak "$BUILD" --login-timeout 10 --max-connections-per-ip 100000

echo "soak: chatd pid $SERVER_PID on 127.0.0.1:$SERVER_PORT, $(nproc) cores, $(uname -r), $(date -u +%FT%TZ)"
python3 "$ROOT/bench/soak_load.py" --port "$SERVER_PORT" --pid "$SERVER_PID" "${ARGS[@]}"
if ! kill -0 "$SERVER_PID" 2>/dev/null; then
  echo "soak: the server died during the run:" >&2
  tail -n 30 "$SERVER_WORK/chatd.log" >&2
  exit 1
fi
warnings=$(grep -c '\[warning\]\|\[error\]' "$SERVER_WORK/chatd.log" || true)
echo "soak: server log: $warnings warnings/errors (bad passwords, floods, timeouts are expected)"
