// What a person sees: server objects (json mode, PROTOCOL.md "Events" and
// "Replies") turned into display lines, with or without colour. The client
// never shows raw JSON and never parses the server's text mode. Pure
// functions; thread-safe. Returned lines carry no line end.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

struct render_style {
  bool colour = false;  // ANSI colour and dimming
  bool utc = false;     // times in UTC rather than local time (tests, servers' logs)
};

// Any object from the server: an event, an ok or an error. Empty for replies
// with nothing to tell (the ok of /msg: the private event shows the message).
std::vector<std::string> render_server_object(const nlohmann::json& obj, const render_style& style);

// message, private, join, leave, nick, topic, notice; an unknown type is shown
// with its fields, so nothing the server sends is lost.
// "10:43:02 [python] alice: hello", "10:43:02 [pm] alice -> bob: hi", ...
std::string render_event(const nlohmann::json& obj, const render_style& style);

// One line: "! no such room: pyton". Never JSON, never more than one line.
std::string render_error(const nlohmann::json& obj, const render_style& style);

// The ok reply of each command, lists one item a line: "* joined python (#1)".
std::vector<std::string> render_ok(const nlohmann::json& obj, const render_style& style);

// The client's own news (connection lost, reconnected): "-- text".
std::string render_status(std::string_view text, const render_style& style);

// A refusal by the client itself, shaped like a server error: "! text".
std::string render_local_error(std::string_view text, const render_style& style);

}  // namespace chat::client
