// Percentiles of durations without keeping every sample. A run records
// millions of deliveries; a log-linear histogram bounds memory (7,424
// counters) whatever the run length. Values below 256 ns are exact; above, a
// bucket spans less than 1/128 of its values (under 0.8 % error), like
// HdrHistogram with 2 significant digits. Pure; not thread-safe; owned by
// whoever records (the load driver, one per measured quantity).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace bench {

class latency_histogram {
 public:
  latency_histogram();

  // Records one duration in nanoseconds; negative values count as 0.
  void record(int64_t ns);
  void merge(const latency_histogram& other);

  uint64_t count() const { return count_; }
  int64_t min() const { return count_ ? min_ : 0; }
  int64_t max() const { return count_ ? max_ : 0; }
  double mean() const { return count_ ? sum_ / static_cast<double>(count_) : 0.0; }

  // The smallest value v such that a fraction q (0..1) of the samples are at
  // most v: the upper edge of the bucket where that rank falls, never above
  // the largest sample. 0 when empty. q=0.99 is p99.
  int64_t quantile(double q) const;

  // Bucket arithmetic, public for tests.
  static std::size_t bucket_of(uint64_t value);
  static uint64_t bucket_upper(std::size_t bucket);
  static constexpr std::size_t bucket_count = 7424;

 private:
  std::vector<uint64_t> counts_;
  uint64_t count_ = 0;
  int64_t min_ = 0;
  int64_t max_ = 0;
  double sum_ = 0;
};

}  // namespace bench
