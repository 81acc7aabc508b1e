#include "server/service/query_executor.h"

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/log.h"
#include "common/status_macros.h"

namespace monipaikka {

QueryExecutor::~QueryExecutor() { Stop(); }

absl::Status QueryExecutor::Start(int threads) {
  for (int i = 0; i < threads; ++i) {
    ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                     storage_->OpenSession());
    sessions_.push_back(std::move(session));
  }
  for (auto& session : sessions_) {
    threads_.emplace_back([this, s = session.get()] { Run(s); });
  }
  return absl::OkStatus();
}

void QueryExecutor::Post(Work work) {
  absl::MutexLock lock(&mu_);
  queue_.push_back(std::move(work));
}

void QueryExecutor::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  for (std::thread& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

absl::Status QueryExecutor::RunWithDeadline(
    StorageSession& session, absl::Time call_deadline, absl::string_view rpc,
    absl::FunctionRef<absl::Status()> query) {
  const absl::Time limit_deadline = absl::Now() + max_query_time_;
  const bool limit_first = limit_deadline <= call_deadline;
  const absl::Time deadline = limit_first ? limit_deadline : call_deadline;
  session.SetDeadline(deadline);
  absl::Status status = query();
  // Interrupted in a statement, or stopped by CPU-bound work that observes
  // the session's deadline (the disclosure audit).
  const bool interrupted =
      session.DeadlineExceeded() ||
      (absl::IsDeadlineExceeded(status) && absl::Now() >= deadline);
  session.SetDeadline(absl::InfiniteFuture());
  if (!interrupted) return status;
  const std::string limit =
      absl::StrCat(absl::ToDoubleSeconds(max_query_time_));
  if (limit_first) {
    counters_.over_max_query_time.fetch_add(1, std::memory_order_relaxed);
  } else {
    counters_.past_call_deadline.fetch_add(1, std::memory_order_relaxed);
  }
  Log(LogLevel::kWarning, "query_interrupted",
      {{"rpc", rpc},
       {"limit", limit_first ? absl::StrCat("max_query_seconds=", limit)
                             : std::string("call_deadline")}});
  return absl::DeadlineExceededError(
      limit_first
          ? absl::StrCat("query ran longer than --max_query_seconds=", limit,
                         " and was interrupted")
          : "the call's deadline passed while its query ran; the query was "
            "interrupted");
}

void QueryExecutor::Run(StorageSession* session) {
  while (true) {
    Work work;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](QueryExecutor* e) ABSL_EXCLUSIVE_LOCKS_REQUIRED(e->mu_) {
            return e->stopping_ || !e->queue_.empty();
          },
          this));
      if (queue_.empty()) return;
      work = std::move(queue_.front());
      queue_.pop_front();
    }
    work(*session);
  }
}

}  // namespace monipaikka
