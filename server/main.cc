// monipaikka-server: the gRPC backend. See docs/operations.md for the flags.

#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/log.h"
#include "server/privacy/publication_calendar.h"
#include "server/server.h"

ABSL_FLAG(std::string, listen, "127.0.0.1:7070",
          "host:port to serve on; port 0 picks a free one");
ABSL_FLAG(std::string, tls_cert_file, "",
          "PEM certificate chain of the server (TLS); read again on SIGHUP");
ABSL_FLAG(std::string, tls_key_file, "",
          "PEM private key of --tls_cert_file; read again on SIGHUP");
ABSL_FLAG(std::string, tls_client_ca_file, "",
          "PEM CA certificates for client certificates (mTLS): clients are "
          "asked for a certificate, and one presented must be signed by "
          "these; read again on SIGHUP");
ABSL_FLAG(std::string, tls_crl_file, "",
          "PEM certificate revocation lists of --tls_client_ca_file: client "
          "certificates they list identify no device; read again on SIGHUP");
ABSL_FLAG(bool, plaintext, false,
          "serve unencrypted gRPC (only on a loopback --listen address, and "
          "only without --tls_cert_file)");
ABSL_FLAG(std::string, db, "monipaikka.db", "SQLite database file");
ABSL_FLAG(std::string, port_file, "",
          "write the bound port to this file once serving");
ABSL_FLAG(int, query_threads, 2, "threads answering queries");
ABSL_FLAG(double, max_query_seconds, 30,
          "longest a query may run (seconds, fractions allowed); a longer one "
          "is interrupted and its call ends with DEADLINE_EXCEEDED");
ABSL_FLAG(int, desk_stale_after_min, 60,
          "minutes a desk presence reading holds without a newer one");
ABSL_FLAG(int, room_stale_after_min, 60,
          "minutes a room sensor reading (room_presence, people_counter, "
          "area_count) holds without a newer one");
ABSL_FLAG(int, desk_day_min_occupied_min, 15,
          "least occupied minutes of a day's measured hours for a desk-day "
          "to count as used");
ABSL_FLAG(int, summary_quiet_ms, 1000,
          "a summary pass starts after this long without commits ...");
ABSL_FLAG(int, summary_max_delay_s, 30,
          "... or at the latest this long after the first commit it covers");
ABSL_FLAG(int, retention_days, 1098,
          "readings older than this many days are rejected");
ABSL_FLAG(int, max_batch_readings, 10000, "largest batch a gateway may send");
ABSL_FLAG(int, max_message_bytes, 16 * 1024 * 1024,
          "largest request message the server accepts (bytes); larger ones "
          "end the call with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_request_bytes, 64 * 1024,
          "largest request of the methods other than the imports and the "
          "ingest stream (bytes); a larger one is refused with "
          "RESOURCE_EXHAUSTED after the access check");
ABSL_FLAG(int, grpc_memory_mb, 256,
          "memory gRPC may use for connections and calls (MiB, a resource "
          "quota): under pressure it slows and then drops callers");
ABSL_FLAG(int, max_concurrent_streams, 64,
          "calls one connection may have open at once");
ABSL_FLAG(int, max_watches_per_token, 8,
          "live occupancy watches one token may hold open at once; one "
          "more is refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, max_streams_per_gateway, 4,
          "ingest streams one gateway may have open at a time; more are "
          "refused with RESOURCE_EXHAUSTED");
ABSL_FLAG(int, sqlite_cache_mb, 64,
          "SQLite page cache of each database connection, MiB (1 … 65536); "
          "the server holds some ten connections");
ABSL_FLAG(std::string, sqlite_synchronous, "full",
          "how commits reach the disk before they are acknowledged: \"full\" "
          "(an acknowledged reading survives power loss and OS crashes) or "
          "\"normal\" (faster; survives a crash of the server process, but "
          "the last commits before a power loss or OS crash may be lost)");
ABSL_FLAG(std::string, pseudonym_key_file, "",
          "file with the key of the employee pseudonyms (HMAC-SHA256), at "
          "least 32 bytes or 64 hex digits, NOT in the database's directory; "
          "without it HR imports are refused");
ABSL_FLAG(int, anonymity_k, 5,
          "HR figures over fewer than this many employees are withheld (>= 3)");
ABSL_FLAG(std::string, bootstrap_admin_token_file, "",
          "on a first start (the database holds no admin token), create an "
          "admin token named \"bootstrap\" and write it there (mode 0600); "
          "later starts create none, even when the file was deleted");
ABSL_FLAG(std::string, recover_admin_token_file, "",
          "when every admin token is lost: create an admin token named "
          "\"recovery\" and write it there (mode 0600) unless the file "
          "exists; audited. Pass it once, by hand");
ABSL_FLAG(std::string, hr_publication, "month_end",
          "publication calendar of HR registry snapshots (the workstation "
          "distribution): month_end, quarter_end or year_end; other dates "
          "are refused (the FTE of the space-efficiency reports answers "
          "them with the latest publication date before)");
ABSL_FLAG(int, workforce_retention_months, 24,
          "work-location days older than this many months are deleted");
ABSL_FLAG(std::string, metrics_listen, "127.0.0.1:9464",
          "host:port of the metrics endpoint (HTTP, Prometheus text format, "
          "at /metrics); port 0 picks a free one; empty: no endpoint");
ABSL_FLAG(bool, metrics_allow_non_loopback, false,
          "allow --metrics_listen on an address other than loopback (the "
          "endpoint has no authentication: firewall it)");
ABSL_FLAG(int, storage_probe_interval_ms, 5000,
          "when storage was not written for this long, write a probe row to "
          "check that it still takes writes (0: never)");
ABSL_FLAG(std::string, metrics_port_file, "",
          "write the metrics endpoint's bound port to this file once serving");

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
  absl::SetProgramUsageMessage(
      "Monipaikka server: ingest of occupancy readings, inventory and "
      "utilization reports over gRPC.\nUsage: monipaikka-server --db=FILE "
      "[--listen=HOST:PORT] (--tls_cert_file=PEM --tls_key_file=PEM "
      "[--tls_client_ca_file=PEM] | --plaintext)");
  absl::ParseCommandLine(argc, argv);
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

  monipaikka::ServerOptions options;
  options.listen = absl::GetFlag(FLAGS_listen);
  options.tls.cert_file = absl::GetFlag(FLAGS_tls_cert_file);
  options.tls.key_file = absl::GetFlag(FLAGS_tls_key_file);
  options.tls.client_ca_file = absl::GetFlag(FLAGS_tls_client_ca_file);
  options.tls.crl_file = absl::GetFlag(FLAGS_tls_crl_file);
  options.plaintext = absl::GetFlag(FLAGS_plaintext);
  if (absl::Status security = monipaikka::CheckListenerSecurity(options);
      !security.ok()) {
    std::cerr << "error: " << security.message() << "\n";
    return 2;
  }
  options.database = absl::GetFlag(FLAGS_db);
  options.query_threads = std::max(1, absl::GetFlag(FLAGS_query_threads));
  const double max_query_seconds = absl::GetFlag(FLAGS_max_query_seconds);
  if (!(max_query_seconds > 0) || max_query_seconds > 365 * 24 * 3600.0) {
    std::cerr << "error: --max_query_seconds must be positive (and at most a "
                 "year), not "
              << max_query_seconds << "\n";
    return 2;
  }
  options.max_query_time = absl::Seconds(max_query_seconds);
  const int sqlite_cache_mb = absl::GetFlag(FLAGS_sqlite_cache_mb);
  if (sqlite_cache_mb < 1 || sqlite_cache_mb > 65536) {
    std::cerr << "error: --sqlite_cache_mb must be 1 … 65536, not "
              << sqlite_cache_mb << "\n";
    return 2;
  }
  options.storage.cache_kib = sqlite_cache_mb * 1024;
  absl::StatusOr<monipaikka::SqliteSynchronous> synchronous =
      monipaikka::ParseSqliteSynchronous(
          absl::GetFlag(FLAGS_sqlite_synchronous));
  if (!synchronous.ok()) {
    std::cerr << "error: " << synchronous.status().message() << "\n";
    return 2;
  }
  options.storage.synchronous = *synchronous;
  options.utilization.desk_stale_after_ms =
      int64_t{absl::GetFlag(FLAGS_desk_stale_after_min)} * 60 * 1000;
  options.utilization.room_stale_after_ms =
      int64_t{absl::GetFlag(FLAGS_room_stale_after_min)} * 60 * 1000;
  options.utilization.desk_day_min_occupied_ms =
      int64_t{absl::GetFlag(FLAGS_desk_day_min_occupied_min)} * 60 * 1000;
  options.occupancy.summary_quiet =
      absl::Milliseconds(absl::GetFlag(FLAGS_summary_quiet_ms));
  options.occupancy.summary_max_delay =
      absl::Seconds(absl::GetFlag(FLAGS_summary_max_delay_s));
  if (absl::GetFlag(FLAGS_room_stale_after_min) <= 0 ||
      absl::GetFlag(FLAGS_desk_day_min_occupied_min) < 0 ||
      absl::GetFlag(FLAGS_summary_quiet_ms) < 0 ||
      absl::GetFlag(FLAGS_summary_max_delay_s) < 0) {
    monipaikka::Log(monipaikka::LogLevel::kError, "bad_flags",
                    {{"error",
                      "--room_stale_after_min must be positive, "
                      "--desk_day_min_occupied_min and --summary_* not "
                      "negative"}});
    return 2;
  }
  options.ingest.limits.retention_ms =
      int64_t{absl::GetFlag(FLAGS_retention_days)} * 24 * 3600 * 1000;
  options.ingest.max_batch_readings = absl::GetFlag(FLAGS_max_batch_readings);
  options.ingest.max_streams_per_gateway =
      absl::GetFlag(FLAGS_max_streams_per_gateway);
  options.max_receive_message_bytes = absl::GetFlag(FLAGS_max_message_bytes);
  if (options.ingest.max_streams_per_gateway <= 0 ||
      options.max_receive_message_bytes < 1024) {
    std::cerr << "error: --max_streams_per_gateway must be positive and "
                 "--max_message_bytes at least 1024\n";
    return 2;
  }
  options.max_request_bytes = absl::GetFlag(FLAGS_max_request_bytes);
  options.grpc_memory_bytes =
      int64_t{absl::GetFlag(FLAGS_grpc_memory_mb)} * 1024 * 1024;
  options.max_concurrent_streams = absl::GetFlag(FLAGS_max_concurrent_streams);
  options.occupancy.max_watches_per_token =
      absl::GetFlag(FLAGS_max_watches_per_token);
  if (options.max_request_bytes < 1024 ||
      absl::GetFlag(FLAGS_grpc_memory_mb) < 16 ||
      options.max_concurrent_streams <= 0 ||
      options.occupancy.max_watches_per_token <= 0) {
    std::cerr << "error: --max_request_bytes must be at least 1024, "
                 "--grpc_memory_mb at least 16, --max_concurrent_streams and "
                 "--max_watches_per_token positive\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_desk_stale_after_min) <= 0 ||
      absl::GetFlag(FLAGS_retention_days) <= 0 ||
      options.ingest.max_batch_readings <= 0) {
    monipaikka::Log(monipaikka::LogLevel::kError, "bad_flags",
                    {{"error",
                      "--desk_stale_after_min, --retention_days and "
                      "--max_batch_readings must be positive"}});
    return 2;
  }

  options.workforce.pseudonym_key_file =
      absl::GetFlag(FLAGS_pseudonym_key_file);
  options.workforce.anonymity_k = absl::GetFlag(FLAGS_anonymity_k);
  options.workforce.retention_months =
      absl::GetFlag(FLAGS_workforce_retention_months);
  absl::StatusOr<monipaikka::PublicationCalendar> publication =
      monipaikka::ParsePublicationCalendar(absl::GetFlag(FLAGS_hr_publication));
  if (!publication.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "bad_flags",
                    {{"error", absl::StrCat("--hr_publication: ",
                                            publication.status().message())}});
    return 2;
  }
  options.workforce.publication = *publication;
  if (options.workforce.anonymity_k < 3) {
    monipaikka::Log(
        monipaikka::LogLevel::kError, "bad_flags",
        {{"error", absl::StrCat("--anonymity_k=", options.workforce.anonymity_k,
                                " is below 3; groups that small identify "
                                "people")}});
    return 2;
  }

  options.writer.probe_interval = std::chrono::milliseconds(
      std::max(0, absl::GetFlag(FLAGS_storage_probe_interval_ms)));
  options.metrics_listen = absl::GetFlag(FLAGS_metrics_listen);
  options.metrics_allow_non_loopback =
      absl::GetFlag(FLAGS_metrics_allow_non_loopback);
  options.auth.bootstrap_admin_token_file =
      absl::GetFlag(FLAGS_bootstrap_admin_token_file);
  options.auth.recover_admin_token_file =
      absl::GetFlag(FLAGS_recover_admin_token_file);

  absl::StatusOr<std::unique_ptr<monipaikka::Server>> server =
      monipaikka::Server::Start(options);
  if (!server.ok()) {
    monipaikka::Log(monipaikka::LogLevel::kError, "start_failed",
                    {{"error", std::string(server.status().message())}});
    return 1;
  }
  WritePortFile(absl::GetFlag(FLAGS_port_file), (*server)->port());
  WritePortFile(absl::GetFlag(FLAGS_metrics_port_file),
                (*server)->metrics_port());
  monipaikka::Log(monipaikka::LogLevel::kInfo, "serving",
                  {{"listen", options.listen},
                   {"port", (*server)->port()},
                   {"db", options.database},
                   {"security", options.plaintext ? "plaintext" : "tls"},
                   {"metrics_listen", options.metrics_listen},
                   {"metrics_port", (*server)->metrics_port()}});

  int received = 0;
  while (sigwait(&signals, &received) == 0 && received == SIGHUP) {
    ReloadTls(**server);
  }
  monipaikka::Log(monipaikka::LogLevel::kInfo, "stopping",
                  {{"signal", received}});
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
  return 0;
}
