#!/usr/bin/env python3
"""Reads one chatd node's /stats for bench/run.sh's cluster scenario.

Logs in a probe user (json mode) on 127.0.0.1:PORT, asks /stats and prints one
tab-separated line: node name, number of linked peer nodes, cluster_msgs_sent,
cluster_msgs_received. With --wait-peers N it asks again until the node is
linked with N peers, so that the load starts on a whole cluster: a condition,
bounded by --timeout (exit 1 if it is not met in time).
"""

import argparse
import json
import os
import socket
import sys
import time

# Between two /stats of --wait-peers: linking takes a few round trips.
POLL_INTERVAL_S = 0.05


class Probe:
    """One json-mode connection; replies are read line by line."""

    def __init__(self, port, deadline):
        self.deadline = deadline
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=self.left())
        self.buffer = b""

    def left(self):
        return max(0.001, self.deadline - time.monotonic())

    def line(self):
        while b"\n" not in self.buffer:
            self.sock.settimeout(self.left())
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection")
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line

    def command(self, text):
        """The reply to a command: the next ok or error (events are skipped)."""
        self.sock.sendall(text.encode() + b"\n")
        while True:
            try:
                reply = json.loads(self.line())
            except ValueError:
                continue  # the text banner before json mode
            if reply.get("type") in ("ok", "error"):
                return reply


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--wait-peers", type=int, default=0, help="wait until this many peers")
    parser.add_argument("--timeout", type=float, default=30, help="seconds for everything")
    args = parser.parse_args()
    deadline = time.monotonic() + args.timeout
    try:
        probe = Probe(args.port, deadline)
        probe.command("/mode json")
        # A nick of its own: the last probe's may still be online for a moment.
        login = probe.command(f"/login stats{os.getpid()}")
        if login["type"] != "ok":
            sys.exit(f"chatd_stats: cannot log in: {login}")
        while True:
            stats = probe.command("/stats")
            if stats["type"] != "ok":
                sys.exit(f"chatd_stats: /stats failed: {stats}")
            if len(stats["nodes"]) >= args.wait_peers:
                break
            if time.monotonic() + POLL_INTERVAL_S >= deadline:
                sys.exit(f"chatd_stats: port {args.port} linked with {stats['nodes']}, "
                         f"not {args.wait_peers} peers, after {args.timeout} s")
            time.sleep(POLL_INTERVAL_S)
        probe.command("/quit")
    except (OSError, ConnectionError) as e:
        sys.exit(f"chatd_stats: port {args.port}: {e}")
    print(f"{stats['node']}\t{len(stats['nodes'])}\t{stats['cluster_msgs_sent']}\t"
          f"{stats['cluster_msgs_received']}")


if __name__ == "__main__":
    main()
