#include "apps/chat/handshake.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using lines = std::vector<std::string>;

TEST(ClientHandshake, SkipsTheBannerThenLogsInAndJoins) {
  handshake shake({"alice", "", "general", false});
  EXPECT_EQ(shake.start(), lines{"/mode json"});
  EXPECT_EQ(shake.on_line("Welcome to chatd. Log in with /login <nick>.").what,
            handshake_step::kind::skipped);
  EXPECT_EQ(shake.on_line("{not json").what, handshake_step::kind::skipped);
  auto step = shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  EXPECT_EQ(step.what, handshake_step::kind::reply);
  EXPECT_EQ(step.send, lines{"/login alice"});
  step = shake.on_line(R"({"type":"ok","cmd":"login","nick":"Alice","registered":false})");
  EXPECT_EQ(step.send, lines{"/join general"});
  EXPECT_EQ(shake.state(), handshake_state::join);
  step = shake.on_line(
      R"({"type":"ok","cmd":"join","room":"General","id":1,"topic":"","members":["Alice"]})");
  EXPECT_TRUE(step.send.empty());
  EXPECT_EQ(shake.state(), handshake_state::done);
  EXPECT_EQ(shake.nick(), "Alice");
  EXPECT_EQ(shake.room(), "General");
  EXPECT_FALSE(shake.join_error());
}

TEST(ClientHandshake, AsksForThePasswordOfARegisteredNick) {
  handshake shake({"carol", "", "", false});
  shake.start();
  shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  shake.on_line(R"({"type":"error","cmd":"login","code":"auth_required","text":"registered"})");
  EXPECT_EQ(shake.state(), handshake_state::need_password);
  EXPECT_EQ(shake.give_password("s3cret word"), lines{"/login carol s3cret word"});
  EXPECT_EQ(shake.state(), handshake_state::login);
  shake.on_line(R"({"type":"ok","cmd":"login","nick":"carol","registered":true})");
  EXPECT_EQ(shake.state(), handshake_state::done);
  EXPECT_TRUE(shake.registered());
  EXPECT_EQ(shake.plan().password, "s3cret word");
}

TEST(ClientHandshake, WrongPasswordFails) {
  handshake shake({"carol", "nope", "", false});
  shake.start();
  EXPECT_EQ(shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})").send,
            lines{"/login carol nope"});
  shake.on_line(R"({"type":"error","cmd":"login","code":"bad_password","text":"wrong"})");
  EXPECT_EQ(shake.state(), handshake_state::failed);
  EXPECT_EQ(shake.failure_code(), "bad_password");
  EXPECT_EQ(shake.failure_message(), "wrong password for carol");
}

TEST(ClientHandshake, NickTakenFails) {
  handshake shake({"bob", "", "", false});
  shake.start();
  shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  shake.on_line(R"({"type":"error","cmd":"login","code":"nick_taken","text":"taken"})");
  EXPECT_EQ(shake.state(), handshake_state::failed);
  EXPECT_EQ(shake.failure_message(), "bob is already online; choose another nick");
}

TEST(ClientHandshake, ARefusedJoinLeavesTheSessionInTheLobby) {
  handshake shake({"bob", "", "gone", false});
  shake.start();
  shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  shake.on_line(R"({"type":"ok","cmd":"login","nick":"bob","registered":false})");
  shake.on_line(R"({"type":"error","cmd":"join","code":"no_such_room","text":"no such room"})");
  EXPECT_EQ(shake.state(), handshake_state::done);
  EXPECT_TRUE(shake.room().empty());
  ASSERT_TRUE(shake.join_error());
  EXPECT_EQ((*shake.join_error())["code"], "no_such_room");
}

TEST(ClientHandshake, EventsBetweenRepliesAreHandedBack) {
  handshake shake({"bob", "", "general", false});
  shake.start();
  shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  shake.on_line(R"({"type":"ok","cmd":"login","nick":"bob","registered":false})");
  auto step = shake.on_line(R"({"type":"notice","text":"hello","ts":"2026-01-01T00:00:00.000Z"})");
  EXPECT_EQ(step.what, handshake_step::kind::event);
  EXPECT_EQ(step.object["text"], "hello");
  EXPECT_EQ(shake.state(), handshake_state::join);
}

TEST(ClientHandshake, LearnsNamesSilentlyWhenAsked) {
  handshake shake({"bob", "", "", true});
  shake.start();
  shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  auto step = shake.on_line(R"({"type":"ok","cmd":"login","nick":"bob","registered":false})");
  EXPECT_EQ(step.send, (lines{"/help", "/rooms"}));
  EXPECT_EQ(shake.state(), handshake_state::learn);
  shake.on_line(R"({"type":"ok","cmd":"help","commands":[]})");
  EXPECT_EQ(shake.state(), handshake_state::learn);
  shake.on_line(R"({"type":"ok","cmd":"rooms","rooms":[]})");
  EXPECT_EQ(shake.state(), handshake_state::done);
}

TEST(ClientHandshake, WithoutANickOnlySwitchesToJson) {
  handshake shake({"", "", "", false});
  shake.start();
  auto step = shake.on_line(R"({"type":"ok","cmd":"mode","mode":"json"})");
  EXPECT_TRUE(step.send.empty());
  EXPECT_EQ(shake.state(), handshake_state::done);
}

TEST(ClientHandshake, AServerWithoutJsonModeFails) {
  handshake shake({"bob", "", "", false});
  shake.start();
  shake.on_line(R"({"type":"error","cmd":"mode","code":"bad_args","text":"no json here"})");
  EXPECT_EQ(shake.state(), handshake_state::failed);
  EXPECT_EQ(shake.failure_message(), "no json here");
}

}  // namespace
}  // namespace chat::client
