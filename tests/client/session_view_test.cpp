#include "apps/chat/session_view.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using nlohmann::json;

TEST(ClientSessionView, FollowsNickAndRoom) {
  session_view view;
  view.logged_in("alice", "", "general");
  view.on_server_object({{"type", "ok"}, {"cmd", "join"}, {"room", "Python"}, {"id", 2}});
  EXPECT_EQ(view.room(), "Python");
  view.on_server_object({{"type", "ok"}, {"cmd", "nick"}, {"nick", "al"}});
  EXPECT_EQ(view.nick(), "al");
  view.on_server_object({{"type", "ok"}, {"cmd", "leave"}, {"room", "Python"}});
  EXPECT_EQ(view.room(), "");
  view.on_server_object({{"type", "ok"}, {"cmd", "create"}, {"room", "new"}, {"id", 5}});
  EXPECT_EQ(view.room(), "new");
  const login_plan plan = view.rejoin_plan();
  EXPECT_EQ(plan.nick, "al");
  EXPECT_EQ(plan.room, "new");
}

TEST(ClientSessionView, ADroppedRoomSendsUsToTheLobby) {
  session_view view;
  view.logged_in("alice", "", "python");
  view.on_server_object(
      {{"type", "leave"}, {"room", "python"}, {"nick", "bob"}, {"reason", "left"}});
  EXPECT_EQ(view.room(), "python");
  view.on_server_object(
      {{"type", "leave"}, {"room", "Python"}, {"nick", "ALICE"}, {"reason", "dropped"}});
  EXPECT_EQ(view.room(), "");
}

TEST(ClientSessionView, ARenameByTheServerIsFollowed) {
  session_view view;
  view.logged_in("alice", "", "python");
  view.on_server_object(
      {{"type", "nick"}, {"old", "alice"}, {"new", "alice_2"}, {"room", "python"}});
  EXPECT_EQ(view.nick(), "alice_2");
}

TEST(ClientSessionView, KeepsThePasswordOfARegistrationForReconnects) {
  session_view view;
  view.logged_in("alice", "", "");
  view.on_user_line("/register hunter2");
  EXPECT_EQ(view.password(), "");
  view.on_server_object({{"type", "ok"}, {"cmd", "register"}, {"nick", "alice"}});
  EXPECT_EQ(view.password(), "hunter2");
  EXPECT_EQ(view.rejoin_plan().password, "hunter2");

  view.on_user_line("/register other");
  view.on_server_object({{"type", "error"}, {"cmd", "register"}, {"code", "bad_args"}});
  view.on_server_object({{"type", "ok"}, {"cmd", "register"}, {"nick", "alice"}});
  EXPECT_EQ(view.password(), "");  // the refused one is not kept
}

TEST(ClientSessionView, LearnsNamesForCompletion) {
  session_view view;
  view.logged_in("alice", "", "general");
  view.on_server_object({{"type", "ok"},
                         {"cmd", "rooms"},
                         {"rooms", {{{"name", "python"}, {"id", 2}, {"members", 0}}}}});
  view.on_server_object({{"type", "ok"},
                         {"cmd", "who"},
                         {"users", {{{"nick", "bob"}, {"room", "rust"}, {"node", "n"}}}}});
  view.on_server_object(
      {{"type", "message"}, {"room", "general"}, {"from", "carol"}, {"text", "x"}});
  view.on_server_object({{"type", "ok"}, {"cmd", "help"}, {"commands", {{{"name", "stats"}}}}});
  EXPECT_EQ(view.names().rooms(), (std::vector<std::string>{"general", "python", "rust"}));
  EXPECT_EQ(view.names().nicks(), (std::vector<std::string>{"alice", "bob", "carol"}));
  const auto commands = view.names().commands();
  EXPECT_NE(std::find(commands.begin(), commands.end(), "stats"), commands.end());
}

}  // namespace
}  // namespace chat::client
