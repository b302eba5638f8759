#include "apps/chatd/tls_transport.hpp"

#include <openssl/err.h>
#include <spdlog/spdlog.h>

#include <caf/io/basp_broker.hpp>
#include <caf/io/middleman_actor_impl.hpp>
#include <caf/io/network/default_multiplexer.hpp>
#include <caf/io/network/doorman_impl.hpp>
#include <caf/io/network/interfaces.hpp>
#include <caf/io/network/stream_impl.hpp>
#include <caf/io/scribe.hpp>
#include <caf/openssl/session.hpp>
#include <string>

namespace chat {
namespace {

using caf::io::network::native_socket;
using caf::io::network::rw_state;
using mpx_type = caf::io::network::default_multiplexer;

std::string peer_of(native_socket fd) {
  auto addr = caf::io::network::remote_addr_of_fd(fd);
  auto port = caf::io::network::remote_port_of_fd(fd);
  return (addr ? *addr : std::string{"?"}) + ":" + (port ? std::to_string(*port) : "?");
}

// The first reason in this thread's OpenSSL error queue, which it empties.
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

// The stream policy of one TLS connection: CAF's session, with the error
// queue cleared before each call and a failed handshake logged.
class tls_policy {
 public:
  tls_policy(caf::openssl::session_ptr session, bool accepted)
      : session_(std::move(session)), accepted_(accepted) {}

  rw_state read_some(size_t& result, native_socket fd, void* buf, size_t len) {
    ERR_clear_error();
    auto state = session_->read_some(result, fd, buf, len);
    observe(state, result, fd);
    return state;
  }

  rw_state write_some(size_t& result, native_socket fd, const void* buf, size_t len) {
    ERR_clear_error();
    auto state = session_->write_some(result, fd, buf, len);
    observe(state, 0, fd);
    return state;
  }

  bool must_read_more(native_socket fd, size_t threshold) {
    return session_->must_read_more(fd, threshold);
  }

 private:
  // Bytes read mean the handshake is done: they are the peer's BASP data.
  void observe(rw_state state, size_t read, native_socket fd) {
    if (read > 0) authenticated_ = true;
    if (state != rw_state::failure || authenticated_ || logged_) return;
    logged_ = true;
    spdlog::error("cluster connection {} {} refused in the TLS handshake: {}",
                  accepted_ ? "from" : "to", peer_of(fd), take_openssl_reason());
  }

  caf::openssl::session_ptr session_;
  bool accepted_;
  bool authenticated_ = false;
  bool logged_ = false;
};

// A connection for CAF's BASP broker, reading and writing through tls_policy.
class tls_scribe : public caf::io::scribe {
 public:
  tls_scribe(mpx_type& mpx, native_socket fd, caf::openssl::session_ptr session, bool accepted)
      : scribe(caf::io::network::conn_hdl_from_socket(fd)),
        stream_(mpx, fd, std::move(session), accepted) {}

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
  tls_doorman(mpx_type& mpx, native_socket fd) : doorman_impl(mpx, fd) {}

  bool new_connection() override {
    if (detached()) return false;
    auto& mpx = acceptor_.backend();
    auto fd = acceptor_.accepted_socket();
    caf::io::network::nonblocking(fd, true);
    ERR_clear_error();
    auto session = caf::openssl::make_session(parent()->system(), fd, true);
    if (!session) {
      spdlog::error("cluster connection from {} refused: no TLS session ({})", peer_of(fd),
                    take_openssl_reason());
      caf::io::network::close_socket(fd);
      return false;
    }
    auto scribe = caf::make_counted<tls_scribe>(mpx, fd, std::move(session), true);
    auto hdl = scribe->hdl();
    parent()->add_scribe(std::move(scribe));
    return doorman::new_connection(&mpx, hdl);
  }
};

class tls_middleman : public caf::io::middleman_actor_impl {
 public:
  tls_middleman(caf::actor_config& cfg, caf::actor basp)
      : middleman_actor_impl(cfg, std::move(basp)) {}

  const char* name() const override { return "chatd.tls_middleman"; }

 protected:
  caf::expected<caf::io::scribe_ptr> connect(const std::string& host, uint16_t port) override {
    auto fd = caf::io::network::new_tcp_connection(host, port);
    if (!fd) return std::move(fd.error());
    caf::io::network::nonblocking(*fd, true);
    ERR_clear_error();
    auto session = caf::openssl::make_session(system(), *fd, false);
    if (!session) {
      spdlog::error("cluster connection to {}:{} failed to start TLS: {}", host, port,
                    take_openssl_reason());
      caf::io::network::close_socket(*fd);
      return caf::sec::cannot_connect_to_node;
    }
    return caf::make_counted<tls_scribe>(mpx(), *fd, std::move(session), false);
  }

  caf::expected<caf::io::doorman_ptr> open(uint16_t port, const char* addr, bool reuse) override {
    auto fd = caf::io::network::new_tcp_acceptor_impl(port, addr, reuse);
    if (!fd) return std::move(fd.error());
    return caf::make_counted<tls_doorman>(mpx(), *fd);
  }

 private:
  mpx_type& mpx() { return static_cast<mpx_type&>(system().middleman().backend()); }
};

}  // namespace

caf::io::middleman_actor spawn_tls_transport(caf::actor_system& sys) {
  auto basp = sys.middleman().named_broker<caf::io::basp_broker>(caf::atom("BASP"));
  return sys.spawn<tls_middleman, caf::detached + caf::hidden>(std::move(basp));
}

}  // namespace chat
