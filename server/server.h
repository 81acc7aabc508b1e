#pragma once

// The Monipaikka server: storage, the ingest writer, the query threads and
// the gRPC services, started and stopped as one.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/metric_set.h"
#include "common/metrics_endpoint.h"
#include "server/auth/access_control.h"
#include "server/auth/token_store.h"
#include "server/http/http_gateway.h"
#include "server/occupancy_backend.h"
#include "server/reports/utilization_report.h"
#include "server/server_options.h"
#include "server/service/ingest_service.h"
#include "server/service/query_executor.h"
#include "server/service/workforce_service.h"
#include "server/storage/storage.h"
#include "server/storage_health.h"
#include "server/tls/server_tls_material.h"

namespace grpc {
class HealthCheckServiceInterface;
class Server;
}  // namespace grpc

namespace monipaikka {
class ReloadableServerCredentials;
}

namespace monipaikka {

class Server {
 public:
  // Checks `options` (ValidateServerOptions: INVALID_ARGUMENT naming the
  // flag), then starts the server in steps, each named below: TLS, storage,
  // tokens, the ingest writer, the query threads, the services, the metrics,
  // the listener. An error of a step ends the start: what was started is
  // stopped again and the error returned (e.g. FAILED_PRECONDITION for a
  // TLS key that is not the certificate's, UNAVAILABLE for an address in
  // use).
  static absl::StatusOr<std::unique_ptr<Server>> Start(ServerOptions options);
  ~Server();

  // Reads the TLS files again and, when they pass the checks of
  // LoadServerTlsMaterial, serves new connections with them; on an error
  // the material in use stays. FAILED_PRECONDITION for a plaintext server.
  absl::StatusOr<ServerTlsMaterial> ReloadTls();

  // The port actually bound.
  int port() const { return port_; }
  // The metrics endpoint's port; 0 without one.
  int metrics_port() const;
  // The HTTP side's port; 0 without one.
  int http_port() const;
  // The metrics served; more families may be added at any time.
  MetricSet& metrics() { return *metrics_; }
  // Whether storage takes writes (also the gRPC health status).
  bool storage_healthy() const { return storage_health_->healthy(); }
  const IngestCounters& counters() const { return counters_; }
  // Calls allowed and refused (by reason) by the access checks.
  const AuthCounters& auth_counters() const { return auth_counters_; }
  // Unary and server-streaming requests that were no protobuf.
  uint64_t malformed_requests() const { return malformed_requests_.load(); }
  // Requests refused for being over their method's bound.
  uint64_t oversized_requests() const {
    return request_size_limit_ ? request_size_limit_->refused() : 0;
  }
  // Queries interrupted at their deadline.
  const QueryCounters& query_counters() const { return executor_->counters(); }
  // Creates a token directly (for tools that run the server in-process,
  // e.g. benchmarks); returns the secret.
  absl::StatusOr<std::string> CreateToken(const NewToken& token);
  // The HR part (imports, reports, retention).
  WorkforceBackend& workforce() { return *workforce_; }
  // Occupancy analytics (summaries, live occupancy, reports).
  OccupancyBackend& occupancy() { return *occupancy_; }
  // Stops accepting calls, lets running ones finish (up to a deadline),
  // commits what is queued. Idempotent.
  void Shutdown();

 private:
  explicit Server(ServerOptions options);

  // The steps of Start(), in order. Each builds and starts members and
  // relies on those of the steps before; on an error the destructor stops
  // what was started.
  //
  // The TLS certificate and key (and client CAs, CRLs), checked: before
  // anything is created on disk. Nothing for a plaintext server.
  absl::Status LoadTlsCredentials();
  // The database, created and migrated as needed, and its health tracker.
  absl::Status OpenStorage();
  // The API tokens, the bootstrap or recovery admin token (AuthOptions), and
  // the access checks built on them.
  absl::Status LoadTokens();
  // The occupancy analytics the writer feeds, the sensor directory, and the
  // ingest writer with its own storage connection.
  absl::Status StartIngestWriter();
  // The query threads, and the occupancy analytics' background work on them.
  absl::Status StartQueries();
  // The gRPC services (the HR part starts its retention here).
  absl::Status BuildServices();
  // The metric families, and the metrics endpoint when one is asked for.
  absl::Status ExportMetrics();
  // The gRPC server, listening; UNAVAILABLE when it cannot.
  absl::Status Listen();
  // The HTTP side, forwarding to the gRPC server in-process; nothing
  // without options_.http_listen.
  absl::Status ListenHttp();
  // The gRPC health status of every service, from the storage health.
  void PublishHealth() ABSL_LOCKS_EXCLUDED(health_mu_);

  // Logs a change of storage health and sets the gRPC health status of
  // every service ("" included) to match.
  void OnStorageHealthChanged(bool healthy, const absl::Status& cause)
      ABSL_LOCKS_EXCLUDED(health_mu_);

  // Those of Start(), with the defaults it filled in (the clock).
  const ServerOptions options_;
  std::shared_ptr<MetricSet> metrics_ = std::make_shared<MetricSet>();
  std::unique_ptr<StorageHealth> storage_health_;
  std::unique_ptr<Storage> storage_;
  IngestCounters counters_;
  AuthCounters auth_counters_;
  // Requests that did not parse (see MalformedRequestInterceptorFactory).
  std::atomic<uint64_t> malformed_requests_{0};
  std::unique_ptr<RequestSizeLimit> request_size_limit_;
  std::unique_ptr<TokenStore> tokens_;
  std::unique_ptr<AccessControl> access_;
  SensorDirectoryHolder directory_;
  std::unique_ptr<IngestWriter> writer_;
  std::unique_ptr<QueryExecutor> executor_;
  std::unique_ptr<grpc::Service> ingest_service_;
  std::unique_ptr<grpc::Service> inventory_service_;
  // Declared before the gRPC server: outlives the calls it serves.
  std::unique_ptr<OccupancyBackend> occupancy_;
  std::unique_ptr<WorkforceBackend> workforce_;
  std::unique_ptr<grpc::Service> sensor_health_service_;
  std::unique_ptr<grpc::Service> auth_service_;
  // TLS credentials (null for plaintext); outlive the gRPC server.
  std::shared_ptr<ReloadableServerCredentials> tls_credentials_;
  std::unique_ptr<grpc::Server> grpc_server_;
  int port_ = 0;
  // Stopped before the gRPC server it forwards to.
  std::unique_ptr<http::HttpGateway> http_gateway_;
  bool shut_down_ = false;
  // Set once the gRPC server runs; cleared at shutdown.
  absl::Mutex health_mu_;
  grpc::HealthCheckServiceInterface* health_service_
      ABSL_GUARDED_BY(health_mu_) = nullptr;
  // Last: destroyed first, so that no scrape reads a destroyed counter.
  std::unique_ptr<MetricsEndpoint> metrics_endpoint_;
};

// The first admin token. When the database holds no admin token (active,
// revoked or expired: a first start), creates one named "bootstrap" and
// writes it to `path` (mode 0600, written then renamed; a file left there
// from an earlier database is replaced). When it holds one, creates nothing,
// whether the file exists or not: deleting the file and restarting never
// mints an admin token; a missing file is logged as a warning saying how to
// get a new one. Returns whether it wrote a token.
absl::StatusOr<bool> BootstrapAdminToken(StorageSession& session,
                                         TokenStore& tokens,
                                         const std::string& path);

// Recovery when every admin token is lost: unless a file exists at `path`,
// creates an admin token named "recovery", records it in the audit log and
// writes it to `path` (mode 0600, written then renamed), logged as a
// warning. An existing file (a recovery done before) is left alone and
// nothing is created. Returns whether it wrote a token.
absl::StatusOr<bool> RecoverAdminToken(StorageSession& session,
                                       TokenStore& tokens,
                                       const std::string& path);

}  // namespace monipaikka
