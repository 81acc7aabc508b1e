#pragma once

// The admission rules of the ingest stream (IngestService.StreamReadings),
// free of gRPC so that each can be tested on its own: what a batch must
// satisfy before the writer sees it, and the acknowledgement it gets.
//
// For each batch of a stream, in this order:
//  1. the caller's token (or client certificate) is still valid;
//  2. the batch holds at most max_batch_readings readings and as many health
//     reports;
//  3. a device's batch is its own gateway's (an unnamed batch is taken as
//     its gateway's, so that validation rejects other gateways' sensors);
//  4. the stream belongs to the gateway of its first batch that names one,
//     counted against max_streams_per_gateway; a later batch of another
//     gateway ends the stream;
//  5. each reading and health report is validated on its own
//     (reading_validation.h, health_validation.h); the rejected ones go into
//     the acknowledgement, the rest to the writer.
// A batch that breaks rule 1–4 ends the stream with the status returned.
//
// Thread safety: IngestAdmission may be used from any thread. A
// StreamAdmission is one stream's and must not be used concurrently (the
// stream reads one message at a time).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "monipaikka/v1/ingest.pb.h"
#include "server/auth/access_control.h"
#include "server/ingest/gateway_streams.h"
#include "server/ingest/ingest_writer.h"
#include "server/ingest/reading_validation.h"
#include "server/ingest/sensor_directory.h"

namespace monipaikka {

struct IngestOptions {
  ValidationLimits limits;
  // Largest number of readings (and of health reports) in one batch.
  int max_batch_readings = 10000;
  // Batches of one stream waiting for their commit before the stream stops
  // reading (backpressure; applied by the gRPC adapter).
  int max_batches_in_flight = 8;
  // Open streams one gateway (ReadingBatch.gateway) may have at a time.
  int max_streams_per_gateway = 4;
  // The clock (UTC ms); injectable for tests. Required.
  std::function<int64_t()> now_ms;
};

// A batch admitted to the writer, and its acknowledgement as far as
// admission can fill it in (batch id, readings and health reports rejected
// by validation, health reports accepted); CompleteAck adds the commit's
// part.
struct AdmittedBatch {
  ValidatedBatch batch;
  v1::BatchAck ack;
};

// Adds what the commit decided (readings accepted, duplicates, readings the
// writer refused) to `ack`. `outcome.status` must be OK.
void CompleteAck(BatchOutcome outcome, v1::BatchAck* ack);

class StreamAdmission;

// The admission rules shared by every ingest stream of the server, and the
// per-gateway stream counts.
class IngestAdmission {
 public:
  // `directory`, `counters` and `access` are not owned and must outlive this
  // object and every StreamAdmission it opened. `options.now_ms` must be set.
  IngestAdmission(const SensorDirectoryHolder* directory,
                  IngestCounters* counters, const AccessControl* access,
                  IngestOptions options);
  IngestAdmission(const IngestAdmission&) = delete;
  IngestAdmission& operator=(const IngestAdmission&) = delete;

  const IngestOptions& options() const { return options_; }
  // Open streams of `gateway` (those whose batches named it).
  int OpenStreams(const std::string& gateway) const {
    return gateway_streams_.OpenStreams(gateway);
  }

 private:
  friend class StreamAdmission;

  const SensorDirectoryHolder* const directory_;
  IngestCounters* const counters_;
  const AccessControl* const access_;
  const IngestOptions options_;
  GatewayStreams gateway_streams_;
};

// One stream's admission: its authorized caller and the gateway it counts
// against. Counted in IngestCounters::open_streams from construction to
// destruction; the destructor gives back the gateway's stream.
class StreamAdmission {
 public:
  // `caller` was authorized for rpc::kStreamReadings when the stream
  // opened. `admission` is not owned and must outlive this object.
  StreamAdmission(IngestAdmission* admission, Caller caller);
  ~StreamAdmission();
  StreamAdmission(const StreamAdmission&) = delete;
  StreamAdmission& operator=(const StreamAdmission&) = delete;

  // Applies the rules to the next message of the stream, parsed into
  // `batch` (a device's batch gets its gateway set). Returns the batch for
  // the writer, or the status that ends the stream: UNAUTHENTICATED (rule
  // 1), INVALID_ARGUMENT (rule 2, or another gateway than the stream's),
  // PERMISSION_DENIED (rule 3), RESOURCE_EXHAUSTED (the gateway's stream
  // limit).
  absl::StatusOr<AdmittedBatch> Admit(v1::ReadingBatch& batch);

  // The next message of the stream was no ReadingBatch (`parse_error` says
  // why): counted as malformed; returns the INVALID_ARGUMENT that ends the
  // stream, naming the message's position.
  absl::Status RefuseUnparsable(absl::string_view parse_error);

  // The gateway the stream counts against, once a batch named one.
  const std::optional<std::string>& gateway() const { return gateway_; }

 private:
  // Rules 3 and 4.
  absl::Status AdmitGateway(v1::ReadingBatch& batch);

  IngestAdmission* const admission_;
  const Caller caller_;
  // Messages read and parsed so far.
  uint64_t messages_ = 0;
  std::optional<std::string> gateway_;
  // The acknowledgement of the first batch naming the gateway reports the
  // gateway's newest reading (v1::BatchAck.gateway_newest_ts_ms).
  bool newest_reported_ = false;
};

}  // namespace monipaikka
