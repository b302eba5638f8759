// One TLS connection driven through memory, with no socket of its own.
//
// Why memory BIOs: the gateway is one broker that owns every client socket and
// must never block. It hands this object the ciphertext it read (feed), gets
// the plaintext back for the same line framer as a plain connection, gives it
// plaintext to send (write) and takes the ciphertext to put on the socket
// (take_output). A handshake is then just bytes in and bytes out: a slow or
// silent peer holds nobody up. build/chat and chat-bench use the same class on
// the client side.
//
// Owned by one connection; not thread-safe. Keeps its tls_context alive.
#pragma once

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "net/tls_context.hpp"

namespace chat::net {

class tls_stream {
 public:
  enum class role : uint8_t { server, client };
  enum class state : uint8_t {
    handshaking,  // plaintext written now is held until the handshake is done
    open,
    closed,  // the peer sent close_notify
    failed,  // a bad handshake or record; error() says why; output may hold an alert
  };

  // A client checks the server's certificate against `peer_name` (a host
  // name, also sent as SNI, or an IP address) when its context verifies, and
  // has its ClientHello ready in output at once.
  tls_stream(tls_context context, role side, const std::string& peer_name = {});
  ~tls_stream();
  tls_stream(const tls_stream&) = delete;
  tls_stream& operator=(const tls_stream&) = delete;

  // Ciphertext read from the peer. Appends the plaintext it carried to `plain`
  // and returns the state after it. Bytes fed after closed or failed are ignored.
  state feed(const char* data, std::size_t size, std::string& plain);

  // Plaintext for the peer: encrypted now when open, held while handshaking,
  // dropped once closed or failed.
  void write(const char* data, std::size_t size);
  void write(const std::string& bytes) { write(bytes.data(), bytes.size()); }

  // Appends the ciphertext waiting for the socket to `out`; false if none was.
  bool take_output(std::string& out);
  bool has_output() const;

  // Queues close_notify (in output) and stops taking plaintext.
  void close();

  // Frees OpenSSL's record buffers and the memory BIOs' capacity while they
  // hold nothing: call on an idle connection. Costs an allocation or two when
  // traffic resumes.
  void release_buffers();

  state current() const { return state_; }
  bool handshake_done() const { return state_ == state::open; }
  const std::string& error() const { return error_; }
  // The negotiated protocol, e.g. "TLSv1.3" (after the handshake).
  std::string protocol() const;
  // The peer certificate's subject, e.g. "CN=chat.example.org"; empty if it sent none.
  std::string peer_subject() const;
  // Plaintext held until the handshake is done.
  std::size_t held_bytes() const { return held_.size(); }

 private:
  void advance(std::string& plain);
  void handshake_step();
  void read_records(std::string& plain);
  void fail(int ssl_error);

  tls_context context_;
  SSL* ssl_ = nullptr;
  BIO* in_ = nullptr;   // ciphertext from the peer, owned by ssl_
  BIO* out_ = nullptr;  // ciphertext for the peer, owned by ssl_
  state state_ = state::handshaking;
  std::string held_;
  std::string error_;
};

}  // namespace chat::net
