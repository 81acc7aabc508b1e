#include "server/service/live_service.h"

#include <deque>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/grpc_status.h"
#include "common/status_macros.h"
#include "server/auth/rpc_policy.h"
#include "server/service/refused_call.h"
#include "server/service/unary_call.h"

namespace monipaikka {
namespace {

// Updates queued for a slow client before it is sent a fresh snapshot
// instead of them.
constexpr size_t kMaxQueued = 256;

// One WatchLiveOccupancy call: the hub pushes updates, written one at a time.
// The caller's token is checked again with every update and every hub tick:
// a token revoked or expired meanwhile ends the watch with UNAUTHENTICATED.
class WatchReactor final
    : public grpc::ServerWriteReactor<v1::LiveOccupancyUpdate>,
      public LiveOccupancyHub::Watcher {
 public:
  // `on_done` runs once the call is over (it releases the caller's slot).
  WatchReactor(LiveOccupancyHub* hub, const AccessControl* access,
               Caller caller, const v1::LiveOccupancyRequest& request,
               std::function<void()> on_done)
      : hub_(hub),
        access_(access),
        caller_(std::move(caller)),
        site_(request.site()),
        space_(request.space()),
        on_done_(std::move(on_done)) {
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
    // (Before the constructor is done the call was just authorized.)
    if (ready_ && !TokenStillValidLocked()) return;
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
    EndLocked(grpc::Status::OK);
  }

  void OnTick() override {
    absl::MutexLock lock(&mu_);
    if (finished_ || closing_ || !ready_) return;
    TokenStillValidLocked();
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
          Finish(end_status_);
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
    if (on_done_) on_done_();
    delete this;
  }

 private:
  // Ends the watch with `status` once the write in flight (if any) is done;
  // what is queued is not sent.
  void EndLocked(grpc::Status status) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (closing_ || finished_) return;
    closing_ = true;
    end_status_ = std::move(status);
    queue_.clear();
    if (!writing_) {
      finished_ = true;
      Finish(end_status_);
    }
  }

  // Whether the caller's token is still neither revoked nor expired; if not,
  // ends the watch with the refusal (counted and logged once).
  bool TokenStillValidLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    absl::Status still =
        access_->RecheckToken(caller_, rpc::kWatchLiveOccupancy);
    if (still.ok()) return true;
    EndLocked(ToGrpcStatus(still));
    return false;
  }

  void WriteNextLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (writing_ || finished_ || queue_.empty()) return;
    current_ = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }

  LiveOccupancyHub* const hub_;
  const AccessControl* const access_;
  const Caller caller_;
  const std::string site_;
  const std::string space_;
  const std::function<void()> on_done_;
  uint64_t id_ = 0;
  bool registered_ = false;  // set in the constructor, read in OnDone

  absl::Mutex mu_;
  std::deque<v1::LiveOccupancyUpdate> queue_ ABSL_GUARDED_BY(mu_);
  v1::LiveOccupancyUpdate current_ ABSL_GUARDED_BY(mu_);
  bool ready_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool resync_ ABSL_GUARDED_BY(mu_) = false;
  // Set with the status the watch ends with (OK when the hub stops).
  bool closing_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status end_status_ ABSL_GUARDED_BY(mu_);
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace

grpc::ServerUnaryReactor* LiveOccupancyServiceImpl::GetLiveOccupancy(
    grpc::CallbackServerContext* context,
    const v1::LiveOccupancyRequest* request, v1::LiveOccupancy* response) {
  return RunUnary(context, executor_, *access_, rpc::kGetLiveOccupancy,
                  [=, this](StorageSession&, const Caller& caller) {
                    RETURN_IF_ERROR(access_->CheckOwnSite(
                        caller, request->site(), rpc::kGetLiveOccupancy));
                    ASSIGN_OR_RETURN(
                        *response,
                        hub_->Snapshot(request->site(), request->space()));
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
  if (absl::Status size =
          access_->CheckRequestSize(*context, rpc::kWatchLiveOccupancy);
      !size.ok()) {
    return new RefusedWriteStream<v1::LiveOccupancyUpdate>(ToGrpcStatus(size));
  }
  if (absl::Status site = access_->CheckOwnSite(*caller, request->site(),
                                                rpc::kWatchLiveOccupancy);
      !site.ok()) {
    return new RefusedWriteStream<v1::LiveOccupancyUpdate>(ToGrpcStatus(site));
  }
  // Certificate callers have no token id; their name is their identity.
  const std::string key = caller->token_id != 0
                              ? absl::StrCat("token:", caller->token_id)
                              : absl::StrCat("name:", caller->name);
  {
    absl::MutexLock lock(&watches_mu_);
    int& open = watches_by_token_[key];
    if (open >= max_watches_per_token_) {
      const int limit = open;
      if (open == 0) watches_by_token_.erase(key);
      return new RefusedWriteStream<v1::LiveOccupancyUpdate>(grpc::Status(
          grpc::StatusCode::RESOURCE_EXHAUSTED,
          absl::StrCat(rpc::kWatchLiveOccupancy.rpc, ": ",
                       caller->token_id != 0
                           ? absl::StrCat("token ", caller->token_id)
                           : caller->name,
                       " has ", limit,
                       " watches open, the most one token may have "
                       "(--max_watches_per_token); end one first")));
    }
    ++open;
  }
  return new WatchReactor(
      hub_, access_, *std::move(caller), *request, [this, key] {
        absl::MutexLock lock(&watches_mu_);
        auto it = watches_by_token_.find(key);
        if (it != watches_by_token_.end() && --it->second <= 0) {
          watches_by_token_.erase(it);
        }
      });
}

}  // namespace monipaikka
