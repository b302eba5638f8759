// The welcome a newcomer gets: the banner, the busiest rooms, the lobby hint.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "actors/welcome.hpp"

namespace chat {
namespace {

const welcome_info three_online{3, {{"general", 2, 1}, {"python", 1, 1025}}};

TEST(Welcome, BannerNamesNodeCountsRoomsAndHowToLogIn) {
  EXPECT_EQ(render_banner("node-7", "", three_online),
            "chatd, node node-7\r\n"
            "3 online; busiest rooms: general (2), python (1)\r\n"
            "Welcome: log in with /login <nick> [password], or just type a nickname.\r\n"
            "/help lists the commands; /mode json switches to JSON lines for programs.\r\n");
}

TEST(Welcome, BannerShowsTheMessageOfTheDayLineByLine) {
  auto out = render_banner("n", "Be kind.\r\nNo spam\n\n", three_online);
  EXPECT_EQ(out.rfind("chatd, node n\r\nBe kind.\r\nNo spam\r\n3 online", 0), 0u) << out;
}

TEST(Welcome, BannerWithoutTheLobbysAnswerLeavesTheCountsOut) {
  auto out = render_banner("n", "", std::nullopt);
  EXPECT_EQ(out.find("online"), std::string::npos) << out;
  EXPECT_NE(out.find("/login"), std::string::npos);
}

TEST(Welcome, NobodyOnlineAndNoRooms) {
  EXPECT_NE(render_banner("n", "", welcome_info{0, {}}).find("\r\n0 online\r\n"),
            std::string::npos);
}

TEST(Welcome, NodeNameAndMotdCannotCarryEscapes) {
  auto out = render_banner("n\x1b[2J", "hi\x1b]0;pwned\x07", three_online);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
}

TEST(Welcome, BusiestRoomsMostMembersFirstTiesToTheOlderRoom) {
  auto top = busiest_rooms({{"c", 1, 1030}, {"general", 0, 1}, {"b", 5, 1026}, {"a", 1, 1025}}, 3);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].name, "b");
  EXPECT_EQ(top[1].name, "a");
  EXPECT_EQ(top[2].name, "c");
  EXPECT_EQ(busiest_rooms({{"general", 0, 1}}, 3).size(), 1u);  // an empty room still counts
  EXPECT_TRUE(busiest_rooms({}, 3).empty());
}

TEST(Welcome, LobbyHintSaysWhereToGo) {
  EXPECT_EQ(lobby_hint({{"general", 12, 1}}),
            "you are in the lobby: /join general (12 here) or /rooms");
  EXPECT_EQ(lobby_hint({{"general", 0, 1}}),
            "you are in the lobby: /join general (nobody here yet) or /rooms");
  EXPECT_EQ(lobby_hint({}), "you are in the lobby: /create <room> starts a room");
}

TEST(Welcome, MotdMustBeSmallValidUtf8) {
  EXPECT_EQ(motd_problem("Welcome to 张伟's server\n"), "");
  EXPECT_EQ(motd_problem("bad \xff byte"), "not valid UTF-8");
  EXPECT_EQ(motd_problem(std::string(max_motd_bytes + 1, 'x')), "longer than 4096 bytes");
}

}  // namespace
}  // namespace chat
