// End to end, in text mode as a person reads it: each action is shown once to
// the one who did it, a dropped room's members learn who dropped it and where
// they are, errors say what would work and carry no machine code.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2ESayOnce : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};

  // A text-mode user, logged in by typing its nick.
  void log_in(client& c, const std::string& nick) {
    c.send_line(nick);
    ASSERT_TRUE(c.read_until("* you are " + nick).has_value());
  }
  // What arrives until the reply to a /look (sent after `line`): everything
  // `line` caused, ending in a reply that is known to come last.
  std::string caused_by(client& c, const std::string& line) {
    c.send_line(line);
    c.send_line("/look");
    auto got = c.read_until("* members of ");
    EXPECT_TRUE(got.has_value()) << line;
    return got.value_or("");
  }
};

TEST_F(E2ESayOnce, NickTopicAndMsgAreEachShownOnce) {
  client alice{server.port()}, bob{server.port()};
  log_in(alice, "alice");
  log_in(bob, "bob");
  alice.send_line("/create python");
  ASSERT_TRUE(alice.read_until("you are in it\r\n").has_value());
  auto topic = caused_by(alice, "/topic all about snakes");
  EXPECT_NE(topic.find("* alice set the topic of python: all about snakes"), std::string::npos)
      << topic;
  EXPECT_EQ(topic.find("* topic of python"), std::string::npos) << topic;
  auto nick = caused_by(alice, "/nick alicia");
  EXPECT_NE(nick.find("* alice is now known as alicia (python)"), std::string::npos) << nick;
  EXPECT_EQ(nick.find("you are now known as"), std::string::npos) << nick;
  auto msg = caused_by(alice, "/msg bob psst");
  EXPECT_NE(msg.find("[pm] alicia -> bob: psst"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("message sent"), std::string::npos) << msg;
}

TEST_F(E2ESayOnce, DropTellsMembersWhoDroppedItAndWhereTheyAre) {
  client alice{server.port()}, bob{server.port()};
  log_in(alice, "alice");
  log_in(bob, "bob");
  alice.send_line("/create python");
  ASSERT_TRUE(alice.read_until("you are in it\r\n").has_value());
  bob.send_line("/join #python");  // the IRC habit works
  ASSERT_TRUE(bob.read_until("* you joined python").has_value());
  bob.send_line("/topic mine now");
  auto refused = bob.read_until("python\r\n");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("! topic: only the owner (alice) can set the topic of python\r\n"),
            std::string::npos)
      << *refused;
  EXPECT_EQ(refused->find("(forbidden)"), std::string::npos) << *refused;
  alice.send_line("/drop #python");
  alice.send_line("/leave");
  auto dropper = alice.read_until("! leave: you are not in a room");
  ASSERT_TRUE(dropper.has_value());
  EXPECT_NE(dropper->find("* python was dropped by you: you are in the lobby"), std::string::npos)
      << *dropper;
  EXPECT_EQ(dropper->find("* dropped python"), std::string::npos) << *dropper;
  EXPECT_EQ(dropper->find("alice left python"), std::string::npos) << *dropper;
  auto member = bob.read_until("you are in the lobby\r\n");
  ASSERT_TRUE(member.has_value());
  EXPECT_NE(member->find("* python was dropped by alice: you are in the lobby"), std::string::npos)
      << *member;
}

TEST_F(E2ESayOnce, DropByANonMemberIsStillConfirmed) {
  client alice{server.port()};
  log_in(alice, "alice");
  alice.send_line("/create python");
  ASSERT_TRUE(alice.read_until("you are in it\r\n").has_value());
  alice.send_line("/leave");
  alice.send_line("/drop python");
  ASSERT_TRUE(alice.read_until("* dropped python\r\n").has_value());
  alice.send_line("/drop general");
  auto refused = alice.read_until("owner\r\n");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("! drop: nobody can drop general: it is a default room"),
            std::string::npos)
      << *refused;
}

TEST_F(E2ESayOnce, NoEmptyHeaders) {
  client alice{server.port()}, bob{server.port()};
  log_in(alice, "alice");
  log_in(bob, "bob");
  alice.send_line("/ignore bob");
  ASSERT_TRUE(alice.read_until("* ignoring (1):\r\n  bob\r\n").has_value());
  alice.send_line("/unignore bob");
  ASSERT_TRUE(alice.read_until("* ignoring: none\r\n").has_value());
  alice.send_line("/stats");
  auto stats = alice.read_until("cluster_msgs_received");
  ASSERT_TRUE(stats.has_value());
  EXPECT_NE(stats->find("  linked nodes: none\r\n"), std::string::npos) << *stats;
}

}  // namespace
}  // namespace chat::test
