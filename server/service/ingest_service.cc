#include "server/service/ingest_service.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <deque>
#include <optional>
#include <type_traits>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "common/check.h"
#include "common/grpc_status.h"
#include "server/auth/rpc_policy.h"
#include "server/service/refused_call.h"

namespace monipaikka {
namespace {

// One gateway's stream. Reads batches, admits them (StreamAdmission: the
// rules and the ack), hands them to the writer, and writes each acknowledgement
// in batch order once committed. Stops reading while max_batches_in_flight
// batches await their commit. Finishes only when no commit callback can still
// arrive and no gRPC operation is being started by another thread (so none can
// follow Finish).
class IngestStream
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // `caller` is the stream's authorized caller. `admission` and `writer`
  // are not owned and must outlive the stream.
  IngestStream(IngestAdmission* admission, IngestWriter* writer, Caller caller)
      : writer_(writer),
        max_batches_in_flight_(admission->options().max_batches_in_flight),
        admission_(admission, std::move(caller)) {
    StartRead(&incoming_wire_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      Act(&IngestStream::OnReadsDoneLocked);
      return;
    }
    // `incoming_` is in use until this call is done with it: the read
    // stays outstanding until then, so that no other thread (a commit
    // callback's Act) starts the next read into it meanwhile.
    incoming_.Clear();
    if (grpc::Status parsed =
            grpc::SerializationTraits<v1::ReadingBatch>::Deserialize(
                &incoming_wire_, &incoming_);
        !parsed.ok()) {
      FailReads(admission_.RefuseUnparsable(parsed.error_message()));
      return;
    }
    absl::StatusOr<AdmittedBatch> admitted = admission_.Admit(incoming_);
    if (!admitted.ok()) {
      FailReads(admitted.status());
      return;
    }
    AckSlot* slot;
    {
      absl::MutexLock lock(&mu_);
      slots_.push_back(
          AckSlot{std::move(admitted->ack), false, grpc::ByteBuffer()});
      slot = &slots_.back();
      ++in_flight_;
    }
    // On the writer thread, once the batch's transaction ended.
    auto on_committed = [this, slot](BatchOutcome outcome) {
      Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        --in_flight_;
        if (!outcome.status.ok()) {
          if (!failure_.has_value()) failure_ = ToGrpcStatus(outcome.status);
          return;
        }
        CompleteAck(std::move(outcome), &slot->ack);
        slot->ready = true;
      });
    };
    writer_->Submit(std::move(admitted->batch), std::move(on_committed));
    // Done with `incoming_`: reads on when fewer than max_batches_in_flight
    // await their commit.
    Act([&](Actions&)
            ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { read_outstanding_ = false; });
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
        failure_ =
            grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled");
      }
    });
  }

  // Deleting the stream gives its gateway's stream back (~StreamAdmission).
  void OnDone() override { delete this; }

 private:
  struct AckSlot {
    v1::BatchAck ack;
    bool ready = false;
    // The ack serialized, while it is being written.
    grpc::ByteBuffer wire;
  };
  // gRPC operations decided under the lock and started after releasing it.
  struct Actions {
    bool start_read = false;
    const grpc::ByteBuffer* write = nullptr;
    std::optional<grpc::Status> finish;
  };

  void OnReadsDoneLocked(Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    read_outstanding_ = false;
    reads_done_ = true;
  }

  // Ends the reads of the stream, which finishes with `status` once the
  // batches in flight are done, unless an earlier failure (a commit that
  // failed, a cancellation) decided its end first.
  void FailReads(const absl::Status& status) ABSL_LOCKS_EXCLUDED(mu_) {
    Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      read_outstanding_ = false;
      reads_done_ = true;
      if (!failure_.has_value()) failure_ = ToGrpcStatus(status);
    });
  }

  // Applies `change` under the lock, then works out what the stream should
  // do next and does it outside the lock.
  // Reads and writes are started outside the lock; `starting_` counts them
  // so that Decide() never finishes the stream while one is under way (an
  // operation started after Finish could touch a deleted reactor).
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
    while (true) {
      if (actions.finish.has_value()) {
        Finish(*actions.finish);  // last use of `this` on this thread
        return;
      }
      const bool started = actions.write != nullptr || actions.start_read;
      if (!started) return;
      if (actions.write != nullptr) StartWrite(actions.write);
      if (actions.start_read) StartRead(&incoming_wire_);
      actions = Actions();
      absl::MutexLock lock(&mu_);
      --starting_;
      Decide(actions);
    }
  }

  // Works out the next operations; counts them in `starting_`.
  void Decide(Actions& actions) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    DecideOperations(actions);
    if (actions.write != nullptr || actions.start_read) ++starting_;
  }

  void DecideOperations(Actions& actions) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    if (finished_) return;
    if (failure_.has_value()) {
      if (in_flight_ == 0 && !write_in_flight_ && starting_ == 0) {
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
      bool own_buffer = false;
      AckSlot& front = slots_.front();
      if (!grpc::SerializationTraits<v1::BatchAck>::Serialize(
               front.ack, &front.wire, &own_buffer)
               .ok()) {
        // An ack this server built always serializes: a broken invariant.
        MONIPAIKKA_FATAL("cannot serialize BatchAck");
      }
      actions.write = &front.wire;
    }
    if (!read_outstanding_ && !reads_done_ &&
        in_flight_ < max_batches_in_flight_) {
      read_outstanding_ = true;
      actions.start_read = true;
    }
    if (reads_done_ && in_flight_ == 0 && !write_in_flight_ && slots_.empty() &&
        starting_ == 0 && !actions.start_read && actions.write == nullptr) {
      finished_ = true;
      actions.finish = grpc::Status::OK;
    }
  }

  IngestWriter* const writer_;
  const int max_batches_in_flight_;
  // The admission rules of this stream; touched only by OnReadDone (reads
  // never overlap) and the destructor.
  StreamAdmission admission_;
  // Owned by the read in flight: its bytes, then the batch parsed.
  grpc::ByteBuffer incoming_wire_;
  v1::ReadingBatch incoming_;

  absl::Mutex mu_;
  // Acknowledgements in batch order; the front one is written first.
  std::deque<AckSlot> slots_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  // A StartRead is outstanding (one is started by the constructor).
  bool read_outstanding_ ABSL_GUARDED_BY(mu_) = true;
  // StartRead/StartWrite calls decided and not yet made (see Act()).
  int starting_ ABSL_GUARDED_BY(mu_) = 0;
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
                                     const AccessControl* access,
                                     IngestOptions options)
    : writer_(writer),
      access_(access),
      admission_(directory, counters, access, std::move(options)) {}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestServiceImpl::StreamReadings(grpc::CallbackServerContext* context) {
  absl::StatusOr<Caller> caller =
      access_->Authorize(*context, rpc::kStreamReadings);
  if (!caller.ok()) {
    return new RefusedBidiStream<grpc::ByteBuffer, grpc::ByteBuffer>(
        ToGrpcStatus(caller.status()));
  }
  return new IngestStream(&admission_, writer_, *std::move(caller));
}

}  // namespace monipaikka
