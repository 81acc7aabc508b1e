#pragma once

// Figures of a load test, collected from every simulated gateway (any
// thread) and read by the reporter.

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "monipaikka/v1/ingest.pb.h"

namespace monipaikka::load {

class LoadStats {
 public:
  void AddGenerated(int64_t readings) { generated_.fetch_add(readings); }
  void AddSent(int64_t readings) {
    batches_sent_.fetch_add(1);
    readings_sent_.fetch_add(readings);
  }
  // An acknowledgement, `latency_ms` after its batch was written.
  void AddAck(const v1::BatchAck& ack, double latency_ms);
  // A problem other than a rejected reading (a failed stream, an
  // acknowledgement out of order); the first few messages are kept.
  void AddError(const std::string& message);

  int64_t generated() const { return generated_.load(); }
  int64_t batches_sent() const { return batches_sent_.load(); }
  int64_t readings_sent() const { return readings_sent_.load(); }
  int64_t batches_acked() const { return batches_acked_.load(); }
  int64_t accepted() const { return accepted_.load(); }
  int64_t duplicates() const { return duplicates_.load(); }
  int64_t rejected() const { return rejected_.load(); }
  int64_t errors() const { return errors_.load(); }

  // Latencies of the acknowledgements that arrived since the previous call
  // with the same `cursor` (start it at 0).
  std::vector<double> LatenciesSince(size_t* cursor) const;
  std::vector<std::string> error_messages() const;

 private:
  std::atomic<int64_t> generated_{0};
  std::atomic<int64_t> batches_sent_{0};
  std::atomic<int64_t> readings_sent_{0};
  std::atomic<int64_t> batches_acked_{0};
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> duplicates_{0};
  std::atomic<int64_t> rejected_{0};
  std::atomic<int64_t> errors_{0};
  mutable absl::Mutex mu_;
  std::vector<double> latencies_ms_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> error_messages_ ABSL_GUARDED_BY(mu_);
};

// The p-th percentile (0 < p <= 100, nearest rank) of `values`; 0 when empty.
double Percentile(std::vector<double> values, double p);

}  // namespace monipaikka::load
