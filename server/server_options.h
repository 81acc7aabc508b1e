#pragma once

// What the server is started with: ServerOptions (the library's), the
// command-line flags they come from (ServerFlags, in the flags' own units),
// and the checks both pass before anything starts. main.cc only reads the
// flags into a ServerFlags; everything else happens here, where it is
// tested.

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/ingest/ingest_admission.h"
#include "server/ingest/ingest_writer.h"
#include "server/occupancy_backend.h"
#include "server/reports/utilization_report.h"
#include "server/retention/retention.h"
#include "server/service/workforce_service.h"
#include "server/storage/storage.h"
#include "server/tls/server_tls_material.h"

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
  // How long raw readings and summaries are kept (retention.policy.raw_days
  // must match ingest.limits.retention_ms, the ingest window:
  // ServerOptionsFromFlags sets both from --raw_retention_days).
  RetentionOptions retention;
  // How often the storage metrics (rows per table) are counted; the
  // summarizer's backlog and the file's pages are read every
  // storage_stats_interval / 20.
  absl::Duration storage_stats_interval = absl::Minutes(5);
  // host:port of the metrics endpoint (HTTP, Prometheus text format, at
  // /metrics); empty: none. Loopback only unless metrics_allow_non_loopback.
  std::string metrics_listen;
  bool metrics_allow_non_loopback = false;
  AuthOptions auth;
  // The HTTP side (Connect protocol, sessions, the web app): host:port,
  // port 0 picks a free one (Server::http_port()); empty: none. It serves
  // TLS with the gRPC listener's certificate and key when they are given
  // (reloaded with them), else plaintext, on loopback only.
  std::string http_listen;
  // Directory of the built web app; empty: no files are served.
  std::string web_root;
  // Sessions unused for this long end.
  absl::Duration http_session_idle = absl::Minutes(30);
  int http_max_connections = 512;
  int http_max_body_bytes = 1024 * 1024;
  int http_threads = 2;
  // A kept-alive connection without a new request for this long closes; a
  // request's header (and the TLS handshake) must arrive within
  // http_header_timeout once it began.
  absl::Duration http_idle_timeout = absl::Seconds(60);
  absl::Duration http_header_timeout = absl::Seconds(10);
  // An answer, or one message of a stream, not taken by the client within
  // this closes the connection.
  absl::Duration http_write_timeout = absl::Seconds(60);
};

// The command-line flags of monipaikka-server that make its ServerOptions,
// as given (before any check), in the flags' units. The defaults here are
// the flags' defaults. docs/operations.md lists the flags.
struct ServerFlags {
  std::string listen = "127.0.0.1:7070";
  std::string tls_cert_file;
  std::string tls_key_file;
  std::string tls_client_ca_file;
  std::string tls_crl_file;
  bool plaintext = false;
  std::string db = "monipaikka.db";
  int query_threads = 2;
  double max_query_seconds = 30;
  int desk_stale_after_min = 60;
  int room_stale_after_min = 60;
  int desk_day_min_occupied_min = 15;
  int summary_quiet_ms = 1000;
  int summary_max_delay_s = 30;
  int raw_retention_days = 90;
  int summary_retention_days = 3650;
  // The old name of --raw_retention_days; 0: not given.
  int retention_days = 0;
  int max_batch_readings = 10000;
  int max_message_bytes = 16 * 1024 * 1024;
  int max_request_bytes = 64 * 1024;
  int grpc_memory_mb = 256;
  int max_concurrent_streams = 64;
  int max_watches_per_token = 8;
  int max_streams_per_gateway = 4;
  int sqlite_cache_mb = 64;
  std::string sqlite_synchronous = "full";
  std::string pseudonym_key_file;
  int anonymity_k = 5;
  std::string bootstrap_admin_token_file;
  std::string recover_admin_token_file;
  std::string hr_publication = "month_end";
  int workforce_retention_months = 24;
  double hr_audit_inline_seconds = 5;
  std::string metrics_listen = "127.0.0.1:9464";
  bool metrics_allow_non_loopback = false;
  int storage_probe_interval_ms = 5000;
  int storage_stats_interval_s = 300;
  bool backup_before_migration = true;
  std::string http_listen = "127.0.0.1:8080";
  std::string web_root;
  int http_session_idle_min = 30;
  int http_max_connections = 512;
  int http_max_body_kb = 1024;
  int http_threads = 2;
  int http_idle_timeout_s = 60;
  int http_header_timeout_s = 10;
  int http_write_timeout_s = 60;
};

// The options the flags ask for, checked: each flag's own range and form
// here, then ValidateServerOptions. INVALID_ARGUMENT naming the flag (e.g.
// "--sqlite_cache_mb: 0 is not within 1..65536") for the first bad one.
// --query_threads below 1 is taken as 1, --storage_probe_interval_ms below
// 0 as 0 (never probe).
absl::StatusOr<ServerOptions> ServerOptionsFromFlags(const ServerFlags& flags);

// The checks of `options` as a whole that need no file, database or socket:
// the listener's security (CheckListenerSecurity), the limits' ranges, the
// anonymity threshold. INVALID_ARGUMENT naming the flag that sets the bad
// value. Server::Start() runs them first.
absl::Status ValidateServerOptions(const ServerOptions& options);

// The checks of the listener's security options alone: the TLS certificate
// and key together, or --plaintext (not both), --plaintext on loopback only,
// --tls_client_ca_file and --tls_crl_file only with the files they need.
absl::Status CheckListenerSecurity(const ServerOptions& options);

}  // namespace monipaikka
