#!/usr/bin/env bash
# bench/creates.sh: acknowledged /create per second on one node (issue 3's
# figure; not in CI). Starts chatd on a free loopback port with a fresh
# database and the room caps raised, runs bench/creates.py against it, and
# stops the server. Options go to creates.py (--clients, --per-client, --window).
#
#   bench/creates.sh                      50 clients x 200 creates
#   bench/creates.sh --build-dir build-asan --clients 10
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/bench/one_server.sh"
read_script_options "$@"

# The database goes to TMPDIR: put that on the disk to measure.
start_one_server creates "$BUILD" --max-rooms 1000000 --max-rooms-per-user 1000000 \
  --rate-burst 1000000 --rate-per-sec 1000000

echo "creates: chatd on $(nproc) cores, $(uname -r)," \
  "database on $(df -P "$SERVER_WORK" | awk 'NR==2 {print $1}'), $(date -u +%FT%TZ)"
python3 "$ROOT/bench/creates.py" --port "$SERVER_PORT" "${ARGS[@]}"
