#pragma once

// Counts the open ingest streams of each gateway, so that one gateway (a
// misconfigured agent started twice, a reconnect loop) cannot hold more
// than its share of the server's streams.
//
// Thread safety: all methods may be called from any thread.

#include <string>

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

}  // namespace monipaikka
