// Events as a person reads them: chat stands out, comings and goings are dimmed.
#include <string>

#include "apps/chat/ansi.hpp"
#include "apps/chat/display_text.hpp"
#include "apps/chat/render.hpp"

namespace chat::client {

namespace {

using nlohmann::json;

std::string time_prefix(const json& obj, const render_style& style) {
  auto it = obj.find("ts");
  if (it == obj.end() || !it->is_string()) return {};
  std::string time = time_of_day(it->get_ref<const std::string&>(), style.utc);
  if (time.empty()) return {};
  return ansi::paint(time, ansi::dim, style.colour) + " ";
}

std::string nick(const std::string& name, const render_style& style) {
  if (!style.colour) return name;
  std::string code(ansi::bold);
  code += ansi::nick_colour(name);
  return ansi::paint(name, code, true);
}

std::string room_tag(const std::string& room, const render_style& style) {
  return ansi::paint("[" + room + "]", ansi::cyan, style.colour);
}

std::string message(const json& obj, const render_style& style) {
  const std::string room = field_text(obj, "room");
  const std::string from = field_text(obj, "from");
  const std::string text = field_text(obj, "text");
  const bool action = field_flag(obj, "action");
  std::string line = time_prefix(obj, style) + room_tag(room, style) + " ";
  if (action)
    return line + ansi::paint("* ", ansi::magenta, style.colour) + nick(from, style) + " " + text;
  return line + nick(from, style) + ": " + text;
}

std::string private_message(const json& obj, const render_style& style) {
  const std::string head = "[pm] " + field_text(obj, "from") + " -> " + field_text(obj, "to") + ":";
  return time_prefix(obj, style) + ansi::paint(head, "\033[1;35m", style.colour) + " " +
         field_text(obj, "text");
}

// Why someone left, as a short remark after the line; nothing for a plain /leave.
std::string leave_remark(const json& obj) {
  const std::string reason = field_text(obj, "reason");
  const std::string text = field_text(obj, "text");
  if (reason == "left" || reason.empty()) return text.empty() ? "" : " (" + text + ")";
  if (reason == "quit") return text.empty() ? " (quit)" : " (quit: " + text + ")";
  if (reason == "timeout") return " (timed out)";
  if (reason == "dropped") {
    const std::string by = field_text(obj, "by");
    return by.empty() ? " (room dropped)" : " (room dropped by " + by + ")";
  }
  return " (" + reason + (text.empty() ? "" : ": " + text) + ")";
}

std::string comings_and_goings(const std::string& type, const json& obj) {
  if (type == "join") {
    return "--> " + field_text(obj, "nick") + " joined " + field_text(obj, "room");
  }
  if (type == "leave") {
    return "<-- " + field_text(obj, "nick") + " left " + field_text(obj, "room") +
           leave_remark(obj);
  }
  if (type == "nick") {
    return "--- " + field_text(obj, "old") + " is now known as " + field_text(obj, "new");
  }
  // topic
  const std::string topic = field_text(obj, "topic");
  const std::string by = field_text(obj, "by");
  const std::string room = field_text(obj, "room");
  if (topic.empty()) return "--- " + by + " cleared the topic of " + room;
  return "--- " + by + " set the topic of " + room + ": " + topic;
}

// Fields of an event this client does not know, so that a newer server's
// events still reach the user: "(kind) key=value ...".
std::string unknown_event(const std::string& type, const json& obj) {
  std::string line = "(" + (type.empty() ? std::string("?") : type) + ")";
  if (!obj.is_object()) return line + " " + terminal_safe(obj.dump());
  for (const auto& [key, value] : obj.items()) {
    if (key == "type" || key == "ts") continue;
    line += " " + terminal_safe(key) + "=" + field_text(obj, key.c_str());
  }
  return line;
}

}  // namespace

std::string render_event(const json& obj, const render_style& style) {
  const std::string type = field_text(obj, "type");
  if (type == "message") return message(obj, style);
  if (type == "private") return private_message(obj, style);
  if (type == "join" || type == "leave" || type == "nick" || type == "topic") {
    return time_prefix(obj, style) +
           ansi::paint(comings_and_goings(type, obj), ansi::dim, style.colour);
  }
  if (type == "notice") {
    return time_prefix(obj, style) +
           ansi::paint("*** " + field_text(obj, "text"), "\033[1;33m", style.colour);
  }
  return time_prefix(obj, style) + ansi::paint(unknown_event(type, obj), ansi::dim, style.colour);
}

}  // namespace chat::client
