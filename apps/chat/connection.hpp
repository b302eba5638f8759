// One TCP connection to the server, non-blocking, for a poll() loop: connect,
// send lines (CRLF-terminated, buffered until the socket takes them), read
// lines. With a TLS context every connection speaks TLS (net/tls_stream.hpp):
// the handshake runs inside flush() and read(), and lines sent before it ends
// go out after it. Lines go out at the server's input rate (send_pacer.hpp):
// beyond it they wait here, and flush() lets each go at its time, so a loop
// polls until next_release() too. Owns its socket; one per client loop; not
// thread-safe.
#pragma once

#include <netdb.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/chat/line_splitter.hpp"
#include "apps/chat/send_pacer.hpp"
#include "net/tls_context.hpp"
#include "net/tls_stream.hpp"

namespace chat::client {

class connection {
 public:
  // `tls`: null for plain TCP.
  explicit connection(std::size_t max_line_bytes, net::tls_context tls = nullptr)
      : lines_(max_line_bytes), tls_context_(std::move(tls)) {}
  ~connection() { close(); }
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Starts connecting; nullopt on success so far (connecting() or open()),
  // the reason otherwise. Every address of `host` is tried in turn.
  std::optional<std::string> start(const std::string& host, uint16_t port);

  // While connecting(): poll fd() for POLLOUT and then call this. nullopt
  // when connected or still connecting (the next address); the reason when
  // every address failed.
  std::optional<std::string> on_connect_ready();

  bool connecting() const { return fd_ >= 0 && connecting_; }
  bool open() const { return fd_ >= 0 && !connecting_; }
  int fd() const { return fd_; }

  // Queues one line, to go out at the server's rate; the line end is added here.
  void send_line(std::string_view line);
  bool wants_write() const { return !outbox_.empty() || connecting_; }

  // Writes the lines whose time has come and what the socket takes now; the
  // reason when the connection broke.
  std::optional<std::string> flush();

  // When the next paced line may go (poll until then); nullopt: none waits.
  std::optional<send_pacer::clock::time_point> next_release() const { return pacer_.next_due(); }
  // Lines waiting for their time.
  std::size_t lines_waiting() const { return pacer_.waiting(); }
  // Every server reply goes through here: the ok of /login says the rate.
  void note_reply(const nlohmann::json& reply);

  enum class read_status { ok, closed, failed };
  // Reads what is there and appends the complete lines to `out`. After closed
  // or failed, `reason()` says why.
  read_status read(std::vector<std::string>& out);
  const std::string& reason() const { return reason_; }

  void close();

 private:
  std::optional<std::string> try_next_address();
  void on_connected();
  read_status tls_failed();
  void release_due();
  void write_line(std::string_view line);

  line_splitter lines_;
  int fd_ = -1;
  bool connecting_ = false;
  addrinfo* addresses_ = nullptr;
  addrinfo* next_address_ = nullptr;
  std::string last_error_;
  std::string outbox_;
  send_pacer pacer_;
  std::string reason_;
  net::tls_context tls_context_;
  std::string host_;                      // the name the certificate must carry
  std::unique_ptr<net::tls_stream> tls_;  // while connected over TLS
};

// Milliseconds for poll() until `when` (at least 0, rounded up so a wake-up
// is never early); -1 (no limit) without a time.
int ms_until(std::optional<send_pacer::clock::time_point> when);
// The shorter of two poll() timeouts, where -1 means none.
inline int sooner_ms(int a, int b) {
  return a < 0 ? b : b < 0 ? a : std::min(a, b);
}

// Blocking helpers for the modes without a terminal: connect with a deadline.
std::optional<std::string> connect_blocking(connection& conn, const std::string& host,
                                            uint16_t port, int timeout_ms);

}  // namespace chat::client
