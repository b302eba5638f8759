// The command parser: every command and alias, argument splitting, failures.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "actors/command.hpp"
#include "actors/protocol_errors.hpp"

namespace chat {
namespace {

command parsed(std::string_view line) {
  auto result = parse_line(line);
  if (auto* failure = std::get_if<parse_failure>(&result)) {
    ADD_FAILURE() << "'" << line << "' failed: " << failure->text;
    return {};
  }
  return std::get<command>(result);
}

parse_failure failed(std::string_view line) {
  auto result = parse_line(line);
  if (auto* failure = std::get_if<parse_failure>(&result)) return *failure;
  ADD_FAILURE() << "'" << line << "' parsed, but should fail";
  return {};
}

// Arguments that satisfy each command, so that every alias can be tried.
std::string sample_args(command_kind kind) {
  switch (kind) {
    case command_kind::login:
    case command_kind::nick:
    case command_kind::unignore:
      return " alice";
    case command_kind::register_nick:
      return " secret";
    case command_kind::create:
    case command_kind::join:
    case command_kind::drop:
      return " python";
    case command_kind::msg:
      return " bob hi";
    case command_kind::say:
    case command_kind::me:
      return " waves";
    case command_kind::mode:
      return " json";
    default:
      return "";
  }
}

TEST(CommandParse, EveryCommandAndAliasParsesToItsKind) {
  for (auto& spec : command_specs()) {
    std::vector<std::string_view> names{spec.name};
    names.insert(names.end(), spec.aliases.begin(), spec.aliases.end());
    for (auto name : names) {
      auto line = "/" + std::string{name} + sample_args(spec.kind);
      auto cmd = parsed(line);
      EXPECT_EQ(cmd.kind, spec.kind) << line;
      EXPECT_FALSE(cmd.plain) << line;
    }
  }
}

TEST(CommandParse, ProtocolTableAliasesAreKnown) {
  const std::map<std::string, command_kind> lines{
      {"/help", command_kind::help},       {"/h", command_kind::help},
      {"/?", command_kind::help},          {"/login a", command_kind::login},
      {"/nick a", command_kind::nick},     {"/register pw", command_kind::register_nick},
      {"/rooms", command_kind::rooms},     {"/list", command_kind::rooms},
      {"/create r", command_kind::create}, {"/join r", command_kind::join},
      {"/select r", command_kind::join},   {"/enter r", command_kind::join},
      {"/leave", command_kind::leave},     {"/back", command_kind::leave},
      {"/look", command_kind::look},       {"/online", command_kind::look},
      {"/names", command_kind::look},      {"/who", command_kind::who},
      {"/ls", command_kind::who},          {"/msg b hi", command_kind::msg},
      {"@b hi", command_kind::msg},        {"/say hi", command_kind::say},
      {"/me hi", command_kind::me},        {"/ignore", command_kind::ignore},
      {"/i", command_kind::ignore},        {"/unignore b", command_kind::unignore},
      {"/topic", command_kind::topic},     {"/drop r", command_kind::drop},
      {"/mode text", command_kind::mode},  {"/quit", command_kind::quit},
      {"/logout", command_kind::quit},     {"/exit", command_kind::quit},
      {"/stats", command_kind::stats},
  };
  for (auto& [line, kind] : lines) EXPECT_EQ(parsed(line).kind, kind) << line;
}

TEST(CommandParse, NamesAreCaseInsensitive) {
  EXPECT_EQ(parsed("/JOIN python").kind, command_kind::join);
  EXPECT_EQ(parsed("/Enter python").kind, command_kind::join);
  EXPECT_EQ(parsed("/H").kind, command_kind::help);
  EXPECT_EQ(parsed("/LiSt").kind, command_kind::rooms);
  EXPECT_EQ(parsed("/STATS").kind, command_kind::stats);
  // Arguments keep their case: only the command name is folded.
  EXPECT_EQ(parsed("/JOIN Python").target, "Python");
}

TEST(CommandParse, ArgumentsKeepInnerSpacingAndAreTrimmed) {
  auto login = parsed("/login alice   my secret  pass  ");
  EXPECT_EQ(login.target, "alice");
  EXPECT_EQ(login.rest, "my secret  pass");
  auto create = parsed("/create   python  all about   snakes ");
  EXPECT_EQ(create.target, "python");
  EXPECT_EQ(create.rest, "all about   snakes");
  auto msg = parsed("/msg bob   hello   there  ");
  EXPECT_EQ(msg.target, "bob");
  EXPECT_EQ(msg.rest, "hello   there");
  EXPECT_EQ(parsed("/say   spaced  out  ").rest, "spaced  out");
  EXPECT_EQ(parsed("/me  waves  hello").rest, "waves  hello");
  EXPECT_EQ(parsed("/topic new  topic here").rest, "new  topic here");
  EXPECT_EQ(parsed("/quit gone fishing").rest, "gone fishing");
  EXPECT_EQ(parsed("/register pass word").rest, "pass word");
}

TEST(CommandParse, TabsSeparateArgumentsLikeSpaces) {
  EXPECT_EQ(parsed("/join\tpython").target, "python");
  auto msg = parsed("/msg\tbob\t hi\tthere");
  EXPECT_EQ(msg.target, "bob");
  EXPECT_EQ(msg.rest, "hi\tthere");
}

TEST(CommandParse, OptionalArgumentsMayBeLeftOut) {
  EXPECT_EQ(parsed("/help").target, "");
  EXPECT_EQ(parsed("/help join").target, "join");
  EXPECT_EQ(parsed("/ignore").target, "");
  EXPECT_EQ(parsed("/ignore bob").target, "bob");
  EXPECT_EQ(parsed("/topic").rest, "");
  EXPECT_EQ(parsed("/quit").rest, "");
  auto login = parsed("/login alice");
  EXPECT_EQ(login.target, "alice");
  EXPECT_EQ(login.rest, "");
  EXPECT_EQ(parsed("/create python").rest, "");
}

TEST(CommandParse, SingleWordArgumentsAreFilled) {
  EXPECT_EQ(parsed("/nick robert").target, "robert");
  EXPECT_EQ(parsed("/join 42").target, "42");
  EXPECT_EQ(parsed("/drop python").target, "python");
  EXPECT_EQ(parsed("/unignore bob").target, "bob");
  EXPECT_EQ(parsed("/join 张伟的房间").target, "张伟的房间");
}

TEST(CommandParse, ModeIsLowerCased) {
  EXPECT_EQ(parsed("/mode json").target, "json");
  EXPECT_EQ(parsed("/mode JSON").target, "json");
  EXPECT_EQ(parsed("/MODE Text").target, "text");
}

TEST(CommandParse, ExtraWordsAfterCommandsWithoutArgumentsAreIgnored) {
  for (const char* line : {"/rooms please", "/leave now", "/look around", "/who is", "/stats x y"})
    EXPECT_FALSE(std::holds_alternative<parse_failure>(parse_line(line))) << line;
}

TEST(CommandParse, AtNickIsAPrivateMessage) {
  auto msg = parsed("@bob hello  there ");
  EXPECT_EQ(msg.kind, command_kind::msg);
  EXPECT_EQ(msg.target, "bob");
  EXPECT_EQ(msg.rest, "hello  there");
  EXPECT_FALSE(msg.plain);
  EXPECT_EQ(parsed("@张伟 你好").target, "张伟");
}

TEST(CommandParse, AtNickWithoutTextIsBadArgs) {
  for (const char* line : {"@bob", "@bob   ", "@", "@ bob hi"}) {
    auto failure = failed(line);
    EXPECT_EQ(failure.code, error_code::bad_args) << line;
    EXPECT_EQ(failure.cmd, "msg") << line;
    EXPECT_EQ(failure.text, "usage: /msg <nick> <text...>") << line;
  }
}

TEST(CommandSpecs, EveryCommandHasAnExampleThatParsesToIt) {
  for (auto& spec : command_specs()) {
    ASSERT_FALSE(spec.example.empty()) << spec.name;
    EXPECT_EQ(parsed(spec.example).kind, spec.kind) << spec.example;
  }
}

TEST(CommandParse, ALeadingHashInARoomNameIsIgnored) {
  EXPECT_EQ(parsed("/join #general").target, "general");
  EXPECT_EQ(parsed("/drop #python").target, "python");
  EXPECT_EQ(parsed("/create #python snakes").target, "python");
  EXPECT_EQ(parsed("/create #python snakes").rest, "snakes");
  EXPECT_EQ(parsed("/join #").target, "#");          // nothing left: the name as typed
  EXPECT_EQ(parsed("/msg #bob hi").target, "#bob");  // no room named
}

TEST(CommandParse, TzTakesOneZoneOrNone) {
  EXPECT_EQ(parsed("/tz Europe/Berlin").target, "Europe/Berlin");
  EXPECT_EQ(parsed("/tz").target, "");
  EXPECT_EQ(failed("/tz Europe/Berlin extra").text, "usage: /tz [zone]");
}

TEST(CommandParse, RegisterWithoutPasswordIsLeftToTheSession) {
  // A telnet user is asked for the password with echo off; others get usage.
  EXPECT_EQ(parsed("/register").kind, command_kind::register_nick);
  EXPECT_EQ(parsed("/register   ").rest, "");
}

TEST(CommandParse, MissingOrSurplusArgumentsAreBadArgsWithUsage) {
  const std::vector<std::pair<std::string, std::string>> cases{
      {"/login", "login"},
      {"/nick", "nick"},
      {"/nick no way", "nick"},
      {"/create", "create"},
      {"/join", "join"},
      {"/join a b", "join"},
      {"/enter", "join"},
      {"/msg", "msg"},
      {"/msg bob", "msg"},
      {"/msg bob   ", "msg"},
      {"/say", "say"},
      {"/say   ", "say"},
      {"/me", "me"},
      {"/unignore", "unignore"},
      {"/unignore a b", "unignore"},
      {"/ignore a b", "ignore"},
      {"/drop", "drop"},
      {"/drop a b", "drop"},
      {"/mode", "mode"},
      {"/mode xml", "mode"},
      {"/mode json now", "mode"},
      {"/help a b", "help"},
      {"/i a b", "ignore"},
  };
  for (auto& [line, cmd] : cases) {
    auto failure = failed(line);
    EXPECT_EQ(failure.code, error_code::bad_args) << line;
    EXPECT_EQ(failure.cmd, cmd) << line;
    EXPECT_EQ(failure.text.rfind("usage: /" + cmd, 0), 0u) << line << " -> " << failure.text;
  }
}

TEST(CommandParse, UsageLinesShowTheArguments) {
  EXPECT_EQ(failed("/join").text, "usage: /join <room or id>");
  EXPECT_EQ(failed("/login").text, "usage: /login <nick> [password]");
  EXPECT_EQ(failed("/create").text, "usage: /create <room> [topic...]");
  EXPECT_EQ(failed("/mode xml").text, "usage: /mode <text|json>");
}

TEST(CommandParse, UnknownCommandHasNoCommandName) {
  auto failure = failed("/foo bar");
  EXPECT_EQ(failure.code, error_code::unknown_command);
  EXPECT_EQ(failure.cmd, "");
  EXPECT_EQ(failure.text, "unknown command: /foo (try /help)");
  EXPECT_EQ(failed("/FROBNICATE").code, error_code::unknown_command);
  EXPECT_EQ(failed("/register_nick pw").code, error_code::unknown_command);
}

TEST(CommandParse, LoneSlashIsUnknown) {
  for (const char* line : {"/", "/ ", "/ join python"}) {
    auto failure = failed(line);
    EXPECT_EQ(failure.code, error_code::unknown_command) << line;
    EXPECT_EQ(failure.cmd, "") << line;
  }
}

TEST(CommandParse, DoubleSlashIsAPlainLineStartingWithSlash) {
  auto cmd = parsed("//join is a command");
  EXPECT_EQ(cmd.kind, command_kind::say);
  EXPECT_TRUE(cmd.plain);
  EXPECT_EQ(cmd.rest, "/join is a command");
  EXPECT_EQ(parsed("//").rest, "/");
  EXPECT_EQ(parsed("///").rest, "//");
}

TEST(CommandParse, PlainLineIsSay) {
  auto cmd = parsed("hello world");
  EXPECT_EQ(cmd.kind, command_kind::say);
  EXPECT_TRUE(cmd.plain);
  EXPECT_EQ(cmd.rest, "hello world");
  EXPECT_EQ(parsed("hello /join x").rest, "hello /join x");
  EXPECT_EQ(parsed("你好，世界").rest, "你好，世界");
  EXPECT_EQ(parsed("  indented code").rest, "  indented code");
}

TEST(CommandParse, BlankPlainLineIsBadArgs) {
  auto failure = failed("  \t ");
  EXPECT_EQ(failure.code, error_code::bad_args);
  EXPECT_EQ(failure.cmd, "say");
}

TEST(CommandParse, SayAndSlashSayAreNotPlain) {
  auto cmd = parsed("/say hello");
  EXPECT_EQ(cmd.kind, command_kind::say);
  EXPECT_FALSE(cmd.plain);
}

TEST(CommandSpecs, ListsEveryCommandInProtocolOrder) {
  std::vector<std::string_view> names;
  for (auto& spec : command_specs()) names.push_back(spec.name);
  std::vector<std::string_view> expected{
      "help",     "login", "nick", "register", "rooms", "create", "join",
      "leave",    "look",  "who",  "msg",      "say",   "me",     "ignore",
      "unignore", "topic", "drop", "mode",     "quit",  "stats",  "tz"};
  EXPECT_EQ(names, expected);
}

TEST(CommandSpecs, EverySpecHasHelpAndItsKindsName) {
  for (auto& spec : command_specs()) {
    EXPECT_FALSE(spec.help.empty()) << spec.name;
    EXPECT_EQ(command_name(spec.kind), spec.name);
  }
  EXPECT_EQ(command_name(command_kind::register_nick), "register");
}

TEST(CommandSpecs, AliasesMatchTheProtocolTable) {
  using aliases = std::vector<std::string_view>;
  auto of = [](std::string_view name) { return find_command_spec(name)->aliases; };
  EXPECT_EQ(of("help"), (aliases{"h", "?"}));
  EXPECT_EQ(of("rooms"), (aliases{"list"}));
  EXPECT_EQ(of("join"), (aliases{"select", "enter"}));
  EXPECT_EQ(of("leave"), (aliases{"back"}));
  EXPECT_EQ(of("look"), (aliases{"online", "names"}));
  EXPECT_EQ(of("who"), (aliases{"ls"}));
  EXPECT_EQ(of("ignore"), (aliases{"i"}));
  EXPECT_EQ(of("quit"), (aliases{"logout", "exit"}));
  EXPECT_TRUE(of("stats").empty());
}

TEST(CommandSpecs, FindsByNameOrAliasWithOrWithoutSlash) {
  ASSERT_NE(find_command_spec("join"), nullptr);
  EXPECT_EQ(find_command_spec("JOIN")->kind, command_kind::join);
  EXPECT_EQ(find_command_spec("/enter")->kind, command_kind::join);
  EXPECT_EQ(find_command_spec("?")->kind, command_kind::help);
  EXPECT_EQ(find_command_spec("/?")->kind, command_kind::help);
  EXPECT_EQ(find_command_spec("nothing"), nullptr);
  EXPECT_EQ(find_command_spec(""), nullptr);
  EXPECT_EQ(find_command_spec("/"), nullptr);
}

TEST(CommandErrorCodes, NamesRoundTrip) {
  int count = 0;
  for (int value = 1; value <= static_cast<int>(error_code::unavailable); ++value, ++count) {
    auto code = static_cast<error_code>(value);
    auto name = error_code_name(code);
    auto back = error_code_from_name(name);
    ASSERT_TRUE(back.has_value()) << name;
    EXPECT_EQ(*back, code) << name;
  }
  EXPECT_EQ(count, 17);
  EXPECT_EQ(error_code_name(error_code::no_such_room), "no_such_room");
  EXPECT_EQ(error_code_name(error_code::line_too_long), "line_too_long");
  EXPECT_FALSE(error_code_from_name("no such room").has_value());
  EXPECT_FALSE(error_code_from_name("").has_value());
}

}  // namespace
}  // namespace chat
