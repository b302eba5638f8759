// Answers that tell the truth (issue 13, item 5): node n1 of three is frozen
// (SIGSTOP, then SIGCONT) with creates, drops and registrations in flight.
// Every reply must be `ok` or `unavailable` and match the state every node
// settles on: `ok` means applied everywhere, `unavailable` applied nowhere.
// n1 is then restarted, so what its database holds is checked too. The
// request timeout is 1 s here, the freezes 2 s and 6 s: the 20 s and
// 60 s freezes against the 10 s default, scaled down.
#include <gtest/gtest.h>
#include <signal.h>

#include <atomic>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cluster_harness.hpp"

namespace chat::test {
namespace {

constexpr int in_flight = 4;  // of each kind of change

std::set<std::string> rooms_on(uint16_t port) {
  static std::atomic<int> probes{0};
  client c(port);
  if (c.login("probe" + std::to_string(++probes))["type"] != "ok") return {"<no login>"};
  auto reply = c.command("/rooms", 10s);
  std::set<std::string> names;
  for (auto& room : reply.value("rooms", json::array())) names.insert(room["name"]);
  return names;
}

// 1: registered, 0: not, -1: cannot tell yet (the nick is online somewhere).
int registered_on(uint16_t port, const std::string& nick) {
  client c(port);
  if (c.command("/mode json")["type"] != "ok") return -1;
  auto reply = c.command("/login " + nick, 10s);
  if (reply["code"] == "auth_required") return 1;
  return reply["type"] == "ok" ? 0 : -1;
}

struct outcome {
  std::string what;  // "/create made0", ...
  bool ok = false;
};

class ClusterTruth : public ::testing::TestWithParam<int> {};

TEST_P(ClusterTruth, RepliesAfterAFreezeMatchTheStateOfEveryNode) {
  const auto freeze = std::chrono::milliseconds(GetParam());
  test_cluster cluster(3, {"--request-timeout-ms", "1000"});
  const uint16_t n1 = cluster.port(0);

  // Rooms to drop, each with its own owner (one command at a time per session).
  std::vector<std::unique_ptr<client>> owners, makers, registrars;
  for (int i = 0; i < in_flight; ++i) {
    owners.push_back(std::make_unique<client>(n1));
    ASSERT_EQ(owners[i]->login("owner" + std::to_string(i))["type"], "ok");
    ASSERT_EQ(owners[i]->command("/create drop" + std::to_string(i))["type"], "ok");
    makers.push_back(std::make_unique<client>(n1));
    ASSERT_EQ(makers[i]->login("maker" + std::to_string(i))["type"], "ok");
    registrars.push_back(std::make_unique<client>(n1));
    ASSERT_EQ(registrars[i]->login("reg" + std::to_string(i))["type"], "ok");
  }
  for (int node = 1; node < 3; ++node)
    ASSERT_TRUE(eventually([&] { return rooms_on(cluster.port(node)).count("drop3") == 1; }, 10s));

  // Every change sent at once, then n1 frozen while it works on them.
  for (int i = 0; i < in_flight; ++i) {
    owners[i]->send_line("/drop drop" + std::to_string(i));
    makers[i]->send_line("/create made" + std::to_string(i));
    registrars[i]->send_line("/register secret" + std::to_string(i));
  }
  cluster.signal(0, SIGSTOP);
  std::this_thread::sleep_for(freeze);  // the freeze itself: what the test is about
  cluster.signal(0, SIGCONT);

  std::vector<outcome> drops, creates, registrations;
  auto take = [](client& c, const std::string& what, std::vector<outcome>& into) {
    auto reply = c.reply(30s);
    ASSERT_TRUE(reply["type"] == "ok" || reply["code"] == "unavailable")
        << what << " answered " << reply.dump();
    into.push_back({what, reply["type"] == "ok"});
  };
  for (int i = 0; i < in_flight; ++i) {
    take(*owners[i], "drop" + std::to_string(i), drops);
    take(*makers[i], "made" + std::to_string(i), creates);
    take(*registrars[i], "reg" + std::to_string(i), registrations);
  }
  registrars.clear();  // their nicks go offline, so the probes can ask about them
  std::string answers;
  for (auto* kind : {&drops, &creates, &registrations})
    for (auto& o : *kind) answers += o.what + (o.ok ? " ok, " : " unavailable, ");
  RecordProperty("answers", answers);  // which case this run exercised

  auto every_node_agrees = [&](const std::string& when) {
    for (int node = 0; node < 3; ++node) {
      const uint16_t port = cluster.port(node);
      std::set<std::string> rooms;
      auto rooms_match = [&] {
        rooms = rooms_on(port);
        for (auto& d : drops)
          if (rooms.count(d.what) == (d.ok ? 1u : 0u)) return false;
        for (auto& c : creates)
          if (rooms.count(c.what) == (c.ok ? 0u : 1u)) return false;
        return true;
      };
      EXPECT_TRUE(eventually(rooms_match, 20s))
          << when << ", node n" << node + 1 << " lists " << ::testing::PrintToString(rooms);
      for (auto& r : registrations) {
        int seen = -1;
        EXPECT_TRUE(eventually(
            [&] {
              seen = registered_on(port, r.what);
              return seen == (r.ok ? 1 : 0);
            },
            20s))
            << when << ", node n" << node + 1 << ": " << r.what << " answered "
            << (r.ok ? "ok" : "unavailable") << " but is " << (seen == 1 ? "" : "not ")
            << "registered";
      }
    }
  };
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}, 20s));
  every_node_agrees("after the freeze");

  // What n1's database holds is what it answered.
  ASSERT_EQ(cluster.stop(0, SIGTERM), 0);
  cluster.restart(0);
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}, 20s));
  every_node_agrees("after n1 restarted");
}

INSTANTIATE_TEST_SUITE_P(Freezes, ClusterTruth, ::testing::Values(2000, 6000));

}  // namespace
}  // namespace chat::test
