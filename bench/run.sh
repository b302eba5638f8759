#!/usr/bin/env bash
# bench/run.sh: runs chat-bench's scenarios of issue 5 against chatd and,
# with --with-inspircd, against InspIRCd, then writes docs/benchmarks.md: a
# table, a plot of deliveries/s and p99 against room size, the machine, the
# versions and the commands. Every server gets a fresh process (and chatd a
# fresh database) per scenario, on a free loopback port, and is stopped after.
#
#   bench/run.sh                      chatd only, every scenario
#   bench/run.sh --with-inspircd      chatd and InspIRCd side by side
#   bench/run.sh --only fanout,sizes --duration 5
#   bench/run.sh --only tls --duration 5   TLS against plain, in one run (issue 14)
#   bench/run.sh --only cluster --duration 5   three linked chatd nodes (issue 13)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="$ROOT/build"
OUT="$ROOT/docs/benchmarks.md"
SCENARIOS="fanout,rooms,idle,storm,sizes,tls,cluster"
SIZES="10,100,1000,5000"
DURATION=15
WITH_CHATD=1
WITH_INSPIRCD=0
KEEP=0
# chat-bench's own limits: a long setup (5,000 members joining one room makes
# the server send 12.5 million join events) must still end.
SETUP_TIMEOUT=300
RUN_ARGS="$*"

usage() {
  cat <<EOF
usage: bench/run.sh [options]
  --with-inspircd    also run every scenario against InspIRCd (apt-get installs
                     the Debian package 'inspircd' when it is missing)
  --skip-chatd       do not run chatd (InspIRCd figures alone)
  --only LIST        scenarios, comma-separated: $SCENARIOS (default: all)
  --sizes LIST       room sizes of the sizes curve (default: $SIZES)
  --duration S       seconds of traffic for fanout, rooms, sizes, tls and cluster
                     (default: $DURATION)
  --build-dir DIR    where chatd and chat-bench are (default: build)
  --out FILE         the report to write (default: docs/benchmarks.md)
  --keep             keep the work directory (server logs, JSON reports)
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --with-inspircd) WITH_INSPIRCD=1 ;;
    --skip-chatd) WITH_CHATD=0 ;;
    --only) SCENARIOS="$2"; shift ;;
    --sizes) SIZES="$2"; shift ;;
    --duration) DURATION="$2"; shift ;;
    --build-dir) BUILD="$(cd "$2" && pwd)"; shift ;;
    --out) OUT="$2"; shift ;;
    --keep) KEEP=1 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
  shift
done

BENCH="$BUILD/chat-bench"
CHATD="$BUILD/chatd"
[[ -x "$BENCH" ]] || { echo "run.sh: $BENCH not found: build the chat-bench target" >&2; exit 2; }
if [[ $WITH_CHATD == 1 && ! -x "$CHATD" ]]; then
  echo "run.sh: $CHATD not found: build the chatd target" >&2
  exit 2
fi

# Both the servers and chat-bench hold one descriptor per connection; the idle
# scenario needs 19,900 of them in each process.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

WORK="$(mktemp -d /tmp/chat-bench-run-XXXXXX)"
chmod 755 "$WORK"
RESULTS="$WORK/results.tsv"
# The cluster scenario's figures per node (chat-bench --servers-tsv) and its
# network messages (from each node's /stats), one row per cluster run.
SERVERS_TSV="$WORK/servers.tsv"
CLUSTER_TSV="$WORK/cluster.tsv"
COMMANDS="$WORK/commands.txt"
SERVER_PID=""
SERVER_PORT=""
# 1 while a scenario runs over TLS: chatd gets a TLS port, chat-bench --tls.
TLS=0

log() { printf '%s run.sh: %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_server() {
  [[ -n "$SERVER_PID" ]] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  stop_server
  stop_cluster
  if [[ $KEEP == 1 ]]; then log "work directory kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Waits (at most 10 s) until something listens on 127.0.0.1:$1, while the
# server (pid $2, default $SERVER_PID) lives.
wait_listening() {
  local pid="${2:-$SERVER_PID}"
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# A loopback port no socket uses (chatd picks its own with --port 0). Taken
# below the kernel's ephemeral range: the client ends of earlier runs (up to
# 19,900 of them, some in TIME_WAIT) occupy ports inside it.
free_port() {
  local low port
  low="$(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)"
  [[ $low -gt 11000 ]] || low=61000
  for _ in $(seq 50); do
    port=$((10000 + RANDOM % (low - 10000)))
    if command -v ss >/dev/null 2>&1 && [[ -n "$(ss -Htan "( sport = :$port )")" ]]; then
      continue
    fi
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  return 1
}

# --- chatd -------------------------------------------------------------------

# Chat rate limits out of the way (the benchmark sends far above a human's
# rate) and every client allowed from one source address. Keys are chatd's
# long flag names.
write_chatd_config() {
  cat >"$WORK/chatd.toml" <<EOF
rate-burst = 1000000
rate-per-sec = 1000000
max-connections-per-ip = 100000
EOF
}

# A self-signed ECDSA P-256 certificate for chatd's TLS port (the bench does
# not check it). P-256 rather than RSA: the server signs once per handshake.
make_tls_cert() {
  [[ -s "$WORK/tls-cert.pem" ]] && return 0
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
    -subj /CN=localhost -addext subjectAltName=IP:127.0.0.1,DNS:localhost \
    -keyout "$WORK/tls-key.pem" -out "$WORK/tls-cert.pem" 2>/dev/null
}

start_chatd() {
  local run="$1" tls_args=()
  rm -f "$WORK/chatd.port" "$WORK/chatd-tls.port"
  if [[ $TLS == 1 ]]; then
    # With --tls-only the port file names the TLS port.
    tls_args=(--tls-port 0 --tls-only --tls-cert "$WORK/tls-cert.pem" --tls-key "$WORK/tls-key.pem")
  fi
  "$CHATD" --host 127.0.0.1 --port 0 --port-file "$WORK/chatd.port" --db "$WORK/chatd-$run.db" \
    --config "$WORK/chatd.toml" --log-level warn "${tls_args[@]}" >"$WORK/chatd-$run.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 150); do
    if [[ -s "$WORK/chatd.port" ]]; then
      SERVER_PORT="$(tr -d '[:space:]' <"$WORK/chatd.port")"
      wait_listening "$SERVER_PORT" && return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "run.sh: chatd did not start; its log:" >&2
  cat "$WORK/chatd-$run.log" >&2
  return 1
}

# --- chatd cluster (issue 13) -------------------------------------------------

# Three nodes on loopback, linked by mutual TLS: enough for every line to
# cross the network to more than one peer.
CLUSTER_NODES=3
CLUSTER_PIDS=()
CLUSTER_PORTS=()  # client ports, by node

stop_cluster() {
  local pid
  for pid in "${CLUSTER_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${CLUSTER_PIDS[@]}"; do
    for _ in $(seq 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  CLUSTER_PIDS=()
  CLUSTER_PORTS=()
}

# Prints the port that chatd (pid $2) writes to file $1, waiting at most 15 s.
wait_port_file() {
  for _ in $(seq 150); do
    if [[ -s "$1" ]]; then
      tr -d '[:space:]' <"$1"
      return 0
    fi
    kill -0 "$2" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# Starts node1..nodeN with fresh databases, each after the first given node1
# as its peer (they learn the rest from it), and waits until every node is
# linked with all the others.
start_cluster() {
  local run="$1" dir="$WORK/cluster-$1" certs="$WORK/cluster-certs" names=() i
  for i in $(seq "$CLUSTER_NODES"); do names+=("node$i"); done
  mkdir -p "$dir"
  [[ -s "$certs/ca.pem" ]] || "$ROOT/deploy/cluster-certs.sh" "$certs" "${names[@]}" >/dev/null
  local peer=() name pid port cluster_port
  for i in $(seq "$CLUSTER_NODES"); do
    name="node$i"
    "$CHATD" --node "$name" --node-id "$i" --host 127.0.0.1 --port 0 --port-file "$dir/$name.port" \
      --cluster-host 127.0.0.1 --cluster-port 0 --cluster-port-file "$dir/$name.cluster-port" \
      --cluster-ca "$certs/ca.pem" --cluster-cert "$certs/$name.pem" --cluster-key "$certs/$name.key" \
      "${peer[@]}" --db "$dir/$name.db" --config "$WORK/chatd.toml" --log-level warn \
      >"$dir/$name.log" 2>&1 &
    pid=$!
    CLUSTER_PIDS+=("$pid")
    if ! port="$(wait_port_file "$dir/$name.port" "$pid")" ||
      ! cluster_port="$(wait_port_file "$dir/$name.cluster-port" "$pid")" ||
      ! wait_listening "$port" "$pid"; then
      echo "run.sh: cluster $name did not start; its log:" >&2
      cat "$dir/$name.log" >&2
      return 1
    fi
    CLUSTER_PORTS+=("$port")
    [[ $i == 1 ]] && peer=(--peer "127.0.0.1:$cluster_port")
  done
  for port in "${CLUSTER_PORTS[@]}"; do
    if ! python3 "$ROOT/bench/chatd_stats.py" --port "$port" \
      --wait-peers $((CLUSTER_NODES - 1)) --timeout 30 >/dev/null; then
      echo "run.sh: the cluster did not link; node logs:" >&2
      tail -n 20 "$dir"/*.log >&2
      return 1
    fi
  done
}

# Sums the nodes' /stats: "<fewest peers of a node> <cluster_msgs_sent> <cluster_msgs_received>".
cluster_stats() {
  local port
  for port in "${CLUSTER_PORTS[@]}"; do
    python3 "$ROOT/bench/chatd_stats.py" --port "$port" --timeout 10 || printf '?\t0\t0\t0\n'
  done | awk -F'\t' -v nodes="$CLUSTER_NODES" '
    { peers = (NR == 1 || $2 < peers) ? $2 : peers; sent += $3; received += $4 }
    END { if (NR < nodes) peers = 0; print peers, sent, received }'
}

# run_cluster_bench <label> <chat-bench scenario flags...>: chat-bench's
# clients spread over the nodes, each node's /stats read before and after.
run_cluster_bench() {
  local label="$1"
  shift
  if ! start_cluster "$label"; then
    log "chatd: $label skipped: the cluster did not form"
    stop_cluster
    return 0
  fi
  local ports before after
  ports="$(IFS=,; echo "${CLUSTER_PORTS[*]}")"
  before="$(cluster_stats)"
  log "chatd cluster of $CLUSTER_NODES: $label"
  echo "chatd cluster of $CLUSTER_NODES: chat-bench --dialect chat --port PORT1,PORT2,PORT3 --label $label $*" \
    >>"$COMMANDS"
  "$BENCH" --dialect chat --port "$ports" --label "$label" --json "$WORK/$label-chatd.json" \
    --tsv "$RESULTS" --servers-tsv "$SERVERS_TSV" --setup-timeout "$SETUP_TIMEOUT" "$@" |
    tee "$WORK/$label-chatd.txt" >&2 || log "chatd cluster $label: chat-bench failed"
  after="$(cluster_stats)"
  stop_cluster
  [[ -s "$CLUSTER_TSV" ]] ||
    printf 'label\tnodes\tpeers_after\tcluster_msgs_sent\tcluster_msgs_received\n' >"$CLUSTER_TSV"
  read -r _ sent_before received_before <<<"$before"
  read -r peers_after sent_after received_after <<<"$after"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$CLUSTER_NODES" "$peers_after" \
    $((sent_after - sent_before)) $((received_after - received_before)) >>"$CLUSTER_TSV"
}

# --- InspIRCd ----------------------------------------------------------------

install_inspircd() {
  command -v /usr/sbin/inspircd >/dev/null 2>&1 && return 0
  log "installing InspIRCd (Debian package inspircd)"
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y inspircd
}

# The user InspIRCd runs as: never root.
inspircd_user() {
  if [[ $(id -u) != 0 ]]; then id -un; elif id irc >/dev/null 2>&1; then echo irc; else echo nobody; fi
}

# Limits raised so that only the server's own speed shows (see the
# InspIRCd section of docs/benchmarks.md for each setting).
inspircd_config() {
  local dir="$1" port="$2"
  cat <<EOF
<server name="bench.irc.local" description="chat-bench comparison" network="BenchNet">
<admin name="chat-bench" nick="bench" email="bench@localhost">
<bind address="127.0.0.1" port="$port" type="clients">
<connect name="bench" allow="127.0.0.0/8"
         maxchans="20" timeout="120" pingfreq="3600"
         hardsendq="64M" softsendq="64M" recvq="64M"
         threshold="1000000" commandrate="1000000000" fakelag="no"
         localmax="100000" globalmax="100000" maxconnwarn="no" limit="100000"
         resolvehostnames="no" useident="no">
<performance netbuffersize="65536" somaxconn="4096" softlimit="20000"
             clonesonconnect="no" quietbursts="yes">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$dir/ircd.log">
EOF
}

start_inspircd() {
  local run="$1" dir="$WORK/inspircd-$1" user attempt
  user="$(inspircd_user)"
  mkdir -p "$dir"
  # A port can still be taken between the check and the bind: try again.
  for attempt in 1 2 3; do
    SERVER_PORT="$(free_port)"
    inspircd_config "$dir" "$SERVER_PORT" >"$dir/inspircd.conf"
    local cmd=(/usr/sbin/inspircd --config "$dir/inspircd.conf" --nofork --nopid)
    if [[ $(id -u) == 0 ]]; then
      chown -R "$user" "$dir"
      # setpriv execs in place (no watching parent as with runuser), so $! is
      # the server's own PID, which chat-bench reads /proc figures from.
      setpriv --reuid="$user" --regid="$(id -g "$user")" --init-groups "${cmd[@]}" \
        >"$dir/stdout.log" 2>&1 &
    else
      "${cmd[@]}" >"$dir/stdout.log" 2>&1 &
    fi
    SERVER_PID=$!
    wait_listening "$SERVER_PORT" && return 0
    log "InspIRCd did not start on port $SERVER_PORT (attempt $attempt)"
    stop_server
  done
  echo "run.sh: InspIRCd did not start; its output:" >&2
  cat "$dir/stdout.log" "$dir/ircd.log" >&2 2>/dev/null || true
  return 1
}

# --- scenarios ---------------------------------------------------------------

# run_bench <server> <label> <chat-bench scenario flags...>
run_bench() {
  local server="$1" label="$2"
  shift 2
  local dialect=chat
  [[ $server == inspircd ]] && dialect=irc
  local started=0
  if [[ $server == chatd ]]; then
    start_chatd "$label" && started=1
  else
    start_inspircd "$label" && started=1
  fi
  if [[ $started == 0 ]]; then
    log "$server: $label skipped: the server did not start"
    stop_server
    return 0
  fi
  [[ $TLS == 1 ]] && set -- --tls "$@"
  local cmd=("$BENCH" --dialect "$dialect" --port "$SERVER_PORT" --server-pid "$SERVER_PID"
    --label "$label" --json "$WORK/$label-$server.json" --tsv "$RESULTS"
    --setup-timeout "$SETUP_TIMEOUT" "$@")
  log "$server: $label"
  echo "$server: chat-bench --dialect $dialect --port PORT --server-pid PID --label $label $*" \
    >>"$COMMANDS"
  "${cmd[@]}" | tee "$WORK/$label-$server.txt" >&2 || log "$server $label: chat-bench failed"
  stop_server
}

run_server() {
  local server="$1"
  IFS=, read -ra wanted <<<"$SCENARIOS"
  for scenario in "${wanted[@]}"; do
    case "$scenario" in
      fanout) run_bench "$server" fanout --scenario fanout --duration "$DURATION" ;;
      rooms) run_bench "$server" rooms --scenario rooms --duration "$DURATION" ;;
      idle) run_bench "$server" idle --scenario idle ;;
      storm) run_bench "$server" storm --scenario storm ;;
      sizes)
        IFS=, read -ra sizes <<<"$SIZES"
        for size in "${sizes[@]}"; do
          run_bench "$server" "size-$size" --scenario fanout --clients "$size" --duration "$DURATION"
        done
        ;;
      tls)
        # chatd only: plain and TLS fan-out back to back, idle memory and a
        # storm of 5,000 connect+login over TLS (with plain idle at the same
        # size to compare with).
        [[ $server == chatd ]] || continue
        make_tls_cert
        run_bench "$server" fanout-plain --scenario fanout --duration "$DURATION"
        TLS=1 run_bench "$server" fanout-tls --scenario fanout --duration "$DURATION"
        run_bench "$server" idle-plain-5k --scenario idle --clients 5000
        TLS=1 run_bench "$server" idle-tls --scenario idle --clients 5000
        TLS=1 run_bench "$server" storm-tls --scenario storm
        ;;
      cluster)
        # chatd only: one room spread over three linked nodes.
        [[ $server == chatd ]] || continue
        run_cluster_bench cluster --scenario cluster --duration "$DURATION"
        ;;
      *) echo "run.sh: unknown scenario $scenario" >&2; exit 2 ;;
    esac
  done
}

# --- report ------------------------------------------------------------------

# The TSV column of that name, for awk.
column_of() { head -1 "$RESULTS" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }

markdown_table() {
  awk -F'\t' '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    function v(name) { return $(c[name]) }
    function mb(kb) { return kb == "-" ? "-" : sprintf("%.1f", kb / 1024) }
    function kb(bytes) { return bytes == "-" ? "-" : sprintf("%.1f", bytes / 1024) }
    function lat(us) { return v("sent") == 0 ? "-" : sprintf("%.2f", us / 1000) }
    function rate(x) { return v("sent") == 0 ? "-" : x }
    BEGIN {
      print "| run | server | clients | rooms x members | deliveries/s | p50 ms | p99 ms | p99.9 ms | lost | dup | reordered | connect+login s | failed | peak RSS MB | RSS/conn KB | CPU s | clean |"
      print "|---|---|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
    }
    {
      server = v("dialect") == "irc" ? "InspIRCd" : "chatd"
      rooms = v("rooms") == 0 ? "lobby" : v("rooms") " x " v("members_per_room")
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %s | %s | %s | %s | %s |\n",
        v("label"), server, v("clients"), rooms, rate(v("deliveries_per_sec")), lat(v("p50_us")),
        lat(v("p99_us")), lat(v("p999_us")), rate(v("lost")), rate(v("duplicated")),
        rate(v("out_of_order")), v("connect_login_s"), v("failed") + v("disconnects"),
        mb(v("server_peak_rss_kb")), kb(v("rss_per_conn_bytes")), v("server_cpu_s"), v("clean")
    }' "$RESULTS"
}

# Issue 5's targets, checked against chatd's rows (and InspIRCd's, for fanout).
targets_section() {
  awk -F'\t' '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    function v(name) { return $(c[name]) }
    { key = v("label") "/" v("dialect"); seen[key] = 1
      rate[key] = v("deliveries_per_sec"); p99[key] = v("p99_us") / 1000; lost[key] = v("lost")
      login[key] = v("connect_login_s"); failed[key] = v("failed") + v("disconnects")
      logged[key] = v("logged_in"); per_conn[key] = v("rss_per_conn_bytes") }
    function mark(ok) { return ok ? "met" : "**not met**" }
    END {
      if ("fanout/chat" in seen) {
        line = sprintf("- fanout: chatd %d deliveries/s, %d lost", rate["fanout/chat"], lost["fanout/chat"])
        if ("fanout/irc" in seen) {
          line = line sprintf("; InspIRCd %d deliveries/s: %s", rate["fanout/irc"],
                              mark(rate["fanout/chat"] >= rate["fanout/irc"] && lost["fanout/chat"] == 0))
        } else {
          line = line ": " mark(lost["fanout/chat"] == 0) " for losses (InspIRCd not run)"
        }
        print line
      }
      if ("rooms/chat" in seen)
        printf "- rooms: chatd p99 %.2f ms (target <= 2 ms): %s\n", p99["rooms/chat"], mark(p99["rooms/chat"] <= 2)
      if ("storm/chat" in seen)
        printf "- storm: chatd logged in %d clients in %.2f s, %d failed (target <= 1 s, none refused): %s\n",
          logged["storm/chat"], login["storm/chat"], failed["storm/chat"],
          mark(login["storm/chat"] <= 1 && failed["storm/chat"] == 0)
      if ("idle/chat" in seen)
        printf "- idle: chatd held %d connections at %.1f KB each (%d failed)\n",
          logged["idle/chat"], per_conn["idle/chat"] / 1024, failed["idle/chat"]
      if ("fanout-tls/chat" in seen && "fanout-plain/chat" in seen && rate["fanout-plain/chat"] > 0)
        printf "- TLS fan-out: %d deliveries/s over TLS, %d plain, %.0f %% (target >= 50 %%): %s\n",
          rate["fanout-tls/chat"], rate["fanout-plain/chat"],
          100 * rate["fanout-tls/chat"] / rate["fanout-plain/chat"],
          mark(rate["fanout-tls/chat"] >= rate["fanout-plain/chat"] / 2)
      if ("idle-tls/chat" in seen)
        printf "- TLS idle: %d connections at %.1f KB each (plain at the same size: %.1f KB; target <= 24 KB): %s\n",
          logged["idle-tls/chat"], per_conn["idle-tls/chat"] / 1024,
          per_conn["idle-plain-5k/chat"] / 1024, mark(per_conn["idle-tls/chat"] <= 24 * 1024)
      if ("storm-tls/chat" in seen)
        printf "- TLS storm: %d TLS connect+login in %.2f s, %d failed (target <= 3 s): %s\n",
          logged["storm-tls/chat"], login["storm-tls/chat"], failed["storm-tls/chat"],
          mark(login["storm-tls/chat"] <= 3 && failed["storm-tls/chat"] == 0)
      if (!("fanout/chat" in seen) && !("rooms/chat" in seen) && !("storm/chat" in seen) && !("idle/chat" in seen) && !("cluster/chat" in seen))
        print "- chatd was not run."
    }' "$RESULTS"
}

# The cluster runs: overall figures from results.tsv, per node from
# servers.tsv, network messages from cluster.tsv (the nodes' /stats).
cluster_table() {
  awk -F'\t' -v results="$RESULTS" -v servers="$SERVERS_TSV" '
    FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
    function v(name) { return $(c[FILENAME, name]) }
    function ms(us) { return sprintf("%.2f", us / 1000) }
    FILENAME == results {
      l = v("label"); sent[l] = v("sent"); rate[l] = v("deliveries_per_sec"); p99[l] = ms(v("p99_us"))
      senders[l] = v("senders_per_room")
      bad[l] = v("lost") + v("duplicated") + v("out_of_order"); clean[l] = v("clean"); next
    }
    FILENAME == servers {
      l = v("label"); sep = (l in node_p99) ? " / " : ""
      node_p99[l] = node_p99[l] sep ms(v("p99_us"))
      node_rate[l] = node_rate[l] sep v("deliveries_per_sec")
      node_members[l] = node_members[l] sep v("clients"); next
    }
    !header_done {
      print "| run | nodes | members per node | senders | deliveries/s | p99 ms | deliveries/s per node | p99 ms per node | network msgs/line | lost+dup+reordered | clean |"
      print "|---|--:|---|--:|--:|--:|---|---|--:|--:|---|"
      header_done = 1
    }
    {
      l = v("label")
      per_line = sent[l] > 0 ? sprintf("%.3f", v("cluster_msgs_sent") / sent[l]) : "-"
      if (v("peers_after") < v("nodes") - 1) per_line = per_line " (a node was not linked at the end)"
      printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
        l, v("nodes"), node_members[l], senders[l], rate[l], p99[l], node_rate[l], node_p99[l],
        per_line, bad[l], clean[l]
    }' "$RESULTS" "$SERVERS_TSV" "$CLUSTER_TSV"
}

# The Targets line of the cluster runs: a line must cross to each other node
# once, no more.
cluster_target() {
  [[ -s "$CLUSTER_TSV" ]] || return 0
  awk -F'\t' -v results="$RESULTS" '
    FNR == 1 { for (i = 1; i <= NF; i++) c[FILENAME, $i] = i; next }
    function v(name) { return $(c[FILENAME, name]) }
    FILENAME == results { sent[v("label")] = v("sent"); rate[v("label")] = v("deliveries_per_sec"); next }
    {
      l = v("label"); floor = v("nodes") - 1
      if (sent[l] == 0) { printf "- %s: no chat lines were sent\n", l; next }
      per_line = v("cluster_msgs_sent") / sent[l]
      printf "- %s: %d nodes, %d deliveries/s, %.3f network messages per line (one per other node: %d): %s\n",
        l, v("nodes"), rate[l], per_line, floor,
        (per_line <= floor && v("peers_after") == floor) ? "met" : "**not met**"
    }' "$RESULTS" "$CLUSTER_TSV"
}

cluster_section() {
  [[ -s "$CLUSTER_TSV" ]] || return 0
  cat <<EOF

## Cluster

$(cluster_table)

- Three chatd nodes (\`node1\`..\`node3\`) on loopback, each with a fresh
  database, linked by mutual TLS (certificates by \`deploy/cluster-certs.sh\`);
  nodes 2 and 3 get node 1 as \`--peer\`. The load starts once every node's
  \`/stats\` lists the two others (\`bench/chatd_stats.py --wait-peers 2\`).
- chat-bench spreads its clients over the nodes round robin (\`--port
  P1,P2,P3\`): one room of 300 members, 100 on each node, and 6 senders, 2 on
  each node, each with a window of 32 messages in flight as in fanout. All
  nodes and chat-bench share the machine's cores.
- deliveries/s and p99 per node: the deliveries to the members on that node
  (the receiving node), from every sender; the columns before are over all members.
- network msgs/line: chat messages the nodes sent each other during the run
  (the sum of \`cluster_msgs_sent\` of every node's \`/stats\`, after minus
  before) per chat line sent. A line goes once to each other node that has
  members of the room, so with members on all three nodes it should be 2;
  more would mean a line is relayed per member or more than once.
- No server memory or CPU columns: there are three server processes.
- Each node was started as \`chatd --node nodeI --node-id I --host 127.0.0.1
  --port 0 --port-file F --cluster-host 127.0.0.1 --cluster-port 0
  --cluster-port-file F --cluster-ca ca.pem --cluster-cert nodeI.pem
  --cluster-key nodeI.key [--peer 127.0.0.1:NODE1_CLUSTER_PORT] --db FRESH.db
  --config chatd.toml --log-level warn\` (\`chatd.toml\` as below).
EOF
}

# One data file per server for the plot: members, deliveries/s, p99 in ms.
plot_data() {
  local dialect="$1"
  awk -F'\t' -v d="$dialect" '
    NR == 1 { for (i = 1; i <= NF; i++) c[$i] = i; next }
    $(c["dialect"]) == d && $(c["scenario"]) == "fanout" && $(c["sent"]) > 0 {
      print $(c["members_per_room"]), $(c["deliveries_per_sec"]), $(c["p99_us"]) / 1000
    }' "$RESULTS" | sort -n
}

write_plots() {
  local svg="$1" ascii="$2" series=() names=()
  plot_data chat >"$WORK/plot-chatd.dat"
  plot_data irc >"$WORK/plot-inspircd.dat"
  [[ -s "$WORK/plot-chatd.dat" ]] && series+=("$WORK/plot-chatd.dat") && names+=(chatd)
  [[ -s "$WORK/plot-inspircd.dat" ]] && series+=("$WORK/plot-inspircd.dat") && names+=(InspIRCd)
  [[ ${#series[@]} -gt 0 ]] || return 1
  local rate_plot="" p99_plot="" p99_ascii="" i
  for i in "${!series[@]}"; do
    rate_plot+="${rate_plot:+, }'${series[$i]}' using 1:2 with linespoints title '${names[$i]} deliveries/s' axes x1y1"
    p99_plot+=", '${series[$i]}' using 1:3 with linespoints dashtype 2 title '${names[$i]} p99 ms' axes x1y2"
    p99_ascii+="${p99_ascii:+, }'${series[$i]}' using 1:3 with linespoints title '${names[$i]} p99 ms'"
  done
  gnuplot <<EOF
set terminal svg size 900,520 dynamic enhanced font 'sans,12' background rgb 'white'
set output '$svg'
set title 'Fan-out: one room, 5 senders, ${DURATION} s per size'
set logscale x
set xlabel 'members in the room'
set ylabel 'deliveries/s'
set y2label 'p99 latency (ms, log scale)'
set ytics nomirror
set y2tics
set yrange [0:*]
set logscale y2
set key outside bottom center horizontal
set grid
plot $rate_plot$p99_plot
EOF
  {
    gnuplot <<EOF
set terminal dumb size 90,24
set logscale x
set title 'deliveries/s against members in the room'
set key top right
plot $rate_plot
EOF
    gnuplot <<EOF
set terminal dumb size 90,24
set logscale x
set title 'p99 latency (ms, log scale) against members in the room'
set logscale y
set key top left
plot $p99_ascii
EOF
  } >"$ascii"
}

machine_section() {
  local cpu mem os
  cpu="$(lscpu 2>/dev/null | sed -n 's/^Model name: *//p' | head -1)"
  mem="$(free -g 2>/dev/null | awk '/^Mem:/ { print $2 " GiB" }')"
  # shellcheck source=/dev/null
  os="$(. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME")"
  echo "- CPU: ${cpu:-unknown}, $(nproc) cores (shared by the server and chat-bench)"
  echo "- Memory: ${mem:-unknown}; kernel $(uname -r); ${os:-unknown OS}"
  echo "- Open files per process: $(ulimit -n)"
  echo "- Compiler: $(c++ --version 2>/dev/null | head -1)"
  echo "- chatd: ${CHATD_VERSION}"
  echo "- InspIRCd: ${INSPIRCD_VERSION}"
  echo "- gnuplot: $(gnuplot --version 2>/dev/null || echo none)"
}

write_report() {
  local svg_name svg ascii
  svg_name="$(basename "${OUT%.md}")-sizes.svg"
  svg="$(dirname "$OUT")/$svg_name"
  ascii="$WORK/plot.txt"
  mkdir -p "$(dirname "$OUT")"
  local have_plot=0
  write_plots "$svg" "$ascii" && have_plot=1
  {
    cat <<EOF
# Benchmarks

Written by \`bench/run.sh\` on $(date -u +%Y-%m-%dT%H:%MZ); do not edit by hand,
run it again. The load generator is \`build/chat-bench\` (\`bench/\`): one
process, one thread, epoll, every client a real TCP connection over loopback.
Each scenario starts a fresh server (and for chatd a fresh database).

## Machine and versions

$(machine_section)

## Targets

$(targets_section)
$(cluster_target)

## Results

$(markdown_table)

- deliveries/s: first arrivals while sending, over the sending time. A
  message counts once per member that should get it: every member on chatd
  (the sender gets its own message back), every member but the sender on IRC.
- p50/p99/p99.9: send to arrival, every delivery, from the time stamp in
  the message; clients use TCP_NODELAY.
- lost / dup / reordered: per (receiver, sender) pair, from the sequence
  number in each message, after waiting up to 5 s for late deliveries.
- connect+login: from the first connect() to the last login reply.
- failed: clients that did not get connected, logged in and into their room,
  plus connections lost afterwards.
- RSS/conn: the server's resident memory growth from before the first
  connection to all clients logged in and quiet, per connection. Peak RSS is
  the server's VmHWM; CPU is user+system time of the server over the run.
- The fan-out runs are closed loops that keep the server saturated, so their
  latency is mostly queueing (Little's law: about senders x window x members
  / deliveries/s). The rooms run, paced at 2 messages/s per member, is the
  latency measurement.
- chat-bench shares the machine: in the fan-out runs it uses about 0.6 of a
  core (see \`chat-bench itself\` in its text report) and the server the rest.
$(cluster_section)

## Scenarios

| run | what | target |
|---|---|---|
| fanout | 1 room of 500; 5 senders as fast as a window of 32 messages in flight each allows (a message is in flight until every member has it); ${DURATION} s | chatd deliveries/s >= InspIRCd's, none lost |
| rooms | 50 rooms of 20; every member sends 2 messages/s (window 8); ${DURATION} s | p99 <= 2 ms |
| idle | 19,900 logged-in connections in the lobby, 5 s | server memory per connection |
| storm | 5,000 clients connect and log in at once | all in <= 1 s, none refused |
| size-N | fanout with N members | the curve below |
| cluster | fanout over 3 linked chatd nodes: 1 room of 300 (100 per node), 6 senders (2 per node), window 32; ${DURATION} s | network messages per line = nodes - 1 (issue 13: the direct replica path at least as fast as the path through the lobby) |

## Deliveries/s and p99 against room size

EOF
    if [[ $have_plot == 1 ]]; then
      echo "![deliveries/s and p99 against room size]($svg_name)"
      echo
      echo '```'
      cat "$ascii"
      echo '```'
    else
      echo "(no fan-out runs: no plot)"
    fi
    cat <<EOF

## Commands

Build (\`chatd\` and \`chat-bench\` land at the top of the build tree), then run:

\`\`\`
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release && cmake --build build --target chatd chat-bench
bench/run.sh $RUN_ARGS
\`\`\`

One scenario by hand: \`build/chat-bench --scenario fanout --port PORT --server-pid PID\`
(\`--help\` lists the presets and every override; \`--json FILE\` writes the
machine-readable report; \`--strict\` exits 1 on any loss, duplicate,
reordering or failed client). CI runs the small \`SmokeTest\` of
\`tests/bench/\` (200 clients, 3 s) and asserts correctness only.

which ran, per scenario, a fresh server and then:

\`\`\`
$(cat "$COMMANDS")
\`\`\`

chatd was started as
\`chatd --host 127.0.0.1 --port 0 --port-file FILE --db FRESH.db --config chatd.toml --log-level warn\`
with this \`chatd.toml\` (the chat rate limit is per session; a benchmark
sends far faster than a person):

\`\`\`
$(cat "$WORK/chatd.toml" 2>/dev/null || echo "(chatd not run)")
\`\`\`

## InspIRCd settings

InspIRCd (Debian package \`inspircd\`, installed by \`run.sh --with-inspircd\`
when missing) runs in the foreground (\`--nofork --nopid\`) as the unprivileged
user \`irc\` (\`setpriv --reuid=irc --regid=irc --init-groups\`; \`nobody\` if
there is no \`irc\` user; the invoking user when not root), from a config file
in a temporary directory, and is stopped with SIGTERM after each scenario.
Settings were checked against \`/usr/share/doc/inspircd/examples/inspircd.conf.example\`
of the installed version:

\`\`\`
$(inspircd_config DIR PORT)
\`\`\`

- \`<connect>\`: \`localmax\`/\`globalmax\` (connections per IP, default 3),
  \`limit\` (users in the class, default 5000) raised to 100000;
  \`threshold\` and \`commandrate\` (flood penalty: default 10 commands
  and 1 command/s, in millicommands) raised to 1,000,000 and 1,000,000
  commands/s, \`fakelag="no"\` (no artificial delay);
  \`recvq\`/\`softsendq\`/\`hardsendq\` (default 8K/8K/1M) raised to 64M so
  that no queue limit drops or delays a client; \`pingfreq\` 3600 s and
  \`timeout\` 120 s so that keep-alives do not disturb the runs;
  \`resolvehostnames="no"\`, \`useident="no"\`: no DNS or ident lookups.
- \`<performance>\`: \`somaxconn\` 4096 (listen backlog, default 128) for the
  storm, \`softlimit\` 20000 (most connections, default 1024),
  \`netbuffersize\` 64K (bytes read per read), \`clonesonconnect="no"\`.
- InspIRCd is single-threaded. It completes client registrations in a
  housekeeping pass that runs once a second, so its connect+login time is
  about 1 s even for one client on an idle server: a design choice, not load.
- InspIRCd 3.15 leaves Nagle's algorithm on for client sockets (no
  \`setsockopt(TCP_NODELAY)\` in an strace of a run), so when it is not
  saturated a reply can wait for the client's delayed ACK: that is the
  ~40 ms in its p99 of paced runs. Its defaults, not a setting of ours.
- IRC does not echo a sender's own PRIVMSG: InspIRCd's deliveries per
  message are members - 1, chatd's are members.
EOF
  } >"$OUT"
  log "wrote $OUT"
  [[ $have_plot == 0 ]] || log "wrote $svg"
}

# --- main --------------------------------------------------------------------

project_version() {
  sed -n 's/^project(chatd VERSION \([0-9.]*\).*/\1/p' "$ROOT/CMakeLists.txt"
}

CHATD_VERSION="not run"
if [[ $WITH_CHATD == 1 ]]; then
  CHATD_VERSION="$("$CHATD" --version 2>/dev/null | head -1 || true)"
  commit="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "no commit")"
  CHATD_VERSION="${CHATD_VERSION:-$(project_version)} ($commit, built $(date -u -r "$CHATD" +%Y-%m-%dT%H:%MZ), Release)"
  write_chatd_config
  run_server chatd
fi
INSPIRCD_VERSION="not run"
if [[ $WITH_INSPIRCD == 1 ]]; then
  install_inspircd
  INSPIRCD_VERSION="$(dpkg-query -W -f='${Version}' inspircd 2>/dev/null || /usr/sbin/inspircd --version)"
  run_server inspircd
fi
if [[ ! -s "$RESULTS" ]]; then
  echo "run.sh: no results" >&2
  exit 1
fi
write_report
