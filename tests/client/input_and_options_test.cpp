// The small pure pieces: typed lines, command line, colour choice, line cutting, prompt.
#include <gtest/gtest.h>

#include <sstream>

#include "apps/chat/ansi.hpp"
#include "apps/chat/line_splitter.hpp"
#include "apps/chat/options.hpp"
#include "apps/chat/prompt.hpp"
#include "apps/chat/user_input.hpp"

namespace chat::client {
namespace {

TEST(ClientInput, LinesGoToTheServerAsTyped) {
  EXPECT_EQ(classify_input("hello").kind, input_kind::send);
  EXPECT_EQ(classify_input("/join python").kind, input_kind::send);
  EXPECT_EQ(classify_input("@bob hi").kind, input_kind::send);
  EXPECT_EQ(classify_input("/mode json").kind, input_kind::send);
  EXPECT_EQ(classify_input("   ").kind, input_kind::nothing);
  EXPECT_EQ(classify_input("").kind, input_kind::nothing);
}

TEST(ClientInput, CommandsLoseTrailingBlanksChatDoesNot) {
  EXPECT_EQ(classify_input("/join general ").line, "/join general");
  EXPECT_EQ(classify_input("  /msg bob  hi  ").line, "/msg bob  hi");
  EXPECT_EQ(classify_input("hello  ").line, "hello  ");
  EXPECT_EQ(classify_input("/register pass word ").line, "/register pass word ");
  EXPECT_EQ(classify_input("/login carol secret ").line, "/login carol secret ");
  EXPECT_EQ(classify_input("/quit bye ").line, "/quit bye");
}

TEST(ClientInput, QuitCommandsEndTheSession) {
  EXPECT_EQ(classify_input("/quit").kind, input_kind::quit);
  EXPECT_EQ(classify_input("/QUIT gone fishing").kind, input_kind::quit);
  EXPECT_EQ(classify_input("/logout").kind, input_kind::quit);
  EXPECT_EQ(classify_input("/exit").kind, input_kind::quit);
  EXPECT_EQ(classify_input("/quitter").kind, input_kind::send);
}

TEST(ClientInput, TextModeIsRefused) {
  const auto action = classify_input("/mode TEXT");
  EXPECT_EQ(action.kind, input_kind::refuse);
  EXPECT_FALSE(action.reason.empty());
}

TEST(ClientInput, CommandWordAndArguments) {
  EXPECT_EQ(command_of("  /Register  s3cret pass "), "register");
  EXPECT_EQ(arguments_of("  /Register  s3cret pass "), "s3cret pass");
  EXPECT_EQ(command_of("hello /join"), "");
}

std::variant<client_options, int> parse(std::vector<const char*> args,
                                        std::string* errors = nullptr) {
  args.insert(args.begin(), "chat");
  std::ostringstream out, err;
  auto result = parse_options(static_cast<int>(args.size()), args.data(), out, err);
  if (errors) *errors = err.str();
  return result;
}

TEST(ClientOptions, Defaults) {
  auto result = parse({});
  ASSERT_TRUE(std::holds_alternative<client_options>(result));
  const auto& options = std::get<client_options>(result);
  EXPECT_EQ(options.host, "127.0.0.1");
  EXPECT_EQ(options.port, 5000);
  EXPECT_TRUE(options.nick.empty());
  EXPECT_FALSE(options.json);
  EXPECT_FALSE(options.send_text);
}

TEST(ClientOptions, AllFlags) {
  auto result = parse({"--host", "chat.example", "--port", "6000", "--nick", "bot", "--room", "ops",
                       "--send", "disk full", "--no-color"});
  ASSERT_TRUE(std::holds_alternative<client_options>(result));
  const auto& options = std::get<client_options>(result);
  EXPECT_EQ(options.host, "chat.example");
  EXPECT_EQ(options.port, 6000);
  EXPECT_EQ(options.nick, "bot");
  EXPECT_EQ(options.room, "ops");
  EXPECT_EQ(options.send_text.value_or(""), "disk full");
  EXPECT_TRUE(options.no_color);
  auto json = parse({"--json", "--nick", "bot"});
  ASSERT_TRUE(std::holds_alternative<client_options>(json));
  EXPECT_TRUE(std::get<client_options>(json).json);
}

TEST(ClientOptions, UsageErrors) {
  std::string errors;
  EXPECT_EQ(std::get<int>(parse({"--send", "hi"}, &errors)), 2);  // needs --room
  EXPECT_NE(errors.find("room"), std::string::npos) << errors;
  EXPECT_EQ(std::get<int>(parse({"--send", "hi", "--room", "r", "--json"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--port", "0"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--port", "x"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--bogus"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--send", "two\nlines", "--room", "r"})), 2);
  EXPECT_EQ(std::get<int>(parse({"--help"})), 0);
}

TEST(ClientColour, OnlyOnATerminalThatWantsIt) {
  EXPECT_TRUE(ansi::colour_wanted(true, nullptr, "xterm-256color", false));
  EXPECT_TRUE(ansi::colour_wanted(true, "", "xterm", false));         // empty NO_COLOR: ignored
  EXPECT_FALSE(ansi::colour_wanted(false, nullptr, "xterm", false));  // piped
  EXPECT_FALSE(ansi::colour_wanted(true, "1", "xterm", false));
  EXPECT_FALSE(ansi::colour_wanted(true, nullptr, "dumb", false));
  EXPECT_FALSE(ansi::colour_wanted(true, nullptr, nullptr, false));
  EXPECT_FALSE(ansi::colour_wanted(true, nullptr, "xterm", true));  // --no-color
}

TEST(ClientLineSplitter, CutsCrlfAndLfLines) {
  line_splitter splitter(100);
  std::vector<std::string> lines;
  splitter.feed("one\r\ntw", lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"one"}));
  splitter.feed("o\r", lines);
  splitter.feed("\nthree\n\r\n", lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"one", "two", "three", ""}));
}

TEST(ClientLineSplitter, BoundsALongLine) {
  line_splitter splitter(4);
  std::vector<std::string> lines;
  splitter.feed("abcdefgh\nxy\n", lines);
  EXPECT_EQ(lines, (std::vector<std::string>{"abcd", "xy"}));
}

TEST(ClientOptions, HelpShowsAnExampleForEachMode) {
  const char* args[] = {"chat", "--help"};
  std::ostringstream out, err;
  EXPECT_EQ(std::get<int>(parse_options(2, args, out, err)), 0);
  const auto help = out.str();
  for (auto example : {"chat --host chat.example.org --nick alice --room general",
                       "chat --nick cron --room ops --send", "| chat --json --nick bot",
                       "| chat --nick alerts --room ops", "3 login refused"})
    EXPECT_NE(help.find(example), std::string::npos) << example << "\n" << help;
}

TEST(ClientNick, ImpossibleNicksAreRefusedBeforeConnecting) {
  EXPECT_EQ(nick_problem("alice"), "");
  EXPECT_EQ(nick_problem("张伟"), "");
  EXPECT_EQ(nick_problem(""), "a nick is needed");
  EXPECT_EQ(nick_problem("bad nick").rfind("invalid nick \"bad nick\": ", 0), 0u)
      << nick_problem("bad nick");
  EXPECT_NE(nick_problem(std::string(33, 'x')), "");
  EXPECT_EQ(nick_problem("bad\x1b[2Jnick").find('\x1b'), std::string::npos);
}

TEST(ClientPrompt, OfflineStatusIsInThePrompt) {
  EXPECT_EQ(make_prompt("alice", "python", false, false, "reconnecting in 2.0 s, attempt 3"),
            "(offline: reconnecting in 2.0 s, attempt 3) alice@python> ");
}

TEST(ClientPrompt, ShowsNickAndRoom) {
  EXPECT_EQ(make_prompt("alice", "python", true, false), "alice@python> ");
  EXPECT_EQ(make_prompt("alice", "", true, false), "alice (lobby)> ");
  EXPECT_EQ(make_prompt("alice", "python", false, false), "(offline) alice@python> ");
  const std::string coloured = make_prompt("alice", "python", true, true);
  // Escape sequences are marked invisible for readline.
  EXPECT_NE(coloured.find("\001\033[1m\002alice\001\033[0m\002"), std::string::npos);
}

}  // namespace
}  // namespace chat::client
