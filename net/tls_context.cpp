#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

namespace chat::net {
namespace {

tls_context wrap(SSL_CTX* ctx) {
  return tls_context(ctx, SSL_CTX_free);
}

// What both sides share: the protocol versions, and small idle connections.
tls_context_result new_context(const SSL_METHOD* method) {
  tls_context ctx = wrap(SSL_CTX_new(method));
  if (!ctx) return {nullptr, "cannot create a TLS context: " + take_openssl_errors()};
  // TLS 1.0 and 1.1 are broken or deprecated (RFC 8996); nothing newer than 1.3 exists.
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);
  SSL_CTX_set_max_proto_version(ctx.get(), TLS1_3_VERSION);
  // An idle connection then holds no 16 KB read and write buffers (docs/security-clients.md).
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_RELEASE_BUFFERS);
  return {std::move(ctx), {}};
}

}  // namespace

std::string take_openssl_errors() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof buffer);
    if (!text.empty()) text += "; ";
    text += buffer;
  }
  return text.empty() ? "unknown error" : text;
}

tls_context_result make_server_tls(const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  auto made = new_context(TLS_server_method());
  if (!made) return made;
  SSL_CTX* ctx = made.context.get();
  // A client asking for renegotiation again and again makes the server do
  // handshakes for free; clients never need it.
  SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION |
                               SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_TICKET);
  // Sessions are not resumed: the server keeps nothing of a client that left
  // (a storm of connections does not grow a cache), and sends no tickets.
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_num_tickets(ctx, 0);
  if (SSL_CTX_use_certificate_chain_file(ctx, cert_file.c_str()) != 1)
    return {nullptr, "cannot use the TLS certificate " + cert_file + ": " + take_openssl_errors()};
  const std::string mismatch =
      "the TLS key " + key_file + " does not belong to the certificate " + cert_file;
  if (SSL_CTX_use_PrivateKey_file(ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    const std::string why = take_openssl_errors();
    if (why.find("key values mismatch") != std::string::npos) return {nullptr, mismatch};
    return {nullptr, "cannot use the TLS key " + key_file + ": " + why};
  }
  if (SSL_CTX_check_private_key(ctx) != 1)
    return {nullptr, mismatch + ": " + take_openssl_errors()};
  return made;
}

tls_context_result make_client_tls(const std::string& ca_file, bool verify) {
  ERR_clear_error();
  auto made = new_context(TLS_client_method());
  if (!made) return made;
  SSL_CTX* ctx = made.context.get();
  if (!verify) {
    SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, nullptr);
    return made;
  }
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, nullptr);
  if (ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1)
      return {nullptr, "cannot load the system's CA certificates: " + take_openssl_errors()};
  } else if (SSL_CTX_load_verify_locations(ctx, ca_file.c_str(), nullptr) != 1) {
    return {nullptr, "cannot load the CA certificates " + ca_file + ": " + take_openssl_errors()};
  }
  return made;
}

}  // namespace chat::net
