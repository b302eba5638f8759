#include "apps/chat/backoff.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using std::chrono::milliseconds;

backoff_settings no_jitter() {
  backoff_settings settings;
  settings.jitter = 0;
  return settings;
}

TEST(ClientBackoff, DoublesFromHalfASecondUpToThirtySeconds) {
  backoff schedule(no_jitter());
  const std::vector<int64_t> expected = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000};
  for (int64_t ms : expected) EXPECT_EQ(schedule.next(), milliseconds(ms));
  EXPECT_EQ(schedule.attempts(), static_cast<int>(expected.size()));
}

TEST(ClientBackoff, StartsOverAfterReset) {
  backoff schedule(no_jitter());
  schedule.next();
  schedule.next();
  schedule.next();
  schedule.reset();
  EXPECT_EQ(schedule.attempts(), 0);
  EXPECT_EQ(schedule.next(), milliseconds(500));
  EXPECT_EQ(schedule.next(), milliseconds(1000));
}

TEST(ClientBackoff, OtherSettings) {
  backoff_settings settings{milliseconds(100), milliseconds(250), 3.0, 0.0};
  backoff schedule(settings);
  EXPECT_EQ(schedule.next(), milliseconds(100));
  EXPECT_EQ(schedule.next(), milliseconds(250));
  EXPECT_EQ(schedule.next(), milliseconds(250));
}

TEST(ClientBackoff, JitterStaysWithinItsSpreadAndTheCap) {
  backoff_settings settings;  // jitter 0.2 by default
  backoff schedule(settings, 42);
  const std::vector<double> base = {500, 1000, 2000, 4000, 8000, 16000, 30000, 30000};
  bool varied = false;
  for (double ms : base) {
    const auto wait = static_cast<double>(schedule.next().count());
    EXPECT_GE(wait, ms * 0.8 - 1);
    EXPECT_LE(wait, std::min(ms * 1.2, 30000.0));
    varied = varied || wait != ms;
  }
  EXPECT_TRUE(varied);
}

TEST(ClientBackoff, SameSeedSameSchedule) {
  backoff a(backoff_settings{}, 7);
  backoff b(backoff_settings{}, 7);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
}

}  // namespace
}  // namespace chat::client
