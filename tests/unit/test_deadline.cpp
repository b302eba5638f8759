// The deadline a change carries down its chain (actors/deadline.hpp).
#include <gtest/gtest.h>

#include "actors/deadline.hpp"

namespace chat {
namespace {

using namespace std::chrono_literals;

TEST(Deadline, NoneNeverPassesAndLeavesTheCap) {
  deadline none;
  EXPECT_FALSE(none.passed());
  EXPECT_EQ(none.left(5s), 5s);
}

TEST(Deadline, AFutureOneHasTimeLeftUpToTheCap) {
  auto due = deadline::after(1h);
  EXPECT_FALSE(due.passed());
  EXPECT_EQ(due.left(5s), 5s);  // capped
  EXPECT_GT(due.left(100h), 59min);
  EXPECT_LE(due.left(100h), 1h);
}

TEST(Deadline, APastOneHasPassedAndNothingLeft) {
  auto due = deadline::after(-1ms);
  EXPECT_TRUE(due.passed());
  EXPECT_EQ(due.left(5s), 0ns);
}

}  // namespace
}  // namespace chat
