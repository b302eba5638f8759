// Password hashing with libsodium's crypto_pwhash (argon2id): slow, salted,
// the salt and parameters kept inside the hash string. Hashing takes tens of
// milliseconds and a lot of memory on purpose, so it never runs on the
// actors that serve chat: the password pool (password_pool.hpp) runs it on a
// fixed set of threads of its own.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>
#include <caf/meta/type_name.hpp>
#include <cstddef>
#include <string>
#include <string_view>

namespace chat::storage {

// Cost of one hash; defaults are libsodium's "interactive" limits.
struct kdf_limits {
  unsigned long long ops = 2;         // crypto_pwhash_OPSLIMIT_INTERACTIVE
  std::size_t mem_bytes = 64u << 20;  // crypto_pwhash_MEMLIMIT_INTERACTIVE
};

// Throws std::runtime_error if libsodium cannot hash (out of memory).
std::string hash_password(std::string_view password, const kdf_limits& limits);
bool verify_password(const std::string& hash, std::string_view password);

// Requests for the password pool: hash_job -> std::string (the hash),
// verify_job -> bool. `network` is the requester's limit key
// (net::limit_key of its address; empty for an exempt network): the pool runs
// at most one job per network at a time.
struct hash_job {
  std::string password;
  unsigned long long ops = 0;
  uint64_t mem_bytes = 0;
  std::string network;
};
struct verify_job {
  std::string hash;
  std::string password;
  std::string network;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hash_job& x) {
  return f(caf::meta::type_name("hash_job"), x.password, x.ops, x.mem_bytes, x.network);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, verify_job& x) {
  return f(caf::meta::type_name("verify_job"), x.hash, x.password, x.network);
}

// Runs a job on the calling thread; a hash that libsodium cannot compute (out
// of memory, limits out of range) is the error `unavailable`.
caf::expected<std::string> run_hash_job(const hash_job& job);

void register_password_messages(caf::actor_system_config& cfg);

}  // namespace chat::storage
