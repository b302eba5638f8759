#!/usr/bin/env bash
# Try a cluster in one command: N chatd nodes on loopback, in the background.
#   deploy/cluster.sh start [N]   installs what is missing, builds, starts nodes node1..nodeN
#                                 (default 3): clients on 5001.., cluster ports 7001..
#   deploy/cluster.sh stop        stops them (SIGTERM) and waits until they are gone
#   deploy/cluster.sh status      shows which nodes run
# Databases, logs and pid files live in data/cluster/. See docs/cluster.md.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

DIR="$CHATD_ROOT/data/cluster"
CLIENT_BASE=5000
CLUSTER_BASE=7000

# The pid of a running node from its pid file, or nothing (a stale file is removed).
running_pid() {
  local file="$DIR/$1.pid" pid
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null && grep -q chatd "/proc/$pid/cmdline" 2>/dev/null; then
    echo "$pid"
  else
    rm -f "$file"
  fi
}

# Waits up to 10 s until something listens on 127.0.0.1:$1.
wait_listening() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}

start() {
  local n=${1:-3}
  [[ $n =~ ^[0-9]+$ && $n -ge 1 && $n -le 9 ]] || { echo "N must be 1..9" >&2; exit 2; }
  install_missing "${CHATD_PACKAGES[@]}"
  build_tree "$CHATD_ROOT/build" Release
  mkdir -p "$DIR"
  # Mutual TLS between the nodes: a cluster CA and one certificate per node
  # (made once; a node added later gets its own from the same CA).
  local missing_certs=()
  for i in $(seq "$n"); do [[ -f $DIR/certs/node$i.pem ]] || missing_certs+=("node$i"); done
  [[ ${#missing_certs[@]} -eq 0 ]] || "$CHATD_ROOT/deploy/cluster-certs.sh" "$DIR/certs" "${missing_certs[@]}"
  for i in $(seq "$n"); do
    local name="node$i" pid
    pid=$(running_pid "$name")
    if [[ -n $pid ]]; then
      echo "$name already runs (pid $pid)"
      continue
    fi
    local args=(--node "$name" --port $((CLIENT_BASE + i)) --db "$DIR/$name.db"
      --cluster-port $((CLUSTER_BASE + i)) --cluster-ca "$DIR/certs/ca.pem"
      --cluster-cert "$DIR/certs/$name.pem" --cluster-key "$DIR/certs/$name.key")
    # One peer is enough: the others are learned from it.
    [[ $i -gt 1 ]] && args+=(--peer "127.0.0.1:$((CLUSTER_BASE + 1))")
    nohup "$CHATD_ROOT/build/chatd" "${args[@]}" >"$DIR/$name.log" 2>&1 &
    echo $! >"$DIR/$name.pid"
    if ! wait_listening $((CLIENT_BASE + i)); then
      echo "$name did not start; its log:" >&2
      cat "$DIR/$name.log" >&2
      exit 1
    fi
    echo "$name: telnet 127.0.0.1 $((CLIENT_BASE + i))   (log $DIR/$name.log)"
  done
  echo "stop with: deploy/cluster.sh stop"
}

stop() {
  local pids=()
  for file in "$DIR"/*.pid; do
    [[ -e $file ]] || continue
    local name pid
    name=$(basename "$file" .pid)
    pid=$(running_pid "$name")
    [[ -n $pid ]] && kill -TERM "$pid" && pids+=("$pid") && echo "stopping $name (pid $pid)"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
  rm -f "$DIR"/*.pid
}

status() {
  local any=0
  for file in "$DIR"/*.pid; do
    [[ -e $file ]] || continue
    local name pid
    name=$(basename "$file" .pid)
    pid=$(running_pid "$name")
    [[ -n $pid ]] && echo "$name runs (pid $pid)" && any=1
  done
  [[ $any == 1 ]] || echo "no node runs"
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *)
    echo "usage: deploy/cluster.sh start [N] | stop | status" >&2
    exit 2
    ;;
esac
