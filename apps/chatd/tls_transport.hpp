// chatd's TLS transport for cluster links: a CAF middleman actor whose
// connections run CAF's OpenSSL session (caf::openssl::session: mutual
// certificate checks against the cluster CA), with two things CAF 0.17.6's
// own openssl::middleman_actor lacks:
//  - OpenSSL's per-thread error queue is cleared before every TLS call. CAF
//    never drains it (its logging, which would, is compiled out in Debian),
//    and SSL_get_error() misreads a stale entry as a fatal error: one failed
//    handshake (a port scan, a node of another CA) made the next read of a
//    healthy link fail, and the cluster saw a netsplit.
//  - A connection that fails before its TLS handshake finished is logged
//    once with the peer's address and OpenSSL's reason.
//  - A handshake that does not finish within a time limit is cut
//    (handshake_deadlines.hpp): CAF itself never closes such a connection.
// One connection's part (session start, stream policy) is tls_policy.hpp.
// Owned by the actor system; the connections live on CAF's I/O thread.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/io/middleman_actor.hpp>
#include <chrono>

namespace chat {

struct tls_transport {
  caf::io::middleman_actor middleman;  // publishes and dials, like CAF's middleman actor
  caf::actor watchdog;                 // cuts late handshakes
};

// Spawns the transport beside CAF's BASP broker. Requires the OpenSSL module
// loaded with the cluster's certificate, key and CA in the config.
tls_transport spawn_tls_transport(caf::actor_system& sys,
                                  std::chrono::milliseconds handshake_timeout);

}  // namespace chat
