// The reconnect schedule: how long to wait before each attempt after the
// connection to the server was lost. Exponential from `initial` up to `cap`,
// with optional random spread. Pure: the random source is seeded by the
// caller, so a schedule can be replayed. Owned by one client loop; not
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

#include "apps/chat/settings.hpp"

namespace chat::client {

class backoff {
 public:
  explicit backoff(backoff_settings settings, uint32_t seed = 0);

  // The wait before the next attempt; each call counts one failed attempt.
  std::chrono::milliseconds next();

  // After a successful login the schedule starts over.
  void reset();

  // Attempts counted since the last reset.
  int attempts() const { return attempts_; }

 private:
  backoff_settings settings_;
  std::mt19937 random_;
  double base_ms_ = 0;  // the wait without spread, for the next attempt
  int attempts_ = 0;
};

}  // namespace chat::client
