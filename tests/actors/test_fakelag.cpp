// Fakelag: the burst runs at once, the rest is held and let through at the
// sustained rate, in order; only a line past the held queue is refused.
#include <gtest/gtest.h>

#include "actors/command_cost.hpp"
#include "actors/error_text.hpp"
#include "actors/fakelag.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;
const auto t0 = fakelag::clock::time_point{} + 1h;

TEST(Fakelag, RunsTheBurstAtOnce) {
  fakelag lag{10, 2, 100};
  for (int i = 0; i < 10; ++i) EXPECT_EQ(lag.admit(t0, 1), t0) << i;
  EXPECT_EQ(lag.held(t0), 0u);
}

TEST(Fakelag, HoldsTheRestAndLetsItThroughAtTheSustainedRate) {
  fakelag lag{10, 2, 100};
  for (int i = 0; i < 10; ++i) lag.admit(t0, 1);
  // A 25-line paste: lines 11..25 run half a second apart, in order.
  for (int i = 1; i <= 15; ++i) EXPECT_EQ(lag.admit(t0, 1), t0 + i * 500ms) << i;
  EXPECT_EQ(lag.held(t0), 15u);
  EXPECT_EQ(lag.held(t0 + 7500ms), 0u) << "(25 - burst) / rate seconds later all ran";
}

TEST(Fakelag, RefusesOnlyALinePastTheHeldQueueAndChargesNothingForIt) {
  fakelag lag{10, 2, 3};
  for (int i = 0; i < 13; ++i) EXPECT_TRUE(lag.admit(t0, 1)) << i;
  EXPECT_FALSE(lag.admit(t0, 1)) << "a fourth held line";
  // The refused line took nothing: the next one to be held runs 0.5 s after the last.
  EXPECT_EQ(lag.admit(t0 + 500ms, 1), t0 + 2000ms);
}

TEST(Fakelag, ChargesByArrivalSoLateProcessingIsNoFlood) {
  // A client typing 5 lines a second for 20 s with a limit of 50 a second:
  // never held, whenever the session gets to the lines.
  fakelag lag{10, 50, 100};
  for (int i = 0; i < 100; ++i) {
    auto arrived = t0 + i * 200ms;
    EXPECT_EQ(lag.admit(arrived, 1), arrived) << i;
  }
}

TEST(Fakelag, RefillsWhileIdleUpToTheBurstOnly) {
  fakelag lag{3, 100, 10};
  for (int i = 0; i < 3; ++i) lag.admit(t0, 1);
  auto later = t0 + 1h;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(lag.admit(later, 1), later) << i;
  EXPECT_GT(*lag.admit(later, 1), later) << "an hour idle stores no more than the burst";
}

TEST(Fakelag, HeavierLinesWaitLongerAndOrderHolds) {
  fakelag lag{4, 2, 100};
  EXPECT_EQ(lag.admit(t0, 4), t0);  // a /create takes the whole burst
  EXPECT_EQ(lag.admit(t0, 1), t0 + 500ms);
  EXPECT_EQ(lag.admit(t0, 0), t0 + 500ms) << "a free line still runs after the one before it";
}

TEST(CommandCost, WeighsWorkAboveChat) {
  command_costs costs;
  EXPECT_EQ(line_cost(parse_line("hello"), costs), costs.chat);
  EXPECT_EQ(line_cost(parse_line("/me waves"), costs), costs.chat);
  EXPECT_EQ(line_cost(parse_line("/who"), costs), costs.listing);
  EXPECT_EQ(line_cost(parse_line("/rooms"), costs), costs.listing);
  EXPECT_EQ(line_cost(parse_line("/create den"), costs), costs.heavy);
  EXPECT_EQ(line_cost(parse_line("/register pw"), costs), costs.heavy);
  EXPECT_EQ(line_cost(parse_line("/quit"), costs), 0);
  EXPECT_EQ(line_cost(parse_line("/nosuchcommand"), costs), costs.chat);
  EXPECT_GT(costs.heavy, costs.chat);
  EXPECT_GT(costs.listing, costs.chat);
}

TEST(ErrorText, NamesTheSubject) {
  EXPECT_EQ(describe_error(error_code::no_such_room, "pyton"),
            "no such room: pyton (/rooms lists them)");
  EXPECT_EQ(describe_error(error_code::rate_limited, ""), "slow down: too many messages");
}

}  // namespace
}  // namespace chat
