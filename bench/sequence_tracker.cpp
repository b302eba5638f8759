#include "bench/sequence_tracker.hpp"

#include <algorithm>

namespace bench {

sequence_tracker::verdict sequence_tracker::record(uint32_t seq) {
  if (seq < contiguous_) return verdict::duplicate;
  auto pos = std::lower_bound(ahead_.begin(), ahead_.end(), seq);
  if (pos != ahead_.end() && *pos == seq) return verdict::duplicate;
  bool late = uint64_t{seq} + 1 < highest_end_;
  highest_end_ = std::max<uint64_t>(highest_end_, uint64_t{seq} + 1);
  if (seq == contiguous_) {
    ++contiguous_;
    // The hole may now be closed: absorb the numbers that waited above it.
    std::size_t absorbed = 0;
    while (absorbed < ahead_.size() && ahead_[absorbed] == contiguous_) {
      ++contiguous_;
      ++absorbed;
    }
    ahead_.erase(ahead_.begin(), ahead_.begin() + static_cast<std::ptrdiff_t>(absorbed));
  } else {
    ahead_.insert(pos, seq);
  }
  return late ? verdict::out_of_order : verdict::in_order;
}

}  // namespace bench
