// Questions asked on the terminal before the chat starts: the nick, and the
// password of a registered nick, which is read without echo so that it never
// shows on the screen (or in a screen recording).
// Reads fd 0 byte by byte, so that nothing is buffered away from readline,
// which reads the same fd later. Not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace chat::client {

// Writes `prompt` to stdout and reads one line. nullopt at the end of input
// or when interrupted (Ctrl-C).
std::optional<std::string> ask_line(std::string_view prompt);

// The same with echo turned off (termios) while the user types; the
// terminal's settings are restored whatever happens.
std::optional<std::string> ask_secret(std::string_view prompt);

}  // namespace chat::client
