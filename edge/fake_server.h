#pragma once

// Test-only: an in-process Monipaikka server on 127.0.0.1 for the edge tests.
// IngestService records every batch it receives into an IngestRecorder (which
// outlives server restarts) and acknowledges it like the real server would:
// (sensor, seq) seen before is a duplicate, configured unknown sensors are
// rejected. InventoryService answers ListSensors and ListSites from fixed
// lists.

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/synchronization/mutex.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"

namespace monipaikka::edge::testing {

// Thread-safe.
class IngestRecorder {
 public:
  // Records `batch` and returns its acknowledgement.
  v1::BatchAck Record(const v1::ReadingBatch& batch,
                      const std::set<std::string>& unknown_sensors);

  std::vector<v1::ReadingBatch> batches() const;
  // The newest ts_ms of the readings received, 0 for none.
  int64_t NewestTsMs() const;
  int64_t batch_count() const;
  // Every reading received, resends included.
  int64_t readings_received() const;
  // Distinct (sensor, seq) received.
  int64_t distinct_readings() const;
  bool Has(const std::string& sensor, uint64_t seq) const;

 private:
  mutable absl::Mutex mutex_;
  std::vector<v1::ReadingBatch> batches_ ABSL_GUARDED_BY(mutex_);
  int64_t readings_received_ ABSL_GUARDED_BY(mutex_) = 0;
  absl::flat_hash_set<std::pair<std::string, uint64_t>> seen_
      ABSL_GUARDED_BY(mutex_);
};

struct FakeServerOptions {
  // 0: any free port.
  int port = 0;
  // Acknowledge batches; when false, batches are recorded and never acked.
  bool ack = true;
  // Sleep this long before acknowledging each batch.
  std::chrono::milliseconds ack_delay{0};
  // The acknowledgement of each stream's first batch naming a gateway
  // carries the newest reading recorded before it (gateway_newest_ts_ms),
  // as the real server's does.
  bool report_newest = false;
  // Readings of these sensors are rejected as REJECT_REASON_UNKNOWN_SENSOR.
  std::set<std::string> unknown_sensors;
  // Larger batches end the stream with INVALID_ARGUMENT; 0 for no limit.
  int max_batch_readings = 0;
  // Serve InventoryService; when false its calls fail with UNIMPLEMENTED.
  bool serve_inventory = true;
  std::vector<v1::Sensor> sensors;
  std::vector<v1::Site> sites;
};

class FakeServer {
 public:
  // Listens on 127.0.0.1:options.port. `recorder` must outlive the server.
  static std::unique_ptr<FakeServer> Start(IngestRecorder* recorder,
                                           FakeServerOptions options);
  ~FakeServer();

  int port() const { return port_; }
  std::string address() const { return "127.0.0.1:" + std::to_string(port_); }
  // Ends open streams at once and stops listening.
  void Shutdown();

 private:
  class Ingest;
  class Inventory;

  FakeServer() = default;

  std::unique_ptr<Ingest> ingest_;
  std::unique_ptr<Inventory> inventory_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
};

}  // namespace monipaikka::edge::testing
