#include "common/atomic_histogram.h"

#include <algorithm>

#include "common/check.h"

namespace monipaikka {

AtomicHistogram::AtomicHistogram(std::vector<double> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      counts_(new std::atomic<uint64_t>[upper_bounds_.size() + 1]) {
  MONIPAIKKA_CHECK(
      std::is_sorted(upper_bounds_.begin(), upper_bounds_.end()) &&
          std::adjacent_find(upper_bounds_.begin(), upper_bounds_.end()) ==
              upper_bounds_.end(),
      "AtomicHistogram: upper bounds must be increasing");
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) counts_[i] = 0;
}

void AtomicHistogram::Observe(double value) {
  const size_t bucket =
      std::lower_bound(upper_bounds_.begin(), upper_bounds_.end(), value) -
      upper_bounds_.begin();
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

HistogramSnapshot AtomicHistogram::Read() const {
  HistogramSnapshot snapshot;
  snapshot.upper_bounds = upper_bounds_;
  snapshot.cumulative_counts.reserve(upper_bounds_.size() + 1);
  uint64_t total = 0;
  for (size_t i = 0; i <= upper_bounds_.size(); ++i) {
    total += counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative_counts.push_back(total);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

std::vector<double> AtomicHistogram::LatencySecondsBounds() {
  return {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
          0.1,    0.25,  0.5,    1,     2.5,  5,     10};
}

}  // namespace monipaikka
