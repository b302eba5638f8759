// Ghosts across nodes (issue 15): an account online on n1 logs in on n2 with
// its password; n1's session ends as `ghosted` and the nick is n2's.
#include <gtest/gtest.h>

#include "cluster_harness.hpp"

namespace chat::test {
namespace {

TEST(ClusterGhosts, TheRightPasswordOnAnotherNodeEndsTheGhostThere) {
  test_cluster cluster(2);
  client old_alice(cluster.port(0));
  ASSERT_EQ(old_alice.login("alice")["type"], "ok");
  ASSERT_EQ(old_alice.command("/register secret")["type"], "ok");
  ASSERT_EQ(old_alice.command("/join general")["type"], "ok");
  client bob(cluster.port(0));
  ASSERT_TRUE(login_and_join(bob, "bob", "general"));
  // The registration has reached n2 once n2 checks the password (before,
  // the nick is just taken).
  ASSERT_TRUE(eventually([&] {
    client probe(cluster.port(1));
    return probe.login("alice", "wrong")["code"] == "bad_password";
  }));

  client alice(cluster.port(1));
  auto reply = alice.login("alice", "secret");
  ASSERT_EQ(reply["type"], "ok") << reply.dump();
  EXPECT_TRUE(old_alice.wait_closed());
  auto leave = bob.event("leave");
  EXPECT_EQ(leave["nick"], "alice");
  EXPECT_EQ(leave["reason"], "ghosted");
  // n1 now sees alice on n2: its nick is taken there too.
  client again(cluster.port(0));
  EXPECT_EQ(again.login("alice")["code"], "nick_taken");
}

}  // namespace
}  // namespace chat::test
