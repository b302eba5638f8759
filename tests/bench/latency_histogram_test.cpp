#include "bench/latency_histogram.hpp"

#include <gtest/gtest.h>

namespace bench {
namespace {

TEST(LatencyHistogram, EmptyReportsZero) {
  latency_histogram h;
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.quantile(0.5), 0);
  EXPECT_EQ(h.min(), 0);
  EXPECT_EQ(h.max(), 0);
  EXPECT_EQ(h.mean(), 0.0);
}

TEST(LatencyHistogram, SmallValuesAreExact) {
  latency_histogram h;
  for (int v = 1; v <= 100; ++v) h.record(v);
  EXPECT_EQ(h.quantile(0.5), 50);
  EXPECT_EQ(h.quantile(0.99), 99);
  EXPECT_EQ(h.quantile(1.0), 100);
  EXPECT_EQ(h.quantile(0.0), 1);
  EXPECT_EQ(h.min(), 1);
  EXPECT_EQ(h.max(), 100);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
}

TEST(LatencyHistogram, LargeValuesWithinOnePercent) {
  latency_histogram h;
  for (int64_t v = 1; v <= 1'000'000; ++v) h.record(v * 1000);  // 1 us .. 1 s
  for (double q : {0.5, 0.9, 0.99, 0.999}) {
    double exact = q * 1'000'000 * 1000;
    double got = static_cast<double>(h.quantile(q));
    EXPECT_GE(got, exact) << q;  // upper edge of the bucket: never optimistic
    EXPECT_LE(got, exact * 1.01) << q;
  }
  EXPECT_EQ(h.quantile(1.0), 1'000'000'000);
}

TEST(LatencyHistogram, QuantileNeverAboveMaxNorBelowMin) {
  latency_histogram h;
  h.record(1'234'567);
  EXPECT_EQ(h.quantile(0.5), 1'234'567);
  EXPECT_EQ(h.quantile(0.999), 1'234'567);
}

TEST(LatencyHistogram, NegativeCountsAsZero) {
  latency_histogram h;
  h.record(-5);
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.max(), 0);
}

TEST(LatencyHistogram, TailIsSeen) {
  latency_histogram h;
  for (int i = 0; i < 990; ++i) h.record(100'000);
  for (int i = 0; i < 10; ++i) h.record(50'000'000);
  EXPECT_LE(h.quantile(0.99), 101'000);
  EXPECT_GE(h.quantile(0.991), 50'000'000);
  EXPECT_EQ(h.quantile(0.999), 50'000'000);
}

TEST(LatencyHistogram, BucketsCoverEveryValueInOrder) {
  uint64_t previous_upper = 0;
  for (std::size_t b = 1; b < latency_histogram::bucket_count; ++b) {
    uint64_t upper = latency_histogram::bucket_upper(b);
    ASSERT_GT(upper, previous_upper) << b;
    ASSERT_EQ(latency_histogram::bucket_of(upper), b) << b;
    ASSERT_EQ(latency_histogram::bucket_of(previous_upper + 1), b) << b;
    previous_upper = upper;
  }
  EXPECT_EQ(previous_upper, UINT64_MAX);
}

TEST(LatencyHistogram, MergeAddsSamples) {
  latency_histogram a;
  latency_histogram b;
  a.record(10);
  b.record(30);
  b.record(20);
  a.merge(b);
  EXPECT_EQ(a.count(), 3u);
  EXPECT_EQ(a.min(), 10);
  EXPECT_EQ(a.max(), 30);
  EXPECT_EQ(a.quantile(0.5), 20);
  latency_histogram empty;
  empty.merge(a);
  EXPECT_EQ(empty.min(), 10);
}

}  // namespace
}  // namespace bench
