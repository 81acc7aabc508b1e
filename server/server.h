#pragma once

// The Monipaikka server: storage, the ingest writer, the query threads and
// the gRPC services, started and stopped as one.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "common/listen_address.h"
#include "common/metric_set.h"
#include "common/metrics_endpoint.h"
#include "server/auth/access_control.h"
#include "server/auth/token_store.h"
#include "server/occupancy_backend.h"
#include "server/reports/utilization_report.h"
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

struct AuthOptions {
  // When set and the database holds no admin token (a first start), Start()
  // creates an admin token named "bootstrap" and writes it there (see
  // BootstrapAdminToken()).
  std::string bootstrap_admin_token_file;
  // When set and no file exists there, Start() creates an admin token named
  // "recovery" even though admin tokens exist, and writes it there (see
  // RecoverAdminToken()).
  std::string recover_admin_token_file;
};

struct ServerOptions {
  // host:port to listen on; port 0 picks a free port (see Server::port()).
  std::string listen = "127.0.0.1:7070";
  // TLS certificate and key (and client CA for mTLS). Without them the
  // server serves plaintext, only when `plaintext` is set and `listen` is a
  // loopback address. With a client CA, a caller without a token but with a
  // verified client certificate is the device of the gateway named by the
  // certificate's common name.
  ServerTlsFiles tls;
  bool plaintext = false;
  // SQLite database file; created and migrated on start.
  std::string database = "monipaikka.db";
  int query_threads = 2;
  // Longest a query (a unary call's work on a query thread) may run before
  // it is interrupted with DEADLINE_EXCEEDED.
  absl::Duration max_query_time = absl::Seconds(30);
  // Largest message the server accepts, bytes; a larger one ends the call
  // with RESOURCE_EXHAUSTED. Only the imports and the ingest stream may
  // send messages this large; see max_request_bytes.
  int max_receive_message_bytes = 16 * 1024 * 1024;
  // Largest request of every other method, bytes (RequestSizeLimit).
  int max_request_bytes = 64 * 1024;
  // Memory gRPC may use for its connections and calls (a ResourceQuota),
  // bytes: under pressure it shrinks flow-control windows and then drops
  // calls and connections instead of growing.
  int64_t grpc_memory_bytes = int64_t{256} * 1024 * 1024;
  // Calls one connection may have open at once (HTTP/2 streams).
  int max_concurrent_streams = 64;
  SqliteStorageOptions storage;
  IngestOptions ingest;
  IngestWriterOptions writer;
  UtilizationSettings utilization;
  WorkforceOptions workforce;
  OccupancyOptions occupancy;
  // host:port of the metrics endpoint (HTTP, Prometheus text format, at
  // /metrics); empty: none. Loopback only unless metrics_allow_non_loopback.
  std::string metrics_listen;
  bool metrics_allow_non_loopback = false;
  AuthOptions auth;
};

class Server {
 public:
  // Opens storage and starts serving. Refuses to start without TLS files
  // unless `plaintext` is set, and refuses plaintext on any address but
  // loopback.
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
  Server() = default;
  // Logs a change of storage health and sets the gRPC health status of
  // every service ("" included) to match.
  void OnStorageHealthChanged(bool healthy, const absl::Status& cause)
      ABSL_LOCKS_EXCLUDED(health_mu_);

  ServerOptions options_;
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

// The checks of the listener's security options alone (see Start()).
absl::Status CheckListenerSecurity(const ServerOptions& options);

}  // namespace monipaikka
