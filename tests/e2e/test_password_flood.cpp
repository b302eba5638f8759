// The password pool end to end (issue 13, bounded hashing): a flood of
// wrong-password logins with the real argon2id cost, from one network or from
// many, cannot keep the owner of the account out or leave the owner's login
// hanging. Each loopback address (127.0.0.x) is its own network here, since
// the tests run with --limits-exempt "".
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "harness.hpp"

namespace chat::test {
namespace {

using steady = std::chrono::steady_clock;

// chatd with the real password cost, one hashing thread and a short queue.
std::vector<std::string> pool_args() {
  return {"--limits-exempt",
          "",
          "--kdf-ops",
          "2",
          "--kdf-mem-bytes",
          "67108864",
          "--hash-threads",
          "1",
          "--hash-queue",
          "4",
          "--max-connections-per-minute",
          "100000"};
}

// Registers `victim` with password `right`, then renames that session away, so
// the account is offline and its nick free.
void register_victim(uint16_t port) {
  client owner(port, "127.0.0.3");
  ASSERT_EQ(owner.login("victim")["type"], "ok");
  ASSERT_EQ(owner.command("/register right", 10s)["type"], "ok");
  ASSERT_EQ(owner.command("/nick registrar")["type"], "ok");
}

// Attackers, one thread each, looping "/login victim wrong" from their own
// source address until stopped; a connection that got bad_password (and with
// it the per-connection back-off) is replaced by a new one, as a real
// attacker would do.
class flood {
 public:
  flood(uint16_t port, std::vector<std::string> sources) {
    for (auto& source : sources)
      threads_.emplace_back([this, port, source] { attack(port, source); });
  }
  ~flood() {
    stop_ = true;
    for (auto& t : threads_) t.join();
  }
  // Waits (up to `limit`) until the flood has had both kinds of answer: a hash
  // that ran (bad_password) and a job refused by the pool (unavailable).
  bool wait_until_saturated(std::chrono::milliseconds limit) {
    const auto deadline = steady::now() + limit;
    while (steady::now() < deadline) {
      if (bad_passwords_ > 0 && refusals_ > 0) return true;
      std::this_thread::sleep_for(10ms);
    }
    return false;
  }
  int refusals() const { return refusals_; }
  int bad_passwords() const { return bad_passwords_; }

 private:
  void attack(uint16_t port, const std::string& source) {
    while (!stop_) {
      client c(port, source);
      if (c.command("/mode json")["type"] != "ok") return;
      while (!stop_) {
        auto reply = c.command("/login victim wrong", 20s);
        if (reply["code"] == "unavailable") {
          ++refusals_;
        } else if (reply["code"] == "bad_password") {
          ++bad_passwords_;
          break;  // reconnect: dodge the per-connection back-off
        } else {
          return;  // anything else (timeout, closed) ends this attacker
        }
      }
    }
  }
  std::atomic<bool> stop_{false};
  std::atomic<int> refusals_{0};
  std::atomic<int> bad_passwords_{0};
  std::vector<std::thread> threads_;
};

TEST(E2EPasswordFlood, OneNetworkFloodingWrongPasswordsCannotKeepTheOwnerOut) {
  temp_dir dir;
  server_process server(dir.path(), pool_args());
  register_victim(server.port());
  flood attackers(server.port(), std::vector<std::string>(20, "127.0.0.1"));
  ASSERT_TRUE(attackers.wait_until_saturated(20s))
      << attackers.bad_passwords() << " bad passwords, " << attackers.refusals() << " refusals";
  client owner(server.port(), "127.0.0.2");
  const auto start = steady::now();
  auto reply = owner.login("victim", "right");
  const auto took = steady::now() - start;
  EXPECT_EQ(reply["type"], "ok") << reply.dump();
  EXPECT_LT(took, 5s);
}

TEST(E2EPasswordFlood, ManyNetworksFloodingNeverLeaveTheOwnersLoginHanging) {
  temp_dir dir;
  server_process server(dir.path(), pool_args());
  register_victim(server.port());
  std::vector<std::string> sources;
  for (int i = 10; i < 50; ++i) sources.push_back("127.0.0." + std::to_string(i));
  flood attackers(server.port(), sources);
  ASSERT_TRUE(attackers.wait_until_saturated(20s))
      << attackers.bad_passwords() << " bad passwords, " << attackers.refusals() << " refusals";
  // Every attempt is answered: ok (a full queue of four waits about a second
  // for its one thread), or unavailable at once; never left hanging.
  client owner(server.port(), "127.0.0.2");
  ASSERT_EQ(owner.command("/mode json")["type"], "ok");
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto reply = owner.command("/login victim right", 5s);
    ASSERT_NE(reply["type"], "timeout") << "attempt " << attempt << " left hanging";
    if (reply["type"] == "ok") break;
    EXPECT_EQ(reply["code"], "unavailable") << reply.dump();
  }
}

}  // namespace
}  // namespace chat::test
