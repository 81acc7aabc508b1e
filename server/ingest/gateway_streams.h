#pragma once

// Counts the open ingest streams of each gateway, so that one gateway (a
// misconfigured agent started twice, a reconnect loop) cannot hold more
// than its share of the server's streams.
//
// Thread safety: all methods may be called from any thread.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"

namespace monipaikka {

class GatewayStreams {
 public:
  // At most `max_per_gateway` (>= 1) open streams per gateway.
  explicit GatewayStreams(int max_per_gateway)
      : max_per_gateway_(max_per_gateway) {}

  // Counts one more stream of `gateway`, or RESOURCE_EXHAUSTED naming the
  // limit when it already has `max_per_gateway` open.
  absl::Status Open(const std::string& gateway) ABSL_LOCKS_EXCLUDED(mu_);
  // One stream of `gateway` ended (only after a successful Open).
  void Close(const std::string& gateway) ABSL_LOCKS_EXCLUDED(mu_);
  // Open streams of `gateway`.
  int OpenStreams(const std::string& gateway) const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const int max_per_gateway_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int> open_ ABSL_GUARDED_BY(mu_);
};

// When each gateway's last batch arrived, so that operators can alert on a
// building gone silent (monipaikka_gateway_last_batch_timestamp_seconds).
//
// Thread safety: all methods may be called from any thread.
class GatewayLastBatches {
 public:
  // Gateways remembered at most; a batch of a gateway beyond them is not
  // noted (gateways are few: one per building or floor).
  static constexpr size_t kMaxGateways = 10000;

  // A batch of `gateway` was admitted at `now_ms` (UTC ms).
  void Note(const std::string& gateway, int64_t now_ms)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Each gateway with the time of its last batch (UTC ms), by name.
  std::vector<std::pair<std::string, int64_t>> Snapshot() const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, int64_t> last_ms_ ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka
