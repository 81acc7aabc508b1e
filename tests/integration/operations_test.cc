// Operations with the real server and edge agent on 127.0.0.1: the metrics
// scraped over HTTP count readings by outcome and reason, the edge's outbox
// depth shows a backlog while the server is down and drains to zero, the
// health service follows storage health, and log lines are logfmt.

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/time_format.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "tests/support/cluster.h"
#include "tests/support/http_get.h"
#include "tests/support/metrics_text.h"

namespace monipaikka::testing {
namespace {

using ::grpc::health::v1::HealthCheckRequest;
using ::grpc::health::v1::HealthCheckResponse;

std::string Scrape(int port) {
  absl::StatusOr<HttpResponse> response = HttpGet(port, "/metrics");
  EXPECT_TRUE(response.ok()) << response.status();
  if (!response.ok()) return "";
  EXPECT_EQ(response->status, 200);
  return response->body;
}

double Sample(const std::string& text, absl::string_view series) {
  std::optional<double> value = SampleValue(text, series);
  EXPECT_TRUE(value.has_value()) << series << " missing in:\n" << text;
  return value.value_or(-1);
}

// Scrapes until `done` holds for the text (up to `timeout`); the last text.
std::string ScrapeUntil(int port, std::function<bool(const std::string&)> done,
                        std::chrono::seconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string text;
  while (std::chrono::steady_clock::now() < deadline) {
    text = Scrape(port);
    if (done(text)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return text;
}

void ImportInventory(const TempDir& dir, const std::string& address, int desks,
                     const std::string& gateway) {
  const std::string inventory = dir.File("inventory.json");
  std::ofstream(inventory) << OneSiteInventoryJson(desks, gateway);
  std::string out;
  std::string err;
  ASSERT_EQ(
      RunToCompletion(ClientBinary(),
                      {"--server=" + address, "import-inventory", inventory},
                      &out, std::chrono::seconds(60), &err),
      0)
      << out << err;
}

v1::Reading Presence(const std::string& sensor, int64_t ts_ms, uint64_t seq) {
  v1::Reading reading;
  reading.set_sensor(sensor);
  reading.set_ts_ms(ts_ms);
  reading.set_seq(seq);
  reading.set_occupied(seq % 2 == 1);
  return reading;
}

HealthCheckResponse::ServingStatus Health(const std::string& address,
                                          const std::string& service) {
  auto stub = grpc::health::v1::Health::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(10));
  HealthCheckRequest request;
  request.set_service(service);
  HealthCheckResponse response;
  grpc::Status status = stub->Check(&context, request, &response);
  EXPECT_TRUE(status.ok()) << service << ": " << status.error_message();
  return response.status();
}

// Every line of a log is one logfmt event: ts=… level=… event=… key=value.
void ExpectLogfmt(const std::string& log) {
  int lines = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    ++lines;
    EXPECT_TRUE(absl::StartsWith(line, "ts=")) << line;
    EXPECT_TRUE(absl::StrContains(line, " level=")) << line;
    EXPECT_TRUE(absl::StrContains(line, " event=")) << line;
  }
  EXPECT_GT(lines, 0);
}

TEST(OperationsTest, MetricsCountReadingsByOutcomeAndReason) {
  TempDir dir;
  ServerProcess server(dir, 0, "server");
  ASSERT_GT(server.port(), 0);
  ASSERT_GT(server.metrics_port(), 0) << server.process().Log();
  ImportInventory(dir, server.address(), 3, "gw-ops");

  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  const int64_t hour_ms = 3600 * 1000;
  v1::ReadingBatch good;
  good.set_batch_id(1);
  good.set_gateway("gw-ops");
  *good.add_readings() = Presence("IT-DEV-0", now_ms - 2 * hour_ms, 1);
  *good.add_readings() = Presence("IT-DEV-0", now_ms - 1 * hour_ms, 2);
  *good.add_readings() = Presence("IT-DEV-1", now_ms - 1 * hour_ms, 1);
  *good.add_readings() = Presence("IT-DEV-2", now_ms - 1 * hour_ms, 1);
  v1::ReadingBatch first = good;
  *first.add_readings() = Presence("NO-SUCH-SENSOR", now_ms - hour_ms, 1);
  *first.add_readings() = Presence("NOR-THIS-ONE", now_ms - hour_ms, 1);
  *first.add_readings() = Presence("IT-DEV-1", now_ms + 24 * hour_ms, 7);
  *first.add_readings() = Presence("IT-DEV-1", now_ms - 2000 * 24 * hour_ms, 8);
  *first.add_readings() = Presence("", now_ms - hour_ms, 1);
  v1::Reading count_on_presence = Presence("IT-DEV-2", now_ms - hour_ms, 9);
  count_on_presence.set_count(4);
  *first.add_readings() = count_on_presence;
  // The same four readings again: duplicates.
  v1::ReadingBatch again = good;
  again.set_batch_id(2);
  // A known sequence number with another time.
  v1::ReadingBatch reused_seq;
  reused_seq.set_batch_id(3);
  reused_seq.set_gateway("gw-ops");
  *reused_seq.add_readings() = Presence("IT-DEV-0", now_ms - 3 * hour_ms, 1);
  // A sensor of gw-ops sent by another gateway.
  v1::ReadingBatch other_gateway;
  other_gateway.set_batch_id(4);
  other_gateway.set_gateway("gw-other");
  *other_gateway.add_readings() = Presence("IT-DEV-1", now_ms - hour_ms, 5);

  auto stub = v1::IngestService::NewStub(grpc::CreateChannel(
      server.address(), grpc::InsecureChannelCredentials()));
  {
    // Without a token: refused and counted.
    grpc::ClientContext anonymous;
    auto refused = stub->StreamReadings(&anonymous);
    refused->WritesDone();
    EXPECT_EQ(refused->Finish().error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  grpc::ClientContext context;
  context.AddMetadata("authorization", "Bearer " + server.admin_token());
  auto stream = stub->StreamReadings(&context);
  std::vector<v1::BatchAck> acks;
  for (const v1::ReadingBatch* batch : {&first, &again, &reused_seq}) {
    ASSERT_TRUE(stream->Write(*batch));
    v1::BatchAck ack;
    ASSERT_TRUE(stream->Read(&ack));
    acks.push_back(ack);
  }
  // While the stream is open it is counted.
  std::string text = Scrape(server.metrics_port());
  EXPECT_EQ(Sample(text, "monipaikka_ingest_streams"), 1);
  stream->WritesDone();
  ASSERT_TRUE(stream->Finish().ok());
  {
    // A stream speaks for one gateway: another stream for gw-other.
    grpc::ClientContext other_context;
    other_context.AddMetadata("authorization",
                              "Bearer " + server.admin_token());
    auto other_stream = stub->StreamReadings(&other_context);
    ASSERT_TRUE(other_stream->Write(other_gateway));
    v1::BatchAck ack;
    ASSERT_TRUE(other_stream->Read(&ack));
    acks.push_back(ack);
    other_stream->WritesDone();
    ASSERT_TRUE(other_stream->Finish().ok());
  }
  EXPECT_EQ(acks[0].accepted(), 4u);
  EXPECT_EQ(acks[0].rejected_size(), 6);
  EXPECT_EQ(acks[1].duplicates(), 4u);
  EXPECT_EQ(acks[2].rejected_size(), 1);
  EXPECT_EQ(acks[3].rejected_size(), 1);

  text = ScrapeUntil(
      server.metrics_port(),
      [](const std::string& t) {
        return SampleValue(t, "monipaikka_ingest_streams") == 0;
      },
      std::chrono::seconds(10));
  EXPECT_EQ(Sample(text, "monipaikka_ingest_streams"), 0);
  EXPECT_EQ(Sample(text, "monipaikka_readings_accepted_total"), 4);
  EXPECT_EQ(Sample(text, "monipaikka_readings_duplicate_total"), 4);
  EXPECT_EQ(Sample(text, "monipaikka_batches_committed_total"), 4);
  const std::string rejected = "monipaikka_readings_rejected_total{reason=\"";
  EXPECT_EQ(Sample(text, rejected + "unknown_sensor\"}"), 2);
  EXPECT_EQ(Sample(text, rejected + "future_timestamp\"}"), 1);
  EXPECT_EQ(Sample(text, rejected + "too_old\"}"), 1);
  EXPECT_EQ(Sample(text, rejected + "malformed\"}"), 2);
  EXPECT_EQ(Sample(text, rejected + "wrong_gateway\"}"), 1);
  EXPECT_EQ(Sample(text, rejected + "duplicate_sequence\"}"), 1);
  EXPECT_GE(Sample(text, "monipaikka_commit_duration_seconds_count"), 1);
  EXPECT_EQ(
      Sample(text, "monipaikka_commit_duration_seconds_bucket{le=\"+Inf\"}"),
      Sample(text, "monipaikka_commit_duration_seconds_count"));
  EXPECT_EQ(Sample(text, "monipaikka_storage_healthy"), 1);
  EXPECT_EQ(
      Sample(text, "monipaikka_storage_errors_total{operation=\"commit\"}"), 0);
  EXPECT_EQ(
      Sample(text, "monipaikka_auth_refusals_total{reason=\"missing_token\"}"),
      1);
  EXPECT_EQ(
      Sample(text, "monipaikka_auth_refusals_total{reason=\"wrong_role\"}"), 0);
  // The inventory import went through the query threads.
  EXPECT_GE(Sample(text, "monipaikka_query_duration_seconds_count"), 1);
  // Where the memory is: SQLite's part of the heap in use, and what malloc
  // keeps free.
  const double heap = Sample(text, "monipaikka_heap_in_use_bytes");
  const double sqlite = Sample(text, "monipaikka_sqlite_memory_bytes");
  EXPECT_GT(sqlite, 0);
  EXPECT_GT(heap, sqlite);
  EXPECT_GE(Sample(text, "monipaikka_heap_free_bytes"), 0);

  EXPECT_EQ(Health(server.address(), ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(server.address(), "monipaikka.v1.IngestService"),
            HealthCheckResponse::SERVING);
  // Every service the server registers answers health checks by name.
  for (const char* service :
       {"monipaikka.v1.BookingService", "monipaikka.v1.PlanningService",
        "monipaikka.v1.SamplingService"}) {
    EXPECT_EQ(Health(server.address(), service), HealthCheckResponse::SERVING)
        << service;
  }

  server.process().Signal(SIGTERM);
  ASSERT_EQ(server.process().Wait(std::chrono::seconds(20)), 0);
  const std::string log = server.process().Log();
  ExpectLogfmt(log);
  EXPECT_TRUE(absl::StrContains(
      log,
      absl::StrCat("event=serving listen=127.0.0.1:0 port=", server.port())))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "event=stopped accepted=4 duplicates=4"))
      << log;
}

// With the command line (exit 2, which systemd does not restart), by the
// server and the edge agent alike.
TEST(OperationsTest, NonLoopbackMetricsAddressIsRefused) {
  TempDir dir;
  std::string out;
  std::string err;
  EXPECT_EQ(RunToCompletion(
                ServerBinary(),
                {"--listen=127.0.0.1:0", "--plaintext",
                 "--db=" + dir.File("a.db"), "--metrics_listen=0.0.0.0:0"},
                &out, std::chrono::seconds(30), &err),
            2);
  EXPECT_TRUE(absl::StrContains(err, "--metrics_listen: ")) << err;
  EXPECT_TRUE(absl::StrContains(err, "--metrics_allow_non_loopback")) << err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("a.db")));
  EXPECT_EQ(RunToCompletion(EdgeBinary(),
                            {"--gateway=gw-1", "--server=127.0.0.1:1",
                             "--outbox=" + dir.File("outbox.db"), "--simulate",
                             "--metrics_listen=garbage"},
                            &out, std::chrono::seconds(30), &err),
            2);
  EXPECT_TRUE(absl::StrContains(err, "--metrics_listen: ")) << err;
  EXPECT_TRUE(absl::StrContains(err, "is not host:port")) << err;
}

// Size in bytes of the largest of the database's files.
int64_t LargestDatabaseFile(const std::string& db_path) {
  int64_t largest = 0;
  for (const std::string& file :
       {db_path, db_path + "-wal", db_path + "-shm"}) {
    std::error_code error;
    const auto size = std::filesystem::file_size(file, error);
    if (!error) largest = std::max(largest, static_cast<int64_t>(size));
  }
  return largest;
}

// Sets the soft file size limit (RLIMIT_FSIZE) of a running process (the
// hard one stays, so that the soft one may be raised again).
void SetFileSizeLimit(pid_t pid, const std::string& limit) {
  std::string out;
  std::string err;
  ASSERT_EQ(
      RunToCompletion("/usr/bin/prlimit",
                      {absl::StrCat("--pid=", pid), "--fsize=" + limit + ":"},
                      &out, std::chrono::seconds(10), &err),
      0)
      << out << err;
}

// Sends `batch` on a new stream; the stream's final status.
grpc::Status SendBatch(const std::string& address, const std::string& token,
                       const v1::ReadingBatch& batch) {
  auto stub = v1::IngestService::NewStub(
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() +
                       std::chrono::seconds(30));
  context.AddMetadata("authorization", "Bearer " + token);
  auto stream = stub->StreamReadings(&context);
  stream->Write(batch);
  stream->WritesDone();
  v1::BatchAck ack;
  while (stream->Read(&ack)) {
  }
  return stream->Finish();
}

// Storage stops taking writes (the server's file size limit is lowered to
// the size its database files have): a commit fails, health turns
// NOT_SERVING for the server and each service, the metrics say so; once the
// limit is lifted the probe succeeds and health is SERVING again.
TEST(OperationsTest, HealthFollowsStorageThatStopsAndResumesTakingWrites) {
  TempDir dir;
  ServerProcess server(dir, 0, "server", {"--storage_probe_interval_ms=1500"});
  ASSERT_GT(server.port(), 0);
  ImportInventory(dir, server.address(), 10, "gw-disk");
  EXPECT_EQ(Health(server.address(), ""), HealthCheckResponse::SERVING);

  SetFileSizeLimit(server.process().pid(),
                   absl::StrCat(LargestDatabaseFile(server.db_path())));
  const int64_t start_ms =
      absl::ToUnixMillis(absl::Now()) - 20 * 24 * 3600000LL;
  grpc::Status failed;
  uint64_t seq = 0;
  // Batches of new readings until one does not fit.
  for (int attempt = 0; attempt < 40 && failed.ok(); ++attempt) {
    v1::ReadingBatch batch;
    batch.set_batch_id(attempt + 1);
    batch.set_gateway("gw-disk");
    for (int i = 0; i < 10000; ++i) {
      ++seq;
      *batch.add_readings() =
          Presence(absl::StrCat("IT-DEV-", seq % 10),
                   start_ms + static_cast<int64_t>(seq) * 1000, seq);
    }
    failed = SendBatch(server.address(), server.admin_token(), batch);
  }
  ASSERT_FALSE(failed.ok()) << "storage never filled up";
  EXPECT_TRUE(absl::StrContains(failed.error_message(), "full") ||
              absl::StrContains(failed.error_message(), "I/O"))
      << failed.error_message();
  EXPECT_EQ(Health(server.address(), ""), HealthCheckResponse::NOT_SERVING);
  EXPECT_EQ(Health(server.address(), "monipaikka.v1.IngestService"),
            HealthCheckResponse::NOT_SERVING);
  std::string text = Scrape(server.metrics_port());
  EXPECT_GE(
      Sample(text, "monipaikka_storage_errors_total{operation=\"commit\"}"), 1);
  ASSERT_TRUE(server.process().running()) << server.process().Log();

  SetFileSizeLimit(server.process().pid(), "unlimited");
  text = ScrapeUntil(
      server.metrics_port(),
      [](const std::string& t) {
        return SampleValue(t, "monipaikka_storage_healthy") == 1;
      },
      std::chrono::seconds(20));
  EXPECT_EQ(Sample(text, "monipaikka_storage_healthy"), 1)
      << text << server.process().Log();
  EXPECT_EQ(Health(server.address(), ""), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health(server.address(), "monipaikka.v1.IngestService"),
            HealthCheckResponse::SERVING);
  const std::string log = server.process().Log();
  EXPECT_TRUE(absl::StrContains(log, "level=error event=storage_unhealthy"))
      << log;
  EXPECT_TRUE(absl::StrContains(log, "level=info event=storage_healthy"))
      << log;
}

TEST(OperationsTest, EdgeOutboxDepthGrowsWhileServerIsDownAndDrainsToZero) {
  TempDir dir;
  const int port = PickFreePort();
  auto server = std::make_unique<ServerProcess>(dir, port, "server-1");
  ASSERT_EQ(server->port(), port);
  ImportInventory(dir, server->address(), 5, "gw-edge");
  const absl::CivilDay today = TodayInHelsinki();
  std::string out;
  std::string err;
  // A first run caches the gateway's sensors in the outbox.
  ASSERT_EQ(
      RunToCompletion(
          EdgeBinary(),
          {"--server=" + server->address(), "--gateway=gw-edge",
           "--outbox=" + dir.File("outbox.db"),
           "--backfill_from=" + FormatDate(today - 1),
           "--backfill_to=" + FormatDate(today - 1), "--exit_when_drained"},
          &out, std::chrono::seconds(60), &err),
      0)
      << out << err;
  server->process().Signal(SIGTERM);
  ASSERT_EQ(server->process().Wait(std::chrono::seconds(20)), 0);

  // The second run queues three more days while the server is down.
  const std::string metrics_port_file = dir.File("edge.metrics_port");
  Process edge(
      EdgeBinary(),
      {"--server=" + server->address(), "--gateway=gw-edge",
       "--outbox=" + dir.File("outbox.db"),
       "--backfill_from=" + FormatDate(today - 4),
       "--backfill_to=" + FormatDate(today - 2), "--metrics_listen=127.0.0.1:0",
       "--metrics_port_file=" + metrics_port_file},
      dir.File("edge.log"));
  const int metrics_port =
      WaitForPortFile(metrics_port_file, std::chrono::seconds(10));
  ASSERT_GT(metrics_port, 0) << edge.Log();
  const int64_t expected = static_cast<int64_t>(
      SimulatedRows(OneSiteSensors(5), 1, today - 4, today - 2).size());
  ASSERT_GT(expected, 0);
  std::string text = ScrapeUntil(
      metrics_port,
      [&](const std::string& t) {
        return SampleValue(t, "monipaikka_edge_outbox_readings") == expected;
      },
      std::chrono::seconds(30));
  EXPECT_EQ(Sample(text, "monipaikka_edge_outbox_readings"), expected)
      << edge.Log();
  EXPECT_GT(Sample(text, "monipaikka_edge_outbox_bytes"), 0);
  // The oldest queued reading is of four days ago (the backfill's first).
  EXPECT_GT(Sample(text, "monipaikka_edge_outbox_oldest_age_seconds"),
            2 * 86400);
  EXPECT_EQ(
      Sample(text,
             "monipaikka_edge_readings_received_total{source=\"simulator\"}"),
      expected);
  EXPECT_EQ(
      Sample(text,
             "monipaikka_edge_readings_acked_total{outcome=\"accepted\"}"),
      0);

  server = std::make_unique<ServerProcess>(dir, port, "server-2");
  ASSERT_EQ(server->port(), port);
  text = ScrapeUntil(
      metrics_port,
      [](const std::string& t) {
        return SampleValue(t, "monipaikka_edge_outbox_readings") == 0;
      },
      std::chrono::seconds(60));
  EXPECT_EQ(Sample(text, "monipaikka_edge_outbox_readings"), 0) << edge.Log();
  EXPECT_EQ(Sample(text, "monipaikka_edge_outbox_oldest_age_seconds"), 0);
  EXPECT_EQ(
      Sample(text,
             "monipaikka_edge_readings_acked_total{outcome=\"accepted\"}"),
      expected);
  EXPECT_GE(Sample(text, "monipaikka_edge_readings_sent_total"), expected);
  EXPECT_EQ(Sample(Scrape(server->metrics_port()),
                   "monipaikka_readings_accepted_total"),
            expected);

  edge.Signal(SIGTERM);
  EXPECT_EQ(edge.Wait(std::chrono::seconds(20)), 0);
  ExpectLogfmt(edge.Log());
}

}  // namespace
}  // namespace monipaikka::testing
