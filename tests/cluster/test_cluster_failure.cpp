// A node that dies (kill -9), freezes (SIGSTOP) or is cut off (the SIGUSR2
// partition switch): its users leave elsewhere with reason netsplit within the
// heartbeat timeout, the rest keeps chatting, and when it is back it rejoins
// by itself. After a split, both halves' rooms, registrations and nicks merge
// the same way on every node.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>

#include "cluster_harness.hpp"

namespace chat::test {
namespace {

using steady = std::chrono::steady_clock;

// Waits for `leave` events of each nick in `nicks`, all with `reason`.
void expect_leaves(client& c, std::vector<std::string> nicks, const std::string& reason) {
  while (!nicks.empty()) {
    auto ev = c.event("leave", netsplit_deadline);
    ASSERT_EQ(ev["type"], "leave") << "still waiting for " << nicks.front();
    EXPECT_EQ(ev["reason"], reason) << ev;
    nicks.erase(std::remove(nicks.begin(), nicks.end(), ev["nick"]), nicks.end());
  }
}

void expect_chat_works(client& from, client& to, const std::string& text) {
  from.send_line(text);
  ASSERT_EQ(from.event("message", 5s)["text"], text);  // the sender's own copy
  auto got = to.event("message", 5s);
  ASSERT_EQ(got["type"], "message");
  EXPECT_EQ(got["text"], text);
}

TEST(ClusterFailure, AKilledNodesUsersLeaveWithNetsplitAndTheRestChatsOn) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, b{cluster.port(1)}, c1{cluster.port(2)}, c2{cluster.port(2)};
  ASSERT_TRUE(login_and_join(a, "ann", "general"));
  ASSERT_TRUE(login_and_join(b, "ben", "general"));
  ASSERT_TRUE(login_and_join(c1, "cid", "general"));
  ASSERT_TRUE(login_and_join(c2, "cal", "general"));
  ASSERT_TRUE(wait_joins(a, {"ben", "cid", "cal"}));
  ASSERT_TRUE(wait_joins(b, {"cid", "cal"}));

  auto killed_at = steady::now();
  ASSERT_EQ(cluster.stop(2, SIGKILL), 128 + SIGKILL);
  expect_leaves(a, {"cid", "cal"}, "netsplit");
  auto noticed_after = steady::now() - killed_at;
  EXPECT_LT(noticed_after, heartbeat_timeout + 2s);
  expect_leaves(b, {"cid", "cal"}, "netsplit");
  expect_chat_works(a, b, "still here");
  EXPECT_TRUE(cluster.wait_linked(0, {"n2"}));

  // Back with the same port and database: it rejoins by itself.
  cluster.restart(2);
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}));
  client c3{cluster.port(2)};
  ASSERT_TRUE(login_and_join(c3, "cy", "general"));
  ASSERT_TRUE(wait_joins(a, {"cy"}));
  expect_chat_works(c3, a, "I am back");
}

TEST(ClusterFailure, AFrozenNodeIsNoticedAndRejoinsWhenItThaws) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, b{cluster.port(1)}, c{cluster.port(2)};
  ASSERT_TRUE(login_and_join(a, "ann", "general"));
  ASSERT_TRUE(login_and_join(b, "ben", "general"));
  ASSERT_TRUE(login_and_join(c, "cid", "general"));
  ASSERT_TRUE(wait_joins(a, {"ben", "cid"}));
  ASSERT_TRUE(wait_joins(b, {"cid"}));

  auto frozen_at = steady::now();
  cluster.signal(2, SIGSTOP);
  expect_leaves(a, {"cid"}, "netsplit");
  expect_leaves(b, {"cid"}, "netsplit");
  EXPECT_LT(steady::now() - frozen_at, heartbeat_timeout + 3s);
  expect_chat_works(a, b, "without n3");

  cluster.signal(2, SIGCONT);
  // Its session survived: the others see it join again, and it sees them
  // leave (netsplit) and join again.
  ASSERT_TRUE(wait_joins(a, {"cid"}, 10s));
  expect_leaves(c, {"ann", "ben"}, "netsplit");
  ASSERT_TRUE(wait_joins(c, {"ann", "ben"}, 10s));
  expect_chat_works(c, b, "thawed");
}

TEST(ClusterFailure, APartitionSplitsAndHealsAndBothHalvesMerge) {
  test_cluster cluster{3};
  client a{cluster.port(0)}, c{cluster.port(2)};
  ASSERT_TRUE(login_and_join(a, "ann", "general"));
  ASSERT_TRUE(login_and_join(c, "cid", "general"));
  ASSERT_TRUE(wait_joins(a, {"cid"}));

  cluster.signal(2, SIGUSR2);  // n3 alone on one side, n1 and n2 on the other
  expect_leaves(a, {"cid"}, "netsplit");
  expect_leaves(c, {"ann"}, "netsplit");
  ASSERT_TRUE(cluster.wait_linked(2, {}));
  ASSERT_TRUE(cluster.wait_linked(0, {"n2"}));

  // Both halves make the same room, registration and login; n1's first.
  auto first = a.command("/create dup made first");
  ASSERT_EQ(first["type"], "ok");
  client reg1{cluster.port(0)};
  ASSERT_EQ(reg1.login("keeper")["type"], "ok");
  ASSERT_EQ(reg1.command("/register one")["type"], "ok");
  client zed1{cluster.port(0)};
  ASSERT_EQ(zed1.login("zed")["type"], "ok");

  auto second = c.command("/create dup made second");
  ASSERT_EQ(second["type"], "ok");
  ASSERT_NE(second["id"], first["id"]);
  client reg3{cluster.port(2)};
  ASSERT_EQ(reg3.login("keeper")["type"], "ok");
  ASSERT_EQ(reg3.command("/register three")["type"], "ok");
  client zed3{cluster.port(2)};
  ASSERT_EQ(zed3.login("zed")["type"], "ok");

  cluster.signal(2, SIGUSR2);  // heal
  ASSERT_TRUE(cluster.wait_mesh({0, 1, 2}));

  // The room: n1's stands everywhere; n3's members are put out, its owner told.
  auto notice = c.event("notice", 5s);
  EXPECT_NE(notice["text"].get<std::string>().find("dup"), std::string::npos) << notice;
  auto out = c.event("leave", 5s);
  EXPECT_EQ(out["reason"], "dropped");
  for (int i = 0; i < 3; ++i) {
    client x{cluster.port(i)};
    ASSERT_EQ(x.login("look" + std::to_string(i))["type"], "ok");
    ASSERT_TRUE(eventually([&] {
      int dups = 0;
      json found;
      auto listed = x.command("/rooms");
      for (auto& r : listed["rooms"]) {
        if (r["name"] != "dup") continue;
        ++dups;
        found = r;
      }
      return dups == 1 && found["id"] == first["id"] && found["topic"] == "made first";
    })) << cluster.name(i)
        << ": " << x.command("/rooms");
  }

  // The nick online on both sides: the later login (n3's) is renamed.
  auto told = zed3.event("notice", 5s);
  EXPECT_EQ(told["type"], "notice");
  auto renamed = zed3.event("nick", 5s);
  EXPECT_EQ(renamed["old"], "zed");
  EXPECT_NE(renamed["new"], "zed");
  EXPECT_EQ(zed1.command("/stats")["type"], "ok");
  EXPECT_TRUE(zed1.pending_events().empty() || zed1.pending_events().front()["type"] != "nick")
      << "the earlier login keeps its nick";

  // The registration: n1's (earlier) stands on every node.
  reg1.command("/quit");
  reg3.command("/quit");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(eventually([&] {
      client p{cluster.port(i)};
      return p.login("keeper", "three")["code"] == "bad_password";
    })) << cluster.name(i);
    client ok{cluster.port(i)};
    EXPECT_EQ(ok.login("keeper", "one")["type"], "ok") << cluster.name(i);
  }
}

}  // namespace
}  // namespace chat::test
