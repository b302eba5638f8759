// End to end: /tz. Text-mode times name their zone; a chosen zone applies to
// room events and private messages, is kept with a registration, and json
// `ts` stays UTC.
#include <gtest/gtest.h>

#include <regex>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2ETimeZone : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};

  void log_in(client& c, const std::string& nick, const std::string& password = "") {
    c.send_line("/login " + nick + (password.empty() ? "" : " " + password));
    ASSERT_TRUE(c.read_until("* you are " + nick).has_value());
  }
};

// "[hh:mm:ss ZONE] " at the start of the line that contains `text`.
std::string zone_of_line(client& c, const std::string& text) {
  auto got = c.read_until(text);
  if (!got) return "timeout";
  auto start = got->rfind("\r\n");
  auto line = got->substr(start == std::string::npos ? 0 : start + 2);
  std::smatch m;
  if (!std::regex_search(line, m, std::regex(R"(^\[\d\d:\d\d:\d\d ([A-Z+\-0-9]+)\] )")))
    return "no time: " + line;
  return m[1];
}

TEST_F(E2ETimeZone, TextTimesNameTheirZoneAndTzChangesIt) {
  client alice{server.port()}, bob{server.port()};
  log_in(alice, "alice");
  log_in(bob, "bob");
  alice.send_line("/join general");
  ASSERT_TRUE(alice.read_until("* you joined general").has_value());
  bob.send_line("/join general");
  EXPECT_EQ(zone_of_line(alice, "* bob joined general"), "UTC");
  alice.send_line("/tz Asia/Tokyo");
  ASSERT_TRUE(alice.read_until("* times are shown in Asia/Tokyo\r\n").has_value());
  bob.send_line("hello");
  EXPECT_EQ(zone_of_line(alice, "bob: hello"), "JST");  // a room event, in alice's zone
  EXPECT_EQ(zone_of_line(bob, "bob: hello"), "UTC");    // bob's own stays UTC
  bob.send_line("/msg alice psst");
  EXPECT_EQ(zone_of_line(alice, "[pm] bob -> alice: psst"), "JST");  // a private message too
  alice.send_line("/tz Mars/Olympus");
  auto refused = alice.read_until("UTC)\r\n");
  ASSERT_TRUE(refused.has_value());
  EXPECT_NE(refused->find("! tz: no such time zone: Mars/Olympus (an IANA name"), std::string::npos)
      << *refused;
}

TEST_F(E2ETimeZone, ARegisteredUsersZoneIsKeptAndJsonStaysUtc) {
  {
    client a{server.port()};
    ASSERT_EQ(a.login("erin")["type"], "ok");
    ASSERT_EQ(a.command("/register pw")["type"], "ok");
    auto tz = a.command("/tz Europe/Berlin");
    EXPECT_EQ(tz["zone"], "Europe/Berlin");
    EXPECT_EQ(tz["kept"], true);
    a.send_line("/quit");
    ASSERT_TRUE(a.wait_closed());
  }
  client b{server.port()};
  ASSERT_EQ(b.login("erin", "pw")["type"], "ok");
  EXPECT_EQ(b.command("/tz")["zone"], "Europe/Berlin");  // kept with the account
  ASSERT_EQ(b.command("/join general")["type"], "ok");
  b.send_line("hi");
  auto msg = b.event("message");
  EXPECT_EQ(msg["ts"].get<std::string>().back(), 'Z');  // json ts stays UTC
  b.send_line("/mode text");
  ASSERT_TRUE(b.read_until("* output mode: text\r\n").has_value());
  b.send_line("again");
  auto zone = zone_of_line(b, "erin: again");
  EXPECT_TRUE(zone == "CET" || zone == "CEST") << zone;
  client c{server.port()};
  ASSERT_EQ(c.login("fay")["type"], "ok");
  EXPECT_EQ(c.command("/tz Europe/Berlin")["kept"], false);  // not registered: session only
}

}  // namespace
}  // namespace chat::test
