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

}  // namespace
}  // namespace chat::test
