#include "edge/fake_server.h"

#include <algorithm>
#include <optional>
#include <thread>

namespace monipaikka::edge::testing {

v1::BatchAck IngestRecorder::Record(
    const v1::ReadingBatch& batch,
    const std::set<std::string>& unknown_sensors) {
  v1::BatchAck ack;
  ack.set_batch_id(batch.batch_id());
  absl::MutexLock lock(&mutex_);
  batches_.push_back(batch);
  readings_received_ += batch.readings_size();
  for (int i = 0; i < batch.readings_size(); ++i) {
    const v1::Reading& reading = batch.readings(i);
    if (unknown_sensors.count(reading.sensor()) > 0) {
      v1::RejectedReading* rejected = ack.add_rejected();
      rejected->set_index(static_cast<uint32_t>(i));
      rejected->set_reason(v1::REJECT_REASON_UNKNOWN_SENSOR);
      rejected->set_message("sensor " + reading.sensor() +
                            " is not in the inventory");
      continue;
    }
    if (seen_.emplace(reading.sensor(), reading.seq()).second) {
      ack.set_accepted(ack.accepted() + 1);
    } else {
      ack.set_duplicates(ack.duplicates() + 1);
    }
  }
  return ack;
}

int64_t IngestRecorder::NewestTsMs() const {
  absl::MutexLock lock(&mutex_);
  int64_t newest = 0;
  for (const v1::ReadingBatch& batch : batches_) {
    for (const v1::Reading& reading : batch.readings()) {
      newest = std::max(newest, reading.ts_ms());
    }
  }
  return newest;
}

std::vector<v1::ReadingBatch> IngestRecorder::batches() const {
  absl::MutexLock lock(&mutex_);
  return batches_;
}

int64_t IngestRecorder::batch_count() const {
  absl::MutexLock lock(&mutex_);
  return static_cast<int64_t>(batches_.size());
}

int64_t IngestRecorder::readings_received() const {
  absl::MutexLock lock(&mutex_);
  return readings_received_;
}

int64_t IngestRecorder::distinct_readings() const {
  absl::MutexLock lock(&mutex_);
  return static_cast<int64_t>(seen_.size());
}

bool IngestRecorder::Has(const std::string& sensor, uint64_t seq) const {
  absl::MutexLock lock(&mutex_);
  return seen_.contains(std::make_pair(sensor, seq));
}

class FakeServer::Ingest final : public v1::IngestService::Service {
 public:
  Ingest(IngestRecorder* recorder, const FakeServerOptions& options)
      : recorder_(recorder), options_(options) {}

  grpc::Status StreamReadings(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::BatchAck, v1::ReadingBatch>* stream)
      override {
    v1::ReadingBatch batch;
    bool newest_reported = false;
    while (stream->Read(&batch)) {
      if (options_.max_batch_readings > 0 &&
          batch.readings_size() > options_.max_batch_readings) {
        return grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            "readings: " + std::to_string(batch.readings_size()) +
                " in one batch, at most " +
                std::to_string(options_.max_batch_readings));
      }
      std::optional<int64_t> newest;
      if (options_.report_newest && !newest_reported &&
          !batch.gateway().empty()) {
        newest_reported = true;
        newest = recorder_->NewestTsMs();
      }
      v1::BatchAck ack = recorder_->Record(batch, options_.unknown_sensors);
      if (newest) ack.set_gateway_newest_ts_ms(*newest);
      if (!options_.ack) continue;
      if (options_.ack_delay.count() > 0) {
        std::this_thread::sleep_for(options_.ack_delay);
      }
      if (context->IsCancelled() || !stream->Write(ack)) break;
    }
    return grpc::Status::OK;
  }

 private:
  IngestRecorder* const recorder_;
  const FakeServerOptions options_;
};

class FakeServer::Inventory final : public v1::InventoryService::Service {
 public:
  explicit Inventory(const FakeServerOptions& options) : options_(options) {}

  grpc::Status ListSensors(grpc::ServerContext*,
                           const v1::ListSensorsRequest* request,
                           v1::ListSensorsResponse* response) override {
    for (const v1::Sensor& sensor : options_.sensors) {
      if (!request->gateway().empty() &&
          sensor.gateway() != request->gateway()) {
        continue;
      }
      *response->add_sensors() = sensor;
    }
    return grpc::Status::OK;
  }

  grpc::Status ListSites(grpc::ServerContext*, const v1::ListSitesRequest*,
                         v1::ListSitesResponse* response) override {
    for (const v1::Site& site : options_.sites) *response->add_sites() = site;
    return grpc::Status::OK;
  }

 private:
  const FakeServerOptions options_;
};

std::unique_ptr<FakeServer> FakeServer::Start(IngestRecorder* recorder,
                                              FakeServerOptions options) {
  std::unique_ptr<FakeServer> server(new FakeServer());
  server->ingest_ = std::make_unique<Ingest>(recorder, options);
  grpc::ServerBuilder builder;
  builder.AddListeningPort("127.0.0.1:" + std::to_string(options.port),
                           grpc::InsecureServerCredentials(), &server->port_);
  builder.RegisterService(server->ingest_.get());
  if (options.serve_inventory) {
    server->inventory_ = std::make_unique<Inventory>(options);
    builder.RegisterService(server->inventory_.get());
  }
  server->server_ = builder.BuildAndStart();
  if (server->server_ == nullptr || server->port_ == 0) return nullptr;
  return server;
}

void FakeServer::Shutdown() {
  if (server_ == nullptr) return;
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
}

FakeServer::~FakeServer() { Shutdown(); }

}  // namespace monipaikka::edge::testing
