#include "server/storage_health.h"

namespace monipaikka {

void StorageHealth::Record(const absl::Status& outcome) {
  last_outcome_.store(
      std::chrono::steady_clock::now().time_since_epoch().count(),
      std::memory_order_relaxed);
  const int now_healthy = outcome.ok() ? 1 : 0;
  if (healthy_.load(std::memory_order_relaxed) == now_healthy) return;
  absl::MutexLock lock(&mu_);
  if (healthy_.exchange(now_healthy) == now_healthy) return;
  if (on_change_) on_change_(now_healthy == 1, outcome);
}

}  // namespace monipaikka
