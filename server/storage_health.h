#pragma once

// Whether storage takes writes, as the outcomes of the ingest writer's
// writes (commits, sensor health flushes, probes) tell: unhealthy from the
// first failed write, healthy again from the next one that succeeds.
//
// Thread safety: every method may be called from any thread. `on_change`
// runs on the thread whose Record() changed the state, never concurrently
// with itself, and must not block.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace monipaikka {

class StorageHealth {
 public:
  // Called with the new state and the outcome that caused it.
  using OnChange = std::function<void(bool healthy, const absl::Status& cause)>;

  explicit StorageHealth(OnChange on_change)
      : on_change_(std::move(on_change)) {}
  StorageHealth(const StorageHealth&) = delete;
  StorageHealth& operator=(const StorageHealth&) = delete;

  void Record(const absl::Status& outcome) ABSL_LOCKS_EXCLUDED(mu_);
  // Healthy until a write failed.
  bool healthy() const { return healthy_.load(std::memory_order_relaxed); }
  // 1 when healthy, 0 when not (for the gauge).
  const std::atomic<int>& healthy_gauge() const { return healthy_; }
  // When the last outcome, success or failure, was recorded (steady clock;
  // construction before the first). The writer records one per write and
  // probes an idle database, so a long silence means it is stuck.
  std::chrono::steady_clock::time_point last_outcome() const {
    return std::chrono::steady_clock::time_point(
        std::chrono::steady_clock::duration(
            last_outcome_.load(std::memory_order_relaxed)));
  }

 private:
  const OnChange on_change_;
  absl::Mutex mu_;  // serializes state changes and their callbacks
  std::atomic<int> healthy_{1};
  std::atomic<int64_t> last_outcome_{
      std::chrono::steady_clock::now().time_since_epoch().count()};
};

}  // namespace monipaikka
