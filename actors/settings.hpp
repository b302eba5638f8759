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

#include "actors/command_cost.hpp"

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
  std::chrono::milliseconds heartbeat_interval{1000};      // middleman heartbeats between nodes
  std::chrono::milliseconds heartbeat_timeout{5000};       // a silent peer is gone after this
  std::chrono::milliseconds redial_max{2000};              // longest wait between link attempts
  std::chrono::milliseconds anti_entropy_interval{10000};  // digests compared with each peer
  // Mutual TLS between nodes (docs/security.md): every node's certificate is
  // signed by the cluster CA. Without them the cluster port refuses to open,
  // unless cluster_insecure, which only a loopback cluster may use.
  std::string cluster_ca;         // PEM file of the cluster CA: peers must chain to it
  std::string cluster_cert;       // PEM file of this node's certificate
  std::string cluster_key;        // PEM file of this node's private key
  bool cluster_insecure = false;  // plain BASP links; accepted on loopback only
  std::chrono::milliseconds cluster_handshake_timeout{5000};  // a TLS handshake not done: cut

  // --- TLS for clients (docs/security-clients.md) ---
  int tls_port = -1;      // -1: no TLS listener; 0: any free port
  std::string tls_cert;   // PEM certificate (then any intermediates) of the TLS port
  std::string tls_key;    // PEM private key of tls_cert; both re-read on SIGHUP
  bool tls_only = false;  // no plain client port: clients must use TLS
  // A TLS handshake with no bytes from the peer this long, or not done after 4x this, is closed.
  std::chrono::milliseconds tls_handshake_timeout{5000};

  // --- input and output of one connection ---
  std::size_t max_line_bytes = 4096;  // longer lines: line_too_long
  std::size_t read_chunk_bytes =
      256;  // read buffer per connection, allocated up front: sized for idle clients
  std::size_t send_queue_bytes = 1 << 20;  // unsent output past this ends the session (timeout)
  std::size_t max_queued_lines = 1024;     // input lines waiting behind a slow command: a flood

  // --- connections ---
  std::size_t max_connections = 20000;       // total client connections
  std::size_t max_connections_per_ip = 200;  // open at once from one network (see the prefixes)

  // --- limits by network (docs/operations.md, "A public server") ---
  // Per-address limits count per network: an IPv6 client picks a new address
  // from its /64 for every connection. Exempt networks count nothing.
  int limits_ipv4_prefix = 32;                         // IPv4 network size (bits)
  int limits_ipv6_prefix = 64;                         // IPv6 network size (bits)
  std::string limits_exempt = "127.0.0.0/8,::1";       // comma-separated; "": none
  std::size_t max_connections_per_minute = 30;         // new connections from one network
  std::size_t max_registrations_per_hour = 5;          // /register from one network; 0: no limit
  std::size_t max_room_creations_per_hour = 10;        // /create from one network; 0: no limit
  std::size_t max_rooms_per_unregistered_session = 2;  // /create by a session with no registration

  // --- flood control: fakelag on every input line (actors/fakelag.hpp) ---
  double rate_burst = 10;              // chat lines' worth of input at once
  double rate_per_sec = 2;             // chat lines' worth per second, sustained
  std::size_t max_held_lines = 100;    // lines held beyond the burst; one more is rate_limited
  uint32_t rate_strikes_to_kick = 50;  // refused lines in a row before the session ends
  command_costs costs;                 // what a command weighs, in chat lines

  // --- timeouts ---
  std::chrono::seconds login_timeout{60};            // a connection that never logs in is closed
  std::chrono::seconds idle_timeout{0};              // logged-in session with no input; 0: off
  std::chrono::milliseconds request_timeout{10000};  // any request between actors

  // --- rooms ---
  std::size_t max_rooms = 10000;        // rooms in all
  std::size_t max_rooms_per_user = 20;  // rooms one nick may own
  std::size_t max_members_per_room = 10000;

  // --- registrations ---
  int64_t nick_expiry_days =
      365;  // a registration nobody logged in with this long is dropped; 0: never
  std::chrono::seconds nick_expiry_sweep{3600};  // how often the expiry is checked (and at start)

  // --- passwords (libsodium argon2id) ---
  unsigned long long kdf_ops = 2;         // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t kdf_mem_bytes = 64u << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
  std::size_t max_password_bytes = 256;
  // The password pool (storage/password_pool.hpp): hashing threads (0: cores
  // - 1, at least 1) and jobs that may wait for one; beyond, `unavailable`.
  std::size_t hash_threads = 0;
  std::size_t hash_queue = 8;
};

}  // namespace chat
