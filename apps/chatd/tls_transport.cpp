#include "apps/chatd/tls_transport.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <caf/event_based_actor.hpp>
#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman_actor_impl.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/doorman_impl.hpp>
#include <caf/io/network/interfaces.hpp>
#include <caf/io/network/stream_impl.hpp>
#include <caf/io/scribe.hpp>
#include <caf/openssl/session.hpp>
#include <memory>
#include <string>

#include "apps/chatd/handshake_deadlines.hpp"
#include "apps/chatd/refusal_log.hpp"
#include "apps/chatd/tls_policy.hpp"

namespace chat {
namespace {

using caf::io::network::native_socket;
using mpx_type = caf::io::network::default_multiplexer;

struct transport_settings {
  std::shared_ptr<handshake_deadlines> deadlines;
  std::chrono::milliseconds handshake_timeout;
  std::shared_ptr<refusal_log> refusals;
};

// A connection for CAF's BASP broker, reading and writing through tls_policy.
class tls_scribe : public caf::io::scribe {
 public:
  tls_scribe(mpx_type& mpx, native_socket fd, caf::openssl::session_ptr session, bool accepted,
             const transport_settings& ts)
      : scribe(caf::io::network::conn_hdl_from_socket(fd)),
        stream_(mpx, fd, std::move(session), accepted, fd, peer_of(fd), ts.deadlines,
                ts.handshake_timeout, ts.refusals) {}

  void configure_read(caf::io::receive_policy::config config) override {
    stream_.configure_read(config);
    if (!launched_) launch();
  }
  void ack_writes(bool enable) override { stream_.ack_writes(enable); }
  std::vector<char>& wr_buf() override { return stream_.wr_buf(); }
  std::vector<char>& rd_buf() override { return stream_.rd_buf(); }
  void graceful_shutdown() override {
    stream_.graceful_shutdown();
    detach(&stream_.backend(), false);
  }
  void flush() override { stream_.flush(this); }
  std::string addr() const override {
    auto x = caf::io::network::remote_addr_of_fd(stream_.fd());
    return x ? *x : std::string{};
  }
  uint16_t port() const override {
    auto x = caf::io::network::remote_port_of_fd(stream_.fd());
    return x ? *x : 0;
  }
  void add_to_loop() override { stream_.activate(this); }
  void remove_from_loop() override { stream_.passivate(); }

 private:
  void launch() {
    launched_ = true;
    stream_.start(this);
    // An empty write drives SSL_accept / SSL_connect before any data flows.
    stream_.force_empty_write(this);
  }

  bool launched_ = false;
  caf::io::network::stream_impl<tls_policy> stream_;
};

// The listening side: every accepted socket gets a TLS session first.
class tls_doorman : public caf::io::network::doorman_impl {
 public:
  tls_doorman(mpx_type& mpx, native_socket fd, transport_settings ts)
      : doorman_impl(mpx, fd), ts_(std::move(ts)) {}

  bool new_connection() override {
    if (detached()) return false;
    auto& mpx = acceptor_.backend();
    auto fd = acceptor_.accepted_socket();
    caf::io::network::nonblocking(fd, true);
    auto peer = peer_of(fd);  // before a failure: a peer that hung up has no address
    session_failure failure{};
    std::string reason;
    // SSL_accept runs at once: if the peer's first bytes are already here and
    // are no ClientHello (plain BASP, a port scan), the handshake fails now.
    auto session = start_tls_session(parent()->system(), fd, true, failure, reason);
    if (!session) {
      if (failure == session_failure::handshake)
        log_refused_handshake(*ts_.refusals, peer, reason);
      else
        spdlog::error("cluster connection from {} refused: no TLS session ({})", peer, reason);
      caf::io::network::close_socket(fd);
      return false;
    }
    auto scribe = caf::make_counted<tls_scribe>(mpx, fd, std::move(session), true, ts_);
    auto hdl = scribe->hdl();
    parent()->add_scribe(std::move(scribe));
    return doorman::new_connection(&mpx, hdl);
  }

 private:
  transport_settings ts_;
};

class tls_middleman : public caf::io::middleman_actor_impl {
 public:
  tls_middleman(caf::actor_config& cfg, caf::actor basp, transport_settings ts)
      : middleman_actor_impl(cfg, std::move(basp)), ts_(std::move(ts)) {}

  const char* name() const override { return "chatd.tls_middleman"; }

 protected:
  caf::expected<caf::io::scribe_ptr> connect(const std::string& host, uint16_t port) override {
    auto fd = caf::io::network::new_tcp_connection(host, port);
    if (!fd) return std::move(fd.error());
    caf::io::network::nonblocking(*fd, true);
    session_failure failure{};
    std::string reason;
    auto session = start_tls_session(system(), *fd, false, failure, reason);
    if (!session) {
      // A ClientHello that cannot be sent is a peer gone at once: the lobby
      // redials and says so; no session at all is this node's own trouble.
      if (failure == session_failure::handshake)
        spdlog::debug("cluster connection to {}:{} failed: {}", host, port, reason);
      else
        spdlog::error("cluster connection to {}:{} failed to start TLS: {}", host, port, reason);
      caf::io::network::close_socket(*fd);
      return caf::sec::cannot_connect_to_node;
    }
    return caf::make_counted<tls_scribe>(mpx(), *fd, std::move(session), false, ts_);
  }

  caf::expected<caf::io::doorman_ptr> open(uint16_t port, const char* addr, bool reuse) override {
    auto fd = caf::io::network::new_tcp_acceptor_impl(port, addr, reuse);
    if (!fd) return std::move(fd.error());
    return caf::make_counted<tls_doorman>(mpx(), *fd, ts_);
  }

 private:
  mpx_type& mpx() { return static_cast<mpx_type&>(system().middleman().backend()); }
  transport_settings ts_;
};

using sweep_atom = caf::atom_constant<caf::atom("hs_sweep")>;

// Cuts the connections whose handshake is late, a few times per timeout.
caf::behavior handshake_watchdog(caf::event_based_actor* self, transport_settings ts) {
  auto period = std::max(ts.handshake_timeout / 4, std::chrono::milliseconds(50));
  self->delayed_send(self, period, sweep_atom::value);
  return {[=](sweep_atom) {
    for (auto& peer :
         ts.deadlines->expire(handshake_deadlines::clock::now(), handshake_deadlines::shut_down))
      spdlog::error("cluster connection {} closed: its TLS handshake did not finish in {} ms", peer,
                    ts.handshake_timeout.count());
    self->delayed_send(self, period, sweep_atom::value);
  }};
}

}  // namespace

tls_transport spawn_tls_transport(caf::actor_system& sys,
                                  std::chrono::milliseconds handshake_timeout) {
  transport_settings ts{std::make_shared<handshake_deadlines>(), handshake_timeout,
                        std::make_shared<refusal_log>(std::chrono::seconds(60))};
  auto basp = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  tls_transport t;
  t.middleman = sys.spawn<tls_middleman, caf::detached + caf::hidden>(std::move(basp), ts);
  t.watchdog = sys.spawn<caf::hidden>(handshake_watchdog, ts);
  return t;
}

}  // namespace chat
