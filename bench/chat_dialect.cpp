#include "bench/chat_dialect.hpp"

#include "bench/json_fields.hpp"

namespace bench {
namespace {

void append_line(std::string& out, std::string_view a, std::string_view b = {}) {
  out.append(a);
  out.append(b);
  out.append("\r\n");
}

struct reply_fields {
  std::string_view type, cmd, code, text;
};

bool read_fields(std::string_view line, reply_fields& f) {
  json_object_reader reader(line);
  json_field field;
  while (reader.next(field)) {
    if (!field.is_string) continue;  // "cmd":null and the like: nothing to match
    if (field.key == "type")
      f.type = field.value;
    else if (field.key == "cmd")
      f.cmd = field.value;
    else if (field.key == "code")
      f.code = field.value;
    else if (field.key == "text")
      f.text = field.value;
  }
  return reader.ok();
}

reply ok_reply(const reply_fields& f) {
  if (f.cmd == "login") return {reply_kind::logged_in, {}, {}};
  if (f.cmd == "create") return {reply_kind::room_created, {}, {}};
  if (f.cmd == "join") return {reply_kind::joined, {}, {}};
  return {};
}

reply error_reply(const reply_fields& f) {
  if (f.cmd == "login") return {reply_kind::login_refused, f.text, f.code};
  if (f.cmd == "create") {
    if (f.code == "room_exists") return {reply_kind::room_exists, f.text, f.code};
    return {reply_kind::join_refused, f.text, f.code};
  }
  if (f.cmd == "join") return {reply_kind::join_refused, f.text, f.code};
  if (f.cmd == "say") return {reply_kind::send_refused, f.text, f.code};
  return {reply_kind::server_error, f.text, f.code};
}

}  // namespace

void chat_dialect::append_login(std::string& out, std::string_view nick) const {
  // Both lines at once: replies come in command order, so the banner and the
  // mode change need no round trip of their own.
  append_line(out, "/mode json");
  append_line(out, "/login ", nick);
}

void chat_dialect::append_create(std::string& out, std::string_view room) const {
  append_line(out, "/create ", room);
}

void chat_dialect::append_join(std::string& out, std::string_view room) const {
  append_line(out, "/join ", room);
}

void chat_dialect::append_chat(std::string& out, std::string_view, std::string_view text) const {
  append_line(out, text);  // a plain line is a message to the current room
}

void chat_dialect::append_pong(std::string&, std::string_view) const {}  // chatd never pings

reply chat_dialect::parse(std::string_view line) const {
  if (line.empty() || line.front() != '{') return {};  // text mode: the banner
  reply_fields f;
  if (!read_fields(line, f)) return {reply_kind::server_error, line, "bad_json"};
  if (f.type == "message") return {reply_kind::chat, f.text, {}};
  if (f.type == "ok") return ok_reply(f);
  if (f.type == "error") return error_reply(f);
  return {};  // join, leave, notice, ... events
}

}  // namespace bench
