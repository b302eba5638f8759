#include "tests/tls/tls_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace chat::test {
namespace {

using clock_type = std::chrono::steady_clock;

}  // namespace

net::tls_context test_client_context(const std::string& ca_file) {
  auto made = net::make_client_tls(ca_file, !ca_file.empty());
  if (!made) throw std::runtime_error(made.error);
  return made.context;
}

tls_client::tls_client(uint16_t port, const std::string& ca_file) {
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    close(fd_);
    throw std::runtime_error("cannot connect to chatd's TLS port");
  }
  int one = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  tls_ = std::make_unique<net::tls_stream>(test_client_context(ca_file),
                                           net::tls_stream::role::client, "127.0.0.1");
  send_output();
}

tls_client::~tls_client() {
  if (fd_ >= 0) close(fd_);
}

void tls_client::send_output() {
  std::string bytes;
  if (!tls_->take_output(bytes)) return;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    auto n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server closed: the next read says so
    sent += static_cast<std::size_t>(n);
  }
}

bool tls_client::receive(clock_type::time_point deadline) {
  if (closed_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (poll(&p, 1, remaining_ms(deadline)) <= 0) {
    error_ = "timed out";
    return false;
  }
  char chunk[65536];
  auto n = recv(fd_, chunk, sizeof(chunk), 0);
  if (n <= 0) {
    closed_ = true;
    error_ = "closed by the server";
    return false;
  }
  auto state = tls_->feed(chunk, static_cast<std::size_t>(n), plain_);
  send_output();
  if (state == net::tls_stream::state::failed) {
    error_ = tls_->error();
    return false;
  }
  return true;
}

bool tls_client::handshake(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  while (!tls_->handshake_done()) {
    if (!receive(deadline)) return false;
  }
  return true;
}

void tls_client::send_line(const std::string& line) {
  tls_->write(line + "\r\n");
  send_output();
}

std::optional<std::string> tls_client::read_line(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  for (;;) {
    auto end = plain_.find("\r\n");
    if (end != std::string::npos) {
      auto line = plain_.substr(0, end);
      plain_.erase(0, end + 2);
      return line;
    }
    if (!receive(deadline)) return std::nullopt;
  }
}

bool tls_client::wait_closed(std::chrono::milliseconds limit) {
  auto deadline = clock_type::now() + limit;
  while (receive(deadline)) {
  }
  return closed_ || tls_->current() == net::tls_stream::state::closed;
}

}  // namespace chat::test
