#pragma once

#include <functional>

#include "monipaikka/v1/ingest.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/ingest/gateway_streams.h"
#include "server/ingest/ingest_writer.h"
#include "server/ingest/reading_validation.h"
#include "server/ingest/sensor_directory.h"

namespace monipaikka {

struct IngestServiceOptions {
  ValidationLimits limits;
  // Largest number of readings in one batch.
  int max_batch_readings = 10000;
  // Batches of one stream waiting for their commit before the stream stops
  // reading (backpressure).
  int max_batches_in_flight = 8;
  // Open streams one gateway (ReadingBatch.gateway) may have at a time.
  int max_streams_per_gateway = 4;
  // The clock (UTC ms); injectable for tests.
  std::function<int64_t()> now_ms;
};

// Adapter of IngestService.StreamReadings onto the ingest writer. The
// method takes raw bytes and parses them itself, so that a message that is
// no ReadingBatch ends the stream with INVALID_ARGUMENT saying so (gRPC's own
// parser would end the reads as if the sender had finished).
//
// A stream is authorized once, when it starts, before it counts against the
// per-gateway stream limit. A device's stream speaks for the device's gateway:
// batches naming another gateway end the stream with PERMISSION_DENIED, and
// readings of sensors bound to another gateway are rejected one by one
// (REJECT_REASON_WRONG_GATEWAY). An admin's stream may carry any gateway's
// readings.
class IngestServiceImpl final
    : public v1::IngestService::WithRawCallbackMethod_StreamReadings<
          v1::IngestService::Service> {
 public:
  // `access` is not owned and must outlive the service.
  IngestServiceImpl(const SensorDirectoryHolder* directory,
                    IngestWriter* writer, IngestCounters* counters,
                    const AccessControl* access, IngestServiceOptions options);

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StreamReadings(
      grpc::CallbackServerContext* context) override;

 private:
  const SensorDirectoryHolder* const directory_;
  IngestWriter* const writer_;
  IngestCounters* const counters_;
  const AccessControl* const access_;
  const IngestServiceOptions options_;
  GatewayStreams gateway_streams_;
};

}  // namespace monipaikka
