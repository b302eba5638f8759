// Paces the lines the client sends to the server's input rate, so that a
// paste of any length arrives whole and in order and never meets the server's
// `rate_limited` (docs/protocol.md "Rate limit"). The server holds lines
// beyond its burst and refuses one only when too many are held; the client
// keeps such lines in its own queue instead and lets each go at its time.
//
// The arithmetic is the server's (actors/fakelag.hpp): a generic cell rate
// with a burst and a sustained rate per second, each line charged its cost
// (line_cost below mirrors actors/command_cost.cpp). Until the server says
// its rate (the ok of /login), the server's defaults are assumed.
//
// Pure: the caller passes every time. One per connection; not thread-safe.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chat::client {

struct pace_rate {
  double burst = 10;           // chat lines' worth at once (server default)
  double per_sec = 2;          // chat lines' worth per second, sustained
  std::size_t max_held = 100;  // lines the server would hold beyond the burst
};

// The rate in the json ok of /login ({"rate": {"burst", "per_sec",
// "max_held"}}); nullopt for any other line or a rate that makes no sense.
std::optional<pace_rate> rate_from_reply(const nlohmann::json& reply);

// What a line costs against the server's rate, as the server counts it:
// /quit nothing, /who /rooms /login 2, /create /register 4, anything else 1.
double line_cost(std::string_view line);

class send_pacer {
 public:
  using clock = std::chrono::steady_clock;

  explicit send_pacer(pace_rate rate = {}) : rate_(rate) {}

  // From `now` on, pace to `rate`. What was charged so far stays charged, in
  // lines: the server that counted them at its own rate owes the same.
  void set_rate(pace_rate rate, clock::time_point now);
  const pace_rate& rate() const { return rate_; }

  // Queues a line (without its line end) behind every line queued before.
  void push(std::string line);

  // The queued lines whose time has come at `now`, in order, each charged
  // as sent at `now`.
  std::vector<std::string> take_due(clock::time_point now);

  // When the first queued line may go; nullopt when nothing waits.
  std::optional<clock::time_point> next_due() const;

  std::size_t waiting() const { return queue_.size(); }

  // A new connection: nothing charged, nothing queued, the default rate.
  void reset();

 private:
  struct queued {
    std::string line;
    double cost;
  };
  clock::time_point earliest(double cost) const;

  pace_rate rate_;
  clock::time_point tat_{};  // theoretical arrival time: when the bucket is full again
  std::deque<queued> queue_;
};

}  // namespace chat::client
