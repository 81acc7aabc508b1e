#include "server/service/live_service.h"

#include <deque>

#include "absl/synchronization/mutex.h"
#include "common/status_macros.h"
#include "server/service/grpc_status.h"
#include "server/auth/rpc_policy.h"
#include "server/service/refused_call.h"
#include "server/service/unary_call.h"

namespace monipaikka {
namespace {

// Updates queued for a slow client before it is sent a fresh snapshot
// instead of them.
constexpr size_t kMaxQueued = 256;

// One WatchLiveOccupancy call: the hub pushes updates, written one at a time.
class WatchReactor final
    : public grpc::ServerWriteReactor<v1::LiveOccupancyUpdate>,
      public LiveOccupancyHub::Watcher {
 public:
  WatchReactor(LiveOccupancyHub* hub, const v1::LiveOccupancyRequest& request)
      : hub_(hub), site_(request.site()), space_(request.space()) {
    absl::StatusOr<std::pair<uint64_t, v1::LiveOccupancyUpdate>> watch =
        hub_->Watch(site_, space_, this);
    absl::MutexLock lock(&mu_);
    if (!watch.ok()) {
      finished_ = true;
      Finish(ToGrpcStatus(watch.status()));
      return;
    }
    id_ = watch->first;
    registered_ = true;
    // Updates pushed before the snapshot was queued come after it.
    queue_.push_front(std::move(watch->second));
    ready_ = true;
    WriteNextLocked();
  }

  void Push(v1::LiveOccupancyUpdate update) override {
    absl::MutexLock lock(&mu_);
    if (finished_ || closing_) return;
    if (queue_.size() >= kMaxQueued) {
      queue_.clear();
      resync_ = true;
      return;
    }
    queue_.push_back(std::move(update));
    if (ready_) WriteNextLocked();
  }

  void Close() override {
    absl::MutexLock lock(&mu_);
    closing_ = true;
    if (!writing_ && !finished_) {
      finished_ = true;
      Finish(grpc::Status::OK);
    }
  }

  void OnWriteDone(bool ok) override {
    bool resync = false;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        if (!finished_) {
          finished_ = true;
          Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE,
                              "the watch could not be written"));
        }
        return;
      }
      if (closing_) {
        if (!finished_) {
          finished_ = true;
          Finish(grpc::Status::OK);
        }
        return;
      }
      resync = resync_;
      resync_ = false;
    }
    if (resync) {
      // Outside our lock: the hub pushes with its own lock held.
      absl::StatusOr<v1::LiveOccupancy> snapshot =
          hub_->Snapshot(site_, space_);
      absl::MutexLock lock(&mu_);
      if (!snapshot.ok()) {
        if (!finished_) {
          finished_ = true;
          Finish(ToGrpcStatus(snapshot.status()));
        }
        return;
      }
      v1::LiveOccupancyUpdate update;
      update.set_snapshot(true);
      *update.mutable_occupancy() = *std::move(snapshot);
      queue_.push_front(std::move(update));
    }
    absl::MutexLock lock(&mu_);
    WriteNextLocked();
  }

  void OnCancel() override {
    absl::MutexLock lock(&mu_);
    if (!finished_) {
      finished_ = true;
      Finish(grpc::Status(grpc::StatusCode::CANCELLED, "cancelled"));
    }
  }

  void OnDone() override {
    if (registered_) hub_->Unwatch(id_);
    delete this;
  }

 private:
  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_ || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }

  LiveOccupancyHub* const hub_;
  const std::string site_;
  const std::string space_;
  uint64_t id_ = 0;
  bool registered_ = false;  // set in the constructor, read in OnDone

  absl::Mutex mu_;
  std::deque<v1::LiveOccupancyUpdate> queue_ ABSL_GUARDED_BY(mu_);
  v1::LiveOccupancyUpdate current_ ABSL_GUARDED_BY(mu_);
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool resync_ ABSL_GUARDED_BY(mu_) = false;
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

grpc::ServerUnaryReactor* LiveOccupancyServiceImpl::GetLiveOccupancy(
    grpc::CallbackServerContext* context,
    const v1::LiveOccupancyRequest* request, v1::LiveOccupancy* response) {
  return RunUnary(context, executor_, *access_, rpc::kGetLiveOccupancy,
                  [=, this](StorageSession&) {
    ASSIGN_OR_RETURN(*response, hub_->Snapshot(request->site(), request->space()));
    return absl::OkStatus();
  });
}

grpc::ServerWriteReactor<v1::LiveOccupancyUpdate>*
LiveOccupancyServiceImpl::WatchLiveOccupancy(
    grpc::CallbackServerContext* context,
    const v1::LiveOccupancyRequest* request) {
  absl::StatusOr<Caller> caller =
      access_->Authorize(*context, rpc::kWatchLiveOccupancy);
  if (!caller.ok()) {
    return new RefusedWriteStream<v1::LiveOccupancyUpdate>(
        ToGrpcStatus(caller.status()));
  }
  return new WatchReactor(hub_, *request);
}

}  // namespace monipaikka
