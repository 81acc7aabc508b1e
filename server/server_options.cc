#include "server/server_options.h"

#include <algorithm>
#include <chrono>

#include "absl/strings/str_cat.h"
#include "common/listen_address.h"
#include "common/metrics_endpoint.h"
#include "common/sqlite.h"
#include "common/status_macros.h"
#include "server/privacy/publication_calendar.h"

namespace monipaikka {
namespace {

constexpr int64_t kMillisPerMinute = 60 * 1000;
constexpr int64_t kMillisPerDay = 24 * 3600 * 1000;
constexpr double kSecondsPerYear = 365 * 24 * 3600.0;
constexpr int kMinMessageBytes = 1024;
constexpr int64_t kMinGrpcMemoryBytes = int64_t{16} * 1024 * 1024;
// Below three, a figure withheld for too few employees can be told from
// the ones shown, and a group of one or two is a person.
constexpr int kMinAnonymityK = 3;

absl::Status NotPositive(absl::string_view flag, int64_t value) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", value, " is not positive"));
}

absl::Status Negative(absl::string_view flag, int64_t value) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", value, " is negative"));
}

absl::Status BelowMinimum(absl::string_view flag, int64_t value,
                          int64_t minimum) {
  return absl::InvalidArgumentError(
      absl::StrCat("--", flag, ": ", value, " is below ", minimum));
}

}  // namespace

absl::Status CheckListenerSecurity(const ServerOptions& options) {
  if (options.tls.enabled()) {
    if (options.tls.cert_file.empty() || options.tls.key_file.empty()) {
      return absl::InvalidArgumentError(
          "--tls_cert_file and --tls_key_file go together: give both");
    }
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

absl::Status ValidateServerOptions(const ServerOptions& options) {
  RETURN_IF_ERROR(CheckListenerSecurity(options));
  RETURN_IF_ERROR(CheckMetricsListenFlag(options.metrics_listen,
                                         options.metrics_allow_non_loopback));
  if (options.workforce.retention_months < 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--workforce_retention_months: ", options.workforce.retention_months,
        " is below 1"));
  }
  if (options.query_threads < 1) {
    return NotPositive("query_threads", options.query_threads);
  }
  if (options.max_query_time <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--max_query_seconds: ", absl::FormatDuration(options.max_query_time),
        " is not positive"));
  }
  const UtilizationSettings& utilization = options.utilization;
  if (utilization.desk_stale_after_ms <= 0) {
    return NotPositive("desk_stale_after_min",
                       utilization.desk_stale_after_ms / kMillisPerMinute);
  }
  if (utilization.room_stale_after_ms <= 0) {
    return NotPositive("room_stale_after_min",
                       utilization.room_stale_after_ms / kMillisPerMinute);
  }
  if (utilization.desk_day_min_occupied_ms < 0) {
    return Negative("desk_day_min_occupied_min",
                    utilization.desk_day_min_occupied_ms / kMillisPerMinute);
  }
  if (options.occupancy.summary_quiet < absl::ZeroDuration()) {
    return Negative("summary_quiet_ms",
                    absl::ToInt64Milliseconds(options.occupancy.summary_quiet));
  }
  if (options.occupancy.summary_max_delay < absl::ZeroDuration()) {
    return Negative("summary_max_delay_s",
                    absl::ToInt64Seconds(options.occupancy.summary_max_delay));
  }
  if (options.retention.policy.raw_days <= 0) {
    return NotPositive("raw_retention_days", options.retention.policy.raw_days);
  }
  if (options.ingest.limits.retention_ms !=
      int64_t{options.retention.policy.raw_days} * kMillisPerDay) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--raw_retention_days: the ingest window (",
        options.ingest.limits.retention_ms / kMillisPerDay,
        " days) differs from the raw readings' retention (",
        options.retention.policy.raw_days,
        " days): readings would be accepted that are deleted at once"));
  }
  if (options.retention.policy.summary_days <
      options.retention.policy.raw_days) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--summary_retention_days: ", options.retention.policy.summary_days,
        " is below --raw_retention_days (", options.retention.policy.raw_days,
        "): summaries must outlive the readings they are made of"));
  }
  if (options.ingest.max_batch_readings <= 0) {
    return NotPositive("max_batch_readings", options.ingest.max_batch_readings);
  }
  if (options.ingest.max_streams_per_gateway <= 0) {
    return NotPositive("max_streams_per_gateway",
                       options.ingest.max_streams_per_gateway);
  }
  if (options.max_receive_message_bytes < kMinMessageBytes) {
    return BelowMinimum("max_message_bytes", options.max_receive_message_bytes,
                        kMinMessageBytes);
  }
  if (options.max_request_bytes < kMinMessageBytes) {
    return BelowMinimum("max_request_bytes", options.max_request_bytes,
                        kMinMessageBytes);
  }
  if (options.grpc_memory_bytes < kMinGrpcMemoryBytes) {
    return BelowMinimum("grpc_memory_mb",
                        options.grpc_memory_bytes / (1024 * 1024),
                        kMinGrpcMemoryBytes / (1024 * 1024));
  }
  if (options.max_concurrent_streams <= 0) {
    return NotPositive("max_concurrent_streams",
                       options.max_concurrent_streams);
  }
  if (options.occupancy.max_watches_per_token <= 0) {
    return NotPositive("max_watches_per_token",
                       options.occupancy.max_watches_per_token);
  }
  if (!options.http_listen.empty() && !options.tls.enabled() &&
      !IsLoopbackListenAddress(options.http_listen)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen=", options.http_listen,
        " is not a loopback address; plaintext HTTP is allowed on loopback "
        "(127.0.0.1, localhost, [::1]) only: give --tls_cert_file and "
        "--tls_key_file, or --http_listen= (empty) for no HTTP side"));
  }
  if (options.http_session_idle <= absl::ZeroDuration()) {
    return NotPositive("http_session_idle_min",
                       absl::ToInt64Minutes(options.http_session_idle));
  }
  if (options.http_max_connections <= 0) {
    return NotPositive("http_max_connections", options.http_max_connections);
  }
  if (options.http_max_body_bytes < kMinMessageBytes) {
    return BelowMinimum("http_max_body_kb", options.http_max_body_bytes / 1024,
                        kMinMessageBytes / 1024);
  }
  if (options.http_threads <= 0) {
    return NotPositive("http_threads", options.http_threads);
  }
  if (options.http_idle_timeout <= absl::ZeroDuration()) {
    return NotPositive("http_idle_timeout_s",
                       absl::ToInt64Seconds(options.http_idle_timeout));
  }
  if (options.http_header_timeout <= absl::ZeroDuration()) {
    return NotPositive("http_header_timeout_s",
                       absl::ToInt64Seconds(options.http_header_timeout));
  }
  if (options.http_write_timeout <= absl::ZeroDuration()) {
    return NotPositive("http_write_timeout_s",
                       absl::ToInt64Seconds(options.http_write_timeout));
  }
  if (options.workforce.anonymity_k < kMinAnonymityK) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--anonymity_k=", options.workforce.anonymity_k, " is below ",
        kMinAnonymityK, "; groups that small identify people"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ServerOptions> ServerOptionsFromFlags(const ServerFlags& flags) {
  ServerOptions options;
  options.listen = flags.listen;
  options.tls.cert_file = flags.tls_cert_file;
  options.tls.key_file = flags.tls_key_file;
  options.tls.client_ca_file = flags.tls_client_ca_file;
  options.tls.crl_file = flags.tls_crl_file;
  options.plaintext = flags.plaintext;
  options.database = flags.db;
  options.query_threads = std::max(1, flags.query_threads);

  // NaN fails the first comparison.
  if (!(flags.max_query_seconds > 0) ||
      flags.max_query_seconds > kSecondsPerYear) {
    return absl::InvalidArgumentError(
        absl::StrCat("--max_query_seconds: ", flags.max_query_seconds,
                     " is not a positive number of seconds up to a year (",
                     static_cast<int64_t>(kSecondsPerYear), ")"));
  }
  options.max_query_time = absl::Seconds(flags.max_query_seconds);

  if (flags.sqlite_cache_mb < 1 || flags.sqlite_cache_mb > 65536) {
    return absl::InvalidArgumentError(
        absl::StrCat("--sqlite_cache_mb: ", flags.sqlite_cache_mb,
                     " is not within 1..65536"));
  }
  options.storage.cache_kib = flags.sqlite_cache_mb * 1024;
  // The message names --sqlite_synchronous.
  ASSIGN_OR_RETURN(options.storage.synchronous,
                   ParseSqliteSynchronous(flags.sqlite_synchronous));
  options.storage.backup_before_migration = flags.backup_before_migration;

  options.utilization.desk_stale_after_ms =
      flags.desk_stale_after_min * kMillisPerMinute;
  options.utilization.room_stale_after_ms =
      flags.room_stale_after_min * kMillisPerMinute;
  options.utilization.desk_day_min_occupied_ms =
      flags.desk_day_min_occupied_min * kMillisPerMinute;
  options.occupancy.summary_quiet = absl::Milliseconds(flags.summary_quiet_ms);
  options.occupancy.summary_max_delay =
      absl::Seconds(flags.summary_max_delay_s);
  options.occupancy.max_watches_per_token = flags.max_watches_per_token;

  int raw_retention_days = flags.raw_retention_days;
  if (flags.retention_days != 0) {
    // The old flag: it only refused old readings; now the same window also
    // deletes them.
    if (flags.raw_retention_days != ServerFlags().raw_retention_days &&
        flags.raw_retention_days != flags.retention_days) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--retention_days=", flags.retention_days,
          " is the old name of --raw_retention_days (given as ",
          flags.raw_retention_days, "): give --raw_retention_days only"));
    }
    raw_retention_days = flags.retention_days;
  }
  options.retention.policy.raw_days = raw_retention_days;
  options.retention.policy.summary_days = flags.summary_retention_days;
  options.ingest.limits.retention_ms =
      int64_t{raw_retention_days} * kMillisPerDay;
  options.ingest.max_batch_readings = flags.max_batch_readings;
  options.ingest.max_streams_per_gateway = flags.max_streams_per_gateway;
  options.max_receive_message_bytes = flags.max_message_bytes;
  options.max_request_bytes = flags.max_request_bytes;
  options.grpc_memory_bytes = int64_t{flags.grpc_memory_mb} * 1024 * 1024;
  options.max_concurrent_streams = flags.max_concurrent_streams;

  options.workforce.pseudonym_key_file = flags.pseudonym_key_file;
  options.workforce.anonymity_k = flags.anonymity_k;
  options.workforce.retention_months = flags.workforce_retention_months;
  // NaN fails the first comparison.
  if (!(flags.hr_audit_inline_seconds >= 0) ||
      flags.hr_audit_inline_seconds > kSecondsPerYear) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--hr_audit_inline_seconds: ", flags.hr_audit_inline_seconds,
        " is not a number of seconds from 0 up to a year"));
  }
  options.workforce.hr_audit_inline =
      absl::Seconds(flags.hr_audit_inline_seconds);
  absl::StatusOr<PublicationCalendar> publication =
      ParsePublicationCalendar(flags.hr_publication);
  if (!publication.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("--hr_publication: ", publication.status().message()));
  }
  options.workforce.publication = *publication;

  options.writer.probe_interval =
      std::chrono::milliseconds(std::max(0, flags.storage_probe_interval_ms));
  if (flags.storage_stats_interval_s < 1) {
    return NotPositive("storage_stats_interval_s",
                       flags.storage_stats_interval_s);
  }
  options.storage_stats_interval =
      absl::Seconds(flags.storage_stats_interval_s);
  options.metrics_listen = flags.metrics_listen;
  options.metrics_allow_non_loopback = flags.metrics_allow_non_loopback;
  options.auth.bootstrap_admin_token_file = flags.bootstrap_admin_token_file;
  options.auth.recover_admin_token_file = flags.recover_admin_token_file;
  options.http_listen = flags.http_listen;
  options.web_root = flags.web_root;
  options.http_session_idle = absl::Minutes(flags.http_session_idle_min);
  options.http_max_connections = flags.http_max_connections;
  if (flags.http_max_body_kb < 1 || flags.http_max_body_kb > 1024 * 1024) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_max_body_kb: ", flags.http_max_body_kb,
                     " is not within 1..1048576"));
  }
  options.http_max_body_bytes = flags.http_max_body_kb * 1024;
  options.http_threads = flags.http_threads;
  options.http_idle_timeout = absl::Seconds(flags.http_idle_timeout_s);
  options.http_header_timeout = absl::Seconds(flags.http_header_timeout_s);
  options.http_write_timeout = absl::Seconds(flags.http_write_timeout_s);

  RETURN_IF_ERROR(ValidateServerOptions(options));
  return options;
}

}  // namespace monipaikka
