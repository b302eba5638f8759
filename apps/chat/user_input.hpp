// What the client does with a line the user typed, before it goes to the
// server. Input is the same as on telnet: slash commands and chat lines go to
// the server unchanged; the client only keeps for itself what would break it
// (switching the session to text mode) and notes when the user is leaving.
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chat::client {

enum class input_kind {
  nothing,  // empty line: the server would ignore it
  send,     // to the server as it is
  quit,     // to the server, then the session ends: do not reconnect
  refuse,   // not sent; `reason` says why
};

struct input_action {
  input_kind kind = input_kind::nothing;
  std::string line;    // for send and quit: the line to send
  std::string reason;  // for refuse
};

// Slash commands lose trailing blanks (tab completion leaves one after a room
// or nick), except /login and /register, whose password is the rest of the
// line. Chat lines are sent as typed.
input_action classify_input(std::string_view line);

// The command word of a slash command, lower case and without its slash
// ("/JOIN x" -> "join"); empty for chat lines.
std::string command_of(std::string_view line);

// The text after the command word and its spaces ("/register  s3cret" -> "s3cret").
std::string_view arguments_of(std::string_view line);

}  // namespace chat::client
