#include "actors/command.hpp"

#include <algorithm>

namespace chat {
namespace {

// What a command's arguments look like; decides how the rest of its line is split.
enum class arg_shape {
  none,           // extra words ignored, as IRC does
  optional_word,  // at most one word
  one_word,       // exactly one word
  word_opt_rest,  // a word, then optionally the rest of the line
  word_and_text,  // a word, then the rest of the line (both required)
  text,           // the rest of the line, required
  optional_text,  // the rest of the line, may be empty
  mode,           // "text" or "json"
};

arg_shape shape_of(command_kind kind) {
  switch (kind) {
    case command_kind::help:
    case command_kind::ignore:
    case command_kind::tz:
      return arg_shape::optional_word;
    case command_kind::nick:
    case command_kind::join:
    case command_kind::unignore:
    case command_kind::drop:
      return arg_shape::one_word;
    case command_kind::login:
    case command_kind::create:
      return arg_shape::word_opt_rest;
    case command_kind::msg:
      return arg_shape::word_and_text;
    case command_kind::say:
    case command_kind::me:
      return arg_shape::text;
    case command_kind::register_nick:  // without one, a telnet user is asked for it
    case command_kind::topic:
    case command_kind::quit:
      return arg_shape::optional_text;
    case command_kind::mode:
      return arg_shape::mode;
    default:
      return arg_shape::none;
  }
}

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

// Splits trimmed `args` into its first word and the trimmed remainder.
std::pair<std::string_view, std::string_view> split_word(std::string_view args) {
  args = trim(args);
  auto end = std::find_if(args.begin(), args.end(), is_blank) - args.begin();
  return {args.substr(0, end), trim(args.substr(end))};
}

std::string lower_ascii(std::string_view s) {
  std::string out{s};
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

const command_spec& spec_of(command_kind kind) {
  for (auto& spec : command_specs())
    if (spec.kind == kind) return spec;
  return command_specs().front();  // unreachable: every kind has a spec
}

parse_failure usage_failure(command_kind kind) {
  auto& spec = spec_of(kind);
  std::string usage = "usage: /" + std::string{spec.name};
  if (!spec.args.empty()) usage += " " + std::string{spec.args};
  return parse_failure{error_code::bad_args, std::string{spec.name}, std::move(usage)};
}

bool is_mode(std::string_view word) {
  return word == "text" || word == "json";
}

// Whether the words given fit the shape: `word` is the first, `after` the rest.
bool fits(arg_shape shape, std::string_view word, std::string_view after) {
  switch (shape) {
    case arg_shape::none:
    case arg_shape::optional_text:
      return true;
    case arg_shape::optional_word:
      return after.empty();
    case arg_shape::one_word:
      return !word.empty() && after.empty();
    case arg_shape::word_opt_rest:
    case arg_shape::text:
      return !word.empty();
    case arg_shape::word_and_text:
      return !word.empty() && !after.empty();
    case arg_shape::mode:
      return after.empty() && is_mode(lower_ascii(word));
  }
  return false;
}

parse_result parse_args(command_kind kind, std::string_view args) {
  auto shape = shape_of(kind);
  auto [word, after] = split_word(args);
  if (!fits(shape, word, after)) return usage_failure(kind);
  command cmd;
  cmd.kind = kind;
  if (shape == arg_shape::text || shape == arg_shape::optional_text) {
    cmd.rest = trim(args);
  } else if (shape == arg_shape::mode) {
    cmd.target = lower_ascii(word);
  } else if (shape != arg_shape::none) {
    cmd.target = word;
    cmd.rest = after;
    // IRC habit: "#general" names the room general.
    bool names_room =
        kind == command_kind::join || kind == command_kind::drop || kind == command_kind::create;
    if (names_room && cmd.target.size() > 1 && cmd.target[0] == '#') cmd.target.erase(0, 1);
  }
  return cmd;
}

parse_result parse_slash(std::string_view line) {
  auto body = line.substr(1);
  auto end = std::find_if(body.begin(), body.end(), is_blank) - body.begin();
  auto name = body.substr(0, end);
  auto* spec = name.empty() ? nullptr : find_command_spec(name);
  if (!spec)
    return parse_failure{error_code::unknown_command, "",
                         "unknown command: /" + std::string{name} + " (try /help)"};
  return parse_args(spec->kind, body.substr(end));
}

bool matches(const command_spec& spec, std::string_view lowered) {
  if (spec.name == lowered) return true;
  return std::find(spec.aliases.begin(), spec.aliases.end(), lowered) != spec.aliases.end();
}

}  // namespace

parse_result parse_line(std::string_view line) {
  if (line.size() >= 2 && line[0] == '/' && line[1] == '/')
    return command{command_kind::say, "", std::string{line.substr(1)}, true};
  if (!line.empty() && line[0] == '/') return parse_slash(line);
  if (!line.empty() && line[0] == '@') {
    // The nick sticks to the '@': "@ bob hi" is no private message.
    if (line.size() < 2 || is_blank(line[1])) return usage_failure(command_kind::msg);
    return parse_args(command_kind::msg, line.substr(1));
  }
  // A blank line says nothing; the message event must never be empty.
  if (trim(line).empty()) return usage_failure(command_kind::say);
  return command{command_kind::say, "", std::string{line}, true};
}

std::string_view command_name(command_kind kind) {
  return spec_of(kind).name;
}

const std::vector<command_spec>& command_specs() {
  using k = command_kind;
  static const std::vector<command_spec> specs{
      {k::help,
       "help",
       {"h", "?"},
       "[command]",
       "lists the commands, or shows one command's usage",
       "/help join"},
      {k::login,
       "login",
       {},
       "<nick> [password]",
       "takes a nickname; a registered nick needs its password (asked for when left out)",
       "/login alice"},
      {k::nick, "nick", {}, "<newnick>", "changes your nickname", "/nick robert"},
      {k::register_nick,
       "register",
       {},
       "[password]",
       "registers your nick, so that only its password can take it (asked for when left out)",
       "/register"},
      {k::rooms, "rooms", {"list"}, "", "lists all rooms", "/rooms"},
      {k::create,
       "create",
       {},
       "<room> [topic...]",
       "creates a room that you own, and joins it",
       "/create python all about snakes"},
      {k::join, "join", {"select", "enter"}, "<room or id>", "enters a room", "/join general"},
      {k::leave, "leave", {"back"}, "", "goes back to the lobby", "/leave"},
      {k::look, "look", {"online", "names"}, "", "shows who is in the current room", "/look"},
      {k::who, "who", {"ls"}, "", "shows everyone online, on every node", "/who"},
      {k::msg,
       "msg",
       {},
       "<nick> <text...>",
       "sends a private message (also: @nick text)",
       "/msg bob see you at five"},
      {k::say,
       "say",
       {},
       "<text...>",
       "says text in the current room, as a plain line does",
       "/say /etc/hosts is a file"},
      {k::me,
       "me",
       {},
       "<text...>",
       "shows an action in the current room: * you text",
       "/me waves"},
      {k::ignore,
       "ignore",
       {"i"},
       "[nick]",
       "hides a user's messages; without a nick, toggles muting all room chat",
       "/ignore bob"},
      {k::unignore, "unignore", {}, "<nick>", "shows a user's messages again", "/unignore bob"},
      {k::topic,
       "topic",
       {},
       "[text...]",
       "shows, or (owner only) sets, the room's topic",
       "/topic all about snakes"},
      {k::drop,
       "drop",
       {},
       "<room>",
       "deletes a room you own; its members go to the lobby",
       "/drop python"},
      {k::mode,
       "mode",
       {},
       "<text|json>",
       "switches output between text and JSON lines",
       "/mode json"},
      {k::quit,
       "quit",
       {"logout", "exit"},
       "[reason...]",
       "ends the session",
       "/quit see you tomorrow"},
      {k::stats, "stats", {}, "", "shows this node's and the cluster's counters", "/stats"},
      {k::tz,
       "tz",
       {},
       "[zone]",
       "shows, or sets, the time zone of the times you see (an IANA name)",
       "/tz Europe/Berlin"},
  };
  return specs;
}

const command_spec* find_command_spec(std::string_view name_or_alias) {
  if (!name_or_alias.empty() && name_or_alias.front() == '/') name_or_alias.remove_prefix(1);
  auto lowered = lower_ascii(name_or_alias);
  for (auto& spec : command_specs())
    if (matches(spec, lowered)) return &spec;
  return nullptr;
}

}  // namespace chat
