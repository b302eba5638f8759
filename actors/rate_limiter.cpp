#include "actors/rate_limiter.hpp"

#include <algorithm>

namespace chat {

rate_limiter::rate_limiter(double burst, double per_sec)
    : burst_(burst), per_sec_(per_sec), tokens_(burst) {}

double rate_limiter::available(clock::time_point now) const {
  if (!started_) return tokens_;
  std::chrono::duration<double> elapsed = now - last_;
  return std::min(burst_, tokens_ + std::max(0.0, elapsed.count()) * per_sec_);
}

bool rate_limiter::try_take(clock::time_point now) {
  tokens_ = available(now);
  last_ = now;
  started_ = true;
  if (tokens_ < 1.0) return false;
  tokens_ -= 1.0;
  return true;
}

}  // namespace chat
