#pragma once

// A fixed pool of threads, each with its own storage session, on which the
// unary RPCs do their (possibly slow) work so that gRPC's callback threads
// never block. A query may run at most `max_query_time` (--max_query_seconds)
// or until its call's deadline, whichever comes first (RunWithDeadline).
//
// Thread safety: Post() may be called from any thread.

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/atomic_histogram.h"
#include "server/storage/storage.h"

namespace monipaikka {

// Queries interrupted at their deadline, by which limit.
struct QueryCounters {
  // Ran longer than max_query_time (--max_query_seconds).
  std::atomic<uint64_t> over_max_query_time{0};
  // Still running when their call's own deadline passed.
  std::atomic<uint64_t> past_call_deadline{0};
};

class QueryExecutor {
 public:
  using Work = std::function<void(StorageSession& session)>;

  explicit QueryExecutor(Storage* storage, absl::Duration max_query_time =
                                               absl::InfiniteDuration())
      : storage_(storage), max_query_time_(max_query_time) {}
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
  // Runs `query` on `session` (the session of the calling executor thread)
  // with the deadline min(`call_deadline`, now + max_query_time): a statement
  // still running then is interrupted, and the result is DEADLINE_EXCEEDED
  // naming the limit that ended it ("query ran longer than
  // --max_query_seconds=N"), counted and logged with `rpc`. The session is
  // usable again afterwards.
  absl::Status RunWithDeadline(StorageSession& session,
                               absl::Time call_deadline, absl::string_view rpc,
                               absl::FunctionRef<absl::Status()> query);
  const QueryCounters& counters() const { return counters_; }

 private:
  void Run(StorageSession* session);

  Storage* const storage_;
  const absl::Duration max_query_time_;
  QueryCounters counters_;
  std::vector<std::unique_ptr<StorageSession>> sessions_;
  std::vector<std::thread> threads_;
  absl::Mutex mu_;
  std::deque<Work> queue_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  AtomicHistogram query_seconds_{AtomicHistogram::LatencySecondsBounds()};
};

}  // namespace monipaikka
