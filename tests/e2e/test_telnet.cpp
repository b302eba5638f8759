// End to end: telnet clients. Option negotiation is answered, a password typed
// at the `password:` prompt is hidden (echo off, then on), and a client that
// never spoke telnet (nc, a program) never receives a telnet command.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

using namespace std::string_literals;

const std::string iac_will_echo = "\xff\xfb\x01";
const std::string iac_wont_echo = "\xff\xfc\x01";
const std::string iac_do_sga = "\xff\xfd\x03";
const std::string iac_will_sga = "\xff\xfb\x03";

class E2ETelnet : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};

  // A registered nick, its registering session gone.
  void register_nick(const std::string& nick, const std::string& password) {
    client a{server.port()};
    ASSERT_EQ(a.login(nick)["type"], "ok");
    ASSERT_EQ(a.command("/register " + password)["type"], "ok");
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
};

// What netkit telnet sends on `mode character`: without the answer it would
// neither echo locally nor be echoed to.
TEST_F(E2ETelnet, CharacterModeNegotiationIsAnswered) {
  client t{server.port()};
  t.send_raw(iac_do_sga + "\xff\xfd\x01");  // DO SGA, DO ECHO
  auto answer = t.read_until(iac_will_sga + iac_wont_echo);
  ASSERT_TRUE(answer.has_value());
}

TEST_F(E2ETelnet, PasswordPromptTurnsEchoOffForOneLine) {
  register_nick("erin", "correct horse");
  client t{server.port()};
  t.send_raw(iac_do_sga);
  ASSERT_TRUE(t.read_until(iac_will_sga).has_value());
  t.send_line("/login erin");
  auto prompt = t.read_until("password: ");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_EQ(prompt->substr(prompt->size() - 13), iac_will_echo + "password: ");
  t.send_line("correct horse");
  auto after = t.read_until("\r\n");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(*after, iac_wont_echo + "\r\n");  // echo back on, and the Enter not echoed
  auto reply = t.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find("you are erin (registered)"), std::string::npos) << *reply;
}

TEST_F(E2ETelnet, PlainNicknameLineAlsoPromptsAndAWrongPasswordIsRefused) {
  register_nick("fay", "pw");
  client t{server.port()};
  t.send_raw(
      "\xff\xfe\x01"
      "fay\r\0"s);  // DONT ECHO, then a nickname in character mode
  auto prompt = t.read_until("password: ");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_NE(prompt->find(iac_will_echo + "password: "), std::string::npos);
  t.send_raw("nope\r\0"s);
  ASSERT_TRUE(t.read_until(iac_wont_echo + "\r\n").has_value());
  auto reply = t.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find("wrong password"), std::string::npos) << *reply;
}

TEST_F(E2ETelnet, RegisterWithoutPasswordPrompts) {
  client t{server.port()};
  t.send_raw(iac_do_sga + "gwen\r\n");
  ASSERT_TRUE(t.read_until("you are gwen").has_value());
  t.send_line("/register");
  auto prompt = t.read_until("password: ");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_NE(prompt->find(iac_will_echo + "password: "), std::string::npos);
  t.send_line("s3cret pass");
  ASSERT_TRUE(t.read_until(iac_wont_echo + "\r\n").has_value());
  auto reply = t.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find("gwen is registered"), std::string::npos) << *reply;
  client c{server.port()};
  t.send_line("/quit");
  ASSERT_TRUE(t.wait_closed());
  EXPECT_EQ(c.login("gwen", "s3cret pass")["registered"], true);
}

// nc never sent a telnet command: it gets today's answers and no IAC byte.
TEST_F(E2ETelnet, ClientThatNeverSpokeTelnetGetsNoTelnetCommands) {
  register_nick("hal", "pw");
  client n{server.port()};
  n.send_line("/login hal");
  auto refused = n.read_until("nick is registered");  // the banner and the error
  ASSERT_TRUE(refused.has_value());
  n.send_line("ivan");
  ASSERT_TRUE(n.read_until("you are ivan").has_value());
  n.send_line("/register");
  auto usage = n.read_until("usage: /register <password>");
  ASSERT_TRUE(usage.has_value());
  EXPECT_EQ(refused->find('\xff'), std::string::npos);
  EXPECT_EQ(usage->find('\xff'), std::string::npos);
}

TEST_F(E2ETelnet, JsonModeIsUnchangedForATelnetClient) {
  register_nick("jo", "pw");
  client t{server.port()};
  t.send_raw(iac_do_sga);
  ASSERT_TRUE(t.read_until(iac_will_sga).has_value());
  EXPECT_EQ(t.command("/mode json")["type"], "ok");
  EXPECT_EQ(t.command("/login jo")["code"], "auth_required");
  EXPECT_EQ(t.command("/login kim")["type"], "ok");
  EXPECT_EQ(t.command("/register")["code"], "bad_args");
}

// The fakelag holds or refuses the line after a password prompt like any
// other, but never reads it: a password that looks like a command is refused
// as the `login` it answers, and the prompt still waits for the password.
// (Burst 2, 1 line's worth a second, at most 1 line held: `/help` runs, the
// nickname is held, the typed-ahead password finds the queue full.)
TEST(E2ETelnetFakelag, ARefusedPasswordLineNamesLoginNotWhatItLooksLike) {
  temp_dir dir;
  server_process server{dir.path(),
                        {"--rate-burst", "2", "--rate-per-sec", "1", "--max-held-lines", "1"}};
  {
    client a{server.port()};
    ASSERT_EQ(a.login("ivy")["type"], "ok");
    ASSERT_EQ(a.command("/register pw")["type"], "ok");
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
  client t{server.port()};
  t.send_raw(iac_do_sga);
  ASSERT_TRUE(t.read_until(iac_will_sga).has_value());
  t.send_raw("/help\r\nivy\r\n/msg zed hush\r\n");
  auto refused = t.read_until("slow down");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("! login: slow down"), std::string::npos) << *refused;
  EXPECT_EQ(refused->find("msg"), std::string::npos) << *refused;
  auto prompt = t.read_until("password: ");
  ASSERT_TRUE(prompt.has_value());
  EXPECT_EQ(prompt->find("hush"), std::string::npos) << *prompt;
  t.send_line("pw");  // held until the fakelag lets it through, then taken as the password
  ASSERT_TRUE(t.read_until(iac_wont_echo + "\r\n").has_value());
  auto reply = t.read_line();
  ASSERT_TRUE(reply.has_value());
  EXPECT_NE(reply->find("you are ivy (registered)"), std::string::npos) << *reply;
}

}  // namespace
}  // namespace chat::test
