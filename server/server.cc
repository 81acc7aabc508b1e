#include "server/server.h"

#include <fcntl.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/resource_quota.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/build_info_metric.h"
#include "common/log.h"
#include "common/service_manager.h"
#include "common/status_macros.h"
#include "monipaikka/v1/analytics.grpc.pb.h"
#include "monipaikka/v1/bookings.grpc.pb.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/live.grpc.pb.h"
#include "monipaikka/v1/planning.grpc.pb.h"
#include "monipaikka/v1/sampling.grpc.pb.h"
#include "monipaikka/v1/sensor_health.grpc.pb.h"
#include "monipaikka/v1/utilization.grpc.pb.h"
#include "monipaikka/v1/workforce.grpc.pb.h"
#include "server/server_metrics.h"
#include "server/service/auth_service.h"
#include "server/service/inventory_service.h"
#include "server/service/malformed_request_interceptor.h"
#include "server/service/query_executor.h"
#include "server/service/sensor_health_service.h"
#include "server/tls/reloadable_server_credentials.h"

namespace monipaikka {
namespace {

// Every service the server registers, as the health service reports them.
const char* const kServiceNames[] = {
    v1::AnalyticsService::service_full_name(),
    v1::BookingService::service_full_name(),
    v1::IngestService::service_full_name(),
    v1::InventoryService::service_full_name(),
    v1::LiveOccupancyService::service_full_name(),
    v1::PlanningService::service_full_name(),
    v1::SamplingService::service_full_name(),
    v1::SensorHealthService::service_full_name(),
    v1::UtilizationService::service_full_name(),
    v1::WorkforceService::service_full_name(),
};

// Writes `secret` and a newline to `path` with mode 0600: to a new file
// beside it, synced, then renamed over `path`. `flag` names the flag in
// errors.
absl::Status WriteTokenFile(const std::string& path, const std::string& secret,
                            absl::string_view flag) {
  const std::string tmp = path + ".tmp";
  std::remove(tmp.c_str());
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                        S_IRUSR | S_IWUSR);
  if (fd < 0) {
    return absl::FailedPreconditionError(absl::StrCat(
        flag, ": cannot create ", tmp, ": ", std::strerror(errno)));
  }
  const std::string text = secret + "\n";
  const bool written = ::write(fd, text.data(), text.size()) ==
                       static_cast<ssize_t>(text.size());
  const bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!written || !synced || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::remove(tmp.c_str());
    return absl::FailedPreconditionError(absl::StrCat(
        flag, ": cannot write ", path, ": ", std::strerror(errno)));
  }
  return absl::OkStatus();
}

// Whether a file exists at `path`; FAILED_PRECONDITION naming `flag` when
// that cannot be told.
absl::StatusOr<bool> FileExists(const std::string& path,
                                absl::string_view flag) {
  std::error_code error;
  const bool exists = std::filesystem::exists(path, error);
  if (error) {
    return absl::FailedPreconditionError(
        absl::StrCat(flag, ": ", path, ": ", error.message()));
  }
  return exists;
}

// How many admin tokens the database holds, active or not.
absl::StatusOr<int> CountAdminTokens(StorageSession& session) {
  ASSIGN_OR_RETURN(std::vector<TokenRecord> tokens,
                   session.Access().ListTokens());
  return static_cast<int>(std::count_if(
      tokens.begin(), tokens.end(),
      [](const TokenRecord& t) { return t.role == RoleName(Role::kAdmin); }));
}

constexpr char kNewAdminTokenAdvice[] =
    "to get a new admin token, run `monipaikka tokens create --role=admin "
    "--name=NAME` with an admin token you hold; if none is left, start the "
    "server once with --recover_admin_token_file=PATH";

}  // namespace

absl::StatusOr<bool> BootstrapAdminToken(StorageSession& session,
                                         TokenStore& tokens,
                                         const std::string& path) {
  constexpr absl::string_view kFlag = "bootstrap_admin_token_file";
  ASSIGN_OR_RETURN(const int admin_tokens, CountAdminTokens(session));
  ASSIGN_OR_RETURN(const bool file_exists, FileExists(path, kFlag));
  if (admin_tokens > 0) {
    // Not a first start: the file (or its deletion) grants nothing.
    if (!file_exists) {
      Log(LogLevel::kWarning, "bootstrap_token_not_created",
          {{"file", path},
           {"admin_tokens", admin_tokens},
           {"reason", absl::StrCat("the database already holds admin tokens; ",
                                   kNewAdminTokenAdvice)}});
    }
    return false;
  }
  NewToken token;
  token.name = "bootstrap";
  token.role = Role::kAdmin;
  ASSIGN_OR_RETURN(CreatedToken created,
                   tokens.Create(session.Access(), token));
  RETURN_IF_ERROR(WriteTokenFile(path, created.secret, kFlag));
  Log(LogLevel::kInfo, "bootstrap_token_created",
      {{"token_id", created.record.id},
       {"file", path},
       {"replaced_file", file_exists}});
  return true;
}

absl::StatusOr<bool> RecoverAdminToken(StorageSession& session,
                                       TokenStore& tokens,
                                       const std::string& path) {
  constexpr absl::string_view kFlag = "recover_admin_token_file";
  ASSIGN_OR_RETURN(const bool file_exists, FileExists(path, kFlag));
  if (file_exists) {
    Log(LogLevel::kWarning, "recovery_token_not_created",
        {{"file", path},
         {"reason",
          "the file exists (a recovery token was written before); remove "
          "--recover_admin_token_file from the command line"}});
    return false;
  }
  NewToken token;
  token.name = "recovery";
  token.role = Role::kAdmin;
  ASSIGN_OR_RETURN(CreatedToken created,
                   tokens.Create(session.Access(), token));
  AuditRecord audit;
  audit.ts_ms = tokens.NowMs();
  audit.token_id = created.record.id;
  audit.token_name = created.record.name;
  audit.role = created.record.role;
  audit.rpc = "server start --recover_admin_token_file";
  audit.summary = absl::StrCat("created token ", created.record.id,
                               " \"recovery\" (admin) for recovery");
  RETURN_IF_ERROR(session.Access().AppendAudit(audit).status());
  RETURN_IF_ERROR(WriteTokenFile(path, created.secret, kFlag));
  Log(LogLevel::kWarning, "recovery_token_created",
      {{"token_id", created.record.id},
       {"file", path},
       {"next",
        "revoke the admin tokens you lost, then stop passing "
        "--recover_admin_token_file"}});
  return true;
}

absl::StatusOr<std::string> Server::CreateToken(const NewToken& token) {
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                   storage_->OpenSession());
  ASSIGN_OR_RETURN(CreatedToken created,
                   tokens_->Create(session->Access(), token));
  return created.secret;
}

Server::Server(ServerOptions options) : options_(std::move(options)) {}

absl::StatusOr<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  RETURN_IF_ERROR(ValidateServerOptions(options));
  if (!options.ingest.now_ms) {
    options.ingest.now_ms = [] { return absl::ToUnixMillis(absl::Now()); };
  }
  std::unique_ptr<Server> server(new Server(std::move(options)));
  RETURN_IF_ERROR(server->LoadTlsCredentials());
  RETURN_IF_ERROR(server->OpenStorage());
  RETURN_IF_ERROR(server->LoadTokens());
  RETURN_IF_ERROR(server->StartIngestWriter());
  RETURN_IF_ERROR(server->StartQueries());
  RETURN_IF_ERROR(server->BuildServices());
  RETURN_IF_ERROR(server->ExportMetrics());
  RETURN_IF_ERROR(server->Listen());
  RETURN_IF_ERROR(server->ListenHttp());
  server->PublishHealth();
  return server;
}

absl::Status Server::LoadTlsCredentials() {
  if (!options_.tls.enabled()) return absl::OkStatus();
  ASSIGN_OR_RETURN(ServerTlsMaterial material,
                   LoadServerTlsMaterial(options_.tls));
  tls_credentials_ =
      std::make_shared<ReloadableServerCredentials>(std::move(material));
  return absl::OkStatus();
}

absl::Status Server::OpenStorage() {
  storage_health_ = std::make_unique<StorageHealth>(
      [this](bool healthy, const absl::Status& cause) {
        OnStorageHealthChanged(healthy, cause);
      });
  ASSIGN_OR_RETURN(storage_,
                   Storage::OpenSqlite(options_.database, options_.storage));
  return absl::OkStatus();
}

absl::Status Server::LoadTokens() {
  tokens_ = std::make_unique<TokenStore>(options_.ingest.now_ms);
  {
    ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                     storage_->OpenSession());
    RETURN_IF_ERROR(tokens_->Load(session->Access()));
    if (!options_.auth.bootstrap_admin_token_file.empty()) {
      RETURN_IF_ERROR(
          BootstrapAdminToken(*session, *tokens_,
                              options_.auth.bootstrap_admin_token_file)
              .status());
    }
    if (!options_.auth.recover_admin_token_file.empty()) {
      RETURN_IF_ERROR(RecoverAdminToken(*session, *tokens_,
                                        options_.auth.recover_admin_token_file)
                          .status());
    }
  }
  request_size_limit_ = std::make_unique<RequestSizeLimit>(
      options_.max_request_bytes, RequestSizeLimit::ImportMethods());
  access_ = std::make_unique<AccessControl>(
      tokens_.get(), &auth_counters_,
      /*certificates_identify_devices=*/!options_.tls.client_ca_file.empty(),
      request_size_limit_.get(), tls_credentials_.get());
  return absl::OkStatus();
}

absl::Status Server::StartIngestWriter() {
  // Registry-derived figures in the occupancy reports (FTE) are withheld
  // with the HR reports' threshold and on the HR reports' clock.
  OccupancyOptions occupancy = options_.occupancy;
  occupancy.registry.disclosure.anonymity_k = options_.workforce.anonymity_k;
  occupancy.registry.calendar = options_.workforce.publication;
  if (!occupancy.today) occupancy.today = options_.workforce.today;
  occupancy.pseudonym_key_file = options_.workforce.pseudonym_key_file;
  ASSIGN_OR_RETURN(
      occupancy_, OccupancyBackend::Create(storage_.get(), options_.utilization,
                                           occupancy, options_.ingest.now_ms));
  IngestWriterOptions writer_options = options_.writer;
  writer_options.on_committed =
      [occupancy = occupancy_.get()](std::span<const StoredReading> readings) {
        occupancy->OnCommitted(readings);
      };
  writer_options.on_storage_outcome =
      [health = storage_health_.get()](const absl::Status& outcome) {
        health->Record(outcome);
      };
  // Retention runs on the writer's connection, between its commits. Raw
  // readings outlive the ingest window by the longest stale_after at least,
  // so that a summary pass for the oldest reading accepted finds the
  // readings before it.
  RetentionOptions retention = options_.retention;
  retention.policy.lookback =
      std::max({retention.policy.lookback,
                absl::Milliseconds(options_.utilization.desk_stale_after_ms),
                absl::Milliseconds(options_.utilization.room_stale_after_ms)});
  retention_ = std::make_unique<Retention>(retention, options_.ingest.now_ms,
                                           &retention_counters_);
  writer_options.background = [retention =
                                   retention_.get()](StorageSession& session) {
    return retention->Step(session);
  };
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> writer_session,
                   storage_->OpenSession());
  // What an ingest ack promises, as the writer's connection reports it.
  ASSIGN_OR_RETURN(const int synchronous, writer_session->SynchronousPragma());
  Log(LogLevel::kInfo, "storage_opened",
      {{"db", options_.database},
       {"sqlite_synchronous", synchronous == 2   ? std::string("full")
                              : synchronous == 1 ? std::string("normal")
                                                 : absl::StrCat(synchronous)}});
  ASSIGN_OR_RETURN(std::vector<SensorBinding> sensors,
                   writer_session->LoadSensorBindings());
  directory_.Set(std::make_shared<SensorDirectory>(std::move(sensors)));
  writer_ = std::make_unique<IngestWriter>(std::move(writer_session),
                                           writer_options, &counters_);
  return writer_->Start(options_.ingest.now_ms());
}

absl::Status Server::StartQueries() {
  executor_ =
      std::make_unique<QueryExecutor>(storage_.get(), options_.max_query_time);
  RETURN_IF_ERROR(executor_->Start(options_.query_threads));
  return occupancy_->Start(executor_.get(), access_.get());
}

absl::Status Server::BuildServices() {
  ingest_service_ = std::make_unique<IngestServiceImpl>(
      &directory_, writer_.get(), &counters_, access_.get(), options_.ingest);
  inventory_service_ = std::make_unique<InventoryServiceImpl>(
      executor_.get(), access_.get(), &directory_,
      [occupancy = occupancy_.get()](StorageSession& session) {
        return occupancy->InventoryChanged(session);
      });
  sensor_health_service_ = std::make_unique<SensorHealthServiceImpl>(
      executor_.get(), access_.get(), options_.ingest.now_ms);
  auth_service_ = std::make_unique<AuthServiceImpl>(
      executor_.get(), access_.get(), tokens_.get());
  ASSIGN_OR_RETURN(workforce_,
                   WorkforceBackend::Start(storage_.get(), options_.database,
                                           executor_.get(), access_.get(),
                                           options_.workforce));
  return absl::OkStatus();
}

absl::Status Server::ExportMetrics() {
  AddBuildInfoMetric(metrics_.get());
  AddIngestMetrics(counters_, metrics_.get());
  AddStorageHealthMetrics(*storage_health_, metrics_.get());
  AddQueryMetrics(executor_->query_seconds(), executor_->counters(),
                  metrics_.get());
  AddAuthMetrics(auth_counters_, metrics_.get());
  AddMemoryMetrics(metrics_.get());
  AddRetentionMetrics(retention_counters_, metrics_.get());
  AddImportMetrics(occupancy_->import_counters(), metrics_.get());
  storage_stats_ = std::make_unique<StorageStats>(
      storage_.get(), options_.database, options_.storage_stats_interval);
  RETURN_IF_ERROR(storage_stats_->Start());
  storage_stats_->AddMetrics(metrics_.get());
  metrics_->AddCounter(
      "monipaikka_malformed_requests_total",
      "Requests of unary or server-streaming calls that were no protobuf of "
      "the method's request (answered INVALID_ARGUMENT).",
      &malformed_requests_);
  metrics_->AddCounter(
      "monipaikka_oversized_requests_total",
      "Requests of methods other than the imports that were over "
      "--max_request_bytes (answered RESOURCE_EXHAUSTED).",
      request_size_limit_->refused_counter());
  if (options_.metrics_listen.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(
      metrics_endpoint_,
      MetricsEndpoint::Start(options_.metrics_listen,
                             options_.metrics_allow_non_loopback, metrics_));
  return absl::OkStatus();
}

absl::Status Server::Listen() {
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (tls_credentials_ != nullptr) {
    builder.AddListeningPort(options_.listen, tls_credentials_, &port_);
  } else {
    builder.AddListeningPort(options_.listen, grpc::InsecureServerCredentials(),
                             &port_);
  }
  builder.RegisterService(ingest_service_.get());
  builder.RegisterService(inventory_service_.get());
  for (grpc::Service* service : occupancy_->services()) {
    builder.RegisterService(service);
  }
  builder.RegisterService(workforce_->service());
  builder.RegisterService(sensor_health_service_.get());
  builder.RegisterService(auth_service_.get());
  builder.SetMaxReceiveMessageSize(options_.max_receive_message_bytes);
  // Bounds what callers, authorized or not, can make gRPC hold: memory for
  // connections and calls, and calls per connection.
  grpc::ResourceQuota quota("monipaikka-server");
  quota.Resize(static_cast<size_t>(options_.grpc_memory_bytes));
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options_.max_concurrent_streams);
  // gRPC sets SO_REUSEPORT by default: a second server (or a leftover one
  // under systemd) would share the port and take half the connections.
  // Without it an address in use fails the start (UNAVAILABLE, exit 1).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<MalformedRequestInterceptorFactory>(
      &malformed_requests_, request_size_limit_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  grpc_server_ = builder.BuildAndStart();
  if (grpc_server_ == nullptr || port_ == 0) {
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options_.listen));
  }
  return absl::OkStatus();
}

absl::Status Server::ListenHttp() {
  if (options_.http_listen.empty()) return absl::OkStatus();
  http::HttpGatewayOptions http_options;
  http_options.listen = options_.http_listen;
  if (tls_credentials_ != nullptr) {
    http_options.tls = true;
    ASSIGN_OR_RETURN(http_options.tls_material,
                     LoadServerTlsMaterial(options_.tls));
  }
  http_options.web_root = options_.web_root;
  http_options.threads = options_.http_threads;
  http_options.max_connections = options_.http_max_connections;
  http_options.max_body_bytes = options_.http_max_body_bytes;
  http_options.session_idle = options_.http_session_idle;
  http_options.idle_timeout = options_.http_idle_timeout;
  http_options.header_timeout = options_.http_header_timeout;
  http_options.write_timeout = options_.http_write_timeout;
  http_options.now_ms = options_.ingest.now_ms;
  // Answers of our own services: no bound but theirs.
  grpc::ChannelArguments arguments;
  arguments.SetMaxReceiveMessageSize(-1);
  ASSIGN_OR_RETURN(http_gateway_, http::HttpGateway::Start(
                                      std::move(http_options),
                                      grpc_server_->InProcessChannel(arguments),
                                      tokens_.get()));
  const http::HttpCounters& counters = http_gateway_->counters();
  metrics_->AddCounter("monipaikka_http_requests_total",
                       "HTTP requests read whole.", &counters.requests);
  metrics_->AddCounter("monipaikka_http_connect_calls_total",
                       "Connect protocol calls (forwarded or refused).",
                       &counters.connect_calls);
  metrics_->AddCounter(
      "monipaikka_http_refused_connections_total",
      "HTTP connections refused at --http_max_connections (answered 503).",
      &counters.refused_connections);
  metrics_->AddCounter("monipaikka_http_bad_requests_total",
                       "HTTP requests refused unread: malformed, over a size "
                       "limit or too slow.",
                       &counters.bad_requests);
  metrics_->AddCounter("monipaikka_http_sessions_created_total",
                       "Dashboard sign-ins that opened a session.",
                       &counters.sessions_created);
  metrics_->AddCounter("monipaikka_http_failed_sign_ins_total",
                       "Dashboard sign-ins refused (token not accepted).",
                       &counters.failed_sign_ins);
  metrics_->AddCounter("monipaikka_http_csrf_refusals_total",
                       "Session requests refused for a missing or wrong "
                       "X-CSRF-Token.",
                       &counters.csrf_refusals);
  metrics_->AddCounter("monipaikka_http_write_timeouts_total",
                       "HTTP connections closed because the client did not "
                       "take an answer within --http_write_timeout_s.",
                       &counters.write_timeouts);
  metrics_->AddGauge("monipaikka_http_open_connections",
                     "HTTP connections open now.", &counters.open_connections);
  metrics_->AddGauge("monipaikka_http_sessions", "Dashboard sessions open now.",
                     std::function<double()>([gateway = http_gateway_.get()] {
                       return static_cast<double>(gateway->sessions());
                     }));
  Log(LogLevel::kInfo, "http_serving",
      {{"http_listen", options_.http_listen},
       {"http_port", http_gateway_->port()},
       {"security", tls_credentials_ != nullptr ? "tls" : "plaintext"},
       {"web_root", options_.web_root}});
  if (!options_.web_root.empty() &&
      !std::filesystem::exists(std::filesystem::path(options_.web_root) /
                               "index.html")) {
    Log(LogLevel::kWarning, "web_app_missing",
        {{"web_root", options_.web_root},
         {"effect", "the dashboard's pages answer 404; the API works"}});
  }
  return absl::OkStatus();
}

int Server::http_port() const {
  return http_gateway_ ? http_gateway_->port() : 0;
}

void Server::PublishHealth() {
  absl::MutexLock lock(&health_mu_);
  health_service_ = grpc_server_->GetHealthCheckService();
  if (health_service_ == nullptr) return;
  // The health service knows "" alone until told each service's name.
  const bool healthy = storage_health_->healthy();
  for (const char* name : kServiceNames) {
    health_service_->SetServingStatus(name, healthy);
  }
  health_service_->SetServingStatus(healthy);
}

absl::StatusOr<ServerTlsMaterial> Server::ReloadTls() {
  if (tls_credentials_ == nullptr) {
    return absl::FailedPreconditionError(
        "the server serves plaintext; there is no TLS certificate to reload");
  }
  ASSIGN_OR_RETURN(ServerTlsMaterial material,
                   LoadServerTlsMaterial(options_.tls));
  if (http_gateway_) RETURN_IF_ERROR(http_gateway_->ReloadTls(material));
  tls_credentials_->Replace(material);
  return material;
}

int Server::metrics_port() const {
  return metrics_endpoint_ ? metrics_endpoint_->port() : 0;
}

bool Server::WriterResponsive() const {
  const std::chrono::milliseconds probe = options_.writer.probe_interval;
  if (probe.count() <= 0) return true;
  const std::chrono::steady_clock::duration silence =
      std::chrono::steady_clock::now() - storage_health_->last_outcome();
  return silence < std::max<std::chrono::steady_clock::duration>(
                       4 * probe, std::chrono::seconds(30));
}

void Server::OnStorageHealthChanged(bool healthy, const absl::Status& cause) {
  if (healthy) {
    Log(LogLevel::kInfo, "storage_healthy");
    NotifyStatus("serving");
  } else {
    Log(LogLevel::kError, "storage_unhealthy",
        {{"error", std::string(cause.message())}});
    NotifyStatus(absl::StrCat("storage failing: ", cause.message()));
  }
  absl::MutexLock lock(&health_mu_);
  if (health_service_ != nullptr) health_service_->SetServingStatus(healthy);
}

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  metrics_endpoint_.reset();
  // Before the gRPC server: its forwarded calls are cancelled and end.
  if (http_gateway_) http_gateway_->Shutdown();
  {
    // gRPC's shutdown marks every service NOT_SERVING and ends the health
    // service; no update may follow.
    absl::MutexLock lock(&health_mu_);
    health_service_ = nullptr;
  }
  // Watches run until cancelled: end them so that the server stops at once.
  if (occupancy_) occupancy_->StopWatches();
  if (grpc_server_) {
    grpc_server_->Shutdown(std::chrono::system_clock::now() +
                           std::chrono::seconds(5));
  }
  if (workforce_) workforce_->Stop();
  if (executor_) executor_->Stop();
  if (writer_) writer_->Stop();
  if (occupancy_) occupancy_->Stop();
  if (storage_stats_) storage_stats_->Stop();
}

Server::~Server() { Shutdown(); }

}  // namespace monipaikka
