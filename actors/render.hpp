// Rendering of events and replies for a session's output mode (PROTOCOL.md,
// "Modes", "Replies", "Text mode"). Pure functions: no state, thread-safe.
// Every rendered string is one or more complete lines, each ending in CRLF.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "actors/event.hpp"
#include "actors/protocol_errors.hpp"
#include "actors/time_zone.hpp"

namespace chat {

enum class output_mode : uint8_t { text, json };

// json mode: one JSON object with "type" and the event's fields, "ts" in ISO 8601.
// text mode: e.g. "[12:00:01] [python] alice: hello", "[12:00:01] * bob joined python".
// Text mode replaces control characters in user-supplied text, so that no user
// can send terminal escape sequences to another user's telnet.
// Text-mode times are in `zone` and name it ("[10:43:02 UTC]",
// "[11:43:02 CET]"); json `ts` is always UTC.
std::string render_event(const event& ev, output_mode mode, const time_zone_ref& zone = {});

// An ok reply: json mode {"type":"ok","cmd":cmd, ...fields}; text mode a short
// human form of the same fields (lists one item per line).
std::string render_ok(std::string_view cmd, const nlohmann::json& fields, output_mode mode);

// An error reply: json mode {"type":"error","cmd":cmd or null,"code":...,"text":...};
// text mode "! text (code)" with the command named when there is one. An empty
// `cmd` means the line had no command (unknown command, bad line): null in json.
std::string render_error(std::string_view cmd, error_code code, std::string_view text,
                         output_mode mode);

// Lines of text for a terminal, each ending in CRLF, control characters
// replaced (the banner, welcome.hpp).
std::string render_text_lines(const std::vector<std::string>& lines);

// "password: ", with no line end: the user types on the prompt's line, the
// telnet client's echo off (session.cpp).
std::string render_password_prompt();

// "2026-11-22T10:43:02.123Z"
std::string format_iso_timestamp(int64_t ts_ms);

// "10:43:02" (UTC, no zone named; time_zone_ref::time_of_day names it)
std::string format_time_of_day(int64_t ts_ms);

}  // namespace chat
