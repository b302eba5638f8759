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

// The identity of a name: Unicode NFC normalisation plus case
// folding, so "Alice", "ALICE" and "alice" are one nick. Precondition: valid UTF-8.
std::string fold_name(std::string_view name);

// The key under which names must differ: the confusable skeleton (Unicode
// TS #39, from ICU's spoof checker) of fold_name(name), folded again. Names
// that look alike on a screen share it: "bob", "Bob" and "bоb" (Cyrillic о),
// "g00d" and "good", "a1ice" and "alice", "rn" and "m". The lobby keys users
// and rooms by it, so a look-alike of a taken name is taken too. Folding
// first keeps case variants one name, at a price: a capital that looks like
// another lower-case letter ("I" and "l") is compared by its lower case. A key
// only: not shown, not stored, not necessarily a valid name. Thread-safe.
std::string name_key(std::string_view name);

// True if `text` is non-empty and consists only of ASCII digits: such a word may
// name a room by its numeric id (a room *named* that way wins, see PROTOCOL.md).
bool is_all_digits(std::string_view text);

}  // namespace chat
