#!/usr/bin/env bash
# bench/password_flood.sh: password floods against the bounded password pool
# (issue 13; not in CI). Three runs, each on a fresh chatd with the real
# argon2id cost (64 MiB, 2 passes) and the default pool (cores - 1 threads,
# a queue of 8):
#   mixed          20 wrong-password login loops + 20 /register loops for 60 s
#                  while 5 users chat: chat p99, peak RSS, thread count
#   one-network    40 wrong-password loops from one address (limits not
#                  exempting loopback): how fast the owner gets in from another
#   many-networks  the 40 from 40 addresses: the owner's login is answered
#
#   bench/password_flood.sh [--build-dir DIR] [--seconds S]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/one_server.sh"
read_script_options "$@"

echo "password_flood: chatd on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs))," \
  "$(uname -r), $(date -u +%FT%TZ)"
start_one_server flood-mixed "$BUILD"
python3 "$ROOT/bench/password_flood.py" --port "$SERVER_PORT" --pid "$SERVER_PID" --mode mixed \
  "${ARGS[@]}"
stop_one_server
for mode in one-network many-networks; do
  start_one_server "flood-$mode" "$BUILD" --limits-exempt "" --max-connections-per-minute 100000
  python3 "$ROOT/bench/password_flood.py" --port "$SERVER_PORT" --pid "$SERVER_PID" --mode "$mode" \
    --attackers 40 --seconds 20 "${ARGS[@]}"
  stop_one_server
done
