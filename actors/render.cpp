#include "actors/render.hpp"

#include <utf8proc.h>

#include <cstdio>
#include <ctime>
#include <vector>

#include "actors/unsafe_chars.hpp"

namespace chat {
namespace {

using json = nlohmann::json;
// Output keeps insertion order so that "type" (and "cmd") come first on the wire.
using ordered_json = nlohmann::ordered_json;
using lines = std::vector<std::string>;

constexpr int64_t ms_per_second = 1000;
constexpr int64_t ms_per_day = 86'400'000;
constexpr std::string_view replacement_char = "\xEF\xBF\xBD";  // U+FFFD

// ---- text safety (the classes: actors/unsafe_chars.hpp) ----

// Escape sequences start with a control character (ESC, or the C1 CSI), so
// replacing every C0/C1 control and DEL keeps users out of each other's
// terminals. A bidi control is replaced too (visibly: someone tried to
// reorder the line), other invisible format characters are dropped.
// Broken UTF-8 (it should never get here) is replaced as well.
std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto left = static_cast<utf8proc_ssize_t>(text.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) {
      used = 1;
      out += replacement_char;
    } else if (cp == '\t') {
      out += ' ';
    } else if (is_control(cp) || is_bidi_control(cp)) {
      out += replacement_char;
    } else if (!is_format(cp)) {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(used));
    }
    p += used;
    left -= used;
  }
  return out;
}

bool is_ascii(std::string_view text) {
  for (unsigned char c : text)
    if (c >= 0x80) return false;
  return true;
}

void append_u_escape(std::string& out, unsigned unit) {
  char code[12];
  std::snprintf(code, sizeof(code), "\\u%04X", unit & 0xFFFF);
  out += code;
}

// JSON carries every character, but a format character travels as \uXXXX, so
// that a client which prints the raw line (or logs it) shows no invisible
// reordering, and one that decodes the JSON still gets the exact text. Such
// characters can only stand inside strings: keys are ours, and ASCII.
std::string escape_format_characters(std::string line) {
  if (is_ascii(line)) return line;  // the common case: nothing to look at
  std::string out;
  out.reserve(line.size());
  auto* p = reinterpret_cast<const utf8proc_uint8_t*>(line.data());
  auto left = static_cast<utf8proc_ssize_t>(line.size());
  while (left > 0) {
    utf8proc_int32_t cp = 0;
    auto used = utf8proc_iterate(p, left, &cp);
    if (used <= 0) used = 1;  // dump() already replaced broken UTF-8; keep the byte
    if (used > 1 && is_format(cp)) {
      if (cp < 0x10000) {
        append_u_escape(out, static_cast<unsigned>(cp));
      } else {  // a UTF-16 surrogate pair, as JSON spells characters beyond the BMP
        auto v = static_cast<unsigned>(cp) - 0x10000;
        append_u_escape(out, 0xD800 + (v >> 10));
        append_u_escape(out, 0xDC00 + (v & 0x3FF));
      }
    } else {
      out.append(reinterpret_cast<const char*>(p), static_cast<std::size_t>(used));
    }
    p += used;
    left -= used;
  }
  return out;
}

std::string join_lines(const lines& text) {
  std::string out;
  for (auto& line : text) out += printable(line) + "\r\n";
  return out;
}

// dump() throws on invalid UTF-8 by default; a reply must never take a session down.
template <class Json>
std::string json_line(const Json& j) {
  return escape_format_characters(j.dump(-1, ' ', false, json::error_handler_t::replace)) + "\r\n";
}

// ---- events ----

ordered_json event_json(const event& ev) {
  auto ts = format_iso_timestamp(ev.ts_ms);
  switch (ev.kind) {
    case event_kind::message: {
      ordered_json j{
          {"type", "message"}, {"room", ev.room}, {"from", ev.nick}, {"text", ev.text}, {"ts", ts}};
      if (ev.action) j["action"] = true;
      return j;
    }
    case event_kind::private_message:
      return {
          {"type", "private"}, {"from", ev.nick}, {"to", ev.other}, {"text", ev.text}, {"ts", ts}};
    case event_kind::join:
      return {{"type", "join"}, {"room", ev.room}, {"nick", ev.nick}, {"ts", ts}};
    case event_kind::leave: {
      ordered_json j{{"type", "leave"},
                     {"room", ev.room},
                     {"nick", ev.nick},
                     {"reason", ev.reason},
                     {"ts", ts}};
      if (!ev.text.empty()) j["text"] = ev.text;
      if (ev.reason == "dropped" && !ev.other.empty()) j["by"] = ev.other;
      return j;
    }
    case event_kind::nick:
      // Outside a room (a rename forced after a split) the room is null, as in /who.
      return {{"type", "nick"},
              {"old", ev.nick},
              {"new", ev.other},
              {"room", ev.room.empty() ? ordered_json(nullptr) : ordered_json(ev.room)},
              {"ts", ts}};
    case event_kind::topic:
      return {
          {"type", "topic"}, {"room", ev.room}, {"topic", ev.text}, {"by", ev.nick}, {"ts", ts}};
    case event_kind::notice:
      break;
  }
  return {{"type", "notice"}, {"text", ev.text}, {"ts", ts}};
}

std::string leave_detail(const event& ev) {
  std::string detail = ev.reason;
  if (!ev.text.empty()) detail += (detail.empty() ? "" : ": ") + ev.text;
  return detail.empty() ? "" : " (" + detail + ")";
}

std::string event_text(const event& ev) {
  switch (ev.kind) {
    case event_kind::message:
      if (ev.action) return "[" + ev.room + "] * " + ev.nick + " " + ev.text;
      return "[" + ev.room + "] " + ev.nick + ": " + ev.text;
    case event_kind::private_message:
      return "[pm] " + ev.nick + " -> " + ev.other + ": " + ev.text;
    case event_kind::join:
      return "* " + ev.nick + " joined " + ev.room;
    case event_kind::leave:
      // On /drop each member gets its own leave: say who dropped the room
      // and where the member is now.
      if (ev.reason == "dropped" && !ev.other.empty())
        return "* " + ev.room + " was dropped by " + (ev.other == ev.nick ? "you" : ev.other) +
               ": you are in the lobby";
      if (ev.reason == "dropped") return "* " + ev.room + " was dropped: you are in the lobby";
      return "* " + ev.nick + " left " + ev.room + leave_detail(ev);
    case event_kind::nick:
      return "* " + ev.nick + " is now known as " + ev.other +
             (ev.room.empty() ? "" : " (" + ev.room + ")");
    case event_kind::topic:
      if (ev.text.empty()) return "* " + ev.nick + " cleared the topic of " + ev.room;
      return "* " + ev.nick + " set the topic of " + ev.room + ": " + ev.text;
    case event_kind::notice:
      break;
  }
  return "-!- " + ev.text;
}

// ---- reading reply fields without trusting their shape ----

const json& member(const json& fields, std::string_view key) {
  static const json missing;
  auto it = fields.find(key);
  return it == fields.end() ? missing : *it;
}

const json& list(const json& fields, std::string_view key) {
  static const json empty = json::array();
  auto& value = member(fields, key);
  return value.is_array() ? value : empty;
}

std::string text_of(const json& value) {
  if (value.is_string()) return value.get<std::string>();
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string field(const json& fields, std::string_view key) {
  return text_of(member(fields, key));
}

// For values that may be absent: a null owner, an empty topic.
std::string field_or_none(const json& fields, std::string_view key) {
  auto& value = member(fields, key);
  if (value.is_null() || (value.is_string() && value.get_ref<const std::string&>().empty()))
    return "(none)";
  return text_of(value);
}

bool flag(const json& fields, std::string_view key) {
  auto& value = member(fields, key);
  return value.is_boolean() && value.get<bool>();
}

// A heading with its count, then one item per line.
// An empty list is one line, "heading: none", not a heading over nothing.
void add_list(lines& out, const std::string& heading, const json& items,
              const std::string& indent) {
  if (items.empty()) {
    out.push_back(heading + ": none");
    return;
  }
  out.push_back(heading + " (" + std::to_string(items.size()) + "):");
  for (auto& item : items) out.push_back(indent + text_of(item));
}

// ---- ok replies in text mode, one form per command ----

std::string usage(const json& c) {
  auto args = field(c, "args");
  return "/" + field(c, "name") + (args.empty() ? "" : " " + args);
}

std::string aliases(const json& c) {
  std::string out;
  for (auto& alias : list(c, "aliases")) out += (out.empty() ? "/" : ", /") + text_of(alias);
  return out;
}

// /help <command>: usage, what it does, aliases (if any) and an example.
lines help_one(const json& c) {
  lines out{"usage: " + usage(c), "  " + field(c, "help")};
  if (auto names = aliases(c); !names.empty()) out.push_back("  aliases: " + names);
  if (auto example = field(c, "example"); member(c, "example").is_string() && !example.empty())
    out.push_back("  example: " + example);
  return out;
}

// /help: every command with its aliases, and the two shorthands that are no command.
lines help_text(const json& f) {
  auto& commands = list(f, "commands");
  if (commands.size() == 1) return help_one(commands.front());
  lines out{"commands (/help <command> shows one, with an example):"};
  for (auto& c : commands) {
    auto names = aliases(c);
    out.push_back("  " + usage(c) + (names.empty() ? "" : "  (also " + names + ")") + "  - " +
                  field(c, "help"));
  }
  out.push_back("  @nick text  - a private message, like /msg nick text");
  out.push_back("  //text  - says a line that starts with a slash: //shrug says /shrug");
  out.push_back("  a plain line  - says it in your room");
  return out;
}

lines login_text(const json& f) {
  lines out{"* you are " + field(f, "nick") +
            (flag(f, "registered") ? " (registered)" : " (not registered)")};
  if (f.contains("text")) out.push_back("* " + field(f, "text"));
  return out;
}

lines nick_text(const json& f) {
  return {"* you are now known as " + field(f, "nick")};
}

lines register_text(const json& f) {
  return {"* " + field(f, "nick") + " is registered: log in with /login " + field(f, "nick") +
          " <password>"};
}

lines rooms_text(const json& f) {
  auto& rooms = list(f, "rooms");
  if (rooms.empty()) return {"rooms: none (/create <room> starts one)"};
  lines out{"rooms (" + std::to_string(rooms.size()) + "):"};
  for (auto& r : rooms)
    out.push_back("  " + field(r, "name") + " (id " + field(r, "id") + "): members " +
                  field(r, "members") + ", owner " + field_or_none(r, "owner") + ", topic " +
                  field_or_none(r, "topic"));
  return out;
}

lines create_text(const json& f) {
  return {"* created " + field(f, "room") + " (id " + field(f, "id") + "), you are in it"};
}

lines join_text(const json& f) {
  lines out{"* you joined " + field(f, "room") + " (id " + field(f, "id") + ")",
            "  topic: " + field_or_none(f, "topic")};
  add_list(out, "  members", list(f, "members"), "    ");
  return out;
}

lines leave_text(const json& f) {
  return {"* you left " + field(f, "room")};
}

lines look_text(const json& f) {
  lines out;
  add_list(out, "* members of " + field(f, "room"), list(f, "members"), "  ");
  return out;
}

std::string where(const json& user) {
  auto& room = member(user, "room");
  return room.is_null() ? "in the lobby" : "in " + text_of(room);
}

lines who_text(const json& f) {
  auto& users = list(f, "users");
  lines out{"* online (" + std::to_string(users.size()) + "):"};
  for (auto& u : users)
    out.push_back("  " + field(u, "nick") + " " + where(u) + " (node " + field(u, "node") + ")");
  return out;
}

lines msg_text(const json& f) {
  return {"* message sent to " + field(f, "to")};
}

lines ignoring_text(const json& f) {
  lines out;
  if (f.contains("muted"))
    out.push_back(flag(f, "muted") ? "* room chat muted (/ignore again to unmute)"
                                   : "* room chat unmuted");
  if (f.contains("ignoring")) add_list(out, "* ignoring", list(f, "ignoring"), "  ");
  return out;
}

lines topic_text(const json& f) {
  return {"* topic of " + field(f, "room") + ": " + field_or_none(f, "topic")};
}

lines drop_text(const json& f) {
  return {"* dropped " + field(f, "room")};
}

lines mode_text(const json& f) {
  return {"* output mode: " + field(f, "mode")};
}

lines tz_text(const json& f) {
  return {"* times are shown in " + field(f, "zone") +
          (flag(f, "kept") ? " (kept with your registration)" : "")};
}

lines quit_text(const json&) {
  return {"* bye"};
}

lines stats_text(const json& f) {
  lines out{"* stats of node " + field(f, "node")};
  add_list(out, "  linked nodes", list(f, "nodes"), "    ");
  for (auto key : {"sessions", "rooms", "cluster_msgs_sent", "cluster_msgs_received", "repairs"})
    out.push_back(std::string{"  "} + key + ": " + field(f, key));
  return out;
}

struct ok_form {
  std::string_view cmd;
  lines (*render)(const json&);
  std::vector<std::string_view> keys;  // the fields `render` shows
};

const std::vector<ok_form>& ok_forms() {
  static const std::vector<ok_form> forms{
      {"help", help_text, {"commands"}},  // each: name, aliases, args, help, example
      {"login", login_text, {"nick", "registered", "text"}},
      {"nick", nick_text, {"nick"}},
      {"register", register_text, {"nick"}},
      {"rooms", rooms_text, {"rooms"}},
      {"create", create_text, {"room", "id"}},
      {"join", join_text, {"room", "id", "topic", "members"}},
      {"leave", leave_text, {"room"}},
      {"look", look_text, {"room", "members"}},
      {"who", who_text, {"users"}},
      {"msg", msg_text, {"to"}},
      {"ignore", ignoring_text, {"muted", "ignoring"}},
      {"unignore", ignoring_text, {"muted", "ignoring"}},
      {"topic", topic_text, {"room", "topic"}},
      {"drop", drop_text, {"room"}},
      {"mode", mode_text, {"mode"}},
      {"quit", quit_text, {}},
      {"tz", tz_text, {"zone", "kept"}},
      {"stats",
       stats_text,
       {"node", "nodes", "sessions", "rooms", "cluster_msgs_sent", "cluster_msgs_received",
        "repairs"}},
  };
  return forms;
}

const ok_form* find_ok_form(std::string_view cmd) {
  for (auto& form : ok_forms())
    if (form.cmd == cmd) return &form;
  return nullptr;
}

bool shown_by(const ok_form* form, std::string_view key) {
  if (!form) return false;
  for (auto k : form->keys)
    if (k == key) return true;
  return false;
}

// Text mode must carry every field of the json form: fields that no form knows
// (a newer actor, an unknown cmd) are listed as they are.
lines ok_text(std::string_view cmd, const json& fields) {
  auto* form = find_ok_form(cmd);
  lines out = form ? form->render(fields) : lines{"ok " + std::string{cmd}};
  if (!fields.is_object()) {
    if (!fields.is_null()) out.push_back("  " + text_of(fields));
    return out;
  }
  for (auto& item : fields.items())
    if (!shown_by(form, item.key()))
      out.push_back("  " + item.key() + ": " + text_of(item.value()));
  return out;
}

ordered_json ok_json(std::string_view cmd, const json& fields) {
  ordered_json j{{"type", "ok"}, {"cmd", std::string{cmd}}};
  if (!fields.is_object()) {
    if (!fields.is_null()) j["value"] = fields;
    return j;
  }
  // The envelope is ours: a field must not overwrite "type" or "cmd".
  for (auto& item : fields.items())
    if (item.key() != "type" && item.key() != "cmd") j[item.key()] = item.value();
  return j;
}

}  // namespace

std::string render_event(const event& ev, output_mode mode, const time_zone_ref& zone) {
  if (mode == output_mode::json) return json_line(event_json(ev));
  return join_lines({"[" + zone.time_of_day(ev.ts_ms) + "] " + event_text(ev)});
}

std::string render_ok(std::string_view cmd, const nlohmann::json& fields, output_mode mode) {
  if (mode == output_mode::json) return json_line(ok_json(cmd, fields));
  return join_lines(ok_text(cmd, fields));
}

std::string render_error(std::string_view cmd, error_code code, std::string_view text,
                         output_mode mode) {
  auto code_name = std::string{error_code_name(code)};
  if (mode == output_mode::json) {
    ordered_json j{{"type", "error"},
                   {"cmd", cmd.empty() ? ordered_json() : ordered_json(std::string{cmd})},
                   {"code", code_name},
                   {"text", std::string{text}}};
    return json_line(j);
  }
  // The code is for programs (json); a person reads the sentence.
  std::string prefix = cmd.empty() ? "" : std::string{cmd} + ": ";
  return join_lines({"! " + prefix + std::string{text}});
}

std::string render_text_lines(const std::vector<std::string>& lines) {
  return join_lines(lines);
}

std::string render_password_prompt() {
  return "password: ";
}

std::string format_iso_timestamp(int64_t ts_ms) {
  // Floor division, so that times before 1970 still count forward within a second.
  auto ms = ts_ms % ms_per_second;
  auto whole_seconds = ts_ms / ms_per_second;
  if (ms < 0) {
    ms += ms_per_second;
    --whole_seconds;
  }
  auto seconds = static_cast<std::time_t>(whole_seconds);
  std::tm utc{};
  // Only a timestamp billions of years away fails; it is shown as the epoch.
  if (!gmtime_r(&seconds, &utc)) return "1970-01-01T00:00:00.000Z";
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(ms));
  return buf;
}

std::string format_time_of_day(int64_t ts_ms) {
  auto ms_of_day = ts_ms % ms_per_day;
  if (ms_of_day < 0) ms_of_day += ms_per_day;
  auto seconds = static_cast<int>(ms_of_day / ms_per_second);
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%02d:%02d:%02d", seconds / 3600, seconds / 60 % 60,
                seconds % 60);
  return buf;
}

}  // namespace chat
