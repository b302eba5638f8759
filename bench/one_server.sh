# bench/one_server.sh: sourced by the bench scripts that need one chatd of
# their own (soak.sh, creates.sh). Not run by itself.
#
#   start_one_server NAME BUILD [chatd options...]
# installs what is missing, builds BUILD when it has no chatd, and starts
# chatd on a free loopback port with a fresh database NAME.db in a temporary
# folder. Sets SERVER_PID, SERVER_PORT and SERVER_WORK (the folder, with the
# server's log in chatd.log). The server is stopped and the folder removed
# when the script exits.

source "$(dirname "${BASH_SOURCE[0]}")/../deploy/common.sh"

BUILD="$CHATD_ROOT/build"
ARGS=()

# The options every such script takes: --build-dir DIR (default build/) and
# -h/--help, which prints the script's header comment (after the #! line).
# Sets BUILD; the other options are left in ARGS for the script's load tool.
#   read_script_options "$@"
read_script_options() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --build-dir) BUILD="$(cd "$2" && pwd)"; shift ;;
      -h|--help) awk 'NR > 1 && !/^#/ {exit} NR > 1' "$0"; exit 0 ;;
      *) ARGS+=("$1") ;;
    esac
    shift
  done
}

SERVER_PID=""
SERVER_PORT=""
SERVER_WORK=""

stop_one_server() {
  [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
  [[ -n "$SERVER_WORK" ]] && rm -rf "$SERVER_WORK"
  return 0
}

start_one_server() {
  local name="$1" build="$2"
  shift 2
  install_missing "${CHATD_PACKAGES[@]}" python3
  [[ -x "$build/chatd" ]] || build_tree "$build" Release
  SERVER_WORK=$(mktemp -d "${TMPDIR:-/tmp}/chatd-$name.XXXXXX")
  trap stop_one_server EXIT
  "$build/chatd" --port 0 --port-file "$SERVER_WORK/port" --db "$SERVER_WORK/$name.db" \
    --log-level warn "$@" >"$SERVER_WORK/chatd.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 100); do [[ -s "$SERVER_WORK/port" ]] && break; sleep 0.1; done
  if [[ ! -s "$SERVER_WORK/port" ]]; then
    echo "$name: chatd did not start:" >&2
    cat "$SERVER_WORK/chatd.log" >&2
    exit 1
  fi
  SERVER_PORT=$(cat "$SERVER_WORK/port")
}
