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
#include "common/log.h"
#include "common/status_macros.h"
#include "monipaikka/v1/analytics.grpc.pb.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "monipaikka/v1/live.grpc.pb.h"
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
    v1::IngestService::service_full_name(),
    v1::InventoryService::service_full_name(),
    v1::LiveOccupancyService::service_full_name(),
    v1::SensorHealthService::service_full_name(),
    v1::UtilizationService::service_full_name(),
    v1::WorkforceService::service_full_name(),
};

}  // namespace

absl::Status CheckListenerSecurity(const ServerOptions& options) {
  if (options.tls.enabled()) {
    if (options.plaintext) {
      return absl::InvalidArgumentError(
          "--plaintext and --tls_cert_file/--tls_key_file exclude each other");
    }
    return absl::OkStatus();
  }
  if (!options.tls.client_ca_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_client_ca_file needs --tls_cert_file and --tls_key_file");
  }
  if (!options.tls.crl_file.empty()) {
    return absl::InvalidArgumentError(
        "--tls_crl_file needs --tls_cert_file, --tls_key_file and "
        "--tls_client_ca_file");
  }
  if (!options.plaintext) {
    return absl::InvalidArgumentError(
        "no TLS certificate: give --tls_cert_file and --tls_key_file, or "
        "--plaintext to serve unencrypted gRPC on a loopback address");
  }
  if (!IsLoopbackListenAddress(options.listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--listen=", options.listen,
        " is not a loopback address; --plaintext is allowed on loopback "
        "(127.0.0.1, localhost, [::1]) only: give --tls_cert_file and "
        "--tls_key_file"));
  }
  return absl::OkStatus();
}

namespace {

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

absl::StatusOr<std::unique_ptr<Server>> Server::Start(ServerOptions options) {
  RETURN_IF_ERROR(CheckListenerSecurity(options));
  std::shared_ptr<ReloadableServerCredentials> tls_credentials;
  if (options.tls.enabled()) {
    ASSIGN_OR_RETURN(ServerTlsMaterial material,
                     LoadServerTlsMaterial(options.tls));
    tls_credentials =
        std::make_shared<ReloadableServerCredentials>(std::move(material));
  }
  if (!options.ingest.now_ms) {
    options.ingest.now_ms = [] { return absl::ToUnixMillis(absl::Now()); };
  }
  std::unique_ptr<Server> server(new Server());
  server->options_ = options;
  server->tls_credentials_ = tls_credentials;
  server->storage_health_ = std::make_unique<StorageHealth>(
      [raw = server.get()](bool healthy, const absl::Status& cause) {
        raw->OnStorageHealthChanged(healthy, cause);
      });
  ASSIGN_OR_RETURN(server->storage_,
                   Storage::OpenSqlite(options.database, options.storage));
  server->tokens_ = std::make_unique<TokenStore>(options.ingest.now_ms);
  {
    ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> session,
                     server->storage_->OpenSession());
    RETURN_IF_ERROR(server->tokens_->Load(session->Access()));
    if (!options.auth.bootstrap_admin_token_file.empty()) {
      RETURN_IF_ERROR(
          BootstrapAdminToken(*session, *server->tokens_,
                              options.auth.bootstrap_admin_token_file)
              .status());
    }
    if (!options.auth.recover_admin_token_file.empty()) {
      RETURN_IF_ERROR(RecoverAdminToken(*session, *server->tokens_,
                                        options.auth.recover_admin_token_file)
                          .status());
    }
  }
  server->request_size_limit_ = std::make_unique<RequestSizeLimit>(
      options.max_request_bytes, RequestSizeLimit::ImportMethods());
  server->access_ = std::make_unique<AccessControl>(
      server->tokens_.get(), &server->auth_counters_,
      /*certificates_identify_devices=*/!options.tls.client_ca_file.empty(),
      server->request_size_limit_.get(), tls_credentials.get());

  // Registry-derived figures in the occupancy reports (FTE) are withheld
  // with the HR reports' threshold and on the HR reports' clock.
  OccupancyOptions occupancy = options.occupancy;
  occupancy.registry.disclosure.anonymity_k = options.workforce.anonymity_k;
  occupancy.registry.calendar = options.workforce.publication;
  if (!occupancy.today) occupancy.today = options.workforce.today;
  ASSIGN_OR_RETURN(
      server->occupancy_,
      OccupancyBackend::Create(server->storage_.get(), options.utilization,
                               occupancy, options.ingest.now_ms));
  IngestWriterOptions writer_options = options.writer;
  writer_options.on_committed = [occupancy = server->occupancy_.get()](
                                    std::span<const StoredReading> readings) {
    occupancy->OnCommitted(readings);
  };
  writer_options.on_storage_outcome =
      [health = server->storage_health_.get()](const absl::Status& outcome) {
        health->Record(outcome);
      };
  ASSIGN_OR_RETURN(std::unique_ptr<StorageSession> writer_session,
                   server->storage_->OpenSession());
  // What an ingest ack promises, as the writer's connection reports it.
  ASSIGN_OR_RETURN(const int synchronous, writer_session->SynchronousPragma());
  Log(LogLevel::kInfo, "storage_opened",
      {{"db", options.database},
       {"sqlite_synchronous", synchronous == 2   ? std::string("full")
                              : synchronous == 1 ? std::string("normal")
                                                 : absl::StrCat(synchronous)}});
  ASSIGN_OR_RETURN(std::vector<SensorBinding> sensors,
                   writer_session->LoadSensorBindings());
  server->directory_.Set(std::make_shared<SensorDirectory>(std::move(sensors)));
  server->writer_ = std::make_unique<IngestWriter>(
      std::move(writer_session), writer_options, &server->counters_);
  RETURN_IF_ERROR(server->writer_->Start(options.ingest.now_ms()));

  server->executor_ = std::make_unique<QueryExecutor>(server->storage_.get(),
                                                      options.max_query_time);
  RETURN_IF_ERROR(server->executor_->Start(options.query_threads));
  RETURN_IF_ERROR(server->occupancy_->Start(server->executor_.get(),
                                            server->access_.get()));

  server->ingest_service_ = std::make_unique<IngestServiceImpl>(
      &server->directory_, server->writer_.get(), &server->counters_,
      server->access_.get(), options.ingest);
  server->inventory_service_ = std::make_unique<InventoryServiceImpl>(
      server->executor_.get(), server->access_.get(), &server->directory_,
      [occupancy = server->occupancy_.get()](StorageSession& session) {
        return occupancy->InventoryChanged(session);
      });
  server->sensor_health_service_ = std::make_unique<SensorHealthServiceImpl>(
      server->executor_.get(), server->access_.get(), options.ingest.now_ms);
  server->auth_service_ = std::make_unique<AuthServiceImpl>(
      server->executor_.get(), server->access_.get(), server->tokens_.get());
  ASSIGN_OR_RETURN(
      server->workforce_,
      WorkforceBackend::Start(server->storage_.get(), options.database,
                              server->executor_.get(), server->access_.get(),
                              options.workforce));

  AddIngestMetrics(server->counters_, server->metrics_.get());
  AddStorageHealthMetrics(*server->storage_health_, server->metrics_.get());
  AddQueryMetrics(server->executor_->query_seconds(),
                  server->executor_->counters(), server->metrics_.get());
  AddAuthMetrics(server->auth_counters_, server->metrics_.get());
  AddMemoryMetrics(server->metrics_.get());
  server->metrics_->AddCounter(
      "monipaikka_malformed_requests_total",
      "Requests of unary or server-streaming calls that were no protobuf of "
      "the method's request (answered INVALID_ARGUMENT).",
      &server->malformed_requests_);
  server->metrics_->AddCounter(
      "monipaikka_oversized_requests_total",
      "Requests of methods other than the imports that were over "
      "--max_request_bytes (answered RESOURCE_EXHAUSTED).",
      server->request_size_limit_->refused_counter());
  if (!options.metrics_listen.empty()) {
    ASSIGN_OR_RETURN(server->metrics_endpoint_,
                     MetricsEndpoint::Start(options.metrics_listen,
                                            options.metrics_allow_non_loopback,
                                            server->metrics_));
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  if (tls_credentials != nullptr) {
    builder.AddListeningPort(options.listen, tls_credentials, &server->port_);
  } else {
    builder.AddListeningPort(options.listen, grpc::InsecureServerCredentials(),
                             &server->port_);
  }
  builder.RegisterService(server->ingest_service_.get());
  builder.RegisterService(server->inventory_service_.get());
  for (grpc::Service* service : server->occupancy_->services()) {
    builder.RegisterService(service);
  }
  builder.RegisterService(server->workforce_->service());
  builder.RegisterService(server->sensor_health_service_.get());
  builder.RegisterService(server->auth_service_.get());
  builder.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  // Bounds what callers, authorized or not, can make gRPC hold: memory for
  // connections and calls, and calls per connection.
  grpc::ResourceQuota quota("monipaikka-server");
  quota.Resize(static_cast<size_t>(options.grpc_memory_bytes));
  builder.SetResourceQuota(quota);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS,
                             options.max_concurrent_streams);
  std::vector<
      std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>>
      interceptors;
  interceptors.push_back(std::make_unique<MalformedRequestInterceptorFactory>(
      &server->malformed_requests_, server->request_size_limit_.get()));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  server->grpc_server_ = builder.BuildAndStart();
  if (server->grpc_server_ == nullptr || server->port_ == 0) {
    server->writer_->Stop();
    server->executor_->Stop();
    return absl::UnavailableError(
        absl::StrCat("cannot listen on ", options.listen));
  }
  {
    absl::MutexLock lock(&server->health_mu_);
    server->health_service_ = server->grpc_server_->GetHealthCheckService();
    if (server->health_service_ != nullptr) {
      // The health service knows "" alone until told each service's name.
      const bool healthy = server->storage_health_->healthy();
      for (const char* name : kServiceNames) {
        server->health_service_->SetServingStatus(name, healthy);
      }
      server->health_service_->SetServingStatus(healthy);
    }
  }
  return server;
}

absl::StatusOr<ServerTlsMaterial> Server::ReloadTls() {
  if (tls_credentials_ == nullptr) {
    return absl::FailedPreconditionError(
        "the server serves plaintext; there is no TLS certificate to reload");
  }
  ASSIGN_OR_RETURN(ServerTlsMaterial material,
                   LoadServerTlsMaterial(options_.tls));
  tls_credentials_->Replace(material);
  return material;
}

int Server::metrics_port() const {
  return metrics_endpoint_ ? metrics_endpoint_->port() : 0;
}

void Server::OnStorageHealthChanged(bool healthy, const absl::Status& cause) {
  if (healthy) {
    Log(LogLevel::kInfo, "storage_healthy");
  } else {
    Log(LogLevel::kError, "storage_unhealthy",
        {{"error", std::string(cause.message())}});
  }
  absl::MutexLock lock(&health_mu_);
  if (health_service_ != nullptr) health_service_->SetServingStatus(healthy);
}

void Server::Shutdown() {
  if (shut_down_) return;
  shut_down_ = true;
  metrics_endpoint_.reset();
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
}

Server::~Server() { Shutdown(); }

}  // namespace monipaikka
