// The in-flight window of one sender. A message is in flight from the moment
// it is sent until every member that should receive it has it, so the window
// bounds what a sender can pile up in the server's queues (its own and every
// member's), and a server is measured at the rate it can deliver, not the
// rate it can accept. A message that never completes (lost by the server)
// gives its slot up after a timeout, so one loss cannot stall a sender for
// the rest of the run; the loss itself is counted elsewhere, from sequence
// numbers. Pure; not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace bench {

class sender_window {
 public:
  explicit sender_window(uint32_t capacity);

  bool can_send() const { return next_ - oldest_ < capacity_; }
  uint32_t in_flight() const { return next_ - oldest_; }
  uint32_t next_seq() const { return next_; }
  uint32_t sent() const { return next_; }

  // Message next_seq() goes out at `now_ns` and must reach `receivers`
  // members. Call only when can_send(). Returns its sequence number.
  uint32_t on_sent(uint32_t receivers, int64_t now_ns = 0);

  // A member received `seq` for the first time. Returns true when this frees
  // room in the window (the oldest message in flight is now complete).
  bool on_delivered(uint32_t seq);

  // Gives up on the messages in flight that were sent before `cutoff_ns`.
  // Returns how many; their slots are free again.
  uint32_t expire_sent_before(int64_t cutoff_ns);

 private:
  void advance();

  uint32_t capacity_;
  uint32_t oldest_ = 0;              // oldest message not yet complete
  uint32_t next_ = 0;                // next sequence number to send
  std::vector<uint32_t> remaining_;  // receivers still missing, by seq % capacity
  std::vector<int64_t> sent_at_;     // send times, by seq % capacity
};

}  // namespace bench
