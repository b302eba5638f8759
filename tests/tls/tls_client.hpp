// A test client for chatd's TLS port: a blocking loopback socket with a
// net::tls_stream on it; the json helpers are json_lines' (shared with the
// plain test client of tests/e2e/harness.hpp). Every wait has a deadline. One per
// test connection; not thread-safe.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "net/tls_context.hpp"
#include "net/tls_stream.hpp"
#include "tests/e2e/json_lines.hpp"

namespace chat::test {

class tls_client : public json_lines {
 public:
  // Connects to 127.0.0.1:port (throws if that fails) and starts the
  // handshake; `ca_file` is trusted, or nothing is checked when it is empty.
  tls_client(uint16_t port, const std::string& ca_file);
  ~tls_client();
  tls_client(const tls_client&) = delete;
  tls_client& operator=(const tls_client&) = delete;

  // True once the handshake is done; false if it failed, the server closed
  // or the deadline passed (error() says which).
  bool handshake(std::chrono::milliseconds limit = 5s);
  const std::string& error() const { return error_; }
  net::tls_stream& stream() { return *tls_; }

  void send_line(const std::string& line) override;  // appends CRLF
  // The next line (without CRLF), or nullopt at the deadline, EOF or a TLS failure.
  std::optional<std::string> read_line(std::chrono::milliseconds limit = 5s) override;
  // True once the server has closed the connection (reads until EOF or the deadline).
  bool wait_closed(std::chrono::milliseconds limit = 5s);

 private:
  // Reads once (waiting up to the deadline), feeds the stream, sends what it
  // answers. False on timeout, EOF or failure.
  bool receive(std::chrono::steady_clock::time_point deadline);
  void send_output();

  int fd_ = -1;
  std::unique_ptr<net::tls_stream> tls_;
  std::string plain_;
  bool closed_ = false;
  std::string error_;
};

// A client TLS context: trusting `ca_file`, or checking nothing when empty.
net::tls_context test_client_context(const std::string& ca_file);

}  // namespace chat::test
