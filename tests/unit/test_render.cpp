// Rendering: events, ok and error replies and the banner, in json and text mode.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "actors/render.hpp"

namespace chat {
namespace {

using json = nlohmann::json;

constexpr int64_t sample_ts = 1795344182123;  // 2026-11-22T10:43:02.123Z
constexpr const char* sample_iso = "2026-11-22T10:43:02.123Z";

// Splits rendered output into lines, checking that each one ends in CRLF.
std::vector<std::string> lines_of(const std::string& out) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < out.size()) {
    auto end = out.find("\r\n", start);
    if (end == std::string::npos) {
      ADD_FAILURE() << "unterminated line in: " << out;
      break;
    }
    lines.push_back(out.substr(start, end - start));
    start = end + 2;
  }
  for (auto& line : lines) EXPECT_EQ(line.find_first_of("\r\n"), std::string::npos) << line;
  return lines;
}

json parse_one(const std::string& out) {
  auto lines = lines_of(out);
  EXPECT_EQ(lines.size(), 1u) << out;
  if (lines.size() != 1) return {};
  auto parsed = json::parse(lines[0], nullptr, false);
  EXPECT_TRUE(parsed.is_object()) << lines[0];
  return parsed;
}

std::string text_one(const std::string& out) {
  auto lines = lines_of(out);
  EXPECT_EQ(lines.size(), 1u) << out;
  return lines.empty() ? "" : lines[0];
}

bool has_line(const std::vector<std::string>& lines, const std::string& content) {
  for (auto& line : lines) {
    auto begin = line.find_first_not_of(' ');
    if (begin != std::string::npos && line.substr(begin) == content) return true;
  }
  return false;
}

event make(event_kind kind) {
  event ev;
  ev.kind = kind;
  ev.ts_ms = sample_ts;
  return ev;
}

event message(std::string text, bool action = false) {
  auto ev = make(event_kind::message);
  ev.room = "python";
  ev.nick = "alice";
  ev.text = std::move(text);
  ev.action = action;
  return ev;
}

event leave(std::string reason, std::string text) {
  auto ev = make(event_kind::leave);
  ev.room = "python";
  ev.nick = "bob";
  ev.reason = std::move(reason);
  ev.text = std::move(text);
  return ev;
}

event two_nicks(event_kind kind, std::string text = "hi") {
  auto ev = make(kind);
  ev.room = "python";
  ev.nick = "alice";
  ev.other = "bob";
  ev.text = std::move(text);
  return ev;
}

// ---- timestamps ----

TEST(RenderTime, IsoTimestampIsUtcWithMilliseconds) {
  EXPECT_EQ(format_iso_timestamp(sample_ts), sample_iso);
  EXPECT_EQ(format_iso_timestamp(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(format_iso_timestamp(951868799999), "2000-02-29T23:59:59.999Z");
  EXPECT_EQ(format_iso_timestamp(-1), "1969-12-31T23:59:59.999Z");
}

TEST(RenderTime, TimeOfDayIsUtc) {
  EXPECT_EQ(format_time_of_day(sample_ts), "10:43:02");
  EXPECT_EQ(format_time_of_day(0), "00:00:00");
  EXPECT_EQ(format_time_of_day(951868799999), "23:59:59");
  EXPECT_EQ(format_time_of_day(-1), "23:59:59");
}

TEST(RenderTime, ExtremeTimestampsDoNotCrash) {
  EXPECT_FALSE(format_iso_timestamp(INT64_MAX).empty());
  EXPECT_FALSE(format_iso_timestamp(INT64_MIN).empty());
  EXPECT_EQ(format_time_of_day(INT64_MIN).size(), 8u);
}

// ---- events, json mode ----

TEST(RenderEventJson, Message) {
  auto j = parse_one(render_event(message("hello"), output_mode::json));
  EXPECT_EQ(j, (json{{"type", "message"},
                     {"room", "python"},
                     {"from", "alice"},
                     {"text", "hello"},
                     {"ts", sample_iso}}));
}

TEST(RenderEventJson, ActionOnlyWhenTrue) {
  auto j = parse_one(render_event(message("waves", true), output_mode::json));
  EXPECT_EQ(j["action"], true);
  EXPECT_EQ(j["text"], "waves");
  EXPECT_FALSE(parse_one(render_event(message("x"), output_mode::json)).contains("action"));
}

TEST(RenderEventJson, TypeComesFirst) {
  auto out = render_event(message("hello"), output_mode::json);
  EXPECT_EQ(out.rfind("{\"type\":\"message\"", 0), 0u) << out;
}

TEST(RenderEventJson, Private) {
  auto j = parse_one(render_event(two_nicks(event_kind::private_message), output_mode::json));
  EXPECT_EQ(j, (json{{"type", "private"},
                     {"from", "alice"},
                     {"to", "bob"},
                     {"text", "hi"},
                     {"ts", sample_iso}}));
}

TEST(RenderEventJson, Join) {
  auto ev = make(event_kind::join);
  ev.room = "python";
  ev.nick = "bob";
  auto j = parse_one(render_event(ev, output_mode::json));
  EXPECT_EQ(j, (json{{"type", "join"}, {"room", "python"}, {"nick", "bob"}, {"ts", sample_iso}}));
}

TEST(RenderEventJson, LeaveWithAndWithoutText) {
  auto j = parse_one(render_event(leave("quit", "gone fishing"), output_mode::json));
  EXPECT_EQ(j, (json{{"type", "leave"},
                     {"room", "python"},
                     {"nick", "bob"},
                     {"reason", "quit"},
                     {"ts", sample_iso},
                     {"text", "gone fishing"}}));
  auto plain = parse_one(render_event(leave("netsplit", ""), output_mode::json));
  EXPECT_EQ(plain["reason"], "netsplit");
  EXPECT_FALSE(plain.contains("text"));
}

TEST(RenderEventJson, Nick) {
  auto j = parse_one(render_event(two_nicks(event_kind::nick), output_mode::json));
  EXPECT_EQ(j, (json{{"type", "nick"},
                     {"old", "alice"},
                     {"new", "bob"},
                     {"room", "python"},
                     {"ts", sample_iso}}));
}

TEST(RenderEventJson, NickOutsideARoomHasANullRoom) {
  auto ev = two_nicks(event_kind::nick);
  ev.room.clear();
  auto j = parse_one(render_event(ev, output_mode::json));
  EXPECT_TRUE(j["room"].is_null());
  EXPECT_EQ(render_event(ev, output_mode::text).find("()"), std::string::npos);
}

TEST(RenderEventJson, Topic) {
  auto ev = make(event_kind::topic);
  ev.room = "python";
  ev.nick = "alice";
  ev.text = "snakes";
  auto j = parse_one(render_event(ev, output_mode::json));
  EXPECT_EQ(j, (json{{"type", "topic"},
                     {"room", "python"},
                     {"topic", "snakes"},
                     {"by", "alice"},
                     {"ts", sample_iso}}));
}

TEST(RenderEventJson, Notice) {
  auto ev = make(event_kind::notice);
  ev.text = "server shutting down";
  auto j = parse_one(render_event(ev, output_mode::json));
  EXPECT_EQ(j, (json{{"type", "notice"}, {"text", "server shutting down"}, {"ts", sample_iso}}));
}

TEST(RenderEventJson, KeepsControlCharactersEscaped) {
  auto out = render_event(message("a\x1b[2Jb\"q\\"), output_mode::json);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(parse_one(out)["text"], "a\x1b[2Jb\"q\\");
}

TEST(RenderEventJson, InvalidUtf8DoesNotThrow) {
  std::string out;
  EXPECT_NO_THROW(out = render_event(message("bad \xff\xc0 bytes"), output_mode::json));
  auto text = parse_one(out)["text"].get<std::string>();
  EXPECT_NE(text.find("\xEF\xBF\xBD"), std::string::npos) << text;
}

// ---- events, text mode ----

TEST(RenderEventText, Message) {
  EXPECT_EQ(render_event(message("hello"), output_mode::text),
            "[10:43:02 UTC] [python] alice: hello\r\n");
}

TEST(RenderEventText, Action) {
  EXPECT_EQ(render_event(message("waves", true), output_mode::text),
            "[10:43:02 UTC] [python] * alice waves\r\n");
}

TEST(RenderEventText, Private) {
  EXPECT_EQ(render_event(two_nicks(event_kind::private_message), output_mode::text),
            "[10:43:02 UTC] [pm] alice -> bob: hi\r\n");
}

TEST(RenderEventText, Join) {
  auto ev = make(event_kind::join);
  ev.room = "python";
  ev.nick = "bob";
  EXPECT_EQ(render_event(ev, output_mode::text), "[10:43:02 UTC] * bob joined python\r\n");
}

TEST(RenderEventText, LeaveShowsReasonAndText) {
  EXPECT_EQ(render_event(leave("quit", "gone fishing"), output_mode::text),
            "[10:43:02 UTC] * bob left python (quit: gone fishing)\r\n");
  EXPECT_EQ(render_event(leave("timeout", ""), output_mode::text),
            "[10:43:02 UTC] * bob left python (timeout)\r\n");
}

TEST(RenderEventText, Nick) {
  EXPECT_EQ(render_event(two_nicks(event_kind::nick), output_mode::text),
            "[10:43:02 UTC] * alice is now known as bob (python)\r\n");
}

TEST(RenderEventText, TopicSetAndCleared) {
  auto ev = make(event_kind::topic);
  ev.room = "python";
  ev.nick = "alice";
  ev.text = "snakes";
  EXPECT_EQ(render_event(ev, output_mode::text),
            "[10:43:02 UTC] * alice set the topic of python: snakes\r\n");
  ev.text.clear();
  EXPECT_EQ(render_event(ev, output_mode::text),
            "[10:43:02 UTC] * alice cleared the topic of python\r\n");
}

TEST(RenderEventText, Notice) {
  auto ev = make(event_kind::notice);
  ev.text = "server shutting down";
  EXPECT_EQ(render_event(ev, output_mode::text), "[10:43:02 UTC] -!- server shutting down\r\n");
}

TEST(RenderEventText, ReplacesTerminalControlCharacters) {
  auto out = render_event(message("\x1b[2J\x07"
                                  "evil\x7f\xc2\x9b"
                                  "31m\x01\r\nend"),
                          output_mode::text);
  auto line = text_one(out);
  for (unsigned char c : line) {
    EXPECT_GE(c, 0x20) << out;
    EXPECT_NE(c, 0x7F) << out;
  }
  EXPECT_EQ(line.find("\xc2\x9b"), std::string::npos);  // C1 CSI
  EXPECT_NE(line.find("evil"), std::string::npos);
  EXPECT_NE(line.find("end"), std::string::npos);
}

TEST(RenderEventText, TabBecomesSpaceAndUnicodeSurvives) {
  EXPECT_EQ(text_one(render_event(message("a\tb 你好 ü"), output_mode::text)),
            "[10:43:02 UTC] [python] alice: a b 你好 ü");
}

TEST(RenderEventText, ControlCharactersInEveryFieldAreReplaced) {
  auto ev = leave("quit\x1b", "bye\x1b");
  ev.nick = "b\x1bob";
  ev.room = "r\x9b";
  auto line = text_one(render_event(ev, output_mode::text));
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_EQ(line.find('\x9b'), std::string::npos) << line;
}

// ---- bidi and invisible format characters (issue 16) ----

// U+202E RIGHT-TO-LEFT OVERRIDE, U+2066 LEFT-TO-RIGHT ISOLATE, U+200F RLM,
// U+200B ZERO WIDTH SPACE, U+FEFF BOM, U+2060 WORD JOINER, U+E0041 TAG A.
const std::string rlo = "\xE2\x80\xAE", lri = "\xE2\x81\xA6", rlm = "\xE2\x80\x8F";
const std::string zwsp = "\xE2\x80\x8B", bom = "\xEF\xBB\xBF", word_joiner = "\xE2\x81\xA0";
const std::string tag_a = "\xF3\xA0\x81\x81";

TEST(RenderEventText, BidiControlsAreReplacedVisibly) {
  auto line =
      text_one(render_event(message("abc" + rlo + "def" + lri + "g" + rlm), output_mode::text));
  EXPECT_EQ(line,
            "[10:43:02 UTC] [python] alice: abc\xEF\xBF\xBD"
            "def\xEF\xBF\xBDg\xEF\xBF\xBD");
}

TEST(RenderEventText, InvisibleFormatCharactersAreDropped) {
  auto line = text_one(render_event(message("pay" + zwsp + "pal" + bom + word_joiner + tag_a + "!"),
                                    output_mode::text));
  EXPECT_EQ(line, "[10:43:02 UTC] [python] alice: paypal!");
}

TEST(RenderEventText, TopicsAndReasonsAreNeutralisedToo) {
  auto topic = make(event_kind::topic);
  topic.text = "new " + rlo + "topic" + zwsp;
  auto topic_line = text_one(render_event(topic, output_mode::text));
  EXPECT_EQ(topic_line.find(rlo), std::string::npos) << topic_line;
  EXPECT_EQ(topic_line.find(zwsp), std::string::npos) << topic_line;
  auto gone = leave("kicked", "because " + rlo + "reasons" + bom);
  auto leave_line = text_one(render_event(gone, output_mode::text));
  EXPECT_EQ(leave_line.find(rlo), std::string::npos) << leave_line;
  EXPECT_EQ(leave_line.find(bom), std::string::npos) << leave_line;
  EXPECT_NE(leave_line.find("reasons"), std::string::npos) << leave_line;
}

TEST(RenderEventText, JoinersOfOrdinaryTextSurviveButInvisibleOnesGo) {
  // Arabic and Hebrew text carries no control of its own: it stays as it is.
  auto line = text_one(
      render_event(message("\xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 \xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"),
                   output_mode::text));
  EXPECT_EQ(line,
            "[10:43:02 UTC] [python] alice: \xD8\xB3\xD9\x84\xD8\xA7\xD9\x85 "
            "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D");
}

TEST(RenderEventJson, FormatCharactersTravelEscapedAndDecodeExactly) {
  auto text = "a" + rlo + "b" + zwsp + "c" + bom + tag_a;
  auto out = render_event(message(text), output_mode::json);
  for (auto& raw : {rlo, zwsp, bom, tag_a}) EXPECT_EQ(out.find(raw), std::string::npos) << out;
  EXPECT_NE(out.find("a\\u202Eb\\u200Bc\\uFEFF\\uDB40\\uDC41"), std::string::npos) << out;
  EXPECT_EQ(parse_one(out)["text"], text);  // a JSON decoder gets the exact text back
}

TEST(RenderEventJson, OtherUnicodeStaysUnescaped) {
  auto out = render_event(message("你好 ü " + std::string("\xF0\x9F\x98\x80")), output_mode::json);
  EXPECT_NE(out.find("你好 ü \xF0\x9F\x98\x80"), std::string::npos) << out;
}

TEST(RenderOkJson, FormatCharactersInRepliesAreEscaped) {
  auto out = render_ok("join", {{"room", "python"}, {"topic", "x" + rlo + "y"}}, output_mode::json);
  EXPECT_EQ(out.find(rlo), std::string::npos) << out;
  EXPECT_EQ(parse_one(out)["topic"], "x" + rlo + "y");
}

// ---- ok replies ----

struct ok_case {
  std::string cmd;
  json fields;
};

std::vector<ok_case> ok_cases() {
  return {
      {"help",
       {{"commands",
         {{{"name", "join"},
           {"aliases", {"select", "enter"}},
           {"args", "<room or id>"},
           {"help", "enters a room"},
           {"example", "/join general"}}}}}},
      {"login", {{"nick", "alice"}, {"registered", true}}},
      {"nick", {{"nick", "robert"}}},
      {"register", {{"nick", "alice"}}},
      {"rooms",
       {{"rooms",
         {{{"name", "general"}, {"id", 1}, {"members", 3}, {"topic", "chat"}, {"owner", nullptr}},
          {{"name", "python"},
           {"id", 7},
           {"members", 0},
           {"topic", "snakes"},
           {"owner", "alice"}}}}}},
      {"create", {{"room", "python"}, {"id", 7}}},
      {"join", {{"room", "python"}, {"id", 7}, {"topic", "snakes"}, {"members", {"alice", "bob"}}}},
      {"leave", {{"room", "python"}}},
      {"look", {{"room", "python"}, {"members", {"alice", "bob", "张伟"}}}},
      {"who",
       {{"users",
         {{{"nick", "alice"}, {"room", "python"}, {"node", "n1"}},
          {{"nick", "bob"}, {"room", nullptr}, {"node", "n2"}}}}}},
      {"msg", {{"to", "bob"}}},
      {"ignore", {{"muted", true}}},
      {"ignore", {{"ignoring", {"bob", "carol"}}}},
      {"unignore", {{"ignoring", {"carol"}}}},
      {"topic", {{"room", "python"}, {"topic", "snakes"}}},
      {"drop", {{"room", "python"}}},
      {"mode", {{"mode", "text"}}},
      {"quit", json::object()},
      {"stats",
       {{"node", "n1"},
        {"nodes", {"n2", "n3"}},
        {"sessions", 4},
        {"rooms", 5},
        {"cluster_msgs_sent", 11},
        {"cluster_msgs_received", 12},
        {"repairs", 13}}},
  };
}

// Every string and number inside `value`, as text mode should show it.
void leaves(const json& value, std::vector<std::string>& out) {
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_number()) out.push_back(value.dump());
  if (value.is_structured())
    for (auto& item : value) leaves(item, out);
}

TEST(RenderOkJson, CarriesTypeCmdAndEveryField) {
  for (auto& c : ok_cases()) {
    auto j = parse_one(render_ok(c.cmd, c.fields, output_mode::json));
    EXPECT_EQ(j["type"], "ok") << c.cmd;
    EXPECT_EQ(j["cmd"], c.cmd);
    for (auto& item : c.fields.items()) EXPECT_EQ(j[item.key()], item.value()) << c.cmd;
    EXPECT_EQ(j.size(), c.fields.size() + 2) << j.dump();
  }
}

TEST(RenderOkJson, QuitHasNothingButTheEnvelope) {
  EXPECT_EQ(render_ok("quit", json::object(), output_mode::json),
            "{\"type\":\"ok\",\"cmd\":\"quit\"}\r\n");
}

TEST(RenderOkJson, FieldsCannotOverrideTheEnvelope) {
  auto j = parse_one(
      render_ok("mode", {{"type", "error"}, {"cmd", "x"}, {"mode", "json"}}, output_mode::json));
  EXPECT_EQ(j["type"], "ok");
  EXPECT_EQ(j["cmd"], "mode");
  EXPECT_EQ(j["mode"], "json");
}

TEST(RenderOkJson, InvalidUtf8InFieldsDoesNotThrow) {
  std::string out;
  EXPECT_NO_THROW(out = render_ok("topic", {{"room", "r"}, {"topic", "\xff"}}, output_mode::json));
  EXPECT_EQ(parse_one(out)["topic"], "\xEF\xBF\xBD");
}

TEST(RenderOkText, ShowsEveryFieldAndIsNotJson) {
  for (auto& c : ok_cases()) {
    auto out = render_ok(c.cmd, c.fields, output_mode::text);
    auto lines = lines_of(out);
    ASSERT_FALSE(lines.empty()) << c.cmd;
    EXPECT_TRUE(json::parse(lines[0], nullptr, false).is_discarded()) << out;
    std::vector<std::string> values;
    leaves(c.fields, values);
    for (auto& v : values) EXPECT_NE(out.find(v), std::string::npos) << c.cmd << ": " << v;
  }
}

const json help_list{{"commands",
                      {{{"name", "join"},
                        {"aliases", {"select", "enter"}},
                        {"args", "<room or id>"},
                        {"help", "enters a room"},
                        {"example", "/join general"}},
                       {{"name", "leave"},
                        {"aliases", json::array()},
                        {"args", ""},
                        {"help", "goes back to the lobby"},
                        {"example", "/leave"}}}}};

TEST(RenderHelp, ListsEveryCommandWithItsAliasesAndTheShorthands) {
  auto lines = lines_of(render_ok("help", help_list, output_mode::text));
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "commands (/help <command> shows one, with an example):");
  EXPECT_EQ(lines[1], "  /join <room or id>  (also /select, /enter)  - enters a room");
  EXPECT_EQ(lines[2], "  /leave  - goes back to the lobby");
  EXPECT_EQ(lines[3], "  @nick text  - a private message, like /msg nick text");
  EXPECT_EQ(lines[4], "  //text  - says a line that starts with a slash: //shrug says /shrug");
}

TEST(RenderHelp, OneCommandGivesUsageAliasesAndAnExample) {
  json one{{"commands", {help_list["commands"][0]}}};
  EXPECT_EQ(render_ok("help", one, output_mode::text),
            "usage: /join <room or id>\r\n"
            "  enters a room\r\n"
            "  aliases: /select, /enter\r\n"
            "  example: /join general\r\n");
  json no_aliases{{"commands", {help_list["commands"][1]}}};
  EXPECT_EQ(render_ok("help", no_aliases, output_mode::text),
            "usage: /leave\r\n  goes back to the lobby\r\n  example: /leave\r\n");
}

TEST(RenderOkText, ListsOneItemPerLine) {
  auto join = lines_of(render_ok(
      "join", {{"room", "python"}, {"id", 7}, {"topic", ""}, {"members", {"alice", "bob"}}},
      output_mode::text));
  EXPECT_TRUE(has_line(join, "alice"));
  EXPECT_TRUE(has_line(join, "bob"));
  auto look =
      lines_of(render_ok("look", {{"room", "r"}, {"members", {"张伟"}}}, output_mode::text));
  EXPECT_TRUE(has_line(look, "张伟"));
  auto stats =
      lines_of(render_ok("stats", {{"node", "n1"}, {"nodes", {"n2", "n3"}}}, output_mode::text));
  EXPECT_TRUE(has_line(stats, "n2"));
  EXPECT_TRUE(has_line(stats, "n3"));
  auto ignoring =
      lines_of(render_ok("unignore", {{"ignoring", {"bob", "carol"}}}, output_mode::text));
  EXPECT_TRUE(has_line(ignoring, "bob"));
  EXPECT_TRUE(has_line(ignoring, "carol"));
  auto rooms = lines_of(render_ok("rooms", ok_cases()[4].fields, output_mode::text));
  EXPECT_EQ(rooms.size(), 3u);
  auto who = lines_of(render_ok("who", ok_cases()[9].fields, output_mode::text));
  EXPECT_EQ(who.size(), 3u);
}

TEST(RenderOkText, ShapesOfTheCommonReplies) {
  EXPECT_EQ(render_ok("msg", {{"to", "bob"}}, output_mode::text), "* message sent to bob\r\n");
  EXPECT_EQ(render_ok("mode", {{"mode", "text"}}, output_mode::text), "* output mode: text\r\n");
  EXPECT_EQ(render_ok("quit", json::object(), output_mode::text), "* bye\r\n");
  EXPECT_EQ(render_ok("login", {{"nick", "alice"}, {"registered", false}}, output_mode::text),
            "* you are alice (not registered)\r\n");
  EXPECT_EQ(render_ok("login", {{"nick", "alice"}, {"registered", true}}, output_mode::text),
            "* you are alice (registered)\r\n");
  EXPECT_EQ(
      render_ok("login", {{"nick", "newguy"}, {"registered", false}, {"text", "password not used"}},
                output_mode::text),
      "* you are newguy (not registered)\r\n* password not used\r\n");
}

TEST(RenderOkText, BooleansAndNullsAreSpelledOut) {
  EXPECT_NE(render_ok("ignore", {{"muted", true}}, output_mode::text).find("muted"),
            std::string::npos);
  EXPECT_NE(render_ok("ignore", {{"muted", false}}, output_mode::text).find("unmuted"),
            std::string::npos);
  auto who = render_ok("who", ok_cases()[9].fields, output_mode::text);
  EXPECT_NE(who.find("bob in the lobby"), std::string::npos) << who;
  EXPECT_NE(who.find("alice in python"), std::string::npos) << who;
  auto rooms = render_ok("rooms", ok_cases()[4].fields, output_mode::text);
  EXPECT_NE(rooms.find("owner (none)"), std::string::npos) << rooms;
  EXPECT_NE(rooms.find("owner alice"), std::string::npos) << rooms;
  auto topic = render_ok("topic", {{"room", "python"}, {"topic", ""}}, output_mode::text);
  EXPECT_NE(topic.find("(none)"), std::string::npos) << topic;
}

TEST(RenderOkText, UnknownCommandFallsBackToKeyValueLines) {
  auto lines = lines_of(render_ok("frob", {{"size", 3}, {"name", "x"}}, output_mode::text));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "ok frob");
  EXPECT_TRUE(has_line(lines, "size: 3"));
  EXPECT_TRUE(has_line(lines, "name: x"));
}

TEST(RenderOkText, FieldsNoFormKnowsAreStillShown) {
  auto out = render_ok("leave", {{"room", "python"}, {"extra", "surprise"}}, output_mode::text);
  EXPECT_NE(out.find("python"), std::string::npos);
  EXPECT_NE(out.find("extra: surprise"), std::string::npos) << out;
}

TEST(RenderOkText, OddlyShapedFieldsDoNotThrow) {
  for (auto& c : ok_cases()) {
    for (auto& odd : {json(nullptr), json(42), json::array({1, 2}),
                      json{{"rooms", 3}, {"members", "x"}, {"users", {1, 2}}}}) {
      EXPECT_NO_THROW(lines_of(render_ok(c.cmd, odd, output_mode::text))) << c.cmd;
      EXPECT_NO_THROW(lines_of(render_ok(c.cmd, odd, output_mode::json))) << c.cmd;
    }
  }
}

TEST(RenderOkText, ControlCharactersInFieldsAreReplaced) {
  auto out = render_ok("topic", {{"room", "r"}, {"topic", "\x1b]0;pwned\x07"}}, output_mode::text);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.find('\x07'), std::string::npos) << out;
  EXPECT_NE(out.find("pwned"), std::string::npos);
}

// ---- errors ----

TEST(RenderErrorJson, CarriesCmdCodeAndText) {
  auto j = parse_one(
      render_error("join", error_code::no_such_room, "no such room: pyton", output_mode::json));
  EXPECT_EQ(j, (json{{"type", "error"},
                     {"cmd", "join"},
                     {"code", "no_such_room"},
                     {"text", "no such room: pyton"}}));
}

TEST(RenderErrorJson, EmptyCmdIsNull) {
  auto j = parse_one(
      render_error("", error_code::unknown_command, "unknown command: /foo", output_mode::json));
  EXPECT_TRUE(j.contains("cmd"));
  EXPECT_TRUE(j["cmd"].is_null());
  EXPECT_EQ(j["code"], "unknown_command");
}

TEST(RenderErrorJson, EveryCodeRendersItsName) {
  for (int value = 1; value <= static_cast<int>(error_code::unavailable); ++value) {
    auto code = static_cast<error_code>(value);
    auto j = parse_one(render_error("say", code, "t", output_mode::json));
    EXPECT_EQ(j["code"], std::string{error_code_name(code)});
  }
}

TEST(RenderErrorText, NamesCommandAndTextButNoMachineCode) {
  EXPECT_EQ(
      render_error("join", error_code::no_such_room, "no such room: pyton", output_mode::text),
      "! join: no such room: pyton\r\n");
  EXPECT_EQ(render_error("", error_code::line_too_long, "line too long", output_mode::text),
            "! line too long\r\n");
}

TEST(RenderOkText, AnEmptyListIsOneLineNotAnEmptyHeader) {
  EXPECT_EQ(render_ok("unignore", {{"ignoring", json::array()}}, output_mode::text),
            "* ignoring: none\r\n");
  auto stats = render_ok("stats",
                         {{"node", "n1"},
                          {"nodes", json::array()},
                          {"sessions", 1},
                          {"rooms", 1},
                          {"cluster_msgs_sent", 0},
                          {"cluster_msgs_received", 0},
                          {"repairs", 0}},
                         output_mode::text);
  EXPECT_NE(stats.find("  linked nodes: none\r\n"), std::string::npos) << stats;
  EXPECT_EQ(stats.find("(0):"), std::string::npos) << stats;
  EXPECT_EQ(render_ok("rooms", {{"rooms", json::array()}}, output_mode::text),
            "rooms: none (/create <room> starts one)\r\n");
}

TEST(RenderEventText, DropSaysWhoDroppedTheRoomAndWhereTheMemberIs) {
  event ev;
  ev.kind = event_kind::leave;
  ev.room = "python";
  ev.nick = "bob";
  ev.reason = "dropped";
  ev.other = "alice";
  ev.ts_ms = 0;
  EXPECT_NE(render_event(ev, output_mode::text)
                .find("* python was dropped by alice: you are in the lobby\r\n"),
            std::string::npos);
  ev.other = "bob";
  EXPECT_NE(render_event(ev, output_mode::text).find("dropped by you: you are in the lobby"),
            std::string::npos);
  EXPECT_EQ(parse_one(render_event(ev, output_mode::json))["by"], "bob");
  ev.other.clear();  // a drop seen through a peer's tombstone: who is unknown
  EXPECT_NE(render_event(ev, output_mode::text).find("* python was dropped: you are in the lobby"),
            std::string::npos);
  EXPECT_FALSE(parse_one(render_event(ev, output_mode::json)).contains("by"));
}

TEST(RenderErrorText, ReplacesControlCharacters) {
  auto out =
      render_error("", error_code::unknown_command, "unknown command: /\x1b[2J", output_mode::text);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
  EXPECT_EQ(out.rfind("! ", 0), 0u);
}

}  // namespace
}  // namespace chat
