#include "bench/line_splitter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace bench {
namespace {

struct collector {
  std::vector<std::string> lines;
  bool operator()(std::string_view line) {
    lines.emplace_back(line);
    return true;
  }
};

TEST(LineSplitter, CrlfAndLf) {
  line_splitter s(100);
  collector c;
  EXPECT_EQ(s.feed("a\r\nb\nc\r\n", std::ref(c)), line_splitter::status::ok);
  EXPECT_EQ(c.lines, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(LineSplitter, LinesAcrossReads) {
  line_splitter s(100);
  collector c;
  s.feed("hel", std::ref(c));
  s.feed("lo\r", std::ref(c));
  EXPECT_TRUE(c.lines.empty());
  s.feed("\nwor", std::ref(c));
  s.feed("ld\n", std::ref(c));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"hello", "world"}));
  EXPECT_EQ(s.pending_bytes(), 0u);
}

TEST(LineSplitter, EmptyLines) {
  line_splitter s(100);
  collector c;
  s.feed("\r\n\n", std::ref(c));
  EXPECT_EQ(c.lines, (std::vector<std::string>{"", ""}));
}

TEST(LineSplitter, StopDropsTheRest) {
  line_splitter s(100);
  int seen = 0;
  auto stop_after_one = [&](std::string_view) { return ++seen < 1; };
  EXPECT_EQ(s.feed("a\nb\nc\n", stop_after_one), line_splitter::status::stopped);
  EXPECT_EQ(seen, 1);
}

TEST(LineSplitter, OverflowInOneReadAndAcrossReads) {
  collector c;
  line_splitter one(4);
  EXPECT_EQ(one.feed("12345\n", std::ref(c)), line_splitter::status::overflow);
  line_splitter across(4);
  EXPECT_EQ(across.feed("123", std::ref(c)), line_splitter::status::ok);
  EXPECT_EQ(across.feed("45", std::ref(c)), line_splitter::status::overflow);
  line_splitter exact(4);
  EXPECT_EQ(exact.feed("1234\n", std::ref(c)), line_splitter::status::ok);
  EXPECT_EQ(c.lines.back(), "1234");
}

}  // namespace
}  // namespace bench
