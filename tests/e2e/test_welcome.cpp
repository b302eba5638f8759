// End to end: what a newcomer is told. The banner carries the message of the
// day, who is online and the busiest rooms; a chat line in the lobby is
// answered with where to go.
#include <gtest/gtest.h>

#include <fstream>

#include "harness.hpp"

namespace chat::test {
namespace {

std::string motd_file(const temp_dir& dir) {
  auto path = dir.path() + "/motd.txt";
  std::ofstream(path) << "Be kind.\nNo spam.\n";
  return path;
}

class E2EWelcome : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path(), {"--motd-file", motd_file(dir)}};
};

TEST_F(E2EWelcome, BannerShowsMotdWhoIsOnlineAndTheBusiestRooms) {
  client alice{server.port()};
  ASSERT_EQ(alice.login("alice")["type"], "ok");
  ASSERT_EQ(alice.command("/join general")["type"], "ok");
  client bob{server.port()};
  auto banner = bob.read_until("Welcome:");
  ASSERT_TRUE(banner.has_value());
  EXPECT_EQ(
      banner->rfind(
          "chatd, node chatd\r\nBe kind.\r\nNo spam.\r\n1 online; busiest rooms: general (", 0),
      0u)
      << *banner;
}

TEST_F(E2EWelcome, ChatLineInTheLobbySaysWhereToGo) {
  client alice{server.port()};
  ASSERT_EQ(alice.login("alice")["type"], "ok");
  auto reply = alice.command("hello");
  EXPECT_EQ(reply["code"], "not_in_room");
  auto text = reply["text"].get<std::string>();
  EXPECT_EQ(text.rfind("you are in the lobby: /join general (", 0), 0u) << text;
  EXPECT_NE(text.find(") or /rooms"), std::string::npos) << text;
  EXPECT_EQ(alice.command("/me waves")["code"], "not_in_room");
}

TEST_F(E2EWelcome, HelpTeachesInTextMode) {
  client ann{server.port()};
  ann.send_line("ann");
  ASSERT_TRUE(ann.read_until("* you are ann").has_value());
  ann.send_line("/help join");
  auto one = ann.read_until("example: /join general\r\n");
  ASSERT_TRUE(one.has_value());
  EXPECT_NE(
      one->find("usage: /join <room or id>\r\n  enters a room\r\n  aliases: /select, /enter\r\n"),
      std::string::npos)
      << *one;
  ann.send_line("/help");
  auto all = ann.read_until("a plain line  - says it in your room\r\n");
  ASSERT_TRUE(all.has_value());
  EXPECT_NE(all->find("/join <room or id>  (also /select, /enter)"), std::string::npos) << *all;
  EXPECT_NE(all->find("/quit [reason...]  (also /logout, /exit)"), std::string::npos) << *all;
  EXPECT_NE(all->find("//text"), std::string::npos) << *all;
  EXPECT_NE(all->find("@nick text"), std::string::npos) << *all;
}

}  // namespace
}  // namespace chat::test
