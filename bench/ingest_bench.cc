// Ingest benchmark: end-to-end rate of readings through the edge protocol
// (ReadingBatch over a gRPC stream → validation → group commit in SQLite,
// dedup included), beside the raw rate of inserting the same rows straight
// into an unindexed SQLite table (one prepared statement, WAL, batched
// transactions), and their ratio.
//
// Usage: ingest_bench [--sensors=2000] [--days=10] [--batch=1000]
//                     [--streams=4] [--dir=/tmp]
//                     [--sqlite_synchronous=full|normal]

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "bench/in_process_server.h"
#include "common/bearer_token.h"
#include "common/sqlite.h"
#include "monipaikka/v1/ingest.grpc.pb.h"
#include "monipaikka/v1/inventory.grpc.pb.h"
#include "server/server.h"

ABSL_FLAG(int, sensors, 2000, "desk sensors");
ABSL_FLAG(int, days, 10, "days of readings (15-minute heartbeats + changes)");
ABSL_FLAG(int, batch, 1000, "readings per batch");
ABSL_FLAG(int, streams, 4, "concurrent gateway streams");
ABSL_FLAG(std::string, dir, "/tmp", "where the benchmark databases go");
ABSL_FLAG(std::string, sqlite_synchronous, "full",
          "durability of the server's and the raw table's commits: full or "
          "normal (as the server's flag)");

namespace monipaikka {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

struct Row {
  int sensor;
  int64_t ts_ms;
  uint64_t seq;
  bool occupied;
};

// Readings in time order: every sensor heartbeats every 15 minutes on its own
// offset; on weekdays desks change state a few times during office hours.
std::vector<Row> MakeReadings(int sensors, int days, int64_t end_ms) {
  const int64_t kMinute = 60 * 1000;
  const int64_t start_ms = end_ms - int64_t{days} * 24 * 60 * kMinute;
  std::mt19937_64 random(42);
  std::vector<Row> rows;
  rows.reserve(static_cast<size_t>(sensors) * days * 104);
  std::vector<uint64_t> seq(sensors, 0);
  std::vector<bool> state(sensors, false);
  for (int64_t minute = 0; minute < int64_t{days} * 24 * 60; ++minute) {
    const int64_t ts = start_ms + minute * kMinute;
    const int minute_of_day = static_cast<int>(minute % (24 * 60));
    const bool office_hours =
        minute_of_day >= 7 * 60 && minute_of_day < 17 * 60;
    for (int s = 0; s < sensors; ++s) {
      bool change = office_hours && random() % 60 == 0;  // ~10 changes a day
      bool heartbeat = (minute + s) % 15 == 0;
      if (!change && !heartbeat) continue;
      if (change) state[s] = !state[s];
      if (!office_hours) state[s] = false;
      rows.push_back(Row{s, ts + s % 1000, ++seq[s], state[s]});
    }
  }
  return rows;
}

std::string SensorName(int s) { return absl::StrCat("BENCH-", s); }

double RawInsertRate(const std::vector<Row>& rows, const std::string& path,
                     SqliteSynchronous synchronous) {
  std::filesystem::remove(path);
  auto db = Database::Open(path, {.synchronous = synchronous});
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", std::string(db.status().message()).c_str());
    std::exit(1);
  }
  (*db)
      ->Execute(
          "CREATE TABLE raw(ts_ms INTEGER, sensor_id INTEGER, "
          "seq INTEGER, value INTEGER)")
      .IgnoreError();
  static constexpr char kSql[] = "INSERT INTO raw VALUES(?, ?, ?, ?)";
  const size_t kPerTransaction = 50000;  // the server's group-commit limit
  auto started = Clock::now();
  for (size_t i = 0; i < rows.size(); i += kPerTransaction) {
    (*db)->Execute("BEGIN").IgnoreError();
    Statement* stmt = *(*db)->Cached(kSql);
    for (size_t j = i; j < std::min(rows.size(), i + kPerTransaction); ++j) {
      stmt->BindInt64(1, rows[j].ts_ms);
      stmt->BindInt64(2, rows[j].sensor);
      stmt->BindInt64(3, static_cast<int64_t>(rows[j].seq));
      stmt->BindInt64(4, rows[j].occupied);
      stmt->Run().IgnoreError();
    }
    (*db)->Execute("COMMIT").IgnoreError();
  }
  return rows.size() / Seconds(started);
}

struct StreamTotals {
  uint64_t accepted = 0;
  uint64_t duplicates = 0;
  uint64_t rejected = 0;
};

// Sends `batches` on one stream with up to `window` unacknowledged batches,
// as an edge agent does, and waits for every acknowledgement.
StreamTotals SendOnStream(v1::IngestService::Stub* stub,
                          const std::vector<v1::ReadingBatch>& batches,
                          int window) {
  grpc::ClientContext context;
  auto stream = stub->StreamReadings(&context);
  StreamTotals totals;
  size_t sent = 0;
  size_t acked = 0;
  v1::BatchAck ack;
  bool writes_done = false;
  while (acked < batches.size()) {
    while (sent < batches.size() &&
           sent - acked < static_cast<size_t>(window)) {
      if (!stream->Write(batches[sent])) break;
      ++sent;
    }
    if (sent == batches.size() && !writes_done) {
      stream->WritesDone();
      writes_done = true;
    }
    if (!stream->Read(&ack)) break;
    ++acked;
    totals.accepted += ack.accepted();
    totals.duplicates += ack.duplicates();
    totals.rejected += ack.rejected_size();
  }
  if (!writes_done) stream->WritesDone();
  grpc::Status status = stream->Finish();
  if (!status.ok()) {
    std::fprintf(stderr, "stream failed: %s\n", status.error_message().c_str());
    std::exit(1);
  }
  return totals;
}

double EndToEndRate(
    const std::vector<std::vector<v1::ReadingBatch>>& per_stream,
    size_t readings, v1::IngestService::Stub* stub, StreamTotals* totals) {
  auto started = Clock::now();
  std::vector<std::thread> threads;
  absl::Mutex mu;
  for (const auto& batches : per_stream) {
    threads.emplace_back([&, b = &batches] {
      StreamTotals t = SendOnStream(stub, *b, 8);
      absl::MutexLock lock(&mu);
      totals->accepted += t.accepted;
      totals->duplicates += t.duplicates;
      totals->rejected += t.rejected;
    });
  }
  for (auto& t : threads) t.join();
  return readings / Seconds(started);
}

int Main() {
  const int sensors = absl::GetFlag(FLAGS_sensors);
  const int days = absl::GetFlag(FLAGS_days);
  const int batch_size = absl::GetFlag(FLAGS_batch);
  const int streams = std::max(1, absl::GetFlag(FLAGS_streams));
  const std::string dir = absl::GetFlag(FLAGS_dir) + "/monipaikka-ingest-bench";
  absl::StatusOr<SqliteSynchronous> synchronous =
      ParseSqliteSynchronous(absl::GetFlag(FLAGS_sqlite_synchronous));
  if (!synchronous.ok()) {
    std::fprintf(stderr, "%s\n",
                 std::string(synchronous.status().message()).c_str());
    return 2;
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);

  const int64_t now_ms = absl::ToUnixMillis(absl::Now());
  std::vector<Row> rows = MakeReadings(sensors, days, now_ms - 3600 * 1000);
  std::printf(
      "readings: %zu (%d sensors, %d days, batch %d, %d streams, "
      "synchronous=%s)\n",
      rows.size(), sensors, days, batch_size, streams,
      std::string(SqliteSynchronousName(*synchronous)).c_str());

  ServerOptions options;
  options.database = dir + "/server.db";
  options.storage.synchronous = *synchronous;
  InProcessServer bench = StartInProcessServer(options);
  const std::shared_ptr<grpc::Channel>& channel = bench.channel;
  {
    v1::ImportInventoryRequest request;
    v1::Inventory* inventory = request.mutable_inventory();
    auto* site = inventory->add_sites();
    site->set_code("BENCH");
    site->set_name("Benchmark site");
    site->set_kind("B");
    auto* floor = inventory->add_spaces();
    floor->set_code("BENCH-1");
    floor->set_site("BENCH");
    floor->set_level("floor");
    for (int s = 0; s < sensors; ++s) {
      auto* ws = inventory->add_workstations();
      ws->set_code(absl::StrCat("BENCH-WS-", s));
      ws->set_space("BENCH-1");
      ws->set_kind("unassigned");
      auto* sensor = inventory->add_sensors();
      sensor->set_external_id(SensorName(s));
      sensor->set_kind("desk_presence");
      sensor->set_workstation(ws->code());
      sensor->set_gateway(absl::StrCat("gw-", s % streams));
    }
    grpc::ClientContext context;
    v1::ImportInventoryResponse response;
    grpc::Status status =
        v1::InventoryService::NewStub(channel)->ImportInventory(
            &context, request, &response);
    if (!status.ok()) {
      std::fprintf(stderr, "import: %s\n", status.error_message().c_str());
      return 1;
    }
  }

  // Each gateway's readings, in time order, cut into batches beforehand so
  // that the timing measures the server rather than message building.
  std::vector<std::vector<v1::ReadingBatch>> per_stream(streams);
  uint64_t batch_id = 0;
  std::vector<v1::ReadingBatch> open(streams);
  auto flush = [&](int g) {
    if (open[g].readings_size() == 0) return;
    open[g].set_batch_id(++batch_id);
    open[g].set_gateway(absl::StrCat("gw-", g));
    per_stream[g].push_back(std::move(open[g]));
    open[g] = v1::ReadingBatch();
  };
  for (const Row& row : rows) {
    int g = row.sensor % streams;
    v1::Reading* reading = open[g].add_readings();
    reading->set_sensor(SensorName(row.sensor));
    reading->set_ts_ms(row.ts_ms);
    reading->set_seq(row.seq);
    reading->set_occupied(row.occupied);
    if (open[g].readings_size() == batch_size) flush(g);
  }
  for (int g = 0; g < streams; ++g) flush(g);

  auto stub = v1::IngestService::NewStub(channel);
  StreamTotals first;
  const double end_to_end =
      EndToEndRate(per_stream, rows.size(), stub.get(), &first);
  StreamTotals replay;
  const double replay_rate =
      EndToEndRate(per_stream, rows.size(), stub.get(), &replay);
  const double raw = RawInsertRate(rows, dir + "/raw.db", *synchronous);

  std::printf(
      "end-to-end ingest: %10.0f readings/s (accepted %llu, duplicates %llu, "
      "rejected %llu)\n",
      end_to_end, static_cast<unsigned long long>(first.accepted),
      static_cast<unsigned long long>(first.duplicates),
      static_cast<unsigned long long>(first.rejected));
  std::printf("replay (all duplicates): %10.0f readings/s (duplicates %llu)\n",
              replay_rate, static_cast<unsigned long long>(replay.duplicates));
  std::printf("raw SQLite insert, no index: %10.0f rows/s\n", raw);
  std::printf("ratio end-to-end / raw: %.2f (target >= 0.50)\n",
              end_to_end / raw);
  std::printf(
      "database size: %.1f MiB (%.1f bytes/reading)\n",
      std::filesystem::file_size(options.database) / 1048576.0,
      static_cast<double>(std::filesystem::file_size(options.database)) /
          rows.size());
  bench.server->Shutdown();
  std::filesystem::remove_all(dir);
  if (first.accepted != rows.size() || replay.duplicates != rows.size()) {
    std::fprintf(stderr, "error: not every reading was stored exactly once\n");
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace monipaikka

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return monipaikka::Main();
}
