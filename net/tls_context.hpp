// The OpenSSL settings of chatd's TLS: one SSL_CTX for the server's client
// port, one for a client (build/chat, chat-bench). Made from files, checked
// at once, and shared: every tls_stream keeps the context it was made with, so
// a reload (SIGHUP) gives new connections a new context while the old ones go
// on with theirs. An SSL_CTX is thread-safe once made; nothing here is mutable.
#pragma once

#include <openssl/types.h>

#include <memory>
#include <string>

namespace chat::net {

using tls_context = std::shared_ptr<SSL_CTX>;

// A context, or the reason there is none (for people: names the file and what is wrong).
struct tls_context_result {
  tls_context context;
  std::string error;
  explicit operator bool() const { return context != nullptr; }
};

// The server side: `cert_file` holds the certificate (and any intermediates
// after it, PEM), `key_file` its private key (PEM). TLS 1.2 and 1.3 only; no
// renegotiation, no session cache or tickets (nothing kept per client after it
// leaves); OpenSSL's buffers released while a connection is idle.
tls_context_result make_server_tls(const std::string& cert_file, const std::string& key_file);

// The client side. `verify`: the server's certificate must chain to `ca_file`
// (PEM), or to the system's CAs when `ca_file` is empty, and name the host
// (checked per connection, see tls_stream). Without `verify` nothing is checked.
tls_context_result make_client_tls(const std::string& ca_file, bool verify);

// OpenSSL's queued errors of this thread as one line (and the queue emptied).
std::string take_openssl_errors();

}  // namespace chat::net
