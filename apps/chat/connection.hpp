// One TCP connection to the server, non-blocking, for a poll() loop: connect,
// send lines (CRLF-terminated, buffered until the socket takes them), read
// lines. With a TLS context every connection speaks TLS (net/tls_stream.hpp):
// the handshake runs inside flush() and read(), and lines sent before it ends
// go out after it. Owns its socket; one per client loop; not thread-safe.
#pragma once

#include <netdb.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apps/chat/line_splitter.hpp"
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

  // Queues one line; the line end is added here.
  void send_line(std::string_view line);
  bool wants_write() const { return !outbox_.empty() || connecting_; }

  // Writes what the socket takes now; the reason when the connection broke.
  std::optional<std::string> flush();

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

  line_splitter lines_;
  int fd_ = -1;
  bool connecting_ = false;
  addrinfo* addresses_ = nullptr;
  addrinfo* next_address_ = nullptr;
  std::string last_error_;
  std::string outbox_;
  std::string reason_;
  net::tls_context tls_context_;
  std::string host_;                      // the name the certificate must carry
  std::unique_ptr<net::tls_stream> tls_;  // while connected over TLS
};

// Blocking helpers for the modes without a terminal: connect with a deadline.
std::optional<std::string> connect_blocking(connection& conn, const std::string& host,
                                            uint16_t port, int timeout_ms);

}  // namespace chat::client
