#pragma once

// The agent's connection to the server: streams the outbox to
// monipaikka.v1.IngestService/StreamReadings and removes what the server
// acknowledges.
//
// Flow: batches of up to `max_batch_size` rows are read from the outbox in id
// order (batch_id = the batch's last row id). Up to `max_in_flight` batches
// may be sent and not yet acknowledged; of those only one is being written
// at a time, the rest wait in a queue. Acknowledgements arrive in the order
// the batches were sent; each removes its batch (every row up to batch_id)
// from the outbox.
//
// Acknowledged rows the outbox keeps (Outbox::set_keep_acked_ms) make a
// stream start with a batch without readings: its acknowledgement carries
// the newest reading the server holds of this gateway
// (BatchAck.gateway_newest_ts_ms), and kept rows newer than that (the
// server lost them: it was restored from a backup) wait again and are sent
// first. Rows are sent only after that answer.
//
// When the stream fails (server down, restarted, unreachable, or no
// acknowledgement within `ack_timeout`) the uplink reconnects after an
// exponential backoff with full jitter, reset by the first acknowledgement,
// and resends everything not yet acknowledged from the first remaining
// outbox row; the server ignores what it already stored. A stream the server
// ends with INVALID_ARGUMENT (a batch larger than it accepts) is retried with
// batches half the size.
//
// Threading: all methods must be called on the thread running `io`. gRPC's
// completions (OnReadDone, OnWriteDone, OnDone) arrive on gRPC threads and
// are posted into `io`, so the uplink's state is only touched there.

#include <grpcpp/grpcpp.h>

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "edge/backoff.h"
#include "edge/outbox.h"
#include "monipaikka/v1/ingest.grpc.pb.h"

namespace monipaikka::edge {

struct UplinkOptions {
  // Sent in every ReadingBatch.gateway.
  std::string gateway;
  // Readings per batch, 1 … 10000 (the server's limit).
  int max_batch_size = 1000;
  // Batches sent and not yet acknowledged, at least 1.
  int max_in_flight = 8;
  BackoffPolicy backoff;
  // Without an acknowledgement for this long while batches are in flight the
  // stream is considered stuck, abandoned and opened again.
  std::chrono::milliseconds ack_timeout{60000};
  // Seeds the backoff jitter; 0 for a random seed.
  uint64_t jitter_seed = 0;
  // The clock (UTC ms) stamping acknowledgements in the outbox; unset: the
  // system clock.
  std::function<int64_t()> now_ms;
};

struct UplinkCounters {
  // Written to the stream (resent ones counted again).
  int64_t batches_sent = 0;
  int64_t readings_sent = 0;
  int64_t batches_acked = 0;
  // From the acknowledgements.
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  // Rejected readings by reason name, e.g. "REJECT_REASON_UNKNOWN_SENSOR".
  std::map<std::string, int64_t> rejected_by_reason;
  // Health reports the server took or refused.
  int64_t health_accepted = 0;
  int64_t health_rejected = 0;
  std::map<std::string, int64_t> health_rejected_by_reason;
  // Streams opened after the first one.
  int64_t reconnects = 0;
  // Acknowledged rows sent again because the server no longer held them
  // (it reported an older newest reading), and the times that happened.
  int64_t resent_rows = 0;
  int64_t resends = 0;
};

class IngestStream;

class Uplink {
 public:
  // `io` and `outbox` must outlive the uplink.
  Uplink(asio::io_context& io, std::shared_ptr<grpc::Channel> channel,
         Outbox* outbox, UplinkOptions options);
  // Cancels an open stream and waits until gRPC has finished with it. Must
  // not run while `io` is running on another thread.
  ~Uplink();

  Uplink(const Uplink&) = delete;
  Uplink& operator=(const Uplink&) = delete;

  // Opens the stream and starts sending what the outbox holds.
  void Start();
  // Rows were appended to the outbox: send them when the window allows.
  void OutboxGrew();
  // Stops sending, closes the stream and calls `done` (on the io thread) once
  // gRPC has finished with it. Unacknowledged rows stay in the outbox.
  void Shutdown(std::function<void()> done);

  // Called on the io thread after each acknowledgement was applied.
  void set_on_ack(std::function<void()> on_ack) { on_ack_ = std::move(on_ack); }
  // Called on the io thread when the outbox cannot be read; the uplink then
  // stops sending until restarted.
  void set_on_error(std::function<void(absl::Status)> on_error) {
    on_error_ = std::move(on_error);
  }

  const UplinkCounters& counters() const { return counters_; }
  // Batches sent or queued and not yet acknowledged.
  int in_flight() const { return static_cast<int>(in_flight_.size()); }

 private:
  friend class IngestStream;

  struct InFlightBatch {
    uint64_t batch_id = 0;
    int readings = 0;
    // The outbox row of each reading of the batch, in order.
    std::vector<int64_t> reading_rows;
  };

  void Connect();
  // Reads more batches from the outbox while the window has room.
  void Fill();
  // Starts the next queued write unless one is outstanding.
  void MaybeWrite();
  // Gives up on the current stream: no more operations are started on it
  // and it is cancelled; OnStreamDone follows.
  void Abandon(IngestStream* stream, absl::string_view reason);
  void ArmAckTimer();

  // Completions, on the io thread.
  void OnStreamRead(IngestStream* stream, bool ok, v1::BatchAck ack);
  void OnStreamWrite(IngestStream* stream, bool ok);
  void OnStreamDone(IngestStream* stream, const grpc::Status& status);

  void ApplyAck(const v1::BatchAck& ack, const InFlightBatch& batch);
  // Starts a stream with the batch without readings that asks for the
  // server's newest reading of the gateway.
  void AskNewest();
  // The answer: kept rows newer than the server's newest wait again.
  void ResendWhatTheServerLacks(const v1::BatchAck& ack);
  int64_t NowMs() const;

  asio::io_context& io_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<v1::IngestService::Stub> stub_;
  Outbox* const outbox_;
  const UplinkOptions options_;

  Backoff backoff_;
  asio::steady_timer reconnect_timer_;
  asio::steady_timer ack_timer_;
  // Distinguishes the current arming of ack_timer_ from earlier ones.
  uint64_t ack_timer_token_ = 0;

  // The open stream, if any; kept until its OnDone has been handled.
  std::shared_ptr<IngestStream> stream_;
  // Keeps io.run() from returning while gRPC may still post completions.
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>>
      stream_work_;
  // No operation may be started on stream_ any more.
  bool stream_abandoned_ = false;
  // No acknowledgement has arrived on stream_ yet.
  bool first_ack_on_stream_ = true;
  int64_t streams_opened_ = 0;
  bool started_ = false;
  bool failed_ = false;
  bool stopping_ = false;
  std::function<void()> shutdown_done_;

  // Readings per batch; halved when the server ends a stream with
  // INVALID_ARGUMENT (the only batch-level error: a batch too large for it).
  int batch_size_;
  // Highest outbox row id read into a batch on this stream.
  int64_t send_cursor_ = 0;
  // The stream's first batch asked for the server's newest reading and its
  // acknowledgement has not come yet: no rows are sent until it has.
  bool awaiting_newest_ = false;
  // Sent or queued, not yet acknowledged; oldest first.
  std::deque<InFlightBatch> in_flight_;
  // The tail of in_flight_ not yet handed to StartWrite.
  std::deque<v1::ReadingBatch> write_queue_;
  bool writing_ = false;
  int writing_readings_ = 0;

  UplinkCounters counters_;
  std::function<void()> on_ack_;
  std::function<void(absl::Status)> on_error_;
};

}  // namespace monipaikka::edge
