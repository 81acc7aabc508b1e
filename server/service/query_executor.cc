#include "server/service/query_executor.h"

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
