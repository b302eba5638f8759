// Certificates for the TLS tests, made in the process with OpenSSL (no
// openssl command, no files checked in, nothing that expires between runs):
// a CA and a server certificate it signed, ECDSA P-256, valid for a day, for
// the names `localhost` and 127.0.0.1.
#pragma once

#include <string>

namespace chat::test {

struct test_pki {
  std::string ca_cert;  // PEM
  std::string cert;     // PEM: the server's, signed by ca_cert
  std::string key;      // PEM: the server's private key
};

// `common_name` tells certificates apart (e.g. before and after a reload).
test_pki make_test_pki(const std::string& common_name = "chatd test server");

// Writes `text` to `path` (replacing it), mode 0600.
void write_file(const std::string& path, const std::string& text);

}  // namespace chat::test
