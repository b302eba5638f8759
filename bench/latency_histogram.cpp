#include "bench/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace bench {
namespace {

// Values are cut into a power-of-two range and 128 linear steps inside it.
constexpr unsigned sub_bits = 7;
constexpr uint64_t sub_count = uint64_t{1} << sub_bits;  // 128 steps per range
constexpr uint64_t exact_limit = sub_count * 2;          // below 256: one bucket per value

int highest_bit(uint64_t v) {
  return 63 - __builtin_clzll(v);
}

}  // namespace

latency_histogram::latency_histogram() : counts_(bucket_count, 0) {}

std::size_t latency_histogram::bucket_of(uint64_t value) {
  if (value < exact_limit) return static_cast<std::size_t>(value);
  unsigned shift = static_cast<unsigned>(highest_bit(value)) - sub_bits;  // >= 1
  uint64_t mantissa = value >> shift;                                     // in [128, 256)
  return static_cast<std::size_t>(exact_limit + (shift - 1) * sub_count + (mantissa - sub_count));
}

uint64_t latency_histogram::bucket_upper(std::size_t bucket) {
  if (bucket < exact_limit) return bucket;
  uint64_t offset = bucket - exact_limit;
  unsigned shift = static_cast<unsigned>(offset / sub_count) + 1;
  uint64_t mantissa = offset % sub_count + sub_count;
  if (shift == 56 && mantissa == 255) return UINT64_MAX;  // the last bucket ends at 2^64-1
  return ((mantissa + 1) << shift) - 1;
}

void latency_histogram::record(int64_t ns) {
  if (ns < 0) ns = 0;
  ++counts_[bucket_of(static_cast<uint64_t>(ns))];
  if (count_ == 0 || ns < min_) min_ = ns;
  if (count_ == 0 || ns > max_) max_ = ns;
  ++count_;
  sum_ += static_cast<double>(ns);
}

void latency_histogram::merge(const latency_histogram& other) {
  if (other.count_ == 0) return;
  for (std::size_t i = 0; i < bucket_count; ++i) counts_[i] += other.counts_[i];
  min_ = count_ ? std::min(min_, other.min_) : other.min_;
  max_ = count_ ? std::max(max_, other.max_) : other.max_;
  count_ += other.count_;
  sum_ += other.sum_;
}

int64_t latency_histogram::quantile(double q) const {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  // Rank of the sample wanted, 1-based: at least one, so q=0 gives the minimum.
  auto rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::clamp<uint64_t>(rank, 1, count_);
  uint64_t seen = 0;
  for (std::size_t i = 0; i < bucket_count; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      uint64_t upper = bucket_upper(i);
      return std::max(min_, static_cast<int64_t>(std::min<uint64_t>(upper, max_)));
    }
  }
  return max_;
}

}  // namespace bench
