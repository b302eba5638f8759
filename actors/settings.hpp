// Every limit, timeout and tunable of a chatd node, with its default, in one
// place. Filled from the command line and the config file (apps/chatd/options.cpp);
// listed for operators in docs/operations.md. Immutable once the node starts:
// actors share it through a shared_ptr<const settings>.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace chat {

struct settings {
  // --- node ---
  std::string node_name = "chatd";                    // shown in /who and /stats
  std::string host = "127.0.0.1";                     // client listen address
  uint16_t port = 5000;                               // client listen port (0: any free port)
  std::string db_path = "data/chat.db";               // SQLite database file
  std::size_t threads = 0;                            // scheduler workers; 0: CAF's default
  std::vector<std::string> default_rooms{"general"};  // created at first start
  std::string motd;  // message of the day, shown in the banner (--motd-file); empty: none

  // --- cluster (docs/cluster.md); a node runs alone without a cluster port ---
  std::string cluster_name = "chatd";      // nodes of another cluster name are refused
  std::string cluster_host = "127.0.0.1";  // address of the cluster port
  int cluster_port = -1;                   // -1: no cluster; 0: any free port
  std::vector<std::string> peers;          // host:port of nodes to link with at start
  uint16_t node_id = 0;                    // room id slot 1..1023; 0: derived from node_name
  std::chrono::milliseconds heartbeat_interval{1000};  // middleman heartbeats between nodes
  std::chrono::milliseconds heartbeat_timeout{5000};   // a silent peer is gone after this
  std::chrono::milliseconds redial_max{2000};          // longest wait between link attempts

  // --- input and output of one connection ---
  std::size_t max_line_bytes = 4096;  // longer lines: line_too_long
  std::size_t read_chunk_bytes =
      256;  // read buffer per connection, allocated up front: sized for idle clients
  std::size_t send_queue_bytes = 1 << 20;  // unsent output past this ends the session (timeout)
  std::size_t max_queued_lines = 1024;     // input lines waiting behind a slow command: a flood

  // --- connections ---
  std::size_t max_connections = 20000;       // total client connections
  std::size_t max_connections_per_ip = 200;  // from one source address

  // --- flood control: token bucket on chat lines, /msg, /me, /say ---
  double rate_burst = 10;              // lines allowed at once
  double rate_per_sec = 2;             // lines per second, sustained
  uint32_t rate_strikes_to_kick = 50;  // refused lines in a row before the session ends

  // --- timeouts ---
  std::chrono::seconds login_timeout{60};            // a connection that never logs in is closed
  std::chrono::seconds idle_timeout{0};              // logged-in session with no input; 0: off
  std::chrono::milliseconds request_timeout{10000};  // any request between actors

  // --- rooms ---
  std::size_t max_rooms = 10000;        // rooms in all
  std::size_t max_rooms_per_user = 20;  // rooms one nick may own
  std::size_t max_members_per_room = 10000;

  // --- passwords (libsodium argon2id) ---
  unsigned long long kdf_ops = 2;         // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t kdf_mem_bytes = 64u << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
  std::size_t max_password_bytes = 256;
};

}  // namespace chat
