#include "apps/chatd/cluster_tls.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <sys/stat.h>

#include <memory>

namespace chat {
namespace {

std::string openssl_reason() {
  char text[256] = "unknown error";
  if (auto code = ERR_get_error()) ERR_error_string_n(code, text, sizeof text);
  ERR_clear_error();
  return text;
}

}  // namespace

std::string check_cluster_credentials(const settings& s) {
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(TLS_method()), SSL_CTX_free};
  if (!ctx) return "cannot create an OpenSSL context: " + openssl_reason();
  if (SSL_CTX_load_verify_locations(ctx.get(), s.cluster_ca.c_str(), nullptr) != 1)
    return "cannot load the cluster CA " + s.cluster_ca + ": " + openssl_reason();
  if (SSL_CTX_use_certificate_chain_file(ctx.get(), s.cluster_cert.c_str()) != 1)
    return "cannot load the node certificate " + s.cluster_cert + ": " + openssl_reason();
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), s.cluster_key.c_str(), SSL_FILETYPE_PEM) != 1)
    return "cannot load the node key " + s.cluster_key + ": " + openssl_reason();
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return "the key " + s.cluster_key + " does not belong to the certificate " + s.cluster_cert;
  // The node's own certificate must chain to the cluster CA, or every peer refuses it.
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> check{X509_STORE_CTX_new(),
                                                                        X509_STORE_CTX_free};
  X509* own = SSL_CTX_get0_certificate(ctx.get());
  if (!check ||
      X509_STORE_CTX_init(check.get(), SSL_CTX_get_cert_store(ctx.get()), own, nullptr) != 1)
    return "cannot check the node certificate: " + openssl_reason();
  if (X509_verify_cert(check.get()) != 1)
    return "the node certificate " + s.cluster_cert + " is not valid under the cluster CA " +
           s.cluster_ca + ": " +
           X509_verify_cert_error_string(X509_STORE_CTX_get_error(check.get()));
  return "";
}

std::string key_file_permission_warning(const std::string& key_path) {
  struct stat st {};
  if (stat(key_path.c_str(), &st) != 0) return "";
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) == 0) return "";
  return "the cluster key " + key_path +
         " can be read by group or others: chmod 600 it (docs/security.md)";
}

}  // namespace chat
