// Load test: many simulated edge gateways stream readings into one real
// monipaikka-server process, all on 127.0.0.1, for a bounded time.
//
// Steps: start the server binary with a fresh database in a temporary
// directory and a bootstrap admin token (plaintext gRPC on loopback, or
// with --tls a certificate for 127.0.0.1 from a CA made for the run, which
// every gateway verifies); import one building per gateway
// (--sensors_per_gateway desk sensors each) and create a device token per
// gateway; open one IngestService.StreamReadings stream per gateway, each on
// its own connection with its own device token, and send every sensor's
// readings at
// --readings_per_sensor_per_min for --duration (bench/load/); let every
// gateway drain; stop the server and count the readings in its database.
//
// Prints: readings/s accepted, the ingest-to-commit latency of the batches
// (from writing a batch to its acknowledgement, which the server sends after
// the commit) p50/p95/p99, the errors, and the server's resident memory
// (VmRSS) at the start, every --report_every and at the end, plus the size
// of the database. Exits 1 when a reading was lost (fewer in the database
// than acknowledged as accepted), anything went wrong (rejected or duplicate
// readings, a failed stream, readings never acknowledged) or the server
// died; 2 on bad flags.
//
// Usage: load_test [--gateways=200] [--sensors_per_gateway=100]
//                  [--readings_per_sensor_per_min=6] [--duration=60s]
//                  [--report_every=30s] [--server=PATH] [--dir=/tmp] [--tls]

#include <grpcpp/grpcpp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/load/gateway_fleet.h"
#include "bench/load/load_inventory.h"
#include "bench/load/load_stats.h"
#include "bench/load/process_figures.h"
#include "common/bearer_token.h"
#include "common/sqlite.h"
#include "monipaikka/v1/auth.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"
#include "tests/support/openssl_certificates.h"
#include "tests/support/process.h"

ABSL_FLAG(int, gateways, 200,
          "simulated gateways (1 … 10000), one stream each");
ABSL_FLAG(int, sensors_per_gateway, 100,
          "desk sensors per gateway (1 … 10000)");
ABSL_FLAG(double, readings_per_sensor_per_min, 6,
          "how often every sensor reports (> 0, at most 60000): 6 compresses "
          "a desk sensor's 15-minute heartbeat plus its state changes into "
          "one reading every 10 s");
ABSL_FLAG(double, state_change_probability, 0.1,
          "share of readings at which the desk's state changes (0 … 1): a "
          "desk sensor sends a heartbeat every 15 minutes and a reading at "
          "each of some ten changes a day");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(60),
          "how long readings are generated (1s … 24h)");
ABSL_FLAG(absl::Duration, batch_interval, absl::Seconds(1),
          "each gateway sends what its sensors produced this often");
ABSL_FLAG(int, max_batch_readings, 1000, "readings per batch at most");
ABSL_FLAG(int, max_in_flight, 8, "unacknowledged batches per gateway at most");
ABSL_FLAG(absl::Duration, report_every, absl::Seconds(30),
          "print the server's memory and the recent rates this often");
ABSL_FLAG(absl::Duration, drain_timeout, absl::Seconds(60),
          "after --duration, wait at most this long for the last "
          "acknowledgements");
ABSL_FLAG(std::string, server, MONIPAIKKA_SERVER_BIN,
          "the monipaikka-server binary");
ABSL_FLAG(std::string, server_args, "",
          "more flags for the server, separated by spaces");
ABSL_FLAG(std::string, dir, "/tmp",
          "where the run's directory (database, server log) is made");
ABSL_FLAG(bool, keep_dir, false,
          "keep the run's directory (it is always kept when the run fails)");
ABSL_FLAG(uint64_t, seed, 1, "seed of the sensors' phases and states");
ABSL_FLAG(bool, tls, false,
          "serve TLS (a certificate for 127.0.0.1 from a CA made for the run "
          "with the openssl command) and have every gateway verify it");

namespace monipaikka::load {
namespace {

using testing::Process;

double MiB(int64_t kib) { return static_cast<double>(kib) / 1024.0; }

std::string FormatMiB(int64_t kib) {
  return absl::StrFormat("%.1f MiB", MiB(kib));
}

int64_t FileSize(const std::string& path) {
  std::error_code error;
  const auto size = std::filesystem::file_size(path, error);
  return error ? 0 : static_cast<int64_t>(size);
}

double OwnCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) /
             1e6;
}

// An empty string when the flags are usable, else what is wrong.
std::string CheckFlags() {
  const int gateways = absl::GetFlag(FLAGS_gateways);
  const int sensors = absl::GetFlag(FLAGS_sensors_per_gateway);
  const double rate = absl::GetFlag(FLAGS_readings_per_sensor_per_min);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  if (gateways < 1 || gateways > 10000) return "--gateways must be 1 … 10000";
  if (sensors < 1 || sensors > 10000) {
    return "--sensors_per_gateway must be 1 … 10000";
  }
  if (int64_t{gateways} * sensors > 1000000) {
    return "--gateways × --sensors_per_gateway must be at most 1000000";
  }
  if (!(rate > 0 && rate <= 60000)) {
    return "--readings_per_sensor_per_min must be > 0 and at most 60000 "
           "(one reading per sensor and millisecond)";
  }
  const double change = absl::GetFlag(FLAGS_state_change_probability);
  if (!(change >= 0 && change <= 1)) {
    return "--state_change_probability must be 0 … 1";
  }
  if (duration < absl::Seconds(1) || duration > absl::Hours(24)) {
    return "--duration must be 1s … 24h";
  }
  if (absl::GetFlag(FLAGS_batch_interval) < absl::Milliseconds(1) ||
      absl::GetFlag(FLAGS_report_every) < absl::Seconds(1) ||
      absl::GetFlag(FLAGS_drain_timeout) < absl::Seconds(1)) {
    return "--batch_interval must be at least 1ms, --report_every and "
           "--drain_timeout at least 1s";
  }
  const int batch = absl::GetFlag(FLAGS_max_batch_readings);
  if (batch < 1 || batch > 10000 || absl::GetFlag(FLAGS_max_in_flight) < 1) {
    return "--max_batch_readings must be 1 … 10000, --max_in_flight at "
           "least 1";
  }
  return "";
}

// The server, started on a free loopback port with a fresh database in
// `dir`, and its bootstrap admin token; null (after saying why) when it does
// not come up.
std::unique_ptr<Process> StartServer(const std::string& dir,
                                     const testing::CertificateFiles* tls,
                                     int* port, int* metrics_port,
                                     std::string* admin_token) {
  const std::string token_file = dir + "/admin.token";
  std::vector<std::string> args = {
      "--listen=127.0.0.1:0",
      "--metrics_listen=127.0.0.1:0",
      "--db=" + dir + "/server.db",
      "--port_file=" + dir + "/server.port",
      "--metrics_port_file=" + dir + "/metrics.port",
      "--bootstrap_admin_token_file=" + token_file};
  if (tls != nullptr) {
    args.push_back("--tls_cert_file=" + tls->cert);
    args.push_back("--tls_key_file=" + tls->key);
  } else {
    args.push_back("--plaintext");
  }
  for (absl::string_view arg : absl::StrSplit(absl::GetFlag(FLAGS_server_args),
                                              ' ', absl::SkipEmpty())) {
    args.emplace_back(arg);
  }
  auto server = std::make_unique<Process>(absl::GetFlag(FLAGS_server), args,
                                          dir + "/server.log");
  *port =
      testing::WaitForPortFile(dir + "/server.port", std::chrono::seconds(60));
  if (*port <= 0) {
    std::fprintf(stderr, "load_test: the server did not start:\n%s\n",
                 server->Log().c_str());
    return nullptr;
  }
  *metrics_port =
      testing::WaitForPortFile(dir + "/metrics.port", std::chrono::seconds(10));
  // The server writes the token before it serves.
  absl::StatusOr<std::string> token = ReadTokenFile(token_file);
  if (!token.ok()) {
    std::fprintf(stderr, "load_test: %s\n",
                 std::string(token.status().message()).c_str());
    return nullptr;
  }
  *admin_token = *token;
  return server;
}

// Imports the inventory in parts of at most ~20000 sensors.
bool ImportInventory(const std::shared_ptr<grpc::Channel>& admin, int gateways,
                     int sensors) {
  auto stub = v1::InventoryService::NewStub(admin);
  const int per_part = std::max(1, 20000 / sensors);
  for (int first = 0; first < gateways; first += per_part) {
    v1::ImportInventoryRequest request;
    *request.mutable_inventory() =
        MakeInventory(first, std::min(per_part, gateways - first), sensors);
    v1::ImportInventoryResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::minutes(5));
    const grpc::Status status =
        stub->ImportInventory(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "load_test: inventory import failed: %s\n",
                   status.error_message().c_str());
      return false;
    }
  }
  return true;
}

// A device token for each gateway, in gateway order; empty (after saying
// why) on failure.
std::vector<std::string> CreateDeviceTokens(
    const std::shared_ptr<grpc::Channel>& admin, int gateways) {
  auto stub = v1::AuthService::NewStub(admin);
  std::vector<std::string> tokens;
  for (int g = 0; g < gateways; ++g) {
    v1::CreateTokenRequest request;
    request.set_name("load test " + GatewayName(g));
    request.set_role(v1::ROLE_DEVICE);
    request.set_gateway(GatewayName(g));
    v1::CreateTokenResponse response;
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         std::chrono::seconds(30));
    const grpc::Status status = stub->CreateToken(&context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "load_test: creating the token of %s failed: %s\n",
                   GatewayName(g).c_str(), status.error_message().c_str());
      return {};
    }
    tokens.push_back(response.secret());
  }
  return tokens;
}

// COUNT(*) of the readings table, or -1 (after saying why).
int64_t CountStoredReadings(const std::string& db_path) {
  DatabaseOptions options;
  options.read_only = true;
  auto db = Database::Open(db_path, options);
  if (!db.ok()) {
    std::fprintf(stderr, "load_test: %s\n",
                 std::string(db.status().message()).c_str());
    return -1;
  }
  auto stmt = (*db)->Prepare("SELECT COUNT(*) FROM readings");
  absl::StatusOr<std::optional<int64_t>> count =
      stmt.ok() ? (*stmt)->OneRow([&] { return (*stmt)->ColumnInt64(0); })
                : absl::StatusOr<std::optional<int64_t>>(stmt.status());
  if (!count.ok() || !count->has_value()) {
    std::fprintf(stderr, "load_test: cannot count the readings\n");
    return -1;
  }
  return **count;
}

// Where the server's memory is, from its metrics endpoint (MiB; -1 when
// the scrape fails).
struct ServerMemory {
  double sqlite_mib = -1;
  double heap_in_use_mib = -1;
};

ServerMemory ScrapeServerMemory(int metrics_port) {
  ServerMemory memory;
  absl::StatusOr<testing::HttpResponse> response =
      testing::HttpGet(metrics_port, "/metrics");
  if (!response.ok()) return memory;
  auto mib = [&](absl::string_view series) {
    std::optional<double> value = testing::SampleValue(response->body, series);
    return value.has_value() ? *value / (1024.0 * 1024.0) : -1;
  };
  memory.sqlite_mib = mib("monipaikka_sqlite_memory_bytes");
  memory.heap_in_use_mib = mib("monipaikka_heap_in_use_bytes");
  return memory;
}

// One line of the running report.
class Reporter {
 public:
  Reporter(const LoadStats* stats, pid_t server, int metrics_port)
      : stats_(stats), server_(server), metrics_port_(metrics_port) {
    std::printf("%8s %10s %11s %12s %12s %9s %9s %8s %10s\n", "time",
                "server RSS", "heap in use", "of it SQLite", "accepted/s",
                "p50 ms", "p99 ms", "errors", "backlog");
  }

  // A line covering the time since the previous one; returns the figures.
  ProcessFigures Line(absl::Duration since_start, int64_t backlog) {
    const ProcessFigures figures = ReadProcessFigures(server_);
    const ServerMemory memory = ScrapeServerMemory(metrics_port_);
    const std::vector<double> latencies = stats_->LatenciesSince(&cursor_);
    const int64_t accepted = stats_->accepted();
    const double seconds = absl::ToDoubleSeconds(since_start - last_time_);
    std::printf(
        "%7.0fs %10s %7.1f MiB %8.1f MiB %12.0f %9.1f %9.1f %8lld %10lld\n",
        absl::ToDoubleSeconds(since_start), FormatMiB(figures.rss_kib).c_str(),
        memory.heap_in_use_mib, memory.sqlite_mib,
        seconds > 0 ? static_cast<double>(accepted - last_accepted_) / seconds
                    : 0.0,
        Percentile(latencies, 50), Percentile(latencies, 99),
        static_cast<long long>(Errors()), static_cast<long long>(backlog));
    std::fflush(stdout);
    last_time_ = since_start;
    last_accepted_ = accepted;
    return figures;
  }

  int64_t Errors() const {
    return stats_->errors() + stats_->rejected() + stats_->duplicates();
  }

 private:
  const LoadStats* const stats_;
  const pid_t server_;
  const int metrics_port_;
  size_t cursor_ = 0;
  absl::Duration last_time_;
  int64_t last_accepted_ = 0;
};

int Main() {
  if (const std::string problem = CheckFlags(); !problem.empty()) {
    std::fprintf(stderr, "load_test: %s\n", problem.c_str());
    return 2;
  }
  FleetOptions fleet_options;
  fleet_options.gateways = absl::GetFlag(FLAGS_gateways);
  fleet_options.sensors_per_gateway = absl::GetFlag(FLAGS_sensors_per_gateway);
  fleet_options.readings_per_sensor_per_min =
      absl::GetFlag(FLAGS_readings_per_sensor_per_min);
  fleet_options.state_change_probability =
      absl::GetFlag(FLAGS_state_change_probability);
  fleet_options.batch_interval = absl::GetFlag(FLAGS_batch_interval);
  fleet_options.max_batch_readings = absl::GetFlag(FLAGS_max_batch_readings);
  fleet_options.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  fleet_options.seed = absl::GetFlag(FLAGS_seed);
  const absl::Duration duration = absl::GetFlag(FLAGS_duration);
  const int64_t sensors =
      int64_t{fleet_options.gateways} * fleet_options.sensors_per_gateway;
  const double offered_per_s = static_cast<double>(sensors) *
                               fleet_options.readings_per_sensor_per_min / 60;

  std::string dir = absl::GetFlag(FLAGS_dir) + "/monipaikka-load-XXXXXX";
  if (mkdtemp(dir.data()) == nullptr) {
    std::fprintf(stderr, "load_test: cannot make a directory like %s\n",
                 dir.c_str());
    return 1;
  }
  const std::string db_path = dir + "/server.db";
  std::printf(
      "load test: %d gateways × %d desk sensors = %lld sensors, %g "
      "readings per sensor per minute (%.0f readings/s offered), "
      "batches every %s, for %s, %s\n",
      fleet_options.gateways, fleet_options.sensors_per_gateway,
      static_cast<long long>(sensors),
      fleet_options.readings_per_sensor_per_min, offered_per_s,
      absl::FormatDuration(fleet_options.batch_interval).c_str(),
      absl::FormatDuration(duration).c_str(),
      absl::GetFlag(FLAGS_tls) ? "TLS" : "plaintext");

  // With --tls: a CA and a server certificate for 127.0.0.1, made for the
  // run.
  std::optional<testing::CertificateFiles> server_certificate;
  std::string ca_pem;
  if (absl::GetFlag(FLAGS_tls)) {
    absl::StatusOr<testing::CertificateFiles> ca =
        testing::MakeCertificateAuthority(dir, "load-ca");
    absl::StatusOr<testing::CertificateFiles> issued =
        ca.ok() ? testing::IssueCertificate(*ca, dir, "server", "load-server",
                                            "IP:127.0.0.1")
                : ca.status();
    if (!issued.ok()) {
      std::fprintf(stderr, "load_test: %s\n",
                   std::string(issued.status().message()).c_str());
      return 1;
    }
    server_certificate = *issued;
    std::ifstream in(ca->cert);
    ca_pem.assign(std::istreambuf_iterator<char>(in),
                  std::istreambuf_iterator<char>());
    fleet_options.tls_ca_pem = ca_pem;
  }

  int port = 0;
  int metrics_port = 0;
  std::string admin_token;
  std::unique_ptr<Process> server = StartServer(
      dir, server_certificate.has_value() ? &*server_certificate : nullptr,
      &port, &metrics_port, &admin_token);
  if (server == nullptr) return 1;
  const std::string address = absl::StrCat("127.0.0.1:", port);
  const std::shared_ptr<grpc::Channel> admin = CreateChannelWithToken(
      address,
      ca_pem.empty() ? grpc::InsecureChannelCredentials()
                     : grpc::SslCredentials({.pem_root_certs = ca_pem}),
      grpc::ChannelArguments(), admin_token);
  std::printf("server: %s (pid %d) on %s, database %s\n",
              absl::GetFlag(FLAGS_server).c_str(), server->pid(),
              address.c_str(), db_path.c_str());
  const ProcessFigures at_start = ReadProcessFigures(server->pid());
  std::printf("server RSS at start: %s\n", FormatMiB(at_start.rss_kib).c_str());

  const absl::Time import_started = absl::Now();
  if (!ImportInventory(admin, fleet_options.gateways,
                       fleet_options.sensors_per_gateway)) {
    return 1;
  }
  const std::vector<std::string> device_tokens =
      CreateDeviceTokens(admin, fleet_options.gateways);
  if (device_tokens.empty()) return 1;
  const ProcessFigures after_import = ReadProcessFigures(server->pid());
  std::printf(
      "inventory: %lld sensors imported and %d device tokens made in "
      "%.1f s; server RSS %s\n",
      static_cast<long long>(sensors), fleet_options.gateways,
      absl::ToDoubleSeconds(absl::Now() - import_started),
      FormatMiB(after_import.rss_kib).c_str());

  // The run.
  LoadStats stats;
  const double own_cpu_before = OwnCpuSeconds();
  const ProcessFigures before_load = ReadProcessFigures(server->pid());
  const absl::Time started = absl::Now();
  auto fleet =
      std::make_unique<GatewayFleet>(address, fleet_options, device_tokens,
                                     absl::ToUnixMillis(started), &stats);
  fleet->Start(duration);
  Reporter reporter(&stats, server->pid(), metrics_port);
  std::vector<ProcessFigures> samples = {
      reporter.Line(absl::ZeroDuration(), 0)};
  absl::Duration next_report = absl::GetFlag(FLAGS_report_every);
  bool server_died = false;
  while (!fleet->generating_done()) {
    absl::SleepFor(absl::Milliseconds(200));
    if (!server->running()) {
      server_died = true;
      fleet->StopGenerating();
      break;
    }
    const absl::Duration elapsed = absl::Now() - started;
    // The last stretch is reported with the end of the run.
    if (elapsed >= next_report && elapsed < duration) {
      const ProcessFigures figures =
          reporter.Line(elapsed, fleet->unacknowledged());
      if (figures.ok) samples.push_back(figures);
      next_report += absl::GetFlag(FLAGS_report_every);
    }
  }
  const absl::Time load_ended =
      fleet->generating_done() ? fleet->generating_ended() : absl::Now();
  const bool drained = fleet->WaitDrained(absl::GetFlag(FLAGS_drain_timeout));
  const absl::Time drain_ended = absl::Now();
  const int64_t unacknowledged = fleet->unacknowledged();
  fleet.reset();  // every stream closed
  const double own_cpu = OwnCpuSeconds() - own_cpu_before;
  server_died = server_died || !server->running();
  if (!server_died) {
    samples.push_back(reporter.Line(drain_ended - started, unacknowledged));
  }
  // The last sample: of the end, or the last one before the server died.
  const ProcessFigures at_end = samples.back();
  const int64_t db_bytes = FileSize(db_path);
  const int64_t wal_bytes = FileSize(db_path + "-wal");

  // Stop the server (it commits what is queued) and count what it stored.
  int exit_code = -1;
  if (!server_died) {
    server->Signal(SIGTERM);
    exit_code = server->Wait(std::chrono::seconds(120));
  }
  const int64_t stored = CountStoredReadings(db_path);

  const double load_s = absl::ToDoubleSeconds(load_ended - started);
  const double total_s = absl::ToDoubleSeconds(drain_ended - started);
  size_t all_cursor = 0;
  const std::vector<double> latencies = stats.LatenciesSince(&all_cursor);
  std::printf(
      "\nreadings: %lld generated, %lld sent in %lld batches; "
      "acknowledged: %lld accepted, %lld duplicates, %lld rejected\n",
      static_cast<long long>(stats.generated()),
      static_cast<long long>(stats.readings_sent()),
      static_cast<long long>(stats.batches_sent()),
      static_cast<long long>(stats.accepted()),
      static_cast<long long>(stats.duplicates()),
      static_cast<long long>(stats.rejected()));
  std::printf(
      "accepted: %.0f readings/s (%lld in %.1f s: %.1f s of load, "
      "%.1f s to drain)\n",
      static_cast<double>(stats.accepted()) / total_s,
      static_cast<long long>(stats.accepted()), total_s, load_s,
      total_s - load_s);
  std::printf(
      "ingest-to-commit latency (batch written → acknowledged), %zu "
      "batches: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms\n",
      latencies.size(), Percentile(latencies, 50), Percentile(latencies, 95),
      Percentile(latencies, 99), Percentile(latencies, 100));
  const int64_t errors = reporter.Errors() + unacknowledged;
  std::printf(
      "errors: %lld (stream errors %lld, rejected %lld, duplicates "
      "%lld, never acknowledged %lld)\n",
      static_cast<long long>(errors), static_cast<long long>(stats.errors()),
      static_cast<long long>(stats.rejected()),
      static_cast<long long>(stats.duplicates()),
      static_cast<long long>(unacknowledged));
  for (const std::string& message : stats.error_messages()) {
    std::printf("  %s\n", message.c_str());
  }
  int64_t peak_rss = 0;
  for (const ProcessFigures& sample : samples)
    peak_rss = std::max(peak_rss, sample.rss_kib);
  std::printf(
      "server RSS: %s at start, %s after the import, %s %s "
      "(highest sample %s, VmHWM %s)\n",
      FormatMiB(at_start.rss_kib).c_str(),
      FormatMiB(after_import.rss_kib).c_str(),
      FormatMiB(at_end.rss_kib).c_str(),
      server_died ? "in the last sample before it died" : "at the end",
      FormatMiB(peak_rss).c_str(), FormatMiB(at_end.hwm_kib).c_str());
  std::printf(
      "CPU during the run: server %.2f s, load generator %.2f s "
      "(over %.1f s)\n",
      at_end.cpu_s - before_load.cpu_s, own_cpu, total_s);
  std::printf("database: %.1f MiB + WAL %.1f MiB at the end of the run",
              db_bytes / 1048576.0, wal_bytes / 1048576.0);
  if (stored > 0) {
    std::printf(" (%.0f bytes per reading)",
                static_cast<double>(db_bytes + wal_bytes) /
                    static_cast<double>(stored));
  }
  std::printf("\n");

  bool ok = true;
  if (server_died) {
    const std::string log = server->Log();
    std::printf("FAILED: the server died; the end of its log:\n%s\n",
                log.substr(log.size() > 4000 ? log.size() - 4000 : 0).c_str());
    ok = false;
  } else if (exit_code != 0) {
    std::printf("FAILED: the server stopped with exit code %d\n", exit_code);
    ok = false;
  }
  std::printf(
      "readings in the database: %lld, acknowledged as accepted: %lld\n",
      static_cast<long long>(stored), static_cast<long long>(stats.accepted()));
  if (stored < 0) {
    std::printf("FAILED: the readings in the database could not be counted\n");
    ok = false;
  } else if (stored < stats.accepted()) {
    std::printf("FAILED: %lld acknowledged readings are missing\n",
                static_cast<long long>(stats.accepted() - stored));
    ok = false;
  } else if (stored != stats.accepted()) {
    std::printf("FAILED: %lld more readings stored than acknowledged\n",
                static_cast<long long>(stored - stats.accepted()));
    ok = false;
  }
  if (errors > 0 || !drained) {
    std::printf("FAILED: %lld errors%s\n", static_cast<long long>(errors),
                drained ? "" : "; streams still open after --drain_timeout");
    ok = false;
  }
  if (ok && !absl::GetFlag(FLAGS_keep_dir)) {
    std::filesystem::remove_all(dir);
  } else {
    std::printf("run directory kept: %s\n", dir.c_str());
  }
  std::printf("%s\n",
              ok ? "OK: every acknowledged reading is stored once" : "FAILED");
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace monipaikka::load

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // progress lines show at once
  return monipaikka::load::Main();
}
