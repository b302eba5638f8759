// The command parser: one input line to one command (PROTOCOL.md, "Commands").
// Pure functions: no state, thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "actors/protocol_errors.hpp"

namespace chat {

enum class command_kind {
  help,
  login,
  nick,
  register_nick,
  rooms,
  create,
  join,
  leave,
  look,
  who,
  msg,
  say,
  me,
  ignore,
  unignore,
  topic,
  drop,
  mode,
  quit,
  stats,
  tz,
};

// A parsed command. Which fields are filled depends on the kind:
//   help      target = command asked about (may be empty)
//   login     target = nick, rest = password (rest of line, may be empty)
//   nick      target = new nick
//   register  rest = password (rest of line; empty: the session asks for it)
//   create    target = room, rest = topic (may be empty)
//   join      target = room name or id
//   msg       target = nick, rest = text (non-empty)   (also from "@nick text")
//   say, me   rest = text (non-empty)                  (say also from a plain line)
//   ignore    target = nick (empty: toggle mute)
//   unignore  target = nick
//   topic     rest = new topic (empty: show the topic)
//   drop      target = room name or id
//   (join, drop and create drop one leading '#' from the room: "#general")
//   mode      target = "text" or "json" (lower-cased)
//   quit      rest = reason (may be empty)
//   tz        target = IANA zone name (empty: show the zone)
// `plain` is true when the line was not a slash command (a chat line, or before
// login a nickname): the session decides what a plain line means.
struct command {
  command_kind kind = command_kind::say;
  std::string target;
  std::string rest;
  bool plain = false;
};

// A line that could not be parsed: the reply is an error with this code, the
// canonical command name (empty for an unknown command, rendered as null) and
// a text for people (for bad_args, the usage line).
struct parse_failure {
  error_code code = error_code::unknown_command;
  std::string cmd;
  std::string text;
};

using parse_result = std::variant<command, parse_failure>;

// Parses one non-empty line (already framed: no CR/LF, valid UTF-8).
// - "/name args": command names and aliases are case-insensitive.
// - "//text" is a plain line with the text "/text" (a way to say something that
//   starts with a slash).
// - "@nick text" is /msg nick text.
// - Anything else is a plain line: command{say, rest=line, plain=true}.
// Arguments are split on ASCII spaces and tabs; runs of blanks separate one
// argument, and `rest` keeps its inner spacing but is trimmed at both ends.
// Extra arguments to commands that take none are ignored (as IRC does).
parse_result parse_line(std::string_view line);

// The canonical name of a command ("register", not "register_nick").
std::string_view command_name(command_kind kind);

// One entry of /help: canonical name, aliases, argument synopsis, one-line help.
struct command_spec {
  command_kind kind;
  std::string_view name;
  std::vector<std::string_view> aliases;
  std::string_view args;
  std::string_view help;
  std::string_view example;  // one typical line, shown by /help <command>
};

// Every command, in the order /help lists them.
const std::vector<command_spec>& command_specs();

// Finds a command by name or alias (case-insensitive, with or without the '/').
const command_spec* find_command_spec(std::string_view name_or_alias);

}  // namespace chat
