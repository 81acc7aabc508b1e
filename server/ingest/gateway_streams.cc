#include "server/ingest/gateway_streams.h"

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

}  // namespace monipaikka
