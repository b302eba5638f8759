// End to end: chat lines, actions, private messages, mute and ignore,
// rate limiting, quitting and disconnecting, text mode.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2EChat : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
  client alice{server.port()};
  client bob{server.port()};
  void SetUp() override {
    ASSERT_EQ(alice.login("alice")["type"], "ok");
    ASSERT_EQ(bob.login("bob")["type"], "ok");
    ASSERT_EQ(alice.command("/join general")["type"], "ok");
    ASSERT_EQ(bob.command("/join general")["type"], "ok");
    ASSERT_EQ(alice.event("join")["nick"], "bob");
  }
};

TEST_F(E2EChat, MessageReachesEveryoneAndActsAsAcknowledgment) {
  bob.send_line("hello there");
  for (auto* c : {&alice, &bob}) {
    auto msg = c->event("message");
    EXPECT_EQ(msg["from"], "bob");
    EXPECT_EQ(msg["room"], "general");
    EXPECT_EQ(msg["text"], "hello there");
    EXPECT_FALSE(msg.contains("action") && msg["action"] == true);
  }
  bob.send_line("/say  spaced  out ");
  EXPECT_EQ(alice.event("message")["text"], "spaced  out");
  bob.send_line("/me waves");
  auto action = alice.event("message");
  EXPECT_EQ(action["action"], true);
  EXPECT_EQ(action["text"], "waves");
  bob.send_line("//not a command");
  EXPECT_EQ(alice.event("message")["text"], "/not a command");
  EXPECT_EQ(bob.command("/say")["code"], "bad_args");
}

TEST_F(E2EChat, ChatInTheLobbyIsRefused) {
  bob.command("/leave");
  auto err = bob.command("hello?");
  EXPECT_EQ(err["type"], "error");
  EXPECT_EQ(err["cmd"], "say");
  EXPECT_EQ(err["code"], "not_in_room");
  EXPECT_EQ(bob.command("/me sighs")["code"], "not_in_room");
}

TEST_F(E2EChat, PrivateMessagesReachBothEnds) {
  auto ok = bob.command("/msg Alice psst, over here");
  EXPECT_EQ(ok["type"], "ok");
  EXPECT_EQ(ok["to"], "alice");
  for (auto* c : {&alice, &bob}) {
    auto pm = c->event("private");
    EXPECT_EQ(pm["from"], "bob");
    EXPECT_EQ(pm["to"], "alice");
    EXPECT_EQ(pm["text"], "psst, over here");
  }
  EXPECT_EQ(bob.command("@alice short form")["cmd"], "msg");
  EXPECT_EQ(alice.event("private")["text"], "short form");
  EXPECT_EQ(bob.command("/msg nobody hi")["code"], "no_such_user");
  EXPECT_EQ(bob.command("/msg alice")["code"], "bad_args");
}

TEST_F(E2EChat, IgnoreHidesOneUserAndMuteHidesTheRoom) {
  client carol{server.port()};
  carol.login("carol");
  carol.command("/join general");
  auto ignoring = alice.command("/i bob");
  EXPECT_EQ(ignoring["ignoring"], json({"bob"}));
  EXPECT_EQ(alice.command("/ignore nobody")["code"], "no_such_user");
  auto self_ignore = alice.command("/ignore ALICE");  // issue 15: not oneself, in any case
  EXPECT_EQ(self_ignore["code"], "bad_args");
  EXPECT_EQ(alice.command("/ignore")["muted"], true);  // and /ignore alone still mutes
  EXPECT_EQ(alice.command("/ignore")["muted"], false);
  bob.send_line("you cannot hear me");
  EXPECT_EQ(bob.event("message")["text"], "you cannot hear me");  // the sender always gets it
  bob.command("/msg alice nor this");
  carol.send_line("but you hear me");
  EXPECT_EQ(alice.event("message")["from"], "carol");  // bob's line never came first
  EXPECT_EQ(alice.event("private", 300ms)["type"], "timeout");
  EXPECT_EQ(alice.command("/unignore bob")["ignoring"], json::array());
  EXPECT_EQ(alice.command("/unignore bob")["code"], "bad_args");

  EXPECT_EQ(alice.command("/ignore")["muted"], true);
  carol.send_line("muted away");
  alice.send_line("my own line");
  EXPECT_EQ(alice.event("message")["text"], "my own line");  // own messages still come
  EXPECT_EQ(alice.command("/ignore")["muted"], false);
  carol.send_line("audible again");
  EXPECT_EQ(alice.event("message")["text"], "audible again");
}

TEST_F(E2EChat, QuitAndDisconnectAreSeenAsLeaves) {
  bob.send_line("/quit gone fishing");
  EXPECT_EQ(bob.reply()["cmd"], "quit");
  EXPECT_TRUE(bob.wait_closed());
  auto leave = alice.event("leave");
  EXPECT_EQ(leave["nick"], "bob");
  EXPECT_EQ(leave["reason"], "quit");
  EXPECT_EQ(leave["text"], "gone fishing");
  {
    client carol{server.port()};
    carol.login("carol");
    carol.command("/join general");
    EXPECT_EQ(alice.event("join")["nick"], "carol");
  }  // closed without a word
  auto gone = alice.event("leave");
  EXPECT_EQ(gone["nick"], "carol");
  EXPECT_EQ(gone["reason"], "disconnected");
}

TEST_F(E2EChat, NickChangeIsAnnouncedToTheRoom) {
  EXPECT_EQ(bob.command("/nick robert")["nick"], "robert");
  for (auto* c : {&alice, &bob}) {
    auto ev = c->event("nick");
    EXPECT_EQ(ev["old"], "bob");
    EXPECT_EQ(ev["new"], "robert");
    EXPECT_EQ(ev["room"], "general");
  }
  bob.send_line("new name");
  EXPECT_EQ(alice.event("message")["from"], "robert");
}

TEST_F(E2EChat, TextModeCarriesTheSameInformation) {
  bob.send_line("/mode text");
  auto ok = bob.read_line();  // written in the new mode: not json
  ASSERT_TRUE(ok.has_value());
  EXPECT_TRUE(json::parse(*ok, nullptr, false).is_discarded()) << *ok;
  EXPECT_NE(ok->find("text"), std::string::npos);
  alice.send_line("plain words");
  std::optional<std::string> line;
  do {
    line = bob.read_line();
  } while (line && line->find("plain words") == std::string::npos);
  ASSERT_TRUE(line.has_value());
  EXPECT_NE(line->find("general"), std::string::npos);
  EXPECT_NE(line->find("alice"), std::string::npos);
  EXPECT_NE(line->find(':'), std::string::npos);  // the time of day
  bob.send_line("/mode xml");
  auto error = bob.read_line();
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->rfind("!", 0), 0u) << *error;
  EXPECT_NE(error->find("usage: /mode <text|json>"), std::string::npos) << *error;
  EXPECT_EQ(error->find("bad_args"), std::string::npos) << *error;  // no machine code for people
}

}  // namespace
}  // namespace chat::test
