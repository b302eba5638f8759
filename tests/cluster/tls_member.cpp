#include "tls_member.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <stdexcept>

namespace chat::test {
namespace {

std::string openssl_error() {
  char text[256] = "no OpenSSL error";
  if (auto code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

void set_receive_timeout(int fd, std::chrono::milliseconds limit) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(limit.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>(limit.count() % 1000 * 1000);
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

}  // namespace

tls_member::tls_member(uint16_t port, const std::string& cert_dir, const std::string& name) {
  auto fail = [this](const std::string& what) {
    auto why = what + ": " + openssl_error();
    release();  // no destructor runs for a constructor that throws
    throw std::runtime_error(why);
  };
  ctx_ = SSL_CTX_new(TLS_client_method());
  if (!ctx_) fail("SSL_CTX_new");
  if (SSL_CTX_load_verify_locations(ctx_, (cert_dir + "/ca.pem").c_str(), nullptr) != 1 ||
      SSL_CTX_use_certificate_chain_file(ctx_, (cert_dir + "/" + name + ".pem").c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(ctx_, (cert_dir + "/" + name + ".key").c_str(),
                                  SSL_FILETYPE_PEM) != 1)
    fail("loading the member's TLS files from " + cert_dir);
  SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
  fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) fail("connect");
  set_receive_timeout(fd_, std::chrono::seconds(10));
  ssl_ = SSL_new(ctx_);
  SSL_set_fd(ssl_, fd_);
  if (SSL_connect(ssl_) != 1) fail("TLS handshake with the node");
}

tls_member::~tls_member() {
  release();
}

void tls_member::release() {
  if (ssl_) SSL_free(ssl_);
  if (ctx_) SSL_CTX_free(ctx_);
  if (fd_ >= 0) close(fd_);
  ssl_ = nullptr;
  ctx_ = nullptr;
  fd_ = -1;
}

std::string tls_member::read_some(std::chrono::milliseconds limit) {
  set_receive_timeout(fd_, limit);
  char buf[4096];
  int n = SSL_read(ssl_, buf, sizeof buf);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : std::string{};
}

int tls_member::local_port() const {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

}  // namespace chat::test
