// Terminal colour: the few SGR sequences the client uses, and the decision
// whether to use them at all. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace chat::client::ansi {

inline constexpr std::string_view reset = "\033[0m";
inline constexpr std::string_view bold = "\033[1m";
inline constexpr std::string_view dim = "\033[2m";
inline constexpr std::string_view red = "\033[31m";
inline constexpr std::string_view green = "\033[32m";
inline constexpr std::string_view yellow = "\033[33m";
inline constexpr std::string_view magenta = "\033[35m";
inline constexpr std::string_view cyan = "\033[36m";

// `text` wrapped in `style` ... reset when `on`; `text` alone otherwise.
std::string paint(std::string_view text, std::string_view style, bool on);

// A colour for a nick, the same every time for the same nick, so that a
// reader can follow one speaker down the screen.
std::string_view nick_colour(std::string_view nick);

// Colour only on a terminal that can show it: not when output is piped, not
// when NO_COLOR is set to anything non-empty (no-color.org), not on a "dumb"
// terminal, not when the user asked for none. `no_color` and `term` are the
// values of those environment variables, or null when unset.
bool colour_wanted(bool output_is_tty, const char* no_color, const char* term, bool refused);

}  // namespace chat::client::ansi
