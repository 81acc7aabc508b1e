// monipaikka-server: the gRPC backend. See docs/operations.md for the flags.
//
// Only reads the flags into a ServerFlags; the library turns them into
// ServerOptions and checks them (server/server_options.h). Exit status:
// common/exit_code.h (2 for a bad command line, 1 for a failed start).

#include <signal.h>
#include <sys/stat.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/usage.h"
#include "absl/flags/usage_config.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/build_info.h"
#include "common/command_line.h"
#include "common/exit_code.h"
#include "common/grpc_log.h"
#include "common/log.h"
#include "common/service_manager.h"
#include "server/backup_command.h"
#include "server/server.h"
#include "server/server_options.h"

// The flags' defaults are the library's.
static const monipaikka::ServerFlags kDefaults;

ABSL_FLAG(std::string, listen, kDefaults.listen,
          "host:port to serve on; port 0 picks a free one");
ABSL_FLAG(std::string, tls_cert_file, kDefaults.tls_cert_file,
          "PEM certificate chain of the server (TLS); read again on SIGHUP");
ABSL_FLAG(std::string, tls_key_file, kDefaults.tls_key_file,
          "PEM private key of --tls_cert_file; read again on SIGHUP");
ABSL_FLAG(std::string, tls_client_ca_file, kDefaults.tls_client_ca_file,
          "PEM CA certificates for client certificates (mTLS): clients are "
          "asked for a certificate, and one presented must be signed by "
          "these; read again on SIGHUP");
ABSL_FLAG(std::string, tls_crl_file, kDefaults.tls_crl_file,
          "PEM certificate revocation lists of --tls_client_ca_file: client "
          "certificates they list identify no device; read again on SIGHUP");
ABSL_FLAG(bool, plaintext, kDefaults.plaintext,
          "serve unencrypted gRPC (only on a loopback --listen address, and "
          "only without --tls_cert_file)");
ABSL_FLAG(std::string, db, kDefaults.db, "SQLite database file");
ABSL_FLAG(std::string, port_file, "",
          "write the bound port to this file once serving");
ABSL_FLAG(int, query_threads, kDefaults.query_threads,
          "threads answering queries");
ABSL_FLAG(double, max_query_seconds, kDefaults.max_query_seconds,
          "longest a query may run (seconds, fractions allowed); a longer one "
          "is interrupted and its call ends with DEADLINE_EXCEEDED");
ABSL_FLAG(int, desk_stale_after_min, kDefaults.desk_stale_after_min,
          "minutes a desk presence reading holds without a newer one");
ABSL_FLAG(int, room_stale_after_min, kDefaults.room_stale_after_min,
          "minutes a room sensor reading (room_presence, people_counter, "
          "area_count) holds without a newer one");
ABSL_FLAG(int, desk_day_min_occupied_min, kDefaults.desk_day_min_occupied_min,
          "least occupied minutes of a day's measured hours for a desk-day "
          "to count as used");
ABSL_FLAG(int, summary_quiet_ms, kDefaults.summary_quiet_ms,
          "a summary pass starts after this long without commits ...");
ABSL_FLAG(int, summary_max_delay_s, kDefaults.summary_max_delay_s,
          "... or at the latest this long after the first commit it covers");
ABSL_FLAG(int, raw_retention_days, kDefaults.raw_retention_days,
          "raw readings are kept this many days (and a day more): older "
          "ones are deleted once summarized, and refused at ingest");
ABSL_FLAG(int, summary_retention_days, kDefaults.summary_retention_days,
          "day summaries (what the reports read) are kept this many days");
ABSL_FLAG(int, retention_days, kDefaults.retention_days,
          "deprecated: the old name of --raw_retention_days");
ABSL_FLAG(int, max_batch_readings, kDefaults.max_batch_readings,
          "largest batch a gateway may send");
ABSL_FLAG(int, max_message_bytes, kDefaults.max_message_bytes,
          "largest request message the server accepts (bytes); larger ones "
          "end the call with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_request_bytes, kDefaults.max_request_bytes,
          "largest request of the methods other than the imports and the "
          "ingest stream (bytes); a larger one is refused with "
          "RESOURCE_EXHAUSTED after the access check");
ABSL_FLAG(int, grpc_memory_mb, kDefaults.grpc_memory_mb,
          "memory gRPC may use for connections and calls (MiB, a resource "
          "quota): under pressure it slows and then drops callers");
ABSL_FLAG(int, max_concurrent_streams, kDefaults.max_concurrent_streams,
          "calls one connection may have open at once");
ABSL_FLAG(int, max_watches_per_token, kDefaults.max_watches_per_token,
          "live occupancy watches one token may hold open at once; one "
          "more is refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_streams_per_gateway, kDefaults.max_streams_per_gateway,
          "ingest streams one gateway may have open at a time; more are "
          "refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, sqlite_cache_mb, kDefaults.sqlite_cache_mb,
          "SQLite page cache of each database connection, MiB (1 … 65536); "
          "the server holds some ten connections");
ABSL_FLAG(std::string, sqlite_synchronous, kDefaults.sqlite_synchronous,
          "how commits reach the disk before they are acknowledged: \"full\" "
          "(an acknowledged reading survives power loss and OS crashes) or "
          "\"normal\" (faster; survives a crash of the server process, but "
          "the last commits before a power loss or OS crash may be lost)");
ABSL_FLAG(std::string, pseudonym_key_file, kDefaults.pseudonym_key_file,
          "file with the key of the employee pseudonyms (HMAC-SHA256), at "
          "least 32 bytes or 64 hex digits, NOT in the database's directory; "
          "without it HR imports are refused");
ABSL_FLAG(int, anonymity_k, kDefaults.anonymity_k,
          "HR figures over fewer than this many employees are withheld (>= 3)");
ABSL_FLAG(std::string, bootstrap_admin_token_file,
          kDefaults.bootstrap_admin_token_file,
          "on a first start (the database holds no admin token), create an "
          "admin token named \"bootstrap\" and write it there (mode 0600); "
          "later starts create none, even when the file was deleted");
ABSL_FLAG(std::string, recover_admin_token_file,
          kDefaults.recover_admin_token_file,
          "when every admin token is lost: create an admin token named "
          "\"recovery\" and write it there (mode 0600) unless the file "
          "exists; audited. Pass it once, by hand");
ABSL_FLAG(std::string, hr_publication, kDefaults.hr_publication,
          "publication calendar of HR registry snapshots (the workstation "
          "distribution): month_end, quarter_end or year_end; other dates "
          "are refused (the FTE of the space-efficiency reports answers "
          "them with the latest publication date before)");
ABSL_FLAG(int, workforce_retention_months, kDefaults.workforce_retention_months,
          "work-location days older than this many months are deleted");
ABSL_FLAG(double, hr_audit_inline_seconds, kDefaults.hr_audit_inline_seconds,
          "an HR report whose month is not audited yet audits it within the "
          "request for at most this long; a larger month is audited in the "
          "background and the request answers UNAVAILABLE until it is ready");
ABSL_FLAG(std::string, metrics_listen, kDefaults.metrics_listen,
          "host:port of the metrics endpoint (HTTP, Prometheus text format, "
          "at /metrics); port 0 picks a free one; empty: no endpoint");
ABSL_FLAG(bool, metrics_allow_non_loopback,
          kDefaults.metrics_allow_non_loopback,
          "allow --metrics_listen on an address other than loopback (the "
          "endpoint has no authentication: firewall it)");
ABSL_FLAG(int, storage_probe_interval_ms, kDefaults.storage_probe_interval_ms,
          "when storage was not written for this long, write a probe row to "
          "check that it still takes writes (0: never)");
ABSL_FLAG(int, storage_stats_interval_s, kDefaults.storage_stats_interval_s,
          "how often the rows of each table are counted for the metrics "
          "(the summarizer's backlog: 20 times as often)");
ABSL_FLAG(std::string, metrics_port_file, "",
          "write the metrics endpoint's bound port to this file once serving");
ABSL_FLAG(bool, backup_before_migration, kDefaults.backup_before_migration,
          "before migrating the schema of an existing database (an upgrade), "
          "copy it beside itself as <db>.v<old>-to-v<new>.<UTC time>.backup "
          "and refuse to migrate when the copy fails; false migrates without "
          "a copy");
ABSL_FLAG(std::string, to, "",
          "backup command only: the new backup file (never replaced)");
ABSL_FLAG(std::string, http_listen, kDefaults.http_listen,
          "host:port of the HTTP side: the web dashboard and the Connect "
          "protocol API (docs/web-api.md); port 0 picks a free one; empty: "
          "none. TLS with --tls_cert_file/--tls_key_file when given, else "
          "plaintext on a loopback address only");
ABSL_FLAG(std::string, http_port_file, "",
          "write the HTTP side's bound port to this file once serving");
ABSL_FLAG(std::string, web_root, MONIPAIKKA_DEFAULT_WEB_ROOT,
          "directory of the built web app served over HTTP (web/dist after "
          "deploy/build-web.sh); empty: no files, only the API");
ABSL_FLAG(int, http_session_idle_min, kDefaults.http_session_idle_min,
          "a dashboard session unused for this many minutes ends");
ABSL_FLAG(int, http_max_connections, kDefaults.http_max_connections,
          "HTTP connections open at once; one more is answered 503");
ABSL_FLAG(int, http_max_body_kb, kDefaults.http_max_body_kb,
          "largest HTTP request body, KiB; a larger one is answered 413");
ABSL_FLAG(int, http_threads, kDefaults.http_threads,
          "threads serving HTTP connections");
ABSL_FLAG(int, http_idle_timeout_s, kDefaults.http_idle_timeout_s,
          "an HTTP connection without a new request for this many seconds "
          "is closed");
ABSL_FLAG(int, http_header_timeout_s, kDefaults.http_header_timeout_s,
          "an HTTP request's header (and the TLS handshake) must arrive "
          "within this many seconds of its first byte");
ABSL_FLAG(int, http_write_timeout_s, kDefaults.http_write_timeout_s,
          "an HTTP answer, or one message of a stream, not taken by the "
          "client within this many seconds closes the connection");

namespace {

// Writes `port` to `path` (when not empty), then renames, so that a reader
// never sees a half-written file.
void WritePortFile(const std::string& path, int port) {
  if (path.empty()) return;
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
  }
  std::rename(tmp.c_str(), path.c_str());
}

// The one way a bad command line is reported: the problem, naming the flag,
// on stderr; nothing started.
int BadConfiguration(const absl::Status& status) {
  std::fprintf(stderr, "monipaikka-server: %s\n",
               std::string(status.message()).c_str());
  return monipaikka::ExitStatus(monipaikka::ExitCode::kBadConfiguration);
}

monipaikka::ServerFlags FlagsFromCommandLine() {
  monipaikka::ServerFlags flags;
  flags.listen = absl::GetFlag(FLAGS_listen);
  flags.tls_cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  flags.tls_key_file = absl::GetFlag(FLAGS_tls_key_file);
  flags.tls_client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  flags.tls_crl_file = absl::GetFlag(FLAGS_tls_crl_file);
  flags.plaintext = absl::GetFlag(FLAGS_plaintext);
  flags.db = absl::GetFlag(FLAGS_db);
  flags.query_threads = absl::GetFlag(FLAGS_query_threads);
  flags.max_query_seconds = absl::GetFlag(FLAGS_max_query_seconds);
  flags.desk_stale_after_min = absl::GetFlag(FLAGS_desk_stale_after_min);
  flags.room_stale_after_min = absl::GetFlag(FLAGS_room_stale_after_min);
  flags.desk_day_min_occupied_min =
      absl::GetFlag(FLAGS_desk_day_min_occupied_min);
  flags.summary_quiet_ms = absl::GetFlag(FLAGS_summary_quiet_ms);
  flags.summary_max_delay_s = absl::GetFlag(FLAGS_summary_max_delay_s);
  flags.raw_retention_days = absl::GetFlag(FLAGS_raw_retention_days);
  flags.summary_retention_days = absl::GetFlag(FLAGS_summary_retention_days);
  flags.retention_days = absl::GetFlag(FLAGS_retention_days);
  flags.max_batch_readings = absl::GetFlag(FLAGS_max_batch_readings);
  flags.max_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  flags.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  flags.grpc_memory_mb = absl::GetFlag(FLAGS_grpc_memory_mb);
  flags.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  flags.max_watches_per_token = absl::GetFlag(FLAGS_max_watches_per_token);
  flags.max_streams_per_gateway = absl::GetFlag(FLAGS_max_streams_per_gateway);
  flags.sqlite_cache_mb = absl::GetFlag(FLAGS_sqlite_cache_mb);
  flags.sqlite_synchronous = absl::GetFlag(FLAGS_sqlite_synchronous);
  flags.pseudonym_key_file = absl::GetFlag(FLAGS_pseudonym_key_file);
  flags.anonymity_k = absl::GetFlag(FLAGS_anonymity_k);
  flags.bootstrap_admin_token_file =
      absl::GetFlag(FLAGS_bootstrap_admin_token_file);
  flags.recover_admin_token_file =
      absl::GetFlag(FLAGS_recover_admin_token_file);
  flags.hr_publication = absl::GetFlag(FLAGS_hr_publication);
  flags.workforce_retention_months =
      absl::GetFlag(FLAGS_workforce_retention_months);
  flags.hr_audit_inline_seconds = absl::GetFlag(FLAGS_hr_audit_inline_seconds);
  flags.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  flags.metrics_allow_non_loopback =
      absl::GetFlag(FLAGS_metrics_allow_non_loopback);
  flags.storage_probe_interval_ms =
      absl::GetFlag(FLAGS_storage_probe_interval_ms);
  flags.storage_stats_interval_s =
      absl::GetFlag(FLAGS_storage_stats_interval_s);
  flags.backup_before_migration = absl::GetFlag(FLAGS_backup_before_migration);
  flags.http_listen = absl::GetFlag(FLAGS_http_listen);
  flags.web_root = absl::GetFlag(FLAGS_web_root);
  flags.http_session_idle_min = absl::GetFlag(FLAGS_http_session_idle_min);
  flags.http_max_connections = absl::GetFlag(FLAGS_http_max_connections);
  flags.http_max_body_kb = absl::GetFlag(FLAGS_http_max_body_kb);
  flags.http_threads = absl::GetFlag(FLAGS_http_threads);
  flags.http_idle_timeout_s = absl::GetFlag(FLAGS_http_idle_timeout_s);
  flags.http_header_timeout_s = absl::GetFlag(FLAGS_http_header_timeout_s);
  flags.http_write_timeout_s = absl::GetFlag(FLAGS_http_write_timeout_s);
  return flags;
}

// `monipaikka-server backup --db=FILE --to=FILE [--pseudonym_key_file=KEY]`:
// an online copy of the database (server/backup_command.h); the other flags
// (e.g. of the server's --flagfile) are read and ignored.
int RunBackup() {
  using monipaikka::ExitCode;
  using monipaikka::ExitStatus;
  absl::StatusOr<std::string> report = monipaikka::RunBackupCommand(
      {.db = absl::GetFlag(FLAGS_db),
       .to = absl::GetFlag(FLAGS_to),
       .pseudonym_key_file = absl::GetFlag(FLAGS_pseudonym_key_file)});
  if (!report.ok()) {
    if (absl::IsInvalidArgument(report.status())) {
      return BadConfiguration(report.status());
    }
    std::fprintf(stderr, "monipaikka-server backup: %s\n",
                 std::string(report.status().message()).c_str());
    return ExitStatus(ExitCode::kRuntimeError);
  }
  std::fputs(report->c_str(), stdout);
  std::fflush(stdout);
  return ExitStatus(ExitCode::kOk);
}

// On SIGHUP: the TLS files again, or a logged refusal that keeps the old.
void ReloadTls(monipaikka::Server& server) {
  absl::StatusOr<monipaikka::ServerTlsMaterial> reloaded = server.ReloadTls();
  if (!reloaded.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "tls_reload_failed",
                    {{"error", std::string(reloaded.status().message())},
                     {"kept", "previous_certificate"}});
    return;
  }
  monipaikka::Log(monipaikka::LogLevel::kInfo, "tls_reloaded",
                  {{"subject", reloaded->subject},
                   {"serial", reloaded->serial_hex},
                   {"not_after", reloaded->not_after},
                   {"crls", reloaded->crl_count},
                   {"revoked_certificates",
                    reloaded->revoked ? reloaded->revoked->size() : 0}});
}

}  // namespace

int main(int argc, char** argv) {
  using monipaikka::ExitCode;
  using monipaikka::ExitStatus;
  absl::SetProgramUsageMessage(
      "Monipaikka server: ingest of occupancy readings, inventory and "
      "utilization reports over gRPC.\nUsage: monipaikka-server --db=FILE "
      "[--listen=HOST:PORT] (--tls_cert_file=PEM --tls_key_file=PEM "
      "[--tls_client_ca_file=PEM] | --plaintext)\n"
      "       monipaikka-server backup --db=FILE --to=NEW_FILE "
      "[--pseudonym_key_file=KEY]  (an online, checked copy of the database)");
  // --help lists the flags of this file (absl matches the program name by
  // default, which is not the file name here).
  absl::FlagsUsageConfig usage_config;
  usage_config.contains_help_flags = [](absl::string_view path) {
    return absl::EndsWith(path, "server/main.cc");
  };
  usage_config.contains_helpshort_flags = usage_config.contains_help_flags;
  usage_config.version_string = [] {
    return monipaikka::VersionText("monipaikka-server");
  };
  absl::SetFlagsUsageConfig(usage_config);
  const std::vector<char*> positional =
      monipaikka::ParseCommandLineOrExit(argc, argv);
  if (positional.size() == 2 && std::string(positional[1]) == "backup") {
    return RunBackup();
  }
  if (positional.size() > 1) {
    return BadConfiguration(absl::InvalidArgumentError(absl::StrCat(
        "unexpected argument \"", positional[1],
        "\"; the server takes flags only (or the command \"backup\")")));
  }
  if (!absl::GetFlag(FLAGS_to).empty()) {
    return BadConfiguration(absl::InvalidArgumentError(
        "--to: only for the backup command (monipaikka-server backup "
        "--db=FILE --to=NEW_FILE)"));
  }
  absl::StatusOr<monipaikka::ServerOptions> options =
      monipaikka::ServerOptionsFromFlags(FlagsFromCommandLine());
  if (!options.ok()) return BadConfiguration(options.status());
  monipaikka::RouteGrpcLogsToLog();

  // Every file the server creates (the database and its -wal and -shm, the
  // token files) is its own alone: they hold token hashes, the audit log and
  // pseudonymous HR records.
  umask(S_IRWXG | S_IRWXO);

  // Handle SIGINT/SIGTERM (stop) and SIGHUP (reload the TLS files) in this
  // thread only: block them everywhere first.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  // A file size limit (RLIMIT_FSIZE) must fail the write (counted, reported,
  // health NOT_SERVING), not kill the server.
  signal(SIGXFSZ, SIG_IGN);

  absl::StatusOr<std::unique_ptr<monipaikka::Server>> server =
      monipaikka::Server::Start(*options);
  if (!server.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "start_failed",
                    {{"error", std::string(server.status().message())}});
    return ExitStatus(ExitCode::kRuntimeError);
  }
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
  WritePortFile(absl::GetFlag(FLAGS_metrics_port_file),
                (*server)->metrics_port());
  WritePortFile(absl::GetFlag(FLAGS_http_port_file), (*server)->http_port());
  monipaikka::Log(monipaikka::LogLevel::kInfo, "serving",
                  {{"listen", options->listen},
                   {"port", (*server)->port()},
                   {"db", options->database},
                   {"security", options->plaintext ? "plaintext" : "tls"},
                   {"metrics_listen", options->metrics_listen},
                   {"metrics_port", (*server)->metrics_port()},
                   {"http_port", (*server)->http_port()},
                   {"version", monipaikka::BuildVersion()},
                   {"commit", monipaikka::BuildCommit()}});
  // systemd (Type=notify): ready once the port is bound, and alive while
  // the ingest writer works (WatchdogSec=).
  const std::string serving =
      absl::StrCat("serving on port ", (*server)->port());
  monipaikka::NotifyReady(serving);
  std::unique_ptr<monipaikka::Watchdog> watchdog = monipaikka::Watchdog::Start(
      [s = server->get()] { return s->WriterResponsive(); });

  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    monipaikka::NotifyReloading();
    ReloadTls(**server);
    monipaikka::NotifyReady(serving);
  }
  monipaikka::Log(monipaikka::LogLevel::kInfo, "stopping",
                  {{"signal", received}});
  monipaikka::NotifyStopping();
  watchdog.reset();
  (*server)->Shutdown();
  const monipaikka::IngestCounters& counters = (*server)->counters();
  const monipaikka::AuthCounters& auth = (*server)->auth_counters();
  using monipaikka::AuthRefusal;
  const monipaikka::QueryCounters& queries = (*server)->query_counters();
  monipaikka::Log(
      monipaikka::LogLevel::kInfo, "stopped",
      {{"accepted", counters.accepted.load()},
       {"duplicates", counters.duplicates.load()},
       {"batches", counters.batches.load()},
       {"queries_over_max_query_seconds", queries.over_max_query_time.load()},
       {"queries_past_call_deadline", queries.past_call_deadline.load()},
       {"auth_allowed", auth.allowed.load()},
       {"auth_refused_missing_token", auth.Refused(AuthRefusal::kMissingToken)},
       {"auth_refused_malformed_token",
        auth.Refused(AuthRefusal::kMalformedToken)},
       {"auth_refused_unknown_token", auth.Refused(AuthRefusal::kUnknownToken)},
       {"auth_refused_expired_token", auth.Refused(AuthRefusal::kExpiredToken)},
       {"auth_refused_revoked_token", auth.Refused(AuthRefusal::kRevokedToken)},
       {"auth_refused_wrong_role", auth.Refused(AuthRefusal::kWrongRole)},
       {"auth_refused_wrong_gateway", auth.Refused(AuthRefusal::kWrongGateway)},
       {"auth_refused_revoked_certificate",
        auth.Refused(AuthRefusal::kRevokedCertificate)},
       {"oversized_requests", (*server)->oversized_requests()}});
  return ExitStatus(ExitCode::kOk);
}
