#include "bench/payload.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(Payload, RoundTrip) {
  std::string text;
  append_payload(text, payload{12, 345, 6789012345678});
  EXPECT_EQ(text, "s12#345#6789012345678");
  auto p = parse_payload(text);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sender, 12u);
  EXPECT_EQ(p->seq, 345u);
  EXPECT_EQ(p->sent_ns, 6789012345678);
}

TEST(Payload, PaddingRoundTrips) {
  std::string text;
  append_payload(text, payload{0, 0, 0}, 5);
  EXPECT_EQ(text, "s0#0#0#xxxxx");
  auto p = parse_payload(text);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sent_ns, 0);
}

TEST(Payload, LimitsRoundTrip) {
  std::string text;
  append_payload(text, payload{UINT32_MAX, UINT32_MAX, INT64_MAX});
  auto p = parse_payload(text);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sender, UINT32_MAX);
  EXPECT_EQ(p->seq, UINT32_MAX);
  EXPECT_EQ(p->sent_ns, INT64_MAX);
}

TEST(Payload, RejectsOtherText) {
  for (const char* text :
       {"", "hello", "s", "s1", "s1#2", "s1#2#", "x1#2#3", "s1#2#3#", "s1#2#3#xy z", "s-1#2#3",
        "s1#2#-3", "s01#2#3", "s1#2#3x", "s4294967296#0#0", "s1##3", "s 1#2#3"}) {
    EXPECT_FALSE(parse_payload(text)) << text;
  }
}

}  // namespace
}  // namespace bench
