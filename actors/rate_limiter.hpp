// A token bucket: `burst` lines at once, refilled at `per_sec` lines per second.
// Pure (the caller passes the time), so it is tested without clocks.
// Owned by one session; not thread-safe.
#pragma once

#include <chrono>

namespace chat {

class rate_limiter {
 public:
  using clock = std::chrono::steady_clock;

  rate_limiter(double burst, double per_sec);

  // Takes one token if there is one. Returns false (and takes nothing) otherwise.
  bool try_take(clock::time_point now);

  // Tokens available at `now` (for tests and diagnostics).
  double available(clock::time_point now) const;

 private:
  double burst_;
  double per_sec_;
  double tokens_;
  clock::time_point last_{};
  bool started_ = false;
};

}  // namespace chat
