// monipaikka-edge: the edge agent of one building gateway. See edge/agent.h.
//
// Exit codes (common/exit_code.h): 0 stopped cleanly, 1 runtime failure
// (e.g. outbox unusable), 2 bad command line.

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/bearer_token.h"
#include "common/build_info.h"
#include "common/build_info_metric.h"
#include "common/command_line.h"
#include "common/connection_flags.h"
#include "common/exit_code.h"
#include "common/grpc_log.h"
#include "common/log.h"
#include "common/metric_set.h"
#include "common/metrics_endpoint.h"
#include "common/service_manager.h"
#include "common/sqlite.h"
#include "common/time_format.h"
#include "edge/agent.h"
#include "edge/agent_metrics.h"

ABSL_FLAG(std::string, server, "127.0.0.1:7070",
          "Server address host:port. TLS unless it is a loopback address and "
          "no --tls* flag is given.");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM client certificate of this gateway (mTLS; its common name is "
          "the gateway), with --tls_key_file.");
ABSL_FLAG(std::string, tls_key_file, "", "PEM private key of --tls_cert_file.");
ABSL_FLAG(std::string, gateway, "",
          "This gateway's identifier as in the inventory (required).");
ABSL_FLAG(std::string, outbox, "edge-outbox.db",
          "Path of the durable outbox database (SQLite).");
ABSL_FLAG(int64_t, outbox_max_mb, 1024,
          "Disk budget of the outbox in MiB; when its data reaches it, new "
          "readings are dropped (and counted) until the server acknowledges "
          "queued ones. 0: no budget.");
ABSL_FLAG(int32_t, keep_acked_hours, 72,
          "Hours the outbox keeps readings after the server acknowledged "
          "them (within --outbox_max_mb, which drops the oldest first), so "
          "that a server restored from a backup gets them again; 0: none.");
ABSL_FLAG(std::string, backfill_from, "",
          "First local day to backfill, YYYY-MM-DD (with --backfill_to).");
ABSL_FLAG(std::string, backfill_to, "",
          "Last local day to backfill, YYYY-MM-DD, inclusive.");
ABSL_FLAG(bool, simulate, false,
          "Live simulation: append simulated readings every few seconds.");
ABSL_FLAG(uint64_t, seed, 1, "Seed of the simulation.");
ABSL_FLAG(int32_t, batch_size, 1000, "Readings per batch, 1..10000.");
ABSL_FLAG(int32_t, max_in_flight, 8,
          "Batches sent and not yet acknowledged, 1..1000.");
ABSL_FLAG(bool, exit_when_drained, false,
          "Exit once the backfill is written and the server has acknowledged "
          "every queued reading.");
ABSL_FLAG(int32_t, status_interval_s, 60,
          "Seconds between status log lines; 0 for none.");
ABSL_FLAG(std::string, inputs, "",
          "JSON file configuring the real sensor inputs: MQTT (ChirpStack, "
          "The Things Stack, Haltian) and the UDP/TCP line protocol. See "
          "docs/edge-inputs.md and deploy/config/edge-inputs.example.json.");
ABSL_FLAG(int64_t, mqtt_max_payload_bytes, 64 * 1024,
          "MQTT messages with a longer payload are not parsed: counted "
          "(reason too_large), logged and acknowledged. 1024..268435456.");
ABSL_FLAG(int32_t, mqtt_max_json_depth, 32,
          "MQTT messages whose JSON nests arrays and objects deeper are "
          "rejected before any document is built: counted (reason "
          "too_deep), logged and acknowledged. 2..256.");
ABSL_FLAG(
    std::string, metrics_listen, "",
    "host:port of the metrics endpoint (HTTP, Prometheus text format, "
    "at /metrics), e.g. 127.0.0.1:9465; port 0 picks a free one; empty (the "
    "default): no endpoint.");
ABSL_FLAG(bool, metrics_allow_non_loopback, false,
          "Allow --metrics_listen on an address other than loopback (the "
          "endpoint has no authentication: firewall it).");
ABSL_FLAG(std::string, metrics_port_file, "",
          "Write the metrics endpoint's bound port to this file once "
          "serving.");
ABSL_FLAG(std::string, sqlite_synchronous, "full",
          "How outbox commits reach the disk before the inputs acknowledge "
          "them (MQTT PUBACK, line protocol \"ok\"): \"full\" (survives power "
          "loss and OS crashes) or \"normal\" (faster; survives a crash of "
          "the agent, but the last commits before a power loss or OS crash "
          "may be lost).");
ABSL_FLAG(bool, line_allow_non_loopback, false,
          "Allow the line protocol inputs (--inputs \"line\") on an address "
          "other than loopback (the protocol has no authentication: only on "
          "a trusted network).");
ABSL_FLAG(int32_t, line_idle_timeout_s, 60,
          "Close a line protocol TCP connection after this many seconds "
          "without a byte read or written, 1..86400.");

namespace {

using monipaikka::edge::AgentOptions;

using monipaikka::ExitCode;
using monipaikka::ExitStatus;

// Writes `port` to `path` (when not empty), then renames, so that a reader
// never sees a half-written file.
void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  if (FILE* out = std::fopen(tmp.c_str(), "w")) {
    std::fprintf(out, "%d\n", port);
    std::fclose(out);
    std::rename(tmp.c_str(), path.c_str());
  }
}
absl::Status ParseDay(absl::string_view flag, const std::string& text,
                      std::optional<absl::CivilDay>* day) {
  if (text.empty()) return absl::OkStatus();
  absl::StatusOr<absl::CivilDay> parsed = monipaikka::ParseDate(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--", flag, ": \"", text, "\" is not a date YYYY-MM-DD"));
  }
  *day = *parsed;
  return absl::OkStatus();
}

absl::StatusOr<AgentOptions> OptionsFromFlags() {
  AgentOptions options;
  if (absl::Status listen = monipaikka::CheckMetricsListenFlag(
          absl::GetFlag(FLAGS_metrics_listen),
          absl::GetFlag(FLAGS_metrics_allow_non_loopback));
      !listen.ok()) {
    return listen;
  }
  options.server = absl::GetFlag(FLAGS_server);
  options.gateway = absl::GetFlag(FLAGS_gateway);
  const monipaikka::ConnectionFlags connection =
      monipaikka::ConnectionFlagsFromCommandLine();
  absl::StatusOr<std::string> token =
      monipaikka::LoadToken(connection.token_file);
  if (!token.ok()) return token.status();
  options.token = *std::move(token);
  options.outbox_path = absl::GetFlag(FLAGS_outbox);
  const int64_t outbox_max_mb = absl::GetFlag(FLAGS_outbox_max_mb);
  if (outbox_max_mb < 0 || outbox_max_mb > (int64_t{1} << 40)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--outbox_max_mb: ", outbox_max_mb, " is not within 0..2^40"));
  }
  options.outbox_max_bytes = outbox_max_mb * 1024 * 1024;
  options.keep_acked =
      std::chrono::hours(absl::GetFlag(FLAGS_keep_acked_hours));
  absl::StatusOr<monipaikka::SqliteSynchronous> synchronous =
      monipaikka::ParseSqliteSynchronous(
          absl::GetFlag(FLAGS_sqlite_synchronous));
  if (!synchronous.ok()) return synchronous.status();
  options.outbox_synchronous = *synchronous;
  options.line_allow_non_loopback =
      absl::GetFlag(FLAGS_line_allow_non_loopback);
  const int32_t line_idle_timeout_s = absl::GetFlag(FLAGS_line_idle_timeout_s);
  if (line_idle_timeout_s < 1 || line_idle_timeout_s > 86400) {
    return absl::InvalidArgumentError(
        absl::StrCat("--line_idle_timeout_s: ", line_idle_timeout_s,
                     " is not within 1..86400"));
  }
  options.line_idle_timeout = std::chrono::seconds(line_idle_timeout_s);
  monipaikka::ChannelSecurityFlags tls = connection.security;
  tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  absl::StatusOr<monipaikka::ChannelSecurity> security =
      monipaikka::ResolveChannelSecurity(options.server, tls);
  if (!security.ok()) return security.status();
  options.security = *std::move(security);
  if (absl::Status s =
          ParseDay("backfill_from", absl::GetFlag(FLAGS_backfill_from),
                   &options.backfill_from);
      !s.ok()) {
    return s;
  }
  if (absl::Status s = ParseDay("backfill_to", absl::GetFlag(FLAGS_backfill_to),
                                &options.backfill_to);
      !s.ok()) {
    return s;
  }
  options.simulate = absl::GetFlag(FLAGS_simulate);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.batch_size = absl::GetFlag(FLAGS_batch_size);
  options.max_in_flight = absl::GetFlag(FLAGS_max_in_flight);
  options.exit_when_drained = absl::GetFlag(FLAGS_exit_when_drained);
  options.status_interval =
      std::chrono::seconds(absl::GetFlag(FLAGS_status_interval_s));
  const int64_t max_payload = absl::GetFlag(FLAGS_mqtt_max_payload_bytes);
  if (max_payload < 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--mqtt_max_payload_bytes: ", max_payload, " is negative"));
  }
  options.input_limits.max_payload_bytes = static_cast<size_t>(max_payload);
  options.input_limits.max_json_depth =
      absl::GetFlag(FLAGS_mqtt_max_json_depth);
  if (const std::string inputs = absl::GetFlag(FLAGS_inputs); !inputs.empty()) {
    absl::StatusOr<monipaikka::edge::InputsConfig> config =
        monipaikka::edge::LoadInputsConfig(inputs, options.gateway);
    if (!config.ok()) return config.status();
    options.inputs = *std::move(config);
  }
  if (absl::Status s = monipaikka::edge::ValidateAgentOptions(options);
      !s.ok()) {
    return s;
  }
  return options;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Edge agent of a Monipaikka gateway: takes readings from real sensor "
      "inputs (MQTT, line protocol) or simulates the gateway's desk "
      "presence sensors, queues them durably and streams them to the "
      "server.\n"
      "  monipaikka-edge --gateway=GW [--server=host:port] [--outbox=FILE]\n"
      "      [--tls_ca_file=PEM] [--tls_server_name=NAME]\n"
      "      [--tls_cert_file=PEM --tls_key_file=PEM]\n"
      "      [--backfill_from=YYYY-MM-DD --backfill_to=YYYY-MM-DD]\n"
      "      [--inputs=FILE] [--simulate] [--exit_when_drained] [--seed=N]");
  // --help lists the flags of this file and the connection flags it shares
  // with the client (absl matches the program name by default, which is not
  // the file name here).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "edge/main.cc") ||
           absl::EndsWith(path, "common/connection_flags.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.version_string = [] {
    return monipaikka::VersionText("monipaikka-edge");
  };
  absl::SetFlagsUsageConfig(usage_config);
  std::vector<char*> positional =
      monipaikka::ParseCommandLineOrExit(argc, argv);
  // Every file the agent creates (the outbox and its -wal and -shm, the
  // lock) is its own alone: the outbox holds what the building's sensors
  // saw.
  umask(S_IRWXG | S_IRWXO);
  if (positional.size() > 1) {
    std::fprintf(stderr, "monipaikka-edge: unexpected argument \"%s\"\n",
                 positional[1]);
    return ExitStatus(ExitCode::kBadConfiguration);
  }
  absl::StatusOr<AgentOptions> options = OptionsFromFlags();
  if (!options.ok()) {
    std::fprintf(stderr, "monipaikka-edge: %s\n",
                 std::string(options.status().message()).c_str());
    return ExitStatus(ExitCode::kBadConfiguration);
  }
  monipaikka::RouteGrpcLogsToLog();
  // systemd (Type=notify): ready once the agent's loop runs (its outbox
  // open), and alive while the loop keeps beating (WatchdogSec=).
  std::atomic<int64_t> last_beat_ns{0};
  options->on_heartbeat = [&last_beat_ns, gateway = options->gateway] {
    const int64_t now =
        std::chrono::steady_clock::now().time_since_epoch().count();
    if (last_beat_ns.exchange(now) == 0) {
      monipaikka::NotifyReady(absl::StrCat("running for gateway ", gateway));
    }
  };
  const std::chrono::milliseconds heartbeat_interval =
      options->heartbeat_interval;
  // Declared before the agent and the endpoint: outlives both.
  auto metrics = std::make_shared<monipaikka::MetricSet>();
  monipaikka::AddBuildInfoMetric(metrics.get());
  monipaikka::edge::AgentMetrics agent_metrics(metrics.get());
  std::unique_ptr<monipaikka::MetricsEndpoint> metrics_endpoint;
  if (const std::string listen = absl::GetFlag(FLAGS_metrics_listen);
      !listen.empty()) {
    options->metrics = &agent_metrics;
    absl::StatusOr<std::unique_ptr<monipaikka::MetricsEndpoint>> started =
        monipaikka::MetricsEndpoint::Start(
            listen, absl::GetFlag(FLAGS_metrics_allow_non_loopback), metrics);
    if (!started.ok()) {
      monipaikka::Log(monipaikka::LogLevel::kError, "agent_failed",
                      {{"error", started.status().ToString()}});
      return ExitStatus(ExitCode::kRuntimeError);
    }
    metrics_endpoint = *std::move(started);
    WritePortFile(absl::GetFlag(FLAGS_metrics_port_file),
                  metrics_endpoint->port());
    monipaikka::Log(monipaikka::LogLevel::kInfo, "metrics_serving",
                    {{"listen", listen}, {"port", metrics_endpoint->port()}});
  }
  absl::StatusOr<std::unique_ptr<monipaikka::edge::Agent>> agent =
      monipaikka::edge::Agent::Create(*std::move(options));
  if (!agent.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "agent_failed",
                    {{"error", agent.status().ToString()}});
    return ExitStatus(ExitCode::kRuntimeError);
  }
  // A loop that stopped beating for 10 heartbeats is stuck.
  std::unique_ptr<monipaikka::Watchdog> watchdog =
      monipaikka::Watchdog::Start([&last_beat_ns, heartbeat_interval] {
        const int64_t last = last_beat_ns.load();
        if (last == 0) return true;  // still starting
        return std::chrono::steady_clock::now().time_since_epoch() -
                   std::chrono::steady_clock::duration(last) <
               10 * heartbeat_interval;
      });
  absl::Status run = (*agent)->Run();
  monipaikka::NotifyStopping();
  watchdog.reset();
  if (!run.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "agent_failed",
                    {{"error", run.ToString()}});
    return ExitStatus(ExitCode::kRuntimeError);
  }
  return ExitStatus(ExitCode::kOk);
}
