#include "apps/chat/backoff.hpp"

#include <algorithm>

namespace chat::client {

backoff::backoff(backoff_settings settings, uint32_t seed) : settings_(settings), random_(seed) {
  reset();
}

std::chrono::milliseconds backoff::next() {
  const double cap_ms = static_cast<double>(settings_.cap.count());
  double wait_ms = std::min(base_ms_, cap_ms);
  if (settings_.jitter > 0) {
    std::uniform_real_distribution<double> spread(-settings_.jitter, settings_.jitter);
    wait_ms = std::min(cap_ms, wait_ms * (1.0 + spread(random_)));
  }
  base_ms_ = std::min(base_ms_ * settings_.factor, cap_ms);
  ++attempts_;
  return std::chrono::milliseconds(static_cast<int64_t>(std::max(0.0, wait_ms)));
}

void backoff::reset() {
  base_ms_ = static_cast<double>(settings_.initial.count());
  attempts_ = 0;
}

}  // namespace chat::client
