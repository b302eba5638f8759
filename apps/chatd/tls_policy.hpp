// One cluster TLS connection below CAF's stream: how its session starts, and
// the stream policy that reads and writes through it. Kept apart from the
// multiplexer glue (tls_transport.cpp) so that fuzz/fuzz_cluster_accept.cpp
// can drive exactly this code with a stranger's bytes.
//
// What it guarantees: no byte read from a connection reaches the stream (and
// so CAF's BASP broker) before its TLS handshake finished with a certificate
// of the cluster CA: CAF's session calls SSL_read only after SSL_accept or
// SSL_connect succeeded, and a handshake that fails makes read_some() fail.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/io/network/native_socket.hpp>
#include <caf/io/network/rw_state.hpp>
#include <caf/openssl/session.hpp>
#include <chrono>
#include <memory>
#include <string>

#include "apps/chatd/handshake_deadlines.hpp"
#include "apps/chatd/refusal_log.hpp"

namespace chat {

// "ADDRESS:PORT" of the connection's peer ("?" for what cannot be told).
std::string peer_of(caf::io::network::native_socket fd);

// The first reason in this thread's OpenSSL error queue, which it empties.
std::string take_openssl_reason();

// An accepted connection whose TLS handshake failed: a peer without a
// certificate of the cluster CA, or not speaking TLS at all. Logged once per
// host and interval (refusals), whether the failure shows inside the accept
// (the peer's bytes were already waiting) or later in the stream.
void log_refused_handshake(refusal_log& refusals, const std::string& peer,
                           const std::string& reason);

// Why start_tls_session() gave no session.
enum class session_failure { none, no_session, handshake };

// A TLS session for `fd` with its handshake started (SSL_accept for an
// accepted socket, else SSL_connect), or nullptr with `failure` and `reason`
// set. CAF's make_session() does the same but cannot say whether the
// handshake failed (a peer's first bytes are no ClientHello) or no session
// could be made at all (this node's trouble).
caf::openssl::session_ptr start_tls_session(caf::actor_system& sys,
                                            caf::io::network::native_socket fd, bool accepted,
                                            session_failure& failure, std::string& reason);

// The stream policy of one cluster TLS connection (the Policy of CAF's
// stream_impl): CAF's session, with OpenSSL's error queue cleared before each
// call, the connection listed in `deadlines` until its handshake is done, and
// a failed handshake logged.
class tls_policy {
 public:
  using native_socket = caf::io::network::native_socket;
  using rw_state = caf::io::network::rw_state;

  // `peer` names the other side in log lines (peer_of(fd) for a TCP socket).
  tls_policy(caf::openssl::session_ptr session, bool accepted, native_socket fd, std::string peer,
             std::shared_ptr<handshake_deadlines> deadlines, std::chrono::milliseconds limit,
             std::shared_ptr<refusal_log> refusals);
  // Runs before the stream closes the socket (a member dies before its owner's base).
  ~tls_policy();
  tls_policy(const tls_policy&) = delete;
  tls_policy& operator=(const tls_policy&) = delete;

  rw_state read_some(size_t& result, native_socket fd, void* buf, size_t len);
  rw_state write_some(size_t& result, native_socket fd, const void* buf, size_t len);
  bool must_read_more(native_socket fd, size_t threshold);

  // True once application bytes were read or written: the handshake finished.
  bool authenticated() const { return authenticated_; }
  // True once the connection failed before that.
  bool refused() const { return failed_; }

 private:
  void observe(rw_state state, size_t transferred);

  caf::openssl::session_ptr session_;
  bool accepted_;
  native_socket fd_;
  std::string peer_;  // kept: a peer that hung up has no address any more
  std::shared_ptr<handshake_deadlines> deadlines_;
  std::shared_ptr<refusal_log> refusals_;
  bool authenticated_ = false;
  bool failed_ = false;
};

}  // namespace chat
