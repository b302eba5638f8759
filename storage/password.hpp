// Password hashing with libsodium's crypto_pwhash (argon2id): slow, salted,
// the salt and parameters kept inside the hash string. Hashing takes tens of
// milliseconds and a lot of memory on purpose, so it never runs on the
// actors that serve chat: spawn_password_worker gives each job its own thread.
#pragma once

#include <caf/actor.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
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

// Requests for a password worker: hash_job -> std::string (the hash),
// verify_job -> bool. A worker serves one request and exits.
struct hash_job {
  std::string password;
  unsigned long long ops = 0;
  uint64_t mem_bytes = 0;
};
struct verify_job {
  std::string hash;
  std::string password;
};
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, hash_job& x) {
  return f(caf::meta::type_name("hash_job"), x.password, x.ops, x.mem_bytes);
}
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, verify_job& x) {
  return f(caf::meta::type_name("verify_job"), x.hash, x.password);
}

// A detached (own thread) actor that answers one hash_job or verify_job, then exits.
caf::actor spawn_password_worker(caf::actor_system& sys);

void register_password_messages(caf::actor_system_config& cfg);

}  // namespace chat::storage
