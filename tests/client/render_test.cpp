// Rendering of every event kind, error and reply, plain and in colour.
#include "apps/chat/render.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using nlohmann::json;

const render_style plain{false, true};
const render_style coloured{true, true};

std::string one(const json& obj, const render_style& style = plain) {
  auto lines = render_server_object(obj, style);
  EXPECT_EQ(lines.size(), 1u) << obj.dump();
  return lines.empty() ? "" : lines[0];
}

bool has_escape(const std::string& text) {
  return text.find('\033') != std::string::npos;
}

TEST(ClientRender, BidiAndInvisibleCharactersCannotReorderOrHideText) {
  // U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, U+FEFF BOM.
  EXPECT_EQ(one({{"type", "message"},
                 {"room", "python"},
                 {"from", "mallory"},
                 {"text",
                  "abc\xE2\x80\xAE"
                  "def\xE2\x80\x8B"
                  "g\xEF\xBB\xBF 你好"},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 [python] mallory: abc?defg 你好");
}

TEST(ClientRender, Message) {
  EXPECT_EQ(one({{"type", "message"},
                 {"room", "python"},
                 {"from", "alice"},
                 {"text", "hello"},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 [python] alice: hello");
}

TEST(ClientRender, Action) {
  EXPECT_EQ(one({{"type", "message"},
                 {"room", "python"},
                 {"from", "alice"},
                 {"text", "waves"},
                 {"action", true},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 [python] * alice waves");
}

TEST(ClientRender, PrivateMessageIsSetApart) {
  const json pm = {{"type", "private"},
                   {"from", "alice"},
                   {"to", "bob"},
                   {"text", "psst"},
                   {"ts", "2026-11-22T23:59:59.000Z"}};
  EXPECT_EQ(one(pm), "23:59:59 [pm] alice -> bob: psst");
  const std::string shown = one(pm, coloured);
  EXPECT_NE(shown.find("\033[1;35m[pm] alice -> bob:\033[0m"), std::string::npos) << shown;
}

TEST(ClientRender, Join) {
  EXPECT_EQ(one({{"type", "join"},
                 {"room", "python"},
                 {"nick", "bob"},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 --> bob joined python");
}

TEST(ClientRender, LeaveWithEveryReason) {
  auto leave = [](const std::string& reason, const std::string& text = "") {
    json ev = {{"type", "leave"},
               {"room", "python"},
               {"nick", "bob"},
               {"reason", reason},
               {"ts", "2026-11-22T10:43:02.123Z"}};
    if (!text.empty()) ev["text"] = text;
    return one(ev);
  };
  EXPECT_EQ(leave("left"), "10:43:02 <-- bob left python");
  EXPECT_EQ(leave("quit"), "10:43:02 <-- bob left python (quit)");
  EXPECT_EQ(leave("quit", "lunch"), "10:43:02 <-- bob left python (quit: lunch)");
  EXPECT_EQ(leave("disconnected"), "10:43:02 <-- bob left python (disconnected)");
  EXPECT_EQ(leave("timeout"), "10:43:02 <-- bob left python (timed out)");
  EXPECT_EQ(leave("dropped"), "10:43:02 <-- bob left python (room dropped)");
  EXPECT_EQ(leave("netsplit"), "10:43:02 <-- bob left python (netsplit)");
  auto dropped =
      json{{"type", "leave"},     {"room", "python"}, {"nick", "bob"},
           {"reason", "dropped"}, {"by", "alice"},    {"ts", "2026-11-22T10:43:02.123Z"}};
  EXPECT_EQ(one(dropped), "10:43:02 <-- bob left python (room dropped by alice)");
}

TEST(ClientRender, NickChange) {
  EXPECT_EQ(one({{"type", "nick"},
                 {"old", "bob"},
                 {"new", "robert"},
                 {"room", "python"},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 --- bob is now known as robert");
}

TEST(ClientRender, TopicSetAndCleared) {
  json topic = {{"type", "topic"},
                {"room", "python"},
                {"topic", "snakes only"},
                {"by", "alice"},
                {"ts", "2026-11-22T10:43:02.123Z"}};
  EXPECT_EQ(one(topic), "10:43:02 --- alice set the topic of python: snakes only");
  topic["topic"] = "";
  EXPECT_EQ(one(topic), "10:43:02 --- alice cleared the topic of python");
}

TEST(ClientRender, Notice) {
  EXPECT_EQ(one({{"type", "notice"},
                 {"text", "server shutting down"},
                 {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 *** server shutting down");
}

TEST(ClientRender, UnknownEventKeepsItsFields) {
  EXPECT_EQ(one({{"type", "wave"}, {"from", "alice"}, {"ts", "2026-11-22T10:43:02.123Z"}}),
            "10:43:02 (wave) from=alice");
}

TEST(ClientRender, ComingsAndGoingsAreDimmedInColour) {
  for (const json& ev : {json{{"type", "join"}, {"room", "r"}, {"nick", "n"}},
                         json{{"type", "leave"}, {"room", "r"}, {"nick", "n"}, {"reason", "left"}},
                         json{{"type", "nick"}, {"old", "a"}, {"new", "b"}, {"room", "r"}},
                         json{{"type", "topic"}, {"room", "r"}, {"topic", "t"}, {"by", "a"}}}) {
    const std::string shown = one(ev, coloured);
    EXPECT_EQ(shown.rfind("\033[2m", 0), 0u) << shown;
  }
}

TEST(ClientRender, PlainStyleHasNoEscapes) {
  const json events[] = {
      {{"type", "message"},
       {"room", "r"},
       {"from", "a"},
       {"text", "t"},
       {"ts", "2026-01-01T00:00:00.000Z"}},
      {{"type", "private"}, {"from", "a"}, {"to", "b"}, {"text", "t"}},
      {{"type", "notice"}, {"text", "t"}},
      {{"type", "error"}, {"cmd", "join"}, {"code", "no_such_room"}, {"text", "no such room: x"}},
      {{"type", "ok"}, {"cmd", "login"}, {"nick", "a"}, {"registered", false}},
  };
  for (const auto& ev : events) {
    EXPECT_FALSE(has_escape(one(ev, plain))) << ev.dump();
    EXPECT_TRUE(has_escape(one(ev, coloured))) << ev.dump();
  }
}

TEST(ClientRender, ControlCharactersFromUsersAreDefused) {
  const std::string shown = one({{"type", "message"},
                                 {"room", "r"},
                                 {"from", "eve\033]0;pwned\007"},
                                 {"text", "hi\033[2J\r\nthere\xc2\x9b"}});
  EXPECT_EQ(shown, "[r] eve?]0;pwned?: hi?[2J??there?");
}

TEST(ClientRender, ErrorIsOneClearLine) {
  EXPECT_EQ(one({{"type", "error"},
                 {"cmd", "join"},
                 {"code", "no_such_room"},
                 {"text", "no such room: pyton"}}),
            "! no such room: pyton");
  EXPECT_EQ(one({{"type", "error"}, {"cmd", nullptr}, {"code", "unknown_command"}, {"text", ""}}),
            "! unknown command");
  EXPECT_EQ(one({{"type", "error"}, {"cmd", "say"}, {"code", "x"}, {"text", "two\nlines"}}),
            "! two lines");
}

TEST(ClientRender, TimeIsOmittedWhenMissingOrMalformed) {
  EXPECT_EQ(one({{"type", "notice"}, {"text", "hi"}, {"ts", "yesterday"}}), "*** hi");
  EXPECT_EQ(one({{"type", "notice"}, {"text", "hi"}}), "*** hi");
}

TEST(ClientRender, LoginAndNickReplies) {
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "login"}, {"nick", "alice"}, {"registered", true}}),
            "* logged in as alice (registered nick)");
  auto unused = render_ok({{"type", "ok"},
                           {"cmd", "login"},
                           {"nick", "newguy"},
                           {"registered", false},
                           {"text", "the password was not used"}},
                          plain);
  ASSERT_EQ(unused.size(), 2u);
  EXPECT_EQ(unused[0], "* logged in as newguy");
  EXPECT_EQ(unused[1], "* the password was not used");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "nick"}, {"nick", "al"}}), "* you are now al");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "register"}, {"nick", "al"}}),
            "* registered al; from now on it needs your password");
}

TEST(ClientRender, JoinReplyListsMembers) {
  auto lines = render_ok({{"type", "ok"},
                          {"cmd", "join"},
                          {"room", "python"},
                          {"id", 3},
                          {"topic", "snakes"},
                          {"members", {"alice", "bob"}}},
                         plain);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "* joined python (#3): snakes");
  EXPECT_EQ(lines[1], "* members: alice, bob");
}

TEST(ClientRender, RoomsOneItemPerLine) {
  auto lines = render_ok(
      {{"type", "ok"},
       {"cmd", "rooms"},
       {"rooms",
        {{{"name", "general"}, {"id", 1}, {"members", 2}, {"topic", ""}, {"owner", nullptr}},
         {{"name", "python"}, {"id", 3}, {"members", 0}, {"topic", "snakes"}, {"owner", "al"}}}}},
      plain);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0], "* rooms:");
  EXPECT_EQ(lines[1], "    general (#1), 2 online");
  EXPECT_EQ(lines[2], "    python (#3), 0 online, owner al: snakes");
  EXPECT_EQ(render_ok({{"type", "ok"}, {"cmd", "rooms"}, {"rooms", json::array()}}, plain),
            std::vector<std::string>{"* no rooms yet: /create one"});
}

TEST(ClientRender, WhoAndLook) {
  auto who = render_ok({{"type", "ok"},
                        {"cmd", "who"},
                        {"users",
                         {{{"nick", "alice"}, {"room", "python"}, {"node", "n1"}},
                          {{"nick", "bob"}, {"room", nullptr}, {"node", "n2"}}}}},
                       plain);
  ASSERT_EQ(who.size(), 3u);
  EXPECT_EQ(who[1], "    alice in python (node n1)");
  EXPECT_EQ(who[2], "    bob in the lobby (node n2)");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "look"}, {"room", "python"}, {"members", {"a", "b"}}}),
            "* in python: a, b");
}

TEST(ClientRender, HelpListsCommands) {
  auto lines = render_ok({{"type", "ok"},
                          {"cmd", "help"},
                          {"commands",
                           {{{"name", "join"}, {"args", "<room or id>"}, {"help", "enters a room"}},
                            {{"name", "/leave"}, {"args", ""}, {"help", "back to the lobby"}}}}},
                         plain);
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[1], "    /join <room or id>  - enters a room");
  EXPECT_EQ(lines[2], "    /leave  - back to the lobby");
}

TEST(ClientRender, OtherReplies) {
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "create"}, {"room", "py"}, {"id", 9}}),
            "* created py (#9)");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "leave"}, {"room", "py"}}),
            "* left py, back in the lobby");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "ignore"}, {"muted", true}}),
            "* room chat muted; /ignore again to hear it");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "ignore"}, {"muted", false}}), "* room chat unmuted");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "unignore"}, {"ignoring", json::array()}}),
            "* ignoring: nobody");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "topic"}, {"room", "py"}, {"topic", ""}}),
            "* py has no topic");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "topic"}, {"room", "py"}, {"topic", "x"}}),
            "* topic of py: x");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "drop"}, {"room", "py"}}), "* dropped py");
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "quit"}}), "* bye");
  EXPECT_EQ(one({{"type", "ok"},
                 {"cmd", "stats"},
                 {"node", "n1"},
                 {"nodes", json::array()},
                 {"sessions", 3},
                 {"rooms", 4},
                 {"cluster_msgs_sent", 0},
                 {"cluster_msgs_received", 0},
                 {"repairs", 2}}),
            "* node n1; linked nodes: none; sessions 3; rooms 4; cluster messages sent 0, "
            "received 0; repairs 2");
}

TEST(ClientRender, MsgReplyShowsNothingTheEventShowsIt) {
  EXPECT_TRUE(render_ok({{"type", "ok"}, {"cmd", "msg"}, {"to", "bob"}}, plain).empty());
}

TEST(ClientRender, UnknownReplyShowsItsFields) {
  EXPECT_EQ(one({{"type", "ok"}, {"cmd", "dance"}, {"steps", 3}, {"with", {"a", "b"}}}),
            "* dance: ok, steps: 3, with: a, b");
}

TEST(ClientRender, StatusAndLocalErrors) {
  EXPECT_EQ(render_status("connection lost", plain), "-- connection lost");
  EXPECT_EQ(render_local_error("not sent", plain), "! not sent");
  EXPECT_TRUE(has_escape(render_status("x", coloured)));
}

TEST(ClientRender, NickColourIsStable) {
  const json a = {{"type", "message"}, {"room", "r"}, {"from", "alice"}, {"text", "1"}};
  const json b = {{"type", "message"}, {"room", "r"}, {"from", "alice"}, {"text", "2"}};
  const auto first = one(a, coloured);
  const auto second = one(b, coloured);
  EXPECT_EQ(first.substr(0, first.find(':')), second.substr(0, second.find(':')));
}

}  // namespace
}  // namespace chat::client
