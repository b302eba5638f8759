// The readline prompt: who you are and where your lines go. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chat::client {

// "alice@python> ", "alice (lobby)> ", "(offline) alice@python> ". With
// colour, the escape sequences are wrapped in readline's \001 ... \002
// markers so that readline knows they take no room on the screen. While
// offline, `status` (e.g. "reconnecting in 2.0 s, attempt 3") goes in the
// brackets: the prompt is the one line that each reconnect attempt updates.
std::string make_prompt(std::string_view nick, std::string_view room, bool online, bool colour,
                        std::string_view status = {});

// Why `nick` cannot be a nickname (chatd's rules, docs/protocol.md "Names"),
// or "" if it can. Checked before connecting, so that "bad nick" is refused
// instead of logging in as "bad" with the password "nick".
std::string nick_problem(std::string_view nick);

}  // namespace chat::client
