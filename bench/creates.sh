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
BUILD="$ROOT/build"
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) BUILD="$(cd "$2" && pwd)"; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) ARGS+=("$1") ;;
  esac
  shift
done

source "$ROOT/deploy/common.sh"
install_missing "${CHATD_PACKAGES[@]}" python3
[[ -x "$BUILD/chatd" ]] || build_tree "$BUILD" Release

work=$(mktemp -d "${TMPDIR:-/tmp}/chatd-creates.XXXXXX")
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

# The database lives in TMPDIR: put that on the disk you want to measure.
"$BUILD/chatd" --port 0 --port-file "$work/port" --db "$work/creates.db" --log-level warn \
  --max-rooms 1000000 --max-rooms-per-user 1000000 --rate-burst 1000000 --rate-per-sec 1000000 \
  >"$work/chatd.log" 2>&1 &
server_pid=$!
for _ in $(seq 100); do [[ -s "$work/port" ]] && break; sleep 0.1; done
[[ -s "$work/port" ]] || { echo "creates.sh: chatd did not start:" >&2; cat "$work/chatd.log" >&2; exit 1; }

echo "creates: chatd on $(nproc) cores, $(uname -r), database in $(df -P "$work" | awk 'NR==2 {print $1}'), $(date -u +%FT%TZ)"
python3 "$ROOT/bench/creates.py" --port "$(cat "$work/port")" "${ARGS[@]}"
