#include "bench/sender_window.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(SenderWindow, FillsUpToCapacity) {
  sender_window w(3);
  for (uint32_t i = 0; i < 3; ++i) {
    ASSERT_TRUE(w.can_send());
    EXPECT_EQ(w.on_sent(2), i);
  }
  EXPECT_FALSE(w.can_send());
  EXPECT_EQ(w.in_flight(), 3u);
}

TEST(SenderWindow, MessageCompletesWhenEveryReceiverHasIt) {
  sender_window w(2);
  w.on_sent(2);
  w.on_sent(2);
  EXPECT_FALSE(w.on_delivered(0));
  EXPECT_FALSE(w.can_send());
  EXPECT_TRUE(w.on_delivered(0));
  EXPECT_TRUE(w.can_send());
  EXPECT_EQ(w.in_flight(), 1u);
}

TEST(SenderWindow, LaterCompletionWaitsForTheOldest) {
  sender_window w(2);
  w.on_sent(1);
  w.on_sent(1);
  EXPECT_FALSE(w.on_delivered(1));  // done, but message 0 still holds the window
  EXPECT_EQ(w.in_flight(), 2u);
  EXPECT_TRUE(w.on_delivered(0));
  EXPECT_EQ(w.in_flight(), 0u);
}

TEST(SenderWindow, IgnoresWhatIsNotInFlight) {
  sender_window w(2);
  w.on_sent(1);
  EXPECT_TRUE(w.on_delivered(0));
  EXPECT_FALSE(w.on_delivered(0));  // already complete
  EXPECT_FALSE(w.on_delivered(5));  // never sent
  EXPECT_EQ(w.in_flight(), 0u);
}

TEST(SenderWindow, NoReceiversCompletesAtOnce) {
  sender_window w(1);
  w.on_sent(0);
  EXPECT_TRUE(w.can_send());
  EXPECT_EQ(w.sent(), 1u);
}

TEST(SenderWindow, SlotsAreReusedAcrossWraps) {
  sender_window w(4);
  for (uint32_t seq = 0; seq < 100; ++seq) {
    ASSERT_TRUE(w.can_send());
    ASSERT_EQ(w.on_sent(3), seq);
    if (seq >= 3) {
      uint32_t done = seq - 3;
      w.on_delivered(done);
      w.on_delivered(done);
      ASSERT_TRUE(w.on_delivered(done));
    }
  }
  EXPECT_EQ(w.in_flight(), 3u);
}

TEST(SenderWindow, LostMessagesExpire) {
  sender_window w(2);
  w.on_sent(1, 100);
  w.on_sent(1, 200);
  EXPECT_FALSE(w.can_send());
  EXPECT_EQ(w.expire_sent_before(100), 0u);  // nothing older than 100
  EXPECT_EQ(w.expire_sent_before(150), 1u);
  EXPECT_TRUE(w.can_send());
  EXPECT_FALSE(w.on_delivered(0));  // a late arrival of an expired message changes nothing
  EXPECT_TRUE(w.on_delivered(1));
  EXPECT_EQ(w.in_flight(), 0u);
}

TEST(SenderWindow, ExpiryStopsAtTheFirstYoungMessage) {
  sender_window w(4);
  w.on_sent(1, 100);
  w.on_sent(1, 300);
  w.on_sent(1, 50);  // clocks only move forward, but be safe: order of sending rules
  EXPECT_EQ(w.expire_sent_before(200), 1u);
  EXPECT_EQ(w.in_flight(), 2u);
}

}  // namespace
}  // namespace bench
