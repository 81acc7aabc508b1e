#pragma once

// In-process fakes of the server's services for the client tests, served on
// 127.0.0.1 with a port chosen by the system. They implement only what the
// client needs to be exercised: canned listings, a recorded inventory import,
// a canned utilization report and an ingest stream with configurable
// misbehaviour.

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "grpcpp/server.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/utilization.grpc.pb.h"

namespace monipaikka::client::testing {

// The plan drawing of every fake floor.
inline constexpr char kFakePlanSvg[] =
    "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 30 20\"/>";

// Knows the sites "HKI-VT" and "TRE-1"; other site codes are NOT_FOUND.
// Floors have a plan drawing; desk HKI-VT-2-A-014 stands at (4.5, 0) m.
class FakeInventoryService final : public v1::InventoryService::Service {
 public:
  grpc::Status ImportInventory(grpc::ServerContext* context,
                               const v1::ImportInventoryRequest* request,
                               v1::ImportInventoryResponse* response) override;
  grpc::Status ListOrganizations(
      grpc::ServerContext* context, const v1::ListOrganizationsRequest* request,
      v1::ListOrganizationsResponse* response) override;
  grpc::Status ListSites(grpc::ServerContext* context,
                         const v1::ListSitesRequest* request,
                         v1::ListSitesResponse* response) override;
  grpc::Status ListSpaces(grpc::ServerContext* context,
                          const v1::ListSpacesRequest* request,
                          v1::ListSpacesResponse* response) override;
  grpc::Status GetPlanSvg(grpc::ServerContext* context,
                          const v1::GetPlanSvgRequest* request,
                          v1::GetPlanSvgResponse* response) override;
  grpc::Status ListWorkstations(
      grpc::ServerContext* context, const v1::ListWorkstationsRequest* request,
      v1::ListWorkstationsResponse* response) override;
  grpc::Status ListSensors(grpc::ServerContext* context,
                           const v1::ListSensorsRequest* request,
                           v1::ListSensorsResponse* response) override;

  v1::Inventory last_import() const;
  v1::ListWorkstationsRequest last_workstations_request() const;
  v1::ListSensorsRequest last_sensors_request() const;

 private:
  mutable absl::Mutex mu_;
  v1::Inventory last_import_ ABSL_GUARDED_BY(mu_);
  v1::ListWorkstationsRequest last_workstations_request_ ABSL_GUARDED_BY(mu_);
  v1::ListSensorsRequest last_sensors_request_ ABSL_GUARDED_BY(mu_);
};

// Returns `report` for site "HKI-VT" (NOT_FOUND otherwise) and records the
// request.
class FakeUtilizationService final : public v1::UtilizationService::Service {
 public:
  explicit FakeUtilizationService(v1::UtilizationReport report)
      : report_(std::move(report)) {}

  grpc::Status GetUtilization(grpc::ServerContext* context,
                              const v1::UtilizationRequest* request,
                              v1::UtilizationReport* response) override;

  v1::UtilizationRequest last_request() const;

 private:
  const v1::UtilizationReport report_;
  mutable absl::Mutex mu_;
  v1::UtilizationRequest last_request_ ABSL_GUARDED_BY(mu_);
};

// Misbehaviour of FakeIngestService, per stream.
struct IngestBehaviour {
  // Acknowledge a batch only once this many later batches have arrived
  // too (or the client half-closed): checks that the client keeps
  // several batches in flight.
  int hold_acks_for_batches = 0;
  // End the stream with INVALID_ARGUMENT on receiving this batch (from 1);
  // 0 never.
  int fail_on_batch = 0;
  // Never acknowledge anything; wait until the client cancels.
  bool never_ack = false;
  // Acknowledge with batch_id + this.
  uint64_t batch_id_offset = 0;
  // Claim one reading more than accepted.
  bool overcount = false;
};

// Stores readings like the real server would, as far as the client can
// tell: a sensor whose id starts with "unknown" is rejected as
// UNKNOWN_SENSOR, a repeated (sensor, ts_ms) is a duplicate, the rest is
// accepted. Misbehaves as asked.
class FakeIngestService final : public v1::IngestService::Service {
 public:
  explicit FakeIngestService(IngestBehaviour behaviour = IngestBehaviour())
      : behaviour_(behaviour) {}

  grpc::Status StreamReadings(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<v1::BatchAck, v1::ReadingBatch>* stream)
      override;

  int streams() const;
  // Readings per batch received, in order, over all streams.
  std::vector<int> batch_sizes() const;
  // Gateways the batches named.
  std::set<std::string> gateways() const;
  int64_t stored() const;

 private:
  v1::BatchAck Acknowledge(const v1::ReadingBatch& batch);

  const IngestBehaviour behaviour_;
  mutable absl::Mutex mu_;
  int streams_ ABSL_GUARDED_BY(mu_) = 0;
  std::vector<int> batch_sizes_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> gateways_ ABSL_GUARDED_BY(mu_);
  std::set<std::pair<std::string, int64_t>> stored_ ABSL_GUARDED_BY(mu_);
};

// A gRPC server on 127.0.0.1 with an ephemeral port, serving the given
// services (not owned; they must outlive it). Shuts down when destroyed.
class FakeServer {
 public:
  explicit FakeServer(std::vector<grpc::Service*> services);
  ~FakeServer();

  // "127.0.0.1:PORT".
  const std::string& address() const { return address_; }
  std::shared_ptr<grpc::Channel> Channel() const;

 private:
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace monipaikka::client::testing
