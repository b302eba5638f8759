#include "bench/event_loop.hpp"

#include <netinet/tcp.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#ifndef IP_BIND_ADDRESS_NO_PORT
#define IP_BIND_ADDRESS_NO_PORT 24  // Linux 4.2+; older libc headers lack the name
#endif

namespace bench {
namespace {

constexpr std::size_t read_buffer_bytes = 256 * 1024;
constexpr int max_events_per_poll = 512;

}  // namespace

event_loop::event_loop(connection_events& events, uint32_t capacity, std::size_t max_line_bytes,
                       chat::net::tls_context tls)
    : events_(events),
      tls_(std::move(tls)),
      epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
      read_buffer_(read_buffer_bytes) {
  conns_.reserve(capacity);
  for (uint32_t id = 0; id < capacity; ++id) conns_.emplace_back(max_line_bytes);
  if (epoll_fd_ < 0) throw std::runtime_error(std::string("epoll_create1: ") + strerror(errno));
}

event_loop::~event_loop() {
  close_all();
  ::close(epoll_fd_);
}

int event_loop::connect(uint32_t id, const sockaddr_in& server, in_addr_t source) {
  connection& c = conns_[id];
  if (c.fd >= 0) close(id);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int one = 1;
  // Chat lines are small and latency is measured: no Nagle delay.
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  if (source != 0) {
    // Defer the port choice to connect(): ports are then unique per
    // (source, server) pair, not per source, so every 127.0.0.x address gets
    // a full ephemeral range.
    setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = source;
    if (::bind(fd, reinterpret_cast<const sockaddr*>(&local), sizeof local) != 0) {
      int error = errno;
      ::close(fd);
      return error;
    }
  }
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&server), sizeof server) != 0 &&
      errno != EINPROGRESS) {
    int error = errno;
    ::close(fd);
    return error;
  }
  // Even an immediate success is reported through the first writable event,
  // so the driver never hears of a connection from inside this call.
  epoll_event ev{};
  ev.events = EPOLLOUT;
  ev.data.u32 = id;
  if (epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
    int error = errno;
    ::close(fd);
    return error;
  }
  c.fd = fd;
  c.connecting = true;
  c.watching_writes = true;
  c.unsent.clear();
  c.lines.reset();
  return 0;
}

void event_loop::send(uint32_t id, std::string_view bytes) {
  connection& c = conns_[id];
  if (!c.tls) return send_wire(id, bytes);
  c.tls->write(bytes.data(), bytes.size());
  tls_scratch_.clear();
  if (c.tls->take_output(tls_scratch_)) send_wire(id, tls_scratch_);
}

void event_loop::send_wire(uint32_t id, std::string_view bytes) {
  connection& c = conns_[id];
  if (c.fd < 0 || bytes.empty()) return;
  if (c.connecting || !c.unsent.empty()) {
    c.unsent.append(bytes);  // keeps order behind what already waits
    return;
  }
  ssize_t n = ::send(c.fd, bytes.data(), bytes.size(), MSG_NOSIGNAL);
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK) {
      send_failures_.emplace_back(id, errno);  // the driver hears of it at the next poll
      return;
    }
    n = 0;
  }
  bytes_out_ += static_cast<uint64_t>(n);
  if (static_cast<std::size_t>(n) == bytes.size()) return;
  c.unsent.append(bytes.substr(static_cast<std::size_t>(n)));
  watch(id, true);
}

void event_loop::close(uint32_t id) {
  connection& c = conns_[id];
  if (c.fd < 0) return;
  ::close(c.fd);  // also leaves the epoll set
  c.fd = -1;
  c.connecting = false;
  c.watching_writes = false;
  c.unsent.clear();
  c.unsent.shrink_to_fit();
  c.tls.reset();
}

void event_loop::close_all() {
  for (uint32_t id = 0; id < conns_.size(); ++id) close(id);
}

void event_loop::poll(int timeout_ms) {
  report_send_failures();
  epoll_event events[max_events_per_poll];
  int n = epoll_wait(epoll_fd_, events, max_events_per_poll, timeout_ms);
  for (int i = 0; i < n; ++i) {
    uint32_t id = events[i].data.u32;
    uint32_t what = events[i].events;
    if (conns_[id].fd < 0) continue;  // closed earlier in this batch
    if (conns_[id].connecting) {
      finish_connect(id);
      continue;
    }
    if (what & (EPOLLIN | EPOLLHUP | EPOLLERR)) read_some(id);
    if ((what & EPOLLOUT) && conns_[id].fd >= 0) write_unsent(id);
  }
  report_send_failures();
}

void event_loop::finish_connect(uint32_t id) {
  connection& c = conns_[id];
  int error = 0;
  socklen_t len = sizeof error;
  if (getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0) error = errno;
  if (error != 0) {
    drop(id, error);
    return;
  }
  c.connecting = false;
  if (tls_) {
    c.tls = std::make_unique<chat::net::tls_stream>(tls_, chat::net::tls_stream::role::client);
    c.tls->take_output(c.unsent);  // the ClientHello, first on the wire
  }
  set_interest(id, !c.unsent.empty());  // from "writable" (the connect) to reading
  events_.on_connected(id);
}

void event_loop::read_some(uint32_t id) {
  connection& c = conns_[id];
  ssize_t n = ::recv(c.fd, read_buffer_.data(), read_buffer_.size(), 0);
  if (n == 0) {
    drop(id, 0);
    return;
  }
  if (n < 0) {
    if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) drop(id, errno);
    return;
  }
  bytes_in_ += static_cast<uint64_t>(n);
  std::string_view received(read_buffer_.data(), static_cast<std::size_t>(n));
  std::string plain;
  if (c.tls) {
    auto state = c.tls->feed(received.data(), received.size(), plain);
    tls_scratch_.clear();
    if (c.tls->take_output(tls_scratch_)) send_wire(id, tls_scratch_);  // handshake messages
    if (state == chat::net::tls_stream::state::failed) return drop(id, -2);
    if (state == chat::net::tls_stream::state::closed) return drop(id, 0);
    received = plain;
  }
  auto status = c.lines.feed(received, [&](std::string_view line) {
    events_.on_line(id, line);
    return conns_[id].fd >= 0;  // the driver may have closed it
  });
  if (status == line_splitter::status::overflow) drop(id, -1);
}

void event_loop::write_unsent(uint32_t id) {
  connection& c = conns_[id];
  while (!c.unsent.empty()) {
    ssize_t n = ::send(c.fd, c.unsent.data(), c.unsent.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) return;
      drop(id, errno);
      return;
    }
    bytes_out_ += static_cast<uint64_t>(n);
    c.unsent.erase(0, static_cast<std::size_t>(n));
  }
  watch(id, false);
}

void event_loop::watch(uint32_t id, bool writes) {
  if (conns_[id].watching_writes != writes) set_interest(id, writes);
}

void event_loop::set_interest(uint32_t id, bool writes) {
  connection& c = conns_[id];
  epoll_event ev{};
  ev.events = EPOLLIN | (writes ? EPOLLOUT : 0u);
  ev.data.u32 = id;
  epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
  c.watching_writes = writes;
}

void event_loop::drop(uint32_t id, int error) {
  close(id);
  events_.on_closed(id, error);
}

void event_loop::report_send_failures() {
  while (!send_failures_.empty()) {
    auto failures = std::move(send_failures_);
    send_failures_.clear();
    for (auto [id, error] : failures)
      if (conns_[id].fd >= 0) drop(id, error);
  }
}

}  // namespace bench
