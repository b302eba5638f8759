#include "net/tls_stream.hpp"

#include <arpa/inet.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <memory>
#include <new>

namespace chat::net {
namespace {

// A plaintext chunk read from OpenSSL at a time, on the stack.
constexpr std::size_t read_chunk = 4096;

bool is_ip_address(const std::string& name) {
  unsigned char address[16];
  return inet_pton(AF_INET, name.c_str(), address) == 1 ||
         inet_pton(AF_INET6, name.c_str(), address) == 1;
}

}  // namespace

tls_stream::tls_stream(tls_context context, role side, const std::string& peer_name)
    : context_(std::move(context)) {
  ssl_ = SSL_new(context_.get());
  in_ = BIO_new(BIO_s_mem());
  out_ = BIO_new(BIO_s_mem());
  if (ssl_ == nullptr || in_ == nullptr || out_ == nullptr) {
    BIO_free(in_);
    BIO_free(out_);
    SSL_free(ssl_);
    ERR_clear_error();
    throw std::bad_alloc();
  }
  // An empty memory BIO asks to be retried (SSL_ERROR_WANT_READ), never says EOF.
  BIO_set_mem_eof_return(in_, -1);
  SSL_set_bio(ssl_, in_, out_);
  if (side == role::server) {
    SSL_set_accept_state(ssl_);
    return;
  }
  SSL_set_connect_state(ssl_);
  if (!peer_name.empty()) {
    if (is_ip_address(peer_name)) {
      X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl_), peer_name.c_str());
    } else {
      SSL_set_tlsext_host_name(ssl_, peer_name.c_str());
      SSL_set1_host(ssl_, peer_name.c_str());
    }
  }
  handshake_step();  // the ClientHello, ready in output
}

tls_stream::~tls_stream() {
  SSL_free(ssl_);
}  // frees both BIOs

tls_stream::state tls_stream::feed(const char* data, std::size_t size, std::string& plain) {
  if (state_ == state::closed || state_ == state::failed) return state_;
  if (size > 0 && BIO_write(in_, data, static_cast<int>(size)) != static_cast<int>(size)) {
    error_ = "out of memory";
    state_ = state::failed;
    return state_;
  }
  advance(plain);
  return state_;
}

void tls_stream::advance(std::string& plain) {
  if (state_ == state::handshaking) handshake_step();
  if (state_ == state::open) read_records(plain);
}

void tls_stream::handshake_step() {
  ERR_clear_error();
  const int rc = SSL_do_handshake(ssl_);
  if (rc == 1) {
    state_ = state::open;
    if (!held_.empty()) {
      std::string held;
      held.swap(held_);
      write(held.data(), held.size());
    }
    return;
  }
  const int why = SSL_get_error(ssl_, rc);
  if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE) return;
  fail(why);
}

void tls_stream::read_records(std::string& plain) {
  char buffer[read_chunk];
  for (;;) {
    ERR_clear_error();
    const int n = SSL_read(ssl_, buffer, sizeof buffer);
    if (n > 0) {
      plain.append(buffer, static_cast<std::size_t>(n));
      continue;
    }
    const int why = SSL_get_error(ssl_, n);
    if (why == SSL_ERROR_WANT_READ || why == SSL_ERROR_WANT_WRITE) return;
    if (why == SSL_ERROR_ZERO_RETURN) {
      state_ = state::closed;
      return;
    }
    return fail(why);
  }
}

void tls_stream::fail(int ssl_error) {
  state_ = state::failed;
  held_.clear();
  const long verify = SSL_get_verify_result(ssl_);
  if (verify != X509_V_OK) {
    error_ = std::string("certificate verify failed: ") + X509_verify_cert_error_string(verify);
    ERR_clear_error();
  } else if (ssl_error == SSL_ERROR_SSL) {
    error_ = take_openssl_errors();
  } else {
    error_ = "TLS error " + std::to_string(ssl_error);
    ERR_clear_error();
  }
}

void tls_stream::write(const char* data, std::size_t size) {
  if (size == 0) return;
  if (state_ == state::handshaking) {
    held_.append(data, size);
    return;
  }
  if (state_ != state::open) return;
  ERR_clear_error();
  // A memory BIO takes everything, so SSL_write does not return part way.
  const int n = SSL_write(ssl_, data, static_cast<int>(size));
  if (n <= 0) fail(SSL_get_error(ssl_, n));
}

bool tls_stream::take_output(std::string& out) {
  const std::size_t pending = BIO_ctrl_pending(out_);
  if (pending == 0) return false;
  const std::size_t before = out.size();
  out.resize(before + pending);
  const int n = BIO_read(out_, &out[before], static_cast<int>(pending));
  out.resize(before + static_cast<std::size_t>(n > 0 ? n : 0));
  return n > 0;
}

bool tls_stream::has_output() const {
  return BIO_ctrl_pending(out_) > 0;
}

void tls_stream::close() {
  if (state_ == state::open || state_ == state::handshaking) {
    ERR_clear_error();
    SSL_shutdown(ssl_);
    ERR_clear_error();
    state_ = state::closed;
  }
  held_.clear();
}

void tls_stream::release_buffers() {
  SSL_free_buffers(ssl_);  // refuses (harmlessly) while a buffer holds a partial record
  // A memory BIO keeps the capacity of the largest burst it ever held; an
  // empty one is swapped for a new one, which holds nothing.
  if (BIO_ctrl_pending(in_) == 0) {
    if (BIO* fresh = BIO_new(BIO_s_mem())) {
      BIO_set_mem_eof_return(fresh, -1);
      SSL_set0_rbio(ssl_, fresh);  // frees the old one
      in_ = fresh;
    }
  }
  if (BIO_ctrl_pending(out_) == 0) {
    if (BIO* fresh = BIO_new(BIO_s_mem())) {
      SSL_set0_wbio(ssl_, fresh);
      out_ = fresh;
    }
  }
  if (held_.empty()) std::string{}.swap(held_);
}

std::string tls_stream::protocol() const {
  return SSL_get_version(ssl_);
}

std::string tls_stream::peer_subject() const {
  X509* cert = SSL_get0_peer_certificate(ssl_);
  if (cert == nullptr) return {};
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!bio) return {};
  X509_NAME_print_ex(bio.get(), X509_get_subject_name(cert), 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return size > 0 ? std::string(data, static_cast<std::size_t>(size)) : std::string{};
}

}  // namespace chat::net
