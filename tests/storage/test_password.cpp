// Password hashing: argon2id strings that verify the right password only, a
// fresh salt every time, and the one-job worker actor.
#include <gtest/gtest.h>
#include <sodium.h>

#include <caf/all.hpp>

#include "storage/password.hpp"

namespace chat::storage::test {
namespace {

using namespace std::chrono_literals;

// The cheapest limits libsodium accepts: these tests check behaviour, not cost.
const kdf_limits fast{crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  auto hash = hash_password("s3cret", fast);
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u) << hash;
  EXPECT_TRUE(verify_password(hash, "s3cret"));
  EXPECT_FALSE(verify_password(hash, "s3cret "));
  EXPECT_FALSE(verify_password(hash, ""));
}

TEST(PasswordHash, SamePasswordHashesDifferently) {
  auto first = hash_password("same", fast);
  auto second = hash_password("same", fast);
  EXPECT_NE(first, second);
  EXPECT_TRUE(verify_password(first, "same"));
  EXPECT_TRUE(verify_password(second, "same"));
}

TEST(PasswordHash, BrokenHashNeverVerifies) {
  EXPECT_FALSE(verify_password("", "x"));
  EXPECT_FALSE(verify_password("not a hash", "x"));
  EXPECT_FALSE(verify_password(std::string(500, '$'), "x"));
}

TEST(PasswordHash, LimitsOutOfRangeThrow) {
  EXPECT_THROW(hash_password("x", kdf_limits{0, crypto_pwhash_MEMLIMIT_MIN}), std::runtime_error);
}

struct password_config : caf::actor_system_config {
  password_config() { register_password_messages(*this); }
};

struct PasswordWorker : ::testing::Test {
  password_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  // Runs one job on a fresh worker and checks that the worker then exits.
  template <class Job, class Reply>
  Reply run(Job job, Reply fallback) {
    auto worker = spawn_password_worker(sys);
    self->monitor(worker);
    self->request(worker, 10s, std::move(job))
        .receive([&](const Reply& r) { fallback = r; },
                 [&](caf::error& err) { ADD_FAILURE() << sys.render(err); });
    bool ended = false;
    self->receive([&](const caf::down_msg&) { ended = true; });
    EXPECT_TRUE(ended);
    return fallback;
  }
};

TEST_F(PasswordWorker, HashesThenVerifies) {
  auto hash =
      run(hash_job{"pw", crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN}, std::string{});
  EXPECT_TRUE(verify_password(hash, "pw"));
  EXPECT_TRUE(run(verify_job{hash, "pw"}, false));
  EXPECT_FALSE(run(verify_job{hash, "wrong"}, true));
}

TEST_F(PasswordWorker, FailedHashAnswersAnError) {
  auto worker = spawn_password_worker(sys);
  bool failed = false;
  self->request(worker, 10s, hash_job{"pw", 0, 1})  // 1 byte of memory is below the minimum
      .receive([&](const std::string&) {}, [&](caf::error&) { failed = true; });
  EXPECT_TRUE(failed);
}

}  // namespace
}  // namespace chat::storage::test
