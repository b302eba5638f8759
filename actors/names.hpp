// Validation and comparison of nicknames and room names (PROTOCOL.md, "Names").
// Pure functions: no state, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace chat {

constexpr std::size_t max_nick_chars = 32;
constexpr std::size_t max_room_chars = 64;

enum class name_kind { nick, room };

// Why `name` is not an acceptable nick or room name, in words for people, or
// nullopt when it is fine. Allowed: 1..32 (nick) or 1..64 (room) code points that
// are Unicode letters, decimal digits, '_', '-' or '.', plus combining marks after
// the first character (needed by scripts such as Devanagari). No spaces, no
// control characters, and the input must be valid UTF-8.
std::optional<std::string> name_error(std::string_view name, name_kind kind);

inline bool is_valid_name(std::string_view name, name_kind kind) {
  return !name_error(name, kind).has_value();
}

// The key under which names are unique: Unicode NFC normalisation plus case
// folding, so "Alice", "ALICE" and "alice" are one nick. Precondition: valid UTF-8.
std::string fold_name(std::string_view name);

// True if `text` is non-empty and consists only of ASCII digits: such a word may
// name a room by its numeric id (a room *named* that way wins, see PROTOCOL.md).
bool is_all_digits(std::string_view text);

}  // namespace chat
