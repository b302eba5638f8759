// Ghosts (issue 15): the owner of a registered nick whose old connection
// still holds it (a stopped telnet, a dead laptop) logs in again with the
// password; the old session ends, its room sees it leave as `ghosted`.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2EGhosts : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
  client old_alice{server.port()};
  client bob{server.port()};

  void SetUp() override {
    ASSERT_EQ(old_alice.login("alice")["type"], "ok");
    ASSERT_EQ(old_alice.command("/register secret")["type"], "ok");
    ASSERT_EQ(old_alice.command("/join general")["type"], "ok");
    ASSERT_EQ(bob.login("bob")["type"], "ok");
    ASSERT_EQ(bob.command("/join general")["type"], "ok");
  }
};

TEST_F(E2EGhosts, TheRightPasswordEndsTheGhostAndLogsIn) {
  client alice{server.port()};
  auto reply = alice.login("alice", "secret");
  ASSERT_EQ(reply["type"], "ok") << reply.dump();
  EXPECT_EQ(reply["registered"], true);
  auto notice = old_alice.event("notice");
  EXPECT_NE(notice["text"].get<std::string>().find("logged in again"), std::string::npos)
      << notice.dump();
  EXPECT_TRUE(old_alice.wait_closed());
  auto leave = bob.event("leave");
  EXPECT_EQ(leave["nick"], "alice");
  EXPECT_EQ(leave["reason"], "ghosted");
  // The new session is alice for everyone.
  EXPECT_EQ(alice.command("/join general")["type"], "ok");
  EXPECT_EQ(bob.event("join")["nick"], "alice");
}

TEST_F(E2EGhosts, AWrongPasswordLeavesTheSessionAlone) {
  client mallory{server.port()};
  EXPECT_EQ(mallory.login("alice", "guess")["code"], "bad_password");
  EXPECT_EQ(old_alice.command("/who")["type"], "ok");  // still there, still alice
  EXPECT_EQ(mallory.command("/login alice")["code"], "nick_taken");
}

TEST_F(E2EGhosts, AnUnregisteredNickIsNeverGhosted) {
  client someone{server.port()};
  EXPECT_EQ(someone.login("bob", "anything")["code"], "nick_taken");
  EXPECT_EQ(bob.command("/who")["type"], "ok");
}

}  // namespace
}  // namespace chat::test
