// The readline prompt: who you are and where your lines go. Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chat::client {

// "alice@python> ", "alice (lobby)> ", "(offline) alice@python> ". With
// colour, the escape sequences are wrapped in readline's \001 ... \002
// markers so that readline knows they take no room on the screen.
std::string make_prompt(std::string_view nick, std::string_view room, bool online, bool colour);

}  // namespace chat::client
