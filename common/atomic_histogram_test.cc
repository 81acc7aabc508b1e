#include "common/atomic_histogram.h"

#include <thread>
#include <vector>

#include "gtest/gtest.h"

namespace monipaikka {
namespace {

TEST(AtomicHistogramTest, CountsEachValueInItsBucketCumulatively) {
  AtomicHistogram histogram({0.01, 0.1, 1});
  for (double value : {0.001, 0.01, 0.05, 0.5, 0.7, 3.0}) {
    histogram.Observe(value);
  }
  HistogramSnapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.upper_bounds, (std::vector<double>{0.01, 0.1, 1}));
  // <= 0.01: 0.001 and 0.01 (bounds are inclusive); <= 0.1: +0.05;
  // <= 1: +0.5, 0.7; +Inf: +3.0.
  EXPECT_EQ(snapshot.cumulative_counts, (std::vector<uint64_t>{2, 3, 5, 6}));
  EXPECT_DOUBLE_EQ(snapshot.sum, 0.001 + 0.01 + 0.05 + 0.5 + 0.7 + 3.0);
}

TEST(AtomicHistogramTest, ObservationsFromManyThreadsAreAllCounted) {
  AtomicHistogram histogram(AtomicHistogram::LatencySecondsBounds());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&histogram] {
      for (int i = 0; i < 10000; ++i) histogram.Observe(0.002);
    });
  }
  for (std::thread& thread : threads) thread.join();
  HistogramSnapshot snapshot = histogram.Read();
  EXPECT_EQ(snapshot.cumulative_counts.back(), 40000u);
  EXPECT_EQ(snapshot.cumulative_counts[1], 0u);      // <= 1 ms
  EXPECT_EQ(snapshot.cumulative_counts[2], 40000u);  // <= 2.5 ms
  EXPECT_NEAR(snapshot.sum, 80.0, 1e-6);
}

TEST(AtomicHistogramDeathTest, BoundsMustIncrease) {
  EXPECT_DEATH(AtomicHistogram({1, 0.5}), "increasing");
}

}  // namespace
}  // namespace monipaikka
