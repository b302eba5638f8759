#include <gtest/gtest.h>

#include "actors/error_text.hpp"
#include "actors/rate_limiter.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;

TEST(RateLimiter, AllowsBurstThenRefuses) {
  rate_limiter limiter{10, 2};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(limiter.try_take(t0)) << i;
  EXPECT_FALSE(limiter.try_take(t0));
}

TEST(RateLimiter, RefillsAtTheSustainedRate) {
  rate_limiter limiter{10, 2};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  for (int i = 0; i < 10; ++i) limiter.try_take(t0);
  EXPECT_FALSE(limiter.try_take(t0 + 400ms));  // 0.8 of a token
  EXPECT_TRUE(limiter.try_take(t0 + 500ms));   // one token after half a second
  EXPECT_FALSE(limiter.try_take(t0 + 500ms));
  int taken = 0;
  for (int s = 1; s <= 10; ++s)
    while (limiter.try_take(t0 + 500ms + std::chrono::seconds(s))) ++taken;
  EXPECT_EQ(taken, 20);  // 2 per second, sustained
}

TEST(RateLimiter, NeverStoresMoreThanTheBurst) {
  rate_limiter limiter{3, 100};
  auto t0 = rate_limiter::clock::time_point{} + 1h;
  limiter.try_take(t0);
  EXPECT_DOUBLE_EQ(limiter.available(t0 + 1h), 3.0);
}

TEST(ErrorText, NamesTheSubject) {
  EXPECT_EQ(describe_error(error_code::no_such_room, "pyton"),
            "no such room: pyton (/rooms lists them)");
  EXPECT_EQ(describe_error(error_code::rate_limited, ""), "slow down: too many messages");
}

}  // namespace
}  // namespace chat
