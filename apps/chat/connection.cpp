#include "apps/chat/connection.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <limits>

namespace chat::client {

std::optional<std::string> connection::start(const std::string& host, uint16_t port) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &addresses_);
  if (rc != 0) {
    addresses_ = nullptr;
    return std::string("cannot resolve ") + host + ": " + gai_strerror(rc);
  }
  next_address_ = addresses_;
  host_ = host;
  last_error_ = "no address";
  return try_next_address();
}

std::optional<std::string> connection::try_next_address() {
  while (next_address_ != nullptr) {
    const addrinfo* address = next_address_;
    next_address_ = next_address_->ai_next;
    fd_ = ::socket(address->ai_family, address->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                   address->ai_protocol);
    if (fd_ < 0) {
      last_error_ = std::strerror(errno);
      continue;
    }
    if (::connect(fd_, address->ai_addr, address->ai_addrlen) == 0) {
      connecting_ = false;
      on_connected();
      return std::nullopt;
    }
    if (errno == EINPROGRESS) {
      connecting_ = true;
      return std::nullopt;
    }
    last_error_ = std::strerror(errno);
    ::close(fd_);
    fd_ = -1;
  }
  return last_error_;
}

std::optional<std::string> connection::on_connect_ready() {
  if (!connecting()) return std::nullopt;
  int error = 0;
  socklen_t length = sizeof error;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &error, &length) < 0) error = errno;
  if (error == 0) {
    connecting_ = false;
    on_connected();
    return std::nullopt;
  }
  last_error_ = std::strerror(error);
  ::close(fd_);
  fd_ = -1;
  connecting_ = false;
  return try_next_address();
}

void connection::on_connected() {
  if (!tls_context_) return;
  tls_ = std::make_unique<net::tls_stream>(tls_context_, net::tls_stream::role::client, host_);
  tls_->take_output(outbox_);  // the ClientHello
}

void connection::send_line(std::string_view line) {
  pacer_.push(std::string{line});
  release_due();
}

void connection::release_due() {
  for (const auto& line : pacer_.take_due(send_pacer::clock::now())) write_line(line);
}

void connection::note_reply(const nlohmann::json& reply) {
  if (auto rate = rate_from_reply(reply)) pacer_.set_rate(*rate, send_pacer::clock::now());
}

void connection::write_line(std::string_view line) {
  if (!tls_) {
    outbox_.append(line);
    outbox_.append("\r\n");
    return;
  }
  std::string plain;
  plain.reserve(line.size() + 2);
  plain.append(line);
  plain.append("\r\n");
  tls_->write(plain);
  tls_->take_output(outbox_);
}

connection::read_status connection::tls_failed() {
  reason_ = "TLS: " + tls_->error();
  // A plain port answers the ClientHello with its text banner.
  if (!tls_->handshake_done() && reason_.find("wrong version number") != std::string::npos)
    reason_ += " (is this the server's TLS port?)";
  return read_status::failed;
}

std::optional<std::string> connection::flush() {
  if (open()) release_due();
  while (open() && !outbox_.empty()) {
    const ssize_t n = ::send(fd_, outbox_.data(), outbox_.size(), MSG_NOSIGNAL);
    if (n > 0) {
      outbox_.erase(0, static_cast<std::size_t>(n));
    } else if (n < 0 && errno == EINTR) {
      continue;
    } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      break;
    } else {
      reason_ = std::strerror(errno);
      return reason_;
    }
  }
  return std::nullopt;
}

connection::read_status connection::read(std::vector<std::string>& out) {
  char buffer[16384];
  for (;;) {
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n > 0 && tls_) {
      std::string plain;
      const auto state = tls_->feed(buffer, static_cast<std::size_t>(n), plain);
      tls_->take_output(outbox_);  // handshake messages, or an alert
      lines_.feed(plain, out);
      if (state == net::tls_stream::state::failed) return tls_failed();
      if (state == net::tls_stream::state::closed) {
        reason_ = "the server closed the connection";
        return read_status::closed;
      }
      if (static_cast<std::size_t>(n) < sizeof buffer) return read_status::ok;
    } else if (n > 0) {
      lines_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), out);
      if (static_cast<std::size_t>(n) < sizeof buffer) return read_status::ok;
    } else if (n == 0) {
      reason_ = "the server closed the connection";
      if (tls_ && !tls_->handshake_done()) reason_ += " during the TLS handshake";
      return read_status::closed;
    } else if (errno == EINTR) {
      continue;
    } else if (errno == EAGAIN || errno == EWOULDBLOCK) {
      return read_status::ok;
    } else {
      reason_ = std::strerror(errno);
      return read_status::failed;
    }
  }
}

void connection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  connecting_ = false;
  outbox_.clear();
  pacer_.reset();  // a new session starts with a full budget and the default rate
  lines_.clear();
  tls_.reset();
  if (addresses_ != nullptr) freeaddrinfo(addresses_);
  addresses_ = nullptr;
  next_address_ = nullptr;
}

int ms_until(std::optional<send_pacer::clock::time_point> when) {
  if (!when) return -1;
  const auto left = *when - send_pacer::clock::now();
  if (left <= send_pacer::clock::duration::zero()) return 0;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(left).count();
  return static_cast<int>(std::min<int64_t>(ms, std::numeric_limits<int>::max()));
}

std::optional<std::string> connect_blocking(connection& conn, const std::string& host,
                                            uint16_t port, int timeout_ms) {
  if (auto error = conn.start(host, port)) return error;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (conn.connecting()) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      conn.close();
      return std::string("timed out");
    }
    pollfd p{conn.fd(), POLLOUT, 0};
    const int rc = ::poll(&p, 1, static_cast<int>(left.count()));
    if (rc < 0 && errno != EINTR) return std::string(std::strerror(errno));
    if (rc > 0) {
      if (auto error = conn.on_connect_ready()) return error;
    }
  }
  return std::nullopt;
}

}  // namespace chat::client
