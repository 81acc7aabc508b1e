#include "bench/load/load_stats.h"

#include <algorithm>
#include <cmath>

namespace monipaikka::load {
namespace {
constexpr size_t kKeptErrorMessages = 10;
}  // namespace

void LoadStats::AddAck(const v1::BatchAck& ack, double latency_ms) {
  batches_acked_.fetch_add(1);
  accepted_.fetch_add(ack.accepted());
  duplicates_.fetch_add(ack.duplicates());
  rejected_.fetch_add(ack.rejected_size());
  absl::MutexLock lock(&mu_);
  latencies_ms_.push_back(latency_ms);
  for (const v1::RejectedReading& rejected : ack.rejected()) {
    if (error_messages_.size() >= kKeptErrorMessages) break;
    error_messages_.push_back("rejected reading: " + rejected.message());
  }
}

void LoadStats::AddError(const std::string& message) {
  errors_.fetch_add(1);
  absl::MutexLock lock(&mu_);
  if (error_messages_.size() < kKeptErrorMessages) {
    error_messages_.push_back(message);
  }
}

std::vector<double> LoadStats::LatenciesSince(size_t* cursor) const {
  absl::MutexLock lock(&mu_);
  const size_t from = std::min(*cursor, latencies_ms_.size());
  *cursor = latencies_ms_.size();
  return std::vector<double>(latencies_ms_.begin() + from, latencies_ms_.end());
}

std::vector<std::string> LoadStats::error_messages() const {
  absl::MutexLock lock(&mu_);
  return error_messages_;
}

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  const size_t rank = static_cast<size_t>(
      std::ceil(p / 100.0 * static_cast<double>(values.size())));
  const size_t index = std::clamp<size_t>(rank, 1, values.size()) - 1;
  std::nth_element(values.begin(), values.begin() + index, values.end());
  return values[index];
}

}  // namespace monipaikka::load
