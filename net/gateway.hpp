// The gateway: one broker that owns every client socket of a node.
//
// Why one broker for all connections rather than one per connection: a room's
// fanout is then one actor message carrying one rendered buffer per format and
// the list of recipients, and the gateway copies that buffer into each socket's
// output in one pass. With a broker per connection, a chat line to 500 members
// would cost 500 actor messages before a byte is written. Output is gathered
// per client and written once per turn of the gateway's mailbox, so under load
// one send carries many lines (net/socket_write.hpp). The gateway stays thin:
// framing, writing, limits; everything with meaning is in the sessions. It
// runs on CAF's multiplexer thread (as every broker does).
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/atom.hpp>
#include <caf/expected.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "net/address_limits.hpp"
#include "net/messages.hpp"
#include "net/tls_context.hpp"

namespace chat::net {

struct gateway_config {
  std::string host = "127.0.0.1";
  uint16_t port = 0;  // 0: any free port (ask with port_atom)
  bool plain = true;  // false: no plain listener (chatd --tls-only)
  // TLS listener (docs/security-clients.md): none without a context.
  tls_context tls;
  uint16_t tls_port = 0;  // 0: any free port (ask with tls_port_atom)
  // A TLS connection whose handshake stalls this long (no bytes from the peer),
  // or is not done after four times this, is closed: it costs a slot and
  // memory, and a peer that never finishes should not keep them.
  std::chrono::milliseconds tls_handshake_timeout{5000};
  std::size_t max_line_bytes = 4096;
  std::size_t read_chunk_bytes = 256;
  std::size_t send_queue_bytes = 1 << 20;
  std::size_t max_connections = 20000;
  std::size_t max_connections_per_ip = 200;             // open at once, per network
  std::size_t max_connections_per_minute = 30;          // new ones, per network (0: no limit)
  address_policy addresses;                             // what a network is, and which are exempt
  std::chrono::milliseconds log_summary_period{60000};  // connection summary at info
  // A connection that has not logged in after `login_timeout`, or a logged-in
  // one silent for `idle_timeout`, is reported to its session; 0: off.
  std::chrono::milliseconds login_timeout{0};
  std::chrono::milliseconds idle_timeout{0};
  // Sent, in text, to a connection refused for a cap, before it is closed.
  std::string refusal_total = "server full: too many connections\r\n";
  std::string refusal_per_ip = "too many connections from your address\r\n";
  std::string refusal_rate = "too many new connections from your network, try again later\r\n";
};

// Creates the session of a new connection. Called on the multiplexer thread.
using session_factory =
    std::function<caf::actor(const caf::actor& gateway, conn_id conn, const std::string& peer)>;

// Ask the gateway which port it listens on: request(gw, t, port_atom::value) -> uint16_t.
using port_atom = caf::atom_constant<caf::atom("gw_port")>;
// Ask which port the TLS listener has: request(gw, t, tls_port_atom::value) -> uint16_t (0: none).
using tls_port_atom = caf::atom_constant<caf::atom("gw_tlsport")>;
// Ask for live connection counts: request(gw, t, count_atom::value) -> uint64_t.
using count_atom = caf::atom_constant<caf::atom("gw_count")>;

// Spawns the gateway and binds its listening socket. Fails (with the reason)
// when the address cannot be bound.
caf::expected<caf::actor> spawn_gateway(caf::actor_system& sys, const gateway_config& config,
                                        session_factory make_session);

}  // namespace chat::net
