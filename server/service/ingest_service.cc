#include "server/service/ingest_service.h"

#include <grpcpp/support/proto_buffer_reader.h>
#include <grpcpp/support/proto_buffer_writer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <optional>
#include <type_traits>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "common/grpc_status.h"
#include "server/auth/rpc_policy.h"
#include "server/ingest/health_validation.h"
#include "server/service/refused_call.h"

namespace monipaikka {
namespace {

// One gateway's stream. Reads batches, validates them, hands them to the
// writer, and writes each acknowledgement in batch order once committed.
// Stops reading while max_batches_in_flight batches await their commit.
// Finishes only when no commit callback can still arrive and no gRPC
// operation is being started by another thread (so none can follow Finish).
class IngestStream
    : public grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer> {
 public:
  // `caller` is the stream's authorized caller; a device's readings must be
  // of its own gateway.
  IngestStream(const SensorDirectoryHolder* directory, IngestWriter* writer,
               IngestCounters* counters, const AccessControl* access,
               Caller caller, const IngestServiceOptions* options,
               GatewayStreams* gateway_streams)
      : directory_(directory),
        writer_(writer),
        counters_(counters),
        access_(access),
        caller_(std::move(caller)),
        options_(options),
        gateway_streams_(gateway_streams) {
    counters_->open_streams.fetch_add(1, std::memory_order_relaxed);
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
      counters_->malformed_messages.fetch_add(1, std::memory_order_relaxed);
      grpc::Status status(
          grpc::StatusCode::INVALID_ARGUMENT,
          absl::StrCat("message ", messages_ + 1,
                       " of the stream is not a ReadingBatch protobuf (",
                       parsed.error_message(), ")"));
      Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        read_outstanding_ = false;
        failure_ = status;
        reads_done_ = true;
      });
      return;
    }
    ++messages_;
    // A token revoked or expired since the stream opened ends it.
    if (absl::Status still =
            access_->RecheckToken(caller_, rpc::kStreamReadings);
        !still.ok()) {
      Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        read_outstanding_ = false;
        if (!failure_.has_value()) failure_ = ToGrpcStatus(still);
        reads_done_ = true;
      });
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
        read_outstanding_ = false;
        failure_ = status;
        reads_done_ = true;
      });
      return;
    }
    if (caller_.role == Role::kDevice) {
      // A device speaks for its own gateway only: an unnamed batch is taken
      // as its gateway's, so that validation rejects other gateways' sensors.
      absl::Status own = access_->CheckOwnGateway(
          caller_,
          incoming_.gateway().empty() ? caller_.gateway : incoming_.gateway(),
          rpc::kStreamReadings);
      if (!own.ok()) {
        Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          read_outstanding_ = false;
          if (!failure_.has_value()) failure_ = ToGrpcStatus(own);
          reads_done_ = true;
        });
        return;
      }
      incoming_.set_gateway(caller_.gateway);
    }
    // The stream belongs to the gateway of its first batch that names one
    // (a device's: its own gateway, checked above before it counts).
    if (!incoming_.gateway().empty()) {
      std::optional<grpc::Status> refused;
      if (!stream_gateway_.has_value()) {
        if (absl::Status opened = gateway_streams_->Open(incoming_.gateway());
            opened.ok()) {
          stream_gateway_ = incoming_.gateway();
        } else {
          refused = ToGrpcStatus(opened);
        }
      } else if (*stream_gateway_ != incoming_.gateway()) {
        refused = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("gateway: batch ", incoming_.batch_id(), " is from \"",
                         incoming_.gateway(), "\" but the stream is gateway \"",
                         *stream_gateway_, "\"'s; one stream per gateway"));
      }
      if (refused.has_value()) {
        Act([&](Actions&) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          read_outstanding_ = false;
          failure_ = *refused;
          reads_done_ = true;
        });
        return;
      }
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
    {
      absl::MutexLock lock(&mu_);
      slots_.push_back(AckSlot{std::move(ack), false, grpc::ByteBuffer()});
      slot = &slots_.back();
      ++in_flight_;
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

  void OnDone() override {
    counters_->open_streams.fetch_sub(1, std::memory_order_relaxed);
    if (stream_gateway_.has_value()) gateway_streams_->Close(*stream_gateway_);
    delete this;
  }

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
        std::fprintf(stderr,
                     "event=fatal error=\"cannot serialize BatchAck\"\n");
        std::abort();
      }
      actions.write = &front.wire;
    }
    if (!read_outstanding_ && !reads_done_ &&
        in_flight_ < options_->max_batches_in_flight) {
      read_outstanding_ = true;
      actions.start_read = true;
    }
    if (reads_done_ && in_flight_ == 0 && !write_in_flight_ && slots_.empty() &&
        starting_ == 0 && !actions.start_read && actions.write == nullptr) {
      finished_ = true;
      actions.finish = grpc::Status::OK;
    }
  }

  const SensorDirectoryHolder* const directory_;
  IngestWriter* const writer_;
  IngestCounters* const counters_;
  const AccessControl* const access_;
  const Caller caller_;
  const IngestServiceOptions* const options_;
  GatewayStreams* const gateway_streams_;
  // Owned by the read in flight: its bytes, then the batch parsed.
  grpc::ByteBuffer incoming_wire_;
  v1::ReadingBatch incoming_;
  // Messages read and parsed so far (OnReadDone only).
  uint64_t messages_ = 0;
  // The gateway this stream counts against, once a batch named it. Touched
  // only by OnReadDone (reads never overlap) and OnDone.
  std::optional<std::string> stream_gateway_;

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
                                     IngestServiceOptions options)
    : directory_(directory),
      writer_(writer),
      counters_(counters),
      access_(access),
      options_(std::move(options)),
      gateway_streams_(std::max(1, options_.max_streams_per_gateway)) {}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>*
IngestServiceImpl::StreamReadings(grpc::CallbackServerContext* context) {
  absl::StatusOr<Caller> caller =
      access_->Authorize(*context, rpc::kStreamReadings);
  if (!caller.ok()) {
    return new RefusedBidiStream<grpc::ByteBuffer, grpc::ByteBuffer>(
        ToGrpcStatus(caller.status()));
  }
  return new IngestStream(directory_, writer_, counters_, access_,
                          *std::move(caller), &options_, &gateway_streams_);
}

}  // namespace monipaikka
