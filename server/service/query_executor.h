#pragma once

// A fixed pool of threads, each with its own storage session, on which the
// unary RPCs do their (possibly slow) work so that gRPC's callback threads
// never block.
//
// Thread safety: Post() may be called from any thread.

#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "common/atomic_histogram.h"
#include "server/storage/storage.h"

namespace monipaikka {

class QueryExecutor {
 public:
  using Work = std::function<void(StorageSession& session)>;

  explicit QueryExecutor(Storage* storage) : storage_(storage) {}
  ~QueryExecutor();
  QueryExecutor(const QueryExecutor&) = delete;
  QueryExecutor& operator=(const QueryExecutor&) = delete;

  // Opens one session per thread and starts the threads.
  absl::Status Start(int threads);
  // Runs `work` on one of the threads. Call Stop() only once the server
  // accepts no more calls.
  void Post(Work work) ABSL_LOCKS_EXCLUDED(mu_);
  // Finishes queued work and joins the threads.
  void Stop() ABSL_LOCKS_EXCLUDED(mu_);

  // Seconds from Post() until the unary calls run through RunUnary()
  // finished (queueing included), for operators.
  AtomicHistogram& query_seconds() { return query_seconds_; }

 private:
  void Run(StorageSession* session);

  Storage* const storage_;
  std::vector<std::unique_ptr<StorageSession>> sessions_;
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::deque<Work> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  AtomicHistogram query_seconds_{AtomicHistogram::LatencySecondsBounds()};
};

}  // namespace monipaikka
