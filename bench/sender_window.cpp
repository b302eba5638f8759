#include "bench/sender_window.hpp"

#include <algorithm>

namespace bench {

sender_window::sender_window(uint32_t capacity)
    : capacity_(std::max<uint32_t>(capacity, 1)),
      remaining_(capacity_, 0),
      sent_at_(capacity_, 0) {}

uint32_t sender_window::on_sent(uint32_t receivers, int64_t now_ns) {
  uint32_t seq = next_++;
  remaining_[seq % capacity_] = receivers;
  sent_at_[seq % capacity_] = now_ns;
  advance();  // a message nobody else must receive is complete at once
  return seq;
}

bool sender_window::on_delivered(uint32_t seq) {
  // Only messages in flight occupy a slot; anything else is not ours to count.
  if (seq < oldest_ || seq >= next_) return false;
  uint32_t& left = remaining_[seq % capacity_];
  if (left == 0) return false;
  --left;
  uint32_t before = oldest_;
  advance();
  return oldest_ != before;
}

uint32_t sender_window::expire_sent_before(int64_t cutoff_ns) {
  uint32_t expired = 0;
  // Messages go out in order, so the old ones are at the front.
  while (oldest_ < next_ && sent_at_[oldest_ % capacity_] < cutoff_ns) {
    if (remaining_[oldest_ % capacity_] != 0) ++expired;
    remaining_[oldest_ % capacity_] = 0;
    ++oldest_;
  }
  advance();
  return expired;
}

void sender_window::advance() {
  while (oldest_ < next_ && remaining_[oldest_ % capacity_] == 0) ++oldest_;
}

}  // namespace bench
