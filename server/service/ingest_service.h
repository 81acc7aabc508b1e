#pragma once

#include "monipaikka/v1/ingest.grpc.pb.h"
#include "server/auth/access_control.h"
#include "server/ingest/ingest_admission.h"
#include "server/ingest/ingest_writer.h"
#include "server/ingest/sensor_directory.h"

namespace monipaikka {

// The gRPC adapter of IngestService.StreamReadings: authorizes the stream
// once, when it starts; parses each message; hands it to the stream's
// admission rules (server/ingest/ingest_admission.h, which say what a batch
// must satisfy and how the stream ends otherwise) and the admitted batch to
// the writer; writes the acknowledgements in batch order once committed;
// stops reading while max_batches_in_flight batches await their commit.
//
// The method takes raw bytes and parses them itself, so that a message that
// is no ReadingBatch ends the stream with INVALID_ARGUMENT saying so (gRPC's
// own parser would end the reads as if the sender had finished).
class IngestServiceImpl final
    : public v1::IngestService::WithRawCallbackMethod_StreamReadings<
          v1::IngestService::Service> {
 public:
  // `directory`, `writer`, `counters` and `access` are not owned and must
  // outlive the service.
  IngestServiceImpl(const SensorDirectoryHolder* directory,
                    IngestWriter* writer, IngestCounters* counters,
                    const AccessControl* access, IngestOptions options);

  grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* StreamReadings(
      grpc::CallbackServerContext* context) override;

 private:
  IngestWriter* const writer_;
  const AccessControl* const access_;
  IngestAdmission admission_;
};

}  // namespace monipaikka
