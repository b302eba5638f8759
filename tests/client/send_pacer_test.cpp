#include "apps/chat/send_pacer.hpp"

#include <gtest/gtest.h>

namespace chat::client {
namespace {

using namespace std::chrono_literals;
using clock = send_pacer::clock;

const clock::time_point t0 = clock::time_point{} + 1000s;

// `count` chat lines pushed at once.
send_pacer pushed(std::size_t count, pace_rate rate = {}) {
  send_pacer pacer(rate);
  for (std::size_t i = 0; i < count; ++i) pacer.push("line " + std::to_string(i));
  return pacer;
}

TEST(SendPacer, TheBurstGoesAtOnce) {
  auto pacer = pushed(10);
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
  EXPECT_EQ(pacer.waiting(), 0u);
  EXPECT_FALSE(pacer.next_due());
}

TEST(SendPacer, BeyondTheBurstOneLinePerIntervalInOrder) {
  auto pacer = pushed(13);  // defaults: burst 10, 2 per second
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
  EXPECT_EQ(pacer.waiting(), 3u);
  ASSERT_TRUE(pacer.next_due());
  EXPECT_EQ(*pacer.next_due(), t0 + 500ms);
  EXPECT_TRUE(pacer.take_due(t0 + 499ms).empty());
  EXPECT_EQ(pacer.take_due(t0 + 500ms), std::vector<std::string>{"line 10"});
  EXPECT_EQ(*pacer.next_due(), t0 + 1000ms);
  EXPECT_EQ(pacer.take_due(t0 + 1500ms),
            (std::vector<std::string>{"line 11", "line 12"}));  // a late wake-up sends both due
  EXPECT_EQ(pacer.waiting(), 0u);
}

TEST(SendPacer, NeverFasterThanTheServerWouldTake) {
  // 300 lines at the default rate: the n-th line beyond the burst goes no
  // earlier than n / per_sec seconds after the start, and all go in order.
  auto pacer = pushed(300);
  auto now = t0;
  std::size_t sent = 0;
  while (pacer.waiting() > 0) {
    for (const auto& line : pacer.take_due(now)) {
      EXPECT_EQ(line, "line " + std::to_string(sent));
      if (sent >= 10) {
        EXPECT_GE(now - t0, std::chrono::duration<double>((sent - 9) / 2.0) - 1us) << sent;
      }
      ++sent;
    }
    if (auto next = pacer.next_due()) now = *next;
  }
  EXPECT_EQ(sent, 300u);
  EXPECT_LE(now - t0, 146s);  // (300 - 10) / 2 s, not later
}

TEST(SendPacer, TypingAtTheSustainedRateIsNeverDelayed) {
  send_pacer pacer;
  for (int i = 0; i < 100; ++i) {
    pacer.push("typed");
    EXPECT_EQ(pacer.take_due(t0 + i * 600ms).size(), 1u) << i;  // slower than 2 per second
  }
}

TEST(SendPacer, TheBudgetRefillsWhileIdle) {
  auto pacer = pushed(10);
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
  for (int i = 0; i < 10; ++i) pacer.push("again");
  EXPECT_EQ(pacer.take_due(t0 + 5s).size(), 10u);  // 5 s at 2 per second: a full burst
}

TEST(SendPacer, CommandsCostWhatTheServerCharges) {
  EXPECT_EQ(line_cost("hello"), 1);
  EXPECT_EQ(line_cost("/me waves"), 1);
  EXPECT_EQ(line_cost("/WHO"), 2);
  EXPECT_EQ(line_cost("/rooms"), 2);
  EXPECT_EQ(line_cost("/login alice"), 2);
  EXPECT_EQ(line_cost("/create den"), 4);
  EXPECT_EQ(line_cost("/register secret"), 4);
  EXPECT_EQ(line_cost("/quit bye"), 0);
  EXPECT_EQ(line_cost("/whois"), 1);  // not /who
}

TEST(SendPacer, HeavyCommandsUseMoreOfTheBurst) {
  send_pacer pacer;
  pacer.push("/create a");  // 4
  pacer.push("/create b");  // 8
  pacer.push("/create c");  // 12 > 10: waits until 2 units came back
  EXPECT_EQ(pacer.take_due(t0).size(), 2u);
  EXPECT_EQ(*pacer.next_due(), t0 + 1s);
}

TEST(SendPacer, QuitIsNeverHeldByItsPriceButWaitsItsTurn) {
  auto pacer = pushed(11);
  pacer.push("/quit");
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
  EXPECT_EQ(pacer.take_due(t0 + 500ms), (std::vector<std::string>{"line 10", "/quit"}));
}

TEST(SendPacer, ANewRateAppliesFromNowOn) {
  auto pacer = pushed(20);
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
  // 10 lines owed: 5 s at 2 per second, 200 ms at 50.
  pacer.set_rate({10, 50, 20}, t0);
  EXPECT_EQ(*pacer.next_due(), t0 + 20ms);
}

TEST(SendPacer, ARateLearnedAfterTheHandshakeDoesNotStallThePaste) {
  send_pacer pacer;
  pacer.push("/mode json");
  pacer.push("/login alice");
  pacer.push("/join general");
  EXPECT_EQ(pacer.take_due(t0).size(), 3u);  // 4 lines' worth: 2 s owed at 2 per second
  pacer.set_rate({10, 50, 20}, t0 + 50ms);   // 1.95 s at 2 = 3.9 lines = 78 ms at 50
  for (int i = 0; i < 6; ++i) pacer.push("x");
  EXPECT_EQ(pacer.take_due(t0 + 50ms).size(), 6u);
}

TEST(SendPacer, ResetForgetsQueueBudgetAndRate) {
  auto pacer = pushed(20);
  pacer.take_due(t0);
  pacer.set_rate({5, 1, 3}, t0);
  pacer.reset();
  EXPECT_EQ(pacer.waiting(), 0u);
  EXPECT_EQ(pacer.rate().burst, 10);
  for (int i = 0; i < 10; ++i) pacer.push("x");
  EXPECT_EQ(pacer.take_due(t0).size(), 10u);
}

TEST(SendPacer, RateFromTheLoginOk) {
  auto ok = nlohmann::json::parse(
      R"({"type":"ok","cmd":"login","nick":"a","rate":{"burst":12,"per_sec":3.5,"max_held":40},"registered":false})");
  auto rate = rate_from_reply(ok);
  ASSERT_TRUE(rate);
  EXPECT_EQ(rate->burst, 12);
  EXPECT_EQ(rate->per_sec, 3.5);
  EXPECT_EQ(rate->max_held, 40u);
}

TEST(SendPacer, NoRateFromOtherOrNonsensicalReplies) {
  using nlohmann::json;
  EXPECT_FALSE(rate_from_reply(json::parse(R"({"type":"ok","cmd":"login","nick":"a"})")));
  EXPECT_FALSE(rate_from_reply(
      json::parse(R"({"type":"ok","cmd":"join","rate":{"burst":1,"per_sec":1,"max_held":1}})")));
  EXPECT_FALSE(rate_from_reply(
      json::parse(R"({"type":"ok","cmd":"login","rate":{"burst":10,"per_sec":0,"max_held":1}})")));
  EXPECT_FALSE(rate_from_reply(
      json::parse(R"({"type":"ok","cmd":"login","rate":{"burst":-1,"per_sec":2,"max_held":1}})")));
  EXPECT_FALSE(rate_from_reply(json::parse(
      R"({"type":"ok","cmd":"login","rate":{"burst":"10","per_sec":2,"max_held":1}})")));
  EXPECT_FALSE(rate_from_reply(json::parse(R"({"type":"ok","cmd":"login","rate":7})")));
  EXPECT_FALSE(rate_from_reply(json::parse(R"([1,2])")));
}

}  // namespace
}  // namespace chat::client
