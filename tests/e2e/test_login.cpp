// End to end: the welcome banner, login, nicknames, registration.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace chat::test {
namespace {

// The text-mode lines (banner included) up to the reply of `command`: a
// "/mode json" sent behind it answers in json, which marks the end.
std::vector<std::string> text_reply(client& c, const std::string& command) {
  c.send_line(command);
  c.send_line("/mode json");
  std::vector<std::string> text;
  while (auto line = c.read_line()) {
    if (line->rfind("{", 0) == 0) return text;
    text.push_back(*line);
  }
  ADD_FAILURE() << "no json reply after " << command;
  return text;
}

class E2ELogin : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
};

TEST_F(E2ELogin, BannerNamesLoginAndPlainLineLogsIn) {
  client c{server.port()};
  auto banner = c.read_line();
  ASSERT_TRUE(banner.has_value());
  std::string all = *banner;
  // The banner is a few text lines; read them until the server goes quiet.
  while (auto more = c.read_line(300ms)) all += "\n" + *more;
  EXPECT_NE(all.find("/login"), std::string::npos) << all;
  EXPECT_EQ(c.command("/mode json")["mode"], "json");
  auto reply = c.command("alice");  // a plain line before login is a nickname
  EXPECT_EQ(reply["type"], "ok");
  EXPECT_EQ(reply["cmd"], "login");
  EXPECT_EQ(reply["nick"], "alice");
  EXPECT_EQ(reply["registered"], false);
}

// A program learns the input rate from its login, to pace a paste itself.
TEST_F(E2ELogin, JsonLoginOkCarriesTheDefaultRate) {
  client c{server.port()};
  auto reply = c.login("paced");
  ASSERT_EQ(reply["type"], "ok");
  ASSERT_TRUE(reply.contains("rate")) << reply.dump();
  EXPECT_EQ(reply["rate"]["burst"], 10);
  EXPECT_EQ(reply["rate"]["per_sec"], 2);
  EXPECT_EQ(reply["rate"]["max_held"], 100);
}

TEST(E2ELoginRate, JsonLoginOkCarriesTheConfiguredRate) {
  temp_dir dir;
  server_process server{dir.path(),
                        {"--rate-burst", "7", "--rate-per-sec", "3.5", "--max-held-lines", "9"}};
  client c{server.port()};
  auto reply = c.login("paced");
  ASSERT_EQ(reply["type"], "ok");
  EXPECT_EQ(reply["rate"]["burst"], 7);
  EXPECT_EQ(reply["rate"]["per_sec"], 3.5);
  EXPECT_EQ(reply["rate"]["max_held"], 9);
}

// Text mode is for people: its login line stays as it was.
TEST_F(E2ELogin, TextLoginOkIsUnchanged) {
  client c{server.port()};
  auto text = text_reply(c, "/login texter");
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), "* you are texter (not registered)");
  for (const auto& line : text) EXPECT_EQ(line.find("rate"), std::string::npos) << line;
}

// Issue 15: a password given for a nick nobody registered is not silently dropped.
TEST_F(E2ELogin, APasswordForAnUnregisteredNickIsSaidToBeUnused) {
  client c{server.port()};
  auto reply = c.login("newguy", "somepass");
  ASSERT_EQ(reply["type"], "ok");
  EXPECT_EQ(reply["registered"], false);
  ASSERT_TRUE(reply.contains("text")) << reply.dump();
  EXPECT_NE(reply["text"].get<std::string>().find("password was not used"), std::string::npos);
  // Without a password there is nothing to say.
  client plain{server.port()};
  EXPECT_FALSE(plain.login("plainguy").contains("text"));

  client texter{server.port()};
  auto text = text_reply(texter, "/login textguy hunter2");
  ASSERT_GE(text.size(), 2u);
  EXPECT_EQ(text[text.size() - 2], "* you are textguy (not registered)");
  EXPECT_EQ(text.back(),
            "* nobody registered textguy: the password was not used (/register <password> keeps "
            "the nick for you)");
}

TEST_F(E2ELogin, OnlyLoginHelpModeQuitBeforeLogin) {
  client c{server.port()};
  c.command("/mode json");
  auto rooms = c.command("/rooms");
  EXPECT_EQ(rooms["type"], "error");
  EXPECT_EQ(rooms["code"], "not_logged_in");
  EXPECT_EQ(rooms["cmd"], "rooms");
  EXPECT_EQ(c.command("/help")["type"], "ok");
  EXPECT_EQ(c.command("/quit")["type"], "ok");
  EXPECT_TRUE(c.wait_closed());
}

TEST_F(E2ELogin, InvalidAndTakenNicks) {
  client a{server.port()}, b{server.port()};
  EXPECT_EQ(a.login("张伟")["nick"], "张伟");  // Unicode letters are fine
  auto taken = b.login("张伟");
  EXPECT_EQ(taken["code"], "nick_taken");
  EXPECT_EQ(b.command("/login bad\x01nick")["code"], "invalid_name");
  EXPECT_EQ(b.command("/login " + std::string(33, 'x'))["code"], "invalid_name");
  EXPECT_EQ(b.command("/login Bob")["type"], "ok");
  EXPECT_EQ(b.command("/login carol")["code"], "already_logged_in");
  client c{server.port()};
  EXPECT_EQ(c.login("BOB")["code"], "nick_taken");  // compared case-insensitively
}

TEST_F(E2ELogin, NickIsFreeAgainAfterDisconnect) {
  {
    client a{server.port()};
    ASSERT_EQ(a.login("dora")["type"], "ok");
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
  client b{server.port()};
  EXPECT_EQ(b.login("dora")["type"], "ok");
}

TEST_F(E2ELogin, NickChanges) {
  client a{server.port()}, b{server.port()};
  a.login("alice");
  b.login("bob");
  EXPECT_EQ(a.command("/nick bob")["code"], "nick_taken");
  EXPECT_EQ(a.command("/nick no way")["code"], "bad_args");
  EXPECT_EQ(a.command("/nick bad!")["code"], "invalid_name");
  auto ok = a.command("/nick alicia");
  EXPECT_EQ(ok["type"], "ok");
  EXPECT_EQ(ok["nick"], "alicia");
  EXPECT_EQ(b.command("/login alice")["code"], "already_logged_in");
  client c{server.port()};
  EXPECT_EQ(c.login("alice")["type"], "ok");  // the old nick is free
}

// Issue 15: "/register pw, /nick x, /nick carol" was a dead end
// (auth_required, and /login carol pw was already_logged_in).
TEST_F(E2ELogin, ASessionComesBackToItsOwnRegisteredNickWithoutAPassword) {
  client carol{server.port()}, dave{server.port()};
  ASSERT_EQ(carol.login("carol")["type"], "ok");
  ASSERT_EQ(carol.command("/register pw")["type"], "ok");
  ASSERT_EQ(dave.login("dave", "")["type"], "ok");
  ASSERT_EQ(dave.command("/register dpw")["type"], "ok");
  ASSERT_EQ(dave.command("/nick dave2")["type"], "ok");
  ASSERT_EQ(carol.command("/nick x")["type"], "ok");
  auto back = carol.command("/nick carol");
  ASSERT_EQ(back["type"], "ok") << back.dump();
  EXPECT_EQ(back["nick"], "carol");
  // Back on the account: a password change is a change of carol's, not a new
  // registration of someone else's.
  EXPECT_EQ(carol.command("/register pw2")["type"], "ok");
  // Another account's nick still needs its password, from anyone.
  EXPECT_EQ(carol.command("/nick dave")["code"], "auth_required");
  client stranger{server.port()};
  ASSERT_EQ(stranger.login("stranger")["type"], "ok");
  ASSERT_EQ(carol.command("/nick x")["type"], "ok");
  EXPECT_EQ(stranger.command("/nick carol")["code"], "auth_required");
  // And dave's session comes back to dave.
  EXPECT_EQ(dave.command("/nick dave")["type"], "ok");
}

TEST_F(E2ELogin, RegisteredNickNeedsItsPassword) {
  {
    client a{server.port()};
    a.login("erin");
    auto reg = a.command("/register correct horse");
    EXPECT_EQ(reg["type"], "ok");
    EXPECT_EQ(reg["nick"], "erin");
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
  client b{server.port()};
  EXPECT_EQ(b.login("erin")["code"], "auth_required");
  EXPECT_EQ(b.command("/login erin wrong")["code"], "bad_password");
  auto ok = b.command("/login ERIN correct horse");  // the password is the rest of the line
  EXPECT_EQ(ok["type"], "ok");
  EXPECT_EQ(ok["nick"], "erin");
  EXPECT_EQ(ok["registered"], true);
  client c{server.port()};
  c.login("frank");
  EXPECT_EQ(c.command("/nick Erin")["code"], "nick_taken");  // online
  b.send_line("/quit");
  ASSERT_TRUE(b.wait_closed());
  EXPECT_EQ(c.command("/nick erin")["code"], "auth_required");  // registered, not frank's
  client d{server.port()};
  EXPECT_EQ(d.login("george", "any password")["registered"], false);  // ignored when unregistered
}

TEST_F(E2ELogin, RepeatedBadPasswordsAreSlowedDown) {
  {
    client a{server.port()};
    a.login("hana");
    ASSERT_EQ(a.command("/register pw")["type"], "ok");
    // Gone from the lobby before the socket closes: without this wait the
    // first login below can meet the nick still online (nick_taken).
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
  client b{server.port()};
  b.command("/mode json");
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 3; ++i) EXPECT_EQ(b.command("/login hana nope")["code"], "bad_password");
  // Failures 2 and 3 wait 250 ms and 500 ms before their answer.
  EXPECT_GE(std::chrono::steady_clock::now() - start, 700ms);
  EXPECT_EQ(b.command("/login hana pw")["type"], "ok");
}

}  // namespace
}  // namespace chat::test
