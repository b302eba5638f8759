// The client against a real chatd: people on pseudo-terminals, scripts on pipes.
#include <gtest/gtest.h>

#include <memory>

#include "harness.hpp"

namespace chat::client::testing {
namespace {

using nlohmann::json;

class ClientE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_FALSE(dir_.path().empty());
    server_ = std::make_unique<chatd_server>(CHATD_BINARY, dir_.path() + "/chat.db",
                                             dir_.path() + "/chatd.log");
    std::string why;
    ASSERT_TRUE(server_->start(&why)) << why;
  }

  std::vector<std::string> client_args(std::vector<std::string> args) const {
    args.insert(args.begin(), {std::string(CHATD_BUILD_DIR) + "/chat", "--port",
                               std::to_string(server_->port())});
    return args;
  }

  // The environment of a person at a plain terminal; `extra` overrides.
  std::vector<std::string> terminal_env(std::vector<std::string> extra = {}) const {
    std::vector<std::string> env = {"TERM=xterm", "INPUTRC=/dev/null", "HOME=" + dir_.path(),
                                    "NO_COLOR=1", "CHAT_PASSWORD=",    "TZ=UTC"};
    env.insert(env.end(), extra.begin(), extra.end());
    return env;
  }

  std::unique_ptr<pty_process> on_terminal(std::vector<std::string> args,
                                           std::vector<std::string> env_extra = {}) const {
    return std::make_unique<pty_process>(client_args(std::move(args)), terminal_env(env_extra));
  }

  // A person logged in as `nick` in `room`, prompt shown.
  std::unique_ptr<pty_process> person(const std::string& nick, const std::string& room) const {
    auto p = on_terminal({"--nick", nick, "--room", room});
    EXPECT_TRUE(p->wait_for(nick + "@" + room + "> ")) << p->screen();
    return p;
  }

  run_result piped(std::vector<std::string> args, const std::string& input = "",
                   std::vector<std::string> env_extra = {}) const {
    return run_piped(client_args(std::move(args)), terminal_env(env_extra), input);
  }

  std::unique_ptr<json_watcher> watcher(const std::string& nick, const std::string& room) const {
    auto w = std::make_unique<json_watcher>(server_->port());
    EXPECT_TRUE(w->connected());
    EXPECT_EQ(text_of(w->command("/login " + nick).value_or(json()), "type"), "ok");
    if (!room.empty()) {
      EXPECT_EQ(text_of(w->command("/join " + room).value_or(json()), "type"), "ok");
    }
    return w;
  }

  static auto message_from(const std::string& from, const std::string& text) {
    return [from, text](const json& o) {
      return text_of(o, "type") == "message" && text_of(o, "from") == from &&
             text_of(o, "text") == text;
    };
  }

  // A registered nick with its password, made by a script.
  void register_nick(const std::string& nick, const std::string& password) const {
    json_watcher w(server_->port());
    ASSERT_EQ(text_of(w.command("/login " + nick).value_or(json()), "type"), "ok");
    ASSERT_EQ(text_of(w.command("/register " + password).value_or(json()), "type"), "ok");
    w.command("/quit");
  }

  temp_dir dir_;
  std::unique_ptr<chatd_server> server_;
};

TEST_F(ClientE2E, TwoPeopleChat) {
  auto alice = person("alice", "general");
  auto bob = person("bob", "general");
  EXPECT_TRUE(alice->wait_for("--> bob joined general")) << alice->screen();

  alice->type("hello bob\r");
  EXPECT_TRUE(bob->wait_for("[general] alice: hello bob")) << bob->screen();
  bob->type("/me waves\r");
  EXPECT_TRUE(alice->wait_for("[general] * bob waves")) << alice->screen();

  bob->type("/quit\r");
  EXPECT_EQ(bob->wait_exit(), 0) << bob->screen();
  EXPECT_TRUE(alice->wait_for("<-- bob left general (quit)")) << alice->screen();
  alice->type("\004");  // Ctrl-D on an empty line leaves too
  EXPECT_EQ(alice->wait_exit(), 0) << alice->screen();
}

TEST_F(ClientE2E, ArrivingLinesDoNotGarbleTheLineBeingTyped) {
  auto alice = person("alice", "general");
  auto bob = watcher("bob", "general");
  alice->type("half typ");
  ASSERT_TRUE(alice->wait_for("half typ"));
  bob->send("interrupting!");
  ASSERT_TRUE(alice->wait_for("[general] bob: interrupting!")) << alice->screen();
  // The prompt and the half-typed line are drawn again below the message.
  EXPECT_TRUE(alice->wait_for("alice@general> half typ")) << alice->screen();
  alice->type("ed\r");
  EXPECT_TRUE(bob->wait_for(message_from("alice", "half typed"))) << alice->screen();
}

TEST_F(ClientE2E, PrivateMessage) {
  auto alice = person("alice", "general");
  auto bob = person("bob", "general");
  alice->type("/msg bob psst, over here\r");
  EXPECT_TRUE(bob->wait_for("[pm] alice -> bob: psst, over here")) << bob->screen();
  EXPECT_TRUE(alice->wait_for("[pm] alice -> bob: psst, over here")) << alice->screen();
  bob->type("@alice what?\r");
  EXPECT_TRUE(alice->wait_for("[pm] bob -> alice: what?")) << alice->screen();
}

TEST_F(ClientE2E, ReconnectsAndRejoinsAfterTheServerRestarts) {
  auto alice = on_terminal({"--nick", "alice"});
  ASSERT_TRUE(alice->wait_for("alice (lobby)> ")) << alice->screen();
  alice->type("/join general\r");
  ASSERT_TRUE(alice->wait_for("alice@general> ")) << alice->screen();

  server_->stop();
  EXPECT_TRUE(alice->wait_for("lost")) << alice->screen();
  EXPECT_TRUE(alice->wait_for("reconnecting in")) << alice->screen();
  std::string why;
  ASSERT_TRUE(server_->start(&why)) << why;
  ASSERT_TRUE(alice->wait_for("reconnected as alice, back in general", 45s)) << alice->screen();

  auto bob = watcher("bob", "general");
  bob->send("are you back?");
  EXPECT_TRUE(alice->wait_for("[general] bob: are you back?")) << alice->screen();
  alice->type("yes\r");
  EXPECT_TRUE(bob->wait_for(message_from("alice", "yes"))) << alice->screen();
}

TEST_F(ClientE2E, ReconnectsWithThePasswordRegisteredDuringTheSession) {
  auto dana = person("dana", "general");
  dana->type("/register pass word\r");
  ASSERT_TRUE(dana->wait_for("* registered dana")) << dana->screen();

  server_->stop();
  std::string why;
  ASSERT_TRUE(server_->start(&why)) << why;
  ASSERT_TRUE(dana->wait_for("reconnected as dana, back in general", 45s)) << dana->screen();
  // The registration persisted, so a login without the password would have
  // been refused: the client logged in again with the password typed above.
  dana->type("still me\r");
  EXPECT_TRUE(dana->wait_for("[general] dana: still me")) << dana->screen();
}

TEST_F(ClientE2E, ErrorsAreOneClearLine) {
  auto alice = person("alice", "general");
  alice->type("/join no-such-room\r");
  ASSERT_TRUE(alice->wait_for("\n! ")) << alice->screen();
  alice->type("/frobnicate\r");
  ASSERT_TRUE(alice->wait_for("\n! ")) << alice->screen();
  alice->type("/mode text\r");
  ASSERT_TRUE(alice->wait_for("\n! this client always uses json mode")) << alice->screen();
  EXPECT_TRUE(alice->wait_for("alice@general> ")) << alice->screen();
  EXPECT_EQ(alice->screen().find("{\""), std::string::npos) << alice->screen();
}

TEST_F(ClientE2E, TabCompletesCommandsAndRooms) {
  auto alice = on_terminal({"--nick", "alice"});
  ASSERT_TRUE(alice->wait_for("alice (lobby)> ")) << alice->screen();
  alice->type("/jo\t");
  ASSERT_TRUE(alice->wait_for("/join ")) << alice->screen();
  alice->type("gen\t");
  ASSERT_TRUE(alice->wait_for("general ")) << alice->screen();
  alice->type("\r");
  EXPECT_TRUE(alice->wait_for("* joined general")) << alice->screen();
  EXPECT_TRUE(alice->wait_for("alice@general> ")) << alice->screen();
  alice->type("\033[A");  // up arrow: the last line again
  EXPECT_TRUE(alice->wait_for("/join general")) << alice->screen();
}

TEST_F(ClientE2E, ColourOnATerminalNoneWithNoColor) {
  auto plain = person("plain", "general");
  auto coloured = on_terminal({"--nick", "coloured", "--room", "general"}, {"NO_COLOR="});
  ASSERT_TRUE(coloured->wait_for("coloured@general> ")) << coloured->screen();
  auto bob = watcher("bob", "general");
  bob->send("in colour?");
  ASSERT_TRUE(coloured->wait_for("[general] bob: in colour?")) << coloured->screen();
  ASSERT_TRUE(plain->wait_for("[general] bob: in colour?")) << plain->screen();
  EXPECT_NE(coloured->raw().find("\033[36m[general]"), std::string::npos);
  EXPECT_EQ(plain->raw().find("\033[36m"), std::string::npos);
}

TEST_F(ClientE2E, AsksThePasswordOfARegisteredNickWithoutEcho) {
  register_nick("carol", "open sesame");
  auto carol = on_terminal({"--nick", "carol", "--room", "general"});
  ASSERT_TRUE(carol->wait_for("password for carol: ")) << carol->screen();
  carol->type("open sesame\r");
  EXPECT_TRUE(carol->wait_for("* logged in as carol (registered nick)")) << carol->screen();
  EXPECT_TRUE(carol->wait_for("carol@general> ")) << carol->screen();
  EXPECT_EQ(carol->screen().find("open sesame"), std::string::npos) << carol->screen();
}

TEST_F(ClientE2E, WrongPasswordIsAskedAgain) {
  register_nick("carol", "open sesame");
  auto carol = on_terminal({"--nick", "carol", "--room", "general"});
  ASSERT_TRUE(carol->wait_for("password for carol: ")) << carol->screen();
  carol->type("guess\r");
  ASSERT_TRUE(carol->wait_for("wrong password")) << carol->screen();
  ASSERT_TRUE(carol->wait_for("try again")) << carol->screen();
  ASSERT_TRUE(carol->wait_for("password for carol: ")) << carol->screen();
  carol->type("open sesame\r");
  EXPECT_TRUE(carol->wait_for("carol@general> ")) << carol->screen();
  EXPECT_EQ(carol->screen().find("guess"), std::string::npos) << carol->screen();
}

TEST_F(ClientE2E, ThreeWrongPasswordsExitWithAClearMessage) {
  register_nick("carol", "open sesame");
  auto carol = on_terminal({"--nick", "carol"});
  for (int i = 0; i < 3; ++i) {
    // The prompt of this try: after the previous try's answer.
    if (i > 0) {
      ASSERT_TRUE(carol->wait_for("try again")) << carol->screen();
    }
    ASSERT_TRUE(carol->wait_for("password for carol: ")) << carol->screen();
    carol->type("guess\r");
  }
  const auto code = carol->wait_exit();
  ASSERT_TRUE(code.has_value()) << carol->screen();
  EXPECT_NE(*code, 0);
  EXPECT_TRUE(carol->wait_for("chat: wrong password for carol")) << carol->screen();
  EXPECT_EQ(carol->screen().find("guess"), std::string::npos) << carol->screen();
}

TEST_F(ClientE2E, AnInvalidNickExits3BeforeLoggingIn) {
  const auto run = piped({"--nick", "bad nick", "--room", "general", "--send", "x"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(run.err.rfind("chat: invalid nick \"bad nick\": ", 0), 0u) << run.err;
  auto w = watcher("watch", "");
  auto who = w->command("/who").value_or(json());
  ASSERT_EQ(text_of(who, "type"), "ok");
  EXPECT_EQ(who["users"].size(), 1u) << who.dump();  // nobody logged in as "bad"
  auto on_screen = on_terminal({"--nick", "bad nick"});
  EXPECT_EQ(on_screen->wait_exit(), 3) << on_screen->screen();
}

TEST_F(ClientE2E, EnterAtAnEmptyNickPromptAsksAgain) {
  auto p = on_terminal({}, {"USER="});
  ASSERT_TRUE(p->wait_for("nick: ")) << p->screen();
  p->type("\r");
  ASSERT_TRUE(p->wait_for("a nick is needed")) << p->screen();
  ASSERT_TRUE(p->wait_for("nick: ")) << p->screen();
  p->type("no way\r");
  ASSERT_TRUE(p->wait_for("invalid nick")) << p->screen();
  ASSERT_TRUE(p->wait_for("nick: ")) << p->screen();
  p->type("bob\r");
  EXPECT_TRUE(p->wait_for("bob (lobby)> ")) << p->screen();
}

TEST_F(ClientE2E, ReconnectAttemptsUpdateOneStatusLine) {
  auto alice = person("alice", "general");
  server_->stop();
  ASSERT_TRUE(alice->wait_for("lost")) << alice->screen();
  // Attempts 1 and 2 (after 0.5 s and 1 s, give or take 20%) come and go.
  ASSERT_TRUE(alice->wait_for("attempt 3", 15s)) << alice->screen();
  const auto screen = alice->screen();
  std::size_t lost_lines = 0;
  for (auto at = screen.find("lost"); at != std::string::npos; at = screen.find("lost", at + 1))
    ++lost_lines;
  EXPECT_EQ(lost_lines, 1u) << screen;
  EXPECT_EQ(screen.find("cannot connect"), std::string::npos) << screen;
  std::string why;
  ASSERT_TRUE(server_->start(&why)) << why;
  EXPECT_TRUE(alice->wait_for("reconnected as alice, back in general", 45s)) << alice->screen();
}

TEST_F(ClientE2E, WrongPasswordForABotExitsNonZero) {
  register_nick("carol", "open sesame");
  const auto run =
      piped({"--nick", "carol", "--room", "general", "--send", "hi"}, "", {"CHAT_PASSWORD=guess"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(run.err, "chat: wrong password for carol\n");
}

TEST_F(ClientE2E, SendDeliversOneMessageAndExits) {
  auto bob = watcher("bob", "general");
  const auto run = piped({"--nick", "cron", "--room", "general", "--send", "/disk is 91% full"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(run.err, "");
  EXPECT_TRUE(bob->wait_for(message_from("cron", "/disk is 91% full")));
}

TEST_F(ClientE2E, SendToAMissingRoomFails) {
  const auto run = piped({"--nick", "cron", "--room", "no-such-room", "--send", "hello?"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("chat: cannot join no-such-room: ", 0), 0u) << run.err;
  EXPECT_EQ(run.err.find('{'), std::string::npos) << run.err;
}

TEST_F(ClientE2E, JsonPassesTheServersLinesThrough) {
  const auto run = piped({"--json", "--nick", "script"}, "/rooms\n/frobnicate\n/join general\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  std::vector<json> objects;
  std::size_t start = 0;
  while (start < run.out.size()) {
    const auto end = run.out.find('\n', start);
    const auto line = run.out.substr(start, end - start);
    auto obj = json::parse(line, nullptr, false);
    EXPECT_TRUE(!obj.is_discarded() && obj.is_object()) << "not a JSON object: " << line;
    objects.push_back(obj);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  auto reply = [&](const std::string& type, const std::string& cmd) {
    for (const auto& o : objects) {
      if (text_of(o, "type") == type && text_of(o, "cmd") == cmd) return true;
    }
    return false;
  };
  EXPECT_TRUE(reply("ok", "login")) << run.out;
  EXPECT_TRUE(reply("ok", "rooms")) << run.out;
  const bool unknown_refused = std::any_of(objects.begin(), objects.end(), [](const json& o) {
    return text_of(o, "type") == "error" && text_of(o, "code") == "unknown_command";
  });
  EXPECT_TRUE(unknown_refused) << run.out;
  EXPECT_TRUE(reply("ok", "join")) << run.out;
  EXPECT_TRUE(reply("ok", "quit")) << run.out;
}

TEST_F(ClientE2E, PipedInputIsRenderedForPeople) {
  auto bob = watcher("bob", "general");
  const auto run = piped({"--nick", "pipe", "--room", "general"}, "from a pipe\n");
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("[general] pipe: from a pipe"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find('\033'), std::string::npos) << run.out;
  EXPECT_TRUE(bob->wait_for(message_from("pipe", "from a pipe")));
}

TEST_F(ClientE2E, CannotConnectSaysSo) {
  server_->stop();
  const auto run = piped({"--nick", "x", "--room", "general", "--send", "hi"});
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("chat: cannot connect to 127.0.0.1:", 0), 0u) << run.err;
}

// A paste longer than the server would hold (issue 16): the client paces it
// to the server's rate itself, so every line arrives, in order, and none is
// refused rate_limited. Before the client paced, lines beyond burst + held
// (here 30) were refused.
TEST_F(ClientE2E, PipedPasteLongerThanTheServerHoldsArrivesWholeAndInOrder) {
  server_ = std::make_unique<chatd_server>(
      CHATD_BINARY, dir_.path() + "/paced.db", dir_.path() + "/paced.log",
      std::vector<std::string>{"--rate-burst", "10", "--rate-per-sec", "50", "--max-held-lines",
                               "20"});
  std::string why;
  ASSERT_TRUE(server_->start(&why)) << why;
  auto bob = watcher("bob", "general");
  constexpr int lines = 150;
  std::string paste;
  for (int i = 1; i <= lines; ++i) paste += "paste line " + std::to_string(i) + "\n";

  const auto run = piped({"--nick", "paster", "--room", "general"}, paste);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("too many messages"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("[general] paster: paste line 150"), std::string::npos) << run.out;
  // wait_for passes over what does not match: a line out of order is missed.
  for (int i = 1; i <= lines; ++i) {
    ASSERT_TRUE(bob->wait_for(message_from("paster", "paste line " + std::to_string(i))))
        << "line " << i;
  }
}

// A script on --json gets the server's own lines: no rate_limited error
// among them for a paste of 150 lines, and the ok of every one.
TEST_F(ClientE2E, JsonScriptPasteIsPacedWithoutRateLimited) {
  server_ = std::make_unique<chatd_server>(
      CHATD_BINARY, dir_.path() + "/paced.db", dir_.path() + "/paced.log",
      std::vector<std::string>{"--rate-burst", "10", "--rate-per-sec", "50", "--max-held-lines",
                               "20"});
  std::string why;
  ASSERT_TRUE(server_->start(&why)) << why;
  constexpr int lines = 150;
  std::string paste;
  for (int i = 1; i <= lines; ++i) paste += "json line " + std::to_string(i) + "\n";

  const auto run = piped({"--json", "--nick", "script", "--room", "general"}, paste);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.out.find("rate_limited"), std::string::npos) << run.out;
  int own = 0;
  std::size_t at = 0;
  while ((at = run.out.find("\"from\":\"script\"", at)) != std::string::npos) {
    ++own;
    ++at;
  }
  EXPECT_EQ(own, lines) << run.out;
}

}  // namespace
}  // namespace chat::client::testing
