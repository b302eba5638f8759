// End to end: what the framer does with odd input, seen from a client.
#include <gtest/gtest.h>

#include "harness.hpp"

namespace chat::test {
namespace {

class E2EInput : public ::testing::Test {
 protected:
  temp_dir dir;
  server_process server{dir.path()};
  client c{server.port()};
  void SetUp() override { ASSERT_EQ(c.login("ivan")["type"], "ok"); }
};

TEST_F(E2EInput, OverlongLineIsRefusedAndConnectionStays) {
  auto err = c.command(std::string(5000, 'a'));
  EXPECT_EQ(err["type"], "error");
  EXPECT_EQ(err["code"], "line_too_long");
  EXPECT_TRUE(err["cmd"].is_null());
  EXPECT_EQ(c.command("/look")["code"], "not_in_room");  // still connected, still in order
  auto fits = c.command("/msg ivan " + std::string(4000, 'b'));
  EXPECT_EQ(fits["type"], "ok");
}

TEST_F(E2EInput, InvalidUtf8IsRefused) {
  c.send_raw("\xc3\x28 oops\r\n");  // a lead byte without its continuation
  auto err = c.reply();
  EXPECT_EQ(err["code"], "bad_encoding");
  c.send_raw("\xc0\xaf\n");  // overlong '/'
  EXPECT_EQ(c.reply()["code"], "bad_encoding");
  EXPECT_EQ(c.command("/who")["type"], "ok");
}

// What `telnet` in character mode (and Windows telnet) sends: CR NUL or a bare
// CR for Enter, DEL for Backspace; each line is answered without waiting for an LF.
TEST_F(E2EInput, CrNulBareCrAndDeleteWorkLikeATerminal) {
  c.send_raw(std::string("/who\r\0", 6));
  EXPECT_EQ(c.reply()["cmd"], "who");
  c.send_raw("/lox\x7fok\r");  // "/look", ended by a bare CR
  EXPECT_EQ(c.reply()["code"], "not_in_room");
  c.send_raw("\n/w\xc3\xa9\bho\r\n");  // the LF after the CR ends nothing more; é erased
  EXPECT_EQ(c.reply()["cmd"], "who");
}

TEST_F(E2EInput, LineOfBlanksGetsNoReply) {
  c.send_raw("   \t \r\n/who\r\n");
  EXPECT_EQ(c.reply()["cmd"], "who");  // the first reply is that of /who
}

TEST_F(E2EInput, BareLfTelnetNegotiationAndEmptyLinesAreHandled) {
  c.send_raw("\r\n\n/who\n");  // empty lines get no reply at all
  EXPECT_EQ(c.reply()["cmd"], "who");
  c.send_raw("\xff\xfb\x01/lo\xff\xfd\x03ok\r\n");  // IAC WILL ECHO, IAC DO SGA inside a line
  // A client that negotiates is answered (DONT ECHO, WILL SGA) before the reply.
  ASSERT_TRUE(c.read_until("\xff\xfe\x01\xff\xfb\x03").has_value());
  EXPECT_EQ(c.reply()["code"], "not_in_room");  // the line was "/look"
}

TEST_F(E2EInput, TenMegabytesWithoutNewlineDoNotGrowMemory) {
  auto before = server.rss_kib();
  std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 160; ++i) c.send_raw(chunk);  // 10 MiB, no newline
  c.send_raw("\r\n");
  EXPECT_EQ(c.reply(10s)["code"], "line_too_long");
  auto after = server.rss_kib();
  EXPECT_LT(after - before, 4 * 1024) << "RSS grew from " << before << " to " << after << " KiB";
  EXPECT_EQ(c.command("/who")["type"], "ok");
}

}  // namespace
}  // namespace chat::test
