// A TLS client with a certificate of the cluster CA: what a member looks like
// on the wire up to the end of the TLS handshake, without being a chatd node,
// for tests of what a node does with such a connection afterwards.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <string>

namespace chat::test {

class tls_member {
 public:
  // Connects to 127.0.0.1:`port` and completes a TLS handshake with
  // `cert_dir`/NAME.pem and NAME.key, checking the node against
  // `cert_dir`/ca.pem; throws std::runtime_error if any of it fails.
  tls_member(uint16_t port, const std::string& cert_dir, const std::string& name);
  ~tls_member();
  tls_member(const tls_member&) = delete;
  tls_member& operator=(const tls_member&) = delete;

  // Application bytes from the node (its BASP handshake) within `limit`, or "".
  std::string read_some(std::chrono::milliseconds limit);
  int fd() const { return fd_; }
  int local_port() const;

 private:
  void release();

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
};

}  // namespace chat::test
