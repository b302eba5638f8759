#include "bench/sequence_tracker.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

using verdict = sequence_tracker::verdict;

TEST(SequenceTracker, InOrder) {
  sequence_tracker t;
  for (uint32_t s = 0; s < 1000; ++s) ASSERT_EQ(t.record(s), verdict::in_order);
  EXPECT_EQ(t.distinct(), 1000u);
}

TEST(SequenceTracker, DuplicateOfOldAndOfLatest) {
  sequence_tracker t;
  t.record(0);
  t.record(1);
  EXPECT_EQ(t.record(1), verdict::duplicate);
  EXPECT_EQ(t.record(0), verdict::duplicate);
  EXPECT_EQ(t.distinct(), 2u);
}

TEST(SequenceTracker, GapThenLateArrivalIsOutOfOrder) {
  sequence_tracker t;
  EXPECT_EQ(t.record(0), verdict::in_order);
  EXPECT_EQ(t.record(2), verdict::in_order);  // a gap alone is not reordering
  EXPECT_EQ(t.record(3), verdict::in_order);
  EXPECT_EQ(t.distinct(), 3u);
  EXPECT_EQ(t.record(1), verdict::out_of_order);
  EXPECT_EQ(t.distinct(), 4u);
  EXPECT_EQ(t.record(4), verdict::in_order);
  EXPECT_EQ(t.record(2), verdict::duplicate);
  EXPECT_EQ(t.record(1), verdict::duplicate);
}

TEST(SequenceTracker, DuplicateAboveAGap) {
  sequence_tracker t;
  t.record(5);
  EXPECT_EQ(t.record(5), verdict::duplicate);
  EXPECT_EQ(t.distinct(), 1u);
}

TEST(SequenceTracker, PermanentLossIsCountedByDistinct) {
  sequence_tracker t;
  for (uint32_t s = 0; s < 100; ++s)
    if (s != 7) t.record(s);
  EXPECT_EQ(t.distinct(), 99u);  // sent 100: one lost
}

TEST(SequenceTracker, ReversedOrder) {
  sequence_tracker t;
  EXPECT_EQ(t.record(3), verdict::in_order);
  EXPECT_EQ(t.record(2), verdict::out_of_order);
  EXPECT_EQ(t.record(1), verdict::out_of_order);
  EXPECT_EQ(t.record(0), verdict::out_of_order);
  EXPECT_EQ(t.distinct(), 4u);
  EXPECT_EQ(t.record(4), verdict::in_order);
}

}  // namespace
}  // namespace bench
