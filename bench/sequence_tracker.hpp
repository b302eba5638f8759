// What one receiver got from one sender: each sequence number counted once,
// duplicates and late (out-of-order) arrivals told apart. In the normal case
// (in order, nothing lost) it costs two counters and no allocation; a gap
// keeps the numbers seen above it in a sorted list until it is filled, so
// memory grows only with what arrived past a hole (4 bytes a delivery).
// Pure; not thread-safe.
#pragma once

#include <cstdint>
#include <vector>

namespace bench {

class sequence_tracker {
 public:
  enum class verdict {
    in_order,      // first arrival, nothing higher seen before
    out_of_order,  // first arrival, but a higher number came earlier
    duplicate,     // seen before
  };

  verdict record(uint32_t seq);

  // Distinct sequence numbers received.
  uint64_t distinct() const { return contiguous_ + ahead_.size(); }

 private:
  uint32_t contiguous_ = 0;      // every number below this has arrived
  uint64_t highest_end_ = 0;     // one past the highest number that arrived
  std::vector<uint32_t> ahead_;  // sorted numbers above a gap (> contiguous_)
};

}  // namespace bench
