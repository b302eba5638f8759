#include "tests/tls/tls_server.hpp"

namespace chat::test {

tls_server::tls_server(std::vector<std::string> extra_args, const std::string& common_name) {
  auto pki = make_test_pki(common_name);
  write_file(ca_file(), pki.ca_cert);
  write_file(cert_file(), pki.cert);
  write_file(key_file(), pki.key);
  const std::string port_file = dir() + "/tls.port";
  std::vector<std::string> args{"--tls-port", "0",        "--tls-cert",      cert_file(),
                                "--tls-key",  key_file(), "--tls-port-file", port_file};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  server_ = std::make_unique<server_process>(dir(), args);
  // chatd writes the TLS port file before the client port file.
  tls_port_ = wait_for_port_file(server_->pid(), dir(), port_file);
}

test_pki tls_server::replace_certificate(const std::string& common_name,
                                         const std::string& ca_path) {
  auto pki = make_test_pki(common_name);
  write_file(ca_path, pki.ca_cert);
  write_file(cert_file(), pki.cert);
  write_file(key_file(), pki.key);
  return pki;
}

}  // namespace chat::test
