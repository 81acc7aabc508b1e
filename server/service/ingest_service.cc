#include "server/service/ingest_service.h"

#include <deque>
#include <optional>
#include <type_traits>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "server/ingest/health_validation.h"
#include "server/service/grpc_status.h"

namespace monipaikka {
namespace {

// One gateway's stream. Reads batches, validates them, hands them to the
// writer, and writes each acknowledgement in batch order once committed.
// Stops reading while max_batches_in_flight batches await their commit.
// Finishes only when no commit callback can still arrive.
class IngestStream
    : public grpc::ServerBidiReactor<v1::ReadingBatch, v1::BatchAck> {
 public:
  IngestStream(const SensorDirectoryHolder* directory, IngestWriter* writer,
               IngestCounters* counters, const IngestServiceOptions* options)
      : directory_(directory),
        writer_(writer),
        counters_(counters),
        options_(options) {
    StartRead(&incoming_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Act(&IngestStream::OnReadsDoneLocked);
      return;
    }
    if (incoming_.readings_size() > options_->max_batch_readings ||
        incoming_.health_size() > options_->max_batch_readings) {
      grpc::Status status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("batch ", incoming_.batch_id(), " has ",
                       incoming_.readings_size(), " readings and ",
                       incoming_.health_size(),
                       " health reports; the limit of each "
                       "(max_batch_readings) is ",
                       options_->max_batch_readings));
      Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        failure_ = status;
        reads_done_ = true;
      });
      return;
    }
    const std::shared_ptr<const SensorDirectory> directory = directory_->Get();
    const int64_t now_ms = options_->now_ms();
    ValidatedBatch batch =
        ValidateBatch(incoming_, *directory, now_ms, options_->limits);
    ValidatedHealth health =
        ValidateHealth(incoming_, *directory, now_ms, options_->limits);
    batch.health = std::move(health.records);
    counters_->health_accepted.fetch_add(batch.health.size(),
                                         std::memory_order_relaxed);
    for (const v1::RejectedReading& rejected : batch.rejected) {
      counters_->rejected[rejected.reason() % 8].fetch_add(
          1, std::memory_order_relaxed);
    }
    v1::BatchAck ack;
    ack.set_batch_id(incoming_.batch_id());
    ack.set_health_accepted(static_cast<uint32_t>(batch.health.size()));
    for (v1::RejectedReading& rejected : health.rejected) {
      *ack.add_health_rejected() = std::move(rejected);
    }
    for (v1::RejectedReading& rejected : batch.rejected) {
      *ack.add_rejected() = std::move(rejected);
    }
    batch.rejected.clear();
    AckSlot* slot;
    bool read_more;
    {
      absl::MutexLock lock(&mu_);
      slots_.push_back(AckSlot{std::move(ack), false});
      slot = &slots_.back();
      ++in_flight_;
      read_more = in_flight_ < options_->max_batches_in_flight;
      reading_paused_ = !read_more;
    }
    writer_->Submit(std::move(batch), [this, slot](BatchOutcome outcome) {
      Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        --in_flight_;
        if (!outcome.status.ok()) {
          if (!failure_.has_value()) {
            failure_ = ToGrpcStatus(outcome.status);
          }
          return;
        }
        slot->ack.set_accepted(outcome.accepted);
        slot->ack.set_duplicates(outcome.duplicates);
        for (v1::RejectedReading& rejected : outcome.rejected) {
          *slot->ack.add_rejected() = std::move(rejected);
        }
        slot->ready = true;
      });
    });
    if (read_more) StartRead(&incoming_);
  }

  void OnWriteDone(bool ok) override {
    Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      write_in_flight_ = false;
      if (!ok && !failure_.has_value()) {
        failure_ = grpc::Status(grpc::StatusCode::CANCELLED,
                                "acknowledgement could not be sent");
      }
    });
  }

  void OnCancel() override {
    Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      if (!failure_.has_value()) {
        failure_ = grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled");
      }
    });
  }

  void OnDone() override { delete this; }

 private:
  struct AckSlot {
    v1::BatchAck ack;
    bool ready = false;
  };
  // gRPC operations decided under the lock and started after releasing it.
  struct Actions {
    bool start_read = false;
    const v1::BatchAck* write = nullptr;
    std::optional<grpc::Status> finish;
  };

  void OnReadsDoneLocked(Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    reads_done_ = true;
  }

  // Applies `change` under the lock, then works out what the stream should
  // do next and does it outside the lock.
  template <typename Change>
  void Act(Change change) ABSL_LOCKS_EXCLUDED(mu_) {
    Actions actions;
    {
      absl::MutexLock lock(&mu_);
      if constexpr (std::is_member_function_pointer_v<Change>) {
        (this->*change)(actions);
      } else {
        change(actions);
      }
      Decide(actions);
    }
    if (actions.write != nullptr) StartWrite(actions.write);
    if (actions.start_read) StartRead(&incoming_);
    if (actions.finish.has_value()) Finish(*actions.finish);
  }

  void Decide(Actions& actions) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    if (failure_.has_value()) {
      if (in_flight_ == 0 && !write_in_flight_) {
        finished_ = true;
        actions.finish = *failure_;
      }
      return;
    }
    // The slot whose write completed is gone once the write is done.
    if (!write_in_flight_ && written_front_) {
      slots_.pop_front();
      written_front_ = false;
    }
    if (!write_in_flight_ && !slots_.empty() && slots_.front().ready) {
      write_in_flight_ = true;
      written_front_ = true;
      actions.write = &slots_.front().ack;
    }
    if (reading_paused_ && !reads_done_ &&
        in_flight_ < options_->max_batches_in_flight) {
      reading_paused_ = false;
      actions.start_read = true;
    }
    if (reads_done_ && in_flight_ == 0 && !write_in_flight_ && slots_.empty()) {
      finished_ = true;
      actions.finish = grpc::Status::OK;
    }
  }

  const SensorDirectoryHolder* const directory_;
  IngestWriter* const writer_;
  IngestCounters* const counters_;
  const IngestServiceOptions* const options_;
  v1::ReadingBatch incoming_;  // owned by the read in flight

  absl::Mutex mu_;
  // Acknowledgements in batch order; the front one is written first.
  std::deque<AckSlot> slots_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  bool reading_paused_ ABSL_GUARDED_BY(mu_) = false;
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool write_in_flight_ ABSL_GUARDED_BY(mu_) = false;
  bool written_front_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  std::optional<grpc::Status> failure_ ABSL_GUARDED_BY(mu_);
};

}  // namespace

IngestServiceImpl::IngestServiceImpl(const SensorDirectoryHolder* directory,
                                     IngestWriter* writer,
                                     IngestCounters* counters,
                                     IngestServiceOptions options)
    : directory_(directory),
      writer_(writer),
      counters_(counters),
      options_(std::move(options)) {}

grpc::ServerBidiReactor<v1::ReadingBatch, v1::BatchAck>*
IngestServiceImpl::StreamReadings(grpc::CallbackServerContext* /*context*/) {
  return new IngestStream(directory_, writer_, counters_, &options_);
}

}  // namespace monipaikka
