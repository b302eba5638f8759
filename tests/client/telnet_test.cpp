// Real clients that are not ours against a real chatd: Debian's netkit
// `telnet` on a pseudo-terminal, in line mode and in character mode, and
// OpenBSD `nc` on pipes (docs/protocol.md, "Connection and framing").
// deploy/common.sh installs both (packages telnet, netcat-openbsd).
#include <gtest/gtest.h>
#include <unistd.h>

#include <memory>

#include "harness.hpp"

namespace chat::client::testing {
namespace {

using nlohmann::json;

constexpr const char* telnet_binary = "/usr/bin/telnet";
constexpr const char* nc_binary = "/usr/bin/nc";

class RealClients : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::access(telnet_binary, X_OK), 0) << "install the Debian package telnet";
    ASSERT_EQ(::access(nc_binary, X_OK), 0) << "install the Debian package netcat-openbsd";
    server_ = std::make_unique<chatd_server>(CHATD_BINARY, dir_.path() + "/chat.db",
                                             dir_.path() + "/chatd.log");
    std::string why;
    ASSERT_TRUE(server_->start(&why)) << why;
    // A registered nick, and bob in general to see what the telnet user says.
    json_watcher w(server_->port());
    ASSERT_EQ(text_of(w.command("/login carol").value_or(json()), "type"), "ok");
    ASSERT_EQ(text_of(w.command("/register open sesame").value_or(json()), "type"), "ok");
    w.command("/quit");
    bob_ = std::make_unique<json_watcher>(server_->port());
    ASSERT_EQ(text_of(bob_->command("/login bob").value_or(json()), "type"), "ok");
    ASSERT_EQ(text_of(bob_->command("/join general").value_or(json()), "type"), "ok");
  }

  std::unique_ptr<pty_process> telnet() const {
    return std::make_unique<pty_process>(
        std::vector<std::string>{telnet_binary, "127.0.0.1", std::to_string(server_->port())},
        std::vector<std::string>{"TERM=xterm", "HOME=" + dir_.path()});
  }

  // telnet's command mode (^]) for one command, e.g. "mode character".
  static void telnet_command(pty_process& t, const std::string& command) {
    t.type("\x1d");
    ASSERT_TRUE(t.wait_for("telnet> ")) << t.screen();
    t.type(command + "\r");
  }

  // Logs in as carol at the password prompt, joins general, says "hello"
  // typed with a mistake and Backspace, and quits.
  void login_join_chat_quit(pty_process& t) {
    t.type("carol\r");
    ASSERT_TRUE(t.wait_for("password: ")) << t.screen();
    t.type("open sesame\r");
    ASSERT_TRUE(t.wait_for("* you are carol (registered)")) << t.screen();
    EXPECT_EQ(t.screen().find("open sesame"), std::string::npos) << t.screen();
    t.type("/join general\r");
    ASSERT_TRUE(t.wait_for("* you joined general")) << t.screen();
    t.type("hellx\x7fo\r");  // DEL: the terminal's Backspace
    EXPECT_TRUE(t.wait_for("[general] carol: hello\n")) << t.screen();
    EXPECT_TRUE(bob_->wait_for([](const json& o) {
                      return text_of(o, "type") == "message" && text_of(o, "from") == "carol" &&
                             text_of(o, "text") == "hello";
                    })
                    .has_value());
    t.type("/quit\r");
    EXPECT_TRUE(t.wait_for("* bye")) << t.screen();
    EXPECT_EQ(t.wait_exit(), 0) << t.screen();
  }

  temp_dir dir_;
  std::unique_ptr<chatd_server> server_;
  std::unique_ptr<json_watcher> bob_;
};

// Line mode: the terminal edits the line (Backspace never reaches the
// server). netkit telnet on a port of its own negotiates nothing until told
// to; `mode line` makes it negotiate, and then the password is hidden.
TEST_F(RealClients, TelnetInLineMode) {
  auto t = telnet();
  ASSERT_TRUE(t->wait_for("Welcome:")) << t->screen();
  telnet_command(*t, "mode line");
  login_join_chat_quit(*t);
}

// Character mode: every key goes to the server as typed, Enter as CR NUL,
// Backspace as DEL; the server answers the negotiation so that telnet echoes
// locally, and turns that echo off for the password.
TEST_F(RealClients, TelnetInCharacterMode) {
  auto t = telnet();
  ASSERT_TRUE(t->wait_for("Welcome:")) << t->screen();
  telnet_command(*t, "mode character");
  login_join_chat_quit(*t);
}

// Without negotiation telnet stays a plain line client: no prompt (it never
// said it speaks telnet), the password goes on the /login line, as with nc.
TEST_F(RealClients, TelnetThatNeverNegotiatesGetsPlainText) {
  auto t = telnet();
  ASSERT_TRUE(t->wait_for("Welcome:")) << t->screen();
  t->type("carol\r");
  ASSERT_TRUE(t->wait_for("nick is registered")) << t->screen();
  t->type("/login carol open sesame\r");
  ASSERT_TRUE(t->wait_for("* you are carol (registered)")) << t->screen();
  EXPECT_EQ(t->raw().find('\xff'), std::string::npos);
  t->type("/quit\r");
  EXPECT_EQ(t->wait_exit(), 0) << t->screen();
}

TEST_F(RealClients, NcGetsPlainLinesAndNoTelnetCommands) {
  const auto run = run_piped({nc_binary, "127.0.0.1", std::to_string(server_->port())}, {},
                             "carol\n/login dave\n/join #general\nhellx\x7fo\n/quit\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("! login: nick is registered"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("password:"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find('\xff'), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("* you are dave (not registered)\r\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[general] dave: hello\r\n"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("* bye\r\n"), std::string::npos) << run.out;
}

}  // namespace
}  // namespace chat::client::testing
