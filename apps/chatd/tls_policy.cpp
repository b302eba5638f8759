#include "apps/chatd/tls_policy.hpp"

#include <openssl/err.h>
#include <spdlog/spdlog.h>

#include <caf/io/network/interfaces.hpp>

namespace chat {
namespace {

std::string host_of(const std::string& peer) {
  return peer.substr(0, peer.rfind(':'));
}

}  // namespace

std::string peer_of(caf::io::network::native_socket fd) {
  auto addr = caf::io::network::remote_addr_of_fd(fd);
  auto port = caf::io::network::remote_port_of_fd(fd);
  return (addr ? *addr : std::string{"?"}) + ":" + (port ? std::to_string(*port) : "?");
}

std::string take_openssl_reason() {
  std::string reason;
  while (auto code = ERR_get_error()) {
    if (!reason.empty()) continue;  // the first entry names the cause
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    reason = text;
  }
  return reason.empty() ? "the peer closed the connection" : reason;
}

void log_refused_handshake(refusal_log& refusals, const std::string& peer,
                           const std::string& reason) {
  if (auto line = refusals.note(host_of(peer), reason, refusal_log::clock::now()))
    spdlog::error("cluster connection from {} refused in the TLS handshake: {}{}", peer, reason,
                  *line);
}

caf::openssl::session_ptr start_tls_session(caf::actor_system& sys,
                                            caf::io::network::native_socket fd, bool accepted,
                                            session_failure& failure, std::string& reason) {
  ERR_clear_error();
  failure = session_failure::none;
  auto session = std::make_unique<caf::openssl::session>(sys);
  if (!session->init()) {
    failure = session_failure::no_session;
    reason = take_openssl_reason();
    return nullptr;
  }
  if (!(accepted ? session->try_accept(fd) : session->try_connect(fd))) {
    failure = session_failure::handshake;
    reason = take_openssl_reason();
    return nullptr;
  }
  return session;
}

tls_policy::tls_policy(caf::openssl::session_ptr session, bool accepted, native_socket fd,
                       std::string peer, std::shared_ptr<handshake_deadlines> deadlines,
                       std::chrono::milliseconds limit, std::shared_ptr<refusal_log> refusals)
    : session_(std::move(session)),
      accepted_(accepted),
      fd_(fd),
      peer_(std::move(peer)),
      deadlines_(std::move(deadlines)),
      refusals_(std::move(refusals)) {
  deadlines_->add(fd_, handshake_deadlines::clock::now() + limit, peer_);
}

tls_policy::~tls_policy() {
  deadlines_->remove(fd_);
}

tls_policy::rw_state tls_policy::read_some(size_t& result, native_socket fd, void* buf,
                                           size_t len) {
  ERR_clear_error();
  auto state = session_->read_some(result, fd, buf, len);
  observe(state, result);
  return state;
}

tls_policy::rw_state tls_policy::write_some(size_t& result, native_socket fd, const void* buf,
                                            size_t len) {
  ERR_clear_error();
  auto state = session_->write_some(result, fd, buf, len);
  observe(state, result);
  return state;
}

bool tls_policy::must_read_more(native_socket fd, size_t threshold) {
  return session_->must_read_more(fd, threshold);
}

// Bytes read or written mean the handshake is done: CAF's session calls
// SSL_read or SSL_write only after SSL_accept or SSL_connect succeeded. (Not
// only bytes read: a member that finished its handshake and left before
// sending anything was logged as refused, and one slow to send was cut.)
void tls_policy::observe(rw_state state, size_t transferred) {
  if (transferred > 0 && !authenticated_) {
    authenticated_ = true;
    deadlines_->remove(fd_);
  }
  if (state != rw_state::failure || authenticated_ || failed_) return;
  failed_ = true;
  auto reason = take_openssl_reason();
  if (!deadlines_->remove(fd_)) return;  // cut by the watchdog, which says so
  // The dialing side is said once per endpoint by the lobby.
  if (!accepted_) return spdlog::debug("cluster connection to {} failed: {}", peer_, reason);
  log_refused_handshake(*refusals_, peer_, reason);
}

}  // namespace chat
