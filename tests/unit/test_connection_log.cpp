// The gateway's connection log summary (issue 16), with a fake clock.
#include <gtest/gtest.h>

#include "net/connection_log.hpp"

namespace chat::net {
namespace {

using namespace std::chrono_literals;
using clock = connection_summary::clock;

TEST(ConnectionSummary, OneLineAPeriodWithEveryCount) {
  auto t = clock::time_point{} + 100s;
  connection_summary log{t, 60s};
  for (int i = 0; i < 12; ++i) log.opened();
  for (int i = 0; i < 10; ++i) log.closed();
  log.refused("per-network rate", "192.0.2.7/32");
  log.refused("per-network rate", "192.0.2.8/32");
  log.refused("server full", "192.0.2.9/32");
  EXPECT_FALSE(log.take_summary(t + 59s));
  auto line = log.take_summary(t + 60s);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line,
            "connections in the last 60 s: 12 opened, 10 closed, 3 refused "
            "(per-network rate 2, server full 1)");
  EXPECT_FALSE(log.take_summary(t + 61s));  // a new period has begun
}

TEST(ConnectionSummary, QuietPeriodWritesNothingAndCountsStartAgain) {
  auto t = clock::time_point{};
  connection_summary log{t, 60s};
  EXPECT_FALSE(log.take_summary(t + 60s));
  log.opened();
  auto line = log.take_summary(t + 125s);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "connections in the last 65 s: 1 opened, 0 closed, 0 refused");
}

TEST(ConnectionSummary, ARefusedAddressIsLoggedOnceAPeriod) {
  auto t = clock::time_point{};
  connection_summary log{t, 60s};
  EXPECT_TRUE(log.refused("per-network rate", "a"));
  for (int i = 0; i < 1000; ++i) EXPECT_FALSE(log.refused("per-network rate", "a"));
  EXPECT_TRUE(log.refused("per-network open", "b"));
  log.take_summary(t + 60s);
  EXPECT_TRUE(log.refused("per-network rate", "a"));  // the next period: once more
}

TEST(ConnectionSummary, ListedAddressesAreBounded) {
  auto t = clock::time_point{};
  connection_summary log{t, 60s, 3};
  int logged = 0;
  for (int i = 0; i < 100; ++i) logged += log.refused("rate", "net" + std::to_string(i));
  EXPECT_EQ(logged, 3);
  auto line = log.take_summary(t + 60s);
  ASSERT_TRUE(line);
  EXPECT_NE(line->find("100 refused (rate 100)"), std::string::npos) << *line;
}

}  // namespace
}  // namespace chat::net
