#include "storage/password.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include <caf/all.hpp>
#include <stdexcept>

#include "actors/chat_error.hpp"

namespace chat::storage {
namespace {

// sodium_init picks the fastest implementations for this CPU and must run
// before any other libsodium call; a function-local static runs it exactly
// once even when several pool threads start at the same time.
void ensure_sodium() {
  static const int ready = sodium_init();
  if (ready < 0) throw std::runtime_error("libsodium cannot be initialised");
}

// A job's limits; zero means "the default" so that callers may leave them out.
kdf_limits limits_of(const hash_job& job) {
  kdf_limits limits;
  if (job.ops != 0) limits.ops = job.ops;
  if (job.mem_bytes != 0) limits.mem_bytes = static_cast<std::size_t>(job.mem_bytes);
  return limits;
}

}  // namespace

std::string hash_password(std::string_view password, const kdf_limits& limits) {
  ensure_sodium();
  char hash[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(hash, password.data(), password.size(), limits.ops, limits.mem_bytes) != 0)
    throw std::runtime_error("crypto_pwhash_str failed (out of memory or limits out of range)");
  return hash;
}

bool verify_password(const std::string& hash, std::string_view password) {
  ensure_sodium();
  // libsodium reads the hash as a C string of at most crypto_pwhash_STRBYTES;
  // anything longer is not one of ours.
  if (hash.size() >= crypto_pwhash_STRBYTES) return false;
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

caf::expected<std::string> run_hash_job(const hash_job& job) {
  try {
    return hash_password(job.password, limits_of(job));
  } catch (const std::exception& e) {
    spdlog::warn("password hashing failed: {}", e.what());
    return chat::make_error(error_code::unavailable);
  }
}

void register_password_messages(caf::actor_system_config& cfg) {
  cfg.add_message_type<hash_job>("hash_job");
  cfg.add_message_type<verify_job>("verify_job");
}

}  // namespace chat::storage
