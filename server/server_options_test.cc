#include "server/server_options.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "server/server.h"
#include "tests/support/temp_dir.h"

namespace monipaikka {
namespace {

// The flags of a server that may start: plaintext on loopback.
ServerFlags Plaintext() {
  ServerFlags flags;
  flags.listen = "127.0.0.1:0";
  flags.plaintext = true;
  return flags;
}

// The message of the error ServerOptionsFromFlags gives `flags`; "" if none.
std::string ErrorOf(const ServerFlags& flags) {
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags(flags);
  if (options.ok()) return "";
  EXPECT_TRUE(absl::IsInvalidArgument(options.status())) << options.status();
  return std::string(options.status().message());
}

TEST(ServerOptionsTest, TheDefaultFlagsAskForTls) {
  EXPECT_TRUE(absl::StartsWith(ErrorOf(ServerFlags()), "no TLS certificate"))
      << ErrorOf(ServerFlags());
}

TEST(ServerOptionsTest, FlagsBecomeOptionsInTheLibrarysUnits) {
  ServerFlags flags = Plaintext();
  flags.db = "/srv/m.db";
  flags.max_query_seconds = 2.5;
  flags.desk_stale_after_min = 30;
  flags.room_stale_after_min = 45;
  flags.desk_day_min_occupied_min = 0;
  flags.summary_quiet_ms = 250;
  flags.summary_max_delay_s = 7;
  flags.retention_days = 10;
  flags.grpc_memory_mb = 32;
  flags.sqlite_cache_mb = 2;
  flags.sqlite_synchronous = "normal";
  flags.hr_publication = "quarter_end";
  flags.max_streams_per_gateway = 3;
  flags.anonymity_k = 4;
  flags.storage_probe_interval_ms = 1500;
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags(flags);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->database, "/srv/m.db");
  EXPECT_TRUE(options->plaintext);
  EXPECT_EQ(options->max_query_time, absl::Milliseconds(2500));
  EXPECT_EQ(options->utilization.desk_stale_after_ms, 30 * 60 * 1000);
  EXPECT_EQ(options->utilization.room_stale_after_ms, 45 * 60 * 1000);
  EXPECT_EQ(options->utilization.desk_day_min_occupied_ms, 0);
  EXPECT_EQ(options->occupancy.summary_quiet, absl::Milliseconds(250));
  EXPECT_EQ(options->occupancy.summary_max_delay, absl::Seconds(7));
  // The old --retention_days names the raw readings' retention.
  EXPECT_EQ(options->ingest.limits.retention_ms, int64_t{10} * 86'400'000);
  EXPECT_EQ(options->retention.policy.raw_days, 10);
  EXPECT_EQ(options->retention.policy.summary_days, 3650);
  EXPECT_EQ(options->grpc_memory_bytes, int64_t{32} * 1024 * 1024);
  EXPECT_EQ(options->storage.cache_kib, 2048);
  EXPECT_EQ(options->storage.synchronous, SqliteSynchronous::kNormal);
  EXPECT_EQ(options->workforce.publication, PublicationCalendar::kQuarterEnd);
  EXPECT_EQ(options->ingest.max_streams_per_gateway, 3);
  EXPECT_EQ(options->workforce.anonymity_k, 4);
  EXPECT_EQ(options->writer.probe_interval, std::chrono::milliseconds(1500));
  EXPECT_EQ(options->metrics_listen, "127.0.0.1:9464");
}

TEST(ServerOptionsTest, AMigrationIsPrecededByABackupUnlessTheFlagSaysNo) {
  absl::StatusOr<ServerOptions> by_default =
      ServerOptionsFromFlags(Plaintext());
  ASSERT_TRUE(by_default.ok()) << by_default.status();
  EXPECT_TRUE(by_default->storage.backup_before_migration);
  ServerFlags flags = Plaintext();
  flags.backup_before_migration = false;
  absl::StatusOr<ServerOptions> without = ServerOptionsFromFlags(flags);
  ASSERT_TRUE(without.ok()) << without.status();
  EXPECT_FALSE(without->storage.backup_before_migration);
}

TEST(ServerOptionsTest, QueryThreadsAndProbeIntervalAreClampedNotRefused) {
  ServerFlags flags = Plaintext();
  flags.query_threads = 0;
  flags.storage_probe_interval_ms = -5;
  absl::StatusOr<ServerOptions> options = ServerOptionsFromFlags(flags);
  ASSERT_TRUE(options.ok()) << options.status();
  EXPECT_EQ(options->query_threads, 1);
  EXPECT_EQ(options->writer.probe_interval, std::chrono::milliseconds(0));
}

TEST(ServerOptionsTest, BadListenerCombinationsNameTheirFlags) {
  ServerFlags both = Plaintext();
  both.tls_cert_file = "server.crt";
  both.tls_key_file = "server.key";
  EXPECT_EQ(ErrorOf(both),
            "--plaintext and --tls_cert_file/--tls_key_file exclude each "
            "other");

  ServerFlags client_ca = Plaintext();
  client_ca.tls_client_ca_file = "ca.crt";
  EXPECT_EQ(ErrorOf(client_ca),
            "--tls_client_ca_file needs --tls_cert_file and --tls_key_file");

  ServerFlags crl = Plaintext();
  crl.tls_crl_file = "ca.crl";
  EXPECT_TRUE(absl::StartsWith(ErrorOf(crl), "--tls_crl_file needs"));

  ServerFlags exposed = Plaintext();
  exposed.listen = "0.0.0.0:7070";
  EXPECT_TRUE(absl::StartsWith(ErrorOf(exposed),
                               "--listen=0.0.0.0:7070 is not a loopback "
                               "address"))
      << ErrorOf(exposed);

  ServerFlags half = ServerFlags();
  half.tls_cert_file = "server.crt";
  EXPECT_EQ(ErrorOf(half),
            "--tls_cert_file and --tls_key_file go together: give both");
  half.tls_cert_file = "";
  half.tls_key_file = "server.key";
  EXPECT_EQ(ErrorOf(half),
            "--tls_cert_file and --tls_key_file go together: give both");

  ServerFlags tls = ServerFlags();
  tls.listen = "0.0.0.0:7070";
  tls.tls_cert_file = "server.crt";
  tls.tls_key_file = "server.key";
  tls.tls_client_ca_file = "ca.crt";
  tls.tls_crl_file = "ca.crl";
  EXPECT_EQ(ErrorOf(tls), "");
}

TEST(ServerOptionsTest, ASmallAnonymityThresholdIsRefused) {
  ServerFlags flags = Plaintext();
  flags.anonymity_k = 2;
  EXPECT_EQ(ErrorOf(flags),
            "--anonymity_k=2 is below 3; groups that small identify people");
  flags.anonymity_k = 3;
  EXPECT_EQ(ErrorOf(flags), "");
}

TEST(ServerOptionsTest, EachValueOutOfRangeNamesItsFlag) {
  struct Case {
    std::function<void(ServerFlags&)> set;
    std::string error;
  };
  const std::vector<Case> cases = {
      {[](ServerFlags& f) { f.max_query_seconds = 0; },
       "--max_query_seconds: 0 is not a positive number of seconds up to a "
       "year (31536000)"},
      {[](ServerFlags& f) { f.max_query_seconds = 400 * 86400.0; },
       "--max_query_seconds: 3.456e+07 is not a positive"},
      {[](ServerFlags& f) { f.max_query_seconds = std::nan(""); },
       "--max_query_seconds: nan is not a positive"},
      {[](ServerFlags& f) { f.sqlite_cache_mb = 0; },
       "--sqlite_cache_mb: 0 is not within 1..65536"},
      {[](ServerFlags& f) { f.sqlite_cache_mb = 65537; },
       "--sqlite_cache_mb: 65537 is not within 1..65536"},
      {[](ServerFlags& f) { f.sqlite_synchronous = "off"; },
       "--sqlite_synchronous: \"off\" is neither"},
      {[](ServerFlags& f) { f.hr_publication = "weekly"; },
       "--hr_publication: unknown publication calendar \"weekly\""},
      {[](ServerFlags& f) { f.desk_stale_after_min = 0; },
       "--desk_stale_after_min: 0 is not positive"},
      {[](ServerFlags& f) { f.room_stale_after_min = -1; },
       "--room_stale_after_min: -1 is not positive"},
      {[](ServerFlags& f) { f.desk_day_min_occupied_min = -1; },
       "--desk_day_min_occupied_min: -1 is negative"},
      {[](ServerFlags& f) { f.summary_quiet_ms = -1; },
       "--summary_quiet_ms: -1 is negative"},
      {[](ServerFlags& f) { f.summary_max_delay_s = -2; },
       "--summary_max_delay_s: -2 is negative"},
      {[](ServerFlags& f) { f.raw_retention_days = 0; },
       "--raw_retention_days: 0 is not positive"},
      {[](ServerFlags& f) { f.retention_days = -5; },
       "--raw_retention_days: -5 is not positive"},
      {[](ServerFlags& f) { f.summary_retention_days = 30; },
       "--summary_retention_days: 30 is below --raw_retention_days (90)"},
      {[](ServerFlags& f) {
         f.retention_days = 30;
         f.raw_retention_days = 60;
       },
       "--retention_days=30 is the old name of --raw_retention_days (given "
       "as 60)"},
      {[](ServerFlags& f) { f.max_batch_readings = 0; },
       "--max_batch_readings: 0 is not positive"},
      {[](ServerFlags& f) { f.max_streams_per_gateway = 0; },
       "--max_streams_per_gateway: 0 is not positive"},
      {[](ServerFlags& f) { f.max_message_bytes = 1023; },
       "--max_message_bytes: 1023 is below 1024"},
      {[](ServerFlags& f) { f.max_request_bytes = 100; },
       "--max_request_bytes: 100 is below 1024"},
      {[](ServerFlags& f) { f.grpc_memory_mb = 15; },
       "--grpc_memory_mb: 15 is below 16"},
      {[](ServerFlags& f) { f.max_concurrent_streams = 0; },
       "--max_concurrent_streams: 0 is not positive"},
      {[](ServerFlags& f) { f.max_watches_per_token = -3; },
       "--max_watches_per_token: -3 is not positive"},
      // Refused with the command line (exit 2), not at the start (exit 1,
      // which systemd would restart every few seconds).
      {[](ServerFlags& f) { f.metrics_listen = "0.0.0.0:0"; },
       "--metrics_listen: metrics listen address 0.0.0.0:0 is not loopback"},
      {[](ServerFlags& f) { f.metrics_listen = "garbage"; },
       "--metrics_listen: metrics listen address \"garbage\" is not "
       "host:port"},
      {[](ServerFlags& f) { f.workforce_retention_months = 0; },
       "--workforce_retention_months: 0 is below 1"},
  };
  for (const Case& c : cases) {
    ServerFlags flags = Plaintext();
    c.set(flags);
    const std::string error = ErrorOf(flags);
    EXPECT_TRUE(absl::StartsWith(error, c.error))
        << "expected \"" << c.error << "…\", got \"" << error << "\"";
  }
}

TEST(ServerOptionsTest, ValidationCoversOptionsSetInCode) {
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.plaintext = true;
  EXPECT_TRUE(ValidateServerOptions(options).ok());
  options.query_threads = 0;
  EXPECT_EQ(ValidateServerOptions(options).message(),
            "--query_threads: 0 is not positive");
  options.query_threads = 1;
  options.max_query_time = absl::ZeroDuration();
  EXPECT_TRUE(absl::StartsWith(ValidateServerOptions(options).message(),
                               "--max_query_seconds"));
}

TEST(ServerOptionsTest, StartRefusesBadOptionsBeforeTouchingTheDisk) {
  testing::TempDir dir;
  ServerOptions options;
  options.listen = "127.0.0.1:0";
  options.plaintext = true;
  options.database = dir.File("never.db");
  options.workforce.anonymity_k = 1;
  absl::StatusOr<std::unique_ptr<Server>> server = Server::Start(options);
  EXPECT_TRUE(absl::IsInvalidArgument(server.status())) << server.status();
  EXPECT_TRUE(absl::StrContains(server.status().message(), "--anonymity_k=1"));
  EXPECT_FALSE(std::filesystem::exists(options.database));
}

}  // namespace
}  // namespace monipaikka
