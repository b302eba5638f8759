// Password hashing: argon2id strings that verify the right password only, a
// fresh salt every time, and the password pool: a fixed number of threads, a
// bounded queue, one job per network in flight.
#include <gtest/gtest.h>
#include <sodium.h>

#include <caf/all.hpp>
#include <optional>
#include <thread>
#include <type_traits>
#include <vector>

#include "actors/chat_error.hpp"
#include "storage/hash_slots.hpp"
#include "storage/password.hpp"
#include "storage/password_pool.hpp"

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

// The pool's answer to one job: the reply, or the error it got.
template <class Reply>
struct outcome {
  std::optional<Reply> reply;
  std::optional<caf::error> error;
  bool unavailable() const { return error && *error == make_error(error_code::unavailable); }
};

template <class Job>
using reply_of = std::conditional_t<std::is_same_v<Job, hash_job>, std::string, bool>;

struct PasswordPool : ::testing::Test {
  password_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};

  // Sends every job at once, in this order, then takes each one's answer (a
  // blocking receive on a request waits for that request's own response).
  template <class Job>
  std::vector<outcome<reply_of<Job>>> run_all(const password_pool_actor& pool,
                                              const std::vector<Job>& jobs) {
    using handle = decltype(self->request(pool, 20s, jobs.front()));
    std::vector<handle> sent;
    for (auto& job : jobs) sent.push_back(self->request(pool, 20s, job));
    std::vector<outcome<reply_of<Job>>> results(jobs.size());
    for (std::size_t i = 0; i < sent.size(); ++i)
      sent[i].receive([&](reply_of<Job>& r) { results[i].reply = std::move(r); },
                      [&](caf::error& e) { results[i].error = e; });
    return results;
  }

  password_pool_actor pool(std::size_t threads, std::size_t queue) {
    return spawn_password_pool(sys, password_pool_settings{threads, queue});
  }
};

hash_job cheap_hash(const std::string& password, const std::string& network) {
  return hash_job{password, crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN, network};
}

// Costly enough (tens of milliseconds) that the jobs sent behind it in the
// same burst reach the pool while it still runs.
hash_job slow_hash(const std::string& password, const std::string& network) {
  return hash_job{password, 3, 64u << 20, network};
}

TEST_F(PasswordPool, HashesThenVerifies) {
  auto passwords = pool(1, 8);
  auto hashed = run_all(passwords, std::vector<hash_job>{cheap_hash("pw", "")});
  ASSERT_TRUE(hashed[0].reply) << (hashed[0].error ? sys.render(*hashed[0].error) : "");
  const auto& hash = *hashed[0].reply;
  EXPECT_TRUE(verify_password(hash, "pw"));
  auto checked = run_all(passwords, std::vector<verify_job>{{hash, "pw", ""}, {hash, "wrong", ""}});
  EXPECT_EQ(checked[0].reply, std::optional<bool>{true});
  EXPECT_EQ(checked[1].reply, std::optional<bool>{false});
}

TEST_F(PasswordPool, FailedHashAnswersUnavailable) {
  auto passwords = pool(1, 8);
  // 1 byte of memory is below libsodium's minimum.
  auto results = run_all(passwords, std::vector<hash_job>{{"pw", 0, 1, ""}});
  EXPECT_TRUE(results[0].unavailable());
  // The worker is still there for the next job.
  EXPECT_TRUE(run_all(passwords, std::vector<hash_job>{cheap_hash("pw", "")})[0].reply);
}

TEST_F(PasswordPool, ASecondJobOfOneNetworkIsRefusedWhileTheFirstIsInFlight) {
  auto passwords = pool(2, 8);
  auto results = run_all(passwords, std::vector<hash_job>{slow_hash("first", "10.0.0.1"),
                                                          cheap_hash("second", "10.0.0.1"),
                                                          cheap_hash("other", "10.0.0.2")});
  ASSERT_TRUE(results[0].reply);
  EXPECT_TRUE(verify_password(*results[0].reply, "first"));
  EXPECT_TRUE(results[1].unavailable());
  ASSERT_TRUE(results[2].reply);  // another network is not held up
  // Once the first has ended, the network may hash again.
  EXPECT_TRUE(run_all(passwords, std::vector<hash_job>{cheap_hash("again", "10.0.0.1")})[0].reply);
}

TEST_F(PasswordPool, AJobBeyondTheQueueIsRefusedAtOnceAndTheRestAreDone) {
  auto passwords = pool(1, 2);  // one running, two waiting
  std::vector<hash_job> jobs{slow_hash("a", "n1"), cheap_hash("b", "n2"), cheap_hash("c", "n3"),
                             cheap_hash("d", "n4")};
  auto results = run_all(passwords, jobs);
  for (std::size_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(results[i].reply) << "job " << i;
    EXPECT_TRUE(verify_password(*results[i].reply, jobs[i].password));
  }
  EXPECT_TRUE(results[3].unavailable());
}

TEST_F(PasswordPool, ExemptNetworksAreNotLimitedPerNetwork) {
  auto passwords = pool(1, 4);
  auto results = run_all(passwords, std::vector<hash_job>{slow_hash("a", ""), cheap_hash("b", ""),
                                                          cheap_hash("c", "")});
  for (auto& result : results) EXPECT_TRUE(result.reply);
}

TEST_F(PasswordPool, ItsThreadsEndWithIt) {
  auto before = sys.registry().running();
  auto passwords = pool(3, 8);
  ASSERT_TRUE(run_all(passwords, std::vector<hash_job>{cheap_hash("pw", "")})[0].reply);
  caf::anon_send_exit(passwords, caf::exit_reason::user_shutdown);
  // The pool and its three workers end: wait for it, with a deadline.
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (sys.registry().running() != before && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(5ms);
  EXPECT_EQ(sys.registry().running(), before);
}

TEST(HashSlots, CapacityCountsRunningAndWaitingJobs) {
  hash_slots slots(2);
  EXPECT_EQ(slots.admit("a"), hash_refusal::none);
  EXPECT_EQ(slots.admit("b"), hash_refusal::none);
  EXPECT_EQ(slots.admit("c"), hash_refusal::full);
  slots.release("a");
  EXPECT_EQ(slots.admit("c"), hash_refusal::none);
  EXPECT_EQ(slots.in_flight(), 2u);
}

TEST(HashSlots, OneJobPerNetworkUntilItEnds) {
  hash_slots slots(10);
  EXPECT_EQ(slots.admit("2001:db8::/64"), hash_refusal::none);
  EXPECT_EQ(slots.admit("2001:db8::/64"), hash_refusal::network_busy);
  EXPECT_EQ(slots.in_flight(), 1u);
  slots.release("2001:db8::/64");
  EXPECT_EQ(slots.admit("2001:db8::/64"), hash_refusal::none);
}

TEST(HashSlots, TheEmptyKeyIsNotLimitedPerNetwork) {
  hash_slots slots(3);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(slots.admit(""), hash_refusal::none);
  EXPECT_EQ(slots.admit(""), hash_refusal::full);
}

TEST(HashSlots, ANetworkRefusedForFullnessIsNotMarkedBusy) {
  hash_slots slots(1);
  EXPECT_EQ(slots.admit("a"), hash_refusal::none);
  EXPECT_EQ(slots.admit("b"), hash_refusal::full);
  slots.release("a");
  EXPECT_EQ(slots.admit("b"), hash_refusal::none);
}

TEST(PasswordPoolSize, DefaultLeavesACoreForChat) {
  auto cores = std::thread::hardware_concurrency();
  EXPECT_EQ(default_hash_threads(), cores > 1 ? cores - 1 : 1u);
}

}  // namespace
}  // namespace chat::storage::test
