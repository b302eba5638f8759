// Small pieces that turn fields of a server object into text for a terminal.
// Pure functions; thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace chat::client {

// Text that another user chose (messages, nicks, topics) with every control
// character replaced by '?': a message must not be able to move the cursor,
// clear the screen or retitle the window of the people who read it. Bidi
// controls become '?' too (they would reorder the line), other invisible
// format characters (U+200B, U+FEFF, ...) are dropped.
std::string terminal_safe(std::string_view text);

// A field as display text: strings as they are (made terminal-safe), numbers
// and booleans written out, missing or null fields empty.
std::string field_text(const nlohmann::json& obj, const char* key);

// True when the field is the JSON boolean true; false when absent or anything else.
bool field_flag(const nlohmann::json& obj, const char* key);

// "10:43:02" from an ISO 8601 timestamp "2026-11-22T10:43:02.123Z", in local
// time, or in UTC when `utc`. Empty when the timestamp is missing or malformed.
std::string time_of_day(std::string_view iso_ts, bool utc);

// "no_such_room" -> "no such room".
std::string readable_code(std::string_view code);

// Names (nicks, rooms, commands) folded for comparing: ASCII letters lower
// case. The server folds Unicode too; this is enough to follow its answers.
std::string folded_name(std::string_view name);
bool same_name(std::string_view a, std::string_view b);

// Items joined with ", "; `empty` when there are none.
std::string joined_list(const nlohmann::json& list, std::string_view empty);

}  // namespace chat::client
