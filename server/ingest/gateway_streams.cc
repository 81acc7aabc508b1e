#include "server/ingest/gateway_streams.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace monipaikka {

absl::Status GatewayStreams::Open(const std::string& gateway) {
  absl::MutexLock lock(&mu_);
  int& open = open_[gateway];
  if (open >= max_per_gateway_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "gateway \"", gateway, "\" already has ", open,
        " open ingest streams; the limit (--max_streams_per_gateway) is ",
        max_per_gateway_));
  }
  ++open;
  return absl::OkStatus();
}

void GatewayStreams::Close(const std::string& gateway) {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(gateway);
  if (it == open_.end()) return;
  if (--it->second <= 0) open_.erase(it);
}

int GatewayStreams::OpenStreams(const std::string& gateway) const {
  absl::MutexLock lock(&mu_);
  auto it = open_.find(gateway);
  return it == open_.end() ? 0 : it->second;
}

void GatewayLastBatches::Note(const std::string& gateway, int64_t now_ms) {
  absl::MutexLock lock(&mu_);
  auto it = last_ms_.find(gateway);
  if (it != last_ms_.end()) {
    it->second = std::max(it->second, now_ms);
  } else if (last_ms_.size() < kMaxGateways) {
    last_ms_.emplace(gateway, now_ms);
  }
}

std::vector<std::pair<std::string, int64_t>> GatewayLastBatches::Snapshot()
    const {
  std::vector<std::pair<std::string, int64_t>> snapshot;
  {
    absl::MutexLock lock(&mu_);
    snapshot.assign(last_ms_.begin(), last_ms_.end());
  }
  std::sort(snapshot.begin(), snapshot.end());
  return snapshot;
}

}  // namespace monipaikka
