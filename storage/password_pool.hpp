// The password pool: every argon2id hash and check of the node runs here, on a
// fixed number of threads with a bounded queue, so password traffic of any
// volume costs a bounded amount of memory (64 MiB per running hash by default)
// and threads. A job beyond the queue, or a second job from a network that
// already has one running or waiting, is answered `unavailable` at once
// (nothing was changed, try again) rather than waiting in an unbounded line.
//
// Accepts: hash_job -> std::string (the hash string), verify_job -> bool.
#pragma once

#include <caf/actor_system.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>
#include <cstddef>
#include <string>

#include "storage/password.hpp"

namespace chat::storage {

using password_pool_actor = caf::typed_actor<caf::replies_to<hash_job>::with<std::string>,
                                             caf::replies_to<verify_job>::with<bool>>;

struct password_pool_settings {
  std::size_t threads = 0;  // hashing threads; 0: one less than the cores, at least 1
  std::size_t queue = 8;    // jobs that may wait for a thread
};

// The thread count that `threads = 0` stands for on this machine.
std::size_t default_hash_threads();

// Spawns the pool and its threads (detached workers). Stop it with an exit
// message; its workers end with it.
password_pool_actor spawn_password_pool(caf::actor_system& sys,
                                        const password_pool_settings& settings);

}  // namespace chat::storage
