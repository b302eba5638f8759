// Fuzzes the renderers (chat::render_event, render_ok, render_error) with
// arbitrary field strings, in both output modes.
//
// Input: read through FuzzedDataProvider: selectors and numbers from the end,
// the field strings from the front (a backslash and one more byte end a string).
// A selector picks events, ok replies or errors; strings are valid UTF-8 unless
// a flag keeps the fuzzer's raw bytes (nothing should ever reach a renderer
// that way, but a broken string must cost a replacement character, not a
// session); ok fields are arbitrary JSON, known keys preferred.
//
// Invariants. json mode: exactly one line ending in CRLF that parses back
// (nlohmann) to an object with the right "type", the fields under their
// documented names with exactly the values given (for valid UTF-8), the "ok"
// and "error" envelope untouched by same-named fields, and "ts" in ISO 8601
// as an independent calendar computation gives it. text mode: valid UTF-8
// lines ending in CRLF and no other control character (C0, DEL, C1: the
// makings of terminal escape sequences) anywhere; an event is one line that
// starts with its time of day and shows every control-free field.

#include <fuzzer/FuzzedDataProvider.h>
#include <utf8proc.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "actors/event.hpp"
#include "actors/protocol_errors.hpp"
#include "actors/render.hpp"
#include "fuzz/fuzz_support.hpp"

namespace {

using chat::event;
using chat::event_kind;
using chat::output_mode;
using json = nlohmann::json;

constexpr int64_t ms_per_day = 86'400'000;
// 9999-12-31T23:59:59.999Z: the last instant with a four-digit year.
constexpr int64_t last_plausible_ts = 253'402'300'799'999;

constexpr std::string_view ok_commands[] = {
    "help", "login", "nick",   "register", "rooms", "create", "join", "leave", "look",
    "who",  "msg",   "ignore", "unignore", "topic", "drop",   "mode", "quit",  "stats",
};
constexpr std::string_view error_commands[] = {"", "login", "join", "msg", "say", "me", "drop"};
// The keys ok replies use, so that arbitrary JSON often has the shapes renderers expect.
// (A table: clang-format would give each key a line of its own.)
// clang-format off
constexpr std::string_view known_keys[] = {
    "commands", "name", "args", "help", "nick", "registered", "rooms", "id", "members", "topic",
    "owner", "room", "users", "node", "to", "muted", "ignoring", "mode", "nodes", "sessions",
    "cluster_msgs_sent", "cluster_msgs_received", "repairs", "type", "cmd"};
// clang-format on

// Field strings, in order, from the front of the input.
class string_source {
 public:
  string_source(FuzzedDataProvider& in, bool raw) : in_(in), raw_(raw) {}
  std::string next() {
    std::string s = in_.ConsumeRandomLengthString(512);
    return raw_ ? s : chat::fuzz::keep_valid_utf8(s);
  }

 private:
  FuzzedDataProvider& in_;
  bool raw_;
};

// Days since 1970-01-01 to year/month/day in the proleptic Gregorian calendar,
// counted in 400-year eras of 146097 days, with years starting in March.
void civil_date(int64_t days, int64_t& year, int& month, int& day) {
  const int64_t z = days + 719468;  // days since 0000-03-01
  const int64_t era = z / 146097;
  const int64_t day_of_era = z - era * 146097;
  const int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const int64_t day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const int64_t month_from_march = (5 * day_of_year + 2) / 153;
  day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  year = year_of_era + era * 400 + (month <= 2 ? 1 : 0);
}

// The expected "ts" for 0 <= ts_ms <= last_plausible_ts.
std::string reference_iso(int64_t ts_ms) {
  int64_t year = 0;
  int month = 0, day = 0;
  civil_date(ts_ms / ms_per_day, year, month, day);
  const int64_t ms_of_day = ts_ms % ms_per_day;
  char buf[40];
  std::snprintf(
      buf, sizeof(buf), "%04lld-%02d-%02dT%02lld:%02lld:%02lld.%03lldZ",
      static_cast<long long>(year), month, day, static_cast<long long>(ms_of_day / 3'600'000),
      static_cast<long long>(ms_of_day / 60'000 % 60),
      static_cast<long long>(ms_of_day / 1000 % 60), static_cast<long long>(ms_of_day % 1000));
  return buf;
}

// Text a terminal may show as it is: valid UTF-8 without control characters.
// Invisible format characters (Unicode category Cf: bidi controls, U+200B,
// U+FEFF, ...), which text mode neutralises (issue 16).
bool is_format(char32_t cp) {
  return utf8proc_category(static_cast<utf8proc_int32_t>(cp)) == UTF8PROC_CATEGORY_CF;
}

bool displayable(std::string_view text) {
  if (!chat::fuzz::valid_utf8(text)) return false;
  for (char32_t cp : chat::fuzz::code_points(text)) {
    if (chat::fuzz::is_control(cp) || is_format(cp)) return false;
  }
  return true;
}

// Text-mode output: CRLF-terminated lines, no other control characters.
// Returns the number of lines.
std::size_t check_text_lines(const std::string& out) {
  if (out.empty()) return 0;
  FUZZ_CHECK(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0);
  FUZZ_CHECK(chat::fuzz::valid_utf8(out));
  std::size_t lines = 0;
  const auto cps = chat::fuzz::code_points(out);
  for (std::size_t i = 0; i < cps.size(); ++i) {
    if (cps[i] == '\r') {
      FUZZ_CHECK(i + 1 < cps.size() && cps[i + 1] == '\n');
      ++lines;
      ++i;
      continue;
    }
    FUZZ_CHECK(!chat::fuzz::is_control(cps[i]));
    FUZZ_CHECK(!is_format(cps[i]));  // no bidi override or hidden text on a terminal
  }
  return lines;
}

// Json-mode output: one CRLF-terminated line holding one JSON object.
json parse_json_line(const std::string& out) {
  FUZZ_CHECK(out.size() >= 2 && out.compare(out.size() - 2, 2, "\r\n") == 0);
  const std::string body = out.substr(0, out.size() - 2);
  FUZZ_CHECK(body.find('\n') == std::string::npos && body.find('\r') == std::string::npos);
  FUZZ_CHECK(chat::fuzz::valid_utf8(body));
  json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(!parsed.is_discarded());
  FUZZ_CHECK(parsed.is_object());
  return parsed;
}

// `key` is a string, equal to `expected` whenever that survives JSON unchanged.
void expect_string(const json& j, const char* key, const std::string& expected) {
  FUZZ_CHECK(j.contains(key) && j[key].is_string());
  if (chat::fuzz::valid_utf8(expected)) FUZZ_CHECK(j[key].get<std::string>() == expected);
}

const char* event_type(event_kind kind) {
  switch (kind) {
    case event_kind::message:
      return "message";
    case event_kind::private_message:
      return "private";
    case event_kind::join:
      return "join";
    case event_kind::leave:
      return "leave";
    case event_kind::nick:
      return "nick";
    case event_kind::topic:
      return "topic";
    case event_kind::notice:
      return "notice";
  }
  return "";
}

void check_event_json(const event& ev) {
  const json j = parse_json_line(chat::render_event(ev, output_mode::json));
  expect_string(j, "type", event_type(ev.kind));
  const std::string ts = chat::format_iso_timestamp(ev.ts_ms);
  expect_string(j, "ts", ts);
  if (ev.ts_ms >= 0 && ev.ts_ms <= last_plausible_ts) FUZZ_CHECK(ts == reference_iso(ev.ts_ms));
  switch (ev.kind) {
    case event_kind::message:
      expect_string(j, "room", ev.room);
      expect_string(j, "from", ev.nick);
      expect_string(j, "text", ev.text);
      if (ev.action) {
        FUZZ_CHECK(j.contains("action") && j["action"] == true);
      } else {
        FUZZ_CHECK(!j.contains("action") || j["action"] == false);
      }
      break;
    case event_kind::private_message:
      expect_string(j, "from", ev.nick);
      expect_string(j, "to", ev.other);
      expect_string(j, "text", ev.text);
      break;
    case event_kind::join:
      expect_string(j, "room", ev.room);
      expect_string(j, "nick", ev.nick);
      break;
    case event_kind::leave:
      expect_string(j, "room", ev.room);
      expect_string(j, "nick", ev.nick);
      expect_string(j, "reason", ev.reason);
      if (!ev.text.empty()) expect_string(j, "text", ev.text);
      break;
    case event_kind::nick:
      expect_string(j, "old", ev.nick);
      expect_string(j, "new", ev.other);
      // A rename outside any room (forced after a split) names no room: null, as in /who.
      if (ev.room.empty()) {
        FUZZ_CHECK(j.contains("room") && j["room"].is_null());
      } else {
        expect_string(j, "room", ev.room);
      }
      break;
    case event_kind::topic:
      expect_string(j, "room", ev.room);
      expect_string(j, "topic", ev.text);
      expect_string(j, "by", ev.nick);
      break;
    case event_kind::notice:
      expect_string(j, "text", ev.text);
      break;
  }
}

void check_event_text(const event& ev) {
  const std::string out = chat::render_event(ev, output_mode::text);
  FUZZ_CHECK(check_text_lines(out) == 1);
  const std::string time = chat::format_time_of_day(ev.ts_ms);
  FUZZ_CHECK(out.rfind("[" + time + " UTC] ", 0) == 0);  // the default zone, named
  if (ev.ts_ms >= 0 && ev.ts_ms <= last_plausible_ts) {
    FUZZ_CHECK(time == reference_iso(ev.ts_ms).substr(11, 8));
  }
  // Text mode carries what json mode carries.
  std::vector<const std::string*> shown;
  switch (ev.kind) {
    case event_kind::message:
      shown = {&ev.room, &ev.nick, &ev.text};
      break;
    case event_kind::private_message:
      shown = {&ev.nick, &ev.other, &ev.text};
      break;
    case event_kind::join:
      shown = {&ev.room, &ev.nick};
      break;
    case event_kind::leave:
      shown = {&ev.room, &ev.nick, &ev.reason, &ev.text};
      break;
    case event_kind::nick:
      shown = {&ev.room, &ev.nick, &ev.other};
      break;
    case event_kind::topic:
      shown = {&ev.room, &ev.nick, &ev.text};
      break;
    case event_kind::notice:
      shown = {&ev.text};
      break;
  }
  for (const std::string* field : shown) {
    if (displayable(*field)) FUZZ_CHECK(out.find(*field) != std::string::npos);
  }
}

void fuzz_event(FuzzedDataProvider& in, string_source& strings, uint8_t selector) {
  event ev;
  ev.kind = static_cast<event_kind>(selector % 7);
  ev.action = in.ConsumeBool();
  ev.ts_ms = in.ConsumeBool() ? in.ConsumeIntegral<int64_t>()
                              : in.ConsumeIntegralInRange<int64_t>(0, last_plausible_ts);
  ev.room = strings.next();
  ev.nick = strings.next();
  ev.other = strings.next();
  ev.text = strings.next();
  ev.reason = strings.next();
  check_event_json(ev);
  check_event_text(ev);
}

json random_json(FuzzedDataProvider& in, string_source& strings, int depth, bool& valid);

std::string tracked_string(string_source& strings, bool& valid) {
  std::string s = strings.next();
  valid = valid && chat::fuzz::valid_utf8(s);
  return s;
}

json random_object(FuzzedDataProvider& in, string_source& strings, int depth, bool& valid) {
  json object = json::object();
  for (int n = in.ConsumeIntegralInRange<int>(0, 6); n > 0; --n) {
    const std::size_t key = in.ConsumeIntegralInRange<std::size_t>(0, std::size(known_keys));
    const std::string name =
        key < std::size(known_keys) ? std::string(known_keys[key]) : tracked_string(strings, valid);
    object[name] = random_json(in, strings, depth + 1, valid);
  }
  return object;
}

// Arbitrary JSON; `valid` is cleared when a string or key is not valid UTF-8.
json random_json(FuzzedDataProvider& in, string_source& strings, int depth, bool& valid) {
  switch (in.ConsumeIntegralInRange<int>(0, depth >= 3 ? 3 : 5)) {
    case 0:
      return tracked_string(strings, valid);
    case 1:
      return in.ConsumeIntegral<int64_t>();
    case 2:
      return in.ConsumeBool();
    case 3:
      return nullptr;
    case 4: {
      json array = json::array();
      for (int n = in.ConsumeIntegralInRange<int>(0, 4); n > 0; --n) {
        array.push_back(random_json(in, strings, depth + 1, valid));
      }
      return array;
    }
    default:
      return random_object(in, strings, depth, valid);
  }
}

void fuzz_ok(FuzzedDataProvider& in, string_source& strings) {
  const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, std::size(ok_commands));
  bool valid = true;
  const std::string cmd = pick < std::size(ok_commands) ? std::string(ok_commands[pick])
                                                        : tracked_string(strings, valid);
  // Mostly an object, as the sessions pass; anything else must not crash either.
  const json fields = in.ConsumeIntegralInRange<int>(0, 7) == 0
                          ? random_json(in, strings, 1, valid)
                          : random_object(in, strings, 0, valid);

  const json j = parse_json_line(chat::render_ok(cmd, fields, output_mode::json));
  // The envelope comes first and wins over fields of the same name.
  expect_string(j, "type", "ok");
  expect_string(j, "cmd", cmd);
  if (valid && fields.is_object()) {
    for (const auto& item : fields.items()) {
      if (item.key() == "type" || item.key() == "cmd") continue;
      FUZZ_CHECK(j.contains(item.key()) && j[item.key()] == item.value());
    }
  }
  // A reply is never invisible; only /ignore fields without either of their two documented
  // keys (which no session sends) have nothing to show.
  const bool nothing_to_show = (cmd == "ignore" || cmd == "unignore") &&
                               !fields.contains("muted") && !fields.contains("ignoring");
  const std::size_t lines = check_text_lines(chat::render_ok(cmd, fields, output_mode::text));
  FUZZ_CHECK(lines >= 1 || nothing_to_show);
}

void fuzz_error(FuzzedDataProvider& in, string_source& strings) {
  const auto code = static_cast<chat::error_code>(
      in.ConsumeIntegralInRange<int>(static_cast<int>(chat::error_code::unknown_command),
                                     static_cast<int>(chat::error_code::unavailable)));
  const std::size_t pick = in.ConsumeIntegralInRange<std::size_t>(0, std::size(error_commands));
  const std::string cmd =
      pick < std::size(error_commands) ? std::string(error_commands[pick]) : strings.next();
  const std::string text = strings.next();
  const std::string code_name(chat::error_code_name(code));

  const json j = parse_json_line(chat::render_error(cmd, code, text, output_mode::json));
  expect_string(j, "type", "error");
  if (cmd.empty()) {
    FUZZ_CHECK(j.contains("cmd") && j["cmd"].is_null());
  } else {
    expect_string(j, "cmd", cmd);
  }
  expect_string(j, "code", code_name);
  expect_string(j, "text", text);

  const std::string out = chat::render_error(cmd, code, text, output_mode::text);
  FUZZ_CHECK(check_text_lines(out) == 1);
  // The code is for programs (json): a person's line does not append it.
  if (displayable(text) && text.find(code_name) == std::string::npos &&
      cmd.find(code_name) == std::string::npos)
    FUZZ_CHECK(out.find(code_name) == std::string::npos);
  if (displayable(text)) FUZZ_CHECK(out.find(text) != std::string::npos);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const uint8_t selector = in.ConsumeIntegral<uint8_t>();
  string_source strings(in, /*raw=*/in.ConsumeIntegralInRange<int>(0, 7) == 0);
  switch (selector % 3) {
    case 0:
      fuzz_event(in, strings, static_cast<uint8_t>(selector / 3));
      break;
    case 1:
      fuzz_ok(in, strings);
      break;
    default:
      fuzz_error(in, strings);
      break;
  }
  return 0;
}
