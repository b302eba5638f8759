// The ok replies, one renderer per command. A reply of a command this client
// does not know is shown field by field, so whatever the server offers can be
// used from the client before the client learns about it.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "apps/chat/ansi.hpp"
#include "apps/chat/display_text.hpp"
#include "apps/chat/render.hpp"

namespace chat::client {

namespace {

using nlohmann::json;
using lines = std::vector<std::string>;

std::string room_with_id(const json& obj) {
  std::string room = field_text(obj, "room");
  const std::string id = field_text(obj, "id");
  if (!id.empty()) room += " (#" + id + ")";
  return room;
}

lines help(const json& obj) {
  lines out{"* commands:"};
  const auto it = obj.find("commands");
  if (it == obj.end() || !it->is_array()) return out;
  for (const auto& command : *it) {
    std::string name = field_text(command, "name");
    if (name.empty() || name[0] != '/') name = "/" + name;
    std::string line = "    " + name;
    const std::string args = field_text(command, "args");
    if (!args.empty()) line += " " + args;
    const std::string text = field_text(command, "help");
    if (!text.empty()) line += "  - " + text;
    out.push_back(line);
  }
  return out;
}

lines rooms(const json& obj) {
  const auto it = obj.find("rooms");
  if (it == obj.end() || !it->is_array() || it->empty()) return {"* no rooms yet: /create one"};
  lines out{"* rooms:"};
  for (const auto& room : *it) {
    std::string line = "    " + field_text(room, "name") + " (#" + field_text(room, "id") + ")";
    line += ", " + field_text(room, "members") + " online";
    const std::string owner = field_text(room, "owner");
    if (!owner.empty()) line += ", owner " + owner;
    const std::string topic = field_text(room, "topic");
    if (!topic.empty()) line += ": " + topic;
    out.push_back(line);
  }
  return out;
}

lines who(const json& obj) {
  const auto it = obj.find("users");
  if (it == obj.end() || !it->is_array() || it->empty()) return {"* nobody is online"};
  lines out{"* online:"};
  for (const auto& user : *it) {
    const std::string room = field_text(user, "room");
    std::string line = "    " + field_text(user, "nick");
    line += room.empty() ? " in the lobby" : " in " + room;
    const std::string node = field_text(user, "node");
    if (!node.empty()) line += " (node " + node + ")";
    out.push_back(line);
  }
  return out;
}

lines join(const json& obj) {
  std::string line = "* joined " + room_with_id(obj);
  const std::string topic = field_text(obj, "topic");
  if (!topic.empty()) line += ": " + topic;
  return {line, "* members: " + joined_list(obj.value("members", json::array()), "nobody")};
}

lines ignore(const json& obj) {
  if (obj.contains("muted")) {
    return {field_flag(obj, "muted") ? "* room chat muted; /ignore again to hear it"
                                     : "* room chat unmuted"};
  }
  return {"* ignoring: " + joined_list(obj.value("ignoring", json::array()), "nobody")};
}

lines topic(const json& obj) {
  const std::string topic = field_text(obj, "topic");
  const std::string room = field_text(obj, "room");
  if (topic.empty()) return {"* " + room + " has no topic"};
  return {"* topic of " + room + ": " + topic};
}

lines stats(const json& obj) {
  std::string line = "* node " + field_text(obj, "node") +
                     "; linked nodes: " + joined_list(obj.value("nodes", json::array()), "none") +
                     "; sessions " + field_text(obj, "sessions") + "; rooms " +
                     field_text(obj, "rooms") + "; cluster messages sent " +
                     field_text(obj, "cluster_msgs_sent") + ", received " +
                     field_text(obj, "cluster_msgs_received");
  if (obj.contains("repairs")) line += "; repairs " + field_text(obj, "repairs");  // newer servers
  return {line};
}

lines unknown(const std::string& cmd, const json& obj) {
  std::string line = "* " + (cmd.empty() ? std::string("ok") : cmd + ": ok");
  for (const auto& [key, value] : obj.items()) {
    if (key == "type" || key == "cmd") continue;
    line += ", " + terminal_safe(key) + ": " +
            (value.is_array() ? joined_list(value, "none") : field_text(obj, key.c_str()));
  }
  return {line};
}

using reply_renderer = std::function<lines(const json&)>;

const std::map<std::string, reply_renderer>& renderers() {
  static const std::map<std::string, reply_renderer> table = {
      {"help", help},
      {"login",
       [](const json& o) {
         lines out{"* logged in as " + field_text(o, "nick") +
                   (field_flag(o, "registered") ? " (registered nick)" : "")};
         if (o.contains("text")) out.push_back("* " + field_text(o, "text"));
         return out;
       }},
      {"nick", [](const json& o) { return lines{"* you are now " + field_text(o, "nick")}; }},
      {"register",
       [](const json& o) {
         return lines{"* registered " + field_text(o, "nick") +
                      "; from now on it needs your password"};
       }},
      {"rooms", rooms},
      {"create", [](const json& o) { return lines{"* created " + room_with_id(o)}; }},
      {"join", join},
      {"leave",
       [](const json& o) {
         return lines{"* left " + field_text(o, "room") + ", back in the lobby"};
       }},
      {"look",
       [](const json& o) {
         return lines{"* in " + field_text(o, "room") + ": " +
                      joined_list(o.value("members", json::array()), "nobody")};
       }},
      {"who", who},
      // The private event, which the sender gets too, shows the message.
      {"msg", [](const json&) { return lines{}; }},
      {"say", [](const json&) { return lines{}; }},
      {"me", [](const json&) { return lines{}; }},
      {"ignore", ignore},
      {"unignore", ignore},
      {"topic", topic},
      {"drop", [](const json& o) { return lines{"* dropped " + field_text(o, "room")}; }},
      {"mode", [](const json& o) { return lines{"* output mode " + field_text(o, "mode")}; }},
      {"quit", [](const json&) { return lines{"* bye"}; }},
      {"stats", stats},
  };
  return table;
}

}  // namespace

std::vector<std::string> render_ok(const json& obj, const render_style& style) {
  const std::string cmd = field_text(obj, "cmd");
  const auto& table = renderers();
  const auto it = table.find(cmd);
  lines out = it != table.end() ? it->second(obj) : unknown(cmd, obj);
  for (auto& line : out) {
    if (line.rfind("* ", 0) == 0)
      line = ansi::paint("*", ansi::green, style.colour) + line.substr(1);
  }
  return out;
}

}  // namespace chat::client
