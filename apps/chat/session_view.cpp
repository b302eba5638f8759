#include "apps/chat/session_view.hpp"

#include <functional>

#include "apps/chat/display_text.hpp"
#include "apps/chat/user_input.hpp"

namespace chat::client {

namespace {

using nlohmann::json;

void for_each_string(const json& obj, const char* key, const std::function<void(std::string)>& f) {
  if (!obj.is_object()) return;
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_array()) return;
  for (const auto& item : *it) {
    if (item.is_string()) f(item.get<std::string>());
    if (item.is_object()) f(field_text(item, item.contains("nick") ? "nick" : "name"));
  }
}

}  // namespace

void session_view::logged_in(std::string nick, std::string password, std::string room) {
  nick_ = std::move(nick);
  password_ = std::move(password);
  room_ = std::move(room);
  names_.add_nick(nick_);
  names_.add_room(room_);
}

void session_view::on_user_line(std::string_view line) {
  if (command_of(line) == "register") pending_password_ = std::string(arguments_of(line));
}

void session_view::on_server_object(const json& obj) {
  learn_names(obj);
  const std::string type = field_text(obj, "type");
  if (type == "ok") {
    on_ok(field_text(obj, "cmd"), obj);
  } else if (type == "error") {
    if (field_text(obj, "cmd") == "register") pending_password_.clear();
  } else {
    on_event(type, obj);
  }
}

void session_view::on_ok(const std::string& cmd, const json& reply) {
  if (cmd == "login" || cmd == "nick") {
    const std::string nick = field_text(reply, "nick");
    if (!nick.empty()) nick_ = nick;
  } else if (cmd == "register") {
    password_ = std::move(pending_password_);
    pending_password_.clear();
  } else if (cmd == "join" || cmd == "create") {
    room_ = field_text(reply, "room");
  } else if (cmd == "leave") {
    room_.clear();
  }
}

void session_view::on_event(const std::string& type, const json& event) {
  // A leave with our own nick: the room was dropped, or the server moved us out.
  if (type == "leave" && is_me(field_text(event, "nick")) &&
      same_name(field_text(event, "room"), room_)) {
    room_.clear();
  }
  // A rename by the server (a nick clash after a netsplit).
  if (type == "nick" && is_me(field_text(event, "old"))) nick_ = field_text(event, "new");
}

void session_view::learn_names(const json& obj) {
  for (const char* key : {"room"}) names_.add_room(field_text(obj, key));
  for (const char* key : {"from", "to", "nick", "old", "new", "by"}) {
    names_.add_nick(field_text(obj, key));
  }
  const std::string cmd = field_text(obj, "cmd");
  for_each_string(obj, "members", [this](std::string nick) { names_.add_nick(nick); });
  for_each_string(obj, "rooms", [this](std::string room) { names_.add_room(room); });
  for_each_string(obj, "users", [this](std::string nick) { names_.add_nick(nick); });
  if (obj.contains("users") && obj["users"].is_array()) {
    for (const auto& user : obj["users"]) names_.add_room(field_text(user, "room"));
  }
  if (cmd == "help") {
    for_each_string(obj, "commands", [this](std::string name) { names_.add_command(name); });
  }
}

bool session_view::is_me(const std::string& nick) const {
  return same_name(nick, nick_);
}

}  // namespace chat::client
