#pragma once

// A histogram of fixed buckets kept in atomics, so that hot paths record a
// value with a few relaxed atomic operations and no lock, and a metrics
// scrape reads it at any time.
//
// Thread safety: Observe() and Read() may be called from any thread. A Read()
// concurrent with Observe() calls sees each observation either wholly or not
// at all in the bucket counts; the sum may lag the counts by the
// observations under way.

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace monipaikka {

struct HistogramSnapshot {
  // Upper bounds, increasing, without +Inf.
  std::vector<double> upper_bounds;
  // cumulative_counts[i]: observations <= upper_bounds[i]; one more entry
  // at the end for +Inf (= the count of all observations).
  std::vector<uint64_t> cumulative_counts;
  double sum = 0;
};

class AtomicHistogram {
 public:
  // `upper_bounds` must be increasing (checked: crashes otherwise).
  explicit AtomicHistogram(std::vector<double> upper_bounds);
  AtomicHistogram(const AtomicHistogram&) = delete;
  AtomicHistogram& operator=(const AtomicHistogram&) = delete;

  void Observe(double value);
  HistogramSnapshot Read() const;

  // Bounds for latencies in seconds, 0.5 ms … 10 s.
  static std::vector<double> LatencySecondsBounds();

 private:
  const std::vector<double> upper_bounds_;
  // Per bucket (not cumulative), the last one for values above every bound.
  const std::unique_ptr<std::atomic<uint64_t>[]> counts_;
  std::atomic<double> sum_{0};
};

}  // namespace monipaikka
