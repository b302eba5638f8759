// The sockets of chat-bench: non-blocking TCP client connections on one
// epoll set, read and written by one thread. It knows bytes and lines, not
// chat: the load driver reacts through connection_events. With a TLS context
// every connection speaks TLS (net/tls_stream.hpp, the same class as chatd's
// gateway): lines sent before the handshake ends go out after it. Connections are
// named by the caller's ids (0 .. capacity-1), so no lookup is needed per
// event. Owned by the load driver; not thread-safe.
#pragma once

#include <netinet/in.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bench/line_splitter.hpp"
#include "net/tls_context.hpp"
#include "net/tls_stream.hpp"

namespace bench {

class connection_events {
 public:
  virtual ~connection_events() = default;
  virtual void on_connected(uint32_t id) = 0;
  virtual void on_line(uint32_t id, std::string_view line) = 0;
  // The connection failed or the peer ended it: `error` is an errno value,
  // 0 for an orderly close, -1 for a line over the length limit, -2 for a
  // failed TLS handshake or record. Not called
  // after close().
  virtual void on_closed(uint32_t id, int error) = 0;
};

class event_loop {
 public:
  // `tls`: null for plain TCP.
  event_loop(connection_events& events, uint32_t capacity, std::size_t max_line_bytes,
             chat::net::tls_context tls = nullptr);
  ~event_loop();
  event_loop(const event_loop&) = delete;
  event_loop& operator=(const event_loop&) = delete;

  // Starts connecting `id` to `server`, from `source` when it is not 0
  // (network byte order; the port is still picked by the kernel at connect
  // time, so many sources can share the ephemeral range). TCP_NODELAY is set.
  // Returns 0, or an errno value when the attempt failed at once.
  int connect(uint32_t id, const sockaddr_in& server, in_addr_t source);

  // Writes at once when the socket takes it; keeps the rest for later.
  void send(uint32_t id, std::string_view bytes);
  void close(uint32_t id);
  void close_all();
  bool is_open(uint32_t id) const { return conns_[id].fd >= 0; }

  // Waits up to timeout_ms for socket events and handles them: completes
  // connects, reads (one read per ready socket, so all share the time),
  // writes what waited.
  void poll(int timeout_ms);

  uint64_t bytes_received() const { return bytes_in_; }
  uint64_t bytes_sent() const { return bytes_out_; }

 private:
  struct connection {
    explicit connection(std::size_t max_line) : lines(max_line) {}
    int fd = -1;
    bool connecting = false;
    bool watching_writes = false;
    std::string unsent;
    line_splitter lines;
    std::unique_ptr<chat::net::tls_stream> tls;
  };

  void send_wire(uint32_t id, std::string_view bytes);  // bytes as they go on the socket

  void finish_connect(uint32_t id);
  void read_some(uint32_t id);
  void write_unsent(uint32_t id);
  void watch(uint32_t id, bool writes);         // changes the epoll interest if needed
  void set_interest(uint32_t id, bool writes);  // reads, and writes if asked
  void drop(uint32_t id, int error);            // close and tell the driver
  void report_send_failures();

  connection_events& events_;
  chat::net::tls_context tls_;
  std::string tls_scratch_;  // ciphertext or plaintext of one step, reused
  int epoll_fd_ = -1;
  std::vector<connection> conns_;
  std::vector<char> read_buffer_;
  std::vector<std::pair<uint32_t, int>> send_failures_;  // reported at the next poll
  uint64_t bytes_in_ = 0;
  uint64_t bytes_out_ = 0;
};

}  // namespace bench
