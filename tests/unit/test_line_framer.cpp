// The line framer: line ends, erasing, telnet IAC stripping, the line limit, UTF-8 checks.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "net/line_framer.hpp"

namespace chat::net {
namespace {

using namespace std::string_literals;  // some inputs hold NUL bytes

constexpr std::size_t default_limit = 4096;

std::vector<framed_line> feed(line_framer& framer, const std::string& bytes) {
  std::vector<framed_line> out;
  framer.feed(bytes.data(), bytes.size(), out);
  return out;
}

std::vector<framed_line> frame(const std::string& bytes, std::size_t limit = default_limit) {
  line_framer framer{limit};
  return feed(framer, bytes);
}

// Lines as "ok:text", "too_long" or "bad_encoding", for readable comparisons.
std::vector<std::string> describe(const std::vector<framed_line>& lines) {
  std::vector<std::string> out;
  for (auto& line : lines) {
    switch (line.status) {
      case line_status::ok:
        out.push_back("ok:" + line.text);
        break;
      case line_status::too_long:
        out.push_back("too_long:" + line.text);
        break;
      case line_status::bad_encoding:
        out.push_back("bad_encoding:" + line.text);
        break;
    }
  }
  return out;
}

using described = std::vector<std::string>;

TEST(LineFramer, CrLfEndsALine) {
  EXPECT_EQ(describe(frame("hello\r\n")), (described{"ok:hello"}));
}

TEST(LineFramer, BareLfEndsALine) {
  EXPECT_EQ(describe(frame("hello\n")), (described{"ok:hello"}));
}

TEST(LineFramer, SeveralLinesInOneRead) {
  EXPECT_EQ(describe(frame("a\nb\r\n/join python\n")),
            (described{"ok:a", "ok:b", "ok:/join python"}));
}

TEST(LineFramer, NothingUntilTheLineEnds) {
  line_framer framer{default_limit};
  EXPECT_TRUE(feed(framer, "partial").empty());
  EXPECT_EQ(framer.buffered(), 7u);
  EXPECT_TRUE(feed(framer, " line").empty());
  EXPECT_EQ(describe(feed(framer, "\n")), (described{"ok:partial line"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, EmptyLinesAreSkipped) {
  EXPECT_TRUE(frame("\n\r\n\n\r\n").empty());
  EXPECT_EQ(describe(frame("\r\n\n/who\n")), (described{"ok:/who"}));
  EXPECT_TRUE(frame("\xff\xfb\x01\r\n").empty());  // only telnet negotiation
}

TEST(LineFramer, CrNulEndsALine) {
  // What telnet sends for Enter in character mode (and Windows telnet).
  EXPECT_EQ(describe(frame("bob\r\0/who\r\0"s)), (described{"ok:bob", "ok:/who"}));
}

TEST(LineFramer, BareCrEndsALine) {
  EXPECT_EQ(describe(frame("a\rb\r")), (described{"ok:a", "ok:b"}));
  EXPECT_EQ(describe(frame("a\rb\n")), (described{"ok:a", "ok:b"}));
}

TEST(LineFramer, BareCrIsAnsweredAtOnce) {
  // Nothing follows Enter until the user types again: the CR alone must end it.
  line_framer framer{default_limit};
  EXPECT_EQ(describe(feed(framer, "/who\r")), (described{"ok:/who"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, CrLfCountsOnceAlsoSplitAcrossReads) {
  line_framer framer{default_limit};
  EXPECT_EQ(describe(feed(framer, "a\r")), (described{"ok:a"}));
  EXPECT_TRUE(feed(framer, "\n").empty());
  EXPECT_EQ(describe(feed(framer, "b\r")), (described{"ok:b"}));
  EXPECT_EQ(describe(feed(framer, "\0c\n"s)), (described{"ok:c"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, CrThenTelnetCommandThenLfIsOneLineEnd) {
  EXPECT_EQ(describe(frame("a\r\xff\xf1\nb\n")), (described{"ok:a", "ok:b"}));
}

TEST(LineFramer, OnlyOneByteAfterCrIsSwallowed) {
  // CR LF LF: the second LF ends an empty line (skipped); CR NUL NUL keeps a NUL.
  EXPECT_EQ(describe(frame("a\r\n\nb\n")), (described{"ok:a", "ok:b"}));
  EXPECT_EQ(describe(frame("a\r\0\0b\n"s)), (described{"ok:a", "ok:"s + '\0' + "b"}));
  EXPECT_EQ(describe(frame("abc\r\r\n")), (described{"ok:abc"}));
}

TEST(LineFramer, BackspaceAndDelEraseTheLastCharacter) {
  EXPECT_EQ(describe(frame("abc\x7f\x7f"
                           "d\r\n")),
            (described{"ok:ad"}));
  EXPECT_EQ(describe(frame("abc\b\b"
                           "d\n")),
            (described{"ok:ad"}));
  EXPECT_EQ(describe(frame("/jion\b\b\boin python\r\0"s)), (described{"ok:/join python"}));
}

TEST(LineFramer, EraseTakesAWholeUtf8Character) {
  EXPECT_EQ(describe(frame("xé\x7f\n")), (described{"ok:x"}));    // two bytes
  EXPECT_EQ(describe(frame("x张\x7f\n")), (described{"ok:x"}));   // three bytes
  EXPECT_EQ(describe(frame("x😀\x7fy\n")), (described{"ok:xy"}));  // four bytes
  EXPECT_EQ(describe(frame("张伟\b\b\n")), described{});          // all erased: empty
}

TEST(LineFramer, EraseSplitAcrossReads) {
  line_framer framer{default_limit};
  EXPECT_TRUE(feed(framer, "a\xe5\xbc").empty());
  EXPECT_TRUE(feed(framer, "\xa0\x7f").empty());
  EXPECT_EQ(framer.buffered(), 1u);
  EXPECT_EQ(describe(feed(framer, "b\r\n")), (described{"ok:ab"}));
}

TEST(LineFramer, EraseStopsAtTheStartOfTheLine) {
  // It never reaches into the line before, and erasing nothing is harmless.
  EXPECT_EQ(describe(frame("a\n\x7f\x7f\x7f"
                           "b\n")),
            (described{"ok:a", "ok:b"}));
  EXPECT_TRUE(frame("\x7f\b\r\n").empty());
}

TEST(LineFramer, EraseCanRepairAnInvalidByte) {
  EXPECT_EQ(describe(frame("ok\xc0\x7f\n")), (described{"ok:ok"}));
}

TEST(LineFramer, EraseDoesNotBringBackALineOverTheLimit) {
  EXPECT_EQ(describe(frame(std::string(11, 'x') + "\x7f\x7f\r\n", 10)), (described{"too_long:"}));
  EXPECT_EQ(describe(frame(std::string(10, 'x') + "\x7f"
                                                  "y\n",
                           10)),
            (described{"ok:" + std::string(9, 'x') + "y"}));
}

TEST(LineFramer, SawTelnetOnlyAfterATelnetCommand) {
  line_framer framer{default_limit};
  feed(framer, "bob\r\n\xff\xff\n");  // IAC IAC is data, not telnet
  EXPECT_FALSE(framer.saw_telnet());
  feed(framer, "\xff");
  EXPECT_FALSE(framer.saw_telnet());
  feed(framer, "\xfd\x01");  // IAC DO ECHO
  EXPECT_TRUE(framer.saw_telnet());
}

TEST(LineFramer, NegotiationIsKeptForTheAnswerAndTakenOnce) {
  line_framer framer{default_limit};
  std::vector<framed_line> out;
  // IAC DO SGA, then IAC WILL NAWS split across reads, a subnegotiation and
  // IAC NOP (neither is a negotiation), data around them.
  framer.feed("a\xff\xfd\x03", 4, out);
  framer.feed("\xff\xfb", 2, out);
  framer.feed(
      "\x1f\xff\xfa\x1f\x00\x50\xff\xf0\xff\xf1"
      "b\n",
      12, out);
  EXPECT_EQ(describe(out), (described{"ok:ab"}));
  EXPECT_EQ(framer.take_negotiation(), "\xfd\x03\xfb\x1f");
  EXPECT_EQ(framer.take_negotiation(), "");
}

TEST(LineFramer, KeepsUnicodeText) {
  EXPECT_EQ(describe(frame("héllo 张伟 😀\r\n")), (described{"ok:héllo 张伟 😀"}));
}

// A stream that exercises every state: CRLF and LF, multi-byte characters,
// every IAC form, an overlong line, bad UTF-8 and empty lines.
std::string rich_stream() {
  return std::string{"/join python\r\n"} + "hé 张\xff\xfb\x01llo\n" + "\r\n" +
         "a\xff\xfa\x1f\x00\x0a\xff\xff\xff\xf0"s + "b\r\n" + "x\xff\xf1y\n" + "bad\xc0\xaf\n" +
         "\xff\xff\n" + std::string(20, 'z') + "\r\n" + "last 😀\r\n";
}

described rich_expected() {
  return {"ok:/join python", "ok:hé 张llo",   "ok:ab",     "ok:xy",
          "bad_encoding:",   "bad_encoding:", "too_long:", "ok:last 😀"};
}

TEST(LineFramer, RichStreamInOneRead) {
  EXPECT_EQ(describe(frame(rich_stream(), 16)), rich_expected());
}

TEST(LineFramer, SplitAcrossTwoReadsAtEveryPosition) {
  auto stream = rich_stream();
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    line_framer framer{16};
    auto lines = feed(framer, stream.substr(0, cut));
    auto rest = feed(framer, stream.substr(cut));
    lines.insert(lines.end(), rest.begin(), rest.end());
    EXPECT_EQ(describe(lines), rich_expected()) << "cut at " << cut;
  }
}

TEST(LineFramer, OneByteAtATime) {
  auto stream = rich_stream();
  line_framer framer{16};
  std::vector<framed_line> lines;
  for (char byte : stream) framer.feed(&byte, 1, lines);
  EXPECT_EQ(describe(lines), rich_expected());
}

TEST(LineFramer, OptionNegotiationIsStripped) {
  for (unsigned char verb : {251, 252, 253, 254}) {  // WILL, WONT, DO, DONT
    std::string line = "/lo";
    line += '\xff';
    line += static_cast<char>(verb);
    line += "\x03ok\r\n";
    EXPECT_EQ(describe(frame(line)), (described{"ok:/look"})) << int{verb};
  }
}

TEST(LineFramer, OptionByteMayLookLikeANewline) {
  EXPECT_EQ(describe(frame("ab\xff\xfd\ncd\n")), (described{"ok:abcd"}));
}

TEST(LineFramer, SubnegotiationIsStrippedEvenWithNewlinesInside) {
  // IAC SB NAWS 0 10 0 24 IAC SE: a window 10 columns wide contains 0x0A.
  EXPECT_EQ(describe(frame("ab\xff\xfa\x1f\x00\x0a\x00\x18\xff\xf0"s + "cd\n")),
            (described{"ok:abcd"}));
}

TEST(LineFramer, SubnegotiationEndsOnlyAtIacSe) {
  // An escaped IAC IAC and a lone SE inside do not end it.
  EXPECT_EQ(describe(frame("\xff\xfa\x18\xff\xff\xf0\x01\xff\xf0ok\n")), (described{"ok:ok"}));
}

TEST(LineFramer, OtherCommandsAreTwoBytes) {
  EXPECT_EQ(describe(frame("a\xff\xf1"
                           "b\xff\xf9"
                           "c\xff\xf4\n")),
            (described{"ok:abc"}));
}

TEST(LineFramer, IacIacIsAByte0xFFWhichIsBadUtf8) {
  EXPECT_EQ(describe(frame("a\xff\xff"
                           "b\n")),
            (described{"bad_encoding:"}));
}

TEST(LineFramer, IacSplitAcrossReads) {
  line_framer framer{default_limit};
  EXPECT_TRUE(feed(framer, "ab\xff").empty());
  EXPECT_TRUE(feed(framer, "\xfb").empty());
  EXPECT_TRUE(feed(framer,
                   "\x01"
                   "cd\xff")
                  .empty());
  EXPECT_TRUE(feed(framer, "\xfa\x1f\x00"s).empty());
  EXPECT_TRUE(feed(framer, "\x50\xff").empty());
  EXPECT_EQ(describe(feed(framer,
                          "\xf0"
                          "ef\n")),
            (described{"ok:abcdef"}));
}

TEST(LineFramer, LineAtTheLimitFits) {
  auto line = std::string(10, 'x');
  EXPECT_EQ(describe(frame(line + "\n", 10)), (described{"ok:" + line}));
  EXPECT_EQ(describe(frame(line + "\r\n", 10)), (described{"ok:" + line}));
}

TEST(LineFramer, LineOverTheLimitIsReportedOnceAndDiscarded) {
  line_framer framer{10};
  EXPECT_TRUE(feed(framer, std::string(11, 'x')).empty());
  EXPECT_TRUE(feed(framer, std::string(100, 'y')).empty());
  auto lines = feed(framer, "\r\nnext\n");
  EXPECT_EQ(describe(lines), (described{"too_long:", "ok:next"}));
}

TEST(LineFramer, TenMegabytesWithoutNewlineStayWithinTheLimit) {
  line_framer framer{default_limit};
  std::string chunk(64 * 1024, 'x');
  std::vector<framed_line> lines;
  for (int i = 0; i < 160; ++i) {
    framer.feed(chunk.data(), chunk.size(), lines);
    ASSERT_LE(framer.buffered(), default_limit) << "after chunk " << i;
  }
  EXPECT_TRUE(lines.empty());
  framer.feed("\r\n/who\n", 7, lines);
  EXPECT_EQ(describe(lines), (described{"too_long:", "ok:/who"}));
  EXPECT_EQ(framer.buffered(), 0u);
}

TEST(LineFramer, BufferedNeverExceedsTheLimitByteByByte) {
  line_framer framer{8};
  std::vector<framed_line> lines;
  for (char byte : std::string(50, 'q') + "\r\r\r") {
    framer.feed(&byte, 1, lines);
    ASSERT_LE(framer.buffered(), 8u);
  }
}

TEST(LineFramer, BadUtf8IsReportedWithEmptyText) {
  for (const char* bad : {"\xc0\xaf",          // overlong '/'
                          "\xe0\x80\xaf",      // overlong, three bytes
                          "\xf0\x80\x80\xaf",  // overlong, four bytes
                          "\xed\xa0\x80",      // surrogate U+D800
                          "\xed\xbf\xbf",      // surrogate U+DFFF
                          "ab\xe4\xbd",        // truncated at the end
                          "\xe4\xbd"
                          "x",                 // truncated before ASCII
                          "\x80",              // stray continuation byte
                          "\xf4\x90\x80\x80",  // past U+10FFFF
                          "\xf8\x88\x80\x80\x80", "\xfe"}) {
    auto lines = frame(std::string{bad} + "\r\nok\n");
    EXPECT_EQ(describe(lines), (described{"bad_encoding:", "ok:ok"}))
        << testing::PrintToString(std::string{bad});
  }
}

TEST(LineFramerUtf8, AcceptsTheBoundaryCodePoints) {
  for (const char* good :
       {"\x7f", "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xed\x9f\xbf", "\xee\x80\x80",
        "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf4\x8f\xbf\xbf", ""})
    EXPECT_TRUE(is_valid_utf8(good)) << testing::PrintToString(std::string{good});
}

TEST(LineFramerUtf8, RejectsJustPastTheBoundaries) {
  for (const char* bad :
       {"\xc1\xbf", "\xe0\x9f\xbf", "\xed\xa0\x80", "\xf0\x8f\xbf\xbf", "\xf4\x90\x80\x80",
        "\xf5\x80\x80\x80", "\xc2", "\xc2\xc0", "\xe1\x80\xc0"})
    EXPECT_FALSE(is_valid_utf8(bad)) << testing::PrintToString(std::string{bad});
}

TEST(LineFramer, NulBytesAreValidText) {
  std::string line{"a\0b", 3};
  auto lines = frame(line + "\n");
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].status, line_status::ok);
  EXPECT_EQ(lines[0].text, line);
}

}  // namespace
}  // namespace chat::net
