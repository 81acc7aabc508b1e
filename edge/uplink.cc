#include "edge/uplink.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "common/time_format.h"

namespace monipaikka::edge {

// One StreamReadings call. gRPC calls the On* methods on its own threads;
// each posts the outcome into the io_context, where the Uplink handles it.
//
// The call starts with a hold, so gRPC cannot finish it (OnDone) while the
// io thread may still start writes; the Uplink releases the hold once it
// starts no more operations on the call. OnDone is the last callback; it
// also wakes AwaitDone(), which a destructor uses to know that gRPC no
// longer touches the object.
class IngestStream
    : public grpc::ClientBidiReactor<v1::ReadingBatch, v1::BatchAck>,
      public std::enable_shared_from_this<IngestStream> {
 public:
  IngestStream(asio::io_context& io, Uplink* owner) : io_(io), owner_(owner) {}

  // io thread. Starts the call with a read pending.
  void Begin(v1::IngestService::Stub* stub) {
    stub->async()->StreamReadings(&context_, this);
    StartRead(&incoming_);
    AddHold();
    StartCall();
  }
  // io thread; only after the previous write completed.
  void Write(v1::ReadingBatch batch) {
    outgoing_ = std::move(batch);
    StartWrite(&outgoing_);
  }
  // io thread; only after the previous read completed.
  void ReadNext() { StartRead(&incoming_); }
  // io thread. After this no operation may be started.
  void ReleaseHold() {
    if (hold_released_) return;
    hold_released_ = true;
    RemoveHold();
  }
  // Any thread.
  void Cancel() { context_.TryCancel(); }
  // io thread: completions still posted are dropped.
  void Detach() { owner_ = nullptr; }
  // Blocks until OnDone has run.
  void AwaitDone() {
    std::unique_lock<std::mutex> lock(done_mutex_);
    done_cv_.wait(lock, [this] { return done_; });
  }

  void OnReadDone(bool ok) override {
    v1::BatchAck ack;
    if (ok) ack.Swap(&incoming_);
    asio::post(io_,
               [self = shared_from_this(), ok, ack = std::move(ack)]() mutable {
                 if (self->owner_ != nullptr) {
                   self->owner_->OnStreamRead(self.get(), ok, std::move(ack));
                 }
               });
  }

  void OnWriteDone(bool ok) override {
    asio::post(io_, [self = shared_from_this(), ok] {
      if (self->owner_ != nullptr) self->owner_->OnStreamWrite(self.get(), ok);
    });
  }

  void OnDone(const grpc::Status& status) override {
    // The io thread may handle the posted completion and drop its references
    // before this function ends: `self` keeps the object alive until then
    // (and may be the last reference, which gRPC allows in OnDone).
    std::shared_ptr<IngestStream> self = shared_from_this();
    // Post before waking AwaitDone(): after that, the owner may destroy the
    // io_context.
    asio::post(io_, [self, status] {
      if (self->owner_ != nullptr)
        self->owner_->OnStreamDone(self.get(), status);
    });
    std::lock_guard<std::mutex> lock(done_mutex_);
    done_ = true;
    done_cv_.notify_all();
  }

 private:
  asio::io_context& io_;
  Uplink* owner_;  // io thread only
  grpc::ClientContext context_;
  v1::BatchAck incoming_;
  v1::ReadingBatch outgoing_;
  bool hold_released_ = false;  // io thread only

  std::mutex done_mutex_;
  std::condition_variable done_cv_;
  bool done_ = false;  // guarded by done_mutex_
};

Uplink::Uplink(asio::io_context& io, std::shared_ptr<grpc::Channel> channel,
               Outbox* outbox, UplinkOptions options)
    : io_(io),
      channel_(std::move(channel)),
      stub_(v1::IngestService::NewStub(channel_)),
      outbox_(outbox),
      options_(std::move(options)),
      backoff_(options_.backoff, options_.jitter_seed),
      reconnect_timer_(io),
      ack_timer_(io),
      batch_size_(options_.max_batch_size) {}

Uplink::~Uplink() {
  if (stream_ != nullptr) {
    std::shared_ptr<IngestStream> stream = stream_;
    stream->Detach();
    stream->ReleaseHold();
    stream->Cancel();
    stream->AwaitDone();
  }
}

void Uplink::Start() {
  if (started_) return;
  started_ = true;
  Connect();
}

void Uplink::OutboxGrew() { Fill(); }

void Uplink::Shutdown(std::function<void()> done) {
  stopping_ = true;
  reconnect_timer_.cancel();
  ++ack_timer_token_;
  ack_timer_.cancel();
  if (stream_ != nullptr) {
    shutdown_done_ = std::move(done);
    Abandon(stream_.get(), "");
  } else if (done) {
    asio::post(io_, std::move(done));
  }
}

void Uplink::Connect() {
  if (stopping_ || failed_) return;
  if (++streams_opened_ > 1) ++counters_.reconnects;
  stream_ = std::make_shared<IngestStream>(io_, this);
  stream_work_.emplace(io_.get_executor());
  stream_abandoned_ = false;
  first_ack_on_stream_ = true;
  send_cursor_ = 0;
  awaiting_newest_ = false;
  in_flight_.clear();
  write_queue_.clear();
  writing_ = false;
  stream_->Begin(stub_.get());
  absl::StatusOr<bool> kept = outbox_->HasAcknowledged();
  if (!kept.ok()) {
    Log(LogLevel::kWarning, "outbox_read_failed",
        {{"outbox", outbox_->path()}, {"error", kept.status().ToString()}});
  }
  if (kept.ok() && *kept) {
    AskNewest();
  } else {
    Fill();
  }
}

int64_t Uplink::NowMs() const {
  return options_.now_ms ? options_.now_ms() : absl::ToUnixMillis(absl::Now());
}

void Uplink::AskNewest() {
  v1::ReadingBatch ask;
  ask.set_batch_id(0);  // no row: acknowledges none
  ask.set_gateway(options_.gateway);
  awaiting_newest_ = true;
  in_flight_.push_back({0, 0, {}});
  write_queue_.push_back(std::move(ask));
  MaybeWrite();
}

void Uplink::ResendWhatTheServerLacks(const v1::BatchAck& ack) {
  if (!ack.has_gateway_newest_ts_ms()) return;  // a server that does not say
  absl::StatusOr<int64_t> requeued =
      outbox_->RequeueAcknowledgedAfter(ack.gateway_newest_ts_ms());
  if (!requeued.ok()) {
    Log(LogLevel::kError, "outbox_requeue_failed",
        {{"outbox", outbox_->path()}, {"error", requeued.status().ToString()}});
    return;
  }
  if (*requeued == 0) return;
  ++counters_.resends;
  counters_.resent_rows += *requeued;
  Log(LogLevel::kWarning, "resending_acknowledged_readings",
      {{"gateway", options_.gateway},
       {"rows", *requeued},
       {"server_newest", ack.gateway_newest_ts_ms() == 0
                             ? std::string("none")
                             : FormatInstantMs(ack.gateway_newest_ts_ms())},
       {"reason",
        "the server holds no newer reading of this gateway (restored from a "
        "backup?)"}});
}

void Uplink::Fill() {
  if (stream_ == nullptr || stream_abandoned_ || stopping_ || failed_ ||
      awaiting_newest_) {
    return;
  }
  while (static_cast<int>(in_flight_.size()) < options_.max_in_flight) {
    absl::StatusOr<std::vector<OutboxRow>> rows =
        outbox_->Peek(send_cursor_, batch_size_);
    if (!rows.ok()) {
      failed_ = true;
      Log(LogLevel::kError, "outbox_read_failed",
          {{"outbox", outbox_->path()}, {"error", rows.status().ToString()}});
      Abandon(stream_.get(), "");
      if (on_error_) on_error_(rows.status());
      return;
    }
    if (rows->empty()) break;
    v1::ReadingBatch batch;
    batch.set_batch_id(static_cast<uint64_t>(rows->back().id));
    batch.set_gateway(options_.gateway);
    batch.mutable_readings()->Reserve(static_cast<int>(rows->size()));
    std::vector<int64_t> reading_rows;
    reading_rows.reserve(rows->size());
    for (OutboxRow& row : *rows) {
      const DeviceHealth& health = row.reading.health;
      if (!health.empty()) {
        v1::SensorHealth* report = batch.add_health();
        report->set_sensor(row.reading.sensor);
        report->set_ts_ms(row.reading.ts_ms);
        if (health.battery_mv) report->set_battery_mv(*health.battery_mv);
        if (health.battery_percent) {
          report->set_battery_percent(*health.battery_percent);
        }
        if (health.rssi_dbm) report->set_rssi_dbm(*health.rssi_dbm);
        if (health.snr_db) {
          report->set_snr_db(static_cast<float>(*health.snr_db));
        }
      }
      if (row.reading.health_only) continue;
      reading_rows.push_back(row.id);
      v1::Reading* reading = batch.add_readings();
      reading->set_sensor(std::move(row.reading.sensor));
      reading->set_ts_ms(row.reading.ts_ms);
      reading->set_seq(row.seq);
      if (row.reading.count) {
        reading->set_count(*row.reading.count);
      } else if (row.reading.flow) {
        v1::PeopleFlow* flow = reading->mutable_flow();
        flow->set_entered(row.reading.flow->entered);
        flow->set_exited(row.reading.flow->exited);
      } else {
        reading->set_occupied(row.reading.occupied);
      }
    }
    send_cursor_ = rows->back().id;
    in_flight_.push_back({batch.batch_id(),
                          static_cast<int>(batch.readings_size()),
                          std::move(reading_rows)});
    write_queue_.push_back(std::move(batch));
  }
  MaybeWrite();
}

void Uplink::MaybeWrite() {
  if (writing_ || write_queue_.empty() || stream_ == nullptr ||
      stream_abandoned_) {
    return;
  }
  writing_ = true;
  writing_readings_ = write_queue_.front().readings_size();
  stream_->Write(std::move(write_queue_.front()));
  write_queue_.pop_front();
}

void Uplink::Abandon(IngestStream* stream, absl::string_view reason) {
  if (!reason.empty()) {
    Log(LogLevel::kWarning, "stream_abandoned",
        {{"reason", reason}, {"unacked_batches", in_flight()}});
  }
  stream_abandoned_ = true;
  stream->ReleaseHold();
  stream->Cancel();
}

void Uplink::ArmAckTimer() {
  const uint64_t token = ++ack_timer_token_;
  ack_timer_.expires_after(options_.ack_timeout);
  ack_timer_.async_wait([this, token](const std::error_code& error) {
    if (error || token != ack_timer_token_) return;
    if (stream_ != nullptr && !stream_abandoned_ && !in_flight_.empty()) {
      Abandon(stream_.get(), absl::StrCat("no acknowledgement within ",
                                          options_.ack_timeout.count(), " ms"));
    }
  });
}

void Uplink::OnStreamWrite(IngestStream* stream, bool ok) {
  if (stream != stream_.get()) return;
  writing_ = false;
  if (!ok) {
    // The stream is broken; the pending read fails too and OnDone tells why.
    if (!stream_abandoned_) Abandon(stream, "");
    return;
  }
  ++counters_.batches_sent;
  counters_.readings_sent += writing_readings_;
  // The first unacknowledged batch on the wire starts the clock.
  if (static_cast<int>(in_flight_.size()) -
          static_cast<int>(write_queue_.size()) ==
      1) {
    ArmAckTimer();
  }
  MaybeWrite();
}

void Uplink::OnStreamRead(IngestStream* stream, bool ok, v1::BatchAck ack) {
  if (stream != stream_.get()) return;
  if (!ok) {
    // The server ended the stream or it broke; OnDone follows with the
    // status once the outstanding write (if any) has completed.
    stream_abandoned_ = true;
    stream->ReleaseHold();
    return;
  }
  if (in_flight_.empty() || ack.batch_id() != in_flight_.front().batch_id) {
    Log(LogLevel::kError, "unexpected_ack",
        {{"batch_id", ack.batch_id()},
         {"expected", in_flight_.empty()
                          ? std::string("none")
                          : absl::StrCat(in_flight_.front().batch_id)}});
    if (!stream_abandoned_) Abandon(stream, "acknowledgement out of order");
    return;
  }
  const InFlightBatch batch = std::move(in_flight_.front());
  in_flight_.pop_front();
  ApplyAck(ack, batch);
  if (awaiting_newest_) {
    awaiting_newest_ = false;
    ResendWhatTheServerLacks(ack);
  }
  backoff_.Reset();
  if (first_ack_on_stream_) {
    first_ack_on_stream_ = false;
    Log(LogLevel::kInfo, "uplink_connected",
        {{"gateway", options_.gateway}, {"reconnects", counters_.reconnects}});
  }
  if (!stream_abandoned_) {
    stream->ReadNext();
    if (in_flight_.empty()) {
      ++ack_timer_token_;
      ack_timer_.cancel();
    } else {
      ArmAckTimer();
    }
    Fill();
  }
  if (on_ack_) on_ack_();
}

void Uplink::ApplyAck(const v1::BatchAck& ack, const InFlightBatch& batch) {
  ++counters_.batches_acked;
  counters_.accepted += ack.accepted();
  counters_.duplicates += ack.duplicates();
  counters_.rejected += ack.rejected_size();
  counters_.health_accepted += ack.health_accepted();
  counters_.health_rejected += ack.health_rejected_size();
  for (const v1::RejectedReading& rejected : ack.health_rejected()) {
    if (++counters_.health_rejected_by_reason[v1::RejectReason_Name(
            rejected.reason())] == 1) {
      Log(LogLevel::kWarning, "health_report_rejected",
          {{"reason", v1::RejectReason_Name(rejected.reason())},
           {"batch_id", ack.batch_id()},
           {"message", rejected.message()}});
    }
  }
  for (const v1::RejectedReading& rejected : ack.rejected()) {
    const std::string reason = v1::RejectReason_Name(rejected.reason());
    int64_t& count = counters_.rejected_by_reason[reason];
    if (++count == 1) {
      // Once per reason; the status line carries the running counts.
      Log(LogLevel::kWarning, "reading_rejected",
          {{"reason", reason},
           {"batch_id", ack.batch_id()},
           {"index", rejected.index()},
           {"message", rejected.message()}});
    }
  }
  const int64_t total = static_cast<int64_t>(ack.accepted()) +
                        ack.duplicates() + ack.rejected_size();
  if (total != batch.readings) {
    Log(LogLevel::kWarning, "ack_count_mismatch",
        {{"batch_id", ack.batch_id()},
         {"readings", batch.readings},
         {"acknowledged", total}});
  }
  if (absl::Status removed = outbox_->AcknowledgeThrough(
          static_cast<int64_t>(ack.batch_id()), NowMs());
      !removed.ok()) {
    // The rows stay and are sent again later; the server ignores them then.
    Log(LogLevel::kError, "outbox_remove_failed",
        {{"batch_id", ack.batch_id()}, {"error", removed.ToString()}});
    return;
  }
  if (outbox_->keep_acked_ms() > 0 && ack.rejected_size() > 0) {
    // Rejected readings are not kept for a restored server: it would
    // reject them again.
    std::vector<int64_t> rejected_rows;
    for (const v1::RejectedReading& rejected : ack.rejected()) {
      if (rejected.index() < batch.reading_rows.size()) {
        rejected_rows.push_back(batch.reading_rows[rejected.index()]);
      }
    }
    if (absl::Status removed = outbox_->RemoveRows(rejected_rows);
        !removed.ok()) {
      Log(LogLevel::kWarning, "outbox_remove_failed",
          {{"batch_id", ack.batch_id()}, {"error", removed.ToString()}});
    }
  }
}

void Uplink::OnStreamDone(IngestStream* stream, const grpc::Status& status) {
  if (stream != stream_.get()) return;
  ++ack_timer_token_;
  ack_timer_.cancel();
  const int unacked = in_flight();
  stream_.reset();
  stream_work_.reset();
  in_flight_.clear();
  write_queue_.clear();
  writing_ = false;
  if (stopping_ || failed_) {
    if (shutdown_done_) {
      asio::post(io_, std::move(shutdown_done_));
      shutdown_done_ = nullptr;
    }
    return;
  }
  if (status.error_code() == grpc::StatusCode::INVALID_ARGUMENT &&
      batch_size_ > 1) {
    batch_size_ = std::max(1, batch_size_ / 2);
    Log(LogLevel::kWarning, "batch_size_reduced",
        {{"batch_size", batch_size_}, {"reason", status.error_message()}});
  }
  const std::chrono::milliseconds delay = backoff_.NextDelay();
  Log(LogLevel::kWarning, "stream_closed",
      {{"code", static_cast<int>(status.error_code())},
       {"message", status.error_message()},
       {"unacked_batches", unacked},
       {"retry_in_ms", static_cast<int64_t>(delay.count())}});
  reconnect_timer_.expires_after(delay);
  reconnect_timer_.async_wait([this](const std::error_code& error) {
    if (!error) Connect();
  });
}

}  // namespace monipaikka::edge
