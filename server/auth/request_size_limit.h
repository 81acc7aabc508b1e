#pragma once

// Small requests for every method but the imports.
//
// gRPC 1.51 bounds received messages per server only (--max_message_bytes,
// what the imports and the ingest stream need), and it reads and parses a
// unary request before any handler code runs. So the smaller bound of the
// other methods (--max_request_bytes) is checked as early as the API lets
// us: a server interceptor sees each parsed request and notes one over the
// bound; the handler (RunUnary, the watch) refuses the call right after the
// access check, before any work, with RESOURCE_EXHAUSTED naming the bound.
// Streams of requests (ingest, HR imports) authorize before reading any
// message, so an unauthorized caller's messages are never parsed.
//
// Thread safety: every method may be called from any thread.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"

namespace grpc {
class ServerContextBase;
}

namespace monipaikka {

class RequestSizeLimit {
 public:
  // `max_request_bytes`: the bound of every method not in `large_methods`
  // ("/pkg.Service/Method"), whose requests the server's receive limit
  // alone bounds.
  RequestSizeLimit(size_t max_request_bytes,
                   absl::flat_hash_set<std::string> large_methods)
      : max_request_bytes_(max_request_bytes),
        large_methods_(std::move(large_methods)) {}

  // The methods that take large requests: the imports.
  static absl::flat_hash_set<std::string> ImportMethods();

  // The bound of `method`'s requests; 0: only the server's receive limit.
  size_t LimitOf(absl::string_view method) const;

  // The interceptor of call `context` saw a request of `bytes` bytes over
  // LimitOf(method); kept until Forget(context).
  void NoteOversized(const grpc::ServerContextBase* context, size_t bytes)
      ABSL_LOCKS_EXCLUDED(mu_);
  void Forget(const grpc::ServerContextBase* context) ABSL_LOCKS_EXCLUDED(mu_);

  // RESOURCE_EXHAUSTED naming `rpc` and the bound when the call's request
  // was over it (counted), else OK.
  absl::Status Check(const grpc::ServerContextBase& context,
                     absl::string_view rpc) const ABSL_LOCKS_EXCLUDED(mu_);

  // Calls refused by Check.
  uint64_t refused() const { return refused_.load(std::memory_order_relaxed); }
  std::atomic<uint64_t>* refused_counter() { return &refused_; }

 private:
  const size_t max_request_bytes_;
  const absl::flat_hash_set<std::string> large_methods_;
  mutable std::atomic<uint64_t> refused_{0};
  mutable absl::Mutex mu_;
  absl::flat_hash_map<const grpc::ServerContextBase*, size_t> oversized_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace monipaikka
