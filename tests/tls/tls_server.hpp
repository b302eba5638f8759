// A chatd with a TLS port for the end-to-end tests: a test PKI written into
// its folder (ca.pem, cert.pem, key.pem), then the server started with
// --tls-port 0 and a TLS port file. One per test; not thread-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/harness.hpp"
#include "tests/tls/test_pki.hpp"

namespace chat::test {

class tls_server {
 public:
  explicit tls_server(std::vector<std::string> extra_args = {},
                      const std::string& common_name = "chatd test server");

  uint16_t port() const { return server_->port(); }  // plain (or the TLS port with --tls-only)
  uint16_t tls_port() const { return tls_port_; }
  server_process& process() { return *server_; }
  const std::string& dir() const { return dir_.path(); }
  std::string ca_file() const { return dir() + "/ca.pem"; }
  std::string cert_file() const { return dir() + "/cert.pem"; }
  std::string key_file() const { return dir() + "/key.pem"; }
  // Replaces the certificate and key files (not the running server's copy)
  // with a new PKI's; returns it (its CA is written to `ca_path`).
  test_pki replace_certificate(const std::string& common_name, const std::string& ca_path);

 private:
  temp_dir dir_;
  std::unique_ptr<server_process> server_;
  uint16_t tls_port_ = 0;
};

}  // namespace chat::test
